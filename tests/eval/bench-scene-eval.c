/* bench-scene-eval.c — how long comparing encoders on scenes takes: 50
 * random scenes (the spec: rooms 3×3×2 to 10×10×5 m, absorption
 * 0.2–0.95, 1–5 sources, 4 s, image order 40) × 3 linear encoders (10, 15
 * and 20 dB, diffuse-field EQ, 2048 taps) on the demo array (glasses5 ATFs
 * on fibonacci:1024, 512 taps, 280 samples of delay, as resources/ builds
 * it).  Prints seconds per scene and in total; asserts nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "eval/al-scene-eval.h"

/* CPU seconds of all threads: other jobs on a shared machine inflate the
 * wall time but not this. */
static double
cpu_now (void)
{
  struct rusage ru;
  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + 1e-6 * (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

static AlAudio *
noise_clip (guint32 seed, double seconds)
{
  AlAudio *a = al_audio_new (48000, 1, (gint64) (seconds * 48000));
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  for (gint64 k = 0; k < a->nframes; k++)
    a->data[k] = (float) g_rand_double_range (rand, -0.5, 0.5);
  return a;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  const int count = argc > 1 ? atoi (argv[1]) : 50;
  g_autoptr (AlArrayModel) model = al_array_model_preset ("glasses5", &error);
  g_autoptr (AlGrid) grid = al_grid_fibonacci (1024);
  g_autoptr (AlAtfSet) atf = al_array_model_simulate (model, grid, 48000, 512, 280, NULL, &error);
  if (atf == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 0;
    }
  AlSceneEncoder *encs[3];
  const double gains[3] = { 10, 15, 20 };
  for (int e = 0; e < 3; e++)
    {
      AlDesignParams p;
      al_design_params_init (&p);
      p.max_gain_db = gains[e];
      p.diffuse_eq = TRUE;
      p.fir_length = 2048;
      g_autoptr (AlEncoder) enc = al_encoder_design (atf, &p, NULL, &error);
      if (enc == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return 0;
        }
      g_autofree char *name = g_strdup_printf ("ls%.0f", gains[e]);
      encs[e] = al_scene_encoder_new_linear (enc, name);
    }
  AlAudio *clips[4];
  for (int k = 0; k < 4; k++)
    clips[k] = noise_clip (k + 1, 6);
  AlSceneSet set;
  al_scene_set_init (&set);
  al_scene_set_parse (&set, "seed=1,rooms=3x3x2..10x10x5,absorption=0.2..0.95,sources=1..5,duration=4", NULL);
  set.count = count;
  AlSceneEvalOptions opt;
  al_scene_eval_options_init (&opt);
  const double c0 = cpu_now ();
  g_autoptr (AlSceneEval) ev = al_scene_evaluate (atf, encs, 3, &set, clips, NULL, 4, &opt, NULL, &error);
  if (ev == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 0;
    }
  printf ("%d scenes (4 s, 1-5 sources, image order 40) x 3 encoders (2048 taps) on glasses5, %d processors, "
          "maps on %d directions:\n%.2f s per scene, %.1f s in total (CPU %.2f s per scene, %.1f s)\n",
          count, (int) g_get_num_processors (), opt.map_grid, ev->seconds / count, ev->seconds,
          (cpu_now () - c0) / count, cpu_now () - c0);
  for (int e = 0; e < 3; e++)
    printf ("  %-5s coherence %.3f ± %.3f, SI-SDR %.2f ± %.2f dB, SPME %.2f ± %.2f dB\n", ev->encoders[e].name,
            ev->encoders[e].stats[AL_SCENE_COHERENCE].mean, ev->encoders[e].stats[AL_SCENE_COHERENCE].ci95,
            ev->encoders[e].stats[AL_SCENE_SI_SDR].mean, ev->encoders[e].stats[AL_SCENE_SI_SDR].ci95,
            ev->encoders[e].stats[AL_SCENE_SPME].mean, ev->encoders[e].stats[AL_SCENE_SPME].ci95);
  for (int e = 0; e < 3; e++)
    al_scene_encoder_free (encs[e]);
  for (int k = 0; k < 4; k++)
    al_audio_free (clips[k]);
  return 0;
}
