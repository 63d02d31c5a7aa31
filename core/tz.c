/* IANA time zones read straight from TZif files (RFC 8536), without touching
 * libc's global TZ state (no setenv/tzset/mktime/localtime).  A cm_tz is
 * immutable once loaded, so threads may share one. */
#include "tz.h"

#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TZ_DEFAULT_DIR "/usr/share/zoneinfo"
#define TZ_MAX_FILE (1024 * 1024) /* real TZif files are a few KB */

/* One rule date of a POSIX TZ string: "Jn", "n" or "Mm.w.d", plus "/time". */
typedef enum { RULE_JULIAN1 = 1, RULE_JULIAN0, RULE_MWD } rule_kind;

typedef struct tz_rule {
    rule_kind kind;
    int day;          /* Jn: 1..365, n: 0..365, Mm.w.d: d 0..6 (Sunday = 0) */
    int week;         /* Mm.w.d: 1..5 (5 = last) */
    int mon;          /* Mm.w.d: 1..12 */
    int32_t time;     /* seconds after local midnight; -167h..167h (RFC 8536 3.3.1) */
} tz_rule;

/* The footer TZ string, used after the last transition (or for all time
 * when there are none). */
typedef struct tz_posix {
    int32_t std_off; /* UTC offset (east positive) of standard time */
    int32_t dst_off;
    int has_dst;
    tz_rule start, end; /* DST starts at start (std local time), ends at end (DST local time) */
} tz_posix;

struct cm_tz {
    char *name;
    size_t ntrans;
    int64_t *trans;  /* UTC instants of the transitions, strictly ascending */
    int32_t *offs;   /* UTC offset in effect from trans[i] on */
    int32_t off0;    /* before the first transition: time type 0 */
    int has_footer;
    tz_posix footer;
    int32_t min_off, max_off; /* over every offset the zone can return */
};

/* ---------------------------------------------------------------- calendar */

static int is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int64_t y, int m)
{
    static const unsigned char mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : mdays[m - 1];
}

/* Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms". */
static int64_t days_from_civil64(int64_t y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;                                  /* [0, 399] */
    const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

int64_t cm_days_from_civil(int year, int mon, int day) { return days_from_civil64(year, mon, day); }

static void civil_from_days64(int64_t z, int64_t *year, int *mon, int *day)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;                                     /* [0, 146096] */
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);              /* [0, 365] */
    const int64_t mp = (5 * doy + 2) / 153;                                   /* [0, 11] */
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *mon = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = yoe + era * 400 + (*mon <= 2);
}

