/*
 * org-units: the organisation as a tree of units with validity periods.
 *
 * The checks need the whole file (a parent may come after its children), so
 * the rows are held in memory (at most max-units) and emitted at the end:
 *   - while reading: the values of each row, and that the rows of one unit
 *     do not overlap in time (the later line is rejected);
 *   - at the end: every parent_id is a unit_id of the file, and no units
 *     form a cycle (strongly connected components of the parent graph, over
 *     all periods: a unit's parent in any period counts).
 */
#include "source.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { O_UNIT, O_NAME, O_PARENT, O_EAN, O_TYPE, O_FROM, O_TO, O__N };

static const hr_column org_cols[O__N] = {
    [O_UNIT] = {"unit_id", 1}, [O_NAME] = {"name", 1},       [O_PARENT] = {"parent_id", 1},
    [O_EAN] = {"ean", 0},      [O_TYPE] = {"type", 0},       [O_FROM] = {"valid_from", 1},
    [O_TO] = {"valid_to", 0},
};

void hr_org_reset(hr_source *st)
{
    for (size_t i = 0; i < st->nrows; i++)
        free(st->rows[i].text);
    st->nrows = 0;
    st->nrej = 0;
}

void hr_org_free(hr_source *st)
{
    hr_org_reset(st);
    free(st->rows);
    free(st->rej);
    st->rows = NULL, st->rej = NULL;
    st->rcap = st->rejcap = 0;
}

/* ---------------------------------------------------------------- reading */

/* remembers that a row of this unit was rejected (it is still "in the file") */
static int note_rejected(hr_source *st, const hr_reader *r)
{
    if (!r->have_vals || !r->val[O_UNIT][0])
        return 0;
    hr_periods *ps;
    int32_t node;
    if (hr_key_periods(st, r->val[O_UNIT], &ps, &node) != 0)
        return -1;
    if (st->nrej == st->rejcap) {
        size_t cap = st->rejcap ? st->rejcap * 2 : 16;
        hr_org_rejected *p = realloc(st->rej, cap * sizeof *p);
        if (!p)
            return -1;
        st->rej = p, st->rejcap = cap;
    }
    st->rej[st->nrej++] = (hr_org_rejected){node, r->line};
    return 0;
}

static char *put(char **at, const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = *at;
    memcpy(d, s, n);
    *at += n;
    return d;
}

/* HR_ROW (held), HR_SKIP (rejected), HR_ERR */
static int org_row(hr_source *st, cm_stream *s)
{
    hr_reader *r = &st->rd;
    const char *const *v = r->val;
    int rc;
    if (!v[O_UNIT][0])
        return hr_reject(r, "unit_id is empty") == CM_OK ? HR_SKIP : HR_ERR;
    char from[11], to[11];
    int fy, ty;
    if ((rc = hr_validity(r, st->cfg.date_format, O_FROM, O_TO, from, to, &fy, &ty)) != CM_OK)
        return rc;

    hr_periods *ps;
    hr_period clash;
    int32_t node;
    if (hr_key_periods(st, v[O_UNIT], &ps, &node) != 0 ||
        (rc = hr_periods_add(ps, fy, ty, r->line, &clash)) < 0)
        goto oom;
    if (rc == 1) {
        char a[40], b[40];
        return hr_reject(r, "rows of unit %s on lines %lld (%s) and %lld (%s) "
                            "overlap; the later line is rejected",
                         v[O_UNIT], (long long)clash.line, hr_period_text(clash.from, clash.to, a),
                         (long long)r->line, hr_period_text(fy, ty, b)) == CM_OK
                   ? HR_SKIP
                   : HR_ERR;
    }

    if (st->nrows >= (size_t)st->cfg.max_units) {
        st->api->fail(s, "more than %lld unit rows (the option max-units): the rows are held "
                         "in memory to check the hierarchy; raise max-units if the "
                         "organisation is that large",
                      (long long)st->cfg.max_units);
        return HR_ERR;
    }
    if (st->nrows == st->rcap) {
        size_t cap = st->rcap ? st->rcap * 2 : 64;
        hr_org_row *p = realloc(st->rows, cap * sizeof *p);
        if (!p)
            goto oom;
        st->rows = p, st->rcap = cap;
    }
    size_t raw_len = r->raw_len < HR_RAW_MAX ? r->raw_len : HR_RAW_MAX;
    size_t need = raw_len + 1;
    for (size_t c = O_UNIT; c <= O_TYPE; c++)
        need += strlen(v[c]) + 1;
    hr_org_row *row = &st->rows[st->nrows];
    memset(row, 0, sizeof *row);
    row->text = malloc(need);
    if (!row->text)
        goto oom;
    st->nrows++;
    memcpy(row->text, r->raw, raw_len);
    row->text[raw_len] = '\0';
    row->raw_len = raw_len;
    char *at = row->text + raw_len + 1;
    row->unit = put(&at, v[O_UNIT]);
    row->name = put(&at, v[O_NAME]);
    row->parent = put(&at, v[O_PARENT]);
    row->ean = put(&at, v[O_EAN]);
    row->type = put(&at, v[O_TYPE]);
    memcpy(row->from, from, sizeof from);
    memcpy(row->to, to, sizeof to);
    row->line = r->line;
    row->node = node;
    row->parent_node = -1;
    return HR_ROW;
oom:
    st->api->fail(s, "out of memory");
    return HR_ERR;
}

