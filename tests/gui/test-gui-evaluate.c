/* test-gui-evaluate.c — the Evaluate page under Xvfb: reachable through
 * its action and accelerator; the scene-spec form gives the CLI's spec; an
 * evaluation of the demo project's two encoders on two short scenes runs in
 * a worker (the main loop keeps turning) and gives exactly the numbers of
 * al_scene_evaluate called directly; the table has one row per encoder;
 * cancel stops a run and keeps the previous results; errors are shown in
 * the page; results and figures export; screenshots for review.  Recording
 * mode: an ideally encoded moving source gives the core's frames, the
 * right DOA under the slider at 1 s, and the slider scrubs the frames.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "al-evaluate-page.h"
#include "al-figure-view.h"
#include "al-page-registry.h"
#include "al-plot-view.h"
#include "al-sphere-view.h"
#include "io/al-io.h"
#include "sh/al-sh.h"
#include "gui-test-util.h"

static AlApplication *app;
static AlWindow *win;

static AlEvaluatePage *
page (void)
{
  return AL_EVALUATE_PAGE (al_window_get_page (win, "evaluate"));
}

static AlDocument *
doc (void)
{
  return al_window_get_document (win);
}

/* The demo's encoders only (not the Design page's draft). */
static void
choose_demo_encoders (void)
{
  for (guint i = 0; i < al_evaluate_page_n_encoder_choices (page ()); i++)
    {
      const char *name = al_evaluate_page_get_encoder_choice (page (), i);
      al_evaluate_page_set_encoder_chosen (page (), i, g_str_has_prefix (name, "Limit "));
    }
}

static void
set_scenes (int count, guint32 seed, double duration)
{
  AlSceneSet set;
  al_scene_set_init (&set);
  set.count = count;
  set.seed = seed;
  set.spec.duration = duration;
  al_evaluate_page_set_scene_set (page (), &set);
}

static gboolean
not_running (gpointer data)
{
  return !al_evaluate_page_is_running (data);
}

/* Waits for the run to end while the main loop turns; returns the longest
 * single main-loop iteration (ms): the UI never waits for the worker. */
static double
wait_for_run (int timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  double longest = 0;
  while (al_evaluate_page_is_running (page ()))
    {
      if (g_get_monotonic_time () > end)
        g_error ("timed out after %d ms waiting for the evaluation", timeout_ms);
      gint64 t0 = g_get_monotonic_time ();
      g_main_context_iteration (NULL, FALSE);
      longest = MAX (longest, (g_get_monotonic_time () - t0) / 1000.0);
      g_usleep (500);
    }
  return longest;
}

static void
test_reachable (void)
{
  gui_wait (gui_project_ready, win, 60000, "the demo project");
  gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "evaluate");
  g_assert_cmpstr (al_window_get_visible_page (win), ==, "evaluate");
  g_assert_true (AL_IS_EVALUATE_PAGE (al_window_get_page (win, "evaluate")));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page ())));
  g_assert_nonnull (al_page_registry_lookup ("evaluate"));
  g_auto (GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.show-page::evaluate");
  g_assert_cmpstr (accels[0], ==, "<Alt>3");
  /* The project's encoders are offered, ticked. */
  g_assert_cmpuint (al_evaluate_page_n_encoder_choices (page ()), >=, 2);
  g_assert_cmpstr (al_evaluate_page_get_encoder_choice (page (), 0), ==, "Limit 10 dB");
  g_assert_cmpstr (al_evaluate_page_get_encoder_choice (page (), 1), ==, "Limit 20 dB");
  g_assert_null (al_evaluate_page_get_result (page ()));
}

