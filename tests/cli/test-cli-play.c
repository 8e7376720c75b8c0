/* test-cli-play.c — ambilab-cli play end to end on a private JACK dummy
 * server (al-test-jack from tests/measure): two 2-s takes whose every
 * sample names its take and position (a.wav +(i+1)·2⁻²², b.wav the same
 * negated; output 2 half of output 1), played without a terminal with
 * --switch-every 0.5 while the test's capture client records the player's
 * outputs.
 *
 * Asserted from the captured samples: take a first, then the takes
 * alternating, each switch continuing at the same position with the
 * 10-ms raised-cosine crossfade (within 1e-6) between bit-exact stretches,
 * the last take playing to the end of the takes and silence after it; the
 * command exits 0 and names the device.  Errors: a missing file (exit 1,
 * naming it), takes of different rates or channel counts (exit 1, one
 * clear line), a missing device, and usage errors (exit 2).  A run with a
 * JACK xrun whose capture does not match is redone, bounded by time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "al-test-jack.h"
#include "io/al-io.h"
#include "cli-test-util.h"

#define RATE 48000.0
#define NFRAMES (2 * 48000)
#define FADE 480        /* the default 10 ms */

#include "al-test-takes.h"

static AlTestJack *jack;

static void
write_take (const char *name, int k, int nch, double rate)
{
  g_autofree char *path = path_in_dir (name);
  g_autoptr (GError) error = NULL;
  AlAudioWriter *w = al_audio_writer_open (path, rate, nch, &error);
  g_assert_no_error (error);
  g_autofree float *inter = g_new (float, (gsize) nch * NFRAMES);
  for (gint64 i = 0; i < NFRAMES; i++)
    for (int c = 0; c < nch; c++)
      inter[i * nch + c] = (float) al_take_value (k, c, i);
  g_assert_true (al_audio_writer_write (w, inter, NFRAMES, &error));
  g_assert_true (al_audio_writer_finish (w, TRUE, &error));
  g_assert_no_error (error);
}

/* ---- Reading the capture (al-test-takes.h) ---- */

typedef AlTakeCapture Capture;
typedef AlTakeRun Stretch;

/* capture[t0, t1) against (1 − g)·a + g·b from pa, pb over a fade of len
 * frames (len 0: take b alone, bit-exact); NULL when it matches. */
static char *
compare (const Capture *cap, gsize t0, gsize t1, int a, gint64 pa, int b, gint64 pb, int len)
{
  if (t1 > cap->n)
    return g_strdup_printf ("the capture ends at %zu, before %zu", cap->n, t1);
  for (gsize t = t0; t < t1; t++)
    for (int c = 0; c < 2; c++)
      {
        gint64 j = (gint64) (t - t0);
        double g = len > 0 ? 0.5 - 0.5 * cos (G_PI * j / len) : 1.0;
        double want = (1 - g) * al_take_value (a, c, pa + j) + g * al_take_value (b, c, pb + j);
        float got = cap->ch[c][t];
        if (len == 0 ? got != (float) want : !(fabs (got - want) <= 1e-6))
          return g_strdup_printf ("capture frame %zu output %d: %.9g, want %.9g", t, c + 1, got, want);
      }
  return NULL;
}

/* The whole capture: silence or a fade-in from the connection on, take a,
 * then alternating takes through crossfades at continuous positions, the
 * last to the end of the takes, then silence. */
