/*
 * TDC traffic exports (kinds mobile-cdr and fixed-cdr): one call per line,
 * with a header row. TDC publishes no specification of these exports, so the
 * layout is configuration; the defaults are
 *
 *   ';'-separated, Windows-1252, header
 *   Abonnement;Dato;Tidspunkt;Varighed;Retning;Modpart;Kaldstype;Status;Viderestillet til;Beløb
 *
 *   Abonnement         the municipality's subscription (local_number)
 *   Dato, Tidspunkt    local wall time, dd-mm-yyyy and HH:MM:SS
 *   Varighed           HH:MM:SS (or whole seconds)
 *   Retning            Indgående | Udgående
 *   Modpart            the other party ("Skjult nummer" when withheld)
 *   Kaldstype          Mobil | Fastnet | Udland | Service | Voicemail (optional)
 *   Status             Besvaret | Ubesvaret | Optaget | Viderestillet
 *   Viderestillet til  where a forwarded call went (optional)
 *   Beløb              the charge in DKK, decimal comma (optional)
 *
 * Columns are found by header name, in any order; options column.* rename
 * them and the value words are options too, so an export with other headings
 * loads with pipeline options alone.
 */
#include "tdc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const cm_option_def tdc_cdr_options[] = {
    {"separator", CM_OPT_STRING, ";", 0, offsetof(tdc_cdr_config, separator),
     "field separator, one character"},
    {"encoding", CM_OPT_STRING, "WINDOWS-1252", 0, offsetof(tdc_cdr_config, encoding),
     "character set of the export, an iconv name (WINDOWS-1252, ISO-8859-1, UTF-8, ...); "
     "with UTF-8 a line that is not valid UTF-8 is rejected"},
    {"date-format", CM_OPT_STRING, "dd-mm-yyyy", 0, offsetof(tdc_cdr_config, date_format),
     "layout of the date column: dd, mm, yyyy and separators, e.g. yyyy-mm-dd"},
    {"decimal-comma", CM_OPT_BOOL, "true", 0, offsetof(tdc_cdr_config, decimal_comma),
     "the charge has a decimal comma (1.234,50); false: a decimal point (1234.50)"},
    {"column.*", CM_OPT_LIST, NULL, 0, offsetof(tdc_cdr_config, columns),
     "header of a column, e.g. column.date=Startdato; columns: subscription, date, time, "
     "duration, direction, remote, call-type, status, forwarded-to, charge (an empty value: "
     "an optional column the export does not have; date and time may name the same column)"},
    {"direction-in", CM_OPT_STRING, "Indgående", 0, offsetof(tdc_cdr_config, direction_in),
     "direction word of an incoming call"},
    {"direction-out", CM_OPT_STRING, "Udgående", 0, offsetof(tdc_cdr_config, direction_out),
     "direction word of an outgoing call"},
    {"call-type-mobile", CM_OPT_STRING, "Mobil", 0, offsetof(tdc_cdr_config, type_mobile),
     "call type of a call with a mobile number (remote_type mobile)"},
    {"call-type-fixed", CM_OPT_STRING, "Fastnet", 0, offsetof(tdc_cdr_config, type_fixed),
     "call type of a call with a landline number (remote_type fixed)"},
    {"call-type-international", CM_OPT_STRING, "Udland", 0,
     offsetof(tdc_cdr_config, type_international), "call type of a call abroad"},
    {"call-type-service", CM_OPT_STRING, "Service", 0, offsetof(tdc_cdr_config, type_service),
     "call type of a call with a service or short number"},
    {"call-type-voicemail", CM_OPT_STRING, "Voicemail", 0, offsetof(tdc_cdr_config, type_voicemail),
     "call type of a call that went to voicemail (outcome voicemail)"},
    {"status-answered", CM_OPT_STRING, "Besvaret", 0, offsetof(tdc_cdr_config, status_answered),
     "status of an answered call"},
    {"status-missed", CM_OPT_STRING, "Ubesvaret", 0, offsetof(tdc_cdr_config, status_missed),
     "status of an unanswered call"},
    {"status-busy", CM_OPT_STRING, "Optaget", 0, offsetof(tdc_cdr_config, status_busy),
     "status of a call that met a busy line"},
    {"status-forwarded", CM_OPT_STRING, "Viderestillet", 0,
     offsetof(tdc_cdr_config, status_forwarded),
     "status of a forwarded call (transferred = 1, transferred_to = the forwarded-to column)"},
    {0},
};

