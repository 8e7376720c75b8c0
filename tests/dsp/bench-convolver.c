/* bench-convolver.c — throughput of AlConvolver against direct convolution
 * for a 32-mic array encoded to 4th-order Ambisonics (25 channels) with
 * 1024-tap filters, one thread.  Prints figures, asserts nothing about speed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-dsp.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define N_IN 32
#define N_OUT 25
#define FIR_LEN 1024
#define FS 48000
#define SECONDS 10.0
#define DIRECT_SECONDS 0.5

static float *
noise (GRand *rand, size_t n, double scale)
{
  float *x = g_new (float, n);
  size_t j;

  for (j = 0; j < n; j++)
    x[j] = (float) (scale * g_rand_double_range (rand, -1.0, 1.0));
  return x;
}

int
main (int argc, char **argv)
{
  const int blocks[] = { 256, 512, 1024 };
  const size_t n = (size_t) (SECONDS * FS);
  const size_t nd = (size_t) (DIRECT_SECONDS * FS);
  GRand *rand = g_rand_new_with_seed (42);
  /* Filters scaled so outputs stay near unit level. */
  float *firs = noise (rand, (size_t) N_OUT * N_IN * FIR_LEN, 1.0 / sqrt (N_IN * FIR_LEN / 3.0));
  float *x = noise (rand, (size_t) N_IN * n, 1.0);
  float *xd = g_new (float, (size_t) N_IN * nd);
  float *yd = g_new (float, (size_t) N_OUT * nd);
  float *yc = g_new (float, (size_t) N_OUT * nd);
  double t_direct, direct_rt, sink = 0.0;
  gint64 t0;
  guint b;
  int i;

  printf ("# %d inputs -> %d outputs, %d-tap filters, %.0f s of noise at %d Hz, one thread\n",
          N_IN, N_OUT, FIR_LEN, SECONDS, FS);

  /* Direct form on a short excerpt; real-time factor scales linearly. */
  for (i = 0; i < N_IN; i++)
    memcpy (xd + (size_t) i * nd, x + (size_t) i * n, nd * sizeof (float));
  t0 = g_get_monotonic_time ();
  al_convolve_direct (N_IN, N_OUT, FIR_LEN, firs, xd, nd, yd);
  t_direct = (g_get_monotonic_time () - t0) * 1e-6;
  direct_rt = DIRECT_SECONDS / t_direct;
  printf ("al_convolve_direct: %.2f s for %.1f s of audio = %.3f x real time\n",
          t_direct, DIRECT_SECONDS, direct_rt);

  for (b = 0; b < G_N_ELEMENTS (blocks); b++)
    {
      int block = blocks[b], o;
      size_t nblocks = n / block, k, j;
      const float *in[N_IN];
      float *out[N_OUT];
      float *ybuf = g_new (float, (size_t) N_OUT * block);
      AlConvolver *conv;
      double t_new, t_run, rt, err = 0.0, ymax = 0.0;

      t0 = g_get_monotonic_time ();
      conv = al_convolver_new (N_IN, N_OUT, FIR_LEN, firs, block);
      t_new = (g_get_monotonic_time () - t0) * 1e-6;

      /* Accuracy check on the excerpt the direct form computed. */
      for (k = 0; k < nd / block; k++)
        {
          for (i = 0; i < N_IN; i++)
            in[i] = xd + (size_t) i * nd + k * block;
          for (o = 0; o < N_OUT; o++)
            out[o] = yc + (size_t) o * nd + k * block;
          al_convolver_process (conv, in, out);
        }
      for (o = 0; o < N_OUT; o++)
        for (j = 0; j < nd / block * block; j++)
          {
            err = MAX (err, fabs (yc[(size_t) o * nd + j] - yd[(size_t) o * nd + j]));
            ymax = MAX (ymax, fabs (yd[(size_t) o * nd + j]));
          }
      al_convolver_reset (conv);

      for (o = 0; o < N_OUT; o++)
        out[o] = ybuf + (size_t) o * block;
      t0 = g_get_monotonic_time ();
      for (k = 0; k < nblocks; k++)
        {
          for (i = 0; i < N_IN; i++)
            in[i] = x + (size_t) i * n + k * block;
          al_convolver_process (conv, in, out);
          sink += ybuf[k % block];
        }
      t_run = (g_get_monotonic_time () - t0) * 1e-6;
      rt = (double) nblocks * block / FS / t_run;
      printf ("AlConvolver block %4d: setup %.3f s, %.2f s for %.1f s of audio = %.1f x real time, "
              "%.1f us per block, speed-up over direct %.0f x, max rel. error vs direct %.2g\n",
              block, t_new, t_run, (double) nblocks * block / FS, rt,
              t_run / nblocks * 1e6, rt / direct_rt, err / ymax);
      al_convolver_free (conv);
      g_free (ybuf);
    }
  printf ("# checksum %g\n", sink);

  g_free (firs);
  g_free (x);
  g_free (xd);
  g_free (yd);
  g_free (yc);
  g_rand_free (rand);
  return 0;
}
