/* Unit tests of core/hash.c: SHA-256 of known inputs and of a stream fed in
 * odd-sized chunks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hash.h"

static void hash_of(const void *data, size_t n, char out[65])
{
    cm_sha256 *h = cm_sha256_new();
    assert_non_null(h);
    cm_sha256_update(h, data, n);
    cm_sha256_final(h, out);
}

static void test_empty(void **state)
{
    (void)state;
    char out[65];
    hash_of("", 0, out);
    assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    /* no update at all */
    cm_sha256 *h = cm_sha256_new();
    cm_sha256_final(h, out);
    assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_abc(void **state)
{
    (void)state;
    char out[65];
    hash_of("abc", 3, out);
    assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    /* a byte at a time */
    cm_sha256 *h = cm_sha256_new();
    cm_sha256_update(h, "a", 1);
    cm_sha256_update(h, "", 0);
    cm_sha256_update(h, "b", 1);
    cm_sha256_update(h, "c", 1);
    cm_sha256_final(h, out);
    assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* FIPS 180-2 appendix B.2: the two-block message */
static void test_two_blocks(void **state)
{
    (void)state;
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    char out[65];
    hash_of(m, strlen(m), out);
    assert_string_equal(out, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_stream_chunks(void **state)
{
    (void)state;
    const size_t n = 1024 * 1024;
    unsigned char *buf = malloc(n);
    assert_non_null(buf);
    uint32_t x = 2463534242u; /* xorshift32 */
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (unsigned char)x;
    }
    char one[65], chunked[65];
    hash_of(buf, n, one);

    static const size_t sizes[] = {1, 3, 7, 63, 64, 65, 127, 1000, 4093, 65537};
    cm_sha256 *h = cm_sha256_new();
    size_t off = 0, k = 0;
    while (off < n) {
        size_t c = sizes[k++ % (sizeof sizes / sizeof sizes[0])];
        if (c > n - off)
            c = n - off;
        cm_sha256_update(h, buf + off, c);
        off += c;
    }
    cm_sha256_final(h, chunked);
    assert_string_equal(one, chunked);

    /* 1 MB of 'a' is a known value too (sha256 of 1048576 x 'a') */
    memset(buf, 'a', n);
    h = cm_sha256_new();
    for (off = 0; off < n; off += 4099)
        cm_sha256_update(h, buf + off, n - off < 4099 ? n - off : 4099);
    cm_sha256_final(h, chunked);
    assert_string_equal(chunked, "9bc1b2a288b26af7257a36277ae3816a7d4f16e89c1e7e77d0a5c48bad62b360");
    hash_of(buf, n, one);
    assert_string_equal(one, chunked);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_abc),
        cmocka_unit_test(test_two_blocks),
        cmocka_unit_test(test_stream_chunks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
