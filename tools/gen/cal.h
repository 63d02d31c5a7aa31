/* Calendar: civil dates as day numbers (days since 1970-01-01), Danish public
 * holidays (with Easter), and Europe/Copenhagen wall time (CET/CEST, EU rule:
 * summer time from the last Sunday of March to the last Sunday of October,
 * both switches at 01:00 UTC). */
#ifndef GEN_CAL_H
#define GEN_CAL_H

#include <stddef.h>
#include <stdint.h>

int64_t cal_day(int y, int m, int d);
void cal_civil(int64_t day, int *y, int *m, int *d);
/* 0 Monday .. 6 Sunday */
int cal_weekday(int64_t day);
int cal_days_in_month(int y, int m);
/* Easter Sunday of the year */
int64_t cal_easter(int y);
/* a Danish public holiday, or a day most offices close (24 and 31 December,
 * Constitution Day); *name is set when it is */
int cal_holiday(int64_t day, const char **name);

/* UTC offset in seconds of Copenhagen at the UTC instant t */
int cal_offset_at_utc(int64_t t);
/* wall time -> UTC; a wall time in the skipped spring hour is moved one hour
 * on (as a clock would show it), the repeated autumn hour takes the first
 * (summer-time) occurrence unless second is set */
int64_t cal_local_to_utc(int64_t day, int sec_of_day, int second);
/* UTC -> wall day and second of day */
void cal_utc_to_local(int64_t t, int64_t *day, int *sec_of_day);

/* month index (y*12 + m-1) of a day */
static inline int cal_month_of(int64_t day)
{
    int y, m, d;
    cal_civil(day, &y, &m, &d);
    return y * 12 + (m - 1);
}

#endif