void cm_civil_from_days(int64_t days, int *year, int *mon, int *day)
{
    int64_t y;
    civil_from_days64(days, &y, mon, day);
    *year = (int)y;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* ---------------------------------------------------------------- POSIX rules */

/* Local midnight (as seconds since the epoch, no offset applied) of the rule's
 * day in year y, plus the rule's time. */
static int64_t rule_local(const tz_rule *r, int64_t y)
{
    int64_t days;
    switch (r->kind) {
    case RULE_JULIAN1: /* 1..365, February 29 never counted */
        days = days_from_civil64(y, 1, 1) + r->day - 1 + (is_leap(y) && r->day >= 60);
        break;
    case RULE_JULIAN0: /* 0..365, February 29 counted */
        days = days_from_civil64(y, 1, 1) + r->day;
        break;
    default: { /* Mm.w.d: day d of week w (5 = last) of month m */
        const int64_t first = days_from_civil64(y, r->mon, 1);
        const int64_t wd = ((first + 4) % 7 + 7) % 7; /* 1970-01-01 was a Thursday */
        days = first + (r->day - wd + 7) % 7 + 7 * (r->week - 1);
        if (days >= first + days_in_month(y, r->mon))
            days -= 7;
        break;
    }
    }
    return days * 86400 + r->time;
}

static int64_t rule_start_utc(const tz_posix *p, int64_t y) { return rule_local(&p->start, y) - p->std_off; }
static int64_t rule_end_utc(const tz_posix *p, int64_t y) { return rule_local(&p->end, y) - p->dst_off; }

static int32_t posix_offset_at(const tz_posix *p, int64_t utc)
{
    if (!p->has_dst)
        return p->std_off;
    /* Keep the arithmetic below far from overflow (+-300,000 years). */
    if (utc > INT64_C(10000000000000))
        utc = INT64_C(10000000000000);
    if (utc < -INT64_C(10000000000000))
        utc = -INT64_C(10000000000000);
    int64_t y;
    int m, d;
    civil_from_days64(floor_div(utc + p->std_off, 86400), &y, &m, &d);
    /* The latest DST start or end at or before utc, looking at the years
     * around it, decides (robust for southern-hemisphere rules, rule times
     * beyond 24h and all-year DST, where an end and the next start coincide:
     * then the start wins). */
    int64_t best = INT64_MIN;
    int32_t off = p->std_off;
    for (int64_t yy = y - 1; yy <= y + 1; yy++) {
        const int64_t s = rule_start_utc(p, yy), e = rule_end_utc(p, yy);
        if (e <= utc && e > best) {
            best = e;
            off = p->std_off;
        }
        if (s <= utc && s >= best) {
            best = s;
            off = p->dst_off;
        }
    }
    return off;
}

/* [+-]hh[:mm[:ss]] with hh <= maxh.  Returns the new position or NULL. */
static const char *parse_hms(const char *s, int maxh, int32_t *out)
{
    int sign = 1;
    if (*s == '+' || *s == '-')
        sign = *s++ == '-' ? -1 : 1;
    if (*s < '0' || *s > '9')
        return NULL;
    int h = 0, m = 0, sec = 0, nd = 0;
    while (*s >= '0' && *s <= '9' && nd < 3) {
        h = h * 10 + (*s++ - '0');
        nd++;
    }
    if (h > maxh)
        return NULL;
    if (*s == ':') {
        s++;
        if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
            return NULL;
        m = (s[0] - '0') * 10 + (s[1] - '0');
        s += 2;
        if (*s == ':') {
            s++;
            if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
                return NULL;
            sec = (s[0] - '0') * 10 + (s[1] - '0');
            s += 2;
        }
    }
    if (m > 59 || sec > 59)
        return NULL;
    *out = sign * (h * 3600 + m * 60 + sec);
    return s;
}

static const char *parse_name(const char *s)
{
    if (*s == '<') {
        const char *e = strchr(s, '>');
        if (!e || e - s < 4) /* at least 3 characters inside */
            return NULL;
        return e + 1;
    }
    const char *b = s;
    while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
        s++;
    return s - b >= 3 ? s : NULL;
}

static const char *parse_num(const char *s, int lo, int hi, int *out)
{
    if (*s < '0' || *s > '9')
        return NULL;
    int v = 0;
    while (*s >= '0' && *s <= '9') {
        v = v * 10 + (*s++ - '0');
        if (v > hi)
            return NULL;
    }
    if (v < lo)
        return NULL;
    *out = v;
    return s;
}

static const char *parse_rule(const char *s, tz_rule *r)
{
    memset(r, 0, sizeof *r);
    if (*s == 'J') {
        r->kind = RULE_JULIAN1;
        s = parse_num(s + 1, 1, 365, &r->day);
    } else if (*s == 'M') {
        r->kind = RULE_MWD;
        s = parse_num(s + 1, 1, 12, &r->mon);
        if (s && *s == '.')
            s = parse_num(s + 1, 1, 5, &r->week);
        else
            s = NULL;
        if (s && *s == '.')
            s = parse_num(s + 1, 0, 6, &r->day);
        else
            s = NULL;
    } else {
        r->kind = RULE_JULIAN0;
        s = parse_num(s, 0, 365, &r->day);
    }
    if (!s)
        return NULL;
    r->time = 2 * 3600;
    if (*s == '/')
        s = parse_hms(s + 1, 167, &r->time);
    return s;
}

/* Parses e.g. "CET-1CEST,M3.5.0,M10.5.0/3" or "UTC0" or "<+03>-3".
 * Returns 0 on success. */
static int parse_posix_tz(const char *s, tz_posix *p)
{
    memset(p, 0, sizeof *p);
    int32_t off;
    if (!(s = parse_name(s)) || !(s = parse_hms(s, 24, &off)))
        return -1;
    p->std_off = -off; /* POSIX offsets are west-positive */
    p->dst_off = p->std_off;
    if (!*s)
        return 0;
    if (!(s = parse_name(s)))
        return -1;
    p->has_dst = 1;
    p->dst_off = p->std_off + 3600;
    if (*s && *s != ',') {
        if (!(s = parse_hms(s, 24, &off)))
            return -1;
        p->dst_off = -off;
    }
    if (!*s) {
        /* No rule: POSIX leaves it to the implementation; glibc and the tz
         * code use the US rules. */
        s = ",M3.2.0,M11.1.0";
    }
    if (*s != ',' || !(s = parse_rule(s + 1, &p->start)) || *s != ',' ||
        !(s = parse_rule(s + 1, &p->end)) || *s)
        return -1;
    return 0;
}

/* ---------------------------------------------------------------- TZif */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p) { return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4)); }

