/* test-gui-evaluate.c — the Evaluate page under Xvfb: reachable through
 * its action and accelerator; the scene-spec form gives the CLI's spec; an
 * evaluation of the demo project's two encoders on two short scenes runs in
 * a worker (the main loop keeps turning) and gives exactly the numbers of
 * al_scene_evaluate called directly; the table has one row per encoder;
 * cancel stops a run and keeps the previous results; errors are shown in
 * the page; results and figures export; screenshots for review.  Recording
 * mode: an ideally encoded moving source gives the core's frames, the
 * right DOA under the slider at 1 s, and the slider scrubs the frames; its
 * export holds the panel's numbers and equals `ambilab-cli powermap`'s
 * files; Ctrl+Return and Escape start and cancel it.  Durations of the
 * scene-set form are a range.
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
  set.spec.duration_min = set.spec.duration_max = duration;
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
  set.spec.duration_min = set.spec.duration_max = 1.5;
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

  /* A duration range: both spins, the range in the spec, the same set back. */
  set.spec.duration_min = 2;
  set.spec.duration_max = 6.5;
  al_evaluate_page_set_scene_set (page (), &set);
  g_autofree char *ranged = al_evaluate_page_get_spec (page ());
  g_assert_cmpstr (ranged, ==,
                   "count=7,seed=42,rooms=4x3x2.5..10x8x3.5,absorption=0.35..0.95,sources=1..2,duration=2..6.5");
  AlSceneSet again;
  al_scene_set_init (&again);
  g_assert_true (al_scene_set_parse (&again, ranged, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (again.spec.duration_min, ==, 2);
  g_assert_cmpfloat (again.spec.duration_max, ==, 6.5);
  g_autofree char *c = al_scene_set_to_string (&set), *d = al_scene_set_to_string (&again);
  g_assert_cmpstr (c, ==, d);
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
  g_assert_cmpfloat (set.spec.duration_min, ==, 0.5);
  g_assert_cmpfloat (set.spec.duration_max, ==, 0.5);
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

/* The recording of the Recording-mode tests, kept for the export test. */
static char *moving_path;

/* A noise source moving from −60° to +60° azimuth on the horizon over
 * `seconds`, ideally encoded (ACN, SN3D, order <= 3): planar nsh x n into
 * *planar, and as a WAV file with the comment that says so. */
static char *
write_moving_source (double seconds, int order, float **planar, gsize *n_out)
{
  const int nsh = (order + 1) * (order + 1);
  const gsize n = (gsize) (seconds * MOVING_FS);
  g_autoptr (GRand) rand = g_rand_new_with_seed (5);
  g_autofree float *inter = g_new (float, n * nsh);
  float *x = g_new (float, n * nsh);
  double y[16];
  for (gsize i = 0; i < n; i++)
    {
      const double az = AL_DEG2RAD (-60 + 120.0 * i / (n - 1));
      al_sh_real (order, AL_SH_SN3D, az, 0, y);
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
  g_autofree char *comment = g_strdup_printf ("Ambisonics order %d, ACN, sn3d", order);
  g_assert_true (al_audio_writer_set_comment (w, comment));
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
  moving_path = write_moving_source (2, MOVING_ORDER, &x, &n);
  const char *path = moving_path;
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
}

static gboolean
not_exporting (gpointer data)
{
  return !al_recording_panel_is_exporting (data);
}

static gchar **
read_lines (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return g_strsplit (text, "\n", -1);
}

static gboolean
same_file (const char *dir_a, const char *dir_b, const char *name)
{
  g_autofree char *a = g_build_filename (dir_a, name, NULL), *b = g_build_filename (dir_b, name, NULL);
  g_autofree char *da = NULL, *db = NULL;
  gsize la = 0, lb = 0;
  g_assert_true (g_file_get_contents (a, &da, &la, NULL));
  g_assert_true (g_file_get_contents (b, &db, &lb, NULL));
  return la == lb && memcmp (da, db, la) == 0;
}

static void
remove_dir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (dir);
}

/* The Recording mode's export writes what `ambilab-cli powermap` writes for
 * the same recording, and the files hold the panel's track: every peak of
 * every frame in doa_tracks.csv (to the digits it prints), maps.json's
 * times, tracks and size, maps.f32 bit for bit. */
static void
test_recording_export (void)
{
  AlRecordingPanel *panel = al_evaluate_page_get_recording_panel (page ());
  const AlMapTrack *mt = al_recording_panel_get_map_track (panel);
  g_assert_nonnull (mt);
  g_assert_true (mt == al_evaluate_page_get_map_track (page ()));
  g_autofree char *dir = g_dir_make_tmp ("al-rec-export-XXXXXX", NULL);
  al_evaluate_page_export_recording (page (), dir);
  g_assert_true (al_recording_panel_is_exporting (panel));
  gui_wait (not_exporting, panel, 120000, "the export");
  g_assert_null (al_recording_panel_get_error (panel));
  for (const char *const *name = al_map_track_file_names (); *name != NULL; name++)
    {
      g_autofree char *p = g_build_filename (dir, *name, NULL);
      g_assert_true (g_file_test (p, G_FILE_TEST_IS_REGULAR));
    }

  /* doa_tracks.csv: one row per peak, frames in order, strongest first. */
  g_auto (GStrv) lines = read_lines (dir, "doa_tracks.csv");
  g_assert_cmpstr (lines[0], ==, "time_s,track,azimuth_deg,elevation_deg,power_db");
  int row = 1, in_tracks = 0;
  double worst_angle = 0;
  for (int f = 0; f < mt->nframes; f++)
    for (int k = 0; k < mt->npeaks[f]; k++, row++)
      {
        g_assert_nonnull (lines[row]);
        g_auto (GStrv) v = g_strsplit (lines[row], ",", -1);
        g_assert_cmpuint (g_strv_length (v), ==, 5);
        const AlDoa *p = &mt->peaks[(gsize) f * mt->max_peaks + k];
        const int track = mt->track_of[(gsize) f * mt->max_peaks + k];
        g_assert_cmpfloat (fabs (g_ascii_strtod (v[0], NULL) - mt->times[f]), <=, 0.5e-4 + 1e-12);
        g_assert_cmpint (atoi (v[1]), ==, track);
        const double daz = fabs (g_ascii_strtod (v[2], NULL) - AL_RAD2DEG (remainder (p->azimuth, 2 * G_PI)));
        const double del = fabs (g_ascii_strtod (v[3], NULL) - AL_RAD2DEG (p->elevation));
        worst_angle = MAX (worst_angle, MAX (daz, del));
        g_assert_cmpfloat (daz, <=, 0.5e-3 + 1e-9);
        g_assert_cmpfloat (del, <=, 0.5e-3 + 1e-9);
        g_assert_cmpfloat (fabs (g_ascii_strtod (v[4], NULL) - 10 * log10 (p->power)), <=, 0.5e-3 + 1e-9);
        in_tracks += track > 0;
      }
  g_assert_cmpstr (lines[row], ==, "");
  g_assert_null (lines[row + 1]);
  g_test_message ("doa_tracks.csv: %d peaks (%d in tracks) of %d frames, angles within %.5f° of the panel's",
                  row - 1, in_tracks, mt->nframes, worst_angle);
  g_assert_cmpint (row - 1, >=, mt->nframes / 2);

  /* maps.json: the same frames, times and tracks. */
  g_autofree char *json_path = g_build_filename (dir, "maps.json", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = al_json_read (json_path, &error);
  g_assert_no_error (error);
  JsonObject *o = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (o, "nframes"), ==, mt->nframes);
  g_assert_cmpint (json_object_get_int_member (o, "ndirs"), ==, mt->ndirs);
  g_assert_cmpint (json_object_get_int_member (o, "order"), ==, MOVING_ORDER);
  g_assert_cmpstr (json_object_get_string_member (o, "method"), ==, al_map_method_name (mt->method));
  JsonArray *times = json_object_get_array_member (o, "times_s");
  g_assert_cmpuint (json_array_get_length (times), ==, (guint) mt->nframes);
  for (int f = 0; f < mt->nframes; f++)
    g_assert_cmpfloat (json_array_get_double_element (times, f), ==, mt->times[f]);
  JsonArray *tracks = json_object_get_array_member (o, "tracks");
  g_assert_cmpuint (json_array_get_length (tracks), ==, (guint) mt->ntracks);
  for (int i = 0; i < mt->ntracks; i++)
    {
      JsonObject *t = json_array_get_object_element (tracks, i);
      g_assert_cmpint (json_object_get_int_member (t, "id"), ==, mt->tracks[i].id);
      g_assert_cmpint (json_object_get_int_member (t, "points"), ==, mt->tracks[i].npoints);
      g_assert_cmpfloat (json_object_get_double_member (t, "start_s"), ==, mt->times[mt->tracks[i].first]);
      g_assert_cmpfloat (json_object_get_double_member (t, "end_s"), ==, mt->times[mt->tracks[i].last]);
    }
  JsonObject *data = json_object_get_object_member (o, "data");
  g_assert_cmpfloat (json_object_get_double_member (data, "max"), ==, mt->power_max);

  /* maps.f32: the panel's maps bit for bit (little-endian, as the test host). */
  g_autofree char *f32_path = g_build_filename (dir, "maps.f32", NULL);
  g_autofree char *f32 = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (f32_path, &f32, &len, NULL));
  g_assert_cmpuint (len, ==, sizeof (float) * mt->nframes * mt->ndirs);
  g_assert_true (memcmp (f32, mt->power, len) == 0);
  g_test_message ("maps.json, maps.f32: %d frames x %d directions, %d tracks", mt->nframes, mt->ndirs, mt->ntracks);

  /* The CLI on the same file with the same settings writes the same files. */
  g_autofree char *cli_dir = g_dir_make_tmp ("al-rec-cli-XXXXXX", NULL);
  const char *cli = g_getenv ("AMBILAB_CLI");
  g_assert_nonnull (cli);
  const char *argv[] = { cli, "powermap", "--ambisonics", "--in", moving_path, "-o", cli_dir, "--overwrite", NULL };
  int status = -1;
  g_autofree char *out = NULL, *err = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("ambilab-cli powermap failed: %s", err);
  const char *same[] = { "doa_tracks.csv", "doa_intensity.csv", "maps.json", "maps.f32" };
  for (guint i = 0; i < G_N_ELEMENTS (same); i++)
    if (!same_file (dir, cli_dir, same[i]))
      g_error ("%s differs from ambilab-cli powermap's", same[i]);
  g_test_message ("doa_tracks.csv, doa_intensity.csv, maps.json, maps.f32 identical to ambilab-cli powermap's");
  remove_dir (cli_dir);

  /* A folder that cannot be made: the error is kept and shown by the window. */
  g_autofree char *bad = g_build_filename (json_path, "sub", NULL);
  al_evaluate_page_export_recording (page (), bad);
  gui_wait (not_exporting, panel, 60000, "the failing export");
  g_assert_nonnull (al_recording_panel_get_error (panel));
  g_assert_nonnull (strstr (al_recording_panel_get_error (panel), "sub"));
  g_assert_cmpstr (al_window_get_last_error (win), ==, al_recording_panel_get_error (panel));
  AdwMessageDialog *dialog = gui_find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "close");
  gtk_window_close (GTK_WINDOW (dialog));
  gui_spin (50);
  remove_dir (dir);
}

