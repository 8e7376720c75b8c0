/* test-stft.c — STFT framing, frame count, perfect reconstruction and the
 * spectrum of a stationary sine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-dsp.h"

#include "al-base.h"

#include <math.h>

typedef struct {
  int frame, hop;
} Setting;

/* Metric settings of DESIGN.md §5 first. */
static const Setting settings[] = { { 768, 384 }, { 512, 128 }, { 1024, 256 } };

static void
test_nframes (void)
{
  guint s;

  for (s = 0; s < G_N_ELEMENTS (settings); s++)
    {
      AlStft *stft = al_stft_new (settings[s].frame, settings[s].hop);
      int frame = settings[s].frame, hop = settings[s].hop;
      size_t n;

      g_assert_cmpint (al_stft_nbins (stft), ==, frame / 2 + 1);
      g_assert_cmpint (al_stft_frame (stft), ==, frame);
      g_assert_cmpint (al_stft_hop (stft), ==, hop);
      for (n = 0; n < 5000; n += 7)
        {
          /* The fewest frames whose last one, ending at T*hop, reaches the
           * last sample of the padded signal (frame-hop zeros in front). */
          int T = 0;

          while ((size_t) T * hop < n + frame - hop)
            T++;
          g_assert_cmpint (al_stft_nframes (stft, n), ==, T);
        }
      g_assert_cmpint (al_stft_nframes (stft, 480000), ==, (480000 + frame - hop + hop - 1) / hop);
      al_stft_free (stft);
    }
}

static void
test_framing (void)
{
  /* An impulse at n0 puts w[n0 - start_t] into every bin of frame t, start_t =
   * t*hop - (frame-hop): checks the framing and the window together. */
  const int frame = 512, hop = 128, nbins = 257;
  const size_t nsamples = 2000, n0 = 777;
  AlStft *stft = al_stft_new (frame, hop);
  int nframes = al_stft_nframes (stft, nsamples), t, k;
  float *x = g_new0 (float, nsamples);
  float complex *X = g_new (float complex, (size_t) nframes * nbins);
  double *w = g_new (double, frame);

  al_window_hann (w, frame, TRUE);
  x[n0] = 1.0f;
  al_stft_forward (stft, x, nsamples, X);
  for (t = 0; t < nframes; t++)
    {
      long start = (long) t * hop - (frame - hop);
      long m = (long) n0 - start;
      double mag = (m >= 0 && m < frame) ? w[m] : 0.0;

      for (k = 0; k < nbins; k++)
        g_assert_cmpfloat_with_epsilon (cabsf (X[(size_t) t * nbins + k]), mag, 1e-6);
    }
  al_stft_free (stft);
  g_free (x);
  g_free (X);
  g_free (w);
}

static void
test_reconstruction (void)
{
  const size_t lengths[] = { 48000 + 123, 10007, 1000, 100, 1 };
  GRand *rand = g_rand_new_with_seed (7);
  guint s, l;

  for (s = 0; s < G_N_ELEMENTS (settings); s++)
    for (l = 0; l < G_N_ELEMENTS (lengths); l++)
      {
        AlStft *stft = al_stft_new (settings[s].frame, settings[s].hop);
        size_t n = lengths[l], j;
        int nframes = al_stft_nframes (stft, n);
        float *x = g_new (float, n), *y = g_new (float, n);
        float complex *X = g_new (float complex, (size_t) nframes * al_stft_nbins (stft));
        double err = 0.0;

        for (j = 0; j < n; j++)
          x[j] = (float) g_rand_double_range (rand, -1.0, 1.0);
        al_stft_forward (stft, x, n, X);
        al_stft_inverse (stft, X, nframes, y, n);
        for (j = 0; j < n; j++)
          err = MAX (err, fabs ((double) y[j] - x[j]));
        g_assert_cmpfloat (err, <, 1e-5);

        al_stft_free (stft);
        g_free (x);
        g_free (y);
        g_free (X);
      }
  g_rand_free (rand);
}

