/* test-audio-sim.c — the "sim:" backend against AlSimChamber itself: the
 * glasses5 model's ATFs written to a SOFA file, opened by URI, must record
 * exactly what an AlSimChamber built from the same file and parameters
 * records (same seed, same angle → identical samples, run after run); the
 * seed and the turntable angle change the recording; the measurement chain
 * reads the URI's latency back; the level check meters, flags a quiet
 * loopback and clipping; the set's rate is enforced; runs can be cancelled.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-audio-backend.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#define SPEC "f1=20,f2=22000,T=0.5,level=-10,pre=0.1,post=0.2"

static char *tmpdir, *sofa_path, *sofa_uri_path;

static void
write_truth (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlArrayModel) model = al_array_model_preset ("glasses5", &error);
  g_assert_no_error (error);
  g_autoptr (AlGrid) grid = al_grid_fibonacci (32);
  g_autoptr (AlAtfSet) set = al_array_model_simulate (model, grid, 48000, 256, -1, NULL, &error);
  g_assert_no_error (error);
  tmpdir = g_dir_make_tmp ("ambilab-audio-sim-XXXXXX", &error);
  g_assert_no_error (error);
  sofa_path = g_build_filename (tmpdir, "truth atf.sofa", NULL); /* a space: escaped in the URI */
  g_assert_true (al_sofa_write (sofa_path, set, NULL, &error));
  g_assert_no_error (error);
  sofa_uri_path = g_uri_escape_string (sofa_path, "/", FALSE);
}

static AlAudioBackend *
open_sim (const char *extra)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *uri = g_strdup_printf ("sim:truth=%s%s", sofa_uri_path, extra);
  AlAudioBackend *b = al_audio_backend_open (uri, &error);
  g_assert_no_error (error);
  return b;
}

static AlSimChamber *
chamber (guint32 seed)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlAtfSet) truth = al_sofa_read (sofa_path, &error);
  g_assert_no_error (error);
  AlSimChamberParams p;
  al_sim_chamber_params_init (&p);
  p.noise_dbfs = -80.0;
  p.latency = 257.0;
  p.thd = 0.01;
  p.drift_ppm = 0.0;
  p.seed = seed;
  AlSimChamber *sim = al_sim_chamber_new (truth, &p, &error);
  g_assert_no_error (error);
  return sim;
}

static AlRecording *
record (AlAudioBackend *b, double angle, const AlSweep *s, const float *played)
{
  g_autoptr (GError) error = NULL;
  al_audio_backend_set_turntable_angle (b, angle);
  g_assert_cmpfloat (al_audio_backend_get_turntable_angle (b), ==, angle);
  AlAudioRunInfo info;
  AlRecording *rec = al_audio_backend_play_record (b, played, s->n_total, &info, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info.nframes, ==, s->n_total);
  g_assert_cmpuint (info.status, ==, 0);
  return rec;
}

static gboolean
same (const AlRecording *a, const AlRecording *b)
{
  return a->nchannels == b->nchannels && a->nframes == b->nframes && a->fs == b->fs
         && memcmp (a->data, b->data, sizeof (float) * a->nchannels * a->nframes) == 0;
}

#define URI_PARAMS "&noise=-80&latency=257&thd=1&drift=0&seed="

static gboolean
count_start (AlAudioBackend *b, gpointer user_data, GError **error)
{
  (*(int *) user_data)++;
  return TRUE;
}