static void
test_spec (void)
{
  AlSceneSet set;
  al_scene_set_init (&set);
  set.count = 7;
  set.seed = 42;
  set.spec.room_min[0] = 4;
  set.spec.room_max[2] = 3.5;
  set.spec.absorption_min = 0.35;
  set.spec.nsources_max = 2;
  set.spec.duration = 1.5;
  al_evaluate_page_set_scene_set (page (), &set);
  g_autofree char *spec = al_evaluate_page_get_spec (page ());
  g_assert_cmpstr (spec, ==, "count=7,seed=42,rooms=4x3x2.5..10x8x3.5,absorption=0.35..0.95,sources=1..2,duration=1.5");
  /* The spec parses back to the same set: what the CLI would run. */
  AlSceneSet back;
  al_scene_set_init (&back);
  g_autoptr (GError) error = NULL;
  g_assert_true (al_scene_set_parse (&back, spec, &error));
  g_assert_no_error (error);
  g_autofree char *a = al_scene_set_to_string (&set), *b = al_scene_set_to_string (&back);
  g_assert_cmpstr (a, ==, b);
  choose_demo_encoders ();
  g_autofree char *cmd = al_evaluate_page_get_command (page ());
  g_assert_nonnull (strstr (cmd, "ambilab-cli evaluate "));
  g_assert_nonnull (strstr (cmd, "--encoders 'Limit 10 dB.json','Limit 20 dB.json'"));
  g_assert_nonnull (strstr (cmd, spec));
}

static void
test_error_in_page (void)
{
  for (guint i = 0; i < al_evaluate_page_n_encoder_choices (page ()); i++)
    al_evaluate_page_set_encoder_chosen (page (), i, FALSE);
  gtk_widget_activate_action (GTK_WIDGET (page ()), "evaluate.run", NULL);
  g_assert_false (al_evaluate_page_is_running (page ()));
  g_assert_cmpstr (al_evaluate_page_get_error (page ()), ==, "Pick at least one encoder to evaluate.");
  g_assert_null (al_evaluate_page_get_result (page ()));
  /* Shown in the page, not in a dialog. */
  g_assert_null (gui_find_message_dialog ());
  choose_demo_encoders ();
}

static void
assert_close (double a, double b, const char *what)
{
  if (isnan (a) && isnan (b))
    return;
  if (!(fabs (a - b) <= 1e-12 * MAX (1.0, fabs (b))))
    g_error ("%s: page %.17g, core %.17g", what, a, b);
}

static void
assert_spectral (const AlSpectralMetric *a, const AlSpectralMetric *b, const char *what)
{
  g_assert_cmpint (a->nch, ==, b->nch);
  g_assert_cmpint (a->nbins, ==, b->nbins);
  for (int i = 0; i < a->nch * a->nbins; i++)
    assert_close (a->per_channel[i], b->per_channel[i], what);
  for (int i = 0; i < a->nbins; i++)
    assert_close (a->combined[i], b->combined[i], what);
  assert_close (a->mean, b->mean, what);
}

