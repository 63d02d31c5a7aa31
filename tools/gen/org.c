/* Builds the municipality (model.h): the KFF tree of the issue (Historie og
 * Kunst, Bydelsenhederne with districts and their libraries, sports and
 * culture houses), the contact center's queue units, and, with the scale,
 * further administrations with institutions; then behaviour, employees,
 * numbers, number moves and the one reorganisation. */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cal.h"
#include "names.h"
#include "profile.h"
#include "util.h"

#define STREAM_ORG 1
#define EXT_FIRST 1000
#define EXT_LAST 7899 /* 18xx are short numbers; 7900-7999 never assigned (the unknown
                       * numbers); 8000 the voicemail pilot */

typedef struct builder {
    model *m;
    rng r;
    int cap_units, cap_emps, cap_nums, cap_asgs;
    int ean_seq;
    int emp_seq;
    int next_ext[3]; /* Asterisk, CUCM, contact center */
    int mobile_seq, pilot_seq;
} builder;

/* ---------------------------------------------------------------- ids */

int gs1_check_digit(const char *d)
{
    int sum = 0;
    for (int i = 0; i < 12; i++) /* from the right, excluding the check digit: 3,1,3,... */
        sum += (d[11 - i] - '0') * (i % 2 == 0 ? 3 : 1);
    return (10 - sum % 10) % 10;
}

int cvr_valid(const char *c)
{
    static const int w[8] = {2, 7, 6, 5, 4, 3, 2, 1};
    int sum = 0;
    for (int i = 0; i < 8; i++) {
        if (c[i] < '0' || c[i] > '9')
            return 0;
        sum += (c[i] - '0') * w[i];
    }
    return c[8] == '\0' && sum % 11 == 0;
}

static void make_ean(char out[14], int seq)
{
    snprintf(out, 14, "5798000%05u", (unsigned)seq % 100000u);
    out[12] = (char)('0' + gs1_check_digit(out));
    out[13] = '\0';
}

/* the first valid CVR at or after base (7 digits + check) */
static void make_cvr(char out[9], int base)
{
    static const int w[7] = {2, 7, 6, 5, 4, 3, 2};
    for (;; base++) {
        char d[8];
        snprintf(d, sizeof d, "%07u", (unsigned)base % 10000000u);
        int sum = 0;
        for (int i = 0; i < 7; i++)
            sum += (d[i] - '0') * w[i];
        int check = (11 - sum % 11) % 11;
        if (check == 10)
            continue;
        snprintf(out, 9, "%.7s%c", d, (char)('0' + check));
        return;
    }
}

const char *unit_type_name(int t)
{
    static const char *const n[] = {"administration", "centre", "unit", "institution"};
    return n[t];
}

const char *number_kind_name(int k)
{
    static const char *const n[] = {"mobile", "fixed", "queue", "shared"};
    return n[k];
}

int unit_parent_on(const model *m, int u, int64_t day)
{
    const unit *x = &m->units[u];
    return x->new_parent >= 0 && day >= x->reorg_day ? x->new_parent : x->parent;
}

/* ---------------------------------------------------------------- units */

static int add_unit(builder *b, const char *id, const char *name, int parent, int type, int sys,
                    int hours)
{
    model *m = b->m;
    if (m->nunits == b->cap_units) {
        b->cap_units = b->cap_units ? b->cap_units * 2 : 64;
        m->units = xrealloc(m->units, (size_t)b->cap_units * sizeof *m->units);
    }
    unit *u = &m->units[m->nunits];
    memset(u, 0, sizeof *u);
    snprintf(u->id, sizeof u->id, "%s", id);
    snprintf(u->name, sizeof u->name, "%s", name);
    u->parent = parent;
    u->new_parent = -1;
    u->type = type;
    u->sys = sys;
    u->site = -1;
    u->hours = hours;
    u->valid_from = cal_day(2007, 1, 1);
    make_ean(u->ean, 10000 + 37 * b->ean_seq++);
    return m->nunits++;
}

static int add_site(builder *b, const char *name)
{
    model *m = b->m;
    m->sites = xrealloc(m->sites, (size_t)(m->nsites + 1) * sizeof *m->sites);
    site *s = &m->sites[m->nsites];
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name);
    return m->nsites++;
}

