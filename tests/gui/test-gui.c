/* test-gui.c — the studio under Xvfb: starts on the demo project, every
 * page is reachable through its action, a Design-page change gives exactly
 * the numbers of al_encoder_design + al_encoder_evaluate, save/re-open
 * round-trips every encoder, a corrupt SOFA or project leaves the project
 * untouched, the plot widgets zoom/export/cache, and every page is
 * rendered to a PNG for review.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "al-array-page.h"
#include "al-demo-project.h"
#include "al-design-page.h"
#include "al-fir-view.h"
#include "al-page-registry.h"
#include "al-plot-view.h"
#include "al-sphere-view.h"
#include "eval/al-eval.h"
#include "gui-test-util.h"
#include "al-view-util.h"

static AlApplication *app;
static AlWindow *win;
static char *home;

static AlDocument *
doc (void)
{
  return al_window_get_document (win);
}

static void
test_startup_demo (void)
{
  gui_wait (gui_project_ready, win, 60000, "the demo project");
  g_assert_null (al_window_get_last_error (win));
  const AlAtfSet *set = al_document_get_atf (doc ());
  g_assert_cmpint (set->nmics, ==, 5);
  g_assert_cmpint (set->ndirs, ==, 1024);
  g_assert_cmpfloat (set->fs, ==, 48000);
  g_assert_cmpuint (al_document_n_encoders (doc ()), ==, 2);
  g_assert_cmpstr (al_document_get_encoder_name (doc (), 0), ==, "Limit 10 dB");
  g_assert_cmpstr (al_document_get_encoder_name (doc (), 1), ==, "Limit 20 dB");
  g_assert_cmpfloat (al_document_get_encoder (doc (), 0)->params.max_gain_db, ==, 10);
  g_assert_cmpfloat (al_document_get_encoder (doc (), 1)->params.max_gain_db, ==, 20);
  g_assert_cmpint (al_document_get_encoder (doc (), 1)->fir_len, ==, 2048);
  g_assert_false (al_document_get_modified (doc ()));
  g_assert_cmpstr (al_window_get_title_text (win), ==, "Demo: 5-mic glasses");
  g_autofree char *dir = al_demo_project_dir ();
  g_autofree char *canon = g_canonicalize_filename (dir, NULL);
  g_assert_cmpstr (al_document_get_dir (doc ()), ==, canon);
  g_autofree char *manifest = g_build_filename (dir, "project.json", NULL);
  g_assert_true (g_file_test (manifest, G_FILE_TEST_IS_REGULAR));
}

static void
test_pages (void)
{
  guint n;
  const AlPageInfo *pages = al_page_registry_get (&n);
  g_assert_cmpuint (n, >=, 2);
  for (guint k = 0; k < 2; k++)
    for (guint i = 0; i < n; i++)
      {
        gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", pages[i].id);
        g_assert_cmpstr (al_window_get_visible_page (win), ==, pages[i].id);
        GtkWidget *page = al_window_get_page (win, pages[i].id);
        g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (page, pages[i].get_type ()));
        g_assert_true (gtk_widget_get_mapped (page));
      }
  /* Accelerators come from the same registry. */
  g_auto (GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.show-page::design");
  g_assert_cmpstr (accels[0], ==, "<Alt>2");
}

typedef struct {
  AlDesignPage *page;
  double gain;
  int fir;
} DesignWait;

static gboolean
design_done (gpointer data)
{
  DesignWait *w = data;
  const AlEncoder *enc = al_design_page_get_encoder (w->page);
  return !al_design_page_is_busy (w->page) && enc != NULL && enc->params.max_gain_db == w->gain
         && enc->params.fir_length == w->fir;
}

static void
assert_same (const double *a, const double *b, gsize n, const char *what)
{
  for (gsize i = 0; i < n; i++)
    if (!(a[i] == b[i] || (isnan (a[i]) && isnan (b[i])) || fabs (a[i] - b[i]) <= 1e-12 * MAX (1, fabs (b[i]))))
      g_error ("%s[%" G_GSIZE_FORMAT "]: GUI %.17g, core %.17g", what, i, a[i], b[i]);
}