enum column {
    C_SUBSCRIPTION, C_DATE, C_TIME, C_DURATION, C_DIRECTION, C_REMOTE, C_CALL_TYPE, C_STATUS,
    C_FORWARDED_TO, C_CHARGE, C__COUNT
};

static const struct column_def {
    const char *key;    /* column.KEY */
    const char *header; /* TDC's heading */
    int required;
} COLUMNS[C__COUNT] = {
    [C_SUBSCRIPTION] = {"subscription", "Abonnement", 1},
    [C_DATE] = {"date", "Dato", 1},
    [C_TIME] = {"time", "Tidspunkt", 1},
    [C_DURATION] = {"duration", "Varighed", 1},
    [C_DIRECTION] = {"direction", "Retning", 1},
    [C_REMOTE] = {"remote", "Modpart", 1},
    [C_CALL_TYPE] = {"call-type", "Kaldstype", 0},
    [C_STATUS] = {"status", "Status", 1},
    [C_FORWARDED_TO] = {"forwarded-to", "Viderestillet til", 0},
    [C_CHARGE] = {"charge", "Beløb", 0},
};

enum call_type { T_NONE, T_MOBILE, T_FIXED, T_INTERNATIONAL, T_SERVICE, T_VOICEMAIL };
enum status { S_ANSWERED, S_MISSED, S_BUSY, S_FORWARDED };

#define FIELD_MAX 256 /* a value longer than this is cut (the reject keeps the raw line) */
#define NUM_MAX 64

typedef struct cdr_state {
    const cm_api *api;
    cm_instance *inst;
    tdc_cdr_config cfg;
    const char *channel;
    char sep;
    int check_utf8;               /* the export is declared UTF-8: check every line */
    const char *header[C__COUNT]; /* the heading of each column; NULL: not in the export */
    /* per file */
    int idx[C__COUNT]; /* field index, -1: absent */
    size_t nfields;    /* fields of the header row */
} cdr_state;

/* ---------------------------------------------------------------- text helpers */

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

/* Equal ignoring ASCII case (other bytes exactly). */
static int same_word(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (lower(*a) != lower(*b))
            return 0;
    return *a == *b;
}

static int is_utf8_name(const char *enc) { return same_word(enc, "UTF-8") || same_word(enc, "UTF8"); }

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* Copies s trimmed of spaces into out (cut to outsz - 1 bytes). */
static const char *trim_copy(const char *s, char *out, size_t outsz)
{
    while (is_space(*s))
        s++;
    size_t n = strlen(s);
    while (n && is_space(s[n - 1]))
        n--;
    if (n >= outsz)
        n = outsz - 1;
    memcpy(out, s, n);
    out[n] = '\0';
    return out;
}

/* UTF-8 text that went through a Windows-1252 decoder shows "Ã" (U+00C3)
 * before another character, and a UTF-8 byte order mark becomes "ï»¿": a
 * hint for the reason. */
