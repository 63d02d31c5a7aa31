/* Cisco Unified CM CDR flat files (133 columns: names on line 1, types on
 * line 2, then one CDR per line; integers bare, strings quoted; times UTC
 * epoch), one member cdr_KKCUCM_01_<yyyymmddhhmm>_<seq> per day in
 * pbx/cucm/YYYY-MM.tar.gz.  An inbound call is one CDR (a forward or a call
 * to voicemail too: original and final called numbers differ), a transfer
 * three (the original and the consultation call split by the transfer, then
 * the final call with joinOnBehalfOf 10). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cal.h"
#include "cucm_layout.h"
#include "fmt.h"
#include "pack.h"
#include "sbuf.h"
#include "util.h"
#include "writers.h"

#define TRUNK "SIP-TRUNK-TDC"
#define VOICEMAIL_DEVICE "CiscoUM1-VI3"
#define VOICEMAIL_DN "8000"

/* the columns a record sets, in file order */
enum {
    F_CALL_ID, F_ORIG_LEG, F_ORIGINATION, F_CALLING, F_ORIG_CAUSE, F_DEST_LEG,
    F_ORIGINAL_CALLED, F_FINAL_CALLED, F_DEST_CAUSE, F_CONNECT, F_DISCONNECT, F_LAST_REDIRECT,
    F_PKID, F_DURATION, F_ORIG_DEVICE, F_DEST_DEVICE, F_ORIG_OBO, F_DEST_OBO, F_REDIRECT_REASON,
    F_JOIN_OBO, F_OUTPULSED_CALLED, NF
};
static const char *const FIELD_NAMES[NF] = {
    "globalCallID_callId", "origLegCallIdentifier", "dateTimeOrigination", "callingPartyNumber",
    "origCause_value", "destLegIdentifier", "originalCalledPartyNumber", "finalCalledPartyNumber",
    "destCause_value", "dateTimeConnect", "dateTimeDisconnect", "lastRedirectDn", "pkid",
    "duration", "origDeviceName", "destDeviceName", "origCallTerminationOnBehalfOf",
    "destCallTerminationOnBehalfOf", "lastRedirectRedirectReason", "joinOnBehalfOf",
    "outpulsedCalledPartyNumber",
};

struct cucm_writer {
    gen *g;
    targz *tar;
    int month;
    char relpath[64];
    /* the layout: the constant text before each set field, and after the last */
    int order[NF];   /* field ids in file order */
    int quoted[NF];  /* a string column */
    char *gap[NF + 1];
    /* the day's member */
    int open;
    int64_t day;
    char member[64];
    int64_t mtime;
    acct a;
    sbuf b;
    uint32_t seq, callid;
    uint64_t pkid;
};

/* ---------------------------------------------------------------- layout */

static void split_names(const char *line, char **out, int n)
{
    const char *p = line;
    for (int i = 0; i < n; i++) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char *s = xmalloc(len + 1);
        memcpy(s, p, len);
        s[len] = '\0';
        if (len >= 2 && s[0] == '"') { /* unquote */
            memmove(s, s + 1, len - 2);
            s[len - 2] = '\0';
        }
        out[i] = s;
        p = e ? e + 1 : p + len;
    }
}

/* the value a column has when the generator does not set it */
static const char *default_value(const char *name, const char *type)
{
    static const struct {
        const char *name, *value;
    } K[] = {
        {"cdrRecordType", "1"},
        {"globalCallID_callManagerId", "1"},
        {"origNodeId", "1"},
        {"destNodeId", "1"},
        {"origPrecedenceLevel", "4"},
        {"destPrecedenceLevel", "4"},
        {"origMediaCap_payloadCapability", "4"},
        {"destMediaCap_payloadCapability", "4"},
        {"origMediaCap_maxFramesPerPacket", "20"},
        {"destMediaCap_maxFramesPerPacket", "20"},
        {"globalCallId_ClusterID", "\"KKCUCM\""},
        {"originalCalledPartyNumberPartition", "\"PT_Internal\""},
        {"callingPartyNumberPartition", "\"PT_Internal\""},
        {"finalCalledPartyNumberPartition", "\"PT_Internal\""},
        {"origDTMFMethod", "3"},
        {"destDTMFMethod", "3"},
        {"origMediaCap_Bandwidth", "64"},
        {"destMediaCap_Bandwidth", "64"},
    };
    for (size_t i = 0; i < sizeof K / sizeof *K; i++)
        if (!strcmp(K[i].name, name))
            return K[i].value;
    return strncmp(type, "INTEGER", 7) == 0 ? "0" : "\"\"";
}

