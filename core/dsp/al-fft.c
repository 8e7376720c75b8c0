/* al-fft.c — real FFTs (double and float) on FFTW plans cached per size.
 *
 * FFTW's planner is not thread-safe, so plans are made under one global lock
 * and kept for the life of the process; executing a plan on new arrays is
 * thread-safe, so each AlFft/AlFftf only owns aligned scratch buffers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-dsp.h"

#include <fftw3.h>
#include <string.h>

typedef struct {
  fftw_plan fwd; /* r2c, out of place */
  fftw_plan inv; /* c2r, out of place, destroys its input */
} AlFftPlans;

typedef struct {
  fftwf_plan fwd;
  fftwf_plan inv;
} AlFftfPlans;

struct AlFft {
  int n;
  const AlFftPlans *plans;
  double *rbuf;        /* n, fftw_malloc'ed */
  fftw_complex *cbuf;  /* n/2+1, fftw_malloc'ed */
};

struct AlFftf {
  int n;
  const AlFftfPlans *plans;
  float *rbuf;
  fftwf_complex *cbuf;
};

/* One lock for both planners: FFTW documents only fftw_execute* as thread-safe. */
static GMutex plan_lock;
static GHashTable *plans_double; /* n -> AlFftPlans* (never freed) */
static GHashTable *plans_float;  /* n -> AlFftfPlans* (never freed) */

static const AlFftPlans *
get_plans_double (int n)
{
  AlFftPlans *p;

  g_mutex_lock (&plan_lock);
  if (plans_double == NULL)
    plans_double = g_hash_table_new (g_direct_hash, g_direct_equal);
  p = g_hash_table_lookup (plans_double, GINT_TO_POINTER (n));
  if (p == NULL)
    {
      double *r = fftw_alloc_real (n);
      fftw_complex *c = fftw_alloc_complex (n / 2 + 1);

      p = g_new0 (AlFftPlans, 1);
      p->fwd = fftw_plan_dft_r2c_1d (n, r, c, FFTW_ESTIMATE);
      p->inv = fftw_plan_dft_c2r_1d (n, c, r, FFTW_ESTIMATE | FFTW_DESTROY_INPUT);
      fftw_free (r);
      fftw_free (c);
      if (p->fwd == NULL || p->inv == NULL)
        {
          if (p->fwd)
            fftw_destroy_plan (p->fwd);
          if (p->inv)
            fftw_destroy_plan (p->inv);
          g_clear_pointer (&p, g_free);
        }
      else
        g_hash_table_insert (plans_double, GINT_TO_POINTER (n), p);
    }
  g_mutex_unlock (&plan_lock);
  return p;
}

static const AlFftfPlans *
get_plans_float (int n)
{
  AlFftfPlans *p;

  g_mutex_lock (&plan_lock);
  if (plans_float == NULL)
    plans_float = g_hash_table_new (g_direct_hash, g_direct_equal);
  p = g_hash_table_lookup (plans_float, GINT_TO_POINTER (n));
  if (p == NULL)
    {
      float *r = fftwf_alloc_real (n);
      fftwf_complex *c = fftwf_alloc_complex (n / 2 + 1);

      p = g_new0 (AlFftfPlans, 1);
      p->fwd = fftwf_plan_dft_r2c_1d (n, r, c, FFTW_ESTIMATE);
      p->inv = fftwf_plan_dft_c2r_1d (n, c, r, FFTW_ESTIMATE | FFTW_DESTROY_INPUT);
      fftwf_free (r);
      fftwf_free (c);
      if (p->fwd == NULL || p->inv == NULL)
        {
          if (p->fwd)
            fftwf_destroy_plan (p->fwd);
          if (p->inv)
            fftwf_destroy_plan (p->inv);
          g_clear_pointer (&p, g_free);
        }
      else
        g_hash_table_insert (plans_float, GINT_TO_POINTER (n), p);
    }
  g_mutex_unlock (&plan_lock);
  return p;
}

/* TRUE when [a, a+na) and [b, b+nb) share a byte. */
static gboolean
overlaps (const void *a, size_t na, const void *b, size_t nb)
{
  const char *pa = a, *pb = b;

  return pa < pb + nb && pb < pa + na;
}

/* ---- double ---- */

AlFft *
al_fft_new (int n)
{
  const AlFftPlans *plans;
  AlFft *fft;

  g_return_val_if_fail (n >= 1, NULL);

  plans = get_plans_double (n);
  if (plans == NULL)
    {
      g_critical ("FFTW could not plan a real FFT of size %d", n);
      return NULL;
    }
  fft = g_new0 (AlFft, 1);
  fft->n = n;
  fft->plans = plans;
  fft->rbuf = fftw_alloc_real (n);
  fft->cbuf = fftw_alloc_complex (n / 2 + 1);
  return fft;
}

void
al_fft_free (AlFft *fft)
{
  if (fft == NULL)
    return;
  fftw_free (fft->rbuf);
  fftw_free (fft->cbuf);
  g_free (fft);
}

