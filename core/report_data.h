/* What the report and the export read from a store: a read-only connection,
 * the checks that the analysis tables are there, and the queries behind
 * each part of the report (as small tables of text and numbers). */
#ifndef CM_REPORT_DATA_H
#define CM_REPORT_DATA_H

#include "report_fmt.h"

#include <stddef.h>

typedef struct sqlite3 sqlite3;

/* Open a store read-only (it must exist). NULL and a message in err. */
sqlite3 *rp_db_open(const char *path, char *err, size_t errsz);
int rp_has_table(sqlite3 *db, const char *name); /* a table or a view */
int rp_has_column(sqlite3 *db, const char *table, const char *column);

/* The analysis tables the report needs, in a fixed order; the first one
 * missing from the store, or NULL when all are there. */
const char *rp_missing_analysis_table(sqlite3 *db);

/* A query's result: rows of cells, each text (NULL for SQL NULL) and its
 * number (NAN for NULL or text that is not a number). */
typedef struct rp_cell {
    char *s;
    double d;
} rp_cell;
typedef struct rp_table {
    size_t nrows, ncols;
    rp_cell *cells;
} rp_table;
#define RP_CELL(t, r, c) (&(t)->cells[(r) * (t)->ncols + (c)])
#define RP_S(t, r, c) (RP_CELL(t, r, c)->s)
#define RP_D(t, r, c) (RP_CELL(t, r, c)->d)

/* Run sql with parameters described by types: 's' const char *, 'd'
 * double, 'i' long long. 0, or -1 with the error in *err (free it). */
int rp_query(sqlite3 *db, rp_table *t, char **err, const char *sql, const char *types, ...);
void rp_table_free(rp_table *t);

/* A period of calendar months, inclusive: "YYYY-MM". */
typedef struct rp_period {
    char from[8], to[8];
} rp_period;
/* "YYYY-MM" with a valid month. */
int rp_valid_month(const char *s);

/* The key figures of a unit over a period, from unit_month. */
typedef enum rp_dp {
    DP_INBOUND, DP_OUTBOUND, DP_ANSWERED_SHARE, DP_MISSED_SHARE, DP_ABANDONED_SHARE,
    DP_TRANSFERRED_SHARE, DP_ANSWERING, DP_EMP_OVER, DP_BUSIEST, DP_PEAK_HOUR, DP_MOBILE,
    DP_HIDDEN, DP_REPEAT, DP_TALK, DP_COST, DP_COST_PER_CALL, DP_SL_ANSWERED, DP_SL_OFFERED,
    DP_ASA, DP_WRAP, DP_PER_ANSWERING, DP_NOON, DP_MONDAY, DP_CC_INBOUND, RP_NDP
} rp_dp;
typedef struct rp_dpdef {
    const char *column; /* unit_month's column */
    rp_msg label;
    rp_kind kind;
    int cc_only; /* shown for units with contact-center calls only */
    const char *weight; /* NULL: a count, averaged per month of the period;
                           else the months' values weighted by this column
                           (the first of "a|b" that the table has) */
} rp_dpdef;
extern const rp_dpdef rp_dps[RP_NDP];

/* Months of analysis data in the period (over all units), and the first
 * and last month of all analysis data. */
int rp_months_in(sqlite3 *db, const rp_period *p, int *months, char **err);
int rp_data_range(sqlite3 *db, rp_period *all, char **err);

/* The figures of a unit over a period (NAN where there is no value). */
int rp_figures(sqlite3 *db, const char *unit, const rp_period *p, double v[RP_NDP], char **err);

#endif

/* The custom data points (analysis_datapoints of kind custom) of a unit
 * over a period: datapoint, label, direction, value (the months' values
 * weighted by their inbound calls). */
int rp_custom_figures(sqlite3 *db, const char *unit, const rp_period *p, rp_table *t, char **err);

/* A number from analysis_parameters (the values the tables were computed
 * with), else def. */
double rp_analysis_parameter(sqlite3 *db, const char *name, double def);

/* The queries behind the report, each into a table (columns as listed). */
/* unit_id, name, type, parent_id: every unit with its latest name */
int rp_q_units(sqlite3 *db, rp_table *t, char **err);
/* unit_id, calls_per_year, persons_answering, load_erlang, agents_needed,
 * pooling_gap, saving_dkk_low, saving_dkk_high: ranked, the largest first */
int rp_q_ranking(sqlite3 *db, rp_table *t, char **err);
/* unit_id, rank, datapoint, label, value, peer_median, threshold, direction,
 * share (1 when the data point is a share), kind (builtin, custom): from
 * analysis_datapoints when the store has it */
int rp_q_reasons(sqlite3 *db, rp_table *t, char **err);
/* month, inbound, answered, missed, abandoned, transferred, cost_dkk,
 * cost_per_call_dkk, employees_over_threshold: the unit's months in p */
int rp_q_monthly(sqlite3 *db, const char *unit, const rp_period *p, rp_table *t, char **err);
/* weekday (1 = Monday), hour, inbound */
int rp_q_heatmap(sqlite3 *db, const char *unit, rp_table *t, char **err);
/* employee_id, inbound (sum over p): the employees of the unit and the
 * units below it, busiest first */
int rp_q_employees(sqlite3 *db, const char *unit, const rp_period *p, rp_table *t, char **err);
/* supplier (name, else CVR), category, amount_dkk: cost lines of the unit
 * and below whose period (else invoice) month is in p */
int rp_q_costs(sqlite3 *db, const char *unit, const rp_period *p, rp_table *t, char **err);
/* number, unit_id, employee_id, months_billed, cost_dkk, calls_in,
 * calls_out, yearly_dkk: subscriptions with cost > 0 and fewer than
 * max_calls calls a month billed (of the unit and below; NULL: all) */
int rp_q_cancel(sqlite3 *db, const char *unit, double max_calls, rp_table *t, char **err);
/* source, files_loaded, files_superseded, files_failed, records_loaded,
 * records_rejected, first, last, calls, calls_unattributed, cost_lines,
 * cost_lines_unattributed, cost_unattributed_dkk, cost_dkk, datasets */
int rp_q_dq_sources(sqlite3 *db, rp_table *t, char **err);
/* source, reason, count (raw reasons; the report groups them) */
int rp_q_dq_rejects(sqlite3 *db, rp_table *t, char **err);
/* source, path, member, error */
int rp_q_dq_failed(sqlite3 *db, rp_table *t, char **err);
/* the last finished run's end (UTC), or NULL */
char *rp_q_last_run(sqlite3 *db);
