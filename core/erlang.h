/* Erlang B (loss) and Erlang C (M/M/N queue) for staffing questions.
 *
 * Pure functions: no allocation, no globals, safe from any thread. Loads are
 * in Erlang (A = calls per unit of time x handle time, both in that unit);
 * times are seconds. Both formulas go through the Erlang B recursion
 *     B(0,A) = 1,  B(k,A) = A·B(k−1,A) / (k + A·B(k−1,A))
 * which never forms A^N or N!, so it is stable for any load (A = 150,
 * N = 160 is no problem; the factorial form overflows there).
 * Formulas and test vectors: /work/shared/analysis/queueing-and-kpis.md §0–§2
 * and docs/analysis.md. */
#ifndef CM_ERLANG_H
#define CM_ERLANG_H

/* The largest agent count the staffing functions search up to; a load that
 * needs more is refused (cm_erlang_staff returns -1). */
#define CM_ERLANG_MAX_AGENTS 1000000

/* Offered load in Erlang of `calls` arriving in `interval_s` seconds, each
 * taking `aht_s` seconds to handle (talk + hold + wrap-up). 0 when
 * interval_s <= 0. */
double cm_erlang_load(double calls, double interval_s, double aht_s);

/* Erlang B: the share of calls blocked (lost) with n lines/agents and no
 * waiting room, offered load a. B(0,a) = 1; B(n,0) = 0 for n >= 1.
 * Returns NaN for n < 0 or a < 0 (or a NaN). */
double cm_erlang_b(int n, double a);

/* Erlang C: the probability that a call waits, C = n·B / (n − a·(1 − B)).
 * 1 when n <= a (the queue is unstable and grows without bound).
 * NaN for n < 0 or a < 0. */
double cm_erlang_c(int n, double a);

/* What n agents give for load a, handle time aht_s and service-level
 * threshold within_s (SL = share of calls answered within within_s). */
typedef struct cm_erlang_result {
    int agents;           /* N, as given */
    double load;          /* A, Erlang, as given */
    int stable;           /* 1 when N > A; otherwise the queue grows without
                             bound: pw 1, service_level 0, asa_s INFINITY,
                             occupancy 1 (0 when A = 0) */
    double pw;            /* probability of waiting, C(N,A) */
    double service_level; /* P(wait <= T) = 1 − pw·exp(−(N−A)·T/AHT) */
    double asa_s;         /* mean wait over all calls, pw·AHT/(N−A), seconds */
    double occupancy;     /* A/N, the agents' utilisation (stable only) */
} cm_erlang_result;

/* Evaluates N = n agents (n >= 0; n = 0 is always unstable: no call is
 * ever answered). Inputs n < 0, a < 0, aht_s <= 0 or within_s < 0 (or NaN)
 * give a result with NaN fields and stable 0. */
cm_erlang_result cm_erlang_eval(int n, double a, double aht_s, double within_s);

/* Staffing question (the loop of queueing-and-kpis.md §1.3). */
typedef struct cm_staffing_params {
    double load;          /* A, Erlang (>= 0); see cm_erlang_load */
    double aht_s;         /* mean handle time, seconds (> 0) */
    double within_s;      /* service-level threshold T, seconds (>= 0) */
    double target;        /* target service level, 0 < target < 1 */
    double max_occupancy; /* 0 = no cap; else 0 < x <= 1: also N >= A/x */
    double shrinkage;     /* 0 <= x < 1: share of paid time not on the phone */
} cm_staffing_params;

typedef struct cm_staffing {
    cm_erlang_result at;  /* the result at N = agents needed (at.agents) */
    int agents_for_sl;    /* smallest stable N with SL >= target (before the
                             occupancy cap; at.agents >= this) */
    int scheduled;        /* staff to schedule, ceil(N / (1 − shrinkage)) */
} cm_staffing;

/* Agents needed: the smallest N >= floor(A) + 1 with SL(T) >= target, raised
 * to ceil(A / max_occupancy) when a cap is given; scheduled = ceil(N /
 * (1 − shrinkage)). Returns 0, or -1 (out untouched) when a parameter is out
 * of range or more than CM_ERLANG_MAX_AGENTS agents would be needed.
 * Ceilings forgive a relative rounding error of 1e-12, so 14 agents at 30 %
 * shrinkage schedule 20, not 21. Cost: O(N). */
int cm_erlang_staff(const cm_staffing_params *p, cm_staffing *out);

/* Erlang B dimensioning: the smallest N >= 0 with B(N,a) <= max_blocking
 * (0 < max_blocking <= 1), or -1 when a < 0, max_blocking is out of range
 * or N would exceed CM_ERLANG_MAX_AGENTS. */
int cm_erlang_b_agents(double a, double max_blocking);

/* Staff to schedule for n productive agents: ceil(n / (1 − shrinkage)) with
 * the 1e-12 tolerance above; -1 when shrinkage is outside [0, 1) or n < 0. */
int cm_erlang_scheduled(int n, double shrinkage);

#endif
