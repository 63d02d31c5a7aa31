/* Asterisk cdr_csv Master.csv (18 columns: loguniqueid and loguserfield on),
 * local wall time, no header; one zip per site and month with the one member
 * Master.csv.  Records: an inbound call is one record (src the caller, dst
 * the extension), a blind transfer or a no-answer forward to the owner's
 * mobile two records with the same uniqueid, outbound and internal calls one
 * record each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cal.h"
#include "fmt.h"
#include "pack.h"
#include "sbuf.h"
#include "util.h"
#include "writers.h"

#define FLUSH_AT (256 * 1024)

typedef struct ast_site {
    out_file *out;
    acct a;
    sbuf b;
    uint32_t seq;
} ast_site;

struct ast_writer {
    gen *g;
    ast_site *s;
    int n;
};

ast_writer *ast_open(gen *g, int month)
{
    const model *m = g->m;
    ast_writer *w = xcalloc(1, sizeof *w);
    w->g = g;
    w->n = m->nsites;
    w->s = xcalloc((size_t)(w->n ? w->n : 1), sizeof *w->s);
    char mf[8];
    month_folder(mf, month);
    int y = month / 12, mo = month % 12 + 1;
    int64_t mtime = (cal_day(y, mo, cal_days_in_month(y, mo)) + 1) * 86400;
    for (int i = 0; i < w->n; i++) {
        char rel[256], path[4096];
        snprintf(rel, sizeof rel, "pbx/asterisk/%s/%s.zip", m->sites[i].name, mf);
        snprintf(path, sizeof path, "%s/%s", g->out, rel);
        w->s[i].out = out_open(path, OUT_ZIP, "Master.csv", mtime);
        acct_open(&w->s[i].a, g, SRC_PBX_AST, rel, "Master.csv", month);
    }
    return w;
}

static void flush(ast_site *s, int force)
{
    if (s->b.n >= FLUSH_AT || (force && s->b.n)) {
        out_write(s->out, s->b.p, s->b.n);
        sb_clear(&s->b);
    }
}

static const char *disposition(int outcome)
{
    switch (outcome) {
    case OC_ANSWERED:
    case OC_VOICEMAIL: return "ANSWERED";
    case OC_BUSY: return "BUSY";
    default: return "NO ANSWER";
    }
}

typedef struct leg {
    const char *src, *dst, *dcontext, *clid, *channel, *dstchannel, *lastapp, *lastdata;
    int64_t start, answer, end; /* answer -1: never */
    int outcome;
    const char *uniqueid;
} leg;

static void write_leg(ast_site *s, const leg *l)
{
    sbuf *b = &s->b;
    sb_quoted(b, "");
    sb_ch(b, ',');
    sb_quoted(b, l->src);
    sb_ch(b, ',');
    sb_quoted(b, l->dst);
    sb_ch(b, ',');
    sb_quoted(b, l->dcontext);
    sb_ch(b, ',');
    sb_quoted(b, l->clid);
    sb_ch(b, ',');
    sb_quoted(b, l->channel);
    sb_ch(b, ',');
    sb_quoted(b, l->dstchannel);
    sb_ch(b, ',');
    sb_quoted(b, l->lastapp);
    sb_ch(b, ',');
    sb_quoted(b, l->lastdata);
    sb_str(b, ",\"");
    fmt_local(b, l->start);
    sb_str(b, "\",");
    if (l->answer >= 0) {
        sb_ch(b, '"');
        fmt_local(b, l->answer);
        sb_ch(b, '"');
    }
    sb_str(b, ",\"");
    fmt_local(b, l->end);
    sb_str(b, "\",");
    sb_i64(b, l->end - l->start);
    sb_ch(b, ',');
    sb_i64(b, l->answer >= 0 ? l->end - l->answer : 0);
    sb_str(b, ",\"");
    sb_str(b, l->outcome == OC_VOICEMAIL ? "ANSWERED" : disposition(l->outcome));
    sb_str(b, "\",\"DOCUMENTATION\",");
    sb_quoted(b, l->uniqueid);
    sb_str(b, ",\"\"\n");
    s->a.line++;
}

