/* al-recording-panel.c — power maps over time of one recording, apart from
 * the Scenes mode so each keeps its own worker, progress and results.  The
 * file is read, encoded and mapped in a GTask (on a copy of the encoder, so
 * the project may change under it); the maps are shared with an export
 * still writing them, so a new run can replace them at any time.  Export
 * goes through al_map_track_write, the writer of `ambilab-cli powermap`,
 * so the files are the CLI's for the same inputs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "al-recording-panel.h"
#include "al-sphere-view.h"
#include "al-view-util.h"
#include "eval/al-scene-eval.h"
#include "io/al-io.h"

/* The maps shown, reference-counted: an export keeps writing them after a
 * new run has replaced them on screen. */
typedef struct {
  AlMapTrack *mt;
} SharedTrack;

static void
shared_track_clear (SharedTrack *track)
{
  al_map_track_free (track->mt);
}

static void
shared_track_unref (SharedTrack *track)
{
  g_atomic_rc_box_release_full (track, (GDestroyNotify) shared_track_clear);
}

struct _AlRecordingPanel {
  AlDocumentView parent_instance;
  gulong encoders_id, changed_id;
  GtkStringList *sources;  /* "Ambisonics file (ACN)", then the document's encoders */
  char *path;
  gboolean disposed;       /* a worker's result may arrive after dispose */

  GtkWidget *form, *separator, *results;
  GtkWidget *file_row, *source_row, *method_row, *band_row;
  GtkWidget *run_button, *cancel_button, *progress, *status;
  GtkWidget *sphere, *scale, *tracks, *time_label;

  GCancellable *cancellable;
  guint progress_id;
  gint permille;           /* written by the worker */
  SharedTrack *track;
  AlDoaTrackPlot *track_plot;
  int frame;
  char *error;
  int exporting;           /* exports in flight */
};

G_DEFINE_FINAL_TYPE (AlRecordingPanel, al_recording_panel, AL_TYPE_DOCUMENT_VIEW)

enum { FINISHED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const AlMapMethod methods[] = { AL_MAP_PWD, AL_MAP_MVDR, AL_MAP_MUSIC, AL_MAP_SH, AL_MAP_INTENSITY };
static const double bands[][2] = { { 0, 0 }, { 100, 1000 }, { 200, 4000 }, { 500, 8000 } };

static AlMapTrack *
track_of (AlRecordingPanel *self)
{
  return self->track != NULL ? self->track->mt : NULL;
}

static void
update_actions (AlRecordingPanel *self)
{
  const gboolean running = self->cancellable != NULL;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "recording.run", self->path != NULL && !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "recording.cancel", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "recording.export", self->track != NULL);
}

static void
set_status (AlRecordingPanel *self, const char *text)
{
  gtk_label_set_text (GTK_LABEL (self->status), text);
}

/* ---- the form ---- */

static void
rebuild_sources (AlRecordingPanel *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->source_row));
  guint old = g_list_model_get_n_items (G_LIST_MODEL (self->sources));
  guint n = al_document_n_encoders (AL_VIEW_DOCUMENT (self));
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  g_ptr_array_add (names, (gpointer) _("Ambisonics file (ACN)"));
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (names, (gpointer) al_document_get_encoder_name (AL_VIEW_DOCUMENT (self), i));
  g_ptr_array_add (names, NULL);
  gtk_string_list_splice (self->sources, 0, old, (const char *const *) names->pdata);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->source_row), selected <= n ? selected : 0);
}

static void
set_path (AlRecordingPanel *self, const char *path)
{
  g_free (self->path);
  self->path = g_strdup (path);
  g_autofree char *base = path != NULL ? g_path_get_basename (path) : NULL;
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->file_row), base != NULL ? base : _("None chosen"));
  update_actions (self);
}

void
al_recording_panel_set_recording (AlRecordingPanel *self, const char *path, int encoder)
{
  g_return_if_fail (AL_IS_RECORDING_PANEL (self));
  set_path (self, path);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sources));
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->source_row),
                              encoder >= 0 && (guint) encoder + 1 < n ? (guint) encoder + 1 : 0);
}

void
al_recording_panel_set_method (AlRecordingPanel *self, AlMapMethod method, guint band)
{
  g_return_if_fail (AL_IS_RECORDING_PANEL (self));
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    if (methods[i] == method)
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->method_row), i);
  if (band < G_N_ELEMENTS (bands))
    adw_combo_row_set_selected (ADW_COMBO_ROW (self->band_row), band);
}

