/* test-scene-eval.c — encoders on simulated scenes, on cases with known
 * answers: the identity on an SH-pattern array is perfect, a pure gain
 * shows up as exactly that magnitude error and leaves SI-SDR alone, a
 * rotated output moves the DOAs by the rotation and raises the SPME; the
 * numbers are deterministic per seed and their confidence intervals shrink
 * like 1/√n; scene specs parse and print back (durations as ranges, fixed
 * durations drawing the scenes they always drew); the files carry the
 * library's numbers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "al-test-arrays.h"
#include "al-test-clips.h"
#include "eval/al-scene-eval.h"
#include "io/al-io.h"

static const double fs = 48000;

/* Short reverberant scenes that keep each test well under 30 s. */
static void
short_set (AlSceneSet *set, int count, guint32 seed, const char *extra)
{
  g_autoptr (GError) error = NULL;
  al_scene_set_init (set);
  g_assert_true (al_scene_set_parse (set, "rooms=3x3x2.5..7x6x3.5,absorption=0.2..0.6,sources=1..3,duration=0.5,order=8",
                                     &error));
  g_assert_no_error (error);
  g_assert_true (al_scene_set_parse (set, extra, &error));
  g_assert_no_error (error);
  set->count = count;
  set->seed = seed;
}

static void
small_options (AlSceneEvalOptions *opt)
{
  al_scene_eval_options_init (opt);
  opt->map_grid = AL_METRICS_MIN_GRID;
}

static AlAtfSet *
sh_array (int order)
{
  g_autoptr (AlGrid) grid = al_grid_fibonacci (2000);
  return al_test_sh_array (order, grid, 16, 5, fs);
}

/* ---- Encoders built on the interface, as a neural one would be ---- */
typedef struct {
  AlSceneEncoder *inner;
  double gain;  /* linear */
  double phi;   /* rad, rotation of the field about z */
} Wrapped;

static void
wrapped_free (gpointer data)
{
  Wrapped *w = data;
  al_scene_encoder_free (w->inner);
  g_free (w);
}

/* Gain, then a rotation about z: for m > 0 the pair (b_{n,m} ∝ cos mφ_s,
 * b_{n,−m} ∝ sin mφ_s) turns by mφ. */
static gboolean
wrapped_encode (gpointer data, const float *mics, gsize nframes, float *out, GError **error)
{
  const Wrapped *w = data;
  const int N = w->inner->order;
  const gsize n = nframes + w->inner->latency;
  if (!w->inner->encode (w->inner->user_data, mics, nframes, out, error))
    return FALSE;
  for (gsize i = 0; i < (gsize) w->inner->nsh * n; i++)
    out[i] = (float) (out[i] * w->gain);
  if (w->phi == 0)
    return TRUE;
  for (int deg = 1; deg <= N; deg++)
    for (int m = 1; m <= deg; m++)
      {
        float *p = out + (gsize) al_sh_acn (deg, m) * n, *q = out + (gsize) al_sh_acn (deg, -m) * n;
        const double c = cos (m * w->phi), s = sin (m * w->phi);
        for (gsize i = 0; i < n; i++)
          {
            const double a = p[i], b = q[i];
            p[i] = (float) (c * a - s * b);
            q[i] = (float) (s * a + c * b);
          }
      }
  return TRUE;
}

static AlSceneEncoder *
wrap (AlSceneEncoder *inner, const char *name, double gain_db, double phi)
{
  Wrapped *w = g_new0 (Wrapped, 1);
  w->inner = inner;
  w->gain = pow (10, gain_db / 20);
  w->phi = phi;
  return al_scene_encoder_new (name, inner->nmics, inner->order, inner->fs, inner->norm, inner->latency,
                               wrapped_encode, w, wrapped_free);
}

/* The rotation formula itself: Y(az, el) turned by φ is Y(az + φ, el). */
static void
test_rotation_formula (void)
{
  const int N = 3, nsh = al_sh_count (N);
  double y[16], yr[16];
  float buf[16];
  al_sh_real (N, AL_SH_N3D, 0.4, 0.3, y);
  al_sh_real (N, AL_SH_N3D, 0.4 + 0.7, 0.3, yr);
  for (int c = 0; c < nsh; c++)
    buf[c] = (float) y[c];
  g_autoptr (AlSceneEncoder) enc = wrap (al_scene_encoder_new_identity ("id", N, fs, AL_SH_N3D), "rot", 0, 0.7);
  g_autofree float *out = al_scene_encoder_run (enc, buf, 1, NULL);
  for (int c = 0; c < nsh; c++)
    g_assert_cmpfloat_with_epsilon (out[c], yr[c], 1e-5);
}

