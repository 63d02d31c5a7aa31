/* OIOUBL invoices of a month (tdc/invoices/YYYY-MM/):
 *  - TDC: one Invoice per buyer account — each Historie og Kunst unit is billed
 *    at its own EAN, everyone else at the central purchasing EAN (which no
 *    unit has, so those lines are attributed by the number they name): a
 *    subscription line per mobile number, a usage line per number (the calls'
 *    charges and data), an equipment line now and then.  OIOUBL-2.01 and 2.1
 *    alternate by month; one CreditNote (2.1) in the middle of the period.
 *  - a PBX maintenance vendor: one Invoice (2.1) per Asterisk site to the
 *    hosting unit's EAN, and one for the Cisco cluster to the central EAN.
 * Amounts are integer øre; the lines add up to the totals exactly. The cost
 * truth is computed as the hr plugin attributes: the unit with the buyer's
 * EAN, else the number's assignment covering most of the period. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cal.h"
#include "fmt.h"
#include "pack.h"
#include "rng.h"
#include "sbuf.h"
#include "util.h"
#include "writers.h"

#define STREAM_INVOICE 5000000

typedef struct inv_line {
    char name[128], description[96], item_id[24];
    int64_t ore;
    int64_t qty;
    int number;          /* the number named in the line, -1 */
    int64_t ps, pe;      /* the line's period (2.1) */
} inv_line;

/* the assignments of each number: by_number[n] is the first, next[a] the one after a */
typedef struct asg_index {
    int *first, *next;
} asg_index;

static void index_build(asg_index *x, const model *m)
{
    x->first = xmalloc((size_t)(m->nnums ? m->nnums : 1) * sizeof *x->first);
    x->next = xmalloc((size_t)(m->nasgs ? m->nasgs : 1) * sizeof *x->next);
    for (int n = 0; n < m->nnums; n++)
        x->first[n] = -1;
    for (int a = m->nasgs - 1; a >= 0; a--) {
        x->next[a] = x->first[m->asgs[a].number];
        x->first[m->asgs[a].number] = a;
    }
}

static void index_free(asg_index *x)
{
    free(x->first);
    free(x->next);
}

typedef struct doc {
    int credit;
    int v21;             /* OIOUBL-2.1, else 2.01 */
    int supplier;        /* enum supplier */
    char id[24];
    const char *buyer_ean, *buyer_name;
    int buyer_unit;      /* the unit with the buyer EAN, -1 */
    int64_t issue, ps, pe;
    const char *note;
    inv_line *lines;
    int n, cap;
} doc;

static inv_line *add_line(doc *d)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 64;
        d->lines = xrealloc(d->lines, (size_t)d->cap * sizeof *d->lines);
    }
    inv_line *l = &d->lines[d->n++];
    memset(l, 0, sizeof *l);
    l->number = -1;
    l->qty = 1;
    l->ps = d->ps;
    l->pe = d->pe;
    return l;
}

static int64_t vat(int64_t ore) { return (ore * 25 + 50) / 100; }

/* "30 12 34 56" */
static void spaced(char *out, size_t n, const char *e164)
{
    const char *d = e164 + 3;
    snprintf(out, n, "%.2s %.2s %.2s %.2s", d, d + 2, d + 4, d + 6);
}

/* ---------------------------------------------------------------- attribution */

/* the unit the hr plugin gives a line: by EAN, else by the number's
 * assignment covering most of the period (ties: the later valid_from, then
 * the greater unit id), else -1 */
static int attribute(const model *m, const asg_index *ix, const doc *d, const inv_line *l)
{
    if (d->buyer_unit >= 0)
        return d->buyer_unit;
    if (l->number < 0)
        return -1;
    int best = -1;
    int64_t best_days = -1, best_from = 0;
    for (int a = ix->first[l->number]; a >= 0; a = ix->next[a]) {
        const assignment *x = &m->asgs[a];
        if (x->valid_from > l->pe || x->valid_to < l->ps)
            continue;
        int64_t to = x->valid_to < l->pe ? x->valid_to : l->pe;
        int64_t from = x->valid_from > l->ps ? x->valid_from : l->ps;
        int64_t days = to - from;
        int better = best < 0 || days > best_days ||
                     (days == best_days && x->valid_from > best_from) ||
                     (days == best_days && x->valid_from == best_from &&
                      strcmp(m->units[x->unit].id, m->units[m->asgs[best].unit].id) > 0);
        if (better)
            best = a, best_days = days, best_from = x->valid_from;
    }
    return best >= 0 ? m->asgs[best].unit : -1;
}

