/* Dates, times and phone numbers as the vendors write them. */
#ifndef GEN_FMT_H
#define GEN_FMT_H

#include <stdint.h>

#include "sbuf.h"

void fmt_date_iso(sbuf *b, int64_t day);  /* 2025-03-03 */
void fmt_date_dmy(sbuf *b, int64_t day);  /* 03-03-2025 */
void fmt_hms(sbuf *b, int sec_of_day);    /* 10:15:02 */
/* Copenhagen wall time of a UTC instant: 2025-03-03 10:15:02 */
void fmt_local(sbuf *b, int64_t utc);
/* a duration as HH:MM:SS */
void fmt_duration(sbuf *b, int seconds);

enum num_style { NS_PLAIN, NS_PLUS, NS_00 };
/* an outside number: national digits as 8 digits, +45xxxxxxxx or 0045xxxxxxxx;
 * international digits (country code first) as +cc... or 00cc... */
void fmt_remote(sbuf *b, const char *digits, int international, int style);

#endif
