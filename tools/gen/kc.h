/* The contact center's calls of one day: callers queue, some give up or time
 * out, the others are answered by an agent of the queue's unit (and a few
 * transferred on to a decentral unit), with wrap-up time afterwards. */
#ifndef GEN_KC_H
#define GEN_KC_H

#include <stdint.h>

#include "call.h"
#include "model.h"

typedef struct kc_call {
    int64_t start;      /* UTC: entered the queue */
    uint32_t id;
    int unit;
    uint8_t outcome;    /* OC_ANSWERED, OC_ABANDONED or OC_MISSED (timeout) */
    uint8_t internal;   /* a colleague calling from an extension */
    uint8_t xfer;       /* transferred by the agent */
    uint8_t remote_kind;
    uint8_t ivr;        /* IVR menu choice 1-4 */
    int wait, talk, wrap;
    int asg;            /* the answering agent's extension; -1 */
    char remote[20];    /* caller digits, or the colleague's extension */
    char xfer_to[12];   /* 8-digit number the call went on to */
} kc_call;

typedef struct kc_day_calls {
    kc_call *v;
    int n, cap;
} kc_day_calls;

typedef struct kc_ctx kc_ctx;

kc_ctx *kc_new(const model *m, uint64_t seed);
void kc_free(kc_ctx *k);
/* the day's calls of the queue_log queues (ql) and of the exported ones (ex),
 * each sorted by start */
void kc_day(kc_ctx *k, int64_t day, kc_day_calls *ql, kc_day_calls *ex);

#endif
