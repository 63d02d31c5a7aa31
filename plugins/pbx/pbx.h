/* The pbx plugin: call records of the municipality's own PBXes. */
#ifndef PBX_H
#define PBX_H

#include <callmap/plugin.h>

typedef struct asterisk_cdr_config {
    const char *extension_prefix;
    int64_t extension_length;
    int64_t transfer_window;
} asterisk_cdr_config;

extern const cm_option_def asterisk_cdr_options[];
int asterisk_cdr_init(const cm_api *api, cm_instance *inst, const void *config, void **state);
int asterisk_cdr_read(void *state, cm_stream *s);
void asterisk_cdr_destroy(void *state);

typedef struct cucm_cdr_config {
    const char *extension_prefix;
    int64_t extension_length;
    const char *const *phone_device_prefix; /* CM_OPT_LIST; empty: the built-in prefixes */
    const char *voicemail_number;
    int64_t transfer_window;
} cucm_cdr_config;

extern const cm_option_def cucm_cdr_options[];
int cucm_cdr_init(const cm_api *api, cm_instance *inst, const void *config, void **state);
int cucm_cdr_read(void *state, cm_stream *s);
void cucm_cdr_destroy(void *state);

#endif
