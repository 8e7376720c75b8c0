/* test-gui-l10n.c — the studio in German (LANGUAGE=de, locale C.UTF-8,
 * catalogue from the build tree): page titles, row titles, plot legends
 * and the unsaved-changes dialog speak German, no English is left on the
 * Design page, the Evaluate page (form, table, figures: the coherence
 * figure's x axis too; the Recording mode's panel) speaks German after a
 * short evaluation, and screenshots in German are written for review.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "al-design-page.h"
#include "al-evaluate-page.h"
#include "al-figure-view.h"
#include "al-measure-page.h"
#include "al-plot-view.h"
#include "gui-test-util.h"

static AlApplication *app;
static AlWindow *win;

static gboolean
design_settled (gpointer data)
{
  return !al_design_page_is_busy (data) && al_design_page_get_encoder (data) != NULL;
}

static GHashTable *
texts_of (GtkWidget *root)
{
  GHashTable *texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gui_collect_texts (root, texts);
  return texts;
}

static void
assert_has (GHashTable *texts, const char *text)
{
  if (!g_hash_table_contains (texts, text))
    g_error ("“%s” is not shown", text);
}

static void
test_catalogue (void)
{
  g_assert_cmpstr (g_getenv ("LANGUAGE"), ==, "de");
  /* Straight from the compiled catalogue, before any widget. */
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Save Changes?"), ==, "Änderungen speichern?");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Spatial correlation"), ==, "Räumliche Korrelation");
}

static void
test_window_german (void)
{
  gui_wait (gui_project_ready, win, 60000, "the demo project");
  g_assert_cmpstr (al_window_get_title_text (win), ==, "Demo: Brille mit 5 Mikrofonen");
  g_autoptr (GHashTable) texts = texts_of (GTK_WIDGET (win));
  /* The sidebar and the page stack. */
  assert_has (texts, "Mikrofonarray");
  assert_has (texts, "Mikrofone und Übertragungsfunktionen");
  assert_has (texts, "Entwurf");
  assert_has (texts, "Lineare Encoder");
  /* Array page rows. */
  assert_has (texts, "Quellenrichtung");
  assert_has (texts, "Grad über der Horizontalebene");
  assert_has (texts, "Alle Mikrofone");
}

static void
test_design_page_german (void)
{
  gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "design");
  AlDesignPage *page = AL_DESIGN_PAGE (al_window_get_page (win, "design"));
  gui_wait (design_settled, page, 30000, "the design");
  g_autoptr (GHashTable) texts = texts_of (GTK_WIDGET (page));
  const char *german[] = { "Parameter", "Verfahren", "Ordnung", "Maximale Verstärkung", "Diffusfeld-Entzerrung",
                           "Übergangsfrequenz der Entzerrung", "FIR-Länge", "Normierung", "Dieser Entwurf", "Vergleich",
                           "In diesem Projekt", "Kennwerte", "Filter", "Begrenzung 10 dB", "Begrenzung 20 dB" };
  for (guint i = 0; i < G_N_ELEMENTS (german); i++)
    assert_has (texts, german[i]);
  const char *english[] = { "Parameters", "Method", "Order", "Maximum Gain", "Diffuse-Field EQ", "This Design",
                            "Comparison", "Metrics", "Filters", "Limit 10 dB" };
  for (guint i = 0; i < G_N_ELEMENTS (english); i++)
    if (g_hash_table_contains (texts, english[i]))
      g_error ("“%s” is still English", english[i]);
  /* Plot legends and the WNG channels. */
  AlPlotView *corr = AL_PLOT_VIEW (al_design_page_get_view (page, "correlation"));
  g_assert_cmpstr (al_plot_view_get_label (corr, 0), ==, "Ordnung 0");
  g_assert_cmpstr (al_plot_view_get_label (corr, 1), ==, "Ordnung 1");
}

