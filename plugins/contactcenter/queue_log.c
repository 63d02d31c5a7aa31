/*
 * Asterisk queue_log, the flat file (/var/log/asterisk/queue_log):
 *
 *     epoch|callid|queuename|agent|EVENT|data1|data2|...
 *
 * epoch is Unix seconds (UTC). A caller's lines share the callid (the
 * caller channel's uniqueid): ENTERQUEUE, then RINGNOANSWER..., CONNECT and
 * COMPLETECALLER / COMPLETEAGENT / BLINDTRANSFER / ATTENDEDTRANSFER /
 * TRANSFER, or ABANDON / EXITWITHTIMEOUT / EXITEMPTY / EXITWITHKEY /
 * WITHDRAW. One call record is emitted per ENTERQUEUE, when its ending event
 * arrives. Calls in progress wait in a bounded table (a hash on the callid
 * and a list in entry order); what is still open at the end of the file is
 * rejected, never dropped.
 *
 * Member and system lines (QUEUESTART, AGENTLOGIN, ADDMEMBER, PAUSE, ...)
 * are not calls: they are counted ("system_events"). RINGNOANSWER and the
 * like are counted as "informational_events".
 */
#include "contactcenter.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const cm_option_def queue_log_options[] = {
    {"extension-prefix", CM_OPT_STRING, NULL, 0, offsetof(queue_log_config, extension_prefix),
     "E.164 prefix that makes an agent's extension a full number, e.g. +453366"},
    {"extension-length", CM_OPT_INT, "4", 0, offsetof(queue_log_config, extension_length),
     "digits of an agent's extension (0: any number of digits)"},
    {"max-open-calls", CM_OPT_INT, "100000", 0, offsetof(queue_log_config, max_open_calls),
     "calls waiting for their ending event at one time; beyond it the oldest is rejected"},
    {"short-abandon-s", CM_OPT_INT, "5", 0, offsetof(queue_log_config, short_abandon_s),
     "abandons after a wait below this many seconds are counted as short_abandons"},
    {"encoding", CM_OPT_STRING, "UTF-8", 0, offsetof(queue_log_config, encoding),
     "character set of the file (an iconv name: UTF-8, WINDOWS-1252, ISO-8859-1)"},
    {"ignore-events", CM_OPT_LIST, NULL, 0, offsetof(queue_log_config, ignore_events),
     "repeatable: an event the dialplan writes with QueueLog() to count as informational"},
    {0},
};

#define READ_CHUNK 65536
#define LINE_MAX_BYTES 8192
#define MAX_FIELDS 40
#define CALLID_MAX 128
#define REJECT_RAW 1000

enum ev_class {
    EV_SYSTEM,    /* member, agent and queue lines: not calls */
    EV_INFO,      /* a call's informational line */
    EV_ENTER,     /* ENTERQUEUE: the call begins */
    EV_CONNECT,   /* answered by an agent */
    EV_COMPLETE,  /* talk ended */
    EV_ABANDON,   /* the caller hung up while waiting */
    EV_EXIT,      /* left the queue unanswered */
    EV_XFER,      /* transferred by the agent */
};

typedef struct event_def {
    const char *name;
    unsigned char cls;
    unsigned char min, max; /* data fields after the event; max 0: no upper limit */
    signed char hold;       /* data index of the wait (holdtime / waittime); -1 none */
    signed char talk;       /* data index of the talk time (calltime); -1 none */
    const char *fields;     /* for messages */
    const char *outcome;
} event_def;

