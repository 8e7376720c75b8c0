/* test-cli-powermap.c — ambilab-cli powermap end to end: the files it
 * writes with their documented header and shape, maps.f32 against the
 * library's own maps of the same recording, the Ambisonics path with and
 * without a normalisation in the file, and one clear line for bad input.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include "eval/al-map-track.h"
#include "eval/al-scene-eval.h"
#include "io/al-io.h"
#include "cli-test-util.h"

#define FS 16000.0
#define SECONDS 2.0
#define LATENCY 3

/* Ideal SH signals (SN3D, order N) of a noise source sweeping at 30°/s (the
 * brief's −60° to +60° in 4 s) from −60° azimuth at 10° elevation, plus a static one at 150°, −20° (−6 dB). */
static float *
scene (int order, gsize n)
{
  int C = al_sh_count (order);
  float *x = g_new0 (float, (gsize) C * n);
  g_autoptr (GRand) rand = g_rand_new_with_seed (5);
  double y[16], y2[16];
  al_sh_real (order, AL_SH_SN3D, AL_DEG2RAD (150), AL_DEG2RAD (-20), y2);
  for (gsize i = 0; i < n; i++)
    {
      double az = AL_DEG2RAD (-60 + 30 * (i / FS));
      al_sh_real (order, AL_SH_SN3D, az, AL_DEG2RAD (10), y);
      double s1 = g_rand_double_range (rand, -1, 1), s2 = 0.5 * g_rand_double_range (rand, -1, 1);
      for (int c = 0; c < C; c++)
        x[(gsize) c * n + i] = (float) (y[c] * s1 + y2[c] * s2);
    }
  return x;
}

/* planar → a WAV, with a comment when given. */
static void
write_wav (const char *name, const float *x, int nch, gsize n, double gain, const char *comment)
{
  g_autofree char *path = path_in_dir (name);
  g_autoptr (GError) error = NULL;
  AlAudioWriter *w = al_audio_writer_open (path, FS, nch, &error);
  g_assert_no_error (error);
  if (comment != NULL)
    g_assert_true (al_audio_writer_set_comment (w, comment));
  g_autofree float *inter = g_new (float, (gsize) nch * n);
  for (gsize i = 0; i < n; i++)
    for (int c = 0; c < nch; c++)
      inter[i * nch + c] = (float) (gain * x[(gsize) c * n + i]);
  g_assert_true (al_audio_writer_write (w, inter, (gint64) n, &error));
  g_assert_true (al_audio_writer_finish (w, TRUE, &error));
  g_assert_no_error (error);
}

/* A 4-mic "array" whose mics are the first-order SH signals: the encoder is
 * the identity, 3 samples late (a latency the map has to skip). */
static void
write_encoder (const char *name)
{
  AlEncoder enc = { 0 };
  al_design_params_init (&enc.params);
  enc.params.order = 1;
  enc.params.norm = AL_SH_SN3D;
  enc.name = (char *) "identity";
  enc.fs = FS;
  enc.nsh = enc.nmics = 4;
  enc.fir_len = 16;
  enc.latency = LATENCY;
  enc.fir = g_new0 (float, 4 * 4 * 16);
  for (int c = 0; c < 4; c++)
    enc.fir[((gsize) c * 4 + c) * 16 + LATENCY] = 1.0f;
  g_autofree char *path = path_in_dir (name);
  g_autoptr (GError) error = NULL;
  g_assert_true (al_encoder_save (&enc, path, &error));
  g_assert_no_error (error);
  g_free (enc.fir);
}

static void
setup_files (void)
{
  static gboolean done;
  if (done)
    return;
  done = TRUE;
  gsize n = (gsize) (SECONDS * FS);
  g_autofree float *x1 = scene (1, n);
  g_autofree float *x2 = scene (2, n);
  write_encoder ("enc.json");
  write_wav ("mics.wav", x1, 4, n, 1.0, NULL);
  write_wav ("ambi_n3d.wav", x2, 9, n, 1.0, "Ambisonics order 2, ACN, n3d (test)");
  write_wav ("ambi_plain.wav", x2, 9, n, 1.0, NULL);
  write_wav ("nine.wav", x2, 9, n, 1.0, NULL);
}

