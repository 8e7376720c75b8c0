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
/* Mapping between data and device coordinates of the last draw (for hover readouts); FALSE before any draw. */
gboolean al_curve_plot_to_data (const AlCurvePlot *plot, double px, double py, double *x, double *y);

/* ---- Sphere map: values at scattered directions (nearest-neighbour on the
 * sphere, or linear between neighbours), drawn in an equirectangular or
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
