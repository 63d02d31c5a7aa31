/* Pipeline files: the fixtures in tests/data/pipelines loaded through
 * cm_pipeline_load. */
#include "pipeline.h"
#include "util.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static char *data_dir(void)
{
    const char *env = getenv("CALLMAP_TEST_DATA");
    if (env && *env)
        return cm_xstrdup(env);
    char *unit = cm_path_dirname(__FILE__);
    char *tests = cm_path_dirname(unit);
    char *d = cm_path_join(tests, "data");
    free(unit);
    free(tests);
    return d;
}

/* The path of a fixture, as the tests pass it (and as messages show it). */
static char *fixture(const char *name)
{
    char *d = data_dir();
    char *p = cm_asprintf("%s/pipelines/%s", d, name);
    free(d);
    return p;
}

/* The canonical folder of the fixtures: what relative paths resolve against. */
static char *fixture_dir(void)
{
    char *d = data_dir();
    char *p = cm_asprintf("%s/pipelines", d);
    char *real = realpath(p, NULL);
    assert_non_null(real);
    free(d);
    free(p);
    return real;
}

/* Loads a fixture that must fail and checks the messages: each expected
 * entry is the message after "FILE:". */
static void expect_errors(const char *name, const char *const *want, size_t n)
{
    char *file = fixture(name);
    cm_diag d;
    cm_diag_init(&d);
    cm_pipeline *p = cm_pipeline_load(file, &d);
    assert_null(p);
    int same = d.n == n;
    for (size_t i = 0; same && i < n; i++) {
        char *full = cm_asprintf("%s:%s", file, want[i]);
        same = !strcmp(d.msgs[i], full);
        free(full);
    }
    for (size_t i = 0; !same && i < d.n; i++)
        print_message("got: %s\n", d.msgs[i]);
    assert_int_equal(d.n, n);
    for (size_t i = 0; i < n; i++) {
        char *full = cm_asprintf("%s:%s", file, want[i]);
        assert_string_equal(d.msgs[i], full);
        free(full);
    }
    cm_diag_free(&d);
    free(file);
}

#define EXPECT_ERRORS(name, ...)                                                               \
    do {                                                                                       \
        const char *const want_[] = {__VA_ARGS__};                                             \
        expect_errors(name, want_, sizeof want_ / sizeof want_[0]);                            \
    } while (0)

static cm_pipeline *load_ok(const char *file)
{
    cm_diag d;
    cm_diag_init(&d);
    cm_pipeline *p = cm_pipeline_load(file, &d);
    for (size_t i = 0; i < d.n; i++)
        print_message("unexpected: %s\n", d.msgs[i]);
    assert_int_equal(d.n, 0);
    assert_non_null(p);
    cm_diag_free(&d);
    return p;
}

static void assert_path(const char *got, const char *dir, const char *rel)
{
    char *want = cm_asprintf("%s/%s", dir, rel);
    assert_string_equal(got, want);
    free(want);
}

/* ------------------------------------------------------------ valid files */

static void check_full(const cm_pipeline *p, const char *dir)
{
    char *parent = cm_path_dirname(dir);
    assert_string_equal(p->dir, dir);
    assert_string_equal(p->name, "kk-telephony");
    assert_path(p->store_path, dir, "out/kk.db");
    assert_int_equal(p->store_line, 4);
    assert_int_equal(p->nsteps, 4);

    const cm_pl_step *s = &p->steps[0];
    assert_int_equal(s->type, CM_STEP_SOURCE);
    assert_string_equal(s->id, "pbx-nikolaj");
    assert_string_equal(s->plugin, "pbx");
    assert_string_equal(s->kind, "asterisk-cdr");
    assert_string_equal(s->timezone, "Europe/Copenhagen");
    assert_true(s->max_reject_ratio == 0.05);
    assert_int_equal(s->line, 5); /* where the (two-line) start tag begins */
    assert_int_equal(s->ninputs, 2);
    assert_path(s->inputs[0].path, dir, "archives/pbx/nikolaj/*.zip");
    assert_string_equal(s->inputs[0].member, "*.csv");
    assert_int_equal(s->inputs[0].line, 7);
    assert_path(s->inputs[1].path, parent, "shared/extra.csv"); /* "./../shared/extra.csv" */
    assert_null(s->inputs[1].member);
    assert_int_equal(s->inputs[1].line, 9);
    assert_int_equal(s->noptions, 2);
    assert_string_equal(s->options[0].name, "extension-prefix");
    assert_string_equal(s->options[0].value, "+453366");
    assert_int_equal(s->options[0].line, 8);
    assert_string_equal(s->options[1].name, "empty");
    assert_string_equal(s->options[1].value, "");
    assert_int_equal(s->options[1].line, 10);

    s = &p->steps[1];
    assert_int_equal(s->type, CM_STEP_TRANSFORM);
    assert_string_equal(s->id, "phone/normalize");
    assert_string_equal(s->plugin, "phone");
    assert_string_equal(s->kind, "normalize");
    assert_null(s->timezone);
    assert_int_equal(s->ninputs, 0);
    assert_int_equal(s->noptions, 1);
    assert_string_equal(s->options[0].name, "country");
    assert_string_equal(s->options[0].value, "45");
    assert_int_equal(s->options[0].line, 13);
    assert_int_equal(s->line, 12);

    s = &p->steps[2];
    assert_int_equal(s->type, CM_STEP_SOURCE);
    assert_string_equal(s->id, "telco.invoices_2024");
    assert_string_equal(s->plugin, "telco");
    assert_string_equal(s->kind, "invoice-csv");
    assert_string_equal(s->timezone, "Europe/Copenhagen"); /* default */
    assert_true(s->max_reject_ratio == 0.01);              /* default */
    assert_int_equal(s->line, 15);
    assert_int_equal(s->ninputs, 1);
    assert_string_equal(s->inputs[0].path, "/srv/invoices"); /* absolute: as is */
    assert_int_equal(s->inputs[0].line, 16);
    assert_int_equal(s->noptions, 0);

    s = &p->steps[3];
    assert_int_equal(s->type, CM_STEP_TRANSFORM);
    assert_string_equal(s->id, "late-fix");
    assert_int_equal(s->line, 18);
    assert_int_equal(s->noptions, 0);
    free(parent);
}

