/*
 * gen_master: writes a synthetic Asterisk cdr_csv Master.csv (18 columns, no
 * header) for benchmarking callmap.
 *
 *   gen_master LINES [SEED] > Master.csv
 *
 * Format as cdr_csv writes it: every string quoted (inner quotes doubled),
 * duration and billsec unquoted, an empty unquoted answer field when the call
 * was not answered. Columns: accountcode, src, dst, dcontext, clid, channel,
 * dstchannel, lastapp, lastdata, start, answer, end, duration, billsec,
 * disposition, amaflags, uniqueid, userfield.
 *
 * Content: inbound calls from Danish numbers (8 digits, +45.., 0045..,
 * anonymous, some foreign) to 4-digit extensions (Dial, Queue, VoiceMail),
 * outbound calls (0 + number, 00 + foreign), internal calls, NO ANSWER, BUSY,
 * CANCEL, FAILED, and blind transfers (two consecutive records with the same
 * uniqueid). Start times are ascending over one year (2024-06-01 ..
 * 2025-05-31), weighted to office hours and weekdays, written in local
 * Copenhagen time (CET/CEST, EU rules, computed here; no tzdata needed).
 * Output is deterministic for a given LINES and SEED.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- random numbers: xorshift64* ---- */
static uint64_t rs = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void)
{
    rs ^= rs >> 12;
    rs ^= rs << 25;
    rs ^= rs >> 27;
    return rs * 2685821657736338717ull;
}
static unsigned rn(unsigned n) { return (unsigned)((rnd() >> 32) % n); } /* 0..n-1 */
static int pct(unsigned p) { return rn(100) < p; }

/* ---- civil dates (Howard Hinnant's algorithms) ---- */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}
static int weekday(int64_t days) /* 0 = Sunday */
{
    return (int)(days >= -4 ? (days + 4) % 7 : (days + 5) % 7 + 6);
}
/* UTC second of the last Sunday of a month at 01:00 UTC (EU switch time). */
static int64_t eu_switch(int y, unsigned m)
{
    int64_t last = days_from_civil(y, m, 31); /* March and October have 31 days */
    last -= weekday(last);
    return last * 86400 + 3600;
}
/* Copenhagen: UTC+1, UTC+2 from the last Sunday of March to the last of October. */
static int cph_offset(int64_t t)
{
    int y, m, d;
    civil_from_days(t / 86400, &y, &m, &d);
    return t >= eu_switch(y, 3) && t < eu_switch(y, 10) ? 7200 : 3600;
}
/* Local 'YYYY-MM-DD HH:MM:SS' of a UTC second, cached per hour. */
static void local_time(int64_t t, char out[20])
{
    static int64_t cached_hour = -1;
    static char prefix[20]; /* "YYYY-MM-DD HH:" */
    int64_t hour = t / 3600;
    if (hour != cached_hour) {
        int64_t l = hour * 3600 + cph_offset(t);
        int y, m, d;
        civil_from_days(l / 86400, &y, &m, &d);
        snprintf(prefix, sizeof prefix, "%04d-%02d-%02d %02d:", y, m, d, (int)(l % 86400 / 3600));
        cached_hour = hour;
    }
    int s = (int)(t % 3600);
    memcpy(out, prefix, 14);
    out[14] = (char)('0' + s / 600);
    out[15] = (char)('0' + s / 60 % 10);
    out[16] = ':';
    out[17] = (char)('0' + s % 60 / 10);
    out[18] = (char)('0' + s % 10);
    out[19] = '\0';
}

/* ---- content ---- */
static const char *first_names[] = {
    "Anna", "Mette", "Peter", "Lars", "Sofie", "Ida", "Jens", "Henrik", "Kirsten", "Hanne",
    "Søren", "Niels", "Camilla", "Mads", "Frederik", "Line", "Rasmus", "Louise", "Thomas",
    "Anne-Mette", "Jørgen", "Birthe", "Mikkel", "Emma", "Christian", "Maja", "Ole", "Karen",
    "Bjørn", "Marianne", "Anders", "Pernille", "Kasper", "Signe", "Morten", "Tove"};
