/* Unit tests of core/tz.c: TZif loading, the footer TZ string, wall time to
 * UTC around DST changes, the calendar helpers and formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "tz.h"

/* ------------------------------------------------------------ helpers */

static int64_t utc_of(int y, int mo, int d, int h, int mi, int s)
{
    return cm_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

static cm_tz *load_ok(const char *name)
{
    char err[256] = "";
    cm_tz *tz = cm_tz_load(name, err, sizeof err);
    if (!tz)
        fail_msg("cm_tz_load(%s): %s", name, err);
    return tz;
}

/* Wall time must map to exactly one instant, equal to `want` (as 'Z' text). */
static void expect_unique(const cm_tz *tz, int y, int mo, int d, int h, int mi, int s,
                          const char *want)
{
    int64_t a = -1, b = -2;
    cm_time_result r = cm_tz_local_to_utc(tz, y, mo, d, h, mi, s, &a, &b);
    if (r != CM_TIME_UNIQUE)
        fail_msg("%04d-%02d-%02d %02d:%02d:%02d: result %d, want UNIQUE", y, mo, d, h, mi, s, r);
    assert_true(a == b);
    char buf[21];
    cm_format_utc(a, buf);
    assert_string_equal(buf, want);
    /* and back */
    char loc[20], exp[20];
    cm_format_local(tz, a, loc);
    snprintf(exp, sizeof exp, "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi, s);
    assert_string_equal(loc, exp);
}

static void expect_ambiguous(const cm_tz *tz, int y, int mo, int d, int h, int mi, int s,
                             const char *want1, const char *want2)
{
    int64_t a = -1, b = -2;
    cm_time_result r = cm_tz_local_to_utc(tz, y, mo, d, h, mi, s, &a, &b);
    if (r != CM_TIME_AMBIGUOUS)
        fail_msg("%04d-%02d-%02d %02d:%02d:%02d: result %d, want AMBIGUOUS", y, mo, d, h, mi, s,
                 r);
    char buf[21];
    cm_format_utc(a, buf);
    assert_string_equal(buf, want1);
    cm_format_utc(b, buf);
    assert_string_equal(buf, want2);
    char loc[20], exp[20];
    snprintf(exp, sizeof exp, "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi, s);
    cm_format_local(tz, a, loc);
    assert_string_equal(loc, exp);
    cm_format_local(tz, b, loc);
    assert_string_equal(loc, exp);
}

static void expect_gap(const cm_tz *tz, int y, int mo, int d, int h, int mi, int s)
{
    int64_t a = 0, b = 0;
    assert_int_equal(cm_tz_local_to_utc(tz, y, mo, d, h, mi, s, &a, &b), CM_TIME_GAP);
}

static void expect_local(const cm_tz *tz, int64_t utc, const char *want)
{
    char buf[20];
    cm_format_local(tz, utc, buf);
    assert_string_equal(buf, want);
}

/* A TZDIR with hand-made TZif files, for the footer rule forms. */
typedef struct tzdir {
    char path[64];
    char *old_tzdir;
} tzdir;

static void put32(FILE *f, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 8), (unsigned char)v};
    fwrite(b, 1, 4, f);
}

static void put64(FILE *f, int64_t v)
{
    put32(f, (uint32_t)((uint64_t)v >> 32));
    put32(f, (uint32_t)v);
}

/* One TZif block: transitions to types, types given as offsets. */
static void put_block(FILE *f, int tsize, int ntrans, const int64_t *trans, const uint8_t *idx,
                      int ntypes, const int32_t *offs)
{
    unsigned char h[20] = {0};
    memcpy(h, "TZif", 4);
    h[4] = (unsigned char)(tsize == 8 ? '3' : '\0');
    fwrite(h, 1, 20, f);
    put32(f, 0);                  /* isutcnt */
    put32(f, 0);                  /* isstdcnt */
    put32(f, 0);                  /* leapcnt */
    put32(f, (uint32_t)ntrans);   /* timecnt */
    put32(f, (uint32_t)ntypes);   /* typecnt */
    put32(f, 4);                  /* charcnt */
    for (int i = 0; i < ntrans; i++) {
        if (tsize == 8)
            put64(f, trans[i]);
        else
            put32(f, (uint32_t)(int32_t)trans[i]);
    }
    if (ntrans)
        fwrite(idx, 1, (size_t)ntrans, f);
    for (int i = 0; i < ntypes; i++) {
        put32(f, (uint32_t)offs[i]);
        fputc(i > 0, f); /* isdst */
        fputc(0, f);     /* abbreviation index */
    }
    fwrite("XST", 1, 4, f);
}

/* version 1: only a 32-bit block; otherwise v3 with an empty v1 block. */
static void write_tzif(const tzdir *d, const char *name, int version, int ntrans,
                       const int64_t *trans, const uint8_t *idx, int ntypes, const int32_t *offs,
                       const char *footer)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", d->path, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    if (version == 1) {
        put_block(f, 4, ntrans, trans, idx, ntypes, offs);
    } else {
        unsigned char h[20] = {0};
        memcpy(h, "TZif3", 5);
        fwrite(h, 1, 20, f);
        for (int i = 0; i < 6; i++)
            put32(f, i == 4 || i == 5 ? 1 : 0); /* typecnt 1, charcnt 1 */
        put32(f, (uint32_t)offs[0]);
        fputc(0, f);
        fputc(0, f);
        fputc(0, f);
        put_block(f, 8, ntrans, trans, idx, ntypes, offs);
        fprintf(f, "\n%s\n", footer);
    }
    fclose(f);
}

