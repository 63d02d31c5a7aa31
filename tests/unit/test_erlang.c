/* Unit tests of core/erlang.c against every numeric vector of
 * /work/shared/analysis/queueing-and-kpis.md §0 (and the computed examples
 * of §3.1 and Appendix B), each to the precision the source prints: a value
 * printed with d decimals must be within half a unit of its last decimal. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "erlang.h"

#define near(got, want, decimals) near_(got, want, decimals, #got, __FILE__, __LINE__)

static void near_(double got, double want, int decimals, const char *expr, const char *file, int line)
{
    double tol = 0.5 * pow(10.0, -decimals) + 1e-12;
    if (!(fabs(got - want) <= tol)) {
        print_error("%s = %.10g, expected %.*f (±%g)\n", expr, got, decimals, want, tol);
        _fail(file, line);
    }
}

/* Load of `calls` in `minutes` with handle time aht_s. */
static double load(double calls, double minutes, double aht_s)
{
    return cm_erlang_load(calls, minutes * 60.0, aht_s);
}

/* Agents for a service-level target, no cap, no shrinkage. */
static int staff(double a, double aht_s, double within_s, double target)
{
    cm_staffing_params p = {.load = a, .aht_s = aht_s, .within_s = within_s, .target = target};
    cm_staffing s;
    assert_int_equal(cm_erlang_staff(&p, &s), 0);
    assert_int_equal(s.agents_for_sl, s.at.agents);
    assert_int_equal(s.scheduled, s.at.agents);
    /* it is the smallest: one agent fewer misses the target (or is unstable) */
    if (s.at.agents - 1 > a)
        assert_true(cm_erlang_eval(s.at.agents - 1, a, aht_s, within_s).service_level < target);
    return s.at.agents;
}

/* #1 mitan.co.uk / pyErlang README: 360 calls / 30 min, AHT 240 s, N=55, T=15 s. */
static void test_vector1_mitan(void **state)
{
    (void)state;
    double a = load(360, 30, 240);
    near(a, 48.0, 4);
    cm_erlang_result r = cm_erlang_eval(55, a, 240, 15);
    assert_true(r.stable);
    near(r.pw, 0.2387, 4);          /* Pw 23.87 % */
    near(r.pw, 0.2387009, 7);
    near(r.asa_s, 8.2, 1);
    near(r.asa_s, 8.1840, 4);
    near(r.service_level, 0.8459, 4); /* SL 84.59 % */
    near(r.service_level, 0.8458831, 7);
    near(r.occupancy, 0.8727, 4);
    assert_int_equal(staff(a, 240, 15, 0.70), 53);
}

/* #2 pyErlang case 2: 300 calls / 15 min, AHT 180 s, N=65, T=45 s. */
static void test_vector2(void **state)
{
    (void)state;
    double a = load(300, 15, 180);
    near(a, 60.0, 4);
    cm_erlang_result r = cm_erlang_eval(65, a, 180, 45);
    near(r.pw, 0.4200723, 7);
    near(r.asa_s, 15.1226, 4);
    near(r.service_level, 0.8796473, 7);
    near(r.occupancy, 0.9231, 4);
    assert_int_equal(staff(a, 180, 45, 0.95), 67);
}

/* #3 pyErlang case 3: 650 calls / h, AHT 150 s, N=34, T=30 s. */
static void test_vector3(void **state)
{
    (void)state;
    double a = load(650, 60, 150);
    near(a, 27.0833, 4);
    cm_erlang_result r = cm_erlang_eval(34, a, 150, 30);
    near(r.pw, 0.1430131, 7);
    near(r.asa_s, 3.1015, 4);
    near(r.service_level, 0.9641407, 7);
    near(r.occupancy, 0.7966, 4);
    assert_int_equal(staff(a, 150, 30, 0.50), 29);
}

