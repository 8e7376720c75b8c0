/* test-harmonics.c — harmonic IRs of a memoryless polynomial: THD per
 * order and in total against the analytic values, the synchronized phase of
 * the harmonic responses, THD referred to the harmonic frequency through a
 * linear path, and the IR windows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-measure.h"
#include "dsp/al-dsp.h"

#include <complex.h>
#include <math.h>
#include <string.h>

#define SPEC "f1=20,f2=22000,T=1,level=-6"
#define DELAY 30

/* The sweep through y = x + a2 x² + a3 x³ (sample by sample), delayed,
 * then optionally through a FIR path; deconvolved. */
static AlRawIr *
measure_poly (const AlSweep *s, double a2, double a3, const double *path, int npath)
{
  g_autoptr (GError) error = NULL;
  int n = s->n_total;
  g_autofree double *x = g_new (double, n);
  g_autofree double *y = g_new0 (double, n);
  al_sweep_render (s, DELAY, x);
  for (int i = 0; i < n; i++)
    x[i] += x[i] * x[i] * (a2 + a3 * x[i]);
  if (path == NULL)
    memcpy (y, x, sizeof (double) * n);
  else
    for (int i = 0; i < n; i++)
      for (int j = 0; j < npath && j <= i; j++)
        y[i] += path[j] * x[i - j];
  g_autoptr (AlDeconvolver) d = al_deconvolver_new (s, NULL, 0, &error);
  g_assert_no_error (error);
  return al_deconvolver_run_double (d, y);
}

static double
db (double ratio)
{
  return 20.0 * log10 (ratio);
}

/* 1 % of 2nd, of 3rd, and of both at the sweep's level: measured THD per
 * order and in total within 1 dB of the analytic c_k/c1 (it is within a
 * few hundredths), orders 4 and 5 below 0.1 %. */
static void
test_polynomial_thd (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSweep) s = al_sweep_new_from_spec (SPEC, &error);
  g_assert_no_error (error);
  double A = s->amplitude;
  const double shares[] = { 0.0, 1.0, 0.5 };

  for (guint c = 0; c < G_N_ELEMENTS (shares); c++)
    {
      AlPolyNonlinearity nl;
      al_poly_nonlinearity_from_thd (&nl, 0.01, shares[c], s->params.level_dbfs);
      nl.g = 1.0; /* the plain polynomial */
      double h2, h3, thd;
      al_poly_nonlinearity_analyse (&nl, A, &h2, &h3, &thd, NULL);
      g_assert_cmpfloat (fabs (thd - 0.01), <, 1e-12);

      g_autoptr (AlRawIr) raw = measure_poly (s, nl.a2, nl.a3, NULL, 0);
      for (int mode = 0; mode < 2; mode++)
        {
          AlHarmonicParams hp;
          al_harmonic_params_init (&hp, s);
          hp.mode = mode;
          g_autoptr (AlHarmonics) harm = al_harmonics_separate (raw, s, DELAY, &hp, &error);
          g_assert_no_error (error);
          g_test_message ("a2 = %.4f, a3 = %.4f (%s): THD %.4f %% (%.3f dB off), H2 %.4f %% (want %.4f), "
                          "H3 %.4f %% (want %.4f), H4 %.1f dB, H5 %.1f dB; band %.0f–%.0f Hz",
                          nl.a2, nl.a3, mode ? "at harmonic" : "at fundamental", harm->total_percent,
                          harm->total_db - db (thd), harm->thd_percent[2], 100 * h2, harm->thd_percent[3],
                          100 * h3, harm->thd_db[4], harm->thd_db[5], harm->f_lo, harm->f_hi);
          g_assert_cmpfloat (fabs (harm->total_db - db (thd)), <, 1.0);
          g_assert_cmpfloat (fabs (harm->total_percent - 1.0), <, 0.05);
          if (h2 > 0)
            g_assert_cmpfloat (fabs (harm->thd_db[2] - db (h2)), <, 1.0);
          else
            g_assert_cmpfloat (harm->thd_db[2], <, -60.0);
          if (h3 > 0)
            g_assert_cmpfloat (fabs (harm->thd_db[3] - db (h3)), <, 1.0);
          else
            g_assert_cmpfloat (harm->thd_db[3], <, -60.0);
          g_assert_cmpfloat (harm->thd_db[4], <, -60.0);
          g_assert_cmpfloat (harm->thd_db[5], <, -60.0);
          g_assert_cmpfloat (fabs (harm->total_percent - 100 * pow (10, harm->total_db / 20)), <, 1e-9);
        }
    }
}

