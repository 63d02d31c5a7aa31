/* Pipeline files: read, check against the embedded RelaxNG schema, expand
 * ${VAR} references and resolve paths.
 *
 * libxml2 decides whether a file is valid.  Its RelaxNG messages are often
 * vague ("Element source failed to validate attributes", "Invalid sequence in
 * interleave") and it stops at the first problem inside an element, so when
 * a file is invalid we explain it ourselves: explain_doc() reads the same
 * schema and walks the document with RelaxNG derivatives over element names,
 * reporting every unknown or missing attribute and every unexpected or
 * missing element with what was expected.  If the schema uses something the
 * explainer does not understand, or it finds nothing, libxml2's own messages
 * are reported instead, so no error is ever lost. */
#include "pipeline.h"
#include "analysis.h"
#include "util.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/relaxng.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern const char cm_pipeline_rng[];
extern const size_t cm_pipeline_rng_len;

#define RNG_NS "http://relaxng.org/ns/structure/1.0"
#define DEFAULT_TIMEZONE "Europe/Copenhagen"
#define DEFAULT_MAX_REJECT_RATIO 0.01

/* ------------------------------------------------------------- strings */

typedef struct sbuf {
    char *s;
    size_t n, cap;
} sbuf;

static void sb_addn(sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->s = cm_xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void sb_add(sbuf *b, const char *s) { sb_addn(b, s, strlen(s)); }

/* Returns the built string (never NULL) and resets b. */
static char *sb_take(sbuf *b)
{
    char *s = b->s ? b->s : cm_xstrdup("");
    b->s = NULL;
    b->n = b->cap = 0;
    return s;
}

/* "a", "a or b", "a, b or c"; each item wrapped in pre/post. */
static char *join_or(const char *const *items, size_t n, const char *pre, const char *post)
{
    sbuf b = {0};
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            sb_add(&b, i == n - 1 ? " or " : ", ");
        sb_add(&b, pre);
        sb_add(&b, items[i]);
        sb_add(&b, post);
    }
    return sb_take(&b);
}

/* A libxml2 message without its trailing newline and spaces. */
static char *trimmed(const char *msg)
{
    if (!msg)
        return cm_xstrdup("unknown error");
    while (*msg == ' ' || *msg == '\t' || *msg == '\n' || *msg == '\r')
        msg++;
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == ' ' || msg[n - 1] == '\t' || msg[n - 1] == '\n' ||
                     msg[n - 1] == '\r'))
        n--;
    return cm_xstrndup(msg, n);
}

/* How an element of the pipeline file is shown: <name>, <prefix:name>, or
 * <{uri}name> for an element in a default namespace (which never matches). */
static char *node_display(xmlNodePtr n)
{
    if (n->ns && n->ns->prefix)
        return cm_asprintf("%s:%s", (const char *)n->ns->prefix, (const char *)n->name);
    if (n->ns && n->ns->href)
        return cm_asprintf("{%s}%s", (const char *)n->ns->href, (const char *)n->name);
    return cm_xstrdup((const char *)n->name);
}

/* ---------------------------------------------------- libxml2 messages */

typedef struct sink {
    cm_diag *diag;
    const char *file;
} sink;

static void add_xml_error(sink *s, const xmlError *e)
{
    long line = e->line;
    if (line <= 0 && e->node)
        line = xmlGetLineNo((xmlNodePtr)e->node);
    char *msg = trimmed(e->message);
    cm_diag_addf_at(s->diag, s->file, line, "%s", msg);
    free(msg);
}

/* Parser and RelaxNG validation errors (user: the sink); warnings are
 * dropped. */
static void on_xml_error(void *user, xmlErrorPtr e)
{
    if (e->level < XML_ERR_ERROR)
        return;
    add_xml_error(user, e);
}

static void on_schema_error(void *user, xmlErrorPtr e)
{
    sink *s = user;
    if (e->level < XML_ERR_ERROR)
        return;
    char *msg = trimmed(e->message);
    cm_diag_addf_at(s->diag, s->file, 0, "internal error: the built-in pipeline schema: %s", msg);
    free(msg);
}

/* Catches anything libxml2 reports outside the handlers above (it would
 * otherwise print to stderr). */
static void on_generic_error(void *user, const char *fmt, ...)
{
    (void)user;
    (void)fmt;
}

/* --------------------------------------------------------- the explainer */

typedef enum pkind {
    P_EMPTY,
    P_NOTALLOWED,
    P_TEXT,
    P_ELEM,
    P_CHOICE,
    P_GROUP,
    P_INTERLEAVE,
    P_ONEORMORE
} pkind;

/* A content pattern reduced to element names (attributes are checked
 * separately; text is one token). */
typedef struct pat {
    pkind k;
    struct pat *a, *b;
    xmlChar *name;   /* P_ELEM, owned */
    xmlNodePtr def;  /* P_ELEM: the schema's <element> */
} pat;

typedef struct chk {
    xmlDocPtr rng;
    xmlNodePtr grammar;
    sink out;
    int unsupported; /* the schema uses something we cannot explain */
    pat **pats;
    size_t npats, cap;
    pat empty, notallowed, text;
} chk;

typedef struct patv {
    pat **v;
    size_t n, cap;
} patv;

static void patv_push(patv *pv, pat *p)
{
    if (pv->n == pv->cap) {
        pv->cap = pv->cap ? pv->cap * 2 : 8;
        pv->v = cm_xrealloc(pv->v, pv->cap * sizeof *pv->v);
    }
    pv->v[pv->n++] = p;
}

static pat *new_pat(chk *c, pkind k, pat *a, pat *b)
{
    pat *p = cm_xcalloc(1, sizeof *p);
    p->k = k;
    p->a = a;
    p->b = b;
    if (c->npats == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->pats = cm_xrealloc(c->pats, c->cap * sizeof *c->pats);
    }
    c->pats[c->npats++] = p;
    return p;
}

static pat *mk_choice(chk *c, pat *a, pat *b)
{
    if (a->k == P_NOTALLOWED)
        return b;
    if (b->k == P_NOTALLOWED || a == b)
        return a;
    if (a->k == P_EMPTY && b->k == P_EMPTY)
        return a;
    return new_pat(c, P_CHOICE, a, b);
}

static pat *mk_pair(chk *c, pkind k, pat *a, pat *b)
{
    if (a->k == P_NOTALLOWED || b->k == P_NOTALLOWED)
        return &c->notallowed;
    if (a->k == P_EMPTY)
        return b;
    if (b->k == P_EMPTY)
        return a;
    return new_pat(c, k, a, b);
}

static pat *mk_oneormore(chk *c, pat *p)
{
    if (p->k == P_NOTALLOWED || p->k == P_EMPTY)
        return p;
    return new_pat(c, P_ONEORMORE, p, NULL);
}

static pat *combine(chk *c, pkind how, pat *a, pat *b)
{
    return how == P_CHOICE ? mk_choice(c, a, b) : mk_pair(c, how, a, b);
}

static int is_rng(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           xmlStrEqual(n->ns->href, BAD_CAST RNG_NS) &&
           (!name || xmlStrEqual(n->name, BAD_CAST name));
}

