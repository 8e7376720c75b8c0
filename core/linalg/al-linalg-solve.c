/* al-linalg-solve.c — square linear systems A X = B (Cholesky with LU fallback, LU).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "al-linalg-private.h"

static gboolean
check_solve_args (const char *op, int n, int nrhs, gboolean (*check) (const void *, size_t, const char *, GError **),
                  const void *A, const void *B, GError **error)
{
  g_autofree char *what_a = g_strdup_printf ("%s: matrix A (%d x %d)", op, n, n);
  g_autofree char *what_b = g_strdup_printf ("%s: right-hand side B (%d x %d)", op, n, nrhs);

  return check (A, (size_t) n * n, what_a, error) && check (B, (size_t) n * nrhs, what_b, error);
}

static gboolean
check_d (const void *x, size_t count, const char *what, GError **error)
{
  return al_check_finite (x, count, what, error);
}

static gboolean
check_z (const void *x, size_t count, const char *what, GError **error)
{
  return al_linalg_check_finite_z (x, count, what, error);
}

static gboolean
lu_result (const char *op, const char *routine, lapack_int info, GError **error)
{
  if (info == 0)
    return TRUE;
  if (info > 0)
    g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                 "%s: matrix is singular (%s: U(%d,%d) is exactly zero, info = %d)",
                 op, routine, (int) info, (int) info, (int) info);
  else
    g_set_error (error, AL_ERROR, AL_ERROR_FAILED,
                 "%s: %s rejected argument %d (info = %d)", op, routine, (int) -info, (int) info);
  return FALSE;
}

gboolean
al_solve_complex (int n, int nrhs, double complex *A, double complex *B, GError **error)
{
  g_autofree lapack_int *ipiv = NULL;
  lapack_int info;

  g_return_val_if_fail (n >= 0 && nrhs >= 0, FALSE);
  if (n == 0 || nrhs == 0)
    return TRUE;
  g_return_val_if_fail (A != NULL && B != NULL, FALSE);
  if (!check_solve_args ("solve_complex", n, nrhs, check_z, A, B, error))
    return FALSE;

  ipiv = g_new (lapack_int, n);
  info = LAPACKE_zgesv (LAPACK_ROW_MAJOR, n, nrhs, A, n, ipiv, B, nrhs);
  return lu_result ("solve_complex", "zgesv", info, error);
}

gboolean
al_solve_real (int n, int nrhs, double *A, double *B, GError **error)
{
  g_autofree lapack_int *ipiv = NULL;
  lapack_int info;

  g_return_val_if_fail (n >= 0 && nrhs >= 0, FALSE);
  if (n == 0 || nrhs == 0)
    return TRUE;
  g_return_val_if_fail (A != NULL && B != NULL, FALSE);
  if (!check_solve_args ("solve_real", n, nrhs, check_d, A, B, error))
    return FALSE;

  ipiv = g_new (lapack_int, n);
  info = LAPACKE_dgesv (LAPACK_ROW_MAJOR, n, nrhs, A, n, ipiv, B, nrhs);
  return lu_result ("solve_real", "dgesv", info, error);
}

gboolean
al_solve_hermitian (int n, int nrhs, double complex *A, double complex *B, GError **error)
{
  g_autofree double complex *copy = NULL;
  g_autofree lapack_int *ipiv = NULL;
  lapack_int info;

  g_return_val_if_fail (n >= 0 && nrhs >= 0, FALSE);
  if (n == 0 || nrhs == 0)
    return TRUE;
  g_return_val_if_fail (A != NULL && B != NULL, FALSE);
  if (!check_solve_args ("solve_hermitian", n, nrhs, check_z, A, B, error))
    return FALSE;

  /* zpotrf overwrites A before it can tell that A is not positive-definite. */
  copy = g_memdup2 (A, sizeof *A * (size_t) n * n);
  info = LAPACKE_zposv (LAPACK_ROW_MAJOR, 'U', n, nrhs, A, n, B, nrhs);
  if (info == 0)
    return TRUE;
  if (info < 0)
    return lu_result ("solve_hermitian", "zposv", info, error);

  /* Not numerically positive-definite (info > 0): B is untouched, try LU. */
  memcpy (A, copy, sizeof *A * (size_t) n * n);
  ipiv = g_new (lapack_int, n);
  info = LAPACKE_zgesv (LAPACK_ROW_MAJOR, n, nrhs, A, n, ipiv, B, nrhs);
  return lu_result ("solve_hermitian", "zgesv (fallback after zposv found A not positive-definite)",
                    info, error);
}

gboolean
al_solve_symmetric (int n, int nrhs, double *A, double *B, GError **error)
{
  g_autofree double *copy = NULL;
  g_autofree lapack_int *ipiv = NULL;
  lapack_int info;

  g_return_val_if_fail (n >= 0 && nrhs >= 0, FALSE);
  if (n == 0 || nrhs == 0)
    return TRUE;
  g_return_val_if_fail (A != NULL && B != NULL, FALSE);
  if (!check_solve_args ("solve_symmetric", n, nrhs, check_d, A, B, error))
    return FALSE;

  copy = g_memdup2 (A, sizeof *A * (size_t) n * n);
  info = LAPACKE_dposv (LAPACK_ROW_MAJOR, 'U', n, nrhs, A, n, B, nrhs);
  if (info == 0)
    return TRUE;
  if (info < 0)
    return lu_result ("solve_symmetric", "dposv", info, error);

  memcpy (A, copy, sizeof *A * (size_t) n * n);
  ipiv = g_new (lapack_int, n);
  info = LAPACKE_dgesv (LAPACK_ROW_MAJOR, n, nrhs, A, n, ipiv, B, nrhs);
  return lu_result ("solve_symmetric", "dgesv (fallback after dposv found A not positive-definite)",
                    info, error);
}
