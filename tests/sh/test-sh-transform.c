/* test-sh-transform.c — al_sh_transform recovers known coefficients (Gauss grids
 * exactly, Fibonacci and Voronoi-weighted grids by least squares), reduces to the
 * quadrature sum on exact grids, converts normalisations, and rejects grids with
 * too few points.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "al-base.h"
#include "al-sh.h"

/* f (n x nfunc) = Y c for random c ((order+1)^2 x nfunc) in normalisation `norm`. */
static void
synthesise (const AlGrid *g, int order, AlShNorm norm, int nfunc, GRand *r, double *c, double *f)
{
  int count = al_sh_count (order);
  g_autofree double *Y = g_new (double, (size_t) g->n * count);

  for (int i = 0; i < count * nfunc; i++)
    c[i] = g_rand_double_range (r, -1, 1);
  al_sh_matrix (order, norm, g->dirs, g->n, Y);
  for (int j = 0; j < g->n; j++)
    for (int k = 0; k < nfunc; k++)
      {
        double acc = 0;
        for (int a = 0; a < count; a++)
          acc += Y[(size_t) j * count + a] * c[a * nfunc + k];
        f[(size_t) j * nfunc + k] = acc;
      }
}

static double
max_diff (const double *a, const double *b, int count)
{
  double worst = 0;

  for (int i = 0; i < count; i++)
    worst = fmax (worst, fabs (a[i] - b[i]));
  return worst;
}

static void
test_gauss_exact (void)
{
  GRand *r = g_rand_new_with_seed (31);
  const AlShNorm norms[3] = { AL_SH_N3D, AL_SH_SN3D, AL_SH_ORTHONORMAL };
  const int orders[4] = { 1, 4, 10, 30 };
  GError *error = NULL;

  for (int o = 0; o < 4; o++)
    for (int k = 0; k < 3; k++)
      {
        int order = orders[o], count = al_sh_count (order), nfunc = 3;
        g_autoptr (AlGrid) g = al_grid_gauss_legendre (order);
        g_autofree double *c = g_new (double, count * nfunc);
        g_autofree double *est = g_new (double, count * nfunc);
        g_autofree double *f = g_new (double, (size_t) g->n * nfunc);
        double err;

        synthesise (g, order, norms[k], nfunc, r, c, f);
        g_assert_true (al_sh_transform (g, order, norms[k], f, nfunc, est, &error));
        g_assert_no_error (error);
        err = max_diff (est, c, count * nfunc);
        if (order == 30 && k == 0)
          g_test_message ("gauss:30, order 30: max coefficient error %.2e", err);
        g_assert_cmpfloat (err, <, 1e-10);
      }
  g_rand_free (r);
}

/* On an exact grid the transform is the quadrature sum Σ_j w_j f_j Y_a(Ω_j), and
 * content above the order does not alias while deg(f) + order <= exact degree. */
static void
test_quadrature_reduction (void)
{
  GRand *r = g_rand_new_with_seed (32);
  const int order = 4, high = 5, count = 25;
  g_autoptr (AlGrid) g = al_grid_gauss_legendre (4);   /* exact to degree 9 = 4 + 5 */
  g_autofree double *Y = g_new (double, (size_t) g->n * count);
  g_autofree double *f = g_new (double, g->n);
  double c[36], est[25], quad[25] = { 0 };
  GError *error = NULL;

  synthesise (g, high, AL_SH_N3D, 1, r, c, f);
  g_assert_true (al_sh_transform (g, order, AL_SH_N3D, f, 1, est, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (max_diff (est, c, count), <, 1e-10);

  al_sh_matrix (order, AL_SH_N3D, g->dirs, g->n, Y);
  for (int j = 0; j < g->n; j++)
    for (int a = 0; a < count; a++)
      quad[a] += g->weights[j] * f[j] * Y[j * count + a];
  g_assert_cmpfloat (max_diff (est, quad, count), <, 1e-11);
  g_rand_free (r);
}

static void
test_fibonacci_lsq (void)
{
  GRand *r = g_rand_new_with_seed (33);
  const int order = 4, count = 25, nfunc = 4;
  g_autoptr (AlGrid) g = al_grid_fibonacci (2048);
  g_autofree double *f = g_new (double, (size_t) g->n * nfunc);
  double c[100], est[100], err;
  GError *error = NULL;

  synthesise (g, order, AL_SH_SN3D, nfunc, r, c, f);
  g_assert_true (al_sh_transform (g, order, AL_SH_SN3D, f, nfunc, est, &error));
  g_assert_no_error (error);
  err = max_diff (est, c, count * nfunc);
  g_test_message ("fibonacci:2048, order 4: max coefficient error %.2e", err);
  g_assert_cmpfloat (err, <, 1e-6);

  /* Voronoi weights of a measured-style ring grid, order 3 (incomplete sampling
   * near the poles, but 10 rings x 24 azimuths resolve order 3). */
  {
    double dirs[2 * 240];
    g_autoptr (AlGrid) v = NULL;
    g_autofree double *fv = g_new (double, 240);
    double cv[16], ev[16];
    for (int ring = 0; ring < 10; ring++)
      for (int k = 0; k < 24; k++)
        {
          dirs[2 * (ring * 24 + k)] = AL_DEG2RAD (15.0 * k + 7.5 * (ring % 2));
          dirs[2 * (ring * 24 + k) + 1] = AL_DEG2RAD (-81 + 18.0 * ring);
        }
    v = al_grid_from_dirs (dirs, 240, &error);
    g_assert_no_error (error);
    synthesise (v, 3, AL_SH_N3D, 1, r, cv, fv);
    g_assert_true (al_sh_transform (v, 3, AL_SH_N3D, fv, 1, ev, &error));
    g_assert_no_error (error);
    g_assert_cmpfloat (max_diff (ev, cv, 16), <, 1e-8);
  }
  g_rand_free (r);
}

static void
test_errors (void)
{
  g_autoptr (AlGrid) g = al_grid_fibonacci (10);
  double f[10] = { 0 }, c[16];
  GError *error = NULL;

  g_assert_false (al_sh_transform (g, 3, AL_SH_N3D, f, 1, c, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "fibonacci:10"));
  g_assert_nonnull (strstr (error->message, "16 coefficients"));
  g_clear_error (&error);

  f[4] = INFINITY;
  g_assert_false (al_sh_transform (g, 1, AL_SH_N3D, f, 1, c, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "value 4"));
  g_clear_error (&error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sh/transform/gauss-exact", test_gauss_exact);
  g_test_add_func ("/sh/transform/quadrature-reduction", test_quadrature_reduction);
  g_test_add_func ("/sh/transform/fibonacci-lsq", test_fibonacci_lsq);
  g_test_add_func ("/sh/transform/errors", test_errors);
  return g_test_run ();
}
