/* Small helpers: allocation that exits on failure, errors, folders. */
#ifndef GEN_UTIL_H
#define GEN_UTIL_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* prints "callmap-gen: <message>" and exits with status 1 */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* creates the folder and its parents; dies on failure */
void make_dirs(const char *path);
/* make_dirs of the folder part of a file path */
void make_parent_dirs(const char *file);

#endif
