#include "store.h"
#include "dataset.h"
#include "schema.h"
#include "tz.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum {
    ST_FIND,
    ST_FILE_INSERT,
    ST_FILE_REUSE,
    ST_FILE_DONE,
    ST_ROWS,
    ST_ROWS_ADD,
    ST_ROWS_DEL,
    ST_DEL_WARNINGS,
    ST_WARNING,
    ST_EARLIER,
    ST_SUPERSEDE,
    ST_DEL_REJECTS,
    ST_DEL_COUNTERS,
    ST_REJECT,
    ST_COUNTER,
    ST_KNOWN,
    ST_SET_HASH,
    ST_FORGET,
    ST_OTHER_VERSION,
    ST__COUNT
};

static const char *const stmt_sql[ST__COUNT] = {
    [ST_FIND] = "SELECT id, status FROM source_files WHERE source = ?1 AND sha256 = ?2",
    [ST_FILE_INSERT] = "INSERT INTO source_files (run_id, source, path, member, sha256, bytes,"
                       " status, plugin, plugin_version, kind, file_size, file_mtime)"
                       " VALUES (?1,?2,?3,?4,?5,?6,'loading',?7,?8,?9,?11,?12)",
    [ST_FILE_REUSE] = "UPDATE source_files SET run_id=?1, source=?2, path=?3, member=?4,"
                      " sha256=?5, bytes=?6, status='loading', plugin=?7, plugin_version=?8,"
                      " kind=?9, file_size=?11, file_mtime=?12, error=NULL,"
                      " records_read=0, records_loaded=0, records_rejected=0,"
                      " loaded_utc=NULL WHERE id=?10",
    [ST_FILE_DONE] = "UPDATE source_files SET records_read=?2, records_loaded=?3,"
                     " records_rejected=?4, status=?5, error=?6, loaded_utc=?7 WHERE id=?1",
    [ST_ROWS] = "SELECT dataset, row_first, row_last FROM source_file_rows WHERE source_file_id = ?1",
    [ST_ROWS_ADD] = "INSERT INTO source_file_rows (source_file_id, dataset, row_first, row_last)"
                    " VALUES (?1, ?2, ?3, ?4)",
    [ST_ROWS_DEL] = "DELETE FROM source_file_rows WHERE source_file_id = ?1",
    [ST_DEL_WARNINGS] = "DELETE FROM warnings WHERE source_file_id = ?1",
    [ST_WARNING] = "INSERT INTO warnings (source_file_id, record, message) VALUES (?1, ?2, ?3)",
    [ST_EARLIER] = "SELECT id FROM source_files WHERE source = ?1 AND id <> ?2 AND status = 'loaded'",
    [ST_SUPERSEDE] = "UPDATE source_files SET status = 'superseded' WHERE id = ?1",
    [ST_DEL_REJECTS] = "DELETE FROM rejects WHERE source_file_id = ?1",
    [ST_DEL_COUNTERS] = "DELETE FROM source_file_counters WHERE source_file_id = ?1",
    [ST_REJECT] = "INSERT INTO rejects (source_file_id, record, reason, raw) VALUES (?1,?2,?3,?4)",
    [ST_COUNTER] = "INSERT INTO source_file_counters (source_file_id, name, value) VALUES"
                   " (?1,?2,?3) ON CONFLICT (source_file_id, name) DO UPDATE SET"
                   " value = value + excluded.value",
    [ST_KNOWN] = "SELECT count(*), total(status = 'failed' OR status = 'loading') FROM source_files"
                 " WHERE source = ?1"
                 " AND path = ?2 AND file_size = ?3 AND file_mtime = ?4",
    [ST_SET_HASH] = "UPDATE source_files SET sha256 = ?2, bytes = ?3 WHERE id = ?1",
    [ST_FORGET] = "DELETE FROM source_files WHERE id = ?1",
    [ST_OTHER_VERSION] = "SELECT id FROM source_files WHERE source = ?1 AND path = ?2 AND"
                         " member IS ?3 AND id <> ?4 AND status = 'loaded' ORDER BY id DESC"
                         " LIMIT 1",
};

