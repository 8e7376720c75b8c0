/* test-latency.c — the loopback reference: fractional latencies to 0.01
 * sample, the latency track, shift compensation, division by the reference
 * spectrum, and clock-drift estimation and correction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-measure.h"
#include "dsp/al-dsp.h"

#include <complex.h>
#include <math.h>
#include <string.h>

#define SPEC "f1=20,f2=22000,T=1,pre=0.1,post=0.2"

static AlRawIr *
deconvolve (const AlSweep *s, AlDeconvMethod method, const double *rec)
{
  g_autoptr (GError) error = NULL;
  AlDeconvParams p;
  al_deconv_params_init (&p);
  p.method = method;
  g_autoptr (AlDeconvolver) d = al_deconvolver_new (s, &p, 0, &error);
  g_assert_no_error (error);
  return al_deconvolver_run_double (d, rec);
}

/* A periodic band-limited impulse at a fractional position: its peak. */
static void
test_peak_position (void)
{
  const int n = 512;
  double h[512];
  for (double pos = 100.0; pos < 101.0; pos += 0.125)
    {
      /* Dirichlet kernel of odd length: the band-limited interpolant of a delta at `pos`. */
      const int m = 511;
      for (int i = 0; i < m; i++)
        {
          double x = G_PI * (i - pos) / m;
          h[i] = fabs (sin (x)) < 1e-15 ? 1.0 : sin (m * x) / (m * sin (x));
        }
      double value;
      double est = al_peak_position (h, m, &value);
      g_assert_cmpfloat (fabs (est - pos), <, 1e-4);
      g_assert_cmpfloat (fabs (value - 1.0), <, 1e-6);
    }
  /* A negative peak counts by its magnitude (the other impulse's sinc tail
   * moves the band-limited maximum by ~1e-5 sample). */
  memset (h, 0, sizeof h);
  h[40] = 0.3;
  h[300] = -0.9;
  double v;
  g_assert_cmpfloat (fabs (al_peak_position (h, n, &v) - 300.0), <, 1e-4);
  g_assert_cmpfloat (fabs (v + 0.9), <, 1e-6);
}

/* A loopback delayed by a fractional number of samples (the continuous-time
 * sweep evaluated at shifted times): the latency within 0.01 sample. */
static void
test_fractional_latency (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSweep) s = al_sweep_new_from_spec (SPEC, &error);
  g_assert_no_error (error);
  g_autofree double *rec = g_new (double, s->n_total);
  const double delays[] = { 0.0, 3.9, 100.25, 100.5, 257.73, 1000.1, 2047.999 };
  const AlDeconvMethod methods[] = { AL_DECONV_REGULARISED, AL_DECONV_NOVAK };
  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      double worst = 0.0;
      for (guint i = 0; i < G_N_ELEMENTS (delays); i++)
        {
          al_sweep_render (s, delays[i], rec);
          g_autoptr (AlRawIr) raw = deconvolve (s, methods[m], rec);
          double est = al_latency_estimate (raw);
          worst = fmax (worst, fabs (est - delays[i]));
        }
      g_test_message ("%s: worst latency error %.2e samples", al_deconv_method_name (methods[m]), worst);
      g_assert_cmpfloat (worst, <, 0.01);
    }
}

/* The latency must not move over a run ("constant to the sample"). */
static void
test_latency_track (void)
{
  AlLatencyTrack t;
  al_latency_track_init (&t, 0.0);
  g_assert_cmpfloat (t.tolerance, ==, 0.5);
  g_assert_true (al_latency_track_add (&t, 256.02));
  g_assert_true (al_latency_track_add (&t, 255.98));
  g_assert_true (al_latency_track_add (&t, 256.4));
  g_assert_false (al_latency_track_add (&t, 257.0));
  g_assert_false (al_latency_track_add (&t, 512.0));
  g_assert_true (al_latency_track_add (&t, 256.0));
  g_assert_cmpint (t.count, ==, 6);
  g_assert_cmpfloat (t.first, ==, 256.02);
  g_assert_cmpfloat (t.min, ==, 255.98);
  g_assert_cmpfloat (t.max, ==, 512.0);
  g_assert_cmpfloat (t.last, ==, 256.0);
}

/* Shift compensation moves the loopback's peak to lag 0; a fractional
 * shift is band-limited (the peak lands within 0.01 sample). */
static void
test_shift (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSweep) s = al_sweep_new_from_spec (SPEC, &error);
  g_autofree double *rec = g_new (double, s->n_total);
  al_sweep_render (s, 321.37, rec);
  g_autoptr (AlRawIr) raw = deconvolve (s, AL_DECONV_REGULARISED, rec);
  double lat = al_latency_estimate (raw);
  g_autoptr (AlRawIr) moved = al_raw_ir_shift (raw, lat);
  g_assert_cmpfloat (fabs (al_latency_estimate (moved)), <, 0.01);
  g_autoptr (AlRawIr) whole = al_raw_ir_shift (raw, 321.0);
  g_assert_cmpfloat (fabs (al_latency_estimate (whole) - 0.37), <, 0.01);
  g_assert_cmpfloat (whole->h[whole->zero + 5], ==, raw->h[raw->zero + 326]);
  /* Band-limited value at a fractional lag: the peak height. */
  g_assert_cmpfloat (fabs (al_raw_ir_value_at (raw, lat) - al_raw_ir_value_at (moved, 0.0)), <, 1e-6);
}

/* Division by the loopback spectrum removes the interface (latency and a
 * response) and leaves the acoustic path: a mic = DAC/ADC chain * path,
 * reference = chain; the quotient is the path to −80 dB in band. */