static gboolean
message_open (gpointer data)
{
  return gui_find_message_dialog () != NULL;
}

/* A button bound to `action` under root, or NULL. */
static GtkWidget *
find_action_button (GtkWidget *root, const char *action)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_action_button (c, action);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The action string of the class shortcut of widget for keyval + mods, or NULL. */
static char *
shortcut_action (GtkWidget *widget, guint keyval, GdkModifierType mods)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (widget);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) c = g_list_model_get_item (controllers, i);
      if (!GTK_IS_SHORTCUT_CONTROLLER (c))
        continue;
      for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (c)); k++)
        {
          g_autoptr (GtkShortcut) sc = g_list_model_get_item (G_LIST_MODEL (c), k);
          GtkShortcutTrigger *t = gtk_shortcut_get_trigger (sc);
          if (GTK_IS_KEYVAL_TRIGGER (t) && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (t)) == keyval
              && gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (t)) == mods)
            return gtk_shortcut_action_to_string (gtk_shortcut_get_action (sc));
        }
    }
  return NULL;
}

static gboolean
file_equals_maps (const char *path, const AlMapTrack *mt)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  return g_file_get_contents (path, &data, &len, NULL) && len == sizeof (float) * mt->nframes * mt->ndirs
         && memcmp (data, mt->power, len) == 0;
}

