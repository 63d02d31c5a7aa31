/* Asterisk's queue_log of the contact-center queues, one file per month:
 * epoch|callid|queue|agent|EVENT|data..., UTC epochs, lines in time order.
 * A call is ENTERQUEUE, sometimes RINGNOANSWER, then CONNECT and
 * COMPLETECALLER / COMPLETEAGENT / BLINDTRANSFER, or ABANDON /
 * EXITWITHTIMEOUT; the agents are added to their queue each morning. */
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

enum ev { EV_ADDMEMBER, EV_ENTER, EV_RING, EV_CONNECT, EV_END };

typedef struct event {
    int64_t t;
    uint32_t call; /* index into the day's calls, or the agent assignment for ADDMEMBER */
    uint8_t type;
} event;

struct ql_writer {
    gen *g;
    out_file *out;
    acct a;
    sbuf b;
    event *ev;
    int nev, cev;
    uint32_t seq;
};

ql_writer *ql_open(gen *g, int month)
{
    ql_writer *w = xcalloc(1, sizeof *w);
    w->g = g;
    char mf[8], rel[128], path[4096];
    month_folder(mf, month);
    snprintf(rel, sizeof rel, "contactcenter/queue_log/%s/queue_log", mf);
    snprintf(path, sizeof path, "%s/%s", g->out, rel);
    w->out = out_open(path, OUT_PLAIN, NULL, 0);
    acct_open(&w->a, g, SRC_KC_QL, rel, "", month);
    return w;
}

static void add_event(ql_writer *w, int64_t t, uint32_t call, int type)
{
    if (w->nev == w->cev) {
        w->cev = w->cev ? w->cev * 2 : 4096;
        w->ev = xrealloc(w->ev, (size_t)w->cev * sizeof *w->ev);
    }
    w->ev[w->nev++] = (event){t, call, (uint8_t)type};
}

static int by_time(const void *pa, const void *pb)
{
    const event *a = pa, *b = pb;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    if (a->type != b->type)
        return a->type < b->type ? -1 : 1;
    return a->call < b->call ? -1 : a->call > b->call;
}

static void head(sbuf *b, int64_t t, const char *callid, const char *queue, const char *agent,
                 const char *event)
{
    sb_i64(b, t);
    sb_ch(b, '|');
    sb_str(b, callid);
    sb_ch(b, '|');
    sb_str(b, queue);
    sb_ch(b, '|');
    sb_str(b, agent);
    sb_ch(b, '|');
    sb_str(b, event);
}

static void write_bad(ql_writer *w, int64_t t, const char *queue)
{
    int kind = acct_bad_kind(&w->a, 3);
    sbuf *b = &w->b;
    char callid[32];
    snprintf(callid, sizeof callid, "%lld.%u", (long long)t, 900000u + ++w->seq);
    if (kind == 0) { /* cut after the queue name */
        sb_i64(b, t);
        sb_ch(b, '|');
        sb_str(b, callid);
        sb_ch(b, '|');
        sb_str(b, queue);
        sb_ch(b, '\n');
    } else if (kind == 1) { /* the time as a date instead of Unix seconds */
        sbuf d = {0};
        fmt_local(&d, t);
        sb_str(b, sb_cstr(&d));
        sb_free(&d);
        sb_str(b, "|");
        sb_str(b, callid);
        sb_str(b, "|");
        sb_str(b, queue);
        sb_str(b, "|NONE|ENTERQUEUE||22334455|1\n");
    } else { /* an agent name in Windows-1252 */
        head(b, t, "NONE", queue, "Agent/S\xF8ren \xD8rum", "AGENTLOGIN");
        sb_str(b, "|PJSIP/2999-00000001\n");
    }
    w->a.line++;
    acct_reject(&w->a, w->a.line, kind == 0 ? "broken_line" : kind == 1 ? "bad_date" : "encoding");
}