static char *
read_text (const char *dirname, const char *name)
{
  g_autofree char *path = g_build_filename (dir, dirname, name, NULL);
  char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

/* maps.f32 equals the library's maps of the same signals, bit for bit. */
static void
assert_maps_equal (const char *dirname, const AlMapTrack *mt)
{
  g_autofree char *path = g_build_filename (dir, dirname, "maps.f32", NULL);
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  g_assert_cmpuint (len, ==, (gsize) mt->nframes * mt->ndirs * 4);
  for (int f = 0; f < mt->nframes; f++)
    {
      const float *ref = al_map_track_frame (mt, f);
      for (int j = 0; j < mt->ndirs; j++)
        {
          guint32 bits;
          memcpy (&bits, data + 4 * ((gsize) f * mt->ndirs + j), 4);
          bits = GUINT32_FROM_LE (bits);
          float v;
          memcpy (&v, &bits, 4);
          if (v != ref[j])
            g_error ("frame %d direction %d: file %g, library %g", f, j, v, ref[j]);
        }
    }
}

static void
test_encoder (void)
{
  setup_files ();
  g_auto (Run) r = { 0 };
  run_cli (&r, "powermap", "--encoder", "enc.json", "--in", "mics.wav", "-o", "pm", "--band", "200..4000",
           "--method", "pwd", "--peaks", "2", NULL);
  if (r.status != 0)
    g_error ("powermap failed: %s", r.err);
  g_assert_nonnull (strstr (r.out, "39 frames x 2048 directions (pwd, order 1, 200–4000 Hz)"));

  /* The library on the same recording through the same encoder. */
  g_autoptr (GError) error = NULL;
  g_autofree char *enc_path = path_in_dir ("enc.json");
  g_autofree char *wav = path_in_dir ("mics.wav");
  g_autoptr (AlEncoder) enc = al_encoder_load (enc_path, &error);
  g_assert_no_error (error);
  g_autoptr (AlAudio) audio = al_audio_read (wav, &error);
  g_assert_no_error (error);
  gsize n = (gsize) audio->nframes;
  g_autofree float *planar = g_new (float, 4 * n);
  for (gsize i = 0; i < n; i++)
    for (int c = 0; c < 4; c++)
      planar[c * n + i] = audio->data[i * 4 + c];
  g_autoptr (AlSceneEncoder) run = al_scene_encoder_new_linear (enc, NULL);
  g_autofree float *sh = al_scene_encoder_run (run, planar, n, &error);
  g_assert_no_error (error);
  AlShSignals b = al_sh_signals_float (sh, 4, n + LATENCY, FS, AL_SH_SN3D);
  b.latency = LATENCY;
  AlMapTrackOptions opt;
  al_map_track_options_init (&opt);
  opt.map.band_lo = 200;
  opt.map.band_hi = 4000;
  g_autoptr (AlMapTrack) mt = al_map_track_new (&b, &opt, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mt->nframes, ==, 39);
  assert_maps_equal ("pm", mt);

  /* maps.json: shape, grid and times as documented. */
  g_autofree char *json_path = g_build_filename (dir, "pm", "maps.json", NULL);
  g_autoptr (JsonNode) root = al_json_read (json_path, &error);
  g_assert_no_error (error);
  JsonObject *o = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (o, "method"), ==, "pwd");
  g_assert_cmpint (json_object_get_int_member (o, "nframes"), ==, 39);
  g_assert_cmpint (json_object_get_int_member (o, "ndirs"), ==, 2048);
  JsonObject *data = json_object_get_object_member (o, "data");
  g_assert_cmpstr (json_object_get_string_member (data, "file"), ==, "maps.f32");
  g_assert_cmpstr (json_object_get_string_member (data, "dtype"), ==, "float32");
  g_assert_cmpstr (json_object_get_string_member (data, "byte_order"), ==, "little");
  JsonArray *shape = json_object_get_array_member (data, "shape");
  g_assert_cmpint (json_array_get_int_element (shape, 0), ==, 39);
  g_assert_cmpint (json_array_get_int_element (shape, 1), ==, 2048);
  JsonArray *dirs = json_object_get_array_member (json_object_get_object_member (o, "grid"), "directions_deg");
  g_assert_cmpuint (json_array_get_length (dirs), ==, 2048);
  JsonArray *d7 = json_array_get_array_element (dirs, 7);
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (d7, 0), AL_RAD2DEG (mt->dirs[14]), 1e-9);
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (d7, 1), AL_RAD2DEG (mt->dirs[15]), 1e-9);
  JsonArray *times = json_object_get_array_member (o, "times_s");
  g_assert_cmpuint (json_array_get_length (times), ==, 39);
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (times, 0), 0.05, 1e-12);
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (times, 38), 1.95, 1e-12);

  /* doa_tracks.csv: the header, then one row per peak; the sweep is track 1. */
  g_autofree char *csv = read_text ("pm", "doa_tracks.csv");
  g_auto (GStrv) lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "time_s,track,azimuth_deg,elevation_deg,power_db");
  int rows = 0, sweep_rows = 0;
  for (int i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], ",", -1);
      g_assert_cmpuint (g_strv_length (f), ==, 5);
      double t = g_ascii_strtod (f[0], NULL), az = g_ascii_strtod (f[2], NULL), el = g_ascii_strtod (f[3], NULL);
      g_assert_true (isfinite (g_ascii_strtod (f[4], NULL)));
      rows++;
      if (strcmp (f[1], "1") == 0)
        {
          /* First order PWD with a second source 6 dB down: loose, but it follows. */
          g_assert_cmpfloat (fabs (az - (-60 + 30 * t)), <, 15);
          g_assert_cmpfloat (fabs (el - 10), <, 15);
          sweep_rows++;
        }
    }
  g_assert_cmpint (rows, >=, 39);
  g_assert_cmpint (sweep_rows, >=, 38);

  for (const char *const *name = al_map_track_file_names (); *name != NULL; name++)
    {
      g_autofree char *path = g_build_filename (dir, "pm", *name, NULL);
      GStatBuf st;
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_size, >, 0);
    }

  /* Nothing is replaced without --overwrite. */
  g_auto (Run) again = { 0 };
  run_cli (&again, "powermap", "--encoder", "enc.json", "--in", "mics.wav", "-o", "pm", NULL);
  assert_one_line_error (&again, "exists; add --overwrite");
  g_auto (Run) forced = { 0 };
  run_cli (&forced, "powermap", "--encoder", "enc.json", "--in", "mics.wav", "-o", "pm", "--overwrite", NULL);
  g_assert_cmpint (forced.status, ==, 0);
}

