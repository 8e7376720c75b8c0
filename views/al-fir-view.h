/* al-fir-view.h — the FIR matrix of an encoder as small multiples: one plot
 * per SH output (ACN) holding the filters of all mics, as magnitude
 * responses over frequency or as impulse responses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "al-plot-view.h"
#include "encode/al-encode.h"

G_BEGIN_DECLS

typedef enum {
  AL_FIR_VIEW_MAGNITUDE,
  AL_FIR_VIEW_IMPULSE,
} AlFirViewMode;

#define AL_TYPE_FIR_VIEW (al_fir_view_get_type ())
G_DECLARE_FINAL_TYPE (AlFirView, al_fir_view, AL, FIR_VIEW, GtkWidget)

GtkWidget *al_fir_view_new (void);
/* Copies the filters; NULL clears the view. */
void al_fir_view_set_encoder (AlFirView *self, const AlEncoder *enc);
void al_fir_view_set_mode (AlFirView *self, AlFirViewMode mode);
AlFirViewMode al_fir_view_get_mode (AlFirView *self);
/* One plot per output channel, in ACN order. */
guint al_fir_view_n_plots (AlFirView *self);
AlPlotView *al_fir_view_get_plot (AlFirView *self, guint acn);
/* The magnitude (dB) shown for output acn and mic at the bin nearest to hz;
 * bin_hz (may be NULL) receives that bin's frequency. */
double al_fir_view_magnitude_at (AlFirView *self, int acn, int mic, double hz, double *bin_hz);

G_END_DECLS
