/* al-audio-portaudio.c — the "portaudio:" audio backend: device listing and
 * matching, channel-map and sample-rate checks (shared with the player as
 * al_pa_*), and duplex runs on a fresh callback stream each (the callback
 * itself is al-audio-duplex.c).
 *
 * A run opens and starts the stream, lets the caller patch connections
 * (the started hook), waits a few periods so those are in place, and only
 * then starts the signal: play and record begin in the same callback, so a
 * loopback shows the interface's own round-trip latency.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-audio-private.h"

#include <math.h>
#include <pa_jack.h>
#include <portaudio.h>
#include <string.h>
#include <time.h>

/* Between the started hook and the signal at least this many periods and
 * this much time pass: JACK applies connections made in the hook at the
 * next graph cycle, and reports the xruns that graph changes and stream
 * start-up cause a few periods late (as a flag on a later callback), which
 * must not land on the signal as false dropouts. */
#define SETTLE_PERIODS 4
#define SETTLE_US (100 * 1000)
/* No callback for this long: the device or the server is gone. */
#define STALL_US (3 * G_USEC_PER_SEC)
/* Ring of a level check, seconds per channel. */
#define RING_SECONDS 4

typedef struct {
  AlAudioBackend base;
  PaDeviceIndex device;
  int n_in, n_out;       /* stream channels: up to the highest mapped one */
  int *rec_src;          /* recording rows -> stream inputs (0-based) */
  int *outs;
  int nouts;
  int frames;            /* frames per callback, 0: the host's */
  AlAudioCallbackStats stats;
  gboolean have_stats;
} AlAudioPortAudio;

/* ---- Library lifetime ---- */

/* Pa_Initialize/Pa_Terminate nest, but are not thread-safe; opening,
 * starting and closing streams is done under the same lock. */
static GMutex pa_lock;

void
al_pa_lock (void)
{
  g_mutex_lock (&pa_lock);
}

void
al_pa_unlock (void)
{
  g_mutex_unlock (&pa_lock);
}

gboolean
al_pa_acquire (GError **error)
{
  static gboolean named = FALSE;
  g_mutex_lock (&pa_lock);
  if (!named)
    {
      /* Must precede the first Pa_Initialize; the string stays referenced. */
      PaJack_SetClientName ("ambilab");
      /* Listing devices must not start a JACK server behind the user's back:
       * libjack would spawn jackd, which grabs the sound card and outlives
       * us (and keeps the caller's output pipes open).  A running server is
       * still found. */
      g_setenv ("JACK_NO_START_SERVER", "1", FALSE);
      named = TRUE;
    }
  PaError e = Pa_Initialize ();
  g_mutex_unlock (&pa_lock);
  if (e != paNoError)
    {
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_DEVICE, "PortAudio could not start: %s",
                   Pa_GetErrorText (e));
      return FALSE;
    }
  return TRUE;
}

void
al_pa_release (void)
{
  g_mutex_lock (&pa_lock);
  Pa_Terminate ();
  g_mutex_unlock (&pa_lock);
}

void
al_pa_set_error (GError **error, const char *name, const char *what, PaError e)
{
  const PaHostErrorInfo *host = e == paUnanticipatedHostError ? Pa_GetLastHostErrorInfo () : NULL;
  g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_DEVICE, "%s: %s: %s%s%s", name, what,
               Pa_GetErrorText (e), host && host->errorText ? ": " : "",
               host && host->errorText ? host->errorText : "");
}

/* ---- Devices ---- */

static AlAudioDevice *
device_info (PaDeviceIndex i)
{
  const PaDeviceInfo *info = Pa_GetDeviceInfo (i);
  if (info == NULL)
    return NULL;
  const PaHostApiInfo *api = Pa_GetHostApiInfo (info->hostApi);
  AlAudioDevice *d = g_new0 (AlAudioDevice, 1);
  d->index = i;
  d->name = g_strdup (info->name ? info->name : "");
  d->host_api = g_strdup (api && api->name ? api->name : "unknown host API");
  d->max_inputs = info->maxInputChannels;
  d->max_outputs = info->maxOutputChannels;
  d->default_rate = info->defaultSampleRate;
  d->is_default_input = i == Pa_GetDefaultInputDevice ();
  d->is_default_output = i == Pa_GetDefaultOutputDevice ();
  return d;
}

