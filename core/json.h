/* A minimal streaming JSON writer for --json output (commas and escaping). */
#ifndef CM_JSON_H
#define CM_JSON_H

#include <stdint.h>
#include <stdio.h>

typedef struct cm_json {
    FILE *f;
    int depth;
    int need_comma[32];
    int after_key;
} cm_json;

void cm_json_init(cm_json *j, FILE *f);
void cm_json_begin_object(cm_json *j);
void cm_json_end_object(cm_json *j);
void cm_json_begin_array(cm_json *j);
void cm_json_end_array(cm_json *j);
void cm_json_key(cm_json *j, const char *key);
void cm_json_string(cm_json *j, const char *s); /* NULL writes null */
void cm_json_int(cm_json *j, int64_t v);
void cm_json_double(cm_json *j, double v);
void cm_json_key_string(cm_json *j, const char *key, const char *s);
void cm_json_key_int(cm_json *j, const char *key, int64_t v);
void cm_json_key_double(cm_json *j, const char *key, double v);
/* a number with prec decimals (shares need more than cm_json_double's 3) */
void cm_json_key_fixed(cm_json *j, const char *key, double v, int prec);

#endif
