/* The run: every selected source, every input file, every source file in it;
 * each source file hashed, checked against the ledger, and loaded in one
 * transaction that either commits whole or is rolled back and marked failed. */
#include "run.h"
#include "analysis.h"
#include "engine.h"
#include "json.h"
#include "recode.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct src_summary {
    const char *id;
    int64_t files_loaded, files_skipped, files_failed;
    int64_t records_loaded, records_rejected;
    cm_counter counters[CM_MAX_COUNTERS];
    int ncounters;
} src_summary;

typedef struct entry {
    char *member;
    char sha256[65];
    int64_t bytes;
    char *error; /* the member could not be read in the hashing pass */
    int64_t existing_id;
    int load;
} entry;
/* entry.sha256 is empty until known: a file is hashed while it loads, except
 * under --reprocess, which hashes first to find the row each file replaces. */

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void errorf(cm_engine *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void errorf(cm_engine *e, const char *fmt, ...)
{
    if (e->progress)
        fputs("\r\033[K", stderr);
    fputs("callmap: ", stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cm_stream_progress(cm_stream *s, int force)
{
    double t = now_s();
    if (!force && t - s->last_progress < 0.25)
        return;
    static const double mb = 1024.0 * 1024.0;
    double rate = 0;
    if (t > s->started)
        rate = (double)(s->loaded + s->rejected) / (t - s->started);
    /* Progress in the file on disk, so a compressed file or an archive's
     * members count against the size a person sees. */
    fprintf(stderr, "\r\033[K[%s] %s: %.1f of %.1f MB, %.0f records/s", s->inst->step->id,
            s->name, (double)cm_container_file_offset(s->container) / mb,
            (double)cm_container_file_size(s->container) / mb, rate);
    s->last_progress = t;
}

static void add_counter(src_summary *sum, const cm_counter *c)
{
    for (int i = 0; i < sum->ncounters; i++) {
        if (strcmp(sum->counters[i].name, c->name) == 0) {
            sum->counters[i].value += c->value;
            return;
        }
    }
    if (sum->ncounters < CM_MAX_COUNTERS)
        sum->counters[sum->ncounters++] = *c;
}

static void free_kept(cm_stream *s)
{
    for (size_t i = 0; i < s->nkept; i++) {
        free(s->kept[i].reason);
        free(s->kept[i].raw);
    }
    s->nkept = 0;
}

static char *display_name(const char *path, const char *member)
{
    return member ? cm_asprintf("%s!%s", path, member) : cm_xstrdup(path);
}

static void fail_file(cm_engine *e, src_summary *sum, cm_file_info *fi, int64_t *id,
                      const cm_file_counts *c, const char *error, cm_stream *s)
{
    char *name = display_name(fi->path, fi->member);
    errorf(e, "[%s] %s: failed: %s", sum->id, name, error);
    free(name);
    sum->files_failed++;
    if (cm_store_file_failed(e->store, fi, id, c, error, s ? s->kept : NULL, s ? s->nkept : 0))
        errorf(e, "%s", cm_store_error(e->store));
}

/* The ledger row to reuse for this content, if any (a failed earlier try). */
static int64_t failed_row(cm_engine *e, const char *source, const char *sha)
{
    int64_t id = 0;
    char status[16];
    if (cm_store_find_file(e->store, source, sha, &id, status) == 1 && strcmp(status, "failed") == 0)
        return id;
    return 0;
}

/*
 * Load one source file whose bytes the container is positioned at, in one
 * transaction. Without a known hash (the usual case) the content is hashed
 * while it loads, and content that is already loaded is rolled back and
 * counted as skipped; with --reprocess the hash is known from the first pass.
 */
static int load_entry(cm_engine *e, cm_instance *in, src_summary *sum, cm_container *c,
                      const char *path, const struct stat *fst, entry *en)
{
    int known = en->sha256[0] != '\0';
    cm_file_info fi = {.run_id = e->run_id,
                       .source = in->step->id,
                       .path = path,
                       .member = en->member,
                       .sha256 = known ? en->sha256 : "pending",
                       .bytes = en->bytes,
                       .file_size = fst->st_size,
                       .file_mtime = fst->st_mtime,
                       .plugin = in->plugin->desc->name,
                       .plugin_version = in->plugin->desc->version,
                       .kind = in->kind->name};
    int64_t id = en->existing_id;
    cm_file_counts counts = {0};
    if (cm_store_file_begin(e->store, &fi, &id)) {
        fail_file(e, sum, &fi, &id, &counts, cm_store_error(e->store), NULL);
        return 0;
    }
    cm_stream s = {.eng = e, .inst = in, .container = c, .hash = cm_sha256_new(),
                   .name = display_name(path, en->member), .file_id = id,
                   .started = now_s()};
    in->current = &s;
    int rc = in->kind->read(in->state, &s);
    in->current = NULL;
    /* Hash what the plugin did not read: the hash is of the whole content. */
    char buf[65536];
    long n;
    while (!s.read_failed && (n = cm_container_read(c, buf, sizeof buf)) != 0) {
        if (n < 0) {
            s.read_failed = 1;
            snprintf(s.error, sizeof s.error, "%s", cm_container_error(c));
            break;
        }
        cm_sha256_update(s.hash, buf, (size_t)n);
        s.bytes_read += n;
    }
    char sha[65];
    cm_sha256_final(s.hash, sha);
    if (e->progress)
        fputs("\r\033[K", stderr);

    counts.loaded = s.loaded;
    counts.rejected = s.rejected;
    counts.read = s.loaded + s.rejected;
    char why[1400] = "";
    int duplicate = 0;
    if (s.store_failed || s.read_failed)
        snprintf(why, sizeof why, "%s", s.error);
    else if (rc != CM_OK)
        snprintf(why, sizeof why, "%s", s.error[0] ? s.error : "the plugin stopped with an error");
    else if (known && strcmp(sha, en->sha256) != 0)
        snprintf(why, sizeof why, "the file changed while it was being read; it loads next run");
    if (!why[0] && !known) {
        int64_t other = 0;
        char status[16] = "";
        int found = cm_store_find_file(e->store, in->step->id, sha, &other, status);
        if (found == 1 && (strcmp(status, "loaded") == 0 || strcmp(status, "superseded") == 0))
            duplicate = 1;
        else if ((found == 1 && cm_store_file_forget(e->store, other)) || found < 0 ||
                 cm_store_file_set_hash(e->store, id, sha, s.bytes_read))
            snprintf(why, sizeof why, "%s", cm_store_error(e->store));
    }
    if (!why[0] && !duplicate && counts.read > 0 &&
        (double)counts.rejected > in->step->max_reject_ratio * (double)counts.read)
        snprintf(why, sizeof why,
                 "%lld of %lld records rejected (%.2f%%), above the source's max-reject-ratio"
                 " %g; the file was rolled back",
                 (long long)counts.rejected, (long long)counts.read,
                 100.0 * (double)counts.rejected / (double)counts.read,
                 in->step->max_reject_ratio);
    /* a snapshot replaces the source's earlier files, in the same transaction */
    int64_t superseded = 0;
    if (!why[0] && !duplicate && (in->kind->flags & CM_KIND_SNAPSHOT) &&
        cm_store_supersede(e->store, in->step->id, id, &superseded))
        snprintf(why, sizeof why, "%s", cm_store_error(e->store));
    if (superseded)
        cm_host_api.count(&s, "files_superseded", superseded);
    if (s.replaced)
        cm_host_api.count(&s, "encoding_replacements", s.replaced);
    if (s.warnings)
        cm_host_api.count(&s, "warnings", s.warnings);
    for (int i = 0; !why[0] && !duplicate && i < s.ncounters; i++)
        if (cm_store_counter(e->store, id, s.counters[i].name, s.counters[i].value))
            snprintf(why, sizeof why, "%s", cm_store_error(e->store));
    if (!why[0] && !duplicate && cm_store_file_commit(e->store, id, &counts))
        snprintf(why, sizeof why, "%s", cm_store_error(e->store));

    if (duplicate) {
        /* the same content was loaded before, under another name */
        cm_store_file_rollback(e->store);
        sum->files_skipped++;
    } else if (why[0]) {
        cm_store_file_rollback(e->store);
        counts.loaded = 0;
        fi.sha256 = sha;
        fi.bytes = s.bytes_read;
        /* a row inserted by the rolled-back transaction is gone */
        id = known ? en->existing_id : failed_row(e, in->step->id, sha);
        fail_file(e, sum, &fi, &id, &counts, why, &s);
    } else {
        e->changed = 1;
        sum->files_loaded++;
        sum->records_loaded += counts.loaded;
        sum->records_rejected += counts.rejected;
        for (int i = 0; i < s.ncounters; i++)
            add_counter(sum, &s.counters[i]);
        if (!e->quiet && counts.rejected)
            errorf(e, "[%s] %s: %lld records loaded, %lld rejected (see the rejects table)",
                   sum->id, s.name, (long long)counts.loaded, (long long)counts.rejected);
        /* a snapshot kind's export is expected to change under one name */
        int64_t older = known || (in->kind->flags & CM_KIND_SNAPSHOT)
                            ? 0
                            : cm_store_other_version(e->store, in->step->id, path, en->member, id);
        if (older)
            errorf(e,
                   "[%s] warning: %s was loaded before with other content (source file %lld);"
                   " all its records were loaded again. Point the pipeline at files that no"
                   " longer change (rotated or delivered files), not at a file still being"
                   " written.",
                   sum->id, s.name, (long long)older);
    }
    free_kept(&s);
    cm_recode_free(s.recode);
    free(s.name);
    return s.read_failed;
}

/* Pass 1: hash every matching source file of the container. */
static entry *hash_entries(cm_engine *e, const char *path, const char *glob, size_t *n,
                           char **open_error)
{
    char err[1024];
    cm_container *c = cm_container_open(path, err, sizeof err);
    if (!c) {
        *open_error = cm_xstrdup(err);
        return NULL;
    }
    entry *list = NULL;
    size_t cap = 0;
    *n = 0;
    const char *member;
    int rc;
    char buf[65536];
    while ((rc = cm_container_next(c, glob, &member)) == 1) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 4;
            list = cm_xrealloc(list, cap * sizeof *list);
        }
        entry *en = &list[(*n)++];
        memset(en, 0, sizeof *en);
        en->member = member ? cm_xstrdup(member) : NULL;
        cm_sha256 *h = cm_sha256_new();
        long got;
        while ((got = cm_container_read(c, buf, sizeof buf)) > 0) {
            cm_sha256_update(h, buf, (size_t)got);
            en->bytes += got;
        }
        cm_sha256_final(h, en->sha256);
        if (got < 0) {
            en->error = cm_xstrdup(cm_container_error(c));
            break; /* an archive cannot be read past a broken member */
        }
    }
    if (rc < 0)
        *open_error = cm_xstrdup(cm_container_error(c));
    cm_container_close(c);
    (void)e;
    return list;
}

static void free_entries(entry *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(list[i].member);
        free(list[i].error);
    }
    free(list);
}