static const char *mojibake_hint(const char *text)
{
    return strstr(text, "\xC3\x83") || strstr(text, "\xC3\xAF\xC2\xBB\xC2\xBF")
               ? " (this looks like UTF-8 text read as another encoding: set the option "
                 "encoding to UTF-8)"
               : "";
}

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return n > 0;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* 'H:MM', 'HH:MM', 'H:MM:SS' or 'HH:MM:SS' (':' or '.' between). */
static int parse_clock(const char *s, int *h, int *mi, int *sec)
{
    size_t hn = 0;
    while (s[hn] >= '0' && s[hn] <= '9')
        hn++;
    if (hn < 1 || hn > 2 || (s[hn] != ':' && s[hn] != '.'))
        return -1;
    char sepc = s[hn];
    const char *m = s + hn + 1;
    if (!digits(m, 2))
        return -1;
    *h = num(s, hn), *mi = num(m, 2), *sec = 0;
    if (m[2] == sepc) {
        if (!digits(m + 3, 2) || m[5] != '\0')
            return -1;
        *sec = num(m + 3, 2);
    } else if (m[2] != '\0') {
        return -1;
    }
    return *h < 24 && *mi < 60 && *sec < 60 ? 0 : -1;
}

/* 'H:MM:SS' (any number of hours) or whole seconds. */
static int parse_duration(const char *s, int64_t *out)
{
    size_t n = strlen(s);
    if (n == 0)
        return -1;
    if (digits(s, n)) {
        if (n > 9)
            return -1;
        *out = num(s, n);
        return 0;
    }
    size_t hn = 0;
    while (s[hn] >= '0' && s[hn] <= '9')
        hn++;
    if (hn < 1 || hn > 5 || s[hn] != ':' || n != hn + 6 || !digits(s + hn + 1, 2) ||
        s[hn + 3] != ':' || !digits(s + hn + 4, 2))
        return -1;
    int mi = num(s + hn + 1, 2), sec = num(s + hn + 4, 2);
    if (mi >= 60 || sec >= 60)
        return -1;
    *out = (int64_t)num(s, hn) * 3600 + mi * 60 + sec;
    return 0;
}

/* ---------------------------------------------------------------- init */

static int cdr_init(const cm_api *api, cm_instance *inst, const void *config, void **state,
                    const char *channel)
{
    const tdc_cdr_config *cfg = config;
    if (strlen(cfg->separator) != 1 || cfg->separator[0] == '"' || cfg->separator[0] == '\n' ||
        cfg->separator[0] == '\r') {
        api->log(inst, CM_LOG_ERROR, "separator must be one character (not a quote or line end), "
                                     "not '%s'", cfg->separator);
        return CM_ERROR;
    }
    if (!api->encoding_known(cfg->encoding)) {
        api->log(inst, CM_LOG_ERROR, "encoding '%s' is not known (use an iconv name such as "
                                     "WINDOWS-1252, ISO-8859-1 or UTF-8)", cfg->encoding);
        return CM_ERROR;
    }
    const char *f = cfg->date_format;
    if (!strstr(f, "dd") || !strstr(f, "mm") || !strstr(f, "yyyy")) {
        api->log(inst, CM_LOG_ERROR, "date-format '%s' must hold dd, mm and yyyy (e.g. dd-mm-yyyy)",
                 f);
        return CM_ERROR;
    }
    const struct {
        const char *name, *value;
    } words[] = {
        {"direction-in", cfg->direction_in},
        {"direction-out", cfg->direction_out},
        {"call-type-mobile", cfg->type_mobile},
        {"call-type-fixed", cfg->type_fixed},
        {"call-type-international", cfg->type_international},
        {"call-type-service", cfg->type_service},
        {"call-type-voicemail", cfg->type_voicemail},
        {"status-answered", cfg->status_answered},
        {"status-missed", cfg->status_missed},
        {"status-busy", cfg->status_busy},
        {"status-forwarded", cfg->status_forwarded},
    };
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        if (!words[i].value[0]) {
            api->log(inst, CM_LOG_ERROR, "%s must not be empty", words[i].name);
            return CM_ERROR;
        }
    }

    cdr_state *st = calloc(1, sizeof *st);
    if (!st)
        return CM_ERROR;
    st->api = api;
    st->inst = inst;
    st->cfg = *cfg;
    st->channel = channel;
    st->sep = cfg->separator[0];
    st->check_utf8 = is_utf8_name(cfg->encoding);
    for (int c = 0; c < C__COUNT; c++)
        st->header[c] = COLUMNS[c].header;
    for (const char *const *e = cfg->columns; e && *e; e++) {
        const char *eq = strchr(*e, '=');
        size_t kn = eq ? (size_t)(eq - *e) : strlen(*e);
        int c = 0;
        while (c < C__COUNT && !(strlen(COLUMNS[c].key) == kn && strncmp(COLUMNS[c].key, *e, kn) == 0))
            c++;
        if (c == C__COUNT || !eq) {
            api->log(inst, CM_LOG_ERROR,
                     "unknown column 'column.%.*s'; columns: subscription, date, time, duration, "
                     "direction, remote, call-type, status, forwarded-to, charge",
                     (int)kn, *e);
            free(st);
            return CM_ERROR;
        }
        const char *v = eq + 1;
        while (is_space(*v))
            v++;
        if (!*v && COLUMNS[c].required) {
            api->log(inst, CM_LOG_ERROR, "column.%s must name a heading: the column is required",
                     COLUMNS[c].key);
            free(st);
            return CM_ERROR;
        }
        st->header[c] = *v ? v : NULL;
    }
    *state = st;
    return CM_OK;
}

