/* test-array-simulate.c — impulse responses of the analytic models: exact
 * free-field delays, arrival times, causality of the rigid sphere, agreement
 * with the frequency response, bookkeeping, errors and cancellation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-array-private.h"
#include "dsp/al-dsp.h"

#include <math.h>
#include <string.h>

/* A grid built here (golden-angle spiral, or given directions), so this test
 * needs only the model and the FFT. */
static AlGrid *
grid_new (const double *dirs, int n)
{
  AlGrid *grid = g_new0 (AlGrid, 1);
  grid->n = n;
  grid->dirs = g_new (double, 2 * n);
  grid->weights = g_new (double, n);
  grid->exact_degree = -1;
  grid->name = g_strdup ("test grid");
  for (int i = 0; i < n; i++)
    {
      if (dirs != NULL)
        {
          grid->dirs[2 * i] = dirs[2 * i];
          grid->dirs[2 * i + 1] = dirs[2 * i + 1];
        }
      else
        {
          grid->dirs[2 * i] = remainder (i * G_PI * (3 - sqrt (5.0)), 2 * G_PI);
          grid->dirs[2 * i + 1] = asin (1 - (2.0 * i + 1) / n);
        }
      grid->weights[i] = 1.0 / n;
    }
  return grid;
}

static void
grid_free (AlGrid *grid)
{
  g_free (grid->dirs);
  g_free (grid->weights);
  g_free (grid->name);
  g_free (grid);
}

static double
dot (const double *a, const double *b)
{
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/* A mic whose advance is a whole number of samples gets an exact unit impulse. */
static void
test_free_field_integer_delay (void)
{
  const double fs = 48000, c = 343.0;
  double mics[] = { 0, 0, G_PI_2, 0, 0, G_PI_2 }; /* front, left, up */
  double radius = 10 * c / fs;                     /* 10 samples */
  g_autoptr (AlArrayModel) model = al_array_model_new (AL_ARRAY_FREE_FIELD, radius, mics, 3);
  double dirs[] = { 0, 0, G_PI_2, 0, G_PI, 0, 0, -G_PI_2 };
  AlGrid *grid = grid_new (dirs, 4);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlAtfSet) set = al_array_model_simulate (model, grid, fs, 256, 40.0, NULL, &error);
  g_assert_no_error (error);
  /* expected arrival per direction and mic, in samples */
  const int arrival[4][3] = { { 30, 40, 40 }, { 40, 30, 40 }, { 50, 40, 40 }, { 40, 40, 50 } };
  for (int d = 0; d < 4; d++)
    for (int m = 0; m < 3; m++)
      {
        const double *ir = set->ir + (d * 3 + m) * 256;
        for (int t = 0; t < 256; t++)
          g_assert_cmpfloat_with_epsilon (ir[t], t == arrival[d][m] ? 1.0 : 0.0, 1e-12);
      }
  grid_free (grid);
}

/* Fractional advances: the band-limited impulse peaks at delay − (p·u)/c·fs
 * rounded to the nearest sample. */
static void
test_free_field_peaks (void)
{
  const double fs = 48000;
  g_autoptr (GError) error = NULL;
  g_autoptr (AlArrayModel) model = al_array_model_preset ("em32", &error);
  g_assert_no_error (error);
  model->kind = AL_ARRAY_FREE_FIELD;
  model->radius = 0.11;
  AlGrid *grid = grid_new (NULL, 40);
  const double delay = 37.3;
  g_autoptr (AlAtfSet) set = al_array_model_simulate (model, grid, fs, 300, delay, NULL, &error);
  g_assert_no_error (error);
  int checked = 0;
  for (int d = 0; d < grid->n; d++)
    for (int m = 0; m < model->nmics; m++)
      {
        double u[3];
        al_array_unit_vector (grid->dirs[2 * d], grid->dirs[2 * d + 1], u);
        double expect = delay - dot (set->mic_pos + 3 * m, u) / model->c * fs;
        if (fabs (expect - floor (expect) - 0.5) < 0.05)
          continue; /* two samples tie for the peak */
        const double *ir = set->ir + ((size_t) d * model->nmics + m) * set->ir_len;
        int peak = 0;
        for (int t = 1; t < set->ir_len; t++)
          if (fabs (ir[t]) > fabs (ir[peak]))
            peak = t;
        g_assert_cmpint (peak, ==, (int) lround (expect));
        /* and the peak value is the sinc at the fractional offset */
        double frac = expect - peak;
        double sinc = frac == 0 ? 1 : sin (G_PI * frac) / (G_PI * frac);
        g_assert_cmpfloat_with_epsilon (ir[peak], sinc, 0.02);
        checked++;
      }
  g_assert_cmpint (checked, >, 1000);
  grid_free (grid);
}

