/* Input expansion and container streaming.  Fixtures are built at test time
 * in a temporary folder with libarchive's write API. */
#include "input.h"
#include "util.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

typedef struct fixture {
    char dir[64];
    char *big;      /* payload of the truncated .gz */
    size_t big_len;
} fixture;

static const char CSV_A[] = "a,b\n1,2\n";
static const char CSV_B[] = "x;y\r\n3;4\r\n";

/* ------------------------------------------------------------ helpers */

static char *fx_path(const fixture *f, const char *rel) { return cm_path_join(f->dir, rel); }

static void write_file(const fixture *f, const char *rel, const void *data, size_t len)
{
    char *p = fx_path(f, rel);
    FILE *fp = fopen(p, "wb");
    assert_non_null(fp);
    if (len)
        assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
    free(p);
}

static void make_dir(const fixture *f, const char *rel)
{
    char *p = fx_path(f, rel);
    assert_int_equal(mkdir(p, 0755), 0);
    free(p);
}

typedef struct member {
    const char *name;
    const char *data; /* NULL: a folder entry */
} member;

enum { FMT_ZIP, FMT_TAR, FMT_RAW };

/* Writes an archive (or, with FMT_RAW, a compressed single file) with filter
 * (an archive_write_add_filter_* function, or NULL). */
static void write_archive(const fixture *f, const char *rel, int fmt,
                          int (*filter)(struct archive *), const member *m, size_t n)
{
    char *p = fx_path(f, rel);
    struct archive *a = archive_write_new();
    assert_non_null(a);
    if (fmt == FMT_ZIP)
        assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
    else if (fmt == FMT_TAR)
        assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
    else
        assert_int_equal(archive_write_set_format_raw(a), ARCHIVE_OK);
    if (filter)
        assert_true(filter(a) >= ARCHIVE_WARN);
    assert_int_equal(archive_write_open_filename(a, p), ARCHIVE_OK);
    for (size_t i = 0; i < n; i++) {
        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, m[i].name);
        archive_entry_set_mtime(e, 1700000000, 0);
        if (m[i].data) {
            size_t len = strlen(m[i].data);
            archive_entry_set_filetype(e, AE_IFREG);
            archive_entry_set_perm(e, 0644);
            archive_entry_set_size(e, (la_int64_t)len);
            assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
            if (len)
                assert_int_equal(archive_write_data(a, m[i].data, len), (la_ssize_t)len);
        } else {
            archive_entry_set_filetype(e, AE_IFDIR);
            archive_entry_set_perm(e, 0755);
            assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
        }
        archive_entry_free(e);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    free(p);
}

/* A compressed single file (x.csv.gz) holding len bytes of data. */
static void write_compressed(const fixture *f, const char *rel, int (*filter)(struct archive *),
                             const char *data, size_t len)
{
    char *p = fx_path(f, rel);
    struct archive *a = archive_write_new();
    assert_int_equal(archive_write_set_format_raw(a), ARCHIVE_OK);
    assert_true(filter(a) >= ARCHIVE_WARN);
    assert_int_equal(archive_write_open_filename(a, p), ARCHIVE_OK);
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, "data");
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, (la_int64_t)len);
    assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
    if (len)
        assert_int_equal(archive_write_data(a, data, len), (la_ssize_t)len);
    archive_entry_free(e);
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    free(p);
}

