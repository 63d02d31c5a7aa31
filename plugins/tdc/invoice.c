/*
 * OIOUBL invoices (kind invoice): one Invoice or CreditNote document per file,
 * OIOUBL 2.01/2.02 (UBL 2.0) and OIOUBL 2.1 (UBL 2.1). Elements are matched by
 * namespace and local name, never by prefix.
 *
 * The file is parsed with libxml2's SAX2 push parser, fed by api->read: no
 * network, no DTD (a DOCTYPE fails the file), no entity substitution. The
 * document's fields and its lines are kept (bounded by max-lines) until the
 * end, because a document whose lines do not add up to its
 * LegalMonetaryTotal/LineExtensionAmount is rejected whole. Then it emits one
 * invoices record (record number: the line of the root element) and one costs
 * record per InvoiceLine/CreditNoteLine (record number: the line's start tag).
 *
 * Amounts are kept as integers of 10^-6 so that sums are exact; credit notes
 * carry their sign in the document type, so their amounts become negative.
 * LegalMonetaryTotal/TaxExclusiveAmount is never used: OIOUBL 2.0x documents
 * put the VAT there, not the net amount.
 */
#include "tdc.h"

#include <libxml/parser.h>
#include <libxml/xmlversion.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>

#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const cm_option_def tdc_invoice_options[] = {
    {"category-rule", CM_OPT_LIST, NULL, 0, offsetof(tdc_invoice_config, category_rules),
     "CATEGORY=REGEX (repeatable, tried in order before the built-in Danish rules): a line whose "
     "item name, item description, note or item id (each on its own) matches the POSIX extended "
     "regex, in any case, gets the category subscription, usage, equipment or other"},
    {"max-lines", CM_OPT_INT, "100000", 0, offsetof(tdc_invoice_config, max_lines),
     "most lines a document may have (they are held until the document's sum is checked)"},
    {0},
};

/* Built-in rules, after the pipeline's: the first match wins, else other. */
static const char *const DEFAULT_RULES[] = {
    "subscription=abonnement|abon\\b|månedspris|månedsafgift|kvartalsafgift|fast pris",
    "usage=forbrug|samtale|opkald|sms|mms|data|roaming|trafik",
    "equipment=telefon|mobiltelefon|iphone|samsung|headset|udstyr|apparat|router",
};

static const char *const CATEGORIES[] = {"subscription", "usage", "equipment", "other"};

#define NS_INVOICE "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
#define NS_CREDITNOTE "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
#define NS_CAC "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
#define NS_CBC "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"

#define MICRO 1000000      /* amounts in 10^-6 */
#define TEXT_MAX 4096      /* longest value kept of an element */
#define ARENA_MAX (64u << 20)
#define STACK_MAX 32
#define CHUNK 65536

/* ---------------------------------------------------------------- element names */

enum tok {
    X_OTHER = 0, X_ROOT, X_LINE,
    /* cac */
    X_INVOICE_PERIOD, X_ASP, X_ACP, X_PARTY, X_PARTY_ID, X_PARTY_NAME, X_POSTAL_ADDRESS,
    X_PARTY_TAX_SCHEME, X_PARTY_LEGAL_ENTITY, X_TAX_TOTAL, X_TAX_SUBTOTAL, X_TAX_CATEGORY,
    X_CLASSIFIED_TAX_CATEGORY, X_LMT, X_ITEM, X_SELLERS_ITEM_ID,
    /* cbc */
    X_UBL_VERSION, X_CUSTOMIZATION, X_ID, X_ISSUE_DATE, X_CURRENCY, X_ACCOUNTING_COST,
    X_START_DATE, X_END_DATE, X_ENDPOINT, X_COMPANY_ID, X_NAME, X_REGISTRATION_NAME,
    X_STREET, X_BUILDING, X_POSTAL_ZONE, X_CITY, X_LINE_EXTENSION, X_TAX_AMOUNT, X_PAYABLE,
    X_QUANTITY, X_NOTE, X_DESCRIPTION, X_PERCENT,
};

static const struct {
    int cbc; /* 0: cac */
    const char *name;
    unsigned char tok;
} NAMES[] = {
    {0, "InvoiceLine", X_LINE}, {0, "CreditNoteLine", X_LINE},
    {0, "InvoicePeriod", X_INVOICE_PERIOD}, {0, "AccountingSupplierParty", X_ASP},
    {0, "AccountingCustomerParty", X_ACP}, {0, "Party", X_PARTY},
    {0, "PartyIdentification", X_PARTY_ID}, {0, "PartyName", X_PARTY_NAME},
    {0, "PostalAddress", X_POSTAL_ADDRESS}, {0, "PartyTaxScheme", X_PARTY_TAX_SCHEME},
    {0, "PartyLegalEntity", X_PARTY_LEGAL_ENTITY}, {0, "TaxTotal", X_TAX_TOTAL},
    {0, "TaxSubtotal", X_TAX_SUBTOTAL}, {0, "TaxCategory", X_TAX_CATEGORY},
    {0, "ClassifiedTaxCategory", X_CLASSIFIED_TAX_CATEGORY},
    {0, "LegalMonetaryTotal", X_LMT}, {0, "Item", X_ITEM},
    {0, "SellersItemIdentification", X_SELLERS_ITEM_ID},
    {1, "UBLVersionID", X_UBL_VERSION}, {1, "CustomizationID", X_CUSTOMIZATION}, {1, "ID", X_ID},
    {1, "IssueDate", X_ISSUE_DATE}, {1, "DocumentCurrencyCode", X_CURRENCY},
    {1, "AccountingCost", X_ACCOUNTING_COST}, {1, "StartDate", X_START_DATE},
    {1, "EndDate", X_END_DATE}, {1, "EndpointID", X_ENDPOINT}, {1, "CompanyID", X_COMPANY_ID},
    {1, "Name", X_NAME}, {1, "RegistrationName", X_REGISTRATION_NAME},
    {1, "StreetName", X_STREET}, {1, "BuildingNumber", X_BUILDING},
    {1, "PostalZone", X_POSTAL_ZONE}, {1, "CityName", X_CITY},
    {1, "LineExtensionAmount", X_LINE_EXTENSION}, {1, "TaxAmount", X_TAX_AMOUNT},
    {1, "PayableAmount", X_PAYABLE}, {1, "InvoicedQuantity", X_QUANTITY},
    {1, "CreditedQuantity", X_QUANTITY}, {1, "Note", X_NOTE}, {1, "Description", X_DESCRIPTION},
    {1, "Percent", X_PERCENT},
};