static void
test_design_matches_core (void)
{
  gui_wait (gui_project_ready, win, 60000, "the project");
  gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "design");
  AlDesignPage *page = AL_DESIGN_PAGE (al_window_get_page (win, "design"));
  AlDesignParams p;
  al_design_params_init (&p);
  p.method = AL_DESIGN_TIKHONOV;
  p.order = 1;
  p.max_gain_db = 12;
  p.diffuse_eq = TRUE;
  p.diffuse_eq_hz = 0;
  p.fir_length = 512;
  p.norm = AL_SH_SN3D;
  p.allow_high_order = TRUE;
  al_design_page_set_params (page, &p);
  g_assert_true (al_design_page_is_busy (page));
  DesignWait w = { page, 12, 512 };
  gui_wait (design_done, &w, 30000, "the design");

  AlDesignParams shown;
  al_design_page_get_params (page, &shown);
  g_assert_cmpint (shown.order, ==, 1);
  g_assert_true (shown.diffuse_eq);
  const AlEncoder *genc = al_design_page_get_encoder (page);
  const AlEncoderEval *gev = al_design_page_get_eval (page);

  const AlAtfSet *set = al_document_get_atf (doc ());
  g_autoptr (GError) error = NULL;
  g_autoptr (AlEncoder) enc = al_encoder_design (set, &p, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (AlEncoderEval) ev = al_encoder_evaluate (enc, set, 0, 0, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (genc->nsh, ==, 4);
  g_assert_cmpint (genc->fir_len, ==, enc->fir_len);
  g_assert_cmpint (genc->latency, ==, enc->latency);
  g_assert_cmpfloat (genc->max_amp_db, ==, enc->max_amp_db);
  g_assert_cmpmem (genc->fir, sizeof (float) * 4 * 5 * enc->fir_len, enc->fir, sizeof (float) * 4 * 5 * enc->fir_len);
  g_assert_cmpint (gev->nbins, ==, ev->nbins);
  g_assert_cmpint (gev->ndirs, ==, ev->ndirs);
  assert_same (gev->spatial_corr, ev->spatial_corr, (gsize) ev->nbins * 2, "spatial_corr");
  assert_same (gev->level_diff, ev->level_diff, (gsize) ev->nbins * 2, "level_diff");
  assert_same (gev->wng, ev->wng, (gsize) ev->nbins * 4, "wng");
  assert_same (gev->dir_gain, ev->dir_gain, ev->ndirs, "dir_gain");
  g_assert_cmpfloat (gev->dgc, ==, ev->dgc);
  /* And the figures are physically what the README says: ρ0 ≈ 1 at low
   * frequencies, the order-1 level a little below 0 dB with EQ. */
  g_assert_cmpfloat (al_encoder_eval_mean_corr (gev, 0), >, 0.5);
  g_assert_cmpfloat (fabs (al_encoder_eval_mean_level (gev, 1)), <, 6);
  g_test_message ("design change to plots: %.0f ms (order 1, 512 taps, 1024 directions)",
                  al_design_page_get_last_ms (page));
  g_assert_cmpfloat (al_design_page_get_last_ms (page), >, 0);

  /* Keeping it adds the design to the comparison and designs again. */
  al_design_page_keep (page);
  g_assert_cmpuint (al_design_page_n_kept (page), ==, 1);
  gui_wait (design_done, &w, 30000, "the design after keep");
}

static gboolean
page_idle (gpointer data)
{
  return !al_design_page_is_busy (data);
}

static gboolean
page_running (gpointer data)
{
  return al_design_page_is_running (data);
}

static gboolean
page_settled (gpointer data)
{
  return !al_design_page_is_busy (data) && al_design_page_get_encoder (data) != NULL;
}

/* Pixel-for-pixel equality of two PNG files; returns the differing pixels. */
static gsize
png_differences (const char *a, const char *b, int *width, int *height)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) ta = gdk_texture_new_from_filename (a, &error);
  g_assert_no_error (error);
  g_autoptr (GdkTexture) tb = gdk_texture_new_from_filename (b, &error);
  g_assert_no_error (error);
  int w = gdk_texture_get_width (ta), h = gdk_texture_get_height (ta);
  g_assert_cmpint (gdk_texture_get_width (tb), ==, w);
  g_assert_cmpint (gdk_texture_get_height (tb), ==, h);
  g_autofree guint32 *pa = g_new (guint32, (gsize) w * h);
  g_autofree guint32 *pb = g_new (guint32, (gsize) w * h);
  gdk_texture_download (ta, (guchar *) pa, (gsize) w * 4);
  gdk_texture_download (tb, (guchar *) pb, (gsize) w * 4);
  gsize diff = 0;
  for (gsize i = 0; i < (gsize) w * h; i++)
    diff += pa[i] != pb[i];
  *width = w;
  *height = h;
  return diff;
}

/* The Design page's figures exported through the plot widget are the very
 * pictures ambilab-cli evaluate-encoder writes for the same encoder. */
static void
test_figure_matches_cli (void)
{
  gui_wait (gui_project_ready, win, 60000, "the project");
  gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "design");
  AlDesignPage *page = AL_DESIGN_PAGE (al_window_get_page (win, "design"));
  gui_wait (page_settled, page, 30000, "the first design");
  g_assert_cmpuint (al_design_page_n_kept (page), ==, 0);
  const char *cli = g_getenv ("AMBILAB_CLI");
  g_assert_nonnull (cli);

  g_autofree char *dir = g_build_filename (home, "figures", NULL);
  g_autofree char *gui_dir = g_build_filename (dir, "gui", NULL);
  g_autofree char *cli_dir = g_build_filename (dir, "cli", NULL);
  g_assert_cmpint (g_mkdir_with_parents (gui_dir, 0755), ==, 0);
  g_autoptr (GError) error = NULL;
  g_assert_true (al_design_page_export (page, dir, &error));
  g_assert_no_error (error);
  const AlEncoder *enc = al_design_page_get_encoder (page);
  g_autofree char *json_name = g_strdup_printf ("Order %d, %g dB%s.json", enc->params.order, enc->params.max_gain_db,
                                                enc->params.diffuse_eq ? ", EQ" : "");
  g_autofree char *json = g_build_filename (dir, json_name, NULL);
  g_assert_true (g_file_test (json, G_FILE_TEST_IS_REGULAR));
  g_autofree char *sofa = g_build_filename (al_document_get_dir (doc ()),
                                            al_project_get_atf_file (al_document_get_project (doc ())), NULL);
  const char *argv[] = { cli, "evaluate-encoder", "--atf", sofa, "--encoder", json, "-o", cli_dir, NULL };
  int status = -1;
  g_autofree char *out = NULL, *err = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error));
  g_assert_no_error (error);
  if (status != 0)
    g_error ("ambilab-cli evaluate-encoder failed: %s", err);

  static const struct { const char *view, *file; } figures[] = {
    { "correlation", "spatial_correlation.png" },
    { "level", "level_difference.png" },
    { "wng", "wng.png" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      AlPlotView *view = AL_PLOT_VIEW (al_design_page_get_view (page, figures[i].view));
      g_autofree char *gui_png = g_build_filename (gui_dir, figures[i].file, NULL);
      g_autofree char *cli_png = g_build_filename (cli_dir, figures[i].file, NULL);
      g_assert_true (al_plot_view_export (view, gui_png, &error));
      g_assert_no_error (error);
      int w, h;
      gsize diff = png_differences (gui_png, cli_png, &w, &h);
      /* 480 x 300 pt at 150 dpi */
      g_assert_cmpint (w, ==, 1000);
      g_assert_cmpint (h, ==, 625);
      if (diff != 0)
        g_error ("%s: %" G_GSIZE_FORMAT " of %d pixels differ from ambilab-cli's %s", figures[i].view, diff, w * h,
                 cli_png);
      g_test_message ("%s: GUI export = CLI figure, %d x %d pixels identical", figures[i].file, w, h);
    }
}

