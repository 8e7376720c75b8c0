/* al-measure.h — the hardware-independent signal chain of an ATF measurement:
 * sweeps, linear deconvolution, harmonic-distortion separation, IR windows,
 * loopback latency and clock drift, quality checks, averaging, and a
 * simulated anechoic chamber that stands in for an audio interface.
 *
 * Time bases.  A played buffer is pre-silence, sweep, post-silence; the
 * recording of a channel starts with the first played sample.  "Lag 0" is the
 * first sample of the sweep (played sample n_pre); a loopback with latency D
 * deconvolves to a peak at lag D, the harmonic IR of order k sits at
 * lag D − L·fs·ln k (before the linear IR).
 *
 * Levels.  dBFS = 20·log10 of an amplitude (peak) or rms re 1.0, so a
 * full-scale sine reads 0 dBFS peak and −3.01 dBFS rms.
 *
 * Signals are float (what audio interfaces deliver); deconvolution and
 * everything after it run in double.  Channel numbers in messages are 1-based
 * ("channel 3" is index 2).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <complex.h>
#include "array/al-array.h"
#include "base/al-base.h"
#include "io/al-io.h"

G_BEGIN_DECLS

/* ======================================================================
 * Sweeps (Novak synchronized ESS, Farina ESS)
 * ====================================================================== */

typedef enum {
  AL_SWEEP_SYNC,   /* Novak: x(t) = sin(2π f1 L e^{t/L}), f1·L an integer */
  AL_SWEEP_FARINA, /* Farina: x(t) = sin(2π f1 L (e^{t/L} − 1)), L = T / ln(f2/f1) */
} AlSweepKind;

const char *al_sweep_kind_name (AlSweepKind kind); /* "sync", "farina" */

typedef struct {
  AlSweepKind kind;
  double f1, f2;       /* Hz, 0 < f1 < f2 < fs/2 */
  double duration;     /* requested duration T̂ (s); sync sweeps round L so f1·L is an integer */
  double fs;           /* Hz */
  double level_dbfs;   /* peak level, <= 0 */
  double fade_in_oct;  /* half-Hann fade-in over this many octaves of sweep time */
  double fade_out_oct; /* half-Hann fade-out, octaves (1/24 ≈ 4 ms at L = 0.15 s) */
  double pre_s;        /* silence before the sweep: noise-floor window and room for latency */
  double post_s;       /* silence after: room for latency, the IR and its decay */
} AlSweepParams;

/* sync, 20 Hz – 22 kHz, 3 s, 48 kHz, −6 dBFS, fade-in ½ octave, fade-out
 * 1/24 octave, 0.3 s before, 0.5 s after. */
void al_sweep_params_init (AlSweepParams *params);
/* "f1=20,f2=22000,T=3": comma-separated KEY=VALUE, keys f1, f2 (Hz), T
 * (or duration, s), fs (Hz), level (dBFS peak), fade_in, fade_out (octaves),
 * pre, post (s), type (sync | farina).  Missing keys keep their defaults
 * (f2: 22 kHz or 0.45·fs, whichever is lower).  Unknown or repeated keys,
 * non-numbers and out-of-range values fail (AL_ERROR_INVALID_INPUT) with a
 * message quoting the spec and naming the key. */
gboolean al_sweep_params_parse (const char *spec, AlSweepParams *params, GError **error);
/* Range checks of al_sweep_params_parse, for parameters built in code. */
gboolean al_sweep_params_check (const AlSweepParams *params, GError **error);
/* The canonical spec (every key, shortest round-trip numbers). */
char *al_sweep_params_to_string (const AlSweepParams *params);

typedef struct {
  AlSweepParams params;
  double L;            /* sweep rate (s): f(t) = f1·e^{t/L} */
  double T;            /* actual duration (s): to the last zero crossing at or before L·ln(f2/f1) */
  double amplitude;    /* linear peak, 10^(level/20) */
  double fade_in_s, fade_out_s;
  int n_pre, n_sweep, n_post;
  int n_total;         /* n_pre + n_sweep + n_post */
  double *signal;      /* n_total: the buffer to play (silence, sweep, silence) */
} AlSweep;

