/* cmd-scenes-common.c — what the scene commands share: dry clips from a
 * scenes written as WAVs that say what they hold plus the scene's JSON
 * (dry clips come from al_scene_clips_load).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-cli-scenes.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "io/al-io.h"
#include "measure/al-measure.h"

gboolean
al_cli_write_planar_wav (const char *path, const float *x, int nch, gsize nframes, double fs, const char *comment,
                         GError **error)
{
  AlAudioWriter *w = al_audio_writer_open (path, fs, nch, error);
  if (w == NULL)
    return FALSE;
  if (comment != NULL)
    al_audio_writer_set_comment (w, comment);
  const gsize block = 8192;
  g_autofree float *buf = g_new (float, block * nch);
  for (gsize pos = 0; pos < nframes; pos += block)
    {
      const gsize n = MIN (block, nframes - pos);
      for (gsize t = 0; t < n; t++)
        for (int c = 0; c < nch; c++)
          buf[t * nch + c] = x[(gsize) c * nframes + pos + t];
      if (!al_audio_writer_write (w, buf, (gint64) n, error))
        {
          al_audio_writer_finish (w, FALSE, NULL);
          return FALSE;
        }
    }
  return al_audio_writer_finish (w, TRUE, error);
}

gboolean
al_cli_write_scene (const char *dir, const char *stem, const AlSimScene *scene, const AlSimResult *res,
                    const char *atf_name, GError **error)
{
  g_autofree char *mics = g_strdup_printf ("%s/%smics.wav", dir, stem);
  g_autofree char *truth = g_strdup_printf ("%s/%struth.wav", dir, stem);
  g_autofree char *json = g_strdup_printf ("%s/%sscene.json", dir, stem);
  g_autofree char *mic_note = g_strdup_printf ("Microphone signals, %d mics, simulated through %s (seed %u)",
                                               res->nmics, atf_name, scene->seed);
  /* The same wording as encoded files (al_encoder_apply_file). */
  g_autofree char *sh_note = g_strdup_printf ("Ambisonics order %d, ACN, %s (ground truth, label delay %d samples)",
                                              res->sh_order, al_sh_norm_name (res->sh_norm), res->sh_delay);
  g_autoptr (JsonNode) node = al_sim_scene_to_json (scene);
  return al_cli_write_planar_wav (mics, res->mic, res->nmics, (gsize) res->nframes, res->fs, mic_note, error)
         && al_cli_write_planar_wav (truth, res->sh, res->nsh, (gsize) res->nframes, res->fs, sh_note, error)
         && al_json_write (json, node, error);
}