static GPtrArray *
devices_now (void)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) al_audio_device_free);
  int n = Pa_GetDeviceCount ();
  for (int i = 0; i < n; i++)
    {
      AlAudioDevice *d = device_info (i);
      if (d != NULL)
        g_ptr_array_add (list, d);
    }
  return list;
}

GPtrArray *
al_audio_list_devices (GError **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (!al_pa_acquire (error))
    return NULL;
  GPtrArray *list = devices_now ();
  al_pa_release ();
  return list;
}

/* "0 'system' (JACK Audio Connection Kit, 8 in, 8 out); 1 …" or "none". */
static char *
available_devices (void)
{
  g_autoptr (GPtrArray) list = devices_now ();
  if (list->len == 0)
    return g_strdup ("none; is the audio server running?");
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < list->len; i++)
    {
      const AlAudioDevice *d = list->pdata[i];
      g_string_append_printf (s, "%s%d '%s' (%s, %d in, %d out)", i ? "; " : "", d->index, d->name,
                              d->host_api, d->max_inputs, d->max_outputs);
    }
  return g_string_free (s, FALSE);
}

int
al_pa_find_device (const char *want, gboolean output, GError **error)
{
  int n = Pa_GetDeviceCount ();
  if (want[0] == '\0')
    {
      PaDeviceIndex def = output ? Pa_GetDefaultOutputDevice () : Pa_GetDefaultInputDevice ();
      if (def == paNoDevice)
        {
          g_autofree char *avail = available_devices ();
          g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_NO_DEVICE,
                       "no default audio %s device (available: %s)", output ? "output" : "input", avail);
        }
      return def;
    }
  guint64 index;
  if (g_ascii_string_to_unsigned (want, 10, 0, G_MAXINT, &index, NULL))
    {
      if ((gint64) index < n)
        return (PaDeviceIndex) index;
      g_autofree char *avail = available_devices ();
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_NO_DEVICE,
                   "no audio device with index %s (available: %s)", want, avail);
      return paNoDevice;
    }

  g_autofree char *key = g_utf8_casefold (want, -1);
  g_autoptr (GArray) exact = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr (GArray) partial = g_array_new (FALSE, FALSE, sizeof (int));
  for (int i = 0; i < n; i++)
    {
      const PaDeviceInfo *info = Pa_GetDeviceInfo (i);
      if (info == NULL || info->name == NULL)
        continue;
      g_autofree char *name = g_utf8_casefold (info->name, -1);
      if (strcmp (name, key) == 0)
        g_array_append_val (exact, i);
      else if (strstr (name, key) != NULL)
        g_array_append_val (partial, i);
    }
  GArray *hits = exact->len > 0 ? exact : partial;
  if (hits->len == 1)
    return g_array_index (hits, int, 0);
  if (hits->len == 0)
    {
      g_autofree char *avail = available_devices ();
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_NO_DEVICE,
                   "no audio device matching '%s' (available: %s)", want, avail);
      return paNoDevice;
    }
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < hits->len; i++)
    {
      const PaDeviceInfo *info = Pa_GetDeviceInfo (g_array_index (hits, int, i));
      g_string_append_printf (s, "%s%d '%s' (%s)", i ? "; " : "", g_array_index (hits, int, i),
                              info->name, Pa_GetHostApiInfo (info->hostApi)->name);
    }
  g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_NO_DEVICE,
               "'%s' matches several audio devices (%s): give the index", want, s->str);
  g_string_free (s, TRUE);
  return paNoDevice;
}

/* ---- Stream parameters ---- */