/* #4 pyErlang case 4: 20 calls / h, AHT 1800 s, N=11, T=3600 s. */
static void test_vector4(void **state)
{
    (void)state;
    double a = load(20, 60, 1800);
    near(a, 10.0, 4);
    cm_erlang_result r = cm_erlang_eval(11, a, 1800, 3600);
    near(r.pw, 0.6821182, 7);
    near(r.asa_s, 1227.8128, 4);
    near(r.service_level, 0.9076853, 7);
    near(r.occupancy, 0.9091, 4);
    assert_int_equal(staff(a, 1800, 3600, 0.80), 11);
}

/* #5, 5b, 5c: ErlangC (CRAN) / pyworkforce: 100 calls / 30 min, AHT 180 s, T=20 s. */
static void test_vector5(void **state)
{
    (void)state;
    double a = load(100, 30, 180);
    near(a, 10.0, 4);
    cm_erlang_result r = cm_erlang_eval(14, a, 180, 20);
    near(r.pw, 0.1741319, 7);
    near(r.service_level, 0.88835, 5);
    near(r.service_level, 0.8883500, 7);
    near(r.asa_s, 7.83594, 5);
    near(r.occupancy, 0.7142857, 7);

    cm_staffing_params p = {.load = a, .aht_s = 180, .within_s = 20, .target = 0.8, .shrinkage = 0.3};
    cm_staffing s;
    assert_int_equal(cm_erlang_staff(&p, &s), 0);
    assert_int_equal(s.at.agents, 14);
    assert_int_equal(s.agents_for_sl, 14);
    assert_int_equal(s.scheduled, 20); /* ceil(14 / 0.7), not 21 */
    near(s.at.service_level, 0.8883500, 7);
    assert_int_equal(cm_erlang_scheduled(14, 0.3), 20);

    /* the appendix: with max occupancy 0.85 still 14 */
    p.max_occupancy = 0.85;
    assert_int_equal(cm_erlang_staff(&p, &s), 0);
    assert_int_equal(s.at.agents, 14);

    /* 5b: N = 11 */
    r = cm_erlang_eval(11, a, 180, 20);
    near(r.pw, 0.6821182, 7);
    near(r.service_level, 0.3896138, 7);
    near(r.asa_s, 122.7813, 4);
}

/* 5c: pyworkforce test_over_occupancy_erlangc, max occupancy 0.70. */
static void test_vector5c_max_occupancy(void **state)
{
    (void)state;
    cm_staffing_params p = {.load = load(100, 30, 180), .aht_s = 180, .within_s = 20,
                            .target = 0.8, .max_occupancy = 0.70, .shrinkage = 0.3};
    cm_staffing s;
    assert_int_equal(cm_erlang_staff(&p, &s), 0);
    assert_int_equal(s.agents_for_sl, 14);
    assert_int_equal(s.at.agents, 15);  /* raw 15 */
    assert_int_equal(s.scheduled, 22);  /* positions 22 */
    near(s.at.service_level, 0.941, 3);
    near(s.at.service_level, 0.9414528, 7);
    near(s.at.occupancy, 0.667, 3);
    near(s.at.pw, 0.102, 3);
    near(s.at.pw, 0.1020424, 7);
    near(s.at.asa_s, 3.6735, 4);
}

/* #6 jonesthenet: 250 calls / h, AHT 330 s, 80 % in 30 s -> 28 advisors. */
static void test_vector6(void **state)
{
    (void)state;
    double a = load(250, 60, 330);
    near(a, 22.92, 2);
    near(a, 22.9167, 4);
    near(cm_erlang_eval(28, a, 330, 30).service_level, 0.8569, 4);
    near(cm_erlang_eval(28, a, 330, 30).service_level, 0.8568503, 7);
    near(cm_erlang_eval(28, a, 330, 30).pw, 0.2272412, 7);
    near(cm_erlang_eval(28, a, 330, 30).asa_s, 14.7521, 4);
    near(cm_erlang_eval(27, a, 330, 30).service_level, 0.7822, 4);
    assert_int_equal(staff(a, 330, 30, 0.8), 28);
    near(28 / a, 1.222, 3); /* +22 % over the workload */
}

