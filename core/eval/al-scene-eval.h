/* al-scene-eval.h — encoders judged on simulated reverberant scenes: every
 * scene is rendered once through the array's ATF set with an ideal SH
 * receiver as ground truth (core/sim), every encoder maps the mic signals to
 * SH signals, and the metrics of DESIGN.md §5 (items 1–8, 10) compare its
 * output with the truth; scalars are averaged over scenes with 95 %
 * confidence intervals, per-frequency curves are averaged over scenes.
 *
 * An encoder here is anything that maps mic signals to SH signals with a
 * known latency (AlSceneEncoder): the linear FIR encoders of core/encode
 * now, neural encoders later through the same function pointer.
 *
 * Signals are planar float (channel x frames), ACN order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "al-metrics.h"
#include "encode/al-encode.h"
#include "io/al-io.h"
#include "sim/al-sim.h"

G_BEGIN_DECLS

/* ---- Encoders ---- */

/* mics: nmics x nframes; out: nsh x (nframes + latency), zeroed by the
 * caller: the response to the mics, delayed by the encoder's latency.
 * Called from several threads at once, so it must keep per-call state local. */
typedef gboolean (*AlSceneEncodeFunc) (gpointer user_data, const float *mics, gsize nframes, float *out,
                                       GError **error);

typedef struct {
  char *name;         /* legend, file names (coherence_<name>.csv) and metrics.json key */
  int nmics;          /* inputs it expects */
  int order, nsh;     /* SH order and (order+1)² outputs */
  double fs;          /* Hz */
  AlShNorm norm;      /* of its outputs */
  int latency;        /* samples by which its output lags the sound field at the array centre */
  AlSceneEncodeFunc encode;
  gpointer user_data;
  GDestroyNotify destroy; /* frees user_data; may be NULL */
} AlSceneEncoder;

AlSceneEncoder *al_scene_encoder_new (const char *name, int nmics, int order, double fs, AlShNorm norm,
                                      int latency, AlSceneEncodeFunc encode, gpointer user_data,
                                      GDestroyNotify destroy);
void al_scene_encoder_free (AlSceneEncoder *enc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlSceneEncoder, al_scene_encoder_free)

/* A linear encoder: its FIR matrix applied by partitioned convolution
 * (AlConvolver); the filters are copied.  name NULL: enc->name. */
AlSceneEncoder *al_scene_encoder_new_linear (const AlEncoder *enc, const char *name);
/* Output = input (nmics = (order+1)² channels, no latency), in `norm`: the
 * ideal encoder of an array whose ATFs are SH patterns. */
AlSceneEncoder *al_scene_encoder_new_identity (const char *name, int order, double fs, AlShNorm norm);

/* Runs enc on mics (nmics x nframes): a new nsh x (nframes + latency) array. */
float *al_scene_encoder_run (const AlSceneEncoder *enc, const float *mics, gsize nframes, GError **error);

/* ---- Scene sets: a seeded random scene spec with a count ---- */
typedef struct {
  AlSimRandomSpec spec;
  int count;        /* scenes */
  guint32 seed;     /* scene k is drawn with al_scene_set_seed (set, k) */
} AlSceneSet;

/* al_sim_random_spec_init's defaults, 50 scenes, seed 1. */
void al_scene_set_init (AlSceneSet *set);
/* Updates set from "key=value,…".  Keys: count, seed, rooms (LxWxH..LxWxH, m),
 * absorption (a..b), sources (n..m), duration (s, a..b: each scene draws its
 * own), order (image order), clearance (m), distance (min source-array
 * distance, m), gain (dB a..b), diffuse_snr / sensor_snr (dB a..b, or
 * "none"), per_wall (0/1), yaw (random array yaw, 0/1), rand_disp (m).  A
 * single value x stands for x..x.  Errors name the bad key. */
gboolean al_scene_set_parse (AlSceneSet *set, const char *text, GError **error);
/* The canonical "key=value,…" text (every key), parsed back to the same set. */
char *al_scene_set_to_string (const AlSceneSet *set);
/* Seed of scene `index`: a hash of (set->seed, index), so sets of different
 * seeds share no scenes. */