AlSweep *al_sweep_new (const AlSweepParams *params, GError **error);
AlSweep *al_sweep_new_from_spec (const char *spec, GError **error);
void al_sweep_free (AlSweep *sweep);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlSweep, al_sweep_free)
/* The sweep in continuous time, t seconds after its start, with fades and
 * level; 0 outside [0, T]. */
double al_sweep_eval (const AlSweep *sweep, double t);
/* Instantaneous frequency f1·e^{t/L}. */
double al_sweep_frequency_at (const AlSweep *sweep, double t);
/* Lag of the harmonic IR of order k relative to the linear IR: −L·fs·ln k samples. */
double al_sweep_harmonic_lag (const AlSweep *sweep, int k);
/* The played buffer (n_total samples) delayed by `delay` samples (any real
 * value), evaluated in continuous time: an exact fractional delay. */
void al_sweep_render (const AlSweep *sweep, double delay, double *out);
/* The played buffer as float32 for an audio backend (g_free it). */
float *al_sweep_signal_float (const AlSweep *sweep);
/* Farina's time-domain inverse filter, n_sweep taps: the unit-level sweep
 * reversed in time with the envelope e^{−t/L} (−6.02 dB per octave),
 * scaled so that sweep * inverse has in-band magnitude 1 (numerically, the
 * median over [2 f1, f2/2]) for the sweep at its level.  g_free it. */
double *al_sweep_farina_inverse (const AlSweep *sweep);

/* ======================================================================
 * Recordings (planar float, one row per input channel)
 * ====================================================================== */

typedef struct {
  double fs;
  int nchannels;
  int nframes;
  float *data;         /* nchannels x nframes, planar */
} AlRecording;

AlRecording *al_recording_new (double fs, int nchannels, int nframes);
AlRecording *al_recording_copy (const AlRecording *rec);
void al_recording_free (AlRecording *rec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlRecording, al_recording_free)
static inline float *
al_recording_channel (const AlRecording *rec, int ch)
{
  return rec->data + (size_t) ch * rec->nframes;
}
/* Interleaved AlAudio (a WAV file) <-> planar. */
AlRecording *al_recording_from_audio (const AlAudio *audio, GError **error);
AlAudio *al_recording_to_audio (const AlRecording *rec);
/* Sample-wise mean of n repeated recordings of the same sweep (synchronous
 * averaging: noise drops by 10·log10 n dB when the system is time-invariant).
 * Sample rate, channel count and length must agree (AL_ERROR_MISMATCH). */
AlRecording *al_recording_average (AlRecording *const *recs, int n, GError **error);

/* ======================================================================
 * Deconvolution (linear, all methods land harmonics at negative lags)
 * ====================================================================== */

typedef enum {
  AL_DECONV_REGULARISED, /* Y·conj(X) / (|X|² + ε(f)): ε ≈ 0 in [f_lo, f_hi], max|X|² outside (Kirkeby) */
  AL_DECONV_NOVAK,       /* Y·X⁻¹(f) with Novak's analytic inverse spectrum, band-limited */
  AL_DECONV_FARINA,      /* linear convolution with al_sweep_farina_inverse */
} AlDeconvMethod;

const char *al_deconv_method_name (AlDeconvMethod method); /* "regularised", "novak", "farina" */
gboolean al_deconv_method_parse (const char *name, AlDeconvMethod *method, GError **error);

typedef struct {
  AlDeconvMethod method;
  double f_lo, f_hi;   /* band where the inverse is exact; <= 0: the sweep's f1 / f2 */
} AlDeconvParams;

void al_deconv_params_init (AlDeconvParams *params); /* regularised, the sweep's band */

/* The full linear deconvolution of one channel: lags −zero … len−zero−1.
 * Negative lags hold the harmonic IRs; lags >= rec_len − n_pre are empty. */
