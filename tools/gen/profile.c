#include "profile.h"

#include "cal.h"

/* seasonal factor by month: summer holidays, Christmas */
static const double SEASON[12] = {1.10, 1.05, 1.05, 1.00, 1.00, 0.95,
                                  0.55, 0.90, 1.05, 1.05, 1.05, 0.80};

/* opening hours [open, close) by weekday (0 Monday); 0,0 = closed */
static void opening(int kind, int wd, int *open, int *close)
{
    *open = *close = 0;
    switch (kind) {
    case OPEN_OFFICE:
        if (wd < 4)
            *open = 8, *close = 16;
        else if (wd == 4)
            *open = 8, *close = 14;
        break;
    case OPEN_LIBRARY:
        if (wd < 5)
            *open = 9, *close = 19;
        else if (wd == 5)
            *open = 10, *close = 14;
        break;
    case OPEN_CARE:
        *open = 7, *close = 21;
        break;
    case OPEN_KC:
        if (wd < 4)
            *open = 8, *close = 17;
        else if (wd == 4)
            *open = 8, *close = 15;
        break;
    }
}

static double gauss(double x, double mu, double sd)
{
    double z = (x - mu) / sd;
    return det_exp(-0.5 * z * z);
}

void profile_init(unit *u)
{
    for (int w = 0; w < 8; w++) {
        int wd = w == 7 ? 6 : w, open, close;
        opening(u->hours, wd, &open, &close);
        if (w == 7 && u->hours != OPEN_CARE)
            open = close = 0; /* closed on public holidays */
        double sum = 0;
        for (int h = 0; h < 24; h++) {
            double x;
            if (h >= open && h < close) {
                x = 1.0 + u->b.noon_peak * gauss(h + 0.5, 12.0, 1.4) + 0.35 * gauss(h + 0.5, 9.5, 1.0);
                if (wd == 4 && h >= 12)
                    x *= 0.55; /* Friday afternoon */
            } else {
                x = h >= 7 && h < 22 ? 0.02 : 0.004; /* closed: a few calls still come */
            }
            sum += x;
            u->hour_cum[w][h] = sum;
        }
        double f;
        if (w == 7)
            f = u->hours == OPEN_CARE ? 0.5 : 0.06;
        else if (open == close)
            f = 0.04;
        else if (wd == 0)
            f = 1.0 + u->b.monday_peak;
        else if (wd == 4)
            f = 0.8;
        else if (wd >= 5)
            f = u->hours == OPEN_CARE ? 0.55 : 0.3;
        else
            f = wd == 1 ? 1.0 : 0.95;
        u->day_factor[w] = f;
    }
    /* a reference year: base so that its days add up to the yearly calls */
    double total = 0;
    int64_t d0 = cal_day(2025, 1, 1);
    for (int64_t d = d0; d < d0 + 365; d++) {
        int y, m, dd;
        cal_civil(d, &y, &m, &dd);
        int w = cal_holiday(d, NULL) ? 7 : cal_weekday(d);
        total += u->day_factor[w] * SEASON[m - 1];
    }
    u->base = total > 0 ? u->b.yearly_calls / total : 0;
}

double profile_expected(const unit *u, int64_t day)
{
    int y, m, d;
    cal_civil(day, &y, &m, &d);
    int w = cal_holiday(day, NULL) ? 7 : cal_weekday(day);
    return u->base * u->day_factor[w] * SEASON[m - 1];
}

int profile_draw_second(const unit *u, int64_t day, rng *r)
{
    int w = cal_holiday(day, NULL) ? 7 : cal_weekday(day);
    int h = rng_pick_cum(r, u->hour_cum[w], 24);
    return h * 3600 + (int)rng_below(r, 3600);
}

int profile_open(const unit *u, int64_t day, int sec)
{
    int open, close;
    if (cal_holiday(day, NULL) && u->hours != OPEN_CARE)
        return 0;
    opening(u->hours, cal_weekday(day), &open, &close);
    int h = sec / 3600;
    return h >= open && h < close;
}

int profile_count(rng *r, double lambda)
{
    if (lambda <= 0)
        return 0;
    double x = lambda + det_sqrt(lambda) * rng_normal(r) + rng_unit(r);
    if (lambda < 8) { /* small means: Poisson by inversion */
        double l = det_exp(-lambda), p = 1.0;
        int k = 0;
        do {
            k++;
            p *= rng_unit(r);
        } while (p > l && k < 200);
        return k - 1;
    }
    return x < 0 ? 0 : (int)x;
}
