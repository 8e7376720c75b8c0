/* al-deconvolve.c — linear deconvolution of sweep recordings: regularised
 * spectral division, Novak's analytic inverse and Farina's inverse filter,
 * all on one zero-padded FFT so harmonic IRs land at negative lags.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-measure-private.h"

#include <string.h>

/* In-band regularisation relative to max|X|²: small enough that the flat
 * band is exact to 1e-7 dB, large enough to keep 1/|X|² finite. */
#define REG_IN_BAND 1e-10

struct AlDeconvolver {
  AlDeconvMethod method;
  double f_lo, f_hi;
  double fs;
  int n_pre, n_sweep;
  int rec_len, nfft, zero;
  double complex *inv;   /* nfft/2 + 1 */
  double norm_db;
};

static const char *method_names[] = { "regularised", "novak", "farina" };

const char *
al_deconv_method_name (AlDeconvMethod method)
{
  g_return_val_if_fail (method <= AL_DECONV_FARINA, "unknown");
  return method_names[method];
}

gboolean
al_deconv_method_parse (const char *name, AlDeconvMethod *method, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (method_names); i++)
    if (name != NULL && g_ascii_strcasecmp (name, method_names[i]) == 0)
      {
        *method = (AlDeconvMethod) i;
        return TRUE;
      }
  if (name != NULL && g_ascii_strcasecmp (name, "regularized") == 0)
    {
      *method = AL_DECONV_REGULARISED;
      return TRUE;
    }
  g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
               "unknown deconvolution method “%s” (known: regularised, novak, farina)", name ? name : "");
  return FALSE;
}

void
al_deconv_params_init (AlDeconvParams *params)
{
  g_return_if_fail (params != NULL);
  memset (params, 0, sizeof *params);
  params->method = AL_DECONV_REGULARISED;
}

AlRawIr *
al_raw_ir_new (double fs, int len, int zero)
{
  g_return_val_if_fail (len >= 1, NULL);
  AlRawIr *raw = g_new0 (AlRawIr, 1);
  raw->fs = fs;
  raw->len = len;
  raw->zero = zero;
  raw->h = g_new0 (double, len);
  return raw;
}

void
al_raw_ir_free (AlRawIr *raw)
{
  if (raw == NULL)
    return;
  g_free (raw->h);
  g_free (raw);
}

/* Kirkeby: conj(X) / (|X|² + ε(f)). */
static void
inverse_regularised (AlDeconvolver *d, const double complex *X)
{
  int nbins = d->nfft / 2 + 1;
  double max2 = 0.0;

  for (int k = 0; k < nbins; k++)
    max2 = fmax (max2, creal (X[k] * conj (X[k])));
  for (int k = 0; k < nbins; k++)
    {
      double f = (double) k * d->fs / d->nfft;
      double eps = max2 * (REG_IN_BAND + al_measure_out_of_band (f, d->f_lo, d->f_hi));
      d->inv[k] = conj (X[k]) / (creal (X[k] * conj (X[k])) + eps);
    }
}

/* Novak et al. (2015): X⁻¹(f) = 2√(f/L)·exp{−j2πfL[1 − ln(f/f1)] + jπ/4} for
 * x(t) = sin(2π f1 L e^{t/L}); a Farina sweep is that with its phase lowered
 * by 2π f1 L.  DFT = fs × continuous spectrum, and the played level is A. */
static void
inverse_novak (AlDeconvolver *d, const AlSweep *s)
{
  int nbins = d->nfft / 2 + 1;
  double L = s->L, f1 = s->params.f1;
  double phase0 = s->params.kind == AL_SWEEP_FARINA ? 2.0 * G_PI * fmod (f1 * L, 1.0) : 0.0;
  double scale = 1.0 / (s->amplitude * d->fs);

  d->inv[0] = 0.0;
  for (int k = 1; k < nbins; k++)
    {
      double f = (double) k * d->fs / d->nfft;
      double w = 1.0 - al_measure_out_of_band (f, d->f_lo, d->f_hi);
      if (w <= 0.0)
        {
          d->inv[k] = 0.0;
          continue;
        }
      /* Reduce the (large) phase in cycles before taking the exponential. */
      double cycles = f * L * (1.0 - log (f / f1));
      cycles -= floor (cycles);
      double arg = -2.0 * G_PI * cycles + 0.25 * G_PI + phase0;
      d->inv[k] = w * scale * 2.0 * sqrt (f / L) * cexp (I * arg);
    }
  if (d->nfft % 2 == 0)
    d->inv[nbins - 1] = 0.0;
}

