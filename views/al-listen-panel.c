/* al-listen-panel.c — the Evaluate page's Listen view: one scene of the
 * evaluated set rendered again in a GTask (core's al_scene_audio_render and
 * al_listen_takes_new), played by an AlAudioPlayer whose takes switch at
 * the same position.  Output devices are listed in a worker too: PortAudio
 * probes every host API, which can take a second.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "al-listen-panel.h"
#include "al-view-util.h"
#include "al-wave-view.h"

/* Position read-out and stream check interval while playing. */
#define TICK_MS 50

struct _AlListenPanel {
  GtkWidget parent_instance;

  /* the source of the scenes */
  AlAtfSet *atf;
  GPtrArray *encoders;     /* AlSceneEncoder* */
  AlSceneSet set;
  char *clips_dir;
  GPtrArray *descriptions; /* char*: one line per scene */

  /* the rendered scene */
  int scene;
  AlSceneAudio *audio;
  AlListenTakes *takes;
  GCancellable *render_cancel;
  gboolean play_after_render;

  AlAudioPlayer *player;
  gboolean player_loaded;  /* the player holds the rendered scene's takes */
  GCancellable *open_cancel; /* opening the device in a worker (PortAudio's start-up can take a second) */
  gboolean play_after_open;
  double start_at;         /* s: where the next play starts (a seek before there was a player); < 0: none */
  char *device_uri;        /* NULL: the default output */
  int take;
  guint tick_id;
  char *error_text;
  GPtrArray *device_uris;  /* char*, parallel to the drop-down's items after "Default output" */
  gboolean devices_listed;

  GtkWidget *box;
  GtkWidget *scene_spin, *scene_label, *device_drop;
  GtkWidget *takes_box;
  GtkWidget *wave;         /* AlWaveView of the take playing */
  int wave_take;           /* the take it shows, −1: none */
  GPtrArray *take_buttons; /* GtkToggleButton* */
  GtkWidget *play_button, *stop_button, *position_scale, *time_label, *loop_button, *export_button;
  GtkWidget *info_label, *error_label;
  gboolean updating;       /* programmatic changes: no feedback into the player */
};

G_DEFINE_FINAL_TYPE (AlListenPanel, al_listen_panel, GTK_TYPE_WIDGET)

static void update_controls (AlListenPanel *self);

/* ---- messages ---- */

static void
show_error (AlListenPanel *self, const char *message)
{
  g_free (self->error_text);
  self->error_text = g_strdup (message);
  gtk_label_set_text (GTK_LABEL (self->error_label), message != NULL ? message : "");
  gtk_widget_set_visible (self->error_label, message != NULL);
}

static char *
format_time (double s)
{
  if (!(s >= 0))
    s = 0;
  const int minutes = (int) (s / 60);
  return g_strdup_printf ("%d:%04.1f", minutes, s - 60.0 * minutes);
}

/* ---- the player ---- */

static void
stop_ticking (AlListenPanel *self)
{
  g_clear_handle_id (&self->tick_id, g_source_remove);
}

static gboolean
tick (gpointer data)
{
  AlListenPanel *self = data;
  if (self->player == NULL)
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  g_autoptr (GError) error = NULL;
  if (!al_audio_player_check (self->player, NULL, &error))
    show_error (self, error->message);
  update_controls (self);
  if (al_audio_player_get_state (self->player) != AL_AUDIO_PLAYER_PLAYING)
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
start_ticking (AlListenPanel *self)
{
  if (self->tick_id == 0)
    self->tick_id = g_timeout_add (TICK_MS, tick, self);
}

static gboolean
loop_on (AlListenPanel *self)
{
  return gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->loop_button));
}

/* The opened player holding the scene's takes. */
static gboolean
load_player (AlListenPanel *self, GError **error)
{
  if (!self->player_loaded)
    {
      const AlListenTakes *t = self->takes;
      if (!al_audio_player_set_takes (self->player, (const float *const *) t->takes, (const char *const *) t->names,
                                      t->ntakes, 2, t->nframes, t->fs, error))
        return FALSE;
      al_audio_player_set_loop (self->player, loop_on (self), 0, 0);
      self->player_loaded = TRUE;
    }
  al_audio_player_select (self->player, self->take);
  if (self->start_at >= 0)
    {
      al_audio_player_seek (self->player, self->start_at);
      self->start_at = -1;
    }
  return TRUE;
}

