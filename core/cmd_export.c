/* `callmap export PIPELINE TABLE -o FILE.csv`: a table of the store as CSV
 * (RFC 4180), or with --excel as Danish Excel opens it by double-click:
 * UTF-8 with a byte order mark, ';' between fields, decimal comma. Text a
 * spreadsheet would run as a formula is neutralised with a leading quote. */
#include "commands.h"
#include "report_cli.h"
#include "report_data.h"
#include "run.h"
#include "util.h"

#include <getopt.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every table (or view) that can be exported. Only these names ever reach
 * SQL, and only as the entry of this list that the argument matched. */
static const struct {
    const char *name;
    int analysis; /* made by `callmap analyze` */
} tables[] = {
    /* canonical */
    {"calls", 0},
    {"costs", 0},
    {"invoices", 0},
    {"suppliers", 0},
    {"org_units", 0},
    {"org_unit_ancestors", 0},
    {"employees", 0},
    {"number_assignments", 0},
    /* lineage */
    {"runs", 0},
    {"source_files", 0},
    {"source_file_rows", 0},
    {"source_file_counters", 0},
    {"warnings", 0},
    {"rejects", 0},
    /* analysis */
    {"unit_month", 1},
    {"unit_hour_weekday", 1},
    {"employee_month", 1},
    {"unit_potential", 1},
    {"unit_potential_reasons", 1},
    {"unit_datapoints", 1},
    {"unit_month_datapoints", 1},
    {"subscription_usage", 1},
    {"analysis_datapoints", 1},
    {"analysis_parameters", 1},
};
#define NTABLES (sizeof tables / sizeof *tables)

static void print_tables(FILE *f)
{
    fputs("  canonical and lineage:", f);
    for (size_t i = 0; i < NTABLES; i++)
        if (!tables[i].analysis)
            fprintf(f, " %s", tables[i].name);
    fputs("\n  analysis (after `callmap analyze PIPELINE`):", f);
    for (size_t i = 0; i < NTABLES; i++)
        if (tables[i].analysis)
            fprintf(f, " %s", tables[i].name);
    fputs("\n", f);
}

static void usage_text(void)
{
    fputs("Usage: callmap export PIPELINE TABLE -o FILE.csv [--excel]\n"
          "\n"
          "Writes a table of the pipeline's store as CSV (RFC 4180: ',' between fields, CRLF\n"
          "line ends, fields quoted when they hold ',', '\"' or a line break; a header line\n"
          "with the column names; NULL as an empty field).\n"
          "\n"
          "Options:\n"
          "  -o, --output FILE   the file to write (required; - for standard output)\n"
          "      --excel         for Excel with Danish settings: UTF-8 with a byte order mark,\n"
          "                      ';' between fields, decimal comma in numbers\n"
          "  -h, --help          this help\n"
          "\n"
          "Text that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or\n"
          "a carriage return) gets a leading ' so it stays text; a negative number stays a\n"
          "number.\n"
          "\n"
          "Tables:\n",
          stdout);
    print_tables(stdout);
    fputs("\nExit status: 0 written, 1 the table is not in the store or the file cannot be\n"
          "written, 2 a bad command line, table name or pipeline.\n",
          stdout);
}

static int usage(const char *fmt, const char *arg)
{
    fputs("callmap export: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'callmap export --help' for more information.\n", stderr);
    return CM_EXIT_USAGE;
}

/* "-12", "-0.5", "-1.5e-05": a negative number written as text, which a
 * spreadsheet reads as the number it is (not a formula to neutralise). */
static int plain_negative_number(const char *s)
{
    const char *p = s + 1;
    if (*s != '-' || !(*p >= '0' && *p <= '9'))
        return 0;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == '.' || *p == ',') {
        p++;
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == 0;
}

/* One field: neutralised (text only), then quoted when it must be. */
static void put_field(FILE *f, const char *s, size_t n, int is_text, char sep)
{
    int neutral = is_text && n > 0 && strchr("=+-@\t\r", s[0]) && !plain_negative_number(s);
    int quote = 0;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == sep || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (quote)
        fputc('"', f);
    if (neutral)
        fputc('\'', f);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            fputc('"', f);
        fputc(s[i], f);
    }
    if (quote)
        fputc('"', f);
}

