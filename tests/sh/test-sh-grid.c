/* test-sh-grid.c — Fibonacci and Gauss–Legendre grids, SH orthonormality on the
 * Gauss grids up to their exact degree, grid specs, copies, direction helpers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "al-base.h"
#include "al-linalg.h"
#include "al-sh.h"

static void
test_fibonacci (void)
{
  const int n = 2048;
  g_autoptr (AlGrid) grid = al_grid_fibonacci (n);
  g_autofree double *xyz = g_new (double, 3 * n);
  double min_angle = G_MAXDOUBLE, sum = 0;

  g_assert_cmpint (grid->n, ==, n);
  g_assert_cmpint (grid->exact_degree, ==, -1);
  g_assert_cmpstr (grid->name, ==, "fibonacci:2048");
  al_dirs_to_xyz (grid->dirs, n, xyz);
  for (int i = 0; i < n; i++)
    {
      double *p = xyz + 3 * i;
      g_assert_cmpfloat_with_epsilon (sqrt (p[0] * p[0] + p[1] * p[1] + p[2] * p[2]), 1, 1e-15);
      /* Equal-area zones: z_i = 1 − (2i+1)/n. */
      g_assert_cmpfloat_with_epsilon (p[2], 1 - (2.0 * i + 1) / n, 1e-15);
      g_assert_cmpfloat (grid->weights[i], ==, 1.0 / n);
      g_assert_cmpfloat (grid->dirs[2 * i], >=, -G_PI);
      g_assert_cmpfloat (grid->dirs[2 * i], <, G_PI);
      sum += grid->weights[i];
      for (int j = 0; j < i; j++)
        {
          double *q = xyz + 3 * j;
          double dot = p[0] * q[0] + p[1] * q[1] + p[2] * q[2];
          min_angle = fmin (min_angle, acos (fmin (1, dot)));
        }
    }
  g_assert_cmpfloat_with_epsilon (sum, 1, 1e-12);
  /* Distinct and well spread: no two points closer than half the mean spacing √(4π/n). */
  g_test_message ("fibonacci:%d: min angle %.4f rad = %.3f x sqrt(4pi/n)", n, min_angle,
                  min_angle / sqrt (4 * G_PI / n));
  g_assert_cmpfloat (min_angle, >, 0.5 * sqrt (4 * G_PI / n));
}

static void
test_gauss_nodes (void)
{
  /* Order 1: 2 rings at z = ±1/√3 (weights 1 each of 2), 4 azimuths: w = 1/8. */
  {
    g_autoptr (AlGrid) g = al_grid_gauss_legendre (1);
    g_assert_cmpint (g->n, ==, 8);
    g_assert_cmpint (g->exact_degree, ==, 3);
    for (int j = 0; j < 8; j++)
      {
        g_assert_cmpfloat_with_epsilon (fabs (sin (g->dirs[2 * j + 1])), 1 / sqrt (3), 1e-15);
        g_assert_cmpfloat_with_epsilon (g->weights[j], 1.0 / 8, 1e-15);
      }
  }
  /* Order 2: z = 0 (weight 8/9), ±√(3/5) (5/9); 6 azimuths; weights over 2·6. */
  {
    g_autoptr (AlGrid) g = al_grid_gauss_legendre (2);
    g_assert_cmpint (g->n, ==, 18);
    for (int j = 0; j < 18; j++)
      {
        double z = sin (g->dirs[2 * j + 1]);
        if (fabs (z) < 1e-12)
          g_assert_cmpfloat_with_epsilon (g->weights[j], 8.0 / 9 / 12, 1e-15);
        else
          {
            g_assert_cmpfloat_with_epsilon (fabs (z), sqrt (0.6), 1e-15);
            g_assert_cmpfloat_with_epsilon (g->weights[j], 5.0 / 9 / 12, 1e-15);
          }
      }
  }
  /* Weights sum to 1 and sizes follow (N+1) x 2(N+1). */
  for (int order = 0; order <= 40; order++)
    {
      g_autoptr (AlGrid) h = al_grid_gauss_legendre (order);
      double sum = 0;
      g_assert_cmpint (h->n, ==, 2 * (order + 1) * (order + 1));
      for (int j = 0; j < h->n; j++)
        sum += h->weights[j];
      g_assert_cmpfloat_with_epsilon (sum, 1, 1e-13);
    }
}

