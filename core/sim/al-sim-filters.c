/* al-sim-filters.c — the recipe's two filters: the 81-tap Hann-windowed sinc
 * that places every arrival, and the zero-phase 10 Hz high-pass run on every
 * RIR (scipy.signal.butter(2, fc, 'highpass', output='sos') applied with
 * sosfiltfilt's defaults).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-sim-private.h"

#include <math.h>

/* Per tap: c[k] = w[k]·(−1)^(n+1) and n = k − 40, with the Hann window
 * w[k] = ½ − ½cos(2πk/80); computed once. */
static float fd_c[AL_SIM_FD_TAPS], fd_n[AL_SIM_FD_TAPS];

void
al_sim_fd_tables_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      for (int k = 0; k < AL_SIM_FD_TAPS; k++)
        {
          const int n = k - AL_SIM_FD_CENTER;
          fd_c[k] = (float) ((0.5 - 0.5 * cos (2 * G_PI * k / (AL_SIM_FD_TAPS - 1))) * ((n & 1) ? 1 : -1));
          fd_n[k] = (float) n;
        }
      g_once_init_leave (&done, 1);
    }
}

/* sin(π(n − φ)) = (−1)^(n+1)·sin(πφ): one sine per arrival, not 81.  The
 * window is 0 at both ends, so taps 0 and 80 are 0 and the first
 * AL_SIM_FD_SPAN taps carry the whole pulse; the fixed width vectorises. */
void
al_sim_fd_filter (double phi, float fd[AL_SIM_FD_TAPS])
{
  al_sim_fd_tables_init ();
  if (phi == 0)
    {
      for (int k = 0; k < AL_SIM_FD_TAPS; k++)
        fd[k] = 0;
      fd[AL_SIM_FD_CENTER] = 1;
      return;
    }
  const float s = (float) (sin (G_PI * phi) / G_PI), p = (float) phi;
  for (int k = 0; k < AL_SIM_FD_SPAN; k++)
    fd[k] = fd_c[k] * s / (fd_n[k] - p);
  fd[AL_SIM_FD_TAPS - 1] = 0;
}

/* y = b0 x + z0; z0 = b1 x − a1 y + z1; z1 = b2 x − a2 y (direct form II
 * transposed, as scipy's sosfilt), over x[0..n) with stride `step`. */
static void
biquad (const double b[3], const double a[3], double *x, int n, int step, double z0, double z1)
{
  for (int i = 0; i < n; i++)
    {
      double *p = x + (gsize) i * step;
      const double in = *p, out = b[0] * in + z0;
      z0 = b[1] * in - a[1] * out + z1;
      z1 = b[2] * in - a[2] * out;
      *p = out;
    }
}

void
al_sim_highpass (double *x, int n, double fc, double fs)
{
  enum { PAD = 9 }; /* sosfiltfilt: 3·(2·sections + 1) */
  const double K = tan (G_PI * fc / fs), D = 1 + G_SQRT2 * K + K * K;
  const double b[3] = { 1 / D, -2 / D, 1 / D };
  const double a[3] = { 1, 2 * (K * K - 1) / D, (1 - G_SQRT2 * K + K * K) / D };
  double zi[2], *ext;
  int next;

  if (fc <= 0 || n <= PAD || fc >= fs / 2)
    return;
  /* steady-state state for a unit step (scipy's lfilter_zi) */
  {
    const double B0 = b[1] - a[1] * b[0], B1 = b[2] - a[2] * b[0];
    zi[0] = (B0 + B1) / (1 + a[1] + a[2]);
    zi[1] = B1 - a[2] * zi[0];
  }
  /* odd extension by PAD samples at both ends */
  next = n + 2 * PAD;
  ext = g_new (double, next);
  for (int i = 0; i < PAD; i++)
    {
      ext[i] = 2 * x[0] - x[PAD - i];
      ext[PAD + n + i] = 2 * x[n - 1] - x[n - 2 - i];
    }
  for (int i = 0; i < n; i++)
    ext[PAD + i] = x[i];
  biquad (b, a, ext, next, 1, zi[0] * ext[0], zi[1] * ext[0]);
  biquad (b, a, ext + next - 1, next, -1, zi[0] * ext[next - 1], zi[1] * ext[next - 1]);
  for (int i = 0; i < n; i++)
    x[i] = ext[PAD + i];
  g_free (ext);
}