/* Kept designs are drawn dashed (dotted, dash-dotted) in the colours of
 * their orders, and named once in the legend. */
static void
test_kept_designs_distinguishable (void)
{
  AlDesignPage *page = AL_DESIGN_PAGE (al_window_get_page (win, "design"));
  gui_wait (page_settled, page, 30000, "the design");
  g_assert_cmpuint (al_design_page_n_kept (page), ==, 1);
  int order = al_design_page_get_eval (page)->order;
  g_assert_cmpint (order, ==, 1);
  for (guint v = 0; v < 2; v++)
    {
      AlPlotView *view = AL_PLOT_VIEW (al_design_page_get_view (page, v == 0 ? "correlation" : "level"));
      AlCurvePlot *plot = al_plot_view_get_plot (view);
      /* current: 0..1, padding 2..7, kept: 8..9 */
      g_assert_cmpint (al_curve_plot_n_series (plot), ==, 10);
      double dashes[4];
      g_assert_cmpstr (al_plot_view_get_label (view, 0), ==, "order 0");
      g_assert_cmpstr (al_plot_view_get_label (view, 1), ==, "order 1");
      g_assert_cmpint (al_palette_dash (0, dashes), ==, 0);
      for (guint i = 2; i < 8; i++)
        g_assert_cmpstr (al_plot_view_get_label (view, i), ==, "");
      g_assert_cmpstr (al_plot_view_get_label (view, 8), ==, "Order 1, 12 dB, EQ");
      g_assert_cmpstr (al_plot_view_get_label (view, 9), ==, "Order 1, 12 dB, EQ");
      g_assert_cmpint (al_palette_dash (8, dashes), ==, 2);
      /* same colour as the current design's order: the style tells the design */
      AlRgb a = al_palette_color (1), b = al_palette_color (9);
      g_assert_true (a.r == b.r && a.g == b.g && a.b == b.b);
    }
  /* Hiding the kept design by its legend toggle hides both of its orders. */
  AlPlotView *corr = AL_PLOT_VIEW (al_design_page_get_view (page, "correlation"));
  al_plot_view_set_series_visible (corr, "Order 1, 12 dB, EQ", FALSE);
  al_plot_view_set_series_visible (corr, "Order 1, 12 dB, EQ", TRUE);
}

/* The FIR matrix: one plot per ACN output with a curve per mic, and the
 * magnitudes are those of the filters (checked by a direct DFT). */
static void
test_fir_matrix (void)
{
  AlDesignPage *page = AL_DESIGN_PAGE (al_window_get_page (win, "design"));
  gui_wait (page_settled, page, 30000, "the design");
  gtk_widget_activate_action (GTK_WIDGET (page), "design.show-view", "s", "filters");
  AlFirView *fv = AL_FIR_VIEW (al_design_page_get_view (page, "filters"));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (fv)));
  const AlEncoder *enc = al_design_page_get_encoder (page);
  g_assert_cmpuint (al_fir_view_n_plots (fv), ==, (guint) enc->nsh);
  for (int c = 0; c < enc->nsh; c++)
    g_assert_cmpint (al_curve_plot_n_series (al_plot_view_get_plot (al_fir_view_get_plot (fv, c))), ==, enc->nmics);
  g_assert_cmpstr (al_plot_view_get_label (al_fir_view_get_plot (fv, 0), 4), ==, "Mic 5");
  const double freqs[] = { 250, 1000, 4000 };
  for (int c = 0; c < enc->nsh; c++)
    for (int q = 0; q < enc->nmics; q++)
      for (guint k = 0; k < G_N_ELEMENTS (freqs); k++)
        {
          double f, shown = al_fir_view_magnitude_at (fv, c, q, freqs[k], &f);
          g_assert_cmpfloat (fabs (f - freqs[k]), <, 25);
          double re = 0, im = 0, w = 2 * G_PI * f / enc->fs;
          const float *h = enc->fir + ((gsize) c * enc->nmics + q) * enc->fir_len;
          for (int t = 0; t < enc->fir_len; t++)
            {
              re += h[t] * cos (w * t);
              im -= h[t] * sin (w * t);
            }
          double want = 20 * log10 (hypot (re, im) + 1e-12);
          g_assert_cmpfloat_with_epsilon (shown, want, 1e-6);
        }
  /* Impulse responses: the time axis spans the filter. */
  al_fir_view_set_mode (fv, AL_FIR_VIEW_IMPULSE);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fv));
  gui_spin (100);
  double v[4];
  g_assert_true (al_plot_view_get_view (al_fir_view_get_plot (fv, 0), &v[0], &v[1], &v[2], &v[3]));
  g_assert_cmpfloat_with_epsilon (v[0], 0, 1e-9);
  g_assert_cmpfloat_with_epsilon (v[1], 1000.0 * (enc->fir_len - 1) / enc->fs, 1e-6);
  al_fir_view_set_mode (fv, AL_FIR_VIEW_MAGNITUDE);
  gtk_widget_activate_action (GTK_WIDGET (page), "design.show-view", "s", "metrics");
}

