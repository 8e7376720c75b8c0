/* test-audio-duplex.c — the real-time duplex engine and the block meters
 * without a device, fed synthetic callback buffers: silence while waiting,
 * sample-exact start of play and record in one period, the channel maps,
 * the end of a run (and its semaphore), status flags counted with the
 * position of the first, looping playback into a ring, callback timing
 * figures, and per-block peak/rms meters across block boundaries.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-audio-private.h"

#include <math.h>
#include <string.h>

#define N_IN 4
#define N_OUT 3
#define FRAMES 256

typedef struct {
  float in[N_IN][FRAMES];
  float out[N_OUT][FRAMES];
  const float *in_ptr[N_IN];
  float *out_ptr[N_OUT];
  gint64 t;                /* frames delivered so far */
} Host;

static void
host_init (Host *h)
{
  memset (h, 0, sizeof *h);
  for (int c = 0; c < N_IN; c++)
    h->in_ptr[c] = h->in[c];
  for (int c = 0; c < N_OUT; c++)
    h->out_ptr[c] = h->out[c];
}

/* Input c carries 1000·(c+1) + frame time; outputs start as garbage. */
static gboolean
host_period (Host *h, AlDuplex *d, int frames, guint status)
{
  for (int c = 0; c < N_IN; c++)
    for (int i = 0; i < frames; i++)
      h->in[c][i] = (float) (1000 * (c + 1) + h->t + i);
  for (int c = 0; c < N_OUT; c++)
    for (int i = 0; i < FRAMES; i++)
      h->out[c][i] = NAN;
  h->t += frames;
  return al_duplex_process (d, h->in_ptr, h->out_ptr, frames, status);
}

static void
test_play_record (void)
{
  enum { N = 1000 };
  float play[N], rec[2 * N];
  for (int i = 0; i < N; i++)
    play[i] = (float) (i + 1);
  const int rec_src[] = { 2, 0 }, outs[] = { 1, 2 };
  AlDuplex *d = al_duplex_new (N_IN, N_OUT, rec_src, 2, outs, 2, play, N, FALSE, rec, N, N);
  Host h;
  host_init (&h);

  /* Waiting: silence out, nothing recorded. */
  g_assert_false (host_period (&h, d, FRAMES, AL_AUDIO_INPUT_OVERFLOW));
  for (int c = 0; c < N_OUT; c++)
    for (int i = 0; i < FRAMES; i++)
      g_assert_cmpfloat (h.out[c][i], ==, 0.0f);
  g_assert_cmpint (atomic_load (&d->pos), ==, 0);
  g_assert_cmpuint (atomic_load (&d->status), ==, 0); /* flags before the signal do not count */
  g_assert_false (al_duplex_wait (d, 1));

  al_duplex_start (d);
  gint64 t_start = h.t;
  int ncalls = 0;
  while (atomic_load (&d->state) != AL_DUPLEX_DONE)
    {
      g_assert_true (host_period (&h, d, FRAMES, ncalls == 1 ? AL_AUDIO_OUTPUT_UNDERFLOW : 0));
      gint64 pos0 = (gint64) ncalls * FRAMES;
      int n = (int) MIN (FRAMES, N - pos0);
      for (int i = 0; i < FRAMES; i++)
        {
          g_assert_cmpfloat (h.out[0][i], ==, 0.0f);
          float want = i < n ? play[pos0 + i] : 0.0f;
          g_assert_cmpfloat (h.out[1][i], ==, want);
          g_assert_cmpfloat (h.out[2][i], ==, want);
        }
      ncalls++;
    }
  g_assert_cmpint (ncalls, ==, 4);
  g_assert_true (al_duplex_wait (d, 1)); /* the callback posted */
  g_assert_cmpint (atomic_load (&d->pos), ==, N);
  /* Row 0 from input 3, row 1 from input 1, from the first running frame. */
  for (int i = 0; i < N; i++)
    {
      g_assert_cmpfloat (rec[i], ==, (float) (3000 + t_start + i));
      g_assert_cmpfloat (rec[N + i], ==, (float) (1000 + t_start + i));
    }
  g_assert_cmpuint (atomic_load (&d->status), ==, AL_AUDIO_OUTPUT_UNDERFLOW);
  g_assert_cmpint (atomic_load (&d->nflagged), ==, 1);
  g_assert_cmpint (atomic_load (&d->first_flag), ==, FRAMES);

  /* Done: silent again, the recording stays. */
  g_assert_false (host_period (&h, d, FRAMES, 0));
  g_assert_cmpfloat (h.out[1][0], ==, 0.0f);
  g_assert_cmpfloat (rec[0], ==, (float) (3000 + t_start));
  g_assert_cmpint (atomic_load (&d->ncallbacks), ==, 6);
  al_duplex_free (d);
}

