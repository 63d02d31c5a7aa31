#include "options.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdalign.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *cm_opt_type_name(cm_opt_type t)
{
    switch (t) {
    case CM_OPT_STRING: return "string";
    case CM_OPT_INT: return "int";
    case CM_OPT_DOUBLE: return "double";
    case CM_OPT_BOOL: return "bool";
    case CM_OPT_LIST: return "list";
    }
    return NULL;
}

static size_t type_align(cm_opt_type t)
{
    switch (t) {
    case CM_OPT_STRING: return alignof(const char *);
    case CM_OPT_INT: return alignof(int64_t);
    case CM_OPT_DOUBLE: return alignof(double);
    case CM_OPT_BOOL: return alignof(int);
    case CM_OPT_LIST: return alignof(const char *const *);
    }
    return 1;
}

static size_t type_size(cm_opt_type t)
{
    switch (t) {
    case CM_OPT_STRING: return sizeof(const char *);
    case CM_OPT_INT: return sizeof(int64_t);
    case CM_OPT_DOUBLE: return sizeof(double);
    case CM_OPT_BOOL: return sizeof(int);
    case CM_OPT_LIST: return sizeof(const char *const *);
    }
    return 0;
}

/* Convert text to the option's type into dst. Returns NULL or a reason. */
static const char *convert(cm_opt_type t, const char *text, void *dst)
{
    char *end;
    if (t != CM_OPT_STRING && t != CM_OPT_LIST && isspace((unsigned char)text[0]))
        return "remove the spaces around the value"; /* strto* would skip only leading ones */
    switch (t) {
    case CM_OPT_STRING:
    case CM_OPT_LIST:
        return NULL; /* strings are stored by the caller, who owns the copy */
    case CM_OPT_INT: {
        errno = 0;
        long long v = strtoll(text, &end, 10);
        if (!*text || *end || errno)
            return "expected an integer";
        if (dst)
            *(int64_t *)dst = v;
        return NULL;
    }
    case CM_OPT_DOUBLE: {
        errno = 0;
        double v = strtod(text, &end);
        if (!*text || *end || errno || !isfinite(v))
            return "expected a number";
        if (dst)
            *(double *)dst = v;
        return NULL;
    }
    case CM_OPT_BOOL: {
        static const char *const yes[] = {"true", "yes", "on", "1"};
        static const char *const no[] = {"false", "no", "off", "0"};
        for (size_t i = 0; i < 4; i++) {
            if (strcasecmp(text, yes[i]) == 0 || strcasecmp(text, no[i]) == 0) {
                if (dst)
                    *(int *)dst = strcasecmp(text, yes[i]) == 0;
                return NULL;
            }
        }
        return "expected true or false";
    }
    }
    return "unknown option type";
}

char *cm_options_check_table(const cm_option_def *defs, size_t config_size)
{
    if (!defs)
        return NULL;
    for (const cm_option_def *d = defs; d->name; d++) {
        if (!cm_opt_type_name(d->type))
            return cm_asprintf("option '%s' has an unknown type %d", d->name, (int)d->type);
        if (!d->description || !*d->description)
            return cm_asprintf("option '%s' has no description", d->name);
        if (d->offset + type_size(d->type) > config_size)
            return cm_asprintf("option '%s' lies outside the config struct (%zu bytes)", d->name,
                               config_size);
        if (d->offset % type_align(d->type))
            return cm_asprintf("option '%s' has an offset not aligned for its type", d->name);
        for (const cm_option_def *o = defs; o < d; o++)
            if (strcmp(o->name, d->name) == 0)
                return cm_asprintf("option '%s' is declared twice", d->name);
        if (d->default_value) {
            const char *why = convert(d->type, d->default_value, NULL);
            if (why)
                return cm_asprintf("option '%s' has a default '%s' that is wrong: %s", d->name,
                                   d->default_value, why);
        }
    }
    return NULL;
}

static char *valid_list(const cm_option_def *defs)
{
    size_t len = 1;
    for (const cm_option_def *d = defs; d && d->name; d++)
        len += strlen(d->name) + 2;
    char *s = cm_xmalloc(len);
    s[0] = '\0';
    for (const cm_option_def *d = defs; d && d->name; d++) {
        if (s[0])
            strcat(s, ", ");
        strcat(s, d->name);
    }
    return s;
}

static char *keep(cm_config *c, char *owned)
{
    c->strings = cm_xrealloc(c->strings, (c->nstrings + 1) * sizeof *c->strings);
    c->strings[c->nstrings++] = owned;
    return owned;
}

static void set_value(cm_config *c, const cm_option_def *d, const char *text)
{
    void *dst = (char *)c->data + d->offset;
    if (d->type == CM_OPT_STRING)
        *(const char **)dst = keep(c, cm_xstrdup(text));
    else
        convert(d->type, text, dst);
}

/* "column.*" is a family: "column.date" belongs to it, as entry "date=...". */
static int family(const cm_option_def *d)
{
    size_t n = strlen(d->name);
    return d->type == CM_OPT_LIST && n > 2 && strcmp(d->name + n - 2, ".*") == 0;
}

