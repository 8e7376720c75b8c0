/* test-sweep.c — synchronized and Farina sweeps: f1·L integer, start at a
 * zero crossing, instantaneous frequency f1·e^{t/L} (from zero crossings),
 * fades, level, silences, exact delayed rendering, Farina's inverse, and
 * the text form of the parameters with its error messages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-measure.h"

#include <math.h>
#include <string.h>

/* Zero crossings of the sampled sweep by linear interpolation (accurate to
 * ~(2πf/fs)³/6 of a sample: near a zero a sine is almost straight). */
static int
zero_crossings (const AlSweep *s, double t_from, double t_to, double *times, int max)
{
  const double *x = s->signal + s->n_pre;
  double fs = s->params.fs;
  int n = 0;
  for (int i = (int) ceil (t_from * fs); i + 1 < s->n_sweep && (i + 1) / fs <= t_to && n < max; i++)
    if ((x[i] < 0) != (x[i + 1] < 0) && x[i] != x[i + 1])
      times[n++] = (i + x[i] / (x[i] - x[i + 1])) / fs;
  return n;
}

static void
test_sync_parameters (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSweep) s = al_sweep_new_from_spec ("f1=20,f2=22000,T=1", &error);
  g_assert_no_error (error);

  /* L = round(f1·T̂ / ln(f2/f1)) / f1 = round(2.856) / 20 = 0.15 s */
  g_assert_cmpfloat_with_epsilon (s->L, 3.0 / 20.0, 1e-15);
  double f1L = s->params.f1 * s->L;
  g_assert_cmpfloat (fabs (f1L - rint (f1L)), <, 1e-12);
  /* Ends at the last zero crossing before L·ln(f2/f1): within half a period of f2. */
  double t_full = s->L * log (s->params.f2 / s->params.f1);
  g_assert_cmpfloat (s->T, <=, t_full);
  g_assert_cmpfloat (t_full - s->T, <, 0.5 / s->params.f2 + 1e-12);
  g_assert_cmpint (s->n_sweep, ==, (int) floor (s->T * 48000) + 1);
  g_assert_cmpint (s->n_pre, ==, 14400);
  g_assert_cmpint (s->n_post, ==, 24000);
  g_assert_cmpint (s->n_total, ==, s->n_pre + s->n_sweep + s->n_post);
  /* Silence around, zero at the start (synchronized phase 2π·f1L). */
  for (int i = 0; i < s->n_pre; i++)
    g_assert_cmpfloat (s->signal[i], ==, 0.0);
  for (int i = s->n_pre + s->n_sweep; i < s->n_total; i++)
    g_assert_cmpfloat (s->signal[i], ==, 0.0);
  g_assert_cmpfloat (s->signal[s->n_pre], ==, 0.0);
  g_assert_cmpfloat (fabs (s->signal[s->n_pre + s->n_sweep - 1]), <, 1e-3 * s->amplitude);

  /* Level: −6 dBFS peak, reached between the fades. */
  double peak = 0.0;
  for (int i = 0; i < s->n_total; i++)
    peak = fmax (peak, fabs (s->signal[i]));
  g_assert_cmpfloat_with_epsilon (peak, pow (10.0, -6.0 / 20.0), 1e-4);
  /* Harmonic k sits L·fs·ln k samples before the linear IR. */
  g_assert_cmpfloat_with_epsilon (al_sweep_harmonic_lag (s, 2), -0.15 * 48000 * G_LN2, 1e-9);
}

/* Every zero crossing is at phase m·π with m an integer (the phase is
 * 2π f1 L e^{t/L} with f1·L whole), and the frequency between crossings is
 * f1·e^{t/L}. */
static void
test_sync_instantaneous_frequency (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSweep) s = al_sweep_new_from_spec ("f1=20,f2=22000,T=1", &error);
  g_assert_no_error (error);
  double L = s->L, f1 = s->params.f1;
  /* After the fade-in, up to 2 kHz (where linear interpolation is exact enough). */
  double t0 = s->fade_in_s, t1 = L * log (2000.0 / f1);
  double times[4000];
  int n = zero_crossings (s, t0, t1, times, 4000);
  g_assert_cmpint (n, >, 200);

  double worst_phase = 0.0, worst_freq = 0.0;
  for (int i = 0; i < n; i++)
    {
      double m = 2.0 * f1 * L * exp (times[i] / L); /* phase / π */
      worst_phase = fmax (worst_phase, G_PI * fabs (m - rint (m)));
      if (i + 1 < n)
        {
          double f_est = 0.5 / (times[i + 1] - times[i]);
          /* The mean frequency over [t_a, t_b] is f1 L (e^{t_b/L} − e^{t_a/L}) / (t_b − t_a),
           * equal to f1 e^{t/L} at the logarithmic mean time. */
          double tm = L * log (L * (exp (times[i + 1] / L) - exp (times[i] / L)) / (times[i + 1] - times[i]));
          worst_freq = fmax (worst_freq, fabs (f_est / al_sweep_frequency_at (s, tm) - 1.0));
        }
    }
  g_test_message ("%d crossings up to 2 kHz: phase error %.2e rad, frequency error %.2e", n, worst_phase,
                  worst_freq);
  g_assert_cmpfloat (worst_phase, <, 0.01);
  g_assert_cmpfloat (worst_freq, <, 1e-3);
  g_assert_cmpfloat_with_epsilon (al_sweep_frequency_at (s, 0.0), 20.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (al_sweep_frequency_at (s, L * log (1100.0)), 22000.0, 1e-8);
}

