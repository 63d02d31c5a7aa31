#include "gen.h"

#include <stdio.h>

void acct_open(acct *a, gen *g, int source, const char *relpath, const char *member, int month)
{
    a->g = g;
    a->source = source;
    a->tf = truth_file(g->t, source, relpath, member, month);
    a->line = a->loaded = a->rejected = 0;
    a->doomed = 0;
}

int acct_want_bad(acct *a)
{
    if (a->doomed || a->g->bad_rate <= 0)
        return 0;
    if (!rng_chance(&a->g->bad, a->g->bad_rate))
        return 0;
    return (double)(a->rejected + 1) <= BAD_CAP * (double)a->loaded;
}

int acct_want_unknown(acct *a)
{
    if (a->doomed || a->g->bad_rate <= 0)
        return 0;
    return rng_chance(&a->g->bad, a->g->bad_rate);
}

int acct_bad_kind(acct *a, int kinds) { return (int)rng_below(&a->g->bad, (uint32_t)kinds); }

void acct_reject(acct *a, int64_t record, const char *reason)
{
    a->rejected++;
    truth_reject(a->g->t, a->tf, record, reason);
}

void acct_unknown(acct *a, int64_t record) { truth_bad_loaded(a->g->t, a->tf, record, "unknown_number"); }

void acct_call(acct *a, int asg, int dir, int outcome, int transferred, int64_t start_utc)
{
    a->loaded++;
    if (!a->doomed)
        truth_call(a->g->t, a->source, asg, dir, outcome, transferred, start_utc);
}

void acct_rows(acct *a, int64_t n) { a->loaded += n; }

int acct_close(acct *a)
{
    if (a->doomed) {
        truth_file_done(a->g->t, a->tf, 0, 0, "failed");
        return 1;
    }
    if (a->loaded + a->rejected == 0) {
        truth_file_drop(a->g->t, a->tf);
        return 0;
    }
    truth_file_done(a->g->t, a->tf, a->loaded, a->rejected, "loaded");
    return 1;
}

void month_folder(char out[8], int month)
{
    snprintf(out, 8, "%04u-%02u", (unsigned)(month / 12) % 10000u, (unsigned)(month % 12 + 1) % 100u);
}