/* Novak's point: with f1·L whole, harmonic responses have the right phase.
 * x² gives −(A²/2)·cos 2θ, i.e. H2 = (c2/A)·e^{−jπ/2}; x³ gives
 * −(A³/4)·sin 3θ, H3 = −c3/A: a negative delta at the nominal lag. */
static void
test_synchronized_phase (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSweep) s = al_sweep_new_from_spec (SPEC, &error);
  double A = s->amplitude;
  const double a2 = 0.04, a3 = 0.16;
  g_autoptr (AlRawIr) raw = measure_poly (s, a2, a3, NULL, 0);
  AlHarmonicParams hp;
  al_harmonic_params_init (&hp, s);
  /* H2's −90° makes h2 a Hilbert kernel, 2/(πn) on both sides: give the
   * window as much before the nominal lag as after. */
  hp.window.start = -512;
  g_autoptr (AlHarmonics) harm = al_harmonics_separate (raw, s, DELAY, &hp, &error);
  g_assert_no_error (error);
  int len = harm->len, nfft = al_fft_good_size (4 * len), centre = -hp.window.start;

  /* Order 3: a band-limited negative delta exactly at its nominal lag. */
  const double *h3 = harm->h + 2 * len;
  double v;
  double pos = al_peak_position (h3, len, &v);
  g_test_message ("H3 peak at %.4f (nominal %d), value %.5f", pos, centre, v);
  g_assert_cmpfloat (fabs (pos - centre), <, 0.1);
  g_assert_cmpfloat (v, <, 0.0);

  /* Phases over the band, relative to each order's nominal lag. */
  AlFft *fft = al_fft_new (nfft);
  g_autofree double *buf = g_new0 (double, nfft);
  g_autofree double complex *H = g_new (double complex, nfft / 2 + 1);
  double expect_mag[4] = { 0, 0, 0.5 * a2 * A, 0.25 * a3 * A * A };
  double expect_phase[4] = { 0, 0, -0.5 * G_PI, G_PI };
  for (int k = 2; k <= 3; k++)
    {
      memcpy (buf, harm->h + (k - 1) * len, sizeof (double) * len);
      al_fft_forward (fft, buf, H);
      double worst_phase = 0.0, worst_mag = 0.0;
      for (double f = 2 * harm->f_lo * k; f <= harm->f_hi * k; f *= 1.1)
        {
          int bin = (int) rint (f * nfft / s->params.fs);
          double complex z = H[bin] * cexp (2.0 * I * G_PI * (double) bin * centre / nfft);
          worst_phase = fmax (worst_phase, fabs (remainder (carg (z) - expect_phase[k], 2 * G_PI)));
          worst_mag = fmax (worst_mag, fabs (db (cabs (z) / expect_mag[k])));
        }
      g_test_message ("H%d: phase within %.4f rad of %.3f, magnitude within %.3f dB", k, worst_phase,
                      expect_phase[k], worst_mag);
      g_assert_cmpfloat (worst_phase, <, 0.05);
      g_assert_cmpfloat (worst_mag, <, 0.2);
    }
  al_fft_free (fft);
}

/* A linear path after the nonlinearity (a speaker → mic ATF) colours H_k at
 * k·f0 and H_1 at f0 differently; THD referred to the harmonic frequency
 * cancels the path and still reads the injected 1 %. */
static void
test_path_after_nonlinearity (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSweep) s = al_sweep_new_from_spec (SPEC, &error);
  /* A first-difference-like high-pass: +6 dB per octave below a few kHz. */
  const double path[2] = { 1.0, -0.9 };
  AlPolyNonlinearity nl;
  al_poly_nonlinearity_from_thd (&nl, 0.01, 0.5, s->params.level_dbfs);
  nl.g = 1.0;
  g_autoptr (AlRawIr) raw = measure_poly (s, nl.a2, nl.a3, path, 2);
  double result[2];
  for (int mode = 0; mode < 2; mode++)
    {
      AlHarmonicParams hp;
      al_harmonic_params_init (&hp, s);
      hp.mode = mode;
      g_autoptr (AlHarmonics) harm = al_harmonics_separate (raw, s, DELAY, &hp, &error);
      g_assert_no_error (error);
      result[mode] = harm->total_db - db (0.01);
    }
  g_test_message ("through a high-pass path: %.2f dB off at the fundamental, %.3f dB at the harmonic",
                  result[AL_THD_AT_FUNDAMENTAL], result[AL_THD_AT_HARMONIC]);
  g_assert_cmpfloat (fabs (result[AL_THD_AT_HARMONIC]), <, 0.2);
  g_assert_cmpfloat (fabs (result[AL_THD_AT_FUNDAMENTAL]), >, 1.0);
}