void
al_recording_panel_get_options (AlRecordingPanel *self, AlMapTrackOptions *opt)
{
  g_return_if_fail (AL_IS_RECORDING_PANEL (self));
  al_map_track_options_init (opt);
  guint m = adw_combo_row_get_selected (ADW_COMBO_ROW (self->method_row));
  guint b = adw_combo_row_get_selected (ADW_COMBO_ROW (self->band_row));
  opt->map.method = methods[m < G_N_ELEMENTS (methods) ? m : 0];
  if (b < G_N_ELEMENTS (bands))
    {
      opt->map.band_lo = bands[b][0];
      opt->map.band_hi = bands[b][1];
    }
}

/* ---- the frame under the slider ---- */

const AlMapTrack *
al_recording_panel_get_map_track (AlRecordingPanel *self)
{
  g_return_val_if_fail (AL_IS_RECORDING_PANEL (self), NULL);
  return track_of (self);
}

int
al_recording_panel_get_frame (AlRecordingPanel *self)
{
  g_return_val_if_fail (AL_IS_RECORDING_PANEL (self), -1);
  return self->track != NULL ? self->frame : -1;
}

void
al_recording_panel_set_time (AlRecordingPanel *self, double time_s)
{
  g_return_if_fail (AL_IS_RECORDING_PANEL (self));
  if (self->track != NULL)
    gtk_range_set_value (GTK_RANGE (self->scale), al_map_track_frame_at (track_of (self), time_s));
}

GtkWidget *
al_recording_panel_get_view (AlRecordingPanel *self, const char *name)
{
  g_return_val_if_fail (AL_IS_RECORDING_PANEL (self), NULL);
  if (g_strcmp0 (name, "map") == 0)
    return self->sphere;
  if (g_strcmp0 (name, "tracks") == 0)
    return self->tracks;
  if (g_strcmp0 (name, "time") == 0)
    return self->scale;
  return NULL;
}

static void
show_frame (AlRecordingPanel *self, int frame)
{
  const AlMapTrack *mt = track_of (self);
  if (mt == NULL)
    return;
  self->frame = CLAMP (frame, 0, mt->nframes - 1);
  al_sphere_view_set_map (AL_SPHERE_VIEW (self->sphere), al_map_track_sphere_map (mt, self->frame, 30));
  const double t = mt->times[self->frame];
  al_doa_track_plot_set_cursor (self->track_plot, t);
  gtk_widget_queue_draw (self->tracks);
  g_autoptr (GString) text = g_string_new (NULL);
  g_string_printf (text, _("Frame %d of %d, %.2f s"), self->frame + 1, mt->nframes, t);
  for (int k = 0; k < mt->npeaks[self->frame]; k++)
    {
      const AlDoa *d = &mt->peaks[(gsize) self->frame * mt->max_peaks + k];
      g_string_append_printf (text, _(" · DOA %.1f°, %.1f°"), AL_RAD2DEG (d->azimuth), AL_RAD2DEG (d->elevation));
    }
  gtk_label_set_text (GTK_LABEL (self->time_label), text->str);
}

static void
on_scale_changed (GtkRange *range, AlRecordingPanel *self)
{
  show_frame (self, (int) lround (gtk_range_get_value (range)));
}

static char *
format_scale (GtkScale *scale, double value, gpointer data)
{
  const AlMapTrack *mt = track_of (data);
  if (mt == NULL)
    return g_strdup ("");
  int f = CLAMP ((int) lround (value), 0, mt->nframes - 1);
  return g_strdup_printf (_("%.2f s"), mt->times[f]);
}

static void
draw_tracks (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  AlRecordingPanel *self = data;
  if (self->track_plot == NULL)
    return;
  AlPlotStyle style = { .dark = adw_style_manager_get_dark (adw_style_manager_get_default ()), .font_scale = 1.0 };
  al_doa_track_plot_draw (self->track_plot, cr, width, height, &style);
}

static void
on_tracks_pressed (GtkGestureClick *gesture, int n_press, double x, double y, AlRecordingPanel *self)
{
  double t;
  if (self->track_plot != NULL && al_doa_track_plot_to_time (self->track_plot, x, y, &t))
    al_recording_panel_set_time (self, t);
}

