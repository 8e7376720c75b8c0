/* al-demo-project.c — the demo project, built on first run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "al-demo-project.h"
#include "al-document.h"

char *
al_demo_project_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "ambilab", _("Demo project"), NULL);
}

char *
al_demo_sofa_path (void)
{
  const char *env = g_getenv ("AMBILAB_DEMO_SOFA");
  const char *dirs[] = { AL_PKGDATADIR, AL_BUILD_RESOURCES_DIR };
  if (env != NULL && g_file_test (env, G_FILE_TEST_EXISTS))
    return g_strdup (env);
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      char *path = g_build_filename (dirs[i], "glasses5.sofa", NULL);
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return path;
      g_free (path);
    }
  return NULL;
}

static void
demo_worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  const char *dir = task_data;
  GError *error = NULL;
  g_autofree char *sofa = al_demo_sofa_path ();
  if (sofa == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("The demo array (glasses5.sofa) is not installed in %s"), AL_PKGDATADIR);
      return;
    }
  g_autoptr (AlProject) p = al_project_new (_("Demo: 5-mic glasses"));
  if (!al_project_import_sofa (p, sofa, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* The two designs of `ambilab-cli demo`: order 1, diffuse-field EQ. */
  const double gains[] = { 10, 20 };
  for (int i = 0; i < 2; i++)
    {
      AlDesignParams params;
      al_design_params_init (&params);
      params.order = 1;
      params.max_gain_db = gains[i];
      params.diffuse_eq = TRUE;
      params.fir_length = 2048;
      AlProgress progress = { .cancellable = cancellable };
      AlEncoder *enc = al_encoder_design (al_project_get_atf (p), &params, &progress, &error);
      if (enc == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      g_autofree char *name = g_strdup_printf (_("Limit %.0f dB"), gains[i]);
      g_free (enc->name);
      enc->name = g_strdup (name);
      if (al_project_add_item (p, al_document_encoder_kind (), name, enc, &error) < 0)
        {
          al_encoder_free (enc);
          g_task_return_error (task, error);
          return;
        }
    }
  if (!al_project_save_as (p, dir, FALSE, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_strdup (dir), g_free);
}

void
al_demo_project_ensure_async (GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, al_demo_project_ensure_async);
  char *dir = al_demo_project_dir ();
  g_autofree char *manifest = g_build_filename (dir, AL_PROJECT_MANIFEST, NULL);
  if (g_file_test (manifest, G_FILE_TEST_EXISTS))
    {
      g_task_return_pointer (task, dir, g_free);
      return;
    }
  g_task_set_task_data (task, dir, g_free);
  g_task_run_in_thread (task, demo_worker);
}

char *
al_demo_project_ensure_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
