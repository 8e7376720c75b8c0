/* al-audio-player.c — the listening player: an output-only PortAudio
 * stream (planar float32 at the takes' rate, the device's low latency)
 * around the real-time engine of al-audio-player-engine.c, the play /
 * pause / stop state machine, and the checks a caller's timer runs to
 * notice a device that died or stalled.
 *
 * The stream opens on play and closes on stop, on new takes and on free;
 * the callback only runs the engine and counts underflows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-audio-player-private.h"
#include "al-audio-private.h"

#include <math.h>
#include <portaudio.h>
#include <string.h>

/* No callback for this long: the device or the server is gone. */
#define STALL_US (3 * G_USEC_PER_SEC)
/* Closing a JACK stream waits for this long for a callback first. */
#define CLOSE_PROBE_US (250 * 1000)
/* Longest crossfade, s. */
#define MAX_FADE 10.0

/* What the callback reads: its own block, so a stream that cannot be
 * closed (below) can be left behind without pointing at freed memory. */
typedef struct {
  _Atomic (AlPlayerEngine *) engine; /* NULL: left behind, silent */
  int n_out;
  atomic_int busy;       /* the callback is running */
  atomic_int underflows;
  atomic_llong ncallbacks;
} Link;

struct AlAudioPlayer {
  char *uri;
  char *device_name;     /* "portaudio device 'system' (JACK Audio Connection Kit)" */
  char *name;            /* … ", outputs 1-2" */
  PaDeviceIndex device;
  gboolean is_jack;
  gboolean pinned;       /* a stream was left behind: PortAudio must stay up */
  int max_outputs;
  int *uri_outs;         /* out= of the URI (0-based), NULL: the default */
  int n_uri_outs;
  int frames;            /* frames per callback, 0: the host's */

  AlPlayerEngine *engine; /* NULL until takes are set */
  double rate;

  PaStream *stream;      /* NULL: stopped */
  Link *link;            /* the stream's */
  gboolean paused;
  int take;
  double fade;           /* s */
  gboolean loop;
  double loop_start, loop_end;

  int underflows;        /* of the last stream, once closed */
  gint64 last_count, last_change;
};

/* ---- The callback ---- */

static int
player_callback (const void *input, void *output, unsigned long frames,
                 const PaStreamCallbackTimeInfo *time_info, PaStreamCallbackFlags flags, void *user_data)
{
  Link *l = user_data;
  /* busy before the engine is read, and the closer clears the engine
   * before it reads busy (both sequentially consistent): a closer that
   * sees busy == 0 knows no callback uses the engine. */
  atomic_store (&l->busy, 1);
  AlPlayerEngine *e = atomic_load (&l->engine);
  if (flags & paOutputUnderflow)
    atomic_fetch_add_explicit (&l->underflows, 1, memory_order_relaxed);
  atomic_fetch_add_explicit (&l->ncallbacks, 1, memory_order_relaxed);
  if (e != NULL)
    al_player_engine_process (e, output, l->n_out, (int) frames);
  else
    for (int o = 0; o < l->n_out; o++)
      memset (((float **) output)[o], 0, sizeof (float) * frames);
  atomic_store (&l->busy, 0);
  return paContinue;
}

/* ---- Opening ---- */

/* "…, outputs 1-2" or "…, output 1". */
static void
set_name (AlAudioPlayer *p, const int *outs, int nouts)
{
  g_autofree char *list = al_audio_channels_to_string (outs, nouts);
  g_free (p->name);
  p->name = g_strdup_printf ("%s, output%s %s", p->device_name, nouts == 1 ? "" : "s", list);
}

/* The outputs takes of nchannels play on: out= of the URI, else 1-2 (1
 * for one-channel takes). */
static int *
output_map (const AlAudioPlayer *p, int nchannels, int *n)
{
  if (p->uri_outs != NULL)
    {
      *n = p->n_uri_outs;
      return g_memdup2 (p->uri_outs, sizeof (int) * p->n_uri_outs);
    }
  *n = nchannels == 1 ? 1 : 2;
  int *outs = g_new (int, *n);
  for (int i = 0; i < *n; i++)
    outs[i] = i;
  return outs;
}

