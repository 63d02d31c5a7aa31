/* The contactcenter plugin: calls of the shared contact-center solution. */
#ifndef CONTACTCENTER_H
#define CONTACTCENTER_H

#include <callmap/plugin.h>

#include <stddef.h>
#include <stdint.h>

#define CC_NUM_MAX 64

/* ------------------------------------------------------------ queue-log */

typedef struct queue_log_config {
    const char *extension_prefix;
    int64_t extension_length;
    int64_t max_open_calls;
    int64_t short_abandon_s;
    const char *encoding;
    const char *const *ignore_events;
} queue_log_config;

extern const cm_option_def queue_log_options[];
int queue_log_init(const cm_api *api, cm_instance *inst, const void *config, void **state);
int queue_log_read(void *state, cm_stream *s);
void queue_log_destroy(void *state);

/* ------------------------------------------------------------ calls-csv */

typedef struct calls_csv_config {
    const char *separator;
    const char *encoding;
    const char *const *columns;  /* column.NAME=Heading */
    const char *const *outcomes; /* outcome.answered=Besvaret, ... */
    const char *date_format;
    const char *extension_prefix;
    int64_t extension_length;
    int64_t short_abandon_s;
} calls_csv_config;

extern const cm_option_def calls_csv_options[];
int calls_csv_init(const cm_api *api, cm_instance *inst, const void *config, void **state);
int calls_csv_read(void *state, cm_stream *s);
void calls_csv_destroy(void *state);

/* ------------------------------------------------------------ common.c */

/* Checks the shared options in init (logs and returns CM_ERROR when wrong). */
int cc_check_extension_options(const cm_api *api, cm_instance *inst, const char *prefix,
                               int64_t length);
int cc_check_encoding(const cm_api *api, cm_instance *inst, const char *encoding);
int cc_is_utf8(const char *encoding);

/* An agent (member name or interface: PJSIP/201, SIP/4012,
 * Local/2004@from-internal/n, Agent/3001, or bare digits) to the agent's
 * extension as local_number: prefix + digits when the digits have the
 * extension length, else the bare digits.  Returns 1 when it has exactly the
 * extension length (or any length when extension_length is 0), 0 when it
 * is digits of another length, -1 when the agent names no extension (out = ""). */
int cc_agent_extension(const char *agent, const char *prefix, int64_t extension_length,
                       char *out, size_t outsz);

/* A whole number of seconds: digits only, at most 10 of them. CM_OK/CM_ERROR. */
int cc_parse_seconds(const char *s, int64_t *out);

/* Trims spaces and tabs in place. */
char *cc_trim(char *s);

/* ASCII case-insensitive equality. */
int cc_eq_nocase(const char *a, const char *b);

#endif