static void
test_reference_division (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSweep) s = al_sweep_new_from_spec (SPEC, &error);
  int n = s->n_total;
  const double latency = 211.6;
  /* chain: a small ripple; path: three taps after 40 samples of flight */
  const double chain[3] = { 1.0, -0.2, 0.05 };
  const double path[3] = { 0.5, 0.3, -0.2 };
  g_autofree double *x = g_new (double, n);
  g_autofree double *ref = g_new0 (double, n);
  g_autofree double *mic = g_new0 (double, n);
  al_sweep_render (s, latency, x);
  for (int i = 0; i < n; i++)
    for (int a = 0; a < 3; a++)
      {
        if (i - a >= 0)
          ref[i] += chain[a] * x[i - a];
        for (int b = 0; b < 3; b++)
          if (i - a - b - 40 >= 0)
            mic[i] += chain[a] * path[b] * x[i - a - b - 40];
      }
  g_autoptr (AlRawIr) rref = deconvolve (s, AL_DECONV_REGULARISED, ref);
  g_autoptr (AlRawIr) rmic = deconvolve (s, AL_DECONV_REGULARISED, mic);
  g_autoptr (AlRawIr) q = al_raw_ir_divide (rmic, rref, s->params.f1, s->params.f2, &error);
  g_assert_no_error (error);

  /* Compare spectra over [2 f1, f2/2] with the path's. */
  int len = q->len;
  AlFft *fft = al_fft_new (len);
  g_autofree double *buf = g_new (double, len);
  g_autofree double complex *Q = g_new (double complex, len / 2 + 1);
  for (int i = 0; i < len; i++)
    buf[i] = q->h[(i + q->zero) % len];
  al_fft_forward (fft, buf, Q);
  al_fft_free (fft);
  double worst = 0.0;
  for (int k = (int) ceil (40.0 * len / 48000); k <= (int) (11000.0 * len / 48000); k++)
    {
      double complex P = 0.0;
      for (int b = 0; b < 3; b++)
        P += path[b] * cexp (-2.0 * I * G_PI * fmod ((double) k * (40 + b), len) / len);
      worst = fmax (worst, cabs (Q[k] - P));
    }
  g_test_message ("reference division: in-band error %.1f dB", 20 * log10 (worst));
  g_assert_cmpfloat (worst, <, 1e-4);
  /* The latency is gone: the path starts at lag 40. */
  double v;
  int best = 0;
  for (int i = 0; i < len; i++)
    if (fabs (q->h[i]) > fabs (q->h[best]))
      best = i;
  v = q->h[best];
  g_assert_cmpint (best - q->zero, ==, 40);
  g_assert_cmpfloat (v, >, 0.0);

  /* Mismatched inputs are refused. */
  g_autoptr (AlSweep) other = al_sweep_new_from_spec ("f1=20,f2=22000,T=1,pre=0.2,post=0.2", &error);
  g_autofree double *y = g_new0 (double, other->n_total);
  g_autoptr (AlRawIr) r2 = deconvolve (other, AL_DECONV_REGULARISED, y);
  g_assert_null (al_raw_ir_divide (rmic, r2, 20, 22000, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_MISMATCH);
}

/* A capture clock off by δ stretches the recording by (1 + δ); the
 * loopback's group delay then grows by δ·fs·L per neper of frequency.
 * Estimated within 0.05 ppm, and resampling by 1/(1 + δ̂) removes it. */
static void
test_drift (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSweep) s = al_sweep_new_from_spec ("f1=20,f2=22000,T=2,pre=0.1,post=0.2", &error);
  g_assert_no_error (error);
  int n = s->n_total;
  g_autofree double *x = g_new (double, n);
  g_autofree double *y = g_new (double, n);
  g_autofree double *z = g_new (double, n);
  al_sweep_render (s, 150.0, x);

  /* No drift: exact identity through the resampler. */
  al_time_scale (x, n, 1.0, y, n);
  g_assert_cmpmem (x, sizeof (double) * n, y, sizeof (double) * n);
  g_autoptr (AlRawIr) r0 = deconvolve (s, AL_DECONV_REGULARISED, y);
  double d0 = al_drift_estimate_ppm (r0, s);
  g_test_message ("no drift: %.3f ppm", d0);
  g_assert_cmpfloat (fabs (d0), <, 0.1);

  const double ppm[] = { 20.0, -5.0, 2.5 };
  for (guint i = 0; i < G_N_ELEMENTS (ppm); i++)
    {
      al_time_scale (x, n, 1.0 + 1e-6 * ppm[i], y, n);
      g_autoptr (AlRawIr) r = deconvolve (s, AL_DECONV_REGULARISED, y);
      double est = al_drift_estimate_ppm (r, s);
      /* Correct with the estimate and measure again. */
      al_time_scale (y, n, 1.0 / (1.0 + 1e-6 * est), z, n);
      g_autoptr (AlRawIr) rc = deconvolve (s, AL_DECONV_REGULARISED, z);
      double after = al_drift_estimate_ppm (rc, s);
      g_test_message ("drift %+.1f ppm: estimated %+.3f ppm, %+.3f ppm after correction", ppm[i], est, after);
      g_assert_cmpfloat (fabs (est - ppm[i]), <, 0.05);
      g_assert_cmpfloat (fabs (after), <, 0.05);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/measure/latency/peak-position", test_peak_position);
  g_test_add_func ("/measure/latency/fractional", test_fractional_latency);
  g_test_add_func ("/measure/latency/track", test_latency_track);
  g_test_add_func ("/measure/latency/shift", test_shift);
  g_test_add_func ("/measure/latency/reference-division", test_reference_division);
  g_test_add_func ("/measure/latency/drift", test_drift);
  return g_test_run ();
}