static void
test_matches_chamber (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSweep) s = al_sweep_new_from_spec (SPEC, &error);
  g_assert_no_error (error);
  g_autofree float *played = al_sweep_signal_float (s);
  g_autoptr (AlAudioBackend) b = open_sim (URI_PARAMS "1");
  int started = 0;
  al_audio_backend_set_started_func (b, count_start, &started);
  g_assert_cmpint (al_audio_backend_get_n_mics (b), ==, 5);
  g_assert_cmpint (al_audio_backend_get_n_inputs (b), ==, 6);
  g_assert_cmpint (al_audio_backend_get_ref_channel (b), ==, 5);
  g_assert_cmpint (al_audio_backend_get_device_input (b, 5), ==, 6);
  g_assert_cmpfloat (al_audio_backend_get_rate (b), ==, 48000.0);
  g_autofree char *name = g_strdup_printf ("simulated chamber (%s)", sofa_path);
  g_assert_cmpstr (al_audio_backend_get_name (b), ==, name);
  AlAudioCallbackStats st;
  g_assert_false (al_audio_backend_get_callback_stats (b, &st));

  g_autoptr (AlSimChamber) sim = chamber (1);
  const double angles[] = { 30.0, -45.0, 30.0 };
  for (guint i = 0; i < G_N_ELEMENTS (angles); i++)
    {
      g_autoptr (AlRecording) got = record (b, angles[i], s, played);
      g_autoptr (AlRecording) want = al_sim_chamber_record (sim, angles[i], played, s->n_total, &error);
      g_assert_no_error (error);
      g_assert_true (same (got, want));
    }
  g_assert_cmpint (started, ==, 3);
}

static void
test_seed_and_angle (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSweep) s = al_sweep_new_from_spec (SPEC, &error);
  g_assert_no_error (error);
  g_autofree float *played = al_sweep_signal_float (s);
  g_autoptr (AlAudioBackend) a = open_sim (URI_PARAMS "7");
  g_autoptr (AlAudioBackend) b = open_sim (URI_PARAMS "7");
  g_autoptr (AlAudioBackend) c = open_sim (URI_PARAMS "8");
  g_autoptr (AlRecording) a1 = record (a, 60.0, s, played);
  g_autoptr (AlRecording) b1 = record (b, 60.0, s, played);
  g_autoptr (AlRecording) c1 = record (c, 60.0, s, played);
  g_assert_true (same (a1, b1));   /* same seed: identical */
  g_assert_false (same (a1, c1));  /* another seed: other noise */
  g_autoptr (AlRecording) a2 = record (a, 60.0, s, played);
  g_assert_false (same (a1, a2));  /* each run draws new noise */
  g_autoptr (AlRecording) b2 = record (b, 150.0, s, played);
  g_assert_false (same (a2, b2));  /* another angle */
  g_autoptr (AlSimChamber) sim = chamber (7);
  g_autoptr (AlRecording) w1 = al_sim_chamber_record (sim, 60.0, played, s->n_total, &error);
  g_autoptr (AlRecording) w2 = al_sim_chamber_record (sim, 150.0, played, s->n_total, &error);
  g_assert_no_error (error);
  g_assert_true (same (b2, w2));
}

/* The measurement chain reads the URI's latency off the loopback. */
static void
test_measure_point (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSweep) s = al_sweep_new_from_spec (SPEC, &error);
  g_assert_no_error (error);
  g_autofree float *played = al_sweep_signal_float (s);
  g_autoptr (AlAudioBackend) b = open_sim ("&noise=-90&latency=257.25&seed=3");
  g_autoptr (AlRecording) rec = record (b, 0.0, s, played);
  g_autoptr (AlDeconvolver) d = al_deconvolver_new (s, NULL, 0, &error);
  g_assert_no_error (error);
  AlPointParams pp;
  al_point_params_init (&pp, s, rec->nchannels);
  g_assert_cmpint (pp.ref_channel, ==, al_audio_backend_get_ref_channel (b));
  g_autoptr (AlPointResult) res = al_measure_point (d, s, rec, &pp, NULL, NULL, &error);
  g_assert_no_error (error);
  g_autofree char *summary = al_qc_report_summary (res->qc);
  g_test_message ("latency %.4f, QC %s", res->latency, summary);
  g_assert_cmpfloat (fabs (res->latency - 257.25), <, 0.01);
  g_assert_cmpint (res->nmics, ==, 5);
  g_assert_cmpint (res->qc->verdict, ==, AL_QC_PASS);
}

