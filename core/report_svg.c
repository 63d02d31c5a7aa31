/* Inline SVG charts for the report. Every text from data goes through
 * rp_html; numbers through the report's formatting. */
#include "report_svg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const palette[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                      "#56B4E9", "#D55E00", "#7A6A00", "#555555"};

const char *rp_color(size_t i)
{
    return palette[i % (sizeof palette / sizeof *palette)];
}

/* A "nice" upper bound of the axis: 1, 2, 2.5, 5 times a power of ten. */
static double nice_max(double v)
{
    if (!(v > 0) || isnan(v))
        return 1;
    double e = pow(10, floor(log10(v)));
    static const double steps[] = {1, 2, 2.5, 5, 10};
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
        if (v <= steps[i] * e * (1 + 1e-9))
            return steps[i] * e;
    return 10 * e;
}

#define TICKS 5

/* Decimals that tell the ticks of an axis 0..max apart. */
static int tick_decimals(double max)
{
    double step = max / TICKS;
    int d = 0;
    while (d < 6 && fabs(step * pow(10, d) - round(step * pow(10, d))) > 1e-9)
        d++;
    return d;
}

static void tick_label(rp_buf *b, rp_lang l, rp_kind k, double v, double max)
{
    switch (k) {
    case RP_SHARE: rp_pct(b, l, v, tick_decimals(max * 100)); break;
    case RP_SECONDS: rp_secs(b, l, v); break;
    default: rp_num(b, l, v, tick_decimals(max)); break;
    }
}

/* At most maxchars characters of s (UTF-8), escaped, with an ellipsis if cut. */
static void put_trunc(rp_buf *b, const char *s, int maxchars)
{
    if (!s)
        return;
    int chars = 0;
    const char *p = s;
    while (*p && chars < maxchars) {
        p++;
        while ((*p & 0xC0) == 0x80)
            p++;
        chars++;
    }
    if (!*p) {
        rp_html(b, s);
        return;
    }
    /* cut one character earlier to make room for the ellipsis */
    const char *q = s;
    for (int i = 0; i < maxchars - 1 && *q; i++) {
        q++;
        while ((*q & 0xC0) == 0x80)
            q++;
    }
    rp_buf t = {0};
    rp_putn(&t, s, (size_t)(q - s));
    rp_html(b, t.p);
    rp_put(b, "\xE2\x80\xA6");
    rp_buf_free(&t);
}

static void svg_open(rp_buf *b, const char *title, int w, int h)
{
    rp_printf(b, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
                 "aria-label=\"",
              w, h, w, h);
    rp_html(b, title);
    rp_put(b, "\" xmlns=\"http://www.w3.org/2000/svg\">");
}

static double max_of(const double *v, size_t n)
{
    double m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i]) && v[i] > m)
            m = v[i];
    return m;
}

static void y_axis(rp_buf *b, rp_lang l, rp_kind k, double max, double x0, double x1, double y0,
                   double ph)
{
    for (int i = 0; i <= TICKS; i++) {
        double val = max * i / TICKS, y = y0 + ph - ph * i / TICKS;
        rp_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>", x0, y, x1,
                  y);
        rp_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">", x0 - 4, y + 4);
        tick_label(b, l, k, val, max);
        rp_put(b, "</text>");
    }
}

