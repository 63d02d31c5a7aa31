#include "json.h"

#include <inttypes.h>

void cm_json_init(cm_json *j, FILE *f)
{
    j->f = f;
    j->depth = 0;
    j->need_comma[0] = 0;
    j->after_key = 0;
}

/* Before a value or key: a comma unless it is the first in its container. */
static void sep(cm_json *j)
{
    if (j->after_key) {
        j->after_key = 0;
        return;
    }
    if (j->need_comma[j->depth])
        fputc(',', j->f);
    j->need_comma[j->depth] = 1;
}

static void open(cm_json *j, char c)
{
    sep(j);
    fputc(c, j->f);
    if (j->depth < 31)
        j->depth++;
    j->need_comma[j->depth] = 0;
}

static void close_(cm_json *j, char c)
{
    if (j->depth > 0)
        j->depth--;
    fputc(c, j->f);
}

void cm_json_begin_object(cm_json *j) { open(j, '{'); }
void cm_json_end_object(cm_json *j) { close_(j, '}'); }
void cm_json_begin_array(cm_json *j) { open(j, '['); }
void cm_json_end_array(cm_json *j) { close_(j, ']'); }

static void raw_string(cm_json *j, const char *s)
{
    fputc('"', j->f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", j->f); break;
        case '\\': fputs("\\\\", j->f); break;
        case '\n': fputs("\\n", j->f); break;
        case '\r': fputs("\\r", j->f); break;
        case '\t': fputs("\\t", j->f); break;
        default:
            if (*p < 0x20)
                fprintf(j->f, "\\u%04x", *p);
            else
                fputc(*p, j->f);
        }
    }
    fputc('"', j->f);
}

void cm_json_key(cm_json *j, const char *key)
{
    sep(j);
    raw_string(j, key);
    fputc(':', j->f);
    j->after_key = 1;
}

void cm_json_string(cm_json *j, const char *s)
{
    sep(j);
    if (s)
        raw_string(j, s);
    else
        fputs("null", j->f);
}

void cm_json_int(cm_json *j, int64_t v)
{
    sep(j);
    fprintf(j->f, "%" PRId64, v);
}

void cm_json_double(cm_json *j, double v)
{
    sep(j);
    fprintf(j->f, "%.3f", v);
}

void cm_json_key_string(cm_json *j, const char *key, const char *s)
{
    cm_json_key(j, key);
    cm_json_string(j, s);
}

void cm_json_key_int(cm_json *j, const char *key, int64_t v)
{
    cm_json_key(j, key);
    cm_json_int(j, v);
}

void cm_json_key_double(cm_json *j, const char *key, double v)
{
    cm_json_key(j, key);
    cm_json_double(j, v);
}

void cm_json_key_fixed(cm_json *j, const char *key, double v, int prec)
{
    cm_json_key(j, key);
    sep(j);
    fprintf(j->f, "%.*f", prec, v);
}
