#include "kc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cal.h"
#include "profile.h"
#include "rng.h"
#include "truth.h"
#include "util.h"

#define STREAM_KC 3000000

struct kc_ctx {
    const model *m;
    uint64_t seed;
    citizens z;
    int *agents, nagents, cagents;
    int *fixed;  /* decentral fixed numbers: where calls are transferred to */
    int nfixed;
};

kc_ctx *kc_new(const model *m, uint64_t seed)
{
    kc_ctx *k = xcalloc(1, sizeof *k);
    k->m = m;
    k->seed = seed;
    k->fixed = xmalloc((size_t)(m->nasgs ? m->nasgs : 1) * sizeof *k->fixed);
    for (int a = 0; a < m->nasgs; a++) {
        const number *n = &m->nums[m->asgs[a].number];
        if (n->kind == NK_FIXED && (n->sys == SYS_ASTERISK || n->sys == SYS_CUCM))
            k->fixed[k->nfixed++] = a;
    }
    return k;
}

void kc_free(kc_ctx *k)
{
    free(k->agents);
    free(k->fixed);
    free(k);
}

static kc_call *new_call(kc_day_calls *d)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 1024;
        d->v = xrealloc(d->v, (size_t)d->cap * sizeof *d->v);
    }
    kc_call *c = &d->v[d->n++];
    memset(c, 0, sizeof *c);
    c->asg = -1;
    return c;
}

/* the unit's agents on duty that day */
static void agents_of(kc_ctx *k, const unit *u, int64_t day)
{
    const model *m = k->m;
    k->nagents = 0;
    for (int i = 0; i < u->nasg; i++) {
        int a = u->asg[i];
        const assignment *x = &m->asgs[a];
        if (x->emp < 0 || m->nums[x->number].kind != NK_FIXED)
            continue;
        if (!valid_on(x->valid_from, x->valid_to, day) ||
            !valid_on(m->emps[x->emp].valid_from, m->emps[x->emp].valid_to, day))
            continue;
        if (k->nagents == k->cagents) {
            k->cagents = k->cagents ? k->cagents * 2 : 64;
            k->agents = xrealloc(k->agents, (size_t)k->cagents * sizeof *k->agents);
        }
        k->agents[k->nagents++] = a;
    }
}

static void one_call(kc_ctx *k, rng *r, int u, int64_t day, kc_day_calls *out, uint32_t id)
{
    const model *m = k->m;
    const unit *x = &m->units[u];
    int sec = profile_draw_second(x, day, r);
    if (!profile_open(x, day, sec) || k->nagents == 0)
        return; /* closed: the caller hears the opening hours and hangs up */
    int open = 1;
    kc_call *c = new_call(out);
    c->start = cal_local_to_utc(day, sec, rng_chance(r, 0.5));
    c->id = id;
    c->unit = u;
    c->ivr = (uint8_t)(1 + rng_below(r, 4));
    if (rng_chance(r, x->b.share_internal) && k->nagents > 1) {
        c->internal = 1; /* a colleague calls the queue from an extension */
        const number *n = &m->nums[m->asgs[k->agents[rng_below(r, (uint32_t)k->nagents)]].number];
        snprintf(c->remote, sizeof c->remote, "%s", n->ext);
        c->remote_kind = RK_NATIONAL;
    } else {
        call tmp;
        memset(&tmp, 0, sizeof tmp);
        citizen_pick(&k->z, r, c->start, 0, &tmp);
        memcpy(c->remote, tmp.remote, sizeof c->remote);
        c->remote_kind = tmp.remote_kind;
    }
    /* busier around noon: longer waits, more callers give up */
    double peak = sec >= 10 * 3600 && sec < 13 * 3600 ? 1.6 : 1.0;
    if (!open || rng_chance(r, x->b.share_missed * peak / 1.3)) {
        if (open && rng_chance(r, 0.7)) {
            c->outcome = OC_ABANDONED;
            c->wait = 1 + (int)rng_exp(r, 45 * peak);
        } else {
            c->outcome = OC_MISSED; /* the queue's timeout */
            c->wait = 300 + (int)rng_below(r, 20);
        }
        return;
    }
    c->outcome = OC_ANSWERED;
    c->wait = 3 + (int)rng_exp(r, 35 * peak);
    c->talk = 15 + (int)rng_exp(r, 210);
    c->wrap = 5 + (int)rng_exp(r, 45);
    c->asg = k->agents[rng_below(r, (uint32_t)k->nagents)];
    if (k->nfixed && rng_chance(r, x->b.share_transferred)) {
        c->xfer = 1;
        const number *n = &m->nums[m->asgs[k->fixed[rng_below(r, (uint32_t)k->nfixed)]].number];
        snprintf(c->xfer_to, sizeof c->xfer_to, "%s", n->e164 + 3);
    }
}

static int by_start(const void *pa, const void *pb)
{
    const kc_call *a = pa, *b = pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

void kc_day(kc_ctx *k, int64_t day, kc_day_calls *ql, kc_day_calls *ex)
{
    const model *m = k->m;
    rng r;
    rng_seed(&r, k->seed, STREAM_KC + (uint64_t)day);
    ql->n = ex->n = 0;
    uint32_t id = 0;
    for (int u = 0; u < m->nunits; u++) {
        const unit *x = &m->units[u];
        if (x->sys != SYS_KC_QL && x->sys != SYS_KC_EX)
            continue;
        agents_of(k, x, day);
        int n = profile_count(&r, profile_expected(x, day));
        for (int i = 0; i < n; i++)
            one_call(k, &r, u, day, x->sys == SYS_KC_QL ? ql : ex, ++id);
    }
    if (ql->n > 1)
        qsort(ql->v, (size_t)ql->n, sizeof *ql->v, by_start);
    if (ex->n > 1)
        qsort(ex->v, (size_t)ex->n, sizeof *ex->v, by_start);
}