/* Farina's time-reversed filter, rotated so a delta system peaks at lag 0. */
static void
inverse_farina (AlDeconvolver *d, const AlSweep *s, AlFft *fft)
{
  g_autofree double *v = al_sweep_farina_inverse (s);
  g_autofree double *buf = g_new0 (double, d->nfft);
  int shift = s->n_sweep - 1;

  for (int i = 0; i < s->n_sweep; i++)
    buf[((i - shift) % d->nfft + d->nfft) % d->nfft] = v[i];
  al_fft_forward (fft, buf, d->inv);
}

AlDeconvolver *
al_deconvolver_new (const AlSweep *sweep, const AlDeconvParams *params, int rec_len, GError **error)
{
  g_return_val_if_fail (sweep != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  AlDeconvParams defaults;
  if (params == NULL)
    {
      al_deconv_params_init (&defaults);
      params = &defaults;
    }
  if (rec_len == 0)
    rec_len = sweep->n_total;
  if (rec_len < sweep->n_pre + sweep->n_sweep || rec_len > (1 << 28))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "deconvolution: a recording of %d samples cannot hold the sweep, which ends at "
                   "sample %d", rec_len, sweep->n_pre + sweep->n_sweep);
      return NULL;
    }
  if (params->method > AL_DECONV_FARINA)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "deconvolution: unknown method %d",
                   (int) params->method);
      return NULL;
    }
  double fs = sweep->params.fs;
  double f_lo = params->f_lo > 0.0 ? params->f_lo : sweep->params.f1;
  double f_hi = params->f_hi > 0.0 ? params->f_hi : sweep->params.f2;
  if (!(f_lo < f_hi && f_hi <= 0.5 * fs))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "deconvolution: band %g … %g Hz is empty or above fs/2 = %g Hz", f_lo, f_hi, 0.5 * fs);
      return NULL;
    }

  AlDeconvolver *d = g_new0 (AlDeconvolver, 1);
  d->method = params->method;
  d->f_lo = f_lo;
  d->f_hi = f_hi;
  d->fs = fs;
  d->n_pre = sweep->n_pre;
  d->n_sweep = sweep->n_sweep;
  d->rec_len = rec_len;
  /* Linear: the whole product y ⋆ x⁻¹ (rec_len + n_sweep − 1 lags) fits. */
  d->nfft = al_fft_good_size (rec_len + sweep->n_sweep);
  d->zero = d->nfft - (rec_len - sweep->n_pre);
  int nbins = d->nfft / 2 + 1;
  d->inv = g_new0 (double complex, nbins);

  g_autoptr (AlMeasureFft) fft = al_fft_new (d->nfft);
  g_autofree double *buf = g_new0 (double, d->nfft);
  g_autofree double complex *X = g_new (double complex, nbins);
  memcpy (buf, sweep->signal + sweep->n_pre, sizeof (double) * sweep->n_sweep);
  al_fft_forward (fft, buf, X);

  switch (d->method)
    {
    case AL_DECONV_REGULARISED:
      inverse_regularised (d, X);
      break;
    case AL_DECONV_NOVAK:
      inverse_novak (d, sweep);
      break;
    case AL_DECONV_FARINA:
      inverse_farina (d, sweep, fft);
      break;
    }

  /* Normalise on the loopback of the sweep itself: in-band |H| = 1. */
  for (int k = 0; k < nbins; k++)
    X[k] *= d->inv[k];
  double lo, hi;
  al_measure_flat_band (sweep, &lo, &hi);
  lo = MAX (lo, f_lo);
  hi = MIN (hi, f_hi);
  double med = al_measure_band_median (X, d->nfft, fs, lo, hi);
  if (!(med > 0.0) || !isfinite (med))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_FAILED,
                   "deconvolution: the %s inverse of the sweep has no gain in %g … %g Hz",
                   al_deconv_method_name (d->method), lo, hi);
      al_deconvolver_free (d);
      return NULL;
    }
  for (int k = 0; k < nbins; k++)
    d->inv[k] /= med;
  d->norm_db = -20.0 * log10 (med);
  return d;
}

