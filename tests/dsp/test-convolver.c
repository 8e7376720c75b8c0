/* test-convolver.c — the partitioned convolver against direct convolution,
 * reset, identity and pure-delay filters; the direct reference against a
 * hand-computed case.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-dsp.h"

#include <math.h>
#include <string.h>

/* Streams x (n_in x nblocks*block, planar) through conv into y (n_out x same). */
static void
run_convolver (AlConvolver *conv, int n_in, int n_out, const float *x, int nblocks, float *y)
{
  int block = al_convolver_block (conv);
  size_t n = (size_t) nblocks * block;
  const float **in = g_new (const float *, n_in);
  float **out = g_new (float *, n_out);
  int b, i, o;

  for (b = 0; b < nblocks; b++)
    {
      for (i = 0; i < n_in; i++)
        in[i] = x + i * n + (size_t) b * block;
      for (o = 0; o < n_out; o++)
        out[o] = y + o * n + (size_t) b * block;
      al_convolver_process (conv, in, out);
    }
  g_free (in);
  g_free (out);
}

static float *
noise (GRand *rand, size_t n)
{
  float *x = g_new (float, n);
  size_t j;

  for (j = 0; j < n; j++)
    x[j] = (float) g_rand_double_range (rand, -1.0, 1.0);
  return x;
}

/* max |a - b| / max |b| */
static double
rel_max_err (const float *a, const float *b, size_t n)
{
  double e = 0.0, m = 0.0;
  size_t j;

  for (j = 0; j < n; j++)
    {
      e = MAX (e, fabs ((double) a[j] - b[j]));
      m = MAX (m, fabs ((double) b[j]));
    }
  return e / m;
}

static void
test_direct_reference (void)
{
  /* 2 inputs -> 1 output: [1 2 3] * [1 1 0 0 0] + [0 -1] * [0 0 2 0 0]. */
  const float firs[] = { 1, 2, 3, 0, -1, 0 };
  const float x[] = { 1, 1, 0, 0, 0,
                      0, 0, 2, 0, 0 };
  const float expect[] = { 1, 3, 5, 3 - 2, 0 };
  float y[5];
  int j;

  al_convolve_direct (2, 1, 3, firs, x, 5, y);
  for (j = 0; j < 5; j++)
    g_assert_cmpfloat (y[j], ==, expect[j]);
}

static void
test_against_direct (void)
{
  const int blocks[] = { 32, 64, 256, 1024 };
  const int lens[] = { 1, 31, 64, 100, 1024, 1500 };
  const int chans[][2] = { { 1, 1 }, { 5, 4 }, { 3, 9 } }; /* n_in, n_out */
  GRand *rand = g_rand_new_with_seed (11);
  double worst = 0.0;
  guint bi, li, ci;

  for (bi = 0; bi < G_N_ELEMENTS (blocks); bi++)
    for (li = 0; li < G_N_ELEMENTS (lens); li++)
      for (ci = 0; ci < G_N_ELEMENTS (chans); ci++)
        {
          int block = blocks[bi], len = lens[li];
          int n_in = chans[ci][0], n_out = chans[ci][1];
          /* Several blocks, and past the filter's end so every partition
           * and the delay line's wrap-around are exercised. */
          int nblocks = MAX (4, (len + block - 1) / block + 3);
          size_t n = (size_t) nblocks * block;
          float *firs = noise (rand, (size_t) n_out * n_in * len);
          float *x = noise (rand, (size_t) n_in * n);
          float *y = g_new (float, (size_t) n_out * n);
          float *r = g_new (float, (size_t) n_out * n);
          AlConvolver *conv = al_convolver_new (n_in, n_out, len, firs, block);
          double err;

          g_assert_cmpint (al_convolver_block (conv), ==, block);
          run_convolver (conv, n_in, n_out, x, nblocks, y);
          al_convolve_direct (n_in, n_out, len, firs, x, n, r);
          err = rel_max_err (y, r, (size_t) n_out * n);
          if (g_getenv ("AL_VERBOSE") || err >= 1e-6)
            g_test_message ("block %d, length %d, %d x %d: relative error %g",
                            block, len, n_in, n_out, err);
          g_assert_cmpfloat (err, <, 1e-6);
          worst = MAX (worst, err);

          al_convolver_free (conv);
          g_free (firs);
          g_free (x);
          g_free (y);
          g_free (r);
        }
  g_test_message ("worst relative error against direct convolution: %.3g", worst);
  g_rand_free (rand);
}

