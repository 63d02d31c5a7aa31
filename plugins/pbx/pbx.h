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

#endif
