/* al-design-context.c — per-bin least-squares encoder design, with the work
 * that depends only on the ATF set done once.
 *
 * Per bin, with H (mics x dirs), grid weights W (sum 1) and ideal SH Y (N3D):
 *   C = H W Hᴴ = U Λ Uᴴ,   R = Y W Hᴴ,   E = R U ψ(Λ) Uᴴ
 * Tikhonov: ψ(λ) = 1/(λ + β²), β = 1/(2α) — the per-mode gain s/(s²+β²)
 * never exceeds α = 10^(dB/20).  Soft limit (Bernschütz 2011): the per-mode
 * gain (2α/π)·atan(π/(2α s)) approaches 1/s above and α below the knee.
 * C, U, Λ and R depend only on the set, so a context keeps them and a new
 * gain limit, method or EQ costs a few small matrix products per bin.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-encode-private.h"

#include <math.h>
#include <string.h>

#include "linalg/al-linalg.h"

struct AlDesignContext {
  AlAtfSet *set;      /* layout only (no responses), for checks and provenance */
  int delay;          /* common delay removed before design, samples */
  int fir_len, nfft, nbins, m;
  int max_order, nsh_max;
  double complex *C;  /* nbins x m x m, diffuse coherence H W Hᴴ */
  double complex *U;  /* nbins x m x m, its eigenvectors (columns) */
  double *lambda;     /* nbins x m, its eigenvalues, ascending */
  double complex *R;  /* nbins x nsh_max x m, Y W Hᴴ (N3D) */
};

void
al_design_context_free (AlDesignContext *ctx)
{
  if (ctx == NULL)
    return;
  al_atf_set_free (ctx->set);
  g_free (ctx->C);
  g_free (ctx->U);
  g_free (ctx->lambda);
  g_free (ctx->R);
  g_free (ctx);
}

AlDesignContext *
al_design_context_new (const AlAtfSet *set, int fir_length, int max_order, AlProgress *progress, GError **error)
{
  if (!al_atf_set_validate (set, NULL, error))
    return NULL;
  AlDesignParams probe;
  al_design_params_init (&probe);
  probe.order = max_order;
  probe.fir_length = fir_length;
  probe.allow_high_order = TRUE; /* the order is checked per design */
  g_autoptr (GPtrArray) ignored = g_ptr_array_new_with_free_func (g_free);
  if (!al_encode_check_request (set, &probe, ignored, error))
    return NULL;
  g_autoptr (AlGrid) grid = al_atf_set_grid (set, error);
  if (grid == NULL)
    return NULL;

  g_autoptr (AlDesignContext) ctx = g_new0 (AlDesignContext, 1);
  ctx->set = al_atf_set_copy_layout (set);
  ctx->delay = al_atf_set_common_delay (set);
  ctx->fir_len = fir_length;
  ctx->nfft = 2 * fir_length; /* twice as fine as the filters: see al_encode_spectra_to_fir */
  ctx->nbins = ctx->nfft / 2 + 1;
  ctx->m = set->nmics;
  ctx->max_order = max_order;
  ctx->nsh_max = al_sh_count (max_order);
  const int m = ctx->m, K = set->ndirs, nbins = ctx->nbins, nsh = ctx->nsh_max;

  /* Remove the loudspeaker's propagation delay (and any circular shift) so
   * the inverse filters stay short and causal. */
  al_progress_report (progress, 0.0, "transforming");
  g_autoptr (AlAtfSet) aligned = al_atf_set_aligned (set, ctx->delay, ctx->nfft);
  g_autofree double complex *H = al_atf_set_spectra (aligned, ctx->nfft); /* nbins x m x K */
  g_autofree double complex *Yw = al_encode_weighted_sh (aligned, grid, max_order);
  g_autofree double complex *Hw = g_new (double complex, (gsize) m * K);
  g_autofree double *sw = g_new (double, K);
  for (int k = 0; k < K; k++)
    sw[k] = sqrt (grid->weights[k]);
  ctx->C = g_new (double complex, (gsize) nbins * m * m);
  ctx->U = g_new (double complex, (gsize) nbins * m * m);
  ctx->lambda = g_new (double, (gsize) nbins * m);
  ctx->R = g_new (double complex, (gsize) nbins * nsh * m);

  for (int b = 0; b < nbins; b++)
    {
      if (b % 32 == 0)
        {
          if (al_progress_cancelled (progress, error))
            return NULL;
          al_progress_report (progress, 0.2 + 0.8 * b / nbins, "preparing");
        }
      const double complex *Hb = H + (gsize) b * m * K;
      for (int q = 0; q < m; q++)
        for (int k = 0; k < K; k++)
          Hw[(gsize) q * K + k] = Hb[(gsize) q * K + k] * sw[k];
      double complex *C = ctx->C + (gsize) b * m * m;
      double complex *U = ctx->U + (gsize) b * m * m;
      al_zgemm ('N', 'C', m, m, K, 1.0, Hw, Hw, 0.0, C);
      al_zgemm ('N', 'C', nsh, m, K, 1.0, Yw, Hw, 0.0, ctx->R + (gsize) b * nsh * m);
      memcpy (U, C, sizeof (double complex) * m * m);
      if (!al_eigh_vectors (m, U, ctx->lambda + (gsize) b * m, error))
        {
          g_prefix_error (error, "%s, bin %d (%.0f Hz): ", set->source ? set->source : "ATF set", b,
                          b * set->fs / ctx->nfft);
          return NULL;
        }
    }
  return g_steal_pointer (&ctx);
}

