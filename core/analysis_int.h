/* Shared by core/analysis*.c: the state of one computation. */
#ifndef CM_ANALYSIS_INT_H
#define CM_ANALYSIS_INT_H

#include "analysis.h"

#include <sqlite3.h>

typedef struct cm_actx {
    sqlite3 *db;
    const cm_pl_analysis *p;
    const char *file;   /* the pipeline file, for messages; may be NULL */
    char from[16], to[16]; /* the period's first and last month */
    char start[24], end[24]; /* its first day and the day after its last */
    int64_t days;
    int nmonths;
    int verbose;
    double t0, tstep;
    char *err;
    size_t errsz;
} cm_actx;

/* A built-in data point: the period value per unit comes from `sql`
 * (SELECT unit_id, value over the temp tables), the monthly one is the
 * unit_month column of the same name. */
typedef struct cm_builtin_dp {
    const char *name, *label;
    int lower; /* a low value means potential */
    int share; /* a share in [0, 1]: its threshold is the median +- reason-min-difference */
    int monthly; /* also a unit_month column (else a period value only) */
    const char *definition;
} cm_builtin_dp;

extern const cm_builtin_dp cm_builtin_dps[];
extern const size_t cm_nbuiltin_dps;

/* Runs every statement of sql, binding the named parameters :start, :end,
 * :from, :to, :days, :T, :thr, :open_share by name. 0, or -1 with err set. */
int cm_a_exec(cm_actx *c, const char *sql);
/* Prepares one statement with the same parameters bound; NULL with err set. */
sqlite3_stmt *cm_a_prepare(cm_actx *c, const char *sql);
void cm_a_fail(cm_actx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cm_a_step_done(cm_actx *c, const char *what);

/* core/analysis_repeat.c: temp table a_rep(unit_id, month, callers, repeaters). */
int cm_a_repeat_callers(cm_actx *c);
/* core/analysis_potential.c: unit_datapoints, unit_potential_reasons and
 * unit_potential from the temp tables a_p and a_dp. */
int cm_a_potential(cm_actx *c);

#endif