static xmlNodePtr find_define_in(xmlNodePtr parent, const xmlChar *name, int *count,
                                 xmlNodePtr found)
{
    for (xmlNodePtr n = parent->children; n; n = n->next) {
        if (is_rng(n, "div")) {
            found = find_define_in(n, name, count, found);
        } else if (is_rng(n, "define")) {
            xmlChar *dn = xmlGetNoNsProp(n, BAD_CAST "name");
            if (dn && xmlStrEqual(dn, name)) {
                (*count)++;
                if (!found)
                    found = n;
            }
            xmlFree(dn);
        }
    }
    return found;
}

/* The <define> a <ref> names; NULL (and unsupported) if it is missing or
 * split over several defines with combine=. */
static xmlNodePtr resolve_ref(chk *c, xmlNodePtr ref)
{
    xmlChar *name = xmlGetNoNsProp(ref, BAD_CAST "name");
    int count = 0;
    xmlNodePtr d = name ? find_define_in(c->grammar, name, &count, NULL) : NULL;
    xmlFree(name);
    if (count != 1) {
        c->unsupported = 1;
        return NULL;
    }
    return d;
}

static pat *build(chk *c, xmlNodePtr n, int depth);

static pat *build_list(chk *c, xmlNodePtr first, pkind how, int depth)
{
    pat *p = NULL;
    for (xmlNodePtr n = first; n; n = n->next) {
        if (!is_rng(n, NULL))
            continue; /* annotations, comments, text */
        pat *q = build(c, n, depth);
        p = p ? combine(c, how, p, q) : q;
    }
    return p ? p : &c->empty;
}

static pat *build(chk *c, xmlNodePtr n, int depth)
{
    if (depth > 64) {
        c->unsupported = 1;
        return &c->text;
    }
    const char *k = (const char *)n->name;
    if (!strcmp(k, "element")) {
        xmlChar *name = xmlGetNoNsProp(n, BAD_CAST "name");
        xmlChar *ns = xmlGetNoNsProp(n, BAD_CAST "ns");
        int ok = name && (!ns || !ns[0]);
        xmlFree(ns);
        if (!ok) {
            xmlFree(name);
            c->unsupported = 1;
            return &c->text;
        }
        pat *p = new_pat(c, P_ELEM, NULL, NULL);
        p->name = name;
        p->def = n;
        return p;
    }
    if (!strcmp(k, "attribute"))
        return &c->empty;
    if (!strcmp(k, "group"))
        return build_list(c, n->children, P_GROUP, depth + 1);
    if (!strcmp(k, "interleave"))
        return build_list(c, n->children, P_INTERLEAVE, depth + 1);
    if (!strcmp(k, "choice"))
        return build_list(c, n->children, P_CHOICE, depth + 1);
    if (!strcmp(k, "optional"))
        return mk_choice(c, build_list(c, n->children, P_GROUP, depth + 1), &c->empty);
    if (!strcmp(k, "zeroOrMore"))
        return mk_choice(c, mk_oneormore(c, build_list(c, n->children, P_GROUP, depth + 1)),
                         &c->empty);
    if (!strcmp(k, "oneOrMore"))
        return mk_oneormore(c, build_list(c, n->children, P_GROUP, depth + 1));
    if (!strcmp(k, "mixed"))
        return mk_pair(c, P_INTERLEAVE, &c->text,
                       build_list(c, n->children, P_GROUP, depth + 1));
    if (!strcmp(k, "ref")) {
        xmlNodePtr d = resolve_ref(c, n);
        return d ? build_list(c, d->children, P_GROUP, depth + 1) : &c->text;
    }
    if (!strcmp(k, "empty"))
        return &c->empty;
    if (!strcmp(k, "text") || !strcmp(k, "data") || !strcmp(k, "value") || !strcmp(k, "list"))
        return &c->text;
    if (!strcmp(k, "notAllowed"))
        return &c->notallowed;
    c->unsupported = 1; /* parentRef, externalRef, grammar, name classes, ... */
    return &c->text;
}

static int nullable(const pat *p)
{
    switch (p->k) {
    case P_EMPTY:
    case P_TEXT:
        return 1;
    case P_NOTALLOWED:
    case P_ELEM:
        return 0;
    case P_CHOICE:
        return nullable(p->a) || nullable(p->b);
    case P_GROUP:
    case P_INTERLEAVE:
        return nullable(p->a) && nullable(p->b);
    case P_ONEORMORE:
        return nullable(p->a);
    }
    return 0;
}

/* The pattern left after an element called `name` (NULL: a text token). */
static pat *deriv(chk *c, pat *p, const xmlChar *name)
{
    switch (p->k) {
    case P_EMPTY:
    case P_NOTALLOWED:
        return &c->notallowed;
    case P_TEXT:
        return name ? &c->notallowed : p;
    case P_ELEM:
        return name && xmlStrEqual(p->name, name) ? &c->empty : &c->notallowed;
    case P_CHOICE:
        return mk_choice(c, deriv(c, p->a, name), deriv(c, p->b, name));
    case P_GROUP: {
        pat *d = mk_pair(c, P_GROUP, deriv(c, p->a, name), p->b);
        return nullable(p->a) ? mk_choice(c, d, deriv(c, p->b, name)) : d;
    }
    case P_INTERLEAVE:
        return mk_choice(c, mk_pair(c, P_INTERLEAVE, deriv(c, p->a, name), p->b),
                         mk_pair(c, P_INTERLEAVE, p->a, deriv(c, p->b, name)));
    case P_ONEORMORE:
        return mk_pair(c, P_GROUP, deriv(c, p->a, name), mk_choice(c, p, &c->empty));
    }
    return &c->notallowed;
}

/* The elements that may come next, each name once, in schema order. */
static void firsts(const pat *p, patv *out)
{
    switch (p->k) {
    case P_ELEM:
        for (size_t i = 0; i < out->n; i++)
            if (xmlStrEqual(out->v[i]->name, p->name))
                return;
        patv_push(out, (pat *)p);
        return;
    case P_CHOICE:
    case P_INTERLEAVE:
        firsts(p->a, out);
        firsts(p->b, out);
        return;
    case P_GROUP:
        firsts(p->a, out);
        if (nullable(p->a))
            firsts(p->b, out);
        return;
    case P_ONEORMORE:
        firsts(p->a, out);
        return;
    default:
        return;
    }
}

static xmlNodePtr def_for(const pat *p, const xmlChar *name)
{
    patv f = {0};
    firsts(p, &f);
    xmlNodePtr def = NULL;
    for (size_t i = 0; i < f.n && !def; i++)
        if (xmlStrEqual(f.v[i]->name, name))
            def = f.v[i]->def;
    free(f.v);
    return def;
}

/* "<a>, <b> or </parent>": what may come next. */
static char *expected_list(const pat *p, const char *parent)
{
    patv f = {0};
    firsts(p, &f);
    char **items = cm_xcalloc(f.n + 1, sizeof *items);
    size_t n = 0;
    for (size_t i = 0; i < f.n; i++)
        items[n++] = cm_asprintf("<%s>", (const char *)f.v[i]->name);
    if (nullable(p))
        items[n++] = cm_asprintf("</%s>", parent);
    char *s = join_or((const char *const *)items, n, "", "");
    for (size_t i = 0; i < n; i++)
        free(items[i]);
    free(items);
    free(f.v);
    return s;
}