static const event_def events[] = {
    {"ENTERQUEUE", EV_ENTER, 2, 0, -1, -1, "url|callerid|origposition[|calleridname]", NULL},
    {"CONNECT", EV_CONNECT, 1, 3, 0, -1, "holdtime|bridged-uniqueid|ringtime", NULL},
    {"COMPLETECALLER", EV_COMPLETE, 2, 3, 0, 1, "holdtime|calltime|origposition", "answered"},
    {"COMPLETEAGENT", EV_COMPLETE, 2, 3, 0, 1, "holdtime|calltime|origposition", "answered"},
    {"ABANDON", EV_ABANDON, 3, 3, 2, -1, "position|origposition|waittime", "abandoned"},
    /* Asterisk 1.4 wrote EXITWITHTIMEOUT with the position only and
     * EXITWITHKEY with key|position: then the wait comes from the times */
    {"EXITWITHTIMEOUT", EV_EXIT, 1, 3, 2, -1, "position|origposition|waittime", "missed"},
    {"EXITEMPTY", EV_EXIT, 3, 3, 2, -1, "position|origposition|waittime", "missed"},
    {"EXITWITHKEY", EV_EXIT, 2, 4, 3, -1, "key|position|origposition|waittime", "missed"},
    {"WITHDRAW", EV_EXIT, 3, 0, 2, -1, "position|origposition|waittime[|info]", "missed"},
    {"BLINDTRANSFER", EV_XFER, 4, 5, 2, 3, "extension|context|holdtime|calltime|origposition",
     "answered"},
    /* BRIDGE|x or APP|x or LINK|x|y, then holdtime|calltime|origposition */
    {"ATTENDEDTRANSFER", EV_XFER, 4, 6, -1, -1,
     "method|method-data|holdtime|calltime|origposition", "answered"},
    {"TRANSFER", EV_XFER, 4, 5, 2, 3, "extension|context|holdtime|calltime[|origposition]",
     "answered"},
    {"RINGNOANSWER", EV_INFO, 0, 0, -1, -1, NULL, NULL},
    {"RINGCANCELED", EV_INFO, 0, 0, -1, -1, NULL, NULL},
    {"AGENTDUMP", EV_INFO, 0, 0, -1, -1, NULL, NULL},
    {"SYSCOMPAT", EV_INFO, 0, 0, -1, -1, NULL, NULL},
    {"DID", EV_INFO, 0, 0, -1, -1, NULL, NULL}, /* FreePBX writes the dialled DID */
    {"QUEUESTART", EV_SYSTEM, 0, 0, -1, -1, NULL, NULL},
    {"CONFIGRELOAD", EV_SYSTEM, 0, 0, -1, -1, NULL, NULL},
    {"AGENTLOGIN", EV_SYSTEM, 0, 0, -1, -1, NULL, NULL},
    {"AGENTLOGOFF", EV_SYSTEM, 0, 0, -1, -1, NULL, NULL},
    {"AGENTCALLBACKLOGIN", EV_SYSTEM, 0, 0, -1, -1, NULL, NULL},
    {"AGENTCALLBACKLOGOFF", EV_SYSTEM, 0, 0, -1, -1, NULL, NULL},
    {"ADDMEMBER", EV_SYSTEM, 0, 0, -1, -1, NULL, NULL},
    {"REMOVEMEMBER", EV_SYSTEM, 0, 0, -1, -1, NULL, NULL},
    {"PAUSE", EV_SYSTEM, 0, 0, -1, -1, NULL, NULL},
    {"UNPAUSE", EV_SYSTEM, 0, 0, -1, -1, NULL, NULL},
    {"PAUSEALL", EV_SYSTEM, 0, 0, -1, -1, NULL, NULL},
    {"UNPAUSEALL", EV_SYSTEM, 0, 0, -1, -1, NULL, NULL},
    {"PENALTY", EV_SYSTEM, 0, 0, -1, -1, NULL, NULL},
    {"RINGINUSE", EV_SYSTEM, 0, 0, -1, -1, NULL, NULL},
};

static const event_def ignored_event = {"", EV_INFO, 0, 0, -1, -1, NULL, NULL};

/* A call between its ENTERQUEUE and its ending event. */
typedef struct open_call {
    struct open_call *hnext;        /* hash chain */
    struct open_call *older, *newer; /* entry order */
    uint64_t hash;
    int64_t line, enter;
    int64_t wait;
    int connected;
    int agent_seen;
    int poisoned; /* already rejected: its later lines are skipped */
    cm_number_type caller_type;
    char caller[CC_NUM_MAX];
    char agent[CC_NUM_MAX]; /* local_number of the answering agent, "" if none */
    char agent_id[CC_NUM_MAX]; /* the agent as the log names it */
    char *callid, *queue, *raw;
    size_t raw_len;
    char mem[]; /* callid, queue and raw */
} open_call;