/* ---------------------------------------------------------------- checks */

static int reject_row(hr_source *st, cm_stream *s, hr_org_row *row, const char *fmt, ...)
    CM_PRINTF(4, 5);

static int reject_row(hr_source *st, cm_stream *s, hr_org_row *row, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = st->api->vreject(s, row->line, row->text, row->raw_len, fmt, ap);
    va_end(ap);
    row->rejected = 1;
    return rc;
}

/* The graph of the file's units: an edge unit -> parent for each held row. */
typedef struct graph {
    size_t n;
    size_t *start; /* n + 1: edges of v are to[start[v] .. start[v+1]) */
    int32_t *to;
    /* Tarjan */
    int32_t *index, *low, *comp, *stack, *csize;
    uint8_t *onstack;
    size_t *it; /* the DFS's position in each node's edges */
    int32_t *call;
    /* cycle search */
    int32_t *pred, *queue;
} graph;

static void graph_free(graph *g)
{
    free(g->start), free(g->to), free(g->index), free(g->low), free(g->comp);
    free(g->stack), free(g->csize), free(g->onstack), free(g->it), free(g->call);
    free(g->pred), free(g->queue);
}

static int graph_build(hr_source *st, graph *g)
{
    size_t n = st->keys.n;
    memset(g, 0, sizeof *g);
    g->n = n;
    g->start = calloc(n + 1, sizeof *g->start);
    g->index = malloc((n ? n : 1) * sizeof *g->index);
    g->low = malloc((n ? n : 1) * sizeof *g->low);
    g->comp = malloc((n ? n : 1) * sizeof *g->comp);
    g->stack = malloc((n ? n : 1) * sizeof *g->stack);
    g->csize = calloc(n ? n : 1, sizeof *g->csize);
    g->onstack = calloc(n ? n : 1, 1);
    g->it = malloc((n ? n : 1) * sizeof *g->it);
    g->call = malloc((n ? n : 1) * sizeof *g->call);
    g->pred = malloc((n ? n : 1) * sizeof *g->pred);
    g->queue = malloc((n ? n : 1) * sizeof *g->queue);
    if (!g->start || !g->index || !g->low || !g->comp || !g->stack || !g->csize ||
        !g->onstack || !g->it || !g->call || !g->pred || !g->queue)
        return -1;
    size_t edges = 0;
    for (size_t i = 0; i < st->nrows; i++) {
        const hr_org_row *row = &st->rows[i];
        if (!row->rejected && row->parent_node >= 0)
            g->start[row->node + 1]++, edges++;
    }
    for (size_t v = 0; v < n; v++)
        g->start[v + 1] += g->start[v];
    g->to = malloc((edges ? edges : 1) * sizeof *g->to);
    if (!g->to)
        return -1;
    for (size_t v = 0; v < n; v++)
        g->it[v] = g->start[v];
    for (size_t i = 0; i < st->nrows; i++) {
        const hr_org_row *row = &st->rows[i];
        if (!row->rejected && row->parent_node >= 0)
            g->to[g->it[row->node]++] = row->parent_node;
    }
    for (size_t v = 0; v < n; v++)
        g->index[v] = -1, g->pred[v] = -1;
    return 0;
}

