/* test-gui-measure.c — the Measure page under Xvfb: reachable through its
 * action and accelerator; the simulated chamber (the project's transfer
 * functions) with the sim: turntable measures a tiny grid from the GUI in
 * a worker and gives the same SOFA as al_session_* called directly with
 * the page's configuration; pause then resume completes with the same
 * result; an invalid grid shows an inline error and disables Measure; the
 * level check shows meters; the turntable test answers; the grid's sphere
 * coverage view shows one marker per direction and follows the spec; the
 * advanced settings (retries, IR window, settle time, mic positions file)
 * reach the session and its SOFA file; screenshots.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "al-measure-page.h"
#include "al-page-registry.h"
#include "al-plot-view.h"
#include "al-sphere-view.h"
#include "gui-test-util.h"
#include "io/al-io.h"

#define GRID "az=0:360:90;el=0"
#define SWEEP "f1=50,f2=20000,T=0.3"

static AlApplication *app;
static int n_answered;
static AlWindow *win;
static char *home;

static AlMeasurePage *
page (void)
{
  return AL_MEASURE_PAGE (al_window_get_page (win, "measure"));
}

/* Waits for the page's workers to end; answers any prompt with "continue". */
static void
wait_idle (int timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  while (al_measure_page_is_busy (page ()))
    {
      if (g_get_monotonic_time () > end)
        g_error ("timed out after %d ms waiting for the measure page", timeout_ms);
      AdwMessageDialog *d = gui_find_message_dialog ();
      /* Answered once on screen, as a user would. */
      if (d != NULL && gtk_widget_get_mapped (GTK_WIDGET (d)))
        {
          gui_spin (100);
          n_answered++;
          adw_message_dialog_response (d, "continue");
          gtk_window_close (GTK_WINDOW (d));
          gui_spin (100);
        }
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}

/* The same configuration measured directly with al_session_*. */
static char *
measure_directly (const AlSessionConfig *c, const char *name)
{
  g_autofree char *dir = g_build_filename (home, name, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSession) s = al_session_open (dir, c, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (al_session_run (s, NULL, &error));
  g_assert_no_error (error);
  char *path = g_build_filename (dir, "direct.sofa", NULL);
  g_assert_true (al_session_write_sofa (s, path, &error));
  g_assert_no_error (error);
  return path;
}

static void
assert_same_irs (const char *a_path, const char *b_path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlAtfSet) a = al_sofa_read (a_path, &error);
  g_assert_no_error (error);
  g_autoptr (AlAtfSet) b = al_sofa_read (b_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (a->ndirs, ==, b->ndirs);
  g_assert_cmpint (a->nmics, ==, b->nmics);
  g_assert_cmpint (a->ir_len, ==, b->ir_len);
  double worst = 0;
  for (size_t i = 0; i < (size_t) a->ndirs * a->nmics * a->ir_len; i++)
    worst = MAX (worst, fabs (a->ir[i] - b->ir[i]));
  for (int d = 0; d < 2 * a->ndirs; d++)
    g_assert_cmpfloat (fabs (a->dirs[d] - b->dirs[d]), <, 1e-12);
  g_test_message ("largest IR difference GUI vs. direct: %g", worst);
  g_assert_cmpfloat (worst, <=, 1e-12);
}

static void
setup_sim (void)
{
  al_measure_page_set_simulated (page (), TRUE);
  al_measure_page_set_turntable_uri (page (), "sim:?speed=0");
  al_measure_page_set_grid_spec (page (), GRID);
  al_measure_page_set_sweep_spec (page (), SWEEP);
}

static void
test_reachable (void)
{
  gui_wait (gui_project_ready, win, 60000, "the demo project");
  gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "measure");
  g_assert_cmpstr (al_window_get_visible_page (win), ==, "measure");
  g_assert_true (AL_IS_MEASURE_PAGE (al_window_get_page (win, "measure")));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page ())));
  g_assert_nonnull (al_page_registry_lookup ("measure"));
  g_auto (GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.show-page::measure");
  g_assert_cmpstr (accels[0], ==, "<Alt>4");
  g_assert_cmpint (al_measure_page_get_state (page ()), ==, AL_MEASURE_IDLE);
  /* The default folder: measurements/<date> inside the project. */
  g_autofree char *mdir = g_build_filename (al_document_get_dir (al_window_get_document (win)), "measurements", NULL);
  g_assert_true (g_str_has_prefix (al_measure_page_get_session_dir (page ()), mdir));
  /* The simulated chamber reads the project's SOFA file. */
  setup_sim ();
  g_autofree char *uri = al_measure_page_get_audio_uri (page ());
  g_assert_true (g_str_has_prefix (uri, "sim:truth="));
  g_assert_true (al_measure_page_can_measure (page ()));
}

