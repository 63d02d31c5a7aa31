/*
 * The source kinds' options and state, and the two streaming kinds:
 * employees and numbers (org-units, which needs the whole file, is in org.c).
 */
#include "source.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define COMMON_OPTIONS                                                                         \
    {"separator", CM_OPT_STRING, "auto", 0, offsetof(hr_config, separator),                    \
     "field separator: auto (from the header row), ';', ',' or tab"},                          \
    {"date-format", CM_OPT_STRING, "yyyy-mm-dd", 0, offsetof(hr_config, date_format),          \
     "how dates are written, e.g. yyyy-mm-dd or dd-mm-yyyy"},                                  \
    {"encoding", CM_OPT_STRING, "UTF-8", 0, offsetof(hr_config, encoding),                     \
     "character set of the file (UTF-8 is checked line by line), e.g. WINDOWS-1252"}

const cm_option_def hr_org_options[] = {
    COMMON_OPTIONS,
    {"max-units", CM_OPT_INT, "100000", 0, offsetof(hr_config, max_units),
     "most unit rows in one file (they are held in memory to check the hierarchy)"},
    {0},
};

const cm_option_def hr_employee_options[] = {
    COMMON_OPTIONS,
    {0},
};

const cm_option_def hr_number_options[] = {
    COMMON_OPTIONS,
    {"extension-prefix", CM_OPT_STRING, NULL, 0, offsetof(hr_config, extension_prefix),
     "E.164 prefix that makes an internal extension in the file a full number, e.g. +453366"},
    {"extension-length", CM_OPT_INT, "0", 0, offsetof(hr_config, extension_length),
     "digits of an internal extension (0: the file holds full numbers only)"},
    {0},
};

/* ---------------------------------------------------------------- init */

static int init(hr_kind kind, const cm_api *api, cm_instance *inst, const void *config,
                void **state)
{
    const hr_config *cfg = config;
    if (hr_separator(cfg->separator) < 0) {
        api->log(inst, CM_LOG_ERROR, "separator must be auto, ';', ',' or tab, not '%s'",
                 cfg->separator);
        return CM_ERROR;
    }
    if (!hr_date_format_ok(cfg->date_format)) {
        api->log(inst, CM_LOG_ERROR,
                 "date-format must hold dd, mm and yyyy once each, with '-', '.', '/' or ' ' "
                 "between them (e.g. yyyy-mm-dd, dd-mm-yyyy), not '%s'",
                 cfg->date_format);
        return CM_ERROR;
    }
    if (!api->encoding_known(cfg->encoding)) {
        api->log(inst, CM_LOG_ERROR, "encoding '%s' is not known (e.g. UTF-8, WINDOWS-1252)",
                 cfg->encoding);
        return CM_ERROR;
    }
    if (kind == HR_ORG_UNITS && (cfg->max_units < 1 || cfg->max_units > 10000000)) {
        api->log(inst, CM_LOG_ERROR, "max-units must be between 1 and 10000000, not %lld",
                 (long long)cfg->max_units);
        return CM_ERROR;
    }
    if (kind == HR_NUMBERS) {
        if (cfg->extension_length < 0 || cfg->extension_length > 8) {
            api->log(inst, CM_LOG_ERROR, "extension-length must be between 0 and 8, not %lld",
                     (long long)cfg->extension_length);
            return CM_ERROR;
        }
        if (cfg->extension_prefix && cfg->extension_prefix[0] != '+') {
            api->log(inst, CM_LOG_ERROR,
                     "extension-prefix must be an E.164 prefix starting with '+', not '%s'",
                     cfg->extension_prefix);
            return CM_ERROR;
        }
    }
    hr_source *st = calloc(1, sizeof *st);
    if (!st)
        return CM_ERROR;
    st->api = api;
    st->inst = inst;
    st->cfg = *cfg;
    st->kind = kind;
    *state = st;
    return CM_OK;
}

int hr_org_init(const cm_api *api, cm_instance *inst, const void *config, void **state)
{
    return init(HR_ORG_UNITS, api, inst, config, state);
}

int hr_employee_init(const cm_api *api, cm_instance *inst, const void *config, void **state)
{
    return init(HR_EMPLOYEES, api, inst, config, state);
}

int hr_number_init(const cm_api *api, cm_instance *inst, const void *config, void **state)
{
    return init(HR_NUMBERS, api, inst, config, state);
}

