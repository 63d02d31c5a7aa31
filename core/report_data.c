/* The store as the report and the export read it. */
#include "report_data.h"
#include "util.h"

#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

sqlite3 *rp_db_open(const char *path, char *err, size_t errsz)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, errsz, "no store at %s: run `callmap run PIPELINE` first", path);
        return NULL;
    }
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        snprintf(err, errsz, "%s: %s", path, db ? sqlite3_errmsg(db) : "cannot open");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 10000);
    /* fail now, with the file's name, when it is not a database */
    if (sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errsz, "%s: %s", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

int rp_has_table(sqlite3 *db, const char *name)
{
    sqlite3_stmt *st;
    int found = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}

int rp_has_column(sqlite3 *db, const char *table, const char *column)
{
    sqlite3_stmt *st;
    int found = 0;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info(?) WHERE name = ?", -1, &st,
                           NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, column, -1, SQLITE_STATIC);
    found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}

const char *rp_missing_analysis_table(sqlite3 *db)
{
    static const char *const need[] = {"unit_month",     "unit_hour_weekday",      "employee_month",
                                       "unit_potential", "unit_potential_reasons", "subscription_usage"};
    for (size_t i = 0; i < sizeof need / sizeof *need; i++)
        if (!rp_has_table(db, need[i]))
            return need[i];
    return NULL;
}

void rp_table_free(rp_table *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i].s);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

int rp_query(sqlite3 *db, rp_table *t, char **err, const char *sql, const char *types, ...)
{
    memset(t, 0, sizeof *t);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        *err = cm_xstrdup(sqlite3_errmsg(db));
        return -1;
    }
    va_list ap;
    va_start(ap, types);
    for (int i = 0; types && types[i]; i++) {
        switch (types[i]) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (s)
                sqlite3_bind_text(st, i + 1, s, -1, SQLITE_TRANSIENT);
            break;
        }
        case 'd': sqlite3_bind_double(st, i + 1, va_arg(ap, double)); break;
        case 'i': sqlite3_bind_int64(st, i + 1, va_arg(ap, long long)); break;
        }
    }
    va_end(ap);
    t->ncols = (size_t)sqlite3_column_count(st);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (t->nrows == cap) {
            cap = cap ? cap * 2 : 16;
            t->cells = cm_xrealloc(t->cells, cap * (t->ncols ? t->ncols : 1) * sizeof *t->cells);
        }
        for (size_t c = 0; c < t->ncols; c++) {
            rp_cell *cell = &t->cells[t->nrows * t->ncols + c];
            int type = sqlite3_column_type(st, (int)c);
            if (type == SQLITE_NULL) {
                cell->s = NULL;
                cell->d = NAN;
                continue;
            }
            cell->s = cm_xstrdup((const char *)sqlite3_column_text(st, (int)c));
            if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
                cell->d = sqlite3_column_double(st, (int)c);
            } else {
                char *end;
                cell->d = strtod(cell->s, &end);
                if (end == cell->s || *end)
                    cell->d = NAN;
            }
        }
        t->nrows++;
    }
    if (rc != SQLITE_DONE) {
        *err = cm_xstrdup(sqlite3_errmsg(db));
        sqlite3_finalize(st);
        rp_table_free(t);
        return -1;
    }
    sqlite3_finalize(st);
    return 0;
}

int rp_valid_month(const char *s)
{
    if (!s || strlen(s) != 7 || s[4] != '-')
        return 0;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    return m >= 1 && m <= 12;
}

/* ---------------------------------------------------------- key figures */

