/* al-harmonics.c — separation of the linear and harmonic IRs of an ESS
 * measurement (windows around lag0 − L·fs·ln k) and total harmonic
 * distortion per order and in total.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-measure-private.h"

#include <string.h>

/* THD is a band mean over fundamentals this many per octave. */
#define THD_POINTS_PER_OCTAVE 24

void
al_harmonic_params_init (AlHarmonicParams *params, const AlSweep *sweep)
{
  g_return_if_fail (params != NULL && sweep != NULL);
  memset (params, 0, sizeof *params);
  params->kmax = 5;
  params->mode = AL_THD_AT_FUNDAMENTAL;
  double spacing = sweep->L * sweep->params.fs * log ((params->kmax + 1.0) / params->kmax);
  int len = (int) MIN (1024.0, floor (spacing) - 64.0);
  len = MAX (len, 8);
  params->window.type = AL_IR_WINDOW_HANN;
  params->window.start = -32;
  params->window.length = len;
  params->window.fade_in = MIN (16, len / 4);
  params->window.fade_out = MIN (64, len / 4);
}

void
al_harmonics_free (AlHarmonics *harm)
{
  if (harm == NULL)
    return;
  g_free (harm->h);
  g_free (harm);
}

/* |H|² at frequency f by linear interpolation between bins. */
static double
power_at (const double *P, int nfft, double fs, double f)
{
  double pos = f * nfft / fs;
  int k = (int) floor (pos);
  int last = nfft / 2;
  if (k >= last)
    return P[last];
  double t = pos - k;
  return P[k] + t * (P[k + 1] - P[k]);
}

AlHarmonics *
al_harmonics_separate (const AlRawIr *raw, const AlSweep *sweep, double lag0,
                       const AlHarmonicParams *params, GError **error)
{
  g_return_val_if_fail (raw != NULL && sweep != NULL && params != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  int kmax = params->kmax, len = params->window.length;
  double fs = sweep->params.fs;

  if (kmax < 2 || kmax > AL_MAX_HARMONIC)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "harmonic separation: highest order %d is outside 2 … %d", kmax, AL_MAX_HARMONIC);
      return NULL;
    }
  if (raw->fs != fs)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH,
                   "harmonic separation: the IR is at %g Hz but the sweep at %g Hz", raw->fs, fs);
      return NULL;
    }
  if (!al_ir_window_check (&params->window, error))
    return NULL;
  /* Orders crowd together as k grows: kmax and kmax + 1 are closest. */
  double spacing = sweep->L * fs * log ((kmax + 1.0) / kmax);
  if (len > spacing)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "harmonic separation: windows of %d samples overlap, orders %d and %d are only %.0f "
                   "samples apart (sweep L = %.3f s); shorten the window, lower the highest order or "
                   "use a longer sweep", len, kmax, kmax + 1, spacing, sweep->L);
      return NULL;
    }
  double f_lo = params->f_lo > 0.0 ? params->f_lo : MAX (2.0 * sweep->params.f1, 4.0 * fs / len);
  double f_hi = params->f_hi > 0.0 ? params->f_hi : sweep->params.f2 / (kmax * pow (2.0, 1.0 / 6.0));
  if (!(f_lo < f_hi) || f_hi * kmax > 0.5 * fs)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "harmonic separation: no band for THD (fundamentals %g … %g Hz, order %d must stay "
                   "below fs/2 = %g Hz; a %d-sample window resolves down to %g Hz)",
                   f_lo, f_hi, kmax, 0.5 * fs, len, 4.0 * fs / len);
      return NULL;
    }

  AlHarmonics *harm = g_new0 (AlHarmonics, 1);
  harm->kmax = kmax;
  harm->len = len;
  harm->fs = fs;
  harm->lag0 = lag0;
  harm->window = params->window;
  harm->mode = params->mode;
  harm->f_lo = f_lo;
  harm->f_hi = f_hi;
  harm->h = g_new0 (double, (size_t) kmax * len);
  for (int k = 1; k <= kmax; k++)
    {
      harm->lag[k] = lag0 + al_sweep_harmonic_lag (sweep, k);
      if (!al_ir_window_extract (raw, harm->lag[k], &params->window, harm->h + (size_t) (k - 1) * len, error))
        {
          g_prefix_error (error, "harmonic %d: ", k);
          al_harmonics_free (harm);
          return NULL;
        }
    }

  /* Power spectra of every order, zero-padded for smooth interpolation. */
  int nfft = al_fft_good_size (4 * len);
  int nbins = nfft / 2 + 1;
  g_autoptr (AlMeasureFft) fft = al_fft_new (nfft);
  g_autofree double *buf = g_new0 (double, nfft);
  g_autofree double complex *H = g_new (double complex, nbins);
  g_autofree double *P = g_new (double, (size_t) kmax * nbins);
  for (int k = 0; k < kmax; k++)
    {
      memcpy (buf, harm->h + (size_t) k * len, sizeof (double) * len);
      al_fft_forward (fft, buf, H);
      for (int b = 0; b < nbins; b++)
        P[(size_t) k * nbins + b] = creal (H[b] * conj (H[b]));
    }

  int npts = (int) floor (THD_POINTS_PER_OCTAVE * log2 (f_hi / f_lo)) + 1;
  double total = 0.0;
  for (int k = 2; k <= kmax; k++)
    {
      const double *Pk = P + (size_t) (k - 1) * nbins;
      double num = 0.0, den = 0.0;
      for (int j = 0; j < npts; j++)
        {
          double f0 = f_lo * pow (2.0, (double) j / THD_POINTS_PER_OCTAVE);
          num += power_at (Pk, nfft, fs, k * f0);
          den += power_at (P, nfft, fs, params->mode == AL_THD_AT_HARMONIC ? k * f0 : f0);
        }
      double ratio = den > 0.0 ? num / den : 0.0;
      harm->thd_db[k] = al_measure_db10 (ratio);
      harm->thd_percent[k] = 100.0 * sqrt (ratio);
      total += ratio;
    }
  harm->total_db = al_measure_db10 (total);
  harm->total_percent = 100.0 * sqrt (total);
  return harm;
}