void rp_svg_bars(rp_buf *b, rp_lang l, const char *title, rp_kind kind, const double *v,
                 size_t ngroups, size_t nseries, const char *const *groups,
                 const char *const *series, const char *const *colors, int width, int height)
{
    if (ngroups == 0 || nseries == 0)
        return;
    double ml = 52, mr = 8, mt = 20, mb = nseries > 1 ? 34 : 22;
    double pw = width - ml - mr, ph = height - mt - mb;
    double max = nice_max(max_of(v, ngroups * nseries));
    svg_open(b, title, width, height);
    y_axis(b, l, kind, max, ml, width - mr, mt, ph);
    double gw = pw / ngroups;
    double bw = fmin(gw * 0.72 / nseries, 56);
    for (size_t g = 0; g < ngroups; g++) {
        double gx = ml + g * gw + (gw - bw * nseries) / 2;
        for (size_t s = 0; s < nseries; s++) {
            double val = v[g * nseries + s];
            double h = isnan(val) ? 0 : ph * fmax(0, val) / max;
            double x = gx + s * bw, y = mt + ph - h;
            const char *c = colors && colors[g] ? colors[g] : rp_color(s);
            rp_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"%s>",
                      x + 1, y, bw - 2, h, c,
                      nseries > 1 && s + 1 < nseries ? " fill-opacity=\"0.45\"" : "");
            rp_put(b, "<title>");
            if (groups)
                rp_html(b, groups[g]);
            if (nseries > 1 && series) {
                rp_put(b, " ");
                rp_html(b, series[s]);
            }
            rp_put(b, ": ");
            rp_value(b, l, kind, val);
            rp_put(b, "</title></rect>");
            rp_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"val%s\" text-anchor=\"middle\">",
                      x + bw / 2, y - 4, nseries > 1 ? " small" : "");
            if (nseries > 1 && kind == RP_SHARE)
                rp_pct(b, l, val, 0); /* narrow bars: whole percents */
            else
                rp_value(b, l, kind, val);
            rp_put(b, "</text>");
            if (nseries > 1 && series) {
                rp_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"middle\">",
                          x + bw / 2, mt + ph + 13);
                rp_html(b, series[s]);
                rp_put(b, "</text>");
            }
        }
        if (groups) {
            rp_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"lbl\" text-anchor=\"middle\">",
                      ml + g * gw + gw / 2, mt + ph + (nseries > 1 ? 28 : 15));
            put_trunc(b, groups[g], (int)(gw / 6.5) > 3 ? (int)(gw / 6.5) : 3);
            rp_put(b, "</text>");
        }
    }
    rp_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"axis\"/>", ml, mt + ph,
              width - mr, mt + ph);
    rp_put(b, "</svg>");
}

void rp_svg_stacked(rp_buf *b, rp_lang l, const char *title, const double *v, size_t ncols,
                    size_t nstack, const char *const *cols, const char *const *parts,
                    const char *const *colors, const int *band, const char *const *bandlabel,
                    int width, int height)
{
    if (ncols == 0)
        return;
    double ml = 52, mr = 8, mt = 34, mb = 22;
    double pw = width - ml - mr, ph = height - mt - mb;
    double tot_max = 0;
    for (size_t c = 0; c < ncols; c++) {
        double t = 0;
        for (size_t k = 0; k < nstack; k++)
            if (!isnan(v[c * nstack + k]) && v[c * nstack + k] > 0)
                t += v[c * nstack + k];
        tot_max = fmax(tot_max, t);
    }
    double max = nice_max(tot_max);
    svg_open(b, title, width, height);
    /* legend */
    double lx = ml;
    for (size_t k = 0; k < nstack; k++) {
        rp_printf(b, "<rect x=\"%.1f\" y=\"4\" width=\"11\" height=\"11\" fill=\"%s\"/>", lx, colors[k]);
        rp_printf(b, "<text x=\"%.1f\" y=\"14\" class=\"lbl\">", lx + 15);
        rp_html(b, parts[k]);
        rp_put(b, "</text>");
        lx += 15 + 7.0 * (double)strlen(parts[k]) + 16;
    }
    double cw = pw / ncols, bw = fmin(cw * 0.7, 60);
    if (band)
        for (size_t c = 0; c < ncols; c++) {
            if (!band[c])
                continue;
            rp_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"band%d\"/>",
                      ml + c * cw, mt - 2, cw, ph + 2, band[c]);
            if (bandlabel && (c == 0 || band[c - 1] != band[c]))
            {
                rp_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\">", ml + c * cw + 3, mt + 9);
                rp_html(b, bandlabel[band[c] - 1]);
                rp_put(b, "</text>");
            }
        }
    y_axis(b, l, RP_COUNT, max, ml, width - mr, mt, ph);
    for (size_t c = 0; c < ncols; c++) {
        double x = ml + c * cw + (cw - bw) / 2, y = mt + ph, total = 0;
        for (size_t k = 0; k < nstack; k++) {
            double val = v[c * nstack + k];
            if (isnan(val) || val <= 0)
                continue;
            total += val;
            double h = ph * val / max;
            y -= h;
            rp_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>",
                      x, y, bw, h, colors[k]);
            rp_html(b, cols[c]);
            rp_put(b, ", ");
            rp_html(b, parts[k]);
            rp_put(b, ": ");
            rp_num(b, l, val, 0);
            rp_put(b, "</title></rect>");
        }
        rp_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"val\" text-anchor=\"middle\">", x + bw / 2,
                  y - 4);
        rp_num(b, l, total, 0);
        rp_put(b, "</text>");
        rp_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"lbl\" text-anchor=\"middle\">", x + bw / 2,
                  mt + ph + 15);
        put_trunc(b, cols[c], (int)(cw / 6) > 3 ? (int)(cw / 6) : 3);
        rp_put(b, "</text>");
    }
    rp_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"axis\"/>", ml, mt + ph,
              width - mr, mt + ph);
    rp_put(b, "</svg>");
}

