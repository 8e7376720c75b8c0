/* al-eval-clips.h — the dry clips scenes are made of, loaded the way
 * `ambilab-cli evaluate` loads them, so the page and the CLI (and the
 * tests) simulate the same scenes from the same spec (private to views/).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The system sounds' folder used when no folder is chosen. */
#define AL_EVAL_CLIPS_SYSTEM_DIR "/usr/share/sounds/alsa"

typedef struct {
  GPtrArray *audio; /* AlAudio*, all at the requested rate */
  GPtrArray *names; /* char*, basenames, sorted */
} AlEvalClips;

/* dir NULL: the system sounds (resampled to fs when they differ); a chosen
 * folder must hold audio files already at fs.  Sorted by name, so clip
 * indices do not depend on the file system. */
gboolean al_eval_clips_load (AlEvalClips *clips, const char *dir, double fs, GError **error);
void al_eval_clips_clear (AlEvalClips *clips);

G_END_DECLS