/* ---- the worker ---- */

typedef struct {
  char *path;
  AlSceneEncoder *enc; /* NULL: the file is Ambisonics */
  AlMapTrackOptions opt;
  gint *progress;
} Job;

static void
job_free (Job *job)
{
  g_free (job->path);
  g_clear_pointer (&job->enc, al_scene_encoder_free);
  g_free (job);
}

static void
report_progress (double fraction, const char *message, gpointer user_data)
{
  g_atomic_int_set ((gint *) user_data, (gint) (fraction * 1000));
}

/* The whole file, planar (nch x n). */
static float *
read_planar (const char *path, int *nch, gsize *n, double *fs, char **comment, GError **error)
{
  AlAudioReader *reader = al_audio_reader_open (path, error);
  if (reader == NULL)
    return NULL;
  *nch = al_audio_reader_channels (reader);
  *fs = al_audio_reader_fs (reader);
  *comment = al_audio_reader_comment (reader);
  gint64 total = al_audio_reader_frames (reader);
  g_autofree float *inter = g_new (float, (gsize) MAX (total, 1) * *nch);
  gint64 got = 0;
  while (got < total)
    {
      gint64 k = al_audio_reader_read (reader, inter + (gsize) got * *nch, total - got, error);
      if (k < 0)
        {
          al_audio_reader_close (reader);
          return NULL;
        }
      if (k == 0)
        break;
      got += k;
    }
  al_audio_reader_close (reader);
  if (got == 0)
    {
      g_autofree char *base = g_path_get_basename (path);
      g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, _("%s holds no audio"), base);
      return NULL;
    }
  *n = (gsize) got;
  float *x = g_new (float, (gsize) *nch * *n);
  for (gsize i = 0; i < *n; i++)
    for (int c = 0; c < *nch; c++)
      x[(gsize) c * *n + i] = inter[i * *nch + c];
  return x;
}

static void
run_worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  int nch = 0;
  gsize n = 0;
  double fs = 0;
  g_autofree char *comment = NULL;
  g_autofree char *base = g_path_get_basename (job->path);
  g_autofree float *x = read_planar (job->path, &nch, &n, &fs, &comment, &error);
  if (x == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_autofree float *encoded = NULL;
  AlShSignals b;
  if (job->enc == NULL)
    {
      int order = (int) lround (sqrt ((double) nch)) - 1;
      if (order < 0 || al_sh_count (order) != nch)
        {
          g_task_return_new_error (task, AL_ERROR, AL_ERROR_INVALID_INPUT,
                                   _("%s has %d channels, which is no full Ambisonics order"), base, nch);
          return;
        }
      /* The normalisation from the comment encode and simulate write; SN3D without one. */
      AlShNorm norm = AL_SH_SN3D;
      int file_order = -1;
      char name[32] = "";
      if (comment != NULL && sscanf (comment, "Ambisonics order %d, ACN, %31[a-zA-Z0-9]", &file_order, name) == 2)
        {
          if (file_order != order)
            {
              g_task_return_new_error (task, AL_ERROR, AL_ERROR_MISMATCH, _("%s says order %d but has %d channels"),
                                       base, file_order, nch);
              return;
            }
          if (!al_sh_norm_parse (name, &norm, &error))
            {
              g_task_return_error (task, error);
              return;
            }
        }
      b = al_sh_signals_float (x, nch, n, fs, norm);
    }
  else
    {
      if (nch != job->enc->nmics || fabs (fs - job->enc->fs) > 1e-6)
        {
          g_task_return_new_error (task, AL_ERROR, AL_ERROR_MISMATCH,
                                   _("%s has %d channels at %g Hz; the encoder takes %d at %g Hz"), base, nch, fs,
                                   job->enc->nmics, job->enc->fs);
          return;
        }
      encoded = al_scene_encoder_run (job->enc, x, n, &error);
      if (encoded == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      /* The map skips the encoder's latency, so times are those of the recording (as the CLI's). */
      b = al_sh_signals_float (encoded, job->enc->nsh, n + job->enc->latency, fs, job->enc->norm);
      b.latency = job->enc->latency;
    }
  b.name = job->path;
  AlProgress progress = { .func = report_progress, .user_data = job->progress, .cancellable = cancellable };
  AlMapTrack *mt = al_map_track_new (&b, &job->opt, &progress, &error);
  if (mt == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, mt, (GDestroyNotify) al_map_track_free);
}

static void
set_busy (AlRecordingPanel *self, gboolean busy)
{
  gtk_widget_set_visible (self->progress, busy);
  gtk_widget_set_visible (self->cancel_button, busy);
  if (!busy)
    g_clear_handle_id (&self->progress_id, g_source_remove);
  update_actions (self);
}

static gboolean
progress_tick (gpointer data)
{
  AlRecordingPanel *self = data;
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), g_atomic_int_get (&self->permille) / 1000.0);
  return G_SOURCE_CONTINUE;
}