/* As the Export button (and Ctrl+E) exports once a folder is chosen: into
 * a new folder at once; into one holding an earlier export only after
 * “Replace Results?” — Cancel writes nothing, Replace writes the maps
 * again.  (The folder chooser itself is GTK's and is not opened here: it
 * fills icon and MIME caches that live as long as the process.) */
static void
test_recording_export_asks (void)
{
  AlRecordingPanel *panel = al_evaluate_page_get_recording_panel (page ());
  const AlMapTrack *mt = al_recording_panel_get_map_track (panel);
  g_assert_nonnull (mt);
  g_autofree char *key = shortcut_action (GTK_WIDGET (panel), GDK_KEY_e, GDK_CONTROL_MASK);
  g_assert_cmpstr (key, ==, "action(recording.export)");
  GtkWidget *button = find_action_button (GTK_WIDGET (panel), "recording.export");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));

  g_autofree char *dir = g_dir_make_tmp ("al-rec-ask-XXXXXX", NULL);
  g_autofree char *f32 = g_build_filename (dir, "maps.f32", NULL);
  al_recording_panel_export_asking (panel, dir);
  g_assert_null (gui_find_message_dialog ());
  gui_wait (not_exporting, panel, 120000, "the export");
  g_assert_true (file_equals_maps (f32, mt));

  const char *answers[] = { "cancel", "replace" };
  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_unlink (f32);
      al_recording_panel_export_asking (panel, dir);
      g_assert_false (al_recording_panel_is_exporting (panel));
      gui_wait (message_open, NULL, 10000, "the replace question");
      AdwMessageDialog *ask = gui_find_message_dialog ();
      g_assert_cmpstr (adw_message_dialog_get_heading (ask), ==, "Replace Results?");
      g_autofree char *base = g_path_get_basename (dir);
      g_assert_nonnull (strstr (adw_message_dialog_get_body (ask), base));
      adw_message_dialog_response (ask, answers[i]);
      gtk_window_close (GTK_WINDOW (ask));
      gui_spin (50);
      gui_wait (not_exporting, panel, 120000, "the export");
      g_assert_null (al_recording_panel_get_error (panel));
      g_assert_true (g_file_test (f32, G_FILE_TEST_EXISTS) == (i == 1));
      if (i == 1)
        g_assert_true (file_equals_maps (f32, mt));
    }
  g_test_message ("exported into a new folder, then asked twice: Cancel wrote nothing, Replace %d x %d maps",
                  mt->nframes, mt->ndirs);
  remove_dir (dir);
}