/* The values read: document fields (D_*) and line fields (L_*). */
enum field {
    F_NONE = 0,
    D_UBL_VERSION, D_CUSTOMIZATION, D_ID, D_ISSUE_DATE, D_CURRENCY, D_ACCOUNTING_COST,
    D_PERIOD_START, D_PERIOD_END,
    D_SUP_ENDPOINT, D_SUP_PARTY_ID, D_SUP_NAME, D_SUP_STREET, D_SUP_BUILDING, D_SUP_POSTAL,
    D_SUP_CITY, D_SUP_TAX_COMPANY, D_SUP_LEGAL_COMPANY, D_SUP_REGNAME,
    D_BUY_ENDPOINT, D_BUY_PARTY_ID, D_BUY_NAME, D_BUY_REGNAME,
    D__STRINGS, /* the fields above are strings; below, amounts */
    D_TAX = D__STRINGS, D_PERCENT, D_LINE_EXTENSION, D_PAYABLE,
    L_ID, L_NOTE, L_QUANTITY, L_AMOUNT, L_ACCOUNTING_COST, L_PERIOD_START, L_PERIOD_END,
    L_TAX, L_PERCENT, L_ITEM_PERCENT, L_NAME, L_DESCRIPTION, L_SELLERS_ID,
};

#define MAX_PATH 6
static const struct path {
    unsigned char field;
    unsigned char n;
    unsigned char tok[MAX_PATH];
} PATHS[] = {
    {D_UBL_VERSION, 2, {X_ROOT, X_UBL_VERSION}},
    {D_CUSTOMIZATION, 2, {X_ROOT, X_CUSTOMIZATION}},
    {D_ID, 2, {X_ROOT, X_ID}},
    {D_ISSUE_DATE, 2, {X_ROOT, X_ISSUE_DATE}},
    {D_CURRENCY, 2, {X_ROOT, X_CURRENCY}},
    {D_ACCOUNTING_COST, 2, {X_ROOT, X_ACCOUNTING_COST}},
    {D_PERIOD_START, 3, {X_ROOT, X_INVOICE_PERIOD, X_START_DATE}},
    {D_PERIOD_END, 3, {X_ROOT, X_INVOICE_PERIOD, X_END_DATE}},
    {D_SUP_ENDPOINT, 4, {X_ROOT, X_ASP, X_PARTY, X_ENDPOINT}},
    {D_SUP_PARTY_ID, 5, {X_ROOT, X_ASP, X_PARTY, X_PARTY_ID, X_ID}},
    {D_SUP_NAME, 5, {X_ROOT, X_ASP, X_PARTY, X_PARTY_NAME, X_NAME}},
    {D_SUP_STREET, 5, {X_ROOT, X_ASP, X_PARTY, X_POSTAL_ADDRESS, X_STREET}},
    {D_SUP_BUILDING, 5, {X_ROOT, X_ASP, X_PARTY, X_POSTAL_ADDRESS, X_BUILDING}},
    {D_SUP_POSTAL, 5, {X_ROOT, X_ASP, X_PARTY, X_POSTAL_ADDRESS, X_POSTAL_ZONE}},
    {D_SUP_CITY, 5, {X_ROOT, X_ASP, X_PARTY, X_POSTAL_ADDRESS, X_CITY}},
    {D_SUP_TAX_COMPANY, 5, {X_ROOT, X_ASP, X_PARTY, X_PARTY_TAX_SCHEME, X_COMPANY_ID}},
    {D_SUP_LEGAL_COMPANY, 5, {X_ROOT, X_ASP, X_PARTY, X_PARTY_LEGAL_ENTITY, X_COMPANY_ID}},
    {D_SUP_REGNAME, 5, {X_ROOT, X_ASP, X_PARTY, X_PARTY_LEGAL_ENTITY, X_REGISTRATION_NAME}},
    {D_BUY_ENDPOINT, 4, {X_ROOT, X_ACP, X_PARTY, X_ENDPOINT}},
    {D_BUY_PARTY_ID, 5, {X_ROOT, X_ACP, X_PARTY, X_PARTY_ID, X_ID}},
    {D_BUY_NAME, 5, {X_ROOT, X_ACP, X_PARTY, X_PARTY_NAME, X_NAME}},
    {D_BUY_REGNAME, 5, {X_ROOT, X_ACP, X_PARTY, X_PARTY_LEGAL_ENTITY, X_REGISTRATION_NAME}},
    {D_TAX, 3, {X_ROOT, X_TAX_TOTAL, X_TAX_AMOUNT}},
    {D_PERCENT, 5, {X_ROOT, X_TAX_TOTAL, X_TAX_SUBTOTAL, X_TAX_CATEGORY, X_PERCENT}},
    {D_LINE_EXTENSION, 3, {X_ROOT, X_LMT, X_LINE_EXTENSION}},
    {D_PAYABLE, 3, {X_ROOT, X_LMT, X_PAYABLE}},
    {L_ID, 3, {X_ROOT, X_LINE, X_ID}},
    {L_NOTE, 3, {X_ROOT, X_LINE, X_NOTE}},
    {L_QUANTITY, 3, {X_ROOT, X_LINE, X_QUANTITY}},
    {L_AMOUNT, 3, {X_ROOT, X_LINE, X_LINE_EXTENSION}},
    {L_ACCOUNTING_COST, 3, {X_ROOT, X_LINE, X_ACCOUNTING_COST}},
    {L_PERIOD_START, 4, {X_ROOT, X_LINE, X_INVOICE_PERIOD, X_START_DATE}},
    {L_PERIOD_END, 4, {X_ROOT, X_LINE, X_INVOICE_PERIOD, X_END_DATE}},
    {L_TAX, 4, {X_ROOT, X_LINE, X_TAX_TOTAL, X_TAX_AMOUNT}},
    {L_PERCENT, 6, {X_ROOT, X_LINE, X_TAX_TOTAL, X_TAX_SUBTOTAL, X_TAX_CATEGORY, X_PERCENT}},
    {L_ITEM_PERCENT, 5, {X_ROOT, X_LINE, X_ITEM, X_CLASSIFIED_TAX_CATEGORY, X_PERCENT}},
    {L_NAME, 4, {X_ROOT, X_LINE, X_ITEM, X_NAME}},
    {L_DESCRIPTION, 4, {X_ROOT, X_LINE, X_ITEM, X_DESCRIPTION}},
    {L_SELLERS_ID, 5, {X_ROOT, X_LINE, X_ITEM, X_SELLERS_ITEM_ID, X_ID}},
};

/* ---------------------------------------------------------------- state */

/* Strings are offsets into the document's arena; 0 is "absent". */
typedef size_t sref;

