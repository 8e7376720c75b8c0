/* al-scene-set.c — scene sets as one line of text ("count=50,seed=1,
 * rooms=3x3x2..10x10x5,…"), as the CLI and the GUI take them, and the
 * per-scene seeds drawn from the set's seed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-scene-eval.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const known_keys =
  "count, seed, rooms, absorption, sources, duration, order, clearance, distance, gain, diffuse_snr, "
  "sensor_snr, per_wall, yaw, rand_disp";

void
al_scene_set_init (AlSceneSet *set)
{
  g_return_if_fail (set != NULL);
  memset (set, 0, sizeof *set);
  al_sim_random_spec_init (&set->spec);
  set->count = 50;
  set->seed = 1;
}

static gboolean
bad_value (const char *key, const char *value, const char *expected, GError **error)
{
  g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "scene spec: “%s=%s”: %s", key, value, expected);
  return FALSE;
}

static gboolean
parse_number (const char *s, double *out)
{
  char *end = NULL;
  errno = 0;
  double v = g_ascii_strtod (s, &end);
  if (end == s || *end != '\0' || errno != 0 || !isfinite (v))
    return FALSE;
  *out = v;
  return TRUE;
}

/* "a..b" or "a" into lo, hi (lo <= hi). */
static gboolean
parse_range (const char *s, double *lo, double *hi)
{
  const char *dots = strstr (s, "..");
  if (dots == NULL)
    return parse_number (s, lo) && parse_number (s, hi);
  g_autofree char *a = g_strndup (s, dots - s);
  return parse_number (a, lo) && parse_number (dots + 2, hi) && *lo <= *hi;
}