/* The directional-gain map fills most of its card's width. */
static void
test_sphere_size (void)
{
  AlDesignPage *page = AL_DESIGN_PAGE (al_window_get_page (win, "design"));
  gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "design");
  GtkWidget *gain = al_design_page_get_view (page, "gain");
  gtk_test_widget_wait_for_draw (gain);
  gui_spin (100);
  AlSphereMap *map = al_sphere_view_get_map (AL_SPHERE_VIEW (gain));
  double xl, xr, y;
  g_assert_true (al_sphere_map_to_pixel (map, G_PI - 1e-6, 0, &xl, &y));
  g_assert_true (al_sphere_map_to_pixel (map, -G_PI + 1e-6, 0, &xr, &y));
  double share = fabs (xr - xl) / gtk_widget_get_width (gain);
  g_test_message ("sphere map: %.0f px of a %d px card (%.0f %%)", fabs (xr - xl), gtk_widget_get_width (gain),
                  100 * share);
  g_assert_cmpfloat (share, >, 0.6);
  g_assert_cmpfloat (fabs (xr - xl), >, 300);
  /* wider than the curves' cards beside it */
  g_assert_cmpint (gtk_widget_get_width (gain), >, gtk_widget_get_width (al_design_page_get_view (page, "wng")));
}

static void close_dialogs (void);

static GtkWidget *
find_button (GtkWidget *root, const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Answers the open "Save Changes?" dialog after checking its choices. */
static void
answer_save_dialog (const char *response)
{
  gui_spin (50);
  AdwMessageDialog *dialog = gui_find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Save Changes?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "unsaved changes"));
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "cancel"), ==, "_Cancel");
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "discard"), ==, "_Discard");
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "save"), ==, "_Save");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "discard"), ==, ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "cancel");
  /* Click the button, as the user does. */
  GtkWidget *button = find_button (GTK_WIDGET (dialog), adw_message_dialog_get_response_label (dialog, response));
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  gui_spin (100);
  g_assert_null (gui_find_message_dialog ());
}

static void
modify_project (void)
{
  AlDesignPage *page = AL_DESIGN_PAGE (al_window_get_page (win, "design"));
  gui_wait (page_settled, page, 30000, "the design");
  g_autoptr (GError) error = NULL;
  g_assert_cmpint (al_design_page_save_to_project (page, &error), >=, 0);
  g_assert_no_error (error);
  g_assert_true (al_document_get_modified (doc ()));
  g_assert_true (g_str_has_prefix (al_window_get_title_text (win), "• "));
}

