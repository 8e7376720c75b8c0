/* test-sh-voronoi.c — Voronoi weights of arbitrary direction sets: regular
 * polyhedra, ring grids against cell areas worked out independently (closed-form
 * cell vertices, Girard's angle-excess formula), a brute-force nearest-point
 * count, sets that do not span the sphere, and input errors.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "al-base.h"
#include "al-sh.h"

#define DEG(x) AL_DEG2RAD (x)

static void
unit (double az, double el, double *v)
{
  v[0] = cos (el) * cos (az);
  v[1] = cos (el) * sin (az);
  v[2] = sin (el);
}

/* Area of a convex spherical polygon (k unit vectors in order) by Girard's
 * theorem: sum of interior angles − (k − 2)π. */
static double
girard_area (const double (*v)[3], int k)
{
  double sum = 0;

  for (int i = 0; i < k; i++)
    {
      const double *p = v[(i + k - 1) % k], *c = v[i], *q = v[(i + 1) % k];
      double t1[3], t2[3], dp = 0, dq = 0, n1 = 0, n2 = 0, dot = 0;
      for (int j = 0; j < 3; j++)
        dp += p[j] * c[j], dq += q[j] * c[j];
      for (int j = 0; j < 3; j++)
        {
          t1[j] = p[j] - dp * c[j];
          t2[j] = q[j] - dq * c[j];
          n1 += t1[j] * t1[j];
          n2 += t2[j] * t2[j];
          dot += t1[j] * t2[j];
        }
      sum += acos (dot / sqrt (n1 * n2));
    }
  return sum - (k - 2) * G_PI;
}

/* Elevation of the Voronoi vertex between rings at e1 and e2 for azimuth
 * spacing 2·half: the point at azimuth `half` equidistant from (0, e1) and (0, e2). */
static double
ring_vertex_el (double e1, double e2, double half)
{
  return atan (cos (half) * (cos (e1) - cos (e2)) / (sin (e2) - sin (e1)));
}

/* Area of the cell spanning azimuth ±half between boundary elevations lo and hi
 * (±90° means the cell closes at the pole). */
static double
ring_cell_area (double lo, double hi, double half)
{
  double v[4][3];
  int k = 0;

  if (lo <= -G_PI / 2 + 1e-12)
    unit (0, -G_PI / 2, v[k++]);
  else
    {
      unit (-half, lo, v[k++]);
      unit (half, lo, v[k++]);
    }
  if (hi >= G_PI / 2 - 1e-12)
    unit (0, G_PI / 2, v[k++]);
  else
    {
      unit (half, hi, v[k++]);
      unit (-half, hi, v[k++]);
    }
  return girard_area ((const double (*)[3]) v, k);
}

static AlGrid *
grid_from_xyz (const double (*xyz)[3], int n)
{
  g_autofree double *dirs = g_new (double, 2 * n);
  GError *error = NULL;
  AlGrid *g;

  for (int i = 0; i < n; i++)
    al_xyz_to_dir (xyz[i], &dirs[2 * i], &dirs[2 * i + 1]);
  g = al_grid_from_dirs (dirs, n, &error);
  g_assert_no_error (error);
  return g;
}

static void
assert_sane (const AlGrid *g)
{
  double sum = 0;

  for (int i = 0; i < g->n; i++)
    {
      g_assert_true (isfinite (g->weights[i]));
      g_assert_cmpfloat (g->weights[i], >, 0);
      sum += g->weights[i];
    }
  g_assert_cmpfloat_with_epsilon (sum, 1, 1e-12);
}