static int tzdir_setup(void **state)
{
    tzdir *d = calloc(1, sizeof *d);
    snprintf(d->path, sizeof d->path, "/tmp/test_tz.XXXXXX");
    if (!mkdtemp(d->path))
        return -1;
    const char *old = getenv("TZDIR");
    d->old_tzdir = old ? strdup(old) : NULL;
    setenv("TZDIR", d->path, 1);
    *state = d;
    return 0;
}

static int tzdir_teardown(void **state)
{
    tzdir *d = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d->path);
    if (system(cmd) != 0)
        return -1;
    if (d->old_tzdir)
        setenv("TZDIR", d->old_tzdir, 1);
    else
        unsetenv("TZDIR");
    free(d->old_tzdir);
    free(d);
    return 0;
}

/* The offset switches from `before` to `after` exactly at instant t. */
static void expect_switch(const cm_tz *tz, int64_t t, int32_t before, int32_t after)
{
    if (cm_tz_offset_at(tz, t - 1) != before || cm_tz_offset_at(tz, t) != after) {
        char buf[21];
        cm_format_utc(t, buf);
        fail_msg("switch at %s: %d -> %d, want %d -> %d", buf, cm_tz_offset_at(tz, t - 1),
                 cm_tz_offset_at(tz, t), before, after);
    }
}

/* ------------------------------------------------------------ Copenhagen */

static void test_cph_spring_2025(void **state)
{
    (void)state;
    cm_tz *tz = load_ok("Europe/Copenhagen");
    assert_string_equal(cm_tz_name(tz), "Europe/Copenhagen");
    expect_switch(tz, utc_of(2025, 3, 30, 1, 0, 0), 3600, 7200);
    expect_unique(tz, 2025, 3, 30, 1, 59, 59, "2025-03-30T00:59:59Z");
    expect_gap(tz, 2025, 3, 30, 2, 0, 0);
    expect_gap(tz, 2025, 3, 30, 2, 30, 0);
    expect_gap(tz, 2025, 3, 30, 2, 59, 59);
    expect_unique(tz, 2025, 3, 30, 3, 0, 0, "2025-03-30T01:00:00Z");
    cm_tz_free(tz);
}

static void test_cph_autumn_2025(void **state)
{
    (void)state;
    cm_tz *tz = load_ok("Europe/Copenhagen");
    expect_switch(tz, utc_of(2025, 10, 26, 1, 0, 0), 7200, 3600);
    expect_unique(tz, 2025, 10, 26, 1, 59, 59, "2025-10-25T23:59:59Z");
    expect_ambiguous(tz, 2025, 10, 26, 2, 0, 0, "2025-10-26T00:00:00Z", "2025-10-26T01:00:00Z");
    expect_ambiguous(tz, 2025, 10, 26, 2, 30, 0, "2025-10-26T00:30:00Z", "2025-10-26T01:30:00Z");
    expect_ambiguous(tz, 2025, 10, 26, 2, 59, 59, "2025-10-26T00:59:59Z", "2025-10-26T01:59:59Z");
    expect_unique(tz, 2025, 10, 26, 3, 0, 0, "2025-10-26T02:00:00Z");
    cm_tz_free(tz);
}