static int schema_has_element(xmlNodePtr n, const xmlChar *name)
{
    for (; n; n = n->next) {
        if (is_rng(n, "element")) {
            xmlChar *en = xmlGetNoNsProp(n, BAD_CAST "name");
            int hit = en && xmlStrEqual(en, name);
            xmlFree(en);
            if (hit)
                return 1;
        }
        if (n->type == XML_ELEMENT_NODE && schema_has_element(n->children, name))
            return 1;
    }
    return 0;
}

/* Attributes of one element definition. */
typedef struct attrdef {
    xmlChar *name;
    int required;
    xmlNodePtr pattern; /* the value's pattern; NULL = any text */
    int mixed;          /* declared more than once: value unchecked */
} attrdef;

typedef struct attrv {
    attrdef *v;
    size_t n, cap;
} attrv;

static xmlNodePtr first_rng_child(xmlNodePtr n)
{
    for (xmlNodePtr k = n ? n->children : NULL; k; k = k->next)
        if (is_rng(k, NULL))
            return k;
    return NULL;
}

static void collect_attrs(chk *c, xmlNodePtr parent, int required, attrv *out, int depth)
{
    if (depth > 64) {
        c->unsupported = 1;
        return;
    }
    for (xmlNodePtr n = parent->children; n; n = n->next) {
        if (!is_rng(n, NULL) || is_rng(n, "element"))
            continue;
        const char *k = (const char *)n->name;
        if (!strcmp(k, "attribute")) {
            xmlChar *name = xmlGetNoNsProp(n, BAD_CAST "name");
            xmlChar *ns = xmlGetNoNsProp(n, BAD_CAST "ns");
            int ok = name && (!ns || !ns[0]);
            xmlFree(ns);
            if (!ok) {
                xmlFree(name);
                c->unsupported = 1;
                continue;
            }
            size_t i;
            for (i = 0; i < out->n; i++)
                if (xmlStrEqual(out->v[i].name, name))
                    break;
            if (i < out->n) {
                out->v[i].required |= required;
                out->v[i].mixed = 1;
                xmlFree(name);
                continue;
            }
            if (out->n == out->cap) {
                out->cap = out->cap ? out->cap * 2 : 8;
                out->v = cm_xrealloc(out->v, out->cap * sizeof *out->v);
            }
            out->v[out->n++] = (attrdef){name, required, first_rng_child(n), 0};
        } else if (!strcmp(k, "optional") || !strcmp(k, "zeroOrMore") ||
                   !strcmp(k, "choice")) {
            collect_attrs(c, n, 0, out, depth + 1);
        } else if (!strcmp(k, "group") || !strcmp(k, "interleave") ||
                   !strcmp(k, "oneOrMore") || !strcmp(k, "mixed")) {
            collect_attrs(c, n, required, out, depth + 1);
        } else if (!strcmp(k, "ref")) {
            xmlNodePtr d = resolve_ref(c, n);
            if (d)
                collect_attrs(c, d, required, out, depth + 1);
        }
    }
}

static void free_attrs(attrv *a)
{
    for (size_t i = 0; i < a->n; i++)
        xmlFree(a->v[i].name);
    free(a->v);
}

static size_t utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* Whitespace-normalized copy (the "token" comparison of <value>). */
static char *normalize_ws(const char *s)
{
    sbuf b = {0};
    int space = 0;
    for (; *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
            space = b.n > 0;
            continue;
        }
        if (space)
            sb_add(&b, " ");
        space = 0;
        sb_addn(&b, s, 1);
    }
    return sb_take(&b);
}

/* 1: the value fits the pattern, 0: it does not, -1: cannot tell. */
static int value_ok(chk *c, xmlNodePtr pt, const char *v, int depth)
{
    if (!pt)
        return 1;
    if (depth > 64)
        return -1;
    const char *k = (const char *)pt->name;
    if (!strcmp(k, "text"))
        return 1;
    if (!strcmp(k, "data")) {
        xmlChar *type = xmlGetNoNsProp(pt, BAD_CAST "type");
        int known = type && (xmlStrEqual(type, BAD_CAST "string") ||
                             xmlStrEqual(type, BAD_CAST "token") ||
                             xmlStrEqual(type, BAD_CAST "normalizedString"));
        xmlFree(type);
        if (!known)
            return -1;
        size_t len = utf8_len(v);
        int r = 1;
        for (xmlNodePtr p = pt->children; p; p = p->next) {
            if (!is_rng(p, NULL))
                continue;
            if (!is_rng(p, "param"))
                return -1; /* <except> */
            xmlChar *pn = xmlGetNoNsProp(p, BAD_CAST "name");
            xmlChar *pv = xmlNodeGetContent(p);
            char *end = NULL;
            unsigned long lim = pv ? strtoul((const char *)pv, &end, 10) : 0;
            int num = pv && end && end != (char *)pv && !*end;
            if (!pn || !num)
                r = -1;
            else if (xmlStrEqual(pn, BAD_CAST "minLength"))
                r = r == 1 && len < lim ? 0 : r;
            else if (xmlStrEqual(pn, BAD_CAST "maxLength"))
                r = r == 1 && len > lim ? 0 : r;
            else if (xmlStrEqual(pn, BAD_CAST "length"))
                r = r == 1 && len != lim ? 0 : r;
            else
                r = -1;
            xmlFree(pn);
            xmlFree(pv);
            if (r == -1)
                return -1;
        }
        return r;
    }
    if (!strcmp(k, "value")) {
        xmlChar *type = xmlGetNoNsProp(pt, BAD_CAST "type");
        xmlChar *want = xmlNodeGetContent(pt);
        int r;
        if (type && xmlStrEqual(type, BAD_CAST "string")) {
            r = !strcmp((const char *)want, v);
        } else {
            char *a = normalize_ws((const char *)want), *b = normalize_ws(v);
            r = !strcmp(a, b);
            free(a);
            free(b);
        }
        xmlFree(type);
        xmlFree(want);
        return r;
    }
    if (!strcmp(k, "choice")) {
        int r = 0;
        for (xmlNodePtr p = pt->children; p; p = p->next) {
            if (!is_rng(p, NULL))
                continue;
            int q = value_ok(c, p, v, depth + 1);
            if (q == 1)
                return 1;
            if (q == -1)
                r = -1;
        }
        return r;
    }
    if (!strcmp(k, "ref")) {
        xmlNodePtr d = resolve_ref(c, pt);
        xmlNodePtr first = first_rng_child(d);
        if (!first)
            return -1;
        for (xmlNodePtr p = first->next; p; p = p->next)
            if (is_rng(p, NULL))
                return -1; /* a group */
        return value_ok(c, first, v, depth + 1);
    }
    return -1;
}

