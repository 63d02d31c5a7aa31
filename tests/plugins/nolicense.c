/* A plugin whose descriptor lacks required metadata (license). */
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

CM_PLUGIN_DEFINE(.name = "nolicense", .version = "1.0", .description = "no license",
                 .kinds = kinds);