AlAudioPlayer *
al_audio_player_new (const char *uri, GError **error)
{
  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The URI's own mistakes first: they do not depend on the devices. */
  static const char *const keys[] = { "out", "frames", NULL };
  g_autoptr (AlAudioUri) u = al_audio_uri_parse_portaudio (uri, error);
  int frames = 0, nouts = 0;
  if (u == NULL || !al_audio_uri_check_keys (u, keys, error)
      || !al_audio_uri_get_int (u, "frames", 16, 65536, &frames, error))
    return NULL;
  g_autofree int *outs = al_audio_uri_get_channels (u, "out", &nouts, error);
  if (outs == NULL && al_audio_uri_get (u, "out") != NULL)
    return NULL;

  if (!al_pa_acquire (error))
    return NULL;
  PaDeviceIndex dev = al_pa_find_device (u->path, TRUE, error);
  if (dev == paNoDevice)
    {
      al_pa_release ();
      return NULL;
    }
  const PaDeviceInfo *info = Pa_GetDeviceInfo (dev);
  g_autofree char *device_name = g_strdup_printf ("portaudio device '%s' (%s)", info->name,
                                                  Pa_GetHostApiInfo (info->hostApi)->name);
  int want = -1;
  for (int i = 0; i < nouts; i++)
    want = MAX (want, outs[i]);
  if (!al_pa_check_count (device_name, info->maxOutputChannels, MAX (want, 0), "output", error))
    {
      al_pa_release ();
      return NULL;
    }

  AlAudioPlayer *p = g_new0 (AlAudioPlayer, 1);
  p->uri = g_strdup (uri);
  p->device_name = g_steal_pointer (&device_name);
  p->device = dev;
  p->is_jack = Pa_GetHostApiInfo (info->hostApi)->type == paJACK;
  p->max_outputs = info->maxOutputChannels;
  p->uri_outs = g_steal_pointer (&outs);
  p->n_uri_outs = nouts;
  p->frames = frames;
  p->fade = 0.010;
  int n = 0;
  g_autofree int *map = output_map (p, 2, &n);
  set_name (p, map, n);
  return p;
}

void
al_audio_player_free (AlAudioPlayer *p)
{
  if (p == NULL)
    return;
  al_audio_player_stop (p);
  al_player_engine_free (p->engine);
  g_free (p->uri);
  g_free (p->device_name);
  g_free (p->name);
  g_free (p->uri_outs);
  gboolean pinned = p->pinned;
  g_free (p);
  if (!pinned)
    al_pa_release ();
}

const char *
al_audio_player_get_name (const AlAudioPlayer *p)
{
  g_return_val_if_fail (p != NULL, NULL);
  return p->name;
}

/* ---- Takes ---- */

gboolean
al_audio_player_set_takes (AlAudioPlayer *p, const float *const *takes, const char *const *names, int ntakes,
                           int nchannels, gsize nframes, double rate, GError **error)
{
  g_return_val_if_fail (p != NULL && takes != NULL && ntakes >= 1, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Everything is checked before the running stream stops: a failure
   * changes nothing. */
  if (!isfinite (rate) || rate < 1000.0 || rate > 768000.0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "%s: cannot play takes at %g Hz", p->device_name,
                   rate);
      return FALSE;
    }
  int nmap = 0;
  g_autofree int *map = output_map (p, nchannels, &nmap);
  int want = 0;
  for (int i = 0; i < nmap; i++)
    want = MAX (want, map[i]);
  if (!al_pa_check_count (p->device_name, p->max_outputs, want, "output", error))
    return FALSE;
  AlPlayerEngine *engine = al_player_engine_new (takes, names, ntakes, nchannels, nframes, map, nmap,
                                                 p->device_name, error);
  if (engine == NULL)
    return FALSE;
  if (!al_pa_check_rate (p->device_name, p->device, 0, engine->n_out, rate, error))
    {
      al_player_engine_free (engine);
      return FALSE;
    }

  al_audio_player_stop (p);
  al_player_engine_free (p->engine);
  p->engine = engine;
  p->rate = rate;
  p->take = 0;
  set_name (p, map, nmap);
  al_player_engine_set_fade (engine, (int) lround (p->fade * rate));
  al_audio_player_set_loop (p, p->loop, p->loop_start, p->loop_end);
  return TRUE;
}

int
al_audio_player_get_n_takes (const AlAudioPlayer *p)
{
  g_return_val_if_fail (p != NULL, 0);
  return p->engine != NULL ? p->engine->ntakes : 0;
}

double
al_audio_player_get_duration (const AlAudioPlayer *p)
{
  g_return_val_if_fail (p != NULL, 0.0);
  return p->engine != NULL ? p->engine->nframes / p->rate : 0.0;
}

void
al_audio_player_set_fade (AlAudioPlayer *p, double seconds)
{
  g_return_if_fail (p != NULL);
  p->fade = isfinite (seconds) ? CLAMP (seconds, 0.0, MAX_FADE) : 0.010;
  if (p->engine != NULL)
    al_player_engine_set_fade (p->engine, (int) lround (p->fade * p->rate));
}