#define MAX_DATASETS 8

struct cm_store {
    sqlite3 *db;
    char *path;
    int lock_fd;
    sqlite3_stmt *st[ST__COUNT];
    sqlite3_stmt *ins[MAX_DATASETS]; /* per dataset, prepared on first use */
    /* ids inserted by the current file, per dataset */
    int64_t row_first[MAX_DATASETS], row_last[MAX_DATASETS];
    char err[1024];
};

static void set_err(cm_store *s, const char *what)
{
    snprintf(s->err, sizeof s->err, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

const char *cm_store_error(cm_store *s) { return s->err; }
const char *cm_store_path(cm_store *s) { return s->path; }

static void now_utc(char out[21]) { cm_format_utc((int64_t)time(NULL), out); }

static int exec(cm_store *s, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(s->err, sizeof s->err, "%s: %s", s->path, msg ? msg : "error");
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int mkdir_parents(const char *path)
{
    char *dir = cm_path_dirname(path);
    int rc = 0;
    for (char *p = dir + 1; *p && rc == 0; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0755) != 0 && errno != EEXIST)
            rc = -1;
        *p = '/';
    }
    if (rc == 0 && mkdir(dir, 0755) != 0 && errno != EEXIST)
        rc = -1;
    free(dir);
    return rc;
}

static int user_version(cm_store *s)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int migrate(cm_store *s)
{
    int v = user_version(s);
    if (v < 0) {
        set_err(s, "cannot read the schema version (is it an SQLite database?)");
        return -1;
    }
    if (v > cm_schema_version) {
        snprintf(s->err, sizeof s->err,
                 "%s: the store has schema version %d, newer than this callmap (%s) supports (%d):"
                 " use a newer callmap",
                 s->path, v, CALLMAP_VERSION, cm_schema_version);
        return -1;
    }
    if (v == 0) {
        sqlite3_stmt *st;
        int tables = 0;
        if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL) ==
                SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            tables = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        if (tables) {
            snprintf(s->err, sizeof s->err,
                     "%s: not a callmap store (it has tables but no callmap schema version)",
                     s->path);
            return -1;
        }
    }
    for (; v < cm_schema_version; v++) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
        if (exec(s, "BEGIN IMMEDIATE") || exec(s, cm_schema_migrations[v]) || exec(s, pragma) ||
            exec(s, "COMMIT")) {
            char keep[sizeof s->err];
            memcpy(keep, s->err, sizeof keep);
            exec(s, "ROLLBACK");
            snprintf(s->err, sizeof s->err, "migration to schema version %d failed: %.900s", v + 1,
                     keep);
            return -1;
        }
    }
    return 0;
}

cm_store *cm_store_open(const char *path, char *err, size_t errsz)
{
    cm_store *s = cm_xcalloc(1, sizeof *s);
    s->path = cm_xstrdup(path);
    s->lock_fd = -1;
    if (mkdir_parents(path) != 0) {
        snprintf(err, errsz, "%s: cannot create its folder: %s", path, strerror(errno));
        cm_store_close(s);
        return NULL;
    }
    /* One connection per thread of use: SQLite's own mutexes are not needed. */
    if (sqlite3_open_v2(path, &s->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        snprintf(err, errsz, "%s: cannot open the store: %s", path,
                 s->db ? sqlite3_errmsg(s->db) : "out of memory");
        cm_store_close(s);
        return NULL;
    }
    sqlite3_busy_timeout(s->db, 10000);
    /* A rollback journal, not WAL: a file's rows are one large transaction of
     * appended pages, which a rollback journal writes once and WAL twice.
     * The cache bounds memory whatever the file size. */
    if (exec(s, "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384;"
                "PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = OFF") ||
        migrate(s)) {
        snprintf(err, errsz, "%s", s->err);
        cm_store_close(s);
        return NULL;
    }
    for (int i = 0; i < ST__COUNT; i++) {
        if (sqlite3_prepare_v3(s->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i],
                               NULL) != SQLITE_OK) {
            set_err(s, "cannot prepare a statement");
            snprintf(err, errsz, "%s", s->err);
            cm_store_close(s);
            return NULL;
        }
    }
    return s;
}

