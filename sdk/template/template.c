/*
 * template: a starting point for a callmap vendor plugin.
 *
 * Copy this folder, rename the plugin (CM_PLUGIN_DEFINE below, the file and
 * the build files) and replace the `lines` format with your vendor's.
 *
 * Two kinds:
 *
 *   lines        (source, calls)  reads the CSV format below, one call per line
 *   tag-channel  (transform, calls) sets `channel` on every calls record
 *
 * The `lines` format, UTF-8, one header row, ';'-separated (option delimiter):
 *
 *   start;direction;from;to;duration;answered
 *   2025-05-05 09:00:00;in;20111111;1234;65;yes
 *
 *   start      local wall time 'YYYY-MM-DD HH:MM:SS' in the source's timezone
 *   direction  in | out | internal (seen from the municipality)
 *   from, to   the calling and the called number, as dialled
 *   duration   whole seconds
 *   answered   yes | no
 *
 * Everything the plugin needs from callmap comes through the `cm_api` table;
 * all state lives in the per-instance struct made by init (no globals).
 */
#include <callmap/plugin.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ lines: options */

/* The host converts the pipeline's <option> elements (or the defaults) into
 * this struct; the plugin never parses option text itself. */
typedef struct lines_config {
    const char *delimiter;        /* CM_OPT_STRING: const char * */
    int header;                   /* CM_OPT_BOOL: int */
    const char *extension_prefix; /* CM_OPT_STRING, may be NULL */
    int64_t extension_length;     /* CM_OPT_INT: int64_t */
} lines_config;

static const cm_option_def lines_options[] = {
    {"delimiter", CM_OPT_STRING, ";", 0, offsetof(lines_config, delimiter),
     "field separator, one character"},
    {"header", CM_OPT_BOOL, "true", 0, offsetof(lines_config, header),
     "the first line is the header start;direction;from;to;duration;answered"},
    {"extension-prefix", CM_OPT_STRING, NULL, 0, offsetof(lines_config, extension_prefix),
     "E.164 prefix that makes an internal extension a full number, e.g. +453366"},
    {"extension-length", CM_OPT_INT, "4", 0, offsetof(lines_config, extension_length),
     "digits of an internal extension (0: no extensions)"},
    {0},
};

/* ------------------------------------------------------------ lines: state */

typedef struct lines_state {
    const cm_api *api;
    cm_instance *inst;
    lines_config cfg; /* the strings in it are the host's, valid until destroy */
} lines_state;

static int lines_init(const cm_api *api, cm_instance *inst, const void *config, void **state)
{
    const lines_config *cfg = config;
    /* Check what the option table cannot: the host prints these messages with
     * the pipeline's line, before any data is read. */
    if (strlen(cfg->delimiter) != 1) {
        api->log(inst, CM_LOG_ERROR, "delimiter must be one character, not '%s'", cfg->delimiter);
        return CM_ERROR;
    }
    if (cfg->extension_length < 0 || cfg->extension_length > 8) {
        api->log(inst, CM_LOG_ERROR, "extension-length must be between 0 and 8, not %lld",
                 (long long)cfg->extension_length);
        return CM_ERROR;
    }
    if (cfg->extension_prefix && cfg->extension_prefix[0] != '+') {
        api->log(inst, CM_LOG_ERROR,
                 "extension-prefix must be an E.164 prefix starting with '+', not '%s'",
                 cfg->extension_prefix);
        return CM_ERROR;
    }
    lines_state *st = calloc(1, sizeof *st);
    if (!st)
        return CM_ERROR;
    st->api = api;
    st->inst = inst;
    st->cfg = *cfg;
    *state = st;
    return CM_OK;
}

static void lines_destroy(void *state) { free(state); }

/* ------------------------------------------------------------ lines: parsing */

enum { F_START, F_DIRECTION, F_FROM, F_TO, F_DURATION, F_ANSWERED, F_COUNT };
static const char *const header_names[F_COUNT] = {"start", "direction", "from",
                                                  "to",    "duration",  "answered"};

/* 'YYYY-MM-DD HH:MM:SS' exactly, into t[0..5]; -1 if it does not look so. */
static int parse_start(const char *s, int t[6])
{
    static const char shape[] = "dddd-dd-dd dd:dd:dd";
    if (strlen(s) != sizeof shape - 1)
        return -1;
    for (size_t i = 0; shape[i]; i++) {
        int digit = s[i] >= '0' && s[i] <= '9';
        if (shape[i] == 'd' ? !digit : s[i] != shape[i])
            return -1;
    }
    static const int at[6] = {0, 5, 8, 11, 14, 17}, len[6] = {4, 2, 2, 2, 2, 2};
    for (int k = 0; k < 6; k++) {
        t[k] = 0;
        for (int i = 0; i < len[k]; i++)
            t[k] = t[k] * 10 + (s[at[k] + i] - '0');
    }
    return 0;
}

