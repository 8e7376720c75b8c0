/* test-linalg-gemm.c — al_zgemm/al_dgemm against naive loops and hand-computed products.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-linalg.h"
#include "test-linalg-util.h"

/* Stored matrix (rows x cols) for op(X) of shape r x c. */
static void
apply_op (char op, int r, int c, const double complex *stored, double complex *out)
{
  for (int i = 0; i < r; i++)
    for (int j = 0; j < c; j++)
      {
        if (op == 'N')
          out[i * c + j] = stored[i * c + j];
        else if (op == 'T')
          out[i * c + j] = stored[j * r + i];
        else
          out[i * c + j] = conj (stored[j * r + i]);
      }
}

static void
test_zgemm_all_ops (void)
{
  const char ops[] = { 'N', 'T', 'C' };
  const int m = 3, n = 4, k = 5;
  GRand *r = g_rand_new_with_seed (11);
  double complex A[15], B[20], C[12], C0[12], opA[15], opB[20], ref[12];
  double complex alpha = 0.7 - 1.3 * I, beta = -0.4 + 0.25 * I;

  for (int a = 0; a < 3; a++)
    for (int b = 0; b < 3; b++)
      {
        fill_z (r, A, 15);
        fill_z (r, B, 20);
        fill_z (r, C0, 12);
        for (int i = 0; i < 12; i++)
          C[i] = C0[i];
        apply_op (ops[a], m, k, A, opA);
        apply_op (ops[b], k, n, B, opB);
        naive_zmul (m, n, k, opA, opB, ref);
        for (int i = 0; i < 12; i++)
          ref[i] = alpha * ref[i] + beta * C0[i];

        al_zgemm (ops[a], ops[b], m, n, k, alpha, A, B, beta, C);
        g_assert_cmpfloat (max_abs_diff_z (C, ref, 12), <, 1e-13);
      }
  g_rand_free (r);
}

static void
test_zgemm_hand (void)
{
  /* A = [1 i; 0 2]: Aᴴ A = [1 i; -i 5] by hand. */
  const double complex A[4] = { 1, I, 0, 2 };
  const double complex expect[4] = { 1, I, -I, 5 };
  double complex C[4] = { 0 };

  al_zgemm ('C', 'N', 2, 2, 2, 1, A, A, 0, C);
  g_assert_cmpfloat (max_abs_diff_z (C, expect, 4), <, 1e-15);
}

static void
test_dgemm (void)
{
  const double A[4] = { 1, 2, 3, 4 }, B[4] = { 5, 6, 7, 8 };
  const double AB[4] = { 19, 22, 43, 50 };   /* by hand */
  const double AtB[4] = { 26, 30, 38, 44 };  /* [1 3; 2 4] B */
  const double ABt[4] = { 17, 23, 39, 53 };  /* A [5 7; 6 8] */
  double C[4];

  al_dgemm ('N', 'N', 2, 2, 2, 1, A, B, 0, C);
  g_assert_cmpfloat (max_abs_diff_d (C, AB, 4), <, 1e-15);
  al_dgemm ('T', 'N', 2, 2, 2, 1, A, B, 0, C);
  g_assert_cmpfloat (max_abs_diff_d (C, AtB, 4), <, 1e-15);
  al_dgemm ('N', 'T', 2, 2, 2, 1, A, B, 0, C);
  g_assert_cmpfloat (max_abs_diff_d (C, ABt, 4), <, 1e-15);
  /* 'C' on real data means transpose; alpha/beta: C = 2 AᵀB - C. */
  for (int i = 0; i < 4; i++)
    C[i] = 1;
  al_dgemm ('C', 'N', 2, 2, 2, 2, A, B, -1, C);
  for (int i = 0; i < 4; i++)
    g_assert_cmpfloat_with_epsilon (C[i], 2 * AtB[i] - 1, 1e-15);

  /* Rectangular with all four op combinations against naive loops. */
  {
    GRand *r = g_rand_new_with_seed (5);
    const int m = 4, n = 3, k = 6;
    double X[24], Y[18], opX[24], opY[18], D[12], ref[12];
    const char ops[] = { 'N', 'T' };

    for (int a = 0; a < 2; a++)
      for (int b = 0; b < 2; b++)
        {
          fill_d (r, X, 24);
          fill_d (r, Y, 18);
          for (int i = 0; i < m; i++)
            for (int l = 0; l < k; l++)
              opX[i * k + l] = ops[a] == 'N' ? X[i * k + l] : X[l * m + i];
          for (int l = 0; l < k; l++)
            for (int j = 0; j < n; j++)
              opY[l * n + j] = ops[b] == 'N' ? Y[l * n + j] : Y[j * k + l];
          naive_dmul (m, n, k, opX, opY, ref);
          al_dgemm (ops[a], ops[b], m, n, k, 1, X, Y, 0, D);
          g_assert_cmpfloat (max_abs_diff_d (D, ref, 12), <, 1e-14);
        }
    g_rand_free (r);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/linalg/zgemm/all-ops", test_zgemm_all_ops);
  g_test_add_func ("/linalg/zgemm/hand", test_zgemm_hand);
  g_test_add_func ("/linalg/dgemm", test_dgemm);
  return g_test_run ();
}
