/* al-array-page.h — the Array page: mic positions and the ATF browser.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "al-document-view.h"

G_BEGIN_DECLS

#define AL_TYPE_ARRAY_PAGE (al_array_page_get_type ())
G_DECLARE_FINAL_TYPE (AlArrayPage, al_array_page, AL, ARRAY_PAGE, AlDocumentView)

/* Shows the grid direction nearest to (azimuth, elevation) in degrees; returns its index (-1 without ATFs). */
int al_array_page_set_direction (AlArrayPage *self, double azimuth, double elevation);
/* mic: -1 for all. */
void al_array_page_set_mic (AlArrayPage *self, int mic);
void al_array_page_set_map (AlArrayPage *self, int mic, double frequency);

G_END_DECLS
