/* test-quality.c — quality checks flag a clipped, a dead, a DC and a silent
 * channel, low headroom, a noisy input, a latency jump and clock drift, and
 * pass a clean recording; synchronous averaging lowers the noise by
 * 10·log10 n; recordings convert to and from interleaved audio.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-measure.h"

#include <math.h>
#include <string.h>

#define SPEC "f1=20,f2=22000,T=1,level=-6,pre=0.3,post=0.3"

static void
add_noise (GRand *rand, double rms, float *x, int n)
{
  for (int i = 0; i < n; i++)
    {
      double u1 = 1.0 - g_rand_double (rand), u2 = g_rand_double (rand);
      x[i] += (float) (rms * sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2));
    }
}

/* Sweep delayed by `delay` at `gain`, clipped at ±1 like an ADC, plus noise. */
static void
fill (float *x, const AlSweep *s, double delay, double gain, double offset, double noise_dbfs, GRand *rand)
{
  g_autofree double *y = g_new (double, s->n_total);
  al_sweep_render (s, delay, y);
  for (int i = 0; i < s->n_total; i++)
    x[i] = (float) CLAMP (gain * y[i] + offset, -1.0, 1.0);
  if (noise_dbfs > -200)
    add_noise (rand, pow (10.0, noise_dbfs / 20.0), x, s->n_total);
}

