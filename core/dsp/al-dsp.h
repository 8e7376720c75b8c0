/* al-dsp.h — FFTs with cached plans, STFT, partitioned convolution, windows, fractional delay.
 *
 * Shapes are written as "rows x cols, row-major".  Complex data use C99
 * `double complex` / `float complex`, which share FFTW's memory layout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <complex.h>
#include <glib.h>
#include <stddef.h>

G_BEGIN_DECLS

/* ---- Real FFT of size n (any n >= 1); plans are created once per size and
 * cached; creation is thread-safe, execution of one AlFft is not (use one per
 * thread, they are cheap because the plan is shared). ---- */
typedef struct AlFft AlFft;   /* double precision */
typedef struct AlFftf AlFftf; /* single precision */

AlFft *al_fft_new (int n);
void al_fft_free (AlFft *fft);
int al_fft_size (const AlFft *fft);
/* in: n real samples; out: n/2+1 bins (unnormalised forward transform). */
void al_fft_forward (AlFft *fft, const double *in, double complex *out);
/* in: n/2+1 bins; out: n samples, scaled by 1/n so inverse(forward(x)) == x. */
void al_fft_inverse (AlFft *fft, const double complex *in, double *out);

AlFftf *al_fftf_new (int n);
void al_fftf_free (AlFftf *fft);
int al_fftf_size (const AlFftf *fft);
void al_fftf_forward (AlFftf *fft, const float *in, float complex *out);
void al_fftf_inverse (AlFftf *fft, const float complex *in, float *out);

/* Smallest size >= n with only factors 2, 3, 5 (fast for FFTW). */
int al_fft_good_size (int n);

/* ---- Windows ---- */
/* Hann; periodic = TRUE gives the DFT-even window used for STFTs. */
void al_window_hann (double *w, int n, gboolean periodic);
/* Tukey window with `ratio` of the length tapered (0 = rectangular, 1 = Hann). */
void al_window_tukey (double *w, int n, double ratio);
/* Multiply x[0..n) by a half-Hann fade-in over its first `fade_in` samples
 * and a half-Hann fade-out over its last `fade_out` samples: gain
 * sin²(pi j / (2 fade)) at j samples from the end, so the very first and
 * last samples become 0 and the gain reaches 1 just outside the fade. */
void al_apply_fades (double *x, int n, int fade_in, int fade_out);

/* ---- Fractional delay: windowed-sinc FIR of length `len` (even or odd)
 * that delays by `delay` samples (0 <= delay <= len-1), Blackman window,
 * unit DC gain.  An integer delay gives an exact impulse.  A fractional delay
 * is accurate only near the middle ((len-1)/2 ± a few samples): len = 64 stays
 * within 1e-3 of the ideal delay up to 0.4·fs there. ---- */
void al_fractional_delay_fir (double delay, int len, double *h);

/* ---- STFT with a periodic Hann analysis window, frame length `frame`, hop
 * `hop` (frame/hop an integer >= 2).  Framing: frame t covers samples
 * [t*hop - (frame-hop), t*hop + hop), i.e. the signal is padded with frame-hop
 * zeros in front; nframes = ceil((nsamples + frame - hop) / hop).
 * al_stft_inverse(al_stft_forward(x)) reproduces x exactly (weighted
 * overlap-add normalised by the summed squared window). ---- */
typedef struct AlStft AlStft; /* like AlFft: one per thread */
AlStft *al_stft_new (int frame, int hop);
void al_stft_free (AlStft *stft);
/* For settings read from files: FALSE (AL_ERROR_INVALID_INPUT) unless
 * frame/hop is an integer >= 2.  al_stft_new treats bad settings as a
 * programmer error. */
gboolean al_stft_check_params (int frame, int hop, GError **error);
int al_stft_frame (const AlStft *stft);
int al_stft_hop (const AlStft *stft);
int al_stft_nbins (const AlStft *stft);                    /* frame/2 + 1 */
int al_stft_nframes (const AlStft *stft, size_t nsamples);
/* X: nframes x nbins */
void al_stft_forward (AlStft *stft, const float *x, size_t nsamples, float complex *X);
/* y: nsamples (the length the STFT was computed from).  Given fewer than
 * al_stft_nframes frames, samples after the last frame are 0. */
void al_stft_inverse (AlStft *stft, const float complex *X, int nframes, float *y, size_t nsamples);

/* ---- Multichannel FIR matrix convolution y_o = sum_i h_{o,i} * x_i by
 * uniformly partitioned overlap-save (frequency-domain delay line): memory is
 * constant, cost per block is independent of the signal length.  Output is
 * aligned with the input (no added delay: y[n] = sum_k h[k] x[n-k]).
 * process() takes exactly `block` samples per channel. ---- */
typedef struct AlConvolver AlConvolver; /* stateful: one per stream/thread */
/* firs: n_out x n_in x fir_len (copied) */
AlConvolver *al_convolver_new (int n_in, int n_out, int fir_len, const float *firs, int block);
void al_convolver_free (AlConvolver *conv);
int al_convolver_block (const AlConvolver *conv);
/* in: n_in pointers to `block` samples; out: n_out pointers to `block` samples. */
void al_convolver_process (AlConvolver *conv, const float *const *in, float *const *out);
void al_convolver_reset (AlConvolver *conv);

/* Reference direct-form convolution for tests and benchmarks:
 * y (n_out x nsamples) = firs (n_out x n_in x fir_len) applied to x (n_in x nsamples), planar. */
void al_convolve_direct (int n_in, int n_out, int fir_len, const float *firs,
                         const float *x, size_t nsamples, float *y);

G_END_DECLS
