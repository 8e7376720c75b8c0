/* al-eval.h — metrics of encoders (DESIGN.md §5).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "encode/al-encode.h"

G_BEGIN_DECLS

/* Encoder-on-ATF evaluation (DESIGN.md §5 items 7 and 9) over the set's own
 * grid, with its Voronoi weights (uniform grids give SAF's 1/K). */
typedef struct {
  int order, nsh, nmics;
  int nbins;
  double *freqs;        /* nbins, Hz */
  double *spatial_corr; /* nbins x (order+1), ρ_n(f) in [0,1] */
  double *level_diff;   /* nbins x (order+1), L_n(f) dB, 0 ideal */
  double *wng;          /* nbins x nsh, 10·log10 Σ_q |E_cq|² (N3D; 0 dB = one mic at unit gain) */
  double *max_amp;      /* nbins, 10·log10 λmax(EᴴE) dB (N3D) */
  int ndirs;
  double *dirs;         /* ndirs x 2 (rad) */
  double *dir_gain;     /* ndirs, G_k dB over [band_lo, band_hi] */
  double dgc;           /* std over k of G_k, dB */
  double band_lo, band_hi; /* Hz, band of the scalar summaries and DGC */
} AlEncoderEval;

void al_encoder_eval_free (AlEncoderEval *ev);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlEncoderEval, al_encoder_eval_free)

/* A prepared ATF set for evaluating many encoders with the same filter
 * length (the Design page): grid and spectra computed once; results are
 * identical to al_encoder_evaluate's. */
typedef struct AlEvalContext AlEvalContext;
AlEvalContext *al_eval_context_new (const AlAtfSet *set, int fir_length, AlProgress *progress, GError **error);
void al_eval_context_free (AlEvalContext *ctx);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlEvalContext, al_eval_context_free)
AlEncoderEval *al_eval_context_evaluate (AlEvalContext *ctx, const AlEncoder *enc, double band_lo, double band_hi,
                                         AlProgress *progress, GError **error);

/* band_hi <= 0: min(16 kHz, fs/2); band_lo <= 0: 100 Hz. */
AlEncoderEval *al_encoder_evaluate (const AlEncoder *enc, const AlAtfSet *set,
                                    double band_lo, double band_hi,
                                    AlProgress *progress, GError **error);

/* Octave-weighted (∝ 1/f) means over the bins in [band_lo, band_hi] of ρ_n and L_n. */
double al_encoder_eval_mean_corr (const AlEncoderEval *ev, int n);
double al_encoder_eval_mean_level (const AlEncoderEval *ev, int n);

/* Writes metrics.json, spatial_correlation.csv, level_difference.csv,
 * wng.csv, directional_gain.csv and figures (PNG + PDF) into dir. */
gboolean al_encoder_eval_write (const AlEncoderEval *ev, const AlEncoder *enc, const char *dir,
                                GError **error);

G_END_DECLS