static int matches(const cm_option_def *d, const char *name)
{
    if (!family(d))
        return strcmp(d->name, name) == 0;
    size_t n = strlen(d->name) - 1; /* keeps the '.' */
    return strncmp(d->name, name, n) == 0 && name[n];
}

static const cm_option_def *find_def(const cm_option_def *defs, const char *name)
{
    for (const cm_option_def *d = defs; d && d->name; d++)
        if (matches(d, name))
            return d;
    return NULL;
}

/* A list option's entries, in pipeline order, into a NULL-terminated array
 * the config owns. */
static void set_list(cm_config *c, const cm_option_def *d, const cm_pl_step *step)
{
    size_t n = 0;
    for (size_t i = 0; i < step->noptions; i++)
        n += matches(d, step->options[i].name);
    const char **list = cm_xcalloc(n + 1, sizeof *list);
    keep(c, (char *)list);
    size_t k = 0;
    for (size_t i = 0; i < step->noptions; i++) {
        const cm_pl_option *o = &step->options[i];
        if (!matches(d, o->name))
            continue;
        list[k++] = family(d) ? keep(c, cm_asprintf("%s=%s", o->name + strlen(d->name) - 1,
                                                     o->value))
                              : keep(c, cm_xstrdup(o->value));
    }
    *(const char *const **)((char *)c->data + d->offset) = list;
}

int cm_options_build(const cm_option_def *defs, size_t config_size, const cm_pl_step *step,
                     const char *file, const char *what, cm_config *out, cm_diag *diag)
{
    size_t errors = diag->n;
    out->data = cm_xcalloc(1, config_size ? config_size : 1);
    out->strings = NULL;
    out->nstrings = 0;
    for (const cm_option_def *d = defs; d && d->name; d++) {
        if (d->type == CM_OPT_LIST)
            set_list(out, d, step);
        else if (d->default_value)
            set_value(out, d, d->default_value);
    }

    for (size_t i = 0; i < step->noptions; i++) {
        const cm_pl_option *o = &step->options[i];
        const cm_option_def *d = find_def(defs, o->name);
        if (!d) {
            char *list = valid_list(defs);
            cm_diag_addf_at(diag, file, o->line, "unknown option '%s' for %s; valid options: %s",
                            o->name, what, list[0] ? list : "(none)");
            free(list);
            continue;
        }
        if (d->type == CM_OPT_LIST)
            continue; /* may repeat; collected above */
        int twice = 0;
        for (size_t k = 0; k < i && !twice; k++) {
            if (strcmp(step->options[k].name, o->name) == 0) {
                cm_diag_addf_at(diag, file, o->line,
                                "option '%s' of %s is set twice (lines %ld and %ld)", o->name,
                                what, step->options[k].line, o->line);
                twice = 1;
            }
        }
        if (twice)
            continue;
        const char *why = convert(d->type, o->value, NULL);
        if (why) {
            cm_diag_addf_at(diag, file, o->line, "option '%s' of %s: '%s' is not valid: %s",
                            o->name, what, o->value, why);
            continue;
        }
        set_value(out, d, o->value);
    }
    for (const cm_option_def *d = defs; d && d->name; d++) {
        if (!d->required)
            continue;
        int given = 0;
        for (size_t i = 0; i < step->noptions; i++)
            given |= matches(d, step->options[i].name);
        if (!given)
            cm_diag_addf_at(diag, file, step->line, "option '%s' is required for %s (%s)",
                            d->name, what, d->description);
    }
    return diag->n == errors ? 0 : -1;
}

void cm_config_free(cm_config *c)
{
    for (size_t i = 0; i < c->nstrings; i++)
        free(c->strings[i]);
    free(c->strings);
    free(c->data);
    c->strings = NULL;
    c->data = NULL;
    c->nstrings = 0;
}

/* Width on screen: UTF-8 continuation bytes take no column ("Indgående"). */
static int width(const char *s)
{
    int w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

static void cell(FILE *f, const char *s, int w)
{
    fprintf(f, "%s%*s", s, w - width(s) > 0 ? w - width(s) : 0, "");
}

void cm_options_print(FILE *f, const cm_option_def *defs)
{
    if (!defs || !defs->name) {
        fprintf(f, "    (no options)\n");
        return;
    }
    int w = 4, dw = 7;
    for (const cm_option_def *d = defs; d->name; d++) {
        if (width(d->name) > w)
            w = width(d->name);
        if (d->default_value && width(d->default_value) > dw)
            dw = width(d->default_value);
    }
    if (dw > 20)
        dw = 20;
    fprintf(f, "    ");
    cell(f, "name", w + 2);
    fprintf(f, "%-6s  %-8s  ", "type", "required");
    cell(f, "default", dw + 2);
    fprintf(f, "description\n");
    for (const cm_option_def *d = defs; d->name; d++) {
        fprintf(f, "    ");
        cell(f, d->name, w + 2);
        fprintf(f, "%-6s  %-8s  ", cm_opt_type_name(d->type), d->required ? "yes" : "no");
        cell(f, d->default_value ? d->default_value : "-", dw + 2);
        fprintf(f, "%s\n", d->description);
    }
}