static void
run_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AlRecordingPanel *self = AL_RECORDING_PANEL (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlMapTrack) mt = g_task_propagate_pointer (G_TASK (result), &error);
  g_clear_object (&self->cancellable);
  if (self->disposed)
    return;
  set_busy (self, FALSE);
  if (mt == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_status (self, _("Power maps cancelled"));
      else
        {
          g_free (self->error);
          self->error = g_strdup (error->message);
          set_status (self, error->message);
        }
      g_signal_emit (self, signals[FINISHED], 0);
      return;
    }
  g_clear_pointer (&self->track_plot, al_doa_track_plot_free);
  g_clear_pointer (&self->track, shared_track_unref);
  self->track = g_atomic_rc_box_new0 (SharedTrack);
  self->track->mt = g_steal_pointer (&mt);
  const AlMapTrack *t = self->track->mt;
  g_autofree char *base = g_path_get_basename (self->path);
  self->track_plot = al_doa_track_plot_new (t, base);
  g_autofree char *status = g_strdup_printf (ngettext ("%d frames, %d track (%s, order %d)",
                                                       "%d frames, %d tracks (%s, order %d)", t->ntracks),
                                             t->nframes, t->ntracks, al_map_method_name (t->method), t->order);
  set_status (self, status);
  GtkAdjustment *adj = gtk_range_get_adjustment (GTK_RANGE (self->scale));
  g_signal_handlers_block_by_func (self->scale, on_scale_changed, self);
  gtk_adjustment_configure (adj, 0, 0, MAX (t->nframes - 1, 0), 1, 10, 0);
  g_signal_handlers_unblock_by_func (self->scale, on_scale_changed, self);
  gtk_widget_set_sensitive (self->scale, TRUE);
  update_actions (self);
  show_frame (self, 0);
  g_signal_emit (self, signals[FINISHED], 0);
}

void
al_recording_panel_run (AlRecordingPanel *self)
{
  g_return_if_fail (AL_IS_RECORDING_PANEL (self));
  if (self->cancellable != NULL)
    return;
  g_clear_pointer (&self->error, g_free);
  if (self->path == NULL)
    {
      self->error = g_strdup (_("Choose a recording first."));
      set_status (self, self->error);
      return;
    }
  Job *job = g_new0 (Job, 1);
  job->path = g_strdup (self->path);
  guint src = adw_combo_row_get_selected (ADW_COMBO_ROW (self->source_row));
  if (src >= 1 && src - 1 < al_document_n_encoders (AL_VIEW_DOCUMENT (self)))
    job->enc = al_scene_encoder_new_linear (al_document_get_encoder (AL_VIEW_DOCUMENT (self), src - 1), NULL);
  al_recording_panel_get_options (self, &job->opt);
  job->progress = &self->permille;
  g_atomic_int_set (&self->permille, 0);
  self->cancellable = g_cancellable_new ();
  GTask *task = g_task_new (self, self->cancellable, run_done, NULL);
  g_task_set_source_tag (task, al_recording_panel_run);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  set_busy (self, TRUE);
  progress_tick (self);
  self->progress_id = g_timeout_add (100, progress_tick, self);
  set_status (self, _("Computing power maps…"));
  g_task_run_in_thread (task, run_worker);
  g_object_unref (task);
}