static void
stream_params (PaDeviceIndex device, int n_in, int n_out, PaStreamParameters *in,
               PaStreamParameters *out)
{
  const PaDeviceInfo *info = Pa_GetDeviceInfo (device);
  memset (in, 0, sizeof *in);
  memset (out, 0, sizeof *out);
  /* Planar floats end to end: the callback copies rows without converting.
   * The host's high (safe) latency: a measurement reads its latency off
   * the loopback and only needs no dropouts. */
  in->device = out->device = device;
  in->sampleFormat = out->sampleFormat = paFloat32 | paNonInterleaved;
  in->channelCount = n_in;
  in->suggestedLatency = info->defaultHighInputLatency;
  out->channelCount = n_out;
  out->suggestedLatency = info->defaultHighOutputLatency;
}

gboolean
al_pa_check_rate (const char *name, int device, int n_in, int n_out, double rate, GError **error)
{
  static const double common[] = { 8000, 11025, 16000, 22050, 32000, 44100, 48000, 88200, 96000,
                                   176400, 192000, 384000 };
  PaStreamParameters in, out;
  stream_params (device, n_in, n_out, &in, &out);
  PaStreamParameters *pin = n_in ? &in : NULL, *pout = n_out ? &out : NULL;
  PaError e = Pa_IsFormatSupported (pin, pout, rate);
  if (e == paFormatIsSupported)
    return TRUE;
  if (e != paInvalidSampleRate)
    {
      al_pa_set_error (error, name, "the channel set-up is not supported", e);
      return FALSE;
    }
  GString *ok = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (common); i++)
    if (Pa_IsFormatSupported (pin, pout, common[i]) == paFormatIsSupported)
      g_string_append_printf (ok, "%s%.0f", ok->len ? ", " : "", common[i]);
  g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_RATE,
               "%s does not support a sample rate of %g Hz (supported: %s Hz; default %.0f Hz)",
               name, rate, ok->len ? ok->str : "none of the common rates",
               Pa_GetDeviceInfo (device)->defaultSampleRate);
  g_string_free (ok, TRUE);
  return FALSE;
}

/* The largest of a channel list, −1 for none. */
static int
max_channel (const int *ch, int n)
{
  int m = -1;
  for (int i = 0; i < n; i++)
    m = MAX (m, ch[i]);
  return m;
}

gboolean
al_pa_check_count (const char *name, int have, int want, const char *what, GError **error)
{
  if (want < have)
    return TRUE;
  g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_CHANNELS, "%s has %d %s%s, the map asks for %s %d",
               name, have, what, have == 1 ? "" : "s", what, want + 1);
  return FALSE;
}

/* ---- Runs ---- */

static int
pa_callback (const void *input, void *output, unsigned long frames,
             const PaStreamCallbackTimeInfo *time_info, PaStreamCallbackFlags flags, void *user_data)
{
  AlDuplex *d = user_data;
  struct timespec t0, t1;
  clock_gettime (CLOCK_MONOTONIC, &t0); /* vDSO: no system call, no lock */
  guint status = 0;
  if (flags & paInputUnderflow)
    status |= AL_AUDIO_INPUT_UNDERFLOW;
  if (flags & paInputOverflow)
    status |= AL_AUDIO_INPUT_OVERFLOW;
  if (flags & paOutputUnderflow)
    status |= AL_AUDIO_OUTPUT_UNDERFLOW;
  if (flags & paOutputOverflow)
    status |= AL_AUDIO_OUTPUT_OVERFLOW;
  gboolean worked = al_duplex_process (d, input, output, (int) frames, status);
  clock_gettime (CLOCK_MONOTONIC, &t1);
  if (worked)
    al_duplex_account (d, (t1.tv_sec - t0.tv_sec) * G_GINT64_CONSTANT (1000000000)
                            + (t1.tv_nsec - t0.tv_nsec), (int) frames);
  return paContinue;
}