/* White to dark blue in steps, for the heatmap. */
static void heat_color(double t, char out[8])
{
    static const int stops[][3] = {{247, 251, 255}, {198, 219, 239}, {107, 174, 214},
                                   {33, 113, 181},  {8, 48, 107}};
    if (isnan(t) || t < 0)
        t = 0;
    if (t > 1)
        t = 1;
    double pos = t * 4;
    int i = (int)floor(pos);
    if (i >= 4)
        i = 3;
    double f = pos - i;
    int rgb[3];
    for (int c = 0; c < 3; c++)
        rgb[c] = (int)lround(stops[i][c] + (stops[i + 1][c] - stops[i][c]) * f);
    snprintf(out, 8, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
}

void rp_svg_heatmap(rp_buf *b, rp_lang l, const char *title, const double *cells, int width)
{
    double ml = 40, mt = 18, cw = (width - ml - 4) / 24.0, chh = 24;
    int height = (int)(mt + 7 * chh + 30);
    double max = max_of(cells, 7 * 24);
    svg_open(b, title, width, height);
    for (int h = 0; h < 24; h++)
        rp_printf(b, "<text x=\"%.1f\" y=\"12\" class=\"tick\" text-anchor=\"middle\">%02d</text>",
                  ml + h * cw + cw / 2, h);
    for (int d = 0; d < 7; d++) {
        double y = mt + d * chh;
        rp_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"lbl\" text-anchor=\"end\">%s</text>", ml - 6,
                  y + chh / 2 + 4, T(l, (rp_msg)(M_WD1 + d)));
        for (int h = 0; h < 24; h++) {
            double val = cells[d * 24 + h];
            double t = max > 0 && !isnan(val) ? val / max : 0;
            char col[8];
            heat_color(t, col);
            rp_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" "
                         "class=\"cell\"><title>%s %02d\xE2\x80\x93%02d: ",
                      ml + h * cw, y, cw, chh, col, T(l, (rp_msg)(M_WD1 + d)), h, h + 1);
            rp_num(b, l, isnan(val) ? 0 : val, 1);
            rp_printf(b, " %s</title></rect>", T(l, M_PER_WEEK));
            if (!isnan(val) && val > 0) {
                rp_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"cellv%s\" text-anchor=\"middle\">",
                          ml + h * cw + cw / 2, y + chh / 2 + 4, t > 0.55 ? " dark" : "");
                rp_num(b, l, val, val < 9.95 ? 1 : 0);
                rp_put(b, "</text>");
            }
        }
    }
    /* the scale */
    double y = mt + 7 * chh + 10;
    for (int i = 0; i <= 4; i++) {
        char col[8];
        heat_color(i / 4.0, col);
        rp_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"28\" height=\"12\" fill=\"%s\" class=\"cell\"/>",
                  ml + i * 28, y, col);
    }
    rp_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\">0 \xE2\x80\x93 ", ml + 5 * 28 + 6, y + 10);
    rp_num(b, l, max, max < 9.95 ? 1 : 0);
    rp_printf(b, " %s</text>", T(l, M_PER_WEEK));
    rp_put(b, "</svg>");
}