/* max |Σ_j w_j Y_a Y_b − δ_ab| over deg(a) + deg(b) <= maxdeg (N3D), and, when
 * `beyond` is not NULL, the same maximum over pairs with deg(a) + deg(b) = maxdeg + 1. */
static double
gram_error (const AlGrid *g, int order, int maxdeg, double *beyond)
{
  int count = al_sh_count (order);
  g_autofree double *Y = g_new (double, (size_t) g->n * count);
  g_autofree double *WY = g_new (double, (size_t) g->n * count);
  g_autofree double *G = g_new (double, (size_t) count * count);
  double worst = 0, worst_beyond = 0;

  al_sh_matrix (order, AL_SH_N3D, g->dirs, g->n, Y);
  for (int j = 0; j < g->n; j++)
    for (int a = 0; a < count; a++)
      WY[(size_t) j * count + a] = g->weights[j] * Y[(size_t) j * count + a];
  al_dgemm ('T', 'N', count, count, g->n, 1.0, Y, WY, 0.0, G);
  for (int a = 0; a < count; a++)
    for (int b = 0; b < count; b++)
      {
        int deg = al_sh_degree_of (a) + al_sh_degree_of (b);
        double err = fabs (G[(size_t) a * count + b] - (a == b));
        if (deg <= maxdeg)
          worst = fmax (worst, err);
        else if (deg == maxdeg + 1)
          worst_beyond = fmax (worst_beyond, err);
      }
  if (beyond != NULL)
    *beyond = worst_beyond;
  return worst;
}

static void
test_orthonormality (void)
{
  const int spot[] = { 20, 30 };

  for (int order = 0; order <= 10; order++)
    {
      g_autoptr (AlGrid) g = al_grid_gauss_legendre (order);
      int yorder = MIN (g->exact_degree + 1, AL_SH_MAX_ORDER);
      double beyond, err = gram_error (g, yorder, g->exact_degree, &beyond);
      g_assert_cmpfloat (err, <, 1e-10);
      /* exact_degree is not overstated: one degree more breaks it. */
      g_assert_cmpfloat (beyond, >, 1e-3);
    }
  for (guint i = 0; i < G_N_ELEMENTS (spot); i++)
    {
      g_autoptr (AlGrid) g = al_grid_gauss_legendre (spot[i]);
      double err = gram_error (g, AL_SH_MAX_ORDER, g->exact_degree, NULL);
      g_test_message ("gauss:%d, SH order 30: max |Gram - I| = %.2e", spot[i], err);
      g_assert_cmpfloat (err, <, 1e-10);
    }
}