/* Tarjan's strongly connected components, without recursion. */
static void graph_scc(graph *g)
{
    int32_t next = 0, sp = 0, ncomp = 0;
    for (size_t root = 0; root < g->n; root++) {
        if (g->index[root] >= 0)
            continue;
        int32_t depth = 0;
        g->call[depth++] = (int32_t)root;
        g->index[root] = g->low[root] = next++;
        g->it[root] = g->start[root];
        g->stack[sp++] = (int32_t)root;
        g->onstack[root] = 1;
        while (depth) {
            int32_t v = g->call[depth - 1];
            if (g->it[v] < g->start[v + 1]) {
                int32_t w = g->to[g->it[v]++];
                if (g->index[w] < 0) {
                    g->index[w] = g->low[w] = next++;
                    g->it[w] = g->start[w];
                    g->stack[sp++] = w;
                    g->onstack[w] = 1;
                    g->call[depth++] = w;
                } else if (g->onstack[w] && g->index[w] < g->low[v]) {
                    g->low[v] = g->index[w];
                }
                continue;
            }
            depth--;
            if (depth && g->low[v] < g->low[g->call[depth - 1]])
                g->low[g->call[depth - 1]] = g->low[v];
            if (g->low[v] == g->index[v]) {
                int32_t w;
                do {
                    w = g->stack[--sp];
                    g->onstack[w] = 0;
                    g->comp[w] = ncomp;
                    g->csize[ncomp]++;
                } while (w != v);
                ncomp++;
            }
        }
    }
}

/* A cycle through `start` inside its component, as "A → B → C → A" (a
 * breadth-first search for the shortest way back). */
static void describe_cycle(hr_source *st, graph *g, int32_t start, char *out, size_t outsz)
{
    int32_t c = g->comp[start], head = 0, tail = 0, last = -1;
    for (size_t e = g->start[start]; e < g->start[start + 1] && last < 0; e++) {
        int32_t w = g->to[e];
        if (w == start)
            last = start;
        else if (g->comp[w] == c && g->pred[w] < 0)
            g->pred[w] = start, g->queue[tail++] = w;
    }
    while (head < tail && last < 0) {
        int32_t v = g->queue[head++];
        for (size_t e = g->start[v]; e < g->start[v + 1]; e++) {
            int32_t w = g->to[e];
            if (w == start) {
                last = v;
                break;
            }
            if (g->comp[w] == c && g->pred[w] < 0 && w != start)
                g->pred[w] = v, g->queue[tail++] = w;
        }
    }
    /* the path start -> ... -> last, walked back through pred */
    size_t len = 0;
    for (int32_t v = last; v >= 0 && v != start; v = g->pred[v])
        len++;
    int32_t *path = g->stack; /* free again after graph_scc */
    size_t k = len;
    for (int32_t v = last; v >= 0 && v != start; v = g->pred[v])
        path[--k] = v;
    size_t w = (size_t)snprintf(out, outsz, "%s", st->keys.keys[start]);
    for (size_t i = 0; i < len && w < outsz; i++)
        w += (size_t)snprintf(out + w, outsz - w, " \u2192 %s", st->keys.keys[path[i]]);
    if (w < outsz)
        snprintf(out + w, outsz - w, " \u2192 %s", st->keys.keys[start]);
    for (int32_t i = 0; i < tail; i++)
        g->pred[g->queue[i]] = -1;
}

static int check_tree(hr_source *st, cm_stream *s)
{
    /* 1. parents in the file */
    for (size_t i = 0; i < st->nrows; i++) {
        hr_org_row *row = &st->rows[i];
        if (!row->parent[0])
            continue;
        row->parent_node = hr_strmap_get(&st->keys, row->parent);
        if (row->parent_node < 0 &&
            reject_row(st, s, row, "parent %s of unit %s is not in the file", row->parent,
                       row->unit) != CM_OK)
            return CM_ERROR;
    }

    /* 2. cycles */
    graph g;
    if (graph_build(st, &g) != 0) {
        graph_free(&g);
        st->api->fail(s, "out of memory");
        return CM_ERROR;
    }
    graph_scc(&g);
    char **why = calloc(g.n ? g.n : 1, sizeof *why); /* by component */
    int rc = why ? CM_OK : CM_ERROR;
    for (size_t i = 0; i < st->nrows && rc == CM_OK; i++) {
        hr_org_row *row = &st->rows[i];
        if (row->rejected || row->parent_node < 0)
            continue;
        if (row->parent_node == row->node) {
            rc = reject_row(st, s, row, "unit %s is its own parent", row->unit);
            continue;
        }
        int32_t c = g.comp[row->node];
        if (g.csize[c] < 2 || g.comp[row->parent_node] != c)
            continue;
        if (!why[c]) {
            char text[900];
            describe_cycle(st, &g, row->node, text, sizeof text);
            if (!(why[c] = strdup(text))) {
                rc = CM_ERROR;
                break;
            }
        }
        rc = reject_row(st, s, row, "units %s form a cycle", why[c]);
    }
    if (why)
        for (size_t c = 0; c < g.n; c++)
            free(why[c]);
    free(why);
    graph_free(&g);
    return rc;
}