static void
test_polyhedra (void)
{
  const double octa[6][3] = { { 1, 0, 0 }, { -1, 0, 0 }, { 0, 1, 0 }, { 0, -1, 0 }, { 0, 0, 1 }, { 0, 0, -1 } };
  double cube[8][3], ico[12][3];
  const double phi = (1 + sqrt (5)) / 2;

  for (int i = 0; i < 8; i++)
    for (int k = 0; k < 3; k++)
      cube[i][k] = ((i >> k) & 1) ? 1 : -1;
  /* Icosahedron: cyclic permutations of (0, ±1, ±φ). */
  for (int i = 0; i < 12; i++)
    {
      double a = (i & 1) ? -1 : 1, b = (i & 2) ? -phi : phi, v[3] = { 0, a, b };
      int rot = i / 4;
      for (int k = 0; k < 3; k++)
        ico[i][k] = v[(k + 3 - rot) % 3];
    }

  {
    g_autoptr (AlGrid) g = grid_from_xyz (octa, 6);
    assert_sane (g);
    for (int i = 0; i < 6; i++)
      g_assert_cmpfloat_with_epsilon (g->weights[i], 1.0 / 6, 1e-12);
    g_assert_cmpint (g->exact_degree, ==, -1);
  }
  {
    g_autoptr (AlGrid) g = grid_from_xyz ((const double (*)[3]) cube, 8);
    assert_sane (g);
    for (int i = 0; i < 8; i++)
      g_assert_cmpfloat_with_epsilon (g->weights[i], 1.0 / 8, 1e-12);
  }
  {
    g_autoptr (AlGrid) g = grid_from_xyz ((const double (*)[3]) ico, 12);
    assert_sane (g);
    for (int i = 0; i < 12; i++)
      g_assert_cmpfloat_with_epsilon (g->weights[i], 1.0 / 12, 1e-12);
  }
}

static void
test_ring_grid (void)
{
  const int naz = 36, nring = 5;
  const double els[5] = { DEG (-60), DEG (-30), 0, DEG (30), DEG (60) };
  const double half = G_PI / naz;
  double dirs[2 * 36 * 5], bound[6], ring_w[5] = { 0 }, zone[5], worst_zone = 0;
  g_autoptr (AlGrid) g = NULL;
  GError *error = NULL;

  for (int r = 0; r < nring; r++)
    for (int k = 0; k < naz; k++)
      {
        dirs[2 * (r * naz + k)] = DEG (10.0 * k);   /* 0..350°: not wrapped on purpose */
        dirs[2 * (r * naz + k) + 1] = els[r];
      }
  g = al_grid_from_dirs (dirs, naz * nring, &error);
  g_assert_no_error (error);
  assert_sane (g);

  /* Exact cells: quadrilaterals (triangles at the caps) whose corners sit at
   * azimuth ±5° and the closed-form elevations of the ring-to-ring vertices. */
  bound[0] = -G_PI / 2;
  bound[5] = G_PI / 2;
  for (int r = 1; r < nring; r++)
    bound[r] = ring_vertex_el (els[r - 1], els[r], half);
  for (int r = 0; r < nring; r++)
    {
      double expect = ring_cell_area (bound[r], bound[r + 1], half) / (4 * G_PI);
      for (int k = 0; k < naz; k++)
        {
          g_assert_cmpfloat_with_epsilon (g->weights[r * naz + k], expect, 1e-12);
          ring_w[r] += g->weights[r * naz + k];
        }
    }

  /* Zone areas with boundaries halfway between rings, caps to the outer rings:
   * the Voronoi boundaries are great-circle arcs, not parallels, so they agree
   * only to within how far those arcs sag (1e-3 relative here). */
  for (int r = 0; r < nring; r++)
    {
      double lo = r == 0 ? -G_PI / 2 : (els[r - 1] + els[r]) / 2;
      double hi = r == nring - 1 ? G_PI / 2 : (els[r] + els[r + 1]) / 2;
      zone[r] = (sin (hi) - sin (lo)) / 2;
      worst_zone = fmax (worst_zone, fabs (ring_w[r] - zone[r]) / zone[r]);
      g_assert_cmpfloat_with_epsilon (ring_w[r], zone[r], 2e-3 * zone[r]);
    }
  g_assert_cmpfloat_with_epsilon (ring_w[0], ring_w[4], 1e-14);
  g_assert_cmpfloat_with_epsilon (ring_w[1], ring_w[3], 1e-14);
  g_test_message ("36x5 ring grid: ring weights %.8f %.8f %.8f (zone areas %.8f %.8f %.8f), "
                  "max relative difference %.2e",
                  ring_w[2], ring_w[3], ring_w[4], zone[2], zone[3], zone[4], worst_zone);
}

