/* al-sweep.c — exponential sweeps: Novak's synchronized sweep and Farina's
 * ESS with half-Hann fades, level and silences, evaluated in continuous time
 * (so delayed copies are exact), and Farina's time-reversed inverse filter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-measure-private.h"

#include <string.h>

/* Longest played buffer we accept: keeps FFT sizes and int indices safe. */
#define MAX_TOTAL (1 << 28)

AlSweep *
al_sweep_new (const AlSweepParams *params, GError **error)
{
  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!al_sweep_params_check (params, error))
    return NULL;

  const AlSweepParams *p = params;
  double ln_ratio = log (p->f2 / p->f1);
  double L, t_end;

  if (p->kind == AL_SWEEP_SYNC)
    {
      /* Novak: f1·L a whole number keeps every harmonic phase-synchronous.
       * The phase 2π f1 L e^{t/L} crosses zero at e^{t/L} = m / (2 f1 L);
       * end at the last crossing at or before f2. */
      L = rint (p->f1 * p->duration / ln_ratio) / p->f1;
      double m_end = floor (2.0 * p->f2 * L + 1e-9);
      t_end = L * log (m_end / (2.0 * p->f1 * L));
    }
  else
    {
      /* Farina: phase 2π f1 L (e^{t/L} − 1), zero at e^{t/L} = 1 + m/(2 f1 L). */
      L = p->duration / ln_ratio;
      double m_end = floor (2.0 * L * (p->f2 - p->f1) + 1e-9);
      t_end = L * log1p (m_end / (2.0 * p->f1 * L));
    }

  double n_pre = rint (p->pre_s * p->fs), n_post = rint (p->post_s * p->fs);
  double n_sweep = floor (t_end * p->fs) + 1.0;
  if (n_pre + n_sweep + n_post > MAX_TOTAL)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "sweep: %.0f samples (%.1f s at %g Hz) is more than the %d samples supported",
                   n_pre + n_sweep + n_post, (n_pre + n_sweep + n_post) / p->fs, p->fs, MAX_TOTAL);
      return NULL;
    }

  AlSweep *s = g_new0 (AlSweep, 1);
  s->params = *p;
  s->L = L;
  s->T = t_end;
  s->amplitude = pow (10.0, p->level_dbfs / 20.0);
  s->fade_in_s = L * G_LN2 * p->fade_in_oct;
  s->fade_out_s = L * G_LN2 * p->fade_out_oct;
  s->n_pre = (int) n_pre;
  s->n_sweep = (int) n_sweep;
  s->n_post = (int) n_post;
  s->n_total = s->n_pre + s->n_sweep + s->n_post;
  s->signal = g_new0 (double, s->n_total);
  for (int i = 0; i < s->n_sweep; i++)
    s->signal[s->n_pre + i] = al_sweep_eval (s, i / p->fs);
  return s;
}

AlSweep *
al_sweep_new_from_spec (const char *spec, GError **error)
{
  AlSweepParams params;

  if (!al_sweep_params_parse (spec, &params, error))
    return NULL;
  return al_sweep_new (&params, error);
}

void
al_sweep_free (AlSweep *sweep)
{
  if (sweep == NULL)
    return;
  g_free (sweep->signal);
  g_free (sweep);
}

double
al_sweep_eval (const AlSweep *s, double t)
{
  g_return_val_if_fail (s != NULL, 0.0);

  if (!(t >= 0.0 && t <= s->T))
    return 0.0;
  /* Both kinds are sin(2π f1 L (e^{t/L} − 1)) up to a whole number of
   * cycles for the synchronized one; reducing the cycle count to its
   * fraction keeps the argument of sin small and exact-ish for long sweeps. */
  double cycles = s->params.f1 * s->L * expm1 (t / s->L);
  double v = s->amplitude * sin (2.0 * G_PI * (cycles - floor (cycles)));

  if (t < s->fade_in_s)
    {
      double g = sin (0.5 * G_PI * t / s->fade_in_s);
      v *= g * g;
    }
  if (s->T - t < s->fade_out_s)
    {
      double g = sin (0.5 * G_PI * (s->T - t) / s->fade_out_s);
      v *= g * g;
    }
  return v;
}

double
al_sweep_frequency_at (const AlSweep *s, double t)
{
  g_return_val_if_fail (s != NULL, 0.0);
  return s->params.f1 * exp (t / s->L);
}

double
al_sweep_harmonic_lag (const AlSweep *s, int k)
{
  g_return_val_if_fail (s != NULL && k >= 1, 0.0);
  return -s->L * s->params.fs * log ((double) k);
}

void
al_sweep_render (const AlSweep *s, double delay, double *out)
{
  g_return_if_fail (s != NULL && out != NULL);
  for (int i = 0; i < s->n_total; i++)
    out[i] = al_sweep_eval (s, (i - s->n_pre - delay) / s->params.fs);
}

float *
al_sweep_signal_float (const AlSweep *s)
{
  g_return_val_if_fail (s != NULL, NULL);
  float *x = g_new (float, s->n_total);
  for (int i = 0; i < s->n_total; i++)
    x[i] = (float) s->signal[i];
  return x;
}

double *
al_sweep_farina_inverse (const AlSweep *s)
{
  g_return_val_if_fail (s != NULL, NULL);

  int n = s->n_sweep;
  double fs = s->params.fs;
  const double *x = s->signal + s->n_pre;
  double *inv = g_new (double, n);

  /* Reverse in time; e^{−t/L} turns the pink ESS spectrum white. */
  for (int i = 0; i < n; i++)
    inv[i] = x[n - 1 - i] * exp (-(i / fs) / s->L);

  /* Scale from the actual product, not from a formula (the envelopes and
   * constants differ between write-ups). */
  int nfft = al_fft_good_size (2 * n);
  g_autoptr (AlMeasureFft) fft = al_fft_new (nfft);
  g_autofree double *buf = g_new0 (double, nfft);
  g_autofree double complex *X = g_new (double complex, nfft / 2 + 1);
  g_autofree double complex *V = g_new (double complex, nfft / 2 + 1);
  memcpy (buf, x, sizeof (double) * n);
  al_fft_forward (fft, buf, X);
  memset (buf, 0, sizeof (double) * nfft);
  memcpy (buf, inv, sizeof (double) * n);
  al_fft_forward (fft, buf, V);
  for (int k = 0; k <= nfft / 2; k++)
    X[k] *= V[k];
  double lo, hi;
  al_measure_flat_band (s, &lo, &hi);
  double med = al_measure_band_median (X, nfft, fs, lo, hi);
  if (med > 0.0)
    for (int i = 0; i < n; i++)
      inv[i] /= med;
  return inv;
}
