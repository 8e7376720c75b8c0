/* al-sim-private.h — internals shared by the sim module's files (and its
 * benchmark, which tunes the block size): the prepared array, the
 * nearest-direction index, the block-FFT accumulator, filters, threads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "al-sim.h"
#include "dsp/al-dsp.h"

G_BEGIN_DECLS

/* Fixed number of work chunks per render: results are summed chunk by chunk
 * in this order, so they do not depend on the thread count. */
#define AL_SIM_NCHUNKS 4

/* ---- nearest grid direction: a cube map whose cells list every grid
 * direction that can be nearest to a point of the cell ---- */
typedef struct AlSimLookup AlSimLookup;
AlSimLookup *al_sim_lookup_new (const double *xyz, int n);
void al_sim_lookup_free (AlSimLookup *lookup);
/* u: unit vector; returns the index with the largest dot product (lowest on ties). */
int al_sim_lookup_nearest (const AlSimLookup *lookup, const double u[3]);

struct AlSimArray {
  double fs;
  int ndirs, nmics, ir_len;
  double *xyz;          /* ndirs x 3 unit vectors (array frame) */
  int sh_order, nsh;
  AlShNorm sh_norm;
  int sh_delay;
  gboolean label_exact;
  int nthreads;
  float *Y;             /* ndirs x nsh labels at the grid directions */
  AlSimLookup *lookup;
  /* block convolution: images starting in [b·B, (b+1)·B) form one segment of
   * at most B + 80 samples; with the ATF it spans N = B + 80 + ir_len − 1. */
  int N, B, nbins, nbp; /* FFT size, block hop, N/2+1 bins, bins padded to 16 */
  float *spec;          /* ndirs x nmics x 2 x nbp: ATF spectra, re then im */
  float *ir;            /* ndirs x nmics x ir_len copy (for the block size setter) */
};

/* Changes the block FFT size (a power of two >= ir_len + 80 + 16); for benchmarks. */
gboolean al_sim_array_set_fft_size (AlSimArray *array, int n, GError **error);

/* Frequency-domain accumulator of block spectra: nblocks x nmics x 2 x nbp. */
typedef struct {
  int nblocks;
  float *spec;
} AlSimAcc;

void al_sim_acc_init (AlSimAcc *acc, const AlSimArray *array, int nblocks);
void al_sim_acc_clear (AlSimAcc *acc);
/* Per-thread scratch for al_sim_acc_add. */
typedef struct {
  AlFftf *fft;
  float *x;             /* N samples, the segment (zero beyond what the caller wrote) */
  float complex *X;     /* nbp bins (FFTW writes nbins; the rest stays 0) */
  float *xs;            /* 2 x nbp: split spectrum */
} AlSimScratch;

void al_sim_scratch_init (AlSimScratch *s, const AlSimArray *array);
void al_sim_scratch_clear (AlSimScratch *s);
/* acc[block] += ATF(dir) · FFT(s->x) for every mic. */
void al_sim_acc_add (const AlSimArray *array, AlSimAcc *acc, AlSimScratch *s, int dir, int block);
/* dst += src (same shape). */
void al_sim_acc_sum (AlSimAcc *dst, const AlSimAcc *src, const AlSimArray *array);
/* Inverse FFT per block and mic, overlap-added into out (nmics x len, planar,
 * zeroed by the caller); samples past len are dropped. */
void al_sim_acc_to_time (const AlSimArray *array, const AlSimAcc *acc, float *out, int len);

/* fd[k] = w[k]·sinc(k − 40 − φ), k = 0…80, Hann window; φ = 0 gives δ[k − 40].
 * The window is 0 at k = 0 and k = 80, so the first AL_SIM_FD_SPAN taps hold
 * the whole pulse (a multiple of 16: the loops that add it vectorise). */
#define AL_SIM_FD_SPAN 80
void al_sim_fd_filter (double phi, float fd[AL_SIM_FD_TAPS]);
/* One-time tables of the filter and of the Gaussian generator; built in
 * al_sim_array_new, before any worker thread exists (the functions that use
 * them also call these, which is then a single atomic read). */
void al_sim_fd_tables_init (void);
void al_sim_rng_tables_init (void);

/* Image positions and reflection products for `source`, in enumeration
 * order; pos: n x 3, beta: n, index: n x 3 (may be NULL). Returns n. */
int al_sim_enumerate (const AlSimRoom *room, const double source[3], double **pos, double **beta,
                      int **index);
/* TRUE when p lies strictly inside the room. */
gboolean al_sim_room_contains (const AlSimRoom *room, const double p[3]);

/* al_sim_rir_render for several sources (nsources x 3 positions, named in
 * messages, e.g. "source 2"), their work shared by the array's threads.
 * rirs gets nsources new RIRs; on error none. */
gboolean al_sim_rir_render_many (const AlSimArray *array, const AlSimRoom *room, int nsources,
                                 const double *sources, const char *const *names,
                                 const double array_pos[3], const AlSimOrientation *orientation,
                                 AlSimRir **rirs, GError **error);

/* Zero-phase 2nd-order Butterworth high-pass as scipy.signal.sosfiltfilt
 * (odd extension of 9 samples, steady-state initial conditions). */
void al_sim_highpass (double *x, int n, double fc, double fs);
/* Air absorption on a RIR whose time of flight at sample t is (t − t0)/fs,
 * by STFT frames of AL_SIM_AIR_FRAME samples, hop AL_SIM_AIR_HOP. */
#define AL_SIM_AIR_FRAME 256
#define AL_SIM_AIR_HOP 64
void al_sim_air_absorption (float *x, int n, double fs, double c, double t0);

/* Runs func(task, data) for task = 0 … ntasks−1 on up to nthreads threads. */
typedef void (*AlSimTaskFunc) (int task, gpointer data);
void al_sim_parallel (int ntasks, int nthreads, AlSimTaskFunc func, gpointer data);

/* A small, fast, seedable generator for noise (xoshiro128+ seeded by splitmix64). */
typedef struct {
  guint32 s[4];
} AlSimRng;
void al_sim_rng_seed (AlSimRng *rng, guint64 seed);
/* n Gaussian samples, zero mean, unit variance (Box–Muller). */
void al_sim_rng_gauss (AlSimRng *rng, float *x, gint64 n);

G_END_DECLS
