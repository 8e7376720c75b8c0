/* al-audio-player-engine.c — the player's real-time half: two voices and a
 * raised-cosine crossfade between them, driven by atomics the caller's
 * thread writes (al-audio-player-private.h explains the mechanism).  No
 * PortAudio here, so tests drive it block by block and a benchmark times it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-audio-player-private.h"

#include <math.h>
#include <string.h>

#define LOOP_ON (G_GUINT64_CONSTANT (1) << 63)

/* ---- Making and freeing ---- */

static void
set_bad_sample (GError **error, const char *const *names, int t, int ntakes, int c, gsize i, float v)
{
  g_autofree char *take = names != NULL && names[t] != NULL
                            ? g_strdup_printf ("take '%s' (%d of %d)", names[t], t + 1, ntakes)
                            : g_strdup_printf ("take %d of %d", t + 1, ntakes);
  g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
               "%s: channel %d, frame %" G_GSIZE_FORMAT " is %s: it would reach the loudspeakers",
               take, c + 1, i, isnan (v) ? "NaN" : "infinite");
}

AlPlayerEngine *
al_player_engine_new (const float *const *takes, const char *const *names, int ntakes, int nchannels,
                      gsize nframes, const int *outs, int nouts, const char *device, GError **error)
{
  g_return_val_if_fail (takes != NULL && ntakes >= 1 && outs != NULL && nouts >= 1, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  for (int m = 0; m < nouts; m++)
    g_return_val_if_fail (outs[m] >= 0, NULL);

  if (nchannels < 1 || nframes < 1 || nframes > AL_PLAYER_MAX_FRAMES)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "%s: takes of %d channels x %" G_GSIZE_FORMAT " frames cannot be played (1 … %"
                   G_GSIZE_FORMAT " frames)", device, nchannels, nframes, AL_PLAYER_MAX_FRAMES);
      return NULL;
    }
  if (nchannels != 1 && nchannels != nouts)
    {
      g_autofree char *map = al_audio_channels_to_string (outs, nouts);
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_CHANNELS,
                   "%s: the takes have %d channels but %d output%s %s mapped (out=%s): give one-channel "
                   "takes or map %d outputs", device, nchannels, nouts, nouts == 1 ? "" : "s",
                   nouts == 1 ? "is" : "are", map, nchannels);
      return NULL;
    }
  for (int t = 0; t < ntakes; t++)
    {
      g_return_val_if_fail (takes[t] != NULL, NULL);
      gsize n = (gsize) nchannels * nframes;
      for (gsize i = 0; i < n; i++)
        if (!isfinite (takes[t][i]))
          {
            set_bad_sample (error, names, t, ntakes, (int) (i / nframes), i % nframes, takes[t][i]);
            return NULL;
          }
    }

  AlPlayerEngine *e = g_new0 (AlPlayerEngine, 1);
  e->ntakes = ntakes;
  e->nchannels = nchannels;
  e->nframes = (gint64) nframes;
  /* g_memdup2 writes every page: no page faults in the callback. */
  e->takes = g_new (float *, ntakes);
  for (int t = 0; t < ntakes; t++)
    e->takes[t] = g_memdup2 (takes[t], sizeof (float) * nchannels * nframes);
  e->nouts = nouts;
  e->outs = g_memdup2 (outs, sizeof (int) * nouts);
  for (int m = 0; m < nouts; m++)
    e->n_out = MAX (e->n_out, outs[m] + 1);
  e->mapped = g_new0 (guint8, e->n_out);
  for (int m = 0; m < nouts; m++)
    e->mapped[outs[m]] = 1;

  atomic_init (&e->want_take, 0);
  atomic_init (&e->want_play, 0);
  atomic_init (&e->seek, -1);
  atomic_init (&e->seek_seq, 0);
  atomic_init (&e->loop, 0);
  atomic_init (&e->fade, 0);
  atomic_init (&e->position, 0);
  atomic_init (&e->ended, 0);
  atomic_init (&e->silent, 1);
  atomic_init (&e->seen_seq, 0);
  atomic_init (&e->ncallbacks, 0);
  al_player_engine_locate (e, 0);
  return e;
}

void
al_player_engine_free (AlPlayerEngine *e)
{
  if (e == NULL)
    return;
  for (int t = 0; t < e->ntakes; t++)
    g_free (e->takes[t]);
  g_free (e->takes);
  g_free (e->outs);
  g_free (e->mapped);
  g_free (e);
}

/* ---- Controls ---- */

void
al_player_engine_select (AlPlayerEngine *e, int take)
{
  g_return_if_fail (take >= 0 && take < e->ntakes);
  atomic_store_explicit (&e->want_take, take, memory_order_release);
}

void
al_player_engine_set_playing (AlPlayerEngine *e, gboolean playing)
{
  atomic_store_explicit (&e->want_play, playing ? 1 : 0, memory_order_release);
}

