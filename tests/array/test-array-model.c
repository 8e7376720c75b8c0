/* test-array-model.c — analytic array models: presets, mic-direction parsing,
 * low- and high-frequency limits of the rigid sphere, an independent
 * long-double evaluation of the scattering series, free field, symmetry.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-array-private.h"

#include <math.h>
#include <string.h>

/* Golden-angle spiral written out here so these tests need only the model. */
static double *
spiral_dirs (int n)
{
  double *dirs = g_new (double, 2 * n);
  for (int i = 0; i < n; i++)
    {
      double z = 1 - (2.0 * i + 1) / n;
      dirs[2 * i] = remainder (i * G_PI * (3 - sqrt (5.0)), 2 * G_PI);
      dirs[2 * i + 1] = asin (z);
    }
  return dirs;
}

static double
cos_angle (const double *a, const double *b)
{
  double u[3], v[3];
  al_array_unit_vector (a[0], a[1], u);
  al_array_unit_vector (b[0], b[1], v);
  return u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
}

static void
test_presets (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlArrayModel) g5 = al_array_model_preset ("glasses5", &error);
  g_assert_no_error (error);
  g_assert_cmpint (g5->kind, ==, AL_ARRAY_RIGID_SPHERE);
  g_assert_cmpint (g5->nmics, ==, 5);
  g_assert_cmpfloat_with_epsilon (g5->radius, 0.0875, 1e-15);
  g_assert_cmpfloat_with_epsilon (g5->c, 343.0, 1e-12);
  const double expect[] = { 0, 20, 30, 10, -30, 10, 100, 0, -100, 0 };
  for (int i = 0; i < 10; i++)
    g_assert_cmpfloat_with_epsilon (AL_RAD2DEG (g5->mic_dirs[i]), expect[i], 1e-12);

  g_autoptr (AlArrayModel) em = al_array_model_preset ("em32", &error);
  g_assert_no_error (error);
  g_assert_cmpint (em->nmics, ==, 32);
  g_assert_cmpfloat_with_epsilon (em->radius, 0.042, 1e-15);
  /* capsule 1: azimuth 0°, inclination 69° → elevation 21°; capsule 32: 271°, 159° → −69° */
  g_assert_cmpfloat_with_epsilon (AL_RAD2DEG (em->mic_dirs[1]), 21.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (AL_RAD2DEG (em->mic_dirs[62]), 271.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (AL_RAD2DEG (em->mic_dirs[63]), -69.0, 1e-12);
  /* The em32 layout (a truncated icosahedron) is balanced: its capsule
   * vectors sum to ~0 (up to the 1° rounding of the published angles) and
   * its nearest-neighbour angles are all about 37°. */
  double sum[3] = { 0 };
  for (int m = 0; m < 32; m++)
    {
      double v[3];
      al_array_unit_vector (em->mic_dirs[2 * m], em->mic_dirs[2 * m + 1], v);
      for (int k = 0; k < 3; k++)
        sum[k] += v[k];
      double nearest = G_PI;
      for (int q = 0; q < 32; q++)
        if (q != m)
          nearest = MIN (nearest, acos (CLAMP (cos_angle (em->mic_dirs + 2 * m, em->mic_dirs + 2 * q), -1, 1)));
      g_assert_cmpfloat (AL_RAD2DEG (nearest), >, 36.0);
      g_assert_cmpfloat (AL_RAD2DEG (nearest), <, 38.0);
    }
  g_assert_cmpfloat (sqrt (sum[0] * sum[0] + sum[1] * sum[1] + sum[2] * sum[2]), <, 0.03);

  AlArrayModel *none = al_array_model_preset ("glasses6", &error);
  g_assert_null (none);
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "glasses6"));
  g_assert_nonnull (strstr (error->message, "glasses5"));
  g_assert_nonnull (strstr (error->message, "em32"));
}

