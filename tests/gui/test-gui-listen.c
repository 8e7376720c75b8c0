/* test-gui-listen.c — the Evaluate page's Listen view under Xvfb, playing
 * through PortAudio on a private JACK dummy server whose capture client
 * records what the studio played (al-test-jack).
 *
 * Asserted: after an evaluation the view renders scene 2 of the set, and
 * its takes are exactly al_scene_audio_render + al_listen_takes_new called
 * directly (bit for bit); playing sends the microphones' take to outputs 1
 * and 2 bit-exact; switching to an encoder while playing continues at the
 * same position (the same capture-to-take offset on both sides of a
 * crossfade no longer than 10 ms), bit-exact again after it; pause ends
 * in exact silence; keys 1–9 pick takes and space plays and pauses; a
 * missing device is a message in the view, not a crash; the export
 * writes files whose samples are the takes; the waveform overview shows
 * the take picked.
 *
 * jackd must start here (CI installs it): a server that cannot start is a
 * failure, not a skip.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "al-evaluate-page.h"
#include "al-listen-panel.h"
#include "al-test-jack.h"
#include "al-wave-view.h"
#include "io/al-io.h"
#include "gui-test-util.h"

#define RATE 48000.0
#define FADE 480 /* the player's default 10 ms */
#define URI "portaudio:system?out=1-2"

static AlApplication *app;
static AlWindow *win;
static AlTestJack *jack;

static AlEvaluatePage *
page (void)
{
  return AL_EVALUATE_PAGE (al_window_get_page (win, "evaluate"));
}

static AlListenPanel *
panel (void)
{
  return AL_LISTEN_PANEL (al_evaluate_page_get_view (page (), "listen"));
}

static gboolean
not_running (gpointer data)
{
  return !al_evaluate_page_is_running (page ());
}

static gboolean
not_rendering (gpointer data)
{
  return !al_listen_panel_is_rendering (panel ());
}

/* The demo's two encoders on two 2-s scenes. */
static void
test_render_matches_core (void)
{
  gui_wait (gui_project_ready, win, 60000, "the demo project");
  gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "evaluate");
  for (guint i = 0; i < al_evaluate_page_n_encoder_choices (page ()); i++)
    al_evaluate_page_set_encoder_chosen (page (), i,
                                         g_str_has_prefix (al_evaluate_page_get_encoder_choice (page (), i), "Limit "));
  AlSceneSet set;
  al_scene_set_init (&set);
  set.count = 2;
  set.seed = 5;
  set.spec.duration_min = set.spec.duration_max = 2.0;
  al_evaluate_page_set_scene_set (page (), &set);
  gtk_widget_activate_action (GTK_WIDGET (page ()), "evaluate.run", NULL);
  gui_wait (not_running, NULL, 240000, "the evaluation");
  g_assert_null (al_evaluate_page_get_error (page ()));
  g_assert_nonnull (al_evaluate_page_get_result (page ()));

  al_evaluate_page_show_view (page (), "listen");
  g_assert_true (AL_IS_LISTEN_PANEL (panel ()));
  al_listen_panel_set_scene (panel (), 1);
  gui_wait (not_rendering, NULL, 120000, "the scene's takes");
  g_assert_null (al_listen_panel_get_error (panel ()));
  const AlListenTakes *got = al_listen_panel_get_takes (panel ());
  g_assert_nonnull (got);

  /* The same scene straight from core. */
  const AlAtfSet *atf = al_document_get_atf (al_window_get_document (win));
  AlSceneSet parsed;
  al_scene_set_init (&parsed);
  g_autofree char *spec = al_evaluate_page_get_spec (page ());
  g_autoptr (GError) error = NULL;
  g_assert_true (al_scene_set_parse (&parsed, spec, &error));
  AlDocument *doc = al_window_get_document (win);
  AlSceneEncoder *encs[2];
  for (guint i = 0; i < 2; i++)
    encs[i] = al_scene_encoder_new_linear (al_document_get_encoder (doc, i), al_document_get_encoder_name (doc, i));
  AlSceneClips clips = { 0 };
  g_assert_true (al_scene_clips_load (&clips, NULL, atf->fs, NULL, &error));
  g_autoptr (AlSceneAudio) audio
    = al_scene_audio_render (atf, encs, 2, &parsed, (AlAudio *const *) clips.audio->pdata,
                             (const char *const *) clips.names->pdata, clips.audio->len, 1, AL_SH_SN3D, NULL, &error);
  g_assert_no_error (error);
  al_scene_clips_clear (&clips);
  for (guint i = 0; i < 2; i++)
    al_scene_encoder_free (encs[i]);
  AlListenOptions opt;
  al_listen_options_init (&opt);
  g_autoptr (AlListenTakes) want = al_listen_takes_new (audio, atf->mic_pos, &opt, &error);
  g_assert_no_error (error);

  g_assert_cmpint (got->ntakes, ==, 4);
  g_assert_cmpint (got->ntakes, ==, want->ntakes);
  g_assert_cmpuint (got->nframes, ==, want->nframes);
  g_assert_cmpuint (got->nframes, ==, 2 * (gsize) RATE);
  g_assert_cmpfloat (got->gain_db, ==, want->gain_db);
  for (int k = 0; k < got->ntakes; k++)
    {
      g_assert_cmpstr (got->names[k], ==, want->names[k]);
      g_assert_cmpint (memcmp (got->takes[k], want->takes[k], sizeof (float) * 2 * got->nframes), ==, 0);
    }
  g_assert_cmpstr (got->names[2], ==, "Limit 10 dB");
  g_test_message ("scene 2: %zu frames, common gain %+.2f dB, mics %d/%d", got->nframes, got->gain_db,
                  got->left_mic + 1, got->right_mic + 1);
}