/* --reprocess: hash first, so each file reuses its ledger row and id. */
static void reprocess_container(cm_engine *e, cm_instance *in, src_summary *sum, const char *path,
                                const struct stat *fst, const char *glob)
{
    size_t n = 0;
    char *open_error = NULL;
    entry *list = hash_entries(e, path, glob, &n, &open_error);
    size_t nload = 0;
    for (size_t i = 0; i < n; i++) {
        entry *en = &list[i];
        char status[16] = "";
        if (cm_store_find_file(e->store, in->step->id, en->sha256, &en->existing_id, status) < 0) {
            errorf(e, "%s", cm_store_error(e->store));
            sum->files_failed++;
            continue;
        }
        if (en->error) {
            cm_file_info fi = {.run_id = e->run_id, .source = in->step->id, .path = path,
                               .member = en->member, .sha256 = en->sha256, .bytes = en->bytes,
                               .file_size = fst->st_size, .file_mtime = fst->st_mtime,
                               .plugin = in->plugin->desc->name,
                               .plugin_version = in->plugin->desc->version,
                               .kind = in->kind->name};
            cm_file_counts none = {0};
            fail_file(e, sum, &fi, &en->existing_id, &none, en->error, NULL);
            continue;
        }
        /* the same content twice in one container: load it once */
        int twice = 0;
        for (size_t k = 0; k < i; k++)
            twice |= list[k].load && strcmp(list[k].sha256, en->sha256) == 0;
        if (twice) {
            sum->files_skipped++;
            continue;
        }
        en->load = 1;
        nload++;
    }
    if (open_error) {
        errorf(e, "[%s] %s", sum->id, open_error);
        sum->files_failed++;
    }
    if (nload) {
        char err[1024];
        cm_container *c = cm_container_open(path, err, sizeof err);
        if (!c) {
            errorf(e, "[%s] %s", sum->id, err);
            sum->files_failed += (int64_t)nload;
        } else {
            const char *member;
            for (size_t i = 0; i < n && cm_container_next(c, glob, &member) == 1; i++)
                if (list[i].load)
                    load_entry(e, in, sum, c, path, fst, &list[i]);
            cm_container_close(c);
        }
    }
    free(open_error);
    free_entries(list, n);
}

