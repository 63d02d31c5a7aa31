/*
 * HR exports as CSV tables: a header row names the columns (any order),
 * ';' or ',' separated, UTF-8.  Also the small helpers the kinds share:
 * dates, a string set and sets of validity periods.
 */
#include "hr.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- options */

int hr_separator(const char *opt)
{
    if (!opt || strcmp(opt, "auto") == 0)
        return 0;
    if (strcmp(opt, ";") == 0 || strcmp(opt, ",") == 0)
        return opt[0];
    if (strcmp(opt, "tab") == 0 || strcmp(opt, "\t") == 0)
        return '\t';
    return -1;
}

int hr_date_format_ok(const char *fmt)
{
    int dd = 0, mm = 0, yyyy = 0;
    for (const char *p = fmt; *p;) {
        if (strncmp(p, "yyyy", 4) == 0)
            yyyy++, p += 4;
        else if (strncmp(p, "dd", 2) == 0)
            dd++, p += 2;
        else if (strncmp(p, "mm", 2) == 0)
            mm++, p += 2;
        else if (strchr("-./ ", *p))
            p++;
        else
            return 0;
    }
    return dd == 1 && mm == 1 && yyyy == 1;
}

/* ---------------------------------------------------------------- dates */

int hr_date(const cm_api *api, const char *text, const char *fmt, char out[11], int *ymd)
{
    int y, m, d;
    if (api->parse_date(text, fmt, &y, &m, &d) != CM_OK || y < 1 || y > 9999 || m < 1 ||
        m > 12 || d < 1 || d > 31)
        return -1;
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    *ymd = y * 10000 + m * 100 + d;
    return 0;
}

const char *hr_period_text(int from, int to, char out[40])
{
    int fy = from / 10000, fm = from / 100 % 100, fd = from % 100;
    if (to >= HR_OPEN_END)
        snprintf(out, 40, "from %04d-%02d-%02d on", fy, fm, fd);
    else
        snprintf(out, 40, "%04d-%02d-%02d to %04d-%02d-%02d", fy, fm, fd, to / 10000,
                 to / 100 % 100, to % 100);
    return out;
}

int hr_validity(hr_reader *r, const char *fmt, size_t from_col, size_t to_col, char from[11],
                char to[11], int *from_ymd, int *to_ymd)
{
    const char *f = r->val[from_col], *t = r->val[to_col];
    int rc;
    if (!f[0])
        rc = hr_reject(r, "%s is empty (every row needs the date it is valid from)",
                       r->cols[from_col].name);
    else if (hr_date(r->api, f, fmt, from, from_ymd) != 0)
        rc = hr_reject(r, "%s '%s' is not a valid date (%s)", r->cols[from_col].name, f, fmt);
    else if (!t[0]) {
        to[0] = '\0';
        *to_ymd = HR_OPEN_END;
        return CM_OK;
    } else if (hr_date(r->api, t, fmt, to, to_ymd) != 0)
        rc = hr_reject(r, "%s '%s' is not a valid date (%s), nor empty (still valid)",
                       r->cols[to_col].name, t, fmt);
    else if (*to_ymd < *from_ymd)
        rc = hr_reject(r, "%s %s is before %s %s", r->cols[to_col].name, to,
                       r->cols[from_col].name, from);
    else
        return CM_OK;
    return rc == CM_OK ? HR_SKIP : HR_ERR;
}

/* ---------------------------------------------------------------- reader */

static int grow(hr_reader *r, size_t bytes, size_t fields)
{
    if (bytes > r->cap) {
        size_t cap = r->cap ? r->cap : 1024;
        while (cap < bytes)
            cap *= 2;
        char *b = realloc(r->buf, cap);
        if (!b)
            return -1;
        r->buf = b, r->cap = cap;
    }
    if (fields > r->fcap) {
        size_t cap = r->fcap ? r->fcap : 16;
        while (cap < fields)
            cap *= 2;
        size_t *o = realloc(r->off, cap * sizeof *o);
        if (!o)
            return -1;
        r->off = o;
        size_t *l = realloc(r->len, cap * sizeof *l);
        if (!l)
            return -1;
        r->len = l, r->fcap = cap;
    }
    return 0;
}

