/* al-scene-private.h — what the scene evaluation shares with the scene
 * renders for listening (al-scene-audio.c): the same checks of the
 * encoders, the same scene drawn and rendered for an index, the same
 * conversion of outputs to another normalisation, so a scene one listens
 * to is bit for bit the scene the metrics saw.  Not installed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "al-scene-eval.h"

G_BEGIN_DECLS

/* At least one encoder; every one takes atf->nmics inputs at atf->fs;
 * names are unique.  Messages name the encoder and the ATF set. */
gboolean al_scene_check_encoders (const AlAtfSet *atf, AlSceneEncoder *const *encoders, int nencoders,
                                  GError **error);
/* Order of the truth: the highest encoder order. */
int al_scene_truth_order (AlSceneEncoder *const *encoders, int nencoders);

/* Scene `index` of set, drawn at fs with its seed, and its render through
 * arr (made by al_scene_sim_array_new).  *scene_out (may be NULL) receives
 * the scene.  progress goes to the render (its output does not depend on
 * it).  Errors are the simulator's, not yet prefixed with the scene. */
AlSimResult *al_scene_render_index (const AlSimArray *arr, const AlSceneSet *set, int index, double fs,
                                    AlAudio *const *clips, const char *const *clip_names, int nclips,
                                    AlSimScene **scene_out, AlProgress *progress, GError **error);

/* x: nsh x n planar, in place from one normalisation to another. */
void al_scene_convert_norm (float *x, int nsh, gsize n, AlShNorm from, AlShNorm to);

G_END_DECLS
