/* al-measure-page.c — measurement sessions from the studio.  The form
 * builds the URIs and specs `ambilab-cli measure` takes; al_session_open
 * and al_session_run run in a GTask worker, which shares its progress, the
 * last direction's IR preview and the QC verdict with the page under a
 * mutex (a 100 ms tick shows them).  Re-mount and manual-turntable prompts
 * are marshalled to the main thread as AdwMessageDialogs; the worker waits
 * for the answer on a GCond and gives up when the run is cancelled.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "al-measure-page.h"
#include "al-plot-view.h"
#include "al-sphere-view.h"
#include "al-view-util.h"

#define PREVIEW_MICS 8
#define SIM_ROW 0

struct _AlMeasurePage {
  AlDocumentView parent_instance;
  gulong changed_id;

  AlMeasureState state;
  GCancellable *cancellable;   /* the session worker */
  GCancellable *aux_cancellable; /* level check / turntable test */
  gboolean abort_requested;
  gboolean importing;
  gboolean devices_listed;
  gboolean disposed;           /* template children gone: workers' results are dropped */
  guint tick_id;
  AlSessionConfig run_config;  /* of the running or paused session */
  char *run_dir;
  char *chosen_dir;            /* the user's folder, NULL: default */
  char *default_dir;
  char *sofa_path;
  char *truth;                 /* the simulated chamber's ground truth */
  char *error_text;
  char *grid_error, *sweep_error;
  GPtrArray *device_ids;       /* GINT_TO_POINTER (PortAudio index), row 1… */
  GPtrArray *meter_bars, *meter_values;
  char *mics_pos_path;         /* the advanced settings' mic positions file, NULL: none */
  int n_coverage;              /* markers on the coverage view */

  /* Shared with the workers. */
  GMutex lock;
  double fraction;
  int done, total, index;
  double az, el, eta;
  guint preview_gen, shown_preview_gen;
  int preview_n, preview_len, preview_nbins;
  double preview_fs;
  double *preview_t, *preview_ir;       /* preview_len; preview_n x preview_len */
  double *preview_f, *preview_db;       /* preview_len/2; preview_n x preview_len/2 */
  guint qc_gen, shown_qc_gen;
  AlQcVerdict qc_verdict;
  char *qc_text;
  guint meter_gen, shown_meter_gen;
  int meter_n, meter_ref;
  double *meter_peak, *meter_max;

  GtkWidget *device_row, *mics_row, *ref_row, *out_row, *rate_row;
  GtkWidget *audio_uri_label, *meters_grid;
  GtkWidget *turntable_row, *turntable_label;
  GtkWidget *grid_row, *grid_label, *sweep_row, *sweep_label;
  GtkWidget *folder_row;
  GtkWidget *coverage_view;
  GtkWidget *advanced_row, *retries_spin, *ir_len_spin, *ir_start_spin, *settle_spin, *mics_pos_row;
  GtkWidget *status_label, *progress_bar, *direction_label, *eta_label, *qc_label;
  GtkWidget *start_button, *pause_button, *resume_button, *abort_button;
  GtkWidget *error_revealer, *error_label;
  GtkWidget *ir_view, *spectrum_view;
};

G_DEFINE_FINAL_TYPE (AlMeasurePage, al_measure_page, AL_TYPE_DOCUMENT_VIEW)

enum { FINISHED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void update_actions (AlMeasurePage *self);

/* ---- small helpers ---- */

static const char *
entry_text (GtkWidget *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
set_status (AlMeasurePage *self, const char *text)
{
  gtk_label_set_text (GTK_LABEL (self->status_label), text);
}

static void
show_error (AlMeasurePage *self, const char *message)
{
  g_free (self->error_text);
  self->error_text = g_strdup (message);
  gtk_label_set_text (GTK_LABEL (self->error_label), message != NULL ? message : "");
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->error_revealer), message != NULL);
}

static gboolean
is_simulated (AlMeasurePage *self)
{
  return adw_combo_row_get_selected (ADW_COMBO_ROW (self->device_row)) == SIM_ROW;
}

/* The project's ATF SOFA file on disk: in its folder, or where it came from. */
static char *
find_truth (AlMeasurePage *self)
{
  AlProject *p = AL_VIEW_DOCUMENT (self) != NULL ? al_document_get_project (AL_VIEW_DOCUMENT (self)) : NULL;
  if (p == NULL || al_project_get_atf (p) == NULL)
    return NULL;
  const char *dir = al_project_get_dir (p), *file = al_project_get_atf_file (p);
  if (dir != NULL && file != NULL)
    {
      char *path = g_build_filename (dir, file, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return path;
      g_free (path);
    }
  const char *origin = al_project_get_atf_origin (p);
  if (origin != NULL && g_file_test (origin, G_FILE_TEST_IS_REGULAR))
    return g_strdup (origin);
  return NULL;
}

char *
al_measure_page_get_audio_uri (AlMeasurePage *self)
{
  if (is_simulated (self))
    {
      const char *truth = self->truth;
      if (truth == NULL)
        return NULL;
      g_autofree char *escaped = g_uri_escape_string (truth, "/", TRUE);
      return g_strdup_printf ("sim:truth=%s&noise=-80&latency=257", escaped);
    }
  guint row = adw_combo_row_get_selected (ADW_COMBO_ROW (self->device_row));
  if (row == GTK_INVALID_LIST_POSITION || row == 0 || row > self->device_ids->len)
    return NULL;
  int dev = GPOINTER_TO_INT (g_ptr_array_index (self->device_ids, row - 1));
  GtkStringObject *rate = adw_combo_row_get_selected_item (ADW_COMBO_ROW (self->rate_row));
  g_autoptr (GString) uri = g_string_new (NULL);
  g_string_append_printf (uri, "portaudio:%d?in=%s", dev, entry_text (self->mics_row));
  if (*entry_text (self->ref_row) != '\0')
    g_string_append_printf (uri, "&ref=%s", entry_text (self->ref_row));
  g_string_append_printf (uri, "&out=%s&rate=%s", entry_text (self->out_row),
                          rate != NULL ? gtk_string_object_get_string (rate) : "48000");
  return g_string_free (g_steal_pointer (&uri), FALSE);
}

void
al_measure_page_get_config (AlMeasurePage *self, AlSessionConfig *config)
{
  al_session_config_init (config);
  config->audio_uri = al_measure_page_get_audio_uri (self);
  config->turntable_uri = g_strdup (entry_text (self->turntable_row));
  config->grid_spec = g_strdup (entry_text (self->grid_row));
  config->sweep_spec = g_strdup (entry_text (self->sweep_row));
  config->mics_pos_path = g_strdup (self->mics_pos_path);
  config->retries = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->retries_spin));
  config->ir_len = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->ir_len_spin));
  config->ir_start = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->ir_start_spin));
  config->settle_ms = (guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->settle_spin));
}

/* ---- advanced settings ---- */

static void
set_spin (GtkWidget *spin, int value)
{
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
}

void
al_measure_page_set_retries (AlMeasurePage *self, int retries)
{
  set_spin (self->retries_spin, retries);
}

void
al_measure_page_set_ir_window (AlMeasurePage *self, int start, int length)
{
  set_spin (self->ir_start_spin, start);
  set_spin (self->ir_len_spin, length);
}

