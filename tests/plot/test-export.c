/* test-export.c — figure export: PNG pixel size from width, height and dpi
 * (read from the file's IHDR), PDF/SVG headers and page sizes, layout in
 * points, errors for unknown suffixes and unwritable paths, atomic writes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-base.h"
#include "al-plot.h"
#include "plot-test-util.h"

#include <string.h>

static AlCurvePlot *
demo_plot (void)
{
  AlCurvePlot *plot = al_curve_plot_new ("Demo", "Frequency (Hz)", "Level (dB)");
  double x[64], y[64];
  for (int k = 0; k < 64; k++)
    {
      x[k] = 20 * pow (1000.0, k / 63.0);
      y[k] = -6 * log10 (x[k] / 20);
    }
  al_curve_plot_add (plot, "a", x, y, 64);
  return plot;
}

static char *
read_all (const char *path, gsize *len)
{
  char *data = NULL;
  GError *error = NULL;
  g_file_get_contents (path, &data, len, &error);
  g_assert_no_error (error);
  return data;
}

/* Whether needle occurs in the first len bytes of data (which may hold NULs). */
static gboolean
contains (const char *data, gsize len, const char *needle)
{
  gsize n = strlen (needle);
  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* Width and height from the PNG's IHDR chunk (big-endian, bytes 16-23). */
static void
png_size (const char *path, guint32 *w, guint32 *h)
{
  gsize len;
  g_autofree char *data = read_all (path, &len);
  g_assert_cmpuint (len, >, 24);
  const guchar *b = (const guchar *) data;
  g_assert_cmpmem (b, 8, "\x89PNG\r\n\x1a\n", 8);
  g_assert_cmpmem (b + 12, 4, "IHDR", 4);
  *w = (guint32) b[16] << 24 | (guint32) b[17] << 16 | (guint32) b[18] << 8 | b[19];
  *h = (guint32) b[20] << 24 | (guint32) b[21] << 16 | (guint32) b[22] << 8 | b[23];
}

static void
draw_curve (gpointer object, cairo_t *cr, double w, double h, const AlPlotStyle *style)
{
  al_curve_plot_draw (object, cr, w, h, style);
}

/* Only the target file may be left in the folder. */
static void
assert_only_files (const char *dir, const char *const *names)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  const char *name;
  guint n = 0;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_assert_true (g_strv_contains (names, name));
      n++;
    }
  g_dir_close (d);
  g_assert_cmpuint (n, ==, g_strv_length ((char **) names));
}

static void
test_png_size (void)
{
  g_autofree char *dir = test_make_tmp_dir ();
  g_autoptr (AlCurvePlot) plot = demo_plot ();
  g_autofree char *a = g_build_filename (dir, "a.png", NULL);
  g_autofree char *b = g_build_filename (dir, "b.PNG", NULL);
  g_autoptr (GError) error = NULL;
  guint32 w, h;

  g_assert_true (al_plot_export (a, 400, 300, 144, draw_curve, plot, NULL, &error));
  g_assert_no_error (error);
  png_size (a, &w, &h);
  g_assert_cmpuint (w, ==, 800);   /* 400 pt * 144 / 72 */
  g_assert_cmpuint (h, ==, 600);
  /* the mapping of that draw is in points */
  double ax, ay, aw, ah;
  g_assert_true (al_curve_plot_get_area (plot, &ax, &ay, &aw, &ah));
  g_assert_cmpfloat (ax + aw, <=, 400);
  g_assert_cmpfloat (ay + ah, <=, 300);

  /* default: 150 dpi; 320 pt -> 666.67 px rounds to 667; overwrites */
  g_assert_true (al_curve_plot_export (plot, a, 480, 320, &error));
  g_assert_no_error (error);
  png_size (a, &w, &h);
  g_assert_cmpuint (w, ==, 1000);
  g_assert_cmpuint (h, ==, 667);

  /* suffixes are case-insensitive; a sphere map exports the same way */
  double dirs[] = { 0, 0, G_PI, 0 }, values[] = { 0, 1 };
  g_autoptr (AlSphereMap) map = al_sphere_map_new ("m", "dB", dirs, values, 2);
  g_assert_true (al_sphere_map_export (map, b, 360, 180, &error));
  g_assert_no_error (error);
  png_size (b, &w, &h);
  g_assert_cmpuint (w, ==, 750);
  g_assert_cmpuint (h, ==, 375);

  const char *const names[] = { "a.png", "b.PNG", NULL };
  assert_only_files (dir, names);
  test_remove_dir (dir);
}