/* ---- Statistics and specs ---- */
static void
test_student_t (void)
{
  g_assert_cmpfloat_with_epsilon (al_student_t_quantile (0.95, 1), 12.7062047, 1e-5);
  g_assert_cmpfloat_with_epsilon (al_student_t_quantile (0.95, 7), 2.3646243, 1e-6);
  g_assert_cmpfloat_with_epsilon (al_student_t_quantile (0.95, 31), 2.0395134, 1e-6);
  g_assert_cmpfloat_with_epsilon (al_student_t_quantile (0.95, 100000), 1.959985, 1e-4);
  const double x[] = { 1, 2, 3, NAN, 4 };
  AlStat st = al_stat_compute (x, 5, 1);
  g_assert_cmpint (st.n, ==, 4);
  g_assert_cmpfloat_with_epsilon (st.mean, 2.5, 1e-15);
  /* sd = √(5/3), t(3) = 3.1824463 */
  g_assert_cmpfloat_with_epsilon (st.ci95, 3.1824463 * sqrt (5.0 / 3) / 2, 1e-6);
  st = al_stat_compute (x, 1, 1);
  g_assert_cmpint (st.n, ==, 1);
  g_assert_true (isnan (st.ci95));
}

static void
test_spec_parse (void)
{
  AlSceneSet set, back;
  g_autoptr (GError) error = NULL;
  al_scene_set_init (&set);
  g_assert_true (al_scene_set_parse (&set, "count=50,seed=1,rooms=3x3x2..10x10x5,absorption=0.2..0.95,sources=1..5",
                                     &error));
  g_assert_no_error (error);
  g_assert_cmpint (set.count, ==, 50);
  g_assert_cmpuint (set.seed, ==, 1);
  g_assert_cmpfloat (set.spec.room_min[2], ==, 2);
  g_assert_cmpfloat (set.spec.room_max[0], ==, 10);
  g_assert_cmpfloat (set.spec.absorption_max, ==, 0.95);
  g_assert_cmpint (set.spec.nsources_max, ==, 5);

  g_autofree char *text = al_scene_set_to_string (&set);
  al_scene_set_init (&back);
  back.count = 3;
  g_assert_true (al_scene_set_parse (&back, text, &error));
  g_assert_no_error (error);
  g_autofree char *again = al_scene_set_to_string (&back);
  g_assert_cmpstr (text, ==, again);

  static const struct {
    const char *spec, *needle;
  } bad[] = {
    { "count=50,colour=red", "unknown key “colour”" },
    { "rooms=3x3..10x10x5", "“rooms=3x3..10x10x5”" },
    { "absorption=0.2..1.5", "“absorption=" },
    { "sources=3..1", "“sources=" },
    { "count=0", "“count=0”" },
    { "seed", "“seed” is not key=value" },
    { "duration=abc", "“duration=abc”" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) e = NULL;
      AlSceneSet s = set;
      g_assert_false (al_scene_set_parse (&s, bad[i].spec, &e));
      g_assert_error (e, AL_ERROR, AL_ERROR_INVALID_INPUT);
      if (strstr (e->message, bad[i].needle) == NULL)
        g_error ("“%s” does not mention “%s”", e->message, bad[i].needle);
      g_assert_null (strchr (e->message, '\n'));
      g_assert_cmpint (s.count, ==, set.count); /* untouched on failure */
    }
  g_assert_cmpuint (al_scene_set_seed (&set, 0), !=, al_scene_set_seed (&set, 1));
  back.seed = 2;
  g_assert_cmpuint (al_scene_set_seed (&set, 1), !=, al_scene_set_seed (&back, 0));
}

/* duration=a..b like the other ranges; one number x is x..x and is written
 * back as one number, so texts of fixed durations read as they always did. */
