/* A plugin built against a newer ABI minor than this host's. */
#include <callmap/plugin.h>

static int init(const cm_api *api, cm_instance *inst, const void *config, void **state)
{
    (void)api, (void)inst, (void)config;
    *state = 0;
    return CM_OK;
}
static int read_(void *state, cm_stream *s) { (void)state, (void)s; return CM_OK; }

static const cm_kind kinds[] = {
    {.name = "lines", .type = CM_KIND_SOURCE, .dataset = CM_DS_CALLS, .description = "nothing",
     .init = init, .read = read_},
    {0},
};

CM_EXPORT const cm_plugin callmap_plugin = {
    .abi_major = CALLMAP_ABI_MAJOR, .abi_minor = CALLMAP_ABI_MINOR + 1,
    .struct_size = sizeof(cm_plugin), .name = "newerminor", .version = "1.0",
    .description = "newer ABI minor", .license = "MIT", .kinds = kinds};
