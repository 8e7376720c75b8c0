/* test-sh-quadrature.c — al_grid_quadrature: Gauss–Legendre grids given as
 * bare, shuffled directions get their Gauss weights back, ring grids get
 * interpolatory ring weights (Clenshaw–Curtis with the poles), t-designs get
 * equal weights, irregular sets fall back to Voronoi; exact_degree against an
 * independent Gram-matrix check; speed; input errors.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "al-base.h"
#include "al-linalg.h"
#include "al-sh.h"

#define DEG(x) AL_DEG2RAD (x)

#if defined(__SANITIZE_ADDRESS__)
#define TIME_LIMIT_MS 500.0  /* sanitizers slow everything down ~5–10x */
#else
#define TIME_LIMIT_MS 50.0
#endif

/* max |Σ_j w_j Y_a Y_b − δ_ab| (N3D) over deg(a) + deg(b) <= maxdeg, and in
 * *beyond the same over deg(a) + deg(b) == maxdeg + 1 (Y up to `order`). */
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

/* exact_degree is right both ways: the Gram matrix is the identity up to it,
 * and one degree more breaks it (when that degree is within the check's cap
 * (D/2 + 1)² <= n and within AL_SH_MAX_ORDER). */
static void
assert_exact_degree (const AlGrid *g)
{
  int d = g->exact_degree;
  int next = d + 1;
  gboolean next_checked = (next / 2 + 1) * (next / 2 + 1) <= g->n && next <= AL_SH_MAX_ORDER;
  double beyond, err;

  g_assert_cmpint (d, >=, 0);
  err = gram_error (g, MIN (next_checked ? next : d, AL_SH_MAX_ORDER), MIN (d, 2 * AL_SH_MAX_ORDER),
                    &beyond);
  g_test_message ("%s: exact_degree %d, max |Gram - I| %.2e, one degree more %.2e",
                  g->name, d, err, next_checked ? beyond : NAN);
  g_assert_cmpfloat (err, <, 1e-10);
  if (next_checked)
    g_assert_cmpfloat (beyond, >, 1e-10);
}

static void
assert_sums_to_one (const AlGrid *g)
{
  double sum = 0;

  for (int j = 0; j < g->n; j++)
    {
      g_assert_true (isfinite (g->weights[j]));
      g_assert_cmpfloat (g->weights[j], >, 0);
      sum += g->weights[j];
    }
  g_assert_cmpfloat_with_epsilon (sum, 1, 1e-12);
}

/* A random permutation of 0 … n−1. */
static int *
shuffled (GRand *rand, int n)
{
  int *perm = g_new (int, (size_t) n);

  for (int i = 0; i < n; i++)
    perm[i] = i;
  for (int i = n - 1; i > 0; i--)
    {
      int k = g_rand_int_range (rand, 0, i + 1), t = perm[i];
      perm[i] = perm[k];
      perm[k] = t;
    }
  return perm;
}

static AlGrid *
quadrature (const double *dirs, int n)
{
  GError *error = NULL;
  AlGrid *g = al_grid_quadrature (dirs, n, &error);

  g_assert_no_error (error);
  g_assert_nonnull (g);
  g_assert_cmpint (g->n, ==, n);
  g_assert_true (memcmp (g->dirs, dirs, sizeof *dirs * 2 * (size_t) n) == 0);
  return g;
}

static void
assert_name (const AlGrid *g, const char *origin)
{
  g_autofree char *want = g_strdup_printf ("measured:%d (%s)", g->n, origin);

  g_assert_cmpstr (g->name, ==, want);
}

