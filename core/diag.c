#include "diag.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void cm_diag_init(cm_diag *d) { d->msgs = NULL; d->n = d->cap = 0; }

void cm_diag_free(cm_diag *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->msgs[i]);
    free(d->msgs);
    cm_diag_init(d);
}

static void push(cm_diag *d, char *m)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 8;
        d->msgs = cm_xrealloc(d->msgs, d->cap * sizeof *d->msgs);
    }
    d->msgs[d->n++] = m;
}

void cm_diag_add(cm_diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    push(d, cm_vasprintf(fmt, ap));
    va_end(ap);
}

void cm_diag_addf_at(cm_diag *d, const char *file, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *body = cm_vasprintf(fmt, ap);
    va_end(ap);
    if (line > 0)
        push(d, cm_asprintf("%s:%ld: %s", file, line, body));
    else
        push(d, cm_asprintf("%s: %s", file, body));
    free(body);
}
