/* `callmap report`: the analysis tables of a store as one self-contained
 * HTML page (inline CSS and SVG, no script, no network). */
#ifndef CM_REPORT_H
#define CM_REPORT_H

#include "report_data.h"
#include "report_fmt.h"

#include <stddef.h>

typedef struct rp_source {
    const char *id, *plugin, *kind;
} rp_source;

typedef struct rp_opts {
    const char *const *units; /* --unit, in order; none: the top of the ranking */
    size_t nunits;
    int top;                  /* how many units by default */
    rp_period period;         /* --from/--to; empty: all analysis data */
    int compare;              /* --compare: cmp[0] (A) and cmp[1] (B) */
    rp_period cmp[2];
    rp_lang lang;
    const unsigned char *salt; /* for the employees' pseudonymous keys */
    size_t saltlen;
    double threshold_calls;   /* employees above this many calls a month */
    double cancel_max_calls;  /* subscriptions below this many calls a month */
    int ranking_rows;         /* rows of the ranking shown */
    const char *pipeline_name;
    const char *store_name;   /* shown in the footer */
    const rp_source *sources; /* the pipeline's sources, in order */
    size_t nsources;
} rp_opts;

/* Render the report into out. 0; 1 with a message in *err (free it) when
 * the data cannot make a report (no such unit, no data in a period, a
 * query failing); 2 when the message is about the command line. */
int rp_render(sqlite3 *db, const rp_opts *o, rp_buf *out, char **err);

/* The pseudonymous key of an employee: "E-" and the first hex digits of
 * HMAC-SHA256(salt, employee_id); digits as many as len (4..64). */
void rp_employee_key(const unsigned char *salt, size_t saltlen, const char *employee_id, int len,
                     char out[68]);

#endif
