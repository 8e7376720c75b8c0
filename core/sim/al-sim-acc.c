/* al-sim-acc.c — block convolution with the ATFs accumulated in the frequency
 * domain: each (direction, time block) segment is transformed once and
 * multiplied into every mic's block spectrum; one inverse FFT per block and
 * mic at the end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-sim-private.h"

#include <string.h>

void
al_sim_acc_init (AlSimAcc *acc, const AlSimArray *arr, int nblocks)
{
  acc->nblocks = nblocks;
  acc->spec = g_new0 (float, (gsize) nblocks * arr->nmics * 2 * arr->nbp);
}

void
al_sim_acc_clear (AlSimAcc *acc)
{
  g_clear_pointer (&acc->spec, g_free);
  acc->nblocks = 0;
}

void
al_sim_scratch_init (AlSimScratch *s, const AlSimArray *arr)
{
  s->fft = al_fftf_new (arr->N);
  s->x = g_new0 (float, arr->N);
  s->X = g_new0 (float complex, arr->nbp); /* zero padding up to nbp stays */
  s->xs = g_new0 (float, 2 * arr->nbp);
}

void
al_sim_scratch_clear (AlSimScratch *s)
{
  g_clear_pointer (&s->fft, al_fftf_free);
  g_clear_pointer (&s->x, g_free);
  g_clear_pointer (&s->X, g_free);
  g_clear_pointer (&s->xs, g_free);
}

/* y += a·x on split complex arrays of n bins (a multiple of LANES): the hot
 * loop of every render.  The fixed-width inner loop lets GCC
 * vectorise it at -O2 (its "very cheap" cost model skips loops of unknown
 * trip count); AVX-512 and AVX2/FMA clones are chosen at load time. */
#define LANES 16

#ifdef AL_SIM_HAVE_TARGET_CLONES
__attribute__ ((target_clones (AL_SIM_TARGET_CLONES)))
#endif
static void
cmac (float *restrict yr, float *restrict yi, const float *restrict ar, const float *restrict ai,
      const float *restrict xr, const float *restrict xi, int n)
{
  for (int f = 0; f < n; f += LANES)
    for (int j = 0; j < LANES; j++)
      {
        yr[f + j] += ar[f + j] * xr[f + j] - ai[f + j] * xi[f + j];
        yi[f + j] += ar[f + j] * xi[f + j] + ai[f + j] * xr[f + j];
      }
}

/* Interleaved FFTW spectrum → split re/im, n a multiple of LANES. */
#ifdef AL_SIM_HAVE_TARGET_CLONES
__attribute__ ((target_clones (AL_SIM_TARGET_CLONES)))
#endif
static void
split (const float *restrict X, float *restrict xr, float *restrict xi, int n)
{
  for (int f = 0; f < n; f += LANES)
    for (int j = 0; j < LANES; j++)
      {
        xr[f + j] = X[2 * (f + j)];
        xi[f + j] = X[2 * (f + j) + 1];
      }
}

void
al_sim_acc_add (const AlSimArray *arr, AlSimAcc *acc, AlSimScratch *s, int dir, int block)
{
  float *xr = s->xs, *xi = s->xs + arr->nbp;

  al_fftf_forward (s->fft, s->x, s->X);
  split ((const float *) s->X, xr, xi, arr->nbp);
  for (int m = 0; m < arr->nmics; m++)
    {
      const float *a = arr->spec + ((gsize) dir * arr->nmics + m) * 2 * arr->nbp;
      float *y = acc->spec + ((gsize) block * arr->nmics + m) * 2 * arr->nbp;
      cmac (y, y + arr->nbp, a, a + arr->nbp, xr, xi, arr->nbp);
    }
}

void
al_sim_acc_sum (AlSimAcc *dst, const AlSimAcc *src, const AlSimArray *arr)
{
  const gsize n = (gsize) MIN (dst->nblocks, src->nblocks) * arr->nmics * 2 * arr->nbp;

  for (gsize k = 0; k < n; k++)
    dst->spec[k] += src->spec[k];
}

void
al_sim_acc_to_time (const AlSimArray *arr, const AlSimAcc *acc, float *out, int len)
{
  AlFftf *fft = al_fftf_new (arr->N);
  float complex *X = g_new (float complex, arr->nbins);
  float *y = g_new (float, arr->N);

  for (int b = 0; b < acc->nblocks; b++)
    {
      const gint64 t0 = (gint64) b * arr->B;
      if (t0 >= len)
        break;
      const int nt = (int) MIN ((gint64) arr->N, len - t0);
      for (int m = 0; m < arr->nmics; m++)
        {
          const float *re = acc->spec + ((gsize) b * arr->nmics + m) * 2 * arr->nbp;
          const float *im = re + arr->nbp;
          float *o = out + (gsize) m * len + t0;
          for (int f = 0; f < arr->nbins; f++)
            X[f] = re[f] + I * im[f];
          al_fftf_inverse (fft, X, y);
          for (int t = 0; t < nt; t++)
            o[t] += y[t];
        }
    }
  g_free (y);
  g_free (X);
  al_fftf_free (fft);
}
