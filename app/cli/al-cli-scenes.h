/* al-cli-scenes.h — the scene commands of ambilab-cli (evaluate, simulate,
 * dataset) and what they share: dry clips, encoders, WAVs that say what
 * they hold.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "al-cli.h"
#include "eval/al-scene-eval.h"

int al_cli_evaluate (int argc, char **argv, GError **error);
int al_cli_simulate (int argc, char **argv, GError **error);
int al_cli_dataset (int argc, char **argv, GError **error);


/* dir NULL: the WAVs in /usr/share/sounds/alsa/, else a few sentences from
 * espeak-ng (resampled to fs); an error when neither is there.  A folder
 * must exist and hold audio files all at `fs` (atf_name names the set in
 * the message). */

/* planar nch x nframes → a WAV with a comment (DESIGN §3: files of SH
 * signals record their normalisation), written atomically. */
gboolean al_cli_write_planar_wav (const char *path, const float *x, int nch, gsize nframes, double fs,
                                  const char *comment, GError **error);
/* Writes DIR/<stem>mics.wav, <stem>truth.wav and <stem>scene.json of a rendered scene. */
gboolean al_cli_write_scene (const char *dir, const char *stem, const AlSimScene *scene, const AlSimResult *res,
                             const char *atf_name, GError **error);
/* "1,3,5-7" (1-based, as users count) → the sorted 0-based indices, each
 * once; every number must lie in 1…count.  Usage errors name `option`. */
GArray *al_cli_parse_scene_list (const char *option, const char *text, int count, GError **error);
/* "L,R" (1-based) → 0-based left and right mic. */
gboolean al_cli_parse_mic_pair (const char *option, const char *text, int *left, int *right, GError **error);
