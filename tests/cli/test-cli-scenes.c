/* test-cli-scenes.c — ambilab-cli evaluate, simulate and dataset end to
 * end: the files they write, the numbers against the library's own, the
 * scenes of evaluate --audio equal to simulate's, a resumed data set that
 * makes exactly the missing scene again, and one clear line for every kind
 * of bad input.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "eval/al-scene-eval.h"
#include "io/al-io.h"
#include "cli-test-util.h"

#define SCENES "count=3,seed=5,rooms=3x3x2.5..6x5x3,absorption=0.3..0.8,sources=1..2,duration=0.5,order=6"

static void
write_noise_clips (const char *folder, double fs, int n)
{
  g_autofree char *path = path_in_dir (folder);
  g_assert_cmpint (g_mkdir_with_parents (path, 0755), ==, 0);
  for (int k = 0; k < n; k++)
    {
      g_autoptr (AlAudio) a = al_audio_new (fs, 1, (gint64) (1.2 * fs));
      g_autoptr (GRand) rand = g_rand_new_with_seed (10 + k);
      for (gint64 i = 0; i < a->nframes; i++)
        a->data[i] = (float) g_rand_double_range (rand, -0.4, 0.4);
      g_autofree char *name = g_strdup_printf ("%s/noise-%d.wav", path, k);
      g_assert_true (al_audio_write (name, a, NULL));
    }
}

/* ATF set, two encoders and clips, made once for every test. */
static void
make_inputs (void)
{
  g_autofree char *sofa = path_in_dir ("a.sofa");
  if (g_file_test (sofa, G_FILE_TEST_EXISTS))
    return;
  g_auto (Run) sim = { 0 };
  run_cli (&sim, "array", "simulate", "--preset", "glasses5", "--grid", "fibonacci:400", "--ir-length", "256", "-o",
           "a.sofa", NULL);
  g_assert_cmpint (sim.status, ==, 0);
  const char *gains[] = { "10", "20" }, *names[] = { "ls10.json", "ls20.json" };
  for (int i = 0; i < 2; i++)
    {
      g_auto (Run) design = { 0 };
      run_cli (&design, "design", "--atf", "a.sofa", "--fir-length", "256", "--max-gain-db", gains[i], "--diffuse-eq",
               "-o", names[i], NULL);
      g_assert_cmpint (design.status, ==, 0);
    }
  write_noise_clips ("clips", 48000, 3);
}

static gboolean
read_file (const char *name, char **text, gsize *len)
{
  g_autofree char *p = path_in_dir (name);
  return g_file_get_contents (p, text, len, NULL);
}