/* ---------------------------------------------------------------- XML */

static void amount(sbuf *b, const char *tag, int64_t ore)
{
    sb_str(b, "<cbc:");
    sb_str(b, tag);
    sb_str(b, " currencyID=\"DKK\">");
    sb_ore(b, ore, '.');
    sb_str(b, "</cbc:");
    sb_str(b, tag);
    sb_str(b, ">");
}

static void elem(sbuf *b, const char *tag, const char *text)
{
    sb_str(b, "<cbc:");
    sb_str(b, tag);
    sb_ch(b, '>');
    sb_xml(b, text);
    sb_str(b, "</cbc:");
    sb_str(b, tag);
    sb_ch(b, '>');
}

static void date_elem(sbuf *b, const char *tag, int64_t day)
{
    sb_str(b, "<cbc:");
    sb_str(b, tag);
    sb_ch(b, '>');
    fmt_date_iso(b, day);
    sb_str(b, "</cbc:");
    sb_str(b, tag);
    sb_ch(b, '>');
}

static const char TAX_CATEGORY[] =
    "<cac:TaxCategory><cbc:ID schemeAgencyID=\"320\" "
    "schemeID=\"urn:oioubl:id:taxcategoryid-1.1\">StandardRated</cbc:ID><cbc:Percent>25</cbc:Percent>"
    "<cac:TaxScheme><cbc:ID schemeAgencyID=\"320\" schemeID=\"urn:oioubl:id:taxschemeid-1.1\">63</cbc:ID>"
    "<cbc:Name>Moms</cbc:Name></cac:TaxScheme></cac:TaxCategory>";

static void party_address(sbuf *b, const char *street, const char *no, const char *city,
                          const char *zip)
{
    sb_str(b, "\n      <cac:PostalAddress><cbc:AddressFormatCode listAgencyID=\"320\" "
              "listID=\"urn:oioubl:codelist:addressformatcode-1.1\">StructuredDK</cbc:AddressFormatCode>");
    elem(b, "StreetName", street);
    elem(b, "BuildingNumber", no);
    elem(b, "CityName", city);
    elem(b, "PostalZone", zip);
    sb_str(b, "<cac:Country><cbc:IdentificationCode>DK</cbc:IdentificationCode></cac:Country>"
              "</cac:PostalAddress>");
}