/* A host that gives no input buffer records silence. */
static void
test_no_input (void)
{
  float play[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, rec[10];
  const int rec_src[] = { 0 }, outs[] = { 0 };
  AlDuplex *d = al_duplex_new (1, 1, rec_src, 1, outs, 1, play, 10, FALSE, rec, 10, 10);
  float out[16];
  float *out_ptr[] = { out };
  al_duplex_start (d);
  g_assert_true (al_duplex_process (d, NULL, out_ptr, 16, 0));
  for (int i = 0; i < 10; i++)
    {
      g_assert_cmpfloat (rec[i], ==, 0.0f);
      g_assert_cmpfloat (out[i], ==, play[i]);
    }
  for (int i = 10; i < 16; i++)
    g_assert_cmpfloat (out[i], ==, 0.0f);
  g_assert_true (al_duplex_wait (d, 1));
  al_duplex_free (d);
}

static void
test_loop (void)
{
  enum { NPLAY = 300, RING = 500 };
  float play[NPLAY], ring[RING];
  for (int i = 0; i < NPLAY; i++)
    play[i] = (float) (i + 1);
  const int rec_src[] = { 1 }, outs[] = { 0 };
  AlDuplex *d = al_duplex_new (N_IN, N_OUT, rec_src, 1, outs, 1, play, NPLAY, TRUE, ring, RING, 0);
  Host h;
  host_init (&h);
  al_duplex_start (d);
  gint64 t_start = h.t;
  for (int k = 0; k < 10; k++)
    {
      g_assert_true (host_period (&h, d, 128, 0));
      for (int i = 0; i < 128; i++)
        g_assert_cmpfloat (h.out[0][i], ==, play[(k * 128 + i) % NPLAY]);
      g_assert_false (al_duplex_wait (d, 0)); /* runs until stopped */
    }
  g_assert_cmpint (atomic_load (&d->pos), ==, 1280);
  /* The ring holds the last RING frames at position % RING. */
  for (gint64 p = 1280 - RING; p < 1280; p++)
    g_assert_cmpfloat (ring[p % RING], ==, (float) (2000 + t_start + p));
  al_duplex_free (d);

  /* A looping run with a length ends. */
  d = al_duplex_new (N_IN, N_OUT, rec_src, 1, outs, 1, play, NPLAY, TRUE, ring, RING, 700);
  host_init (&h);
  al_duplex_start (d);
  while (atomic_load (&d->state) != AL_DUPLEX_DONE)
    host_period (&h, d, 256, 0);
  g_assert_cmpint (atomic_load (&d->pos), ==, 700);
  g_assert_cmpfloat (h.out[0][700 - 512 - 1], ==, play[(700 - 1) % NPLAY]);
  g_assert_cmpfloat (h.out[0][700 - 512], ==, 0.0f);
  g_assert_true (al_duplex_wait (d, 1));
  al_duplex_free (d);
}

static void
test_stats (void)
{
  float play[4] = { 0 }, rec[4];
  const int rec_src[] = { 0 }, outs[] = { 0 };
  AlDuplex *d = al_duplex_new (1, 1, rec_src, 1, outs, 1, play, 4, FALSE, rec, 4, 4);
  AlAudioCallbackStats st;
  al_duplex_stats (d, 48000.0, &st);
  g_assert_cmpint (st.ncallbacks, ==, 0);
  al_duplex_account (d, 2000, 256);
  al_duplex_account (d, 4000, 256);
  al_duplex_account (d, 12000, 256);
  al_duplex_stats (d, 48000.0, &st);
  g_assert_cmpint (st.ncallbacks, ==, 3);
  g_assert_cmpint (st.period_frames, ==, 256);
  g_assert_cmpfloat (fabs (st.period_us - 5333.333333), <, 1e-3);
  g_assert_cmpfloat (fabs (st.mean_us - 6.0), <, 1e-12);
  g_assert_cmpfloat (fabs (st.max_us - 12.0), <, 1e-12);
  g_assert_cmpfloat (fabs (st.mean_load - 100.0 * 6.0 / 5333.333333), <, 1e-6);
  g_assert_cmpfloat (fabs (st.max_load - 100.0 * 12.0 / 5333.333333), <, 1e-6);
  al_duplex_free (d);
}

typedef struct {
  int n;
  double time[8];
  double peak0[8], rms0[8], peak1[8], rms1[8], max1[8];
} MeterLog;

static void
on_meters (const AlAudioMeters *m, gpointer user_data)
{
  MeterLog *log = user_data;
  g_assert_cmpint (m->nchannels, ==, 2);
  g_assert_cmpint (m->ref_channel, ==, 1);
  g_assert_cmpint (log->n, <, 8);
  log->time[log->n] = m->time;
  log->peak0[log->n] = m->peak_dbfs[0];
  log->rms0[log->n] = m->rms_dbfs[0];
  log->peak1[log->n] = m->peak_dbfs[1];
  log->rms1[log->n] = m->rms_dbfs[1];
  log->max1[log->n] = m->max_peak_dbfs[1];
  log->n++;
}

static void
test_meter (void)
{
  enum { N = 250 };
  float rows[2 * N];
  for (int i = 0; i < N; i++)
    {
      rows[i] = 0.5f;                                       /* −6.02 dBFS peak and rms */
      /* 1, 0, −1, 0, …: peak 1, rms −3.01 dB; −20 dB from frame 100 */
      rows[N + i] = (float) (cos (G_PI * i / 2.0) * (i < 100 ? 1.0 : 0.1));
    }
  MeterLog log = { 0 };
  AlAudioMeter *m = al_audio_meter_new (2, 1, 1000.0, 100, on_meters, &log);
  for (int at = 0; at < N; at += 70)
    al_audio_meter_feed (m, rows, N, at, MIN (70, N - at));
  g_assert_cmpint (log.n, ==, 2);
  al_audio_meter_add_status (m, AL_AUDIO_INPUT_OVERFLOW);
  g_autoptr (AlAudioLevels) lv = al_audio_meter_finish (m);
  al_audio_meter_free (m);
  g_assert_cmpint (log.n, ==, 3); /* the partial last block */
  const double want_t[] = { 0.1, 0.2, 0.25 };
  const double db_half = 20.0 * log10 (0.5);
  for (int b = 0; b < 3; b++)
    {
      g_assert_cmpfloat (fabs (log.time[b] - want_t[b]), <, 1e-12);
      g_assert_cmpfloat (fabs (log.peak0[b] - db_half), <, 1e-6);
      g_assert_cmpfloat (fabs (log.rms0[b] - db_half), <, 1e-6);
      /* whole periods of the cosine: rms = peak − 3.01 dB */
      double peak = b == 0 ? 0.0 : -20.0;
      g_assert_cmpfloat (fabs (log.peak1[b] - peak), <, 0.01);
      g_assert_cmpfloat (fabs (log.rms1[b] - (peak - 10 * log10 (2.0))), <, 0.01);
      g_assert_cmpfloat (fabs (log.max1[b]), <, 0.01); /* since the start */
    }
  g_assert_cmpint (lv->nchannels, ==, 2);
  g_assert_cmpint (lv->ref_channel, ==, 1);
  g_assert_cmpfloat (fabs (lv->duration - 0.25), <, 1e-12);
  g_assert_cmpuint (lv->status, ==, AL_AUDIO_INPUT_OVERFLOW);
  g_assert_cmpfloat (fabs (lv->peak_dbfs[0] - db_half), <, 1e-6);
  g_assert_cmpfloat (fabs (lv->peak_dbfs[1]), <, 0.01);
  double rms1 = 10 * log10 ((100 * 0.5 + 150 * 0.005) / 250.0);
  g_assert_cmpfloat (fabs (lv->rms_dbfs[1] - rms1), <, 0.01);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/measure/audio/duplex/play-record", test_play_record);
  g_test_add_func ("/measure/audio/duplex/no-input", test_no_input);
  g_test_add_func ("/measure/audio/duplex/loop", test_loop);
  g_test_add_func ("/measure/audio/duplex/stats", test_stats);
  g_test_add_func ("/measure/audio/duplex/meter", test_meter);
  return g_test_run ();
}
