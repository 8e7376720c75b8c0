/* al-window.c — the studio window.  Pages come from the page registry; the
 * project menu's actions are installed on the class.  Opening and importing
 * run in workers and replace nothing until they succeed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "al-demo-project.h"
#include "al-page-registry.h"
#include "al-window.h"

#define MAX_RECENT 8

struct _AlWindow {
  AdwApplicationWindow parent_instance;
  AlDocument *document;
  GSettings *settings;
  GCancellable *cancellable;
  char *last_error;
  char *title_text;
  int loading;
  gboolean close_confirmed;

  AdwToastOverlay *toast_overlay;
  GtkListBox *sidebar;
  GtkStack *stack;
  AdwWindowTitle *window_title;
  GMenu *recent_menu;
};

G_DEFINE_FINAL_TYPE (AlWindow, al_window, ADW_TYPE_APPLICATION_WINDOW)

enum { JOB_FINISHED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ---- messages ---- */

static void
show_toast (AlWindow *self, const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
show_error (AlWindow *self, const char *heading, const char *message)
{
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

const char *
al_window_get_last_error (AlWindow *self)
{
  return self->last_error;
}

gboolean
al_window_is_loading (AlWindow *self)
{
  return self->loading > 0;
}

/* ---- title and recent projects ---- */

static void
update_title (AlWindow *self)
{
  const char *name = al_document_get_title (self->document);
  gboolean modified = al_document_get_modified (self->document);
  g_free (self->title_text);
  self->title_text = modified ? g_strdup_printf ("• %s", name) : g_strdup (name);
  adw_window_title_set_title (self->window_title, self->title_text);
  const char *dir = al_document_get_dir (self->document);
  if (dir != NULL)
    {
      const char *home = g_get_home_dir ();
      g_autofree char *shown = g_str_has_prefix (dir, home) ? g_strconcat ("~", dir + strlen (home), NULL)
                                                            : g_strdup (dir);
      adw_window_title_set_subtitle (self->window_title, shown);
    }
  else
    adw_window_title_set_subtitle (self->window_title, _("Not saved yet"));
  g_autofree char *title = g_strdup_printf ("%s — Ambilab", self->title_text);
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save", modified || dir == NULL);
}

const char *
al_window_get_title_text (AlWindow *self)
{
  return self->title_text;
}

static void
rebuild_recent_menu (AlWindow *self)
{
  g_menu_remove_all (self->recent_menu);
  g_auto (GStrv) recent = g_settings_get_strv (self->settings, "recent-projects");
  for (int i = 0; recent[i]; i++)
    {
      g_autofree char *base = g_path_get_basename (recent[i]);
      g_autoptr (GMenuItem) item = g_menu_item_new (base, NULL);
      g_menu_item_set_action_and_target (item, "win.open-recent", "s", recent[i]);
      g_menu_append_item (self->recent_menu, item);
    }
}

static void
remember_project (AlWindow *self)
{
  const char *dir = al_document_get_dir (self->document);
  if (dir == NULL)
    return;
  g_settings_set_string (self->settings, "last-project", dir);
  g_auto (GStrv) old = g_settings_get_strv (self->settings, "recent-projects");
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  g_strv_builder_add (b, dir);
  int n = 1;
  for (int i = 0; old[i] && n < MAX_RECENT; i++)
    if (g_strcmp0 (old[i], dir) != 0)
      {
        g_strv_builder_add (b, old[i]);
        n++;
      }
  g_auto (GStrv) recent = g_strv_builder_end (b);
  g_settings_set_strv (self->settings, "recent-projects", (const char *const *) recent);
  rebuild_recent_menu (self);
}

/* ---- pages ---- */

GtkWidget *
al_window_get_page (AlWindow *self, const char *id)
{
  return gtk_stack_get_child_by_name (self->stack, id);
}

const char *
al_window_get_visible_page (AlWindow *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

static void
show_page (AlWindow *self, const char *id)
{
  if (al_window_get_page (self, id) == NULL)
    return;
  gtk_stack_set_visible_child_name (self->stack, id);
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "al-page"), id) == 0)
      gtk_list_box_select_row (self->sidebar, GTK_LIST_BOX_ROW (row));
}

