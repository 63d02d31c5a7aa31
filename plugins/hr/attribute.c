/*
 * The attribute transform: at the end of a run that changed anything, every
 * call gets the employee and unit that had its local number on the day of
 * the call, and every cost line a unit.  It recomputes all rows each time,
 * so a corrected HR export re-attributes calls loaded in earlier runs, and
 * calls loaded before the HR data are attributed when it arrives.
 *
 * The day of a call is the date of start_local (the wall time of the
 * source's zone, Europe/Copenhagen by default): an assignment valid_from
 * 2025-03-01 covers a call at 00:30 local time on 1 March.
 */
#include "hr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct attr_state {
    const cm_api *api;
    cm_instance *inst;
} attr_state;

int hr_attr_init(const cm_api *api, cm_instance *inst, const void *config, void **state)
{
    (void)config;
    attr_state *st = calloc(1, sizeof *st);
    if (!st)
        return CM_ERROR;
    st->api = api;
    st->inst = inst;
    *state = st;
    return CM_OK;
}

void hr_attr_destroy(void *state) { free(state); }

/*
 * One pass over the calls.  For each call the index on (number, valid_from)
 * finds the assignment valid that day (the latest valid_from wins when
 * several are: only possible across HR sources, one file's assignments never
 * overlap); a LEFT JOIN from a one-row table on its id always yields one
 * row, so a call without an assignment gets NULL employee and unit but keeps
 * its channel and remote_type.  A unit missing from the assignment is the
 * employee's unit on that day.  Rows whose values do not change are not
 * written (the values are computed twice for the rows that do change, once
 * for the others: a rerun changes few rows).
 */
#define DAY "substr(calls.start_local, 1, 10)"
#define CALL_VALUES                                                                            \
    "(SELECT a.employee_id,"                                                                   \
    " coalesce(a.unit_id, (SELECT e.unit_id FROM employees e"                                  \
    "   WHERE e.employee_id = a.employee_id AND e.valid_from <= " DAY                          \
    "   AND coalesce(e.valid_to, '9999-12-31') >= " DAY                                        \
    "   ORDER BY e.valid_from DESC LIMIT 1)),"                                                 \
    " coalesce(calls.channel, CASE a.kind WHEN 'mobile' THEN 'mobile'"                        \
    "   WHEN 'fixed' THEN 'fixed' END),"                                                       \
    " CASE WHEN calls.remote_type = 'national' THEN coalesce((SELECT b.kind"                   \
    "   FROM number_assignments b WHERE b.number = calls.remote_number"                        \
    "   AND b.valid_from <= " DAY " AND coalesce(b.valid_to, '9999-12-31') >= " DAY            \
    "   AND (b.kind = 'mobile' OR b.kind = 'fixed')"                                           \
    "   ORDER BY b.valid_from DESC LIMIT 1), 'national')"                                      \
    "   ELSE calls.remote_type END"                                                            \
    " FROM (SELECT 1) LEFT JOIN number_assignments a ON a.id = (SELECT x.id"                   \
    "   FROM number_assignments x WHERE x.number = calls.local_number"                         \
    "   AND x.valid_from <= " DAY " AND coalesce(x.valid_to, '9999-12-31') >= " DAY            \
    "   ORDER BY x.valid_from DESC LIMIT 1))"

static const char calls_sql[] =
    "UPDATE calls SET (employee_id, unit_id, channel, remote_type) = " CALL_VALUES
    " WHERE (employee_id, unit_id, channel, remote_type) IS NOT " CALL_VALUES ";";

/*
 * Cost lines: the unit whose EAN is the buyer's on the invoice date, else
 * the unit that had the line's number for most of the invoice period (or on
 * the invoice date when the line has no period), else NULL.
 */
#define PS "coalesce(costs.period_start, costs.invoice_date)"
#define PE "coalesce(costs.period_end, costs.period_start, costs.invoice_date)"
/* A subquery's ORDER BY cannot name the outer row in SQLite, so the best
 * assignment is the max() of a key: days of the period it covers (8 digits),
 * its valid_from (10 characters), then the unit. */
static const char costs_sql[] =
    "UPDATE costs SET unit_id = coalesce("
    " (SELECT o.unit_id FROM org_units o WHERE o.ean = costs.buyer_ean"
    "   AND o.valid_from <= coalesce(costs.invoice_date, " PE ")"
    "   AND coalesce(o.valid_to, '9999-12-31') >= coalesce(costs.invoice_date, " PE ")"
    "   ORDER BY o.valid_from DESC, o.unit_id LIMIT 1),"
    " (SELECT nullif(substr(max(printf('%08d%s%s',"
    "     julianday(min(coalesce(a.valid_to, '9999-12-31'), " PE "))"
    "       - julianday(max(a.valid_from, " PS ")),"
    "     a.valid_from,"
    "     coalesce(a.unit_id, (SELECT e.unit_id FROM employees e"
    "       WHERE e.employee_id = a.employee_id AND e.valid_from <= " PE
    "       AND coalesce(e.valid_to, '9999-12-31') >= " PS
    "       ORDER BY e.valid_from DESC LIMIT 1), ''))), 19), '')"
    "   FROM number_assignments a WHERE a.number = costs.number"
    "   AND a.valid_from <= " PE " AND coalesce(a.valid_to, '9999-12-31') >= " PS "));";

/* ---------------------------------------------------------------- report */

/*
 * Per calls source: the unattributed calls, and the ten local numbers that
 * have most of them.  SQLite sorts only the unattributed calls (grouped by
 * source and number, in that order); the totals and the top ten are kept
 * here, so memory does not grow with the calls table.  Every calls source
 * gets its line, also when it has none.
 */
