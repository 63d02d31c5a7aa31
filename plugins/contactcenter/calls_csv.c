/*
 * A per-call export of a contact-center system: one row per call offered to
 * a queue, with a header row. Columns are found by their heading, so their
 * order does not matter and other columns are ignored:
 *
 *   call_id;queue;caller;offered;answered;ended;wait_s;talk_s;wrap_s;outcome;agent;
 *   ivr_choice;transferred_to
 *
 * Another system's headings are given with column.NAME options, its outcome
 * words with outcome.NAME options. Timestamps are local wall time in the
 * source's timezone; durations are seconds or [H:]MM:SS.
 */
#include "contactcenter.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const cm_option_def calls_csv_options[] = {
    {"separator", CM_OPT_STRING, ";", 0, offsetof(calls_csv_config, separator),
     "field separator: one character, or \"tab\""},
    {"encoding", CM_OPT_STRING, "UTF-8", 0, offsetof(calls_csv_config, encoding),
     "character set of the export (an iconv name: UTF-8, WINDOWS-1252, ISO-8859-1)"},
    {"column.*", CM_OPT_LIST, NULL, 0, offsetof(calls_csv_config, columns),
     "column.NAME: the export's heading of column NAME (call_id, queue, caller, offered, "
     "answered, ended, wait_s, talk_s, wrap_s, outcome, agent, ivr_choice, transferred_to); "
     "empty: the export has no such column"},
    {"outcome.*", CM_OPT_LIST, NULL, 0, offsetof(calls_csv_config, outcomes),
     "outcome.answered, outcome.abandoned, outcome.missed: a word of the export's outcome "
     "column that means it (repeatable)"},
    {"date-format", CM_OPT_STRING, "yyyy-mm-dd", 0, offsetof(calls_csv_config, date_format),
     "the date part of offered/answered/ended (yyyy, mm, dd and separators); the time part "
     "is HH:MM:SS or HH:MM after a space or T"},
    {"extension-prefix", CM_OPT_STRING, NULL, 0, offsetof(calls_csv_config, extension_prefix),
     "E.164 prefix that makes an agent's extension a full number, e.g. +453366"},
    {"extension-length", CM_OPT_INT, "4", 0, offsetof(calls_csv_config, extension_length),
     "digits of an agent's extension (0: any number of digits)"},
    {"short-abandon-s", CM_OPT_INT, "5", 0, offsetof(calls_csv_config, short_abandon_s),
     "abandons after a wait below this many seconds are counted as short_abandons"},
    {0},
};

enum col {
    COL_CALL_ID, COL_QUEUE, COL_CALLER, COL_OFFERED, COL_ANSWERED, COL_ENDED, COL_WAIT,
    COL_TALK, COL_WRAP, COL_OUTCOME, COL_AGENT, COL_IVR, COL_XFER, NCOLS
};

static const char *const col_names[NCOLS] = {
    "call_id", "queue",  "caller",  "offered", "answered", "ended",      "wait_s",
    "talk_s",  "wrap_s", "outcome", "agent",   "ivr_choice", "transferred_to",
};

static const unsigned char col_required[NCOLS] = {
    [COL_CALL_ID] = 1, [COL_OFFERED] = 1, [COL_OUTCOME] = 1,
};

static const char *const outcome_names[] = {"answered", "abandoned", "missed"};

typedef struct outcome_word {
    const char *word;
    int outcome; /* index into outcome_names */
} outcome_word;

/* Words every export may use (after the configured ones). */
static const outcome_word default_words[] = {
    {"answered", 0}, {"besvaret", 0},   {"abandoned", 1}, {"opgivet", 1},
    {"missed", 2},   {"ubesvaret", 2}, {"timeout", 2},
};

#define HEADER_LIST_MAX 400

typedef struct csv_state {
    const cm_api *api;
    cm_instance *inst;
    calls_csv_config cfg;
    char sep;
    const char *heading[NCOLS]; /* "" when the export has no such column */
    outcome_word *words;        /* configured words */
    size_t nwords;
    /* per file */
    cm_stream *s;
    int idx[NCOLS]; /* position in the row, -1 when absent */
    size_t ncolumns;
    char *scratch; /* trimmed copies of a row's fields */
    size_t scratch_cap;
} csv_state;

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* ---------------------------------------------------------------- init */

static int find_col(const char *name, size_t n)
{
    for (int i = 0; i < NCOLS; i++)
        if (strlen(col_names[i]) == n && strncmp(col_names[i], name, n) == 0)
            return i;
    return -1;
}

