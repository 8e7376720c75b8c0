/* test-cli.c — ambilab-cli end to end: simulate → design → evaluate →
 * encode, the numbers it writes against the library's own, and one clear
 * line for every kind of bad input.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "eval/al-eval.h"
#include "io/al-io.h"
#include "cli-test-util.h"


static void
test_pipeline (void)
{
  g_auto (Run) sim = { 0 };
  run_cli (&sim, "array", "simulate", "--model", "rigid-sphere", "--radius", "0.05", "--mics",
           "0,0;90,0;180,0;270,0;0,90", "--grid", "fibonacci:300", "--ir-length", "128", "-o", "a.sofa", NULL);
  g_assert_cmpint (sim.status, ==, 0);

  g_auto (Run) info = { 0 };
  run_cli (&info, "info", "a.sofa", NULL);
  g_assert_cmpint (info.status, ==, 0);
  g_assert_nonnull (strstr (info.out, "300"));

  g_auto (Run) design = { 0 };
  run_cli (&design, "design", "--atf", "a.sofa", "--order", "1", "--max-gain-db", "20", "--fir-length", "256",
           "--diffuse-eq", "-o", "enc.json", NULL);
  g_assert_cmpint (design.status, ==, 0);
  static const char *written[] = { "enc.json", "enc.wav", "enc.conf" };
  for (guint i = 0; i < G_N_ELEMENTS (written); i++)
    {
      g_autofree char *p = path_in_dir (written[i]);
      g_assert_true (g_file_test (p, G_FILE_TEST_IS_REGULAR));
    }

  g_auto (Run) ev = { 0 };
  run_cli (&ev, "evaluate-encoder", "--atf", "a.sofa", "--encoder", "enc.json", "-o", "ev", NULL);
  g_assert_cmpint (ev.status, ==, 0);

  /* The metrics the CLI wrote equal the library's for the same files. */
  g_autofree char *sofa = path_in_dir ("a.sofa");
  g_autofree char *json = path_in_dir ("enc.json");
  g_autoptr (GError) error = NULL;
  g_autoptr (AlAtfSet) set = al_sofa_read (sofa, &error);
  g_assert_no_error (error);
  g_autoptr (AlEncoder) enc = al_encoder_load (json, &error);
  g_assert_no_error (error);
  g_autoptr (AlEncoderEval) lib = al_encoder_evaluate (enc, set, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_autofree char *metrics = path_in_dir ("ev/metrics.json");
  g_autoptr (JsonNode) root = al_json_read (metrics, &error);
  g_assert_no_error (error);
  JsonObject *o = json_node_get_object (root);
  JsonArray *corr = json_object_get_array_member (o, "spatial_correlation_mean");
  for (int n = 0; n <= 1; n++)
    g_assert_cmpfloat_with_epsilon (json_array_get_double_element (corr, n), al_encoder_eval_mean_corr (lib, n),
                                    1e-12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "directional_gain_consistency_db"), lib->dgc,
                                  1e-12);
  /* Below its aliasing frequency (c/(2π·5 cm) ≈ 1.1 kHz) this order-1
   * design is well posed: at 500 Hz the dipoles are nearly ideal. */
  int b500 = 0;
  while (b500 < lib->nbins - 1 && lib->freqs[b500] < 500)
    b500++;
  g_assert_cmpfloat (lib->spatial_corr[b500 * 2 + 1], >, 0.95);

  g_autofree char *csv = path_in_dir ("ev/spatial_correlation.csv");
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "freq_hz,order_0,order_1\n"));

  /* Encoding a 5-channel recording gives 4 AmbiX channels of the same length. */
  g_autoptr (AlAudio) mics = al_audio_new (48000, 5, 4800);
  for (gint64 i = 0; i < 4800 * 5; i++)
    mics->data[i] = (float) sin (0.01 * i);
  g_autofree char *mics_path = path_in_dir ("mics.wav");
  g_assert_true (al_audio_write (mics_path, mics, NULL));
  g_auto (Run) encode = { 0 };
  run_cli (&encode, "encode", "--encoder", "enc.json", "--in", "mics.wav", "-o", "ambi.wav", NULL);
  g_assert_cmpint (encode.status, ==, 0);
  g_autofree char *ambi_path = path_in_dir ("ambi.wav");
  g_autoptr (AlAudio) ambi = al_audio_read (ambi_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ambi->nchannels, ==, 4);
  g_assert_cmpint (ambi->nframes, ==, 4800);
}