typedef struct {
  double fs;
  int len;
  int zero;            /* index of lag 0 */
  double *h;           /* len */
} AlRawIr;

AlRawIr *al_raw_ir_new (double fs, int len, int zero);
void al_raw_ir_free (AlRawIr *raw);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlRawIr, al_raw_ir_free)
/* Band-limited value at a (fractional) lag: periodic sinc interpolation
 * evaluated from the spectrum (O(len); for peaks and tests, not bulk use). */
double al_raw_ir_value_at (const AlRawIr *raw, double lag);

/* Precomputed inverse for one sweep and one recording length (immutable after
 * creation, so al_deconvolver_run may be called from several threads). */
typedef struct AlDeconvolver AlDeconvolver;

/* rec_len: samples per recorded channel; 0 means sweep->n_total.  It must
 * hold the whole sweep (>= n_pre + n_sweep).  The FFT length is
 * al_fft_good_size (rec_len + n_sweep), so nothing wraps (linear, not
 * circular, deconvolution).  The inverse is normalised numerically: a
 * loopback of the sweep has median |H| = 1 over [2 f1, f2/2]. */
AlDeconvolver *al_deconvolver_new (const AlSweep *sweep, const AlDeconvParams *params,
                                   int rec_len, GError **error);
void al_deconvolver_free (AlDeconvolver *deconv);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlDeconvolver, al_deconvolver_free)
int al_deconvolver_rec_len (const AlDeconvolver *deconv);
int al_deconvolver_fft_len (const AlDeconvolver *deconv);
double al_deconvolver_fs (const AlDeconvolver *deconv);
/* The numerical normalisation that was applied, dB (≈ 0 for the analytic
 * Novak inverse: a check that the formula and its scale are right). */
double al_deconvolver_norm_db (const AlDeconvolver *deconv);
/* The inverse spectrum, fft_len/2+1 bins (for tests and plots). */
const double complex *al_deconvolver_inverse (const AlDeconvolver *deconv);
/* One channel of rec_len samples -> its raw IR.  Thread-safe. */
AlRawIr *al_deconvolver_run (const AlDeconvolver *deconv, const float *rec);
AlRawIr *al_deconvolver_run_double (const AlDeconvolver *deconv, const double *rec);
/* Every channel of a recording, nthreads workers (0: one per processor, at
 * most 16); returns rec->nchannels raw IRs (free each, then g_free). */
AlRawIr **al_deconvolver_run_all (const AlDeconvolver *deconv, const AlRecording *rec, int nthreads,
                                  AlProgress *progress, GError **error);

/* ======================================================================
 * IR windows
 * ====================================================================== */

typedef enum {
  AL_IR_WINDOW_RECTANGULAR, /* plain truncation, fades ignored */
  AL_IR_WINDOW_HANN,        /* flat with half-Hann fade-in and fade-out */
} AlIrWindowType;

const char *al_ir_window_type_name (AlIrWindowType type); /* "rectangular", "hann" */
gboolean al_ir_window_type_parse (const char *name, AlIrWindowType *type, GError **error);

/* A window as applied (record it with the IRs): samples [start, start+length)
 * relative to a reference lag (the latency, or a harmonic's position). */
typedef struct {
  AlIrWindowType type;
  int start;           /* samples relative to the reference lag, usually < 0 (pre-ringing) */
  int length;
  int fade_in;         /* samples, inside the length */
  int fade_out;
} AlIrWindow;

gboolean al_ir_window_check (const AlIrWindow *window, GError **error);
/* Gains of the window, length values. */
void al_ir_window_gains (const AlIrWindow *window, double *gains);
/* out[i] = h(lag + start + i)·gain[i], i < length, with h interpolated
 * band-limited when lag is fractional.  Fails (AL_ERROR_INVALID_INPUT) when
 * the window leaves the raw IR's lags. */
gboolean al_ir_window_extract (const AlRawIr *raw, double lag, const AlIrWindow *window,
                               double *out, GError **error);

/* ======================================================================
 * Harmonic distortion
 * ====================================================================== */

