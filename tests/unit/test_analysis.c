/* The analysis: <analysis> in pipeline files (parameters, defaults,
 * errors) and cm_analysis_run on small stores: repeat callers at the
 * edges of their definition, recomputing, an empty store, and bad custom
 * data points (named, and the store unchanged). Every KPI's value on a
 * hand-made store is checked in tests/e2e/cases/analysis-kpis. */
#include "analysis.h"
#include "pipeline.h"
#include "store.h"
#include "util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

static char *tmpdir;

static int setup(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/callmap-test-analysis.XXXXXX";
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    tmpdir = cm_xstrdup(d);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char *cmd = cm_asprintf("rm -rf '%s'", tmpdir);
    int rc = system(cmd);
    (void)rc;
    free(cmd);
    free(tmpdir);
    return 0;
}

/* Writes a pipeline file whose <analysis> part is `analysis`. */
static char *write_pipeline(const char *name, const char *analysis)
{
    char *path = cm_asprintf("%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f,
            "<pipeline name=\"t\">\n"
            "  <store path=\"t.db\"/>\n"
            "  <source id=\"s\" plugin=\"hr\" kind=\"org-units\"><input path=\"x\"/></source>\n"
            "%s\n"
            "</pipeline>\n",
            analysis);
    fclose(f);
    return path;
}

static cm_pipeline *load_ok(const char *name, const char *analysis)
{
    char *path = write_pipeline(name, analysis);
    cm_diag d;
    cm_diag_init(&d);
    cm_pipeline *p = cm_pipeline_load(path, &d);
    for (size_t i = 0; i < d.n; i++)
        print_message("%s\n", d.msgs[i]);
    assert_non_null(p);
    cm_diag_free(&d);
    free(path);
    return p;
}

/* Loads a pipeline that must fail; every message must contain one of want
 * (in order) after "FILE:". */
static void expect_errors(const char *analysis, const char *const *want, size_t n)
{
    char *path = write_pipeline("bad.xml", analysis);
    cm_diag d;
    cm_diag_init(&d);
    cm_pipeline *p = cm_pipeline_load(path, &d);
    assert_null(p);
    for (size_t i = 0; i < d.n; i++)
        print_message("got: %s\n", d.msgs[i]);
    assert_int_equal(d.n, n);
    for (size_t i = 0; i < n; i++) {
        char *full = cm_asprintf("%s:%s", path, want[i]);
        assert_string_equal(d.msgs[i], full);
        free(full);
    }
    cm_diag_free(&d);
    free(path);
}

#define EXPECT_ERRORS(analysis, ...)                                                           \
    do {                                                                                       \
        const char *const want_[] = {__VA_ARGS__};                                             \
        expect_errors(analysis, want_, sizeof want_ / sizeof *want_);                          \
    } while (0)

/* ------------------------------------------------------------- parsing */

static void test_no_analysis(void **state)
{
    (void)state;
    cm_pipeline *p = load_ok("none.xml", "");
    assert_null(p->analysis);
    cm_pipeline_free(p);
}

static void test_defaults(void **state)
{
    (void)state;
    cm_pipeline *p = load_ok("defaults.xml", "  <analysis/>");
    const cm_pl_analysis *a = p->analysis;
    assert_non_null(a);
    assert_null(a->from);
    assert_null(a->to);
    assert_true(a->threshold_calls == 100);
    assert_true(a->service_level_s == 30);
    assert_true(a->target_service_level == 0.8);
    assert_true(a->wrap_up_s == 30);
    assert_true(a->hourly_cost_dkk == 450);
    assert_true(a->efficiency_low == 0.05);
    assert_true(a->efficiency_high == 0.10);
    assert_true(a->repeat_days == 7);
    assert_true(a->cancel_max_calls_per_month == 2);
    assert_true(a->reason_factor == 1.5);
    assert_true(a->reason_min_difference == 0.05);
    assert_true(a->open_hour_min_share == 0.005);
    assert_int_equal(a->min_peers, 3);
    assert_int_equal(a->ndatapoints, 0);
    assert_int_equal(a->line, 4);
    cm_pipeline_free(p);
}