static void
test_parse_mic_dirs (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree double *dirs = NULL;
  int nmics = 0;
  g_assert_true (al_parse_mic_dirs (" 30,10; -30 , 10;100,0;-100,-90.0 ;", &dirs, &nmics, &error));
  g_assert_no_error (error);
  g_assert_cmpint (nmics, ==, 4);
  const double expect[] = { 30, 10, -30, 10, 100, 0, -100, -90 };
  for (int i = 0; i < 8; i++)
    g_assert_cmpfloat_with_epsilon (dirs[i], AL_DEG2RAD (expect[i]), 1e-15);

  const char *bad[] = { "", "  ", ";", "10", "10,abc", "10,95", "1,2;;3,4", "1,2,3", "nan,0", "1e999,0", "1,2;x" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      double *none = NULL;
      int n = -1;
      g_assert_false (al_parse_mic_dirs (bad[i], &none, &n, &error));
      g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
      g_assert_null (none);
      g_assert_cmpint (n, ==, -1);
      g_assert_nonnull (strstr (error->message, "microphone directions"));
      g_clear_error (&error);
    }
}

/* kr → 0: |H| → 1 for every direction, and what is left is the
 * low-frequency arrival-time difference of a rigid sphere, 1.5·r·cosΘ/c
 * (1.5 times the free-field one).  |H − 1| itself is ≈ 1.5·kr·|cosΘ|, 0.048
 * at 20 Hz for r = 8.75 cm, so it cannot be below 1e-3 there. */
static void
test_rigid_low_frequency (void)
{
  g_autoptr (AlArrayModel) model = al_array_model_preset ("glasses5", NULL);
  const int ndirs = 500;
  g_autofree double *dirs = spiral_dirs (ndirs);
  g_autofree double complex *H = g_new (double complex, ndirs * 5);
  const double f = 20.0;
  double x = 2 * G_PI * f * model->radius / model->c;
  al_array_model_response (model, f, dirs, ndirs, H);
  double worst_mag = 0, worst_delay = 0, worst_raw = 0;
  for (int d = 0; d < ndirs; d++)
    for (int m = 0; m < 5; m++)
      {
        double complex h = H[d * 5 + m];
        double cos_theta = cos_angle (dirs + 2 * d, model->mic_dirs + 2 * m);
        worst_mag = MAX (worst_mag, fabs (cabs (h) - 1));
        worst_delay = MAX (worst_delay, cabs (h - cexp (1.5 * I * x * cos_theta)));
        worst_raw = MAX (worst_raw, cabs (h - 1));
      }
  g_test_message ("glasses5 at 20 Hz: max ||H| − 1| = %.3g, max |H − e^{1.5i·kr·cosΘ}| = %.3g, max |H − 1| = %.3g",
                  worst_mag, worst_delay, worst_raw);
  g_assert_cmpfloat (worst_mag, <, 1e-3);
  g_assert_cmpfloat (worst_delay, <, 1e-3);
  g_assert_cmpfloat (worst_raw, <, 1.5 * x * 1.01);

  /* |H − 1| < 1e-3 everywhere once kr < 1e-3/1.5 */
  al_array_model_response (model, 0.9 * 1e-3 / 1.5 / (2 * G_PI * model->radius / model->c), dirs, ndirs, H);
  for (int i = 0; i < ndirs * 5; i++)
    g_assert_cmpfloat (cabs (H[i] - 1), <, 1e-3);
  al_array_model_response (model, 0.0, dirs, ndirs, H);
  for (int i = 0; i < ndirs * 5; i++)
    g_assert_cmpfloat (cabs (H[i] - 1), <, 1e-15);
}

/* Rayleigh limit: the first-order term of the rigid sphere is (3/2)·i·kr·cosΘ
 * (the open sphere would give i·kr·cosΘ). */
