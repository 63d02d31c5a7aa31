#include "fmt.h"

#include "cal.h"

void fmt_date_iso(sbuf *b, int64_t day)
{
    int y, m, d;
    cal_civil(day, &y, &m, &d);
    sb_uz(b, (uint64_t)y, 4);
    sb_ch(b, '-');
    sb_uz(b, (uint64_t)m, 2);
    sb_ch(b, '-');
    sb_uz(b, (uint64_t)d, 2);
}

void fmt_date_dmy(sbuf *b, int64_t day)
{
    int y, m, d;
    cal_civil(day, &y, &m, &d);
    sb_uz(b, (uint64_t)d, 2);
    sb_ch(b, '-');
    sb_uz(b, (uint64_t)m, 2);
    sb_ch(b, '-');
    sb_uz(b, (uint64_t)y, 4);
}

void fmt_hms(sbuf *b, int s)
{
    sb_uz(b, (uint64_t)(s / 3600), 2);
    sb_ch(b, ':');
    sb_uz(b, (uint64_t)(s / 60 % 60), 2);
    sb_ch(b, ':');
    sb_uz(b, (uint64_t)(s % 60), 2);
}

void fmt_local(sbuf *b, int64_t utc)
{
    int64_t day;
    int sec;
    cal_utc_to_local(utc, &day, &sec);
    fmt_date_iso(b, day);
    sb_ch(b, ' ');
    fmt_hms(b, sec);
}

void fmt_duration(sbuf *b, int s)
{
    sb_uz(b, (uint64_t)(s / 3600), 2);
    sb_ch(b, ':');
    sb_uz(b, (uint64_t)(s / 60 % 60), 2);
    sb_ch(b, ':');
    sb_uz(b, (uint64_t)(s % 60), 2);
}

void fmt_remote(sbuf *b, const char *digits, int international, int style)
{
    if (international) {
        sb_str(b, style == NS_00 ? "00" : "+");
        sb_str(b, digits);
        return;
    }
    if (style == NS_PLUS)
        sb_str(b, "+45");
    else if (style == NS_00)
        sb_str(b, "0045");
    sb_str(b, digits);
}