static void
test_invalid_grid (void)
{
  al_measure_page_set_grid_spec (page (), "az=0:360:abc");
  g_assert_nonnull (al_measure_page_get_grid_error (page ()));
  g_assert_false (al_measure_page_can_measure (page ()));
  gtk_widget_activate_action (GTK_WIDGET (page ()), "measure.start", NULL);
  g_assert_cmpint (al_measure_page_get_state (page ()), ==, AL_MEASURE_IDLE);
  gui_spin (600); /* the stack's transition from the previous page */
  g_autofree char *shot = gui_screenshot (GTK_WIDGET (win), "screenshot-measure-invalid.png");
  al_measure_page_set_sweep_spec (page (), "f1=50,f2=20000,T=-1");
  g_assert_nonnull (al_measure_page_get_sweep_error (page ()));
  setup_sim ();
  g_assert_null (al_measure_page_get_grid_error (page ()));
  g_assert_null (al_measure_page_get_sweep_error (page ()));
  g_assert_true (al_measure_page_can_measure (page ()));
}

static AlSphereView *
coverage (void)
{
  return AL_SPHERE_VIEW (al_measure_page_get_view (page (), "coverage"));
}

static void
test_coverage (void)
{
  g_assert_true (AL_IS_SPHERE_VIEW (coverage ()));
  g_assert_cmpint (al_sphere_view_get_projection (coverage ()), ==, AL_PROJECTION_HAMMER);
  al_measure_page_set_grid_spec (page (), "az=0:360:30;el=-30,0,30");
  g_assert_null (al_measure_page_get_grid_error (page ()));
  g_assert_cmpint (al_measure_page_get_n_coverage_markers (page ()), ==, 36);
  g_assert_nonnull (al_sphere_view_get_map (coverage ()));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (coverage ())));
  /* Scrolled so that the view is on screen for the screenshot. */
  GtkWidget *sw = gtk_widget_get_ancestor (GTK_WIDGET (coverage ()), GTK_TYPE_SCROLLED_WINDOW);
  g_assert_nonnull (sw);
  gui_spin (300);
  graphene_rect_t b;
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (coverage ()), gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (sw)), &b));
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (sw));
  gtk_adjustment_set_value (adj, b.origin.y - 160);
  gui_spin (300);
  g_autofree char *shot = gui_screenshot (GTK_WIDGET (win), "screenshot-measure-coverage.png");
  g_test_message ("screenshot: %s", shot);
  gtk_adjustment_set_value (adj, 0);
  /* A marker where a direction of the grid lies (az 30°, el 30°) once drawn. */
  double px, py;
  g_assert_true (al_sphere_map_to_pixel (al_sphere_view_get_map (coverage ()), G_PI / 6, G_PI / 6, &px, &py));
  /* Live: the spec changes, the markers follow. */
  al_measure_page_set_grid_spec (page (), "az=0:360:90;el=0,45");
  g_assert_cmpint (al_measure_page_get_n_coverage_markers (page ()), ==, 8);
  al_measure_page_set_grid_spec (page (), "az=0:360:abc");
  g_assert_cmpint (al_measure_page_get_n_coverage_markers (page ()), ==, 0);
  g_assert_null (al_sphere_view_get_map (coverage ()));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (coverage ())));
  setup_sim ();
  g_assert_cmpint (al_measure_page_get_n_coverage_markers (page ()), ==, 4);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (coverage ())));
}

static void
test_level_check_and_turntable (void)
{
  gtk_widget_activate_action (GTK_WIDGET (page ()), "measure.level-check", NULL);
  wait_idle (60000);
  g_assert_null (al_measure_page_get_error (page ()));
  g_assert_cmpuint (al_measure_page_get_n_meters (page ()), ==, 6); /* 5 mics + reference */
  gtk_widget_activate_action (GTK_WIDGET (page ()), "measure.test-turntable", NULL);
  wait_idle (30000);
  g_assert_nonnull (al_measure_page_get_turntable_status (page ()));
  g_assert_nonnull (strstr (al_measure_page_get_turntable_status (page ()), "0.0°"));
}

static void
test_matches_core (void)
{
  setup_sim ();
  AlSessionConfig c;
  al_measure_page_get_config (page (), &c);
  g_autofree char *direct = measure_directly (&c, "direct-1");
  al_session_config_clear (&c);
  gtk_widget_activate_action (GTK_WIDGET (page ()), "measure.start", NULL);
  g_assert_cmpint (al_measure_page_get_state (page ()), ==, AL_MEASURE_RUNNING);
  wait_idle (120000);
  g_assert_null (al_measure_page_get_error (page ()));
  g_assert_cmpint (al_measure_page_get_state (page ()), ==, AL_MEASURE_IDLE);
  g_assert_cmpint (al_measure_page_get_done (page ()), ==, 4);
  const char *sofa = al_measure_page_get_sofa_path (page ());
  g_assert_nonnull (sofa);
  assert_same_irs (sofa, direct);
  /* Imported into the project, shown on the Array page. */
  const AlAtfSet *atf = al_document_get_atf (al_window_get_document (win));
  g_assert_cmpint (atf->ndirs, ==, 4);
  g_assert_cmpstr (al_window_get_visible_page (win), ==, "array");
  g_assert_true (g_str_has_prefix (al_measure_page_get_status (page ()), "Measurement finished: 4 directions"));
  /* The IR preview was drawn from the last recording. */
  g_assert_nonnull (al_plot_view_get_label (AL_PLOT_VIEW (al_measure_page_get_view (page (), "ir")), 0));
}

