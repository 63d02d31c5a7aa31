/* Unit tests of core/store.c and core/schema.c: creating and migrating the
 * store, refusing foreign or newer databases, runs, the ledger of source
 * files with one transaction per file, reprocessing, failed files and the
 * run lock. Each test works in its own mkdtemp folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "schema.h"
#include "store.h"
#include "util.h"

/* ------------------------------------------------------------ helpers */

typedef struct ctx {
    char dir[64];
    char *db; /* <dir>/store.db */
} ctx;

static int setup(void **state)
{
    ctx *c = cm_xcalloc(1, sizeof *c);
    snprintf(c->dir, sizeof c->dir, "/tmp/cm_store_XXXXXX");
    if (!mkdtemp(c->dir)) {
        free(c);
        return -1;
    }
    c->db = cm_asprintf("%s/store.db", c->dir);
    *state = c;
    return 0;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    ctx *c = *state;
    nftw(c->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(c->db);
    free(c);
    return 0;
}

/* Run SQL on a separate connection (to see what the store committed). */
static void sql_exec(const char *db, const char *sql)
{
    sqlite3 *h;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    char *msg = NULL;
    if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
    sqlite3_close(h);
}

static int64_t q_int(const char *db, const char *sql)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(h));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return v;
}

/* The text of the first column of the first row ("<NULL>" for NULL); free it. */
static char *q_text(const char *db, const char *sql)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(h));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const char *t = (const char *)sqlite3_column_text(st, 0);
    char *r = cm_xstrdup(t ? t : "<NULL>");
    sqlite3_finalize(st);
    sqlite3_close(h);
    return r;
}

static void expect_text(const char *db, const char *sql, const char *want)
{
    char *got = q_text(db, sql);
    if (strcmp(got, want) != 0)
        print_error("%s\n", sql);
    assert_string_equal(got, want);
    free(got);
}

