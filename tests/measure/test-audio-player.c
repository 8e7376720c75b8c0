/* test-audio-player.c — the listening player's real-time engine without a
 * device, driven period by period (64- and 256-frame periods) with takes
 * that are distinct sinusoids per take and channel.
 *
 * Every run is compared with a model written from the specification, not
 * from the engine: outside fades the output is a take's samples bit-exact
 * at the position the frames played imply; inside a fade of L frames it
 * is (1 − g)·outgoing + g·target with g(k) = (1 − cos(π k / L)) / 2,
 * within 1e-6.  Asserted: fade-in at the start, a switch continuing at the
 * same position, a seek, pause to exact zeros and resume from the held
 * position, a switch back and a pause during a fade (the fade turns round),
 * a third take requested during a fade (waits for it), loop wraps (and the
 * position staying inside the loop, also for a loop shorter than two
 * fades), the end of the takes (zeros, ENDED, a seek restarts), a hard cut
 * with fade 0, a one-channel take on every mapped output, unmapped outputs
 * silent; the takes' checks (NaN and infinities named by take, channel
 * count against the map); and URIs the player refuses before it looks for
 * a device.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-audio-player-private.h"

#include <math.h>
#include <string.h>

#define NFRAMES 20000
#define NTAKES 3
#define NCH 2
#define N_STREAM 4     /* stream outputs; the map uses 2 and 0 */
#define L 300          /* fade, frames: not a multiple of a period */
#define MAXT 40000     /* frames recorded per run */

static float *takes[NTAKES];
static const int map2[] = { 2, 0 };

/* Take k, channel c: a sinusoid of its own frequency and phase. */
static void
make_takes (void)
{
  for (int k = 0; k < NTAKES; k++)
    {
      takes[k] = g_new (float, NCH * NFRAMES);
      for (int c = 0; c < NCH; c++)
        for (int i = 0; i < NFRAMES; i++)
          takes[k][c * NFRAMES + i] = (float) (0.5 * sin (2 * G_PI * 97.0 * (k + 1) * (c + 2) * i / 48000.0
                                                           + 0.7 * k + 0.3 * c));
    }
}

/* Take k's channel c at frame pos, 0 outside the takes or for silence (−1). */
static float
x (int k, int c, gint64 pos)
{
  if (k < 0 || pos < 0 || pos >= NFRAMES)
    return 0.0f;
  return takes[k][c * NFRAMES + pos];
}

static double
gain (int k, int len)
{
  return 0.5 - 0.5 * cos (G_PI * k / len);
}

typedef struct {
  AlPlayerEngine *e;
  int period;
  int nch;                /* take channels */
  const int *map;
  int nmap;
  float *rec[N_STREAM];   /* everything each stream output gave */
  gint64 t;
} Drive;

static void
drive_init (Drive *d, AlPlayerEngine *e, int period, int nch, const int *map, int nmap)
{
  memset (d, 0, sizeof *d);
  d->e = e;
  d->period = period;
  d->nch = nch;
  d->map = map;
  d->nmap = nmap;
  for (int o = 0; o < N_STREAM; o++)
    d->rec[o] = g_new0 (float, MAXT);
}

static void
drive_clear (Drive *d)
{
  for (int o = 0; o < N_STREAM; o++)
    g_free (d->rec[o]);
  al_player_engine_free (d->e);
}

/* Runs `frames` frames in periods (the last may be short); the outputs
 * start as NaN so anything the engine leaves unwritten shows. */
static void
drive (Drive *d, int frames)
{
  g_assert_cmpint (d->t + frames, <=, MAXT);
  float buf[N_STREAM][256];
  float *out[N_STREAM];
  for (int o = 0; o < N_STREAM; o++)
    out[o] = buf[o];
  while (frames > 0)
    {
      int n = MIN (frames, d->period);
      for (int o = 0; o < N_STREAM; o++)
        for (int i = 0; i < n; i++)
          buf[o][i] = NAN;
      al_player_engine_process (d->e, out, N_STREAM, n);
      for (int o = 0; o < N_STREAM; o++)
        memcpy (d->rec[o] + d->t, buf[o], sizeof (float) * n);
      d->t += n;
      frames -= n;
    }
}

/* Until frame t (a multiple of both periods, so requests land there). */
static void
drive_to (Drive *d, gint64 t)
{
  drive (d, (int) (t - d->t));
}

