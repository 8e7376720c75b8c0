/* al-atf-spectra.c — frequency-domain views of an AlAtfSet: per-bin transfer
 * functions and the quadrature grid of its directions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-array.h"
#include "dsp/al-dsp.h"

#include <string.h>

/* Directions are transformed in blocks so the transposition into the
 * frequency-major layout writes runs of DIR_BLOCK neighbours instead of one
 * cache line per value. */
#define DIR_BLOCK 32

double complex *
al_atf_set_spectra (const AlAtfSet *set, int nfft)
{
  g_return_val_if_fail (set != NULL, NULL);
  g_return_val_if_fail (nfft >= set->ir_len, NULL);

  int nbins = nfft / 2 + 1, nmics = set->nmics, ndirs = set->ndirs;
  double complex *out = g_new (double complex, (size_t) nbins * nmics * ndirs);
  g_autofree double *padded = g_new0 (double, nfft);
  g_autofree double complex *block = g_new (double complex, (size_t) DIR_BLOCK * nbins);
  AlFft *fft = al_fft_new (nfft);

  for (int d0 = 0; d0 < ndirs; d0 += DIR_BLOCK)
    {
      int nd = MIN (DIR_BLOCK, ndirs - d0);
      for (int m = 0; m < nmics; m++)
        {
          for (int j = 0; j < nd; j++)
            {
              memcpy (padded, set->ir + ((size_t) (d0 + j) * nmics + m) * set->ir_len,
                      sizeof (double) * set->ir_len);
              al_fft_forward (fft, padded, block + (size_t) j * nbins);
            }
          for (int k = 0; k < nbins; k++)
            {
              double complex *dst = out + ((size_t) k * nmics + m) * ndirs + d0;
              for (int j = 0; j < nd; j++)
                dst[j] = block[(size_t) j * nbins + k];
            }
        }
    }
  al_fft_free (fft);
  return out;
}

AlGrid *
al_atf_set_grid (const AlAtfSet *set, GError **error)
{
  g_return_val_if_fail (set != NULL, NULL);
  /* Exact weights when the measured directions form a design (Gauss, t-design,
   * ring grid), Voronoi areas otherwise. */
  return al_grid_quadrature (set->dirs, set->ndirs, error);
}
