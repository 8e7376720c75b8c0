/* test-deconvolve.c — linear deconvolution of a loopback: a delta at the
 * delay with every other sample below −100 dB in the band-limited sense,
 * in-band |H| = 1, the analytic Novak scale, harmonics at −L·ln k without
 * wrapping onto the IR, threads, and errors.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-measure.h"
#include "dsp/al-dsp.h"

#include <complex.h>
#include <math.h>
#include <string.h>

#define SPEC "f1=20,f2=22000,T=1"

/* The transfer function of a raw IR with lag 0 at time 0 (nbins = len/2+1). */
static double complex *
raw_spectrum (const AlRawIr *raw)
{
  int n = raw->len;
  AlFft *fft = al_fft_new (n);
  double *buf = g_new (double, n);
  double complex *H = g_new (double complex, n / 2 + 1);
  for (int i = 0; i < n; i++)
    buf[i] = raw->h[(i + raw->zero) % n];
  al_fft_forward (fft, buf, H);
  al_fft_free (fft);
  g_free (buf);
  return H;
}

static AlRawIr *
loopback (const AlSweep *s, AlDeconvMethod method, double delay, double *norm_db)
{
  g_autoptr (GError) error = NULL;
  AlDeconvParams params;
  al_deconv_params_init (&params);
  params.method = method;
  g_autoptr (AlDeconvolver) d = al_deconvolver_new (s, &params, 0, &error);
  g_assert_no_error (error);
  g_autofree double *rec = g_new (double, s->n_total);
  al_sweep_render (s, delay, rec);
  if (norm_db != NULL)
    *norm_db = al_deconvolver_norm_db (d);
  return al_deconvolver_run_double (d, rec);
}

/* Largest |h| and its lag. */
static int
peak_lag (const AlRawIr *raw, double *value)
{
  int best = 0;
  for (int i = 1; i < raw->len; i++)
    if (fabs (raw->h[i]) > fabs (raw->h[best]))
      best = i;
  if (value != NULL)
    *value = raw->h[best];
  return best - raw->zero;
}

/* In-band check of H against the ideal delay: worst |H − e^{−jωD}| and the
 * magnitude range (dB) over [lo, hi]. */
static void
band_errors (const AlRawIr *raw, double delay, double lo, double hi, double *complex_err, double *mag_db)
{
  int n = raw->len;
  g_autofree double complex *H = raw_spectrum (raw);
  *complex_err = 0.0;
  *mag_db = 0.0;
  for (int k = (int) ceil (lo * n / raw->fs); k <= (int) floor (hi * n / raw->fs); k++)
    {
      double complex ideal = cexp (-2.0 * I * G_PI * fmod (k * delay, n) / n);
      *complex_err = fmax (*complex_err, cabs (H[k] - ideal));
      *mag_db = fmax (*mag_db, fabs (20.0 * log10 (cabs (H[k]))));
    }
}

/* Regularised division of a loopback delayed by D samples: a delta at D;
 * after a band-pass over [2 f1, f2/2] applied to both it and the ideal
 * delta, every sample of the difference is below −100 dB re the peak. */
static void
test_regularised_delta (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSweep) s = al_sweep_new_from_spec (SPEC, &error);
  g_assert_no_error (error);
  const int D = 137;
  double norm_db;
  g_autoptr (AlRawIr) raw = loopback (s, AL_DECONV_REGULARISED, D, &norm_db);
  double peak;
  g_assert_cmpint (peak_lag (raw, &peak), ==, D);
  g_assert_cmpfloat (fabs (norm_db), <, 1e-6);

  double cerr, mag_db;
  band_errors (raw, D, 40.0, 11000.0, &cerr, &mag_db);
  g_test_message ("regularised: peak %.6f, in-band |H − e^{−jωD}| ≤ %.2e (%.1f dB), |H| within %.2e dB",
                  peak, cerr, 20 * log10 (cerr), mag_db);
  g_assert_cmpfloat (cerr, <, 1e-5);
  g_assert_cmpfloat (mag_db, <, 0.1);

  /* Time domain, band-limited: a raised-cosine band-pass G (1 on
   * [2 f1, f2/2], tapering over an octave outside) applied to the error. */
  int n = raw->len, nbins = n / 2 + 1;
  g_autofree double complex *H = raw_spectrum (raw);
  g_autofree double complex *E = g_new (double complex, nbins);
  g_autofree double complex *R = g_new (double complex, nbins);
  for (int k = 0; k < nbins; k++)
    {
      double f = k * raw->fs / n, g = 0.0;
      if (f >= 40.0 && f <= 11000.0)
        g = 1.0;
      else if (f > 20.0 && f < 40.0)
        g = 0.5 - 0.5 * cos (G_PI * (f - 20.0) / 20.0);
      else if (f > 11000.0 && f < 22000.0)
        g = 0.5 + 0.5 * cos (G_PI * (f - 11000.0) / 11000.0);
      double complex ideal = cexp (-2.0 * I * G_PI * fmod ((double) k * D, n) / n);
      E[k] = g * (H[k] - ideal);
      R[k] = g * ideal;
    }
  AlFft *fft = al_fft_new (n);
  g_autofree double *e = g_new (double, n);
  g_autofree double *r = g_new (double, n);
  al_fft_inverse (fft, E, e);
  al_fft_inverse (fft, R, r);
  al_fft_free (fft);
  double emax = 0.0, rmax = 0.0;
  for (int i = 0; i < n; i++)
    {
      emax = fmax (emax, fabs (e[i]));
      rmax = fmax (rmax, fabs (r[i]));
    }
  g_test_message ("band-limited delta: worst error sample %.1f dB re the peak", 20 * log10 (emax / rmax));
  g_assert_cmpfloat (emax / rmax, <, 1e-5);
  g_assert_cmpfloat (fabs (r[D] - rmax), <, 1e-12);
}