/* Zero-phase raised-cosine low-pass (flat to fs/4, zero at fs/2) applied in
 * place: a sharp arrival at a fractional sample time has sinc side lobes
 * (−19 dB beyond 8 samples for a half-sample offset) in any band-limited
 * rendering, model or measurement; this short filter takes them down so
 * that what is left before an arrival is the model's own doing. */
static void
smooth_lowpass (AlFft *fft, double *x, int len)
{
  int nfft = al_fft_size (fft), nbins = nfft / 2 + 1;
  g_autofree double *buf = g_new0 (double, nfft);
  g_autofree double complex *spec = g_new (double complex, nbins);
  memcpy (buf, x, sizeof (double) * len);
  al_fft_forward (fft, buf, spec);
  for (int k = 0; k < nbins; k++)
    {
      double f = (double) k / nfft; /* cycles per sample */
      if (f > 0.25)
        spec[k] *= 0.5 + 0.5 * cos (G_PI * (f - 0.25) / 0.25);
    }
  al_fft_inverse (fft, spec, buf);
  memcpy (x, buf, sizeof (double) * len);
}

/* Worst (over directions) energy before the nearest mic's direct arrival
 * minus 8 samples, relative to the total, in dB; irs: ndirs x 5 x ir_len. */
static double
worst_early_energy (AlAtfSet *set, const AlArrayModel *model, double delay)
{
  int ir_len = set->ir_len;
  AlFft *fft = al_fft_new (4 * ir_len);
  double worst = 0;
  for (int d = 0; d < set->ndirs; d++)
    {
      double u[3];
      al_array_unit_vector (set->dirs[2 * d], set->dirs[2 * d + 1], u);
      double first = G_MAXDOUBLE;
      for (int m = 0; m < set->nmics; m++)
        first = MIN (first, delay - dot (set->mic_pos + 3 * m, u) / model->c * set->fs);
      double early = 0, total = 0;
      for (int m = 0; m < set->nmics; m++)
        {
          double *ir = set->ir + ((size_t) d * set->nmics + m) * ir_len;
          smooth_lowpass (fft, ir, ir_len);
          for (int t = 0; t < ir_len; t++)
            {
              total += ir[t] * ir[t];
              if (t < first - 8)
                early += ir[t] * ir[t];
            }
        }
      worst = MAX (worst, early / total);
    }
  al_fft_free (fft);
  return 10 * log10 (worst + 1e-300);
}

/* The rigid sphere cannot respond before the wave reaches it: no energy
 * before the direct arrival at the nearest mic (minus 8 samples).  The same
 * series built with the other Hankel function (h^(1), wrong for FFTW's
 * e^{−iωt} kernel) must fail the check, or the check proves nothing. */
