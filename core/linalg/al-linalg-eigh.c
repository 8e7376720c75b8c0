/* al-linalg-eigh.c — Hermitian eigen-decomposition with eigenvectors, used
 * by per-bin encoder design (E = R U ψ(Λ) Uᴴ).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-linalg.h"

#include <string.h>

#include "al-linalg-private.h"

gboolean
al_eigh_vectors (int n, double complex *A, double *w, GError **error)
{
  g_return_val_if_fail (n >= 0, FALSE);
  if (n == 0)
    return TRUE;
  g_autofree char *what = g_strdup_printf ("eigh_vectors: matrix A (%d x %d)", n, n);
  if (!al_linalg_check_finite_z (A, (size_t) n * n, what, error))
    return FALSE;
  g_autofree double complex *copy = g_memdup2 (A, sizeof *A * (size_t) n * n);
  lapack_int info = LAPACKE_zheevd (LAPACK_ROW_MAJOR, 'V', 'U', n, A, n, w);
  if (info > 0)
    {
      /* The divide-and-conquer driver rarely fails where plain QR iteration succeeds. */
      memcpy (A, copy, sizeof *A * (size_t) n * n);
      info = LAPACKE_zheev (LAPACK_ROW_MAJOR, 'V', 'U', n, A, n, w);
    }
  if (info != 0)
    {
      if (info > 0)
        g_set_error (error, AL_ERROR, AL_ERROR_FAILED,
                     "eigh_vectors: zheevd and zheev did not converge (info = %d)", (int) info);
      else
        g_set_error (error, AL_ERROR, AL_ERROR_FAILED,
                     "eigh_vectors: zheevd rejected argument %d (info = %d)", (int) -info, (int) info);
      return FALSE;
    }
  return TRUE;
}
