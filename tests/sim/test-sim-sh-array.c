/* test-sim-sh-array.c — an "array" whose ATFs are exact SH patterns (mic q
 * at grid direction k answers Y_q(Ω_k)·δ(n − onset), N3D) must record the
 * ground-truth SH signals themselves: per-source RIRs and mixed scene
 * signals equal to 1e-6 of their peak, in N3D and (scaled) in SN3D; labelled
 * at the true instead of the grid direction they differ.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-sim.h"
#include "al-test-arrays.h"

#include <math.h>

static const double fs = 48000;
static const int order = 2, onset = 5;

static AlAudio *
noise_clip (guint32 seed, gint64 nframes, int nchannels)
{
  AlAudio *a = al_audio_new (fs, nchannels, nframes);
  GRand *rand = g_rand_new_with_seed (seed);

  for (gint64 k = 0; k < nframes * nchannels; k++)
    a->data[k] = (float) g_rand_double_range (rand, -0.5, 0.5);
  g_rand_free (rand);
  return a;
}

static AlSimScene *
make_scene (const AlAudio *a, const AlAudio *b)
{
  AlSimRoom room;
  const double array_pos[3] = { 2.1, 1.7, 1.4 };
  const double p1[3] = { 3.9, 3.1, 1.2 }, p2[3] = { 0.8, 0.6, 2.2 };
  AlSimScene *scene;
  AlSimSource *src;

  al_sim_room_init (&room, 5, 4, 3, 0.3);
  room.absorption[AL_SIM_WALL_Z0] = 0.6;
  room.max_order = 20;
  scene = al_sim_scene_new (fs, &room, array_pos);
  scene->array_rot = (AlSimOrientation) { AL_DEG2RAD (40), AL_DEG2RAD (10), AL_DEG2RAD (-5) };
  scene->nframes = (gint64) (0.5 * fs);
  al_sim_scene_add_source (scene, p1, a);
  src = al_sim_scene_add_source (scene, p2, b);
  src->gain_db = -3;
  src->start = 2000;
  src->channel = -1;
  return scene;
}

static double
max_abs (const float *x, gsize n)
{
  double m = 0;
  for (gsize k = 0; k < n; k++)
    m = MAX (m, fabs (x[k]));
  return m;
}

/* max |a·scale_c − b| / max |b| over channels c of n samples each */
static double
rel_error (const float *mic, const float *sh, int nch, gsize n, AlShNorm norm)
{
  double err = 0;
  for (int c = 0; c < nch; c++)
    {
      const double f = al_sh_norm_factor (al_sh_degree_of (c), AL_SH_N3D, norm);
      for (gsize t = 0; t < n; t++)
        err = MAX (err, fabs (f * mic[c * n + t] - sh[c * n + t]));
    }
  return err / max_abs (sh, nch * n);
}

static void
check_norm (AlShNorm norm, gboolean exact_labels)
{
  g_autoptr (AlGrid) grid = al_grid_fibonacci (2048);
  g_autoptr (AlAtfSet) set = al_test_sh_array (order, grid, 16, onset, fs);
  g_autoptr (AlAudio) a = noise_clip (1, (gint64) (0.3 * fs), 1);
  g_autoptr (AlAudio) b = noise_clip (2, (gint64) (0.2 * fs), 2);
  g_autoptr (AlSimScene) scene = make_scene (a, b);
  g_autoptr (GError) error = NULL;
  AlSimArrayOptions opt;

  al_sim_array_options_init (&opt);
  opt.sh_order = order;
  opt.sh_norm = norm;
  opt.label_exact_direction = exact_labels;
  g_autoptr (AlSimArray) arr = al_sim_array_new (set, &opt, &error);
  g_assert_no_error (error);
  g_assert_cmpint (al_sim_array_sh_delay (arr), ==, onset);
  g_autoptr (AlSimResult) res = al_sim_render (arr, scene, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (res->nmics, ==, 9);
  g_assert_cmpint (res->nsh, ==, 9);
  g_assert_cmpint (res->nframes, ==, scene->nframes);

  for (int s = 0; s < res->nsources; s++)
    {
      const AlSimRir *r = res->rirs[s];
      const double e = rel_error (r->mic, r->sh, 9, r->len, norm);
      g_test_message ("%s%s labels, source %d: RIR error %.3g of the peak %.3g (%d images)",
                      al_sh_norm_name (norm), exact_labels ? " true-direction" : "", s + 1, e,
                      max_abs (r->sh, 9 * (gsize) r->len), r->nimages);
      if (exact_labels)
        g_assert_cmpfloat (e, >, 1e-3);
      else
        g_assert_cmpfloat (e, <, 1e-6);
    }
  const double e = rel_error (res->mic, res->sh, 9, res->nframes, norm);
  g_test_message ("%s%s labels, mixed scene: error %.3g of the peak %.3g", al_sh_norm_name (norm),
                  exact_labels ? " true-direction" : "", e, max_abs (res->sh, 9 * res->nframes));
  if (exact_labels)
    g_assert_cmpfloat (e, >, 1e-3);
  else
    {
      g_assert_cmpfloat (e, <, 1e-6);
      /* and in absolute terms (the peak is of order 1) */
      g_assert_cmpfloat (e * max_abs (res->sh, 9 * res->nframes), <, 1e-6);
    }
}

static void
test_n3d (void)
{
  check_norm (AL_SH_N3D, FALSE);
}

static void
test_sn3d (void)
{
  check_norm (AL_SH_SN3D, FALSE);
}

static void
test_true_direction (void)
{
  check_norm (AL_SH_N3D, TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sim/sh-array/n3d", test_n3d);
  g_test_add_func ("/sim/sh-array/sn3d", test_sn3d);
  g_test_add_func ("/sim/sh-array/true-direction-labels", test_true_direction);
  return g_test_run ();
}