typedef struct tzif_hdr {
    int version; /* 1, 2, 3, ... */
    uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
} tzif_hdr;

static int read_hdr(const unsigned char *p, size_t avail, tzif_hdr *h)
{
    if (avail < 44 || memcmp(p, "TZif", 4) != 0)
        return -1;
    h->version = p[4] == 0 ? 1 : p[4] - '0';
    h->isutcnt = be32(p + 20);
    h->isstdcnt = be32(p + 24);
    h->leapcnt = be32(p + 28);
    h->timecnt = be32(p + 32);
    h->typecnt = be32(p + 36);
    h->charcnt = be32(p + 40);
    return 0;
}

static uint64_t block_size(const tzif_hdr *h, int tsize)
{
    return (uint64_t)h->timecnt * tsize + h->timecnt + (uint64_t)h->typecnt * 6 + h->charcnt +
           (uint64_t)h->leapcnt * (tsize + 4) + h->isstdcnt + h->isutcnt;
}

/* Builds tz from a whole TZif file.  Returns NULL or a reason. */
static const char *parse_tzif(const unsigned char *buf, size_t len, cm_tz *tz)
{
    tzif_hdr h;
    if (read_hdr(buf, len, &h) != 0)
        return "not a TZif file";
    const unsigned char *p = buf + 44;
    size_t avail = len - 44;
    int tsize = 4;
    if (h.version >= 2) {
        const uint64_t skip = block_size(&h, 4);
        if (skip > avail)
            return "truncated TZif file";
        p += skip;
        avail -= (size_t)skip;
        if (read_hdr(p, avail, &h) != 0)
            return "bad second TZif header";
        p += 44;
        avail -= 44;
        tsize = 8;
    }
    if (h.typecnt == 0 || h.typecnt > 256 || h.charcnt == 0 ||
        (h.isstdcnt != 0 && h.isstdcnt != h.typecnt) || (h.isutcnt != 0 && h.isutcnt != h.typecnt))
        return "inconsistent TZif header";
    if (h.leapcnt != 0)
        return "leap-second (\"right/\") zones are not supported";
    const uint64_t need = block_size(&h, tsize);
    if (need > avail)
        return "truncated TZif file";

    const unsigned char *ptimes = p;
    const unsigned char *pidx = ptimes + (size_t)h.timecnt * tsize;
    const unsigned char *ptypes = pidx + h.timecnt;
    int32_t typeoff[256];
    for (uint32_t i = 0; i < h.typecnt; i++) {
        const uint32_t raw = be32(ptypes + 6 * i);
        if (raw == 0x80000000u)
            return "invalid UTC offset in TZif file";
        typeoff[i] = (int32_t)raw;
        if (ptypes[6 * i + 4] > 1 || ptypes[6 * i + 5] >= h.charcnt)
            return "invalid time type in TZif file";
    }
    tz->off0 = typeoff[0];
    tz->min_off = tz->max_off = tz->off0;
    tz->ntrans = h.timecnt;
    if (h.timecnt) {
        tz->trans = cm_xmalloc(sizeof *tz->trans * h.timecnt);
        tz->offs = cm_xmalloc(sizeof *tz->offs * h.timecnt);
    }
    for (uint32_t i = 0; i < h.timecnt; i++) {
        tz->trans[i] = tsize == 8 ? be64(ptimes + 8 * i) : (int64_t)(int32_t)be32(ptimes + 4 * i);
        if (i > 0 && tz->trans[i] <= tz->trans[i - 1])
            return "TZif transitions out of order";
        if (pidx[i] >= h.typecnt)
            return "invalid transition type in TZif file";
        tz->offs[i] = typeoff[pidx[i]];
    }
    for (uint32_t i = 0; i < h.typecnt; i++) {
        if (typeoff[i] < tz->min_off)
            tz->min_off = typeoff[i];
        if (typeoff[i] > tz->max_off)
            tz->max_off = typeoff[i];
    }

    /* Footer: "\n" TZ-string "\n" (v2+).  An empty string means none. */
    if (h.version >= 2) {
        const unsigned char *f = p + need;
        const size_t flen = avail - (size_t)need;
        if (flen < 2 || f[0] != '\n')
            return "missing TZif footer";
        const unsigned char *nl = memchr(f + 1, '\n', flen - 1);
        if (!nl)
            return "unterminated TZif footer";
        const size_t slen = (size_t)(nl - f - 1);
        if (slen > 0) {
            char tzs[128];
            if (slen >= sizeof tzs)
                return "TZif footer too long";
            memcpy(tzs, f + 1, slen);
            tzs[slen] = '\0';
            if (parse_posix_tz(tzs, &tz->footer) != 0)
                return "unsupported TZ string in TZif footer";
            tz->has_footer = 1;
            const int32_t o[2] = {tz->footer.std_off, tz->footer.dst_off};
            for (int i = 0; i < 2; i++) {
                if (o[i] < tz->min_off)
                    tz->min_off = o[i];
                if (o[i] > tz->max_off)
                    tz->max_off = o[i];
            }
        }
    }
    return NULL;
}