void
al_recording_panel_cancel (AlRecordingPanel *self)
{
  g_return_if_fail (AL_IS_RECORDING_PANEL (self));
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

gboolean
al_recording_panel_is_running (AlRecordingPanel *self)
{
  g_return_val_if_fail (AL_IS_RECORDING_PANEL (self), FALSE);
  return self->cancellable != NULL;
}

const char *
al_recording_panel_get_error (AlRecordingPanel *self)
{
  g_return_val_if_fail (AL_IS_RECORDING_PANEL (self), NULL);
  return self->error;
}

const char *
al_recording_panel_get_status (AlRecordingPanel *self)
{
  g_return_val_if_fail (AL_IS_RECORDING_PANEL (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->status));
}

/* ---- export ---- */

typedef struct {
  SharedTrack *track;
  char *dir;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  shared_track_unref (job->track);
  g_free (job->dir);
  g_free (job);
}

static void
export_worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ExportJob *job = task_data;
  GError *error = NULL;
  if (al_map_track_write (job->track->mt, job->dir, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
export_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AlRecordingPanel *self = AL_RECORDING_PANEL (source);
  g_autoptr (GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);
  ExportJob *job = g_task_get_task_data (G_TASK (result));
  self->exporting--;
  if (self->disposed)
    return;
  if (ok)
    {
      g_autofree char *base = g_path_get_basename (job->dir);
      g_autofree char *msg = g_strdup_printf (_("Results written to %s"), base);
      gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", msg);
    }
  else
    {
      g_free (self->error);
      self->error = g_strdup (error->message);
      gtk_widget_activate_action (GTK_WIDGET (self), "win.error", "s", error->message);
    }
}

void
al_recording_panel_export (AlRecordingPanel *self, const char *dir)
{
  g_return_if_fail (AL_IS_RECORDING_PANEL (self) && dir != NULL);
  g_clear_pointer (&self->error, g_free);
  if (self->track == NULL)
    {
      self->error = g_strdup (_("There are no results to export yet"));
      gtk_widget_activate_action (GTK_WIDGET (self), "win.error", "s", self->error);
      return;
    }
  ExportJob *job = g_new0 (ExportJob, 1);
  job->track = g_atomic_rc_box_acquire (self->track);
  job->dir = g_strdup (dir);
  GTask *task = g_task_new (self, NULL, export_done, NULL);
  g_task_set_source_tag (task, al_recording_panel_export);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  self->exporting++;
  g_task_run_in_thread (task, export_worker);
  g_object_unref (task);
}

gboolean
al_recording_panel_is_exporting (AlRecordingPanel *self)
{
  g_return_val_if_fail (AL_IS_RECORDING_PANEL (self), FALSE);
  return self->exporting > 0;
}

static gboolean
holds_maps (const char *dir)
{
  for (const char *const *name = al_map_track_file_names (); *name != NULL; name++)
    {
      g_autofree char *path = g_build_filename (dir, *name, NULL);
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return TRUE;
    }
  return FALSE;
}

void
al_recording_panel_export_asking (AlRecordingPanel *self, const char *dir)
{
  g_return_if_fail (AL_IS_RECORDING_PANEL (self) && dir != NULL);
  if (!holds_maps (dir))
    {
      al_recording_panel_export (self, dir);
      return;
    }
  /* Nothing the user made is overwritten without asking (DESIGN.md §4). */
  g_autofree char *base = g_path_get_basename (dir);
  g_autofree char *body = g_strdup_printf (_("“%s” already holds power maps. Replacing them overwrites its maps, DOA "
                                             "tracks and figures."),
                                           base);
  al_view_ask_replace (GTK_WIDGET (self), dir, body, (AlViewWriteFunc) al_recording_panel_export);
}

static void
export_response (GtkNativeDialog *dialog, int response, AlRecordingPanel *self)
{
  if (response == GTK_RESPONSE_ACCEPT && !self->disposed)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *dir = g_file_get_path (file);
      al_recording_panel_export_asking (self, dir);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
export_action (GtkWidget *widget, const char *name, GVariant *param)
{
  GtkFileChooserNative *dialog
    = gtk_file_chooser_native_new (_("Export Results to Folder"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                   GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Export"), NULL);
  g_signal_connect (dialog, "response", G_CALLBACK (export_response), g_object_ref (widget));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- other actions ---- */

static void
open_response (GtkNativeDialog *dialog, int response, AlRecordingPanel *self)
{
  if (response == GTK_RESPONSE_ACCEPT && !self->disposed)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      set_path (self, path);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
open_action (GtkWidget *widget, const char *name, GVariant *param)
{
  GtkFileChooserNative *dialog
    = gtk_file_chooser_native_new (_("Open Recording"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                   GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), NULL);
  g_signal_connect (dialog, "response", G_CALLBACK (open_response), g_object_ref (widget));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
run_action (GtkWidget *widget, const char *name, GVariant *param)
{
  al_recording_panel_run (AL_RECORDING_PANEL (widget));
}

static void
cancel_action (GtkWidget *widget, const char *name, GVariant *param)
{
  al_recording_panel_cancel (AL_RECORDING_PANEL (widget));
}

/* ---- building ---- */

static GtkWidget *
combo_row (const char *title, const char *const *items)
{
  GtkWidget *row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  GtkStringList *list = gtk_string_list_new (items);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (list));
  g_object_unref (list);
  return row;
}

static void
build_form (AlRecordingPanel *self)
{
  GtkWidget *form = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_size_request (form, 360, -1);
  gtk_widget_set_margin_start (form, 18);
  gtk_widget_set_margin_end (form, 12);
  gtk_widget_set_margin_top (form, 18);
  gtk_widget_set_margin_bottom (form, 18);
  GtkWidget *group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Recording"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Power maps over time and DOA tracks of a recording without ground "
                                           "truth: microphone signals through an encoder, or Ambisonics."));
  self->file_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->file_row), _("File"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->file_row), _("None chosen"));
  GtkWidget *open = gtk_button_new_with_mnemonic (_("_Choose…"));
  gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (open), "recording.open");
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->file_row), open);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->file_row);
  self->source_row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->source_row), _("Encoder"));
  self->sources = gtk_string_list_new (NULL);
  adw_combo_row_set_model (ADW_COMBO_ROW (self->source_row), G_LIST_MODEL (self->sources));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->source_row);
  const char *method_names[] = { _("Plane waves (PWD)"), _("MVDR"), _("MUSIC"), _("SH beams"),
                                 _("Intensity (first order)"), NULL };
  self->method_row = combo_row (_("Method"), method_names);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->method_row);
  const char *band_names[] = { _("Broadband"), _("100–1000 Hz"), _("200–4000 Hz"), _("500–8000 Hz"), NULL };
  self->band_row = combo_row (_("Band"), band_names);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->band_row);
  gtk_box_append (GTK_BOX (form), group);

  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->run_button = gtk_button_new_with_mnemonic (_("Compute _Maps"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->run_button), "recording.run");
  gtk_widget_set_tooltip_text (self->run_button, _("Map every frame of the recording and link its DOAs into tracks "
                                                   "(Ctrl+Return)"));
  gtk_widget_add_css_class (self->run_button, "suggested-action");
  self->cancel_button = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->cancel_button), "recording.cancel");
  gtk_widget_set_tooltip_text (self->cancel_button, _("Stop computing the power maps (Escape)"));
  self->progress = gtk_progress_bar_new ();
  gtk_widget_set_hexpand (self->progress, TRUE);
  gtk_widget_set_valign (self->progress, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (buttons), self->progress);
  gtk_box_append (GTK_BOX (buttons), self->cancel_button);
  gtk_box_append (GTK_BOX (buttons), self->run_button);
  gtk_widget_set_halign (self->run_button, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (form), buttons);
  self->status = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->status), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->status), 0);
  gtk_widget_add_css_class (self->status, "dim-label");
  gtk_box_append (GTK_BOX (form), self->status);
  self->form = form;
}

