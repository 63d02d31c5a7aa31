/* Erlang B and C through the stable Erlang B recursion (see erlang.h). */
#include "erlang.h"

#include <math.h>

double cm_erlang_load(double calls, double interval_s, double aht_s)
{
    if (!(interval_s > 0))
        return 0;
    return calls * aht_s / interval_s;
}

/* One step of the recursion: B(k) from B(k−1). */
static double b_step(int k, double a, double b_prev)
{
    double ab = a * b_prev;
    return ab / ((double)k + ab);
}

double cm_erlang_b(int n, double a)
{
    if (n < 0 || !(a >= 0))
        return NAN;
    double b = 1.0;
    for (int k = 1; k <= n; k++)
        b = b_step(k, a, b);
    return b;
}

/* C from B; only for n > a. */
static double c_from_b(int n, double a, double b)
{
    return (double)n * b / ((double)n - a * (1.0 - b));
}

double cm_erlang_c(int n, double a)
{
    if (n < 0 || !(a >= 0))
        return NAN;
    if ((double)n <= a)
        return 1.0;
    return c_from_b(n, a, cm_erlang_b(n, a));
}

/* The result at n agents when B(n,a) is already known. */
static cm_erlang_result eval_b(int n, double a, double b, double aht_s, double within_s)
{
    cm_erlang_result r = {.agents = n, .load = a};
    if ((double)n <= a) {
        r.stable = 0;
        r.pw = 1.0;
        r.service_level = 0.0;
        r.asa_s = INFINITY;
        r.occupancy = a > 0 ? 1.0 : 0.0;
        return r;
    }
    double gap = (double)n - a; /* > 0 */
    r.stable = 1;
    r.pw = c_from_b(n, a, b);
    r.service_level = 1.0 - r.pw * exp(-gap * within_s / aht_s);
    r.asa_s = r.pw * aht_s / gap;
    r.occupancy = a / (double)n;
    return r;
}

cm_erlang_result cm_erlang_eval(int n, double a, double aht_s, double within_s)
{
    if (n < 0 || !(a >= 0) || !(aht_s > 0) || !(within_s >= 0)) {
        cm_erlang_result bad = {.agents = n, .load = a, .stable = 0, .pw = NAN,
                                .service_level = NAN, .asa_s = NAN, .occupancy = NAN};
        return bad;
    }
    return eval_b(n, a, cm_erlang_b(n, a), aht_s, within_s);
}

/* ceil(v) forgiving a relative rounding error of 1e-12 (v >= 0). */
static double ceil_tol(double v)
{
    return ceil(v - v * 1e-12);
}

int cm_erlang_scheduled(int n, double shrinkage)
{
    if (n < 0 || !(shrinkage >= 0 && shrinkage < 1))
        return -1;
    double s = ceil_tol((double)n / (1.0 - shrinkage));
    if (s < n) /* cannot happen, but never schedule fewer than needed */
        s = n;
    if (s > 2147483647.0)
        return -1;
    return (int)s;
}

int cm_erlang_staff(const cm_staffing_params *p, cm_staffing *out)
{
    double a = p->load;
    if (!(a >= 0) || !(p->aht_s > 0) || !(p->within_s >= 0) || !(p->target > 0 && p->target < 1) ||
        !(p->max_occupancy >= 0 && p->max_occupancy <= 1) ||
        !(p->shrinkage >= 0 && p->shrinkage < 1) || !isfinite(p->within_s) || !isfinite(p->aht_s))
        return -1;
    if (a >= CM_ERLANG_MAX_AGENTS)
        return -1;

    /* The smallest stable N, then up one agent at a time: B(N+1) from B(N). */
    int n = (int)floor(a) + 1;
    double b = cm_erlang_b(n, a);
    cm_erlang_result r = eval_b(n, a, b, p->aht_s, p->within_s);
    while (!(r.service_level >= p->target)) {
        if (n >= CM_ERLANG_MAX_AGENTS)
            return -1;
        n++;
        b = b_step(n, a, b);
        r = eval_b(n, a, b, p->aht_s, p->within_s);
    }
    int n_sl = n;

    /* The occupancy cap: N >= A / max_occupancy. More agents only raise SL. */
    if (p->max_occupancy > 0) {
        double need = ceil_tol(a / p->max_occupancy);
        if (need > CM_ERLANG_MAX_AGENTS)
            return -1;
        if (need > n) {
            n = (int)need;
            r = eval_b(n, a, cm_erlang_b(n, a), p->aht_s, p->within_s);
        }
    }

    int sched = cm_erlang_scheduled(n, p->shrinkage);
    if (sched < 0)
        return -1;
    out->at = r;
    out->agents_for_sl = n_sl;
    out->scheduled = sched;
    return 0;
}

int cm_erlang_b_agents(double a, double max_blocking)
{
    if (!(a >= 0) || !(max_blocking > 0 && max_blocking <= 1))
        return -1;
    int n = 0;
    double b = 1.0;
    while (b > max_blocking) {
        if (n >= CM_ERLANG_MAX_AGENTS)
            return -1;
        n++;
        b = b_step(n, a, b);
    }
    return n;
}