static void
test_matches_core (void)
{
  choose_demo_encoders ();
  set_scenes (2, 7, 0.5);
  gtk_widget_activate_action (GTK_WIDGET (page ()), "evaluate.run", NULL);
  g_assert_true (al_evaluate_page_is_running (page ()));
  g_assert_null (al_evaluate_page_get_error (page ()));
  double longest = wait_for_run (240000);
  /* A figure, not a pass/fail: timings belong to benchmarks (a loaded
   * machine stretches any main-loop iteration). */
  g_test_message ("longest main-loop iteration during the run: %.1f ms", longest);
  g_assert_null (al_evaluate_page_get_error (page ()));
  const AlSceneEval *ev = al_evaluate_page_get_result (page ());
  g_assert_nonnull (ev);

  /* The same inputs straight into core. */
  const AlAtfSet *atf = al_document_get_atf (doc ());
  AlSceneSet set;
  al_scene_set_init (&set);
  g_autofree char *spec = al_evaluate_page_get_spec (page ());
  g_autoptr (GError) error = NULL;
  g_assert_true (al_scene_set_parse (&set, spec, &error));
  g_assert_cmpint (set.count, ==, 2);
  g_assert_cmpfloat (set.spec.duration, ==, 0.5);
  AlSceneEncoder *encs[2];
  for (guint i = 0; i < 2; i++)
    encs[i] = al_scene_encoder_new_linear (al_document_get_encoder (doc (), i),
                                           al_document_get_encoder_name (doc (), i));
  AlSceneClips clips = { 0 };
  g_assert_true (al_scene_clips_load (&clips, NULL, atf->fs, NULL, &error));
  AlSceneEvalOptions opt;
  al_scene_eval_options_init (&opt);
  g_autoptr (AlSceneEval) ref
    = al_scene_evaluate (atf, encs, 2, &set, (AlAudio *const *) clips.audio->pdata,
                         (const char *const *) clips.names->pdata, clips.audio->len, &opt, NULL, &error);
  g_assert_no_error (error);
  al_scene_clips_clear (&clips);
  for (guint i = 0; i < 2; i++)
    al_scene_encoder_free (encs[i]);

  g_assert_cmpint (ev->nscenes, ==, 2);
  g_assert_cmpint (ev->nencoders, ==, 2);
  for (int s = 0; s < 2; s++)
    g_assert_cmpuint (ev->scenes[s].seed, ==, ref->scenes[s].seed);
  for (int e = 0; e < 2; e++)
    {
      const AlSceneEncoderResult *a = &ev->encoders[e], *b = &ref->encoders[e];
      g_assert_cmpstr (a->name, ==, b->name);
      for (int k = 0; k < 2 * AL_SCENE_N_METRICS; k++)
        assert_close (a->values[k], b->values[k], al_scene_metric_key (k % AL_SCENE_N_METRICS));
      for (int m = 0; m < AL_SCENE_N_METRICS; m++)
        {
          assert_close (a->stats[m].mean, b->stats[m].mean, al_scene_metric_key (m));
          assert_close (a->stats[m].ci95, b->stats[m].ci95, al_scene_metric_key (m));
          g_assert_cmpint (a->stats[m].n, ==, b->stats[m].n);
        }
      assert_spectral (a->coherence, b->coherence, "coherence");
      assert_spectral (a->magnitude_error, b->magnitude_error, "magnitude error");
      for (int j = 0; j < a->map->ndirs; j++)
        assert_close (a->map->power[j], b->map->power[j], "power map");
    }
  for (int j = 0; j < ev->truth_map->ndirs; j++)
    assert_close (ev->truth_map->power[j], ref->truth_map->power[j], "truth map");
  g_test_message ("coherence %.4f / %.4f, SI-SDR %.2f / %.2f dB", ev->encoders[0].stats[AL_SCENE_COHERENCE].mean,
                  ev->encoders[1].stats[AL_SCENE_COHERENCE].mean, ev->encoders[0].stats[AL_SCENE_SI_SDR].mean,
                  ev->encoders[1].stats[AL_SCENE_SI_SDR].mean);
}

static void
test_table_and_views (void)
{
  const AlSceneEval *ev = al_evaluate_page_get_result (page ());
  g_assert_nonnull (ev);
  /* One row per encoder, named, with mean ± CI95 cells. */
  g_assert_cmpuint (al_evaluate_page_get_table_rows (page ()), ==, 2);
  g_assert_cmpstr (al_evaluate_page_get_table_cell (page (), 0, 0), ==, "Limit 10 dB");
  g_assert_cmpstr (al_evaluate_page_get_table_cell (page (), 1, 0), ==, "Limit 20 dB");
  g_assert_null (al_evaluate_page_get_table_cell (page (), 2, 0));
  for (guint e = 0; e < 2; e++)
    {
      const AlStat *st = &ev->encoders[e].stats[AL_SCENE_SI_SDR];
      g_autofree char *want = g_strdup_printf ("%.2f ± %.2f", st->mean, st->ci95);
      g_assert_cmpstr (al_evaluate_page_get_table_cell (page (), e, 1 + AL_SCENE_SI_SDR), ==, want);
    }
  /* Coherence panels and power maps drawn; magnitude error has a curve per encoder. */
  AlFigureView *coh = AL_FIGURE_VIEW (al_evaluate_page_get_view (page (), "coherence"));
  AlFigureView *maps = AL_FIGURE_VIEW (al_evaluate_page_get_view (page (), "maps"));
  AlPlotView *mag = AL_PLOT_VIEW (al_evaluate_page_get_view (page (), "magnitude"));
  g_assert_nonnull (al_figure_view_get_figure (coh));
  g_assert_nonnull (al_figure_view_get_figure (maps));
  g_assert_cmpint (al_curve_plot_n_series (al_plot_view_get_plot (mag)), ==, 2);
  g_assert_cmpstr (al_plot_view_get_label (mag, 0), ==, "Limit 10 dB");
  const char *views[] = { "magnitude", "maps", "coherence" };
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      gtk_widget_activate_action (GTK_WIDGET (page ()), "evaluate.show-view", "s", views[i]);
      gui_spin (300);
      gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
    }
  g_assert_cmpuint (al_figure_view_get_render_count (coh), >=, 1);
  g_assert_cmpuint (al_figure_view_get_render_count (maps), >=, 1);
}