static void site_add_unit(model *m, int si, int u)
{
    site *s = &m->sites[si];
    if (s->nunits == s->cunits) {
        s->cunits = s->cunits ? s->cunits * 2 : 8;
        s->units = xrealloc(s->units, (size_t)s->cunits * sizeof *s->units);
    }
    s->units[s->nunits++] = u;
    m->units[u].site = si;
}

static void lower_copy(char *dst, size_t n, const char *src)
{
    size_t i = 0;
    for (; src[i] && i + 1 < n; i++)
        dst[i] = (char)(src[i] >= 'A' && src[i] <= 'Z' ? src[i] - 'A' + 'a' : src[i]);
    dst[i] = '\0';
}

typedef struct inst_type {
    const char *code, *word;
    int hours;
    double weight;
} inst_type;

typedef struct admin_def {
    const char *code, *name;
    inst_type types[2];
} admin_def;

static const admin_def ADMINS[] = {
    {"BUF", "Børne- og Ungdomsforvaltningen",
     {{"SKO", "Skole", OPEN_OFFICE, 1.3}, {"DAG", "Børnehuset", OPEN_OFFICE, 0.5}}},
    {"SUF", "Sundheds- og Omsorgsforvaltningen",
     {{"PLH", "Plejehjemmet", OPEN_CARE, 1.0}, {"HJP", "Hjemmeplejen", OPEN_CARE, 1.5}}},
    {"SOF", "Socialforvaltningen",
     {{"SOC", "Socialcenter", OPEN_OFFICE, 1.2}, {"BOT", "Botilbuddet", OPEN_CARE, 0.6}}},
    {"TMF", "Teknik- og Miljøforvaltningen",
     {{"VOP", "Vej og Park", OPEN_OFFICE, 0.9}, {"GBS", "Genbrugsstationen", OPEN_LIBRARY, 0.7}}},
};
#define NADMINS 4

static const struct {
    const char *code, *name;
} AREAS[] = {{"N", "Nord"}, {"S", "Syd"}, {"O", "Øst"}, {"V", "Vest"}, {"C", "Centrum"}};
#define NAREAS 5

static const struct {
    const char *code, *place;
} DISTRICTS[] = {
    {"NV", "Nordvest"}, {"VA", "Valby"},    {"VE", "Vesterbro"}, {"AM", "Amager"},
    {"NB", "Nørrebro"}, {"OB", "Østerbro"}, {"BS", "Bispebjerg"}, {"BH", "Brønshøj-Husum"},
    {"VL", "Vanløse"},  {"IB", "Indre By"},
};

static const struct {
    const char *id, *name, *queue;
    int sys;
} KC_UNITS[] = {
    {"KC-BS", "Borgerservice", "borgerservice", SYS_KC_QL},
    {"KC-BYG", "Byggeri og miljø", "byggeri", SYS_KC_EX},
    {"KC-PAS", "Pas og kørekort", "kørekort", SYS_KC_QL},
    {"KC-BOO", "Lokalebooking", "booking", SYS_KC_EX},
    {"KC-SUN", "Sundhed og omsorg", "sundhed", SYS_KC_QL},
    {"KC-PAR", "Parkering", "parkering", SYS_KC_EX},
};

/* the type weight of a unit's call volume */
typedef struct pending_unit {
    int unit;
    double weight;
    int kc;  /* a contact-center queue unit */
    int kff; /* in Historie og Kunst or Bydelsenhederne */
} pending_unit;