static void build_layout(cucm_writer *w)
{
    char *names[CUCM_NCOLS], *types[CUCM_NCOLS];
    split_names(CUCM_HEADER, names, CUCM_NCOLS);
    split_names(CUCM_TYPES, types, CUCM_NCOLS);
    int at[CUCM_NCOLS];
    for (int i = 0; i < CUCM_NCOLS; i++)
        at[i] = -1;
    for (int f = 0; f < NF; f++) {
        int found = -1;
        for (int i = 0; i < CUCM_NCOLS; i++)
            if (!strcmp(names[i], FIELD_NAMES[f]))
                found = i;
        if (found < 0)
            die("internal error: no CUCM column %s", FIELD_NAMES[f]);
        at[found] = f;
    }
    sbuf g = {0};
    int k = 0;
    for (int i = 0; i < CUCM_NCOLS; i++) {
        if (i)
            sb_ch(&g, ',');
        if (at[i] < 0) {
            sb_str(&g, default_value(names[i], types[i]));
            continue;
        }
        w->gap[k] = xstrdup(sb_cstr(&g));
        sb_clear(&g);
        w->order[k] = at[i];
        w->quoted[at[i]] = strncmp(types[i], "INTEGER", 7) != 0;
        k++;
    }
    sb_ch(&g, '\n');
    w->gap[NF] = xstrdup(sb_cstr(&g));
    sb_free(&g);
    for (int i = 0; i < CUCM_NCOLS; i++) {
        free(names[i]);
        free(types[i]);
    }
}

/* ---------------------------------------------------------------- records */

typedef struct cdr {
    const char *v[NF]; /* NULL: empty / 0 */
    char buf[NF][48];
} cdr;

static void set_text(cdr *r, int f, const char *s) { r->v[f] = s; }

static void set_int(cdr *r, int f, int64_t x)
{
    snprintf(r->buf[f], sizeof r->buf[f], "%lld", (long long)x);
    r->v[f] = r->buf[f];
}

static void write_cdr(cucm_writer *w, const cdr *r)
{
    sbuf *b = &w->b;
    for (int k = 0; k < NF; k++) {
        sb_str(b, w->gap[k]);
        int f = w->order[k];
        const char *v = r->v[f];
        if (w->quoted[f]) {
            sb_ch(b, '"');
            if (v)
                sb_str(b, v);
            sb_ch(b, '"');
        } else {
            sb_str(b, v ? v : "0");
        }
    }
    sb_str(b, w->gap[NF]);
    w->a.line++;
}

static void new_pkid(cucm_writer *w, cdr *r)
{
    uint64_t x = ++w->pkid * 0x9E3779B97F4A7C15ull;
    x ^= x >> 29;
    snprintf(r->buf[F_PKID], sizeof r->buf[F_PKID], "%08x-%04x-4%03x-8%03x-%012llx",
             (unsigned)(x >> 32), (unsigned)(x >> 16) & 0xFFFFu, (unsigned)x & 0xFFFu,
             (unsigned)(x >> 40) & 0xFFFu, (unsigned long long)(x * 2654435761u) & 0xFFFFFFFFFFFFull);
    r->v[F_PKID] = r->buf[F_PKID];
}

static void base(cucm_writer *w, cdr *r, uint32_t callid, int64_t start)
{
    memset(r->v, 0, sizeof r->v);
    set_int(r, F_CALL_ID, callid);
    set_int(r, F_ORIG_LEG, 40000000 + 2 * (int64_t)w->seq);
    set_int(r, F_DEST_LEG, 40000001 + 2 * (int64_t)w->seq);
    w->seq++;
    set_int(r, F_ORIGINATION, start);
    new_pkid(w, r);
}