static void
drop_player (AlListenPanel *self)
{
  if (self->open_cancel != NULL)
    {
      g_cancellable_cancel (self->open_cancel);
      g_clear_object (&self->open_cancel);
    }
  self->play_after_open = FALSE;
  stop_ticking (self);
  g_clear_pointer (&self->player, al_audio_player_free);
  self->player_loaded = FALSE;
}

static void
open_worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  AlAudioPlayer *player = al_audio_player_new (task_data, &error);
  if (player == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, player, (GDestroyNotify) al_audio_player_free);
}

static void
open_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AlListenPanel *self = AL_LISTEN_PANEL (source);
  GTask *task = G_TASK (result);
  g_autoptr (GError) error = NULL;
  AlAudioPlayer *player = g_task_propagate_pointer (task, &error);
  /* Another device was chosen meanwhile: this one is not wanted. */
  if (g_task_get_cancellable (task) != self->open_cancel)
    {
      g_clear_pointer (&player, al_audio_player_free);
      return;
    }
  g_clear_object (&self->open_cancel);
  const gboolean play = self->play_after_open;
  self->play_after_open = FALSE;
  if (player == NULL)
    show_error (self, error->message);
  else
    {
      self->player = player;
      self->player_loaded = FALSE;
      if (play)
        al_listen_panel_play (self);
    }
  update_controls (self);
}

/* Opens the chosen output in a worker; play goes on when it is open. */
static void
open_player (AlListenPanel *self)
{
  self->play_after_open = TRUE;
  if (self->open_cancel != NULL)
    return;
  self->open_cancel = g_cancellable_new ();
  GTask *task = g_task_new (self, self->open_cancel, open_done, NULL);
  g_task_set_source_tag (task, open_player);
  g_task_set_task_data (task, g_strdup (self->device_uri != NULL ? self->device_uri : "portaudio:"), g_free);
  g_task_run_in_thread (task, open_worker);
  g_object_unref (task);
}

/* ---- controls ---- */

static void
update_controls (AlListenPanel *self)
{
  self->updating = TRUE;
  const gboolean have = self->takes != NULL;
  const AlAudioPlayerState state = al_listen_panel_get_state (self);
  /* Waiting for the scene or the device counts as playing: the button pauses that. */
  const gboolean playing = state == AL_AUDIO_PLAYER_PLAYING || self->play_after_open || self->play_after_render;
  gtk_button_set_icon_name (GTK_BUTTON (self->play_button),
                            playing ? "media-playback-pause-symbolic" : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (self->play_button, playing ? _("Pause (Space)") : _("Play (Space)"));
  gtk_widget_set_sensitive (self->play_button, self->atf != NULL);
  gtk_widget_set_sensitive (self->stop_button, self->player != NULL && state != AL_AUDIO_PLAYER_STOPPED);
  gtk_widget_set_sensitive (self->position_scale, have);
  gtk_widget_set_sensitive (self->export_button, have && self->audio != NULL);

  const double duration = have ? self->takes->nframes / self->takes->fs : 0.0;
  const double pos = al_listen_panel_get_position (self);
  gtk_range_set_range (GTK_RANGE (self->position_scale), 0, MAX (duration, 1e-3));
  gtk_range_set_value (GTK_RANGE (self->position_scale), pos);
  g_autofree char *t0 = format_time (pos);
  g_autofree char *t1 = format_time (duration);
  g_autofree char *times = g_strdup_printf ("%s / %s", t0, t1);
  gtk_label_set_text (GTK_LABEL (self->time_label), times);

  for (guint i = 0; i < self->take_buttons->len; i++)
    gtk_toggle_button_set_active (g_ptr_array_index (self->take_buttons, i), (int) i == self->take);
  const int wave_take = have ? self->take : -1;
  if (wave_take != self->wave_take)
    {
      al_wave_view_set_signal (AL_WAVE_VIEW (self->wave), have ? self->takes->takes[self->take] : NULL, 2,
                               have ? self->takes->nframes : 0, have ? self->takes->fs : 0);
      self->wave_take = wave_take;
    }
  al_wave_view_set_position (AL_WAVE_VIEW (self->wave), pos);
  self->updating = FALSE;
}

static void
on_take_toggled (GtkToggleButton *button, AlListenPanel *self)
{
  if (self->updating || !gtk_toggle_button_get_active (button))
    return;
  guint index;
  if (g_ptr_array_find (self->take_buttons, button, &index))
    al_listen_panel_select (self, (int) index);
}

static void
rebuild_take_buttons (AlListenPanel *self)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (self->takes_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->takes_box), child);
  g_ptr_array_set_size (self->take_buttons, 0);
  if (self->encoders == NULL)
    return;
  const int ntakes = 2 + (int) self->encoders->len;
  GtkToggleButton *group = NULL;
  for (int i = 0; i < ntakes; i++)
    {
      const char *label = i == 0 ? _("Microphones")
                          : i == 1 ? _("Ground truth")
                                   : ((AlSceneEncoder *) g_ptr_array_index (self->encoders, i - 2))->name;
      GtkWidget *b = gtk_toggle_button_new_with_label (label);
      if (i < 9)
        {
          g_autofree char *tip = g_strdup_printf (_("Listen to this take (key %d)"), i + 1);
          gtk_widget_set_tooltip_text (b, tip);
        }
      if (group != NULL)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (b), group);
      else
        group = GTK_TOGGLE_BUTTON (b);
      g_signal_connect (b, "toggled", G_CALLBACK (on_take_toggled), self);
      gtk_box_append (GTK_BOX (self->takes_box), b);
      g_ptr_array_add (self->take_buttons, b);
    }
  self->take = CLAMP (self->take, 0, ntakes - 1);
}