static void
test_spec_duration (void)
{
  AlSceneSet set, back;
  g_autoptr (GError) error = NULL;
  al_scene_set_init (&set);
  g_assert_cmpfloat (set.spec.duration_min, ==, 4);
  g_assert_cmpfloat (set.spec.duration_max, ==, 4);
  g_assert_true (al_scene_set_parse (&set, "count=20,duration=2..6", &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (set.spec.duration_min, ==, 2);
  g_assert_cmpfloat (set.spec.duration_max, ==, 6);
  g_autofree char *text = al_scene_set_to_string (&set);
  g_assert_nonnull (strstr (text, ",duration=2..6,"));
  al_scene_set_init (&back);
  g_assert_true (al_scene_set_parse (&back, text, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (back.spec.duration_min, ==, 2);
  g_assert_cmpfloat (back.spec.duration_max, ==, 6);
  g_autofree char *again = al_scene_set_to_string (&back);
  g_assert_cmpstr (text, ==, again);

  g_assert_true (al_scene_set_parse (&set, "duration=1.5", &error));
  g_assert_cmpfloat (set.spec.duration_min, ==, 1.5);
  g_assert_cmpfloat (set.spec.duration_max, ==, 1.5);
  g_autofree char *fixed = al_scene_set_to_string (&set);
  g_assert_nonnull (strstr (fixed, ",duration=1.5,"));
  g_assert_true (al_scene_set_parse (&set, "duration=0.5..0.5", &error));
  g_autofree char *same = al_scene_set_to_string (&set);
  g_assert_nonnull (strstr (same, ",duration=0.5,"));

  const char *bad[] = { "duration=6..2", "duration=0..1", "duration=1..4000", "duration=1..", "duration=..2" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) e = NULL;
      AlSceneSet s = set;
      g_assert_false (al_scene_set_parse (&s, bad[i], &e));
      g_assert_error (e, AL_ERROR, AL_ERROR_INVALID_INPUT);
      g_autofree char *quoted = g_strdup_printf ("“%s”", bad[i]);
      if (strstr (e->message, quoted) == NULL)
        g_error ("“%s” does not quote %s", e->message, quoted);
      g_assert_cmpfloat (s.spec.duration_min, ==, 0.5); /* untouched on failure */
    }
}

/* Dry clips of 0.5, 0.75 and 1 s (mono, stereo, mono), as tests/sim's scene fixture has. */
static void
make_sim_clips (AlAudio **clips)
{
  for (int k = 0; k < 3; k++)
    {
      const int nch = 1 + k % 2;
      clips[k] = al_audio_new (fs, nch, (gint64) ((0.5 + 0.25 * k) * fs));
      g_autoptr (GRand) rand = g_rand_new_with_seed (10 + k);
      for (gint64 i = 0; i < clips[k]->nframes * nch; i++)
        clips[k]->data[i] = (float) g_rand_double_range (rand, -0.5, 0.5);
    }
}

/* Every random draw of a scene as text (doubles to the last bit), hashed. */
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

/* The scenes of a set with duration=2..6: fifty different lengths inside
 * the range, the same again for the same set; a set of fixed duration
 * draws exactly the scenes it drew before durations had ranges. */
static void
test_set_durations (void)
{
  AlAudio *clips[3];
  make_sim_clips (clips);
  const char *names[3] = { "a.wav", "b.wav", "c.wav" };
  AlSceneSet set;
  al_scene_set_init (&set);
  g_autoptr (GError) error = NULL;

  /* Scene 3 of seed 1 with the default 4 s: the checksum was computed with
   * the code before duration ranges (duration a single number). */
  g_autoptr (AlSimScene) s3 = al_sim_scene_random (&set.spec, al_scene_set_seed (&set, 3), fs, clips, names, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpint (s3->nframes, ==, 192000);
  g_autofree char *sum = draws_checksum (s3);
  g_test_message ("scene 3 of seed 1 (4 s): draws %s", sum);
  g_assert_cmpstr (sum, ==, "18d24c97657e64dd90938be935f5fd3a923da11a9f21c0192c9d6af35262215e");

  g_assert_true (al_scene_set_parse (&set, "duration=2..6", &error));
  g_assert_no_error (error);
  g_autoptr (GHashTable) distinct = g_hash_table_new (g_int64_hash, g_int64_equal);
  gint64 nframes[50];
  double lo = INFINITY, hi = 0;
  for (int k = 0; k < set.count; k++)
    {
      g_autoptr (AlSimScene) s = al_sim_scene_random (&set.spec, al_scene_set_seed (&set, k), fs, clips, names, 3,
                                                      &error);
      g_assert_no_error (error);
      g_autoptr (AlSimScene) again = al_sim_scene_random (&set.spec, al_scene_set_seed (&set, k), fs, clips, names,
                                                          3, &error);
      g_assert_no_error (error);
      nframes[k] = s->nframes;
      g_assert_cmpint (again->nframes, ==, s->nframes);
      g_assert_cmpint (s->nframes, >=, 2 * (gint64) fs);
      g_assert_cmpint (s->nframes, <=, 6 * (gint64) fs);
      g_hash_table_add (distinct, &nframes[k]);
      lo = MIN (lo, s->nframes / fs);
      hi = MAX (hi, s->nframes / fs);
    }
  g_test_message ("50 scenes of duration=2..6: %u distinct lengths, %.3f..%.3f s", g_hash_table_size (distinct), lo,
                  hi);
  g_assert_cmpuint (g_hash_table_size (distinct), ==, 50);
  g_assert_cmpfloat (hi - lo, >, 3);
  al_test_clips_free (clips, 3);
}

/* ---- Known answers ---- */

/* Identity on an SH-pattern array: perfect in every channel; a gain of g dB
 * gives a magnitude error of g dB with the same SI-SDR. */
static void
test_identity_and_gain (void)
{
  const int order = 2;
  const double g = 6;
  AlAudio *clips[3];
  al_test_noise_clips (clips, 3, fs, 100);
  g_autoptr (AlAtfSet) atf = sh_array (order);
  AlSceneEncoder *encs[2] = {
    al_scene_encoder_new_identity ("identity", order, fs, AL_SH_N3D),
    wrap (al_scene_encoder_new_identity ("identity", order, fs, AL_SH_N3D), "gain", g, 0),
  };
  AlSceneSet set;
  /* Scenes of different lengths: every metric must hold for each. */
  short_set (&set, 4, 7, "duration=0.4..0.6");
  AlSceneEvalOptions opt;
  small_options (&opt);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSceneEval) ev = al_scene_evaluate (atf, encs, 2, &set, clips, NULL, 3, &opt, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ev->nscenes, ==, 4);
  for (int s = 0; s < ev->nscenes; s++)
    {
      g_assert_cmpfloat (ev->scenes[s].duration, >=, 0.4 - 1 / fs);
      g_assert_cmpfloat (ev->scenes[s].duration, <=, 0.6 + 1 / fs);
    }
  g_assert_cmpfloat (ev->scenes[0].duration, !=, ev->scenes[1].duration);
  const AlSceneEncoderResult *id = &ev->encoders[0], *gain = &ev->encoders[1];
  for (int s = 0; s < ev->nscenes; s++)
    {
      const double *v = id->values + s * AL_SCENE_N_METRICS, *w = gain->values + s * AL_SCENE_N_METRICS;
      g_assert_cmpfloat (v[AL_SCENE_SI_SDR], >, 60);
      g_assert_cmpfloat (v[AL_SCENE_COHERENCE], >, 0.999);
      g_assert_cmpfloat (v[AL_SCENE_MAGNITUDE_ERROR], <, 0.01);
      g_assert_cmpfloat (v[AL_SCENE_DGC], <, 1e-3);
      g_assert_cmpfloat (v[AL_SCENE_SPME], <, -40);
      g_assert_cmpfloat_with_epsilon (w[AL_SCENE_MAGNITUDE_ERROR], g, 0.05);
      g_assert_cmpfloat (w[AL_SCENE_SI_SDR], >, 60);
      g_assert_cmpfloat_with_epsilon (w[AL_SCENE_SI_SDR], v[AL_SCENE_SI_SDR], 0.5);
      g_assert_cmpfloat_with_epsilon (w[AL_SCENE_COHERENCE], v[AL_SCENE_COHERENCE], 1e-6);
      g_assert_cmpfloat (w[AL_SCENE_DGC], <, 1e-3); /* the same gain in every direction */
    }
  /* Every channel, every bin of the band, averaged over the scenes. */
  const AlSpectralMetric *coh = id->coherence;
  g_assert_cmpint (coh->nch, ==, 9);
  for (int c = 0; c < coh->nch; c++)
    for (int k = 0; k < coh->nbins; k++)
      if (coh->freqs[k] >= coh->band_lo && coh->freqs[k] <= coh->band_hi)
        g_assert_cmpfloat (coh->per_channel[c * coh->nbins + k], >, 0.999);
  for (int k = 0; k < gain->magnitude_error->nbins; k++)
    if (gain->magnitude_error->freqs[k] >= 50)
      g_assert_cmpfloat_with_epsilon (gain->magnitude_error->combined[k], g, 0.05);
  g_assert_cmpfloat_with_epsilon (gain->stats[AL_SCENE_MAGNITUDE_ERROR].mean, g, 0.05);
  g_assert_cmpint (gain->stats[AL_SCENE_MAGNITUDE_ERROR].n, ==, 4);
  for (int e = 0; e < 2; e++)
    al_scene_encoder_free (encs[e]);
  al_test_clips_free (clips, 3);
}

/* Single sources, little reverberation: a field rotated by φ about z is
 * localised where the rotation puts the source (within the truth's own map
 * error) and its SPME grows. */
static void
test_rotation (void)
{
  const int order = 2;
  const double phi = AL_DEG2RAD (30);
  AlAudio *clips[2];
  al_test_noise_clips (clips, 2, fs, 100);
  g_autoptr (AlAtfSet) atf = sh_array (order);
  AlSceneEncoder *encs[2] = {
    al_scene_encoder_new_identity ("identity", order, fs, AL_SH_N3D),
    wrap (al_scene_encoder_new_identity ("identity", order, fs, AL_SH_N3D), "rotated", 0, phi),
  };
  AlSceneSet set;
  short_set (&set, 4, 11, "sources=1,absorption=0.7..0.9");
  AlSceneEvalOptions opt;
  small_options (&opt);
  /* Order-2 PWD peaks sit within a few degrees of a single source here (the
   * bound below); the first-order intensity default carries the floor and
   * wall reflections' bias of up to ~10°, which says nothing about rotation. */
  opt.doa_method = AL_MAP_PWD;
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSceneEval) ev = al_scene_evaluate (atf, encs, 2, &set, clips, NULL, 2, &opt, NULL, &error);
  g_assert_no_error (error);
  for (int s = 0; s < ev->nscenes; s++)
    {
      const AlSceneInfo *in = &ev->scenes[s];
      const double *v = ev->encoders[0].values + s * AL_SCENE_N_METRICS;
      const double *w = ev->encoders[1].values + s * AL_SCENE_N_METRICS;
      const double az = in->source_dirs[0], el = in->source_dirs[1];
      const double expected = al_localisation_error (az, el, az + phi, el);
      g_test_message ("scene %d: source (%.1f°, %.1f°), truth map error %.2f°, expected %.2f°, rotated %.2f°, "
                      "SPME %.1f → %.1f dB", s, AL_RAD2DEG (az), AL_RAD2DEG (el), in->truth_localisation, expected,
                      w[AL_SCENE_LOCALISATION], v[AL_SCENE_SPME], w[AL_SCENE_SPME]);
      g_assert_cmpfloat (in->truth_localisation, <, 5);
      g_assert_cmpfloat_with_epsilon (v[AL_SCENE_LOCALISATION], in->truth_localisation, 0.01);
      /* |err − expected| <= the truth peak's own offset (triangle inequality) */
      g_assert_cmpfloat (fabs (w[AL_SCENE_LOCALISATION] - expected), <=, in->truth_localisation + 0.5);
      g_assert_cmpfloat (w[AL_SCENE_SPME], >, v[AL_SCENE_SPME] + 20);
      g_assert_cmpfloat (w[AL_SCENE_SPME], >, -10);
      g_assert_cmpfloat (w[AL_SCENE_SPM_KL], >, v[AL_SCENE_SPM_KL]);
    }
  for (int e = 0; e < 2; e++)
    al_scene_encoder_free (encs[e]);
  al_test_clips_free (clips, 2);
}

/* A 5-mic rigid-sphere array with a designed encoder (real errors to average). */
static AlAtfSet *
glasses_set (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlArrayModel) model = al_array_model_preset ("glasses5", &error);
  g_autoptr (AlGrid) grid = al_grid_fibonacci (600);
  AlAtfSet *set = al_array_model_simulate (model, grid, fs, 256, -1, NULL, &error);
  g_assert_no_error (error);
  g_free (set->source);
  set->source = g_strdup ("glasses5-test");
  return set;
}

static AlSceneEncoder *
glasses_encoder (const AlAtfSet *set, const char *name, double max_gain)
{
  AlDesignParams p;
  g_autoptr (GError) error = NULL;
  al_design_params_init (&p);
  p.order = 1;
  p.fir_length = 256;
  p.max_gain_db = max_gain;
  p.diffuse_eq = TRUE;
  g_autoptr (AlEncoder) enc = al_encoder_design (set, &p, NULL, &error);
  g_assert_no_error (error);
  return al_scene_encoder_new_linear (enc, name);
}

/* A linear encoder with a pure gain: SI-SDR (scale-invariant) unchanged. */
static void
test_gain_linear (void)
{
  AlAudio *clips[2];
  al_test_noise_clips (clips, 2, fs, 100);
  g_autoptr (AlAtfSet) atf = glasses_set ();
  AlSceneEncoder *encs[2] = {
    glasses_encoder (atf, "ls", 15),
    wrap (glasses_encoder (atf, "ls", 15), "ls+3dB", 3, 0),
  };
  AlSceneSet set;
  short_set (&set, 3, 5, NULL);
  AlSceneEvalOptions opt;
  small_options (&opt);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSceneEval) ev = al_scene_evaluate (atf, encs, 2, &set, clips, NULL, 2, &opt, NULL, &error);
  g_assert_no_error (error);
  for (int s = 0; s < ev->nscenes; s++)
    {
      const double *v = ev->encoders[0].values + s * AL_SCENE_N_METRICS;
      const double *w = ev->encoders[1].values + s * AL_SCENE_N_METRICS;
      g_test_message ("scene %d: SI-SDR %.3f / %.3f dB, coherence %.3f, magnitude error %.2f / %.2f dB, DGC %.2f dB",
                      s, v[AL_SCENE_SI_SDR], w[AL_SCENE_SI_SDR], v[AL_SCENE_COHERENCE], v[AL_SCENE_MAGNITUDE_ERROR],
                      w[AL_SCENE_MAGNITUDE_ERROR], v[AL_SCENE_DGC]);
      g_assert_cmpfloat_with_epsilon (w[AL_SCENE_SI_SDR], v[AL_SCENE_SI_SDR], 1e-3);
      g_assert_cmpfloat_with_epsilon (w[AL_SCENE_COHERENCE], v[AL_SCENE_COHERENCE], 1e-5);
      g_assert_cmpfloat_with_epsilon (w[AL_SCENE_DGC], v[AL_SCENE_DGC], 1e-4);
      g_assert_cmpfloat (w[AL_SCENE_MAGNITUDE_ERROR], !=, v[AL_SCENE_MAGNITUDE_ERROR]);
      /* a real encoder: useful below its aliasing frequency (~600 Hz), poor
       * above, where white noise puts most of its bins */
      g_assert_cmpfloat (v[AL_SCENE_COHERENCE_OCTAVE], >, 0.3);
      g_assert_cmpfloat (v[AL_SCENE_COHERENCE], >, 0.1);
      g_assert_cmpfloat (v[AL_SCENE_COHERENCE], <, 0.99);
    }
  for (int e = 0; e < 2; e++)
    al_scene_encoder_free (encs[e]);
  al_test_clips_free (clips, 2);
}