/* GTK hands a key press to the focus widget's ancestors from the focus
 * up (bubble phase), each one's shortcuts in turn, until an action runs.
 * Xvfb gives a test no way to type, so this walks the same widgets with
 * their own shortcut controllers: the widget that took the key, or NULL. */
static GtkWidget *
press_key (GtkWidget *focus, guint keyval, GdkModifierType mods)
{
  for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
    {
      g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (w);
      for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
        {
          g_autoptr (GtkEventController) c = g_list_model_get_item (controllers, i);
          if (!GTK_IS_SHORTCUT_CONTROLLER (c) || gtk_event_controller_get_propagation_phase (c) != GTK_PHASE_BUBBLE)
            continue;
          for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (c)); k++)
            {
              g_autoptr (GtkShortcut) sc = g_list_model_get_item (G_LIST_MODEL (c), k);
              GtkShortcutTrigger *t = gtk_shortcut_get_trigger (sc);
              if (GTK_IS_KEYVAL_TRIGGER (t) && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (t)) == keyval
                  && gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (t)) == mods
                  && gtk_shortcut_action_activate (gtk_shortcut_get_action (sc), GTK_SHORTCUT_ACTION_EXCLUSIVE, w,
                                                   gtk_shortcut_get_arguments (sc)))
                return w;
            }
        }
    }
  return NULL;
}