void
al_measure_page_set_settle_ms (AlMeasurePage *self, guint settle_ms)
{
  set_spin (self->settle_spin, (int) MIN (settle_ms, (guint) G_MAXINT));
}

void
al_measure_page_set_mic_positions_file (AlMeasurePage *self, const char *path)
{
  g_free (self->mics_pos_path);
  self->mics_pos_path = g_strdup (path != NULL && *path != '\0' ? path : NULL);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->mics_pos_row),
                               self->mics_pos_path != NULL ? self->mics_pos_path
                                                           : _("None: the mic positions are left at zero"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "measure.clear-mic-positions", self->mics_pos_path != NULL);
}

const char *
al_measure_page_get_mic_positions_file (AlMeasurePage *self)
{
  return self->mics_pos_path;
}

/* The defaults of al_session_config_init. */
static void
reset_advanced (AlMeasurePage *self)
{
  AlSessionConfig c;
  al_session_config_init (&c);
  al_measure_page_set_retries (self, c.retries);
  al_measure_page_set_ir_window (self, c.ir_start, c.ir_len);
  al_measure_page_set_settle_ms (self, c.settle_ms);
  al_measure_page_set_mic_positions_file (self, c.mics_pos_path);
  al_session_config_clear (&c);
}

static void
copy_config (AlSessionConfig *to, const AlSessionConfig *from)
{
  *to = *from;
  to->audio_uri = g_strdup (from->audio_uri);
  to->turntable_uri = g_strdup (from->turntable_uri);
  to->grid_spec = g_strdup (from->grid_spec);
  to->sweep_spec = g_strdup (from->sweep_spec);
  to->mics_pos_path = g_strdup (from->mics_pos_path);
}

/* ---- validation ---- */

static void
set_field_message (GtkWidget *row, GtkWidget *label, const char *error, const char *info)
{
  gtk_label_set_text (GTK_LABEL (label), error != NULL ? error : info);
  if (error != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_widget_add_css_class (label, "error");
      gtk_widget_remove_css_class (label, "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_widget_remove_css_class (label, "error");
      gtk_widget_add_css_class (label, "dim-label");
    }
}

/* The grid's directions as markers on a sphere map, coloured by their
 * order in the grid; nothing shown for an invalid spec. */
static void
update_coverage (AlMeasurePage *self, const AlSessionGrid *grid)
{
  if (grid == NULL || grid->n <= 0)
    {
      self->n_coverage = 0;
      al_sphere_view_set_map (AL_SPHERE_VIEW (self->coverage_view), NULL);
      gtk_widget_set_visible (self->coverage_view, FALSE);
      return;
    }
  g_autofree double *dirs = g_new (double, 2 * (gsize) grid->n);
  g_autofree double *order = g_new (double, grid->n);
  for (int i = 0; i < grid->n; i++)
    {
      dirs[2 * i] = grid->azimuth_deg[i] * G_PI / 180;
      dirs[2 * i + 1] = grid->elevation_deg[i] * G_PI / 180;
      order[i] = i + 1;
    }
  AlSphereMap *map = al_sphere_map_new (_("Grid coverage"), _("order"), dirs, order, grid->n);
  al_sphere_map_add_markers (map, dirs, grid->n, NULL);
  al_sphere_view_set_map (AL_SPHERE_VIEW (self->coverage_view), map);
  self->n_coverage = grid->n;
  gtk_widget_set_visible (self->coverage_view, TRUE);
}

static void
validate (AlMeasurePage *self)
{
  g_autoptr (GError) error = NULL;
  g_clear_pointer (&self->grid_error, g_free);
  g_autoptr (AlSessionGrid) grid = al_session_grid_parse (entry_text (self->grid_row), &error);
  g_autofree char *grid_info = NULL;
  if (grid == NULL)
    self->grid_error = g_strdup (error->message);
  else
    grid_info = g_strdup_printf (ngettext ("%d direction", "%d directions", grid->n), grid->n);
  set_field_message (self->grid_row, self->grid_label, self->grid_error, grid_info);
  update_coverage (self, grid);

  g_clear_error (&error);
  g_clear_pointer (&self->sweep_error, g_free);
  AlSweepParams sp;
  al_sweep_params_init (&sp);
  g_autofree char *sweep_info = NULL;
  if (!al_sweep_params_parse (entry_text (self->sweep_row), &sp, &error) || !al_sweep_params_check (&sp, &error))
    self->sweep_error = g_strdup (error->message);
  else
    {
      g_autoptr (AlSweep) sweep = al_sweep_new (&sp, NULL);
      if (sweep != NULL)
        sweep_info = g_strdup_printf (_("%.1f s per direction with the silences, %g–%g Hz at %.0f Hz"),
                                      sweep->n_total / sp.fs, sp.f1, sp.f2, sp.fs);
    }
  set_field_message (self->sweep_row, self->sweep_label, self->sweep_error, sweep_info);

  gboolean sim = is_simulated (self);
  gtk_widget_set_sensitive (self->mics_row, !sim);
  gtk_widget_set_sensitive (self->ref_row, !sim);
  gtk_widget_set_sensitive (self->out_row, !sim);
  gtk_widget_set_sensitive (self->rate_row, !sim);
  g_autofree char *uri = al_measure_page_get_audio_uri (self);
  gtk_label_set_text (GTK_LABEL (self->audio_uri_label),
                      uri != NULL ? uri : _("The simulated chamber needs the project's transfer functions."));
  update_actions (self);
}

const char *
al_measure_page_get_grid_error (AlMeasurePage *self)
{
  return self->grid_error;
}

const char *
al_measure_page_get_sweep_error (AlMeasurePage *self)
{
  return self->sweep_error;
}

int
al_measure_page_get_n_coverage_markers (AlMeasurePage *self)
{
  return self->n_coverage;
}

static gboolean
aux_busy (AlMeasurePage *self)
{
  return self->aux_cancellable != NULL;
}

gboolean
al_measure_page_can_measure (AlMeasurePage *self)
{
  g_autofree char *uri = al_measure_page_get_audio_uri (self);
  return self->state == AL_MEASURE_IDLE && !aux_busy (self) && !self->importing && self->grid_error == NULL
         && self->sweep_error == NULL && uri != NULL && *entry_text (self->turntable_row) != '\0';
}

static void
update_actions (AlMeasurePage *self)
{
  GtkWidget *w = GTK_WIDGET (self);
  gboolean running = self->state == AL_MEASURE_RUNNING, paused = self->state == AL_MEASURE_PAUSED;
  gtk_widget_action_set_enabled (w, "measure.start", al_measure_page_can_measure (self));
  gtk_widget_action_set_enabled (w, "measure.pause", running);
  gtk_widget_action_set_enabled (w, "measure.resume", paused && !aux_busy (self) && self->cancellable == NULL);
  gtk_widget_action_set_enabled (w, "measure.abort", running || paused);
  gtk_widget_action_set_enabled (w, "measure.level-check", self->state == AL_MEASURE_IDLE && !aux_busy (self));
  gtk_widget_action_set_enabled (w, "measure.test-turntable", self->state == AL_MEASURE_IDLE && !aux_busy (self));
  gtk_widget_set_visible (self->start_button, !running && !paused);
  gtk_widget_set_visible (self->pause_button, running);
  gtk_widget_set_visible (self->resume_button, paused);
  gtk_widget_set_visible (self->abort_button, running || paused);
  gtk_widget_set_sensitive (self->device_row, self->state == AL_MEASURE_IDLE);
  gtk_widget_set_sensitive (self->advanced_row, self->state == AL_MEASURE_IDLE);
  gtk_widget_set_visible (self->progress_bar, running || paused || self->sofa_path != NULL);
}

/* ---- session folder ---- */

static void
update_folder (AlMeasurePage *self)
{
  g_clear_pointer (&self->default_dir, g_free);
  const char *pdir = AL_VIEW_DOCUMENT (self) != NULL ? al_document_get_dir (AL_VIEW_DOCUMENT (self)) : NULL;
  g_autofree char *base = pdir != NULL ? g_build_filename (pdir, "measurements", NULL)
                                       : g_build_filename (g_get_home_dir (), "Ambilab measurements", NULL);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  for (int k = 1; k < 1000; k++)
    {
      g_autofree char *name = k == 1 ? g_strdup (date) : g_strdup_printf ("%s-%d", date, k);
      g_autofree char *dir = g_build_filename (base, name, NULL);
      g_autofree char *json = g_build_filename (dir, "session.json", NULL);
      if (!g_file_test (json, G_FILE_TEST_EXISTS))
        {
          self->default_dir = g_steal_pointer (&dir);
          break;
        }
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->folder_row), al_measure_page_get_session_dir (self));
}