static AlSceneEval *
run_glasses (const AlAtfSet *atf, AlSceneEncoder **encs, int count, guint32 seed, int nthreads, AlAudio **clips)
{
  AlSceneSet set;
  short_set (&set, count, seed, "duration=0.3,order=4");
  AlSceneEvalOptions opt;
  small_options (&opt);
  opt.nthreads = nthreads;
  g_autoptr (GError) error = NULL;
  AlSceneEval *ev = al_scene_evaluate (atf, encs, 2, &set, clips, NULL, 2, &opt, NULL, &error);
  g_assert_no_error (error);
  return ev;
}

/* Same seed → bit-identical numbers (whatever the thread count), another
 * seed → other numbers; CI half-widths shrink about 2× from 8 to 32 scenes. */
static void
test_determinism_and_ci (void)
{
  AlAudio *clips[2];
  al_test_noise_clips (clips, 2, fs, 100);
  g_autoptr (AlAtfSet) atf = glasses_set ();
  AlSceneEncoder *encs[2] = { glasses_encoder (atf, "ls10", 10), glasses_encoder (atf, "ls20", 20) };

  g_autoptr (AlSceneEval) a = run_glasses (atf, encs, 8, 3, 2, clips);
  g_autoptr (AlSceneEval) b = run_glasses (atf, encs, 8, 3, 1, clips);
  g_autoptr (AlSceneEval) c = run_glasses (atf, encs, 8, 4, 2, clips);
  const gsize nv = sizeof (double) * 8 * AL_SCENE_N_METRICS;
  for (int e = 0; e < 2; e++)
    {
      g_assert_cmpmem (a->encoders[e].values, nv, b->encoders[e].values, nv);
      g_assert_true (memcmp (a->encoders[e].values, c->encoders[e].values, nv) != 0);
      const gsize nc = sizeof (double) * a->encoders[e].coherence->nch * a->encoders[e].coherence->nbins;
      g_assert_cmpmem (a->encoders[e].coherence->per_channel, nc, b->encoders[e].coherence->per_channel, nc);
    }
  for (int s = 0; s < 8; s++)
    g_assert_cmpuint (a->scenes[s].seed, !=, c->scenes[s].seed);

  g_autoptr (AlSceneEval) big = run_glasses (atf, encs, 32, 3, 2, clips);
  /* The first 8 scenes of the larger set are the same scenes. */
  g_assert_cmpmem (big->encoders[0].values, nv, a->encoders[0].values, nv);
  const AlSceneMetric ms[] = { AL_SCENE_SI_SDR, AL_SCENE_COHERENCE, AL_SCENE_MAGNITUDE_ERROR };
  for (guint i = 0; i < G_N_ELEMENTS (ms); i++)
    for (int e = 0; e < 2; e++)
      {
        const AlStat *s8 = &a->encoders[e].stats[ms[i]], *s32 = &big->encoders[e].stats[ms[i]];
        const double ratio = s8->ci95 / s32->ci95;
        g_test_message ("%s %s: CI %.4g (8) vs %.4g (32): ratio %.2f (1/√n with t: %.2f)", a->encoders[e].name,
                        al_scene_metric_key (ms[i]), s8->ci95, s32->ci95, ratio,
                        2 * al_student_t_quantile (0.95, 7) / al_student_t_quantile (0.95, 31));
        g_assert_cmpint (s8->n, ==, 8);
        g_assert_cmpint (s32->n, ==, 32);
        g_assert_cmpfloat (ratio, >, 1.2);
        g_assert_cmpfloat (ratio, <, 6);
      }
  for (int e = 0; e < 2; e++)
    al_scene_encoder_free (encs[e]);
  al_test_clips_free (clips, 2);
}