#define TOP 10
#define NUM_MAX 64

typedef struct top_number {
    char number[NUM_MAX];
    int64_t n;
} top_number;

typedef struct calls_report {
    const cm_api *api;
    cm_run *run;
    char source[128];
    int64_t total;
    top_number top[TOP];
    int ntop;
    char **done; /* the sources reported */
    size_t ndone, cap;
} calls_report;

static void flush_calls(calls_report *cr)
{
    if (!cr->source[0])
        return;
    char detail[TOP * (NUM_MAX + 24)];
    size_t len = 0;
    detail[0] = '\0';
    for (int i = 0; i < cr->ntop && len < sizeof detail; i++) {
        int w = snprintf(detail + len, sizeof detail - len, "%s%s (%lld)", i ? ", " : "",
                         cr->top[i].number, (long long)cr->top[i].n);
        if (w > 0)
            len += (size_t)w;
    }
    cr->api->report(cr->run, cr->source, "unattributed calls", cr->total,
                    cr->ntop ? detail : NULL);
    if (cr->ndone == cr->cap) {
        size_t cap = cr->cap ? cr->cap * 2 : 8;
        char **d = realloc(cr->done, cap * sizeof *d);
        if (d)
            cr->done = d, cr->cap = cap;
    }
    char *copy = cr->ndone < cr->cap ? strdup(cr->source) : NULL;
    if (copy) /* (out of memory: the source may get a second line, of 0) */
        cr->done[cr->ndone++] = copy;
    cr->source[0] = '\0';
    cr->total = 0;
    cr->ntop = 0;
}

static void start_source(calls_report *cr, const char *source)
{
    if (strcmp(cr->source, source) == 0)
        return;
    flush_calls(cr);
    snprintf(cr->source, sizeof cr->source, "%s", source);
}

/* rows: source, local number, unattributed calls (by source, then number) */
static int calls_row(void *ctx, int ncols, const char *const *v)
{
    calls_report *cr = ctx;
    if (ncols != 3 || !v[0])
        return 0;
    start_source(cr, v[0]);
    int64_t n = v[2] ? strtoll(v[2], NULL, 10) : 0;
    cr->total += n;
    /* numbers arrive in order, so among equal counts the first stays first */
    int at = cr->ntop;
    while (at > 0 && cr->top[at - 1].n < n)
        at--;
    if (at >= TOP)
        return 0;
    int last = cr->ntop < TOP ? cr->ntop : TOP - 1;
    memmove(&cr->top[at + 1], &cr->top[at], (size_t)(last - at) * sizeof *cr->top);
    snprintf(cr->top[at].number, NUM_MAX, "%s", v[1] ? v[1] : "no number");
    cr->top[at].n = n;
    if (cr->ntop < TOP)
        cr->ntop++;
    return 0;
}

/* the sources with calls, for a line also when nothing is unattributed */
static int calls_source_row(void *ctx, int ncols, const char *const *v)
{
    calls_report *cr = ctx;
    if (ncols != 1 || !v[0])
        return 0;
    for (size_t i = 0; i < cr->ndone; i++)
        if (strcmp(cr->done[i], v[0]) == 0)
            return 0;
    start_source(cr, v[0]);
    flush_calls(cr);
    return 0;
}

static const char calls_report_sql[] =
    "SELECT source, local_number, count(*) FROM calls"
    " WHERE employee_id IS NULL AND unit_id IS NULL"
    " GROUP BY source, local_number ORDER BY source, local_number";

static const char calls_sources_sql[] =
    "SELECT DISTINCT f.source FROM source_files f JOIN source_file_rows r"
    " ON r.source_file_id = f.id AND r.dataset = 'calls'"
    " WHERE f.status = 'loaded' ORDER BY f.source";

typedef struct costs_report {
    const cm_api *api;
    cm_run *run;
} costs_report;

static int costs_row(void *ctx, int ncols, const char *const *v)
{
    costs_report *cr = ctx;
    if (ncols != 3 || !v[0])
        return 0;
    char detail[64];
    snprintf(detail, sizeof detail, "%s DKK excluding VAT", v[2] ? v[2] : "0.00");
    cr->api->report(cr->run, v[0], "unattributed cost lines", v[1] ? strtoll(v[1], NULL, 10) : 0,
                    detail);
    return 0;
}

static const char costs_report_sql[] =
    "SELECT source, sum(unit_id IS NULL),"
    " printf('%.2f', total(CASE WHEN unit_id IS NULL THEN amount_dkk END))"
    " FROM costs GROUP BY source ORDER BY source";

int hr_attr_finish(void *state, cm_run *r)
{
    attr_state *st = state;
    const cm_api *api = st->api;
    if (!api->run_changed(r))
        return CM_OK;
    if (api->sql_exec(r, calls_sql) != CM_OK ||
        api->sql_exec(r, costs_sql) != CM_OK)
        return CM_ERROR;
    calls_report cr = {.api = api, .run = r};
    int rc = api->sql_query(r, calls_report_sql, calls_row, &cr);
    flush_calls(&cr);
    if (rc == CM_OK)
        rc = api->sql_query(r, calls_sources_sql, calls_source_row, &cr);
    for (size_t i = 0; i < cr.ndone; i++)
        free(cr.done[i]);
    free(cr.done);
    if (rc != CM_OK)
        return CM_ERROR;
    costs_report co = {.api = api, .run = r};
    if (api->sql_query(r, costs_report_sql, costs_row, &co) != CM_OK)
        return CM_ERROR;
    return CM_OK;
}