static void
test_evaluate (void)
{
  make_inputs ();
  g_auto (Run) ev = { 0 };
  run_cli (&ev, "evaluate", "--atf", "a.sofa", "--encoders", "ls10.json,ls20.json", "--scenes", SCENES, "--clips",
           "clips", "--grid", "1296", "-o", "ev", NULL);
  if (ev.status != 0)
    g_error ("evaluate failed: %s", ev.err);
  g_assert_nonnull (strstr (ev.out, "3 scenes × 2 encoders"));

  static const char *files[] = { "ev/metrics.json", "ev/metrics_table.md", "ev/metrics_table.png",
                                 "ev/metrics_table.pdf", "ev/coherence_per_channel.png",
                                 "ev/coherence_per_channel.pdf", "ev/magnitude_error.png", "ev/magnitude_error.pdf",
                                 "ev/power_maps.png", "ev/power_maps.pdf" };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *p = path_in_dir (files[i]);
      g_assert_true (g_file_test (p, G_FILE_TEST_IS_REGULAR));
    }
  const char *csvs[] = { "ev/coherence_ls10.csv", "ev/coherence_ls20.csv", "ev/magnitude_error_ls10.csv",
                         "ev/magnitude_error_ls20.csv" };
  for (guint i = 0; i < G_N_ELEMENTS (csvs); i++)
    {
      g_autofree char *text = NULL;
      g_assert_true (read_file (csvs[i], &text, NULL));
      g_assert_true (g_str_has_prefix (text, "freq_hz,acn_0,acn_1,acn_2,acn_3\n"));
      g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
      g_assert_cmpint (g_strv_length (lines), ==, 385 + 2); /* 768-point STFT, header, final newline */
    }

  /* The numbers equal the library's for the same inputs. */
  g_autoptr (GError) error = NULL;
  g_autofree char *sofa = path_in_dir ("a.sofa");
  g_autoptr (AlAtfSet) atf = al_sofa_read (sofa, &error);
  g_assert_no_error (error);
  AlSceneEncoder *encs[2];
  const char *names[] = { "ls10", "ls20" };
  for (int i = 0; i < 2; i++)
    {
      g_autofree char *json = g_strdup_printf ("%s/%s.json", dir, names[i]);
      g_autoptr (AlEncoder) enc = al_encoder_load (json, &error);
      g_assert_no_error (error);
      encs[i] = al_scene_encoder_new_linear (enc, names[i]);
    }
  AlAudio *clips[3];
  const char *clip_names[] = { "noise-0.wav", "noise-1.wav", "noise-2.wav" };
  for (int k = 0; k < 3; k++)
    {
      g_autofree char *p = g_strdup_printf ("%s/clips/%s", dir, clip_names[k]);
      clips[k] = al_audio_read (p, &error);
      g_assert_no_error (error);
    }
  AlSceneSet set;
  al_scene_set_init (&set);
  g_assert_true (al_scene_set_parse (&set, SCENES, NULL));
  AlSceneEvalOptions opt;
  al_scene_eval_options_init (&opt);
  opt.map_grid = 1296;
  g_autoptr (AlSceneEval) lib = al_scene_evaluate (atf, encs, 2, &set, clips, clip_names, 3, &opt, NULL, &error);
  g_assert_no_error (error);
  g_autofree char *metrics = path_in_dir ("ev/metrics.json");
  g_autoptr (JsonNode) root = al_json_read (metrics, &error);
  g_assert_no_error (error);
  JsonArray *arr = json_object_get_array_member (json_node_get_object (root), "encoders");
  for (int e = 0; e < 2; e++)
    {
      JsonObject *o = json_array_get_object_element (arr, e);
      g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, names[e]);
      for (int m = 0; m < AL_SCENE_N_METRICS; m++)
        {
          JsonObject *st = json_object_get_object_member (o, al_scene_metric_key (m));
          const AlStat *ls = &lib->encoders[e].stats[m];
          g_assert_cmpfloat_with_epsilon (json_object_get_double_member (st, "mean"), ls->mean,
                                          1e-12 * MAX (1, fabs (ls->mean)));
          g_assert_cmpfloat_with_epsilon (json_object_get_double_member (st, "ci95"), ls->ci95,
                                          1e-12 * MAX (1, fabs (ls->ci95)));
          g_assert_cmpint (json_object_get_int_member (st, "n"), ==, 3);
        }
    }
  /* and the CSV's first band bin is the library's curve */
  g_autofree char *text = NULL;
  g_assert_true (read_file ("ev/coherence_ls20.csv", &text, NULL));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_auto (GStrv) cells = g_strsplit (lines[1 + 10], ",", -1);
  const AlSpectralMetric *coh = lib->encoders[1].coherence;
  g_assert_cmpfloat_with_epsilon (g_ascii_strtod (cells[0], NULL), coh->freqs[10], 1e-4);
  for (int c = 0; c < 4; c++)
    g_assert_cmpfloat_with_epsilon (g_ascii_strtod (cells[1 + c], NULL), coh->per_channel[c * coh->nbins + 10], 1e-8);

  /* Nothing is replaced without --overwrite. */
  g_auto (Run) again = { 0 };
  run_cli (&again, "evaluate", "--atf", "a.sofa", "--encoders", "ls10.json", "--scenes", SCENES, "--clips", "clips",
           "-o", "ev", NULL);
  assert_one_line_error (&again, "metrics.json exists");

  for (int i = 0; i < 2; i++)
    al_scene_encoder_free (encs[i]);
  for (int k = 0; k < 3; k++)
    al_audio_free (clips[k]);
}

static AlAudio *
read_audio (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *p = path_in_dir (name);
  AlAudio *a = al_audio_read (p, &error);
  if (a == NULL)
    g_error ("%s: %s", name, error->message);
  return a;
}

/* evaluate --audio: aligned files of the chosen scenes; scene 1 is the
 * scene simulate renders from the same spec (its first seed). */