static void
update_info (AlListenPanel *self)
{
  const char *desc = self->descriptions != NULL && self->scene < (int) self->descriptions->len
                       ? g_ptr_array_index (self->descriptions, self->scene)
                       : "";
  gtk_label_set_text (GTK_LABEL (self->scene_label), desc);
  if (self->takes == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->info_label),
                          al_listen_panel_is_rendering (self) ? _("Rendering the scene…") : "");
      return;
    }
  g_autofree char *text
    = g_strdup_printf (_("Headphones: microphones %d (left) and %d (right); ground truth and encoders through "
                         "virtual cardioids at ±%.0f°. One gain for every take (%+.1f dB) keeps their levels "
                         "comparable."),
                       self->takes->left_mic + 1, self->takes->right_mic + 1, self->takes->azimuth,
                       self->takes->gain_db);
  gtk_label_set_text (GTK_LABEL (self->info_label), text);
}

/* ---- rendering ---- */

typedef struct {
  AlAtfSet *atf;
  GPtrArray *encoders;
  AlSceneSet set;
  char *clips_dir;
  int index;
  AlSceneAudio *audio; /* results */
  AlListenTakes *takes;
} RenderJob;

static void
render_job_free (RenderJob *job)
{
  al_atf_set_free (job->atf);
  g_ptr_array_unref (job->encoders);
  g_free (job->clips_dir);
  al_scene_audio_free (job->audio);
  al_listen_takes_free (job->takes);
  g_free (job);
}

static void
render_worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  RenderJob *job = task_data;
  GError *error = NULL;
  AlSceneClips clips = { 0 };
  if (!al_scene_clips_load (&clips, job->clips_dir, job->atf->fs, NULL, &error))
    {
      al_scene_clips_clear (&clips);
      g_task_return_error (task, error);
      return;
    }
  AlProgress progress = { .cancellable = cancellable };
  job->audio = al_scene_audio_render (job->atf, (AlSceneEncoder *const *) job->encoders->pdata, job->encoders->len,
                                      &job->set, (AlAudio *const *) clips.audio->pdata,
                                      (const char *const *) clips.names->pdata, clips.audio->len, job->index,
                                      AL_SH_SN3D, &progress, &error);
  al_scene_clips_clear (&clips);
  if (job->audio != NULL)
    {
      AlListenOptions opt;
      al_listen_options_init (&opt);
      job->takes = al_listen_takes_new (job->audio, job->atf->mic_pos, &opt, &error);
    }
  if (job->takes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
render_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AlListenPanel *self = AL_LISTEN_PANEL (source);
  GTask *task = G_TASK (result);
  RenderJob *job = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  const gboolean ok = g_task_propagate_boolean (task, &error);
  /* A newer render (or a new source) has taken over: its own callback counts. */
  if (g_task_get_cancellable (task) != self->render_cancel)
    return;
  g_clear_object (&self->render_cancel);
  if (!ok)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      self->play_after_render = FALSE;
      update_info (self);
      update_controls (self);
      return;
    }
  self->audio = g_steal_pointer (&job->audio);
  self->takes = g_steal_pointer (&job->takes);
  self->wave_take = -1;
  update_info (self);
  update_controls (self);
  if (self->play_after_render)
    {
      self->play_after_render = FALSE;
      al_listen_panel_play (self);
    }
}