static void
test_windows (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSweep) s = al_sweep_new_from_spec (SPEC, &error);
  g_autoptr (AlRawIr) raw = measure_poly (s, 0.02, 0.0, NULL, 0);

  /* Gains: half-Hann fades inside the length. */
  AlIrWindow w = { AL_IR_WINDOW_HANN, -8, 64, 8, 16 };
  double g[64];
  al_ir_window_gains (&w, g);
  g_assert_cmpfloat (g[0], ==, 0.0);
  g_assert_cmpfloat (g[63], ==, 0.0);
  g_assert_cmpfloat (g[8], ==, 1.0);
  g_assert_cmpfloat (g[47], ==, 1.0);
  g_assert_cmpfloat (fabs (g[4] - 0.5), <, 1e-12);
  /* Extraction: integer lag copies; a fractional lag interpolates band-limited. */
  double out[64];
  AlIrWindow rect = { AL_IR_WINDOW_RECTANGULAR, -8, 64, 0, 0 };
  g_assert_true (al_ir_window_extract (raw, DELAY, &rect, out, &error));
  g_assert_cmpfloat (out[8], ==, raw->h[raw->zero + DELAY]);
  /* (to −100 dB: the segment's ends cut the band edge's slow ringing) */
  g_assert_true (al_ir_window_extract (raw, DELAY + 0.3, &rect, out, &error));
  g_assert_cmpfloat (fabs (out[8] - al_raw_ir_value_at (raw, DELAY + 0.3)), <, 1e-5);
  g_assert_cmpfloat (fabs (out[20] - al_raw_ir_value_at (raw, DELAY + 12.3)), <, 1e-5);
  g_assert_true (al_ir_window_extract (raw, DELAY, &w, out, &error));
  g_assert_cmpfloat (out[0], ==, 0.0);
  /* Outside the deconvolved lags. */
  g_assert_false (al_ir_window_extract (raw, raw->len, &rect, out, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "outside the deconvolved lags"));
  g_clear_error (&error);
  AlIrWindow bad = { AL_IR_WINDOW_HANN, 0, 16, 10, 10 };
  g_assert_false (al_ir_window_check (&bad, &error));
  g_assert_nonnull (strstr (error->message, "do not fit"));
  g_clear_error (&error);
  AlIrWindowType type;
  g_assert_true (al_ir_window_type_parse ("hann", &type, NULL));
  g_assert_cmpstr (al_ir_window_type_name (type), ==, "hann");
  g_assert_false (al_ir_window_type_parse ("kaiser", &type, &error));
  g_clear_error (&error);

  /* The harmonic result records its window and the exact lags. */
  AlHarmonicParams hp;
  al_harmonic_params_init (&hp, s);
  g_assert_cmpint (hp.window.length, ==, 1024); /* orders 5 and 6 are 1313 samples apart at L = 0.15 s */
  g_autoptr (AlHarmonics) harm = al_harmonics_separate (raw, s, DELAY, &hp, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (&harm->window, sizeof harm->window, &hp.window, sizeof hp.window);
  for (int k = 1; k <= 5; k++)
    g_assert_cmpfloat (fabs (harm->lag[k] - (DELAY - 0.15 * 48000 * log (k))), <, 1e-9);

  /* Windows longer than the gap between orders are refused, saying why. */
  hp.window.length = 1400;
  g_assert_null (al_harmonics_separate (raw, s, DELAY, &hp, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "overlap"));
  g_clear_error (&error);
  hp.window.length = 512;
  hp.kmax = 1;
  g_assert_null (al_harmonics_separate (raw, s, DELAY, &hp, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/measure/harmonics/polynomial-thd", test_polynomial_thd);
  g_test_add_func ("/measure/harmonics/synchronized-phase", test_synchronized_phase);
  g_test_add_func ("/measure/harmonics/path-after-nonlinearity", test_path_after_nonlinearity);
  g_test_add_func ("/measure/harmonics/windows", test_windows);
  return g_test_run ();
}
