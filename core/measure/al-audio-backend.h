/* al-audio-backend.h — audio interfaces for ATF measurements: one opaque
 * backend opened by URI that plays a buffer on the output channel(s) while
 * recording the mic inputs and the loopback reference, duplex, into planar
 * float recordings (AlRecording, the layout al_measure_point expects:
 * mics in map order, the reference last).
 *
 * URIs
 *   portaudio:DEVICE?in=1-5&ref=6&out=1&rate=48000
 *       DEVICE: a device index or a (case-insensitive) substring of its
 *       name; an exact name wins over substrings; empty: the default input
 *       device.  Channel maps are 1-based lists of numbers and ranges
 *       ("1-5,7,9-12").  in: the mic inputs (default: every input but ref),
 *       ref: one loopback input (default: none), out: the output(s) the
 *       buffer is played on (default 1), rate: Hz (default 48000), frames:
 *       frames per callback (default: the host's own period).  Characters
 *       may be %-escaped.
 *   sim:truth=atf.sofa&noise=-80&latency=257&thd=1&drift=0&seed=1
 *       The simulated chamber (AlSimChamber) on the ground truth atf.sofa:
 *       noise (dBFS rms per input), latency (samples, fractional allowed),
 *       thd (percent, at thd_level dBFS peak), h3 (3rd-harmonic power share,
 *       0 … 1), drift (ppm), seed, elevation (degrees: the source's ring),
 *       interp (0: nearest grid direction, N: SH interpolation of order N),
 *       loopback (dB), rate (must match the set's).  Inputs: the set's
 *       mics, then the loopback; one output.
 *
 * Channel numbers in messages are the device's own, 1-based.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "al-measure.h"

#include <gio/gio.h>

G_BEGIN_DECLS

#define AL_AUDIO_ERROR (al_audio_error_quark ())
GQuark al_audio_error_quark (void);

/* Separate from AL_ERROR so a caller can tell "redo this direction"
 * (DROPOUT) from a set-up the user has to fix. */
typedef enum {
  AL_AUDIO_ERROR_URI,        /* malformed URI, unknown backend or key, bad value */
  AL_AUDIO_ERROR_NO_DEVICE,  /* no device (or several) matches */
  AL_AUDIO_ERROR_CHANNELS,   /* the map asks for a channel the device lacks */
  AL_AUDIO_ERROR_RATE,       /* the device does not run at the sample rate */
  AL_AUDIO_ERROR_DROPOUT,    /* over- or underflow during a run: measure again */
  AL_AUDIO_ERROR_REF_SILENT, /* level check: nothing arrives on the reference input */
  AL_AUDIO_ERROR_CLIPPING,   /* level check: an input clips at the start level */
  AL_AUDIO_ERROR_DEVICE,     /* the host API failed, or the stream stalled */
} AlAudioError;

/* ---- Devices ---- */

typedef struct {
  int index;             /* PortAudio device index (the DEVICE of a URI) */
  char *name;
  char *host_api;        /* "JACK Audio Connection Kit", "ALSA", … */
  int max_inputs;
  int max_outputs;
  double default_rate;   /* Hz */
  gboolean is_default_input;
  gboolean is_default_output;
} AlAudioDevice;

void al_audio_device_free (AlAudioDevice *device);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlAudioDevice, al_audio_device_free)
/* "3: system (JACK Audio Connection Kit, 8 in, 8 out, 48000 Hz)" */
char *al_audio_device_describe (const AlAudioDevice *device);
/* Every PortAudio device, in index order (a GPtrArray of AlAudioDevice
 * that frees its elements).  A JACK server must run before the first
 * backend or listing of the process for JACK to be among the host APIs. */
GPtrArray *al_audio_list_devices (GError **error);

/* ---- Channel maps ---- */

/* "1-5,7" -> 0-based indices {0,1,2,3,4,6} (g_free); *n gets the count.
 * Numbers start at 1, ranges ascend, no channel twice, at most 1024. */
int *al_audio_channels_parse (const char *spec, int *n, GError **error);
/* The shortest 1-based spec of 0-based indices ("1-5,7"). */
char *al_audio_channels_to_string (const int *channels, int n);

/* ---- Backends ---- */

typedef struct AlAudioBackend AlAudioBackend;

AlAudioBackend *al_audio_backend_open (const char *uri, GError **error);
void al_audio_backend_free (AlAudioBackend *backend);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlAudioBackend, al_audio_backend_free)

const char *al_audio_backend_get_uri (const AlAudioBackend *backend);
/* What messages call it: "portaudio device 'system' (JACK Audio Connection Kit)". */
const char *al_audio_backend_get_name (const AlAudioBackend *backend);
double al_audio_backend_get_rate (const AlAudioBackend *backend);
/* Recorded channels: the mics, then the reference when there is one. */
int al_audio_backend_get_n_inputs (const AlAudioBackend *backend);
int al_audio_backend_get_n_mics (const AlAudioBackend *backend);
/* Row of the reference in a recording (AlPointParams.ref_channel), −1: none. */
int al_audio_backend_get_ref_channel (const AlAudioBackend *backend);
/* The device's 1-based input number behind recording row `row`. */
int al_audio_backend_get_device_input (const AlAudioBackend *backend, int row);

/* The turntable angle (degrees) of the next runs; the simulated chamber
 * renders the ATFs of that angle, real interfaces ignore it. */
void al_audio_backend_set_turntable_angle (AlAudioBackend *backend, double degrees);
double al_audio_backend_get_turntable_angle (const AlAudioBackend *backend);