static void
test_evaluate_audio (void)
{
  make_inputs ();
  g_auto (Run) ev = { 0 };
  run_cli (&ev, "evaluate", "--atf", "a.sofa", "--encoders", "ls10.json,ls20.json", "--scenes", SCENES, "--clips",
           "clips", "--grid", "1296", "--audio", "2,1", "--listen-azimuth", "80", "-o", "eva", NULL);
  if (ev.status != 0)
    g_error ("evaluate --audio failed: %s", ev.err);
  g_assert_nonnull (strstr (ev.out, "2 scenes to listen to"));
  static const struct {
    const char *suffix;
    int nch;
  } kinds[] = { { "mics", 5 }, { "truth", 4 }, { "ls10", 4 }, { "ls20", 4 }, { "listen_mics", 2 },
                { "listen_truth", 2 }, { "listen_ls10", 2 }, { "listen_ls20", 2 } };
  for (int s = 1; s <= 3; s++)
    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
      {
        g_autofree char *name = g_strdup_printf ("eva/audio/scene_%03d_%s.wav", s, kinds[k].suffix);
        g_autofree char *p = path_in_dir (name);
        if (s == 3)
          {
            g_assert_false (g_file_test (p, G_FILE_TEST_EXISTS));
            continue;
          }
        g_autoptr (AlAudio) a = read_audio (name);
        g_assert_cmpint (a->nchannels, ==, kinds[k].nch);
        g_assert_cmpint (a->nframes, ==, 24000);
        g_assert_cmpfloat (a->fs, ==, 48000);
      }
  /* The headphone takes share one gain: the loudest peaks at −1 dBFS. */
  double loudest = 0;
  for (guint k = 4; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autofree char *name = g_strdup_printf ("eva/audio/scene_001_%s.wav", kinds[k].suffix);
      g_autoptr (AlAudio) a = read_audio (name);
      for (gint64 i = 0; i < a->nframes * a->nchannels; i++)
        loudest = MAX (loudest, fabs (a->data[i]));
    }
  g_test_message ("scene 1: loudest headphone sample %.6f dBFS", 20 * log10 (loudest));
  g_assert_cmpfloat_with_epsilon (20 * log10 (loudest), -1, 1e-4);

  g_auto (Run) sim = { 0 };
  run_cli (&sim, "simulate", "--atf", "a.sofa", "--scenes", SCENES, "--clips", "clips", "--order", "1", "-o",
           "sim-scene1", NULL);
  if (sim.status != 0)
    g_error ("simulate failed: %s", sim.err);
  static const char *pairs[][2] = { { "eva/audio/scene_001_truth.wav", "sim-scene1/truth.wav" },
                                    { "eva/audio/scene_001_mics.wav", "sim-scene1/mics.wav" } };
  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autoptr (AlAudio) a = read_audio (pairs[i][0]);
      g_autoptr (AlAudio) b = read_audio (pairs[i][1]);
      g_assert_cmpint (a->nchannels, ==, b->nchannels);
      g_assert_cmpint (a->nframes, ==, b->nframes);
      g_assert_cmpmem (a->data, sizeof (float) * a->nframes * a->nchannels, b->data,
                       sizeof (float) * b->nframes * b->nchannels);
    }
  /* and scene 2 is another scene */
  g_autoptr (AlAudio) t1 = read_audio ("eva/audio/scene_001_truth.wav");
  g_autoptr (AlAudio) t2 = read_audio ("eva/audio/scene_002_truth.wav");
  g_assert_true (memcmp (t1->data, t2->data, sizeof (float) * t1->nframes * t1->nchannels) != 0);
  /* The comments say what each file is. */
  g_autoptr (GError) error = NULL;
  g_autofree char *enc = path_in_dir ("eva/audio/scene_002_ls20.wav");
  AlAudioReader *r = al_audio_reader_open (enc, &error);
  g_assert_no_error (error);
  g_autofree char *comment = al_audio_reader_comment (r);
  al_audio_reader_close (r);
  g_assert_nonnull (comment);
  if (!g_str_has_prefix (comment, "Ambisonics order 1, ACN, sn3d (encoder ls20 on scene 2")
      || strstr (comment, "samples removed") == NULL)
    g_error ("comment “%s”", comment);
  /* the glasses' default pair: the back temple mics, 4 and 5 counted from 1 */
  g_autofree char *take = path_in_dir ("eva/audio/scene_001_listen_mics.wav");
  r = al_audio_reader_open (take, &error);
  g_assert_no_error (error);
  g_autofree char *take_comment = al_audio_reader_comment (r);
  al_audio_reader_close (r);
  g_assert_nonnull (take_comment);
  if (strstr (take_comment, "mics 4 (left) and 5 (right)") == NULL)
    g_error ("comment “%s”", take_comment);

  /* Files of an earlier run are not replaced without --overwrite, even when
   * metrics.json is gone; with it they are. */
  g_autofree char *metrics = path_in_dir ("eva/metrics.json");
  g_assert_cmpint (g_unlink (metrics), ==, 0);
  g_auto (Run) again = { 0 };
  run_cli (&again, "evaluate", "--atf", "a.sofa", "--encoders", "ls10.json,ls20.json", "--scenes", SCENES,
           "--clips", "clips", "--audio", "1", "-o", "eva", NULL);
  assert_one_line_error (&again, "scene_001_mics.wav exists; add --overwrite");
  g_assert_false (g_file_test (metrics, G_FILE_TEST_EXISTS));
}

