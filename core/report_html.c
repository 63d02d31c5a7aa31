/* The report page: gathers each part's data from the store, then writes
 * the HTML with inline CSS and SVG. */
#include "report.h"
#include "report_svg.h"
#include "util.h"

#include <math.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_UNITS 12
#define EMP_ROWS 30
#define CANCEL_ROWS_UNIT 10
#define CANCEL_ROWS 25
#define REJECT_ROWS 15

static const char css[] =
    ":root{--ink:#1d2430;--mute:#5b6472;--line:#d9dee5;--bg:#f6f7f9;--accent:#0072B2}"
    "*{box-sizing:border-box}"
    "body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"
    "'Segoe UI',Roboto,'Helvetica Neue',Arial,'Noto Sans','Liberation Sans',sans-serif}"
    "main{max-width:1120px;margin:0 auto;padding:24px 28px 48px;background:#fff}"
    "header h1{margin:0 0 4px;font-size:30px}.sub{color:var(--mute);margin:0 0 8px}"
    "h2{margin:40px 0 8px;padding-top:8px;border-top:3px solid var(--accent);font-size:23px}"
    "h3{margin:22px 0 6px;font-size:17px}"
    "p{max-width:78ch}.note{color:var(--mute);font-size:13px}"
    "nav ol{columns:2;margin:4px 0;padding-left:22px}nav a{color:var(--accent)}"
    ".howto{background:#eef5fb;border-left:4px solid var(--accent);padding:10px 16px;margin:16px 0}"
    ".howto p{margin:6px 0}"
    "table{border-collapse:collapse;margin:8px 0 4px;font-size:14px}"
    "th,td{padding:4px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}"
    "th{background:#f0f2f5;font-weight:600}"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}td.n{white-space:nowrap}"
    ".chg{color:var(--mute);font-size:12px}"
    ".wide{overflow-x:auto}"
    "tr.chosen td{background:#fff8e6}"
    ".id{color:var(--mute);font-size:12px;white-space:nowrap}"
    "table.ranking td:last-child{min-width:260px}"
    ".reasons{margin:0;padding-left:18px;font-size:13px}.reasons li{margin:1px 0}"
    ".reasons .v{font-weight:600}.reasons .c{color:var(--mute)}"
    ".legend{display:flex;flex-wrap:wrap;gap:6px 18px;margin:6px 0 2px;font-size:14px}"
    ".sw{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:6px;"
    "vertical-align:-1px}"
    ".panels{display:grid;grid-template-columns:repeat(auto-fit,minmax(250px,1fr));gap:10px 18px}"
    ".panel h3{margin:10px 0 2px;font-size:15px}"
    ".two{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:6px 28px}"
    "svg.chart{display:block;max-width:100%;height:auto}"
    "svg.range{display:block;margin-top:3px}"
    "svg text{font-family:inherit;fill:#333}"
    "svg .tick{font-size:10px;fill:#666}svg .lbl{font-size:11px}svg .val{font-size:10.5px;fill:#222}svg .val.small{font-size:9px}"
    "table.ranking,table.overview{width:100%}"
    "svg .mono{font-family:ui-monospace,'SFMono-Regular',Menlo,Consolas,'DejaVu Sans Mono',monospace}"
    "svg .cellv{font-size:9.5px}svg .cellv.dark{fill:#fff}svg .cell{stroke:#fff;stroke-width:1}"
    "svg .grid{stroke:#e5e8ec;stroke-width:1}svg .axis{stroke:#777;stroke-width:1}"
    "svg .thr{stroke:#D55E00;stroke-width:1.5;stroke-dasharray:5 3}svg .thrl{font-size:10px;fill:#D55E00}"
    "svg .band1{fill:#f2f2f2}svg .band2{fill:#e7f1f8}"
    ".unit{border-top:1px solid var(--line);margin-top:36px}"
    ".unit h2{border-top-color:#888}"
    ".warn{color:#a33}"
    "footer{margin-top:40px;color:var(--mute);font-size:12px}"
    "@media print{body{background:#fff}main{padding:0;max-width:none}.unit{break-before:page}"
    "h2,h3{break-after:avoid}svg,table{break-inside:avoid}}";

/* ------------------------------------------------------------- helpers */

/* tmpl with each %s replaced, in order, by args (already HTML). */
static void msgf(rp_buf *b, const char *tmpl, int nargs, ...)
{
    va_list ap;
    va_start(ap, nargs);
    int used = 0;
    for (const char *p = tmpl; *p; p++) {
        if (p[0] == '%' && p[1] == 's' && used < nargs) {
            rp_put(b, va_arg(ap, const char *));
            used++;
            p++;
        } else {
            rp_putn(b, p, 1);
        }
    }
    va_end(ap);
}

/* A number as a small string (for msgf). */
static char *fmt_num(rp_lang l, double v, int decimals)
{
    rp_buf t = {0};
    rp_num(&t, l, v, decimals);
    return t.p ? t.p : cm_xstrdup("");
}

static char *fmt_period(rp_lang l, const rp_period *p)
{
    rp_buf t = {0};
    rp_month(&t, l, p->from);
    if (strcmp(p->from, p->to) != 0) {
        rp_put(&t, " \xE2\x80\x93 ");
        rp_month(&t, l, p->to);
    }
    return t.p;
}

static void td_num(rp_buf *b, rp_lang l, rp_kind k, double v)
{
    rp_put(b, "<td class=\"n\">");
    rp_value(b, l, k, v);
    rp_put(b, "</td>");
}

/* The machine-readable value of a cell, for tests and for copying. */
static void td_num_data(rp_buf *b, rp_lang l, rp_kind k, double v, const char *key)
{
    if (isnan(v))
        rp_printf(b, "<td class=\"n\" data-k=\"%s\">", key);
    else
        rp_printf(b, "<td class=\"n\" data-k=\"%s\" data-v=\"%.10g\">", key, v);
    rp_value(b, l, k, v);
    rp_put(b, "</td>");
}

typedef struct unit_info {
    char *id, *name, *type, *parent;
} unit_info;

typedef struct units {
    unit_info *u;
    size_t n;
} units;

static const unit_info *find_unit(const units *us, const char *id)
{
    for (size_t i = 0; id && i < us->n; i++)
        if (strcmp(us->u[i].id, id) == 0)
            return &us->u[i];
    return NULL;
}

static const char *unit_name(const units *us, const char *id)
{
    const unit_info *u = find_unit(us, id);
    return u && u->name ? u->name : id;
}

/* "Name (ID)" with the id muted. */
static void unit_label(rp_buf *b, const units *us, const char *id)
{
    const unit_info *u = find_unit(us, id);
    rp_html(b, u && u->name ? u->name : id);
    rp_put(b, " <span class=\"id\">");
    rp_html(b, id);
    if (u && u->type) {
        rp_put(b, " \xC2\xB7 ");
        rp_html(b, u->type);
    }
    rp_put(b, "</span>");
}

void rp_employee_key(const unsigned char *salt, size_t saltlen, const char *employee_id, int len,
                     char out[68])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    static const unsigned char empty[1] = {0};
    HMAC(EVP_sha256(), saltlen ? salt : empty, (int)saltlen, (const unsigned char *)employee_id,
         strlen(employee_id), md, &mdlen);
    if (len < 4)
        len = 4;
    if (len > 64)
        len = 64;
    out[0] = 'E';
    out[1] = '-';
    for (int i = 0; i < len; i++)
        out[2 + i] = "0123456789abcdef"[(md[i / 2] >> (i % 2 ? 0 : 4)) & 15];
    out[2 + len] = 0;
}

/* The keys of every employee the report shows, as short as they can be
 * while no two are the same. */
typedef struct keymap {
    char **ids;
    char (*keys)[68];
    size_t n;
    int len;
} keymap;

static void keymap_add(keymap *k, const char *id)
{
    for (size_t i = 0; i < k->n; i++)
        if (strcmp(k->ids[i], id) == 0)
            return;
    k->ids = cm_xrealloc(k->ids, (k->n + 1) * sizeof *k->ids);
    k->keys = cm_xrealloc(k->keys, (k->n + 1) * sizeof *k->keys);
    k->ids[k->n++] = cm_xstrdup(id);
}

