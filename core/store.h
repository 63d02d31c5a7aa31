/* The SQLite store: schema and migrations, the run lock, the ledger of loaded
 * source files, and prepared, batched inserts (one transaction per file). */
#ifndef CM_STORE_H
#define CM_STORE_H

#include <callmap/plugin.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cm_store cm_store;

/* Open or create (with missing parent folders) and migrate. On failure NULL
 * with a message in err that names the file. */
cm_store *cm_store_open(const char *path, char *err, size_t errsz);
void cm_store_close(cm_store *s);
const char *cm_store_error(cm_store *s);
const char *cm_store_path(cm_store *s);

/* The run lock (<db>.lock, flock): 0 taken, 1 busy after waiting wait_s
 * seconds (*holder then describes the other run; free it), -1 error. */
int cm_store_lock(cm_store *s, double wait_s, char **holder);

int64_t cm_store_run_begin(cm_store *s, const char *pipeline, const char *file, int reprocess);
typedef struct cm_run_totals {
    int64_t files_loaded, files_skipped, files_failed, records_loaded, records_rejected;
} cm_run_totals;
int cm_store_run_end(cm_store *s, int64_t run_id, const char *status, const cm_run_totals *t);

/* Ledger: the row for (source, sha256), if any. status is "loaded",
 * "failed" or "loading" (never committed in that state). */
int cm_store_find_file(cm_store *s, const char *source, const char *sha256, int64_t *id,
                       char status[16]);

/* Fast path for scheduled runs: the number of source files loaded from
 * `path` when it had this size and modification time, or 0 when it is new,
 * changed, or has a failed member (then it must be read). */
int64_t cm_store_known_file(cm_store *s, const char *source, const char *path, int64_t size,
                            int64_t mtime);

/* Another loaded row for the same source, path and member (content that
 * changed since it was loaded): its id, or 0. */
int64_t cm_store_other_version(cm_store *s, const char *source, const char *path,
                               const char *member, int64_t except_id);

typedef struct cm_file_info {
    int64_t run_id;
    const char *source, *path, *member, *sha256;
    int64_t bytes;
    int64_t file_size, file_mtime; /* of the file on disk (the archive, for a member) */
    const char *plugin, *plugin_version, *kind;
} cm_file_info;

typedef struct cm_file_counts {
    int64_t read, loaded, rejected;
} cm_file_counts;

/* Start a file's transaction. With *id != 0 (an earlier row of the same
 * source and content: --reprocess or a retry of a failed file) its rows are
 * deleted and the id reused, so the result is the same rows as a first load. */
int cm_store_file_begin(cm_store *s, const cm_file_info *fi, int64_t *id);
/* Inside a file's transaction: set the content hash and size found while
 * reading (the row was begun with a placeholder hash). */
int cm_store_file_set_hash(cm_store *s, int64_t id, const char *sha256, int64_t bytes);
/* Inside a file's transaction: delete a source file row and everything of it. */
int cm_store_file_forget(cm_store *s, int64_t id);
int cm_store_insert(cm_store *s, int64_t file_id, const char *source, const cm_record *rec);
int cm_store_reject(cm_store *s, int64_t file_id, int64_t record, const char *reason,
                    const char *raw, size_t raw_len);
int cm_store_counter(cm_store *s, int64_t file_id, const char *name, int64_t value);
int cm_store_file_commit(cm_store *s, int64_t file_id, const cm_file_counts *c);
void cm_store_file_rollback(cm_store *s);
/* Record a failed file in its own transaction: counts, error and the rejects kept. */
typedef struct cm_kept_reject {
    int64_t record;
    char *reason;
    char *raw;
} cm_kept_reject;
int cm_store_file_failed(cm_store *s, const cm_file_info *fi, int64_t *id, const cm_file_counts *c,
                         const char *error, const cm_kept_reject *rej, size_t nrej);

/* Inside a file's transaction: remove the rows of the source's other loaded
 * files and mark them superseded (a snapshot kind's newer export). *n: how many. */
int cm_store_supersede(cm_store *s, const char *source, int64_t keep_id, int64_t *n);
int cm_store_warning(cm_store *s, int64_t file_id, int64_t record, const char *message);

/* For finish hooks: the connection, and plain statements (0 or -1 with
 * cm_store_error). */
typedef struct sqlite3 sqlite3;
sqlite3 *cm_store_db(cm_store *s);
int cm_store_exec(cm_store *s, const char *sql);

/* Raw text stored in rejects is capped at this many bytes. */
#define CM_REJECT_RAW_MAX 1000

#endif
