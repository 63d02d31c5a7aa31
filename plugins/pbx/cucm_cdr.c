/*
 * Cisco Unified CM CDR flat files (cdr_<cluster>_<node>_<yyyymmddhhmm>_<seq>):
 * line 1 holds the field names, comma-separated and double-quoted; line 2 the
 * field types, unquoted (INTEGER, VARCHAR(50), UNIQUEIDENTIFIER, ...); then one
 * record per line, strings quoted and integers not.  The column count depends
 * on the CUCM version (129 or 133, ...), so columns are found by header name.
 * Times are UTC Unix seconds.  See README.md for how the fields map to calls.
 *
 * A transfer shows as three CDRs: the original call and the consultation call,
 * both split by the transfer (cause 393216, OnBehalfOf 10) and written when the
 * transfer completes, then the final call (joinOnBehalfOf 10).  Records pass
 * through a small window before they are emitted, so the original call and
 * its consultation can find each other and the original can name the party it
 * was transferred to.
 */
#include "held.h"
#include "pbx.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const cm_option_def cucm_cdr_options[] = {
    {"extension-prefix", CM_OPT_STRING, NULL, 0, offsetof(cucm_cdr_config, extension_prefix),
     "E.164 prefix that makes an internal directory number a full number, e.g. +453366"},
    {"extension-length", CM_OPT_INT, "4", 0, offsetof(cucm_cdr_config, extension_length),
     "digits of an internal directory number (0: none)"},
    {"phone-device-prefix", CM_OPT_LIST, NULL, 0, offsetof(cucm_cdr_config, phone_device_prefix),
     "device-name prefix of the municipality's phones, repeatable (default SEP, CSF, BOT, TCT, "
     "TAB, ATA); other devices (trunks, gateways) are outside"},
    {"voicemail-number", CM_OPT_STRING, NULL, 0, offsetof(cucm_cdr_config, voicemail_number),
     "the voicemail pilot number: a connected call that ends there is outcome voicemail"},
    {"transfer-window", CM_OPT_INT, "64", 0, offsetof(cucm_cdr_config, transfer_window),
     "records held back to pair the original and consultation CDRs of a transfer"},
    {0},
};

/* Device-name prefixes of phones when no phone-device-prefix is given: hardware
 * phones (SEP<MAC>), Jabber for desktop, Android, iPhone and tablets, and ATA
 * analog adapters. */
static const char *const DEFAULT_PHONE_PREFIXES[] = {"SEP", "CSF", "BOT", "TCT", "TAB", "ATA",
                                                     NULL};

/* The columns this kind reads, by header name (compared case-insensitively). */
enum {
    C_RECORD_TYPE, C_CM_ID, C_CALL_ID, C_ORIGINATION, C_CALLING, C_ORIG_CAUSE,
    C_ORIGINAL_CALLED, C_FINAL_CALLED, C_DEST_CAUSE, C_CONNECT, C_DISCONNECT, C_PKID,
    C_DURATION, C_ORIG_DEVICE, C_DEST_DEVICE, C_ORIG_TERM_OBO, C_DEST_TERM_OBO, C_JOIN_OBO,
    C__REQUIRED,
    /* optional: used when the header has them */
    C_CLUSTER = C__REQUIRED, C_OUTPULSED_CALLED, C_HUNT_PILOT_DN, C_WAS_QUEUED,
    C__COUNT
};

static const char *const COLUMN_NAMES[C__COUNT] = {
    [C_RECORD_TYPE] = "cdrRecordType",
    [C_CM_ID] = "globalCallID_callManagerId",
    [C_CALL_ID] = "globalCallID_callId",
    [C_ORIGINATION] = "dateTimeOrigination",
    [C_CALLING] = "callingPartyNumber",
    [C_ORIG_CAUSE] = "origCause_value",
    [C_ORIGINAL_CALLED] = "originalCalledPartyNumber",
    [C_FINAL_CALLED] = "finalCalledPartyNumber",
    [C_DEST_CAUSE] = "destCause_value",
    [C_CONNECT] = "dateTimeConnect",
    [C_DISCONNECT] = "dateTimeDisconnect",
    [C_PKID] = "pkid",
    [C_DURATION] = "duration",
    [C_ORIG_DEVICE] = "origDeviceName",
    [C_DEST_DEVICE] = "destDeviceName",
    [C_ORIG_TERM_OBO] = "origCallTerminationOnBehalfOf",
    [C_DEST_TERM_OBO] = "destCallTerminationOnBehalfOf",
    [C_JOIN_OBO] = "joinOnBehalfOf",
    [C_CLUSTER] = "globalCallId_ClusterID",
    [C_OUTPULSED_CALLED] = "outpulsedCalledPartyNumber",
    [C_HUNT_PILOT_DN] = "huntPilotDN",
    [C_WAS_QUEUED] = "wasCallQueued",
};