/* Novak's analytic inverse: |H| = 1 within 0.1 dB over [2 f1, f2/2], its
 * scale needs (almost) no numerical correction, and the peak is at D.  The
 * inverse is a stationary-phase approximation that ignores the fade-in: the
 * fade must end several windows √(L/f) before 2 f1, which takes a 2 s sweep
 * from 20 Hz (a 1 s sweep ripples by 0.45 dB at 40 Hz, 0.016 dB from 80 Hz). */
static void
test_novak_in_band (void)
{
  g_autoptr (GError) error = NULL;
  for (int kind = 0; kind < 2; kind++)
    {
      const char *spec = kind == 0 ? "f1=20,f2=22000,T=2" : "type=farina,f1=20,f2=22000,T=2.1";
      g_autoptr (AlSweep) s = al_sweep_new_from_spec (spec, &error);
      g_assert_no_error (error);
      const int D = 64;
      double norm_db, cerr, mag_db, peak;
      g_autoptr (AlRawIr) raw = loopback (s, AL_DECONV_NOVAK, D, &norm_db);
      g_assert_cmpint (peak_lag (raw, &peak), ==, D);
      band_errors (raw, D, 40.0, 11000.0, &cerr, &mag_db);
      g_test_message ("novak (%s sweep): normalisation %.4f dB, in-band |H| within %.4f dB, complex error %.2e",
                      al_sweep_kind_name (s->params.kind), norm_db, mag_db, cerr);
      g_assert_cmpfloat (fabs (norm_db), <, 0.1);
      g_assert_cmpfloat (mag_db, <, 0.1);
      g_assert_cmpfloat (cerr, <, 0.02);
    }
}

/* Farina's time-reversed inverse filter: the same band check.  Its product
 * with the sweep carries the fade ripple twice, so it needs a 3 s sweep
 * (2 s: 0.14 dB at 40 Hz; 1 s: 0.7 dB). */
static void
test_farina_in_band (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSweep) s = al_sweep_new_from_spec ("type=farina,f1=20,f2=22000,T=3", &error);
  g_assert_no_error (error);
  const int D = 10;
  double norm_db, cerr, mag_db;
  g_autoptr (AlRawIr) raw = loopback (s, AL_DECONV_FARINA, D, &norm_db);
  g_assert_cmpint (peak_lag (raw, NULL), ==, D);
  band_errors (raw, D, 40.0, 11000.0, &cerr, &mag_db);
  g_test_message ("farina inverse filter: in-band |H| within %.4f dB, complex error %.2e", mag_db, cerr);
  g_assert_cmpfloat (mag_db, <, 0.1);
}

/* A memoryless square law makes a 2nd harmonic: after linear deconvolution
 * it sits L·fs·ln 2 samples before the linear IR, and nothing of it wraps
 * onto the lags after the IR. */