/* The model of [t0, t1): outgoing voice (take a from frame pa) and target
 * (take b from frame pb), frame k0 of a fade of len frames at t0; len 0:
 * the target alone, which must match bit-exactly. */
typedef struct {
  gint64 t0, t1;
  int a;
  gint64 pa;
  int b;
  gint64 pb;
  int k0, len;
} Seg;

static void
check (const Drive *d, Seg s)
{
  g_assert_cmpint (s.t1, <=, d->t);
  double worst = 0.0;
  for (gint64 t = s.t0; t < s.t1; t++)
    {
      gint64 j = t - s.t0;
      for (int m = 0; m < d->nmap; m++)
        {
          int c = d->nch == 1 ? 0 : m;
          float got = d->rec[d->map[m]][t];
          if (s.len == 0)
            {
              float want = x (s.b, c, s.pb + j);
              if (got != want)
                g_error ("frame %" G_GINT64_FORMAT " output %d: %.9g, want take %d frame %" G_GINT64_FORMAT
                         " = %.9g exactly", t, d->map[m] + 1, got, s.b, s.pb + j, want);
            }
          else
            {
              double g = gain (s.k0 + (int) j, s.len);
              double want = (1.0 - g) * x (s.a, c, s.pa + j) + g * x (s.b, c, s.pb + j);
              worst = fmax (worst, fabs (got - want));
              if (!(fabs (got - want) <= 1e-6))
                g_error ("frame %" G_GINT64_FORMAT " output %d, fade frame %d of %d: %.9g, want %.9g",
                         t, d->map[m] + 1, s.k0 + (int) j, s.len, got, want);
            }
        }
      for (int o = 0; o < N_STREAM; o++)
        {
          gboolean mapped = FALSE;
          for (int m = 0; m < d->nmap; m++)
            mapped |= d->map[m] == o;
          if (!mapped && d->rec[o][t] != 0.0f)
            g_error ("frame %" G_GINT64_FORMAT ": unmapped output %d is %g", t, o + 1, d->rec[o][t]);
        }
    }
  if (s.len > 0)
    g_test_message ("fade [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "): largest error %.2g", s.t0, s.t1, worst);
}

static AlPlayerEngine *
engine_new (int fade)
{
  g_autoptr (GError) error = NULL;
  AlPlayerEngine *e = al_player_engine_new ((const float *const *) takes, NULL, NTAKES, NCH, NFRAMES, map2, 2,
                                            "test device", &error);
  g_assert_no_error (error);
  g_assert_cmpint (e->n_out, ==, 3);
  al_player_engine_set_fade (e, fade);
  return e;
}

static void
assert_position (const Drive *d, gint64 want)
{
  g_assert_cmpint (al_player_engine_get_position (d->e), ==, want);
}

/* Fade-in from silence, then a switch at the same position. */
static void
test_switch (gconstpointer data)
{
  Drive d;
  drive_init (&d, engine_new (L), GPOINTER_TO_INT (data), NCH, map2, 2);
  g_assert_true (al_player_engine_is_silent (d.e));
  al_player_engine_set_playing (d.e, TRUE);
  drive_to (&d, 1024);
  assert_position (&d, 1024);
  g_assert_false (al_player_engine_is_silent (d.e));
  al_player_engine_select (d.e, 1);
  drive_to (&d, 3072);
  assert_position (&d, 3072); /* advanced by exactly the frames played */
  check (&d, (Seg) { 0, L, -1, 0, 0, 0, 0, L });
  check (&d, (Seg) { L, 1024, -1, 0, 0, L, 0, 0 });
  check (&d, (Seg) { 1024, 1024 + L, 0, 1024, 1, 1024, 0, L });
  check (&d, (Seg) { 1024 + L, 3072, -1, 0, 1, 1024 + L, 0, 0 });
  drive_clear (&d);
}

static void
test_seek (gconstpointer data)
{
  Drive d;
  drive_init (&d, engine_new (L), GPOINTER_TO_INT (data), NCH, map2, 2);
  al_player_engine_select (d.e, 2);
  al_player_engine_set_playing (d.e, TRUE);
  drive_to (&d, 512);
  al_player_engine_seek (d.e, 15000);
  drive_to (&d, 2048);
  assert_position (&d, 15000 + 2048 - 512);
  check (&d, (Seg) { L, 512, -1, 0, 2, L, 0, 0 });
  check (&d, (Seg) { 512, 512 + L, 2, 512, 2, 15000, 0, L });
  check (&d, (Seg) { 512 + L, 2048, -1, 0, 2, 15000 + L, 0, 0 });
  /* Out of range: clamped to frame 0. */
  al_player_engine_seek (d.e, -5);
  drive_to (&d, 2560);
  check (&d, (Seg) { 2048, 2048 + L, 2, 15000 + 1536, 2, 0, 0, L });
  drive_clear (&d);
}

