/* al-figure-view.h — a whole core/plot figure (channel panels, map
 * comparisons: anything with an AlDrawFunc) shown as drawn, cached as a
 * render node, with export of the same picture ambilab-cli writes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "plot/al-plot.h"

G_BEGIN_DECLS

#define AL_TYPE_FIGURE_VIEW (al_figure_view_get_type ())
G_DECLARE_FINAL_TYPE (AlFigureView, al_figure_view, AL, FIGURE_VIEW, GtkWidget)

GtkWidget *al_figure_view_new (void);
/* Takes ownership of figure (freed with free_func); draw renders it.
 * width/height: the exported size in points; the aspect ratio the view
 * keeps on screen too, so panels stay square.  figure NULL: empty. */
void al_figure_view_set_figure (AlFigureView *self, gpointer figure, AlDrawFunc draw, GDestroyNotify free_func,
                                double width, double height);
gpointer al_figure_view_get_figure (AlFigureView *self);
/* Name suggested by the export dialog, without suffix ("coherence_per_channel"). */
void al_figure_view_set_export_name (AlFigureView *self, const char *name);
/* Writes the figure at its size in the print style; PNG/SVG/PDF by suffix. */
gboolean al_figure_view_export (AlFigureView *self, const char *path, GError **error);
guint al_figure_view_get_render_count (AlFigureView *self);

G_END_DECLS