static gboolean
stream_alive (AlAudioPortAudio *pa, PaStream *stream, AlDuplex *d, gint64 *last_count,
              gint64 *last_change, GError **error)
{
  gint64 now = g_get_monotonic_time ();
  gint64 count = atomic_load (&d->ncallbacks);
  if (count != *last_count)
    {
      *last_count = count;
      *last_change = now;
    }
  PaError active = Pa_IsStreamActive (stream);
  if (active != 1)
    {
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_DEVICE, "%s: the stream stopped (%s)",
                   pa->base.name, active < 0 ? Pa_GetErrorText (active) : "the device or server went away");
      return FALSE;
    }
  if (now - *last_change > STALL_US)
    {
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_DEVICE,
                   "%s: no audio for %d s: the device or the audio server stalled", pa->base.name,
                   (int) (STALL_US / G_USEC_PER_SEC));
      return FALSE;
    }
  return TRUE;
}

/* Until `count` callbacks have run and `min_us` have passed. */
static gboolean
wait_callbacks (AlAudioPortAudio *pa, PaStream *stream, AlDuplex *d, gint64 count, gint64 min_us,
                GCancellable *cancellable, GError **error)
{
  gint64 last_count = -1, last_change = g_get_monotonic_time (), until = last_change + min_us;
  while (atomic_load (&d->ncallbacks) < count || g_get_monotonic_time () < until)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error)
          || !stream_alive (pa, stream, d, &last_count, &last_change, error))
        return FALSE;
      g_usleep (1000);
    }
  return TRUE;
}

/* What the callback recorded since *read, into the meter (loop runs). */
static void
drain_ring (AlDuplex *d, AlAudioMeter *meter, gint64 *read)
{
  gint64 pos = atomic_load_explicit (&d->pos, memory_order_acquire);
  gint64 ring = (gint64) d->ring;
  /* Half a ring behind, the callback may be writing what we would read:
   * skip to the newest half (only a caller stalled for seconds gets here). */
  if (pos - *read > ring / 2)
    *read = pos - ring / 2;
  while (*read < pos)
    {
      size_t at = (size_t) (*read % ring);
      int chunk = (int) MIN (pos - *read, ring - (gint64) at);
      al_audio_meter_feed (meter, d->rec, d->ring, at, chunk);
      *read += chunk;
    }
  al_audio_meter_add_status (meter, atomic_load (&d->status));
}

static gboolean
run_stream (AlAudioPortAudio *pa, PaStream *stream, AlDuplex *d, AlAudioMeter *meter,
            GCancellable *cancellable, GError **error)
{
  if (!wait_callbacks (pa, stream, d, 1, 0, cancellable, error)
      || !al_audio_backend_call_started (&pa->base, error)
      || !wait_callbacks (pa, stream, d, atomic_load (&d->ncallbacks) + SETTLE_PERIODS, SETTLE_US,
                          cancellable, error))
    return FALSE;
  al_duplex_start (d);

  gint64 last_count = -1, last_change = g_get_monotonic_time (), read = 0;
  for (;;)
    {
      gboolean done = al_duplex_wait (d, 20);
      if (meter != NULL)
        drain_ring (d, meter, &read);
      if (done)
        return TRUE;
      if (g_cancellable_set_error_if_cancelled (cancellable, error)
          || !stream_alive (pa, stream, d, &last_count, &last_change, error))
        return FALSE;
    }
}

/* One duplex run on a fresh stream. */
static gboolean
pa_run (AlAudioPortAudio *pa, AlDuplex *d, AlAudioMeter *meter, AlAudioRunInfo *info,
        GCancellable *cancellable, GError **error)
{
  PaStreamParameters in, out;
  stream_params (pa->device, pa->n_in, pa->n_out, &in, &out);
  PaStream *stream = NULL;
  al_pa_lock ();
  PaError e = Pa_OpenStream (&stream, pa->n_in ? &in : NULL, pa->n_out ? &out : NULL, pa->base.rate,
                             pa->frames > 0 ? (unsigned long) pa->frames : paFramesPerBufferUnspecified,
                             paClipOff | paDitherOff, pa_callback, d);
  if (e == paNoError)
    {
      e = Pa_StartStream (stream);
      if (e != paNoError)
        Pa_CloseStream (stream);
    }
  al_pa_unlock ();
  if (e != paNoError)
    {
      al_pa_set_error (error, pa->base.name, "could not start a duplex stream", e);
      return FALSE;
    }

  gboolean ok = run_stream (pa, stream, d, meter, cancellable, error);

  if (info != NULL)
    {
      const PaStreamInfo *si = Pa_GetStreamInfo (stream);
      info->input_latency = si ? si->inputLatency : 0.0;
      info->output_latency = si ? si->outputLatency : 0.0;
    }
  al_pa_lock ();
  /* Abort, not stop: after the signal only silence is queued. */
  Pa_AbortStream (stream);
  Pa_CloseStream (stream);
  al_pa_unlock ();
  /* The stream is closed: the callback's own timing fields are ours now. */
  al_duplex_stats (d, pa->base.rate, &pa->stats);
  pa->have_stats = pa->stats.ncallbacks > 0;
  return ok;
}