void
al_deconvolver_free (AlDeconvolver *d)
{
  if (d == NULL)
    return;
  g_free (d->inv);
  g_free (d);
}

int
al_deconvolver_rec_len (const AlDeconvolver *d)
{
  g_return_val_if_fail (d != NULL, 0);
  return d->rec_len;
}

int
al_deconvolver_fft_len (const AlDeconvolver *d)
{
  g_return_val_if_fail (d != NULL, 0);
  return d->nfft;
}

double
al_deconvolver_fs (const AlDeconvolver *d)
{
  g_return_val_if_fail (d != NULL, 0.0);
  return d->fs;
}

double
al_deconvolver_norm_db (const AlDeconvolver *d)
{
  g_return_val_if_fail (d != NULL, 0.0);
  return d->norm_db;
}

const double complex *
al_deconvolver_inverse (const AlDeconvolver *d)
{
  g_return_val_if_fail (d != NULL, NULL);
  return d->inv;
}

static AlRawIr *
run (const AlDeconvolver *d, const float *recf, const double *recd)
{
  int nbins = d->nfft / 2 + 1;
  g_autoptr (AlMeasureFft) fft = al_fft_new (d->nfft);
  g_autofree double *buf = g_new0 (double, d->nfft);
  g_autofree double complex *Y = g_new (double complex, nbins);

  if (recf != NULL)
    for (int i = 0; i < d->rec_len; i++)
      buf[i] = recf[i];
  else
    memcpy (buf, recd, sizeof (double) * d->rec_len);
  al_fft_forward (fft, buf, Y);
  for (int k = 0; k < nbins; k++)
    Y[k] *= d->inv[k];
  al_fft_inverse (fft, Y, buf);

  AlRawIr *raw = al_raw_ir_new (d->fs, d->nfft, d->zero);
  /* The sweep starts at recording sample n_pre: that is lag 0. */
  al_measure_rotate_into (buf, d->nfft, d->n_pre, raw);
  return raw;
}

AlRawIr *
al_deconvolver_run (const AlDeconvolver *d, const float *rec)
{
  g_return_val_if_fail (d != NULL && rec != NULL, NULL);
  return run (d, rec, NULL);
}

AlRawIr *
al_deconvolver_run_double (const AlDeconvolver *d, const double *rec)
{
  g_return_val_if_fail (d != NULL && rec != NULL, NULL);
  return run (d, NULL, rec);
}

typedef struct {
  const AlDeconvolver *d;
  const AlRecording *rec;
  AlRawIr **out;
} RunAll;

static void
run_one (int c, gpointer data)
{
  RunAll *r = data;
  r->out[c] = run (r->d, al_recording_channel (r->rec, c), NULL);
}

AlRawIr **
al_deconvolver_run_all (const AlDeconvolver *d, const AlRecording *rec, int nthreads,
                        AlProgress *progress, GError **error)
{
  g_return_val_if_fail (d != NULL && rec != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (rec->nframes != d->rec_len || rec->fs != d->fs)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH,
                   "deconvolution: the recording has %d frames at %g Hz but the deconvolver was made "
                   "for %d at %g Hz", rec->nframes, rec->fs, d->rec_len, d->fs);
      return NULL;
    }
  if (al_progress_cancelled (progress, error))
    return NULL;
  al_progress_report (progress, 0.0, "Deconvolving");
  RunAll r = { d, rec, g_new0 (AlRawIr *, rec->nchannels) };
  al_measure_parallel_for (rec->nchannels, nthreads, run_one, &r);
  al_progress_report (progress, 1.0, "Deconvolved");
  return r.out;
}