/* #7 al911.org: 2 call-takers, 30 calls/h, 60 s (then 80 s) calls: P(W > 10 s). */
static void test_vector7(void **state)
{
    (void)state;
    double a = load(30, 60, 60);
    near(a, 0.5, 4);
    near(1 - cm_erlang_eval(2, a, 60, 10).service_level, 0.0779, 4); /* "under 8 %" */
    near(1 - cm_erlang_eval(2, a, 60, 10).service_level, 0.0778801, 7);
    a = load(30, 60, 80);
    near(1 - cm_erlang_eval(2, a, 80, 10).service_level, 0.1411, 4); /* "14 %" */
    near(1 - cm_erlang_eval(2, a, 80, 10).service_level, 0.1410803, 7);
}

/* #8 Koole, square-root staffing: AHT 2 min. */
static void test_vector8_koole(void **state)
{
    (void)state;
    cm_erlang_result r = cm_erlang_eval(4, 2.0, 120, 0);
    near(r.pw, 0.1739130, 7);
    near(r.asa_s, 10.435, 3);
    near(r.asa_s, 10.4348, 4);
    r = cm_erlang_eval(16, 12.0, 120, 0);
    near(r.pw, 0.2045739, 7);
    near(r.asa_s, 6.137, 3);
    r = cm_erlang_eval(15, 12.0, 120, 0);
    near(r.pw, 0.3191904, 7);
    near(r.asa_s, 12.77, 2);
    near(r.asa_s, 12.7676, 4);
    r = cm_erlang_eval(64, 56.0, 120, 0);
    near(r.pw, 0.2151228, 7);
    near(r.asa_s, 3.227, 3);
    r = cm_erlang_eval(62, 56.0, 120, 0);
    near(r.pw, 0.3317680, 7);
    near(r.asa_s, 6.64, 2);
    near(r.asa_s, 6.6354, 4);
    /* SL at T = 0 is the immediate-answer probability */
    near(r.service_level, 1 - 0.3317680, 7);
}

/* #9 Wolfram ErlangC: A = 2.5, smallest N with P(delay) <= 10 %; two exact values. */
static void test_vector9_wolfram(void **state)
{
    (void)state;
    near(cm_erlang_c(3, 2.0), 4.0 / 9.0, 12);
    near(cm_erlang_c(2, 1.5), 9.0 / 14.0, 12);
    near(cm_erlang_c(3, 2.0), 0.444444, 6);
    near(cm_erlang_c(2, 1.5), 0.642857, 6);
    double a = load(30, 60, 300);
    near(a, 2.5, 4);
    int n = (int)floor(a) + 1;
    while (cm_erlang_c(n, a) > 0.10)
        n++;
    assert_int_equal(n, 6);
    near(cm_erlang_c(6, a), 0.0474, 4);
    near(cm_erlang_c(5, a), 0.1304, 4);
}

/* #10 L.L. Bean (Anupindi et al. 8.7): 20 calls/h, 2.5 min; $20 per CSR-hour,
 * $120 per waiting caller-hour. Lq = Pw·A/(N−A). */
static void test_vector10_llbean(void **state)
{
    (void)state;
    double a = load(20, 60, 150);
    static const double lq_want[] = {4.1667, 0.1751, 0.0222, 0.0029};
    static const double cost_want[] = {520.00, 61.01, 62.66, 80.35};
    int best = 0;
    double best_cost = INFINITY;
    for (int c = 1; c <= 4; c++) {
        double lq = cm_erlang_c(c, a) * a / (c - a);
        near(lq, lq_want[c - 1], 4);
        double cost = 20.0 * c + 120.0 * lq;
        near(cost, cost_want[c - 1], 2);
        if (cost < best_cost)
            best_cost = cost, best = c;
    }
    assert_int_equal(best, 2);
}

