/* al-atf-set.c — the AlAtfSet container: allocation, copies, validation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-array.h"

#include <math.h>
#include <string.h>

AlAtfSet *
al_atf_set_new (int ndirs, int nmics, int ir_len, double fs)
{
  g_return_val_if_fail (ndirs > 0 && nmics > 0 && ir_len > 0, NULL);
  AlAtfSet *set = g_new0 (AlAtfSet, 1);
  set->fs = fs;
  set->ndirs = ndirs;
  set->nmics = nmics;
  set->ir_len = ir_len;
  set->mic_pos = g_new0 (double, (gsize) nmics * 3);
  set->dirs = g_new0 (double, (gsize) ndirs * 2);
  set->dist = g_new0 (double, ndirs);
  set->ir = g_new0 (double, (gsize) ndirs * nmics * ir_len);
  return set;
}

AlAtfSet *
al_atf_set_copy (const AlAtfSet *set)
{
  AlAtfSet *copy = al_atf_set_new (set->ndirs, set->nmics, set->ir_len, set->fs);
  memcpy (copy->mic_pos, set->mic_pos, sizeof (double) * set->nmics * 3);
  memcpy (copy->dirs, set->dirs, sizeof (double) * set->ndirs * 2);
  memcpy (copy->dist, set->dist, sizeof (double) * set->ndirs);
  memcpy (copy->ir, set->ir, sizeof (double) * (gsize) set->ndirs * set->nmics * set->ir_len);
  copy->title = g_strdup (set->title);
  copy->source = g_strdup (set->source);
  return copy;
}

AlAtfSet *
al_atf_set_copy_layout (const AlAtfSet *set)
{
  AlAtfSet *copy = al_atf_set_new (set->ndirs, set->nmics, 1, set->fs);
  memcpy (copy->mic_pos, set->mic_pos, sizeof (double) * set->nmics * 3);
  memcpy (copy->dirs, set->dirs, sizeof (double) * set->ndirs * 2);
  memcpy (copy->dist, set->dist, sizeof (double) * set->ndirs);
  copy->title = g_strdup (set->title);
  copy->source = g_strdup (set->source);
  return copy;
}

void
al_atf_set_free (AlAtfSet *set)
{
  if (set == NULL)
    return;
  g_free (set->mic_pos);
  g_free (set->dirs);
  g_free (set->dist);
  g_free (set->ir);
  g_free (set->title);
  g_free (set->source);
  g_free (set);
}

gboolean
al_atf_set_validate (const AlAtfSet *set, const char *name, GError **error)
{
  if (name == NULL)
    name = set->source ? set->source : "ATF set";
  if (!(set->fs > 0 && isfinite (set->fs)))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "%s: sample rate %g Hz is not valid", name, set->fs);
      return FALSE;
    }
  if (set->ndirs < 1 || set->nmics < 1 || set->ir_len < 1)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "%s: empty set (%d directions, %d microphones, %d samples)",
                   name, set->ndirs, set->nmics, set->ir_len);
      return FALSE;
    }
  g_autofree char *what_ir = g_strdup_printf ("%s: impulse responses", name);
  g_autofree char *what_dirs = g_strdup_printf ("%s: source directions", name);
  g_autofree char *what_mics = g_strdup_printf ("%s: microphone positions", name);
  if (!al_check_finite (set->ir, (size_t) set->ndirs * set->nmics * set->ir_len, what_ir, error)
      || !al_check_finite (set->dirs, (size_t) set->ndirs * 2, what_dirs, error)
      || !al_check_finite (set->mic_pos, (size_t) set->nmics * 3, what_mics, error))
    return FALSE;
  for (int d = 0; d < set->ndirs; d++)
    {
      double el = set->dirs[2 * d + 1];
      if (el < -G_PI_2 - 1e-9 || el > G_PI_2 + 1e-9)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                       "%s: direction %d has elevation %.2f°, outside −90…90°", name, d, AL_RAD2DEG (el));
          return FALSE;
        }
    }
  return TRUE;
}
