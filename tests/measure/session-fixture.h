/* session-fixture.h — what the session tests share: a small ground truth
 * (the glasses5 model on a 12 x 3 ring grid, 256 taps) written to SOFA, a
 * short sweep, and sessions on sim: audio and a sim: turntable in a virtual
 * clock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "al-session.h"
#include "dsp/al-dsp.h"

#include <complex.h>

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

/* Error energy of the first FIX_IR_LEN taps of meas against ref over
 * [lo, hi] Hz, dB. */
static inline double
fixture_band_error_db (const double *meas, const double *ref, double fs, double lo, double hi)
{
  const int nfft = 4 * FIX_IR_LEN, nbins = nfft / 2 + 1;
  AlFft *fft = al_fft_new (nfft);
  double buf[4 * FIX_IR_LEN];
  double complex M[4 * FIX_IR_LEN / 2 + 1], T[4 * FIX_IR_LEN / 2 + 1];
  memset (buf, 0, sizeof buf);
  memcpy (buf, meas, sizeof (double) * FIX_IR_LEN);
  al_fft_forward (fft, buf, M);
  memcpy (buf, ref, sizeof (double) * FIX_IR_LEN);
  al_fft_forward (fft, buf, T);
  al_fft_free (fft);
  double err = 0.0, tot = 0.0;
  for (int k = 0; k < nbins; k++)
    {
      double f = k * fs / nfft;
      if (f < lo || f > hi)
        continue;
      err += creal ((M[k] - T[k]) * conj (M[k] - T[k]));
      tot += creal (T[k] * conj (T[k]));
    }
  return 10.0 * log10 (err / tot);
}
/* The truth's direction at (az, el) degrees, or −1. */
static inline int
fixture_truth_index (const AlAtfSet *truth, double az_deg, double el_deg)
{
  for (int j = 0; j < truth->ndirs; j++)
    if (fabs (remainder (AL_RAD2DEG (truth->dirs[2 * j]) - az_deg, 360.0)) < 0.05
        && fabs (AL_RAD2DEG (truth->dirs[2 * j + 1]) - el_deg) < 0.05)
      return j;
  return -1;
}
