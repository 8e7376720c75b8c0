/* al-test-arrays.c — ATF sets with known answers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-test-arrays.h"

#include <string.h>

AlAtfSet *
al_test_sh_array (int order, const AlGrid *grid, int ir_len, int onset, double fs)
{
  const int nsh = al_sh_count (order);
  AlAtfSet *set = al_atf_set_new (grid->n, nsh, ir_len, fs);
  memcpy (set->dirs, grid->dirs, sizeof (double) * 2 * grid->n);
  double *Y = g_new (double, (gsize) grid->n * nsh);
  al_sh_matrix (order, AL_SH_N3D, grid->dirs, grid->n, Y);
  for (int k = 0; k < grid->n; k++)
    for (int q = 0; q < nsh; q++)
      set->ir[((gsize) k * nsh + q) * ir_len + onset] = Y[(gsize) k * nsh + q];
  g_free (Y);
  set->source = g_strdup ("sh-array");
  return set;
}