#define CAUSE_SPLIT 393216 /* the call was split by a feature (transfer, conference) */
#define OBO_TRANSFER 10    /* OnBehalfOf code: Transfer */
#define TIME_MAX 4102444800LL /* 2100-01-01T00:00:00Z: later is not a CDR time */
#define TRANSFER_SLACK 5   /* seconds between the ends of an original and its consultation */

#define NUM_MAX 64
#define KEY_MAX 136   /* a device name is VARCHAR(129) */
#define FIELD_MAX 128 /* longest pkid, cluster id, call ids and hunt pilot kept (CUCM: 50) */
#define GROUP_MAX (3 * FIELD_MAX + 3)
/* pkid and queue, call group (twice: a consultation takes its original's), start_local,
 * local, remote and transferred_to (twice when a forward is also paired), each with its NUL */
/* the strings one record keeps must fit a held record's arena */
_Static_assert(2 * (FIELD_MAX + 1) + 2 * GROUP_MAX + 20 + 4 * NUM_MAX <= PBX_ARENA,
               "a CUCM record's strings do not fit a held record");

/* The numbers of one side of a call. */
typedef struct party {
    char num[NUM_MAX];   /* normalised (E.164, ...), or the raw value; "hidden" when empty */
    cm_number_type type;
    int given;           /* the field was not empty */
    int ours;
    char key[KEY_MAX];   /* what identifies the side across records: "d:<phone>" or "n:<DN>" */
} party;

/* A record waiting in the window; its strings live in its arena. */
typedef struct pending {
    pbx_held h;
    int transfer;        /* split by a transfer and not yet paired with its partner */
    int64_t start, end;
    char side_key[2][KEY_MAX];  /* origin and destination */
    char side_num[2][NUM_MAX];
} pending;

typedef struct cucm_state {
    const cm_api *api;
    cm_instance *inst;
    cucm_cdr_config cfg;
    const char *const *phone_prefixes;
    size_t prefix_len;
    char voicemail[NUM_MAX]; /* the voicemail pilot, normalised; "" when not set */
    /* per file */
    int col[C__COUNT];       /* index of each column in the header, -1 when absent */
    size_t ncols;            /* columns of the header */
    pbx_window win;
    cm_stream *s; /* the file being read */
} cucm_state;

/* ---------------------------------------------------------------- init */

int cucm_cdr_init(const cm_api *api, cm_instance *inst, const void *config, void **state)
{
    const cucm_cdr_config *cfg = config;
    int bad = 0; /* every problem is reported, not just the first */
    if (cfg->extension_length < 0 || cfg->extension_length > 8) {
        api->log(inst, CM_LOG_ERROR, "extension-length must be between 0 and 8, not %lld",
                 (long long)cfg->extension_length);
        bad = 1;
    }
    if (cfg->transfer_window < 1 || cfg->transfer_window > 100000) {
        api->log(inst, CM_LOG_ERROR, "transfer-window must be between 1 and 100000, not %lld",
                 (long long)cfg->transfer_window);
        bad = 1;
    }
    if (cfg->extension_prefix && cfg->extension_prefix[0] != '+') {
        api->log(inst, CM_LOG_ERROR,
                 "extension-prefix must be an E.164 prefix starting with '+', not '%s'",
                 cfg->extension_prefix);
        bad = 1;
    }
    const char *const *prefixes = cfg->phone_device_prefix;
    if (prefixes && prefixes[0]) {
        for (size_t i = 0; prefixes[i]; i++) {
            if (!prefixes[i][0]) {
                api->log(inst, CM_LOG_ERROR, "phone-device-prefix must not be empty");
                bad = 1;
            }
        }
    } else {
        prefixes = DEFAULT_PHONE_PREFIXES;
    }
    char voicemail[NUM_MAX] = "";
    if (cfg->voicemail_number && !bad) {
        const char *why = NULL;
        cm_number_type t = api->number_normalize(cfg->voicemail_number, cfg->extension_prefix,
                                                 (int)cfg->extension_length, voicemail,
                                                 sizeof voicemail, &why);
        if (t == CM_NUM_UNKNOWN || t == CM_NUM_HIDDEN) {
            api->log(inst, CM_LOG_ERROR, "voicemail-number '%s' is not a phone number%s%s",
                     cfg->voicemail_number, why ? ": " : "", why ? why : "");
            bad = 1;
        }
    }
    if (bad)
        return CM_ERROR;
    cucm_state *st = calloc(1, sizeof *st);
    if (!st)
        return CM_ERROR;
    st->api = api;
    st->inst = inst;
    st->cfg = *cfg;
    st->phone_prefixes = prefixes;
    st->prefix_len = cfg->extension_prefix ? strlen(cfg->extension_prefix) : 0;
    memcpy(st->voicemail, voicemail, sizeof voicemail);
    if (pbx_window_init(&st->win, sizeof(pending), (size_t)cfg->transfer_window) != CM_OK) {
        free(st);
        return CM_ERROR;
    }
    *state = st;
    return CM_OK;
}