/* Bad --audio and --listen-* values: usage errors, one line, before any work. */
static void
test_evaluate_audio_bad (void)
{
  make_inputs ();
  static const struct {
    const char *option, *value, *needle;
  } bad[] = {
    { "--audio", "4", "scene 4 does not exist, the set has 3 scenes (1 to 3)" },
    { "--audio", "1,2-5", "scene 5 does not exist" },
    { "--audio", "0", "scenes are numbered from 1" },
    { "--audio", "3-2", "the range “3-2” runs backwards" },
    { "--audio", "1,x", "“x” is not a scene number or range" },
    { "--audio", "1,", "“” is not a scene number or range" },
    { "--listen-mics", "1,9", "--listen-mics 1,9: a.sofa has 5 microphones" },
    { "--listen-mics", "4", "--listen-mics “4”: two microphone numbers" },
    { "--listen-azimuth", "400", "--listen-azimuth 400" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto (Run) r = { 0 };
      const gboolean is_audio = strcmp (bad[i].option, "--audio") == 0;
      run_cli (&r, "evaluate", "--atf", "a.sofa", "--encoders", "ls10.json", "--scenes", SCENES, "--clips", "clips",
               "-o", "bad-audio", bad[i].option, bad[i].value, "--audio", is_audio ? bad[i].value : "1", NULL);
      assert_one_line_error (&r, bad[i].needle);
      g_assert_cmpint (r.status, ==, 2);
    }
  g_auto (Run) alone = { 0 };
  run_cli (&alone, "evaluate", "--atf", "a.sofa", "--encoders", "ls10.json", "--scenes", SCENES, "--clips", "clips",
           "-o", "bad-audio", "--listen-azimuth", "30", NULL);
  assert_one_line_error (&alone, "--listen-azimuth goes with --audio");
  g_assert_cmpint (alone.status, ==, 2);
  g_autofree char *out = path_in_dir ("bad-audio");
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_auto (Run) help = { 0 };
  run_cli (&help, "evaluate", "--help", NULL);
  g_assert_nonnull (strstr (help.out, "--audio=SCENES"));
  g_assert_nonnull (strstr (help.out, "--listen-mics=L,R"));
}

static void
test_simulate (void)
{
  make_inputs ();
  g_auto (Run) sim = { 0 };
  run_cli (&sim, "simulate", "--atf", "a.sofa", "--scenes", SCENES, "--seed", "42", "--clips", "clips", "--order", "2",
           "-o", "sim", NULL);
  if (sim.status != 0)
    g_error ("simulate failed: %s", sim.err);
  g_autoptr (GError) error = NULL;
  g_autofree char *mics = path_in_dir ("sim/mics.wav");
  g_autofree char *truth = path_in_dir ("sim/truth.wav");
  g_autoptr (AlAudio) m = al_audio_read (mics, &error);
  g_assert_no_error (error);
  g_autoptr (AlAudio) t = al_audio_read (truth, &error);
  g_assert_no_error (error);
  g_assert_cmpint (m->nchannels, ==, 5);
  g_assert_cmpint (t->nchannels, ==, 9);
  g_assert_cmpint (m->nframes, ==, 24000);
  g_assert_cmpint (t->nframes, ==, 24000);
  AlAudioReader *r = al_audio_reader_open (truth, &error);
  g_assert_no_error (error);
  g_autofree char *comment = al_audio_reader_comment (r);
  al_audio_reader_close (r);
  g_assert_nonnull (comment);
  g_assert_nonnull (strstr (comment, "Ambisonics order 2, ACN, sn3d"));
  g_autofree char *json = path_in_dir ("sim/scene.json");
  g_autoptr (JsonNode) node = al_json_read (json, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "seed"), ==, 42);

  /* The scene JSON renders the same signals again. */
  g_auto (Run) again = { 0 };
  run_cli (&again, "simulate", "--atf", "a.sofa", "--scene", "sim/scene.json", "--clips", "clips", "--order", "2",
           "-o", "sim2", NULL);
  if (again.status != 0)
    g_error ("simulate --scene failed: %s", again.err);
  g_autofree char *a = NULL, *b = NULL;
  gsize la, lb;
  g_assert_true (read_file ("sim/mics.wav", &a, &la));
  g_assert_true (read_file ("sim2/mics.wav", &b, &lb));
  g_assert_cmpmem (a, la, b, lb);
}