static void
test_parse_copy (void)
{
  GError *error = NULL;
  const char *bad[] = { "fibonacci:", "fibonacci:abc", "fibonacci:0", "fibonacci:12x",
                        "gauss:-1", "lebedev:5", "gauss", "Fibonacci:10", "" };
  g_autoptr (AlGrid) fib = al_grid_parse ("fibonacci:100", &error);
  g_autoptr (AlGrid) gauss = al_grid_parse ("gauss:3", &error);
  g_autoptr (AlGrid) copy = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (fib->n, ==, 100);
  g_assert_cmpstr (fib->name, ==, "fibonacci:100");
  g_assert_cmpint (gauss->n, ==, 32);
  g_assert_cmpint (gauss->exact_degree, ==, 7);
  g_assert_cmpstr (gauss->name, ==, "gauss:3");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      AlGrid *g = al_grid_parse (bad[i], &error);
      g_assert_null (g);
      g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
      g_assert_nonnull (strstr (error->message, bad[i]));
      g_clear_error (&error);
    }
  g_assert_null (al_grid_parse (NULL, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  copy = al_grid_copy (gauss);
  g_assert_true (copy->dirs != gauss->dirs && copy->weights != gauss->weights);
  g_assert_cmpint (copy->n, ==, gauss->n);
  g_assert_cmpint (copy->exact_degree, ==, gauss->exact_degree);
  g_assert_cmpstr (copy->name, ==, gauss->name);
  g_assert_cmpmem (copy->dirs, 2 * sizeof (double) * copy->n, gauss->dirs, 2 * sizeof (double) * gauss->n);
  g_assert_cmpmem (copy->weights, sizeof (double) * copy->n, gauss->weights, sizeof (double) * gauss->n);
  al_grid_free (NULL);
}

static void
test_direction_helpers (void)
{
  GRand *r = g_rand_new_with_seed (7);
  double xyz[3], az, el;
  const double front[2] = { 0, 0 }, left[2] = { G_PI / 2, 0 }, up[2] = { 1.234, G_PI / 2 };

  /* Convention: x front, y left, z up. */
  al_dirs_to_xyz (front, 1, xyz);
  g_assert_cmpfloat_with_epsilon (xyz[0], 1, 1e-15);
  al_dirs_to_xyz (left, 1, xyz);
  g_assert_cmpfloat_with_epsilon (xyz[1], 1, 1e-15);
  g_assert_cmpfloat_with_epsilon (xyz[0], 0, 1e-15);
  al_dirs_to_xyz (up, 1, xyz);
  g_assert_cmpfloat_with_epsilon (xyz[2], 1, 1e-15);

  for (int t = 0; t < 1000; t++)
    {
      double d[2], d2[2], u[3], v[3], ref, scale = g_rand_double_range (r, 0.1, 10);
      d[0] = g_rand_double_range (r, -G_PI, G_PI);
      d[1] = asin (g_rand_double_range (r, -1, 1));
      al_dirs_to_xyz (d, 1, u);
      for (int k = 0; k < 3; k++)
        xyz[k] = scale * u[k];   /* xyz_to_dir needs no unit vector */
      al_xyz_to_dir (xyz, &az, &el);
      g_assert_cmpfloat_with_epsilon (az, d[0], 1e-12);
      g_assert_cmpfloat_with_epsilon (el, d[1], 1e-12);

      d2[0] = g_rand_double_range (r, -G_PI, G_PI);
      d2[1] = asin (g_rand_double_range (r, -1, 1));
      al_dirs_to_xyz (d2, 1, v);
      ref = acos (u[0] * v[0] + u[1] * v[1] + u[2] * v[2]);
      g_assert_cmpfloat_with_epsilon (al_angle_between (d[0], d[1], d2[0], d2[1]), ref, 1e-7);
    }
  g_assert_cmpfloat_with_epsilon (al_angle_between (0, 0, G_PI / 2, 0), G_PI / 2, 1e-15);
  g_assert_cmpfloat_with_epsilon (al_angle_between (0.3, G_PI / 2, 2.0, -G_PI / 2), G_PI, 1e-15);
  /* Tiny angles stay accurate (acos of the dot product would give 0 here). */
  {
    volatile double a1 = 0.5, a2 = 0.5 + 1e-9, e1 = 0.2, e2 = 0.2 + 3e-10;
    g_assert_cmpfloat_with_epsilon (al_angle_between (a1, 0, a2, 0), a2 - a1, 5e-16);
    g_assert_cmpfloat_with_epsilon (al_angle_between (0.5, e1, 0.5, e2), e2 - e1, 5e-16);
  }
  g_rand_free (r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sh/grid/fibonacci", test_fibonacci);
  g_test_add_func ("/sh/grid/gauss-nodes", test_gauss_nodes);
  g_test_add_func ("/sh/grid/orthonormality", test_orthonormality);
  g_test_add_func ("/sh/grid/parse-copy", test_parse_copy);
  g_test_add_func ("/sh/grid/direction-helpers", test_direction_helpers);
  return g_test_run ();
}
