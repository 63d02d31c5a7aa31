#include "truth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cal.h"
#include "sbuf.h"
#include "util.h"

const char *const SOURCE_IDS[NSOURCES] = {
    "hr-org", "hr-employees", "hr-numbers", "tdc-mobile", "tdc-invoices",
    "pbx-asterisk", "pbx-cucm", "kc-queues", "kc-export",
};

enum { C_IN, C_OUT, C_INT, C_ANS, C_MISSED, C_XFER, NCOUNT };
static const char *const COUNT_NAMES[NCOUNT] = {"inbound", "outbound", "internal",
                                                "answered", "missed", "transferred"};

/* inbound legs only, as analysis' unit_month counts them (docs/analysis.md):
 * missed = outcome missed, busy or voicemail (the generator makes no failed) */
enum { I_IN, I_ANS, I_MISSED, I_ABANDONED, I_XFER, NINB };
static const char *const INB_NAMES[NINB] = {"inbound", "answered", "missed", "abandoned",
                                            "transferred"};

typedef struct tfile {
    int source, month;
    char *relpath, *member;
    int64_t loaded, rejected;
    const char *status;
} tfile;

typedef struct tbad {
    int file;
    int64_t record;
    const char *reason;
    int loads; /* 1: loads (unknown number); 0: rejected; 2: the truncated member */
} tbad;

struct truth {
    const model *m;
    int first_month, months, nm; /* nm = months + 1 (a leg may start after the period) */
    int64_t *unit_counts;        /* [unit][nm][NCOUNT] */
    int64_t *unit_inb;           /* [unit][nm][NINB] inbound legs only */
    int32_t *emp_in;             /* [emp][nm] inbound rows */
    int64_t *costs;              /* [unit + 1][NSUPPLIERS] øre; index 0 = not attributed */
    int64_t unattributed[NSOURCES];
    tfile *files;
    int nfiles, cfiles;
    tbad *bads;
    size_t nbads, cbads;
};

truth *truth_new(const model *m, int first_month, int months)
{
    truth *t = xcalloc(1, sizeof *t);
    t->m = m;
    t->first_month = first_month;
    t->months = months;
    t->nm = months + 1;
    t->unit_counts = xcalloc((size_t)m->nunits * (size_t)t->nm * NCOUNT, sizeof *t->unit_counts);
    t->unit_inb = xcalloc((size_t)m->nunits * (size_t)t->nm * NINB, sizeof *t->unit_inb);
    t->emp_in = xcalloc((size_t)m->nemps * (size_t)t->nm, sizeof *t->emp_in);
    t->costs = xcalloc((size_t)(m->nunits + 1) * NSUPPLIERS, sizeof *t->costs);
    return t;
}

void truth_free(truth *t)
{
    for (int i = 0; i < t->nfiles; i++) {
        free(t->files[i].relpath);
        free(t->files[i].member);
    }
    free(t->files);
    free(t->bads);
    free(t->unit_counts);
    free(t->unit_inb);
    free(t->emp_in);
    free(t->costs);
    free(t);
}

int truth_file(truth *t, int source, const char *relpath, const char *member, int month)
{
    if (t->nfiles == t->cfiles) {
        t->cfiles = t->cfiles ? t->cfiles * 2 : 64;
        t->files = xrealloc(t->files, (size_t)t->cfiles * sizeof *t->files);
    }
    tfile *f = &t->files[t->nfiles];
    f->source = source;
    f->month = month;
    f->relpath = xstrdup(relpath);
    f->member = xstrdup(member ? member : "");
    f->loaded = f->rejected = 0;
    f->status = "loaded";
    return t->nfiles++;
}

void truth_file_done(truth *t, int f, int64_t loaded, int64_t rejected, const char *status)
{
    t->files[f].loaded = loaded;
    t->files[f].rejected = rejected;
    t->files[f].status = status;
}

void truth_file_status(truth *t, int f, const char *status) { t->files[f].status = status; }

void truth_file_drop(truth *t, int f) { t->files[f].status = NULL; }

static void add_bad(truth *t, int f, int64_t record, const char *reason, int loads)
{
    if (t->nbads == t->cbads) {
        t->cbads = t->cbads ? t->cbads * 2 : 256;
        t->bads = xrealloc(t->bads, t->cbads * sizeof *t->bads);
    }
    t->bads[t->nbads++] = (tbad){f, record, reason, loads};
}

