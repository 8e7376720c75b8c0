/* plot-gallery.c — renders one demo figure of each kind into a folder, for
 * looking at: curve plots in light and dark style, a 25-series plot, and a
 * sphere map in both projections with markers.  Not a test.
 *
 *   plot-gallery OUTPUT-FOLDER
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-base.h"
#include "al-plot.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>

#define NF 600

static void
log_frequencies (double *f, int n, double lo, double hi)
{
  for (int k = 0; k < n; k++)
    f[k] = lo * pow (hi / lo, (double) k / (n - 1));
}

/* A spatial-correlation-like curve of SH order n: rises above a
 * low-frequency corner that grows with n, drops above spatial aliasing. */
static double
correlation (double f, int n)
{
  double corner = n == 0 ? 12.0 : 45.0 * pow (3.4, n);
  double low = 1.0 / (1.0 + pow (corner / f, n + 2.0));
  double alias = 1.0 / (1.0 + pow (f / (7500.0 - 900.0 * n), 4.0));
  double wiggle = 1.0 - 0.04 * n * sin (2 * G_PI * log10 (f) * 2.0 + n) / (1.0 + pow (3000.0 / f, 4.0));
  return CLAMP (low * (0.3 + 0.7 * alias) * wiggle, 0.0, 1.0);
}

static AlCurvePlot *
correlation_plot (void)
{
  double f[NF], y[NF];
  log_frequencies (f, NF, 20, 20000);
  AlCurvePlot *plot = al_curve_plot_new ("Spatial correlation, 5-mic glasses array",
                                         "Frequency (Hz)", "Spatial correlation");
  static const char *const labels[] = { "Order 0", "Order 1", "Order 2", "Order 3" };
  for (int n = 0; n < 4; n++)
    {
      for (int k = 0; k < NF; k++)
        y[k] = correlation (f[k], n);
      al_curve_plot_add (plot, labels[n], f, y, NF);
    }
  al_curve_plot_set_y_range (plot, 0.0, 1.05);
  return plot;
}

static AlCurvePlot *
many_series_plot (void)
{
  double f[NF], y[NF];
  log_frequencies (f, NF, 20, 20000);
  AlCurvePlot *plot = al_curve_plot_new ("Level difference per ACN channel",
                                         "Frequency (Hz)", "Level difference (dB)");
  for (int c = 0; c < 25; c++)
    {
      int n = (int) floor (sqrt (c));
      int m = c - n * n - n;
      for (int k = 0; k < NF; k++)
        {
          double lf = log10 (f[k]);
          y[k] = -18.0 * n / (1 + pow (f[k] / (80.0 * pow (2.6, n)), 1.5)) + 1.5 * sin (lf * 4 + c) * (n > 0)
                 + 4.0 * (lf > 3.8) * (lf - 3.8) * (m % 3);
        }
      /* A notch gap, to show that NaN breaks the line. */
      if (c == 3)
        for (int k = 300; k < 320; k++)
          y[k] = NAN;
      char label[64];
      g_snprintf (label, sizeof label, "ACN %d (n=%d, m=%d)", c, n, m);
      al_curve_plot_add (plot, label, f, y, NF);
    }
  al_curve_plot_set_visible (plot, 7, FALSE);
  return plot;
}

static AlSphereMap *
power_map (void)
{
  int n = 6000;
  double *dirs = g_new (double, 2 * n), *values = g_new (double, n);
  double golden = G_PI * (3 - sqrt (5));
  double src[3] = { cos (0.5) * cos (0.6), cos (0.5) * sin (0.6), sin (0.5) };
  double src2[3] = { cos (-0.2) * cos (-2.2), cos (-0.2) * sin (-2.2), sin (-0.2) };
  for (int i = 0; i < n; i++)
    {
      double z = 1 - (2 * i + 1.0) / n, r = sqrt (1 - z * z), phi = golden * i;
      double v[3] = { r * cos (phi), r * sin (phi), z };
      dirs[2 * i] = atan2 (v[1], v[0]);
      dirs[2 * i + 1] = asin (z);
      double c1 = v[0] * src[0] + v[1] * src[1] + v[2] * src[2];
      double c2 = v[0] * src2[0] + v[1] * src2[1] + v[2] * src2[2];
      double p = pow (0.5 + 0.5 * c1, 6) + 0.3 * pow (0.5 + 0.5 * c2, 10) + 0.004;
      values[i] = 10 * log10 (p);
    }
  AlSphereMap *map = al_sphere_map_new ("Spatial power map, 2 kHz", "Power (dB)", dirs, values, n);
  al_sphere_map_set_range (map, -24, 0);
  double mics[10] = {
    AL_DEG2RAD (30), AL_DEG2RAD (10), AL_DEG2RAD (-30), AL_DEG2RAD (10),
    AL_DEG2RAD (90), AL_DEG2RAD (0), AL_DEG2RAD (-90), AL_DEG2RAD (0),
    AL_DEG2RAD (0), AL_DEG2RAD (60),
  };
  static const char *const labels[] = { "M1", "M2", "M3", "M4", "M5" };
  al_sphere_map_add_markers (map, mics, 5, labels);
  g_free (dirs);
  g_free (values);
  return map;
}