/* Erlang B vectors (pyworkforce tests/test_erlang_b.py and Appendix B). */
static void test_erlang_b(void **state)
{
    (void)state;
    near(cm_erlang_b(1, 1.0), 0.5, 12);
    near(cm_erlang_b(2, 1.0), 0.2, 12);
    near(cm_erlang_b(17, 10.0), 0.012949, 6);
    near(cm_erlang_b(16, 10.0), 0.022302, 6);
    near(10.0 * (1 - cm_erlang_b(17, 10.0)) / 17, 0.580618, 6); /* occupancy A(1−B)/N */
    assert_int_equal(cm_erlang_b_agents(10.0, 0.02), 17);
    assert_int_equal(cm_erlang_scheduled(17, 0.3), 25);     /* 25 positions */
    /* loss view of §3.1 */
    near(cm_erlang_b(1, 2.0 / 3.0), 0.4, 12);
    near(cm_erlang_b(4, 8.0 / 3.0), 0.16870, 5);
    near(cm_erlang_b(5, 8.0 / 3.0), 0.08255, 5);
    /* edges */
    near(cm_erlang_b(0, 3.0), 1.0, 12);
    near(cm_erlang_b(5, 0.0), 0.0, 12);
    assert_true(isnan(cm_erlang_b(-1, 1.0)));
    assert_true(isnan(cm_erlang_b(1, -1.0)));
    assert_true(isnan(cm_erlang_b(1, NAN)));
    assert_int_equal(cm_erlang_b_agents(0.0, 0.02), 1);
    assert_int_equal(cm_erlang_b_agents(3.0, 1.0), 0);
    assert_int_equal(cm_erlang_b_agents(3.0, 0.0), -1);
    assert_int_equal(cm_erlang_b_agents(-1.0, 0.1), -1);
}

/* §3.1 pooling examples (SL 80 % within 20 s). */
static void test_pooling_examples(void **state)
{
    (void)state;
    double a = load(10, 60, 240); /* one unit: 10 calls/h, 4 min */
    assert_int_equal(staff(a, 240, 20, 0.8), 2);
    cm_erlang_result r = cm_erlang_eval(2, a, 240, 20);
    near(r.service_level, 0.851, 3);
    near(r.asa_s, 30.0, 1);
    near(r.occupancy, 0.33, 2);
    double pooled = 4 * a;
    assert_int_equal(staff(pooled, 240, 20, 0.8), 5);
    r = cm_erlang_eval(5, pooled, 240, 20);
    near(r.service_level, 0.8669, 4);
    near(r.asa_s, 16.63, 2);
    r = cm_erlang_eval(8, pooled, 240, 20);
    near(r.service_level, 0.99576, 5);
    near(r.asa_s, 0.297, 3);
    assert_int_equal(staff(10 * a, 240, 20, 0.8), 10);
    near(cm_erlang_eval(10, 10 * a, 240, 20).asa_s, 12.57, 2);
    assert_int_equal(staff(load(30, 60, 240), 240, 20, 0.8), 4);
    assert_int_equal(staff(load(120, 60, 240), 240, 20, 0.8), 11);
    near(cm_erlang_eval(11, 8.0, 240, 20).service_level, 0.8092, 4);
    assert_int_equal(staff(load(3, 60, 180), 180, 20, 0.8), 1);
    assert_int_equal(staff(load(60, 60, 180), 180, 20, 0.8), 5);
    near(cm_erlang_eval(5, 3.0, 180, 20).asa_s, 21.25, 2);
}