/* Speech-like dry clips (2 s): syllables of 80–300 ms, each a harmonic
 * complex (f0 100–250 Hz, partials ∝ 1/h up to 4 kHz) under a Hann
 * envelope, with pauses of 30–200 ms.  Like speech, and unlike white
 * noise, simultaneous talkers rarely share a time-frequency bin. */
static void
make_speech_clips (AlAudio **clips, int n)
{
  for (int k = 0; k < n; k++)
    {
      clips[k] = al_audio_new (fs, 1, (gint64) (2 * fs));
      g_autoptr (GRand) rand = g_rand_new_with_seed (200 + k);
      gint64 t = (gint64) (g_rand_double_range (rand, 0, 0.2) * fs);
      while (t < clips[k]->nframes)
        {
          const gint64 len = (gint64) (g_rand_double_range (rand, 0.08, 0.3) * fs);
          const double f0 = g_rand_double_range (rand, 100, 250), gain = g_rand_double_range (rand, 0.3, 1);
          double phase[40];
          for (int h = 0; h < 40; h++)
            phase[h] = g_rand_double_range (rand, 0, 2 * G_PI);
          for (gint64 i = 0; i < len && t + i < clips[k]->nframes; i++)
            {
              double x = 0;
              for (int h = 1; h <= 40 && h * f0 < 4000; h++)
                x += sin (2 * G_PI * h * f0 * i / fs + phase[h - 1]) / h;
              clips[k]->data[t + i] = (float) (0.2 * gain * x * (0.5 - 0.5 * cos (2 * G_PI * i / len)));
            }
          t += len + (gint64) (g_rand_double_range (rand, 0.03, 0.2) * fs);
        }
    }
}

