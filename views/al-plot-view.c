/* al-plot-view.c — curves drawn by core/plot, cached as a render node;
 * hover marks are an overlay on top of the cached node.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "al-plot-view.h"
#include "al-view-util.h"

struct _AlPlotView {
  GtkWidget parent_instance;

  AlCurvePlot *plot;
  GPtrArray *labels;    /* char* */
  GHashTable *hidden;   /* labels hidden by the user */
  double home[4];       /* x lo, x hi, y lo, y hi */
  gboolean zoomed_x, zoomed_y;
  double zoom[4];

  AlPlotCache cache;
  guint render_count;

  gboolean hovering;
  double hover_x, hover_y;
  double drag_view[4];
  gboolean drag_log_x;

  double figure_w, figure_h; /* exported size, points */

  GtkWidget *toolbar;
  GtkWidget *legend_button;
  GtkWidget *legend_box;
};

G_DEFINE_FINAL_TYPE (AlPlotView, al_plot_view, GTK_TYPE_WIDGET)

static void
invalidate (AlPlotView *self)
{
  al_plot_cache_clear (&self->cache);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
apply_ranges (AlPlotView *self)
{
  if (self->plot == NULL)
    return;
  if (self->zoomed_x)
    al_curve_plot_set_x_range (self->plot, self->zoom[0], self->zoom[1]);
  else
    al_curve_plot_set_x_range (self->plot, self->home[0], self->home[1]);
  if (self->zoomed_y)
    al_curve_plot_set_y_range (self->plot, self->zoom[2], self->zoom[3]);
  else
    al_curve_plot_set_y_range (self->plot, self->home[2], self->home[3]);
}

gboolean
al_plot_view_get_view (AlPlotView *self, double *x_lo, double *x_hi, double *y_lo, double *y_hi)
{
  double ax, ay, aw, ah, x0, x1, y0, y1;
  if (self->plot == NULL || !al_curve_plot_get_area (self->plot, &ax, &ay, &aw, &ah))
    return FALSE;
  if (!al_curve_plot_to_data (self->plot, ax, ay + ah, &x0, &y0) || !al_curve_plot_to_data (self->plot, ax + aw, ay, &x1, &y1))
    return FALSE;
  *x_lo = x0;
  *x_hi = x1;
  *y_lo = y0;
  *y_hi = y1;
  return TRUE;
}

/* The core plot keeps its axis kind private: a log axis maps the middle of
 * the area to the geometric mean of its ends. */
static gboolean
view_is_log_x (AlPlotView *self, const double v[4])
{
  double ax, ay, aw, ah, xm, ym;
  if (v[0] <= 0 || !al_curve_plot_get_area (self->plot, &ax, &ay, &aw, &ah)
      || !al_curve_plot_to_data (self->plot, ax + aw / 2, ay, &xm, &ym))
    return FALSE;
  return fabs (xm - sqrt (v[0] * v[1])) < fabs (xm - 0.5 * (v[0] + v[1]));
}

static void
zoom_about (AlPlotView *self, double factor, double cx, double cy, gboolean zx, gboolean zy)
{
  double v[4];
  if (!al_plot_view_get_view (self, &v[0], &v[1], &v[2], &v[3]))
    return;
  if (zx)
    {
      if (view_is_log_x (self, v) && cx > 0)
        {
          self->zoom[0] = cx * pow (v[0] / cx, factor);
          self->zoom[1] = cx * pow (v[1] / cx, factor);
        }
      else
        {
          self->zoom[0] = cx + (v[0] - cx) * factor;
          self->zoom[1] = cx + (v[1] - cx) * factor;
        }
      self->zoomed_x = TRUE;
    }
  if (zy)
    {
      self->zoom[2] = cy + (v[2] - cy) * factor;
      self->zoom[3] = cy + (v[3] - cy) * factor;
      self->zoomed_y = TRUE;
    }
  apply_ranges (self);
  invalidate (self);
}

void
al_plot_view_zoom (AlPlotView *self, double factor, gboolean x_axis, gboolean y_axis)
{
  double v[4];
  if (!al_plot_view_get_view (self, &v[0], &v[1], &v[2], &v[3]))
    return;
  double cx = view_is_log_x (self, v) ? sqrt (v[0] * v[1]) : 0.5 * (v[0] + v[1]);
  zoom_about (self, factor, cx, 0.5 * (v[2] + v[3]), x_axis, y_axis);
}

void
al_plot_view_reset_zoom (AlPlotView *self)
{
  self->zoomed_x = self->zoomed_y = FALSE;
  apply_ranges (self);
  invalidate (self);
}

void
al_plot_view_set_home (AlPlotView *self, double x_lo, double x_hi, double y_lo, double y_hi)
{
  self->home[0] = x_lo;
  self->home[1] = x_hi;
  self->home[2] = y_lo;
  self->home[3] = y_hi;
  apply_ranges (self);
  invalidate (self);
}

static void
on_toggle (GtkCheckButton *button, AlPlotView *self)
{
  const char *label = g_object_get_data (G_OBJECT (button), "al-label");
  al_plot_view_set_series_visible (self, label, gtk_check_button_get_active (button));
}

static gboolean
same_labels (GPtrArray *a, const char *const *b)
{
  guint n = b != NULL ? g_strv_length ((char **) b) : 0;
  if (a->len != n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (g_ptr_array_index (a, i), b[i]) != 0)
      return FALSE;
  return TRUE;
}

/* One toggle per distinct, non-empty label: series that share a label
 * (all orders of one kept design) are shown and hidden together. */
static void
rebuild_legend (AlPlotView *self)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (self->legend_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->legend_box), child);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < self->labels->len; i++)
    {
      const char *label = g_ptr_array_index (self->labels, i);
      if (*label == '\0' || !g_hash_table_add (seen, (gpointer) label))
        continue;
      GtkWidget *check = gtk_check_button_new_with_label (label);
      g_object_set_data_full (G_OBJECT (check), "al-label", g_strdup (label), g_free);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), !g_hash_table_contains (self->hidden, label));
      g_signal_connect (check, "toggled", G_CALLBACK (on_toggle), self);
      gtk_box_append (GTK_BOX (self->legend_box), check);
    }
  gtk_widget_set_visible (self->legend_button, g_hash_table_size (seen) > 1);
}