/*
 * Splits the raw line on `sep` into r->buf (fields at r->off/r->len, NUL
 * terminated): a field that starts with a quote runs to the closing quote,
 * "" standing for one quote; what follows the closing quote up to the
 * separator is kept as it is.  Used when the separator was detected from
 * the header after the reader had been opened with ';'.
 */
static int split_raw(hr_reader *r, size_t *nfields)
{
    size_t n = 0, cnt = 1;
    for (size_t i = 0; i < r->raw_len; i++)
        cnt += r->raw[i] == r->sep;
    if (grow(r, r->raw_len + cnt + 1, cnt) != 0)
        return -1;
    const char *p = r->raw, *e = r->raw + r->raw_len;
    char *o = r->buf;
    for (;;) {
        r->off[n] = (size_t)(o - r->buf);
        if (p < e && *p == '"') {
            for (p++; p < e; p++) {
                if (*p == '"') {
                    if (p + 1 < e && p[1] == '"')
                        p++;
                    else {
                        p++;
                        break;
                    }
                }
                *o++ = *p;
            }
        }
        while (p < e && *p != r->sep)
            *o++ = *p++;
        r->len[n] = (size_t)(o - r->buf) - r->off[n];
        *o++ = '\0';
        n++;
        if (p >= e)
            break;
        p++; /* the separator */
    }
    *nfields = n;
    return 0;
}

/* The separator the header uses most, outside quotes (';' on a tie). */
static char detect(const char *raw, size_t n)
{
    size_t semi = 0, comma = 0, tab = 0;
    int quoted = 0;
    for (size_t i = 0; i < n; i++) {
        if (raw[i] == '"')
            quoted = !quoted;
        else if (!quoted)
            semi += raw[i] == ';', comma += raw[i] == ',', tab += raw[i] == '\t';
    }
    if (comma > semi && comma >= tab)
        return ',';
    if (tab > semi && tab > comma)
        return '\t';
    return ';';
}

static void trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t'))
        (*s)++, (*n)--;
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

