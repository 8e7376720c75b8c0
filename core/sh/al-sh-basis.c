/* al-sh-basis.c — real spherical harmonics (ACN, no Condon–Shortley phase) and
 * their normalisations.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "al-base.h"
#include "al-sh.h"

/* Y_nm (N3D) = Q_n^|m|(sin el) · √(2 − δ_m0) · {cos mφ, 1, sin |m|φ}, with
 * Q_n^m = √((2n+1)(n−m)!/(n+m)!) P_n^m the fully normalised associated Legendre
 * function.  Q is built by the standard recurrences, whose coefficients are
 * ratios of O(n) numbers: no factorial ever appears, so order 30 is as accurate
 * as order 3. */
typedef struct {
  double sectoral[AL_SH_MAX_ORDER + 1];  /* Q_m^m = sectoral[m] · cos(el) · Q_{m−1}^{m−1} */
  double a[AL_SH_MAX_ORDER + 1][AL_SH_MAX_ORDER + 1];
  double b[AL_SH_MAX_ORDER + 1][AL_SH_MAX_ORDER + 1];
} LegendreCoefs;

static const LegendreCoefs *
legendre_coefs (void)
{
  static LegendreCoefs coefs;
  static gsize ready = 0;

  if (g_once_init_enter (&ready))
    {
      for (int m = 1; m <= AL_SH_MAX_ORDER; m++)
        coefs.sectoral[m] = sqrt ((2.0 * m + 1) / (2.0 * m));
      /* Q_n^m = a_nm (x Q_{n−1}^m − b_nm Q_{n−2}^m), n >= m + 1 (b unused at n = m + 1). */
      for (int n = 1; n <= AL_SH_MAX_ORDER; n++)
        for (int m = 0; m < n; m++)
          {
            double nn = n, mm = m;
            coefs.a[n][m] = sqrt ((4 * nn * nn - 1) / (nn * nn - mm * mm));
            coefs.b[n][m] = sqrt (((nn - 1) * (nn - 1) - mm * mm) / (4 * (nn - 1) * (nn - 1) - 1));
          }
      g_once_init_leave (&ready, 1);
    }
  return &coefs;
}

int
al_sh_degree_of (int acn)
{
  int n;

  g_return_val_if_fail (acn >= 0, -1);
  n = (int) sqrt ((double) acn);
  while (n * n > acn)
    n--;
  while ((n + 1) * (n + 1) <= acn)
    n++;
  return n;
}

const char *
al_sh_norm_name (AlShNorm norm)
{
  switch (norm)
    {
    case AL_SH_SN3D: return "sn3d";
    case AL_SH_N3D: return "n3d";
    case AL_SH_ORTHONORMAL: return "orthonormal";
    default: break;
    }
  g_return_val_if_reached ("unknown");
}

gboolean
al_sh_norm_parse (const char *name, AlShNorm *norm, GError **error)
{
  static const AlShNorm all[] = { AL_SH_SN3D, AL_SH_N3D, AL_SH_ORTHONORMAL };

  g_return_val_if_fail (norm != NULL, FALSE);
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (all); i++)
    if (g_ascii_strcasecmp (name, al_sh_norm_name (all[i])) == 0)
      {
        *norm = all[i];
        return TRUE;
      }
  g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
               "unknown SH normalisation “%s” (valid: sn3d, n3d, orthonormal)",
               name != NULL ? name : "(null)");
  return FALSE;
}

/* Scale of Y in `norm` relative to N3D at degree n. */
static double
scale_from_n3d (int n, AlShNorm norm)
{
  switch (norm)
    {
    case AL_SH_SN3D: return 1.0 / sqrt (2.0 * n + 1);
    case AL_SH_N3D: return 1.0;
    case AL_SH_ORTHONORMAL: return 1.0 / sqrt (4 * G_PI);
    default: break;
    }
  g_return_val_if_reached (1.0);
}

double
al_sh_norm_factor (int n, AlShNorm from, AlShNorm to)
{
  g_return_val_if_fail (n >= 0, 1.0);
  if (from == to)
    return 1.0;
  return scale_from_n3d (n, to) / scale_from_n3d (n, from);
}

void
al_sh_real (int order, AlShNorm norm, double azimuth, double elevation, double *y)
{
  const LegendreCoefs *c = legendre_coefs ();
  double q[AL_SH_MAX_ORDER + 1][AL_SH_MAX_ORDER + 1];
  double scale[AL_SH_MAX_ORDER + 1];
  double x = sin (elevation);
  /* cos(el), signed: Q_n^m carries cos(el)^m, so an elevation beyond ±90°
   * still gives the SH of the direction vector it denotes. */
  double s = cos (elevation);

  g_return_if_fail (order >= 0 && order <= AL_SH_MAX_ORDER);
  g_return_if_fail (y != NULL);

  q[0][0] = 1.0;
  for (int m = 0; m <= order; m++)
    {
      if (m > 0)
        q[m][m] = c->sectoral[m] * s * q[m - 1][m - 1];
      if (m + 1 <= order)
        q[m + 1][m] = sqrt (2.0 * m + 3) * x * q[m][m];
      for (int n = m + 2; n <= order; n++)
        q[n][m] = c->a[n][m] * (x * q[n - 1][m] - c->b[n][m] * q[n - 2][m]);
    }

  for (int n = 0; n <= order; n++)
    {
      scale[n] = scale_from_n3d (n, norm);
      y[al_sh_acn (n, 0)] = scale[n] * q[n][0];
    }
  for (int m = 1; m <= order; m++)
    {
      double cm = G_SQRT2 * cos (m * azimuth), sm = G_SQRT2 * sin (m * azimuth);
      for (int n = m; n <= order; n++)
        {
          double v = scale[n] * q[n][m];
          y[al_sh_acn (n, m)] = v * cm;
          y[al_sh_acn (n, -m)] = v * sm;
        }
    }
}

void
al_sh_matrix (int order, AlShNorm norm, const double *dirs, int ndirs, double *Y)
{
  int count = al_sh_count (order);

  g_return_if_fail (order >= 0 && order <= AL_SH_MAX_ORDER);
  g_return_if_fail (ndirs >= 0);
  g_return_if_fail (ndirs == 0 || (dirs != NULL && Y != NULL));

  for (int j = 0; j < ndirs; j++)
    al_sh_real (order, norm, dirs[2 * j], dirs[2 * j + 1], Y + (size_t) j * count);
}