const char *
al_measure_page_get_session_dir (AlMeasurePage *self)
{
  return self->chosen_dir != NULL ? self->chosen_dir : self->default_dir;
}

void
al_measure_page_set_session_dir (AlMeasurePage *self, const char *dir)
{
  g_free (self->chosen_dir);
  self->chosen_dir = g_strdup (dir);
  update_folder (self);
}

/* ---- the tick: worker state to widgets ---- */

static void
show_preview (AlMeasurePage *self)
{
  /* Under the lock. */
  if (self->preview_n == 0)
    return;
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  AlCurvePlot *ir = al_curve_plot_new (_("Impulse response of the last direction"), _("Time re latency (ms)"),
                                       _("Amplitude"));
  al_curve_plot_set_log_x (ir, FALSE);
  int nb = self->preview_len / 2;
  AlCurvePlot *sp = al_curve_plot_new (_("Magnitude response of the last direction"), _("Frequency (Hz)"),
                                       _("Level (dB)"));
  for (int m = 0; m < self->preview_n; m++)
    {
      char *label = g_strdup_printf (_("Mic %d"), m + 1);
      al_curve_plot_add (ir, label, self->preview_t, self->preview_ir + (size_t) m * self->preview_len,
                         self->preview_len);
      al_curve_plot_add (sp, label, self->preview_f, self->preview_db + (size_t) m * nb, self->preview_nbins);
      g_ptr_array_add (labels, label);
    }
  g_ptr_array_add (labels, NULL);
  al_plot_view_set_home (AL_PLOT_VIEW (self->ir_view), self->preview_t[0], self->preview_t[self->preview_len - 1], 0,
                         0);
  al_plot_view_reset_zoom (AL_PLOT_VIEW (self->ir_view));
  al_plot_view_set_plot (AL_PLOT_VIEW (self->ir_view), ir, (const char *const *) labels->pdata);
  al_plot_view_set_home (AL_PLOT_VIEW (self->spectrum_view), MAX (20.0, self->preview_f[0]),
                         self->preview_f[self->preview_nbins - 1], 0, 0);
  al_plot_view_reset_zoom (AL_PLOT_VIEW (self->spectrum_view));
  al_plot_view_set_plot (AL_PLOT_VIEW (self->spectrum_view), sp, (const char *const *) labels->pdata);
}

static void
show_meters (AlMeasurePage *self)
{
  /* Under the lock. */
  if ((int) self->meter_bars->len != self->meter_n)
    {
      GtkWidget *c;
      while ((c = gtk_widget_get_first_child (self->meters_grid)) != NULL)
        gtk_grid_remove (GTK_GRID (self->meters_grid), c);
      g_ptr_array_set_size (self->meter_bars, 0);
      g_ptr_array_set_size (self->meter_values, 0);
      for (int ch = 0; ch < self->meter_n; ch++)
        {
          g_autofree char *name = ch == self->meter_ref ? g_strdup (_("Ref"))
                                                        : g_strdup_printf (_("Mic %d"), ch + 1);
          GtkWidget *l = gtk_label_new (name);
          gtk_label_set_xalign (GTK_LABEL (l), 0);
          gtk_widget_add_css_class (l, "caption");
          GtkWidget *bar = gtk_level_bar_new_for_interval (0, 60);
          gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW, 30);
          gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH, 54);
          gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL, 60);
          gtk_widget_set_hexpand (bar, TRUE);
          gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
          GtkWidget *v = gtk_label_new (NULL);
          gtk_label_set_xalign (GTK_LABEL (v), 1);
          gtk_label_set_width_chars (GTK_LABEL (v), 9);
          gtk_widget_add_css_class (v, "caption");
          gtk_widget_add_css_class (v, "numeric");
          gtk_grid_attach (GTK_GRID (self->meters_grid), l, 0, ch, 1, 1);
          gtk_grid_attach (GTK_GRID (self->meters_grid), bar, 1, ch, 1, 1);
          gtk_grid_attach (GTK_GRID (self->meters_grid), v, 2, ch, 1, 1);
          g_ptr_array_add (self->meter_bars, bar);
          g_ptr_array_add (self->meter_values, v);
        }
    }
  gtk_widget_set_visible (self->meters_grid, self->meter_n > 0);
  for (int ch = 0; ch < self->meter_n; ch++)
    {
      double peak = self->meter_peak[ch];
      gtk_level_bar_set_value (g_ptr_array_index (self->meter_bars, ch), CLAMP (peak + 60, 0, 60));
      g_autofree char *text = isfinite (self->meter_max[ch]) ? g_strdup_printf (_("%.1f dBFS"), self->meter_max[ch])
                                                             : g_strdup ("–");
      gtk_label_set_text (g_ptr_array_index (self->meter_values, ch), text);
    }
}