static int setup_columns(csv_state *st)
{
    for (int i = 0; i < NCOLS; i++)
        st->heading[i] = col_names[i];
    for (const char *const *p = st->cfg.columns; p && *p; p++) {
        const char *eq = strchr(*p, '=');
        int col = eq ? find_col(*p, (size_t)(eq - *p)) : -1;
        if (col < 0) {
            st->api->log(st->inst, CM_LOG_ERROR,
                         "column.%.*s: no such column; the columns are call_id, queue, caller, "
                         "offered, answered, ended, wait_s, talk_s, wrap_s, outcome, agent, "
                         "ivr_choice, transferred_to",
                         eq ? (int)(eq - *p) : (int)strlen(*p), *p);
            return CM_ERROR;
        }
        if (!eq[1] && col_required[col]) {
            st->api->log(st->inst, CM_LOG_ERROR,
                         "column.%s cannot be empty: the export must have that column",
                         col_names[col]);
            return CM_ERROR;
        }
        st->heading[col] = eq + 1;
    }
    return CM_OK;
}

static int setup_outcomes(csv_state *st)
{
    size_t n = 0;
    for (const char *const *p = st->cfg.outcomes; p && *p; p++)
        n++;
    if (n && !(st->words = calloc(n, sizeof *st->words)))
        return CM_ERROR;
    for (const char *const *p = st->cfg.outcomes; p && *p; p++) {
        const char *eq = strchr(*p, '=');
        int o = -1;
        for (int i = 0; eq && i < 3; i++)
            if (strlen(outcome_names[i]) == (size_t)(eq - *p) &&
                strncmp(outcome_names[i], *p, (size_t)(eq - *p)) == 0)
                o = i;
        if (o < 0 || !eq[1]) {
            st->api->log(st->inst, CM_LOG_ERROR,
                         "outcome.%s: use outcome.answered, outcome.abandoned or outcome.missed "
                         "with a non-empty word",
                         *p);
            return CM_ERROR;
        }
        for (size_t k = 0; k < st->nwords; k++) {
            if (cc_eq_nocase(st->words[k].word, eq + 1) && st->words[k].outcome != o) {
                st->api->log(st->inst, CM_LOG_ERROR, "outcome word '%s' is given for both %s "
                                                     "and %s",
                             eq + 1, outcome_names[st->words[k].outcome], outcome_names[o]);
                return CM_ERROR;
            }
        }
        st->words[st->nwords++] = (outcome_word){eq + 1, o};
    }
    return CM_OK;
}

int calls_csv_init(const cm_api *api, cm_instance *inst, const void *config, void **state)
{
    const calls_csv_config *cfg = config;
    if (cc_check_extension_options(api, inst, cfg->extension_prefix, cfg->extension_length) !=
            CM_OK ||
        cc_check_encoding(api, inst, cfg->encoding) != CM_OK)
        return CM_ERROR;
    char sep = 0;
    if (cc_eq_nocase(cfg->separator, "tab") || strcmp(cfg->separator, "\\t") == 0)
        sep = '\t';
    else if (strlen(cfg->separator) == 1 && !strchr("\"\r\n", cfg->separator[0]))
        sep = cfg->separator[0];
    if (!sep) {
        api->log(inst, CM_LOG_ERROR,
                 "separator must be one character (not a quote or line break) or \"tab\", not "
                 "'%s'",
                 cfg->separator);
        return CM_ERROR;
    }
    const char *df = cfg->date_format;
    if (!strstr(df, "yyyy") || !strstr(df, "mm") || !strstr(df, "dd") || strchr(df, ' ') ||
        strchr(df, 'T')) {
        api->log(inst, CM_LOG_ERROR,
                 "date-format must hold yyyy, mm and dd with separators but no space or T, e.g. "
                 "dd-mm-yyyy, not '%s'",
                 df);
        return CM_ERROR;
    }
    if (cfg->short_abandon_s < 0 || cfg->short_abandon_s > 3600) {
        api->log(inst, CM_LOG_ERROR, "short-abandon-s must be between 0 and 3600, not %lld",
                 (long long)cfg->short_abandon_s);
        return CM_ERROR;
    }
    csv_state *st = calloc(1, sizeof *st);
    if (!st)
        return CM_ERROR;
    st->api = api;
    st->inst = inst;
    st->cfg = *cfg;
    st->sep = sep;
    if (setup_columns(st) != CM_OK || setup_outcomes(st) != CM_OK) {
        calls_csv_destroy(st);
        return CM_ERROR;
    }
    *state = st;
    return CM_OK;
}