static void
test_dialog_german (void)
{
  AlDesignPage *page = AL_DESIGN_PAGE (al_window_get_page (win, "design"));
  g_autoptr (GError) error = NULL;
  g_assert_cmpint (al_design_page_save_to_project (page, &error), >=, 0);
  g_assert_no_error (error);
  gtk_widget_activate_action (GTK_WIDGET (win), "win.new", NULL);
  gui_spin (50);
  AdwMessageDialog *dialog = gui_find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Änderungen speichern?");
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (dialog), "„Demo: Brille mit 5 Mikrofonen“ enthält"));
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "cancel"), ==, "_Abbrechen");
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "discard"), ==, "_Verwerfen");
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "save"), ==, "_Speichern");
  g_autofree char *path = gui_screenshot (GTK_WIDGET (dialog), "screenshot-dialog-de.png");
  g_test_message ("screenshot: %s", path);
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_close (GTK_WINDOW (dialog));
  gui_spin (100);
  g_assert_true (al_document_get_modified (al_window_get_document (win)));
}

static gboolean
evaluation_done (gpointer data)
{
  return !al_evaluate_page_is_running (data);
}

static void
test_evaluate_page_german (void)
{
  gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "evaluate");
  AlEvaluatePage *page = AL_EVALUATE_PAGE (al_window_get_page (win, "evaluate"));
  /* Two short scenes, so the table and figures are there too. */
  AlSceneSet set;
  al_scene_set_init (&set);
  set.count = 2;
  set.seed = 7;
  set.spec.duration_min = set.spec.duration_max = 0.5;
  al_evaluate_page_set_scene_set (page, &set);
  for (guint i = 0; i < al_evaluate_page_n_encoder_choices (page); i++)
    al_evaluate_page_set_encoder_chosen (page, i, i < 2);
  al_evaluate_page_run (page);
  gui_wait (evaluation_done, page, 120000, "the evaluation");
  g_assert_null (al_evaluate_page_get_error (page));
  g_assert_nonnull (al_evaluate_page_get_result (page));
  g_autoptr (GHashTable) texts = texts_of (GTK_WIDGET (win));
  assert_has (texts, "Bewertung");
  assert_has (texts, "Encoder im Vergleich in simulierten Räumen");
  g_autoptr (GHashTable) own = texts_of (GTK_WIDGET (page));
  const char *german[] = { "Szenenmenge", "Szenen", "Startwert", "Kleinster Raum", "Größter Raum", "Quellen",
                           "Dauer", "Szenenangabe", "Bewerten", "Kohärenz", "Betragsfehler", "Leistungskarten",
                           "Ergebnisse exportieren …", "Begrenzung 10 dB", "Begrenzung 20 dB" };
  for (guint i = 0; i < G_N_ELEMENTS (german); i++)
    assert_has (own, german[i]);
  const char *english[] = { "Scene Set", "Seed", "Smallest Room", "Largest Room", "Sources", "Duration",
                            "Evaluate", "Coherence", "Magnitude Error", "Power Maps", "Export Results…" };
  for (guint i = 0; i < G_N_ELEMENTS (english); i++)
    if (g_hash_table_contains (own, english[i]))
      g_error ("“%s” is still English", english[i]);
  /* The mode switcher: Scenes | Recording. */
  g_autoptr (GHashTable) modes = NULL;
  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (page)); w != NULL && modes == NULL;
       w = gtk_widget_get_first_child (w))
    for (GtkWidget *c = w; c != NULL; c = gtk_widget_get_next_sibling (c))
      if (GTK_IS_STACK_SWITCHER (c))
        {
          modes = texts_of (c);
          break;
        }
  g_assert_nonnull (modes);
  assert_has (modes, "Szenen");
  assert_has (modes, "Aufnahme");
  g_assert_false (g_hash_table_contains (modes, "Recording"));
  /* The table's first column and the status line. */
  g_assert_cmpuint (al_evaluate_page_get_table_rows (page), ==, 2);
  g_assert_cmpstr (al_evaluate_page_get_table_cell (page, 0, 0), ==, "Begrenzung 10 dB");
  g_assert_true (g_str_has_prefix (al_evaluate_page_get_status (page), "2 Szenen × 2 Encoder in "));
  g_assert_nonnull (strstr (al_evaluate_page_get_status (page), "Lokalisierung der Referenz"));
  /* The coherence figure's x axis: the GUI gives core the translated label. */
  AlFigureView *coh = AL_FIGURE_VIEW (al_evaluate_page_get_view (page, "coherence"));
  g_assert_cmpstr (al_channel_plot_get_x_label (al_figure_view_get_figure (coh)), ==, "Frequenz (Hz)");
  /* The Recording mode's panel. */
  g_autoptr (GHashTable) rec = texts_of (GTK_WIDGET (al_evaluate_page_get_recording_panel (page)));
  const char *rec_german[] = { "Aufnahme", "Datei", "Keine gewählt", "Verfahren", "Ebene Wellen (PWD)", "Breitbandig",
                               "Karten berechnen", "Ergebnisse exportieren …",
                               "Noch keine Leistungskarten: Aufnahme wählen und berechnen." };
  for (guint i = 0; i < G_N_ELEMENTS (rec_german); i++)
    assert_has (rec, rec_german[i]);
  const char *rec_english[] = { "Recording", "File", "None chosen", "Method", "Broadband", "Compute Maps",
                                "Export Results…" };
  for (guint i = 0; i < G_N_ELEMENTS (rec_english); i++)
    if (g_hash_table_contains (rec, rec_english[i]))
      g_error ("“%s” is still English", rec_english[i]);
  gui_spin (600);
  g_autofree char *path = gui_screenshot (GTK_WIDGET (win), "screenshot-evaluate-de.png");
  g_test_message ("screenshot: %s", path);
}

