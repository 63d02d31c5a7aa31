/*
 * callmap plugin SDK: the only header a plugin includes.
 *
 * A plugin is a shared object that exports one data symbol, `callmap_plugin`
 * (a `const cm_plugin`), and never links against the callmap binary: everything
 * it needs from the host comes through the `cm_api` table handed to each kind's
 * `init`.  Both structs only ever grow at the end (as SQLite's
 * sqlite3_api_routines does), so a plugin built against ABI 1.N keeps working
 * with any host of ABI 1.M, M >= N.
 */
#ifndef CALLMAP_PLUGIN_H
#define CALLMAP_PLUGIN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CALLMAP_ABI_MAJOR 1
#define CALLMAP_ABI_MINOR 0

#define CALLMAP_PLUGIN_SYMBOL "callmap_plugin"

#if defined(__GNUC__)
#define CM_EXPORT __attribute__((visibility("default")))
#define CM_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CM_EXPORT
#define CM_PRINTF(f, a)
#endif

/* Return codes of plugin callbacks and api functions. */
enum {
    CM_OK = 0,
    CM_ERROR = -1,   /* the stream cannot be read further; the file fails */
    CM_REJECT = -2,  /* transform: reject this record (after api->reject) */
};

/* ---------------------------------------------------------------- options */

typedef enum cm_opt_type {
    CM_OPT_STRING = 1, /* const char * (owned by the host, valid until destroy) */
    CM_OPT_INT,        /* int64_t */
    CM_OPT_DOUBLE,     /* double */
    CM_OPT_BOOL,       /* int: true/false, yes/no, 1/0 */
    CM_OPT_LIST,       /* const char *const *: every value of a repeatable option, in
                        * pipeline order, NULL-terminated (never NULL itself). A name
                        * ending in ".*" takes a family: with "column.*",
                        * <option name="column.date" value="Dato"/> is "date=Dato" */
} cm_opt_type;

/*
 * One row of a kind's option table, Fluent Bit config_map style: the host
 * validates the pipeline's <option> elements against the table, converts the
 * value (or the default) and writes it at `offset` into a zeroed config struct
 * of `cm_kind.config_size` bytes that it passes to init.
 */
typedef struct cm_option_def {
    const char *name;
    cm_opt_type type;
    const char *default_value; /* NULL: no default (unset string = NULL, number = 0) */
    int required;
    size_t offset; /* offsetof(your_config, field) */
    const char *description;
} cm_option_def;

/* ---------------------------------------------------------------- records */

typedef enum cm_dataset {
    CM_DS_CALLS = 1,
    CM_DS_COSTS,
    CM_DS_INVOICES, /* one row per invoice document; the suppliers view derives from it */
    CM_DS_ORG_UNITS,
    CM_DS_EMPLOYEES,
    CM_DS_NUMBER_ASSIGNMENTS,
} cm_dataset;

typedef enum cm_value_type {
    CM_NULL = 0,
    CM_INT,  /* i */
    CM_REAL, /* d */
    CM_TEXT, /* s: NUL-terminated UTF-8, borrowed until emit returns */
    CM_TIME, /* i: seconds since the Unix epoch, UTC; stored as 'YYYY-MM-DDTHH:MM:SSZ' */
} cm_value_type;

typedef struct cm_value {
    cm_value_type type;
    union {
        int64_t i;
        double d;
        const char *s;
    } u;
} cm_value;

/*
 * Columns a plugin may set on a calls record (docs/schema.md describes each).
 * id, source and source_file_id are set by the host.  New columns are only
 * ever appended before CM_CALL__COUNT.
 */
