/* al-document.h — the open project as a GObject for the views: signals when
 * it is replaced or its encoders change, properties for the window title.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "encode/al-encode.h"
#include "io/al-project.h"

G_BEGIN_DECLS

#define AL_TYPE_DOCUMENT (al_document_get_type ())
G_DECLARE_FINAL_TYPE (AlDocument, al_document, AL, DOCUMENT, GObject)

/* Encoders as a project item kind (al_encoder_save/load/free). */
const AlProjectKind *al_document_encoder_kind (void);

AlDocument *al_document_new (void);
AlProject *al_document_get_project (AlDocument *doc);
/* Takes ownership; emits ::changed and notifies title, modified and dir. */
void al_document_set_project (AlDocument *doc, AlProject *project);
const AlAtfSet *al_document_get_atf (AlDocument *doc);
const char *al_document_get_title (AlDocument *doc);
const char *al_document_get_dir (AlDocument *doc);
gboolean al_document_get_modified (AlDocument *doc);

guint al_document_n_encoders (AlDocument *doc);
const AlEncoder *al_document_get_encoder (AlDocument *doc, guint index);
const char *al_document_get_encoder_name (AlDocument *doc, guint index);
/* Takes ownership of enc; its name is made unique.  Returns the index, -1 on error. */
int al_document_add_encoder (AlDocument *doc, AlEncoder *enc, GError **error);
gboolean al_document_remove_encoder (AlDocument *doc, guint index);

gboolean al_document_save (AlDocument *doc, GError **error);
gboolean al_document_save_as (AlDocument *doc, const char *dir, gboolean overwrite, GError **error);

/* Reads the SOFA file in a worker; on success it becomes the project's ATF
 * set, on error the project is untouched. */
void al_document_import_sofa_async (AlDocument *doc, const char *path, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data);
gboolean al_document_import_sofa_finish (AlDocument *doc, GAsyncResult *result, GError **error);

/* Opens a project folder in a worker; returns a new project (not yet set). */
void al_project_open_async (const char *dir, GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data);
AlProject *al_project_open_finish (GAsyncResult *result, GError **error);

/* The application's settings; falls back to the schema compiled in the
 * build tree so that uninstalled runs work. */
GSettings *al_settings_new (void);

G_END_DECLS
