/* Pipeline files: XML validated against the RelaxNG schema shipped with the
 * core (pipeline.rng, compiled into the binary), ${VAR} expansion and paths
 * resolved against the pipeline file's folder. */
#ifndef CM_PIPELINE_H
#define CM_PIPELINE_H

#include "diag.h"

#include <stddef.h>

typedef struct cm_pl_option {
    char *name;
    char *value;
    long line;
} cm_pl_option;

typedef struct cm_pl_input {
    char *path;   /* absolute (resolved against the pipeline's folder) */
    char *member; /* glob over member names, NULL = all */
    long line;
} cm_pl_input;

typedef enum cm_pl_step_type { CM_STEP_SOURCE = 1, CM_STEP_TRANSFORM = 2 } cm_pl_step_type;

typedef struct cm_pl_step {
    cm_pl_step_type type;
    char *id;       /* source: the id attribute; transform: the id attribute,
                       default "plugin/kind" (not necessarily unique) */
    char *plugin;
    char *kind;
    char *timezone;          /* source: default "Europe/Copenhagen"; transform: NULL */
    double max_reject_ratio; /* source: default 0.01; transform: 0 */
    cm_pl_input *inputs;     /* source: one or more; transform: none */
    size_t ninputs;
    cm_pl_option *options;
    size_t noptions;
    long line;
} cm_pl_step;

/* A data point of the pipeline's own: <datapoint> in <analysis>. */
typedef struct cm_pl_datapoint {
    char *name;  /* [a-z][a-z0-9_]*, unique, not a built-in data point */
    char *label; /* default: the name */
    int lower;   /* direction="lower": a low value means potential */
    char *sql;   /* the element's text, without surrounding blanks and trailing ';' */
    long line;
} cm_pl_datapoint;

/* <analysis>: the parameters of the analysis tables (docs/analysis.md).
 * cm_pl_analysis_defaults() gives every documented default. */
typedef struct cm_pl_analysis {
    char *from, *to;                   /* "YYYY-MM" or NULL: all data */
    double threshold_calls;            /* 100: inbound calls a month */
    double service_level_s;            /* 30 */
    double target_service_level;       /* 0.8 */
    double wrap_up_s;                  /* 30 */
    double hourly_cost_dkk;            /* 450 */
    double efficiency_low;             /* 0.05 */
    double efficiency_high;            /* 0.10 */
    double repeat_days;                /* 7 */
    double cancel_max_calls_per_month; /* 2 */
    double reason_factor;              /* 1.5 */
    double reason_min_difference;      /* 0.05 */
    double open_hour_min_share;        /* 0.005 */
    int min_peers;                     /* 3 */
    cm_pl_datapoint *datapoints;
    size_t ndatapoints;
    long line; /* 0 when not from a file */
} cm_pl_analysis;

/* Fills a with the defaults (no period, no data points). */
void cm_pl_analysis_defaults(cm_pl_analysis *a);
/* Frees what a owns (not a itself). */
void cm_pl_analysis_clear(cm_pl_analysis *a);

typedef struct cm_pipeline {
    char *file; /* as given on the command line */
    char *dir;  /* the folder relative paths resolve against */
    char *name;
    char *store_path; /* absolute */
    long store_line;
    cm_pl_step *steps; /* in document order */
    size_t nsteps;
    cm_pl_analysis *analysis; /* <analysis>, NULL when the pipeline has none */
} cm_pipeline;

/* Parse, validate (RelaxNG + the rules the schema cannot say: unique source
 * ids, a valid max-reject-ratio, set environment variables) and expand.
 * Every problem goes into diag as "file:line: message"; returns NULL if any. */
cm_pipeline *cm_pipeline_load(const char *file, cm_diag *diag);
void cm_pipeline_free(cm_pipeline *p);

#endif