static void keymap_finish(keymap *k, const rp_opts *o)
{
    for (k->len = 4; k->len < 64; k->len++) {
        for (size_t i = 0; i < k->n; i++)
            rp_employee_key(o->salt, o->saltlen, k->ids[i], k->len, k->keys[i]);
        int clash = 0;
        for (size_t i = 0; i < k->n && !clash; i++)
            for (size_t j = i + 1; j < k->n && !clash; j++)
                clash = strcmp(k->keys[i], k->keys[j]) == 0;
        if (!clash)
            break;
    }
}

static const char *keymap_get(const keymap *k, const char *id)
{
    for (size_t i = 0; i < k->n; i++)
        if (strcmp(k->ids[i], id) == 0)
            return k->keys[i];
    return "E-?";
}

static void keymap_free(keymap *k)
{
    for (size_t i = 0; i < k->n; i++)
        free(k->ids[i]);
    free(k->ids);
    free(k->keys);
}

/* ------------------------------------------------------------ the data */

typedef struct unit_data {
    const char *id;
    size_t color;
    double fig[2][RP_NDP];
    int months[2];
    rp_table monthly, heat, emp[2], costs[2], custom[2], cancel;
} unit_data;

typedef struct report {
    const rp_opts *o;
    rp_lang l;
    sqlite3 *db;
    int nper;           /* 1, or 2 with --compare */
    rp_period per[2];   /* the periods shown */
    rp_period span;     /* from the first to the last month shown */
    rp_period all;      /* the analysis data */
    units us;
    rp_table ranking, reasons, cancel, dq, rejects, failed;
    unit_data ud[MAX_UNITS];
    size_t nud;
    keymap keys;
    char *last_run;
} report;

static int is_related(report *r, const char *a, const char *b, char **err)
{
    rp_table t;
    if (rp_query(r->db, &t, err,
                 "SELECT 1 FROM org_unit_ancestors WHERE (unit_id = ?1 AND ancestor_id = ?2) "
                 "OR (unit_id = ?2 AND ancestor_id = ?1) LIMIT 1",
                 "ss", a, b))
        return -1;
    int rel = t.nrows > 0;
    rp_table_free(&t);
    return rel;
}

/* The units shown: --unit, else the top of the ranking, skipping a unit
 * above or below one already chosen (so the overview compares units, not
 * a centre with its own institution). */
static int choose_units(report *r, char **err)
{
    const rp_opts *o = r->o;
    if (o->nunits) {
        for (size_t i = 0; i < o->nunits && r->nud < MAX_UNITS; i++) {
            rp_table t;
            if (rp_query(r->db, &t, err,
                         "SELECT (SELECT count(*) FROM unit_month WHERE unit_id = ?1), "
                         "(SELECT count(*) FROM org_units WHERE unit_id = ?1)",
                         "s", o->units[i]))
                return 1;
            int known = t.nrows && (RP_D(&t, 0, 0) > 0 || RP_D(&t, 0, 1) > 0);
            rp_table_free(&t);
            if (!known) {
                *err = cm_asprintf("no unit '%s' in the store (the units are in org_units)", o->units[i]);
                return 2;
            }
            int dup = 0;
            for (size_t k = 0; k < r->nud; k++)
                dup |= strcmp(r->ud[k].id, o->units[i]) == 0;
            if (!dup)
                r->ud[r->nud++].id = o->units[i];
        }
        return 0;
    }
    rp_table cand;
    const rp_table *src = &r->ranking;
    if (r->ranking.nrows == 0) {
        /* no ranking: the units with the most calls */
        if (rp_query(r->db, &cand, err,
                     "SELECT unit_id FROM unit_month WHERE month BETWEEN ? AND ? GROUP BY unit_id "
                     "ORDER BY sum(inbound) DESC, unit_id",
                     "ss", r->span.from, r->span.to))
            return 1;
        src = &cand;
    }
    int top = o->top > 0 ? o->top : 4;
    for (size_t i = 0; i < src->nrows && (int)r->nud < top && r->nud < MAX_UNITS; i++) {
        const char *id = RP_S(src, i, 0);
        if (!id)
            continue;
        int skip = 0;
        for (size_t k = 0; k < r->nud && !skip; k++) {
            int rel = is_related(r, id, r->ud[k].id, err);
            if (rel < 0) {
                if (src == &cand)
                    rp_table_free(&cand);
                return 1;
            }
            skip = rel;
        }
        if (!skip)
            r->ud[r->nud++].id = id;
    }
    if (src == &cand) {
        /* the ids point into cand: keep copies */
        for (size_t k = 0; k < r->nud; k++)
            r->ud[k].id = cm_xstrdup(r->ud[k].id);
        rp_table_free(&cand);
    }
    return 0;
}

static int gather(report *r, char **err)
{
    const rp_opts *o = r->o;
    rp_table t;
    if (rp_q_units(r->db, &t, err))
        return 1;
    r->us.u = cm_xcalloc(t.nrows ? t.nrows : 1, sizeof *r->us.u);
    for (size_t i = 0; i < t.nrows; i++) {
        r->us.u[i].id = cm_xstrdup(RP_S(&t, i, 0) ? RP_S(&t, i, 0) : "");
        r->us.u[i].name = RP_S(&t, i, 1) ? cm_xstrdup(RP_S(&t, i, 1)) : NULL;
        r->us.u[i].type = RP_S(&t, i, 2) ? cm_xstrdup(RP_S(&t, i, 2)) : NULL;
        r->us.u[i].parent = RP_S(&t, i, 3) ? cm_xstrdup(RP_S(&t, i, 3)) : NULL;
    }
    r->us.n = t.nrows;
    rp_table_free(&t);
    if (rp_q_ranking(r->db, &r->ranking, err) || rp_q_reasons(r->db, &r->reasons, err))
        return 1;
    int rc = choose_units(r, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < r->nud; i++) {
        unit_data *u = &r->ud[i];
        u->color = i;
        for (int p = 0; p < r->nper; p++) {
            if (rp_figures(r->db, u->id, &r->per[p], u->fig[p], err) ||
                rp_months_in(r->db, &r->per[p], &u->months[p], err) ||
                rp_q_employees(r->db, u->id, &r->per[p], &u->emp[p], err) ||
                rp_q_costs(r->db, u->id, &r->per[p], &u->costs[p], err) ||
                rp_custom_figures(r->db, u->id, &r->per[p], &u->custom[p], err))
                return 1;
            for (size_t e = 0; e < u->emp[p].nrows && e < EMP_ROWS; e++)
                keymap_add(&r->keys, RP_S(&u->emp[p], e, 0));
        }
        if (rp_q_monthly(r->db, u->id, &r->span, &u->monthly, err) ||
            rp_q_heatmap(r->db, u->id, &u->heat, err) ||
            rp_q_cancel(r->db, u->id, o->cancel_max_calls, &u->cancel, err))
            return 1;
        for (size_t e = 0; e < u->cancel.nrows && e < CANCEL_ROWS_UNIT; e++)
            if (RP_S(&u->cancel, e, 2))
                keymap_add(&r->keys, RP_S(&u->cancel, e, 2));
    }
    if (rp_q_cancel(r->db, NULL, o->cancel_max_calls, &r->cancel, err) ||
        rp_q_dq_sources(r->db, &r->dq, err) || rp_q_dq_rejects(r->db, &r->rejects, err) ||
        rp_q_dq_failed(r->db, &r->failed, err))
        return 1;
    for (size_t e = 0; e < r->cancel.nrows && e < CANCEL_ROWS; e++)
        if (RP_S(&r->cancel, e, 2))
            keymap_add(&r->keys, RP_S(&r->cancel, e, 2));
    keymap_finish(&r->keys, o);
    r->last_run = rp_q_last_run(r->db);
    return 0;
}

/* ------------------------------------------------------------ sections */

static const char *period_label(report *r, int p)
{
    return r->nper == 1 ? "" : T(r->l, p == 0 ? M_PERIOD_A : M_PERIOD_B);
}