void cm_store_close(cm_store *s)
{
    if (!s)
        return;
    for (int i = 0; i < ST__COUNT; i++)
        sqlite3_finalize(s->st[i]);
    for (int i = 0; i < MAX_DATASETS; i++)
        sqlite3_finalize(s->ins[i]);
    if (s->db)
        sqlite3_close(s->db);
    if (s->lock_fd >= 0)
        close(s->lock_fd); /* releases the flock */
    free(s->path);
    free(s);
}

int cm_store_lock(cm_store *s, double wait_s, char **holder)
{
    if (s->lock_fd >= 0)
        return 0; /* already ours */
    char *lp = cm_asprintf("%s.lock", s->path);
    s->lock_fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (s->lock_fd < 0) {
        snprintf(s->err, sizeof s->err, "%s: cannot open: %s", lp, strerror(errno));
        free(lp);
        return -1;
    }
    free(lp);
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        if (flock(s->lock_fd, LOCK_EX | LOCK_NB) == 0)
            return 0;
        if (errno != EWOULDBLOCK) {
            snprintf(s->err, sizeof s->err, "%s.lock: %s", s->path, strerror(errno));
            return -1;
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        double waited = (double)(now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9;
        if (waited >= wait_s)
            break;
        struct timespec nap = {0, 100 * 1000 * 1000};
        nanosleep(&nap, NULL);
    }
    char buf[512];
    ssize_t n = pread(s->lock_fd, buf, sizeof buf - 1, 0);
    buf[n > 0 ? n : 0] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    *holder = cm_xstrdup(buf[0] ? buf : "another callmap process");
    close(s->lock_fd);
    s->lock_fd = -1;
    return 1;
}

static sqlite3_stmt *reset(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

int64_t cm_store_run_begin(cm_store *s, const char *pipeline, const char *file, int reprocess)
{
    char now[21];
    now_utc(now);
    /* We hold the lock, so a run still marked running died without finishing. */
    if (exec(s, "UPDATE runs SET status = 'interrupted' WHERE status = 'running'"))
        return -1;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO runs (pipeline, pipeline_file, started_utc, status,"
                           " callmap_version, reprocess) VALUES (?1, ?2, ?3, 'running', ?4, ?5)",
                           -1, &st, NULL) != SQLITE_OK) {
        set_err(s, "cannot record the run");
        return -1;
    }
    bind_text(st, 1, pipeline);
    bind_text(st, 2, file);
    bind_text(st, 3, now);
    bind_text(st, 4, CALLMAP_VERSION);
    sqlite3_bind_int(st, 5, reprocess);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        set_err(s, "cannot record the run");
        return -1;
    }
    int64_t id = sqlite3_last_insert_rowid(s->db);
    if (s->lock_fd >= 0) {
        char desc[512];
        int n = snprintf(desc, sizeof desc, "run %lld of pipeline '%s' (pid %ld, started %s)\n",
                         (long long)id, pipeline, (long)getpid(), now);
        if (ftruncate(s->lock_fd, 0) == 0 && pwrite(s->lock_fd, desc, (size_t)n, 0) < 0) {
            /* the description only improves the message of a waiting run */
        }
    }
    return id;
}

