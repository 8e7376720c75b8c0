/* test-sh-basis.c — real SH values against hand-written closed forms (n <= 3),
 * normalisation relations, the addition theorem up to order 30, names and ACN helpers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "al-base.h"
#include "al-sh.h"

static void
random_dir (GRand *r, double *az, double *el)
{
  *az = g_rand_double_range (r, -G_PI, G_PI);
  *el = asin (g_rand_double_range (r, -1, 1));
}

/* N3D real SH up to n = 3 in Cartesian form, written out by hand (ACN order). */
static void
closed_form_n3d (double x, double y, double z, double *e)
{
  e[0] = 1;
  e[1] = sqrt (3) * y;
  e[2] = sqrt (3) * z;
  e[3] = sqrt (3) * x;
  e[4] = sqrt (15) * x * y;
  e[5] = sqrt (15) * y * z;
  e[6] = sqrt (5) / 2 * (3 * z * z - 1);
  e[7] = sqrt (15) * x * z;
  e[8] = sqrt (15) / 2 * (x * x - y * y);
  e[9] = sqrt (35.0 / 8) * y * (3 * x * x - y * y);
  e[10] = sqrt (105) * x * y * z;
  e[11] = sqrt (21.0 / 8) * y * (5 * z * z - 1);
  e[12] = sqrt (7) / 2 * z * (5 * z * z - 3);
  e[13] = sqrt (21.0 / 8) * x * (5 * z * z - 1);
  e[14] = sqrt (105) / 2 * z * (x * x - y * y);
  e[15] = sqrt (35.0 / 8) * x * (x * x - 3 * y * y);
}

static void
test_closed_forms (void)
{
  GRand *r = g_rand_new_with_seed (1);
  double worst = 0;

  for (int t = 0; t < 2000; t++)
    {
      double az, el, y[16], e[16];
      random_dir (r, &az, &el);
      if (t == 0)
        el = G_PI / 2;   /* the poles too */
      if (t == 1)
        el = -G_PI / 2;
      closed_form_n3d (cos (el) * cos (az), cos (el) * sin (az), sin (el), e);
      al_sh_real (3, AL_SH_N3D, az, el, y);
      for (int a = 0; a < 16; a++)
        {
          g_assert_cmpfloat (fabs (y[a] - e[a]), <, 1e-12);
          worst = fmax (worst, fabs (y[a] - e[a]));
        }
    }
  g_test_message ("closed forms n <= 3: max |error| %.2e over 2000 directions", worst);

  /* Higher orders start with the same values (the prefix does not depend on order). */
  {
    double y3[16], y30[961];
    al_sh_real (3, AL_SH_N3D, 0.3, -0.4, y3);
    al_sh_real (30, AL_SH_N3D, 0.3, -0.4, y30);
    for (int a = 0; a < 16; a++)
      g_assert_cmpfloat (y3[a], ==, y30[a]);
  }
  g_rand_free (r);
}

static void
test_norms (void)
{
  GRand *r = g_rand_new_with_seed (2);
  const int order = 12, count = 169;
  double az, el, n3d[169], sn3d[169], ortho[169];

  random_dir (r, &az, &el);
  al_sh_real (order, AL_SH_N3D, az, el, n3d);
  al_sh_real (order, AL_SH_SN3D, az, el, sn3d);
  al_sh_real (order, AL_SH_ORTHONORMAL, az, el, ortho);
  for (int a = 0; a < count; a++)
    {
      int n = al_sh_degree_of (a);
      g_assert_cmpfloat_with_epsilon (sn3d[a], n3d[a] / sqrt (2 * n + 1), 1e-14);
      g_assert_cmpfloat_with_epsilon (ortho[a], n3d[a] / sqrt (4 * G_PI), 1e-14);
      g_assert_cmpfloat_with_epsilon (sn3d[a], al_sh_norm_factor (n, AL_SH_N3D, AL_SH_SN3D) * n3d[a], 1e-14);
      g_assert_cmpfloat_with_epsilon (n3d[a], al_sh_norm_factor (n, AL_SH_ORTHONORMAL, AL_SH_N3D) * ortho[a], 1e-13);
      g_assert_cmpfloat_with_epsilon (sn3d[a], al_sh_norm_factor (n, AL_SH_ORTHONORMAL, AL_SH_SN3D) * ortho[a], 1e-14);
    }
  for (int n = 0; n <= 30; n++)
    {
      g_assert_cmpfloat_with_epsilon (al_sh_norm_factor (n, AL_SH_SN3D, AL_SH_N3D), sqrt (2 * n + 1), 1e-14);
      g_assert_cmpfloat (al_sh_norm_factor (n, AL_SH_SN3D, AL_SH_SN3D), ==, 1);
      g_assert_cmpfloat_with_epsilon (al_sh_norm_factor (n, AL_SH_SN3D, AL_SH_ORTHONORMAL)
                                      * al_sh_norm_factor (n, AL_SH_ORTHONORMAL, AL_SH_SN3D), 1, 1e-15);
    }

  /* SN3D (AmbiX): every first-order dipole peaks at exactly 1 on its axis. */
  {
    double y[4];
    al_sh_real (1, AL_SH_SN3D, 0, 0, y);
    g_assert_cmpfloat_with_epsilon (y[0], 1, 1e-15);
    g_assert_cmpfloat_with_epsilon (y[3], 1, 1e-15);
    al_sh_real (1, AL_SH_SN3D, G_PI / 2, 0, y);
    g_assert_cmpfloat_with_epsilon (y[1], 1, 1e-15);
    al_sh_real (1, AL_SH_SN3D, 0, G_PI / 2, y);
    g_assert_cmpfloat_with_epsilon (y[2], 1, 1e-15);
  }
  g_rand_free (r);
}

