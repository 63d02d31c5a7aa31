/* State of the hr source kinds (internal to the plugin). */
#ifndef HR_SOURCE_H
#define HR_SOURCE_H

#include "hr.h"

/* org-units: a row held until the whole file is checked */
typedef struct hr_org_row {
    int64_t line;
    char *text; /* one block: the raw line (capped), then the values */
    size_t raw_len;
    const char *unit, *name, *parent, *ean, *type;
    char from[11], to[11];
    int32_t node;        /* the unit's index in keys */
    int32_t parent_node; /* -1: none (a root) or not in the file */
    int rejected;
} hr_org_row;

/* a row of a unit that was rejected while reading (for the parent check) */
typedef struct hr_org_rejected {
    int32_t node;
    int64_t line;
} hr_org_rejected;

typedef struct hr_source {
    const cm_api *api;
    cm_instance *inst;
    hr_config cfg;
    hr_kind kind;
    hr_reader rd;
    /* per file: units or numbers, each with its validity periods */
    hr_strmap keys;
    hr_periods *periods; /* by key index */
    size_t pcap;
    /* org-units, per file */
    hr_org_row *rows;
    size_t nrows, rcap;
    hr_org_rejected *rej;
    size_t nrej, rejcap;
} hr_source;

void hr_source_reset(hr_source *st);
/* the periods of key (added when new); -1 on out of memory */
int hr_key_periods(hr_source *st, const char *key, hr_periods **out, int32_t *index);

void hr_org_reset(hr_source *st);
void hr_org_free(hr_source *st);

#endif