const rp_dpdef rp_dps[RP_NDP] = {
    [DP_INBOUND] = {"inbound", M_DP_INBOUND, RP_COUNT, 0, NULL},
    [DP_OUTBOUND] = {"outbound", M_DP_OUTBOUND, RP_COUNT, 0, NULL},
    [DP_ANSWERED_SHARE] = {"answered_share", M_DP_ANSWERED_SHARE, RP_SHARE, 0, "inbound"},
    [DP_MISSED_SHARE] = {"missed_share", M_DP_MISSED_SHARE, RP_SHARE, 0, "inbound"},
    [DP_ABANDONED_SHARE] = {"abandoned_share", M_DP_ABANDONED_SHARE, RP_SHARE, 1, "inbound"},
    [DP_TRANSFERRED_SHARE] = {"transferred_share", M_DP_TRANSFERRED_SHARE, RP_SHARE, 0, "answered"},
    [DP_ANSWERING] = {"answering_employees", M_DP_ANSWERING, RP_COUNT, 0, NULL},
    [DP_EMP_OVER] = {"employees_over_threshold", M_DP_EMP_OVER, RP_COUNT, 0, NULL},
    [DP_BUSIEST] = {"busiest_20pct_share", M_DP_BUSIEST, RP_SHARE, 0, "inbound"},
    [DP_PEAK_HOUR] = {"peak_hour_share", M_DP_PEAK_HOUR, RP_SHARE, 0, "inbound"},
    [DP_MOBILE] = {"mobile_share", M_DP_MOBILE, RP_SHARE, 0, "inbound"},
    [DP_HIDDEN] = {"hidden_share", M_DP_HIDDEN, RP_SHARE, 0, "inbound"},
    [DP_REPEAT] = {"repeat_callers_7d_share", M_DP_REPEAT, RP_SHARE, 0, "inbound"},
    [DP_TALK] = {"avg_talk_s", M_DP_TALK, RP_SECONDS, 0, "answered"},
    [DP_COST] = {"cost_dkk", M_DP_COST, RP_DKK, 0, NULL},
    [DP_COST_PER_CALL] = {"cost_per_call_dkk", M_DP_COST_PER_CALL, RP_DKK, 0, "*"},
    [DP_SL_ANSWERED] = {"service_level_answered", M_DP_SL_ANSWERED, RP_SHARE, 1, "cc_inbound|answered"},
    [DP_SL_OFFERED] = {"service_level_offered", M_DP_SL_OFFERED, RP_SHARE, 1, "cc_inbound|inbound"},
    [DP_ASA] = {"asa_s", M_DP_ASA, RP_SECONDS, 1, "cc_inbound|answered"},
    [DP_WRAP] = {"avg_wrap_s", M_DP_WRAP, RP_SECONDS, 1, "cc_inbound|answered"},
    [DP_PER_ANSWERING] = {"calls_per_answering_employee", M_DP_PER_ANSWERING, RP_DECIMAL, 0, "answering_employees"},
    [DP_NOON] = {"noon_share", M_DP_NOON, RP_SHARE, 0, "inbound"},
    [DP_MONDAY] = {"monday_share", M_DP_MONDAY, RP_SHARE, 0, "inbound"},
    [DP_CC_INBOUND] = {"cc_inbound", M_DP_CC_INBOUND, RP_COUNT, 1, NULL},
};

int rp_months_in(sqlite3 *db, const rp_period *p, int *months, char **err)
{
    rp_table t;
    if (rp_query(db, &t, err, "SELECT count(DISTINCT month) FROM unit_month WHERE month BETWEEN ? AND ?",
                 "ss", p->from, p->to))
        return -1;
    *months = t.nrows ? (int)RP_D(&t, 0, 0) : 0;
    rp_table_free(&t);
    return 0;
}

int rp_data_range(sqlite3 *db, rp_period *all, char **err)
{
    rp_table t;
    if (rp_query(db, &t, err, "SELECT min(month), max(month) FROM unit_month", NULL))
        return -1;
    memset(all, 0, sizeof *all);
    if (t.nrows && RP_S(&t, 0, 0) && RP_S(&t, 0, 1)) {
        cm_strlcpy(all->from, RP_S(&t, 0, 0), sizeof all->from);
        cm_strlcpy(all->to, RP_S(&t, 0, 1), sizeof all->to);
    }
    rp_table_free(&t);
    return 0;
}