static void run_container(cm_engine *e, cm_instance *in, src_summary *sum, const char *path,
                          const char *glob, int reprocess)
{
    struct stat fst;
    if (stat(path, &fst) != 0) {
        errorf(e, "[%s] %s: %s", sum->id, path, strerror(errno));
        sum->files_failed++;
        return;
    }
    if (reprocess) {
        reprocess_container(e, in, sum, path, &fst, glob);
        return;
    }
    /* A scheduled run over a growing folder: what did not change is not read. */
    int64_t known = cm_store_known_file(e->store, in->step->id, path, fst.st_size, fst.st_mtime);
    if (known > 0) {
        sum->files_skipped += known;
        return;
    }
    char err[1024];
    cm_container *c = cm_container_open(path, err, sizeof err);
    if (!c) {
        errorf(e, "[%s] %s", sum->id, err);
        sum->files_failed++;
        return;
    }
    const char *member;
    int rc, broken = 0;
    while ((rc = cm_container_next(c, glob, &member)) == 1) {
        entry en = {.member = (char *)member};
        broken = load_entry(e, in, sum, c, path, &fst, &en);
    }
    /* after a broken member the archive cannot be read on: that member's
     * failure already says so */
    if (rc < 0 && !broken) {
        errorf(e, "[%s] %s", sum->id, cm_container_error(c));
        sum->files_failed++;
    }
    cm_container_close(c);
}

