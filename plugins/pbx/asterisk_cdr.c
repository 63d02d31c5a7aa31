/*
 * Asterisk cdr_csv (Master.csv): no header, 16, 17, 18 or 21 columns,
 * strings quoted with doubled quotes, integers unquoted, times as local
 * 'YYYY-MM-DD HH:MM:SS' in the server's zone (the source's timezone).
 *
 * A blind transfer shows as two records with the same uniqueid (Alice->Bob,
 * then Alice->Charlie); the first leg is marked transferred to the second's
 * destination. Records therefore pass through a small window before they are
 * emitted, so the second leg can still mark the first.
 */
#include "held.h"
#include "pbx.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const cm_option_def asterisk_cdr_options[] = {
    {"extension-prefix", CM_OPT_STRING, NULL, 0, offsetof(asterisk_cdr_config, extension_prefix),
     "E.164 prefix that makes an internal extension a full number, e.g. +453366"},
    {"extension-length", CM_OPT_INT, "4", 0, offsetof(asterisk_cdr_config, extension_length),
     "digits of an internal extension"},
    {"transfer-window", CM_OPT_INT, "64", 0, offsetof(asterisk_cdr_config, transfer_window),
     "records held back to pair the two legs of a blind transfer (same uniqueid)"},
    {0},
};

enum { /* column positions of cdr_csv */
    F_ACCOUNTCODE, F_SRC, F_DST, F_DCONTEXT, F_CLID, F_CHANNEL, F_DSTCHANNEL, F_LASTAPP,
    F_LASTDATA, F_START, F_ANSWER, F_END, F_DURATION, F_BILLSEC, F_DISPOSITION, F_AMAFLAGS,
    F_UNIQUEID, F_USERFIELD, F_PEERACCOUNT, F_LINKEDID, F_SEQUENCE
};

#define NUM_MAX 64
/* A record waiting in the transfer window. */
typedef struct pending {
    pbx_held h;
    uint64_t uid_hash; /* 0: no uniqueid */
    char uniqueid[96];
} pending;

typedef struct cdr_state {
    const cm_api *api;
    cm_instance *inst;
    asterisk_cdr_config cfg;
    size_t prefix_len;
    pbx_window win;
    cm_stream *s; /* the file being read */
} cdr_state;

int asterisk_cdr_init(const cm_api *api, cm_instance *inst, const void *config, void **state)
{
    const asterisk_cdr_config *cfg = config;
    if (cfg->extension_length < 0 || cfg->extension_length > 8) {
        api->log(inst, CM_LOG_ERROR, "extension-length must be between 0 and 8, not %lld",
                 (long long)cfg->extension_length);
        return CM_ERROR;
    }
    if (cfg->transfer_window < 1 || cfg->transfer_window > 100000) {
        api->log(inst, CM_LOG_ERROR, "transfer-window must be between 1 and 100000, not %lld",
                 (long long)cfg->transfer_window);
        return CM_ERROR;
    }
    if (cfg->extension_prefix && cfg->extension_prefix[0] != '+') {
        api->log(inst, CM_LOG_ERROR, "extension-prefix must be an E.164 prefix starting with '+', not '%s'",
                 cfg->extension_prefix);
        return CM_ERROR;
    }
    cdr_state *st = calloc(1, sizeof *st);
    if (!st)
        return CM_ERROR;
    st->api = api;
    st->inst = inst;
    st->cfg = *cfg;
    st->prefix_len = cfg->extension_prefix ? strlen(cfg->extension_prefix) : 0;
    if (pbx_window_init(&st->win, sizeof(pending), (size_t)cfg->transfer_window) != CM_OK) {
        free(st);
        return CM_ERROR;
    }
    *state = st;
    return CM_OK;
}

void asterisk_cdr_destroy(void *state)
{
    cdr_state *st = state;
    if (!st)
        return;
    pbx_window_free(&st->win);
    free(st);
}