/* Forgets the rendered scene and renders `index`. */
static void
render_scene (AlListenPanel *self)
{
  if (self->render_cancel != NULL)
    {
      g_cancellable_cancel (self->render_cancel);
      g_clear_object (&self->render_cancel);
    }
  g_clear_pointer (&self->audio, al_scene_audio_free);
  g_clear_pointer (&self->takes, al_listen_takes_free);
  self->wave_take = -1;
  self->start_at = -1;
  al_wave_view_set_signal (AL_WAVE_VIEW (self->wave), NULL, 0, 0, 0);
  if (self->player != NULL)
    {
      /* The player stays open on its device; the next play loads the new takes. */
      stop_ticking (self);
      al_audio_player_stop (self->player);
      self->player_loaded = FALSE;
    }
  if (self->atf == NULL)
    return;
  RenderJob *job = g_new0 (RenderJob, 1);
  job->atf = al_atf_set_copy (self->atf);
  job->encoders = g_ptr_array_ref (self->encoders);
  job->set = self->set;
  job->clips_dir = g_strdup (self->clips_dir);
  job->index = self->scene;
  self->render_cancel = g_cancellable_new ();
  GTask *task = g_task_new (self, self->render_cancel, render_done, NULL);
  g_task_set_source_tag (task, render_scene);
  g_task_set_task_data (task, job, (GDestroyNotify) render_job_free);
  g_task_run_in_thread (task, render_worker);
  g_object_unref (task);
  update_info (self);
  update_controls (self);
}

/* ---- devices ---- */

static void
on_device_selected (GObject *drop, GParamSpec *pspec, AlListenPanel *self)
{
  if (self->updating)
    return;
  const guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (drop));
  const char *uri = i >= 1 && i - 1 < self->device_uris->len ? g_ptr_array_index (self->device_uris, i - 1) : NULL;
  al_listen_panel_set_device (self, uri);
}

static void
list_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AlListenPanel *self = AL_LISTEN_PANEL (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = al_view_list_audio_devices_finish (result, &error);
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  gtk_string_list_append (names, _("Default output"));
  g_ptr_array_set_size (self->device_uris, 0);
  guint selected = 0;
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      const AlAudioDevice *d = g_ptr_array_index (list, i);
      if (d->max_outputs < 2) /* the takes are stereo */
        continue;
      g_autofree char *label = g_strdup_printf ("%s (%s)", d->name, d->host_api);
      gtk_string_list_append (names, label);
      char *uri = g_strdup_printf ("portaudio:%d?out=1-2", d->index);
      if (g_strcmp0 (uri, self->device_uri) == 0)
        selected = self->device_uris->len + 1;
      g_ptr_array_add (self->device_uris, uri);
    }
  self->updating = TRUE;
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->device_drop), G_LIST_MODEL (names));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->device_drop), selected);
  self->updating = FALSE;
  if (error != NULL)
    show_error (self, error->message);
}

static void
on_map (GtkWidget *widget, AlListenPanel *self)
{
  if (self->devices_listed)
    return;
  self->devices_listed = TRUE;
  al_view_list_audio_devices (self, list_done, NULL);
}

/* ---- signal handlers ---- */

static void
on_scene_changed (GtkSpinButton *spin, AlListenPanel *self)
{
  if (!self->updating)
    al_listen_panel_set_scene (self, gtk_spin_button_get_value_as_int (spin) - 1);
}

static void
on_play_clicked (GtkButton *button, AlListenPanel *self)
{
  if (al_listen_panel_get_state (self) == AL_AUDIO_PLAYER_PLAYING || self->play_after_open || self->play_after_render)
    al_listen_panel_pause (self);
  else
    al_listen_panel_play (self);
}