void
al_plot_view_set_plot (AlPlotView *self, AlCurvePlot *plot, const char *const *labels)
{
  g_clear_pointer (&self->plot, al_curve_plot_free);
  self->plot = plot;
  if (!same_labels (self->labels, labels))
    {
      g_ptr_array_set_size (self->labels, 0);
      for (guint i = 0; labels != NULL && labels[i]; i++)
        g_ptr_array_add (self->labels, g_strdup (labels[i]));
      rebuild_legend (self);
    }
  if (plot != NULL)
    for (guint i = 0; i < self->labels->len && (int) i < al_curve_plot_n_series (plot); i++)
      if (g_hash_table_contains (self->hidden, g_ptr_array_index (self->labels, i)))
        al_curve_plot_set_visible (plot, (int) i, FALSE);
  apply_ranges (self);
  invalidate (self);
}

AlCurvePlot *
al_plot_view_get_plot (AlPlotView *self)
{
  return self->plot;
}

const char *
al_plot_view_get_label (AlPlotView *self, guint series)
{
  return series < self->labels->len ? g_ptr_array_index (self->labels, series) : NULL;
}

void
al_plot_view_set_figure_size (AlPlotView *self, double width, double height)
{
  self->figure_w = width;
  self->figure_h = height;
}

void
al_plot_view_get_figure_size (AlPlotView *self, double *width, double *height)
{
  *width = self->figure_w;
  *height = self->figure_h;
}

void
al_plot_view_set_series_visible (AlPlotView *self, const char *label, gboolean visible)
{
  if (visible)
    g_hash_table_remove (self->hidden, label);
  else
    g_hash_table_add (self->hidden, g_strdup (label));
  for (guint i = 0; self->plot != NULL && i < self->labels->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->labels, i), label) == 0)
      al_curve_plot_set_visible (self->plot, (int) i, visible);
  invalidate (self);
}

