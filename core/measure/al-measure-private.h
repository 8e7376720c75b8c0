/* al-measure-private.h — helpers shared by the files of the measure module.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "al-measure.h"
#include "dsp/al-dsp.h"

#include <math.h>

/* Scoped FFTs (al-dsp.h declares no cleanup; a private alias cannot clash
 * with one added there later). */
typedef AlFft AlMeasureFft;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlMeasureFft, al_fft_free)

/* dB of an amplitude / a power, floored at −400 dB so silence stays finite. */
static inline double
al_measure_db20 (double a)
{
  return 20.0 * log10 (fmax (fabs (a), 1e-20));
}

static inline double
al_measure_db10 (double p)
{
  return 10.0 * log10 (fmax (p, 1e-40));
}

/* Band weight for regularisation: 0 inside [f_lo, f_hi], 1 below f_lo/√2
 * and above √2·f_hi, raised-cosine crossfades between (linear frequency). */
double al_measure_out_of_band (double f, double f_lo, double f_hi);

/* Multiply a spectrum of nfft/2+1 bins by e^{−j2π k d / nfft} (delay by d
 * samples); the Nyquist bin keeps only its real part so the signal stays real. */
void al_measure_spectrum_delay (double complex *X, int nfft, double d);

/* Median of |X[k]| over the bins of [f_lo, f_hi] (nfft, fs); 0 when empty. */
double al_measure_band_median (const double complex *X, int nfft, double fs, double f_lo, double f_hi);

/* The band where a sweep's response is flat: [2 f1, f2/2], or [f1, f2]
 * when that is empty. */
void al_measure_flat_band (const AlSweep *sweep, double *f_lo, double *f_hi);

/* Runs fn (i, data) for i in [0, n) on up to nthreads threads (0: one per
 * processor, at most 16). */
typedef void (*AlMeasureForFunc) (int i, gpointer data);
void al_measure_parallel_for (int n, int nthreads, AlMeasureForFunc fn, gpointer data);

/* Circular buffer (deconvolution output, lag 0 at index `origin`) into a raw IR. */
void al_measure_rotate_into (const double *circ, int n, int origin, AlRawIr *raw);

/* Band-limited (periodic sinc) interpolation of the n-sample signal whose
 * spectrum (n/2+1 bins) is X, at the fractional index pos. */
double al_measure_bl_eval (const double complex *X, int n, double pos);

/* al_qc_check with the IR peak-to-noise ratios already measured (pnr_db:
 * nchannels values, NAN where unknown; may be NULL). */
AlQcReport *al_qc_check_pnr (const AlRecording *rec, const AlSweep *sweep, int ref_channel,
                             const double *pnr_db, double latency, double drift_ppm,
                             AlLatencyTrack *track, const AlQcLimits *limits);