static void head(report *r, rp_buf *b)
{
    rp_lang l = r->l;
    rp_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                 /* the page loads nothing and runs nothing: the browser enforces it */
                 "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                 "style-src 'unsafe-inline'; img-src data:\">\n"
                 "<meta name=\"generator\" content=\"callmap %s\">\n<title>",
              l == RP_DA ? "da" : "en", CALLMAP_VERSION);
    rp_put(b, T(l, M_TITLE));
    if (r->o->pipeline_name) {
        rp_put(b, " \xE2\x80\x93 ");
        rp_html(b, r->o->pipeline_name);
    }
    rp_put(b, "</title>\n<style>");
    rp_put(b, css);
    rp_put(b, "</style>\n</head>\n<body>\n<main>\n");
    rp_put(b, "<header><h1>");
    rp_put(b, T(l, M_TITLE));
    rp_put(b, "</h1><p class=\"sub\">");
    rp_put(b, T(l, M_SUBTITLE));
    if (r->o->pipeline_name) {
        rp_put(b, " \xC2\xB7 ");
        rp_html(b, r->o->pipeline_name);
    }
    for (int p = 0; p < r->nper; p++) {
        char *s = fmt_period(l, &r->per[p]);
        rp_put(b, p ? " / " : " \xC2\xB7 ");
        if (r->nper > 1)
            rp_printf(b, "%s: ", period_label(r, p));
        rp_put(b, s);
        free(s);
    }
    rp_put(b, "</p></header>\n");

    rp_printf(b, "<section class=\"howto\" id=\"howto\"><h3>%s</h3><p>", T(l, M_HOWTO_H));
    char *thr = fmt_num(l, r->o->threshold_calls, 0);
    msgf(b, T(l, M_HOWTO), 1, thr);
    free(thr);
    rp_put(b, "</p>");
    if (r->nper > 1) {
        char *a = fmt_period(l, &r->per[0]), *c = fmt_period(l, &r->per[1]);
        rp_put(b, "<p>");
        msgf(b, T(l, M_HOWTO_COMPARE), 2, a, c);
        rp_put(b, "</p>");
        free(a);
        free(c);
    }
    rp_put(b, "</section>\n");

    rp_printf(b, "<nav><h3>%s</h3><ol><li><a href=\"#overview\">%s</a></li>"
                 "<li><a href=\"#ranking\">%s</a></li>",
              T(l, M_CONTENTS), T(l, M_OVERVIEW), T(l, M_RANKING));
    for (size_t i = 0; i < r->nud; i++) {
        rp_printf(b, "<li><a href=\"#unit-%zu\">", i + 1);
        rp_html(b, unit_name(&r->us, r->ud[i].id));
        rp_put(b, "</a></li>");
    }
    rp_printf(b, "<li><a href=\"#cancel\">%s</a></li><li><a href=\"#quality\">%s</a></li></ol></nav>\n",
              T(l, M_CANCEL), T(l, M_DQ));
}

static void overview(report *r, rp_buf *b)
{
    rp_lang l = r->l;
    char *thr = fmt_num(l, r->o->threshold_calls, 0);
    rp_buf emp_over = {0};
    msgf(&emp_over, T(l, M_EMP_OVER), 1, thr);
    free(thr);
    struct {
        rp_dp dp;
        const char *title;
        const char *key;
    } pts[4] = {{DP_INBOUND, T(l, M_CALLS_MONTH), "calls_month"},
                {DP_TRANSFERRED_SHARE, T(l, M_TRANSFERRED), "transferred_share"},
                {DP_MISSED_SHARE, T(l, M_MISSED), "missed_share"},
                {DP_EMP_OVER, emp_over.p, "employees_over_threshold"}};

    rp_printf(b, "<section id=\"overview\"><h2>%s</h2><p>", T(l, M_OVERVIEW));
    rp_buf per = {0};
    for (int p = 0; p < r->nper; p++) {
        char *s = fmt_period(l, &r->per[p]);
        if (p)
            rp_put(&per, ", ");
        if (r->nper > 1)
            rp_printf(&per, "%s: ", period_label(r, p));
        rp_put(&per, s);
        free(s);
    }
    msgf(b, T(l, M_OVERVIEW_P), 1, per.p);
    rp_buf_free(&per);
    rp_put(b, "</p>");
    if (r->nud == 0) {
        rp_printf(b, "<p>%s</p></section>\n", T(l, M_NO_DATA));
        rp_buf_free(&emp_over);
        return;
    }
    rp_put(b, "<div class=\"legend\">");
    for (size_t i = 0; i < r->nud; i++) {
        rp_printf(b, "<span><span class=\"sw\" style=\"background:%s\"></span>", rp_color(r->ud[i].color));
        unit_label(b, &r->us, r->ud[i].id);
        rp_put(b, "</span>");
    }
    rp_put(b, "</div><div class=\"panels\">");
    const char *groups[MAX_UNITS], *colors[MAX_UNITS];
    const char *series[2] = {T(l, M_PERIOD_A), T(l, M_PERIOD_B)};
    for (size_t i = 0; i < r->nud; i++) {
        groups[i] = r->ud[i].id;
        colors[i] = rp_color(r->ud[i].color);
    }
    for (int k = 0; k < 4; k++) {
        double v[MAX_UNITS * 2];
        for (size_t i = 0; i < r->nud; i++)
            for (int p = 0; p < r->nper; p++)
                v[i * r->nper + p] = r->ud[i].fig[p][pts[k].dp];
        rp_put(b, "<div class=\"panel\"><h3>");
        rp_put(b, pts[k].title);
        rp_put(b, "</h3>");
        rp_svg_bars(b, l, pts[k].title, rp_dps[pts[k].dp].kind, v, r->nud, (size_t)r->nper, groups,
                    series, colors, 260, 210);
        rp_put(b, "</div>");
    }
    rp_put(b, "</div>");

    /* the same figures as a table */
    rp_printf(b, "<table class=\"overview\"><thead><tr><th>%s</th>", T(l, M_UNIT));
    for (int k = 0; k < 4; k++)
        rp_printf(b, "<th class=\"n\">%s%s</th>", pts[k].title, r->nper > 1 ? " (A \xE2\x86\x92 B)" : "");
    rp_put(b, "</tr></thead><tbody>");
    for (size_t i = 0; i < r->nud; i++) {
        rp_put(b, "<tr data-unit=\"");
        rp_html(b, r->ud[i].id);
        rp_put(b, "\"><td>");
        rp_printf(b, "<span class=\"sw\" style=\"background:%s\"></span>", rp_color(r->ud[i].color));
        unit_label(b, &r->us, r->ud[i].id);
        rp_put(b, "</td>");
        for (int k = 0; k < 4; k++) {
            rp_kind kind = rp_dps[pts[k].dp].kind;
            if (r->nper == 1) {
                td_num_data(b, l, kind, r->ud[i].fig[0][pts[k].dp], pts[k].key);
                continue;
            }
            /* A -> B, and the change under them */
            rp_put(b, "<td class=\"n\">");
            for (int p = 0; p < 2; p++) {
                double v = r->ud[i].fig[p][pts[k].dp];
                if (p)
                    rp_put(b, " \xE2\x86\x92 ");
                rp_printf(b, "<span data-k=\"%s:%s\"", pts[k].key, p ? "B" : "A");
                if (!isnan(v))
                    rp_printf(b, " data-v=\"%.10g\"", v);
                rp_put(b, ">");
                rp_value(b, l, kind, v);
                rp_put(b, "</span>");
            }
            rp_put(b, "<br><span class=\"chg\">");
            rp_change(b, l, kind, r->ud[i].fig[0][pts[k].dp], r->ud[i].fig[1][pts[k].dp]);
            rp_put(b, "</span></td>");
        }
        rp_put(b, "</tr>");
    }
    rp_put(b, "</tbody></table></section>\n");
    rp_buf_free(&emp_over);
}

