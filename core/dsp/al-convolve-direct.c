/* al-convolve-direct.c — direct-form FIR matrix convolution, the reference
 * that AlConvolver is tested and benchmarked against.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-dsp.h"

#include <string.h>

/* Output samples per pass: the double accumulator stays in L1/L2. */
#define AL_DIRECT_CHUNK 2048
#define AL_DIRECT_LANES 8

/* a[j] += h x[j]; the fixed-width inner loop vectorises at -O2, so the
 * benchmark compares the convolver with a fair direct form. */
#ifdef AL_HAVE_TARGET_CLONES
__attribute__ ((target_clones ("arch=x86-64-v3", "default")))
#endif
static void
axpy (double *restrict a, const float *restrict x, double h, size_t n)
{
  size_t j, u, nv = n / AL_DIRECT_LANES * AL_DIRECT_LANES;

  for (j = 0; j < nv; j += AL_DIRECT_LANES)
    for (u = 0; u < AL_DIRECT_LANES; u++)
      a[j + u] += h * x[j + u];
  for (j = nv; j < n; j++)
    a[j] += h * x[j];
}

void
al_convolve_direct (int n_in, int n_out, int fir_len, const float *firs,
                    const float *x, size_t nsamples, float *y)
{
  double acc[AL_DIRECT_CHUNK];
  size_t n0;
  int o, i, k;

  g_return_if_fail (n_in >= 1 && n_out >= 1 && fir_len >= 1);
  g_return_if_fail (firs != NULL && ((x != NULL && y != NULL) || nsamples == 0));

  for (o = 0; o < n_out; o++)
    for (n0 = 0; n0 < nsamples; n0 += AL_DIRECT_CHUNK)
      {
        size_t len = MIN ((size_t) AL_DIRECT_CHUNK, nsamples - n0);
        size_t j;

        /* Accumulate in double so the reference is far more accurate than
         * the float FFT path it checks. */
        memset (acc, 0, len * sizeof (double));
        for (i = 0; i < n_in; i++)
          {
            const float *h = firs + ((size_t) o * n_in + i) * fir_len;
            const float *xi = x + (size_t) i * nsamples;

            for (k = 0; k < fir_len; k++)
              {
                /* y[n0+j] += h[k] x[n0+j-k] for n0+j-k >= 0. */
                size_t jlo = (size_t) k > n0 ? (size_t) k - n0 : 0;
                const float *xs;
                double *a, hk = h[k];

                if (jlo >= len)
                  break; /* later taps reach only further before the chunk */
                xs = xi + (n0 + jlo - (size_t) k);
                a = acc + jlo;
                axpy (a, xs, hk, len - jlo);
              }
          }
        for (j = 0; j < len; j++)
          y[(size_t) o * nsamples + n0 + j] = (float) acc[j];
      }
}