int tdc_mobile_cdr_init(const cm_api *api, cm_instance *inst, const void *config, void **state)
{
    return cdr_init(api, inst, config, state, "mobile");
}

int tdc_fixed_cdr_init(const cm_api *api, cm_instance *inst, const void *config, void **state)
{
    return cdr_init(api, inst, config, state, "fixed");
}

void tdc_cdr_destroy(void *state) { free(state); }

/* ---------------------------------------------------------------- header */

/* The heading names of the row, quoted and comma-separated, cut at outsz. */
static void list_headings(const cm_csv_row *row, char *out, size_t outsz)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < row->nfields && used + 1 < outsz; i++) {
        char h[FIELD_MAX];
        int n = snprintf(out + used, outsz - used, "%s'%s'", i ? ", " : "",
                         trim_copy(row->fields[i], h, sizeof h));
        if (n < 0 || (size_t)n >= outsz - used) {
            used = outsz - 1;
            if (outsz > 4)
                memcpy(out + outsz - 4, "...", 4);
            break;
        }
        used += (size_t)n;
    }
}

static int map_header(cdr_state *st, cm_stream *s, const cm_csv_row *row)
{
    const cm_api *api = st->api;
    if (st->check_utf8 && !api->utf8_valid(row->raw, row->raw_len)) {
        api->fail(s, "the header row is not valid UTF-8, but the source's encoding is UTF-8: the "
                     "export is probably Windows-1252 (set the option encoding to WINDOWS-1252)");
        return CM_ERROR;
    }
    st->nfields = row->nfields;
    for (int c = 0; c < C__COUNT; c++) {
        st->idx[c] = -1;
        if (!st->header[c])
            continue;
        for (size_t i = 0; i < row->nfields; i++) {
            char h[FIELD_MAX];
            if (same_word(trim_copy(row->fields[i], h, sizeof h), st->header[c])) {
                st->idx[c] = (int)i;
                break;
            }
        }
    }
    char missing[512] = "";
    size_t used = 0;
    int nmissing = 0;
    for (int c = 0; c < C__COUNT; c++) {
        if (st->idx[c] >= 0 || !COLUMNS[c].required)
            continue;
        int n = snprintf(missing + used, sizeof missing - used, "%s'%s' (column.%s)",
                         nmissing ? ", " : "", st->header[c], COLUMNS[c].key);
        if (n > 0 && (size_t)n < sizeof missing - used)
            used += (size_t)n;
        nmissing++;
    }
    if (nmissing) {
        char found[1024];
        list_headings(row, found, sizeof found);
        api->fail(s, "the header row lacks the column%s %s; its headings are %s%s%s",
                  nmissing > 1 ? "s" : "", missing, found,
                  " (name the export's headings with the options column.*)",
                  mojibake_hint(found));
        return CM_ERROR;
    }
    return CM_OK;
}