/* The allowed values when the pattern is a choice of <value>s. */
static void collect_values(chk *c, xmlNodePtr pt, sbuf *b, size_t *count, int *ok, int depth)
{
    if (!pt || depth > 64) {
        *ok = 0;
        return;
    }
    if (is_rng(pt, "value")) {
        xmlChar *v = xmlNodeGetContent(pt);
        sb_add(b, *count ? "\n" : "");
        sb_add(b, v ? (const char *)v : "");
        xmlFree(v);
        (*count)++;
    } else if (is_rng(pt, "choice")) {
        for (xmlNodePtr p = pt->children; p; p = p->next)
            if (is_rng(p, NULL))
                collect_values(c, p, b, count, ok, depth + 1);
    } else if (is_rng(pt, "ref")) {
        collect_values(c, first_rng_child(resolve_ref(c, pt)), b, count, ok, depth + 1);
    } else {
        *ok = 0;
    }
}

static void explain_value(chk *c, long line, const char *elem, const attrdef *ad, const char *v)
{
    if (!*v) {
        cm_diag_addf_at(c->out.diag, c->out.file, line, "attribute %s of <%s> must not be empty",
                        (const char *)ad->name, elem);
        return;
    }
    sbuf b = {0};
    size_t count = 0;
    int ok = 1;
    collect_values(c, ad->pattern, &b, &count, &ok, 0);
    char *vals = sb_take(&b);
    if (ok && count > 0) {
        const char **items = cm_xcalloc(count, sizeof *items);
        size_t n = 0;
        for (char *s = vals, *nl; s; s = nl ? nl + 1 : NULL) {
            nl = strchr(s, '\n');
            if (nl)
                *nl = '\0';
            items[n++] = s;
        }
        char *list = join_or(items, n, "\"", "\"");
        cm_diag_addf_at(c->out.diag, c->out.file, line,
                        "invalid value \"%s\" for attribute %s of <%s> (expected %s)", v,
                        (const char *)ad->name, elem, list);
        free(list);
        free(items);
    } else {
        cm_diag_addf_at(c->out.diag, c->out.file, line,
                        "invalid value \"%s\" for attribute %s of <%s>", v,
                        (const char *)ad->name, elem);
    }
    free(vals);
}

static int is_blank(const xmlChar *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return 0;
    return 1;
}

static void explain_element(chk *c, xmlNodePtr node, xmlNodePtr def, int depth);

static void explain_attributes(chk *c, xmlNodePtr node, xmlNodePtr def, const char *ename)
{
    long line = xmlGetLineNo(node);
    attrv ad = {0};
    collect_attrs(c, def, 1, &ad, 0);
    for (xmlAttrPtr a = node->properties; a; a = a->next) {
        size_t i = ad.n;
        if (!a->ns)
            for (i = 0; i < ad.n; i++)
                if (xmlStrEqual(ad.v[i].name, a->name))
                    break;
        if (i == ad.n) {
            char *an = a->ns && a->ns->prefix
                           ? cm_asprintf("%s:%s", (const char *)a->ns->prefix,
                                         (const char *)a->name)
                           : cm_xstrdup((const char *)a->name);
            if (ad.n == 0) {
                cm_diag_addf_at(c->out.diag, c->out.file, line,
                                "unknown attribute %s on <%s> (<%s> has no attributes)", an,
                                ename, ename);
            } else {
                sbuf b = {0};
                for (size_t j = 0; j < ad.n; j++) {
                    sb_add(&b, j ? ", " : "");
                    sb_add(&b, (const char *)ad.v[j].name);
                }
                char *list = sb_take(&b);
                cm_diag_addf_at(c->out.diag, c->out.file, line,
                                "unknown attribute %s on <%s> (allowed: %s)", an, ename, list);
                free(list);
            }
            free(an);
            continue;
        }
        if (ad.v[i].mixed)
            continue;
        xmlChar *v = xmlNodeListGetString(node->doc, a->children, 1);
        const char *vs = v ? (const char *)v : "";
        if (value_ok(c, ad.v[i].pattern, vs, 0) == 0)
            explain_value(c, line, ename, &ad.v[i], vs);
        xmlFree(v);
    }
    for (size_t i = 0; i < ad.n; i++)
        if (ad.v[i].required && !xmlHasNsProp(node, ad.v[i].name, NULL))
            cm_diag_addf_at(c->out.diag, c->out.file, line,
                            "<%s> is missing the required attribute %s", ename,
                            (const char *)ad.v[i].name);
    free_attrs(&ad);
}

static void explain_content(chk *c, xmlNodePtr node, xmlNodePtr def, const char *ename,
                            int depth)
{
    pat *p0 = build_list(c, def->children, P_GROUP, 0);
    pat *p = p0;
    for (xmlNodePtr k = node->children; k; k = k->next) {
        if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
            if (is_blank(k->content))
                continue;
            pat *d = deriv(c, p, NULL);
            if (d->k == P_NOTALLOWED)
                cm_diag_addf_at(c->out.diag, c->out.file, xmlGetLineNo(k),
                                "unexpected text in <%s>", ename);
            else
                p = d;
            continue;
        }
        if (k->type != XML_ELEMENT_NODE)
            continue; /* comments, processing instructions */
        long line = xmlGetLineNo(k);
        /* an element in a namespace never matches: the schema has none */
        const xmlChar *name = k->ns ? NULL : k->name;
        pat *d = name ? deriv(c, p, name) : &c->notallowed;
        if (d->k != P_NOTALLOWED) {
            xmlNodePtr kd = def_for(p, name);
            p = d;
            if (kd)
                explain_element(c, k, kd, depth + 1);
            continue;
        }
        char *kname = node_display(k);
        /* one element missing before this one? */
        patv f = {0};
        firsts(p, &f);
        int recovered = 0;
        for (size_t i = 0; name && i < f.n && !recovered; i++) {
            pat *skip = deriv(c, p, f.v[i]->name);
            pat *d2 = deriv(c, skip, name);
            if (d2->k == P_NOTALLOWED)
                continue;
            cm_diag_addf_at(c->out.diag, c->out.file, line, "missing <%s> before <%s> in <%s>",
                            (const char *)f.v[i]->name, kname, ename);
            xmlNodePtr kd = def_for(skip, name);
            p = d2;
            if (kd)
                explain_element(c, k, kd, depth + 1);
            recovered = 1;
        }
        free(f.v);
        if (!recovered) {
            int known = name && schema_has_element(c->grammar, name);
            if (p0->k == P_EMPTY) {
                cm_diag_addf_at(c->out.diag, c->out.file, line,
                                "%s <%s> in <%s> (<%s> must be empty)",
                                known ? "unexpected" : "unknown element", kname, ename, ename);
            } else {
                char *exp = expected_list(p, ename);
                cm_diag_addf_at(c->out.diag, c->out.file, line, "%s <%s> in <%s> (expected %s)",
                                known ? "unexpected" : "unknown element", kname, ename, exp);
                free(exp);
            }
        }
        free(kname);
    }
    if (!nullable(p)) {
        /* the elements that would complete it, else what may come next */
        patv f = {0}, done = {0};
        firsts(p, &f);
        for (size_t i = 0; i < f.n; i++)
            if (nullable(deriv(c, p, f.v[i]->name)))
                patv_push(&done, f.v[i]);
        patv *use = done.n ? &done : &f;
        const char **items = cm_xcalloc(use->n + 1, sizeof *items);
        for (size_t i = 0; i < use->n; i++)
            items[i] = (const char *)use->v[i]->name;
        char *list = join_or(items, use->n, "<", ">");
        if (use->n)
            cm_diag_addf_at(c->out.diag, c->out.file, xmlGetLineNo(node), "<%s> is missing %s",
                            ename, list);
        else
            cm_diag_addf_at(c->out.diag, c->out.file, xmlGetLineNo(node),
                            "<%s> is incomplete", ename);
        free(list);
        free(items);
        free(f.v);
        free(done.v);
    }
}