enum cm_call_column {
    CM_CALL_SOURCE_CALL_ID = 0,
    CM_CALL_CALL_GROUP,
    CM_CALL_START_UTC,   /* CM_TIME */
    CM_CALL_START_LOCAL, /* CM_TEXT 'YYYY-MM-DDTHH:MM:SS' */
    CM_CALL_DURATION_S,
    CM_CALL_WAIT_S,
    CM_CALL_TALK_S,
    CM_CALL_DIRECTION,   /* inbound | outbound | internal */
    CM_CALL_LOCAL_NUMBER,
    CM_CALL_REMOTE_NUMBER,
    CM_CALL_REMOTE_TYPE,
    CM_CALL_OUTCOME,     /* answered | missed | busy | failed | abandoned | voicemail */
    CM_CALL_TRANSFERRED, /* CM_INT 0/1 */
    CM_CALL_TRANSFERRED_TO,
    CM_CALL_CHANNEL,     /* mobile | fixed | pbx | contact_center */
    CM_CALL_QUEUE,
    CM_CALL_EMPLOYEE_ID,
    CM_CALL_UNIT_ID,
    CM_CALL_CHARGE_DKK,  /* CM_REAL */
    CM_CALL_END_UTC,     /* CM_TIME */
    CM_CALL_WRAP_S,      /* contact center: after-call work ("efterbehandling"), seconds */
    CM_CALL_IVR_CHOICE,  /* contact center: the caller's IVR menu choice */
    CM_CALL_SHORT_ABANDON, /* CM_INT 1: abandoned before the source's short-abandon threshold
                            * (not counted against service level); 0 other abandons */
    CM_CALL_AGENT,       /* the agent or member as the source names it (for HR matching) */
    CM_CALL__COUNT
};

/* costs: one row per invoice line. Dates are CM_TEXT 'YYYY-MM-DD'. */
enum cm_cost_column {
    CM_COST_SUPPLIER_CVR = 0, /* 8 digits, no "DK" */
    CM_COST_INVOICE_ID,
    CM_COST_INVOICE_DATE,
    CM_COST_PERIOD_START,
    CM_COST_PERIOD_END,
    CM_COST_BUYER_EAN,
    CM_COST_ACCOUNTING_COST,
    CM_COST_UNIT_ID,
    CM_COST_CATEGORY,        /* subscription | usage | equipment | other */
    CM_COST_DESCRIPTION,
    CM_COST_NUMBER,          /* E.164 of the subscription the line names */
    CM_COST_QUANTITY,        /* CM_REAL */
    CM_COST_AMOUNT_DKK,      /* CM_REAL, excluding VAT; negative for credit notes */
    CM_COST_VAT_DKK,         /* CM_REAL */
    CM_COST_CURRENCY,
    CM_COST_LINE_ID,         /* the line's ID in the document */
    CM_COST__COUNT
};

/* invoices: one row per Invoice or CreditNote document. */
enum cm_invoice_column {
    CM_INV_INVOICE_ID = 0,
    CM_INV_DOCUMENT_TYPE,    /* Invoice | CreditNote */
    CM_INV_CUSTOMIZATION_ID, /* OIOUBL-2.01, OIOUBL-2.02, OIOUBL-2.1, ... */
    CM_INV_ISSUE_DATE,
    CM_INV_PERIOD_START,
    CM_INV_PERIOD_END,
    CM_INV_SUPPLIER_CVR,
    CM_INV_SUPPLIER_NAME,
    CM_INV_SUPPLIER_ADDRESS,
    CM_INV_BUYER_EAN,
    CM_INV_BUYER_NAME,
    CM_INV_LINE_EXTENSION_DKK, /* CM_REAL, sum of the lines excluding VAT (negative for credit notes) */
    CM_INV_TAX_DKK,            /* CM_REAL */
    CM_INV_PAYABLE_DKK,        /* CM_REAL */
    CM_INV_CURRENCY,
    CM_INV_LINES,              /* CM_INT */
    CM_INV__COUNT
};

/* org_units, employees, number_assignments: validity as 'YYYY-MM-DD';
 * valid_to NULL = still valid (inclusive dates). */
enum cm_org_unit_column {
    CM_ORG_UNIT_ID = 0,
    CM_ORG_NAME,
    CM_ORG_PARENT_ID,
    CM_ORG_EAN,
    CM_ORG_TYPE,
    CM_ORG_VALID_FROM,
    CM_ORG_VALID_TO,
    CM_ORG__COUNT
};

enum cm_employee_column {
    CM_EMP_EMPLOYEE_ID = 0,
    CM_EMP_UNIT_ID,
    CM_EMP_NAME,
    CM_EMP_TITLE,
    CM_EMP_VALID_FROM,
    CM_EMP_VALID_TO,
    CM_EMP__COUNT
};

enum cm_assignment_column {
    CM_NA_NUMBER = 0, /* E.164 */
    CM_NA_EMPLOYEE_ID,
    CM_NA_UNIT_ID,
    CM_NA_KIND,       /* mobile | fixed | queue | shared */
    CM_NA_VALID_FROM,
    CM_NA_VALID_TO,
    CM_NA__COUNT
};

