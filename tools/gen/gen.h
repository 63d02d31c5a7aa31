/* The generation context shared by the writers, and the per-file accounting
 * that turns what a writer writes into the truth (acct.c). */
#ifndef GEN_GEN_H
#define GEN_GEN_H

#include <stdint.h>

#include "model.h"
#include "rng.h"
#include "truth.h"

typedef struct gen {
    const char *out;   /* DIR */
    uint64_t seed;
    double bad_rate;
    model *m;
    truth *t;
    rng bad;           /* decides where bad records go */
    int first_month;   /* y*12 + m-1 of the first month */
    int months;
    int truncate;      /* cut the last CUCM member of the last month */
} gen;

/* the share of a file's records that may be injected rejects: half the
 * pipeline's default max-reject-ratio (0.01), so no file fails by accident */
#define BAD_CAP 0.005

/* One source file being written: its line numbers, its rows and rejects. */
typedef struct acct {
    gen *g;
    int tf;            /* truth file index */
    int source;
    int64_t line;      /* lines (records) written so far */
    int64_t loaded;    /* rows the file will load */
    int64_t rejected;  /* injected rejects */
    int doomed;        /* the truncated member: nothing of it loads */
} acct;

void acct_open(acct *a, gen *g, int source, const char *relpath, const char *member, int month);
/* should a reject be injected before the next record (rate and cap) */
int acct_want_bad(acct *a);
/* should the next (simple inbound) call go to a number no HR row covers */
int acct_want_unknown(acct *a);
/* a random reason class for a reject: 0 broken line, 1 bad date, 2 wrong
 * encoding (only when encodings > 2) */
int acct_bad_kind(acct *a, int kinds);
/* an injected reject on line `record` */
void acct_reject(acct *a, int64_t record, const char *reason);
/* an injected record that loads but stays unattributed */
void acct_unknown(acct *a, int64_t record);
/* a calls row that loads */
void acct_call(acct *a, int asg, int dir, int outcome, int transferred, int64_t start_utc);
/* rows that load and are not calls */
void acct_rows(acct *a, int64_t n);
/* records the file's truth; returns 0 when the file had no record at all:
 * then it is left out of the truth, and the writer removes (or never
 * writes) it, because an empty file has the same content as every other
 * empty file and would load as a duplicate (skipped, no source_files row) */
int acct_close(acct *a);

/* file names of months and days */
void month_folder(char out[8], int month); /* YYYY-MM */

#endif