static void
show_page_action (GtkWidget *widget, const char *name, GVariant *param)
{
  show_page (AL_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
on_row_selected (GtkListBox *box, GtkListBoxRow *row, AlWindow *self)
{
  if (row != NULL)
    gtk_stack_set_visible_child_name (self->stack, g_object_get_data (G_OBJECT (row), "al-page"));
}

static void
add_pages (AlWindow *self)
{
  guint n;
  const AlPageInfo *pages = al_page_registry_get (&n);
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *page = g_object_new (pages[i].get_type (), "document", self->document, NULL);
      gtk_stack_add_titled (self->stack, page, pages[i].id, _(pages[i].title));

      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      gtk_widget_set_margin_top (box, 6);
      gtk_widget_set_margin_bottom (box, 6);
      gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (pages[i].icon_name));
      GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      GtkWidget *title = gtk_label_new (_(pages[i].title));
      gtk_label_set_xalign (GTK_LABEL (title), 0);
      GtkWidget *sub = gtk_label_new (_(pages[i].subtitle));
      gtk_label_set_xalign (GTK_LABEL (sub), 0);
      /* Wrapped, not ellipsized: translations run longer. */
      gtk_label_set_wrap (GTK_LABEL (sub), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (sub), 24);
      gtk_widget_add_css_class (sub, "caption");
      gtk_widget_add_css_class (sub, "dim-label");
      gtk_box_append (GTK_BOX (text), title);
      gtk_box_append (GTK_BOX (text), sub);
      gtk_box_append (GTK_BOX (box), text);
      GtkWidget *row = gtk_list_box_row_new ();
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      g_object_set_data_full (G_OBJECT (row), "al-page", g_strdup (pages[i].id), g_free);
      gtk_list_box_append (self->sidebar, row);
    }
  g_signal_connect (self->sidebar, "row-selected", G_CALLBACK (on_row_selected), self);
  if (n > 0)
    show_page (self, pages[0].id);
}

/* ---- open / import ---- */

static void
job_begin (AlWindow *self)
{
  self->loading++;
}

static void
job_end (AlWindow *self)
{
  self->loading--;
  g_signal_emit (self, signals[JOB_FINISHED], 0);
}

static void
open_done (GObject *source, GAsyncResult *result, gpointer data)
{
  AlWindow *self = data;
  g_autoptr (GError) error = NULL;
  AlProject *p = al_project_open_finish (result, &error);
  if (p == NULL)
    show_error (self, _("Could Not Open Project"), error->message);
  else
    {
      al_document_set_project (self->document, p);
      remember_project (self);
    }
  job_end (self);
  g_object_unref (self);
}

void
al_window_open_project (AlWindow *self, const char *dir)
{
  job_begin (self);
  al_project_open_async (dir, self->cancellable, open_done, g_object_ref (self));
}

static void
import_done (GObject *source, GAsyncResult *result, gpointer data)
{
  AlWindow *self = data;
  g_autoptr (GError) error = NULL;
  if (!al_document_import_sofa_finish (self->document, result, &error))
    show_error (self, _("Could Not Import SOFA File"), error->message);
  else
    {
      g_autofree char *msg = g_strdup_printf (_("Imported %s"), al_project_get_atf_file (al_document_get_project (self->document)));
      show_toast (self, msg);
    }
  job_end (self);
  g_object_unref (self);
}

void
al_window_import_sofa (AlWindow *self, const char *path)
{
  job_begin (self);
  al_document_import_sofa_async (self->document, path, self->cancellable, import_done, g_object_ref (self));
}

static void
demo_done (GObject *source, GAsyncResult *result, gpointer data)
{
  AlWindow *self = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = al_demo_project_ensure_finish (result, &error);
  if (dir == NULL)
    show_error (self, _("Could Not Create the Demo Project"), error->message);
  else
    al_window_open_project (self, dir);
  job_end (self);
  g_object_unref (self);
}

