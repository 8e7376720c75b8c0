/* test-metrics-figures.c — the evaluation figures: coherence per SH
 * channel for several encoders (its x-axis label the text given), power
 * maps side by side.  Each export must give a file of the expected kind and
 * pixel size, with ink in it.
 * AL_TEST_FIGURES_DIR, when set, keeps the figures there for viewing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <cairo.h>
#include <pango/pangocairo.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "eval/al-metrics.h"

#define FS 48000.0

static char *
out_dir (gboolean *keep)
{
  const char *env = g_getenv ("AL_TEST_FIGURES_DIR");
  *keep = env != NULL && env[0] != '\0';
  if (*keep)
    {
      g_mkdir_with_parents (env, 0755);
      return g_strdup (env);
    }
  GError *error = NULL;
  char *dir = g_dir_make_tmp ("al-eval-fig-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

static void
remove_file (const char *dir, const char *name, gboolean keep)
{
  if (keep)
    return;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_unlink (path);
}

/* Width and height of a PNG, and the fraction of its pixels that are not white. */
static void
check_png (const char *path, int width, int height, double min_ink)
{
  cairo_surface_t *s = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (s), ==, width);
  g_assert_cmpint (cairo_image_surface_get_height (s), ==, height);
  const unsigned char *data = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s);
  gsize ink = 0;
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 p = *(const guint32 *) (data + (gsize) y * stride + 4 * (gsize) x);
        if ((p & 0xffffff) != 0xffffff)
          ink++;
      }
  cairo_surface_destroy (s);
  g_assert_cmpfloat ((double) ink / ((double) width * height), >, min_ink);
}

static void
check_nonempty (const char *path, const char *magic)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpuint (len, >, 1000);
  g_assert_nonnull (g_strstr_len (data, MIN (len, 400), magic));
}

static double *
white (gsize n, GRand *rand)
{
  double *s = g_new (double, n);
  for (gsize i = 0; i < n; i++)
    s[i] = g_rand_double_range (rand, -1.0, 1.0);
  return s;
}

/* An "encoder" output: the reference plus noise whose spectrum rises
 * towards low frequencies (amplified sensor noise, strongest in the high
 * orders) and towards high frequencies (spatial aliasing).  lf, hf: levels
 * of the two; the coherence then climbs from low frequencies and falls
 * again at the top, as measured encoders do. */
static double *
fake_encoder (const double *ref, int nch, gsize n, double lf, double hf, GRand *rand)
{
  double *y = g_memdup2 (ref, sizeof (double) * nch * n);
  for (int c = 0; c < nch; c++)
    {
      int order = al_sh_degree_of (c);
      double a = lf * pow (4.0, order), b = hf * (1 + order);
      double brown = 0, prev = 0;
      for (gsize i = 0; i < n; i++)
        {
          double w = g_rand_double_range (rand, -1.0, 1.0);
          brown = 0.996 * brown + 0.06 * w;   /* ≈ 1/f² above 30 Hz */
          double blue = w - prev;              /* ≈ f² */
          prev = w;
          y[(gsize) c * n + i] += a * brown + b * blue * 0.5;
        }
    }
  return y;
}

static void
test_channel_figure (void)
{
  const int nch = 9; /* order 2 */
  const gsize n = 48000;
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);
  g_autofree double *ref = white ((gsize) nch * n, rand);
  const char *labels[] = { "Least squares", "Tikhonov (β = 0.01)", "LS + neural residual" };
  const double lf[] = { 0.05, 0.02, 0.01 }, hf[] = { 0.8, 0.8, 0.2 };
  g_autoptr (AlChannelPlot) plot = al_channel_plot_new ("Coherence per SH channel", "Frequency (Hz)", "Coherence γ²");
  AlShSignals r = al_sh_signals_double (ref, nch, n, FS, AL_SH_SN3D);
  for (int e = 0; e < 3; e++)
    {
      g_autofree double *est = fake_encoder (ref, nch, n, lf[e], hf[e], rand);
      AlShSignals s = al_sh_signals_double (est, nch, n, FS, AL_SH_SN3D);
      g_autoptr (GError) error = NULL;
      g_autoptr (AlSpectralMetric) coh = al_coherence_per_channel (&s, &r, NULL, &error);
      g_assert_no_error (error);
      al_channel_plot_add (plot, labels[e], coh);
    }
  al_channel_plot_set_y_range (plot, 0, 1.02);

  gboolean keep;
  g_autofree char *dir = out_dir (&keep);
  g_autoptr (GError) error = NULL;
  g_autofree char *png = g_build_filename (dir, "coherence.png", NULL);
  g_autofree char *pdf = g_build_filename (dir, "coherence.pdf", NULL);
  g_autofree char *svg = g_build_filename (dir, "coherence.svg", NULL);
  /* 6.5 x 5 in at 150 dpi: 975 x 750 pixels. */
  g_assert_true (al_channel_plot_export (plot, png, 468, 360, 150, &error));
  g_assert_no_error (error);
  check_png (png, 975, 750, 0.02);
  g_assert_true (al_channel_plot_export (plot, pdf, 468, 360, 0, &error));
  check_nonempty (pdf, "%PDF");
  g_assert_true (al_channel_plot_export (plot, svg, 468, 360, 0, &error));
  check_nonempty (svg, "<svg");
  g_assert_false (al_channel_plot_export (plot, "coherence.bmp", 468, 360, 0, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_UNSUPPORTED);
  remove_file (dir, "coherence.png", keep);
  remove_file (dir, "coherence.pdf", keep);
  remove_file (dir, "coherence.svg", keep);
  if (!keep)
    g_rmdir (dir);
}