char *
al_plot_view_readout (AlPlotView *self, double x, double y)
{
  double ax, ay, aw, ah, dx, dy;
  if (self->plot == NULL || !al_curve_plot_get_area (self->plot, &ax, &ay, &aw, &ah) || x < ax || x > ax + aw
      || y < ay || y > ay + ah || !al_curve_plot_to_data (self->plot, x, y, &dx, &dy))
    return NULL;
  double v[4];
  gboolean log_x = al_plot_view_get_view (self, &v[0], &v[1], &v[2], &v[3]) && view_is_log_x (self, v);
  g_autofree char *xs = log_x ? al_format_frequency (dx) : g_strdup_printf ("%.4g", dx);
  return g_strdup_printf ("%s  ·  %.4g", xs, dy);
}

guint
al_plot_view_get_render_count (AlPlotView *self)
{
  return self->render_count;
}

gboolean
al_plot_view_export (AlPlotView *self, const char *path, GError **error)
{
  if (self->plot == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("%s: nothing to export"), path);
      return FALSE;
    }
  /* A figure for a paper, not a screen grab: the figure size and the
   * default print style of core/plot, as ambilab-cli writes its figures,
   * so the same data give the same picture from both. */
  AlPlotStyle style = { .dark = FALSE, .font_scale = 1.0 };
  gboolean ok = al_plot_export (path, self->figure_w, self->figure_h, 0, (AlDrawFunc) al_curve_plot_draw, self->plot,
                                &style, error);
  /* The export moved the plot's pixel mapping: draw again for the screen. */
  invalidate (self);
  return ok;
}

/* ---- drawing ---- */

static void
al_plot_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  AlPlotView *self = AL_PLOT_VIEW (widget);
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  if (self->plot != NULL && w > 0 && h > 0)
    {
      if (al_plot_cache_update (&self->cache, widget, w, h, (AlViewDrawFunc) al_curve_plot_draw, self->plot))
        self->render_count++;
      if (self->cache.node != NULL)
        gtk_snapshot_append_node (snapshot, self->cache.node);

      double ax, ay, aw, ah;
      if (self->hovering && al_curve_plot_get_area (self->plot, &ax, &ay, &aw, &ah))
        {
          g_autofree char *text = al_plot_view_readout (self, self->hover_x, self->hover_y);
          if (text != NULL)
            al_view_draw_crosshair (widget, snapshot, ax, ay, aw, ah, self->hover_x, self->hover_y, text, self->cache.dark);
        }
    }
  gtk_widget_snapshot_child (widget, self->toolbar, snapshot);
}

static void
al_plot_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum, int *natural,
                      int *minimum_baseline, int *natural_baseline)
{
  AlPlotView *self = AL_PLOT_VIEW (widget);
  int cmin = 0, cnat = 0;
  gtk_widget_measure (self->toolbar, orientation, -1, &cmin, &cnat, NULL, NULL);
  *minimum = MAX (orientation == GTK_ORIENTATION_HORIZONTAL ? 240 : 160, cmin);
  *natural = MAX (orientation == GTK_ORIENTATION_HORIZONTAL ? 480 : 300, cnat);
}

static void
al_plot_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  AlPlotView *self = AL_PLOT_VIEW (widget);
  al_view_allocate_toolbar (self->toolbar, width, height);
}

/* ---- input ---- */

