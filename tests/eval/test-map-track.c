/* test-map-track.c — power maps over time and DOA tracks on ideal
 * encodings with a known answer: a source sweeping in azimuth, two static
 * sources, first-order intensity, silence; frames equal the library's own
 * map of the same samples; figures and files are written.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "eval/al-map-track.h"

#define FS 16000.0

/* A seeded Gaussian noise signal. */
static float *
noise (gsize n, guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  float *s = g_new (float, n);
  for (gsize i = 0; i < n; i += 2)
    {
      /* Box–Muller, two values per draw. */
      double u1 = g_rand_double_range (rand, 1e-12, 1.0), u2 = g_rand_double (rand);
      double r = sqrt (-2 * log (u1));
      s[i] = (float) (r * cos (2 * G_PI * u2));
      if (i + 1 < n)
        s[i + 1] = (float) (r * sin (2 * G_PI * u2));
    }
  return s;
}

/* Adds b_c(t) += gain · Y_c(Ω(t)) s(t) (SN3D) to x (nsh x n); Ω(t) from az(t), el. */
typedef double (*AzimuthFunc) (double t);

static void
add_source (float *x, int order, gsize n, const float *s, double gain, AzimuthFunc az, double az0, double el)
{
  int C = al_sh_count (order);
  double y[64];
  for (gsize i = 0; i < n; i++)
    {
      double a = az != NULL ? az (i / FS) : az0;
      al_sh_real (order, AL_SH_SN3D, a, el, y);
      for (int c = 0; c < C; c++)
        x[(gsize) c * n + i] += (float) (gain * y[c] * s[i]);
    }
}

/* The sweep of the brief: −60° to +60° over 4 s. */
static double
sweep (double t)
{
  return AL_DEG2RAD (-60.0 + 120.0 * t / 4.0);
}

static double
wrap_deg (double d)
{
  return remainder (d, 360.0);
}

#define SWEEP_EL AL_DEG2RAD (10.0)

static float *
moving_source (int order, gsize *n_out)
{
  gsize n = (gsize) (4 * FS);
  float *x = g_new0 (float, (gsize) al_sh_count (order) * n);
  g_autofree float *s = noise (n, 11);
  add_source (x, order, n, s, 1.0, sweep, 0, SWEEP_EL);
  *n_out = n;
  return x;
}

static void
test_moving (void)
{
  const int order = 3;
  gsize n;
  g_autofree float *x = moving_source (order, &n);
  AlShSignals b = al_sh_signals_float (x, al_sh_count (order), n, FS, AL_SH_SN3D);
  for (int m = AL_MAP_SH; m <= AL_MAP_MUSIC; m++)
    {
      AlMapTrackOptions opt;
      al_map_track_options_init (&opt);
      opt.map.method = (AlMapMethod) m;
      opt.map.band_lo = 200;
      opt.map.band_hi = 4000;
      g_autoptr (GError) error = NULL;
      g_autoptr (AlMapTrack) mt = al_map_track_new (&b, &opt, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (mt->nframes, ==, 79); /* 1 + (4 s − 0.1 s) / 0.05 s */
      g_assert_cmpint (mt->ndirs, ==, AL_METRICS_DEFAULT_GRID);
      g_assert_cmpint (mt->ntracks, ==, 1);
      g_assert_cmpint (mt->tracks[0].npoints, >=, mt->nframes - 1);
      double max_az = 0, max_el = 0;
      for (int f = 1; f < mt->nframes; f++)
        {
          /* One source, one peak: the beam maps' side lobes are taken away. */
          g_assert_cmpint (mt->npeaks[f], ==, 1);
          AlDoa d;
          g_assert_true (al_map_track_point (mt, 1, f, &d));
          double e_az = fabs (wrap_deg (AL_RAD2DEG (d.azimuth - sweep (mt->times[f]))));
          double e_el = fabs (AL_RAD2DEG (d.elevation - SWEEP_EL));
          max_az = MAX (max_az, e_az);
          max_el = MAX (max_el, e_el);
        }
      g_test_message ("%s, order %d: largest azimuth error %.3f deg, elevation error %.3f deg",
                      al_map_method_name ((AlMapMethod) m), order, max_az, max_el);
      g_assert_cmpfloat (max_az, <, 3.0);
      g_assert_cmpfloat (max_el, <, 3.0);
      /* The intensity of the first-order part follows it as well. */
      g_assert_true (mt->has_intensity);
      for (int f = 1; f < mt->nframes; f++)
        g_assert_cmpfloat (al_localisation_error (sweep (mt->times[f]), SWEEP_EL, mt->intensity[f].azimuth,
                                                  mt->intensity[f].elevation), <, 3.0);
    }
}

/* Linking: a gate narrower than the source moves per hop (1.5°) breaks the
 * sweep into short pieces that are then dropped; a wide one joins them again. */
static void
test_relink (void)
{
  gsize n;
  g_autofree float *x = moving_source (2, &n);
  AlShSignals b = al_sh_signals_float (x, 9, n, FS, AL_SH_SN3D);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlMapTrack) mt = al_map_track_new (&b, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mt->ntracks, ==, 1);
  al_map_track_relink (mt, AL_DEG2RAD (0.5), 0, 3);
  g_assert_cmpint (mt->ntracks, ==, 0);
  for (int f = 0; f < mt->nframes; f++)
    for (int k = 0; k < mt->npeaks[f]; k++)
      g_assert_cmpint (mt->track_of[f * mt->max_peaks + k], ==, 0);
  al_map_track_relink (mt, AL_DEG2RAD (0.5), 0, 1);
  g_assert_cmpint (mt->ntracks, ==, mt->nframes);
  al_map_track_relink (mt, AL_DEG2RAD (15), 2, 3);
  g_assert_cmpint (mt->ntracks, ==, 1);
  g_assert_cmpint (mt->tracks[0].first, ==, 0);
  g_assert_cmpint (mt->tracks[0].last, ==, mt->nframes - 1);
}