typedef struct ql_state {
    const cm_api *api;
    cm_instance *inst;
    queue_log_config cfg;
    /* per file */
    cm_stream *s;
    open_call **buckets;
    size_t nbuckets, count;
    open_call *oldest, *newest;
    int64_t lineno;
    char *buf;
    size_t len, pos;
    char line[LINE_MAX_BYTES + 1];
} ql_state;

/* ---------------------------------------------------------------- table */

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static open_call *find_call(ql_state *st, const char *callid)
{
    uint64_t h = hash_str(callid);
    for (open_call *c = st->buckets[h & (st->nbuckets - 1)]; c; c = c->hnext)
        if (c->hash == h && strcmp(c->callid, callid) == 0)
            return c;
    return NULL;
}

static void unlink_call(ql_state *st, open_call *c)
{
    open_call **pp = &st->buckets[c->hash & (st->nbuckets - 1)];
    while (*pp != c)
        pp = &(*pp)->hnext;
    *pp = c->hnext;
    if (c->older)
        c->older->newer = c->newer;
    else
        st->oldest = c->newer;
    if (c->newer)
        c->newer->older = c->older;
    else
        st->newest = c->older;
    st->count--;
    free(c);
}

static int grow_buckets(ql_state *st)
{
    size_t n = st->nbuckets * 2;
    open_call **b = calloc(n, sizeof *b);
    if (!b)
        return CM_ERROR;
    for (open_call *c = st->oldest; c; c = c->newer) {
        c->hnext = b[c->hash & (n - 1)];
        b[c->hash & (n - 1)] = c;
    }
    free(st->buckets);
    st->buckets = b;
    st->nbuckets = n;
    return CM_OK;
}

static open_call *add_call(ql_state *st, const char *callid, const char *queue, const char *raw,
                           size_t raw_len)
{
    if (st->count >= st->nbuckets && grow_buckets(st) != CM_OK)
        return NULL;
    size_t ni = strlen(callid) + 1, nq = strlen(queue) + 1;
    open_call *c = calloc(1, sizeof *c + ni + nq + raw_len + 1);
    if (!c)
        return NULL;
    c->callid = c->mem;
    memcpy(c->callid, callid, ni);
    c->queue = c->callid + ni;
    memcpy(c->queue, queue, nq);
    c->raw = c->queue + nq;
    memcpy(c->raw, raw, raw_len);
    c->raw[raw_len] = '\0';
    c->raw_len = raw_len;
    c->hash = hash_str(callid);
    c->hnext = st->buckets[c->hash & (st->nbuckets - 1)];
    st->buckets[c->hash & (st->nbuckets - 1)] = c;
    c->older = st->newest;
    if (st->newest)
        st->newest->newer = c;
    else
        st->oldest = c;
    st->newest = c;
    st->count++;
    return c;
}

static void clear_calls(ql_state *st)
{
    while (st->oldest)
        unlink_call(st, st->oldest);
}

/* ---------------------------------------------------------------- rejects */

static int reject_at(ql_state *st, int64_t line, const char *raw, size_t raw_len,
                     const char *fmt, ...) CM_PRINTF(5, 6);
static int reject_at(ql_state *st, int64_t line, const char *raw, size_t raw_len,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = st->api->vreject(st->s, line, raw, raw_len > REJECT_RAW ? REJECT_RAW : raw_len, fmt,
                              ap);
    va_end(ap);
    return rc;
}

/* ---------------------------------------------------------------- lines */

typedef struct qline {
    const char *raw;
    size_t raw_len;
    char *f[MAX_FIELDS];
    size_t nf;
    const char *const *data; /* fields after the event */
    size_t ndata;
    int64_t epoch;
    const event_def *ev;
} qline;

static int is_system_callid(const char *id)
{
    return !id[0] || strcmp(id, "NONE") == 0 || strcmp(id, "MANAGER") == 0 ||
           strcmp(id, "REALTIME") == 0 || strcmp(id, "CLI") == 0;
}