/* Also a screen-sized render at 96 dpi, as the GUI draws it. */
static void
screen_png (const char *dir, const char *name, void (*draw) (gpointer, cairo_t *, double, double, const AlPlotStyle *),
            gpointer object, int w, int h, const AlPlotStyle *style)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_t *cr = cairo_create (s);
  draw (object, cr, w, h, style);
  cairo_destroy (cr);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  cairo_surface_write_to_png (s, path);
  cairo_surface_destroy (s);
  printf ("%s\n", path);
}

static void
draw_curve (gpointer o, cairo_t *cr, double w, double h, const AlPlotStyle *s)
{
  al_curve_plot_draw (o, cr, w, h, s);
}

static void
draw_map (gpointer o, cairo_t *cr, double w, double h, const AlPlotStyle *s)
{
  al_sphere_map_draw (o, cr, w, h, s);
}

static gboolean
export (const char *dir, const char *name, AlDrawFunc draw, gpointer object,
        double w, double h, const AlPlotStyle *style)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  if (!al_plot_export (path, w, h, 0, draw, object, style, &error))
    {
      fprintf (stderr, "plot-gallery: %s\n", error->message);
      return FALSE;
    }
  printf ("%s\n", path);
  return TRUE;
}

int
main (int argc, char **argv)
{
  if (argc != 2)
    {
      fprintf (stderr, "usage: plot-gallery OUTPUT-FOLDER\n");
      return 2;
    }
  const char *dir = argv[1];
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      fprintf (stderr, "plot-gallery: %s: cannot create folder\n", dir);
      return 1;
    }
  AlPlotStyle light = { FALSE, 1.0 }, dark = { TRUE, 1.0 };
  gboolean ok = TRUE;

  g_autoptr (AlCurvePlot) corr = correlation_plot ();
  ok &= export (dir, "correlation-light.png", draw_curve, corr, 460, 300, &light);
  ok &= export (dir, "correlation-light.pdf", draw_curve, corr, 460, 300, &light);
  ok &= export (dir, "correlation-light.svg", draw_curve, corr, 460, 300, &light);
  ok &= export (dir, "correlation-dark.png", draw_curve, corr, 460, 300, &dark);
  screen_png (dir, "correlation-screen.png", draw_curve, corr, 900, 560, &light);

  g_autoptr (AlCurvePlot) many = many_series_plot ();
  ok &= export (dir, "channels-25.png", draw_curve, many, 560, 340, &light);
  ok &= export (dir, "channels-25.pdf", draw_curve, many, 560, 340, &light);
  screen_png (dir, "channels-25-screen-dark.png", draw_curve, many, 1100, 640, &dark);

  g_autoptr (AlSphereMap) map = power_map ();
  ok &= export (dir, "map-equirect.png", draw_map, map, 460, 240, &light);
  ok &= export (dir, "map-equirect.pdf", draw_map, map, 460, 240, &light);
  screen_png (dir, "map-equirect-screen.png", draw_map, map, 800, 420, &light);
  al_sphere_map_set_projection (map, AL_PROJECTION_HAMMER);
  ok &= export (dir, "map-hammer.png", draw_map, map, 460, 240, &light);
  ok &= export (dir, "map-hammer.svg", draw_map, map, 460, 240, &light);
  ok &= export (dir, "map-hammer-dark.png", draw_map, map, 460, 240, &dark);
  return ok ? 0 : 1;
}
