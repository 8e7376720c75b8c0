/* al-evaluate-page.h — the Evaluate page: encoders compared on simulated
 * reverberant scenes (al_scene_evaluate in a worker, with progress and
 * cancel), then browsed as per-channel coherence panels, magnitude error,
 * the metrics table and scene 1's power maps; everything exportable.  A
 * Recording mode maps one recording over time (see below).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "al-document-view.h"
#include "al-recording-panel.h"
#include "eval/al-map-track.h"
#include "eval/al-scene-eval.h"

G_BEGIN_DECLS

#define AL_TYPE_EVALUATE_PAGE (al_evaluate_page_get_type ())
G_DECLARE_FINAL_TYPE (AlEvaluatePage, al_evaluate_page, AL, EVALUATE_PAGE, AlDocumentView)

/* The scene-set form.  set_scene_set fills it (count, seed, rooms,
 * absorption, sources, shortest and longest duration; other keys keep their
 * defaults); get_spec is the "key=value,…" text shown on the page, the
 * --scenes argument of `ambilab-cli evaluate` for the same set. */
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

/* ---- Recording mode: power maps over time and DOA tracks of a recording
 * without ground truth, an AlRecordingPanel (al-recording-panel.h) in the
 * mode stack; the functions below forward to it. ---- */

/* "scenes" or "recording".  Ctrl+Return, Escape and Ctrl+E run, cancel and
 * export in the mode shown. */
void al_evaluate_page_set_mode (AlEvaluatePage *self, const char *mode);
AlRecordingPanel *al_evaluate_page_get_recording_panel (AlEvaluatePage *self);
/* The file and how it is read: encoder < 0, Ambisonics (ACN, normalisation
 * from the "Ambisonics order N, ACN, <norm>" comment, else SN3D); else the
 * project's encoder of that index applied to the mic signals. */
void al_evaluate_page_set_recording (AlEvaluatePage *self, const char *path, int encoder);
/* band: 0 broadband, 1 100–1000 Hz, 2 200–4000 Hz, 3 500–8000 Hz. */
void al_evaluate_page_set_recording_method (AlEvaluatePage *self, AlMapMethod method, guint band);
/* The options the next run uses (defaults plus the form). */
void al_evaluate_page_get_recording_options (AlEvaluatePage *self, AlMapTrackOptions *opt);
void al_evaluate_page_run_recording (AlEvaluatePage *self);
void al_evaluate_page_cancel_recording (AlEvaluatePage *self);
gboolean al_evaluate_page_is_recording_running (AlEvaluatePage *self);
/* The last failed recording run's message; NULL when none. */
const char *al_evaluate_page_get_recording_error (AlEvaluatePage *self);
/* The maps shown; NULL before the first finished run. */
const AlMapTrack *al_evaluate_page_get_map_track (AlEvaluatePage *self);
/* The frame under the slider (-1: none); set_time moves the slider. */
int al_evaluate_page_get_frame (AlEvaluatePage *self);
void al_evaluate_page_set_time (AlEvaluatePage *self, double time_s);
/* Writes the maps shown as `ambilab-cli powermap` does, in a worker
 * (al_recording_panel_export). */
void al_evaluate_page_export_recording (AlEvaluatePage *self, const char *dir);
/* get_view also knows "recording-map" (AlSphereView), "recording-tracks"
 * (GtkDrawingArea) and "recording-time" (GtkScale). */

G_END_DECLS
