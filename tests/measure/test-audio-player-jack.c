/* test-audio-player-jack.c — the listening player on the real audio path:
 * PortAudio on a private JACK dummy server (4 playback ports, 256-frame
 * periods, 48 kHz) started by this test, the player's outputs
 * (ambilab:out_1, out_2) wired to the test's capture client.
 *
 * The takes say what they are in every sample: take 0 is +(i+1)·2⁻²² at
 * frame i on output 1 and half that on output 2, take 1 the same negated,
 * so any captured frame outside a fade names its take and position.
 * Asserted, each from the captured samples: a take arrives bit-exact from
 * where the capture found it to the end of the capture, after a fade-in of
 * g(j)·take within 1e-6 (or silence before the connection); a switch from
 * take 0 to take 1 while playing continues at the same position with the
 * raised-cosine crossfade (within 1e-6) in between and take 1 bit-exact
 * after it; pause fades out to exact zeros and resume fades in from the
 * held position; the position reported advances and covers what was
 * heard; the player's name, missing devices, output maps, rates and bad
 * takes fail with messages naming the device or take; and killing the
 * JACK server while playing makes al_audio_player_check fail with
 * AL_AUDIO_ERROR_DEVICE and the state STOPPED.
 *
 * A run is redone (bounded by time) when JACK reports an xrun and the
 * captured audio does not match: a --no-realtime server on a busy machine
 * misses deadlines now and then, and a missed cycle loses samples.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-audio-player.h"
#include "al-test-jack.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define CHANNELS 4
#define PERIOD 256
#define RATE 48000.0
#define NFRAMES (3 * 48000)
#define FADE 480        /* the default 10 ms */
#define DEV "portaudio device 'system' (JACK Audio Connection Kit)"
#define URI "portaudio:system?out=1-2"

#include "al-test-takes.h"

static AlTestJack *jack;
static float *takes[2];
static int nredone;

static void
make_takes (void)
{
  for (int k = 0; k < 2; k++)
    {
      takes[k] = g_new (float, 2 * NFRAMES);
      for (int c = 0; c < 2; c++)
        for (gint64 i = 0; i < NFRAMES; i++)
          takes[k][c * NFRAMES + i] = (float) al_take_value (k, c, i);
    }
}

static AlAudioPlayer *
player_new (void)
{
  g_autoptr (GError) error = NULL;
  AlAudioPlayer *p = al_audio_player_new (URI, &error);
  g_assert_no_error (error);
  const char *names[] = { "plus", "minus" };
  g_assert_true (al_audio_player_set_takes (p, (const float *const *) takes, names, 2, 2, NFRAMES, RATE, &error));
  g_assert_no_error (error);
  return p;
}

/* Until the player's position reaches `seconds`, checking it all along. */
static void
wait_position (AlAudioPlayer *p, double seconds)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  double last = al_audio_player_get_position (p);
  while (al_audio_player_get_position (p) < seconds)
    {
      g_autoptr (GError) error = NULL;
      g_assert_true (al_audio_player_check (p, NULL, &error));
      g_assert_no_error (error);
      double now = al_audio_player_get_position (p);
      g_assert_cmpfloat (now, >=, last); /* never backwards while playing on */
      last = now;
      if (g_get_monotonic_time () > deadline)
        g_error ("the position stays at %.3f s, waiting for %.3f s", now, seconds);
      g_usleep (2000);
    }
}

/* Until the capture holds `frames` more frames. */
static void
wait_captured (gsize frames)
{
  gsize until = al_test_jack_capture_frames (jack) + frames;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (al_test_jack_capture_frames (jack) < until)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the capture stopped at %zu frames", al_test_jack_capture_frames (jack));
      g_usleep (2000);
    }
}

static void
capture_begin (void)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (al_test_jack_capture_start (jack, 2, 20.0, &error));
  g_assert_no_error (error);
}

