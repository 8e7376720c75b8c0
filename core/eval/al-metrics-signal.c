/* al-metrics-signal.c — the plumbing every signal metric shares: checking
 * signal views, aligning an estimate with its reference by latency,
 * reading one channel at a time, STFT settings, band summaries of per-bin
 * metrics and the covariance matrix behind power maps and intensity.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-metrics-private.h"

#include <math.h>
#include <string.h>

#include "linalg/al-linalg.h"

/* Samples per block of the time-domain covariance: large enough for BLAS
 * to run at speed, small enough to stay in cache-sized buffers. */
#define COV_BLOCK 4096
/* STFT frames per batch of the band covariance, and the most doubles a
 * batch may hold (high orders get smaller batches). */
#define COV_FRAMES 32
#define COV_BUDGET (1 << 22)

AlShSignals
al_sh_signals_float (const float *x, int nch, gsize nsamples, double fs, AlShNorm norm)
{
  return (AlShSignals) { .f32 = x, .nch = nch, .nsamples = nsamples, .fs = fs, .norm = norm };
}

AlShSignals
al_sh_signals_double (const double *x, int nch, gsize nsamples, double fs, AlShNorm norm)
{
  return (AlShSignals) { .f64 = x, .nch = nch, .nsamples = nsamples, .fs = fs, .norm = norm };
}

void
al_metric_options_init (AlMetricOptions *opt)
{
  g_return_if_fail (opt != NULL);
  memset (opt, 0, sizeof *opt);
}

const char *
al_metrics_signal_name (const AlShSignals *s, const char *what)
{
  return s != NULL && s->name != NULL && s->name[0] != '\0' ? s->name : what;
}

gboolean
al_metrics_check_signals (const AlShSignals *s, const char *what, GError **error)
{
  if (s == NULL)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "%s: no signals given", what);
      return FALSE;
    }
  const char *name = al_metrics_signal_name (s, what);
  if ((s->f32 == NULL) == (s->f64 == NULL))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "%s: exactly one of the float and double sample arrays must be given", name);
      return FALSE;
    }
  if (s->nch < 1 || s->nch > al_sh_count (AL_SH_MAX_ORDER))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "%s: %d channels is out of range (1 to %d)",
                   name, s->nch, al_sh_count (AL_SH_MAX_ORDER));
      return FALSE;
    }
  if (s->nsamples < 1)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "%s: no samples", name);
      return FALSE;
    }
  if (!(s->fs > 0) || !isfinite (s->fs))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "%s: sample rate %g Hz is invalid", name, s->fs);
      return FALSE;
    }
  if ((int) s->norm < AL_SH_SN3D || (int) s->norm > AL_SH_ORTHONORMAL)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "%s: unknown SH normalisation %d", name,
                   (int) s->norm);
      return FALSE;
    }
  if (s->latency < 0 || (gsize) s->latency >= s->nsamples)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "%s: latency of %d samples is out of range for %" G_GSIZE_FORMAT " samples", name,
                   s->latency, s->nsamples);
      return FALSE;
    }
  return TRUE;
}

gboolean
al_signal_pair_init (AlSignalPair *pair, const AlShSignals *est, const AlShSignals *ref, GError **error)
{
  memset (pair, 0, sizeof *pair);
  if (!al_metrics_check_signals (est, "estimate", error) || !al_metrics_check_signals (ref, "reference", error))
    return FALSE;
  const char *en = al_metrics_signal_name (est, "estimate");
  const char *rn = al_metrics_signal_name (ref, "reference");
  if (est->nch != ref->nch)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH, "%s has %d channels but %s has %d", en, est->nch, rn,
                   ref->nch);
      return FALSE;
    }
  if (fabs (est->fs - ref->fs) > 1e-9 * ref->fs)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH, "%s is at %g Hz but %s at %g Hz", en, est->fs, rn,
                   ref->fs);
      return FALSE;
    }
  /* After skipping its latency each signal starts at the sound field's
   * time 0; the lengths may then differ by no more than the latencies do
   * (an encoder's output as long as its input, or longer by its latency). */
  gsize len_e = est->nsamples - (gsize) est->latency;
  gsize len_r = ref->nsamples - (gsize) ref->latency;
  gsize diff = len_e > len_r ? len_e - len_r : len_r - len_e;
  gsize allowed = (gsize) ABS (est->latency - ref->latency);
  if (diff > allowed)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH,
                   "%s has %" G_GSIZE_FORMAT " samples (latency %d) but %s has %" G_GSIZE_FORMAT
                   " (latency %d): the lengths differ by more than the latencies",
                   en, est->nsamples, est->latency, rn, ref->nsamples, ref->latency);
      return FALSE;
    }
  pair->est = est;
  pair->ref = ref;
  pair->nch = ref->nch;
  pair->fs = ref->fs;
  pair->est_off = (gsize) est->latency;
  pair->ref_off = (gsize) ref->latency;
  pair->n = MIN (len_e, len_r);
  pair->gain = g_new (double, pair->nch);
  for (int c = 0; c < pair->nch; c++)
    pair->gain[c] = al_sh_norm_factor (al_sh_degree_of (c), est->norm, ref->norm);
  return TRUE;
}