static void
test_ambisonics (void)
{
  setup_files ();
  g_auto (Run) r = { 0 };
  run_cli (&r, "powermap", "--ambisonics", "--in", "ambi_n3d.wav", "-o", "pa", "--method", "mvdr", "--grid", "1296",
           NULL);
  if (r.status != 0)
    g_error ("powermap failed: %s", r.err);
  g_assert_cmpstr (r.err, ==, "");
  g_autofree char *json = read_text ("pa", "maps.json");
  g_assert_nonnull (strstr (json, "\"normalisation\" : \"n3d\""));

  g_autoptr (GError) error = NULL;
  g_autofree char *wav = path_in_dir ("ambi_n3d.wav");
  g_autoptr (AlAudio) audio = al_audio_read (wav, &error);
  g_assert_no_error (error);
  gsize n = (gsize) audio->nframes;
  g_autofree float *planar = g_new (float, 9 * n);
  for (gsize i = 0; i < n; i++)
    for (int c = 0; c < 9; c++)
      planar[c * n + i] = audio->data[i * 9 + c];
  AlShSignals b = al_sh_signals_float (planar, 9, n, FS, AL_SH_N3D);
  AlMapTrackOptions opt;
  al_map_track_options_init (&opt);
  opt.map.method = AL_MAP_MVDR;
  opt.grid = 1296;
  g_autoptr (AlMapTrack) mt = al_map_track_new (&b, &opt, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mt->nframes, ==, 39);
  assert_maps_equal ("pa", mt);
  /* MVDR at order 2 follows both sources in every frame: one track stays at
   * the static source, the other follows the sweep. */
  g_assert_cmpint (mt->ntracks, ==, 2);
  for (int t = 1; t <= 2; t++)
    {
      AlDoa d0;
      g_assert_true (al_map_track_point (mt, t, 0, &d0));
      gboolean fixed = al_localisation_error (AL_DEG2RAD (150), AL_DEG2RAD (-20), d0.azimuth, d0.elevation) < 10;
      double worst = 0;
      for (int f = 0; f < mt->nframes; f++)
        {
          AlDoa d;
          g_assert_true (al_map_track_point (mt, t, f, &d));
          double az = fixed ? 150 : -60 + 30 * mt->times[f], el = fixed ? -20 : 10;
          worst = MAX (worst, al_localisation_error (AL_DEG2RAD (az), AL_DEG2RAD (el), d.azimuth, d.elevation));
        }
      g_test_message ("MVDR order 2, %s source: largest error %.2f deg", fixed ? "static" : "moving", worst);
      /* Two sources in one 100 ms frame pull each other a little. */
      g_assert_cmpfloat (worst, <, 5);
    }

  /* No comment: SN3D, said once on stderr. */
  g_auto (Run) plain = { 0 };
  run_cli (&plain, "powermap", "--ambisonics", "--in", "ambi_plain.wav", "-o", "pp", NULL);
  g_assert_cmpint (plain.status, ==, 0);
  g_assert_nonnull (strstr (plain.err, "warning: ambi_plain.wav does not say its normalisation; assuming ACN, SN3D"));
  g_autofree char *pjson = read_text ("pp", "maps.json");
  g_assert_nonnull (strstr (pjson, "\"normalisation\" : \"sn3d\""));
}