/* A whole, non-negative number of seconds. */
static int parse_seconds(const char *s, int64_t *out)
{
    char *end;
    if (*s < '0' || *s > '9')
        return -1;
    long long v = strtoll(s, &end, 10);
    if (*end || v < 0 || v > 7 * 86400)
        return -1;
    *out = v;
    return 0;
}

/* One data line: emit a calls record or reject the line with a reason
 * (cm_reject_row: the reason, the line number and the line's text go to the
 * store's rejects table). Returns CM_OK, or CM_ERROR when the store failed
 * (stop reading). */
static int lines_process(lines_state *st, cm_stream *s, const cm_csv_row *row)
{
    const cm_api *api = st->api;
    const char *const *f = row->fields;
    if (row->nfields != F_COUNT)
        return cm_reject_row(st->api, s, row, "expected 6 fields (start;direction;from;to;duration;answered), found %zu",
                      row->nfields);

    int t[6];
    if (parse_start(f[F_START], t) != 0)
        return cm_reject_row(st->api, s, row, "start '%s' is not YYYY-MM-DD HH:MM:SS", f[F_START]);
    int64_t start, later;
    switch (api->local_to_utc(st->inst, t[0], t[1], t[2], t[3], t[4], t[5], &start, &later)) {
    case CM_TIME_INVALID:
        return cm_reject_row(st->api, s, row, "start '%s' is not a valid date and time", f[F_START]);
    case CM_TIME_GAP:
        return cm_reject_row(st->api, s, row, "start '%s' does not exist in %s (the clocks skip that hour)", f[F_START],
                      api->timezone_name(st->inst));
    case CM_TIME_AMBIGUOUS:
        /* The repeated autumn hour: this format cannot tell which one, so take
         * the first (summer time) and count it for the run summary. */
        api->count(s, "ambiguous_times", 1);
        break;
    case CM_TIME_UNIQUE:
        break;
    }

    const char *direction;
    if (strcmp(f[F_DIRECTION], "in") == 0)
        direction = "inbound";
    else if (strcmp(f[F_DIRECTION], "out") == 0)
        direction = "outbound";
    else if (strcmp(f[F_DIRECTION], "internal") == 0)
        direction = "internal";
    else
        return cm_reject_row(st->api, s, row, "direction '%s' is not in, out or internal", f[F_DIRECTION]);

    int64_t duration;
    if (parse_seconds(f[F_DURATION], &duration) != 0)
        return cm_reject_row(st->api, s, row, "duration '%s' is not a whole number of seconds (0 to 604800)",
                      f[F_DURATION]);

    int answered;
    if (strcmp(f[F_ANSWERED], "yes") == 0)
        answered = 1;
    else if (strcmp(f[F_ANSWERED], "no") == 0)
        answered = 0;
    else
        return cm_reject_row(st->api, s, row, "answered '%s' is not yes or no", f[F_ANSWERED]);

    /* Numbers to E.164 with a type. On CM_NUM_UNKNOWN the buffer holds the raw
     * value: keep it, and count it so the run summary shows it. */
    char from[64], to[64];
    const char *why;
    int extlen = (int)st->cfg.extension_length;
    cm_number_type tf = api->number_normalize(f[F_FROM], st->cfg.extension_prefix, extlen, from,
                                              sizeof from, &why);
    cm_number_type tt = api->number_normalize(f[F_TO], st->cfg.extension_prefix, extlen, to,
                                              sizeof to, &why);
    int inbound = strcmp(direction, "inbound") == 0;
    const char *local = inbound ? to : from, *remote = inbound ? from : to;
    cm_number_type remote_type = inbound ? tf : tt;
    if (remote_type == CM_NUM_UNKNOWN)
        api->count(s, "remote_numbers_not_normalised", 1);

    char start_local[20];
    snprintf(start_local, sizeof start_local, "%04d-%02d-%02dT%02d:%02d:%02d", t[0], t[1], t[2],
             t[3], t[4], t[5]);

    /* The record: every value must stay valid until emit returns. */
    cm_value v[CM_CALL__COUNT];
    cm_record rec = {.dataset = CM_DS_CALLS, .source_record = row->line,
                     .ncols = CM_CALL__COUNT, .v = v, .raw = row->raw, .raw_len = row->raw_len};
    cm_record_clear(&rec);
    cm_set_time(&rec, CM_CALL_START_UTC, start);
    cm_set_time(&rec, CM_CALL_END_UTC, start + duration);
    cm_set_text(&rec, CM_CALL_START_LOCAL, start_local);
    cm_set_int(&rec, CM_CALL_DURATION_S, duration);
    cm_set_int(&rec, CM_CALL_TALK_S, answered ? duration : 0);
    if (!answered)
        cm_set_int(&rec, CM_CALL_WAIT_S, duration);
    cm_set_text(&rec, CM_CALL_DIRECTION, direction);
    cm_set_text(&rec, CM_CALL_LOCAL_NUMBER, local[0] ? local : NULL);
    cm_set_text(&rec, CM_CALL_REMOTE_NUMBER, remote[0] ? remote : NULL);
    cm_set_text(&rec, CM_CALL_REMOTE_TYPE, api->number_type_name(remote_type));
    cm_set_text(&rec, CM_CALL_OUTCOME, answered ? "answered" : "missed");
    cm_set_int(&rec, CM_CALL_TRANSFERRED, 0);
    return api->emit(s, &rec);
}

