#include "sbuf.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void sb_free(sbuf *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

void sb_reserve(sbuf *b, size_t extra)
{
    if (b->n + extra <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + extra)
        cap *= 2;
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
}

void sb_mem(sbuf *b, const void *s, size_t n)
{
    if (!n)
        return;
    sb_reserve(b, n);
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

void sb_str(sbuf *b, const char *s) { sb_mem(b, s, strlen(s)); }

void sb_uz(sbuf *b, uint64_t v, int width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < width)
        tmp[n++] = '0';
    sb_reserve(b, (size_t)n);
    while (n)
        b->p[b->n++] = tmp[--n];
}

void sb_u64(sbuf *b, uint64_t v) { sb_uz(b, v, 1); }

void sb_i64(sbuf *b, int64_t v)
{
    if (v < 0) {
        sb_ch(b, '-');
        sb_uz(b, (uint64_t)(-(v + 1)) + 1, 1);
    } else {
        sb_uz(b, (uint64_t)v, 1);
    }
}

void sb_ore(sbuf *b, int64_t ore, char decimal)
{
    if (ore < 0) {
        sb_ch(b, '-');
        ore = -ore;
    }
    sb_u64(b, (uint64_t)(ore / 100));
    sb_ch(b, decimal);
    sb_uz(b, (uint64_t)(ore % 100), 2);
}

void sb_quoted(sbuf *b, const char *s)
{
    sb_ch(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            sb_ch(b, '"');
        sb_ch(b, *s);
    }
    sb_ch(b, '"');
}

void sb_xml(sbuf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': sb_str(b, "&amp;"); break;
        case '<': sb_str(b, "&lt;"); break;
        case '>': sb_str(b, "&gt;"); break;
        case '"': sb_str(b, "&quot;"); break;
        default: sb_ch(b, *s);
        }
    }
}

const char *sb_cstr(sbuf *b)
{
    sb_reserve(b, 1);
    b->p[b->n] = '\0';
    return b->p;
}