static void test_values(void **state)
{
    (void)state;
    setenv("CM_TEST_HOURLY", "500", 1);
    cm_pipeline *p = load_ok(
        "values.xml",
        "  <analysis from=\"2025-02\" to=\"2025-04\" threshold-calls=\"50\"\n"
        "            service-level-seconds=\"20\" target-service-level=\"0.9\"\n"
        "            wrap-up-seconds=\"45\" hourly-cost-dkk=\"${CM_TEST_HOURLY}\"\n"
        "            efficiency-low=\"0.02\" efficiency-high=\"0.2\" repeat-days=\"1.5\"\n"
        "            cancel-max-calls-per-month=\"0\" reason-factor=\"2\"\n"
        "            reason-min-difference=\"0.1\" min-peers=\"5\" open-hour-min-share=\"0.01\">\n"
        "    <datapoint name=\"a_1\">\n      SELECT unit_id, month, 1 AS value FROM unit_month;;\n"
        "    </datapoint>\n"
        "    <datapoint name=\"b\" label=\"B's label\" direction=\"lower\">SELECT 2</datapoint>\n"
        "  </analysis>");
    const cm_pl_analysis *a = p->analysis;
    assert_string_equal(a->from, "2025-02");
    assert_string_equal(a->to, "2025-04");
    assert_true(a->threshold_calls == 50);
    assert_true(a->service_level_s == 20);
    assert_true(a->target_service_level == 0.9);
    assert_true(a->wrap_up_s == 45);
    assert_true(a->hourly_cost_dkk == 500);
    assert_true(a->efficiency_low == 0.02);
    assert_true(a->efficiency_high == 0.2);
    assert_true(a->repeat_days == 1.5);
    assert_true(a->cancel_max_calls_per_month == 0);
    assert_true(a->reason_factor == 2);
    assert_true(a->reason_min_difference == 0.1);
    assert_true(a->open_hour_min_share == 0.01);
    assert_int_equal(a->min_peers, 5);
    assert_int_equal(a->ndatapoints, 2);
    assert_string_equal(a->datapoints[0].name, "a_1");
    assert_string_equal(a->datapoints[0].label, "a_1");
    assert_int_equal(a->datapoints[0].lower, 0);
    assert_string_equal(a->datapoints[0].sql, "SELECT unit_id, month, 1 AS value FROM unit_month");
    assert_int_equal(a->datapoints[0].line, 10);
    assert_string_equal(a->datapoints[1].name, "b");
    assert_string_equal(a->datapoints[1].label, "B's label");
    assert_int_equal(a->datapoints[1].lower, 1);
    assert_string_equal(a->datapoints[1].sql, "SELECT 2");
    cm_pipeline_free(p);
}