static void test_cph_2026(void **state)
{
    (void)state;
    cm_tz *tz = load_ok("Europe/Copenhagen");
    expect_switch(tz, utc_of(2026, 3, 29, 1, 0, 0), 3600, 7200);
    expect_switch(tz, utc_of(2026, 10, 25, 1, 0, 0), 7200, 3600);
    expect_unique(tz, 2026, 3, 29, 1, 59, 59, "2026-03-29T00:59:59Z");
    expect_gap(tz, 2026, 3, 29, 2, 0, 0);
    expect_gap(tz, 2026, 3, 29, 2, 30, 0);
    expect_unique(tz, 2026, 3, 29, 3, 0, 0, "2026-03-29T01:00:00Z");
    expect_unique(tz, 2026, 10, 25, 1, 59, 59, "2026-10-24T23:59:59Z");
    expect_ambiguous(tz, 2026, 10, 25, 2, 30, 0, "2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z");
    expect_unique(tz, 2026, 10, 25, 3, 0, 0, "2026-10-25T02:00:00Z");
    cm_tz_free(tz);
}

static void test_cph_winter_summer(void **state)
{
    (void)state;
    cm_tz *tz = load_ok("Europe/Copenhagen");
    expect_unique(tz, 2025, 1, 15, 12, 0, 0, "2025-01-15T11:00:00Z");
    expect_unique(tz, 2025, 7, 1, 12, 0, 0, "2025-07-01T10:00:00Z");
    expect_unique(tz, 2025, 12, 31, 23, 59, 59, "2025-12-31T22:59:59Z");
    expect_unique(tz, 2026, 1, 1, 0, 0, 0, "2025-12-31T23:00:00Z");
    assert_int_equal(cm_tz_offset_at(tz, utc_of(2025, 1, 15, 0, 0, 0)), 3600);
    assert_int_equal(cm_tz_offset_at(tz, utc_of(2025, 7, 1, 0, 0, 0)), 7200);
    cm_tz_free(tz);
}

/* 2045 lies beyond the transitions in the file (fat files stop in 2037,
 * slim ones earlier): the footer rule decides. */
static void test_cph_2045_footer(void **state)
{
    (void)state;
    cm_tz *tz = load_ok("Europe/Copenhagen");
    expect_unique(tz, 2045, 7, 1, 12, 0, 0, "2045-07-01T10:00:00Z");
    expect_unique(tz, 2045, 12, 1, 12, 0, 0, "2045-12-01T11:00:00Z");
    expect_switch(tz, utc_of(2045, 3, 26, 1, 0, 0), 3600, 7200);
    expect_switch(tz, utc_of(2045, 10, 29, 1, 0, 0), 7200, 3600);
    expect_gap(tz, 2045, 3, 26, 2, 30, 0);
    expect_unique(tz, 2045, 10, 29, 1, 59, 59, "2045-10-28T23:59:59Z");
    expect_ambiguous(tz, 2045, 10, 29, 2, 30, 0, "2045-10-29T00:30:00Z", "2045-10-29T01:30:00Z");
    expect_unique(tz, 2045, 10, 29, 3, 0, 0, "2045-10-29T02:00:00Z");
    cm_tz_free(tz);
}

static void test_utc_zone(void **state)
{
    (void)state;
    const char *names[] = {"UTC", "Etc/UTC"};
    for (size_t i = 0; i < 2; i++) {
        cm_tz *tz = load_ok(names[i]);
        expect_unique(tz, 2025, 3, 30, 2, 30, 0, "2025-03-30T02:30:00Z");
        expect_unique(tz, 2025, 10, 26, 2, 30, 0, "2025-10-26T02:30:00Z");
        expect_unique(tz, 2045, 7, 1, 12, 0, 0, "2045-07-01T12:00:00Z");
        assert_int_equal(cm_tz_offset_at(tz, 0), 0);
        expect_local(tz, 0, "1970-01-01T00:00:00");
        cm_tz_free(tz);
    }
}

