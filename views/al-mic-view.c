/* al-mic-view.c — microphone positions in three orthographic views.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "al-mic-view.h"
#include "plot/al-plot.h"

struct _AlMicView {
  GtkWidget parent_instance;
  double *pos;
  int nmics;
  int selected;
  double az, el;
};

G_DEFINE_FINAL_TYPE (AlMicView, al_mic_view, GTK_TYPE_WIDGET)

void
al_mic_view_set_positions (AlMicView *self, const double *pos, int nmics)
{
  g_clear_pointer (&self->pos, g_free);
  self->nmics = pos != NULL ? nmics : 0;
  if (pos != NULL)
    self->pos = g_memdup2 (pos, sizeof (double) * 3 * nmics);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
al_mic_view_set_selected (AlMicView *self, int mic)
{
  self->selected = mic;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
al_mic_view_set_direction (AlMicView *self, double azimuth, double elevation)
{
  self->az = azimuth;
  self->el = elevation;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Screen axes of each view, as seen from outside the array: which cartesian
 * component goes right, which goes up, and which points at the viewer. */
typedef struct {
  const char *title;
  int right, up, depth;
  double right_sign, up_sign, depth_sign;
  const char *right_label, *up_label;
} Projection;

static void
draw_text (cairo_t *cr, PangoLayout *layout, const char *text, double x, double y, double ax, double ay)
{
  int w, h;
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x - ax * w, y - ay * h);
  pango_cairo_show_layout (cr, layout);
  /* show_layout leaves a current point: the next arc would join it. */
  cairo_new_path (cr);
}

static void
draw_panel (AlMicView *self, cairo_t *cr, PangoLayout *layout, const Projection *p, double x0, double y0, double w,
            double h, double radius, gboolean dark)
{
  GdkRGBA fg = dark ? (GdkRGBA) { 0.92, 0.92, 0.92, 1 } : (GdkRGBA) { 0.13, 0.13, 0.15, 1 };
  double cx = x0 + w / 2, cy = y0 + h / 2 + 8;
  double scale = 0.36 * MIN (w, h - 16) / radius;

  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.05);
  cairo_rectangle (cr, x0 + 2, y0 + 2, w - 4, h - 4);
  cairo_fill (cr);
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.85);
  draw_text (cr, layout, p->title, x0 + 8, y0 + 6, 0, 0);

  /* Outline of the sphere the mics sit on and the axes through its centre. */
  cairo_set_line_width (cr, 1);
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.25);
  cairo_arc (cr, cx, cy, radius * scale, 0, 2 * G_PI);
  cairo_stroke (cr);
  double dashes[] = { 3, 3 };
  cairo_set_dash (cr, dashes, 2, 0);
  cairo_move_to (cr, cx - 1.25 * radius * scale, cy);
  cairo_line_to (cr, cx + 1.25 * radius * scale, cy);
  cairo_move_to (cr, cx, cy - 1.25 * radius * scale);
  cairo_line_to (cr, cx, cy + 1.25 * radius * scale);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.6);
  draw_text (cr, layout, p->right_label, cx + 1.25 * radius * scale + 2, cy, 0, 0.5);
  draw_text (cr, layout, p->up_label, cx, cy - 1.25 * radius * scale - 1, 0.5, 1);

  /* The selected direction as a ray from the centre. */
  if (isfinite (self->az) && isfinite (self->el))
    {
      double u[3] = { cos (self->el) * cos (self->az), cos (self->el) * sin (self->az), sin (self->el) };
      double sx = p->right_sign * u[p->right], sy = p->up_sign * u[p->up];
      cairo_set_source_rgba (cr, 0.835, 0.369, 0.0, 0.9);
      cairo_set_line_width (cr, 2);
      cairo_move_to (cr, cx, cy);
      cairo_line_to (cr, cx + sx * 1.2 * radius * scale, cy - sy * 1.2 * radius * scale);
      cairo_stroke (cr);
      cairo_arc (cr, cx + sx * 1.2 * radius * scale, cy - sy * 1.2 * radius * scale, 3, 0, 2 * G_PI);
      cairo_fill (cr);
    }

  /* Mics far from the viewer first and paler. */
  g_autofree int *order = g_new (int, self->nmics);
  for (int m = 0; m < self->nmics; m++)
    order[m] = m;
  for (int a = 1; a < self->nmics; a++)
    for (int b = a; b > 0; b--)
      {
        double db = p->depth_sign * self->pos[3 * order[b] + p->depth];
        double da = p->depth_sign * self->pos[3 * order[b - 1] + p->depth];
        if (db >= da)
          break;
        int t = order[b];
        order[b] = order[b - 1];
        order[b - 1] = t;
      }
  AlPlotStyle style = { .dark = dark };
  for (int k = 0; k < self->nmics; k++)
    {
      int m = order[k];
      const double *q = self->pos + 3 * m;
      double sx = cx + p->right_sign * q[p->right] * scale;
      double sy = cy - p->up_sign * q[p->up] * scale;
      gboolean back = p->depth_sign * q[p->depth] < -0.2 * radius;
      AlRgb c = al_palette_color_for_style (m, &style);
      double r = m == self->selected ? 7.5 : 5.5;
      cairo_arc (cr, sx, sy, r, 0, 2 * G_PI);
      cairo_set_source_rgba (cr, c.r, c.g, c.b, back ? 0.45 : 1.0);
      cairo_fill_preserve (cr);
      cairo_set_line_width (cr, m == self->selected ? 2.5 : 1);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, m == self->selected ? 1 : 0.5);
      cairo_stroke (cr);
      g_autofree char *label = g_strdup_printf ("%d", m + 1);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, back ? 0.55 : 1.0);
      draw_text (cr, layout, label, sx + r + 2, sy - r - 1, 0, 0.6);
    }
}