static void explain_element(chk *c, xmlNodePtr node, xmlNodePtr def, int depth)
{
    if (depth > 200) {
        c->unsupported = 1;
        return;
    }
    char *ename = node_display(node);
    explain_attributes(c, node, def, ename);
    explain_content(c, node, def, ename, depth);
    free(ename);
}

/* Explains why doc is invalid into out; returns 0 if the schema is beyond
 * the explainer (the caller then uses libxml2's messages). */
static int explain_doc(xmlDocPtr doc, const char *file, cm_diag *out)
{
    chk c = {0};
    c.empty.k = P_EMPTY;
    c.notallowed.k = P_NOTALLOWED;
    c.text.k = P_TEXT;
    c.out.diag = out;
    c.out.file = file;
    c.rng = xmlReadMemory(cm_pipeline_rng, (int)cm_pipeline_rng_len, "pipeline.rng", NULL,
                          XML_PARSE_NONET | XML_PARSE_NOBLANKS);
    xmlNodePtr root = c.rng ? xmlDocGetRootElement(c.rng) : NULL;
    xmlNodePtr start = NULL;
    if (is_rng(root, "grammar")) {
        c.grammar = root;
        for (xmlNodePtr n = root->children; n && !start; n = n->next)
            if (is_rng(n, "start"))
                start = n;
    }
    xmlNodePtr droot = xmlDocGetRootElement(doc);
    if (!start || !droot) {
        c.unsupported = 1;
    } else {
        pat *sp = build_list(&c, start->children, P_GROUP, 0);
        const xmlChar *name = droot->ns ? NULL : droot->name;
        xmlNodePtr def = name && deriv(&c, sp, name)->k != P_NOTALLOWED ? def_for(sp, name)
                                                                       : NULL;
        if (def) {
            explain_element(&c, droot, def, 0);
        } else {
            char *dn = node_display(droot);
            char *exp = expected_list(sp, "");
            cm_diag_addf_at(out, file, xmlGetLineNo(droot),
                            "the root element must be %s, not <%s>", exp, dn);
            free(exp);
            free(dn);
        }
    }
    for (size_t i = 0; i < c.npats; i++) {
        xmlFree(c.pats[i]->name);
        free(c.pats[i]);
    }
    free(c.pats);
    xmlFreeDoc(c.rng);
    return !c.unsupported;
}

/* ------------------------------------------------------------ validation */

static void move_msgs(cm_diag *to, cm_diag *from)
{
    for (size_t i = 0; i < from->n; i++)
        cm_diag_add(to, "%s", from->msgs[i]);
    cm_diag_free(from);
}

/* 1 valid, 0 invalid (reported). */
static int validate(xmlDocPtr doc, const char *file, cm_diag *diag)
{
    sink schema_sink = {diag, file};
    size_t before = diag->n;
    xmlRelaxNGParserCtxtPtr pc =
        xmlRelaxNGNewMemParserCtxt(cm_pipeline_rng, (int)cm_pipeline_rng_len);
    if (!pc) {
        cm_diag_addf_at(diag, file, 0, "internal error: cannot load the pipeline schema");
        return 0;
    }
    xmlRelaxNGSetParserStructuredErrors(pc, on_schema_error, &schema_sink);
    xmlRelaxNGPtr schema = xmlRelaxNGParse(pc);
    xmlRelaxNGFreeParserCtxt(pc);
    if (!schema) {
        if (diag->n == before)
            cm_diag_addf_at(diag, file, 0, "internal error: cannot load the pipeline schema");
        return 0;
    }
    cm_diag lx;
    cm_diag_init(&lx);
    sink lx_sink = {&lx, file};
    xmlRelaxNGValidCtxtPtr vc = xmlRelaxNGNewValidCtxt(schema);
    int rc = -1;
    if (vc) {
        xmlRelaxNGSetValidStructuredErrors(vc, on_xml_error, &lx_sink);
        rc = xmlRelaxNGValidateDoc(vc, doc);
        xmlRelaxNGFreeValidCtxt(vc);
    }
    xmlRelaxNGFree(schema);
    if (rc == 0) {
        cm_diag_free(&lx);
        return 1;
    }
    cm_diag mine;
    cm_diag_init(&mine);
    if (explain_doc(doc, file, &mine) && mine.n > 0) {
        move_msgs(diag, &mine);
        cm_diag_free(&lx);
    } else {
        cm_diag_free(&mine);
        if (lx.n == 0)
            cm_diag_addf_at(diag, file, 0, "the pipeline does not match the schema");
        move_msgs(diag, &lx);
    }
    return 0;
}

/* ------------------------------------------------------- reading the file */

static char *slurp(const char *file, size_t *len, int *err)
{
    FILE *f = fopen(file, "rb");
    if (!f) {
        *err = errno;
        return NULL;
    }
    sbuf b = {0};
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        sb_addn(&b, chunk, n);
    if (ferror(f)) {
        *err = errno ? errno : EIO;
        fclose(f);
        free(b.s);
        return NULL;
    }
    fclose(f);
    *len = b.n;
    return sb_take(&b);
}

/* libxml2 (2.9) gives an element the line its start tag ends on; a reader
 * looks for the line it begins on.  This is called when the start tag has
 * been read up to its ">" (still in the input buffer); no "<" can occur
 * inside a tag, so the nearest one before is where it begins. */
static void start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                          const xmlChar *URI, int nb_namespaces, const xmlChar **namespaces,
                          int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    xmlSAX2StartElementNs(ctx, localname, prefix, URI, nb_namespaces, namespaces,
                          nb_attributes, nb_defaulted, attributes);
    xmlParserCtxtPtr ctxt = ctx;
    xmlNodePtr n = ctxt->node;
    xmlParserInputPtr in = ctxt->input;
    if (!n || n->type != XML_ELEMENT_NODE || !in || !in->base || !in->cur)
        return;
    long newlines = 0;
    for (const xmlChar *q = in->cur; q > in->base;) {
        q--;
        if (*q == '<') {
            long line = in->line - newlines;
            if (line > 0 && line < 65535)
                n->line = (unsigned short)line;
            return;
        }
        newlines += *q == '\n';
    }
}