static char *
check_capture (const Capture *cap, int *nswitches)
{
  g_autoptr (GArray) runs = al_take_runs (cap);
  for (guint i = 0; i < runs->len; i++)
    {
      const Stretch *x = &g_array_index (runs, Stretch, i);
      g_test_message ("run %u: capture frames %zu … %zu = take %c frames %" G_GINT64_FORMAT " … %" G_GINT64_FORMAT,
                      i, x->k, x->k + x->n - 1, 'a' + x->take, x->pos, x->pos + (gint64) x->n - 1);
    }
  if (runs->len < 2)
    return g_strdup_printf ("%u stretches of a take in the capture, want a switch at least", runs->len);
  const Stretch *first = &g_array_index (runs, Stretch, 0);
  if (first->take != 0)
    return g_strdup ("the first take heard is b, want a");
  /* Before take a: zeros, then (once connected) its fade-in from frame 0. */
  gsize f = first->k >= FADE ? first->k - FADE : 0;
  for (gsize t = 0; t < f; t++)
    if (cap->ch[0][t] != 0.0f || cap->ch[1][t] != 0.0f)
      return g_strdup_printf ("capture frame %zu is %g before take a", t, cap->ch[0][t]);
  gsize t = f;
  while (t < first->k && cap->ch[0][t] == 0.0f)
    t++;
  if (t < first->k)
    {
      if (first->pos != FADE)
        return g_strdup_printf ("take a starts at frame %" G_GINT64_FORMAT " after a fade-in", first->pos - FADE);
      gint64 j0 = (gint64) t - ((gint64) first->k - FADE);
      for (gsize u = t; u < first->k; u++)
        for (int c = 0; c < 2; c++)
          {
            gint64 j = j0 + (gint64) (u - t);
            double want = (0.5 - 0.5 * cos (G_PI * j / FADE)) * al_take_value (0, c, j);
            if (!(fabs (cap->ch[c][u] - want) <= 1e-6))
              return g_strdup_printf ("capture frame %zu output %d in the fade-in: %.9g, want %.9g", u, c + 1,
                                      cap->ch[c][u], want);
          }
    }

  for (guint i = 0; i + 1 < runs->len; i++)
    {
      const Stretch *r0 = &g_array_index (runs, Stretch, i), *r1 = &g_array_index (runs, Stretch, i + 1);
      if (r1->take == r0->take)
        return g_strdup_printf ("take %c twice in a row (capture frame %zu)", 'a' + r0->take, r1->k);
      gsize fs = r1->k - FADE;
      gint64 p0 = r1->pos - FADE;
      if (r0->k + r0->n < fs)
        return g_strdup_printf ("take %c stops matching at capture frame %zu, the crossfade starts at %zu",
                                'a' + r0->take, r0->k + r0->n, fs);
      if (r0->pos + (gint64) (fs - r0->k) != p0)
        return g_strdup_printf ("take %c continues at frame %" G_GINT64_FORMAT ", take %c was at %" G_GINT64_FORMAT,
                                'a' + r1->take, p0, 'a' + r0->take, r0->pos + (gint64) (fs - r0->k));
      char *why = compare (cap, fs, r1->k, r0->take, p0, r1->take, p0, FADE);
      if (why != NULL)
        return why;
      g_test_message ("switch %c → %c at take frame %" G_GINT64_FORMAT " (%.3f s)", 'a' + r0->take, 'a' + r1->take, p0,
                      p0 / RATE);
    }
  const Stretch *last = &g_array_index (runs, Stretch, runs->len - 1);
  if (last->pos + (gint64) last->n != NFRAMES)
    return g_strdup_printf ("the last take stops matching at its frame %" G_GINT64_FORMAT ", before the end",
                            last->pos + (gint64) last->n);
  char *why = compare (cap, last->k + last->n, cap->n, -1, 0, -1, 0, 0);
  if (why != NULL)
    return why;
  *nswitches = (int) runs->len - 1;
  return NULL;
}

static void
test_play (void)
{
  write_take ("a.wav", 0, 2, RATE);
  write_take ("b.wav", 1, 2, RATE);
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  for (int attempt = 0;; attempt++)
    {
      g_autoptr (GError) error = NULL;
      int log0 = al_test_jack_xruns (jack);
      g_assert_true (al_test_jack_capture_start (jack, 2, 10.0, &error));
      g_autoptr (GSubprocessLauncher) launcher
        = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
      g_subprocess_launcher_set_cwd (launcher, dir);
      /* stdin is /dev/null: no terminal, so it plays to the end. */
      g_autoptr (GSubprocess) proc = g_subprocess_launcher_spawn (launcher, &error, cli, "play", "a.wav", "b.wav",
                                                                  "--device", "portaudio:system?out=1-2",
                                                                  "--switch-every", "0.5", NULL);
      g_assert_no_error (error);
      gboolean connected = al_test_jack_capture_connect (jack, "ambilab", 2, 10.0, &error);
      g_autofree char *out = NULL, *err = NULL;
      g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, NULL));
      Capture cap = { { al_test_jack_capture_data (jack, 0), al_test_jack_capture_data (jack, 1) },
                      al_test_jack_capture_stop (jack) };
      al_test_jack_capture_disconnect (jack);
      g_test_message ("stdout: %s", out);
      if (!connected || g_subprocess_get_exit_status (proc) != 0)
        g_error ("ambilab-cli play exited with %d (%s); stderr: %s", g_subprocess_get_exit_status (proc),
                 connected ? "connected" : error->message, err);
      g_assert_nonnull (strstr (out, "Playing 2 takes (2 channels, 48000 Hz, 2.00 s) on portaudio device 'system' "
                                     "(JACK Audio Connection Kit), outputs 1-2"));

      int nswitches = 0;
      g_autofree char *why = check_capture (&cap, &nswitches);
      int xruns = al_test_jack_capture_xruns (jack) + al_test_jack_xruns (jack) - log0;
      if (why == NULL)
        {
          g_test_message ("%zu frames captured: take a, then %d switches at continuous positions, the last take "
                          "to the end (%d xruns)", cap.n, nswitches, xruns);
          /* Switches every 0.5 s of 2-s takes: at least a → b seen after
           * the connection, at most three. */
          g_assert_cmpint (nswitches, >=, 1);
          g_assert_cmpint (nswitches, <=, 3);
          return;
        }
      if (xruns == 0 || g_get_monotonic_time () > deadline)
        g_error ("%s (%d xruns seen)", why, xruns);
      g_test_message ("redoing the run after %d xruns: %s", xruns, why);
      g_usleep (MIN (attempt + 1, 5) * 200000);
    }
}

