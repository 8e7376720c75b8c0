/* al-test-clips.c — white-noise dry clips for scene tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-test-clips.h"

void
al_test_noise_clips (AlAudio **clips, int n, double fs, guint32 seed)
{
  for (int k = 0; k < n; k++)
    {
      clips[k] = al_audio_new (fs, 1, (gint64) (1.5 * fs));
      g_autoptr (GRand) rand = g_rand_new_with_seed (seed + k);
      for (gint64 i = 0; i < clips[k]->nframes; i++)
        clips[k]->data[i] = (float) g_rand_double_range (rand, -0.5, 0.5);
    }
}

void
al_test_clips_free (AlAudio **clips, int n)
{
  for (int k = 0; k < n; k++)
    al_audio_free (clips[k]);
}