static void
test_gauss (void)
{
  const int orders[] = { 1, 2, 3, 5, 8, 12, 20, 31 };
  g_autoptr (GRand) rand = g_rand_new_with_seed (20240611);

  for (guint t = 0; t < G_N_ELEMENTS (orders); t++)
    {
      int order = orders[t];
      g_autoptr (AlGrid) gauss = al_grid_gauss_legendre (order);
      int n = gauss->n, naz = 2 * (order + 1);
      g_autofree int *perm = shuffled (rand, n);
      g_autofree double *dirs = g_new (double, 2 * (size_t) n);
      double worst = 0;

      /* Shuffled; every ring turned by its own phase, and some directions
       * written differently: azimuth one turn further, or (az + π, π − el). */
      for (int i = 0; i < n; i++)
        {
          int src = perm[i], ring = src / naz;
          double phase = (t % 2 == 1) ? 0.37 * ring + 0.1 : 0;
          dirs[2 * i] = gauss->dirs[2 * src] + phase + ((i % 3 == 0) ? 2 * G_PI : 0);
          dirs[2 * i + 1] = gauss->dirs[2 * src + 1];
          if (i % 5 == 1)
            {
              dirs[2 * i] += G_PI;
              dirs[2 * i + 1] = G_PI - dirs[2 * i + 1];
            }
        }
      {
        g_autoptr (AlGrid) g = quadrature (dirs, n);

        /* gauss:1 is a cube (equal Gauss weights): a t-design first. */
        assert_name (g, order == 1 ? "equal weights, t-design" : "ring quadrature");
        g_assert_cmpint (g->exact_degree, ==, 2 * order + 1);
        for (int i = 0; i < n; i++)
          worst = fmax (worst, fabs (g->weights[i] - gauss->weights[perm[i]]));
        g_test_message ("gauss:%d shuffled: max |w - w_gauss| = %.2e", order, worst);
        g_assert_cmpfloat (worst, <, 1e-12);
        assert_sums_to_one (g);
        if (order <= 12)
          assert_exact_degree (g);
      }
    }
}

/* Ring weights W_r (sum 2 over rings) of a grid whose points come ring after
 * ring, naz per ring. */
static void
ring_totals (const AlGrid *g, int nrings, const int *count, double *W)
{
  int j = 0;

  for (int r = 0; r < nrings; r++)
    {
      W[r] = 0;
      for (int i = 0; i < count[r]; i++, j++)
        {
          /* Equal within the ring. */
          g_assert_cmpfloat_with_epsilon (g->weights[j], g->weights[j - i], 1e-15);
          W[r] += 2 * g->weights[j];
        }
    }
}

static double
legendre (int l, double x)
{
  double p0 = 1, p1 = x;

  if (l == 0)
    return 1;
  for (int k = 2; k <= l; k++)
    {
      double p2 = ((2.0 * k - 1) * x * p1 - (k - 1.0) * p0) / k;
      p0 = p1;
      p1 = p2;
    }
  return p1;
}

static void
test_equiangular (void)
{
  const double els[] = { -60, -30, 0, 30, 60 };
  const int naz = 36, nrings = G_N_ELEMENTS (els), n = naz * nrings;
  int count[G_N_ELEMENTS (els)];
  double dirs[2 * 36 * G_N_ELEMENTS (els)], W[G_N_ELEMENTS (els)];
  GError *error = NULL;

  for (int r = 0; r < nrings; r++)
    {
      count[r] = naz;
      for (int k = 0; k < naz; k++)
        {
          /* Each ring with its own phase offset. */
          dirs[2 * (r * naz + k)] = DEG (10.0 * k + 3.0 * r - 5);
          dirs[2 * (r * naz + k) + 1] = DEG (els[r]);
        }
    }

  g_autoptr (AlGrid) g = quadrature (dirs, n);
  g_autoptr (AlGrid) voronoi = al_grid_from_dirs (dirs, n, &error);
  g_assert_no_error (error);

  assert_name (g, "ring quadrature");
  assert_sums_to_one (g);
  ring_totals (g, nrings, count, W);
  /* Interpolatory: P_0 … P_4 of sin(el) integrated exactly (∫_{-1}^{1} P_l = 2 δ_l0). */
  for (int l = 0; l < nrings; l++)
    {
      double sum = 0;
      for (int r = 0; r < nrings; r++)
        sum += W[r] * legendre (l, sin (DEG (els[r])));
      g_assert_cmpfloat_with_epsilon (sum, l == 0 ? 2 : 0, 1e-13);
    }
  for (int r = 0; r < nrings; r++)
    g_test_message ("ring el %+.0f°: W = %.15f", els[r], W[r]);
  /* Symmetric nodes: P_5 comes free; P_6 does not, so degree 5. */
  g_assert_cmpint (g->exact_degree, ==, 5);
  assert_exact_degree (g);
  /* Voronoi on the same grid is exact only to the degree symmetry gives. */
  g_test_message ("voronoi on the same grid: %s", voronoi->name);
  {
    double beyond;
    gram_error (voronoi, 2, 1, &beyond);
    g_assert_cmpfloat (beyond, >, 1e-3);
  }
}