static void
on_stop_clicked (GtkButton *button, AlListenPanel *self)
{
  al_listen_panel_stop (self);
}

static gboolean
on_position_changed (GtkRange *range, GtkScrollType scroll, double value, AlListenPanel *self)
{
  al_listen_panel_seek (self, value);
  return FALSE;
}

static void
on_wave_seek (AlWaveView *wave, double seconds, AlListenPanel *self)
{
  al_listen_panel_seek (self, seconds);
}

static void
on_loop_toggled (GtkToggleButton *button, AlListenPanel *self)
{
  if (self->player != NULL)
    al_audio_player_set_loop (self->player, gtk_toggle_button_get_active (button), 0, 0);
}

static void
export_response (GtkNativeDialog *dialog, int response, AlListenPanel *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *dir = g_file_get_path (folder);
      g_autoptr (GError) error = NULL;
      if (!al_listen_panel_export (self, dir, &error))
        show_error (self, error->message);
      else
        {
          g_autofree char *msg = g_strdup_printf (_("Scene %d's audio written to %s"), self->scene + 1, dir);
          gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", msg);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
on_export_clicked (GtkButton *button, AlListenPanel *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog
    = gtk_file_chooser_native_new (_("Export the Scene's Audio"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Export"), NULL);
  g_signal_connect (dialog, "response", G_CALLBACK (export_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static gboolean
on_key (GtkEventControllerKey *controller, guint keyval, guint keycode, GdkModifierType state, AlListenPanel *self)
{
  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK))
    return FALSE;
  if (keyval >= GDK_KEY_1 && keyval <= GDK_KEY_9 && (int) (keyval - GDK_KEY_1) < (int) self->take_buttons->len)
    {
      al_listen_panel_select (self, (int) (keyval - GDK_KEY_1));
      return TRUE;
    }
  if (keyval == GDK_KEY_space)
    {
      on_play_clicked (NULL, self);
      return TRUE;
    }
  return FALSE;
}

/* ---- public ---- */

GtkWidget *
al_listen_panel_new (void)
{
  return g_object_new (AL_TYPE_LISTEN_PANEL, NULL);
}

static char *
describe_scene (const AlSceneInfo *s, int index)
{
  return g_strdup_printf (ngettext ("Scene %d · seed %u · %.1f × %.1f × %.1f m · RT60 %.2f s · %.1f s · %d source",
                                    "Scene %d · seed %u · %.1f × %.1f × %.1f m · RT60 %.2f s · %.1f s · %d sources",
                                    s->nsources),
                          index + 1, s->seed, s->room[0], s->room[1], s->room[2], s->rt60, s->duration,
                          s->nsources);
}

void
al_listen_panel_set_source (AlListenPanel *self, const AlAtfSet *atf, GPtrArray *encoders, const AlSceneSet *set,
                            const char *clips_dir, const AlSceneEval *ev)
{
  g_return_if_fail (AL_IS_LISTEN_PANEL (self));
  if (self->render_cancel != NULL)
    {
      g_cancellable_cancel (self->render_cancel);
      g_clear_object (&self->render_cancel);
    }
  drop_player (self);
  g_clear_pointer (&self->audio, al_scene_audio_free);
  g_clear_pointer (&self->takes, al_listen_takes_free);
  g_clear_pointer (&self->atf, al_atf_set_free);
  g_clear_pointer (&self->encoders, g_ptr_array_unref);
  g_clear_pointer (&self->clips_dir, g_free);
  g_clear_pointer (&self->descriptions, g_ptr_array_unref);
  self->play_after_render = FALSE;
  self->start_at = -1;
  self->scene = 0;
  show_error (self, NULL);
  if (atf != NULL)
    {
      g_return_if_fail (encoders != NULL && set != NULL);
      self->atf = al_atf_set_copy (atf);
      self->encoders = g_ptr_array_ref (encoders);
      self->set = *set;
      self->clips_dir = g_strdup (clips_dir);
      self->descriptions = g_ptr_array_new_with_free_func (g_free);
      for (int s = 0; ev != NULL && s < ev->nscenes; s++)
        g_ptr_array_add (self->descriptions, describe_scene (&ev->scenes[s], s));
    }
  self->updating = TRUE;
  gtk_spin_button_set_range (GTK_SPIN_BUTTON (self->scene_spin), 1, MAX (set != NULL ? set->count : 1, 1));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->scene_spin), 1);
  gtk_widget_set_sensitive (self->scene_spin, atf != NULL);
  self->updating = FALSE;
  rebuild_take_buttons (self);
  update_info (self);
  update_controls (self);
}

void
al_listen_panel_set_scene (AlListenPanel *self, int index)
{
  g_return_if_fail (AL_IS_LISTEN_PANEL (self));
  if (self->atf == NULL)
    return;
  index = CLAMP (index, 0, self->set.count - 1);
  const gboolean playing = al_listen_panel_get_state (self) == AL_AUDIO_PLAYER_PLAYING;
  self->scene = index;
  self->updating = TRUE;
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->scene_spin), index + 1);
  self->updating = FALSE;
  show_error (self, NULL);
  self->play_after_render = playing;
  render_scene (self);
}

int
al_listen_panel_get_scene (AlListenPanel *self)
{
  return self->scene;
}

gboolean
al_listen_panel_is_rendering (AlListenPanel *self)
{
  return self->render_cancel != NULL;
}

gboolean
al_listen_panel_is_opening (AlListenPanel *self)
{
  return self->open_cancel != NULL;
}

const AlListenTakes *
al_listen_panel_get_takes (AlListenPanel *self)
{
  return self->takes;
}

const AlSceneAudio *
al_listen_panel_get_audio (AlListenPanel *self)
{
  return self->audio;
}

void
al_listen_panel_set_device (AlListenPanel *self, const char *uri)
{
  g_return_if_fail (AL_IS_LISTEN_PANEL (self));
  if (uri != NULL && uri[0] == '\0')
    uri = NULL;
  if (g_strcmp0 (uri, self->device_uri) == 0)
    return;
  const gboolean playing = al_listen_panel_get_state (self) == AL_AUDIO_PLAYER_PLAYING;
  const double pos = al_listen_panel_get_position (self);
  drop_player (self);
  g_free (self->device_uri);
  self->device_uri = g_strdup (uri);
  show_error (self, NULL);
  if (playing)
    {
      self->start_at = pos;
      al_listen_panel_play (self);
    }
  update_controls (self);
}

void
al_listen_panel_play (AlListenPanel *self)
{
  g_return_if_fail (AL_IS_LISTEN_PANEL (self));
  if (self->atf == NULL)
    return;
  if (self->takes == NULL)
    {
      self->play_after_render = TRUE;
      if (!al_listen_panel_is_rendering (self))
        render_scene (self);
      return;
    }
  if (self->player == NULL)
    {
      open_player (self);
      update_controls (self);
      return;
    }
  g_autoptr (GError) error = NULL;
  if (!load_player (self, &error) || !al_audio_player_play (self->player, &error))
    {
      show_error (self, error->message);
      /* A player that could not start keeps nothing worth keeping. */
      drop_player (self);
      update_controls (self);
      return;
    }
  show_error (self, NULL);
  start_ticking (self);
  update_controls (self);
}

void
al_listen_panel_pause (AlListenPanel *self)
{
  g_return_if_fail (AL_IS_LISTEN_PANEL (self));
  self->play_after_render = FALSE;
  self->play_after_open = FALSE;
  if (self->player != NULL)
    al_audio_player_pause (self->player);
  stop_ticking (self);
  update_controls (self);
}

void
al_listen_panel_stop (AlListenPanel *self)
{
  g_return_if_fail (AL_IS_LISTEN_PANEL (self));
  self->play_after_render = FALSE;
  self->play_after_open = FALSE;
  self->start_at = -1;
  if (self->player != NULL)
    {
      al_audio_player_stop (self->player);
      al_audio_player_seek (self->player, 0);
    }
  stop_ticking (self);
  update_controls (self);
}

void
al_listen_panel_select (AlListenPanel *self, int take)
{
  g_return_if_fail (AL_IS_LISTEN_PANEL (self));
  if (take < 0 || take >= (int) self->take_buttons->len)
    return;
  self->take = take;
  if (self->player != NULL)
    al_audio_player_select (self->player, take);
  update_controls (self);
}

int
al_listen_panel_get_take (AlListenPanel *self)
{
  return self->take;
}

void
al_listen_panel_seek (AlListenPanel *self, double seconds)
{
  g_return_if_fail (AL_IS_LISTEN_PANEL (self));
  if (self->player != NULL && self->player_loaded)
    al_audio_player_seek (self->player, seconds);
  else
    self->start_at = MAX (seconds, 0);
  update_controls (self);
}

double
al_listen_panel_get_position (AlListenPanel *self)
{
  if (self->player != NULL && self->player_loaded)
    return al_audio_player_get_position (self->player);
  return MAX (self->start_at, 0);
}

AlAudioPlayerState
al_listen_panel_get_state (AlListenPanel *self)
{
  return self->player != NULL ? al_audio_player_get_state (self->player) : AL_AUDIO_PLAYER_STOPPED;
}

const char *
al_listen_panel_get_error (AlListenPanel *self)
{
  return self->error_text;
}

gboolean
al_listen_panel_export (AlListenPanel *self, const char *dir, GError **error)
{
  g_return_val_if_fail (AL_IS_LISTEN_PANEL (self), FALSE);
  if (self->audio == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("No scene has been rendered yet."));
      return FALSE;
    }
  return al_scene_audio_write (self->audio, self->takes, dir, FALSE, error);
}