#define AL_MAX_HARMONIC 16

typedef enum {
  /* Conventional THD vs the fundamental frequency f0: |H_k(k f0)| / |H_1(f0)|
   * (what a flat measurement microphone reports). */
  AL_THD_AT_FUNDAMENTAL,
  /* |H_k(f)| / |H_1(f)| at the same output frequency: cancels a linear path
   * after the nonlinearity (the ATF between speaker and mic), so every mic
   * of an array reports the speaker's own distortion. */
  AL_THD_AT_HARMONIC,
} AlThdMode;

typedef struct {
  int kmax;                       /* highest order separated, 2 … AL_MAX_HARMONIC */
  AlIrWindow window;              /* per order, relative to lag0 − L·fs·ln k */
  AlThdMode mode;
  double f_lo, f_hi;              /* band of fundamental frequencies; <= 0: defaults */
} AlHarmonicParams;

/* kmax 5, mode at-fundamental, Hann window from −32 of length
 * min(1024, the spacing of orders kmax and kmax+1 minus 64) with 16/64-sample
 * fades, band [max(2 f1, 4 fs/length), f2 / (kmax·2^{1/6})]. */
void al_harmonic_params_init (AlHarmonicParams *params, const AlSweep *sweep);

typedef struct {
  int kmax;
  int len;                        /* window length */
  double fs;
  double lag0;                    /* lag of the linear IR the windows refer to */
  AlIrWindow window;
  AlThdMode mode;
  double f_lo, f_hi;              /* fundamental band used */
  double *h;                      /* kmax x len: row k−1 is order k (row 0 the linear IR) */
  double lag[AL_MAX_HARMONIC + 1];     /* [k]: exact (fractional) lag of order k's window reference */
  double thd_db[AL_MAX_HARMONIC + 1];  /* [k], k = 2 … kmax: 10·log10 of the band-mean power ratio */
  double thd_percent[AL_MAX_HARMONIC + 1];
  double total_db, total_percent; /* sqrt of the sum over k = 2 … kmax */
} AlHarmonics;

/* Separates orders 1 … kmax around lag0 (the linear IR's reference lag, e.g.
 * the latency) and computes THD per order and in total.  Power ratios are
 * band means over fundamentals spaced 1/24 octave in [f_lo, f_hi]:
 * THD_k² = Σ|H_k(k f0)|² / Σ|H_1(f_ref)|², f_ref = f0 or k f0 by mode.
 * Fails when windows of neighbouring orders would overlap. */
AlHarmonics *al_harmonics_separate (const AlRawIr *raw, const AlSweep *sweep, double lag0,
                                    const AlHarmonicParams *params, GError **error);
void al_harmonics_free (AlHarmonics *harm);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlHarmonics, al_harmonics_free)

/* ======================================================================
 * Loopback reference: latency, its constancy, compensation, clock drift
 * ====================================================================== */

/* Position of the largest |h| in samples (index into h), refined to a
 * fraction of a sample: parabolic fits on the band-limited interpolation at
 * steps of 1, 1/16 and 1/256 sample.  *value gets the signed peak. */
double al_peak_position (const double *h, int n, double *value);
/* Latency of a deconvolved loopback: the lag of its peak, searched at lags
 * >= 0 (samples, fractional; 1e-6 sample on a clean loopback). */
double al_latency_estimate (const AlRawIr *ref);

/* Latency over a run of measurements; "constant to the sample": a value that
 * differs from the first by more than `tolerance` (default 0.5) is a jump. */
typedef struct {
  int count;
  double first, last, min, max;
  double tolerance;
} AlLatencyTrack;

void al_latency_track_init (AlLatencyTrack *track, double tolerance);
/* Adds a value; returns FALSE on a jump (|latency − first| > tolerance). */
gboolean al_latency_track_add (AlLatencyTrack *track, double latency);

/* Shift compensation: a copy of raw whose lag 0 is the old lag `shift`
 * (band-limited for fractional shifts; circular over the raw length). */