/* ---------------------------------------------------------------- records */

static const char *type_word(const cdr_state *st, enum call_type t)
{
    switch (t) {
    case T_MOBILE: return st->cfg.type_mobile;
    case T_FIXED: return st->cfg.type_fixed;
    case T_INTERNATIONAL: return st->cfg.type_international;
    case T_SERVICE: return st->cfg.type_service;
    case T_VOICEMAIL: return st->cfg.type_voicemail;
    default: return "";
    }
}

/* remote_type from the operator's call type and the number's own class. */
static const char *remote_type_of(cdr_state *st, cm_stream *s, enum call_type t, cm_number_type n)
{
    const cm_api *api = st->api;
    if (n == CM_NUM_HIDDEN || n == CM_NUM_UNKNOWN || t == T_NONE || t == T_VOICEMAIL)
        return api->number_type_name(n);
    int agrees;
    switch (t) {
    case T_MOBILE:
        if (n == CM_NUM_NATIONAL || n == CM_NUM_MOBILE)
            return "mobile"; /* the digits cannot tell; the operator can */
        agrees = 0;
        break;
    case T_FIXED:
        if (n == CM_NUM_NATIONAL || n == CM_NUM_FIXED)
            return "fixed";
        agrees = 0;
        break;
    case T_INTERNATIONAL: agrees = n == CM_NUM_INTERNATIONAL; break;
    case T_SERVICE: agrees = n == CM_NUM_SPECIAL || n == CM_NUM_SHORT; break;
    default: agrees = 1;
    }
    if (!agrees)
        api->count(s, "call_type_disagrees_with_number", 1);
    return api->number_type_name(n);
}