static gboolean
tick (gpointer data)
{
  AlMeasurePage *self = data;
  g_mutex_lock (&self->lock);
  if (self->state == AL_MEASURE_RUNNING || self->state == AL_MEASURE_PAUSED)
    {
      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), self->fraction);
      g_autofree char *text = g_strdup_printf (_("%d of %d measurements"), self->done, self->total);
      gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress_bar), self->total > 0 ? text : NULL);
      if (self->index >= 0 && self->state == AL_MEASURE_RUNNING)
        {
          g_autofree char *dir = g_strdup_printf (_("Direction %d: azimuth %.1f°, elevation %.1f°"), self->index,
                                                  self->az, self->el);
          gtk_label_set_text (GTK_LABEL (self->direction_label), dir);
        }
      if (isfinite (self->eta) && self->state == AL_MEASURE_RUNNING)
        {
          int s = (int) lround (self->eta);
          g_autofree char *eta = g_strdup_printf (_("%d:%02d:%02d left"), s / 3600, s / 60 % 60, s % 60);
          gtk_label_set_text (GTK_LABEL (self->eta_label), eta);
        }
      else
        gtk_label_set_text (GTK_LABEL (self->eta_label), "");
    }
  if (self->preview_gen != self->shown_preview_gen)
    {
      self->shown_preview_gen = self->preview_gen;
      show_preview (self);
    }
  if (self->qc_gen != self->shown_qc_gen)
    {
      self->shown_qc_gen = self->qc_gen;
      const char *verdict = self->qc_verdict == AL_QC_PASS ? _("QC pass")
                            : self->qc_verdict == AL_QC_WARN ? _("QC warning")
                                                             : _("QC failed (flagged)");
      g_autofree char *text = self->qc_text != NULL && *self->qc_text ? g_strdup_printf ("%s: %s", verdict, self->qc_text)
                                                                      : g_strdup (verdict);
      gtk_label_set_text (GTK_LABEL (self->qc_label), text);
      gtk_widget_remove_css_class (self->qc_label, "success");
      gtk_widget_remove_css_class (self->qc_label, "warning");
      gtk_widget_remove_css_class (self->qc_label, "error");
      gtk_widget_add_css_class (self->qc_label, self->qc_verdict == AL_QC_PASS   ? "success"
                                                : self->qc_verdict == AL_QC_WARN ? "warning"
                                                                                 : "error");
    }
  if (self->meter_gen != self->shown_meter_gen)
    {
      self->shown_meter_gen = self->meter_gen;
      show_meters (self);
    }
  g_mutex_unlock (&self->lock);
  return G_SOURCE_CONTINUE;
}

static void
start_tick (AlMeasurePage *self)
{
  if (self->tick_id == 0)
    self->tick_id = g_timeout_add (100, tick, self);
}

static void
stop_tick (AlMeasurePage *self)
{
  tick (self);
  if (self->cancellable == NULL && self->aux_cancellable == NULL)
    g_clear_handle_id (&self->tick_id, g_source_remove);
}

/* ---- prompts: from the worker to a dialog and back ---- */

typedef struct {
  GMutex lock;
  GCond cond;
  int answer;           /* 0 pending, 1 continue, 2 stop */
  gboolean abandoned;   /* the worker stopped waiting */
  AlMeasurePage *page;  /* kept alive by the task */
  GtkWidget *dialog;    /* main thread only */
  char *heading, *body;
} Prompt;

static void
prompt_clear (gpointer data)
{
  Prompt *p = data;
  g_mutex_clear (&p->lock);
  g_cond_clear (&p->cond);
  g_free (p->heading);
  g_free (p->body);
}

static void
prompt_unref (gpointer p)
{
  g_atomic_rc_box_release_full (p, prompt_clear);
}

static void
prompt_response (AdwMessageDialog *dialog, const char *response, gpointer data)
{
  Prompt *p = data;
  p->dialog = NULL;
  g_mutex_lock (&p->lock);
  if (p->answer == 0) /* closing after an answer sends the close response too */
    p->answer = g_strcmp0 (response, "continue") == 0 ? 1 : 2;
  g_cond_signal (&p->cond);
  g_mutex_unlock (&p->lock);
}

static gboolean
prompt_show (gpointer data)
{
  Prompt *p = data;
  g_mutex_lock (&p->lock);
  gboolean abandoned = p->abandoned;
  g_mutex_unlock (&p->lock);
  if (abandoned || p->page->disposed)
    {
      /* Nobody to ask: the run stops. */
      g_mutex_lock (&p->lock);
      p->answer = p->answer == 0 ? 2 : p->answer;
      g_cond_signal (&p->cond);
      g_mutex_unlock (&p->lock);
      return G_SOURCE_REMOVE;
    }
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (p->page));
  GtkWidget *d = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, p->heading, p->body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (d), "stop", _("_Pause Session"), "continue", _("_Done"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (d), "continue", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (d), "continue");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (d), "stop");
  g_signal_connect_data (d, "response", G_CALLBACK (prompt_response), g_atomic_rc_box_acquire (p),
                         (GClosureNotify) (void (*) (void)) prompt_unref, 0);
  p->dialog = d;
  gtk_window_present (GTK_WINDOW (d));
  return G_SOURCE_REMOVE;
}

static gboolean
prompt_close (gpointer data)
{
  Prompt *p = data;
  if (p->dialog != NULL)
    {
      GtkWidget *d = p->dialog;
      p->dialog = NULL;
      gtk_window_destroy (GTK_WINDOW (d));
    }
  return G_SOURCE_REMOVE;
}

/* In the worker: TRUE when the user confirmed. */
static gboolean
ask_user (AlMeasurePage *page, GCancellable *cancellable, const char *heading, const char *body)
{
  Prompt *p = g_atomic_rc_box_new0 (Prompt);
  g_mutex_init (&p->lock);
  g_cond_init (&p->cond);
  p->page = page;
  p->heading = g_strdup (heading);
  p->body = g_strdup (body);
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, prompt_show, g_atomic_rc_box_acquire (p), prompt_unref);
  g_mutex_lock (&p->lock);
  while (p->answer == 0)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          p->abandoned = TRUE;
          break;
        }
      g_cond_wait_until (&p->cond, &p->lock, g_get_monotonic_time () + 100 * G_TIME_SPAN_MILLISECOND);
    }
  gboolean yes = p->answer == 1, abandoned = p->abandoned;
  g_mutex_unlock (&p->lock);
  if (abandoned)
    g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, prompt_close, g_atomic_rc_box_acquire (p), prompt_unref);
  prompt_unref (p);
  return yes;
}

/* ---- the session worker ---- */

typedef struct {
  AlMeasurePage *page;
  AlSessionConfig config;
  char *dir;
  gboolean resume;
  gboolean opened;
  int done, total;
  GCancellable *cancellable;
  AlSession *session;
  AlDeconvolver *deconv;
} Job;

static void
job_free (Job *job)
{
  al_session_config_clear (&job->config);
  g_free (job->dir);
  g_clear_pointer (&job->deconv, al_deconvolver_free);
  g_free (job);
}

static gboolean
remount_func (const AlSessionRemount *r, gpointer data)
{
  Job *job = data;
  g_autofree char *body = g_strdup_printf (_("Mount the array for elevation %.0f° (ring %d of %d) and confirm."),
                                           r->elevation_deg, r->ring + 1, r->nrings);
  return ask_user (job->page, job->cancellable, _("Re-mount the Array"), body);
}

static gboolean
confirm_func (const AlTurntablePrompt *prompt, double *reading, gpointer data)
{
  Job *job = data;
  g_autofree char *body = prompt->home ? g_strdup (_("Set the turntable to its 0° mark and confirm."))
                                       : g_strdup_printf (_("Turn the turntable to %.1f° and confirm."),
                                                          prompt->target_deg);
  return ask_user (job->page, job->cancellable, _("Turn the Turntable"), body);
}

