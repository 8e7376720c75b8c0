/* test-array-special.c — spherical Bessel functions and Legendre polynomials
 * against closed forms, small-argument limits and the Wronskian.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-array-private.h"

#include <math.h>

static void
test_bessel_closed_forms (void)
{
  double j[3], y[3];
  for (double x = 0.5; x <= 60.0; x *= 1.07)
    {
      al_sph_bessel_jy (2, x, j, y);
      double s = sin (x), c = cos (x);
      double j0 = s / x, y0 = -c / x;
      double j1 = s / (x * x) - c / x, y1 = -c / (x * x) - s / x;
      double j2 = (3 / (x * x) - 1) * s / x - 3 * c / (x * x);
      double y2 = (-3 / (x * x) + 1) * c / x - 3 * s / (x * x);
      /* The closed forms themselves lose a few digits to cancellation near x ≈ 0.5. */
      double tol = 1e-13 * (1 + 3 / (x * x));
      g_assert_cmpfloat_with_epsilon (j[0], j0, tol);
      g_assert_cmpfloat_with_epsilon (y[0], y0, tol * fabs (y0) + tol);
      g_assert_cmpfloat_with_epsilon (j[1], j1, tol);
      g_assert_cmpfloat_with_epsilon (y[1], y1, tol * fabs (y1) + tol);
      g_assert_cmpfloat_with_epsilon (j[2], j2, tol);
      g_assert_cmpfloat_with_epsilon (y[2], y2, tol * fabs (y2) + tol);
    }
}

/* Small x: j_n ≈ x^n/(2n+1)!! (1 − x²/(2(2n+3))), y_n ≈ −(2n−1)!!/x^(n+1). */
static void
test_bessel_small_argument (void)
{
  double j[31], y[31];
  const double xs[] = { 1e-3, 1e-2 };
  for (guint i = 0; i < G_N_ELEMENTS (xs); i++)
    {
      double x = xs[i];
      al_sph_bessel_jy (30, x, j, y);
      double dfact = 1; /* (2n+1)!! */
      double dfact_m = 1; /* (2n−1)!!, with (−1)!! = 1 */
      for (int n = 0; n <= 30; n++)
        {
          if (n > 0)
            {
              dfact_m = dfact;
              dfact *= 2 * n + 1;
            }
          double jn = pow (x, n) / dfact * (1 - x * x / (2 * (2 * n + 3)));
          double yn = -dfact_m / pow (x, n + 1) * (1 + x * x / (2 * (2 * n - 1)));
          /* the next terms are O(x⁴) */
          g_assert_cmpfloat_with_epsilon (j[n] / jn, 1.0, 2 * pow (x, 4));
          g_assert_cmpfloat_with_epsilon (y[n] / yn, 1.0, 2 * pow (x, 4));
        }
    }
}

/* j_n y_{n−1} − j_{n−1} y_n = x⁻² for n = 1..30, x from 1e-3 to 50. */
static void
test_bessel_wronskian (void)
{
  double j[31], y[31];
  double worst = 0;
  for (double lx = -3; lx <= log10 (50.0) + 1e-12; lx += 0.01)
    {
      double x = pow (10, lx);
      al_sph_bessel_jy (30, x, j, y);
      for (int n = 1; n <= 30; n++)
        {
          double w = (j[n] * y[n - 1] - j[n - 1] * y[n]) * x * x;
          worst = MAX (worst, fabs (w - 1));
        }
    }
  g_test_message ("worst relative Wronskian error, n <= 30: %.3g", worst);
  g_assert_cmpfloat (worst, <, 1e-11);

  /* and up to the cap, over the degrees the models use (n <= ceil(x) + 13) */
  double jj[AL_ARRAY_MAX_TERMS + 1], yy[AL_ARRAY_MAX_TERMS + 1];
  worst = 0;
  for (double x = 1; x <= AL_ARRAY_MAX_TERMS - 12; x *= 1.01)
    {
      int nmax = MIN (AL_ARRAY_MAX_TERMS, (int) ceil (x) + 13);
      al_sph_bessel_jy (nmax, x, jj, yy);
      for (int n = 1; n <= nmax; n++)
        worst = MAX (worst, fabs ((jj[n] * yy[n - 1] - jj[n - 1] * yy[n]) * x * x - 1));
    }
  g_test_message ("worst relative Wronskian error, n <= %d: %.3g", AL_ARRAY_MAX_TERMS, worst);
  g_assert_cmpfloat (worst, <, 1e-11);
}

