/* The HR exports of a month (snapshots "as known at the month's end"):
 * hr/YYYY-MM/org-units.csv, employees.csv and numbers.csv, ';'-separated
 * UTF-8 with a header; rows that end after the month's end show no valid_to
 * yet.  Every file has an export_date column (which the hr plugin ignores),
 * so no two monthly snapshots have the same content. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cal.h"
#include "fmt.h"
#include "pack.h"
#include "sbuf.h"
#include "util.h"
#include "writers.h"

static void date_or_empty(sbuf *b, int64_t day, int64_t until)
{
    if (day != DAY_OPEN && day <= until)
        fmt_date_iso(b, day);
}

static out_file *open_csv(gen *g, int month, const char *name, acct *a, int source, char *rel,
                          size_t reln)
{
    char mf[8], path[4096];
    month_folder(mf, month);
    snprintf(rel, reln, "hr/%s/%s", mf, name);
    snprintf(path, sizeof path, "%s/%s", g->out, rel);
    acct_open(a, g, source, rel, "", month);
    return out_open(path, OUT_PLAIN, NULL, 0);
}

static void org_units(gen *g, int month, int64_t end)
{
    const model *m = g->m;
    acct a;
    char rel[256];
    out_file *o = open_csv(g, month, "org-units.csv", &a, SRC_HR_ORG, rel, sizeof rel);
    sbuf b = {0};
    sb_str(&b, "unit_id;name;parent_id;ean;type;valid_from;valid_to;export_date\n");
    for (int i = 0; i < m->nunits; i++) {
        const unit *u = &m->units[i];
        int moved = u->new_parent >= 0 && u->reorg_day <= end;
        for (int k = 0; k <= moved; k++) {
            int parent = k ? u->new_parent : u->parent;
            sb_str(&b, u->id);
            sb_ch(&b, ';');
            sb_str(&b, u->name);
            sb_ch(&b, ';');
            if (parent >= 0)
                sb_str(&b, m->units[parent].id);
            sb_ch(&b, ';');
            sb_str(&b, u->ean);
            sb_ch(&b, ';');
            sb_str(&b, unit_type_name(u->type));
            sb_ch(&b, ';');
            fmt_date_iso(&b, k ? u->reorg_day : u->valid_from);
            sb_ch(&b, ';');
            if (moved && !k)
                fmt_date_iso(&b, u->reorg_day - 1);
            sb_ch(&b, ';');
            fmt_date_iso(&b, end);
            sb_ch(&b, '\n');
            acct_rows(&a, 1);
        }
    }
    out_write(o, b.p, b.n);
    out_close(o);
    acct_close(&a);
    sb_free(&b);
}

static void bad_employee(acct *a, sbuf *b, int64_t end, int seq)
{
    int kind = acct_bad_kind(a, 3);
    sb_str(b, "E9");
    sb_uz(b, (uint64_t)seq % 100000u, 5);
    if (kind == 0) {
        sb_str(b, ";KFF;Lene\n"); /* cut short */
    } else if (kind == 1) {
        sb_str(b, ";KFF;Lene Vikar;Vikar;31.02.");
        sb_uz(b, (uint64_t)(end / 365 + 1970) % 10000u, 4);
        sb_str(b, ";;");
        fmt_date_iso(b, end);
        sb_ch(b, '\n');
    } else {
        sb_str(b, ";KFF;S\xF8ren Vikar;Vikar;2024-01-01;;"); /* Windows-1252 */
        fmt_date_iso(b, end);
        sb_ch(b, '\n');
    }
    a->line++;
    acct_reject(a, a->line, kind == 0 ? "broken_line" : kind == 1 ? "bad_date" : "encoding");
}

static void employees(gen *g, int month, int64_t end)
{
    const model *m = g->m;
    acct a;
    char rel[256];
    out_file *o = open_csv(g, month, "employees.csv", &a, SRC_HR_EMP, rel, sizeof rel);
    sbuf b = {0};
    sb_str(&b, "employee_id;unit_id;name;title;valid_from;valid_to;export_date\n");
    a.line = 1;
    int bad = 0;
    for (int i = 0; i < m->nemps; i++) {
        const employee *e = &m->emps[i];
        if (e->valid_from > end)
            continue;
        if (acct_want_bad(&a))
            bad_employee(&a, &b, end, ++bad);
        sb_str(&b, e->id);
        sb_ch(&b, ';');
        sb_str(&b, m->units[e->unit].id);
        sb_ch(&b, ';');
        sb_str(&b, e->name);
        sb_ch(&b, ';');
        sb_str(&b, e->title);
        sb_ch(&b, ';');
        fmt_date_iso(&b, e->valid_from);
        sb_ch(&b, ';');
        date_or_empty(&b, e->valid_to, end);
        sb_ch(&b, ';');
        fmt_date_iso(&b, end);
        sb_ch(&b, '\n');
        a.line++;
        acct_rows(&a, 1);
    }
    out_write(o, b.p, b.n);
    out_close(o);
    acct_close(&a);
    sb_free(&b);
}

static void bad_number(acct *a, sbuf *b, int64_t end, int seq)
{
    int kind = acct_bad_kind(a, 2);
    sb_str(b, "+4531");
    sb_uz(b, (uint64_t)(900000 + seq) % 1000000u, 6);
    if (kind == 0) {
        sb_str(b, ";E100001\n"); /* cut short */
    } else {
        sb_str(b, ";;KFF;mobile;2025-13-01;;");
        fmt_date_iso(b, end);
        sb_ch(b, '\n');
    }
    a->line++;
    acct_reject(a, a->line, kind == 0 ? "broken_line" : "bad_date");
}

static void numbers(gen *g, int month, int64_t end)
{
    const model *m = g->m;
    acct a;
    char rel[256];
    out_file *o = open_csv(g, month, "numbers.csv", &a, SRC_HR_NUM, rel, sizeof rel);
    sbuf b = {0};
    sb_str(&b, "number;employee_id;unit_id;kind;valid_from;valid_to;export_date\n");
    a.line = 1;
    int bad = 0;
    for (int i = 0; i < m->nasgs; i++) {
        const assignment *x = &m->asgs[i];
        if (x->valid_from > end)
            continue;
        if (acct_want_bad(&a))
            bad_number(&a, &b, end, ++bad);
        const number *n = &m->nums[x->number];
        sb_str(&b, n->e164);
        sb_ch(&b, ';');
        if (x->emp >= 0)
            sb_str(&b, m->emps[x->emp].id);
        sb_ch(&b, ';');
        sb_str(&b, m->units[x->unit].id);
        sb_ch(&b, ';');
        sb_str(&b, number_kind_name(n->kind));
        sb_ch(&b, ';');
        fmt_date_iso(&b, x->valid_from);
        sb_ch(&b, ';');
        date_or_empty(&b, x->valid_to, end);
        sb_ch(&b, ';');
        fmt_date_iso(&b, end);
        sb_ch(&b, '\n');
        a.line++;
        acct_rows(&a, 1);
    }
    out_write(o, b.p, b.n);
    out_close(o);
    acct_close(&a);
    sb_free(&b);
}

void hr_write(gen *g, int month)
{
    int y = month / 12, mo = month % 12 + 1;
    int64_t end = cal_day(y, mo, cal_days_in_month(y, mo));
    org_units(g, month, end);
    employees(g, month, end);
    numbers(g, month, end);
}
