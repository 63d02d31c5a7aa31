/* Telephone numbers to E.164 and their classification (Danish numbering plan). */
#ifndef CM_PHONE_H
#define CM_PHONE_H

#include <callmap/plugin.h>
#include <stddef.h>

/* See cm_api.number_normalize. */
cm_number_type cm_number_normalize(const char *raw, const char *extension_prefix,
                                   int extension_len, char *out, size_t outsz, const char **why);
const char *cm_number_type_name(cm_number_type t);

#endif
