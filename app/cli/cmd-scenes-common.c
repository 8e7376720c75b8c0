/* cmd-scenes-common.c — what the scene commands share: dry clips from a
 * scenes written as WAVs that say what they hold plus the scene's JSON
 * (dry clips come from al_scene_clips_load), and the lists of scenes and
 * mics that options name (1-based, as users count).
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

/* One 1-based number of a list: FALSE (no error set) when it is none. */
static gboolean
parse_number (const char *text, int *value)
{
  guint64 v = 0;
  if (text == NULL || !g_ascii_isdigit (*text) || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT, &v, NULL))
    return FALSE;
  *value = (int) v;
  return TRUE;
}

GArray *
al_cli_parse_scene_list (const char *option, const char *text, int count, GError **error)
{
  g_autoptr (GArray) list = g_array_new (FALSE, FALSE, sizeof (int));
  g_autofree gboolean *chosen = g_new0 (gboolean, MAX (count, 1));
  g_auto (GStrv) items = g_strsplit (text, ",", -1);
  for (int i = 0; items[i] != NULL; i++)
    {
      g_strstrip (items[i]);
      g_auto (GStrv) ends = g_strsplit (items[i], "-", 2);
      int lo = 0, hi = 0;
      gboolean ok = ends[0] != NULL && parse_number (g_strstrip (ends[0]), &lo); /* "" splits into nothing */
      if (ok && ends[1] != NULL)
        ok = parse_number (g_strstrip (ends[1]), &hi);
      else
        hi = lo;
      if (!ok)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "%s “%s”: “%s” is not a scene number or range (e.g. 1,3,5-7)", option, text, items[i]);
          return NULL;
        }
      if (lo < 1 || hi < lo)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       lo < 1 ? "%s “%s”: scenes are numbered from 1" : "%s “%s”: the range “%s” runs backwards",
                       option, text, items[i]);
          return NULL;
        }
      if (hi > count)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "%s “%s”: scene %d does not exist, the set has %d scene%s (1 to %d)", option, text, hi, count,
                       count == 1 ? "" : "s", count);
          return NULL;
        }
      for (int k = lo; k <= hi; k++)
        chosen[k - 1] = TRUE;
    }
  for (int k = 0; k < count; k++)
    if (chosen[k])
      g_array_append_val (list, k);
  return g_steal_pointer (&list);
}

gboolean
al_cli_parse_mic_pair (const char *option, const char *text, int *left, int *right, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (text, ",", -1);
  int l = 0, r = 0;
  if (g_strv_length (parts) != 2 || !parse_number (g_strstrip (parts[0]), &l)
      || !parse_number (g_strstrip (parts[1]), &r) || l < 1 || r < 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s “%s”: two microphone numbers LEFT,RIGHT, counted from 1", option, text);
      return FALSE;
    }
  *left = l - 1;
  *right = r - 1;
  return TRUE;
}
