/* al-array-model.c — analytic array models: omnidirectional mics in free
 * field or on a rigid sphere, their presets, and their plane-wave responses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-array-private.h"

#include <math.h>
#include <string.h>

AlArrayModel *
al_array_model_new (AlArrayModelKind kind, double radius, const double *mic_dirs, int nmics)
{
  g_return_val_if_fail (kind == AL_ARRAY_FREE_FIELD || kind == AL_ARRAY_RIGID_SPHERE, NULL);
  g_return_val_if_fail (radius >= 0 && isfinite (radius), NULL);
  g_return_val_if_fail (nmics > 0 && mic_dirs != NULL, NULL);

  AlArrayModel *model = g_new0 (AlArrayModel, 1);
  model->kind = kind;
  model->radius = radius;
  model->nmics = nmics;
  model->mic_dirs = g_memdup2 (mic_dirs, sizeof (double) * 2 * nmics);
  model->c = AL_SPEED_OF_SOUND;
  return model;
}

void
al_array_model_free (AlArrayModel *model)
{
  if (model == NULL)
    return;
  g_free (model->mic_dirs);
  g_free (model);
}

/* ---- Presets ---- */

/* Degrees, (azimuth, elevation): nose bridge, left temple front, right
 * temple front, left temple back, right temple back. */
static const double glasses5_deg[] = {
  0, 20, 30, 10, -30, 10, 100, 0, -100, 0,
};

/* Eigenmike em32 capsules, degrees, (azimuth, inclination) as in the mh
 * acoustics documentation. */
static const double em32_deg[] = {
  0, 69, 32, 90, 0, 111, 328, 90, 0, 32, 45, 55, 69, 90, 45, 125,
  0, 148, 315, 125, 291, 90, 315, 55, 91, 21, 90, 58, 90, 121, 89, 159,
  180, 69, 212, 90, 180, 111, 148, 90, 180, 32, 225, 55, 249, 90, 225, 125,
  180, 148, 135, 125, 111, 90, 135, 55, 269, 21, 270, 58, 270, 122, 271, 159,
};

static const struct {
  const char *name;
  double radius;
  const double *deg;
  int nmics;
  gboolean inclination;
} presets[] = {
  { "glasses5", 0.0875, glasses5_deg, G_N_ELEMENTS (glasses5_deg) / 2, FALSE },
  { "em32", 0.042, em32_deg, G_N_ELEMENTS (em32_deg) / 2, TRUE },
};

AlArrayModel *
al_array_model_preset (const char *name, GError **error)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (guint p = 0; p < G_N_ELEMENTS (presets); p++)
    {
      if (strcmp (name, presets[p].name) != 0)
        continue;
      int nmics = presets[p].nmics;
      g_autofree double *dirs = g_new (double, 2 * nmics);
      for (int m = 0; m < nmics; m++)
        {
          double az = presets[p].deg[2 * m], second = presets[p].deg[2 * m + 1];
          dirs[2 * m] = AL_DEG2RAD (az);
          dirs[2 * m + 1] = AL_DEG2RAD (presets[p].inclination ? 90.0 - second : second);
        }
      return al_array_model_new (AL_ARRAY_RIGID_SPHERE, presets[p].radius, dirs, nmics);
    }

  g_autoptr (GString) known = g_string_new (NULL);
  for (guint p = 0; p < G_N_ELEMENTS (presets); p++)
    g_string_append_printf (known, "%s%s", p ? ", " : "", presets[p].name);
  g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
               "unknown array preset “%s” (known presets: %s)", name, known->str);
  return NULL;
}

/* ---- "AZ,EL;AZ,EL;…" ---- */

static gboolean
parse_angle (const char *text, double *value)
{
  char *end = NULL;
  if (*text == '\0')
    return FALSE;
  *value = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*value);
}