static void run_source(cm_engine *e, cm_instance *in, src_summary *sum, int reprocess)
{
    for (size_t i = 0; i < in->step->ninputs; i++) {
        const cm_pl_input *inp = &in->step->inputs[i];
        char **paths = NULL;
        char err[1024];
        int n = cm_input_expand(inp->path, &paths, err, sizeof err);
        if (n < 0) {
            errorf(e, "[%s] %s:%ld: %s", sum->id, e->pl->file, inp->line, err);
            sum->files_failed++;
            continue;
        }
        if (n == 0 && !e->quiet)
            errorf(e, "[%s] warning: %s:%ld: input '%s' matches no files", sum->id, e->pl->file,
                   inp->line, inp->path);
        for (int k = 0; k < n; k++)
            run_container(e, in, sum, paths[k], inp->member, reprocess);
        cm_input_free_list(paths);
    }
}

static int selected(const cm_run_opts *o, const char *id)
{
    if (!o->nsources)
        return 1;
    for (size_t i = 0; i < o->nsources; i++)
        if (strcmp(o->sources[i], id) == 0)
            return 1;
    return 0;
}

/* Every kind's finish hook, in pipeline order, each in its own transaction.
 * Returns how many failed. */
static int run_finish_hooks(cm_engine *e)
{
    int failed = 0;
    for (size_t i = 0; i < e->ninst; i++) {
        cm_instance *in = &e->inst[i];
        if (!in->kind->finish)
            continue;
        cm_run r = {.eng = e, .inst = in};
        if (cm_store_exec(e->store, "BEGIN IMMEDIATE")) {
            errorf(e, "[%s] %s", in->step->id, cm_store_error(e->store));
            failed++;
            continue;
        }
        if (in->kind->finish(in->state, &r) == CM_OK && cm_store_exec(e->store, "COMMIT") == 0)
            continue;
        cm_store_file_rollback(e->store);
        errorf(e, "[%s] %s/%s failed at the end of the run; its changes were rolled back",
               in->step->id, in->step->plugin, in->step->kind);
        failed++;
    }
    return failed;
}