/* a record the plugin rejects: a line cut after 12 columns, or a start time
 * in another layout (as a spreadsheet writes it back) */
static void write_bad(ast_site *s, const call *c)
{
    int kind = acct_bad_kind(&s->a, 2);
    sbuf *b = &s->b;
    int64_t day;
    int sec;
    cal_utc_to_local(c->start, &day, &sec);
    sb_str(b, "\"\",\"22");
    sb_uz(b, (uint64_t)(c->id * 7919u % 1000000u), 6);
    sb_str(b, "\",\"2999\",\"from-trunk\",\"\",\"SIP/tdc-trunk-00000000\",\"PJSIP/2999-00000000\",\"Dial\",\"PJSIP/2999,30\",\"");
    if (kind == 0) {
        fmt_local(b, c->start);
        sb_str(b, "\",\"");
        fmt_local(b, c->start + 5);
        sb_str(b, "\",\"");
        sb_str(b, "\n"); /* cut short: 12 columns, the last one unterminated */
    } else {
        fmt_date_dmy(b, day);
        sb_ch(b, ' ');
        fmt_hms(b, sec);
        sb_str(b, "\",,\"");
        fmt_local(b, c->start + 30);
        sb_str(b, "\",30,0,\"NO ANSWER\",\"DOCUMENTATION\",\"0000000000.0\",\"\"\n");
    }
    s->a.line++;
    acct_reject(&s->a, s->a.line, kind == 0 ? "broken_line" : "bad_date");
}

static void remote_text(char *out, size_t n, const call *c, uint32_t style)
{
    sbuf t = {0};
    if (c->remote_kind == RK_HIDDEN)
        sb_str(&t, "anonymous");
    else
        fmt_remote(&t, c->remote, c->remote_kind == RK_INTERNATIONAL, (int)(style % 3));
    snprintf(out, n, "%s", sb_cstr(&t));
    sb_free(&t);
}

