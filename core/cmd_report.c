/* `callmap report PIPELINE -o FILE.html`: the analysis as one self-contained
 * HTML page. The page is built in report_html.c from the queries in
 * report_data.c, with the charts of report_svg.c. */
#include "commands.h"
#include "report.h"
#include "report_cli.h"
#include "run.h"
#include "util.h"

#include <getopt.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

static const char usage_text[] =
    "Usage: callmap report PIPELINE -o FILE.html [OPTIONS]\n"
    "\n"
    "Writes the analysis of the pipeline's store (`callmap analyze PIPELINE` first) as one\n"
    "self-contained HTML file: inline CSS and SVG charts, no script, nothing from the network.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE         the HTML file to write (required; - for standard output)\n"
    "      --unit ID             a unit to show (repeatable, at most 12); default: the top\n"
    "                            units of the potential ranking\n"
    "      --top N               how many units by default (default 4)\n"
    "      --from YYYY-MM        the first month of the period shown (default: all data)\n"
    "      --to YYYY-MM          the last month of the period shown\n"
    "      --compare FROM..TO FROM..TO\n"
    "                            compare two periods (A and B) side by side per unit, with\n"
    "                            the change of every data point; a period is YYYY-MM..YYYY-MM\n"
    "                            or one month YYYY-MM\n"
    "      --lang en|da          the report's language and number format (default en;\n"
    "                            da: Danish labels, 1.234,5)\n"
    "      --salt TEXT           the secret the employees' codes are made with (default: a\n"
    "                            new random one per report, or $CALLMAP_REPORT_SALT); the same\n"
    "                            salt gives the same codes in every report\n"
    "  -h, --help                this help\n"
    "\n"
    "Exit status: 0 written, 1 no store or no analysis in it, or the file cannot be written,\n"
    "2 a bad command line or pipeline.\n";

static int usage(const char *fmt, const char *arg)
{
    fputs("callmap report: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'callmap report --help' for more information.\n", stderr);
    return CM_EXIT_USAGE;
}

/* "YYYY-MM..YYYY-MM" or "YYYY-MM". */
static int parse_period(const char *s, rp_period *p)
{
    const char *dots = strstr(s, "..");
    char a[16], b[16];
    if (dots) {
        if ((size_t)(dots - s) >= sizeof a || strlen(dots + 2) >= sizeof b)
            return -1;
        memcpy(a, s, (size_t)(dots - s));
        a[dots - s] = 0;
        cm_strlcpy(b, dots + 2, sizeof b);
    } else {
        if (strlen(s) >= sizeof a)
            return -1;
        cm_strlcpy(a, s, sizeof a);
        cm_strlcpy(b, s, sizeof b);
    }
    if (!rp_valid_month(a) || !rp_valid_month(b) || strcmp(a, b) > 0)
        return -1;
    cm_strlcpy(p->from, a, sizeof p->from);
    cm_strlcpy(p->to, b, sizeof p->to);
    return 0;
}