/* A record of one dataset.  `source_record` is the line or record number of
 * the input it came from (1-based), so every stored row traces back. */
typedef struct cm_record {
    cm_dataset dataset;
    int64_t source_record;
    unsigned ncols;  /* number of entries in v (the plugin's __COUNT) */
    cm_value *v;
    /* optional: the input text, kept with the reject if the store or a
     * transform refuses the record */
    const char *raw;
    size_t raw_len;
} cm_record;

static inline void cm_set_null(cm_record *r, unsigned c) { r->v[c].type = CM_NULL; }
static inline void cm_set_int(cm_record *r, unsigned c, int64_t i) { r->v[c].type = CM_INT; r->v[c].u.i = i; }
static inline void cm_set_real(cm_record *r, unsigned c, double d) { r->v[c].type = CM_REAL; r->v[c].u.d = d; }
static inline void cm_set_time(cm_record *r, unsigned c, int64_t t) { r->v[c].type = CM_TIME; r->v[c].u.i = t; }
static inline void cm_set_text(cm_record *r, unsigned c, const char *s)
{
    r->v[c].type = s ? CM_TEXT : CM_NULL;
    r->v[c].u.s = s;
}
static inline void cm_record_clear(cm_record *r)
{
    for (unsigned c = 0; c < r->ncols; c++)
        r->v[c].type = CM_NULL;
}

/* ---------------------------------------------------------------- helpers */

/* Classification of a normalised number (remote_type in the calls table). */
typedef enum cm_number_type {
    CM_NUM_UNKNOWN = 0,
    CM_NUM_NATIONAL,      /* an 8-digit Danish number; mobile/fixed unknown */
    CM_NUM_MOBILE,
    CM_NUM_FIXED,
    CM_NUM_SPECIAL,       /* 80 freephone, 90 premium, 70 shared cost */
    CM_NUM_SHORT,         /* 112, 114, 116xxx, 18xx, ... */
    CM_NUM_INTERNATIONAL,
    CM_NUM_HIDDEN,
    CM_NUM_INTERNAL,      /* an internal extension */
} cm_number_type;

/* Result of cm_api.local_to_utc. */
typedef enum cm_time_result {
    CM_TIME_INVALID = -1, /* not a valid calendar date/time */
    CM_TIME_GAP = 0,      /* wall time that does not exist (spring forward) */
    CM_TIME_UNIQUE = 1,
    CM_TIME_AMBIGUOUS = 2 /* wall time that happens twice (autumn back) */
} cm_time_result;

typedef struct cm_instance cm_instance; /* one configured kind in a pipeline */
typedef struct cm_stream cm_stream;     /* one source file being read */
typedef struct cm_csv cm_csv;           /* a CSV reader over a stream */
typedef struct cm_run cm_run;           /* the run, for finish hooks */

/* csv_open flags */
#define CM_CSV_SINGLE_LINE 1u /* fields never hold line breaks: each line is a record */

typedef enum cm_log_level { CM_LOG_ERROR = 0, CM_LOG_WARN, CM_LOG_INFO, CM_LOG_DEBUG } cm_log_level;

/* A CSV record handed out by cm_api.csv_next: fields are NUL-terminated and
 * valid until the next call. */
typedef struct cm_csv_row {
    size_t nfields;
    const char *const *fields;
    const size_t *lengths;
    int64_t line;      /* line number of the record's first line (1-based) */
    const char *raw;   /* the record's text as it stood in the file, for rejects */
    size_t raw_len;
} cm_csv_row;

