/* al-recording-panel.h — the Evaluate page's Recording mode: spatial power
 * maps over time and DOA tracks of a recording without ground truth
 * (through one of the project's encoders, or an Ambisonics file), computed
 * by al_map_track_new in a worker with progress and cancel, shown as the
 * map of the frame under a time slider above the linked DOA tracks, and
 * exported as `ambilab-cli powermap` writes them.
 *
 * Keys: Ctrl+Return computes, Escape cancels a running computation, Ctrl+E
 * exports (as in the Scenes mode).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "al-document-view.h"
#include "eval/al-map-track.h"

G_BEGIN_DECLS

#define AL_TYPE_RECORDING_PANEL (al_recording_panel_get_type ())
G_DECLARE_FINAL_TYPE (AlRecordingPanel, al_recording_panel, AL, RECORDING_PANEL, AlDocumentView)

GtkWidget *al_recording_panel_new (AlDocument *document);

/* The file and how it is read: encoder < 0, Ambisonics (ACN, normalisation
 * from the "Ambisonics order N, ACN, <norm>" comment, else SN3D); else the
 * document's encoder of that index applied to the mic signals. */
void al_recording_panel_set_recording (AlRecordingPanel *self, const char *path, int encoder);
/* band: 0 broadband, 1 100–1000 Hz, 2 200–4000 Hz, 3 500–8000 Hz. */
void al_recording_panel_set_method (AlRecordingPanel *self, AlMapMethod method, guint band);
/* The options the next run uses (defaults plus the form). */
void al_recording_panel_get_options (AlRecordingPanel *self, AlMapTrackOptions *opt);

/* Starts a computation (the recording.run action); a failed or cancelled
 * one leaves the maps shown before. */
void al_recording_panel_run (AlRecordingPanel *self);
void al_recording_panel_cancel (AlRecordingPanel *self);
gboolean al_recording_panel_is_running (AlRecordingPanel *self);
/* The message of the last failed run or export; NULL when none. */
const char *al_recording_panel_get_error (AlRecordingPanel *self);
/* The status line under the form ("Power maps cancelled", "40 frames, …"). */
const char *al_recording_panel_get_status (AlRecordingPanel *self);

/* The maps shown; NULL before the first finished run. */
const AlMapTrack *al_recording_panel_get_map_track (AlRecordingPanel *self);
/* The frame under the slider (-1: none); set_time moves the slider. */
int al_recording_panel_get_frame (AlRecordingPanel *self);
void al_recording_panel_set_time (AlRecordingPanel *self, double time_s);
/* "map" (AlSphereView), "tracks" (GtkDrawingArea), "time" (GtkScale). */
GtkWidget *al_recording_panel_get_view (AlRecordingPanel *self, const char *name);

/* Writes the maps shown into dir as `ambilab-cli powermap` does
 * (al_map_track_write: doa_tracks.csv, doa_intensity.csv, maps.json,
 * maps.f32, figures) in a worker; existing files are replaced (the
 * recording.export action asks first).  A toast says where they went, an
 * error is shown by the window and kept for get_error. */
void al_recording_panel_export (AlRecordingPanel *self, const char *dir);
/* What the Export button does with the folder chosen: exports, but asks
 * first (“Replace Results?”) when dir holds files of an earlier export. */
void al_recording_panel_export_asking (AlRecordingPanel *self, const char *dir);
gboolean al_recording_panel_is_exporting (AlRecordingPanel *self);

G_END_DECLS
