/* test-curve-plot.c — the curve plot: data <-> pixel mapping after a draw,
 * log-axis geometry checked on the rendered pixels, automatic ranges,
 * line breaks at non-finite points, clipping, hidden series, legend
 * placement and styles.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-plot-private.h"
#include "plot-test-util.h"

#define W 640
#define H 400

static cairo_surface_t *
render (AlCurvePlot *plot, const AlPlotStyle *style)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, W, H);
  cairo_t *cr = cairo_create (surface);
  al_curve_plot_draw (plot, cr, W, H, style);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  return surface;
}

static double
grey (AlRgb c)
{
  return (c.r + c.g + c.b) / 3;
}

static void
test_round_trip (void)
{
  for (int log = 0; log < 2; log++)
    {
      g_autoptr (AlCurvePlot) plot = al_curve_plot_new ("t", "Frequency (Hz)", "Level (dB)");
      double x[] = { 30, 300, 3000, 18000 }, y[] = { -12, 3, 7, -40 };
      al_curve_plot_add (plot, "a", x, y, 4);
      al_curve_plot_set_log_x (plot, log);
      double px, py, dx, dy;
      g_assert_false (al_curve_plot_to_data (plot, 10, 10, &dx, &dy));
      g_assert_false (al_curve_plot_to_pixel (plot, 100, 0, &px, &py));
      cairo_surface_destroy (render (plot, NULL));

      double ax, ay, aw, ah;
      g_assert_true (al_curve_plot_get_area (plot, &ax, &ay, &aw, &ah));
      g_assert_cmpfloat (aw, >, W / 2);
      g_assert_cmpfloat (ah, >, H / 2);
      /* pixel -> data -> pixel over the whole area and beyond */
      for (int i = -2; i <= 12; i++)
        for (int j = -2; j <= 12; j++)
          {
            double qx = ax + aw * i / 10.0, qy = ay + ah * j / 10.0;
            g_assert_true (al_curve_plot_to_data (plot, qx, qy, &dx, &dy));
            g_assert_true (al_curve_plot_to_pixel (plot, dx, dy, &px, &py));
            g_assert_cmpfloat (fabs (px - qx), <, 1e-9);
            g_assert_cmpfloat (fabs (py - qy), <, 1e-9);
          }
      /* data -> pixel -> data */
      for (int k = 0; k < 4; k++)
        {
          g_assert_true (al_curve_plot_to_pixel (plot, x[k], y[k], &px, &py));
          g_assert_true (al_curve_plot_to_data (plot, px, py, &dx, &dy));
          g_assert_cmpfloat (fabs (dx - x[k]) / x[k], <, 1e-9);
          g_assert_cmpfloat (fabs (dy - y[k]), <, 1e-9);
        }
      /* x is tight to the data; y has 5 % margins */
      g_assert_true (al_curve_plot_to_data (plot, ax, ay, &dx, &dy));
      g_assert_cmpfloat (fabs (dx - 30) / 30, <, 1e-12);
      g_assert_cmpfloat (fabs (dy - (7 + 0.05 * 47)), <, 1e-9);
      g_assert_true (al_curve_plot_to_data (plot, ax + aw, ay + ah, &dx, &dy));
      g_assert_cmpfloat (fabs (dx - 18000) / 18000, <, 1e-12);
      g_assert_cmpfloat (fabs (dy - (-40 - 0.05 * 47)), <, 1e-9);
      /* on the linear axis, the middle of the area is the mean of the ends;
       * on the log axis it is their geometric mean */
      g_assert_true (al_curve_plot_to_data (plot, ax + aw / 2, ay, &dx, NULL));
      double expected = log ? sqrt (30.0 * 18000.0) : (30.0 + 18000.0) / 2;
      g_assert_cmpfloat (fabs (dx - expected) / expected, <, 1e-12);
      /* no pixel for x <= 0 on a log axis */
      if (log)
        g_assert_false (al_curve_plot_to_pixel (plot, 0.0, 1.0, &px, &py));
    }
}

