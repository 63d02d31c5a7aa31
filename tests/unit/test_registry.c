/* Unit tests of core/registry.c: descriptor checks on in-memory plugins and
 * loading the real shared objects of the build tree (pbx and the four broken
 * test plugins of tests/plugins). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

#include <cmocka.h>

#include "registry.h"
#include "util.h"

/* ------------------------------------------------------------ fixtures */

typedef struct cfg {
    const char *s;
    int64_t i;
    double d;
    int b;
} cfg;

static int k_init(const cm_api *api, cm_instance *inst, const void *config, void **state)
{
    (void)api, (void)inst, (void)config;
    *state = NULL;
    return CM_OK;
}
static int k_read(void *state, cm_stream *s) { (void)state, (void)s; return CM_OK; }
static int k_transform(void *state, cm_stream *s, cm_record *rec)
{
    (void)state, (void)s, (void)rec;
    return CM_OK;
}

static const cm_option_def good_opts[] = {
    {"s", CM_OPT_STRING, "x", 0, offsetof(cfg, s), "a string"},
    {"i", CM_OPT_INT, "42", 0, offsetof(cfg, i), "an int"},
    {"d", CM_OPT_DOUBLE, "0.5", 0, offsetof(cfg, d), "a double"},
    {"b", CM_OPT_BOOL, "yes", 1, offsetof(cfg, b), "a bool"},
    {0},
};

#define KINDS_MAX 4

/* A descriptor with its own copy of the kinds, so each test can break one
 * thing. */
typedef struct fixture {
    cm_plugin p;
    cm_kind kinds[KINDS_MAX];
    cm_option_def opts[8];
} fixture;

static void fixture_init(fixture *f)
{
    memset(f, 0, sizeof *f);
    memcpy(f->opts, good_opts, sizeof good_opts);
    f->kinds[0] = (cm_kind){.name = "src", .type = CM_KIND_SOURCE, .dataset = CM_DS_CALLS,
                            .description = "a source", .options = f->opts,
                            .config_size = sizeof(cfg), .init = k_init, .read = k_read};
    f->kinds[1] = (cm_kind){.name = "tr", .type = CM_KIND_TRANSFORM, .dataset = CM_DS_CALLS,
                            .description = "a transform", .init = k_init,
                            .transform = k_transform};
    f->p = (cm_plugin){.abi_major = CALLMAP_ABI_MAJOR, .abi_minor = CALLMAP_ABI_MINOR,
                       .struct_size = sizeof(cm_plugin), .name = "good-plugin_1",
                       .version = "1.0", .description = "a good plugin", .license = "MIT",
                       .kinds = f->kinds};
}