void hr_source_reset(hr_source *st)
{
    for (size_t i = 0; i < st->keys.n; i++)
        free(st->periods[i].p);
    free(st->periods);
    st->periods = NULL;
    st->pcap = 0;
    hr_strmap_clear(&st->keys);
    hr_org_reset(st);
}

void hr_source_destroy(void *state)
{
    hr_source *st = state;
    if (!st)
        return;
    hr_source_reset(st);
    hr_org_free(st);
    hr_strmap_free(&st->keys);
    hr_reader_free(&st->rd);
    free(st);
}

int hr_key_periods(hr_source *st, const char *key, hr_periods **out, int32_t *index)
{
    int added;
    int32_t k = hr_strmap_put(&st->keys, key, &added);
    if (k < 0)
        return -1;
    if (added && (size_t)k >= st->pcap) {
        size_t cap = st->pcap ? st->pcap * 2 : 64;
        hr_periods *p = realloc(st->periods, cap * sizeof *p);
        if (!p)
            return -1;
        memset(p + st->pcap, 0, (cap - st->pcap) * sizeof *p);
        st->periods = p, st->pcap = cap;
    }
    if (added)
        memset(&st->periods[k], 0, sizeof st->periods[k]);
    *out = &st->periods[k];
    if (index)
        *index = k;
    return 0;
}

/* Runs a streaming kind: header, then row() for each readable row. */
static int run_rows(hr_source *st, cm_stream *s, const hr_column *cols, size_t ncols,
                    int (*row)(hr_source *st, cm_stream *s))
{
    hr_source_reset(st);
    hr_reader *r = &st->rd;
    int result = hr_reader_open(r, st->api, s, &st->cfg, cols, ncols);
    int64_t rows = 0;
    while (result == CM_OK) {
        int rc = hr_reader_next(r);
        if (rc == HR_END)
            break;
        rows++;
        if (rc == HR_ERR || (rc == HR_ROW && row(st, s) == HR_ERR))
            result = CM_ERROR;
    }
    if (result == CM_OK && rows == 0) {
        st->api->fail(s, "the file has a header but no rows: as the complete current list it "
                         "would remove every row of the earlier files, so it is refused");
        result = CM_ERROR;
    }
    hr_reader_close(r);
    hr_source_reset(st);
    return result;
}

/* ---------------------------------------------------------------- employees */

enum { E_ID, E_UNIT, E_NAME, E_TITLE, E_FROM, E_TO, E__N };

static const hr_column employee_cols[E__N] = {
    [E_ID] = {"employee_id", 1}, [E_UNIT] = {"unit_id", 1},    [E_NAME] = {"name", 0},
    [E_TITLE] = {"title", 0},    [E_FROM] = {"valid_from", 1}, [E_TO] = {"valid_to", 0},
};

static const char *or_null(const char *s) { return s[0] ? s : NULL; }

static int employee_row(hr_source *st, cm_stream *s)
{
    hr_reader *r = &st->rd;
    const char *const *v = r->val;
    if (!v[E_ID][0])
        return hr_reject(r, "employee_id is empty") == CM_OK ? HR_SKIP : HR_ERR;
    char from[11], to[11];
    int fy, ty;
    int rc = hr_validity(r, st->cfg.date_format, E_FROM, E_TO, from, to, &fy, &ty);
    if (rc != CM_OK)
        return rc;
    cm_value val[CM_EMP__COUNT];
    cm_record rec = {.dataset = CM_DS_EMPLOYEES, .source_record = r->line,
                     .ncols = CM_EMP__COUNT, .v = val, .raw = r->raw, .raw_len = r->raw_len};
    cm_record_clear(&rec);
    cm_set_text(&rec, CM_EMP_EMPLOYEE_ID, v[E_ID]);
    cm_set_text(&rec, CM_EMP_UNIT_ID, or_null(v[E_UNIT]));
    cm_set_text(&rec, CM_EMP_NAME, or_null(v[E_NAME]));
    cm_set_text(&rec, CM_EMP_TITLE, or_null(v[E_TITLE]));
    cm_set_text(&rec, CM_EMP_VALID_FROM, from);
    cm_set_text(&rec, CM_EMP_VALID_TO, or_null(to));
    return st->api->emit(s, &rec) == CM_OK ? HR_ROW : HR_ERR;
}

int hr_employee_read(void *state, cm_stream *s)
{
    return run_rows(state, s, employee_cols, E__N, employee_row);
}

