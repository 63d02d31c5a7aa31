/* Time zones from the system's IANA database (TZif files), immutable after
 * loading so that one cm_tz can be shared by threads. */
#ifndef CM_TZ_H
#define CM_TZ_H

#include <callmap/plugin.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cm_tz cm_tz;

/* Load zone `name` ("Europe/Copenhagen", "UTC") from $TZDIR or /usr/share/zoneinfo.
 * NULL with a message in err (naming the zone and the reason) on failure. */
cm_tz *cm_tz_load(const char *name, char *err, size_t errsz);
void cm_tz_free(cm_tz *tz);
const char *cm_tz_name(const cm_tz *tz);

/* Wall time to UTC; see cm_api.local_to_utc for the meaning of the result. */
cm_time_result cm_tz_local_to_utc(const cm_tz *tz, int year, int mon, int day, int hour, int min,
                                  int sec, int64_t *first, int64_t *second);

/* UTC offset in seconds at instant utc. */
int32_t cm_tz_offset_at(const cm_tz *tz, int64_t utc);

/* Proleptic Gregorian calendar helpers (no time zone involved). */
int64_t cm_days_from_civil(int year, int mon, int day);
void cm_civil_from_days(int64_t days, int *year, int *mon, int *day);
/* 'YYYY-MM-DDTHH:MM:SSZ' into out (21 bytes) */
void cm_format_utc(int64_t utc, char out[21]);
/* 'YYYY-MM-DDTHH:MM:SS' wall time of utc in tz, into out (20 bytes) */
void cm_format_local(const cm_tz *tz, int64_t utc, char out[20]);

#endif
