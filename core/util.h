/* Small allocation and string helpers shared by the core. Allocation failure
 * aborts with a message: callmap cannot do anything useful out of memory. */
#ifndef CM_UTIL_H
#define CM_UTIL_H

#include <stdarg.h>
#include <stddef.h>

void *cm_xmalloc(size_t n);
void *cm_xcalloc(size_t n, size_t size);
void *cm_xrealloc(void *p, size_t n);
char *cm_xstrdup(const char *s);
char *cm_xstrndup(const char *s, size_t n);
char *cm_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *cm_vasprintf(const char *fmt, va_list ap);

/* Copy at most n-1 bytes and always terminate (like strlcpy). Returns strlen(src). */
size_t cm_strlcpy(char *dst, const char *src, size_t n);

/* Path helpers. cm_path_join returns a new string; an absolute `rel` is returned as is. */
char *cm_path_join(const char *dir, const char *rel);
char *cm_path_dirname(const char *path);

#endif
