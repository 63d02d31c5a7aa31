/* Input in another encoding, converted to UTF-8 on the fly with iconv. */
#ifndef CM_RECODE_H
#define CM_RECODE_H

#include <stddef.h>
#include <stdint.h>

typedef struct cm_recode cm_recode;
typedef long (*cm_raw_read_fn)(void *ctx, void *buf, size_t n);

/* NULL when iconv does not know the encoding. */
cm_recode *cm_recode_new(const char *from);
int cm_encoding_known(const char *name);
/* Fill out with UTF-8 from the raw reader: bytes written, 0 at the end, -1 on
 * a read error. A byte the source encoding does not define becomes U+FFFD
 * and is counted in *bad. */
long cm_recode_read(cm_recode *r, cm_raw_read_fn read, void *ctx, char *out, size_t n,
                    int64_t *bad);
void cm_recode_free(cm_recode *r);

#endif