void
al_signal_pair_clear (AlSignalPair *pair)
{
  g_clear_pointer (&pair->gain, g_free);
}

static gboolean
report_non_finite (const AlShSignals *s, const char *what, int c, gsize at, GError **error)
{
  g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "%s: channel %d holds NaN or Inf at sample %" G_GSIZE_FORMAT,
               al_metrics_signal_name (s, what), c, at);
  return FALSE;
}

gboolean
al_metrics_read_float (const AlShSignals *s, const char *what, int c, gsize off, gsize n, double gain,
                       float *out, GError **error)
{
  gsize row = (gsize) c * s->nsamples + off;
  for (gsize i = 0; i < n; i++)
    {
      double v = s->f32 != NULL ? (double) s->f32[row + i] : s->f64[row + i];
      if (!isfinite (v))
        return report_non_finite (s, what, c, off + i, error);
      out[i] = (float) (gain * v);
    }
  return TRUE;
}

gboolean
al_metrics_read_double (const AlShSignals *s, const char *what, int c, gsize off, gsize n, double gain,
                        double *out, GError **error)
{
  gsize row = (gsize) c * s->nsamples + off;
  for (gsize i = 0; i < n; i++)
    {
      double v = s->f32 != NULL ? (double) s->f32[row + i] : s->f64[row + i];
      if (!isfinite (v))
        return report_non_finite (s, what, c, off + i, error);
      out[i] = gain * v;
    }
  return TRUE;
}

gboolean
al_signal_pair_read_float (const AlSignalPair *pair, int c, float *est, float *ref, GError **error)
{
  return al_metrics_read_float (pair->est, "estimate", c, pair->est_off, pair->n, pair->gain[c], est, error)
         && al_metrics_read_float (pair->ref, "reference", c, pair->ref_off, pair->n, 1.0, ref, error);
}

gboolean
al_signal_pair_read_double (const AlSignalPair *pair, int c, double *est, double *ref, GError **error)
{
  return al_metrics_read_double (pair->est, "estimate", c, pair->est_off, pair->n, pair->gain[c], est, error)
         && al_metrics_read_double (pair->ref, "reference", c, pair->ref_off, pair->n, 1.0, ref, error);
}

gboolean
al_metrics_stft_params (int frame, int hop, double fs, int *frame_out, int *hop_out, GError **error)
{
  if (frame <= 0)
    {
      /* 16 ms frames, 50 % overlap: 768/384 at 48 kHz (DESIGN.md §5). */
      frame = 2 * MAX (1, (int) lround (384.0 * fs / 48000.0));
      hop = frame / 2;
    }
  else if (hop <= 0)
    hop = frame / 2;
  if (!al_stft_check_params (frame, hop, error))
    return FALSE;
  *frame_out = frame;
  *hop_out = hop;
  return TRUE;
}

gboolean
al_metrics_band (double lo, double hi, double fs, double *lo_out, double *hi_out, GError **error)
{
  lo = lo > 0 ? lo : 50.0;
  hi = hi > 0 ? MIN (hi, fs / 2) : fs / 2;
  if (!isfinite (lo) || !isfinite (hi) || lo >= hi)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "band %g–%g Hz is empty at a sample rate of %g Hz", lo, hi, fs);
      return FALSE;
    }
  *lo_out = lo;
  *hi_out = hi;
  return TRUE;
}

AlSpectralMetric *
al_spectral_metric_alloc (int nch, int frame, int hop, double fs, double band_lo, double band_hi)
{
  AlSpectralMetric *m = g_new0 (AlSpectralMetric, 1);
  m->nch = nch;
  m->nbins = frame / 2 + 1;
  m->fs = fs;
  m->frame = frame;
  m->hop = hop;
  m->band_lo = band_lo;
  m->band_hi = band_hi;
  m->freqs = g_new (double, m->nbins);
  for (int k = 0; k < m->nbins; k++)
    m->freqs[k] = k * fs / frame;
  m->per_channel = g_new0 (double, (gsize) nch * m->nbins);
  m->combined = g_new (double, m->nbins);
  m->channel_mean = g_new (double, nch);
  return m;
}

void
al_spectral_metric_free (AlSpectralMetric *metric)
{
  if (metric == NULL)
    return;
  g_free (metric->freqs);
  g_free (metric->per_channel);
  g_free (metric->combined);
  g_free (metric->channel_mean);
  g_free (metric);
}