static void
test_rigid_causal (void)
{
  const double fs = 48000;
  const int ir_len = 512;
  g_autoptr (AlArrayModel) model = al_array_model_preset ("glasses5", NULL);
  AlGrid *grid = grid_new (NULL, 300);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlAtfSet) set = al_array_model_simulate (model, grid, fs, ir_len, -1, NULL, &error);
  g_assert_no_error (error);
  const double delay = ceil (model->radius / model->c * fs) + 32; /* the documented default */

  double good = worst_early_energy (set, model, delay); /* (low-passes set->ir in place) */
  /* it rings only briefly (creeping waves), so 512 taps hold it */
  double late = 0, total = 0;
  for (size_t i = 0; i < (size_t) set->ndirs * set->nmics; i++)
    for (int t = 0; t < ir_len; t++)
      {
        double e = set->ir[i * ir_len + t] * set->ir[i * ir_len + t];
        total += e;
        if (t > delay + 2 * model->radius / model->c * fs + 100)
          late += e;
      }

  /* the control: h^(1) instead of h^(2), i.e. b_n = (2n+1) iⁿ · conj(the scattering factor) */
  const int nfft = 4 * ir_len, nbins = nfft / 2 + 1;
  g_autoptr (AlAtfSet) wrong = al_atf_set_new (40, set->nmics, ir_len, fs);
  memcpy (wrong->mic_pos, set->mic_pos, sizeof (double) * 3 * set->nmics);
  memcpy (wrong->dirs, set->dirs, sizeof (double) * 2 * 40);
  AlFft *fft = al_fft_new (nfft);
  g_autofree double complex *spec = g_new (double complex, (size_t) nbins * 40 * 5);
  g_autofree double *time = g_new (double, nfft);
  for (int k = 0; k < nbins; k++)
    {
      double x = 2 * G_PI * k / nfft * fs / model->c * model->radius;
      int nmax = al_array_series_order (x);
      double complex b[AL_ARRAY_MAX_TERMS + 1];
      double p[AL_ARRAY_MAX_TERMS + 1];
      al_array_modal_coefs (AL_ARRAY_RIGID_SPHERE, x, nmax, b);
      double complex in = 1;
      for (int n = 0; n <= nmax; n++, in *= I)
        b[n] = (2 * n + 1) * in * conj (b[n] / ((2 * n + 1) * in));
      for (int d = 0; d < 40; d++)
        for (int m = 0; m < 5; m++)
          {
            double u[3], v[3];
            al_array_unit_vector (wrong->dirs[2 * d], wrong->dirs[2 * d + 1], u);
            al_array_unit_vector (model->mic_dirs[2 * m], model->mic_dirs[2 * m + 1], v);
            al_legendre_p (nmax, dot (u, v), p);
            double complex h = 0;
            for (int n = 0; n <= nmax; n++)
              h += b[n] * p[n];
            spec[((size_t) d * 5 + m) * nbins + k] = h * cexp (-2 * I * G_PI * k * delay / nfft);
          }
    }
  for (int i = 0; i < 40 * 5; i++)
    {
      spec[(size_t) i * nbins + nbins - 1] = creal (spec[(size_t) i * nbins + nbins - 1]);
      al_fft_inverse (fft, spec + (size_t) i * nbins, time);
      memcpy (wrong->ir + (size_t) i * ir_len, time, sizeof (double) * ir_len);
    }
  al_fft_free (fft);
  double bad = worst_early_energy (wrong, model, delay);

  g_test_message ("rigid sphere: worst energy before the first arrival − 8 samples: %.1f dB "
                  "(with h^(1): %.1f dB); energy from 100 samples after the last arrival on: %.1f dB",
                  good, bad, 10 * log10 (late / total + 1e-300));
  g_assert_cmpfloat (good, <, -40);
  g_assert_cmpfloat (bad, >, -30);
  g_assert_cmpfloat (10 * log10 (late / total + 1e-300), <, -40);
  grid_free (grid);
}

/* The IRs' spectra match the model's frequency response times the bulk delay,
 * up to the sinc side lobes of fractional arrivals that fall outside the
 * taps (they decay as 1/t, hence the bulk delay of 300 samples here). */
static void
test_simulate_matches_response (void)
{
  const double fs = 48000, delay = 300.5;
  const int ir_len = 1024;
  g_autoptr (AlArrayModel) model = al_array_model_preset ("glasses5", NULL);
  AlGrid *grid = grid_new (NULL, 12);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlAtfSet) set = al_array_model_simulate (model, grid, fs, ir_len, delay, NULL, &error);
  g_assert_no_error (error);

  AlFft *fft = al_fft_new (ir_len);
  g_autofree double complex *spec = g_new (double complex, ir_len / 2 + 1);
  g_autofree double complex *H = g_new (double complex, grid->n * 5);
  double worst = 0;
  for (int k = 1; k <= ir_len / 2; k += 7)
    {
      double f = k * fs / ir_len;
      if (f > 16000)
        break;
      al_array_model_response (model, f, grid->dirs, grid->n, H);
      for (int d = 0; d < grid->n; d++)
        for (int m = 0; m < 5; m++)
          {
            al_fft_forward (fft, set->ir + ((size_t) d * 5 + m) * ir_len, spec);
            double complex expect = H[d * 5 + m] * cexp (-2 * I * G_PI * k * delay / ir_len);
            worst = MAX (worst, cabs (spec[k] - expect));
          }
    }
  al_fft_free (fft);
  g_test_message ("max |FFT(IR) − H·e^{−iωτ}| below 16 kHz: %.3g", worst);
  g_assert_cmpfloat (worst, <, 5e-3);
  grid_free (grid);
}