void truth_reject(truth *t, int f, int64_t record, const char *reason) { add_bad(t, f, record, reason, 0); }
void truth_bad_loaded(truth *t, int f, int64_t record, const char *reason) { add_bad(t, f, record, reason, 1); }
void truth_truncated(truth *t, int f, const char *reason) { add_bad(t, f, 0, reason, 2); }

void truth_call(truth *t, int source, int asg, int dir, int outcome, int transferred,
                int64_t start_utc)
{
    if (asg < 0) {
        t->unattributed[source]++;
        return;
    }
    int64_t day;
    int sec;
    cal_utc_to_local(start_utc, &day, &sec);
    int mi = cal_month_of(day) - t->first_month;
    if (mi < 0 || mi >= t->nm)
        die("internal error: a call on day %lld is outside the period", (long long)day);
    const assignment *a = &t->m->asgs[asg];
    int64_t *c = &t->unit_counts[((size_t)a->unit * (size_t)t->nm + (size_t)mi) * NCOUNT];
    c[dir == DIR_IN ? C_IN : dir == DIR_OUT ? C_OUT : C_INT]++;
    if (outcome == OC_ANSWERED)
        c[C_ANS]++;
    else if (outcome == OC_MISSED)
        c[C_MISSED]++;
    if (transferred)
        c[C_XFER]++;
    if (dir == DIR_IN) {
        int64_t *n = &t->unit_inb[((size_t)a->unit * (size_t)t->nm + (size_t)mi) * NINB];
        n[I_IN]++;
        if (outcome == OC_ANSWERED)
            n[I_ANS]++;
        else if (outcome == OC_ABANDONED)
            n[I_ABANDONED]++;
        else
            n[I_MISSED]++;
        if (transferred)
            n[I_XFER]++;
    }
    if (dir == DIR_IN && a->emp >= 0)
        t->emp_in[(size_t)a->emp * (size_t)t->nm + (size_t)mi]++;
}

void truth_cost(truth *t, int unit, int supplier, int64_t ore)
{
    t->costs[(size_t)(unit + 1) * NSUPPLIERS + (size_t)supplier] += ore;
}

void truth_supersede(truth *t, int source)
{
    int last = -1;
    for (int i = 0; i < t->nfiles; i++)
        if (t->files[i].source == source && t->files[i].status)
            last = i;
    for (int i = 0; i < last; i++)
        if (t->files[i].source == source && t->files[i].status &&
            !strcmp(t->files[i].status, "loaded"))
            t->files[i].status = "superseded";
}

int64_t truth_records(const truth *t, int source)
{
    int64_t n = 0;
    for (int i = 0; i < t->nfiles; i++)
        if (source < 0 || t->files[i].source == source)
            n += t->files[i].loaded + t->files[i].rejected;
    return n;
}

/* ---------------------------------------------------------------- writing */

typedef struct lines {
    char **v;
    size_t n, cap;
} lines;

static void add_line(lines *l, sbuf *b)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 1024;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = xstrdup(sb_cstr(b));
    sb_clear(b);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void month_text(sbuf *b, int month)
{
    sb_uz(b, (uint64_t)(month / 12), 4);
    sb_ch(b, '-');
    sb_uz(b, (uint64_t)(month % 12 + 1), 2);
}

static void file_key(sbuf *b, const tfile *f)
{
    sb_str(b, SOURCE_IDS[f->source]);
    sb_ch(b, '\t');
    sb_str(b, f->relpath);
    sb_ch(b, '\t');
    sb_str(b, f->member[0] ? f->member : "-");
}