typedef struct amount {
    int64_t v; /* 10^-6 */
    int set;
} amount;

typedef struct inv_line {
    int64_t record; /* XML line of the start tag */
    sref id, note, name, description, sellers_id, accounting_cost, period_start, period_end;
    amount amount, tax, percent, item_percent, quantity;
} inv_line;

typedef struct doc {
    cm_stream *s;
    xmlParserCtxtPtr ctxt;
    int64_t max_lines;

    int depth;                     /* of the open element; -1 before the root */
    unsigned char stack[STACK_MAX];
    int credit;                    /* CreditNote */
    int64_t root_line;

    /* the element whose text is collected */
    int field, field_depth;
    int64_t field_line;
    char text[TEXT_MAX];
    size_t tlen;
    char attr[128]; /* its schemeID or currencyID */

    char *arena;
    size_t alen, acap;

    sref str[D__STRINGS];
    sref scheme[D__STRINGS]; /* schemeID of identifiers */
    amount tax, line_extension, payable;
    int64_t percent;         /* the document's single VAT percent, if one */
    int npercent;            /* TaxSubtotal percents seen; -1: several that differ */
    sref lme_currency;

    inv_line *lines;
    size_t nlines, lcap;
    int in_line;

    char fail[600];   /* the file fails (set: stop parsing) */
    char reject[600]; /* the document is rejected (first reason) */
    char xml_error[400];
    int64_t xml_error_line;
    int xml_error_code;
} doc;

typedef struct rule {
    const char *category;
    regex_t re;
} rule;

typedef struct inv_state {
    const cm_api *api;
    cm_instance *inst;
    rule *rules;
    size_t nrules;
    int64_t max_lines;
} inv_state;

/* ---------------------------------------------------------------- init */

static void free_rules(inv_state *st)
{
    for (size_t i = 0; i < st->nrules; i++)
        regfree(&st->rules[i].re);
    free(st->rules);
    st->rules = NULL;
    st->nrules = 0;
}

void tdc_invoice_destroy(void *state)
{
    inv_state *st = state;
    if (!st)
        return;
    free_rules(st);
    free(st);
}

/* "CATEGORY=REGEX" into a rule; 0, or -1 after logging why. */
static int add_rule(inv_state *st, const char *entry, const char *where)
{
    const cm_api *api = st->api;
    const char *eq = strchr(entry, '=');
    const char *category = NULL;
    if (eq) {
        for (size_t i = 0; i < sizeof CATEGORIES / sizeof *CATEGORIES; i++)
            if (strlen(CATEGORIES[i]) == (size_t)(eq - entry) &&
                strncmp(CATEGORIES[i], entry, (size_t)(eq - entry)) == 0)
                category = CATEGORIES[i];
    }
    if (!category) {
        api->log(st->inst, CM_LOG_ERROR,
                 "%s '%s' is not CATEGORY=REGEX with a category subscription, usage, equipment "
                 "or other", where, entry);
        return -1;
    }
    rule *r = &st->rules[st->nrules];
    r->category = category;
    int rc = regcomp(&r->re, eq + 1, REG_EXTENDED | REG_ICASE | REG_NOSUB);
    if (rc != 0) {
        char msg[200];
        regerror(rc, &r->re, msg, sizeof msg);
        api->log(st->inst, CM_LOG_ERROR, "%s '%s': invalid regular expression: %s", where, entry,
                 msg);
        return -1;
    }
    st->nrules++;
    return 0;
}

int tdc_invoice_init(const cm_api *api, cm_instance *inst, const void *config, void **state)
{
    const tdc_invoice_config *cfg = config;
    if (cfg->max_lines < 1 || cfg->max_lines > 10000000) {
        api->log(inst, CM_LOG_ERROR, "max-lines must be between 1 and 10000000, not %lld",
                 (long long)cfg->max_lines);
        return CM_ERROR;
    }
    inv_state *st = calloc(1, sizeof *st);
    if (!st)
        return CM_ERROR;
    st->api = api;
    st->inst = inst;
    st->max_lines = cfg->max_lines;
    size_t n = sizeof DEFAULT_RULES / sizeof *DEFAULT_RULES;
    for (const char *const *e = cfg->category_rules; e && *e; e++)
        n++;
    st->rules = calloc(n, sizeof *st->rules);
    if (!st->rules) {
        free(st);
        return CM_ERROR;
    }
    for (const char *const *e = cfg->category_rules; e && *e; e++) {
        if (add_rule(st, *e, "category-rule") != 0) {
            tdc_invoice_destroy(st);
            return CM_ERROR;
        }
    }
    for (size_t i = 0; i < sizeof DEFAULT_RULES / sizeof *DEFAULT_RULES; i++) {
        if (add_rule(st, DEFAULT_RULES[i], "built-in rule") != 0) {
            tdc_invoice_destroy(st);
            return CM_ERROR;
        }
    }
    xmlInitParser(); /* idempotent; the host uses libxml2 too */
    *state = st;
    return CM_OK;
}

/* ---------------------------------------------------------------- document helpers */

static void set_msg(char *dst, size_t n, const char *fmt, ...) CM_PRINTF(3, 4);
static void set_msg(char *dst, size_t n, const char *fmt, ...)
{
    if (dst[0])
        return; /* the first reason is the cause */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, n, fmt, ap);
    va_end(ap);
}
#define FAIL(d, ...) (set_msg((d)->fail, sizeof (d)->fail, __VA_ARGS__), xmlStopParser((d)->ctxt))
#define REJECT(d, ...) set_msg((d)->reject, sizeof (d)->reject, __VA_ARGS__)

static const char *S(const doc *d, sref r) { return r ? d->arena + r : NULL; }

/* Copies s[0..n) into the arena; 0 when it does not fit (the file then fails). */
static sref put(doc *d, const char *s, size_t n)
{
    if (d->alen + n + 1 > d->acap) {
        size_t cap = d->acap;
        while (cap < d->alen + n + 1)
            cap *= 2;
        char *a = cap <= ARENA_MAX ? realloc(d->arena, cap) : NULL;
        if (!a) {
            FAIL(d, "the document is too large (over %u MiB of text kept)", ARENA_MAX >> 20);
            return 0;
        }
        d->arena = a;
        d->acap = cap;
    }
    sref r = d->alen;
    memcpy(d->arena + r, s, n);
    d->arena[r + n] = '\0';
    d->alen += n + 1;
    return r;
}

static int xml_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* xsd:decimal ("-1234.5", no exponent) into 10^-6 units, rounded half away
 * from zero; at most 12 digits before the point. */
