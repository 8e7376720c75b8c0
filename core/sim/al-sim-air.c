/* al-sim-air.c — air absorption on rendered RIRs.  pyroomacoustics scales
 * each image by exp(−½·m_b·d) per octave band b; an image's distance is its
 * time of flight times c, so the same factor is a time-varying filter on the
 * RIR: each STFT frame is scaled per bin by exp(−½·m(f)·c·t) with t the
 * frame centre's time of flight (one frame spans 1.8 m at 48 kHz, 1.8 % of
 * attenuation at 8 kHz).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-sim-private.h"

#include <math.h>

/* Energy attenuation m (1/m) at 125 Hz … 8 kHz, 20 °C, 30–50 % RH. */
static const double air_freq[7] = { 125, 250, 500, 1000, 2000, 4000, 8000 };
static const double air_coef[7] = { 0.1e-3, 0.3e-3, 0.6e-3, 1.0e-3, 1.9e-3, 5.8e-3, 20.3e-3 };

/* Linear in log-frequency between band centres, constant outside (the
 * octave bank's first band reaches DC, its last one Nyquist). */
static double
air_coefficient (double f)
{
  if (f <= air_freq[0])
    return air_coef[0];
  if (f >= air_freq[6])
    return air_coef[6];
  for (int b = 0; b < 6; b++)
    if (f <= air_freq[b + 1])
      {
        const double t = log2 (f / air_freq[b]);
        return air_coef[b] + t * (air_coef[b + 1] - air_coef[b]);
      }
  return air_coef[6];
}

void
al_sim_air_absorption (float *x, int n, double fs, double c, double t0)
{
  enum { FRAME = AL_SIM_AIR_FRAME, HOP = AL_SIM_AIR_HOP };
  AlStft *stft = al_stft_new (FRAME, HOP);
  const int nbins = al_stft_nbins (stft), nframes = al_stft_nframes (stft, n);
  float complex *X = g_new (float complex, (gsize) nframes * nbins);
  double *m = g_new (double, nbins);

  for (int f = 0; f < nbins; f++)
    m[f] = air_coefficient (f * fs / FRAME);
  al_stft_forward (stft, x, n, X);
  for (int t = 0; t < nframes; t++)
    {
      /* frame t covers [t·HOP − (FRAME − HOP), t·HOP + HOP) */
      const double centre = (double) t * HOP - (FRAME - HOP) + FRAME / 2.0;
      const double dist = MAX (0.0, (centre - t0) / fs * c);
      for (int f = 0; f < nbins; f++)
        X[(gsize) t * nbins + f] *= (float) exp (-0.5 * m[f] * dist);
    }
  al_stft_inverse (stft, X, nframes, x, n);
  g_free (m);
  g_free (X);
  al_stft_free (stft);
}