static guint64
inode_of (const char *name)
{
  g_autofree char *p = path_in_dir (name);
  GStatBuf st;
  g_assert_cmpint (g_stat (p, &st), ==, 0);
  return st.st_ino;
}

static void
test_dataset_resume (void)
{
  make_inputs ();
  g_auto (Run) ds = { 0 };
  run_cli (&ds, "dataset", "--atf", "a.sofa", "--scenes", SCENES, "--count", "5", "--shard-size", "2", "--clips",
           "clips", "-o", "ds", NULL);
  if (ds.status != 0)
    g_error ("dataset failed: %s", ds.err);
  g_assert_nonnull (strstr (ds.out, "5 scenes made, 0 already there"));
  static const char *kinds[] = { "mics.wav", "truth.wav", "scene.json" };
  guint64 inodes[5][3];
  for (int i = 0; i < 5; i++)
    for (int k = 0; k < 3; k++)
      {
        g_autofree char *name = g_strdup_printf ("ds/shard-%04d/scene-%06d.%s", i / 2, i, kinds[k]);
        inodes[i][k] = inode_of (name);
      }
  g_autoptr (GError) error = NULL;
  g_autofree char *manifest = path_in_dir ("ds/manifest.json");
  g_autoptr (JsonNode) root = al_json_read (manifest, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (json_node_get_object (root), "done")), ==, 5);

  /* The last scene of the first shard goes missing. */
  g_autofree char *before = NULL, *before_truth = NULL;
  gsize len, len_truth;
  g_assert_true (read_file ("ds/shard-0000/scene-000001.mics.wav", &before, &len));
  g_assert_true (read_file ("ds/shard-0000/scene-000001.truth.wav", &before_truth, &len_truth));
  for (int k = 0; k < 3; k++)
    {
      g_autofree char *p = g_strdup_printf ("%s/ds/shard-0000/scene-000001.%s", dir, kinds[k]);
      g_assert_cmpint (g_unlink (p), ==, 0);
    }
  g_auto (Run) resume = { 0 };
  run_cli (&resume, "dataset", "--atf", "a.sofa", "--scenes", SCENES, "--count", "5", "--shard-size", "2", "--clips",
           "clips", "-o", "ds", NULL);
  if (resume.status != 0)
    g_error ("dataset resume failed: %s", resume.err);
  g_assert_nonnull (strstr (resume.out, "1 scenes made, 4 already there"));
  g_autofree char *after = NULL, *after_truth = NULL;
  gsize len2, len2_truth;
  g_assert_true (read_file ("ds/shard-0000/scene-000001.mics.wav", &after, &len2));
  g_assert_true (read_file ("ds/shard-0000/scene-000001.truth.wav", &after_truth, &len2_truth));
  g_assert_cmpmem (before, len, after, len2);
  g_assert_cmpmem (before_truth, len_truth, after_truth, len2_truth);
  /* nothing else was touched (an atomic rewrite would change the inode) */
  for (int i = 0; i < 5; i++)
    for (int k = 0; k < 3; k++)
      if (i != 1)
        {
          g_autofree char *name = g_strdup_printf ("ds/shard-%04d/scene-%06d.%s", i / 2, i, kinds[k]);
          g_assert_cmpuint (inode_of (name), ==, inodes[i][k]);
        }

  /* Other settings in the same folder are refused. */
  g_auto (Run) other = { 0 };
  run_cli (&other, "dataset", "--atf", "a.sofa", "--scenes", SCENES ",absorption=0.5", "--count", "5",
           "--shard-size", "2", "--clips", "clips", "-o", "ds", NULL);
  assert_one_line_error (&other, "other scenes");
}

