/* al-sh-transform.c — weighted least-squares SH transform of sampled functions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "al-base.h"
#include "al-linalg.h"
#include "al-sh-private.h"

/* Ridge relative to the mean diagonal of YᵀWY: invisible on exact grids (where
 * YᵀWY = I in N3D), but it keeps grids that cannot resolve some harmonic
 * (a horizontal ring for any n >= 1) solvable, with those coefficients near 0. */
#define TRANSFORM_RIDGE 1e-12

gboolean
al_sh_transform (const AlGrid *grid, int order, AlShNorm norm,
                 const double *f, int nfunc, double *coef, GError **error)
{
  g_autofree double *Y = NULL;
  g_autofree double *WY = NULL;
  g_autofree double *G = NULL;
  int count, n;
  double trace = 0;

  g_return_val_if_fail (grid != NULL, FALSE);
  g_return_val_if_fail (order >= 0 && order <= AL_SH_MAX_ORDER, FALSE);
  g_return_val_if_fail (nfunc >= 0, FALSE);
  if (nfunc == 0)
    return TRUE;
  g_return_val_if_fail (f != NULL && coef != NULL, FALSE);

  count = al_sh_count (order);
  n = grid->n;
  if (n < count)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "SH transform: grid “%s” has %d directions, fewer than the %d coefficients "
                   "of order %d", grid->name != NULL ? grid->name : "(unnamed)", n, count, order);
      return FALSE;
    }
  for (int j = 0; j < n; j++)
    if (!isfinite (grid->weights[j]) || grid->weights[j] < 0)
      {
        g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                     "SH transform: grid “%s”: weight %d is %g (must be finite and >= 0)",
                     grid->name != NULL ? grid->name : "(unnamed)", j, grid->weights[j]);
        return FALSE;
      }
  if (!al_check_finite (f, (size_t) n * nfunc, "SH transform: sampled functions", error))
    return FALSE;

  /* Normal equations in N3D: (YᵀWY + ε I) c = YᵀW f. */
  Y = g_new (double, (size_t) n * count);
  WY = g_new (double, (size_t) n * count);
  G = g_new (double, (size_t) count * count);
  al_sh_matrix (order, AL_SH_N3D, grid->dirs, n, Y);
  for (int j = 0; j < n; j++)
    for (int a = 0; a < count; a++)
      WY[(size_t) j * count + a] = grid->weights[j] * Y[(size_t) j * count + a];
  al_dgemm ('T', 'N', count, count, n, 1.0, Y, WY, 0.0, G);
  al_dgemm ('T', 'N', count, nfunc, n, 1.0, WY, f, 0.0, coef);
  for (int a = 0; a < count; a++)
    trace += G[(size_t) a * count + a];
  if (!(trace > 0))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "SH transform: grid “%s” has no positive weight",
                   grid->name != NULL ? grid->name : "(unnamed)");
      return FALSE;
    }
  for (int a = 0; a < count; a++)
    G[(size_t) a * count + a] += TRANSFORM_RIDGE * trace / count;

  if (!al_solve_symmetric (count, nfunc, G, coef, error))
    {
      g_prefix_error (error, "SH transform on grid “%s”, order %d: ",
                      grid->name != NULL ? grid->name : "(unnamed)", order);
      return FALSE;
    }

  /* f = Σ c_N3D Y_N3D = Σ c_norm Y_norm with Y_norm = s Y_N3D, so c_norm = c_N3D / s. */
  if (norm != AL_SH_N3D)
    for (int a = 0; a < count; a++)
      {
        double s = al_sh_norm_factor (al_sh_degree_of (a), AL_SH_N3D, norm);
        for (int k = 0; k < nfunc; k++)
          coef[(size_t) a * nfunc + k] /= s;
      }
  return TRUE;
}
