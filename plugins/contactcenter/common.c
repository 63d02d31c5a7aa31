/* Helpers shared by the contactcenter kinds. */
#include "contactcenter.h"

#include <stdio.h>
#include <string.h>

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

int cc_eq_nocase(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (lower(*a) != lower(*b))
            return 0;
    return *a == *b;
}

int cc_is_utf8(const char *encoding)
{
    return cc_eq_nocase(encoding, "UTF-8") || cc_eq_nocase(encoding, "UTF8");
}

int cc_check_extension_options(const cm_api *api, cm_instance *inst, const char *prefix,
                               int64_t length)
{
    if (length < 0 || length > 8) {
        api->log(inst, CM_LOG_ERROR, "extension-length must be between 0 and 8, not %lld",
                 (long long)length);
        return CM_ERROR;
    }
    if (prefix) {
        size_t n = strlen(prefix);
        int ok = n >= 2 && n <= 16 && prefix[0] == '+';
        for (size_t i = 1; ok && i < n; i++)
            ok = is_digit(prefix[i]);
        if (!ok) {
            api->log(inst, CM_LOG_ERROR,
                     "extension-prefix must be an E.164 prefix: '+' and digits, e.g. +453366, "
                     "not '%s'",
                     prefix);
            return CM_ERROR;
        }
    }
    return CM_OK;
}

int cc_check_encoding(const cm_api *api, cm_instance *inst, const char *encoding)
{
    if (!encoding || !encoding[0]) {
        api->log(inst, CM_LOG_ERROR, "encoding must name a character set, e.g. UTF-8 or "
                                     "WINDOWS-1252");
        return CM_ERROR;
    }
    if (!cc_is_utf8(encoding) && api->encoding_known && !api->encoding_known(encoding)) {
        api->log(inst, CM_LOG_ERROR,
                 "unknown encoding '%s' (use an iconv name such as UTF-8, WINDOWS-1252 or "
                 "ISO-8859-1)",
                 encoding);
        return CM_ERROR;
    }
    return CM_OK;
}

int cc_agent_extension(const char *agent, const char *prefix, int64_t extension_length,
                       char *out, size_t outsz)
{
    out[0] = '\0';
    const char *p = agent;
    while (*p == ' ')
        p++;
    const char *slash = strchr(p, '/');
    if (slash)
        p = slash + 1; /* TECH/resource: PJSIP/201, Local/2004@ctx/n, Agent/3001 */
    size_t n = 0;
    while (is_digit(p[n]))
        n++;
    char after = p[n];
    if (n == 0 || n > 15 ||
        (after && after != '@' && after != '/' && after != '-' && after != ';' && after != ' '))
        return -1;
    for (size_t i = n; after == ' ' && p[i]; i++) /* "201 " but not "201 Anna" */
        if (p[i] != ' ')
            return -1;
    int full = extension_length == 0 || (int64_t)n == extension_length;
    snprintf(out, outsz, "%s%.*s", full && prefix ? prefix : "", (int)n, p);
    return full ? 1 : 0;
}

int cc_parse_seconds(const char *s, int64_t *out)
{
    int64_t v = 0;
    size_t n = 0;
    for (; is_digit(s[n]); n++) {
        if (n == 10)
            return CM_ERROR;
        v = v * 10 + (s[n] - '0');
    }
    if (n == 0 || s[n])
        return CM_ERROR;
    *out = v;
    return CM_OK;
}

char *cc_trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}