/* cm_plugin_check must return exactly `want` (NULL: accepted). */
static void check_says(const fixture *f, const char *want)
{
    char *got = cm_plugin_check(&f->p);
    if (!want) {
        if (got)
            print_error("unexpected refusal: %s\n", got);
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

/* ------------------------------------------------------------ cm_plugin_check */

static void test_check_ok(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    check_says(&f, NULL);

    /* a kind without options (NULL table) is fine */
    f.kinds[0].options = NULL;
    f.kinds[0].config_size = 0;
    check_says(&f, NULL);

    /* an older minor is fine (there is none below 0, so use the current one),
     * and a descriptor exactly as large as ABI 1.0's (without reserved) too */
    fixture_init(&f);
    f.p.struct_size = offsetof(cm_plugin, reserved);
    check_says(&f, NULL);
    f.p.struct_size = sizeof(cm_plugin) + 64; /* a newer, larger host struct */
    check_says(&f, NULL);
}

static void test_check_abi(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    f.p.abi_major = CALLMAP_ABI_MAJOR + 1;
    check_says(&f, "built for plugin ABI 2.0, this callmap supports ABI 1.x (x <= 0)");

    fixture_init(&f);
    f.p.abi_major = 0;
    f.p.abi_minor = 7;
    check_says(&f, "built for plugin ABI 0.7, this callmap supports ABI 1.x (x <= 0)");

    fixture_init(&f);
    f.p.abi_minor = CALLMAP_ABI_MINOR + 1;
    check_says(&f, "built for plugin ABI 1.1, newer than this callmap's 1.0: upgrade callmap");

    /* the major is checked before anything else */
    fixture_init(&f);
    f.p.abi_major = CALLMAP_ABI_MAJOR + 1;
    f.p.name = NULL;
    f.p.struct_size = 0;
    check_says(&f, "built for plugin ABI 2.0, this callmap supports ABI 1.x (x <= 0)");
}

static void test_check_struct_size(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    f.p.struct_size = offsetof(cm_plugin, reserved) - 1;
    char want[128];
    snprintf(want, sizeof want, "descriptor is %zu bytes, smaller than ABI 1.0's",
             offsetof(cm_plugin, reserved) - 1);
    check_says(&f, want);

    f.p.struct_size = 16;
    check_says(&f, "descriptor is 16 bytes, smaller than ABI 1.0's");
    f.p.struct_size = 0;
    check_says(&f, "descriptor is 0 bytes, smaller than ABI 1.0's");
}

static void test_check_metadata(void **state)
{
    (void)state;
    fixture f;
    static const char *const fields[] = {"name", "version", "description", "license"};
    for (int empty = 0; empty < 2; empty++) {
        for (size_t i = 0; i < 4; i++) {
            fixture_init(&f);
            const char **slot[] = {&f.p.name, &f.p.version, &f.p.description, &f.p.license};
            *slot[i] = empty ? "" : NULL;
            char want[64];
            snprintf(want, sizeof want, "missing metadata: %s", fields[i]);
            check_says(&f, want);
        }
    }
    /* several missing: the first in declaration order is named */
    fixture_init(&f);
    f.p.version = NULL;
    f.p.license = NULL;
    check_says(&f, "missing metadata: version");
}

static void test_check_name_chars(void **state)
{
    (void)state;
    static const char *const bad[] = {"Pbx", "my plugin", "pbx.so", "a/b", "æøå", "x:y", "-x!"};
    fixture f;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        fixture_init(&f);
        f.p.name = bad[i];
        char want[128];
        snprintf(want, sizeof want, "name '%s' may only hold a-z, 0-9, '-' and '_'", bad[i]);
        check_says(&f, want);
    }
    static const char *const good[] = {"a", "pbx", "my-plugin_2", "0", "-", "_"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        fixture_init(&f);
        f.p.name = good[i];
        check_says(&f, NULL);
    }
}

static void test_check_no_kinds(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    f.p.kinds = NULL;
    check_says(&f, "declares no kinds");
    fixture_init(&f);
    f.kinds[0] = (cm_kind){0};
    check_says(&f, "declares no kinds");
}

static void test_check_kind_fields(void **state)
{
    (void)state;
    fixture f;

    fixture_init(&f);
    f.kinds[0].description = NULL;
    check_says(&f, "kind 'src' has no description");
    fixture_init(&f);
    f.kinds[1].description = "";
    check_says(&f, "kind 'tr' has no description");

    fixture_init(&f);
    f.kinds[0].init = NULL;
    check_says(&f, "kind 'src' has no init callback");
    fixture_init(&f);
    f.kinds[1].init = NULL;
    check_says(&f, "kind 'tr' has no init callback");

    fixture_init(&f);
    f.kinds[0].read = NULL;
    f.kinds[0].transform = k_transform; /* a transform callback does not help a source */
    check_says(&f, "source kind 'src' has no read callback");

    fixture_init(&f);
    f.kinds[1].transform = NULL;
    f.kinds[1].read = k_read;
    check_says(&f, "transform kind 'tr' has neither a transform nor a finish callback");

    fixture_init(&f);
    f.kinds[1].type = (cm_kind_type)7;
    check_says(&f, "kind 'tr' has an unknown type 7");
    fixture_init(&f);
    f.kinds[0].type = (cm_kind_type)0;
    check_says(&f, "kind 'src' has an unknown type 0");

    fixture_init(&f);
    f.kinds[0].dataset = (cm_dataset)99;
    check_says(&f, "kind 'src' names an unknown dataset 99");
    fixture_init(&f);
    f.kinds[0].dataset = (cm_dataset)0;
    check_says(&f, "kind 'src' names an unknown dataset 0");
}

static void test_check_duplicate_kind(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    f.kinds[1].name = "src";
    check_says(&f, "kind 'src' is declared twice");

    /* the same name with a different type is still a duplicate */
    fixture_init(&f);
    f.kinds[2] = f.kinds[1];
    check_says(&f, "kind 'tr' is declared twice");
}

static void test_check_options(void **state)
{
    (void)state;
    fixture f;

    /* an option outside config_size */
    fixture_init(&f);
    f.kinds[0].config_size = offsetof(cfg, b); /* 'b' (an int) no longer fits */
    char want[160];
    snprintf(want, sizeof want,
             "kind 'src': option 'b' lies outside the config struct (%zu bytes)", offsetof(cfg, b));
    check_says(&f, want);

    fixture_init(&f);
    f.opts[1].offset = sizeof(cfg) - 4; /* an int64 straddling the end */
    snprintf(want, sizeof want,
             "kind 'src': option 'i' lies outside the config struct (%zu bytes)", sizeof(cfg));
    check_says(&f, want);

    fixture_init(&f);
    f.kinds[0].config_size = 0;
    check_says(&f, "kind 'src': option 's' lies outside the config struct (0 bytes)");

    /* an unknown type */
    fixture_init(&f);
    f.opts[2].type = (cm_opt_type)9;
    check_says(&f, "kind 'src': option 'd' has an unknown type 9");
    fixture_init(&f);
    f.opts[0].type = (cm_opt_type)0;
    check_says(&f, "kind 'src': option 's' has an unknown type 0");

    /* defaults that do not convert */
    fixture_init(&f);
    f.opts[1].default_value = "abc";
    check_says(&f, "kind 'src': option 'i' has a default 'abc' that is wrong: expected an integer");
    fixture_init(&f);
    f.opts[1].default_value = "";
    check_says(&f, "kind 'src': option 'i' has a default '' that is wrong: expected an integer");
    fixture_init(&f);
    f.opts[2].default_value = "1,5";
    check_says(&f, "kind 'src': option 'd' has a default '1,5' that is wrong: expected a number");
    fixture_init(&f);
    f.opts[3].default_value = "maybe";
    check_says(&f,
                 "kind 'src': option 'b' has a default 'maybe' that is wrong: expected true or false");
    /* any string is a fine string default */
    fixture_init(&f);
    f.opts[0].default_value = "";
    check_says(&f, NULL);

    /* a duplicate option name */
    fixture_init(&f);
    f.opts[3].name = "s";
    f.opts[3].type = CM_OPT_STRING;
    f.opts[3].offset = offsetof(cfg, s);
    f.opts[3].default_value = NULL;
    check_says(&f, "kind 'src': option 's' is declared twice");

    /* a missing description */
    fixture_init(&f);
    f.opts[2].description = NULL;
    check_says(&f, "kind 'src': option 'd' has no description");
    fixture_init(&f);
    f.opts[0].description = "";
    check_says(&f, "kind 'src': option 's' has no description");

    /* the second kind's table is checked too */
    fixture_init(&f);
    f.kinds[1].options = f.opts;
    f.kinds[1].config_size = 4;
    check_says(&f, "kind 'tr': option 's' lies outside the config struct (4 bytes)");
}

/* ------------------------------------------------------------ loading */

/* Everything a loading test allocates lives here and is released by
 * teardown, so a failing assertion does not also show up as a leak. */
typedef struct load_ctx {
    char *build; /* $CALLMAP_BUILD */
    char *tp;    /* <build>/tests/plugins */
    char *pp;    /* <build>/lib/callmap/plugins */
    char *pbx;   /* <pp>/pbx.so */
    size_t nbuiltin; /* plugins built into <pp>: pbx and the others */
    char tmp[64]; /* a mkdtemp folder, "" if none */
    cm_registry *r;
    char *s[8]; /* scratch strings */
} load_ctx;

static int load_setup(void **state)
{
    unsetenv("CALLMAP_PLUGIN_PATH");
    const char *b = getenv("CALLMAP_BUILD");
    if (!b) {
        fprintf(stderr, "CALLMAP_BUILD is not set (run through ctest)\n");
        return -1;
    }
    load_ctx *c = cm_xcalloc(1, sizeof *c);
    c->build = cm_xstrdup(b);
    c->tp = cm_asprintf("%s/tests/plugins", b);
    c->pp = cm_asprintf("%s/lib/callmap/plugins", b);
    c->pbx = cm_asprintf("%s/pbx.so", c->pp);
    DIR *d = opendir(c->pp);
    for (struct dirent *e; d && (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        c->nbuiltin += n > 3 && strcmp(e->d_name + n - 3, ".so") == 0;
    }
    if (d)
        closedir(d);
    *state = c;
    return 0;
}

static int rm_tree_files(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *p = cm_path_join(dir, e->d_name);
        unlink(p);
        free(p);
    }
    closedir(d);
    return rmdir(dir);
}

static int load_teardown(void **state)
{
    load_ctx *c = *state;
    cm_registry_close(c->r);
    if (c->tmp[0])
        rm_tree_files(c->tmp);
    for (size_t i = 0; i < sizeof c->s / sizeof *c->s; i++)
        free(c->s[i]);
    free(c->pbx);
    free(c->pp);
    free(c->tp);
    free(c->build);
    free(c);
    unsetenv("CALLMAP_PLUGIN_PATH");
    return 0;
}

/* Open a registry on `path`, closing the previous one. */
static cm_registry *reopen(load_ctx *c, const char *path)
{
    cm_registry_close(c->r);
    c->r = cm_registry_open(path);
    assert_non_null(c->r);
    return c->r;
}

static const char *keep(load_ctx *c, size_t slot, char *s)
{
    free(c->s[slot]);
    c->s[slot] = s;
    return s;
}

static void make_tmp(load_ctx *c)
{
    snprintf(c->tmp, sizeof c->tmp, "/tmp/cm_registry_XXXXXX");
    assert_non_null(mkdtemp(c->tmp));
}

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    if (!in)
        return -1;
    FILE *out = fopen(to, "wb");
    if (!out) {
        fclose(in);
        return -1;
    }
    char buf[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            rc = -1;
    fclose(in);
    if (fclose(out) != 0)
        rc = -1;
    return rc;
}

/* The four broken test plugins, in the order they are loaded (by file name). */
static const char *const BROKEN_FILES[] = {"badabi.so", "newerminor.so", "nolicense.so",
                                           "nosymbol.so"};
static const char *const BROKEN_REASONS[] = {
    "built for plugin ABI 2.0, this callmap supports ABI 1.x (x <= 0)",
    "built for plugin ABI 1.1, newer than this callmap's 1.0: upgrade callmap",
    "missing metadata: license",
    "does not export the symbol 'callmap_plugin'",
};

static void test_open_build_tree(void **state)
{
    load_ctx *c = *state;
    const char *path = keep(c, 0, cm_asprintf("%s:%s", c->tp, c->pp));
    cm_registry *r = reopen(c, path);

    /* the search path: both folders, then the one next to the executable
     * (build/tests/../lib/callmap/plugins), which is the second again */
    assert_int_equal(r->ndirs, 3);
    assert_string_equal(r->dirs[0], c->tp);
    assert_string_equal(r->dirs[1], c->pp);
    assert_string_equal(r->dirs[2], c->pp);

    /* pbx loaded exactly once */
    assert_int_equal(r->nplugins, c->nbuiltin);
    const cm_loaded_plugin *pbx = cm_registry_find(r, "pbx");
    assert_non_null(pbx);
    assert_string_equal(pbx->path, c->pbx);
    assert_non_null(pbx->handle);
    assert_string_equal(pbx->desc->name, "pbx");
    assert_string_equal(pbx->desc->version, "1.0.0");
    assert_int_equal(pbx->desc->abi_major, CALLMAP_ABI_MAJOR);
    char *why = cm_plugin_check(pbx->desc);
    assert_null(why);
    assert_non_null(cm_plugin_find_kind(pbx->desc, "asterisk-cdr"));
    assert_null(cm_plugin_find_kind(pbx->desc, "nope"));
    assert_null(cm_registry_find(r, "nope"));

    /* exactly the four broken ones, in file name order, with their reasons */
    if (r->nrefused != 4)
        for (size_t i = 0; i < r->nrefused; i++)
            print_message("refused: %s: %s\n", r->refused[i].path, r->refused[i].reason);
    assert_int_equal(r->nrefused, 4);
    for (size_t i = 0; i < 4; i++) {
        const char *f = keep(c, 1, cm_asprintf("%s/%s", c->tp, BROKEN_FILES[i]));
        assert_string_equal(r->refused[i].path, f);
        assert_string_equal(r->refused[i].reason, BROKEN_REASONS[i]);
    }
    /* the descriptor's name is kept only when the ABI major matched */
    assert_null(r->refused[0].name);
    assert_string_equal(r->refused[1].name, "newerminor");
    assert_string_equal(r->refused[2].name, "nolicense");
    assert_null(r->refused[3].name); /* no descriptor at all */

    /* none of the refused ones can be found as loaded */
    assert_null(cm_registry_find(r, "badabi"));
    assert_null(cm_registry_find(r, "newerminor"));
    assert_null(cm_registry_find(r, "nolicense"));
    assert_null(cm_registry_find(r, "nosymbol"));

    /* refused ones by descriptor name ... */
    assert_ptr_equal(cm_registry_find_refused(r, "newerminor"), &r->refused[1]);
    assert_ptr_equal(cm_registry_find_refused(r, "nolicense"), &r->refused[2]);
    /* ... or, without a trusted descriptor name, by file name */
    assert_ptr_equal(cm_registry_find_refused(r, "badabi"), &r->refused[0]);
    assert_ptr_equal(cm_registry_find_refused(r, "nosymbol"), &r->refused[3]);
    assert_null(cm_registry_find_refused(r, "nosymbol.so"));
    assert_null(cm_registry_find_refused(r, "nosym"));
    assert_null(cm_registry_find_refused(r, "badabi.so"));
    assert_null(cm_registry_find_refused(r, ""));
    assert_null(cm_registry_find_refused(r, "pbx"));
    assert_null(cm_registry_find_refused(r, "nope"));
}

/* A refused plugin whose descriptor name is trusted is not found by its file
 * name, and one whose name is not trusted is only found by its file name. */
static void test_find_refused_by_file_name(void **state)
{
    load_ctx *c = *state;
    make_tmp(c);
    const char *src = keep(c, 0, cm_asprintf("%s/badabi.so", c->tp));
    const char *other = keep(c, 1, cm_asprintf("%s/other_abi.so", c->tmp));
    assert_int_equal(copy_file(src, other), 0);
    src = keep(c, 0, cm_asprintf("%s/nolicense.so", c->tp));
    const char *lic = keep(c, 2, cm_asprintf("%s/license_file.so", c->tmp));
    assert_int_equal(copy_file(src, lic), 0);

    cm_registry *r = reopen(c, c->tmp);
    assert_int_equal(r->nrefused, 2);
    assert_string_equal(r->refused[0].path, lic);
    assert_string_equal(r->refused[0].name, "nolicense");
    assert_string_equal(r->refused[1].path, other);
    assert_null(r->refused[1].name);
    assert_string_equal(r->refused[1].reason, BROKEN_REASONS[0]);

    assert_ptr_equal(cm_registry_find_refused(r, "other_abi"), &r->refused[1]);
    assert_null(cm_registry_find_refused(r, "badabi"));
    assert_ptr_equal(cm_registry_find_refused(r, "nolicense"), &r->refused[0]);
    assert_null(cm_registry_find_refused(r, "license_file"));
}

static void test_open_same_folder_twice(void **state)
{
    load_ctx *c = *state;
    const char *path = keep(c, 0, cm_asprintf("%s:%s::%s:", c->pp, c->pp, c->pp));
    cm_registry *r = reopen(c, path);
    /* empty entries are skipped; the own folder is appended once more */
    assert_int_equal(r->ndirs, 4);
    assert_int_equal(r->nplugins, c->nbuiltin);
    assert_int_equal(r->nrefused, 0);
    assert_non_null(cm_registry_find(r, "pbx"));

    /* the test plugins folder twice: each broken one refused once */
    path = keep(c, 0, cm_asprintf("%s:%s", c->tp, c->tp));
    r = reopen(c, path);
    assert_int_equal(r->nplugins, c->nbuiltin);
    assert_int_equal(r->nrefused, 4);
}

/* The same folder spelled with a trailing slash (or "//", or "/./") is the
 * same folder: pbx must load once, not be refused as a duplicate of itself. */
static void test_open_same_folder_other_spelling(void **state)
{
    load_ctx *c = *state;
    const char *path =
        keep(c, 0, cm_asprintf("%s/lib/callmap/plugins/:%s/lib//callmap/./plugins", c->build,
                               c->build));
    cm_registry *r = reopen(c, path);
    for (size_t i = 0; i < r->nrefused; i++)
        print_message("refused: %s: %s\n", r->refused[i].path, r->refused[i].reason);
    assert_int_equal(r->nplugins, c->nbuiltin);
    assert_int_equal(r->nrefused, 0);
}

static void test_open_missing_folder(void **state)
{
    load_ctx *c = *state;
    /* a folder that does not exist is skipped silently */
    cm_registry *r = reopen(c, "/nonexistent/callmap/plugins");
    assert_int_equal(r->ndirs, 2);
    assert_string_equal(r->dirs[0], "/nonexistent/callmap/plugins");
    assert_string_equal(r->dirs[1], c->pp);
    assert_int_equal(r->nplugins, c->nbuiltin); /* the own folder still has pbx */
    assert_int_equal(r->nrefused, 0);

    /* no path at all: only the own folder */
    r = reopen(c, NULL);
    assert_int_equal(r->ndirs, 1);
    assert_int_equal(r->nplugins, c->nbuiltin);
    r = reopen(c, "");
    assert_int_equal(r->ndirs, 1);
    cm_registry_close(NULL);
}

static void test_open_env_path(void **state)
{
    load_ctx *c = *state;
    setenv("CALLMAP_PLUGIN_PATH", c->tp, 1);
    cm_registry *r = reopen(c, "/nonexistent");
    /* given path, then $CALLMAP_PLUGIN_PATH, then the own folder */
    assert_int_equal(r->ndirs, 3);
    assert_string_equal(r->dirs[0], "/nonexistent");
    assert_string_equal(r->dirs[1], c->tp);
    assert_string_equal(r->dirs[2], c->pp);
    assert_int_equal(r->nplugins, c->nbuiltin);
    assert_int_equal(r->nrefused, 4);
}

static void test_open_duplicate_name(void **state)
{
    load_ctx *c = *state;
    make_tmp(c);
    const char *copy = keep(c, 0, cm_asprintf("%s/another.so", c->tmp));
    assert_int_equal(copy_file(c->pbx, copy), 0);
    /* files that are not *.so, or hidden, are not looked at */
    assert_int_equal(copy_file(c->pbx, keep(c, 1, cm_asprintf("%s/.hidden.so", c->tmp))), 0);
    assert_int_equal(copy_file(c->pbx, keep(c, 2, cm_asprintf("%s/readme.txt", c->tmp))), 0);
    assert_int_equal(copy_file(c->pbx, keep(c, 3, cm_asprintf("%s/.so", c->tmp))), 0);

    cm_registry *r = reopen(c, keep(c, 4, cm_asprintf("%s:%s", c->pp, c->tmp)));
    assert_int_equal(r->nplugins, c->nbuiltin);
    assert_string_equal(cm_registry_find(r, "pbx")->path, c->pbx);
    assert_int_equal(r->nrefused, 1);
    assert_string_equal(r->refused[0].path, copy);
    assert_string_equal(r->refused[0].name, "pbx");
    assert_string_equal(r->refused[0].reason,
                        keep(c, 5, cm_asprintf("the name 'pbx' is already taken by %s", c->pbx)));

    /* the other order: the copy wins, the real one is refused */
    r = reopen(c, keep(c, 4, cm_asprintf("%s:%s", c->tmp, c->pp)));
    assert_int_equal(r->nplugins, c->nbuiltin);
    assert_string_equal(r->plugins[0].path, copy);
    assert_int_equal(r->nrefused, 1);
    assert_string_equal(r->refused[0].path, c->pbx);
    assert_string_equal(r->refused[0].reason,
                        keep(c, 5, cm_asprintf("the name 'pbx' is already taken by %s", copy)));
}

static void test_open_not_a_library(void **state)
{
    load_ctx *c = *state;
    make_tmp(c);
    const char *junk = keep(c, 0, cm_asprintf("%s/junk.so", c->tmp));
    FILE *f = fopen(junk, "w");
    assert_non_null(f);
    fputs("not an ELF file\n", f);
    fclose(f);
    cm_registry *r = reopen(c, c->tmp);
    assert_int_equal(r->nplugins, c->nbuiltin);
    assert_int_equal(r->nrefused, 1);
    assert_string_equal(r->refused[0].path, junk);
    assert_null(r->refused[0].name);
    const char *prefix = "cannot be loaded: ";
    assert_int_equal(strncmp(r->refused[0].reason, prefix, strlen(prefix)), 0);
    assert_non_null(strstr(r->refused[0].reason, junk)); /* dlerror names the file */
    assert_ptr_equal(cm_registry_find_refused(r, "junk"), &r->refused[0]);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(cm_kind_type_name(CM_KIND_SOURCE), "source");
    assert_string_equal(cm_kind_type_name(CM_KIND_TRANSFORM), "transform");
    assert_string_equal(cm_kind_type_name((cm_kind_type)5), "?");
    assert_string_equal(cm_dataset_name(CM_DS_CALLS), "calls");
    assert_string_equal(cm_dataset_name(CM_DS_COSTS), "costs");
    assert_string_equal(cm_dataset_name(CM_DS_INVOICES), "invoices");
    assert_string_equal(cm_dataset_name(CM_DS_ORG_UNITS), "org_units");
    assert_string_equal(cm_dataset_name(CM_DS_EMPLOYEES), "employees");
    assert_string_equal(cm_dataset_name(CM_DS_NUMBER_ASSIGNMENTS), "number_assignments");
    assert_null(cm_dataset_name((cm_dataset)0));
    assert_null(cm_dataset_name((cm_dataset)7));
}

#define LOAD_TEST(f) cmocka_unit_test_setup_teardown(f, load_setup, load_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_ok),
        cmocka_unit_test(test_check_abi),
        cmocka_unit_test(test_check_struct_size),
        cmocka_unit_test(test_check_metadata),
        cmocka_unit_test(test_check_name_chars),
        cmocka_unit_test(test_check_no_kinds),
        cmocka_unit_test(test_check_kind_fields),
        cmocka_unit_test(test_check_duplicate_kind),
        cmocka_unit_test(test_check_options),
        LOAD_TEST(test_open_build_tree),
        LOAD_TEST(test_find_refused_by_file_name),
        LOAD_TEST(test_open_same_folder_twice),
        LOAD_TEST(test_open_same_folder_other_spelling),
        LOAD_TEST(test_open_missing_folder),
        LOAD_TEST(test_open_env_path),
        LOAD_TEST(test_open_duplicate_name),
        LOAD_TEST(test_open_not_a_library),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