/* 'YYYY-MM-DD HH:MM:SS' exactly (by hand: it runs twice per record). */
static int parse_time(const char *s, int t[6])
{
    static const char layout[] = "dddd-dd-dd dd:dd:dd";
    for (int i = 0; i < 19; i++) {
        if (layout[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != layout[i])
            return -1;
    }
    if (s[19] != '\0')
        return -1;
#define D2(i) ((s[i] - '0') * 10 + (s[i + 1] - '0'))
    t[0] = D2(0) * 100 + D2(2);
    t[1] = D2(5), t[2] = D2(8), t[3] = D2(11), t[4] = D2(14), t[5] = D2(17);
#undef D2
    return 0;
}

/* FNV-1a: the transfer window compares hashes before strings. */
static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static int parse_seconds(const char *s, int64_t *out)
{
    char *end;
    if (!*s)
        return -1;
    long long v = strtoll(s, &end, 10);
    if (*end || v < 0)
        return -1;
    *out = v;
    return 0;
}

static int emit_held(void *ctx, void *slot)
{
    cdr_state *st = ctx;
    return pbx_held_emit(st->api, st->s, &((pending *)slot)->h);
}

/* Is this normalised number the municipality's side? */
static int is_ours(const cdr_state *st, cm_number_type t, const char *e164)
{
    if (t == CM_NUM_INTERNAL)
        return 1;
    return st->prefix_len && t == CM_NUM_NATIONAL && strncmp(e164, st->cfg.extension_prefix,
                                                             st->prefix_len) == 0;
}

static const char *outcome_of(const char *disposition, const char *lastapp)
{
    static const struct {
        const char *disposition, *outcome;
    } map[] = {
        {"ANSWERED", "answered"}, {"NO ANSWER", "missed"},   {"BUSY", "busy"},
        {"FAILED", "failed"},     {"CONGESTION", "failed"}, {"CANCEL", "missed"},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++) {
        if (strcmp(disposition, map[i].disposition) == 0) {
            /* answered by the voicemail application, not by a person */
            if (i == 0 && strcmp(lastapp, "VoiceMail") == 0)
                return "voicemail";
            return map[i].outcome;
        }
    }
    return NULL;
}

/* Resolve a start time in the repeated autumn hour: the first (summer time)
 * occurrence unless only the second agrees with the record's end and duration. */
static int64_t resolve_ambiguous(cdr_state *st, cm_stream *s, int64_t first, int64_t second,
                                 const char *end, int64_t duration)
{
    int t[6];
    st->api->count(s, "ambiguous_times", 1);
    if (!end[0] || parse_time(end, t) != 0)
        return first;
    int64_t e1, e2;
    cm_time_result r = st->api->local_to_utc(st->inst, t[0], t[1], t[2], t[3], t[4], t[5], &e1, &e2);
    if (r != CM_TIME_UNIQUE && r != CM_TIME_AMBIGUOUS)
        return first;
    int first_fits = e1 - first == duration || e2 - first == duration;
    int second_fits = e1 - second == duration || e2 - second == duration;
    if (!first_fits && second_fits) {
        st->api->count(s, "ambiguous_times_second_occurrence", 1);
        return second;
    }
    return first;
}

static int process(cdr_state *st, cm_stream *s, const cm_csv_row *row)
{
    const cm_api *api = st->api;
    size_t n = row->nfields;
    const char *const *f = row->fields;
    if (n != 16 && n != 17 && n != 18 && n != 21) {
        return cm_reject_row(st->api, s, row,
                             "expected 16, 17, 18 or 21 columns (Asterisk cdr_csv), found %zu", n);
    }
    int t[6];
    if (parse_time(f[F_START], t) != 0)
        return cm_reject_row(st->api, s, row, "start time '%s' is not YYYY-MM-DD HH:MM:SS", f[F_START]);
    int at[6];
    if (f[F_ANSWER][0] && parse_time(f[F_ANSWER], at) != 0)
        return cm_reject_row(st->api, s, row, "answer time '%s' is not YYYY-MM-DD HH:MM:SS or empty",
                      f[F_ANSWER]);
    int64_t duration, billsec;
    if (parse_seconds(f[F_DURATION], &duration) != 0)
        return cm_reject_row(st->api, s, row, "duration '%s' is not a whole number of seconds", f[F_DURATION]);
    if (parse_seconds(f[F_BILLSEC], &billsec) != 0)
        return cm_reject_row(st->api, s, row, "billsec '%s' is not a whole number of seconds", f[F_BILLSEC]);
    if (billsec > duration)
        return cm_reject_row(st->api, s, row, "billsec is longer than duration (%s)", f[F_BILLSEC]);
    const char *outcome = outcome_of(f[F_DISPOSITION], f[F_LASTAPP]);
    if (!outcome)
        return cm_reject_row(st->api, s, row, "unknown disposition '%s'", f[F_DISPOSITION]);

    int64_t first, second, start;
    switch (api->local_to_utc(st->inst, t[0], t[1], t[2], t[3], t[4], t[5], &first, &second)) {
    case CM_TIME_INVALID:
        return cm_reject_row(st->api, s, row, "start time '%s' is not a valid date and time", f[F_START]);
    case CM_TIME_GAP:
        return cm_reject_row(api, s, row,
                             "start time '%s' does not exist in %s (the clocks skip that hour "
                             "when summer time begins)",
                             f[F_START], api->timezone_name(st->inst));
    case CM_TIME_AMBIGUOUS:
        start = resolve_ambiguous(st, s, first, second, f[F_END], duration);
        break;
    default:
        start = first;
    }

    char src[NUM_MAX], dst[NUM_MAX];
    const char *why;
    int len = (int)st->cfg.extension_length;
    cm_number_type ts = api->number_normalize(f[F_SRC], st->cfg.extension_prefix, len, src,
                                              sizeof src, &why);
    cm_number_type td = api->number_normalize(f[F_DST], st->cfg.extension_prefix, len, dst,
                                              sizeof dst, &why);
    int src_ours = is_ours(st, ts, src), dst_ours = is_ours(st, td, dst);
    const char *direction, *local, *remote;
    cm_number_type remote_type;
    if (src_ours && dst_ours) {
        direction = "internal", local = src, remote = dst, remote_type = CM_NUM_INTERNAL;
    } else if (src_ours) {
        direction = "outbound", local = src, remote = dst, remote_type = td;
    } else {
        /* A call between two outside numbers is a DID the PBX received. */
        if (!dst_ours)
            api->count(s, "direction_assumed_inbound", 1);
        direction = "inbound", local = dst, remote = src, remote_type = ts;
    }
    if (remote_type == CM_NUM_UNKNOWN)
        api->count(s, "remote_numbers_not_normalised", 1);

    int rc;
    pending *p = pbx_window_push(&st->win, emit_held, st, &rc);
    if (rc != CM_OK)
        return rc;
    pbx_held_start(&p->h, row);
    p->uid_hash = 0;
    p->uniqueid[0] = '\0';

    const char *uniqueid = n >= 17 && f[F_UNIQUEID][0] ? f[F_UNIQUEID] : NULL;
    const char *linkedid = n == 21 && f[F_LINKEDID][0] ? f[F_LINKEDID] : NULL;
    char local_text[20]; /* the wall time as read, in the stored layout */
    memcpy(local_text, f[F_START], 19);
    local_text[10] = 'T';
    local_text[19] = '\0';
    pbx_held_text(&p->h, CM_CALL_SOURCE_CALL_ID, uniqueid);
    pbx_held_text(&p->h, CM_CALL_CALL_GROUP, linkedid ? linkedid : uniqueid);
    p->h.v[CM_CALL_START_UTC] = (cm_value){.type = CM_TIME, .u.i = start};
    p->h.v[CM_CALL_END_UTC] = (cm_value){.type = CM_TIME, .u.i = start + duration};
    pbx_held_text(&p->h, CM_CALL_START_LOCAL, local_text);
    pbx_held_int(&p->h, CM_CALL_DURATION_S, duration);
    pbx_held_int(&p->h, CM_CALL_WAIT_S, duration - billsec);
    pbx_held_int(&p->h, CM_CALL_TALK_S, billsec);
    pbx_held_text(&p->h, CM_CALL_DIRECTION, direction);
    pbx_held_text(&p->h, CM_CALL_LOCAL_NUMBER, local[0] ? local : NULL);
    pbx_held_text(&p->h, CM_CALL_REMOTE_NUMBER, remote[0] ? remote : NULL);
    pbx_held_text(&p->h, CM_CALL_REMOTE_TYPE, api->number_type_name(remote_type));
    pbx_held_text(&p->h, CM_CALL_OUTCOME, outcome);
    pbx_held_int(&p->h, CM_CALL_TRANSFERRED, 0);
    pbx_held_text(&p->h, CM_CALL_CHANNEL, "pbx");
    if (strcmp(f[F_LASTAPP], "Queue") == 0 && f[F_LASTDATA][0]) {
        char queue[128]; /* the queue name is the first argument of Queue() */
        size_t qn = strcspn(f[F_LASTDATA], ",|");
        qn = qn < sizeof queue - 1 ? qn : sizeof queue - 1;
        memcpy(queue, f[F_LASTDATA], qn);
        queue[qn] = '\0';
        pbx_held_text(&p->h, CM_CALL_QUEUE, queue);
    }

    if (uniqueid && strlen(uniqueid) < sizeof p->uniqueid) {
        strcpy(p->uniqueid, uniqueid);
        p->uid_hash = hash_str(uniqueid) | 1; /* never 0 */
        /* the latest earlier leg of the same channel was blind-transferred here */
        for (size_t k = st->win.count - 1; k-- > 0;) {
            pending *q = pbx_window_at(&st->win, k);
            if (q->uid_hash == p->uid_hash && strcmp(q->uniqueid, uniqueid) == 0) {
                pbx_held_int(&q->h, CM_CALL_TRANSFERRED, 1);
                pbx_held_text(&q->h, CM_CALL_TRANSFERRED_TO, dst[0] ? dst : NULL);
                break;
            }
        }
    }
    return CM_OK;
}

int asterisk_cdr_read(void *state, cm_stream *s)
{
    cdr_state *st = state;
    st->s = s;
    cm_csv *csv = st->api->csv_open(s, ',', '"', CM_CSV_SINGLE_LINE);
    if (!csv)
        return CM_ERROR;
    cm_csv_row row;
    int rc, result = CM_OK;
    while ((rc = st->api->csv_next(csv, &row)) == 1) {
        if (process(st, s, &row) != CM_OK) {
            result = CM_ERROR;
            break;
        }
    }
    if (rc < 0)
        result = CM_ERROR;
    st->api->csv_close(csv);
    /* flush the window, in input order */
    return pbx_window_flush(&st->win, emit_held, st, result == CM_OK);
}