/* Miller's recurrence must not care whether j_0 or j_1 vanishes (x = kπ) and
 * must agree with the upward recurrence where both apply (x just above nmax). */
static void
test_bessel_branches (void)
{
  double j[11], y[11], ju[11];
  for (int k = 1; k <= 3; k++)
    {
      double x = k * G_PI;
      al_sph_bessel_jy (10, x, j, y);
      g_assert_cmpfloat_with_epsilon (j[0], 0.0, 1e-15);
      g_assert_cmpfloat_with_epsilon (j[1], -cos (x) / x, 1e-15);
      g_assert_true (isfinite (j[10]) && fabs (j[10]) < 1);
    }
  /* Same x through both branches: nmax = 10 (x > nmax, upward) vs. nmax = 30 (Miller). */
  double jm[31];
  al_sph_bessel_jy (10, 10.5, ju, NULL);
  al_sph_bessel_jy (30, 10.5, jm, NULL);
  for (int n = 0; n <= 10; n++)
    g_assert_cmpfloat_with_epsilon (ju[n], jm[n], 1e-13);
}

static void
test_legendre (void)
{
  double p[31];
  for (double t = -1; t <= 1 + 1e-12; t += 0.05)
    {
      al_legendre_p (30, t, p);
      g_assert_cmpfloat_with_epsilon (p[0], 1.0, 1e-15);
      g_assert_cmpfloat_with_epsilon (p[1], t, 1e-15);
      g_assert_cmpfloat_with_epsilon (p[2], (3 * t * t - 1) / 2, 1e-15);
      g_assert_cmpfloat_with_epsilon (p[3], (5 * t * t * t - 3 * t) / 2, 1e-15);
      g_assert_cmpfloat_with_epsilon (p[4], (35 * pow (t, 4) - 30 * t * t + 3) / 8, 1e-14);
      for (int n = 0; n <= 30; n++)
        g_assert_cmpfloat (fabs (p[n]), <=, 1 + 1e-12);
    }
  al_legendre_p (30, 1.0, p);
  for (int n = 0; n <= 30; n++)
    g_assert_cmpfloat_with_epsilon (p[n], 1.0, 1e-13);
  al_legendre_p (30, -1.0, p);
  for (int n = 0; n <= 30; n++)
    g_assert_cmpfloat_with_epsilon (p[n], n % 2 ? -1.0 : 1.0, 1e-13);
  /* Gauss–Legendre-free orthogonality check: ∫ P_m P_n dt = 2/(2n+1) δ_mn by Simpson. */
  const int steps = 20000;
  double q[31], integral[31][31] = { { 0 } };
  for (int s = 0; s <= steps; s++)
    {
      double t = -1 + 2.0 * s / steps;
      double w = (s == 0 || s == steps) ? 1 : (s % 2 ? 4 : 2);
      al_legendre_p (30, t, q);
      for (int m = 0; m <= 12; m++)
        for (int n = 0; n <= 12; n++)
          integral[m][n] += w * q[m] * q[n];
    }
  for (int m = 0; m <= 12; m++)
    for (int n = 0; n <= 12; n++)
      {
        double v = integral[m][n] * (2.0 / steps) / 3;
        g_assert_cmpfloat_with_epsilon (v, m == n ? 2.0 / (2 * n + 1) : 0.0, 1e-9);
      }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/array/special/bessel-closed-forms", test_bessel_closed_forms);
  g_test_add_func ("/array/special/bessel-small-argument", test_bessel_small_argument);
  g_test_add_func ("/array/special/bessel-wronskian", test_bessel_wronskian);
  g_test_add_func ("/array/special/bessel-branches", test_bessel_branches);
  g_test_add_func ("/array/special/legendre", test_legendre);
  return g_test_run ();
}
