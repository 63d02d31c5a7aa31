/* The analysis tables, computed with SQL inside the store (docs/analysis.md).
 *
 * One transaction: the result tables are dropped and created again, filled
 * from temporary tables in a fixed order with ORDER BY, so the same store and
 * parameters give identical tables. The calls are read a few times, each
 * time reduced at once to small aggregates:
 *
 *   a_anc  org_unit_ancestors, materialised
 *   a_h    calls per (direct unit, day, hour): additive counts and sums
 *   a_e    inbound calls per (direct unit, day, employee)
 *   a_c    cost lines per (direct unit, day of the period/invoice date)
 *   a_ud   (direct unit, day) -> every unit it counts for that day (itself
 *          and each unit above it, valid on that day)
 *   a_r    a_h rolled up: per (unit, day, hour) for every level
 *   a_m    a_r per (unit, month); a_peak the busiest hour per day;
 *   a_em   a_e rolled up per (unit, month, employee); a_emm per (unit, month)
 *   a_cm   costs rolled up per (unit, month)
 *   a_rep  repeat callers per (unit, month) (core/analysis_repeat.c, in C)
 *   a_slot calls per (unit, weekday, hour) over the period
 *   a_p    per unit over the period, a_dp its data points; unit_potential
 *          and the reasons are computed in C (core/analysis_potential.c) */
#include "analysis_int.h"
#include "util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------ built-ins */

const cm_builtin_dp cm_builtin_dps[] = {
    {"transferred_share", "Transferred share of answered calls", 0, 1, 1,
     "inbound calls transferred or forwarded on / inbound calls answered"},
    {"missed_share", "Missed share of inbound calls", 0, 1, 1,
     "inbound calls missed, busy, failed or to voicemail / inbound calls"},
    {"answerers_per_agent", "Employees answering per agent a queue would need", 0, 0, 0,
     "persons answering / agents needed (Erlang C, unit_potential)"},
    {"noon_share", "Share of inbound calls 11:00-12:59", 0, 1, 1,
     "inbound calls starting 11:00-12:59 local time / inbound calls"},
    {"monday_share", "Share of inbound calls on Mondays", 0, 1, 1,
     "inbound calls on Mondays / inbound calls"},
    {"mobile_share", "Share of inbound calls on mobiles", 0, 1, 1,
     "inbound calls on channel mobile / inbound calls"},
    {"cost_per_call_dkk", "Cost per call (DKK)", 0, 0, 1,
     "cost lines of the unit and below / (inbound + outbound calls)"},
};
const size_t cm_nbuiltin_dps = sizeof cm_builtin_dps / sizeof *cm_builtin_dps;

int cm_analysis_builtin_datapoint(const char *name)
{
    for (size_t i = 0; i < cm_nbuiltin_dps; i++)
        if (!strcmp(cm_builtin_dps[i].name, name))
            return 1;
    return 0;
}

/* ------------------------------------------------------------- helpers */

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

void cm_a_fail(cm_actx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, c->errsz, fmt, ap);
    va_end(ap);
}

void cm_a_step_done(cm_actx *c, const char *what)
{
    double t = now_s();
    if (c->verbose)
        fprintf(stderr, "callmap: analysis: %-34s %7.2f s\n", what, t - c->tstep);
    c->tstep = t;
}

static int bind_params(cm_actx *c, sqlite3_stmt *st)
{
    const cm_pl_analysis *p = c->p;
    int n = sqlite3_bind_parameter_count(st);
    for (int i = 1; i <= n; i++) {
        const char *name = sqlite3_bind_parameter_name(st, i);
        int rc;
        if (!name || name[0] == '?')
            continue; /* positional: bound by the caller */
        if (!strcmp(name, ":start"))
            rc = sqlite3_bind_text(st, i, c->start, -1, SQLITE_TRANSIENT);
        else if (!strcmp(name, ":end"))
            rc = sqlite3_bind_text(st, i, c->end, -1, SQLITE_TRANSIENT);
        else if (!strcmp(name, ":from"))
            rc = sqlite3_bind_text(st, i, c->from, -1, SQLITE_TRANSIENT);
        else if (!strcmp(name, ":to"))
            rc = sqlite3_bind_text(st, i, c->to, -1, SQLITE_TRANSIENT);
        else if (!strcmp(name, ":days"))
            rc = sqlite3_bind_int64(st, i, c->days);
        else if (!strcmp(name, ":T"))
            rc = sqlite3_bind_double(st, i, p->service_level_s);
        else if (!strcmp(name, ":thr"))
            rc = sqlite3_bind_double(st, i, p->threshold_calls);
        else if (!strcmp(name, ":open_share"))
            rc = sqlite3_bind_double(st, i, p->open_hour_min_share);
        else if (!strcmp(name, ":cancel_max"))
            rc = sqlite3_bind_double(st, i, p->cancel_max_calls_per_month);
        else if (!strcmp(name, ":datapoint"))
            continue; /* a custom data point's name: bound by the caller */
        else
            rc = SQLITE_RANGE;
        if (rc == SQLITE_RANGE) {
            cm_a_fail(c, "unknown parameter %s (known: :from, :to, :start, :end, :days)", name);
            return -1;
        }
        if (rc != SQLITE_OK) {
            cm_a_fail(c, "internal error: cannot bind %s", name);
            return -1;
        }
    }
    return 0;
}