static void
test_errors (void)
{
  write_take ("a.wav", 0, 2, RATE);
  write_take ("slow.wav", 1, 2, 44100.0);
  write_take ("mono.wav", 1, 1, RATE);

  g_auto (Run) r1 = { 0 };
  run_cli (&r1, "play", "a.wav", "missing.wav", NULL);
  g_test_message ("%s", r1.err);
  g_assert_cmpint (r1.status, ==, 1);
  assert_one_line_error (&r1, "missing.wav");

  g_auto (Run) r2 = { 0 };
  run_cli (&r2, "play", "a.wav", "slow.wav", NULL);
  g_test_message ("%s", r2.err);
  g_assert_cmpint (r2.status, ==, 1);
  assert_one_line_error (&r2, "slow.wav is at 44100 Hz but a.wav at 48000 Hz: takes must share one sample rate");

  g_auto (Run) r3 = { 0 };
  run_cli (&r3, "play", "a.wav", "mono.wav", NULL);
  g_test_message ("%s", r3.err);
  g_assert_cmpint (r3.status, ==, 1);
  assert_one_line_error (&r3, "mono.wav has 1 channel but a.wav has 2: takes must have the same channels");

  g_auto (Run) r4 = { 0 };
  run_cli (&r4, "play", "a.wav", "--bogus", NULL);
  g_test_message ("%s", r4.err);
  g_assert_cmpint (r4.status, ==, 2);
  assert_one_line_error (&r4, "--bogus");

  g_auto (Run) r5 = { 0 };
  run_cli (&r5, "play", NULL);
  g_assert_cmpint (r5.status, ==, 2);
  assert_one_line_error (&r5, "missing FILE");

  g_auto (Run) r6 = { 0 };
  run_cli (&r6, "play", "a.wav", "--start", "2.5", NULL);
  g_assert_cmpint (r6.status, ==, 2);
  assert_one_line_error (&r6, "--start 2.5 is past the end of the takes (2.00 s)");

  /* PortAudio's host APIs may print their own lines first: ours is last. */
  g_auto (Run) r7 = { 0 };
  run_cli (&r7, "play", "a.wav", "--device", "portaudio:nonexistent", NULL);
  g_assert_cmpint (r7.status, ==, 1);
  g_auto (GStrv) lines = g_strsplit (g_strstrip (r7.err), "\n", -1);
  const char *last = lines[g_strv_length (lines) - 1];
  g_test_message ("%s", last);
  g_assert_true (g_str_has_prefix (last, "ambilab-cli play: error: no audio device matching 'nonexistent'"));
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr (GDir) d = g_dir_open (path, 0, NULL);
      for (const char *name; d != NULL && (name = g_dir_read_name (d)) != NULL;)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  cli = g_getenv ("AMBILAB_CLI");
  if (cli == NULL)
    {
      g_test_skip ("AMBILAB_CLI not set");
      return 77;
    }
  g_autoptr (GError) error = NULL;
  jack = al_test_jack_start (4, 256, RATE, &error);
  if (jack == NULL)
    {
      /* Not a skip: CI installs jackd, so this is a broken environment. */
      printf ("Bail out! the JACK dummy server could not start: %s\n", error->message);
      return 1;
    }
  dir = g_dir_make_tmp ("test-cli-play-XXXXXX", &error);
  g_assert_no_error (error);
  g_test_add_func ("/cli/play/switch", test_play);
  g_test_add_func ("/cli/play/errors", test_errors);
  int status = g_test_run ();
  printf ("# jackd logged %d xruns\n", al_test_jack_xruns (jack));
  al_test_jack_stop (jack);
  if (g_getenv ("AL_TEST_KEEP") == NULL)
    remove_tree (dir);
  else
    g_printerr ("# files in %s\n", dir);
  g_free (dir);
  return status;
}