static void
open_initial_project (AlWindow *self)
{
  g_autofree char *last = g_settings_get_string (self->settings, "last-project");
  g_autofree char *manifest = *last ? g_build_filename (last, AL_PROJECT_MANIFEST, NULL) : NULL;
  if (manifest != NULL && g_file_test (manifest, G_FILE_TEST_EXISTS))
    {
      al_window_open_project (self, last);
      return;
    }
  job_begin (self);
  al_demo_project_ensure_async (self->cancellable, demo_done, g_object_ref (self));
}

/* ---- unsaved changes ---- */

typedef void (*AfterConfirm) (AlWindow *self, gpointer data);

typedef struct {
  AlWindow *self;
  AfterConfirm then;
  gpointer data;
  GDestroyNotify destroy;
} Confirm;

static gboolean save_now (AlWindow *self);

static void
confirm_free (Confirm *c)
{
  if (c->destroy != NULL)
    c->destroy (c->data);
  g_object_unref (c->self);
  g_free (c);
}

static gboolean
confirm_continue (gpointer data)
{
  Confirm *c = data;
  c->then (c->self, c->data);
  return G_SOURCE_REMOVE;
}

static void
confirm_response (AdwMessageDialog *dialog, const char *response, Confirm *c)
{
  /* One answer per question, whatever else the dialog emits on closing. */
  g_signal_handlers_disconnect_by_data (dialog, c);
  gboolean go = g_str_equal (response, "discard") || (g_str_equal (response, "save") && save_now (c->self));
  /* Go on once the dialog has closed: closing the window from inside the
   * dialog's response would free the dialog's parent under it. */
  if (go)
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, confirm_continue, c, (GDestroyNotify) confirm_free);
  else
    confirm_free (c);
}

/* Runs `then` now, or after the user saved or discarded the changes. */
static void
confirm_discard (AlWindow *self, AfterConfirm then, gpointer data, GDestroyNotify destroy)
{
  if (!al_document_get_modified (self->document))
    {
      then (self, data);
      if (destroy != NULL)
        destroy (data);
      return;
    }
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save Changes?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” has unsaved changes. Changes which are not saved will be lost."),
                                  al_document_get_title (self->document));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "discard", _("_Discard"),
                                    "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  Confirm *c = g_new0 (Confirm, 1);
  c->self = g_object_ref (self);
  c->then = then;
  c->data = data;
  c->destroy = destroy;
  g_signal_connect (dialog, "response", G_CALLBACK (confirm_response), c);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- actions ---- */

static void
do_new (AlWindow *self, gpointer data)
{
  al_document_set_project (self->document, al_project_new (_("Untitled")));
}

static void
new_action (GtkWidget *widget, const char *name, GVariant *param)
{
  confirm_discard (AL_WINDOW (widget), do_new, NULL, NULL);
}

static void
do_open (AlWindow *self, gpointer data)
{
  al_window_open_project (self, data);
}

