/* Telephone numbers to E.164 with a classification, after the Danish
 * numbering plan (docs: vendor-formats.md 5.1).  Runs per record: no
 * allocation, no global mutable state. */
#include "phone.h"

#include <string.h>

/* ---------------------------------------------------------------- data */

/* Short numbers, matched against the whole digit string as dialled. */
typedef struct short_number {
    const char *prefix;
    size_t len; /* total number of digits */
    const char *what;
} short_number;

static const short_number SHORT_NUMBERS[] = {
    {"112", 3, "emergency"},
    {"114", 3, "police, non-emergency"},
    {"116", 6, "harmonised EU service (116xxx)"},
    {"118", 3, "directory enquiries"},
    {"1801", 4, "service number"},
    {"1810", 4, "service number"},
    {"1812", 4, "service number"},
    {"1813", 4, "medical helpline, Capital Region"},
    {"1818", 4, "service number"},
    {"1828", 4, "service number"},
    {"1830", 4, "service number"},
    {"1851", 4, "service number"},
    {"1853", 4, "service number"},
    {"1881", 4, "service number"},
    {"1888", 4, "service number"},
    {"16190", 5, "service number"},
    {"16191", 5, "service number"},
    {"16192", 5, "service number"},
    {"18", 4, "service number (18xx)"}, /* any other 18xx */
};

/* Classification of 8-digit national significant numbers by leading digits.
 * The first matching row wins; no row means CM_NUM_NATIONAL.  Mobile and
 * fixed-line ranges overlap and numbers are portable, so the digits never
 * make a number CM_NUM_MOBILE or CM_NUM_FIXED. */
typedef struct national_prefix {
    const char *prefix;
    cm_number_type type;
    const char *why; /* for CM_NUM_UNKNOWN rows */
} national_prefix;

static const national_prefix NATIONAL_PREFIXES[] = {
    {"80", CM_NUM_SPECIAL, NULL}, /* freephone */
    {"90", CM_NUM_SPECIAL, NULL}, /* premium rate */
    {"70", CM_NUM_SPECIAL, NULL}, /* shared cost */
    {"0", CM_NUM_UNKNOWN, "Danish numbers do not start with 0 or 1"},
    {"1", CM_NUM_UNKNOWN, "Danish numbers do not start with 0 or 1"},
};

/* Values that stand for a withheld or missing caller id (compared
 * case-insensitively with the whole trimmed value, or a URI's user part). */
static const char *const HIDDEN_WORDS[] = {
    "anonymous", "hidden", "private", "restricted", "unknown",
    "unavailable", "skjult nummer", "skjult", "ukendt",
};

#define DK_CC "45"
#define DK_NSN_LEN 8
#define E164_MIN 8  /* digits after '+' accepted for an international number */
#define E164_MAX 15
#define MAX_DIGITS 32

/* ---------------------------------------------------------------- helpers */

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (unsigned char)c >= 0x80;
}
static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

/* Case-insensitive (ASCII) comparison of s[0..n) with the C string w. */
static int eq_nocase(const char *s, size_t n, const char *w)
{
    size_t i = 0;
    for (; i < n && w[i]; i++)
        if (lower(s[i]) != w[i])
            return 0;
    return i == n && w[i] == '\0';
}

static int starts_nocase(const char *s, size_t n, const char *w)
{
    size_t i = 0;
    for (; w[i]; i++)
        if (i >= n || lower(s[i]) != w[i])
            return 0;
    return 1;
}

static int is_hidden_word(const char *s, size_t n)
{
    for (size_t i = 0; i < ARRAY_LEN(HIDDEN_WORDS); i++)
        if (eq_nocase(s, n, HIDDEN_WORDS[i]))
            return 1;
    return 0;
}

static const short_number *find_short(const char *d, size_t n)
{
    for (size_t i = 0; i < ARRAY_LEN(SHORT_NUMBERS); i++) {
        const short_number *s = &SHORT_NUMBERS[i];
        if (n == s->len && strncmp(d, s->prefix, strlen(s->prefix)) == 0)
            return s;
    }
    return NULL;
}

/* Writes the concatenation of a (may be NULL) and b[0..bn) into out.
 * Returns 0, or -1 when it does not fit. */
static int put(char *out, size_t outsz, const char *a, const char *b, size_t bn)
{
    const size_t an = a ? strlen(a) : 0;
    if (!out || an + bn + 1 > outsz)
        return -1;
    if (an)
        memcpy(out, a, an);
    memcpy(out + an, b, bn);
    out[an + bn] = '\0';
    return 0;
}

typedef struct result {
    cm_number_type type;
    const char *why;     /* CM_NUM_UNKNOWN */
    const char *prefix;  /* written before the digits ("+45", "+", an extension prefix) */
    const char *digits;
    size_t ndigits;
} result;

static result unknown(const char *why)
{
    result r = {CM_NUM_UNKNOWN, why, NULL, NULL, 0};
    return r;
}

static result number(cm_number_type t, const char *prefix, const char *d, size_t n)
{
    result r = {t, NULL, prefix, d, n};
    return r;
}

/* d[0..n) follows +45 or 0045, or is a domestic number without prefix. */
static result danish(const char *d, size_t n)
{
    if (find_short(d, n))
        return number(CM_NUM_SHORT, NULL, d, n);
    if (n < DK_NSN_LEN)
        return unknown("too few digits for a Danish number");
    if (n > DK_NSN_LEN)
        return unknown("too many digits");
    for (size_t i = 0; i < ARRAY_LEN(NATIONAL_PREFIXES); i++) {
        const national_prefix *p = &NATIONAL_PREFIXES[i];
        if (strncmp(d, p->prefix, strlen(p->prefix)) == 0) {
            if (p->type == CM_NUM_UNKNOWN)
                return unknown(p->why);
            return number(p->type, "+" DK_CC, d, n);
        }
    }
    return number(CM_NUM_NATIONAL, "+" DK_CC, d, n);
}