guint32 al_scene_set_seed (const AlSceneSet *set, int index);

/* The simulator prepared for encoders: SH truth of `order` in `norm`, labels
 * delayed by the ATF set's centre arrival (where core/encode counts an
 * encoder's latency from), so truth and encoder output line up exactly by
 * the encoder's latency.  nthreads as AlSimArrayOptions. */
AlSimArray *al_scene_sim_array_new (const AlAtfSet *atf, int order, AlShNorm norm, int nthreads,
                                    GError **error);
/* True source directions of a scene in the array frame (nsources x 2 rad):
 * the ATF grid direction the simulator used for each direct path (the
 * array heard the source from there). */
double *al_scene_source_dirs (const AlSimArray *array, const AlAtfSet *atf, const AlSimScene *scene);

/* ---- Statistics ---- */
typedef struct {
  double mean;
  double ci95;  /* half-width of the 95 % confidence interval (Student t, n−1 dof); NaN for n < 2 */
  int n;        /* finite values */
} AlStat;

/* Two-sided quantile of Student's t: P(|T| <= t) = p, df >= 1. */
double al_student_t_quantile (double p, int df);
/* Mean and CI over the finite values of x[k·stride], k < n. */
AlStat al_stat_compute (const double *x, int n, int stride);

/* ---- The evaluation ---- */
typedef enum {
  AL_SCENE_COHERENCE,        /* item 1, mean over channels and band */
  AL_SCENE_COHERENCE_OCTAVE, /* item 1, octave-weighted */
  AL_SCENE_MAGNITUDE_ERROR,  /* item 2, dB */
  AL_SCENE_SI_SDR,           /* item 3, dB */
  AL_SCENE_LSD,              /* item 8, dB */
  AL_SCENE_SPME,             /* item 5, dB */
  AL_SCENE_SPM_KL,           /* item 6, nats */
  AL_SCENE_DGC,              /* item 7, dB */
  AL_SCENE_LOCALISATION,     /* item 10, degrees */
  AL_SCENE_N_METRICS
} AlSceneMetric;

const char *al_scene_metric_key (AlSceneMetric m);   /* metrics.json key, e.g. "si_sdr_db" */
const char *al_scene_metric_label (AlSceneMetric m); /* table heading, e.g. "SI-SDR (dB)" */
gboolean al_scene_metric_higher_is_better (AlSceneMetric m);

typedef struct {
  AlMetricOptions metric;  /* STFT and band of items 1, 2, 8 (defaults: 768/384 at 48 kHz, 50 Hz–fs/2) */
  AlMapMethod map_method;  /* maps of SPME and SPM-KL and the map figure; default AL_MAP_SH (item 4) */
  AlMapMethod doa_method;  /* maps whose peaks give the DOAs; default AL_MAP_INTENSITY */
  int map_grid;            /* Fibonacci directions of the maps; default AL_METRICS_DEFAULT_GRID */
  AlShNorm truth_norm;     /* default SN3D; encoder outputs are converted to it */
  int nthreads;            /* scenes in parallel; 0: the number of processors, at most 2 */
  gboolean keep_signals;   /* keep scene 0's truth and every encoder's output (tests, GUI) */
} AlSceneEvalOptions;

void al_scene_eval_options_init (AlSceneEvalOptions *opt);

typedef struct {
  guint32 seed;
  double room[3];        /* m */
  double absorption;     /* mean over walls */
  double rt60;           /* Eyring, s */
  double duration;       /* s, as rendered (the spec may give a range) */
  int nsources;
  double *source_dirs;   /* nsources x 2 (rad), array frame, as al_scene_source_dirs */
  double truth_localisation; /* degrees: the truth's own map peaks against source_dirs */
  int onset;             /* samples of leading silence the metrics skip: every metric and map
                          * starts where the first direct sound reaches the truth */
} AlSceneInfo;

