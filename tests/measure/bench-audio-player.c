/* bench-audio-player.c — prints what the listening player's engine costs
 * per 256-frame period (the work of one audio callback) for 2 and 16
 * channels: settled on one take, and inside a crossfade between two
 * (a fade longer than the run, so every period mixes two voices with a
 * raised-cosine gain per frame).  Times each period with the monotonic
 * clock and prints the median and 99th percentile; asserts nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-audio-player-private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define PERIOD 256
#define RATE 48000.0
#define NFRAMES (4 * 48000)
#define NPERIODS 4000

static gint64
now_ns (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static int
cmp_ns (const void *a, const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return (x > y) - (x < y);
}

static void
run (int nch, gboolean fading)
{
  float *takes[2];
  for (int k = 0; k < 2; k++)
    {
      takes[k] = g_new (float, (gsize) nch * NFRAMES);
      for (gsize i = 0; i < (gsize) nch * NFRAMES; i++)
        takes[k][i] = (float) (0.25 * sin (0.001 * (k + 1) * (double) i));
    }
  g_autofree int *outs = g_new (int, nch);
  for (int c = 0; c < nch; c++)
    outs[c] = c;
  g_autoptr (GError) error = NULL;
  AlPlayerEngine *e = al_player_engine_new ((const float *const *) takes, NULL, 2, nch, NFRAMES, outs, nch,
                                            "bench", &error);
  g_assert_no_error (error);
  g_autofree float *buf = g_new (float, (gsize) nch * PERIOD);
  g_autofree float **out = g_new (float *, nch);
  for (int c = 0; c < nch; c++)
    out[c] = buf + (gsize) c * PERIOD;

  /* Start without a fade-in, then (fading) switch with a fade longer
   * than the run. */
  al_player_engine_set_loop (e, TRUE, 0, 0);
  al_player_engine_set_playing (e, TRUE);
  al_player_engine_process (e, out, nch, PERIOD);
  if (fading)
    {
      al_player_engine_set_fade (e, G_MAXINT / 4);
      al_player_engine_select (e, 1);
      al_player_engine_process (e, out, nch, PERIOD);
      g_assert_true (e->k < e->len);
    }

  static gint64 dt[NPERIODS];
  double sink = 0.0;
  for (int i = 0; i < NPERIODS; i++)
    {
      gint64 t0 = now_ns ();
      al_player_engine_process (e, out, nch, PERIOD);
      dt[i] = now_ns () - t0;
      sink += buf[i % PERIOD];
    }
  if (fading)
    g_assert_true (e->k < e->len);
  /* Median and 99th percentile: a shared machine preempts now and then. */
  qsort (dt, NPERIODS, sizeof (gint64), cmp_ns);
  double period_us = 1e6 * PERIOD / RATE, med = dt[NPERIODS / 2] / 1e3, p99 = dt[NPERIODS * 99 / 100] / 1e3;
  printf ("%8d  %-9s  %10.2f  %7.2f  %18.3f%s\n", nch, fading ? "crossfade" : "one take", med, p99,
          100.0 * med / period_us, isfinite (sink) ? "" : " (!)");
  al_player_engine_free (e);
  g_free (takes[0]);
  g_free (takes[1]);
}

int
main (void)
{
  printf ("listening player engine: %d periods of %d frames at %.0f Hz (period %.1f µs)\n\n", NPERIODS, PERIOD, RATE,
          1e6 * PERIOD / RATE);
  printf ("channels  state      median µs   p99 µs  median %% of period\n");
  const int chans[] = { 2, 16 };
  for (guint i = 0; i < G_N_ELEMENTS (chans); i++)
    {
      run (chans[i], FALSE);
      run (chans[i], TRUE);
    }
  return 0;
}
