/* `callmap run` and `callmap validate`. */
#ifndef CM_RUN_H
#define CM_RUN_H

#include <stddef.h>

typedef struct cm_run_opts {
    const char *pipeline;
    const char *plugin_path;
    const char **sources; /* --source filters; empty = all */
    size_t nsources;
    int reprocess;
    int json;
    int quiet;
    double wait_s;
} cm_run_opts;

/* Exit statuses, the contract of `callmap run`. */
enum { CM_EXIT_OK = 0, CM_EXIT_FILE_FAILED = 1, CM_EXIT_USAGE = 2, CM_EXIT_BUSY = 3 };

int cm_cmd_run(const cm_run_opts *o);
int cm_cmd_validate(const cm_run_opts *o);

#endif