static void build_tree(builder *b, double scale, pending_unit **pu, int *npu)
{
    model *m = b->m;
    rng *r = &b->r;
    int cap = 64, n = 0;
    pending_unit *p = xmalloc((size_t)cap * sizeof *p);
#define PUSH(u_, w_, kc_)                                                                      \
    do {                                                                                       \
        if (n == cap)                                                                          \
            p = xrealloc(p, (size_t)(cap *= 2) * sizeof *p);                                   \
        p[n++] = (pending_unit){(u_), (w_) * rng_lognormal(r, 0, 0.35), (kc_) == 1,          \
                                (kc_) == 2};                                                   \
    } while (0)

    int kff = add_unit(b, "KFF", "Kultur- og Fritidsforvaltningen", -1, UT_ADMINISTRATION, SYS_NONE,
                       OPEN_OFFICE);
    int hok = add_unit(b, "HOK", "Historie og Kunst", kff, UT_CENTRE, SYS_NONE, OPEN_OFFICE);
    static const struct {
        const char *id, *name;
        int type;
        double w;
    } HOK_UNITS[] = {
        {"MKB", "Københavns Museum", UT_INSTITUTION, 0.45},
        {"THM", "Thorvaldsens Museum", UT_INSTITUTION, 0.30},
        {"NIK", "Nikolaj Kunsthal", UT_INSTITUTION, 0.25},
        {"KSA", "Københavns Stadsarkiv", UT_INSTITUTION, 0.40},
        {"HOK-SEK", "Sekretariatet, Historie og Kunst", UT_UNIT, 0.20},
    };
    for (size_t i = 0; i < sizeof HOK_UNITS / sizeof *HOK_UNITS; i++) {
        int u = add_unit(b, HOK_UNITS[i].id, HOK_UNITS[i].name, hok, HOK_UNITS[i].type, SYS_MOBILE,
                         OPEN_OFFICE);
        m->units[u].own_billing = 1;
        PUSH(u, HOK_UNITS[i].w, 2);
    }

    int byd = add_unit(b, "BYD", "Bydelsenhederne", kff, UT_CENTRE, SYS_NONE, OPEN_OFFICE);
    int nd = scale < 0.3 ? 4 : 10;
    int first_bib = -1, district_units[10];
    for (int i = 0; i < nd; i++) {
        char id[16], name[96], sname[24];
        int sys = i % 2 == 0 ? SYS_ASTERISK : SYS_CUCM;
        snprintf(id, sizeof id, "BYD-%s", DISTRICTS[i].code);
        snprintf(name, sizeof name, "Bydelsenhed %s", DISTRICTS[i].place);
        int d = add_unit(b, id, name, byd, UT_UNIT, sys, OPEN_OFFICE);
        district_units[i] = d;
        int si = -1;
        if (sys == SYS_ASTERISK) {
            lower_copy(sname, sizeof sname, id);
            si = add_site(b, sname);
            site_add_unit(m, si, d);
        }
        PUSH(d, 0.5, 2);
        static const struct {
            const char *code, *fmt;
            double w;
        } KINDS[] = {{"BIB", "%s Bibliotek", 1.6}, {"IDR", "Idrætsanlæg %s", 1.0},
                     {"KUH", "Kulturhuset %s", 0.8}};
        for (int k = 0; k < 3; k++) {
            snprintf(id, sizeof id, "%s-%s", KINDS[k].code, DISTRICTS[i].code);
            snprintf(name, sizeof name, KINDS[k].fmt, DISTRICTS[i].place);
            int u = add_unit(b, id, name, d, UT_INSTITUTION, sys, OPEN_LIBRARY);
            if (si >= 0)
                site_add_unit(m, si, u);
            if (k == 0 && i == 1)
                first_bib = u;
            PUSH(u, KINDS[k].w, 2);
        }
    }
    /* the reorganisation: district 1's library moves to district 2 mid-period */
    m->reorg_unit = first_bib;
    m->units[first_bib].new_parent = district_units[2];
    m->units[first_bib].reorg_day = m->first_day + (m->last_day - m->first_day + 1) / 2;
    if (m->units[first_bib].reorg_day <= m->first_day)
        m->units[first_bib].reorg_day = m->first_day + 1;

    /* the contact center: its own root */
    int kc = add_unit(b, "KC", "Kontaktcenter", -1, UT_CENTRE, SYS_NONE, OPEN_KC);
    int nkc = scale < 0.3 ? 4 : 6;
    for (int i = 0; i < nkc; i++) {
        int u = add_unit(b, KC_UNITS[i].id, KC_UNITS[i].name, kc, UT_UNIT, KC_UNITS[i].sys, OPEN_KC);
        m->units[u].queue = KC_UNITS[i].queue;
        PUSH(u, 1.0, 1);
    }

    /* further administrations: the rest of the municipality's decentral calls */
    int nextra = (int)(480 * scale + 0.5);
    int admin_unit[NADMINS], centre_unit[NADMINS][NAREAS], seq[NADMINS][2];
    for (int a = 0; a < NADMINS; a++) {
        admin_unit[a] = -1;
        seq[a][0] = seq[a][1] = 0;
        for (int z = 0; z < NAREAS; z++)
            centre_unit[a][z] = -1;
    }
    for (int k = 0; k < nextra; k++) {
        int a = k % NADMINS, z = (k / NADMINS) % NAREAS, t = (k / (NADMINS * NAREAS)) % 2;
        if (admin_unit[a] < 0)
            admin_unit[a] = add_unit(b, ADMINS[a].code, ADMINS[a].name, -1, UT_ADMINISTRATION,
                                     SYS_NONE, OPEN_OFFICE);
        if (centre_unit[a][z] < 0) {
            char id[16], name[96], sname[24];
            snprintf(id, sizeof id, "%s-%s", ADMINS[a].code, AREAS[z].code);
            snprintf(name, sizeof name, "%s, Område %s", ADMINS[a].code, AREAS[z].name);
            double x = rng_unit(r);
            int sys = x < 0.35 ? SYS_ASTERISK : x < 0.7 ? SYS_CUCM : SYS_MOBILE;
            int c = add_unit(b, id, name, admin_unit[a], UT_CENTRE, sys, OPEN_OFFICE);
            if (sys == SYS_ASTERISK) {
                lower_copy(sname, sizeof sname, id);
                site_add_unit(m, add_site(b, sname), c);
            }
            centre_unit[a][z] = c;
        }
        int c = centre_unit[a][z];
        const inst_type *it = &ADMINS[a].types[t];
        int s = ++seq[a][t];
        char id[16], name[96];
        snprintf(id, sizeof id, "%s-%03d", it->code, s);
        const char *place = PLACES[(s * 7 + a * 13 + t * 29) % NPLACES];
        int round = (s - 1) / NPLACES;
        if (round)
            snprintf(name, sizeof name, "%s %s %d", it->word, place, round + 1);
        else
            snprintf(name, sizeof name, "%s %s", it->word, place);
        int u = add_unit(b, id, name, c, UT_INSTITUTION, m->units[c].sys, it->hours);
        if (m->units[c].site >= 0)
            site_add_unit(m, m->units[c].site, u);
        PUSH(u, it->weight, 0);
    }
#undef PUSH
    *pu = p;
    *npu = n;
}