AlRawIr *al_raw_ir_shift (const AlRawIr *raw, double shift);
/* Division by the reference spectrum, H_m·conj(H_R) / (|H_R|² + ε(f)), ε ≈ 0 in
 * [f_lo, f_hi] and max|H_R|² outside: removes the DAC/ADC response and the
 * latency (the result's lag 0 is the acoustic time origin). */
AlRawIr *al_raw_ir_divide (const AlRawIr *mic, const AlRawIr *ref, double f_lo, double f_hi,
                           GError **error);

/* Clock drift δ (ppm) between playback and capture from one loopback: a
 * time scale (1 + δ) delays frequency f by δ·fs·(t_pre + L ln(f/f1)), so the
 * group delay of H_R grows linearly with ln f; fitted (weighted least
 * squares on the unwrapped phase) over [2 f1, f2/2].
 * Positive δ: the capture clock runs fast (the recording is stretched). */
double al_drift_estimate_ppm (const AlRawIr *ref, const AlSweep *sweep);
/* y[i] = x(i / factor), i < ny: band-limited resampling (Kaiser-windowed
 * sinc, 64 taps each side).  factor = 1 + δ stretches (the capture clock runs
 * fast); 1/(1 + δ) undoes it. */
void al_time_scale (const double *x, int nx, double factor, double *y, int ny);

/* ======================================================================
 * Quality checks
 * ====================================================================== */

typedef enum {
  AL_QC_PASS,
  AL_QC_WARN,
  AL_QC_FAIL,
} AlQcVerdict;

const char *al_qc_verdict_name (AlQcVerdict verdict); /* "pass", "warn", "fail" */

typedef enum {
  AL_QC_CLIPPED       = 1 << 0, /* fail: a sample at or above clip_level */
  AL_QC_LOW_HEADROOM  = 1 << 1, /* warn: peak within min_headroom_db of FS */
  AL_QC_NOISY         = 1 << 2, /* warn: pre-roll noise above max_noise_dbfs */
  AL_QC_DEAD          = 1 << 3, /* fail: no sweep above the noise floor (+ dead_margin_db) */
  AL_QC_DC            = 1 << 4, /* fail: |mean| above dc_dbfs */
  AL_QC_LOW_PNR       = 1 << 5, /* warn: IR peak-to-noise below min_pnr_db */
  AL_QC_LATENCY_JUMP  = 1 << 6, /* fail: loopback latency changed since the first point */
  AL_QC_DRIFT         = 1 << 7, /* fail: |clock drift| above max_drift_ppm */
} AlQcFlags;

typedef struct {
  double clip_level;      /* 0.999 FS */
  double min_headroom_db; /* 1 dB */
  double max_noise_dbfs;  /* −50 dBFS rms */
  double dead_margin_db;  /* 3 dB */
  double dc_dbfs;         /* −40 dBFS (|mean| = 0.01) */
  double min_pnr_db;      /* 40 dB */
  double max_drift_ppm;   /* 2 ppm */
} AlQcLimits;

void al_qc_limits_init (AlQcLimits *limits);

typedef struct {
  double peak_dbfs;
  double headroom_db;     /* −peak_dbfs */
  int nclipped;           /* samples at or above clip_level */
  double noise_dbfs;      /* rms of the pre-roll (its last 7/8), after removing the mean */
  double signal_dbfs;     /* rms while the sweep plays, after removing the mean */
  double dc;              /* mean over the recording, FS */
  double pnr_db;          /* IR peak / rms of the deconvolved noise before it; NAN when not computed */
  guint flags;            /* AlQcFlags */
  AlQcVerdict verdict;
} AlQcChannel;

typedef struct {
  int nchannels;
  int ref_channel;        /* −1: none */
  AlQcChannel *channels;  /* nchannels */
  double latency;         /* NAN when unknown */
  double latency_jump;    /* latency − first latency of the run (0 when none) */
  double drift_ppm;       /* NAN when unknown */
  guint flags;            /* measurement-level AlQcFlags (latency, drift) */
  AlQcVerdict verdict;    /* worst of everything */
  GPtrArray *messages;    /* char*: one line per finding, e.g. "channel 3: clipped (…)" */
} AlQcReport;