gboolean
al_parse_mic_dirs (const char *spec, double **dirs, int *nmics, GError **error)
{
  g_return_val_if_fail (dirs != NULL && nmics != NULL, FALSE);

  g_autofree char *copy = g_strstrip (g_strdup (spec ? spec : ""));
  if (*copy == '\0')
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "microphone directions: empty list (expected “AZ,EL;AZ,EL;…” in degrees)");
      return FALSE;
    }

  g_auto (GStrv) entries = g_strsplit (copy, ";", -1);
  int n_entries = g_strv_length (entries);
  /* A trailing ';' is tolerated. */
  if (n_entries > 1 && *g_strstrip (entries[n_entries - 1]) == '\0')
    n_entries--;

  g_autofree double *out = g_new (double, 2 * n_entries);
  for (int m = 0; m < n_entries; m++)
    {
      char *entry = g_strstrip (entries[m]);
      g_auto (GStrv) fields = g_strsplit (entry, ",", -1);
      double az, el;
      if (g_strv_length (fields) != 2
          || !parse_angle (g_strstrip (fields[0]), &az)
          || !parse_angle (g_strstrip (fields[1]), &el))
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                       "microphone directions: entry %d (“%s”) is not “AZ,EL” with two numbers in degrees",
                       m + 1, entry);
          return FALSE;
        }
      if (el < -90.0 || el > 90.0)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                       "microphone directions: entry %d has elevation %g°, outside −90…90°", m + 1, el);
          return FALSE;
        }
      out[2 * m] = AL_DEG2RAD (az);
      out[2 * m + 1] = AL_DEG2RAD (el);
    }

  *dirs = g_steal_pointer (&out);
  *nmics = n_entries;
  return TRUE;
}

/* ---- Responses ---- */

int
al_array_series_order (double x)
{
  double n = ceil (x) + 12;
  return n > AL_ARRAY_MAX_TERMS ? AL_ARRAY_MAX_TERMS : (int) n;
}

void
al_array_modal_coefs (AlArrayModelKind kind, double x, int nmax, double complex *b)
{
  static const double complex i_pow[4] = { 1, I, -1, -I };

  g_return_if_fail (nmax >= 0 && nmax <= AL_ARRAY_MAX_TERMS && x >= 0);

  if (x == 0)
    {
      b[0] = 1;
      for (int n = 1; n <= nmax; n++)
        b[n] = 0;
      return;
    }

  double j[AL_ARRAY_MAX_TERMS + 2], y[AL_ARRAY_MAX_TERMS + 2];
  al_sph_bessel_jy (nmax + 1, x, j, kind == AL_ARRAY_RIGID_SPHERE ? y : NULL);
  for (int n = 0; n <= nmax; n++)
    {
      double complex term;
      if (kind == AL_ARRAY_FREE_FIELD)
        {
          term = j[n];
        }
      else
        {
          /* j_n − j_n'/h_n' h_n = −i / (x² h_n') by the Wronskian j y' − j' y = 1/x²:
           * no cancellation between j_n and the scattered part at small x. */
          double dj = n == 0 ? -j[1] : j[n - 1] - (n + 1) / x * j[n];
          double dy = n == 0 ? -y[1] : y[n - 1] - (n + 1) / x * y[n];
          double complex dh = dj - I * dy;
          term = isfinite (dy) ? -I / (x * x * dh) : 0;
        }
      b[n] = (2 * n + 1) * i_pow[n % 4] * term;
    }
}

void
al_array_model_response (const AlArrayModel *model, double f, const double *dirs, int ndirs,
                         double complex *H)
{
  g_return_if_fail (model != NULL && dirs != NULL && H != NULL && ndirs >= 0);

  int nmics = model->nmics;
  double k = 2 * G_PI * f / model->c;
  g_autofree double *mic_xyz = g_new (double, 3 * nmics);
  for (int m = 0; m < nmics; m++)
    al_array_unit_vector (model->mic_dirs[2 * m], model->mic_dirs[2 * m + 1], mic_xyz + 3 * m);

  if (model->kind == AL_ARRAY_FREE_FIELD)
    {
      for (int m = 0; m < 3 * nmics; m++)
        mic_xyz[m] *= model->radius;
      for (int d = 0; d < ndirs; d++)
        {
          double u[3];
          al_array_unit_vector (dirs[2 * d], dirs[2 * d + 1], u);
          for (int m = 0; m < nmics; m++)
            {
              const double *p = mic_xyz + 3 * m;
              H[(size_t) d * nmics + m] = cexp (I * k * (p[0] * u[0] + p[1] * u[1] + p[2] * u[2]));
            }
        }
      return;
    }

  double x = k * model->radius;
  int nmax = al_array_series_order (x);
  double complex b[AL_ARRAY_MAX_TERMS + 1];
  double p[AL_ARRAY_MAX_TERMS + 1];
  al_array_modal_coefs (model->kind, x, nmax, b);
  for (int d = 0; d < ndirs; d++)
    {
      double u[3];
      al_array_unit_vector (dirs[2 * d], dirs[2 * d + 1], u);
      for (int m = 0; m < nmics; m++)
        {
          const double *v = mic_xyz + 3 * m;
          al_legendre_p (nmax, u[0] * v[0] + u[1] * v[1] + u[2] * v[2], p);
          double complex sum = 0;
          for (int n = nmax; n >= 0; n--)
            sum += b[n] * p[n];
          H[(size_t) d * nmics + m] = sum;
        }
    }
}