static void
test_rigid_rayleigh (void)
{
  const double x = 0.01;
  double complex b[AL_ARRAY_MAX_TERMS + 1];
  al_array_modal_coefs (AL_ARRAY_RIGID_SPHERE, x, 5, b);
  double complex expect = 1.5 * I * x;
  g_assert_cmpfloat (cabs (b[1] - expect) / cabs (expect), <, 0.01);
  g_assert_cmpfloat (cabs (b[0] - 1), <, 1e-4);

  /* The same through the public response: the odd part of H over ±u is the
   * first-order term (the third-order one is O(x³)). */
  double mic[2] = { 0.3, 0.2 };
  g_autoptr (AlArrayModel) model = al_array_model_new (AL_ARRAY_RIGID_SPHERE, 0.05, mic, 1);
  double f = x * model->c / (2 * G_PI * model->radius);
  const int ndirs = 64;
  g_autofree double *dirs = spiral_dirs (ndirs);
  for (int d = 0; d < ndirs; d++)
    {
      double both[4] = { dirs[2 * d], dirs[2 * d + 1], dirs[2 * d] + G_PI, -dirs[2 * d + 1] };
      double complex H[2];
      al_array_model_response (model, f, both, 2, H);
      double cos_theta = cos_angle (both, mic);
      if (fabs (cos_theta) < 0.1)
        continue;
      double complex odd = (H[0] - H[1]) / 2, first = 1.5 * I * x * cos_theta;
      g_assert_cmpfloat (cabs (odd - first) / cabs (first), <, 0.01);
    }
}

/* ---- Independent long-double evaluation of the rigid-sphere series ----
 * j_n and y_n from the finite sum of
 *   h_n^(1) = (−i)^{n+1} e^{ix}/x Σ_k i^k (n+k)!/(k!(n−k)!(2x)^k),
 * except j_n for x ≤ 16, where that sum cancels badly and the power series
 * does not (its largest term is ≈ e^x); and the textbook form
 * j_n − j_n'/h_n' · h_n (not the Wronskian form the library uses). */
static long double complex
ref_h1 (int n, long double x)
{
  long double complex sum = 0, ik = 1;
  long double a = 1;
  for (int k = 0; k <= n; k++)
    {
      if (k > 0)
        {
          a *= (long double) (n + k) * (n - k + 1) / (k * 2 * x);
          ik *= I;
        }
      sum += ik * a;
    }
  long double complex mi = 1;
  for (int k = 0; k <= n; k++)
    mi *= -I;
  return mi * cexpl (I * x) / x * sum;
}

static long double
ref_j (int n, long double x)
{
  if (x > 16)
    return creall (ref_h1 (n, x));
  long double lead = 1;
  for (int k = 1; k <= n; k++)
    lead *= x / (2 * k + 1);
  long double term = 1, sum = 1;
  for (int k = 1; k < 400; k++)
    {
      term *= -(x * x / 2) / (k * (2.0L * n + 2 * k + 1));
      sum += term;
      if (fabsl (term) < 1e-30L * fabsl (sum))
        break;
    }
  return lead * sum;
}

static long double
ref_y (int n, long double x)
{
  return cimagl (ref_h1 (n, x));
}

static long double complex
ref_rigid (long double x, int nmax, long double cos_theta)
{
  long double complex total = 0, in = 1;
  long double p_prev = 0, p = 1;
  for (int n = 0; n <= nmax; n++)
    {
      if (n > 0)
        {
          long double p_next = ((2 * n - 1) * cos_theta * p - (n - 1) * p_prev) / n;
          p_prev = p;
          p = p_next;
          in *= I;
        }
      long double j = ref_j (n, x), y = ref_y (n, x);
      long double jp = n == 0 ? -ref_j (1, x) : ref_j (n - 1, x) - (n + 1) / x * j;
      long double yp = n == 0 ? -ref_y (1, x) : ref_y (n - 1, x) - (n + 1) / x * y;
      long double complex h = j - I * y, hp = jp - I * yp;
      total += (2 * n + 1) * in * (j - jp / hp * h) * p;
    }
  return total;
}

