/* test-sim-scene.c — scenes: seeded random generation (same seed →
 * bit-identical scene and signals whatever the thread count, different
 * seeds differ, draws inside their ranges, durations drawn from a range
 * while fixed durations draw exactly what they drew before ranges
 * existed), JSON round trip and files, noise at the asked SNRs, output
 * lengths, and errors with clear messages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-sim.h"
#include "al-test-arrays.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

static const double fs = 48000;

typedef struct {
  AlAudio *clips[3];
  const char *names[3];
  AlAtfSet *set;
} Fixture;

static AlAudio *
noise_clip (guint32 seed, double seconds, double rate, int nchannels)
{
  AlAudio *a = al_audio_new (rate, nchannels, (gint64) (seconds * rate));
  GRand *rand = g_rand_new_with_seed (seed);

  for (gint64 k = 0; k < a->nframes * nchannels; k++)
    a->data[k] = (float) g_rand_double_range (rand, -0.5, 0.5);
  g_rand_free (rand);
  return a;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (AlGrid) grid = al_grid_fibonacci (256);

  for (int k = 0; k < 3; k++)
    f->clips[k] = noise_clip (10 + k, 0.5 + 0.25 * k, fs, 1 + k % 2);
  f->names[0] = "a.wav";
  f->names[1] = "b.wav";
  f->names[2] = "c.wav";
  /* order-1 SH patterns as a 4-mic array: mic signals equal the N3D truth */
  f->set = al_test_sh_array (1, grid, 32, 4, fs);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  for (int k = 0; k < 3; k++)
    al_audio_free (f->clips[k]);
  al_atf_set_free (f->set);
}

static AlSimArray *
make_array (const AlAtfSet *set, int nthreads, AlShNorm norm)
{
  AlSimArrayOptions opt;
  g_autoptr (GError) error = NULL;

  al_sim_array_options_init (&opt);
  opt.nthreads = nthreads;
  opt.sh_norm = norm;
  AlSimArray *arr = al_sim_array_new (set, &opt, &error);
  g_assert_no_error (error);
  return arr;
}

static void
short_spec (AlSimRandomSpec *spec)
{
  al_sim_random_spec_init (spec);
  spec->duration_min = spec->duration_max = 0.25;
  spec->max_order = 20;
  spec->diffuse_snr_min = 5;
  spec->diffuse_snr_max = 20;
  spec->sensor_snr_min = 30;
  spec->sensor_snr_max = 40;
  spec->absorption_per_wall = TRUE;
}

static char *
scene_json (const AlSimScene *scene)
{
  g_autoptr (JsonNode) node = al_sim_scene_to_json (scene);
  return json_to_string (node, FALSE);
}

static gboolean
same_signals (const AlSimResult *a, const AlSimResult *b)
{
  return a->nframes == b->nframes && a->nmics == b->nmics && a->nsh == b->nsh
         && memcmp (a->mic, b->mic, sizeof (float) * a->nmics * a->nframes) == 0
         && memcmp (a->sh, b->sh, sizeof (float) * a->nsh * a->nframes) == 0;
}

/* Same seed → the same JSON and bit-identical signals, rendered with 1 and
 * with 2 threads; another seed → another scene and other signals. */
