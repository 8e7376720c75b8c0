/* al-evaluate-page.h — the Evaluate page: encoders compared on simulated
 * reverberant scenes (al_scene_evaluate in a worker, with progress and
 * cancel), then browsed as per-channel coherence panels, magnitude error,
 * the metrics table and scene 1's power maps; everything exportable.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "al-document.h"
#include "eval/al-scene-eval.h"

G_BEGIN_DECLS

#define AL_TYPE_EVALUATE_PAGE (al_evaluate_page_get_type ())
G_DECLARE_FINAL_TYPE (AlEvaluatePage, al_evaluate_page, AL, EVALUATE_PAGE, GtkWidget)

/* The scene-set form.  set_scene_set fills it (count, seed, rooms,
 * absorption, sources, duration; other keys keep their defaults); get_spec
 * is the "key=value,…" text shown on the page, the --scenes argument of
 * `ambilab-cli evaluate` for the same set. */
void al_evaluate_page_set_scene_set (AlEvaluatePage *self, const AlSceneSet *set);
char *al_evaluate_page_get_spec (AlEvaluatePage *self);
/* The command line that computes the same results. */
char *al_evaluate_page_get_command (AlEvaluatePage *self);

/* Encoder choices, in list order: the project's encoders, then the Design
 * page's current design when there is one. */
guint al_evaluate_page_n_encoder_choices (AlEvaluatePage *self);
const char *al_evaluate_page_get_encoder_choice (AlEvaluatePage *self, guint index);
void al_evaluate_page_set_encoder_chosen (AlEvaluatePage *self, guint index, gboolean chosen);

/* Starts an evaluation (the evaluate.run action); errors are shown in the page. */
void al_evaluate_page_run (AlEvaluatePage *self);
void al_evaluate_page_cancel (AlEvaluatePage *self);
gboolean al_evaluate_page_is_running (AlEvaluatePage *self);
/* The results shown; NULL before the first finished evaluation.  A failed
 * or cancelled run leaves the previous results. */
const AlSceneEval *al_evaluate_page_get_result (AlEvaluatePage *self);
/* The message shown for the last failed run; NULL when none. */
const char *al_evaluate_page_get_error (AlEvaluatePage *self);
/* The status line ("Evaluation cancelled", "2 scenes × 2 encoders …"). */
const char *al_evaluate_page_get_status (AlEvaluatePage *self);

/* The metrics table: rows (one per encoder) and the text of a cell (col 0:
 * the encoder, col 1 + m: AlSceneMetric m); NULL outside. */
guint al_evaluate_page_get_table_rows (AlEvaluatePage *self);
const char *al_evaluate_page_get_table_cell (AlEvaluatePage *self, guint row, guint col);
/* "coherence" (AlFigureView), "magnitude" (AlPlotView), "maps" (AlFigureView). */
GtkWidget *al_evaluate_page_get_view (AlEvaluatePage *self, const char *name);
void al_evaluate_page_show_view (AlEvaluatePage *self, const char *name);
/* metrics.json, CSVs, table and figures (al_scene_eval_write) into dir. */
gboolean al_evaluate_page_export_results (AlEvaluatePage *self, const char *dir, GError **error);

G_END_DECLS
