/* al-sim.h — shoebox rooms by the image-source method (pyroomacoustics-
 * compatible), rendered through an array's ATF set with an ideal SH receiver
 * as ground truth; scenes of dry sources plus noise; a seeded random scene
 * generator whose scenes are described by JSON.
 *
 * Conventions (DESIGN.md §3): x front, y left, z up; azimuth counter-clockwise
 * from the front, elevation up; radians here, degrees in JSON.  Shapes are
 * "rows x cols, row-major"; signals are planar float (channel x frames).
 *
 * The image-source recipe (reference/neural-encoders.md §3):
 *  - images p = (px, py, pz) with |px| + |py| + |pz| <= max_order, position
 *    x_d = p_d·L_d + (p_d odd ? L_d − s_d : s_d); hits per wall: p > 0 →
 *    ⌊p/2⌋ on the wall at 0 and ⌈p/2⌉ on the wall at L, p < 0 the reverse;
 *  - amplitude g = Π β_wall^hits / d with β = √(1 − α) (α = energy
 *    absorption) — pyroomacoustics' convention, i.e. WITHOUT the 1/(4π) of
 *    the free-field Green's function: a direct path at 1 m has amplitude 1;
 *  - delay τ = d / c, n0 = ⌊τ·fs⌋, φ = τ·fs − n0; the arrival is the 81-tap
 *    Hann-windowed sinc fd[k] = w[k]·sinc(k − 40 − φ), w[k] = ½ − ½cos(2πk/80),
 *    added at samples n0 + k: every arrival is delayed by 40 samples and the
 *    direct sound peaks at τ·fs + 40 (sinc evaluated exactly, not from a table);
 *  - one receiver point at the array centre; the array enters through its
 *    ATF at the image's direction (nearest grid direction), so mic m's RIR
 *    is Σ_i g_i·(ATF_m(Ω_i) * fd_i)(t − n0_i) and the ground truth is
 *    Σ_i g_i·Y_c(Ω_i)·fd_i(t − n0_i − sh_delay), with Ω_i the SAME grid
 *    direction (sh_delay aligns the labels with the ATFs' bulk delay);
 *  - a zero-phase high-pass (2nd-order Butterworth, 10 Hz, forward-backward
 *    as scipy's sosfiltfilt) on every RIR, mics and SH alike.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "array/al-array.h"
#include "base/al-base.h"
#include "io/al-io.h"
#include "sh/al-sh.h"

G_BEGIN_DECLS

#define AL_SIM_FD_TAPS 81          /* length of the fractional-delay filter */
#define AL_SIM_FD_CENTER 40        /* its centre tap = the fixed pre-delay in samples */
#define AL_SIM_DEFAULT_MAX_ORDER 40
#define AL_SIM_DEFAULT_HPF_FC 10.0 /* Hz */
#define AL_SIM_SH_DELAY_AUTO (-1)

/* Walls in pyroomacoustics' order: west, east, south, north, floor, ceiling. */
typedef enum {
  AL_SIM_WALL_X0, /* x = 0 */
  AL_SIM_WALL_X1, /* x = Lx */
  AL_SIM_WALL_Y0, /* y = 0 */
  AL_SIM_WALL_Y1, /* y = Ly */
  AL_SIM_WALL_Z0, /* z = 0, floor */
  AL_SIM_WALL_Z1, /* z = Lz, ceiling */
} AlSimWall;

/* Number of images with |px|+|py|+|pz| <= K: (2K+1)(2K²+2K+3)/3 (88 641 for K = 40). */
static inline gint64
al_sim_image_count (int max_order)
{
  gint64 k = max_order;
  return (2 * k + 1) * (2 * k * k + 2 * k + 3) / 3;
}

