/* al-linalg.h — thin LAPACKE/CBLAS wrappers (double precision, row-major).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <complex.h>
#include <glib.h>

G_BEGIN_DECLS

/* C = alpha * op(A) op(B) + beta * C, complex; op = 'N', 'T' or 'C' (conjugate transpose).
 * op(A): m x k, op(B): k x n, C: m x n, all row-major with natural leading dimensions. */
void al_zgemm (char opa, char opb, int m, int n, int k,
               double complex alpha, const double complex *A, const double complex *B,
               double complex beta, double complex *C);
void al_dgemm (char opa, char opb, int m, int n, int k,
               double alpha, const double *A, const double *B, double beta, double *C);

/* Solve A X = B for Hermitian positive-definite A (n x n, overwritten) and
 * B (n x nrhs, overwritten by X): Cholesky, with an LU fallback when A is not
 * numerically positive-definite.  Fails (AL_ERROR) only if A is singular.
 * A is stored in full (the LU fallback reads both triangles). */
gboolean al_solve_hermitian (int n, int nrhs, double complex *A, double complex *B, GError **error);
/* The same for real symmetric positive-definite A (dposv, dgesv fallback). */
gboolean al_solve_symmetric (int n, int nrhs, double *A, double *B, GError **error);
/* General square solve (LU).  All solvers reject NaN/Inf in A or B. */
gboolean al_solve_complex (int n, int nrhs, double complex *A, double complex *B, GError **error);
gboolean al_solve_real (int n, int nrhs, double *A, double *B, GError **error);

/* Eigenvalues (ascending) of a Hermitian n x n matrix (A destroyed). */
gboolean al_eig_hermitian (int n, double complex *A, double *w, GError **error);
/* Eigen-decomposition of a Hermitian n x n matrix: w ascending; on return A
 * holds the orthonormal eigenvectors as columns (A[i*n + j] = component i of vector j). */
gboolean al_eigh_vectors (int n, double complex *A, double *w, GError **error);

/* Singular values (descending, min(m,n) of them) of a complex m x n matrix; U (m x m) and
 * Vh (n x n) may be NULL when not wanted. A is not modified. */
gboolean al_svd_complex (int m, int n, const double complex *A, double *s,
                         double complex *U, double complex *Vh, GError **error);
gboolean al_svd_real (int m, int n, const double *A, double *s, double *U, double *Vt, GError **error);

/* Tikhonov-regularised least squares for real data: X = argmin ‖A X − B‖² + λ‖X‖²,
 * A: m x n, B: m x nrhs, X: n x nrhs.  λ = 0 gives the minimum-norm LS solution (SVD). */
gboolean al_lstsq_real (int m, int n, int nrhs, const double *A, const double *B,
                        double lambda, double *X, GError **error);

G_END_DECLS