/* Called on the caller's thread once the stream of a run has started and
 * before its signal does (each play-record and level check): where a test
 * patches a JACK graph.  Returning FALSE aborts the run with that error. */
typedef gboolean (*AlAudioStartedFunc) (AlAudioBackend *backend, gpointer user_data, GError **error);
void al_audio_backend_set_started_func (AlAudioBackend *backend, AlAudioStartedFunc func,
                                        gpointer user_data);

/* What happened during a run. */
typedef enum {
  AL_AUDIO_INPUT_UNDERFLOW  = 1 << 0,
  AL_AUDIO_INPUT_OVERFLOW   = 1 << 1,
  AL_AUDIO_OUTPUT_UNDERFLOW = 1 << 2,
  AL_AUDIO_OUTPUT_OVERFLOW  = 1 << 3,
} AlAudioStatus;

/* "input overflow, output underflow" (g_free); "none" for 0. */
char *al_audio_status_to_string (guint status);

typedef struct {
  int nframes;           /* frames played and recorded */
  guint status;          /* AlAudioStatus seen while the signal ran */
  int nflagged;          /* callbacks that reported a status flag */
  double first_flagged;  /* s into the signal of the first flagged period; −1: none */
  int ncallbacks;        /* callbacks while the signal ran (0 for sim) */
  double input_latency;  /* s, as the host API reports it (0 when unknown) */
  double output_latency;
} AlAudioRunInfo;

/* Plays `played` (n samples at the backend's rate) on every output of the
 * map and records n frames of every input; recording frame 0 is the
 * callback period in which played sample 0 went out, so a loopback shows
 * the interface's round-trip latency.  Blocks until done; `cancellable`
 * stops it (G_IO_ERROR_CANCELLED).  A run with an over- or underflow fails
 * with AL_AUDIO_ERROR_DROPOUT: measure the direction again.  info (may be
 * NULL) is filled on success and on dropouts. */
AlRecording *al_audio_backend_play_record (AlAudioBackend *backend, const float *played, int n,
                                           AlAudioRunInfo *info, GCancellable *cancellable,
                                           GError **error);

/* ---- Level check ---- */

typedef enum {
  AL_AUDIO_LEVEL_SWEEP, /* the measurement sweep, repeated */
  AL_AUDIO_LEVEL_NOISE, /* white Gaussian noise (1 s, repeated) */
} AlAudioLevelSignal;

typedef struct {
  AlAudioLevelSignal signal;
  AlSweepParams sweep;   /* the sweep (its level is replaced by level_dbfs) */
  double level_dbfs;     /* peak level of the test signal (the start level) */
  double duration;       /* s; <= 0: until cancelled (sim: one pass of the signal) */
  double block_s;        /* meter interval, s */
  double clip_level;     /* linear; an input peak at or above it is clipping */
  double silent_dbfs;    /* a reference peak below it is silence */
} AlAudioLevelParams;

/* Sweep (al_sweep_params_init), −6 dBFS, 3 s, 0.1 s blocks, clipping at
 * 0.999, reference silent below −60 dBFS peak. */
void al_audio_level_params_init (AlAudioLevelParams *params);

/* Meters of one block (arrays of nchannels values in recording order). */
typedef struct {
  int nchannels;
  int ref_channel;       /* −1: none */
  double time;           /* s from the start of the signal to the end of the block */
  const double *peak_dbfs;
  const double *rms_dbfs;
  const double *max_peak_dbfs; /* since the start */
  guint status;          /* AlAudioStatus so far */
} AlAudioMeters;

typedef void (*AlAudioMeterFunc) (const AlAudioMeters *meters, gpointer user_data);

typedef struct {
  int nchannels;
  int ref_channel;
  double duration;       /* s metered */
  double *peak_dbfs;     /* nchannels: over the whole run */
  double *rms_dbfs;
  guint status;
} AlAudioLevels;

void al_audio_levels_free (AlAudioLevels *levels);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlAudioLevels, al_audio_levels_free)

/* Plays the test signal and calls `func` (on the caller's thread) with the
 * meters of every block.  Fails on device errors, when an input clips
 * (AL_AUDIO_ERROR_CLIPPING, naming the inputs) and when the reference is
 * silent (AL_AUDIO_ERROR_REF_SILENT); cancelling a run without a duration
 * is its normal end, any other cancel fails.  *levels (may be NULL) is set
 * whenever the signal played, also when a check failed. */
gboolean al_audio_backend_level_check (AlAudioBackend *backend, const AlAudioLevelParams *params,
                                       AlAudioMeterFunc func, gpointer user_data,
                                       AlAudioLevels **levels, GCancellable *cancellable,
                                       GError **error);
/* The checks of al_audio_backend_level_check on levels already measured. */
gboolean al_audio_levels_check (const AlAudioLevels *levels, const AlAudioBackend *backend,
                                const AlAudioLevelParams *params, GError **error);

/* ---- Real-time figures ---- */

/* Work done inside the audio callback during the last run, timed with the
 * monotonic clock inside the callback. */
typedef struct {
  int ncallbacks;
  int period_frames;     /* largest callback size */
  double period_us;      /* period_frames at the rate */
  double mean_us;
  double max_us;
  double mean_load;      /* percent of the period */
  double max_load;
} AlAudioCallbackStats;

/* FALSE (stats zeroed) for backends without a real-time callback (sim) or
 * before the first run. */
gboolean al_audio_backend_get_callback_stats (const AlAudioBackend *backend,
                                              AlAudioCallbackStats *stats);

G_END_DECLS
