/* al-sphere-view.c — sphere maps drawn by core/plot, cached as a render
 * node, with the hover read-out as an overlay.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "al-sphere-view.h"
#include "al-view-util.h"

struct _AlSphereView {
  GtkWidget parent_instance;
  AlSphereMap *map;
  AlProjection projection;
  AlPlotCache cache;
  gboolean hovering;
  double hover_x, hover_y;
  GtkWidget *toolbar;
  GtkWidget *projection_drop;
};

G_DEFINE_FINAL_TYPE (AlSphereView, al_sphere_view, GTK_TYPE_WIDGET)

static void
invalidate (AlSphereView *self)
{
  al_plot_cache_clear (&self->cache);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
al_sphere_view_set_map (AlSphereView *self, AlSphereMap *map)
{
  g_clear_pointer (&self->map, al_sphere_map_free);
  self->map = map;
  if (map != NULL)
    al_sphere_map_set_projection (map, self->projection);
  invalidate (self);
}

AlSphereMap *
al_sphere_view_get_map (AlSphereView *self)
{
  return self->map;
}

void
al_sphere_view_set_projection (AlSphereView *self, AlProjection projection)
{
  self->projection = projection;
  if (self->map != NULL)
    al_sphere_map_set_projection (self->map, projection);
  if (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->projection_drop)) != (guint) projection)
    gtk_drop_down_set_selected (GTK_DROP_DOWN (self->projection_drop), projection);
  invalidate (self);
}

AlProjection
al_sphere_view_get_projection (AlSphereView *self)
{
  return self->projection;
}

char *
al_sphere_view_readout (AlSphereView *self, double x, double y)
{
  double az, el;
  if (self->map == NULL || !al_sphere_map_to_direction (self->map, x, y, &az, &el))
    return NULL;
  double v = al_sphere_map_value_at (self->map, az, el);
  /* Azimuth in (-180, 180], as everywhere on screen. */
  double azd = remainder (az * 180 / G_PI, 360.0);
  return g_strdup_printf (_("az %.1f° · el %.1f° · %.3g"), azd, el * 180 / G_PI, v);
}

gboolean
al_sphere_view_export (AlSphereView *self, const char *path, GError **error)
{
  if (self->map == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("%s: nothing to export"), path);
      return FALSE;
    }
  int w = MAX (gtk_widget_get_width (GTK_WIDGET (self)), 400);
  int h = MAX (gtk_widget_get_height (GTK_WIDGET (self)), 240);
  AlPlotStyle style = { .dark = FALSE, .font_scale = al_view_font_scale () };
  gboolean ok = al_plot_export (path, w * 0.75, h * 0.75, 0, (AlDrawFunc) al_sphere_map_draw, self->map, &style,
                                error);
  invalidate (self);
  return ok;
}

static void
al_sphere_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  AlSphereView *self = AL_SPHERE_VIEW (widget);
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  if (self->map != NULL && w > 0 && h > 0)
    {
      al_plot_cache_update (&self->cache, widget, w, h, (AlViewDrawFunc) al_sphere_map_draw, self->map);
      if (self->cache.node != NULL)
        gtk_snapshot_append_node (snapshot, self->cache.node);
      if (self->hovering)
        {
          g_autofree char *text = al_sphere_view_readout (self, self->hover_x, self->hover_y);
          if (text != NULL)
            al_view_draw_crosshair (widget, snapshot, self->hover_x - 6, self->hover_y - 6, 12, 12, self->hover_x,
                                    self->hover_y, text, self->cache.dark);
        }
    }
  gtk_widget_snapshot_child (widget, self->toolbar, snapshot);
}

static void
al_sphere_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum, int *natural,
                        int *minimum_baseline, int *natural_baseline)
{
  AlSphereView *self = AL_SPHERE_VIEW (widget);
  int cmin = 0, cnat = 0;
  gtk_widget_measure (self->toolbar, orientation, -1, &cmin, &cnat, NULL, NULL);
  *minimum = MAX (orientation == GTK_ORIENTATION_HORIZONTAL ? 240 : 150, cmin);
  *natural = MAX (orientation == GTK_ORIENTATION_HORIZONTAL ? 480 : 280, cnat);
}

static void
al_sphere_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  al_view_allocate_toolbar (AL_SPHERE_VIEW (widget)->toolbar, width, height);
}

static void
on_motion (GtkEventControllerMotion *c, double x, double y, AlSphereView *self)
{
  self->hovering = TRUE;
  self->hover_x = x;
  self->hover_y = y;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_leave (GtkEventControllerMotion *c, AlSphereView *self)
{
  self->hovering = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_projection (GtkDropDown *drop, GParamSpec *pspec, AlSphereView *self)
{
  guint sel = gtk_drop_down_get_selected (drop);
  if (sel != GTK_INVALID_LIST_POSITION && sel != (guint) self->projection)
    al_sphere_view_set_projection (self, (AlProjection) sel);
}

static gboolean
export_to (GtkWidget *view, const char *path, GError **error)
{
  return al_sphere_view_export (AL_SPHERE_VIEW (view), path, error);
}

static void
export_clicked (GtkWidget *widget, const char *action, GVariant *param)
{
  al_view_export_dialog (widget, "sphere-map.pdf", export_to);
}

static void
on_dark_changed (AlSphereView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
al_sphere_view_dispose (GObject *object)
{
  AlSphereView *self = AL_SPHERE_VIEW (object);
  g_clear_pointer (&self->toolbar, gtk_widget_unparent);
  G_OBJECT_CLASS (al_sphere_view_parent_class)->dispose (object);
}

static void
al_sphere_view_finalize (GObject *object)
{
  AlSphereView *self = AL_SPHERE_VIEW (object);
  g_signal_handlers_disconnect_by_data (adw_style_manager_get_default (), self);
  al_plot_cache_clear (&self->cache);
  g_clear_pointer (&self->map, al_sphere_map_free);
  G_OBJECT_CLASS (al_sphere_view_parent_class)->finalize (object);
}

static void
al_sphere_view_class_init (AlSphereViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->dispose = al_sphere_view_dispose;
  object_class->finalize = al_sphere_view_finalize;
  widget_class->snapshot = al_sphere_view_snapshot;
  widget_class->measure = al_sphere_view_measure;
  widget_class->size_allocate = al_sphere_view_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "sphereview");
  gtk_widget_class_install_action (widget_class, "sphere.export", NULL, export_clicked);
}

static void
al_sphere_view_init (AlSphereView *self)
{
  self->projection = AL_PROJECTION_HAMMER;
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  const char *names[] = { _("Equirectangular"), _("Hammer"), NULL };
  self->projection_drop = gtk_drop_down_new_from_strings (names);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->projection_drop), self->projection);
  gtk_widget_set_tooltip_text (self->projection_drop, _("Projection"));
  g_signal_connect (self->projection_drop, "notify::selected", G_CALLBACK (on_projection), self);
  self->toolbar = al_view_toolbar_new (self->projection_drop, NULL, "sphere.export");
  gtk_widget_set_parent (self->toolbar, GTK_WIDGET (self));

  GtkEventController *motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "enter", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  g_signal_connect_swapped (adw_style_manager_get_default (), "notify::dark", G_CALLBACK (on_dark_changed), self);
}

GtkWidget *
al_sphere_view_new (void)
{
  return g_object_new (AL_TYPE_SPHERE_VIEW, NULL);
}