typedef struct {
  char *name;
  int order, nsh, latency;
  double *values;              /* nscenes x AL_SCENE_N_METRICS; NaN where undefined */
  AlStat stats[AL_SCENE_N_METRICS];
  AlSpectralMetric *coherence; /* per channel and bin, mean over the scenes where defined */
  AlSpectralMetric *magnitude_error;
  AlPowerMap *map;             /* scene 0, map_method */
  float *signals;              /* keep_signals: scene 0's output, nsh x (nframes + latency), truth norm */
} AlSceneEncoderResult;

typedef struct {
  int nscenes, nencoders;
  double fs;
  int order;                   /* of the truth: the highest encoder order */
  AlShNorm truth_norm;
  AlSceneSet set;
  AlSceneEvalOptions options;
  AlSceneInfo *scenes;
  AlSceneEncoderResult *encoders;
  AlStat truth_localisation;
  AlPowerMap *truth_map;       /* scene 0, map_method, at `order` */
  float *truth;                /* keep_signals: scene 0's truth, nsh x truth_frames */
  gsize truth_frames;
  double seconds;              /* wall-clock time of the evaluation */
} AlSceneEval;

void al_scene_eval_free (AlSceneEval *ev);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlSceneEval, al_scene_eval_free)

/* Simulates set->count scenes from `clips` (all at the ATF set's rate;
 * clip_names may be NULL), runs every encoder on each and computes the
 * metrics.  Every encoder must take atf->nmics inputs at atf->fs.
 * Deterministic: the same inputs give bit-identical numbers whatever the
 * thread count.  progress: one step per scene; cancellable between scenes. */
AlSceneEval *al_scene_evaluate (const AlAtfSet *atf, AlSceneEncoder *const *encoders, int nencoders,
                                const AlSceneSet *set, AlAudio *const *clips, const char *const *clip_names,
                                int nclips, const AlSceneEvalOptions *opt, AlProgress *progress,
                                GError **error);

/* Files into dir (created): metrics.json, coherence_<name>.csv and
 * magnitude_error_<name>.csv (freq_hz,acn_0,…), metrics_table.md, and
 * figures as PNG + PDF: coherence_per_channel, magnitude_error,
 * metrics_table, power_maps.  Names are made file-safe. */
gboolean al_scene_eval_write (const AlSceneEval *ev, const char *dir, GError **error);
/* The file-safe form of an encoder name used in those file names. */
char *al_scene_eval_file_name (const char *encoder_name);

/* ---- Dry sources ---- */
/* Dry clips at the ATF set's rate, sorted by name. */
typedef struct {
  GPtrArray *audio; /* AlAudio* */
  GPtrArray *names; /* char*, basenames */
} AlSceneClips;
/* From `dir` (files at the set's rate), or, with dir NULL, the system's
 * sounds or espeak-ng speech resampled to fs; `atf_name` names the set in
 * messages about rates.  On failure clips is left empty. */
gboolean al_scene_clips_load (AlSceneClips *clips, const char *dir, double fs, const char *atf_name, GError **error);
void al_scene_clips_clear (AlSceneClips *clips);

/* ---- Listening to one scene ----
 *
 * Scene `index` of a set rendered again (scenes are seeded, so it is the
 * very scene the metrics saw) with every take aligned sample for sample:
 * the mics, the SH truth and each encoder's output with its latency
 * removed, all nframes long, so a player can switch between them at the
 * same position.  The truth is delayed by the label delay (the ATF set's
 * centre arrival, as in al_scene_sim_array_new), so mics[t], truth[t] and
 * encoded[t] all face the same moment of the sound field. */
typedef struct {
  int index;             /* in the set */
  guint32 seed;          /* al_scene_set_seed (set, index) */
  double fs;
  gsize nframes;         /* every take */
  int nmics;
  float *mics;           /* nmics x nframes */
  int order, nsh;        /* of the truth: the highest encoder order */
  AlShNorm norm;         /* of truth and encoded */
  int label_delay;       /* samples by which the truth lags the images' arrival */
  float *truth;          /* nsh x nframes */
  int nencoders;
  char **names;          /* nencoders */
  int *orders;           /* nencoders: each encoder's order */
  int *latencies;        /* nencoders: samples removed from the front of each output */
  float **encoded;       /* nencoders: (orders[e]+1)² x nframes, latency removed, in norm */
} AlSceneAudio;