sqlite3_stmt *cm_a_prepare(cm_actx *c, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
        cm_a_fail(c, "%s", sqlite3_errmsg(c->db));
        sqlite3_finalize(st);
        return NULL;
    }
    if (bind_params(c, st)) {
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

int cm_a_exec(cm_actx *c, const char *sql)
{
    const char *rest = sql;
    while (rest && *rest) {
        sqlite3_stmt *st = NULL;
        const char *tail = NULL;
        if (sqlite3_prepare_v2(c->db, rest, -1, &st, &tail) != SQLITE_OK) {
            cm_a_fail(c, "%s", sqlite3_errmsg(c->db));
            return -1;
        }
        rest = tail;
        if (!st)
            continue; /* blanks or a comment */
        if (bind_params(c, st)) {
            sqlite3_finalize(st);
            return -1;
        }
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            ;
        if (rc != SQLITE_DONE) {
            cm_a_fail(c, "%s", sqlite3_errmsg(c->db));
            sqlite3_finalize(st);
            return -1;
        }
        sqlite3_finalize(st);
    }
    return 0;
}

static int64_t count_rows(cm_actx *c, const char *table)
{
    char *sql = cm_asprintf("SELECT count(*) FROM %s", table);
    sqlite3_stmt *st = NULL;
    int64_t n = -1;
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    free(sql);
    return n;
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int month_ok(const char *s)
{
    return s && strlen(s) == 7 && s[4] == '-' && strspn(s, "0123456789-") == 7 &&
           atoi(s + 5) >= 1 && atoi(s + 5) <= 12;
}

/* The period: the pipeline's from/to, else the first and last month with
 * an attributed call (else with an attributed cost line). */
static int find_period(cm_actx *c)
{
    const char *from = c->p->from, *to = c->p->to;
    char dfrom[16] = "", dto[16] = "";
    if (!from || !to) {
        static const char *const q[] = {
            "SELECT min(substr(start_local, 1, 7)), max(substr(start_local, 1, 7))"
            " FROM calls WHERE unit_id IS NOT NULL",
            "SELECT min(substr(coalesce(period_start, invoice_date), 1, 7)),"
            " max(substr(coalesce(period_start, invoice_date), 1, 7))"
            " FROM costs WHERE unit_id IS NOT NULL"};
        for (size_t i = 0; i < 2 && !dfrom[0]; i++) {
            sqlite3_stmt *st = NULL;
            if (sqlite3_prepare_v2(c->db, q[i], -1, &st, NULL) != SQLITE_OK) {
                cm_a_fail(c, "%s", sqlite3_errmsg(c->db));
                return -1;
            }
            if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
                snprintf(dfrom, sizeof dfrom, "%s", (const char *)sqlite3_column_text(st, 0));
                snprintf(dto, sizeof dto, "%s", (const char *)sqlite3_column_text(st, 1));
            }
            sqlite3_finalize(st);
        }
        if (dfrom[0] && (!month_ok(dfrom) || !month_ok(dto))) {
            cm_a_fail(c, "the calls' local start times do not begin with a month YYYY-MM"
                         " (found \"%s\" .. \"%s\")", dfrom, dto);
            return -1;
        }
        if (!from)
            from = dfrom[0] ? dfrom : NULL;
        if (!to)
            to = dto[0] ? dto : NULL;
        if (from && !to)
            to = from;
        if (to && !from)
            from = to;
        if (from && to && strcmp(from, to) > 0) {
            /* e.g. from="2026-01" over data that ends before it: a month
             * without data */
            if (c->p->from)
                to = from;
            else
                from = to;
        }
    }
    if (!from || !to) { /* no data: empty tables */
        c->from[0] = c->to[0] = '\0';
        snprintf(c->start, sizeof c->start, "9999-12-31");
        snprintf(c->end, sizeof c->end, "0000-01-01");
        c->days = 0;
        c->nmonths = 0;
        return 0;
    }
    snprintf(c->from, sizeof c->from, "%s", from);
    snprintf(c->to, sizeof c->to, "%s", to);
    int fy = atoi(c->from), fm = atoi(c->from + 5), ty = atoi(c->to), tm = atoi(c->to + 5);
    int ey = tm == 12 ? ty + 1 : ty, em = tm == 12 ? 1 : tm + 1;
    snprintf(c->start, sizeof c->start, "%04d-%02d-01", fy, fm);
    snprintf(c->end, sizeof c->end, "%04d-%02d-01", ey, em);
    c->days = days_from_civil(ey, em, 1) - days_from_civil(fy, fm, 1);
    c->nmonths = (ty * 12 + tm) - (fy * 12 + fm) + 1;
    return 0;
}

/* "sum(h.x) AS x, ..." over the additive columns of a_h. */
static const char *const add_cols[] = {
    "n_in",   "n_out",    "n_int",  "ans",    "mis",      "busy",     "vm",
    "aba",    "xfer",     "mob",    "hid",    "talk",     "talk_n",   "cc_in",
    "cc_ans", "cc_ans_t", "cc_off", "cc_wait", "cc_wait_n", "cc_wrap", "cc_wrap_n"};

static char *sums(const char *alias)
{
    size_t n = sizeof add_cols / sizeof *add_cols;
    char *out = cm_xstrdup("");
    for (size_t i = 0; i < n; i++) {
        char *next = cm_asprintf("%s%ssum(%s%s%s) AS %s", out, i ? ", " : "", alias,
                                 *alias ? "." : "", add_cols[i], add_cols[i]);
        free(out);
        out = next;
    }
    return out;
}

/* ------------------------------------------------------------- the SQL */

static const char drop_results[] =
    "DROP TABLE IF EXISTS unit_month;"
    "DROP TABLE IF EXISTS unit_hour_weekday;"
    "DROP TABLE IF EXISTS employee_month;"
    "DROP TABLE IF EXISTS unit_potential;"
    "DROP TABLE IF EXISTS unit_potential_reasons;"
    "DROP TABLE IF EXISTS unit_datapoints;"
    "DROP TABLE IF EXISTS unit_month_datapoints;"
    "DROP TABLE IF EXISTS subscription_usage;"
    "DROP TABLE IF EXISTS analysis_datapoints;"
    "DROP TABLE IF EXISTS analysis_parameters;";

static const char *const temp_tables[] = {
    "a_anc", "a_h",  "a_e",    "a_c",  "a_ud", "a_r",   "a_m",   "a_peak", "a_em", "a_emm",
    "a_cm",  "a_rep", "a_slot", "a_wd", "a_tot", "a_open", "a_pers", "a_p", "a_dp", "a_pot",
    "a_sub", "a_subcalls", "a_udk", "a_units"};

static void drop_temp(sqlite3 *db)
{
    sqlite3_exec(db, "DROP VIEW IF EXISTS temp.analysis_calls", NULL, NULL, NULL);
    for (size_t i = 0; i < sizeof temp_tables / sizeof *temp_tables; i++) {
        char *sql = cm_asprintf("DROP TABLE IF EXISTS temp.%s", temp_tables[i]);
        sqlite3_exec(db, sql, NULL, NULL, NULL);
        free(sql);
    }
}

static const char create_results[] =
    "CREATE TABLE unit_month ("
    " unit_id TEXT NOT NULL, month TEXT NOT NULL,"
    " inbound INTEGER NOT NULL, outbound INTEGER NOT NULL, internal INTEGER NOT NULL,"
    " answered INTEGER NOT NULL, missed INTEGER NOT NULL, busy INTEGER NOT NULL,"
    " voicemail INTEGER NOT NULL, abandoned INTEGER NOT NULL, transferred INTEGER NOT NULL,"
    " answered_share REAL, missed_share REAL, abandoned_share REAL, transferred_share REAL,"
    " answering_employees INTEGER NOT NULL, employees_over_threshold INTEGER NOT NULL,"
    " calls_per_answering_employee REAL, busiest_20pct_share REAL,"
    " peak_hour_share REAL, noon_share REAL, monday_share REAL, mobile_share REAL,"
    " hidden_share REAL,"
    " callers INTEGER NOT NULL, repeat_callers INTEGER NOT NULL, repeat_callers_7d_share REAL,"
    " talk_s INTEGER NOT NULL, avg_talk_s REAL,"
    " cost_dkk REAL, cost_per_call_dkk REAL,"
    " cc_inbound INTEGER NOT NULL, service_level_answered REAL, service_level_offered REAL,"
    " asa_s REAL, avg_wrap_s REAL,"
    " PRIMARY KEY (unit_id, month));"

    "CREATE TABLE unit_hour_weekday ("
    " unit_id TEXT NOT NULL, weekday INTEGER NOT NULL, hour INTEGER NOT NULL,"
    " days INTEGER NOT NULL,"
    " inbound REAL NOT NULL, answered REAL NOT NULL, missed REAL NOT NULL,"
    " abandoned REAL NOT NULL, transferred REAL NOT NULL, outbound REAL NOT NULL,"
    " internal REAL NOT NULL,"
    " PRIMARY KEY (unit_id, weekday, hour));"

    "CREATE TABLE employee_month ("
    " employee_id TEXT NOT NULL, unit_id TEXT NOT NULL, month TEXT NOT NULL,"
    " inbound INTEGER NOT NULL, answered INTEGER NOT NULL, missed INTEGER NOT NULL,"
    " talk_s INTEGER NOT NULL,"
    " PRIMARY KEY (employee_id, unit_id, month));"

    "CREATE TABLE unit_potential ("
    " unit_id TEXT PRIMARY KEY, rank INTEGER NOT NULL, unit_name TEXT, unit_type TEXT,"
    " score REAL NOT NULL, reasons_count INTEGER NOT NULL,"
    " inbound INTEGER NOT NULL, answered INTEGER NOT NULL, calls_per_year REAL,"
    " persons_answering INTEGER NOT NULL, open_hours_per_week INTEGER NOT NULL,"
    " calls_per_open_hour REAL, aht_s REAL, load_erlang REAL, agents_needed INTEGER,"
    " service_level REAL, pooling_gap INTEGER, handled_hours_per_year REAL,"
    " saving_dkk_low REAL, saving_dkk_high REAL, reasons TEXT NOT NULL);"

    "CREATE TABLE unit_potential_reasons ("
    " unit_id TEXT NOT NULL, rank INTEGER NOT NULL, datapoint TEXT NOT NULL, label TEXT,"
    " value REAL, peer_median REAL, threshold REAL, direction TEXT NOT NULL,"
    " peers INTEGER NOT NULL, strength REAL NOT NULL,"
    " PRIMARY KEY (unit_id, rank));"

    "CREATE TABLE unit_datapoints ("
    " unit_id TEXT NOT NULL, datapoint TEXT NOT NULL, value REAL, peer_median REAL,"
    " threshold REAL, peers INTEGER NOT NULL, above INTEGER NOT NULL,"
    " PRIMARY KEY (unit_id, datapoint));"

    "CREATE TABLE unit_month_datapoints ("
    " unit_id TEXT NOT NULL, month TEXT NOT NULL, datapoint TEXT NOT NULL, value REAL,"
    " PRIMARY KEY (unit_id, month, datapoint)) WITHOUT ROWID;"

    "CREATE TABLE subscription_usage ("
    " number TEXT PRIMARY KEY, unit_id TEXT, employee_id TEXT, kind TEXT,"
    " months_billed INTEGER NOT NULL, cost_dkk REAL NOT NULL, yearly_cost_dkk REAL,"
    " calls_in INTEGER NOT NULL, calls_out INTEGER NOT NULL, calls_per_month REAL,"
    " cancel_candidate INTEGER NOT NULL);"

    "CREATE TABLE analysis_datapoints ("
    " datapoint TEXT PRIMARY KEY, label TEXT NOT NULL, direction TEXT NOT NULL,"
    " kind TEXT NOT NULL, share INTEGER NOT NULL, definition TEXT NOT NULL,"
    " position INTEGER NOT NULL);"

    "CREATE TABLE analysis_parameters (name TEXT PRIMARY KEY, value TEXT);";

/* Calls in the period with a unit, reduced per (direct unit, day, hour). */
static const char sql_hours[] =
    "CREATE TEMP TABLE a_anc AS SELECT DISTINCT unit_id, ancestor_id,"
    " coalesce(valid_from, '') AS vf, coalesce(valid_to, '9999-12-31') AS vt"
    " FROM org_unit_ancestors;"
    "CREATE INDEX temp.a_anc_unit ON a_anc(unit_id);"

    "CREATE TEMP TABLE a_h AS SELECT unit_id, substr(start_local, 1, 10) AS day,"
    " CAST(substr(start_local, 12, 2) AS INTEGER) AS hour,"
    " sum(i) AS n_in, sum(direction = 'outbound') AS n_out,"
    " sum(direction = 'internal') AS n_int,"
    " sum(i AND outcome = 'answered') AS ans,"
    " sum(i AND outcome <> 'answered' AND outcome <> 'abandoned') AS mis,"
    " sum(i AND outcome = 'busy') AS busy,"
    " sum(i AND outcome = 'voicemail') AS vm,"
    " sum(i AND outcome = 'abandoned') AS aba,"
    " sum(i AND transferred = 1) AS xfer,"
    " sum(i AND channel = 'mobile') AS mob,"
    " sum(i AND (remote_type = 'hidden' OR remote_number = 'hidden')) AS hid,"
    " coalesce(sum(CASE WHEN i AND outcome = 'answered' THEN talk_s END), 0) AS talk,"
    " sum(i AND outcome = 'answered' AND talk_s IS NOT NULL) AS talk_n,"
    " sum(cc) AS cc_in,"
    " sum(cc AND outcome = 'answered') AS cc_ans,"
    " coalesce(sum(cc AND outcome = 'answered' AND wait_s <= :T), 0) AS cc_ans_t,"
    " sum(cc AND coalesce(short_abandon, 0) = 0) AS cc_off,"
    " coalesce(sum(CASE WHEN cc AND outcome = 'answered' THEN wait_s END), 0) AS cc_wait,"
    " sum(cc AND outcome = 'answered' AND wait_s IS NOT NULL) AS cc_wait_n,"
    " coalesce(sum(CASE WHEN cc AND outcome = 'answered' THEN wrap_s END), 0) AS cc_wrap,"
    " sum(cc AND outcome = 'answered' AND wrap_s IS NOT NULL) AS cc_wrap_n"
    " FROM (SELECT unit_id, start_local, direction, outcome, transferred, channel,"
    "  remote_type, remote_number, talk_s, wait_s, wrap_s, short_abandon,"
    "  direction = 'inbound' AS i,"
    "  direction = 'inbound' AND coalesce(channel = 'contact_center', 0) AS cc"
    "  FROM calls WHERE unit_id IS NOT NULL AND start_local >= :start AND start_local < :end)"
    " GROUP BY 1, 2, 3;"

    "CREATE TEMP TABLE a_e AS SELECT unit_id, substr(start_local, 1, 10) AS day, employee_id,"
    " count(*) AS n_in, sum(outcome = 'answered') AS ans,"
    " sum(outcome <> 'answered' AND outcome <> 'abandoned') AS mis,"
    " coalesce(sum(CASE WHEN outcome = 'answered' THEN talk_s END), 0) AS talk"
    " FROM calls WHERE unit_id IS NOT NULL AND employee_id IS NOT NULL"
    " AND direction = 'inbound' AND start_local >= :start AND start_local < :end"
    " GROUP BY 1, 2, 3;"

    "CREATE TEMP TABLE a_c AS SELECT unit_id,"
    " substr(coalesce(period_start, invoice_date), 1, 10) AS day, sum(amount_dkk) AS amount"
    " FROM costs WHERE unit_id IS NOT NULL"
    " AND coalesce(period_start, invoice_date) >= :start"
    " AND coalesce(period_start, invoice_date) < :end GROUP BY 1, 2;"

    /* every (direct unit, day) with the units it counts for that day */
    "CREATE TEMP TABLE a_ud AS SELECT DISTINCT d.unit_id, d.day,"
    " coalesce(a.ancestor_id, d.unit_id) AS anc"
    " FROM (SELECT unit_id, day FROM a_h UNION SELECT unit_id, day FROM a_c) d"
    " LEFT JOIN a_anc a ON a.unit_id = d.unit_id AND a.vf <= d.day AND a.vt >= d.day"
    " AND a.ancestor_id IS NOT NULL;"
    "CREATE INDEX temp.a_ud_key ON a_ud(unit_id, day);";

/* Per (unit, month) at every level. %s: sum columns (u.anc roll-up), sums. */
static const char sql_rollup_fmt[] =
    "CREATE TEMP TABLE a_r AS SELECT u.anc AS unit_id, h.day, h.hour, %s"
    " FROM a_h h JOIN a_ud u ON u.unit_id = h.unit_id AND u.day = h.day"
    " GROUP BY u.anc, h.day, h.hour;"

    "CREATE TEMP TABLE a_m AS SELECT unit_id, substr(day, 1, 7) AS month, %s,"
    " sum(CASE WHEN hour = 11 OR hour = 12 THEN n_in ELSE 0 END) AS noon,"
    " sum(CASE WHEN strftime('%%w', day) = '1' THEN n_in ELSE 0 END) AS monday"
    " FROM a_r GROUP BY 1, 2;"

    "CREATE TEMP TABLE a_peak AS SELECT unit_id, month, avg(share) AS peak FROM"
    " (SELECT unit_id, substr(day, 1, 7) AS month, max(n_in) * 1.0 / sum(n_in) AS share"
    "  FROM a_r GROUP BY unit_id, day HAVING sum(n_in) > 0)"
    " GROUP BY 1, 2;"

    "CREATE TEMP TABLE a_em AS SELECT u.anc AS unit_id, substr(e.day, 1, 7) AS month,"
    " e.employee_id, sum(e.n_in) AS n_in, sum(e.ans) AS ans"
    " FROM a_e e JOIN a_ud u ON u.unit_id = e.unit_id AND u.day = e.day"
    " GROUP BY 1, 2, 3;"

    "CREATE TEMP TABLE a_emm AS SELECT unit_id, month, sum(ans > 0) AS answering,"
    " sum(n_in > :thr) AS over, sum(ans) AS emp_ans,"
    " sum(CASE WHEN ans > 0 AND rn <= (cnt + 4) / 5 THEN ans ELSE 0 END) AS top_ans"
    " FROM (SELECT unit_id, month, n_in, ans,"
    "  row_number() OVER (PARTITION BY unit_id, month ORDER BY ans DESC, employee_id) AS rn,"
    "  sum(ans > 0) OVER (PARTITION BY unit_id, month) AS cnt FROM a_em)"
    " GROUP BY 1, 2;"

    "CREATE TEMP TABLE a_cm AS SELECT u.anc AS unit_id, substr(c.day, 1, 7) AS month,"
    " sum(c.amount) AS cost"
    " FROM a_c c JOIN a_ud u ON u.unit_id = c.unit_id AND u.day = c.day GROUP BY 1, 2;";

#define DIV(n, d) "CASE WHEN (" d ") > 0 THEN (" n ") * 1.0 / (" d ") END"

static const char sql_unit_month[] =
    "INSERT INTO unit_month SELECT k.unit_id, k.month,"
    " coalesce(m.n_in, 0), coalesce(m.n_out, 0), coalesce(m.n_int, 0),"
    " coalesce(m.ans, 0), coalesce(m.mis, 0), coalesce(m.busy, 0), coalesce(m.vm, 0),"
    " coalesce(m.aba, 0), coalesce(m.xfer, 0),"
    " " DIV("m.ans", "m.n_in") ", " DIV("m.mis", "m.n_in") ", " DIV("m.aba", "m.n_in") ","
    " " DIV("m.xfer", "m.ans") ","
    " coalesce(e.answering, 0), coalesce(e.over, 0),"
    " " DIV("e.emp_ans", "e.answering") ", " DIV("e.top_ans", "e.emp_ans") ","
    " p.peak, " DIV("m.noon", "m.n_in") ", " DIV("m.monday", "m.n_in") ","
    " " DIV("m.mob", "m.n_in") ", " DIV("m.hid", "m.n_in") ","
    " coalesce(r.callers, 0), coalesce(r.repeaters, 0), " DIV("r.repeaters", "r.callers") ","
    " coalesce(m.talk, 0), " DIV("m.talk", "m.talk_n") ","
    " c.cost, CASE WHEN c.cost IS NOT NULL THEN " DIV("c.cost", "m.n_in + m.n_out") " END,"
    " coalesce(m.cc_in, 0),"
    " CASE WHEN m.cc_in > 0 THEN " DIV("m.cc_ans_t", "m.cc_ans") " END,"
    " CASE WHEN m.cc_in > 0 THEN " DIV("m.cc_ans_t", "m.cc_off") " END,"
    " CASE WHEN m.cc_in > 0 THEN " DIV("m.cc_wait", "m.cc_wait_n") " END,"
    " CASE WHEN m.cc_in > 0 THEN " DIV("m.cc_wrap", "m.cc_wrap_n") " END"
    " FROM (SELECT unit_id, month FROM a_m UNION SELECT unit_id, month FROM a_cm) k"
    " LEFT JOIN a_m m ON m.unit_id = k.unit_id AND m.month = k.month"
    " LEFT JOIN a_emm e ON e.unit_id = k.unit_id AND e.month = k.month"
    " LEFT JOIN a_peak p ON p.unit_id = k.unit_id AND p.month = k.month"
    " LEFT JOIN a_rep r ON r.unit_id = k.unit_id AND r.month = k.month"
    " LEFT JOIN a_cm c ON c.unit_id = k.unit_id AND c.month = k.month"
    " ORDER BY k.unit_id, k.month;";

static const char sql_hour_weekday[] =
    "CREATE TEMP TABLE a_wd AS WITH RECURSIVE d(day) AS ("
    "  SELECT :start WHERE :start < :end"
    "  UNION ALL SELECT date(day, '+1 day') FROM d WHERE date(day, '+1 day') < :end)"
    " SELECT (CAST(strftime('%w', day) AS INTEGER) + 6) % 7 + 1 AS weekday, count(*) AS n"
    " FROM d GROUP BY 1;"

    "CREATE TEMP TABLE a_slot AS SELECT unit_id,"
    " (CAST(strftime('%w', day) AS INTEGER) + 6) % 7 + 1 AS weekday, hour,"
    " sum(n_in) AS n_in, sum(ans) AS ans, sum(mis) AS mis, sum(aba) AS aba,"
    " sum(xfer) AS xfer, sum(n_out) AS n_out, sum(n_int) AS n_int"
    " FROM a_r GROUP BY 1, 2, 3;"

    "INSERT INTO unit_hour_weekday"
    " WITH RECURSIVE hrs(h) AS (SELECT 0 UNION ALL SELECT h + 1 FROM hrs WHERE h < 23)"
    " SELECT u.unit_id, w.weekday, hrs.h, w.n,"
    " coalesce(s.n_in, 0) * 1.0 / w.n, coalesce(s.ans, 0) * 1.0 / w.n,"
    " coalesce(s.mis, 0) * 1.0 / w.n, coalesce(s.aba, 0) * 1.0 / w.n,"
    " coalesce(s.xfer, 0) * 1.0 / w.n, coalesce(s.n_out, 0) * 1.0 / w.n,"
    " coalesce(s.n_int, 0) * 1.0 / w.n"
    " FROM (SELECT DISTINCT unit_id FROM a_slot) u CROSS JOIN a_wd w CROSS JOIN hrs"
    " LEFT JOIN a_slot s ON s.unit_id = u.unit_id AND s.weekday = w.weekday AND s.hour = hrs.h"
    " ORDER BY 1, 2, 3;";

static const char sql_employee_month[] =
    "INSERT INTO employee_month SELECT employee_id, unit_id, substr(day, 1, 7) AS month,"
    " sum(n_in), sum(ans), sum(mis), sum(talk)"
    " FROM a_e GROUP BY employee_id, unit_id, month ORDER BY 1, 2, 3;";

/* Per unit over the period (units with inbound calls), for unit_potential:
 * the opening hours are the (weekday, hour) slots with at least
 * open-hour-min-share of the unit's inbound calls. */
static const char sql_period[] =
    "CREATE TEMP TABLE a_tot AS SELECT unit_id, sum(n_in) AS n_in FROM a_slot GROUP BY unit_id;"
    "CREATE TEMP TABLE a_open AS SELECT s.unit_id, count(*) AS open_hours,"
    " sum(s.n_in) AS open_calls, sum(w.n) AS open_occurrences"
    " FROM a_slot s JOIN a_tot t ON t.unit_id = s.unit_id JOIN a_wd w ON w.weekday = s.weekday"
    " WHERE s.n_in > 0 AND s.n_in >= :open_share * t.n_in GROUP BY s.unit_id;"
    "CREATE TEMP TABLE a_pers AS SELECT unit_id, count(DISTINCT employee_id) AS persons"
    " FROM a_em WHERE ans > 0 GROUP BY unit_id;"
    "CREATE TEMP TABLE a_p AS SELECT m.unit_id,"
    " (SELECT o.name FROM org_units o WHERE o.unit_id = m.unit_id"
    "  ORDER BY coalesce(o.valid_from, '') < :end DESC, o.valid_from DESC, o.id DESC LIMIT 1)"
    "  AS name,"
    " (SELECT o.type FROM org_units o WHERE o.unit_id = m.unit_id"
    "  ORDER BY coalesce(o.valid_from, '') < :end DESC, o.valid_from DESC, o.id DESC LIMIT 1)"
    "  AS type,"
    " m.inbound, m.answered, m.talk, m.talk_n, coalesce(e.persons, 0) AS persons,"
    " coalesce(o.open_hours, 0) AS open_hours, coalesce(o.open_calls, 0) AS open_calls,"
    " coalesce(o.open_occurrences, 0) AS open_occurrences"
    " FROM (SELECT unit_id, sum(n_in) AS inbound, sum(ans) AS answered, sum(talk) AS talk,"
    "  sum(talk_n) AS talk_n FROM a_m GROUP BY unit_id HAVING sum(n_in) > 0) m"
    " LEFT JOIN a_pers e ON e.unit_id = m.unit_id"
    " LEFT JOIN a_open o ON o.unit_id = m.unit_id;"

    /* the period value of each built-in data point */
    "CREATE TEMP TABLE a_dp (unit_id TEXT, datapoint TEXT, value REAL);"
    "INSERT INTO a_dp SELECT m.unit_id, 'transferred_share', " DIV("sum(m.xfer)", "sum(m.ans)")
    " FROM a_m m JOIN a_p USING (unit_id) GROUP BY m.unit_id;"
    "INSERT INTO a_dp SELECT m.unit_id, 'missed_share', " DIV("sum(m.mis)", "sum(m.n_in)")
    " FROM a_m m JOIN a_p USING (unit_id) GROUP BY m.unit_id;"
    "INSERT INTO a_dp SELECT m.unit_id, 'noon_share', " DIV("sum(m.noon)", "sum(m.n_in)")
    " FROM a_m m JOIN a_p USING (unit_id) GROUP BY m.unit_id;"
    "INSERT INTO a_dp SELECT m.unit_id, 'monday_share', " DIV("sum(m.monday)", "sum(m.n_in)")
    " FROM a_m m JOIN a_p USING (unit_id) GROUP BY m.unit_id;"
    "INSERT INTO a_dp SELECT m.unit_id, 'mobile_share', " DIV("sum(m.mob)", "sum(m.n_in)")
    " FROM a_m m JOIN a_p USING (unit_id) GROUP BY m.unit_id;"
    "INSERT INTO a_dp SELECT c.unit_id, 'cost_per_call_dkk',"
    " " DIV("sum(c.cost)", "(SELECT sum(m.n_in + m.n_out) FROM a_m m WHERE m.unit_id = c.unit_id)")
    " FROM a_cm c JOIN a_p USING (unit_id) GROUP BY c.unit_id;";

static const char sql_subscriptions[] =
    "CREATE TEMP TABLE a_sub AS SELECT number,"
    " count(DISTINCT CASE WHEN category = 'subscription'"
    "  THEN substr(coalesce(period_start, invoice_date), 1, 7) END) AS months,"
    " max(CASE WHEN category = 'subscription'"
    "  THEN coalesce(period_end, period_start, invoice_date) END) AS last_day,"
    " sum(amount_dkk) AS cost"
    " FROM costs WHERE number IS NOT NULL"
    " AND coalesce(period_start, invoice_date) >= :start"
    " AND coalesce(period_start, invoice_date) < :end GROUP BY number;"
    "DELETE FROM a_sub WHERE months = 0;"
    "CREATE TEMP TABLE a_subcalls AS SELECT local_number AS number,"
    " sum(direction = 'inbound') AS calls_in, sum(direction = 'outbound') AS calls_out"
    " FROM calls WHERE start_local >= :start AND start_local < :end"
    " AND local_number IN (SELECT number FROM a_sub) GROUP BY local_number;"
    "INSERT INTO subscription_usage SELECT s.number,"
    " coalesce((SELECT na.unit_id FROM number_assignments na WHERE na.number = s.number"
    "   AND coalesce(na.valid_from, '') <= s.last_day"
    "   ORDER BY na.valid_from DESC, na.id DESC LIMIT 1),"
    "  (SELECT c.unit_id FROM costs c WHERE c.number = s.number AND c.unit_id IS NOT NULL"
    "   AND coalesce(c.period_start, c.invoice_date) >= :start"
    "   AND coalesce(c.period_start, c.invoice_date) < :end"
    "   ORDER BY coalesce(c.period_start, c.invoice_date) DESC, c.id DESC LIMIT 1)),"
    " (SELECT na.employee_id FROM number_assignments na WHERE na.number = s.number"
    "   AND coalesce(na.valid_from, '') <= s.last_day"
    "   ORDER BY na.valid_from DESC, na.id DESC LIMIT 1),"
    " (SELECT na.kind FROM number_assignments na WHERE na.number = s.number"
    "   AND coalesce(na.valid_from, '') <= s.last_day"
    "   ORDER BY na.valid_from DESC, na.id DESC LIMIT 1),"
    " s.months, s.cost, s.cost * 12.0 / s.months,"
    " coalesce(k.calls_in, 0), coalesce(k.calls_out, 0),"
    " (coalesce(k.calls_in, 0) + coalesce(k.calls_out, 0)) * 1.0 / s.months,"
    " s.cost > 0 AND (coalesce(k.calls_in, 0) + coalesce(k.calls_out, 0)) * 1.0 / s.months"
    "  <= :cancel_max"
    " FROM a_sub s LEFT JOIN a_subcalls k ON k.number = s.number ORDER BY s.number;";

/* ------------------------------------------------------ custom data points */

static char *where(const cm_actx *c, const cm_pl_datapoint *d)
{
    if (c->file && d->line > 0)
        return cm_asprintf("datapoint \"%s\" (%s:%ld)", d->name, c->file, d->line);
    return cm_asprintf("datapoint \"%s\"", d->name);
}

/* The view a data point's SQL may read to roll calls up: every call of the
 * period once for each unit it counts for (its own and each one above it on
 * the call's date). Dates are literal: a view takes no parameters. */
static int create_calls_view(cm_actx *c)
{
    char *sql = cm_asprintf(
        "CREATE TEMP VIEW analysis_calls AS SELECT u.anc AS unit_id,"
        " c.unit_id AS direct_unit_id, substr(c.start_local, 1, 7) AS month,"
        " substr(c.start_local, 1, 10) AS day,"
        " CAST(substr(c.start_local, 12, 2) AS INTEGER) AS hour,"
        " (CAST(strftime('%%w', substr(c.start_local, 1, 10)) AS INTEGER) + 6) %% 7 + 1"
        " AS weekday,"
        " c.id AS call_id, c.source, c.source_call_id, c.call_group, c.start_utc,"
        " c.start_local, c.end_utc, c.duration_s, c.wait_s, c.talk_s, c.direction,"
        " c.local_number, c.remote_number, c.remote_type, c.outcome, c.transferred,"
        " c.transferred_to, c.channel, c.queue, c.employee_id, c.charge_dkk, c.wrap_s,"
        " c.ivr_choice, c.short_abandon, c.agent"
        " FROM calls c JOIN a_ud u ON u.unit_id = c.unit_id"
        " AND u.day = substr(c.start_local, 1, 10)"
        " WHERE c.unit_id IS NOT NULL AND c.start_local >= '%s' AND c.start_local < '%s'",
        c->start, c->end);
    int rc = cm_a_exec(c, sql);
    free(sql);
    return rc;
}

static int custom_datapoints(cm_actx *c)
{
    const cm_pl_analysis *p = c->p;
    for (size_t i = 0; i < p->ndatapoints; i++) {
        const cm_pl_datapoint *d = &p->datapoints[i];
        char *sql = cm_asprintf(
            "INSERT INTO unit_month_datapoints (unit_id, month, datapoint, value)"
            " SELECT CAST(unit_id AS TEXT), CAST(month AS TEXT), :datapoint, CAST(value AS REAL)"
            " FROM (\n%s\n) WHERE unit_id IS NOT NULL AND month >= :from AND month <= :to"
            " AND value IS NOT NULL",
            d->sql);
        sqlite3_stmt *st = NULL;
        const char *tail = NULL;
        int rc = sqlite3_prepare_v2(c->db, sql, -1, &st, &tail);
        char *w = where(c, d);
        if (rc != SQLITE_OK) {
            cm_a_fail(c, "%s: %s (the SQL must be one SELECT returning the columns unit_id, "
                         "month and value)",
                      w, sqlite3_errmsg(c->db));
        } else if (tail && *tail) {
            cm_a_fail(c, "%s: the SQL must be one SELECT statement", w);
            rc = SQLITE_ERROR;
        } else if (bind_params(c, st)) {
            char *why = cm_xstrdup(c->err);
            cm_a_fail(c, "%s: %s", w, why);
            free(why);
            rc = SQLITE_ERROR;
        } else {
            sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":datapoint"), d->name, -1,
                              SQLITE_STATIC);
            rc = sqlite3_step(st);
            if (rc == SQLITE_DONE) {
                rc = SQLITE_OK;
            } else if (sqlite3_extended_errcode(c->db) == SQLITE_CONSTRAINT_PRIMARYKEY) {
                cm_a_fail(c, "%s: the SQL returns more than one row for a unit and month", w);
                rc = SQLITE_ERROR;
            } else {
                cm_a_fail(c, "%s: %s", w, sqlite3_errmsg(c->db));
                rc = SQLITE_ERROR;
            }
        }
        sqlite3_finalize(st);
        free(w);
        free(sql);
        if (rc != SQLITE_OK)
            return -1;
        /* the period value: the mean of the monthly values */
        st = cm_a_prepare(c, "INSERT INTO a_dp SELECT d.unit_id, d.datapoint, avg(d.value)"
                             " FROM unit_month_datapoints d JOIN a_p USING (unit_id)"
                             " WHERE d.datapoint = ? GROUP BY d.unit_id");
        if (!st)
            return -1;
        sqlite3_bind_text(st, 1, d->name, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) {
            cm_a_fail(c, "%s", sqlite3_errmsg(c->db));
            return -1;
        }
    }
    return 0;
}