static void
build_results (AlRecordingPanel *self)
{
  /* Export above the map, where the Scenes mode has its export button;
   * the map of the frame under the slider, the slider, the tracks. */
  GtkWidget *results = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_hexpand (results, TRUE);
  gtk_widget_set_margin_start (results, 12);
  gtk_widget_set_margin_end (results, 12);
  gtk_widget_set_margin_top (results, 10);
  gtk_widget_set_margin_bottom (results, 12);
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *spacer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_hexpand (spacer, TRUE);
  gtk_box_append (GTK_BOX (bar), spacer);
  GtkWidget *export = gtk_button_new_with_mnemonic (_("Export _Results…"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (export), "recording.export");
  gtk_widget_set_tooltip_text (export, _("Write doa_tracks.csv, maps.json, maps.f32 and the figures to a folder, "
                                         "as ambilab-cli powermap does (Ctrl+E)"));
  gtk_box_append (GTK_BOX (bar), export);
  gtk_box_append (GTK_BOX (results), bar);
  self->sphere = al_sphere_view_new ();
  gtk_widget_set_vexpand (self->sphere, TRUE);
  gtk_box_append (GTK_BOX (results), self->sphere);
  self->time_label = gtk_label_new (_("No power maps yet: choose a recording and compute them."));
  gtk_widget_add_css_class (self->time_label, "numeric");
  gtk_box_append (GTK_BOX (results), self->time_label);
  self->scale = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0, 1, 1);
  gtk_scale_set_draw_value (GTK_SCALE (self->scale), TRUE);
  gtk_scale_set_format_value_func (GTK_SCALE (self->scale), format_scale, self, NULL);
  gtk_widget_set_sensitive (self->scale, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->scale), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Time"), -1);
  g_signal_connect (self->scale, "value-changed", G_CALLBACK (on_scale_changed), self);
  gtk_box_append (GTK_BOX (results), self->scale);
  self->tracks = gtk_drawing_area_new ();
  gtk_widget_set_size_request (self->tracks, -1, 280);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->tracks), draw_tracks, self, NULL);
  gtk_widget_set_tooltip_text (self->tracks, _("Click to show that time"));
  GtkGesture *click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (on_tracks_pressed), self);
  gtk_widget_add_controller (self->tracks, GTK_EVENT_CONTROLLER (click));
  gtk_box_append (GTK_BOX (results), self->tracks);
  self->results = results;
}

