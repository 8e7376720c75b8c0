/* al-design-td.c — time-domain least-squares FIR encoder with a modelling
 * delay (the physics-informed prior of Flow-HOA):
 *   min_h Σ_k w_k ‖Σ_q h_cq * d_kq − Y_c(k) δ(· − τ)‖² + γ ‖h_c‖²
 * for each SH channel c.  The normal equations are block-Toeplitz in the
 * weighted cross-correlations of the ATFs; they are shared by all channels,
 * so one factorisation serves every right-hand side.  γ = β² = 1/(4α²), the
 * same cap as the per-bin Tikhonov design (the Toeplitz spectrum of the
 * correlation matrix is H W Hᴴ).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-encode-private.h"

#include <math.h>
#include <string.h>

#include "dsp/al-dsp.h"
#include "linalg/al-linalg.h"

/* Largest system (mics x taps) solved densely: 8192² doubles = 512 MiB. */
#define TD_LS_MAX_UNKNOWNS 8192

/* rho: m x m x (2L−1), rho[(q*m + p)*(2L−1) + (l + L − 1)] = Σ_k w_k Σ_n d_kq[n] d_kp[n + l] */
static double *
weighted_correlations (const AlAtfSet *set, const AlGrid *grid, int L)
{
  const int m = set->nmics, K = set->ndirs, Ld = set->ir_len;
  const int nfft = al_fft_good_size (Ld + L);
  const int nbins = nfft / 2 + 1;
  g_autofree double complex *D = al_atf_set_spectra (set, nfft); /* nbins x m x K */
  g_autofree double complex *S = g_new (double complex, nbins);
  g_autofree double *r = g_new (double, nfft);
  double *rho = g_new (double, (gsize) m * m * (2 * L - 1));
  AlFft *fft = al_fft_new (nfft);
  for (int q = 0; q < m; q++)
    for (int p = 0; p < m; p++)
      {
        for (int b = 0; b < nbins; b++)
          {
            const double complex *Db = D + (gsize) b * m * K;
            double complex acc = 0;
            for (int k = 0; k < K; k++)
              acc += grid->weights[k] * conj (Db[(gsize) q * K + k]) * Db[(gsize) p * K + k];
            S[b] = acc;
          }
        al_fft_inverse (fft, S, r);
        double *dst = rho + ((gsize) q * m + p) * (2 * L - 1);
        for (int l = -(L - 1); l <= L - 1; l++)
          dst[l + L - 1] = r[(l + nfft) % nfft];
      }
  al_fft_free (fft);
  return rho;
}

/* Diffuse-field EQ of finished FIRs: per-bin channel gains on a grid twice
 * as fine as the filters, back to the time domain, cut to the original
 * length with a short fade (the gains are smooth, so little spills out). */
static void
diffuse_equalise_fir (AlEncoder *enc, const AlAtfSet *set, const AlGrid *grid)
{
  const int m = enc->nmics, nsh = enc->nsh, L = enc->fir_len, K = set->ndirs;
  const int nfft = al_fft_good_size (MAX (2 * L, set->ir_len));
  const int nbins = nfft / 2 + 1;
  g_autofree double complex *E = al_encoder_spectra (enc, nfft, AL_SH_N3D);
  g_autofree double complex *H = al_atf_set_spectra (set, nfft);
  g_autofree double complex *Gamma = g_new (double complex, (gsize) nbins * m * m);
  g_autofree double complex *Hw = g_new (double complex, (gsize) m * K);
  for (int b = 0; b < nbins; b++)
    {
      for (int q = 0; q < m; q++)
        for (int k = 0; k < K; k++)
          Hw[(gsize) q * K + k] = H[((gsize) b * m + q) * K + k] * sqrt (grid->weights[k]);
      al_zgemm ('N', 'C', m, m, K, 1.0, Hw, Hw, 0.0, Gamma + (gsize) b * m * m);
    }
  int from = (int) lround (enc->diffuse_eq_hz * nfft / set->fs);
  if (from >= nbins - 1)
    return;
  al_encode_diffuse_equalise (E, Gamma, nbins, nsh, m, MAX (from, 1));

  AlFft *fft = al_fft_new (nfft);
  g_autofree double complex *spec = g_new (double complex, nbins);
  g_autofree double *h = g_new (double, nfft);
  for (int c = 0; c < nsh; c++)
    {
      double scale = al_sh_norm_factor (al_sh_degree_of (c), AL_SH_N3D, enc->params.norm);
      for (int q = 0; q < m; q++)
        {
          for (int b = 0; b < nbins; b++)
            spec[b] = E[((gsize) b * nsh + c) * m + q];
          al_fft_inverse (fft, spec, h);
          al_apply_fades (h, L, 0, MAX (L / 16, 1));
          float *dst = enc->fir + ((gsize) c * m + q) * L;
          for (int i = 0; i < L; i++)
            dst[i] = (float) (h[i] * scale);
        }
    }
  al_fft_free (fft);
}

