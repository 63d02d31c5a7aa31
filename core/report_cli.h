/* What `callmap report` and `callmap export` share on the command line:
 * the pipeline's store opened read-only, and an output file written whole
 * (a temporary file renamed into place, so a failure leaves no half file). */
#ifndef CM_REPORT_CLI_H
#define CM_REPORT_CLI_H

#include "pipeline.h"

#include <stddef.h>
#include <stdio.h>

typedef struct sqlite3 sqlite3;

/* Load and check the pipeline (its problems printed) and open its store
 * read-only. NULL with *rc = 2 (a bad pipeline) or 1 (no store). */
sqlite3 *rp_cli_open(const char *cmd, const char *pipeline_file, cm_pipeline **pl, int *rc);

/* Write n bytes to path ("-": standard output). 0, or -1 with a message. */
int rp_cli_write(const char *cmd, const char *path, const char *data, size_t n);

/* The same in steps, for output written as it is made: rp_cli_create opens
 * a temporary file next to path (standard output for "-"; *tmp is then
 * NULL), rp_cli_finish closes it and renames it into place (ok != 0) or
 * removes it. NULL or -1 with a message. */
typedef struct rp_out {
    FILE *f;
    char *tmp;
    const char *path, *cmd;
} rp_out;
int rp_cli_create(rp_out *o, const char *cmd, const char *path);
int rp_cli_finish(rp_out *o, int ok);

#endif
