/* Unit tests of core/options.c: converting a pipeline step's <option>
 * elements into a kind's config struct, the messages for every problem, and
 * the table printed by `callmap plugins show`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "options.h"
#include "util.h"

typedef struct sample_cfg {
    const char *name;
    int64_t count;
    double ratio;
    int flag;
    const char *path; /* required */
    const char *label; /* no default */
    int64_t limit;     /* no default */
} sample_cfg;

static const cm_option_def OPTS[] = {
    {"name", CM_OPT_STRING, "anon", 0, offsetof(sample_cfg, name), "who it is"},
    {"count", CM_OPT_INT, "10", 0, offsetof(sample_cfg, count), "how many"},
    {"ratio", CM_OPT_DOUBLE, "0.25", 0, offsetof(sample_cfg, ratio), "a fraction"},
    {"flag", CM_OPT_BOOL, "yes", 0, offsetof(sample_cfg, flag), "on or off"},
    {"path", CM_OPT_STRING, NULL, 1, offsetof(sample_cfg, path), "where the files are"},
    {"label", CM_OPT_STRING, NULL, 0, offsetof(sample_cfg, label), "a label"},
    {"limit", CM_OPT_INT, NULL, 0, offsetof(sample_cfg, limit), "an upper bound"},
    {0},
};

#define VALID "name, count, ratio, flag, path, label, limit"
#define FILE_ "pipes/p.xml"
#define WHAT "source 'x' (demo/lines)"

/* A step built by hand: options from name/value pairs at lines 11, 12, ... */
typedef struct step_buf {
    cm_pl_step step;
    cm_pl_option opts[16];
} step_buf;

static void make_step(step_buf *b, long line, size_t n, const char *const *nv)
{
    memset(b, 0, sizeof *b);
    b->step.type = CM_STEP_SOURCE;
    b->step.line = line;
    for (size_t i = 0; i < n; i++) {
        b->opts[i].name = (char *)nv[2 * i];
        b->opts[i].value = (char *)nv[2 * i + 1];
        b->opts[i].line = line + 1 + (long)i;
    }
    b->step.options = b->opts;
    b->step.noptions = n;
}

static void test_check_table(void **state)
{
    (void)state;
    assert_null(cm_options_check_table(OPTS, sizeof(sample_cfg)));
    assert_null(cm_options_check_table(NULL, 0));
    char *why = cm_options_check_table(OPTS, offsetof(sample_cfg, limit) + 4);
    char want[128];
    snprintf(want, sizeof want, "option 'limit' lies outside the config struct (%zu bytes)",
             offsetof(sample_cfg, limit) + 4);
    assert_string_equal(why, want);
    free(why);
}

static void test_defaults(void **state)
{
    (void)state;
    step_buf b;
    static const char *const nv[] = {"path", "/data"};
    make_step(&b, 10, 1, nv);
    cm_diag d;
    cm_diag_init(&d);
    cm_config c;
    assert_int_equal(cm_options_build(OPTS, sizeof(sample_cfg), &b.step, FILE_, WHAT, &c, &d), 0);
    assert_int_equal(d.n, 0);
    const sample_cfg *cfg = c.data;
    assert_string_equal(cfg->name, "anon");
    assert_int_equal(cfg->count, 10);
    assert_true(cfg->ratio == 0.25);
    assert_int_equal(cfg->flag, 1);
    assert_string_equal(cfg->path, "/data");
    assert_null(cfg->label); /* unset string without default */
    assert_int_equal(cfg->limit, 0);
    /* strings are the host's copies, not the step's */
    assert_ptr_not_equal(cfg->path, nv[1]);
    assert_int_equal(c.nstrings, 2);
    cm_config_free(&c);
    assert_null(c.data);
    assert_null(c.strings);
    assert_int_equal(c.nstrings, 0);
    cm_diag_free(&d);
}

static void test_given_values(void **state)
{
    (void)state;
    step_buf b;
    static const char *const nv[] = {
        "name", "Bob",  "count", "-42", "ratio", "1e-3", "flag", "OFF",
        "path", "/x/y", "label", "",    "limit", "9223372036854775807",
    };
    make_step(&b, 3, 7, nv);
    cm_diag d;
    cm_diag_init(&d);
    cm_config c;
    assert_int_equal(cm_options_build(OPTS, sizeof(sample_cfg), &b.step, FILE_, WHAT, &c, &d), 0);
    assert_int_equal(d.n, 0);
    const sample_cfg *cfg = c.data;
    assert_string_equal(cfg->name, "Bob");
    assert_int_equal(cfg->count, -42);
    assert_true(cfg->ratio == 1e-3);
    assert_int_equal(cfg->flag, 0);
    assert_string_equal(cfg->path, "/x/y");
    assert_string_equal(cfg->label, "");
    assert_true(cfg->limit == INT64_MAX);
    cm_config_free(&c);
    cm_diag_free(&d);
}