/* ---- Rooms ---- */
typedef struct {
  double size[3];        /* Lx, Ly, Lz (m); the room spans [0, L] per axis */
  double absorption[6];  /* energy absorption α per wall (AlSimWall order), 0 <= α <= 1 */
  int max_order;         /* image order K, default 40 */
  double c;              /* speed of sound (m/s), default 343 */
  double max_rand_disp;  /* randomised ISM: every image of order >= 1 moves by a uniform
                          * ±max_rand_disp (m) per coordinate; 0 (default) = off */
  guint32 rand_seed;     /* seed of those displacements */
  double hpf_fc;         /* zero-phase high-pass cut-off (Hz); 0 = off; default 10 */
  gboolean air_absorption; /* octave-band air absorption (20 °C, 30–50 % RH), default off;
                            * applied as a time-dependent filter on the RIRs (see al_sim_rir_render) */
} AlSimRoom;

/* Defaults above with the given size and the same absorption on every wall. */
void al_sim_room_init (AlSimRoom *room, double lx, double ly, double lz, double absorption);
gboolean al_sim_room_validate (const AlSimRoom *room, GError **error);
/* Reverberation time (s) by Eyring (surface-weighted mean α) and by Sabine; no air absorption. */
double al_sim_room_rt60_eyring (const AlSimRoom *room);
double al_sim_room_rt60_sabine (const AlSimRoom *room);

/* Orientation of the array in the room: its front axis points to room
 * azimuth `yaw` and elevation `pitch`; `roll` turns it about that axis
 * (positive lifts its left side).  Rotation array→room R = Rz(yaw)·Ry(−pitch)·Rx(roll);
 * a room direction u is u_array = Rᵀ u in the array frame.  All radians. */
typedef struct {
  double yaw, pitch, roll;
} AlSimOrientation;

/* R: 3 x 3, row-major, array frame → room frame.  o may be NULL (identity). */
void al_sim_orientation_matrix (const AlSimOrientation *o, double R[9]);

/* One image source seen from a receiver. */
typedef struct {
  double pos[3];      /* image position in the room frame (m) */
  int index[3];       /* (px, py, pz) */
  int hits[6];        /* reflections per wall (AlSimWall order); order = Σ hits */
  int order;
  double distance;    /* d (m) */
  double delay;       /* τ = d / c (s), without the 40-sample pre-delay */
  double amplitude;   /* g = Π β^hits / d (no 1/4π) */
  double azimuth;     /* direction of arrival at the receiver, array frame (rad) */
  double elevation;
} AlSimImage;

/* The images of `source` for a receiver at `receiver` (both strictly inside
 * the room), in pyroomacoustics' enumeration order (pz outer, px inner);
 * the direct path is the entry with order 0.  `orientation` may be NULL.
 * Returns a new array of *nimages entries (g_free). */
AlSimImage *al_sim_images (const AlSimRoom *room, const double source[3], const double receiver[3],
                           const AlSimOrientation *orientation, int *nimages, GError **error);

/* ---- The array, prepared once per ATF set for any number of renders ---- */
typedef struct {
  int sh_order;       /* ground-truth SH order, default 1 */
  AlShNorm sh_norm;   /* default SN3D */
  int sh_delay;       /* samples added to the labels so they line up with the ATFs'
                       * bulk delay; AL_SIM_SH_DELAY_AUTO (default): the rounded
                       * low-frequency group delay of the mean IR over directions
                       * and mics (Σ n h̄[n] / Σ h̄[n]) — exact for centre-referenced
                       * models and for pure-delay sets */
  gboolean label_exact_direction; /* FALSE (default): label with the selected grid
                                   * direction, so input and target agree; TRUE: with
                                   * the image's true direction */
  int nthreads;       /* worker threads; 0 (default): number of processors */
} AlSimArrayOptions;

void al_sim_array_options_init (AlSimArrayOptions *opt);

typedef struct AlSimArray AlSimArray;

/* Copies what it needs from `atf` (spectra, directions, a nearest-direction
 * index) and holds no reference to it.  For a dense, interpolated set prepare
 * it first with al_atf_set_interpolate.  opt may be NULL (defaults).
 * Rendering only reads it: one array may serve renders in several threads
 * (each render also uses opt.nthreads threads of its own). */
