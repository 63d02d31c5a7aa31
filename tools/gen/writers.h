/* The format writers.  Each opens the files of one month, takes the month's
 * records in time order, and closes them (which records the truth of each
 * file).  See each .c file for its format. */
#ifndef GEN_WRITERS_H
#define GEN_WRITERS_H

#include "call.h"
#include "gen.h"
#include "kc.h"

/* Asterisk cdr_csv Master.csv, one zip per site: pbx/asterisk/<site>/YYYY-MM.zip */
typedef struct ast_writer ast_writer;
ast_writer *ast_open(gen *g, int month);
void ast_call(ast_writer *w, const call *c);
void ast_close(ast_writer *w);

/* Cisco CUCM CDR files, one member per day: pbx/cucm/YYYY-MM.tar.gz */
typedef struct cucm_writer cucm_writer;
cucm_writer *cucm_open(gen *g, int month);
void cucm_day(cucm_writer *w, int64_t day); /* starts the day's member (ends the previous) */
void cucm_call(cucm_writer *w, const call *c);
void cucm_close(cucm_writer *w);

/* TDC's mobile traffic export: tdc/mobile/YYYY-MM/tdc-mobil-YYYY-MM.csv.gz */
typedef struct tdc_writer tdc_writer;
tdc_writer *tdc_open(gen *g, int month);
void tdc_call(tdc_writer *w, const call *c);
/* the month's charges of a mobile number in øre (for the invoice) */
int64_t tdc_charges(const tdc_writer *w, int number);
void tdc_close(tdc_writer *w);

/* HR snapshots of the month: hr/YYYY-MM/{org-units,employees,numbers}.csv */
void hr_write(gen *g, int month);

/* OIOUBL invoices of the month: tdc/invoices/YYYY-MM/<document>.xml */
void invoices_write(gen *g, int month, const tdc_writer *usage);

/* Asterisk queue_log of the contact center: contactcenter/queue_log/YYYY-MM/queue_log */
typedef struct ql_writer ql_writer;
ql_writer *ql_open(gen *g, int month);
void ql_day(ql_writer *w, int64_t day, const kc_day_calls *calls);
void ql_close(ql_writer *w);

/* the contact-center system's per-call export: contactcenter/export/YYYY-MM/calls.csv */
typedef struct ex_writer ex_writer;
ex_writer *ex_open(gen *g, int month);
void ex_day(ex_writer *w, const kc_day_calls *calls);
void ex_close(ex_writer *w);

#endif
