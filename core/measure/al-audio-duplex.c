/* al-audio-duplex.c — the real-time half of a duplex run: what the audio
 * callback does with each period (play the buffer on the chosen outputs,
 * copy the chosen inputs into preallocated rows) and how the caller's
 * thread learns about it (atomics and a semaphore, both safe to touch from
 * a real-time thread).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-audio-private.h"

#include <errno.h>
#include <string.h>
#include <time.h>

AlDuplex *
al_duplex_new (int n_in, int n_out, const int *rec_src, int nrec, const int *outs, int nouts,
               const float *play, int nplay, gboolean loop, float *rec, size_t ring, gint64 nframes)
{
  g_return_val_if_fail (nrec == 0 || (rec != NULL && ring > 0), NULL);
  g_return_val_if_fail (nouts == 0 || (play != NULL && nplay > 0), NULL);
  g_return_val_if_fail (loop || (nframes > 0 && (size_t) nframes <= ring && nframes <= nplay), NULL);

  for (int i = 0; i < nouts; i++)
    g_return_val_if_fail (outs[i] >= 0 && outs[i] < n_out, NULL);
  for (int r = 0; r < nrec; r++)
    g_return_val_if_fail (rec_src[r] >= 0 && rec_src[r] < n_in, NULL);

  AlDuplex *d = g_new0 (AlDuplex, 1);
  d->n_in = n_in;
  d->n_out = n_out;
  d->nrec = nrec;
  d->rec_src = g_memdup2 (rec_src, sizeof (int) * MAX (nrec, 1));
  d->out_on = g_new0 (guint8, MAX (n_out, 1));
  for (int i = 0; i < nouts; i++)
    d->out_on[outs[i]] = 1;
  d->play = play;
  d->nplay = nplay;
  d->loop = loop;
  d->rec = rec;
  d->ring = ring;
  d->nframes = nframes;
  /* Writing every page now keeps page faults (fresh calloc/mmap memory is
   * mapped lazily) out of the callback. */
  if (nrec > 0)
    memset (rec, 0, sizeof (float) * ring * nrec);
  atomic_init (&d->state, AL_DUPLEX_WAITING);
  atomic_init (&d->pos, 0);
  atomic_init (&d->status, 0);
  atomic_init (&d->nflagged, 0);
  atomic_init (&d->first_flag, -1);
  atomic_init (&d->ncallbacks, 0);
  sem_init (&d->done, 0, 0);
  return d;
}

void
al_duplex_free (AlDuplex *d)
{
  if (d == NULL)
    return;
  sem_destroy (&d->done);
  g_free (d->rec_src);
  g_free (d->out_on);
  g_free (d);
}

/* dst[0 … n) = src or silence. */
static inline void
copy_or_zero (float *dst, const float *src, size_t n)
{
  if (src != NULL)
    memcpy (dst, src, sizeof (float) * n);
  else
    memset (dst, 0, sizeof (float) * n);
}

gboolean
al_duplex_process (AlDuplex *d, const float *const *in, float *const *out, int frames, guint status)
{
  atomic_fetch_add_explicit (&d->ncallbacks, 1, memory_order_relaxed);
  int state = atomic_load_explicit (&d->state, memory_order_acquire);
  if (state != AL_DUPLEX_RUNNING || frames <= 0)
    {
      for (int o = 0; out != NULL && o < d->n_out && frames > 0; o++)
        memset (out[o], 0, sizeof (float) * frames);
      return FALSE;
    }
  /* Only this function writes pos, so a relaxed read is our own value. */
  gint64 pos = atomic_load_explicit (&d->pos, memory_order_relaxed);
  if (status != 0)
    {
      long long none = -1;
      atomic_fetch_or_explicit (&d->status, status, memory_order_relaxed);
      atomic_fetch_add_explicit (&d->nflagged, 1, memory_order_relaxed);
      atomic_compare_exchange_strong (&d->first_flag, &none, pos);
    }

  size_t n = frames;
  if (d->nframes > 0 && pos + (gint64) n > d->nframes)
    n = (size_t) (d->nframes - pos);

  for (int r = 0; r < d->nrec; r++)
    {
      float *row = d->rec + (size_t) r * d->ring;
      const float *src = in != NULL ? in[d->rec_src[r]] : NULL;
      size_t at = d->loop ? (size_t) (pos % (gint64) d->ring) : (size_t) pos;
      size_t first = MIN (n, d->ring - at);
      copy_or_zero (row + at, src, first);
      if (first < n)
        copy_or_zero (row, src != NULL ? src + first : NULL, n - first);
    }

  for (int o = 0; out != NULL && o < d->n_out; o++)
    {
      float *dst = out[o];
      size_t done = 0;
      if (d->out_on[o])
        while (done < n)
          {
            size_t at = (size_t) ((pos + (gint64) done) % d->nplay);
            size_t chunk = MIN (n - done, (size_t) d->nplay - at);
            memcpy (dst + done, d->play + at, sizeof (float) * chunk);
            done += chunk;
          }
      memset (dst + done, 0, sizeof (float) * (frames - done));
    }

  pos += (gint64) n;
  atomic_store_explicit (&d->pos, pos, memory_order_release);
  if (d->nframes > 0 && pos >= d->nframes)
    {
      atomic_store_explicit (&d->state, AL_DUPLEX_DONE, memory_order_release);
      sem_post (&d->done); /* async-signal-safe and lock-free */
    }
  return TRUE;
}

void
al_duplex_account (AlDuplex *d, gint64 ns, int frames)
{
  d->t_count++;
  d->t_sum_ns += ns;
  d->t_max_ns = MAX (d->t_max_ns, ns);
  d->max_frames = MAX (d->max_frames, frames);
}

void
al_duplex_start (AlDuplex *d)
{
  int expected = AL_DUPLEX_WAITING;
  atomic_compare_exchange_strong (&d->state, &expected, AL_DUPLEX_RUNNING);
}

gboolean
al_duplex_wait (AlDuplex *d, int timeout_ms)
{
  struct timespec ts;
  clock_gettime (CLOCK_REALTIME, &ts);
  ts.tv_nsec += (long) timeout_ms * 1000000L;
  ts.tv_sec += ts.tv_nsec / 1000000000L;
  ts.tv_nsec %= 1000000000L;
  while (sem_timedwait (&d->done, &ts) != 0 && errno == EINTR)
    ;
  return atomic_load_explicit (&d->state, memory_order_acquire) == AL_DUPLEX_DONE;
}

void
al_duplex_stats (const AlDuplex *d, double rate, AlAudioCallbackStats *stats)
{
  memset (stats, 0, sizeof *stats);
  if (d->t_count == 0)
    return;
  stats->ncallbacks = (int) d->t_count;
  stats->period_frames = d->max_frames;
  stats->period_us = 1e6 * d->max_frames / rate;
  stats->mean_us = 1e-3 * (double) d->t_sum_ns / (double) d->t_count;
  stats->max_us = 1e-3 * (double) d->t_max_ns;
  if (stats->period_us > 0.0)
    {
      stats->mean_load = 100.0 * stats->mean_us / stats->period_us;
      stats->max_load = 100.0 * stats->max_us / stats->period_us;
    }
}