/* Read one source file: called once per file (or archive member). */
static int lines_read(void *state, cm_stream *s)
{
    lines_state *st = state;
    const cm_api *api = st->api;
    cm_csv *csv = api->csv_open(s, st->cfg.delimiter[0], '"', CM_CSV_SINGLE_LINE);
    if (!csv)
        return CM_ERROR;
    cm_csv_row row;
    int rc, result = CM_OK, first = st->cfg.header;
    while ((rc = api->csv_next(csv, &row)) == 1) {
        if (first) {
            first = 0;
            int ok = row.nfields == F_COUNT;
            for (size_t i = 0; ok && i < F_COUNT; i++)
                ok = strcmp(row.fields[i], header_names[i]) == 0;
            if (!ok) {
                /* A wrong header means a different format: fail the file
                 * rather than reject every line. */
                api->fail(s,
                          "not in the lines format: line %lld should be the header "
                          "start;direction;from;to;duration;answered (set the option header to "
                          "false for files without one)",
                          (long long)row.line);
                result = CM_ERROR;
                break;
            }
            continue;
        }
        if (lines_process(st, s, &row) != CM_OK) {
            result = CM_ERROR; /* the store failed */
            break;
        }
    }
    if (rc < 0)
        result = CM_ERROR; /* read error: the reason is in api->stream_error(s) */
    api->csv_close(csv);
    return result;
}

/* ------------------------------------------------------------ tag-channel */

typedef struct tag_config {
    const char *channel;
} tag_config;

static const cm_option_def tag_options[] = {
    {"channel", CM_OPT_STRING, NULL, 1, offsetof(tag_config, channel),
     "the channel every calls record gets: mobile, fixed, pbx or contact_center"},
    {0},
};

typedef struct tag_state {
    const char *channel; /* the host's string, valid until destroy */
} tag_state;

static int tag_init(const cm_api *api, cm_instance *inst, const void *config, void **state)
{
    const tag_config *cfg = config;
    static const char *const channels[] = {"mobile", "fixed", "pbx", "contact_center"};
    int known = 0;
    for (size_t i = 0; i < sizeof channels / sizeof *channels; i++)
        known |= strcmp(cfg->channel, channels[i]) == 0;
    if (!known) {
        api->log(inst, CM_LOG_ERROR, "channel must be mobile, fixed, pbx or contact_center, not '%s'",
                 cfg->channel);
        return CM_ERROR;
    }
    tag_state *st = calloc(1, sizeof *st);
    if (!st)
        return CM_ERROR;
    st->channel = cfg->channel;
    *state = st;
    return CM_OK;
}

/* Called for every calls record of the pipeline (from any source) before it
 * is stored. Change it in place; return CM_OK, or CM_REJECT after
 * api->reject to refuse it. */
static int tag_transform(void *state, cm_stream *s, cm_record *rec)
{
    const tag_state *st = state;
    (void)s;
    if (rec->ncols > CM_CALL_CHANNEL) /* a record from an older plugin may be shorter */
        cm_set_text(rec, CM_CALL_CHANNEL, st->channel);
    return CM_OK;
}

static void tag_destroy(void *state) { free(state); }

/* ------------------------------------------------------------ descriptor */

static const cm_kind template_kinds[] = {
    {
        .name = "lines",
        .type = CM_KIND_SOURCE,
        .dataset = CM_DS_CALLS,
        .description = "calls as CSV lines: start;direction;from;to;duration;answered "
                       "(local time in the source's timezone)",
        .options = lines_options,
        .config_size = sizeof(lines_config),
        .init = lines_init,
        .read = lines_read,
        .destroy = lines_destroy,
    },
    {
        .name = "tag-channel",
        .type = CM_KIND_TRANSFORM,
        .dataset = CM_DS_CALLS,
        .description = "sets the channel of every calls record",
        .options = tag_options,
        .config_size = sizeof(tag_config),
        .init = tag_init,
        .transform = tag_transform,
        .destroy = tag_destroy,
    },
    {0},
};

CM_PLUGIN_DEFINE(.name = "template", .version = "0.1.0",
                 .description = "Template plugin: CSV call lines and a channel tag",
                 .license = "MIT", .kinds = template_kinds);