static void times(cdr *r, int64_t start, int64_t connect, int64_t end)
{
    set_int(r, F_CONNECT, connect);
    set_int(r, F_DISCONNECT, end);
    set_int(r, F_DURATION, connect ? end - connect : 0);
    (void)start;
}

static const char *remote_of(const call *c, char *out, size_t n, int style)
{
    if (c->remote_kind == RK_HIDDEN)
        return "";
    sbuf t = {0};
    fmt_remote(&t, c->remote, c->remote_kind == RK_INTERNATIONAL, style);
    snprintf(out, n, "%s", sb_cstr(&t));
    sb_free(&t);
    return out;
}

static void write_bad(cucm_writer *w, const call *c)
{
    int kind = acct_bad_kind(&w->a, 2);
    cdr r;
    base(w, &r, ++w->callid, c->start);
    set_text(&r, F_CALLING, "20304050");
    set_text(&r, F_ORIGINAL_CALLED, "2999");
    set_text(&r, F_FINAL_CALLED, "2999");
    set_text(&r, F_ORIG_DEVICE, TRUNK);
    set_text(&r, F_DEST_DEVICE, "SEP000000000000");
    times(&r, c->start, 0, c->start + 20);
    char when[40];
    if (kind == 1) { /* the origination as a date, as a spreadsheet writes it back */
        sbuf t = {0};
        fmt_local(&t, c->start);
        snprintf(when, sizeof when, "%s", sb_cstr(&t));
        sb_free(&t);
        set_text(&r, F_ORIGINATION, when);
    }
    size_t at = w->b.n;
    write_cdr(w, &r);
    if (kind == 0) { /* cut after 60 columns */
        int commas = 0;
        size_t i = at;
        for (; i < w->b.n && commas < 60; i++)
            commas += w->b.p[i] == ',';
        w->b.n = i - 1;
        sb_ch(&w->b, '\n');
    }
    acct_reject(&w->a, w->a.line, kind == 0 ? "broken_line" : "bad_date");
}

