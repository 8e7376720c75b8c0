/* al-design-page.h — the Design page: encoder parameters, recomputed in a
 * worker on every change, with live metric plots and comparisons.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "al-document-view.h"
#include "eval/al-eval.h"

G_BEGIN_DECLS

#define AL_TYPE_DESIGN_PAGE (al_design_page_get_type ())
G_DECLARE_FINAL_TYPE (AlDesignPage, al_design_page, AL, DESIGN_PAGE, AlDocumentView)

/* Sets the widgets; the design follows after the debounce (::design-ready). */
void al_design_page_set_params (AlDesignPage *self, const AlDesignParams *params);
void al_design_page_get_params (AlDesignPage *self, AlDesignParams *params);
/* The last finished design and its evaluation; NULL before the first. */
const AlEncoder *al_design_page_get_encoder (AlDesignPage *self);
const AlEncoderEval *al_design_page_get_eval (AlDesignPage *self);
gboolean al_design_page_is_busy (AlDesignPage *self);
/* A worker is computing (not just a change waiting out the debounce). */
gboolean al_design_page_is_running (AlDesignPage *self);
/* Milliseconds from the parameter change (after the debounce) to the
 * updated plots, for the last design. */
double al_design_page_get_last_ms (AlDesignPage *self);
guint al_design_page_n_kept (AlDesignPage *self);
void al_design_page_keep (AlDesignPage *self);
int al_design_page_save_to_project (AlDesignPage *self, GError **error);
/* The plots shown: "metrics" (correlation, level, WNG, directional gain)
 * or "filters" (the FIR matrix). */
void al_design_page_show_view (AlDesignPage *self, const char *name);
/* "correlation", "level", "wng" (AlPlotView), "gain" (AlSphereView) or
 * "filters" (AlFirView); NULL for other names. */
GtkWidget *al_design_page_get_view (AlDesignPage *self, const char *name);
/* <dir>/<name>.json, .wav (AmbiX, MatrixConv layout) and .conf (mcfx). */
gboolean al_design_page_export (AlDesignPage *self, const char *dir, GError **error);

G_END_DECLS