/* The waveform overview under root. */
static AlWaveView *
find_wave (GtkWidget *root)
{
  if (AL_IS_WAVE_VIEW (root))
    return AL_WAVE_VIEW (root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      AlWaveView *w = find_wave (c);
      if (w != NULL)
        return w;
    }
  return NULL;
}

/* The overview shows the take picked: its peaks are the take's own. */
static void
assert_wave_shows (int take)
{
  const AlListenTakes *t = al_listen_panel_get_takes (panel ());
  AlWaveView *wave = find_wave (GTK_WIDGET (panel ()));
  g_assert_nonnull (wave);
  for (int c = 0; c < 2; c++)
    {
      double peak = 0;
      for (gsize i = 0; i < t->nframes; i++)
        peak = MAX (peak, fabs (t->takes[take][c * t->nframes + i]));
      g_assert_cmpfloat (al_wave_view_get_peak (wave, c), ==, peak);
    }
}

/* ---- reading the capture ---- */

/* The position in `take` (left channel) of the 32 captured frames at t0,
 * −1 when none matches bit for bit. */
static gint64
locate (const float *cap, gsize t0, const float *take, gsize n)
{
  for (gsize p = 0; p + 32 <= n; p++)
    {
      gsize j = 0;
      while (j < 32 && cap[t0 + j] == take[p + j])
        j++;
      if (j == 32)
        return (gint64) p;
    }
  return -1;
}

/* Frames from t on where the capture equals `take` at t − offset on both
 * channels, bit for bit. */
static gsize
run_length (const float *const cap[2], gsize ncap, gsize t, const float *take, gsize n, gint64 offset)
{
  gsize len = 0;
  for (; t < ncap; t++, len++)
    {
      const gint64 p = (gint64) t - offset;
      if (p < 0 || p >= (gint64) n || cap[0][t] != take[p] || cap[1][t] != take[n + p])
        break;
    }
  return len;
}

static gboolean
not_opening (gpointer data)
{
  return !al_listen_panel_is_opening (panel ());
}

static gboolean
position_past (gpointer data)
{
  return al_listen_panel_get_position (panel ()) >= *(double *) data;
}

/* One play → switch → pause run; NULL when the capture shows it right,
 * else what was wrong (a run is redone after an xrun). */
