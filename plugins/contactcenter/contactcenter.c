/* The contactcenter plugin's descriptor: calls of the shared contact-center
 * solution, from Asterisk's queue_log or from a per-call CSV export. */
#include "contactcenter.h"

static const cm_kind contactcenter_kinds[] = {
    {
        .name = "queue-log",
        .type = CM_KIND_SOURCE,
        .dataset = CM_DS_CALLS,
        .description = "Asterisk queue_log flat file (epoch|callid|queue|agent|event|data...): "
                       "one call per ENTERQUEUE, ended by CONNECT+COMPLETE*, a transfer, "
                       "ABANDON or EXIT*",
        .options = queue_log_options,
        .config_size = sizeof(queue_log_config),
        .init = queue_log_init,
        .read = queue_log_read,
        .destroy = queue_log_destroy,
    },
    {
        .name = "calls-csv",
        .type = CM_KIND_SOURCE,
        .dataset = CM_DS_CALLS,
        .description = "per-call CSV export of a contact-center system, columns found by "
                       "heading (call_id;queue;caller;offered;answered;ended;wait_s;talk_s;"
                       "wrap_s;outcome;agent;ivr_choice;transferred_to); local times in the "
                       "source's timezone",
        .options = calls_csv_options,
        .config_size = sizeof(calls_csv_config),
        .init = calls_csv_init,
        .read = calls_csv_read,
        .destroy = calls_csv_destroy,
    },
    {0},
};

CM_PLUGIN_DEFINE(.name = "contactcenter", .version = "1.0.0",
                 .description = "Calls of the contact-center solution (Asterisk queue_log, "
                                "per-call CSV exports)",
                 .license = "MIT", .kinds = contactcenter_kinds);