static void
capture_connect (void)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (al_test_jack_capture_connect (jack, "ambilab", 2, 5.0, &error));
  g_assert_no_error (error);
}

/* ---- Reading the capture (al-test-takes.h) ---- */

typedef AlTakeCapture Capture;
typedef AlTakeRun Run;

/* capture[t0, t1) against (1 − g)·take a from pa + g·take b from pb, g of
 * a fade of len frames (len 0: take b alone, bit-exact); NULL when it
 * matches, else what differs. */
static char *
compare (const Capture *cap, gsize t0, gsize t1, int a, gint64 pa, int b, gint64 pb, int len)
{
  if (t1 > cap->n)
    return g_strdup_printf ("the capture ends at %zu, before %zu", cap->n, t1);
  for (gsize t = t0; t < t1; t++)
    for (int c = 0; c < 2; c++)
      {
        gint64 j = (gint64) (t - t0);
        float got = cap->ch[c][t];
        if (len == 0)
          {
            float want = (float) al_take_value (b, c, pb + j);
            if (got != want)
              return g_strdup_printf ("capture frame %zu output %d: %.9g, want take %d frame %" G_GINT64_FORMAT
                                      " = %.9g exactly", t, c + 1, got, b, pb + j, want);
          }
        else
          {
            double g = 0.5 - 0.5 * cos (G_PI * j / len);
            double want = (1 - g) * al_take_value (a, c, pa + j) + g * al_take_value (b, c, pb + j);
            if (!(fabs (got - want) <= 1e-6))
              return g_strdup_printf ("capture frame %zu output %d, fade frame %" G_GINT64_FORMAT ": %.9g, want %.9g",
                                      t, c + 1, j, got, want);
          }
      }
  return NULL;
}

/* The fade-in before run r, frame by frame against g(j)·take. */
static char *
check_fade_in (const Capture *cap, const Run *r)
{
  gsize f = r->k >= FADE ? r->k - FADE : 0;
  for (gsize t = 0; t < f; t++)
    if (cap->ch[0][t] != 0.0f || cap->ch[1][t] != 0.0f)
      return g_strdup_printf ("capture frame %zu is %g before the fade-in", t, cap->ch[0][t]);
  gsize t = f;
  while (t < r->k && cap->ch[0][t] == 0.0f && cap->ch[1][t] == 0.0f)
    t++; /* not connected yet */
  if (t == r->k)
    return NULL;
  /* Fade frame j of the fade ending at r->k. */
  for (; t < r->k; t++)
    {
      gint64 j = FADE - (gint64) (r->k - t);
      for (int c = 0; c < 2; c++)
        {
          double g = 0.5 - 0.5 * cos (G_PI * j / FADE);
          double want = g * al_take_value (r->take, c, r->pos - FADE + j);
          if (!(fabs (cap->ch[c][t] - want) <= 1e-6))
            return g_strdup_printf ("capture frame %zu output %d, fade-in frame %" G_GINT64_FORMAT ": %.9g, want %.9g",
                                    t, c + 1, j, cap->ch[c][t], want);
        }
    }
  return NULL;
}

/* ---- Runs redone after xruns ---- */

typedef char *(*Attempt) (AlAudioPlayer *p, int *underflows);

/* One attempt returns NULL when the capture matched, else why not; a
 * mismatch with an xrun in it is redone, one without fails. */
static void
attempt_until_clean (const char *what, Attempt attempt)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  for (int i = 0;; i++)
    {
      int log0 = al_test_jack_xruns (jack), underflows = 0;
      g_autoptr (AlAudioPlayer) p = player_new ();
      g_autofree char *why = attempt (p, &underflows);
      int xruns = al_test_jack_capture_xruns (jack) + underflows + al_test_jack_xruns (jack) - log0;
      al_test_jack_capture_disconnect (jack);
      if (why == NULL)
        {
          if (xruns > 0)
            g_test_message ("%s: %d xruns, the capture matched all the same", what, xruns);
          return;
        }
      if (xruns == 0 || g_get_monotonic_time () > deadline)
        g_error ("%s: %s (%d xruns seen)", what, why, xruns);
      g_test_message ("redoing %s after %d xruns: %s", what, xruns, why);
      nredone++;
      g_usleep (MIN (i + 1, 5) * 200000);
    }
}