static void
test_fades (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSweep) s = al_sweep_new_from_spec ("f1=20,f2=22000,T=1,fade_in=0.5,fade_out=0.125", &error);
  g_assert_no_error (error);
  /* ½ octave of sweep time: f reaches f1·√2 at the end of the fade. */
  g_assert_cmpfloat_with_epsilon (al_sweep_frequency_at (s, s->fade_in_s), 20.0 * G_SQRT2, 1e-9);
  g_assert_cmpfloat_with_epsilon (s->fade_out_s, s->L * G_LN2 / 8.0, 1e-15);
  /* Envelope bounds: |x(t)| <= A·sin²(π t / (2 T_in)) inside the fade-in. */
  double A = s->amplitude;
  for (int i = 0; i < s->n_sweep; i++)
    {
      double t = i / s->params.fs, env = 1.0;
      if (t < s->fade_in_s)
        env = pow (sin (0.5 * G_PI * t / s->fade_in_s), 2.0);
      if (s->T - t < s->fade_out_s)
        env *= pow (sin (0.5 * G_PI * (s->T - t) / s->fade_out_s), 2.0);
      g_assert_cmpfloat (fabs (s->signal[s->n_pre + i]), <=, A * env + 1e-15);
    }
}

static void
test_render_delayed (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSweep) s = al_sweep_new_from_spec ("f1=50,f2=20000,T=0.5,pre=0.05,post=0.1", &error);
  g_assert_no_error (error);
  g_autofree double *y = g_new (double, s->n_total);
  al_sweep_render (s, 0.0, y);
  g_assert_cmpmem (y, sizeof (double) * s->n_total, s->signal, sizeof (double) * s->n_total);
  al_sweep_render (s, 7.0, y);
  for (int i = 7; i < s->n_total; i++)
    g_assert_cmpfloat (y[i], ==, s->signal[i - 7]);
  /* Half a sample: the continuous-time sweep between the samples. */
  al_sweep_render (s, 0.5, y);
  double t = 1000.0 / s->params.fs;
  g_assert_cmpfloat (y[s->n_pre + 1000], ==, al_sweep_eval (s, t - 0.5 / s->params.fs));
  g_autofree float *f = al_sweep_signal_float (s);
  g_assert_cmpfloat (f[s->n_pre + 1234], ==, (float) s->signal[s->n_pre + 1234]);
}

static void
test_farina (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSweep) s = al_sweep_new_from_spec ("type=farina,f1=20,f2=20000,T=1,level=-3", &error);
  g_assert_no_error (error);
  g_assert_cmpint (s->params.kind, ==, AL_SWEEP_FARINA);
  /* L = T / ln(f2/f1), no rounding */
  g_assert_cmpfloat_with_epsilon (s->L, 1.0 / log (1000.0), 1e-15);
  g_assert_cmpfloat (1.0 - s->T, <, 0.5 / 20000.0 + 1e-12);
  g_assert_cmpfloat (1.0 - s->T, >=, 0.0);

  /* Zero crossings at 2 f1 L (e^{t/L} − 1) = m */
  double times[4000];
  int n = zero_crossings (s, s->fade_in_s, s->L * log (2000.0 / 20.0), times, 4000);
  g_assert_cmpint (n, >, 100);
  double worst = 0.0;
  for (int i = 0; i < n; i++)
    {
      double m = 2.0 * 20.0 * s->L * expm1 (times[i] / s->L);
      worst = fmax (worst, G_PI * fabs (m - rint (m)));
    }
  g_assert_cmpfloat (worst, <, 0.01);

  /* The inverse filter: reversed sweep with a falling envelope; sweep *
   * inverse is a band-limited impulse at n_sweep − 1 with in-band gain 1. */
  g_autofree double *inv = al_sweep_farina_inverse (s);
  int ns = s->n_sweep;
  const double *x = s->signal + s->n_pre;
  /* The envelope e^{−t/L} falls by 20·log10(f2/f1) = 60 dB over the filter:
   * compare the maxima of its first and last tenth (after the fades). */
  double head = 0, tail = 0;
  for (int i = ns / 20; i < ns / 10; i++)
    head = fmax (head, fabs (inv[i]));
  for (int i = 18 * (ns / 20); i < 19 * (ns / 20); i++)
    tail = fmax (tail, fabs (inv[i]));
  double expect_db = 20.0 * log10 (exp ((18 * (ns / 20) - ns / 20) / (s->params.fs * s->L)));
  g_test_message ("inverse envelope %.2f dB, expected %.2f dB", 20 * log10 (head / tail), expect_db);
  g_assert_cmpfloat (fabs (20 * log10 (head / tail) - expect_db), <, 1.0);
  double peak = 0.0;
  int at = -1;
  /* Direct convolution around the expected peak only. */
  for (int k = ns - 4; k <= ns + 2; k++)
    {
      double acc = 0.0;
      for (int j = MAX (0, k - ns + 1); j <= MIN (k, ns - 1); j++)
        acc += x[j] * inv[k - j];
      if (fabs (acc) > peak)
        {
          peak = fabs (acc);
          at = k;
        }
    }
  g_assert_cmpint (at, ==, ns - 1);
  /* The impulse's height is its mean gain over 0 … fs/2 (≈ (f2 − f1)/(fs/2), less at the fades). */
  g_assert_cmpfloat (peak, >, 0.7);
  g_assert_cmpfloat (peak, <, 0.9);
}