static xmlDocPtr parse(const char *file, cm_diag *diag)
{
    size_t len = 0;
    int err = 0;
    char *buf = slurp(file, &len, &err);
    if (!buf) {
        cm_diag_addf_at(diag, file, 0, "cannot read pipeline: %s", strerror(err));
        return NULL;
    }
    if (len > INT_MAX) {
        cm_diag_addf_at(diag, file, 0, "cannot read pipeline: the file is too large");
        free(buf);
        return NULL;
    }
    if (len == 0) {
        cm_diag_addf_at(diag, file, 0, "the pipeline file is empty");
        free(buf);
        return NULL;
    }
    xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt(buf, (int)len);
    if (!ctxt) {
        free(buf);
        cm_diag_addf_at(diag, file, 0, "cannot read pipeline: out of memory");
        return NULL;
    }
    sink s = {diag, file};
    size_t before = diag->n;
    /* No network, no DTD loading, no entity substitution: nothing outside
     * the file is read. */
    xmlCtxtUseOptions(ctxt, XML_PARSE_NONET);
    ctxt->sax->startElementNs = start_element;
    /* The parser reports through the (thread-local) structured handler;
     * cm_pipeline_load restores the caller's afterwards. */
    xmlSetStructuredErrorFunc(&s, on_xml_error);
    xmlParseDocument(ctxt);
    xmlSetStructuredErrorFunc(NULL, NULL);
    xmlDocPtr doc = ctxt->myDoc;
    ctxt->myDoc = NULL;
    int wellformed = ctxt->wellFormed;
    xmlFreeParserCtxt(ctxt);
    if (!doc || !wellformed || diag->n > before) {
        if (diag->n == before)
            cm_diag_addf_at(diag, file, 0, "not a well-formed XML file");
        xmlFreeDoc(doc);
        doc = NULL;
    } else if (doc->intSubset || doc->extSubset) {
        /* libxml2 keeps no line for the DTD node: find it in the text */
        long line = 0;
        const char *dt = memmem(buf, len, "<!DOCTYPE", 9);
        if (dt) {
            line = 1;
            for (const char *q = buf; q < dt; q++)
                line += *q == '\n';
        }
        cm_diag_addf_at(diag, file, line, "a pipeline file may not have a DOCTYPE declaration");
        xmlFreeDoc(doc);
        doc = NULL;
    }
    free(buf);
    return doc;
}

/* ------------------------------------------------------- building the result */

typedef struct walk {
    const char *file;
    cm_diag *diag;
    const char *dir;
} walk;

static int valid_var_name(const char *s, size_t n)
{
    if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
            return 0;
    return 1;
}

/* The attribute's value with ${VAR} expanded and $$ turned into $; NULL if
 * it is absent or on an error (reported).  nonempty: an empty result is an
 * error. */
static char *attr(walk *w, xmlNodePtr el, const char *name, int nonempty)
{
    xmlChar *raw = xmlGetNoNsProp(el, BAD_CAST name);
    if (!raw)
        return NULL;
    long line = xmlGetLineNo(el);
    const char *s = (const char *)raw, *ename = (const char *)el->name;
    sbuf b = {0};
    sb_add(&b, ""); /* so an empty value is "" */
    int bad = 0;
    for (size_t i = 0; s[i];) {
        if (s[i] != '$') {
            size_t j = i;
            while (s[j] && s[j] != '$')
                j++;
            sb_addn(&b, s + i, j - i);
            i = j;
        } else if (s[i + 1] == '$') {
            sb_add(&b, "$");
            i += 2;
        } else if (s[i + 1] == '{') {
            const char *rb = strchr(s + i + 2, '}');
            if (!rb) {
                cm_diag_addf_at(w->diag, w->file, line,
                                "unterminated \"${\" in attribute %s of <%s>", name, ename);
                bad = 1;
                break;
            }
            size_t n = (size_t)(rb - (s + i + 2));
            char *var = cm_xstrndup(s + i + 2, n);
            if (!valid_var_name(var, n)) {
                cm_diag_addf_at(w->diag, w->file, line,
                                "invalid environment variable name \"%s\" in attribute %s of <%s>",
                                var, name, ename);
                bad = 1;
            } else {
                const char *v = getenv(var);
                if (!v) {
                    cm_diag_addf_at(w->diag, w->file, line,
                                    "environment variable %s is not set (in attribute %s of <%s>)",
                                    var, name, ename);
                    bad = 1;
                } else {
                    sb_add(&b, v);
                }
            }
            free(var);
            i = (size_t)(rb - s) + 1;
        } else {
            sb_add(&b, "$"); /* a lone $ is itself */
            i++;
        }
    }
    char *out = sb_take(&b);
    if (!bad && nonempty && !*out) {
        cm_diag_addf_at(w->diag, w->file, line,
                        "attribute %s of <%s> is empty after expanding environment variables",
                        name, ename);
        bad = 1;
    }
    xmlFree(raw);
    if (bad) {
        free(out);
        return NULL;
    }
    return out;
}

/* path made absolute against dir; leading ./ and ../ are folded into dir
 * (which is canonical, so that is exact), the rest is kept as written. */
static char *resolve(const char *dir, const char *path)
{
    if (path[0] == '/')
        return cm_xstrdup(path);
    char *base = cm_xstrdup(dir);
    const char *r = path;
    for (;;) {
        if (r[0] == '.' && (r[1] == '/' || r[1] == '\0')) {
            r += 1;
        } else if (r[0] == '.' && r[1] == '.' && (r[2] == '/' || r[2] == '\0')) {
            char *slash = strrchr(base, '/');
            if (slash == base)
                base[1] = '\0';
            else if (slash)
                *slash = '\0';
            r += 2;
        } else {
            break;
        }
        while (*r == '/')
            r++;
    }
    char *out = *r ? cm_path_join(base, r) : cm_xstrdup(base);
    free(base);
    return out;
}

static int valid_id(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '.' || *s == '_' || *s == '-') ||
            (unsigned char)*s >= 0x80)
            return 0;
    return 1;
}

static char *checked_id(walk *w, xmlNodePtr el, const char *ename)
{
    char *id = attr(w, el, "id", 0);
    if (id && !valid_id(id)) {
        cm_diag_addf_at(w->diag, w->file, xmlGetLineNo(el),
                        "invalid id \"%s\" on <%s>: use only letters, digits, \".\", \"_\" and "
                        "\"-\"",
                        id, ename);
        free(id);
        return NULL;
    }
    return id;
}

