/* Repeat callers per unit and month, at every level of the organisation.
 *
 * A caller is a remote number of an inbound call (hidden and internal
 * numbers left out). A caller of unit U in month M is a repeat caller when
 * one of their calls to U in M is followed, within repeat-days days (start
 * to start) and inside the analysis period, by another call of theirs to U:
 * one that starts after the first one ended and is not a leg of the same
 * call (another call_group, when both have one). "A call to U" counts U's
 * own calls and those of every unit below it on the call's date.
 *
 * SQL would need every call once per level, sorted by number; here each call
 * is read once (with the id of its (unit, day) from a_ud), sorted by a hash
 * of the number, and each caller's few calls are compared in a window. */
#include "analysis_int.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rcall {
    uint64_t number; /* FNV-1a of the remote number */
    uint64_t group;  /* FNV-1a of call_group, 0 when none */
    int64_t t;       /* start, Unix seconds */
    int32_t dur;     /* duration, seconds */
    int32_t ud;      /* (unit, day) key: a_udk rowid */
} rcall;

typedef struct tuple {
    int32_t unit, month;
    int flag;
} tuple;

static uint64_t fnv1a(const unsigned char *s, int n)
{
    uint64_t h = 1469598103934665603ULL;
    for (int i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    return h ? h : 1;
}

/* "YYYY-MM-DDTHH:MM:SS..." as Unix seconds; 0 when it is not one. */
static int64_t parse_utc(const unsigned char *s, int n)
{
    if (!s || n < 19)
        return 0;
    int v[6], pos[6] = {0, 5, 8, 11, 14, 17}, len[6] = {4, 2, 2, 2, 2, 2};
    for (int k = 0; k < 6; k++) {
        v[k] = 0;
        for (int i = 0; i < len[k]; i++) {
            unsigned char ch = s[pos[k] + i];
            if (ch < '0' || ch > '9')
                return 0;
            v[k] = v[k] * 10 + (ch - '0');
        }
    }
    int64_t y = v[0], m = v[1], d = v[2];
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = era * 146097 + doe - 719468;
    return days * 86400 + v[3] * 3600 + v[4] * 60 + v[5];
}

static int cmp_call(const void *a, const void *b)
{
    const rcall *x = a, *y = b;
    if (x->number != y->number)
        return x->number < y->number ? -1 : 1;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    if (x->ud != y->ud)
        return x->ud < y->ud ? -1 : 1;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    return x->dur < y->dur ? -1 : x->dur > y->dur;
}

static int cmp_tuple(const void *a, const void *b)
{
    const tuple *x = a, *y = b;
    if (x->unit != y->unit)
        return x->unit < y->unit ? -1 : 1;
    if (x->month != y->month)
        return x->month < y->month ? -1 : 1;
    return y->flag - x->flag; /* flagged first */
}

typedef struct rstate {
    int32_t nud, nunits, nmonths;
    int32_t *ud_month;   /* per ud key (1-based rowid; [0] unused) */
    int32_t *anc_first;  /* per ud key: range in anc */
    int32_t *anc_count;
    int32_t *anc;        /* unit indexes (1-based a_units rowid), sorted per key */
    int64_t *callers, *repeaters; /* [unit * nmonths + month] */
    tuple *tv;
    size_t tn, tcap;
} rstate;

static void push(rstate *r, int32_t unit, int32_t month, int flag)
{
    if (r->tn == r->tcap) {
        r->tcap = r->tcap ? r->tcap * 2 : 64;
        r->tv = cm_xrealloc(r->tv, r->tcap * sizeof *r->tv);
    }
    r->tv[r->tn++] = (tuple){unit, month, flag};
}

/* One caller's calls [b, e), sorted by time. */
static void caller(rstate *r, const rcall *v, size_t b, size_t e, int64_t window)
{
    r->tn = 0;
    for (size_t i = b; i < e; i++) {
        const int32_t *ai = r->anc + r->anc_first[v[i].ud];
        int32_t ni = r->anc_count[v[i].ud], mi = r->ud_month[v[i].ud];
        for (int32_t k = 0; k < ni; k++)
            push(r, ai[k], mi, 0);
        for (size_t j = i + 1; j < e && v[j].t - v[i].t <= window; j++) {
            if (v[j].t < v[i].t + v[i].dur || (v[i].group && v[i].group == v[j].group))
                continue; /* a leg of the same call */
            const int32_t *aj = r->anc + r->anc_first[v[j].ud];
            int32_t nj = r->anc_count[v[j].ud];
            for (int32_t x = 0, y = 0; x < ni && y < nj;) {
                if (ai[x] == aj[y]) {
                    push(r, ai[x], mi, 1);
                    x++, y++;
                } else if (ai[x] < aj[y]) {
                    x++;
                } else {
                    y++;
                }
            }
        }
    }
    if (r->tn > 1)
        qsort(r->tv, r->tn, sizeof *r->tv, cmp_tuple);
    for (size_t i = 0; i < r->tn; i++) {
        if (i > 0 && r->tv[i].unit == r->tv[i - 1].unit && r->tv[i].month == r->tv[i - 1].month)
            continue;
        size_t at = (size_t)(r->tv[i].unit - 1) * (size_t)r->nmonths + (size_t)r->tv[i].month;
        r->callers[at]++;
        r->repeaters[at] += r->tv[i].flag;
    }
}

static int load_keys(cm_actx *c, rstate *r)
{
    if (cm_a_exec(c, "CREATE TEMP TABLE a_udk AS SELECT DISTINCT unit_id, day FROM a_ud"
                     " ORDER BY unit_id, day;"
                     "CREATE INDEX temp.a_udk_key ON a_udk(unit_id, day);"
                     "CREATE TEMP TABLE a_units AS SELECT DISTINCT anc AS unit_id FROM a_ud"
                     " ORDER BY anc;"))
        return -1;
    sqlite3_stmt *st = cm_a_prepare(c, "SELECT (SELECT max(rowid) FROM a_udk),"
                                        " (SELECT max(rowid) FROM a_units), (SELECT count(*) FROM a_ud)");
    if (!st)
        return -1;
    int64_t nanc = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        r->nud = (int32_t)sqlite3_column_int64(st, 0);
        r->nunits = (int32_t)sqlite3_column_int64(st, 1);
        nanc = sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    r->ud_month = cm_xcalloc((size_t)r->nud + 1, sizeof *r->ud_month);
    r->anc_first = cm_xcalloc((size_t)r->nud + 1, sizeof *r->anc_first);
    r->anc_count = cm_xcalloc((size_t)r->nud + 1, sizeof *r->anc_count);
    r->anc = cm_xcalloc((size_t)nanc + 1, sizeof *r->anc);
    size_t cells = (size_t)r->nunits * (size_t)(r->nmonths > 0 ? r->nmonths : 1);
    r->callers = cm_xcalloc(cells + 1, sizeof *r->callers);
    r->repeaters = cm_xcalloc(cells + 1, sizeof *r->repeaters);

    int base = atoi(c->from) * 12 + atoi(c->from + 5);
    st = cm_a_prepare(c, "SELECT rowid, day FROM a_udk");
    if (!st)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t k = sqlite3_column_int64(st, 0);
        const char *day = (const char *)sqlite3_column_text(st, 1);
        int m = day && strlen(day) >= 7 ? atoi(day) * 12 + atoi(day + 5) - base : -1;
        if (k < 1 || k > r->nud || m < 0 || m >= r->nmonths) {
            sqlite3_finalize(st);
            cm_a_fail(c, "internal error: a day outside the period in the repeat callers");
            return -1;
        }
        r->ud_month[k] = m;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        cm_a_fail(c, "%s", sqlite3_errmsg(c->db));
        return -1;
    }
    st = cm_a_prepare(c, "SELECT k.rowid, n.rowid FROM a_ud u"
                         " JOIN a_udk k ON k.unit_id = u.unit_id AND k.day = u.day"
                         " JOIN a_units n ON n.unit_id = u.anc ORDER BY 1, 2");
    if (!st)
        return -1;
    int64_t at = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && at < nanc) {
        int64_t k = sqlite3_column_int64(st, 0);
        if (k < 1 || k > r->nud)
            continue;
        if (r->anc_count[k] == 0)
            r->anc_first[k] = (int32_t)at;
        r->anc_count[k]++;
        r->anc[at++] = (int32_t)sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        cm_a_fail(c, "%s", sqlite3_errmsg(c->db));
        return -1;
    }
    return 0;
}