static gboolean
window_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
test_unsaved_changes (void)
{
  gui_wait (gui_project_ready, win, 60000, "the project");
  close_dialogs ();
  g_assert_null (gui_find_message_dialog ());
  g_autofree char *saved = g_strdup (al_document_get_dir (doc ()));
  g_autofree char *demo_dir = al_demo_project_dir ();
  g_autofree char *demo = g_canonicalize_filename (demo_dir, NULL);
  g_assert_cmpstr (saved, !=, demo);
  guint n_saved = al_document_n_encoders (doc ());
  g_assert_false (al_document_get_modified (doc ()));

  /* Not modified: New and Open ask nothing. */
  modify_project ();
  const AlAtfSet *atf = al_document_get_atf (doc ());

  /* Cancel keeps the project and its modified mark: New, Open, close. */
  gtk_widget_activate_action (GTK_WIDGET (win), "win.new", NULL);
  answer_save_dialog ("cancel");
  gtk_widget_activate_action (GTK_WIDGET (win), "win.open-recent", "s", demo);
  answer_save_dialog ("cancel");
  gtk_window_close (GTK_WINDOW (win));
  answer_save_dialog ("cancel");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (win)));
  g_assert_false (al_window_is_loading (win));
  g_assert_true (al_document_get_atf (doc ()) == atf);
  g_assert_cmpstr (al_document_get_dir (doc ()), ==, saved);
  g_assert_cmpuint (al_document_n_encoders (doc ()), ==, n_saved + 1);
  g_assert_true (al_document_get_modified (doc ()));
  g_assert_true (g_str_has_prefix (al_window_get_title_text (win), "• "));

  /* Discard replaces it and writes nothing. */
  gtk_widget_activate_action (GTK_WIDGET (win), "win.open-recent", "s", demo);
  answer_save_dialog ("discard");
  /* The open runs once the dialog has gone: wait for that project, not any. */
  GuiProjectAt at_demo = { win, demo };
  gui_wait (gui_project_at, &at_demo, 30000, "the demo project");
  g_assert_cmpstr (al_document_get_dir (doc ()), ==, demo);
  g_assert_cmpuint (al_document_n_encoders (doc ()), ==, 2);
  g_assert_false (al_document_get_modified (doc ()));

  /* Save writes, then replaces. */
  modify_project ();
  gtk_widget_activate_action (GTK_WIDGET (win), "win.open-recent", "s", saved);
  answer_save_dialog ("save");
  g_assert_false (al_document_get_modified (doc ()));
  GuiProjectAt at_saved = { win, saved };
  gui_wait (gui_project_at, &at_saved, 30000, "the saved project");
  g_assert_cmpstr (al_document_get_dir (doc ()), ==, saved);
  g_assert_cmpuint (al_document_n_encoders (doc ()), ==, n_saved); /* the discarded change was not written */
  al_window_open_project (win, demo);                              /* unmodified: no question */
  g_assert_null (gui_find_message_dialog ());
  gui_wait (gui_not_loading, win, 30000, "the demo project");
  g_assert_cmpuint (al_document_n_encoders (doc ()), ==, 3);       /* the saved change was */

  /* New after Discard: an empty, unsaved project. */
  modify_project ();
  gtk_widget_activate_action (GTK_WIDGET (win), "win.new", NULL);
  answer_save_dialog ("discard");
  g_assert_null (al_document_get_atf (doc ()));
  g_assert_null (al_document_get_dir (doc ()));
  g_assert_false (al_document_get_modified (doc ()));

  /* Closing a second window with changes: Discard closes it. */
  AlWindow *other = al_window_new (app);
  gtk_window_present (GTK_WINDOW (other));
  gui_wait (gui_project_ready, other, 60000, "the second window's project");
  g_autoptr (GError) error = NULL;
  AlEncoder *copy = NULL;
  {
    const AlEncoder *e = al_document_get_encoder (al_window_get_document (other), 0);
    g_autofree char *json = g_build_filename (home, "copy.json", NULL);
    g_assert_true (al_encoder_save (e, json, &error));
    copy = al_encoder_load (json, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpint (al_document_add_encoder (al_window_get_document (other), copy, &error), >=, 0);
  g_assert_true (al_document_get_modified (al_window_get_document (other)));
  gpointer weak = other;
  g_object_add_weak_pointer (G_OBJECT (other), &weak);
  gtk_window_close (GTK_WINDOW (other));
  answer_save_dialog ("discard");
  gui_wait (window_gone, &weak, 5000, "the window to close");

  /* Back to the saved project for the tests after this one. */
  al_window_open_project (win, saved);
  GuiProjectAt at_back = { win, saved };
  gui_wait (gui_project_at, &at_back, 30000, "the saved project");
}

static void
test_cancel (void)
{
  AlDesignPage *page = AL_DESIGN_PAGE (al_window_get_page (win, "design"));
  AlDesignParams p;
  al_design_page_get_params (page, &p);
  /* Three changes inside the debounce interval start one design. */
  for (int i = 0; i < 3; i++)
    {
      p.max_gain_db = 14 + i;
      al_design_page_set_params (page, &p);
    }
  DesignWait w = { page, 16, p.fir_length };
  gui_wait (design_done, &w, 30000, "the last of three changes");
  /* A cancelled design leaves the previous one in place.  A new filter
   * length makes the worker prepare new contexts (hundreds of ms), so there
   * is time to cancel; a gain change alone finishes in a few ms. */
  p.max_gain_db = 25;
  p.fir_length = 4096;
  al_design_page_set_params (page, &p);
  gui_wait (page_running, page, 30000, "the worker to start");
  gtk_widget_activate_action (GTK_WIDGET (page), "design.cancel", NULL);
  gui_wait (page_idle, page, 30000, "the cancelled design to stop");
  g_assert_cmpfloat (al_design_page_get_encoder (page)->params.max_gain_db, ==, 16);
  g_assert_cmpint (al_design_page_get_encoder (page)->fir_len, !=, 4096);

  /* A change still waiting out the debounce can be called off too. */
  p.max_gain_db = 30;
  al_design_page_set_params (page, &p);
  g_assert_true (al_design_page_is_busy (page) && !al_design_page_is_running (page));
  gtk_widget_activate_action (GTK_WIDGET (page), "design.cancel", NULL);
  g_assert_false (al_design_page_is_busy (page));
  gui_spin (300);
  g_assert_cmpfloat (al_design_page_get_encoder (page)->params.max_gain_db, ==, 16);
}

static void
test_array_page (void)
{
  gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "array");
  AlArrayPage *page = AL_ARRAY_PAGE (al_window_get_page (win, "array"));
  const AlAtfSet *set = al_document_get_atf (doc ());
  int k = al_array_page_set_direction (page, 30, 10);
  g_assert_cmpint (k, >=, 0);
  /* The chosen grid direction is the nearest one. */
  double u[3] = { cos (G_PI / 18) * cos (G_PI / 6), cos (G_PI / 18) * sin (G_PI / 6), sin (G_PI / 18) };
  double best = -2;
  for (int j = 0; j < set->ndirs; j++)
    {
      double a = set->dirs[2 * j], e = set->dirs[2 * j + 1];
      best = MAX (best, u[0] * cos (e) * cos (a) + u[1] * cos (e) * sin (a) + u[2] * sin (e));
    }
  double a = set->dirs[2 * k], e = set->dirs[2 * k + 1];
  g_assert_cmpfloat (u[0] * cos (e) * cos (a) + u[1] * cos (e) * sin (a) + u[2] * sin (e), ==, best);
  g_assert_cmpfloat (best, >, 0.99);
  al_array_page_set_mic (page, -1);
  gui_spin (50);
  GtkWidget *grid = NULL;
  /* Find the plot views by type. */
  GPtrArray *plots = g_ptr_array_new ();
  GPtrArray *spheres = g_ptr_array_new ();
  GQueue queue = G_QUEUE_INIT;
  g_queue_push_tail (&queue, page);
  while (!g_queue_is_empty (&queue))
    {
      GtkWidget *wdg = g_queue_pop_head (&queue);
      if (AL_IS_PLOT_VIEW (wdg))
        g_ptr_array_add (plots, wdg);
      if (AL_IS_SPHERE_VIEW (wdg))
        g_ptr_array_add (spheres, wdg);
      for (GtkWidget *c = gtk_widget_get_first_child (wdg); c; c = gtk_widget_get_next_sibling (c))
        g_queue_push_tail (&queue, c);
    }
  (void) grid;
  g_assert_cmpuint (plots->len, ==, 3);
  g_assert_cmpuint (spheres->len, ==, 1);
  for (guint i = 0; i < plots->len; i++)
    g_assert_cmpint (al_curve_plot_n_series (al_plot_view_get_plot (plots->pdata[i])), ==, 5);
  al_array_page_set_mic (page, 2);
  for (guint i = 0; i < plots->len; i++)
    g_assert_cmpint (al_curve_plot_n_series (al_plot_view_get_plot (plots->pdata[i])), ==, 1);
  al_array_page_set_mic (page, -1);

  /* Sphere map of mic 1 at 1 kHz: the read-out names a direction and a dB value. */
  al_array_page_set_map (page, 0, 1000);
  AlSphereView *sv = spheres->pdata[0];
  gtk_test_widget_wait_for_draw (GTK_WIDGET (sv));
  gui_spin (100);
  AlSphereMap *map = al_sphere_view_get_map (sv);
  g_assert_nonnull (map);
  double px, py;
  g_assert_true (al_sphere_map_to_pixel (map, 0, 0, &px, &py));
  g_autofree char *readout = al_sphere_view_readout (sv, px, py);
  g_assert_nonnull (readout);
  g_assert_true (g_str_has_prefix (readout, "az 0.0° · el 0.0°") || g_str_has_prefix (readout, "az -0.0° · el 0.0°")
                 || strstr (readout, "el") != NULL);
  /* The mic facing the source is louder than the one behind the head. */
  double front = al_sphere_map_value_at (map, 0, AL_DEG2RAD (20));
  double back = al_sphere_map_value_at (map, G_PI, AL_DEG2RAD (-20));
  g_assert_cmpfloat (front, >, back);
  g_ptr_array_unref (plots);
  g_ptr_array_unref (spheres);
}