static char *
attempt_exact (AlAudioPlayer *p, int *underflows)
{
  g_autoptr (GError) error = NULL;
  capture_begin ();
  g_assert_true (al_audio_player_play (p, &error));
  g_assert_no_error (error);
  g_assert_cmpint (al_audio_player_get_state (p), ==, AL_AUDIO_PLAYER_PLAYING);
  capture_connect ();
  wait_position (p, 1.0);
  Capture cap = { { al_test_jack_capture_data (jack, 0), al_test_jack_capture_data (jack, 1) },
                  al_test_jack_capture_stop (jack) };
  gint64 reached = llround (al_audio_player_get_position (p) * RATE);
  g_assert_true (al_audio_player_check (p, underflows, &error));
  al_audio_player_stop (p);
  g_assert_cmpint (al_audio_player_get_state (p), ==, AL_AUDIO_PLAYER_STOPPED);

  g_autoptr (GArray) runs = al_take_runs (&cap);
  if (runs->len != 1)
    return g_strdup_printf ("%u runs of a take in the capture, want 1", runs->len);
  const Run *r = &g_array_index (runs, Run, 0);
  if (r->take != 0)
    return g_strdup_printf ("take %d played, want 0", r->take);
  if (r->k + r->n != cap.n)
    return g_strdup_printf ("take 0 stops matching at capture frame %zu of %zu", r->k + r->n, cap.n);
  char *why = check_fade_in (&cap, r);
  if (why != NULL)
    return why;
  g_test_message ("take 0 bit-exact for %zu frames (%.2f s) from its frame %" G_GINT64_FORMAT
                  "; position reported %" G_GINT64_FORMAT, r->n, r->n / RATE, r->pos, reached);
  g_assert_cmpint (r->n, >=, RATE / 2);
  /* The callback publishes a period's end before the capture reads it. */
  g_assert_cmpint (reached, >=, r->pos + (gint64) r->n);
  return NULL;
}

static void
test_exact (void)
{
  attempt_until_clean ("bit-exact", attempt_exact);
}

static char *
attempt_switch (AlAudioPlayer *p, int *underflows)
{
  g_autoptr (GError) error = NULL;
  capture_begin ();
  g_assert_true (al_audio_player_play (p, &error));
  capture_connect ();
  wait_position (p, 0.4);
  al_audio_player_select (p, 1);
  double at = al_audio_player_get_position (p);
  g_assert_cmpint (al_audio_player_get_take (p), ==, 1);
  wait_position (p, at + 0.5);
  Capture cap = { { al_test_jack_capture_data (jack, 0), al_test_jack_capture_data (jack, 1) },
                  al_test_jack_capture_stop (jack) };
  g_assert_true (al_audio_player_check (p, underflows, &error));
  g_assert_no_error (error);

  g_autoptr (GArray) runs = al_take_runs (&cap);
  if (runs->len != 2)
    return g_strdup_printf ("%u runs of a take in the capture, want 2", runs->len);
  const Run *r0 = &g_array_index (runs, Run, 0), *r1 = &g_array_index (runs, Run, 1);
  if (r0->take != 0 || r1->take != 1)
    return g_strdup_printf ("takes %d then %d, want 0 then 1", r0->take, r1->take);
  if (r1->k + r1->n != cap.n)
    return g_strdup_printf ("take 1 stops matching at capture frame %zu of %zu", r1->k + r1->n, cap.n);
  /* The fade ends where take 1 alone begins; take 0 ran up to its start
   * and both share one timeline. */
  gsize fs = r1->k - FADE;
  gint64 p0 = r1->pos - FADE;
  if (r0->k + r0->n < fs)
    return g_strdup_printf ("take 0 stops matching at capture frame %zu, the fade starts at %zu", r0->k + r0->n, fs);
  if (r0->pos + (gint64) (fs - r0->k) != p0)
    return g_strdup_printf ("take 1 continues at frame %" G_GINT64_FORMAT ", take 0 was at %" G_GINT64_FORMAT,
                            p0, r0->pos + (gint64) (fs - r0->k));
  char *why = check_fade_in (&cap, r0);
  if (why == NULL)
    why = compare (&cap, fs, r1->k, 0, p0, 1, p0, FADE);
  if (why != NULL)
    return why;
  g_test_message ("switch at take frame %" G_GINT64_FORMAT " (asked at %.3f s): take 0 exact for %zu frames, "
                  "%d-frame crossfade, take 1 exact for %zu frames at the same positions", p0, at, r0->n, FADE, r1->n);
  return NULL;
}

