/* test-metrics-map.c — spatial power maps, SPME, SPM-KL, DOA estimates and
 * localisation error on sound fields with known answers: an ideally encoded
 * plane wave, the same wave rotated about z, two sources, an isotropic
 * diffuse field; the intensity map on the same fields at first order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "eval/al-metrics.h"

#define FS 48000.0

static double *
white (gsize n, guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  double *s = g_new (double, n);
  for (gsize i = 0; i < n; i++)
    s[i] = sqrt (3.0) * g_rand_double_range (rand, -1.0, 1.0);
  return s;
}

/* b_c(t) += Y_c(Ω) s(t), planar (order+1)² x n. */
static void
add_plane_wave (double *b, int order, AlShNorm norm, double az, double el, const double *s, gsize n)
{
  double y[64];
  al_sh_real (order, norm, az, el, y);
  for (int c = 0; c < al_sh_count (order); c++)
    for (gsize i = 0; i < n; i++)
      b[(gsize) c * n + i] += y[c] * s[i];
}

static AlPowerMap *
map_of (const double *b, int order, AlShNorm norm, gsize n, AlMapMethod method)
{
  AlShSignals sig = al_sh_signals_double (b, al_sh_count (order), n, FS, norm);
  AlMapOptions opt;
  al_map_options_init (&opt);
  opt.method = method;
  g_autoptr (GError) error = NULL;
  AlPowerMap *map = al_power_map_new (&sig, NULL, &opt, &error);
  g_assert_no_error (error);
  return map;
}

/* Mean spacing of the default grid, rad. */
static double
grid_spacing (void)
{
  return sqrt (4 * G_PI / AL_METRICS_DEFAULT_GRID);
}

/* An ideally encoded plane wave: every map peaks at its direction (within
 * the grid spacing before refinement, a small fraction of a degree after),
 * so the localisation error is ≈ 0, and so does the active intensity. */