/* ---------------------------------------------------------------- behaviour */

static double uni(rng *r, double lo, double hi) { return lo + (hi - lo) * rng_unit(r); }

static int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

static void set_behaviour(builder *b, pending_unit *pu, int npu, double scale)
{
    model *m = b->m;
    rng *r = &b->r;
    /* which units are clearly high and low potential: two of each among the
     * KFF institutions, and 5 % of the other decentral units each way */
    char *label = xcalloc((size_t)npu, 1); /* 'h', 'l' or 0 */
    int *cand = xmalloc((size_t)npu * sizeof *cand), nc = 0;
    for (int i = 0; i < npu; i++)
        if (pu[i].kff && m->units[pu[i].unit].type == UT_INSTITUTION)
            cand[nc++] = i;
    for (int k = 0; k < 4 && nc > 0; k++) {
        int j = (int)rng_below(r, (uint32_t)nc);
        label[cand[j]] = k < 2 ? 'h' : 'l';
        cand[j] = cand[--nc];
    }
    free(cand);
    for (int i = 0; i < npu; i++) {
        if (pu[i].kc || pu[i].kff)
            continue;
        double x = rng_unit(r);
        label[i] = x < 0.05 ? 'h' : x < 0.10 ? 'l' : 0;
    }

    double wdec = 0, wkc = 0;
    for (int i = 0; i < npu; i++) {
        if (label[i] == 'h')
            pu[i].weight *= 1.5;
        if (pu[i].kc)
            wkc += pu[i].weight;
        else
            wdec += pu[i].weight;
    }
    for (int i = 0; i < npu; i++) {
        unit *u = &m->units[pu[i].unit];
        behaviour *bh = &u->b;
        double yearly = pu[i].kc ? 3.5e6 * scale * pu[i].weight / wkc
                                 : 2.8e6 * scale * pu[i].weight / wdec;
        bh->yearly_calls = yearly;
        double monthly = yearly / 12;
        bh->share_outbound = uni(r, 0.2, 0.45);
        bh->share_internal = u->sys == SYS_ASTERISK || u->sys == SYS_CUCM ? uni(r, 0.05, 0.15) : 0;
        if (pu[i].kc) {
            bh->potential = "normal";
            bh->answerers = clampi((int)(monthly / 21 / 40 + 0.5), 3, 1000);
            bh->skew = 0.1;
            bh->share_missed = uni(r, 0.06, 0.14);
            bh->share_transferred = uni(r, 0.04, 0.10);
            bh->noon_peak = uni(r, 0.8, 1.2);
            bh->monday_peak = uni(r, 0.3, 0.5);
            bh->share_mobile_general = 0;
            bh->share_outbound = 0;
            bh->share_internal = 0.02; /* colleagues calling the queue */
        } else if (label[i] == 'h') {
            bh->potential = "high";
            bh->answerers = rng_range(r, 14, 22);
            bh->skew = uni(r, 0.15, 0.35);
            bh->share_missed = uni(r, 0.25, 0.35);
            bh->share_transferred = uni(r, 0.25, 0.35);
            bh->noon_peak = uni(r, 1.6, 2.0);
            bh->monday_peak = uni(r, 0.45, 0.6);
            bh->share_mobile_general = uni(r, 0.25, 0.4);
        } else if (label[i] == 'l') {
            bh->potential = "low";
            bh->answerers = rng_range(r, 2, 3);
            bh->skew = uni(r, 1.1, 1.4);
            bh->share_missed = uni(r, 0.03, 0.06);
            bh->share_transferred = uni(r, 0.02, 0.05);
            bh->noon_peak = uni(r, 0.4, 0.7);
            bh->monday_peak = uni(r, 0.1, 0.2);
            bh->share_mobile_general = uni(r, 0.02, 0.05);
        } else {
            bh->potential = "normal";
            bh->answerers = clampi((int)(monthly / 80 + uni(r, -1, 2)), 2, 14);
            bh->skew = uni(r, 0.6, 1.0);
            bh->share_missed = uni(r, 0.08, 0.2);
            bh->share_transferred = uni(r, 0.06, 0.15);
            bh->noon_peak = uni(r, 0.8, 1.4);
            bh->monday_peak = uni(r, 0.2, 0.4);
            bh->share_mobile_general = uni(r, 0.05, 0.2);
        }
        if (u->sys == SYS_MOBILE)
            bh->share_mobile_general = 1.0; /* every call reaches a mobile */
        profile_init(u);
    }
    free(label);
}