static void
test_switch (void)
{
  attempt_until_clean ("switch", attempt_switch);
}

static char *
attempt_pause (AlAudioPlayer *p, int *underflows)
{
  g_autoptr (GError) error = NULL;
  capture_begin ();
  g_assert_true (al_audio_player_play (p, &error));
  capture_connect ();
  wait_position (p, 0.3);
  al_audio_player_pause (p);
  g_assert_cmpint (al_audio_player_get_state (p), ==, AL_AUDIO_PLAYER_PAUSED);
  wait_captured ((gsize) (0.3 * RATE));
  gint64 held = llround (al_audio_player_get_position (p) * RATE);
  wait_captured (4 * PERIOD);
  g_assert_cmpint (llround (al_audio_player_get_position (p) * RATE), ==, held); /* holds */
  g_assert_true (al_audio_player_play (p, &error));
  g_assert_cmpint (al_audio_player_get_state (p), ==, AL_AUDIO_PLAYER_PLAYING);
  wait_position (p, held / RATE + 0.3);
  Capture cap = { { al_test_jack_capture_data (jack, 0), al_test_jack_capture_data (jack, 1) },
                  al_test_jack_capture_stop (jack) };
  g_assert_true (al_audio_player_check (p, underflows, &error));

  g_autoptr (GArray) runs = al_take_runs (&cap);
  if (runs->len != 2)
    return g_strdup_printf ("%u runs of a take in the capture, want 2", runs->len);
  const Run *r0 = &g_array_index (runs, Run, 0), *r1 = &g_array_index (runs, Run, 1);
  if (r0->take != 0 || r1->take != 0)
    return g_strdup_printf ("takes %d then %d, want 0 both times", r0->take, r1->take);
  /* Fade-out from the held position, exact zeros, fade-in from it again. */
  gsize fo = r0->k + (gsize) (held - r0->pos), fi = r1->k - FADE;
  if (held < r0->pos || r0->k + r0->n < fo)
    return g_strdup_printf ("take 0 stops matching at capture frame %zu, the pause at %" G_GINT64_FORMAT
                            " would fade out from %zu", r0->k + r0->n, held, fo);
  if (r1->pos != held + FADE)
    return g_strdup_printf ("resumed at frame %" G_GINT64_FORMAT ", held %" G_GINT64_FORMAT, r1->pos - FADE, held);
  if (fi <= fo + FADE)
    return g_strdup_printf ("no silence between the fade-out at %zu and the fade-in at %zu", fo, fi);
  if (r1->k + r1->n != cap.n)
    return g_strdup_printf ("take 0 stops matching at capture frame %zu of %zu", r1->k + r1->n, cap.n);
  char *why = check_fade_in (&cap, r0);
  if (why == NULL)
    why = compare (&cap, fo, fo + FADE, 0, held, -1, 0, FADE);
  if (why == NULL)
    why = compare (&cap, fo + FADE, fi, -1, 0, -1, 0, 0);
  if (why == NULL)
    why = compare (&cap, fi, r1->k, -1, 0, 0, held, FADE);
  if (why != NULL)
    return why;
  g_test_message ("paused at frame %" G_GINT64_FORMAT ": %d-frame fade-out, %zu frames of exact zeros, "
                  "%d-frame fade-in, then exact from the held position", held, FADE, fi - fo - FADE, FADE);
  return NULL;
}