static const event_def *find_event(const ql_state *st, const char *name)
{
    for (size_t i = 0; i < sizeof events / sizeof *events; i++)
        if (strcmp(events[i].name, name) == 0)
            return &events[i];
    for (const char *const *p = st->cfg.ignore_events; p && *p; p++)
        if (strcmp(*p, name) == 0)
            return &ignored_event;
    return NULL;
}

static int evict_oldest(ql_state *st)
{
    open_call *c = st->oldest;
    int rc = CM_OK;
    if (!c->poisoned)
        rc = reject_at(st, c->line, c->raw, c->raw_len,
                       "call %s entered at line %lld had no ending event yet when line %lld "
                       "needed room beyond max-open-calls (%lld) open calls; raise "
                       "max-open-calls if that many calls can really wait at once",
                       c->callid, (long long)c->line, (long long)st->lineno,
                       (long long)st->cfg.max_open_calls);
    unlink_call(st, c);
    return rc;
}

/* Before a call enters: an open call with the same id never got its ending
 * event (rejected), and a full table gives up its oldest call. */
static int make_room(ql_state *st, const char *callid)
{
    int rc;
    open_call *c = find_call(st, callid);
    if (c) {
        if (!c->poisoned &&
            (rc = reject_at(st, c->line, c->raw, c->raw_len,
                            "call %s entered at line %lld entered a queue again at line %lld "
                            "before any ending event",
                            c->callid, (long long)c->line, (long long)st->lineno)) != CM_OK)
            return rc;
        unlink_call(st, c);
    }
    while (st->count >= (size_t)st->cfg.max_open_calls)
        if ((rc = evict_oldest(st)) != CM_OK)
            return rc;
    return CM_OK;
}

/* Reject a bad line of a call, and the call with it, once: the call stays in
 * the table, poisoned, so that its later lines are skipped instead of each
 * being rejected as an orphan. */
static int reject_call_line(ql_state *st, const qline *q, open_call *c, const char *why)
{
    int rc;
    if (q->ev->cls == EV_ENTER) {
        rc = reject_at(st, st->lineno, q->raw, q->raw_len,
                       "%s; the call's later lines are skipped", why);
        if (rc != CM_OK || (rc = make_room(st, q->f[1])) != CM_OK)
            return rc;
        c = add_call(st, q->f[1], "", "", 0);
        if (!c)
            return CM_ERROR;
        c->line = st->lineno;
        c->poisoned = 1;
        return CM_OK;
    }
    if (c && !c->poisoned) {
        rc = reject_at(st, st->lineno, q->raw, q->raw_len,
                       "%s; call %s (entered at line %lld) is rejected with it", why, c->callid,
                       (long long)c->line);
        c->poisoned = 1;
        return rc;
    }
    return reject_at(st, st->lineno, q->raw, q->raw_len, "%s", why);
}

static int field_seconds(ql_state *st, const qline *q, open_call *c, int idx, const char *what,
                         int64_t *out, int *bad)
{
    *bad = 0;
    if (cc_parse_seconds(q->data[idx], out) == CM_OK)
        return CM_OK;
    char why[256];
    snprintf(why, sizeof why, "%s %s '%.40s' is not a whole number of seconds", q->ev->name, what,
             q->data[idx]);
    *bad = 1;
    return reject_call_line(st, q, c, why);
}

static int on_enter(ql_state *st, const qline *q)
{
    const cm_api *api = st->api;
    int rc = make_room(st, q->f[1]);
    open_call *c;
    if (rc != CM_OK)
        return rc;
    c = add_call(st, q->f[1], q->f[2], q->raw, q->raw_len);
    if (!c)
        return CM_ERROR;
    c->line = st->lineno;
    c->enter = q->epoch;
    const char *why = NULL;
    c->caller_type = api->number_normalize(q->data[1], st->cfg.extension_prefix,
                                           (int)st->cfg.extension_length, c->caller,
                                           sizeof c->caller, &why);
    if (c->caller_type == CM_NUM_UNKNOWN)
        api->count(st->s, "remote_numbers_not_normalised", 1);
    return CM_OK;
}