/* A plain decimal number, read in the C locale (no inf, nan or hex). */
static int parse_number(const char *s, double *out)
{
    if (!*s || strspn(s, "0123456789.eE+-") != strlen(s) || !strpbrk(s, "0123456789"))
        return 0;
    locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (!c)
        return 0;
    char *end = NULL;
    double v = strtod_l(s, &end, c);
    freelocale(c);
    if (!end || *end || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}

/* A plain decimal number in [0,1], read in the C locale. */
static int parse_ratio(const char *s, double *out)
{
    double v;
    if (!parse_number(s, &v) || !(v >= 0.0 && v <= 1.0))
        return 0;
    *out = v;
    return 1;
}

static int is_el(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && !n->ns && xmlStrEqual(n->name, BAD_CAST name);
}

static void read_step(walk *w, xmlNodePtr el, cm_pl_step *st)
{
    int source = is_el(el, "source");
    const char *ename = source ? "source" : "transform";
    long line = xmlGetLineNo(el);
    st->type = source ? CM_STEP_SOURCE : CM_STEP_TRANSFORM;
    st->line = line;
    st->plugin = attr(w, el, "plugin", 1);
    st->kind = attr(w, el, "kind", 1);
    st->id = checked_id(w, el, ename);
    if (source) {
        st->timezone = attr(w, el, "timezone", 1);
        if (!st->timezone && !xmlHasNsProp(el, BAD_CAST "timezone", NULL))
            st->timezone = cm_xstrdup(DEFAULT_TIMEZONE);
        st->max_reject_ratio = DEFAULT_MAX_REJECT_RATIO;
        char *r = attr(w, el, "max-reject-ratio", 1);
        if (r && !parse_ratio(r, &st->max_reject_ratio))
            cm_diag_addf_at(w->diag, w->file, line,
                            "invalid max-reject-ratio \"%s\" on <source>: expected a number "
                            "between 0 and 1",
                            r);
        free(r);
    } else if (!st->id && !xmlHasNsProp(el, BAD_CAST "id", NULL) && st->plugin && st->kind) {
        st->id = cm_asprintf("%s/%s", st->plugin, st->kind);
    }

    size_t ni = 0, no = 0;
    for (xmlNodePtr k = el->children; k; k = k->next) {
        ni += is_el(k, "input");
        no += is_el(k, "option");
    }
    st->inputs = ni ? cm_xcalloc(ni, sizeof *st->inputs) : NULL;
    st->options = no ? cm_xcalloc(no, sizeof *st->options) : NULL;
    for (xmlNodePtr k = el->children; k; k = k->next) {
        if (is_el(k, "input")) {
            cm_pl_input *in = &st->inputs[st->ninputs++];
            in->line = xmlGetLineNo(k);
            char *path = attr(w, k, "path", 1);
            in->path = path ? resolve(w->dir, path) : NULL;
            free(path);
            in->member = attr(w, k, "member", 1);
        } else if (is_el(k, "option")) {
            cm_pl_option *o = &st->options[st->noptions++];
            o->line = xmlGetLineNo(k);
            o->name = attr(w, k, "name", 1);
            o->value = attr(w, k, "value", 0);
            /* a repeated name is checked against the kind's option table
             * (core/options.c): list options may repeat */
        }
    }
}

/* ------------------------------------------------------------ <analysis> */

void cm_pl_analysis_defaults(cm_pl_analysis *a)
{
    memset(a, 0, sizeof *a);
    a->threshold_calls = 100;
    a->service_level_s = 30;
    a->target_service_level = 0.8;
    a->wrap_up_s = 30;
    a->hourly_cost_dkk = 450;
    a->efficiency_low = 0.05;
    a->efficiency_high = 0.10;
    a->repeat_days = 7;
    a->cancel_max_calls_per_month = 2;
    a->reason_factor = 1.5;
    a->reason_min_difference = 0.05;
    a->open_hour_min_share = 0.005;
    a->min_peers = 3;
}

void cm_pl_analysis_clear(cm_pl_analysis *a)
{
    if (!a)
        return;
    free(a->from);
    free(a->to);
    for (size_t i = 0; i < a->ndatapoints; i++) {
        free(a->datapoints[i].name);
        free(a->datapoints[i].label);
        free(a->datapoints[i].sql);
    }
    free(a->datapoints);
    a->datapoints = NULL;
    a->ndatapoints = 0;
    a->from = a->to = NULL;
}

/* "YYYY-MM" with a month 01..12. */
static int valid_month(const char *s)
{
    return strlen(s) == 7 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
           isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) && s[4] == '-' &&
           ((s[5] == '0' && s[6] >= '1' && s[6] <= '9') ||
            (s[5] == '1' && s[6] >= '0' && s[6] <= '2'));
}

/* A numeric attribute of <analysis>: kept at its default when absent;
 * min/max bound it (inclusive unless *_open); integer: a whole number. */
typedef struct num_attr {
    const char *name;
    double *v;
    double min, max;
    int min_open, max_open, integer;
    const char *expected;
} num_attr;

static void read_num_attr(walk *w, xmlNodePtr el, const num_attr *na)
{
    char *s = attr(w, el, na->name, 1);
    if (!s)
        return;
    double v;
    int ok = parse_number(s, &v) && (na->min_open ? v > na->min : v >= na->min) &&
             (na->max_open ? v < na->max : v <= na->max) && (!na->integer || v == floor(v));
    if (ok)
        *na->v = v;
    else
        cm_diag_addf_at(w->diag, w->file, xmlGetLineNo(el),
                        "invalid %s \"%s\" on <analysis>: expected %s", na->name, s, na->expected);
    free(s);
}

static int valid_datapoint_name(const char *s)
{
    if (!(*s >= 'a' && *s <= 'z'))
        return 0;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

/* The SQL of a <datapoint>: its text without surrounding blanks and
 * trailing semicolons (it is used as a subquery). */
static char *datapoint_sql(xmlNodePtr el)
{
    xmlChar *raw = xmlNodeGetContent(el);
    const char *s = raw ? (const char *)raw : "";
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && (isspace((unsigned char)s[n - 1]) || s[n - 1] == ';'))
        n--;
    char *out = cm_xstrndup(s, n);
    xmlFree(raw);
    return out;
}

