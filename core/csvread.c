/*
 * Pull CSV reader.  Input is buffered; physical lines are found with memchr
 * and each one is handed to libcsv, which does all field parsing.  Whether a
 * record ends at a line end is decided by libcsv itself: the line's
 * terminator is fed to it, and with CSV_REPALL_NL it reports every unquoted
 * line end as a row end, so a quoted field spanning lines just keeps going
 * (and a stray quote inside an unquoted field does not glue lines together).
 *
 * The raw text of a record is a slice of the input buffer, which is only
 * compacted or grown at the next call; fields live in a reused arena.
 */
#include "csvread.h"
#include "util.h"

#include <csv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF_INIT (64 * 1024)

struct cm_csv_reader {
    cm_read_fn read;
    void *ctx;
    struct csv_parser p;

    char *buf;        /* input; buf[pos..end) not yet consumed */
    size_t cap, pos, end;
    int eof, started, failed, done;
    int64_t line;     /* physical lines consumed so far */

    /* the current record's fields: arena of NUL-terminated strings */
    char *arena;
    size_t alen, acap;
    size_t *offs, *lens;
    const char **fields;
    size_t nf, fcap;
    int row_ended;    /* libcsv reported the end of a row */
    int single_line;  /* every line ends a record, even inside quotes */

    char err[96];
};

/* ---------------------------------------------------------------- libcsv */

static void on_field(void *s, size_t len, void *data)
{
    cm_csv_reader *r = data;
    if (r->nf == r->fcap) {
        r->fcap = r->fcap ? r->fcap * 2 : 32;
        r->offs = cm_xrealloc(r->offs, r->fcap * sizeof *r->offs);
        r->lens = cm_xrealloc(r->lens, r->fcap * sizeof *r->lens);
        r->fields = cm_xrealloc(r->fields, r->fcap * sizeof *r->fields);
    }
    if (r->alen + len + 1 > r->acap) {
        size_t want = r->alen + len + 1;
        while (r->acap < want)
            r->acap *= 2;
        r->arena = cm_xrealloc(r->arena, r->acap);
    }
    char *dst = r->arena + r->alen;
    if (len)
        memcpy(dst, s, len);
    dst[len] = '\0';
    r->offs[r->nf] = r->alen;
    r->lens[r->nf] = len;
    r->nf++;
    r->alen += len + 1;
    r->row_ended = 0;
}

static void on_row(int c, void *data)
{
    (void)c;
    ((cm_csv_reader *)data)->row_ended = 1;
}

/* ---------------------------------------------------------------- public */

cm_csv_reader *cm_csv_reader_new(cm_read_fn read, void *ctx, char delimiter, char quote)
{
    cm_csv_reader *r = cm_xcalloc(1, sizeof *r);
    if (csv_init(&r->p, CSV_REPALL_NL) != 0) {
        free(r);
        return NULL;
    }
    csv_set_delim(&r->p, (unsigned char)delimiter);
    csv_set_quote(&r->p, (unsigned char)quote);
    csv_set_blk_size(&r->p, 4096);
    r->read = read;
    r->ctx = ctx;
    r->cap = BUF_INIT;
    r->buf = cm_xmalloc(r->cap);
    r->acap = 4096;
    r->arena = cm_xmalloc(r->acap);
    return r;
}

void cm_csv_reader_free(cm_csv_reader *r)
{
    if (!r)
        return;
    csv_free(&r->p);
    free(r->buf);
    free(r->arena);
    free(r->offs);
    free(r->lens);
    free(r->fields);
    free(r);
}

const char *cm_csv_reader_error(cm_csv_reader *r) { return r->err[0] ? r->err : "no error"; }

static int fail(cm_csv_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(cm_csv_reader *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, sizeof r->err, fmt, ap);
    va_end(ap);
    r->failed = 1;
    return -1;
}

/* Moves the unconsumed bytes from *keep on to the front (rebasing the
 * offsets the caller holds), grows the buffer if it is full, and reads more.
 * One byte is always left free so raw text can be NUL-terminated.
 * Returns 1 with more data, 0 at end of input, -1 on a read error. */
static int refill(cm_csv_reader *r, size_t *keep, size_t *scan)
{
    size_t k = *keep;
    if (k > 0) {
        memmove(r->buf, r->buf + k, r->end - k);
        r->end -= k;
        r->pos -= k < r->pos ? k : r->pos;
        *scan -= k;
        *keep = 0;
    }
    if (r->cap - r->end < 4096 + 1) {
        r->cap *= 2;
        r->buf = cm_xrealloc(r->buf, r->cap);
    }
    long n = r->read(r->ctx, r->buf + r->end, r->cap - r->end - 1);
    if (n < 0)
        return -1;
    if (n == 0) {
        r->eof = 1;
        return 0;
    }
    r->end += (size_t)n;
    return 1;
}