void ql_day(ql_writer *w, int64_t day, const kc_day_calls *calls)
{
    const model *m = w->g->m;
    w->nev = 0;
    /* the agents who answer today join their queue in the morning */
    int64_t morning = cal_local_to_utc(day, 7 * 3600 + 55 * 60, 0);
    char *seen = NULL;
    if (calls->n) {
        seen = xcalloc((size_t)m->nasgs, 1);
        for (int i = 0; i < calls->n; i++) {
            int a = calls->v[i].asg;
            if (a >= 0 && !seen[a]) {
                seen[a] = 1;
                add_event(w, morning, (uint32_t)a, EV_ADDMEMBER);
            }
        }
        free(seen);
    }
    for (int i = 0; i < calls->n; i++) {
        const kc_call *c = &calls->v[i];
        add_event(w, c->start, (uint32_t)i, EV_ENTER);
        if (c->outcome == OC_ANSWERED) {
            if (c->wait > 20 && c->id % 3 == 0)
                add_event(w, c->start + c->wait / 2, (uint32_t)i, EV_RING);
            add_event(w, c->start + c->wait, (uint32_t)i, EV_CONNECT);
            add_event(w, c->start + c->wait + c->talk, (uint32_t)i, EV_END);
        } else {
            add_event(w, c->start + c->wait, (uint32_t)i, EV_END);
        }
    }
    if (w->nev > 1)
        qsort(w->ev, (size_t)w->nev, sizeof *w->ev, by_time);
    uint32_t base = w->seq;
    w->seq += (uint32_t)calls->n;
    sbuf *b = &w->b;
    for (int e = 0; e < w->nev; e++) {
        const event *x = &w->ev[e];
        if (x->type == EV_ADDMEMBER) {
            const assignment *as = &m->asgs[x->call];
            const unit *u = &m->units[as->unit];
            char agent[24];
            snprintf(agent, sizeof agent, "PJSIP/%s", m->nums[as->number].ext);
            head(b, x->t, "MANAGER", u->queue, agent, "ADDMEMBER");
            sb_str(b, "|\n");
            w->a.line++;
            continue;
        }
        const kc_call *c = &calls->v[x->call];
        const unit *u = &m->units[c->unit];
        char callid[32], agent[24] = "NONE";
        snprintf(callid, sizeof callid, "%lld.%u", (long long)c->start, base + x->call + 1);
        if (c->asg >= 0)
            snprintf(agent, sizeof agent, "PJSIP/%s", m->nums[m->asgs[c->asg].number].ext);
        switch (x->type) {
        case EV_ENTER:
            if (acct_want_bad(&w->a))
                write_bad(w, x->t, u->queue);
            head(b, x->t, callid, u->queue, "NONE", "ENTERQUEUE");
            sb_str(b, "||");
            if (c->internal)
                sb_str(b, c->remote);
            else if (c->remote_kind == RK_HIDDEN)
                sb_str(b, "anonymous");
            else
                fmt_remote(b, c->remote, c->remote_kind == RK_INTERNATIONAL,
                           c->id % 3 == 0 ? NS_PLUS : NS_PLAIN);
            sb_str(b, "|1\n");
            w->a.line++;
            acct_call(&w->a, c->asg, c->internal ? DIR_INT : DIR_IN, c->outcome, c->xfer,
                      c->start);
            break;
        case EV_RING: {
            /* another agent's phone rang first */
            head(b, x->t, callid, u->queue, agent, "RINGNOANSWER");
            sb_str(b, "|15000\n");
            w->a.line++;
            break;
        }
        case EV_CONNECT:
            head(b, x->t, callid, u->queue, agent, "CONNECT");
            sb_ch(b, '|');
            sb_i64(b, c->wait);
            sb_ch(b, '|');
            sb_i64(b, x->t);
            sb_str(b, ".");
            sb_u64(b, base + x->call + 500000u);
            sb_str(b, "|3\n");
            w->a.line++;
            break;
        default:
            if (c->outcome == OC_ANSWERED && c->xfer) {
                head(b, x->t, callid, u->queue, agent, "BLINDTRANSFER");
                sb_ch(b, '|');
                sb_str(b, c->xfer_to);
                sb_str(b, "|from-internal|");
            } else if (c->outcome == OC_ANSWERED) {
                head(b, x->t, callid, u->queue, agent,
                     c->id % 4 == 0 ? "COMPLETEAGENT" : "COMPLETECALLER");
                sb_ch(b, '|');
            } else {
                head(b, x->t, callid, u->queue, "NONE",
                     c->outcome == OC_ABANDONED ? "ABANDON" : "EXITWITHTIMEOUT");
                sb_str(b, "|1|1|");
                sb_i64(b, c->wait);
                sb_ch(b, '\n');
                w->a.line++;
                break;
            }
            sb_i64(b, c->wait);
            sb_ch(b, '|');
            sb_i64(b, c->talk);
            sb_str(b, "|1\n");
            w->a.line++;
        }
        if (b->n >= FLUSH_AT) {
            out_write(w->out, b->p, b->n);
            sb_clear(b);
        }
    }
}

void ql_close(ql_writer *w)
{
    out_write(w->out, w->b.p, w->b.n);
    if (acct_close(&w->a))
        out_close(w->out);
    else
        out_discard(w->out);
    sb_free(&w->b);
    free(w->ev);
    free(w);
}
