/* One decentral call as the generator decides it, before a writer turns it
 * into the records of its source (one call can be several records: the legs
 * of a transfer or a forward). */
#ifndef GEN_CALL_H
#define GEN_CALL_H

#include <stdint.h>

enum xfer { XF_NONE, XF_TRANSFER, XF_FORWARD };
enum remote_kind { RK_NATIONAL, RK_INTERNATIONAL, RK_SPECIAL, RK_HIDDEN };

typedef struct call {
    int64_t start;     /* UTC seconds */
    uint32_t id;       /* unique within the day */
    uint8_t sys;       /* SYS_ASTERISK, SYS_CUCM or SYS_MOBILE: the source that records it */
    uint8_t dir;       /* enum direction */
    uint8_t outcome;   /* of the first leg */
    uint8_t outcome2;  /* of the second leg (transfer target, forward target) */
    uint8_t xfer;      /* enum xfer */
    uint8_t remote_kind;
    int16_t site;      /* Asterisk site */
    int ring, talk, talk2;
    int asg;           /* the municipality's number: the caller (outbound, internal) or the called */
    int asg2;          /* internal callee, transfer or forward target; -1 */
    char remote[20];   /* the outside party's digits (national 8 digits, or country code and
                        * number for international), "" when hidden */
} call;

/* The outside world: citizens, businesses, and repeat callers (a pool of
 * recent numbers that call again within seven days). */
typedef struct citizens {
    struct {
        char num[20];
        int64_t t;
    } ring[4096];
    int n, head;
} citizens;

struct rng;
/* fills c->remote and c->remote_kind for an inbound (or outbound) call at t */
void citizen_pick(citizens *z, struct rng *r, int64_t t, int outbound, call *c);

#endif