static void
progress_func (const AlSessionProgress *p, gpointer data)
{
  Job *job = data;
  AlMeasurePage *self = job->page;
  /* The direction just journalled: its QC verdict. */
  const AlSessionEntry *e = NULL;
  if (p->done > job->done && job->session != NULL)
    {
      int last = -1;
      g_mutex_lock (&self->lock);
      last = self->index;
      g_mutex_unlock (&self->lock);
      if (last >= 0)
        e = al_session_get_entry (job->session, last);
    }
  job->done = p->done;
  job->total = p->total;
  g_mutex_lock (&self->lock);
  self->fraction = p->fraction;
  self->done = p->done;
  self->total = p->total;
  self->index = p->index;
  self->az = p->azimuth_deg;
  self->el = p->elevation_deg;
  self->eta = p->eta_s;
  if (e != NULL)
    {
      g_autoptr (GString) s = g_string_new (NULL);
      for (guint i = 0; e->messages != NULL && i < e->messages->len; i++)
        g_string_append_printf (s, "%s%s", i > 0 ? "; " : "", (char *) g_ptr_array_index (e->messages, i));
      g_free (self->qc_text);
      self->qc_text = g_string_free (g_steal_pointer (&s), FALSE);
      self->qc_verdict = e->flagged ? AL_QC_FAIL : e->verdict;
      self->qc_gen++;
    }
  g_mutex_unlock (&self->lock);
}

/* Each recording: a quick deconvolution of the mics against the loopback
 * for the preview (the session keeps its own, windowed IRs). */
static gboolean
record_func (int index, int attempt, AlRecording *rec, gpointer data, GError **error)
{
  Job *job = data;
  AlMeasurePage *self = job->page;
  if (rec->nchannels < 2)
    return TRUE;
  if (job->deconv == NULL)
    {
      AlDeconvParams dp;
      al_deconv_params_init (&dp);
      job->deconv = al_deconvolver_new (al_session_get_sweep (job->session), &dp, rec->nframes, NULL);
      if (job->deconv == NULL)
        return TRUE;
    }
  if (al_deconvolver_rec_len (job->deconv) != rec->nframes)
    return TRUE;
  const int nm = MIN (rec->nchannels - 1, PREVIEW_MICS), ref = rec->nchannels - 1;
  const int L = job->config.ir_len > 0 ? job->config.ir_len : 512, start = job->config.ir_start, nb = L / 2;
  g_autoptr (AlRawIr) rraw = al_deconvolver_run (job->deconv, al_recording_channel (rec, ref));
  int lat = 0;
  double best = -1;
  for (int k = rraw->zero; k < rraw->len; k++)
    if (fabs (rraw->h[k]) > best)
      {
        best = fabs (rraw->h[k]);
        lat = k - rraw->zero;
      }
  double *t = g_new (double, L), *ir = g_new0 (double, (size_t) nm * L);
  double *f = g_new (double, nb), *db = g_new (double, (size_t) nm * nb);
  for (int k = 0; k < L; k++)
    t[k] = 1000.0 * (start + k) / rec->fs;
  for (int b = 0; b < nb; b++)
    f[b] = (b + 1) * rec->fs / L;
  /* The band a sweep covers at most: the last bins only show the anti-alias roll-off. */
  int nshow = 0;
  while (nshow < nb && f[nshow] <= 20000.0)
    nshow++;
  for (int m = 0; m < nm; m++)
    {
      g_autoptr (AlRawIr) raw = al_deconvolver_run (job->deconv, al_recording_channel (rec, m));
      double *h = ir + (size_t) m * L;
      for (int k = 0; k < L; k++)
        {
          int j = raw->zero + lat + start + k;
          h[k] = j >= 0 && j < raw->len ? raw->h[j] : 0.0;
        }
      for (int b = 0; b < nb; b++)
        {
          double re = 0, im = 0, w = 2 * G_PI * (b + 1) / L;
          for (int k = 0; k < L; k++)
            {
              re += h[k] * cos (w * k);
              im -= h[k] * sin (w * k);
            }
          db[(size_t) m * nb + b] = 10 * log10 (re * re + im * im + 1e-20);
        }
    }
  g_mutex_lock (&self->lock);
  g_free (self->preview_t);
  g_free (self->preview_ir);
  g_free (self->preview_f);
  g_free (self->preview_db);
  self->preview_t = t;
  self->preview_ir = ir;
  self->preview_f = f;
  self->preview_db = db;
  self->preview_n = nm;
  self->preview_len = L;
  self->preview_nbins = MAX (nshow, 2);
  self->preview_fs = rec->fs;
  self->preview_gen++;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static void
session_worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  AlSession *s = al_session_open (job->dir, &job->config, job->resume, &error);
  if (s == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  job->opened = TRUE;
  job->session = s;
  job->done = al_session_get_n_done (s);
  job->total = al_session_get_n_directions (s) + 1;
  al_session_set_remount_func (s, remount_func, job);
  al_turntable_set_confirm_func (al_session_get_turntable (s), confirm_func, job, NULL);
  al_session_set_progress_func (s, progress_func, job);
  al_session_set_record_func (s, record_func, job);
  gboolean ok = al_session_run (s, cancellable, &error);
  char *path = NULL;
  if (ok)
    {
      g_autofree char *base = g_path_get_basename (job->dir);
      g_autofree char *name = g_strconcat (base, ".sofa", NULL);
      path = g_build_filename (job->dir, name, NULL);
      if (!al_session_write_sofa (s, path, &error))
        g_clear_pointer (&path, g_free);
    }
  job->done = al_session_get_n_done (s);
  job->session = NULL;
  al_session_free (s);
  if (path != NULL)
    g_task_return_pointer (task, path, g_free);
  else
    g_task_return_error (task, error);
}

static void
import_done (GObject *source, GAsyncResult *result, gpointer data)
{
  AlMeasurePage *self = data;
  g_autoptr (GError) error = NULL;
  gboolean ok = al_document_import_sofa_finish (AL_DOCUMENT (source), result, &error);
  self->importing = FALSE;
  if (self->disposed)
    {
      g_object_unref (self);
      return;
    }
  if (!ok)
    show_error (self, error->message);
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-page", "s", "array");
  update_actions (self);
  g_signal_emit (self, signals[FINISHED], 0);
  g_object_unref (self);
}

static void
session_done (GObject *source, GAsyncResult *result, gpointer data)
{
  AlMeasurePage *self = AL_MEASURE_PAGE (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  char *path = g_task_propagate_pointer (G_TASK (result), &error);
  g_clear_object (&self->cancellable);
  if (self->disposed)
    {
      g_free (path);
      return;
    }
  g_mutex_lock (&self->lock);
  self->done = job->done;
  self->index = -1;
  g_mutex_unlock (&self->lock);
  if (path != NULL)
    {
      self->state = AL_MEASURE_IDLE;
      g_free (self->sofa_path);
      self->sofa_path = path;
      stop_tick (self);
      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), 1.0);
      gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress_bar), NULL);
      g_autofree char *msg = g_strdup_printf (ngettext ("Measurement finished: %d direction",
                                                        "Measurement finished: %d directions", job->done),
                                              job->done);
      set_status (self, msg);
      gtk_label_set_text (GTK_LABEL (self->direction_label), "");
      gtk_label_set_text (GTK_LABEL (self->eta_label), "");
      gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", msg);
      update_folder (self);
      self->importing = TRUE;
      al_document_import_sofa_async (AL_VIEW_DOCUMENT (self), path, NULL, import_done, g_object_ref (self));
      update_actions (self);
      return;
    }
  gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  if (self->abort_requested || !job->opened)
    {
      self->state = AL_MEASURE_IDLE;
      if (self->abort_requested)
        {
          g_autofree char *msg = g_strdup_printf (_("Measurement aborted; the folder keeps %d directions"), job->done);
          set_status (self, msg);
        }
      else
        {
          show_error (self, error->message);
          set_status (self, _("The session could not start"));
        }
      self->abort_requested = FALSE;
      update_folder (self);
    }
  else
    {
      self->state = AL_MEASURE_PAUSED;
      if (!cancelled)
        show_error (self, error->message);
      g_autofree char *msg = g_strdup_printf (_("Paused with %d of %d directions kept"), job->done,
                                              MAX (job->total - 1, job->done));
      set_status (self, msg);
    }
  stop_tick (self);
  update_actions (self);
  g_signal_emit (self, signals[FINISHED], 0);
}