static void test_invalid_dates(void **state)
{
    (void)state;
    cm_tz *tz = load_ok("Europe/Copenhagen");
    int64_t a = 7, b = 7;
    assert_int_equal(cm_tz_local_to_utc(tz, 2025, 2, 29, 12, 0, 0, &a, &b), CM_TIME_INVALID);
    expect_unique(tz, 2024, 2, 29, 12, 0, 0, "2024-02-29T11:00:00Z");
    expect_unique(tz, 2000, 2, 29, 12, 0, 0, "2000-02-29T11:00:00Z");
    assert_int_equal(cm_tz_local_to_utc(tz, 1900, 2, 29, 12, 0, 0, &a, &b), CM_TIME_INVALID);
    assert_int_equal(cm_tz_local_to_utc(tz, 2025, 13, 1, 12, 0, 0, &a, &b), CM_TIME_INVALID);
    assert_int_equal(cm_tz_local_to_utc(tz, 2025, 0, 1, 12, 0, 0, &a, &b), CM_TIME_INVALID);
    assert_int_equal(cm_tz_local_to_utc(tz, 2025, 4, 31, 12, 0, 0, &a, &b), CM_TIME_INVALID);
    assert_int_equal(cm_tz_local_to_utc(tz, 2025, 1, 0, 12, 0, 0, &a, &b), CM_TIME_INVALID);
    assert_int_equal(cm_tz_local_to_utc(tz, 2025, 1, 1, 24, 0, 0, &a, &b), CM_TIME_INVALID);
    assert_int_equal(cm_tz_local_to_utc(tz, 2025, 1, 1, -1, 0, 0, &a, &b), CM_TIME_INVALID);
    assert_int_equal(cm_tz_local_to_utc(tz, 2025, 1, 1, 12, 60, 0, &a, &b), CM_TIME_INVALID);
    assert_int_equal(cm_tz_local_to_utc(tz, 2025, 1, 1, 12, 0, 60, &a, &b), CM_TIME_INVALID);
    assert_int_equal(a, 7);
    assert_int_equal(b, 7);
    cm_tz_free(tz);
}

static void test_load_errors(void **state)
{
    (void)state;
    const char *old = getenv("TZDIR");
    char *saved = old ? strdup(old) : NULL;
    unsetenv("TZDIR");
    char err[256];
    assert_null(cm_tz_load("Europe/Copenhagn", err, sizeof err));
    assert_string_equal(err,
                        "unknown time zone \"Europe/Copenhagn\" (no such file in /usr/share/zoneinfo)");
    assert_null(cm_tz_load("../etc/passwd", err, sizeof err));
    assert_non_null(strstr(err, "\"../etc/passwd\""));
    assert_null(cm_tz_load("Europe/../../etc/passwd", err, sizeof err));
    assert_null(cm_tz_load("/usr/share/zoneinfo/UTC", err, sizeof err));
    assert_non_null(strstr(err, "\"/usr/share/zoneinfo/UTC\""));
    assert_null(cm_tz_load("", err, sizeof err));
    assert_null(cm_tz_load("Europe", err, sizeof err)); /* a directory */
    assert_non_null(strstr(err, "\"Europe\""));
    assert_null(cm_tz_load("zone.tab", err, sizeof err)); /* not TZif */
    assert_non_null(strstr(err, "\"zone.tab\""));
    assert_non_null(strstr(err, "not a TZif file"));
    assert_null(cm_tz_load("Nowhere/Else", NULL, 0));
    if (saved) {
        setenv("TZDIR", saved, 1);
        free(saved);
    }
}

static void test_tzdir_env(void **state)
{
    tzdir *d = *state;
    char err[256];
    assert_null(cm_tz_load("Europe/Copenhagen", err, sizeof err));
    char want[256];
    snprintf(want, sizeof want, "unknown time zone \"Europe/Copenhagen\" (no such file in %s)",
             d->path);
    assert_string_equal(err, want);
}

/* ------------------------------------------------------------ calendar */