static void
test_level (void)
{
  g_autoptr (AlAudioBackend) b = open_sim ("&noise=-90");
  AlAudioLevelParams lp;
  al_audio_level_params_init (&lp);
  lp.sweep.duration = 0.5;
  lp.duration = 1.0;
  lp.level_dbfs = -12.0;
  g_autoptr (GError) error = NULL;
  g_autoptr (AlAudioLevels) lv = NULL;
  g_assert_true (al_audio_backend_level_check (b, &lp, NULL, NULL, &lv, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lv->nchannels, ==, 6);
  g_assert_cmpfloat (fabs (lv->duration - 1.0), <, 1e-9);
  g_test_message ("sim level check: mic 1 peak %.2f dBFS, reference %.2f dBFS", lv->peak_dbfs[0], lv->peak_dbfs[5]);
  g_assert_cmpfloat (fabs (lv->peak_dbfs[5] + 12.0), <, 0.1);

  /* −60 dB loopback: the reference reads −72 dBFS, below −60 dBFS. */
  g_autoptr (AlAudioBackend) quiet = open_sim ("&noise=-120&loopback=-60");
  g_clear_pointer (&lv, al_audio_levels_free);
  g_assert_false (al_audio_backend_level_check (quiet, &lp, NULL, NULL, &lv, NULL, &error));
  g_assert_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_REF_SILENT);
  g_test_message ("%s", error->message);
  g_autofree char *silent = g_strdup_printf ("simulated chamber (%s): the reference input 6 is silent (peak -7",
                                             sofa_path);
  g_assert_true (g_str_has_prefix (error->message, silent));
  g_assert_nonnull (strstr (error->message, "below -60 dBFS) while output plays at -12.0 dBFS"));
  g_assert_nonnull (lv);
  g_assert_cmpfloat (fabs (lv->peak_dbfs[5] + 72.0), <, 0.5);
  g_clear_error (&error);

  /* Full scale on the loopback clips the reference input. */
  lp.level_dbfs = 0.0;
  g_assert_false (al_audio_backend_level_check (b, &lp, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_CLIPPING);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "6 (reference) clip"));
  g_assert_nonnull (strstr (error->message, "at the start level 0.0 dBFS"));
}

static void
test_errors (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *uri = g_strdup_printf ("sim:truth=%s&rate=44100", sofa_uri_path);
  g_autoptr (AlAudioBackend) b = al_audio_backend_open (uri, &error);
  g_assert_null (b);
  g_assert_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_RATE);
  g_autofree char *want = g_strdup_printf ("simulated chamber (%s) does not run at 44100 Hz: its ground truth "
                                           "is sampled at 48000 Hz", sofa_path);
  g_assert_cmpstr (error->message, ==, want);
  g_autoptr (AlAudioBackend) ok = open_sim ("&rate=48000");
  g_assert_nonnull (ok);

  /* A cancelled run returns at once. */
  g_autoptr (GCancellable) cancel = g_cancellable_new ();
  g_cancellable_cancel (cancel);
  float x[16] = { 0 };
  g_clear_error (&error);
  g_autoptr (AlRecording) rec = al_audio_backend_play_record (ok, x, 16, NULL, cancel, &error);
  g_assert_null (rec);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  x[3] = NAN;
  g_assert_null (al_audio_backend_play_record (ok, x, 16, NULL, NULL, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (al_audio_backend_play_record (ok, x, 0, NULL, NULL, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* A level above full scale is refused before anything plays. */
  AlAudioLevelParams lp;
  al_audio_level_params_init (&lp);
  lp.level_dbfs = 3.0;
  g_autoptr (AlAudioLevels) lv = NULL;
  g_assert_false (al_audio_backend_level_check (ok, &lp, NULL, NULL, &lv, NULL, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_null (lv);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  write_truth ();
  g_test_add_func ("/measure/audio/sim/matches-chamber", test_matches_chamber);
  g_test_add_func ("/measure/audio/sim/seed-and-angle", test_seed_and_angle);
  g_test_add_func ("/measure/audio/sim/measure-point", test_measure_point);
  g_test_add_func ("/measure/audio/sim/level", test_level);
  g_test_add_func ("/measure/audio/sim/errors", test_errors);
  int rc = g_test_run ();
  g_unlink (sofa_path);
  g_rmdir (tmpdir);
  g_free (sofa_path);
  g_free (sofa_uri_path);
  g_free (tmpdir);
  return rc;
}
