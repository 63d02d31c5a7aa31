#include <stdio.h>
#include <string.h>

#include "call.h"
#include "rng.h"

/* leading digit pairs of Danish subscriber numbers the municipality never has
 * (its own are 30.., 31.. and 33 6x ..) */
static const char PAIRS[][3] = {
    "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "40", "41", "42", "50", "51",
    "52", "53", "60", "61", "71", "81", "91", "92", "93", "32", "35", "36", "38", "39", "43",
    "44", "45", "46", "47", "48", "49", "54", "56", "57", "58", "59", "62", "64", "66", "69",
    "72", "74", "75", "76", "86", "87", "88", "89", "96", "97", "98",
};

static void digits(rng *r, char *out, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = (char)('0' + rng_below(r, 10));
    out[n] = '\0';
}

static void fresh(rng *r, int outbound, call *c)
{
    double x = rng_unit(r);
    if (!outbound && x < 0.04) {
        c->remote_kind = RK_HIDDEN;
        c->remote[0] = '\0';
    } else if (x < 0.07) {
        static const char *const CC[] = {"46", "49", "47", "44", "48", "90"};
        const char *cc = CC[rng_below(r, 6)];
        c->remote_kind = RK_INTERNATIONAL;
        memcpy(c->remote, cc, 2);
        digits(r, c->remote + 2, 8);
    } else if (outbound && x < 0.10) {
        static const char *const SP[] = {"70", "80", "90"};
        c->remote_kind = RK_SPECIAL;
        memcpy(c->remote, SP[rng_below(r, 3)], 2);
        digits(r, c->remote + 2, 6);
    } else {
        c->remote_kind = RK_NATIONAL;
        memcpy(c->remote, PAIRS[rng_below(r, sizeof PAIRS / sizeof *PAIRS)], 2);
        digits(r, c->remote + 2, 6);
    }
}

void citizen_pick(citizens *z, rng *r, int64_t t, int outbound, call *c)
{
    /* a repeat caller: someone who called in the last seven days */
    if (!outbound && z->n > 0 && rng_chance(r, 0.25)) {
        int k = (int)rng_below(r, (uint32_t)(z->n < 256 ? z->n : 256));
        int i = (z->head - 1 - k + 4096 * 2) % 4096;
        if (t - z->ring[i].t <= 7 * 86400 && t >= z->ring[i].t) {
            c->remote_kind = RK_NATIONAL;
            snprintf(c->remote, sizeof c->remote, "%s", z->ring[i].num);
            return;
        }
    }
    fresh(r, outbound, c);
    if (!outbound && c->remote_kind == RK_NATIONAL) {
        snprintf(z->ring[z->head].num, sizeof z->ring[z->head].num, "%s", c->remote);
        z->ring[z->head].t = t;
        z->head = (z->head + 1) % 4096;
        if (z->n < 4096)
            z->n++;
    }
}