/* Dark pixels along row y, as runs: returns the run centres. */
static int
dark_runs (cairo_surface_t *s, int y, double threshold, double *centres, int max)
{
  int n = 0, start = -1;
  for (int x = 0; x <= W; x++)
    {
      gboolean dark = x < W && grey (test_pixel (s, x, y)) < threshold;
      if (dark && start < 0)
        start = x;
      if (!dark && start >= 0)
        {
          if (n < max)
            centres[n] = 0.5 * (start + x - 1) + 0.5; /* centre in pixel coordinates */
          n++;
          start = -1;
        }
    }
  return n;
}

static void
test_log_axis_middle (void)
{
  g_autoptr (AlCurvePlot) plot = al_curve_plot_new (NULL, NULL, NULL);
  al_curve_plot_set_x_range (plot, 100, 10000);
  al_curve_plot_set_y_range (plot, 0, 1);
  /* a vertical black line at 1 kHz, the first palette colour */
  double x[] = { 1000, 1000 }, y[] = { -1, 2 };
  al_curve_plot_add (plot, NULL, x, y, 2);
  cairo_surface_t *s = render (plot, NULL);

  double ax, ay, aw, ah, px;
  g_assert_true (al_curve_plot_get_area (plot, &ax, &ay, &aw, &ah));
  g_assert_true (al_curve_plot_to_pixel (plot, 1000, 0.5, &px, NULL));
  g_assert_cmpfloat (fabs (px - (ax + aw / 2)), <, 1e-9);

  /* In the picture: across the middle row the dark runs are the left spine,
   * the curve and the right spine; the curve is halfway between. */
  double runs[8];
  int n = dark_runs (s, (int) (ay + ah / 2), 0.5, runs, 8);
  g_assert_cmpint (n, ==, 3);
  g_assert_cmpfloat (fabs (runs[1] - 0.5 * (runs[0] + runs[2])), <=, 1.0);
  g_assert_cmpfloat (fabs (runs[0] - ax), <=, 1.0);
  g_assert_cmpfloat (fabs (runs[2] - (ax + aw)), <=, 1.0);
  cairo_surface_destroy (s);
}

static void
test_breaks_clipping_hidden (void)
{
  g_autoptr (AlCurvePlot) plot = al_curve_plot_new (NULL, NULL, NULL);
  al_curve_plot_set_x_range (plot, 100, 10000);
  al_curve_plot_set_y_range (plot, 0, 1);
  enum { N = 201 };
  double x[N], y[N], y2[N], y3[N];
  for (int k = 0; k < N; k++)
    {
      x[k] = 100 * pow (100.0, k / (N - 1.0));
      /* broken between 800 Hz and 1250 Hz */
      y[k] = x[k] > 800 && x[k] < 1250 ? NAN : 0.5;
      /* leaves the area upwards to 1e300 and comes back */
      y2[k] = x[k] > 2000 && x[k] < 3000 ? 1e300 : 0.25;
      y3[k] = 0.75;
    }
  al_curve_plot_add (plot, NULL, x, y, N);
  al_curve_plot_add (plot, NULL, x, y2, N);
  int hidden = al_curve_plot_add (plot, NULL, x, y3, N);
  al_curve_plot_set_visible (plot, hidden, FALSE);
  cairo_surface_t *s = render (plot, NULL);

  double px, py, ay;
  g_assert_true (al_curve_plot_get_area (plot, NULL, &ay, NULL, NULL));
  AlRgb black = al_palette_color (0), orange = al_palette_color (1);
  /* drawn at 300 Hz, not at 1 kHz */
  al_curve_plot_to_pixel (plot, 300, 0.5, &px, &py);
  g_assert_cmpfloat (test_color_distance (test_pixel (s, (int) px, (int) py), black), <, 0.35);
  al_curve_plot_to_pixel (plot, 1000, 0.5, &px, &py);
  g_assert_cmpfloat (grey (test_pixel (s, (int) px, (int) py)), >, 0.8);
  /* the orange series is there at 1 kHz and is clipped at the top edge:
   * nothing is drawn in the margin above the area */
  al_curve_plot_to_pixel (plot, 1000, 0.25, &px, &py);
  g_assert_cmpfloat (test_color_distance (test_pixel (s, (int) px, (int) py), orange), <, 0.35);
  al_curve_plot_to_pixel (plot, 2500, 1.0, &px, NULL);
  for (int yy = 0; yy < (int) ay - 1; yy++)
    g_assert_cmpfloat (grey (test_pixel (s, (int) px, yy)), >, 0.99);
  /* the hidden series leaves no pixels */
  al_curve_plot_to_pixel (plot, 300, 0.75, &px, &py);
  g_assert_cmpfloat (grey (test_pixel (s, (int) px, (int) py)), >, 0.8);
  cairo_surface_destroy (s);
}

