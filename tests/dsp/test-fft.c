/* test-fft.c — real FFTs against closed forms, a brute-force DFT, round
 * trips, Parseval, good sizes and concurrent plan creation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-dsp.h"

#include <fftw3.h>
#include <math.h>
#include <string.h>

static const int round_trip_sizes[] = { 1, 2, 7, 64, 768, 1000, 1024, 4096 };

static void
fill_noise (GRand *rand, double *x, int n)
{
  int i;

  for (i = 0; i < n; i++)
    x[i] = g_rand_double_range (rand, -1.0, 1.0);
}

/* X[k] = sum_j x[j] e^{-2 pi i jk/n}, with the twiddle of (j*k mod n) from a
 * table so the reference itself is accurate. */
static void
brute_dft (const double *x, int n, double complex *X)
{
  double complex *tw = g_new (double complex, n);
  int j, k;

  for (j = 0; j < n; j++)
    tw[j] = cexp (-2.0 * G_PI * I * j / n);
  for (k = 0; k <= n / 2; k++)
    {
      double complex s = 0.0;

      for (j = 0; j < n; j++)
        s += x[j] * tw[((gint64) j * k) % n];
      X[k] = s;
    }
  g_free (tw);
}

static void
test_impulse (void)
{
  const int n = 64, m = 3;
  double x[64];
  double complex X[33];
  AlFft *fft = al_fft_new (n);
  int k;

  memset (x, 0, sizeof x);
  x[0] = 1.0;
  al_fft_forward (fft, x, X);
  for (k = 0; k <= n / 2; k++)
    {
      g_assert_cmpfloat (creal (X[k]), ==, 1.0);
      g_assert_cmpfloat (cimag (X[k]), ==, 0.0);
    }

  /* A shifted impulse is a pure linear phase. */
  x[0] = 0.0;
  x[m] = 1.0;
  al_fft_forward (fft, x, X);
  for (k = 0; k <= n / 2; k++)
    {
      double complex e = cexp (-2.0 * G_PI * I * k * m / n);

      g_assert_cmpfloat_with_epsilon (creal (X[k]), creal (e), 1e-14);
      g_assert_cmpfloat_with_epsilon (cimag (X[k]), cimag (e), 1e-14);
    }
  al_fft_free (fft);
}

static void
test_cosine_bin (void)
{
  const int sizes[] = { 64, 768, 1000 };
  guint s;

  for (s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      int n = sizes[s];
      int bins[] = { 1, 5, n / 3, n / 2 };
      double *x = g_new (double, n);
      double complex *X = g_new (double complex, n / 2 + 1);
      AlFft *fft = al_fft_new (n);
      guint b;

      for (b = 0; b < G_N_ELEMENTS (bins); b++)
        {
          int k0 = bins[b], j, k;
          /* cos at bin k0 gives n/2 in bin k0, n at Nyquist (n even). */
          double peak = (2 * k0 == n) ? n : n / 2.0;

          for (j = 0; j < n; j++)
            x[j] = cos (2.0 * G_PI * ((gint64) k0 * j % n) / n);
          al_fft_forward (fft, x, X);
          for (k = 0; k <= n / 2; k++)
            {
              g_assert_cmpfloat_with_epsilon (creal (X[k]), k == k0 ? peak : 0.0, 1e-10 * n);
              g_assert_cmpfloat_with_epsilon (cimag (X[k]), 0.0, 1e-10 * n);
            }
          /* sin at bin k0 (below Nyquist) gives -i n/2. */
          if (2 * k0 < n)
            {
              for (j = 0; j < n; j++)
                x[j] = sin (2.0 * G_PI * ((gint64) k0 * j % n) / n);
              al_fft_forward (fft, x, X);
              for (k = 0; k <= n / 2; k++)
                {
                  g_assert_cmpfloat_with_epsilon (creal (X[k]), 0.0, 1e-10 * n);
                  g_assert_cmpfloat_with_epsilon (cimag (X[k]), k == k0 ? -n / 2.0 : 0.0, 1e-10 * n);
                }
            }
        }
      al_fft_free (fft);
      g_free (x);
      g_free (X);
    }
}

static double
parseval_spectrum (const double complex *X, int n)
{
  double e = 0.0;
  int k;

  /* Bins 1 .. ceil(n/2)-1 stand for two conjugate bins each. */
  for (k = 0; k <= n / 2; k++)
    {
      double w = (k == 0 || 2 * k == n) ? 1.0 : 2.0;

      e += w * (creal (X[k]) * creal (X[k]) + cimag (X[k]) * cimag (X[k]));
    }
  return e / n;
}