static int parse_amount(const char *s, int64_t *out)
{
    int neg = 0;
    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    int64_t ip = 0, fp = 0;
    int ni = 0, nf = 0, significant = 0, round_up = 0;
    for (; *s >= '0' && *s <= '9'; s++, ni++) {
        significant += ip > 0 || *s != '0';
        if (significant > 12)
            return -1;
        ip = ip * 10 + (*s - '0');
    }
    if (*s == '.') {
        s++;
        for (; *s >= '0' && *s <= '9'; s++, nf++) {
            if (nf < 6)
                fp = fp * 10 + (*s - '0');
            else if (nf == 6)
                round_up = *s >= '5';
        }
    }
    if (*s || ni + nf == 0)
        return -1;
    for (int k = nf; k < 6; k++)
        fp *= 10;
    int64_t v = ip * MICRO + fp + round_up;
    *out = neg ? -v : v;
    return 0;
}

/* 10^-6 units to whole øre, half away from zero. */
static int64_t to_ore(int64_t micro)
{
    return micro >= 0 ? (micro + 5000) / 10000 : -((-micro + 5000) / 10000);
}

/* Writes an amount in øre as "-1234.50". */
static const char *ore_text(int64_t ore, char out[32])
{
    int64_t a = ore < 0 ? -ore : ore;
    snprintf(out, 32, "%s%lld.%02lld", ore < 0 ? "-" : "", (long long)(a / 100),
             (long long)(a % 100));
    return out;
}

/* ---------------------------------------------------------------- SAX callbacks */

static unsigned char token_of(doc *d, const xmlChar *local, const xmlChar *uri, int depth)
{
    const char *l = (const char *)local, *u = (const char *)uri;
    if (!u)
        return X_OTHER;
    int cbc = strcmp(u, NS_CBC) == 0;
    if (!cbc && strcmp(u, NS_CAC) != 0)
        return X_OTHER;
    for (size_t i = 0; i < sizeof NAMES / sizeof *NAMES; i++) {
        if (NAMES[i].cbc == cbc && strcmp(NAMES[i].name, l) == 0) {
            /* an InvoiceLine in an Invoice, a CreditNoteLine in a CreditNote */
            if (NAMES[i].tok == X_LINE && depth == 1 &&
                strcmp(l, d->credit ? "CreditNoteLine" : "InvoiceLine") != 0)
                return X_OTHER;
            return NAMES[i].tok;
        }
    }
    return X_OTHER;
}

static int field_of(const doc *d)
{
    int n = d->depth + 1;
    if (n > MAX_PATH || n > STACK_MAX)
        return F_NONE;
    for (size_t i = 0; i < sizeof PATHS / sizeof *PATHS; i++) {
        if (PATHS[i].n == n && memcmp(PATHS[i].tok, d->stack, (size_t)n) == 0)
            return PATHS[i].field;
    }
    return F_NONE;
}

static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **ns, int nattr, int ndefaulted,
                     const xmlChar **attrs)
{
    (void)prefix, (void)nns, (void)ns, (void)ndefaulted;
    doc *d = ctx;
    d->depth++;
    int64_t line = xmlSAX2GetLineNumber(d->ctxt);
    if (d->depth == 0) {
        const char *l = (const char *)local, *u = uri ? (const char *)uri : NULL;
        if (u && strcmp(l, "Invoice") == 0 && strcmp(u, NS_INVOICE) == 0) {
            d->credit = 0;
        } else if (u && strcmp(l, "CreditNote") == 0 && strcmp(u, NS_CREDITNOTE) == 0) {
            d->credit = 1;
        } else {
            FAIL(d, "not an OIOUBL Invoice or CreditNote: the root element is <%s>%s%s%s", l,
                 u ? " in the namespace " : " without a namespace", u ? u : "",
                 u && strstr(u, "UtilityStatement") ? " (a UtilityStatement, TDC's specification "
                                                      "to an invoice, is not loaded: leave it out "
                                                      "of the input)"
                                                    : "");
            return;
        }
        d->root_line = line;
        d->stack[0] = X_ROOT;
        return;
    }
    unsigned char t = token_of(d, local, uri, d->depth);
    if (d->depth < STACK_MAX)
        d->stack[d->depth] = t;
    if (d->depth == 1 && t == X_LINE) {
        if ((int64_t)d->nlines >= d->max_lines) {
            FAIL(d, "the document has more than %lld lines (option max-lines)",
                 (long long)d->max_lines);
            return;
        }
        if (d->nlines == d->lcap) {
            size_t cap = d->lcap ? d->lcap * 2 : 64;
            inv_line *l = realloc(d->lines, cap * sizeof *l);
            if (!l) {
                FAIL(d, "out of memory for the document's lines");
                return;
            }
            d->lines = l;
            d->lcap = cap;
        }
        memset(&d->lines[d->nlines], 0, sizeof *d->lines);
        d->lines[d->nlines].record = line;
        d->nlines++;
        d->in_line = 1;
        return;
    }
    if (d->field != F_NONE)
        return; /* inside a collected element */
    int f = field_of(d);
    if (f == F_NONE)
        return;
    d->field = f;
    d->field_depth = d->depth;
    d->field_line = line;
    d->tlen = 0;
    d->attr[0] = '\0';
    for (int i = 0; i < nattr; i++) {
        const xmlChar **a = attrs + 5 * i; /* localname, prefix, URI, value, end */
        const char *an = (const char *)a[0];
        if (!a[2] && (strcmp(an, "schemeID") == 0 || strcmp(an, "currencyID") == 0)) {
            size_t n = (size_t)(a[4] - a[3]);
            if (n >= sizeof d->attr)
                n = sizeof d->attr - 1;
            memcpy(d->attr, a[3], n);
            d->attr[n] = '\0';
        }
    }
}

static void on_text(void *ctx, const xmlChar *ch, int len)
{
    doc *d = ctx;
    if (d->field == F_NONE || len <= 0)
        return;
    size_t n = (size_t)len;
    if (d->tlen + n > TEXT_MAX - 1)
        n = TEXT_MAX - 1 - d->tlen; /* longer values are cut */
    memcpy(d->text + d->tlen, ch, n);
    d->tlen += n;
}

/* An amount of the document or a line, with its element for the reason. */
static void take_amount(doc *d, const char *text, amount *a, const char *what)
{
    if (parse_amount(text, &a->v) != 0) {
        REJECT(d, "%s '%s' at line %lld is not a decimal number", what, text,
               (long long)d->field_line);
        return;
    }
    a->set = 1;
}