static void test_errors(void **state)
{
    (void)state;
    EXPECT_ERRORS("  <analysis from=\"2025-1\" to=\"25-01\"/>",
                  "4: invalid from \"2025-1\" on <analysis>: expected a month YYYY-MM",
                  "4: invalid to \"25-01\" on <analysis>: expected a month YYYY-MM");
    EXPECT_ERRORS("  <analysis from=\"2025-05\" to=\"2025-04\"/>",
                  "4: <analysis> from \"2025-05\" is after to \"2025-04\"");
    EXPECT_ERRORS("  <analysis target-service-level=\"0\" efficiency-high=\"1.5\" "
                  "repeat-days=\"0\" reason-factor=\"0.5\" min-peers=\"0\" "
                  "service-level-seconds=\"x\"/>",
                  "4: invalid service-level-seconds \"x\" on <analysis>: expected seconds, 0 "
                  "or more",
                  "4: invalid target-service-level \"0\" on <analysis>: expected a share above "
                  "0 and below 1",
                  "4: invalid efficiency-high \"1.5\" on <analysis>: expected a share between "
                  "0 and 1",
                  "4: invalid repeat-days \"0\" on <analysis>: expected days, above 0 (at most "
                  "3660)",
                  "4: invalid reason-factor \"0.5\" on <analysis>: expected a factor from 1 to "
                  "1000",
                  "4: invalid min-peers \"0\" on <analysis>: expected a whole number, 1 or more");
    EXPECT_ERRORS("  <analysis efficiency-low=\"0.3\" efficiency-high=\"0.2\"/>",
                  "4: <analysis> efficiency-low 0.3 is above efficiency-high 0.2");
    EXPECT_ERRORS("  <analysis>\n"
                  "    <datapoint name=\"x-y\">SELECT 1</datapoint>\n"
                  "    <datapoint name=\"missed_share\">SELECT 1</datapoint>\n"
                  "    <datapoint name=\"z\">SELECT 1</datapoint>\n"
                  "    <datapoint name=\"z\"> ; </datapoint>\n"
                  "  </analysis>",
                  "5: invalid datapoint name \"x-y\": use a lowercase letter, then lowercase "
                  "letters, digits and \"_\"",
                  "6: datapoint \"missed_share\" has the name of a built-in data point",
                  "8: datapoint name \"z\" is used twice (lines 7 and 8)",
                  "8: datapoint \"z\" has no SQL: write a SELECT returning unit_id, month and "
                  "value");
    /* the schema: attributes, direction values, children, one <analysis> */
    EXPECT_ERRORS("  <analysis colour=\"red\"><datapoint name=\"a\" direction=\"up\">SELECT 1"
                  "</datapoint><option name=\"a\" value=\"b\"/></analysis>\n  <analysis/>",
                  "4: unknown attribute colour on <analysis> (allowed: from, to, "
                  "threshold-calls, service-level-seconds, target-service-level, "
                  "wrap-up-seconds, hourly-cost-dkk, efficiency-low, efficiency-high, "
                  "repeat-days, cancel-max-calls-per-month, reason-factor, "
                  "reason-min-difference, min-peers, open-hour-min-share)",
                  "4: invalid value \"up\" for attribute direction of <datapoint> (expected "
                  "\"higher\" or \"lower\")",
                  "4: unexpected <option> in <analysis> (expected <datapoint> or </analysis>)",
                  "5: unexpected <analysis> in <pipeline> (expected <source>, <transform> or "
                  "</pipeline>)");
    EXPECT_ERRORS("  <analysis><datapoint>SELECT 1</datapoint></analysis>",
                  "4: <datapoint> is missing the required attribute name");
}

/* --------------------------------------------------------------- stores */

static cm_store *new_store(const char *name)
{
    char *path = cm_asprintf("%s/%s", tmpdir, name);
    char err[1024];
    cm_store *s = cm_store_open(path, err, sizeof err);
    if (!s)
        print_message("%s\n", err);
    assert_non_null(s);
    free(path);
    return s;
}

static void exec_ok(cm_store *s, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(cm_store_db(s), sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        print_message("%s\n", msg);
    sqlite3_free(msg);
    assert_int_equal(rc, SQLITE_OK);
}

static int64_t int_of(cm_store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(cm_store_db(s), sql, -1, &st, NULL), SQLITE_OK);
    int64_t v = -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Every row of every analysis table, as text. */
static char *dump(cm_store *s)
{
    static const char *const t[] = {
        "unit_month",     "unit_hour_weekday",  "employee_month",      "unit_potential",
        "unit_potential_reasons", "unit_datapoints", "unit_month_datapoints",
        "subscription_usage", "analysis_datapoints", "analysis_parameters"};
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    assert_non_null(f);
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        char *sql = cm_asprintf("SELECT * FROM %s", t[i]);
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(cm_store_db(s), sql, -1, &st, NULL), SQLITE_OK);
        fprintf(f, "== %s\n", t[i]);
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(st); c++) {
                const unsigned char *v = sqlite3_column_text(st, c);
                fprintf(f, "%s|", v ? (const char *)v : "NULL");
            }
            fputc('\n', f);
        }
        sqlite3_finalize(st);
        free(sql);
    }
    fclose(f);
    return out;
}