static gboolean
file_starts_with (const char *path, const char *magic)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;
  return len > strlen (magic) && memcmp (data, magic, strlen (magic)) == 0;
}

static void
test_export (void)
{
  g_autofree char *dir = g_dir_make_tmp ("al-eval-export-XXXXXX", NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (al_evaluate_page_export_results (page (), dir, &error));
  g_assert_no_error (error);
  const char *files[] = { "metrics.json", "coherence_per_channel.pdf", "power_maps.png", "metrics_table.md" };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *p = g_build_filename (dir, files[i], NULL);
      g_assert_true (g_file_test (p, G_FILE_TEST_IS_REGULAR));
    }
  g_autofree char *stem = al_scene_eval_file_name ("Limit 10 dB");
  g_autofree char *csv_name = g_strdup_printf ("coherence_%s.csv", stem);
  g_autofree char *csv = g_build_filename (dir, csv_name, NULL);
  g_assert_true (file_starts_with (csv, "freq_hz,acn_0"));
  /* Figures as shown, in the three formats. */
  struct { const char *view, *name, *magic; } figs[] = {
    { "coherence", "coherence.png", "\x89PNG" }, { "coherence", "coherence.svg", "<?xml" },
    { "maps", "maps.pdf", "%PDF" },              { "magnitude", "magnitude.svg", "<?xml" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (figs); i++)
    {
      g_autofree char *p = g_build_filename (dir, figs[i].name, NULL);
      GtkWidget *v = al_evaluate_page_get_view (page (), figs[i].view);
      gboolean ok = AL_IS_FIGURE_VIEW (v) ? al_figure_view_export (AL_FIGURE_VIEW (v), p, &error)
                                          : al_plot_view_export (AL_PLOT_VIEW (v), p, &error);
      g_assert_no_error (error);
      g_assert_true (ok);
      g_assert_true (file_starts_with (p, figs[i].magic));
    }
}

static void
test_cancel_keeps_results (void)
{
  const AlSceneEval *before = al_evaluate_page_get_result (page ());
  g_assert_nonnull (before);
  double si_sdr = before->encoders[0].stats[AL_SCENE_SI_SDR].mean;
  g_autofree char *cell = g_strdup (al_evaluate_page_get_table_cell (page (), 0, 1 + AL_SCENE_SI_SDR));
  /* A long run: 200 scenes of 4 s. */
  set_scenes (200, 3, 4);
  gtk_widget_activate_action (GTK_WIDGET (page ()), "evaluate.run", NULL);
  g_assert_true (al_evaluate_page_is_running (page ()));
  gui_spin (300);
  g_assert_true (al_evaluate_page_is_running (page ()));
  gint64 t0 = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (page ()), "evaluate.cancel", NULL);
  gui_wait (not_running, page (), 60000, "the cancelled evaluation");
  double stop_ms = (g_get_monotonic_time () - t0) / 1000.0;
  g_test_message ("cancelled run stopped after %.0f ms", stop_ms);
  g_assert_cmpfloat (stop_ms, <, 30000);
  /* The previous results stay, unchanged; no error. */
  g_assert_true (al_evaluate_page_get_result (page ()) == before);
  g_assert_cmpfloat (before->encoders[0].stats[AL_SCENE_SI_SDR].mean, ==, si_sdr);
  g_assert_cmpuint (al_evaluate_page_get_table_rows (page ()), ==, 2);
  g_assert_cmpstr (al_evaluate_page_get_table_cell (page (), 0, 1 + AL_SCENE_SI_SDR), ==, cell);
  g_assert_null (al_evaluate_page_get_error (page ()));
  g_assert_cmpstr (al_evaluate_page_get_status (page ()), ==, "Cancelled; previous results kept");
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (page ())));
  set_scenes (2, 7, 0.5);
}