static const char *last_names[] = {
    "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen",
    "Sørensen", "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen",
    "Thomsen", "Christiansen", "Poulsen", "Johansen", "Møller", "Mortensen", "Holm",
    "Kjær Frederiksen", "Dahl-Iversen", "Østergaard"};
static const char *staff[] = {
    "Reception", "Borgerservice", "Kasse", "Byggesag", "Jobcenter Vest", "Teknik og Miljø",
    "Skole og Dagtilbud", "IT-Support", "Løn og Personale", "Ældreplejen Nord", "Borgmester",
    "Vej og Park"};
static const char *queues[] = {"borgerservice", "booking", "jobcenter", "it-support",
                               "byggesag"};
static const char *accounts[] = {"", "", "", "", "", "", "", "", "borgerservice", "teknik"};
static const char *trunks[] = {"tdc-trunk", "tdc-trunk2", "telia-trunk"};

static char *outp; /* output buffer cursor */

static void put_raw(const char *s)
{
    size_t n = strlen(s);
    memcpy(outp, s, n);
    outp += n;
}
/* A quoted CSV string field, inner quotes doubled, followed by a comma. */
static void put_q(const char *s)
{
    *outp++ = '"';
    for (; *s; s++) {
        if (*s == '"')
            *outp++ = '"';
        *outp++ = *s;
    }
    *outp++ = '"';
    *outp++ = ',';
}
static void put_int(long v)
{
    outp += sprintf(outp, "%ld,", v);
}

static unsigned chan_seq = 0x1000;

typedef struct call {
    char src[32], dst[32], dcontext[24], clid[96], channel[64], dstchannel[64];
    char lastapp[16], lastdata[96], account[24], userfield[32];
    int64_t start;
    int wait, talk; /* talk 0 = not answered */
    const char *disposition;
} call;

/* An outside Danish subscriber number: 8 digits, no leading 0 or 1. */
static void dk_number(char *out)
{
    static const char *lead[] = {"2", "3", "4", "5", "6", "7", "8", "9", "2", "3", "4", "5"};
    sprintf(out, "%s%07u", lead[rn(12)], rn(10000000));
}
static unsigned extension(void) { return 4000 + rn(120); }
/* Dial() arguments: the desk phone, sometimes forked to the mobile client. */
static void dial_string(char *out, unsigned ext, int timeout)
{
    if (pct(12))
        sprintf(out, "SIP/%u&SIP/%u-mobile,%d,tT", ext, ext, timeout);
    else
        sprintf(out, "SIP/%u,%d,tT", ext, timeout);
}

static void write_call(const call *c, const char *uniqueid)
{
    char ts[20];
    put_q(c->account);
    put_q(c->src);
    put_q(c->dst);
    put_q(c->dcontext);
    put_q(c->clid);
    put_q(c->channel);
    put_q(c->dstchannel);
    put_q(c->lastapp);
    put_q(c->lastdata);
    local_time(c->start, ts);
    put_q(ts);
    if (c->talk > 0) {
        local_time(c->start + c->wait, ts);
        put_q(ts);
    } else {
        *outp++ = ',';
    }
    local_time(c->start + c->wait + c->talk, ts);
    put_q(ts);
    put_int(c->wait + c->talk);
    put_int(c->talk);
    put_q(c->disposition);
    put_q("DOCUMENTATION");
    put_q(uniqueid);
    *outp++ = '"';
    put_raw(c->userfield);
    *outp++ = '"';
    *outp++ = '\n';
}

static void outcome(call *c)
{
    unsigned r = rn(100);
    c->wait = 2 + (int)rn(25);
    if (r < 74) {
        c->disposition = "ANSWERED";
        /* mostly short calls, a tail of long ones */
        c->talk = 5 + (int)(rn(4) ? rn(300) : rn(2400));
    } else {
        c->talk = 0;
        c->disposition = r < 88 ? "NO ANSWER" : r < 95 ? "BUSY" : r < 99 ? "CANCEL" : "FAILED";
        if (c->disposition[0] == 'B' || c->disposition[0] == 'F')
            c->wait = 1 + (int)rn(3);
        else
            c->wait = 5 + (int)rn(40);
    }
}