void cucm_call(cucm_writer *w, const call *c)
{
    const model *m = w->g->m;
    if (!w->open)
        die("internal error: a CUCM call before its day");
    if (acct_want_bad(&w->a))
        write_bad(w, c);
    const number *n1 = &m->nums[m->asgs[c->asg].number];
    const number *n2 = c->asg2 >= 0 ? &m->nums[m->asgs[c->asg2].number] : NULL;
    char remote[40];
    cdr r;
    uint32_t callid = ++w->callid;
    base(w, &r, callid, c->start);
    int64_t connect = c->start + c->ring, end = connect + c->talk;

    if (c->dir == DIR_IN && c->xfer == XF_TRANSFER) {
        /* A: the citizen and B, split by B's transfer */
        int64_t t = end;
        set_text(&r, F_CALLING, remote_of(c, remote, sizeof remote, (int)(callid % 2)));
        set_text(&r, F_ORIG_DEVICE, TRUNK);
        set_text(&r, F_ORIGINAL_CALLED, n1->ext);
        set_text(&r, F_FINAL_CALLED, n1->ext);
        set_text(&r, F_DEST_DEVICE, n1->device);
        set_int(&r, F_DEST_CAUSE, 393216);
        set_int(&r, F_DEST_OBO, 10);
        times(&r, c->start, connect, t);
        write_cdr(w, &r);
        acct_call(&w->a, c->asg, DIR_IN, OC_ANSWERED, 1, c->start);
        /* B: the consultation call from B to C */
        int64_t cs = t - 12 > connect ? t - 12 : connect;
        base(w, &r, callid, cs);
        set_text(&r, F_CALLING, n1->ext);
        set_text(&r, F_ORIG_DEVICE, n1->device);
        set_text(&r, F_ORIGINAL_CALLED, n2->ext);
        set_text(&r, F_FINAL_CALLED, n2->ext);
        set_text(&r, F_DEST_DEVICE, n2->device);
        set_int(&r, F_ORIG_CAUSE, 393216);
        set_int(&r, F_ORIG_OBO, 10);
        times(&r, cs, cs + 4 < t ? cs + 4 : t, t);
        write_cdr(w, &r);
        acct_call(&w->a, c->asg, DIR_INT, OC_ANSWERED, 0, cs);
        /* C: the citizen and C after the transfer */
        base(w, &r, callid, t);
        set_text(&r, F_CALLING, remote_of(c, remote, sizeof remote, (int)(callid % 2)));
        set_text(&r, F_ORIG_DEVICE, TRUNK);
        set_text(&r, F_ORIGINAL_CALLED, n1->ext);
        set_text(&r, F_FINAL_CALLED, n2->ext);
        set_text(&r, F_DEST_DEVICE, n2->device);
        set_int(&r, F_ORIG_CAUSE, 16);
        set_int(&r, F_JOIN_OBO, 10);
        times(&r, t, t, t + c->talk2 + 5);
        write_cdr(w, &r);
        acct_call(&w->a, c->asg2, DIR_IN, OC_ANSWERED, 0, t);
        return;
    }
    if (c->dir == DIR_IN) {
        const char *dn = n1->ext, *device = n1->device;
        int unknown = c->xfer == XF_NONE && acct_want_unknown(&w->a);
        char unknown_dn[8];
        if (unknown) {
            snprintf(unknown_dn, sizeof unknown_dn, "79%02u", c->id % 100u);
            dn = unknown_dn;
            device = "SEP00000000A0B1";
        }
        set_text(&r, F_CALLING, remote_of(c, remote, sizeof remote, (int)(callid % 2)));
        set_text(&r, F_ORIG_DEVICE, TRUNK);
        set_text(&r, F_ORIGINAL_CALLED, dn);
        set_text(&r, F_FINAL_CALLED, dn);
        set_text(&r, F_DEST_DEVICE, device);
        int outcome = c->outcome, transferred = 0;
        if (c->xfer == XF_FORWARD) { /* forwarded on no answer to a colleague */
            set_text(&r, F_FINAL_CALLED, n2->ext);
            set_text(&r, F_DEST_DEVICE, n2->device);
            set_text(&r, F_LAST_REDIRECT, n1->ext);
            set_int(&r, F_REDIRECT_REASON, 2);
            outcome = c->outcome2;
            transferred = 1;
            if (outcome == OC_ANSWERED) {
                connect = c->start + c->ring + 4;
                times(&r, c->start, connect, connect + c->talk2);
                set_int(&r, F_ORIG_CAUSE, 16);
            } else {
                times(&r, c->start, 0, c->start + c->ring + 20);
                set_int(&r, F_DEST_CAUSE, 19);
            }
        } else if (outcome == OC_VOICEMAIL) {
            set_text(&r, F_FINAL_CALLED, VOICEMAIL_DN);
            set_text(&r, F_DEST_DEVICE, VOICEMAIL_DEVICE);
            set_text(&r, F_LAST_REDIRECT, dn);
            set_int(&r, F_REDIRECT_REASON, 2);
            set_int(&r, F_ORIG_CAUSE, 16);
            times(&r, c->start, connect, end);
        } else if (outcome == OC_ANSWERED) {
            set_int(&r, F_ORIG_CAUSE, 16);
            times(&r, c->start, connect, end);
        } else if (outcome == OC_BUSY) {
            set_int(&r, F_DEST_CAUSE, 17);
            times(&r, c->start, 0, c->start + 1);
        } else {
            set_int(&r, F_DEST_CAUSE, 19);
            times(&r, c->start, 0, c->start + c->ring);
        }
        write_cdr(w, &r);
        if (unknown) {
            acct_call(&w->a, -1, DIR_IN, outcome, 0, c->start);
            acct_unknown(&w->a, w->a.line);
        } else {
            acct_call(&w->a, c->asg, DIR_IN, outcome, transferred, c->start);
        }
        return;
    }
    /* outbound and internal: from a phone */
    set_text(&r, F_CALLING, n1->ext);
    set_text(&r, F_ORIG_DEVICE, n1->device);
    char dialled[40];
    if (c->dir == DIR_INT) {
        set_text(&r, F_ORIGINAL_CALLED, n2->ext);
        set_text(&r, F_FINAL_CALLED, n2->ext);
        set_text(&r, F_DEST_DEVICE, n2->device[0] ? n2->device : "SEP0000000000FF");
    } else {
        snprintf(dialled, sizeof dialled, "%s%s", c->remote_kind == RK_INTERNATIONAL ? "00" : "0",
                 c->remote);
        set_text(&r, F_ORIGINAL_CALLED, dialled);
        set_text(&r, F_FINAL_CALLED, dialled);
        set_text(&r, F_DEST_DEVICE, TRUNK);
        /* as sent to the operator: without the outside-line 0 */
        set_text(&r, F_OUTPULSED_CALLED, dialled + 1);
        if (c->remote_kind == RK_INTERNATIONAL)
            set_text(&r, F_OUTPULSED_CALLED, dialled);
    }
    if (c->outcome == OC_ANSWERED) {
        set_int(&r, F_ORIG_CAUSE, 16);
        times(&r, c->start, connect, end);
    } else if (c->outcome == OC_BUSY) {
        set_int(&r, F_DEST_CAUSE, 17);
        times(&r, c->start, 0, c->start + 1);
    } else {
        set_int(&r, F_DEST_CAUSE, 19);
        times(&r, c->start, 0, c->start + c->ring);
    }
    write_cdr(w, &r);
    acct_call(&w->a, c->asg, c->dir, c->outcome, 0, c->start);
}

