/* test-linalg-lstsq.c — al_lstsq_real against closed forms: Tikhonov (AᵀA+λI)⁻¹AᵀB
 * (solved here by naive Gaussian elimination), minimum-norm solutions, hand cases.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-base.h"
#include "al-linalg.h"
#include "test-linalg-util.h"

/* Gauss–Jordan with partial pivoting: solves M X = R in place (M: n x n, R: n x nrhs). */
static void
naive_solve (int n, int nrhs, double *M, double *R)
{
  for (int c = 0; c < n; c++)
    {
      int piv = c;
      for (int i = c + 1; i < n; i++)
        if (fabs (M[i * n + c]) > fabs (M[piv * n + c]))
          piv = i;
      for (int j = 0; j < n; j++)
        { double t = M[c * n + j]; M[c * n + j] = M[piv * n + j]; M[piv * n + j] = t; }
      for (int j = 0; j < nrhs; j++)
        { double t = R[c * nrhs + j]; R[c * nrhs + j] = R[piv * nrhs + j]; R[piv * nrhs + j] = t; }
      for (int i = 0; i < n; i++)
        {
          double f;
          if (i == c)
            continue;
          f = M[i * n + c] / M[c * n + c];
          for (int j = c; j < n; j++)
            M[i * n + j] -= f * M[c * n + j];
          for (int j = 0; j < nrhs; j++)
            R[i * nrhs + j] -= f * R[c * nrhs + j];
        }
    }
  for (int i = 0; i < n; i++)
    for (int j = 0; j < nrhs; j++)
      R[i * nrhs + j] /= M[i * n + i];
}

/* X = (AᵀA + λI)⁻¹ AᵀB by the textbook formula. */
static void
tikhonov_reference (int m, int n, int nrhs, const double *A, const double *B, double lambda, double *X)
{
  double *M = g_new0 (double, n * n);

  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      {
        for (int l = 0; l < m; l++)
          M[i * n + j] += A[l * n + i] * A[l * n + j];
        M[i * n + j] += (i == j) ? lambda : 0;
      }
  for (int i = 0; i < n; i++)
    for (int j = 0; j < nrhs; j++)
      {
        double acc = 0;
        for (int l = 0; l < m; l++)
          acc += A[l * n + i] * B[l * nrhs + j];
        X[i * nrhs + j] = acc;
      }
  naive_solve (n, nrhs, M, X);
  g_free (M);
}

