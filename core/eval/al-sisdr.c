/* al-sisdr.c — scale-invariant signal-to-distortion ratio per SH channel
 * on the aligned time signals (DESIGN.md §5 item 3).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-metrics-private.h"

#include <math.h>

gboolean
al_si_sdr (const AlShSignals *est, const AlShSignals *ref, double *per_channel, double *mean, GError **error)
{
  AlSignalPair pair;
  if (!al_signal_pair_init (&pair, est, ref, error))
    return FALSE;
  const int nch = pair.nch;
  const gsize n = pair.n;
  g_autofree double *e = g_new (double, n);
  g_autofree double *b = g_new (double, n);
  g_autofree double *energy = g_new (double, nch);
  g_autofree double *value = g_new (double, nch);
  double loudest = 0;
  for (int c = 0; c < nch; c++)
    {
      if (!al_signal_pair_read_double (&pair, c, e, b, error))
        {
          al_signal_pair_clear (&pair);
          return FALSE;
        }
      double eb = 0, bb = 0;
      for (gsize i = 0; i < n; i++)
        {
          eb += e[i] * b[i];
          bb += b[i] * b[i];
        }
      energy[c] = bb;
      loudest = MAX (loudest, bb);
      if (!(bb > 0))
        {
          value[c] = NAN;
          continue;
        }
      double alpha = eb / bb;
      /* The residual summed directly, not as ‖b̂‖² − α²‖b‖², which cancels
       * to rounding noise exactly when the estimate is good. */
      double noise = 0;
      for (gsize i = 0; i < n; i++)
        {
          double r = e[i] - alpha * b[i];
          noise += r * r;
        }
      double target = alpha * alpha * bb;
      double ratio = target / (noise + AL_METRICS_EPS * target);
      /* ratio is 0/0 only for a silent estimate: as wrong as it gets. */
      value[c] = 10.0 * log10 (isfinite (ratio) ? MAX (ratio, AL_METRICS_EPS) : AL_METRICS_EPS);
    }
  al_signal_pair_clear (&pair);

  double sum = 0;
  int count = 0;
  for (int c = 0; c < nch; c++)
    {
      /* A channel the reference leaves (relatively) silent has no scale to fit. */
      if (!(energy[c] > AL_METRICS_EPS * loudest))
        value[c] = NAN;
      if (isfinite (value[c]))
        {
          sum += value[c];
          count++;
        }
      if (per_channel != NULL)
        per_channel[c] = value[c];
    }
  if (count == 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "SI-SDR: %s is silent in every channel",
                   al_metrics_signal_name (ref, "reference"));
      return FALSE;
    }
  if (mean != NULL)
    *mean = sum / count;
  return TRUE;
}
