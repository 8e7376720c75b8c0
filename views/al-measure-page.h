/* al-measure-page.h — the Measure page: audio interface and channels (or
 * the simulated chamber on the project's transfer functions), turntable,
 * direction grid and sweep with live validation, a level check with
 * meters, and a measurement session run in a worker with live progress,
 * the last direction's IR and spectrum, QC flags, pause, resume and abort.
 * The finished SOFA file is imported into the project.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "al-document-view.h"
#include "measure/al-session.h"

G_BEGIN_DECLS

#define AL_TYPE_MEASURE_PAGE (al_measure_page_get_type ())
G_DECLARE_FINAL_TYPE (AlMeasurePage, al_measure_page, AL, MEASURE_PAGE, AlDocumentView)

typedef enum {
  AL_MEASURE_IDLE,    /* nothing to resume */
  AL_MEASURE_RUNNING, /* a session runs in the worker */
  AL_MEASURE_PAUSED,  /* stopped with directions kept: Resume continues */
} AlMeasureState;

/* The form.  The audio interface: the simulated chamber (TRUE) or the
 * device list's choice with the channel fields. */
void al_measure_page_set_simulated (AlMeasurePage *self, gboolean simulated);
void al_measure_page_set_turntable_uri (AlMeasurePage *self, const char *uri);
void al_measure_page_set_grid_spec (AlMeasurePage *self, const char *spec);
void al_measure_page_set_sweep_spec (AlMeasurePage *self, const char *spec);
/* Advanced settings (defaults of al_session_config_init): QC retries, the
 * IR window relative to the latency (samples), the ring-down wait after a
 * move and the mic positions file (.sofa or text; NULL: none). */
void al_measure_page_set_retries (AlMeasurePage *self, int retries);
void al_measure_page_set_ir_window (AlMeasurePage *self, int start, int length);
void al_measure_page_set_settle_ms (AlMeasurePage *self, guint settle_ms);
void al_measure_page_set_mic_positions_file (AlMeasurePage *self, const char *path);
const char *al_measure_page_get_mic_positions_file (AlMeasurePage *self);
/* NULL: back to the default, measurements/<date> inside the project. */
void al_measure_page_set_session_dir (AlMeasurePage *self, const char *dir);
const char *al_measure_page_get_session_dir (AlMeasurePage *self);
/* The URI the form describes (g_free); NULL when incomplete. */
char *al_measure_page_get_audio_uri (AlMeasurePage *self);
/* The session configuration the form gives (clear with al_session_config_clear). */
void al_measure_page_get_config (AlMeasurePage *self, AlSessionConfig *config);
/* Inline validation messages; NULL when the field is valid. */
const char *al_measure_page_get_grid_error (AlMeasurePage *self);
const char *al_measure_page_get_sweep_error (AlMeasurePage *self);
gboolean al_measure_page_can_measure (AlMeasurePage *self);
/* Directions shown on the grid's sphere coverage view; 0 when the grid is invalid. */
int al_measure_page_get_n_coverage_markers (AlMeasurePage *self);

/* Runs: start a new session, pause (cancel, keeping everything), resume
 * the paused one, abort (stop and forget it; the folder stays). */
void al_measure_page_start (AlMeasurePage *self);
void al_measure_page_pause (AlMeasurePage *self);
void al_measure_page_resume (AlMeasurePage *self);
void al_measure_page_abort (AlMeasurePage *self);
AlMeasureState al_measure_page_get_state (AlMeasurePage *self);
/* A worker (session, level check, connection test) or the import runs. */
gboolean al_measure_page_is_busy (AlMeasurePage *self);
/* Progress: steps done and in all (the reference repeat counts as one);
 * once a run has ended, done is the grid directions kept in the folder. */
int al_measure_page_get_done (AlMeasurePage *self);
int al_measure_page_get_total (AlMeasurePage *self);
/* The SOFA file of the last finished session, NULL before. */
const char *al_measure_page_get_sofa_path (AlMeasurePage *self);
const char *al_measure_page_get_status (AlMeasurePage *self);
/* The error shown in the page, NULL when none. */
const char *al_measure_page_get_error (AlMeasurePage *self);
/* Level check and turntable test results: meters shown, and the test's line. */
guint al_measure_page_get_n_meters (AlMeasurePage *self);
const char *al_measure_page_get_turntable_status (AlMeasurePage *self);
/* "ir", "spectrum", "coverage" (an AlSphereView) */
GtkWidget *al_measure_page_get_view (AlMeasurePage *self, const char *name);

G_END_DECLS