void al_scene_audio_free (AlSceneAudio *audio);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlSceneAudio, al_scene_audio_free)

/* Renders scene `index` (0-based) of `set` as al_scene_evaluate does and
 * runs every encoder on it: the same checks of the encoders, the same
 * simulator set-up (truth of the highest encoder order in `norm`), so with
 * norm = the evaluation's truth_norm the signals are bit for bit those it
 * measured.  progress: a step for the render and one per encoder,
 * cancellable between them.  Errors name the scene (1-based, as in files
 * and messages everywhere). */
AlSceneAudio *al_scene_audio_render (const AlAtfSet *atf, AlSceneEncoder *const *encoders, int nencoders,
                                     const AlSceneSet *set, AlAudio *const *clips, const char *const *clip_names,
                                     int nclips, int index, AlShNorm norm, AlProgress *progress,
                                     GError **error);

/* Two-channel takes for headphones: the mics as a left/right pair, SH
 * signals through a pair of virtual first-order cardioids at ±azimuth in
 * the array frame (x front, y left, elevation 0): 0.5·(p + u·v) from the
 * pressure p and velocity v of ACN 0–3, so a plane wave s from Ω gives
 * 0.5·s·(1 + u·Ω) whatever the normalisation; an order-0 signal gives p on
 * both ears.  One gain for all takes puts the loudest peak at peak_dbfs, so
 * the takes keep their relative levels (an encoder's gain error stays
 * audible); silence stays at 0 dB. */
typedef struct {
  int left_mic, right_mic; /* 0-based; −1: the mics furthest to the left (+y) and right (−y) */
  double azimuth;          /* degrees, default 90 */
  double peak_dbfs;        /* default −1; at most 0 */
} AlListenOptions;

void al_listen_options_init (AlListenOptions *opt);

typedef struct {
  int ntakes;            /* 2 + nencoders: mics, truth, then the encoders */
  char **names;          /* "Microphones", "Ground truth", the encoders' names */
  float **takes;         /* ntakes: 2 x nframes, planar */
  gsize nframes;
  double fs;
  double gain_db;        /* the common gain applied */
  int left_mic, right_mic; /* the pair used */
  double azimuth;        /* degrees, of the cardioids */
} AlListenTakes;

void al_listen_takes_free (AlListenTakes *takes);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlListenTakes, al_listen_takes_free)

/* mic_pos: nmics x 3 (the ATF set's), for the default pair (ties go to
 * the lower index); may be NULL when opt names both mics or there is one.
 * opt NULL: defaults.  Fails on a mic out of range or a non-finite sample. */
AlListenTakes *al_listen_takes_new (const AlSceneAudio *audio, const double *mic_pos,
                                    const AlListenOptions *opt, GError **error);

/* Files into dir (created; existing ones replaced only with overwrite, and
 * none is written when one would be refused): scene_NNN_mics.wav (nmics
 * channels), scene_NNN_truth.wav and scene_NNN_<encoder>.wav (ACN, in
 * audio->norm, latency removed) and, with takes (may be NULL),
 * scene_NNN_listen_mics.wav, scene_NNN_listen_truth.wav and
 * scene_NNN_listen_<encoder>.wav (stereo); NNN is index + 1, at least three
 * digits; encoder names made file-safe by al_scene_eval_file_name.  WAV
 * float32, written atomically, each with a comment saying what it holds
 * ("Ambisonics order N, ACN, <norm> (…)" for SH files). */
gboolean al_scene_audio_write (const AlSceneAudio *audio, const AlListenTakes *takes, const char *dir,
                               gboolean overwrite, GError **error);

G_END_DECLS
