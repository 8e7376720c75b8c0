/* al-encoder-eval.c — encoder-on-ATF metrics (DESIGN.md §5 items 7 and 9):
 * spatial correlation and level difference per order over frequency,
 * white-noise gain, maximum amplification and directional gain.
 *
 * The grid average uses the set's Voronoi weights (sum 1); on a uniform grid
 * that is SAF's 1/K, on a measured grid with rings it is the correct
 * quadrature.  SAF divides by the ideal patterns' power assuming it is 1
 * (N3D on an exact grid); we divide by its actual weighted value, which is
 * the same on exact grids and keeps a perfect encoder at ρ = 1, L = 0 dB on
 * any grid.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-eval.h"

#include <math.h>
#include <string.h>

#include "dsp/al-dsp.h"
#include "linalg/al-linalg.h"

void
al_encoder_eval_free (AlEncoderEval *ev)
{
  if (ev == NULL)
    return;
  g_free (ev->freqs);
  g_free (ev->spatial_corr);
  g_free (ev->level_diff);
  g_free (ev->wng);
  g_free (ev->max_amp);
  g_free (ev->dirs);
  g_free (ev->dir_gain);
  g_free (ev);
}

struct AlEvalContext {
  AlAtfSet *set;      /* layout only: directions, fs, names */
  AlGrid *grid;
  int fir_len, nfft, nbins;
  double complex *H;  /* nbins x nmics x ndirs */
};

void
al_eval_context_free (AlEvalContext *ctx)
{
  if (ctx == NULL)
    return;
  al_atf_set_free (ctx->set);
  al_grid_free (ctx->grid);
  g_free (ctx->H);
  g_free (ctx);
}

AlEvalContext *
al_eval_context_new (const AlAtfSet *set, int fir_length, AlProgress *progress, GError **error)
{
  if (!al_atf_set_validate (set, NULL, error))
    return NULL;
  AlGrid *grid = al_atf_set_grid (set, error);
  if (grid == NULL)
    return NULL;
  AlEvalContext *ctx = g_new0 (AlEvalContext, 1);
  ctx->set = al_atf_set_copy_layout (set);
  ctx->grid = grid;
  ctx->fir_len = fir_length;
  /* Long enough that products of spectra are linear convolutions, and at
   * least 2048 points so curves are smooth at low frequencies. */
  ctx->nfft = al_fft_good_size (MAX (set->ir_len + fir_length, 2048));
  ctx->nbins = ctx->nfft / 2 + 1;
  /* Evaluate the set as the design saw it: advanced by its common delay, so a
   * measured set whose onsets wrap around the buffer does not look as if
   * some responses came hundreds of samples early.  For sets that do not wrap
   * this is a common linear phase, which no metric here sees. */
  al_progress_report (progress, 0.0, "transforming");
  g_autoptr (AlAtfSet) aligned = al_atf_set_aligned (set, al_atf_set_common_delay (set), set->ir_len);
  ctx->H = al_atf_set_spectra (aligned, ctx->nfft);
  al_progress_report (progress, 1.0, "transformed");
  return ctx;
}

static gboolean
check_pair (const AlEncoder *enc, const AlEvalContext *ctx, GError **error)
{
  const AlAtfSet *set = ctx->set;
  const char *name = set->source ? set->source : "ATF set";
  if (!al_encoder_check_input (enc, name, set->nmics, set->fs, error))
    return FALSE;
  if (enc->fir_len != ctx->fir_len)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "evaluation prepared for %d-tap filters, the encoder has %d", ctx->fir_len, enc->fir_len);
      return FALSE;
    }
  return TRUE;
}

AlEncoderEval *
al_encoder_evaluate (const AlEncoder *enc, const AlAtfSet *set, double band_lo, double band_hi,
                     AlProgress *progress, GError **error)
{
  AlProgress prep = al_progress_sub (progress, 0.0, 0.5);
  AlProgress run = al_progress_sub (progress, 0.5, 1.0);
  g_autoptr (AlEvalContext) ctx = al_eval_context_new (set, enc->fir_len, &prep, error);
  if (ctx == NULL)
    return NULL;
  return al_eval_context_evaluate (ctx, enc, band_lo, band_hi, &run, error);
}