/* Two independent static sources 90° apart. */
static void
test_two_sources (void)
{
  const double src[2][2] = { { AL_DEG2RAD (-45), AL_DEG2RAD (0) }, { AL_DEG2RAD (45), AL_DEG2RAD (0) } };
  g_assert_cmpfloat (fabs (al_localisation_error (src[0][0], src[0][1], src[1][0], src[1][1]) - 90), <, 1e-9);
  gsize n = (gsize) (2 * FS);
  for (int order = 2; order <= 3; order++)
    {
      int C = al_sh_count (order);
      g_autofree float *x = g_new0 (float, (gsize) C * n);
      for (int s = 0; s < 2; s++)
        {
          g_autofree float *sig = noise (n, 100 + s);
          add_source (x, order, n, sig, 1.0, NULL, src[s][0], src[s][1]);
        }
      AlShSignals b = al_sh_signals_float (x, C, n, FS, AL_SH_SN3D);
      AlMapMethod methods[] = { AL_MAP_MVDR, AL_MAP_MUSIC, AL_MAP_PWD };
      for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
        {
          AlMapTrackOptions opt;
          al_map_track_options_init (&opt);
          opt.map.method = methods[i];
          g_autoptr (GError) error = NULL;
          g_autoptr (AlMapTrack) mt = al_map_track_new (&b, &opt, NULL, &error);
          g_assert_no_error (error);
          g_assert_cmpint (mt->ntracks, ==, 2);
          double worst = 0;
          int seen[2] = { 0, 0 };
          for (int t = 0; t < 2; t++)
            {
              g_assert_cmpint (mt->tracks[t].npoints, ==, mt->nframes);
              for (int f = 0; f < mt->nframes; f++)
                {
                  AlDoa d;
                  g_assert_true (al_map_track_point (mt, t + 1, f, &d));
                  double e0 = al_localisation_error (src[0][0], src[0][1], d.azimuth, d.elevation);
                  double e1 = al_localisation_error (src[1][0], src[1][1], d.azimuth, d.elevation);
                  int s = e0 < e1 ? 0 : 1;
                  /* A track stays with its source. */
                  if (f == 0)
                    seen[t] = s;
                  g_assert_cmpint (s, ==, seen[t]);
                  worst = MAX (worst, MIN (e0, e1));
                }
            }
          g_assert_cmpint (seen[0], !=, seen[1]);
          g_test_message ("two sources, %s order %d: largest DOA error %.3f deg over %d frames",
                          al_map_method_name (methods[i]), order, worst, mt->nframes);
          /* PWD at order 2 has wide beams that pull the peaks together. */
          g_assert_cmpfloat (worst, <, methods[i] == AL_MAP_PWD ? 6.0 : 2.0);
        }
    }
}

