/* Where the bytes go: plain files, gzip files, a zip with one streamed member,
 * and tar.gz archives of whole members (one of which may be cut short on
 * purpose).  Archives are deterministic: fixed times, no host names. */
#ifndef GEN_PACK_H
#define GEN_PACK_H

#include <stddef.h>
#include <stdint.h>

enum out_type { OUT_PLAIN, OUT_GZIP, OUT_ZIP };

typedef struct out_file out_file;

/* Creates the file (and its folders). OUT_ZIP writes one member named member,
 * streamed (size unknown in advance); mtime is the time stored for it. */
out_file *out_open(const char *path, int type, const char *member, int64_t mtime);
void out_write(out_file *o, const void *data, size_t n);
/* bytes written so far (before compression) */
uint64_t out_bytes(const out_file *o);
void out_close(out_file *o);
/* closes and removes the file (it turned out to have no records) */
void out_discard(out_file *o);

typedef struct targz targz;

targz *targz_open(const char *path);
/* Adds a member. keep < n cuts the archive after keep bytes of this member's
 * data (the tar stream ends there, inside the member; the gzip stream is
 * complete): use it for the last member only. */
void targz_member(targz *t, const char *name, int64_t mtime, const void *data, size_t n,
                  size_t keep);
void targz_close(targz *t);

#endif