AlEncoderEval *
al_eval_context_evaluate (AlEvalContext *ctx, const AlEncoder *enc, double band_lo, double band_hi,
                          AlProgress *progress, GError **error)
{
  if (!check_pair (enc, ctx, error))
    return NULL;
  const double lo = band_lo > 0 ? band_lo : 100.0;
  const double hi = band_hi > 0 ? MIN (band_hi, ctx->set->fs / 2) : MIN (16000.0, ctx->set->fs / 2);
  if (!(lo < hi) || hi - lo < ctx->set->fs / ctx->nfft)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "summary band %.0f–%.0f Hz is empty (it must lie below %.0f Hz and span at least one bin)", lo, hi,
                   ctx->set->fs / 2);
      return NULL;
    }
  const AlAtfSet *set = ctx->set;
  const AlGrid *grid = ctx->grid;
  const int N = enc->params.order, nsh = enc->nsh, m = enc->nmics, K = set->ndirs;
  const int nfft = ctx->nfft, nbins = ctx->nbins;
  AlEncoderEval *ev = g_new0 (AlEncoderEval, 1);
  ev->order = N;
  ev->nsh = nsh;
  ev->nmics = m;
  ev->nbins = nbins;
  ev->band_lo = lo;
  ev->band_hi = hi;
  ev->freqs = g_new (double, nbins);
  ev->spatial_corr = g_new (double, (gsize) nbins * (N + 1));
  ev->level_diff = g_new (double, (gsize) nbins * (N + 1));
  ev->wng = g_new (double, (gsize) nbins * nsh);
  ev->max_amp = g_new (double, nbins);
  ev->ndirs = K;
  ev->dirs = g_memdup2 (set->dirs, sizeof (double) * 2 * K);
  ev->dir_gain = g_new0 (double, K);

  const double complex *H = ctx->H;                                  /* nbins x m x K */
  g_autofree double complex *E = al_encoder_spectra (enc, nfft, AL_SH_N3D); /* nbins x nsh x m */
  g_autofree double *Y = g_new (double, (gsize) K * nsh);
  al_sh_matrix (N, AL_SH_N3D, set->dirs, K, Y);
  g_autofree double complex *Yhat = g_new (double complex, (gsize) nsh * K);
  g_autofree double *P = g_new (double, nsh);
  g_autofree double *Q = g_new0 (double, nsh);
  g_autofree double complex *X = g_new (double complex, nsh);
  g_autofree double *num = g_new0 (double, K);
  int band_bins = 0;
  /* Power of the ideal patterns under the grid's weights: exactly 1 (N3D) on
   * an exact quadrature, close to it on a measured grid; normalising by it
   * keeps ρ = 1 and L = 0 dB for a perfect encoder on any grid. */
  for (int k = 0; k < K; k++)
    for (int c = 0; c < nsh; c++)
      Q[c] += grid->weights[k] * Y[(gsize) k * nsh + c] * Y[(gsize) k * nsh + c];

  for (int b = 0; b < nbins; b++)
    {
      if (b % 64 == 0)
        {
          if (al_progress_cancelled (progress, error))
            {
              al_encoder_eval_free (ev);
              return NULL;
            }
          al_progress_report (progress, (double) b / nbins, "evaluating");
        }
      const double f = b * set->fs / nfft;
      ev->freqs[b] = f;
      const double complex *Eb = E + (gsize) b * nsh * m;
      al_zgemm ('N', 'N', nsh, K, m, 1.0, Eb, H + (gsize) b * m * K, 0.0, Yhat);

      for (int c = 0; c < nsh; c++)
        {
          double p = 0;
          double complex x = 0;
          for (int k = 0; k < K; k++)
            {
              double complex y = Yhat[(gsize) c * K + k];
              p += grid->weights[k] * creal (y * conj (y));
              x += grid->weights[k] * conj (y) * Y[(gsize) k * nsh + c];
            }
          P[c] = p;
          X[c] = x;
          double wng = 0;
          for (int q = 0; q < m; q++)
            wng += creal (Eb[c * m + q] * conj (Eb[c * m + q]));
          ev->wng[(gsize) b * nsh + c] = 10 * log10 (wng + 1e-30);
        }
      for (int n = 0; n <= N; n++)
        {
          double complex sx = 0;
          double sp = 0, sq = 0;
          for (int mm = -n; mm <= n; mm++)
            {
              int c = al_sh_acn (n, mm);
              sx += X[c] / (sqrt (P[c] * Q[c]) + 1e-30);
              sp += P[c];
              sq += Q[c];
            }
          ev->spatial_corr[(gsize) b * (N + 1) + n] = CLAMP (cabs (sx) / (2 * n + 1), 0.0, 1.0);
          ev->level_diff[(gsize) b * (N + 1) + n] = 10 * log10 (sp / sq + 1e-30);
        }

      ev->max_amp[b] = al_encoder_matrix_max_gain_db (Eb, nsh, m);

      if (f >= ev->band_lo && f <= ev->band_hi)
        {
          band_bins++;
          for (int k = 0; k < K; k++)
            for (int c = 0; c < nsh; c++)
              {
                double complex y = Yhat[(gsize) c * K + k];
                num[k] += creal (y * conj (y));
              }
        }
    }

  /* G_k: encoded energy over the band relative to the ideal Σ_c Y_c(k)² per bin. */
  double mean = 0;
  for (int k = 0; k < K; k++)
    {
      double ideal = 0;
      for (int c = 0; c < nsh; c++)
        ideal += Y[(gsize) k * nsh + c] * Y[(gsize) k * nsh + c];
      ev->dir_gain[k] = 10 * log10 ((num[k] + 1e-30) / (ideal * MAX (band_bins, 1)));
      mean += ev->dir_gain[k];
    }
  mean /= K;
  double var = 0;
  for (int k = 0; k < K; k++)
    var += (ev->dir_gain[k] - mean) * (ev->dir_gain[k] - mean);
  ev->dgc = sqrt (var / K);
  al_progress_report (progress, 1.0, "evaluated");
  return ev;
}

/* Weights ∝ 1/f give every octave the same say, as hearing does; a plain
 * mean over linear bins would be ruled by the top octaves. */
static double
band_mean (const AlEncoderEval *ev, const double *table, int n)
{
  double s = 0, wsum = 0;
  for (int b = 0; b < ev->nbins; b++)
    if (ev->freqs[b] >= ev->band_lo && ev->freqs[b] <= ev->band_hi && ev->freqs[b] > 0)
      {
        double w = 1.0 / ev->freqs[b];
        s += w * table[(gsize) b * (ev->order + 1) + n];
        wsum += w;
      }
  return wsum > 0 ? s / wsum : NAN;
}

double
al_encoder_eval_mean_corr (const AlEncoderEval *ev, int n)
{
  return band_mean (ev, ev->spatial_corr, n);
}

double
al_encoder_eval_mean_level (const AlEncoderEval *ev, int n)
{
  return band_mean (ev, ev->level_diff, n);
}