/* ---- Playing ---- */

/* Where a restart after the end begins. */
static gint64
restart_frame (const AlAudioPlayer *p)
{
  return p->loop ? CLAMP (llround (p->loop_start * p->rate), 0, p->engine->nframes) : 0;
}

/* PortAudio's JACK stop (and so close and Pa_Terminate) waits up to ten
 * minutes for a process cycle that a server which died or hangs never
 * runs: such a stream is left behind, silent, and PortAudio stays up. */
static gboolean
jack_stream_dead (AlAudioPlayer *p)
{
  if (!p->is_jack)
    return FALSE;
  gint64 count = atomic_load (&p->link->ncallbacks), until = g_get_monotonic_time () + CLOSE_PROBE_US;
  while (Pa_IsStreamActive (p->stream) == 1)
    {
      if (atomic_load (&p->link->ncallbacks) != count)
        return FALSE;
      if (g_get_monotonic_time () > until)
        return TRUE;
      g_usleep (1000);
    }
  return TRUE;
}

static void
close_stream (AlAudioPlayer *p)
{
  Link *l = p->link;
  if (jack_stream_dead (p))
    {
      atomic_store (&l->engine, NULL);
      gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC;
      while (atomic_load (&l->busy) && g_get_monotonic_time () < until)
        g_usleep (1000);
      /* A callback still inside the engine after a second (its thread
       * stopped mid-period) keeps it: the player lets go of its takes. */
      if (atomic_load (&l->busy))
        p->engine = NULL;
      p->underflows = atomic_load (&l->underflows);
      p->pinned = TRUE; /* the stream keeps l and PortAudio's reference */
    }
  else
    {
      al_pa_lock ();
      Pa_AbortStream (p->stream);
      Pa_CloseStream (p->stream);
      al_pa_unlock ();
      p->underflows = atomic_load (&l->underflows);
      g_free (l);
    }
  p->stream = NULL;
  p->link = NULL;
  p->paused = FALSE;
  /* No callback runs now: settle the engine on silence where it is. */
  if (p->engine != NULL)
    {
      al_player_engine_set_playing (p->engine, FALSE);
      al_player_engine_locate (p->engine, al_player_engine_get_position (p->engine));
    }
}

static gboolean
open_stream (AlAudioPlayer *p, GError **error)
{
  const PaDeviceInfo *info = Pa_GetDeviceInfo (p->device);
  PaStreamParameters out = { 0 };
  out.device = p->device;
  out.channelCount = p->engine->n_out;
  /* Planar floats: the engine writes the stream's own buffers.  Low
   * latency: a switch should be heard when the key is pressed. */
  out.sampleFormat = paFloat32 | paNonInterleaved;
  out.suggestedLatency = info->defaultLowOutputLatency;
  Link *l = g_new0 (Link, 1);
  atomic_init (&l->engine, p->engine);
  l->n_out = p->engine->n_out;
  PaStream *stream = NULL;
  al_pa_lock ();
  PaError e = Pa_OpenStream (&stream, NULL, &out, p->rate,
                             p->frames > 0 ? (unsigned long) p->frames : paFramesPerBufferUnspecified,
                             paClipOff | paDitherOff, player_callback, l);
  if (e == paNoError)
    {
      e = Pa_StartStream (stream);
      if (e != paNoError)
        Pa_CloseStream (stream);
    }
  al_pa_unlock ();
  if (e != paNoError)
    {
      g_free (l);
      al_pa_set_error (error, p->name, "could not start the output stream", e);
      return FALSE;
    }
  p->stream = stream;
  p->link = l;
  p->underflows = 0;
  p->last_count = -1;
  p->last_change = g_get_monotonic_time ();
  return TRUE;
}

gboolean
al_audio_player_play (AlAudioPlayer *p, GError **error)
{
  g_return_val_if_fail (p != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  if (p->engine == NULL)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "%s: no takes to play", p->name);
      return FALSE;
    }
  if (p->stream == NULL)
    {
      if (!p->loop && al_player_engine_get_position (p->engine) >= p->engine->nframes)
        al_player_engine_locate (p->engine, restart_frame (p));
      /* The first period fades in from silence. */
      al_player_engine_set_playing (p->engine, TRUE);
      if (!open_stream (p, error))
        {
          al_player_engine_set_playing (p->engine, FALSE);
          return FALSE;
        }
      p->paused = FALSE;
      return TRUE;
    }
  if (al_player_engine_is_ended (p->engine))
    al_player_engine_seek (p->engine, restart_frame (p));
  al_player_engine_set_playing (p->engine, TRUE);
  p->paused = FALSE;
  return TRUE;
}