static void
test_bad_input (void)
{
  make_inputs ();
  write_noise_clips ("clips44", 44100, 1);
  g_autofree char *empty = path_in_dir ("empty");
  g_assert_cmpint (g_mkdir_with_parents (empty, 0755), ==, 0);

  g_auto (Run) rate = { 0 };
  run_cli (&rate, "evaluate", "--atf", "a.sofa", "--encoders", "ls10.json", "--scenes", SCENES, "--clips", "clips44",
           "-o", "bad", NULL);
  assert_one_line_error (&rate, "is at 44100 Hz but a.sofa is at 48000 Hz");

  g_auto (Run) none = { 0 };
  run_cli (&none, "simulate", "--atf", "a.sofa", "--scenes", SCENES, "--clips", "empty", "-o", "bad", NULL);
  assert_one_line_error (&none, "no audio files");

  g_auto (Run) missing = { 0 };
  run_cli (&missing, "dataset", "--atf", "a.sofa", "--scenes", SCENES, "--clips", "nowhere", "-o", "bad", NULL);
  assert_one_line_error (&missing, "nowhere: no such folder");

  g_auto (Run) enc = { 0 };
  run_cli (&enc, "evaluate", "--atf", "a.sofa", "--encoders", "ls10.json,nope.json", "--scenes", SCENES, "--clips",
           "clips", "-o", "bad", NULL);
  assert_one_line_error (&enc, "nope.json: no such encoder file");

  g_auto (Run) key = { 0 };
  run_cli (&key, "evaluate", "--atf", "a.sofa", "--encoders", "ls10.json", "--scenes", "count=5,colour=red",
           "--clips", "clips", "-o", "bad", NULL);
  assert_one_line_error (&key, "unknown key “colour”");

  g_auto (Run) rooms = { 0 };
  run_cli (&rooms, "dataset", "--atf", "a.sofa", "--scenes", "rooms=3x3..4x4x4", "--clips", "clips", "-o", "bad",
           NULL);
  assert_one_line_error (&rooms, "“rooms=3x3..4x4x4”");

  /* A scene whose source lies outside its room. */
  g_auto (Run) sim = { 0 };
  run_cli (&sim, "simulate", "--atf", "a.sofa", "--scenes", SCENES, "--clips", "clips", "-o", "out-scene", NULL);
  g_assert_cmpint (sim.status, ==, 0);
  g_autoptr (GError) error = NULL;
  g_autofree char *json = path_in_dir ("out-scene/scene.json");
  g_autoptr (JsonNode) node = al_json_read (json, &error);
  g_assert_no_error (error);
  JsonObject *src = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (node), "sources"), 0);
  JsonArray *pos = json_array_new ();
  for (int d = 0; d < 3; d++)
    json_array_add_double_element (pos, 50.0);
  json_object_set_array_member (src, "position", pos);
  g_autofree char *moved = path_in_dir ("outside.json");
  g_assert_true (al_json_write (moved, node, &error));
  g_auto (Run) outside = { 0 };
  run_cli (&outside, "simulate", "--atf", "a.sofa", "--scene", "outside.json", "--clips", "clips", "-o", "bad",
           NULL);
  assert_one_line_error (&outside, "outside");
  g_assert_nonnull (strstr (outside.err, "outside.json"));

  /* Every new command explains itself. */
  static const char *commands[] = { "evaluate", "simulate", "dataset" };
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto (Run) r = { 0 };
      run_cli (&r, commands[i], "--help", NULL);
      g_assert_cmpint (r.status, ==, 0);
      g_autofree char *usage = g_strdup_printf ("ambilab-cli %s [OPTION", commands[i]);
      g_assert_nonnull (strstr (r.out, usage));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  cli = g_getenv ("AMBILAB_CLI");
  g_assert_nonnull (cli);
  dir = g_dir_make_tmp ("ambilab-cli-scenes-XXXXXX", NULL);
  g_test_add_func ("/cli-scenes/evaluate", test_evaluate);
  g_test_add_func ("/cli-scenes/evaluate-audio", test_evaluate_audio);
  g_test_add_func ("/cli-scenes/evaluate-audio-bad", test_evaluate_audio_bad);
  g_test_add_func ("/cli-scenes/simulate", test_simulate);
  g_test_add_func ("/cli-scenes/dataset-resume", test_dataset_resume);
  g_test_add_func ("/cli-scenes/bad-input", test_bad_input);
  int status = g_test_run ();
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  if (system (cmd) != 0)
    g_printerr ("could not remove %s\n", dir);
  g_free (dir);
  return status;
}