/* d[0..n): the digits after '+' or "00". */
static result international(const char *d, size_t n)
{
    if (n >= 2 && memcmp(d, DK_CC, 2) == 0)
        return danish(d + 2, n - 2);
    if (n == 0 || d[0] == '0')
        return unknown("no country code after the international prefix");
    if (n < E164_MIN)
        return unknown("too few digits for an international number");
    if (n > E164_MAX)
        return unknown("too many digits");
    return number(CM_NUM_INTERNATIONAL, "+", d, n);
}

/* ---------------------------------------------------------------- API */

cm_number_type cm_number_normalize(const char *raw, const char *extension_prefix,
                                   int extension_len, char *out, size_t outsz, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    *why = NULL;
    if (!raw)
        raw = "";

    /* trim */
    const char *s = raw, *e = raw + strlen(raw);
    while (s < e && is_space(*s))
        s++;
    while (e > s && is_space(e[-1]))
        e--;

    result r;
    if (s == e || is_hidden_word(s, (size_t)(e - s))) {
        r = number(CM_NUM_HIDDEN, NULL, "hidden", 6);
        goto done;
    }

    /* "Display Name" <sip:...>: the part in angle brackets */
    const char *lt = memchr(s, '<', (size_t)(e - s));
    if (lt) {
        const char *gt = memchr(lt, '>', (size_t)(e - lt));
        if (gt) {
            s = lt + 1;
            e = gt;
        }
    }
    /* sip:USER@host;params, sips:..., tel:NUMBER;params: keep the user part */
    const size_t len = (size_t)(e - s);
    size_t skip = starts_nocase(s, len, "sip:") ? 4
                  : starts_nocase(s, len, "sips:") ? 5
                  : starts_nocase(s, len, "tel:")  ? 4
                                                   : 0;
    if (skip) {
        s += skip;
        for (const char *p = s; p < e; p++) {
            if (*p == '@' || *p == ';' || *p == '?') {
                e = p;
                break;
            }
        }
    }
    while (s < e && is_space(*s))
        s++;
    while (e > s && is_space(e[-1]))
        e--;
    if (s == e || is_hidden_word(s, (size_t)(e - s))) {
        r = number(CM_NUM_HIDDEN, NULL, "hidden", 6);
        goto done;
    }

    /* keep digits and a leading '+'; drop separators */
    char digits[MAX_DIGITS];
    size_t n = 0, total = 0;
    int plus = 0, letters = 0, invalid = 0;
    for (const char *p = s; p < e; p++) {
        const char c = *p;
        if (is_digit(c)) {
            if (n < sizeof digits)
                digits[n++] = c;
            total++;
        } else if (c == '+' && total == 0 && !plus) {
            plus = 1;
        } else if (is_space(c) || c == '-' || c == '.' || c == '(' || c == ')' || c == '/') {
            continue;
        } else if (is_alpha(c)) {
            letters = 1;
        } else {
            invalid = 1;
        }
    }
    if (letters) {
        r = unknown("contains letters");
    } else if (invalid) {
        r = unknown("contains characters other than digits");
    } else if (total == 0) {
        /* only separators ("-", "()"): nothing was dialled */
        r = plus ? unknown("no digits") : number(CM_NUM_HIDDEN, NULL, "hidden", 6);
    } else if (total > MAX_DIGITS) {
        r = unknown("too many digits");
    } else if (plus) {
        r = international(digits, n);
    } else if (n >= 2 && digits[0] == '0' && digits[1] == '0') {
        r = international(digits + 2, n - 2);
    } else if (find_short(digits, n)) {
        /* The short-number table wins over extensions: with 4-digit
         * extensions, 1813 is still the medical helpline, not extension 1813. */
        r = number(CM_NUM_SHORT, NULL, digits, n);
    } else if (extension_len > 0 && n == (size_t)extension_len) {
        r = number(CM_NUM_INTERNAL, extension_prefix, digits, n);
    } else if (n == 10 && memcmp(digits, DK_CC, 2) == 0) {
        r = danish(digits + 2, 8); /* 45XXXXXXXX */
    } else if (n == DK_NSN_LEN + 1 && digits[0] == '0') {
        r = danish(digits + 1, DK_NSN_LEN); /* outside-line 0 */
    } else {
        r = danish(digits, n);
    }

done:
    if (r.type != CM_NUM_UNKNOWN && put(out, outsz, r.prefix, r.digits, r.ndigits) != 0)
        r = unknown("number too long");
    if (r.type == CM_NUM_UNKNOWN) {
        *why = r.why;
        if (out && outsz) {
            const size_t rl = strlen(raw);
            const size_t k = rl < outsz - 1 ? rl : outsz - 1;
            memcpy(out, raw, k);
            out[k] = '\0';
        }
    }
    return r.type;
}

const char *cm_number_type_name(cm_number_type t)
{
    static const char *const names[] = {
        [CM_NUM_UNKNOWN] = "unknown",   [CM_NUM_NATIONAL] = "national",
        [CM_NUM_MOBILE] = "mobile",     [CM_NUM_FIXED] = "fixed",
        [CM_NUM_SPECIAL] = "special",   [CM_NUM_SHORT] = "short",
        [CM_NUM_INTERNATIONAL] = "international", [CM_NUM_HIDDEN] = "hidden",
        [CM_NUM_INTERNAL] = "internal",
    };
    if ((unsigned)t >= ARRAY_LEN(names) || !names[t])
        return "unknown";
    return names[t];
}