static void
test_double_round_trip (void)
{
  GRand *rand = g_rand_new_with_seed (1);
  guint s;

  for (s = 0; s < G_N_ELEMENTS (round_trip_sizes); s++)
    {
      int n = round_trip_sizes[s], j, k;
      /* FFTW-aligned arrays take the direct new-array execute path. */
      double *x = fftw_alloc_real (n + 1);
      double *y = fftw_alloc_real (n + 1);
      double *x0 = g_new (double, n);
      double complex *X = (double complex *) fftw_alloc_complex (n / 2 + 2);
      double complex *R = g_new (double complex, n / 2 + 1);
      AlFft *fft = al_fft_new (n);
      double ex = 0.0, err = 0.0;

      g_assert_cmpint (al_fft_size (fft), ==, n);
      fill_noise (rand, x, n);
      memcpy (x0, x, n * sizeof (double));
      al_fft_forward (fft, x, X);
      g_assert_cmpmem (x, n * sizeof (double), x0, n * sizeof (double)); /* input kept */
      brute_dft (x, n, R);
      for (k = 0; k <= n / 2; k++)
        g_assert_cmpfloat (cabs (X[k] - R[k]), <, 1e-11 * n);

      al_fft_inverse (fft, X, y);
      for (j = 0; j < n; j++)
        {
          err = MAX (err, fabs (y[j] - x[j]));
          ex += x[j] * x[j];
        }
      g_assert_cmpfloat (err, <, 1e-12);
      g_assert_cmpfloat_with_epsilon (parseval_spectrum (X, n) / ex, 1.0, 1e-12);

      /* Misaligned arrays take the copying path and must agree exactly. */
      memmove (x + 1, x, n * sizeof (double));
      al_fft_forward (fft, x + 1, (double complex *) ((double *) X + 1));
      for (k = 0; k <= n / 2; k++)
        {
          double complex v;

          memcpy (&v, (double *) X + 1 + 2 * k, sizeof v);
          g_assert_cmpfloat (cabs (v - R[k]), <, 1e-11 * n);
        }
      al_fft_inverse (fft, (double complex *) ((double *) X + 1), y + 1);
      for (j = 0; j < n; j++)
        g_assert_cmpfloat_with_epsilon (y[j + 1], x[j + 1], 1e-12);

      al_fft_free (fft);
      fftw_free (x);
      fftw_free (y);
      fftw_free (X);
      g_free (x0);
      g_free (R);
    }
  g_rand_free (rand);
}

static void
test_float_round_trip (void)
{
  GRand *rand = g_rand_new_with_seed (2);
  guint s;

  for (s = 0; s < G_N_ELEMENTS (round_trip_sizes); s++)
    {
      int n = round_trip_sizes[s], j, k;
      float *x = g_new (float, n);
      float *y = g_new (float, n);
      double *xd = g_new (double, n);
      float complex *X = g_new (float complex, n / 2 + 1);
      double complex *R = g_new (double complex, n / 2 + 1);
      AlFftf *fft = al_fftf_new (n);
      double ex = 0.0, ey = 0.0, err = 0.0;

      g_assert_cmpint (al_fftf_size (fft), ==, n);
      for (j = 0; j < n; j++)
        {
          x[j] = (float) g_rand_double_range (rand, -1.0, 1.0);
          xd[j] = x[j];
          ex += xd[j] * xd[j];
        }
      al_fftf_forward (fft, x, X);
      brute_dft (xd, n, R);
      for (k = 0; k <= n / 2; k++)
        {
          g_assert_cmpfloat (cabs (X[k] - R[k]), <, 1e-5 * sqrt (n) + 1e-6);
          ey += ((k == 0 || 2 * k == n) ? 1.0 : 2.0) * crealf (X[k] * conjf (X[k]));
        }
      g_assert_cmpfloat_with_epsilon (ey / n / ex, 1.0, 1e-5);

      al_fftf_inverse (fft, X, y);
      for (j = 0; j < n; j++)
        err = MAX (err, fabs ((double) y[j] - x[j]));
      g_assert_cmpfloat (err, <, 1e-5);

      al_fftf_free (fft);
      g_free (x);
      g_free (y);
      g_free (xd);
      g_free (X);
      g_free (R);
    }
  g_rand_free (rand);
}

static gboolean
is_235_smooth (gint64 m)
{
  while (m % 2 == 0)
    m /= 2;
  while (m % 3 == 0)
    m /= 3;
  while (m % 5 == 0)
    m /= 5;
  return m == 1;
}

