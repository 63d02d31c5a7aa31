/* Unit tests of core/phone.c: normalisation to E.164 and classification. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "phone.h"

typedef struct phone_case {
    const char *raw;
    const char *ext_prefix;
    int ext_len;
    const char *out;       /* expected output */
    cm_number_type type;
    const char *why;       /* expected reason (CM_NUM_UNKNOWN), else NULL */
} phone_case;

#define DK_EXT "+453366"
#define UNK CM_NUM_UNKNOWN
#define NOT01 "Danish numbers do not start with 0 or 1"
#define FEW "too few digits for a Danish number"

static const phone_case CASES[] = {
    /* Danish numbers in every notation */
    {"+4533663366", NULL, 0, "+4533663366", CM_NUM_NATIONAL, NULL},
    {"+45 33 66 33 66", NULL, 0, "+4533663366", CM_NUM_NATIONAL, NULL},
    {"0045 33 66 33 66", NULL, 0, "+4533663366", CM_NUM_NATIONAL, NULL},
    {"004533663366", NULL, 0, "+4533663366", CM_NUM_NATIONAL, NULL},
    {"4533663366", NULL, 0, "+4533663366", CM_NUM_NATIONAL, NULL},
    {"33663366", NULL, 0, "+4533663366", CM_NUM_NATIONAL, NULL},
    {"  33 66-33.66 ", NULL, 0, "+4533663366", CM_NUM_NATIONAL, NULL},
    {"(+45) 33/66 33 66", NULL, 0, "+4533663366", CM_NUM_NATIONAL, NULL},
    {"\t+45-3366-3366\n", NULL, 0, "+4533663366", CM_NUM_NATIONAL, NULL},
    {"033663366", NULL, 0, "+4533663366", CM_NUM_NATIONAL, NULL},     /* outside line 0 */
    {"20123456", NULL, 0, "+4520123456", CM_NUM_NATIONAL, NULL},      /* "mobile" range */
    {"+4561234567", NULL, 0, "+4561234567", CM_NUM_NATIONAL, NULL},
    {"33663366", DK_EXT, 4, "+4533663366", CM_NUM_NATIONAL, NULL},    /* not an extension */
    /* special ranges */
    {"+45 80 20 20 20", NULL, 0, "+4580202020", CM_NUM_SPECIAL, NULL},
    {"80202020", NULL, 0, "+4580202020", CM_NUM_SPECIAL, NULL},
    {"90123456", NULL, 0, "+4590123456", CM_NUM_SPECIAL, NULL},
    {"70121212", NULL, 0, "+4570121212", CM_NUM_SPECIAL, NULL},
    {"0070121212", NULL, 0, "+70121212", CM_NUM_INTERNATIONAL, NULL}, /* 00 + 7...: Russia */
    {"0045 70 12 12 12", NULL, 0, "+4570121212", CM_NUM_SPECIAL, NULL},
    {"4590123456", NULL, 0, "+4590123456", CM_NUM_SPECIAL, NULL},
    {"070121212", NULL, 0, "+4570121212", CM_NUM_SPECIAL, NULL},
    /* invalid national numbers */
    {"12345678", NULL, 0, "12345678", UNK, NOT01},
    {"01234567", NULL, 0, "01234567", UNK, NOT01},
    {"+4512345678", NULL, 0, "+4512345678", UNK, NOT01},
    {"4501234567", NULL, 0, "4501234567", UNK, NOT01},
    {"012345678", NULL, 0, "012345678", UNK, NOT01},
    {"3366336", NULL, 0, "3366336", UNK, FEW},
    {"+45 3366 336", NULL, 0, "+45 3366 336", UNK, FEW},
    {"336633661", NULL, 0, "336633661", UNK, "too many digits"},
    {"+45336633661", NULL, 0, "+45336633661", UNK, "too many digits"},
    {"5533663366", NULL, 0, "5533663366", UNK, "too many digits"},
    {"12345", NULL, 0, "12345", UNK, FEW},
    /* short numbers */
    {"112", NULL, 0, "112", CM_NUM_SHORT, NULL},
    {"114", NULL, 0, "114", CM_NUM_SHORT, NULL},
    {"118", NULL, 0, "118", CM_NUM_SHORT, NULL},
    {"116111", NULL, 0, "116111", CM_NUM_SHORT, NULL},
    {"116000", NULL, 0, "116000", CM_NUM_SHORT, NULL},
    {"116006", NULL, 0, "116006", CM_NUM_SHORT, NULL},
    {"116999", NULL, 0, "116999", CM_NUM_SHORT, NULL},
    {"1813", NULL, 0, "1813", CM_NUM_SHORT, NULL},
    {"1801", NULL, 0, "1801", CM_NUM_SHORT, NULL},
    {"1810", NULL, 0, "1810", CM_NUM_SHORT, NULL},
    {"1812", NULL, 0, "1812", CM_NUM_SHORT, NULL},
    {"1818", NULL, 0, "1818", CM_NUM_SHORT, NULL},
    {"1828", NULL, 0, "1828", CM_NUM_SHORT, NULL},
    {"1830", NULL, 0, "1830", CM_NUM_SHORT, NULL},
    {"1851", NULL, 0, "1851", CM_NUM_SHORT, NULL},
    {"1853", NULL, 0, "1853", CM_NUM_SHORT, NULL},
    {"1881", NULL, 0, "1881", CM_NUM_SHORT, NULL},
    {"1888", NULL, 0, "1888", CM_NUM_SHORT, NULL},
    {"1899", NULL, 0, "1899", CM_NUM_SHORT, NULL},  /* any other 18xx */
    {"16190", NULL, 0, "16190", CM_NUM_SHORT, NULL},
    {"16191", NULL, 0, "16191", CM_NUM_SHORT, NULL},
    {"16192", NULL, 0, "16192", CM_NUM_SHORT, NULL},
    {"16193", NULL, 0, "16193", UNK, FEW},
    {"1161", NULL, 0, "1161", UNK, FEW},
    {"11611", NULL, 0, "11611", UNK, FEW},
    {"113", NULL, 0, "113", UNK, FEW},
    {"18", NULL, 0, "18", UNK, FEW},
    {"180", NULL, 0, "180", UNK, FEW},
    {"18011", NULL, 0, "18011", UNK, FEW},
    {"+45112", NULL, 0, "112", CM_NUM_SHORT, NULL},
    {"0045 1813", NULL, 0, "1813", CM_NUM_SHORT, NULL},
    {"+45 116 111", NULL, 0, "116111", CM_NUM_SHORT, NULL},
    {"tel:112", NULL, 0, "112", CM_NUM_SHORT, NULL},
    /* the short table wins over extensions of the same length */
    {"1813", DK_EXT, 4, "1813", CM_NUM_SHORT, NULL},
    {"112", DK_EXT, 3, "112", CM_NUM_SHORT, NULL},
    {"116111", DK_EXT, 6, "116111", CM_NUM_SHORT, NULL},
    /* international */
    {"+46701234567", NULL, 0, "+46701234567", CM_NUM_INTERNATIONAL, NULL},
    {"0046701234567", NULL, 0, "+46701234567", CM_NUM_INTERNATIONAL, NULL},
    {"+46 70 123 45 67", NULL, 0, "+46701234567", CM_NUM_INTERNATIONAL, NULL},
    {"+1 (212) 555-0100", NULL, 0, "+12125550100", CM_NUM_INTERNATIONAL, NULL},
    {"+49123456", NULL, 0, "+49123456", CM_NUM_INTERNATIONAL, NULL},  /* 8 digits */
    {"+4912345", NULL, 0, "+4912345", UNK, "too few digits for an international number"},
    {"+491234", NULL, 0, "+491234", UNK, "too few digits for an international number"},
    {"+123456789012345", NULL, 0, "+123456789012345", CM_NUM_INTERNATIONAL, NULL}, /* 15 */
    {"+1234567890123456", NULL, 0, "+1234567890123456", UNK, "too many digits"},
    {"+0123456789", NULL, 0, "+0123456789", UNK, "no country code after the international prefix"},
    {"000123456789", NULL, 0, "000123456789", UNK, "no country code after the international prefix"},
    {"00", NULL, 0, "00", UNK, "no country code after the international prefix"},
    {"+", NULL, 0, "+", UNK, "no digits"},
    {"46701234567", NULL, 0, "46701234567", UNK, "too many digits"}, /* no prefix: not international */
    /* internal extensions */
    {"4012", DK_EXT, 4, "+4533664012", CM_NUM_INTERNAL, NULL},
    {"4012", NULL, 4, "4012", CM_NUM_INTERNAL, NULL},
    {"4012", "", 4, "4012", CM_NUM_INTERNAL, NULL},
    {"4012", NULL, 0, "4012", UNK, FEW},
    {"4012", DK_EXT, 3, "4012", UNK, FEW},
    {"12345", DK_EXT, 4, "12345", UNK, FEW},
    {"sip:4012@pbx.local", DK_EXT, 4, "+4533664012", CM_NUM_INTERNAL, NULL},
    {"sips:4012@pbx.local;transport=tls", DK_EXT, 4, "+4533664012", CM_NUM_INTERNAL, NULL},
    {"\"Reception\" <sip:4012@10.0.0.1>", DK_EXT, 4, "+4533664012", CM_NUM_INTERNAL, NULL},
    {"012", "+45336640", 3, "+45336640012", CM_NUM_INTERNAL, NULL},
    /* URIs */
    {"sip:+4533663366@pbx.local", NULL, 0, "+4533663366", CM_NUM_NATIONAL, NULL},
    {"SIP:004633663366@trunk.example;user=phone", NULL, 0, "+4633663366", CM_NUM_INTERNATIONAL, NULL},
    {"tel:+45-33-66-33-66;phone-context=+45", NULL, 0, "+4533663366", CM_NUM_NATIONAL, NULL},
    {"<sip:33663366@host>", NULL, 0, "+4533663366", CM_NUM_NATIONAL, NULL},
    {"sip:anonymous@anonymous.invalid", NULL, 0, "hidden", CM_NUM_HIDDEN, NULL},
    {"\"Anonymous\" <sip:anonymous@anonymous.invalid>", NULL, 0, "hidden", CM_NUM_HIDDEN, NULL},
    {"sip:reception@pbx.local", NULL, 0, "sip:reception@pbx.local", UNK, "contains letters"},
    /* hidden */
    {"", NULL, 0, "hidden", CM_NUM_HIDDEN, NULL},
    {"   ", NULL, 0, "hidden", CM_NUM_HIDDEN, NULL},
    {"Anonymous", NULL, 0, "hidden", CM_NUM_HIDDEN, NULL},
    {"ANONYMOUS", NULL, 0, "hidden", CM_NUM_HIDDEN, NULL},
    {"hidden", NULL, 0, "hidden", CM_NUM_HIDDEN, NULL},
    {"Private", NULL, 0, "hidden", CM_NUM_HIDDEN, NULL},
    {"restricted", NULL, 0, "hidden", CM_NUM_HIDDEN, NULL},
    {"Unknown", NULL, 0, "hidden", CM_NUM_HIDDEN, NULL},
    {"unavailable", NULL, 0, "hidden", CM_NUM_HIDDEN, NULL},
    {"Skjult nummer", NULL, 0, "hidden", CM_NUM_HIDDEN, NULL},
    {" skjult ", NULL, 0, "hidden", CM_NUM_HIDDEN, NULL},
    {"UKENDT", NULL, 0, "hidden", CM_NUM_HIDDEN, NULL},
    {"-", NULL, 0, "hidden", CM_NUM_HIDDEN, NULL},
    /* garbage */
    {"abc", NULL, 0, "abc", UNK, "contains letters"},
    {"3366 3366 lok. 12", NULL, 0, "3366 3366 lok. 12", UNK, "contains letters"},
    {"Skjult nummer!", NULL, 0, "Skjult nummer!", UNK, "contains letters"},
    {"*21#", NULL, 0, "*21#", UNK, "contains characters other than digits"},
    {"33+663366", NULL, 0, "33+663366", UNK, "contains characters other than digits"},
    {"1234567890123456789012345678901234567890", NULL, 0,
     "1234567890123456789012345678901234567890", UNK, "too many digits"},
};

