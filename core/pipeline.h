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

typedef struct cm_pipeline {
    char *file; /* as given on the command line */
    char *dir;  /* the folder relative paths resolve against */
    char *name;
    char *store_path; /* absolute */
    long store_line;
    cm_pl_step *steps; /* in document order */
    size_t nsteps;
} cm_pipeline;

/* Parse, validate (RelaxNG + the rules the schema cannot say: unique source
 * ids, a valid max-reject-ratio, set environment variables) and expand.
 * Every problem goes into diag as "file:line: message"; returns NULL if any. */
cm_pipeline *cm_pipeline_load(const char *file, cm_diag *diag);
void cm_pipeline_free(cm_pipeline *p);

#endif