static int is_utc_stamp(const char *s)
{
    /* YYYY-MM-DDTHH:MM:SSZ */
    static const char pat[] = "dddd-dd-ddTdd:dd:ddZ";
    if (strlen(s) != sizeof pat - 1)
        return 0;
    for (size_t i = 0; pat[i]; i++)
        if (pat[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != pat[i])
            return 0;
    return 1;
}

static cm_store *open_ok(const char *path)
{
    char err[1024] = "";
    cm_store *s = cm_store_open(path, err, sizeof err);
    if (!s)
        fail_msg("cm_store_open: %s", err);
    return s;
}

/* A calls record with every column set. */
typedef struct call_buf {
    cm_record rec;
    cm_value v[CM_CALL__COUNT];
    char id[32];
} call_buf;

#define T0 INT64_C(1711848600) /* 2024-03-31T01:30:00Z */

static cm_record *make_call(call_buf *b, int64_t n)
{
    memset(b, 0, sizeof *b);
    b->rec.dataset = CM_DS_CALLS;
    b->rec.source_record = n;
    b->rec.ncols = CM_CALL__COUNT;
    b->rec.v = b->v;
    cm_record *r = &b->rec;
    snprintf(b->id, sizeof b->id, "call-%lld", (long long)n);
    cm_set_text(r, CM_CALL_SOURCE_CALL_ID, b->id);
    cm_set_text(r, CM_CALL_CALL_GROUP, "g1");
    cm_set_time(r, CM_CALL_START_UTC, T0 + n);
    cm_set_text(r, CM_CALL_START_LOCAL, "2024-03-31T03:30:00");
    cm_set_int(r, CM_CALL_DURATION_S, 65);
    cm_set_int(r, CM_CALL_WAIT_S, 5);
    cm_set_int(r, CM_CALL_TALK_S, 60);
    cm_set_text(r, CM_CALL_DIRECTION, "inbound");
    cm_set_text(r, CM_CALL_LOCAL_NUMBER, "+4533663366");
    cm_set_text(r, CM_CALL_REMOTE_NUMBER, "+4520123456");
    cm_set_text(r, CM_CALL_REMOTE_TYPE, "national");
    cm_set_text(r, CM_CALL_OUTCOME, "answered");
    cm_set_int(r, CM_CALL_TRANSFERRED, 1);
    cm_set_text(r, CM_CALL_TRANSFERRED_TO, "+4533664012");
    cm_set_text(r, CM_CALL_CHANNEL, "pbx");
    cm_set_text(r, CM_CALL_QUEUE, "support");
    cm_set_text(r, CM_CALL_EMPLOYEE_ID, "e1");
    cm_set_text(r, CM_CALL_UNIT_ID, "u1");
    cm_set_real(r, CM_CALL_CHARGE_DKK, 1.25);
    cm_set_time(r, CM_CALL_END_UTC, T0 + n + 65);
    return r;
}

static cm_file_info file_info(int64_t run_id, const char *sha)
{
    return (cm_file_info){.run_id = run_id,
                          .source = "src",
                          .path = "/data/Master.csv",
                          .member = NULL,
                          .sha256 = sha,
                          .bytes = 1234,
                          .plugin = "pbx",
                          .plugin_version = "1.0.0",
                          .kind = "asterisk-cdr"};
}

#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

/* Load one file of n calls (records 1..n), one reject and two counters. */
static int64_t load_file(cm_store *s, int64_t run, const char *sha, int64_t id, int n)
{
    cm_file_info fi = file_info(run, sha);
    assert_int_equal(cm_store_file_begin(s, &fi, &id), 0);
    assert_true(id > 0);
    call_buf b;
    for (int i = 1; i <= n; i++)
        assert_int_equal(cm_store_insert(s, id, "src", make_call(&b, i)), CM_OK);
    assert_int_equal(cm_store_reject(s, id, n + 1, "bad time", "x;y;z", 5), 0);
    assert_int_equal(cm_store_counter(s, id, "ambiguous_times", 2), 0);
    assert_int_equal(cm_store_counter(s, id, "ambiguous_times", 3), 0);
    assert_int_equal(cm_store_counter(s, id, "gaps", 1), 0);
    cm_file_counts fc = {.read = n + 1, .loaded = n, .rejected = 1};
    assert_int_equal(cm_store_file_commit(s, id, &fc), 0);
    return id;
}

/* ------------------------------------------------------------ open / migrate */

static void test_open_creates(void **state)
{
    ctx *c = *state;
    char *path = cm_asprintf("%s/a/b/c/store.db", c->dir);
    cm_store *s = open_ok(path);
    assert_string_equal(cm_store_path(s), path);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_true(S_ISREG(sb.st_mode));
    cm_store_close(s);

    assert_int_equal(cm_schema_version, 1);
    assert_int_equal(q_int(path, "PRAGMA user_version"), cm_schema_version);
    assert_int_equal(q_int(path, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN"
                                 " ('runs','source_files','source_file_counters','rejects','calls',"
                                 "'costs','invoices','org_units','employees','number_assignments')"),
                     10);
    /* a rollback journal, not WAL */
    expect_text(path, "PRAGMA journal_mode", "delete");

    /* reopening an up-to-date store changes nothing */
    s = open_ok(path);
    cm_store_close(s);
    assert_int_equal(q_int(path, "PRAGMA user_version"), cm_schema_version);
    assert_int_equal(q_int(path, "SELECT count(*) FROM runs"), 0);
    free(path);

    /* a store in an existing folder, and a relative-free single component */
    s = open_ok(c->db);
    cm_store_close(s);
    assert_int_equal(q_int(c->db, "PRAGMA user_version"), cm_schema_version);
}

static void expect_open_fails(const char *path, const char *want)
{
    char err[1024] = "unset";
    cm_store *s = cm_store_open(path, err, sizeof err);
    assert_null(s);
    assert_string_equal(err, want);
}

static void test_open_newer(void **state)
{
    ctx *c = *state;
    sql_exec(c->db, "PRAGMA user_version = 99");
    char *want = cm_asprintf("%s: the store has schema version 99, newer than this callmap (%s)"
                             " supports (%d): use a newer callmap",
                             c->db, CALLMAP_VERSION, cm_schema_version);
    expect_open_fails(c->db, want);
    free(want);
    /* nothing was changed */
    assert_int_equal(q_int(c->db, "PRAGMA user_version"), 99);
    assert_int_equal(q_int(c->db, "SELECT count(*) FROM sqlite_master"), 0);
}

static void test_open_foreign(void **state)
{
    ctx *c = *state;
    sql_exec(c->db, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
                    "INSERT INTO notes (body) VALUES ('hello')");
    char *want = cm_asprintf("%s: not a callmap store (it has tables but no callmap schema version)",
                             c->db);
    expect_open_fails(c->db, want);
    free(want);
    assert_int_equal(q_int(c->db, "PRAGMA user_version"), 0);
    assert_int_equal(q_int(c->db, "SELECT count(*) FROM sqlite_master"), 1);
}

static void test_open_not_sqlite(void **state)
{
    ctx *c = *state;
    FILE *f = fopen(c->db, "w");
    assert_non_null(f);
    fputs("id;name\n1;this is a CSV file, not a database, and it is long enough to have a header"
          " that SQLite reads and rejects\n",
          f);
    fclose(f);
    char err[1024] = "";
    assert_null(cm_store_open(c->db, err, sizeof err));
    char *want = cm_asprintf("%s: file is not a database", c->db);
    assert_string_equal(err, want);
    free(want);
}

static void test_open_bad_folder(void **state)
{
    ctx *c = *state;
    /* a parent "folder" that is a regular file */
    char *file = cm_asprintf("%s/plain", c->dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fclose(f);
    char *path = cm_asprintf("%s/sub/store.db", file);
    char err[1024] = "";
    assert_null(cm_store_open(path, err, sizeof err));
    char *want = cm_asprintf("%s: cannot create its folder: Not a directory", path);
    assert_string_equal(err, want);
    free(want);
    free(path);
    free(file);
}

/* ------------------------------------------------------------ runs */

static void test_runs(void **state)
{
    ctx *c = *state;
    cm_store *s = open_ok(c->db);
    int64_t r1 = cm_store_run_begin(s, "p", "pipes/p.xml", 0);
    assert_int_equal(r1, 1);
    expect_text(c->db, "SELECT status FROM runs WHERE id = 1", "running");
    expect_text(c->db, "SELECT pipeline || '|' || pipeline_file || '|' || callmap_version || '|' ||"
                       " reprocess FROM runs WHERE id = 1",
                "p|pipes/p.xml|" CALLMAP_VERSION "|0");
    char *started = q_text(c->db, "SELECT started_utc FROM runs WHERE id = 1");
    assert_true(is_utc_stamp(started));
    free(started);
    expect_text(c->db, "SELECT finished_utc FROM runs WHERE id = 1", "<NULL>");

    cm_run_totals t = {.files_loaded = 3, .files_skipped = 4, .files_failed = 1,
                       .records_loaded = 1000, .records_rejected = 7};
    assert_int_equal(cm_store_run_end(s, r1, "ok", &t), 0);
    expect_text(c->db, "SELECT status || '|' || files_loaded || '|' || files_skipped || '|' ||"
                       " files_failed || '|' || records_loaded || '|' || records_rejected"
                       " FROM runs WHERE id = 1",
                "ok|3|4|1|1000|7");
    char *fin = q_text(c->db, "SELECT finished_utc FROM runs WHERE id = 1");
    assert_true(is_utc_stamp(fin));
    free(fin);

    /* a run left 'running' (the process died) is marked interrupted by the next */
    int64_t r2 = cm_store_run_begin(s, "p", NULL, 1);
    assert_int_equal(r2, 2);
    expect_text(c->db, "SELECT ifnull(pipeline_file, '<NULL>') || '|' || reprocess FROM runs"
                       " WHERE id = 2",
                "<NULL>|1");
    int64_t r3 = cm_store_run_begin(s, "p", NULL, 0);
    assert_int_equal(r3, 3);
    expect_text(c->db, "SELECT group_concat(status, ',') FROM (SELECT status FROM runs ORDER BY id)",
                "ok,interrupted,running");

    /* a status the schema does not know */
    cm_run_totals z = {0};
    assert_int_equal(cm_store_run_end(s, r3, "great", &z), -1);
    char *want = cm_asprintf("%s: cannot finish the run: CHECK constraint failed: status ="
                             " 'running' OR status = 'ok' OR status = 'failed' OR"
                             " status = 'interrupted'",
                             c->db);
    assert_string_equal(cm_store_error(s), want);
    free(want);
    assert_int_equal(cm_store_run_end(s, r3, "failed", &z), 0);
    expect_text(c->db, "SELECT status FROM runs WHERE id = 3", "failed");
    cm_store_close(s);
}

/* ------------------------------------------------------------ the ledger */

static void test_load_file(void **state)
{
    ctx *c = *state;
    cm_store *s = open_ok(c->db);
    int64_t run = cm_store_run_begin(s, "p", "p.xml", 0);
    int64_t id = 0;
    char status[16] = "";
    assert_int_equal(cm_store_find_file(s, "src", SHA_A, &id, status), 0);
    assert_int_equal(id, 0);

    id = load_file(s, run, SHA_A, 0, 3);
    assert_int_equal(id, 1);

    int64_t found = 0;
    assert_int_equal(cm_store_find_file(s, "src", SHA_A, &found, status), 1);
    assert_int_equal(found, id);
    assert_string_equal(status, "loaded");
    assert_int_equal(cm_store_find_file(s, "src", SHA_B, &found, status), 0);
    assert_int_equal(cm_store_find_file(s, "other", SHA_A, &found, status), 0);

    /* the ledger row */
    expect_text(c->db,
                "SELECT run_id || '|' || source || '|' || path || '|' || ifnull(member, '<NULL>')"
                " || '|' || sha256 || '|' || bytes || '|' || records_read || '|' ||"
                " records_loaded || '|' || records_rejected || '|' || status || '|' ||"
                " ifnull(error, '<NULL>') || '|' || plugin || '|' || plugin_version || '|' || kind"
                " FROM source_files WHERE id = 1",
                "1|src|/data/Master.csv|<NULL>|" SHA_A "|1234|4|3|1|loaded|<NULL>|pbx|1.0.0|"
                "asterisk-cdr");
    char *loaded = q_text(c->db, "SELECT loaded_utc FROM source_files WHERE id = 1");
    assert_true(is_utc_stamp(loaded));
    free(loaded);

    /* the rows, with every column as it was set */
    assert_int_equal(q_int(c->db, "SELECT count(*) FROM calls"), 3);
    assert_int_equal(q_int(c->db, "SELECT count(*) FROM calls WHERE source_file_id = 1"), 3);
    expect_text(c->db,
                "SELECT source || '|' || source_file_id || '|' || source_record || '|' ||"
                " source_call_id || '|' || call_group || '|' || start_utc || '|' || start_local"
                " || '|' || duration_s || '|' || wait_s || '|' || talk_s || '|' || direction ||"
                " '|' || local_number || '|' || remote_number || '|' || remote_type || '|' ||"
                " outcome || '|' || transferred || '|' || transferred_to || '|' || channel ||"
                " '|' || queue || '|' || employee_id || '|' || unit_id || '|' || charge_dkk ||"
                " '|' || end_utc FROM calls WHERE source_record = 2",
                "src|1|2|call-2|g1|2024-03-31T01:30:02Z|2024-03-31T03:30:00|65|5|60|inbound|"
                "+4533663366|+4520123456|national|answered|1|+4533664012|pbx|support|e1|u1|1.25|"
                "2024-03-31T01:31:07Z");
    expect_text(c->db, "SELECT typeof(start_utc) || typeof(duration_s) || typeof(charge_dkk) ||"
                       " typeof(transferred) FROM calls WHERE source_record = 1",
                "textintegerrealinteger");

    /* the reject and the counters (summed by name) */
    expect_text(c->db, "SELECT source_file_id || '|' || record || '|' || reason || '|' || raw"
                       " FROM rejects",
                "1|4|bad time|x;y;z");
    assert_int_equal(q_int(c->db, "SELECT count(*) FROM rejects"), 1);
    expect_text(c->db, "SELECT group_concat(name || '=' || value, ',') FROM (SELECT * FROM"
                       " source_file_counters WHERE source_file_id = 1 ORDER BY name)",
                "ambiguous_times=5,gaps=1");

    /* a second file of another content gets the next id */
    int64_t id2 = load_file(s, run, SHA_B, 0, 2);
    assert_int_equal(id2, 2);
    assert_int_equal(q_int(c->db, "SELECT count(*) FROM calls"), 5);
    assert_int_equal(q_int(c->db, "SELECT count(*) FROM source_files"), 2);

    /* the same source and content again without the id: UNIQUE refuses it */
    cm_file_info fi = file_info(run, SHA_A);
    int64_t dup = 0;
    assert_int_equal(cm_store_file_begin(s, &fi, &dup), -1);
    assert_int_equal(dup, 0);
    char *want = cm_asprintf("%s: cannot record the source file: UNIQUE constraint failed:"
                             " source_files.source, source_files.sha256",
                             c->db);
    assert_string_equal(cm_store_error(s), want);
    free(want);
    /* and the store is usable afterwards (the transaction was rolled back) */
    assert_int_equal(load_file(s, run, SHA_A "0", 0, 1), 3);
    cm_store_close(s);
}

static void test_utc_format(void **state)
{
    ctx *c = *state;
    cm_store *s = open_ok(c->db);
    int64_t run = cm_store_run_begin(s, "p", NULL, 0);
    cm_file_info fi = file_info(run, SHA_A);
    int64_t id = 0;
    assert_int_equal(cm_store_file_begin(s, &fi, &id), 0);
    static const struct {
        int64_t t;
        const char *want;
    } times[] = {
        {0, "1970-01-01T00:00:00Z"},
        {951782400, "2000-02-29T00:00:00Z"},
        {1709251199, "2024-02-29T23:59:59Z"},
        {4102444800, "2100-01-01T00:00:00Z"},
        {-1, "1969-12-31T23:59:59Z"},
    };
    call_buf b;
    for (size_t i = 0; i < sizeof times / sizeof *times; i++) {
        cm_record *r = make_call(&b, (int64_t)i + 1);
        cm_set_time(r, CM_CALL_START_UTC, times[i].t);
        cm_set_null(r, CM_CALL_END_UTC);
        assert_int_equal(cm_store_insert(s, id, "src", r), CM_OK);
    }
    cm_file_counts fc = {5, 5, 0};
    assert_int_equal(cm_store_file_commit(s, id, &fc), 0);
    cm_store_close(s);
    for (size_t i = 0; i < sizeof times / sizeof *times; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT start_utc FROM calls WHERE source_record = %zu", i + 1);
        expect_text(c->db, sql, times[i].want);
    }
    assert_int_equal(q_int(c->db, "SELECT count(*) FROM calls WHERE end_utc IS NULL"), 5);
}

static void test_insert_refused(void **state)
{
    ctx *c = *state;
    cm_store *s = open_ok(c->db);
    int64_t run = cm_store_run_begin(s, "p", NULL, 0);
    cm_file_info fi = file_info(run, SHA_A);
    int64_t id = 0;
    assert_int_equal(cm_store_file_begin(s, &fi, &id), 0);
    call_buf b;

    /* a CHECK the schema enforces: the record's fault, not the store's */
    cm_record *r = make_call(&b, 1);
    cm_set_text(r, CM_CALL_DIRECTION, "sideways");
    assert_int_equal(cm_store_insert(s, id, "src", r), CM_REJECT);
    assert_non_null(strstr(cm_store_error(s), "CHECK constraint failed"));
    assert_string_equal(cm_store_error(s),
                        "CHECK constraint failed: direction = 'inbound' OR direction = 'outbound' OR direction = 'internal'");

    r = make_call(&b, 2);
    cm_set_int(r, CM_CALL_DURATION_S, -1);
    assert_int_equal(cm_store_insert(s, id, "src", r), CM_REJECT);
    assert_string_equal(cm_store_error(s), "CHECK constraint failed: duration_s >= 0");

    r = make_call(&b, 3);
    cm_set_int(r, CM_CALL_TRANSFERRED, 2);
    assert_int_equal(cm_store_insert(s, id, "src", r), CM_REJECT);
    assert_string_equal(cm_store_error(s), "CHECK constraint failed: transferred = 0 OR transferred = 1");

    /* a NOT NULL column left unset */
    r = make_call(&b, 4);
    cm_set_null(r, CM_CALL_START_UTC);
    assert_int_equal(cm_store_insert(s, id, "src", r), CM_REJECT);
    assert_string_equal(cm_store_error(s), "NOT NULL constraint failed: calls.start_utc");

    /* a record of an older plugin with fewer columns: the rest is NULL */
    r = make_call(&b, 5);
    r->ncols = CM_CALL_CHARGE_DKK;
    assert_int_equal(cm_store_insert(s, id, "src", r), CM_OK);

    /* more columns than the table has: the store's error, not a reject */
    call_buf big;
    cm_value v[CM_CALL__COUNT + 1];
    make_call(&big, 6);
    memcpy(v, big.v, sizeof big.v);
    v[CM_CALL__COUNT].type = CM_NULL;
    big.rec.v = v;
    big.rec.ncols = CM_CALL__COUNT + 1;
    assert_int_equal(cm_store_insert(s, id, "src", &big.rec), CM_ERROR);
    char want_cols[80];
    snprintf(want_cols, sizeof want_cols, "a record has %d columns, the calls table takes %d",
             CM_CALL__COUNT + 1, CM_CALL__COUNT);
    assert_string_equal(cm_store_error(s), want_cols);

    /* a dataset the store does not know */
    r = make_call(&b, 7);
    r->dataset = (cm_dataset)99;
    assert_int_equal(cm_store_insert(s, id, "src", r), CM_ERROR);
    assert_string_equal(cm_store_error(s), "records of an unknown dataset (99)");

    /* the refused inserts did not end the transaction: a good record still goes in */
    assert_int_equal(cm_store_insert(s, id, "src", make_call(&b, 8)), CM_OK);
    cm_file_counts fc = {8, 2, 6};
    assert_int_equal(cm_store_file_commit(s, id, &fc), 0);
    cm_store_close(s);

    assert_int_equal(q_int(c->db, "SELECT count(*) FROM calls"), 2);
    expect_text(c->db, "SELECT group_concat(source_record, ',') FROM calls", "5,8");
    expect_text(c->db, "SELECT ifnull(charge_dkk, 'null') || '|' || ifnull(end_utc, 'null') ||"
                       " '|' || outcome FROM calls WHERE source_record = 5",
                "null|null|answered");
}

static void test_reject_raw_cap(void **state)
{
    ctx *c = *state;
    cm_store *s = open_ok(c->db);
    int64_t run = cm_store_run_begin(s, "p", NULL, 0);
    cm_file_info fi = file_info(run, SHA_A);
    int64_t id = 0;
    assert_int_equal(cm_store_file_begin(s, &fi, &id), 0);
    char raw[1500];
    memset(raw, 'r', sizeof raw);
    assert_int_equal(cm_store_reject(s, id, 1, "too long", raw, sizeof raw), 0);
    assert_int_equal(cm_store_reject(s, id, 2, "exact", raw, CM_REJECT_RAW_MAX), 0);
    assert_int_equal(cm_store_reject(s, id, 3, "no raw", NULL, 0), 0);
    assert_int_equal(cm_store_reject(s, id, 4, "short", "ab\0cd", 5), 0); /* length, not NUL */
    cm_file_counts fc = {4, 0, 4};
    assert_int_equal(cm_store_file_commit(s, id, &fc), 0);
    cm_store_close(s);
    assert_int_equal(q_int(c->db, "SELECT length(CAST(raw AS BLOB)) FROM rejects WHERE record = 1"),
                     CM_REJECT_RAW_MAX);
    assert_int_equal(q_int(c->db, "SELECT length(CAST(raw AS BLOB)) FROM rejects WHERE record = 2"),
                     CM_REJECT_RAW_MAX);
    assert_int_equal(q_int(c->db, "SELECT raw IS NULL FROM rejects WHERE record = 3"), 1);
    assert_int_equal(q_int(c->db, "SELECT length(CAST(raw AS BLOB)) FROM rejects WHERE record = 4"), 5);
}

static void test_rollback(void **state)
{
    ctx *c = *state;
    cm_store *s = open_ok(c->db);
    int64_t run = cm_store_run_begin(s, "p", NULL, 0);
    cm_file_info fi = file_info(run, SHA_A);
    int64_t id = 0;
    assert_int_equal(cm_store_file_begin(s, &fi, &id), 0);
    assert_int_equal(id, 1);
    call_buf b;
    assert_int_equal(cm_store_insert(s, id, "src", make_call(&b, 1)), CM_OK);
    assert_int_equal(cm_store_insert(s, id, "src", make_call(&b, 2)), CM_OK);
    assert_int_equal(cm_store_reject(s, id, 3, "nope", "raw", 3), 0);
    assert_int_equal(cm_store_counter(s, id, "n", 1), 0);
    cm_store_file_rollback(s);
    cm_store_file_rollback(s); /* a second rollback outside a transaction is harmless */

    assert_int_equal(q_int(c->db, "SELECT count(*) FROM source_files"), 0);
    assert_int_equal(q_int(c->db, "SELECT count(*) FROM calls"), 0);
    assert_int_equal(q_int(c->db, "SELECT count(*) FROM rejects"), 0);
    assert_int_equal(q_int(c->db, "SELECT count(*) FROM source_file_counters"), 0);
    char status[16];
    int64_t found = 0;
    assert_int_equal(cm_store_find_file(s, "src", SHA_A, &found, status), 0);
    /* the run itself was not part of the file's transaction */
    assert_int_equal(q_int(c->db, "SELECT count(*) FROM runs"), 1);

    /* the same file loads afterwards */
    assert_true(load_file(s, run, SHA_A, 0, 2) > 0);
    assert_int_equal(q_int(c->db, "SELECT count(*) FROM calls"), 2);
    cm_store_close(s);
}

static void test_reprocess(void **state)
{
    ctx *c = *state;
    cm_store *s = open_ok(c->db);
    int64_t run1 = cm_store_run_begin(s, "p", NULL, 0);
    int64_t id = load_file(s, run1, SHA_A, 0, 3);
    int64_t other = load_file(s, run1, SHA_B, 0, 2);
    cm_run_totals t = {0};
    assert_int_equal(cm_store_run_end(s, run1, "ok", &t), 0);

    assert_int_equal(q_int(c->db, "SELECT count(*) FROM calls"), 5);
    int64_t calls_before = q_int(c->db, "SELECT count(*) FROM calls WHERE source_file_id = 1");
    int64_t rej_before = q_int(c->db, "SELECT count(*) FROM rejects WHERE source_file_id = 1");

    int64_t run2 = cm_store_run_begin(s, "p", NULL, 1);
    int64_t again = load_file(s, run2, SHA_A, id, 3);
    assert_int_equal(again, id); /* the id is reused */
    assert_int_equal(q_int(c->db, "SELECT count(*) FROM source_files"), 2);
    assert_int_equal(q_int(c->db, "SELECT count(*) FROM calls WHERE source_file_id = 1"),
                     calls_before);
    assert_int_equal(q_int(c->db, "SELECT count(*) FROM rejects WHERE source_file_id = 1"),
                     rej_before);
    /* counters are replaced, not added to the earlier load's */
    expect_text(c->db, "SELECT group_concat(name || '=' || value, ',') FROM (SELECT * FROM"
                       " source_file_counters WHERE source_file_id = 1 ORDER BY name)",
                "ambiguous_times=5,gaps=1");
    /* the row now belongs to the new run; the other file is untouched */
    assert_int_equal(q_int(c->db, "SELECT run_id FROM source_files WHERE id = 1"), run2);
    assert_int_equal(q_int(c->db, "SELECT run_id FROM source_files WHERE id = 2"), run1);
    assert_int_equal(q_int(c->db, "SELECT count(*) FROM calls WHERE source_file_id = 2"), 2);
    assert_int_equal(other, 2);

    /* a reprocess with fewer records leaves only those */
    assert_int_equal(load_file(s, run2, SHA_A, id, 1), id);
    assert_int_equal(q_int(c->db, "SELECT count(*) FROM calls WHERE source_file_id = 1"), 1);
    expect_text(c->db, "SELECT records_read || '|' || records_loaded || '|' || status FROM"
                       " source_files WHERE id = 1",
                "2|1|loaded");

    /* a reprocess that is rolled back keeps the earlier load */
    cm_file_info fi = file_info(run2, SHA_A);
    int64_t rid = id;
    assert_int_equal(cm_store_file_begin(s, &fi, &rid), 0);
    assert_int_equal(rid, id);
    cm_store_file_rollback(s);
    assert_int_equal(q_int(c->db, "SELECT count(*) FROM calls WHERE source_file_id = 1"), 1);
    expect_text(c->db, "SELECT status FROM source_files WHERE id = 1", "loaded");
    cm_store_close(s);
}

static void test_file_failed(void **state)
{
    ctx *c = *state;
    cm_store *s = open_ok(c->db);
    int64_t run = cm_store_run_begin(s, "p", NULL, 0);
    cm_file_info fi = file_info(run, SHA_A);
    char r1[] = "first reason", r2[] = "second reason", raw1[] = "1;2;3";
    cm_kept_reject kept[] = {{.record = 7, .reason = r1, .raw = raw1},
                             {.record = 9, .reason = r2, .raw = NULL}};
    cm_file_counts fc = {.read = 10, .loaded = 0, .rejected = 2};
    int64_t id = 0;
    assert_int_equal(cm_store_file_failed(s, &fi, &id, &fc, "read error: boom", kept, 2), 0);
    assert_int_equal(id, 1);

    char status[16];
    int64_t found = 0;
    assert_int_equal(cm_store_find_file(s, "src", SHA_A, &found, status), 1);
    assert_int_equal(found, id);
    assert_string_equal(status, "failed");
    expect_text(c->db, "SELECT status || '|' || error || '|' || records_read || '|' ||"
                       " records_loaded || '|' || records_rejected || '|' ||"
                       " ifnull(loaded_utc, '<NULL>') FROM source_files WHERE id = 1",
                "failed|read error: boom|10|0|2|<NULL>");
    expect_text(c->db, "SELECT group_concat(record || ':' || reason || ':' || ifnull(raw, '<NULL>'),"
                       " ',') FROM (SELECT * FROM rejects WHERE source_file_id = 1 ORDER BY id)",
                "7:first reason:1;2;3,9:second reason:<NULL>");
    assert_int_equal(q_int(c->db, "SELECT count(*) FROM calls"), 0);

    /* a retry that loads: same id, the failed load's rejects are gone, the
     * error is cleared */
    assert_int_equal(load_file(s, run, SHA_A, id, 2), id);
    expect_text(c->db, "SELECT status || '|' || ifnull(error, '<NULL>') FROM source_files"
                       " WHERE id = 1",
                "loaded|<NULL>");
    assert_int_equal(q_int(c->db, "SELECT count(*) FROM rejects WHERE source_file_id = 1"), 1);
    assert_int_equal(q_int(c->db, "SELECT count(*) FROM calls WHERE source_file_id = 1"), 2);

    /* a reprocess of a loaded file that fails: its rows are deleted */
    fc = (cm_file_counts){.read = 1, .loaded = 0, .rejected = 0};
    int64_t rid = id;
    assert_int_equal(cm_store_file_failed(s, &fi, &rid, &fc, "too many rejects", NULL, 0), 0);
    assert_int_equal(rid, id);
    assert_int_equal(q_int(c->db, "SELECT count(*) FROM calls"), 0);
    assert_int_equal(q_int(c->db, "SELECT count(*) FROM rejects"), 0);
    assert_int_equal(q_int(c->db, "SELECT count(*) FROM source_file_counters"), 0);
    expect_text(c->db, "SELECT status || '|' || error FROM source_files WHERE id = 1",
                "failed|too many rejects");
    assert_int_equal(q_int(c->db, "SELECT count(*) FROM source_files"), 1);

    /* recording a failure while a file's transaction is open fails cleanly */
    cm_file_info fb = file_info(run, SHA_B);
    int64_t bid = 0;
    assert_int_equal(cm_store_file_begin(s, &fb, &bid), 0);
    int64_t fid = 0;
    assert_int_equal(cm_store_file_failed(s, &fb, &fid, &fc, "x", NULL, 0), -1);
    char *want = cm_asprintf("%s: cannot start a transaction within a transaction", c->db);
    assert_string_equal(cm_store_error(s), want);
    free(want);
    cm_store_file_rollback(s);
    cm_store_close(s);
}

/* ------------------------------------------------------------ the run lock */

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void test_lock(void **state)
{
    ctx *c = *state;
    cm_store *a = open_ok(c->db);
    char *holder = NULL;
    assert_int_equal(cm_store_lock(a, 0, &holder), 0);
    assert_null(holder);
    char *lockfile = cm_asprintf("%s.lock", c->db);
    struct stat sb;
    assert_int_equal(stat(lockfile, &sb), 0);

    /* locked, but no run has described itself yet */
    cm_store *b = open_ok(c->db);
    assert_int_equal(cm_store_lock(b, 0, &holder), 1);
    assert_string_equal(holder, "another callmap process");
    free(holder);
    holder = NULL;

    int64_t run = cm_store_run_begin(a, "p", "p.xml", 0);
    assert_int_equal(run, 1);
    char *started = q_text(c->db, "SELECT started_utc FROM runs WHERE id = 1");
    char *want = cm_asprintf("run 1 of pipeline 'p' (pid %ld, started %s)", (long)getpid(), started);

    double t0 = now_s();
    assert_int_equal(cm_store_lock(b, 0.2, &holder), 1);
    double waited = now_s() - t0;
    assert_non_null(holder);
    assert_string_equal(holder, want);
    free(holder);
    holder = NULL;
    assert_true(waited >= 0.19);
    assert_true(waited < 5.0);

    /* the lock file holds the description with a newline */
    FILE *f = fopen(lockfile, "r");
    char line[512] = "";
    assert_non_null(fgets(line, sizeof line, f));
    fclose(f);
    char *want_nl = cm_asprintf("%s\n", want);
    assert_string_equal(line, want_nl);
    free(want_nl);

    /* run_end clears the description, the lock stays */
    cm_run_totals t = {0};
    assert_int_equal(cm_store_run_end(a, run, "ok", &t), 0);
    assert_int_equal(stat(lockfile, &sb), 0);
    assert_int_equal(sb.st_size, 0);
    assert_int_equal(cm_store_lock(b, 0, &holder), 1);
    assert_string_equal(holder, "another callmap process");
    free(holder);
    holder = NULL;

    /* closing the holder releases the lock */
    cm_store_close(a);
    assert_int_equal(cm_store_lock(b, 0, &holder), 0);
    assert_null(holder);

    /* and now b holds it against a third */
    cm_store *d = open_ok(c->db);
    assert_int_equal(cm_store_lock(d, 0, &holder), 1);
    assert_string_equal(holder, "another callmap process");
    free(holder);
    cm_store_close(d);
    cm_store_close(b);

    free(want);
    free(started);
    free(lockfile);
}

static void test_lock_unwritable(void **state)
{
    ctx *c = *state;
    cm_store *s = open_ok(c->db);
    /* a folder where the lock file should be */
    char *lockfile = cm_asprintf("%s.lock", c->db);
    assert_int_equal(mkdir(lockfile, 0755), 0);
    char *holder = NULL;
    assert_int_equal(cm_store_lock(s, 0, &holder), -1);
    assert_null(holder);
    char *want = cm_asprintf("%s: cannot open: Is a directory", lockfile);
    assert_string_equal(cm_store_error(s), want);
    free(want);
    cm_store_close(s);
    free(lockfile);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_creates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_newer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_foreign, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_not_sqlite, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_bad_folder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_runs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_utc_format, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insert_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reject_raw_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reprocess, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_failed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lock_unwritable, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