static void test_empty_store(void **state)
{
    (void)state;
    cm_store *s = new_store("empty.db");
    cm_analysis_summary sum;
    char err[1024];
    assert_int_equal(cm_analysis_run(cm_store_db(s), NULL, NULL, 0, &sum, err, sizeof err),
                     CM_ANALYSIS_OK);
    assert_string_equal(sum.from, "");
    assert_int_equal(sum.unit_month, 0);
    assert_int_equal(sum.unit_potential, 0);
    assert_int_equal(int_of(s, "SELECT count(*) FROM unit_hour_weekday"), 0);
    assert_int_equal(int_of(s, "SELECT count(*) FROM analysis_parameters WHERE name = 'from' "
                               "AND value IS NULL"),
                     1);
    cm_store_close(s);
}

/* Units R1..R5 under P; March 2025 (UTC+1). */
static const char repeat_data[] =
    "INSERT INTO org_units (source, source_file_id, source_record, unit_id, parent_id, type)"
    " VALUES ('t', 1, 1, 'P', NULL, 'centre'), ('t', 1, 2, 'R1', 'P', 'unit'),"
    " ('t', 1, 3, 'R2', 'P', 'unit'), ('t', 1, 4, 'R3', 'P', 'unit'),"
    " ('t', 1, 5, 'R4', 'P', 'unit'), ('t', 1, 6, 'R5', 'P', 'unit'), ('t', 1, 7, 'R6', 'P', 'unit');"
    "CREATE TEMP TABLE c (unit, loc, dur, remote, grp);"
    "INSERT INTO c VALUES"
    /* R1: again exactly 7 days later (start to start): a repeat */
    " ('R1', '2025-03-03T10:00:00', 60, '+4511111111', NULL),"
    " ('R1', '2025-03-10T10:00:00', 60, '+4511111111', NULL),"
    /* R2: 7 days and 1 second later: not */
    " ('R2', '2025-03-03T10:00:00', 60, '+4522222222', NULL),"
    " ('R2', '2025-03-10T10:00:01', 60, '+4522222222', NULL),"
    /* R3: two legs of one call (same call_group): not */
    " ('R3', '2025-03-03T10:00:00', 60, '+4533333333', 'g1'),"
    " ('R3', '2025-03-03T10:05:00', 60, '+4533333333', 'g1'),"
    /* R4: the second starts before the first ended (a forward): not */
    " ('R4', '2025-03-03T10:00:00', 300, '+4544444444', NULL),"
    " ('R4', '2025-03-03T10:00:18', 60, '+4544444444', NULL),"
    /* R5: a hidden caller twice: no caller at all; and one caller that
     * calls R5 and then R6 an hour later: a repeat of P only */
    " ('R5', '2025-03-04T10:00:00', 60, 'hidden', NULL),"
    " ('R5', '2025-03-04T11:00:00', 60, 'hidden', NULL),"
    " ('R5', '2025-03-05T10:00:00', 60, '+4555555555', NULL),"
    " ('R6', '2025-03-05T11:00:00', 60, '+4555555555', NULL);"
    "INSERT INTO calls (source, source_file_id, source_record, call_group, start_utc, start_local,"
    " duration_s, wait_s, talk_s, direction, local_number, remote_number, remote_type, outcome,"
    " transferred, channel, unit_id)"
    " SELECT 't', 1, rowid, grp, strftime('%Y-%m-%dT%H:%M:%SZ', loc, '-1 hour'), loc, dur, 0,"
    " dur, 'inbound', '+4533660000', remote,"
    " CASE WHEN remote = 'hidden' THEN 'hidden' ELSE 'national' END, 'answered', 0, 'pbx', unit"
    " FROM c ORDER BY rowid;"
    "DROP TABLE temp.c;";

