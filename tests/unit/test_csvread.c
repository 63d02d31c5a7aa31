/* The pull CSV reader: fields, line numbers and raw text. */
#include "csvread.h"
#include "util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* An in-memory input delivering at most `chunk` bytes per read, failing with
 * -1 once `fail_at` bytes were delivered (if fail_at > 0). */
typedef struct mem_in {
    const char *data;
    size_t len, pos, chunk, fail_at;
} mem_in;

static long mem_read(void *ctx, void *buf, size_t n)
{
    mem_in *m = ctx;
    if (m->fail_at && m->pos >= m->fail_at)
        return -1;
    size_t left = m->len - m->pos;
    if (n > left)
        n = left;
    if (m->chunk && n > m->chunk)
        n = m->chunk;
    memcpy(buf, m->data + m->pos, n);
    m->pos += n;
    return (long)n;
}

/* Every row as "line:[f1][f2]...{raw}\n"; then "END" or "ERR:<message>". */
static char *dump_n(const char *data, size_t len, size_t chunk, char delim)
{
    mem_in m = {data, len, 0, chunk, 0};
    cm_csv_reader *r = cm_csv_reader_new(mem_read, &m, delim, '"');
    assert_non_null(r);
    char *acc = cm_xstrdup("");
    cm_csv_row row;
    int rc;
    while ((rc = cm_csv_reader_next(r, &row)) == 1) {
        char *s = cm_asprintf("%s%lld:", acc, (long long)row.line);
        free(acc);
        acc = s;
        for (size_t i = 0; i < row.nfields; i++) {
            assert_int_equal(strlen(row.fields[i]), row.lengths[i]);
            s = cm_asprintf("%s[%s]", acc, row.fields[i]);
            free(acc);
            acc = s;
        }
        s = cm_asprintf("%s{%.*s}\n", acc, (int)row.raw_len, row.raw);
        free(acc);
        acc = s;
    }
    char *s = rc == 0 ? cm_asprintf("%sEND", acc)
                      : cm_asprintf("%sERR:%s", acc, cm_csv_reader_error(r));
    free(acc);
    /* the end (or the error) is sticky */
    assert_int_equal(cm_csv_reader_next(r, &row), rc);
    cm_csv_reader_free(r);
    return s;
}

/* Reads data whole, in odd chunks and 1 byte at a time: all must agree. */
static void check(const char *data, char delim, const char *want)
{
    size_t len = strlen(data);
    char *a = dump_n(data, len, 0, delim);
    assert_string_equal(a, want);
    char *b = dump_n(data, len, 1, delim);
    assert_string_equal(b, want);
    char *c = dump_n(data, len, 7, delim);
    assert_string_equal(c, want);
    free(a);
    free(b);
    free(c);
}

static void test_asterisk(void **state)
{
    (void)state;
    const char *in =
        "\"\",\"+4512345678\",\"4012\",\"from-trunk\",\"\"\"Alice\"\" <4012>\",\"SIP/trunk-0001\","
        "\"SIP/4012-0002\",\"Dial\",\"SIP/4012,30\",\"2025-03-03 10:00:00\",\"2025-03-03 10:00:05\","
        "\"2025-03-03 10:03:05\",185,180,\"ANSWERED\",\"DOCUMENTATION\",\"1741000000.1\",\"\"\n"
        "a,,\"\",b,\n"
        ",\n";
    check(in, ',',
          "1:[][+4512345678][4012][from-trunk][\"Alice\" <4012>][SIP/trunk-0001][SIP/4012-0002]"
          "[Dial][SIP/4012,30][2025-03-03 10:00:00][2025-03-03 10:00:05][2025-03-03 10:03:05]"
          "[185][180][ANSWERED][DOCUMENTATION][1741000000.1][]"
          "{\"\",\"+4512345678\",\"4012\",\"from-trunk\",\"\"\"Alice\"\" <4012>\",\"SIP/trunk-0001\","
          "\"SIP/4012-0002\",\"Dial\",\"SIP/4012,30\",\"2025-03-03 10:00:00\",\"2025-03-03 10:00:05\","
          "\"2025-03-03 10:03:05\",185,180,\"ANSWERED\",\"DOCUMENTATION\",\"1741000000.1\",\"\"}\n"
          "2:[a][][][b][]{a,,\"\",b,}\n"
          "3:[][]{,}\n"
          "END");

    /* field count and exact lengths of the first row */
    mem_in m = {in, strlen(in), 0, 0, 0};
    cm_csv_reader *r = cm_csv_reader_new(mem_read, &m, ',', '"');
    cm_csv_row row;
    assert_int_equal(cm_csv_reader_next(r, &row), 1);
    assert_int_equal(row.nfields, 18);
    assert_int_equal(row.lengths[0], 0);
    assert_string_equal(row.fields[4], "\"Alice\" <4012>");
    assert_int_equal(row.lengths[4], 14);
    assert_string_equal(row.fields[12], "185");
    assert_int_equal(row.line, 1);
    assert_int_equal(row.raw_len, strchr(in, '\n') - in);
    assert_memory_equal(row.raw, in, row.raw_len);
    cm_csv_reader_free(r);
}

