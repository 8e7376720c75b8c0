/* al-scene-sim.c — the simulator set up so encoders can be judged by it:
 * labels aligned with the ATFs' centre arrival, and the directions the
 * sources were heard from.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-scene-eval.h"

#include <math.h>

AlSimArray *
al_scene_sim_array_new (const AlAtfSet *atf, int order, AlShNorm norm, int nthreads, GError **error)
{
  AlSimArrayOptions opt;
  al_sim_array_options_init (&opt);
  opt.sh_order = order;
  opt.sh_norm = norm;
  opt.nthreads = nthreads;
  /* core/encode counts an encoder's latency from the centre arrival of the
   * ATFs (al_atf_set_centre_arrival); labels delayed by the same amount
   * line up with an encoder's output after exactly its latency.  The
   * simulator's own default (the mean IR's centroid) can differ by a few
   * samples, which costs coherence at high frequencies. */
  opt.sh_delay = (int) lround (al_atf_set_centre_arrival (atf));
  return al_sim_array_new (atf, &opt, error);
}

double *
al_scene_source_dirs (const AlSimArray *array, const AlAtfSet *atf, const AlSimScene *scene)
{
  double R[9];
  al_sim_orientation_matrix (&scene->array_rot, R);
  double *dirs = g_new (double, 2 * (gsize) MAX (scene->nsources, 1));
  for (int s = 0; s < scene->nsources; s++)
    {
      double u[3], v[3], az, el;
      for (int d = 0; d < 3; d++)
        u[d] = scene->sources[s].pos[d] - scene->array_pos[d];
      /* room → array frame: Rᵀ u */
      for (int d = 0; d < 3; d++)
        v[d] = R[0 * 3 + d] * u[0] + R[1 * 3 + d] * u[1] + R[2 * 3 + d] * u[2];
      al_xyz_to_dir (v, &az, &el);
      int k = al_sim_array_nearest (array, az, el);
      dirs[2 * s] = atf->dirs[2 * k];
      dirs[2 * s + 1] = atf->dirs[2 * k + 1];
    }
  return dirs;
}