static void test_table(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        const phone_case *c = &CASES[i];
        char out[64];
        memset(out, 'x', sizeof out);
        const char *why = "unset";
        cm_number_type t = cm_number_normalize(c->raw, c->ext_prefix, c->ext_len, out, sizeof out, &why);
        const int ok = t == c->type && strcmp(out, c->out) == 0 &&
                       (c->type == UNK ? why && c->why && strcmp(why, c->why) == 0 : why == NULL);
        if (!ok) {
            print_error("case %zu \"%s\" (ext %s/%d): got %s \"%s\" why=%s, want %s \"%s\" why=%s\n",
                        i, c->raw, c->ext_prefix ? c->ext_prefix : "NULL", c->ext_len,
                        cm_number_type_name(t), out, why ? why : "NULL",
                        cm_number_type_name(c->type), c->out, c->why ? c->why : "NULL");
            failures++;
        }
        /* why may be NULL */
        char out2[64];
        assert_int_equal(cm_number_normalize(c->raw, c->ext_prefix, c->ext_len, out2, sizeof out2, NULL),
                         t);
        assert_string_equal(out2, out);
    }
    assert_int_equal(failures, 0);
}

static void test_null_raw(void **state)
{
    (void)state;
    char out[16];
    assert_int_equal(cm_number_normalize(NULL, NULL, 0, out, sizeof out, NULL), CM_NUM_HIDDEN);
    assert_string_equal(out, "hidden");
}

