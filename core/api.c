/* The host side of the plugin API: what a plugin can do through cm_api. */
#include "csvread.h"
#include "engine.h"
#include "phone.h"
#include "recode.h"
#include "text.h"
#include "util.h"

#include <sqlite3.h>
#include <strings.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void api_log(cm_instance *inst, cm_log_level level, const char *fmt, ...)
{
    static const char *const names[] = {"error", "warning", "info", "debug"};
    if (level > CM_LOG_INFO && !getenv("CALLMAP_DEBUG"))
        return;
    if (level >= CM_LOG_INFO && inst->eng && inst->eng->quiet)
        return;
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (inst->eng && inst->eng->progress)
        fputs("\r\033[K", stderr);
    fprintf(stderr, "callmap: %s: [%s]%s%s %s\n", names[level <= CM_LOG_DEBUG ? level : 0],
            inst->step->id, inst->current ? " " : "", inst->current ? inst->current->name : "",
            msg);
}

/* The bytes as they are in the file: these are hashed. */
static long raw_read(void *ctx, void *buf, size_t n)
{
    cm_stream *s = ctx;
    long got = cm_container_read(s->container, buf, n);
    if (got < 0) {
        s->read_failed = 1;
        snprintf(s->error, sizeof s->error, "%s", cm_container_error(s->container));
        return -1;
    }
    if (got > 0) {
        cm_sha256_update(s->hash, buf, (size_t)got);
        s->bytes_read += got;
        if (s->eng->progress)
            cm_stream_progress(s, 0);
    }
    return got;
}

static long api_read(cm_stream *s, void *buf, size_t n)
{
    if (s->read_failed)
        return -1;
    if (s->recode)
        return cm_recode_read(s->recode, raw_read, s, buf, n, &s->replaced);
    return raw_read(s, buf, n);
}

static int is_utf8(const char *name)
{
    return strcasecmp(name, "UTF-8") == 0 || strcasecmp(name, "UTF8") == 0;
}

static int api_set_encoding(cm_stream *s, const char *encoding)
{
    if (s->bytes_read > 0 || s->recode) {
        snprintf(s->error, sizeof s->error, "the input encoding must be set before reading");
        return CM_ERROR;
    }
    if (is_utf8(encoding))
        return CM_OK;
    s->recode = cm_recode_new(encoding);
    if (!s->recode) {
        snprintf(s->error, sizeof s->error, "unknown encoding '%s'", encoding);
        return CM_ERROR;
    }
    return CM_OK;
}

static int api_encoding_known(const char *encoding)
{
    return is_utf8(encoding) || cm_encoding_known(encoding);
}

static int api_utf8_valid(const char *str, size_t n) { return cm_utf8_valid(str, n); }

static int api_parse_decimal(const char *text, int decimal_comma, double *out)
{
    return cm_parse_decimal(text, decimal_comma, out) == 0 ? CM_OK : CM_ERROR;
}

static int api_parse_date(const char *text, const char *format, int *y, int *m, int *d)
{
    return cm_parse_date(text, format, y, m, d) == 0 ? CM_OK : CM_ERROR;
}

static void api_warn(cm_stream *s, int64_t record_no, const char *fmt, ...)
{
    if (s->store_failed)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    s->warnings++;
    if (cm_store_warning(s->eng->store, s->file_id, record_no, msg)) {
        s->store_failed = 1;
        snprintf(s->error, sizeof s->error, "%s", cm_store_error(s->eng->store));
    }
}

static int api_sql_exec(cm_run *r, const char *sql)
{
    if (cm_store_exec(r->eng->store, sql) == 0)
        return CM_OK;
    api_log(r->inst, CM_LOG_ERROR, "SQL failed: %s", cm_store_error(r->eng->store));
    return CM_ERROR;
}

