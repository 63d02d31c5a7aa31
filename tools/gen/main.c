/* callmap-gen: writes a synthetic municipality's telephony data (HR exports,
 * operator CDRs and invoices, PBX call records, contact-center logs) and the
 * truth a correct load must give.  See README.md. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cal.h"
#include "calls.h"
#include "gen.h"
#include "kc.h"
#include "model.h"
#include "truth.h"
#include "util.h"
#include "writers.h"

#define STREAM_BAD 7
#define MAX_SCALE 2.5

static const char USAGE[] =
    "usage: callmap-gen --out DIR [--seed N] [--scale demo|kk|FACTOR] [--months N]\n"
    "                   [--start YYYY-MM] [--bad-rate R]\n"
    "\n"
    "Writes a synthetic municipality's telephony data into DIR (which must be empty or\n"
    "new): HR snapshots, TDC mobile CDRs and OIOUBL invoices, Asterisk and Cisco CUCM\n"
    "call records, the contact center's queue_log and export, and the truth a correct\n"
    "load gives (truth.tsv, truth.json). The same options give the same bytes.\n"
    "\n"
    "  --out DIR       the folder to write (required)\n"
    "  --seed N        the random seed (default 1)\n"
    "  --scale S       demo (a few thousand records a month), kk (Copenhagen: about\n"
    "                  2.8 million decentral and 3.5 million contact-center calls a\n"
    "                  year), or a factor of kk up to 2.5 (default demo)\n"
    "  --months N      months to write, 1 to 120 (default 2)\n"
    "  --start YYYY-MM the first month (default 2025-03)\n"
    "  --bad-rate R    share of records written broken on purpose, 0 to 0.1\n"
    "                  (default 0.003; 0 writes no bad data at all)\n"
    "  --help          this text\n";

typedef struct options {
    const char *out;
    uint64_t seed;
    const char *scale_text;
    double scale;
    int months;
    int start_y, start_m;
    double bad_rate;
} options;

/* a decimal number without locale: digits, optionally '.' and digits */
static int parse_decimal(const char *s, double *out)
{
    double v = 0, f = 0.1;
    int digits = 0;
    for (; *s >= '0' && *s <= '9'; s++, digits++)
        v = v * 10 + (*s - '0');
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++, digits++, f /= 10)
            v += (*s - '0') * f;
    if (*s || !digits)
        return -1;
    *out = v;
    return 0;
}

static int parse_uint(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (max - (uint64_t)(*s - '0')) / 10)
            return -1;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return 0;
}

static void parse_args(int argc, char **argv, options *o)
{
    *o = (options){.seed = 1, .scale_text = "demo", .scale = 0.01, .months = 2, .start_y = 2025,
                   .start_m = 3, .bad_rate = 0.003};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(USAGE, stdout);
            exit(0);
        }
        if (a[0] != '-' || a[1] != '-')
            die("unexpected argument '%s' (see --help)", a);
        const char *v = NULL;
        const char *eq = strchr(a, '=');
        char name[32];
        snprintf(name, sizeof name, "%.*s", eq ? (int)(eq - a) : (int)strlen(a), a);
        static const char *const known[] = {"--out", "--seed", "--scale", "--months", "--start",
                                            "--bad-rate"};
        int ok = 0;
        for (size_t k = 0; k < sizeof known / sizeof *known; k++)
            ok |= !strcmp(name, known[k]);
        if (!ok)
            die("unknown option %s (see --help)", name);
        if (eq) {
            v = eq + 1;
        } else {
            if (i + 1 >= argc)
                die("%s needs a value (see --help)", a);
            v = argv[++i];
        }
        uint64_t u;
        if (!strcmp(name, "--out")) {
            if (!*v)
                die("--out needs a folder");
            o->out = v;
        } else if (!strcmp(name, "--seed")) {
            if (parse_uint(v, UINT64_MAX, &u) != 0)
                die("--seed must be a whole number from 0 to 18446744073709551615, not '%s'", v);
            o->seed = u;
        } else if (!strcmp(name, "--scale")) {
            o->scale_text = v;
            if (!strcmp(v, "demo"))
                o->scale = 0.01;
            else if (!strcmp(v, "kk"))
                o->scale = 1.0;
            else if (parse_decimal(v, &o->scale) != 0 || o->scale <= 0 || o->scale > MAX_SCALE)
                die("--scale must be demo, kk or a factor of kk above 0 and at most 2.5 (each "
                    "PBX's 4-digit extension plan must hold its numbers), not '%s'", v);
        } else if (!strcmp(name, "--months")) {
            if (parse_uint(v, 120, &u) != 0 || u < 1)
                die("--months must be a whole number from 1 to 120, not '%s'", v);
            o->months = (int)u;
        } else if (!strcmp(name, "--start")) {
            uint64_t y, m;
            char ys[8], ms[8];
            if (strlen(v) != 7 || v[4] != '-' || (memcpy(ys, v, 4), ys[4] = 0, memcpy(ms, v + 5, 2),
                                                  ms[2] = 0, parse_uint(ys, 9999, &y)) != 0 ||
                parse_uint(ms, 12, &m) != 0 || m < 1 || y < 2010 || y > 2090)
                die("--start must be a month YYYY-MM between 2010-01 and 2090-12, not '%s'", v);
            o->start_y = (int)y;
            o->start_m = (int)m;
        } else if (!strcmp(name, "--bad-rate")) {
            if (parse_decimal(v, &o->bad_rate) != 0 || o->bad_rate > 0.1)
                die("--bad-rate must be a share from 0 to 0.1, not '%s'", v);
        } else {
            die("unknown option %s (see --help)", name);
        }
    }
    if (!o->out)
        die("--out DIR is required (see --help)");
}