static void
test_spec_round_trip (void)
{
  g_autoptr (GError) error = NULL;
  AlSweepParams p, q;
  g_assert_true (al_sweep_params_parse (" f1 = 15 , f2=21000, duration=6,fs=44100,level=-12.5,fade_in=1,"
                                        "fade_out=0.0416,pre=0.25,post=0.75,type=sync", &p, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (p.f1, ==, 15.0);
  g_assert_cmpfloat (p.f2, ==, 21000.0);
  g_assert_cmpfloat (p.duration, ==, 6.0);
  g_assert_cmpfloat (p.fs, ==, 44100.0);
  g_assert_cmpfloat (p.level_dbfs, ==, -12.5);
  g_autofree char *text = al_sweep_params_to_string (&p);
  g_assert_true (al_sweep_params_parse (text, &q, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (&p, sizeof p, &q, sizeof q);
  g_assert_nonnull (strstr (text, "type=sync,f1=15,f2=21000,T=6,fs=44100"));

  /* Defaults fill what is not given; f2 follows a low fs. */
  g_assert_true (al_sweep_params_parse ("fs=32000", &p, &error));
  g_assert_cmpfloat (p.f2, ==, 0.45 * 32000);
  g_assert_cmpfloat (p.duration, ==, 3.0);
}

static void
expect_spec_error (const char *spec, const char *needle)
{
  g_autoptr (GError) error = NULL;
  AlSweepParams p;
  al_sweep_params_init (&p);
  AlSweepParams before = p;
  g_assert_false (al_sweep_params_parse (spec, &p, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_test_message ("%s -> %s", spec, error->message);
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, needle);
  /* A failed parse leaves the output alone. */
  g_assert_cmpmem (&p, sizeof p, &before, sizeof before);
}

static void
test_spec_errors (void)
{
  expect_spec_error ("", "empty");
  expect_spec_error ("   ", "empty");
  expect_spec_error ("f1=abc", "f1 = “abc” is not a finite number");
  expect_spec_error ("f1=20,f2=", "f2 has no value");
  expect_spec_error ("f1=20Hz", "not a finite number");
  expect_spec_error ("f1=nan", "not a finite number");
  expect_spec_error ("f1=20,,T=3", "empty item 2");
  expect_spec_error ("f1", "“f1” is not KEY=VALUE");
  expect_spec_error ("f3=20", "unknown key “f3”");
  expect_spec_error ("f1=20,f1=30", "f1 is given twice");
  expect_spec_error ("f1=-5", "f1 = -5 Hz must be positive");
  expect_spec_error ("f1=200,f2=100", "f2 = 100 Hz must be above f1 = 200 Hz");
  expect_spec_error ("f2=30000", "below fs/2 = 24000 Hz");
  expect_spec_error ("T=0", "T = 0 s is outside");
  expect_spec_error ("T=0.01", "too short for a synchronized sweep");
  expect_spec_error ("level=3", "level = 3 dBFS");
  expect_spec_error ("type=pink", "type “pink” is unknown");
  expect_spec_error ("fade_in=12", "do not fit");
  expect_spec_error ("pre=-1", "pre = -1 s");
  /* The message quotes the spec. */
  expect_spec_error ("f1=20,f2=22000,T=x", "sweep “f1=20,f2=22000,T=x”: T = “x”");

  /* Parameters built in code go through the same checks. */
  g_autoptr (GError) error = NULL;
  AlSweepParams p;
  al_sweep_params_init (&p);
  p.fs = NAN;
  g_assert_null (al_sweep_new (&p, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "fs"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/measure/sweep/sync-parameters", test_sync_parameters);
  g_test_add_func ("/measure/sweep/sync-instantaneous-frequency", test_sync_instantaneous_frequency);
  g_test_add_func ("/measure/sweep/fades", test_fades);
  g_test_add_func ("/measure/sweep/render-delayed", test_render_delayed);
  g_test_add_func ("/measure/sweep/farina", test_farina);
  g_test_add_func ("/measure/sweep/spec-round-trip", test_spec_round_trip);
  g_test_add_func ("/measure/sweep/spec-errors", test_spec_errors);
  return g_test_run ();
}
