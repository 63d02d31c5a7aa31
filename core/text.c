#include "text.h"
#include "tz.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int cm_utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str, *end = s + n;
    while (s < end) {
        unsigned c = *s;
        if (c < 0x80) {
            s++;
            continue;
        }
        size_t len;
        unsigned min;
        if ((c & 0xE0) == 0xC0)
            len = 2, min = 0x80, c &= 0x1F;
        else if ((c & 0xF0) == 0xE0)
            len = 3, min = 0x800, c &= 0x0F;
        else if ((c & 0xF8) == 0xF0)
            len = 4, min = 0x10000, c &= 0x07;
        else
            return 0;
        if ((size_t)(end - s) < len)
            return 0;
        for (size_t i = 1; i < len; i++) {
            if ((s[i] & 0xC0) != 0x80)
                return 0;
            c = (c << 6) | (s[i] & 0x3F);
        }
        /* overlong forms, surrogates and beyond U+10FFFF are not UTF-8 */
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            return 0;
        s += len;
    }
    return 1;
}

int cm_parse_decimal(const char *text, int decimal_comma, double *out)
{
    char dec = decimal_comma ? ',' : '.', group = decimal_comma ? '.' : ',';
    char buf[64];
    size_t k = 0;
    const char *p = text;
    while (*p == ' ')
        p++;
    if (*p == '+' || *p == '-')
        buf[k++] = *p++;
    int digits = 0, seen_dec = 0;
    for (; *p && *p != ' '; p++) {
        if (isdigit((unsigned char)*p)) {
            digits++;
        } else if (*p == dec && !seen_dec) {
            seen_dec = 1;
            if (k >= sizeof buf - 1)
                return -1;
            buf[k++] = '.';
            continue;
        } else if (*p == group && !seen_dec && digits > 0 && isdigit((unsigned char)p[1])) {
            continue; /* thousands separator */
        } else {
            return -1;
        }
        if (k >= sizeof buf - 1)
            return -1;
        buf[k++] = *p;
    }
    while (*p == ' ')
        p++;
    if (*p || !digits)
        return -1;
    buf[k] = '\0';
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (*end || errno || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int cm_parse_date(const char *text, const char *format, int *year, int *mon, int *day)
{
    int y = -1, m = -1, d = -1;
    const char *t = text, *f = format;
    while (*f) {
        int width = 0, *dst = NULL;
        if (strncmp(f, "yyyy", 4) == 0)
            width = 4, dst = &y;
        else if (strncmp(f, "mm", 2) == 0)
            width = 2, dst = &m;
        else if (strncmp(f, "dd", 2) == 0)
            width = 2, dst = &d;
        if (dst) {
            int v = 0;
            for (int i = 0; i < width; i++) {
                if (!isdigit((unsigned char)t[i]))
                    return -1;
                v = v * 10 + (t[i] - '0');
            }
            *dst = v;
            t += width;
            f += width;
        } else {
            if (*t != *f)
                return -1;
            t++, f++;
        }
    }
    if (*t || y < 0 || m < 1 || m > 12 || d < 1)
        return -1;
    /* the day must exist in that month: it round-trips through the calendar */
    int yy, mm, dd;
    cm_civil_from_days(cm_days_from_civil(y, m, d), &yy, &mm, &dd);
    if (yy != y || mm != m || dd != d)
        return -1;
    *year = y, *mon = m, *day = d;
    return 0;
}

static int all_digits(const char *s, size_t n)
{
    if (strlen(s) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

int cm_cvr_valid(const char *cvr)
{
    static const int w[8] = {2, 7, 6, 5, 4, 3, 2, 1};
    if (!cvr || !all_digits(cvr, 8) || cvr[0] == '0')
        return 0;
    int sum = 0;
    for (int i = 0; i < 8; i++)
        sum += (cvr[i] - '0') * w[i];
    return sum % 11 == 0;
}

int cm_ean_valid(const char *ean)
{
    size_t n = ean ? strlen(ean) : 0;
    if (!(n == 8 || n == 13 || n == 14) || !all_digits(ean, n))
        return 0;
    /* GS1: from the right, without the check digit, weights 3,1,3,1,... */
    int sum = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        int digit = ean[n - 2 - i] - '0';
        sum += digit * (i % 2 == 0 ? 3 : 1);
    }
    return (10 - sum % 10) % 10 == ean[n - 1] - '0';
}