static void
test_vector_files (void)
{
  g_autofree char *dir = test_make_tmp_dir ();
  g_autoptr (AlCurvePlot) plot = demo_plot ();
  g_autofree char *pdf = g_build_filename (dir, "f.pdf", NULL);
  g_autofree char *svg = g_build_filename (dir, "f.svg", NULL);
  g_autoptr (GError) error = NULL;
  gsize len;

  g_assert_true (al_plot_export (pdf, 400, 250, 0, draw_curve, plot, NULL, &error));
  g_assert_no_error (error);
  g_autofree char *p = read_all (pdf, &len);
  g_assert_cmpuint (len, >, 2000);
  g_assert_cmpmem (p, 5, "%PDF-", 5);
  g_assert_true (contains (p, len, "/MediaBox [ 0 0 400 250 ]"));

  g_assert_true (al_plot_export (svg, 400, 250, 0, draw_curve, plot, NULL, &error));
  g_assert_no_error (error);
  g_autofree char *s = read_all (svg, &len);
  g_assert_cmpuint (len, >, 2000);
  g_assert_cmpmem (s, 5, "<?xml", 5);
  g_assert_true (contains (s, len, "<svg"));
  g_assert_true (contains (s, len, "width=\"400pt\""));
  g_assert_true (contains (s, len, "height=\"250pt\""));

  const char *const names[] = { "f.pdf", "f.svg", NULL };
  assert_only_files (dir, names);
  test_remove_dir (dir);
}

static double units_seen;

static void
record_units (gpointer object, cairo_t *cr, double w, double h, const AlPlotStyle *style)
{
  units_seen = al_plot_units_per_point (cr);
}

static void
test_units (void)
{
  g_autofree char *dir = test_make_tmp_dir ();
  g_autofree char *png = g_build_filename (dir, "u.png", NULL);
  g_autoptr (GError) error = NULL;
  /* inside an export, 1 user unit = 1 pt (the PNG's scale is dpi / 72) */
  g_assert_true (al_plot_export (png, 100, 100, 300, record_units, NULL, NULL, &error));
  g_assert_cmpfloat (units_seen, ==, 1.0);
  /* on a plain surface (screen), 96 dpi: 4/3 px per pt */
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 10, 10);
  cairo_t *cr = cairo_create (surface);
  record_units (NULL, cr, 10, 10, NULL);
  g_assert_cmpfloat (fabs (units_seen - 4.0 / 3.0), <, 1e-12);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  test_remove_dir (dir);
}

static void
test_errors (void)
{
  g_autofree char *dir = test_make_tmp_dir ();
  g_autoptr (AlCurvePlot) plot = demo_plot ();
  GError *error = NULL;

  g_autofree char *jpg = g_build_filename (dir, "figure.jpg", NULL);
  g_assert_false (al_curve_plot_export (plot, jpg, 400, 300, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, ".jpg"));
  g_clear_error (&error);

  g_autofree char *bare = g_build_filename (dir, "figure", NULL);
  g_assert_false (al_curve_plot_export (plot, bare, 400, 300, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, bare));
  g_clear_error (&error);

  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "figure.png", NULL);
  g_assert_false (al_curve_plot_export (plot, missing, 400, 300, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_IO);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);
  g_autofree char *missing_pdf = g_build_filename (dir, "no-such-folder", "figure.pdf", NULL);
  g_assert_false (al_curve_plot_export (plot, missing_pdf, 400, 300, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_IO);
  g_assert_nonnull (strstr (error->message, missing_pdf));
  g_clear_error (&error);

  g_autofree char *png = g_build_filename (dir, "figure.png", NULL);
  g_assert_false (al_curve_plot_export (plot, png, 0, 300, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (al_plot_export (png, 4000, 300, 1200, draw_curve, plot, NULL, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, png));
  g_clear_error (&error);

  /* nothing was created, not even temporary files */
  const char *const none[] = { NULL };
  assert_only_files (dir, none);
  test_remove_dir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plot/export/png-size", test_png_size);
  g_test_add_func ("/plot/export/vector", test_vector_files);
  g_test_add_func ("/plot/export/units", test_units);
  g_test_add_func ("/plot/export/errors", test_errors);
  return g_test_run ();
}