int cm_store_run_end(cm_store *s, int64_t run_id, const char *status, const cm_run_totals *t)
{
    char now[21];
    now_utc(now);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "UPDATE runs SET finished_utc=?2, status=?3, files_loaded=?4,"
                           " files_skipped=?5, files_failed=?6, records_loaded=?7,"
                           " records_rejected=?8 WHERE id=?1",
                           -1, &st, NULL) != SQLITE_OK) {
        set_err(s, "cannot finish the run");
        return -1;
    }
    sqlite3_bind_int64(st, 1, run_id);
    bind_text(st, 2, now);
    bind_text(st, 3, status);
    sqlite3_bind_int64(st, 4, t->files_loaded);
    sqlite3_bind_int64(st, 5, t->files_skipped);
    sqlite3_bind_int64(st, 6, t->files_failed);
    sqlite3_bind_int64(st, 7, t->records_loaded);
    sqlite3_bind_int64(st, 8, t->records_rejected);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        set_err(s, "cannot finish the run");
        return -1;
    }
    if (s->lock_fd >= 0 && ftruncate(s->lock_fd, 0) != 0) {
        /* a stale description is harmless: the flock is what counts */
    }
    return 0;
}

int cm_store_find_file(cm_store *s, const char *source, const char *sha256, int64_t *id,
                       char status[16])
{
    sqlite3_stmt *st = reset(s->st[ST_FIND]);
    bind_text(st, 1, source);
    bind_text(st, 2, sha256);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        cm_strlcpy(status, (const char *)sqlite3_column_text(st, 1), 16);
        sqlite3_reset(st);
        return 1;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        set_err(s, "cannot read the ledger");
        return -1;
    }
    return 0;
}

static int step_done(cm_store *s, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        set_err(s, what);
        return -1;
    }
    return 0;
}