static gboolean
has_message (const AlQcReport *r, const char *needle)
{
  for (guint i = 0; i < r->messages->len; i++)
    if (strstr (g_ptr_array_index (r->messages, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

static AlQcReport *
check (const AlSweep *s, const AlRecording *rec, int ref, AlLatencyTrack *track, double drift)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlDeconvolver) d = al_deconvolver_new (s, NULL, rec->nframes, &error);
  g_assert_no_error (error);
  AlRawIr **irs = al_deconvolver_run_all (d, rec, 0, NULL, &error);
  g_assert_no_error (error);
  double latency = al_latency_estimate (irs[ref]);
  AlQcReport *r = al_qc_check (rec, s, ref, irs, latency, drift, 256, track, NULL);
  for (int c = 0; c < rec->nchannels; c++)
    al_raw_ir_free (irs[c]);
  g_free (irs);
  g_autofree char *summary = al_qc_report_summary (r);
  g_test_message ("verdict %s, latency %.2f:\n%s", al_qc_verdict_name (r->verdict), latency, summary);
  return r;
}

static void
test_faulty_channels (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSweep) s = al_sweep_new_from_spec (SPEC, &error);
  g_assert_no_error (error);
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  g_autoptr (AlRecording) rec = al_recording_new (s->params.fs, 8, s->n_total);
  fill (al_recording_channel (rec, 0), s, 100, 0.8, 0.0, -90, rand);   /* clean */
  fill (al_recording_channel (rec, 1), s, 100, 2.5, 0.0, -90, rand);   /* clipped */
  fill (al_recording_channel (rec, 2), s, 100, 0.0, 0.0, -90, rand);   /* dead: noise only */
  fill (al_recording_channel (rec, 3), s, 100, 0.8, 0.05, -90, rand);  /* DC */
  /* channel 4: silent, all zeros */
  fill (al_recording_channel (rec, 5), s, 100, 1.99, 0.0, -90, rand);  /* 0.995 FS: little headroom */
  fill (al_recording_channel (rec, 6), s, 100, 0.8, 0.0, -40, rand);   /* noisy */
  fill (al_recording_channel (rec, 7), s, 100, 1.0, 0.0, -100, rand);  /* loopback */

  AlLatencyTrack track;
  al_latency_track_init (&track, 0.5);
  g_autoptr (AlQcReport) r = check (s, rec, 7, &track, 0.3);
  g_assert_cmpint (r->verdict, ==, AL_QC_FAIL);
  g_assert_cmpint (r->ref_channel, ==, 7);
  g_assert_cmpfloat (fabs (r->latency - 100.0), <, 0.01);

  const AlQcChannel *q = r->channels;
  /* clean */
  g_assert_cmpint (q[0].flags, ==, 0);
  g_assert_cmpint (q[0].verdict, ==, AL_QC_PASS);
  g_assert_cmpfloat (fabs (q[0].peak_dbfs - 20 * log10 (0.8 * s->amplitude)), <, 0.05);
  g_assert_cmpfloat (fabs (q[0].noise_dbfs + 90.0), <, 0.5);
  g_assert_cmpfloat (q[0].pnr_db, >, 60.0);
  g_assert_cmpint (q[0].nclipped, ==, 0);
  /* clipped */
  g_assert_true (q[1].flags & AL_QC_CLIPPED);
  g_assert_cmpint (q[1].verdict, ==, AL_QC_FAIL);
  g_assert_cmpint (q[1].nclipped, >, 1000);
  g_assert_true (has_message (r, "channel 2: clipped"));
  /* dead */
  g_assert_true (q[2].flags & AL_QC_DEAD);
  g_assert_false (q[2].flags & AL_QC_LOW_PNR);
  g_assert_true (has_message (r, "channel 3: dead"));
  /* DC */
  g_assert_cmpint (q[3].flags, ==, AL_QC_DC);
  g_assert_cmpfloat (fabs (q[3].dc - 0.05), <, 1e-3);
  g_assert_true (has_message (r, "channel 4: DC offset 0.0"));
  /* silent */
  g_assert_true (q[4].flags & AL_QC_DEAD);
  g_assert_true (has_message (r, "channel 5: dead"));
  /* little headroom: a warning, not a failure */
  g_assert_cmpint (q[5].flags, ==, AL_QC_LOW_HEADROOM);
  g_assert_cmpint (q[5].verdict, ==, AL_QC_WARN);
  g_assert_cmpfloat (q[5].headroom_db, <, 1.0);
  g_assert_true (has_message (r, "channel 6: 0.0"));
  /* noisy */
  g_assert_true (q[6].flags & AL_QC_NOISY);
  g_assert_cmpfloat (fabs (q[6].noise_dbfs + 40.0), <, 0.5);
  g_assert_true (has_message (r, "channel 7: noise floor -40"));
  /* loopback */
  g_assert_cmpint (q[7].flags, ==, 0);
  g_assert_cmpint (r->flags, ==, 0); /* first point, drift 0.3 ppm is fine */
  g_assert_cmpint (track.count, ==, 1);
}

/* The loopback moves by 64 samples at the second point: a failure naming
 * the jump; a later point back at the old latency passes again. */
static void
test_latency_jump_and_drift (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSweep) s = al_sweep_new_from_spec (SPEC, &error);
  g_autoptr (GRand) rand = g_rand_new_with_seed (3);
  AlLatencyTrack track;
  al_latency_track_init (&track, 0.5);
  const double latencies[] = { 256.0, 256.0, 320.0, 256.0 };
  for (int p = 0; p < 4; p++)
    {
      g_autoptr (AlRecording) rec = al_recording_new (s->params.fs, 2, s->n_total);
      fill (al_recording_channel (rec, 0), s, latencies[p] + 40, 0.5, 0.0, -90, rand);
      fill (al_recording_channel (rec, 1), s, latencies[p], 1.0, 0.0, -90, rand);
      g_autoptr (AlQcReport) r = check (s, rec, 1, &track, NAN);
      if (p == 2)
        {
          g_assert_cmpint (r->verdict, ==, AL_QC_FAIL);
          g_assert_cmpint (r->flags, ==, AL_QC_LATENCY_JUMP);
          g_assert_cmpfloat (fabs (r->latency_jump - 64.0), <, 0.01);
          g_assert_true (has_message (r, "channel 2 (loopback): latency 320.00 samples but 256.00"));
          g_assert_true (has_message (r, "jump of +64.00 samples"));
          /* the channels themselves are fine */
          g_assert_cmpint (r->channels[0].verdict, ==, AL_QC_PASS);
        }
      else
        {
          g_assert_cmpint (r->verdict, ==, AL_QC_PASS);
          g_autofree char *summary = al_qc_report_summary (r);
          g_assert_cmpstr (summary, ==, "pass");
          g_assert_cmpfloat (fabs (r->latency_jump), <, 0.01);
        }
    }
  g_assert_cmpint (track.count, ==, 4);
  g_assert_cmpfloat (track.max - track.min, >, 63.9);

  /* Clock drift beyond the limit fails the point. */
  g_autoptr (AlRecording) rec = al_recording_new (s->params.fs, 2, s->n_total);
  fill (al_recording_channel (rec, 0), s, 296, 0.5, 0.0, -90, rand);
  fill (al_recording_channel (rec, 1), s, 256, 1.0, 0.0, -90, rand);
  g_autoptr (AlQcReport) r = check (s, rec, 1, NULL, -5.0);
  g_assert_cmpint (r->flags, ==, AL_QC_DRIFT);
  g_assert_cmpint (r->verdict, ==, AL_QC_FAIL);
  g_assert_true (has_message (r, "clock drift of -5.00 ppm"));
}