static void write_tsv(truth *t, const char *dir)
{
    const model *m = t->m;
    lines l = {0};
    sbuf b = {0};
    for (int i = 0; i < t->nfiles; i++) {
        const tfile *f = &t->files[i];
        if (!f->status)
            continue;
        static const char *const what[2] = {"loaded", "rejected"};
        int64_t v[2] = {f->loaded, f->rejected};
        for (int k = 0; k < 2; k++) {
            sb_str(&b, "file\t");
            file_key(&b, f);
            sb_ch(&b, '\t');
            sb_str(&b, what[k]);
            sb_ch(&b, '\t');
            sb_i64(&b, v[k]);
            add_line(&l, &b);
        }
        sb_str(&b, "file\t");
        file_key(&b, f);
        sb_str(&b, "\tstatus\t");
        sb_str(&b, f->status);
        add_line(&l, &b);
    }
    for (size_t i = 0; i < t->nbads; i++) {
        const tbad *x = &t->bads[i];
        if (x->loads)
            continue;
        sb_str(&b, "reject\t");
        file_key(&b, &t->files[x->file]);
        sb_ch(&b, '\t');
        sb_i64(&b, x->record);
        sb_str(&b, "\t1");
        add_line(&l, &b);
    }
    int64_t *over = xcalloc((size_t)m->nunits * (size_t)t->nm, sizeof *over);
    for (int e = 0; e < m->nemps; e++)
        for (int mi = 0; mi < t->nm; mi++)
            if (t->emp_in[(size_t)e * (size_t)t->nm + (size_t)mi] > 100)
                over[(size_t)m->emps[e].unit * (size_t)t->nm + (size_t)mi]++;
    for (int u = 0; u < m->nunits; u++) {
        for (int mi = 0; mi < t->nm; mi++) {
            const int64_t *c = &t->unit_counts[((size_t)u * (size_t)t->nm + (size_t)mi) * NCOUNT];
            for (int k = 0; k <= NCOUNT; k++) {
                int64_t v = k < NCOUNT ? c[k] : over[(size_t)u * (size_t)t->nm + (size_t)mi];
                if (!v)
                    continue;
                sb_str(&b, "unit_month\t");
                sb_str(&b, m->units[u].id);
                sb_ch(&b, '\t');
                month_text(&b, t->first_month + mi);
                sb_ch(&b, '\t');
                sb_str(&b, k < NCOUNT ? COUNT_NAMES[k] : "employees_over_100");
                sb_ch(&b, '\t');
                sb_i64(&b, v);
                add_line(&l, &b);
            }
        }
    }
    free(over);
    for (int u = -1; u < m->nunits; u++) {
        for (int s = 0; s < NSUPPLIERS; s++) {
            int64_t ore = t->costs[(size_t)(u + 1) * NSUPPLIERS + (size_t)s];
            if (!ore)
                continue;
            sb_str(&b, "cost\t");
            sb_str(&b, u < 0 ? "-" : m->units[u].id);
            sb_ch(&b, '\t');
            sb_str(&b, s == SUP_TDC ? m->tdc_cvr : m->vendor_cvr);
            sb_ch(&b, '\t');
            sb_i64(&b, ore);
            add_line(&l, &b);
        }
    }
    for (int s = 0; s < NSOURCES; s++) {
        if (!t->unattributed[s])
            continue;
        sb_str(&b, "unattributed\t");
        sb_str(&b, SOURCE_IDS[s]);
        sb_ch(&b, '\t');
        sb_i64(&b, t->unattributed[s]);
        add_line(&l, &b);
    }
    qsort(l.v, l.n, sizeof *l.v, cmp_str);
    char path[4096];
    snprintf(path, sizeof path, "%s/truth.tsv", dir);
    FILE *f = fopen(path, "wb");
    if (!f)
        die("cannot create %s", path);
    for (size_t i = 0; i < l.n; i++) {
        fputs(l.v[i], f);
        fputc('\n', f);
        free(l.v[i]);
    }
    if (fclose(f) != 0)
        die("cannot write %s", path);
    free(l.v);
    sb_free(&b);
}

/* ---------------------------------------------------------------- json */

static void js_str(sbuf *b, const char *s)
{
    sb_ch(b, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            sb_ch(b, '\\');
            sb_ch(b, (char)c);
        } else if (c < 0x20) {
            static const char hex[] = "0123456789abcdef";
            sb_str(b, "\\u00");
            sb_ch(b, hex[c >> 4]);
            sb_ch(b, hex[c & 15]);
        } else {
            sb_ch(b, (char)c);
        }
    }
    sb_ch(b, '"');
}

/* a share or factor as a decimal with 4 places, without printf of doubles */
static void js_num(sbuf *b, double x)
{
    int64_t v = (int64_t)(x * 10000 + (x < 0 ? -0.5 : 0.5));
    if (v < 0) {
        sb_ch(b, '-');
        v = -v;
    }
    sb_i64(b, v / 10000);
    sb_ch(b, '.');
    sb_uz(b, (uint64_t)(v % 10000), 4);
}

