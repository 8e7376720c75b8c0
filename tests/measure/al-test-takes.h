/* al-test-takes.h — takes that say what they are in every sample, for the
 * player's tests on a JACK capture (test-audio-player-jack.c,
 * test-cli-play.c): take 0 is +(i+1)·2⁻²² at frame i on channel 1 and half
 * that on channel 2, take 1 the same negated, so any captured frame
 * outside a fade names its take and position.  Each test defines NFRAMES
 * (the takes' length) before including this.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <math.h>

#ifndef NFRAMES
#error "define NFRAMES (the takes' length) before including al-test-takes.h"
#endif

#define AL_TAKE_SCALE (1.0 / 4194304.0) /* 2^-22: exact in float up to 2^24 frames */

/* Take k, channel c, frame pos: what the test expects to hear. */
static inline double
al_take_value (int k, int c, gint64 pos)
{
  if (k < 0 || pos < 0 || pos >= NFRAMES)
    return 0.0;
  return (k == 0 ? 1.0 : -1.0) * (pos + 1) * AL_TAKE_SCALE * (c == 0 ? 1.0 : 0.5);
}

/* Two captured channels. */
typedef struct {
  const float *ch[2];
  gsize n;
} AlTakeCapture;

/* A stretch of consecutive frames of one take at consecutive positions. */
typedef struct {
  gsize k;               /* capture frame of the first */
  gint64 pos;            /* its take position */
  int take;
  gsize n;
} AlTakeRun;

/* The take and position a frame names, FALSE for silence and mixes. */
static inline gboolean
al_take_decode (const AlTakeCapture *cap, gsize t, int *take, gint64 *pos)
{
  float v = cap->ch[0][t];
  double u = fabs ((double) v) / AL_TAKE_SCALE;
  if (v == 0.0f || u != floor (u) || u > NFRAMES || cap->ch[1][t] != v * 0.5f)
    return FALSE;
  *take = v > 0 ? 0 : 1;
  *pos = (gint64) u - 1;
  return TRUE;
}

/* Runs of at least 16 frames (a mix can name a take by chance, but not
 * 16 times in a row at consecutive positions), reported as test messages. */
static inline GArray *
al_take_runs (const AlTakeCapture *cap)
{
  GArray *runs = g_array_new (FALSE, FALSE, sizeof (AlTakeRun));
  AlTakeRun r = { 0, 0, -1, 0 };
  for (gsize t = 0; t <= cap->n; t++)
    {
      int take = -1;
      gint64 pos = 0;
      gboolean ok = t < cap->n && al_take_decode (cap, t, &take, &pos);
      if (ok && r.n > 0 && take == r.take && pos == r.pos + (gint64) r.n)
        {
          r.n++;
          continue;
        }
      if (r.n >= 16)
        g_array_append_val (runs, r);
      r = (AlTakeRun) { t, pos, take, ok ? 1 : 0 };
    }
  for (guint i = 0; i < runs->len; i++)
    {
      const AlTakeRun *x = &g_array_index (runs, AlTakeRun, i);
      g_test_message ("run %u: capture frames %zu … %zu = take %d frames %" G_GINT64_FORMAT " …", i, x->k,
                      x->k + x->n - 1, x->take, x->pos);
    }
  return runs;
}