/* N <= A: unstable, no formula evaluated. */
static void test_unstable(void **state)
{
    (void)state;
    cm_erlang_result r = cm_erlang_eval(10, 10.0, 180, 20); /* N = A */
    assert_false(r.stable);
    assert_true(r.pw == 1.0);
    assert_true(r.service_level == 0.0);
    assert_true(isinf(r.asa_s) && r.asa_s > 0);
    assert_true(r.occupancy == 1.0);
    r = cm_erlang_eval(5, 10.0, 180, 20); /* N < A */
    assert_false(r.stable);
    assert_true(r.pw == 1.0 && r.service_level == 0.0 && isinf(r.asa_s));
    assert_true(r.occupancy == 1.0);
    assert_true(cm_erlang_c(10, 10.0) == 1.0);
    assert_true(cm_erlang_c(3, 10.5) == 1.0);
    assert_true(cm_erlang_c(0, 0.0) == 1.0);
    r = cm_erlang_eval(0, 0.0, 180, 20); /* nobody, nothing */
    assert_false(r.stable);
    assert_true(r.occupancy == 0.0);
    /* bad inputs */
    r = cm_erlang_eval(3, -1.0, 180, 20);
    assert_false(r.stable);
    assert_true(isnan(r.pw) && isnan(r.service_level));
    assert_true(isnan(cm_erlang_eval(3, 1.0, 0, 20).pw));
    assert_true(isnan(cm_erlang_eval(3, 1.0, 180, -1).pw));
    assert_true(isnan(cm_erlang_eval(-1, 1.0, 180, 1).pw));
    assert_true(isnan(cm_erlang_c(-1, 1.0)));
}

/* A = 0: no load, one agent, nobody waits. */
static void test_zero_load(void **state)
{
    (void)state;
    cm_erlang_result r = cm_erlang_eval(1, 0.0, 180, 20);
    assert_true(r.stable);
    assert_true(r.pw == 0.0 && r.service_level == 1.0 && r.asa_s == 0.0 && r.occupancy == 0.0);
    assert_true(cm_erlang_c(1, 0.0) == 0.0);
    near(cm_erlang_load(0, 1800, 180), 0.0, 12);
    near(cm_erlang_load(10, 0, 180), 0.0, 12);
    cm_staffing_params p = {.load = 0, .aht_s = 180, .within_s = 20, .target = 0.8, .shrinkage = 0.3};
    cm_staffing s;
    assert_int_equal(cm_erlang_staff(&p, &s), 0);
    assert_int_equal(s.at.agents, 1);
    assert_int_equal(s.scheduled, 2); /* ceil(1 / 0.7) */
    p.max_occupancy = 0.5;
    assert_int_equal(cm_erlang_staff(&p, &s), 0);
    assert_int_equal(s.at.agents, 1);
}

/* Large loads: the recursion neither overflows nor loses precision. */
static void test_large_load(void **state)
{
    (void)state;
    near(cm_erlang_c(160, 150.0), 0.31744, 5);
    near(cm_erlang_c(160, 150.0), 0.3174425, 7);
    near(cm_erlang_c(200, 150.0), 6.0e-5, 6);
    double c = cm_erlang_c(200, 150.0);
    assert_true(c > 5.95e-5 && c < 6.05e-5); /* 6.0e−5 to its two digits */
    /* far beyond 171! and A^N in doubles */
    double big = cm_erlang_c(10100, 10000.0);
    assert_true(isfinite(big) && big > 0 && big < 1);
    cm_staffing_params p = {.load = 50000.0, .aht_s = 300, .within_s = 20, .target = 0.8};
    cm_staffing s;
    assert_int_equal(cm_erlang_staff(&p, &s), 0);
    assert_true(s.at.agents > 50000 && s.at.agents < 50000 + 1000);
    assert_true(s.at.service_level >= 0.8 && isfinite(s.at.asa_s));
    assert_true(cm_erlang_eval(s.at.agents - 1, 50000.0, 300, 20).service_level < 0.8);
    /* Erlang B at large loads */
    double b = cm_erlang_b(2000, 1000.0);
    assert_true(isfinite(b) && b >= 0 && b < 1e-100);
    near(cm_erlang_b(1000, 1000.0), 0.0248, 4);
}