static void reason_list(report *r, rp_buf *b, const char *unit)
{
    rp_lang l = r->l;
    int any = 0;
    for (size_t i = 0; i < r->reasons.nrows; i++) {
        const char *u = RP_S(&r->reasons, i, 0);
        if (!u || strcmp(u, unit) != 0)
            continue;
        if (!any)
            rp_put(b, "<ol class=\"reasons\">");
        any = 1;
        const char *dp = RP_S(&r->reasons, i, 2), *label = RP_S(&r->reasons, i, 3);
        const char *dir = RP_S(&r->reasons, i, 7);
        const char *known = rp_datapoint_label(l, dp);
        rp_kind k = rp_kind_of(dp);
        /* a built-in data point says whether it is a share; a custom one
         * is judged by its name, as in the key figures */
        const char *dkind = RP_S(&r->reasons, i, 9);
        if (dkind && strcmp(dkind, "builtin") == 0 && !isnan(RP_D(&r->reasons, i, 8)))
            k = RP_D(&r->reasons, i, 8) == 1 ? RP_SHARE : k == RP_SHARE ? RP_DECIMAL : k;
        rp_put(b, "<li data-datapoint=\"");
        rp_html(b, dp);
        rp_put(b, "\">");
        rp_html(b, known ? known : label ? label : dp);
        rp_printf(b, ": <span class=\"v\" title=\"%s\">%s", T(l, M_REASON_FMT_VALUE),
                  dir && strcmp(dir, "lower") == 0 ? "\xE2\x96\xBC\xC2\xA0" : "\xE2\x96\xB2\xC2\xA0");
        rp_value(b, l, k, RP_D(&r->reasons, i, 4));
        rp_printf(b, "</span> <span class=\"c\">(%s ", T(l, M_REASON_PEERS));
        rp_value(b, l, k, RP_D(&r->reasons, i, 5));
        rp_printf(b, ", %s ", T(l, M_REASON_THRESHOLD));
        rp_value(b, l, k, RP_D(&r->reasons, i, 6));
        rp_put(b, ")</span></li>");
    }
    if (any)
        rp_put(b, "</ol>");
    else
        rp_printf(b, "<span class=\"note\">%s</span>", T(l, M_NO_REASONS));
}

static int is_chosen(report *r, const char *id)
{
    for (size_t i = 0; id && i < r->nud; i++)
        if (strcmp(r->ud[i].id, id) == 0)
            return 1;
    return 0;
}

static void ranking(report *r, rp_buf *b)
{
    rp_lang l = r->l;
    char *all = fmt_period(l, &r->all);
    rp_printf(b, "<section id=\"ranking\"><h2>%s</h2><p>", T(l, M_RANKING));
    msgf(b, T(l, M_RANKING_P), 1, all);
    free(all);
    rp_put(b, "</p>");
    if (r->ranking.nrows == 0) {
        rp_printf(b, "<p>%s</p></section>\n", T(l, M_NO_DATA));
        return;
    }
    double max = 0;
    for (size_t i = 0; i < r->ranking.nrows; i++)
        if (!isnan(RP_D(&r->ranking, i, 7)))
            max = fmax(max, RP_D(&r->ranking, i, 7));
    rp_printf(b, "<table class=\"ranking\"><thead><tr><th class=\"n\">%s</th><th>%s</th>"
                 "<th class=\"n\">%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
                 "<th class=\"n\">%s</th><th>%s</th></tr></thead><tbody>",
              T(l, M_RANK), T(l, M_UNIT), T(l, M_CALLS_YEAR), T(l, M_PERSONS), T(l, M_AGENTS),
              T(l, M_SAVING), T(l, M_REASONS));
    int rows = r->o->ranking_rows > 0 ? r->o->ranking_rows : 25;
    size_t shown = 0;
    for (size_t i = 0; i < r->ranking.nrows; i++) {
        const char *id = RP_S(&r->ranking, i, 0);
        int chosen = is_chosen(r, id);
        if ((int)i >= rows && !chosen)
            continue;
        shown++;
        rp_printf(b, "<tr%s data-unit=\"", chosen ? " class=\"chosen\"" : "");
        rp_html(b, id);
        rp_printf(b, "\"><td class=\"n\">%zu</td><td>", i + 1);
        unit_label(b, &r->us, id);
        rp_put(b, "</td>");
        td_num_data(b, l, RP_COUNT, round(RP_D(&r->ranking, i, 1)), "calls_per_year");
        td_num_data(b, l, RP_COUNT, RP_D(&r->ranking, i, 2), "persons_answering");
        td_num_data(b, l, RP_COUNT, RP_D(&r->ranking, i, 4), "agents_needed");
        double lo = RP_D(&r->ranking, i, 6), hi = RP_D(&r->ranking, i, 7);
        if (isnan(lo) || isnan(hi))
            rp_put(b, "<td class=\"n\">");
        else
            rp_printf(b, "<td class=\"n\" data-k=\"saving\" data-v=\"%.10g..%.10g\">", lo, hi);
        rp_num(b, l, lo, 0);
        rp_put(b, "\xE2\x80\x93");
        rp_dkk(b, l, hi, 0);
        rp_svg_range(b, lo, hi, max, 120);
        rp_put(b, "</td><td>");
        reason_list(r, b, id);
        rp_put(b, "</td></tr>");
    }
    rp_put(b, "</tbody></table>");
    if (shown < r->ranking.nrows) {
        char *n = fmt_num(l, (double)(r->ranking.nrows - shown), 0);
        rp_put(b, "<p class=\"note\">");
        rp_buf t = {0};
        msgf(&t, T(l, M_RANKING_MORE), 1, n);
        rp_html(b, t.p);
        rp_buf_free(&t);
        rp_put(b, "</p>");
        free(n);
    }
    rp_put(b, "</section>\n");
}

static void key_figures(report *r, rp_buf *b, unit_data *u)
{
    rp_lang l = r->l;
    rp_printf(b, "<h3>%s</h3><table class=\"figures\"><thead><tr><th>%s</th>", T(l, M_KEY_FIGURES),
              T(l, M_FIGURE));
    for (int p = 0; p < r->nper; p++) {
        char *s = fmt_period(l, &r->per[p]);
        rp_printf(b, "<th class=\"n\">%s%s%s</th>", r->nper > 1 ? period_label(r, p) : "",
                  r->nper > 1 ? ": " : "", s);
        free(s);
    }
    if (r->nper > 1)
        rp_printf(b, "<th class=\"n\">%s</th>", T(l, M_CHANGE));
    rp_put(b, "</tr></thead><tbody>");
    /* contact-center figures only for a unit with contact-center calls */
    int cc = 0, cc_known = 0;
    for (int p = 0; p < r->nper; p++) {
        cc_known |= !isnan(u->fig[p][DP_CC_INBOUND]);
        cc |= u->fig[p][DP_CC_INBOUND] > 0;
    }
    static const rp_dp order[] = {
        DP_INBOUND,      DP_OUTBOUND,      DP_CC_INBOUND,  DP_ANSWERED_SHARE, DP_MISSED_SHARE,
        DP_ABANDONED_SHARE, DP_TRANSFERRED_SHARE, DP_ANSWERING, DP_EMP_OVER, DP_PER_ANSWERING,
        DP_BUSIEST,      DP_PEAK_HOUR,     DP_NOON,        DP_MONDAY,         DP_MOBILE,
        DP_HIDDEN,       DP_REPEAT,        DP_TALK,        DP_SL_ANSWERED,    DP_SL_OFFERED,
        DP_ASA,          DP_WRAP,          DP_COST,        DP_COST_PER_CALL,
    };
    _Static_assert(sizeof order / sizeof *order == RP_NDP, "every data point has its place");
    for (size_t oi = 0; oi < RP_NDP; oi++) {
        rp_dp d = order[oi];
        int any = 0;
        for (int p = 0; p < r->nper; p++)
            any |= !isnan(u->fig[p][d]);
        if (!any || (rp_dps[d].cc_only && cc_known && !cc))
            continue;
        rp_printf(b, "<tr><td>%s</td>", T(l, rp_dps[d].label));
        for (int p = 0; p < r->nper; p++) {
            char key[64];
            snprintf(key, sizeof key, "%s%s", rp_dps[d].column, r->nper > 1 ? (p ? ":B" : ":A") : "");
            td_num_data(b, l, rp_dps[d].kind, u->fig[p][d], key);
        }
        if (r->nper > 1) {
            rp_put(b, "<td class=\"n\">");
            rp_change(b, l, rp_dps[d].kind, u->fig[0][d], u->fig[1][d]);
            rp_put(b, "</td>");
        }
        rp_put(b, "</tr>");
    }
    /* the pipeline's own data points */
    for (size_t i = 0; i < u->custom[0].nrows; i++) {
        const char *name = RP_S(&u->custom[0], i, 0), *label = RP_S(&u->custom[0], i, 1);
        rp_kind k = rp_kind_of(name);
        rp_put(b, "<tr><td>");
        rp_html(b, label ? label : name);
        rp_put(b, "</td>");
        double v[2] = {RP_D(&u->custom[0], i, 3), NAN};
        if (r->nper > 1 && i < u->custom[1].nrows)
            v[1] = RP_D(&u->custom[1], i, 3);
        for (int p = 0; p < r->nper; p++) {
            char key[200];
            snprintf(key, sizeof key, "%s%s", name ? name : "", r->nper > 1 ? (p ? ":B" : ":A") : "");
            rp_buf kb = {0};
            rp_html(&kb, key);
            td_num_data(b, l, k, v[p], kb.p ? kb.p : "");
            rp_buf_free(&kb);
        }
        if (r->nper > 1) {
            rp_put(b, "<td class=\"n\">");
            rp_change(b, l, k, v[0], v[1]);
            rp_put(b, "</td>");
        }
        rp_put(b, "</tr>");
    }
    rp_put(b, "</tbody></table>");
}