static void end_field(doc *d)
{
    /* trimmed text */
    size_t b = 0, e = d->tlen;
    while (b < e && xml_space(d->text[b]))
        b++;
    while (e > b && xml_space(d->text[e - 1]))
        e--;
    d->text[e] = '\0';
    const char *t = d->text + b;
    size_t n = e - b;
    int f = d->field;
    d->field = F_NONE;
    if (f < D__STRINGS) {
        if (!d->str[f] && n) { /* the first one counts */
            d->str[f] = put(d, t, n);
            if (d->attr[0])
                d->scheme[f] = put(d, d->attr, strlen(d->attr));
        }
        return;
    }
    if (f < L_ID) {
        switch (f) {
        case D_TAX: { /* several TaxTotals add up */
            amount a = {0};
            take_amount(d, t, &a, "TaxTotal/TaxAmount");
            d->tax.v += a.v;
            d->tax.set |= a.set;
            break;
        }
        case D_PERCENT: {
            int64_t p;
            if (parse_amount(t, &p) != 0)
                break; /* only a fallback for lines without VAT */
            if (d->npercent == 0)
                d->percent = p, d->npercent = 1;
            else if (d->npercent > 0 && p != d->percent)
                d->npercent = -1;
            break;
        }
        case D_LINE_EXTENSION:
            take_amount(d, t, &d->line_extension, "LegalMonetaryTotal/LineExtensionAmount");
            if (d->attr[0] && !d->lme_currency)
                d->lme_currency = put(d, d->attr, strlen(d->attr));
            break;
        case D_PAYABLE: take_amount(d, t, &d->payable, "LegalMonetaryTotal/PayableAmount"); break;
        }
        return;
    }
    if (!d->in_line || !d->nlines)
        return;
    inv_line *l = &d->lines[d->nlines - 1];
    sref *target = NULL;
    switch (f) {
    case L_ID: target = &l->id; break;
    case L_ACCOUNTING_COST: target = &l->accounting_cost; break;
    case L_PERIOD_START: target = &l->period_start; break;
    case L_PERIOD_END: target = &l->period_end; break;
    case L_NAME: target = &l->name; break;
    case L_DESCRIPTION: target = &l->description; break;
    case L_SELLERS_ID: target = &l->sellers_id; break;
    case L_NOTE:
        if (!n)
            break;
        if (l->note) { /* several notes: joined, up to TEXT_MAX */
            const char *old = S(d, l->note);
            size_t on = strlen(old);
            if (on + 3 + n >= TEXT_MAX)
                break;
            char *joined = malloc(on + 3 + n + 1);
            if (!joined) {
                FAIL(d, "out of memory");
                break;
            }
            memcpy(joined, old, on);
            memcpy(joined + on, " / ", 3);
            memcpy(joined + on + 3, t, n);
            l->note = put(d, joined, on + 3 + n);
            free(joined);
        } else {
            l->note = put(d, t, n);
        }
        break;
    case L_QUANTITY:
        if (parse_amount(t, &l->quantity.v) == 0)
            l->quantity.set = 1;
        else
            REJECT(d, "quantity '%s' at line %lld is not a decimal number", t,
                   (long long)d->field_line);
        break;
    case L_AMOUNT:
        if (!l->amount.set)
            take_amount(d, t, &l->amount, "LineExtensionAmount");
        break;
    case L_TAX: {
        amount a = {0};
        take_amount(d, t, &a, "the line's TaxAmount");
        l->tax.v += a.v;
        l->tax.set |= a.set;
        break;
    }
    case L_PERCENT:
        if (!l->percent.set && parse_amount(t, &l->percent.v) == 0)
            l->percent.set = 1;
        break;
    case L_ITEM_PERCENT:
        if (!l->item_percent.set && parse_amount(t, &l->item_percent.v) == 0)
            l->item_percent.set = 1;
        break;
    }
    if (target && !*target && n)
        *target = put(d, t, n);
}

static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    (void)local, (void)prefix, (void)uri;
    doc *d = ctx;
    if (d->field != F_NONE && d->depth == d->field_depth)
        end_field(d);
    if (d->depth == 1 && d->in_line)
        d->in_line = 0;
    d->depth--;
}

static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id,
                       const xmlChar *system_id)
{
    (void)name, (void)external_id, (void)system_id;
    doc *d = ctx;
    FAIL(d, "the document has a DOCTYPE (line %d): refused, invoices are read without DTDs or "
            "entities", xmlSAX2GetLineNumber(d->ctxt));
}

#if LIBXML_VERSION >= 21200
static void on_error(void *ctx, const xmlError *err)
#else
static void on_error(void *ctx, xmlErrorPtr err)
#endif
{
    doc *d = ctx;
    if (!err || err->level < XML_ERR_ERROR || d->xml_error[0])
        return;
    snprintf(d->xml_error, sizeof d->xml_error, "%s", err->message ? err->message : "error");
    size_t n = strlen(d->xml_error);
    while (n && (d->xml_error[n - 1] == '\n' || d->xml_error[n - 1] == ' '))
        d->xml_error[--n] = '\0';
    for (char *p = d->xml_error; *p; p++) /* "...encoding !\nBytes: 0xFF ..." on one line */
        if (*p == '\n')
            *p = ' ';
    d->xml_error_line = err->line;
    d->xml_error_code = err->code;
}

/* ---------------------------------------------------------------- the parse */

/* Reads and parses the whole stream into d. CM_OK, or CM_ERROR with the
 * reason given to api->fail (or the stream's read error). */