static void test_full(void **state)
{
    (void)state;
    char *file = fixture("full.xml");
    char *dir = fixture_dir();
    cm_pipeline *p = load_ok(file);
    assert_string_equal(p->file, file);
    check_full(p, dir);
    cm_pipeline_free(p);
    free(dir);
    free(file);
}

/* A relative pipeline path resolves against the current folder. */
static void test_relative_pipeline_path(void **state)
{
    (void)state;
    char *dir = fixture_dir();
    char *cwd = getcwd(NULL, 0);
    assert_non_null(cwd);
    char *data = cm_path_dirname(dir);
    assert_int_equal(chdir(data), 0);
    cm_pipeline *p = load_ok("pipelines/full.xml");
    assert_int_equal(chdir(cwd), 0);
    assert_string_equal(p->file, "pipelines/full.xml");
    check_full(p, dir);
    cm_pipeline_free(p);
    free(data);
    free(cwd);
    free(dir);
}

/* Messages already in the diag (from an earlier check) do not fail a load. */
static void test_diag_not_empty_before(void **state)
{
    (void)state;
    char *file = fixture("full.xml");
    cm_diag d;
    cm_diag_init(&d);
    cm_diag_add(&d, "an earlier problem");
    cm_pipeline *p = cm_pipeline_load(file, &d);
    assert_non_null(p);
    assert_int_equal(d.n, 1);
    cm_pipeline_free(p);
    cm_diag_free(&d);
    free(file);
}

static void test_env(void **state)
{
    (void)state;
    setenv("CM_PL_TEST_NAME", "nikolaj", 1);
    setenv("CM_PL_TEST_DIR", "/var/lib/callmap", 1);
    setenv("CM_PL_TEST_RATIO", "0.25", 1);
    setenv("CM_PL_TEST_EMPTY", "", 1);
    char *file = fixture("env.xml");
    char *dir = fixture_dir();
    cm_pipeline *p = load_ok(file);
    assert_string_equal(p->name, "env-nikolaj");
    assert_string_equal(p->store_path, "/var/lib/callmap/kk.db");
    assert_int_equal(p->nsteps, 1);
    const cm_pl_step *s = &p->steps[0];
    assert_string_equal(s->id, "pbx-nikolaj");
    assert_true(s->max_reject_ratio == 0.25);
    assert_int_equal(s->ninputs, 1);
    assert_path(s->inputs[0].path, dir, "in/nikolaj/*.zip");
    assert_int_equal(s->noptions, 1);
    assert_string_equal(s->options[0].value, "$5, ${HOME}, a lone $ and .");
    cm_pipeline_free(p);
    free(dir);
    free(file);
    unsetenv("CM_PL_TEST_NAME");
    unsetenv("CM_PL_TEST_DIR");
    unsetenv("CM_PL_TEST_RATIO");
    unsetenv("CM_PL_TEST_EMPTY");
}

static void test_env_errors(void **state)
{
    (void)state;
    unsetenv("CM_PL_TEST_UNSET");
    setenv("CM_PL_TEST_EMPTY", "", 1);
    EXPECT_ERRORS("env_errors.xml",
                  "4: environment variable CM_PL_TEST_UNSET is not set (in attribute path of "
                  "<input>)",
                  "5: unterminated \"${\" in attribute value of <option>",
                  "6: invalid environment variable name \"NOT-A-NAME\" in attribute value of "
                  "<option>",
                  "8: attribute plugin of <transform> is empty after expanding environment "
                  "variables");
    unsetenv("CM_PL_TEST_EMPTY");
}