static AlRecording *
pa_play_record (AlAudioBackend *b, const float *played, int n, AlAudioRunInfo *info,
                GCancellable *cancellable, GError **error)
{
  AlAudioPortAudio *pa = (AlAudioPortAudio *) b;
  int nrec = al_audio_backend_get_n_inputs (b);
  g_autoptr (AlRecording) rec = al_recording_new (b->rate, nrec, n);
  AlDuplex *d = al_duplex_new (pa->n_in, pa->n_out, pa->rec_src, nrec, pa->outs, pa->nouts, played, n,
                               FALSE, rec->data, (size_t) n, n);
  gboolean ok = pa_run (pa, d, NULL, info, cancellable, error);
  guint status = atomic_load (&d->status);
  int nflagged = atomic_load (&d->nflagged);
  gint64 first = atomic_load (&d->first_flag);
  double first_s = first >= 0 ? first / b->rate : -1.0;
  if (info != NULL)
    {
      info->nframes = n;
      info->status = status;
      info->nflagged = nflagged;
      info->first_flagged = first_s;
      info->ncallbacks = pa->stats.ncallbacks;
    }
  al_duplex_free (d);
  if (!ok)
    return NULL;
  if (status != 0)
    {
      g_autofree char *what = al_audio_status_to_string (status);
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_DROPOUT,
                   "%s: %s in %d of %d periods (the first %.2f s into the signal): the recording "
                   "has gaps, measure this direction again", b->name, what, nflagged, pa->stats.ncallbacks,
                   first_s);
      return NULL;
    }
  return g_steal_pointer (&rec);
}

static gboolean
pa_play_loop (AlAudioBackend *b, const float *signal, int n, gint64 nframes, AlAudioMeter *meter,
              GCancellable *cancellable, GError **error)
{
  AlAudioPortAudio *pa = (AlAudioPortAudio *) b;
  int nrec = al_audio_backend_get_n_inputs (b);
  size_t ring = (size_t) ceil (RING_SECONDS * b->rate);
  g_autofree float *buf = g_new (float, MAX (nrec, 1) * ring);
  AlDuplex *d = al_duplex_new (pa->n_in, pa->n_out, pa->rec_src, nrec, pa->outs, pa->nouts, signal, n,
                               TRUE, buf, ring, nframes);
  gboolean ok = pa_run (pa, d, meter, NULL, cancellable, error);
  al_duplex_free (d);
  return ok;
}

static gboolean
pa_callback_stats (const AlAudioBackend *b, AlAudioCallbackStats *stats)
{
  const AlAudioPortAudio *pa = (const AlAudioPortAudio *) b;
  *stats = pa->stats;
  return pa->have_stats;
}

static void
pa_finalize (AlAudioBackend *b)
{
  AlAudioPortAudio *pa = (AlAudioPortAudio *) b;
  g_free (pa->rec_src);
  g_free (pa->outs);
  g_free (pa);
  al_pa_release ();
}

static const AlAudioBackendClass pa_class = {
  .finalize = pa_finalize,
  .play_record = pa_play_record,
  .play_loop = pa_play_loop,
  .callback_stats = pa_callback_stats,
};

/* ---- Opening ---- */