static void
test_simulate_bookkeeping (void)
{
  g_autoptr (AlArrayModel) model = al_array_model_preset ("glasses5", NULL);
  AlGrid *grid = grid_new (NULL, 20);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlAtfSet) set = al_array_model_simulate (model, grid, 44100, 128, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (al_atf_set_validate (set, "simulated", &error));
  g_assert_cmpint (set->ndirs, ==, 20);
  g_assert_cmpint (set->nmics, ==, 5);
  g_assert_cmpint (set->ir_len, ==, 128);
  g_assert_cmpfloat (set->fs, ==, 44100);
  for (int m = 0; m < 5; m++)
    {
      double v[3];
      al_array_unit_vector (model->mic_dirs[2 * m], model->mic_dirs[2 * m + 1], v);
      for (int k = 0; k < 3; k++)
        g_assert_cmpfloat_with_epsilon (set->mic_pos[3 * m + k], 0.0875 * v[k], 1e-15);
    }
  for (int d = 0; d < 20; d++)
    {
      g_assert_cmpfloat (set->dirs[2 * d], ==, grid->dirs[2 * d]);
      g_assert_cmpfloat (set->dirs[2 * d + 1], ==, grid->dirs[2 * d + 1]);
      g_assert_cmpfloat (set->dist[d], ==, 0);
    }
  g_assert_nonnull (strstr (set->source, "rigid-sphere model, r = 0.0875 m"));
  /* the last eighth fades to zero */
  for (int i = 0; i < 100; i++)
    g_assert_cmpfloat (fabs (set->ir[i * 128 + 127]), <, 1e-6 * (1 + fabs (set->ir[i * 128 + 50])));
  grid_free (grid);
}

static void
test_simulate_errors (void)
{
  g_autoptr (AlArrayModel) model = al_array_model_preset ("glasses5", NULL);
  AlGrid *grid = grid_new (NULL, 8);
  g_autoptr (GError) error = NULL;
  /* 8.75 cm is 12.2 samples at 48 kHz, so the bulk delay must be >= 28.2 */
  g_assert_null (al_array_model_simulate (model, grid, 48000, 256, 20, NULL, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "delay"));
  g_clear_error (&error);
  g_assert_null (al_array_model_simulate (model, grid, 0, 256, -1, NULL, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "sample rate"));
  g_clear_error (&error);
  g_assert_null (al_array_model_simulate (model, grid, 48000, 40, -1, NULL, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  /* a 1 m sphere at 48 kHz (kr = 440) is beyond the series' 301 terms */
  model->radius = 1.0;
  g_assert_null (al_array_model_simulate (model, grid, 48000, 1024, -1, NULL, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "terms"));
  g_clear_error (&error);
  model->radius = 0;
  g_assert_null (al_array_model_simulate (model, grid, 48000, 256, -1, NULL, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "radius"));
  grid_free (grid);
}

typedef struct {
  double last;
  int calls;
  gboolean monotonic;
  GCancellable *cancel_at_half;
} ProgressLog;

static void
log_progress (double fraction, const char *message, gpointer user_data)
{
  ProgressLog *log = user_data;
  if (fraction < log->last)
    log->monotonic = FALSE;
  log->last = fraction;
  log->calls++;
  if (log->cancel_at_half != NULL && fraction >= 0.5)
    g_cancellable_cancel (log->cancel_at_half);
}

static void
test_simulate_progress_and_cancel (void)
{
  g_autoptr (AlArrayModel) model = al_array_model_preset ("glasses5", NULL);
  AlGrid *grid = grid_new (NULL, 400);
  g_autoptr (GError) error = NULL;

  ProgressLog log = { 0, 0, TRUE, NULL };
  AlProgress progress = { log_progress, &log, NULL, 0, 0 };
  g_autoptr (AlAtfSet) set = al_array_model_simulate (model, grid, 48000, 128, -1, &progress, &error);
  g_assert_no_error (error);
  g_assert_nonnull (set);
  g_assert_true (log.monotonic);
  g_assert_cmpfloat (log.last, ==, 1.0);
  g_assert_cmpint (log.calls, >, 3);

  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  ProgressLog log2 = { 0, 0, TRUE, cancellable };
  AlProgress progress2 = { log_progress, &log2, cancellable, 0, 0 };
  AlAtfSet *none = al_array_model_simulate (model, grid, 48000, 128, -1, &progress2, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpfloat (log2.last, <, 1.0);
  grid_free (grid);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/array/simulate/free-field-integer-delay", test_free_field_integer_delay);
  g_test_add_func ("/array/simulate/free-field-peaks", test_free_field_peaks);
  g_test_add_func ("/array/simulate/rigid-causal", test_rigid_causal);
  g_test_add_func ("/array/simulate/matches-response", test_simulate_matches_response);
  g_test_add_func ("/array/simulate/bookkeeping", test_simulate_bookkeeping);
  g_test_add_func ("/array/simulate/errors", test_simulate_errors);
  g_test_add_func ("/array/simulate/progress-and-cancel", test_simulate_progress_and_cancel);
  return g_test_run ();
}
