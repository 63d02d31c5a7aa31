/* TDC Erhverv's mobile traffic export, as the tdc plugin's defaults read it:
 * ';'-separated, Windows-1252, CRLF, a header row, one call per line, local
 * time (dd-mm-yyyy, HH:MM:SS), durations H:MM:SS, charges with a decimal
 * comma; gzip-compressed, one file per month. A call forwarded by a mobile
 * ("Viderestillet") is one line on the forwarding subscription and one
 * incoming line on the colleague's. */
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

/* in Windows-1252: å = E5, ø = F8 */
#define HEADER "Abonnement;Dato;Tidspunkt;Varighed;Retning;Modpart;Kaldstype;Status;Viderestillet til;Bel\xF8" "b\r\n"
#define IN_WORD "Indg\xE5" "ende"
#define OUT_WORD "Udg\xE5" "ende"

struct tdc_writer {
    gen *g;
    out_file *out;
    acct a;
    sbuf b;
    int64_t *charges; /* øre per number */
};

tdc_writer *tdc_open(gen *g, int month)
{
    tdc_writer *w = xcalloc(1, sizeof *w);
    w->g = g;
    w->charges = xcalloc((size_t)g->m->nnums, sizeof *w->charges);
    char mf[8], rel[128], path[4096];
    month_folder(mf, month);
    snprintf(rel, sizeof rel, "tdc/mobile/%s/tdc-mobil-%s.csv.gz", mf, mf);
    snprintf(path, sizeof path, "%s/%s", g->out, rel);
    w->out = out_open(path, OUT_GZIP, NULL, 0);
    acct_open(&w->a, g, SRC_TDC_MOBILE, rel, "", month);
    sb_str(&w->b, HEADER);
    w->a.line = 1;
    return w;
}

int64_t tdc_charges(const tdc_writer *w, int number) { return w->charges[number]; }

static const char *status_of(int outcome)
{
    switch (outcome) {
    case OC_ANSWERED:
    case OC_VOICEMAIL: return "Besvaret";
    case OC_BUSY: return "Optaget";
    default: return "Ubesvaret";
    }
}

static const char *call_type(const call *c, int outcome)
{
    if (outcome == OC_VOICEMAIL)
        return "Voicemail";
    switch (c->remote_kind) {
    case RK_HIDDEN: return "";
    case RK_INTERNATIONAL: return "Udland";
    case RK_SPECIAL: return "Service";
    default: {
        /* the operator knows whether the other party is a mobile */
        int p = (c->remote[0] - '0') * 10 + (c->remote[1] - '0');
        int mobile = (p >= 20 && p <= 29) || (p >= 40 && p <= 42) || (p >= 50 && p <= 53) ||
                     p == 60 || p == 61 || p == 71 || p == 81 || (p >= 91 && p <= 93);
        return mobile ? "Mobil" : "Fastnet";
    }
    }
}

/* the charge of an outbound call in øre: per started minute abroad and to
 * premium numbers; national calls are in the subscription */
static int64_t charge_of(const call *c, int seconds)
{
    int64_t minutes = (seconds + 59) / 60;
    if (c->remote_kind == RK_INTERNATIONAL)
        return 149 * minutes;
    if (c->remote_kind == RK_SPECIAL)
        return c->remote[0] == '9' ? 500 * minutes : c->remote[0] == '7' ? 50 * minutes : 0;
    return 0;
}

typedef struct line {
    const char *subscription;
    int64_t start;
    int duration;
    int dir;
    const call *c;
    const char *type, *status, *forwarded;
    int64_t charge;
} line;

static void write_line(tdc_writer *w, const line *l)
{
    sbuf *b = &w->b;
    int64_t day;
    int sec;
    cal_utc_to_local(l->start, &day, &sec);
    sb_str(b, l->subscription);
    sb_ch(b, ';');
    fmt_date_dmy(b, day);
    sb_ch(b, ';');
    fmt_hms(b, sec);
    sb_ch(b, ';');
    fmt_duration(b, l->duration);
    sb_ch(b, ';');
    sb_str(b, l->dir == DIR_IN ? IN_WORD : OUT_WORD);
    sb_ch(b, ';');
    if (l->c->remote_kind == RK_HIDDEN)
        sb_str(b, "Skjult nummer");
    else
        fmt_remote(b, l->c->remote, l->c->remote_kind == RK_INTERNATIONAL,
                   l->c->id % 2 ? NS_PLUS : NS_PLAIN);
    sb_ch(b, ';');
    sb_str(b, l->type);
    sb_ch(b, ';');
    sb_str(b, l->status);
    sb_ch(b, ';');
    sb_str(b, l->forwarded ? l->forwarded : "");
    sb_ch(b, ';');
    sb_ore(b, l->charge, ',');
    sb_str(b, "\r\n");
    w->a.line++;
}

