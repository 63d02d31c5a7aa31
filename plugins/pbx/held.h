/* Calls records held back before they are emitted, in a FIFO window: both
 * PBX formats pair the legs of a transfer, which needs the earlier leg to be
 * still changeable when the later one arrives. */
#ifndef PBX_HELD_H
#define PBX_HELD_H

#include <callmap/plugin.h>
#include <stddef.h>

#define PBX_ARENA 1536   /* strings of one record (real CDR fields fit) */
#define PBX_RAW_MAX 1000 /* the record's input text, for a reject by the store */

typedef struct pbx_held {
    cm_value v[CM_CALL__COUNT];
    int64_t line;
    char arena[PBX_ARENA];
    size_t used;
    char raw[PBX_RAW_MAX];
    size_t raw_len;
} pbx_held;

/* Clear the values and take the row's line and raw text. */
void pbx_held_start(pbx_held *h, const cm_csv_row *row);
/* A copy of s (NULL: SQL NULL); a string constant needs no copy. */
void pbx_held_text(pbx_held *h, unsigned col, const char *s);
void pbx_held_const(pbx_held *h, unsigned col, const char *s);
void pbx_held_int(pbx_held *h, unsigned col, int64_t i);
int pbx_held_emit(const cm_api *api, cm_stream *s, pbx_held *h);

/* The window: slots of slot_size bytes, each beginning with a pbx_held. */
typedef struct pbx_window {
    char *slots;
    size_t size, cap, head, count;
} pbx_window;

typedef int (*pbx_emit_fn)(void *ctx, void *slot);

int pbx_window_init(pbx_window *w, size_t slot_size, size_t cap); /* CM_OK or CM_ERROR */
void pbx_window_free(pbx_window *w);
/* The k-th slot from the oldest (k < count). */
void *pbx_window_at(const pbx_window *w, size_t k);
/* A new slot at the tail; when full the oldest is emitted first (*rc is its result). */
void *pbx_window_push(pbx_window *w, pbx_emit_fn emit, void *ctx, int *rc);
/* Emit every slot in order (none after a failure, nor when ok is 0) and empty the window. */
int pbx_window_flush(pbx_window *w, pbx_emit_fn emit, void *ctx, int ok);

#endif
