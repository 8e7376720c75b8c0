/* al-session-grid.c — the direction grid of a session from a spec such as
 * "az=0:360:10;el=-60,-30,0,30,60".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-session.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Far more than any turntable session (36 h at 1 min per direction). */
#define MAX_DIRECTIONS 100000

void
al_session_grid_free (AlSessionGrid *grid)
{
  if (grid == NULL)
    return;
  g_free (grid->azimuth_deg);
  g_free (grid->elevation_deg);
  g_free (grid->spec);
  g_free (grid);
}

static gboolean
parse_number (const char *spec, const char *key, const char *text, double *value, GError **error)
{
  g_autofree char *t = g_strstrip (g_strdup (text));
  char *end = NULL;
  *value = g_ascii_strtod (t, &end);
  if (t[0] == '\0' || end == t || *end != '\0' || !isfinite (*value))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "grid '%s': %s: '%s' is not a number", spec, key,
                   t);
      return FALSE;
    }
  return TRUE;
}

/* "a,b,c" or "start:stop:step" into a new array. */
static GArray *
parse_values (const char *spec, const char *key, const char *text, gboolean azimuth, GError **error)
{
  g_autoptr (GArray) out = g_array_new (FALSE, FALSE, sizeof (double));
  if (strchr (text, ':') != NULL)
    {
      g_auto (GStrv) parts = g_strsplit (text, ":", -1);
      double v[3];
      if (g_strv_length (parts) != 3)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                       "grid '%s': %s=%s: a range is START:STOP:STEP", spec, key, text);
          return NULL;
        }
      for (int i = 0; i < 3; i++)
        if (!parse_number (spec, key, parts[i], &v[i], error))
          return NULL;
      if (v[2] <= 0.0 || v[1] < v[0])
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                       "grid '%s': %s=%s: the step must be > 0 and STOP >= START", spec, key, text);
          return NULL;
        }
      double count = floor ((v[1] - v[0]) / v[2] + 1e-9) + 1.0;
      if (count > MAX_DIRECTIONS)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "grid '%s': %s=%s has too many values", spec,
                       key, text);
          return NULL;
        }
      for (int i = 0; i < (int) count; i++)
        {
          double x = v[0] + i * v[2];
          /* 0:360:10 — 360 is 0 again. */
          if (azimuth && i > 0 && fabs (remainder (x - v[0], 360.0)) < 1e-9)
            break;
          g_array_append_val (out, x);
        }
    }
  else
    {
      g_auto (GStrv) parts = g_strsplit (text, ",", -1);
      for (int i = 0; parts[i] != NULL; i++)
        {
          double x;
          if (!parse_number (spec, key, parts[i], &x, error))
            return NULL;
          g_array_append_val (out, x);
        }
    }
  for (guint i = 0; i < out->len; i++)
    {
      double x = g_array_index (out, double, i);
      if (!azimuth && (x < -90.0 || x > 90.0))
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                       "grid '%s': el: %g° is outside −90° … 90°", spec, x);
          return NULL;
        }
      for (guint j = 0; j < i; j++)
        {
          double y = g_array_index (out, double, j);
          if (azimuth ? fabs (remainder (x - y, 360.0)) < 1e-9 : fabs (x - y) < 1e-9)
            {
              g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "grid '%s': %s: %g° appears twice", spec,
                           key, x);
              return NULL;
            }
        }
    }
  return g_steal_pointer (&out);
}

AlSessionGrid *
al_session_grid_parse (const char *spec, GError **error)
{
  g_return_val_if_fail (spec != NULL, NULL);
  g_autoptr (GArray) az = NULL, el = NULL;
  g_auto (GStrv) parts = g_strsplit (spec, ";", -1);
  for (int i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *part = g_strstrip (g_strdup (parts[i]));
      if (part[0] == '\0' && parts[i + 1] == NULL && i > 0)
        continue; /* a trailing ';' */
      const char *eq = strchr (part, '=');
      if (eq == NULL)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                       "grid '%s': '%s' is not KEY=VALUES (keys az, el)", spec, part);
          return NULL;
        }
      g_autofree char *key = g_strstrip (g_strndup (part, eq - part));
      gboolean is_az = strcmp (key, "az") == 0 || strcmp (key, "azimuth") == 0;
      gboolean is_el = strcmp (key, "el") == 0 || strcmp (key, "elevation") == 0;
      if (!is_az && !is_el)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "grid '%s': unknown key '%s' (keys az, el)",
                       spec, key);
          return NULL;
        }
      if ((is_az && az != NULL) || (is_el && el != NULL))
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "grid '%s': %s is given twice", spec, key);
          return NULL;
        }
      GArray *v = parse_values (spec, is_az ? "az" : "el", eq + 1, is_az, error);
      if (v == NULL)
        return NULL;
      if (is_az)
        az = v;
      else
        el = v;
    }
  if (az == NULL)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "grid '%s': az= (the azimuths) is missing", spec);
      return NULL;
    }
  if (el == NULL)
    {
      el = g_array_new (FALSE, FALSE, sizeof (double));
      double zero = 0.0;
      g_array_append_val (el, zero);
    }
  if ((double) az->len * el->len > MAX_DIRECTIONS)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "grid '%s': more than %d directions", spec,
                   MAX_DIRECTIONS);
      return NULL;
    }
  AlSessionGrid *g = g_new0 (AlSessionGrid, 1);
  g->spec = g_strdup (spec);
  g->azimuth_deg = g_new (double, (size_t) az->len * el->len);
  g->elevation_deg = g_new (double, (size_t) az->len * el->len);
  for (guint e = 0; e < el->len; e++)
    {
      double ev = g_array_index (el, double, e);
      gboolean pole = fabs (fabs (ev) - 90.0) < 1e-9;
      for (guint a = 0; a < (pole ? 1 : az->len); a++)
        {
          double av = pole ? 0.0 : fmod (g_array_index (az, double, a), 360.0);
          if (av < 0.0)
            av += 360.0;
          g->azimuth_deg[g->n] = av;
          g->elevation_deg[g->n] = ev;
          g->n++;
        }
    }
  return g;
}