static gboolean
parse_int (const char *s, gint64 lo, gint64 hi, gint64 *out)
{
  char *end = NULL;
  errno = 0;
  gint64 v = g_ascii_strtoll (s, &end, 10);
  if (end == s || *end != '\0' || errno != 0 || v < lo || v > hi)
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean
parse_bool (const char *s, gboolean *out)
{
  if (g_strcmp0 (s, "1") == 0 || g_ascii_strcasecmp (s, "true") == 0 || g_ascii_strcasecmp (s, "yes") == 0)
    *out = TRUE;
  else if (g_strcmp0 (s, "0") == 0 || g_ascii_strcasecmp (s, "false") == 0 || g_ascii_strcasecmp (s, "no") == 0)
    *out = FALSE;
  else
    return FALSE;
  return TRUE;
}

/* "LxWxH" */
static gboolean
parse_size (const char *s, double size[3])
{
  g_auto (GStrv) parts = g_strsplit (s, "x", -1);
  if (g_strv_length (parts) != 3)
    return FALSE;
  for (int d = 0; d < 3; d++)
    if (!parse_number (parts[d], &size[d]) || !(size[d] > 0))
      return FALSE;
  return TRUE;
}

static gboolean
parse_snr (const char *s, double *lo, double *hi)
{
  if (g_ascii_strcasecmp (s, "none") == 0 || g_ascii_strcasecmp (s, "inf") == 0)
    {
      *lo = *hi = INFINITY;
      return TRUE;
    }
  return parse_range (s, lo, hi);
}

static gboolean
apply_key (AlSceneSet *set, const char *key, const char *value, GError **error)
{
  AlSimRandomSpec *sp = &set->spec;
  double lo, hi;
  gint64 i, j;

  if (strcmp (key, "count") == 0)
    {
      if (!parse_int (value, 1, 10000000, &i))
        return bad_value (key, value, "expected a whole number of scenes from 1", error);
      set->count = (int) i;
    }
  else if (strcmp (key, "seed") == 0)
    {
      if (!parse_int (value, 0, G_MAXUINT32, &i))
        return bad_value (key, value, "expected a whole number from 0 to 4294967295", error);
      set->seed = (guint32) i;
    }
  else if (strcmp (key, "rooms") == 0)
    {
      const char *dots = strstr (value, "..");
      double a[3], b[3];
      g_autofree char *first = dots ? g_strndup (value, dots - value) : g_strdup (value);
      if (!parse_size (first, a) || !parse_size (dots ? dots + 2 : value, b))
        return bad_value (key, value, "expected room sizes LxWxH..LxWxH in metres, e.g. 3x3x2..10x10x5", error);
      for (int d = 0; d < 3; d++)
        if (a[d] > b[d])
          return bad_value (key, value, "the first size must not exceed the second in any dimension", error);
      memcpy (sp->room_min, a, sizeof a);
      memcpy (sp->room_max, b, sizeof b);
    }
  else if (strcmp (key, "absorption") == 0)
    {
      if (!parse_range (value, &lo, &hi) || lo < 0 || hi > 1)
        return bad_value (key, value, "expected energy absorption a..b with 0 <= a <= b <= 1", error);
      sp->absorption_min = lo;
      sp->absorption_max = hi;
    }
  else if (strcmp (key, "sources") == 0)
    {
      const char *dots = strstr (value, "..");
      g_autofree char *first = dots ? g_strndup (value, dots - value) : g_strdup (value);
      if (!parse_int (first, 1, 64, &i) || !parse_int (dots ? dots + 2 : value, 1, 64, &j) || i > j)
        return bad_value (key, value, "expected a source count n..m with 1 <= n <= m <= 64", error);
      sp->nsources_min = (int) i;
      sp->nsources_max = (int) j;
    }
  else if (strcmp (key, "duration") == 0)
    {
      if (!parse_range (value, &lo, &hi) || !(lo > 0) || hi > 3600)
        return bad_value (key, value, "expected a duration a..b in seconds with 0 < a <= b <= 3600", error);
      sp->duration_min = lo;
      sp->duration_max = hi;
    }
  else if (strcmp (key, "order") == 0)
    {
      if (!parse_int (value, 0, 200, &i))
        return bad_value (key, value, "expected an image-source order from 0 to 200", error);
      sp->max_order = (int) i;
    }
  else if (strcmp (key, "clearance") == 0)
    {
      if (!parse_number (value, &lo) || lo < 0)
        return bad_value (key, value, "expected a wall clearance in metres >= 0", error);
      sp->wall_clearance = lo;
    }
  else if (strcmp (key, "distance") == 0)
    {
      if (!parse_number (value, &lo) || lo < 0)
        return bad_value (key, value, "expected a minimum source distance in metres >= 0", error);
      sp->min_source_distance = lo;
    }
  else if (strcmp (key, "gain") == 0)
    {
      if (!parse_range (value, &lo, &hi))
        return bad_value (key, value, "expected source levels a..b in dB", error);
      sp->gain_db_min = lo;
      sp->gain_db_max = hi;
    }
  else if (strcmp (key, "diffuse_snr") == 0 || strcmp (key, "sensor_snr") == 0)
    {
      if (!parse_snr (value, &lo, &hi))
        return bad_value (key, value, "expected an SNR range a..b in dB, or none", error);
      if (key[0] == 'd')
        sp->diffuse_snr_min = lo, sp->diffuse_snr_max = hi;
      else
        sp->sensor_snr_min = lo, sp->sensor_snr_max = hi;
    }
  else if (strcmp (key, "per_wall") == 0)
    {
      if (!parse_bool (value, &sp->absorption_per_wall))
        return bad_value (key, value, "expected 0 or 1", error);
    }
  else if (strcmp (key, "yaw") == 0)
    {
      if (!parse_bool (value, &sp->random_yaw))
        return bad_value (key, value, "expected 0 or 1", error);
    }
  else if (strcmp (key, "rand_disp") == 0)
    {
      if (!parse_number (value, &lo) || lo < 0)
        return bad_value (key, value, "expected a displacement in metres >= 0", error);
      sp->max_rand_disp = lo;
    }
  else
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "scene spec: unknown key “%s” (known: %s)", key,
                   known_keys);
      return FALSE;
    }
  return TRUE;
}

