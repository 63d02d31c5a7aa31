/* The pbx plugin's descriptor: one kind per PBX format. */
#include "pbx.h"

static const cm_kind pbx_kinds[] = {
    {
        .name = "asterisk-cdr",
        .type = CM_KIND_SOURCE,
        .dataset = CM_DS_CALLS,
        .description = "Asterisk cdr_csv Master.csv (no header; 16, 17, 18 or 21 columns; "
                       "local time in the source's timezone)",
        .options = asterisk_cdr_options,
        .config_size = sizeof(asterisk_cdr_config),
        .init = asterisk_cdr_init,
        .read = asterisk_cdr_read,
        .destroy = asterisk_cdr_destroy,
    },
    {
        .name = "cucm-cdr",
        .type = CM_KIND_SOURCE,
        .dataset = CM_DS_CALLS,
        .description = "Cisco Unified CM CDR flat files (cdr_*: quoted field names, a line of "
                       "field types, then records; columns by name; times in UTC)",
        .options = cucm_cdr_options,
        .config_size = sizeof(cucm_cdr_config),
        .init = cucm_cdr_init,
        .read = cucm_cdr_read,
        .destroy = cucm_cdr_destroy,
    },
    {0},
};

CM_PLUGIN_DEFINE(.name = "pbx", .version = "1.0.0",
                 .description = "Call records of PBXes (Asterisk cdr_csv, Cisco Unified CM CDR)",
                 .license = "MIT", .kinds = pbx_kinds);
