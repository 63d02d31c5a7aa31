/* The report's text: buffer, escaping, numbers and labels in English and Danish. */
#include "report_fmt.h"
#include "util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reserve(rp_buf *b, size_t more)
{
    if (b->n + more + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->n + more + 1)
        cap *= 2;
    b->p = cm_xrealloc(b->p, cap);
    b->cap = cap;
}

void rp_putn(rp_buf *b, const char *s, size_t n)
{
    reserve(b, n);
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

void rp_put(rp_buf *b, const char *s)
{
    if (s)
        rp_putn(b, s, strlen(s));
}

void rp_printf(rp_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = cm_vasprintf(fmt, ap);
    va_end(ap);
    rp_put(b, s);
    free(s);
}

void rp_buf_free(rp_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static int utf8_len(const unsigned char *s)
{
    unsigned c = s[0];
    int n;
    unsigned min;
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0) n = 2, min = 0x80, c &= 0x1F;
    else if ((c & 0xF0) == 0xE0) n = 3, min = 0x800, c &= 0x0F;
    else if ((c & 0xF8) == 0xF0) n = 4, min = 0x10000, c &= 0x07;
    else return 0;
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    return n;
}

void rp_html(rp_buf *b, const char *s)
{
    if (!s)
        return;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        switch (*p) {
        case '&': rp_put(b, "&amp;"); p++; continue;
        case '<': rp_put(b, "&lt;"); p++; continue;
        case '>': rp_put(b, "&gt;"); p++; continue;
        case '"': rp_put(b, "&quot;"); p++; continue;
        case '\'': rp_put(b, "&#39;"); p++; continue;
        default: break;
        }
        if (*p < 0x20 || *p == 0x7F) {
            rp_put(b, *p == '\t' || *p == '\n' || *p == '\r' ? " " : "\xEF\xBF\xBD");
            p++;
            continue;
        }
        int n = utf8_len(p);
        if (n == 0) {
            rp_put(b, "\xEF\xBF\xBD");
            p++;
        } else {
            rp_putn(b, (const char *)p, (size_t)n);
            p += n;
        }
    }
}

/* ------------------------------------------------------------ numbers */

void rp_num(rp_buf *b, rp_lang l, double v, int decimals)
{
    if (isnan(v)) {
        rp_put(b, "\xE2\x80\x93"); /* en dash */
        return;
    }
    char tmp[64];
    /* half away from zero, as people round (printf rounds half to even) */
    double scale = pow(10, decimals), a = fabs(v) * scale;
    snprintf(tmp, sizeof tmp, "%.*f", decimals, (a < 1e15 ? round(a) : a) / scale);
    /* a value that rounds to zero is written without a sign */
    int neg = v < 0 && strspn(tmp, "0.") != strlen(tmp);
    char *dot = strchr(tmp, '.');
    size_t intlen = dot ? (size_t)(dot - tmp) : strlen(tmp);
    const char *group = l == RP_DA ? "." : ",";
    const char *point = l == RP_DA ? "," : ".";
    if (neg)
        rp_put(b, "-");
    for (size_t i = 0; i < intlen; i++) {
        if (i > 0 && (intlen - i) % 3 == 0)
            rp_put(b, group);
        rp_putn(b, tmp + i, 1);
    }
    if (dot) {
        rp_put(b, point);
        rp_put(b, dot + 1);
    }
}

void rp_pct(rp_buf *b, rp_lang l, double share, int decimals)
{
    rp_num(b, l, share * 100, decimals);
    if (!isnan(share))
        rp_put(b, l == RP_DA ? "\xC2\xA0%" : "%");
}

void rp_dkk(rp_buf *b, rp_lang l, double v, int decimals)
{
    rp_num(b, l, v, decimals);
    if (!isnan(v))
        rp_put(b, l == RP_DA ? "\xC2\xA0kr." : "\xC2\xA0" "DKK");
}

void rp_secs(rp_buf *b, rp_lang l, double v)
{
    (void)l;
    if (isnan(v)) {
        rp_num(b, l, v, 0);
        return;
    }
    long s = lround(fabs(v));
    rp_printf(b, "%s%ld:%02ld\xC2\xA0min", v < 0 && s > 0 ? "-" : "", s / 60, s % 60);
}

