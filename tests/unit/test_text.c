/* Text helpers: UTF-8, Danish decimals and dates, CVR and EAN check digits,
 * and recoding Windows-1252 / ISO-8859-1 input to UTF-8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "recode.h"
#include "text.h"

static void test_utf8(void **state)
{
    (void)state;
    assert_true(cm_utf8_valid("Beløb", strlen("Beløb")));
    assert_true(cm_utf8_valid("", 0));
    assert_false(cm_utf8_valid("Bel\xf8" "b", 4));        /* Windows-1252 ø */
    assert_false(cm_utf8_valid("\xc3", 1));               /* cut short */
    assert_false(cm_utf8_valid("\xc0\xaf", 2));           /* overlong '/' */
    assert_false(cm_utf8_valid("\xed\xa0\x80", 3));       /* a surrogate */
    assert_true(cm_utf8_valid("\xf0\x9f\x93\x9e", 4));    /* a telephone receiver */
}

static void test_decimal(void **state)
{
    (void)state;
    double v;
    assert_int_equal(cm_parse_decimal("1.234,50", 1, &v), 0);
    assert_true(v == 1234.5);
    assert_int_equal(cm_parse_decimal(" -12,5 ", 1, &v), 0);
    assert_true(v == -12.5);
    assert_int_equal(cm_parse_decimal("0,01", 1, &v), 0);
    assert_true(v == 0.01);
    assert_int_equal(cm_parse_decimal("1234.50", 0, &v), 0);
    assert_true(v == 1234.5);
    assert_int_equal(cm_parse_decimal("1,234.50", 0, &v), 0);
    assert_true(v == 1234.5);
    assert_int_equal(cm_parse_decimal("12", 1, &v), 0);
    assert_true(v == 12);
    assert_int_equal(cm_parse_decimal("", 1, &v), -1);
    assert_int_equal(cm_parse_decimal("1,2,3", 1, &v), -1);
    assert_int_equal(cm_parse_decimal("12 kr", 1, &v), -1);
    assert_int_equal(cm_parse_decimal("abc", 1, &v), -1);
    assert_int_equal(cm_parse_decimal(".5", 1, &v), -1); /* a group mark needs digits before */
}

static void test_date(void **state)
{
    (void)state;
    int y, m, d;
    assert_int_equal(cm_parse_date("03-03-2025", "dd-mm-yyyy", &y, &m, &d), 0);
    assert_int_equal(y * 10000 + m * 100 + d, 20250303);
    assert_int_equal(cm_parse_date("2024-02-29", "yyyy-mm-dd", &y, &m, &d), 0);
    assert_int_equal(cm_parse_date("29.02.2025", "dd.mm.yyyy", &y, &m, &d), -1); /* not a leap year */
    assert_int_equal(cm_parse_date("31-04-2025", "dd-mm-yyyy", &y, &m, &d), -1);
    assert_int_equal(cm_parse_date("3-3-2025", "dd-mm-yyyy", &y, &m, &d), -1);
    assert_int_equal(cm_parse_date("03-03-2025 ", "dd-mm-yyyy", &y, &m, &d), -1);
    assert_int_equal(cm_parse_date("2025/03/03", "yyyy-mm-dd", &y, &m, &d), -1);
}

static void test_cvr(void **state)
{
    (void)state;
    assert_true(cm_cvr_valid("64942212"));  /* Københavns Kommune */
    assert_false(cm_cvr_valid("64942213"));
    assert_false(cm_cvr_valid("6494221"));
    assert_false(cm_cvr_valid("DK64942212"));
    assert_false(cm_cvr_valid(NULL));
}

static void test_ean(void **state)
{
    (void)state;
    assert_true(cm_ean_valid("5798009811578"));
    assert_true(cm_ean_valid("5798000416604"));
    assert_false(cm_ean_valid("5798009811579"));
    assert_false(cm_ean_valid("579800981157"));
    assert_false(cm_ean_valid("57980098115x8"));
}

typedef struct src {
    const char *data;
    size_t len, pos, chunk;
} src;

static long read_src(void *ctx, void *buf, size_t n)
{
    src *s = ctx;
    size_t k = s->len - s->pos;
    if (k > n)
        k = n;
    if (k > s->chunk)
        k = s->chunk;
    memcpy(buf, s->data + s->pos, k);
    s->pos += k;
    return (long)k;
}

/* Convert all of data, reading `chunk` raw bytes and asking for `ask` at a time. */
static size_t recode_all(const char *enc, const char *data, size_t chunk, size_t ask, char *out,
                         int64_t *bad)
{
    cm_recode *r = cm_recode_new(enc);
    assert_non_null(r);
    src s = {data, strlen(data), 0, chunk};
    size_t n = 0;
    long got;
    *bad = 0;
    while ((got = cm_recode_read(r, read_src, &s, out + n, ask, bad)) > 0)
        n += (size_t)got;
    assert_int_equal(got, 0);
    out[n] = '\0';
    cm_recode_free(r);
    return n;
}

static void test_recode(void **state)
{
    (void)state;
    char out[256];
    int64_t bad;
    /* "Beløb;Indgående;€" in Windows-1252 */
    const char *w1252 = "Bel\xf8" "b;Indg\xe5" "ende;\x80";
    recode_all("WINDOWS-1252", w1252, 1000, 100, out, &bad);
    assert_string_equal(out, "Beløb;Indgående;€");
    assert_int_equal(bad, 0);
    /* tiny reads and tiny asks give the same text */
    recode_all("WINDOWS-1252", w1252, 1, 1, out, &bad);
    assert_string_equal(out, "Beløb;Indgående;€");
    recode_all("ISO-8859-1", "\xe6\xf8\xe5", 2, 3, out, &bad);
    assert_string_equal(out, "æøå");
    /* 0x81 is not defined in Windows-1252: U+FFFD, counted */
    recode_all("WINDOWS-1252", "a\x81" "b", 1000, 100, out, &bad);
    assert_string_equal(out, "a\xef\xbf\xbd" "b");
    assert_int_equal(bad, 1);
    assert_true(cm_encoding_known("WINDOWS-1252"));
    assert_false(cm_encoding_known("KLINGON-1"));
    assert_null(cm_recode_new("KLINGON-1"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8),  cmocka_unit_test(test_decimal), cmocka_unit_test(test_date),
        cmocka_unit_test(test_cvr),   cmocka_unit_test(test_ean),     cmocka_unit_test(test_recode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