static void
test_pause_resume (gconstpointer data)
{
  Drive d;
  drive_init (&d, engine_new (L), GPOINTER_TO_INT (data), NCH, map2, 2);
  al_player_engine_set_playing (d.e, TRUE);
  drive_to (&d, 1024);
  al_player_engine_set_playing (d.e, FALSE);
  drive_to (&d, 2048);
  /* Held where the pause was asked for, silent once faded. */
  assert_position (&d, 1024);
  g_assert_true (al_player_engine_is_silent (d.e));
  check (&d, (Seg) { 1024, 1024 + L, 0, 1024, -1, 0, 0, L });
  check (&d, (Seg) { 1024 + L, 2048, -1, 0, -1, 0, 0, 0 }); /* exact zeros */
  /* A switch while paused changes what resumes, silently. */
  al_player_engine_select (d.e, 1);
  drive_to (&d, 2560);
  check (&d, (Seg) { 2048, 2560, -1, 0, -1, 0, 0, 0 });
  assert_position (&d, 1024);
  al_player_engine_set_playing (d.e, TRUE);
  drive_to (&d, 4096);
  assert_position (&d, 1024 + 4096 - 2560);
  check (&d, (Seg) { 2560, 2560 + L, -1, 0, 1, 1024, 0, L });
  check (&d, (Seg) { 2560 + L, 4096, -1, 0, 1, 1024 + L, 0, 0 });
  drive_clear (&d);
}

/* Requests during a fade (64-frame periods land inside it). */
static void
test_during_fade (void)
{
  /* Back to the take fading out: the fade turns round at frame 128 of
   * 300, continuing with g(300 − 128 + j) for the target. */
  Drive d;
  drive_init (&d, engine_new (L), 64, NCH, map2, 2);
  al_player_engine_set_playing (d.e, TRUE);
  drive_to (&d, 1024);
  al_player_engine_select (d.e, 1);
  drive_to (&d, 1024 + 128);
  al_player_engine_select (d.e, 0);
  drive_to (&d, 2048);
  check (&d, (Seg) { 1024, 1024 + 128, 0, 1024, 1, 1024, 0, L });
  check (&d, (Seg) { 1024 + 128, 1024 + 256, 1, 1024 + 128, 0, 1024 + 128, L - 128, L });
  check (&d, (Seg) { 1024 + 256, 2048, -1, 0, 0, 1024 + 256, 0, 0 });
  assert_position (&d, 2048);

  /* A third take: waits for the fade to end, then fades from the target. */
  al_player_engine_select (d.e, 1);
  drive_to (&d, 2048 + 128);
  al_player_engine_select (d.e, 2);
  drive_to (&d, 4096);
  check (&d, (Seg) { 2048, 2048 + L, 0, 2048, 1, 2048, 0, L });
  check (&d, (Seg) { 2048 + L, 2048 + 2 * L, 1, 2048 + L, 2, 2048 + L, 0, L });
  check (&d, (Seg) { 2048 + 2 * L, 4096, -1, 0, 2, 2048 + 2 * L, 0, 0 });

  /* A seek during a fade waits too, then goes exactly where asked. */
  al_player_engine_select (d.e, 0);
  drive_to (&d, 4096 + 64);
  al_player_engine_seek (d.e, 100);
  drive_to (&d, 5120);
  check (&d, (Seg) { 4096, 4096 + L, 2, 4096, 0, 4096, 0, L });
  check (&d, (Seg) { 4096 + L, 4096 + 2 * L, 0, 4096 + L, 0, 100, 0, L });
  check (&d, (Seg) { 4096 + 2 * L, 5120, -1, 0, 0, 100 + L, 0, 0 });
  assert_position (&d, 100 + 5120 - 4096 - L);
  drive_clear (&d);

  /* Pause during the fade-in: turns round towards silence, holding the
   * position the fade-in started from. */
  drive_init (&d, engine_new (L), 64, NCH, map2, 2);
  al_player_engine_locate (d.e, 500);
  al_player_engine_set_playing (d.e, TRUE);
  drive_to (&d, 128);
  al_player_engine_set_playing (d.e, FALSE);
  drive_to (&d, 1024);
  check (&d, (Seg) { 0, 128, -1, 0, 0, 500, 0, L });
  check (&d, (Seg) { 128, 256, 0, 500 + 128, -1, 0, L - 128, L });
  check (&d, (Seg) { 256, 1024, -1, 0, -1, 0, 0, 0 });
  assert_position (&d, 500);
  /* Resume during the pause's fade-out: turns round, continuing the take
   * where it is. */
  al_player_engine_set_playing (d.e, TRUE);
  drive_to (&d, 2048);
  al_player_engine_set_playing (d.e, FALSE);
  drive_to (&d, 2048 + 192);
  al_player_engine_set_playing (d.e, TRUE);
  drive_to (&d, 3072);
  gint64 p = 500 + 2048 - 1024;
  check (&d, (Seg) { 1024, 1024 + L, -1, 0, 0, 500, 0, L });
  check (&d, (Seg) { 2048, 2048 + 192, 0, p, -1, 0, 0, L });
  check (&d, (Seg) { 2048 + 192, 2048 + 384, -1, 0, 0, p + 192, L - 192, L });
  check (&d, (Seg) { 2048 + 384, 3072, -1, 0, 0, p + 384, 0, 0 });
  assert_position (&d, p + 3072 - 2048);
  drive_clear (&d);
}

