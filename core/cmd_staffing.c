/* `callmap staffing`: Erlang C staffing for one interval (core/erlang.h). */
#include "commands.h"
#include "erlang.h"
#include "json.h"
#include "run.h"

#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char staffing_usage[] =
    "Usage: callmap staffing --calls N --interval MINUTES --aht SECONDS\n"
    "                        --target R --within SECONDS\n"
    "                        [--shrinkage R] [--max-occupancy R] [--json]\n"
    "\n"
    "Agents an Erlang C queue (M/M/N: Poisson arrivals, exponential handle times,\n"
    "no abandonment) needs so that the share R of the calls is answered within\n"
    "SECONDS, and the service level, average speed of answer, occupancy and\n"
    "scheduled staff that gives.\n"
    "\n"
    "  --calls N             calls offered in the interval (forecast; may be a decimal)\n"
    "  --interval MINUTES    length of the interval, e.g. 15, 30 or 60\n"
    "  --aht SECONDS         average handle time: talk + hold + wrap-up\n"
    "  --target R            target service level as a share, 0 < R < 1 (0.8 = 80 %)\n"
    "  --within SECONDS      the service-level threshold T (answered within T)\n"
    "  --shrinkage R         share of paid time not on the phone (breaks, meetings,\n"
    "                        training, absence), 0 <= R < 1; default 0\n"
    "  --max-occupancy R     also keep occupancy at most R, 0 < R <= 1; default no cap\n"
    "  --json                print one JSON object: agents, service_level (share),\n"
    "                        asa_s, occupancy (share), scheduled, load_erlang\n"
    "  -h, --help            this help\n"
    "\n"
    "Offered load A = calls x AHT / interval (Erlang). Agents needed is the smallest\n"
    "N > A with SL(T) = 1 - C(N,A) exp(-(N-A) T / AHT) >= target (raised to\n"
    "ceil(A / max occupancy) with a cap); scheduled staff = ceil(N / (1 - shrinkage)).\n"
    "ASA is the mean wait over all calls, C(N,A) AHT / (N-A).\n"
    "\n"
    "Example: callmap staffing --calls 100 --interval 30 --aht 180 --target 0.8 --within 20\n"
    "\n"
    "Exit status: 0 ok, 2 bad command line.\n";

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("callmap staffing: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'callmap staffing --help' for more information.\n", stderr);
    return CM_EXIT_USAGE;
}

