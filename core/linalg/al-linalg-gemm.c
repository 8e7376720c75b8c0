/* al-linalg-gemm.c — row-major matrix products through CBLAS.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-linalg-private.h"

static gboolean
op_from_char (char op, gboolean complex_ok, CBLAS_TRANSPOSE *out)
{
  switch (op)
    {
    case 'N': case 'n': *out = CblasNoTrans; return TRUE;
    case 'T': case 't': *out = CblasTrans; return TRUE;
    case 'C': case 'c': *out = complex_ok ? CblasConjTrans : CblasTrans; return TRUE;
    default: return FALSE;
    }
}

void
al_zgemm (char opa, char opb, int m, int n, int k,
          double complex alpha, const double complex *A, const double complex *B,
          double complex beta, double complex *C)
{
  CBLAS_TRANSPOSE ta, tb;

  g_return_if_fail (op_from_char (opa, TRUE, &ta));
  g_return_if_fail (op_from_char (opb, TRUE, &tb));
  g_return_if_fail (m >= 0 && n >= 0 && k >= 0);
  if (m == 0 || n == 0)
    return;
  g_return_if_fail (C != NULL);
  g_return_if_fail (k == 0 || (A != NULL && B != NULL));

  /* Stored shapes: A is m x k untransposed, k x m otherwise; B likewise. */
  cblas_zgemm (CblasRowMajor, ta, tb, m, n, k, &alpha,
               A, MAX (1, ta == CblasNoTrans ? k : m),
               B, MAX (1, tb == CblasNoTrans ? n : k),
               &beta, C, n);
}

void
al_dgemm (char opa, char opb, int m, int n, int k,
          double alpha, const double *A, const double *B, double beta, double *C)
{
  CBLAS_TRANSPOSE ta, tb;

  g_return_if_fail (op_from_char (opa, FALSE, &ta));
  g_return_if_fail (op_from_char (opb, FALSE, &tb));
  g_return_if_fail (m >= 0 && n >= 0 && k >= 0);
  if (m == 0 || n == 0)
    return;
  g_return_if_fail (C != NULL);
  g_return_if_fail (k == 0 || (A != NULL && B != NULL));

  cblas_dgemm (CblasRowMajor, ta, tb, m, n, k, alpha,
               A, MAX (1, ta == CblasNoTrans ? k : m),
               B, MAX (1, tb == CblasNoTrans ? n : k),
               beta, C, n);
}
