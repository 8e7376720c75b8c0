/* al-audio-private.h — what the audio backend files share: the backend base
 * and its class, parsed URIs, the PortAudio helpers (also used by the
 * player), block meters, and the real-time duplex engine that runs inside
 * a PortAudio callback.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "al-audio-backend.h"

#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>

/* ---- URIs (al-audio-backend.c) ---- */

typedef struct {
  char *uri;             /* as given, for messages */
  char *scheme;
  char *path;            /* unescaped; "" when none */
  GHashTable *params;    /* unescaped key -> value */
} AlAudioUri;

void al_audio_uri_free (AlAudioUri *u);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlAudioUri, al_audio_uri_free)
/* Fails on a key not in `allowed` (NULL-terminated). */
gboolean al_audio_uri_check_keys (const AlAudioUri *u, const char *const *allowed, GError **error);
const char *al_audio_uri_get (const AlAudioUri *u, const char *key);
/* Leave *value alone when the key is absent; fail on non-numbers or values
 * outside [lo, hi]. */
gboolean al_audio_uri_get_double (const AlAudioUri *u, const char *key, double lo, double hi,
                                  double *value, GError **error);
gboolean al_audio_uri_get_int (const AlAudioUri *u, const char *key, int lo, int hi, int *value,
                               GError **error);
/* A 0-based channel list from a key, NULL (no error) when absent. */
int *al_audio_uri_get_channels (const AlAudioUri *u, const char *key, int *n, GError **error);
/* Parses "portaudio:DEVICE?…" (the player's URIs): AL_AUDIO_ERROR_URI for
 * another scheme or a malformed query. */
AlAudioUri *al_audio_uri_parse_portaudio (const char *uri, GError **error);

/* ---- PortAudio helpers (al-audio-portaudio.c) ----
 *
 * Device indices and error codes are PortAudio's (PaDeviceIndex, PaError:
 * both int), so this header needs no portaudio.h. */

/* Pa_Initialize with the JACK client named "ambilab" and
 * JACK_NO_START_SERVER set (never spawn a server); every successful call
 * needs one al_pa_release. */
gboolean al_pa_acquire (GError **error);
void al_pa_release (void);
/* Held around opening, starting, stopping and closing streams. */
void al_pa_lock (void);
void al_pa_unlock (void);
/* Index, exact name (case-insensitive) or a unique substring of a name;
 * empty: the default output device (output) or input device.  paNoDevice
 * (−1) with AL_AUDIO_ERROR_NO_DEVICE listing the devices there are. */
int al_pa_find_device (const char *want, gboolean output, GError **error);
/* AL_AUDIO_ERROR_CHANNELS unless the 0-based channel `want` < `have`
 * ("input"/"output" in the message). */
gboolean al_pa_check_count (const char *name, int have, int want, const char *what, GError **error);
/* AL_AUDIO_ERROR_RATE (listing the rates that work) unless a planar
 * float32 stream of n_in/n_out channels runs at `rate`. */
gboolean al_pa_check_rate (const char *name, int device, int n_in, int n_out, double rate, GError **error);
/* AL_AUDIO_ERROR_DEVICE "NAME: WHAT: PortAudio's text[: the host API's text]". */
void al_pa_set_error (GError **error, const char *name, const char *what, int pa_error);

/* ---- The base every backend embeds first ---- */

typedef struct AlAudioMeter AlAudioMeter;

typedef struct {
  void (*finalize) (AlAudioBackend *backend);
  AlRecording *(*play_record) (AlAudioBackend *backend, const float *played, int n,
                               AlAudioRunInfo *info, GCancellable *cancellable, GError **error);
  /* Plays `signal` (n samples) over and over on the outputs for nframes
   * frames (<= 0: until cancelled) and feeds every recorded frame to the
   * meter.  Dropouts end up in the meter's status, they do not fail. */
  gboolean (*play_loop) (AlAudioBackend *backend, const float *signal, int n, gint64 nframes,
                         AlAudioMeter *meter, GCancellable *cancellable, GError **error);
  gboolean (*callback_stats) (const AlAudioBackend *backend, AlAudioCallbackStats *stats);
} AlAudioBackendClass;