static void
test_pause (void)
{
  attempt_until_clean ("pause", attempt_pause);
}

static void
expect_error (GError *error, GQuark domain, int code, const char *want)
{
  g_assert_error (error, domain, code);
  g_test_message ("%s", error->message);
  if (strstr (error->message, want) == NULL)
    g_error ("'%s' not in '%s'", want, error->message);
}

static void
test_errors (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlAudioPlayer) none = al_audio_player_new ("portaudio:nonexistent", &error);
  g_assert_null (none);
  expect_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_NO_DEVICE, "no audio device matching 'nonexistent' (available: ");
  g_assert_nonnull (strstr (error->message, "'system' (JACK Audio Connection Kit, 4 in, 4 out)"));
  g_clear_error (&error);

  g_autoptr (AlAudioPlayer) wide = al_audio_player_new ("portaudio:system?out=1-5", &error);
  g_assert_null (wide);
  expect_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_CHANNELS, DEV " has 4 outputs, the map asks for output 5");
  g_clear_error (&error);

  /* The default map: outputs 1-2, or 1 for one-channel takes. */
  g_autoptr (AlAudioPlayer) p = al_audio_player_new ("portaudio:system", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (al_audio_player_get_name (p), ==, DEV ", outputs 1-2");
  g_assert_false (al_audio_player_play (p, &error));
  expect_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, DEV ", outputs 1-2: no takes to play");
  g_clear_error (&error);
  const float *mono[] = { takes[0] };
  g_assert_true (al_audio_player_set_takes (p, mono, NULL, 1, 1, NFRAMES, RATE, &error));
  g_assert_cmpstr (al_audio_player_get_name (p), ==, DEV ", output 1");
  g_assert_cmpint (al_audio_player_get_n_takes (p), ==, 1);
  g_assert_cmpfloat (al_audio_player_get_duration (p), ==, 3.0);

  g_assert_false (al_audio_player_set_takes (p, (const float *const *) takes, NULL, 2, 2, NFRAMES, 44100.0, &error));
  expect_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_RATE,
                DEV " does not support a sample rate of 44100 Hz (supported: 48000 Hz; default 48000 Hz)");
  g_clear_error (&error);
  g_assert_cmpint (al_audio_player_get_n_takes (p), ==, 1); /* a failure changes nothing */

  g_autofree float *wide3 = g_new0 (float, 3 * 100);
  const float *three[] = { wide3 };
  g_autoptr (AlAudioPlayer) p2 = al_audio_player_new (URI, &error);
  g_assert_no_error (error);
  g_assert_false (al_audio_player_set_takes (p2, three, NULL, 1, 3, 100, RATE, &error));
  expect_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_CHANNELS,
                DEV ": the takes have 3 channels but 2 outputs are mapped (out=1-2)");
  g_clear_error (&error);
  wide3[150] = NAN;
  const char *names[] = { "encoder A" };
  g_assert_false (al_audio_player_set_takes (p2, three, names, 1, 1, 300, RATE, &error));
  expect_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "take 'encoder A' (1 of 1): channel 1, frame 150 is NaN");
}