static void
test_poles (void)
{
  /* Elevations −90 … 90 in 30° steps, 24 azimuths, poles as single points: the
   * nodes sin(el) are the 7 Chebyshev extrema, so the ring rule is
   * Clenshaw–Curtis (exact to degree 6, 7 by symmetry). */
  const int nr = 7, naz = 24, n = 2 + 5 * naz, N = nr - 1;
  int count[7];
  double W[7];
  g_autofree double *dirs = g_new (double, 2 * (size_t) n);
  int j = 0;

  for (int r = 0; r < nr; r++)
    {
      double el = DEG (-90 + 30.0 * r);
      count[r] = (r == 0 || r == nr - 1) ? 1 : naz;
      for (int k = 0; k < count[r]; k++, j++)
        {
          dirs[2 * j] = count[r] == 1 ? DEG (17) : DEG (15.0 * k + 7.5 * (r % 2));
          dirs[2 * j + 1] = el;
        }
    }
  g_assert_cmpint (j, ==, n);

  g_autoptr (AlGrid) g = quadrature (dirs, n);
  assert_name (g, "ring quadrature");
  assert_sums_to_one (g);
  ring_totals (g, nr, count, W);
  /* Clenshaw–Curtis weights on x_r = −cos(rπ/N):
   * w_r = c_r/N (1 − Σ_{k=1}^{N/2} b_k/(4k²−1) cos(2krπ/N)), c = 1 at the ends
   * (2 inside), b = 1 at k = N/2 (2 otherwise). */
  for (int r = 0; r <= N; r++)
    {
      double c = (r == 0 || r == N) ? 1 : 2, sum = 0;
      for (int k = 1; k <= N / 2; k++)
        sum += (k == N / 2 ? 1.0 : 2.0) / (4.0 * k * k - 1) * cos (2.0 * k * r * G_PI / N);
      g_assert_cmpfloat_with_epsilon (W[r], c / N * (1 - sum), 1e-13);
    }
  g_assert_cmpint (g->exact_degree, ==, 7);
  assert_exact_degree (g);
}

/* Directions of unit vectors. */
static double *
dirs_of (const double (*v)[3], int n, const double R[9])
{
  double *dirs = g_new (double, 2 * (size_t) n);

  for (int i = 0; i < n; i++)
    {
      double u[3];
      for (int k = 0; k < 3; k++)
        u[k] = R != NULL ? R[3 * k] * v[i][0] + R[3 * k + 1] * v[i][1] + R[3 * k + 2] * v[i][2]
                         : v[i][k];
      al_xyz_to_dir (u, &dirs[2 * i], &dirs[2 * i + 1]);
    }
  return dirs;
}

static void
assert_equal_weights (const double *dirs, int n, int degree)
{
  g_autoptr (AlGrid) g = quadrature (dirs, n);

  assert_name (g, "equal weights, t-design");
  g_assert_cmpint (g->exact_degree, ==, degree);
  for (int j = 0; j < n; j++)
    g_assert_cmpfloat (g->weights[j], ==, 1.0 / n);
  assert_exact_degree (g);
}