static void
run_session (AlMeasurePage *self, gboolean resume)
{
  Job *job = g_new0 (Job, 1);
  job->page = self;
  copy_config (&job->config, &self->run_config);
  job->dir = g_strdup (self->run_dir);
  job->resume = resume;
  self->cancellable = g_cancellable_new ();
  job->cancellable = self->cancellable;
  self->state = AL_MEASURE_RUNNING;
  self->abort_requested = FALSE;
  show_error (self, NULL);
  set_status (self, resume ? _("Resuming the session…") : _("Measuring…"));
  GTask *task = g_task_new (self, self->cancellable, session_done, NULL);
  g_task_set_source_tag (task, run_session);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  update_actions (self);
  start_tick (self);
  g_task_run_in_thread (task, session_worker);
  g_object_unref (task);
}

void
al_measure_page_start (AlMeasurePage *self)
{
  if (!al_measure_page_can_measure (self))
    return;
  al_session_config_clear (&self->run_config);
  al_measure_page_get_config (self, &self->run_config);
  g_free (self->run_dir);
  self->run_dir = g_strdup (al_measure_page_get_session_dir (self));
  g_mutex_lock (&self->lock);
  self->fraction = 0;
  self->done = 0;
  self->total = 0;
  self->index = -1;
  self->eta = NAN;
  g_mutex_unlock (&self->lock);
  gtk_label_set_text (GTK_LABEL (self->qc_label), "");
  run_session (self, FALSE);
}

void
al_measure_page_pause (AlMeasurePage *self)
{
  if (self->state == AL_MEASURE_RUNNING && self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      set_status (self, _("Pausing after the current step…"));
    }
}

void
al_measure_page_resume (AlMeasurePage *self)
{
  if (self->state != AL_MEASURE_PAUSED || self->cancellable != NULL || aux_busy (self))
    return;
  run_session (self, TRUE);
}

void
al_measure_page_abort (AlMeasurePage *self)
{
  if (self->state == AL_MEASURE_RUNNING && self->cancellable != NULL)
    {
      self->abort_requested = TRUE;
      g_cancellable_cancel (self->cancellable);
    }
  else if (self->state == AL_MEASURE_PAUSED)
    {
      self->state = AL_MEASURE_IDLE;
      g_autofree char *msg = g_strdup_printf (_("Measurement aborted; the folder keeps %d directions"), self->done);
      set_status (self, msg);
      update_folder (self);
      update_actions (self);
    }
}

AlMeasureState
al_measure_page_get_state (AlMeasurePage *self)
{
  return self->state;
}

gboolean
al_measure_page_is_busy (AlMeasurePage *self)
{
  return self->cancellable != NULL || aux_busy (self) || self->importing;
}

int
al_measure_page_get_done (AlMeasurePage *self)
{
  g_mutex_lock (&self->lock);
  int d = self->done;
  g_mutex_unlock (&self->lock);
  return d;
}

int
al_measure_page_get_total (AlMeasurePage *self)
{
  g_mutex_lock (&self->lock);
  int t = self->total;
  g_mutex_unlock (&self->lock);
  return t;
}

const char *
al_measure_page_get_sofa_path (AlMeasurePage *self)
{
  return self->sofa_path;
}

const char *
al_measure_page_get_status (AlMeasurePage *self)
{
  return gtk_label_get_text (GTK_LABEL (self->status_label));
}

const char *
al_measure_page_get_error (AlMeasurePage *self)
{
  return self->error_text;
}

guint
al_measure_page_get_n_meters (AlMeasurePage *self)
{
  return self->meter_bars->len;
}

const char *
al_measure_page_get_turntable_status (AlMeasurePage *self)
{
  return gtk_widget_get_visible (self->turntable_label) ? gtk_label_get_text (GTK_LABEL (self->turntable_label))
                                                          : NULL;
}

GtkWidget *
al_measure_page_get_view (AlMeasurePage *self, const char *name)
{
  if (g_strcmp0 (name, "ir") == 0)
    return self->ir_view;
  if (g_strcmp0 (name, "spectrum") == 0)
    return self->spectrum_view;
  if (g_strcmp0 (name, "coverage") == 0)
    return self->coverage_view;
  return NULL;
}

/* ---- level check and turntable test ---- */

typedef struct {
  AlMeasurePage *page;
  char *uri, *sweep;
} AuxJob;

static void
aux_job_free (AuxJob *job)
{
  g_free (job->uri);
  g_free (job->sweep);
  g_free (job);
}

static void
meter_func (const AlAudioMeters *m, gpointer data)
{
  AlMeasurePage *self = data;
  g_mutex_lock (&self->lock);
  if (self->meter_n != m->nchannels)
    {
      self->meter_n = m->nchannels;
      self->meter_peak = g_renew (double, self->meter_peak, m->nchannels);
      self->meter_max = g_renew (double, self->meter_max, m->nchannels);
    }
  self->meter_ref = m->ref_channel;
  memcpy (self->meter_peak, m->peak_dbfs, sizeof (double) * m->nchannels);
  memcpy (self->meter_max, m->max_peak_dbfs, sizeof (double) * m->nchannels);
  self->meter_gen++;
  g_mutex_unlock (&self->lock);
}