/* Seek, loop and the end through the stream: the state machine. */
static void
test_states (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlAudioPlayer) p = player_new ();
  g_assert_cmpint (al_audio_player_get_state (p), ==, AL_AUDIO_PLAYER_STOPPED);
  al_audio_player_seek (p, 2.5); /* stopped: moves at once */
  g_assert_cmpfloat (al_audio_player_get_position (p), ==, 2.5);
  g_assert_true (al_audio_player_play (p, &error));
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (al_audio_player_get_state (p) != AL_AUDIO_PLAYER_ENDED)
    {
      g_assert_true (al_audio_player_check (p, NULL, &error));
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (5000);
    }
  g_assert_cmpfloat (al_audio_player_get_position (p), ==, 3.0);
  /* Play after the end starts again from the loop start. */
  al_audio_player_set_loop (p, TRUE, 1.0, 1.5);
  g_assert_true (al_audio_player_play (p, &error));
  g_assert_cmpint (al_audio_player_get_state (p), ==, AL_AUDIO_PLAYER_PLAYING);
  while (al_audio_player_get_position (p) >= 1.5)
    {
      g_assert_true (al_audio_player_check (p, NULL, &error));
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (1000);
    }
  /* Looping: the position stays in [1, 1.5) for a second. */
  gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC;
  double lo = 10, hi = 0;
  while (g_get_monotonic_time () < until)
    {
      double pos = al_audio_player_get_position (p);
      lo = fmin (lo, pos);
      hi = fmax (hi, pos);
      g_usleep (1000);
    }
  g_test_message ("looping [1, 1.5) s: positions %.4f … %.4f s", lo, hi);
  g_assert_cmpfloat (lo, >=, 1.0);
  g_assert_cmpfloat (hi, <, 1.5);
  al_audio_player_stop (p);
  g_assert_cmpint (al_audio_player_get_state (p), ==, AL_AUDIO_PLAYER_STOPPED);
  double kept = al_audio_player_get_position (p);
  g_assert_cmpfloat (kept, >=, 1.0);
  g_assert_cmpfloat (kept, <, 1.5);
  g_usleep (50000);
  g_assert_cmpfloat (al_audio_player_get_position (p), ==, kept);
}

static void
test_server_killed (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlAudioPlayer) p = player_new ();
  g_assert_true (al_audio_player_play (p, &error));
  wait_position (p, 0.2);
  al_test_jack_kill_server (jack);
  gint64 t0 = g_get_monotonic_time ();
  while (al_audio_player_check (p, NULL, &error))
    {
      if (g_get_monotonic_time () - t0 > 20 * G_USEC_PER_SEC)
        g_error ("al_audio_player_check still passes 20 s after the server went");
      g_usleep (10000);
    }
  g_test_message ("%.2f s after the server went: %s", (g_get_monotonic_time () - t0) * 1e-6, error->message);
  expect_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_DEVICE, DEV ", outputs 1-2: ");
  g_assert_cmpint (al_audio_player_get_state (p), ==, AL_AUDIO_PLAYER_STOPPED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_autoptr (GError) error = NULL;
  jack = al_test_jack_start (CHANNELS, PERIOD, RATE, &error);
  if (jack == NULL)
    {
      /* Not a skip: CI installs jackd, so this is a broken environment. */
      printf ("Bail out! the JACK dummy server could not start: %s\n", error->message);
      return 1;
    }
  make_takes ();
  g_test_add_func ("/measure/audio/player-jack/exact", test_exact);
  g_test_add_func ("/measure/audio/player-jack/switch", test_switch);
  g_test_add_func ("/measure/audio/player-jack/pause", test_pause);
  g_test_add_func ("/measure/audio/player-jack/errors", test_errors);
  g_test_add_func ("/measure/audio/player-jack/states", test_states);
  /* Last: the server is gone afterwards. */
  g_test_add_func ("/measure/audio/player-jack/server-killed", test_server_killed);
  int rc = g_test_run ();
  printf ("# %d runs redone after xruns; jackd logged %d xruns\n", nredone, al_test_jack_xruns (jack));
  al_test_jack_stop (jack);
  g_free (takes[0]);
  g_free (takes[1]);
  return rc;
}
