#include "registry.h"
#include "options.h"
#include "util.h"

#include <dirent.h>
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *cm_kind_type_name(cm_kind_type t)
{
    switch (t) {
    case CM_KIND_SOURCE: return "source";
    case CM_KIND_TRANSFORM: return "transform";
    }
    return "?";
}

const char *cm_dataset_name(cm_dataset d)
{
    switch (d) {
    case CM_DS_CALLS: return "calls";
    case CM_DS_COSTS: return "costs";
    case CM_DS_INVOICES: return "invoices";
    case CM_DS_ORG_UNITS: return "org_units";
    case CM_DS_EMPLOYEES: return "employees";
    case CM_DS_NUMBER_ASSIGNMENTS: return "number_assignments";
    }
    return NULL;
}

static int empty(const char *s) { return !s || !*s; }

static char *check_kind(const cm_plugin *p, const cm_kind *k)
{
    if (empty(k->description))
        return cm_asprintf("kind '%s' has no description", k->name);
    if (k->type != CM_KIND_SOURCE && k->type != CM_KIND_TRANSFORM)
        return cm_asprintf("kind '%s' has an unknown type %d", k->name, (int)k->type);
    if (!cm_dataset_name(k->dataset))
        return cm_asprintf("kind '%s' names an unknown dataset %d", k->name, (int)k->dataset);
    if (!k->init)
        return cm_asprintf("kind '%s' has no init callback", k->name);
    if (k->type == CM_KIND_SOURCE && !k->read)
        return cm_asprintf("source kind '%s' has no read callback", k->name);
    if (k->type == CM_KIND_TRANSFORM && !k->transform && !k->finish)
        return cm_asprintf("transform kind '%s' has neither a transform nor a finish callback",
                           k->name);
    for (const cm_kind *o = p->kinds; o < k; o++)
        if (strcmp(o->name, k->name) == 0)
            return cm_asprintf("kind '%s' is declared twice", k->name);
    char *why = cm_options_check_table(k->options, k->config_size);
    if (why) {
        char *r = cm_asprintf("kind '%s': %s", k->name, why);
        free(why);
        return r;
    }
    return NULL;
}

char *cm_plugin_check(const cm_plugin *p)
{
    if (p->abi_major != CALLMAP_ABI_MAJOR)
        return cm_asprintf("built for plugin ABI %u.%u, this callmap supports ABI %d.x (x <= %d)",
                           p->abi_major, p->abi_minor, CALLMAP_ABI_MAJOR, CALLMAP_ABI_MINOR);
    if (p->abi_minor > CALLMAP_ABI_MINOR)
        return cm_asprintf("built for plugin ABI %u.%u, newer than this callmap's %d.%d: upgrade callmap",
                           p->abi_major, p->abi_minor, CALLMAP_ABI_MAJOR, CALLMAP_ABI_MINOR);
    if (p->struct_size < offsetof(cm_plugin, reserved))
        return cm_asprintf("descriptor is %zu bytes, smaller than ABI %d.0's", p->struct_size,
                           CALLMAP_ABI_MAJOR);
    static const char *const field[] = {"name", "version", "description", "license"};
    const char *val[] = {p->name, p->version, p->description, p->license};
    for (size_t i = 0; i < 4; i++)
        if (empty(val[i]))
            return cm_asprintf("missing metadata: %s", field[i]);
    for (const char *c = p->name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_'))
            return cm_asprintf("name '%s' may only hold a-z, 0-9, '-' and '_'", p->name);
    if (!p->kinds || !p->kinds[0].name)
        return cm_xstrdup("declares no kinds");
    for (const cm_kind *k = p->kinds; k->name; k++) {
        char *why = check_kind(p, k);
        if (why)
            return why;
    }
    return NULL;
}

const cm_kind *cm_plugin_find_kind(const cm_plugin *p, const char *kind)
{
    for (const cm_kind *k = p->kinds; k->name; k++)
        if (strcmp(k->name, kind) == 0)
            return k;
    return NULL;
}

const cm_loaded_plugin *cm_registry_find(const cm_registry *r, const char *name)
{
    for (size_t i = 0; i < r->nplugins; i++)
        if (strcmp(r->plugins[i].desc->name, name) == 0)
            return &r->plugins[i];
    return NULL;
}

const cm_refused_plugin *cm_registry_find_refused(const cm_registry *r, const char *name)
{
    for (size_t i = 0; i < r->nrefused; i++) {
        const cm_refused_plugin *f = &r->refused[i];
        if (f->name && strcmp(f->name, name) == 0)
            return f;
    }
    /* a plugin whose descriptor could not be read is known by its file name */
    for (size_t i = 0; i < r->nrefused; i++) {
        const cm_refused_plugin *f = &r->refused[i];
        const char *base = strrchr(f->path, '/');
        base = base ? base + 1 : f->path;
        size_t n = strlen(name);
        if (!f->name && strncmp(base, name, n) == 0 && strcmp(base + n, ".so") == 0)
            return f;
    }
    return NULL;
}

static void refuse(cm_registry *r, const char *path, const char *name, char *reason)
{
    r->refused = cm_xrealloc(r->refused, (r->nrefused + 1) * sizeof *r->refused);
    r->refused[r->nrefused++] = (cm_refused_plugin){
        .path = cm_xstrdup(path), .name = name ? cm_xstrdup(name) : NULL, .reason = reason};
}

static void load_file(cm_registry *r, const char *path)
{
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        refuse(r, path, NULL, cm_asprintf("cannot be loaded: %s", dlerror()));
        return;
    }
    const cm_plugin *p = dlsym(h, CALLMAP_PLUGIN_SYMBOL);
    if (!p) {
        refuse(r, path, NULL, cm_xstrdup("does not export the symbol '" CALLMAP_PLUGIN_SYMBOL "'"));
        dlclose(h);
        return;
    }
    char *why = cm_plugin_check(p);
    if (!why) {
        const cm_loaded_plugin *dup = cm_registry_find(r, p->name);
        if (dup)
            why = cm_asprintf("the name '%s' is already taken by %s", p->name, dup->path);
    }
    if (why) {
        /* the name is only trusted when the ABI matched */
        int name_ok = p->abi_major == CALLMAP_ABI_MAJOR && !empty(p->name);
        refuse(r, path, name_ok ? p->name : NULL, why);
        dlclose(h);
        return;
    }
    r->plugins = cm_xrealloc(r->plugins, (r->nplugins + 1) * sizeof *r->plugins);
    r->plugins[r->nplugins++] = (cm_loaded_plugin){.path = cm_xstrdup(path), .handle = h, .desc = p};
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void load_dir(cm_registry *r, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return; /* a missing folder on the path is not an error */
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len > 3 && strcmp(e->d_name + len - 3, ".so") == 0 && e->d_name[0] != '.') {
            names = cm_xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = cm_xstrdup(e->d_name);
        }
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        char *path = cm_path_join(dir, names[i]);
        load_file(r, path);
        free(path);
        free(names[i]);
    }
    free(names);
}