struct AlAudioBackend {
  const AlAudioBackendClass *klass;
  char *uri;
  char *name;
  double rate;
  int nmics;
  int ref;               /* recording row of the reference, −1 */
  int *device_inputs;    /* nmics + (ref >= 0): 1-based device inputs of the rows */
  double angle;
  AlAudioStartedFunc started;
  gpointer started_data;
};

/* Takes ownership of name and device_inputs. */
void al_audio_backend_init_base (AlAudioBackend *backend, const AlAudioBackendClass *klass,
                                 const char *uri, char *name, double rate, int nmics, int ref,
                                 int *device_inputs);
gboolean al_audio_backend_call_started (AlAudioBackend *backend, GError **error);

AlAudioBackend *al_audio_portaudio_open (const AlAudioUri *u, GError **error);
AlAudioBackend *al_audio_simchamber_open (const AlAudioUri *u, GError **error);

/* ---- Block meters (al-audio-level.c) ---- */

AlAudioMeter *al_audio_meter_new (int nchannels, int ref_channel, double rate, int block_frames,
                                  AlAudioMeterFunc func, gpointer user_data);
void al_audio_meter_free (AlAudioMeter *meter);
/* n frames of every channel: channel c's frames are rows[c·stride + start …]. */
void al_audio_meter_feed (AlAudioMeter *meter, const float *rows, size_t stride, size_t start, int n);
void al_audio_meter_add_status (AlAudioMeter *meter, guint status);
/* Meters the last partial block and returns the whole run's levels. */
AlAudioLevels *al_audio_meter_finish (AlAudioMeter *meter);

/* ---- The real-time duplex engine (al-audio-duplex.c) ----
 *
 * Everything the audio callback touches is allocated and paged in before
 * the stream starts; al_audio_duplex_process only copies between those
 * buffers and publishes its progress through atomics and a semaphore (no
 * allocation, no locks, no printing). */

typedef enum {
  AL_DUPLEX_WAITING,     /* stream running, outputs silent, nothing recorded */
  AL_DUPLEX_RUNNING,     /* playing and recording */
  AL_DUPLEX_DONE,        /* all frames done: silent again */
} AlDuplexState;

typedef struct {
  /* configuration, read-only once the stream runs */
  int n_in, n_out;       /* stream channels */
  int nrec;
  int *rec_src;          /* nrec: stream input of each recorded row */
  guint8 *out_on;        /* n_out: 1 where the signal plays */
  const float *play;
  int nplay;
  gboolean loop;         /* play cyclically and record into a ring */
  float *rec;            /* nrec x ring, planar */
  size_t ring;           /* frames per row (the recording length when not looping) */
  gint64 nframes;        /* frames to run; <= 0: until stopped (loop only) */

  /* written by the callback, read by the caller thread */
  atomic_int state;
  atomic_llong pos;      /* frames done */
  atomic_uint status;    /* AlAudioStatus while running */
  atomic_int nflagged;
  atomic_llong first_flag; /* frame position of the first flagged period, −1 */
  atomic_llong ncallbacks; /* every callback, waiting ones included */
  sem_t done;

  /* timing of the running callbacks: the callback's own fields, read after
   * the stream has stopped */
  gint64 t_count;
  gint64 t_sum_ns;
  gint64 t_max_ns;
  int max_frames;
} AlDuplex;

/* rec: caller-owned nrec x ring buffer (paged in here); play: caller-owned. */
AlDuplex *al_duplex_new (int n_in, int n_out, const int *rec_src, int nrec, const int *outs,
                         int nouts, const float *play, int nplay, gboolean loop, float *rec,
                         size_t ring, gint64 nframes);
void al_duplex_free (AlDuplex *d);
/* The callback body: in/out are non-interleaved stream buffers (either may
 * be NULL), status the AlAudioStatus flags of this period.  TRUE when the
 * period played and recorded (the signal was running). */
gboolean al_duplex_process (AlDuplex *d, const float *const *in, float *const *out, int frames,
                        guint status);
/* Adds one callback's duration (from the callback, after processing). */
void al_duplex_account (AlDuplex *d, gint64 ns, int frames);
/* WAITING -> RUNNING: the next callback starts playing and recording. */
void al_duplex_start (AlDuplex *d);
/* Waits up to timeout_ms for DONE; TRUE when done. */
gboolean al_duplex_wait (AlDuplex *d, int timeout_ms);
void al_duplex_stats (const AlDuplex *d, double rate, AlAudioCallbackStats *stats);
