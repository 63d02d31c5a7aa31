#include "pack.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct out_file {
    int type;
    char *path;
    FILE *f;
    struct archive *a;
    uint64_t bytes;
};

static void check(struct archive *a, int rc, const char *what, const char *path)
{
    if (rc < ARCHIVE_WARN)
        die("%s %s: %s", what, path, archive_error_string(a));
}

/* a raw (single stream) gzip writer, without a time stamp in the header */
static struct archive *gzip_writer(const char *path)
{
    struct archive *a = archive_write_new();
    if (!a)
        die("out of memory");
    check(a, archive_write_set_format_raw(a), "cannot write", path);
    check(a, archive_write_add_filter_gzip(a), "cannot write", path);
    /* level 1: the fastest deflate; the data is generated faster than level 6 compresses */
    check(a, archive_write_set_options(a, "gzip:!timestamp,gzip:compression-level=1"),
          "cannot write", path);
    return a;
}

static void raw_header(struct archive *a, const char *path, const char *name)
{
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, name);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    check(a, archive_write_header(a, e), "cannot write", path);
    archive_entry_free(e);
}

out_file *out_open(const char *path, int type, const char *member, int64_t mtime)
{
    make_parent_dirs(path);
    out_file *o = xcalloc(1, sizeof *o);
    o->type = type;
    o->path = xstrdup(path);
    if (type == OUT_PLAIN) {
        o->f = fopen(path, "wb");
        if (!o->f)
            die("cannot create %s", path);
        return o;
    }
    if (type == OUT_GZIP) {
        o->a = gzip_writer(path);
        check(o->a, archive_write_open_filename(o->a, path), "cannot create", path);
        raw_header(o->a, path, "data");
        return o;
    }
    o->a = archive_write_new();
    if (!o->a)
        die("out of memory");
    check(o->a, archive_write_set_format_zip(o->a), "cannot write", path);
    check(o->a, archive_write_set_options(o->a, "zip:compression-level=1"), "cannot write", path);
    check(o->a, archive_write_open_filename(o->a, path), "cannot create", path);
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, member);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_mtime(e, (time_t)mtime, 0);
    archive_entry_unset_size(e); /* streamed: the size follows the data */
    check(o->a, archive_write_header(o->a, e), "cannot write", path);
    archive_entry_free(e);
    return o;
}

void out_write(out_file *o, const void *data, size_t n)
{
    if (!n)
        return;
    o->bytes += n;
    if (o->f) {
        if (fwrite(data, 1, n, o->f) != n)
            die("cannot write %s", o->path);
        return;
    }
    if (archive_write_data(o->a, data, n) != (la_ssize_t)n)
        die("cannot write %s: %s", o->path, archive_error_string(o->a));
}

uint64_t out_bytes(const out_file *o) { return o->bytes; }

void out_close(out_file *o)
{
    if (o->f) {
        if (fclose(o->f) != 0)
            die("cannot write %s", o->path);
    } else {
        check(o->a, archive_write_close(o->a), "cannot finish", o->path);
        archive_write_free(o->a);
    }
    free(o->path);
    free(o);
}

void out_discard(out_file *o)
{
    char *path = xstrdup(o->path);
    out_close(o);
    if (remove(path) != 0)
        die("cannot remove %s", path);
    free(path);
}

/* ---------------------------------------------------------------- tar.gz */

/* The tar stream is written into a raw gzip writer through this callback,
 * which can stop passing bytes on at a given offset (the cut member). */
struct targz {
    char *path;
    struct archive *tar, *gz;
    uint64_t offset;     /* bytes of the tar stream so far */
    uint64_t cut_at;     /* stop passing bytes on here; UINT64_MAX: never */
};

static la_ssize_t tar_to_gzip(struct archive *a, void *ctx, const void *buf, size_t n)
{
    (void)a;
    targz *t = ctx;
    size_t pass = n;
    if (t->offset >= t->cut_at)
        pass = 0;
    else if (t->offset + n > t->cut_at)
        pass = (size_t)(t->cut_at - t->offset);
    t->offset += n;
    if (pass && archive_write_data(t->gz, buf, pass) != (la_ssize_t)pass)
        die("cannot write %s: %s", t->path, archive_error_string(t->gz));
    return (la_ssize_t)n;
}

targz *targz_open(const char *path)
{
    make_parent_dirs(path);
    targz *t = xcalloc(1, sizeof *t);
    t->path = xstrdup(path);
    t->cut_at = UINT64_MAX;
    t->gz = gzip_writer(path);
    check(t->gz, archive_write_open_filename(t->gz, path), "cannot create", path);
    raw_header(t->gz, path, "data.tar");
    t->tar = archive_write_new();
    if (!t->tar)
        die("out of memory");
    check(t->tar, archive_write_set_format_ustar(t->tar), "cannot write", path);
    check(t->tar, archive_write_set_bytes_per_block(t->tar, 512), "cannot write", path);
    check(t->tar, archive_write_open(t->tar, t, NULL, tar_to_gzip, NULL), "cannot create", path);
    return t;
}

void targz_member(targz *t, const char *name, int64_t mtime, const void *data, size_t n,
                  size_t keep)
{
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, name);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, (la_int64_t)n);
    archive_entry_set_mtime(e, (time_t)mtime, 0);
    archive_entry_set_uid(e, 0);
    archive_entry_set_gid(e, 0);
    check(t->tar, archive_write_header(t->tar, e), "cannot write", t->path);
    archive_entry_free(e);
    if (keep < n) /* the header went through the callback: the data starts here */
        t->cut_at = t->offset + keep;
    if (n && archive_write_data(t->tar, data, n) != (la_ssize_t)n)
        die("cannot write %s: %s", t->path, archive_error_string(t->tar));
    check(t->tar, archive_write_finish_entry(t->tar), "cannot write", t->path);
}

void targz_close(targz *t)
{
    check(t->tar, archive_write_close(t->tar), "cannot finish", t->path);
    archive_write_free(t->tar);
    check(t->gz, archive_write_close(t->gz), "cannot finish", t->path);
    archive_write_free(t->gz);
    free(t->path);
    free(t);
}
