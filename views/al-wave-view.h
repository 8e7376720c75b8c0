/* al-wave-view.h — a take's waveform overview (per-column peaks of each
 * channel) with a playhead; a click or a drag asks to seek there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define AL_TYPE_WAVE_VIEW (al_wave_view_get_type ())
G_DECLARE_FINAL_TYPE (AlWaveView, al_wave_view, AL, WAVE_VIEW, GtkWidget)

GtkWidget *al_wave_view_new (void);
/* nchannels x nframes planar at fs (copied as peaks, not kept); NULL clears. */
void al_wave_view_set_signal (AlWaveView *self, const float *signal, int nchannels, gsize nframes, double fs);
void al_wave_view_set_position (AlWaveView *self, double seconds);
/* The largest |sample| of channel c the view shows (0 when none). */
double al_wave_view_get_peak (AlWaveView *self, int channel);

/* Signal "seek" (double seconds): the user clicked or dragged there. */

G_END_DECLS