static void
test_rigid_brute_force (void)
{
  double mic[2] = { 0, 0 };
  g_autoptr (AlArrayModel) model = al_array_model_new (AL_ARRAY_RIGID_SPHERE, 0.0875, mic, 1);
  const double xs[] = { 0.05, 0.5, 2.0, 5.0, 9.6, 15.0, 25.0 };
  const int ndirs = 37;
  double dirs[2 * 37];
  for (int d = 0; d < ndirs; d++)
    {
      dirs[2 * d] = AL_DEG2RAD (5.0 * d);
      dirs[2 * d + 1] = 0;
    }
  double worst = 0;
  for (guint i = 0; i < G_N_ELEMENTS (xs); i++)
    {
      double f = xs[i] * model->c / (2 * G_PI * model->radius);
      double complex H[37];
      al_array_model_response (model, f, dirs, ndirs, H);
      int nmax = al_array_series_order (xs[i]);
      double worst_x = 0;
      for (int d = 0; d < ndirs; d++)
        {
          long double complex ref = ref_rigid (xs[i], nmax, cosl (AL_DEG2RAD (5.0L * d)));
          worst_x = MAX (worst_x, (double) cabsl (H[d] - ref));
        }
      worst = MAX (worst, worst_x);
      /* the truncation rule ceil(x) + 12 leaves a small tail (−90 dB at x = 15, −60 dB at x = 38) */
      double complex b[AL_ARRAY_MAX_TERMS + 1];
      al_array_modal_coefs (AL_ARRAY_RIGID_SPHERE, xs[i], nmax + 20, b);
      double tail = 0;
      for (int n = nmax + 1; n <= nmax + 20; n++)
        tail += cabs (b[n]);
      g_test_message ("x = %g: %d terms, |H − reference| <= %.3g, tail beyond the terms %.3g",
                      xs[i], nmax + 1, worst_x, tail);
      g_assert_cmpfloat (tail, <, 2e-3);
    }
  g_test_message ("max |H − long-double reference| = %.3g", worst);
  g_assert_cmpfloat (worst, <, 1e-9);

  /* x = 38.5 (r = 8.75 cm at 24 kHz) is beyond long double (both the finite
   * sum and the power series cancel), so the reference values come from
   * 90-digit decimal arithmetic (finite sums for h_n^(1), Taylor series for
   * sin and cos) over the same 52 terms, at Θ = 0, 90°, 180°. */
  const double complex ref[3] = {
    1.35122689748520663 + 1.46848773370234476 * I,
    1.36628967570172710 + 0.0494228166829072668 * I,
    0.276130051831574297 + 0.514021612982508702 * I,
  };
  double three[6] = { 0, 0, G_PI_2, 0, G_PI, 0 };
  double complex H3[3];
  g_assert_cmpint (al_array_series_order (38.5), ==, 51);
  al_array_model_response (model, 38.5 * model->c / (2 * G_PI * model->radius), three, 3, H3);
  for (int d = 0; d < 3; d++)
    g_assert_cmpfloat (cabs (H3[d] - ref[d]), <, 1e-11);
}

/* High frequency: the lit pole sees pressure doubling (+6 dB). */
static void
test_rigid_high_frequency (void)
{
  double mic[2] = { 0, 0 };
  g_autoptr (AlArrayModel) model = al_array_model_new (AL_ARRAY_RIGID_SPHERE, 0.0875, mic, 1);
  double lit[2] = { 0, 0 };
  double worst_db = 0;
  for (double x = 14; x <= 16; x += 0.25)
    {
      double complex H;
      al_array_model_response (model, x * model->c / (2 * G_PI * model->radius), lit, 1, &H);
      double db = 20 * log10 (cabs (H)) - 20 * log10 (2.0);
      worst_db = fabs (db) > fabs (worst_db) ? db : worst_db;
      g_assert_cmpfloat (fabs (db), <, 1.0);
      /* and its phase is that of the wave at the pole: e^{+ikr}, within a small diffraction term */
      g_assert_cmpfloat (cabs (H / cexp (I * x) - 2), <, 0.25);
    }
  g_test_message ("lit pole, kr = 14…16: |H| within %+.2f dB of +6.02 dB", worst_db);
}

