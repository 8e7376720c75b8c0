/* al-array-special.c — spherical Bessel functions and Legendre polynomials
 * for the analytic array models.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-array-private.h"

#include <math.h>

/* Rescale the downward recurrence well before doubles overflow. */
#define MILLER_BIG 1e250
#define MILLER_SCALE 1e-250

static void
bessel_j_upward (int nmax, double x, double *j)
{
  /* Upward recurrence is stable only while n < x (both solutions oscillate). */
  j[0] = sin (x) / x;
  if (nmax >= 1)
    j[1] = sin (x) / (x * x) - cos (x) / x;
  for (int n = 1; n < nmax; n++)
    j[n + 1] = (2 * n + 1) / x * j[n] - j[n - 1];
}

static void
bessel_j_miller (int nmax, double x, double *j)
{
  /* Miller: recur downward from far above the transition n ≈ x, where j_n is
   * the minimal solution, then normalise against the closed forms of j_0 or
   * j_1 (whichever is larger, so a zero of one of them does no harm). */
  int start = MAX (nmax, (int) ceil (x)) + 40;
  double f_next = 0.0, f = 1e-30;
  for (int n = start; n > 0; n--)
    {
      double f_prev = (2 * n + 1) / x * f - f_next; /* f_{n-1} */
      f_next = f;
      f = f_prev;
      if (n - 1 <= nmax)
        j[n - 1] = f;
      if (fabs (f) > MILLER_BIG)
        {
          f *= MILLER_SCALE;
          f_next *= MILLER_SCALE;
          for (int m = n - 1; m <= nmax; m++)
            j[m] *= MILLER_SCALE;
        }
    }
  double j0 = sin (x) / x;
  double scale;
  if (nmax >= 1)
    {
      double j1 = sin (x) / (x * x) - cos (x) / x;
      scale = fabs (j0) >= fabs (j1) ? j0 / j[0] : j1 / j[1];
    }
  else
    {
      scale = j0 / j[0];
    }
  for (int n = 0; n <= nmax; n++)
    j[n] *= scale;
}

void
al_sph_bessel_jy (int nmax, double x, double *j, double *y)
{
  g_return_if_fail (nmax >= 0 && x > 0 && j != NULL);

  if (x > nmax)
    bessel_j_upward (nmax, x, j);
  else
    bessel_j_miller (nmax, x, j);

  if (y != NULL)
    {
      /* y_n is the dominant solution for n > x, so upward recurrence is stable. */
      y[0] = -cos (x) / x;
      if (nmax >= 1)
        y[1] = -cos (x) / (x * x) - sin (x) / x;
      for (int n = 1; n < nmax; n++)
        y[n + 1] = (2 * n + 1) / x * y[n] - y[n - 1];
    }
}

void
al_legendre_p (int nmax, double t, double *p)
{
  g_return_if_fail (nmax >= 0 && p != NULL);
  p[0] = 1.0;
  if (nmax >= 1)
    p[1] = t;
  for (int n = 1; n < nmax; n++)
    p[n + 1] = ((2 * n + 1) * t * p[n] - n * p[n - 1]) / (n + 1);
}