static void
test_pause_resume (void)
{
  gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "measure");
  setup_sim ();
  AlSessionConfig c;
  al_measure_page_get_config (page (), &c);
  g_autofree char *direct = measure_directly (&c, "direct-2");
  al_session_config_clear (&c);
  /* A fresh default folder after the finished session. */
  g_autofree char *dir = g_strdup (al_measure_page_get_session_dir (page ()));
  g_assert_true (g_str_has_suffix (dir, "-2"));
  al_measure_page_start (page ());
  gint64 end = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;
  while (al_measure_page_get_done (page ()) < 1 && g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
  gtk_widget_activate_action (GTK_WIDGET (page ()), "measure.pause", NULL);
  wait_idle (60000);
  g_assert_cmpint (al_measure_page_get_state (page ()), ==, AL_MEASURE_PAUSED);
  g_assert_null (al_measure_page_get_error (page ()));
  int kept = al_measure_page_get_done (page ());
  g_test_message ("paused with %d of 4 directions kept", kept);
  g_assert_cmpint (kept, >=, 1);
  g_assert_cmpint (kept, <, 4);
  gui_spin (200);
  g_autofree char *shot = gui_screenshot (GTK_WIDGET (win), "screenshot-measure-paused.png");
  g_test_message ("screenshot: %s", shot);
  gtk_widget_activate_action (GTK_WIDGET (page ()), "measure.resume", NULL);
  g_assert_cmpint (al_measure_page_get_state (page ()), ==, AL_MEASURE_RUNNING);
  wait_idle (120000);
  g_assert_null (al_measure_page_get_error (page ()));
  g_assert_cmpint (al_measure_page_get_state (page ()), ==, AL_MEASURE_IDLE);
  g_assert_true (g_str_has_prefix (al_measure_page_get_sofa_path (page ()), dir));
  assert_same_irs (al_measure_page_get_sofa_path (page ()), direct);
}

/* manual: asks for every move in a dialog; confirming each finishes the run. */
static void
test_manual_prompts (void)
{
  gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "measure");
  setup_sim ();
  al_measure_page_set_turntable_uri (page (), "manual:");
  al_measure_page_set_grid_spec (page (), "az=0,180;el=0");
  n_answered = 0;
  al_measure_page_start (page ());
  wait_idle (120000);
  g_assert_null (al_measure_page_get_error (page ()));
  g_assert_cmpint (al_measure_page_get_state (page ()), ==, AL_MEASURE_IDLE);
  g_assert_cmpint (al_measure_page_get_done (page ()), ==, 2);
  g_test_message ("%d prompts answered", n_answered);
  g_assert_cmpint (n_answered, >=, 2);
  gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "measure");
  setup_sim ();
}

static void
reset_advanced (void)
{
  AlSessionConfig d;
  al_session_config_init (&d);
  al_measure_page_set_retries (page (), d.retries);
  al_measure_page_set_ir_window (page (), d.ir_start, d.ir_len);
  al_measure_page_set_settle_ms (page (), d.settle_ms);
  al_measure_page_set_mic_positions_file (page (), NULL);
  al_session_config_clear (&d);
}

