/* al-grid.c — direction grids (Fibonacci spiral, Gauss–Legendre × equiangular),
 * grid specs, and direction/vector helpers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "al-base.h"
#include "al-sh-private.h"

/* Limits of what al_grid_parse accepts (memory stays below ~50 MB). */
#define FIBONACCI_MAX_POINTS 2000000
#define GAUSS_MAX_ORDER 999

AlGrid *
al_grid_alloc (int n, int exact_degree, char *name)
{
  AlGrid *grid = g_new0 (AlGrid, 1);

  grid->n = n;
  grid->dirs = g_new0 (double, 2 * (size_t) MAX (n, 1));
  grid->weights = g_new0 (double, MAX (n, 1));
  grid->exact_degree = exact_degree;
  grid->name = name;
  return grid;
}

/* Azimuth folded into [−π, π). */
static double
wrap_azimuth (double az)
{
  double w = fmod (az + G_PI, 2 * G_PI);

  if (w < 0)
    w += 2 * G_PI;
  return w - G_PI;
}

AlGrid *
al_grid_fibonacci (int n)
{
  /* Golden angle π(3 − √5): successive points turn by it, z steps evenly so
   * every point sits at the centre of an equal-area zone. */
  const double golden = G_PI * (3 - sqrt (5));
  AlGrid *grid;

  g_return_val_if_fail (n >= 1, NULL);
  grid = al_grid_alloc (n, -1, g_strdup_printf ("fibonacci:%d", n));
  for (int i = 0; i < n; i++)
    {
      double z = 1 - (2.0 * i + 1) / n;
      grid->dirs[2 * i] = wrap_azimuth (i * golden);
      grid->dirs[2 * i + 1] = asin (z);
      grid->weights[i] = 1.0 / n;
    }
  return grid;
}

/* Nodes x (descending) and weights (sum 2) of the q-point Gauss–Legendre rule on
 * [−1, 1], by Newton's method on P_q from the Tricomi initial guesses. */
static void
gauss_legendre_rule (int q, double *x, double *w)
{
  for (int i = 0; i < (q + 1) / 2; i++)
    {
      double z = cos (G_PI * (i + 0.75) / (q + 0.5));
      double dp = 1;

      for (int iter = 0; iter < 100; iter++)
        {
          double p0 = 1, p1 = z, dz;

          /* P_q(z) by Bonnet's recurrence; P_q' from P_q and P_{q−1}. */
          for (int k = 2; k <= q; k++)
            {
              double p2 = ((2.0 * k - 1) * z * p1 - (k - 1.0) * p0) / k;
              p0 = p1;
              p1 = p2;
            }
          dp = q * (z * p1 - p0) / (z * z - 1);
          dz = p1 / dp;
          z -= dz;
          if (fabs (dz) < 1e-16)
            break;
        }
      x[i] = z;
      x[q - 1 - i] = -z;
      w[i] = w[q - 1 - i] = 2 / ((1 - z * z) * dp * dp);
    }
  if (q % 2 == 1)
    x[q / 2] = 0;  /* exactly, by symmetry */
}

AlGrid *
al_grid_gauss_legendre (int order)
{
  int rings = order + 1, naz = 2 * (order + 1);
  g_autofree double *x = NULL;
  g_autofree double *w = NULL;
  AlGrid *grid;

  g_return_val_if_fail (order >= 0, NULL);
  x = g_new (double, rings);
  w = g_new (double, rings);
  gauss_legendre_rule (rings, x, w);

  grid = al_grid_alloc (rings * naz, 2 * order + 1, g_strdup_printf ("gauss:%d", order));
  for (int i = 0; i < rings; i++)
    for (int k = 0; k < naz; k++)
      {
        int j = i * naz + k;
        grid->dirs[2 * j] = wrap_azimuth (2 * G_PI * k / naz);
        grid->dirs[2 * j + 1] = asin (x[i]);
        /* Gauss weights sum to 2 over z; the azimuth rule is the plain mean. */
        grid->weights[j] = w[i] / (2.0 * naz);
      }
  return grid;
}