static void
level_worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  AuxJob *job = task_data;
  GError *error = NULL;
  g_autoptr (AlAudioBackend) be = al_audio_backend_open (job->uri, &error);
  if (be == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  AlAudioLevelParams params;
  al_audio_level_params_init (&params);
  if (!al_sweep_params_parse (job->sweep, &params.sweep, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  params.sweep.fs = al_audio_backend_get_rate (be);
  g_autoptr (AlAudioLevels) levels = NULL;
  if (!al_audio_backend_level_check (be, &params, meter_func, job->page, &levels, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
aux_finish (AlMeasurePage *self)
{
  g_clear_object (&self->aux_cancellable);
  if (self->disposed)
    return;
  stop_tick (self);
  update_actions (self);
  g_signal_emit (self, signals[FINISHED], 0);
}

static void
level_done (GObject *source, GAsyncResult *result, gpointer data)
{
  AlMeasurePage *self = AL_MEASURE_PAGE (source);
  g_autoptr (GError) error = NULL;
  if (!g_task_propagate_boolean (G_TASK (result), &error) && !self->disposed)
    {
      show_error (self, error->message);
      set_status (self, _("Level check failed"));
    }
  else if (!self->disposed)
    set_status (self, _("Level check passed"));
  aux_finish (self);
}

static void
level_check_action (GtkWidget *widget, const char *name, GVariant *param)
{
  AlMeasurePage *self = AL_MEASURE_PAGE (widget);
  AuxJob *job = g_new0 (AuxJob, 1);
  job->page = self;
  job->uri = al_measure_page_get_audio_uri (self);
  job->sweep = g_strdup (entry_text (self->sweep_row));
  if (job->uri == NULL || self->sweep_error != NULL)
    {
      show_error (self, _("Complete the audio interface and the sweep first."));
      aux_job_free (job);
      return;
    }
  show_error (self, NULL);
  set_status (self, _("Checking levels…"));
  self->aux_cancellable = g_cancellable_new ();
  GTask *task = g_task_new (self, self->aux_cancellable, level_done, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) aux_job_free);
  update_actions (self);
  start_tick (self);
  g_task_run_in_thread (task, level_worker);
  g_object_unref (task);
}

static void
turntable_worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  AuxJob *job = task_data;
  GError *error = NULL;
  g_autoptr (AlTurntable) tt = al_turntable_open (job->uri, &error);
  AlTurntableState st;
  if (tt == NULL || !al_turntable_get_state (tt, &st, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  char *line = g_strdup_printf (_("%s answers: at %.1f°%s"), al_turntable_get_name (tt), st.position_deg,
                                st.fault ? _(", reports a fault") : "");
  g_task_return_pointer (task, line, g_free);
}

static void
turntable_done (GObject *source, GAsyncResult *result, gpointer data)
{
  AlMeasurePage *self = AL_MEASURE_PAGE (source);
  g_autoptr (GError) error = NULL;
  g_autofree char *line = g_task_propagate_pointer (G_TASK (result), &error);
  if (self->disposed)
    {
      aux_finish (self);
      return;
    }
  gtk_label_set_text (GTK_LABEL (self->turntable_label), line != NULL ? line : error->message);
  gtk_widget_set_visible (self->turntable_label, TRUE);
  gtk_widget_remove_css_class (self->turntable_label, line != NULL ? "error" : "success");
  gtk_widget_add_css_class (self->turntable_label, line != NULL ? "success" : "error");
  aux_finish (self);
}

static void
test_turntable_action (GtkWidget *widget, const char *name, GVariant *param)
{
  AlMeasurePage *self = AL_MEASURE_PAGE (widget);
  AuxJob *job = g_new0 (AuxJob, 1);
  job->page = self;
  job->uri = g_strdup (entry_text (self->turntable_row));
  gtk_label_set_text (GTK_LABEL (self->turntable_label), _("Connecting…"));
  gtk_widget_set_visible (self->turntable_label, TRUE);
  self->aux_cancellable = g_cancellable_new ();
  GTask *task = g_task_new (self, self->aux_cancellable, turntable_done, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) aux_job_free);
  update_actions (self);
  g_task_run_in_thread (task, turntable_worker);
  g_object_unref (task);
}

/* ---- devices ---- */

static void
list_done (GObject *source, GAsyncResult *result, gpointer data)
{
  AlMeasurePage *self = AL_MEASURE_PAGE (source);
  g_autoptr (GPtrArray) devs = al_view_list_audio_devices_finish (result, NULL);
  if (devs == NULL || self->disposed)
    return;
  GtkStringList *model = GTK_STRING_LIST (adw_combo_row_get_model (ADW_COMBO_ROW (self->device_row)));
  for (guint i = 0; i < devs->len; i++)
    {
      const AlAudioDevice *d = g_ptr_array_index (devs, i);
      if (d->max_inputs < 2 || d->max_outputs < 1)
        continue;
      g_autofree char *text = al_audio_device_describe (d);
      gtk_string_list_append (model, text);
      g_ptr_array_add (self->device_ids, GINT_TO_POINTER (d->index));
    }
}

static void
on_map (AlMeasurePage *self)
{
  if (self->devices_listed)
    return;
  self->devices_listed = TRUE;
  al_view_list_audio_devices (self, list_done, NULL);
}

/* ---- setters for the form ---- */

void
al_measure_page_set_simulated (AlMeasurePage *self, gboolean simulated)
{
  if (simulated)
    adw_combo_row_set_selected (ADW_COMBO_ROW (self->device_row), SIM_ROW);
  else if (self->device_ids->len > 0)
    adw_combo_row_set_selected (ADW_COMBO_ROW (self->device_row), 1);
  validate (self);
}

void
al_measure_page_set_turntable_uri (AlMeasurePage *self, const char *uri)
{
  gtk_editable_set_text (GTK_EDITABLE (self->turntable_row), uri);
}

void
al_measure_page_set_grid_spec (AlMeasurePage *self, const char *spec)
{
  gtk_editable_set_text (GTK_EDITABLE (self->grid_row), spec);
}

void
al_measure_page_set_sweep_spec (AlMeasurePage *self, const char *spec)
{
  gtk_editable_set_text (GTK_EDITABLE (self->sweep_row), spec);
}

/* ---- actions ---- */

static void
start_action (GtkWidget *widget, const char *name, GVariant *param)
{
  al_measure_page_start (AL_MEASURE_PAGE (widget));
}

static void
pause_action (GtkWidget *widget, const char *name, GVariant *param)
{
  al_measure_page_pause (AL_MEASURE_PAGE (widget));
}

static void
resume_action (GtkWidget *widget, const char *name, GVariant *param)
{
  al_measure_page_resume (AL_MEASURE_PAGE (widget));
}

static void
abort_action (GtkWidget *widget, const char *name, GVariant *param)
{
  al_measure_page_abort (AL_MEASURE_PAGE (widget));
}

static void
dismiss_error_action (GtkWidget *widget, const char *name, GVariant *param)
{
  show_error (AL_MEASURE_PAGE (widget), NULL);
}

static void
folder_response (GtkNativeDialog *dialog, int response, AlMeasurePage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *dir = g_file_get_path (file);
      al_measure_page_set_session_dir (self, dir);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
choose_folder_action (GtkWidget *widget, const char *name, GVariant *param)
{
  GtkFileChooserNative *dialog
    = gtk_file_chooser_native_new (_("Session Folder"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                   GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Select"), NULL);
  g_signal_connect (dialog, "response", G_CALLBACK (folder_response), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
mic_positions_response (GtkNativeDialog *dialog, int response, AlMeasurePage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      al_measure_page_set_mic_positions_file (self, path);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
choose_mic_positions_action (GtkWidget *widget, const char *name, GVariant *param)
{
  GtkFileChooserNative *dialog
    = gtk_file_chooser_native_new (_("Mic Positions File"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                   GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), NULL);
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("SOFA or text files"));
  gtk_file_filter_add_suffix (filter, "sofa");
  gtk_file_filter_add_suffix (filter, "txt");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_suffix (filter, "dat");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_autoptr (GtkFileFilter) all = gtk_file_filter_new ();
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), all);
  g_signal_connect (dialog, "response", G_CALLBACK (mic_positions_response), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
clear_mic_positions_action (GtkWidget *widget, const char *name, GVariant *param)
{
  al_measure_page_set_mic_positions_file (AL_MEASURE_PAGE (widget), NULL);
}

/* ---- document ---- */

static void
on_document_changed (AlMeasurePage *self)
{
  /* A set this page measured and imported is no ground truth for the
   * next simulated session: the chamber stays on the project's own. */
  if (!self->importing || self->truth == NULL)
    {
      g_free (self->truth);
      self->truth = find_truth (self);
    }
  update_folder (self);
  validate (self);
}

/* ---- GObject ---- */

static void
al_measure_page_constructed (GObject *object)
{
  AlMeasurePage *self = AL_MEASURE_PAGE (object);
  G_OBJECT_CLASS (al_measure_page_parent_class)->constructed (object);
  self->changed_id = g_signal_connect_swapped (AL_VIEW_DOCUMENT (self), "changed", G_CALLBACK (on_document_changed), self);
  on_document_changed (self);
}

static void
al_measure_page_dispose (GObject *object)
{
  AlMeasurePage *self = AL_MEASURE_PAGE (object);
  self->disposed = TRUE;
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->aux_cancellable != NULL)
    g_cancellable_cancel (self->aux_cancellable);
  if (AL_VIEW_DOCUMENT (self) != NULL)
    g_clear_signal_handler (&self->changed_id, AL_VIEW_DOCUMENT (self));
  gtk_widget_dispose_template (GTK_WIDGET (self), AL_TYPE_MEASURE_PAGE);
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (al_measure_page_parent_class)->dispose (object);
}

static void
al_measure_page_finalize (GObject *object)
{
  AlMeasurePage *self = AL_MEASURE_PAGE (object);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->aux_cancellable);
  al_session_config_clear (&self->run_config);
  g_free (self->run_dir);
  g_free (self->chosen_dir);
  g_free (self->default_dir);
  g_free (self->sofa_path);
  g_free (self->truth);
  g_free (self->error_text);
  g_free (self->grid_error);
  g_free (self->sweep_error);
  g_free (self->mics_pos_path);
  g_ptr_array_unref (self->device_ids);
  g_ptr_array_unref (self->meter_bars);
  g_ptr_array_unref (self->meter_values);
  g_free (self->preview_t);
  g_free (self->preview_ir);
  g_free (self->preview_f);
  g_free (self->preview_db);
  g_free (self->qc_text);
  g_free (self->meter_peak);
  g_free (self->meter_max);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (al_measure_page_parent_class)->finalize (object);
}

static void
al_measure_page_class_init (AlMeasurePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->constructed = al_measure_page_constructed;
  object_class->dispose = al_measure_page_dispose;
  object_class->finalize = al_measure_page_finalize;
  /* A worker ended: a session (finished, paused, aborted or failed), a level check, a connection test. */
  signals[FINISHED] = g_signal_new ("measurement-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                    NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (AL_TYPE_PLOT_VIEW);
  g_type_ensure (AL_TYPE_SPHERE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, AL_RESOURCE_PATH "/ui/al-measure-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, AlMeasurePage, name)
  BIND (device_row);
  BIND (mics_row);
  BIND (ref_row);
  BIND (out_row);
  BIND (rate_row);
  BIND (audio_uri_label);
  BIND (meters_grid);
  BIND (turntable_row);
  BIND (turntable_label);
  BIND (grid_row);
  BIND (grid_label);
  BIND (sweep_row);
  BIND (sweep_label);
  BIND (folder_row);
  BIND (coverage_view);
  BIND (advanced_row);
  BIND (retries_spin);
  BIND (ir_len_spin);
  BIND (ir_start_spin);
  BIND (settle_spin);
  BIND (mics_pos_row);
  BIND (status_label);
  BIND (progress_bar);
  BIND (direction_label);
  BIND (eta_label);
  BIND (qc_label);
  BIND (start_button);
  BIND (pause_button);
  BIND (resume_button);
  BIND (abort_button);
  BIND (error_revealer);
  BIND (error_label);
  BIND (ir_view);
  BIND (spectrum_view);
#undef BIND
  gtk_widget_class_install_action (widget_class, "measure.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "measure.pause", NULL, pause_action);
  gtk_widget_class_install_action (widget_class, "measure.resume", NULL, resume_action);
  gtk_widget_class_install_action (widget_class, "measure.abort", NULL, abort_action);
  gtk_widget_class_install_action (widget_class, "measure.level-check", NULL, level_check_action);
  gtk_widget_class_install_action (widget_class, "measure.test-turntable", NULL, test_turntable_action);
  gtk_widget_class_install_action (widget_class, "measure.choose-folder", NULL, choose_folder_action);
  gtk_widget_class_install_action (widget_class, "measure.dismiss-error", NULL, dismiss_error_action);
  gtk_widget_class_install_action (widget_class, "measure.choose-mic-positions", NULL, choose_mic_positions_action);
  gtk_widget_class_install_action (widget_class, "measure.clear-mic-positions", NULL, clear_mic_positions_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "measure.start", NULL);
}

static void
al_measure_page_init (AlMeasurePage *self)
{
  g_mutex_init (&self->lock);
  self->device_ids = g_ptr_array_new ();
  self->meter_bars = g_ptr_array_new ();
  self->meter_values = g_ptr_array_new ();
  self->index = -1;
  self->eta = NAN;
  gtk_widget_init_template (GTK_WIDGET (self));
  GtkStringList *devices = gtk_string_list_new (NULL);
  gtk_string_list_append (devices, _("Simulated chamber (the project's transfer functions)"));
  adw_combo_row_set_model (ADW_COMBO_ROW (self->device_row), G_LIST_MODEL (devices));
  g_object_unref (devices);
  al_sphere_view_set_projection (AL_SPHERE_VIEW (self->coverage_view), AL_PROJECTION_HAMMER);
  reset_advanced (self);
  GtkWidget *fields[] = { self->mics_row, self->ref_row, self->out_row, self->turntable_row, self->grid_row,
                          self->sweep_row };
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_signal_connect_swapped (fields[i], "changed", G_CALLBACK (validate), self);
  g_signal_connect_swapped (self->device_row, "notify::selected", G_CALLBACK (validate), self);
  g_signal_connect_swapped (self->rate_row, "notify::selected", G_CALLBACK (validate), self);
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
  /* Empty axes until the first recording: the default IR window at 48 kHz. */
  AlCurvePlot *ir = al_curve_plot_new (_("Impulse response of the last direction"), _("Time re latency (ms)"),
                                       _("Amplitude"));
  al_curve_plot_set_log_x (ir, FALSE);
  al_curve_plot_set_x_range (ir, -32 / 48.0, 480 / 48.0);
  al_curve_plot_set_y_range (ir, -1, 1);
  al_plot_view_set_home (AL_PLOT_VIEW (self->ir_view), -32 / 48.0, 480 / 48.0, -1, 1);
  al_plot_view_set_plot (AL_PLOT_VIEW (self->ir_view), ir, NULL);
  al_plot_view_set_plot (AL_PLOT_VIEW (self->spectrum_view),
                         al_curve_plot_new (_("Magnitude response of the last direction"), _("Frequency (Hz)"),
                                            _("Level (dB)")),
                         NULL);
  set_status (self, _("Set up the chamber, then press Measure"));
  update_actions (self);
}