cm_tz *cm_tz_load(const char *name, char *err, size_t errsz)
{
    char dummy[1];
    if (!err || !errsz) { /* messages are optional */
        err = dummy;
        errsz = sizeof dummy;
    }
    err[0] = '\0';
    if (!name || !*name) {
        snprintf(err, errsz, "empty time zone name");
        return NULL;
    }
    if (name[0] == '/' || strstr(name, "..")) {
        snprintf(err, errsz,
                 "invalid time zone name \"%s\" (must not start with '/' or contain \"..\")",
                 name);
        return NULL;
    }
    const char *dir = getenv("TZDIR");
    if (!dir || !*dir)
        dir = TZ_DEFAULT_DIR;
    char *path = cm_path_join(dir, name);
    unsigned char *buf = NULL;
    size_t len = 0;
    struct stat st;
    FILE *f = NULL;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            snprintf(err, errsz, "unknown time zone \"%s\" (no such file in %s)", name, dir);
        else
            snprintf(err, errsz, "time zone \"%s\": cannot read %s: %s", name, path,
                     strerror(errno));
        goto fail;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errsz, "unknown time zone \"%s\" (%s is not a file)", name, path);
        goto fail;
    }
    if (st.st_size > TZ_MAX_FILE) {
        snprintf(err, errsz, "time zone \"%s\": %s is too large for a TZif file", name, path);
        goto fail;
    }
    f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errsz, "time zone \"%s\": cannot open %s: %s", name, path,
                 strerror(errno));
        goto fail;
    }
    buf = cm_xmalloc((size_t)st.st_size + 1);
    len = fread(buf, 1, (size_t)st.st_size + 1, f);
    if (ferror(f) || len > (size_t)st.st_size) {
        snprintf(err, errsz, "time zone \"%s\": error reading %s", name, path);
        goto fail;
    }
    fclose(f);
    f = NULL;

    cm_tz *tz = cm_xcalloc(1, sizeof *tz);
    const char *why = parse_tzif(buf, len, tz);
    if (why) {
        snprintf(err, errsz, "time zone \"%s\": %s (%s)", name, why, path);
        cm_tz_free(tz);
        goto fail;
    }
    tz->name = cm_xstrdup(name);
    free(buf);
    free(path);
    return tz;

fail:
    if (f)
        fclose(f);
    free(buf);
    free(path);
    return NULL;
}

void cm_tz_free(cm_tz *tz)
{
    if (!tz)
        return;
    free(tz->name);
    free(tz->trans);
    free(tz->offs);
    free(tz);
}

const char *cm_tz_name(const cm_tz *tz) { return tz->name; }

/* ---------------------------------------------------------------- lookups */

/* Index of the last transition <= utc, or -1. */
static ptrdiff_t find_trans(const cm_tz *tz, int64_t utc)
{
    size_t lo = 0, hi = tz->ntrans; /* answer in [lo, hi): first trans > utc */
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (tz->trans[mid] <= utc)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (ptrdiff_t)lo - 1;
}

int32_t cm_tz_offset_at(const cm_tz *tz, int64_t utc)
{
    if (tz->ntrans == 0)
        return tz->has_footer ? posix_offset_at(&tz->footer, utc) : tz->off0;
    if (utc >= tz->trans[tz->ntrans - 1] && tz->has_footer)
        return posix_offset_at(&tz->footer, utc);
    const ptrdiff_t i = find_trans(tz, utc);
    return i < 0 ? tz->off0 : tz->offs[i];
}

