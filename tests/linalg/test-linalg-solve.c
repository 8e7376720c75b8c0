/* test-linalg-solve.c — linear solves: hand-computed systems, random round trips
 * (residual of A X = B), the LU fallback for indefinite Hermitian matrices and errors.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-base.h"
#include "al-linalg.h"
#include "test-linalg-util.h"

static void
test_hand_real (void)
{
  /* [4 1; 1 3] x = [1; 2]  =>  x = [1/11; 7/11] (Cramer's rule). */
  double A[4] = { 4, 1, 1, 3 }, b[2] = { 1, 2 };
  double A2[4] = { 4, 1, 1, 3 }, b2[2] = { 1, 2 };
  GError *error = NULL;

  g_assert_true (al_solve_real (2, 1, A, b, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (b[0], 1.0 / 11, 1e-15);
  g_assert_cmpfloat_with_epsilon (b[1], 7.0 / 11, 1e-15);

  g_assert_true (al_solve_symmetric (2, 1, A2, b2, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (b2[0], 1.0 / 11, 1e-15);
  g_assert_cmpfloat_with_epsilon (b2[1], 7.0 / 11, 1e-15);
}

static void
test_hand_hermitian (void)
{
  /* [2 i; -i 2] x = [1; 0]: det = 3, x = [2/3; i/3]. */
  double complex A[4] = { 2, I, -I, 2 }, b[2] = { 1, 0 };
  GError *error = NULL;

  g_assert_true (al_solve_hermitian (2, 1, A, b, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (cabs (b[0] - 2.0 / 3), <, 1e-15);
  g_assert_cmpfloat (cabs (b[1] - I / 3.0), <, 1e-15);
}

/* Residual max |A X - B| of a solve with n x n A and n x nrhs B. */
static double
residual_z (int n, int nrhs, const double complex *A, const double complex *X, const double complex *B)
{
  double complex *AX = g_new (double complex, n * nrhs);
  double res;

  naive_zmul (n, nrhs, n, A, X, AX);
  res = max_abs_diff_z (AX, B, (size_t) n * nrhs);
  g_free (AX);
  return res;
}

static void
test_random_complex (void)
{
  GRand *r = g_rand_new_with_seed (3);
  const int n = 40, nrhs = 7;
  double complex *M = g_new (double complex, n * n);
  double complex *Mh = g_new (double complex, n * n);
  double complex *A = g_new (double complex, n * n);
  double complex *Awork = g_new (double complex, n * n);
  double complex *B = g_new (double complex, n * nrhs);
  double complex *X = g_new (double complex, n * nrhs);
  GError *error = NULL;

  /* General complex A. */
  fill_z (r, A, n * n);
  fill_z (r, B, n * nrhs);
  memcpy (Awork, A, sizeof *A * n * n);
  memcpy (X, B, sizeof *B * n * nrhs);
  g_assert_true (al_solve_complex (n, nrhs, Awork, X, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (residual_z (n, nrhs, A, X, B), <, 1e-10);

  /* Hermitian positive-definite: A = Mᴴ M + I (Cholesky path). */
  fill_z (r, M, n * n);
  naive_zadjoint (n, n, M, Mh);
  naive_zmul (n, n, n, Mh, M, A);
  for (int i = 0; i < n; i++)
    A[i * n + i] += 1;
  memcpy (Awork, A, sizeof *A * n * n);
  memcpy (X, B, sizeof *B * n * nrhs);
  g_assert_true (al_solve_hermitian (n, nrhs, Awork, X, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (residual_z (n, nrhs, A, X, B), <, 1e-10);

  /* Hermitian indefinite: Q diag(±(1..n)) Qᴴ makes Cholesky fail, LU must take over. */
  random_unitary (r, n, M);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      Mh[i * n + j] = M[i * n + j] * ((j % 2) ? -(j + 1.0) : (j + 1.0));
  {
    double complex *Qh = g_new (double complex, n * n);
    naive_zadjoint (n, n, M, Qh);
    naive_zmul (n, n, n, Mh, Qh, A);
    g_free (Qh);
  }
  memcpy (Awork, A, sizeof *A * n * n);
  memcpy (X, B, sizeof *B * n * nrhs);
  g_assert_true (al_solve_hermitian (n, nrhs, Awork, X, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (residual_z (n, nrhs, A, X, B), <, 1e-10);

  g_free (M);
  g_free (Mh);
  g_free (A);
  g_free (Awork);
  g_free (B);
  g_free (X);
  g_rand_free (r);
}

static void
test_random_real (void)
{
  GRand *r = g_rand_new_with_seed (4);
  const int n = 30, nrhs = 3;
  double *M = g_new (double, n * n), *A = g_new (double, n * n), *Aw = g_new (double, n * n);
  double *B = g_new (double, n * nrhs), *X = g_new (double, n * nrhs), *AX = g_new (double, n * nrhs);
  GError *error = NULL;

  fill_d (r, A, n * n);
  fill_d (r, B, n * nrhs);
  memcpy (Aw, A, sizeof *A * n * n);
  memcpy (X, B, sizeof *B * n * nrhs);
  g_assert_true (al_solve_real (n, nrhs, Aw, X, &error));
  g_assert_no_error (error);
  naive_dmul (n, nrhs, n, A, X, AX);
  g_assert_cmpfloat (max_abs_diff_d (AX, B, n * nrhs), <, 1e-10);

  /* Symmetric positive-definite Mᵀ M + I, and symmetric indefinite A + Aᵀ. */
  fill_d (r, M, n * n);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      {
        double acc = (i == j);
        for (int l = 0; l < n; l++)
          acc += M[l * n + i] * M[l * n + j];
        A[i * n + j] = acc;
      }
  for (int pass = 0; pass < 2; pass++)
    {
      if (pass == 1)
        for (int i = 0; i < n; i++)
          for (int j = 0; j < n; j++)
            A[i * n + j] = M[i * n + j] + M[j * n + i];
      memcpy (Aw, A, sizeof *A * n * n);
      memcpy (X, B, sizeof *B * n * nrhs);
      g_assert_true (al_solve_symmetric (n, nrhs, Aw, X, &error));
      g_assert_no_error (error);
      naive_dmul (n, nrhs, n, A, X, AX);
      g_assert_cmpfloat (max_abs_diff_d (AX, B, n * nrhs), <, 1e-10);
    }

  g_free (M);
  g_free (A);
  g_free (Aw);
  g_free (B);
  g_free (X);
  g_free (AX);
  g_rand_free (r);
}

static void
test_errors (void)
{
  double complex Z[4] = { 1, 1, 1, 1 }, bz[2] = { 1, 2 };
  double D[4] = { 1, 2, 2, 4 }, bd[2] = { 1, 2 };
  double N[4] = { 1, NAN, 0, 1 }, bn[2] = { 1, 1 };
  GError *error = NULL;

  /* Singular Hermitian: Cholesky fails, LU finds the zero pivot. */
  g_assert_false (al_solve_hermitian (2, 1, Z, bz, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "solve_hermitian"));
  g_assert_nonnull (strstr (error->message, "singular"));
  g_clear_error (&error);

  g_assert_false (al_solve_real (2, 1, D, bd, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "info = 2"));
  g_clear_error (&error);

  g_assert_false (al_solve_symmetric (2, 1, N, bn, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "matrix A"));
  g_clear_error (&error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/linalg/solve/hand-real", test_hand_real);
  g_test_add_func ("/linalg/solve/hand-hermitian", test_hand_hermitian);
  g_test_add_func ("/linalg/solve/random-complex", test_random_complex);
  g_test_add_func ("/linalg/solve/random-real", test_random_real);
  g_test_add_func ("/linalg/solve/errors", test_errors);
  return g_test_run ();
}
