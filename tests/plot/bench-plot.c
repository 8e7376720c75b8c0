/* bench-plot.c — frame times of the renderers into an image surface: a
 * curve plot of 25 curves x 4096 points at 1200x800 px (also through a
 * recording surface), and sphere maps
 * of 2000 (and 20000) points at 800x400 px, first frame (which finds the
 * nearest input for every pixel) and later frames.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-plot.h"

#include <math.h>
#include <stdio.h>

typedef void (*Draw) (gpointer object, cairo_t *cr, double w, double h);

static double
frame_ms (Draw draw, gpointer object, int w, int h, int frames)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_t *cr = cairo_create (surface);
  gint64 t0 = g_get_monotonic_time ();
  for (int i = 0; i < frames; i++)
    draw (object, cr, w, h);
  cairo_surface_flush (surface);
  double ms = (g_get_monotonic_time () - t0) / 1000.0 / frames;
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return ms;
}

static void
draw_curve (gpointer object, cairo_t *cr, double w, double h)
{
  al_curve_plot_draw (object, cr, w, h, NULL);
}

/* Through a recording surface, as a GTK 4 snapshot's Cairo node draws:
 * Cairo strokes the curves (no direct rasteriser). */
static void
draw_curve_recorded (gpointer object, cairo_t *cr, double w, double h)
{
  cairo_surface_t *recording = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cairo_t *rc = cairo_create (recording);
  al_curve_plot_draw (object, rc, w, h, NULL);
  cairo_destroy (rc);
  cairo_set_source_surface (cr, recording, 0, 0);
  cairo_paint (cr);
  cairo_surface_destroy (recording);
}

static void
draw_map (gpointer object, cairo_t *cr, double w, double h)
{
  al_sphere_map_draw (object, cr, w, h, NULL);
}

static AlSphereMap *
random_map (int n)
{
  GRand *rand = g_rand_new_with_seed (1);
  double *dirs = g_new (double, 2 * n), *values = g_new (double, n);
  for (int i = 0; i < n; i++)
    {
      dirs[2 * i] = g_rand_double_range (rand, -G_PI, G_PI);
      dirs[2 * i + 1] = asin (g_rand_double_range (rand, -1, 1));
      values[i] = cos (dirs[2 * i]) * cos (dirs[2 * i + 1]);
    }
  AlSphereMap *map = al_sphere_map_new ("Benchmark", "dB", dirs, values, n);
  g_free (dirs);
  g_free (values);
  g_rand_free (rand);
  return map;
}

int
main (void)
{
  enum { NC = 25, NP = 4096 };
  g_autoptr (AlCurvePlot) plot = al_curve_plot_new ("Benchmark", "Frequency (Hz)", "Level (dB)");
  double *x = g_new (double, NP), *y = g_new (double, NP);
  for (int c = 0; c < NC; c++)
    {
      for (int k = 0; k < NP; k++)
        {
          x[k] = 20 * pow (1000.0, (double) k / (NP - 1));
          y[k] = -3 * c + 6 * sin (k * 0.01 + c) + 0.5 * sin (k * 0.9);
        }
      char label[32];
      g_snprintf (label, sizeof label, "Curve %d", c);
      al_curve_plot_add (plot, label, x, y, NP);
    }
  g_free (x);
  g_free (y);
  frame_ms (draw_curve, plot, 1200, 800, 2); /* warm caches (fonts) */
  printf ("curve plot, %d curves x %d points, 1200x800 px: %.2f ms per frame\n",
          NC, NP, frame_ms (draw_curve, plot, 1200, 800, 20));
  printf ("curve plot, same, through a recording surface: %.2f ms per frame\n",
          frame_ms (draw_curve_recorded, plot, 1200, 800, 5));

  static const int sizes[] = { 2000, 20000 };
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (int p = 0; p < 2; p++)
      {
        g_autoptr (AlSphereMap) map = random_map (sizes[s]);
        al_sphere_map_set_projection (map, p ? AL_PROJECTION_HAMMER : AL_PROJECTION_EQUIRECTANGULAR);
        double first = frame_ms (draw_map, map, 800, 400, 1);
        double later = frame_ms (draw_map, map, 800, 400, 20);
        printf ("sphere map, %d points, %s, 800x400 px: first frame %.2f ms, then %.2f ms per frame\n",
                sizes[s], p ? "Hammer" : "equirectangular", first, later);
      }
  return 0;
}