/* Columns (first, last) with ink in the lowest band of ink rows of a PNG:
 * the x-axis label under the panels.  FALSE when the image is blank. */
static gboolean
bottom_band_extent (const char *path, int *x0, int *x1, int *rows)
{
  cairo_surface_t *s = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  const int w = cairo_image_surface_get_width (s), h = cairo_image_surface_get_height (s);
  const unsigned char *data = cairo_image_surface_get_data (s);
  const int stride = cairo_image_surface_get_stride (s);
  *x0 = w;
  *x1 = -1;
  *rows = 0;
  gboolean in_band = FALSE;
  for (int y = h - 1; y >= 0; y--)
    {
      gboolean any = FALSE;
      for (int x = 0; x < w; x++)
        {
          guint32 p = *(const guint32 *) (data + (gsize) y * stride + 4 * (gsize) x);
          /* Darker than 90 % grey in any channel: text, not the faintest antialiasing. */
          if (((p >> 16) & 0xff) < 230 || ((p >> 8) & 0xff) < 230 || (p & 0xff) < 230)
            {
              any = TRUE;
              *x0 = MIN (*x0, x);
              *x1 = MAX (*x1, x);
            }
        }
      if (any)
        {
          in_band = TRUE;
          (*rows)++;
        }
      else if (in_band)
        break;
    }
  cairo_surface_destroy (s);
  return *x1 >= 0;
}

/* Ink width (points) of text in the figures' label font: Sans 10 pt, unhinted. */
static double
label_ink_width (const char *text)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 8, 8);
  cairo_t *cr = cairo_create (surface);
  PangoLayout *layout = pango_cairo_create_layout (cr);
  cairo_font_options_t *options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (pango_layout_get_context (layout), options);
  cairo_font_options_destroy (options);
  pango_layout_context_changed (layout);
  PangoFontDescription *desc = pango_font_description_from_string ("Sans");
  pango_font_description_set_absolute_size (desc, 10 * PANGO_SCALE);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_text (layout, text, -1);
  PangoRectangle ink;
  pango_layout_get_extents (layout, &ink, NULL);
  g_object_unref (layout);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return (double) ink.width / PANGO_SCALE;
}

/* The x-axis label is the text given (the GUI passes a translation): the
 * ink under the panels is exactly as wide as that text, centred under
 * them, for the English default, its German translation and a long label. */
static void
test_channel_figure_xlabel (void)
{
  const int nch = 4;
  const gsize n = 12000;
  g_autoptr (GRand) rand = g_rand_new_with_seed (3);
  g_autofree double *ref = white ((gsize) nch * n, rand);
  g_autofree double *est = fake_encoder (ref, nch, n, 0.02, 0.5, rand);
  AlShSignals r = al_sh_signals_double (ref, nch, n, FS, AL_SH_SN3D);
  AlShSignals e = al_sh_signals_double (est, nch, n, FS, AL_SH_SN3D);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSpectralMetric) coh = al_coherence_per_channel (&e, &r, NULL, &error);
  g_assert_no_error (error);
  gboolean keep;
  g_autofree char *dir = out_dir (&keep);
  const char *labels[] = { "Frequency (Hz)", "Frequenz (Hz)", "Frequenz in Hertz, logarithmisch geteilt" };
  const double dpi = 150, px = dpi / 72;
  double widths[G_N_ELEMENTS (labels)];
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      g_autoptr (AlChannelPlot) plot = al_channel_plot_new ("Coherence", labels[i], "Coherence");
      g_assert_cmpstr (al_channel_plot_get_x_label (plot), ==, labels[i]);
      al_channel_plot_add (plot, "Encoder", coh);
      al_channel_plot_set_y_range (plot, 0, 1.02);
      g_autofree char *name = g_strdup_printf ("xlabel-%u.png", i);
      g_autofree char *png = g_build_filename (dir, name, NULL);
      g_assert_true (al_channel_plot_export (plot, png, 400, 360, dpi, &error));
      g_assert_no_error (error);
      int x0, x1, rows;
      g_assert_true (bottom_band_extent (png, &x0, &x1, &rows));
      widths[i] = (x1 - x0 + 1) / px;
      const double want = label_ink_width (labels[i]);
      g_test_message ("x label “%s”: %.1f pt of ink in %d rows under the panels, the text is %.1f pt wide",
                      labels[i], widths[i], rows, want);
      g_assert_cmpfloat (fabs (widths[i] - want), <, 2.5 / px);
      /* 10 pt text: about 7–14 pt from the top of its tallest glyph to the foot of "q" or ",". */
      g_assert_cmpfloat (rows / px, >, 6);
      g_assert_cmpfloat (rows / px, <, 15);
      remove_file (dir, name, keep);
    }
  g_assert_cmpfloat (widths[0] - widths[1], >, 2);
  g_assert_cmpfloat (widths[2], >, 2 * widths[0]);
  g_autoptr (AlChannelPlot) none = al_channel_plot_new ("Coherence", NULL, "Coherence");
  g_assert_null (al_channel_plot_get_x_label (none));
  if (!keep)
    g_rmdir (dir);
}