static gboolean
parse_count (const char *spec, const char *text, gint64 min, gint64 max, const char *what,
             gint64 *value, GError **error)
{
  g_autoptr (GError) local = NULL;

  if (!g_ascii_string_to_signed (text, 10, min, max, value, &local))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "grid spec “%s”: %s must be an integer from %" G_GINT64_FORMAT
                   " to %" G_GINT64_FORMAT " (got “%s”)", spec, what, min, max, text);
      return FALSE;
    }
  return TRUE;
}

AlGrid *
al_grid_parse (const char *spec, GError **error)
{
  const char *colon;
  gint64 value;

  if (spec == NULL)
    {
      g_set_error_literal (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                           "grid spec missing (expected “fibonacci:N” or “gauss:ORDER”)");
      return NULL;
    }
  colon = strchr (spec, ':');
  if (colon != NULL && strncmp (spec, "fibonacci", colon - spec) == 0 && colon - spec == 9)
    {
      if (!parse_count (spec, colon + 1, 1, FIBONACCI_MAX_POINTS, "the number of points", &value, error))
        return NULL;
      return al_grid_fibonacci ((int) value);
    }
  if (colon != NULL && strncmp (spec, "gauss", colon - spec) == 0 && colon - spec == 5)
    {
      if (!parse_count (spec, colon + 1, 0, GAUSS_MAX_ORDER, "the order", &value, error))
        return NULL;
      return al_grid_gauss_legendre ((int) value);
    }
  g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
               "grid spec “%s” not understood (expected “fibonacci:N” or “gauss:ORDER”)", spec);
  return NULL;
}

AlGrid *
al_grid_copy (const AlGrid *grid)
{
  AlGrid *copy;

  g_return_val_if_fail (grid != NULL, NULL);
  copy = al_grid_alloc (grid->n, grid->exact_degree, g_strdup (grid->name));
  memcpy (copy->dirs, grid->dirs, sizeof *grid->dirs * 2 * (size_t) grid->n);
  memcpy (copy->weights, grid->weights, sizeof *grid->weights * (size_t) grid->n);
  return copy;
}

void
al_grid_free (AlGrid *grid)
{
  if (grid == NULL)
    return;
  g_free (grid->dirs);
  g_free (grid->weights);
  g_free (grid->name);
  g_free (grid);
}

void
al_dirs_to_xyz (const double *dirs, int n, double *xyz)
{
  g_return_if_fail (n >= 0);
  for (int i = 0; i < n; i++)
    {
      double az = dirs[2 * i], el = dirs[2 * i + 1];
      xyz[3 * i] = cos (el) * cos (az);
      xyz[3 * i + 1] = cos (el) * sin (az);
      xyz[3 * i + 2] = sin (el);
    }
}

void
al_xyz_to_dir (const double *xyz, double *azimuth, double *elevation)
{
  /* atan2 needs no normalisation and stays accurate near the poles; the zero
   * vector maps to (0, 0). */
  double rho = hypot (xyz[0], xyz[1]);

  if (azimuth != NULL)
    *azimuth = atan2 (xyz[1], xyz[0]);
  if (elevation != NULL)
    *elevation = atan2 (xyz[2], rho);
}

double
al_angle_between (double az1, double el1, double az2, double el2)
{
  double a[3], b[3], cross[3];
  double d1[2] = { az1, el1 }, d2[2] = { az2, el2 };

  /* atan2(|a×b|, a·b) is accurate for tiny and near-antipodal angles alike. */
  al_dirs_to_xyz (d1, 1, a);
  al_dirs_to_xyz (d2, 1, b);
  cross[0] = a[1] * b[2] - a[2] * b[1];
  cross[1] = a[2] * b[0] - a[0] * b[2];
  cross[2] = a[0] * b[1] - a[1] * b[0];
  return atan2 (sqrt (cross[0] * cross[0] + cross[1] * cross[1] + cross[2] * cross[2]),
                a[0] * b[0] + a[1] * b[1] + a[2] * b[2]);
}