static int load_calls(cm_actx *c, rcall **out, size_t *n)
{
    sqlite3_stmt *st = cm_a_prepare(
        c, "SELECT k.rowid, c.remote_number, c.start_utc, c.duration_s, c.call_group"
           " FROM calls c JOIN a_udk k ON k.unit_id = c.unit_id"
           " AND k.day = substr(c.start_local, 1, 10)"
           " WHERE c.unit_id IS NOT NULL AND c.direction = 'inbound'"
           " AND c.start_local >= :start AND c.start_local < :end"
           " AND c.remote_number IS NOT NULL AND c.remote_number <> ''"
           " AND c.remote_number <> 'hidden'"
           " AND coalesce(c.remote_type, '') <> 'hidden'"
           " AND coalesce(c.remote_type, '') <> 'internal'");
    if (!st)
        return -1;
    rcall *v = NULL;
    size_t cap = 0, len = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            v = cm_xrealloc(v, cap * sizeof *v);
        }
        rcall *x = &v[len++];
        x->ud = (int32_t)sqlite3_column_int64(st, 0);
        x->number = fnv1a(sqlite3_column_text(st, 1), sqlite3_column_bytes(st, 1));
        x->t = parse_utc(sqlite3_column_text(st, 2), sqlite3_column_bytes(st, 2));
        int64_t dur = sqlite3_column_int64(st, 3);
        x->dur = (int32_t)(dur < 0 ? 0 : dur > INT32_MAX ? INT32_MAX : dur);
        x->group = sqlite3_column_type(st, 4) == SQLITE_NULL
                       ? 0
                       : fnv1a(sqlite3_column_text(st, 4), sqlite3_column_bytes(st, 4));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(v);
        cm_a_fail(c, "%s", sqlite3_errmsg(c->db));
        return -1;
    }
    *out = v;
    *n = len;
    return 0;
}