static void person(char *clid, size_t n, const char *number)
{
    if (pct(15))
        snprintf(clid, n, "\"%s\" <%s>", number, number);
    else
        snprintf(clid, n, "\"%s %s\" <%s>", first_names[rn(sizeof first_names / sizeof *first_names)],
                 last_names[rn(sizeof last_names / sizeof *last_names)], number);
}

static void inbound(call *c)
{
    char nat[16];
    dk_number(nat);
    unsigned form = rn(100);
    if (form < 65)
        strcpy(c->src, nat);
    else if (form < 82)
        sprintf(c->src, "+45%s", nat);
    else if (form < 94)
        sprintf(c->src, "0045%s", nat);
    else if (form < 97)
        strcpy(c->src, "anonymous");
    else if (form < 99)
        sprintf(c->src, "+46%u", 700000000 + rn(99999999));
    else
        sprintf(c->src, "0049%u", 1510000000 + rn(99999999));
    if (strcmp(c->src, "anonymous") == 0)
        strcpy(c->clid, "\"Anonymous\" <anonymous>");
    else
        person(c->clid, sizeof c->clid, c->src);
    strcpy(c->dcontext, "from-trunk");
    const char *trunk = trunks[rn(3)];
    sprintf(c->channel, "SIP/%s-%08x", trunk, chan_seq++);
    unsigned ext = extension();
    unsigned app = rn(100);
    outcome(c);
    if (app < 70) {
        sprintf(c->dst, "%u", ext);
        strcpy(c->lastapp, "Dial");
        sprintf(c->dstchannel, "SIP/%u-%08x", ext, chan_seq++);
        dial_string(c->lastdata, ext, 30);
    } else if (app < 90) {
        const char *q = queues[rn(sizeof queues / sizeof *queues)];
        sprintf(c->dst, "%u", 4000 + rn(5));
        strcpy(c->lastapp, "Queue");
        sprintf(c->dstchannel, "Local/%u@agents-%08x;1", ext, chan_seq++);
        sprintf(c->lastdata, "%s,tTr,,,300", q);
        if (c->talk == 0 && c->disposition[0] != 'B') /* queue callers give up */
            c->wait += (int)rn(240);
    } else {
        sprintf(c->dst, "%u", ext);
        strcpy(c->lastapp, "VoiceMail");
        c->dstchannel[0] = '\0';
        sprintf(c->lastdata, "%u@default,u", ext);
        if (c->talk == 0) { /* voicemail picks up */
            c->disposition = "ANSWERED";
            c->talk = 10 + (int)rn(90);
        }
    }
}

static void outbound(call *c)
{
    unsigned ext = extension();
    sprintf(c->src, "%u", ext);
    char nat[16];
    dk_number(nat);
    if (pct(94))
        sprintf(c->dst, "0%s", nat);
    else
        sprintf(c->dst, "00%u%u", 46 + rn(4), 100000000 + rn(899999999));
    strcpy(c->dcontext, "from-internal");
    snprintf(c->clid, sizeof c->clid, "\"%s\" <%u>",
             staff[rn(sizeof staff / sizeof *staff)], ext);
    sprintf(c->channel, "SIP/%u-%08x", ext, chan_seq++);
    const char *trunk = trunks[rn(3)];
    sprintf(c->dstchannel, "SIP/%s-%08x", trunk, chan_seq++);
    strcpy(c->lastapp, "Dial");
    /* the dialplan strips the outside-line 0 */
    sprintf(c->lastdata, "SIP/%s/%s,60,TkK", trunk, c->dst + 1);
    outcome(c);
}

static void internal_call(call *c)
{
    unsigned a = extension(), b = extension();
    if (b == a)
        b = a == 4119 ? 4000 : a + 1;
    sprintf(c->src, "%u", a);
    sprintf(c->dst, "%u", b);
    strcpy(c->dcontext, "from-internal");
    snprintf(c->clid, sizeof c->clid, "\"%s\" <%u>",
             staff[rn(sizeof staff / sizeof *staff)], a);
    sprintf(c->channel, "SIP/%u-%08x", a, chan_seq++);
    sprintf(c->dstchannel, "SIP/%u-%08x", b, chan_seq++);
    strcpy(c->lastapp, "Dial");
    dial_string(c->lastdata, b, 20);
    outcome(c);
}