static void
test_loop (gconstpointer data)
{
  Drive d;
  drive_init (&d, engine_new (L), GPOINTER_TO_INT (data), NCH, map2, 2);
  const gint64 ls = 2000, le = 5000, start = 1500;
  al_player_engine_set_loop (d.e, TRUE, ls, le);
  al_player_engine_locate (d.e, start);
  al_player_engine_set_playing (d.e, TRUE);
  gboolean inside = FALSE;
  gint64 lo = G_MAXINT64, hi = 0;
  while (d.t < 12800)
    {
      drive (&d, d.period);
      gint64 pos = al_player_engine_get_position (d.e);
      inside |= pos >= ls;
      if (inside)
        {
          lo = MIN (lo, pos);
          hi = MAX (hi, pos);
          g_assert_cmpint (pos, >=, ls);
          g_assert_cmpint (pos, <, le);
        }
    }
  g_test_message ("loop [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "): positions published %" G_GINT64_FORMAT
                  " … %" G_GINT64_FORMAT, ls, le, lo, hi);
  /* Wraps where the target reaches le − L, from [le − L, le) into [ls, ls + L). */
  gint64 first = (le - L) - start, cycle = (le - L) - ls;
  check (&d, (Seg) { 0, L, -1, 0, 0, start, 0, L });
  check (&d, (Seg) { L, first, -1, 0, 0, start + L, 0, 0 });
  int nwraps = 0;
  for (gint64 w = first; w + cycle <= d.t; w += cycle, nwraps++)
    {
      check (&d, (Seg) { w, w + L, 0, le - L, 0, ls, 0, L });
      check (&d, (Seg) { w + L, w + cycle, -1, 0, 0, ls + L, 0, 0 });
    }
  g_assert_cmpint (nwraps, ==, 3);

  /* A switch whose fade would reach the wrap point becomes the wrap. */
  gint64 w = first + 4 * cycle; /* the next wrap */
  g_assert_cmpint (w, >, d.t);
  gint64 pos = al_player_engine_get_position (d.e);
  g_assert_cmpint (pos, ==, ls + L + (d.t - first - 3 * cycle - L));
  drive (&d, (int) (le - L - L - pos) / d.period * d.period + d.period); /* past le − 2L, before le − L */
  pos = al_player_engine_get_position (d.e);
  g_assert_cmpint (pos, >, le - 2 * L);
  g_assert_cmpint (pos, <, le - L);
  gint64 t0 = d.t;
  al_player_engine_select (d.e, 1);
  drive (&d, 1024);
  check (&d, (Seg) { t0, t0 + L, 0, pos, 1, ls, 0, L });
  check (&d, (Seg) { t0 + L, d.t, -1, 0, 1, ls + L, 0, 0 });
  drive_clear (&d);

  /* A loop shorter than two fades: the fades shrink to half of it and the
   * position stays inside. */
  drive_init (&d, engine_new (L), GPOINTER_TO_INT (data), NCH, map2, 2);
  al_player_engine_set_loop (d.e, TRUE, 3000, 3400);
  al_player_engine_locate (d.e, 3000);
  al_player_engine_set_playing (d.e, TRUE);
  while (d.t < 8192)
    {
      drive (&d, d.period);
      gint64 p = al_player_engine_get_position (d.e);
      g_assert_cmpint (p, >=, 3000);
      g_assert_cmpint (p, <, 3400);
    }
  check (&d, (Seg) { 0, 200, -1, 0, 0, 3000, 0, 200 });
  check (&d, (Seg) { 200, 200, -1, 0, 0, 3200, 0, 0 });
  check (&d, (Seg) { 200, 400, 0, 3200, 0, 3000, 0, 200 });
  check (&d, (Seg) { 400, 600, 0, 3200, 0, 3000, 0, 200 });
  drive_clear (&d);
}