static void test_small_buffer(void **state)
{
    (void)state;
    char out[12];
    const char *why = NULL;
    /* "+4533663366" needs exactly 12 bytes */
    assert_int_equal(cm_number_normalize("33663366", NULL, 0, out, 12, &why), CM_NUM_NATIONAL);
    assert_string_equal(out, "+4533663366");
    assert_null(why);
    assert_int_equal(cm_number_normalize("33663366", NULL, 0, out, 11, &why), CM_NUM_UNKNOWN);
    assert_string_equal(why, "number too long");
    assert_string_equal(out, "33663366"); /* the raw value */
    assert_int_equal(cm_number_normalize("0045 33 66 33 66", NULL, 0, out, 8, &why), CM_NUM_UNKNOWN);
    assert_string_equal(why, "number too long");
    assert_string_equal(out, "0045 33");
    assert_int_equal(cm_number_normalize("4012", DK_EXT, 4, out, 11, &why), CM_NUM_UNKNOWN);
    assert_string_equal(why, "number too long");
    assert_string_equal(out, "4012");
    assert_int_equal(cm_number_normalize("abcdefghijklmnop", NULL, 0, out, 5, &why), CM_NUM_UNKNOWN);
    assert_string_equal(why, "contains letters");
    assert_string_equal(out, "abcd");
    assert_int_equal(cm_number_normalize("Anonymous", NULL, 0, out, 6, &why), CM_NUM_UNKNOWN);
    assert_string_equal(why, "number too long");
    assert_int_equal(cm_number_normalize("abc", NULL, 0, out, 0, &why), CM_NUM_UNKNOWN);
}

static void test_type_names(void **state)
{
    (void)state;
    assert_string_equal(cm_number_type_name(CM_NUM_UNKNOWN), "unknown");
    assert_string_equal(cm_number_type_name(CM_NUM_NATIONAL), "national");
    assert_string_equal(cm_number_type_name(CM_NUM_MOBILE), "mobile");
    assert_string_equal(cm_number_type_name(CM_NUM_FIXED), "fixed");
    assert_string_equal(cm_number_type_name(CM_NUM_SPECIAL), "special");
    assert_string_equal(cm_number_type_name(CM_NUM_SHORT), "short");
    assert_string_equal(cm_number_type_name(CM_NUM_INTERNATIONAL), "international");
    assert_string_equal(cm_number_type_name(CM_NUM_HIDDEN), "hidden");
    assert_string_equal(cm_number_type_name(CM_NUM_INTERNAL), "internal");
    assert_string_equal(cm_number_type_name((cm_number_type)99), "unknown");
    assert_string_equal(cm_number_type_name((cm_number_type)-5), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_null_raw),
        cmocka_unit_test(test_small_buffer),
        cmocka_unit_test(test_type_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
