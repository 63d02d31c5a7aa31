/* Kind options: the declarative table a plugin ships (cm_option_def) drives
 * validation of a pipeline's <option> elements, conversion into the plugin's
 * config struct, and the help printed by `callmap plugins show`. */
#ifndef CM_OPTIONS_H
#define CM_OPTIONS_H

#include "diag.h"
#include "pipeline.h"

#include <callmap/plugin.h>
#include <stdio.h>

/* A converted config struct plus the strings it points into. */
typedef struct cm_config {
    void *data; /* config_size bytes */
    char **strings;
    size_t nstrings;
} cm_config;

/* Check a plugin's own table (types, unique names, offsets inside config_size,
 * defaults that convert). NULL if fine, else an allocated reason. */
char *cm_options_check_table(const cm_option_def *defs, size_t config_size);

/* Convert the options of one pipeline step. Every problem (unknown option, with
 * the list of valid ones; a value that does not convert; a missing required
 * option) goes to diag as "file:line: ...". Returns 0 when all is well. */
int cm_options_build(const cm_option_def *defs, size_t config_size, const cm_pl_step *step,
                     const char *file, const char *what, cm_config *out, cm_diag *diag);
void cm_config_free(cm_config *c);

const char *cm_opt_type_name(cm_opt_type t);
/* The option table as aligned text, for `callmap plugins show`. */
void cm_options_print(FILE *f, const cm_option_def *defs);

#endif