void al_qc_report_free (AlQcReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlQcReport, al_qc_report_free)
/* All messages joined by newlines ("pass" when there are none). */
char *al_qc_report_summary (const AlQcReport *report);

/* Signal checks of one channel (clipping, headroom, noise floor, dead, DC). */
void al_qc_signal (const float *x, int n, const AlSweep *sweep, const AlQcLimits *limits,
                   AlQcChannel *out);
/* IR peak-to-noise ratio: peak |h| in [lag0 − 32, lag0 + ir_len) against
 * the rms between the order-2 harmonic window and the IR (lags
 * lag0 − L·fs·ln 2 + ir_len + 64 … lag0 − 64), or of the last 10 % of the
 * positive lags when that gap is too short. */
double al_qc_pnr_db (const AlRawIr *raw, const AlSweep *sweep, double lag0, int ir_len);

/* Checks a whole recording.  irs (may be NULL, or hold NULLs): each channel's
 * raw IR for the PNR; latency/drift_ppm: NAN when unknown; track (may be
 * NULL): the run's latency history, updated here. */
AlQcReport *al_qc_check (const AlRecording *rec, const AlSweep *sweep, int ref_channel,
                         AlRawIr *const *irs, double latency, double drift_ppm, int ir_len,
                         AlLatencyTrack *track, const AlQcLimits *limits);

/* ======================================================================
 * One measurement point: deconvolve, reference, window, distortion, checks
 * ====================================================================== */

typedef enum {
  AL_REFERENCE_SHIFT,  /* shift every mic IR by −latency (keeps the DAC/ADC response) */
  AL_REFERENCE_DIVIDE, /* divide by the loopback spectrum (removes it, and the latency) */
} AlReferenceMode;

typedef struct {
  int ref_channel;           /* loopback input, −1: none (then `latency` is used) */
  double latency;            /* samples, when there is no loopback */
  AlReferenceMode reference;
  AlIrWindow window;         /* the IRs kept, relative to the latency */
  int kmax;                  /* harmonics to separate, 1: none */
  AlHarmonicParams harmonics;
  gboolean estimate_drift;
  int nthreads;              /* 0: one per processor (at most 16) */
  AlQcLimits qc;
} AlPointParams;

/* Loopback on the last channel, shift, rectangular window [−32, 480),
 * harmonics 2 … 5, drift estimated. */
void al_point_params_init (AlPointParams *params, const AlSweep *sweep, int nchannels);

typedef struct {
  int nmics;                 /* channels other than the loopback, in recording order */
  int *channels;             /* nmics: recording channel of each */
  int ir_len;
  double *ir;                /* nmics x ir_len */
  AlIrWindow window;         /* as applied */
  double latency;            /* samples (the lag the window refers to) */
  double drift_ppm;          /* NAN when not estimated */
  AlHarmonics **harmonics;   /* nmics, NULL when kmax < 2 */
  AlQcReport *qc;
} AlPointResult;

AlPointResult *al_measure_point (const AlDeconvolver *deconv, const AlSweep *sweep,
                                 const AlRecording *rec, const AlPointParams *params,
                                 AlLatencyTrack *track, AlProgress *progress, GError **error);
void al_point_result_free (AlPointResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlPointResult, al_point_result_free)

/* ======================================================================
 * Simulated anechoic chamber (core of the "sim" audio backend)
 * ====================================================================== */