static void check_out_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        if (errno != ENOENT)
            die("cannot open the folder %s: %s", dir, strerror(errno));
        make_dirs(dir);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            closedir(d);
            die("%s is not empty: give a new or empty folder", dir);
        }
    }
    closedir(d);
}

static void write_readme(const options *o, const model *m)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/README.txt", o->out);
    FILE *f = fopen(path, "wb");
    if (!f)
        die("cannot create %s", path);
    int y0 = o->start_y, m0 = o->start_m;
    int last = y0 * 12 + m0 - 1 + o->months - 1;
    fprintf(f,
            "Synthetic telephony data of a fictional Copenhagen municipality, written by\n"
            "callmap-gen (tools/gen in the callmap repository). No real persons.\n\n"
            "seed %llu, scale %s, %d month(s) from %04d-%02d to %04d-%02d, bad-rate %s\n"
            "units %d, employees %d, numbers %d, Asterisk sites %d\n\n"
            "hr/YYYY-MM/org-units.csv, employees.csv, numbers.csv   HR snapshots at each month's end\n"
            "tdc/mobile/YYYY-MM/tdc-mobil-YYYY-MM.csv.gz            TDC mobile traffic export (Windows-1252)\n"
            "tdc/invoices/YYYY-MM/*.xml                             OIOUBL invoices and a credit note\n"
            "pbx/asterisk/<site>/YYYY-MM.zip                        Asterisk Master.csv (local time)\n"
            "pbx/cucm/YYYY-MM.tar.gz                                Cisco CUCM CDR files, one per day\n"
            "contactcenter/queue_log/YYYY-MM/queue_log              Asterisk queue_log of the contact center\n"
            "contactcenter/export/YYYY-MM/calls.csv                 the contact-center system's export\n"
            "truth.tsv, truth.json                                  what a correct load gives\n\n"
            "Read it with pipelines/demo.xml (CALLMAP_DATA=this folder); tools/gen/README.md\n"
            "has the sources, their options and the truth's keys.\n",
            (unsigned long long)o->seed, o->scale_text, o->months, y0, m0, last / 12, last % 12 + 1,
            o->bad_rate > 0 ? "on" : "0 (no bad data)", m->nunits, m->nemps, m->nnums, m->nsites);
    if (fclose(f) != 0)
        die("cannot write %s", path);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    options o;
    parse_args(argc, argv, &o);
    check_out_dir(o.out);
    double t0 = now_s();

    int first_month = o.start_y * 12 + o.start_m - 1;
    int last_month = first_month + o.months - 1;
    int ly = last_month / 12, lm = last_month % 12 + 1;
    model m;
    model_build(&m, o.seed, o.scale, cal_day(o.start_y, o.start_m, 1),
                cal_day(ly, lm, cal_days_in_month(ly, lm)));
    gen g = {.out = o.out, .seed = o.seed, .bad_rate = o.bad_rate, .m = &m,
             .first_month = first_month, .months = o.months, .truncate = o.bad_rate > 0};
    g.t = truth_new(&m, first_month, o.months);
    rng_seed(&g.bad, o.seed, STREAM_BAD);
    calls_ctx *cc = calls_new(&m, o.seed);
    kc_ctx *kc = kc_new(&m, o.seed);
    day_calls dc = {0};
    kc_day_calls qlc = {0}, exc = {0};

    for (int month = first_month; month <= last_month; month++) {
        int y = month / 12, mo = month % 12 + 1;
        hr_write(&g, month);
        ast_writer *ast = ast_open(&g, month);
        cucm_writer *cucm = cucm_open(&g, month);
        tdc_writer *tdc = tdc_open(&g, month);
        ql_writer *ql = ql_open(&g, month);
        ex_writer *ex = ex_open(&g, month);
        int64_t d0 = cal_day(y, mo, 1), d1 = cal_day(y, mo, cal_days_in_month(y, mo));
        for (int64_t day = d0; day <= d1; day++) {
            calls_day(cc, day, &dc);
            cucm_day(cucm, day);
            for (int i = 0; i < dc.n; i++) {
                const call *c = &dc.v[i];
                if (c->sys == SYS_ASTERISK)
                    ast_call(ast, c);
                else if (c->sys == SYS_CUCM)
                    cucm_call(cucm, c);
                else
                    tdc_call(tdc, c);
            }
            kc_day(kc, day, &qlc, &exc);
            ql_day(ql, day, &qlc);
            ex_day(ex, &exc);
        }
        ast_close(ast);
        cucm_close(cucm);
        invoices_write(&g, month, tdc);
        tdc_close(tdc);
        ql_close(ql);
        ex_close(ex);
    }
    truth_supersede(g.t, SRC_HR_ORG);
    truth_supersede(g.t, SRC_HR_EMP);
    truth_supersede(g.t, SRC_HR_NUM);
    write_readme(&o, &m);
    truth_info info = {.seed = o.seed, .scale_text = o.scale_text, .scale = o.scale,
                       .bad_rate = o.bad_rate, .start_y = o.start_y, .start_m = o.start_m,
                       .months = o.months};
    truth_write(g.t, o.out, &info);

    double secs = now_s() - t0;
    int64_t records = truth_records(g.t, -1);
    fprintf(stderr, "callmap-gen: %s: %lld records in %d month(s), %.1f s (%.0f records/s)\n",
            o.out, (long long)records, o.months, secs, secs > 0 ? (double)records / secs : 0.0);

    free(dc.v);
    free(qlc.v);
    free(exc.v);
    kc_free(kc);
    calls_free(cc);
    truth_free(g.t);
    model_free(&m);
    return 0;
}