static void
test_short_inverse (void)
{
  /* Given one frame too few, samples every frame of which is present are
   * still exact and samples after the last frame come out as 0. */
  const int frame = 512, hop = 128;
  const size_t n = 3000;
  GRand *rand = g_rand_new_with_seed (9);
  AlStft *stft = al_stft_new (frame, hop);
  int nframes = al_stft_nframes (stft, n), short_frames = nframes - 3;
  float *x = g_new (float, n), *y = g_new (float, n);
  float complex *X = g_new (float complex, (size_t) nframes * al_stft_nbins (stft));
  size_t j;

  for (j = 0; j < n; j++)
    x[j] = (float) g_rand_double_range (rand, -1.0, 1.0);
  al_stft_forward (stft, x, n, X);
  al_stft_inverse (stft, X, short_frames, y, n);
  for (j = 0; j < n; j++)
    {
      /* Frames floor(j/hop) .. floor(j/hop) + frame/hop - 1 hold sample j. */
      size_t last = j / hop + frame / hop - 1;

      if (last < (size_t) short_frames)
        g_assert_cmpfloat_with_epsilon (y[j], x[j], 1e-5);
      else if (j >= (size_t) short_frames * hop)
        g_assert_cmpfloat (y[j], ==, 0.0f);
      else
        g_assert_true (isfinite (y[j]));
    }
  al_stft_free (stft);
  g_free (x);
  g_free (y);
  g_free (X);
  g_rand_free (rand);
}

static void
test_sine_peak (void)
{
  const int frame = 768, hop = 384, nbins = 385;
  const size_t n = 48000;
  const double fs = 48000.0, amp = 0.5;
  const double bins[] = { 37.0, 100.3, 250.6 }; /* frequency in bins */
  AlStft *stft = al_stft_new (frame, hop);
  int nframes = al_stft_nframes (stft, n);
  float *x = g_new (float, n);
  float complex *X = g_new (float complex, (size_t) nframes * nbins);
  guint b;

  for (b = 0; b < G_N_ELEMENTS (bins); b++)
    {
      double f = bins[b] * fs / frame;
      size_t j;
      int t, k;

      for (j = 0; j < n; j++)
        x[j] = (float) (amp * sin (2.0 * G_PI * f * j / fs));
      al_stft_forward (stft, x, n, X);
      /* Frames entirely inside the signal: t = 1 .. (n - hop)/hop - 1. */
      for (t = 1; t < (int) ((n - hop) / hop); t++)
        {
          const float complex *row = X + (size_t) t * nbins;
          int best = 0;

          for (k = 1; k < nbins; k++)
            if (cabsf (row[k]) > cabsf (row[best]))
              best = k;
          g_assert_cmpint (best, ==, (int) lround (bins[b]));
          /* On a bin: |X| = amp/2 * sum(w) = amp * frame/4 for a periodic Hann. */
          if (bins[b] == floor (bins[b]))
            g_assert_cmpfloat_with_epsilon (cabsf (row[best]), amp * frame / 4.0,
                                            1e-4 * amp * frame);
        }
    }
  al_stft_free (stft);
  g_free (x);
  g_free (X);
}

static void
test_check_params (void)
{
  GError *error = NULL;

  g_assert_true (al_stft_check_params (768, 384, &error));
  g_assert_no_error (error);
  g_assert_true (al_stft_check_params (1024, 256, NULL));
  g_assert_false (al_stft_check_params (768, 768, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (al_stft_check_params (1000, 300, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (al_stft_check_params (512, 0, NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dsp/stft/nframes", test_nframes);
  g_test_add_func ("/dsp/stft/framing", test_framing);
  g_test_add_func ("/dsp/stft/reconstruction", test_reconstruction);
  g_test_add_func ("/dsp/stft/short-inverse", test_short_inverse);
  g_test_add_func ("/dsp/stft/sine-peak", test_sine_peak);
  g_test_add_func ("/dsp/stft/check-params", test_check_params);
  return g_test_run ();
}