static char *
attempt_switch (void)
{
  const AlListenTakes *takes = al_listen_panel_get_takes (panel ());
  const gsize n = takes->nframes;
  g_autoptr (GError) error = NULL;
  g_assert_true (al_test_jack_capture_start (jack, 2, 8.0, &error));
  al_listen_panel_select (panel (), 0);
  assert_wave_shows (0);
  al_listen_panel_seek (panel (), 0);
  al_listen_panel_play (panel ());
  gui_wait (not_opening, NULL, 30000, "the output device");
  g_assert_null (al_listen_panel_get_error (panel ()));
  g_assert_cmpint (al_listen_panel_get_state (panel ()), ==, AL_AUDIO_PLAYER_PLAYING);
  g_assert_true (al_test_jack_capture_connect (jack, "ambilab", 2, 5.0, &error));
  g_assert_no_error (error);
  double at = 0.7;
  gui_wait (position_past, &at, 30000, "0.7 s of the microphones");
  al_listen_panel_select (panel (), 2);
  g_assert_cmpint (al_listen_panel_get_take (panel ()), ==, 2);
  assert_wave_shows (2);
  at = 1.5;
  gui_wait (position_past, &at, 30000, "1.5 s");
  al_listen_panel_pause (panel ());
  gui_spin (200);
  const gsize ncap = al_test_jack_capture_stop (jack);
  const int xruns = al_test_jack_capture_xruns (jack);
  const float *cap[2] = { al_test_jack_capture_data (jack, 0), al_test_jack_capture_data (jack, 1) };

  /* The mics' take: found past the fade-in after the first sound. */
  gsize t0 = 0;
  while (t0 < ncap && cap[0][t0] == 0)
    t0++;
  t0 += FADE + 16;
  while (t0 + 32 < ncap && !(cap[0][t0] != 0 && cap[0][t0 + 31] != 0))
    t0++;
  if (t0 + 32 >= ncap)
    return g_strdup_printf ("the capture holds no sound (%d xruns)", xruns);
  const gint64 p0 = locate (cap[0], t0, takes->takes[0], n);
  if (p0 < 0)
    return g_strdup_printf ("capture frame %zu is not in the microphones' take (%d xruns)", t0, xruns);
  const gint64 offset = (gint64) t0 - p0;
  /* Back to where the take began to play (its leading zeros match too). */
  while (t0 > 0 && (gint64) t0 - 1 - offset >= 0 && cap[0][t0 - 1] == takes->takes[0][t0 - 1 - offset])
    t0--;
  const gsize run0 = run_length (cap, ncap, t0, takes->takes[0], n, offset);
  const gsize ts = t0 + run0;
  if (run0 < (gsize) (0.3 * RATE))
    return g_strdup_printf ("the microphones played only %zu frames bit-exact (%d xruns)", run0, xruns);

  /* The encoder's take continues at the same offset after at most one fade. */
  gsize t1 = ts;
  while (t1 < ts + FADE + 1 && run_length (cap, ncap, t1, takes->takes[2], n, offset) < 64)
    t1++;
  const gsize run2 = run_length (cap, ncap, t1, takes->takes[2], n, offset);
  if (t1 > ts + FADE || run2 < (gsize) (0.5 * RATE))
    return g_strdup_printf ("after the switch at capture frame %zu the encoder's take runs %zu frames from %zu "
                            "(%d xruns)", ts, run2, t1, xruns);
  g_test_message ("microphones %zu frames from take position %" G_GINT64_FORMAT ", crossfade %zu frames, encoder "
                  "%zu frames at the same offset %" G_GINT64_FORMAT, run0, (gint64) t0 - offset, t1 - ts, run2,
                  offset);
  /* Paused: silence, exactly, after the fade-out. */
  const gsize te = t1 + run2;
  for (gsize t = te + FADE; t < ncap; t++)
    if (cap[0][t] != 0 || cap[1][t] != 0)
      return g_strdup_printf ("capture frame %zu is %g after the pause", t, cap[0][t]);
  g_assert_cmpuint (ncap, >, te + FADE + 1000);
  return NULL;
}

static void
test_play_and_switch (void)
{
  al_listen_panel_set_device (panel (), URI);
  gint64 deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;
  for (int attempt = 0;; attempt++)
    {
      g_autofree char *what = attempt_switch ();
      if (what == NULL)
        break;
      g_test_message ("attempt %d: %s", attempt + 1, what);
      if (g_get_monotonic_time () > deadline)
        g_error ("%s", what);
    }
  al_listen_panel_stop (panel ());
  g_assert_cmpint (al_listen_panel_get_state (panel ()), ==, AL_AUDIO_PLAYER_STOPPED);
}

/* Keys 1–9 pick takes and space plays/pauses, through the panel's own key
 * controller (Xvfb cannot type). */
static gboolean
press_key (guint keyval)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (panel ()));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) c = g_list_model_get_item (controllers, i);
      if (!GTK_IS_EVENT_CONTROLLER_KEY (c))
        continue;
      gboolean handled = FALSE;
      g_signal_emit_by_name (c, "key-pressed", keyval, 0, (GdkModifierType) 0, &handled);
      return handled;
    }
  g_assert_not_reached ();
}

