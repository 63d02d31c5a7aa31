#include "calls.h"

#include <stdlib.h>
#include <string.h>

#include "cal.h"
#include "profile.h"
#include "rng.h"
#include "truth.h"
#include "util.h"

#define STREAM_DAY 1000000

/* the numbers of a unit valid on the day, by channel, with routing weights */
typedef struct points {
    int *asg;
    double *cum;
    int n, cap;
} points;

struct calls_ctx {
    const model *m;
    uint64_t seed;
    citizens z;
    points fixed, mobile, any, tmp;
    int *cucm_units;
    int ncucm;
};

calls_ctx *calls_new(const model *m, uint64_t seed)
{
    calls_ctx *c = xcalloc(1, sizeof *c);
    c->m = m;
    c->seed = seed;
    c->cucm_units = xmalloc((size_t)m->nunits * sizeof *c->cucm_units);
    for (int u = 0; u < m->nunits; u++)
        if (m->units[u].sys == SYS_CUCM)
            c->cucm_units[c->ncucm++] = u;
    return c;
}

static void points_free(points *p)
{
    free(p->asg);
    free(p->cum);
}

void calls_free(calls_ctx *c)
{
    points_free(&c->fixed);
    points_free(&c->mobile);
    points_free(&c->any);
    points_free(&c->tmp);
    free(c->cucm_units);
    free(c);
}

static void points_add(points *p, int asg, double w)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 32;
        p->asg = xrealloc(p->asg, (size_t)p->cap * sizeof *p->asg);
        p->cum = xrealloc(p->cum, (size_t)p->cap * sizeof *p->cum);
    }
    p->asg[p->n] = asg;
    p->cum[p->n] = (p->n ? p->cum[p->n - 1] : 0) + w;
    p->n++;
}

/* is assignment a usable on the day (the number's and the person's rows) */
static int usable(const model *m, int a, int64_t day)
{
    const assignment *x = &m->asgs[a];
    if (!valid_on(x->valid_from, x->valid_to, day))
        return 0;
    if (x->emp >= 0 && !valid_on(m->emps[x->emp].valid_from, m->emps[x->emp].valid_to, day))
        return 0;
    return 1;
}

/* the routing weight of an inbound call to the number */
static double weight(const model *m, int a)
{
    const assignment *x = &m->asgs[a];
    int kind = m->nums[x->number].kind;
    if (kind == NK_QUEUE)
        return 0;
    if (x->emp < 0)
        return 0.3; /* a front desk takes a good share */
    return m->emps[x->emp].weight;
}

static void unit_points(calls_ctx *c, int u, int64_t day)
{
    const model *m = c->m;
    const unit *x = &m->units[u];
    c->fixed.n = c->mobile.n = c->any.n = 0;
    for (int i = 0; i < x->nasg; i++) {
        int a = x->asg[i];
        if (!usable(m, a, day))
            continue;
        int kind = m->nums[m->asgs[a].number].kind;
        double w = weight(m, a);
        if (kind == NK_MOBILE && w > 0)
            points_add(&c->mobile, a, w);
        else if ((kind == NK_FIXED || kind == NK_SHARED) && w > 0)
            points_add(&c->fixed, a, w);
        if (m->asgs[a].emp >= 0 && kind != NK_QUEUE)
            points_add(&c->any, a, w + 0.05);
    }
}

static int pick(points *p, rng *r)
{
    return p->n ? p->asg[rng_pick_cum(r, p->cum, p->n)] : -1;
}

/* a point of p other than a (or -1) */
static int pick_other(points *p, rng *r, int a)
{
    for (int k = 0; k < 6 && p->n > 1; k++) {
        int b = pick(p, r);
        if (b != a)
            return b;
    }
    return -1;
}

/* a fixed number on the same PBX as unit u (another unit's), valid on the day */
static int pick_same_pbx(calls_ctx *c, rng *r, int u, int64_t day, int not)
{
    const model *m = c->m;
    const unit *x = &m->units[u];
    for (int k = 0; k < 8; k++) {
        int v;
        if (x->sys == SYS_ASTERISK) {
            const site *s = &m->sites[x->site];
            v = s->units[rng_below(r, (uint32_t)s->nunits)];
        } else {
            v = c->cucm_units[rng_below(r, (uint32_t)c->ncucm)];
        }
        const unit *y = &m->units[v];
        if (!y->nasg)
            continue;
        int a = y->asg[rng_below(r, (uint32_t)y->nasg)];
        int kind = m->nums[m->asgs[a].number].kind;
        if (a != not && (kind == NK_FIXED || kind == NK_SHARED) && usable(m, a, day))
            return a;
    }
    return -1;
}