/* Parameters out of range are refused and leave the result untouched. */
static void test_staff_bad_params(void **state)
{
    (void)state;
    cm_staffing s = {.scheduled = -7};
    cm_staffing_params ok = {.load = 10, .aht_s = 180, .within_s = 20, .target = 0.8};
    cm_staffing_params p;
    p = ok, p.load = -1;
    assert_int_equal(cm_erlang_staff(&p, &s), -1);
    p = ok, p.load = NAN;
    assert_int_equal(cm_erlang_staff(&p, &s), -1);
    p = ok, p.load = 2e6;
    assert_int_equal(cm_erlang_staff(&p, &s), -1);
    p = ok, p.aht_s = 0;
    assert_int_equal(cm_erlang_staff(&p, &s), -1);
    p = ok, p.within_s = -1;
    assert_int_equal(cm_erlang_staff(&p, &s), -1);
    p = ok, p.target = 1;
    assert_int_equal(cm_erlang_staff(&p, &s), -1);
    p = ok, p.target = 0;
    assert_int_equal(cm_erlang_staff(&p, &s), -1);
    p = ok, p.shrinkage = 1;
    assert_int_equal(cm_erlang_staff(&p, &s), -1);
    p = ok, p.shrinkage = -0.1;
    assert_int_equal(cm_erlang_staff(&p, &s), -1);
    p = ok, p.max_occupancy = 1.5;
    assert_int_equal(cm_erlang_staff(&p, &s), -1);
    assert_int_equal(s.scheduled, -7);
    assert_int_equal(cm_erlang_scheduled(5, 1.0), -1);
    assert_int_equal(cm_erlang_scheduled(-1, 0.1), -1);
    assert_int_equal(cm_erlang_scheduled(5, 0.0), 5);
    /* floating-point rounding does not add a person: 1 / (1 − 0.8) is
     * 5.000000000000001 in doubles, 2 / (1 − 0.9) is 20.000000000000004 */
    assert_int_equal(cm_erlang_scheduled(1, 0.8), 5);
    assert_int_equal(cm_erlang_scheduled(2, 0.9), 20);
    assert_int_equal(cm_erlang_scheduled(4, 0.92), 50);
    assert_int_equal(cm_erlang_scheduled(5, 0.8), 25);
    assert_int_equal(cm_erlang_scheduled(5, 0.79), 24); /* 23.8 */
    /* T = 0: the target is on the immediate answer probability */
    p = ok, p.within_s = 0;
    assert_int_equal(cm_erlang_staff(&p, &s), 0);
    assert_true(1 - s.at.pw >= 0.8);
    assert_true(1 - cm_erlang_c(s.at.agents - 1, 10) < 0.8);
    /* the occupancy cap 1 is no cap; a cap gives exactly ceil(A / cap) */
    p = ok, p.max_occupancy = 1;
    assert_int_equal(cm_erlang_staff(&p, &s), 0);
    assert_int_equal(s.at.agents, 14);
    p = ok, p.load = 7, p.target = 0.3, p.max_occupancy = 0.7; /* 7 / 0.7 = 10, not 11 */
    assert_int_equal(cm_erlang_staff(&p, &s), 0);
    assert_int_equal(s.agents_for_sl, 8);
    assert_int_equal(s.at.agents, 10);
    p = ok, p.load = 21, p.max_occupancy = 0.35; /* 21 / 0.35 is 60.00000000000001 in doubles */
    assert_int_equal(cm_erlang_staff(&p, &s), 0);
    assert_true(s.agents_for_sl < 60);
    assert_int_equal(s.at.agents, 60);
    near(s.at.occupancy, 0.35, 12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vector1_mitan),
        cmocka_unit_test(test_vector2),
        cmocka_unit_test(test_vector3),
        cmocka_unit_test(test_vector4),
        cmocka_unit_test(test_vector5),
        cmocka_unit_test(test_vector5c_max_occupancy),
        cmocka_unit_test(test_vector6),
        cmocka_unit_test(test_vector7),
        cmocka_unit_test(test_vector8_koole),
        cmocka_unit_test(test_vector9_wolfram),
        cmocka_unit_test(test_vector10_llbean),
        cmocka_unit_test(test_erlang_b),
        cmocka_unit_test(test_pooling_examples),
        cmocka_unit_test(test_unstable),
        cmocka_unit_test(test_zero_load),
        cmocka_unit_test(test_large_load),
        cmocka_unit_test(test_staff_bad_params),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