static void
test_screenshots (void)
{
  const char *views[] = { "coherence", "maps", "magnitude" };
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      al_evaluate_page_show_view (page (), views[i]);
      gui_spin (600);
      g_autofree char *name = i == 0 ? g_strdup ("screenshot-evaluate.png")
                                     : g_strdup_printf ("screenshot-evaluate-%s.png", views[i]);
      g_autofree char *path = gui_screenshot (GTK_WIDGET (win), name);
      g_test_message ("screenshot: %s", path);
    }
  al_evaluate_page_show_view (page (), "coherence");
}

/* ---- recording mode ---- */

#define MOVING_FS 16000.0
#define MOVING_ORDER 3

/* A noise source moving from −60° to +60° azimuth on the horizon over 2 s,
 * ideally encoded (order 3, ACN, SN3D): planar nsh x n into *planar, and as
 * a WAV file with the comment that says so. */
static char *
write_moving_source (float **planar, gsize *n_out)
{
  const int nsh = (MOVING_ORDER + 1) * (MOVING_ORDER + 1);
  const gsize n = (gsize) (2 * MOVING_FS);
  g_autoptr (GRand) rand = g_rand_new_with_seed (5);
  g_autofree float *inter = g_new (float, n * nsh);
  float *x = g_new (float, n * nsh);
  double y[16];
  for (gsize i = 0; i < n; i++)
    {
      const double az = AL_DEG2RAD (-60 + 120.0 * i / (n - 1));
      al_sh_real (MOVING_ORDER, AL_SH_SN3D, az, 0, y);
      const double s = 0.2 * g_rand_double_range (rand, -1, 1);
      for (int c = 0; c < nsh; c++)
        inter[i * nsh + c] = x[(gsize) c * n + i] = (float) (s * y[c]);
    }
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ambilab-recording-XXXXXX", &error);
  g_assert_no_error (error);
  char *path = g_build_filename (dir, "moving.wav", NULL);
  AlAudioWriter *w = al_audio_writer_open (path, MOVING_FS, nsh, &error);
  g_assert_no_error (error);
  g_assert_true (al_audio_writer_set_comment (w, "Ambisonics order 3, ACN, sn3d"));
  g_assert_true (al_audio_writer_write (w, inter, n, &error));
  g_assert_true (al_audio_writer_finish (w, TRUE, &error));
  g_assert_no_error (error);
  *planar = x;
  *n_out = n;
  return path;
}

static gboolean
recording_idle (gpointer data)
{
  return !al_evaluate_page_is_recording_running (data);
}

