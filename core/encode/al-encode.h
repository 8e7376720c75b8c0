/* al-encode.h — linear Ambisonics encoders designed from array transfer
 * functions, stored as causal FIR matrices, exported for convolvers and
 * applied to recordings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "array/al-array.h"
#include "base/al-base.h"
#include "sh/al-sh.h"

G_BEGIN_DECLS

typedef enum {
  AL_DESIGN_TIKHONOV,  /* per-bin regularised LS, E = Y W Hᴴ (H W Hᴴ + β² I)⁻¹ */
  AL_DESIGN_SOFTLIMIT, /* per-bin LS with singular values soft-limited (Bernschütz) */
  AL_DESIGN_TD_LS,     /* time-domain LS FIR with a modelling delay */
} AlDesignMethod;

const char *al_design_method_name (AlDesignMethod method);  /* "tikhonov", "softlimit", "td-ls" */
gboolean al_design_method_parse (const char *name, AlDesignMethod *method, GError **error);

typedef struct {
  AlDesignMethod method;
  int order;
  double max_gain_db;     /* gain cap of the inverse, dB (β = 1/(2α), α = 10^(dB/20)) */
  gboolean diffuse_eq;    /* hold each channel's diffuse-field power above the transition */
  double diffuse_eq_hz;   /* transition; <= 0: the aliasing frequency c·N/(2πr) */
  int fir_length;         /* taps; per-bin methods design on an FFT of 2·fir_length */
  AlShNorm norm;          /* of the output channels */
  gboolean allow_high_order; /* design even when (N+1)² exceeds the number of mics */
} AlDesignParams;

/* Defaults: tikhonov, order 1, 15 dB, no EQ, 1024 taps, SN3D. */
void al_design_params_init (AlDesignParams *params);

typedef struct {
  char *name;
  AlDesignParams params;
  double fs;
  int nsh, nmics, fir_len;
  float *fir;             /* nsh x nmics x fir_len */
  int latency;            /* samples from the array-centre arrival to the output */
  double atf_delay;       /* common delay removed from the ATFs before design, samples */
  double diffuse_eq_hz;   /* transition used (0 when off) */
  double max_amp_db;      /* max over frequency of 10·log10 λmax(EᴴE) (N3D) */
  char *atf_source;       /* ATF file the design came from */
  char *created;          /* ISO 8601 */
  GPtrArray *warnings;    /* char*: things a user should know (order above what the array supports, …) */
} AlEncoder;

void al_encoder_free (AlEncoder *enc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlEncoder, al_encoder_free)

/* Signals from `name` (a file or an ATF set) fit the encoder: same number of
 * channels as mics, same sample rate; else AL_ERROR_MISMATCH saying so. */
gboolean al_encoder_check_input (const AlEncoder *enc, const char *name, int nchannels, double fs, GError **error);

/* 10·log10 λmax(EᴴE) of one bin's matrix E (nsh x m): the largest power gain
 * any mic signal sees. */
double al_encoder_matrix_max_gain_db (const double complex *E, int nsh, int m);

/* enc.json → enc.wav: where an encoder's filters live. */
char *al_encoder_filters_path (const char *json_path);

/* Highest order an array of this many mics can resolve: floor(√nmics) − 1. */
int al_encoder_supported_order (int nmics);

AlEncoder *al_encoder_design (const AlAtfSet *set, const AlDesignParams *params,
                              AlProgress *progress, GError **error);

/* A prepared ATF set for repeated per-bin designs (the Design page changes
 * the gain limit, method or EQ many times on the same set): the set's grid,
 * common delay, per-bin diffuse coherence H W Hᴴ with its eigen-decomposition
 * and Y W Hᴴ up to `max_order` are computed once.  Designs from it are
 * identical to al_encoder_design's.  Not for td-ls (time domain). */
typedef struct AlDesignContext AlDesignContext;
AlDesignContext *al_design_context_new (const AlAtfSet *set, int fir_length, int max_order,
                                        AlProgress *progress, GError **error);
void al_design_context_free (AlDesignContext *ctx);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlDesignContext, al_design_context_free)
/* params->fir_length must equal the context's and params->order be <= max_order. */
AlEncoder *al_design_context_run (AlDesignContext *ctx, const AlDesignParams *params,
                                  AlProgress *progress, GError **error);

/* Per-bin complex matrices of an encoder (from its FIRs): nbins x nsh x nmics
 * at nfft/2+1 bins, in normalisation `norm`. */
double complex *al_encoder_spectra (const AlEncoder *enc, int nfft, AlShNorm norm);

/* <name>.json sidecar + <name>.wav (float32; channels = ACN outputs, each
 * holding the nmics filters one after another: SPARTA MatrixConv layout). */
gboolean al_encoder_save (const AlEncoder *enc, const char *json_path, GError **error);
AlEncoder *al_encoder_load (const char *json_path, GError **error);
/* IEM mcfx_convolver / jconvolver configuration that reads the saved WAV. */
gboolean al_encoder_export_mcfx (const AlEncoder *enc, const char *conf_path,
                                 const char *wav_name, GError **error);

/* Mic recording (any libsndfile format) → Ambisonics WAV, streaming.
 * compensate_latency: drop the first `latency` samples so the output lines up
 * with the input (same length). */
gboolean al_encoder_apply_file (const AlEncoder *enc, const char *in_path, const char *out_path,
                                gboolean compensate_latency, AlProgress *progress, GError **error);

G_END_DECLS