static void
test_end (gconstpointer data)
{
  Drive d;
  drive_init (&d, engine_new (L), GPOINTER_TO_INT (data), NCH, map2, 2);
  al_player_engine_locate (d.e, NFRAMES - 1000);
  al_player_engine_set_playing (d.e, TRUE);
  drive_to (&d, 2048);
  check (&d, (Seg) { 0, L, -1, 0, 0, NFRAMES - 1000, 0, L });
  check (&d, (Seg) { L, 1000, -1, 0, 0, NFRAMES - 1000 + L, 0, 0 });
  check (&d, (Seg) { 1000, 2048, -1, 0, -1, 0, 0, 0 }); /* exact zeros */
  g_assert_true (al_player_engine_is_ended (d.e));
  g_assert_true (al_player_engine_is_silent (d.e));
  assert_position (&d, NFRAMES);
  /* Ended stays ended (a switch changes nothing) until a seek. */
  al_player_engine_select (d.e, 1);
  drive_to (&d, 2560);
  check (&d, (Seg) { 2048, 2560, -1, 0, -1, 0, 0, 0 });
  g_assert_true (al_player_engine_is_ended (d.e));
  al_player_engine_seek (d.e, 0);
  g_assert_false (al_player_engine_is_ended (d.e)); /* at once, before a period ran */
  drive_to (&d, 3072);
  g_assert_false (al_player_engine_is_ended (d.e));
  check (&d, (Seg) { 2560, 2560 + L, -1, 0, 1, 0, 0, L });
  check (&d, (Seg) { 2560 + L, 3072, -1, 0, 1, L, 0, 0 });
  assert_position (&d, 512);
  drive_clear (&d);
}

static void
test_no_fade (void)
{
  Drive d;
  drive_init (&d, engine_new (0), 256, NCH, map2, 2);
  al_player_engine_set_playing (d.e, TRUE);
  drive_to (&d, 512);
  al_player_engine_select (d.e, 2);
  drive_to (&d, 1024);
  al_player_engine_set_playing (d.e, FALSE);
  drive_to (&d, 1280);
  check (&d, (Seg) { 0, 512, -1, 0, 0, 0, 0, 0 });
  check (&d, (Seg) { 512, 1024, -1, 0, 2, 512, 0, 0 });
  check (&d, (Seg) { 1024, 1280, -1, 0, -1, 0, 0, 0 });
  drive_clear (&d);
}

static void
test_mono (void)
{
  static const int map3[] = { 0, 1, 3 };
  g_autoptr (GError) error = NULL;
  const float *mono[] = { takes[1] }; /* its first channel */
  AlPlayerEngine *e = al_player_engine_new (mono, NULL, 1, 1, NFRAMES, map3, 3, "test device", &error);
  g_assert_no_error (error);
  al_player_engine_set_fade (e, L);
  Drive d;
  drive_init (&d, e, 256, 1, map3, 3);
  al_player_engine_set_playing (e, TRUE);
  drive_to (&d, 2048);
  /* x(0, …) of this drive is takes[0]: compare with the mono source directly. */
  for (gint64 t = L; t < 2048; t++)
    for (int m = 0; m < 3; m++)
      g_assert_true (d.rec[map3[m]][t] == takes[1][t]);
  for (gint64 t = 0; t < 2048; t++)
    g_assert_true (d.rec[2][t] == 0.0f);
  drive_clear (&d);
}

static void
expect_take_error (const float *const *t, const char *const *names, int ntakes, int nch, const int *map, int nmap,
                   GQuark domain, int code, const char *want)
{
  g_autoptr (GError) error = NULL;
  AlPlayerEngine *e = al_player_engine_new (t, names, ntakes, nch, NFRAMES, map, nmap,
                                            "portaudio device 'x' (y), outputs 1-2", &error);
  g_assert_null (e);
  g_assert_error (error, domain, code);
  g_test_message ("%s", error->message);
  if (strstr (error->message, want) == NULL)
    g_error ("'%s' not in '%s'", want, error->message);
}