static void set_agent(ql_state *st, open_call *c, const char *agent)
{
    if (c->agent_seen || !agent[0] || strcmp(agent, "NONE") == 0)
        return;
    c->agent_seen = 1;
    snprintf(c->agent_id, sizeof c->agent_id, "%s", agent);
    int r = cc_agent_extension(agent, st->cfg.extension_prefix, st->cfg.extension_length,
                               c->agent, sizeof c->agent);
    if (r == 0)
        st->api->count(st->s, "agent_extensions_of_other_length", 1);
    else if (r < 0)
        st->api->count(st->s, "agents_without_extension", 1);
}

static int on_connect(ql_state *st, const qline *q, open_call *c)
{
    int64_t hold;
    int bad, rc = field_seconds(st, q, c, 0, "holdtime", &hold, &bad);
    if (bad)
        return rc;
    c->connected = 1;
    c->wait = hold;
    set_agent(st, c, q->f[3]);
    return CM_OK;
}

/* The ending event of an open call: emit the call. */
static int on_end(ql_state *st, const qline *q, open_call *c)
{
    const cm_api *api = st->api;
    const event_def *ev = q->ev;
    int hold_idx = ev->hold, talk_idx = ev->talk;
    if (strcmp(ev->name, "ATTENDEDTRANSFER") == 0) {
        int link = strcmp(q->data[0], "LINK") == 0; /* LINK|chan1|chan2 */
        hold_idx = link ? 3 : 2;
        talk_idx = link ? 4 : 3;
        if ((size_t)talk_idx >= q->ndata) {
            char why[200];
            snprintf(why, sizeof why, "ATTENDEDTRANSFER %s has no calltime (%zu data fields)",
                     q->data[0], q->ndata);
            return reject_call_line(st, q, c, why);
        }
    }
    int64_t wait = -1, talk = 0, v;
    int bad, rc;
    if (hold_idx >= 0 && (size_t)hold_idx < q->ndata) {
        rc = field_seconds(st, q, c, hold_idx, ev->cls == EV_ABANDON || ev->cls == EV_EXIT
                                                   ? "waittime" : "holdtime", &v, &bad);
        if (bad)
            return rc;
        wait = v;
    }
    if (talk_idx >= 0) {
        rc = field_seconds(st, q, c, talk_idx, "calltime", &talk, &bad);
        if (bad)
            return rc;
    }
    if (q->epoch < c->enter) {
        char why[200];
        snprintf(why, sizeof why, "%s at %lld is earlier than the call's ENTERQUEUE at %lld",
                 ev->name, (long long)q->epoch, (long long)c->enter);
        return reject_call_line(st, q, c, why);
    }
    int answered = ev->cls == EV_COMPLETE || ev->cls == EV_XFER;
    if (answered && c->connected)
        wait = c->wait; /* CONNECT's holdtime */
    if (wait < 0) {
        wait = q->epoch - c->enter; /* an old line without the waittime */
        api->count(st->s, "waits_from_timestamps", 1);
    }
    if (answered)
        set_agent(st, c, q->f[3]);

    int64_t duration = q->epoch - c->enter;
    cm_value v_[CM_CALL__COUNT];
    cm_record rec = {.dataset = CM_DS_CALLS, .source_record = c->line, .ncols = CM_CALL__COUNT,
                     .v = v_, .raw = c->raw, .raw_len = c->raw_len};
    cm_record_clear(&rec);
    char local[20];
    if (api->utc_to_local(st->inst, c->enter, local) != CM_OK) {
        char why[120];
        snprintf(why, sizeof why, "the entry time %lld cannot be shown in %s",
                 (long long)c->enter, api->timezone_name(st->inst));
        return reject_call_line(st, q, c, why);
    }
    char xfer[CC_NUM_MAX] = "";
    if (ev->cls == EV_XFER && strcmp(ev->name, "ATTENDEDTRANSFER") != 0 && q->data[0][0]) {
        const char *why;
        if (api->number_normalize(q->data[0], st->cfg.extension_prefix,
                                  (int)st->cfg.extension_length, xfer, sizeof xfer,
                                  &why) == CM_NUM_UNKNOWN)
            api->count(st->s, "transfer_targets_not_normalised", 1);
    }
    const char *outcome = ev->outcome;
    if (ev->cls == EV_ABANDON && wait < st->cfg.short_abandon_s)
        api->count(st->s, "short_abandons", 1);

    cm_set_text(&rec, CM_CALL_SOURCE_CALL_ID, c->callid);
    cm_set_text(&rec, CM_CALL_CALL_GROUP, c->callid);
    cm_set_time(&rec, CM_CALL_START_UTC, c->enter);
    cm_set_text(&rec, CM_CALL_START_LOCAL, local);
    cm_set_time(&rec, CM_CALL_END_UTC, q->epoch);
    cm_set_int(&rec, CM_CALL_DURATION_S, duration);
    cm_set_int(&rec, CM_CALL_WAIT_S, wait);
    cm_set_int(&rec, CM_CALL_TALK_S, answered ? talk : 0);
    /* a colleague calling the queue from an extension is an internal call */
    cm_set_text(&rec, CM_CALL_DIRECTION,
                c->caller_type == CM_NUM_INTERNAL ? "internal" : "inbound");
    cm_set_text(&rec, CM_CALL_LOCAL_NUMBER, c->agent[0] ? c->agent : NULL);
    cm_set_text(&rec, CM_CALL_REMOTE_NUMBER, c->caller[0] ? c->caller : NULL);
    cm_set_text(&rec, CM_CALL_REMOTE_TYPE, api->number_type_name(c->caller_type));
    cm_set_text(&rec, CM_CALL_OUTCOME, outcome);
    cm_set_int(&rec, CM_CALL_TRANSFERRED, ev->cls == EV_XFER);
    cm_set_text(&rec, CM_CALL_TRANSFERRED_TO, xfer[0] ? xfer : NULL);
    cm_set_text(&rec, CM_CALL_CHANNEL, "contact_center");
    cm_set_text(&rec, CM_CALL_QUEUE, c->queue[0] && strcmp(c->queue, "NONE") ? c->queue : NULL);
    cm_set_text(&rec, CM_CALL_AGENT, c->agent_id[0] ? c->agent_id : NULL);
    if (ev->cls == EV_ABANDON)
        cm_set_int(&rec, CM_CALL_SHORT_ABANDON, wait < st->cfg.short_abandon_s);
    rc = api->emit(st->s, &rec);
    unlink_call(st, c);
    return rc;
}