/* --------------------------------------------------------------- bad XML */

static void test_missing_file(void **state)
{
    (void)state;
    char *file = fixture("no-such-pipeline.xml");
    cm_diag d;
    cm_diag_init(&d);
    assert_null(cm_pipeline_load(file, &d));
    assert_int_equal(d.n, 1);
    char *want = cm_asprintf("%s: cannot read pipeline: No such file or directory", file);
    assert_string_equal(d.msgs[0], want);
    free(want);
    cm_diag_free(&d);
    free(file);
}

/* libxml2's own message, after "FILE:LINE: ". */
static void test_malformed(void **state)
{
    (void)state;
    char *file = fixture("malformed.xml");
    cm_diag d;
    cm_diag_init(&d);
    assert_null(cm_pipeline_load(file, &d));
    assert_true(d.n >= 1);
    char *prefix = cm_asprintf("%s:6: ", file);
    assert_memory_equal(d.msgs[0], prefix, strlen(prefix));
    assert_non_null(strstr(d.msgs[0], "mismatch"));
    assert_non_null(strstr(d.msgs[0], "store"));
    /* trimmed: no trailing newline from libxml2 */
    assert_true(d.msgs[0][strlen(d.msgs[0]) - 1] != '\n');
    free(prefix);
    cm_diag_free(&d);
    free(file);
}

/* No DTD: no external entities (XXE), no entity expansion tricks. */
static void test_doctype(void **state)
{
    (void)state;
    EXPECT_ERRORS("doctype.xml", "2: a pipeline file may not have a DOCTYPE declaration");
}

/* ---------------------------------------------------------- schema errors */

static void test_unknown_attribute(void **state)
{
    (void)state;
    EXPECT_ERRORS("unknown_attr.xml",
                  "3: unknown attribute colour on <source> (allowed: id, plugin, kind, "
                  "timezone, max-reject-ratio)");
}

static void test_missing_store(void **state)
{
    (void)state;
    EXPECT_ERRORS("no_store.xml", "2: missing <store> before <source> in <pipeline>");
}

static void test_input_without_path(void **state)
{
    (void)state;
    EXPECT_ERRORS("input_no_path.xml", "4: <input> is missing the required attribute path");
}

static void test_wrong_root(void **state)
{
    (void)state;
    EXPECT_ERRORS("wrong_root.xml", "1: the root element must be <pipeline>, not <pipelines>");
}

/* Every problem at once, not only the first. */
static void test_many_errors(void **state)
{
    (void)state;
    EXPECT_ERRORS("many_errors.xml",
                  "2: unknown attribute mode on <store> (allowed: path)",
                  "3: <source> is missing the required attribute kind",
                  "4: <input> is missing the required attribute path",
                  "5: <option> is missing the required attribute value",
                  "7: attribute plugin of <transform> must not be empty",
                  "8: unexpected <input> in <transform> (expected <option> or </transform>)",
                  "10: unknown element <sink> in <pipeline> (expected <source>, <transform>, "
                  "<analysis> or </pipeline>)",
                  "11: <source> is missing <input>");
}

/* ------------------------------------------------------- checks after it */

static void test_bad_ratio(void **state)
{
    (void)state;
    EXPECT_ERRORS("bad_ratio.xml",
                  "3: invalid max-reject-ratio \"abc\" on <source>: expected a number between 0 "
                  "and 1",
                  "6: invalid max-reject-ratio \"2\" on <source>: expected a number between 0 "
                  "and 1",
                  "12: invalid max-reject-ratio \"nan\" on <source>: expected a number between 0 "
                  "and 1");
}

static void test_duplicate_ids(void **state)
{
    (void)state;
    /* a transform may share a source's id; sources may not share one */
    EXPECT_ERRORS("dup_ids.xml",
                  "7: source id \"pbx\" is used twice (lines 3 and 7)",
                  "10: invalid id \"bad id!\" on <source>: use only letters, digits, \".\", "
                  "\"_\" and \"-\"");
}

static void test_free_null(void **state)
{
    (void)state;
    cm_pipeline_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full),
        cmocka_unit_test(test_relative_pipeline_path),
        cmocka_unit_test(test_diag_not_empty_before),
        cmocka_unit_test(test_env),
        cmocka_unit_test(test_env_errors),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_doctype),
        cmocka_unit_test(test_unknown_attribute),
        cmocka_unit_test(test_missing_store),
        cmocka_unit_test(test_input_without_path),
        cmocka_unit_test(test_wrong_root),
        cmocka_unit_test(test_many_errors),
        cmocka_unit_test(test_bad_ratio),
        cmocka_unit_test(test_duplicate_ids),
        cmocka_unit_test(test_free_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