gboolean
al_scene_set_parse (AlSceneSet *set, const char *text, GError **error)
{
  g_return_val_if_fail (set != NULL, FALSE);
  if (text == NULL)
    return TRUE;
  AlSceneSet work = *set; /* set stays untouched on failure */
  g_auto (GStrv) items = g_strsplit (text, ",", -1);
  for (int k = 0; items[k] != NULL; k++)
    {
      g_autofree char *item = g_strstrip (g_strdup (items[k]));
      if (*item == '\0')
        continue;
      char *eq = strchr (item, '=');
      if (eq == NULL)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                       "scene spec: “%s” is not key=value (known keys: %s)", item, known_keys);
          return FALSE;
        }
      *eq = '\0';
      g_strstrip (item);
      if (!apply_key (&work, item, g_strstrip (eq + 1), error))
        return FALSE;
    }
  *set = work;
  return TRUE;
}

static void
append_range (GString *s, const char *key, double lo, double hi)
{
  char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];
  if (!isfinite (lo))
    g_string_append_printf (s, ",%s=none", key);
  else
    g_string_append_printf (s, ",%s=%s..%s", key, g_ascii_dtostr (a, sizeof a, lo), g_ascii_dtostr (b, sizeof b, hi));
}

char *
al_scene_set_to_string (const AlSceneSet *set)
{
  const AlSimRandomSpec *sp = &set->spec;
  char v[6][G_ASCII_DTOSTR_BUF_SIZE];
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, "count=%d,seed=%u", set->count, set->seed);
  g_string_append_printf (s, ",rooms=%sx%sx%s", g_ascii_dtostr (v[0], sizeof v[0], sp->room_min[0]),
                          g_ascii_dtostr (v[1], sizeof v[1], sp->room_min[1]),
                          g_ascii_dtostr (v[2], sizeof v[2], sp->room_min[2]));
  g_string_append_printf (s, "..%sx%sx%s", g_ascii_dtostr (v[3], sizeof v[3], sp->room_max[0]),
                          g_ascii_dtostr (v[4], sizeof v[4], sp->room_max[1]),
                          g_ascii_dtostr (v[5], sizeof v[5], sp->room_max[2]));
  append_range (s, "absorption", sp->absorption_min, sp->absorption_max);
  g_string_append_printf (s, ",sources=%d..%d", sp->nsources_min, sp->nsources_max);
  /* One number for a fixed duration: the text sets of fixed durations always had. */
  if (sp->duration_min == sp->duration_max)
    g_string_append_printf (s, ",duration=%s", g_ascii_dtostr (v[0], sizeof v[0], sp->duration_min));
  else
    append_range (s, "duration", sp->duration_min, sp->duration_max);
  g_string_append_printf (s, ",order=%d", sp->max_order);
  g_string_append_printf (s, ",clearance=%s", g_ascii_dtostr (v[0], sizeof v[0], sp->wall_clearance));
  g_string_append_printf (s, ",distance=%s", g_ascii_dtostr (v[0], sizeof v[0], sp->min_source_distance));
  append_range (s, "gain", sp->gain_db_min, sp->gain_db_max);
  append_range (s, "diffuse_snr", sp->diffuse_snr_min, sp->diffuse_snr_max);
  append_range (s, "sensor_snr", sp->sensor_snr_min, sp->sensor_snr_max);
  g_string_append_printf (s, ",per_wall=%d,yaw=%d", sp->absorption_per_wall ? 1 : 0, sp->random_yaw ? 1 : 0);
  g_string_append_printf (s, ",rand_disp=%s", g_ascii_dtostr (v[0], sizeof v[0], sp->max_rand_disp));
  return g_string_free (s, FALSE);
}

guint32
al_scene_set_seed (const AlSceneSet *set, int index)
{
  /* splitmix64 finaliser of (seed, index): neighbouring seeds or indices
   * give unrelated scenes. */
  guint64 z = ((guint64) set->seed << 32) | (guint32) index;
  z += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  z ^= z >> 31;
  return (guint32) (z ^ (z >> 32));
}
