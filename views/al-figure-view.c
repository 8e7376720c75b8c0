/* al-figure-view.c — a core/plot figure drawn at the widget's size (kept
 * at the figure's aspect ratio), cached as a render node until the figure,
 * size, style or text scale change.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "al-figure-view.h"
#include "al-view-util.h"

struct _AlFigureView {
  GtkWidget parent_instance;
  gpointer figure;
  AlDrawFunc draw;
  GDestroyNotify free_func;
  double fig_w, fig_h;
  char *export_name;
  AlPlotCache cache;
  guint render_count;
  GtkWidget *toolbar;
};

G_DEFINE_FINAL_TYPE (AlFigureView, al_figure_view, GTK_TYPE_WIDGET)

static void
invalidate (AlFigureView *self)
{
  al_plot_cache_clear (&self->cache);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
clear_figure (AlFigureView *self)
{
  if (self->figure != NULL && self->free_func != NULL)
    self->free_func (self->figure);
  self->figure = NULL;
  self->draw = NULL;
  self->free_func = NULL;
}

void
al_figure_view_set_figure (AlFigureView *self, gpointer figure, AlDrawFunc draw, GDestroyNotify free_func,
                           double width, double height)
{
  g_return_if_fail (AL_IS_FIGURE_VIEW (self));
  clear_figure (self);
  self->figure = figure;
  self->draw = draw;
  self->free_func = free_func;
  self->fig_w = width > 0 ? width : 480;
  self->fig_h = height > 0 ? height : 300;
  gtk_widget_set_visible (self->toolbar, figure != NULL);
  invalidate (self);
}

gpointer
al_figure_view_get_figure (AlFigureView *self)
{
  return self->figure;
}

void
al_figure_view_set_export_name (AlFigureView *self, const char *name)
{
  g_free (self->export_name);
  self->export_name = g_strdup (name);
}

guint
al_figure_view_get_render_count (AlFigureView *self)
{
  return self->render_count;
}

gboolean
al_figure_view_export (AlFigureView *self, const char *path, GError **error)
{
  if (self->figure == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("%s: nothing to export"), path);
      return FALSE;
    }
  /* The print style at text scale 1: the picture ambilab-cli writes. */
  AlPlotStyle style = { .dark = FALSE, .font_scale = 1.0 };
  gboolean ok = al_plot_export (path, self->fig_w, self->fig_h, 0, self->draw, self->figure, &style, error);
  /* Renderers remember their last draw's geometry: draw the screen again. */
  invalidate (self);
  return ok;
}

/* The largest rectangle of the figure's aspect ratio inside w x h, centred. */
static void
fit_rect (AlFigureView *self, int w, int h, int *x, int *y, int *fw, int *fh)
{
  double aspect = self->fig_w / self->fig_h;
  *fw = w;
  *fh = (int) floor (w / aspect);
  if (*fh > h)
    {
      *fh = h;
      *fw = (int) floor (h * aspect);
    }
  *x = (w - *fw) / 2;
  *y = (h - *fh) / 2;
}

static void
al_figure_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  AlFigureView *self = AL_FIGURE_VIEW (widget);
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  if (self->figure != NULL && w > 8 && h > 8)
    {
      int x, y, fw, fh;
      fit_rect (self, w, h, &x, &y, &fw, &fh);
      if (al_plot_cache_update (&self->cache, widget, fw, fh, (AlViewDrawFunc) self->draw, self->figure))
        self->render_count++;
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
      gtk_snapshot_append_node (snapshot, self->cache.node);
      gtk_snapshot_restore (snapshot);
    }
  gtk_widget_snapshot_child (widget, self->toolbar, snapshot);
}

static void
al_figure_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum, int *natural,
                        int *minimum_baseline, int *natural_baseline)
{
  AlFigureView *self = AL_FIGURE_VIEW (widget);
  int cmin = 0, cnat = 0;
  gtk_widget_measure (self->toolbar, orientation, -1, &cmin, &cnat, NULL, NULL);
  *minimum = MAX (orientation == GTK_ORIENTATION_HORIZONTAL ? 200 : 150, cmin);
  *natural = MAX (orientation == GTK_ORIENTATION_HORIZONTAL ? 480 : 300, cnat);
}

static void
al_figure_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  al_view_allocate_toolbar (AL_FIGURE_VIEW (widget)->toolbar, width, height);
}

static gboolean
export_to (GtkWidget *view, const char *path, GError **error)
{
  return al_figure_view_export (AL_FIGURE_VIEW (view), path, error);
}

static void
export_action (GtkWidget *widget, const char *action, GVariant *param)
{
  AlFigureView *self = AL_FIGURE_VIEW (widget);
  g_autofree char *name = g_strconcat (self->export_name != NULL ? self->export_name : "figure", ".pdf", NULL);
  al_view_export_dialog (widget, name, export_to);
}

static void
on_dark_changed (AlFigureView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
al_figure_view_dispose (GObject *object)
{
  AlFigureView *self = AL_FIGURE_VIEW (object);
  g_clear_pointer (&self->toolbar, gtk_widget_unparent);
  G_OBJECT_CLASS (al_figure_view_parent_class)->dispose (object);
}

static void
al_figure_view_finalize (GObject *object)
{
  AlFigureView *self = AL_FIGURE_VIEW (object);
  g_signal_handlers_disconnect_by_data (adw_style_manager_get_default (), self);
  al_plot_cache_clear (&self->cache);
  clear_figure (self);
  g_free (self->export_name);
  G_OBJECT_CLASS (al_figure_view_parent_class)->finalize (object);
}

static void
al_figure_view_class_init (AlFigureViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->dispose = al_figure_view_dispose;
  object_class->finalize = al_figure_view_finalize;
  widget_class->snapshot = al_figure_view_snapshot;
  widget_class->measure = al_figure_view_measure;
  widget_class->size_allocate = al_figure_view_size_allocate;
  /* Styled like the other plots (card padding, toolbar on hover). */
  gtk_widget_class_set_css_name (widget_class, "plotview");
  gtk_widget_class_install_action (widget_class, "figure.export", NULL, export_action);
}

static void
al_figure_view_init (AlFigureView *self)
{
  self->fig_w = 480;
  self->fig_h = 300;
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  self->toolbar = al_view_toolbar_new (NULL, NULL, "figure.export");
  gtk_widget_set_visible (self->toolbar, FALSE);
  gtk_widget_set_parent (self->toolbar, GTK_WIDGET (self));
  g_signal_connect_swapped (adw_style_manager_get_default (), "notify::dark", G_CALLBACK (on_dark_changed), self);
}

GtkWidget *
al_figure_view_new (void)
{
  return g_object_new (AL_TYPE_FIGURE_VIEW, NULL);
}
