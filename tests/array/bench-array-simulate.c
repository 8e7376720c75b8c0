/* bench-array-simulate.c — prints how long the analytic models take to
 * simulate full ATF sets (and one interpolation); asserts nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-array.h"

#include <stdio.h>

static double
time_simulation (const char *preset, const char *grid_spec, int ir_len, AlAtfSet **out)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlArrayModel) model = al_array_model_preset (preset, &error);
  g_autoptr (AlGrid) grid = al_grid_parse (grid_spec, &error);
  if (model == NULL || grid == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return -1;
    }
  gint64 t0 = g_get_monotonic_time ();
  AlAtfSet *set = al_array_model_simulate (model, grid, 48000, ir_len, -1, NULL, &error);
  double seconds = (g_get_monotonic_time () - t0) * 1e-6;
  if (set == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return -1;
    }
  printf ("simulate %-8s on %-15s %4d taps at 48 kHz: %.3f s (%d threads available)\n",
          preset, grid_spec, ir_len, seconds, (int) g_get_num_processors ());
  if (out != NULL)
    *out = set;
  else
    al_atf_set_free (set);
  return seconds;
}

int
main (void)
{
  AlAtfSet *glasses = NULL;
  time_simulation ("glasses5", "fibonacci:2048", 512, &glasses);
  time_simulation ("em32", "fibonacci:840", 512, NULL);
  if (glasses != NULL)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (AlGrid) targets = al_grid_fibonacci (1000);
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr (AlAtfSet) out = al_atf_set_interpolate (glasses, targets->dirs, targets->n, 12, NULL, &error);
      printf ("interpolate glasses5 fibonacci:2048 -> fibonacci:1000, order 12, 512 taps: %.3f s%s\n",
              (g_get_monotonic_time () - t0) * 1e-6, out ? "" : " (failed)");
      al_atf_set_free (glasses);
    }
  return 0;
}