static void
on_motion (GtkEventControllerMotion *c, double x, double y, AlPlotView *self)
{
  self->hovering = TRUE;
  self->hover_x = x;
  self->hover_y = y;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_leave (GtkEventControllerMotion *c, AlPlotView *self)
{
  self->hovering = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
on_scroll (GtkEventControllerScroll *c, double dx, double dy, AlPlotView *self)
{
  double cx, cy;
  if (self->plot == NULL || !self->hovering || !al_curve_plot_to_data (self->plot, self->hover_x, self->hover_y, &cx, &cy))
    return FALSE;
  GdkModifierType mods = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (c));
  gboolean y_only = (mods & GDK_CONTROL_MASK) != 0;
  zoom_about (self, pow (1.15, dy), cx, cy, !y_only, y_only);
  return TRUE;
}

static void
on_drag_begin (GtkGestureDrag *g, double x, double y, AlPlotView *self)
{
  if (!al_plot_view_get_view (self, &self->drag_view[0], &self->drag_view[1], &self->drag_view[2], &self->drag_view[3]))
    {
      gtk_gesture_set_state (GTK_GESTURE (g), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  self->drag_log_x = view_is_log_x (self, self->drag_view);
}

static void
on_drag_update (GtkGestureDrag *g, double ox, double oy, AlPlotView *self)
{
  double ax, ay, aw, ah;
  const double *v = self->drag_view;
  if (!al_curve_plot_get_area (self->plot, &ax, &ay, &aw, &ah) || aw <= 0 || ah <= 0)
    return;
  if (self->drag_log_x)
    {
      double k = pow (v[1] / v[0], -ox / aw);
      self->zoom[0] = v[0] * k;
      self->zoom[1] = v[1] * k;
    }
  else
    {
      double d = -ox / aw * (v[1] - v[0]);
      self->zoom[0] = v[0] + d;
      self->zoom[1] = v[1] + d;
    }
  double d = oy / ah * (v[3] - v[2]);
  self->zoom[2] = v[2] + d;
  self->zoom[3] = v[3] + d;
  self->zoomed_x = self->zoomed_y = TRUE;
  apply_ranges (self);
  invalidate (self);
}

static void
on_click (GtkGestureClick *g, int n_press, double x, double y, AlPlotView *self)
{
  if (n_press == 2)
    al_plot_view_reset_zoom (self);
}

static gboolean
export_to (GtkWidget *view, const char *path, GError **error)
{
  return al_plot_view_export (AL_PLOT_VIEW (view), path, error);
}

static void
export_clicked (GtkWidget *widget, const char *action, GVariant *param)
{
  al_view_export_dialog (widget, "figure.pdf", export_to);
}

static void
reset_clicked (GtkWidget *widget, const char *action, GVariant *param)
{
  al_plot_view_reset_zoom (AL_PLOT_VIEW (widget));
}

static void
on_dark_changed (AlPlotView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
al_plot_view_dispose (GObject *object)
{
  AlPlotView *self = AL_PLOT_VIEW (object);
  g_clear_pointer (&self->toolbar, gtk_widget_unparent);
  G_OBJECT_CLASS (al_plot_view_parent_class)->dispose (object);
}

static void
al_plot_view_finalize (GObject *object)
{
  AlPlotView *self = AL_PLOT_VIEW (object);
  g_signal_handlers_disconnect_by_data (adw_style_manager_get_default (), self);
  al_plot_cache_clear (&self->cache);
  g_clear_pointer (&self->plot, al_curve_plot_free);
  g_ptr_array_unref (self->labels);
  g_hash_table_unref (self->hidden);
  G_OBJECT_CLASS (al_plot_view_parent_class)->finalize (object);
}

static void
al_plot_view_class_init (AlPlotViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->dispose = al_plot_view_dispose;
  object_class->finalize = al_plot_view_finalize;
  widget_class->snapshot = al_plot_view_snapshot;
  widget_class->measure = al_plot_view_measure;
  widget_class->size_allocate = al_plot_view_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "plotview");
  gtk_widget_class_install_action (widget_class, "plot.export", NULL, export_clicked);
  gtk_widget_class_install_action (widget_class, "plot.reset-zoom", NULL, reset_clicked);
}

static void
al_plot_view_init (AlPlotView *self)
{
  self->labels = g_ptr_array_new_with_free_func (g_free);
  self->hidden = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->figure_w = AL_PLOT_VIEW_FIGURE_WIDTH;
  self->figure_h = AL_PLOT_VIEW_FIGURE_HEIGHT;
  gtk_widget_set_focusable (GTK_WIDGET (self), FALSE);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);

  self->legend_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (popover), self->legend_box);
  self->legend_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (self->legend_button), "view-list-bullet-symbolic");
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->legend_button), popover);
  gtk_widget_set_tooltip_text (self->legend_button, _("Show or hide curves"));
  gtk_widget_set_visible (self->legend_button, FALSE);
  self->toolbar = al_view_toolbar_new (self->legend_button, "plot.reset-zoom", "plot.export");
  gtk_widget_set_parent (self->toolbar, GTK_WIDGET (self));

  GtkEventController *motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "enter", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
  GtkGesture *drag = gtk_gesture_drag_new ();
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  GtkGesture *click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (on_click), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect_swapped (adw_style_manager_get_default (), "notify::dark", G_CALLBACK (on_dark_changed), self);
}

GtkWidget *
al_plot_view_new (void)
{
  return g_object_new (AL_TYPE_PLOT_VIEW, NULL);
}
