/* The hr plugin: the organisation (units, employees, who has which number)
 * from HR exports, and the attribution of calls and cost lines to them. */
#ifndef HR_H
#define HR_H

#include <callmap/plugin.h>

#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------------- options */

/* One config struct for the three source kinds; each kind's table names the
 * fields it uses. */
typedef struct hr_config {
    const char *separator;   /* "auto", ";", ",", "tab" */
    const char *date_format; /* for api->parse_date */
    const char *encoding;    /* iconv name; UTF-8 is checked line by line */
    int64_t max_units;       /* org-units: rows held in memory for the tree checks */
    const char *extension_prefix; /* numbers: E.164 prefix of internal extensions */
    int64_t extension_length;     /* numbers: digits of an internal extension */
} hr_config;

extern const cm_option_def hr_org_options[];
extern const cm_option_def hr_employee_options[];
extern const cm_option_def hr_number_options[];

typedef enum hr_kind { HR_ORG_UNITS, HR_EMPLOYEES, HR_NUMBERS } hr_kind;

int hr_org_init(const cm_api *api, cm_instance *inst, const void *config, void **state);
int hr_employee_init(const cm_api *api, cm_instance *inst, const void *config, void **state);
int hr_number_init(const cm_api *api, cm_instance *inst, const void *config, void **state);
int hr_org_read(void *state, cm_stream *s);
int hr_employee_read(void *state, cm_stream *s);
int hr_number_read(void *state, cm_stream *s);
void hr_source_destroy(void *state);

/* the attribute transform (finish hook only) */
int hr_attr_init(const cm_api *api, cm_instance *inst, const void *config, void **state);
int hr_attr_finish(void *state, cm_run *r);
void hr_attr_destroy(void *state);

/* ---------------------------------------------------------------- tables */

#define HR_MAX_COLS 8
#define HR_RAW_MAX 1000 /* the host keeps at most this much of a reject's text */

typedef struct hr_column {
    const char *name;
    int required;
} hr_column;

/* A CSV file with a header row: columns found by name, values trimmed. */
typedef struct hr_reader {
    const cm_api *api;
    cm_stream *s;
    cm_csv *csv;
    int resplit;        /* the reader was opened with ';' but the file uses `sep` */
    char sep;
    int check_utf8;
    const hr_column *cols;
    size_t ncols;
    int idx[HR_MAX_COLS]; /* header position of each column, -1 when absent */
    size_t nheader;
    /* the current row */
    int64_t line;
    const char *raw;
    size_t raw_len;
    const char *val[HR_MAX_COLS]; /* trimmed values; "" for an absent column */
    int have_vals; /* val is filled (also for a row rejected for bad UTF-8) */
    /* scratch, kept across files (freed by hr_reader_free) */
    char *buf;
    size_t cap;
    size_t *off, *len;
    size_t fcap;
} hr_reader;

enum { HR_ROW = 1, HR_END = 0, HR_SKIP = 2, HR_ERR = -1 };

/* Opens the CSV and reads the header; CM_ERROR (after api->fail) when the
 * file cannot be read as this table. */
int hr_reader_open(hr_reader *r, const cm_api *api, cm_stream *s, const hr_config *cfg,
                   const hr_column *cols, size_t ncols);
/* HR_ROW with r->val filled, HR_SKIP when the row was rejected (bad UTF-8,
 * with r->val filled and r->have_vals set; wrong field count), HR_END,
 * HR_ERR (read or store error). */
int hr_reader_next(hr_reader *r);
void hr_reader_close(hr_reader *r);
void hr_reader_free(hr_reader *r);
/* reject the current row: CM_OK, or CM_ERROR when the store failed */
int hr_reject(hr_reader *r, const char *fmt, ...) CM_PRINTF(2, 3);

/* the separator option: 0 for auto, else the character; -1 when invalid */
int hr_separator(const char *opt);
/* checks a date-format option: dd, mm and yyyy once each, and separators */
int hr_date_format_ok(const char *fmt);

/* Parses a date in `fmt` to 'YYYY-MM-DD' (out[11]) and yyyymmdd (*ymd). */
int hr_date(const cm_api *api, const char *text, const char *fmt, char out[11], int *ymd);
#define HR_OPEN_END 99991231
/* a period as "2025-01-01 to 2025-03-14" or "from 2025-03-15 on" (out[40]) */
const char *hr_period_text(int from, int to, char out[40]);

/* Reads valid_from (required) and valid_to (optional, "" = still valid) of
 * the current row; rejects the row and returns HR_SKIP or HR_ERR on a bad
 * value, CM_OK otherwise. */
int hr_validity(hr_reader *r, const char *fmt, size_t from_col, size_t to_col, char from[11],
                char to[11], int *from_ymd, int *to_ymd);

/* ---------------------------------------------------------------- helpers */

/* A string set: each distinct key gets an index 0, 1, 2, ... */
typedef struct hr_strmap {
    char **keys;  /* by index */
    size_t n, kcap;
    int32_t *slots; /* open addressing: index + 1, 0 empty */
    size_t nslots;
} hr_strmap;

/* index of key, adding it when absent (*added = 1); -1 on out of memory */
int32_t hr_strmap_put(hr_strmap *m, const char *key, int *added);
int32_t hr_strmap_get(const hr_strmap *m, const char *key);
void hr_strmap_clear(hr_strmap *m);
void hr_strmap_free(hr_strmap *m);

/* Validity periods of one key (a unit or a number) that do not overlap,
 * sorted by start; each with the line it came from. */
typedef struct hr_period {
    int from, to; /* yyyymmdd, inclusive; to = HR_OPEN_END when open */
    int64_t line;
} hr_period;

typedef struct hr_periods {
    hr_period *p;
    uint32_t n, cap;
} hr_periods;

/* Adds [from, to] unless it overlaps a period already there: returns 0
 * (added), 1 (overlaps: *clash is the earlier period), -1 (out of memory). */
int hr_periods_add(hr_periods *ps, int from, int to, int64_t line, hr_period *clash);

#endif
