/* When calls arrive: opening hours by kind of unit, the noon and Monday
 * peaks, a quiet Friday afternoon, seasons, and public holidays (closed). */
#ifndef GEN_PROFILE_H
#define GEN_PROFILE_H

#include <stdint.h>

#include "model.h"
#include "rng.h"

enum opening { OPEN_OFFICE, OPEN_LIBRARY, OPEN_CARE, OPEN_KC };

/* fills u->day_factor and u->hour_cum from u->hours and u->b, and u->base so
 * that a year of days gives u->b.yearly_calls */
void profile_init(unit *u);
/* expected inbound calls of the unit on the day */
double profile_expected(const unit *u, int64_t day);
/* a wall-clock second of the day for one call */
int profile_draw_second(const unit *u, int64_t day, rng *r);
/* is the unit staffed at that wall-clock time (else calls go unanswered) */
int profile_open(const unit *u, int64_t day, int sec_of_day);
/* a count with mean lambda (rounded normal approximation of Poisson) */
int profile_count(rng *r, double lambda);

#endif