static void
test_bad_input (void)
{
  setup_files ();
  g_auto (Run) missing = { 0 };
  run_cli (&missing, "powermap", "--encoder", "enc.json", "--in", "nope.wav", "-o", "bad", NULL);
  assert_one_line_error (&missing, "nope.wav");

  g_auto (Run) mismatch = { 0 };
  run_cli (&mismatch, "powermap", "--encoder", "enc.json", "--in", "nine.wav", "-o", "bad", NULL);
  assert_one_line_error (&mismatch, "nine.wav has 9 channels but the encoder expects 4 microphones");

  g_auto (Run) method = { 0 };
  run_cli (&method, "powermap", "--encoder", "enc.json", "--in", "mics.wav", "-o", "bad", "--method", "beam", NULL);
  assert_one_line_error (&method, "unknown power-map method “beam”");

  g_auto (Run) band = { 0 };
  run_cli (&band, "powermap", "--encoder", "enc.json", "--in", "mics.wav", "-o", "bad", "--band", "4000..200", NULL);
  assert_one_line_error (&band, "--band");
  g_assert_cmpint (band.status, ==, 2);

  g_auto (Run) neither = { 0 };
  run_cli (&neither, "powermap", "--in", "mics.wav", "-o", "bad", NULL);
  assert_one_line_error (&neither, "--encoder");

  g_auto (Run) music = { 0 };
  run_cli (&music, "powermap", "--encoder", "enc.json", "--in", "mics.wav", "-o", "bad", "--method", "music",
           "--peaks", "4", NULL);
  assert_one_line_error (&music, "MUSIC");

  g_auto (Run) order = { 0 };
  run_cli (&order, "powermap", "--ambisonics", "--in", "ambi_n3d.wav", "-o", "bad", "--grid", "100", NULL);
  assert_one_line_error (&order, "ambi_n3d.wav: a map grid of 100 directions is too coarse; at least 1296");
  /* Nothing was written for any of them. */
  g_autofree char *bad = path_in_dir ("bad");
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr (GDir) d = g_dir_open (path, 0, NULL);
      for (const char *name; d != NULL && (name = g_dir_read_name (d)) != NULL;)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  cli = g_getenv ("AMBILAB_CLI");
  if (cli == NULL)
    {
      g_test_skip ("AMBILAB_CLI not set");
      return 77;
    }
  g_autoptr (GError) error = NULL;
  dir = g_dir_make_tmp ("test-cli-powermap-XXXXXX", &error);
  g_assert_no_error (error);
  g_test_add_func ("/cli/powermap/encoder", test_encoder);
  g_test_add_func ("/cli/powermap/ambisonics", test_ambisonics);
  g_test_add_func ("/cli/powermap/bad-input", test_bad_input);
  int status = g_test_run ();
  if (g_getenv ("AL_TEST_KEEP") == NULL)
    remove_tree (dir);
  else
    g_printerr ("# files in %s\n", dir);
  g_free (dir);
  return status;
}
