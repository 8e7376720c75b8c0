/* al-sim-random.c — random scenes for training sets: room, absorption, array
 * pose, duration, sources (placement with wall clearance, clip excerpts,
 * levels) and noise, all drawn from one GRand seeded by the caller, in a
 * fixed order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-sim-private.h"

#include <math.h>

#define PLACEMENT_TRIES 1000

void
al_sim_random_spec_init (AlSimRandomSpec *spec)
{
  g_return_if_fail (spec != NULL);
  *spec = (AlSimRandomSpec) { 0 };
  spec->room_min[0] = 3;
  spec->room_min[1] = 3;
  spec->room_min[2] = 2.5;
  spec->room_max[0] = 10;
  spec->room_max[1] = 8;
  spec->room_max[2] = 4;
  spec->absorption_min = 0.2;
  spec->absorption_max = 0.95;
  spec->max_order = AL_SIM_DEFAULT_MAX_ORDER;
  spec->nsources_min = 1;
  spec->nsources_max = 3;
  spec->wall_clearance = 0.5;
  spec->min_source_distance = 1.0;
  spec->random_yaw = TRUE;
  spec->gain_db_min = -6;
  spec->gain_db_max = 0;
  spec->duration_min = spec->duration_max = 4;
  spec->diffuse_snr_min = spec->diffuse_snr_max = INFINITY;
  spec->diffuse_ndirs = 32;
  spec->sensor_snr_min = spec->sensor_snr_max = INFINITY;
}

static gboolean
check_range (double lo, double hi, double min_allowed, double max_allowed, const char *what,
             GError **error)
{
  if (!(lo >= min_allowed && hi <= max_allowed && lo <= hi))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "random scene: %s range %g .. %g is empty or outside %g .. %g", what, lo, hi,
                   min_allowed, max_allowed);
      return FALSE;
    }
  return TRUE;
}

/* An SNR range: both +inf (none) or a finite, ordered pair. */
static gboolean
check_snr_range (double lo, double hi, const char *what, GError **error)
{
  if (lo == INFINITY && hi == INFINITY)
    return TRUE;
  if (!(isfinite (lo) && isfinite (hi) && lo <= hi))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "random scene: %s SNR range %g .. %g dB must be finite and ordered (or both +inf for none)",
                   what, lo, hi);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_spec (const AlSimRandomSpec *spec, double fs, AlAudio *const *clips,
            const char *const *names, int nclips, GError **error)
{
  for (int d = 0; d < 3; d++)
    {
      char what[32];
      g_snprintf (what, sizeof what, "room size along %c", "xyz"[d]);
      if (!check_range (spec->room_min[d], spec->room_max[d], 0, 1000, what, error))
        return FALSE;
      if (!(spec->room_min[d] > 2 * spec->wall_clearance))
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                       "random scene: the smallest room size along %c (%g m) leaves no space "
                       "inside the %g m wall clearance",
                       "xyz"[d], spec->room_min[d], spec->wall_clearance);
          return FALSE;
        }
    }
  if (!check_range (spec->absorption_min, spec->absorption_max, 0, 1, "absorption", error)
      || !check_range (spec->nsources_min, spec->nsources_max, 1, 256, "number of sources", error)
      || !check_range (spec->gain_db_min, spec->gain_db_max, -200, 200, "gain", error)
      || !check_range (spec->wall_clearance, spec->wall_clearance, 0, 1000, "wall clearance", error)
      || !check_range (spec->min_source_distance, spec->min_source_distance, 0.01, 1000,
                       "minimum source distance", error)
      || !check_range (spec->duration_min, spec->duration_max, 1e-3, 3600, "duration (s)", error)
      || !check_snr_range (spec->diffuse_snr_min, spec->diffuse_snr_max, "diffuse-noise", error)
      || !check_snr_range (spec->sensor_snr_min, spec->sensor_snr_max, "sensor-noise", error))
    return FALSE;
  if (!(fs > 0 && isfinite (fs)))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "random scene: sample rate %g Hz must be positive", fs);
      return FALSE;
    }
  if (nclips <= 0 || clips == NULL)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "random scene: no dry audio clips were given");
      return FALSE;
    }
  for (int k = 0; k < nclips; k++)
    {
      const char *name = names && names[k] ? names[k] : "";
      if (clips[k] == NULL || clips[k]->nframes <= 0 || clips[k]->nchannels <= 0)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                       "random scene: clip %d %s is empty", k, name);
          return FALSE;
        }
      if (clips[k]->fs != fs)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH,
                       "random scene: clip %d %s has sample rate %g Hz, not the ATF set's %g Hz", k,
                       name, clips[k]->fs, fs);
          return FALSE;
        }
    }
  return TRUE;
}

