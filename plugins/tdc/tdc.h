/* The tdc plugin: TDC traffic exports (mobile and fixed) and OIOUBL invoices. */
#ifndef TDC_H
#define TDC_H

#include <callmap/plugin.h>

#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------------- cdr.c */

typedef struct tdc_cdr_config {
    const char *separator;
    const char *encoding;
    const char *date_format;
    int decimal_comma;
    const char *const *columns; /* "column.*": "date=Dato", ... */
    const char *direction_in, *direction_out;
    const char *type_mobile, *type_fixed, *type_international, *type_service, *type_voicemail;
    const char *status_answered, *status_missed, *status_busy, *status_forwarded;
} tdc_cdr_config;

extern const cm_option_def tdc_cdr_options[];

int tdc_mobile_cdr_init(const cm_api *api, cm_instance *inst, const void *config, void **state);
int tdc_fixed_cdr_init(const cm_api *api, cm_instance *inst, const void *config, void **state);
int tdc_cdr_read(void *state, cm_stream *s);
void tdc_cdr_destroy(void *state);

/* ---------------------------------------------------------------- invoice.c */

typedef struct tdc_invoice_config {
    const char *const *category_rules; /* "category-rule": "usage=forbrug|sms", ... */
    int64_t max_lines;
} tdc_invoice_config;

extern const cm_option_def tdc_invoice_options[];

int tdc_invoice_init(const cm_api *api, cm_instance *inst, const void *config, void **state);
int tdc_invoice_read(void *state, cm_stream *s);
void tdc_invoice_destroy(void *state);

#endif
