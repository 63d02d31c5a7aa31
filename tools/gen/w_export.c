/* The contact-center system's per-call export (the calls-csv defaults):
 * ';'-separated UTF-8 with a header, one row per call offered to a queue,
 * local times yyyy-mm-dd HH:MM:SS, durations in seconds, wrap-up time. */
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
#define HEADER "call_id;queue;caller;offered;answered;ended;wait_s;talk_s;wrap_s;outcome;agent;ivr_choice;transferred_to\n"

struct ex_writer {
    gen *g;
    out_file *out;
    acct a;
    sbuf b;
    int month;
    uint32_t seq;
};

ex_writer *ex_open(gen *g, int month)
{
    ex_writer *w = xcalloc(1, sizeof *w);
    w->g = g;
    w->month = month;
    char mf[8], rel[128], path[4096];
    month_folder(mf, month);
    snprintf(rel, sizeof rel, "contactcenter/export/%s/calls.csv", mf);
    snprintf(path, sizeof path, "%s/%s", g->out, rel);
    w->out = out_open(path, OUT_PLAIN, NULL, 0);
    acct_open(&w->a, g, SRC_KC_EX, rel, "", month);
    sb_str(&w->b, HEADER);
    w->a.line = 1;
    return w;
}

static void call_id(sbuf *b, int month, uint32_t seq)
{
    sb_str(b, "KC-");
    sb_uz(b, (uint64_t)(month / 12), 4);
    sb_uz(b, (uint64_t)(month % 12 + 1), 2);
    sb_ch(b, '-');
    sb_uz(b, seq, 7);
}

static void write_bad(ex_writer *w, const kc_call *c, const char *queue)
{
    int kind = acct_bad_kind(&w->a, 3);
    sbuf *b = &w->b;
    call_id(b, w->month, 9000000u + ++w->seq % 1000000u);
    sb_ch(b, ';');
    sb_str(b, queue);
    sb_str(b, ";22334455;");
    if (kind == 0) { /* cut after the offered time */
        fmt_local(b, c->start);
        sb_ch(b, '\n');
    } else if (kind == 1) { /* a date in another layout */
        int64_t day;
        int sec;
        cal_utc_to_local(c->start, &day, &sec);
        fmt_date_dmy(b, day);
        sb_ch(b, ' ');
        fmt_hms(b, sec);
        sb_str(b, ";;;12;0;;abandoned;;1;\n");
    } else { /* an IVR text in Windows-1252 */
        fmt_local(b, c->start);
        sb_str(b, ";;;12;0;;abandoned;;B\xF8ger;\n");
    }
    w->a.line++;
    acct_reject(&w->a, w->a.line, kind == 0 ? "broken_line" : kind == 1 ? "bad_date" : "encoding");
}

void ex_day(ex_writer *w, const kc_day_calls *calls)
{
    const model *m = w->g->m;
    sbuf *b = &w->b;
    for (int i = 0; i < calls->n; i++) {
        const kc_call *c = &calls->v[i];
        const unit *u = &m->units[c->unit];
        if (acct_want_bad(&w->a))
            write_bad(w, c, u->queue);
        call_id(b, w->month, ++w->seq);
        sb_ch(b, ';');
        sb_str(b, u->queue);
        sb_ch(b, ';');
        if (c->internal)
            sb_str(b, c->remote);
        else if (c->remote_kind != RK_HIDDEN)
            fmt_remote(b, c->remote, c->remote_kind == RK_INTERNATIONAL,
                       c->id % 2 ? NS_PLUS : NS_PLAIN);
        sb_ch(b, ';');
        fmt_local(b, c->start);
        sb_ch(b, ';');
        int answered = c->outcome == OC_ANSWERED;
        if (answered)
            fmt_local(b, c->start + c->wait);
        sb_ch(b, ';');
        fmt_local(b, c->start + c->wait + c->talk);
        sb_ch(b, ';');
        sb_i64(b, c->wait);
        sb_ch(b, ';');
        sb_i64(b, c->talk);
        sb_ch(b, ';');
        if (answered)
            sb_i64(b, c->wrap);
        sb_ch(b, ';');
        sb_str(b, answered ? (c->id % 5 ? "answered" : "besvaret")
                  : c->outcome == OC_ABANDONED ? "abandoned"
                                               : "timeout");
        sb_ch(b, ';');
        if (c->asg >= 0) {
            if (c->id % 2)
                sb_str(b, "PJSIP/");
            sb_str(b, m->nums[m->asgs[c->asg].number].ext);
        }
        sb_ch(b, ';');
        sb_u64(b, c->ivr);
        sb_ch(b, ';');
        if (c->xfer)
            sb_str(b, c->xfer_to);
        sb_ch(b, '\n');
        w->a.line++;
        acct_call(&w->a, c->asg, c->internal ? DIR_INT : DIR_IN, c->outcome, c->xfer, c->start);
        if (b->n >= FLUSH_AT) {
            out_write(w->out, b->p, b->n);
            sb_clear(b);
        }
    }
}

void ex_close(ex_writer *w)
{
    out_write(w->out, w->b.p, w->b.n);
    if (acct_close(&w->a))
        out_close(w->out);
    else
        out_discard(w->out);
    sb_free(&w->b);
    free(w);
}