static int rm_cb(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static int setup(void **state)
{
    fixture *f = cm_xcalloc(1, sizeof *f);
    strcpy(f->dir, "/tmp/cm_test_input_XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    *state = f;

    write_file(f, "plain.csv", CSV_A, strlen(CSV_A));
    write_file(f, "empty.csv", "", 0);
    write_compressed(f, "plain.csv.gz", archive_write_add_filter_gzip, CSV_A, strlen(CSV_A));
    write_compressed(f, "plain.csv.bz2", archive_write_add_filter_bzip2, CSV_B, strlen(CSV_B));
    write_compressed(f, "plain.csv.xz", archive_write_add_filter_xz, CSV_A, strlen(CSV_A));
    write_compressed(f, "empty.csv.gz", archive_write_add_filter_gzip, "", 0);

    static const member members[] = {
        {"2025/", NULL},
        {"2025/01/", NULL},
        {"2025/01/Master.csv", CSV_A},
        {"2025/01/readme.txt", "not csv\n"},
        {"2025/02/Other.csv", CSV_B},
        {"2025/02/empty.csv", ""},
        {"2025/02/.hidden.csv", "h\n"},
        {"__MACOSX/2025/01/._Master.csv", "junk"},
        {"top.CSV", "upper\n"},
    };
    size_t nm = sizeof members / sizeof *members;
    write_archive(f, "data.zip", FMT_ZIP, NULL, members, nm);
    write_archive(f, "data.tar.gz", FMT_TAR, archive_write_add_filter_gzip, members, nm);
    write_archive(f, "data.tar", FMT_TAR, NULL, members, nm);

    /* a .gz of ~600 KB of text, and the same cut in half */
    f->big_len = 600000;
    f->big = cm_xmalloc(f->big_len + 1);
    uint32_t x = 12345;
    for (size_t i = 0; i < f->big_len; i++) {
        x = x * 1103515245u + 12345u;
        f->big[i] = (i % 61 == 60) ? '\n' : (char)('0' + (x >> 16) % 10);
    }
    f->big[f->big_len] = '\0';
    write_compressed(f, "big.csv.gz", archive_write_add_filter_gzip, f->big, f->big_len);
    {
        char *src = fx_path(f, "big.csv.gz");
        char *dst = fx_path(f, "trunc.csv.gz");
        struct stat st;
        assert_int_equal(stat(src, &st), 0);
        FILE *in = fopen(src, "rb");
        assert_non_null(in);
        size_t half = (size_t)st.st_size / 2;
        char *buf = cm_xmalloc(half);
        assert_int_equal(fread(buf, 1, half, in), half);
        fclose(in);
        FILE *out = fopen(dst, "wb");
        assert_non_null(out);
        assert_int_equal(fwrite(buf, 1, half, out), half);
        fclose(out);
        free(buf);
        free(src);
        free(dst);
    }
    /* zip with a member cut short: the same archive, its tail removed */
    {
        member zm[] = {{"big.csv", f->big}};
        write_archive(f, "trunc.zip", FMT_ZIP, NULL, zm, 1);
        char *p = fx_path(f, "trunc.zip");
        struct stat st;
        assert_int_equal(stat(p, &st), 0);
        assert_int_equal(truncate(p, st.st_size / 2), 0);
        free(p);
    }

    /* a folder tree */
    make_dir(f, "tree");
    make_dir(f, "tree/sub");
    make_dir(f, "tree/sub/deeper");
    make_dir(f, "tree/.hiddendir");
    make_dir(f, "tree/a.d");
    write_file(f, "tree/b.csv", "b\n", 2);
    write_file(f, "tree/a.csv", "a\n", 2);
    write_file(f, "tree/sub/c.csv", "c\n", 2);
    write_file(f, "tree/sub/deeper/d.csv", "d\n", 2);
    write_file(f, "tree/.hidden.csv", "h\n", 2);
    write_file(f, "tree/.hiddendir/x.csv", "x\n", 2);
    write_file(f, "tree/a.d/z.csv", "z\n", 2);
    make_dir(f, "tree/empty");
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    nftw(f->dir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
    free(f->big);
    free(f);
    return 0;
}

/* Reads the whole current source file in chunks of chunk bytes. Returns the
 * data (NUL-terminated, caller frees), *len its length, *rc the last result. */
static char *slurp(cm_container *c, size_t chunk, size_t *len, long *rc)
{
    size_t cap = 1024, n = 0;
    char *out = cm_xmalloc(cap);
    char *buf = cm_xmalloc(chunk);
    long r;
    while ((r = cm_container_read(c, buf, chunk)) > 0) {
        while (n + (size_t)r + 1 > cap)
            cap *= 2;
        out = cm_xrealloc(out, cap);
        memcpy(out + n, buf, (size_t)r);
        n += (size_t)r;
    }
    free(buf);
    out[n] = '\0';
    *len = n;
    *rc = r;
    return out;
}

/* The single source file of a plain or compressed file. */
static void check_single(const fixture *f, const char *rel, const char *want)
{
    char err[512];
    char *p = fx_path(f, rel);
    cm_container *c = cm_container_open(p, err, sizeof err);
    assert_non_null(c);
    const char *m = "sentinel";
    assert_int_equal(cm_container_next(c, "*.nomatch", &m), 1); /* glob ignored */
    assert_null(m);
    size_t len;
    long rc;
    char *got = slurp(c, 3, &len, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(got, want, len);
    free(got);
    assert_int_equal(cm_container_next(c, NULL, &m), 0);
    assert_int_equal(cm_container_next(c, NULL, &m), 0);
    cm_container_close(c);
    free(p);
}

/* ------------------------------------------------------------ tests */

static void test_plain_and_compressed(void **state)
{
    fixture *f = *state;
    check_single(f, "plain.csv", CSV_A);
    check_single(f, "plain.csv.gz", CSV_A);
    check_single(f, "plain.csv.bz2", CSV_B);
    check_single(f, "plain.csv.xz", CSV_A);
}

static void test_empty_files(void **state)
{
    fixture *f = *state;
    check_single(f, "empty.csv", "");
    check_single(f, "empty.csv.gz", "");

    char err[256];
    char *p = fx_path(f, "empty.csv");
    cm_container *c = cm_container_open(p, err, sizeof err);
    assert_non_null(c);
    assert_int_equal(cm_container_file_size(c), 0);
    cm_container_close(c);
    free(p);
}

static void test_file_size(void **state)
{
    fixture *f = *state;
    char err[256];
    char *p = fx_path(f, "plain.csv");
    cm_container *c = cm_container_open(p, err, sizeof err);
    assert_non_null(c);
    assert_int_equal(cm_container_file_size(c), (int64_t)strlen(CSV_A));
    /* reading before next gives nothing */
    char b[8];
    assert_int_equal(cm_container_read(c, b, sizeof b), 0);
    cm_container_close(c);
    free(p);
}

/* Every member name (and its bytes) of an archive, joined as "name=data|". */
static char *list_archive(const fixture *f, const char *rel, const char *glob)
{
    char err[512];
    char *p = fx_path(f, rel);
    cm_container *c = cm_container_open(p, err, sizeof err);
    assert_non_null(c);
    char *acc = cm_xstrdup("");
    const char *m;
    int r;
    while ((r = cm_container_next(c, glob, &m)) == 1) {
        assert_non_null(m);
        size_t len;
        long rc;
        char *data = slurp(c, 4096, &len, &rc);
        assert_int_equal(rc, 0);
        char *n = cm_asprintf("%s%s=%s|", acc, m, data);
        free(acc);
        free(data);
        acc = n;
    }
    assert_int_equal(r, 0);
    cm_container_close(c);
    free(p);
    return acc;
}

static void check_archive(const fixture *f, const char *rel)
{
    char *all = list_archive(f, rel, NULL);
    assert_string_equal(all, "2025/01/Master.csv=a,b\n1,2\n|"
                             "2025/01/readme.txt=not csv\n|"
                             "2025/02/Other.csv=x;y\r\n3;4\r\n|"
                             "2025/02/empty.csv=|"
                             "top.CSV=upper\n|");
    free(all);

    char *csv = list_archive(f, rel, "*.csv");
    assert_string_equal(csv, "2025/01/Master.csv=a,b\n1,2\n|"
                             "2025/02/Other.csv=x;y\r\n3;4\r\n|"
                             "2025/02/empty.csv=|");
    free(csv);

    char *one = list_archive(f, rel, "2025/0[2-9]/O*");
    assert_string_equal(one, "2025/02/Other.csv=x;y\r\n3;4\r\n|");
    free(one);

    char *none = list_archive(f, rel, "*.xlsx");
    assert_string_equal(none, "");
    free(none);
}

static void test_zip(void **state) { check_archive(*state, "data.zip"); }
static void test_tar_gz(void **state) { check_archive(*state, "data.tar.gz"); }
static void test_tar(void **state) { check_archive(*state, "data.tar"); }

/* Skipping a member's data without reading it, then reading the next one. */
static void test_archive_partial_reads(void **state)
{
    fixture *f = *state;
    char err[512];
    char *p = fx_path(f, "data.tar.gz");
    cm_container *c = cm_container_open(p, err, sizeof err);
    assert_non_null(c);
    const char *m;
    assert_int_equal(cm_container_next(c, "*.csv", &m), 1);
    assert_string_equal(m, "2025/01/Master.csv");
    char b[2];
    assert_int_equal(cm_container_read(c, b, 2), 2);
    assert_memory_equal(b, "a,", 2);
    assert_int_equal(cm_container_next(c, "*.csv", &m), 1);
    assert_string_equal(m, "2025/02/Other.csv");
    size_t len;
    long rc;
    char *d = slurp(c, 1, &len, &rc);
    assert_string_equal(d, CSV_B);
    free(d);
    cm_container_close(c);
    free(p);
}

static void test_big_gz(void **state)
{
    fixture *f = *state;
    char err[512];
    char *p = fx_path(f, "big.csv.gz");
    cm_container *c = cm_container_open(p, err, sizeof err);
    assert_non_null(c);
    const char *m;
    assert_int_equal(cm_container_next(c, NULL, &m), 1);
    size_t len;
    long rc;
    char *d = slurp(c, 65536, &len, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(len, f->big_len);
    assert_memory_equal(d, f->big, len);
    free(d);
    cm_container_close(c);
    free(p);
}

static void test_truncated_gz(void **state)
{
    fixture *f = *state;
    char err[512];
    char *p = fx_path(f, "trunc.csv.gz");
    cm_container *c = cm_container_open(p, err, sizeof err);
    assert_non_null(c);
    const char *m;
    assert_int_equal(cm_container_next(c, NULL, &m), 1);
    size_t len;
    long rc;
    char *d = slurp(c, 65536, &len, &rc);
    assert_int_equal(rc, -1);
    assert_true(len < f->big_len);
    assert_memory_equal(d, f->big, len); /* what came out is right */
    const char *e = cm_container_error(c);
    char *want = cm_asprintf("%s: ", p);
    assert_true(strncmp(e, want, strlen(want)) == 0);
    assert_true(strlen(e) > strlen(want)); /* libarchive's reason follows */
    free(want);
    free(d);
    cm_container_close(c);
    free(p);
}

static void test_truncated_zip_member(void **state)
{
    fixture *f = *state;
    char err[512];
    char *p = fx_path(f, "trunc.zip");
    cm_container *c = cm_container_open(p, err, sizeof err);
    assert_non_null(c);
    const char *m;
    int r = cm_container_next(c, NULL, &m);
    assert_int_equal(r, 1);
    assert_string_equal(m, "big.csv");
    size_t len;
    long rc;
    char *d = slurp(c, 65536, &len, &rc);
    assert_int_equal(rc, -1);
    char *want = cm_asprintf("%s!big.csv: ", p);
    assert_true(strncmp(cm_container_error(c), want, strlen(want)) == 0);
    free(want);
    free(d);
    cm_container_close(c);
    free(p);
}

static void test_open_missing(void **state)
{
    fixture *f = *state;
    char err[512];
    char *p = fx_path(f, "nope.csv");
    assert_null(cm_container_open(p, err, sizeof err));
    char *want = cm_asprintf("%s: No such file or directory", p);
    assert_string_equal(err, want);
    free(want);
    free(p);

    p = fx_path(f, "tree");
    assert_null(cm_container_open(p, err, sizeof err));
    want = cm_asprintf("%s: Is a directory", p);
    assert_string_equal(err, want);
    free(want);
    free(p);
}

/* The expansion of pattern as "rel1|rel2|..." relative to the fixture. */
static char *expand_rel(const fixture *f, const char *pattern_rel, int *n)
{
    char err[512];
    char *pat = fx_path(f, pattern_rel);
    char **paths;
    *n = cm_input_expand(pat, &paths, err, sizeof err);
    assert_true(*n >= 0);
    assert_non_null(paths);
    char *acc = cm_xstrdup("");
    size_t dl = strlen(f->dir) + 1;
    int k = 0;
    for (char **q = paths; *q; q++, k++) {
        assert_true(strncmp(*q, f->dir, dl - 1) == 0);
        char *nacc = cm_asprintf("%s%s|", acc, *q + dl);
        free(acc);
        acc = nacc;
    }
    assert_int_equal(k, *n);
    cm_input_free_list(paths);
    free(pat);
    return acc;
}

static void test_expand_file(void **state)
{
    int n;
    char *s = expand_rel(*state, "plain.csv", &n);
    assert_int_equal(n, 1);
    assert_string_equal(s, "plain.csv|");
    free(s);
}

static void test_expand_folder(void **state)
{
    int n;
    char *s = expand_rel(*state, "tree", &n);
    assert_int_equal(n, 5);
    assert_string_equal(s, "tree/a.csv|tree/a.d/z.csv|tree/b.csv|tree/sub/c.csv|"
                           "tree/sub/deeper/d.csv|");
    free(s);
    s = expand_rel(*state, "tree/", &n);
    assert_int_equal(n, 5);
    assert_string_equal(s, "tree/a.csv|tree/a.d/z.csv|tree/b.csv|tree/sub/c.csv|"
                           "tree/sub/deeper/d.csv|");
    free(s);
    s = expand_rel(*state, "tree/empty", &n);
    assert_int_equal(n, 0);
    assert_string_equal(s, "");
    free(s);
}

static void test_expand_glob(void **state)
{
    int n;
    char *s = expand_rel(*state, "plain.csv*", &n);
    assert_int_equal(n, 4);
    assert_string_equal(s, "plain.csv|plain.csv.bz2|plain.csv.gz|plain.csv.xz|");
    free(s);

    s = expand_rel(*state, "tree/*.csv", &n); /* no hidden files */
    assert_int_equal(n, 2);
    assert_string_equal(s, "tree/a.csv|tree/b.csv|");
    free(s);

    /* hits that are folders are walked; overlaps are removed */
    s = expand_rel(*state, "tree/[as]*", &n);
    assert_int_equal(n, 4);
    assert_string_equal(s, "tree/a.csv|tree/a.d/z.csv|tree/sub/c.csv|tree/sub/deeper/d.csv|");
    free(s);
    s = expand_rel(*state, "tree/s*/*", &n);
    assert_int_equal(n, 2);
    assert_string_equal(s, "tree/sub/c.csv|tree/sub/deeper/d.csv|");
    free(s);
    s = expand_rel(*state, "tree/*/*.csv", &n);
    assert_int_equal(n, 2);
    assert_string_equal(s, "tree/a.d/z.csv|tree/sub/c.csv|");
    free(s);

    s = expand_rel(*state, "nothing*.csv", &n);
    assert_int_equal(n, 0);
    assert_string_equal(s, "");
    free(s);
    s = expand_rel(*state, "missing/file.csv", &n);
    assert_int_equal(n, 0);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_compressed),
        cmocka_unit_test(test_empty_files),
        cmocka_unit_test(test_file_size),
        cmocka_unit_test(test_zip),
        cmocka_unit_test(test_tar_gz),
        cmocka_unit_test(test_tar),
        cmocka_unit_test(test_archive_partial_reads),
        cmocka_unit_test(test_big_gz),
        cmocka_unit_test(test_truncated_gz),
        cmocka_unit_test(test_truncated_zip_member),
        cmocka_unit_test(test_open_missing),
        cmocka_unit_test(test_expand_file),
        cmocka_unit_test(test_expand_folder),
        cmocka_unit_test(test_expand_glob),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
