/* SHA-256 of a byte stream (OpenSSL EVP), hex-encoded. */
#ifndef CM_HASH_H
#define CM_HASH_H

#include <stddef.h>

typedef struct cm_sha256 cm_sha256;

cm_sha256 *cm_sha256_new(void);
void cm_sha256_update(cm_sha256 *h, const void *data, size_t n);
/* Writes 64 hex digits and a NUL into out, and frees h. */
void cm_sha256_final(cm_sha256 *h, char out[65]);

#endif
