/* al-measure-util.c — small shared pieces of the measure module: band
 * weights, spectral delays, band medians, a parallel loop, raw-IR layout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-measure-private.h"

#include <stdlib.h>
#include <string.h>

double
al_measure_out_of_band (double f, double f_lo, double f_hi)
{
  double lo0 = f_lo / G_SQRT2, hi1 = f_hi * G_SQRT2;

  if (f <= lo0 || f >= hi1)
    return 1.0;
  if (f < f_lo)
    return 0.5 + 0.5 * cos (G_PI * (f - lo0) / (f_lo - lo0));
  if (f > f_hi)
    return 0.5 - 0.5 * cos (G_PI * (f - f_hi) / (hi1 - f_hi));
  return 0.0;
}

void
al_measure_spectrum_delay (double complex *X, int nfft, double d)
{
  int nbins = nfft / 2 + 1;

  if (d == 0.0)
    return;
  /* Reduce the phase step exactly: k·d mod nfft keeps the argument small
   * for long transforms. */
  for (int k = 0; k < nbins; k++)
    {
      double cycles = fmod ((double) k * d, (double) nfft) / nfft;
      X[k] *= cexp (-2.0 * I * G_PI * cycles);
    }
  if (nfft % 2 == 0)
    X[nbins - 1] = creal (X[nbins - 1]);
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

double
al_measure_band_median (const double complex *X, int nfft, double fs, double f_lo, double f_hi)
{
  int k0 = (int) ceil (f_lo * nfft / fs), k1 = (int) floor (f_hi * nfft / fs);
  k0 = MAX (k0, 1);
  k1 = MIN (k1, nfft / 2);
  if (k1 < k0)
    return 0.0;
  int n = k1 - k0 + 1;
  g_autofree double *mag = g_new (double, n);
  for (int k = 0; k < n; k++)
    mag[k] = cabs (X[k0 + k]);
  qsort (mag, n, sizeof (double), cmp_double);
  return n % 2 ? mag[n / 2] : 0.5 * (mag[n / 2 - 1] + mag[n / 2]);
}

void
al_measure_flat_band (const AlSweep *sweep, double *f_lo, double *f_hi)
{
  double f1 = sweep->params.f1, f2 = sweep->params.f2;

  if (4.0 * f1 < f2)
    {
      *f_lo = 2.0 * f1;
      *f_hi = 0.5 * f2;
    }
  else
    {
      *f_lo = f1;
      *f_hi = f2;
    }
}

typedef struct {
  AlMeasureForFunc fn;
  gpointer data;
  int n;
  gint next;
} ForShared;

static gpointer
for_worker (gpointer p)
{
  ForShared *s = p;
  int i;

  while ((i = g_atomic_int_add (&s->next, 1)) < s->n)
    s->fn (i, s->data);
  return NULL;
}

void
al_measure_parallel_for (int n, int nthreads, AlMeasureForFunc fn, gpointer data)
{
  ForShared shared = { fn, data, n, 0 };

  if (nthreads <= 0)
    nthreads = MIN ((int) g_get_num_processors (), 16);
  nthreads = CLAMP (nthreads, 1, MAX (n, 1));
  if (nthreads == 1)
    {
      for_worker (&shared);
      return;
    }
  g_autofree GThread **threads = g_new0 (GThread *, nthreads - 1);
  for (int t = 0; t < nthreads - 1; t++)
    threads[t] = g_thread_new ("al-measure", for_worker, &shared);
  for_worker (&shared);
  for (int t = 0; t < nthreads - 1; t++)
    g_thread_join (threads[t]);
}

void
al_measure_rotate_into (const double *circ, int n, int origin, AlRawIr *raw)
{
  /* raw->h[i] holds lag i − zero, found at circ[(origin + i − zero) mod n]. */
  int start = ((origin - raw->zero) % n + n) % n;
  int first = n - start;

  memcpy (raw->h, circ + start, sizeof (double) * first);
  memcpy (raw->h + first, circ, sizeof (double) * start);
}