/* The built-in data points' monthly values, from unit_month. */
static int builtin_month_datapoints(cm_actx *c)
{
    for (size_t i = 0; i < cm_nbuiltin_dps; i++) {
        if (!cm_builtin_dps[i].monthly)
            continue;
        char *sql = cm_asprintf("INSERT INTO unit_month_datapoints SELECT unit_id, month, '%s', %s"
                                " FROM unit_month WHERE %s IS NOT NULL",
                                cm_builtin_dps[i].name, cm_builtin_dps[i].name,
                                cm_builtin_dps[i].name);
        int rc = cm_a_exec(c, sql);
        free(sql);
        if (rc)
            return -1;
    }
    return 0;
}

static int catalogue(cm_actx *c)
{
    sqlite3_stmt *st = cm_a_prepare(c, "INSERT INTO analysis_datapoints VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return -1;
    int pos = 0, rc = SQLITE_DONE;
    for (size_t i = 0; i < cm_nbuiltin_dps && rc == SQLITE_DONE; i++) {
        const cm_builtin_dp *b = &cm_builtin_dps[i];
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, b->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, b->label, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, b->lower ? "lower" : "higher", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, "builtin", -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 5, b->share);
        sqlite3_bind_text(st, 6, b->definition, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 7, ++pos);
        rc = sqlite3_step(st);
    }
    for (size_t i = 0; i < c->p->ndatapoints && rc == SQLITE_DONE; i++) {
        const cm_pl_datapoint *d = &c->p->datapoints[i];
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, d->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, d->label ? d->label : d->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, d->lower ? "lower" : "higher", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, "custom", -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 5, 0);
        sqlite3_bind_text(st, 6, d->sql, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 7, ++pos);
        rc = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        cm_a_fail(c, "%s", sqlite3_errmsg(c->db));
        return -1;
    }
    return 0;
}

