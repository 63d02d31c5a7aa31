/* The report's charts as inline SVG (no script: a bar's exact value is in
 * its <title>, shown by the browser on hover, and printed next to it). */
#ifndef CM_REPORT_SVG_H
#define CM_REPORT_SVG_H

#include "report_fmt.h"

#include <stddef.h>

/* Vertical bars in groups: ngroups groups (labels under them) of nseries
 * bars each; v[g * nseries + s]. colors[g] (a group's colour, NULL: the
 * series palette); series after the first are drawn lighter and labelled
 * with series[s] under the bar when nseries > 1. Values printed on top. */
void rp_svg_bars(rp_buf *b, rp_lang l, const char *title, rp_kind kind, const double *v,
                 size_t ngroups, size_t nseries, const char *const *groups,
                 const char *const *series, const char *const *colors, int width, int height);

/* Stacked vertical bars: ncols columns (labels under them) of nstack parts,
 * v[c * nstack + k], with a legend; band[c] != 0 shades the column's
 * background (band 1 and 2: the compared periods, labelled bandlabel). */
void rp_svg_stacked(rp_buf *b, rp_lang l, const char *title, const double *v, size_t ncols,
                    size_t nstack, const char *const *cols, const char *const *parts,
                    const char *const *colors, const int *band, const char *const *bandlabel,
                    int width, int height);

/* Hour x weekday grid: cells[wd * 24 + h], weekday 0 = Monday, values
 * printed in the cells; hours without calls in the whole week are kept. */
void rp_svg_heatmap(rp_buf *b, rp_lang l, const char *title, const double *cells, int width);

/* Horizontal bars, one row per label, nseries bars a row (v[r * nseries +
 * s]), series names in a legend when nseries > 1; a dashed line at
 * threshold (NAN: none) labelled threshold_label. */
void rp_svg_hbars(rp_buf *b, rp_lang l, const char *title, rp_kind kind, const double *v,
                  size_t nrows, size_t nseries, const char *const *labels,
                  const char *const *series, double threshold, const char *threshold_label,
                  int width);

/* A small range bar: low..high on a scale of 0..max. */
void rp_svg_range(rp_buf *b, double low, double high, double max, int width);

/* A colour of the palette (colour-blind safe), cycling. */
const char *rp_color(size_t i);

#endif
