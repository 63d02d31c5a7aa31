/* The plugin registry: finds shared objects on the search path, checks each
 * descriptor (ABI, metadata, kinds, option tables) and keeps the good ones. A
 * refused plugin is reported with its file and reason and never stops the
 * others from loading. */
#ifndef CM_REGISTRY_H
#define CM_REGISTRY_H

#include <callmap/plugin.h>
#include <stddef.h>

typedef struct cm_loaded_plugin {
    char *path;
    void *handle; /* dlopen handle */
    const cm_plugin *desc;
} cm_loaded_plugin;

typedef struct cm_refused_plugin {
    char *path;
    char *name;   /* the descriptor's name when it could be read, else NULL */
    char *reason;
} cm_refused_plugin;

typedef struct cm_registry {
    char **dirs; /* the search path, in order */
    size_t ndirs;
    cm_loaded_plugin *plugins;
    size_t nplugins;
    cm_refused_plugin *refused;
    size_t nrefused;
} cm_registry;

/* Build the search path: plugin_path (colon-separated, may be NULL), then
 * $CALLMAP_PLUGIN_PATH, then the folder next to the executable
 * (<exe>/../lib/callmap/plugins, which is both the build tree and the install
 * tree layout). Then load every *.so in every folder, sorted by name. */
cm_registry *cm_registry_open(const char *plugin_path);
void cm_registry_close(cm_registry *r);

const cm_loaded_plugin *cm_registry_find(const cm_registry *r, const char *name);
const cm_refused_plugin *cm_registry_find_refused(const cm_registry *r, const char *name);
const cm_kind *cm_plugin_find_kind(const cm_plugin *p, const char *kind);

/* Check a descriptor: NULL if usable, else the reason (the caller frees it). */
char *cm_plugin_check(const cm_plugin *p);

const char *cm_kind_type_name(cm_kind_type t);
const char *cm_dataset_name(cm_dataset d);

#endif