static void
open_response (GtkNativeDialog *dialog, int response, AlWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      confirm_discard (self, do_open, g_file_get_path (file), g_free);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
open_action (GtkWidget *widget, const char *name, GVariant *param)
{
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (_("Open Project"), GTK_WINDOW (widget),
                                                              GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Open"), NULL);
  g_signal_connect (dialog, "response", G_CALLBACK (open_response), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
open_recent_action (GtkWidget *widget, const char *name, GVariant *param)
{
  confirm_discard (AL_WINDOW (widget), do_open, g_strdup (g_variant_get_string (param, NULL)), g_free);
}

static void save_as_action (GtkWidget *widget, const char *name, GVariant *param);

static gboolean
save_now (AlWindow *self)
{
  if (al_document_get_dir (self->document) == NULL)
    {
      save_as_action (GTK_WIDGET (self), NULL, NULL);
      return FALSE;
    }
  g_autoptr (GError) error = NULL;
  if (!al_document_save (self->document, &error))
    {
      show_error (self, _("Could Not Save Project"), error->message);
      return FALSE;
    }
  remember_project (self);
  show_toast (self, _("Project saved"));
  return TRUE;
}

static void
save_action (GtkWidget *widget, const char *name, GVariant *param)
{
  save_now (AL_WINDOW (widget));
}

static void
save_as_response (GtkNativeDialog *dialog, int response, AlWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *dir = g_file_get_path (file);
      g_autoptr (GError) error = NULL;
      AlProject *p = al_document_get_project (self->document);
      if (al_project_get_dir (p) == NULL)
        {
          g_autofree char *base = g_path_get_basename (dir);
          al_project_set_name (p, base);
        }
      /* The chooser has asked before replacing an existing folder. */
      if (!al_document_save_as (self->document, dir, TRUE, &error))
        show_error (self, _("Could Not Save Project"), error->message);
      else
        {
          remember_project (self);
          show_toast (self, _("Project saved"));
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
save_as_action (GtkWidget *widget, const char *name, GVariant *param)
{
  AlWindow *self = AL_WINDOW (widget);
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (_("Save Project As"), GTK_WINDOW (widget),
                                                              GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), al_document_get_title (self->document));
  g_signal_connect (dialog, "response", G_CALLBACK (save_as_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
import_response (GtkNativeDialog *dialog, int response, AlWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      al_window_import_sofa (self, path);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
import_action (GtkWidget *widget, const char *name, GVariant *param)
{
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (_("Import SOFA File"), GTK_WINDOW (widget),
                                                              GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), NULL);
  GtkFileFilter *filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("SOFA files"));
  gtk_file_filter_add_pattern (filter, "*.sofa");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_unref (filter);
  g_signal_connect (dialog, "response", G_CALLBACK (import_response), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
toast_action (GtkWidget *widget, const char *name, GVariant *param)
{
  show_toast (AL_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
error_action (GtkWidget *widget, const char *name, GVariant *param)
{
  show_error (AL_WINDOW (widget), _("Something Went Wrong"), g_variant_get_string (param, NULL));
}

static void
do_close (AlWindow *self, gpointer data)
{
  self->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
al_window_close_request (GtkWindow *window)
{
  AlWindow *self = AL_WINDOW (window);
  if (!self->close_confirmed && al_document_get_modified (self->document))
    {
      confirm_discard (self, do_close, NULL, NULL);
      return TRUE;
    }
  int w, h;
  gtk_window_get_default_size (window, &w, &h);
  g_settings_set_int (self->settings, "window-width", w);
  g_settings_set_int (self->settings, "window-height", h);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  return GTK_WINDOW_CLASS (al_window_parent_class)->close_request (window);
}

/* ---- GObject ---- */

static void
al_window_dispose (GObject *object)
{
  AlWindow *self = AL_WINDOW (object);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), AL_TYPE_WINDOW);
  G_OBJECT_CLASS (al_window_parent_class)->dispose (object);
}

static void
al_window_finalize (GObject *object)
{
  AlWindow *self = AL_WINDOW (object);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->document);
  g_clear_object (&self->settings);
  g_free (self->last_error);
  g_free (self->title_text);
  G_OBJECT_CLASS (al_window_parent_class)->finalize (object);
}

static void
al_window_class_init (AlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->dispose = al_window_dispose;
  object_class->finalize = al_window_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = al_window_close_request;

  /* An open or import finished (successfully or with an error shown). */
  signals[JOB_FINISHED] = g_signal_new ("job-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                        NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, AL_RESOURCE_PATH "/ui/al-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AlWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AlWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, AlWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, AlWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, AlWindow, recent_menu);

  gtk_widget_class_install_action (widget_class, "win.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "win.import-sofa", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.toast", "s", toast_action);
  gtk_widget_class_install_action (widget_class, "win.error", "s", error_action);
}

static void
al_window_init (AlWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->document = al_document_new ();
  g_signal_connect_swapped (self->document, "notify::modified", G_CALLBACK (update_title), self);
  g_signal_connect_swapped (self->document, "notify::title", G_CALLBACK (update_title), self);
}

AlWindow *
al_window_new (AlApplication *app)
{
  AlWindow *self = g_object_new (AL_TYPE_WINDOW, "application", app, NULL);
  self->settings = g_object_ref (al_application_get_settings (app));
  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  add_pages (self);
  update_title (self);
  rebuild_recent_menu (self);
  open_initial_project (self);
  return self;
}

AlDocument *
al_window_get_document (AlWindow *self)
{
  return self->document;
}