/* ---- GObject ---- */

GtkWidget *
al_recording_panel_new (AlDocument *document)
{
  return g_object_new (AL_TYPE_RECORDING_PANEL, "document", document, NULL);
}

static void
al_recording_panel_constructed (GObject *object)
{
  AlRecordingPanel *self = AL_RECORDING_PANEL (object);
  G_OBJECT_CLASS (al_recording_panel_parent_class)->constructed (object);
  g_return_if_fail (AL_VIEW_DOCUMENT (self) != NULL);
  self->changed_id = g_signal_connect_swapped (AL_VIEW_DOCUMENT (self), "changed", G_CALLBACK (rebuild_sources), self);
  self->encoders_id = g_signal_connect_swapped (AL_VIEW_DOCUMENT (self), "encoders-changed", G_CALLBACK (rebuild_sources),
                                                self);
  rebuild_sources (self);
}

static void
al_recording_panel_dispose (GObject *object)
{
  AlRecordingPanel *self = AL_RECORDING_PANEL (object);
  self->disposed = TRUE;
  g_clear_handle_id (&self->progress_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (AL_VIEW_DOCUMENT (self) != NULL)
    {
      g_clear_signal_handler (&self->changed_id, AL_VIEW_DOCUMENT (self));
      g_clear_signal_handler (&self->encoders_id, AL_VIEW_DOCUMENT (self));
    }
  g_clear_pointer (&self->form, gtk_widget_unparent);
  g_clear_pointer (&self->separator, gtk_widget_unparent);
  g_clear_pointer (&self->results, gtk_widget_unparent);
  G_OBJECT_CLASS (al_recording_panel_parent_class)->dispose (object);
}

static void
al_recording_panel_finalize (GObject *object)
{
  AlRecordingPanel *self = AL_RECORDING_PANEL (object);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->track_plot, al_doa_track_plot_free);
  g_clear_pointer (&self->track, shared_track_unref);
  g_clear_object (&self->sources);
  g_free (self->path);
  g_free (self->error);
  G_OBJECT_CLASS (al_recording_panel_parent_class)->finalize (object);
}

static void
al_recording_panel_class_init (AlRecordingPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->constructed = al_recording_panel_constructed;
  object_class->dispose = al_recording_panel_dispose;
  object_class->finalize = al_recording_panel_finalize;
  /* A run ended: finished, failed or cancelled. */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_install_action (widget_class, "recording.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "recording.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "recording.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "recording.export", NULL, export_action);
  /* The Scenes mode's keys.  A disabled action lets the key go on to the
   * page (Escape with nothing running closes nothing here). */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "recording.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "recording.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "recording.export", NULL);
}

static void
al_recording_panel_init (AlRecordingPanel *self)
{
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  build_form (self);
  build_results (self);
  self->separator = gtk_separator_new (GTK_ORIENTATION_VERTICAL);
  gtk_widget_set_parent (self->form, GTK_WIDGET (self));
  gtk_widget_set_parent (self->separator, GTK_WIDGET (self));
  gtk_widget_set_parent (self->results, GTK_WIDGET (self));
  set_busy (self, FALSE);
}