void cucm_cdr_destroy(void *state)
{
    cucm_state *st = state;
    if (!st)
        return;
    pbx_window_free(&st->win);
    free(st);
}

/* ---------------------------------------------------------------- helpers */

/* A whole decimal number, optionally negative; an empty field is 0 when
 * empty_ok (CUCM leaves unused integers empty in some releases). */
static int parse_int(const char *s, int empty_ok, int64_t *out)
{
    if (!*s) {
        *out = 0;
        return empty_ok ? 0 : -1;
    }
    const char *p = s + (*s == '-');
    if (*p < '0' || *p > '9')
        return -1;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end || errno)
        return -1;
    *out = v;
    return 0;
}

/* A time in Unix seconds; 0 only when zero_ok (dateTimeConnect of a call never
 * connected). An empty field counts as 0. */
static int parse_time(const char *s, int zero_ok, int64_t *out)
{
    if (parse_int(s, 1, out) != 0 || *out < 0 || *out > TIME_MAX)
        return -1;
    return *out == 0 && !zero_ok ? -1 : 0;
}

static void copy(char *dst, size_t n, const char *src)
{
    size_t k = strlen(src);
    k = k < n - 1 ? k : n - 1;
    memcpy(dst, src, k);
    dst[k] = '\0';
}

static int is_phone(const cucm_state *st, const char *device)
{
    for (size_t i = 0; st->phone_prefixes[i]; i++) {
        size_t n = strlen(st->phone_prefixes[i]);
        if (strlen(device) > n && strncasecmp(device, st->phone_prefixes[i], n) == 0)
            return 1;
    }
    return 0;
}

/*
 * Normalise one side's number and decide whether the side is the
 * municipality's: a phone device is ours; any other named device (trunk,
 * gateway, voicemail port) is ours only for an internal directory number of
 * extension-length digits; without a device name, a number under
 * extension-prefix is ours too.
 */
static void make_party(const cucm_state *st, const char *raw, const char *device, party *p)
{
    const cm_api *api = st->api;
    p->type = api->number_normalize(raw, st->cfg.extension_prefix, (int)st->cfg.extension_length,
                                    p->num, sizeof p->num, NULL);
    p->given = raw[0] != '\0';
    int internal = p->type == CM_NUM_INTERNAL;
    int under_prefix = st->prefix_len && p->type == CM_NUM_NATIONAL &&
                       strncmp(p->num, st->cfg.extension_prefix, st->prefix_len) == 0;
    int phone = device && device[0] && is_phone(st, device);
    if (phone)
        p->ours = 1;
    else if (device && device[0])
        p->ours = internal;
    else
        p->ours = internal || under_prefix;
    p->key[0] = '\0';
    if (phone)
        snprintf(p->key, sizeof p->key, "d:%s", device);
    else if (p->ours)
        snprintf(p->key, sizeof p->key, "n:%s", p->num);
}

