/* bench-session.c — the session's own cost per direction beyond sweep
 * playback and turntable travel: with sim: audio (no real time) and a sim:
 * turntable in a virtual clock, the wall time of a session is all overhead
 * (deconvolution, checks, harmonics, WAV + SHA-256 + fsync, journal).  Also
 * printed: the share of al_measure_point, timed on its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "session-fixture.h"

#include <stdio.h>

int
main (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("al-bench-session-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *truth = fixture_truth (tmp, NULL);
  g_autofree char *dir = g_build_filename (tmp, "s", NULL);
  AlSessionConfig c;
  fixture_config (&c, truth, "az=0:360:15;el=0", NULL);
  g_autoptr (AlTurntableClock) clock = al_turntable_clock_new_virtual (0);
  g_autoptr (AlSession) s = fixture_open (dir, &c, FALSE, clock, &error);
  g_assert_no_error (error);
  gint64 t0 = g_get_monotonic_time ();
  if (!al_session_run (s, NULL, &error))
    g_error ("%s", error->message);
  gint64 t1 = g_get_monotonic_time ();
  int n = al_session_get_n_directions (s) + 1;
  double per_dir_ms = (t1 - t0) * 1e-3 / n;
  double turntable_s = al_turntable_clock_now (clock) * 1e-6;

  /* al_measure_point alone on one recording, for the share. */
  const AlSweep *sw = al_session_get_sweep (s);
  g_autofree char *wav = g_build_filename (dir, "dir-0000.wav", NULL);
  g_autoptr (AlAudio) audio = al_audio_read (wav, &error);
  g_autoptr (AlRecording) rec = al_recording_from_audio (audio, &error);
  g_autoptr (AlDeconvolver) d = al_deconvolver_new (sw, NULL, 0, &error);
  AlPointParams pp;
  al_point_params_init (&pp, sw, rec->nchannels);
  const int reps = 10;
  gint64 t2 = g_get_monotonic_time ();
  for (int i = 0; i < reps; i++)
    al_point_result_free (al_measure_point (d, sw, rec, &pp, NULL, NULL, &error));
  double point_ms = (g_get_monotonic_time () - t2) * 1e-3 / reps;

  printf ("session overhead per direction (%d directions + reference repeat, 5 mics + reference, sweep %.2f s "
          "of %.2f s played): %.1f ms\n", n - 1, sw->T, sw->n_total / sw->params.fs, per_dir_ms);
  printf ("  of which al_measure_point %.1f ms, the rest (sim chamber, WAV, SHA-256, fsync, journal) %.1f ms\n",
          point_ms, per_dir_ms - point_ms);
  printf ("  virtual turntable travel and settling: %.1f s (not counted)\n", turntable_s);
  fixture_rm_rf (tmp);
  al_session_config_clear (&c);
  return 0;
}
