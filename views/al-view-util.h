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
typedef void (*AlViewDrawFunc) (gpointer object, cairo_t *cr, double w, double h, const void *style);
GskRenderNode *al_view_render_plot (GtkWidget *widget, int width, int height, AlViewDrawFunc draw, gpointer object,
                                    const void *style);

/* A view's drawing kept as a render node until its size, the dark mode or
 * the text scale change (or it is cleared because the data changed). */
typedef struct {
  GskRenderNode *node;
  int w, h;
  gboolean dark;
  double font;
} AlPlotCache;

/* Draws object again when the cache is stale; TRUE when it drew. */
gboolean al_plot_cache_update (AlPlotCache *cache, GtkWidget *widget, int w, int h, AlViewDrawFunc draw,
                               gpointer object);
void al_plot_cache_clear (AlPlotCache *cache);

/* The Export Figure dialog of a view: PDF/SVG/PNG by suffix (PDF when the
 * name has none of them), `export` writes the file, a toast or the
 * window's error reports the result. */
typedef gboolean (*AlViewExportFunc) (GtkWidget *view, const char *path, GError **error);
void al_view_export_dialog (GtkWidget *view, const char *default_name, AlViewExportFunc export);

/* Asks "Replace Results?" (with `body` naming what is there) before
 * anything is written into dir; write (view, dir) runs when the user
 * chooses Replace.  Nothing the user made is overwritten unasked. */
typedef void (*AlViewWriteFunc) (GtkWidget *view, const char *dir);
void al_view_ask_replace (GtkWidget *view, const char *dir, const char *body, AlViewWriteFunc write);

/* The audio devices (al_audio_list_devices) listed in a worker: PortAudio
 * probes every host API, which can take a second.  _finish gives a
 * GPtrArray of AlAudioDevice. */
void al_view_list_audio_devices (gpointer source, GAsyncReadyCallback done, gpointer user_data);
GPtrArray *al_view_list_audio_devices_finish (GAsyncResult *result, GError **error);

G_END_DECLS