/* The default DOA method on reverberant rooms with 1–3 talkers at first
 * order (the glasses array): the truth's own localisation error, the floor
 * under any encoder's, is far below that of PWD peaks.  With the CLI on 200
 * scenes of rooms=3x3x2.5..10x8x4, absorption=0.2..0.95, sources=1..3,
 * duration=2 and the default (speech) clips: 20–23° ± 3–5° (95 % CI, sets
 * of 20 and 60) against PWD's 42–45° ± 6–10°.  These 32 one-second scenes
 * with synthetic talkers give 23.8° (PWD 43.8°); five seeds gave 21.8–31.6°
 * (mean 25.5°, each ± 5–8°) against PWD's 35.8–46.2°, never more than 0.7
 * of it.  The bounds, 35° and 0.8 × PWD, leave that spread. */
static void
test_localisation_default (void)
{
  AlAudio *clips[3];
  make_speech_clips (clips, 3);
  g_autoptr (AlAtfSet) atf = glasses_set ();
  AlSceneEncoder *encs[2] = { glasses_encoder (atf, "ls10", 10), glasses_encoder (atf, "ls20", 20) };
  AlSceneSet set;
  short_set (&set, 32, 21, "rooms=3x3x2.5..10x8x4,absorption=0.2..0.95,sources=1..3,duration=1,order=20");
  AlSceneEvalOptions opt;
  small_options (&opt);
  g_assert_cmpint (opt.doa_method, ==, AL_MAP_INTENSITY);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSceneEval) vote = al_scene_evaluate (atf, encs, 2, &set, clips, NULL, 3, &opt, NULL, &error);
  g_assert_no_error (error);
  opt.doa_method = AL_MAP_PWD;
  g_autoptr (AlSceneEval) pwd = al_scene_evaluate (atf, encs, 2, &set, clips, NULL, 3, &opt, NULL, &error);
  g_assert_no_error (error);
  const AlSceneEval *evs[2] = { vote, pwd };
  for (int i = 0; i < 2; i++)
    g_test_message ("%s: truth %.2f ± %.2f° (n = %d), %s %.2f ± %.2f°, %s %.2f ± %.2f°",
                    al_map_method_name (evs[i]->options.doa_method), evs[i]->truth_localisation.mean,
                    evs[i]->truth_localisation.ci95, evs[i]->truth_localisation.n, evs[i]->encoders[0].name,
                    evs[i]->encoders[0].stats[AL_SCENE_LOCALISATION].mean,
                    evs[i]->encoders[0].stats[AL_SCENE_LOCALISATION].ci95, evs[i]->encoders[1].name,
                    evs[i]->encoders[1].stats[AL_SCENE_LOCALISATION].mean,
                    evs[i]->encoders[1].stats[AL_SCENE_LOCALISATION].ci95);
  /* Every scene has direct-sound bins: no scene drops out of the mean. */
  g_assert_cmpint (vote->truth_localisation.n, ==, set.count);
  for (int e = 0; e < 2; e++)
    g_assert_cmpint (vote->encoders[e].stats[AL_SCENE_LOCALISATION].n, ==, set.count);
  g_assert_cmpfloat (vote->truth_localisation.mean, <, 35);
  g_assert_cmpfloat (vote->truth_localisation.mean, <, 0.8 * pwd->truth_localisation.mean);
  for (int e = 0; e < 2; e++)
    al_scene_encoder_free (encs[e]);
  al_test_clips_free (clips, 3);
}