static void
test_plot_view (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = al_plot_view_new ();
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 400);
  double x[200], y[200];
  for (int i = 0; i < 200; i++)
    {
      x[i] = 20 * pow (1000, i / 199.0);
      y[i] = sin (i * 0.1);
    }
  AlCurvePlot *plot = al_curve_plot_new ("Test", "Frequency (Hz)", "y");
  al_curve_plot_add (plot, "a", x, y, 200);
  al_curve_plot_add (plot, "b", x, y, 200);
  const char *labels[] = { "a", "b", NULL };
  al_plot_view_set_home (AL_PLOT_VIEW (view), 20, 20000, -1, 1);
  al_plot_view_set_plot (AL_PLOT_VIEW (view), plot, labels);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (view);
  gui_spin (100);
  double v[4];
  g_assert_true (al_plot_view_get_view (AL_PLOT_VIEW (view), &v[0], &v[1], &v[2], &v[3]));
  g_assert_cmpfloat_with_epsilon (v[0], 20, 1e-6);
  g_assert_cmpfloat_with_epsilon (v[1], 20000, 1e-3);
  g_assert_cmpfloat_with_epsilon (v[2], -1, 1e-9);
  g_assert_cmpfloat_with_epsilon (v[3], 1, 1e-9);

  /* Redraws without changes reuse the cached node. */
  guint renders = al_plot_view_get_render_count (AL_PLOT_VIEW (view));
  gtk_widget_queue_draw (view);
  gui_spin (100);
  g_assert_cmpuint (al_plot_view_get_render_count (AL_PLOT_VIEW (view)), ==, renders);

  /* Zoom in x by 2 (in log frequency) about the geometric centre. */
  al_plot_view_zoom (AL_PLOT_VIEW (view), 0.5, TRUE, FALSE);
  gtk_test_widget_wait_for_draw (view);
  gui_spin (50);
  g_assert_cmpuint (al_plot_view_get_render_count (AL_PLOT_VIEW (view)), ==, renders + 1);
  g_assert_true (al_plot_view_get_view (AL_PLOT_VIEW (view), &v[0], &v[1], &v[2], &v[3]));
  g_assert_cmpfloat_with_epsilon (log10 (v[1] / v[0]), 1.5, 1e-6);
  g_assert_cmpfloat_with_epsilon (sqrt (v[0] * v[1]), sqrt (20.0 * 20000), 1e-3);
  g_autofree char *readout = al_plot_view_readout (AL_PLOT_VIEW (view), 0, 0);
  g_assert_null (readout);

  /* Export writes what is shown, in the format of the suffix. */
  g_autofree char *dir = g_dir_make_tmp ("al-plot-XXXXXX", NULL);
  const char *suffix[] = { "png", "svg", "pdf" };
  const char *magic[] = { "\x89PNG", "<?xml", "%PDF" };
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("fig.%s", suffix[i]);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr (GError) error = NULL;
      g_assert_true (al_plot_view_export (AL_PLOT_VIEW (view), path, &error));
      g_assert_no_error (error);
      g_autofree char *data = NULL;
      gsize len = 0;
      g_assert_true (g_file_get_contents (path, &data, &len, NULL));
      g_assert_cmpuint (len, >, 1000);
      g_assert_true (memcmp (data, magic[i], strlen (magic[i])) == 0);
    }
  /* Hidden series stay hidden across new data with the same labels. */
  al_plot_view_set_series_visible (AL_PLOT_VIEW (view), "b", FALSE);
  AlCurvePlot *plot2 = al_curve_plot_new ("Test", "Frequency (Hz)", "y");
  al_curve_plot_add (plot2, "a", x, y, 200);
  al_curve_plot_add (plot2, "b", x, y, 200);
  al_plot_view_set_plot (AL_PLOT_VIEW (view), plot2, labels);
  /* The zoom survives too. */
  gtk_test_widget_wait_for_draw (view);
  gui_spin (50);
  g_assert_true (al_plot_view_get_view (AL_PLOT_VIEW (view), &v[0], &v[1], &v[2], &v[3]));
  g_assert_cmpfloat_with_epsilon (log10 (v[1] / v[0]), 1.5, 1e-6);
  al_plot_view_reset_zoom (AL_PLOT_VIEW (view));
  gtk_test_widget_wait_for_draw (view);
  gui_spin (50);
  g_assert_true (al_plot_view_get_view (AL_PLOT_VIEW (view), &v[0], &v[1], &v[2], &v[3]));
  g_assert_cmpfloat_with_epsilon (v[1], 20000, 1e-3);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_save_reopen (void)
{
  gui_wait (gui_project_ready, win, 60000, "the project");
  AlDesignPage *page = AL_DESIGN_PAGE (al_window_get_page (win, "design"));
  g_autoptr (GError) error = NULL;
  int index = al_design_page_save_to_project (page, &error);
  g_assert_no_error (error);
  g_assert_cmpint (index, ==, 2);
  g_assert_true (al_document_get_modified (doc ()));
  g_assert_true (g_str_has_prefix (al_window_get_title_text (win), "• "));

  guint n = al_document_n_encoders (doc ());
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree double *gains = g_new (double, n);
  g_autofree guint *hashes = g_new (guint, n);
  for (guint i = 0; i < n; i++)
    {
      const AlEncoder *e = al_document_get_encoder (doc (), i);
      g_ptr_array_add (names, g_strdup (al_document_get_encoder_name (doc (), i)));
      gains[i] = e->params.max_gain_db;
      g_autoptr (GBytes) b = g_bytes_new (e->fir, sizeof (float) * e->nsh * e->nmics * e->fir_len);
      hashes[i] = g_bytes_hash (b);
    }
  g_autofree char *dir = g_build_filename (home, "saved project", NULL);
  g_assert_true (al_document_save_as (doc (), dir, FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (al_document_get_modified (doc ()));
  g_assert_false (g_str_has_prefix (al_window_get_title_text (win), "• "));

  /* Replace the project, then open the saved one. */
  gtk_widget_activate_action (GTK_WIDGET (win), "win.new", NULL);
  g_assert_null (al_document_get_atf (doc ()));
  g_assert_cmpuint (al_document_n_encoders (doc ()), ==, 0);
  g_autofree char *error_before = g_strdup (al_window_get_last_error (win));
  al_window_open_project (win, dir);
  gui_wait (gui_project_ready, win, 30000, "the saved project");
  g_assert_cmpstr (al_window_get_last_error (win), ==, error_before);
  g_assert_cmpstr (al_document_get_dir (doc ()), ==, al_project_get_dir (al_document_get_project (doc ())));
  g_assert_cmpuint (al_document_n_encoders (doc ()), ==, n);
  for (guint i = 0; i < n; i++)
    {
      const AlEncoder *e = al_document_get_encoder (doc (), i);
      g_assert_cmpstr (al_document_get_encoder_name (doc (), i), ==, g_ptr_array_index (names, i));
      g_assert_cmpfloat (e->params.max_gain_db, ==, gains[i]);
      g_autoptr (GBytes) b = g_bytes_new (e->fir, sizeof (float) * e->nsh * e->nmics * e->fir_len);
      g_assert_cmpuint (g_bytes_hash (b), ==, hashes[i]);
    }
  /* Recent projects remember it. */
  g_autoptr (GSettings) settings = al_settings_new ();
  g_auto (GStrv) recent = g_settings_get_strv (settings, "recent-projects");
  g_autofree char *canon = g_canonicalize_filename (dir, NULL);
  g_assert_cmpstr (recent[0], ==, canon);
}

static void
test_corrupt_input (void)
{
  gui_wait (gui_project_ready, win, 60000, "the project");
  AlDocument *d = doc ();
  const AlAtfSet *before = al_document_get_atf (d);
  guint n = al_document_n_encoders (d);
  gboolean modified = al_document_get_modified (d);
  g_autofree char *bad = g_build_filename (home, "corrupt.sofa", NULL);
  g_assert_true (g_file_set_contents (bad, "\x89HDF\r\n\x1a\nthis is not a SOFA file", -1, NULL));
  al_window_import_sofa (win, bad);
  g_assert_true (al_window_is_loading (win));
  gui_wait (gui_not_loading, win, 10000, "the import");
  g_assert_nonnull (al_window_get_last_error (win));
  g_assert_nonnull (strstr (al_window_get_last_error (win), "corrupt.sofa"));
  g_assert_true (al_document_get_atf (d) == before);
  g_assert_cmpuint (al_document_n_encoders (d), ==, n);
  g_assert_cmpint (al_document_get_modified (d), ==, modified);

  /* A corrupt project folder is refused the same way. */
  g_autofree char *pdir = g_build_filename (home, "broken project", NULL);
  g_assert_cmpint (g_mkdir_with_parents (pdir, 0755), ==, 0);
  g_autofree char *manifest = g_build_filename (pdir, "project.json", NULL);
  g_assert_true (g_file_set_contents (manifest, "{ \"format\": \"ambilab-project\", ", -1, NULL));
  const char *dir_before = al_document_get_dir (d);
  g_autofree char *dir_copy = g_strdup (dir_before);
  al_window_open_project (win, pdir);
  gui_wait (gui_not_loading, win, 10000, "the open");
  g_assert_nonnull (strstr (al_window_get_last_error (win), "project.json"));
  g_assert_true (al_window_get_document (win) == d);
  g_assert_true (al_document_get_atf (d) == before);
  g_assert_cmpstr (al_document_get_dir (d), ==, dir_copy);
}

static void
close_dialogs (void)
{
  /* Error dialogs from earlier tests would cover the screenshots. */
  GListModel *tops = gtk_window_get_toplevels ();
  for (guint i = g_list_model_get_n_items (tops); i > 0; i--)
    {
      g_autoptr (GtkWindow) w = g_list_model_get_item (tops, i - 1);
      if (ADW_IS_MESSAGE_DIALOG (w))
        gtk_window_destroy (w);
    }
}

static void
test_screenshots (void)
{
  gui_wait (gui_project_ready, win, 60000, "the project");
  close_dialogs ();
  const char *outdir = g_getenv ("AL_SCREENSHOT_DIR");
  if (outdir == NULL)
    outdir = ".";
  guint n;
  const AlPageInfo *pages = al_page_registry_get (&n);
  AlDesignPage *design = AL_DESIGN_PAGE (al_window_get_page (win, "design"));
  for (guint i = 0; i < n; i++)
    {
      gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", pages[i].id);
      if (g_str_equal (pages[i].id, "design"))
        {
          /* The demo's 20 dB design, compared with the kept 12 dB one. */
          AlDesignParams p;
          al_design_page_get_params (design, &p);
          p.max_gain_db = 20;
          p.fir_length = 1024;
          al_design_page_set_params (design, &p);
          DesignWait w = { design, 20, 1024 };
          gui_wait (design_done, &w, 30000, "the design");
        }
      gui_spin (600); /* crossfade and toasts */
      gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
      g_autoptr (GdkTexture) texture = gui_render_window (GTK_WIDGET (win));
      int w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
      g_assert_cmpint (w, >=, 1000);
      g_assert_cmpint (h, >=, 700);
      /* Not a blank window: many distinct colours (plots, text). */
      g_autofree guchar *px = g_malloc ((gsize) w * h * 4);
      gdk_texture_download (texture, px, (gsize) w * 4);
      g_autoptr (GHashTable) colours = g_hash_table_new (NULL, NULL);
      for (int k = 0; k < w * h; k += 7)
        g_hash_table_add (colours, GUINT_TO_POINTER (((guint32 *) px)[k]));
      g_assert_cmpuint (g_hash_table_size (colours), >, 200);
      g_autofree char *name = g_strdup_printf ("screenshot-%s.png", pages[i].id);
      g_autofree char *path = g_build_filename (outdir, name, NULL);
      g_assert_true (gdk_texture_save_to_png (texture, path));
      g_test_message ("screenshot: %s (%d x %d, %u colours)", path, w, h, g_hash_table_size (colours));
    }
  /* The FIR matrix of the same design. */
  al_design_page_show_view (design, "filters");
  gui_spin (600);
  g_autofree char *path = gui_screenshot (GTK_WIDGET (win), "screenshot-design-filters.png");
  g_test_message ("screenshot: %s", path);
  al_design_page_show_view (design, "metrics");
}

/* The normalisation chosen in Preferences is where new designs start. */
static void
test_default_normalisation (void)
{
  g_autoptr (GSettings) settings = al_settings_new ();
  g_assert_cmpint (al_view_default_norm (), ==, AL_SH_SN3D);
  g_settings_set_string (settings, "sh-normalisation", "n3d");
  g_assert_cmpint (al_view_default_norm (), ==, AL_SH_N3D);
  g_settings_set_string (settings, "sh-normalisation", "orthonormal");
  g_assert_cmpint (al_view_default_norm (), ==, AL_SH_ORTHONORMAL);
  g_settings_reset (settings, "sh-normalisation");
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

  g_test_add_func ("/gui/startup-demo", test_startup_demo);
  g_test_add_func ("/gui/pages", test_pages);
  g_test_add_func ("/gui/figure-matches-cli", test_figure_matches_cli);
  g_test_add_func ("/gui/design-matches-core", test_design_matches_core);
  g_test_add_func ("/gui/kept-designs-distinguishable", test_kept_designs_distinguishable);
  g_test_add_func ("/gui/fir-matrix", test_fir_matrix);
  g_test_add_func ("/gui/sphere-size", test_sphere_size);
  g_test_add_func ("/gui/design-debounce-cancel", test_cancel);
  g_test_add_func ("/gui/array-page", test_array_page);
  g_test_add_func ("/gui/plot-view", test_plot_view);
  g_test_add_func ("/gui/screenshots", test_screenshots);
  g_test_add_func ("/gui/corrupt-input", test_corrupt_input);
  g_test_add_func ("/gui/save-reopen", test_save_reopen);
  g_test_add_func ("/gui/unsaved-changes", test_unsaved_changes);
  g_test_add_func ("/gui/default-normalisation", test_default_normalisation);
  int status = g_test_run ();
  gui_exit_watchdog (status);
  gtk_window_destroy (GTK_WINDOW (win));
  gui_spin (50);
  g_object_unref (app);
  return status;
}
