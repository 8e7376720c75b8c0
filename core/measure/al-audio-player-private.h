/* al-audio-player-private.h — the player's real-time engine, apart from
 * PortAudio so tests and benchmarks drive it block by block: the takes
 * (copied, planar), the output map, the controls the caller's thread writes,
 * and the state only the audio callback touches.
 *
 * Two voices make every change one mechanism: `b` is the target (what is
 * heard once settled), `a` the voice fading out.  A voice is a take at a
 * position, or silence holding a position.  A switch, a seek, a pause or
 * resume, and a loop wrap all start a crossfade from a = b to b = the new
 * voice over `fade` frames, both positions advancing; the target's gain is
 * the raised cosine g(k) = (1 − cos(π k / L)) / 2 for frame k of L, the
 * outgoing voice's 1 − g (equal gain: the takes are correlated renderings
 * of one scene, so their sum, not their power, must stay constant).
 *
 * A request during a fade: when it asks for the voice that is fading out
 * (switching back, resuming during a pause's fade-out, pausing during a
 * fade-in) the fade turns round where it is (k → L − k: every sample stays
 * continuous); any other request waits until the fade has ended (at most L
 * frames) and then starts a new fade from the target, so the output never
 * jumps.  Requests that arrive together (a take and a seek) make one fade.
 *
 * Loop [start, end): when the target reaches end − L the wrap fades from
 * [end − L, end) into [start, start + L), so the position published stays
 * inside; L is at most half the loop.  A change whose fade would reach the
 * wrap point merges with the wrap.  Without the loop the target plays to
 * the end (reading outside [0, nframes) gives silence) and the engine ends:
 * silent until a seek.
 *
 * Real-time rules: al_player_engine_process touches only memory allocated
 * and written when the engine was made, reads the controls with atomic
 * loads and publishes with atomic stores: no locks, no allocation, no
 * system calls.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "al-audio-player.h"

#include <stdatomic.h>

/* Frames rendered per inner step: the size of the gain scratch. */
#define AL_PLAYER_BLOCK 256
/* Frames per take at most (positions are packed in 31 bits). */
#define AL_PLAYER_MAX_FRAMES ((gsize) G_MAXINT32)

typedef struct {
  int take;              /* −1: silence, which holds its position */
  gint64 pos;            /* frame of the takes */
} AlPlayerVoice;

typedef struct {
  /* configuration, read-only once made */
  int ntakes, nchannels;
  gint64 nframes;
  float **takes;         /* ntakes x (nchannels x nframes), planar */
  int nouts;             /* mapped outputs */
  int *outs;             /* 0-based stream output of each mapped output */
  int n_out;             /* stream outputs: the highest mapped one + 1 */
  guint8 *mapped;        /* n_out: 1 where a take's channel plays */

  /* controls: written by the caller's thread, read by the callback */
  atomic_int want_take;
  atomic_int want_play;
  atomic_llong seek;     /* requested frame, −1: none (the callback takes it) */
  atomic_uint seek_seq;  /* seeks requested */
  atomic_ullong loop;    /* on (bit 63) | start (bits 32–62) | end (bits 0–31) */
  atomic_int fade;       /* frames */

  /* published by the callback */
  atomic_llong position; /* the target's frame after the last period */
  atomic_int ended;
  atomic_int silent;     /* settled on silence: nothing audible */
  atomic_uint seen_seq;  /* seek_seq when the callback last looked */
  atomic_llong ncallbacks;

  /* the callback's own */
  AlPlayerVoice a, b;    /* fading out, target */
  int k, len;            /* frames into the fade and its length; k >= len: settled on b */
  gint64 pend_seek;      /* a seek waiting for a fade to end, −1 */
  gboolean is_ended;
  gboolean loop_on;      /* the loop of the last look at the controls */
  gint64 loop_start, loop_end;
  int loop_fade;
  float ga[AL_PLAYER_BLOCK], gb[AL_PLAYER_BLOCK];
} AlPlayerEngine;

/* Copies the takes: ntakes planar buffers of nchannels x nframes.
 * nchannels must be 1 (played on every mapped output) or nouts; outs are
 * the 0-based stream outputs.  Non-finite samples fail with
 * AL_ERROR_INVALID_INPUT naming the take (names[i], or its number); a
 * channel count that does not fit the map fails with
 * AL_AUDIO_ERROR_CHANNELS naming `device` (what messages call the
 * outputs).  Starts paused at frame 0 on take 0, without a fade. */
AlPlayerEngine *al_player_engine_new (const float *const *takes, const char *const *names, int ntakes,
                                      int nchannels, gsize nframes, const int *outs, int nouts,
                                      const char *device, GError **error);
void al_player_engine_free (AlPlayerEngine *e);

/* ---- Controls: any time, from one caller thread ---- */

void al_player_engine_select (AlPlayerEngine *e, int take);
void al_player_engine_set_playing (AlPlayerEngine *e, gboolean playing);
/* Clamped to [0, nframes]. */
void al_player_engine_seek (AlPlayerEngine *e, gint64 frame);
/* [start, end) clamped to the takes; end <= start: all of them. */
void al_player_engine_set_loop (AlPlayerEngine *e, gboolean on, gint64 start, gint64 end);
void al_player_engine_set_fade (AlPlayerEngine *e, int frames);

/* Only while no callback runs (before a stream starts or after it
 * closed): silent at `frame`, no fade, no pending seek, not ended. */
void al_player_engine_locate (AlPlayerEngine *e, gint64 frame);

/* ---- What the callback published ---- */

gint64 al_player_engine_get_position (const AlPlayerEngine *e);
/* Ended and no seek requested since. */
gboolean al_player_engine_is_ended (const AlPlayerEngine *e);
gboolean al_player_engine_is_silent (const AlPlayerEngine *e);

/* ---- The callback body ----
 * Fills out[0 … n_out_stream) (non-interleaved, `frames` each; NULL: only
 * advance) with the mix; stream outputs outside the map get zeros. */
void al_player_engine_process (AlPlayerEngine *e, float *const *out, int n_out_stream, int frames);