/* Delete the data rows a file stored (in every table it wrote to). */
static int delete_data(cm_store *s, int64_t id)
{
    sqlite3_stmt *st = reset(s->st[ST_ROWS]);
    sqlite3_bind_int64(st, 1, id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        /* the table name comes from our own list, never from the data */
        const cm_dataset_def *ds = cm_dataset_by_table((const char *)sqlite3_column_text(st, 0));
        if (!ds) {
            snprintf(s->err, sizeof s->err, "%s: source file %lld names an unknown dataset",
                     s->path, (long long)id);
            sqlite3_reset(st);
            return -1;
        }
        char sql[200];
        snprintf(sql, sizeof sql,
                 "DELETE FROM %s WHERE id BETWEEN %lld AND %lld AND source_file_id = %lld",
                 ds->table, (long long)sqlite3_column_int64(st, 1),
                 (long long)sqlite3_column_int64(st, 2), (long long)id);
        if (exec(s, sql)) {
            sqlite3_reset(st);
            return -1;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        set_err(s, "cannot read the ledger");
        return -1;
    }
    st = reset(s->st[ST_ROWS_DEL]);
    sqlite3_bind_int64(st, 1, id);
    return step_done(s, st, "cannot delete a file's row ranges");
}

/* Delete everything a file stored: its rows, rejects, warnings and counters. */
static int delete_rows(cm_store *s, int64_t id)
{
    if (delete_data(s, id))
        return -1;
    static const int del[] = {ST_DEL_REJECTS, ST_DEL_WARNINGS, ST_DEL_COUNTERS};
    for (size_t i = 0; i < sizeof del / sizeof *del; i++) {
        sqlite3_stmt *d = reset(s->st[del[i]]);
        sqlite3_bind_int64(d, 1, id);
        if (step_done(s, d, "cannot delete the rows of an earlier load"))
            return -1;
    }
    return 0;
}

int cm_store_supersede(cm_store *s, const char *source, int64_t keep_id, int64_t *n)
{
    *n = 0;
    int64_t ids[64];
    for (;;) { /* in batches: deleting while stepping the query is not allowed */
        sqlite3_stmt *st = reset(s->st[ST_EARLIER]);
        bind_text(st, 1, source);
        sqlite3_bind_int64(st, 2, keep_id);
        int k = 0, rc;
        while (k < 64 && (rc = sqlite3_step(st)) == SQLITE_ROW)
            ids[k++] = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        if (k == 0)
            return 0;
        for (int i = 0; i < k; i++) {
            if (delete_data(s, ids[i]))
                return -1;
            sqlite3_stmt *u = reset(s->st[ST_SUPERSEDE]);
            sqlite3_bind_int64(u, 1, ids[i]);
            if (step_done(s, u, "cannot mark a file superseded"))
                return -1;
            (*n)++;
        }
    }
}

int cm_store_warning(cm_store *s, int64_t file_id, int64_t record, const char *message)
{
    sqlite3_stmt *st = reset(s->st[ST_WARNING]);
    sqlite3_bind_int64(st, 1, file_id);
    sqlite3_bind_int64(st, 2, record);
    bind_text(st, 3, message);
    return step_done(s, st, "cannot record a warning");
}

sqlite3 *cm_store_db(cm_store *s) { return s->db; }

int cm_store_exec(cm_store *s, const char *sql) { return exec(s, sql); }

/* Insert or reuse the source_files row, inside the current transaction. */
static int file_row(cm_store *s, const cm_file_info *fi, int64_t *id)
{
    sqlite3_stmt *st = reset(s->st[*id ? ST_FILE_REUSE : ST_FILE_INSERT]);
    sqlite3_bind_int64(st, 1, fi->run_id);
    bind_text(st, 2, fi->source);
    bind_text(st, 3, fi->path);
    bind_text(st, 4, fi->member);
    bind_text(st, 5, fi->sha256);
    sqlite3_bind_int64(st, 6, fi->bytes);
    bind_text(st, 7, fi->plugin);
    bind_text(st, 8, fi->plugin_version);
    bind_text(st, 9, fi->kind);
    sqlite3_bind_int64(st, 11, fi->file_size);
    sqlite3_bind_int64(st, 12, fi->file_mtime);
    if (*id) {
        sqlite3_bind_int64(st, 10, *id);
        if (delete_rows(s, *id))
            return -1;
    }
    if (step_done(s, st, "cannot record the source file"))
        return -1;
    if (*id && sqlite3_changes(s->db) != 1) {
        snprintf(s->err, sizeof s->err, "%s: no source file with id %lld to replace", s->path,
                 (long long)*id);
        return -1;
    }
    if (!*id)
        *id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

int64_t cm_store_known_file(cm_store *s, const char *source, const char *path, int64_t size,
                            int64_t mtime)
{
    sqlite3_stmt *st = reset(s->st[ST_KNOWN]);
    bind_text(st, 1, source);
    bind_text(st, 2, path);
    sqlite3_bind_int64(st, 3, size);
    sqlite3_bind_int64(st, 4, mtime);
    int64_t n = 0;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_double(st, 1) == 0)
        n = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return n;
}

int64_t cm_store_other_version(cm_store *s, const char *source, const char *path,
                               const char *member, int64_t except_id)
{
    sqlite3_stmt *st = reset(s->st[ST_OTHER_VERSION]);
    bind_text(st, 1, source);
    bind_text(st, 2, path);
    bind_text(st, 3, member);
    sqlite3_bind_int64(st, 4, except_id);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return id;
}

int cm_store_file_set_hash(cm_store *s, int64_t id, const char *sha256, int64_t bytes)
{
    sqlite3_stmt *st = reset(s->st[ST_SET_HASH]);
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, sha256);
    sqlite3_bind_int64(st, 3, bytes);
    return step_done(s, st, "cannot record the file's hash");
}

int cm_store_file_forget(cm_store *s, int64_t id)
{
    if (delete_rows(s, id))
        return -1;
    sqlite3_stmt *st = reset(s->st[ST_FORGET]);
    sqlite3_bind_int64(st, 1, id);
    return step_done(s, st, "cannot delete a source file row");
}