static void
test_good_size (void)
{
  int n;

  g_assert_cmpint (al_fft_good_size (1), ==, 1);
  g_assert_cmpint (al_fft_good_size (7), ==, 8);
  g_assert_cmpint (al_fft_good_size (768), ==, 768);
  g_assert_cmpint (al_fft_good_size (1025), ==, 1080);
  g_assert_cmpint (al_fft_good_size (1000001), ==, 1012500);
  for (n = 1; n <= 5000; n++)
    {
      gint64 m = n;

      while (!is_235_smooth (m))
        m++;
      g_assert_cmpint (al_fft_good_size (n), ==, m);
    }
}

/* ---- concurrent plan creation ---- */

typedef struct {
  const int *sizes;
  int nsizes;
  gint *go;
  double max_err;  /* double: impulse spectrum and round-trip errors */
  double max_errf; /* the same for float */
} PlanJob;

static gpointer
plan_worker (gpointer data)
{
  PlanJob *job = data;
  int s;

  /* Both threads start planning at the same moment. */
  while (!g_atomic_int_get (job->go))
    ;
  for (s = 0; s < job->nsizes; s++)
    {
      int n = job->sizes[s], j, k;
      AlFft *fft = al_fft_new (n);
      AlFftf *fftf = al_fftf_new (n);
      double *x = g_new0 (double, n);
      double complex *X = g_new (double complex, n / 2 + 1);
      float *xf = g_new0 (float, n);
      float complex *Xf = g_new (float complex, n / 2 + 1);
      int m = n / 3;

      /* Impulse at m: X[k] = e^{-2 pi i km/n}; then back to the impulse. */
      x[m] = 1.0;
      xf[m] = 1.0f;
      al_fft_forward (fft, x, X);
      al_fftf_forward (fftf, xf, Xf);
      for (k = 0; k <= n / 2; k++)
        {
          double complex e = cexp (-2.0 * G_PI * I * (double) ((gint64) k * m % n) / n);

          job->max_err = MAX (job->max_err, cabs (X[k] - e));
          job->max_errf = MAX (job->max_errf, cabs (Xf[k] - e));
        }
      al_fft_inverse (fft, X, x);
      al_fftf_inverse (fftf, Xf, xf);
      for (j = 0; j < n; j++)
        {
          job->max_err = MAX (job->max_err, fabs (x[j] - (j == m)));
          job->max_errf = MAX (job->max_errf, fabs (xf[j] - (j == m)));
        }
      al_fft_free (fft);
      al_fftf_free (fftf);
      g_free (x);
      g_free (X);
      g_free (xf);
      g_free (Xf);
    }
  return NULL;
}

static void
test_threads (void)
{
  /* Sizes not used by other tests, so every one is planned here, first come
   * first served: the shared ones race for the same cache entry. */
  enum { NSHARED = 60, NOWN = 40 };
  int *a = g_new (int, NSHARED + NOWN), *b = g_new (int, NSHARED + NOWN);
  gint go = 0;
  PlanJob ja, jb;
  GThread *ta, *tb;
  int i;

  for (i = 0; i < NSHARED; i++)
    {
      a[i] = 2000 + i;
      b[i] = 2000 + NSHARED - 1 - i;
    }
  for (i = 0; i < NOWN; i++)
    {
      a[NSHARED + i] = 3001 + 2 * i;
      b[NSHARED + i] = 3000 + 2 * i;
    }
  ja = (PlanJob) { a, NSHARED + NOWN, &go, 0.0, 0.0 };
  jb = (PlanJob) { b, NSHARED + NOWN, &go, 0.0, 0.0 };
  ta = g_thread_new ("plan-a", plan_worker, &ja);
  tb = g_thread_new ("plan-b", plan_worker, &jb);
  g_atomic_int_set (&go, 1);
  g_thread_join (ta);
  g_thread_join (tb);
  g_assert_cmpfloat (ja.max_err, <, 1e-12);
  g_assert_cmpfloat (jb.max_err, <, 1e-12);
  g_assert_cmpfloat (ja.max_errf, <, 1e-5);
  g_assert_cmpfloat (jb.max_errf, <, 1e-5);
  g_free (a);
  g_free (b);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dsp/fft/impulse", test_impulse);
  g_test_add_func ("/dsp/fft/cosine-bin", test_cosine_bin);
  g_test_add_func ("/dsp/fft/double-round-trip", test_double_round_trip);
  g_test_add_func ("/dsp/fft/float-round-trip", test_float_round_trip);
  g_test_add_func ("/dsp/fft/good-size", test_good_size);
  g_test_add_func ("/dsp/fft/threads", test_threads);
  return g_test_run ();
}