/* The host's services (append-only, see the ABI rules at the top). */
typedef struct cm_api {
    uint32_t abi_major;
    uint32_t abi_minor;
    size_t size; /* sizeof(cm_api) of the host */

    /* logging: prefixed with the pipeline source id and the current file */
    void (*log)(cm_instance *inst, cm_log_level level, const char *fmt, ...) CM_PRINTF(3, 4);

    /* reading the current source file: raw bytes (returns bytes read, 0 at end,
     * -1 on a read error, with the reason in stream_error) */
    long (*read)(cm_stream *s, void *buf, size_t n);
    const char *(*stream_name)(cm_stream *s);  /* "path" or "path!member" */
    const char *(*stream_error)(cm_stream *s);

    /* CSV reader (libcsv underneath) with line numbers and raw text; flags
     * are CM_CSV_* bits. csv_next returns 1 with a row, 0 at end of input,
     * -1 on a read error (the reason is in stream_error). */
    cm_csv *(*csv_open)(cm_stream *s, char delimiter, char quote, unsigned flags);
    int (*csv_next)(cm_csv *c, cm_csv_row *row);
    void (*csv_close)(cm_csv *c);

    /* output: emit a record, or reject an input record with a reason a person
     * understands (raw is the input text, capped by the host). Both return
     * CM_OK, or CM_ERROR when the store failed (stop reading). */
    int (*emit)(cm_stream *s, cm_record *rec);
    int (*reject)(cm_stream *s, int64_t record_no, const char *raw, size_t raw_len,
                  const char *fmt, ...) CM_PRINTF(5, 6);
    /* a named per-file counter shown in the run summary (e.g. "ambiguous_times");
     * up to 32 names of at most 47 bytes per file */
    void (*count)(cm_stream *s, const char *name, int64_t n);

    /* time: wall time in the instance's zone (the source's timezone attribute;
     * Europe/Copenhagen for transforms) to UTC.  On CM_TIME_AMBIGUOUS *first is
     * the earlier instant (summer time) and *second the later; on
     * CM_TIME_UNIQUE both are equal; on CM_TIME_GAP and CM_TIME_INVALID they
     * are left as they were. */
    cm_time_result (*local_to_utc)(cm_instance *inst, int year, int mon, int day, int hour,
                                   int min, int sec, int64_t *first, int64_t *second);
    /* UTC instant to wall time in the instance's zone, 'YYYY-MM-DDTHH:MM:SS' (20 bytes) */
    int (*utc_to_local)(cm_instance *inst, int64_t utc, char out[20]);
    /* the instance's zone name, e.g. "Europe/Copenhagen", for messages */
    const char *(*timezone_name)(cm_instance *inst);

    /* the file cannot be loaded (e.g. a header of another format): give the
     * reason, then return CM_ERROR from read; the file is rolled back and
     * recorded as failed with this reason */
    void (*fail)(cm_stream *s, const char *fmt, ...) CM_PRINTF(2, 3);
    /* reject with a va_list, for a plugin's own reject helper */
    int (*vreject)(cm_stream *s, int64_t record_no, const char *raw, size_t raw_len,
                   const char *fmt, va_list ap);

    /* text: the input is in `encoding` (an iconv name: "WINDOWS-1252",
     * "ISO-8859-1", "UTF-8", ...); call before the first read of the stream,
     * and every later read (and CSV row) is UTF-8. CM_ERROR for an unknown
     * encoding. encoding_known checks a name in init. */
    int (*set_encoding)(cm_stream *s, const char *encoding);
    int (*encoding_known)(const char *encoding);
    /* 1 when s[0..n) is valid UTF-8 (for inputs declared UTF-8) */
    int (*utf8_valid)(const char *s, size_t n);
    /* numbers as written: decimal_comma = 1 for Danish "1.234,50" / "-12,5"
     * ('.' groups thousands), 0 for "1234.50". Spaces around are allowed.
     * Returns CM_OK or CM_ERROR. */
    int (*parse_decimal)(const char *text, int decimal_comma, double *out);
    /* dates by a pattern of dd, mm, yyyy and separators, e.g. "dd-mm-yyyy",
     * "yyyy-mm-dd", "dd.mm.yyyy"; validates the calendar. CM_OK or CM_ERROR. */
    int (*parse_date)(const char *text, const char *format, int *year, int *mon, int *day);
    /* identifiers: CVR (8 digits, mod 11) and EAN/GLN (13 digits, GS1 mod 10) */
    int (*cvr_valid)(const char *cvr);
    int (*ean_valid)(const char *ean);
    /* a warning on a record that still loads (e.g. a CVR that fails its
     * check): kept in the warnings table with the record number */
    void (*warn)(cm_stream *s, int64_t record_no, const char *fmt, ...) CM_PRINTF(3, 4);

    /* finish hooks (cm_kind.finish) only: SQL on the store, inside the hook's
     * transaction. sql_query calls row() for each result row (values as text,
     * NULL for SQL NULL); a non-zero return from row() stops it. Both return
     * CM_OK or CM_ERROR (the message is logged). */
    int (*sql_exec)(cm_run *r, const char *sql);
    int (*sql_query)(cm_run *r, const char *sql,
                     int (*row)(void *ctx, int ncols, const char *const *values), void *ctx);
    /* a line in the run summary under a source (e.g. "unattributed calls"),
     * with an optional detail text (e.g. the ten most frequent numbers) */
    void (*report)(cm_run *r, const char *source_id, const char *name, int64_t value,
                   const char *detail);
    /* 1 when this run loaded, replaced or superseded any file */
    int (*run_changed)(cm_run *r);

    /* numbers: raw to E.164 ('+45...') into out.  extension_prefix (may be NULL)
     * turns an internal extension of extension_len digits into a full number.
     * Returns the classification; on CM_NUM_UNKNOWN out holds the raw value and
     * *why (if given) a short reason. */
    cm_number_type (*number_normalize)(const char *raw, const char *extension_prefix,
                                       int extension_len, char *out, size_t outsz,
                                       const char **why);
    const char *(*number_type_name)(cm_number_type t); /* "national", ... */
} cm_api;

