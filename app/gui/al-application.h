/* al-application.h — the studio's AdwApplication: app actions, accelerators,
 * settings, colour scheme, about and preferences windows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define AL_TYPE_APPLICATION (al_application_get_type ())
G_DECLARE_FINAL_TYPE (AlApplication, al_application, AL, APPLICATION, AdwApplication)

/* setlocale and the text domain, before anything is shown. */
void al_application_init_i18n (void);
AlApplication *al_application_new (void);
GSettings *al_application_get_settings (AlApplication *self);
/* The window (created on first use). */
GtkWindow *al_application_get_window (AlApplication *self);

G_END_DECLS