#define MAX_SOLUTIONS 8

typedef struct solutions {
    int n;
    int64_t u[MAX_SOLUTIONS];
} solutions;

/* If offset o is in effect at wall - o, that instant is a solution. */
static void try_offset(const cm_tz *tz, int64_t wall, int32_t o, solutions *s)
{
    const int64_t u = wall - o;
    if (cm_tz_offset_at(tz, u) != o)
        return;
    for (int i = 0; i < s->n; i++)
        if (s->u[i] == u)
            return;
    if (s->n < MAX_SOLUTIONS)
        s->u[s->n++] = u;
}

cm_time_result cm_tz_local_to_utc(const cm_tz *tz, int year, int mon, int day, int hour, int min,
                                  int sec, int64_t *first, int64_t *second)
{
    if (mon < 1 || mon > 12 || day < 1 || day > days_in_month(year, mon) || hour < 0 ||
        hour > 23 || min < 0 || min > 59 || sec < 0 || sec > 59)
        return CM_TIME_INVALID;
    const int64_t wall = days_from_civil64(year, mon, day) * 86400 + hour * 3600 + min * 60 + sec;

    /* Every solution u has u + offset(u) == wall, and offset(u) lies in
     * [min_off, max_off], so u lies in [lo, hi].  The offset at any u in that
     * window is the one at lo or one set by a transition in (lo, hi]: trying
     * those offsets (plus both footer offsets when the footer's range overlaps)
     * finds every solution. */
    const int64_t lo = wall - tz->max_off, hi = wall - tz->min_off;
    solutions s = {0};
    try_offset(tz, wall, cm_tz_offset_at(tz, lo), &s);
    if (tz->ntrans) {
        for (size_t i = (size_t)(find_trans(tz, lo) + 1); i < tz->ntrans && tz->trans[i] <= hi; i++)
            try_offset(tz, wall, tz->offs[i], &s);
    }
    if (tz->has_footer && (tz->ntrans == 0 || hi >= tz->trans[tz->ntrans - 1])) {
        try_offset(tz, wall, tz->footer.std_off, &s);
        if (tz->footer.has_dst)
            try_offset(tz, wall, tz->footer.dst_off, &s);
    }

    if (s.n == 0)
        return CM_TIME_GAP;
    int64_t a = s.u[0], b = s.u[0];
    for (int i = 1; i < s.n; i++) {
        if (s.u[i] < a)
            a = s.u[i];
        if (s.u[i] > b)
            b = s.u[i];
    }
    if (first)
        *first = a;
    if (second)
        *second = b;
    return s.n == 1 ? CM_TIME_UNIQUE : CM_TIME_AMBIGUOUS;
}

/* ---------------------------------------------------------------- formatting */

static void put_digits(char *p, int64_t v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

/* 'YYYY-MM-DDTHH:MM:SS' (19 characters, no terminator).  Years outside
 * 0000-9999 cannot be written in this format: the instant is clamped to
 * that range. */
static void format_wall(int64_t wall, char *out)
{
    static const int64_t min_wall = -62167219200;   /* 0000-01-01T00:00:00 */
    static const int64_t max_wall = 253402300799;   /* 9999-12-31T23:59:59 */
    if (wall < min_wall)
        wall = min_wall;
    if (wall > max_wall)
        wall = max_wall;
    const int64_t days = floor_div(wall, 86400);
    const int64_t secs = wall - days * 86400;
    int64_t y;
    int m, d;
    civil_from_days64(days, &y, &m, &d);
    put_digits(out, y, 4);
    out[4] = '-';
    put_digits(out + 5, m, 2);
    out[7] = '-';
    put_digits(out + 8, d, 2);
    out[10] = 'T';
    put_digits(out + 11, secs / 3600, 2);
    out[13] = ':';
    put_digits(out + 14, secs / 60 % 60, 2);
    out[16] = ':';
    put_digits(out + 17, secs % 60, 2);
}

void cm_format_utc(int64_t utc, char out[21])
{
    format_wall(utc, out);
    out[19] = 'Z';
    out[20] = '\0';
}

void cm_format_local(const cm_tz *tz, int64_t utc, char out[20])
{
    format_wall(utc + cm_tz_offset_at(tz, utc), out);
    out[19] = '\0';
}