static void test_civil(void **state)
{
    (void)state;
    assert_int_equal(cm_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(cm_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(cm_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(cm_days_from_civil(2000, 2, 29), 11016);
    assert_int_equal(cm_days_from_civil(1600, 1, 1), -135140);
    int y, m, d;
    cm_civil_from_days(11017, &y, &m, &d);
    assert_int_equal(y, 2000);
    assert_int_equal(m, 3);
    assert_int_equal(d, 1);
    cm_civil_from_days(-1, &y, &m, &d);
    assert_int_equal(y, 1969);
    assert_int_equal(m, 12);
    assert_int_equal(d, 31);
    /* round trip over a wide range */
    for (int64_t z = -800000; z <= 800000; z += 7) {
        cm_civil_from_days(z, &y, &m, &d);
        if (cm_days_from_civil(y, m, d) != z)
            fail_msg("civil round trip failed at %lld", (long long)z);
    }
}

static void test_format(void **state)
{
    (void)state;
    char buf[21];
    cm_format_utc(0, buf);
    assert_string_equal(buf, "1970-01-01T00:00:00Z");
    cm_format_utc(-1, buf);
    assert_string_equal(buf, "1969-12-31T23:59:59Z");
    cm_format_utc(951782400, buf);
    assert_string_equal(buf, "2000-02-29T00:00:00Z");
    cm_format_utc(utc_of(2025, 10, 26, 1, 30, 5), buf);
    assert_string_equal(buf, "2025-10-26T01:30:05Z");
}

/* UTC to local around each transition, and back. */
static void test_format_local_transitions(void **state)
{
    (void)state;
    cm_tz *tz = load_ok("Europe/Copenhagen");
    const int64_t sw[] = {utc_of(2025, 3, 30, 1, 0, 0), utc_of(2025, 10, 26, 1, 0, 0),
                          utc_of(2026, 3, 29, 1, 0, 0), utc_of(2026, 10, 25, 1, 0, 0),
                          utc_of(2045, 3, 26, 1, 0, 0), utc_of(2045, 10, 29, 1, 0, 0)};
    expect_local(tz, sw[0] - 1, "2025-03-30T01:59:59");
    expect_local(tz, sw[0], "2025-03-30T03:00:00");
    expect_local(tz, sw[1] - 1, "2025-10-26T02:59:59");
    expect_local(tz, sw[1], "2025-10-26T02:00:00");
    expect_local(tz, sw[2] - 1, "2026-03-29T01:59:59");
    expect_local(tz, sw[2], "2026-03-29T03:00:00");
    expect_local(tz, sw[3] - 1, "2026-10-25T02:59:59");
    expect_local(tz, sw[3], "2026-10-25T02:00:00");
    for (size_t i = 0; i < sizeof sw / sizeof sw[0]; i++) {
        for (int64_t u = sw[i] - 7200; u <= sw[i] + 7200; u += 1) {
            char loc[20];
            cm_format_local(tz, u, loc);
            int y, mo, d, h, mi, s;
            assert_int_equal(sscanf(loc, "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &s), 6);
            int64_t a, b;
            cm_time_result r = cm_tz_local_to_utc(tz, y, mo, d, h, mi, s, &a, &b);
            assert_true(r == CM_TIME_UNIQUE || r == CM_TIME_AMBIGUOUS);
            assert_true(a == u || b == u);
            if (r == CM_TIME_AMBIGUOUS)
                assert_int_equal(b - a, 3600);
        }
    }
    cm_tz_free(tz);
}

/* ------------------------------------------------------------ footer rules */

/* Jn: 1..365, February 29 never counted. */
static void test_footer_julian1(void **state)
{
    tzdir *d = *state;
    const int32_t offs[] = {3600};
    write_tzif(d, "J1", 2, 0, NULL, NULL, 1, offs, "XST-1XDT,J60/2,J300/3");
    cm_tz *tz = load_ok("J1");
    /* 2024 is a leap year: J60 is still March 1, J300 October 27 */
    expect_switch(tz, utc_of(2024, 3, 1, 1, 0, 0), 3600, 7200);
    expect_switch(tz, utc_of(2024, 10, 27, 1, 0, 0), 7200, 3600);
    expect_switch(tz, utc_of(2025, 3, 1, 1, 0, 0), 3600, 7200);
    expect_switch(tz, utc_of(2025, 10, 27, 1, 0, 0), 7200, 3600);
    expect_gap(tz, 2024, 3, 1, 2, 30, 0);
    expect_ambiguous(tz, 2024, 10, 27, 2, 30, 0, "2024-10-27T00:30:00Z", "2024-10-27T01:30:00Z");
    cm_tz_free(tz);
}

/* n: 0..365, February 29 counted. */
static void test_footer_julian0(void **state)
{
    tzdir *d = *state;
    const int32_t offs[] = {3600};
    write_tzif(d, "J0", 2, 0, NULL, NULL, 1, offs, "XST-1XDT,59/2,299/3");
    cm_tz *tz = load_ok("J0");
    expect_switch(tz, utc_of(2024, 2, 29, 1, 0, 0), 3600, 7200);
    expect_switch(tz, utc_of(2024, 10, 26, 1, 0, 0), 7200, 3600);
    expect_switch(tz, utc_of(2025, 3, 1, 1, 0, 0), 3600, 7200);
    expect_switch(tz, utc_of(2025, 10, 27, 1, 0, 0), 7200, 3600);
    cm_tz_free(tz);
}

/* Mm.w.d with a default time, week 2 and 1, an explicit DST offset with
 * minutes, a negative /time and one beyond 24 hours. */
static void test_footer_mwd_forms(void **state)
{
    tzdir *d = *state;
    const int32_t offs[] = {-18000};
    write_tzif(d, "US", 2, 0, NULL, NULL, 1, offs, "EST5EDT,M3.2.0,M11.1.0");
    cm_tz *tz = load_ok("US");
    /* 2025: second Sunday in March = 9th, first Sunday in November = 2nd */
    expect_switch(tz, utc_of(2025, 3, 9, 7, 0, 0), -18000, -14400);
    expect_switch(tz, utc_of(2025, 11, 2, 6, 0, 0), -14400, -18000);
    expect_gap(tz, 2025, 3, 9, 2, 30, 0);
    expect_ambiguous(tz, 2025, 11, 2, 1, 30, 0, "2025-11-02T05:30:00Z", "2025-11-02T06:30:00Z");
    cm_tz_free(tz);

    const int32_t offs2[] = {-7200};
    write_tzif(d, "Neg", 2, 0, NULL, NULL, 1, offs2, "<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
    tz = load_ok("Neg");
    /* -1:00 on Sunday 2025-03-30 = Saturday 23:00 at -02 = 01:00Z */
    expect_switch(tz, utc_of(2025, 3, 30, 1, 0, 0), -7200, -3600);
    expect_switch(tz, utc_of(2025, 10, 26, 1, 0, 0), -3600, -7200);
    expect_gap(tz, 2025, 3, 29, 23, 30, 0);
    expect_ambiguous(tz, 2025, 10, 25, 23, 30, 0, "2025-10-26T00:30:00Z", "2025-10-26T01:30:00Z");
    cm_tz_free(tz);

    const int32_t offs3[] = {-10800};
    write_tzif(d, "Long", 2, 0, NULL, NULL, 1, offs3, "<-03>3<-0230>2:30,M3.1.0/26,M10.1.6/-2:30");
    tz = load_ok("Long");
    /* start: Sunday 2025-03-02 + 26h = Monday 03-03 02:00 at -03 = 05:00Z;
     * end: first Saturday in October (10-04) - 2:30 = 10-03 21:30 at -02:30 = 10-04 00:00Z */
    expect_switch(tz, utc_of(2025, 3, 3, 5, 0, 0), -10800, -9000);
    expect_switch(tz, utc_of(2025, 10, 4, 0, 0, 0), -9000, -10800);
    cm_tz_free(tz);
}

/* DST all year: "EST5EDT,0/0,J365/25" (RFC 8536 3.3.1). */
static void test_footer_all_year_dst(void **state)
{
    tzdir *d = *state;
    const int32_t offs[] = {-14400};
    write_tzif(d, "Always", 2, 0, NULL, NULL, 1, offs, "EST5EDT,0/0,J365/25");
    cm_tz *tz = load_ok("Always");
    for (int y = 2020; y <= 2030; y++) {
        assert_int_equal(cm_tz_offset_at(tz, utc_of(y, 1, 1, 0, 0, 0) - 1), -14400);
        assert_int_equal(cm_tz_offset_at(tz, utc_of(y, 1, 1, 4, 0, 0)), -14400);
        assert_int_equal(cm_tz_offset_at(tz, utc_of(y, 1, 1, 5, 0, 0)), -14400);
        assert_int_equal(cm_tz_offset_at(tz, utc_of(y, 7, 1, 0, 0, 0)), -14400);
    }
    expect_unique(tz, 2025, 1, 1, 0, 0, 0, "2025-01-01T04:00:00Z");
    expect_unique(tz, 2024, 12, 31, 23, 59, 59, "2025-01-01T03:59:59Z");
    cm_tz_free(tz);
}

/* Southern hemisphere: DST across the new year. */
static void test_footer_southern(void **state)
{
    tzdir *d = *state;
    const int32_t offs[] = {36000};
    write_tzif(d, "South", 2, 0, NULL, NULL, 1, offs, "AEST-10AEDT,M10.1.0,M4.1.0/3");
    cm_tz *tz = load_ok("South");
    /* 2025-04-06 03:00 AEDT = 04-05 16:00Z; 2025-10-05 02:00 AEST = 10-04 16:00Z */
    expect_switch(tz, utc_of(2025, 4, 5, 16, 0, 0), 39600, 36000);
    expect_switch(tz, utc_of(2025, 10, 4, 16, 0, 0), 36000, 39600);
    assert_int_equal(cm_tz_offset_at(tz, utc_of(2025, 1, 1, 0, 0, 0)), 39600);
    assert_int_equal(cm_tz_offset_at(tz, utc_of(2025, 12, 31, 13, 0, 0)), 39600);
    assert_int_equal(cm_tz_offset_at(tz, utc_of(2025, 12, 31, 13, 0, 0)), 39600);
    assert_int_equal(cm_tz_offset_at(tz, utc_of(2025, 7, 1, 0, 0, 0)), 36000);
    expect_ambiguous(tz, 2025, 4, 6, 2, 30, 0, "2025-04-05T15:30:00Z", "2025-04-05T16:30:00Z");
    expect_gap(tz, 2025, 10, 5, 2, 30, 0);
    cm_tz_free(tz);
}

/* A slim file (transitions until 2025, footer after) and a v1 file. */
static void test_tzif_versions(void **state)
{
    tzdir *d = *state;
    const int64_t trans[] = {utc_of(2024, 3, 31, 1, 0, 0), utc_of(2024, 10, 27, 1, 0, 0),
                             utc_of(2025, 3, 30, 1, 0, 0), utc_of(2025, 10, 26, 1, 0, 0)};
    const uint8_t idx[] = {1, 0, 1, 0};
    const int32_t offs[] = {3600, 7200};
    write_tzif(d, "Slim", 3, 4, trans, idx, 2, offs, "CET-1CEST,M3.5.0,M10.5.0/3");
    write_tzif(d, "V1", 1, 4, trans, idx, 2, offs, "");
    write_tzif(d, "NoFooter", 3, 4, trans, idx, 2, offs, "");
    cm_tz *slim = load_ok("Slim"), *v1 = load_ok("V1"), *nf = load_ok("NoFooter");
    expect_switch(slim, trans[0], 3600, 7200);
    expect_switch(slim, trans[3], 7200, 3600);
    expect_switch(slim, utc_of(2026, 3, 29, 1, 0, 0), 3600, 7200);
    expect_switch(slim, utc_of(2026, 10, 25, 1, 0, 0), 7200, 3600);
    expect_ambiguous(slim, 2026, 10, 25, 2, 30, 0, "2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z");
    expect_ambiguous(slim, 2025, 10, 26, 2, 30, 0, "2025-10-26T00:30:00Z", "2025-10-26T01:30:00Z");
    expect_gap(slim, 2026, 3, 29, 2, 30, 0);
    expect_switch(v1, trans[1], 7200, 3600);
    expect_switch(v1, trans[2], 3600, 7200);
    expect_gap(v1, 2025, 3, 30, 2, 30, 0);
    /* without a footer the last offset holds */
    assert_int_equal(cm_tz_offset_at(v1, utc_of(2026, 7, 1, 0, 0, 0)), 3600);
    assert_int_equal(cm_tz_offset_at(nf, utc_of(2026, 7, 1, 0, 0, 0)), 3600);
    assert_int_equal(cm_tz_offset_at(nf, utc_of(2000, 7, 1, 0, 0, 0)), 3600); /* type 0 */
    cm_tz_free(slim);
    cm_tz_free(v1);
    cm_tz_free(nf);

    char err[256];
    write_tzif(d, "BadFooter", 3, 4, trans, idx, 2, offs, "CET-1CEST,M13.5.0,M10.5.0/3");
    assert_null(cm_tz_load("BadFooter", err, sizeof err));
    assert_non_null(strstr(err, "\"BadFooter\""));
    assert_non_null(strstr(err, "TZ string"));

    /* a truncated file */
    char path[128];
    snprintf(path, sizeof path, "%s/Short", d->path);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite("TZif2", 1, 5, f);
    fclose(f);
    assert_null(cm_tz_load("Short", err, sizeof err));
    assert_non_null(strstr(err, "\"Short\""));
}

/* ------------------------------------------------------------ libc oracle */

/* Offsets against glibc's localtime_r over 1970-2200 for zones with odd
 * rules (negative DST, 30-minute DST, southern hemisphere, v3 footers). */
static void test_against_libc(void **state)
{
    (void)state;
    static const char *zones[] = {
        "Europe/Copenhagen", "America/New_York", "America/Nuuk",    "Australia/Sydney",
        "Australia/Lord_Howe", "Pacific/Chatham", "Asia/Kolkata",   "Asia/Tehran",
        "Europe/Dublin",     "America/Santiago", "Antarctica/Troll", "Africa/Casablanca",
        "Asia/Gaza",         "America/Sao_Paulo", "Pacific/Apia",   "America/Godthab",
    };
    const char *old = getenv("TZDIR");
    char *saved_dir = old ? strdup(old) : NULL;
    old = getenv("TZ");
    char *saved_tz = old ? strdup(old) : NULL;
    unsetenv("TZDIR");
    int checked = 0;
    for (size_t z = 0; z < sizeof zones / sizeof zones[0]; z++) {
        char err[256];
        cm_tz *tz = cm_tz_load(zones[z], err, sizeof err);
        if (!tz) /* not in every tzdata */
            continue;
        setenv("TZ", zones[z], 1);
        tzset();
        const int64_t from = 0, to = utc_of(2200, 1, 1, 0, 0, 0);
        for (int64_t u = from; u < to; u += 86400 * 3 + 4567) {
            const time_t t = (time_t)u;
            struct tm tm;
            assert_non_null(localtime_r(&t, &tm));
            if (cm_tz_offset_at(tz, u) != tm.tm_gmtoff) {
                char buf[21];
                cm_format_utc(u, buf);
                fail_msg("%s at %s: %d, libc %ld", zones[z], buf, cm_tz_offset_at(tz, u),
                         tm.tm_gmtoff);
            }
            /* and the wall time maps back to u */
            int64_t a, b;
            cm_time_result r = cm_tz_local_to_utc(tz, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                                                  tm.tm_hour, tm.tm_min, tm.tm_sec, &a, &b);
            assert_true(r == CM_TIME_UNIQUE || r == CM_TIME_AMBIGUOUS);
            assert_true(a == u || b == u);
            checked++;
        }
        cm_tz_free(tz);
    }
    if (saved_tz) {
        setenv("TZ", saved_tz, 1);
        free(saved_tz);
    } else {
        unsetenv("TZ");
    }
    tzset();
    if (saved_dir) {
        setenv("TZDIR", saved_dir, 1);
        free(saved_dir);
    }
    assert_true(checked > 100000);
}

/* The solutions of local_to_utc, checked by brute force around every
 * transition of a few zones in 2020-2050. */
static void test_local_to_utc_brute(void **state)
{
    (void)state;
    static const char *zones[] = {"Europe/Copenhagen", "Australia/Lord_Howe", "Europe/Dublin",
                                  "America/Santiago"};
    for (size_t z = 0; z < sizeof zones / sizeof zones[0]; z++) {
        cm_tz *tz = load_ok(zones[z]);
        const int64_t to = utc_of(2050, 1, 1, 0, 0, 0);
        for (int64_t u = utc_of(2020, 1, 1, 0, 0, 0); u < to; u += 3600) {
            if (cm_tz_offset_at(tz, u) == cm_tz_offset_at(tz, u + 3600))
                continue;
            /* a transition in (u, u + 3600]: check wall times around it */
            for (int64_t w = u - 3 * 3600; w <= u + 6 * 3600; w += 900) {
                int64_t days = w >= 0 ? w / 86400 : -((-w + 86399) / 86400);
                int y, mo, d;
                cm_civil_from_days(days, &y, &mo, &d);
                int64_t sod = w - days * 86400;
                int n = 0;
                int64_t lo = 0, hi = 0;
                for (int64_t c = w - 14 * 3600; c <= w + 14 * 3600; c += 900) {
                    if (c + cm_tz_offset_at(tz, c) == w) {
                        if (n == 0)
                            lo = c;
                        hi = c;
                        n++;
                    }
                }
                int64_t a = 0, b = 0;
                cm_time_result r = cm_tz_local_to_utc(tz, y, mo, d, (int)(sod / 3600),
                                                      (int)(sod / 60 % 60), (int)(sod % 60), &a, &b);
                assert_int_equal((int)r, n > 2 ? 2 : n);
                if (n) {
                    assert_true(a == lo);
                    assert_true(b == hi);
                }
            }
            u += 3600;
        }
        cm_tz_free(tz);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cph_spring_2025),
        cmocka_unit_test(test_cph_autumn_2025),
        cmocka_unit_test(test_cph_2026),
        cmocka_unit_test(test_cph_winter_summer),
        cmocka_unit_test(test_cph_2045_footer),
        cmocka_unit_test(test_utc_zone),
        cmocka_unit_test(test_invalid_dates),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test_setup_teardown(test_tzdir_env, tzdir_setup, tzdir_teardown),
        cmocka_unit_test(test_civil),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_format_local_transitions),
        cmocka_unit_test_setup_teardown(test_footer_julian1, tzdir_setup, tzdir_teardown),
        cmocka_unit_test_setup_teardown(test_footer_julian0, tzdir_setup, tzdir_teardown),
        cmocka_unit_test_setup_teardown(test_footer_mwd_forms, tzdir_setup, tzdir_teardown),
        cmocka_unit_test_setup_teardown(test_footer_all_year_dst, tzdir_setup, tzdir_teardown),
        cmocka_unit_test_setup_teardown(test_footer_southern, tzdir_setup, tzdir_teardown),
        cmocka_unit_test_setup_teardown(test_tzif_versions, tzdir_setup, tzdir_teardown),
        cmocka_unit_test(test_against_libc),
        cmocka_unit_test(test_local_to_utc_brute),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
