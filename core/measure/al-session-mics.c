/* al-session-mics.c — mic positions for a session's SOFA file, from a SOFA
 * set or a plain text list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-session.h"

#include <math.h>
#include <string.h>

double *
al_session_read_mic_positions (const char *path, int *nmics, GError **error)
{
  if (g_str_has_suffix (path, ".sofa") || g_str_has_suffix (path, ".SOFA"))
    {
      g_autoptr (AlAtfSet) set = al_sofa_read (path, error);
      if (set == NULL)
        return NULL;
      *nmics = set->nmics;
      return g_memdup2 (set->mic_pos, sizeof (double) * 3 * set->nmics);
    }
  g_autofree char *text = NULL;
  g_autoptr (GError) local = NULL;
  if (!g_file_get_contents (path, &text, NULL, &local))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: %s", path, local->message);
      return NULL;
    }
  g_autoptr (GArray) pos = g_array_new (FALSE, FALSE, sizeof (double));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (int l = 0; lines[l] != NULL; l++)
    {
      char *hash = strchr (lines[l], '#');
      if (hash != NULL)
        *hash = '\0';
      g_strdelimit (lines[l], ",;\t\r", ' ');
      g_auto (GStrv) f = g_strsplit_set (g_strstrip (lines[l]), " ", -1);
      double xyz[3];
      int n = 0;
      for (int i = 0; f[i] != NULL; i++)
        {
          if (f[i][0] == '\0')
            continue;
          char *end = NULL;
          double v = g_ascii_strtod (f[i], &end);
          if (n == 3 || *end != '\0' || !isfinite (v))
            {
              g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: line %d: expected 'x y z' in metres", path,
                           l + 1);
              return NULL;
            }
          xyz[n++] = v;
        }
      if (n == 0)
        continue;
      if (n != 3)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: line %d: expected 'x y z' in metres", path, l + 1);
          return NULL;
        }
      g_array_append_vals (pos, xyz, 3);
    }
  if (pos->len == 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: no mic positions", path);
      return NULL;
    }
  *nmics = pos->len / 3;
  return (double *) g_array_free (g_steal_pointer (&pos), FALSE);
}
