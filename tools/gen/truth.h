/* The truth: what a correct load of DIR must give, accumulated while the
 * files are written (sized by units x months and by the files), and written
 * as truth.tsv (sorted key<TAB>value lines, diffed against the store) and
 * truth.json (the same, plus the behaviour parameters and the bad records). */
#ifndef GEN_TRUTH_H
#define GEN_TRUTH_H

#include <stdint.h>

#include "model.h"

enum source {
    SRC_HR_ORG, SRC_HR_EMP, SRC_HR_NUM, SRC_TDC_MOBILE, SRC_TDC_INV, SRC_PBX_AST, SRC_PBX_CUCM,
    SRC_KC_QL, SRC_KC_EX, NSOURCES
};
extern const char *const SOURCE_IDS[NSOURCES];

enum direction { DIR_IN, DIR_OUT, DIR_INT };
enum outcome { OC_ANSWERED, OC_MISSED, OC_BUSY, OC_VOICEMAIL, OC_ABANDONED };
enum supplier { SUP_TDC, SUP_VENDOR, NSUPPLIERS };

typedef struct truth truth;

typedef struct truth_info {
    uint64_t seed;
    const char *scale_text;
    double scale;
    double bad_rate;
    int start_y, start_m, months;
} truth_info;

truth *truth_new(const model *m, int first_month, int months);
void truth_free(truth *t);

/* a source file (member "" for plain and compressed files); returns its index */
int truth_file(truth *t, int source, const char *relpath, const char *member, int month);
/* the file's rows that load and its rejects, and its final status */
void truth_file_done(truth *t, int f, int64_t loaded, int64_t rejected, const char *status);
void truth_file_status(truth *t, int f, const char *status);
/* the file was not written after all (it would have had no records) */
void truth_file_drop(truth *t, int f);
/* an injected bad record the plugin rejects (record = its line or record number) */
void truth_reject(truth *t, int f, int64_t record, const char *reason);
/* an injected bad record that loads (an unknown number: unattributed) */
void truth_bad_loaded(truth *t, int f, int64_t record, const char *reason);
/* the truncated member */
void truth_truncated(truth *t, int f, const char *reason);

/* one calls row as stored: attributed to the assignment asg (-1: none) */
void truth_call(truth *t, int source, int asg, int dir, int outcome, int transferred,
                int64_t start_utc);
/* one cost line: unit -1 = not attributed */
void truth_cost(truth *t, int unit, int supplier, int64_t ore);

/* every file of the source but the last one is superseded (HR snapshots) */
void truth_supersede(truth *t, int source);
/* records written (loading and rejected) of one source, or of all (-1) */
int64_t truth_records(const truth *t, int source);

void truth_write(truth *t, const char *dir, const truth_info *info);

#endif