static void write_bad(tdc_writer *w, const call *c)
{
    int kind = acct_bad_kind(&w->a, 2);
    sbuf *b = &w->b;
    int64_t day;
    int sec;
    cal_utc_to_local(c->start, &day, &sec);
    sb_str(b, "30999999;");
    if (kind == 0) { /* a line cut after five columns */
        fmt_date_dmy(b, day);
        sb_ch(b, ';');
        fmt_hms(b, sec);
        sb_str(b, ";00:01:10;" IN_WORD "\r\n");
    } else { /* the date in another layout */
        fmt_date_iso(b, day);
        sb_ch(b, ';');
        fmt_hms(b, sec);
        sb_str(b, ";00:01:10;" IN_WORD ";22334455;Mobil;Besvaret;;0,00\r\n");
    }
    w->a.line++;
    acct_reject(&w->a, w->a.line, kind == 0 ? "broken_line" : "bad_date");
}

void tdc_call(tdc_writer *w, const call *c)
{
    const model *m = w->g->m;
    if (acct_want_bad(&w->a))
        write_bad(w, c);
    int n1 = m->asgs[c->asg].number;
    const char *sub = m->nums[n1].e164 + 3;
    line l = {.subscription = sub, .start = c->start, .dir = c->dir, .c = c};
    if (c->dir == DIR_OUT) {
        l.duration = c->outcome == OC_ANSWERED ? c->talk : c->outcome == OC_BUSY ? 0 : c->ring;
        l.type = call_type(c, c->outcome);
        l.status = status_of(c->outcome);
        l.charge = c->outcome == OC_ANSWERED ? charge_of(c, c->talk) : 0;
        w->charges[n1] += l.charge;
        write_line(w, &l);
        acct_call(&w->a, c->asg, DIR_OUT, c->outcome, 0, c->start);
    } else if (c->xfer == XF_FORWARD) {
        int n2 = m->asgs[c->asg2].number;
        l.duration = c->talk2;
        l.type = call_type(c, OC_ANSWERED);
        l.status = "Viderestillet";
        l.forwarded = m->nums[n2].e164 + 3;
        write_line(w, &l);
        acct_call(&w->a, c->asg, DIR_IN, c->talk2 > 0 ? OC_ANSWERED : OC_MISSED, 1, c->start);
        line l2 = {.subscription = m->nums[n2].e164 + 3, .start = c->start + 18,
                   .duration = c->talk2, .dir = DIR_IN, .c = c};
        l2.type = call_type(c, OC_ANSWERED);
        l2.status = "Besvaret";
        write_line(w, &l2);
        acct_call(&w->a, c->asg2, DIR_IN, OC_ANSWERED, 0, l2.start);
    } else {
        char unknown_sub[12];
        int unknown = acct_want_unknown(&w->a);
        if (unknown) {
            snprintf(unknown_sub, sizeof unknown_sub, "31%06u", c->id * 104729u % 1000000u);
            l.subscription = unknown_sub;
        }
        l.duration = c->outcome == OC_ANSWERED || c->outcome == OC_VOICEMAIL ? c->talk
                     : c->outcome == OC_BUSY                             ? 0
                                                                         : c->ring;
        l.type = call_type(c, c->outcome);
        l.status = status_of(c->outcome);
        write_line(w, &l);
        if (unknown) {
            acct_call(&w->a, -1, DIR_IN, c->outcome, 0, c->start);
            acct_unknown(&w->a, w->a.line);
        } else {
            acct_call(&w->a, c->asg, DIR_IN, c->outcome, 0, c->start);
        }
    }
    if (w->b.n >= FLUSH_AT) {
        out_write(w->out, w->b.p, w->b.n);
        sb_clear(&w->b);
    }
}

void tdc_close(tdc_writer *w)
{
    out_write(w->out, w->b.p, w->b.n);
    if (acct_close(&w->a))
        out_close(w->out);
    else
        out_discard(w->out);
    sb_free(&w->b);
    free(w->charges);
    free(w);
}
