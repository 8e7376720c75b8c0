/* al-demo-project.h — the demo project opened on first run: the bundled
 * 5-mic glasses ATFs and two encoders (10 dB and 20 dB gain limits), created
 * in a worker in the user's data folder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* $XDG_DATA_HOME/ambilab/Demo project */
char *al_demo_project_dir (void);
/* The bundled SOFA file: installed, else in the build tree; NULL when neither exists. */
char *al_demo_sofa_path (void);
/* Creates the demo project unless it exists; returns its folder. */
void al_demo_project_ensure_async (GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
char *al_demo_project_ensure_finish (GAsyncResult *result, GError **error);

G_END_DECLS
