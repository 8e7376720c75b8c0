/* al-magnitude-error.c — STFT magnitude error in dB per SH channel and
 * frequency (DESIGN.md §5 item 2).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-metrics-private.h"

#include <math.h>

/* ε of item 2: 80 dB below the reference's largest STFT magnitude, so
 * that leakage into channels the reference leaves silent still counts
 * (up to 80 dB) instead of dividing by zero. */
#define FLOOR_DB (-80.0)

AlSpectralMetric *
al_magnitude_error (const AlShSignals *est, const AlShSignals *ref, const AlMetricOptions *opt, GError **error)
{
  AlStftPair sp;
  if (!al_stft_pair_init (&sp, est, ref, opt, error))
    return NULL;
  double peak;
  if (!al_stft_pair_ref_peak (&sp, &peak, error))
    {
      al_stft_pair_clear (&sp);
      return NULL;
    }
  const int nch = sp.pair.nch, nbins = sp.nbins;
  /* A silent reference still needs a positive ε; any will do as both sides are then 0. */
  double eps = peak > 0 ? peak * pow (10.0, FLOOR_DB / 20.0) : 1e-30;
  AlSpectralMetric *m = al_stft_pair_metric (&sp);
  for (int c = 0; c < nch; c++)
    {
      if (!al_stft_pair_channel (&sp, c, TRUE, error))
        {
          al_stft_pair_clear (&sp);
          al_spectral_metric_free (m);
          return NULL;
        }
      double *row = m->per_channel + (gsize) c * nbins;
      for (int t = 0; t < sp.nframes; t++)
        for (int k = 0; k < nbins; k++)
          {
            double e = cabsf (sp.E[(gsize) t * nbins + k]), b = cabsf (sp.B[(gsize) t * nbins + k]);
            row[k] += fabs (20.0 * log10 ((e + eps) / (b + eps)));
          }
      for (int k = 0; k < nbins; k++)
        row[k] /= sp.nframes;
    }
  al_stft_pair_clear (&sp);
  /* Every channel has the same frames, so the mean over c of the means
   * over t is S(f) = mean over t and c. */
  al_spectral_metric_summarise (m);
  return m;
}