int rp_figures(sqlite3 *db, const char *unit, const rp_period *p, double v[RP_NDP], char **err)
{
    int months;
    for (int i = 0; i < RP_NDP; i++)
        v[i] = NAN;
    if (rp_months_in(db, p, &months, err))
        return -1;
    if (months == 0)
        return 0;
    /* the column names are this file's own: never text from outside */
    rp_buf sql = {0};
    rp_put(&sql, "SELECT ");
    for (int i = 0; i < RP_NDP; i++) {
        const rp_dpdef *d = &rp_dps[i];
        if (i)
            rp_put(&sql, ", ");
        if (!rp_has_column(db, "unit_month", d->column)) {
            rp_put(&sql, "NULL");
        } else if (!d->weight) {
            rp_printf(&sql, "sum(%s) * 1.0 / %d", d->column, months);
        } else if (strcmp(d->weight, "*") == 0) {
            /* cost per call: the period's cost over its calls */
            rp_put(&sql, "sum(cost_dkk) / nullif(sum(coalesce(inbound, 0) + coalesce(outbound, 0)), 0)");
        } else {
            /* the first weight column the table has */
            char w[64] = "";
            const char *p = d->weight;
            while (*p && !w[0]) {
                size_t n = strcspn(p, "|");
                char cand[64];
                cm_strlcpy(cand, p, n + 1 < sizeof cand ? n + 1 : sizeof cand);
                if (rp_has_column(db, "unit_month", cand))
                    cm_strlcpy(w, cand, sizeof w);
                p += n + (p[n] == '|');
            }
            if (w[0])
                rp_printf(&sql, "sum(%s * %s) / nullif(sum(CASE WHEN %s IS NOT NULL THEN %s END), 0)",
                          d->column, w, d->column, w);
            else
                rp_printf(&sql, "avg(%s)", d->column);
        }
    }
    rp_put(&sql, " FROM unit_month WHERE unit_id = ? AND month BETWEEN ? AND ?");
    rp_table t;
    int rc = rp_query(db, &t, err, sql.p, "sss", unit, p->from, p->to);
    rp_buf_free(&sql);
    if (rc)
        return -1;
    if (t.nrows)
        for (int i = 0; i < RP_NDP; i++)
            v[i] = RP_D(&t, 0, i);
    /* a unit without a row in a month had no calls in it: counts are 0 */
    rp_table_free(&t);
    return 0;
}

int rp_custom_figures(sqlite3 *db, const char *unit, const rp_period *p, rp_table *t, char **err)
{
    if (!rp_has_table(db, "analysis_datapoints") || !rp_has_table(db, "unit_month_datapoints")) {
        memset(t, 0, sizeof *t);
        return 0;
    }
    return rp_query(db, t, err,
                    "SELECT d.datapoint, d.label, d.direction, "
                    " (SELECT sum(v.value * m.inbound) / nullif(sum(m.inbound), 0) "
                    "  FROM unit_month_datapoints v JOIN unit_month m "
                    "  ON m.unit_id = v.unit_id AND m.month = v.month "
                    "  WHERE v.unit_id = ?1 AND v.datapoint = d.datapoint AND v.value IS NOT NULL "
                    "  AND v.month BETWEEN ?2 AND ?3) "
                    "FROM analysis_datapoints d WHERE d.kind = 'custom' ORDER BY d.position",
                    "sss", unit, p->from, p->to);
}

double rp_analysis_parameter(sqlite3 *db, const char *name, double def)
{
    if (!rp_has_table(db, "analysis_parameters"))
        return def;
    rp_table t;
    char *err = NULL;
    double v = def;
    if (rp_query(db, &t, &err, "SELECT value FROM analysis_parameters WHERE name = ?", "s", name)) {
        free(err);
        return def;
    }
    if (t.nrows && !isnan(RP_D(&t, 0, 0)))
        v = RP_D(&t, 0, 0);
    rp_table_free(&t);
    return v;
}

/* -------------------------------------------------------------- queries */

/* The ids of a unit and the units below it (at any time). */
#define SUBTREE "(SELECT unit_id FROM org_unit_ancestors WHERE ancestor_id = ?1)"

int rp_q_units(sqlite3 *db, rp_table *t, char **err)
{
    return rp_query(db, t, err,
                    "SELECT unit_id, name, type, parent_id FROM org_units o WHERE NOT EXISTS "
                    "(SELECT 1 FROM org_units n WHERE n.unit_id = o.unit_id AND "
                    "(coalesce(n.valid_from, '') > coalesce(o.valid_from, '') OR "
                    "(coalesce(n.valid_from, '') = coalesce(o.valid_from, '') AND n.id > o.id))) "
                    "ORDER BY unit_id",
                    NULL);
}

int rp_q_ranking(sqlite3 *db, rp_table *t, char **err)
{
    const char *order = rp_has_column(db, "unit_potential", "rank")
                            ? "rank, saving_dkk_high DESC, unit_id"
                            : "saving_dkk_high DESC, saving_dkk_low DESC, unit_id";
    char *sql = cm_asprintf(
        "SELECT unit_id, calls_per_year, persons_answering, load_erlang, agents_needed, %s, "
        "saving_dkk_low, saving_dkk_high FROM unit_potential ORDER BY %s",
        rp_has_column(db, "unit_potential", "pooling_gap") ? "pooling_gap"
                                                           : "persons_answering - agents_needed",
        order);
    int rc = rp_query(db, t, err, sql, NULL);
    free(sql);
    return rc;
}