/* ---------------------------------------------------------------- files */

cucm_writer *cucm_open(gen *g, int month)
{
    cucm_writer *w = xcalloc(1, sizeof *w);
    w->g = g;
    w->month = month;
    build_layout(w);
    char mf[8], path[4096];
    month_folder(mf, month);
    snprintf(w->relpath, sizeof w->relpath, "pbx/cucm/%s.tar.gz", mf);
    snprintf(path, sizeof path, "%s/%s", g->out, w->relpath);
    w->tar = targz_open(path);
    w->callid = (uint32_t)(month % 12) * 1000000u + 10000u;
    return w;
}

static void end_day(cucm_writer *w)
{
    if (!w->open)
        return;
    size_t keep = w->b.n;
    if (w->a.doomed) {
        /* cut at the start of a line in the middle of the data */
        size_t i = w->b.n / 2, first = 0;
        while (first < w->b.n && w->b.p[first] != '\n')
            first++;
        while (i < w->b.n && w->b.p[i] != '\n')
            i++;
        keep = i + 1 < w->b.n ? i + 1 : first + 1;
        truth_truncated(w->g->t, w->a.tf, "truncated_member");
    }
    if (acct_close(&w->a)) /* a day without calls has no file */
        targz_member(w->tar, w->member, w->mtime, w->b.p, w->b.n, keep);
    sb_clear(&w->b);
    w->open = 0;
}

void cucm_day(cucm_writer *w, int64_t day)
{
    end_day(w);
    const model *m = w->g->m;
    /* named after the UTC time the file was closed: the next local midnight */
    int64_t closed = cal_local_to_utc(day + 1, 0, 0);
    int64_t d = closed / 86400;
    int sec = (int)(closed % 86400);
    int y, mo, dd;
    cal_civil(d, &y, &mo, &dd);
    snprintf(w->member, sizeof w->member, "cdr_KKCUCM_01_%04u%02u%02u%02u%02u_%u",
             (unsigned)y % 10000u, (unsigned)mo % 100u, (unsigned)dd % 100u,
             (unsigned)(sec / 3600) % 100u, (unsigned)(sec / 60 % 60) % 100u,
             (unsigned)(day - m->first_day + 1001) % 100000u);
    w->mtime = closed;
    w->day = day;
    acct_open(&w->a, w->g, SRC_PBX_CUCM, w->relpath, w->member, w->month);
    w->a.doomed = w->g->truncate && day == m->last_day;
    sb_str(&w->b, CUCM_HEADER);
    sb_ch(&w->b, '\n');
    sb_str(&w->b, CUCM_TYPES);
    sb_ch(&w->b, '\n');
    w->a.line = 2;
    w->open = 1;
}

void cucm_close(cucm_writer *w)
{
    end_day(w);
    targz_close(w->tar);
    for (int k = 0; k <= NF; k++)
        free(w->gap[k]);
    sb_free(&w->b);
    free(w);
}