/* ---------------------------------------------------------------- people and numbers */

static int add_emp(builder *b, int u, int64_t from)
{
    model *m = b->m;
    if (m->nemps == b->cap_emps) {
        b->cap_emps = b->cap_emps ? b->cap_emps * 2 : 256;
        m->emps = xrealloc(m->emps, (size_t)b->cap_emps * sizeof *m->emps);
    }
    employee *e = &m->emps[m->nemps];
    memset(e, 0, sizeof *e);
    snprintf(e->id, sizeof e->id, "E%06u", (unsigned)(100001 + b->emp_seq++) % 1000000u);
    e->unit = u;
    snprintf(e->name, sizeof e->name, "%s %s", FIRST_NAMES[rng_below(&b->r, (uint32_t)NFIRST_NAMES)],
             LAST_NAMES[rng_below(&b->r, (uint32_t)NLAST_NAMES)]);
    e->valid_from = from;
    e->valid_to = DAY_OPEN;
    return m->nemps++;
}

static const char *title_for(const unit *u, int answerer, rng *r)
{
    if (u->sys == SYS_KC_QL || u->sys == SYS_KC_EX)
        return answerer ? "Kundeservicemedarbejder" : "Teamleder";
    if (!answerer)
        return rng_chance(r, 0.5) ? "Leder" : "Konsulent";
    static const char *const T[] = {"Administrativ medarbejder", "Sekretær", "Bibliotekar",
                                    "Kulturmedarbejder", "Driftsmedarbejder", "Pædagog",
                                    "Sygeplejerske", "Socialrådgiver", "Formidler",
                                    "Museumsinspektør"};
    return T[rng_below(r, sizeof T / sizeof *T)];
}

