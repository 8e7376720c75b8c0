/* test-linalg-util.h — random matrices and naive reference products for the linalg tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <complex.h>
#include <glib.h>
#include <math.h>
#include <string.h>

static inline double complex
rand_z (GRand *r)
{
  return g_rand_double_range (r, -1, 1) + I * g_rand_double_range (r, -1, 1);
}

static inline void
fill_z (GRand *r, double complex *x, size_t count)
{
  for (size_t i = 0; i < count; i++)
    x[i] = rand_z (r);
}

static inline void
fill_d (GRand *r, double *x, size_t count)
{
  for (size_t i = 0; i < count; i++)
    x[i] = g_rand_double_range (r, -1, 1);
}

/* C (m x n) = A (m x k) B (k x n), naive triple loop. */
static inline void
naive_zmul (int m, int n, int k, const double complex *A, const double complex *B, double complex *C)
{
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++)
      {
        double complex acc = 0;
        for (int l = 0; l < k; l++)
          acc += A[i * k + l] * B[l * n + j];
        C[i * n + j] = acc;
      }
}

static inline void
naive_dmul (int m, int n, int k, const double *A, const double *B, double *C)
{
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++)
      {
        double acc = 0;
        for (int l = 0; l < k; l++)
          acc += A[i * k + l] * B[l * n + j];
        C[i * n + j] = acc;
      }
}

/* Conjugate transpose of an m x n matrix into n x m. */
static inline void
naive_zadjoint (int m, int n, const double complex *A, double complex *Ah)
{
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++)
      Ah[j * m + i] = conj (A[i * n + j]);
}

/* A random n x n unitary: product of three Householder reflections I - 2 v vᴴ / vᴴv. */
static inline void
random_unitary (GRand *r, int n, double complex *Q)
{
  double complex *H = g_new (double complex, n * n);
  double complex *T = g_new (double complex, n * n);
  double complex *v = g_new (double complex, n);

  for (int i = 0; i < n * n; i++)
    Q[i] = (i / n == i % n) ? 1 : 0;
  for (int h = 0; h < 3; h++)
    {
      double norm2 = 0;
      fill_z (r, v, n);
      for (int i = 0; i < n; i++)
        norm2 += creal (v[i] * conj (v[i]));
      for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
          H[i * n + j] = (i == j ? 1 : 0) - 2 * v[i] * conj (v[j]) / norm2;
      naive_zmul (n, n, n, Q, H, T);
      for (int i = 0; i < n * n; i++)
        Q[i] = T[i];
    }
  g_free (H);
  g_free (T);
  g_free (v);
}

static inline double
max_abs_diff_z (const double complex *a, const double complex *b, size_t count)
{
  double worst = 0;
  for (size_t i = 0; i < count; i++)
    worst = fmax (worst, cabs (a[i] - b[i]));
  return worst;
}

static inline double
max_abs_diff_d (const double *a, const double *b, size_t count)
{
  double worst = 0;
  for (size_t i = 0; i < count; i++)
    worst = fmax (worst, fabs (a[i] - b[i]));
  return worst;
}