static void
test_series_colour (void)
{
  g_autoptr (AlCurvePlot) plot = al_curve_plot_new (NULL, NULL, NULL);
  al_curve_plot_set_log_x (plot, FALSE);
  al_curve_plot_set_y_range (plot, 0, 1);
  double x[] = { 0, 1 }, ya[] = { 0.2, 0.2 }, yb[] = { 0.6, 0.6 };
  al_curve_plot_add (plot, NULL, x, ya, 2);
  al_curve_plot_add (plot, NULL, x, yb, 2);
  g_assert_cmpint (al_curve_plot_n_series (plot), ==, 2);
  cairo_surface_t *s = render (plot, NULL);
  double px, py;
  al_curve_plot_to_pixel (plot, 0.5, 0.6, &px, &py);
  /* the line is 2 px wide: the pixels at its centre have the colour,
   * whatever the rounding */
  AlRgb orange = test_hex (0xE69F00);
  double best = 1.0;
  for (int yy = (int) py - 3; yy <= (int) py + 3; yy++)
    best = MIN (best, test_color_distance (test_pixel (s, (int) px, yy), orange));
  g_assert_cmpfloat (best, <, 0.03);
  cairo_surface_destroy (s);
}

static void
test_legend_corner (void)
{
  g_autoptr (AlCurvePlot) plot = al_curve_plot_new (NULL, NULL, NULL);
  al_curve_plot_set_log_x (plot, FALSE);
  al_curve_plot_set_y_range (plot, 0, 1);
  /* the top is full, the lower right holds a curve: lower left is free */
  double x[] = { 0, 1 }, top[] = { 0.9, 0.9 };
  double xr[] = { 0.5, 1 }, low[] = { 0.1, 0.1 };
  al_curve_plot_add (plot, "top", x, top, 2);
  al_curve_plot_add (plot, "low right", xr, low, 2);
  cairo_surface_destroy (render (plot, NULL));
  double r[4], ax, ay, aw, ah;
  g_assert_true (al_curve_plot_get_legend (plot, r));
  g_assert_true (al_curve_plot_get_area (plot, &ax, &ay, &aw, &ah));
  g_assert_cmpfloat (r[0], >, ax);
  g_assert_cmpfloat (r[0] + r[2], <, ax + aw / 2);
  g_assert_cmpfloat (r[1], >, ay + ah / 2);
  g_assert_cmpfloat (r[1] + r[3], <, ay + ah);

  /* An empty plot puts it in the upper right; seven series push it outside. */
  g_autoptr (AlCurvePlot) empty = al_curve_plot_new (NULL, NULL, NULL);
  al_curve_plot_add (empty, "nothing", NULL, NULL, 0);
  cairo_surface_destroy (render (empty, NULL));
  g_assert_true (al_curve_plot_get_legend (empty, r));
  g_assert_true (al_curve_plot_get_area (empty, &ax, &ay, &aw, &ah));
  g_assert_cmpfloat (r[0], >, ax + aw / 2);
  g_assert_cmpfloat (r[1] + r[3], <, ay + ah / 2);

  g_autoptr (AlCurvePlot) many = al_curve_plot_new (NULL, NULL, NULL);
  for (int i = 0; i < 7; i++)
    al_curve_plot_add (many, "series", x, top, 2);
  cairo_surface_destroy (render (many, NULL));
  g_assert_true (al_curve_plot_get_legend (many, r));
  g_assert_true (al_curve_plot_get_area (many, &ax, &ay, &aw, &ah));
  g_assert_cmpfloat (r[0], >=, ax + aw);
  g_assert_cmpfloat (r[0] + r[2], <=, W);

  /* no labels, no legend */
  g_autoptr (AlCurvePlot) unlabelled = al_curve_plot_new (NULL, NULL, NULL);
  al_curve_plot_add (unlabelled, NULL, x, top, 2);
  cairo_surface_destroy (render (unlabelled, NULL));
  g_assert_false (al_curve_plot_get_legend (unlabelled, r));
}