static void
test_fibonacci_voronoi (void)
{
  const int n = 2048;
  g_autoptr (AlGrid) fib = al_grid_fibonacci (n);
  g_autoptr (AlGrid) g = NULL;
  GError *error = NULL;
  gint64 t0 = g_get_monotonic_time ();
  double worst = 0, worst_inner = 0, rms = 0;
  int worst_i = 0;

  g = al_grid_from_dirs (fib->dirs, n, &error);
  g_test_message ("Voronoi weights of %d Fibonacci points: %.1f ms", n,
                  (g_get_monotonic_time () - t0) / 1000.0);
  g_assert_no_error (error);
  assert_sane (g);
  for (int i = 0; i < n; i++)
    {
      double dev = fabs (g->weights[i] * n - 1);
      if (dev > worst)
        worst = dev, worst_i = i;
      if (i >= 10 && i < n - 10)
        worst_inner = fmax (worst_inner, dev);
      rms += dev * dev / n;
    }
  rms = sqrt (rms);
  g_test_message ("fibonacci:%d Voronoi weights: |w*N - 1| max %.4f (point %d), "
                  "max away from the 10 points nearest each pole %.4f, rms %.4f",
                  n, worst, worst_i, worst_inner, rms);
  g_assert_cmpfloat (worst, <, 0.08);
  g_assert_cmpfloat (worst_inner, <, 0.05);
  g_assert_cmpfloat (rms, <, 0.02);
}

/* Voronoi areas against a brute-force count: 10^6 equal-area Fibonacci samples,
 * each assigned to its nearest point. */
static void
test_brute_force (void)
{
  const int n = 40, samples = 1000000;
  GRand *r = g_rand_new_with_seed (99);
  double dirs[80], xyz[120], worst = 0;
  g_autoptr (AlGrid) g = NULL;
  g_autoptr (AlGrid) dense = al_grid_fibonacci (samples);
  g_autofree double *sxyz = g_new (double, 3 * samples);
  int count[40] = { 0 };
  GError *error = NULL;

  for (int i = 0; i < n; i++)
    {
      dirs[2 * i] = g_rand_double_range (r, -G_PI, G_PI);
      dirs[2 * i + 1] = asin (g_rand_double_range (r, -1, 1));
    }
  g = al_grid_from_dirs (dirs, n, &error);
  g_assert_no_error (error);
  assert_sane (g);

  al_dirs_to_xyz (dirs, n, xyz);
  al_dirs_to_xyz (dense->dirs, samples, sxyz);
  for (int s = 0; s < samples; s++)
    {
      const double *q = sxyz + 3 * s;
      int best = 0;
      double best_dot = -2;
      for (int i = 0; i < n; i++)
        {
          double d = q[0] * xyz[3 * i] + q[1] * xyz[3 * i + 1] + q[2] * xyz[3 * i + 2];
          if (d > best_dot)
            best_dot = d, best = i;
        }
      count[best]++;
    }
  for (int i = 0; i < n; i++)
    worst = fmax (worst, fabs (g->weights[i] - (double) count[i] / samples));
  g_test_message ("40 random points: max |w - brute-force fraction| = %.2e", worst);
  g_assert_cmpfloat (worst, <, 1e-4);
  g_rand_free (r);
}

/* Upper hemisphere (rings at 0°, 30°, 60° and the pole): cells are clipped at
 * the equator, and the empty lower hemisphere (2π) is shared equally. */
