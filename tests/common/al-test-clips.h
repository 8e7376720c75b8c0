/* al-test-clips.h — dry source clips for scene tests: white noise, which
 * puts energy in every STFT bin, so spectral metrics are defined
 * everywhere.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "io/al-io.h"

/* n mono clips of 1.5 s at fs, uniform in [−0.5, 0.5); clip k is drawn
 * with seed + k. */
void al_test_noise_clips (AlAudio **clips, int n, double fs, guint32 seed);
void al_test_clips_free (AlAudio **clips, int n);