void rp_svg_hbars(rp_buf *b, rp_lang l, const char *title, rp_kind kind, const double *v,
                  size_t nrows, size_t nseries, const char *const *labels,
                  const char *const *series, double threshold, const char *threshold_label,
                  int width)
{
    if (nrows == 0 || nseries == 0)
        return;
    double ml = 70, mr = 60, mt = nseries > 1 ? 38 : 22, rowh = nseries > 1 ? 22 : 17;
    double pw = width - ml - mr;
    int height = (int)(mt + nrows * rowh + (isnan(threshold) ? 8 : 22));
    double max = max_of(v, nrows * nseries);
    if (!isnan(threshold))
        max = fmax(max, threshold);
    max = nice_max(max);
    svg_open(b, title, width, height);
    if (nseries > 1 && series)
        for (size_t s = 0; s < nseries; s++) {
            rp_printf(b, "<rect x=\"%.1f\" y=\"4\" width=\"11\" height=\"11\" fill=\"%s\"%s/>",
                      ml + s * 120.0, rp_color(0), s + 1 < nseries ? " fill-opacity=\"0.45\"" : "");
            rp_printf(b, "<text x=\"%.1f\" y=\"14\" class=\"lbl\">", ml + s * 120.0 + 15);
            rp_html(b, series[s]);
            rp_put(b, "</text>");
        }
    for (int i = 0; i <= TICKS; i++) {
        double x = ml + pw * i / TICKS;
        rp_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>", x, mt - 4,
                  x, mt + nrows * rowh);
        rp_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"middle\">", x, mt - 7);
        tick_label(b, l, kind, max * i / TICKS, max);
        rp_put(b, "</text>");
    }
    for (size_t r = 0; r < nrows; r++) {
        double y = mt + r * rowh;
        rp_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"lbl mono\" text-anchor=\"end\">", ml - 6,
                  y + rowh / 2 + 4);
        rp_html(b, labels[r]);
        rp_put(b, "</text>");
        double bh = (rowh - 5) / nseries, last_end = ml;
        for (size_t s = 0; s < nseries; s++) {
            double val = v[r * nseries + s];
            double w = isnan(val) ? 0 : pw * fmax(0, val) / max;
            rp_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"%s><title>",
                      ml, y + 2 + s * bh, w, bh, rp_color(0),
                      nseries > 1 && s + 1 < nseries ? " fill-opacity=\"0.45\"" : "");
            rp_html(b, labels[r]);
            if (nseries > 1 && series) {
                rp_put(b, " ");
                rp_html(b, series[s]);
            }
            rp_put(b, ": ");
            rp_value(b, l, kind, val);
            rp_put(b, "</title></rect>");
            last_end = fmax(last_end, ml + w);
        }
        rp_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"val\">", last_end + 4, y + rowh / 2 + 4);
        for (size_t s = 0; s < nseries; s++) {
            if (s)
                rp_put(b, " / ");
            rp_value(b, l, kind, v[r * nseries + s]);
        }
        rp_put(b, "</text>");
    }
    if (!isnan(threshold)) {
        double x = ml + pw * threshold / max;
        rp_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"thr\"/>", x, mt - 2, x,
                  mt + nrows * rowh);
        rp_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"thr\"/>", x,
                  mt + nrows * rowh, x, mt + nrows * rowh + 6);
        if (threshold_label) {
            rp_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"thrl\" text-anchor=\"middle\">", x,
                      mt + nrows * rowh + 17);
            rp_html(b, threshold_label);
            rp_put(b, "</text>");
        }
    }
    rp_put(b, "</svg>");
}

void rp_svg_range(rp_buf *b, double low, double high, double max, int width)
{
    if (isnan(low) || isnan(high) || !(max > 0))
        return;
    double x0 = width * fmax(0, low) / max, x1 = width * fmax(0, high) / max;
    rp_printf(b, "<svg class=\"range\" viewBox=\"0 0 %d 8\" width=\"%d\" height=\"8\" aria-hidden=\"true\" "
                 "xmlns=\"http://www.w3.org/2000/svg\"><rect x=\"0\" y=\"3\" width=\"%d\" height=\"2\" "
                 "fill=\"#ddd\"/><rect x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"8\" rx=\"2\" "
                 "fill=\"#009E73\"/></svg>",
              width, width, width, x0, fmax(2, x1 - x0));
}
