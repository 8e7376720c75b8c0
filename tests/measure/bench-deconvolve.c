/* bench-deconvolve.c — prints how long one measurement direction takes to
 * deconvolve: 33 channels (em32 + loopback) recorded with a 6 s sweep at
 * 48 kHz, raw deconvolution on one and on all threads, and the whole point
 * (latency, drift, windows, harmonics 2…5, checks); asserts nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-measure.h"

#include <stdio.h>

static double
seconds_since (gint64 t0)
{
  return (g_get_monotonic_time () - t0) * 1e-6;
}

static void
free_irs (AlRawIr **irs, int n)
{
  for (int c = 0; c < n; c++)
    al_raw_ir_free (irs[c]);
  g_free (irs);
}

int
main (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlArrayModel) model = al_array_model_preset ("em32", &error);
  g_autoptr (AlGrid) grid = al_grid_fibonacci (16);
  g_autoptr (AlAtfSet) set = model ? al_array_model_simulate (model, grid, 48000, 256, -1, NULL, &error) : NULL;
  g_autoptr (AlSweep) s = set ? al_sweep_new_from_spec ("f1=20,f2=22000,T=6,level=-12", &error) : NULL;
  if (s == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  AlSimChamberParams sp;
  al_sim_chamber_params_init (&sp);
  sp.noise_dbfs = -90;
  sp.thd = 0.01;
  g_autoptr (AlSimChamber) sim = al_sim_chamber_new (set, &sp, &error);
  g_autofree float *played = al_sweep_signal_float (s);
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (AlRecording) rec = al_sim_chamber_record (sim, 30.0, played, s->n_total, &error);
  double t_sim = seconds_since (t0);
  if (rec == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }

  t0 = g_get_monotonic_time ();
  g_autoptr (AlDeconvolver) d = al_deconvolver_new (s, NULL, 0, &error);
  double t_new = seconds_since (t0);
  int nthreads = MIN ((int) g_get_num_processors (), 16);
  printf ("sweep %s: T = %.2f s, L = %.3f s, recording %d samples x %d channels, FFT %d\n",
          "f1=20,f2=22000,T=6", s->T, s->L, rec->nframes, rec->nchannels, al_deconvolver_fft_len (d));
  printf ("simulated chamber, one direction (33 inputs):          %7.3f s\n", t_sim);
  printf ("deconvolver set-up (inverse + normalisation):          %7.3f s\n", t_new);

  /* Warm the FFT plan cache, then time. */
  free_irs (al_deconvolver_run_all (d, rec, nthreads, NULL, &error), rec->nchannels);
  const int reps = 3;
  double best1 = G_MAXDOUBLE, bestn = G_MAXDOUBLE, bestp = G_MAXDOUBLE, bestp1 = G_MAXDOUBLE;
  for (int r = 0; r < reps; r++)
    {
      t0 = g_get_monotonic_time ();
      free_irs (al_deconvolver_run_all (d, rec, 1, NULL, &error), rec->nchannels);
      best1 = MIN (best1, seconds_since (t0));
      t0 = g_get_monotonic_time ();
      free_irs (al_deconvolver_run_all (d, rec, nthreads, NULL, &error), rec->nchannels);
      bestn = MIN (bestn, seconds_since (t0));

      AlPointParams pp;
      al_point_params_init (&pp, s, rec->nchannels);
      t0 = g_get_monotonic_time ();
      AlPointResult *res = al_measure_point (d, s, rec, &pp, NULL, NULL, &error);
      bestp = MIN (bestp, seconds_since (t0));
      if (res == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      if (r == 0)
        printf ("  (point: latency %.3f samples, drift %.3f ppm, THD mic 1 %.3f %%, QC %s)\n", res->latency,
                res->drift_ppm, res->harmonics[0]->total_percent, al_qc_verdict_name (res->qc->verdict));
      al_point_result_free (res);
      pp.nthreads = 1;
      t0 = g_get_monotonic_time ();
      res = al_measure_point (d, s, rec, &pp, NULL, NULL, &error);
      bestp1 = MIN (bestp1, seconds_since (t0));
      al_point_result_free (res);
    }
  printf ("deconvolve 33 channels, 1 thread:                      %7.3f s per direction (%.1f ms per channel)\n",
          best1, 1e3 * best1 / rec->nchannels);
  printf ("deconvolve 33 channels, %2d threads:                     %7.3f s per direction\n", nthreads, bestn);
  printf ("whole point (deconvolution, latency, drift, windows,\n"
          "  harmonics 2-5, checks), 1 thread:                    %7.3f s per direction\n", bestp1);
  printf ("whole point, %2d threads:                                %7.3f s per direction\n", nthreads, bestp);
  return 0;
}