/* Legendre polynomial by Bonnet's recurrence (n+1) P_{n+1} = (2n+1) t P_n − n P_{n−1}. */
static double
legendre (int n, double t)
{
  double p0 = 1, p1 = t;

  if (n == 0)
    return 1;
  for (int k = 1; k < n; k++)
    {
      double p2 = ((2.0 * k + 1) * t * p1 - k * p0) / (k + 1);
      p0 = p1;
      p1 = p2;
    }
  return p1;
}

static void
test_addition_theorem (void)
{
  GRand *r = g_rand_new_with_seed (3);
  double yu[961], yv[961], worst = 0;

  for (int t = 0; t < 300; t++)
    {
      double az1, el1, az2, el2, u[3], v[3], d1[2], d2[2], cosg;
      random_dir (r, &az1, &el1);
      random_dir (r, &az2, &el2);
      if (t == 0)
        az2 = az1, el2 = el1;            /* Σ_m Y_nm² = 2n + 1 */
      if (t == 1)
        az2 = az1 + G_PI, el2 = -el1;    /* antipodes: (−1)^n (2n + 1) */
      d1[0] = az1, d1[1] = el1, d2[0] = az2, d2[1] = el2;
      al_dirs_to_xyz (d1, 1, u);
      al_dirs_to_xyz (d2, 1, v);
      cosg = u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
      al_sh_real (30, AL_SH_N3D, az1, el1, yu);
      al_sh_real (30, AL_SH_N3D, az2, el2, yv);
      for (int n = 0; n <= 30; n++)
        {
          double sum = 0, expect = (2 * n + 1) * legendre (n, cosg);
          for (int m = -n; m <= n; m++)
            sum += yu[al_sh_acn (n, m)] * yv[al_sh_acn (n, m)];
          g_assert_cmpfloat (fabs (sum - expect), <, 1e-12 * (2 * n + 1));
          worst = fmax (worst, fabs (sum - expect) / (2 * n + 1));
        }
    }
  g_test_message ("addition theorem n <= 30: max |sum_m Y Y - (2n+1) P_n| / (2n+1) = %.2e", worst);
  g_rand_free (r);
}

static void
test_names_and_acn (void)
{
  AlShNorm norm = AL_SH_N3D;
  GError *error = NULL;

  g_assert_cmpstr (al_sh_norm_name (AL_SH_SN3D), ==, "sn3d");
  g_assert_cmpstr (al_sh_norm_name (AL_SH_N3D), ==, "n3d");
  g_assert_cmpstr (al_sh_norm_name (AL_SH_ORTHONORMAL), ==, "orthonormal");
  g_assert_true (al_sh_norm_parse ("sn3d", &norm, &error));
  g_assert_cmpint (norm, ==, AL_SH_SN3D);
  g_assert_true (al_sh_norm_parse ("N3D", &norm, &error));
  g_assert_cmpint (norm, ==, AL_SH_N3D);
  g_assert_true (al_sh_norm_parse ("orthonormal", &norm, &error));
  g_assert_cmpint (norm, ==, AL_SH_ORTHONORMAL);
  g_assert_no_error (error);

  g_assert_false (al_sh_norm_parse ("fuma", &norm, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "fuma"));
  g_assert_nonnull (strstr (error->message, "sn3d, n3d, orthonormal"));
  g_assert_cmpint (norm, ==, AL_SH_ORTHONORMAL);  /* untouched on error */
  g_clear_error (&error);

  for (int n = 0; n <= 30; n++)
    for (int m = -n; m <= n; m++)
      {
        int acn = al_sh_acn (n, m);
        g_assert_cmpint (acn, ==, n * n + n + m);
        g_assert_cmpint (al_sh_degree_of (acn), ==, n);
      }
  g_assert_cmpint (al_sh_count (30), ==, 961);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sh/basis/closed-forms", test_closed_forms);
  g_test_add_func ("/sh/basis/norms", test_norms);
  g_test_add_func ("/sh/basis/addition-theorem", test_addition_theorem);
  g_test_add_func ("/sh/basis/names-acn", test_names_and_acn);
  return g_test_run ();
}