void rp_month(rp_buf *b, rp_lang l, const char *m)
{
    static const char *en[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    static const char *da[] = {"jan.", "feb.", "mar.", "apr.", "maj", "jun.",
                               "jul.", "aug.", "sep.", "okt.", "nov.", "dec."};
    int y, mo;
    if (!m || sscanf(m, "%4d-%2d", &y, &mo) != 2 || mo < 1 || mo > 12) {
        rp_html(b, m);
        return;
    }
    rp_printf(b, "%s\xC2\xA0%d", (l == RP_DA ? da : en)[mo - 1], y);
}

void rp_value(rp_buf *b, rp_lang l, rp_kind k, double v)
{
    switch (k) {
    case RP_COUNT: rp_num(b, l, v, fabs(v) < 10 && v != floor(v) ? 1 : 0); break;
    case RP_DECIMAL: rp_num(b, l, v, fabs(v) < 10 ? 2 : fabs(v) < 100 ? 1 : 0); break;
    case RP_SHARE: rp_pct(b, l, v, 1); break;
    case RP_SECONDS: rp_secs(b, l, v); break;
    case RP_DKK: rp_dkk(b, l, v, fabs(v) < 100 ? 2 : 0); break;
    }
}

void rp_change(rp_buf *b, rp_lang l, rp_kind k, double from, double to)
{
    if (isnan(from) || isnan(to)) {
        rp_num(b, l, NAN, 0);
        return;
    }
    double d = to - from;
    rp_buf t = {0};
    switch (k) {
    case RP_SHARE:
        rp_num(&t, l, d * 100, 1);
        rp_put(&t, "\xC2\xA0");
        rp_put(&t, T(l, M_PP));
        break;
    case RP_SECONDS: rp_secs(&t, l, d); break;
    default: rp_value(&t, l, k, d); break;
    }
    if (d > 0)
        rp_put(b, "+");
    rp_put(b, t.p);
    if (k != RP_SHARE && from != 0 && d != 0) {
        rp_put(b, " (");
        if (d > 0)
            rp_put(b, "+");
        rp_pct(b, l, d / fabs(from), 0);
        rp_put(b, ")");
    }
    rp_buf_free(&t);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

rp_kind rp_kind_of(const char *name)
{
    if (!name)
        return RP_DECIMAL;
    if (ends_with(name, "_share") || ends_with(name, "_rate") || strncmp(name, "service_level", 13) == 0)
        return RP_SHARE;
    if (ends_with(name, "_dkk"))
        return RP_DKK;
    if (ends_with(name, "_s"))
        return RP_SECONDS;
    if (strcmp(name, "inbound") == 0 || strcmp(name, "outbound") == 0 ||
        strcmp(name, "answering_employees") == 0 || strcmp(name, "employees_over_threshold") == 0 ||
        strcmp(name, "persons_answering") == 0 || strcmp(name, "agents_needed") == 0 ||
        strcmp(name, "pooling_gap") == 0 || strcmp(name, "calls_per_year") == 0)
        return RP_COUNT;
    return RP_DECIMAL;
}

/* ------------------------------------------------------------- labels */

static const char *const msgs[M_COUNT_OF_MSGS][2] = {
    [M_TITLE] = {"Telephony analysis", "Telefonianalyse"},
    [M_SUBTITLE] = {"Calls, costs and potential per unit", "Opkald, omkostninger og potentiale pr. enhed"},
    [M_HOWTO_H] = {"How to read this report", "S\xC3\xA5" "dan l\xC3\xA6ses rapporten"},
    [M_HOWTO] = {"The report is built from the municipality's call records, contact-center statistics, "
                 "HR data and telecom invoices. <b>Overview</b> puts the chosen units side by side on four "
                 "data points: how many calls they receive, how many are transferred onwards, how many are "
                 "not answered, and how many employees take more than %s calls a month. Two units with the "
                 "same volume can differ a lot in how many people take the calls: a sign that calls could "
                 "be pooled on fewer people. <b>Potential</b> ranks the units by how far they stand out "
                 "from comparable units (same type), with the reasons \xE2\x80\x93 for each data point the "
                 "unit's value, the median of its peers and the threshold it exceeds \xE2\x80\x93 and the "
                 "yearly saving a better organisation of the calls could give. Each "
                 "unit then has its own page: the month-by-month trend, when in the week the calls come, "
                 "how the calls are spread over its employees (shown by code, never by name), and what its "
                 "telephony costs. <b>Data quality</b> at the end says what the figures are built on. "
                 "Percentages of calls are shares of the inbound calls unless the label says otherwise.",
                 "Rapporten bygger p\xC3\xA5 kommunens opkaldsdata, kontaktcenterstatistik, HR-data og "
                 "teleregninger. <b>Overblik</b> stiller de valgte enheder side om side p\xC3\xA5 fire "
                 "datapunkter: hvor mange opkald de modtager, hvor mange der viderestilles, hvor mange der "
                 "ikke besvares, og hvor mange medarbejdere der modtager over %s opkald om m\xC3\xA5neden. "
                 "To enheder med samme volumen kan have meget forskelligt antal personer, der tager "
                 "telefonen: et tegn p\xC3\xA5, at opkaldene kunne samles p\xC3\xA5 f\xC3\xA6rre "
                 "personer. <b>Potentiale</b> rangerer enhederne efter, hvor meget de skiller sig ud fra "
                 "sammenlignelige enheder (samme type), med begrundelserne \xE2\x80\x93 for hvert datapunkt "
                 "enhedens v\xC3\xA6rdi, medianen for de sammenlignelige og den t\xC3\xA6rskel, den "
                 "overskrider \xE2\x80\x93 og den \xC3\xA5rlige besparelse, en bedre organisering af "
                 "opkaldene kan give. Derefter har hver enhed sin egen side: udviklingen "
                 "m\xC3\xA5ned for m\xC3\xA5ned, hvorn\xC3\xA5r p\xC3\xA5 ugen opkaldene kommer, hvordan "
                 "opkaldene fordeler sig p\xC3\xA5 medarbejderne (vist med kode, aldrig med navn), og hvad "
                 "telefonien koster. <b>Datakvalitet</b> til sidst viser, hvad tallene bygger p\xC3\xA5. "
                 "Procenter af opkald er andele af de indg\xC3\xA5" "ende opkald, medmindre andet er angivet."},
    [M_HOWTO_COMPARE] = {"Two periods are compared: %s (A) and %s (B). Changes are B minus A; "
                         "shares change in percentage points (pp).",
                         "To perioder sammenlignes: %s (A) og %s (B). \xC3\x86ndringer er B minus A; "
                         "andele \xC3\xA6ndres i procentpoint (pct.-point)."},
    [M_CONTENTS] = {"Contents", "Indhold"},
    [M_OVERVIEW] = {"Overview", "Overblik"},
    [M_OVERVIEW_P] = {"The chosen units on four data points, %s.", "De valgte enheder p\xC3\xA5 fire datapunkter, %s."},
    [M_CALLS_MONTH] = {"Inbound calls a month", "Indg\xC3\xA5" "ende opkald pr. m\xC3\xA5ned"},
    [M_TRANSFERRED] = {"Transferred share", "Andel viderestillede"},
    [M_MISSED] = {"Missed share", "Andel ubesvarede"},
    [M_EMP_OVER] = {"Employees above %s calls a month", "Medarbejdere med over %s opkald pr. m\xC3\xA5ned"},
    [M_RANKING] = {"Potential", "Potentiale"},
    [M_RANKING_P] = {"The units in the order of the analysis' ranking of their potential (how far their data "
                     "points lie beyond those of comparable units), with the reasons and the yearly saving a "
                     "better organisation of their calls could give (handled hours \xC3\x97 hourly cost "
                     "\xC3\x97 the expected efficiency gain), over the analysis period %s. Persons answering "
                     "is how many people took calls; agents needed is how many a shared queue would need for "
                     "the same calls at the service target.",
                     "Enhederne i den r\xC3\xA6kkef\xC3\xB8lge, analysen rangerer deres potentiale (hvor "
                     "langt deres datapunkter ligger ud over sammenlignelige enheders), med begrundelserne og "
                     "den \xC3\xA5rlige besparelse, en bedre organisering af opkaldene kan give "
                     "(behandlingstimer \xC3\x97 timepris \xC3\x97 den forventede effektivisering), over "
                     "analyseperioden %s. Personer, der besvarer, er hvor mange der tog opkald; "
                     "n\xC3\xB8" "dvendige medarbejdere er hvor mange en f\xC3\xA6lles k\xC3\xB8 ville "
                     "beh\xC3\xB8ve til de samme opkald ved servicem\xC3\xA5let."},
    [M_RANKING_MORE] = {"%s more units: see `callmap export PIPELINE unit_potential`.",
                        "%s enheder mere: se `callmap export PIPELINE unit_potential`."},
    [M_RANK] = {"#", "#"},
    [M_UNIT] = {"Unit", "Enhed"},
    [M_CALLS_YEAR] = {"Calls a year", "Opkald pr. \xC3\xA5r"},
    [M_PERSONS] = {"Persons answering", "Personer, der besvarer"},
    [M_AGENTS] = {"Agents needed", "N\xC3\xB8" "dvendige medarbejdere"},
    [M_SAVING] = {"Saving a year", "Besparelse pr. \xC3\xA5r"},
    [M_REASONS] = {"Reasons", "Begrundelser"},
    [M_NO_REASONS] = {"no data point above its peers", "intet datapunkt over de sammenlignelige"},
    [M_REASON_FMT_VALUE] = {"value", "v\xC3\xA6rdi"},
    [M_REASON_PEERS] = {"peer median", "median for sammenlignelige"},
    [M_REASON_THRESHOLD] = {"threshold", "t\xC3\xA6rskel"},
    [M_UNITS_H] = {"Units", "Enheder"},
    [M_KEY_FIGURES] = {"Key figures", "N\xC3\xB8gletal"},
    [M_FIGURE] = {"Data point", "Datapunkt"},
    [M_PERIOD] = {"Period", "Periode"},
    [M_CHANGE] = {"Change", "\xC3\x86ndring"},
    [M_TREND] = {"Month by month", "M\xC3\xA5ned for m\xC3\xA5ned"},
    [M_TREND_P] = {"Inbound calls each month by outcome.", "Indg\xC3\xA5" "ende opkald hver m\xC3\xA5ned efter udfald."},
    [M_ANSWERED] = {"answered", "besvaret"},
    [M_MISSED_N] = {"missed", "ubesvaret"},
    [M_ABANDONED] = {"abandoned in queue", "opgivet i k\xC3\xB8"},
    [M_OTHER] = {"other", "andet"},
    [M_HEATMAP] = {"When the calls come", "Hvorn\xC3\xA5r opkaldene kommer"},
    [M_HEATMAP_P] = {"Inbound calls by weekday and hour, on average per week over the analysis period %s.",
                     "Indg\xC3\xA5" "ende opkald efter ugedag og time, i gennemsnit pr. uge over analyseperioden %s."},
    [M_EMPLOYEES] = {"Calls per employee", "Opkald pr. medarbejder"},
    [M_EMPLOYEES_P] = {"Inbound calls a month per employee (average over %s), busiest first. Employees are "
                       "shown by a code that changes between reports; the dashed line is %s calls a month.",
                       "Indg\xC3\xA5" "ende opkald pr. m\xC3\xA5ned pr. medarbejder (gennemsnit over %s), "
                       "travleste f\xC3\xB8rst. Medarbejderne vises med en kode, der skifter fra rapport til "
                       "rapport; den stiplede linje er %s opkald pr. m\xC3\xA5ned."},
    [M_EMPLOYEES_MORE] = {"%s more employees with fewer calls.", "%s medarbejdere mere med f\xC3\xA6rre opkald."},
    [M_NO_EMPLOYEES] = {"No calls attributed to employees.", "Ingen opkald henf\xC3\xB8rt til medarbejdere."},
    [M_COST_PER_CALL_H] = {"Cost per call", "Omkostning pr. opkald"},
    [M_COSTS] = {"Costs by supplier and category", "Omkostninger efter leverand\xC3\xB8r og kategori"},
    [M_COSTS_P] = {"Invoice lines attributed to the unit (and the units below it), excluding VAT, %s.",
                   "Fakturalinjer henf\xC3\xB8rt til enheden (og enhederne under den), ekskl. moms, %s."},
    [M_SUPPLIER] = {"Supplier", "Leverand\xC3\xB8r"},
    [M_TOTAL] = {"Total", "I alt"},
    [M_NO_COSTS] = {"No invoice lines in the period.", "Ingen fakturalinjer i perioden."},
    [M_CANCEL] = {"Subscriptions to consider cancelling",
                  "Abonnementer, der kan overvejes opsagt"},
    [M_CANCEL_P] = {"Subscriptions billed with at most %s calls a month (in and out) over the months "
                    "billed, costliest first, with what they cost a year.",
                    "Abonnementer, der faktureres, med h\xC3\xB8jst %s opkald pr. m\xC3\xA5ned (ind og ud) "
                    "over de fakturerede m\xC3\xA5neder, dyreste f\xC3\xB8rst, med hvad de koster om \xC3\xA5ret."},
    [M_CANCEL_UNIT] = {"Subscriptions to consider cancelling", "Abonnementer, der kan overvejes opsagt"},
    [M_NUMBER] = {"Number", "Nummer"},
    [M_EMPLOYEE] = {"Employee", "Medarbejder"},
    [M_MONTHS_BILLED] = {"Months billed", "Fakturerede m\xC3\xA5neder"},
    [M_COST] = {"Cost", "Omkostning"},
    [M_CALLS_IN_OUT] = {"Calls in / out", "Opkald ind / ud"},
    [M_YEARLY] = {"A year", "Pr. \xC3\xA5r"},
    [M_NO_CANCEL] = {"No subscription below the threshold.", "Intet abonnement under t\xC3\xA6rsklen."},
    [M_DQ] = {"Data quality", "Datakvalitet"},
    [M_DQ_P] = {"What the figures are built on: every source of the pipeline, the files and records "
                "loaded from it, what was rejected and why, and the calls and costs that could not be "
                "attributed to a unit (they count in no unit's figures).",
                "Hvad tallene bygger p\xC3\xA5: hver kilde i pipelinen, de filer og poster, der er "
                "indl\xC3\xA6st fra den, hvad der blev afvist og hvorfor, og de opkald og omkostninger, "
                "der ikke kunne henf\xC3\xB8res til en enhed (de t\xC3\xA6ller ikke med i nogen enheds tal)."},
    [M_SOURCE] = {"Source", "Kilde"},
    [M_FILES_LOADED] = {"Files loaded", "Filer indl\xC3\xA6st"},
    [M_FILES_FAILED] = {"Files failed", "Filer fejlet"},
    [M_PERIOD_COVERED] = {"Period covered", "Periode d\xC3\xA6kket"},
    [M_RECORDS_LOADED] = {"Records loaded", "Poster indl\xC3\xA6st"},
    [M_RECORDS_REJECTED] = {"Records rejected", "Poster afvist"},
    [M_UNATTR_CALLS] = {"Unattributed calls", "Ikke-henf\xC3\xB8rte opkald"},
    [M_UNATTR_COSTS] = {"Unattributed costs", "Ikke-henf\xC3\xB8rte omkostninger"},
    [M_REJECTS_H] = {"Rejected records by reason", "Afviste poster efter \xC3\xA5rsag"},
    [M_REASON] = {"Reason", "\xC3\x85rsag"},
    [M_COUNT] = {"Records", "Poster"},
    [M_FAILED_FILES_H] = {"Files that failed", "Filer, der fejlede"},
    [M_NO_REJECTS] = {"No record was rejected.", "Ingen poster blev afvist."},
    [M_FOOTER] = {"Made by callmap %s from the store %s, last loaded %s. The report holds no names "
                  "and no citizens' numbers.",
                  "Lavet af callmap %s fra databasen %s, senest indl\xC3\xA6st %s. Rapporten indeholder "
                  "ingen navne og ingen borgeres numre."},
    [M_NO_DATA] = {"no data", "ingen data"},
    [M_TYPE] = {"Type", "Type"},
    [M_ANALYSIS_PERIOD] = {"analysis period", "analyseperiode"},
    [M_PERIOD_A] = {"A", "A"},
    [M_PERIOD_B] = {"B", "B"},
    [M_SNAPSHOT] = {"snapshot", "\xC3\xB8jebliksbillede"},
    [M_CANCEL_TOTAL] = {"%s numbers, together %s a year.", "%s numre, tilsammen %s om \xC3\xA5ret."},
    [M_MORE_REJECTS] = {"%s more reasons.", "%s \xC3\xA5rsager mere."},
    [M_PP] = {"pp", "pct.-point"},
    [M_THRESHOLD_LINE] = {"%s calls a month", "%s opkald pr. m\xC3\xA5ned"},
    [M_PER_WEEK] = {"calls a week", "opkald pr. uge"},
    [M_LEVEL_UNDER] = {"under", "under"},
    [M_DP_INBOUND] = {"Inbound calls a month", "Indg\xC3\xA5" "ende opkald pr. m\xC3\xA5ned"},
    [M_DP_OUTBOUND] = {"Outbound calls a month", "Udg\xC3\xA5" "ende opkald pr. m\xC3\xA5ned"},
    [M_DP_ANSWERED_SHARE] = {"Answered share of inbound calls", "Andel besvarede af indg\xC3\xA5" "ende opkald"},
    [M_DP_MISSED_SHARE] = {"Missed share of inbound calls", "Andel ubesvarede af indg\xC3\xA5" "ende opkald"},
    [M_DP_ABANDONED_SHARE] = {"Abandoned share (contact center)", "Andel opgivne (kontaktcenter)"},
    [M_DP_TRANSFERRED_SHARE] = {"Transferred share of answered calls", "Andel viderestillede af besvarede opkald"},
    [M_DP_ANSWERING] = {"Employees answering a month", "Medarbejdere, der besvarer, pr. m\xC3\xA5ned"},
    [M_DP_EMP_OVER] = {"Employees above the threshold a month", "Medarbejdere over t\xC3\xA6rsklen pr. m\xC3\xA5ned"},
    [M_DP_BUSIEST] = {"Calls taken by the busiest 20 % of employees", "Opkald taget af de travleste 20 % af medarbejderne"},
    [M_DP_PEAK_HOUR] = {"Busiest hour's share of the day", "Travleste times andel af dagen"},
    [M_DP_MOBILE] = {"Share of inbound calls on mobiles", "Andel indg\xC3\xA5" "ende opkald p\xC3\xA5 mobiltelefoner"},
    [M_DP_HIDDEN] = {"Share from hidden numbers", "Andel fra skjulte numre"},
    [M_DP_REPEAT] = {"Callers who call again within 7 days", "Opkaldere, der ringer igen inden for 7 dage"},
    [M_DP_TALK] = {"Average talk time", "Gennemsnitlig samtaletid"},
    [M_DP_COST] = {"Cost a month", "Omkostning pr. m\xC3\xA5ned"},
    [M_DP_COST_PER_CALL] = {"Cost per call (in and out)", "Omkostning pr. opkald (ind og ud)"},
    [M_DP_SL_ANSWERED] = {"Service level (of answered)", "Serviceniveau (af besvarede)"},
    [M_DP_SL_OFFERED] = {"Service level (of offered)", "Serviceniveau (af tilbudte)"},
    [M_DP_ASA] = {"Average wait before answer", "Gennemsnitlig ventetid f\xC3\xB8r svar"},
    [M_DP_WRAP] = {"Average wrap-up time", "Gennemsnitlig efterbehandlingstid"},
    [M_DP_NOON] = {"Share of inbound calls 11:00\xE2\x80\x93" "12:59", "Andel indg\xC3\xA5" "ende opkald kl. 11.00\xE2\x80\x93" "12.59"},
    [M_DP_MONDAY] = {"Share of inbound calls on Mondays", "Andel indg\xC3\xA5" "ende opkald om mandagen"},
    [M_DP_FEW_CALLS] = {"Many people taking few calls each", "Mange personer, der tager f\xC3\xA5 opkald hver"},
    [M_DP_POOLING_GAP] = {"Persons answering beyond what a queue needs", "Personer ud over hvad en k\xC3\xB8 beh\xC3\xB8ver"},
    [M_DP_PER_ANSWERING] = {"Answered calls per answering employee a month",
                            "Besvarede opkald pr. besvarende medarbejder pr. m\xC3\xA5ned"},
    [M_CAT_SUBSCRIPTION] = {"subscription", "abonnement"},
    [M_CAT_USAGE] = {"usage", "forbrug"},
    [M_CAT_EQUIPMENT] = {"equipment", "udstyr"},
    [M_CAT_OTHER] = {"other", "andet"},
    [M_CAT_NONE] = {"uncategorised", "ukategoriseret"},
    [M_CATEGORY] = {"Category", "Kategori"},
    [M_FILE] = {"File", "Fil"},
    [M_CANCEL_SHOWN] = {"The %s costliest are shown; `callmap export PIPELINE subscription_usage` has them all.",
                        "De %s dyreste vises; `callmap export PIPELINE subscription_usage` har dem alle."},
    [M_DP_ANSWERERS_PER_AGENT] = {"Employees answering per agent a queue would need",
                                  "Besvarende medarbejdere pr. medarbejder, en k\xC3\xB8 ville beh\xC3\xB8ve"},
    [M_DP_CC_INBOUND] = {"Inbound calls through the contact center a month",
                         "Indg\xC3\xA5" "ende opkald gennem kontaktcentret pr. m\xC3\xA5ned"},
    [M_CANCEL_TOTAL1] = {"%s number, %s a year.", "%s nummer, %s om \xC3\xA5ret."},
    [M_WD1] = {"Mon", "man"},
    [M_WD2] = {"Tue", "tir"},
    [M_WD3] = {"Wed", "ons"},
    [M_WD4] = {"Thu", "tor"},
    [M_WD5] = {"Fri", "fre"},
    [M_WD6] = {"Sat", "l\xC3\xB8r"},
    [M_WD7] = {"Sun", "s\xC3\xB8n"},
};

const char *rp_msg_text(rp_lang l, rp_msg m)
{
    if ((int)m < 0 || m >= M_COUNT_OF_MSGS || !msgs[m][0])
        return "?";
    return msgs[m][l == RP_DA ? 1 : 0];
}

const char *rp_category_label(rp_lang l, const char *c)
{
    if (!c || !*c)
        return T(l, M_CAT_NONE);
    if (strcmp(c, "subscription") == 0) return T(l, M_CAT_SUBSCRIPTION);
    if (strcmp(c, "usage") == 0) return T(l, M_CAT_USAGE);
    if (strcmp(c, "equipment") == 0) return T(l, M_CAT_EQUIPMENT);
    if (strcmp(c, "other") == 0) return T(l, M_CAT_OTHER);
    return c;
}

const char *rp_datapoint_label(rp_lang l, const char *name)
{
    static const struct {
        const char *name;
        rp_msg m;
    } map[] = {
        {"inbound", M_DP_INBOUND},
        {"outbound", M_DP_OUTBOUND},
        {"answered_share", M_DP_ANSWERED_SHARE},
        {"missed_share", M_DP_MISSED_SHARE},
        {"abandoned_share", M_DP_ABANDONED_SHARE},
        {"transferred_share", M_DP_TRANSFERRED_SHARE},
        {"answering_employees", M_DP_ANSWERING},
        {"employees_over_threshold", M_DP_EMP_OVER},
        {"busiest_20pct_share", M_DP_BUSIEST},
        {"peak_hour_share", M_DP_PEAK_HOUR},
        {"mobile_share", M_DP_MOBILE},
        {"hidden_share", M_DP_HIDDEN},
        {"repeat_callers_7d_share", M_DP_REPEAT},
        {"avg_talk_s", M_DP_TALK},
        {"cost_dkk", M_DP_COST},
        {"cost_per_call_dkk", M_DP_COST_PER_CALL},
        {"service_level_answered", M_DP_SL_ANSWERED},
        {"service_level_offered", M_DP_SL_OFFERED},
        {"asa_s", M_DP_ASA},
        {"avg_wrap_s", M_DP_WRAP},
        {"noon_share", M_DP_NOON},
        {"monday_share", M_DP_MONDAY},
        {"pooling_gap", M_DP_POOLING_GAP},
        {"calls_per_answering_employee", M_DP_PER_ANSWERING},
        {"answerers_per_agent", M_DP_ANSWERERS_PER_AGENT},
        {"cc_inbound", M_DP_CC_INBOUND},
    };
    if (!name)
        return NULL;
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strcmp(map[i].name, name) == 0)
            return T(l, map[i].m);
    return NULL;
}