static int month_in(const char *m, const rp_period *p)
{
    return m && strcmp(m, p->from) >= 0 && strcmp(m, p->to) <= 0;
}

static void trend(report *r, rp_buf *b, unit_data *u)
{
    rp_lang l = r->l;
    size_t n = u->monthly.nrows;
    rp_printf(b, "<h3>%s</h3><p class=\"note\">%s</p>", T(l, M_TREND), T(l, M_TREND_P));
    if (n == 0) {
        rp_printf(b, "<p>%s</p>", T(l, M_NO_DATA));
        return;
    }
    double *v = cm_xcalloc(n * 4, sizeof *v);
    char **labels = cm_xcalloc(n, sizeof *labels);
    int *band = cm_xcalloc(n, sizeof *band);
    for (size_t i = 0; i < n; i++) {
        double in = RP_D(&u->monthly, i, 1), ans = RP_D(&u->monthly, i, 2),
               mis = RP_D(&u->monthly, i, 3), aba = RP_D(&u->monthly, i, 4);
        ans = isnan(ans) ? 0 : ans;
        mis = isnan(mis) ? 0 : mis;
        aba = isnan(aba) ? 0 : aba;
        v[i * 4 + 0] = ans;
        v[i * 4 + 1] = mis;
        v[i * 4 + 2] = aba;
        v[i * 4 + 3] = isnan(in) ? 0 : fmax(0, in - ans - mis - aba);
        rp_buf t = {0};
        rp_month(&t, l, RP_S(&u->monthly, i, 0));
        labels[i] = t.p;
        if (r->nper > 1)
            band[i] = month_in(RP_S(&u->monthly, i, 0), &r->per[0])   ? 1
                      : month_in(RP_S(&u->monthly, i, 0), &r->per[1]) ? 2
                                                                      : 0;
    }
    const char *parts[4] = {T(l, M_ANSWERED), T(l, M_MISSED_N), T(l, M_ABANDONED), T(l, M_OTHER)};
    const char *colors[4] = {"#0072B2", "#D55E00", "#E69F00", "#aaaaaa"};
    const char *bl[2] = {T(l, M_PERIOD_A), T(l, M_PERIOD_B)};
    int w = n > 12 ? 1060 : 760;
    rp_svg_stacked(b, l, T(l, M_TREND), v, n, 4, (const char *const *)labels, parts, colors,
                   r->nper > 1 ? band : NULL, bl, w, 260);
    for (size_t i = 0; i < n; i++)
        free(labels[i]);
    free(labels);
    free(band);
    free(v);
}

static void heatmap(report *r, rp_buf *b, unit_data *u)
{
    rp_lang l = r->l;
    char *all = fmt_period(l, &r->all);
    rp_printf(b, "<h3>%s</h3><p class=\"note\">", T(l, M_HEATMAP));
    msgf(b, T(l, M_HEATMAP_P), 1, all);
    free(all);
    rp_put(b, "</p>");
    double cells[7 * 24];
    for (int i = 0; i < 7 * 24; i++)
        cells[i] = 0;
    for (size_t i = 0; i < u->heat.nrows; i++) {
        double wd = RP_D(&u->heat, i, 0), h = RP_D(&u->heat, i, 1), v = RP_D(&u->heat, i, 2);
        if (wd >= 1 && wd <= 7 && h >= 0 && h <= 23 && !isnan(v))
            cells[((int)wd - 1) * 24 + (int)h] += v;
    }
    rp_svg_heatmap(b, l, T(l, M_HEATMAP), cells, 1060);
}

static double emp_value(const rp_table *t, const char *id, int months)
{
    for (size_t i = 0; i < t->nrows; i++)
        if (RP_S(t, i, 0) && strcmp(RP_S(t, i, 0), id) == 0)
            return months > 0 ? RP_D(t, i, 1) / months : NAN;
    return 0;
}

/* "Mar 2025 – Apr 2025 / Mar 2024 – Apr 2024": the periods of the report */
static rp_buf periods_text(const report *r)
{
    rp_buf per = {0};
    for (int p = 0; p < r->nper; p++) {
        char *s = fmt_period(r->l, &r->per[p]);
        if (p)
            rp_put(&per, " / ");
        rp_put(&per, s);
        free(s);
    }
    return per;
}

static void employees(report *r, rp_buf *b, unit_data *u)
{
    rp_lang l = r->l;
    rp_printf(b, "<h3>%s</h3><p class=\"note\">", T(l, M_EMPLOYEES));
    rp_buf per = periods_text(r);
    char *thr = fmt_num(l, r->o->threshold_calls, 0);
    msgf(b, T(l, M_EMPLOYEES_P), 2, per.p, thr);
    rp_buf_free(&per);
    rp_put(b, "</p>");
    /* rows: the busiest of the last period, then the busiest of the first */
    const char *ids[2 * EMP_ROWS];
    size_t n = 0, total = 0;
    for (int p = r->nper - 1; p >= 0; p--) {
        for (size_t i = 0; i < u->emp[p].nrows && i < EMP_ROWS; i++) {
            const char *id = RP_S(&u->emp[p], i, 0);
            int dup = 0;
            for (size_t k = 0; k < n; k++)
                dup |= strcmp(ids[k], id) == 0;
            if (!dup)
                ids[n++] = id;
        }
    }
    /* employees with calls in any period, for the "more" note */
    total = u->emp[r->nper - 1].nrows;
    if (r->nper > 1) {
        total = u->emp[1].nrows;
        for (size_t i = 0; i < u->emp[0].nrows; i++)
            if (emp_value(&u->emp[1], RP_S(&u->emp[0], i, 0), 1) == 0)
                total++;
    }
    if (n == 0) {
        rp_printf(b, "<p>%s</p>", T(l, M_NO_EMPLOYEES));
        free(thr);
        return;
    }
    double *v = cm_xcalloc(n * (size_t)r->nper, sizeof *v);
    const char **labels = cm_xcalloc(n, sizeof *labels);
    for (size_t k = 0; k < n; k++) {
        labels[k] = keymap_get(&r->keys, ids[k]);
        for (int p = 0; p < r->nper; p++)
            v[k * r->nper + p] = emp_value(&u->emp[p], ids[k], u->months[p]);
    }
    const char *series[2] = {T(l, M_PERIOD_A), T(l, M_PERIOD_B)};
    rp_buf thrl = {0};
    msgf(&thrl, T(l, M_THRESHOLD_LINE), 1, thr);
    rp_svg_hbars(b, l, T(l, M_EMPLOYEES), RP_COUNT, v, n, (size_t)r->nper, labels, series,
                 r->o->threshold_calls, thrl.p, 760);
    rp_buf_free(&thrl);
    if (total > n) {
        char *m = fmt_num(l, (double)(total - n), 0);
        rp_put(b, "<p class=\"note\">");
        msgf(b, T(l, M_EMPLOYEES_MORE), 1, m);
        rp_put(b, "</p>");
        free(m);
    }
    free(thr);
    free(v);
    free(labels);
}

