/* A list of error messages ("file:line: what was expected"), so a check can
 * report every problem it finds instead of stopping at the first. */
#ifndef CM_DIAG_H
#define CM_DIAG_H

#include <stddef.h>

typedef struct cm_diag {
    char **msgs;
    size_t n, cap;
} cm_diag;

void cm_diag_init(cm_diag *d);
void cm_diag_free(cm_diag *d);
/* printf-style; always copies. Never fails silently: on OOM the process aborts. */
void cm_diag_add(cm_diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "file:line: ..." prefix helper; line <= 0 omits the line. */
void cm_diag_addf_at(cm_diag *d, const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