static void
test_keys (void)
{
  g_assert_true (press_key (GDK_KEY_4));
  g_assert_cmpint (al_listen_panel_get_take (panel ()), ==, 3);
  g_assert_true (press_key (GDK_KEY_2));
  g_assert_cmpint (al_listen_panel_get_take (panel ()), ==, 1);
  /* Only as many takes as there are: 9 is not one of the four. */
  g_assert_false (press_key (GDK_KEY_9));
  g_assert_cmpint (al_listen_panel_get_take (panel ()), ==, 1);
  g_assert_true (press_key (GDK_KEY_space));
  gui_wait (not_opening, NULL, 30000, "the output device");
  g_assert_cmpint (al_listen_panel_get_state (panel ()), ==, AL_AUDIO_PLAYER_PLAYING);
  g_assert_true (press_key (GDK_KEY_space));
  g_assert_cmpint (al_listen_panel_get_state (panel ()), ==, AL_AUDIO_PLAYER_PAUSED);
  al_listen_panel_stop (panel ());
}

static void
test_missing_device (void)
{
  al_listen_panel_set_device (panel (), "portaudio:nosuchinterface");
  al_listen_panel_play (panel ());
  /* The device opens in a worker: the main loop turns meanwhile. */
  g_assert_true (al_listen_panel_is_opening (panel ()));
  gui_wait (not_opening, NULL, 30000, "the output device");
  const char *msg = al_listen_panel_get_error (panel ());
  g_assert_nonnull (msg);
  g_assert_nonnull (strstr (msg, "nosuchinterface"));
  g_assert_cmpint (al_listen_panel_get_state (panel ()), ==, AL_AUDIO_PLAYER_STOPPED);
  al_listen_panel_set_device (panel (), URI);
  g_assert_null (al_listen_panel_get_error (panel ()));
}

static void
test_export (void)
{
  g_autofree char *dir = g_dir_make_tmp ("al-listen-export-XXXXXX", NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (al_listen_panel_export (panel (), dir, &error));
  g_assert_no_error (error);
  const AlListenTakes *takes = al_listen_panel_get_takes (panel ());
  const char *files[] = { "scene_002_listen_mics.wav", "scene_002_listen_truth.wav" };
  for (int k = 0; k < 2; k++)
    {
      g_autofree char *path = g_build_filename (dir, files[k], NULL);
      g_autoptr (AlAudio) a = al_audio_read (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (a->nchannels, ==, 2);
      g_assert_cmpint (a->nframes, ==, (gint64) takes->nframes);
      for (gsize i = 0; i < takes->nframes; i++)
        for (int c = 0; c < 2; c++)
          g_assert_cmpfloat (a->data[2 * i + c], ==, takes->takes[k][c * takes->nframes + i]);
    }
  /* Nothing the user made is replaced: a second export refuses, naming a file. */
  g_assert_false (al_listen_panel_export (panel (), dir, &error));
  g_assert_nonnull (strstr (error->message, "scene_002_"));
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  int nfiles = 0;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
      nfiles++;
    }
  /* mics, truth, 2 encoders, and their 4 headphone takes */
  g_assert_cmpint (nfiles, ==, 8);
  g_rmdir (dir);
}

static void
test_screenshot (void)
{
  g_autofree char *path = gui_screenshot (GTK_WIDGET (win), "screenshot-evaluate-listen.png");
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

int
main (int argc, char **argv)
{
  g_autofree char *home = gui_private_home ();
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      printf ("1..0 # SKIP no display\n");
      return 0;
    }
  /* Before PortAudio first initialises: JACK must be among its host APIs. */
  g_autoptr (GError) error = NULL;
  jack = al_test_jack_start (2, 256, RATE, &error);
  if (jack == NULL)
    {
      printf ("Bail out! the JACK dummy server did not start: %s\n", error->message);
      return 1;
    }
  app = gui_start_app (&win);

  g_test_add_func ("/gui-listen/render-matches-core", test_render_matches_core);
  g_test_add_func ("/gui-listen/play-and-switch", test_play_and_switch);
  g_test_add_func ("/gui-listen/keys", test_keys);
  g_test_add_func ("/gui-listen/missing-device", test_missing_device);
  g_test_add_func ("/gui-listen/export", test_export);
  g_test_add_func ("/gui-listen/screenshot", test_screenshot);
  int status = g_test_run ();
  gui_exit_watchdog (status);
  gtk_window_destroy (GTK_WINDOW (win));
  gui_spin (50);
  g_object_unref (app);
  al_test_jack_stop (jack);
  return status;
}