/* Every command explains itself; the build ships the demo array. */
static void
test_help_and_demo_array (void)
{
  static const char *commands[] = { "info", "design", "evaluate-encoder", "encode", "demo" };
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto (Run) r = { 0 };
      run_cli (&r, commands[i], "--help", NULL);
      g_assert_cmpint (r.status, ==, 0);
      g_autofree char *usage = g_strdup_printf ("ambilab-cli %s [OPTION", commands[i]);
      g_assert_nonnull (strstr (r.out, usage));
    }
  g_auto (Run) sim = { 0 };
  run_cli (&sim, "array", "simulate", "--help", NULL);
  g_assert_cmpint (sim.status, ==, 0);
  g_assert_nonnull (strstr (sim.out, "--preset"));

  g_autofree char *demo = g_build_filename (g_getenv ("AL_TEST_BUILDDIR"), "resources", "glasses5.sofa", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlAtfSet) set = al_sofa_read (demo, &error);
  g_assert_no_error (error);
  g_assert_cmpint (set->ndirs, >=, 1000);
  g_assert_cmpint (set->nmics, ==, 5);
  /* nose-bridge mic at (0°, 20°) on the 8.75 cm sphere */
  g_assert_cmpfloat_with_epsilon (set->mic_pos[0], 0.0875 * cos (G_PI / 9), 1e-9);
  g_assert_cmpfloat_with_epsilon (set->mic_pos[2], 0.0875 * sin (G_PI / 9), 1e-9);
}

/* The files the error cases work on, made here so every test can run alone. */
static void
make_inputs (void)
{
  g_autofree char *sofa = path_in_dir ("in.sofa");
  if (g_file_test (sofa, G_FILE_TEST_EXISTS))
    return;
  g_auto (Run) sim = { 0 };
  run_cli (&sim, "array", "simulate", "--preset", "glasses5", "--grid", "fibonacci:200", "--ir-length", "128",
           "-o", "in.sofa", NULL);
  g_assert_cmpint (sim.status, ==, 0);
  g_auto (Run) design = { 0 };
  run_cli (&design, "design", "--atf", "in.sofa", "--fir-length", "256", "-o", "in.json", NULL);
  g_assert_cmpint (design.status, ==, 0);
}

