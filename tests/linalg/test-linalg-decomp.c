/* test-linalg-decomp.c — Hermitian eigenvalues and SVDs: hand-computed cases,
 * eigenvalues of a unitary conjugation of a known diagonal, U S Vh reconstructions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-base.h"
#include "al-linalg.h"
#include "test-linalg-util.h"

static void
test_eig_hand (void)
{
  /* [2 i; -i 2]: characteristic polynomial (2-λ)² - 1 => λ = 1, 3. */
  double complex A[4] = { 2, I, -I, 2 };
  double w[2];
  GError *error = NULL;

  g_assert_true (al_eig_hermitian (2, A, w, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (w[0], 1, 1e-14);
  g_assert_cmpfloat_with_epsilon (w[1], 3, 1e-14);
}

static void
test_eig_conjugated (void)
{
  GRand *r = g_rand_new_with_seed (21);
  const int n = 24;
  double complex *Q = g_new (double complex, n * n), *Qh = g_new (double complex, n * n);
  double complex *QD = g_new (double complex, n * n), *A = g_new (double complex, n * n);
  double d[24], w[24];
  GError *error = NULL;

  /* Known spectrum d_j = j - 10 (includes 0 and negatives), in scrambled order. */
  for (int j = 0; j < n; j++)
    d[j] = ((j * 7) % n) - 10.0;
  random_unitary (r, n, Q);
  naive_zadjoint (n, n, Q, Qh);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      QD[i * n + j] = Q[i * n + j] * d[j];
  naive_zmul (n, n, n, QD, Qh, A);

  g_assert_true (al_eig_hermitian (n, A, w, &error));
  g_assert_no_error (error);
  for (int j = 0; j < n; j++)
    g_assert_cmpfloat_with_epsilon (w[j], j - 10.0, 1e-12);

  g_free (Q);
  g_free (Qh);
  g_free (QD);
  g_free (A);
  g_rand_free (r);
}

/* Eigenvectors: columns v_j of the result satisfy A v_j = w_j v_j and VᴴV = I. */
static void
test_eigh_vectors (void)
{
  GRand *r = g_rand_new_with_seed (22);
  const int n = 16;
  double complex *Q = g_new (double complex, n * n), *Qh = g_new (double complex, n * n);
  double complex *QD = g_new (double complex, n * n), *A = g_new (double complex, n * n);
  double complex *V = g_new (double complex, n * n), *Vh = g_new (double complex, n * n);
  double complex *AV = g_new (double complex, n * n), *VhV = g_new (double complex, n * n);
  double d[16], w[16];
  GError *error = NULL;

  for (int j = 0; j < n; j++)
    d[j] = ((j * 5) % n) * 0.5 - 3;   /* -3, -2.5, ..., 4.5, scrambled */
  random_unitary (r, n, Q);
  naive_zadjoint (n, n, Q, Qh);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      QD[i * n + j] = Q[i * n + j] * d[j];
  naive_zmul (n, n, n, QD, Qh, A);
  memcpy (V, A, sizeof *A * n * n);

  g_assert_true (al_eigh_vectors (n, V, w, &error));
  g_assert_no_error (error);
  for (int j = 0; j < n; j++)
    g_assert_cmpfloat_with_epsilon (w[j], j * 0.5 - 3, 1e-12);
  naive_zmul (n, n, n, A, V, AV);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      g_assert_cmpfloat (cabs (AV[i * n + j] - w[j] * V[i * n + j]), <, 1e-12);
  naive_zadjoint (n, n, V, Vh);
  naive_zmul (n, n, n, Vh, V, VhV);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      g_assert_cmpfloat (cabs (VhV[i * n + j] - (i == j)), <, 1e-12);

  g_free (Q); g_free (Qh); g_free (QD); g_free (A); g_free (V); g_free (Vh); g_free (AV); g_free (VhV);
  g_rand_free (r);
}

static void
test_svd_real_hand (void)
{
  /* [3 0; 4 5]: AᵀA = [25 20; 20 25] has eigenvalues 45 and 5. */
  const double A[4] = { 3, 0, 4, 5 };
  double s[2], U[4], Vt[4], R[4];
  GError *error = NULL;

  g_assert_true (al_svd_real (2, 2, A, s, U, Vt, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (s[0], sqrt (45), 1e-14);
  g_assert_cmpfloat_with_epsilon (s[1], sqrt (5), 1e-14);
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 2; j++)
      R[i * 2 + j] = U[i * 2 + 0] * s[0] * Vt[0 * 2 + j] + U[i * 2 + 1] * s[1] * Vt[1 * 2 + j];
  g_assert_cmpfloat (max_abs_diff_d (R, A, 4), <, 1e-14);

  /* Values only, and with only one factor requested. */
  g_assert_true (al_svd_real (2, 2, A, s, NULL, NULL, &error));
  g_assert_cmpfloat_with_epsilon (s[0], sqrt (45), 1e-14);
  g_assert_true (al_svd_real (2, 2, A, s, NULL, Vt, &error));
  g_assert_cmpfloat_with_epsilon (s[1], sqrt (5), 1e-14);
}

/* Rebuild U[:, :p] diag(s) Vh[:p, :] for an m x n SVD with p = min(m, n). */
static void
reconstruct_z (int m, int n, const double complex *U, const double *s, const double complex *Vh,
               double complex *R)
{
  int p = MIN (m, n);

  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++)
      {
        double complex acc = 0;
        for (int l = 0; l < p; l++)
          acc += U[i * m + l] * s[l] * Vh[l * n + j];
        R[i * n + j] = acc;
      }
}

static void
check_svd_complex (GRand *r, int m, int n)
{
  int p = MIN (m, n);
  double complex *Q1 = g_new (double complex, m * m), *Q2 = g_new (double complex, n * n);
  double complex *Q2h = g_new (double complex, n * n), *S = g_new0 (double complex, m * n);
  double complex *T = g_new (double complex, m * n), *A = g_new (double complex, m * n);
  double complex *A0 = g_new (double complex, m * n), *R = g_new (double complex, m * n);
  double complex *U = g_new (double complex, m * m), *Vh = g_new (double complex, n * n);
  double complex *UhU = g_new (double complex, m * m), *Uh = g_new (double complex, m * m);
  double *s = g_new (double, p), *s2 = g_new (double, p);
  GError *error = NULL;

  /* A = Q1 diag(s_true) Q2ᴴ with s_true = p, p-1, ..., 1 (so the singular values are known). */
  random_unitary (r, m, Q1);
  random_unitary (r, n, Q2);
  naive_zadjoint (n, n, Q2, Q2h);
  for (int l = 0; l < p; l++)
    S[l * n + l] = p - l;
  naive_zmul (m, n, m, Q1, S, T);
  naive_zmul (m, n, n, T, Q2h, A);
  memcpy (A0, A, sizeof *A * m * n);

  g_assert_true (al_svd_complex (m, n, A, s, U, Vh, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (max_abs_diff_z (A, A0, m * n), ==, 0);  /* A not modified */
  for (int l = 0; l < p; l++)
    g_assert_cmpfloat_with_epsilon (s[l], p - l, 1e-12);
  reconstruct_z (m, n, U, s, Vh, R);
  g_assert_cmpfloat (max_abs_diff_z (R, A, m * n), <, 1e-12);
  naive_zadjoint (m, m, U, Uh);
  naive_zmul (m, m, m, Uh, U, UhU);
  for (int i = 0; i < m; i++)
    for (int j = 0; j < m; j++)
      g_assert_cmpfloat (cabs (UhU[i * m + j] - (i == j)), <, 1e-12);

  g_assert_true (al_svd_complex (m, n, A, s2, NULL, NULL, &error));
  g_assert_no_error (error);
  for (int l = 0; l < p; l++)
    g_assert_cmpfloat_with_epsilon (s2[l], s[l], 1e-12);
  g_assert_true (al_svd_complex (m, n, A, s2, U, NULL, &error));
  g_assert_no_error (error);
  for (int l = 0; l < p; l++)
    g_assert_cmpfloat_with_epsilon (s2[l], s[l], 1e-12);

  g_free (Q1); g_free (Q2); g_free (Q2h); g_free (S); g_free (T); g_free (A); g_free (A0);
  g_free (R); g_free (U); g_free (Vh); g_free (UhU); g_free (Uh); g_free (s); g_free (s2);
}

static void
test_svd_complex (void)
{
  GRand *r = g_rand_new_with_seed (8);

  check_svd_complex (r, 9, 5);
  check_svd_complex (r, 4, 11);
  check_svd_complex (r, 6, 6);
  g_rand_free (r);
}

static void
test_svd_real_random (void)
{
  GRand *r = g_rand_new_with_seed (9);
  const int m = 7, n = 12, p = 7;
  double A[84], U[49], Vt[144], s[7], R[84];
  GError *error = NULL;

  fill_d (r, A, m * n);
  g_assert_true (al_svd_real (m, n, A, s, U, Vt, &error));
  g_assert_no_error (error);
  for (int l = 1; l < p; l++)
    g_assert_cmpfloat (s[l], <=, s[l - 1]);
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++)
      {
        double acc = 0;
        for (int l = 0; l < p; l++)
          acc += U[i * m + l] * s[l] * Vt[l * n + j];
        R[i * n + j] = acc;
      }
  g_assert_cmpfloat (max_abs_diff_d (R, A, m * n), <, 1e-12);
  g_rand_free (r);
}

static void
test_errors (void)
{
  double complex A[4] = { 1, INFINITY, 0, 1 };
  double w[2], s[2];
  GError *error = NULL;

  g_assert_false (al_eig_hermitian (2, A, w, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "eig_hermitian"));
  g_assert_nonnull (strstr (error->message, "infinite"));
  g_clear_error (&error);
  g_assert_false (al_svd_complex (2, 2, A, s, NULL, NULL, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/linalg/eig/hand", test_eig_hand);
  g_test_add_func ("/linalg/eig/conjugated-diagonal", test_eig_conjugated);
  g_test_add_func ("/linalg/eig/vectors", test_eigh_vectors);
  g_test_add_func ("/linalg/svd/real-hand", test_svd_real_hand);
  g_test_add_func ("/linalg/svd/real-random", test_svd_real_random);
  g_test_add_func ("/linalg/svd/complex", test_svd_complex);
  g_test_add_func ("/linalg/errors", test_errors);
  return g_test_run ();
}