static int process_line(ql_state *st, const char *raw, size_t n)
{
    const cm_api *api = st->api;
    if (n && raw[n - 1] == '\r')
        n--;
    if (n == 0)
        return CM_OK; /* a blank line is no record */
    if (n > LINE_MAX_BYTES)
        return reject_at(st, st->lineno, raw, n, "the line is longer than %d bytes",
                         LINE_MAX_BYTES);
    if (memchr(raw, '\0', n))
        return reject_at(st, st->lineno, raw, n, "the line contains a NUL byte");
    if (cc_is_utf8(st->cfg.encoding) && !api->utf8_valid(raw, n))
        return reject_at(st, st->lineno, raw, n,
                         "the line is not valid UTF-8; if the file is in another character set, "
                         "set the source's encoding option (e.g. WINDOWS-1252)");
    qline q = {.raw = raw, .raw_len = n};
    memcpy(st->line, raw, n);
    st->line[n] = '\0';
    char *p = st->line;
    for (;;) {
        if (q.nf == MAX_FIELDS)
            return reject_at(st, st->lineno, raw, n, "more than %d '|'-separated fields",
                             MAX_FIELDS - 1);
        q.f[q.nf++] = p;
        char *bar = strchr(p, '|');
        if (!bar)
            break;
        *bar = '\0';
        p = bar + 1;
    }
    if (q.nf < 5)
        return reject_at(st, st->lineno, raw, n,
                         "expected at least 5 '|'-separated fields "
                         "(epoch|callid|queuename|agent|event), found %zu",
                         q.nf);
    q.ev = find_event(st, q.f[4]);
    if (!q.ev)
        return reject_at(st, st->lineno, raw, n,
                         "unknown event '%.40s' (a dialplan QueueLog() event can be listed in "
                         "the ignore-events option)",
                         q.f[4]);
    q.data = (const char *const *)q.f + 5;
    q.ndata = q.nf - 5;
    if (q.ev->cls == EV_SYSTEM) {
        api->count(st->s, "system_events", 1);
        return CM_OK;
    }
    if (q.ev->cls == EV_INFO) {
        api->count(st->s, "informational_events", 1);
        if (strcmp(q.ev->name, "RINGNOANSWER") == 0)
            api->count(st->s, "ring_no_answer", 1);
        return CM_OK;
    }
    /* a caller's line */
    const char *callid = q.f[1];
    if (is_system_callid(callid))
        return reject_at(st, st->lineno, raw, n, "%s without a caller's call id ('%s')",
                         q.ev->name, callid);
    if (strlen(callid) > CALLID_MAX)
        return reject_at(st, st->lineno, raw, n, "call id longer than %d characters",
                         CALLID_MAX);
    open_call *c = find_call(st, callid);
    if (c && c->poisoned && q.ev->cls != EV_ENTER) {
        api->count(st->s, "lines_of_rejected_calls", 1);
        if (q.ev->cls != EV_CONNECT)
            unlink_call(st, c); /* its ending event */
        return CM_OK;
    }
    char why[300];
    if (cc_parse_seconds(q.f[0], &q.epoch) != CM_OK) {
        snprintf(why, sizeof why, "time '%.40s' is not Unix seconds", q.f[0]);
        return reject_call_line(st, &q, c, why);
    }
    if (q.ndata < q.ev->min || (q.ev->max && q.ndata > q.ev->max)) {
        if (q.ev->max == q.ev->min)
            snprintf(why, sizeof why, "%s needs %d data fields (%s), found %zu", q.ev->name,
                     q.ev->min, q.ev->fields, q.ndata);
        else if (q.ev->max)
            snprintf(why, sizeof why, "%s needs %d to %d data fields (%s), found %zu",
                     q.ev->name, q.ev->min, q.ev->max, q.ev->fields, q.ndata);
        else
            snprintf(why, sizeof why, "%s needs at least %d data fields (%s), found %zu",
                     q.ev->name, q.ev->min, q.ev->fields, q.ndata);
        return reject_call_line(st, &q, c, why);
    }
    switch (q.ev->cls) {
    case EV_ENTER:
        return on_enter(st, &q);
    case EV_CONNECT:
        if (!c) {
            api->count(st->s, "events_without_enterqueue", 1);
            return CM_OK;
        }
        return on_connect(st, &q, c);
    default:
        if (!c)
            return reject_at(st, st->lineno, raw, n,
                             "%s of call %s without its ENTERQUEUE in this file (the call "
                             "entered before the file begins, or had already ended)",
                             q.ev->name, callid);
        int rc = on_end(st, &q, c);
        /* a bad ending line rejected the call: it has no more lines */
        if ((c = find_call(st, callid)) && c->poisoned)
            unlink_call(st, c);
        return rc;
    }
}

