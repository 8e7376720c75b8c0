/* bench-design.c — prints encoder design times (no pass/fail): the demo
 * array at order 1 on a 2048-point grid with 1024 bins, and a 32-mic rigid
 * sphere (em32) at order 4 on 840 directions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include "encode/al-encode.h"

static void
bench (const char *preset, int ndirs, int order, int fir_length, AlDesignMethod method)
{
  g_autoptr (AlArrayModel) model = al_array_model_preset (preset, NULL);
  g_autoptr (AlGrid) grid = al_grid_fibonacci (ndirs);
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (AlAtfSet) set = al_array_model_simulate (model, grid, 48000, 512, 280, NULL, NULL);
  gint64 t1 = g_get_monotonic_time ();
  AlDesignParams p;
  al_design_params_init (&p);
  p.order = order;
  p.max_gain_db = 20;
  p.fir_length = fir_length;
  p.diffuse_eq = method != AL_DESIGN_TD_LS;
  p.method = method;
  g_autoptr (GError) error = NULL;
  g_autoptr (AlEncoder) enc = al_encoder_design (set, &p, NULL, &error);
  gint64 t2 = g_get_monotonic_time ();
  if (enc == NULL)
    {
      printf ("%s: %s\n", preset, error->message);
      return;
    }
  printf ("%-8s %2d mics, %4d directions, order %d, %-9s %4d taps: design %7.1f ms (simulation %7.1f ms)\n",
          preset, set->nmics, ndirs, order, al_design_method_name (method), fir_length,
          (t2 - t1) / 1000.0, (t1 - t0) / 1000.0);
}

/* The Design page's case: the set is prepared once, then only the gain
 * limit changes. */
static void
bench_context (void)
{
  g_autoptr (AlArrayModel) model = al_array_model_preset ("glasses5", NULL);
  g_autoptr (AlGrid) grid = al_grid_fibonacci (1024);
  g_autoptr (AlAtfSet) set = al_array_model_simulate (model, grid, 48000, 512, 280, NULL, NULL);
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (AlDesignContext) ctx = al_design_context_new (set, 1024, 1, NULL, NULL);
  gint64 t1 = g_get_monotonic_time ();
  AlDesignParams p;
  al_design_params_init (&p);
  p.diffuse_eq = TRUE;
  const int runs = 10;
  for (int i = 0; i < runs; i++)
    {
      p.max_gain_db = 10 + i;
      al_encoder_free (al_design_context_run (ctx, &p, NULL, NULL));
    }
  gint64 t2 = g_get_monotonic_time ();
  printf ("glasses5 on 1024 directions, order 1, 1024 taps: context %7.1f ms once, then %6.1f ms per design\n",
          (t1 - t0) / 1000.0, (t2 - t1) / 1000.0 / runs);
}

int
main (void)
{
  bench_context ();
  /* 1024 taps: per-bin designs work on an FFT of 2048, i.e. 1025 bins */
  bench ("glasses5", 2048, 1, 1024, AL_DESIGN_TIKHONOV);
  bench ("glasses5", 2048, 1, 1024, AL_DESIGN_SOFTLIMIT);
  bench ("em32", 840, 4, 1024, AL_DESIGN_TIKHONOV);
  bench ("glasses5", 2048, 1, 512, AL_DESIGN_TD_LS);
  return 0;
}