static cm_pl_analysis *read_analysis(walk *w, xmlNodePtr el)
{
    cm_pl_analysis *a = cm_xcalloc(1, sizeof *a);
    cm_pl_analysis_defaults(a);
    long line = xmlGetLineNo(el);
    a->line = line;
    a->from = attr(w, el, "from", 1);
    a->to = attr(w, el, "to", 1);
    if (a->from && !valid_month(a->from))
        cm_diag_addf_at(w->diag, w->file, line,
                        "invalid from \"%s\" on <analysis>: expected a month YYYY-MM", a->from);
    if (a->to && !valid_month(a->to))
        cm_diag_addf_at(w->diag, w->file, line,
                        "invalid to \"%s\" on <analysis>: expected a month YYYY-MM", a->to);
    if (a->from && a->to && valid_month(a->from) && valid_month(a->to) &&
        strcmp(a->from, a->to) > 0)
        cm_diag_addf_at(w->diag, w->file, line,
                        "<analysis> from \"%s\" is after to \"%s\"", a->from, a->to);
    double min_peers = a->min_peers;
    const double inf = INFINITY;
    const num_attr nums[] = {
        {"threshold-calls", &a->threshold_calls, 0, inf, 0, 0, 0, "a number of calls, 0 or more"},
        {"service-level-seconds", &a->service_level_s, 0, inf, 0, 0, 0, "seconds, 0 or more"},
        {"target-service-level", &a->target_service_level, 0, 1, 1, 1, 0,
         "a share above 0 and below 1"},
        {"wrap-up-seconds", &a->wrap_up_s, 0, inf, 0, 0, 0, "seconds, 0 or more"},
        {"hourly-cost-dkk", &a->hourly_cost_dkk, 0, inf, 0, 0, 0, "DKK, 0 or more"},
        {"efficiency-low", &a->efficiency_low, 0, 1, 0, 0, 0, "a share between 0 and 1"},
        {"efficiency-high", &a->efficiency_high, 0, 1, 0, 0, 0, "a share between 0 and 1"},
        {"repeat-days", &a->repeat_days, 0, 3660, 1, 0, 0, "days, above 0 (at most 3660)"},
        {"cancel-max-calls-per-month", &a->cancel_max_calls_per_month, 0, inf, 0, 0, 0,
         "a number of calls, 0 or more"},
        {"reason-factor", &a->reason_factor, 1, 1000, 0, 0, 0, "a factor from 1 to 1000"},
        {"reason-min-difference", &a->reason_min_difference, 0, 1, 0, 0, 0,
         "a share between 0 and 1"},
        {"min-peers", &min_peers, 1, 100000, 0, 0, 1, "a whole number, 1 or more"},
        {"open-hour-min-share", &a->open_hour_min_share, 0, 1, 0, 0, 0,
         "a share between 0 and 1"},
    };
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++)
        read_num_attr(w, el, &nums[i]);
    a->min_peers = (int)min_peers;
    if (a->efficiency_low > a->efficiency_high)
        cm_diag_addf_at(w->diag, w->file, line,
                        "<analysis> efficiency-low %g is above efficiency-high %g",
                        a->efficiency_low, a->efficiency_high);

    size_t nd = 0;
    for (xmlNodePtr k = el->children; k; k = k->next)
        nd += is_el(k, "datapoint");
    a->datapoints = nd ? cm_xcalloc(nd, sizeof *a->datapoints) : NULL;
    for (xmlNodePtr k = el->children; k; k = k->next) {
        if (!is_el(k, "datapoint"))
            continue;
        cm_pl_datapoint *d = &a->datapoints[a->ndatapoints++];
        d->line = xmlGetLineNo(k);
        d->name = attr(w, k, "name", 1);
        d->label = attr(w, k, "label", 1);
        char *dir = attr(w, k, "direction", 1);
        d->lower = dir && !strcmp(dir, "lower");
        free(dir);
        d->sql = datapoint_sql(k);
        if (d->name && !valid_datapoint_name(d->name)) {
            cm_diag_addf_at(w->diag, w->file, d->line,
                            "invalid datapoint name \"%s\": use a lowercase letter, then "
                            "lowercase letters, digits and \"_\"",
                            d->name);
        } else if (d->name && cm_analysis_builtin_datapoint(d->name)) {
            cm_diag_addf_at(w->diag, w->file, d->line,
                            "datapoint \"%s\" has the name of a built-in data point", d->name);
        } else if (d->name) {
            for (size_t j = 0; j + 1 < a->ndatapoints; j++)
                if (a->datapoints[j].name && !strcmp(a->datapoints[j].name, d->name)) {
                    cm_diag_addf_at(w->diag, w->file, d->line,
                                    "datapoint name \"%s\" is used twice (lines %ld and %ld)",
                                    d->name, a->datapoints[j].line, d->line);
                    break;
                }
        }
        if (!*d->sql)
            cm_diag_addf_at(w->diag, w->file, d->line,
                            "datapoint \"%s\" has no SQL: write a SELECT returning unit_id, "
                            "month and value",
                            d->name ? d->name : "");
        if (d->name && !d->label)
            d->label = cm_xstrdup(d->name);
    }
    return a;
}

/* The canonical absolute folder of file. */
static char *pipeline_dir(const char *file)
{
    char *d = cm_path_dirname(file);
    char *real = realpath(d, NULL);
    if (real) {
        char *out = cm_xstrdup(real);
        free(real);
        free(d);
        return out;
    }
    if (d[0] == '/')
        return d;
    char *cwd = getcwd(NULL, 0);
    char *out = resolve(cwd ? cwd : "/", d);
    free(cwd);
    free(d);
    return out;
}

static cm_pipeline *build_pipeline(xmlDocPtr doc, const char *file, cm_diag *diag)
{
    size_t before = diag->n;
    cm_pipeline *p = cm_xcalloc(1, sizeof *p);
    p->file = cm_xstrdup(file);
    p->dir = pipeline_dir(file);
    walk w = {file, diag, p->dir};
    xmlNodePtr root = xmlDocGetRootElement(doc);
    p->name = attr(&w, root, "name", 1);

    size_t nsteps = 0;
    for (xmlNodePtr k = root->children; k; k = k->next)
        nsteps += is_el(k, "source") || is_el(k, "transform");
    p->steps = cm_xcalloc(nsteps, sizeof *p->steps);
    for (xmlNodePtr k = root->children; k; k = k->next) {
        if (is_el(k, "store")) {
            p->store_line = xmlGetLineNo(k);
            char *path = attr(&w, k, "path", 1);
            p->store_path = path ? resolve(p->dir, path) : NULL;
            free(path);
        } else if (is_el(k, "source") || is_el(k, "transform")) {
            cm_pl_step *a = &p->steps[p->nsteps++];
            read_step(&w, k, a);
            for (size_t j = 0; a->type == CM_STEP_SOURCE && a->id && j + 1 < p->nsteps; j++) {
                const cm_pl_step *b = &p->steps[j];
                if (b->type == CM_STEP_SOURCE && b->id && !strcmp(a->id, b->id)) {
                    cm_diag_addf_at(diag, file, a->line,
                                    "source id \"%s\" is used twice (lines %ld and %ld)", a->id,
                                    b->line, a->line);
                    break;
                }
            }
        } else if (is_el(k, "analysis")) {
            p->analysis = read_analysis(&w, k);
        }
        /* elements added to the schema later are read by code added with them */
    }

    if (diag->n > before) {
        cm_pipeline_free(p);
        return NULL;
    }
    return p;
}

/* ------------------------------------------------------------------ API */

cm_pipeline *cm_pipeline_load(const char *file, cm_diag *diag)
{
    xmlInitParser();
    /* Anything libxml2 reports outside our structured handlers is dropped
     * instead of printed; the previous handlers are restored on return. */
    xmlGenericErrorFunc old_generic = xmlGenericError;
    void *old_generic_ctx = xmlGenericErrorContext;
    xmlStructuredErrorFunc old_structured = xmlStructuredError;
    void *old_structured_ctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(NULL, on_generic_error);
    xmlSetStructuredErrorFunc(NULL, NULL);

    cm_pipeline *p = NULL;
    xmlDocPtr doc = parse(file, diag);
    if (doc && validate(doc, file, diag))
        p = build_pipeline(doc, file, diag);
    xmlFreeDoc(doc);

    xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
    xmlSetStructuredErrorFunc(old_structured_ctx, old_structured);
    return p;
}

static void free_step(cm_pl_step *s)
{
    free(s->id);
    free(s->plugin);
    free(s->kind);
    free(s->timezone);
    for (size_t i = 0; i < s->ninputs; i++) {
        free(s->inputs[i].path);
        free(s->inputs[i].member);
    }
    free(s->inputs);
    for (size_t i = 0; i < s->noptions; i++) {
        free(s->options[i].name);
        free(s->options[i].value);
    }
    free(s->options);
}

void cm_pipeline_free(cm_pipeline *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nsteps; i++)
        free_step(&p->steps[i]);
    free(p->steps);
    if (p->analysis) {
        cm_pl_analysis_clear(p->analysis);
        free(p->analysis);
    }
    free(p->file);
    free(p->dir);
    free(p->name);
    free(p->store_path);
    free(p);
}
