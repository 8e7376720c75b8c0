/* al-audio-player.h — listening: an output-only PortAudio stream that plays
 * one of several equally long "takes" (the same scene through different
 * encoders, the mics, the truth) and switches between them seamlessly at
 * the same position, as a listener comparing them expects (and as a
 * MUSHRA trial needs): a switch, a seek or a pause is a short equal-gain
 * raised-cosine crossfade, never a click; takes may loop over a region.
 *
 * The audio callback only reads the takes (copied in before the stream
 * starts) and a few atomics the caller's thread writes; it never blocks,
 * allocates or locks.  A request that comes during a fade either turns
 * that fade round (asking back for what is fading out) or waits for it to
 * end, at most one fade (al-audio-player-private.h has the details).  The
 * functions are for one thread, such as the GUI's main thread.
 *
 * URIs: portaudio:DEVICE?out=1-2&frames=256 — DEVICE as in
 * al-audio-backend.h, but empty means the default *output* device; out:
 * the outputs the take's channels go to, in order (default: 1 and 2, or 1
 * for one-channel takes); the stream runs at the takes' rate.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "al-audio-backend.h"

G_BEGIN_DECLS

typedef struct AlAudioPlayer AlAudioPlayer;

typedef enum {
  AL_AUDIO_PLAYER_STOPPED, /* no stream */
  AL_AUDIO_PLAYER_PLAYING,
  AL_AUDIO_PLAYER_PAUSED,  /* stream running, outputs silent */
  AL_AUDIO_PLAYER_ENDED,   /* played to the end of the takes without looping: silent
                            * until a seek or play */
} AlAudioPlayerState;

/* Checks the URI's form and finds the device (AL_AUDIO_ERROR_*); the
 * stream opens at the first al_audio_player_play. */
AlAudioPlayer *al_audio_player_new (const char *uri, GError **error);
void al_audio_player_free (AlAudioPlayer *player);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlAudioPlayer, al_audio_player_free)

/* "portaudio device 'system' (JACK Audio Connection Kit), outputs 1-2". */
const char *al_audio_player_get_name (const AlAudioPlayer *player);

/* Replaces the takes (stopping a running stream first): ntakes planar
 * buffers of nchannels x nframes at `rate`, copied.  nchannels must be 1
 * (played on every output of the map) or the number of outputs in the map.
 * Non-finite samples are refused (naming the take), so NaNs never reach a
 * loudspeaker; a rate the device cannot run fails with
 * AL_AUDIO_ERROR_RATE.  names (may be NULL) label takes in messages.  The
 * new takes start at 0 on take 0 (fade and loop settings stay); on failure
 * nothing changes. */
gboolean al_audio_player_set_takes (AlAudioPlayer *player, const float *const *takes,
                                    const char *const *names, int ntakes, int nchannels,
                                    gsize nframes, double rate, GError **error);
int al_audio_player_get_n_takes (const AlAudioPlayer *player);
double al_audio_player_get_duration (const AlAudioPlayer *player); /* s */

/* Crossfade length in seconds (default 0.010) of switches, seeks, pauses
 * and loop wraps. */
void al_audio_player_set_fade (AlAudioPlayer *player, double seconds);

/* Opens and starts the stream when stopped (fails with AL_AUDIO_ERROR_*
 * naming the device), resumes when paused, restarts from the loop start
 * (or 0) when ended.  Sound always fades in. */
gboolean al_audio_player_play (AlAudioPlayer *player, GError **error);
/* Fades out and holds the position; the stream keeps running. */
void al_audio_player_pause (AlAudioPlayer *player);
/* Fades out and closes the stream; the position is kept. */
void al_audio_player_stop (AlAudioPlayer *player);

/* Switches to take `index` at the current position (crossfade); while
 * paused or stopped it picks the take that plays next. */
void al_audio_player_select (AlAudioPlayer *player, int index);
int al_audio_player_get_take (const AlAudioPlayer *player);
/* Moves to `seconds` (crossfade), clamped to the takes; at once while
 * stopped.  While looping, a position at or past the loop's end goes to
 * its start. */
void al_audio_player_seek (AlAudioPlayer *player, double seconds);
/* The position of the sound now leaving the callback, s (held while
 * paused and stopped). */
double al_audio_player_get_position (const AlAudioPlayer *player);
/* Loop [start, end) s; end <= start: the whole take.  Off: play to the end.
 * Wraps crossfade the loop's last fade into its start, so the position
 * stays inside once there (fades shrink to half a short loop). */
void al_audio_player_set_loop (AlAudioPlayer *player, gboolean loop, double start, double end);

AlAudioPlayerState al_audio_player_get_state (const AlAudioPlayer *player);
/* FALSE with AL_AUDIO_ERROR_DEVICE when the running stream died or
 * stalled (device unplugged, server gone, no callback for 3 s): the state
 * becomes STOPPED.  *underflows (may be NULL) gets the output underflows
 * counted since the stream started.  Call it from a timer while playing.
 * A JACK stream whose server died cannot be closed (PortAudio would wait
 * minutes for it): it is left behind, silent, and PortAudio stays
 * initialised until the process ends. */
gboolean al_audio_player_check (AlAudioPlayer *player, int *underflows, GError **error);

G_END_DECLS