AlSimArray *al_sim_array_new (const AlAtfSet *atf, const AlSimArrayOptions *opt, GError **error);
void al_sim_array_free (AlSimArray *array);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlSimArray, al_sim_array_free)
double al_sim_array_fs (const AlSimArray *array);
int al_sim_array_nmics (const AlSimArray *array);
int al_sim_array_ndirs (const AlSimArray *array);
int al_sim_array_sh_order (const AlSimArray *array);
AlShNorm al_sim_array_sh_norm (const AlSimArray *array);
int al_sim_array_sh_delay (const AlSimArray *array);
/* Index of the ATF grid direction nearest (largest dot product, lowest index
 * on ties) to the array-frame direction (azimuth, elevation). */
int al_sim_array_nearest (const AlSimArray *array, double azimuth, double elevation);

/* ---- Room impulse responses of one source ---- */
typedef struct {
  double fs;
  int len;            /* samples: max n0 + 80 + max(ir_len, sh_delay + 1) */
  int nmics;
  int nsh;
  int sh_order;
  AlShNorm sh_norm;
  int sh_delay;
  int nimages;        /* images rendered (all of them, also those of zero amplitude) */
  float *mic;         /* nmics x len */
  float *sh;          /* nsh x len, ground truth */
} AlSimRir;

/* Renders the source at `source` for the array centred at `array_pos` with
 * `orientation` (NULL: identity).  Images are grouped by their nearest ATF
 * direction and time block (a few hundred samples), each group is
 * transformed once and multiplied with that direction's ATF spectra, and the
 * products are accumulated per block in the frequency domain: the same sum
 * as image by image, up to float rounding (tests/sim checks 1e-6 of the peak).
 * Air absorption (room->air_absorption) scales each STFT frame (256 samples,
 * hop 64) of the RIRs per frequency by exp(−½·m(f)·c·t), t the frame's time
 * of flight and m(f) interpolated between the octave-band values:
 * pyroomacoustics applies the same factor per image in octave bands. */
AlSimRir *al_sim_rir_render (const AlSimArray *array, const AlSimRoom *room, const double source[3],
                             const double array_pos[3], const AlSimOrientation *orientation,
                             GError **error);
void al_sim_rir_free (AlSimRir *rir);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlSimRir, al_sim_rir_free)

/* ---- Scenes ---- */
typedef struct {
  double pos[3];        /* m, room frame */
  const AlAudio *audio; /* dry signal, not owned; its fs must equal the ATF set's */
  int channel;          /* channel of `audio` to use; -1: the mean of all channels */
  gint64 offset;        /* first frame of `audio` used */
  gint64 start;         /* scene frame at which the source starts */
  double gain_db;       /* level applied to the dry signal */
  int clip;             /* index in the clip list it was drawn from (JSON), -1 if none */
  char *name;           /* clip name for the JSON, may be NULL; owned */
} AlSimSource;

typedef struct {
  double fs;                 /* Hz; must equal the ATF set's */
  gint64 nframes;            /* output length; 0: until the last tail ends */
  AlSimRoom room;
  double array_pos[3];
  AlSimOrientation array_rot;
  int nsources;
  AlSimSource *sources;      /* owned */
  double diffuse_snr_db;     /* diffuse noise re the mixed sources (mean power over mics); INFINITY: none */
  int diffuse_ndirs;         /* directions of the diffuse field (Fibonacci, snapped to the grid), default 32 */
  double sensor_snr_db;      /* white noise per mic, not in the truth; INFINITY: none */
  guint32 noise_seed;
  guint32 seed;              /* generator seed (recorded in the JSON), 0 for hand-made scenes */
} AlSimScene;