static void test_semicolon(void **state)
{
    (void)state;
    check("Dato;Nummer;Bel\xC3\xB8\x62\n2025-01-02;\"+45 12;34\";12,50\n", ';',
          "1:[Dato][Nummer][Bel\xC3\xB8\x62]{Dato;Nummer;Bel\xC3\xB8\x62}\n"
          "2:[2025-01-02][+45 12;34][12,50]{2025-01-02;\"+45 12;34\";12,50}\n"
          "END");
}

static void test_crlf(void **state)
{
    (void)state;
    check("a,b\r\n\"c\",d\r\n\r\ne,f\r\n", ',',
          "1:[a][b]{a,b}\n"
          "2:[c][d]{\"c\",d}\n"
          "4:[e][f]{e,f}\n"
          "END");
}

static void test_bom(void **state)
{
    (void)state;
    check("\xEF\xBB\xBFh1,h2\nv1,v2\n", ',', "1:[h1][h2]{h1,h2}\n2:[v1][v2]{v1,v2}\nEND");
    check("\xEF\xBB\xBF\"q\",x\n", ',', "1:[q][x]{\"q\",x}\nEND");
    check("\xEF\xBB\xBF", ',', "END");
    /* only at the very start */
    check("a\n\xEF\xBB\xBF\x62\n", ',', "1:[a]{a}\n2:[\xEF\xBB\xBF\x62]{\xEF\xBB\xBF\x62}\nEND");
}

static void test_blank_lines(void **state)
{
    (void)state;
    check("\n\na,b\n\n\r\n   \nc\n\n", ',',
          "3:[a][b]{a,b}\n"
          "7:[c]{c}\n"
          "END");
    check("", ',', "END");
    check("\n\n\n", ',', "END");
}

static void test_multiline_field(void **state)
{
    (void)state;
    check("id,note\n1,\"first\nsecond\"\n2,x\n", ',',
          "1:[id][note]{id,note}\n"
          "2:[1][first\nsecond]{1,\"first\nsecond\"}\n"
          "4:[2][x]{2,x}\n"
          "END");
    /* CRLF inside the field is kept; blank lines inside it too */
    check("1,\"a\r\n\r\nb\",c\r\n2\r\n", ',',
          "1:[1][a\r\n\r\nb][c]{1,\"a\r\n\r\nb\",c}\n"
          "4:[2]{2}\n"
          "END");
    /* a quote inside an unquoted field does not open a quoted field */
    check("5\" screen,x\nnext,y\n", ',',
          "1:[5\" screen][x]{5\" screen,x}\n"
          "2:[next][y]{next,y}\n"
          "END");
    /* an unterminated quoted field runs to the end of the input */
    check("a\n\"open,x\ny\n", ',', "1:[a]{a}\n2:[open,x\ny\n]{\"open,x\ny}\nEND");
}