static void
check_tikhonov (GRand *r, int m, int n, int nrhs, double lambda)
{
  double *A = g_new (double, m * n), *B = g_new (double, m * nrhs);
  double *X = g_new (double, n * nrhs), *ref = g_new (double, n * nrhs);
  GError *error = NULL;

  fill_d (r, A, m * n);
  fill_d (r, B, m * nrhs);
  tikhonov_reference (m, n, nrhs, A, B, lambda, ref);
  g_assert_true (al_lstsq_real (m, n, nrhs, A, B, lambda, X, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (max_abs_diff_d (X, ref, n * nrhs), <, 1e-11);
  g_free (A);
  g_free (B);
  g_free (X);
  g_free (ref);
}

static void
test_tikhonov (void)
{
  GRand *r = g_rand_new_with_seed (13);

  check_tikhonov (r, 30, 8, 3, 0.1);    /* tall: augmented QR */
  check_tikhonov (r, 6, 20, 2, 0.05);   /* wide: dual (LQ) form */
  check_tikhonov (r, 10, 10, 1, 1e-3);
  check_tikhonov (r, 12, 5, 4, 25.0);   /* strong regularisation */
  g_rand_free (r);
}

static void
test_tikhonov_hand (void)
{
  /* A = [1; 1], b = [1; 3], λ = 2: x = (2 + 2)⁻¹ (1 + 3) = 1. */
  const double A[2] = { 1, 1 }, b[2] = { 1, 3 };
  double x;
  GError *error = NULL;

  g_assert_true (al_lstsq_real (2, 1, 1, A, b, 2.0, &x, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (x, 1.0, 1e-15);
  /* λ = 0: the mean, 2. */
  g_assert_true (al_lstsq_real (2, 1, 1, A, b, 0.0, &x, &error));
  g_assert_cmpfloat_with_epsilon (x, 2.0, 1e-15);
}

static void
test_min_norm (void)
{
  GRand *r = g_rand_new_with_seed (17);
  GError *error = NULL;

  /* Rank deficient: A = [1 1] x = 2 has min-norm solution [1, 1]. */
  {
    const double A[2] = { 1, 1 }, b[1] = { 2 };
    double x[2];
    g_assert_true (al_lstsq_real (1, 2, 1, A, b, 0, x, &error));
    g_assert_no_error (error);
    g_assert_cmpfloat_with_epsilon (x[0], 1, 1e-14);
    g_assert_cmpfloat_with_epsilon (x[1], 1, 1e-14);
  }
  /* Duplicate column, tall: [a a] x ≈ b has x0 = x1 = (aᵀb)/(2 aᵀa). */
  {
    double A[12], a[6], b[6], x[2], ab = 0, aa = 0;
    fill_d (r, a, 6);
    fill_d (r, b, 6);
    for (int i = 0; i < 6; i++)
      {
        A[2 * i] = A[2 * i + 1] = a[i];
        ab += a[i] * b[i];
        aa += a[i] * a[i];
      }
    g_assert_true (al_lstsq_real (6, 2, 1, A, b, 0, x, &error));
    g_assert_no_error (error);
    g_assert_cmpfloat_with_epsilon (x[0], ab / (2 * aa), 1e-12);
    g_assert_cmpfloat_with_epsilon (x[1], ab / (2 * aa), 1e-12);
  }
  /* Full-rank overdetermined: normal equations (λ = 0 in the closed form). */
  check_tikhonov (r, 25, 6, 2, 0.0);
  /* Underdetermined full row rank: x = Aᵀ (AAᵀ)⁻¹ b, and A x = b exactly. */
  {
    const int m = 4, n = 9;
    double A[36], At[36], b[4], x[9], AAt[16], z[4], ref[9], Ax[4];
    fill_d (r, A, m * n);
    fill_d (r, b, m);
    for (int i = 0; i < m; i++)
      for (int j = 0; j < n; j++)
        At[j * m + i] = A[i * n + j];
    naive_dmul (m, m, n, A, At, AAt);
    memcpy (z, b, sizeof b);
    naive_solve (m, 1, AAt, z);
    naive_dmul (n, 1, m, At, z, ref);
    g_assert_true (al_lstsq_real (m, n, 1, A, b, 0, x, &error));
    g_assert_no_error (error);
    g_assert_cmpfloat (max_abs_diff_d (x, ref, n), <, 1e-12);
    naive_dmul (m, 1, n, A, x, Ax);
    g_assert_cmpfloat (max_abs_diff_d (Ax, b, m), <, 1e-12);
  }
  g_rand_free (r);
}

static void
test_errors (void)
{
  const double A[2] = { 1, 1 }, b[2] = { 1, NAN };
  double x;
  GError *error = NULL;

  g_assert_false (al_lstsq_real (2, 1, 1, A, A, -1.0, &x, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "λ"));
  g_clear_error (&error);
  g_assert_false (al_lstsq_real (2, 1, 1, A, b, 0.1, &x, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "right-hand side B"));
  g_clear_error (&error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/linalg/lstsq/tikhonov", test_tikhonov);
  g_test_add_func ("/linalg/lstsq/tikhonov-hand", test_tikhonov_hand);
  g_test_add_func ("/linalg/lstsq/min-norm", test_min_norm);
  g_test_add_func ("/linalg/lstsq/errors", test_errors);
  return g_test_run ();
}