/* Q.850 causes of a call that never connected to an outcome. */
static const char *unconnected_outcome(int64_t orig_cause, int64_t dest_cause, int nothing_dialled,
                                       int queued)
{
    if (dest_cause == 17 || orig_cause == 17)
        return "busy"; /* user busy */
    if (dest_cause == 18 || dest_cause == 19 || orig_cause == 18 || orig_cause == 19)
        return "missed"; /* no user responding, no answer from user (user alerted) */
    if (nothing_dialled)
        return "abandoned"; /* off-hook and back without a number */
    if (dest_cause == CAUSE_SPLIT || orig_cause == CAUSE_SPLIT)
        return "abandoned"; /* a leg split off by a feature before it was answered */
#define CLEARED(c) ((c) == 0 || (c) == 16 || (c) == 31) /* not set, normal clearing, normal unspecified */
    if (CLEARED(orig_cause) && CLEARED(dest_cause))
        return queued ? "abandoned" : "missed"; /* the caller hung up while it rang */
#undef CLEARED
    return "failed";
}

/* ---------------------------------------------------------------- window */

static int emit_held(void *ctx, void *slot)
{
    cucm_state *st = ctx;
    pending *p = slot;
    if (p->transfer)
        st->api->count(st->s, "transfers_unpaired", 1);
    return pbx_held_emit(st->api, st->s, &p->h);
}

/* The side (0 origin, 1 destination) of a that is also a side of b, or -1. */
static int shared_side(const pending *a, const pending *b)
{
    for (int i = 0; i < 2; i++)
        for (int k = 0; k < 2; k++)
            if (a->side_key[i][0] && strcmp(a->side_key[i], b->side_key[k]) == 0)
                return i;
    return -1;
}

/*
 * p is split by a transfer: find the other half of the pair among the waiting
 * records (split by a transfer too, ending within TRANSFER_SLACK seconds, one
 * side in common: the transferring phone).  The one that started first is the
 * original call: it was transferred to the consultation call's other party.
 * The consultation joins the original's call group.
 */
static void pair_transfer(cucm_state *st, cm_stream *s, pending *p)
{
    for (size_t k = st->win.count - 1; k-- > 0;) {
        pending *q = pbx_window_at(&st->win, k);
        if (!q->transfer || llabs(q->end - p->end) > TRANSFER_SLACK)
            continue;
        int qs = shared_side(q, p);
        if (qs < 0)
            continue;
        pending *orig = q, *consult = p;
        if (p->start < q->start)
            orig = p, consult = q;
        int cs = shared_side(consult, orig);
        const char *target = consult->side_num[1 - cs];
        pbx_held_int(&orig->h, CM_CALL_TRANSFERRED, 1);
        pbx_held_text(&orig->h, CM_CALL_TRANSFERRED_TO, target[0] ? target : NULL);
        pbx_held_int(&consult->h, CM_CALL_TRANSFERRED, 0);
        if (orig->h.v[CM_CALL_CALL_GROUP].type == CM_TEXT)
            pbx_held_text(&consult->h, CM_CALL_CALL_GROUP, orig->h.v[CM_CALL_CALL_GROUP].u.s);
        orig->transfer = consult->transfer = 0;
        st->api->count(s, "transfers", 1);
        return;
    }
}

/* ---------------------------------------------------------------- records */

static const char *field(const cucm_state *st, const cm_csv_row *row, int c)
{
    return st->col[c] >= 0 ? row->fields[st->col[c]] : "";
}