static void test_last_line_without_newline(void **state)
{
    (void)state;
    check("a,b\nc,d", ',', "1:[a][b]{a,b}\n2:[c][d]{c,d}\nEND");
    check("a,b\nc,d\r", ',', "1:[a][b]{a,b}\n2:[c][d]{c,d}\nEND");
    check("x", ',', "1:[x]{x}\nEND");
    check("\"q\nr\"", ',', "1:[q\nr]{\"q\nr\"}\nEND");
    check("a\n  ", ',', "1:[a]{a}\nEND");
}

static char *long_line(size_t n)
{
    char *s = cm_xmalloc(n + 1);
    memset(s, 'x', n);
    s[n] = '\0';
    return s;
}

static void test_record_limit(void **state)
{
    (void)state;
    /* exactly the limit is fine */
    char *ok = long_line(CM_CSV_MAX_RECORD);
    char *in = cm_asprintf("a\n%s\nb\n", ok);
    char *got = dump_n(in, strlen(in), 0, ',');
    char *want = cm_asprintf("1:[a]{a}\n2:[%s]{%s}\n3:[b]{b}\nEND", ok, ok);
    assert_string_equal(got, want);
    free(got);
    free(want);
    free(in);
    free(ok);

    /* one byte more is an error naming the record's first line */
    char *big = long_line(CM_CSV_MAX_RECORD + 1);
    in = cm_asprintf("a\n\nb,%s\nc\n", big + 2);
    got = dump_n(in, strlen(in), 0, ',');
    assert_string_equal(got, "1:[a]{a}\nERR:line 3: record longer than 1048576 bytes");
    free(got);
    got = dump_n(in, strlen(in), 4093, ',');
    assert_string_equal(got, "1:[a]{a}\nERR:line 3: record longer than 1048576 bytes");
    free(got);
    free(in);

    /* the same without a line end, and a quoted field that never closes */
    got = dump_n(big, strlen(big), 0, ',');
    assert_string_equal(got, "ERR:line 1: record longer than 1048576 bytes");
    free(got);
    in = cm_asprintf("h\n\"%s\n", big);
    for (size_t i = 3, inlen = strlen(in); i < inlen; i += 1000)
        in[i] = '\n';
    got = dump_n(in, strlen(in), 0, ',');
    assert_string_equal(got, "1:[h]{h}\nERR:line 2: record longer than 1048576 bytes");
    free(got);
    free(in);

    /* a very long input of normal records is not limited */
    size_t n = 30000;
    size_t len = n * 100;
    char *many = cm_xmalloc(len + 1);
    for (size_t i = 0; i < n; i++) {
        memset(many + i * 100, 'y', 99);
        many[i * 100 + 99] = '\n';
    }
    many[len] = '\0';
    mem_in m = {many, len, 0, 0, 0};
    cm_csv_reader *r = cm_csv_reader_new(mem_read, &m, ',', '"');
    cm_csv_row row;
    size_t k = 0;
    while (cm_csv_reader_next(r, &row) == 1) {
        k++;
        assert_int_equal(row.line, (int64_t)k);
        assert_int_equal(row.nfields, 1);
        assert_int_equal(row.lengths[0], 99);
        assert_int_equal(row.raw_len, 99);
    }
    assert_int_equal(k, n);
    cm_csv_reader_free(r);
    free(many);
    free(big);
}

static void test_one_byte_reads(void **state)
{
    (void)state;
    /* check() reads everything at once, 1 byte and 7 bytes at a time */
    check("\xEF\xBB\xBF\"x\"\"y\",\"a\nb\"\r\n\r\n1;2,3\r\nlast,\"\"", ',',
          "1:[x\"y][a\nb]{\"x\"\"y\",\"a\nb\"}\n"
          "4:[1;2][3]{1;2,3}\n"
          "5:[last][]{last,\"\"}\n"
          "END");
}