/* A finite decimal number, all of the text. */
static int parse_number(const char *s, double *out)
{
    char *end;
    if (!s || !*s)
        return -1;
    double v = strtod(s, &end);
    if (end == s || *end || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

enum { OPT_CALLS = 256, OPT_INTERVAL, OPT_AHT, OPT_TARGET, OPT_WITHIN, OPT_SHRINKAGE, OPT_MAXOCC, OPT_JSON };

/* One numeric option: its name, where its value goes, whether it was given. */
typedef struct num_opt {
    const char *name;
    double *dst;
    int given;
} num_opt;

/* Percent and seconds as people read them: 84.59 %, 8.2 s. */
static void print_row(const cm_erlang_result *r, int mark)
{
    printf("%s%6d  %11.2f %%  %8.1f s  %7.1f %%  %7.2f %%\n", mark ? " ->" : "   ", r->agents,
           100.0 * r->service_level, r->asa_s, 100.0 * r->occupancy, 100.0 * r->pw);
}

/* A number with exactly `prec` decimals as a JSON value (cm_json_double
 * writes three, too few for a share). */
int cm_cmd_staffing(int argc, char **argv)
{
    double calls = 0, interval = 0, aht = 0, target = 0, within = 0, shrinkage = 0, maxocc = 0;
    int json = 0;
    num_opt opts[] = {
        [0] = {"--calls", &calls, 0},         [1] = {"--interval", &interval, 0},
        [2] = {"--aht", &aht, 0},             [3] = {"--target", &target, 0},
        [4] = {"--within", &within, 0},       [5] = {"--shrinkage", &shrinkage, 0},
        [6] = {"--max-occupancy", &maxocc, 0},
    };
    static const struct option longopts[] = {
        {"calls", required_argument, NULL, OPT_CALLS},
        {"interval", required_argument, NULL, OPT_INTERVAL},
        {"aht", required_argument, NULL, OPT_AHT},
        {"target", required_argument, NULL, OPT_TARGET},
        {"within", required_argument, NULL, OPT_WITHIN},
        {"shrinkage", required_argument, NULL, OPT_SHRINKAGE},
        {"max-occupancy", required_argument, NULL, OPT_MAXOCC},
        {"json", no_argument, NULL, OPT_JSON},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };

    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        if (c >= OPT_CALLS && c <= OPT_MAXOCC) {
            num_opt *o = &opts[c - OPT_CALLS];
            if (parse_number(optarg, o->dst) != 0)
                return usage_error("%s needs a number, not '%s'", o->name, optarg);
            o->given = 1;
            continue;
        }
        switch (c) {
        case OPT_JSON: json = 1; break;
        case 'h': fputs(staffing_usage, stdout); return CM_EXIT_OK;
        case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
        default: {
            const char *arg = argv[optind - 1];
            if (strncmp(arg, "--", 2) != 0)
                return usage_error("option '-%c' is unknown", optopt);
            if (optopt && strchr(arg, '='))
                return usage_error("option '%.*s' takes no value", (int)(strchr(arg, '=') - arg), arg);
            return usage_error("option '%s' is unknown", arg);
        }
        }
    }
    if (optind < argc)
        return usage_error("takes no arguments, only options: '%s'", argv[optind]);

    /* Every required option, named in one message. */
    char missing[128] = "";
    for (int i = 0; i <= 4; i++)
        if (!opts[i].given) {
            if (missing[0])
                strcat(missing, ", ");
            strcat(missing, opts[i].name);
        }
    if (missing[0])
        return usage_error("missing %s (needed: --calls, --interval, --aht, --target, --within)", missing);

#define RANGE(ok, opt, what, v)                                                                    \
    do {                                                                                           \
        if (!(ok))                                                                                 \
            return usage_error(opt " must be " what ", not %g", v);                                \
    } while (0)
    RANGE(calls >= 0, "--calls", "a number of calls >= 0", calls);
    RANGE(interval > 0, "--interval", "a number of minutes > 0", interval);
    RANGE(aht > 0, "--aht", "a number of seconds > 0", aht);
    RANGE(target > 0 && target < 1, "--target", "a share between 0 and 1 (0.8 for 80 %%)", target);
    RANGE(within >= 0, "--within", "a number of seconds >= 0", within);
    RANGE(shrinkage >= 0 && shrinkage < 1, "--shrinkage", "a share, at least 0 and below 1 (0.3 for 30 %%)",
          shrinkage);
    if (opts[6].given)
        RANGE(maxocc > 0 && maxocc <= 1, "--max-occupancy", "a share above 0 and at most 1 (0.85 for 85 %%)",
              maxocc);
#undef RANGE

    cm_staffing_params p = {
        .load = cm_erlang_load(calls, interval * 60.0, aht),
        .aht_s = aht,
        .within_s = within,
        .target = target,
        .max_occupancy = opts[6].given ? maxocc : 0,
        .shrinkage = shrinkage,
    };
    cm_staffing s;
    if (cm_erlang_staff(&p, &s) != 0) {
        return usage_error("a load of %.1f Erlang needs more than %d agents; check --calls, --interval "
                           "and --aht",
                           p.load, CM_ERLANG_MAX_AGENTS);
    }

    if (json) {
        cm_json j;
        cm_json_init(&j, stdout);
        cm_json_begin_object(&j);
        cm_json_key_int(&j, "agents", s.at.agents);
        cm_json_key_fixed(&j, "service_level", s.at.service_level, 6);
        cm_json_key_fixed(&j, "asa_s", s.at.asa_s, 3);
        cm_json_key_fixed(&j, "occupancy", s.at.occupancy, 6);
        cm_json_key_int(&j, "scheduled", s.scheduled);
        cm_json_key_fixed(&j, "load_erlang", p.load, 4);
        cm_json_end_object(&j);
        fputc('\n', stdout);
        return CM_EXIT_OK;
    }

    printf("Offered load:     %.4f Erlang (%.10g calls in %.10g min, AHT %.10g s)\n", p.load, calls, interval, aht);
    printf("Target:           %g %% of calls answered within %g s", 100.0 * target, within);
    if (opts[6].given)
        printf(", occupancy at most %g %%", 100.0 * maxocc);
    printf("\n\n");
    printf("   %6s  %13s  %10s  %9s  %9s\n", "agents", "service level", "ASA", "occupancy", "P(wait)");
    int first = (int)floor(p.load) + 1;
    int from = s.at.agents - 2 < first ? first : s.at.agents - 2;
    for (int n = from; n <= s.at.agents + 2; n++) {
        cm_erlang_result r = n == s.at.agents ? s.at : cm_erlang_eval(n, p.load, aht, within);
        print_row(&r, n == s.at.agents);
    }
    printf("\n");
    printf("Agents needed:    %d", s.at.agents);
    if (s.at.agents > s.agents_for_sl)
        printf(" (%d for the service level, raised by the occupancy cap)", s.agents_for_sl);
    printf("\n");
    printf("Service level:    %.2f %% within %g s\n", 100.0 * s.at.service_level, within);
    printf("ASA:              %.1f s\n", s.at.asa_s);
    printf("Occupancy:        %.1f %%\n", 100.0 * s.at.occupancy);
    printf("Scheduled staff:  %d (after %g %% shrinkage)\n", s.scheduled, 100.0 * shrinkage);
    return CM_EXIT_OK;
}