/* Free field: exactly exp(iω p·u / c). */
static void
test_free_field (void)
{
  const double mics[] = { 0.1, 0.2, -1.0, -0.3, 2.0, 1.2 };
  g_autoptr (AlArrayModel) model = al_array_model_new (AL_ARRAY_FREE_FIELD, 0.07, mics, 3);
  const int ndirs = 50;
  g_autofree double *dirs = spiral_dirs (ndirs);
  g_autofree double complex *H = g_new (double complex, ndirs * 3);
  const double fs[] = { 0, 100, 1234.5, 20000 };
  for (guint i = 0; i < G_N_ELEMENTS (fs); i++)
    {
      al_array_model_response (model, fs[i], dirs, ndirs, H);
      for (int d = 0; d < ndirs; d++)
        for (int m = 0; m < 3; m++)
          {
            double u[3], v[3];
            al_array_unit_vector (dirs[2 * d], dirs[2 * d + 1], u);
            al_array_unit_vector (mics[2 * m], mics[2 * m + 1], v);
            double pu = 0.07 * (u[0] * v[0] + u[1] * v[1] + u[2] * v[2]);
            double phase = 2 * G_PI * fs[i] * pu / 343.0;
            double complex expect = cos (phase) + I * sin (phase);
            g_assert_cmpfloat (cabs (H[d * 3 + m] - expect), <, 1e-12);
          }
    }
}

/* glasses5 is left/right symmetric: mic 2 (30°, 10°) for a source at (az, el)
 * hears what mic 3 (−30°, 10°) hears for (−az, el); likewise mics 4/5, and
 * mic 1 is its own mirror image. */
static void
test_glasses_symmetry (void)
{
  g_autoptr (AlArrayModel) model = al_array_model_preset ("glasses5", NULL);
  const int ndirs = 300;
  g_autofree double *dirs = spiral_dirs (ndirs);
  g_autofree double *mirror = g_new (double, 2 * ndirs);
  for (int d = 0; d < ndirs; d++)
    {
      mirror[2 * d] = -dirs[2 * d];
      mirror[2 * d + 1] = dirs[2 * d + 1];
    }
  g_autofree double complex *H = g_new (double complex, ndirs * 5);
  g_autofree double complex *Hm = g_new (double complex, ndirs * 5);
  const double fs[] = { 150, 1000, 4321, 12000, 23999 };
  double worst = 0, spread = 0;
  for (guint i = 0; i < G_N_ELEMENTS (fs); i++)
    {
      al_array_model_response (model, fs[i], dirs, ndirs, H);
      al_array_model_response (model, fs[i], mirror, ndirs, Hm);
      for (int d = 0; d < ndirs; d++)
        {
          const double complex *h = H + 5 * d, *hm = Hm + 5 * d;
          worst = MAX (worst, cabs (h[1] - hm[2]));
          worst = MAX (worst, cabs (h[2] - hm[1]));
          worst = MAX (worst, cabs (h[3] - hm[4]));
          worst = MAX (worst, cabs (h[0] - hm[0]));
          spread = MAX (spread, cabs (h[1] - h[2]));
        }
    }
  g_test_message ("mirror mismatch %.3g (left/right difference itself up to %.3g)", worst, spread);
  g_assert_cmpfloat (worst, <, 1e-12);
  g_assert_cmpfloat (spread, >, 0.1); /* the test would be empty if the two mics agreed anyway */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/array/model/presets", test_presets);
  g_test_add_func ("/array/model/parse-mic-dirs", test_parse_mic_dirs);
  g_test_add_func ("/array/model/rigid-low-frequency", test_rigid_low_frequency);
  g_test_add_func ("/array/model/rigid-rayleigh", test_rigid_rayleigh);
  g_test_add_func ("/array/model/rigid-brute-force", test_rigid_brute_force);
  g_test_add_func ("/array/model/rigid-high-frequency", test_rigid_high_frequency);
  g_test_add_func ("/array/model/free-field", test_free_field);
  g_test_add_func ("/array/model/glasses-symmetry", test_glasses_symmetry);
  return g_test_run ();
}
