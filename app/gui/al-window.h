/* al-window.h — the studio window: page sidebar, project menu, title with
 * the modified mark, toasts and error messages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "al-application.h"
#include "al-document.h"

G_BEGIN_DECLS

#define AL_TYPE_WINDOW (al_window_get_type ())
G_DECLARE_FINAL_TYPE (AlWindow, al_window, AL, WINDOW, AdwApplicationWindow)

AlWindow *al_window_new (AlApplication *app);
AlDocument *al_window_get_document (AlWindow *self);
GtkWidget *al_window_get_page (AlWindow *self, const char *id);
const char *al_window_get_visible_page (AlWindow *self);
/* Opens in a worker; the current project stays until the new one is read.
 * ::job-finished follows (with the error shown in the window). */
void al_window_open_project (AlWindow *self, const char *dir);
void al_window_import_sofa (AlWindow *self, const char *path);
/* The message of the last error shown; NULL when none yet. */
const char *al_window_get_last_error (AlWindow *self);
gboolean al_window_is_loading (AlWindow *self);
/* The text the header shows: "• Name" when modified. */
const char *al_window_get_title_text (AlWindow *self);

G_END_DECLS
