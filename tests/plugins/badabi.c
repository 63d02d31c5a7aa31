/* A plugin built for another ABI major: the loader must refuse it by name. */
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
    .abi_major = CALLMAP_ABI_MAJOR + 1, .abi_minor = 0, .struct_size = sizeof(cm_plugin),
    .name = "badabi", .version = "1.0", .description = "wrong ABI", .license = "MIT",
    .kinds = kinds};
