/* al-lsd.c — log-spectral distance per SH channel (DESIGN.md §5 item 8).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-metrics-private.h"

#include <math.h>

gboolean
al_lsd (const AlShSignals *est, const AlShSignals *ref, const AlMetricOptions *opt, double *per_channel,
        double *mean, GError **error)
{
  AlStftPair sp;
  if (!al_stft_pair_init (&sp, est, ref, opt, error))
    return FALSE;
  double peak;
  if (!al_stft_pair_ref_peak (&sp, &peak, error))
    {
      al_stft_pair_clear (&sp);
      return FALSE;
    }
  const int nch = sp.pair.nch, nbins = sp.nbins;
  /* The relative floor keeps log10 finite in empty bins (both sides then agree). */
  double floor_p = peak > 0 ? AL_METRICS_EPS * peak * peak : 1e-300;
  int k0 = (int) ceil (sp.band_lo * sp.frame / sp.pair.fs);
  int k1 = (int) floor (sp.band_hi * sp.frame / sp.pair.fs);
  k0 = CLAMP (k0, 0, nbins - 1);
  k1 = CLAMP (k1, 0, nbins - 1);
  if (k1 < k0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "LSD: band %g–%g Hz holds no STFT bin",
                   sp.band_lo, sp.band_hi);
      al_stft_pair_clear (&sp);
      return FALSE;
    }
  double total = 0;
  for (int c = 0; c < nch; c++)
    {
      if (!al_stft_pair_channel (&sp, c, TRUE, error))
        {
          al_stft_pair_clear (&sp);
          return FALSE;
        }
      double sum_t = 0;
      for (int t = 0; t < sp.nframes; t++)
        {
          double sum_f = 0;
          for (int k = k0; k <= k1; k++)
            {
              float complex e = sp.E[(gsize) t * nbins + k], b = sp.B[(gsize) t * nbins + k];
              double pe = (double) crealf (e) * crealf (e) + (double) cimagf (e) * cimagf (e);
              double pb = (double) crealf (b) * crealf (b) + (double) cimagf (b) * cimagf (b);
              double d = 10.0 * log10 ((pe + floor_p) / (pb + floor_p));
              sum_f += d * d;
            }
          sum_t += sqrt (sum_f / (k1 - k0 + 1));
        }
      double lsd = sum_t / sp.nframes;
      if (per_channel != NULL)
        per_channel[c] = lsd;
      total += lsd;
    }
  al_stft_pair_clear (&sp);
  if (mean != NULL)
    *mean = total / nch;
  return TRUE;
}
