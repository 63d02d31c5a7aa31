/* A growable byte buffer with fast, locale-free formatting: the writers build
 * their records here (no printf per field). */
#ifndef GEN_SBUF_H
#define GEN_SBUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct sbuf {
    char *p;
    size_t n, cap;
} sbuf;

void sb_free(sbuf *b);
void sb_reserve(sbuf *b, size_t extra); /* exits on out of memory */
static inline void sb_clear(sbuf *b) { b->n = 0; }
void sb_mem(sbuf *b, const void *s, size_t n);
void sb_str(sbuf *b, const char *s);
static inline void sb_ch(sbuf *b, char c)
{
    if (b->n + 1 > b->cap)
        sb_reserve(b, 1);
    b->p[b->n++] = c;
}
void sb_u64(sbuf *b, uint64_t v);
void sb_i64(sbuf *b, int64_t v);
/* v with at least width digits, zero-padded */
void sb_uz(sbuf *b, uint64_t v, int width);
/* an amount in øre as "1234.50" (or "1234,50" with comma) */
void sb_ore(sbuf *b, int64_t ore, char decimal);
/* a string in double quotes, inner quotes doubled */
void sb_quoted(sbuf *b, const char *s);
/* XML text with & < > " escaped */
void sb_xml(sbuf *b, const char *s);
/* the buffer as a C string (keeps a NUL after the content, not counted) */
const char *sb_cstr(sbuf *b);

#endif