static void test_raw_equals_line(void **state)
{
    (void)state;
    const char *lines[] = {
        "plain,fields,here",
        "  spaced , \"quoted \"\"x\"\" \" ,tail  ",
        "\"\",\"\",\"\"",
        "a;b;c",
        "\t\"tab\"\t,x",
    };
    size_t n = sizeof lines / sizeof *lines;
    char *in = cm_xstrdup("");
    for (size_t i = 0; i < n; i++) {
        char *s = cm_asprintf("%s%s%s", in, lines[i], i % 2 ? "\r\n" : "\n");
        free(in);
        in = s;
    }
    mem_in m = {in, strlen(in), 0, 5, 0};
    cm_csv_reader *r = cm_csv_reader_new(mem_read, &m, ',', '"');
    cm_csv_row row;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(cm_csv_reader_next(r, &row), 1);
        assert_int_equal(row.line, (int64_t)i + 1);
        assert_int_equal(row.raw_len, strlen(lines[i]));
        assert_memory_equal(row.raw, lines[i], row.raw_len);
    }
    assert_int_equal(cm_csv_reader_next(r, &row), 0);
    cm_csv_reader_free(r);
    free(in);
}

static void test_read_error(void **state)
{
    (void)state;
    const char *in = "a,b\nc,d\ne,f\n";
    mem_in m = {in, strlen(in), 0, 4, 4};
    cm_csv_reader *r = cm_csv_reader_new(mem_read, &m, ',', '"');
    cm_csv_row row;
    assert_int_equal(cm_csv_reader_next(r, &row), 1);
    assert_string_equal(row.fields[0], "a");
    assert_int_equal(cm_csv_reader_next(r, &row), -1);
    assert_string_equal(cm_csv_reader_error(r), "read error");
    assert_int_equal(cm_csv_reader_next(r, &row), -1);
    cm_csv_reader_free(r);

    /* a failure before anything was read */
    mem_in m2 = {in, strlen(in), 0, 4, 0};
    m2.fail_at = 1;
    m2.pos = 1;
    r = cm_csv_reader_new(mem_read, &m2, ',', '"');
    assert_int_equal(cm_csv_reader_next(r, &row), -1);
    assert_string_equal(cm_csv_reader_error(r), "read error");
    cm_csv_reader_free(r);
}

/* Rows stay valid until the next call even when the buffer moves. */
static void test_many_fields(void **state)
{
    (void)state;
    size_t nf = 5000;
    size_t cap = 3 * nf * 12 + 1, len = 0;
    char *in = cm_xmalloc(cap);
    for (int rep = 0; rep < 3; rep++) {
        for (size_t i = 0; i < nf; i++)
            len += (size_t)snprintf(in + len, cap - len, "%s\"f%zu\"", i ? "," : "", i);
        len += (size_t)snprintf(in + len, cap - len, "\n");
    }
    mem_in m = {in, len, 0, 1000, 0};
    cm_csv_reader *r = cm_csv_reader_new(mem_read, &m, ',', '"');
    cm_csv_row row;
    for (int rep = 0; rep < 3; rep++) {
        assert_int_equal(cm_csv_reader_next(r, &row), 1);
        assert_int_equal(row.nfields, nf);
        assert_int_equal(row.line, rep + 1);
        char want[32];
        for (size_t i = 0; i < nf; i++) {
            snprintf(want, sizeof want, "f%zu", i);
            assert_string_equal(row.fields[i], want);
        }
    }
    assert_int_equal(cm_csv_reader_next(r, &row), 0);
    cm_csv_reader_free(r);
    free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_asterisk),
        cmocka_unit_test(test_semicolon),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_blank_lines),
        cmocka_unit_test(test_multiline_field),
        cmocka_unit_test(test_last_line_without_newline),
        cmocka_unit_test(test_record_limit),
        cmocka_unit_test(test_one_byte_reads),
        cmocka_unit_test(test_raw_equals_line),
        cmocka_unit_test(test_read_error),
        cmocka_unit_test(test_many_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
