/* al-wave-view.c — the waveform overview of the Listen view.  The signal
 * is reduced once to WAVE_BINS min/max pairs per channel, so drawing costs
 * the same for a 2-s scene and a 10-minute take; each channel gets a lane,
 * the playhead a line, and a click or drag emits "seek".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "al-wave-view.h"

#define WAVE_BINS 2048

struct _AlWaveView {
  GtkWidget parent_instance;
  int nchannels;
  double duration;  /* s */
  float *lo, *hi;   /* nchannels x WAVE_BINS */
  double *peak;     /* nchannels */
  double position;  /* s */
};

G_DEFINE_FINAL_TYPE (AlWaveView, al_wave_view, GTK_TYPE_WIDGET)

enum { SEEK, N_SIGNALS };
static guint signals[N_SIGNALS];

GtkWidget *
al_wave_view_new (void)
{
  return g_object_new (AL_TYPE_WAVE_VIEW, NULL);
}

void
al_wave_view_set_signal (AlWaveView *self, const float *signal, int nchannels, gsize nframes, double fs)
{
  g_return_if_fail (AL_IS_WAVE_VIEW (self));
  g_clear_pointer (&self->lo, g_free);
  g_clear_pointer (&self->hi, g_free);
  g_clear_pointer (&self->peak, g_free);
  self->nchannels = 0;
  self->duration = 0;
  if (signal != NULL && nchannels > 0 && nframes > 0 && fs > 0)
    {
      self->nchannels = nchannels;
      self->duration = nframes / fs;
      self->lo = g_new (float, (gsize) nchannels * WAVE_BINS);
      self->hi = g_new (float, (gsize) nchannels * WAVE_BINS);
      self->peak = g_new0 (double, nchannels);
      for (int c = 0; c < nchannels; c++)
        for (int b = 0; b < WAVE_BINS; b++)
          {
            const gsize i0 = nframes * b / WAVE_BINS, i1 = MAX (nframes * (b + 1) / WAVE_BINS, i0 + 1);
            float lo = 0, hi = 0;
            for (gsize i = i0; i < i1 && i < nframes; i++)
              {
                const float v = signal[(gsize) c * nframes + i];
                lo = MIN (lo, v);
                hi = MAX (hi, v);
              }
            self->lo[(gsize) c * WAVE_BINS + b] = lo;
            self->hi[(gsize) c * WAVE_BINS + b] = hi;
            self->peak[c] = MAX (self->peak[c], MAX (-lo, hi));
          }
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
al_wave_view_set_position (AlWaveView *self, double seconds)
{
  g_return_if_fail (AL_IS_WAVE_VIEW (self));
  if (seconds == self->position)
    return;
  self->position = seconds;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
al_wave_view_get_peak (AlWaveView *self, int channel)
{
  g_return_val_if_fail (AL_IS_WAVE_VIEW (self), 0);
  return channel >= 0 && channel < self->nchannels ? self->peak[channel] : 0.0;
}

static void
al_wave_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  AlWaveView *self = AL_WAVE_VIEW (widget);
  const int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  if (self->nchannels == 0 || w < 4 || h < 4)
    return;
  GdkRGBA fg;
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  const gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  /* libadwaita's accent blue, lighter on dark backgrounds */
  const double wave[3] = { dark ? 0.47 : 0.21, dark ? 0.68 : 0.52, dark ? 0.98 : 0.89 };
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  const double lane = (double) h / self->nchannels;
  /* One scale for every lane: the channels' levels stay comparable. */
  double peak = 0;
  for (int c = 0; c < self->nchannels; c++)
    peak = MAX (peak, self->peak[c]);
  const double gain = peak > 0 ? 0.45 * lane / peak : 0;
  for (int c = 0; c < self->nchannels; c++)
    {
      const double mid = lane * (c + 0.5);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.15);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, 0, floor (mid) + 0.5);
      cairo_line_to (cr, w, floor (mid) + 0.5);
      cairo_stroke (cr);
      cairo_set_source_rgb (cr, wave[0], wave[1], wave[2]);
      for (int x = 0; x < w; x++)
        {
          const int b0 = (int) ((gint64) x * WAVE_BINS / w), b1 = MAX ((int) ((gint64) (x + 1) * WAVE_BINS / w), b0 + 1);
          float lo = 0, hi = 0;
          for (int b = b0; b < b1 && b < WAVE_BINS; b++)
            {
              lo = MIN (lo, self->lo[(gsize) c * WAVE_BINS + b]);
              hi = MAX (hi, self->hi[(gsize) c * WAVE_BINS + b]);
            }
          const double y0 = mid - hi * gain, y1 = mid - lo * gain;
          cairo_rectangle (cr, x, y0, 1, MAX (y1 - y0, 1));
        }
      cairo_fill (cr);
    }
  const double x = self->duration > 0 ? w * CLAMP (self->position / self->duration, 0, 1) : 0;
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.9);
  cairo_set_line_width (cr, 2);
  cairo_move_to (cr, x, 0);
  cairo_line_to (cr, x, h);
  cairo_stroke (cr);
  cairo_destroy (cr);
}

static void
seek_to (AlWaveView *self, double x)
{
  const int w = gtk_widget_get_width (GTK_WIDGET (self));
  if (self->nchannels == 0 || w <= 0)
    return;
  g_signal_emit (self, signals[SEEK], 0, self->duration * CLAMP (x / w, 0, 1));
}

static void
on_pressed (GtkGestureClick *gesture, int n_press, double x, double y, AlWaveView *self)
{
  seek_to (self, x);
}

static void
on_drag (GtkGestureDrag *gesture, double dx, double dy, AlWaveView *self)
{
  double x0, y0;
  if (gtk_gesture_drag_get_start_point (gesture, &x0, &y0))
    seek_to (self, x0 + dx);
}

static void
al_wave_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum, int *natural,
                      int *minimum_baseline, int *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 200 : 80;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 600 : 160;
}

static void
al_wave_view_finalize (GObject *object)
{
  AlWaveView *self = AL_WAVE_VIEW (object);
  g_signal_handlers_disconnect_by_data (adw_style_manager_get_default (), self);
  g_free (self->lo);
  g_free (self->hi);
  g_free (self->peak);
  G_OBJECT_CLASS (al_wave_view_parent_class)->finalize (object);
}

static void
al_wave_view_init (AlWaveView *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  GtkGesture *drag = gtk_gesture_drag_new ();
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  g_signal_connect_swapped (adw_style_manager_get_default (), "notify::dark", G_CALLBACK (gtk_widget_queue_draw), self);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "pointer");
}

static void
al_wave_view_class_init (AlWaveViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->finalize = al_wave_view_finalize;
  widget_class->snapshot = al_wave_view_snapshot;
  widget_class->measure = al_wave_view_measure;
  gtk_widget_class_set_css_name (widget_class, "waveview");
  signals[SEEK] = g_signal_new ("seek", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                G_TYPE_NONE, 1, G_TYPE_DOUBLE);
}
