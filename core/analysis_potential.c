/* unit_potential, unit_potential_reasons and unit_datapoints: per unit over
 * the analysis period, the Erlang C staffing of its calls, the saving range,
 * and the data points that put it above (or below) the median of its peers
 * (the units of the same org type). docs/analysis.md has the definitions. */
#include "analysis_int.h"
#include "erlang.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct dpdef {
    const char *name, *label;
    int lower, share;
} dpdef;

typedef struct unit {
    char *id, *name, *type;
    int64_t inbound, answered, talk, talk_n, persons, open_hours, open_calls, open_occ;
    double *value; /* per data point; NAN when none */
    double score;
    int reasons;
    /* staffing */
    double aht, load, per_open_hour, sl, handled_h, save_lo, save_hi;
    int agents; /* -1: not computed */
} unit;

typedef struct dpstat {
    double median, threshold; /* threshold NAN: too few peers */
    int64_t peers;
} dpstat;

static char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? cm_xstrdup((const char *)t) : NULL;
}

static int same_type(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median_of(double *v, size_t n)
{
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int find_unit(unit *u, size_t n, const char *id)
{
    size_t lo = 0, hi = n; /* units are sorted by id (BINARY) */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(u[mid].id, id);
        if (c == 0)
            return (int)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Reason strength: how far past the threshold, capped at 3. */
static double strength(const dpdef *d, double v, double thr)
{
    double s;
    if (!d->lower)
        s = thr > 0 ? v / thr : 3;
    else
        s = v > 0 ? thr / v : 3;
    return s > 3 ? 3 : s;
}

static int is_above(const dpdef *d, double v, double thr)
{
    if (isnan(v) || isnan(thr))
        return 0;
    return d->lower ? v < thr : v > thr;
}

typedef struct order {
    const unit *u;
    size_t i;
} order;

static int cmp_rank(const void *a, const void *b)
{
    const unit *x = ((const order *)a)->u, *y = ((const order *)b)->u;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    double sx = isnan(x->save_hi) ? -1 : x->save_hi, sy = isnan(y->save_hi) ? -1 : y->save_hi;
    if (sx != sy)
        return sx > sy ? -1 : 1;
    return strcmp(x->id, y->id);
}

typedef struct rsn {
    size_t dp;
    double strength;
} rsn;

static int cmp_reason(const void *a, const void *b)
{
    const rsn *x = a, *y = b;
    if (x->strength != y->strength)
        return x->strength > y->strength ? -1 : 1;
    return x->dp < y->dp ? -1 : x->dp > y->dp;
}

static void bind_num(sqlite3_stmt *st, int i, double v)
{
    if (isnan(v) || isinf(v))
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_double(st, i, v);
}

static void staffing(cm_actx *c, unit *u)
{
    const cm_pl_analysis *p = c->p;
    double scale = c->days > 0 ? 365.0 / (double)c->days : NAN;
    double talk = u->talk_n > 0 ? (double)u->talk / (double)u->talk_n : 0;
    u->aht = talk + p->wrap_up_s;
    u->agents = -1;
    u->load = u->per_open_hour = u->sl = NAN;
    u->per_open_hour = u->open_occ > 0 ? (double)u->open_calls / (double)u->open_occ : NAN;
    if (u->aht > 0 && !isnan(u->per_open_hour)) {
        u->load = u->per_open_hour * u->aht / 3600.0;
        cm_staffing_params sp = {.load = u->load, .aht_s = u->aht, .within_s = p->service_level_s,
                                 .target = p->target_service_level};
        cm_staffing out;
        if (cm_erlang_staff(&sp, &out) == 0) {
            u->agents = out.at.agents;
            u->sl = out.at.service_level;
        }
    }
    if (u->aht <= 0)
        u->aht = NAN;
    u->handled_h = isnan(u->aht) ? 0 : (double)u->answered * scale * u->aht / 3600.0;
    u->save_lo = u->handled_h * p->hourly_cost_dkk * p->efficiency_low;
    u->save_hi = u->handled_h * p->hourly_cost_dkk * p->efficiency_high;
}

static int load_units(cm_actx *c, unit **out, size_t *n, size_t ndp)
{
    sqlite3_stmt *st = cm_a_prepare(c, "SELECT unit_id, name, type, inbound, answered, talk, talk_n,"
                                       " persons, open_hours, open_calls, open_occurrences"
                                       " FROM a_p ORDER BY unit_id COLLATE BINARY");
    if (!st)
        return -1;
    unit *v = NULL;
    size_t cap = 0, len = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (len == cap) {
            cap = cap ? cap * 2 : 256;
            v = cm_xrealloc(v, cap * sizeof *v);
        }
        unit *u = &v[len++];
        memset(u, 0, sizeof *u);
        u->id = col_text(st, 0);
        u->name = col_text(st, 1);
        u->type = col_text(st, 2);
        u->inbound = sqlite3_column_int64(st, 3);
        u->answered = sqlite3_column_int64(st, 4);
        u->talk = sqlite3_column_int64(st, 5);
        u->talk_n = sqlite3_column_int64(st, 6);
        u->persons = sqlite3_column_int64(st, 7);
        u->open_hours = sqlite3_column_int64(st, 8);
        u->open_calls = sqlite3_column_int64(st, 9);
        u->open_occ = sqlite3_column_int64(st, 10);
        u->value = cm_xcalloc(ndp ? ndp : 1, sizeof *u->value);
        for (size_t k = 0; k < ndp; k++)
            u->value[k] = NAN;
        if (!u->id)
            u->id = cm_xstrdup("");
    }
    sqlite3_finalize(st);
    *out = v;
    *n = len;
    if (rc != SQLITE_DONE) {
        cm_a_fail(c, "%s", sqlite3_errmsg(c->db));
        return -1;
    }
    return 0;
}

static int load_values(cm_actx *c, unit *u, size_t nu, const dpdef *dp, size_t ndp)
{
    sqlite3_stmt *st = cm_a_prepare(c, "SELECT unit_id, datapoint, value FROM a_dp"
                                       " WHERE value IS NOT NULL");
    if (!st)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        int at = id ? find_unit(u, nu, id) : -1;
        for (size_t k = 0; at >= 0 && name && k < ndp; k++)
            if (!strcmp(dp[k].name, name))
                u[at].value[k] = sqlite3_column_double(st, 2);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        cm_a_fail(c, "%s", sqlite3_errmsg(c->db));
        return -1;
    }
    return 0;
}

/* Median and threshold of data point k among the peers of unit i. */
static dpstat peer_stat(const cm_actx *c, const unit *u, size_t nu, size_t i, const dpdef *d,
                        size_t k, double *scratch)
{
    size_t n = 0;
    for (size_t j = 0; j < nu; j++)
        if (same_type(u[j].type, u[i].type) && !isnan(u[j].value[k]))
            scratch[n++] = u[j].value[k];
    dpstat s = {NAN, NAN, (int64_t)n};
    if (n == 0)
        return s;
    s.median = median_of(scratch, n);
    if ((int64_t)n < c->p->min_peers)
        return s;
    /* a share: some percentage points from the median; a number: a factor */
    double f = c->p->reason_factor, diff = c->p->reason_min_difference;
    if (d->share)
        s.threshold = d->lower ? s.median - diff : s.median + diff;
    else
        s.threshold = d->lower ? s.median / f : s.median * f;
    return s;
}

int cm_a_potential(cm_actx *c)
{
    const cm_pl_analysis *p = c->p;
    size_t ndp = cm_nbuiltin_dps + p->ndatapoints;
    dpdef *dp = cm_xcalloc(ndp, sizeof *dp);
    for (size_t k = 0; k < cm_nbuiltin_dps; k++)
        dp[k] = (dpdef){cm_builtin_dps[k].name, cm_builtin_dps[k].label, cm_builtin_dps[k].lower,
                        cm_builtin_dps[k].share};
    for (size_t k = 0; k < p->ndatapoints; k++)
        dp[cm_nbuiltin_dps + k] = (dpdef){p->datapoints[k].name, p->datapoints[k].label,
                                          p->datapoints[k].lower, 0};
    unit *u = NULL;
    size_t nu = 0;
    int rc = -1;
    double *scratch = NULL;
    dpstat *stats = NULL;
    rsn *rs = NULL;
    order *ord = NULL;
    sqlite3_stmt *ins_dp = NULL, *ins_r = NULL, *ins_p = NULL;
    if (load_units(c, &u, &nu, ndp) || load_values(c, u, nu, dp, ndp))
        goto done;
    /* staffing first: answerers_per_agent needs the agents */
    for (size_t i = 0; i < nu; i++) {
        staffing(c, &u[i]);
        for (size_t k = 0; k < ndp; k++)
            if (!strcmp(dp[k].name, "answerers_per_agent") && u[i].agents > 0)
                u[i].value[k] = (double)u[i].persons / (double)u[i].agents;
    }
    scratch = cm_xcalloc(nu + 1, sizeof *scratch);
    stats = cm_xcalloc(nu * ndp + 1, sizeof *stats);
    rs = cm_xcalloc(ndp + 1, sizeof *rs);

    /* peers: a median per (type, data point), computed once per type */
    for (size_t i = 0; i < nu; i++) {
        size_t first = i;
        for (size_t j = 0; j < i; j++)
            if (same_type(u[j].type, u[i].type)) {
                first = j;
                break;
            }
        for (size_t k = 0; k < ndp; k++)
            stats[i * ndp + k] = first < i ? stats[first * ndp + k]
                                           : peer_stat(c, u, nu, i, &dp[k], k, scratch);
    }

    if (cm_a_exec(c, "CREATE TEMP TABLE a_pot (unit_id TEXT, rank INTEGER, unit_name TEXT,"
                     " unit_type TEXT, score REAL, reasons_count INTEGER, inbound INTEGER,"
                     " answered INTEGER, calls_per_year REAL, persons_answering INTEGER,"
                     " open_hours_per_week INTEGER, calls_per_open_hour REAL, aht_s REAL,"
                     " load_erlang REAL, agents_needed INTEGER, service_level REAL,"
                     " pooling_gap INTEGER, handled_hours_per_year REAL, saving_dkk_low REAL,"
                     " saving_dkk_high REAL)"))
        goto done;
    ins_dp = cm_a_prepare(c, "INSERT INTO unit_datapoints VALUES (?, ?, ?, ?, ?, ?, ?)");
    ins_r = cm_a_prepare(c, "INSERT INTO unit_potential_reasons VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
                            " ?, ?)");
    ins_p = cm_a_prepare(c, "INSERT INTO a_pot VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                            " ?, ?, ?, ?, ?, ?)");
    if (!ins_dp || !ins_r || !ins_p)
        goto done;

    int sqlrc = SQLITE_DONE;
    for (size_t i = 0; i < nu && sqlrc == SQLITE_DONE; i++) {
        unit *x = &u[i];
        size_t nr = 0;
        for (size_t k = 0; k < ndp && sqlrc == SQLITE_DONE; k++) {
            const dpstat *s = &stats[i * ndp + k];
            double v = x->value[k];
            if (isnan(v))
                continue;
            int above = is_above(&dp[k], v, s->threshold);
            if (above)
                rs[nr++] = (rsn){k, strength(&dp[k], v, s->threshold)};
            sqlite3_reset(ins_dp);
            sqlite3_bind_text(ins_dp, 1, x->id, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins_dp, 2, dp[k].name, -1, SQLITE_STATIC);
            bind_num(ins_dp, 3, v);
            bind_num(ins_dp, 4, s->median);
            bind_num(ins_dp, 5, s->threshold);
            sqlite3_bind_int64(ins_dp, 6, s->peers);
            sqlite3_bind_int(ins_dp, 7, above);
            sqlrc = sqlite3_step(ins_dp);
        }
        if (nr > 1)
            qsort(rs, nr, sizeof *rs, cmp_reason);
        x->reasons = (int)nr;
        x->score = 0;
        for (size_t r = 0; r < nr && sqlrc == SQLITE_DONE; r++) {
            size_t k = rs[r].dp;
            const dpstat *s = &stats[i * ndp + k];
            x->score += rs[r].strength;
            sqlite3_reset(ins_r);
            sqlite3_bind_text(ins_r, 1, x->id, -1, SQLITE_STATIC);
            sqlite3_bind_int64(ins_r, 2, (int64_t)r + 1);
            sqlite3_bind_text(ins_r, 3, dp[k].name, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins_r, 4, dp[k].label ? dp[k].label : dp[k].name, -1,
                              SQLITE_STATIC);
            bind_num(ins_r, 5, x->value[k]);
            bind_num(ins_r, 6, s->median);
            bind_num(ins_r, 7, s->threshold);
            sqlite3_bind_text(ins_r, 8, dp[k].lower ? "lower" : "higher", -1, SQLITE_STATIC);
            sqlite3_bind_int64(ins_r, 9, s->peers);
            sqlite3_bind_double(ins_r, 10, rs[r].strength);
            sqlrc = sqlite3_step(ins_r);
        }
    }

    ord = cm_xcalloc(nu + 1, sizeof *ord);
    for (size_t i = 0; i < nu; i++)
        ord[i] = (order){&u[i], i};
    if (nu > 1)
        qsort(ord, nu, sizeof *ord, cmp_rank);
    double scale = c->days > 0 ? 365.0 / (double)c->days : NAN;
    for (size_t r = 0; r < nu && sqlrc == SQLITE_DONE; r++) {
        const unit *x = ord[r].u;
        sqlite3_reset(ins_p);
        sqlite3_bind_text(ins_p, 1, x->id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins_p, 2, (int64_t)r + 1);
        if (x->name)
            sqlite3_bind_text(ins_p, 3, x->name, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(ins_p, 3);
        if (x->type)
            sqlite3_bind_text(ins_p, 4, x->type, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(ins_p, 4);
        sqlite3_bind_double(ins_p, 5, x->score);
        sqlite3_bind_int(ins_p, 6, x->reasons);
        sqlite3_bind_int64(ins_p, 7, x->inbound);
        sqlite3_bind_int64(ins_p, 8, x->answered);
        bind_num(ins_p, 9, (double)x->inbound * scale);
        sqlite3_bind_int64(ins_p, 10, x->persons);
        sqlite3_bind_int64(ins_p, 11, x->open_hours);
        bind_num(ins_p, 12, x->per_open_hour);
        bind_num(ins_p, 13, x->aht);
        bind_num(ins_p, 14, x->load);
        if (x->agents >= 0) {
            sqlite3_bind_int(ins_p, 15, x->agents);
            bind_num(ins_p, 16, x->sl);
            sqlite3_bind_int64(ins_p, 17, x->persons - x->agents);
        } else {
            sqlite3_bind_null(ins_p, 15);
            sqlite3_bind_null(ins_p, 16);
            sqlite3_bind_null(ins_p, 17);
        }
        bind_num(ins_p, 18, x->handled_h);
        bind_num(ins_p, 19, x->save_lo);
        bind_num(ins_p, 20, x->save_hi);
        sqlrc = sqlite3_step(ins_p);
    }
    if (sqlrc != SQLITE_DONE) {
        cm_a_fail(c, "%s", sqlite3_errmsg(c->db));
        goto done;
    }
    rc = cm_a_exec(
        c, "INSERT INTO unit_potential SELECT p.*, (SELECT json_group_array(json_object("
           " 'rank', r.rank, 'datapoint', r.datapoint, 'label', r.label, 'value', r.value,"
           " 'peer_median', r.peer_median, 'threshold', r.threshold,"
           " 'direction', r.direction))"
           " FROM (SELECT * FROM unit_potential_reasons r WHERE r.unit_id = p.unit_id"
           " ORDER BY r.rank) r)"
           " FROM a_pot p ORDER BY p.rank");
done:
    sqlite3_finalize(ins_dp);
    sqlite3_finalize(ins_r);
    sqlite3_finalize(ins_p);
    for (size_t i = 0; i < nu; i++) {
        free(u[i].id);
        free(u[i].name);
        free(u[i].type);
        free(u[i].value);
    }
    free(u);
    free(dp);
    free(scratch);
    free(stats);
    free(rs);
    free(ord);
    return rc;
}