static AlAudioBackend *
open_device (const AlAudioUri *u, GError **error)
{
  /* The URI's own mistakes first: they do not depend on the devices. */
  double rate = 48000.0;
  int frames = 0, nmics = 0, nref = 0, nouts = 0;
  if (!al_audio_uri_get_double (u, "rate", 1000.0, 768000.0, &rate, error)
      || !al_audio_uri_get_int (u, "frames", 16, 65536, &frames, error))
    return NULL;
  g_autofree int *mics = al_audio_uri_get_channels (u, "in", &nmics, error);
  if (mics == NULL && al_audio_uri_get (u, "in") != NULL)
    return NULL;
  g_autofree int *ref = al_audio_uri_get_channels (u, "ref", &nref, error);
  if (ref == NULL && al_audio_uri_get (u, "ref") != NULL)
    return NULL;
  g_autofree int *outs = al_audio_uri_get_channels (u, "out", &nouts, error);
  if (outs == NULL && al_audio_uri_get (u, "out") != NULL)
    return NULL;
  if (nref > 1)
    {
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_URI,
                   "audio URI '%s': ref=%s names %d inputs, the reference is one", u->uri,
                   al_audio_uri_get (u, "ref"), nref);
      return NULL;
    }
  for (int i = 0; i < nmics && nref > 0; i++)
    if (mics[i] == ref[0])
      {
        g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_URI,
                     "audio URI '%s': input %d is both a mic (in=%s) and the reference", u->uri,
                     ref[0] + 1, al_audio_uri_get (u, "in"));
        return NULL;
      }

  PaDeviceIndex dev = al_pa_find_device (u->path, FALSE, error);
  if (dev == paNoDevice)
    return NULL;
  const PaDeviceInfo *info = Pa_GetDeviceInfo (dev);
  g_autofree char *name = g_strdup_printf ("portaudio device '%s' (%s)", info->name,
                                           Pa_GetHostApiInfo (info->hostApi)->name);
  if (outs == NULL)
    {
      nouts = 1;
      outs = g_new0 (int, 1);
    }
  if (mics == NULL)
    {
      /* Every input but the reference. */
      mics = g_new (int, MAX (info->maxInputChannels, 1));
      for (int c = 0; c < info->maxInputChannels; c++)
        if (nref == 0 || c != ref[0])
          mics[nmics++] = c;
    }
  int want_in = MAX (max_channel (mics, nmics), nref ? ref[0] : -1);
  int want_out = max_channel (outs, nouts);
  if (nmics + nref == 0)
    {
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_CHANNELS, "%s has no inputs to record", name);
      return NULL;
    }
  if (!al_pa_check_count (name, info->maxInputChannels, want_in, "input", error)
      || !al_pa_check_count (name, info->maxOutputChannels, want_out, "output", error)
      || !al_pa_check_rate (name, dev, want_in + 1, want_out + 1, rate, error))
    return NULL;

  AlAudioPortAudio *pa = g_new0 (AlAudioPortAudio, 1);
  int nrec = nmics + nref;
  int *inputs = g_new (int, nrec);
  pa->rec_src = g_new (int, nrec);
  for (int i = 0; i < nmics; i++)
    pa->rec_src[i] = mics[i];
  if (nref)
    pa->rec_src[nmics] = ref[0];
  for (int i = 0; i < nrec; i++)
    inputs[i] = pa->rec_src[i] + 1;
  pa->device = dev;
  pa->n_in = want_in + 1;
  pa->n_out = want_out + 1;
  pa->outs = g_steal_pointer (&outs);
  pa->nouts = nouts;
  pa->frames = frames;
  al_audio_backend_init_base (&pa->base, &pa_class, u->uri, g_steal_pointer (&name), rate, nmics,
                              nref ? nmics : -1, inputs);
  return &pa->base;
}

AlAudioBackend *
al_audio_portaudio_open (const AlAudioUri *u, GError **error)
{
  static const char *const keys[] = { "in", "ref", "out", "rate", "frames", NULL };
  if (!al_audio_uri_check_keys (u, keys, error) || !al_pa_acquire (error))
    return NULL;
  AlAudioBackend *b = open_device (u, error);
  if (b == NULL)
    al_pa_release ();
  return b;
}