static void test_repeat_callers(void **state)
{
    (void)state;
    cm_store *s = new_store("repeat.db");
    exec_ok(s, repeat_data);
    cm_analysis_summary sum;
    char err[1024];
    int rc = cm_analysis_run(cm_store_db(s), NULL, "p.xml", 0, &sum, err, sizeof err);
    if (rc)
        print_message("%s\n", err);
    assert_int_equal(rc, CM_ANALYSIS_OK);
    assert_string_equal(sum.from, "2025-03");
    assert_string_equal(sum.to, "2025-03");
    assert_int_equal(sum.days, 31);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(cm_store_db(s),
                                        "SELECT group_concat(unit_id || ':' || callers || '/' ||"
                                        " repeat_callers, ' ') FROM (SELECT * FROM unit_month"
                                        " ORDER BY unit_id)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    /* P: all 6 numbers; repeats: R1's and the R5/R6 caller (R3 and R4 have
     * one call each, R2's second is too late) */
    assert_string_equal((const char *)sqlite3_column_text(st, 0),
                        "P:5/2 R1:1/1 R2:1/0 R3:1/0 R4:1/0 R5:1/0 R6:1/0");
    sqlite3_finalize(st);

    /* a shorter window: R1's second call is no longer a repeat */
    cm_pl_analysis a;
    cm_pl_analysis_defaults(&a);
    a.repeat_days = 6.5;
    assert_int_equal(cm_analysis_run(cm_store_db(s), &a, NULL, 0, &sum, err, sizeof err),
                     CM_ANALYSIS_OK);
    assert_int_equal(int_of(s, "SELECT repeat_callers FROM unit_month WHERE unit_id = 'R1'"), 0);
    assert_int_equal(int_of(s, "SELECT repeat_callers FROM unit_month WHERE unit_id = 'P'"), 1);
    assert_int_equal(int_of(s, "SELECT value = '6.5' FROM analysis_parameters"
                               " WHERE name = 'repeat-days'"),
                     1);
    cm_store_close(s);
}

static void test_recompute_identical(void **state)
{
    (void)state;
    cm_store *s = new_store("again.db");
    exec_ok(s, repeat_data);
    exec_ok(s, "INSERT INTO costs (source, source_file_id, source_record, period_start, unit_id,"
               " category, number, amount_dkk) VALUES ('t', 1, 1, '2025-03-01', 'R1',"
               " 'subscription', '+4530000001', 99.5)");
    cm_analysis_summary sum;
    char err[1024];
    assert_int_equal(cm_analysis_run(cm_store_db(s), NULL, NULL, 0, &sum, err, sizeof err),
                     CM_ANALYSIS_OK);
    char *first = dump(s);
    assert_true(strlen(first) > 1000);
    assert_int_equal(cm_analysis_run(cm_store_db(s), NULL, NULL, 0, &sum, err, sizeof err),
                     CM_ANALYSIS_OK);
    char *second = dump(s);
    assert_string_equal(first, second);
    free(first);
    free(second);
    /* no temporary table is left behind */
    assert_int_equal(int_of(s, "SELECT count(*) FROM sqlite_temp_master"), 0);
    cm_store_close(s);
}

static void test_bad_datapoints(void **state)
{
    (void)state;
    cm_store *s = new_store("bad.db");
    exec_ok(s, repeat_data);
    cm_analysis_summary sum;
    char err[1024];
    assert_int_equal(cm_analysis_run(cm_store_db(s), NULL, NULL, 0, &sum, err, sizeof err),
                     CM_ANALYSIS_OK);
    char *before = dump(s);

    static const struct {
        const char *sql, *message;
    } cases[] = {
        {"SELECT unit_id, month, nope AS value FROM unit_month",
         "datapoint \"dp\" (p.xml:12): no such column: nope (the SQL must be one SELECT "
         "returning the columns unit_id, month and value)"},
        {"SELECT unit_id, month FROM unit_month",
         "datapoint \"dp\" (p.xml:12): no such column: value (the SQL must be one SELECT "
         "returning the columns unit_id, month and value)"},
        {"SELECT unit_id, month, 1 AS value FROM unit_month; DROP TABLE calls",
         "datapoint \"dp\" (p.xml:12): near \";\": syntax error (the SQL must be one SELECT "
         "returning the columns unit_id, month and value)"},
        {"SELECT 'P' AS unit_id, '2025-03' AS month, 1 AS value UNION ALL "
         "SELECT 'P', '2025-03', 2",
         "datapoint \"dp\" (p.xml:12): the SQL returns more than one row for a unit and month"},
        {"SELECT unit_id, month, abs(-9223372036854775807 - 1) AS value FROM unit_month",
         "datapoint \"dp\" (p.xml:12): integer overflow"},
        {"SELECT unit_id, month, 1 AS value FROM unit_month WHERE month >= :since",
         "datapoint \"dp\" (p.xml:12): unknown parameter :since (known: :from, :to, :start, "
         ":end, :days)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cm_pl_analysis a;
        cm_pl_analysis_defaults(&a);
        cm_pl_datapoint d = {.name = "dp", .label = "DP", .sql = (char *)cases[i].sql,
                             .line = 12};
        a.datapoints = &d;
        a.ndatapoints = 1;
        int rc = cm_analysis_run(cm_store_db(s), &a, "p.xml", 0, &sum, err, sizeof err);
        assert_int_equal(rc, CM_ANALYSIS_BAD_DATAPOINT);
        assert_string_equal(err, cases[i].message);
        char *after = dump(s);
        assert_string_equal(before, after);
        free(after);
        assert_int_equal(int_of(s, "SELECT count(*) FROM calls"), 12);
        assert_int_equal(int_of(s, "SELECT count(*) FROM sqlite_temp_master"), 0);
    }
    free(before);

    /* a good one: a value per unit and month, ranked against peers */
    cm_pl_analysis a;
    cm_pl_analysis_defaults(&a);
    cm_pl_datapoint d = {.name = "r1_only", .label = "R1 only",
                         .sql = "SELECT unit_id, month, CASE unit_id WHEN 'R1' THEN 5 ELSE 1 END"
                                " AS value FROM unit_month",
                         .line = 3};
    a.datapoints = &d;
    a.ndatapoints = 1;
    assert_int_equal(cm_analysis_run(cm_store_db(s), &a, "p.xml", 0, &sum, err, sizeof err),
                     CM_ANALYSIS_OK);
    assert_int_equal(int_of(s, "SELECT count(*) FROM unit_potential_reasons"
                               " WHERE datapoint = 'r1_only'"),
                     1);
    assert_int_equal(int_of(s, "SELECT score = 3 AND reasons_count = 1 FROM unit_potential"
                               " WHERE unit_id = 'R1'"),
                     1);
    assert_int_equal(int_of(s, "SELECT threshold = 1.5 AND peer_median = 1 FROM"
                               " unit_potential_reasons WHERE unit_id = 'R1'"),
                     1);

    /* the period's parameters in a data point's SQL */
    d = (cm_pl_datapoint){.name = "days", .label = "days",
                          .sql = "SELECT unit_id, month, :days + (:from = '2025-03')"
                                 " + (:to = '2025-03') + (:start = '2025-03-01')"
                                 " + (:end = '2025-04-01') AS value FROM unit_month",
                          .line = 3};
    assert_int_equal(cm_analysis_run(cm_store_db(s), &a, "p.xml", 0, &sum, err, sizeof err),
                     CM_ANALYSIS_OK);
    assert_int_equal(int_of(s, "SELECT min(value) = 35 AND max(value) = 35 AND count(*) = 7"
                               " FROM unit_month_datapoints WHERE datapoint = 'days'"),
                     1);
    cm_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_analysis),      cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_values),           cmocka_unit_test(test_errors),
        cmocka_unit_test(test_empty_store),      cmocka_unit_test(test_repeat_callers),
        cmocka_unit_test(test_recompute_identical), cmocka_unit_test(test_bad_datapoints),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
