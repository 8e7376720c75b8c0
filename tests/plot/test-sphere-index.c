/* test-sphere-index.c — the nearest-direction index against a brute-force
 * search: random sets, hints, poles, duplicates, odd angle ranges, NaN.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-plot-private.h"

#include <math.h>

static void
unit (double az, double el, double v[3])
{
  v[0] = cos (el) * cos (az);
  v[1] = cos (el) * sin (az);
  v[2] = sin (el);
}

/* The largest dot product over all finite inputs: the angle to the nearest. */
static double
best_dot (const double *dirs, int n, double az, double el)
{
  double q[3], v[3], best = -2;
  unit (az, el, q);
  for (int i = 0; i < n; i++)
    {
      if (!isfinite (dirs[2 * i]) || !isfinite (dirs[2 * i + 1]))
        continue;
      unit (dirs[2 * i], dirs[2 * i + 1], v);
      best = MAX (best, q[0] * v[0] + q[1] * v[1] + q[2] * v[2]);
    }
  return best;
}

static double
dot_to (const double *dirs, int i, double az, double el)
{
  double q[3], v[3];
  unit (az, el, q);
  unit (dirs[2 * i], dirs[2 * i + 1], v);
  return q[0] * v[0] + q[1] * v[1] + q[2] * v[2];
}

static void
random_dirs (GRand *rand, double *dirs, int n)
{
  for (int i = 0; i < n; i++)
    {
      dirs[2 * i] = g_rand_double_range (rand, -G_PI, G_PI);
      dirs[2 * i + 1] = asin (g_rand_double_range (rand, -1, 1));
    }
}

static void
test_random_against_brute_force (void)
{
  GRand *rand = g_rand_new_with_seed (7);
  static const int sizes[] = { 1, 2, 7, 100, 2000, 20000 };
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      int n = sizes[s];
      double *dirs = g_new (double, 2 * n);
      random_dirs (rand, dirs, n);
      AlSphereIndex *index = al_sphere_index_new (dirs, n);
      int hint = -1;
      for (int k = 0; k < 400; k++)
        {
          double az = g_rand_double_range (rand, -G_PI, G_PI);
          double el = asin (g_rand_double_range (rand, -1, 1));
          int i = al_sphere_index_nearest (index, az, el, -1);
          g_assert_cmpint (i, >=, 0);
          g_assert_cmpint (i, <, n);
          g_assert_cmpfloat (dot_to (dirs, i, az, el), >=, best_dot (dirs, n, az, el) - 1e-12);
          /* any hint, near or far, gives the same answer */
          int j = al_sphere_index_nearest (index, az, el, hint);
          g_assert_cmpfloat (dot_to (dirs, j, az, el), >=, best_dot (dirs, n, az, el) - 1e-12);
          hint = (int) g_rand_int_range (rand, 0, n);
        }
      al_sphere_index_free (index);
      g_free (dirs);
    }
  g_rand_free (rand);
}

static void
test_awkward_inputs (void)
{
  /* poles, duplicates, azimuths beyond +-pi, elevations beyond +-pi/2, NaN */
  double dirs[] = {
    0.3, G_PI_2,          /* north pole */
    2.0, -G_PI_2,         /* south pole */
    1.0, 0.2, 1.0, 0.2,   /* duplicate */
    3 * G_PI, 0.0,        /* = azimuth pi */
    -0.5, G_PI - 0.1,     /* over the pole: = azimuth pi - 0.5, elevation 0.1 */
    NAN, 0.0,             /* left out */
    0.0, NAN,             /* left out */
  };
  int n = G_N_ELEMENTS (dirs) / 2;
  AlSphereIndex *index = al_sphere_index_new (dirs, n);
  GRand *rand = g_rand_new_with_seed (11);
  for (int k = 0; k < 2000; k++)
    {
      double az = g_rand_double_range (rand, -4 * G_PI, 4 * G_PI);
      double el = g_rand_double_range (rand, -G_PI_2, G_PI_2);
      int i = al_sphere_index_nearest (index, az, el, k % 2 ? -1 : (int) (k % n));
      g_assert_cmpint (i, >=, 0);
      g_assert_true (isfinite (dirs[2 * i]) && isfinite (dirs[2 * i + 1]));
      g_assert_cmpfloat (dot_to (dirs, i, az, el), >=, best_dot (dirs, n, az, el) - 1e-12);
    }
  /* straight at the inputs */
  g_assert_cmpint (al_sphere_index_nearest (index, 5.0, G_PI_2, -1), ==, 0);
  g_assert_cmpint (al_sphere_index_nearest (index, -1.0, -G_PI_2, -1), ==, 1);
  g_assert_cmpint (al_sphere_index_nearest (index, -G_PI, 0.0, -1), ==, 4);
  g_assert_cmpint (al_sphere_index_nearest (index, G_PI - 0.5, 0.1, -1), ==, 5);
  /* no answer for a NaN query */
  g_assert_cmpint (al_sphere_index_nearest (index, NAN, 0, -1), ==, -1);
  g_rand_free (rand);
  al_sphere_index_free (index);

  AlSphereIndex *empty = al_sphere_index_new (NULL, 0);
  g_assert_cmpint (al_sphere_index_nearest (empty, 0, 0, -1), ==, -1);
  al_sphere_index_free (empty);
  double only_nan[] = { NAN, NAN };
  AlSphereIndex *none = al_sphere_index_new (only_nan, 1);
  g_assert_cmpint (al_sphere_index_nearest (none, 0, 0, 0), ==, -1);
  al_sphere_index_free (none);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plot/sphere-index/brute-force", test_random_against_brute_force);
  g_test_add_func ("/plot/sphere-index/awkward", test_awkward_inputs);
  return g_test_run ();
}