static int add_number(builder *b, int kind, int sys, int site)
{
    model *m = b->m;
    if (m->nnums == b->cap_nums) {
        b->cap_nums = b->cap_nums ? b->cap_nums * 2 : 256;
        m->nums = xrealloc(m->nums, (size_t)b->cap_nums * sizeof *m->nums);
    }
    number *n = &m->nums[m->nnums];
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->sys = sys;
    n->site = site;
    if (kind == NK_MOBILE) {
        int x = (int)(((int64_t)b->mobile_seq++ * 7919 + 123457) % 1000000);
        snprintf(n->e164, sizeof n->e164, "+4530%06u", (unsigned)x % 1000000u);
    } else if (kind == NK_QUEUE) {
        snprintf(n->e164, sizeof n->e164, "+453369%04u", (unsigned)(1000 + b->pilot_seq++) % 10000u);
    } else {
        int which = sys == SYS_ASTERISK ? 0 : sys == SYS_CUCM ? 1 : 2;
        static const char *const prefix[3] = {"+453366", "+453367", "+453368"};
        if (b->next_ext[which] > EXT_LAST)
            die("too many extensions on one system (more than %d): use a smaller --scale",
                EXT_LAST - EXT_FIRST + 1 - 100);
        if (b->next_ext[which] / 100 == 18)
            b->next_ext[which] = 1900; /* 18xx dial service numbers */
        int ext = b->next_ext[which]++;
        snprintf(n->ext, sizeof n->ext, "%04u", (unsigned)ext % 10000u);
        snprintf(n->e164, sizeof n->e164, "%s%04u", prefix[which], (unsigned)ext % 10000u);
        if (sys == SYS_CUCM) {
            uint64_t mac = rng_next(&b->r) & 0xFFFFFFFFFFFFull;
            snprintf(n->device, sizeof n->device, "SEP%012llX", (unsigned long long)mac);
        }
    }
    return m->nnums++;
}

static int add_asg(builder *b, int num, int emp, int u, int64_t from, int64_t to)
{
    model *m = b->m;
    if (m->nasgs == b->cap_asgs) {
        b->cap_asgs = b->cap_asgs ? b->cap_asgs * 2 : 256;
        m->asgs = xrealloc(m->asgs, (size_t)b->cap_asgs * sizeof *m->asgs);
    }
    m->asgs[m->nasgs] = (assignment){num, emp, u, from, to};
    return m->nasgs++;
}

static int64_t hire_day(builder *b)
{
    int64_t lo = cal_day(2008, 1, 1), hi = b->m->first_day - 30;
    return lo + (int64_t)rng_below(&b->r, (uint32_t)(hi - lo));
}

static void staff_unit(builder *b, int ui)
{
    model *m = b->m;
    rng *r = &b->r;
    unit *u = &m->units[ui];
    int sys = u->b.potential ? u->sys : SYS_NONE; /* a centre on a PBX takes no calls itself */
    int kc = sys == SYS_KC_QL || sys == SYS_KC_EX;
    int pbx = sys == SYS_ASTERISK || sys == SYS_CUCM;
    int nans = sys == SYS_NONE ? 0 : u->b.answerers;
    int nstaff = sys == SYS_NONE ? rng_range(r, 1, 3)
                 : kc            ? nans + 1
                                 : nans + (int)(nans * uni(r, 0.1, 0.6) + 0.5);
    /* Zipf weights over the answerers, in a random order */
    double total = 0;
    int first = m->nemps;
    for (int i = 0; i < nstaff; i++) {
        int e = add_emp(b, ui, hire_day(b));
        employee *emp = &m->emps[e];
        int answerer = i < nans;
        emp->title = title_for(u, answerer, r);
        if (answerer) {
            emp->weight = det_exp(-u->b.skew * det_ln((double)(i + 1)));
            total += emp->weight;
        }
        int64_t from = emp->valid_from;
        if (kc || pbx)
            add_asg(b, add_number(b, NK_FIXED, kc ? SYS_KC_QL : sys, u->site), e, ui, from, DAY_OPEN);
        int mobile = sys == SYS_MOBILE || (sys == SYS_NONE && rng_chance(r, 0.7)) ||
                     (pbx && rng_chance(r, answerer ? 0.6 : 0.4));
        if (mobile)
            add_asg(b, add_number(b, NK_MOBILE, SYS_MOBILE, -1), e, ui, from, DAY_OPEN);
    }
    for (int i = first; i < m->nemps; i++)
        if (total > 0)
            m->emps[i].weight /= total;
    /* shuffle who carries the most calls */
    for (int i = nstaff - 1; i > 0; i--) {
        int j = (int)rng_below(r, (uint32_t)(i + 1));
        double t = m->emps[first + i].weight;
        m->emps[first + i].weight = m->emps[first + j].weight;
        m->emps[first + j].weight = t;
    }
    if (pbx && rng_chance(r, 0.5)) /* the front desk: a shared line */
        add_asg(b, add_number(b, NK_SHARED, sys, u->site), -1, ui, u->valid_from, DAY_OPEN);
    if (kc) /* the queue's pilot number */
        add_asg(b, add_number(b, NK_QUEUE, SYS_NONE, -1), -1, ui, u->valid_from, DAY_OPEN);
}

