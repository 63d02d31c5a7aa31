/* Input files: expanding a pipeline <input path> (file, glob or folder) into
 * files, and streaming the source files inside each one (a plain file, a
 * compressed file, or the members of an archive) through libarchive, never
 * extracting to disk. */
#ifndef CM_INPUT_H
#define CM_INPUT_H

#include <stddef.h>
#include <stdint.h>

/* Expand pattern into a sorted list of regular files: a file is itself, a
 * folder is every regular file below it (recursively, hidden files skipped),
 * anything else is a glob(3).  Returns the number of files (0 is not an
 * error: the caller decides), or -1 with a message in err. *paths is a
 * NULL-terminated array the caller frees with cm_input_free_list. */
int cm_input_expand(const char *pattern, char ***paths, char *err, size_t errsz);
void cm_input_free_list(char **paths);

/* One opened input file. */
typedef struct cm_container cm_container;

cm_container *cm_container_open(const char *path, char *err, size_t errsz);

/* Advance to the next source file in the container whose member name matches
 * member_glob (fnmatch; NULL matches all).  For a plain or compressed
 * (.gz/.bz2/.xz/...) file there is exactly one source file and *member is set
 * to NULL; for an archive (zip, tar, tar.gz, 7z, ...) *member is the member's
 * path inside it (valid until the next call) and folders are skipped.
 * Returns 1, 0 at the end, -1 on error (cm_container_error). */
int cm_container_next(cm_container *c, const char *member_glob, const char **member);

/* Read from the current source file: bytes read, 0 at its end, -1 on error. */
long cm_container_read(cm_container *c, void *buf, size_t n);
const char *cm_container_error(cm_container *c);
/* Size of the container file itself (stat), and how much of it has been
 * read so far (compressed bytes): progress over the whole file. */
int64_t cm_container_file_size(cm_container *c);
int64_t cm_container_file_offset(cm_container *c);
void cm_container_close(cm_container *c);

#endif