static void
test_hemisphere (void)
{
  const int naz = 36, n = 3 * 36 + 1;
  const double els[3] = { 0, DEG (30), DEG (60) };
  const double half = G_PI / naz;
  double dirs[2 * (3 * 36 + 1)], b01, b12, b2p, area[4], expect[4];
  g_autoptr (AlGrid) g = NULL;
  GError *error = NULL;

  for (int r = 0; r < 3; r++)
    for (int k = 0; k < naz; k++)
      {
        dirs[2 * (r * naz + k)] = DEG (10.0 * k - 180);
        dirs[2 * (r * naz + k) + 1] = els[r];
      }
  dirs[2 * (n - 1)] = 0;
  dirs[2 * (n - 1) + 1] = G_PI / 2;
  g = al_grid_from_dirs (dirs, n, &error);
  g_assert_no_error (error);
  assert_sane (g);

  b01 = ring_vertex_el (els[0], els[1], half);
  b12 = ring_vertex_el (els[1], els[2], half);
  b2p = ring_vertex_el (els[2], G_PI / 2, half);
  area[0] = ring_cell_area (0, b01, half);          /* clipped at the equator */
  area[1] = ring_cell_area (b01, b12, half);
  area[2] = ring_cell_area (b12, b2p, half);
  area[3] = naz * ring_cell_area (b2p, G_PI / 2, half);
  /* The cells tile the hemisphere, so the shared rest is 2π. */
  g_assert_cmpfloat_with_epsilon (naz * (area[0] + area[1] + area[2]) + area[3], 2 * G_PI, 1e-12);
  for (int r = 0; r < 4; r++)
    expect[r] = (area[r] + 2 * G_PI / n) / (4 * G_PI);
  for (int i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (g->weights[i], expect[MIN (i / naz, 3)], 1e-12);
}

/* A cap: the pole and 8 points 20° from it.  Ring cells are clipped to the
 * spherical octagon; the rest of the sphere is shared by all 9. */
static void
test_cap_cluster (void)
{
  double dirs[18], oct[8][3], pole_cell[8][3], oct_area, pole_area, rest;
  double tip = ring_vertex_el (DEG (70), G_PI / 2, DEG (22.5));
  g_autoptr (AlGrid) g = NULL;
  GError *error = NULL;

  for (int k = 0; k < 8; k++)
    {
      dirs[2 * k] = DEG (45.0 * k);
      dirs[2 * k + 1] = DEG (70);
      unit (DEG (45.0 * k), DEG (70), oct[k]);
      unit (DEG (45.0 * k + 22.5), tip, pole_cell[k]);
    }
  dirs[16] = 0;
  dirs[17] = G_PI / 2;
  g = al_grid_from_dirs (dirs, 9, &error);
  g_assert_no_error (error);
  assert_sane (g);

  oct_area = girard_area ((const double (*)[3]) oct, 8);
  pole_area = girard_area ((const double (*)[3]) pole_cell, 8);
  rest = 4 * G_PI - oct_area;
  g_assert_cmpfloat_with_epsilon (g->weights[8], (pole_area + rest / 9) / (4 * G_PI), 1e-12);
  for (int k = 0; k < 8; k++)
    g_assert_cmpfloat_with_epsilon (g->weights[k], ((oct_area - pole_area) / 8 + rest / 9) / (4 * G_PI),
                                    1e-12);
}

static void
test_circles (void)
{
  GError *error = NULL;

  /* Horizontal ring: equal lunes. */
  {
    double dirs[72];
    g_autoptr (AlGrid) g = NULL;
    for (int k = 0; k < 36; k++)
      dirs[2 * k] = DEG (10.0 * k), dirs[2 * k + 1] = 0;
    g = al_grid_from_dirs (dirs, 36, &error);
    g_assert_no_error (error);
    for (int k = 0; k < 36; k++)
      g_assert_cmpfloat_with_epsilon (g->weights[k], 1.0 / 36, 1e-12);
  }
  /* Uneven ring at 30°: lune of point i spans half the gaps on either side. */
  {
    const double az[6] = { 0, 10, 30, 60, 100, 200 };
    double dirs[12];
    g_autoptr (AlGrid) g = NULL;
    for (int k = 0; k < 6; k++)
      dirs[2 * k] = DEG (az[k]), dirs[2 * k + 1] = DEG (30);
    g = al_grid_from_dirs (dirs, 6, &error);
    g_assert_no_error (error);
    assert_sane (g);
    for (int k = 0; k < 6; k++)
      {
        double before = fmod (az[k] - az[(k + 5) % 6] + 360, 360);
        double after = fmod (az[(k + 1) % 6] - az[k] + 360, 360);
        g_assert_cmpfloat_with_epsilon (g->weights[k], (before + after) / 720, 1e-12);
      }
  }
  /* A tilted great circle (x-z plane) and three points. */
  {
    double dirs[24];
    g_autoptr (AlGrid) g = NULL;
    for (int k = 0; k < 12; k++)
      {
        double v[3] = { cos (DEG (30.0 * k)), 0, sin (DEG (30.0 * k)) };
        al_xyz_to_dir (v, &dirs[2 * k], &dirs[2 * k + 1]);
      }
    g = al_grid_from_dirs (dirs, 12, &error);
    g_assert_no_error (error);
    for (int k = 0; k < 12; k++)
      g_assert_cmpfloat_with_epsilon (g->weights[k], 1.0 / 12, 1e-12);
  }
  {
    const double one[2] = { 0.3, 0.2 }, two[4] = { 0, 0, 1, 0.5 };
    g_autoptr (AlGrid) g1 = al_grid_from_dirs (one, 1, &error);
    g_autoptr (AlGrid) g2 = al_grid_from_dirs (two, 2, &error);
    g_assert_no_error (error);
    g_assert_cmpfloat (g1->weights[0], ==, 1);
    g_assert_cmpfloat (g2->weights[0], ==, 0.5);
    g_assert_cmpfloat (g2->weights[1], ==, 0.5);
  }
}

static void
test_errors (void)
{
  double dirs[2 * 10];
  GError *error = NULL;

  for (int k = 0; k < 10; k++)
    dirs[2 * k] = DEG (36.0 * k), dirs[2 * k + 1] = DEG (k % 2 ? 20 : -20);
  /* The pole listed at two azimuths. */
  dirs[2 * 3] = 0, dirs[2 * 3 + 1] = G_PI / 2;
  dirs[2 * 7] = 1.5, dirs[2 * 7 + 1] = G_PI / 2;
  g_assert_null (al_grid_from_dirs (dirs, 10, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "directions 3 "));
  g_assert_nonnull (strstr (error->message, "and 7 "));
  g_clear_error (&error);

  /* The same direction written as az 350° and −10°. */
  dirs[2 * 7] = DEG (17), dirs[2 * 7 + 1] = 0.1;
  dirs[2 * 3] = DEG (350), dirs[2 * 3 + 1] = 0.2;
  dirs[2 * 5] = DEG (-10), dirs[2 * 5 + 1] = 0.2;
  g_assert_null (al_grid_from_dirs (dirs, 10, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "directions 3 "));
  g_assert_nonnull (strstr (error->message, "and 5 "));
  g_clear_error (&error);

  dirs[2 * 5] = NAN;
  g_assert_null (al_grid_from_dirs (dirs, 10, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "value 10"));
  g_clear_error (&error);

  g_assert_null (al_grid_from_dirs (dirs, 0, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sh/voronoi/polyhedra", test_polyhedra);
  g_test_add_func ("/sh/voronoi/ring-grid", test_ring_grid);
  g_test_add_func ("/sh/voronoi/fibonacci", test_fibonacci_voronoi);
  g_test_add_func ("/sh/voronoi/brute-force", test_brute_force);
  g_test_add_func ("/sh/voronoi/hemisphere", test_hemisphere);
  g_test_add_func ("/sh/voronoi/cap-cluster", test_cap_cluster);
  g_test_add_func ("/sh/voronoi/circles", test_circles);
  g_test_add_func ("/sh/voronoi/errors", test_errors);
  return g_test_run ();
}