void ast_call(ast_writer *w, const call *c)
{
    const model *m = w->g->m;
    ast_site *s = &w->s[c->site];
    if (acct_want_bad(&s->a))
        write_bad(s, c);
    char uid[32], src[48], dst[48], clid[128], chan[48], dchan[96], lastdata[96];
    snprintf(uid, sizeof uid, "%lld.%u", (long long)c->start, ++s->seq);
    const number *n1 = &m->nums[m->asgs[c->asg].number];
    const number *n2 = c->asg2 >= 0 ? &m->nums[m->asgs[c->asg2].number] : NULL;
    leg l = {.dcontext = "from-trunk", .lastapp = "Dial", .uniqueid = uid, .start = c->start,
             .outcome = c->outcome};
    int64_t t1 = c->start + c->ring + c->talk;
    l.answer = c->outcome == OC_ANSWERED || c->outcome == OC_VOICEMAIL ? c->start + c->ring : -1;
    l.end = c->outcome == OC_BUSY ? c->start + 1 : t1;

    if (c->dir == DIR_IN) {
        remote_text(src, sizeof src, c, c->id);
        const char *ext = n1->ext;
        int unknown = c->xfer == XF_NONE && acct_want_unknown(&s->a);
        char unknown_ext[8];
        if (unknown) {
            snprintf(unknown_ext, sizeof unknown_ext, "79%02u", c->id % 100u);
            ext = unknown_ext;
        }
        snprintf(clid, sizeof clid, "\"%s\" <%s>", c->remote_kind == RK_HIDDEN ? "Anonymous" : src,
                 src);
        snprintf(chan, sizeof chan, "SIP/tdc-trunk-%08x", s->seq);
        snprintf(dchan, sizeof dchan, "PJSIP/%s-%08x", ext, s->seq);
        snprintf(lastdata, sizeof lastdata, "PJSIP/%s,30", ext);
        l.src = src, l.dst = ext, l.clid = clid, l.channel = chan, l.dstchannel = dchan;
        l.lastdata = lastdata;
        if (c->outcome == OC_VOICEMAIL) {
            l.lastapp = "VoiceMail";
            snprintf(lastdata, sizeof lastdata, "%s@default,u", ext);
        }
        write_leg(s, &l);
        if (unknown) {
            acct_call(&s->a, -1, DIR_IN, c->outcome, 0, c->start);
            acct_unknown(&s->a, s->a.line);
        } else {
            acct_call(&s->a, c->asg, DIR_IN, c->outcome, c->xfer != XF_NONE, c->start);
        }
        if (c->xfer == XF_NONE)
            goto done;
        /* the second leg: the same channel (uniqueid) dials on */
        leg l2 = l;
        l2.start = l.end;
        l2.outcome = c->outcome2;
        l2.lastapp = "Dial";
        if (c->xfer == XF_FORWARD) { /* to the owner's mobile, over the trunk */
            snprintf(dst, sizeof dst, "%s", n2->e164 + 3);
            snprintf(dchan, sizeof dchan, "SIP/tdc-trunk-%08x", s->seq + 1000000u);
            snprintf(lastdata, sizeof lastdata, "SIP/tdc-trunk/%s,25", dst);
        } else {
            snprintf(dst, sizeof dst, "%s", n2->ext);
            snprintf(dchan, sizeof dchan, "PJSIP/%s-%08x", dst, s->seq + 1000000u);
            snprintf(lastdata, sizeof lastdata, "PJSIP/%s,30", dst);
        }
        l2.dst = dst;
        l2.lastdata = lastdata;
        int ring2 = 3 + (int)(c->id % 6u);
        l2.answer = c->outcome2 == OC_ANSWERED ? l2.start + ring2 : -1;
        l2.end = l2.start + ring2 + (c->outcome2 == OC_ANSWERED ? c->talk2 : 18);
        write_leg(s, &l2);
        acct_call(&s->a, c->asg2, DIR_IN, c->outcome2, 0, l2.start);
        goto done;
    }
    /* outbound and internal: the extension calls */
    snprintf(src, sizeof src, "%s", n1->ext);
    snprintf(clid, sizeof clid, "\"%s\" <%s>", n1->ext, n1->ext);
    snprintf(chan, sizeof chan, "PJSIP/%s-%08x", n1->ext, s->seq);
    l.dcontext = "from-internal";
    if (c->dir == DIR_INT) {
        snprintf(dst, sizeof dst, "%s", n2->ext);
        snprintf(dchan, sizeof dchan, "PJSIP/%s-%08x", n2->ext, s->seq + 1000000u);
        snprintf(lastdata, sizeof lastdata, "PJSIP/%s,20", n2->ext);
    } else {
        sbuf t = {0};
        sb_str(&t, c->remote_kind == RK_INTERNATIONAL ? "00" : "0");
        sb_str(&t, c->remote);
        snprintf(dst, sizeof dst, "%s", sb_cstr(&t));
        sb_free(&t);
        snprintf(dchan, sizeof dchan, "SIP/tdc-trunk-%08x", s->seq);
        snprintf(lastdata, sizeof lastdata, "SIP/tdc-trunk/%s", dst + 1);
    }
    l.src = src, l.dst = dst, l.clid = clid, l.channel = chan, l.dstchannel = dchan;
    l.lastdata = lastdata;
    write_leg(s, &l);
    acct_call(&s->a, c->asg, c->dir, c->outcome, 0, c->start);
done:
    flush(s, 0);
}

void ast_close(ast_writer *w)
{
    for (int i = 0; i < w->n; i++) {
        flush(&w->s[i], 1);
        if (acct_close(&w->s[i].a))
            out_close(w->s[i].out);
        else
            out_discard(w->s[i].out); /* a site without calls that month */
        sb_free(&w->s[i].b);
    }
    free(w->s);
    free(w);
}