static void cost_per_call(report *r, rp_buf *b, unit_data *u)
{
    rp_lang l = r->l;
    size_t n = u->monthly.nrows;
    rp_printf(b, "<div><h3>%s</h3>", T(l, M_COST_PER_CALL_H));
    if (n == 0) {
        rp_printf(b, "<p>%s</p></div>", T(l, M_NO_DATA));
        return;
    }
    double *v = cm_xcalloc(n, sizeof *v);
    char **labels = cm_xcalloc(n, sizeof *labels);
    for (size_t i = 0; i < n; i++) {
        v[i] = RP_D(&u->monthly, i, 7);
        rp_buf t = {0};
        rp_month(&t, l, RP_S(&u->monthly, i, 0));
        labels[i] = t.p;
    }
    const char *colors[64];
    for (size_t i = 0; i < n && i < 64; i++)
        colors[i] = "#009E73";
    rp_svg_bars(b, l, T(l, M_COST_PER_CALL_H), RP_DKK, v, n, 1, (const char *const *)labels, NULL,
                n <= 64 ? colors : NULL, n > 8 ? 520 : 420, 220);
    rp_put(b, "<p class=\"note\">");
    for (int p = 0; p < r->nper; p++) {
        if (p)
            rp_put(b, " \xC2\xB7 ");
        char *s = fmt_period(l, &r->per[p]);
        rp_put(b, s);
        free(s);
        rp_put(b, ": ");
        rp_value(b, l, RP_DKK, u->fig[p][DP_COST_PER_CALL]);
    }
    rp_put(b, "</p></div>");
    for (size_t i = 0; i < n; i++)
        free(labels[i]);
    free(labels);
    free(v);
}

static double cost_of(const rp_table *t, const char *supplier, const char *cat)
{
    for (size_t i = 0; i < t->nrows; i++) {
        const char *s = RP_S(t, i, 0), *c = RP_S(t, i, 1);
        if ((s == supplier || (s && supplier && strcmp(s, supplier) == 0)) &&
            (c == cat || (c && cat && strcmp(c, cat) == 0)))
            return RP_D(t, i, 2);
    }
    return 0;
}

static void costs(report *r, rp_buf *b, unit_data *u)
{
    rp_lang l = r->l;
    rp_printf(b, "<div><h3>%s</h3><p class=\"note\">", T(l, M_COSTS));
    rp_buf per = periods_text(r);
    msgf(b, T(l, M_COSTS_P), 1, per.p);
    rp_buf_free(&per);
    rp_put(b, "</p>");
    /* the (supplier, category) pairs of every period */
    size_t cap = u->costs[0].nrows + (r->nper > 1 ? u->costs[1].nrows : 0), n = 0;
    const char **sup = cm_xcalloc(cap + 1, sizeof *sup), **cat = cm_xcalloc(cap + 1, sizeof *cat);
    for (int p = 0; p < r->nper; p++)
        for (size_t i = 0; i < u->costs[p].nrows; i++) {
            const char *s = RP_S(&u->costs[p], i, 0), *c = RP_S(&u->costs[p], i, 1);
            int dup = 0;
            for (size_t k = 0; k < n && !dup; k++)
                dup = (sup[k] == s || (s && sup[k] && strcmp(sup[k], s) == 0)) &&
                      (cat[k] == c || (c && cat[k] && strcmp(cat[k], c) == 0));
            if (!dup) {
                sup[n] = s;
                cat[n++] = c;
            }
        }
    if (n == 0) {
        rp_printf(b, "<p>%s</p></div>", T(l, M_NO_COSTS));
        free(sup);
        free(cat);
        return;
    }
    rp_printf(b, "<table class=\"costs\"><thead><tr><th>%s</th><th>%s</th>", T(l, M_SUPPLIER),
              T(l, M_CATEGORY));
    for (int p = 0; p < r->nper; p++)
        rp_printf(b, "<th class=\"n\">%s%s</th>", T(l, M_COST),
                  r->nper > 1 ? (p ? " B" : " A") : "");
    if (r->nper > 1)
        rp_printf(b, "<th class=\"n\">%s</th>", T(l, M_CHANGE));
    rp_put(b, "</tr></thead><tbody>");
    double tot[2] = {0, 0};
    for (size_t k = 0; k < n; k++) {
        rp_put(b, "<tr><td>");
        rp_html(b, sup[k] ? sup[k] : "?");
        rp_put(b, "</td><td>");
        rp_html(b, rp_category_label(l, cat[k]));
        rp_put(b, "</td>");
        double v[2];
        for (int p = 0; p < r->nper; p++) {
            v[p] = cost_of(&u->costs[p], sup[k], cat[k]);
            tot[p] += v[p];
            td_num(b, l, RP_DKK, v[p]);
        }
        if (r->nper > 1) {
            rp_put(b, "<td class=\"n\">");
            rp_change(b, l, RP_DKK, v[0], v[1]);
            rp_put(b, "</td>");
        }
        rp_put(b, "</tr>");
    }
    rp_printf(b, "<tr><th colspan=\"2\">%s</th>", T(l, M_TOTAL));
    for (int p = 0; p < r->nper; p++) {
        rp_put(b, "<th class=\"n\" data-k=\"cost_total\">");
        rp_value(b, l, RP_DKK, tot[p]);
        rp_put(b, "</th>");
    }
    if (r->nper > 1) {
        rp_put(b, "<th class=\"n\">");
        rp_change(b, l, RP_DKK, tot[0], tot[1]);
        rp_put(b, "</th>");
    }
    rp_put(b, "</tr></tbody></table></div>");
    free(sup);
    free(cat);
}

static void cancel_table(report *r, rp_buf *b, const rp_table *t, size_t maxrows, int with_unit)
{
    rp_lang l = r->l;
    if (t->nrows == 0) {
        rp_printf(b, "<p>%s</p>", T(l, M_NO_CANCEL));
        return;
    }
    rp_printf(b, "<table class=\"cancel\"><thead><tr><th>%s</th>", T(l, M_NUMBER));
    if (with_unit)
        rp_printf(b, "<th>%s</th>", T(l, M_UNIT));
    rp_printf(b, "<th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
                 "<th class=\"n\">%s</th></tr></thead><tbody>",
              T(l, M_EMPLOYEE), T(l, M_MONTHS_BILLED), T(l, M_COST), T(l, M_CALLS_IN_OUT),
              T(l, M_YEARLY));
    double total = 0;
    for (size_t i = 0; i < t->nrows; i++)
        total += isnan(RP_D(t, i, 7)) ? 0 : RP_D(t, i, 7);
    for (size_t i = 0; i < t->nrows && i < maxrows; i++) {
        rp_put(b, "<tr><td class=\"mono\">");
        rp_html(b, RP_S(t, i, 0));
        rp_put(b, "</td>");
        if (with_unit) {
            rp_put(b, "<td>");
            if (RP_S(t, i, 1))
                unit_label(b, &r->us, RP_S(t, i, 1));
            rp_put(b, "</td>");
        }
        /* the employee by key only when the report shows the key anyway */
        rp_put(b, "<td class=\"mono\">");
        if (RP_S(t, i, 2))
            rp_put(b, keymap_get(&r->keys, RP_S(t, i, 2)));
        rp_put(b, "</td>");
        td_num(b, l, RP_COUNT, RP_D(t, i, 3));
        td_num(b, l, RP_DKK, RP_D(t, i, 4));
        rp_put(b, "<td class=\"n\">");
        rp_num(b, l, RP_D(t, i, 5), 0);
        rp_put(b, " / ");
        rp_num(b, l, RP_D(t, i, 6), 0);
        rp_put(b, "</td>");
        td_num_data(b, l, RP_DKK, RP_D(t, i, 7), "yearly");
        rp_put(b, "</tr>");
    }
    rp_put(b, "</tbody></table><p class=\"note\" data-k=\"cancel_total\">");
    if (t->nrows > maxrows) {
        char *m = fmt_num(l, (double)maxrows, 0);
        msgf(b, T(l, M_CANCEL_SHOWN), 1, m);
        rp_put(b, " ");
        free(m);
    }
    char *cnt = fmt_num(l, (double)t->nrows, 0);
    rp_buf amount = {0};
    rp_dkk(&amount, l, total, 0);
    msgf(b, T(l, t->nrows == 1 ? M_CANCEL_TOTAL1 : M_CANCEL_TOTAL), 2, cnt, amount.p);
    free(cnt);
    rp_buf_free(&amount);
    rp_put(b, "</p>");
}