/* ---------------------------------------------------------------- emitting */

static int emit_rows(hr_source *st, cm_stream *s)
{
    const cm_api *api = st->api;
    size_t n = st->keys.n;
    /* the line of a unit's first loaded row, or 0; else of a rejected one */
    int64_t *loaded = calloc(n ? n : 1, sizeof *loaded);
    int64_t *rejected = calloc(n ? n : 1, sizeof *rejected);
    if (!loaded || !rejected) {
        free(loaded), free(rejected);
        api->fail(s, "out of memory");
        return CM_ERROR;
    }
    for (size_t i = 0; i < st->nrows; i++) {
        const hr_org_row *row = &st->rows[i];
        int64_t *slot = row->rejected ? &rejected[row->node] : &loaded[row->node];
        if (!*slot)
            *slot = row->line;
    }
    for (size_t i = 0; i < st->nrej; i++)
        if (!rejected[st->rej[i].node] || st->rej[i].line < rejected[st->rej[i].node])
            rejected[st->rej[i].node] = st->rej[i].line;

    int rc = CM_OK;
    for (size_t i = 0; i < st->nrows && rc == CM_OK; i++) {
        hr_org_row *row = &st->rows[i];
        if (row->rejected)
            continue;
        if (row->ean[0] && !api->ean_valid(row->ean))
            api->warn(s, row->line, "EAN %s of unit %s fails the GS1 check digit", row->ean,
                      row->unit);
        if (row->parent_node >= 0 && !loaded[row->parent_node])
            api->warn(s, row->line,
                      "parent %s of unit %s was rejected (line %lld): the unit loads without "
                      "its place in the hierarchy",
                      row->parent, row->unit, (long long)rejected[row->parent_node]);
        cm_value v[CM_ORG__COUNT];
        cm_record rec = {.dataset = CM_DS_ORG_UNITS, .source_record = row->line,
                         .ncols = CM_ORG__COUNT, .v = v, .raw = row->text,
                         .raw_len = row->raw_len};
        cm_record_clear(&rec);
        cm_set_text(&rec, CM_ORG_UNIT_ID, row->unit);
        cm_set_text(&rec, CM_ORG_NAME, row->name[0] ? row->name : NULL);
        cm_set_text(&rec, CM_ORG_PARENT_ID, row->parent[0] ? row->parent : NULL);
        cm_set_text(&rec, CM_ORG_EAN, row->ean[0] ? row->ean : NULL);
        cm_set_text(&rec, CM_ORG_TYPE, row->type[0] ? row->type : NULL);
        cm_set_text(&rec, CM_ORG_VALID_FROM, row->from);
        cm_set_text(&rec, CM_ORG_VALID_TO, row->to[0] ? row->to : NULL);
        rc = api->emit(s, &rec);
    }
    free(loaded), free(rejected);
    return rc;
}

int hr_org_read(void *state, cm_stream *s)
{
    hr_source *st = state;
    hr_source_reset(st);
    hr_reader *r = &st->rd;
    int result = hr_reader_open(r, st->api, s, &st->cfg, org_cols, O__N);
    int64_t rows = 0;
    while (result == CM_OK) {
        int rc = hr_reader_next(r);
        if (rc == HR_END)
            break;
        rows++;
        if (rc == HR_ROW)
            rc = org_row(st, s);
        if (rc == HR_SKIP && note_rejected(st, r) != 0) {
            st->api->fail(s, "out of memory");
            rc = HR_ERR;
        }
        if (rc == HR_ERR)
            result = CM_ERROR;
    }
    hr_reader_close(r);
    if (result == CM_OK && rows == 0) {
        st->api->fail(s, "the file has a header but no rows: as the complete current list it "
                         "would remove every row of the earlier files, so it is refused");
        result = CM_ERROR;
    }
    if (result == CM_OK)
        result = check_tree(st, s);
    if (result == CM_OK)
        result = emit_rows(st, s);
    hr_source_reset(st);
    return result;
}