/* ---- GObject ---- */

static void
al_listen_panel_dispose (GObject *object)
{
  AlListenPanel *self = AL_LISTEN_PANEL (object);
  if (self->render_cancel != NULL)
    g_cancellable_cancel (self->render_cancel);
  g_clear_object (&self->render_cancel);
  drop_player (self);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (al_listen_panel_parent_class)->dispose (object);
}

static void
al_listen_panel_finalize (GObject *object)
{
  AlListenPanel *self = AL_LISTEN_PANEL (object);
  al_scene_audio_free (self->audio);
  al_listen_takes_free (self->takes);
  al_atf_set_free (self->atf);
  if (self->encoders != NULL)
    g_ptr_array_unref (self->encoders);
  if (self->descriptions != NULL)
    g_ptr_array_unref (self->descriptions);
  g_ptr_array_unref (self->take_buttons);
  g_ptr_array_unref (self->device_uris);
  g_free (self->clips_dir);
  g_free (self->device_uri);
  g_free (self->error_text);
  G_OBJECT_CLASS (al_listen_panel_parent_class)->finalize (object);
}

static GtkWidget *
icon_button (const char *icon, const char *tooltip)
{
  GtkWidget *b = gtk_button_new_from_icon_name (icon);
  gtk_widget_set_tooltip_text (b, tooltip);
  gtk_widget_add_css_class (b, "circular");
  gtk_widget_set_valign (b, GTK_ALIGN_CENTER);
  return b;
}