static void
test_bad_input (void)
{
  make_inputs ();
  g_auto (Run) none = { 0 };
  run_cli (&none, NULL);
  g_assert_cmpint (none.status, ==, 2);
  g_auto (Run) bogus = { 0 };
  run_cli (&bogus, "design", "--bogus", NULL);
  g_assert_cmpint (bogus.status, ==, 2);
  g_auto (Run) nofile = { 0 };
  run_cli (&nofile, "info", NULL);
  g_assert_cmpint (nofile.status, ==, 2);
  g_auto (Run) preset_radius = { 0 };
  run_cli (&preset_radius, "array", "simulate", "--preset", "glasses5", "--radius", "0.5", "-o", "r.sofa", NULL);
  g_assert_cmpint (preset_radius.status, ==, 2);
  g_auto (Run) band = { 0 };
  run_cli (&band, "evaluate-encoder", "--atf", "in.sofa", "--encoder", "in.json", "--band-low", "5000",
           "--band-high", "1000", "-o", "evbad", NULL);
  assert_one_line_error (&band, "is empty");

  g_auto (Run) missing = { 0 };
  run_cli (&missing, "design", "--atf", "missing.sofa", "-o", "x.json", NULL);
  assert_one_line_error (&missing, "missing.sofa");

  /* a truncated SOFA file */
  g_autofree char *sofa = path_in_dir ("in.sofa");
  g_autofree char *cut = path_in_dir ("cut.sofa");
  g_autofree char *data = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (sofa, &data, &len, NULL));
  g_assert_true (g_file_set_contents (cut, data, (gssize) (len / 3), NULL));
  g_auto (Run) trunc = { 0 };
  run_cli (&trunc, "design", "--atf", "cut.sofa", "-o", "x.json", NULL);
  assert_one_line_error (&trunc, "cut.sofa");

  /* not a SOFA file at all */
  g_autofree char *text = path_in_dir ("text.sofa");
  g_assert_true (g_file_set_contents (text, "hello\n", -1, NULL));
  g_auto (Run) notsofa = { 0 };
  run_cli (&notsofa, "info", "text.sofa", NULL);
  assert_one_line_error (&notsofa, "text.sofa");

  g_auto (Run) order = { 0 };
  run_cli (&order, "design", "--atf", "in.sofa", "--order", "3", "-o", "x.json", NULL);
  assert_one_line_error (&order, "order 3");

  g_autoptr (AlAudio) three = al_audio_new (48000, 3, 480);
  g_autofree char *three_path = path_in_dir ("three.wav");
  g_assert_true (al_audio_write (three_path, three, NULL));
  g_auto (Run) channels = { 0 };
  run_cli (&channels, "encode", "--encoder", "in.json", "--in", "three.wav", "-o", "y.wav", NULL);
  assert_one_line_error (&channels, "three.wav has 3 channels");
  g_autofree char *y = path_in_dir ("y.wav");
  g_assert_false (g_file_test (y, G_FILE_TEST_EXISTS));

  g_autoptr (AlAudio) slow = al_audio_new (44100, 5, 441);
  g_autofree char *slow_path = path_in_dir ("slow.wav");
  g_assert_true (al_audio_write (slow_path, slow, NULL));
  g_auto (Run) rate = { 0 };
  run_cli (&rate, "encode", "--encoder", "in.json", "--in", "slow.wav", "-o", "y.wav", NULL);
  assert_one_line_error (&rate, "44100 Hz");

  g_auto (Run) unwritable = { 0 };
  run_cli (&unwritable, "design", "--atf", "in.sofa", "-o", "no/such/dir/x.json", NULL);
  assert_one_line_error (&unwritable, "no/such/dir");

  /* What the user made is not replaced unless asked. */
  g_autofree char *json = path_in_dir ("in.json");
  g_autofree char *before = NULL;
  g_assert_true (g_file_get_contents (json, &before, NULL, NULL));
  g_auto (Run) exists = { 0 };
  run_cli (&exists, "design", "--atf", "in.sofa", "--max-gain-db", "5", "-o", "in.json", NULL);
  assert_one_line_error (&exists, "in.json exists");
  g_autofree char *after = NULL;
  g_assert_true (g_file_get_contents (json, &after, NULL, NULL));
  g_assert_cmpstr (before, ==, after);
  g_auto (Run) replaced = { 0 };
  run_cli (&replaced, "design", "--atf", "in.sofa", "--max-gain-db", "5", "--fir-length", "256", "--overwrite", "-o",
           "in.json", NULL);
  g_assert_cmpint (replaced.status, ==, 0);
  g_autoptr (AlEncoder) enc5 = al_encoder_load (json, NULL);
  g_assert_cmpfloat (enc5->params.max_gain_db, ==, 5);

  g_auto (Run) unknown = { 0 };
  run_cli (&unknown, "design", "--atf", "in.sofa", "--method", "magic", "-o", "x.json", NULL);
  assert_one_line_error (&unknown, "magic");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  cli = g_getenv ("AMBILAB_CLI");
  g_assert_nonnull (cli);
  dir = g_dir_make_tmp ("ambilab-cli-XXXXXX", NULL);
  g_test_add_func ("/cli/pipeline", test_pipeline);
  g_test_add_func ("/cli/bad-input", test_bad_input);
  g_test_add_func ("/cli/help-and-demo-array", test_help_and_demo_array);
  int status = g_test_run ();
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  if (system (cmd) != 0)
    g_printerr ("could not remove %s\n", dir);
  g_free (dir);
  return status;
}