/* Relative call volume of a local hour (office hours, weekdays). */
static double hour_weight(int64_t t)
{
    int64_t l = t + cph_offset(t);
    int h = (int)(l % 86400 / 3600);
    int wd = weekday(l / 86400);
    static const double by_hour[24] = {0.02, 0.01, 0.01, 0.01, 0.01, 0.02, 0.1, 0.4,
                                       1.0,  1.3,  1.4,  1.3,  0.9,  1.2,  1.2, 0.9,
                                       0.5,  0.3,  0.2,  0.15, 0.1,  0.08, 0.05, 0.03};
    double w = by_hour[h];
    return wd == 0 || wd == 6 ? w * 0.12 : w;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: gen_master LINES [SEED] > Master.csv\n");
        return 2;
    }
    long lines = strtol(argv[1], NULL, 10);
    if (lines <= 0) {
        fprintf(stderr, "gen_master: LINES must be a positive number\n");
        return 2;
    }
    if (argc == 3)
        rs ^= strtoull(argv[2], NULL, 10) * 0x2545F4914F6CDD1Dull;
    if (!rs)
        rs = 1;

    /* One year from 2024-06-01 00:00 local (22:00 UTC the day before). */
    const int64_t t0 = days_from_civil(2024, 6, 1) * 86400 - 7200;
    const int hours = 365 * 24;
    double total = 0;
    for (int h = 0; h < hours; h++)
        total += hour_weight(t0 + (int64_t)h * 3600);

    static char buf[1 << 20];
    outp = buf;
    long written = 0;
    double cum = 0;
    call c;
    for (int h = 0; h < hours && written < lines; h++) {
        int64_t hs = t0 + (int64_t)h * 3600;
        cum += hour_weight(hs);
        long upto = h == hours - 1 ? lines : (long)(cum / total * (double)lines + 0.5);
        long k = upto - written; /* calls starting in this hour */
        for (long j = 0; j < k && written < lines; j++) {
            memset(&c, 0, sizeof c);
            /* ascending start times spread over the hour */
            c.start = hs + (int64_t)(j * 3600 / k) + (int64_t)rn((unsigned)(3600 / k > 0 ? 3600 / k : 1));
            unsigned kind = rn(100);
            if (kind < 58)
                inbound(&c);
            else if (kind < 83)
                outbound(&c);
            else
                internal_call(&c);
            strcpy(c.account, accounts[rn(sizeof accounts / sizeof *accounts)]);
            if (pct(5))
                sprintf(c.userfield, "sag:%u", 100000 + rn(900000));
            char uniqueid[40];
            sprintf(uniqueid, "%lld.%ld", (long long)c.start, written + 1);
            /* blind transfer: an answered inbound Dial call, then the second
             * leg with the same uniqueid to another extension */
            int transfer = written + 1 < lines && c.talk > 0 &&
                           strcmp(c.dcontext, "from-trunk") == 0 &&
                           strcmp(c.lastapp, "Dial") == 0 && pct(6);
            call t = c;
            if (transfer) {
                int first_talk = 10 + (int)rn(60);
                t.talk = c.talk + (int)rn(600); /* the caller stays on */
                c.talk = first_talk;
                unsigned ext = extension();
                sprintf(t.dst, "%u", ext);
                strcpy(t.dcontext, "from-internal");
                sprintf(t.dstchannel, "SIP/%u-%08x", ext, chan_seq++);
                dial_string(t.lastdata, ext, 30);
                t.wait = c.wait + first_talk + 3 + (int)rn(10);
                t.disposition = "ANSWERED";
            }
            write_call(&c, uniqueid);
            written++;
            if (transfer) {
                write_call(&t, uniqueid);
                written++;
            }
            if (outp - buf > (long)sizeof buf - 4096) {
                if (fwrite(buf, 1, (size_t)(outp - buf), stdout) != (size_t)(outp - buf))
                    goto fail;
                outp = buf;
            }
        }
    }
    if (fwrite(buf, 1, (size_t)(outp - buf), stdout) != (size_t)(outp - buf) || fflush(stdout))
        goto fail;
    return 0;
fail:
    perror("gen_master: write");
    return 1;
}