static void
al_listen_panel_init (AlListenPanel *self)
{
  self->take_buttons = g_ptr_array_new ();
  self->start_at = -1;
  self->device_uris = g_ptr_array_new_with_free_func (g_free);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_start (self->box, 18);
  gtk_widget_set_margin_end (self->box, 18);
  gtk_widget_set_margin_top (self->box, 18);
  gtk_widget_set_margin_bottom (self->box, 18);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  /* Scene and output device */
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new_with_mnemonic (_("_Scene"));
  self->scene_spin = gtk_spin_button_new_with_range (1, 1, 1);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), self->scene_spin);
  gtk_widget_set_tooltip_text (self->scene_spin, _("The scene of the evaluated set to listen to"));
  self->scene_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->scene_label, "dim-label");
  gtk_label_set_wrap (GTK_LABEL (self->scene_label), TRUE);
  gtk_widget_set_hexpand (self->scene_label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->scene_label), 0);
  GtkWidget *out_label = gtk_label_new_with_mnemonic (_("_Output"));
  const char *const no_devices[] = { _("Default output"), NULL };
  self->device_drop = gtk_drop_down_new_from_strings (no_devices);
  gtk_label_set_mnemonic_widget (GTK_LABEL (out_label), self->device_drop);
  gtk_widget_set_tooltip_text (self->device_drop, _("Where the takes play: outputs 1 and 2 of this device"));
  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (row), self->scene_spin);
  gtk_box_append (GTK_BOX (row), self->scene_label);
  gtk_box_append (GTK_BOX (row), out_label);
  gtk_box_append (GTK_BOX (row), self->device_drop);
  gtk_box_append (GTK_BOX (self->box), row);

  /* The takes: one linked group, switched while playing */
  self->takes_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (self->takes_box, "linked");
  gtk_widget_set_halign (self->takes_box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (self->box), self->takes_box);

  self->wave = al_wave_view_new ();
  self->wave_take = -1;
  gtk_widget_set_tooltip_text (self->wave, _("The take playing, left and right; click to move there"));
  gtk_widget_add_css_class (self->wave, "card");
  gtk_box_append (GTK_BOX (self->box), self->wave);

  /* Transport */
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->play_button = icon_button ("media-playback-start-symbolic", _("Play (Space)"));
  gtk_widget_add_css_class (self->play_button, "suggested-action");
  self->stop_button = icon_button ("media-playback-stop-symbolic", _("Stop"));
  self->position_scale = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0, 1, 0.1);
  gtk_scale_set_draw_value (GTK_SCALE (self->position_scale), FALSE);
  gtk_widget_set_hexpand (self->position_scale, TRUE);
  gtk_widget_set_tooltip_text (self->position_scale, _("Position in the scene"));
  self->time_label = gtk_label_new ("0:00.0 / 0:00.0");
  gtk_widget_add_css_class (self->time_label, "numeric");
  self->loop_button = gtk_toggle_button_new ();
  gtk_button_set_icon_name (GTK_BUTTON (self->loop_button), "media-playlist-repeat-symbolic");
  gtk_widget_set_tooltip_text (self->loop_button, _("Loop the scene"));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->loop_button), TRUE);
  gtk_widget_set_valign (self->loop_button, GTK_ALIGN_CENTER);
  self->export_button = gtk_button_new_with_mnemonic (_("E_xport Audio…"));
  gtk_widget_set_tooltip_text (self->export_button,
                               _("Write the scene's mics, ground truth, every encoder's output and the headphone "
                                 "takes as WAV files to a folder"));
  gtk_widget_set_valign (self->export_button, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (row), self->play_button);
  gtk_box_append (GTK_BOX (row), self->stop_button);
  gtk_box_append (GTK_BOX (row), self->position_scale);
  gtk_box_append (GTK_BOX (row), self->time_label);
  gtk_box_append (GTK_BOX (row), self->loop_button);
  gtk_box_append (GTK_BOX (row), self->export_button);
  gtk_box_append (GTK_BOX (self->box), row);

  self->info_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->info_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->info_label), 0);
  gtk_widget_add_css_class (self->info_label, "dim-label");
  gtk_box_append (GTK_BOX (self->box), self->info_label);
  self->error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->error_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->error_label), 0);
  gtk_label_set_selectable (GTK_LABEL (self->error_label), TRUE);
  gtk_widget_add_css_class (self->error_label, "error");
  gtk_widget_set_visible (self->error_label, FALSE);
  gtk_box_append (GTK_BOX (self->box), self->error_label);

  g_signal_connect (self->scene_spin, "value-changed", G_CALLBACK (on_scene_changed), self);
  g_signal_connect (self->device_drop, "notify::selected", G_CALLBACK (on_device_selected), self);
  g_signal_connect (self->play_button, "clicked", G_CALLBACK (on_play_clicked), self);
  g_signal_connect (self->stop_button, "clicked", G_CALLBACK (on_stop_clicked), self);
  g_signal_connect (self->position_scale, "change-value", G_CALLBACK (on_position_changed), self);
  g_signal_connect (self->wave, "seek", G_CALLBACK (on_wave_seek), self);
  g_signal_connect (self->loop_button, "toggled", G_CALLBACK (on_loop_toggled), self);
  g_signal_connect (self->export_button, "clicked", G_CALLBACK (on_export_clicked), self);
  g_signal_connect (self, "map", G_CALLBACK (on_map), self);
  GtkEventController *keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  update_info (self);
  update_controls (self);
}

static void
al_listen_panel_class_init (AlListenPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->dispose = al_listen_panel_dispose;
  object_class->finalize = al_listen_panel_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "listen-panel");
}
