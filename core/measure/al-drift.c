/* al-drift.c — clock drift between playback and capture: estimated from the
 * group delay of one deconvolved loopback, applied or undone by band-limited
 * resampling.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-measure-private.h"

/* Resampling kernel: Kaiser-windowed sinc, HALF taps each side, tabulated
 * at PHASES points per sample and interpolated linearly (error ~1e-5). */
#define HALF 64
#define PHASES 512
#define KAISER_BETA 8.0

double
al_drift_estimate_ppm (const AlRawIr *ref, const AlSweep *sweep)
{
  g_return_val_if_fail (ref != NULL && sweep != NULL, NAN);

  int n = ref->len, nbins = n / 2 + 1;
  double fs = ref->fs;
  double latency = al_latency_estimate (ref);
  g_autoptr (AlMeasureFft) fft = al_fft_new (n);
  g_autofree double complex *X = g_new (double complex, nbins);
  al_fft_forward (fft, ref->h, X);
  /* Remove the bulk delay so bin-to-bin phase steps are tiny (no wrapping). */
  al_measure_spectrum_delay (X, n, -(ref->zero + latency));

  double lo, hi;
  al_measure_flat_band (sweep, &lo, &hi);
  int k0 = MAX ((int) ceil (lo * n / fs), 1), k1 = MIN ((int) floor (hi * n / fs), nbins - 1);
  if (k1 - k0 < 8)
    return NAN;
  /* Weighted least squares on the unwrapped phase (weights |X|², the
   * inverse of the phase noise variance):
   *   φ(f) = c + α u + β u ln u,  u = f / 1 kHz,
   * where a group delay growing by b samples per neper of f gives
   * β = −2π·1000·b / fs.  Unwrapping sums wrapped bin-to-bin steps, so
   * noise does not accumulate. */
  double A[3][3] = { { 0 } }, r[3] = { 0 };
  double phase = carg (X[k0]);
  for (int k = k0; k <= k1; k++)
    {
      if (k > k0)
        phase += carg (X[k] * conj (X[k - 1]));
      double w = creal (X[k] * conj (X[k]));
      double u = (double) k * fs / n / 1000.0;
      double basis[3] = { 1.0, u, u * log (u) };
      for (int i = 0; i < 3; i++)
        {
          r[i] += w * basis[i] * phase;
          for (int j = 0; j < 3; j++)
            A[i][j] += w * basis[i] * basis[j];
        }
    }
  /* Gaussian elimination with partial pivoting on the 3×3 normal equations. */
  for (int c = 0; c < 3; c++)
    {
      int piv = c;
      for (int i = c + 1; i < 3; i++)
        if (fabs (A[i][c]) > fabs (A[piv][c]))
          piv = i;
      if (!(fabs (A[piv][c]) > 0.0))
        return NAN;
      for (int j = 0; j < 3; j++)
        {
          double t = A[c][j];
          A[c][j] = A[piv][j];
          A[piv][j] = t;
        }
      double t = r[c];
      r[c] = r[piv];
      r[piv] = t;
      for (int i = c + 1; i < 3; i++)
        {
          double f = A[i][c] / A[c][c];
          for (int j = c; j < 3; j++)
            A[i][j] -= f * A[c][j];
          r[i] -= f * r[c];
        }
    }
  double coef[3];
  for (int i = 2; i >= 0; i--)
    {
      double acc = r[i];
      for (int j = i + 1; j < 3; j++)
        acc -= A[i][j] * coef[j];
      coef[i] = acc / A[i][i];
    }
  double b = -coef[2] * fs / (2.0 * G_PI * 1000.0);
  /* A capture stretched by (1 + δ) shows frequency f δ·fs·L·ln f later. */
  return 1e6 * b / (fs * sweep->L);
}

static double
bessel_i0 (double x)
{
  double sum = 1.0, term = 1.0, q = 0.25 * x * x;
  for (int k = 1; k < 200 && term > 1e-17 * sum; k++)
    {
      term *= q / ((double) k * k);
      sum += term;
    }
  return sum;
}

void
al_time_scale (const double *x, int nx, double factor, double *y, int ny)
{
  g_return_if_fail (x != NULL && y != NULL && factor > 0.0);

  /* table[j] = kernel at offset j / PHASES, j = 0 … HALF·PHASES (symmetric) */
  int ntab = HALF * PHASES + 2;
  g_autofree double *table = g_new (double, ntab);
  double i0b = bessel_i0 (KAISER_BETA);
  for (int j = 0; j < ntab; j++)
    {
      double t = (double) j / PHASES;
      double r = t / HALF;
      if (r >= 1.0)
        {
          table[j] = 0.0;
          continue;
        }
      double s = j == 0 ? 1.0 : (j % PHASES == 0 ? 0.0 : sin (G_PI * t) / (G_PI * t));
      table[j] = s * bessel_i0 (KAISER_BETA * sqrt (1.0 - r * r)) / i0b;
    }

  for (int i = 0; i < ny; i++)
    {
      double p = i / factor;
      double base = floor (p);
      double frac = p - base;
      int b = (int) base;
      double acc = 0.0;
      if (frac == 0.0 && b >= 0 && b < nx)
        {
          y[i] = x[b];
          continue;
        }
      for (int j = b - HALF + 1; j <= b + HALF; j++)
        {
          if (j < 0 || j >= nx)
            continue;
          double t = fabs (p - j) * PHASES;
          int ti = (int) t;
          if (ti >= ntab - 1)
            continue;
          double w = table[ti] + (t - ti) * (table[ti + 1] - table[ti]);
          acc += w * x[j];
        }
      y[i] = acc;
    }
}