static void unit_section(report *r, rp_buf *b, size_t i)
{
    rp_lang l = r->l;
    unit_data *u = &r->ud[i];
    const unit_info *info = find_unit(&r->us, u->id);
    rp_printf(b, "<section class=\"unit\" id=\"unit-%zu\" data-unit=\"", i + 1);
    rp_html(b, u->id);
    rp_printf(b, "\"><h2><span class=\"sw\" style=\"background:%s\"></span>", rp_color(u->color));
    rp_html(b, info && info->name ? info->name : u->id);
    rp_put(b, "</h2><p class=\"sub\">");
    rp_html(b, u->id);
    if (info && info->type) {
        rp_put(b, " \xC2\xB7 ");
        rp_html(b, info->type);
    }
    if (info && info->parent) {
        rp_printf(b, " \xC2\xB7 %s ", T(l, M_LEVEL_UNDER));
        rp_html(b, unit_name(&r->us, info->parent));
    }
    rp_put(b, "</p>");
    key_figures(r, b, u);
    trend(r, b, u);
    heatmap(r, b, u);
    employees(r, b, u);
    rp_put(b, "<div class=\"two\">");
    cost_per_call(r, b, u);
    costs(r, b, u);
    rp_put(b, "</div>");
    rp_printf(b, "<h3>%s</h3>", T(l, M_CANCEL_UNIT));
    cancel_table(r, b, &u->cancel, CANCEL_ROWS_UNIT, 0);
    rp_put(b, "</section>\n");
}

static void cancel_section(report *r, rp_buf *b)
{
    rp_lang l = r->l;
    char *n = fmt_num(l, r->o->cancel_max_calls, r->o->cancel_max_calls == floor(r->o->cancel_max_calls) ? 0 : 1);
    rp_printf(b, "<section id=\"cancel\"><h2>%s</h2><p>", T(l, M_CANCEL));
    msgf(b, T(l, M_CANCEL_P), 1, n);
    free(n);
    rp_put(b, "</p>");
    cancel_table(r, b, &r->cancel, CANCEL_ROWS, 1);
    rp_put(b, "</section>\n");
}

/* A reject reason with its quoted values ('...') left out, so reasons that
 * differ only in the value count together (and show no data). */
static char *reason_pattern(const char *s)
{
    rp_buf b = {0};
    const char *p = s;
    while (*p) {
        int opens = *p == '\'' && (p == s || !((p[-1] >= 'A' && p[-1] <= 'Z') ||
                                               (p[-1] >= 'a' && p[-1] <= 'z') ||
                                               (p[-1] >= '0' && p[-1] <= '9') ||
                                               (unsigned char)p[-1] >= 0x80));
        if (opens) {
            /* the closing quote: followed by no letter or digit */
            const char *q = p + 1;
            while (*q) {
                if (*q == '\'' && !((q[1] >= 'A' && q[1] <= 'Z') || (q[1] >= 'a' && q[1] <= 'z') ||
                                     (q[1] >= '0' && q[1] <= '9')))
                    break;
                q++;
            }
            if (*q) {
                rp_put(&b, "'\xE2\x80\xA6'");
                p = q + 1;
                continue;
            }
        }
        rp_putn(&b, p, 1);
        p++;
    }
    return b.p ? b.p : cm_xstrdup("");
}

typedef struct reason_row {
    char *source, *reason;
    double count;
} reason_row;

static int reason_cmp(const void *a, const void *b)
{
    const reason_row *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    int c = strcmp(x->source, y->source);
    return c ? c : strcmp(x->reason, y->reason);
}

static const rp_source *pipeline_source(report *r, const char *id)
{
    for (size_t i = 0; id && i < r->o->nsources; i++)
        if (strcmp(r->o->sources[i].id, id) == 0)
            return &r->o->sources[i];
    return NULL;
}