/* Files: CSV headers, metrics.json equal to the library's numbers, figures. */
static void
test_write (void)
{
  AlAudio *clips[2];
  al_test_noise_clips (clips, 2, fs, 100);
  g_autoptr (AlAtfSet) atf = glasses_set ();
  AlSceneEncoder *encs[2] = { glasses_encoder (atf, "ls 10", 10), glasses_encoder (atf, "ls20", 20) };
  g_autoptr (AlSceneEval) ev = run_glasses (atf, encs, 3, 9, 2, clips);
  g_autofree char *dir = g_dir_make_tmp ("scene-eval-XXXXXX", NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (al_scene_eval_write (ev, dir, &error));
  g_assert_no_error (error);

  static const char *files[] = { "metrics.json", "metrics_table.md", "metrics_table.png", "metrics_table.pdf",
                                 "coherence_per_channel.png", "coherence_per_channel.pdf", "magnitude_error.png",
                                 "magnitude_error.pdf", "power_maps.png", "power_maps.pdf",
                                 "coherence_ls_10.csv", "magnitude_error_ls_10.csv", "coherence_ls20.csv",
                                 "magnitude_error_ls20.csv" };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *p = g_build_filename (dir, files[i], NULL);
      g_assert_true (g_file_test (p, G_FILE_TEST_IS_REGULAR));
    }
  g_autofree char *csv = g_build_filename (dir, "coherence_ls20.csv", NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "freq_hz,acn_0,acn_1,acn_2,acn_3\n"));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_assert_cmpint (g_strv_length (lines) - 2, ==, ev->encoders[1].coherence->nbins);

  g_autofree char *json = g_build_filename (dir, "metrics.json", NULL);
  g_autoptr (JsonNode) root = al_json_read (json, &error);
  g_assert_no_error (error);
  JsonArray *arr = json_object_get_array_member (json_node_get_object (root), "encoders");
  g_assert_cmpint (json_array_get_length (arr), ==, 2);
  for (int e = 0; e < 2; e++)
    {
      JsonObject *o = json_array_get_object_element (arr, e);
      g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, ev->encoders[e].name);
      for (int m = 0; m < AL_SCENE_N_METRICS; m++)
        {
          JsonObject *st = json_object_get_object_member (o, al_scene_metric_key (m));
          g_assert_cmpfloat (json_object_get_double_member (st, "mean"), ==, ev->encoders[e].stats[m].mean);
          g_assert_cmpfloat (json_object_get_double_member (st, "ci95"), ==, ev->encoders[e].stats[m].ci95);
          g_assert_cmpint (json_object_get_int_member (st, "n"), ==, 3);
        }
    }
  /* Each scene as rendered: its seed and length. */
  JsonArray *scenes = json_object_get_array_member (json_node_get_object (root), "scene_list");
  g_assert_cmpint (json_array_get_length (scenes), ==, ev->nscenes);
  for (int s = 0; s < ev->nscenes; s++)
    {
      JsonObject *o = json_array_get_object_element (scenes, s);
      g_assert_cmpint (json_object_get_int_member (o, "seed"), ==, ev->scenes[s].seed);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "duration_s"), ev->scenes[s].duration, 1e-9);
      g_assert_cmpfloat_with_epsilon (ev->scenes[s].duration, 0.3, 1.0 / fs); /* run_glasses: duration=0.3 */
    }
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_assert_cmpint (system (cmd), ==, 0);
  for (int e = 0; e < 2; e++)
    al_scene_encoder_free (encs[e]);
  al_test_clips_free (clips, 2);
}