static int store(cm_actx *c, rstate *r)
{
    if (cm_a_exec(c, "CREATE TEMP TABLE a_rep (unit_id TEXT, month TEXT, callers INTEGER,"
                     " repeaters INTEGER)"))
        return -1;
    if (r->nunits == 0 || r->nmonths == 0)
        return 0;
    sqlite3_stmt *st = cm_a_prepare(c, "INSERT INTO a_rep SELECT unit_id, ?, ?, ? FROM a_units"
                                       " WHERE rowid = ?");
    if (!st)
        return -1;
    int fy = atoi(c->from), fm = atoi(c->from + 5);
    int rc = SQLITE_DONE;
    for (int32_t u = 1; u <= r->nunits && rc == SQLITE_DONE; u++) {
        for (int32_t m = 0; m < r->nmonths && rc == SQLITE_DONE; m++) {
            size_t at = (size_t)(u - 1) * (size_t)r->nmonths + (size_t)m;
            if (!r->callers[at])
                continue;
            int mm = fy * 12 + (fm - 1) + m;
            char month[16];
            snprintf(month, sizeof month, "%04d-%02d", mm / 12, mm % 12 + 1);
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, month, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(st, 2, r->callers[at]);
            sqlite3_bind_int64(st, 3, r->repeaters[at]);
            sqlite3_bind_int(st, 4, u);
            rc = sqlite3_step(st);
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        cm_a_fail(c, "%s", sqlite3_errmsg(c->db));
        return -1;
    }
    return 0;
}

int cm_a_repeat_callers(cm_actx *c)
{
    rstate r = {.nmonths = c->nmonths};
    rcall *v = NULL;
    size_t n = 0;
    int rc = -1;
    if (c->nmonths > 0) {
        if (load_keys(c, &r) || load_calls(c, &v, &n))
            goto done;
        if (n > 1)
            qsort(v, n, sizeof *v, cmp_call);
        int64_t window = (int64_t)(c->p->repeat_days * 86400.0 + 0.5);
        for (size_t b = 0, e; b < n; b = e) {
            for (e = b + 1; e < n && v[e].number == v[b].number; e++)
                ;
            caller(&r, v, b, e, window);
        }
    }
    rc = store(c, &r);
done:
    free(v);
    free(r.ud_month);
    free(r.anc_first);
    free(r.anc_count);
    free(r.anc);
    free(r.callers);
    free(r.repeaters);
    free(r.tv);
    return rc;
}