static int write_csv(sqlite3 *db, const char *table, FILE *f, int excel, char **err)
{
    char sep = excel ? ';' : ',';
    /* table is an entry of the list above, never the argument itself */
    char *sql = cm_asprintf("SELECT * FROM \"%s\" ORDER BY rowid", table);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        /* a view or a table without rowid: its own order */
        free(sql);
        sql = cm_asprintf("SELECT * FROM \"%s\"", table);
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
            *err = cm_xstrdup(sqlite3_errmsg(db));
            free(sql);
            return -1;
        }
    }
    free(sql);
    if (excel)
        fputs("\xEF\xBB\xBF", f);
    int ncols = sqlite3_column_count(st);
    for (int c = 0; c < ncols; c++) {
        const char *name = sqlite3_column_name(st, c);
        if (c)
            fputc(sep, f);
        put_field(f, name, strlen(name), 1, sep);
    }
    fputs("\r\n", f);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int c = 0; c < ncols; c++) {
            if (c)
                fputc(sep, f);
            int type = sqlite3_column_type(st, c);
            if (type == SQLITE_NULL)
                continue;
            if (type == SQLITE_BLOB) {
                const unsigned char *p = sqlite3_column_blob(st, c);
                int n = sqlite3_column_bytes(st, c);
                for (int i = 0; i < n; i++)
                    fprintf(f, "%02x", p[i]);
                continue;
            }
            const char *s = (const char *)sqlite3_column_text(st, c);
            size_t n = (size_t)sqlite3_column_bytes(st, c);
            if (type == SQLITE_FLOAT && excel) {
                /* SQLite writes a REAL with '.', never with grouping */
                char buf[64];
                cm_strlcpy(buf, s, sizeof buf);
                char *dot = strchr(buf, '.');
                if (dot)
                    *dot = ',';
                fputs(buf, f);
            } else if (type == SQLITE_FLOAT || type == SQLITE_INTEGER) {
                fwrite(s, 1, n, f);
            } else {
                put_field(f, s, n, 1, sep);
            }
        }
        fputs("\r\n", f);
    }
    if (rc != SQLITE_DONE) {
        *err = cm_xstrdup(sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_finalize(st);
    return 0;
}

int cm_cmd_export(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"excel", no_argument, NULL, 'x'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL;
    int excel = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'x': excel = 1; break;
        case 'h': usage_text(); return CM_EXIT_OK;
        default:
            if (optopt && optopt < 256)
                return usage("option '-%c' is unknown or needs a value", (char[]){(char)optopt, 0});
            return usage("option '%s' is unknown or needs a value", argv[optind - 1]);
        }
    }
    int nargs = argc - optind;
    if (nargs != 2)
        return usage("%s", nargs < 2 ? "a pipeline and a table, please: export PIPELINE TABLE -o FILE.csv"
                                     : "only a pipeline and a table, please: export PIPELINE TABLE -o FILE.csv");
    const char *pipeline = argv[optind], *arg = argv[optind + 1];
    size_t t;
    for (t = 0; t < NTABLES; t++)
        if (strcmp(tables[t].name, arg) == 0)
            break;
    if (t == NTABLES) {
        fputs("callmap export: no table '", stderr);
        /* the name as given, without control characters */
        for (const char *p = arg; *p && p - arg < 100; p++)
            fputc((unsigned char)*p < 0x20 ? '?' : *p, stderr);
        fputs("' to export; the tables are:\n", stderr);
        print_tables(stderr);
        return CM_EXIT_USAGE;
    }
    if (!out)
        return usage("%s", "-o FILE is required (the CSV file to write; - for standard output)");
    const char *table = tables[t].name;

    int rc = CM_EXIT_OK;
    cm_pipeline *pl = NULL;
    sqlite3 *db = rp_cli_open("export", pipeline, &pl, &rc);
    if (!db)
        return rc;
    if (!rp_has_table(db, table)) {
        if (tables[t].analysis)
            fprintf(stderr, "callmap export: the store %s has no table %s: run `callmap analyze %s` first\n",
                    pl->store_path, table, pipeline);
        else
            fprintf(stderr, "callmap export: the store %s has no table %s: run `callmap run %s` first\n",
                    pl->store_path, table, pipeline);
        rc = 1;
    } else {
        rp_out o;
        if (rp_cli_create(&o, "export", out)) {
            rc = 1;
        } else {
            char *err = NULL;
            int ok = write_csv(db, table, o.f, excel, &err) == 0;
            if (!ok)
                fprintf(stderr, "callmap export: %s: %s\n", table, err);
            free(err);
            if (rp_cli_finish(&o, ok))
                rc = 1;
        }
    }
    sqlite3_close(db);
    cm_pipeline_free(pl);
    return rc;
}
