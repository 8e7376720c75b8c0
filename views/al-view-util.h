/* al-view-util.h — small helpers shared by the plot and sphere-map views
 * (private to views/).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sh/al-sh.h"

G_BEGIN_DECLS

/* "850 Hz", "1.25 kHz" */
char *al_format_frequency (double hz);
/* Text scale of plots from the settings (plot-font-scale). */
double al_view_font_scale (void);
/* The SH normalisation new designs start with (Preferences). */
AlShNorm al_view_default_norm (void);
/* A translucent button row for the top-right corner of a view: an optional
 * extra widget, then reset and export buttons bound to the given actions. */
GtkWidget *al_view_toolbar_new (GtkWidget *extra, const char *reset_action, const char *export_action);
void al_view_allocate_toolbar (GtkWidget *toolbar, int width, int height);
/* Crosshair through (x, y) inside the area and a read-out label beside it. */
void al_view_draw_crosshair (GtkWidget *widget, GtkSnapshot *snapshot, double ax, double ay, double aw, double ah,
                             double x, double y, const char *text, gboolean dark);
void al_view_add_figure_filters (GtkFileChooser *chooser);
/* Draws with a core/plot renderer into an image surface at the widget's
 * scale and returns it as a texture node.  (gtk_snapshot_append_cairo
 * records the drawing and replays it, which costs 5x for dense curves and
 * hides the device pixel size the renderer's decimation relies on.) */
GskRenderNode *al_view_render_plot (GtkWidget *widget, int width, int height,
                                    void (*draw) (gpointer object, cairo_t *cr, double w, double h, const void *style),
                                    gpointer object, const void *style);

G_END_DECLS