/* An empty scene: the room is copied, no sources, no noise, nframes 0. */
AlSimScene *al_sim_scene_new (double fs, const AlSimRoom *room, const double array_pos[3]);
void al_sim_scene_free (AlSimScene *scene);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlSimScene, al_sim_scene_free)
/* Appends a source (channel 0, offset 0, start 0, 0 dB, clip -1) and returns it. */
AlSimSource *al_sim_scene_add_source (AlSimScene *scene, const double pos[3], const AlAudio *audio);
/* Checks the room, that there are sources, that every source and the array
 * lie strictly inside the room and apart, channels and offsets, and that all
 * sample rates equal `fs` (pass the ATF set's, or <= 0 to check only the scene's). */
gboolean al_sim_scene_validate (const AlSimScene *scene, double fs, GError **error);

typedef struct {
  double fs;
  gint64 nframes;
  int nmics;
  int nsh;
  int sh_order;
  AlShNorm sh_norm;
  int sh_delay;              /* latency of the truth relative to the images' arrival, samples */
  float *mic;                /* nmics x nframes: the array's signals */
  float *sh;                 /* nsh x nframes: ground-truth SH signals */
  int nsources;
  AlSimRir **rirs;           /* per source, as rendered (high-passed) */
} AlSimResult;

/* Renders a scene: RIRs per source, the mix y_m = Σ_s x_s * h_{m,s} (and the
 * same for the truth) by FFT convolution, then the noise.  Deterministic:
 * the same scene gives bit-identical output whatever the thread count. */
AlSimResult *al_sim_render (const AlSimArray *array, const AlSimScene *scene, AlProgress *progress,
                            GError **error);
void al_sim_result_free (AlSimResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlSimResult, al_sim_result_free)
/* Interleaved copies for al_audio_write. */
AlAudio *al_sim_result_mic_audio (const AlSimResult *result);
AlAudio *al_sim_result_sh_audio (const AlSimResult *result);

/* ---- Random scenes ---- */
typedef struct {
  double room_min[3], room_max[3]; /* m, uniform per axis; default 3×3×2.5 … 10×8×4 */
  double absorption_min, absorption_max; /* default 0.2 … 0.95 */
  gboolean absorption_per_wall;    /* draw each wall independently (default FALSE: one α) */
  int max_order;                   /* default 40 */
  double max_rand_disp;            /* default 0 */
  int nsources_min, nsources_max;  /* default 1 … 3 */
  double wall_clearance;           /* m from every wall, sources and array; default 0.5 */
  double min_source_distance;      /* m between a source and the array centre; default 1.0 */
  gboolean random_yaw;             /* default TRUE: yaw uniform in [−π, π) */
  double gain_db_min, gain_db_max; /* default −6 … 0 */
  double duration_min, duration_max; /* s, uniform per scene; default 4 … 4 (every scene 4 s) */
  double diffuse_snr_min, diffuse_snr_max; /* dB; default INFINITY (none) */
  int diffuse_ndirs;               /* default 32 */
  double sensor_snr_min, sensor_snr_max;   /* dB; default INFINITY (none) */
} AlSimRandomSpec;

void al_sim_random_spec_init (AlSimRandomSpec *spec);
/* A scene drawn with GRand seeded by `seed`: same seed (and spec and clip
 * list) → the same scene; sources pick a clip and a random excerpt of it.
 * Every clip must share `fs`; clip_names may be NULL. */
AlSimScene *al_sim_scene_random (const AlSimRandomSpec *spec, guint32 seed, double fs,
                                 AlAudio *const *clips, const char *const *clip_names, int nclips,
                                 GError **error);

/* The scene as JSON (angles in degrees, absent noise as null), and back: the
 * sources' clips are resolved by their "clip" index in `clips`. */
JsonNode *al_sim_scene_to_json (const AlSimScene *scene);
AlSimScene *al_sim_scene_from_json (JsonNode *node, AlAudio *const *clips, int nclips, GError **error);

G_END_DECLS