/* ---------------------------------------------------------------- kind */

int queue_log_init(const cm_api *api, cm_instance *inst, const void *config, void **state)
{
    const queue_log_config *cfg = config;
    if (cc_check_extension_options(api, inst, cfg->extension_prefix, cfg->extension_length) !=
            CM_OK ||
        cc_check_encoding(api, inst, cfg->encoding) != CM_OK)
        return CM_ERROR;
    if (cfg->max_open_calls < 1 || cfg->max_open_calls > 10000000) {
        api->log(inst, CM_LOG_ERROR, "max-open-calls must be between 1 and 10000000, not %lld",
                 (long long)cfg->max_open_calls);
        return CM_ERROR;
    }
    if (cfg->short_abandon_s < 0 || cfg->short_abandon_s > 3600) {
        api->log(inst, CM_LOG_ERROR, "short-abandon-s must be between 0 and 3600, not %lld",
                 (long long)cfg->short_abandon_s);
        return CM_ERROR;
    }
    for (const char *const *p = cfg->ignore_events; p && *p; p++) {
        const event_def *ev = NULL;
        for (size_t i = 0; i < sizeof events / sizeof *events; i++)
            if (strcmp(events[i].name, *p) == 0)
                ev = &events[i];
        if (!**p || strchr(*p, '|')) {
            api->log(inst, CM_LOG_ERROR, "ignore-events: '%s' is not an event name", *p);
            return CM_ERROR;
        }
        if (ev && ev->cls != EV_INFO && ev->cls != EV_SYSTEM) {
            api->log(inst, CM_LOG_ERROR,
                     "ignore-events: %s is a call event that queue-log reads; it cannot be "
                     "ignored",
                     *p);
            return CM_ERROR;
        }
    }
    ql_state *st = calloc(1, sizeof *st);
    if (!st)
        return CM_ERROR;
    st->api = api;
    st->inst = inst;
    st->cfg = *cfg;
    st->nbuckets = 256;
    st->buckets = calloc(st->nbuckets, sizeof *st->buckets);
    st->buf = malloc(READ_CHUNK + LINE_MAX_BYTES + 1);
    if (!st->buckets || !st->buf) {
        queue_log_destroy(st);
        return CM_ERROR;
    }
    *state = st;
    return CM_OK;
}