void calls_csv_destroy(void *state)
{
    csv_state *st = state;
    if (!st)
        return;
    free(st->words);
    free(st->scratch);
    free(st);
}

/* ---------------------------------------------------------------- values */

/* Trimmed copies of the row's fields, so values can be NUL-terminated. */
static int copy_fields(csv_state *st, const cm_csv_row *row, const char *out[NCOLS])
{
    size_t need = NCOLS;
    for (int i = 0; i < NCOLS; i++)
        if (st->idx[i] >= 0)
            need += row->lengths[st->idx[i]];
    if (need > st->scratch_cap) {
        char *p = realloc(st->scratch, need);
        if (!p)
            return CM_ERROR;
        st->scratch = p;
        st->scratch_cap = need;
    }
    char *w = st->scratch;
    for (int i = 0; i < NCOLS; i++) {
        if (st->idx[i] < 0) {
            out[i] = "";
            continue;
        }
        size_t n = row->lengths[st->idx[i]];
        memcpy(w, row->fields[st->idx[i]], n);
        w[n] = '\0';
        out[i] = cc_trim(w);
        w += n + 1;
    }
    return CM_OK;
}

/* Seconds, "MM:SS" or "H:MM:SS". 1: a value, 0: empty, -1: not a duration. */
static int parse_duration(const char *s, int64_t *out)
{
    if (!*s)
        return 0;
    int64_t part[3];
    int np = 0;
    const char *p = s;
    for (;;) {
        int64_t v = 0;
        int nd = 0;
        for (; is_digit(*p); p++, nd++) {
            if (nd == 9)
                return -1;
            v = v * 10 + (*p - '0');
        }
        if (nd == 0 || np == 3)
            return -1;
        if (np > 0 && (nd != 2 || v > 59))
            return -1; /* minutes and seconds after a colon: two digits */
        part[np++] = v;
        if (*p == '\0')
            break;
        if (*p++ != ':')
            return -1;
    }
    *out = np == 1 ? part[0] : np == 2 ? part[0] * 60 + part[1]
                                       : part[0] * 3600 + part[1] * 60 + part[2];
    return 1;
}

typedef struct stamp {
    int present;
    int t[6]; /* y, mo, d, h, mi, s as read */
    cm_time_result r;
    int64_t first, second;
} stamp;

/* "<date> HH:MM[:SS]" with the date in date-format: 0, or -1 */
static int parse_stamp(const csv_state *st, const char *text, stamp *out)
{
    size_t dn = strcspn(text, " T");
    char date[32];
    if (dn == 0 || dn >= sizeof date || !text[dn])
        return -1;
    memcpy(date, text, dn);
    date[dn] = '\0';
    if (st->api->parse_date(date, st->cfg.date_format, &out->t[0], &out->t[1], &out->t[2]) !=
        CM_OK)
        return -1;
    const char *p = text + dn;
    if (*p == 'T')
        p++;
    else
        while (*p == ' ')
            p++;
    int v[3] = {0, 0, 0}, n = 0;
    for (;;) {
        int nd = 0, x = 0;
        for (; is_digit(*p) && nd < 3; p++, nd++)
            x = x * 10 + (*p - '0');
        if (nd == 0 || nd > 2 || (n > 0 && nd != 2))
            return -1;
        v[n++] = x;
        if (*p != ':' || n == 3)
            break;
        p++;
    }
    if (*p || n < 2 || v[0] > 23 || v[1] > 59 || v[2] > 59)
        return -1;
    out->t[3] = v[0], out->t[4] = v[1], out->t[5] = v[2];
    out->present = 1;
    return 0;
}

static int outcome_of(const csv_state *st, const char *word)
{
    for (size_t i = 0; i < st->nwords; i++)
        if (cc_eq_nocase(st->words[i].word, word))
            return st->words[i].outcome;
    for (size_t i = 0; i < sizeof default_words / sizeof *default_words; i++)
        if (cc_eq_nocase(default_words[i].word, word))
            return default_words[i].outcome;
    return -1;
}

/* The instant of `st` at or after `from` (the earlier of an ambiguous pair
 * that fits), or -1 when neither is. */
static int pick_after(const stamp *s, int64_t from, int64_t *out)
{
    if (s->first >= from)
        *out = s->first;
    else if (s->second >= from)
        *out = s->second;
    else
        return -1;
    return 0;
}