static void
test_linear_not_circular (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSweep) s = al_sweep_new_from_spec (SPEC ",pre=0.05,post=0.2", &error);
  g_assert_no_error (error);
  g_autoptr (AlDeconvolver) d = al_deconvolver_new (s, NULL, 0, &error);
  g_assert_no_error (error);
  const int D = 50;
  g_autofree double *rec = g_new (double, s->n_total);
  al_sweep_render (s, D, rec);
  /* y = x + 0.1 x² + 0.05 x³, band-limited (no aliased products) */
  AlPolyNonlinearity nl = { 0.1, 0.05, 1.0 };
  al_poly_nonlinearity_apply (&nl, s->params.fs, rec, s->n_total, rec);
  g_autoptr (AlRawIr) raw = al_deconvolver_run_double (d, rec);

  /* The FFT holds the whole linear product: pre-roll 0.05 s is shorter than
   * L·ln 2 = 0.104 s, so a circular deconvolution of the recording alone
   * would have wrapped harmonic 2 onto the end. */
  g_assert_cmpint (raw->zero, >=, s->n_sweep);
  double lin = 0.0;
  int lin_at = peak_lag (raw, &lin);
  g_assert_cmpint (lin_at, ==, D);
  for (int k = 2; k <= 3; k++)
    {
      double expect = D + al_sweep_harmonic_lag (s, k);
      int best = -1;
      for (int i = raw->zero + (int) expect - 40; i < raw->zero + (int) expect + 40; i++)
        if (best < 0 || fabs (raw->h[i]) > fabs (raw->h[best]))
          best = i;
      g_test_message ("harmonic %d: peak at lag %d, expected %.2f, %.1f dB re linear", k, best - raw->zero,
                      expect, 20 * log10 (fabs (raw->h[best] / lin)));
      g_assert_cmpfloat (fabs (best - raw->zero - expect), <=, 1.0);
      g_assert_cmpfloat (fabs (raw->h[best] / lin), >, 1e-3);
      /* Where a circular deconvolution over the recording's length would
       * have put it: lag + rec_len, on the IR's tail.  Nothing there. */
      int wrapped = raw->zero + (int) rint (expect) + s->n_total;
      g_assert_cmpint (wrapped + 40, <, raw->len);
      double there = 0.0;
      for (int i = wrapped - 40; i < wrapped + 40; i++)
        there = fmax (there, fabs (raw->h[i]));
      g_test_message ("  at its wrapped position: %.1f dB re linear", 20 * log10 (there / fabs (lin)));
      g_assert_cmpfloat (there / fabs (lin), <, 1e-5);
    }
  /* After the IR (lags D + 2000 … end of the recording): only the band
   * edge's ringing, which decays as 1/t (≈ −74 dB here), no harmonic. */
  double tail = 0.0;
  for (int i = raw->zero + D + 2000; i < raw->len; i++)
    tail = fmax (tail, fabs (raw->h[i]));
  g_test_message ("tail after the IR: %.1f dB re the peak", 20 * log10 (tail / fabs (lin)));
  g_assert_cmpfloat (tail / fabs (lin), <, 1e-3);
}

static void
test_threads_and_errors (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSweep) s = al_sweep_new_from_spec ("f1=100,f2=10000,T=0.3,pre=0.05,post=0.05", &error);
  g_assert_no_error (error);
  g_autoptr (AlDeconvolver) d = al_deconvolver_new (s, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (al_deconvolver_rec_len (d), ==, s->n_total);
  g_assert_cmpint (al_deconvolver_fft_len (d), >=, s->n_total + s->n_sweep);
  g_autoptr (AlRecording) rec = al_recording_new (s->params.fs, 7, s->n_total);
  for (int c = 0; c < 7; c++)
    for (int i = 0; i < s->n_total - c * 3; i++)
      al_recording_channel (rec, c)[i + c * 3] = (float) (s->signal[i] * (c + 1) * 0.1);
  AlRawIr **one = al_deconvolver_run_all (d, rec, 1, NULL, &error);
  g_assert_no_error (error);
  AlRawIr **many = al_deconvolver_run_all (d, rec, 4, NULL, &error);
  g_assert_no_error (error);
  double v0;
  peak_lag (one[0], &v0);
  for (int c = 0; c < 7; c++)
    {
      g_assert_cmpmem (one[c]->h, sizeof (double) * one[c]->len, many[c]->h, sizeof (double) * many[c]->len);
      double v;
      /* A band-limited delta's height is its mean gain over 0 … fs/2, the
       * same for every channel: the ratios are the gains. */
      g_assert_cmpint (peak_lag (one[c], &v), ==, 3 * c);
      g_assert_cmpfloat (fabs (v / v0 - (c + 1)), <, 1e-4 * (c + 1));
      al_raw_ir_free (one[c]);
      al_raw_ir_free (many[c]);
    }
  g_free (one);
  g_free (many);

  /* A recording of another length or rate is refused. */
  g_autoptr (AlRecording) shorter = al_recording_new (s->params.fs, 2, s->n_total - 1);
  g_assert_null (al_deconvolver_run_all (d, shorter, 0, NULL, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_MISMATCH);
  g_clear_error (&error);
  /* A recording length that cannot hold the sweep. */
  g_assert_null (al_deconvolver_new (s, NULL, s->n_pre + s->n_sweep - 1, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  /* A band above fs/2. */
  AlDeconvParams p;
  al_deconv_params_init (&p);
  p.f_hi = 30000;
  g_assert_null (al_deconvolver_new (s, &p, 0, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  AlDeconvMethod m;
  g_assert_true (al_deconv_method_parse ("Novak", &m, NULL));
  g_assert_cmpint (m, ==, AL_DECONV_NOVAK);
  g_assert_false (al_deconv_method_parse ("wiener", &m, &error));
  g_assert_nonnull (strstr (error->message, "wiener"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/measure/deconvolve/regularised-delta", test_regularised_delta);
  g_test_add_func ("/measure/deconvolve/novak-in-band", test_novak_in_band);
  g_test_add_func ("/measure/deconvolve/farina-in-band", test_farina_in_band);
  g_test_add_func ("/measure/deconvolve/linear-not-circular", test_linear_not_circular);
  g_test_add_func ("/measure/deconvolve/threads-and-errors", test_threads_and_errors);
  return g_test_run ();
}