static void
test_t_designs (void)
{
  const double octa[6][3] = { { 1, 0, 0 }, { -1, 0, 0 }, { 0, 1, 0 }, { 0, -1, 0 }, { 0, 0, 1 }, { 0, 0, -1 } };
  const double tetra[4][3] = { { 1, 1, 1 }, { 1, -1, -1 }, { -1, 1, -1 }, { -1, -1, 1 } };
  const double phi = (1 + sqrt (5)) / 2;
  double ico[12][3], R[9];
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);

  /* Icosahedron: cyclic permutations of (0, ±1, ±φ). */
  for (int i = 0; i < 12; i++)
    {
      double a = (i & 1) ? -1 : 1, b = (i & 2) ? -phi : phi, v[3] = { 0, a, b };
      int rot = i / 4;
      for (int k = 0; k < 3; k++)
        ico[i][k] = v[(k + 3 - rot) % 3];
    }
  /* A random rotation (unit quaternion), so no ring structure is left. */
  {
    double q[4], norm = 0;
    for (int k = 0; k < 4; k++)
      {
        q[k] = g_rand_double_range (rand, -1, 1);
        norm += q[k] * q[k];
      }
    for (int k = 0; k < 4; k++)
      q[k] /= sqrt (norm);
    double w = q[0], x = q[1], y = q[2], z = q[3];
    double M[9] = { 1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
                    2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
                    2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y) };
    memcpy (R, M, sizeof R);
  }

  {
    /* Also three rings (poles + 4 on the equator): ring weights tie, equal wins. */
    g_autofree double *d = dirs_of (octa, 6, NULL);
    assert_equal_weights (d, 6, 3);
  }
  {
    g_autofree double *d = dirs_of (octa, 6, R);
    assert_equal_weights (d, 6, 3);
  }
  {
    g_autofree double *d = dirs_of ((const double (*)[3]) ico, 12, NULL);
    assert_equal_weights (d, 12, 5);
  }
  {
    g_autofree double *d = dirs_of ((const double (*)[3]) ico, 12, R);
    assert_equal_weights (d, 12, 5);
  }
  {
    /* The tetrahedron is a 2-design: the least degree taken as a design. */
    g_autofree double *d = dirs_of (tetra, 4, R);
    assert_equal_weights (d, 4, 2);
  }
}

static void
assert_voronoi (const double *dirs, int n)
{
  GError *error = NULL;
  g_autoptr (AlGrid) g = quadrature (dirs, n);
  g_autoptr (AlGrid) v = al_grid_from_dirs (dirs, n, &error);

  g_assert_no_error (error);
  assert_name (g, "voronoi");
  g_assert_true (memcmp (g->weights, v->weights, sizeof *g->weights * (size_t) n) == 0);
  /* Irregular: Σ w = 1 holds, degree 1 does not. */
  g_assert_cmpint (g->exact_degree, ==, 0);
  assert_exact_degree (g);
}

static void
test_irregular (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);
  const int n = 300;
  g_autofree double *dirs = g_new (double, 2 * (size_t) n);

  for (int i = 0; i < n; i++)
    {
      dirs[2 * i] = g_rand_double_range (rand, -G_PI, G_PI);
      dirs[2 * i + 1] = asin (g_rand_double_range (rand, -1, 1));
    }
  assert_voronoi (dirs, n);

  {
    g_autoptr (AlGrid) fib = al_grid_fibonacci (2048);
    assert_voronoi (fib->dirs, fib->n);
  }
  {
    /* An upper-hemisphere ring grid (el 0 … 90°): a ring rule over the whole
     * sphere would need negative weights, so Voronoi (with its hemisphere
     * handling) stays. */
    const int naz = 12;
    double d[2 * (3 * 12 + 1)];
    for (int r = 0; r < 3; r++)
      for (int k = 0; k < naz; k++)
        {
          d[2 * (r * naz + k)] = DEG (30.0 * k);
          d[2 * (r * naz + k) + 1] = DEG (30.0 * r);
        }
    d[2 * 3 * naz] = 0;
    d[2 * 3 * naz + 1] = G_PI / 2;
    {
      GError *error = NULL;
      g_autoptr (AlGrid) g = quadrature (d, 3 * naz + 1);
      g_autoptr (AlGrid) v = al_grid_from_dirs (d, 3 * naz + 1, &error);
      g_assert_no_error (error);
      assert_name (g, "voronoi");
      g_assert_true (memcmp (g->weights, v->weights, sizeof *g->weights * (size_t) g->n) == 0);
      g_assert_cmpint (g->exact_degree, ==, 0);
    }
  }
  {
    /* A Gauss grid with one azimuth off by 1e-3 rad is no ring grid any more,
     * and its equal weights are no design. */
    g_autoptr (AlGrid) gauss = al_grid_gauss_legendre (4);
    g_autofree double *d = g_memdup2 (gauss->dirs, sizeof *d * 2 * (size_t) gauss->n);
    d[2 * 7] += 1e-3;
    {
      g_autoptr (AlGrid) g = quadrature (d, gauss->n);
      assert_name (g, "voronoi");
      g_test_message ("gauss:4 with one azimuth moved: %s, exact_degree %d", g->name, g->exact_degree);
      g_assert_cmpint (g->exact_degree, <, 2);
    }
  }
}