/* First order: the intensity DOA of a static source with weak noise in
 * every channel (−20 dB, independent), frame by frame. */
static void
test_intensity (void)
{
  gsize n = (gsize) (2 * FS);
  const double az = AL_DEG2RAD (70), el = AL_DEG2RAD (25);
  g_autofree float *x = g_new0 (float, 4 * n);
  g_autofree float *s = noise (n, 7);
  add_source (x, 1, n, s, 1.0, NULL, az, el);
  for (int c = 0; c < 4; c++)
    {
      g_autofree float *w = noise (n, 200 + c);
      for (gsize i = 0; i < n; i++)
        x[c * n + i] += 0.1f * w[i];
    }
  AlShSignals b = al_sh_signals_float (x, 4, n, FS, AL_SH_SN3D);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlMapTrack) mt = al_map_track_new (&b, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (mt->has_intensity);
  double worst = 0;
  for (int f = 0; f < mt->nframes; f++)
    {
      g_assert_true (mt->active[f]);
      worst = MAX (worst, al_localisation_error (az, el, mt->intensity[f].azimuth, mt->intensity[f].elevation));
      g_assert_cmpfloat (mt->diffuseness[f], >=, 0);
      g_assert_cmpfloat (mt->diffuseness[f], <, 0.2);
    }
  g_test_message ("intensity DOA, first order: largest error %.3f deg over %d frames", worst, mt->nframes);
  g_assert_cmpfloat (worst, <, 2.0);
  /* The first-order PWD map has a rear lobe 6 dB down; it is no second source. */
  g_assert_cmpint (mt->ntracks, ==, 1);
}

/* Silence gives no tracks; so do frames far below the loudest. */
static void
test_silence (void)
{
  gsize n = (gsize) (2 * FS);
  g_autofree float *x = g_new0 (float, 4 * n);
  AlShSignals b = al_sh_signals_float (x, 4, n, FS, AL_SH_SN3D);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlMapTrack) mt = al_map_track_new (&b, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mt->nframes, ==, 39);
  g_assert_cmpint (mt->ntracks, ==, 0);
  g_assert_cmpfloat (mt->power_max, ==, 0);
  for (int f = 0; f < mt->nframes; f++)
    {
      g_assert_false (mt->active[f]);
      g_assert_cmpint (mt->npeaks[f], ==, 0);
      g_assert_true (isnan (mt->intensity[f].azimuth));
    }
  g_clear_pointer (&mt, al_map_track_free);

  /* 1 s of a source, then 1 s of noise 60 dB down. */
  g_autofree float *s = noise (n / 2, 3);
  g_autofree float *w = noise (n, 4);
  double y[4];
  al_sh_real (1, AL_SH_SN3D, AL_DEG2RAD (-120), AL_DEG2RAD (-20), y);
  for (int c = 0; c < 4; c++)
    for (gsize i = 0; i < n; i++)
      x[c * n + i] = (float) ((i < n / 2 ? y[c] * s[i] : 0) + (c == 0 ? 1e-3 * w[i] : 0));
  mt = al_map_track_new (&b, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mt->ntracks, ==, 1);
  int quiet = 0;
  for (int f = 0; f < mt->nframes; f++)
    {
      double t0 = mt->times[f] - 0.05, t1 = mt->times[f] + 0.05;
      if (t1 <= 1.0)
        g_assert_true (mt->active[f]);
      if (t0 >= 1.0)
        {
          g_assert_false (mt->active[f]);
          g_assert_cmpint (mt->npeaks[f], ==, 0);
          quiet++;
        }
    }
  g_assert_cmpint (quiet, >=, 18);
}