/* Memoryless speaker nonlinearity y = g·(x + a2·x² + a3·x³).  Mapping from a
 * THD τ at a sine of peak amplitude A (the reference level) with a share s
 * of the distortion power in the 3rd harmonic: the harmonic amplitudes of
 * x = A sin are c2 = a2A²/2, c3 = a3A³/4 and the fundamental c1 = A + 3a3A³/4;
 * setting c3 = √s·τ·c1, c2 = √(1−s)·τ·c1 gives
 *   a3 = 4√s·τ / (A²(1 − 3√s·τ)),  a2 = 2√(1−s)·τ / (A(1 − 3√s·τ)),
 * and g = A/c1 = 1 − 3√s·τ makes a sine at the reference level come out at
 * its own amplitude (linear IRs measured at that level equal the ATFs). */
typedef struct {
  double a2, a3, g;
} AlPolyNonlinearity;

/* thd: fraction (0.01 = 1 %); ref_level_dbfs: A in dBFS peak (0 = full scale);
 * h3_share in [0, 1]. */
void al_poly_nonlinearity_from_thd (AlPolyNonlinearity *nl, double thd, double h3_share,
                                    double ref_level_dbfs);
/* Analytic harmonic ratios c2/c1, c3/c1, THD (fractions) and fundamental
 * gain c1/A for a sine of peak amplitude A; any output may be NULL. */
void al_poly_nonlinearity_analyse (const AlPolyNonlinearity *nl, double A, double *h2, double *h3,
                                   double *thd, double *gain);
/* Applied band-limited (4× oversampled, harmonics above fs/2 removed as an
 * ADC's anti-alias filter would) with the DC and sub-10-Hz part of the
 * distortion removed (a speaker radiates no DC).  x may equal y. */
void al_poly_nonlinearity_apply (const AlPolyNonlinearity *nl, double fs, const double *x, int n,
                                 double *y);

typedef struct {
  double elevation_deg;   /* source elevation in the array frame (the ring) */
  int interp_order;       /* 0: nearest grid direction; > 0: al_atf_set_interpolate to the exact direction */
  double latency;         /* samples (fractional allowed), same for every input */
  double noise_dbfs;      /* white Gaussian noise rms per input; <= −200: none */
  double thd;             /* speaker THD (fraction) at thd_level_dbfs; 0: linear */
  double thd_h3_share;    /* power share of the 3rd harmonic */
  double thd_level_dbfs;  /* peak level of the sine the THD refers to (0: full scale) */
  double drift_ppm;       /* capture clock relative to playback (time scale 1 + δ) */
  double loopback_gain_db;
  guint32 seed;
} AlSimChamberParams;

/* elevation 0, nearest, latency 256, noise −100 dBFS, linear, share 0.5 at
 * 0 dBFS, no drift, loopback 0 dB, seed 1. */
void al_sim_chamber_params_init (AlSimChamberParams *params);

typedef struct AlSimChamber AlSimChamber;

/* truth: the ground-truth ATFs (copied). */
AlSimChamber *al_sim_chamber_new (const AlAtfSet *truth, const AlSimChamberParams *params,
                                  GError **error);
void al_sim_chamber_free (AlSimChamber *sim);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlSimChamber, al_sim_chamber_free)
const AlPolyNonlinearity *al_sim_chamber_nonlinearity (const AlSimChamber *sim);
/* The source direction in the array frame for a turntable angle (azimuth
 * −angle, the ring's elevation), radians; *index: the grid direction used
 * (nearest) or −1 (interpolated). */
void al_sim_chamber_direction (const AlSimChamber *sim, double turntable_deg, double *azimuth,
                               double *elevation, int *index);
/* The ground-truth IRs used at that angle: nmics x ir_len (g_free). */
double *al_sim_chamber_truth (const AlSimChamber *sim, double turntable_deg, GError **error);
/* Plays `played` (n samples at the set's fs) with the array turned to
 * turntable_deg and records n samples on nmics + 1 inputs: the mics
 * (speaker nonlinearity, ATF, latency, drift, noise, ADC clipping at ±1) and
 * last the loopback (the electrical feed: latency, drift, noise, no speaker).
 * Each call draws new noise; the sequence is fixed by the seed. */
AlRecording *al_sim_chamber_record (AlSimChamber *sim, double turntable_deg, const float *played,
                                    int n, GError **error);

G_END_DECLS