int cm_store_file_begin(cm_store *s, const cm_file_info *fi, int64_t *id)
{
    memset(s->row_first, 0, sizeof s->row_first);
    memset(s->row_last, 0, sizeof s->row_last);
    if (exec(s, "BEGIN IMMEDIATE"))
        return -1;
    if (file_row(s, fi, id)) {
        exec(s, "ROLLBACK");
        return -1;
    }
    return 0;
}

static sqlite3_stmt *insert_stmt(cm_store *s, const cm_dataset_def *ds)
{
    if ((int)ds->id >= MAX_DATASETS)
        return NULL;
    if (s->ins[ds->id])
        return s->ins[ds->id];
    size_t cap = 256;
    for (unsigned c = 0; c < ds->ncols; c++)
        cap += strlen(ds->cols[c]) + 6;
    char *sql = cm_xmalloc(cap);
    int n = snprintf(sql, cap, "INSERT INTO %s (source, source_file_id, source_record", ds->table);
    for (unsigned c = 0; c < ds->ncols; c++)
        n += snprintf(sql + n, cap - (size_t)n, ", %s", ds->cols[c]);
    n += snprintf(sql + n, cap - (size_t)n, ") VALUES (?, ?, ?");
    for (unsigned c = 0; c < ds->ncols; c++)
        n += snprintf(sql + n, cap - (size_t)n, ", ?");
    snprintf(sql + n, cap - (size_t)n, ")");
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->ins[ds->id], NULL) !=
        SQLITE_OK)
        set_err(s, "cannot prepare an insert");
    free(sql);
    return s->ins[ds->id];
}

int cm_store_insert(cm_store *s, int64_t file_id, const char *source, const cm_record *rec)
{
    const cm_dataset_def *ds = cm_dataset_get(rec->dataset);
    if (!ds) {
        snprintf(s->err, sizeof s->err, "records of an unknown dataset (%d)", (int)rec->dataset);
        return CM_ERROR;
    }
    if (rec->ncols > ds->ncols) {
        snprintf(s->err, sizeof s->err, "a record has %u columns, the %s table takes %u",
                 rec->ncols, ds->table, ds->ncols);
        return CM_ERROR;
    }
    sqlite3_stmt *st = insert_stmt(s, ds);
    if (!st)
        return CM_ERROR;
    sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, file_id);
    sqlite3_bind_int64(st, 3, rec->source_record);
    char tbuf[4][21];
    int nt = 0;
    for (unsigned c = 0; c < ds->ncols; c++) {
        int i = (int)c + 4;
        const cm_value *v = c < rec->ncols ? &rec->v[c] : NULL;
        switch (v ? v->type : CM_NULL) {
        case CM_NULL: sqlite3_bind_null(st, i); break;
        case CM_INT: sqlite3_bind_int64(st, i, v->u.i); break;
        case CM_REAL: sqlite3_bind_double(st, i, v->u.d); break;
        case CM_TEXT: sqlite3_bind_text(st, i, v->u.s, -1, SQLITE_STATIC); break;
        case CM_TIME:
            if (nt < 4) {
                cm_format_utc(v->u.i, tbuf[nt]);
                sqlite3_bind_text(st, i, tbuf[nt++], 20, SQLITE_STATIC);
            } else {
                sqlite3_bind_null(st, i);
            }
            break;
        }
    }
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) {
        s->row_last[ds->id] = sqlite3_last_insert_rowid(s->db);
        if (!s->row_first[ds->id])
            s->row_first[ds->id] = s->row_last[ds->id];
        return CM_OK;
    }
    /* A value the schema refuses is the record's fault, not the store's. */
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        snprintf(s->err, sizeof s->err, "%s", sqlite3_errmsg(s->db));
        return CM_REJECT;
    }
    set_err(s, "cannot insert a record");
    return CM_ERROR;
}

