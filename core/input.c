#include "input.h"
#include "util.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ------------------------------------------------------------ expansion */

/* Symbolic links are followed; this bounds a link cycle. */
#define MAX_DEPTH 64

typedef struct strvec {
    char **v;
    size_t n, cap;
} strvec;

static void vec_push(strvec *s, char *p)
{
    if (s->n + 1 >= s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = cm_xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = p;
    s->v[s->n] = NULL;
}

static void vec_free(strvec *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(const char *dir, int depth, strvec *out, char *err, size_t errsz)
{
    if (depth > MAX_DEPTH) {
        snprintf(err, errsz, "%s: folders nested too deeply (a symbolic link loop?)", dir);
        return -1;
    }
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errsz, "%s: %s", dir, strerror(errno));
        return -1;
    }
    strvec names = {0};
    struct dirent *de;
    errno = 0;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] != '.')
            vec_push(&names, cm_xstrdup(de->d_name));
        errno = 0;
    }
    int rerr = errno;
    closedir(d);
    if (rerr) {
        snprintf(err, errsz, "%s: %s", dir, strerror(rerr));
        vec_free(&names);
        return -1;
    }
    if (names.n)
        qsort(names.v, names.n, sizeof *names.v, cmp_str);

    int rc = 0;
    for (size_t i = 0; i < names.n && rc == 0; i++) {
        char *p = cm_path_join(dir, names.v[i]);
        struct stat st;
        if (stat(p, &st) != 0) {
            /* a dangling symbolic link or a file removed meanwhile */
            free(p);
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            rc = walk(p, depth + 1, out, err, errsz);
            free(p);
        } else if (S_ISREG(st.st_mode)) {
            vec_push(out, p);
        } else {
            free(p);
        }
    }
    vec_free(&names);
    return rc;
}

static int glob_errfunc(const char *epath, int eerrno)
{
    (void)epath;
    (void)eerrno;
    return 0; /* keep going: unreadable folders just match nothing */
}

int cm_input_expand(const char *pattern, char ***paths, char *err, size_t errsz)
{
    strvec out = {0};
    struct stat st;
    int rc = 0;
    *paths = NULL;

    if (stat(pattern, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            rc = walk(pattern, 0, &out, err, errsz);
        else
            vec_push(&out, cm_xstrdup(pattern)); /* named explicitly: itself */
    } else {
        glob_t g;
        int gr = glob(pattern, 0, glob_errfunc, &g);
        if (gr == 0) {
            for (size_t i = 0; i < g.gl_pathc && rc == 0; i++) {
                const char *p = g.gl_pathv[i];
                if (stat(p, &st) != 0)
                    continue;
                if (S_ISDIR(st.st_mode))
                    rc = walk(p, 0, &out, err, errsz);
                else if (S_ISREG(st.st_mode))
                    vec_push(&out, cm_xstrdup(p));
            }
        } else if (gr == GLOB_ABORTED) {
            snprintf(err, errsz, "%s: read error while expanding the pattern", pattern);
            rc = -1;
        } else if (gr == GLOB_NOSPACE) {
            snprintf(err, errsz, "%s: out of memory while expanding the pattern", pattern);
            rc = -1;
        }
        /* GLOB_NOMATCH: no files, not an error */
        if (gr != GLOB_NOMATCH)
            globfree(&g);
    }
    if (rc != 0) {
        vec_free(&out);
        return -1;
    }

    if (out.n > 1) {
        qsort(out.v, out.n, sizeof *out.v, cmp_str);
        size_t k = 1;
        for (size_t i = 1; i < out.n; i++) {
            if (strcmp(out.v[i], out.v[k - 1]) == 0)
                free(out.v[i]);
            else
                out.v[k++] = out.v[i];
        }
        out.n = k;
    }
    if (!out.v)
        out.v = cm_xcalloc(1, sizeof *out.v);
    out.v[out.n] = NULL;
    *paths = out.v;
    return (int)out.n;
}

void cm_input_free_list(char **paths)
{
    if (!paths)
        return;
    for (char **p = paths; *p; p++)
        free(*p);
    free(paths);
}

/* ------------------------------------------------------------ containers */

#define BLOCK_SIZE (64 * 1024)

enum { ST_START = 0, ST_ENTRY, ST_END };

struct cm_container {
    char *path;
    struct archive *a; /* NULL for an empty plain file */
    struct stat st;
    int state;
    int raw;           /* a plain or only-compressed file: one source file */
    int nodata;        /* the current source file is known to be empty */
    char *member;      /* current archive member (own copy) */
    char *err;
};

static void set_err(cm_container *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void set_err(cm_container *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *m = cm_vasprintf(fmt, ap);
    va_end(ap);
    free(c->err);
    c->err = m;
}

static const char *arch_reason(struct archive *a)
{
    const char *s = archive_error_string(a);
    if (s && *s)
        return s;
    int e = archive_errno(a);
    return e > 0 ? strerror(e) : "unreadable data";
}

cm_container *cm_container_open(const char *path, char *err, size_t errsz)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, errsz, "%s: %s", path, strerror(errno));
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(err, errsz, "%s: %s", path, strerror(EISDIR));
        return NULL;
    }

    cm_container *c = cm_xcalloc(1, sizeof *c);
    c->path = cm_xstrdup(path);
    c->st = st;
    if (S_ISREG(st.st_mode) && st.st_size == 0)
        return c; /* libarchive's raw format yields nothing for 0 bytes */

    struct archive *a = archive_read_new();
    if (!a) {
        snprintf(err, errsz, "%s: cannot create an archive reader", path);
        cm_container_close(c);
        return NULL;
    }
    c->a = a;
    archive_read_support_filter_all(a);
    /* Not archive_read_support_format_all: mtree would claim plain text. */
    archive_read_support_format_tar(a);
    archive_read_support_format_zip(a);
    archive_read_support_format_7zip(a);
    archive_read_support_format_cpio(a);
    archive_read_support_format_rar(a);
    archive_read_support_format_rar5(a);
    archive_read_support_format_iso9660(a);
    archive_read_support_format_raw(a);
    archive_read_support_format_empty(a); /* e.g. a .gz of 0 bytes */
    if (archive_read_open_filename(a, path, BLOCK_SIZE) != ARCHIVE_OK) {
        snprintf(err, errsz, "%s: %s", path, arch_reason(a));
        cm_container_close(c);
        return NULL;
    }
    return c;
}

