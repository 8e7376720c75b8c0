/* al-linalg-lstsq.c — Tikhonov-regularised and minimum-norm real least squares.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <float.h>
#include <string.h>

#include "al-linalg-private.h"

static gboolean
lstsq_failed (const char *routine, lapack_int info, GError **error)
{
  if (info > 0)
    g_set_error (error, AL_ERROR, AL_ERROR_FAILED,
                 "lstsq_real: %s failed (info = %d)", routine, (int) info);
  else
    g_set_error (error, AL_ERROR, AL_ERROR_FAILED,
                 "lstsq_real: %s rejected argument %d (info = %d)", routine, (int) -info, (int) info);
  return FALSE;
}

/* λ = 0: minimum-norm least squares by SVD (dgelsd); singular values below
 * max(m,n)·ε·s_max count as zero, as in numpy.linalg.lstsq. */
static gboolean
lstsq_min_norm (int m, int n, int nrhs, const double *A, const double *B, double *X, GError **error)
{
  int rows = MAX (m, n);
  g_autofree double *a = g_memdup2 (A, sizeof *A * (size_t) m * n);
  g_autofree double *b = g_new0 (double, (size_t) rows * nrhs);
  g_autofree double *s = g_new (double, MIN (m, n));
  lapack_int rank, info;

  memcpy (b, B, sizeof *B * (size_t) m * nrhs);
  info = LAPACKE_dgelsd (LAPACK_ROW_MAJOR, m, n, nrhs, a, n, b, nrhs, s,
                         DBL_EPSILON * rows, &rank);
  if (info != 0)
    return lstsq_failed ("dgelsd", info, error);
  memcpy (X, b, sizeof *X * (size_t) n * nrhs);
  return TRUE;
}

/* λ > 0 without forming AᵀA (which would square the condition number):
 * m >= n: X is the LS solution of [A; √λ I] X = [B; 0] (QR, (m+n) x n);
 * m <  n: X is the top n rows of the minimum-norm solution y of [A  √λ I] y = B
 *         (LQ, m x (n+m)), since then X = Aᵀ(AAᵀ + λI)⁻¹B. */
static gboolean
lstsq_tikhonov (int m, int n, int nrhs, const double *A, const double *B, double lambda,
                double *X, GError **error)
{
  double root = sqrt (lambda);
  g_autofree double *a = NULL;
  g_autofree double *b = NULL;
  lapack_int info;

  if (m >= n)
    {
      a = g_new0 (double, (size_t) (m + n) * n);
      b = g_new0 (double, (size_t) (m + n) * nrhs);
      memcpy (a, A, sizeof *A * (size_t) m * n);
      for (int i = 0; i < n; i++)
        a[(size_t) (m + i) * n + i] = root;
      memcpy (b, B, sizeof *B * (size_t) m * nrhs);
      info = LAPACKE_dgels (LAPACK_ROW_MAJOR, 'N', m + n, n, nrhs, a, n, b, nrhs);
    }
  else
    {
      int cols = n + m;

      a = g_new0 (double, (size_t) m * cols);
      b = g_new0 (double, (size_t) cols * nrhs);
      for (int i = 0; i < m; i++)
        {
          memcpy (a + (size_t) i * cols, A + (size_t) i * n, sizeof *A * n);
          a[(size_t) i * cols + n + i] = root;
        }
      memcpy (b, B, sizeof *B * (size_t) m * nrhs);
      info = LAPACKE_dgels (LAPACK_ROW_MAJOR, 'N', m, cols, nrhs, a, cols, b, nrhs);
    }
  if (info != 0)
    return lstsq_failed ("dgels", info, error);
  memcpy (X, b, sizeof *X * (size_t) n * nrhs);
  return TRUE;
}

gboolean
al_lstsq_real (int m, int n, int nrhs, const double *A, const double *B,
               double lambda, double *X, GError **error)
{
  g_autofree char *what_a = NULL;
  g_autofree char *what_b = NULL;

  g_return_val_if_fail (m >= 0 && n >= 0 && nrhs >= 0, FALSE);
  if (n == 0 || nrhs == 0)
    return TRUE;
  g_return_val_if_fail (X != NULL, FALSE);
  if (m == 0)
    {
      /* No equations: the minimiser is X = 0 for any λ >= 0. */
      memset (X, 0, sizeof *X * (size_t) n * nrhs);
      return TRUE;
    }
  g_return_val_if_fail (A != NULL && B != NULL, FALSE);

  if (!isfinite (lambda) || lambda < 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "lstsq_real: regularisation λ = %g must be finite and >= 0", lambda);
      return FALSE;
    }
  what_a = g_strdup_printf ("lstsq_real: matrix A (%d x %d)", m, n);
  what_b = g_strdup_printf ("lstsq_real: right-hand side B (%d x %d)", m, nrhs);
  if (!al_check_finite (A, (size_t) m * n, what_a, error)
      || !al_check_finite (B, (size_t) m * nrhs, what_b, error))
    return FALSE;

  if (lambda == 0)
    return lstsq_min_norm (m, n, nrhs, A, B, X, error);
  return lstsq_tikhonov (m, n, nrhs, A, B, lambda, X, error);
}