static void
al_mic_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  AlMicView *self = AL_MIC_VIEW (widget);
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  if (self->nmics == 0 || w <= 0 || h <= 0)
    return;
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, NULL);
  double radius = 1e-3;
  for (int i = 0; i < self->nmics; i++)
    radius = MAX (radius, sqrt (self->pos[3 * i] * self->pos[3 * i] + self->pos[3 * i + 1] * self->pos[3 * i + 1]
                                + self->pos[3 * i + 2] * self->pos[3 * i + 2]));
  /* x front, y left, z up. */
  const Projection views[3] = {
    { _("Top"), 1, 0, 2, -1, 1, 1, "−y", "x" },
    { _("Front"), 1, 2, 0, 1, 1, 1, "y", "z" },
    { _("Left"), 0, 2, 1, -1, 1, 1, "−x", "z" },
  };
  gboolean row = w >= 2 * h;
  for (int i = 0; i < 3; i++)
    {
      double pw = row ? w / 3.0 : w, ph = row ? h : h / 3.0;
      draw_panel (self, cr, layout, &views[i], row ? i * pw : 0, row ? 0 : i * ph, pw, ph, radius, dark);
    }
  g_object_unref (layout);
  cairo_destroy (cr);
}

static void
al_mic_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum, int *natural,
                     int *minimum_baseline, int *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 300 : 120;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 420 : 150;
}

static void
al_mic_view_finalize (GObject *object)
{
  AlMicView *self = AL_MIC_VIEW (object);
  g_signal_handlers_disconnect_by_data (adw_style_manager_get_default (), self);
  g_free (self->pos);
  G_OBJECT_CLASS (al_mic_view_parent_class)->finalize (object);
}

static void
al_mic_view_class_init (AlMicViewClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = al_mic_view_finalize;
  GTK_WIDGET_CLASS (klass)->snapshot = al_mic_view_snapshot;
  GTK_WIDGET_CLASS (klass)->measure = al_mic_view_measure;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "micview");
}

static void
al_mic_view_init (AlMicView *self)
{
  self->selected = -1;
  self->az = self->el = NAN;
  g_signal_connect_swapped (adw_style_manager_get_default (), "notify::dark", G_CALLBACK (gtk_widget_queue_draw), self);
}

GtkWidget *
al_mic_view_new (void)
{
  return g_object_new (AL_TYPE_MIC_VIEW, NULL);
}