/* ---------------------------------------------------------------- rows */

static int reject_row(csv_state *st, const cm_csv_row *row, const char *fmt, ...) CM_PRINTF(3, 4);
static int reject_row(csv_state *st, const cm_csv_row *row, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = st->api->vreject(st->s, row->line, row->raw, row->raw_len, fmt, ap);
    va_end(ap);
    return rc;
}

static int process_row(csv_state *st, const cm_csv_row *row)
{
    const cm_api *api = st->api;
    cm_stream *s = st->s;
    if (cc_is_utf8(st->cfg.encoding) && !api->utf8_valid(row->raw, row->raw_len))
        return reject_row(st, row,
                          "the line is not valid UTF-8; if the export is in another character "
                          "set, set the source's encoding option (e.g. WINDOWS-1252)");
    if (row->nfields != st->ncolumns)
        return reject_row(st, row, "expected %zu columns as in the header, found %zu",
                          st->ncolumns, row->nfields);
    const char *f[NCOLS];
    if (copy_fields(st, row, f) != CM_OK)
        return CM_ERROR;
    if (cc_eq_nocase(f[COL_OFFERED], st->heading[COL_OFFERED]) &&
        cc_eq_nocase(f[COL_OUTCOME], st->heading[COL_OUTCOME])) {
        api->count(s, "repeated_header_rows", 1); /* exports joined with their headers */
        return CM_OK;
    }

    /* times */
    static const int time_cols[3] = {COL_OFFERED, COL_ANSWERED, COL_ENDED};
    stamp tm[3] = {{0}};
    int ambiguous = 0;
    for (int k = 0; k < 3; k++) {
        const char *name = col_names[time_cols[k]], *text = f[time_cols[k]];
        if (!*text) {
            if (k == 0)
                return reject_row(st, row, "offered is empty");
            continue;
        }
        if (parse_stamp(st, text, &tm[k]) != 0)
            return reject_row(st, row, "%s '%.40s' is not a valid date and time as %s HH:MM:SS",
                              name, text, st->cfg.date_format);
        const int *t = tm[k].t;
        tm[k].r = api->local_to_utc(st->inst, t[0], t[1], t[2], t[3], t[4], t[5],
                                    &tm[k].first, &tm[k].second);
        if (tm[k].r == CM_TIME_INVALID)
            return reject_row(st, row, "%s '%.40s' is not a valid date and time", name, text);
        if (tm[k].r == CM_TIME_GAP)
            return reject_row(st, row,
                              "%s '%.40s' does not exist in %s (the clocks skip that hour when "
                              "summer time begins)",
                              name, text, api->timezone_name(st->inst));
        if (tm[k].r == CM_TIME_AMBIGUOUS)
            ambiguous = 1;
    }

    /* durations */
    static const int dur_cols[3] = {COL_WAIT, COL_TALK, COL_WRAP};
    int64_t dur[3] = {0, 0, 0};
    int have[3];
    for (int k = 0; k < 3; k++) {
        have[k] = parse_duration(f[dur_cols[k]], &dur[k]);
        if (have[k] < 0)
            return reject_row(st, row,
                              "%s '%.40s' is not a duration (whole seconds, MM:SS or H:MM:SS)",
                              col_names[dur_cols[k]], f[dur_cols[k]]);
    }
    int64_t wait = dur[0], talk = dur[1], wrap = dur[2];

    int outcome = outcome_of(st, f[COL_OUTCOME]);
    if (outcome < 0)
        return reject_row(st, row,
                          "outcome '%.40s' is not a known word for answered, abandoned or missed "
                          "(add it with an outcome.answered, outcome.abandoned or outcome.missed "
                          "option)",
                          f[COL_OUTCOME]);

    /* the instants: the offered time first (in the repeated autumn hour, the
     * occurrence that agrees with ended, wait and talk), then the others at
     * or after it */
    int64_t offered = tm[0].first, answered = 0, ended = 0;
    if (ambiguous)
        api->count(s, "ambiguous_times", 1);
    if (tm[0].r == CM_TIME_AMBIGUOUS && tm[2].present && have[0] > 0 && have[1] > 0) {
        int64_t best_err = -1;
        const int64_t oc[2] = {tm[0].first, tm[0].second}, ec[2] = {tm[2].first, tm[2].second};
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                if (ec[j] < oc[i])
                    continue;
                int64_t err = ec[j] - oc[i] - (wait + talk);
                err = err < 0 ? -err : err;
                if (best_err < 0 || err < best_err)
                    best_err = err, offered = oc[i];
            }
        }
        if (offered != tm[0].first)
            api->count(s, "ambiguous_times_second_occurrence", 1);
    }
    if (tm[2].present && pick_after(&tm[2], offered, &ended) != 0)
        return reject_row(st, row, "ended '%.40s' is before offered '%.40s'", f[COL_ENDED],
                          f[COL_OFFERED]);
    if (tm[1].present) {
        if (pick_after(&tm[1], offered, &answered) != 0)
            return reject_row(st, row, "answered '%.40s' is before offered '%.40s'",
                              f[COL_ANSWERED], f[COL_OFFERED]);
        if (tm[2].present && answered > ended)
            return reject_row(st, row, "answered '%.40s' is after ended '%.40s'",
                              f[COL_ANSWERED], f[COL_ENDED]);
    }

    /* what the export leaves out follows from the times */
    int is_answered = outcome == 0;
    if (!have[0]) {
        if (tm[1].present)
            wait = answered - offered, have[0] = 1;
        else if (!is_answered && tm[2].present)
            wait = ended - offered, have[0] = 1;
    }
    if (!have[1]) {
        if (!is_answered)
            talk = 0, have[1] = 1;
        else if (tm[1].present && tm[2].present)
            talk = ended - answered, have[1] = 1;
    }
    int64_t duration = 0;
    int have_duration = 1;
    if (tm[2].present)
        duration = ended - offered;
    else if (have[0] && have[1])
        duration = wait + talk;
    else
        have_duration = 0;
    if (outcome == 1 && have[0] && wait < st->cfg.short_abandon_s)
        api->count(s, "short_abandons", 1);

    /* numbers */
    char caller[CC_NUM_MAX], agent[CC_NUM_MAX], xfer[CC_NUM_MAX];
    const char *why;
    int len = (int)st->cfg.extension_length;
    cm_number_type ct = api->number_normalize(f[COL_CALLER], st->cfg.extension_prefix, len,
                                              caller, sizeof caller, &why);
    if (ct == CM_NUM_UNKNOWN)
        api->count(s, "remote_numbers_not_normalised", 1);
    if (f[COL_AGENT][0]) {
        int r = cc_agent_extension(f[COL_AGENT], st->cfg.extension_prefix,
                                   st->cfg.extension_length, agent, sizeof agent);
        if (r == 0)
            api->count(s, "agent_extensions_of_other_length", 1);
        else if (r < 0)
            api->count(s, "agents_without_extension", 1);
    } else {
        agent[0] = '\0';
    }
    xfer[0] = '\0';
    if (f[COL_XFER][0] &&
        api->number_normalize(f[COL_XFER], st->cfg.extension_prefix, len, xfer, sizeof xfer,
                              &why) == CM_NUM_UNKNOWN)
        api->count(s, "transfer_targets_not_normalised", 1);

    char local[32];
    const int *t = tm[0].t;
    snprintf(local, sizeof local, "%04d-%02d-%02dT%02d:%02d:%02d", t[0] % 10000, t[1], t[2],
             t[3], t[4], t[5]);

    cm_value v[CM_CALL__COUNT];
    cm_record rec = {.dataset = CM_DS_CALLS, .source_record = row->line, .ncols = CM_CALL__COUNT,
                     .v = v, .raw = row->raw, .raw_len = row->raw_len};
    cm_record_clear(&rec);
    cm_set_text(&rec, CM_CALL_SOURCE_CALL_ID, f[COL_CALL_ID][0] ? f[COL_CALL_ID] : NULL);
    cm_set_text(&rec, CM_CALL_CALL_GROUP, f[COL_CALL_ID][0] ? f[COL_CALL_ID] : NULL);
    cm_set_time(&rec, CM_CALL_START_UTC, offered);
    cm_set_text(&rec, CM_CALL_START_LOCAL, local);
    if (have_duration) {
        cm_set_int(&rec, CM_CALL_DURATION_S, duration);
        cm_set_time(&rec, CM_CALL_END_UTC, offered + duration);
    }
    if (have[0])
        cm_set_int(&rec, CM_CALL_WAIT_S, wait);
    if (have[1])
        cm_set_int(&rec, CM_CALL_TALK_S, talk);
    if (have[2])
        cm_set_int(&rec, CM_CALL_WRAP_S, wrap);
    cm_set_text(&rec, CM_CALL_DIRECTION, ct == CM_NUM_INTERNAL ? "internal" : "inbound");
    cm_set_text(&rec, CM_CALL_LOCAL_NUMBER, agent[0] ? agent : NULL);
    cm_set_text(&rec, CM_CALL_REMOTE_NUMBER, caller[0] ? caller : NULL);
    cm_set_text(&rec, CM_CALL_REMOTE_TYPE, api->number_type_name(ct));
    cm_set_text(&rec, CM_CALL_OUTCOME, outcome_names[outcome]);
    cm_set_int(&rec, CM_CALL_TRANSFERRED, f[COL_XFER][0] != '\0');
    cm_set_text(&rec, CM_CALL_TRANSFERRED_TO, xfer[0] ? xfer : NULL);
    cm_set_text(&rec, CM_CALL_CHANNEL, "contact_center");
    cm_set_text(&rec, CM_CALL_QUEUE, f[COL_QUEUE][0] ? f[COL_QUEUE] : NULL);
    cm_set_text(&rec, CM_CALL_IVR_CHOICE, f[COL_IVR][0] ? f[COL_IVR] : NULL);
    cm_set_text(&rec, CM_CALL_AGENT, f[COL_AGENT][0] ? f[COL_AGENT] : NULL);
    if (outcome == 1 && have[0])
        cm_set_int(&rec, CM_CALL_SHORT_ABANDON, wait < st->cfg.short_abandon_s);
    return api->emit(s, &rec);
}