/* ---------------------------------------------------------------- numbers */

enum { N_NUMBER, N_EMPLOYEE, N_UNIT, N_KIND, N_FROM, N_TO, N__N };

static const hr_column number_cols[N__N] = {
    [N_NUMBER] = {"number", 1}, [N_EMPLOYEE] = {"employee_id", 1}, [N_UNIT] = {"unit_id", 1},
    [N_KIND] = {"kind", 1},     [N_FROM] = {"valid_from", 1},      [N_TO] = {"valid_to", 0},
};

static const char *const number_kinds[] = {"mobile", "fixed", "queue", "shared"};

static int number_row(hr_source *st, cm_stream *s)
{
    const cm_api *api = st->api;
    hr_reader *r = &st->rd;
    const char *const *v = r->val;
    int rc;
#define REJECT(...) return hr_reject(r, __VA_ARGS__) == CM_OK ? HR_SKIP : HR_ERR

    char number[64];
    const char *why = NULL;
    cm_number_type t = api->number_normalize(v[N_NUMBER], st->cfg.extension_prefix,
                                             (int)st->cfg.extension_length, number,
                                             sizeof number, &why);
    switch (t) {
    case CM_NUM_UNKNOWN:
        REJECT("number '%s' is not a phone number we know: %s", v[N_NUMBER],
               why ? why : "not recognised");
    case CM_NUM_HIDDEN:
        if (!v[N_NUMBER][0])
            REJECT("number is empty");
        REJECT("number '%s' is not a phone number", v[N_NUMBER]);
    case CM_NUM_SHORT:
        REJECT("number '%s' is a short number (emergency or service), not a subscription",
               v[N_NUMBER]);
    case CM_NUM_INTERNAL:
        if (number[0] != '+')
            REJECT("number '%s' looks like an internal extension: give the full number, or "
                   "set the option extension-prefix",
                   v[N_NUMBER]);
        break;
    default:
        break;
    }

    const char *kind = NULL;
    for (size_t i = 0; i < sizeof number_kinds / sizeof *number_kinds; i++)
        if (strcasecmp(v[N_KIND], number_kinds[i]) == 0)
            kind = number_kinds[i];
    if (!kind)
        REJECT("kind '%s' is not one of mobile, fixed, queue, shared", v[N_KIND]);
    if (!v[N_EMPLOYEE][0] && !v[N_UNIT][0])
        REJECT("the assignment of %s names neither an employee_id nor a unit_id", number);

    char from[11], to[11];
    int fy, ty;
    rc = hr_validity(r, st->cfg.date_format, N_FROM, N_TO, from, to, &fy, &ty);
    if (rc != CM_OK)
        return rc;

    hr_periods *ps;
    hr_period clash;
    if (hr_key_periods(st, number, &ps, NULL) != 0 ||
        (rc = hr_periods_add(ps, fy, ty, r->line, &clash)) < 0) {
        api->fail(s, "out of memory");
        return HR_ERR;
    }
    if (rc == 1) {
        char a[40], b[40];
        REJECT("assignments of %s on lines %lld (%s) and %lld (%s) overlap; the "
               "later line is rejected",
               number, (long long)clash.line, hr_period_text(clash.from, clash.to, a),
               (long long)r->line, hr_period_text(fy, ty, b));
    }
#undef REJECT

    cm_value val[CM_NA__COUNT];
    cm_record rec = {.dataset = CM_DS_NUMBER_ASSIGNMENTS, .source_record = r->line,
                     .ncols = CM_NA__COUNT, .v = val, .raw = r->raw, .raw_len = r->raw_len};
    cm_record_clear(&rec);
    cm_set_text(&rec, CM_NA_NUMBER, number);
    cm_set_text(&rec, CM_NA_EMPLOYEE_ID, or_null(v[N_EMPLOYEE]));
    cm_set_text(&rec, CM_NA_UNIT_ID, or_null(v[N_UNIT]));
    cm_set_text(&rec, CM_NA_KIND, kind);
    cm_set_text(&rec, CM_NA_VALID_FROM, from);
    cm_set_text(&rec, CM_NA_VALID_TO, or_null(to));
    return api->emit(s, &rec) == CM_OK ? HR_ROW : HR_ERR;
}

int hr_number_read(void *state, cm_stream *s)
{
    return run_rows(state, s, number_cols, N__N, number_row);
}