static GtkWidget *
find_mode_switcher (GtkWidget *root)
{
  if (GTK_IS_STACK_SWITCHER (root))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_mode_switcher (c);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Escape cancels a running Recording computation, as it does a Scenes
 * run: from inside the panel (the panel's key) and from the page's mode
 * switcher (the page's); the maps shown before stay.  In the Scenes mode
 * Escape leaves a recording run alone, and with nothing running neither
 * panel nor page takes it (it goes on, e.g. to dismiss a toast). */
static void
test_recording_escape (void)
{
  AlRecordingPanel *panel = al_evaluate_page_get_recording_panel (page ());
  const AlMapTrack *before = al_recording_panel_get_map_track (panel);
  g_assert_nonnull (before);
  const int frames = before->nframes;
  g_autofree float *x = NULL;
  gsize n = 0;
  /* 20 s (400 frames): the run is still at its start when the key comes. */
  g_autofree char *path = write_moving_source (20, 1, &x, &n);
  al_evaluate_page_set_mode (page (), "recording");
  gui_spin (100);
  GtkWidget *scale = al_recording_panel_get_view (panel, "time");
  GtkWidget *switcher = find_mode_switcher (GTK_WIDGET (page ()));
  g_assert_nonnull (switcher);
  g_assert_false (gtk_widget_is_ancestor (switcher, GTK_WIDGET (panel)));
  gtk_widget_grab_focus (scale);
  GtkWidget *taker = press_key (scale, GDK_KEY_Escape, 0);
  g_assert_true (taker != GTK_WIDGET (panel) && taker != GTK_WIDGET (page ()));
  taker = press_key (switcher, GDK_KEY_Escape, 0);
  g_assert_true (taker != GTK_WIDGET (panel) && taker != GTK_WIDGET (page ()));

  al_recording_panel_set_recording (panel, path, -1);
  const char *from[] = { "panel", "mode switcher" };
  GtkWidget *focus[] = { scale, switcher };
  GtkWidget *owner[] = { GTK_WIDGET (panel), GTK_WIDGET (page ()) };
  for (guint i = 0; i < G_N_ELEMENTS (focus); i++)
    {
      /* Ctrl+Return starts, Escape cancels. */
      g_assert_true (press_key (focus[i], GDK_KEY_Return, GDK_CONTROL_MASK) == owner[i]);
      g_assert_true (al_recording_panel_is_running (panel));
      g_assert_true (press_key (focus[i], GDK_KEY_Escape, 0) == owner[i]);
      gui_wait (recording_idle, page (), 60000, "the cancelled power maps");
      g_test_message ("Escape from the %s: “%s”", from[i], al_recording_panel_get_status (panel));
      g_assert_cmpstr (al_recording_panel_get_status (panel), ==, "Power maps cancelled");
      g_assert_null (al_recording_panel_get_error (panel));
      g_assert_true (al_recording_panel_get_map_track (panel) == before);
      g_assert_cmpint (al_recording_panel_get_map_track (panel)->nframes, ==, frames);
    }
  taker = press_key (scale, GDK_KEY_Escape, 0);
  g_assert_true (taker != GTK_WIDGET (panel) && taker != GTK_WIDGET (page ()));

  /* The Scenes mode shown: its Escape is the Scenes run's. */
  al_recording_panel_run (panel);
  al_evaluate_page_set_mode (page (), "scenes");
  taker = press_key (switcher, GDK_KEY_Escape, 0);
  g_assert_true (taker != GTK_WIDGET (panel) && taker != GTK_WIDGET (page ()));
  g_assert_true (al_recording_panel_is_running (panel));
  al_evaluate_page_cancel_recording (page ());
  gui_wait (recording_idle, page (), 60000, "the cancelled power maps");
  g_assert_cmpstr (al_recording_panel_get_status (panel), ==, "Power maps cancelled");
  g_assert_true (al_recording_panel_get_map_track (panel) == before);
  g_autofree char *dir = g_path_get_dirname (path);
  g_unlink (path);
  g_rmdir (dir);
  g_autofree char *moving_dir = g_path_get_dirname (moving_path);
  g_unlink (moving_path);
  g_rmdir (moving_dir);
  g_clear_pointer (&moving_path, g_free);
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
  app = gui_start_app (&win);

  g_test_add_func ("/gui-evaluate/reachable", test_reachable);
  g_test_add_func ("/gui-evaluate/spec", test_spec);
  g_test_add_func ("/gui-evaluate/error-in-page", test_error_in_page);
  g_test_add_func ("/gui-evaluate/matches-core", test_matches_core);
  g_test_add_func ("/gui-evaluate/table-and-views", test_table_and_views);
  g_test_add_func ("/gui-evaluate/export", test_export);
  g_test_add_func ("/gui-evaluate/screenshots", test_screenshots);
  g_test_add_func ("/gui-evaluate/cancel-keeps-results", test_cancel_keeps_results);
  g_test_add_func ("/gui-evaluate/recording", test_recording);
  g_test_add_func ("/gui-evaluate/recording-export", test_recording_export);
  g_test_add_func ("/gui-evaluate/recording-export-asks", test_recording_export_asks);
  g_test_add_func ("/gui-evaluate/recording-escape", test_recording_escape);
  int status = g_test_run ();
  gui_exit_watchdog (status);
  gtk_window_destroy (GTK_WINDOW (win));
  gui_spin (50);
  g_object_unref (app);
  return status;
}