/* Four repeats with independent noise: the mean keeps the sweep and lowers
 * the noise floor by 6 dB. */
static void
test_averaging (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSweep) s = al_sweep_new_from_spec (SPEC, &error);
  g_autoptr (GRand) rand = g_rand_new_with_seed (11);
  AlRecording *recs[4];
  for (int r = 0; r < 4; r++)
    {
      recs[r] = al_recording_new (s->params.fs, 1, s->n_total);
      fill (al_recording_channel (recs[r], 0), s, 50, 0.5, 0.0, -60, rand);
    }
  g_autoptr (AlRecording) avg = al_recording_average (recs, 4, &error);
  g_assert_no_error (error);
  AlQcChannel one, mean;
  al_qc_signal (al_recording_channel (recs[0], 0), s->n_total, s, NULL, &one);
  al_qc_signal (al_recording_channel (avg, 0), s->n_total, s, NULL, &mean);
  g_test_message ("noise floor %.2f dBFS -> %.2f dBFS after 4 averages", one.noise_dbfs, mean.noise_dbfs);
  g_assert_cmpfloat (fabs (one.noise_dbfs - mean.noise_dbfs - 10 * log10 (4.0)), <, 0.3);
  g_assert_cmpfloat (fabs (one.signal_dbfs - mean.signal_dbfs), <, 0.05);

  /* Repeats that disagree are refused. */
  g_autoptr (AlRecording) other = al_recording_new (s->params.fs, 1, s->n_total - 1);
  AlRecording *mixed[2] = { recs[0], other };
  g_assert_null (al_recording_average (mixed, 2, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "repeat 2"));
  g_clear_error (&error);
  g_assert_null (al_recording_average (recs, 0, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  for (int r = 0; r < 4; r++)
    al_recording_free (recs[r]);
}

static void
test_audio_round_trip (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlRecording) rec = al_recording_new (48000, 3, 100);
  for (int c = 0; c < 3; c++)
    for (int i = 0; i < 100; i++)
      al_recording_channel (rec, c)[i] = (float) (c * 1000 + i);
  g_autoptr (AlAudio) audio = al_recording_to_audio (rec);
  g_assert_cmpfloat (audio->data[3 * 7 + 2], ==, 2007.0f);
  g_autoptr (AlRecording) back = al_recording_from_audio (audio, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (back->data, sizeof (float) * 300, rec->data, sizeof (float) * 300);
  g_autoptr (AlRecording) copy = al_recording_copy (rec);
  g_assert_cmpmem (copy->data, sizeof (float) * 300, rec->data, sizeof (float) * 300);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/measure/quality/faulty-channels", test_faulty_channels);
  g_test_add_func ("/measure/quality/latency-jump-and-drift", test_latency_jump_and_drift);
  g_test_add_func ("/measure/quality/averaging", test_averaging);
  g_test_add_func ("/measure/quality/audio-round-trip", test_audio_round_trip);
  return g_test_run ();
}
