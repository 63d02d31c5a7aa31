#include "recode.h"
#include "util.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#define RAW 65536

struct cm_recode {
    iconv_t cd;
    char raw[RAW];
    size_t off, len; /* unconverted bytes raw[off..off+len) */
    int eof;
    char pend[8];    /* converted bytes that did not fit a small read */
    size_t npend;
};

cm_recode *cm_recode_new(const char *from)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return NULL;
    cm_recode *r = cm_xcalloc(1, sizeof *r);
    r->cd = cd;
    return r;
}

int cm_encoding_known(const char *name)
{
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1)
        return 0;
    iconv_close(cd);
    return 1;
}

void cm_recode_free(cm_recode *r)
{
    if (!r)
        return;
    iconv_close(r->cd);
    free(r);
}

static long convert(cm_recode *r, cm_raw_read_fn read, void *ctx, char *out, size_t n,
                    int64_t *bad);

long cm_recode_read(cm_recode *r, cm_raw_read_fn read, void *ctx, char *out, size_t n,
                    int64_t *bad)
{
    if (n == 0)
        return 0;
    if (r->npend == 0 && n < 4) {
        /* too small for a whole character: convert one into pend first */
        long got = convert(r, read, ctx, r->pend, sizeof r->pend, bad);
        if (got <= 0)
            return got;
        r->npend = (size_t)got;
    }
    if (r->npend) {
        size_t k = r->npend < n ? r->npend : n;
        memcpy(out, r->pend, k);
        memmove(r->pend, r->pend + k, r->npend - k);
        r->npend -= k;
        return (long)k;
    }
    return convert(r, read, ctx, out, n, bad);
}

static long convert(cm_recode *r, cm_raw_read_fn read, void *ctx, char *out, size_t n,
                    int64_t *bad)
{
    size_t left = n;
    char *o = out;
    while (left >= 4) { /* room for one UTF-8 character at least */
        if (r->len == 0 || (r->len < 8 && !r->eof)) {
            /* keep a partial multibyte sequence and read more behind it */
            memmove(r->raw, r->raw + r->off, r->len);
            r->off = 0;
            if (!r->eof) {
                long got = read(ctx, r->raw + r->len, RAW - r->len);
                if (got < 0)
                    return -1;
                if (got == 0)
                    r->eof = 1;
                r->len += (size_t)got;
            }
            if (r->len == 0)
                break;
        }
        char *in = r->raw + r->off;
        size_t inlen = r->len;
        size_t rc = iconv(r->cd, &in, &inlen, &o, &left);
        r->off = (size_t)(in - r->raw);
        r->len = inlen;
        if (rc != (size_t)-1)
            continue;
        if (errno == E2BIG)
            break;
        if (errno == EINVAL && !r->eof)
            continue; /* an incomplete sequence at the end: read more */
        /* EILSEQ, or an incomplete sequence at the very end: U+FFFD, skip a byte */
        memcpy(o, "\xEF\xBF\xBD", 3);
        o += 3, left -= 3;
        r->off++, r->len--;
        (*bad)++;
    }
    return (long)(o - out);
}
