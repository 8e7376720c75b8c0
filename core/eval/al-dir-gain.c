/* al-dir-gain.c — directional gain consistency over a set of signal pairs,
 * one per test direction (DESIGN.md §5 item 7 on signals).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-metrics-private.h"

#include <math.h>

gboolean
al_directional_gain_signals (const AlShSignals *est, const AlShSignals *ref, int K, double *gain_db,
                             double *dgc_db, GError **error)
{
  if (K < 1 || est == NULL || ref == NULL)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "directional gain: no test directions given");
      return FALSE;
    }
  g_autofree double *g = g_new (double, K);
  for (int k = 0; k < K; k++)
    {
      AlSignalPair pair;
      if (!al_signal_pair_init (&pair, &est[k], &ref[k], error))
        {
          g_prefix_error (error, "direction %d: ", k);
          return FALSE;
        }
      g_autofree double *e = g_new (double, pair.n);
      g_autofree double *b = g_new (double, pair.n);
      double ee = 0, bb = 0;
      for (int c = 0; c < pair.nch; c++)
        {
          if (!al_signal_pair_read_double (&pair, c, e, b, error))
            {
              al_signal_pair_clear (&pair);
              g_prefix_error (error, "direction %d: ", k);
              return FALSE;
            }
          for (gsize i = 0; i < pair.n; i++)
            {
              ee += e[i] * e[i];
              bb += b[i] * b[i];
            }
        }
      al_signal_pair_clear (&pair);
      if (!(bb > 0))
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "direction %d: %s is silent", k,
                       al_metrics_signal_name (&ref[k], "reference"));
          return FALSE;
        }
      g[k] = 10.0 * log10 (MAX (ee / bb, AL_METRICS_EPS));
    }
  double mean = 0, var = 0;
  for (int k = 0; k < K; k++)
    mean += g[k];
  mean /= K;
  for (int k = 0; k < K; k++)
    var += (g[k] - mean) * (g[k] - mean);
  if (gain_db != NULL)
    for (int k = 0; k < K; k++)
      gain_db[k] = g[k];
  if (dgc_db != NULL)
    *dgc_db = sqrt (var / K);
  return TRUE;
}