/* Reject a CSV row with a reason: its line and raw text go with it. */
static inline int cm_reject_row(const cm_api *api, cm_stream *s, const cm_csv_row *row,
                                const char *fmt, ...) CM_PRINTF(4, 5);
static inline int cm_reject_row(const cm_api *api, cm_stream *s, const cm_csv_row *row,
                                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = api->vreject(s, row->line, row->raw, row->raw_len, fmt, ap);
    va_end(ap);
    return rc;
}

/* ---------------------------------------------------------------- plugin */

typedef enum cm_kind_type {
    CM_KIND_SOURCE = 1,    /* reads one input stream, emits records of `dataset` */
    CM_KIND_TRANSFORM = 2, /* sees every record of `dataset` and may change it */
} cm_kind_type;

/* cm_kind.flags */
#define CM_KIND_SNAPSHOT 1u /* each file is the whole current state of its source: when it
                             * loads, the rows of the source's earlier files are removed
                             * (history lives in the rows' validity periods) */

typedef struct cm_kind {
    const char *name;
    cm_kind_type type;
    cm_dataset dataset; /* what it emits (a source may also emit other datasets) or sees */
    const char *description;
    const cm_option_def *options; /* terminated by an entry with name == NULL */
    size_t config_size;

    /* Create the per-instance state (no globals: instances may run in parallel
     * threads). `config` is the converted option struct, owned by the host. */
    int (*init)(const cm_api *api, cm_instance *inst, const void *config, void **state);
    /* source kinds: read the whole stream, calling api->emit / api->reject */
    int (*read)(void *state, cm_stream *s);
    /* transform kinds: change rec in place; CM_OK or CM_REJECT (may be NULL
     * for a transform that only has a finish hook) */
    int (*transform)(void *state, cm_stream *s, cm_record *rec);
    void (*destroy)(void *state);
    unsigned flags; /* CM_KIND_* */
    /* optional: after every source of the run, in pipeline order, in its own
     * transaction (e.g. attribute all calls to the units that had their
     * numbers). CM_OK, or CM_ERROR to roll it back (the run then fails). */
    int (*finish)(void *state, cm_run *r);
} cm_kind;

typedef struct cm_plugin {
    uint32_t abi_major; /* CALLMAP_ABI_MAJOR */
    uint32_t abi_minor; /* CALLMAP_ABI_MINOR */
    size_t struct_size; /* sizeof(cm_plugin) */
    const char *name;
    const char *version;
    const char *description;
    const char *license;
    const cm_kind *kinds; /* terminated by an entry with name == NULL */
    void *reserved[8];
} cm_plugin;

/* Fills in the ABI fields: `CM_PLUGIN_DEFINE(.name = "x", ...)`. */
#define CM_PLUGIN_DEFINE(...)                                                   \
    CM_EXPORT const cm_plugin callmap_plugin = {.abi_major = CALLMAP_ABI_MAJOR, \
                                                .abi_minor = CALLMAP_ABI_MINOR, \
                                                .struct_size = sizeof(cm_plugin), \
                                                __VA_ARGS__}

#ifdef __cplusplus
}
#endif
#endif