/* A frame's values are the library's map of the same samples; times index frames. */
static void
test_frames (void)
{
  gsize n;
  g_autofree float *x = moving_source (2, &n);
  AlShSignals b = al_sh_signals_float (x, 9, n, FS, AL_SH_N3D);
  b.latency = 160;
  AlMapTrackOptions opt;
  al_map_track_options_init (&opt);
  opt.map.method = AL_MAP_MVDR;
  opt.frame_s = 0.2;
  opt.hop_s = 0.1;
  opt.grid = 1296;
  g_autoptr (GError) error = NULL;
  g_autoptr (AlMapTrack) mt = al_map_track_new (&b, &opt, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mt->frame_len, ==, 3200);
  g_assert_cmpint (mt->hop, ==, 1600);
  g_assert_cmpint (mt->nframes, ==, 1 + (int) ((n - 160 - 3200) / 1600));
  g_assert_cmpint (mt->ndirs, ==, 1296);
  g_autoptr (AlGrid) grid = al_grid_fibonacci (1296);
  int f = mt->nframes / 2;
  g_assert_cmpfloat_with_epsilon (mt->times[f], (f * 1600 + 1600) / FS, 1e-12);
  g_autofree float *frame = g_new (float, 9 * 3200);
  for (int c = 0; c < 9; c++)
    memcpy (frame + c * 3200, x + c * n + 160 + (gsize) f * 1600, 3200 * sizeof (float));
  AlShSignals fb = al_sh_signals_float (frame, 9, 3200, FS, AL_SH_N3D);
  AlMapOptions mopt = opt.map;
  mopt.sources = 2;
  g_autoptr (AlPowerMap) ref = al_power_map_new (&fb, grid, &mopt, &error);
  g_assert_no_error (error);
  const float *row = al_map_track_frame (mt, f);
  for (int j = 0; j < 1296; j++)
    g_assert_cmpfloat (row[j], ==, (float) ref->power[j]);
  for (int k = 0; k < mt->nframes; k++)
    g_assert_cmpint (al_map_track_frame_at (mt, mt->times[k] + 0.03), ==, k);
  g_assert_cmpint (al_map_track_frame_at (mt, -5), ==, 0);
  g_assert_cmpint (al_map_track_frame_at (mt, 1e6), ==, mt->nframes - 1);

  /* A recording shorter than a frame gives one shorter frame. */
  g_autofree float *sx = g_new (float, 9 * 800);
  for (int c = 0; c < 9; c++)
    memcpy (sx + c * 800, x + c * n, 800 * sizeof (float));
  AlShSignals shortb = al_sh_signals_float (sx, 9, 800, FS, AL_SH_SN3D);
  g_autoptr (AlMapTrack) one = al_map_track_new (&shortb, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (one->nframes, ==, 1);
  g_assert_cmpfloat_with_epsilon (one->times[0], 400 / FS, 1e-12);
}

static void
progress_count (double fraction, const char *message, gpointer user_data)
{
  (void) fraction;
  (void) message;
  (*(int *) user_data)++;
}

static void
test_bad_input (void)
{
  gsize n = (gsize) FS;
  g_autofree float *x = g_new0 (float, 9 * n);
  g_autoptr (GError) error = NULL;
  AlShSignals b = al_sh_signals_float (x, 8, n, FS, AL_SH_SN3D);
  g_assert_null (al_map_track_new (&b, NULL, NULL, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "8 channels"));
  g_clear_error (&error);

  b.nch = 4;
  AlMapTrackOptions opt;
  al_map_track_options_init (&opt);
  opt.grid = 500;
  g_assert_null (al_map_track_new (&b, &opt, NULL, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  al_map_track_options_init (&opt);
  opt.map.method = AL_MAP_MUSIC;
  opt.max_peaks = 4;
  g_assert_null (al_map_track_new (&b, &opt, NULL, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "MUSIC"));
  g_clear_error (&error);

  al_map_track_options_init (&opt);
  opt.map.band_lo = 9000;
  opt.map.band_hi = 12000;
  g_assert_null (al_map_track_new (&b, &opt, NULL, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  x[5] = NAN;
  b.name = "rec.wav";
  g_assert_null (al_map_track_new (&b, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "rec.wav"));
  g_clear_error (&error);
  x[5] = 0;

  /* Progress: one report per frame; a cancelled run stops with G_IO_ERROR_CANCELLED. */
  int calls = 0;
  AlProgress progress = { progress_count, &calls, NULL, 0, 0 };
  g_autoptr (AlMapTrack) mt = al_map_track_new (&b, NULL, &progress, &error);
  g_assert_no_error (error);
  g_assert_cmpint (calls, ==, mt->nframes);
  g_autoptr (GCancellable) cancel = g_cancellable_new ();
  g_cancellable_cancel (cancel);
  progress.cancellable = cancel;
  g_assert_null (al_map_track_new (&b, NULL, &progress, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Figures and files: written, the sphere map shows the peaks, the track
 * plot maps clicks to times. */
static void
test_figures (void)
{
  gsize n = (gsize) (2 * FS);
  g_autofree float *x = g_new0 (float, 9 * n);
  g_autofree float *s1 = noise (n, 21), *s2 = noise (n, 22);
  add_source (x, 2, n, s1, 1.0, sweep, 0, SWEEP_EL);
  add_source (x, 2, n, s2, 0.7, NULL, AL_DEG2RAD (150), AL_DEG2RAD (-30));
  AlShSignals b = al_sh_signals_float (x, 9, n, FS, AL_SH_SN3D);
  AlMapTrackOptions opt;
  al_map_track_options_init (&opt);
  opt.map.method = AL_MAP_PWD;
  g_autoptr (GError) error = NULL;
  g_autoptr (AlMapTrack) mt = al_map_track_new (&b, &opt, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mt->ntracks, ==, 2);

  g_autofree char *dir = g_dir_make_tmp ("test-map-track-XXXXXX", &error);
  g_assert_no_error (error);
  g_autoptr (AlSphereMap) map = al_map_track_sphere_map (mt, 10, 30);
  /* The loudest spot of the frame is at its first marker (within a grid cell). */
  const float *row = al_map_track_frame (mt, 10);
  float fmax = 0;
  for (int j = 0; j < mt->ndirs; j++)
    fmax = MAX (fmax, row[j]);
  const AlDoa *p = &mt->peaks[10 * mt->max_peaks];
  g_assert_cmpfloat (al_sphere_map_value_at (map, p->azimuth, p->elevation), >,
                     10 * log10 (fmax / mt->power_max) - 1);
  g_autoptr (AlDoaTrackPlot) plot = al_doa_track_plot_new (mt, NULL);
  al_doa_track_plot_set_cursor (plot, 1.0);
  cairo_surface_t *surf = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 600, 400);
  cairo_t *cr = cairo_create (surf);
  g_assert_false (al_doa_track_plot_to_time (plot, 300, 100, NULL));
  al_doa_track_plot_draw (plot, cr, 600, 400, NULL);
  double t = -1;
  g_assert_true (al_doa_track_plot_to_time (plot, 300, 100, &t));
  g_assert_cmpfloat (t, >, 0.3);
  g_assert_cmpfloat (t, <, 1.8);
  g_assert_true (al_doa_track_plot_to_time (plot, 300, 300, &t));
  g_assert_false (al_doa_track_plot_to_time (plot, 1, 1, &t));
  cairo_destroy (cr);
  cairo_surface_destroy (surf);

  g_assert_true (al_map_track_write (mt, dir, &error));
  g_assert_no_error (error);
  for (const char *const *name = al_map_track_file_names (); *name != NULL; name++)
    {
      g_autofree char *path = g_build_filename (dir, *name, NULL);
      GStatBuf st;
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_size, >, 0);
      if (g_getenv ("AL_TEST_KEEP") == NULL)
        g_unlink (path);
    }
  g_test_message ("figures in %s", dir);
  if (g_getenv ("AL_TEST_KEEP") == NULL)
    g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/map-track/moving", test_moving);
  g_test_add_func ("/map-track/relink", test_relink);
  g_test_add_func ("/map-track/two-sources", test_two_sources);
  g_test_add_func ("/map-track/intensity", test_intensity);
  g_test_add_func ("/map-track/silence", test_silence);
  g_test_add_func ("/map-track/frames", test_frames);
  g_test_add_func ("/map-track/bad-input", test_bad_input);
  g_test_add_func ("/map-track/figures", test_figures);
  return g_test_run ();
}