/* the same employee's mobile, valid on the day */
static int own_mobile(calls_ctx *c, int a)
{
    const model *m = c->m;
    int e = m->asgs[a].emp;
    if (e < 0)
        return -1;
    for (int i = 0; i < c->mobile.n; i++)
        if (m->asgs[c->mobile.asg[i]].emp == e)
            return c->mobile.asg[i];
    return -1;
}

static call *new_call(day_calls *out)
{
    if (out->n == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 1024;
        out->v = xrealloc(out->v, (size_t)out->cap * sizeof *out->v);
    }
    call *c = &out->v[out->n++];
    memset(c, 0, sizeof *c);
    c->asg2 = -1;
    c->site = -1;
    return c;
}

static int talk_time(rng *r, double mean) { return 8 + (int)rng_exp(r, mean); }

static int64_t start_of(rng *r, const unit *u, int64_t day, int *open)
{
    int sec = profile_draw_second(u, day, r);
    *open = profile_open(u, day, sec);
    return cal_local_to_utc(day, sec, rng_chance(r, 0.5));
}

/* a start while the unit is staffed (staff call out in working hours);
 * -1 when the day has none */
static int64_t working_start(rng *r, const unit *u, int64_t day)
{
    for (int k = 0; k < 8; k++) {
        int open;
        int64_t t = start_of(r, u, day, &open);
        if (open)
            return t;
    }
    return -1;
}

/* night: sec >= 0 forces a wall-clock time (in either occurrence of a
 * repeated hour), the unit closed */
static void inbound(calls_ctx *c, rng *r, int u, int64_t day, day_calls *out, int night)
{
    const model *m = c->m;
    const unit *x = &m->units[u];
    int open;
    int64_t start;
    if (night >= 0) {
        start = cal_local_to_utc(day, night, rng_chance(r, 0.5));
        open = 0;
    } else {
        start = start_of(r, x, day, &open);
    }
    int mobile = x->sys == SYS_MOBILE || (c->mobile.n && rng_chance(r, x->b.share_mobile_general));
    points *p = mobile || !c->fixed.n ? &c->mobile : &c->fixed;
    int a = pick(p, r);
    if (a < 0)
        return;
    int on_mobile = m->nums[m->asgs[a].number].kind == NK_MOBILE;
    call *k = new_call(out);
    k->start = start;
    k->id = (uint32_t)out->n;
    k->sys = (uint8_t)(on_mobile ? SYS_MOBILE : x->sys);
    k->site = (int16_t)(on_mobile ? -1 : x->site);
    k->dir = DIR_IN;
    k->asg = a;
    citizen_pick(&c->z, r, start, 0, k);
    if (!open || rng_chance(r, x->b.share_missed)) {
        double y = rng_unit(r);
        k->outcome = !open ? (y < 0.4 ? OC_VOICEMAIL : OC_MISSED)
                           : y < 0.15 ? OC_BUSY : y < 0.45 ? OC_VOICEMAIL : OC_MISSED;
        k->ring = k->outcome == OC_BUSY ? 0 : 12 + (int)rng_below(r, 25);
        k->talk = k->outcome == OC_VOICEMAIL ? 10 + (int)rng_below(r, 50) : 0;
        /* no answer at the desk: the Asterisk forwards to the owner's mobile */
        if (open && k->outcome == OC_MISSED && k->sys == SYS_ASTERISK && rng_chance(r, 0.3)) {
            int mob = own_mobile(c, a);
            if (mob >= 0) {
                k->xfer = XF_FORWARD;
                k->asg2 = mob;
                k->outcome2 = rng_chance(r, 0.8) ? OC_ANSWERED : OC_MISSED;
                k->talk2 = k->outcome2 == OC_ANSWERED ? talk_time(r, 140) : 0;
            }
        }
        return;
    }
    k->outcome = OC_ANSWERED;
    k->ring = 3 + (int)rng_exp(r, 7);
    k->talk = talk_time(r, 150);
    if (!rng_chance(r, x->b.share_transferred))
        return;
    if (k->sys == SYS_MOBILE) {
        int b = pick_other(&c->mobile, r, a);
        if (b < 0)
            return;
        k->xfer = XF_FORWARD; /* "Viderestillet" to a colleague's mobile */
        k->asg2 = b;
        k->talk = 0;
        k->outcome2 = OC_ANSWERED;
        k->talk2 = talk_time(r, 150);
        return;
    }
    int b = pick_other(&c->fixed, r, a);
    if (b < 0)
        b = pick_same_pbx(c, r, u, day, a);
    if (b < 0)
        return;
    k->asg2 = b;
    k->xfer = k->sys == SYS_CUCM && rng_chance(r, 0.4) ? XF_FORWARD : XF_TRANSFER;
    k->outcome2 = rng_chance(r, 0.92) ? OC_ANSWERED : OC_MISSED;
    k->talk2 = k->outcome2 == OC_ANSWERED ? talk_time(r, 120) : 0;
    if (k->xfer == XF_FORWARD) { /* call forward no answer: the colleague takes it */
        k->ring = 15 + (int)rng_below(r, 10);
        k->outcome = OC_ANSWERED;
    }
}