static double
time_ms (const double *dirs, int n, const char *origin)
{
  double best = G_MAXDOUBLE;

  for (int rep = 0; rep < 3; rep++)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr (AlGrid) g = quadrature (dirs, n);
      best = fmin (best, (g_get_monotonic_time () - t0) / 1000.0);
      assert_name (g, origin);
    }
  return best;
}

static void
test_speed (void)
{
  g_autoptr (AlGrid) gauss = al_grid_gauss_legendre (31);  /* 2 x 32² = 2048 */
  g_autoptr (AlGrid) fib = al_grid_fibonacci (2048);
  double tg = time_ms (gauss->dirs, gauss->n, "ring quadrature");
  double tf = time_ms (fib->dirs, fib->n, "voronoi");

  g_test_message ("2048 directions: gauss:31 %.1f ms, fibonacci %.1f ms (limit %.0f ms)",
                  tg, tf, TIME_LIMIT_MS);
  g_assert_cmpint (gauss->n, ==, 2048);
  g_assert_cmpfloat (tg, <, TIME_LIMIT_MS);
  g_assert_cmpfloat (tf, <, TIME_LIMIT_MS);
}

static void
test_errors (void)
{
  const double nan_dirs[] = { 0, 0, NAN, 0.5, 1, 1 };
  const double twice[] = { 0, 0, 1, 0.2, 0.3, G_PI / 2, 2, G_PI / 2 };
  GError *error = NULL;
  AlGrid *g;

  g = al_grid_quadrature (nan_dirs, 0, &error);
  g_assert_null (g);
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  g = al_grid_quadrature (nan_dirs, 3, &error);
  g_assert_null (g);
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* The north pole listed at two azimuths. */
  g = al_grid_quadrature (twice, 4, &error);
  g_assert_null (g);
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "coincide"));
  g_clear_error (&error);

  /* One and two directions: nothing to design, yet a valid grid. */
  {
    const double one[] = { 0.3, 0.2 }, two[] = { 0, 0, G_PI, 0 };
    g_autoptr (AlGrid) g1 = quadrature (one, 1);
    g_autoptr (AlGrid) g2 = quadrature (two, 2);
    g_assert_cmpfloat (g1->weights[0], ==, 1);
    g_assert_cmpint (g1->exact_degree, ==, 0);
    g_assert_cmpfloat_with_epsilon (g2->weights[0], 0.5, 1e-15);
    g_assert_cmpint (g2->exact_degree, ==, 1);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sh/quadrature/gauss-shuffled", test_gauss);
  g_test_add_func ("/sh/quadrature/equiangular-rings", test_equiangular);
  g_test_add_func ("/sh/quadrature/rings-with-poles", test_poles);
  g_test_add_func ("/sh/quadrature/t-designs", test_t_designs);
  g_test_add_func ("/sh/quadrature/irregular-voronoi", test_irregular);
  g_test_add_func ("/sh/quadrature/speed", test_speed);
  g_test_add_func ("/sh/quadrature/errors", test_errors);
  return g_test_run ();
}
