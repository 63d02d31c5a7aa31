/* Text and identifier helpers shared by plugins through the API: UTF-8
 * validity, Danish decimals and dates, CVR and EAN/GLN check digits. */
#ifndef CM_TEXT_H
#define CM_TEXT_H

#include <stddef.h>

int cm_utf8_valid(const char *s, size_t n);
/* "1.234,50" (decimal_comma) or "1234.50"; see cm_api.parse_decimal. 0 or -1. */
int cm_parse_decimal(const char *text, int decimal_comma, double *out);
/* By a pattern of dd, mm, yyyy and separator characters. 0 or -1. */
int cm_parse_date(const char *text, const char *format, int *year, int *mon, int *day);
/* 8 digits, weights 2,7,6,5,4,3,2,1, sum mod 11 == 0 */
int cm_cvr_valid(const char *cvr);
/* 13 digits (also 8 and 14: GS1 mod 10 over any length) */
int cm_ean_valid(const char *ean);

#endif