static void outbound(calls_ctx *c, rng *r, int u, int64_t day, day_calls *out)
{
    const model *m = c->m;
    const unit *x = &m->units[u];
    int a = pick(&c->any, r);
    if (a < 0)
        return;
    int64_t start = working_start(r, x, day);
    if (start < 0)
        return;
    int on_mobile = m->nums[m->asgs[a].number].kind == NK_MOBILE;
    call *k = new_call(out);
    k->start = start;
    k->id = (uint32_t)out->n;
    k->sys = (uint8_t)(on_mobile ? SYS_MOBILE : x->sys);
    k->site = (int16_t)(on_mobile ? -1 : x->site);
    k->dir = DIR_OUT;
    k->asg = a;
    citizen_pick(&c->z, r, start, 1, k);
    double y = rng_unit(r);
    k->outcome = y < 0.85 ? OC_ANSWERED : y < 0.97 ? OC_MISSED : OC_BUSY;
    k->ring = k->outcome == OC_BUSY ? 1 : 4 + (int)rng_exp(r, 8);
    k->talk = k->outcome == OC_ANSWERED ? talk_time(r, 160) : 0;
}

static void internal(calls_ctx *c, rng *r, int u, int64_t day, day_calls *out)
{
    const model *m = c->m;
    const unit *x = &m->units[u];
    int a = pick(&c->fixed, r);
    if (a < 0 || m->nums[m->asgs[a].number].kind != NK_FIXED)
        return;
    int b = rng_chance(r, 0.6) ? pick_other(&c->fixed, r, a) : -1;
    if (b < 0)
        b = pick_same_pbx(c, r, u, day, a);
    if (b < 0)
        return;
    int64_t start = working_start(r, x, day);
    if (start < 0)
        return;
    call *k = new_call(out);
    k->start = start;
    k->id = (uint32_t)out->n;
    k->sys = (uint8_t)x->sys;
    k->site = (int16_t)x->site;
    k->dir = DIR_INT;
    k->asg = a;
    k->asg2 = b;
    k->outcome = rng_chance(r, 0.88) ? OC_ANSWERED : OC_MISSED;
    k->ring = 2 + (int)rng_exp(r, 6);
    k->talk = k->outcome == OC_ANSWERED ? talk_time(r, 90) : 0;
}

static int by_start(const void *pa, const void *pb)
{
    const call *a = pa, *b = pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

void calls_day(calls_ctx *c, int64_t day, day_calls *out)
{
    const model *m = c->m;
    rng r;
    rng_seed(&r, c->seed, STREAM_DAY + (uint64_t)day);
    out->n = 0;
    int y, mo, d;
    cal_civil(day, &y, &mo, &d);
    int autumn = mo == 10 && cal_weekday(day) == 6 && d + 7 > 31;
    for (int u = 0; u < m->nunits; u++) {
        const unit *x = &m->units[u];
        if (!x->b.potential || (x->sys != SYS_MOBILE && x->sys != SYS_ASTERISK && x->sys != SYS_CUCM))
            continue;
        unit_points(c, u, day);
        double lambda = profile_expected(x, day);
        int nin = profile_count(&r, lambda);
        int nout = profile_count(&r, lambda * x->b.share_outbound);
        int nint = profile_count(&r, lambda * x->b.share_internal);
        for (int i = 0; i < nin; i++)
            inbound(c, &r, u, day, out, -1);
        /* the night summer time ends: a few calls in the repeated hour */
        if (autumn && rng_chance(&r, 0.3))
            inbound(c, &r, u, day, out, 2 * 3600 + (int)rng_below(&r, 3600));
        for (int i = 0; i < nout; i++)
            outbound(c, &r, u, day, out);
        for (int i = 0; i < nint; i++)
            internal(c, &r, u, day, out);
    }
    if (out->n > 1)
        qsort(out->v, (size_t)out->n, sizeof *out->v, by_start);
}