/* Bad inputs: one line naming the problem. */
static void
test_bad_input (void)
{
  AlAudio *clips[1];
  al_test_noise_clips (clips, 1, fs, 100);
  g_autoptr (AlAtfSet) atf = sh_array (1);
  AlSceneSet set;
  short_set (&set, 1, 1, NULL);
  AlSceneEvalOptions opt;
  small_options (&opt);
  g_autoptr (AlSceneEncoder) wrong_mics = al_scene_encoder_new_identity ("o2", 2, fs, AL_SH_N3D);
  g_autoptr (AlSceneEncoder) wrong_rate = al_scene_encoder_new_identity ("r44", 1, 44100, AL_SH_N3D);
  g_autoptr (AlSceneEncoder) ok = al_scene_encoder_new_identity ("id", 1, fs, AL_SH_N3D);
  g_autoptr (GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL;
  g_assert_null (al_scene_evaluate (atf, &wrong_mics, 1, &set, clips, NULL, 1, &opt, NULL, &e1));
  g_assert_error (e1, AL_ERROR, AL_ERROR_MISMATCH);
  g_assert_nonnull (strstr (e1->message, "expects 9 microphones"));
  g_assert_null (al_scene_evaluate (atf, &wrong_rate, 1, &set, clips, NULL, 1, &opt, NULL, &e2));
  g_assert_nonnull (strstr (e2->message, "44100 Hz"));
  /* clips at another rate */
  g_autoptr (AlAudio) slow = al_audio_new (44100, 1, 44100);
  const char *name = "slow.wav";
  g_assert_null (al_scene_evaluate (atf, &ok, 1, &set, &slow, &name, 1, &opt, NULL, &e3));
  g_assert_nonnull (strstr (e3->message, "slow.wav"));
  g_assert_nonnull (strstr (e3->message, "44100"));
  /* no clips */
  g_assert_null (al_scene_evaluate (atf, &ok, 1, &set, NULL, NULL, 0, &opt, NULL, &e4));
  g_assert_nonnull (strstr (e4->message, "no dry audio clips"));
  al_test_clips_free (clips, 1);
}

/* Cancelling stops between scenes with G_IO_ERROR_CANCELLED. */
static void
cancel_on_first (double fraction, const char *message, gpointer data)
{
  if (fraction > 0)
    g_cancellable_cancel (data);
}

static void
test_cancel (void)
{
  AlAudio *clips[1];
  al_test_noise_clips (clips, 1, fs, 100);
  g_autoptr (AlAtfSet) atf = sh_array (1);
  g_autoptr (AlSceneEncoder) enc = al_scene_encoder_new_identity ("id", 1, fs, AL_SH_N3D);
  AlSceneSet set;
  short_set (&set, 20, 1, "duration=0.2,order=2");
  AlSceneEvalOptions opt;
  small_options (&opt);
  g_autoptr (GCancellable) cancel = g_cancellable_new ();
  AlProgress progress = { cancel_on_first, cancel, cancel, 0, 0 };
  g_autoptr (GError) error = NULL;
  g_assert_null (al_scene_evaluate (atf, &enc, 1, &set, clips, NULL, 1, &opt, &progress, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  al_test_clips_free (clips, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scene-eval/student-t", test_student_t);
  g_test_add_func ("/scene-eval/spec", test_spec_parse);
  g_test_add_func ("/scene-eval/spec-duration", test_spec_duration);
  g_test_add_func ("/scene-eval/set-durations", test_set_durations);
  g_test_add_func ("/scene-eval/rotation-formula", test_rotation_formula);
  g_test_add_func ("/scene-eval/identity-and-gain", test_identity_and_gain);
  g_test_add_func ("/scene-eval/rotation", test_rotation);
  g_test_add_func ("/scene-eval/gain-linear", test_gain_linear);
  g_test_add_func ("/scene-eval/determinism-and-ci", test_determinism_and_ci);
  g_test_add_func ("/scene-eval/localisation-default", test_localisation_default);
  g_test_add_func ("/scene-eval/write", test_write);
  g_test_add_func ("/scene-eval/bad-input", test_bad_input);
  g_test_add_func ("/scene-eval/cancel", test_cancel);
  return g_test_run ();
}
