/* al-atf-spectra.c — frequency-domain views of an AlAtfSet: per-bin transfer
 * functions and the quadrature grid of its directions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-array.h"
#include "dsp/al-dsp.h"

#include <string.h>

double complex *
al_atf_set_spectra (const AlAtfSet *set, int nfft)
{
  g_return_val_if_fail (set != NULL, NULL);
  g_return_val_if_fail (nfft >= set->ir_len, NULL);

  int nbins = nfft / 2 + 1, nmics = set->nmics, ndirs = set->ndirs;
  double complex *out = g_new (double complex, (size_t) nbins * nmics * ndirs);
  g_autofree double *padded = g_new0 (double, nfft);
  g_autofree double complex *spec = g_new (double complex, nbins);
  AlFft *fft = al_fft_new (nfft);

  for (int d = 0; d < ndirs; d++)
    for (int m = 0; m < nmics; m++)
      {
        memcpy (padded, set->ir + ((size_t) d * nmics + m) * set->ir_len, sizeof (double) * set->ir_len);
        al_fft_forward (fft, padded, spec);
        for (int k = 0; k < nbins; k++)
          out[((size_t) k * nmics + m) * ndirs + d] = spec[k];
      }
  al_fft_free (fft);
  return out;
}

AlGrid *
al_atf_set_grid (const AlAtfSet *set, GError **error)
{
  g_return_val_if_fail (set != NULL, NULL);
  return al_grid_from_dirs (set->dirs, set->ndirs, error);
}