void
al_audio_player_pause (AlAudioPlayer *p)
{
  g_return_if_fail (p != NULL);
  if (p->stream == NULL)
    return;
  al_player_engine_set_playing (p->engine, FALSE);
  p->paused = TRUE;
}

void
al_audio_player_stop (AlAudioPlayer *p)
{
  g_return_if_fail (p != NULL);
  if (p->stream == NULL)
    return;
  /* Let the fade-out play before the stream goes; a stream that died or
   * stalled does not keep us waiting long. */
  al_player_engine_set_playing (p->engine, FALSE);
  gint64 until = g_get_monotonic_time () + (gint64) ((p->fade + 0.25) * G_USEC_PER_SEC);
  while (!al_player_engine_is_silent (p->engine) && !al_player_engine_is_ended (p->engine)
         && g_get_monotonic_time () < until && Pa_IsStreamActive (p->stream) == 1)
    g_usleep (1000);
  close_stream (p);
}

void
al_audio_player_select (AlAudioPlayer *p, int index)
{
  g_return_if_fail (p != NULL);
  if (p->engine == NULL)
    return;
  g_return_if_fail (index >= 0 && index < p->engine->ntakes);
  p->take = index;
  al_player_engine_select (p->engine, index);
}

int
al_audio_player_get_take (const AlAudioPlayer *p)
{
  g_return_val_if_fail (p != NULL, 0);
  return p->take;
}

void
al_audio_player_seek (AlAudioPlayer *p, double seconds)
{
  g_return_if_fail (p != NULL);
  if (p->engine == NULL || isnan (seconds))
    return;
  double s = CLAMP (seconds, 0.0, (double) p->engine->nframes / p->rate);
  gint64 frame = llround (s * p->rate);
  if (p->stream != NULL)
    al_player_engine_seek (p->engine, frame);
  else
    al_player_engine_locate (p->engine, frame);
}

double
al_audio_player_get_position (const AlAudioPlayer *p)
{
  g_return_val_if_fail (p != NULL, 0.0);
  return p->engine != NULL ? al_player_engine_get_position (p->engine) / p->rate : 0.0;
}

void
al_audio_player_set_loop (AlAudioPlayer *p, gboolean loop, double start, double end)
{
  g_return_if_fail (p != NULL);
  p->loop = loop;
  p->loop_start = isfinite (start) ? start : 0.0;
  p->loop_end = isfinite (end) ? end : 0.0;
  if (p->engine != NULL)
    al_player_engine_set_loop (p->engine, loop, llround (MAX (p->loop_start, 0.0) * p->rate),
                               llround (MAX (p->loop_end, 0.0) * p->rate));
}

AlAudioPlayerState
al_audio_player_get_state (const AlAudioPlayer *p)
{
  g_return_val_if_fail (p != NULL, AL_AUDIO_PLAYER_STOPPED);
  if (p->stream == NULL)
    return AL_AUDIO_PLAYER_STOPPED;
  if (al_player_engine_is_ended (p->engine))
    return AL_AUDIO_PLAYER_ENDED;
  return p->paused ? AL_AUDIO_PLAYER_PAUSED : AL_AUDIO_PLAYER_PLAYING;
}

gboolean
al_audio_player_check (AlAudioPlayer *p, int *underflows, GError **error)
{
  g_return_val_if_fail (p != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  if (underflows != NULL)
    *underflows = p->stream != NULL ? atomic_load (&p->link->underflows) : p->underflows;
  if (p->stream == NULL)
    return TRUE;

  gint64 now = g_get_monotonic_time ();
  gint64 count = atomic_load (&p->link->ncallbacks);
  if (count != p->last_count)
    {
      p->last_count = count;
      p->last_change = now;
    }
  PaError active = Pa_IsStreamActive (p->stream);
  if (active != 1)
    {
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_DEVICE, "%s: the stream stopped (%s)", p->name,
                   active < 0 ? Pa_GetErrorText (active) : "the device or server went away");
      close_stream (p);
      return FALSE;
    }
  if (now - p->last_change > STALL_US)
    {
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_DEVICE,
                   "%s: no audio for %d s: the device or the audio server stalled", p->name,
                   (int) (STALL_US / G_USEC_PER_SEC));
      close_stream (p);
      return FALSE;
    }
  return TRUE;
}