int rp_q_reasons(sqlite3 *db, rp_table *t, char **err)
{
    if (rp_has_table(db, "analysis_datapoints"))
        return rp_query(db, t, err,
                        "SELECT r.unit_id, r.rank, r.datapoint, r.label, r.value, r.peer_median, "
                        "r.threshold, r.direction, d.share, d.kind FROM unit_potential_reasons r "
                        "LEFT JOIN analysis_datapoints d ON d.datapoint = r.datapoint "
                        "ORDER BY r.unit_id, r.rank",
                        NULL);
    return rp_query(db, t, err,
                    "SELECT unit_id, rank, datapoint, label, value, peer_median, threshold, direction, "
                    "NULL, NULL FROM unit_potential_reasons ORDER BY unit_id, rank",
                    NULL);
}

int rp_q_monthly(sqlite3 *db, const char *unit, const rp_period *p, rp_table *t, char **err)
{
    static const char *const cols[] = {"inbound", "answered", "missed", "abandoned", "transferred",
                                       "cost_dkk", "cost_per_call_dkk", "employees_over_threshold"};
    rp_buf sql = {0};
    rp_put(&sql, "SELECT month");
    for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
        rp_printf(&sql, ", %s", rp_has_column(db, "unit_month", cols[i]) ? cols[i] : "NULL");
    rp_put(&sql, " FROM unit_month WHERE unit_id = ? AND month BETWEEN ? AND ? ORDER BY month");
    int rc = rp_query(db, t, err, sql.p, "sss", unit, p->from, p->to);
    rp_buf_free(&sql);
    return rc;
}

int rp_q_heatmap(sqlite3 *db, const char *unit, rp_table *t, char **err)
{
    return rp_query(db, t, err,
                    "SELECT weekday, hour, inbound FROM unit_hour_weekday WHERE unit_id = ? "
                    "ORDER BY weekday, hour",
                    "s", unit);
}

int rp_q_employees(sqlite3 *db, const char *unit, const rp_period *p, rp_table *t, char **err)
{
    /* employee_month has one row per employee, unit and month: the unit
     * and the units below it are the employee's calls there */
    /* under the unit in (some of) the month, as unit_month counts calls */
    return rp_query(db, t, err,
                    "WITH sub AS MATERIALIZED (SELECT unit_id, coalesce(valid_from, '') AS vf, "
                    " coalesce(valid_to, '9999-12-31') AS vt FROM org_unit_ancestors WHERE ancestor_id = ?1) "
                    "SELECT e.employee_id, sum(e.inbound) AS n FROM employee_month e "
                    "WHERE e.month BETWEEN ?2 AND ?3 AND e.employee_id IS NOT NULL "
                    "AND EXISTS (SELECT 1 FROM sub WHERE sub.unit_id = e.unit_id "
                    "AND sub.vf <= e.month || '-31' AND sub.vt >= e.month || '-01') "
                    "GROUP BY e.employee_id HAVING sum(e.inbound) > 0 ORDER BY n DESC, e.employee_id",
                    "sss", unit, p->from, p->to);
}

int rp_q_costs(sqlite3 *db, const char *unit, const rp_period *p, rp_table *t, char **err)
{
    return rp_query(
        db, t, err,
        "WITH sub AS MATERIALIZED (SELECT unit_id, coalesce(valid_from, '') AS vf, "
        " coalesce(valid_to, '9999-12-31') AS vt FROM org_unit_ancestors WHERE ancestor_id = ?1), "
        "sup AS MATERIALIZED (SELECT cvr, name FROM suppliers) "
        "SELECT coalesce(s.name, c.supplier_cvr), c.category, sum(c.amount_dkk) "
        "FROM costs c LEFT JOIN sup s ON s.cvr = c.supplier_cvr "
        "WHERE substr(coalesce(c.period_start, c.invoice_date), 1, 7) BETWEEN ?2 AND ?3 "
        "AND EXISTS (SELECT 1 FROM sub WHERE sub.unit_id = c.unit_id "
        "AND coalesce(c.period_start, c.invoice_date) BETWEEN sub.vf AND sub.vt) "
        "GROUP BY 1, 2 ORDER BY 1, 2",
        "sss", unit, p->from, p->to);
}