static void js_date(sbuf *b, int64_t day)
{
    if (day == DAY_OPEN) {
        sb_str(b, "null");
        return;
    }
    int y, mo, d;
    cal_civil(day, &y, &mo, &d);
    sb_ch(b, '"');
    sb_uz(b, (uint64_t)y, 4);
    sb_ch(b, '-');
    sb_uz(b, (uint64_t)mo, 2);
    sb_ch(b, '-');
    sb_uz(b, (uint64_t)d, 2);
    sb_ch(b, '"');
}

static const char *sys_name(int s)
{
    static const char *const n[] = {"mobile", "asterisk", "cucm", "kc-queue-log", "kc-export", "none"};
    return n[s];
}

static void write_json(truth *t, const char *dir, const truth_info *in)
{
    const model *m = t->m;
    sbuf b = {0};
    sb_str(&b, "{\n  \"generator\": \"callmap-gen\",\n  \"seed\": ");
    sb_u64(&b, in->seed);
    sb_str(&b, ",\n  \"scale\": ");
    js_str(&b, in->scale_text);
    sb_str(&b, ",\n  \"scale_factor\": ");
    js_num(&b, in->scale);
    sb_str(&b, ",\n  \"bad_rate\": ");
    js_num(&b, in->bad_rate);
    sb_str(&b, ",\n  \"period\": {\"start\": ");
    js_date(&b, m->first_day);
    sb_str(&b, ", \"end\": ");
    js_date(&b, m->last_day);
    sb_str(&b, ", \"months\": ");
    sb_i64(&b, in->months);
    sb_str(&b, "},\n  \"sources\": [");
    for (int s = 0; s < NSOURCES; s++) {
        sb_str(&b, s ? ", " : "");
        js_str(&b, SOURCE_IDS[s]);
    }
    sb_str(&b, "],\n  \"suppliers\": {\"tdc\": ");
    js_str(&b, m->tdc_cvr);
    sb_str(&b, ", \"vendor\": ");
    js_str(&b, m->vendor_cvr);
    sb_str(&b, "},\n  \"central_ean\": ");
    js_str(&b, m->central_ean);

    sb_str(&b, ",\n  \"units\": [");
    for (int u = 0; u < m->nunits; u++) {
        const unit *x = &m->units[u];
        const behaviour *h = &x->b;
        sb_str(&b, u ? ",\n    {" : "\n    {");
        sb_str(&b, "\"unit_id\": ");
        js_str(&b, x->id);
        sb_str(&b, ", \"name\": ");
        js_str(&b, x->name);
        sb_str(&b, ", \"type\": ");
        js_str(&b, unit_type_name(x->type));
        sb_str(&b, ", \"parent\": ");
        if (x->parent >= 0)
            js_str(&b, m->units[x->parent].id);
        else
            sb_str(&b, "null");
        if (x->new_parent >= 0) {
            sb_str(&b, ", \"moves_to\": ");
            js_str(&b, m->units[x->new_parent].id);
            sb_str(&b, ", \"moves_on\": ");
            js_date(&b, x->reorg_day);
        }
        sb_str(&b, ", \"ean\": ");
        js_str(&b, x->ean);
        sb_str(&b, ", \"phones\": ");
        js_str(&b, sys_name(x->sys));
        if (x->site >= 0) {
            sb_str(&b, ", \"asterisk_site\": ");
            js_str(&b, m->sites[x->site].name);
        }
        if (x->queue) {
            sb_str(&b, ", \"queue\": ");
            js_str(&b, x->queue);
        }
        if (x->b.potential) {
            sb_str(&b, ", \"behaviour\": {\"potential\": ");
            js_str(&b, h->potential);
            sb_str(&b, ", \"yearly_calls\": ");
            sb_i64(&b, (int64_t)(h->yearly_calls + 0.5));
            sb_str(&b, ", \"share_missed\": ");
            js_num(&b, h->share_missed);
            sb_str(&b, ", \"share_transferred\": ");
            js_num(&b, h->share_transferred);
            sb_str(&b, ", \"answerers\": ");
            sb_i64(&b, h->answerers);
            sb_str(&b, ", \"skew\": ");
            js_num(&b, h->skew);
            sb_str(&b, ", \"noon_peak\": ");
            js_num(&b, h->noon_peak);
            sb_str(&b, ", \"monday_peak\": ");
            js_num(&b, h->monday_peak);
            sb_str(&b, ", \"share_mobile_general\": ");
            js_num(&b, h->share_mobile_general);
            sb_str(&b, ", \"share_outbound\": ");
            js_num(&b, h->share_outbound);
            sb_str(&b, ", \"share_internal\": ");
            js_num(&b, h->share_internal);
            sb_str(&b, "}");
        }
        sb_str(&b, "}");
    }
    sb_str(&b, "\n  ],\n  \"unit_month_inbound\": {");
    /* unit -> month -> inbound legs by outcome (the direct unit, no roll-up) */
    int ufirst = 1;
    for (int u = 0; u < m->nunits; u++) {
        int mfirst = 1;
        for (int mi = 0; mi < t->nm; mi++) {
            const int64_t *n = &t->unit_inb[((size_t)u * (size_t)t->nm + (size_t)mi) * NINB];
            if (!n[I_IN])
                continue;
            if (mfirst) {
                sb_str(&b, ufirst ? "\n    " : ",\n    ");
                ufirst = 0;
                js_str(&b, m->units[u].id);
                sb_str(&b, ": {");
            }
            sb_str(&b, mfirst ? "\"" : ", \"");
            mfirst = 0;
            month_text(&b, t->first_month + mi);
            sb_str(&b, "\": {");
            for (int k = 0; k < NINB; k++) {
                sb_str(&b, k ? ", \"" : "\"");
                sb_str(&b, INB_NAMES[k]);
                sb_str(&b, "\": ");
                sb_i64(&b, n[k]);
            }
            sb_str(&b, "}");
        }
        if (!mfirst)
            sb_str(&b, "}");
    }
    sb_str(&b, "\n  },\n  \"records\": [");
    /* per source and month: records written (loading and rejected) and rejected */
    int first = 1;
    for (int s = 0; s < NSOURCES; s++) {
        for (int mi = 0; mi < t->months; mi++) {
            int64_t written = 0, rejected = 0, files = 0;
            for (int i = 0; i < t->nfiles; i++) {
                const tfile *f = &t->files[i];
                if (f->status && f->source == s && f->month == t->first_month + mi) {
                    written += f->loaded + f->rejected;
                    rejected += f->rejected;
                    files++;
                }
            }
            if (!files)
                continue;
            sb_str(&b, first ? "\n    " : ",\n    ");
            first = 0;
            sb_str(&b, "{\"source\": ");
            js_str(&b, SOURCE_IDS[s]);
            sb_str(&b, ", \"month\": \"");
            month_text(&b, t->first_month + mi);
            sb_str(&b, "\", \"files\": ");
            sb_i64(&b, files);
            sb_str(&b, ", \"written\": ");
            sb_i64(&b, written);
            sb_str(&b, ", \"rejected\": ");
            sb_i64(&b, rejected);
            sb_str(&b, "}");
        }
    }
    sb_str(&b, "\n  ],\n  \"bad_records\": [");
    for (size_t i = 0; i < t->nbads; i++) {
        const tbad *x = &t->bads[i];
        const tfile *f = &t->files[x->file];
        sb_str(&b, i ? ",\n    " : "\n    ");
        sb_str(&b, "{\"source\": ");
        js_str(&b, SOURCE_IDS[f->source]);
        sb_str(&b, ", \"file\": ");
        js_str(&b, f->relpath);
        sb_str(&b, ", \"member\": ");
        js_str(&b, f->member);
        sb_str(&b, ", \"record\": ");
        if (x->loads == 2)
            sb_str(&b, "null");
        else
            sb_i64(&b, x->record);
        sb_str(&b, ", \"reason\": ");
        js_str(&b, x->reason);
        sb_str(&b, ", \"expect\": ");
        js_str(&b, x->loads == 0 ? "rejected" : x->loads == 1 ? "loaded, unattributed"
                                                               : "the file fails");
        sb_str(&b, "}");
    }
    sb_str(&b, "\n  ],\n  \"truth_tsv\": \"truth.tsv\"\n}\n");
    char path[4096];
    snprintf(path, sizeof path, "%s/truth.json", dir);
    FILE *f = fopen(path, "wb");
    if (!f)
        die("cannot create %s", path);
    if (fwrite(b.p, 1, b.n, f) != b.n || fclose(f) != 0)
        die("cannot write %s", path);
    sb_free(&b);
}

void truth_write(truth *t, const char *dir, const truth_info *info)
{
    write_tsv(t, dir);
    write_json(t, dir, info);
}