void
al_spectral_metric_summarise (AlSpectralMetric *m)
{
  double sum = 0, osum = 0, owsum = 0;
  long count = 0;
  for (int k = 0; k < m->nbins; k++)
    {
      double s = 0;
      int n = 0;
      for (int c = 0; c < m->nch; c++)
        {
          double v = m->per_channel[(gsize) c * m->nbins + k];
          if (isfinite (v))
            {
              s += v;
              n++;
            }
        }
      m->combined[k] = n > 0 ? s / n : NAN;
    }
  for (int c = 0; c < m->nch; c++)
    {
      double s = 0;
      int n = 0;
      for (int k = 0; k < m->nbins; k++)
        {
          double f = m->freqs[k], v = m->per_channel[(gsize) c * m->nbins + k];
          if (f < m->band_lo || f > m->band_hi || !isfinite (v))
            continue;
          s += v;
          n++;
          if (f > 0)
            {
              /* Weights ∝ 1/f give every octave the same say. */
              osum += v / f;
              owsum += 1.0 / f;
            }
        }
      m->channel_mean[c] = n > 0 ? s / n : NAN;
      sum += s;
      count += n;
    }
  m->mean = count > 0 ? sum / count : NAN;
  m->mean_octave = owsum > 0 ? osum / owsum : NAN;
}

gboolean
al_stft_pair_init (AlStftPair *sp, const AlShSignals *est, const AlShSignals *ref, const AlMetricOptions *opt,
                   GError **error)
{
  AlMetricOptions defaults;
  memset (sp, 0, sizeof *sp);
  if (opt == NULL)
    {
      al_metric_options_init (&defaults);
      opt = &defaults;
    }
  if (!al_signal_pair_init (&sp->pair, est, ref, error))
    return FALSE;
  if (!al_metrics_stft_params (opt->frame, opt->hop, sp->pair.fs, &sp->frame, &sp->hop, error)
      || !al_metrics_band (opt->band_lo, opt->band_hi, sp->pair.fs, &sp->band_lo, &sp->band_hi, error))
    {
      al_signal_pair_clear (&sp->pair);
      return FALSE;
    }
  sp->stft = al_stft_new (sp->frame, sp->hop);
  sp->nbins = al_stft_nbins (sp->stft);
  sp->nframes = al_stft_nframes (sp->stft, sp->pair.n);
  sp->est_buf = g_new (float, sp->pair.n);
  sp->ref_buf = g_new (float, sp->pair.n);
  sp->E = g_new (float complex, (gsize) sp->nframes * sp->nbins);
  sp->B = g_new (float complex, (gsize) sp->nframes * sp->nbins);
  return TRUE;
}

void
al_stft_pair_clear (AlStftPair *sp)
{
  al_signal_pair_clear (&sp->pair);
  g_clear_pointer (&sp->stft, al_stft_free);
  g_clear_pointer (&sp->est_buf, g_free);
  g_clear_pointer (&sp->ref_buf, g_free);
  g_clear_pointer (&sp->E, g_free);
  g_clear_pointer (&sp->B, g_free);
}

gboolean
al_stft_pair_channel (AlStftPair *sp, int c, gboolean est_too, GError **error)
{
  const AlSignalPair *p = &sp->pair;
  if (!al_metrics_read_float (p->ref, "reference", c, p->ref_off, p->n, 1.0, sp->ref_buf, error))
    return FALSE;
  al_stft_forward (sp->stft, sp->ref_buf, p->n, sp->B);
  if (!est_too)
    return TRUE;
  if (!al_metrics_read_float (p->est, "estimate", c, p->est_off, p->n, p->gain[c], sp->est_buf, error))
    return FALSE;
  al_stft_forward (sp->stft, sp->est_buf, p->n, sp->E);
  return TRUE;
}

gboolean
al_stft_pair_ref_peak (AlStftPair *sp, double *peak, GError **error)
{
  double p = 0;
  gsize total = (gsize) sp->nframes * sp->nbins;
  for (int c = 0; c < sp->pair.nch; c++)
    {
      if (!al_stft_pair_channel (sp, c, FALSE, error))
        return FALSE;
      for (gsize i = 0; i < total; i++)
        p = MAX (p, (double) cabsf (sp->B[i]));
    }
  *peak = p;
  return TRUE;
}

AlSpectralMetric *
al_stft_pair_metric (const AlStftPair *sp)
{
  return al_spectral_metric_alloc (sp->pair.nch, sp->frame, sp->hop, sp->pair.fs, sp->band_lo, sp->band_hi);
}

