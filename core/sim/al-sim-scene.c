/* al-sim-scene.c — scenes: sources with dry audio in a room, the array's
 * place and orientation, noise settings; construction and checks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-sim-private.h"

#include <math.h>

AlSimScene *
al_sim_scene_new (double fs, const AlSimRoom *room, const double array_pos[3])
{
  AlSimScene *scene;

  g_return_val_if_fail (room != NULL && array_pos != NULL, NULL);
  scene = g_new0 (AlSimScene, 1);
  scene->fs = fs;
  scene->room = *room;
  for (int k = 0; k < 3; k++)
    scene->array_pos[k] = array_pos[k];
  scene->diffuse_snr_db = INFINITY;
  scene->diffuse_ndirs = 32;
  scene->sensor_snr_db = INFINITY;
  return scene;
}

void
al_sim_scene_free (AlSimScene *scene)
{
  if (scene == NULL)
    return;
  for (int s = 0; s < scene->nsources; s++)
    g_free (scene->sources[s].name);
  g_free (scene->sources);
  g_free (scene);
}

AlSimSource *
al_sim_scene_add_source (AlSimScene *scene, const double pos[3], const AlAudio *audio)
{
  AlSimSource *src;

  g_return_val_if_fail (scene != NULL && pos != NULL, NULL);
  scene->sources = g_renew (AlSimSource, scene->sources, scene->nsources + 1);
  src = &scene->sources[scene->nsources++];
  *src = (AlSimSource) { 0 };
  for (int k = 0; k < 3; k++)
    src->pos[k] = pos[k];
  src->audio = audio;
  src->clip = -1;
  return src;
}

static gboolean
check_inside (const AlSimScene *scene, const double p[3], const char *what, GError **error)
{
  const double *L = scene->room.size;

  if (!(isfinite (p[0]) && isfinite (p[1]) && isfinite (p[2])) || !al_sim_room_contains (&scene->room, p))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "%s at (%.3f, %.3f, %.3f) m lies outside the %.3f x %.3f x %.3f m room", what,
                   p[0], p[1], p[2], L[0], L[1], L[2]);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_snr (double snr, const char *what, GError **error)
{
  if (isnan (snr) || snr == -INFINITY)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "scene: %s SNR %g dB must be a number (or +inf for none)", what, snr);
      return FALSE;
    }
  return TRUE;
}

gboolean
al_sim_scene_validate (const AlSimScene *scene, double fs, GError **error)
{
  g_return_val_if_fail (scene != NULL, FALSE);
  if (!al_sim_room_validate (&scene->room, error))
    return FALSE;
  if (!(scene->fs > 0 && isfinite (scene->fs)))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "scene: sample rate %g Hz must be positive", scene->fs);
      return FALSE;
    }
  if (fs > 0 && scene->fs != fs)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH,
                   "scene: sample rate %g Hz differs from the ATF set's %g Hz", scene->fs, fs);
      return FALSE;
    }
  if (scene->nsources <= 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "scene: no sources; add at least one source with dry audio");
      return FALSE;
    }
  if (scene->nframes < 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "scene: length %" G_GINT64_FORMAT " frames must be >= 0", scene->nframes);
      return FALSE;
    }
  if (!check_inside (scene, scene->array_pos, "array", error))
    return FALSE;
  for (int s = 0; s < scene->nsources; s++)
    {
      const AlSimSource *src = &scene->sources[s];
      g_autofree char *what = g_strdup_printf ("source %d", s + 1);
      double d2 = 0;

      if (src->audio == NULL)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "%s: no dry audio", what);
          return FALSE;
        }
      if (src->audio->fs != scene->fs)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH,
                       "%s: audio sample rate %g Hz differs from the %s's %g Hz", what,
                       src->audio->fs, fs > 0 ? "ATF set" : "scene", scene->fs);
          return FALSE;
        }
      if (src->audio->nframes <= 0 || src->audio->nchannels <= 0)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "%s: the dry audio is empty", what);
          return FALSE;
        }
      if (src->channel < -1 || src->channel >= src->audio->nchannels)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                       "%s: channel %d does not exist (the audio has %d)", what, src->channel,
                       src->audio->nchannels);
          return FALSE;
        }
      if (src->offset < 0 || src->offset >= src->audio->nframes || src->start < 0)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                       "%s: offset %" G_GINT64_FORMAT " (audio of %" G_GINT64_FORMAT
                       " frames) or start %" G_GINT64_FORMAT " out of range",
                       what, src->offset, src->audio->nframes, src->start);
          return FALSE;
        }
      if (!isfinite (src->gain_db))
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "%s: gain %g dB is not finite",
                       what, src->gain_db);
          return FALSE;
        }
      if (!check_inside (scene, src->pos, what, error))
        return FALSE;
      for (int k = 0; k < 3; k++)
        d2 += (src->pos[k] - scene->array_pos[k]) * (src->pos[k] - scene->array_pos[k]);
      if (d2 < 1e-4)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                       "%s at (%.3f, %.3f, %.3f) m is within 1 cm of the array centre", what,
                       src->pos[0], src->pos[1], src->pos[2]);
          return FALSE;
        }
    }
  if (!check_snr (scene->diffuse_snr_db, "diffuse-noise", error)
      || !check_snr (scene->sensor_snr_db, "sensor-noise", error))
    return FALSE;
  if (isfinite (scene->diffuse_snr_db) && (scene->diffuse_ndirs < 1 || scene->diffuse_ndirs > 100000))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "scene: %d diffuse-noise directions; use 1..100000", scene->diffuse_ndirs);
      return FALSE;
    }
  return TRUE;
}
