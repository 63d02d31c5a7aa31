/* A pull CSV reader on top of libcsv: one record at a time, with the line
 * number of its first line and its raw text (for rejects).  Memory is bounded:
 * a record longer than CM_CSV_MAX_RECORD bytes is an error. */
#ifndef CM_CSVREAD_H
#define CM_CSVREAD_H

#include <callmap/plugin.h>
#include <stddef.h>

#define CM_CSV_MAX_RECORD (1024 * 1024)

/* Returns bytes read, 0 at end of input, -1 on error. */
typedef long (*cm_read_fn)(void *ctx, void *buf, size_t n);

typedef struct cm_csv_reader cm_csv_reader;

cm_csv_reader *cm_csv_reader_new(cm_read_fn read, void *ctx, char delimiter, char quote);
/* 1 with a row, 0 at end, -1 on error (cm_csv_reader_error). A UTF-8 BOM at
 * the start is skipped; CRLF and LF both end a line; a quoted field may span
 * lines; blank lines are skipped (but counted in line numbers). */
int cm_csv_reader_next(cm_csv_reader *r, cm_csv_row *row);
const char *cm_csv_reader_error(cm_csv_reader *r);
/* For formats whose fields never hold a line break (CDRs): every line ends a
 * record, so an unbalanced quote in a broken line does not swallow the next. */
void cm_csv_reader_set_single_line(cm_csv_reader *r, int on);
void cm_csv_reader_free(cm_csv_reader *r);

#endif
