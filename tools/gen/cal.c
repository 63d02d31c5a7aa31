#include "cal.h"

/* Howard Hinnant's days_from_civil / civil_from_days */
int64_t cal_day(int y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (unsigned)(m > 2 ? m - 3 : m + 9) + 2) / 5 + (unsigned)d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void cal_civil(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

int cal_weekday(int64_t day)
{
    int64_t w = (day + 3) % 7; /* 1970-01-01 was a Thursday */
    return (int)(w < 0 ? w + 7 : w);
}

int cal_days_in_month(int y, int m)
{
    static const int n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return n[m - 1] + (m == 2 && leap);
}

/* Anonymous Gregorian algorithm (Meeus/Jones/Butcher) */
int64_t cal_easter(int y)
{
    int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
    int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
    return cal_day(y, month, day);
}

int cal_holiday(int64_t day, const char **name)
{
    int y, m, d;
    cal_civil(day, &y, &m, &d);
    const char *n = NULL;
    if (m == 1 && d == 1)
        n = "Nytårsdag";
    else if (m == 6 && d == 5)
        n = "Grundlovsdag";
    else if (m == 12 && d == 24)
        n = "Juleaftensdag";
    else if (m == 12 && d == 25)
        n = "Juledag";
    else if (m == 12 && d == 26)
        n = "2. juledag";
    else if (m == 12 && d == 31)
        n = "Nytårsaftensdag";
    else {
        int64_t e = cal_easter(y);
        int64_t k = day - e;
        if (k == -3)
            n = "Skærtorsdag";
        else if (k == -2)
            n = "Langfredag";
        else if (k == 0)
            n = "Påskedag";
        else if (k == 1)
            n = "2. påskedag";
        else if (k == 26 && y < 2024)
            n = "Store bededag"; /* abolished from 2024 */
        else if (k == 39)
            n = "Kristi himmelfartsdag";
        else if (k == 49)
            n = "Pinsedag";
        else if (k == 50)
            n = "2. pinsedag";
    }
    if (name)
        *name = n;
    return n != NULL;
}

static int64_t last_sunday(int y, int m)
{
    int64_t d = cal_day(y, m, cal_days_in_month(y, m));
    return d - cal_weekday(d + 1); /* weekday(d+1)=0 when d is a Sunday */
}

/* the UTC instants summer time begins and ends in year y */
static void dst_bounds(int y, int64_t *start, int64_t *end)
{
    *start = last_sunday(y, 3) * 86400 + 3600;
    *end = last_sunday(y, 10) * 86400 + 3600;
}

int cal_offset_at_utc(int64_t t)
{
    int64_t day = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int y, m, d;
    cal_civil(day, &y, &m, &d);
    int64_t s, e;
    dst_bounds(y, &s, &e);
    return t >= s && t < e ? 7200 : 3600;
}

int64_t cal_local_to_utc(int64_t day, int sec, int second)
{
    int64_t wall = day * 86400 + sec;
    int64_t a = wall - 3600, b = wall - 7200; /* as winter time, as summer time */
    int va = cal_offset_at_utc(a) == 3600, vb = cal_offset_at_utc(b) == 7200;
    if (va && vb)
        return second ? a : b; /* the repeated hour: summer time first */
    if (vb)
        return b;
    if (va)
        return a;
    return wall - 3600; /* the skipped hour: 02:30 "is" 03:30 summer time */
}

void cal_utc_to_local(int64_t t, int64_t *day, int *sec)
{
    int64_t w = t + cal_offset_at_utc(t);
    int64_t d = w >= 0 ? w / 86400 : (w - 86399) / 86400;
    *day = d;
    *sec = (int)(w - d * 86400);
}
