/* al-listen-panel.h — listening to evaluated scenes: any scene of the set
 * rendered again in a worker (al_scene_audio_render: the very scene the
 * metrics saw), its takes (the mics as a left/right pair, the ground truth
 * and every encoder through a virtual cardioid pair) played through
 * PortAudio with seamless switching at the same position (AlAudioPlayer),
 * a seekable position, loop, and export of the scene's audio files.
 *
 * Keys while the panel has focus: 1–9 pick a take, space plays/pauses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "eval/al-scene-eval.h"
#include "measure/al-audio-player.h"

G_BEGIN_DECLS

#define AL_TYPE_LISTEN_PANEL (al_listen_panel_get_type ())
G_DECLARE_FINAL_TYPE (AlListenPanel, al_listen_panel, AL, LISTEN_PANEL, GtkWidget)

GtkWidget *al_listen_panel_new (void);

/* What the scenes are made of, from a finished evaluation: the ATF set is
 * copied, `encoders` (AlSceneEncoder*, not changed afterwards) is
 * referenced, clips_dir NULL means the system sounds; `ev` gives the
 * scenes' descriptions (rooms, RT60).  Stops playback and forgets the
 * rendered scene.  atf NULL clears the panel. */
void al_listen_panel_set_source (AlListenPanel *self, const AlAtfSet *atf, GPtrArray *encoders,
                                 const AlSceneSet *set, const char *clips_dir, const AlSceneEval *ev);

/* Scene `index` (0-based) is rendered in a worker; playing goes on with
 * the new scene from its start when it was playing. */
void al_listen_panel_set_scene (AlListenPanel *self, int index);
int al_listen_panel_get_scene (AlListenPanel *self);
gboolean al_listen_panel_is_rendering (AlListenPanel *self);
/* The scene's takes and signals; NULL until rendered. */
const AlListenTakes *al_listen_panel_get_takes (AlListenPanel *self);
const AlSceneAudio *al_listen_panel_get_audio (AlListenPanel *self);

/* The output, as an AlAudioPlayer URI; NULL or "": the default output.
 * The device list of the panel sets it too.  The device is opened in a
 * worker at the next play (PortAudio's start-up can take a second). */
void al_listen_panel_set_device (AlListenPanel *self, const char *uri);
gboolean al_listen_panel_is_opening (AlListenPanel *self);

/* Plays the current take, rendering the scene and opening the device
 * first when needed (both in workers: the state becomes PLAYING once they
 * are done); errors are shown in the panel and kept for get_error. */
void al_listen_panel_play (AlListenPanel *self);
void al_listen_panel_pause (AlListenPanel *self);
void al_listen_panel_stop (AlListenPanel *self);
/* Take index: 0 microphones, 1 ground truth, 2 + e encoder e. */
void al_listen_panel_select (AlListenPanel *self, int take);
int al_listen_panel_get_take (AlListenPanel *self);
void al_listen_panel_seek (AlListenPanel *self, double seconds);
double al_listen_panel_get_position (AlListenPanel *self);
AlAudioPlayerState al_listen_panel_get_state (AlListenPanel *self);
const char *al_listen_panel_get_error (AlListenPanel *self);

/* The scene's files (al_scene_audio_write) into dir; existing files are
 * not replaced. */
gboolean al_listen_panel_export (AlListenPanel *self, const char *dir, GError **error);

G_END_DECLS