int cm_store_reject(cm_store *s, int64_t file_id, int64_t record, const char *reason,
                    const char *raw, size_t raw_len)
{
    sqlite3_stmt *st = s->st[ST_REJECT];
    sqlite3_bind_int64(st, 1, file_id);
    sqlite3_bind_int64(st, 2, record);
    bind_text(st, 3, reason);
    if (raw)
        sqlite3_bind_text(st, 4, raw, (int)(raw_len > CM_REJECT_RAW_MAX ? CM_REJECT_RAW_MAX : raw_len),
                          SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 4);
    return step_done(s, st, "cannot record a reject");
}

int cm_store_counter(cm_store *s, int64_t file_id, const char *name, int64_t value)
{
    sqlite3_stmt *st = s->st[ST_COUNTER];
    sqlite3_bind_int64(st, 1, file_id);
    bind_text(st, 2, name);
    sqlite3_bind_int64(st, 3, value);
    return step_done(s, st, "cannot record a counter");
}

static int file_done(cm_store *s, int64_t id, const cm_file_counts *c, const char *status,
                     const char *error)
{
    char now[21];
    now_utc(now);
    sqlite3_stmt *st = reset(s->st[ST_FILE_DONE]);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, c->read);
    sqlite3_bind_int64(st, 3, c->loaded);
    sqlite3_bind_int64(st, 4, c->rejected);
    bind_text(st, 5, status);
    bind_text(st, 6, error);
    bind_text(st, 7, strcmp(status, "loaded") == 0 ? now : NULL);
    if (step_done(s, st, "cannot update the source file"))
        return -1;
    if (strcmp(status, "loaded") != 0)
        return 0;
    for (int d = 0; d < MAX_DATASETS; d++) {
        const cm_dataset_def *ds = cm_dataset_get((cm_dataset)d);
        if (!ds || !s->row_first[d])
            continue;
        sqlite3_stmt *r = reset(s->st[ST_ROWS_ADD]);
        sqlite3_bind_int64(r, 1, id);
        bind_text(r, 2, ds->table);
        sqlite3_bind_int64(r, 3, s->row_first[d]);
        sqlite3_bind_int64(r, 4, s->row_last[d]);
        if (step_done(s, r, "cannot record a file's rows"))
            return -1;
    }
    return 0;
}

int cm_store_file_commit(cm_store *s, int64_t file_id, const cm_file_counts *c)
{
    if (file_done(s, file_id, c, "loaded", NULL) || exec(s, "COMMIT")) {
        cm_store_file_rollback(s);
        return -1;
    }
    return 0;
}

void cm_store_file_rollback(cm_store *s)
{
    if (!sqlite3_get_autocommit(s->db)) {
        char keep[sizeof s->err];
        memcpy(keep, s->err, sizeof keep);
        exec(s, "ROLLBACK");
        memcpy(s->err, keep, sizeof keep);
    }
}

int cm_store_file_failed(cm_store *s, const cm_file_info *fi, int64_t *id, const cm_file_counts *c,
                         const char *error, const cm_kept_reject *rej, size_t nrej)
{
    int64_t given = *id;
    if (exec(s, "BEGIN IMMEDIATE"))
        return -1;
    memset(s->row_first, 0, sizeof s->row_first);
    memset(s->row_last, 0, sizeof s->row_last);
    if (file_row(s, fi, id))
        goto fail;
    for (size_t i = 0; i < nrej; i++)
        if (cm_store_reject(s, *id, rej[i].record, rej[i].reason, rej[i].raw,
                            rej[i].raw ? strlen(rej[i].raw) : 0))
            goto fail;
    if (file_done(s, *id, c, "failed", error) || exec(s, "COMMIT"))
        goto fail;
    return 0;
fail:
    cm_store_file_rollback(s);
    *id = given; /* a row inserted by the rolled-back transaction is gone */
    return -1;
}
