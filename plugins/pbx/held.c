#include "held.h"

#include <stdlib.h>
#include <string.h>

void pbx_held_start(pbx_held *h, const cm_csv_row *row)
{
    memset(h->v, 0, sizeof h->v);
    h->used = 0;
    h->line = row->line;
    h->raw_len = row->raw_len < PBX_RAW_MAX ? row->raw_len : PBX_RAW_MAX;
    memcpy(h->raw, row->raw, h->raw_len);
}

static const char *put(pbx_held *h, const char *s)
{
    size_t n = strlen(s) + 1;
    if (h->used + n > PBX_ARENA)
        n = PBX_ARENA - h->used; /* truncated: the arena is sized for real CDR fields */
    if (n == 0)
        return "";
    char *d = h->arena + h->used;
    memcpy(d, s, n - 1);
    d[n - 1] = '\0';
    h->used += n;
    return d;
}

void pbx_held_text(pbx_held *h, unsigned col, const char *s)
{
    h->v[col].type = s ? CM_TEXT : CM_NULL;
    h->v[col].u.s = s ? put(h, s) : NULL;
}

void pbx_held_const(pbx_held *h, unsigned col, const char *s)
{
    h->v[col].type = CM_TEXT;
    h->v[col].u.s = s;
}

void pbx_held_int(pbx_held *h, unsigned col, int64_t i)
{
    h->v[col].type = CM_INT;
    h->v[col].u.i = i;
}

int pbx_held_emit(const cm_api *api, cm_stream *s, pbx_held *h)
{
    cm_record rec = {.dataset = CM_DS_CALLS, .source_record = h->line, .ncols = CM_CALL__COUNT,
                     .v = h->v, .raw = h->raw, .raw_len = h->raw_len};
    return api->emit(s, &rec);
}

int pbx_window_init(pbx_window *w, size_t slot_size, size_t cap)
{
    w->size = slot_size;
    w->cap = cap;
    w->head = w->count = 0;
    w->slots = calloc(cap, slot_size);
    return w->slots ? CM_OK : CM_ERROR;
}

void pbx_window_free(pbx_window *w)
{
    free(w->slots);
    w->slots = NULL;
}

void *pbx_window_at(const pbx_window *w, size_t k)
{
    return w->slots + ((w->head + k) % w->cap) * w->size;
}

void *pbx_window_push(pbx_window *w, pbx_emit_fn emit, void *ctx, int *rc)
{
    *rc = CM_OK;
    if (w->count == w->cap) {
        *rc = emit(ctx, pbx_window_at(w, 0));
        w->head = (w->head + 1) % w->cap;
        w->count--;
    }
    void *slot = pbx_window_at(w, w->count);
    w->count++;
    return slot;
}

int pbx_window_flush(pbx_window *w, pbx_emit_fn emit, void *ctx, int ok)
{
    int rc = ok ? CM_OK : CM_ERROR;
    for (; w->count; w->count--, w->head = (w->head + 1) % w->cap)
        if (rc == CM_OK && emit(ctx, pbx_window_at(w, 0)) != CM_OK)
            rc = CM_ERROR;
    w->head = 0;
    return rc;
}