/* A member hidden the way the folder walk hides files (".x" anywhere in its
 * path, "." and ".." aside), or macOS resource-fork clutter in a zip. */
static int hidden_member(const char *name)
{
    const char *p = name;
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        if (len > 0 && p[0] == '.' && !(len == 1 || (len == 2 && p[1] == '.')))
            return 1;
        if (len == 8 && memcmp(p, "__MACOSX", 8) == 0)
            return 1;
        if (!slash)
            break;
        p = slash + 1;
    }
    return 0;
}

int cm_container_next(cm_container *c, const char *member_glob, const char **member)
{
    *member = NULL;
    if (c->state == ST_END)
        return 0;
    if (!c->a) { /* empty plain file */
        if (c->state == ST_START) {
            c->nodata = 1;
            c->state = ST_ENTRY;
            return 1;
        }
        c->state = ST_END;
        return 0;
    }
    if (c->raw) { /* the single source file has been handed out */
        c->state = ST_END;
        return 0;
    }
    free(c->member);
    c->member = NULL;

    for (;;) {
        struct archive_entry *e;
        int r = archive_read_next_header(c->a, &e);
        if (r == ARCHIVE_EOF) {
            if (c->state == ST_START && archive_format(c->a) == ARCHIVE_FORMAT_EMPTY) {
                /* compressed empty file: one source file of 0 bytes */
                c->raw = c->nodata = 1;
                c->state = ST_ENTRY;
                return 1;
            }
            c->state = ST_END;
            return 0;
        }
        if (r == ARCHIVE_RETRY)
            continue;
        if (r < ARCHIVE_WARN) {
            set_err(c, "%s: %s", c->path, arch_reason(c->a));
            c->state = ST_END;
            return -1;
        }
        if (archive_format(c->a) == ARCHIVE_FORMAT_RAW) {
            c->raw = 1;
            c->state = ST_ENTRY;
            return 1;
        }
        if (archive_entry_filetype(e) != AE_IFREG || archive_entry_hardlink(e))
            continue; /* folders, links, devices: no data of their own */
        const char *name = archive_entry_pathname(e);
        if (!name)
            name = archive_entry_pathname_utf8(e);
        if (!name || hidden_member(name))
            continue;
        if (member_glob && fnmatch(member_glob, name, 0) != 0)
            continue; /* the next header call skips its data */
        c->member = cm_xstrdup(name);
        c->state = ST_ENTRY;
        *member = c->member;
        return 1;
    }
}

long cm_container_read(cm_container *c, void *buf, size_t n)
{
    if (c->state != ST_ENTRY || c->nodata || n == 0)
        return 0;
    if (n > BLOCK_SIZE * 64)
        n = BLOCK_SIZE * 64;
    la_ssize_t r = archive_read_data(c->a, buf, n);
    if (r < 0) {
        if (c->member)
            set_err(c, "%s!%s: %s", c->path, c->member, arch_reason(c->a));
        else
            set_err(c, "%s: %s", c->path, arch_reason(c->a));
        return -1;
    }
    return (long)r;
}

const char *cm_container_error(cm_container *c)
{
    return c->err ? c->err : "no error";
}

int64_t cm_container_file_size(cm_container *c) { return (int64_t)c->st.st_size; }

int64_t cm_container_file_offset(cm_container *c)
{
    /* filter -1 is the bottom of the stack: bytes taken from the file itself */
    return c->a ? (int64_t)archive_filter_bytes(c->a, -1) : 0;
}

void cm_container_close(cm_container *c)
{
    if (!c)
        return;
    if (c->a)
        archive_read_free(c->a);
    free(c->member);
    free(c->err);
    free(c->path);
    free(c);
}
