/* al-linalg-decomp.c — Hermitian eigenvalues and singular value decompositions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "al-linalg-private.h"

static gboolean
lapack_failed (const char *op, const char *routine, lapack_int info, GError **error)
{
  if (info > 0)
    g_set_error (error, AL_ERROR, AL_ERROR_FAILED,
                 "%s: %s did not converge (info = %d)", op, routine, (int) info);
  else
    g_set_error (error, AL_ERROR, AL_ERROR_FAILED,
                 "%s: %s rejected argument %d (info = %d)", op, routine, (int) -info, (int) info);
  return FALSE;
}

gboolean
al_eig_hermitian (int n, double complex *A, double *w, GError **error)
{
  g_autofree double complex *copy = NULL;
  g_autofree char *what = NULL;
  lapack_int info;

  g_return_val_if_fail (n >= 0, FALSE);
  if (n == 0)
    return TRUE;
  g_return_val_if_fail (A != NULL && w != NULL, FALSE);
  what = g_strdup_printf ("eig_hermitian: matrix A (%d x %d)", n, n);
  if (!al_linalg_check_finite_z (A, (size_t) n * n, what, error))
    return FALSE;

  copy = g_memdup2 (A, sizeof *A * (size_t) n * n);
  info = LAPACKE_zheevd (LAPACK_ROW_MAJOR, 'N', 'U', n, A, n, w);
  if (info == 0)
    return TRUE;
  if (info > 0)
    {
      /* The divide-and-conquer driver rarely fails where plain QR iteration succeeds. */
      memcpy (A, copy, sizeof *A * (size_t) n * n);
      info = LAPACKE_zheev (LAPACK_ROW_MAJOR, 'N', 'U', n, A, n, w);
      if (info == 0)
        return TRUE;
      return lapack_failed ("eig_hermitian", "zheev", info, error);
    }
  return lapack_failed ("eig_hermitian", "zheevd", info, error);
}

gboolean
al_svd_complex (int m, int n, const double complex *A, double *s,
                double complex *U, double complex *Vh, GError **error)
{
  g_autofree double complex *a = NULL;
  g_autofree double complex *u_tmp = NULL;
  g_autofree double complex *vh_tmp = NULL;
  g_autofree double *superb = NULL;
  g_autofree char *what = NULL;
  gboolean want_vectors = (U != NULL || Vh != NULL);
  double complex *u, *vh;
  size_t size = (size_t) m * n;
  lapack_int info;

  g_return_val_if_fail (m >= 0 && n >= 0, FALSE);
  if (m == 0 || n == 0)
    return TRUE;
  g_return_val_if_fail (A != NULL && s != NULL, FALSE);
  what = g_strdup_printf ("svd_complex: matrix A (%d x %d)", m, n);
  if (!al_linalg_check_finite_z (A, size, what, error))
    return FALSE;

  /* gesdd computes both factors or neither; scratch stands in for the one not wanted. */
  u = U;
  vh = Vh;
  if (want_vectors && u == NULL)
    u = u_tmp = g_new (double complex, (size_t) m * m);
  if (want_vectors && vh == NULL)
    vh = vh_tmp = g_new (double complex, (size_t) n * n);

  a = g_memdup2 (A, sizeof *A * size);
  info = LAPACKE_zgesdd (LAPACK_ROW_MAJOR, want_vectors ? 'A' : 'N', m, n, a, n, s,
                         u, m, vh, n);
  if (info == 0)
    return TRUE;
  if (info < 0)
    return lapack_failed ("svd_complex", "zgesdd", info, error);

  memcpy (a, A, sizeof *A * size);
  superb = g_new (double, MIN (m, n));
  info = LAPACKE_zgesvd (LAPACK_ROW_MAJOR, want_vectors ? 'A' : 'N', want_vectors ? 'A' : 'N',
                         m, n, a, n, s, u, m, vh, n, superb);
  if (info == 0)
    return TRUE;
  return lapack_failed ("svd_complex", "zgesvd (after zgesdd failed)", info, error);
}

gboolean
al_svd_real (int m, int n, const double *A, double *s, double *U, double *Vt, GError **error)
{
  g_autofree double *a = NULL;
  g_autofree double *u_tmp = NULL;
  g_autofree double *vt_tmp = NULL;
  g_autofree double *superb = NULL;
  g_autofree char *what = NULL;
  gboolean want_vectors = (U != NULL || Vt != NULL);
  double *u, *vt;
  size_t size = (size_t) m * n;
  lapack_int info;

  g_return_val_if_fail (m >= 0 && n >= 0, FALSE);
  if (m == 0 || n == 0)
    return TRUE;
  g_return_val_if_fail (A != NULL && s != NULL, FALSE);
  what = g_strdup_printf ("svd_real: matrix A (%d x %d)", m, n);
  if (!al_check_finite (A, size, what, error))
    return FALSE;

  u = U;
  vt = Vt;
  if (want_vectors && u == NULL)
    u = u_tmp = g_new (double, (size_t) m * m);
  if (want_vectors && vt == NULL)
    vt = vt_tmp = g_new (double, (size_t) n * n);

  a = g_memdup2 (A, sizeof *A * size);
  info = LAPACKE_dgesdd (LAPACK_ROW_MAJOR, want_vectors ? 'A' : 'N', m, n, a, n, s,
                         u, m, vt, n);
  if (info == 0)
    return TRUE;
  if (info < 0)
    return lapack_failed ("svd_real", "dgesdd", info, error);

  memcpy (a, A, sizeof *A * size);
  superb = g_new (double, MIN (m, n));
  info = LAPACKE_dgesvd (LAPACK_ROW_MAJOR, want_vectors ? 'A' : 'N', want_vectors ? 'A' : 'N',
                         m, n, a, n, s, u, m, vt, n, superb);
  if (info == 0)
    return TRUE;
  return lapack_failed ("svd_real", "dgesvd (after dgesdd failed)", info, error);
}