static int parse(inv_state *st, doc *d, cm_stream *s)
{
    const cm_api *api = st->api;
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    sax.characters = on_text;
    sax.cdataBlock = on_text;
    sax.internalSubset = on_doctype;
    sax.serror = on_error;

    char *buf = malloc(CHUNK);
    if (!buf)
        return CM_ERROR;
    long got = api->read(s, buf, CHUNK);
    if (got < 0) {
        free(buf);
        return CM_ERROR;
    }
    if (got == 0) {
        free(buf);
        api->fail(s, "the file is empty: expected an OIOUBL Invoice or CreditNote");
        return CM_ERROR;
    }
    /* not XML at all (a CSV, a PDF): say so rather than "Document is empty" */
    long k = 0;
    if (got >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        k = 3;
    while (k < got && xml_space(buf[k]))
        k++;
    if (k < got && buf[k] != '<' && buf[k] != '\xFE' && buf[k] != '\xFF' && buf[k] != '\0') {
        free(buf);
        api->fail(s, "not XML (the file does not start with '<'): expected an OIOUBL Invoice or "
                     "CreditNote");
        return CM_ERROR;
    }
    d->ctxt = xmlCreatePushParserCtxt(&sax, d, buf, got < 4 ? (int)got : 4, api->stream_name(s));
    if (!d->ctxt) {
        free(buf);
        api->fail(s, "cannot start the XML parser");
        return CM_ERROR;
    }
    xmlCtxtUseOptions(d->ctxt, XML_PARSE_NONET | XML_PARSE_NOWARNING);
    int rc = CM_OK;
    long off = got < 4 ? got : 4;
    for (;;) {
        if (got > off && xmlParseChunk(d->ctxt, buf + off, (int)(got - off), 0) != 0)
            break;
        if (d->fail[0])
            break;
        off = 0;
        got = api->read(s, buf, CHUNK);
        if (got < 0) {
            rc = CM_ERROR; /* the read error is the file's error */
            break;
        }
        if (got == 0) {
            xmlParseChunk(d->ctxt, NULL, 0, 1);
            break;
        }
    }
    free(buf);
    if (rc == CM_OK) {
        if (d->fail[0]) {
            api->fail(s, "%s", d->fail);
            rc = CM_ERROR;
        } else if (d->depth >= 0 && (!d->xml_error[0] || d->xml_error_code == XML_ERR_DOCUMENT_END)) {
            /* libxml2's push parser calls this "Extra content at the end" */
            api->fail(s, "the file ends at line %d inside the document: <%s> and %d element%s in "
                         "it are still open (a truncated file?)",
                      xmlSAX2GetLineNumber(d->ctxt), d->credit ? "CreditNote" : "Invoice",
                      d->depth, d->depth == 1 ? "" : "s");
            rc = CM_ERROR;
        } else if (!d->root_line && d->xml_error_code == XML_ERR_DOCUMENT_END) {
            api->fail(s, "the file ends at line %d before the document's root element is complete "
                         "(a truncated file?)", xmlSAX2GetLineNumber(d->ctxt));
            rc = CM_ERROR;
        } else if (d->xml_error[0] || !d->ctxt->wellFormed) {
            if (!d->xml_error[0]) {
                const xmlError *e = xmlCtxtGetLastError(d->ctxt);
                snprintf(d->xml_error, sizeof d->xml_error, "%s",
                         e && e->message ? e->message : "not well-formed");
                d->xml_error_line = e ? e->line : 0;
            }
            api->fail(s, "not well-formed XML: %s (line %lld)", d->xml_error,
                      (long long)d->xml_error_line);
            rc = CM_ERROR;
        } else if (d->depth != -1 || !d->root_line) {
            api->fail(s, "the XML document ended early (line %d)", xmlSAX2GetLineNumber(d->ctxt));
            rc = CM_ERROR;
        }
    }
    xmlFreeParserCtxt(d->ctxt);
    d->ctxt = NULL;
    return rc;
}

/* ---------------------------------------------------------------- emitting */

/* The text of a date 'YYYY-MM-DD' (an xsd:date may carry a zone after it);
 * NULL when it is not a valid date. */
static const char *date_of(inv_state *st, const char *text, char out[11])
{
    int y, m, dd;
    if (!text || strlen(text) < 10)
        return NULL;
    memcpy(out, text, 10);
    out[10] = '\0';
    const char *rest = text + 10;
    if (*rest && *rest != 'Z' && *rest != '+' && *rest != '-')
        return NULL;
    return st->api->parse_date(out, "yyyy-mm-dd", &y, &m, &dd) == CM_OK ? out : NULL;
}

static int scheme_is(const doc *d, int f, const char *a, const char *b)
{
    const char *sc = S(d, d->scheme[f]);
    return sc && (strcmp(sc, a) == 0 || (b && strcmp(sc, b) == 0));
}

/* "DK16356706", "16356706", "DK 16 35 67 06" to 8 digits; -1 if not a CVR. */
static int cvr_digits(const char *text, char out[9])
{
    const char *p = text;
    if ((p[0] == 'D' || p[0] == 'd') && (p[1] == 'K' || p[1] == 'k'))
        p += 2;
    size_t n = 0;
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (n == 8)
                return -1;
            out[n++] = *p;
        } else if (*p != ' ' && *p != '-') {
            return -1;
        }
    }
    out[n] = '\0';
    return n == 8 ? 0 : -1;
}