static int process(cucm_state *st, cm_stream *s, const cm_csv_row *row)
{
    const cm_api *api = st->api;
    size_t type_col = (size_t)st->col[C_RECORD_TYPE];
    const char *record_type = type_col < row->nfields ? row->fields[type_col] : "";
    if (strcmp(record_type, "2") == 0) {
        api->count(s, "cmr_records_skipped", 1); /* call management (quality) record */
        return CM_OK;
    }
    if (strcmp(record_type, "0") == 0) {
        api->count(s, "start_records_skipped", 1);
        return CM_OK;
    }
    if (row->nfields != st->ncols)
        return cm_reject_row(st->api, s, row, "expected %zu columns (as in the header on line 1), found %zu",
                      st->ncols, row->nfields);
    if (strcmp(record_type, "1") != 0)
        return cm_reject_row(st->api, s, row,
                      "cdrRecordType '%s' is not 1 (end of call), 0 (start) or 2 (CMR)",
                      record_type);

#define F(c) field(st, row, (c))
    int64_t start, connect, end, duration;
    if (parse_time(F(C_ORIGINATION), 0, &start) != 0)
        return cm_reject_row(st->api, s, row, "dateTimeOrigination '%s' is not a time in Unix seconds",
                      F(C_ORIGINATION));
    if (parse_time(F(C_CONNECT), 1, &connect) != 0)
        return cm_reject_row(st->api, s, row, "dateTimeConnect '%s' is not a time in Unix seconds or 0",
                      F(C_CONNECT));
    if (parse_time(F(C_DISCONNECT), 0, &end) != 0)
        return cm_reject_row(st->api, s, row, "dateTimeDisconnect '%s' is not a time in Unix seconds",
                      F(C_DISCONNECT));
    if (connect && connect < start)
        return cm_reject_row(st->api, s, row, "dateTimeConnect %s is before dateTimeOrigination %s",
                      F(C_CONNECT), F(C_ORIGINATION));
    if (end < (connect ? connect : start))
        return cm_reject_row(st->api, s, row, "dateTimeDisconnect %s is before dateTime%s %s",
                      F(C_DISCONNECT), connect ? "Connect" : "Origination",
                      connect ? F(C_CONNECT) : F(C_ORIGINATION));
    if (parse_int(F(C_DURATION), 0, &duration) != 0 || duration < 0)
        return cm_reject_row(st->api, s, row, "duration '%s' is not a whole number of seconds",
                      F(C_DURATION));
    static const int text_cols[] = {C_PKID, C_CLUSTER, C_CM_ID, C_CALL_ID, C_HUNT_PILOT_DN};
    for (size_t i = 0; i < sizeof text_cols / sizeof *text_cols; i++)
        if (strlen(F(text_cols[i])) > FIELD_MAX)
            return cm_reject_row(st->api, s, row, "%s is %zu characters long, more than a CUCM CDR holds",
                          COLUMN_NAMES[text_cols[i]], strlen(F(text_cols[i])));
    char start_local[20];
    if (api->utc_to_local(st->inst, start, start_local) != CM_OK)
        return cm_reject_row(st->api, s, row, "dateTimeOrigination %s cannot be shown in %s",
                      F(C_ORIGINATION), api->timezone_name(st->inst));

    static const int int_cols[] = {C_ORIG_CAUSE, C_DEST_CAUSE, C_ORIG_TERM_OBO,
                                   C_DEST_TERM_OBO, C_JOIN_OBO, C_WAS_QUEUED};
    int64_t iv[sizeof int_cols / sizeof *int_cols];
    for (size_t i = 0; i < sizeof int_cols / sizeof *int_cols; i++)
        if (parse_int(F(int_cols[i]), 1, &iv[i]) != 0)
            return cm_reject_row(st->api, s, row, "%s '%s' is not a whole number",
                          COLUMN_NAMES[int_cols[i]], F(int_cols[i]));
    int64_t orig_cause = iv[0], dest_cause = iv[1], orig_obo = iv[2], dest_obo = iv[3],
            join_obo = iv[4], was_queued = iv[5];

    const char *calling_raw = F(C_CALLING), *original_raw = F(C_ORIGINAL_CALLED);
    const char *final_raw = F(C_FINAL_CALLED), *outpulsed_raw = F(C_OUTPULSED_CALLED);
    const char *hunt = F(C_HUNT_PILOT_DN);
    if (!final_raw[0])
        final_raw = original_raw;
    if (!original_raw[0])
        original_raw = final_raw;
    party calling, original, final;
    make_party(st, calling_raw, F(C_ORIG_DEVICE), &calling);
    make_party(st, final_raw, F(C_DEST_DEVICE), &final);
    make_party(st, original_raw, NULL, &original);

    int connected = connect != 0;
    int to_voicemail = st->voicemail[0] && final.given && strcmp(final.num, st->voicemail) == 0;
    int queued = hunt[0] || was_queued == 1;
    /* A forward (or pickup) ends at another number than the one called; a hunt
     * group's member, the voicemail and the final CDR of a transfer do not count. */
    int forwarded = !to_voicemail && join_obo != OBO_TRANSFER && strcmp(original.num, final.num) != 0 &&
                    !(hunt[0] && strcmp(hunt, original_raw) == 0);
    int split_by_transfer = (orig_cause == CAUSE_SPLIT || dest_cause == CAUSE_SPLIT) &&
                            (orig_obo == OBO_TRANSFER || dest_obo == OBO_TRANSFER);
    /* the number that was called: the one dialled when the call went on elsewhere */
    const party *called = forwarded || to_voicemail ? &original : &final;
    int orig_ours = calling.ours;
    int dest_ours = final.ours || ((forwarded || to_voicemail) && original.ours);

    const char *direction;
    const party *local, *remote;
    party outpulsed;
    cm_number_type remote_type;
    if (orig_ours && dest_ours) {
        direction = "internal", local = &calling, remote = called, remote_type = CM_NUM_INTERNAL;
    } else if (orig_ours) {
        direction = "outbound", local = &calling, remote = called;
        /* the number as sent to the operator, without the outside-line digit */
        if (outpulsed_raw[0] && !forwarded) {
            make_party(st, outpulsed_raw, NULL, &outpulsed);
            remote = &outpulsed;
        }
        remote_type = remote->type;
    } else {
        if (!dest_ours)
            api->count(s, "direction_assumed_inbound", 1); /* trunk to trunk */
        direction = "inbound", local = called, remote = &calling, remote_type = calling.type;
    }
    /* an empty calling number is a withheld one ("hidden"); an empty called number
     * means nothing was dialled: no remote number */
    int remote_known = remote == &calling || remote->given;
    if (remote_known && remote_type == CM_NUM_UNKNOWN)
        api->count(s, "remote_numbers_not_normalised", 1);
    const char *outcome = connected ? (to_voicemail ? "voicemail" : "answered")
                                    : unconnected_outcome(orig_cause, dest_cause, !final.given,
                                                          queued);

    int rc;
    pending *p = pbx_window_push(&st->win, emit_held, st, &rc);
    if (rc != CM_OK)
        return rc;
    pbx_held_start(&p->h, row);
    p->transfer = 0;
    p->start = start;
    p->end = end;
    copy(p->side_key[0], KEY_MAX, calling.key);
    copy(p->side_key[1], KEY_MAX, final.key);
    copy(p->side_num[0], NUM_MAX, calling.given ? calling.num : "");
    copy(p->side_num[1], NUM_MAX, final.given ? final.num : "");

    char group[GROUP_MAX];
    const char *cluster = F(C_CLUSTER);
    snprintf(group, sizeof group, "%s%s%s-%s", cluster, cluster[0] ? "-" : "", F(C_CM_ID),
             F(C_CALL_ID));
    pbx_held_text(&p->h, CM_CALL_SOURCE_CALL_ID, F(C_PKID)[0] ? F(C_PKID) : NULL);
    pbx_held_text(&p->h, CM_CALL_CALL_GROUP, group);
    p->h.v[CM_CALL_START_UTC] = (cm_value){.type = CM_TIME, .u.i = start};
    p->h.v[CM_CALL_END_UTC] = (cm_value){.type = CM_TIME, .u.i = end};
    pbx_held_text(&p->h, CM_CALL_START_LOCAL, start_local);
    pbx_held_int(&p->h, CM_CALL_DURATION_S, end - start);
    pbx_held_int(&p->h, CM_CALL_WAIT_S, (connected ? connect : end) - start);
    pbx_held_int(&p->h, CM_CALL_TALK_S, connected ? duration : 0);
    pbx_held_const(&p->h, CM_CALL_DIRECTION, direction);
    pbx_held_text(&p->h, CM_CALL_LOCAL_NUMBER, local->given ? local->num : NULL);
    pbx_held_text(&p->h, CM_CALL_REMOTE_NUMBER, remote_known ? remote->num : NULL);
    if (remote_known)
        pbx_held_const(&p->h, CM_CALL_REMOTE_TYPE, api->number_type_name(remote_type));
    pbx_held_const(&p->h, CM_CALL_OUTCOME, outcome);
    pbx_held_int(&p->h, CM_CALL_TRANSFERRED, forwarded || split_by_transfer);
    pbx_held_text(&p->h, CM_CALL_TRANSFERRED_TO, forwarded ? final.num : NULL);
    pbx_held_const(&p->h, CM_CALL_CHANNEL, "pbx");
    pbx_held_text(&p->h, CM_CALL_QUEUE, hunt[0] ? hunt : NULL);
#undef F
    if (split_by_transfer) {
        p->transfer = 1;
        pair_transfer(st, s, p);
    }
    return CM_OK;
}

