/* The report's text: a growing output buffer, HTML escaping, numbers in the
 * report's language (English 1,234.5 or Danish 1.234,5) and its labels. */
#ifndef CM_REPORT_FMT_H
#define CM_REPORT_FMT_H

#include <stddef.h>

typedef struct rp_buf {
    char *p;
    size_t n, cap;
} rp_buf;

void rp_put(rp_buf *b, const char *s);
void rp_putn(rp_buf *b, const char *s, size_t n);
void rp_printf(rp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s as HTML text or attribute value: & < > " ' escaped, invalid UTF-8 and
 * control characters replaced (NULL writes nothing). */
void rp_html(rp_buf *b, const char *s);
void rp_buf_free(rp_buf *b);

typedef enum rp_lang { RP_EN = 0, RP_DA = 1 } rp_lang;

/* Numbers. NAN (a missing value) writes an en dash. */
void rp_num(rp_buf *b, rp_lang l, double v, int decimals);   /* 1,234.5 / 1.234,5 */
void rp_pct(rp_buf *b, rp_lang l, double share, int decimals); /* 0.125 -> 12.5% / 12,5 % */
void rp_dkk(rp_buf *b, rp_lang l, double v, int decimals);   /* 1,234 DKK / 1.234 kr. */
void rp_secs(rp_buf *b, rp_lang l, double v);                 /* 95 -> 1:35 min */
/* A difference b - a of a data point of the kind, signed ("+3.2 pp"). */
void rp_month(rp_buf *b, rp_lang l, const char *yyyy_mm);     /* "Mar 2025" / "mar. 2025" */

/* The kinds of value a data point has, for formatting. */
typedef enum rp_kind { RP_COUNT, RP_DECIMAL, RP_SHARE, RP_SECONDS, RP_DKK } rp_kind;
void rp_value(rp_buf *b, rp_lang l, rp_kind k, double v);
void rp_change(rp_buf *b, rp_lang l, rp_kind k, double from, double to);
/* The kind a data point's name implies: *_share -> share, *_s -> seconds,
 * *_dkk -> DKK, else a decimal number. */
rp_kind rp_kind_of(const char *name);

/* Labels. */
typedef enum rp_msg {
    M_TITLE, M_SUBTITLE, M_HOWTO_H, M_HOWTO, M_HOWTO_COMPARE, M_CONTENTS,
    M_OVERVIEW, M_OVERVIEW_P, M_CALLS_MONTH, M_TRANSFERRED, M_MISSED, M_EMP_OVER,
    M_RANKING, M_RANKING_P, M_RANKING_MORE, M_RANK, M_UNIT, M_CALLS_YEAR, M_PERSONS, M_AGENTS,
    M_SAVING, M_REASONS, M_NO_REASONS, M_REASON_FMT_VALUE, M_REASON_PEERS, M_REASON_THRESHOLD,
    M_UNITS_H, M_KEY_FIGURES, M_FIGURE, M_PERIOD, M_CHANGE, M_TREND, M_TREND_P,
    M_ANSWERED, M_MISSED_N, M_ABANDONED, M_OTHER, M_HEATMAP, M_HEATMAP_P, M_EMPLOYEES,
    M_EMPLOYEES_P, M_EMPLOYEES_MORE, M_NO_EMPLOYEES, M_COST_PER_CALL_H, M_COSTS, M_COSTS_P,
    M_SUPPLIER, M_TOTAL, M_NO_COSTS, M_CANCEL, M_CANCEL_P, M_CANCEL_UNIT, M_NUMBER,
    M_EMPLOYEE, M_MONTHS_BILLED, M_COST, M_CALLS_IN_OUT, M_YEARLY, M_NO_CANCEL, M_DQ, M_DQ_P,
    M_SOURCE, M_FILES_LOADED, M_FILES_FAILED, M_PERIOD_COVERED, M_RECORDS_LOADED,
    M_RECORDS_REJECTED, M_UNATTR_CALLS, M_UNATTR_COSTS, M_REJECTS_H, M_REASON, M_COUNT,
    M_FAILED_FILES_H, M_NO_REJECTS, M_FOOTER, M_NO_DATA, M_TYPE, M_ANALYSIS_PERIOD,
    M_PERIOD_A, M_PERIOD_B, M_SNAPSHOT, M_CANCEL_TOTAL, M_MORE_REJECTS, M_PP, M_THRESHOLD_LINE,
    M_PER_WEEK, M_LEVEL_UNDER,
    /* data points */
    M_DP_INBOUND, M_DP_OUTBOUND, M_DP_ANSWERED_SHARE, M_DP_MISSED_SHARE, M_DP_ABANDONED_SHARE,
    M_DP_TRANSFERRED_SHARE, M_DP_ANSWERING, M_DP_EMP_OVER, M_DP_BUSIEST, M_DP_PEAK_HOUR,
    M_DP_MOBILE, M_DP_HIDDEN, M_DP_REPEAT, M_DP_TALK, M_DP_COST, M_DP_COST_PER_CALL,
    M_DP_SL_ANSWERED, M_DP_SL_OFFERED, M_DP_ASA, M_DP_WRAP, M_DP_NOON, M_DP_MONDAY,
    M_DP_FEW_CALLS, M_DP_POOLING_GAP, M_DP_PER_ANSWERING,
    M_CAT_SUBSCRIPTION, M_CAT_USAGE, M_CAT_EQUIPMENT, M_CAT_OTHER, M_CAT_NONE,
    M_CATEGORY, M_FILE, M_CANCEL_TOTAL1, M_CANCEL_SHOWN, M_DP_ANSWERERS_PER_AGENT, M_DP_CC_INBOUND,
    M_WD1, M_WD2, M_WD3, M_WD4, M_WD5, M_WD6, M_WD7,
    M_COUNT_OF_MSGS
} rp_msg;

const char *rp_msg_text(rp_lang l, rp_msg m);
#define T(l, m) rp_msg_text((l), (m))

/* A category of cost lines as a label (known categories translated). */
const char *rp_category_label(rp_lang l, const char *category);
/* A data point's label for a known name (unit_month columns and the
 * analysis' reasons), else NULL. */
const char *rp_datapoint_label(rp_lang l, const char *name);

#endif