/* The header row: where each column is. CM_ERROR (after api->fail) when a
 * required one is missing. */
static int read_header(csv_state *st, const cm_csv_row *row)
{
    const cm_api *api = st->api;
    if (cc_is_utf8(st->cfg.encoding) && !api->utf8_valid(row->raw, row->raw_len)) {
        api->fail(st->s, "the header row is not valid UTF-8; if the export is in another "
                         "character set, set the source's encoding option (e.g. WINDOWS-1252)");
        return CM_ERROR;
    }
    st->ncolumns = row->nfields;
    char list[HEADER_LIST_MAX];
    size_t used = 0;
    list[0] = '\0';
    for (size_t j = 0; j < row->nfields && used < sizeof list; j++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s'%s'", j ? ", " : "",
                                 row->fields[j]);
    for (int i = 0; i < NCOLS; i++) {
        st->idx[i] = -1;
        if (!st->heading[i][0])
            continue;
        for (size_t j = 0; j < row->nfields && st->idx[i] < 0; j++) {
            /* the heading, trimmed, in any case */
            char h[256];
            size_t n = row->lengths[j] < sizeof h - 1 ? row->lengths[j] : sizeof h - 1;
            memcpy(h, row->fields[j], n);
            h[n] = '\0';
            if (cc_eq_nocase(cc_trim(h), st->heading[i]))
                st->idx[i] = (int)j;
        }
        if (st->idx[i] >= 0)
            continue;
        if (col_required[i]) {
            api->fail(st->s,
                      "the header has no column '%s' for %s (name the export's heading with "
                      "the option column.%s); the header's columns: %s",
                      st->heading[i], col_names[i], col_names[i], list);
            return CM_ERROR;
        }
        api->log(st->inst, CM_LOG_INFO, "no column '%s' for %s: it is left empty",
                 st->heading[i], col_names[i]);
    }
    return CM_OK;
}

int calls_csv_read(void *state, cm_stream *s)
{
    csv_state *st = state;
    const cm_api *api = st->api;
    st->s = s;
    if (!cc_is_utf8(st->cfg.encoding) && api->set_encoding(s, st->cfg.encoding) != CM_OK)
        return CM_ERROR;
    cm_csv *csv = api->csv_open(s, st->sep, '"', CM_CSV_SINGLE_LINE);
    if (!csv)
        return CM_ERROR;
    cm_csv_row row;
    int rc, result = CM_OK, header = 0;
    while ((rc = api->csv_next(csv, &row)) == 1) {
        if (!header) {
            header = 1;
            if (read_header(st, &row) != CM_OK) {
                result = CM_ERROR;
                break;
            }
            continue;
        }
        if (process_row(st, &row) != CM_OK) {
            result = CM_ERROR;
            break;
        }
    }
    if (rc < 0)
        result = CM_ERROR;
    if (rc == 0 && !header) {
        api->fail(s, "the file is empty: an export has at least its header row");
        result = CM_ERROR;
    }
    api->csv_close(csv);
    return result;
}