void
al_player_engine_seek (AlPlayerEngine *e, gint64 frame)
{
  atomic_store_explicit (&e->seek, CLAMP (frame, 0, e->nframes), memory_order_release);
  atomic_fetch_add_explicit (&e->seek_seq, 1, memory_order_release);
}

void
al_player_engine_set_loop (AlPlayerEngine *e, gboolean on, gint64 start, gint64 end)
{
  start = CLAMP (start, 0, e->nframes);
  end = CLAMP (end, 0, e->nframes);
  if (end <= start)
    {
      start = 0;
      end = e->nframes;
    }
  /* One word, so the callback never sees a start of one loop with the end
   * of another. */
  guint64 word = (on ? LOOP_ON : 0) | ((guint64) start << 32) | (guint64) end;
  atomic_store_explicit (&e->loop, word, memory_order_release);
}

void
al_player_engine_set_fade (AlPlayerEngine *e, int frames)
{
  atomic_store_explicit (&e->fade, MAX (frames, 0), memory_order_release);
}

void
al_player_engine_locate (AlPlayerEngine *e, gint64 frame)
{
  frame = CLAMP (frame, 0, e->nframes);
  e->a = e->b = (AlPlayerVoice) { -1, frame };
  e->k = e->len = 0;
  e->pend_seek = -1;
  e->is_ended = FALSE;
  atomic_store (&e->seek, -1);
  atomic_store (&e->seen_seq, atomic_load (&e->seek_seq));
  atomic_store (&e->position, frame);
  atomic_store (&e->ended, 0);
  atomic_store (&e->silent, 1);
}

gint64
al_player_engine_get_position (const AlPlayerEngine *e)
{
  return atomic_load_explicit (&e->position, memory_order_acquire);
}

gboolean
al_player_engine_is_ended (const AlPlayerEngine *e)
{
  /* Read seen_seq first: the callback publishes it with the ended flag. */
  guint seen = atomic_load_explicit (&e->seen_seq, memory_order_acquire);
  return atomic_load_explicit (&e->ended, memory_order_acquire)
         && seen == atomic_load_explicit (&e->seek_seq, memory_order_acquire);
}

gboolean
al_player_engine_is_silent (const AlPlayerEngine *e)
{
  return atomic_load_explicit (&e->silent, memory_order_acquire) != 0;
}

/* ---- The callback ---- */

static gboolean
same_voice (AlPlayerVoice x, AlPlayerVoice y)
{
  /* Silence sounds the same wherever it holds. */
  return x.take == y.take && (x.take < 0 || x.pos == y.pos);
}

/* At a block boundary: take in the controls, end the takes, wrap the
 * loop, or start, turn round or defer a fade. */
static void
update (AlPlayerEngine *e)
{
  gint64 s = atomic_exchange_explicit (&e->seek, -1, memory_order_acq_rel);
  if (s >= 0)
    e->pend_seek = s;
  guint64 word = atomic_load_explicit (&e->loop, memory_order_acquire);
  e->loop_on = (word & LOOP_ON) != 0;
  e->loop_start = (gint64) ((word >> 32) & 0x7fffffff);
  e->loop_end = (gint64) (word & 0xffffffff);
  int fade = atomic_load_explicit (&e->fade, memory_order_acquire);
  e->loop_fade = (int) MIN ((gint64) fade, (e->loop_end - e->loop_start) / 2);
  int want = atomic_load_explicit (&e->want_play, memory_order_acquire)
               ? atomic_load_explicit (&e->want_take, memory_order_acquire)
               : -1;

  if (e->k < e->len)
    {
      /* Asked for the voice that is fading out: turn the fade round where
       * it is (gains g(L − k) = 1 − g(k), so no sample jumps).  Anything
       * else waits for the fade to end. */
      if (e->pend_seek < 0 && want == e->a.take && want != e->b.take)
        {
          AlPlayerVoice t = e->a;
          e->a = e->b;
          e->b = t;
          e->k = e->len - e->k;
        }
      return;
    }

  if (!e->loop_on && e->b.take >= 0 && e->b.pos >= e->nframes)
    {
      e->is_ended = TRUE;
      e->b = (AlPlayerVoice) { -1, e->nframes };
    }
  if (e->is_ended && e->pend_seek < 0)
    return;

  AlPlayerVoice n = e->b;
  if (e->pend_seek >= 0)
    {
      n.pos = e->pend_seek;
      e->pend_seek = -1;
      e->is_ended = FALSE;
    }
  n.take = want;
  int len = e->loop_on ? e->loop_fade : fade;
  if (e->loop_on && n.take >= 0)
    {
      /* Due at end − L; a change whose own fade would run past that point
       * becomes the wrap. */
      gboolean changed = !same_voice (n, e->b);
      gint64 wrap_at = e->loop_end - len - (changed ? len : 0);
      if (changed ? n.pos > wrap_at : n.pos >= wrap_at)
        n.pos = e->loop_start;
    }
  if (same_voice (n, e->b))
    {
      e->b.pos = n.pos; /* silence moved, or nothing */
      return;
    }
  e->a = e->b;
  if (e->a.take < 0)
    e->a.pos = n.pos; /* turning round a fade-in holds here */
  e->b = n;
  e->k = 0;
  e->len = len;
}