static void
test_seeded (Fixture *f, gconstpointer data)
{
  AlSimRandomSpec spec;
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSimArray) arr1 = make_array (f->set, 1, AL_SH_SN3D);
  g_autoptr (AlSimArray) arr2 = make_array (f->set, 2, AL_SH_SN3D);

  short_spec (&spec);
  g_autoptr (AlSimScene) a = al_sim_scene_random (&spec, 1234, fs, f->clips, f->names, 3, &error);
  g_assert_no_error (error);
  g_autoptr (AlSimScene) b = al_sim_scene_random (&spec, 1234, fs, f->clips, f->names, 3, &error);
  g_assert_no_error (error);
  g_autoptr (AlSimScene) c = al_sim_scene_random (&spec, 1235, fs, f->clips, f->names, 3, &error);
  g_assert_no_error (error);
  g_autofree char *ja = scene_json (a), *jb = scene_json (b), *jc = scene_json (c);
  g_assert_cmpstr (ja, ==, jb);
  g_assert_cmpstr (ja, !=, jc);
  g_assert_cmpint (a->seed, ==, 1234);

  g_autoptr (AlSimResult) ra = al_sim_render (arr1, a, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (AlSimResult) rb = al_sim_render (arr2, b, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (AlSimResult) rc = al_sim_render (arr2, c, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ra->nframes, ==, 12000);
  g_assert_true (same_signals (ra, rb));
  g_assert_false (same_signals (ra, rc));
}

/* Twenty seeds: every draw inside its range, sources and array clear of the walls. */
static void
test_ranges (Fixture *f, gconstpointer data)
{
  AlSimRandomSpec spec;
  int counts[4] = { 0 };

  short_spec (&spec);
  spec.nsources_min = 1;
  spec.nsources_max = 3;
  for (guint32 seed = 1; seed <= 20; seed++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (AlSimScene) s = al_sim_scene_random (&spec, seed, fs, f->clips, f->names, 3, &error);
      g_assert_no_error (error);
      g_assert_true (al_sim_scene_validate (s, fs, &error));
      g_assert_cmpint (s->nsources, >=, 1);
      g_assert_cmpint (s->nsources, <=, 3);
      counts[s->nsources]++;
      for (int d = 0; d < 3; d++)
        {
          g_assert_cmpfloat (s->room.size[d], >=, spec.room_min[d]);
          g_assert_cmpfloat (s->room.size[d], <=, spec.room_max[d]);
          g_assert_cmpfloat (s->array_pos[d], >=, spec.wall_clearance);
          g_assert_cmpfloat (s->array_pos[d], <=, s->room.size[d] - spec.wall_clearance);
        }
      for (int w = 0; w < 6; w++)
        {
          g_assert_cmpfloat (s->room.absorption[w], >=, spec.absorption_min);
          g_assert_cmpfloat (s->room.absorption[w], <=, spec.absorption_max);
        }
      g_assert_cmpfloat (fabs (s->array_rot.yaw), <=, G_PI);
      g_assert_cmpfloat (s->diffuse_snr_db, >=, 5);
      g_assert_cmpfloat (s->diffuse_snr_db, <=, 20);
      g_assert_cmpfloat (s->sensor_snr_db, >=, 30);
      g_assert_cmpfloat (s->sensor_snr_db, <=, 40);
      for (int k = 0; k < s->nsources; k++)
        {
          const AlSimSource *src = &s->sources[k];
          double d2 = 0;
          for (int d = 0; d < 3; d++)
            {
              g_assert_cmpfloat (src->pos[d], >=, spec.wall_clearance);
              g_assert_cmpfloat (src->pos[d], <=, s->room.size[d] - spec.wall_clearance);
              d2 += (src->pos[d] - s->array_pos[d]) * (src->pos[d] - s->array_pos[d]);
            }
          g_assert_cmpfloat (sqrt (d2), >=, spec.min_source_distance);
          g_assert_cmpint (src->clip, >=, 0);
          g_assert_cmpint (src->clip, <, 3);
          g_assert_true (src->audio == f->clips[src->clip]);
          g_assert_cmpstr (src->name, ==, f->names[src->clip]);
          g_assert_cmpint (src->offset + (gint64) (0.25 * fs), <=, src->audio->nframes);
          g_assert_cmpfloat (src->gain_db, >=, spec.gain_db_min);
          g_assert_cmpfloat (src->gain_db, <=, spec.gain_db_max);
        }
    }
  /* every source count occurs */
  g_assert_cmpint (counts[1], >, 0);
  g_assert_cmpint (counts[2], >, 0);
  g_assert_cmpint (counts[3], >, 0);
}

/* to_json → text → from_json → to_json is the identity, the parsed scene
 * renders bit-identically, and the files written next to each other read back. */
static void
test_json_files (Fixture *f, gconstpointer data)
{
  AlSimRandomSpec spec;
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSimArray) arr = make_array (f->set, 0, AL_SH_SN3D);

  short_spec (&spec);
  spec.max_rand_disp = 0.05;
  g_autoptr (AlSimScene) a = al_sim_scene_random (&spec, 99, fs, f->clips, f->names, 3, &error);
  g_assert_no_error (error);
  g_autofree char *text = scene_json (a);
  g_autoptr (JsonNode) node = json_from_string (text, &error);
  g_assert_no_error (error);
  g_autoptr (AlSimScene) b = al_sim_scene_from_json (node, f->clips, 3, &error);
  g_assert_no_error (error);
  g_autofree char *text2 = scene_json (b);
  g_assert_cmpstr (text, ==, text2);

  g_autoptr (AlSimResult) ra = al_sim_render (arr, a, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (AlSimResult) rb = al_sim_render (arr, b, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (same_signals (ra, rb));

  g_autofree char *dir = g_dir_make_tmp ("al-sim-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *jpath = g_build_filename (dir, "scene-00099.json", NULL);
  g_autofree char *mpath = g_build_filename (dir, "scene-00099-mic.wav", NULL);
  g_autofree char *spath = g_build_filename (dir, "scene-00099-sh.wav", NULL);
  g_autoptr (JsonNode) out = al_sim_scene_to_json (a);
  g_autoptr (AlAudio) mic = al_sim_result_mic_audio (ra);
  g_autoptr (AlAudio) sh = al_sim_result_sh_audio (ra);
  g_assert_true (al_json_write (jpath, out, &error));
  g_assert_true (al_audio_write (mpath, mic, &error));
  g_assert_true (al_audio_write (spath, sh, &error));
  g_assert_no_error (error);
  g_autoptr (JsonNode) back = al_json_read (jpath, &error);
  g_assert_no_error (error);
  g_autoptr (AlSimScene) c = al_sim_scene_from_json (back, f->clips, 3, &error);
  g_assert_no_error (error);
  g_autofree char *text3 = scene_json (c);
  g_assert_cmpstr (text, ==, text3);
  g_autoptr (AlAudio) mic2 = al_audio_read (mpath, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mic2->nchannels, ==, 4);
  g_assert_cmpint (mic2->nframes, ==, ra->nframes);
  g_assert_cmpmem (mic2->data, sizeof (float) * 4 * mic2->nframes, mic->data,
                   sizeof (float) * 4 * mic->nframes);
  g_remove (jpath);
  g_remove (mpath);
  g_remove (spath);
  g_rmdir (dir);
}

static double
power (const float *x, gsize n)
{
  double p = 0;
  for (gsize k = 0; k < n; k++)
    p += (double) x[k] * x[k];
  return p / n;
}

static AlSimScene *
fixed_scene (const Fixture *f)
{
  AlSimRoom room;
  const double pos[3] = { 2, 2.5, 1.5 }, p1[3] = { 4, 1, 1.2 }, p2[3] = { 1, 4, 2 };
  AlSimScene *s;

  al_sim_room_init (&room, 5, 5, 3, 0.4);
  room.max_order = 15;
  s = al_sim_scene_new (fs, &room, pos);
  s->nframes = (gint64) (0.5 * fs);
  al_sim_scene_add_source (s, p1, f->clips[0]);
  al_sim_scene_add_source (s, p2, f->clips[1])->gain_db = -6;
  return s;
}

/* Diffuse noise at 10 dB re the sources (mean mic power), in mics and truth
 * alike (for this array mics = truth); sensor noise at 20 dB, mics only. */
static void
test_noise (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSimArray) arr = make_array (f->set, 0, AL_SH_N3D);
  g_autoptr (AlSimScene) s = fixed_scene (f);
  g_autoptr (AlSimResult) clean = al_sim_render (arr, s, NULL, &error);
  g_assert_no_error (error);
  const gsize n = clean->nframes;
  double ps = 0, pn = 0, pw = 0, pxyz = 0, diff = 0, peak = 0;

  s->diffuse_snr_db = 10;
  s->diffuse_ndirs = 64;
  s->noise_seed = 5;
  g_autoptr (AlSimResult) noisy = al_sim_render (arr, s, NULL, &error);
  g_assert_no_error (error);
  float *d = g_new (float, n);
  for (int m = 0; m < 4; m++)
    {
      for (gsize t = 0; t < n; t++)
        d[t] = noisy->mic[m * n + t] - clean->mic[m * n + t];
      ps += power (clean->mic + m * n, n) / 4;
      pn += power (d, n) / 4;
      for (gsize t = 0; t < n; t++)
        d[t] = noisy->sh[m * n + t] - clean->sh[m * n + t];
      if (m == 0)
        pw = power (d, n);
      else
        pxyz += power (d, n) / 3;
    }
  for (gsize t = 0; t < 4 * n; t++)
    {
      diff = MAX (diff, fabs (noisy->mic[t] - noisy->sh[t]));
      peak = MAX (peak, fabs (noisy->sh[t]));
    }
  g_test_message ("diffuse noise: SNR %.4f dB (asked 10), truth W/XYZ power ratio %.3f, mics vs truth %.3g",
                  10 * log10 (ps / pn), pw / pxyz, diff / peak);
  g_assert_cmpfloat_with_epsilon (10 * log10 (ps / pn), 10, 1e-3);
  /* isotropic: in N3D every SH channel carries the same power */
  g_assert_cmpfloat_with_epsilon (pw / pxyz, 1, 0.2);
  g_assert_cmpfloat (diff, <, 1e-6 * peak);

  s->diffuse_snr_db = INFINITY;
  s->sensor_snr_db = 20;
  g_autoptr (AlSimResult) sensor = al_sim_render (arr, s, NULL, &error);
  g_assert_no_error (error);
  pn = 0;
  for (int m = 0; m < 4; m++)
    {
      for (gsize t = 0; t < n; t++)
        d[t] = sensor->mic[m * n + t] - clean->mic[m * n + t];
      pn += power (d, n) / 4;
    }
  g_test_message ("sensor noise: SNR %.3f dB (asked 20)", 10 * log10 (ps / pn));
  g_assert_cmpfloat_with_epsilon (10 * log10 (ps / pn), 20, 0.05);
  g_assert_cmpmem (sensor->sh, sizeof (float) * 4 * n, clean->sh, sizeof (float) * 4 * n);
  g_free (d);
}

/* nframes = 0: the output runs until the last tail ends; start offsets. */
static void
test_lengths (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSimArray) arr = make_array (f->set, 0, AL_SH_N3D);
  g_autoptr (AlSimScene) s = fixed_scene (f);

  s->nframes = 0;
  s->room.hpf_fc = 0; /* the zero-phase high-pass would ring before the direct sound */
  s->sources[1].start = 1000;
  s->sources[1].offset = 100;
  g_autoptr (AlSimResult) r = al_sim_render (arr, s, NULL, &error);
  g_assert_no_error (error);
  const gint64 end0 = f->clips[0]->nframes + r->rirs[0]->len - 1;
  const gint64 end1 = 1000 + f->clips[1]->nframes - 100 + r->rirs[1]->len - 1;
  g_assert_cmpint (r->nframes, ==, MAX (end0, end1));
  /* nothing arrives before the first direct sound (> 100 samples away) */
  for (int m = 0; m < 4; m++)
    for (int t = 0; t < 100; t++)
      g_assert_cmpfloat (fabs (r->mic[m * r->nframes + t]), <, 1e-6);
}

#define ASSERT_ERROR_CONTAINS(err, code, text)                      \
  G_STMT_START                                                      \
  {                                                                 \
    g_assert_error ((err), AL_ERROR, (code));                       \
    if (strstr ((err)->message, (text)) == NULL)                    \
      g_error ("message \"%s\" lacks \"%s\"", (err)->message, text); \
    g_clear_error (&(err));                                         \
  }                                                                 \
  G_STMT_END

static void
test_errors (Fixture *f, gconstpointer data)
{
  GError *error = NULL;
  g_autoptr (AlSimArray) arr = make_array (f->set, 0, AL_SH_SN3D);
  g_autoptr (AlAudio) slow = noise_clip (3, 0.1, 44100, 1);
  AlSimRandomSpec spec;

  /* the scene's rate differs from the ATF set's */
  {
    g_autoptr (AlSimScene) s = fixed_scene (f);
    s->fs = 44100;
    g_assert_null (al_sim_render (arr, s, NULL, &error));
    ASSERT_ERROR_CONTAINS (error, AL_ERROR_MISMATCH, "sample rate 44100 Hz differs from the ATF set's 48000 Hz");
  }
  /* one source's audio has another rate */
  {
    g_autoptr (AlSimScene) s = fixed_scene (f);
    s->sources[1].audio = slow;
    g_assert_null (al_sim_render (arr, s, NULL, &error));
    ASSERT_ERROR_CONTAINS (error, AL_ERROR_MISMATCH,
                           "source 2: audio sample rate 44100 Hz differs from the ATF set's 48000 Hz");
  }
  /* no sources */
  {
    g_autoptr (AlSimScene) s = fixed_scene (f);
    s->nsources = 0;
    g_assert_null (al_sim_render (arr, s, NULL, &error));
    ASSERT_ERROR_CONTAINS (error, AL_ERROR_INVALID_INPUT, "no sources");
    s->nsources = 2;
  }
  /* a source outside the room, the array outside the room, a source on the array */
  {
    g_autoptr (AlSimScene) s = fixed_scene (f);
    s->sources[1].pos[2] = 3.5;
    g_assert_null (al_sim_render (arr, s, NULL, &error));
    ASSERT_ERROR_CONTAINS (error, AL_ERROR_INVALID_INPUT,
                           "source 2 at (1.000, 4.000, 3.500) m lies outside the 5.000 x 5.000 x 3.000 m room");
    s->sources[1].pos[2] = 2;
    s->array_pos[0] = -1;
    g_assert_null (al_sim_render (arr, s, NULL, &error));
    ASSERT_ERROR_CONTAINS (error, AL_ERROR_INVALID_INPUT, "array at (-1.000, 2.500, 1.500) m lies outside");
    s->array_pos[0] = 4;
    s->array_pos[1] = 1;
    s->array_pos[2] = 1.2;
    g_assert_null (al_sim_render (arr, s, NULL, &error));
    ASSERT_ERROR_CONTAINS (error, AL_ERROR_INVALID_INPUT, "source 1 at (4.000, 1.000, 1.200) m is within 1 cm");
  }
  /* bad channel, bad absorption */
  {
    g_autoptr (AlSimScene) s = fixed_scene (f);
    s->sources[0].channel = 3;
    g_assert_null (al_sim_render (arr, s, NULL, &error));
    ASSERT_ERROR_CONTAINS (error, AL_ERROR_INVALID_INPUT, "source 1: channel 3 does not exist");
    s->sources[0].channel = 0;
    s->room.absorption[AL_SIM_WALL_Z1] = -0.1;
    g_assert_null (al_sim_render (arr, s, NULL, &error));
    ASSERT_ERROR_CONTAINS (error, AL_ERROR_INVALID_INPUT, "absorption of wall z=Lz (ceiling)");
  }
  /* cancelled */
  {
    g_autoptr (AlSimScene) s = fixed_scene (f);
    g_autoptr (GCancellable) cancel = g_cancellable_new ();
    AlProgress progress = { 0 };
    progress.cancellable = cancel;
    g_cancellable_cancel (cancel);
    g_assert_null (al_sim_render (arr, s, &progress, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
  }
  /* random scenes: no clips, a clip at another rate, no room inside the clearance */
  short_spec (&spec);
  g_assert_null (al_sim_scene_random (&spec, 1, fs, f->clips, f->names, 0, &error));
  ASSERT_ERROR_CONTAINS (error, AL_ERROR_INVALID_INPUT, "no dry audio clips");
  {
    AlAudio *clips[2] = { f->clips[0], slow };
    const char *names[2] = { "a.wav", "slow.wav" };
    g_assert_null (al_sim_scene_random (&spec, 1, fs, clips, names, 2, &error));
    ASSERT_ERROR_CONTAINS (error, AL_ERROR_MISMATCH, "clip 1 slow.wav has sample rate 44100 Hz, not the ATF set's 48000 Hz");
  }
  spec.wall_clearance = 1.3;
  g_assert_null (al_sim_scene_random (&spec, 1, fs, f->clips, f->names, 3, &error));
  ASSERT_ERROR_CONTAINS (error, AL_ERROR_INVALID_INPUT, "smallest room size along z (2.5 m)");
  short_spec (&spec);
  spec.room_max[0] = spec.room_min[0] = 3;
  spec.room_max[1] = spec.room_min[1] = 3;
  spec.room_max[2] = spec.room_min[2] = 2.5;
  spec.min_source_distance = 5;
  g_assert_null (al_sim_scene_random (&spec, 7, fs, f->clips, f->names, 3, &error));
  ASSERT_ERROR_CONTAINS (error, AL_ERROR_INVALID_INPUT, "no place for source 1 at least 5 m from the array");

  /* JSON: a missing member, an unknown clip */
  {
    g_autoptr (JsonNode) node = json_from_string ("{\"fs\": 48000}", NULL);
    g_assert_null (al_sim_scene_from_json (node, f->clips, 3, &error));
    ASSERT_ERROR_CONTAINS (error, AL_ERROR_FORMAT, "\"room\" is missing");
  }
  {
    g_autoptr (AlSimScene) s = fixed_scene (f);
    s->sources[0].clip = 7;
    g_autoptr (JsonNode) node = al_sim_scene_to_json (s);
    g_assert_null (al_sim_scene_from_json (node, f->clips, 3, &error));
    ASSERT_ERROR_CONTAINS (error, AL_ERROR_INVALID_INPUT, "\"sources[0].clip\" is 7 but 3 clips were given");
  }
  /* an ATF set with a NaN */
  {
    g_autoptr (AlAtfSet) bad = al_atf_set_copy (f->set);
    bad->ir[5] = NAN;
    g_assert_null (al_sim_array_new (bad, NULL, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
}

/* Every random draw of a scene as text (doubles to the last bit), and its
 * SHA-256.  The rendered signals are a deterministic function of these
 * (test_seeded), so equal draws mean bit-identical scenes. */
static char *
draws_checksum (const AlSimScene *s)
{
  g_autoptr (GString) t = g_string_new (NULL);
  g_string_append_printf (t, "%" G_GINT64_FORMAT, s->nframes);
  for (int d = 0; d < 3; d++)
    g_string_append_printf (t, " %.17g", s->room.size[d]);
  for (int w = 0; w < 6; w++)
    g_string_append_printf (t, " %.17g", s->room.absorption[w]);
  g_string_append_printf (t, " %u", s->room.rand_seed);
  for (int d = 0; d < 3; d++)
    g_string_append_printf (t, " %.17g", s->array_pos[d]);
  g_string_append_printf (t, " %.17g", s->array_rot.yaw);
  for (int k = 0; k < s->nsources; k++)
    {
      const AlSimSource *src = &s->sources[k];
      for (int d = 0; d < 3; d++)
        g_string_append_printf (t, " %.17g", src->pos[d]);
      g_string_append_printf (t, " %d %" G_GINT64_FORMAT " %.17g", src->clip, src->offset, src->gain_db);
    }
  g_string_append_printf (t, " %u %.17g %.17g", s->noise_seed, s->diffuse_snr_db, s->sensor_snr_db);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, t->str, -1);
}

/* A fixed duration (lo == hi) consumes no random number: scene 3 draws
 * exactly what it drew before durations had ranges.  The checksum was
 * computed with that earlier code (duration a single number) from the
 * same spec, seed and clips. */
static void
test_fixed_duration_unchanged (Fixture *f, gconstpointer data)
{
  AlSimRandomSpec spec;
  g_autoptr (GError) error = NULL;
  short_spec (&spec);
  g_autoptr (AlSimScene) s = al_sim_scene_random (&spec, 3, fs, f->clips, f->names, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpint (s->nframes, ==, 12000);
  g_autofree char *sum = draws_checksum (s);
  g_test_message ("scene of seed 3, 0.25 s: draws %s", sum);
  g_assert_cmpstr (sum, ==, "ad928552af06e0780235842687d5e236a2be1991801e2b520c841cfcd7d13b7d");
}

/* duration=0.2..0.6: fifty scenes, each its own length inside the range,
 * the same lengths again for the same seeds; the room, array pose and yaw
 * are drawn before the duration, so they equal the fixed-duration scene's. */
static void
test_duration_range (Fixture *f, gconstpointer data)
{
  AlSimRandomSpec fixed, spec;
  short_spec (&fixed);
  spec = fixed;
  spec.duration_min = 0.2;
  spec.duration_max = 0.6;
  const gint64 lo = (gint64) llround (0.2 * fs), hi = (gint64) llround (0.6 * fs);
  g_autoptr (GHashTable) lengths = g_hash_table_new (g_int64_hash, g_int64_equal);
  gint64 nframes[50], shortest = G_MAXINT64, longest = 0;
  double mean = 0;
  for (int k = 0; k < 50; k++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (AlSimScene) s = al_sim_scene_random (&spec, 1 + k, fs, f->clips, f->names, 3, &error);
      g_assert_no_error (error);
      g_assert_true (al_sim_scene_validate (s, fs, &error));
      nframes[k] = s->nframes;
      g_assert_cmpint (s->nframes, >=, lo);
      g_assert_cmpint (s->nframes, <=, hi);
      g_hash_table_add (lengths, &nframes[k]);
      shortest = MIN (shortest, s->nframes);
      longest = MAX (longest, s->nframes);
      mean += s->nframes / fs / 50;
      for (int i = 0; i < s->nsources; i++)
        {
          const AlSimSource *src = &s->sources[i];
          if (src->audio->nframes > s->nframes)
            g_assert_cmpint (src->offset + s->nframes, <=, src->audio->nframes);
          else
            g_assert_cmpint (src->offset, ==, 0);
        }
      g_autoptr (AlSimScene) same = al_sim_scene_random (&spec, 1 + k, fs, f->clips, f->names, 3, &error);
      g_assert_no_error (error);
      g_assert_cmpint (same->nframes, ==, s->nframes);
      g_autofree char *a = draws_checksum (s), *b = draws_checksum (same);
      g_assert_cmpstr (a, ==, b);
      g_autoptr (AlSimScene) four = al_sim_scene_random (&fixed, 1 + k, fs, f->clips, f->names, 3, &error);
      g_assert_no_error (error);
      for (int d = 0; d < 3; d++)
        {
          g_assert_cmpfloat (s->room.size[d], ==, four->room.size[d]);
          g_assert_cmpfloat (s->array_pos[d], ==, four->array_pos[d]);
        }
      g_assert_cmpfloat (s->array_rot.yaw, ==, four->array_rot.yaw);
    }
  g_test_message ("50 durations in 0.2..0.6 s: %u distinct, %.4f..%.4f s, mean %.4f s",
                  g_hash_table_size (lengths), shortest / fs, longest / fs, mean);
  /* Uniform over 19 200 samples: fifty draws all differ. */
  g_assert_cmpuint (g_hash_table_size (lengths), ==, 50);
  g_assert_cmpfloat (mean, >, 0.33);
  g_assert_cmpfloat (mean, <, 0.47);

  /* An empty range is refused with the range in the message. */
  g_autoptr (GError) error = NULL;
  spec.duration_min = 0.6;
  spec.duration_max = 0.2;
  g_assert_null (al_sim_scene_random (&spec, 1, fs, f->clips, f->names, 3, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "duration (s) range 0.6 .. 0.2"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/sim/scene/seeded", Fixture, NULL, fixture_setup, test_seeded, fixture_teardown);
  g_test_add ("/sim/scene/ranges", Fixture, NULL, fixture_setup, test_ranges, fixture_teardown);
  g_test_add ("/sim/scene/duration-range", Fixture, NULL, fixture_setup, test_duration_range, fixture_teardown);
  g_test_add ("/sim/scene/fixed-duration-unchanged", Fixture, NULL, fixture_setup, test_fixed_duration_unchanged,
              fixture_teardown);
  g_test_add ("/sim/scene/json-files", Fixture, NULL, fixture_setup, test_json_files, fixture_teardown);
  g_test_add ("/sim/scene/noise", Fixture, NULL, fixture_setup, test_noise, fixture_teardown);
  g_test_add ("/sim/scene/lengths", Fixture, NULL, fixture_setup, test_lengths, fixture_teardown);
  g_test_add ("/sim/scene/errors", Fixture, NULL, fixture_setup, test_errors, fixture_teardown);
  return g_test_run ();
}