static int is_digits(const char *s, size_t n)
{
    if (strlen(s) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* The first Danish subscriber number written in text: 8 digits (pairs may be
 * spaced), optionally after +45 or 0045, not part of a longer number or an
 * amount. Writes E.164 into out; 0 when found. */
static int find_number(inv_state *st, const char *text, char *out, size_t outsz)
{
    if (!text)
        return -1;
    for (const char *p = text; *p; p++) {
        if (p > text) {
            char b = p[-1];
            if ((b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z'))
                continue;
            if ((b == '.' || b == ',') && p - 1 > text && p[-2] >= '0' && p[-2] <= '9')
                continue;
        }
        const char *q = p;
        if (q[0] == '+' && q[1] == '4' && q[2] == '5')
            q += 3;
        else if (q[0] == '0' && q[1] == '0' && q[2] == '4' && q[3] == '5')
            q += 4;
        if (q != p && *q == ' ')
            q++;
        char dg[9];
        int n = 0;
        while (n < 8) {
            if (*q >= '0' && *q <= '9') {
                dg[n++] = *q++;
            } else if (*q == ' ' && n % 2 == 0 && n > 0 && q[1] >= '0' && q[1] <= '9') {
                q++;
            } else {
                break;
            }
        }
        if (n != 8 || (*q >= '0' && *q <= '9') ||
            ((*q == '.' || *q == ',') && q[1] >= '0' && q[1] <= '9'))
            continue;
        dg[8] = '\0';
        if (dg[0] < '2')
            continue;
        cm_number_type t = st->api->number_normalize(dg, NULL, 0, out, outsz, NULL);
        if (t == CM_NUM_NATIONAL || t == CM_NUM_MOBILE || t == CM_NUM_FIXED || t == CM_NUM_SPECIAL)
            return 0;
    }
    return -1;
}

/* The first rule that matches any of the line's texts (item name, item
 * description, note, item id) gives the category. */
static const char *category_of(inv_state *st, const char *const parts[4])
{
    for (size_t i = 0; i < st->nrules; i++)
        for (int k = 0; k < 4; k++)
            if (parts[k] && regexec(&st->rules[i].re, parts[k], 0, NULL, 0) == 0)
                return st->rules[i].category;
    return "other";
}

/* Appends part to out (joined with " / "), skipping an empty or repeated part. */
static void join(char *out, size_t outsz, const char *part)
{
    if (!part || !*part || strstr(out, part))
        return;
    size_t n = strlen(out);
    snprintf(out + n, outsz - n, "%s%s", n ? " / " : "", part);
}

static void warn_ids(inv_state *st, doc *d, cm_stream *s, char cvr[9], const char **ean)
{
    const cm_api *api = st->api;
    /* supplier CVR: PartyLegalEntity, PartyIdentification, EndpointID, PartyTaxScheme */
    struct {
        int f;
        int any_scheme;
    } order[] = {{D_SUP_LEGAL_COMPANY, 1}, {D_SUP_PARTY_ID, 0}, {D_SUP_ENDPOINT, 0},
                 {D_SUP_TAX_COMPANY, 0}};
    const char *found = NULL;
    for (size_t i = 0; i < sizeof order / sizeof *order && !found; i++) {
        int f = order[i].f;
        if (!d->str[f])
            continue;
        if (scheme_is(d, f, "DK:CVR", "0184") || (order[i].any_scheme && !d->scheme[f]))
            found = S(d, d->str[f]);
    }
    cvr[0] = '\0';
    if (!found) {
        api->warn(s, d->root_line, "no supplier CVR in the document (AccountingSupplierParty: "
                                   "PartyLegalEntity/CompanyID or an ID with schemeID DK:CVR)");
    } else if (cvr_digits(found, cvr) != 0) {
        cvr[0] = '\0';
        api->warn(s, d->root_line, "supplier CVR '%s' is not 8 digits (with or without DK)", found);
    } else if (!api->cvr_valid(cvr)) {
        api->warn(s, d->root_line, "supplier CVR %s fails the CVR check (modulus 11)", cvr);
    }

    /* buyer EAN: EndpointID, else PartyIdentification, schemeID GLN (0088) */
    *ean = NULL;
    if (d->str[D_BUY_ENDPOINT] && scheme_is(d, D_BUY_ENDPOINT, "GLN", "0088"))
        *ean = S(d, d->str[D_BUY_ENDPOINT]);
    else if (d->str[D_BUY_PARTY_ID] && scheme_is(d, D_BUY_PARTY_ID, "GLN", "0088"))
        *ean = S(d, d->str[D_BUY_PARTY_ID]);
    if (!*ean)
        api->warn(s, d->root_line, "no buyer EAN in the document (AccountingCustomerParty "
                                   "EndpointID with schemeID GLN)");
    else if (!is_digits(*ean, 13))
        api->warn(s, d->root_line, "buyer EAN '%s' is not 13 digits", *ean);
    else if (!api->ean_valid(*ean))
        api->warn(s, d->root_line, "buyer EAN %s fails the GLN check digit", *ean);
}

/* The document's checks; a reason in d->reject rejects it whole. */
static void check(inv_state *st, doc *d, char issue[11])
{
    const char *what = d->credit ? "CreditNote" : "Invoice";
    if (!d->str[D_ID])
        REJECT(d, "the %s has no ID", what);
    if (!date_of(st, S(d, d->str[D_ISSUE_DATE]), issue))
        REJECT(d, "%s IssueDate '%s' is not a date YYYY-MM-DD", what,
               d->str[D_ISSUE_DATE] ? S(d, d->str[D_ISSUE_DATE]) : "");
    const char *cur = S(d, d->str[D_CURRENCY]);
    if (!cur)
        cur = S(d, d->lme_currency);
    if (cur && strcmp(cur, "DKK") != 0)
        REJECT(d, "the %s is in %s: only DKK amounts are loaded", what, cur);
    if (d->nlines == 0)
        REJECT(d, "the %s has no %s", what, d->credit ? "CreditNoteLine" : "InvoiceLine");
    if (!d->line_extension.set)
        REJECT(d, "the %s has no LegalMonetaryTotal/LineExtensionAmount to check its lines against",
               what);
    int64_t sum = 0;
    for (size_t i = 0; i < d->nlines; i++) {
        const inv_line *l = &d->lines[i];
        if (!l->amount.set) {
            REJECT(d, "line %s (line %lld) has no LineExtensionAmount",
                   l->id ? S(d, l->id) : "?", (long long)l->record);
            return;
        }
        if (__builtin_add_overflow(sum, l->amount.v, &sum)) {
            REJECT(d, "the line amounts are too large to add up");
            return;
        }
    }
    if (d->reject[0])
        return;
    int64_t lines = to_ore(sum), total = to_ore(d->line_extension.v);
    if (lines != total) {
        char a[32], b[32], c[32];
        REJECT(d, "the %zu lines add up to %s DKK, but LegalMonetaryTotal/LineExtensionAmount is "
                  "%s DKK (a difference of %s): the %s is not loaded",
               d->nlines, ore_text(lines, a), ore_text(total, b), ore_text(total - lines, c), what);
    }
}

static int emit_document(inv_state *st, doc *d, cm_stream *s)
{
    const cm_api *api = st->api;
    char issue[11];
    check(st, d, issue);
    if (d->reject[0])
        return api->reject(s, d->root_line, NULL, 0, "%s", d->reject);

    char cvr[9];
    const char *ean;
    warn_ids(st, d, s, cvr, &ean);
    double sign = d->credit ? -1.0 : 1.0;
    const char *currency = S(d, d->str[D_CURRENCY]);
    if (!currency)
        currency = S(d, d->lme_currency) ? S(d, d->lme_currency) : "DKK";

    char pstart[11], pend[11];
    const char *doc_start = date_of(st, S(d, d->str[D_PERIOD_START]), pstart);
    const char *doc_end = date_of(st, S(d, d->str[D_PERIOD_END]), pend);
    if (d->str[D_PERIOD_START] && !doc_start)
        api->warn(s, d->root_line, "InvoicePeriod/StartDate '%s' is not a date",
                  S(d, d->str[D_PERIOD_START]));
    if (d->str[D_PERIOD_END] && !doc_end)
        api->warn(s, d->root_line, "InvoicePeriod/EndDate '%s' is not a date",
                  S(d, d->str[D_PERIOD_END]));

    char address[512] = "";
    {
        const char *street = S(d, d->str[D_SUP_STREET]), *no = S(d, d->str[D_SUP_BUILDING]);
        const char *zip = S(d, d->str[D_SUP_POSTAL]), *city = S(d, d->str[D_SUP_CITY]);
        snprintf(address, sizeof address, "%s%s%s%s%s%s%s", street ? street : "",
                 street && no ? " " : "", no ? no : "", (street || no) && (zip || city) ? ", " : "",
                 zip ? zip : "", zip && city ? " " : "", city ? city : "");
    }

    cm_value iv[CM_INV__COUNT];
    cm_record inv = {.dataset = CM_DS_INVOICES, .source_record = d->root_line,
                     .ncols = CM_INV__COUNT, .v = iv};
    cm_record_clear(&inv);
    cm_set_text(&inv, CM_INV_INVOICE_ID, S(d, d->str[D_ID]));
    cm_set_text(&inv, CM_INV_DOCUMENT_TYPE, d->credit ? "CreditNote" : "Invoice");
    cm_set_text(&inv, CM_INV_CUSTOMIZATION_ID, S(d, d->str[D_CUSTOMIZATION]));
    cm_set_text(&inv, CM_INV_ISSUE_DATE, issue);
    cm_set_text(&inv, CM_INV_PERIOD_START, doc_start);
    cm_set_text(&inv, CM_INV_PERIOD_END, doc_end);
    cm_set_text(&inv, CM_INV_SUPPLIER_CVR, cvr[0] ? cvr : NULL);
    const char *sname = S(d, d->str[D_SUP_NAME]);
    cm_set_text(&inv, CM_INV_SUPPLIER_NAME, sname ? sname : S(d, d->str[D_SUP_REGNAME]));
    cm_set_text(&inv, CM_INV_SUPPLIER_ADDRESS, address[0] ? address : NULL);
    cm_set_text(&inv, CM_INV_BUYER_EAN, ean);
    const char *bname = S(d, d->str[D_BUY_NAME]);
    cm_set_text(&inv, CM_INV_BUYER_NAME, bname ? bname : S(d, d->str[D_BUY_REGNAME]));
    cm_set_real(&inv, CM_INV_LINE_EXTENSION_DKK, sign * (double)to_ore(d->line_extension.v) / 100);
    if (d->tax.set)
        cm_set_real(&inv, CM_INV_TAX_DKK, sign * (double)to_ore(d->tax.v) / 100);
    if (d->payable.set)
        cm_set_real(&inv, CM_INV_PAYABLE_DKK, sign * (double)to_ore(d->payable.v) / 100);
    cm_set_text(&inv, CM_INV_CURRENCY, currency);
    cm_set_int(&inv, CM_INV_LINES, (int64_t)d->nlines);
    if (api->emit(s, &inv) != CM_OK)
        return CM_ERROR;

    for (size_t i = 0; i < d->nlines; i++) {
        const inv_line *l = &d->lines[i];
        char description[3 * TEXT_MAX + 16] = "";
        const char *parts[4] = {S(d, l->name), S(d, l->description), S(d, l->note),
                                S(d, l->sellers_id)};
        for (int k = 0; k < 3; k++)
            join(description, sizeof description, parts[k]);

        char number[64];
        int has_number = find_number(st, S(d, l->name), number, sizeof number) == 0 ||
                         find_number(st, S(d, l->description), number, sizeof number) == 0 ||
                         find_number(st, S(d, l->note), number, sizeof number) == 0 ||
                         find_number(st, S(d, l->sellers_id), number, sizeof number) == 0;

        char ls[11], le[11];
        const char *start = date_of(st, S(d, l->period_start), ls);
        const char *end = date_of(st, S(d, l->period_end), le);
        if ((l->period_start && !start) || (l->period_end && !end))
            api->warn(s, l->record, "the line's InvoicePeriod has a date that is not YYYY-MM-DD");
        if (!l->period_start && !l->period_end)
            start = doc_start, end = doc_end;

        /* VAT: the line's TaxAmount, else its amount times its VAT percent,
         * else times the document's only VAT percent */
        int has_vat = 1;
        int64_t vat_ore = 0;
        const amount *pct = l->percent.set ? &l->percent : l->item_percent.set ? &l->item_percent
                                                                               : NULL;
        if (l->tax.set) {
            vat_ore = to_ore(l->tax.v);
        } else if (pct || d->npercent == 1) {
            double p = pct ? (double)pct->v : (double)d->percent;
            double v = (double)l->amount.v * p / ((double)MICRO * 100.0); /* 10^-6 */
            vat_ore = to_ore((int64_t)(v < 0 ? v - 0.5 : v + 0.5));
            api->count(s, "vat_from_percent", 1);
        } else {
            has_vat = 0;
        }

        cm_value cv[CM_COST__COUNT];
        cm_record rec = {.dataset = CM_DS_COSTS, .source_record = l->record,
                         .ncols = CM_COST__COUNT, .v = cv};
        cm_record_clear(&rec);
        cm_set_text(&rec, CM_COST_SUPPLIER_CVR, cvr[0] ? cvr : NULL);
        cm_set_text(&rec, CM_COST_INVOICE_ID, S(d, d->str[D_ID]));
        cm_set_text(&rec, CM_COST_INVOICE_DATE, issue);
        cm_set_text(&rec, CM_COST_PERIOD_START, start);
        cm_set_text(&rec, CM_COST_PERIOD_END, end);
        cm_set_text(&rec, CM_COST_BUYER_EAN, ean);
        cm_set_text(&rec, CM_COST_ACCOUNTING_COST, l->accounting_cost
                                                       ? S(d, l->accounting_cost)
                                                       : S(d, d->str[D_ACCOUNTING_COST]));
        cm_set_text(&rec, CM_COST_CATEGORY, category_of(st, parts));
        cm_set_text(&rec, CM_COST_DESCRIPTION, description[0] ? description : NULL);
        cm_set_text(&rec, CM_COST_NUMBER, has_number ? number : NULL);
        if (l->quantity.set)
            cm_set_real(&rec, CM_COST_QUANTITY, (double)l->quantity.v / MICRO);
        cm_set_real(&rec, CM_COST_AMOUNT_DKK, sign * (double)l->amount.v / MICRO);
        if (has_vat)
            cm_set_real(&rec, CM_COST_VAT_DKK, sign * (double)vat_ore / 100);
        cm_set_text(&rec, CM_COST_CURRENCY, currency);
        cm_set_text(&rec, CM_COST_LINE_ID, S(d, l->id));
        if (api->emit(s, &rec) != CM_OK)
            return CM_ERROR;
    }
    return CM_OK;
}

int tdc_invoice_read(void *state, cm_stream *s)
{
    inv_state *st = state;
    doc *d = calloc(1, sizeof *d);
    if (!d)
        return CM_ERROR;
    d->s = s;
    d->depth = -1;
    d->acap = 4096;
    d->arena = malloc(d->acap);
    if (!d->arena) {
        free(d);
        return CM_ERROR;
    }
    d->arena[0] = '\0'; /* offset 0 is "absent" */
    d->alen = 1;
    d->max_lines = st->max_lines;
    int rc = parse(st, d, s);
    if (rc == CM_OK)
        rc = emit_document(st, d, s);
    free(d->lines);
    free(d->arena);
    free(d);
    return rc;
}