static void
test_takes_checked (void)
{
  static const int map1[] = { 0 };
  const char *names[] = { "mics", "truth", "tikhonov" };
  g_autofree float *bad = g_memdup2 (takes[1], sizeof (float) * NCH * NFRAMES);
  bad[NFRAMES + 77] = NAN;
  const float *with_nan[] = { takes[0], bad, takes[2] };
  expect_take_error (with_nan, names, 3, NCH, map2, 2, AL_ERROR, AL_ERROR_INVALID_INPUT,
                     "take 'truth' (2 of 3): channel 2, frame 77 is NaN");
  bad[NFRAMES + 77] = takes[1][NFRAMES + 77];
  bad[5] = -INFINITY;
  expect_take_error (with_nan, NULL, 3, NCH, map2, 2, AL_ERROR, AL_ERROR_INVALID_INPUT,
                     "take 2 of 3: channel 1, frame 5 is infinite");
  expect_take_error ((const float *const *) takes, names, 3, NCH, map1, 1, AL_AUDIO_ERROR, AL_AUDIO_ERROR_CHANNELS,
                     "portaudio device 'x' (y), outputs 1-2: the takes have 2 channels but 1 output is mapped (out=1)");
  static const int map3[] = { 0, 1, 2 };
  expect_take_error ((const float *const *) takes, names, 3, NCH, map3, 3, AL_AUDIO_ERROR, AL_AUDIO_ERROR_CHANNELS,
                     "the takes have 2 channels but 3 outputs are mapped (out=1-3)");
}

static void
test_uris (void)
{
  const struct { const char *uri, *want; } cases[] = {
    { "alsa:hw:0", "not a portaudio:DEVICE?out=… URI" },
    { "system", "not a portaudio:DEVICE?out=… URI" },
    { "portaudio:system?in=1-2", "unknown key 'in'" },
    { "portaudio:system?out=2-1", "runs backwards" },
    { "portaudio:system?out=1,1", "channel 1 appears twice" },
    { "portaudio:system?out=0", "is not a channel number" },
    { "portaudio:system?frames=7", "frames=7 is not a whole number in 16 … 65536" },
    { "portaudio:system?out=1&out=2", "out is given twice" },
    { "portaudio:sys%zztem", "broken %-escape" },
    { "portaudio:system?out", "'out' is not KEY=VALUE" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (AlAudioPlayer) p = al_audio_player_new (cases[i].uri, &error);
      g_assert_null (p);
      g_assert_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_URI);
      g_test_message ("%s -> %s", cases[i].uri, error->message);
      if (strstr (error->message, cases[i].want) == NULL)
        g_error ("'%s' not in '%s'", cases[i].want, error->message);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  make_takes ();
  const int periods[] = { 64, 256 };
  for (guint i = 0; i < G_N_ELEMENTS (periods); i++)
    {
      gconstpointer p = GINT_TO_POINTER (periods[i]);
      g_autofree char *sw = g_strdup_printf ("/measure/audio/player/switch/%d", periods[i]);
      g_autofree char *sk = g_strdup_printf ("/measure/audio/player/seek/%d", periods[i]);
      g_autofree char *pr = g_strdup_printf ("/measure/audio/player/pause-resume/%d", periods[i]);
      g_autofree char *lp = g_strdup_printf ("/measure/audio/player/loop/%d", periods[i]);
      g_autofree char *en = g_strdup_printf ("/measure/audio/player/end/%d", periods[i]);
      g_test_add_data_func (sw, p, test_switch);
      g_test_add_data_func (sk, p, test_seek);
      g_test_add_data_func (pr, p, test_pause_resume);
      g_test_add_data_func (lp, p, test_loop);
      g_test_add_data_func (en, p, test_end);
    }
  g_test_add_func ("/measure/audio/player/during-fade", test_during_fade);
  g_test_add_func ("/measure/audio/player/no-fade", test_no_fade);
  g_test_add_func ("/measure/audio/player/mono", test_mono);
  g_test_add_func ("/measure/audio/player/takes-checked", test_takes_checked);
  g_test_add_func ("/measure/audio/player/uris", test_uris);
  int rc = g_test_run ();
  for (int k = 0; k < NTAKES; k++)
    g_free (takes[k]);
  return rc;
}
