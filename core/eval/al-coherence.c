/* al-coherence.c — magnitude-squared coherence per SH channel and
 * frequency over the STFT frames (DESIGN.md §5 item 1).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-metrics-private.h"

#include <math.h>

AlSpectralMetric *
al_coherence_per_channel (const AlShSignals *est, const AlShSignals *ref, const AlMetricOptions *opt,
                          GError **error)
{
  AlStftPair sp;
  if (!al_stft_pair_init (&sp, est, ref, opt, error))
    return NULL;
  const int nch = sp.pair.nch, nbins = sp.nbins;
  g_autofree double complex *cross = g_new0 (double complex, (gsize) nch * nbins);
  g_autofree double *pe = g_new0 (double, (gsize) nch * nbins);
  g_autofree double *pr = g_new0 (double, (gsize) nch * nbins);
  for (int c = 0; c < nch; c++)
    {
      if (!al_stft_pair_channel (&sp, c, TRUE, error))
        {
          al_stft_pair_clear (&sp);
          return NULL;
        }
      gsize row = (gsize) c * nbins;
      /* Sums in double: a float accumulator would cap γ of identical
       * signals visibly below 1 on long recordings. */
      for (int t = 0; t < sp.nframes; t++)
        for (int k = 0; k < nbins; k++)
          {
            double complex e = sp.E[(gsize) t * nbins + k], b = sp.B[(gsize) t * nbins + k];
            cross[row + k] += e * conj (b);
            pe[row + k] += creal (e) * creal (e) + cimag (e) * cimag (e);
            pr[row + k] += creal (b) * creal (b) + cimag (b) * cimag (b);
          }
    }
  AlSpectralMetric *m = al_stft_pair_metric (&sp);
  al_stft_pair_clear (&sp);

  /* γ is undefined where the reference has nothing to match: below the
   * relative floor of its strongest channel and bin. */
  double peak = 0;
  for (gsize i = 0; i < (gsize) nch * nbins; i++)
    peak = MAX (peak, pr[i]);
  double floor_r = AL_METRICS_EPS * peak;
  for (gsize i = 0; i < (gsize) nch * nbins; i++)
    {
      if (!(pr[i] > floor_r))
        m->per_channel[i] = NAN;
      else if (pe[i] <= 0)
        m->per_channel[i] = 0.0;
      else
        {
          double a = creal (cross[i]), b = cimag (cross[i]);
          /* Cauchy–Schwarz bounds γ by 1; rounding may not. */
          m->per_channel[i] = MIN (1.0, (a * a + b * b) / (pe[i] * pr[i]));
        }
    }
  al_spectral_metric_summarise (m);
  return m;
}
