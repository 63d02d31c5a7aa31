/* The tdc plugin's descriptor: TDC's traffic exports and its OIOUBL invoices. */
#include "tdc.h"

static const cm_kind tdc_kinds[] = {
    {
        .name = "mobile-cdr",
        .type = CM_KIND_SOURCE,
        .dataset = CM_DS_CALLS,
        .description = "TDC mobile traffic export: ';'-separated, Windows-1252, one call per line, "
                       "columns found by header name (options column.*); local time in the "
                       "source's timezone",
        .options = tdc_cdr_options,
        .config_size = sizeof(tdc_cdr_config),
        .init = tdc_mobile_cdr_init,
        .read = tdc_cdr_read,
        .destroy = tdc_cdr_destroy,
    },
    {
        .name = "fixed-cdr",
        .type = CM_KIND_SOURCE,
        .dataset = CM_DS_CALLS,
        .description = "TDC fixed-line traffic export: the layout of mobile-cdr, channel 'fixed'",
        .options = tdc_cdr_options,
        .config_size = sizeof(tdc_cdr_config),
        .init = tdc_fixed_cdr_init,
        .read = tdc_cdr_read,
        .destroy = tdc_cdr_destroy,
    },
    {
        .name = "invoice",
        .type = CM_KIND_SOURCE,
        .dataset = CM_DS_COSTS,
        .description = "OIOUBL Invoice or CreditNote XML (OIOUBL 2.01, 2.02, 2.1): one costs row per "
                       "line and one invoices row per document; a document whose lines do not add "
                       "up to its total is rejected whole",
        .options = tdc_invoice_options,
        .config_size = sizeof(tdc_invoice_config),
        .init = tdc_invoice_init,
        .read = tdc_invoice_read,
        .destroy = tdc_invoice_destroy,
    },
    {0},
};

CM_PLUGIN_DEFINE(.name = "tdc", .version = "1.0.0",
                 .description = "TDC Erhverv: mobile and fixed traffic exports, OIOUBL invoices",
                 .license = "MIT", .kinds = tdc_kinds);