int cm_cmd_report(int argc, char **argv)
{
    enum { OPT_UNIT = 256, OPT_TOP, OPT_FROM, OPT_TO, OPT_COMPARE, OPT_LANG, OPT_SALT };
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"unit", required_argument, NULL, OPT_UNIT},
        {"top", required_argument, NULL, OPT_TOP},
        {"from", required_argument, NULL, OPT_FROM},
        {"to", required_argument, NULL, OPT_TO},
        {"compare", required_argument, NULL, OPT_COMPARE},
        {"lang", required_argument, NULL, OPT_LANG},
        {"salt", required_argument, NULL, OPT_SALT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    /* --compare takes two words: join them ("A B" -> "--compare=A|B") so
     * getopt sees one option */
    char **av = cm_xcalloc((size_t)argc + 1, sizeof *av);
    char **owned = cm_xcalloc((size_t)argc + 1, sizeof *owned);
    int ac = 0, nowned = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            while (i < argc)
                av[ac++] = argv[i++];
            break;
        }
        if (strcmp(argv[i], "--compare") == 0 || strncmp(argv[i], "--compare=", 10) == 0) {
            int joined = argv[i][9] == '=';
            const char *first = joined ? argv[i] + 10 : (i + 1 < argc ? argv[i + 1] : NULL);
            int next = joined ? i + 1 : i + 2;
            if (!first || next >= argc || argv[next][0] == '-') {
                free(av);
                for (int k = 0; k < nowned; k++)
                    free(owned[k]);
                free(owned);
                return usage("%s", "--compare needs two periods: --compare FROM..TO FROM..TO");
            }
            av[ac++] = owned[nowned++] = cm_asprintf("--compare=%s|%s", first, argv[next]);
            i = next;
            continue;
        }
        av[ac++] = argv[i];
    }
    av[ac] = NULL;

    rp_opts o;
    memset(&o, 0, sizeof o);
    o.top = 4;
    o.lang = RP_EN;
    const char *out = NULL, *salt = getenv("CALLMAP_REPORT_SALT");
    const char **units = NULL;
    int have_from = 0, have_to = 0, c, rc = CM_EXIT_OK;
    char *bad = NULL;
    optind = 1;
    opterr = 0;
    while (!bad && (c = getopt_long(ac, av, "o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case OPT_UNIT:
            units = cm_xrealloc(units, (o.nunits + 1) * sizeof *units);
            units[o.nunits++] = optarg;
            if (o.nunits > 12)
                bad = cm_xstrdup("at most 12 --unit options");
            break;
        case OPT_TOP: {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (!*optarg || *end || n < 1 || n > 12)
                bad = cm_asprintf("--top needs a number from 1 to 12, not '%s'", optarg);
            o.top = (int)n;
            break;
        }
        case OPT_FROM:
        case OPT_TO:
            if (!rp_valid_month(optarg)) {
                bad = cm_asprintf("--%s needs a month YYYY-MM, not '%s'", c == OPT_FROM ? "from" : "to",
                                  optarg);
            } else if (c == OPT_FROM) {
                cm_strlcpy(o.period.from, optarg, sizeof o.period.from);
                have_from = 1;
            } else {
                cm_strlcpy(o.period.to, optarg, sizeof o.period.to);
                have_to = 1;
            }
            break;
        case OPT_COMPARE: {
            char *sep = strchr(optarg, '|');
            *sep = 0;
            if (parse_period(optarg, &o.cmp[0]) || parse_period(sep + 1, &o.cmp[1]))
                bad = cm_asprintf("--compare needs two periods YYYY-MM..YYYY-MM, not '%s' '%s'", optarg,
                                  sep + 1);
            o.compare = 1;
            break;
        }
        case OPT_LANG:
            if (strcmp(optarg, "en") == 0)
                o.lang = RP_EN;
            else if (strcmp(optarg, "da") == 0)
                o.lang = RP_DA;
            else
                bad = cm_asprintf("--lang is en or da, not '%s'", optarg);
            break;
        case OPT_SALT: salt = optarg; break;
        case 'h':
            fputs(usage_text, stdout);
            rc = -1;
            break;
        default:
            if (optopt && optopt < 256)
                bad = cm_asprintf("option '-%c' is unknown or needs a value", optopt);
            else
                bad = cm_asprintf("option '%s' is unknown or needs a value", av[optind - 1]);
            break;
        }
        if (rc == -1)
            break;
    }
    const char *pipeline = NULL;
    if (!bad && rc == CM_EXIT_OK) {
        int nargs = ac - optind;
        if (nargs != 1)
            bad = cm_xstrdup(nargs == 0 ? "no pipeline given" : "exactly one pipeline, please");
        else
            pipeline = av[optind];
        if (!bad && !out)
            bad = cm_xstrdup("-o FILE is required (the HTML file to write)");
        if (!bad && o.compare && (have_from || have_to))
            bad = cm_xstrdup("--compare sets its own periods: leave out --from and --to");
        if (!bad && have_from && have_to && strcmp(o.period.from, o.period.to) > 0)
            bad = cm_asprintf("--from %s is after --to", o.period.from);
    }
    if (bad || rc == -1) {
        if (bad)
            rc = usage("%s", bad);
        else
            rc = CM_EXIT_OK;
        free(bad);
        free(units);
        free(av);
        for (int k = 0; k < nowned; k++)
            free(owned[k]);
        free(owned);
        return rc;
    }
    o.units = units;

    unsigned char random_salt[32];
    if (salt) {
        o.salt = (const unsigned char *)salt;
        o.saltlen = strlen(salt);
    } else {
        if (getrandom(random_salt, sizeof random_salt, 0) != (ssize_t)sizeof random_salt) {
            FILE *f = fopen("/dev/urandom", "rb");
            if (!f || fread(random_salt, 1, sizeof random_salt, f) != sizeof random_salt) {
                fprintf(stderr, "callmap report: no random numbers for the employees' codes\n");
                rc = 1;
            }
            if (f)
                fclose(f);
        }
        o.salt = random_salt;
        o.saltlen = sizeof random_salt;
    }

    cm_pipeline *pl = NULL;
    sqlite3 *db = rc ? NULL : rp_cli_open("report", pipeline, &pl, &rc);
    rp_source *sources = NULL;
    if (db) {
        const char *missing = rp_missing_analysis_table(db);
        if (missing) {
            fprintf(stderr,
                    "callmap report: the store %s has no analysis tables (%s is missing): run "
                    "`callmap analyze %s` first\n",
                    pl->store_path, missing, pipeline);
            rc = 1;
        }
    }
    if (db && rc == 0) {
        /* the parameters the tables were computed with, else the pipeline's */
        cm_pl_analysis def;
        cm_pl_analysis_defaults(&def);
        const cm_pl_analysis *a = pl->analysis ? pl->analysis : &def;
        o.threshold_calls = rp_analysis_parameter(db, "threshold-calls", a->threshold_calls);
        o.cancel_max_calls =
            rp_analysis_parameter(db, "cancel-max-calls-per-month", a->cancel_max_calls_per_month);
        cm_pl_analysis_clear(&def);
        o.pipeline_name = pl->name;
        const char *slash = strrchr(pl->store_path, '/');
        o.store_name = slash ? slash + 1 : pl->store_path;
        sources = cm_xcalloc(pl->nsteps + 1, sizeof *sources);
        for (size_t i = 0; i < pl->nsteps; i++)
            if (pl->steps[i].type == CM_STEP_SOURCE) {
                sources[o.nsources].id = pl->steps[i].id;
                sources[o.nsources].plugin = pl->steps[i].plugin;
                sources[o.nsources++].kind = pl->steps[i].kind;
            }
        o.sources = sources;
        if (have_from || have_to) {
            rp_period all;
            char *err = NULL;
            if (rp_data_range(db, &all, &err) == 0) {
                if (!have_from)
                    cm_strlcpy(o.period.from, all.from[0] ? all.from : o.period.to, sizeof o.period.from);
                if (!have_to)
                    cm_strlcpy(o.period.to, all.to[0] ? all.to : o.period.from, sizeof o.period.to);
            }
            free(err);
        }
        rp_buf html = {0};
        char *err = NULL;
        rc = rp_render(db, &o, &html, &err);
        if (rc) {
            fprintf(stderr, "callmap report: %s\n", err ? err : "failed");
            if (rc == 1 && err && strstr(err, "no such"))
                fprintf(stderr, "callmap report: the analysis tables are not as this callmap expects: "
                                "run `callmap analyze %s` again\n",
                        pipeline);
        } else if (rp_cli_write("report", out, html.p, html.n)) {
            rc = 1;
        }
        free(err);
        rp_buf_free(&html);
    }
    sqlite3_close(db);
    cm_pipeline_free(pl);
    free(sources);
    free(units);
    free(av);
    for (int k = 0; k < nowned; k++)
        free(owned[k]);
    free(owned);
    return rc;
}