/* ---------------------------------------------------------------- header */

static int same_name(const char *a, const char *b) { return strcasecmp(a, b) == 0; }

/* Line 1: the field names. Finds the columns; fails the file without them. */
static int read_header(cucm_state *st, cm_stream *s, const cm_csv_row *row)
{
    const cm_api *api = st->api;
    for (int c = 0; c < C__COUNT; c++)
        st->col[c] = -1;
    for (size_t i = 0; i < row->nfields; i++)
        for (int c = 0; c < C__COUNT; c++)
            if (st->col[c] < 0 && same_name(row->fields[i], COLUMN_NAMES[c]))
                st->col[c] = (int)i;
    st->ncols = row->nfields;
    if (st->col[C_RECORD_TYPE] < 0) {
        size_t n = strcspn(row->raw, "\r\n");
        n = n < row->raw_len ? n : row->raw_len;
        api->fail(s, "line 1 is not a CUCM CDR header: it does not name the field "
                     "\"cdrRecordType\" (it begins '%.*s')",
                  (int)(n < 40 ? n : 40), row->raw);
        return CM_ERROR;
    }
    for (size_t i = 0; i < row->nfields; i++) {
        if (same_name(row->fields[i], "numberPacketsLost")) {
            api->fail(s, "this is a CMR file (call management records: voice quality), not a CDR "
                         "file; the cucm-cdr kind reads the cdr_* files");
            return CM_ERROR;
        }
    }
    char missing[600] = "";
    size_t nmissing = 0, used = 0;
    for (int c = 0; c < C__REQUIRED; c++) {
        if (st->col[c] >= 0)
            continue;
        int w = snprintf(missing + used, sizeof missing - used, "%s%s", nmissing ? ", " : "",
                         COLUMN_NAMES[c]);
        if (w > 0 && (size_t)w < sizeof missing - used)
            used += (size_t)w;
        nmissing++;
    }
    if (nmissing) {
        api->fail(s, "the header on line 1 lacks the column%s %s, which the cucm-cdr kind needs",
                  nmissing > 1 ? "s" : "", missing);
        return CM_ERROR;
    }
    return CM_OK;
}