static void
test_styles (void)
{
  g_autoptr (AlCurvePlot) plot = al_curve_plot_new ("Title", "x", "y");
  double x[] = { 20, 20000 }, y[] = { 0, 1 };
  al_curve_plot_add (plot, "a", x, y, 2);
  AlPlotStyle dark = { TRUE, 1.0 };
  cairo_surface_t *s = render (plot, &dark);
  g_assert_cmpfloat (grey (test_pixel (s, 2, 2)), <, 0.2);
  cairo_surface_destroy (s);
  s = render (plot, NULL);
  g_assert_cmpfloat (grey (test_pixel (s, 2, 2)), >, 0.99);
  double ay1, ax1;
  al_curve_plot_get_area (plot, &ax1, &ay1, NULL, NULL);
  cairo_surface_destroy (s);
  /* a larger font scale makes room for larger text */
  AlPlotStyle big = { FALSE, 1.5 };
  s = render (plot, &big);
  double ay2, ax2;
  al_curve_plot_get_area (plot, &ax2, &ay2, NULL, NULL);
  g_assert_cmpfloat (ay2, >, ay1 + 3);
  g_assert_cmpfloat (ax2, >, ax1 + 3);
  cairo_surface_destroy (s);
}

/* Huge, infinite and missing values, inverted and empty ranges, tiny
 * figures: the context stays usable and the mapping stays invertible. */
static void
test_extreme_inputs (void)
{
  static const int sizes[][2] = { { 1, 1 }, { 30, 20 }, { 200, 80 }, { 2000, 150 } };
  double x[] = { 1, 2, NAN, 4, INFINITY, -5, 1e300 }, y[] = { 1, NAN, 3, -1e308, 5, 6, 1e308 };
  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    for (int variant = 0; variant < 4; variant++)
      {
        g_autoptr (AlCurvePlot) plot = al_curve_plot_new ("A title much longer than any of these figures are wide",
                                                          "x", "y");
        al_curve_plot_add (plot, "extreme", x, y, 7);
        al_curve_plot_add (plot, "", NULL, NULL, 0);
        al_curve_plot_set_log_x (plot, variant % 2 == 0);
        if (variant >= 2)
          {
            al_curve_plot_set_x_range (plot, 5, 5);       /* automatic */
            al_curve_plot_set_y_range (plot, 3, -3);      /* inverted */
          }
        AlPlotStyle huge_text = { variant == 3, 4.0 };
        cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, sizes[k][0], sizes[k][1]);
        cairo_t *cr = cairo_create (surface);
        al_curve_plot_draw (plot, cr, sizes[k][0], sizes[k][1], variant == 3 ? &huge_text : NULL);
        g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
        double dx, dy, px, py, ax, ay, aw, ah;
        g_assert_true (al_curve_plot_get_area (plot, &ax, &ay, &aw, &ah));
        g_assert_cmpfloat (aw, >=, 1.0);
        g_assert_cmpfloat (ah, >=, 1.0);
        double qx = ax + 0.3 * aw, qy = ay + 0.6 * ah;
        g_assert_true (al_curve_plot_to_data (plot, qx, qy, &dx, &dy));
        g_assert_true (isfinite (dx) && isfinite (dy));
        g_assert_true (al_curve_plot_to_pixel (plot, dx, dy, &px, &py));
        g_assert_cmpfloat (fabs (px - qx), <, 1e-6 * MAX (1.0, aw));
        g_assert_cmpfloat (fabs (py - qy), <, 1e-6 * MAX (1.0, ah));
        cairo_destroy (cr);
        cairo_surface_destroy (surface);
      }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plot/curve/round-trip", test_round_trip);
  g_test_add_func ("/plot/curve/log-middle", test_log_axis_middle);
  g_test_add_func ("/plot/curve/breaks-clipping-hidden", test_breaks_clipping_hidden);
  g_test_add_func ("/plot/curve/series-colour", test_series_colour);
  g_test_add_func ("/plot/curve/legend", test_legend_corner);
  g_test_add_func ("/plot/curve/styles", test_styles);
  g_test_add_func ("/plot/curve/extreme-inputs", test_extreme_inputs);
  return g_test_run ();
}