static int parse(cm_csv_reader *r, const char *s, size_t len, int64_t line)
{
    if (len && csv_parse(&r->p, s, len, on_field, on_row, r) != len)
        return fail(r, "line %lld: %s", (long long)line, csv_strerror(csv_error(&r->p)));
    return 0;
}

int cm_csv_reader_next(cm_csv_reader *r, cm_csv_row *row)
{
    if (r->failed)
        return -1;
    if (r->done)
        return 0;

    if (!r->started) { /* skip a UTF-8 BOM at the very start */
        size_t keep = r->pos, scan = r->pos;
        while (r->end < 3 && !r->eof) {
            if (refill(r, &keep, &scan) < 0)
                return fail(r, "read error");
        }
        if (r->end >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0)
            r->pos = 3;
        r->started = 1;
    }

    r->nf = 0;
    r->alen = 0;
    size_t rs = r->pos;   /* start of the record */
    size_t scan = r->pos; /* start of the next physical line */
    int in_record = 0;
    int64_t first = r->line + 1;

    for (;;) {
        char *b = r->buf;
        char *nl = memchr(b + scan, '\n', r->end - scan);
        size_t le, next;
        if (nl) {
            le = (size_t)(nl - b);
            next = le + 1;
        } else if (!r->eof) {
            if (r->end - rs > (size_t)CM_CSV_MAX_RECORD + 1)
                return fail(r, "line %lld: record longer than %d bytes", (long long)first,
                            CM_CSV_MAX_RECORD);
            int rc = refill(r, &rs, &scan);
            if (rc < 0)
                return fail(r, "read error");
            continue;
        } else if (scan < r->end) {
            le = next = r->end; /* last line without a line end */
        } else { /* end of input */
            if (!in_record) {
                r->pos = r->end;
                r->done = 1;
                return 0;
            }
            /* a quoted field still open at the end: libcsv takes what it has */
            if (csv_fini(&r->p, on_field, on_row, r) != 0)
                return fail(r, "line %lld: %s", (long long)first,
                            csv_strerror(csv_error(&r->p)));
            size_t raw_end = r->end;
            while (raw_end > rs && (b[raw_end - 1] == '\n' || b[raw_end - 1] == '\r'))
                raw_end--;
            r->pos = r->end;
            r->done = 1;
            if (raw_end - rs > CM_CSV_MAX_RECORD)
                return fail(r, "line %lld: record longer than %d bytes", (long long)first,
                            CM_CSV_MAX_RECORD);
            le = raw_end;
            goto emit;
        }

        size_t ce = le; /* content end: without a trailing '\r' */
        if (ce > scan && b[ce - 1] == '\r')
            ce--;
        r->line++;
        if (!in_record) {
            if (ce == scan) { /* blank line */
                scan = rs = r->pos = next;
                first = r->line + 1;
                continue;
            }
            in_record = 1;
            first = r->line;
            rs = scan;
        }
        if (ce - rs > CM_CSV_MAX_RECORD)
            return fail(r, "line %lld: record longer than %d bytes", (long long)first,
                        CM_CSV_MAX_RECORD);

        r->row_ended = 0;
        if (parse(r, b + scan, ce - scan, first) < 0)
            return -1;
        if (nl) {
            r->row_ended = 0;
            if (parse(r, b + ce, next - ce, first) < 0)
                return -1;
            if (!r->row_ended && !r->single_line) { /* inside a quoted field: it goes on */
                scan = next;
                continue;
            }
            /* single-line formats: a broken quote costs one record, not the next ones */
            if (!r->row_ended && csv_fini(&r->p, on_field, on_row, r) != 0)
                return fail(r, "line %lld: %s", (long long)first,
                            csv_strerror(csv_error(&r->p)));
        } else { /* the last line of the input */
            if (csv_fini(&r->p, on_field, on_row, r) != 0)
                return fail(r, "line %lld: %s", (long long)first,
                            csv_strerror(csv_error(&r->p)));
            r->done = 1;
        }
        r->pos = next;
        le = ce;
        if (r->nf == 0) { /* only blanks: a blank line */
            if (r->done)
                return 0;
            in_record = 0;
            scan = rs = next;
            first = r->line + 1;
            continue;
        }
    emit:
        b[le] = '\0'; /* a consumed '\r' or '\n', or the spare byte */
        for (size_t i = 0; i < r->nf; i++)
            r->fields[i] = r->arena + r->offs[i];
        row->nfields = r->nf;
        row->fields = r->fields;
        row->lengths = r->lens;
        row->line = first;
        row->raw = b + rs;
        row->raw_len = le - rs;
        return 1;
    }
}

void cm_csv_reader_set_single_line(cm_csv_reader *r, int on) { r->single_line = on; }
