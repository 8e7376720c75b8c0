/* al-map-error.c — comparing an estimated power map with the reference's:
 * SPME and SPM-KL (DESIGN.md §5 items 5 and 6).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-metrics-private.h"

#include <math.h>

static gboolean
check_maps (const AlPowerMap *est, const AlPowerMap *ref, const char *what, GError **error)
{
  if (est == NULL || ref == NULL)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "%s: a map is missing", what);
      return FALSE;
    }
  if (est->ndirs != ref->ndirs)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH, "%s: the estimate's map has %d directions, the reference's %d",
                   what, est->ndirs, ref->ndirs);
      return FALSE;
    }
  for (int j = 0; j < 2 * ref->ndirs; j++)
    if (fabs (est->dirs[j] - ref->dirs[j]) > 1e-9)
      {
        g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH, "%s: the maps' grids differ at direction %d", what, j / 2);
        return FALSE;
      }
  if (est->method != ref->method)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH, "%s: the estimate's map is %s, the reference's %s", what,
                   al_map_method_name (est->method), al_map_method_name (ref->method));
      return FALSE;
    }
  /* Item-4 maps carry the signals' normalisation in their scale. */
  if (est->method == AL_MAP_SH && est->norm != ref->norm)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH, "%s: the estimate's map is in %s, the reference's in %s", what,
                   al_sh_norm_name (est->norm), al_sh_norm_name (ref->norm));
      return FALSE;
    }
  return TRUE;
}

gboolean
al_spme (const AlPowerMap *est, const AlPowerMap *ref, double *spme_db, GError **error)
{
  if (!check_maps (est, ref, "SPME", error))
    return FALSE;
  double num = 0, den = 0;
  for (int j = 0; j < ref->ndirs; j++)
    {
      double d = est->power[j] - ref->power[j];
      num += d * d;
      den += ref->power[j] * ref->power[j];
    }
  if (!(den > 0))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "SPME: the reference map is zero");
      return FALSE;
    }
  /* The relative floor makes identical maps −120 dB rather than −inf. */
  *spme_db = 10.0 * log10 ((num + AL_METRICS_EPS * den) / den);
  return TRUE;
}

gboolean
al_spm_kl (const AlPowerMap *est, const AlPowerMap *ref, double *kl, GError **error)
{
  if (!check_maps (est, ref, "SPM-KL", error))
    return FALSE;
  double se = 0, sr = 0;
  for (int j = 0; j < ref->ndirs; j++)
    {
      se += est->power[j];
      sr += ref->power[j];
    }
  if (!(sr > 0) || !(se > 0))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "SPM-KL: the %s map is zero",
                   sr > 0 ? "estimate's" : "reference's");
      return FALSE;
    }
  double d = 0;
  for (int j = 0; j < ref->ndirs; j++)
    {
      double p = ref->power[j] / sr, q = est->power[j] / se;
      if (p > 0)
        d += p * log (p / (q + AL_METRICS_EPS));
    }
  /* KL >= 0; only ε can push identical maps a hair below. */
  *kl = MAX (d, 0.0);
  return TRUE;
}
