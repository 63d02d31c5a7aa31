/* SHA-256 through OpenSSL's EVP interface. */
#include "hash.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

struct cm_sha256 {
    EVP_MD_CTX *ctx;
};

/* EVP only fails here when out of memory (or with a broken OpenSSL): like
 * cm_xmalloc, give up. */
static void die(const char *what)
{
    fprintf(stderr, "callmap: SHA-256: %s failed\n", what);
    abort();
}

cm_sha256 *cm_sha256_new(void)
{
    cm_sha256 *h = malloc(sizeof *h);
    if (!h)
        die("malloc");
    h->ctx = EVP_MD_CTX_new();
    if (!h->ctx)
        die("EVP_MD_CTX_new");
    if (EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1)
        die("EVP_DigestInit_ex");
    return h;
}

void cm_sha256_update(cm_sha256 *h, const void *data, size_t n)
{
    if (n == 0)
        return;
    if (EVP_DigestUpdate(h->ctx, data, n) != 1)
        die("EVP_DigestUpdate");
}

void cm_sha256_final(cm_sha256 *h, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(h->ctx, md, &len) != 1 || len != 32)
        die("EVP_DigestFinal_ex");
    for (unsigned int i = 0; i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = '\0';
    EVP_MD_CTX_free(h->ctx);
    free(h);
}