static void
add_plane_wave (double *b, int order, double az, double el, const double *s, gsize n)
{
  double y[16];
  al_sh_real (order, AL_SH_SN3D, az, el, y);
  for (int c = 0; c < al_sh_count (order); c++)
    for (gsize i = 0; i < n; i++)
      b[(gsize) c * n + i] += y[c] * s[i];
}

static void
test_map_figure (void)
{
  const int order = 3;
  const gsize n = 4800;
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  g_autofree double *s1 = white (n, rand);
  g_autofree double *s2 = white (n, rand);
  const double src[4] = { AL_DEG2RAD (30), AL_DEG2RAD (10), AL_DEG2RAD (-110), AL_DEG2RAD (40) };
  g_autofree double *ref = g_new0 (double, 16 * n);
  g_autofree double *rot = g_new0 (double, 16 * n);
  add_plane_wave (ref, order, src[0], src[1], s1, n);
  add_plane_wave (ref, order, src[2], src[3], s2, n);
  add_plane_wave (rot, order, src[0] + AL_DEG2RAD (15), src[1], s1, n);
  add_plane_wave (rot, order, src[2] + AL_DEG2RAD (15), src[3], s2, n);
  g_autofree double *noisy = fake_encoder (ref, 16, n, 0.002, 0.08, rand);

  AlMapOptions opt;
  al_map_options_init (&opt);
  opt.method = AL_MAP_PWD;
  g_autoptr (GError) error = NULL;
  AlShSignals r = al_sh_signals_double (ref, 16, n, FS, AL_SH_SN3D);
  AlShSignals a = al_sh_signals_double (noisy, 16, n, FS, AL_SH_SN3D);
  AlShSignals b = al_sh_signals_double (rot, 16, n, FS, AL_SH_SN3D);
  AlShSignals foa = al_sh_signals_double (ref, 4, n, FS, AL_SH_SN3D);
  g_autoptr (AlPowerMap) mr = al_power_map_new (&r, NULL, &opt, &error);
  g_autoptr (AlPowerMap) ma = al_power_map_new (&a, NULL, &opt, &error);
  g_autoptr (AlPowerMap) mb = al_power_map_new (&b, NULL, &opt, &error);
  g_autoptr (AlPowerMap) mf = al_power_map_new (&foa, NULL, &opt, &error);
  g_assert_no_error (error);

  g_autoptr (AlMapComparePlot) plot = al_map_compare_plot_new ("PWD power maps, 3rd order", mr, "Ground truth");
  al_map_compare_plot_add (plot, "Noisy encoder", ma);
  al_map_compare_plot_add (plot, "Rotated 15°", mb);
  al_map_compare_plot_add (plot, "First order only", mf);
  al_map_compare_plot_set_columns (plot, 2);
  const char *names[] = { "S1", "S2" };
  al_map_compare_plot_add_markers (plot, src, 2, names);

  gboolean keep;
  g_autofree char *dir = out_dir (&keep);
  g_autofree char *png = g_build_filename (dir, "power-maps.png", NULL);
  g_autofree char *pdf = g_build_filename (dir, "power-maps.pdf", NULL);
  /* 7 x 3.75 in at 120 dpi: 840 x 450 pixels. */
  g_assert_true (al_map_compare_plot_export (plot, png, 504, 270, 120, &error));
  g_assert_no_error (error);
  check_png (png, 840, 450, 0.2);
  g_assert_true (al_map_compare_plot_export (plot, pdf, 504, 270, 0, &error));
  check_nonempty (pdf, "%PDF");
  remove_file (dir, "power-maps.png", keep);
  remove_file (dir, "power-maps.pdf", keep);
  if (!keep)
    g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/eval/figures/channel-plot", test_channel_figure);
  g_test_add_func ("/eval/figures/channel-plot-xlabel", test_channel_figure_xlabel);
  g_test_add_func ("/eval/figures/map-compare", test_map_figure);
  return g_test_run ();
}
