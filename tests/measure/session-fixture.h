/* session-fixture.h — what the session tests share: a small ground truth
 * (the glasses5 model on a 12 x 3 ring grid, 256 taps) written to SOFA, a
 * short sweep, and sessions on sim: audio and a sim: turntable in a virtual
 * clock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "al-session.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#define FIX_IR_LEN 256
#define FIX_SWEEP "f1=20,f2=22000,T=0.5,level=-10,pre=0.1,post=0.2"
#define FIX_LATENCY 257.3

/* Ground truth on az 0:30:330 x el −30, 0, 30 (degrees) in dir/truth.sofa. */
static inline char *
fixture_truth (const char *dir, AlAtfSet **truth_out)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlArrayModel) model = al_array_model_preset ("glasses5", &error);
  g_assert_no_error (error);
  double dirs[36 * 2];
  for (int e = 0; e < 3; e++)
    for (int a = 0; a < 12; a++)
      {
        dirs[2 * (e * 12 + a)] = AL_DEG2RAD (30.0 * a);
        dirs[2 * (e * 12 + a) + 1] = AL_DEG2RAD (-30.0 + 30.0 * e);
      }
  g_autoptr (AlGrid) grid = al_grid_quadrature (dirs, 36, &error);
  g_assert_no_error (error);
  AlAtfSet *set = al_array_model_simulate (model, grid, 48000, FIX_IR_LEN, -1, NULL, &error);
  g_assert_no_error (error);
  char *path = g_build_filename (dir, "truth.sofa", NULL);
  g_assert_true (al_sofa_write (path, set, NULL, &error));
  g_assert_no_error (error);
  if (truth_out)
    *truth_out = set;
  else
    al_atf_set_free (set);
  return path;
}

static inline void
fixture_config (AlSessionConfig *c, const char *truth, const char *grid, const char *turntable)
{
  al_session_config_init (c);
  c->audio_uri = g_strdup_printf ("sim:truth=%s&noise=-80&latency=%g&seed=5", truth, FIX_LATENCY);
  c->turntable_uri = g_strdup (turntable ? turntable : "sim:?speed=30");
  c->grid_spec = g_strdup (grid);
  c->sweep_spec = g_strdup (FIX_SWEEP);
  c->ir_start = 0;
  c->ir_len = FIX_IR_LEN;
}

/* Opens (or resumes) a session whose turntable runs in `clock`. */
static inline AlSession *
fixture_open (const char *dir, const AlSessionConfig *c, gboolean resume, AlTurntableClock *clock, GError **error)
{
  AlSession *s = al_session_open (dir, c, resume, error);
  if (s != NULL)
    al_turntable_set_clock (al_session_get_turntable (s), clock);
  return s;
}

static inline void
fixture_rm_rf (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      if (g_file_test (p, G_FILE_TEST_IS_DIR))
        fixture_rm_rf (p);
      else
        g_unlink (p);
    }
  g_rmdir (dir);
}