static void
test_plane_wave_doa (void)
{
  const gsize n = 9600;
  const double az = AL_DEG2RAD (40.0), el = AL_DEG2RAD (25.0);
  g_autofree double *s = white (n, 1);
  const int orders[] = { 1, 3 };
  const AlShNorm norms[] = { AL_SH_SN3D, AL_SH_N3D };
  for (int oi = 0; oi < 2; oi++)
    {
      int order = orders[oi];
      g_autofree double *b = g_new0 (double, (gsize) al_sh_count (order) * n);
      add_plane_wave (b, order, norms[oi], az, el, s, n);
      for (int m = AL_MAP_SH; m <= AL_MAP_MUSIC; m++)
        {
          g_autoptr (AlPowerMap) map = map_of (b, order, norms[oi], n, m);
          g_assert_cmpint (map->ndirs, ==, AL_METRICS_DEFAULT_GRID);
          g_assert_cmpint (map->order, ==, order);
          /* The grid maximum lies within one spacing of the source. */
          int best = 0;
          for (int j = 1; j < map->ndirs; j++)
            if (map->power[j] > map->power[best])
              best = j;
          double grid_err = al_angle_between (az, el, map->dirs[2 * best], map->dirs[2 * best + 1]);
          g_assert_cmpfloat (grid_err, <=, grid_spacing ());

          AlDoa doa[2];
          int found = al_power_map_peaks (map, 2, 0, doa);
          g_assert_cmpint (found, >=, 1);
          double err = al_localisation_error (az, el, doa[0].azimuth, doa[0].elevation);
          if (g_test_verbose ())
            g_test_message ("order %d %s: grid peak %.2f deg, refined %.4f deg", order, al_map_method_name (m),
                            AL_RAD2DEG (grid_err), err);
          g_assert_cmpfloat (err, <, 0.01);
          g_assert_cmpfloat (doa[0].power, >=, map->power[best]);
          /* One source: any second peak is a sidelobe far below the main one. */
          if (found > 1)
            g_assert_cmpfloat (doa[1].power, <, 0.5 * doa[0].power);
          /* PWD and MVDR maps are in source power: the wave's mean square times the sample count. */
          if (m == AL_MAP_PWD || m == AL_MAP_MVDR)
            {
              double e = 0;
              for (gsize i = 0; i < n; i++)
                e += s[i] * s[i];
              g_assert_cmpfloat (fabs (doa[0].power / e - 1), <, 2e-3);
            }
        }

      /* A dense grid, asking for more peaks than there are: every point is
       * visited, each with a neighbourhood lookup, not a scan of the grid. */
      g_autoptr (AlGrid) dense = al_grid_fibonacci (50000);
      AlShSignals sig = al_sh_signals_double (b, al_sh_count (order), n, FS, norms[oi]);
      g_autoptr (GError) error = NULL;
      g_autoptr (AlPowerMap) fine = al_power_map_new (&sig, dense, NULL, &error);
      g_assert_no_error (error);
      AlDoa peaks[8];
      int found = al_power_map_peaks (fine, 8, 0, peaks);
      g_assert_cmpint (found, >=, 1);
      g_assert_cmpfloat (al_localisation_error (az, el, peaks[0].azimuth, peaks[0].elevation), <, 0.01);

      AlDoa doa;
      double psi;
      g_assert_true (al_doa_intensity (&sig, 0, 0, &doa, &psi, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat (al_localisation_error (az, el, doa.azimuth, doa.elevation), <, 1e-6);
      g_assert_cmpfloat (psi, <, 1e-9);
      g_assert_true (al_doa_intensity (&sig, 500, 4000, &doa, &psi, &error));
      g_assert_cmpfloat (al_localisation_error (az, el, doa.azimuth, doa.elevation), <, 1.0);
    }
}

/* The estimate is the field rotated about z by φ (a wave from θ + φ instead
 * of θ): localisation error φ, SPME and KL growing with φ, from −120 dB and
 * 0 at φ = 0. */
static void
test_rotated_field (void)
{
  const int order = 3;
  const gsize n = 4800;
  const double theta = AL_DEG2RAD (-30.0), el = 0.0;
  const double phis[] = { 0, 1, 2, 5, 10, 20, 30, 45 };
  g_autofree double *s = white (n, 2);
  g_autofree double *b = g_new0 (double, (gsize) 16 * n);
  g_autofree double *r = g_new (double, (gsize) 16 * n);
  add_plane_wave (b, order, AL_SH_SN3D, theta, el, s, n);
  g_autoptr (AlPowerMap) ref = map_of (b, order, AL_SH_SN3D, n, AL_MAP_PWD);
  AlDoa ref_doa;
  g_assert_cmpint (al_power_map_peaks (ref, 1, 0, &ref_doa), ==, 1);
  double prev_spme = -INFINITY, prev_kl = -1;
  for (guint i = 0; i < G_N_ELEMENTS (phis); i++)
    {
      memset (r, 0, sizeof (double) * 16 * n);
      add_plane_wave (r, order, AL_SH_SN3D, theta + AL_DEG2RAD (phis[i]), el, s, n);
      g_autoptr (AlPowerMap) est = map_of (r, order, AL_SH_SN3D, n, AL_MAP_PWD);
      AlDoa doa;
      g_assert_cmpint (al_power_map_peaks (est, 1, 0, &doa), ==, 1);
      double err = al_localisation_error (ref_doa.azimuth, ref_doa.elevation, doa.azimuth, doa.elevation);
      /* A rotation by φ about z moves a direction at elevation el by
       * 2 asin(cos el · sin(φ/2)) along the great circle. */
      double expect = AL_RAD2DEG (2 * asin (cos (el) * sin (AL_DEG2RAD (phis[i]) / 2)));
      g_assert_cmpfloat (fabs (err - expect), <, 0.01);
      double spme, kl;
      g_autoptr (GError) error = NULL;
      g_assert_true (al_spme (est, ref, &spme, &error));
      g_assert_true (al_spm_kl (est, ref, &kl, &error));
      g_assert_no_error (error);
      if (g_test_verbose ())
        g_test_message ("rotation %4.0f deg: localisation error %.4f deg (expected %.4f), SPME %.2f dB, KL %.5f",
                        phis[i], err, expect, spme, kl);
      if (i == 0)
        {
          g_assert_cmpfloat (spme, <=, -119.9);
          g_assert_cmpfloat (kl, <, 1e-9);
        }
      g_assert_cmpfloat (spme, >, prev_spme);
      g_assert_cmpfloat (kl, >, prev_kl);
      prev_spme = spme;
      prev_kl = kl;
    }
}

/* Two uncorrelated sources: MUSIC with 2 sources and MVDR show both; the
 * matched localisation error is small either way round. */
static void
test_two_sources (void)
{
  const int order = 3;
  const gsize n = 9600;
  const double dirs[4] = { AL_DEG2RAD (60), AL_DEG2RAD (0), AL_DEG2RAD (-100), AL_DEG2RAD (35) };
  g_autofree double *s1 = white (n, 3);
  g_autofree double *s2 = white (n, 4);
  g_autofree double *b = g_new0 (double, (gsize) 16 * n);
  add_plane_wave (b, order, AL_SH_SN3D, dirs[0], dirs[1], s1, n);
  add_plane_wave (b, order, AL_SH_SN3D, dirs[2], dirs[3], s2, n);
  AlShSignals sig = al_sh_signals_double (b, 16, n, FS, AL_SH_SN3D);
  const AlMapMethod methods[] = { AL_MAP_MVDR, AL_MAP_MUSIC };
  for (int mi = 0; mi < 2; mi++)
    {
      AlMapOptions opt;
      al_map_options_init (&opt);
      opt.method = methods[mi];
      opt.sources = 2;
      g_autoptr (GError) error = NULL;
      g_autoptr (AlPowerMap) map = al_power_map_new (&sig, NULL, &opt, &error);
      g_assert_no_error (error);
      AlDoa doa[2];
      g_assert_cmpint (al_power_map_peaks (map, 2, 0, doa), ==, 2);
      double est[4] = { doa[0].azimuth, doa[0].elevation, doa[1].azimuth, doa[1].elevation };
      double per[2], mean;
      g_assert_true (al_localisation_error_matched (dirs, 2, est, 2, per, &mean, &error));
      g_assert_no_error (error);
      if (g_test_verbose ())
        g_test_message ("%s: errors %.4f deg, %.4f deg", al_map_method_name (methods[mi]), per[0], per[1]);
      g_assert_cmpfloat (per[0], <, 0.01);
      g_assert_cmpfloat (per[1], <, 0.01);
    }
}

/* An isotropic diffuse field (many uncorrelated plane waves from a uniform
 * set of directions) has a flat map, and its intensity vanishes. */
static void
test_diffuse_flat (void)
{
  const int order = 3, K = 400;
  const gsize n = 24000;
  g_autoptr (AlGrid) sources = al_grid_fibonacci (K);
  g_autofree double *b = g_new0 (double, (gsize) 16 * n);
  for (int k = 0; k < K; k++)
    {
      g_autofree double *s = white (n, 100 + k);
      add_plane_wave (b, order, AL_SH_SN3D, sources->dirs[2 * k] + 0.1, sources->dirs[2 * k + 1], s, n);
    }
  for (int m = AL_MAP_SH; m <= AL_MAP_PWD; m++)
    {
      g_autoptr (AlPowerMap) map = map_of (b, order, AL_SH_SN3D, n, m);
      double lo = INFINITY, hi = 0, mean = 0;
      for (int j = 0; j < map->ndirs; j++)
        {
          lo = MIN (lo, map->power[j]);
          hi = MAX (hi, map->power[j]);
          mean += map->power[j] / map->ndirs;
        }
      if (g_test_verbose ())
        g_test_message ("diffuse %s map: min %.4f, max %.4f of the mean", al_map_method_name (m), lo / mean,
                        hi / mean);
      g_assert_cmpfloat (hi / mean - 1, <, 0.04);
      g_assert_cmpfloat (1 - lo / mean, <, 0.04);
    }
  AlShSignals sig = al_sh_signals_double (b, 16, n, FS, AL_SH_SN3D);
  AlDoa doa;
  double psi;
  g_autoptr (GError) error = NULL;
  g_assert_true (al_doa_intensity (&sig, 0, 0, &doa, &psi, &error));
  g_assert_cmpfloat (psi, >, 0.95);
}

/* A band covering every bin gives the broadband map (up to the STFT's
 * frame weighting); a band map of a band-limited field sees only its band. */
static void
test_band_map (void)
{
  const int order = 1;
  const gsize n = 48000;
  g_autofree double *s = white (n, 5);
  g_autofree double *b = g_new0 (double, (gsize) 4 * n);
  add_plane_wave (b, order, AL_SH_N3D, AL_DEG2RAD (120), AL_DEG2RAD (-20), s, n);
  AlShSignals sig = al_sh_signals_double (b, 4, n, FS, AL_SH_N3D);
  AlMapOptions opt;
  al_map_options_init (&opt);
  opt.method = AL_MAP_PWD;
  g_autoptr (GError) error = NULL;
  g_autoptr (AlPowerMap) broad = al_power_map_new (&sig, NULL, &opt, &error);
  g_assert_no_error (error);
  opt.band_lo = 1e-3;
  opt.band_hi = FS / 2;
  g_autoptr (AlPowerMap) band = al_power_map_new (&sig, NULL, &opt, &error);
  g_assert_no_error (error);
  double spme;
  g_assert_true (al_spme (band, broad, &spme, &error));
  if (g_test_verbose ())
    g_test_message ("full-band STFT map vs broadband: SPME %.2f dB", spme);
  g_assert_cmpfloat (spme, <, -40.0);
  opt.band_lo = 1000;
  opt.band_hi = 2000;
  g_autoptr (AlPowerMap) octave = al_power_map_new (&sig, NULL, &opt, &error);
  g_assert_no_error (error);
  double ratio = octave->power[0] / broad->power[0];
  /* White noise: one octave of 24 kHz holds 1/24 of the power. */
  g_assert_cmpfloat (fabs (ratio * 24 - 1), <, 0.1);
}

static void
test_errors (void)
{
  const gsize n = 4800;
  g_autofree double *b = white (9 * n, 6);
  g_autoptr (GError) error = NULL;
  AlShSignals sig = al_sh_signals_double (b, 5, n, FS, AL_SH_SN3D);
  g_assert_null (al_power_map_new (&sig, NULL, NULL, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "5 channels"));
  g_clear_error (&error);

  sig.nch = 9;
  g_autoptr (AlGrid) coarse = al_grid_fibonacci (500);
  g_assert_null (al_power_map_new (&sig, coarse, NULL, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "500 directions"));
  g_clear_error (&error);

  AlMapOptions opt;
  al_map_options_init (&opt);
  opt.method = AL_MAP_MUSIC;
  opt.sources = 9;
  g_assert_null (al_power_map_new (&sig, NULL, &opt, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* Maps on different grids or by different methods do not compare. */
  g_autoptr (AlGrid) g1 = al_grid_fibonacci (1300);
  g_autoptr (AlGrid) g2 = al_grid_fibonacci (1400);
  g_autoptr (AlPowerMap) m1 = al_power_map_new (&sig, g1, NULL, &error);
  g_autoptr (AlPowerMap) m2 = al_power_map_new (&sig, g2, NULL, &error);
  g_assert_no_error (error);
  double v;
  g_assert_false (al_spme (m1, m2, &v, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_MISMATCH);
  g_clear_error (&error);
  opt.method = AL_MAP_PWD;
  g_autoptr (AlPowerMap) m3 = al_power_map_new (&sig, g1, &opt, &error);
  g_assert_false (al_spm_kl (m3, m1, &v, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "pwd"));
  g_clear_error (&error);

  AlShSignals foa = al_sh_signals_double (b, 1, n, FS, AL_SH_SN3D);
  AlDoa doa;
  g_assert_false (al_doa_intensity (&foa, 0, 0, &doa, NULL, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  /* Order 0 has no intensity: an empty map (no peaks), not an error, so
   * an omni encoder in a comparison is left unlocalised. */
  opt.method = AL_MAP_INTENSITY;
  g_autoptr (AlPowerMap) omni = al_power_map_new (&foa, NULL, &opt, &error);
  g_assert_no_error (error);
  g_assert_cmpint (omni->nvotes, ==, 0);
  g_assert_cmpint (al_power_map_peaks (omni, 1, 0, &doa), ==, 0);

  AlMapMethod method;
  g_assert_true (al_map_method_parse ("MVDR", &method, NULL));
  g_assert_cmpint (method, ==, AL_MAP_MVDR);
  g_assert_true (al_map_method_parse ("intensity", &method, NULL));
  g_assert_cmpint (method, ==, AL_MAP_INTENSITY);
  g_assert_cmpstr (al_map_method_name (AL_MAP_INTENSITY), ==, "intensity");
  g_assert_false (al_map_method_parse ("beam", &method, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
}

/* ---- The intensity map (AL_MAP_INTENSITY) ---- */

/* s band-passed to [lo, hi] Hz: a Hamming-windowed sinc of 511 taps, centred. */
static double *
band_pass (const double *s, gsize n, double lo, double hi)
{
  const int L = 511, mid = L / 2;
  double h[511];
  for (int j = 0; j < L; j++)
    {
      double t = j - mid;
      double ideal = t == 0 ? 2 * (hi - lo) / FS
                            : (sin (2 * G_PI * hi / FS * t) - sin (2 * G_PI * lo / FS * t)) / (G_PI * t);
      h[j] = ideal * (0.54 - 0.46 * cos (2 * G_PI * j / (L - 1)));
    }
  double *y = g_new0 (double, n);
  for (gsize i = 0; i < n; i++)
    for (int j = 0; j < L; j++)
      {
        gint64 k = (gint64) i + mid - j;
        if (k >= 0 && k < (gint64) n)
          y[i] += h[j] * s[k];
      }
  return y;
}

static AlPowerMap *
intensity_map (const double *b, int order, AlShNorm norm, gsize n)
{
  return map_of (b, order, norm, n, AL_MAP_INTENSITY);
}

/* Fraction of the map's sum over the (uniform) grid within `deg` of a direction. */
static double
mass_near (const AlPowerMap *map, double az, double el, double deg)
{
  double near = 0, all = 0;
  for (int j = 0; j < map->ndirs; j++)
    {
      all += map->power[j];
      if (al_angle_between (az, el, map->dirs[2 * j], map->dirs[2 * j + 1]) < AL_DEG2RAD (deg))
        near += map->power[j];
    }
  return all > 0 ? near / all : 0;
}

/* One plane wave of noise: every bin has ψ = 0 and votes for the source, so
 * the peak sits on it, the map is one kernel (mass within 30°: 1 − e^{−κ(1−cos 30°)}
 * = 0.98 for κ = 30), and its height is the wave's energy in the band, as
 * the band PWD map's peak is. */
static void
test_intensity_plane_wave (void)
{
  const gsize n = 24000;
  const double az = AL_DEG2RAD (40.0), el = AL_DEG2RAD (25.0);
  g_autofree double *s = white (n, 21);
  const int orders[] = { 1, 3 };
  for (int oi = 0; oi < 2; oi++)
    {
      const int order = orders[oi];
      g_autofree double *b = g_new0 (double, (gsize) al_sh_count (order) * n);
      add_plane_wave (b, order, AL_SH_SN3D, az, el, s, n);
      g_autoptr (AlPowerMap) map = intensity_map (b, order, AL_SH_SN3D, n);
      g_assert_cmpint (map->method, ==, AL_MAP_INTENSITY);
      g_assert_cmpfloat (map->band_lo, ==, AL_INTENSITY_BAND_LO);
      g_assert_cmpfloat (map->band_hi, ==, AL_INTENSITY_BAND_HI);
      AlDoa doa[2];
      int found = al_power_map_peaks (map, 2, 0, doa);
      g_assert_cmpint (found, ==, 1);
      double err = al_localisation_error (az, el, doa[0].azimuth, doa[0].elevation);
      double near = mass_near (map, az, el, 30.0);

      AlShSignals sig = al_sh_signals_double (b, al_sh_count (order), n, FS, AL_SH_SN3D);
      AlMapOptions opt;
      al_map_options_init (&opt);
      opt.method = AL_MAP_PWD;
      opt.band_lo = AL_INTENSITY_BAND_LO;
      opt.band_hi = AL_INTENSITY_BAND_HI;
      g_autoptr (GError) error = NULL;
      g_autoptr (AlPowerMap) pwd = al_power_map_new (&sig, NULL, &opt, &error);
      g_assert_no_error (error);
      AlDoa pk;
      g_assert_cmpint (al_power_map_peaks (pwd, 1, 0, &pk), ==, 1);
      g_test_message ("order %d intensity map: %d votes, peak error %.4f deg, mass within 30 deg %.4f, "
                      "peak / band PWD peak %.5f, diffuseness %.2g", order, map->nvotes, err, near,
                      doa[0].power / pk.power, map->diffuseness);
      g_assert_cmpfloat (err, <, 1.0);
      g_assert_cmpfloat (near, >, 0.95);
      g_assert_cmpfloat (map->diffuseness, <, 1e-9);
      g_assert_cmpfloat (fabs (doa[0].power / pk.power - 1), <, 0.01);
      for (int j = 0; j < map->ndirs; j++)
        g_assert_cmpfloat (map->power[j], >=, 0);

      /* A copy evaluates to the same map. */
      g_autoptr (AlPowerMap) copy = al_power_map_copy (map);
      g_autofree double *again = g_new (double, copy->ndirs);
      al_power_map_evaluate (copy, copy->dirs, copy->ndirs, again);
      g_assert_cmpmem (again, sizeof (double) * copy->ndirs, map->power, sizeof (double) * map->ndirs);
    }
}

/* Two sources 90° apart at first order, both sounding all the time in
 * disjoint bands: each bin holds one of them (ψ ≈ 0) and votes for it, so
 * both peaks are found; the PWD map of the same field has one broad lobe
 * between them. */
static void
test_intensity_two_sources (void)
{
  const int order = 1;
  const gsize n = 24000;
  const double dirs[4] = { AL_DEG2RAD (20), 0, AL_DEG2RAD (110), 0 };
  g_autofree double *w1 = white (n, 22), *w2 = white (n, 23);
  g_autofree double *s1 = band_pass (w1, n, 250, 900);
  g_autofree double *s2 = band_pass (w2, n, 1500, 3500);
  g_autofree double *b = g_new0 (double, (gsize) 4 * n);
  add_plane_wave (b, order, AL_SH_SN3D, dirs[0], dirs[1], s1, n);
  add_plane_wave (b, order, AL_SH_SN3D, dirs[2], dirs[3], s2, n);

  const AlMapMethod methods[] = { AL_MAP_INTENSITY, AL_MAP_PWD };
  double mean[2];
  for (int mi = 0; mi < 2; mi++)
    {
      g_autoptr (AlPowerMap) map = map_of (b, order, AL_SH_SN3D, n, methods[mi]);
      AlDoa doa[2];
      int found = al_power_map_peaks (map, 2, 0, doa);
      g_assert_cmpint (found, >=, 1);
      /* As the scene evaluation does: fewer peaks than sources, the strongest stand in. */
      double est[4];
      for (int k = 0; k < 2; k++)
        {
          est[2 * k] = doa[k % found].azimuth;
          est[2 * k + 1] = doa[k % found].elevation;
        }
      double per[2];
      g_autoptr (GError) error = NULL;
      g_assert_true (al_localisation_error_matched (dirs, 2, est, 2, per, &mean[mi], &error));
      g_assert_no_error (error);
      g_test_message ("two sources 90 deg apart, order 1, %s map: %d peaks, errors %.3f and %.3f deg",
                      al_map_method_name (methods[mi]), found, per[0], per[1]);
      if (methods[mi] == AL_MAP_INTENSITY)
        {
          g_assert_cmpint (found, ==, 2);
          g_assert_cmpfloat (per[0], <, 3.0);
          g_assert_cmpfloat (per[1], <, 3.0);
          g_assert_cmpfloat (map->diffuseness, <, 0.05);
        }
    }
  g_assert_cmpfloat (mean[1], >, 10 * mean[0]);
}

/* An isotropic diffuse field: averaged over AL_INTENSITY_FRAMES x
 * AL_INTENSITY_BINS bins the intensity nearly cancels (ψ = 1 − O(1/√M) for
 * M ≈ 10 independent cells: 0.79), no bin comes below even the fallback
 * threshold, and the map is all zeros with no peak: nothing to localise,
 * and no NaN. */
static void
test_intensity_diffuse (void)
{
  const int order = 1, K = 400;
  const gsize n = 24000;
  g_autoptr (AlGrid) sources = al_grid_fibonacci (K);
  g_autofree double *b = g_new0 (double, (gsize) 4 * n);
  for (int k = 0; k < K; k++)
    {
      g_autofree double *s = white (n, 100 + k);
      add_plane_wave (b, order, AL_SH_SN3D, sources->dirs[2 * k] + 0.1, sources->dirs[2 * k + 1], s, n);
    }
  g_autoptr (AlPowerMap) map = intensity_map (b, order, AL_SH_SN3D, n);
  g_test_message ("diffuse field: mean diffuseness %.3f, %d votes", map->diffuseness, map->nvotes);
  g_assert_cmpfloat (map->diffuseness, >, 0.75);
  g_assert_cmpint (map->nvotes, ==, 0);
  for (int j = 0; j < map->ndirs; j++)
    g_assert_cmpfloat (map->power[j], ==, 0.0);
  AlDoa doa[2];
  g_assert_cmpint (al_power_map_peaks (map, 2, 0, doa), ==, 0);
  /* Comparing against an empty map is refused, not answered with NaN. */
  double v;
  g_autoptr (GError) error = NULL;
  g_assert_false (al_spme (map, map, &v, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
}

/* The intensity and the energy are taken in SN3D whatever the input, so
 * SN3D, N3D and orthonormal signals of one field (order 2: the map uses
 * its first four channels) give one map. */
static void
test_intensity_norms (void)
{
  const int order = 2;
  const gsize n = 24000;
  const AlShNorm norms[] = { AL_SH_SN3D, AL_SH_N3D, AL_SH_ORTHONORMAL };
  g_autofree double *s1 = white (n, 24), *s2 = white (n, 25);
  /* One source after the other, over a weak diffuse field. */
  memset (s1 + n / 2, 0, sizeof (double) * (n - n / 2));
  memset (s2, 0, sizeof (double) * (n / 2));
  g_autoptr (AlGrid) diffuse = al_grid_fibonacci (50);
  g_autoptr (AlPowerMap) ref = NULL;
  for (guint ni = 0; ni < G_N_ELEMENTS (norms); ni++)
    {
      g_autofree double *b = g_new0 (double, (gsize) al_sh_count (order) * n);
      add_plane_wave (b, order, norms[ni], AL_DEG2RAD (-70), AL_DEG2RAD (15), s1, n);
      add_plane_wave (b, order, norms[ni], AL_DEG2RAD (60), AL_DEG2RAD (-30), s2, n);
      for (int k = 0; k < diffuse->n; k++)
        {
          g_autofree double *d = white (n, 300 + k);
          for (gsize i = 0; i < n; i++)
            d[i] *= 0.03;
          add_plane_wave (b, order, norms[ni], diffuse->dirs[2 * k], diffuse->dirs[2 * k + 1], d, n);
        }
      g_autoptr (AlPowerMap) map = intensity_map (b, order, norms[ni], n);
      if (ni == 0)
        {
          g_test_message ("two sources in a diffuse field: %d votes, diffuseness %.3f", map->nvotes,
                          map->diffuseness);
          g_assert_cmpint (map->nvotes, >, 0);
          ref = g_steal_pointer (&map);
          continue;
        }
      double peak = 0, diff = 0;
      for (int j = 0; j < ref->ndirs; j++)
        {
          peak = MAX (peak, ref->power[j]);
          diff = MAX (diff, fabs (map->power[j] - ref->power[j]));
        }
      g_test_message ("%s vs sn3d: largest difference %.3g of the peak", al_sh_norm_name (norms[ni]), diff / peak);
      g_assert_cmpint (map->nvotes, ==, ref->nvotes);
      g_assert_cmpfloat (diff, <=, 1e-9 * peak);
      g_assert_cmpfloat (fabs (map->diffuseness - ref->diffuseness), <, 1e-9);
    }
}

/* Matching several sources picks the pairing with the smallest mean error. */
static void
test_matching (void)
{
  const double truth[6] = { 0, 0, G_PI / 2, 0, 0, G_PI / 2 };
  const double est[8] = { 0, G_PI / 2 - AL_DEG2RAD (3), G_PI, 0, AL_DEG2RAD (2), 0, G_PI / 2 + AL_DEG2RAD (1), 0 };
  double per[3], mean;
  g_autoptr (GError) error = NULL;
  g_assert_true (al_localisation_error_matched (truth, 3, est, 4, per, &mean, &error));
  g_assert_cmpfloat_with_epsilon (per[0], 2.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (per[1], 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (per[2], 3.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (mean, 2.0, 1e-9);
  g_assert_false (al_localisation_error_matched (truth, 3, est, 2, NULL, NULL, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_MISMATCH);
  g_assert_cmpfloat_with_epsilon (al_localisation_error (0, 0, G_PI, 0), 180.0, 1e-9);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/eval/map/plane-wave-doa", test_plane_wave_doa);
  g_test_add_func ("/eval/map/rotated-field", test_rotated_field);
  g_test_add_func ("/eval/map/two-sources", test_two_sources);
  g_test_add_func ("/eval/map/diffuse-flat", test_diffuse_flat);
  g_test_add_func ("/eval/map/band", test_band_map);
  g_test_add_func ("/eval/map/intensity-plane-wave", test_intensity_plane_wave);
  g_test_add_func ("/eval/map/intensity-two-sources", test_intensity_two_sources);
  g_test_add_func ("/eval/map/intensity-diffuse", test_intensity_diffuse);
  g_test_add_func ("/eval/map/intensity-norms", test_intensity_norms);
  g_test_add_func ("/eval/map/errors", test_errors);
  g_test_add_func ("/eval/map/matching", test_matching);
  return g_test_run ();
}
