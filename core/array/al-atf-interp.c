/* al-atf-interp.c — SH-domain interpolation of an ATF set to new directions
 * (al_atf_set_interpolate).
 *
 * Per bin, each mic's transfer function over the set's directions is fitted
 * with real SH of the given order by weighted regularised least squares,
 *   c = (Yᵀ W Y + Λ)⁻¹ Yᵀ W h,   W = diag(Voronoi weights), Λ diagonal,
 * and evaluated at the new directions, h' = Y' c.  Y, W, λ and the order are
 * the same in every bin, so this is one real matrix T = Y' (YᵀWY + Λ)⁻¹ YᵀW
 * applied to every bin's complex data, which commutes with the inverse FFT:
 * applying it to the impulse responses themselves gives exactly the per-bin
 * result (at a fraction of the cost, and without any time aliasing).  For the
 * same reason a bulk delay shared by all directions passes through T
 * unchanged; removing it before the fit and restoring it afterwards would be
 * an identity, so it is not done.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-array.h"
#include "linalg/al-linalg.h"

#include <math.h>
#include <string.h>

/* Tikhonov weight of the highest degree, relative to the mean diagonal of
 * YᵀWY (≈ 1 in N3D with weights summing to 1); degree n gets
 * (1 + n(n+1)) / (1 + N(N+1)) of it, so the smooth low-degree part that
 * carries low frequencies is hardly biased (−85 dB at degree 2 for N = 12)
 * while the fit stays bounded where a measured grid leaves gaps. */
#define INTERP_REGULARISATION 1e-3

static gboolean
check_dirs (const double *dirs, int ndirs, GError **error)
{
  if (!al_check_finite (dirs, (size_t) ndirs * 2, "ATF interpolation: target directions", error))
    return FALSE;
  for (int d = 0; d < ndirs; d++)
    {
      double el = dirs[2 * d + 1];
      if (el < -G_PI_2 - 1e-9 || el > G_PI_2 + 1e-9)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                       "ATF interpolation: target direction %d has elevation %.2f°, outside −90…90°",
                       d, AL_RAD2DEG (el));
          return FALSE;
        }
    }
  return TRUE;
}

AlAtfSet *
al_atf_set_interpolate (const AlAtfSet *set, const double *dirs, int ndirs, int order,
                        AlProgress *progress, GError **error)
{
  g_return_val_if_fail (set != NULL && dirs != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  const char *name = set->title ? set->title : "ATF set";
  if (order < 0 || order > AL_SH_MAX_ORDER)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "ATF interpolation: SH order %d is outside 0…%d", order, AL_SH_MAX_ORDER);
      return NULL;
    }
  if (ndirs < 1)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "ATF interpolation: no target directions");
      return NULL;
    }
  if (!al_atf_set_validate (set, name, error) || !check_dirs (dirs, ndirs, error))
    return NULL;

  al_progress_report (progress, 0.0, "Interpolating ATFs");
  g_autoptr (AlGrid) grid = al_atf_set_grid (set, error);
  if (grid == NULL)
    return NULL;
  if (al_progress_cancelled (progress, error))
    return NULL;

  int nsh = al_sh_count (order), nsrc = set->ndirs;
  size_t len = (size_t) set->nmics * set->ir_len; /* one row of the set: all mics' IRs of a direction */
  g_autofree double *Y = g_new (double, (size_t) nsrc * nsh);
  g_autofree double *Ynew = g_new (double, (size_t) ndirs * nsh);
  al_sh_matrix (order, AL_SH_N3D, set->dirs, nsrc, Y);
  al_sh_matrix (order, AL_SH_N3D, dirs, ndirs, Ynew);

  /* WY = diag(w) Y;  G = Yᵀ W Y + λ I;  C = (WY)ᵀ IR */
  g_autofree double *WY = g_new (double, (size_t) nsrc * nsh);
  for (int d = 0; d < nsrc; d++)
    for (int a = 0; a < nsh; a++)
      WY[(size_t) d * nsh + a] = grid->weights[d] * Y[(size_t) d * nsh + a];
  g_autofree double *G = g_new (double, (size_t) nsh * nsh);
  al_dgemm ('T', 'N', nsh, nsh, nsrc, 1.0, Y, WY, 0.0, G);
  double trace = 0;
  for (int a = 0; a < nsh; a++)
    trace += G[(size_t) a * nsh + a];
  double lambda = INTERP_REGULARISATION * trace / nsh;
  for (int a = 0; a < nsh; a++)
    {
      int n = al_sh_degree_of (a);
      G[(size_t) a * nsh + a] += lambda * (1.0 + n * (n + 1)) / (1.0 + order * (order + 1));
    }

  g_autofree double *C = g_new (double, (size_t) nsh * len);
  al_dgemm ('T', 'N', nsh, (int) len, nsrc, 1.0, WY, set->ir, 0.0, C);
  al_progress_report (progress, 0.5, "Interpolating ATFs");
  if (al_progress_cancelled (progress, error))
    return NULL;
  if (!al_solve_real (nsh, (int) len, G, C, error))
    {
      g_prefix_error (error, "%s: SH expansion of order %d failed: ", name, order);
      return NULL;
    }

  AlAtfSet *out = al_atf_set_new (ndirs, set->nmics, set->ir_len, set->fs);
  al_dgemm ('N', 'N', ndirs, (int) len, nsh, 1.0, Ynew, C, 0.0, out->ir);

  memcpy (out->mic_pos, set->mic_pos, sizeof (double) * set->nmics * 3);
  memcpy (out->dirs, dirs, sizeof (double) * ndirs * 2);
  /* One source distance for the whole set carries over; mixed ones do not. */
  gboolean same_dist = TRUE;
  for (int d = 1; d < nsrc; d++)
    same_dist = same_dist && set->dist[d] == set->dist[0];
  for (int d = 0; d < ndirs; d++)
    out->dist[d] = same_dist ? set->dist[0] : 0.0;
  out->title = g_strdup_printf ("%s, interpolated (SH order %d)", name, order);
  out->source = g_strdup_printf ("%s, SH order %d interpolation", set->source ? set->source : name, order);
  al_progress_report (progress, 1.0, "Interpolating ATFs");
  return out;
}