static void write_doc(gen *g, const doc *d, const char *path)
{
    const model *m = g->m;
    const char *root = d->credit ? "CreditNote" : "Invoice";
    const char *line_tag = d->credit ? "CreditNoteLine" : "InvoiceLine";
    int64_t net = 0, tax = 0;
    for (int i = 0; i < d->n; i++) {
        net += d->lines[i].ore;
        tax += vat(d->lines[i].ore);
    }
    sbuf b = {0};
    sb_str(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<");
    sb_str(&b, root);
    sb_str(&b, " xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:");
    sb_str(&b, root);
    sb_str(&b, "-2\" xmlns:cac=\"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2\""
               " xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\">\n  ");
    elem(&b, "UBLVersionID", d->v21 ? "2.1" : "2.0");
    sb_str(&b, "\n  ");
    elem(&b, "CustomizationID", d->v21 ? "OIOUBL-2.1" : "OIOUBL-2.01");
    sb_str(&b, "\n  <cbc:ProfileID schemeAgencyID=\"320\" schemeID=\"urn:oioubl:id:profileid-1.2\">"
               "Procurement-BilSim-1.0</cbc:ProfileID>\n  ");
    elem(&b, "ID", d->id);
    sb_str(&b, "\n  <cbc:CopyIndicator>false</cbc:CopyIndicator>\n  ");
    date_elem(&b, "IssueDate", d->issue);
    if (d->credit)
        sb_str(&b, "\n  <cbc:CreditNoteTypeCode listAgencyID=\"320\" "
                   "listID=\"urn:oioubl:codelist:responsedocumenttypecode-1.1\">381</cbc:CreditNoteTypeCode>");
    else
        sb_str(&b, "\n  <cbc:InvoiceTypeCode listAgencyID=\"320\" "
                   "listID=\"urn:oioubl:codelist:invoicetypecode-1.1\">380</cbc:InvoiceTypeCode>");
    sb_str(&b, "\n  ");
    elem(&b, "Note", d->note);
    sb_str(&b, "\n  <cbc:DocumentCurrencyCode>DKK</cbc:DocumentCurrencyCode>\n  <cac:InvoicePeriod>");
    date_elem(&b, "StartDate", d->ps);
    date_elem(&b, "EndDate", d->pe);
    sb_str(&b, "</cac:InvoicePeriod>");

    const char *cvr = d->supplier == SUP_TDC ? m->tdc_cvr : m->vendor_cvr;
    sb_str(&b, "\n  <cac:AccountingSupplierParty><cac:Party>\n      <cbc:EndpointID schemeAgencyID=\"320\" "
               "schemeID=\"DK:CVR\">DK");
    sb_str(&b, cvr);
    sb_str(&b, "</cbc:EndpointID>\n      <cac:PartyName>");
    elem(&b, "Name", d->supplier == SUP_TDC ? "TDC Erhverv" : "Nordisk Telefoniservice ApS");
    sb_str(&b, "</cac:PartyName>");
    if (d->supplier == SUP_TDC)
        party_address(&b, "Teglholmsgade", "1", "København SV", "2450");
    else
        party_address(&b, "Literbuen", "9", "Skovlunde", "2740");
    sb_str(&b, "\n      <cac:PartyLegalEntity>");
    elem(&b, "RegistrationName", d->supplier == SUP_TDC ? "TDC A/S" : "Nordisk Telefoniservice ApS");
    sb_str(&b, "<cbc:CompanyID schemeAgencyID=\"320\" schemeID=\"DK:CVR\">DK");
    sb_str(&b, cvr);
    sb_str(&b, "</cbc:CompanyID></cac:PartyLegalEntity>\n    </cac:Party></cac:AccountingSupplierParty>");

    sb_str(&b, "\n  <cac:AccountingCustomerParty><cac:Party>\n      <cbc:EndpointID schemeAgencyID=\"9\" "
               "schemeID=\"GLN\">");
    sb_str(&b, d->buyer_ean);
    sb_str(&b, "</cbc:EndpointID>\n      <cac:PartyName>");
    elem(&b, "Name", d->buyer_name);
    sb_str(&b, "</cac:PartyName>");
    party_address(&b, "Rådhuspladsen", "1", "København V", "1550");
    sb_str(&b, "\n      <cac:PartyLegalEntity><cbc:RegistrationName>Københavns Kommune</cbc:RegistrationName>"
               "<cbc:CompanyID schemeAgencyID=\"320\" schemeID=\"DK:CVR\">DK64942212</cbc:CompanyID>"
               "</cac:PartyLegalEntity>\n    </cac:Party></cac:AccountingCustomerParty>");

    sb_str(&b, "\n  <cac:TaxTotal>");
    amount(&b, "TaxAmount", tax);
    sb_str(&b, "<cac:TaxSubtotal>");
    amount(&b, "TaxableAmount", net);
    amount(&b, "TaxAmount", tax);
    sb_str(&b, TAX_CATEGORY);
    sb_str(&b, "</cac:TaxSubtotal></cac:TaxTotal>\n  <cac:LegalMonetaryTotal>");
    amount(&b, "LineExtensionAmount", net);
    /* OIOUBL 2.0x puts the VAT amount here; 2.1 the net amount */
    amount(&b, "TaxExclusiveAmount", d->v21 ? net : tax);
    amount(&b, "TaxInclusiveAmount", net + tax);
    amount(&b, "PayableAmount", net + tax);
    sb_str(&b, "</cac:LegalMonetaryTotal>");

    for (int i = 0; i < d->n; i++) {
        const inv_line *l = &d->lines[i];
        char id[16];
        snprintf(id, sizeof id, "%d", i + 1);
        sb_str(&b, "\n  <cac:");
        sb_str(&b, line_tag);
        sb_str(&b, ">");
        elem(&b, "ID", id);
        sb_str(&b, d->credit ? "<cbc:CreditedQuantity unitCode=\"EA\">" : "<cbc:InvoicedQuantity unitCode=\"EA\">");
        sb_i64(&b, l->qty);
        sb_str(&b, d->credit ? "</cbc:CreditedQuantity>" : "</cbc:InvoicedQuantity>");
        amount(&b, "LineExtensionAmount", l->ore);
        if (d->v21) {
            sb_str(&b, "<cac:InvoicePeriod>");
            date_elem(&b, "StartDate", l->ps);
            date_elem(&b, "EndDate", l->pe);
            sb_str(&b, "</cac:InvoicePeriod>");
        }
        sb_str(&b, "<cac:TaxTotal>");
        amount(&b, "TaxAmount", vat(l->ore));
        sb_str(&b, "</cac:TaxTotal><cac:Item>");
        if (l->description[0])
            elem(&b, "Description", l->description);
        elem(&b, "Name", l->name);
        if (l->item_id[0]) {
            sb_str(&b, "<cac:SellersItemIdentification>");
            elem(&b, "ID", l->item_id);
            sb_str(&b, "</cac:SellersItemIdentification>");
        }
        sb_str(&b, "</cac:Item><cac:Price>");
        amount(&b, "PriceAmount", l->qty ? l->ore / l->qty : l->ore);
        sb_str(&b, "</cac:Price></cac:");
        sb_str(&b, line_tag);
        sb_str(&b, ">");
    }
    sb_str(&b, "\n</");
    sb_str(&b, root);
    sb_str(&b, ">\n");
    out_file *o = out_open(path, OUT_PLAIN, NULL, 0);
    out_write(o, b.p, b.n);
    out_close(o);
    sb_free(&b);
}

/* writes the document, records its file and costs in the truth */
static void emit(gen *g, const asg_index *ix, doc *d, int month, const char *file)
{
    char mf[8], rel[256], path[4096];
    month_folder(mf, month);
    snprintf(rel, sizeof rel, "tdc/invoices/%s/%s", mf, file);
    snprintf(path, sizeof path, "%s/%s", g->out, rel);
    write_doc(g, d, path);
    acct a;
    acct_open(&a, g, SRC_TDC_INV, rel, "", month);
    acct_rows(&a, 1 + d->n); /* the invoices row and one costs row per line */
    acct_close(&a);
    for (int i = 0; i < d->n; i++) {
        int u = attribute(g->m, ix, d, &d->lines[i]);
        truth_cost(g->t, u, d->supplier, d->credit ? -d->lines[i].ore : d->lines[i].ore);
    }
    d->n = 0;
}

/* ---------------------------------------------------------------- documents */

/* which account a mobile number is billed to in the month: the unit of its
 * last assignment overlapping the month, -1 when none */
static int account_of(const model *m, const asg_index *ix, int number, int64_t first, int64_t last)
{
    int best = -1;
    for (int a = ix->first[number]; a >= 0; a = ix->next[a]) {
        const assignment *x = &m->asgs[a];
        if (x->valid_from <= last && x->valid_to >= first &&
            (best < 0 || x->valid_from > m->asgs[best].valid_from))
            best = a;
    }
    return best >= 0 ? m->asgs[best].unit : -1;
}

static void mobile_lines(gen *g, doc *d, int number, const tdc_writer *usage, rng *r)
{
    const model *m = g->m;
    static const struct {
        const char *plan, *id;
        int64_t ore;
    } PLANS[] = {{"Mobil Fri", "MOBFRI", 19900}, {"Mobil Basis", "MOBBAS", 9900},
                 {"Mobil Fri+ EU", "MOBFRIEU", 24900}};
    int p = number % 3;
    char sp[16];
    spaced(sp, sizeof sp, m->nums[number].e164);
    inv_line *l = add_line(d);
    snprintf(l->name, sizeof l->name, "Mobilabonnement TDC Erhverv %s %s", PLANS[p].plan, sp);
    snprintf(l->description, sizeof l->description, "Månedspris %lld,%02lld kr.",
             (long long)(PLANS[p].ore / 100), (long long)(PLANS[p].ore % 100));
    snprintf(l->item_id, sizeof l->item_id, "%s", PLANS[p].id);
    l->ore = PLANS[p].ore;
    l->number = number;
    int64_t use = tdc_charges(usage, number) + (int64_t)rng_below(r, 6000);
    if (use > 0) {
        l = add_line(d);
        snprintf(l->name, sizeof l->name, "Forbrug %s (samtaler, sms og data)", m->nums[number].e164 + 3);
        snprintf(l->item_id, sizeof l->item_id, "FORBRUG");
        l->ore = use;
        l->number = number;
    }
}

static void equipment_line(doc *d, rng *r)
{
    static const struct {
        const char *name;
        int64_t ore;
    } E[] = {{"iPhone 15 128 GB", 599500}, {"Samsung Galaxy A55", 279900},
             {"Jabra Evolve2 65 headset", 149900}, {"Opladerkabel USB-C", 14900}};
    int k = (int)rng_below(r, 4);
    inv_line *l = add_line(d);
    snprintf(l->name, sizeof l->name, "%s", E[k].name);
    snprintf(l->description, sizeof l->description, "Udstyr");
    l->qty = 1 + (int64_t)rng_below(r, 3);
    l->ore = E[k].ore * l->qty;
}

void invoices_write(gen *g, int month, const tdc_writer *usage)
{
    const model *m = g->m;
    rng r;
    rng_seed(&r, g->seed, STREAM_INVOICE + (uint64_t)month);
    int y = month / 12, mo = month % 12 + 1;
    int64_t first = cal_day(y, mo, 1), last = cal_day(y, mo, cal_days_in_month(y, mo));
    int mi = month - g->first_month;
    doc d = {0};
    d.issue = last;
    d.ps = first;
    d.pe = last;
    d.v21 = mi % 2 == 1;
    d.supplier = SUP_TDC;
    uint32_t seq = 0;
    char file[64];
    asg_index ix;
    index_build(&ix, m);

    /* the account of every mobile number this month */
    int *acct_unit = xmalloc((size_t)(m->nnums ? m->nnums : 1) * sizeof *acct_unit);
    for (int n = 0; n < m->nnums; n++)
        acct_unit[n] = m->nums[n].kind == NK_MOBILE ? account_of(m, &ix, n, first, last) : -1;

    /* the units billed at their own EAN */
    for (int u = 0; u < m->nunits; u++) {
        if (!m->units[u].own_billing)
            continue;
        for (int n = 0; n < m->nnums; n++)
            if (acct_unit[n] == u)
                mobile_lines(g, &d, n, usage, &r);
        if (rng_chance(&r, 0.3))
            equipment_line(&d, &r);
        if (!d.n)
            continue;
        snprintf(d.id, sizeof d.id, "51%02u%06u", (unsigned)(month % 100), ++seq);
        d.buyer_ean = m->units[u].ean;
        d.buyer_name = m->units[u].name;
        d.buyer_unit = u;
        d.note = "Mobilabonnementer og forbrug";
        snprintf(file, sizeof file, "tdc-faktura-%s.xml", d.id);
        emit(g, &ix, &d, month, file);
    }
    /* the central account */
    for (int n = 0; n < m->nnums; n++)
        if (acct_unit[n] >= 0 && !m->units[acct_unit[n]].own_billing)
            mobile_lines(g, &d, n, usage, &r);
    for (int k = 0; k < 1 + (int)rng_below(&r, 3); k++)
        equipment_line(&d, &r);
    snprintf(d.id, sizeof d.id, "51%02u%06u", (unsigned)(month % 100), ++seq);
    d.buyer_ean = m->central_ean;
    d.buyer_name = "Københavns Kommune, Koncernservice Indkøb";
    d.buyer_unit = -1;
    d.note = "Mobilabonnementer og forbrug, samlet konto";
    snprintf(file, sizeof file, "tdc-faktura-%s.xml", d.id);
    emit(g, &ix, &d, month, file);

    /* one credit note in the period: two subscriptions charged in error */
    if (mi == g->months / 2) {
        doc c = d;
        c.lines = NULL;
        c.n = c.cap = 0;
        c.credit = 1;
        c.v21 = 1;
        c.note = "Kreditnota: abonnementer opkrævet efter opsigelse";
        snprintf(c.id, sizeof c.id, "59%02u%06u", (unsigned)(month % 100), ++seq);
        for (int n = 0, k = 0; n < m->nnums && k < 2; n++) {
            if (acct_unit[n] < 0 || m->units[acct_unit[n]].own_billing || n % 7 != 3)
                continue;
            char sp[16];
            spaced(sp, sizeof sp, m->nums[n].e164);
            inv_line *l = add_line(&c);
            snprintf(l->name, sizeof l->name, "Kreditering mobilabonnement %s", sp);
            snprintf(l->description, sizeof l->description, "Fejlagtigt opkrævet");
            snprintf(l->item_id, sizeof l->item_id, "MOBFRI");
            l->ore = 4950 + 1000 * k;
            l->number = n;
            l->ps = first + 14 < last ? first + 14 : last;
            l->pe = last;
            k++;
        }
        if (c.n) {
            snprintf(file, sizeof file, "tdc-kreditnota-%s.xml", c.id);
            emit(g, &ix, &c, month, file);
        }
        free(c.lines);
    }

    /* the PBX maintenance vendor */
    d.supplier = SUP_VENDOR;
    d.v21 = 1;
    d.note = "Serviceaftale telefoni";
    for (int s = 0; s < m->nsites; s++) {
        int host = m->sites[s].units[0];
        inv_line *l = add_line(&d);
        snprintf(l->name, sizeof l->name, "Serviceaftale Asterisk, anlæg %s", m->sites[s].name);
        snprintf(l->item_id, sizeof l->item_id, "SA-AST");
        l->ore = 125000;
        if (rng_chance(&r, 0.4)) {
            l = add_line(&d);
            snprintf(l->name, sizeof l->name, "Supporttimer, anlæg %s", m->sites[s].name);
            l->qty = 1 + (int64_t)rng_below(&r, 4);
            l->ore = 85000 * l->qty;
        }
        snprintf(d.id, sizeof d.id, "NTS-%04u-%05u", (unsigned)y % 10000u, (unsigned)(mo * 1000 + s + 1) % 100000u);
        d.buyer_ean = m->units[host].ean;
        d.buyer_name = m->units[host].name;
        d.buyer_unit = host;
        snprintf(file, sizeof file, "nts-faktura-%s.xml", d.id);
        emit(g, &ix, &d, month, file);
    }
    inv_line *l = add_line(&d);
    snprintf(l->name, sizeof l->name, "Serviceaftale Cisco Unified CM, klynge KKCUCM");
    snprintf(l->item_id, sizeof l->item_id, "SA-CUCM");
    l->ore = 890000;
    snprintf(d.id, sizeof d.id, "NTS-%04u-%05u", (unsigned)y % 10000u, (unsigned)(mo * 1000 + 999) % 100000u);
    d.buyer_ean = m->central_ean;
    d.buyer_name = "Københavns Kommune, Koncernservice Indkøb";
    d.buyer_unit = -1;
    snprintf(file, sizeof file, "nts-faktura-%s.xml", d.id);
    emit(g, &ix, &d, month, file);

    free(d.lines);
    free(acct_unit);
    index_free(&ix);
}
