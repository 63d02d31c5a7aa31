/* The analysis model: the tables unit_month, unit_hour_weekday,
 * employee_month, unit_potential, unit_potential_reasons, unit_datapoints,
 * unit_month_datapoints, subscription_usage, analysis_datapoints and
 * analysis_parameters, computed from the canonical tables of a store with the
 * parameters of a pipeline's <analysis> element. docs/analysis.md defines
 * every column. */
#ifndef CM_ANALYSIS_H
#define CM_ANALYSIS_H

#include "pipeline.h"

#include <stddef.h>
#include <stdint.h>

typedef struct sqlite3 sqlite3;

/* What a computation produced. */
typedef struct cm_analysis_summary {
    char from[16], to[16]; /* the months analysed, "" when the store has no data */
    int64_t days;        /* days in the period */
    int64_t unit_month, unit_hour_weekday, employee_month, unit_potential,
        unit_potential_reasons, subscription_usage; /* rows */
    double elapsed_s;
} cm_analysis_summary;

/* Results of cm_analysis_run. */
enum {
    CM_ANALYSIS_OK = 0,
    CM_ANALYSIS_FAILED = 1,        /* a store error */
    CM_ANALYSIS_BAD_DATAPOINT = 2, /* a custom data point's SQL is wrong */
};

/* Computes every analysis table into db, in one transaction that replaces
 * the tables of an earlier computation (the same data and parameters give
 * identical tables). pipeline_file names the file in messages (may be NULL).
 * verbose: each step's time on stderr. On failure nothing is changed and err
 * says why; a bad data point is named with the file and line of its
 * <datapoint>. */
int cm_analysis_run(sqlite3 *db, const cm_pl_analysis *params, const char *pipeline_file,
                    int verbose, cm_analysis_summary *sum, char *err, size_t errsz);

/* 1 when name is a built-in data point (a custom one may not take it). */
int cm_analysis_builtin_datapoint(const char *name);

#endif
