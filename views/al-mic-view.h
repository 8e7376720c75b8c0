/* al-mic-view.h — microphone positions of an array in top, front and side
 * views, with numbered labels and the selected direction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "array/al-array.h"

G_BEGIN_DECLS

#define AL_TYPE_MIC_VIEW (al_mic_view_get_type ())
G_DECLARE_FINAL_TYPE (AlMicView, al_mic_view, AL, MIC_VIEW, GtkWidget)

GtkWidget *al_mic_view_new (void);
/* pos: nmics x 3 (metres), copied; NULL clears. */
void al_mic_view_set_positions (AlMicView *self, const double *pos, int nmics);
/* -1: none. */
void al_mic_view_set_selected (AlMicView *self, int mic);
/* A source direction (radians) drawn as a ray; NaN hides it. */
void al_mic_view_set_direction (AlMicView *self, double azimuth, double elevation);

G_END_DECLS