static int process(cdr_state *st, cm_stream *s, const cm_csv_row *row)
{
    const cm_api *api = st->api;
    const tdc_cdr_config *cfg = &st->cfg;
    if (st->check_utf8 && !api->utf8_valid(row->raw, row->raw_len))
        return cm_reject_row(st->api, s, row, "the line is not valid UTF-8, but the source's encoding is UTF-8: "
                               "it is probably Windows-1252 (if the whole export is, set the "
                               "option encoding to WINDOWS-1252)");
    if (row->nfields != st->nfields)
        return cm_reject_row(st->api, s, row, "expected %zu columns as in the header, found %zu", st->nfields,
                   row->nfields);

    char f[C__COUNT][FIELD_MAX];
    for (int c = 0; c < C__COUNT; c++)
        trim_copy(st->idx[c] >= 0 ? row->fields[st->idx[c]] : "", f[c], FIELD_MAX);

    /* date and time, or one column with both */
    char datebuf[FIELD_MAX], timebuf[FIELD_MAX];
    const char *date = f[C_DATE], *clock = f[C_TIME];
    if (st->idx[C_TIME] == st->idx[C_DATE]) {
        size_t k = strcspn(f[C_DATE], " T");
        memcpy(datebuf, f[C_DATE], k);
        datebuf[k] = '\0';
        trim_copy(f[C_DATE] + k + (f[C_DATE][k] ? 1 : 0), timebuf, sizeof timebuf);
        date = datebuf, clock = timebuf;
    }
    int y, mo, d, h, mi, sec;
    if (api->parse_date(date, cfg->date_format, &y, &mo, &d) != CM_OK)
        return cm_reject_row(st->api, s, row, "date '%s' is not a date written %s", date, cfg->date_format);
    if (parse_clock(clock, &h, &mi, &sec) != 0)
        return cm_reject_row(st->api, s, row, "time '%s' is not a time of day HH:MM:SS", clock);
    int64_t duration;
    if (parse_duration(f[C_DURATION], &duration) != 0)
        return cm_reject_row(st->api, s, row, "duration '%s' is not HH:MM:SS or whole seconds", f[C_DURATION]);

    const char *direction;
    if (same_word(f[C_DIRECTION], cfg->direction_in))
        direction = "inbound";
    else if (same_word(f[C_DIRECTION], cfg->direction_out))
        direction = "outbound";
    else
        return cm_reject_row(st->api, s, row, "unknown direction '%s' (expected '%s' or '%s')%s", f[C_DIRECTION],
                   cfg->direction_in, cfg->direction_out, mojibake_hint(f[C_DIRECTION]));

    enum status status;
    if (same_word(f[C_STATUS], cfg->status_answered))
        status = S_ANSWERED;
    else if (same_word(f[C_STATUS], cfg->status_missed))
        status = S_MISSED;
    else if (same_word(f[C_STATUS], cfg->status_busy))
        status = S_BUSY;
    else if (same_word(f[C_STATUS], cfg->status_forwarded))
        status = S_FORWARDED;
    else
        return cm_reject_row(st->api, s, row, "unknown status '%s' (expected '%s', '%s', '%s' or '%s')",
                   f[C_STATUS], cfg->status_answered, cfg->status_missed, cfg->status_busy,
                   cfg->status_forwarded);

    enum call_type type = T_NONE;
    if (f[C_CALL_TYPE][0]) {
        for (enum call_type t = T_MOBILE; t <= T_VOICEMAIL && type == T_NONE; t++)
            if (same_word(f[C_CALL_TYPE], type_word(st, t)))
                type = t;
        if (type == T_NONE)
            return cm_reject_row(st->api, s, row, "unknown call type '%s' (expected '%s', '%s', '%s', '%s' or '%s')",
                       f[C_CALL_TYPE], cfg->type_mobile, cfg->type_fixed, cfg->type_international,
                       cfg->type_service, cfg->type_voicemail);
    }

    char local[NUM_MAX], remote[NUM_MAX], forward[NUM_MAX];
    const char *why = NULL;
    cm_number_type lt = api->number_normalize(f[C_SUBSCRIPTION], NULL, 0, local, sizeof local, &why);
    if (lt == CM_NUM_HIDDEN)
        return cm_reject_row(st->api, s, row, "the subscription number is empty");
    if (lt == CM_NUM_UNKNOWN)
        return cm_reject_row(st->api, s, row, "subscription '%s' is not a phone number (%s)", f[C_SUBSCRIPTION],
                   why ? why : "not a number");
    cm_number_type rt = api->number_normalize(f[C_REMOTE], NULL, 0, remote, sizeof remote, &why);
    if (rt == CM_NUM_UNKNOWN)
        api->count(s, "remote_numbers_not_normalised", 1);
    if (f[C_FORWARDED_TO][0] &&
        api->number_normalize(f[C_FORWARDED_TO], NULL, 0, forward, sizeof forward, &why) ==
            CM_NUM_UNKNOWN)
        api->count(s, "forward_numbers_not_normalised", 1);

    double charge = 0;
    if (f[C_CHARGE][0] && api->parse_decimal(f[C_CHARGE], cfg->decimal_comma, &charge) != CM_OK)
        return cm_reject_row(st->api, s, row, "charge '%s' is not an amount in DKK (written %s)", f[C_CHARGE],
                   cfg->decimal_comma ? "1.234,50" : "1234.50");

    int64_t first, second, start;
    switch (api->local_to_utc(st->inst, y, mo, d, h, mi, sec, &first, &second)) {
    case CM_TIME_INVALID:
        return cm_reject_row(st->api, s, row, "date and time '%s %s' is not a valid date and time", date, clock);
    case CM_TIME_GAP:
        return cm_reject_row(st->api, s, row, "time '%s %s' does not exist in %s (the clocks skip that hour when "
                               "summer time begins)", date, clock, api->timezone_name(st->inst));
    case CM_TIME_AMBIGUOUS:
        /* the repeated autumn hour: nothing in the export tells which; the first */
        api->count(s, "ambiguous_times", 1);
        start = first;
        break;
    default:
        start = first;
    }

    /* outcome: the status, but the operator's call type says voicemail */
    const char *outcome;
    int talked;
    switch (status) {
    case S_ANSWERED: outcome = "answered", talked = 1; break;
    case S_MISSED: outcome = "missed", talked = 0; break;
    case S_BUSY: outcome = "busy", talked = 0; break;
    default: /* forwarded: connected onwards when it lasted, else nobody took it */
        talked = duration > 0;
        outcome = talked ? "answered" : "missed";
    }
    if (type == T_VOICEMAIL)
        outcome = "voicemail", talked = 1;

    char start_local[32];
    snprintf(start_local, sizeof start_local, "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi, sec);

    cm_value v[CM_CALL__COUNT];
    cm_record rec = {.dataset = CM_DS_CALLS, .source_record = row->line, .ncols = CM_CALL__COUNT,
                     .v = v, .raw = row->raw, .raw_len = row->raw_len};
    cm_record_clear(&rec);
    cm_set_time(&rec, CM_CALL_START_UTC, start);
    cm_set_time(&rec, CM_CALL_END_UTC, start + duration);
    cm_set_text(&rec, CM_CALL_START_LOCAL, start_local);
    cm_set_int(&rec, CM_CALL_DURATION_S, duration);
    cm_set_int(&rec, CM_CALL_TALK_S, talked ? duration : 0);
    if (!talked)
        cm_set_int(&rec, CM_CALL_WAIT_S, duration);
    cm_set_text(&rec, CM_CALL_DIRECTION, direction);
    cm_set_text(&rec, CM_CALL_LOCAL_NUMBER, local);
    cm_set_text(&rec, CM_CALL_REMOTE_NUMBER, remote[0] ? remote : NULL);
    cm_set_text(&rec, CM_CALL_REMOTE_TYPE, remote_type_of(st, s, type, rt));
    cm_set_text(&rec, CM_CALL_OUTCOME, outcome);
    int transferred = status == S_FORWARDED || f[C_FORWARDED_TO][0];
    cm_set_int(&rec, CM_CALL_TRANSFERRED, transferred);
    if (f[C_FORWARDED_TO][0])
        cm_set_text(&rec, CM_CALL_TRANSFERRED_TO, forward);
    cm_set_text(&rec, CM_CALL_CHANNEL, st->channel);
    if (f[C_CHARGE][0])
        cm_set_real(&rec, CM_CALL_CHARGE_DKK, charge);
    return api->emit(s, &rec);
}

int tdc_cdr_read(void *state, cm_stream *s)
{
    cdr_state *st = state;
    const cm_api *api = st->api;
    /* a UTF-8 export is read as it is, and every line checked */
    if (!st->check_utf8 && api->set_encoding(s, st->cfg.encoding) != CM_OK) {
        api->fail(s, "cannot read the file as %s", st->cfg.encoding);
        return CM_ERROR;
    }
    cm_csv *csv = api->csv_open(s, st->sep, '"', CM_CSV_SINGLE_LINE);
    if (!csv)
        return CM_ERROR;
    cm_csv_row row;
    int rc = api->csv_next(csv, &row), result = CM_OK;
    if (rc == 0) {
        api->fail(s, "the file is empty: expected a header row such as "
                     "Abonnement;Dato;Tidspunkt;Varighed;Retning;Modpart;Kaldstype;Status;"
                     "Viderestillet til;Beløb");
        result = CM_ERROR;
    } else if (rc < 0 || map_header(st, s, &row) != CM_OK) {
        result = CM_ERROR;
    } else {
        while ((rc = api->csv_next(csv, &row)) == 1) {
            if (process(st, s, &row) != CM_OK) {
                result = CM_ERROR;
                break;
            }
        }
        if (rc < 0)
            result = CM_ERROR;
    }
    api->csv_close(csv);
    return result;
}