static void
random_point (GRand *rand, const double size[3], double clearance, double p[3])
{
  for (int d = 0; d < 3; d++)
    p[d] = g_rand_double_range (rand, clearance, size[d] - clearance);
}

static double
random_snr (GRand *rand, double lo, double hi)
{
  return isfinite (lo) ? g_rand_double_range (rand, lo, hi) : INFINITY;
}

AlSimScene *
al_sim_scene_random (const AlSimRandomSpec *spec, guint32 seed, double fs, AlAudio *const *clips,
                     const char *const *clip_names, int nclips, GError **error)
{
  g_autoptr (GRand) rand = NULL;
  g_autoptr (AlSimScene) scene = NULL;
  AlSimRoom room;
  double size[3], pos[3];
  double duration = spec->duration_min;
  gint64 nframes;
  int nsources;

  g_return_val_if_fail (spec != NULL, NULL);
  if (!check_spec (spec, fs, clips, clip_names, nclips, error))
    return NULL;

  rand = g_rand_new_with_seed (seed);
  for (int d = 0; d < 3; d++)
    size[d] = g_rand_double_range (rand, spec->room_min[d], spec->room_max[d]);
  al_sim_room_init (&room, size[0], size[1], size[2], 0);
  for (int w = 0; w < 6; w++)
    room.absorption[w] = (w == 0 || spec->absorption_per_wall)
                           ? g_rand_double_range (rand, spec->absorption_min, spec->absorption_max)
                           : room.absorption[0];
  room.max_order = spec->max_order;
  room.max_rand_disp = spec->max_rand_disp;
  room.rand_seed = g_rand_int (rand);
  random_point (rand, size, spec->wall_clearance, pos);

  scene = al_sim_scene_new (fs, &room, pos);
  scene->seed = seed;
  if (spec->random_yaw)
    scene->array_rot.yaw = g_rand_double_range (rand, -G_PI, G_PI);
  /* Drawn only for a real range: a fixed duration consumes no random number,
   * so scenes of a fixed duration stay bit-identical to those drawn before
   * durations had ranges, and a range changes nothing drawn before this. */
  if (spec->duration_max > spec->duration_min)
    duration = g_rand_double_range (rand, spec->duration_min, spec->duration_max);
  nframes = (gint64) llround (duration * fs);
  scene->nframes = nframes;

  nsources = g_rand_int_range (rand, spec->nsources_min, spec->nsources_max + 1);
  for (int s = 0; s < nsources; s++)
    {
      double p[3];
      int tries = 0;
      gboolean placed = FALSE;

      while (!placed && tries++ < PLACEMENT_TRIES)
        {
          double d2 = 0;
          random_point (rand, size, spec->wall_clearance, p);
          for (int k = 0; k < 3; k++)
            d2 += (p[k] - pos[k]) * (p[k] - pos[k]);
          placed = sqrt (d2) >= spec->min_source_distance;
        }
      if (!placed)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                       "random scene (seed %u): no place for source %d at least %g m from the "
                       "array in a %.2f x %.2f x %.2f m room with %g m wall clearance",
                       seed, s + 1, spec->min_source_distance, size[0], size[1], size[2],
                       spec->wall_clearance);
          return NULL;
        }
      const int clip = g_rand_int_range (rand, 0, nclips);
      AlSimSource *src = al_sim_scene_add_source (scene, p, clips[clip]);
      src->clip = clip;
      src->name = clip_names && clip_names[clip] ? g_strdup (clip_names[clip]) : NULL;
      src->offset = clips[clip]->nframes > nframes
                      ? (gint64) floor (g_rand_double (rand) * (clips[clip]->nframes - nframes + 1))
                      : 0;
      src->gain_db = g_rand_double_range (rand, spec->gain_db_min, spec->gain_db_max);
    }

  scene->diffuse_snr_db = random_snr (rand, spec->diffuse_snr_min, spec->diffuse_snr_max);
  scene->diffuse_ndirs = spec->diffuse_ndirs > 0 ? spec->diffuse_ndirs : 32;
  scene->sensor_snr_db = random_snr (rand, spec->sensor_snr_min, spec->sensor_snr_max);
  scene->noise_seed = g_rand_int (rand);
  return g_steal_pointer (&scene);
}