static int api_sql_query(cm_run *r, const char *sql,
                         int (*row)(void *ctx, int ncols, const char *const *values), void *ctx)
{
    sqlite3 *db = cm_store_db(r->eng->store);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        api_log(r->inst, CM_LOG_ERROR, "SQL failed: %s", sqlite3_errmsg(db));
        return CM_ERROR;
    }
    int n = sqlite3_column_count(st), rc;
    const char **vals = cm_xcalloc((size_t)n + 1, sizeof *vals);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < n; i++)
            vals[i] = (const char *)sqlite3_column_text(st, i);
        if (row(ctx, n, vals)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    free(vals);
    if (rc != SQLITE_DONE)
        api_log(r->inst, CM_LOG_ERROR, "SQL failed: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? CM_OK : CM_ERROR;
}

static void api_report(cm_run *r, const char *source_id, const char *name, int64_t value,
                       const char *detail)
{
    cm_engine *e = r->eng;
    e->reports = cm_xrealloc(e->reports, (e->nreports + 1) * sizeof *e->reports);
    e->reports[e->nreports++] = (cm_report){
        .source = cm_xstrdup(source_id ? source_id : r->inst->step->id),
        .name = cm_xstrdup(name),
        .detail = detail ? cm_xstrdup(detail) : NULL,
        .value = value};
}

static int api_run_changed(cm_run *r) { return r->eng->changed; }

static const char *api_stream_name(cm_stream *s) { return s->name; }
static const char *api_stream_error(cm_stream *s) { return s->error; }

static long csv_read_fn(void *ctx, void *buf, size_t n) { return api_read(ctx, buf, n); }

/* The SDK's cm_csv: the core's reader plus the stream, so that a reader error
 * (a record over the size limit) becomes the file's error message. */
struct cm_csv {
    cm_csv_reader *r;
    cm_stream *s;
};

static cm_csv *api_csv_open(cm_stream *s, char delimiter, char quote, unsigned flags)
{
    cm_csv *c = cm_xmalloc(sizeof *c);
    c->r = cm_csv_reader_new(csv_read_fn, s, delimiter, quote);
    cm_csv_reader_set_single_line(c->r, (flags & CM_CSV_SINGLE_LINE) != 0);
    c->s = s;
    return c;
}

static int api_csv_next(cm_csv *c, cm_csv_row *row)
{
    int rc = cm_csv_reader_next(c->r, row);
    if (rc < 0 && !c->s->read_failed) {
        c->s->read_failed = 1;
        snprintf(c->s->error, sizeof c->s->error, "%s", cm_csv_reader_error(c->r));
    }
    return rc;
}

static void api_csv_close(cm_csv *c)
{
    if (!c)
        return;
    cm_csv_reader_free(c->r);
    free(c);
}

static void keep_reject(cm_stream *s, int64_t record, const char *reason, const char *raw,
                        size_t raw_len)
{
    if (s->nkept == CM_KEEP_REJECTS)
        return;
    cm_kept_reject *k = &s->kept[s->nkept++];
    k->record = record;
    k->reason = cm_xstrdup(reason);
    k->raw = raw ? cm_xstrndup(raw, raw_len > CM_REJECT_RAW_MAX ? CM_REJECT_RAW_MAX : raw_len)
                 : NULL;
}

static int reject_text(cm_stream *s, int64_t record_no, const char *raw, size_t raw_len,
                       const char *reason)
{
    if (s->store_failed)
        return CM_ERROR;
    s->rejected++;
    keep_reject(s, record_no, reason, raw, raw_len);
    if (cm_store_reject(s->eng->store, s->file_id, record_no, reason, raw, raw_len)) {
        s->store_failed = 1;
        snprintf(s->error, sizeof s->error, "%s", cm_store_error(s->eng->store));
        return CM_ERROR;
    }
    return CM_OK;
}

static int api_vreject(cm_stream *s, int64_t record_no, const char *raw, size_t raw_len,
                       const char *fmt, va_list ap)
{
    char reason[1024];
    vsnprintf(reason, sizeof reason, fmt, ap);
    return reject_text(s, record_no, raw, raw_len, reason);
}

static int api_reject(cm_stream *s, int64_t record_no, const char *raw, size_t raw_len,
                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = api_vreject(s, record_no, raw, raw_len, fmt, ap);
    va_end(ap);
    return rc;
}

static void api_fail(cm_stream *s, const char *fmt, ...)
{
    if (s->error[0])
        return; /* the first reason is the cause */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->error, sizeof s->error, fmt, ap);
    va_end(ap);
}