/* dst[i] = g[i] · src[pos + i] for i < n (src NULL: silence); zero
 * outside [0, nframes); g NULL: a plain copy, so settled output is exact. */
static void
put (float *dst, const float *src, gint64 pos, gint64 nframes, int n, const float *g)
{
  int i = 0;
  if (src != NULL)
    {
      int lo = (int) CLAMP (-pos, 0, n);             /* before frame 0 */
      int hi = (int) CLAMP (nframes - pos, lo, n);   /* up to the end */
      memset (dst, 0, sizeof (float) * lo);
      if (g == NULL)
        memcpy (dst + lo, src + pos + lo, sizeof (float) * (hi - lo));
      else
        for (i = lo; i < hi; i++)
          dst[i] = g[i] * src[pos + i];
      i = hi;
    }
  memset (dst + i, 0, sizeof (float) * (n - i));
}

/* dst[i] += g[i] · src[pos + i]. */
static void
add (float *dst, const float *src, gint64 pos, gint64 nframes, int n, const float *g)
{
  if (src == NULL)
    return;
  int lo = (int) CLAMP (-pos, 0, n);
  int hi = (int) CLAMP (nframes - pos, lo, n);
  for (int i = lo; i < hi; i++)
    dst[i] += g[i] * src[pos + i];
}

static const float *
row (const AlPlayerEngine *e, int take, int m)
{
  if (take < 0)
    return NULL;
  int c = e->nchannels == 1 ? 0 : m;
  return e->takes[take] + (gsize) c * (gsize) e->nframes;
}

static void
render (AlPlayerEngine *e, float *const *out, int n_out_stream, int at, int n)
{
  gboolean fading = e->k < e->len;
  if (fading)
    {
      /* cos(π (k + i) / L) by rotation from an exact start: four libm
       * calls a block instead of one a frame, errors near 1e-14. */
      double w = G_PI / e->len, c = cos (w * e->k), s = sin (w * e->k), dc = cos (w), ds = sin (w);
      for (int i = 0; i < n; i++)
        {
          double g = 0.5 - 0.5 * c;
          e->gb[i] = (float) g;
          e->ga[i] = (float) (1.0 - g);
          double c1 = c * dc - s * ds;
          s = s * dc + c * ds;
          c = c1;
        }
    }
  for (int m = 0; m < e->nouts; m++)
    {
      if (e->outs[m] >= n_out_stream)
        continue;
      float *dst = out[e->outs[m]] + at;
      if (!fading)
        put (dst, row (e, e->b.take, m), e->b.pos, e->nframes, n, NULL);
      else
        {
          put (dst, row (e, e->a.take, m), e->a.pos, e->nframes, n, e->ga);
          add (dst, row (e, e->b.take, m), e->b.pos, e->nframes, n, e->gb);
        }
    }
}

void
al_player_engine_process (AlPlayerEngine *e, float *const *out, int n_out_stream, int frames)
{
  atomic_fetch_add_explicit (&e->ncallbacks, 1, memory_order_relaxed);
  /* Before the first look at the seek: a seek counted here is one that
   * update takes in (or an older one), so "ended" is never claimed over a
   * seek that this period did not see. */
  guint seq = atomic_load_explicit (&e->seek_seq, memory_order_acquire);
  if (out != NULL)
    for (int o = 0; o < n_out_stream; o++)
      if (o >= e->n_out || !e->mapped[o])
        memset (out[o], 0, sizeof (float) * MAX (frames, 0)); /* outside the map: silent */

  for (int done = 0; done < frames;)
    {
      update (e);
      int n = MIN (frames - done, AL_PLAYER_BLOCK);
      if (e->k < e->len)
        n = MIN (n, e->len - e->k);
      else if (e->b.take >= 0)
        {
          /* Stop at the wrap point or the end, where update acts. */
          gint64 stop = e->loop_on ? e->loop_end - e->loop_fade : e->nframes;
          if (e->b.pos < stop)
            n = (int) MIN ((gint64) n, stop - e->b.pos);
        }
      n = MAX (n, 1);
      if (out != NULL)
        render (e, out, n_out_stream, done, n);
      if (e->k < e->len)
        {
          e->k += n;
          if (e->a.take >= 0)
            e->a.pos += n;
        }
      if (e->b.take >= 0)
        e->b.pos += n;
      done += n;
    }

  atomic_store_explicit (&e->seen_seq, seq, memory_order_release);
  atomic_store_explicit (&e->position, e->b.pos, memory_order_release);
  atomic_store_explicit (&e->ended, e->is_ended, memory_order_release);
  atomic_store_explicit (&e->silent, e->k >= e->len && e->b.take < 0, memory_order_release);
}
