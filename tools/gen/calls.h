/* The decentral calls of one day: every calling unit's inbound calls (routed
 * to the people and numbers valid that day, skewed), outbound and internal
 * calls, with outcomes, transfers and forwards; sorted by start. */
#ifndef GEN_CALLS_H
#define GEN_CALLS_H

#include "call.h"
#include "model.h"

typedef struct day_calls {
    call *v;
    int n, cap;
} day_calls;

typedef struct calls_ctx calls_ctx;

calls_ctx *calls_new(const model *m, uint64_t seed);
void calls_free(calls_ctx *c);
/* replaces out's content with the day's calls */
void calls_day(calls_ctx *c, int64_t day, day_calls *out);

#endif