/* The advanced settings reach the configuration, the session and its SOFA. */
static void
test_advanced (void)
{
  gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "measure");
  setup_sim ();
  al_measure_page_set_grid_spec (page (), "az=0,180;el=0");
  static const double pos[5][3] = {
    { 0.042, 0, 0 }, { 0, 0.042, 0 }, { -0.042, 0, 0 }, { 0, -0.042, 0 }, { 0, 0, 0.042 }
  };
  g_autoptr (GString) text = g_string_new ("# x y z (m)\n");
  for (int m = 0; m < 5; m++)
    g_string_append_printf (text, "%g %g %g\n", pos[m][0], pos[m][1], pos[m][2]);
  g_autofree char *mics = g_build_filename (home, "mics.txt", NULL);
  g_assert_true (g_file_set_contents (mics, text->str, -1, NULL));
  al_measure_page_set_retries (page (), 0);
  al_measure_page_set_ir_window (page (), -16, 256);
  al_measure_page_set_settle_ms (page (), 0);
  al_measure_page_set_mic_positions_file (page (), mics);
  g_assert_cmpstr (al_measure_page_get_mic_positions_file (page ()), ==, mics);
  AlSessionConfig c;
  al_measure_page_get_config (page (), &c);
  g_assert_cmpint (c.retries, ==, 0);
  g_assert_cmpint (c.ir_start, ==, -16);
  g_assert_cmpint (c.ir_len, ==, 256);
  g_assert_cmpuint (c.settle_ms, ==, 0);
  g_assert_cmpstr (c.mics_pos_path, ==, mics);
  al_session_config_clear (&c);
  al_measure_page_start (page ());
  wait_idle (120000);
  g_assert_null (al_measure_page_get_error (page ()));
  g_assert_cmpint (al_measure_page_get_state (page ()), ==, AL_MEASURE_IDLE);
  g_assert_cmpint (al_measure_page_get_done (page ()), ==, 2);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlAtfSet) set = al_sofa_read (al_measure_page_get_sofa_path (page ()), &error);
  g_assert_no_error (error);
  g_assert_cmpint (set->ir_len, ==, 256); /* SOFA's N */
  g_assert_cmpint (set->nmics, ==, 5);
  for (int m = 0; m < 5; m++)
    for (int k = 0; k < 3; k++)
      g_assert_cmpfloat (fabs (set->mic_pos[3 * m + k] - pos[m][k]), <, 1e-9);
  /* The session's own record of the configuration. */
  g_autofree char *dir = g_path_get_dirname (al_measure_page_get_sofa_path (page ()));
  g_autoptr (AlSession) s = al_session_open (dir, NULL, TRUE, &error);
  g_assert_no_error (error);
  const AlSessionConfig *stored = al_session_get_config (s);
  g_assert_cmpint (stored->retries, ==, 0);
  g_assert_cmpint (stored->ir_start, ==, -16);
  g_assert_cmpint (stored->ir_len, ==, 256);
  g_assert_cmpuint (stored->settle_ms, ==, 0);
  g_assert_cmpstr (stored->mics_pos_path, ==, mics);
  al_measure_page_set_mic_positions_file (page (), NULL);
  g_assert_null (al_measure_page_get_mic_positions_file (page ()));
  reset_advanced ();
  gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "measure");
  setup_sim ();
}

static AdwExpanderRow *
find_expander (GtkWidget *root)
{
  if (ADW_IS_EXPANDER_ROW (root))
    return ADW_EXPANDER_ROW (root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      AdwExpanderRow *r = find_expander (c);
      if (r != NULL)
        return r;
    }
  return NULL;
}

static void
test_screenshot (void)
{
  gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "measure");
  gui_spin (600);
  g_autofree char *path = gui_screenshot (GTK_WIDGET (win), "screenshot-measure.png");
  g_test_message ("screenshot: %s", path);
  /* The advanced settings opened. */
  AdwExpanderRow *advanced = find_expander (GTK_WIDGET (page ()));
  g_assert_nonnull (advanced);
  adw_expander_row_set_expanded (advanced, TRUE);
  gui_spin (600);
  GtkWidget *sw = gtk_widget_get_ancestor (GTK_WIDGET (advanced), GTK_TYPE_SCROLLED_WINDOW);
  g_assert_nonnull (sw);
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (sw));
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
  gui_spin (300);
  g_autofree char *adv = gui_screenshot (GTK_WIDGET (win), "screenshot-measure-advanced.png");
  g_test_message ("screenshot: %s", adv);
  adw_expander_row_set_expanded (advanced, FALSE);
  gtk_adjustment_set_value (adj, 0);
}

int
main (int argc, char **argv)
{
  home = gui_private_home ();
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      printf ("1..0 # SKIP no display\n");
      return 0;
    }
  app = gui_start_app (&win);

  g_test_add_func ("/gui-measure/reachable", test_reachable);
  g_test_add_func ("/gui-measure/invalid-grid", test_invalid_grid);
  g_test_add_func ("/gui-measure/coverage", test_coverage);
  g_test_add_func ("/gui-measure/level-check-and-turntable", test_level_check_and_turntable);
  g_test_add_func ("/gui-measure/matches-core", test_matches_core);
  g_test_add_func ("/gui-measure/pause-resume", test_pause_resume);
  g_test_add_func ("/gui-measure/manual-prompts", test_manual_prompts);
  g_test_add_func ("/gui-measure/advanced", test_advanced);
  g_test_add_func ("/gui-measure/screenshot", test_screenshot);
  int status = g_test_run ();
  gui_exit_watchdog (status);
  gtk_window_destroy (GTK_WINDOW (win));
  gui_spin (50);
  g_object_unref (app);
  g_free (home);
  return status;
}