static void
test_measure_page_german (void)
{
  gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "measure");
  AlMeasurePage *page = AL_MEASURE_PAGE (al_window_get_page (win, "measure"));
  g_assert_cmpstr (al_window_get_visible_page (win), ==, "measure");
  g_autoptr (GHashTable) texts = texts_of (GTK_WIDGET (win));
  assert_has (texts, "Messen");
  assert_has (texts, "Übertragungsfunktionen auf dem Drehteller messen");
  g_autoptr (GHashTable) own = texts_of (GTK_WIDGET (page));
  const char *german[] = { "Audio-Schnittstelle", "Schnittstelle", "Mikrofoneingänge", "Referenzeingang",
                           "Abtastrate (Hz)", "Drehteller", "Drehteller-URI", "Richtungen und Sweep", "Raster",
                           "Sitzungsordner", "Pegelprüfung", "Fortsetzen", "Erweitert",
                           "Richten Sie den Messraum ein und drücken Sie dann „Messen“" };
  for (guint i = 0; i < G_N_ELEMENTS (german); i++)
    assert_has (own, german[i]);
  const char *english[] = { "Audio Interface", "Mic inputs", "Reference input", "Turntable", "Directions and Sweep",
                            "Session folder", "Level Check", "Resume", "Advanced", "Set up the chamber, then press Measure" };
  for (guint i = 0; i < G_N_ELEMENTS (english); i++)
    if (g_hash_table_contains (own, english[i]))
      g_error ("“%s” is still English", english[i]);
  /* The validation line under the grid is German too. */
  al_measure_page_set_grid_spec (page, "az=0:360:90;el=0");
  g_autoptr (GHashTable) after = texts_of (GTK_WIDGET (page));
  assert_has (after, "4 Richtungen");
  gui_spin (600);
  g_autofree char *path = gui_screenshot (GTK_WIDGET (win), "screenshot-measure-de.png");
  g_test_message ("screenshot: %s", path);
}

static void
test_screenshots_german (void)
{
  const char *pages[] = { "array", "design" };
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", pages[i]);
      gui_spin (600);
      g_autofree char *name = g_strdup_printf ("screenshot-%s-de.png", pages[i]);
      g_autofree char *path = gui_screenshot (GTK_WIDGET (win), name);
      g_test_message ("screenshot: %s", path);
    }
}

int
main (int argc, char **argv)
{
  g_autofree char *home = gui_private_home ();
  al_application_init_i18n ();
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      printf ("1..0 # SKIP no display\n");
      return 0;
    }
  app = gui_start_app (&win);

  g_test_add_func ("/gui-de/catalogue", test_catalogue);
  g_test_add_func ("/gui-de/window", test_window_german);
  g_test_add_func ("/gui-de/design-page", test_design_page_german);
  g_test_add_func ("/gui-de/screenshots", test_screenshots_german);
  g_test_add_func ("/gui-de/evaluate-page", test_evaluate_page_german);
  g_test_add_func ("/gui-de/measure-page", test_measure_page_german);
  g_test_add_func ("/gui-de/unsaved-dialog", test_dialog_german);
  int status = g_test_run ();
  gui_exit_watchdog (status);
  /* The project is modified: close without asking. */
  gtk_window_destroy (GTK_WINDOW (win));
  gui_spin (50);
  g_object_unref (app);
  return status;
}