gboolean
al_encode_design_td_ls (AlEncoder *enc, const AlAtfSet *set, const AlGrid *grid,
                        AlProgress *progress, GError **error)
{
  const int m = set->nmics, K = set->ndirs, Ld = set->ir_len;
  const int L = enc->fir_len, nsh = enc->nsh, n = m * L;
  const int tau = L / 2;
  if (n > TD_LS_MAX_UNKNOWNS)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "td-ls: %d microphones × %d taps = %d unknowns exceeds %d; "
                   "use a shorter FIR length or the tikhonov method",
                   m, L, n, TD_LS_MAX_UNKNOWNS);
      return FALSE;
    }

  al_progress_report (progress, 0.05, "correlating");
  g_autofree double *rho = weighted_correlations (set, grid, L);
  if (al_progress_cancelled (progress, error))
    return FALSE;

  const double alpha = pow (10, enc->params.max_gain_db / 20);
  const double gamma = 1.0 / (4 * alpha * alpha);
  g_autofree double *A = g_new (double, (gsize) n * n);
  for (int q = 0; q < m; q++)
    for (int i = 0; i < L; i++)
      {
        double *row = A + ((gsize) q * L + i) * n;
        for (int p = 0; p < m; p++)
          {
            const double *r = rho + ((gsize) q * m + p) * (2 * L - 1);
            for (int j = 0; j < L; j++)
              row[p * L + j] = r[(i - j) + L - 1]; /* ρ_qp[i − j] */
          }
        row[q * L + i] += gamma;
      }

  /* Right-hand sides: B[(q,i), c] = Σ_k w_k Y_c(k) d_kq[τ − i]. */
  g_autofree double *Y = g_new (double, (gsize) K * nsh);
  al_sh_matrix (enc->params.order, AL_SH_N3D, set->dirs, K, Y);
  g_autofree double *B = g_new0 (double, (gsize) n * nsh);
  for (int k = 0; k < K; k++)
    for (int q = 0; q < m; q++)
      {
        const double *d = set->ir + ((gsize) k * m + q) * Ld;
        for (int i = 0; i < L; i++)
          {
            int t = tau - i;
            if (t < 0 || t >= Ld)
              continue;
            double v = grid->weights[k] * d[t];
            for (int c = 0; c < nsh; c++)
              B[((gsize) q * L + i) * nsh + c] += v * Y[(gsize) k * nsh + c];
          }
      }

  al_progress_report (progress, 0.3, "solving");
  if (!al_solve_real (n, nsh, A, B, error))
    {
      g_prefix_error (error, "td-ls: ");
      return FALSE;
    }
  for (int c = 0; c < nsh; c++)
    {
      double scale = al_sh_norm_factor (al_sh_degree_of (c), AL_SH_N3D, enc->params.norm);
      for (int q = 0; q < m; q++)
        for (int i = 0; i < L; i++)
          enc->fir[((gsize) c * m + q) * L + i] = (float) (B[((gsize) q * L + i) * nsh + c] * scale);
    }
  enc->latency = tau;
  if (enc->params.diffuse_eq && enc->diffuse_eq_hz > 0)
    diffuse_equalise_fir (enc, set, grid);

  /* Maximum amplification from the filters' own spectra. */
  g_autofree double complex *E = al_encoder_spectra (enc, L, AL_SH_N3D);
  enc->max_amp_db = -INFINITY;
  for (int b = 0; b < L / 2 + 1; b++)
    enc->max_amp_db = MAX (enc->max_amp_db, al_encoder_matrix_max_gain_db (E + (gsize) b * nsh * m, nsh, m));
  return TRUE;
}
