/* al-metrics-private.h — shared internals of the signal metrics: checking
 * and aligning signal pairs, reading one channel at a time (so memory stays
 * one channel long), STFT settings and band summaries.  Not installed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "al-metrics.h"

#include <complex.h>

#include "dsp/al-dsp.h"
#include <pango/pangocairo.h>

G_BEGIN_DECLS

/* Checks one signal view; what names it in messages ("estimate"). */
gboolean al_metrics_check_signals (const AlShSignals *s, const char *what, GError **error);
/* The name a message uses for s: its own name, else what. */
const char *al_metrics_signal_name (const AlShSignals *s, const char *what);

/* An estimate/reference pair aligned by their latencies: sample
 * est_off + t of the estimate faces ref_off + t of the reference for
 * t < n.  gain[c] takes the estimate into the reference's normalisation. */
typedef struct {
  const AlShSignals *est, *ref;
  int nch;
  double fs;
  gsize est_off, ref_off, n;
  double *gain; /* nch */
} AlSignalPair;

gboolean al_signal_pair_init (AlSignalPair *pair, const AlShSignals *est, const AlShSignals *ref,
                              GError **error);
void al_signal_pair_clear (AlSignalPair *pair);

/* Samples [off, off+n) of channel c, times gain, into out (float or
 * double); fails on NaN/Inf naming the signal, channel and sample. */
gboolean al_metrics_read_float (const AlShSignals *s, const char *what, int c, gsize off, gsize n,
                                double gain, float *out, GError **error);
gboolean al_metrics_read_double (const AlShSignals *s, const char *what, int c, gsize off, gsize n,
                                 double gain, double *out, GError **error);
/* Both channels of a pair, aligned (n samples each). */
gboolean al_signal_pair_read_float (const AlSignalPair *pair, int c, float *est, float *ref, GError **error);
gboolean al_signal_pair_read_double (const AlSignalPair *pair, int c, double *est, double *ref, GError **error);

/* STFT frame/hop for fs from the options (0: 768/384 at 48 kHz). */
gboolean al_metrics_stft_params (int frame, int hop, double fs, int *frame_out, int *hop_out, GError **error);
/* Band from the options (<= 0: 50 Hz, fs/2), checked. */
gboolean al_metrics_band (double lo, double hi, double fs, double *lo_out, double *hi_out, GError **error);

/* A new AlSpectralMetric with freqs filled and per_channel zeroed. */
AlSpectralMetric *al_spectral_metric_alloc (int nch, int frame, int hop, double fs, double band_lo,
                                            double band_hi);
/* Fills combined, channel_mean, mean and mean_octave from per_channel. */
void al_spectral_metric_summarise (AlSpectralMetric *m);

/* A pair with the STFTs of one channel at a time, for items 1, 2 and 8. */
typedef struct {
  AlSignalPair pair;
  AlStft *stft;
  int frame, hop, nbins, nframes;
  double band_lo, band_hi;
  float *est_buf, *ref_buf;   /* pair.n samples */
  float complex *E, *B;       /* nframes x nbins: STFTs of the estimate and the reference */
} AlStftPair;

gboolean al_stft_pair_init (AlStftPair *sp, const AlShSignals *est, const AlShSignals *ref,
                            const AlMetricOptions *opt, GError **error);
void al_stft_pair_clear (AlStftPair *sp);
/* STFTs of channel c into E and B (only B when est_too is FALSE). */
gboolean al_stft_pair_channel (AlStftPair *sp, int c, gboolean est_too, GError **error);
/* Largest |B| over all channels, frames and bins (the reference's peak
 * that the floors of items 2 and 8 are relative to). */
gboolean al_stft_pair_ref_peak (AlStftPair *sp, double *peak, GError **error);
/* A new AlSpectralMetric for the pair's STFT, per_channel zeroed. */
AlSpectralMetric *al_stft_pair_metric (const AlStftPair *sp);

/* Covariance R = Σ_t b bᵀ (nch x nch) of channels [0, nch) of b from sample
 * b->latency on: broadband from the time signals, or over the STFT bins in
 * [band_lo, band_hi] scaled to match the time-domain sum. */
gboolean al_metrics_covariance (const AlShSignals *b, int nch, gboolean band, double band_lo,
                                double band_hi, int frame, int hop, double *R, GError **error);

/* Figure text (Pango, "Sans"): size in user units. */
PangoLayout *al_figure_layout (cairo_t *cr, double size, PangoWeight weight);
void al_figure_text_size (PangoLayout *layout, const char *text, double *width, double *height);
/* Draws text with the point (ax, ay) of its box (fractions, 0 = left/top) at (x, y), rotated by angle. */
void al_figure_text_draw (cairo_t *cr, PangoLayout *layout, const char *text, double x, double y, double ax,
                          double ay, double angle);

G_END_DECLS
