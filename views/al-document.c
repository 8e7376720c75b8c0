/* al-document.c — the open project as a GObject.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "al-document.h"
#include "io/al-io.h"

struct _AlDocument {
  GObject parent_instance;
  AlProject *project;
};

G_DEFINE_FINAL_TYPE (AlDocument, al_document, G_TYPE_OBJECT)

enum { PROP_0, PROP_TITLE, PROP_MODIFIED, PROP_DIR, N_PROPS };
enum { CHANGED, ENCODERS_CHANGED, N_SIGNALS };
static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gboolean
encoder_save (gconstpointer item, const char *path, GError **error)
{
  return al_encoder_save (item, path, error);
}

static gpointer
encoder_load (const char *path, GError **error)
{
  return al_encoder_load (path, error);
}

static char **
encoder_companions (const char *path)
{
  g_autofree char *stem = g_str_has_suffix (path, ".json") ? g_strndup (path, strlen (path) - 5) : g_strdup (path);
  char **v = g_new0 (char *, 3);
  v[0] = g_strconcat (stem, ".wav", NULL);
  return v;
}

static const AlProjectKind encoder_kind = {
  .kind = "encoders",
  .folder = "encoders",
  .suffix = ".json",
  .save = encoder_save,
  .load = encoder_load,
  .free = (GDestroyNotify) al_encoder_free,
  .companions = encoder_companions,
};

const AlProjectKind *
al_document_encoder_kind (void)
{
  return &encoder_kind;
}

static void
al_document_finalize (GObject *object)
{
  AlDocument *self = AL_DOCUMENT (object);
  g_clear_pointer (&self->project, al_project_free);
  G_OBJECT_CLASS (al_document_parent_class)->finalize (object);
}

static void
al_document_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  AlDocument *self = AL_DOCUMENT (object);
  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, al_document_get_title (self));
      break;
    case PROP_MODIFIED:
      g_value_set_boolean (value, al_document_get_modified (self));
      break;
    case PROP_DIR:
      g_value_set_string (value, al_document_get_dir (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
al_document_class_init (AlDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->finalize = al_document_finalize;
  object_class->get_property = al_document_get_property;
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODIFIED]
    = g_param_spec_boolean ("modified", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIR] = g_param_spec_string ("dir", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  /* The whole project (or its ATF set) was replaced. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
  signals[ENCODERS_CHANGED] = g_signal_new ("encoders-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                            NULL, NULL, G_TYPE_NONE, 0);
}

static void
al_document_init (AlDocument *self)
{
  self->project = al_project_new (_("Untitled"));
}

AlDocument *
al_document_new (void)
{
  return g_object_new (AL_TYPE_DOCUMENT, NULL);
}

static void
notify_state (AlDocument *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIR]);
}

AlProject *
al_document_get_project (AlDocument *self)
{
  return self->project;
}

void
al_document_set_project (AlDocument *self, AlProject *project)
{
  g_return_if_fail (project != NULL);
  g_clear_pointer (&self->project, al_project_free);
  self->project = project;
  g_signal_emit (self, signals[CHANGED], 0);
  g_signal_emit (self, signals[ENCODERS_CHANGED], 0);
  notify_state (self);
}

const AlAtfSet *
al_document_get_atf (AlDocument *self)
{
  return al_project_get_atf (self->project);
}

const char *
al_document_get_title (AlDocument *self)
{
  return al_project_get_name (self->project);
}

const char *
al_document_get_dir (AlDocument *self)
{
  return al_project_get_dir (self->project);
}

gboolean
al_document_get_modified (AlDocument *self)
{
  return al_project_is_modified (self->project);
}

guint
al_document_n_encoders (AlDocument *self)
{
  return al_project_n_items (self->project, &encoder_kind);
}

const AlEncoder *
al_document_get_encoder (AlDocument *self, guint index)
{
  return al_project_get_item (self->project, &encoder_kind, index);
}

const char *
al_document_get_encoder_name (AlDocument *self, guint index)
{
  return al_project_get_item_name (self->project, &encoder_kind, index);
}

int
al_document_add_encoder (AlDocument *self, AlEncoder *enc, GError **error)
{
  g_autofree char *name = al_project_unique_name (self->project, &encoder_kind, enc->name ? enc->name : "encoder");
  g_free (enc->name);
  enc->name = g_strdup (name);
  int index = al_project_add_item (self->project, &encoder_kind, name, enc, error);
  if (index < 0)
    return -1;
  g_signal_emit (self, signals[ENCODERS_CHANGED], 0);
  notify_state (self);
  return index;
}

gboolean
al_document_remove_encoder (AlDocument *self, guint index)
{
  if (!al_project_remove_item (self->project, &encoder_kind, index))
    return FALSE;
  g_signal_emit (self, signals[ENCODERS_CHANGED], 0);
  notify_state (self);
  return TRUE;
}

gboolean
al_document_save (AlDocument *self, GError **error)
{
  gboolean ok = al_project_save (self->project, error);
  notify_state (self);
  return ok;
}

gboolean
al_document_save_as (AlDocument *self, const char *dir, gboolean overwrite, GError **error)
{
  gboolean ok = al_project_save_as (self->project, dir, overwrite, error);
  notify_state (self);
  return ok;
}

/* ---- import in a worker ---- */

static void
import_worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  const char *path = task_data;
  GError *error = NULL;
  AlAtfSet *set = al_sofa_read (path, &error);
  if (set != NULL && !al_atf_set_validate (set, path, &error))
    g_clear_pointer (&set, al_atf_set_free);
  if (set == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, set, (GDestroyNotify) al_atf_set_free);
}

void
al_document_import_sofa_async (AlDocument *self, const char *path, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, al_document_import_sofa_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, import_worker);
}

gboolean
al_document_import_sofa_finish (AlDocument *self, GAsyncResult *result, GError **error)
{
  AlAtfSet *set = g_task_propagate_pointer (G_TASK (result), error);
  if (set == NULL)
    return FALSE;
  al_project_import_atf (self->project, set, g_task_get_task_data (G_TASK (result)));
  g_signal_emit (self, signals[CHANGED], 0);
  notify_state (self);
  return TRUE;
}

static void
open_worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  AlProgress progress = { .cancellable = cancellable };
  AlProject *p = al_project_open (task_data, al_document_encoder_kind (), 1, &progress, &error);
  if (p == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, p, (GDestroyNotify) al_project_free);
}

void
al_project_open_async (const char *dir, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, al_project_open_async);
  g_task_set_task_data (task, g_strdup (dir), g_free);
  g_task_run_in_thread (task, open_worker);
}

AlProject *
al_project_open_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

GSettings *
al_settings_new (void)
{
  GSettingsSchemaSource *def = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = def ? g_settings_schema_source_lookup (def, AL_APP_ID, TRUE) : NULL;
  if (schema == NULL)
    {
      g_autoptr (GSettingsSchemaSource) src
        = g_settings_schema_source_new_from_directory (AL_BUILD_RESOURCES_DIR, def, FALSE, NULL);
      if (src != NULL)
        schema = g_settings_schema_source_lookup (src, AL_APP_ID, FALSE);
    }
  if (schema == NULL)
    g_error ("GSettings schema %s is neither installed nor in %s", AL_APP_ID, AL_BUILD_RESOURCES_DIR);
  return g_settings_new_full (schema, NULL, NULL);
}
