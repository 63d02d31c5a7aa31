/* The synthetic municipality: units with their behaviour, employees, phone
 * numbers and who had which number when.  Built once for the whole period
 * (org.c); everything else reads it. */
#ifndef GEN_MODEL_H
#define GEN_MODEL_H

#include <stdint.h>

#include "rng.h"

#define DAY_OPEN INT64_MAX /* valid_to of a row that is still valid */

enum unit_type { UT_ADMINISTRATION, UT_CENTRE, UT_UNIT, UT_INSTITUTION };

/* where a unit's landlines are, and so which source records its calls */
enum phone_system {
    SYS_MOBILE,   /* mobiles only (TDC) */
    SYS_ASTERISK, /* an Asterisk site (Master.csv) + mobiles */
    SYS_CUCM,     /* the Cisco cluster + mobiles */
    SYS_KC_QL,    /* contact-center queues in queue_log */
    SYS_KC_EX,    /* contact-center queues in the per-call export */
    SYS_NONE      /* takes no calls (administrations, centres) */
};

enum number_kind { NK_MOBILE, NK_FIXED, NK_QUEUE, NK_SHARED };

/* What a unit's calls look like; recorded in truth.json (issue 5). */
typedef struct behaviour {
    double yearly_calls;          /* expected inbound calls a year */
    double share_missed;          /* of inbound calls: not answered */
    double share_transferred;     /* of answered inbound calls: transferred or forwarded on */
    int answerers;                /* people who take inbound calls */
    double skew;                  /* Zipf exponent of the calls over those people */
    double noon_peak;             /* extra weight around noon */
    double monday_peak;           /* extra weight on Mondays */
    double share_mobile_general;  /* of inbound calls: general questions on personal mobiles */
    double share_outbound;        /* outbound calls per inbound call */
    double share_internal;        /* internal calls per inbound call (PBX units) */
    const char *potential;        /* "high", "low" or "normal" */
} behaviour;

typedef struct unit {
    char id[16];
    char name[96];
    int parent;          /* index, -1 for a root */
    int new_parent;      /* parent from reorg_day on, -1 when the unit does not move */
    int64_t reorg_day;
    char ean[14];
    int type;            /* enum unit_type */
    int64_t valid_from;
    int sys;             /* enum phone_system */
    int site;            /* Asterisk site index, -1 */
    int own_billing;     /* TDC bills its mobiles to the unit's own EAN */
    int hours;           /* opening-hours profile (profile.c) */
    const char *queue;   /* contact-center queue name */
    behaviour b;
    double base;         /* expected inbound calls on a plain weekday of an average month */
    double day_factor[8]; /* weekday 0..6, 7 = public holiday (profile.c) */
    double hour_cum[8][24]; /* cumulative hour weights per weekday / holiday */
    int *asg;            /* assignments of numbers to the unit (answer points) */
    int nasg, casg;
} unit;

typedef struct employee {
    char id[12];
    int unit;
    char name[64];
    const char *title;
    int64_t valid_from, valid_to;
    double weight;       /* share of the unit's inbound calls (0: takes none) */
} employee;

typedef struct number {
    char e164[16];       /* +45... */
    char ext[8];         /* the extension / DN for PBX and KC numbers, "" for mobiles */
    int kind;            /* enum number_kind */
    int sys;             /* the system the number lives on */
    int site;            /* Asterisk site */
    char device[20];     /* CUCM device name (SEP<MAC>) */
} number;

typedef struct assignment {
    int number;
    int emp;             /* -1: the unit's shared or queue number */
    int unit;
    int64_t valid_from, valid_to;
} assignment;

typedef struct site {
    char name[24];       /* folder name under pbx/asterisk */
    int *units;
    int nunits, cunits;
} site;

typedef struct model {
    unit *units;
    int nunits;
    employee *emps;
    int nemps;
    number *nums;
    int nnums;
    assignment *asgs;
    int nasgs;
    site *sites;
    int nsites;
    int64_t first_day, last_day; /* the period, inclusive */
    char central_ean[14];        /* the central purchasing EAN (no unit has it) */
    char tdc_cvr[9], vendor_cvr[9];
    int reorg_unit;
    double scale;
} model;

/* Builds the municipality for the period; scale 1 = Copenhagen's volumes. */
void model_build(model *m, uint64_t seed, double scale, int64_t first_day, int64_t last_day);
void model_free(model *m);

/* helpers over the model */
static inline int valid_on(int64_t from, int64_t to, int64_t day) { return from <= day && day <= to; }
const char *unit_type_name(int type);
const char *number_kind_name(int kind);
/* the parent of a unit on a day */
int unit_parent_on(const model *m, int u, int64_t day);

/* check digits */
int gs1_check_digit(const char *digits12);
int cvr_valid(const char *cvr8);

#endif
