/* The objects behind the SDK's opaque handles, and the pieces of a run. */
#ifndef CM_ENGINE_H
#define CM_ENGINE_H

#include "diag.h"
#include "input.h"
#include "hash.h"
#include "options.h"
#include "pipeline.h"
#include "registry.h"
#include "store.h"
#include "tz.h"

#include <callmap/plugin.h>
#include <stdint.h>

typedef struct cm_engine cm_engine;

struct cm_instance {
    cm_engine *eng;
    const cm_pl_step *step;
    const cm_loaded_plugin *plugin;
    const cm_kind *kind;
    cm_config config;
    void *state;
    int initialised;
    cm_tz *tz;
    cm_stream *current; /* the file being read, for log messages */
};

#define CM_MAX_COUNTERS 32
#define CM_KEEP_REJECTS 100

typedef struct cm_counter {
    char name[48];
    int64_t value;
} cm_counter;

struct cm_stream {
    cm_engine *eng;
    cm_instance *inst;
    cm_container *container;
    cm_sha256 *hash;
    char *name;     /* "path" or "path!member" */
    int64_t file_id;
    int64_t bytes_read;
    int64_t loaded, rejected;
    int read_failed;   /* the input could not be read to its end */
    int store_failed;  /* the store failed: stop */
    char error[1024];
    cm_counter counters[CM_MAX_COUNTERS];
    int ncounters;
    cm_kept_reject kept[CM_KEEP_REJECTS];
    size_t nkept;
    double started, last_progress;
    struct cm_recode *recode; /* input encoding to UTF-8, if set */
    int64_t replaced;         /* bytes the input encoding does not define */
    int64_t warnings;
    int changed_other;        /* superseded files, for run_changed */
};

/* A line a finish hook adds to the run summary. */
typedef struct cm_report {
    char *source, *name, *detail;
    int64_t value;
} cm_report;

/* What a finish hook gets: the run. */
struct cm_run {
    cm_engine *eng;
    cm_instance *inst;
};

/* The engine behind `run` and `validate`. */
struct cm_engine {
    cm_pipeline *pl;
    cm_registry *reg;
    cm_instance *inst; /* one per pipeline step, in step order */
    size_t ninst;
    cm_store *store;
    int64_t run_id;
    int quiet;
    int progress; /* draw a progress line on stderr */
    int changed;  /* a file was loaded, replaced or superseded */
    cm_report *reports;
    size_t nreports;
};

extern const cm_api cm_host_api;

/* Resolve plugins, kinds and options, load zones and init every instance.
 * All problems go to diag with file:line. 0 when the pipeline can run. */
int cm_engine_prepare(cm_engine *e, cm_diag *diag);
void cm_engine_release(cm_engine *e);

/* Run a source file through an instance (used by run.c). */
void cm_stream_progress(cm_stream *s, int force);

#endif