static void quality(report *r, rp_buf *b)
{
    rp_lang l = r->l;
    rp_printf(b, "<section id=\"quality\"><h2>%s</h2><p>%s</p>", T(l, M_DQ), T(l, M_DQ_P));
    rp_printf(b, "<table class=\"dq\"><thead><tr><th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
                 "<th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
                 "<th class=\"n\">%s</th></tr></thead><tbody>",
              T(l, M_SOURCE), T(l, M_FILES_LOADED), T(l, M_FILES_FAILED), T(l, M_PERIOD_COVERED),
              T(l, M_RECORDS_LOADED), T(l, M_RECORDS_REJECTED), T(l, M_UNATTR_CALLS),
              T(l, M_UNATTR_COSTS));
    double tot[4] = {0, 0, 0, 0};
    /* the pipeline's sources first, in its order; then any other source in the store */
    size_t nrows = r->dq.nrows;
    int *done = cm_xcalloc(nrows + 1, sizeof *done);
    for (size_t s = 0; s <= r->o->nsources; s++) {
        for (size_t k = 0; k < (s < r->o->nsources ? 1 : nrows); k++) {
            const char *id;
            size_t row = nrows;
            if (s < r->o->nsources) {
                id = r->o->sources[s].id;
                for (size_t i = 0; i < nrows; i++)
                    if (RP_S(&r->dq, i, 0) && strcmp(RP_S(&r->dq, i, 0), id) == 0)
                        row = i;
            } else {
                if (done[k])
                    continue;
                row = k;
                id = RP_S(&r->dq, k, 0);
            }
            if (row < nrows)
                done[row] = 1;
            const rp_source *ps = pipeline_source(r, id);
            rp_put(b, "<tr data-source=\"");
            rp_html(b, id);
            rp_put(b, "\"><td>");
            rp_html(b, id);
            if (ps) {
                rp_put(b, " <span class=\"id\">");
                rp_html(b, ps->plugin);
                rp_put(b, "/");
                rp_html(b, ps->kind);
                rp_put(b, "</span>");
            }
            rp_put(b, "</td>");
            if (row == nrows) {
                rp_printf(b, "<td class=\"n\" data-k=\"files_loaded\" data-v=\"0\">0</td>"
                             "<td class=\"n\">0</td><td colspan=\"5\">%s</td></tr>",
                          T(l, M_NO_DATA));
                continue;
            }
            const rp_table *t = &r->dq;
            rp_printf(b, "<td class=\"n\" data-k=\"files_loaded\" data-v=\"%.0f\">", RP_D(t, row, 1));
            rp_num(b, l, RP_D(t, row, 1), 0);
            rp_put(b, "</td>");
            rp_printf(b, "<td class=\"n%s\" data-k=\"files_failed\" data-v=\"%.0f\">",
                      RP_D(t, row, 3) > 0 ? " warn" : "", RP_D(t, row, 3));
            rp_num(b, l, RP_D(t, row, 3), 0);
            rp_put(b, "</td><td>");
            if (RP_S(t, row, 6)) {
                rp_html(b, RP_S(t, row, 6));
                rp_put(b, " \xE2\x80\x93 ");
                rp_html(b, RP_S(t, row, 7));
            } else {
                rp_printf(b, "<span class=\"note\">%s</span>", T(l, M_SNAPSHOT));
            }
            rp_put(b, "</td>");
            rp_printf(b, "<td class=\"n\" data-k=\"records_loaded\" data-v=\"%.0f\">", RP_D(t, row, 4));
            rp_num(b, l, RP_D(t, row, 4), 0);
            rp_printf(b, "</td><td class=\"n\" data-k=\"records_rejected\" data-v=\"%.0f\">",
                      RP_D(t, row, 5));
            rp_num(b, l, RP_D(t, row, 5), 0);
            rp_put(b, "</td>");
            tot[0] += RP_D(t, row, 4);
            tot[1] += RP_D(t, row, 5);
            if (!isnan(RP_D(t, row, 8))) {
                rp_printf(b, "<td class=\"n\" data-k=\"calls_unattributed\" data-v=\"%.0f\">",
                          RP_D(t, row, 9));
                rp_num(b, l, RP_D(t, row, 9), 0);
                rp_put(b, " <span class=\"id\">(");
                rp_pct(b, l, RP_D(t, row, 8) > 0 ? RP_D(t, row, 9) / RP_D(t, row, 8) : 0, 1);
                rp_put(b, ")</span></td>");
                tot[2] += RP_D(t, row, 9);
            } else {
                rp_put(b, "<td></td>");
            }
            if (!isnan(RP_D(t, row, 10))) {
                rp_printf(b, "<td class=\"n\" data-k=\"costs_unattributed\" data-v=\"%.0f;%.2f\">",
                          RP_D(t, row, 11), RP_D(t, row, 12));
                rp_num(b, l, RP_D(t, row, 11), 0);
                rp_put(b, " <span class=\"id\">(");
                rp_dkk(b, l, RP_D(t, row, 12), 0);
                rp_put(b, ")</span></td>");
                tot[3] += RP_D(t, row, 12);
            } else {
                rp_put(b, "<td></td>");
            }
            rp_put(b, "</tr>");
        }
    }
    free(done);
    rp_printf(b, "<tr><th>%s</th><th></th><th></th><th></th><th class=\"n\">", T(l, M_TOTAL));
    rp_num(b, l, tot[0], 0);
    rp_put(b, "</th><th class=\"n\">");
    rp_num(b, l, tot[1], 0);
    rp_put(b, "</th><th class=\"n\">");
    rp_num(b, l, tot[2], 0);
    rp_put(b, "</th><th class=\"n\">");
    rp_dkk(b, l, tot[3], 0);
    rp_put(b, "</th></tr></tbody></table>");

    /* rejects by reason */
    rp_printf(b, "<h3>%s</h3>", T(l, M_REJECTS_H));
    size_t n = 0;
    reason_row *rows = cm_xcalloc(r->rejects.nrows + 1, sizeof *rows);
    for (size_t i = 0; i < r->rejects.nrows; i++) {
        const char *src = RP_S(&r->rejects, i, 0) ? RP_S(&r->rejects, i, 0) : "";
        char *pat = reason_pattern(RP_S(&r->rejects, i, 1) ? RP_S(&r->rejects, i, 1) : "");
        size_t k;
        for (k = 0; k < n; k++)
            if (strcmp(rows[k].source, src) == 0 && strcmp(rows[k].reason, pat) == 0)
                break;
        if (k == n) {
            rows[n].source = cm_xstrdup(src);
            rows[n].reason = pat;
            rows[n++].count = 0;
        } else {
            free(pat);
        }
        rows[k].count += RP_D(&r->rejects, i, 2);
    }
    qsort(rows, n, sizeof *rows, reason_cmp);
    if (n == 0) {
        rp_printf(b, "<p>%s</p>", T(l, M_NO_REJECTS));
    } else {
        rp_printf(b, "<table class=\"rejects\"><thead><tr><th>%s</th><th>%s</th><th class=\"n\">%s</th>"
                     "</tr></thead><tbody>",
                  T(l, M_SOURCE), T(l, M_REASON), T(l, M_COUNT));
        for (size_t i = 0; i < n && i < REJECT_ROWS; i++) {
            rp_put(b, "<tr><td>");
            rp_html(b, rows[i].source);
            rp_put(b, "</td><td>");
            rp_html(b, rows[i].reason);
            rp_printf(b, "</td><td class=\"n\" data-k=\"rejects\" data-v=\"%.0f\">", rows[i].count);
            rp_num(b, l, rows[i].count, 0);
            rp_put(b, "</td></tr>");
        }
        rp_put(b, "</tbody></table>");
        if (n > REJECT_ROWS) {
            char *m = fmt_num(l, (double)(n - REJECT_ROWS), 0);
            rp_put(b, "<p class=\"note\">");
            msgf(b, T(l, M_MORE_REJECTS), 1, m);
            rp_put(b, "</p>");
            free(m);
        }
    }
    for (size_t i = 0; i < n; i++) {
        free(rows[i].source);
        free(rows[i].reason);
    }
    free(rows);

    if (r->failed.nrows) {
        rp_printf(b, "<h3>%s</h3><table class=\"failed\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
                     "</tr></thead><tbody>",
                  T(l, M_FAILED_FILES_H), T(l, M_SOURCE), T(l, M_FILE), T(l, M_REASON));
        for (size_t i = 0; i < r->failed.nrows; i++) {
            const char *path = RP_S(&r->failed, i, 1), *member = RP_S(&r->failed, i, 2);
            const char *base = path ? strrchr(path, '/') : NULL;
            rp_put(b, "<tr><td>");
            rp_html(b, RP_S(&r->failed, i, 0));
            rp_put(b, "</td><td class=\"mono\">");
            rp_html(b, base ? base + 1 : path);
            if (member) {
                rp_put(b, "!");
                rp_html(b, member);
            }
            rp_put(b, "</td><td>");
            /* the error names the file by its full path: show the rest */
            const char *e = RP_S(&r->failed, i, 3);
            const char *cut = e ? strstr(e, ": ") : NULL;
            rp_html(b, cut && path && strncmp(e, path, strlen(path)) == 0 ? cut + 2 : e);
            rp_put(b, "</td></tr>");
        }
        rp_put(b, "</tbody></table>");
    }
    rp_put(b, "</section>\n");
}

static void footer(report *r, rp_buf *b)
{
    rp_lang l = r->l;
    rp_buf store = {0}, last = {0};
    rp_html(&store, r->o->store_name ? r->o->store_name : "?");
    rp_html(&last, r->last_run ? r->last_run : "?");
    rp_put(b, "<footer><p>");
    msgf(b, T(l, M_FOOTER), 3, CALLMAP_VERSION, store.p ? store.p : "", last.p ? last.p : "");
    rp_put(b, "</p></footer>\n</main>\n</body>\n</html>\n");
    rp_buf_free(&store);
    rp_buf_free(&last);
}

static void report_free(report *r)
{
    for (size_t i = 0; i < r->us.n; i++) {
        free(r->us.u[i].id);
        free(r->us.u[i].name);
        free(r->us.u[i].type);
        free(r->us.u[i].parent);
    }
    free(r->us.u);
    int copied = r->o->nunits == 0 && r->ranking.nrows == 0;
    for (size_t i = 0; i < r->nud; i++) {
        unit_data *u = &r->ud[i];
        rp_table_free(&u->monthly);
        rp_table_free(&u->heat);
        rp_table_free(&u->cancel);
        for (int p = 0; p < 2; p++) {
            rp_table_free(&u->emp[p]);
            rp_table_free(&u->costs[p]);
            rp_table_free(&u->custom[p]);
        }
        if (copied)
            free((char *)u->id);
    }
    rp_table_free(&r->ranking);
    rp_table_free(&r->reasons);
    rp_table_free(&r->cancel);
    rp_table_free(&r->dq);
    rp_table_free(&r->rejects);
    rp_table_free(&r->failed);
    keymap_free(&r->keys);
    free(r->last_run);
}

int rp_render(sqlite3 *db, const rp_opts *o, rp_buf *out, char **err)
{
    report r;
    memset(&r, 0, sizeof r);
    r.o = o;
    r.l = o->lang;
    r.db = db;
    if (rp_data_range(db, &r.all, err))
        return 1;
    if (!r.all.from[0]) {
        *err = cm_xstrdup("the analysis tables are empty: run `callmap analyze PIPELINE` after loading data");
        return 1;
    }
    if (o->compare) {
        r.nper = 2;
        r.per[0] = o->cmp[0];
        r.per[1] = o->cmp[1];
    } else {
        r.nper = 1;
        r.per[0] = o->period.from[0] && o->period.to[0] ? o->period : r.all;
    }
    for (int p = 0; p < r.nper; p++) {
        int months;
        if (rp_months_in(db, &r.per[p], &months, err))
            return 1;
        if (months == 0) {
            *err = cm_asprintf("no analysis data from %s to %s (the analysis covers %s to %s)",
                               r.per[p].from, r.per[p].to, r.all.from, r.all.to);
            return 1;
        }
    }
    r.span = r.per[0];
    if (r.nper > 1) {
        if (strcmp(r.per[1].from, r.span.from) < 0)
            memcpy(r.span.from, r.per[1].from, sizeof r.span.from);
        if (strcmp(r.per[1].to, r.span.to) > 0)
            memcpy(r.span.to, r.per[1].to, sizeof r.span.to);
    }
    int rc = gather(&r, err);
    if (rc == 0) {
        head(&r, out);
        overview(&r, out);
        ranking(&r, out);
        for (size_t i = 0; i < r.nud; i++)
            unit_section(&r, out, i);
        cancel_section(&r, out);
        quality(&r, out);
        footer(&r, out);
    }
    report_free(&r);
    return rc;
}
