/* al-array.h — array transfer function sets, analytic array models, SH-domain interpolation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <complex.h>
#include "base/al-base.h"
#include "sh/al-sh.h"

G_BEGIN_DECLS

/* A set of array transfer functions: one impulse response per direction and
 * microphone.  Directions are source directions in the array frame. */
typedef struct {
  double fs;        /* Hz */
  int ndirs;        /* M in SOFA */
  int nmics;        /* R in SOFA */
  int ir_len;       /* N in SOFA */
  double *mic_pos;  /* nmics x 3, cartesian metres (x front, y left, z up) */
  double *dirs;     /* ndirs x 2: azimuth, elevation (rad) */
  double *dist;     /* ndirs: source distance (m), 0 when unknown / plane wave */
  double *ir;       /* ndirs x nmics x ir_len (SOFA Data.IR order M,R,N) */
  char *title;      /* free text, may be NULL */
  char *source;     /* where the data came from (file name, model), may be NULL */
} AlAtfSet;

AlAtfSet *al_atf_set_new (int ndirs, int nmics, int ir_len, double fs);
AlAtfSet *al_atf_set_copy (const AlAtfSet *set);
/* Geometry, rate and names without the responses (ir_len 1, zeros): what
 * prepared contexts keep instead of a second copy of a large set. */
AlAtfSet *al_atf_set_copy_layout (const AlAtfSet *set);
void al_atf_set_free (AlAtfSet *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlAtfSet, al_atf_set_free)
/* Checks sizes, fs > 0, finite data, |direction| ranges; `name` (a file name) prefixes messages. */
gboolean al_atf_set_validate (const AlAtfSet *set, const char *name, GError **error);
/* Transfer functions at nfft/2+1 bins (nfft >= ir_len, zero-padded):
 * returns a new array nbins x nmics x ndirs (frequency-major, ready for per-bin design). */
double complex *al_atf_set_spectra (const AlAtfSet *set, int nfft);
/* The grid of the set's directions with quadrature weights: exact when the
 * directions form a design (Gauss, rings, t-design), Voronoi areas otherwise. */
AlGrid *al_atf_set_grid (const AlAtfSet *set, GError **error);

/* ---- Where the sound arrives (al-atf-align.c) ---- */
/* Largest distance of a mic from the array centre, m. */
double al_atf_set_aperture (const AlAtfSet *set);
/* Samples kept before the centre arrival after alignment: the aperture's
 * travel time plus 16 for band-limited pre-ringing. */
int al_atf_set_delay_margin (const AlAtfSet *set);
/* Arrival time at the array centre in samples, [0, ir_len): from the peaks of
 * the mics facing each source, corrected by their geometric lead; circular,
 * so onsets that wrap around the buffer are handled. */
double al_atf_set_centre_arrival (const AlAtfSet *set);
/* round(centre arrival) − margin, in (−ir_len/2, ir_len/2]. */
int al_atf_set_common_delay (const AlAtfSet *set);
/* The set advanced (circularly) by `delay` samples and cut or zero-padded to
 * `len` taps, with a short fade where a cut falls. */
AlAtfSet *al_atf_set_aligned (const AlAtfSet *set, int delay, int len);

/* ---- Analytic models: plane-wave responses of omnidirectional mics, either
 * in free field (open array) or on the surface of a rigid sphere of the given
 * radius (scattering series, truncated per frequency at degree ceil(kr)+12,
 * at most 300: the series converges for kr up to ≈ 288, and the per-frequency
 * degree keeps small kr away from the high degrees that are unstable there).
 * Time convention: a plane wave from direction u reaches a mic at position p
 * (p·u)/c seconds earlier than the array centre; the response is referenced to
 * the centre (H = exp(+i ω p·u / c) in free field). ---- */
typedef enum { AL_ARRAY_FREE_FIELD, AL_ARRAY_RIGID_SPHERE } AlArrayModelKind;

typedef struct {
  AlArrayModelKind kind;
  double radius;    /* m: sphere radius; for free field the mics sit at this radius too */
  int nmics;
  double *mic_dirs; /* nmics x 2: azimuth, elevation (rad) of the mics on the sphere */
  double c;         /* speed of sound, m/s */
} AlArrayModel;

AlArrayModel *al_array_model_new (AlArrayModelKind kind, double radius, const double *mic_dirs, int nmics);
void al_array_model_free (AlArrayModel *model);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlArrayModel, al_array_model_free)
/* "glasses5": 5 mics on a rigid sphere of radius 8.75 cm — nose bridge
 * (0°, 20°) and two on each temple (±30°, 10°), (±100°, 0°), in the order
 * nose, left front, right front, left back, right back.
 * "em32": the 32 capsules of an Eigenmike em32 on a rigid sphere of 4.2 cm.
 * Unknown names fail with a message listing the known ones. */
AlArrayModel *al_array_model_preset (const char *name, GError **error);
/* "AZ,EL;AZ,EL;…" in degrees (a trailing ';' is allowed); *dirs gets a new
 * nmics x 2 array in radians. */
gboolean al_parse_mic_dirs (const char *spec, double **dirs, int *nmics, GError **error);

/* H: ndirs x nmics, response at frequency f (Hz) to unit plane waves from dirs (ndirs x 2). */
void al_array_model_response (const AlArrayModel *model, double f, const double *dirs, int ndirs,
                              double complex *H);
/* Impulse responses on `grid` at fs, ir_len taps, with a bulk delay of `delay`
 * samples (centre arrival; must leave room for the earliest mic: >= radius/c*fs + 16).
 * delay < 0 picks a default (ceil(radius/c*fs) + 32).  Mic positions are filled in.
 * Each IR is the inverse FFT (size >= 4·ir_len) of the response times the
 * bulk delay, cut to ir_len taps with a half-Hann fade over the last eighth.
 * Fractional arrivals keep their band-limited (sinc) side lobes. */
AlAtfSet *al_array_model_simulate (const AlArrayModel *model, const AlGrid *grid, double fs,
                                   int ir_len, double delay, AlProgress *progress, GError **error);

/* SH-domain interpolation: expands each mic's ATF per frequency to order
 * `order` (regularised LS with the set's Voronoi weights) and evaluates at the
 * new directions (ndirs x 2).  The fit is the same real matrix in every bin,
 * so it is applied to the IRs directly (identical result, no time aliasing). */
AlAtfSet *al_atf_set_interpolate (const AlAtfSet *set, const double *dirs, int ndirs, int order,
                                  AlProgress *progress, GError **error);

G_END_DECLS