/* A number as the shortest text that reads back the same. */
static void fmt_num(char *buf, size_t n, double v)
{
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(buf, n, "%.0f", v);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

static int parameters(cm_actx *c)
{
    const cm_pl_analysis *p = c->p;
    struct {
        const char *name;
        double v;
    } nums[] = {
        {"days", (double)c->days},
        {"threshold-calls", p->threshold_calls},
        {"service-level-seconds", p->service_level_s},
        {"target-service-level", p->target_service_level},
        {"wrap-up-seconds", p->wrap_up_s},
        {"hourly-cost-dkk", p->hourly_cost_dkk},
        {"efficiency-low", p->efficiency_low},
        {"efficiency-high", p->efficiency_high},
        {"repeat-days", p->repeat_days},
        {"cancel-max-calls-per-month", p->cancel_max_calls_per_month},
        {"reason-factor", p->reason_factor},
        {"reason-min-difference", p->reason_min_difference},
        {"min-peers", (double)p->min_peers},
        {"open-hour-min-share", p->open_hour_min_share},
    };
    sqlite3_stmt *st = cm_a_prepare(c, "INSERT INTO analysis_parameters VALUES (?, ?)");
    if (!st)
        return -1;
    int rc = SQLITE_DONE;
    const char *texts[][2] = {{"from", c->from}, {"to", c->to}};
    for (size_t i = 0; i < 2 && rc == SQLITE_DONE; i++) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, texts[i][0], -1, SQLITE_STATIC);
        if (texts[i][1][0])
            sqlite3_bind_text(st, 2, texts[i][1], -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 2);
        rc = sqlite3_step(st);
    }
    for (size_t i = 0; i < sizeof nums / sizeof *nums && rc == SQLITE_DONE; i++) {
        char buf[64];
        fmt_num(buf, sizeof buf, nums[i].v);
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, nums[i].name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, buf, -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        cm_a_fail(c, "%s", sqlite3_errmsg(c->db));
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ run */

static int compute(cm_actx *c, int *bad_datapoint)
{
    if (cm_a_exec(c, drop_results) || cm_a_exec(c, create_results) || find_period(c) ||
        parameters(c) || catalogue(c))
        return -1;
    cm_a_step_done(c, "tables and period");
    if (cm_a_exec(c, sql_hours))
        return -1;
    cm_a_step_done(c, "calls per unit, day and hour");
    char *s1 = sums("h"), *s2 = sums("");
    char *rollup = cm_asprintf(sql_rollup_fmt, s1, s2);
    free(s1);
    free(s2);
    int rc = cm_a_exec(c, rollup);
    free(rollup);
    if (rc)
        return -1;
    cm_a_step_done(c, "roll-up to every level");
    if (cm_a_repeat_callers(c))
        return -1;
    cm_a_step_done(c, "repeat callers");
    if (cm_a_exec(c, sql_unit_month))
        return -1;
    cm_a_step_done(c, "unit_month");
    if (cm_a_exec(c, sql_hour_weekday))
        return -1;
    cm_a_step_done(c, "unit_hour_weekday");
    if (cm_a_exec(c, sql_employee_month))
        return -1;
    cm_a_step_done(c, "employee_month");
    if (cm_a_exec(c, sql_period) || builtin_month_datapoints(c) || create_calls_view(c))
        return -1;
    if (custom_datapoints(c)) {
        *bad_datapoint = 1;
        return -1;
    }
    cm_a_step_done(c, "data points");
    if (cm_a_potential(c))
        return -1;
    cm_a_step_done(c, "unit_potential");
    if (cm_a_exec(c, sql_subscriptions))
        return -1;
    cm_a_step_done(c, "subscription_usage");
    return 0;
}

static int64_t pragma_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int run_in_transaction(cm_actx *cp, cm_analysis_summary *sum);

int cm_analysis_run(sqlite3 *db, const cm_pl_analysis *params, const char *pipeline_file,
                    int verbose, cm_analysis_summary *sum, char *err, size_t errsz)
{
    cm_pl_analysis defaults;
    cm_pl_analysis_defaults(&defaults);
    cm_actx c = {.db = db, .p = params ? params : &defaults, .file = pipeline_file,
                 .verbose = verbose, .err = err, .errsz = errsz};
    c.t0 = c.tstep = now_s();
    if (errsz)
        err[0] = '\0';
    memset(sum, 0, sizeof *sum);
    drop_temp(db); /* left over by an interrupted computation on this connection */
    /* The temporary tables grow with the period (a year of a municipality:
     * millions of rows): on disk, with a bounded cache, whatever the
     * connection's setting; restored afterwards. */
    int temp_store = (int)pragma_int(db, "PRAGMA temp_store");
    sqlite3_exec(db, "PRAGMA temp_store = FILE; PRAGMA temp.cache_size = -65536", NULL, NULL,
                 NULL);
    int rc = run_in_transaction(&c, sum);
    char *restore = cm_asprintf("PRAGMA temp_store = %d", temp_store < 0 ? 0 : temp_store);
    sqlite3_exec(db, restore, NULL, NULL, NULL);
    free(restore);
    return rc;
}

static int run_in_transaction(cm_actx *cp, cm_analysis_summary *sum)
{
    cm_actx c = *cp;
    sqlite3 *db = c.db;
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        cm_a_fail(&c, "%s", sqlite3_errmsg(db));
        return CM_ANALYSIS_FAILED;
    }
    int bad_datapoint = 0;
    int rc = compute(&c, &bad_datapoint);
    if (rc == 0) {
        sum->unit_month = count_rows(&c, "unit_month");
        sum->unit_hour_weekday = count_rows(&c, "unit_hour_weekday");
        sum->employee_month = count_rows(&c, "employee_month");
        sum->unit_potential = count_rows(&c, "unit_potential");
        sum->unit_potential_reasons = count_rows(&c, "unit_potential_reasons");
        sum->subscription_usage = count_rows(&c, "subscription_usage");
    }
    drop_temp(db);
    if (rc == 0 && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        cm_a_fail(&c, "%s", sqlite3_errmsg(db));
        rc = -1;
    }
    if (rc != 0) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        drop_temp(db);
        return bad_datapoint ? CM_ANALYSIS_BAD_DATAPOINT : CM_ANALYSIS_FAILED;
    }
    snprintf(sum->from, sizeof sum->from, "%s", c.from);
    snprintf(sum->to, sizeof sum->to, "%s", c.to);
    sum->days = c.days;
    sum->elapsed_s = now_s() - c.t0;
    return CM_ANALYSIS_OK;
}