int
al_fft_size (const AlFft *fft)
{
  g_return_val_if_fail (fft != NULL, 0);
  return fft->n;
}

void
al_fft_forward (AlFft *fft, const double *in, double complex *out)
{
  size_t nr, nc;

  g_return_if_fail (fft != NULL && in != NULL && out != NULL);

  nr = (size_t) fft->n * sizeof (double);
  nc = (size_t) (fft->n / 2 + 1) * sizeof (fftw_complex);
  /* The new-array execute needs the planned arrays' alignment and an
   * out-of-place pair; anything else goes through the scratch buffers. */
  if (fftw_alignment_of ((double *) in) == 0 && fftw_alignment_of ((double *) out) == 0
      && !overlaps (in, nr, out, nc))
    {
      fftw_execute_dft_r2c (fft->plans->fwd, (double *) in, (fftw_complex *) out);
      return;
    }
  memcpy (fft->rbuf, in, nr);
  fftw_execute_dft_r2c (fft->plans->fwd, fft->rbuf, fft->cbuf);
  memcpy (out, fft->cbuf, nc);
}

void
al_fft_inverse (AlFft *fft, const double complex *in, double *out)
{
  int n, i;
  double scale;
  double *dst;

  g_return_if_fail (fft != NULL && in != NULL && out != NULL);

  n = fft->n;
  /* c2r destroys its input: always work on a copy. */
  memcpy (fft->cbuf, in, (size_t) (n / 2 + 1) * sizeof (fftw_complex));
  dst = fftw_alignment_of (out) == 0 ? out : fft->rbuf;
  fftw_execute_dft_c2r (fft->plans->inv, fft->cbuf, dst);
  scale = 1.0 / n;
  for (i = 0; i < n; i++)
    out[i] = dst[i] * scale;
}

/* ---- float ---- */

AlFftf *
al_fftf_new (int n)
{
  const AlFftfPlans *plans;
  AlFftf *fft;

  g_return_val_if_fail (n >= 1, NULL);

  plans = get_plans_float (n);
  if (plans == NULL)
    {
      g_critical ("FFTW could not plan a real FFT of size %d", n);
      return NULL;
    }
  fft = g_new0 (AlFftf, 1);
  fft->n = n;
  fft->plans = plans;
  fft->rbuf = fftwf_alloc_real (n);
  fft->cbuf = fftwf_alloc_complex (n / 2 + 1);
  return fft;
}

void
al_fftf_free (AlFftf *fft)
{
  if (fft == NULL)
    return;
  fftwf_free (fft->rbuf);
  fftwf_free (fft->cbuf);
  g_free (fft);
}

int
al_fftf_size (const AlFftf *fft)
{
  g_return_val_if_fail (fft != NULL, 0);
  return fft->n;
}

void
al_fftf_forward (AlFftf *fft, const float *in, float complex *out)
{
  size_t nr, nc;

  g_return_if_fail (fft != NULL && in != NULL && out != NULL);

  nr = (size_t) fft->n * sizeof (float);
  nc = (size_t) (fft->n / 2 + 1) * sizeof (fftwf_complex);
  if (fftwf_alignment_of ((float *) in) == 0 && fftwf_alignment_of ((float *) out) == 0
      && !overlaps (in, nr, out, nc))
    {
      fftwf_execute_dft_r2c (fft->plans->fwd, (float *) in, (fftwf_complex *) out);
      return;
    }
  memcpy (fft->rbuf, in, nr);
  fftwf_execute_dft_r2c (fft->plans->fwd, fft->rbuf, fft->cbuf);
  memcpy (out, fft->cbuf, nc);
}

void
al_fftf_inverse (AlFftf *fft, const float complex *in, float *out)
{
  int n, i;
  float scale;
  float *dst;

  g_return_if_fail (fft != NULL && in != NULL && out != NULL);

  n = fft->n;
  memcpy (fft->cbuf, in, (size_t) (n / 2 + 1) * sizeof (fftwf_complex));
  dst = fftwf_alignment_of (out) == 0 ? out : fft->rbuf;
  fftwf_execute_dft_c2r (fft->plans->inv, fft->cbuf, dst);
  scale = 1.0f / n;
  for (i = 0; i < n; i++)
    out[i] = dst[i] * scale;
}

/* ---- sizes ---- */

int
al_fft_good_size (int n)
{
  gint64 best = G_MAXINT64;
  gint64 p2, p3, p5;

  if (n <= 1)
    return 1;
  /* Enumerate 2^a 3^b 5^c just above n; there are only a few hundred below 2^31. */
  for (p5 = 1; p5 < 2 * (gint64) n; p5 *= 5)
    for (p3 = p5; p3 < 2 * (gint64) n; p3 *= 3)
      {
        p2 = p3;
        while (p2 < n)
          p2 *= 2;
        if (p2 < best)
          best = p2;
      }
  g_return_val_if_fail (best <= G_MAXINT, n);
  return (int) best;
}