static void add_dirs(cm_registry *r, const char *list)
{
    if (!list)
        return;
    const char *p = list;
    while (*p) {
        const char *end = strchr(p, ':');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len) {
            /* one folder spelled two ways (a trailing '/', a symlink) is one folder */
            char *dir = cm_xstrndup(p, len), *real = realpath(dir, NULL);
            if (real) {
                free(dir);
                dir = real;
            }
            r->dirs = cm_xrealloc(r->dirs, (r->ndirs + 1) * sizeof *r->dirs);
            r->dirs[r->ndirs++] = dir;
        }
        p += len + (end ? 1 : 0);
    }
}

static char *exe_plugin_dir(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    char *bin = cm_path_dirname(exe);
    char *root = cm_path_dirname(bin);
    char *dir = cm_path_join(root, CALLMAP_PLUGIN_SUBDIR);
    free(bin);
    free(root);
    return dir;
}

cm_registry *cm_registry_open(const char *plugin_path)
{
    cm_registry *r = cm_xcalloc(1, sizeof *r);
    add_dirs(r, plugin_path);
    add_dirs(r, getenv("CALLMAP_PLUGIN_PATH"));
    char *own = exe_plugin_dir();
    add_dirs(r, own);
    free(own);
    for (size_t i = 0; i < r->ndirs; i++) {
        int seen = 0; /* the same folder twice on the path is loaded once */
        for (size_t j = 0; j < i; j++)
            seen |= strcmp(r->dirs[i], r->dirs[j]) == 0;
        if (!seen)
            load_dir(r, r->dirs[i]);
    }
    return r;
}

void cm_registry_close(cm_registry *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nplugins; i++) {
        /* Under ASan, keep plugins mapped so leak reports can still name
         * their frames. */
#ifndef __SANITIZE_ADDRESS__
        dlclose(r->plugins[i].handle);
#endif
        free(r->plugins[i].path);
    }
    for (size_t i = 0; i < r->nrefused; i++) {
        free(r->refused[i].path);
        free(r->refused[i].name);
        free(r->refused[i].reason);
    }
    for (size_t i = 0; i < r->ndirs; i++)
        free(r->dirs[i]);
    free(r->plugins);
    free(r->refused);
    free(r->dirs);
    free(r);
}