static void test_bool_spellings(void **state)
{
    (void)state;
    static const char *const yes[] = {"true", "TRUE", "Yes", "on", "1"};
    static const char *const no[] = {"false", "False", "NO", "off", "0"};
    for (int want = 0; want < 2; want++) {
        const char *const *list = want ? yes : no;
        for (size_t i = 0; i < 5; i++) {
            const char *nv[] = {"path", "p", "flag", list[i]};
            step_buf b;
            make_step(&b, 1, 2, nv);
            cm_diag d;
            cm_diag_init(&d);
            cm_config c;
            assert_int_equal(
                cm_options_build(OPTS, sizeof(sample_cfg), &b.step, FILE_, WHAT, &c, &d), 0);
            assert_int_equal(((const sample_cfg *)c.data)->flag, want);
            cm_config_free(&c);
            cm_diag_free(&d);
        }
    }
}

/* Build with one option and expect exactly one message. */
static void expect_one(const char *opt, const char *value, const char *want)
{
    const char *nv[] = {"path", "p", opt, value};
    step_buf b;
    make_step(&b, 20, 2, nv);
    cm_diag d;
    cm_diag_init(&d);
    cm_config c;
    assert_int_equal(cm_options_build(OPTS, sizeof(sample_cfg), &b.step, FILE_, WHAT, &c, &d), -1);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.msgs[0], want);
    cm_config_free(&c);
    cm_diag_free(&d);
}

static void test_unknown_option(void **state)
{
    (void)state;
    expect_one("x", "1", FILE_ ":22: unknown option 'x' for " WHAT "; valid options: " VALID);
    /* names are case-sensitive */
    expect_one("Name", "1", FILE_ ":22: unknown option 'Name' for " WHAT "; valid options: " VALID);

    /* a kind without options */
    static const char *const nv[] = {"x", "1"};
    step_buf b;
    make_step(&b, 5, 1, nv);
    cm_diag d;
    cm_diag_init(&d);
    cm_config c;
    assert_int_equal(cm_options_build(NULL, 0, &b.step, FILE_, WHAT, &c, &d), -1);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.msgs[0], FILE_ ":6: unknown option 'x' for " WHAT "; valid options: (none)");
    cm_config_free(&c);
    cm_diag_free(&d);

    static const cm_option_def empty[] = {{0}};
    make_step(&b, 5, 1, nv);
    cm_diag_init(&d);
    assert_int_equal(cm_options_build(empty, 0, &b.step, FILE_, WHAT, &c, &d), -1);
    assert_string_equal(d.msgs[0], FILE_ ":6: unknown option 'x' for " WHAT "; valid options: (none)");
    cm_config_free(&c);
    cm_diag_free(&d);
}

static void test_bad_values(void **state)
{
    (void)state;
#define BAD(opt, val, why) \
    FILE_ ":22: option '" opt "' of " WHAT ": '" val "' is not valid: " why
    expect_one("count", "abc", BAD("count", "abc", "expected an integer"));
    expect_one("count", "", BAD("count", "", "expected an integer"));
    expect_one("count", "1.5", BAD("count", "1.5", "expected an integer"));
    expect_one("count", "12 ", BAD("count", "12 ", "expected an integer"));
    expect_one("count", "0x10", BAD("count", "0x10", "expected an integer"));
    expect_one("count", "99999999999999999999", BAD("count", "99999999999999999999", "expected an integer"));
    expect_one("limit", "-9223372036854775809", BAD("limit", "-9223372036854775809", "expected an integer"));
    expect_one("ratio", "abc", BAD("ratio", "abc", "expected a number"));
    expect_one("ratio", "", BAD("ratio", "", "expected a number"));
    expect_one("ratio", "0,5", BAD("ratio", "0,5", "expected a number"));
    expect_one("ratio", "nan", BAD("ratio", "nan", "expected a number"));
    expect_one("ratio", "inf", BAD("ratio", "inf", "expected a number"));
    expect_one("ratio", "1e999", BAD("ratio", "1e999", "expected a number"));
    expect_one("flag", "maybe", BAD("flag", "maybe", "expected true or false"));
    expect_one("flag", "", BAD("flag", "", "expected true or false"));
    expect_one("flag", "2", BAD("flag", "2", "expected true or false"));
    expect_one("flag", "yes ", BAD("flag", "yes ", "expected true or false"));
#undef BAD
}