static void
test_recording (void)
{
  gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "evaluate");
  g_autofree float *x = NULL;
  gsize n = 0;
  g_autofree char *path = write_moving_source (&x, &n);
  al_evaluate_page_set_mode (page (), "recording");
  al_evaluate_page_set_recording (page (), path, -1);
  al_evaluate_page_set_recording_method (page (), AL_MAP_PWD, 0);
  al_evaluate_page_run_recording (page ());
  g_assert_true (al_evaluate_page_is_recording_running (page ()));
  gint64 end = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  while (!recording_idle (page ()))
    {
      if (g_get_monotonic_time () > end)
        g_error ("timed out waiting for the power maps");
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
  g_assert_null (al_evaluate_page_get_recording_error (page ()));
  const AlMapTrack *mt = al_evaluate_page_get_map_track (page ());
  g_assert_nonnull (mt);

  /* The same frames as the core on the same signals and options. */
  AlMapTrackOptions opt;
  al_evaluate_page_get_recording_options (page (), &opt);
  AlShSignals b = al_sh_signals_float (x, (MOVING_ORDER + 1) * (MOVING_ORDER + 1), n, MOVING_FS, AL_SH_SN3D);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlMapTrack) ref = al_map_track_new (&b, &opt, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mt->nframes, ==, ref->nframes);
  g_assert_cmpint (mt->order, ==, MOVING_ORDER);

  /* The frame under the slider at 1 s looks straight ahead. */
  al_evaluate_page_set_time (page (), 1.0);
  const int f = al_evaluate_page_get_frame (page ());
  g_assert_cmpint (f, ==, al_map_track_frame_at (mt, 1.0));
  g_assert_cmpfloat (fabs (mt->times[f] - 1.0), <=, mt->options.hop_s / 2 + 1e-9);
  g_assert_cmpint (mt->npeaks[f], >=, 1);
  const double az = AL_RAD2DEG (mt->peaks[(gsize) f * mt->max_peaks].azimuth);
  const double truth = -60 + 120 * mt->times[f] / 2;
  g_test_message ("frame %d at %.3f s: DOA %.2f°, truth %.2f°", f, mt->times[f], az, truth);
  g_assert_cmpfloat (fabs (az - truth), <, 5);
  g_assert_cmpfloat (fabs (az), <, 5);

  /* Moving the slider changes the frame and the map shown. */
  GtkWidget *scale = al_evaluate_page_get_view (page (), "recording-time");
  AlSphereView *sphere = AL_SPHERE_VIEW (al_evaluate_page_get_view (page (), "recording-map"));
  AlSphereMap *before = al_sphere_view_get_map (sphere);
  g_assert_nonnull (before);
  gtk_range_set_value (GTK_RANGE (scale), f + 10);
  g_assert_cmpint (al_evaluate_page_get_frame (page ()), ==, f + 10);
  g_assert_true (al_sphere_view_get_map (sphere) != before);
  gtk_range_set_value (GTK_RANGE (scale), 0);
  g_assert_cmpint (al_evaluate_page_get_frame (page ()), ==, 0);

  al_evaluate_page_set_time (page (), 1.0);
  gui_spin (600);
  g_autofree char *shot = gui_screenshot (GTK_WIDGET (win), "screenshot-evaluate-recording.png");
  g_test_message ("screenshot: %s", shot);
  al_evaluate_page_set_mode (page (), "scenes");
  g_autofree char *dir = g_path_get_dirname (path);
  g_unlink (path);
  g_rmdir (dir);
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
  app = al_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_autoptr (GError) error = NULL;
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_settings_set_int (al_application_get_settings (app), "window-width", 1440);
  g_settings_set_int (al_application_get_settings (app), "window-height", 900);
  g_application_activate (G_APPLICATION (app));
  win = AL_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (win);

  g_test_add_func ("/gui-evaluate/reachable", test_reachable);
  g_test_add_func ("/gui-evaluate/spec", test_spec);
  g_test_add_func ("/gui-evaluate/error-in-page", test_error_in_page);
  g_test_add_func ("/gui-evaluate/matches-core", test_matches_core);
  g_test_add_func ("/gui-evaluate/table-and-views", test_table_and_views);
  g_test_add_func ("/gui-evaluate/export", test_export);
  g_test_add_func ("/gui-evaluate/screenshots", test_screenshots);
  g_test_add_func ("/gui-evaluate/cancel-keeps-results", test_cancel_keeps_results);
  g_test_add_func ("/gui-evaluate/recording", test_recording);
  int status = g_test_run ();
  gui_exit_watchdog (status);
  gtk_window_destroy (GTK_WINDOW (win));
  gui_spin (50);
  g_object_unref (app);
  return status;
}