int rp_q_cancel(sqlite3 *db, const char *unit, double max_calls, rp_table *t, char **err)
{
    /* the analysis' own verdict and yearly amount when it has them */
    const char *sql =
        rp_has_column(db, "subscription_usage", "cancel_candidate") &&
                rp_has_column(db, "subscription_usage", "yearly_cost_dkk")
            ? "SELECT number, unit_id, employee_id, months_billed, cost_dkk, calls_in, calls_out, "
              "yearly_cost_dkk AS yearly FROM subscription_usage "
              "WHERE cancel_candidate = 1 AND ?2 IS NOT NULL "
              "AND (?1 IS NULL OR unit_id IN " SUBTREE ") ORDER BY yearly DESC, number"
            : "SELECT number, unit_id, employee_id, months_billed, cost_dkk, calls_in, calls_out, "
              "cost_dkk * 12.0 / months_billed AS yearly FROM subscription_usage "
              "WHERE cost_dkk > 0 AND months_billed > 0 "
              "AND coalesce(calls_in, 0) + coalesce(calls_out, 0) <= ?2 * months_billed "
              "AND (?1 IS NULL OR unit_id IN " SUBTREE ") ORDER BY yearly DESC, number";
    return rp_query(db, t, err, sql, "sd", unit, max_calls);
}

int rp_q_dq_sources(sqlite3 *db, rp_table *t, char **err)
{
    return rp_query(
        db, t, err,
        "WITH f AS (SELECT source, min(id) AS first_id, "
        "  sum(status IN ('loaded', 'superseded')) AS loaded, sum(status = 'superseded') AS superseded, "
        "  sum(status = 'failed') AS failed, "
        "  sum(CASE WHEN status = 'loaded' THEN records_loaded ELSE 0 END) AS records_loaded, "
        "  sum(records_rejected) AS records_rejected FROM source_files GROUP BY source), "
        "c AS (SELECT source, min(start_local) AS first, max(start_local) AS last, count(*) AS n, "
        "  sum(unit_id IS NULL) AS unattributed FROM calls GROUP BY source), "
        "k AS (SELECT source, min(coalesce(period_start, invoice_date)) AS first, "
        "  max(coalesce(period_end, invoice_date)) AS last, count(*) AS n, "
        "  sum(unit_id IS NULL) AS unattributed, "
        "  total(CASE WHEN unit_id IS NULL THEN amount_dkk END) AS unattributed_dkk, "
        "  total(amount_dkk) AS dkk FROM costs GROUP BY source), "
        "d AS (SELECT f.source, group_concat(DISTINCT r.dataset) AS datasets FROM source_files f "
        "  JOIN source_file_rows r ON r.source_file_id = f.id GROUP BY f.source) "
        "SELECT f.source, f.loaded, f.superseded, f.failed, f.records_loaded, f.records_rejected, "
        "  substr(coalesce(c.first, k.first), 1, 10), substr(coalesce(c.last, k.last), 1, 10), "
        "  c.n, c.unattributed, k.n, k.unattributed, k.unattributed_dkk, k.dkk, d.datasets "
        "FROM f LEFT JOIN c USING (source) LEFT JOIN k USING (source) LEFT JOIN d USING (source) "
        "ORDER BY f.first_id",
        NULL);
}

int rp_q_dq_rejects(sqlite3 *db, rp_table *t, char **err)
{
    return rp_query(db, t, err,
                    "SELECT f.source, r.reason, count(*) FROM rejects r "
                    "JOIN source_files f ON f.id = r.source_file_id "
                    "WHERE f.status IN ('loaded', 'failed') GROUP BY 1, 2 ORDER BY 1, 2",
                    NULL);
}

int rp_q_dq_failed(sqlite3 *db, rp_table *t, char **err)
{
    return rp_query(db, t, err,
                    "SELECT source, path, member, error FROM source_files WHERE status = 'failed' "
                    "ORDER BY source, path, member",
                    NULL);
}

char *rp_q_last_run(sqlite3 *db)
{
    rp_table t;
    char *err = NULL, *r = NULL;
    if (rp_query(db, &t, &err, "SELECT max(finished_utc) FROM runs", NULL)) {
        free(err);
        return NULL;
    }
    if (t.nrows && RP_S(&t, 0, 0))
        r = cm_xstrdup(RP_S(&t, 0, 0));
    rp_table_free(&t);
    return r;
}