/* Line 2: the field types, e.g. INTEGER, VARCHAR(50), UNIQUEIDENTIFIER. */
static int read_types(cucm_state *st, cm_stream *s, const cm_csv_row *row)
{
    for (size_t i = 0; i < row->nfields; i++) {
        const char *t = row->fields[i];
        int ok = t[0] >= 'A' && t[0] <= 'Z';
        for (const char *c = t; ok && *c; c++)
            ok = (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '(' ||
                 *c == ')' || *c == '_';
        if (!ok) {
            st->api->fail(s, "line 2 should be the field types (INTEGER, VARCHAR(50), "
                             "UNIQUEIDENTIFIER, ...), but field %zu is '%.40s'",
                          i + 1, t);
            return CM_ERROR;
        }
    }
    if (row->nfields != st->ncols) {
        st->api->fail(s, "line 2 has %zu field types for the %zu field names on line 1",
                      row->nfields, st->ncols);
        return CM_ERROR;
    }
    return CM_OK;
}

int cucm_cdr_read(void *state, cm_stream *s)
{
    cucm_state *st = state;
    const cm_api *api = st->api;
    st->s = s;
    cm_csv *csv = api->csv_open(s, ',', '"', CM_CSV_SINGLE_LINE);
    if (!csv)
        return CM_ERROR;
    cm_csv_row row;
    int result = CM_OK;
    int rc = api->csv_next(csv, &row);
    if (rc == 0)
        api->fail(s, "the file is empty: a CUCM CDR file begins with a line of field names");
    if (rc != 1 || read_header(st, s, &row) != CM_OK) {
        api->csv_close(csv);
        return CM_ERROR;
    }
    rc = api->csv_next(csv, &row);
    if (rc == 0)
        api->fail(s, "the file ends after the header: line 2 should be the field types");
    if (rc != 1 || read_types(st, s, &row) != CM_OK) {
        api->csv_close(csv);
        return CM_ERROR;
    }
    while ((rc = api->csv_next(csv, &row)) == 1) {
        if (process(st, s, &row) != CM_OK) {
            result = CM_ERROR;
            break;
        }
    }
    if (rc < 0)
        result = CM_ERROR;
    api->csv_close(csv);
    /* flush the window, in input order */
    return pbx_window_flush(&st->win, emit_held, st, result == CM_OK);
}
