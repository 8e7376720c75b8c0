/* bench-sim.c — how fast the training-data factory is: 4 s scenes with 3
 * sources at image order 40 for the glasses5 demo array (ATFs simulated on
 * fibonacci:2048, 512 taps, 48 kHz).  Prints ms per scene and the projected
 * time for 1000 scenes (target: under 10 minutes on 2 cores); asserts nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-sim-private.h"

#include <math.h>
#include <stdio.h>
#include <sys/resource.h>

static double
now (void)
{
  return g_get_monotonic_time () * 1e-6;
}

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
  GRand *rand = g_rand_new_with_seed (seed);

  for (gint64 k = 0; k < a->nframes; k++)
    a->data[k] = (float) g_rand_double_range (rand, -0.5, 0.5);
  g_rand_free (rand);
  return a;
}

/* Mean wall and CPU seconds per scene over `n` random scenes (seeds 1…n),
 * after one render that warms the FFT plans. */
static gboolean
time_random_scenes (AlSimArray *arr, const AlSimRandomSpec *spec, AlAudio *const *clips, int n,
                    double *wall, double *cpu)
{
  *wall = *cpu = 0;
  for (int k = 0; k <= n; k++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (AlSimScene) scene = al_sim_scene_random (spec, (guint32) MAX (k, 1), 48000, clips,
                                                          NULL, 3, &error);
      if (scene == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return FALSE;
        }
      const double t0 = now (), c0 = cpu_now ();
      g_autoptr (AlSimResult) res = al_sim_render (arr, scene, NULL, &error);
      if (res == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return FALSE;
        }
      if (k > 0)
        {
          *wall += (now () - t0) / n;
          *cpu += (cpu_now () - c0) / n;
        }
    }
  return TRUE;
}

int
main (void)
{
  g_autoptr (GError) error = NULL;
  AlAudio *clips[3];
  AlSimArrayOptions opt;
  AlSimRandomSpec spec;
  const int nscenes = 8;
  int default_nfft = 0;
  double t0;

  g_autoptr (AlArrayModel) model = al_array_model_preset ("glasses5", &error);
  g_autoptr (AlGrid) grid = al_grid_parse ("fibonacci:2048", &error);
  t0 = now ();
  g_autoptr (AlAtfSet) atf = al_array_model_simulate (model, grid, 48000, 512, -1, NULL, &error);
  if (atf == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 0;
    }
  printf ("glasses5 ATFs on fibonacci:2048, 512 taps, 48 kHz: simulated in %.2f s\n", now () - t0);

  for (int k = 0; k < 3; k++)
    clips[k] = noise_clip (k + 1, 6);
  al_sim_random_spec_init (&spec);
  spec.nsources_min = spec.nsources_max = 3;
  spec.duration_min = spec.duration_max = 4;
  spec.max_order = 40;

  for (int threads = 1; threads <= 2; threads++)
    {
      al_sim_array_options_init (&opt);
      opt.nthreads = threads;
      t0 = now ();
      g_autoptr (AlSimArray) arr = al_sim_array_new (atf, &opt, &error);
      if (arr == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return 0;
        }
      default_nfft = arr->N;
      if (threads == 1)
        printf ("prepared for rendering in %.3f s (label delay %d samples, FOA SN3D labels)\n"
                "random 4 s scenes, 3 sources, image order 40, rooms 3x3x2.5 to 10x8x4 m, "
                "alpha 0.2 to 0.95, mean of %d:\n",
                now () - t0, al_sim_array_sh_delay (arr), nscenes);
      for (int nfft = 1024; nfft <= 2048; nfft *= 2)
        {
          double wall, cpu;
          if (!al_sim_array_set_fft_size (arr, nfft, &error)
              || !time_random_scenes (arr, &spec, clips, nscenes, &wall, &cpu))
            return 0;
          printf ("%d thread%s, block FFT %4d%s: %6.1f ms per scene (CPU %6.1f ms) -> 1000 scenes "
                  "in %4.1f min\n",
                  threads, threads > 1 ? "s" : " ", nfft, nfft == default_nfft ? " (default)" : "",
                  1e3 * wall, 1e3 * cpu, wall * 1000 / 60);
        }
    }

  /* a fixed mid-size room, default settings, with and without noise */
  {
    AlSimRoom room;
    const double pos[3] = { 2.4, 2.1, 1.3 };
    const double p[3][3] = { { 4.8, 3.9, 1.6 }, { 1.0, 4.1, 1.2 }, { 5.1, 0.9, 2.0 } };
    g_autoptr (AlSimArray) arr = al_sim_array_new (atf, NULL, &error);
    al_sim_room_init (&room, 6, 5, 3, 0.2);
    g_autoptr (AlSimScene) scene = al_sim_scene_new (48000, &room, pos);
    scene->nframes = 4 * 48000;
    for (int s = 0; s < 3; s++)
      al_sim_scene_add_source (scene, p[s], clips[s]);
    for (int noise = 0; noise < 2; noise++)
      {
        double best = INFINITY, best_cpu = INFINITY;
        scene->diffuse_snr_db = noise ? 20 : INFINITY;
        scene->sensor_snr_db = noise ? 40 : INFINITY;
        for (int r = 0; r < 4; r++)
          {
            t0 = now ();
            const double c0 = cpu_now ();
            g_autoptr (AlSimResult) res = al_sim_render (arr, scene, NULL, &error);
            best = MIN (best, now () - t0);
            best_cpu = MIN (best_cpu, cpu_now () - c0);
            if (r == 0 && noise == 0)
              printf ("6x5x3 m, alpha 0.2: RIRs of %d samples (%.2f s)\n", res->rirs[0]->len,
                      res->rirs[0]->len / 48000.0);
          }
        printf ("default settings (%d threads), 6x5x3 m%s: %.1f ms per scene (CPU %.1f ms) -> "
                "1000 scenes in %.1f min\n",
                (int) g_get_num_processors (),
                noise ? " + diffuse (32 directions) and sensor noise" : "", 1e3 * best,
                1e3 * best_cpu, best * 1000 / 60);
      }
  }
  for (int k = 0; k < 3; k++)
    al_audio_free (clips[k]);
  return 0;
}
