/* `callmap analyze PIPELINE`: the analysis tables (docs/analysis.md) in the
 * pipeline's store, with the parameters of its <analysis> element (or the
 * defaults when it has none). */
#include "analysis.h"
#include "commands.h"
#include "json.h"
#include "pipeline.h"
#include "run.h"
#include "store.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
    "Usage: callmap analyze PIPELINE [--wait SECONDS] [--json] [--verbose] [--quiet]\n"
    "\n"
    "Computes the analysis tables (unit_month, unit_hour_weekday, employee_month,\n"
    "unit_potential, unit_potential_reasons, unit_datapoints, unit_month_datapoints,\n"
    "subscription_usage, analysis_datapoints, analysis_parameters) in the pipeline's\n"
    "store, replacing the earlier ones, with the parameters of the pipeline's\n"
    "<analysis> element (every one has a default; see docs/analysis.md).\n"
    "\n"
    "Options:\n"
    "  --wait SECONDS   wait this long for a run that is writing the store (default 0)\n"
    "  --json           print the summary as one JSON object\n"
    "  -v, --verbose    print each step's time on stderr\n"
    "  -q, --quiet      print nothing but errors\n"
    "  -h, --help       this help\n"
    "\n"
    "Exit status: 0 computed, 1 a store error, 2 a bad command line, pipeline or\n"
    "data point (a custom <datapoint> whose SQL fails), 3 the store is busy.\n";

static int usage_error(const char *fmt, const char *arg)
{
    fputs("callmap analyze: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'callmap analyze --help' for more information.\n", stderr);
    return CM_EXIT_USAGE;
}

static const char *const tables[] = {"unit_month",     "unit_hour_weekday",      "employee_month",
                                     "unit_potential", "unit_potential_reasons", "subscription_usage"};

static int64_t table_rows(const cm_analysis_summary *s, size_t i)
{
    const int64_t v[] = {s->unit_month,     s->unit_hour_weekday,      s->employee_month,
                         s->unit_potential, s->unit_potential_reasons, s->subscription_usage};
    return v[i];
}

static void print_summary(const cm_pipeline *pl, const cm_analysis_summary *s, int json)
{
    if (json) {
        cm_json j;
        cm_json_init(&j, stdout);
        cm_json_begin_object(&j);
        cm_json_key_string(&j, "pipeline", pl->name);
        cm_json_key_string(&j, "store", pl->store_path);
        cm_json_key_string(&j, "from", s->from[0] ? s->from : NULL);
        cm_json_key_string(&j, "to", s->to[0] ? s->to : NULL);
        cm_json_key_int(&j, "days", s->days);
        cm_json_key_double(&j, "elapsed_s", s->elapsed_s);
        cm_json_key(&j, "tables");
        cm_json_begin_object(&j);
        for (size_t i = 0; i < sizeof tables / sizeof *tables; i++)
            cm_json_key_int(&j, tables[i], table_rows(s, i));
        cm_json_end_object(&j);
        cm_json_end_object(&j);
        fputc('\n', stdout);
        return;
    }
    if (s->from[0])
        printf("analysis of pipeline '%s': %s to %s (%lld days) in %.1f s\n", pl->name, s->from,
               s->to, (long long)s->days, s->elapsed_s);
    else
        printf("analysis of pipeline '%s': the store has no attributed calls or costs; the "
               "tables are empty\n",
               pl->name);
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++)
        printf("  %-24s %10lld rows\n", tables[i], (long long)table_rows(s, i));
    printf("store: %s\n", pl->store_path);
}

int cm_cmd_analyze(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"wait", required_argument, NULL, 'w'}, {"json", no_argument, NULL, 'j'},
        {"verbose", no_argument, NULL, 'v'},    {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0},
    };
    double wait_s = 0;
    int json = 0, verbose = 0, quiet = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "vqh", longopts, NULL)) != -1) {
        switch (c) {
        case 'w': {
            char *end;
            wait_s = strtod(optarg, &end);
            if (!*optarg || *end || !(wait_s >= 0))
                return usage_error("--wait needs a number of seconds, not '%s'", optarg);
            break;
        }
        case 'j': json = 1; break;
        case 'v': verbose = 1; break;
        case 'q': quiet = 1; break;
        case 'h': fputs(usage_text, stdout); return CM_EXIT_OK;
        default:
            if (optopt)
                return usage_error("option '-%c' is unknown or needs a value",
                                   (char[]){(char)optopt, 0});
            return usage_error("option '%s' is unknown or needs a value", argv[optind - 1]);
        }
    }
    if (argc - optind != 1)
        return usage_error("%s", argc - optind == 0 ? "no pipeline given"
                                                    : "give exactly one pipeline file");
    const char *file = argv[optind];

    cm_diag diag;
    cm_diag_init(&diag);
    cm_pipeline *pl = cm_pipeline_load(file, &diag);
    for (size_t i = 0; i < diag.n; i++)
        fprintf(stderr, "%s\n", diag.msgs[i]);
    if (!pl) {
        fprintf(stderr, "callmap: %s: %zu problem%s; nothing was computed\n", file, diag.n,
                diag.n == 1 ? "" : "s");
        cm_diag_free(&diag);
        return CM_EXIT_USAGE;
    }
    cm_diag_free(&diag);
    if (access(pl->store_path, F_OK) != 0) {
        fprintf(stderr, "callmap: %s: there is no store at %s; load the data first with "
                        "'callmap run %s'\n",
                file, pl->store_path, file);
        cm_pipeline_free(pl);
        return CM_EXIT_USAGE;
    }
    char err[2048];
    cm_store *st = cm_store_open(pl->store_path, err, sizeof err);
    if (!st) {
        fprintf(stderr, "callmap: %s\n", err);
        cm_pipeline_free(pl);
        return CM_EXIT_FILE_FAILED;
    }
    char *holder = NULL;
    int lk = cm_store_lock(st, wait_s, &holder);
    if (lk != 0) {
        if (lk > 0)
            fprintf(stderr, "callmap: %s is busy: %s is writing it (waited %g s; see --wait)\n",
                    pl->store_path, holder, wait_s);
        else
            fprintf(stderr, "callmap: %s\n", cm_store_error(st));
        free(holder);
        cm_store_close(st);
        cm_pipeline_free(pl);
        return lk > 0 ? CM_EXIT_BUSY : CM_EXIT_FILE_FAILED;
    }
    cm_analysis_summary sum;
    int rc = cm_analysis_run(cm_store_db(st), pl->analysis, pl->file, verbose, &sum, err,
                             sizeof err);
    int exit_rc = CM_EXIT_OK;
    if (rc == CM_ANALYSIS_OK) {
        if (!quiet || json)
            print_summary(pl, &sum, json);
    } else {
        fprintf(stderr, "callmap: analysis failed: %s; the store's analysis tables are "
                        "unchanged\n",
                err);
        exit_rc = rc == CM_ANALYSIS_BAD_DATAPOINT ? CM_EXIT_USAGE : CM_EXIT_FILE_FAILED;
    }
    cm_store_close(st);
    cm_pipeline_free(pl);
    return exit_rc;
}
