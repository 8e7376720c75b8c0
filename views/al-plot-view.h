/* al-plot-view.h — curves over (log-)frequency drawn by core/plot, with
 * zoom (scroll), pan (drag), a crosshair read-out, legend toggles and export
 * of exactly what is shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "plot/al-plot.h"

G_BEGIN_DECLS

#define AL_TYPE_PLOT_VIEW (al_plot_view_get_type ())
G_DECLARE_FINAL_TYPE (AlPlotView, al_plot_view, AL, PLOT_VIEW, GtkWidget)

GtkWidget *al_plot_view_new (void);
/* Takes ownership of plot.  labels: the series' labels in order (for the
 * legend toggles; series hidden by the user stay hidden by label).  The
 * view's zoom, or else its home ranges, are applied to the new plot. */
void al_plot_view_set_plot (AlPlotView *self, AlCurvePlot *plot, const char *const *labels);
AlCurvePlot *al_plot_view_get_plot (AlPlotView *self);
/* Ranges shown when not zoomed; lo == hi: automatic. */
void al_plot_view_set_home (AlPlotView *self, double x_lo, double x_hi, double y_lo, double y_hi);
void al_plot_view_reset_zoom (AlPlotView *self);
/* Zoom by `factor` (< 1 zooms in) about the data point (x, y); for tests and key bindings. */
void al_plot_view_zoom (AlPlotView *self, double factor, gboolean x_axis, gboolean y_axis);
/* The data range shown; FALSE before the first draw. */
gboolean al_plot_view_get_view (AlPlotView *self, double *x_lo, double *x_hi, double *y_lo, double *y_hi);
void al_plot_view_set_series_visible (AlPlotView *self, const char *label, gboolean visible);
/* The crosshair read-out at widget coordinates (x, y): "f = 1.00 kHz · 0.93"; NULL outside the plot area. */
char *al_plot_view_readout (AlPlotView *self, double x, double y);
/* The size of exported figures in points; 480 x 300 by default, the size
 * of ambilab-cli's figures. */
#define AL_PLOT_VIEW_FIGURE_WIDTH 480.0
#define AL_PLOT_VIEW_FIGURE_HEIGHT 300.0
void al_plot_view_set_figure_size (AlPlotView *self, double width, double height);
void al_plot_view_get_figure_size (AlPlotView *self, double *width, double *height);
/* The label given for a series (its legend toggle); NULL past the end. */
const char *al_plot_view_get_label (AlPlotView *self, guint series);
/* Writes what is shown (ranges, visible series) at the figure size in the
 * print style (light, text scale 1) to PNG (150 dpi), SVG or PDF by suffix:
 * the same picture ambilab-cli draws for the same plot. */
gboolean al_plot_view_export (AlPlotView *self, const char *path, GError **error);
/* Renders count since creation (tests check the cache). */
guint al_plot_view_get_render_count (AlPlotView *self);

G_END_DECLS