static int api_emit(cm_stream *s, cm_record *rec)
{
    if (s->store_failed)
        return CM_ERROR;
    cm_engine *e = s->eng;
    for (size_t i = 0; i < e->ninst; i++) {
        cm_instance *t = &e->inst[i];
        if (t->kind->type != CM_KIND_TRANSFORM || !t->kind->transform ||
            t->kind->dataset != rec->dataset)
            continue;
        int64_t before = s->rejected;
        t->current = s;
        int rc = t->kind->transform(t->state, s, rec);
        t->current = NULL;
        if (rc == CM_REJECT) {
            if (s->rejected == before) /* the transform gave no reason itself */
                return reject_text(s, rec->source_record, rec->raw, rec->raw_len,
                                   "rejected by a transform");
            return CM_OK;
        }
        if (rc != CM_OK) {
            snprintf(s->error, sizeof s->error, "transform %s failed", t->step->id);
            s->store_failed = 1;
            return CM_ERROR;
        }
    }
    int rc = cm_store_insert(e->store, s->file_id, s->inst->step->id, rec);
    if (rc == CM_OK) {
        s->loaded++;
        return CM_OK;
    }
    if (rc == CM_REJECT) {
        char reason[1100];
        snprintf(reason, sizeof reason, "the store refused the record: %s",
                 cm_store_error(e->store));
        return reject_text(s, rec->source_record, rec->raw, rec->raw_len, reason);
    }
    s->store_failed = 1;
    snprintf(s->error, sizeof s->error, "%s", cm_store_error(e->store));
    return CM_ERROR;
}

static void api_count(cm_stream *s, const char *name, int64_t n)
{
    for (int i = 0; i < s->ncounters; i++) {
        if (strcmp(s->counters[i].name, name) == 0) {
            s->counters[i].value += n;
            return;
        }
    }
    if (s->ncounters == CM_MAX_COUNTERS)
        return;
    cm_counter *c = &s->counters[s->ncounters++];
    cm_strlcpy(c->name, name, sizeof c->name);
    c->value = n;
}

static cm_time_result api_local_to_utc(cm_instance *inst, int year, int mon, int day, int hour,
                                       int min, int sec, int64_t *first, int64_t *second)
{
    return cm_tz_local_to_utc(inst->tz, year, mon, day, hour, min, sec, first, second);
}

static int api_utc_to_local(cm_instance *inst, int64_t utc, char out[20])
{
    cm_format_local(inst->tz, utc, out);
    return CM_OK;
}

static const char *api_timezone_name(cm_instance *inst) { return cm_tz_name(inst->tz); }

const cm_api cm_host_api = {
    .abi_major = CALLMAP_ABI_MAJOR,
    .abi_minor = CALLMAP_ABI_MINOR,
    .size = sizeof(cm_api),
    .log = api_log,
    .read = api_read,
    .stream_name = api_stream_name,
    .stream_error = api_stream_error,
    .csv_open = api_csv_open,
    .csv_next = api_csv_next,
    .csv_close = api_csv_close,
    .emit = api_emit,
    .reject = api_reject,
    .count = api_count,
    .local_to_utc = api_local_to_utc,
    .utc_to_local = api_utc_to_local,
    .timezone_name = api_timezone_name,
    .fail = api_fail,
    .vreject = api_vreject,
    .set_encoding = api_set_encoding,
    .encoding_known = api_encoding_known,
    .utf8_valid = api_utf8_valid,
    .parse_decimal = api_parse_decimal,
    .parse_date = api_parse_date,
    .cvr_valid = cm_cvr_valid,
    .ean_valid = cm_ean_valid,
    .warn = api_warn,
    .sql_exec = api_sql_exec,
    .sql_query = api_sql_query,
    .report = api_report,
    .run_changed = api_run_changed,
    .number_normalize = cm_number_normalize,
    .number_type_name = cm_number_type_name,
};