static void free_reports(cm_engine *e)
{
    for (size_t i = 0; i < e->nreports; i++) {
        free(e->reports[i].source);
        free(e->reports[i].name);
        free(e->reports[i].detail);
    }
    free(e->reports);
    e->reports = NULL;
    e->nreports = 0;
}

static void json_reports(cm_json *j, const cm_engine *e, const char *source)
{
    cm_json_key(j, "reports");
    cm_json_begin_array(j);
    for (size_t i = 0; i < e->nreports; i++) {
        const cm_report *r = &e->reports[i];
        if (strcmp(r->source, source) != 0)
            continue;
        cm_json_begin_object(j);
        cm_json_key_string(j, "name", r->name);
        cm_json_key_int(j, "value", r->value);
        cm_json_key_string(j, "detail", r->detail);
        cm_json_end_object(j);
    }
    cm_json_end_array(j);
}

static void text_reports(const cm_engine *e, const char *source)
{
    for (size_t i = 0; i < e->nreports; i++) {
        const cm_report *r = &e->reports[i];
        if (strcmp(r->source, source) != 0)
            continue;
        printf("%-24s   %s: %lld\n", "", r->name, (long long)r->value);
        if (r->detail)
            printf("%-24s     %s\n", "", r->detail);
    }
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void print_summary(cm_engine *e, const cm_run_opts *o, src_summary *sums, size_t n,
                          const cm_run_totals *t, const char *status, double elapsed,
                          const cm_analysis_summary *ana)
{
    if (o->json) {
        cm_json j;
        cm_json_init(&j, stdout);
        cm_json_begin_object(&j);
        cm_json_key_int(&j, "run_id", e->run_id);
        cm_json_key_string(&j, "pipeline", e->pl->name);
        cm_json_key_string(&j, "store", e->pl->store_path);
        cm_json_key_string(&j, "status", status);
        cm_json_key_int(&j, "files_loaded", t->files_loaded);
        cm_json_key_int(&j, "files_skipped", t->files_skipped);
        cm_json_key_int(&j, "files_failed", t->files_failed);
        cm_json_key_int(&j, "records_loaded", t->records_loaded);
        cm_json_key_int(&j, "records_rejected", t->records_rejected);
        cm_json_key_double(&j, "elapsed_s", elapsed);
        cm_json_key_int(&j, "peak_rss_kb", peak_rss_kb());
        cm_json_key(&j, "sources");
        cm_json_begin_array(&j);
        for (size_t i = 0; i < n; i++) {
            cm_json_begin_object(&j);
            cm_json_key_string(&j, "id", sums[i].id);
            cm_json_key_int(&j, "files_loaded", sums[i].files_loaded);
            cm_json_key_int(&j, "files_skipped", sums[i].files_skipped);
            cm_json_key_int(&j, "files_failed", sums[i].files_failed);
            cm_json_key_int(&j, "records_loaded", sums[i].records_loaded);
            cm_json_key_int(&j, "records_rejected", sums[i].records_rejected);
            cm_json_key(&j, "counters");
            cm_json_begin_object(&j);
            for (int k = 0; k < sums[i].ncounters; k++)
                cm_json_key_int(&j, sums[i].counters[k].name, sums[i].counters[k].value);
            cm_json_end_object(&j);
            json_reports(&j, e, sums[i].id);
            cm_json_end_object(&j);
        }
        cm_json_end_array(&j);
        cm_json_key(&j, "reports"); /* every report, also of sources not in this run */
        cm_json_begin_array(&j);
        for (size_t i = 0; i < e->nreports; i++) {
            cm_json_begin_object(&j);
            cm_json_key_string(&j, "source", e->reports[i].source);
            cm_json_key_string(&j, "name", e->reports[i].name);
            cm_json_key_int(&j, "value", e->reports[i].value);
            cm_json_key_string(&j, "detail", e->reports[i].detail);
            cm_json_end_object(&j);
        }
        cm_json_end_array(&j);
        if (ana) {
            cm_json_key(&j, "analysis");
            cm_json_begin_object(&j);
            cm_json_key_string(&j, "from", ana->from[0] ? ana->from : NULL);
            cm_json_key_string(&j, "to", ana->to[0] ? ana->to : NULL);
            cm_json_key_int(&j, "days", ana->days);
            cm_json_key_int(&j, "unit_month", ana->unit_month);
            cm_json_key_int(&j, "unit_potential", ana->unit_potential);
            cm_json_key_double(&j, "elapsed_s", ana->elapsed_s);
            cm_json_end_object(&j);
        }
        cm_json_end_object(&j);
        fputc('\n', stdout);
        return;
    }
    printf("run %lld of pipeline '%s': %s in %.1f s\n", (long long)e->run_id, e->pl->name, status,
           elapsed);
    printf("%-24s %8s %8s %8s %12s %10s\n", "source", "loaded", "skipped", "failed",
           "records", "rejected");
    for (size_t i = 0; i < n; i++) {
        printf("%-24s %8lld %8lld %8lld %12lld %10lld\n", sums[i].id,
               (long long)sums[i].files_loaded, (long long)sums[i].files_skipped,
               (long long)sums[i].files_failed, (long long)sums[i].records_loaded,
               (long long)sums[i].records_rejected);
        for (int k = 0; k < sums[i].ncounters; k++)
            printf("%-24s   %s: %lld\n", "", sums[i].counters[k].name,
                   (long long)sums[i].counters[k].value);
        text_reports(e, sums[i].id);
    }
    for (size_t i = 0; i < e->nreports; i++) { /* e.g. calls another pipeline loaded */
        const cm_report *r = &e->reports[i];
        int shown = 0;
        for (size_t k = 0; k < n && !shown; k++)
            shown = strcmp(sums[k].id, r->source) == 0;
        if (!shown) {
            printf("%-24s   %s: %lld\n", r->source, r->name, (long long)r->value);
            if (r->detail)
                printf("%-24s     %s\n", "", r->detail);
        }
    }
    printf("%-24s %8lld %8lld %8lld %12lld %10lld\n", "total", (long long)t->files_loaded,
           (long long)t->files_skipped, (long long)t->files_failed,
           (long long)t->records_loaded, (long long)t->records_rejected);
    if (ana && ana->from[0])
        printf("analysis: %s to %s, %lld unit-months, %lld units ranked, in %.1f s\n", ana->from,
               ana->to, (long long)ana->unit_month, (long long)ana->unit_potential,
               ana->elapsed_s);
    else if (ana)
        printf("analysis: no attributed calls or costs; the tables are empty\n");
    printf("store: %s\n", e->pl->store_path);
}

/* Load and prepare the pipeline; prints every problem. 0 on success. */
static int open_engine(cm_engine *e, const cm_run_opts *o)
{
    cm_diag diag;
    cm_diag_init(&diag);
    e->pl = cm_pipeline_load(o->pipeline, &diag);
    if (e->pl) {
        e->reg = cm_registry_open(o->plugin_path);
        for (size_t i = 0; i < e->reg->nrefused; i++)
            fprintf(stderr, "callmap: warning: plugin %s refused: %s\n", e->reg->refused[i].path,
                    e->reg->refused[i].reason);
        for (size_t i = 0; i < o->nsources; i++) {
            int known = 0;
            for (size_t k = 0; k < e->pl->nsteps; k++)
                known |= e->pl->steps[k].type == CM_STEP_SOURCE &&
                         strcmp(e->pl->steps[k].id, o->sources[i]) == 0;
            if (!known)
                cm_diag_add(&diag, "%s: --source %s: the pipeline has no source with that id",
                            o->pipeline, o->sources[i]);
        }
        cm_engine_prepare(e, &diag);
    }
    for (size_t i = 0; i < diag.n; i++)
        fprintf(stderr, "%s\n", diag.msgs[i]);
    int bad = diag.n > 0;
    if (bad)
        fprintf(stderr, "callmap: %s: %zu problem%s; nothing was read\n", o->pipeline, diag.n,
                diag.n == 1 ? "" : "s");
    cm_diag_free(&diag);
    return bad ? -1 : 0;
}

static void close_engine(cm_engine *e)
{
    free_reports(e);
    cm_engine_release(e);
    cm_store_close(e->store);
    cm_registry_close(e->reg);
    cm_pipeline_free(e->pl);
}

int cm_cmd_validate(const cm_run_opts *o)
{
    cm_engine e = {.quiet = o->quiet};
    int rc = open_engine(&e, o);
    if (rc == 0) {
        size_t ns = 0;
        for (size_t i = 0; i < e.ninst; i++)
            ns += e.inst[i].step->type == CM_STEP_SOURCE;
        printf("%s: pipeline '%s' is valid: %zu source%s, %zu transform%s, store %s\n",
               o->pipeline, e.pl->name, ns, ns == 1 ? "" : "s", e.ninst - ns,
               e.ninst - ns == 1 ? "" : "s", e.pl->store_path);
    }
    close_engine(&e);
    return rc == 0 ? CM_EXIT_OK : CM_EXIT_USAGE;
}

int cm_cmd_run(const cm_run_opts *o)
{
    double t0 = now_s();
    cm_engine e = {.quiet = o->quiet, .progress = !o->quiet && isatty(STDERR_FILENO)};
    if (open_engine(&e, o)) {
        close_engine(&e);
        return CM_EXIT_USAGE;
    }
    char err[1024];
    e.store = cm_store_open(e.pl->store_path, err, sizeof err);
    if (!e.store) {
        fprintf(stderr, "callmap: %s\n", err);
        close_engine(&e);
        return CM_EXIT_USAGE;
    }
    char *holder = NULL;
    int lk = cm_store_lock(e.store, o->wait_s, &holder);
    if (lk != 0) {
        if (lk > 0)
            fprintf(stderr, "callmap: %s is busy: %s is writing it (waited %g s; see --wait)\n",
                    e.pl->store_path, holder, o->wait_s);
        else
            fprintf(stderr, "callmap: %s\n", cm_store_error(e.store));
        free(holder);
        close_engine(&e);
        return lk > 0 ? CM_EXIT_BUSY : CM_EXIT_USAGE;
    }
    e.run_id = cm_store_run_begin(e.store, e.pl->name, e.pl->file, o->reprocess);
    if (e.run_id < 0) {
        fprintf(stderr, "callmap: %s\n", cm_store_error(e.store));
        close_engine(&e);
        return CM_EXIT_USAGE;
    }
    src_summary *sums = cm_xcalloc(e.ninst, sizeof *sums);
    size_t nsum = 0;
    for (size_t i = 0; i < e.ninst; i++) {
        cm_instance *in = &e.inst[i];
        if (in->step->type != CM_STEP_SOURCE || !selected(o, in->step->id))
            continue;
        src_summary *sum = &sums[nsum++];
        sum->id = in->step->id;
        run_source(&e, in, sum, o->reprocess);
    }
    int finish_failed = run_finish_hooks(&e);
    /* the analysis tables, when the pipeline asks for them; a failure makes
     * the run fail (the tables stay as they were) */
    cm_analysis_summary ana = {0};
    int ana_rc = -1;
    if (e.pl->analysis) {
        char aerr[2048];
        if (e.progress)
            fputs("\r\033[K[analysis] computing the analysis tables", stderr);
        ana_rc = cm_analysis_run(cm_store_db(e.store), e.pl->analysis, e.pl->file, 0, &ana, aerr,
                                 sizeof aerr);
        if (e.progress)
            fputs("\r\033[K", stderr);
        if (ana_rc != CM_ANALYSIS_OK) {
            errorf(&e, "analysis failed: %s; the store's analysis tables are unchanged", aerr);
            finish_failed++;
        }
    }
    cm_run_totals t = {0};
    for (size_t i = 0; i < nsum; i++) {
        t.files_loaded += sums[i].files_loaded;
        t.files_skipped += sums[i].files_skipped;
        t.files_failed += sums[i].files_failed;
        t.records_loaded += sums[i].records_loaded;
        t.records_rejected += sums[i].records_rejected;
    }
    const char *status = t.files_failed || finish_failed ? "failed" : "ok";
    if (cm_store_run_end(e.store, e.run_id, status, &t))
        fprintf(stderr, "callmap: %s\n", cm_store_error(e.store));
    print_summary(&e, o, sums, nsum, &t, status, now_s() - t0,
                  ana_rc == CM_ANALYSIS_OK ? &ana : NULL);
    free(sums);
    close_engine(&e);
    return t.files_failed || finish_failed ? CM_EXIT_FILE_FAILED : CM_EXIT_OK;
}