static void test_bad_value_keeps_default(void **state)
{
    (void)state;
    static const char *const nv[] = {"path", "p", "count", "abc"};
    step_buf b;
    make_step(&b, 1, 2, nv);
    cm_diag d;
    cm_diag_init(&d);
    cm_config c;
    assert_int_equal(cm_options_build(OPTS, sizeof(sample_cfg), &b.step, FILE_, WHAT, &c, &d), -1);
    assert_int_equal(((const sample_cfg *)c.data)->count, 10);
    cm_config_free(&c);
    cm_diag_free(&d);
}

static void test_missing_required(void **state)
{
    (void)state;
    step_buf b;
    make_step(&b, 7, 0, NULL);
    cm_diag d;
    cm_diag_init(&d);
    cm_config c;
    assert_int_equal(cm_options_build(OPTS, sizeof(sample_cfg), &b.step, FILE_, WHAT, &c, &d), -1);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.msgs[0],
                        FILE_ ":7: option 'path' is required for " WHAT " (where the files are)");
    /* the defaults are applied all the same */
    assert_int_equal(((const sample_cfg *)c.data)->count, 10);
    cm_config_free(&c);
    cm_diag_free(&d);

    /* a step without a line: no line number */
    make_step(&b, 0, 0, NULL);
    cm_diag_init(&d);
    assert_int_equal(cm_options_build(OPTS, sizeof(sample_cfg), &b.step, FILE_, WHAT, &c, &d), -1);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.msgs[0], FILE_ ": option 'path' is required for " WHAT " (where the files are)");
    cm_config_free(&c);
    cm_diag_free(&d);
}

static void test_several_errors(void **state)
{
    (void)state;
    static const char *const nv[] = {"x", "1", "count", "many", "ratio", "half",
                                     "name", "ok", "flag", "perhaps", "y", "2"};
    step_buf b;
    make_step(&b, 30, 6, nv);
    cm_diag d;
    cm_diag_init(&d);
    cm_diag_add(&d, "an earlier problem"); /* errors are counted from here on */
    cm_config c;
    assert_int_equal(cm_options_build(OPTS, sizeof(sample_cfg), &b.step, FILE_, WHAT, &c, &d), -1);
    assert_int_equal(d.n, 7);
    assert_string_equal(d.msgs[0], "an earlier problem");
    assert_string_equal(d.msgs[1], FILE_ ":31: unknown option 'x' for " WHAT "; valid options: " VALID);
    assert_string_equal(d.msgs[2],
                        FILE_ ":32: option 'count' of " WHAT ": 'many' is not valid: expected an integer");
    assert_string_equal(d.msgs[3],
                        FILE_ ":33: option 'ratio' of " WHAT ": 'half' is not valid: expected a number");
    assert_string_equal(d.msgs[4], FILE_ ":35: option 'flag' of " WHAT
                                   ": 'perhaps' is not valid: expected true or false");
    assert_string_equal(d.msgs[5], FILE_ ":36: unknown option 'y' for " WHAT "; valid options: " VALID);
    assert_string_equal(d.msgs[6],
                        FILE_ ":30: option 'path' is required for " WHAT " (where the files are)");
    /* the good one was still converted */
    assert_string_equal(((const sample_cfg *)c.data)->name, "ok");
    cm_config_free(&c);
    cm_diag_free(&d);

    /* a clean build after earlier problems in the same diag returns 0 */
    static const char *const ok[] = {"path", "p"};
    make_step(&b, 1, 1, ok);
    cm_diag_init(&d);
    cm_diag_add(&d, "an earlier problem");
    assert_int_equal(cm_options_build(OPTS, sizeof(sample_cfg), &b.step, FILE_, WHAT, &c, &d), 0);
    assert_int_equal(d.n, 1);
    cm_config_free(&c);
    cm_diag_free(&d);
}

static void test_repeated_string(void **state)
{
    (void)state;
    /* a plain option given twice is an error naming both lines; nothing leaks (ASan) */
    static const char *const nv[] = {"path", "first", "path", "second", "name", "n"};
    step_buf b;
    make_step(&b, 1, 3, nv);
    cm_diag d;
    cm_diag_init(&d);
    cm_config c;
    assert_int_equal(cm_options_build(OPTS, sizeof(sample_cfg), &b.step, FILE_, WHAT, &c, &d), -1);
    assert_int_equal(d.n, 1);
    char *want = cm_asprintf("%s:3: option 'path' of %s is set twice (lines 2 and 3)", FILE_, WHAT);
    assert_string_equal(d.msgs[0], want);
    free(want);
    cm_config_free(&c);
    cm_config_free(&c); /* a second free is harmless */
    cm_diag_free(&d);
}

typedef struct list_cfg {
    const char *const *rules;
    const char *const *columns;
} list_cfg;