/* Header names compare without case, with ' ' and '-' as '_'. */
static int header_is(const char *h, size_t n, const char *name)
{
    size_t i = 0;
    for (; i < n && name[i]; i++) {
        char c = h[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        else if (c == ' ' || c == '-')
            c = '_';
        if (c != name[i])
            return 0;
    }
    return i == n && name[i] == '\0';
}

int hr_reject(hr_reader *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = r->api->vreject(r->s, r->line, r->raw, r->raw_len < HR_RAW_MAX ? r->raw_len : HR_RAW_MAX,
                             fmt, ap);
    va_end(ap);
    return rc;
}

/* The current row's fields: libcsv's, or our split of the raw line. */
typedef struct fields {
    size_t n;
    const char *const *ptr; /* libcsv */
    const size_t *len;
} fields;

static void field(const hr_reader *r, const fields *f, size_t i, const char **s, size_t *n)
{
    if (r->resplit)
        *s = r->buf + r->off[i], *n = r->len[i];
    else
        *s = f->ptr[i], *n = f->len[i];
}

static int is_utf8_name(const char *enc)
{
    return !enc || strcmp(enc, "UTF-8") == 0 || strcmp(enc, "utf-8") == 0 ||
           strcmp(enc, "UTF8") == 0 || strcmp(enc, "utf8") == 0;
}

int hr_reader_open(hr_reader *r, const cm_api *api, cm_stream *s, const hr_config *cfg,
                   const hr_column *cols, size_t ncols)
{
    r->api = api;
    r->s = s;
    r->cols = cols;
    r->ncols = ncols;
    r->csv = NULL;
    r->check_utf8 = is_utf8_name(cfg->encoding);
    if (!r->check_utf8 && api->set_encoding(s, cfg->encoding) != CM_OK) {
        api->fail(s, "unknown encoding '%s'", cfg->encoding);
        return CM_ERROR;
    }
    int sep = hr_separator(cfg->separator);
    r->csv = api->csv_open(s, sep > 0 ? (char)sep : ';', '"', CM_CSV_SINGLE_LINE);
    if (!r->csv)
        return CM_ERROR;
    cm_csv_row row;
    int rc = api->csv_next(r->csv, &row);
    if (rc < 0)
        return CM_ERROR;
    if (rc == 0) {
        api->fail(s, "the file is empty: expected a header row naming the columns");
        return CM_ERROR;
    }
    r->line = row.line, r->raw = row.raw, r->raw_len = row.raw_len;
    if (r->check_utf8 && !api->utf8_valid(row.raw, row.raw_len)) {
        api->fail(s, "the header row is not valid UTF-8: the file may be Windows-1252 "
                     "(export it as UTF-8, or set the option encoding to WINDOWS-1252)");
        return CM_ERROR;
    }
    r->sep = sep > 0 ? (char)sep : detect(row.raw, row.raw_len);
    r->resplit = r->sep != (sep > 0 ? (char)sep : ';');
    fields f = {row.nfields, row.fields, row.lengths};
    if (r->resplit && split_raw(r, &f.n) != 0) {
        api->fail(s, "out of memory");
        return CM_ERROR;
    }
    r->nheader = f.n;
    for (size_t c = 0; c < ncols; c++)
        r->idx[c] = -1;
    for (size_t i = 0; i < f.n; i++) {
        const char *h;
        size_t hn;
        field(r, &f, i, &h, &hn);
        trim(&h, &hn);
        for (size_t c = 0; c < ncols; c++) {
            if (!header_is(h, hn, cols[c].name))
                continue;
            if (r->idx[c] >= 0) {
                api->fail(s, "column '%s' appears twice in the header (fields %d and %zu)",
                          cols[c].name, r->idx[c] + 1, i + 1);
                return CM_ERROR;
            }
            r->idx[c] = (int)i;
        }
    }
    for (size_t c = 0; c < ncols; c++) {
        if (r->idx[c] >= 0 || !cols[c].required)
            continue;
        char want[256];
        size_t w = 0;
        want[0] = '\0';
        for (size_t k = 0; k < ncols && w < sizeof want; k++)
            w += (size_t)snprintf(want + w, sizeof want - w, "%s%s", k ? ";" : "", cols[k].name);
        int shown = row.raw_len > 300 ? 300 : (int)row.raw_len;
        api->fail(s, "missing column '%s' in the header (the header has: %.*s%s; expected: %s)",
                  cols[c].name, shown, row.raw, row.raw_len > 300 ? "..." : "", want);
        return CM_ERROR;
    }
    return CM_OK;
}

#define UTF8_REASON                                                                        \
    "the line is not valid UTF-8: the file may be Windows-1252 (export it as UTF-8, or set " \
    "the option encoding to WINDOWS-1252)"

int hr_reader_next(hr_reader *r)
{
    const cm_api *api = r->api;
    cm_csv_row row;
    int rc = api->csv_next(r->csv, &row);
    if (rc <= 0)
        return rc < 0 ? HR_ERR : HR_END;
    r->line = row.line, r->raw = row.raw, r->raw_len = row.raw_len;
    r->have_vals = 0;
    int bad_utf8 = r->check_utf8 && !api->utf8_valid(row.raw, row.raw_len);
    fields f = {row.nfields, row.fields, row.lengths};
    if (r->resplit && split_raw(r, &f.n) != 0) {
        api->fail(r->s, "out of memory");
        return HR_ERR;
    }
    if (f.n != r->nheader) {
        if (bad_utf8)
            rc = hr_reject(r, UTF8_REASON);
        else
            rc = hr_reject(r, "expected %zu fields as in the header, found %zu", r->nheader, f.n);
        return rc == CM_OK ? HR_SKIP : HR_ERR;
    }
    /* the wanted values, trimmed, after the split fields in r->buf */
    size_t base = 0, need = 0;
    if (r->resplit)
        base = r->off[f.n - 1] + r->len[f.n - 1] + 1;
    for (size_t c = 0; c < r->ncols; c++) {
        if (r->idx[c] >= 0) {
            const char *s;
            size_t n;
            field(r, &f, (size_t)r->idx[c], &s, &n);
            need += n + 1;
        }
    }
    if (grow(r, base + need + 1, 1) != 0) {
        api->fail(r->s, "out of memory");
        return HR_ERR;
    }
    size_t at = base;
    size_t pos[HR_MAX_COLS];
    for (size_t c = 0; c < r->ncols; c++) {
        pos[c] = (size_t)-1;
        if (r->idx[c] < 0)
            continue;
        const char *s;
        size_t n;
        field(r, &f, (size_t)r->idx[c], &s, &n); /* after grow: r->buf may have moved */
        trim(&s, &n);
        memmove(r->buf + at, s, n);
        r->buf[at + n] = '\0';
        pos[c] = at;
        at += n + 1;
    }
    for (size_t c = 0; c < r->ncols; c++)
        r->val[c] = pos[c] == (size_t)-1 ? "" : r->buf + pos[c];
    r->have_vals = 1;
    if (bad_utf8) /* the values still say which unit the line was about */
        return hr_reject(r, UTF8_REASON) == CM_OK ? HR_SKIP : HR_ERR;
    return HR_ROW;
}

void hr_reader_close(hr_reader *r)
{
    if (r->csv)
        r->api->csv_close(r->csv);
    r->csv = NULL;
}

void hr_reader_free(hr_reader *r)
{
    hr_reader_close(r);
    free(r->buf);
    free(r->off);
    free(r->len);
    r->buf = NULL, r->off = r->len = NULL, r->cap = r->fcap = 0;
}

/* ---------------------------------------------------------------- strmap */

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static size_t slot_of(const hr_strmap *m, const char *key)
{
    size_t mask = m->nslots - 1, i = (size_t)hash(key) & mask;
    while (m->slots[i] && strcmp(m->keys[m->slots[i] - 1], key) != 0)
        i = (i + 1) & mask;
    return i;
}

int32_t hr_strmap_get(const hr_strmap *m, const char *key)
{
    if (!m->nslots)
        return -1;
    size_t i = slot_of(m, key);
    return m->slots[i] ? m->slots[i] - 1 : -1;
}

int32_t hr_strmap_put(hr_strmap *m, const char *key, int *added)
{
    *added = 0;
    if ((m->n + 1) * 2 > m->nslots) { /* keep the load under one half */
        size_t ns = m->nslots ? m->nslots * 2 : 64;
        int32_t *slots = calloc(ns, sizeof *slots);
        if (!slots)
            return -1;
        free(m->slots);
        m->slots = slots, m->nslots = ns;
        for (size_t k = 0; k < m->n; k++)
            m->slots[slot_of(m, m->keys[k])] = (int32_t)k + 1;
    }
    size_t i = slot_of(m, key);
    if (m->slots[i])
        return m->slots[i] - 1;
    if (m->n == m->kcap) {
        size_t cap = m->kcap ? m->kcap * 2 : 64;
        char **keys = realloc(m->keys, cap * sizeof *keys);
        if (!keys)
            return -1;
        m->keys = keys, m->kcap = cap;
    }
    char *copy = strdup(key);
    if (!copy)
        return -1;
    m->keys[m->n] = copy;
    m->slots[i] = (int32_t)++m->n;
    *added = 1;
    return (int32_t)m->n - 1;
}

void hr_strmap_clear(hr_strmap *m)
{
    for (size_t k = 0; k < m->n; k++)
        free(m->keys[k]);
    m->n = 0;
    if (m->slots)
        memset(m->slots, 0, m->nslots * sizeof *m->slots);
}

void hr_strmap_free(hr_strmap *m)
{
    hr_strmap_clear(m);
    free(m->keys);
    free(m->slots);
    memset(m, 0, sizeof *m);
}

/* ---------------------------------------------------------------- periods */

int hr_periods_add(hr_periods *ps, int from, int to, int64_t line, hr_period *clash)
{
    /* the periods are disjoint and sorted by start, so also by end: the
     * first one ending on or after `from` is the only candidate */
    uint32_t lo = 0, hi = ps->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ps->p[mid].to < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < ps->n && ps->p[lo].from <= to) {
        *clash = ps->p[lo];
        return 1;
    }
    if (ps->n == ps->cap) {
        uint32_t cap = ps->cap ? ps->cap * 2 : 2;
        hr_period *p = realloc(ps->p, cap * sizeof *p);
        if (!p)
            return -1;
        ps->p = p, ps->cap = cap;
    }
    memmove(ps->p + lo + 1, ps->p + lo, (ps->n - lo) * sizeof *ps->p);
    ps->p[lo] = (hr_period){from, to, line};
    ps->n++;
    return 0;
}