/* Numbers that move between employees and units: the holder leaves, a new
 * colleague in another unit gets the mobile number from the next day. */
static void move_numbers(builder *b)
{
    model *m = b->m;
    rng *r = &b->r;
    int nmob = 0;
    for (int a = 0; a < m->nasgs; a++)
        nmob += m->nums[m->asgs[a].number].kind == NK_MOBILE;
    int moves = nmob / 100 > 2 ? nmob / 100 : 2;
    int64_t span = m->last_day - m->first_day;
    if (span < 1)
        return;
    int nasgs0 = m->nasgs;
    char *moved = xcalloc((size_t)(m->nemps + moves + 1), 1); /* left, or hired by a move */
    for (int k = 0, tries = 0; k < moves && tries < 10000; tries++) {
        int a = (int)rng_below(r, (uint32_t)nasgs0);
        assignment *x = &m->asgs[a];
        if (x->emp < 0 || m->nums[x->number].kind != NK_MOBILE || moved[x->emp])
            continue;
        unit *u1 = &m->units[x->unit];
        if (u1->sys == SYS_NONE || u1->sys == SYS_KC_QL || u1->sys == SYS_KC_EX ||
            u1->b.answerers < 3)
            continue;
        int u2 = (int)rng_below(r, (uint32_t)m->nunits);
        int s2 = m->units[u2].sys;
        if (u2 == x->unit || !m->units[u2].b.potential || s2 == SYS_NONE || s2 == SYS_KC_QL ||
            s2 == SYS_KC_EX)
            continue;
        int64_t day = m->first_day + 1 + (int64_t)rng_below(r, (uint32_t)span);
        int leaver = x->emp, num = x->number;
        moved[leaver] = 1;
        m->emps[leaver].valid_to = day - 1;
        for (int j = 0; j < nasgs0; j++)
            if (m->asgs[j].emp == leaver)
                m->asgs[j].valid_to = day - 1;
        int y = add_emp(b, u2, day);
        moved[y] = 1;
        m->emps[y].title = title_for(&m->units[u2], 1, r);
        m->emps[y].weight = 1.0 / (m->units[u2].b.answerers + 1);
        add_asg(b, num, y, u2, day, DAY_OPEN);
        k++;
    }
    free(moved);
}

/* ---------------------------------------------------------------- build */

void model_build(model *m, uint64_t seed, double scale, int64_t first_day, int64_t last_day)
{
    memset(m, 0, sizeof *m);
    m->first_day = first_day;
    m->last_day = last_day;
    m->scale = scale;
    builder b = {.m = m};
    rng_seed(&b.r, seed, STREAM_ORG);
    b.next_ext[0] = b.next_ext[1] = b.next_ext[2] = EXT_FIRST;

    pending_unit *pu;
    int npu;
    build_tree(&b, scale, &pu, &npu);
    set_behaviour(&b, pu, npu, scale);
    for (int i = 0; i < m->nunits; i++)
        staff_unit(&b, i);
    free(pu);
    move_numbers(&b);

    /* each unit's answer points */
    for (int a = 0; a < m->nasgs; a++) {
        unit *u = &m->units[m->asgs[a].unit];
        if (u->nasg == u->casg) {
            u->casg = u->casg ? u->casg * 2 : 8;
            u->asg = xrealloc(u->asg, (size_t)u->casg * sizeof *u->asg);
        }
        u->asg[u->nasg++] = a;
    }
    make_ean(m->central_ean, 99001);
    make_cvr(m->tdc_cvr, 2617318);
    make_cvr(m->vendor_cvr, 3391574);
}

void model_free(model *m)
{
    for (int i = 0; i < m->nunits; i++)
        free(m->units[i].asg);
    for (int i = 0; i < m->nsites; i++)
        free(m->sites[i].units);
    free(m->units);
    free(m->emps);
    free(m->nums);
    free(m->asgs);
    free(m->sites);
    memset(m, 0, sizeof *m);
}