static const cm_option_def LIST_OPTS[] = {
    {"rule", CM_OPT_LIST, NULL, 0, offsetof(list_cfg, rules), "repeatable"},
    {"column.*", CM_OPT_LIST, NULL, 0, offsetof(list_cfg, columns), "a family"},
    {0},
};

static void test_list_options(void **state)
{
    (void)state;
    static const char *const nv[] = {"rule", "a=x", "column.date", "Dato", "rule", "b=y",
                                     "column.time", "Tid"};
    step_buf b;
    make_step(&b, 1, 4, nv);
    cm_diag d;
    cm_diag_init(&d);
    cm_config c;
    assert_int_equal(cm_options_build(LIST_OPTS, sizeof(list_cfg), &b.step, FILE_, WHAT, &c, &d), 0);
    const list_cfg *cfg = c.data;
    assert_string_equal(cfg->rules[0], "a=x");
    assert_string_equal(cfg->rules[1], "b=y");
    assert_null(cfg->rules[2]);
    assert_string_equal(cfg->columns[0], "date=Dato");
    assert_string_equal(cfg->columns[1], "time=Tid");
    assert_null(cfg->columns[2]);
    cm_config_free(&c);

    /* none given: an empty list, never NULL; "column." alone is not in the family */
    static const char *const bad[] = {"column.", "x"};
    make_step(&b, 1, 1, bad);
    assert_int_equal(cm_options_build(LIST_OPTS, sizeof(list_cfg), &b.step, FILE_, WHAT, &c, &d), -1);
    cfg = c.data;
    assert_non_null(cfg->rules);
    assert_null(cfg->rules[0]);
    char *want = cm_asprintf("%s:2: unknown option 'column.' for %s; valid options: rule, column.*",
                             FILE_, WHAT);
    assert_string_equal(d.msgs[0], want);
    free(want);
    cm_config_free(&c);
    cm_diag_free(&d);
}

static void test_zero_config_size(void **state)
{
    (void)state;
    step_buf b;
    make_step(&b, 1, 0, NULL);
    cm_diag d;
    cm_diag_init(&d);
    cm_config c;
    assert_int_equal(cm_options_build(NULL, 0, &b.step, FILE_, WHAT, &c, &d), 0);
    assert_non_null(c.data);
    assert_int_equal(c.nstrings, 0);
    cm_config_free(&c);
    cm_diag_free(&d);
}

static char *print_table(const cm_option_def *defs)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    cm_options_print(f, defs);
    fclose(f);
    return buf;
}

static void test_print(void **state)
{
    (void)state;
    char *out = print_table(OPTS);
    assert_string_equal(out,
        "    name   type    required  default  description\n"
        "    name   string  no        anon     who it is\n"
        "    count  int     no        10       how many\n"
        "    ratio  double  no        0.25     a fraction\n"
        "    flag   bool    no        yes      on or off\n"
        "    path   string  yes       -        where the files are\n"
        "    label  string  no        -        a label\n"
        "    limit  int     no        -        an upper bound\n");
    free(out);

    /* short names: the column is at least as wide as "name" */
    static const cm_option_def small[] = {
        {"a", CM_OPT_BOOL, NULL, 1, 0, "x"},
        {0},
    };
    out = print_table(small);
    assert_string_equal(out,
        "    name  type    required  default  description\n"
        "    a     bool    yes       -        x\n");
    free(out);

    out = print_table(NULL);
    assert_string_equal(out, "    (no options)\n");
    free(out);
    static const cm_option_def none[] = {{0}};
    out = print_table(none);
    assert_string_equal(out, "    (no options)\n");
    free(out);
}

static void test_type_names(void **state)
{
    (void)state;
    assert_string_equal(cm_opt_type_name(CM_OPT_STRING), "string");
    assert_string_equal(cm_opt_type_name(CM_OPT_INT), "int");
    assert_string_equal(cm_opt_type_name(CM_OPT_DOUBLE), "double");
    assert_string_equal(cm_opt_type_name(CM_OPT_BOOL), "bool");
    assert_null(cm_opt_type_name((cm_opt_type)0));
    assert_string_equal(cm_opt_type_name(CM_OPT_LIST), "list");
    assert_null(cm_opt_type_name((cm_opt_type)6));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_table),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_given_values),
        cmocka_unit_test(test_bool_spellings),
        cmocka_unit_test(test_unknown_option),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_bad_value_keeps_default),
        cmocka_unit_test(test_missing_required),
        cmocka_unit_test(test_several_errors),
        cmocka_unit_test(test_repeated_string),
        cmocka_unit_test(test_list_options),
        cmocka_unit_test(test_zero_config_size),
        cmocka_unit_test(test_print),
        cmocka_unit_test(test_type_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
