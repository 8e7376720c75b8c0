/* al-sphere-view.h — a sphere map drawn by core/plot (equirectangular or
 * Hammer projection, colour bar), with an azimuth/elevation/value read-out
 * on hover and export of what is shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "plot/al-plot.h"

G_BEGIN_DECLS

#define AL_TYPE_SPHERE_VIEW (al_sphere_view_get_type ())
G_DECLARE_FINAL_TYPE (AlSphereView, al_sphere_view, AL, SPHERE_VIEW, GtkWidget)

GtkWidget *al_sphere_view_new (void);
/* Takes ownership; the view's projection is applied. */
void al_sphere_view_set_map (AlSphereView *self, AlSphereMap *map);
AlSphereMap *al_sphere_view_get_map (AlSphereView *self);
void al_sphere_view_set_projection (AlSphereView *self, AlProjection projection);
AlProjection al_sphere_view_get_projection (AlSphereView *self);
/* "az 30.0° · el 10.0° · 2.5 dB" at widget coordinates; NULL outside the map. */
char *al_sphere_view_readout (AlSphereView *self, double x, double y);
gboolean al_sphere_view_export (AlSphereView *self, const char *path, GError **error);

G_END_DECLS