void queue_log_destroy(void *state)
{
    ql_state *st = state;
    if (!st)
        return;
    if (st->buckets)
        clear_calls(st);
    free(st->buckets);
    free(st->buf);
    free(st);
}

/* At the end of the file: every call still open is rejected, in entry order. */
static int reject_open_calls(ql_state *st)
{
    int rc = CM_OK;
    while (st->oldest) {
        open_call *c = st->oldest;
        if (rc == CM_OK && !c->poisoned)
            rc = reject_at(st, c->line, c->raw, c->raw_len,
                           "no ending event for call %s entered at line %lld (the file ends "
                           "while it is open: it may end in the next file)",
                           c->callid, (long long)c->line);
        unlink_call(st, c);
    }
    return rc;
}

int queue_log_read(void *state, cm_stream *s)
{
    ql_state *st = state;
    const cm_api *api = st->api;
    st->s = s;
    st->lineno = 0;
    st->len = st->pos = 0;
    clear_calls(st);
    if (!cc_is_utf8(st->cfg.encoding) && api->set_encoding(s, st->cfg.encoding) != CM_OK)
        return CM_ERROR;
    int skipping = 0; /* inside a line that was too long */
    for (;;) {
        char *start = st->buf + st->pos;
        size_t avail = st->len - st->pos;
        char *nl = memchr(start, '\n', avail);
        if (nl) {
            st->pos += (size_t)(nl - start) + 1;
            if (skipping) {
                skipping = 0;
                continue;
            }
            st->lineno++;
            if (process_line(st, start, (size_t)(nl - start)) != CM_OK)
                goto fail;
            continue;
        }
        if (!skipping && avail > LINE_MAX_BYTES) {
            st->lineno++;
            if (reject_at(st, st->lineno, start, avail, "the line is longer than %d bytes",
                          LINE_MAX_BYTES) != CM_OK)
                goto fail;
            skipping = 1;
        }
        if (skipping)
            st->pos = st->len;
        memmove(st->buf, st->buf + st->pos, st->len - st->pos);
        st->len -= st->pos;
        st->pos = 0;
        long got = api->read(s, st->buf + st->len, READ_CHUNK);
        if (got < 0)
            goto fail;
        if (got == 0) {
            if (st->len && !skipping) { /* the last line has no line feed */
                st->lineno++;
                if (process_line(st, st->buf, st->len) != CM_OK)
                    goto fail;
            }
            break;
        }
        st->len += (size_t)got;
    }
    return reject_open_calls(st);
fail:
    clear_calls(st);
    return CM_ERROR;
}
