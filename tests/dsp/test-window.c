/* test-window.c — Hann/Tukey windows and fades against closed forms, the
 * constant overlap-add of the periodic Hann, and the fractional-delay FIR
 * against analytically delayed signals.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-dsp.h"

#include <math.h>

static double
sqr (double x)
{
  return x * x;
}

static void
test_hann (void)
{
  const int sizes[] = { 2, 5, 64, 257, 768 };
  guint s;
  double one;

  for (s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      int n = sizes[s], j;
      double *w = g_new (double, n);

      /* Symmetric: sin²(pi j/(n-1)), zero at both ends. */
      al_window_hann (w, n, FALSE);
      for (j = 0; j < n; j++)
        g_assert_cmpfloat_with_epsilon (w[j], sqr (sin (G_PI * j / (n - 1))), 1e-15);
      g_assert_cmpfloat (w[0], ==, 0.0);
      g_assert_cmpfloat_with_epsilon (w[n - 1], 0.0, 1e-15);
      if (n % 2 == 1)
        g_assert_cmpfloat (w[n / 2], ==, 1.0);

      /* Periodic: sin²(pi j/n), the first n points of a symmetric n+1 window. */
      al_window_hann (w, n, TRUE);
      for (j = 0; j < n; j++)
        g_assert_cmpfloat_with_epsilon (w[j], sqr (sin (G_PI * j / n)), 1e-15);
      g_free (w);
    }
  al_window_hann (&one, 1, TRUE);
  g_assert_cmpfloat (one, ==, 1.0);
}

static void
test_hann_cola (void)
{
  const int sizes[] = { 4, 64, 768, 1024 };
  guint s;

  for (s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      int n = sizes[s], j;
      double *w = g_new (double, n);

      al_window_hann (w, n, TRUE);
      /* Shifts by n/2 sum to exactly 1, shifts by n/4 to 2. */
      for (j = 0; j < n / 2; j++)
        g_assert_cmpfloat_with_epsilon (w[j] + w[j + n / 2], 1.0, 1e-15);
      for (j = 0; j < n / 4; j++)
        g_assert_cmpfloat_with_epsilon (w[j] + w[j + n / 4] + w[j + n / 2] + w[j + 3 * n / 4],
                                        2.0, 1e-14);
      g_free (w);
    }
}

static void
test_tukey (void)
{
  const int n = 101;
  double w[101], h[101];
  const double ratio = 0.4;
  int j;

  al_window_tukey (w, n, 0.0);
  for (j = 0; j < n; j++)
    g_assert_cmpfloat (w[j], ==, 1.0);

  al_window_tukey (w, n, 1.0);
  al_window_hann (h, n, FALSE);
  for (j = 0; j < n; j++)
    g_assert_cmpfloat_with_epsilon (w[j], h[j], 1e-15);

  /* Taper sin²(pi x/ratio) over x = j/(n-1) < ratio/2 at each end, flat between. */
  al_window_tukey (w, n, ratio);
  for (j = 0; j < n; j++)
    {
      double x = (double) MIN (j, n - 1 - j) / (n - 1);
      double expect = x < ratio / 2 ? sqr (sin (G_PI * x / ratio)) : 1.0;

      g_assert_cmpfloat_with_epsilon (w[j], expect, 1e-15);
      g_assert_cmpfloat (w[j], ==, w[n - 1 - j]);
    }
  /* 20 % of the length tapered on each side: samples 0..19 below 1. */
  g_assert_cmpfloat (w[19], <, 1.0);
  g_assert_cmpfloat (w[20], ==, 1.0);
}

static void
test_fades (void)
{
  const int n = 50, fin = 10, fout = 7;
  double x[50];
  int j;

  for (j = 0; j < n; j++)
    x[j] = 2.0;
  al_apply_fades (x, n, fin, fout);
  for (j = 0; j < n; j++)
    {
      double g = 1.0;

      if (j < fin)
        g *= sqr (sin (G_PI * j / (2.0 * fin)));
      if (n - 1 - j < fout)
        g *= sqr (sin (G_PI * (n - 1 - j) / (2.0 * fout)));
      g_assert_cmpfloat_with_epsilon (x[j], 2.0 * g, 1e-15);
    }
  g_assert_cmpfloat (x[0], ==, 0.0);
  g_assert_cmpfloat (x[n - 1], ==, 0.0);

  /* No fades: untouched. */
  for (j = 0; j < n; j++)
    x[j] = j;
  al_apply_fades (x, n, 0, 0);
  for (j = 0; j < n; j++)
    g_assert_cmpfloat (x[j], ==, j);
}

static void
test_fractional_delay_integer (void)
{
  const int lens[] = { 1, 8, 31, 64 };
  guint l;

  for (l = 0; l < G_N_ELEMENTS (lens); l++)
    {
      int len = lens[l], d, k;
      double *h = g_new (double, len);

      for (d = 0; d < len; d++)
        {
          al_fractional_delay_fir (d, len, h);
          for (k = 0; k < len; k++)
            g_assert_cmpfloat (h[k], ==, k == d ? 1.0 : 0.0);
        }
      g_free (h);
    }
}

static void
test_fractional_delay_cosine (void)
{
  const int len = 64;
  const double delays[] = { 31.37, 31.5, 32.81, 30.05 };
  const double freqs[] = { 0.0, 0.013, 0.05, 0.11, 0.2, 0.27, 0.33, 0.4 }; /* cycles/sample */
  double h[64];
  guint d, f;

  for (d = 0; d < G_N_ELEMENTS (delays); d++)
    {
      double sum = 0.0;
      int k;

      al_fractional_delay_fir (delays[d], len, h);
      for (k = 0; k < len; k++)
        sum += h[k];
      g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-14);

      for (f = 0; f < G_N_ELEMENTS (freqs); f++)
        {
          double w = 2.0 * G_PI * freqs[f], phi = 0.7;
          int n;

          /* y[n] = sum_k h[k] cos(w (n-k) + phi) must be cos(w (n-delay) + phi). */
          for (n = 0; n < 200; n++)
            {
              double y = 0.0;

              for (k = 0; k < len; k++)
                y += h[k] * cos (w * (n - k) + phi);
              g_assert_cmpfloat_with_epsilon (y, cos (w * (n - delays[d]) + phi), 1e-3);
            }
        }
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dsp/window/hann", test_hann);
  g_test_add_func ("/dsp/window/hann-cola", test_hann_cola);
  g_test_add_func ("/dsp/window/tukey", test_tukey);
  g_test_add_func ("/dsp/window/fades", test_fades);
  g_test_add_func ("/dsp/window/fractional-delay-integer", test_fractional_delay_integer);
  g_test_add_func ("/dsp/window/fractional-delay-cosine", test_fractional_delay_cosine);
  return g_test_run ();
}
