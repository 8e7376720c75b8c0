/* al-sim-nonlinear.c — the simulated speaker's memoryless polynomial
 * nonlinearity: mapping from a THD to coefficients, its analytic harmonic
 * levels, and a band-limited application (no aliasing, no DC).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-measure-private.h"

#include <string.h>

/* Oversampling for the polynomial: cubic products of content below fs/2
 * stay below 1.5·fs, under the 2·fs Nyquist of the 4× rate. */
#define OVERSAMPLE 4
/* Corner of the zero-phase high-pass on the distortion products (the DC of
 * a2·x² and its slow envelope). */
#define DISTORTION_HP_HZ 10.0

void
al_poly_nonlinearity_from_thd (AlPolyNonlinearity *nl, double thd, double h3_share, double ref_level_dbfs)
{
  g_return_if_fail (nl != NULL);

  double A = pow (10.0, ref_level_dbfs / 20.0);
  double s = CLAMP (h3_share, 0.0, 1.0);
  double r = sqrt (s) * thd, q = sqrt (1.0 - s) * thd;

  /* c3 = r·c1, c2 = q·c1, c1 = A + 3a3A³/4 = A / (1 − 3r) (see the header). */
  nl->a3 = 4.0 * r / (A * A * (1.0 - 3.0 * r));
  nl->a2 = 2.0 * q / (A * (1.0 - 3.0 * r));
  nl->g = 1.0 - 3.0 * r;
}

void
al_poly_nonlinearity_analyse (const AlPolyNonlinearity *nl, double A, double *h2, double *h3,
                              double *thd, double *gain)
{
  g_return_if_fail (nl != NULL && A > 0.0);

  /* x = A sin: x² = A²/2 (1 − cos 2θ), x³ = A³ (3 sin θ − sin 3θ)/4 */
  double c1 = nl->g * (A + 0.75 * nl->a3 * A * A * A);
  double c2 = nl->g * 0.5 * nl->a2 * A * A;
  double c3 = nl->g * 0.25 * nl->a3 * A * A * A;
  if (h2 != NULL)
    *h2 = fabs (c2 / c1);
  if (h3 != NULL)
    *h3 = fabs (c3 / c1);
  if (thd != NULL)
    *thd = hypot (c2, c3) / fabs (c1);
  if (gain != NULL)
    *gain = c1 / A;
}

void
al_poly_nonlinearity_apply (const AlPolyNonlinearity *nl, double fs, const double *x, int n, double *y)
{
  g_return_if_fail (nl != NULL && x != NULL && y != NULL && n >= 0 && fs > 0.0);

  if (nl->a2 == 0.0 && nl->a3 == 0.0)
    {
      for (int i = 0; i < n; i++)
        y[i] = nl->g * x[i];
      return;
    }

  /* Zero padding keeps the circular interpolation from wrapping. */
  int m = al_fft_good_size (n + 256), mb = m / 2 + 1;
  int mu = OVERSAMPLE * m, mub = mu / 2 + 1;
  g_autoptr (AlMeasureFft) fft = al_fft_new (m);
  g_autoptr (AlMeasureFft) fftu = al_fft_new (mu);
  g_autofree double *buf = g_new0 (double, m);
  g_autofree double *up = g_new0 (double, mu);
  g_autofree double complex *X = g_new (double complex, mb);
  g_autofree double complex *Xu = g_new0 (double complex, mub);

  memcpy (buf, x, sizeof (double) * n);
  al_fft_forward (fft, buf, X);
  /* Ideal interpolation: the same bins in a longer transform (Nyquist bin
   * of the short one dropped, the sweeps have nothing there). */
  for (int k = 0; k < mb - (m % 2 == 0); k++)
    Xu[k] = X[k] * OVERSAMPLE;
  al_fft_inverse (fftu, Xu, up);
  for (int i = 0; i < mu; i++)
    {
      double v = up[i];
      up[i] = v * v * (nl->a2 + nl->a3 * v);
    }
  al_fft_forward (fftu, up, Xu);

  for (int k = 0; k < mb; k++)
    {
      /* Zero-phase |H|² of a 2nd-order Butterworth high-pass, on the
       * products only: the linear part stays untouched. */
      double r = pow ((k * fs / m) / DISTORTION_HP_HZ, 4.0);
      X[k] += Xu[k] / OVERSAMPLE * (r / (1.0 + r));
    }
  if (m % 2 == 0)
    X[mb - 1] = 0.0;
  al_fft_inverse (fft, X, buf);
  for (int i = 0; i < n; i++)
    y[i] = nl->g * buf[i];
}
