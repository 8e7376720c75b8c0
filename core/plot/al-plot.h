/* al-plot.h — Cairo/Pango figures: curves over (log-)frequency and sphere maps.
 * The GUI draws with the same functions, so CLI figures and GUI plots are the
 * same pictures.  Depends only on Cairo, Pango and GLib.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

/* ---- Colours: a colour-blind-safe categorical palette (Okabe–Ito order,
 * then repeating with dashes) and a perceptually uniform sequential map. ---- */
typedef struct { double r, g, b; } AlRgb;
AlRgb al_palette_color (int index);
/* Viridis, t in [0,1] (clamped). */
AlRgb al_colormap_viridis (double t);

typedef struct {
  gboolean dark;        /* light-on-dark colours */
  double font_scale;    /* 1.0 = default sizes (about 10 pt text at 96 dpi) */
} AlPlotStyle;

/* al_palette_color () is the colour on a light background: index 4 (yellow)
 * is darkened from #F0E442 to #B8A90F for contrast on white.  Indices wrap
 * every 8 (al_palette_dash () then gives the dash pattern).  For a dark
 * style, black becomes light grey (#E6E6E6) and yellow keeps #F0E442. */
AlRgb al_palette_color_for_style (int index, const AlPlotStyle *style);
/* Dash pattern of series `index` in line widths, for round caps: 0 entries
 * (solid) for indices 0-7, then dashed, dotted and dash-dotted. Returns the
 * number of entries written to dashes (at most 4). */
int al_palette_dash (int index, double dashes[4]);
/* User units per typographic point in a draw on cr: 1 inside al_plot_export
 * (files are laid out in points), 96/72 elsewhere (screen pixels). */
double al_plot_units_per_point (cairo_t *cr);

/* ---- Curve plot: several series y(x), legend, axis labels with units, grid. ---- */
typedef struct AlCurvePlot AlCurvePlot;

AlCurvePlot *al_curve_plot_new (const char *title, const char *xlabel, const char *ylabel);
void al_curve_plot_free (AlCurvePlot *plot);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlCurvePlot, al_curve_plot_free)
void al_curve_plot_set_log_x (AlCurvePlot *plot, gboolean log_x);   /* default TRUE */
/* Fixed ranges; lo == hi means automatic (with a little margin). */
void al_curve_plot_set_x_range (AlCurvePlot *plot, double lo, double hi);
void al_curve_plot_set_y_range (AlCurvePlot *plot, double lo, double hi);
/* Copies x and y (n points); non-finite points break the line. Returns the series index. */
int al_curve_plot_add (AlCurvePlot *plot, const char *label, const double *x, const double *y, int n);
/* Hidden series are left out of drawing, legend still lists them greyed. */
void al_curve_plot_set_visible (AlCurvePlot *plot, int series, gboolean visible);
int al_curve_plot_n_series (const AlCurvePlot *plot);
/* Draw into the rectangle (0,0,width,height) of cr (user units = points for files, pixels on screen). */
void al_curve_plot_draw (AlCurvePlot *plot, cairo_t *cr, double width, double height, const AlPlotStyle *style);
/* Mapping between data and device coordinates of the last draw (for hover readouts); FALSE before any draw.
 * Coordinates are those of the (0,0,width,height) rectangle passed to the draw (pixels on screen). */
gboolean al_curve_plot_to_data (const AlCurvePlot *plot, double px, double py, double *x, double *y);
/* The inverse of al_curve_plot_to_data (for hover marks); FALSE before any draw or for x <= 0 on a log axis. */
gboolean al_curve_plot_to_pixel (const AlCurvePlot *plot, double x, double y, double *px, double *py);
/* The plot area (inside the axes) of the last draw; FALSE before any draw. */
gboolean al_curve_plot_get_area (const AlCurvePlot *plot, double *x, double *y, double *width, double *height);

/* ---- Sphere map: values at scattered directions (each pixel shows the
 * nearest input direction on the sphere), drawn in an equirectangular or
 * Hammer–Aitoff projection with azimuth increasing to the LEFT (as seen from
 * inside, front in the centre), a colour bar and a unit label. ---- */
typedef enum { AL_PROJECTION_EQUIRECTANGULAR, AL_PROJECTION_HAMMER } AlProjection;
typedef struct AlSphereMap AlSphereMap;

/* dirs: n x 2 (azimuth, elevation) in radians; values: n. Copied. */
AlSphereMap *al_sphere_map_new (const char *title, const char *unit,
                                const double *dirs, const double *values, int n);
void al_sphere_map_free (AlSphereMap *map);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlSphereMap, al_sphere_map_free)
void al_sphere_map_set_projection (AlSphereMap *map, AlProjection projection);
/* lo == hi: automatic from the data. */
void al_sphere_map_set_range (AlSphereMap *map, double lo, double hi);
/* Optional markers (e.g. mic positions or DOA estimates): dirs n x 2 rad, labels may be NULL. */
void al_sphere_map_add_markers (AlSphereMap *map, const double *dirs, int n, const char *const *labels);
void al_sphere_map_draw (AlSphereMap *map, cairo_t *cr, double width, double height, const AlPlotStyle *style);
/* Direction under a point of the last draw; FALSE outside the map. */
gboolean al_sphere_map_to_direction (const AlSphereMap *map, double px, double py, double *azimuth, double *elevation);
/* Point of the last draw where a direction (radians) is shown; FALSE before any draw. */
gboolean al_sphere_map_to_pixel (const AlSphereMap *map, double azimuth, double elevation, double *px, double *py);
/* Value shown at a direction (same interpolation as the drawing). */
double al_sphere_map_value_at (const AlSphereMap *map, double azimuth, double elevation);

/* ---- Export: the suffix of `path` picks PNG (at `dpi`, default 150 when 0),
 * SVG or PDF (vector).  width/height in points (1/72 in).  Atomic write. ---- */
typedef void (*AlDrawFunc) (gpointer object, cairo_t *cr, double width, double height, const AlPlotStyle *style);
gboolean al_plot_export (const char *path, double width, double height, double dpi,
                         AlDrawFunc draw, gpointer object, const AlPlotStyle *style, GError **error);
gboolean al_curve_plot_export (AlCurvePlot *plot, const char *path, double width, double height, GError **error);
gboolean al_sphere_map_export (AlSphereMap *map, const char *path, double width, double height, GError **error);

G_END_DECLS
