/* al-plot-private.h — shared internals of the plot module: the resolved
 * theme (colours and sizes of one draw), text helpers, tick computation,
 * the nearest-direction index and the export marker.  Not installed; only
 * core/plot and tests/plot include it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "al-plot.h"

#include <pango/pangocairo.h>

G_BEGIN_DECLS

/* ---- Theme: what a draw needs from an AlPlotStyle, in user units. ---- */
typedef struct {
  gboolean dark;
  double pt;          /* user units per point */
  double font_scale;
  AlRgb background;
  AlRgb text;         /* titles, axis labels */
  AlRgb text_muted;   /* tick labels */
  AlRgb frame;        /* spines and ticks */
  AlRgb grid;
  AlRgb grid_minor;
  AlRgb legend_fill;
  AlRgb legend_edge;
  AlRgb hidden;       /* greyed legend entries */
  AlRgb missing;      /* sphere-map pixels without a value */
} AlPlotTheme;

void al_plot_theme_init (AlPlotTheme *theme, cairo_t *cr, const AlPlotStyle *style);
/* Size in user units of a font of `points` nominal size, font_scale applied. */
double al_plot_theme_font (const AlPlotTheme *theme, double points);
void al_plot_set_color (cairo_t *cr, AlRgb color, double alpha);
/* TRUE when cr draws into a PDF, SVG or PostScript surface (no pixel grid). */
gboolean al_plot_is_vector (cairo_t *cr);
/* TRUE when cr draws into a surface prepared by al_plot_export. */
gboolean al_plot_is_export (cairo_t *cr);
void al_plot_mark_export (cairo_surface_t *surface);
/* Pixel snapping in device space (no rotation assumed): an edge lands on a
 * device pixel boundary, a line of width `width` on the pixel grid so that
 * it is not smeared over two pixels. */
double al_plot_snap_edge (cairo_t *cr, double v, gboolean vertical);
double al_plot_snap_line (cairo_t *cr, double v, double width, gboolean vertical);

/* ---- Text (Pango). One AlPlotText per draw, reused for every string. ---- */
typedef struct {
  PangoLayout *layout;
  PangoFontDescription *desc;
} AlPlotText;

void al_plot_text_init (AlPlotText *text, cairo_t *cr);
void al_plot_text_clear (AlPlotText *text);
/* size in user units; weight e.g. PANGO_WEIGHT_NORMAL; max_width <= 0 for none (else ellipsized). */
void al_plot_text_set (AlPlotText *text, const char *str, double size, PangoWeight weight, double max_width);
void al_plot_text_get_size (AlPlotText *text, double *width, double *height);
/* Draws the current string with the point (ax, ay) of its box (fractions,
 * 0 = left/top) at (x, y), the box rotated by angle (radians, cairo sense). */
void al_plot_text_draw (AlPlotText *text, cairo_t *cr, double x, double y,
                        double ax, double ay, double angle);
/* Same, with a contrasting outline so it reads on top of images. */
void al_plot_text_draw_halo (AlPlotText *text, cairo_t *cr, double x, double y,
                             double ax, double ay, AlRgb fill, AlRgb halo, double halo_width);

/* ---- Ticks. ---- */
typedef struct {
  double value;
  gboolean major;   /* minor ticks have no label */
  char label[32];
} AlTick;

/* Extent of a label along the axis, in user units. */
typedef double (*AlTickMeasure) (const char *label, gpointer user_data);

/* Ticks for [lo, hi] drawn over `length` user units.  Chooses the densest
 * "nice" set whose major ticks are at least min_step apart and whose labels
 * keep `gap` between them.  Linear: steps 1, 2, 2.5, 5 x 10^k.  Log: 1-2-5
 * per decade, then decades, then every 2nd/5th/10th decade, with minor ticks;
 * labels in audio style (20, 500, 1k, 20k).  Returns an array of AlTick
 * sorted by value. */
GArray *al_axis_ticks (double lo, double hi, gboolean log, double length, double min_step,
                       double gap, AlTickMeasure measure, gpointer user_data);
/* Label of v for a linear axis with tick step `step` (Unicode minus sign). */
void al_axis_format_linear (double v, double step, char *buf, gsize len);
/* Label of v > 0 in audio style: 20, 500, 1k, 2.5k, 20k, 1M, 1G. */
void al_axis_format_si (double v, char *buf, gsize len);

/* ---- Anti-aliased polylines straight into image surfaces. ---- */
typedef struct AlLineRaster AlLineRaster;

/* A rasteriser for lines inside the user-space rectangle (x, y, width,
 * height) of cr, or NULL when cr's target is not a plain image surface
 * drawn at a uniform scale (then stroke with Cairo). */
AlLineRaster *al_line_raster_new (cairo_t *cr, double x, double y, double width, double height);
void al_line_raster_free (AlLineRaster *raster);
/* Starts a polyline: width and dashes in user units (round caps and joins). */
void al_line_raster_begin (AlLineRaster *raster, double line_width, const double *dashes, int n_dashes);
/* One segment in user units; joined: it continues the previous one. */
void al_line_raster_segment (AlLineRaster *raster, double x0, double y0, double x1, double y1, gboolean joined);
/* Composites what was drawn since begin with cr's source, and clears. */
void al_line_raster_finish (AlLineRaster *raster, cairo_t *cr);

/* ---- Curve plot internals. ---- */

/* The legend box of the last draw (x, y, width, height); FALSE when there
 * was none. */
gboolean al_curve_plot_get_legend (const AlCurvePlot *plot, double rect[4]);

/* ---- Nearest direction on the sphere. ---- */
typedef struct AlSphereIndex AlSphereIndex;

/* dirs: n x 2 (azimuth, elevation) radians; points with a non-finite
 * direction are left out. */
AlSphereIndex *al_sphere_index_new (const double *dirs, int n);
void al_sphere_index_free (AlSphereIndex *index);
/* Index of the input direction nearest to (azimuth, elevation), -1 when the
 * index is empty.  hint: a nearby point's answer (or -1); it bounds the
 * search radius, which makes raster scans fast. */
int al_sphere_index_nearest (const AlSphereIndex *index, double azimuth, double elevation, int hint);
void al_sphere_dir_to_vec (double azimuth, double elevation, double v[3]);

/* The published viridis table, 256 entries. */
extern const AlRgb al_viridis_table[256];

G_END_DECLS