static double
mode_gain_over_s (AlDesignMethod method, double lambda, double alpha)
{
  if (method == AL_DESIGN_SOFTLIMIT)
    {
      double s = sqrt (lambda);
      return 2 * alpha / (G_PI * s) * atan (G_PI / (2 * alpha * s));
    }
  double beta = 1.0 / (2 * alpha);
  return 1.0 / (lambda + beta * beta);
}

AlEncoder *
al_design_context_run (AlDesignContext *ctx, const AlDesignParams *p, AlProgress *progress, GError **error)
{
  if (p->method == AL_DESIGN_TD_LS)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_UNSUPPORTED, "td-ls designs in the time domain, not per bin");
      return NULL;
    }
  if (p->fir_length != ctx->fir_len || p->order > ctx->max_order)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "design context prepared for %d taps and order ≤ %d, asked for %d taps and order %d",
                   ctx->fir_len, ctx->max_order, p->fir_length, p->order);
      return NULL;
    }
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  if (!al_encode_check_request (ctx->set, p, warnings, error))
    return NULL;

  g_autoptr (AlEncoder) enc = al_encode_encoder_new (ctx->set, p, ctx->delay, warnings);
  const int m = ctx->m, nsh = enc->nsh, nbins = ctx->nbins;
  const double alpha = pow (10, p->max_gain_db / 20);
  g_autofree double complex *E = g_new (double complex, (gsize) nbins * nsh * m);
  g_autofree double complex *T = g_new (double complex, (gsize) m * m);
  g_autofree double complex *M = g_new (double complex, (gsize) m * m);

  for (int b = 0; b < nbins; b++)
    {
      if (b % 64 == 0)
        {
          if (al_progress_cancelled (progress, error))
            return NULL;
          al_progress_report (progress, (double) b / nbins, "designing");
        }
      const double complex *U = ctx->U + (gsize) b * m * m;
      const double *lambda = ctx->lambda + (gsize) b * m;
      /* Modes below 1e-14 of the strongest carry no signal: R·u ≈ 0 there. */
      double floor_l = MAX (lambda[m - 1], 1e-300) * 1e-14;
      for (int i = 0; i < m; i++)
        for (int j = 0; j < m; j++)
          T[i * m + j] = U[i * m + j] * mode_gain_over_s (p->method, MAX (lambda[j], floor_l), alpha);
      al_zgemm ('N', 'C', m, m, m, 1.0, T, U, 0.0, M);
      /* R rows are ACN, so the first nsh rows of the max-order R are this order's. */
      al_zgemm ('N', 'N', nsh, m, m, 1.0, ctx->R + (gsize) b * ctx->nsh_max * m, M, 0.0,
                E + (gsize) b * nsh * m);
    }

  if (p->diffuse_eq && enc->diffuse_eq_hz > 0)
    {
      int from = (int) lround (enc->diffuse_eq_hz * ctx->nfft / ctx->set->fs);
      if (from < nbins - 1)
        al_encode_diffuse_equalise (E, ctx->C, nbins, nsh, m, MAX (from, 1));
    }
  enc->max_amp_db = -INFINITY;
  for (int b = 0; b < nbins; b++)
    enc->max_amp_db = MAX (enc->max_amp_db, al_encoder_matrix_max_gain_db (E + (gsize) b * nsh * m, nsh, m));

  al_encode_spectra_to_fir (enc, E, nbins);
  /* Centre arrival sits `margin` samples into the aligned IRs. */
  enc->latency = enc->fir_len / 2 - al_atf_set_delay_margin (ctx->set);
  al_progress_report (progress, 1.0, "designed");
  return g_steal_pointer (&enc);
}