/* R += A Aᵀ, A: nch x m (packed). */
static void
accumulate (int nch, int m, const double *A, double *R)
{
  if (m > 0)
    al_dgemm ('N', 'T', nch, nch, m, 1.0, A, A, 1.0, R);
}

static gboolean
covariance_time (const AlShSignals *b, int nch, double *R, GError **error)
{
  gsize off = (gsize) b->latency, n = b->nsamples - off;
  g_autofree double *A = g_new (double, (gsize) nch * COV_BLOCK);
  for (gsize s = 0; s < n; s += COV_BLOCK)
    {
      int m = (int) MIN ((gsize) COV_BLOCK, n - s);
      for (int c = 0; c < nch; c++)
        if (!al_metrics_read_double (b, "signals", c, off + s, m, 1.0, A + (gsize) c * m, error))
          return FALSE;
      accumulate (nch, m, A, R);
    }
  return TRUE;
}

/* Frames as al_stft frames them (frame-hop zeros in front); each frame's
 * band bins as [Re | Im] columns, weighted √2 for the bins that stand for
 * their negative-frequency twins, so Σ over columns of A Aᵀ is the
 * one-sided sum Σ_k w_k Re(B_k B_kᴴ). */
static gboolean
covariance_band (const AlShSignals *b, int nch, double band_lo, double band_hi, int frame, int hop,
                 double *R, GError **error)
{
  gsize off = (gsize) b->latency, n = b->nsamples - off;
  int nbins = frame / 2 + 1;
  int k0 = (int) ceil (band_lo * frame / b->fs), k1 = (int) floor (band_hi * frame / b->fs);
  k0 = CLAMP (k0, 0, nbins - 1);
  k1 = CLAMP (k1, 0, nbins - 1);
  if (k1 < k0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "band %g–%g Hz holds no STFT bin (frame %d at %g Hz)", band_lo, band_hi, frame, b->fs);
      return FALSE;
    }
  int K = k1 - k0 + 1;
  gsize nframes = (n + (gsize) (frame - hop) + (gsize) hop - 1) / (gsize) hop;
  int cols = 2 * K;
  int per_batch = (int) CLAMP ((gsize) COV_BUDGET / ((gsize) nch * cols), 1, COV_FRAMES);
  g_autofree double *win = g_new (double, frame);
  g_autofree double *x = g_new (double, frame);
  g_autofree double complex *X = g_new (double complex, nbins);
  g_autofree double *A = g_new (double, (gsize) nch * cols * per_batch);
  AlFft *fft = al_fft_new (frame);
  al_window_hann (win, frame, TRUE);
  double wsum2 = 0;
  for (int j = 0; j < frame; j++)
    wsum2 += win[j] * win[j];

  gboolean ok = TRUE;
  for (gsize t0 = 0; t0 < nframes && ok; t0 += (gsize) per_batch)
    {
      int batch = (int) MIN ((gsize) per_batch, nframes - t0);
      gsize ld = (gsize) cols * batch;
      for (int c = 0; c < nch && ok; c++)
        for (int bt = 0; bt < batch && ok; bt++)
          {
            /* Frame start in signal samples (may be before 0 or run past the end). */
            long long start = (long long) ((t0 + bt) * (gsize) hop) - (frame - hop);
            memset (x, 0, sizeof (double) * frame);
            long long lo = MAX (0LL, start), hi = MIN ((long long) n, start + frame);
            if (hi > lo)
              ok = al_metrics_read_double (b, "signals", c, off + (gsize) lo, (gsize) (hi - lo), 1.0,
                                           x + (lo - start), error);
            for (int j = 0; j < frame; j++)
              x[j] *= win[j];
            al_fft_forward (fft, x, X);
            double *row = A + (gsize) c * ld + (gsize) bt * cols;
            for (int k = k0; k <= k1; k++)
              {
                double w = (k == 0 || 2 * k == frame) ? 1.0 : G_SQRT2;
                row[k - k0] = w * creal (X[k]);
                row[K + k - k0] = w * cimag (X[k]);
              }
          }
      if (ok)
        accumulate (nch, (int) ld, A, R);
    }
  al_fft_free (fft);
  /* Σ_t Σ_k w_k |X_t(k)|² = frame · Σ_n x² Σ_t w²(n − t·hop) ≈ frame · Σw²/hop · Σ_n x². */
  double scale = hop / (frame * wsum2);
  for (int i = 0; i < nch * nch; i++)
    R[i] *= scale;
  return ok;
}

gboolean
al_metrics_covariance (const AlShSignals *b, int nch, gboolean band, double band_lo, double band_hi, int frame,
                       int hop, double *R, GError **error)
{
  memset (R, 0, sizeof (double) * nch * nch);
  if (!band)
    return covariance_time (b, nch, R, error);
  return covariance_band (b, nch, band_lo, band_hi, frame, hop, R, error);
}