static void
test_reset (void)
{
  const int n_in = 3, n_out = 2, len = 300, block = 64, nblocks = 12;
  const size_t n = (size_t) nblocks * block;
  GRand *rand = g_rand_new_with_seed (5);
  float *firs = noise (rand, (size_t) n_out * n_in * len);
  float *x = noise (rand, (size_t) n_in * n);
  float *y1 = g_new (float, (size_t) n_out * n);
  float *y2 = g_new (float, (size_t) n_out * n);
  float *y3 = g_new (float, (size_t) n_out * n);
  AlConvolver *conv = al_convolver_new (n_in, n_out, len, firs, block);
  AlConvolver *fresh;

  run_convolver (conv, n_in, n_out, x, nblocks, y1);
  al_convolver_reset (conv);
  run_convolver (conv, n_in, n_out, x, nblocks, y2);
  g_assert_cmpmem (y1, n_out * n * sizeof (float), y2, n_out * n * sizeof (float));

  /* Stop half-way (history is non-zero), reset, start over: same as fresh. */
  run_convolver (conv, n_in, n_out, x, nblocks / 2 + 1, y3);
  al_convolver_reset (conv);
  run_convolver (conv, n_in, n_out, x, nblocks, y2);
  fresh = al_convolver_new (n_in, n_out, len, firs, block);
  run_convolver (fresh, n_in, n_out, x, nblocks, y3);
  g_assert_cmpmem (y2, n_out * n * sizeof (float), y3, n_out * n * sizeof (float));

  al_convolver_free (conv);
  al_convolver_free (fresh);
  g_free (firs);
  g_free (x);
  g_free (y1);
  g_free (y2);
  g_free (y3);
  g_rand_free (rand);
}

static void
test_identity_and_delay (void)
{
  const int n_ch = 4, block = 128, len = 700, nblocks = 10;
  const int delays[] = { 0, 1, 127, 128, 131, 699 };
  const size_t n = (size_t) nblocks * block;
  GRand *rand = g_rand_new_with_seed (3);
  float *x = noise (rand, (size_t) n_ch * n);
  float *y = g_new (float, (size_t) n_ch * n);
  float *firs = g_new (float, (size_t) n_ch * n_ch * len);
  guint d;

  for (d = 0; d < G_N_ELEMENTS (delays); d++)
    {
      AlConvolver *conv;
      int o;
      size_t j;
      double err = 0.0;

      /* Output o = input o delayed by delays[d] (0 = identity): the delta may
       * sit in any partition. */
      memset (firs, 0, (size_t) n_ch * n_ch * len * sizeof (float));
      for (o = 0; o < n_ch; o++)
        firs[((size_t) o * n_ch + o) * len + delays[d]] = 1.0f;
      conv = al_convolver_new (n_ch, n_ch, len, firs, block);
      run_convolver (conv, n_ch, n_ch, x, nblocks, y);
      for (o = 0; o < n_ch; o++)
        for (j = 0; j < n; j++)
          {
            float expect = j >= (size_t) delays[d] ? x[o * n + j - delays[d]] : 0.0f;

            err = MAX (err, fabs ((double) y[o * n + j] - expect));
          }
      g_assert_cmpfloat (err, <, 1e-6);
      al_convolver_free (conv);
    }
  g_free (x);
  g_free (y);
  g_free (firs);
  g_rand_free (rand);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dsp/convolver/direct-reference", test_direct_reference);
  g_test_add_func ("/dsp/convolver/against-direct", test_against_direct);
  g_test_add_func ("/dsp/convolver/reset", test_reset);
  g_test_add_func ("/dsp/convolver/identity-and-delay", test_identity_and_delay);
  return g_test_run ();
}
