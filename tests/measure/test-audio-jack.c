/* test-audio-jack.c — the real audio path: PortAudio on a private JACK
 * dummy server (12 capture and 12 playback ports, 256-frame periods, 48 kHz)
 * started by this test, each PortAudio output wired back to its input.
 *
 * Asserts: the device list shows the JACK device; a 9-channel duplex run of
 * a synchronized sweep (8 mics + reference, every output playing) comes
 * back bit-exact after exactly one period, and its deconvolution is a delta
 * at lag 256 with every other sample below −100 dB re the peak in the
 * band-limited sense of test-deconvolve.c, on every channel; the latency
 * stays 256 over repeated runs; the measure module's point analysis agrees;
 * missing devices, too few channels and unsupported rates fail with the
 * right messages; the level check meters, flags a silent reference and
 * clipping; cancelling works; callback timing is recorded.
 *
 * jackd must start here: CI installs it (build-aux/deps.sh), so a server
 * that cannot start is a failure (TAP "Bail out!"), not a skip.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-audio-backend.h"
#include "al-test-jack.h"
#include "dsp/al-dsp.h"

#include <complex.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#define CHANNELS 12
#define PERIOD 256
#define RATE 48000.0
#define URI9 "portaudio:system?in=1-8&ref=9&out=1-9"
#define DEV "portaudio device 'system' (JACK Audio Connection Kit)"

static AlTestJack *jack;

typedef struct {
  int npairs;            /* < 0: every output to its input */
  const int *from, *to;
  int calls;
} Wiring;

static gboolean
wire (AlAudioBackend *backend, gpointer user_data, GError **error)
{
  Wiring *w = user_data;
  w->calls++;
  return al_test_jack_connect (jack, w->from, w->to, w->npairs, error);
}

static AlAudioBackend *
open_wired (const char *uri, Wiring *w)
{
  g_autoptr (GError) error = NULL;
  AlAudioBackend *b = al_audio_backend_open (uri, &error);
  g_assert_no_error (error);
  al_audio_backend_set_started_func (b, wire, w);
  return b;
}

static int nredone;

/* A run, redone (as a session would) when JACK reports an xrun: a server
 * without real-time scheduling on a busy machine misses a 5.3 ms deadline
 * now and then (on 2 cores under a parallel build, every second or third
 * 2-s run), so the redoing is bounded by time, not by a count. */
static AlRecording *
play_record (AlAudioBackend *b, const float *played, int n, AlAudioRunInfo *info)
{
  gint64 deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;
  for (int attempt = 0;; attempt++)
    {
      g_autoptr (GError) error = NULL;
      AlRecording *rec = al_audio_backend_play_record (b, played, n, info, NULL, &error);
      if (rec != NULL)
        return rec;
      if (!g_error_matches (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_DROPOUT) || g_get_monotonic_time () > deadline)
        g_assert_no_error (error);
      g_assert_cmpuint (info->status, !=, 0);
      g_assert_cmpfloat (info->first_flagged, >=, 0.0);
      g_test_message ("redoing a run: %s", error->message);
      nredone++;
      g_usleep (MIN (attempt + 1, 5) * 200000); /* outlast a burst of load */
    }
}

static void
test_list (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = al_audio_list_devices (&error);
  g_assert_no_error (error);
  const AlAudioDevice *jack_dev = NULL;
  for (guint i = 0; i < list->len; i++)
    {
      const AlAudioDevice *d = list->pdata[i];
      g_autofree char *desc = al_audio_device_describe (d);
      g_test_message ("device %s", desc);
      if (strcmp (d->name, "system") == 0 && strstr (d->host_api, "JACK") != NULL)
        jack_dev = d;
    }
  g_assert_nonnull (jack_dev);
  g_assert_cmpint (jack_dev->max_inputs, ==, CHANNELS);
  g_assert_cmpint (jack_dev->max_outputs, ==, CHANNELS);
  g_assert_cmpfloat (jack_dev->default_rate, ==, RATE);
  g_autofree char *desc = al_audio_device_describe (jack_dev);
  g_assert_true (g_str_has_suffix (desc, "system (JACK Audio Connection Kit, 12 in, 12 out, 48000 Hz)"));
}

/* The spectrum of a raw IR with lag 0 at time 0 (len/2+1 bins). */
static double complex *
raw_spectrum (const AlRawIr *raw)
{
  int n = raw->len;
  AlFft *fft = al_fft_new (n);
  g_autofree double *buf = g_new (double, n);
  double complex *H = g_new (double complex, n / 2 + 1);
  for (int i = 0; i < n; i++)
    buf[i] = raw->h[(i + raw->zero) % n];
  al_fft_forward (fft, buf, H);
  al_fft_free (fft);
  return H;
}

/* Worst sample of (IR − delta at D) after a raised-cosine band-pass (1 on
 * [40 Hz, 11 kHz] = [2 f1, f2/2], tapering over an octave outside), applied
 * to both, relative to the band-passed delta's peak (as test-deconvolve.c). */
static double
band_limited_error (const AlRawIr *raw, int D)
{
  int n = raw->len, nbins = n / 2 + 1;
  g_autofree double complex *H = raw_spectrum (raw);
  g_autofree double complex *E = g_new (double complex, nbins);
  g_autofree double complex *R = g_new (double complex, nbins);
  for (int k = 0; k < nbins; k++)
    {
      double f = k * raw->fs / n, g = 0.0;
      if (f >= 40.0 && f <= 11000.0)
        g = 1.0;
      else if (f > 20.0 && f < 40.0)
        g = 0.5 - 0.5 * cos (G_PI * (f - 20.0) / 20.0);
      else if (f > 11000.0 && f < 22000.0)
        g = 0.5 + 0.5 * cos (G_PI * (f - 11000.0) / 11000.0);
      double complex ideal = cexp (-2.0 * I * G_PI * fmod ((double) k * D, n) / n);
      E[k] = g * (H[k] - ideal);
      R[k] = g * ideal;
    }
  AlFft *fft = al_fft_new (n);
  g_autofree double *e = g_new (double, n);
  g_autofree double *r = g_new (double, n);
  al_fft_inverse (fft, E, e);
  al_fft_inverse (fft, R, r);
  al_fft_free (fft);
  double emax = 0.0, rmax = 0.0;
  for (int i = 0; i < n; i++)
    {
      emax = fmax (emax, fabs (e[i]));
      rmax = fmax (rmax, fabs (r[i]));
    }
  return emax / rmax;
}

static int
peak_lag (const AlRawIr *raw)
{
  int best = 0;
  for (int i = 1; i < raw->len; i++)
    if (fabs (raw->h[i]) > fabs (raw->h[best]))
      best = i;
  return best - raw->zero;
}

static void
test_loopback (void)
{
  g_autoptr (GError) error = NULL;
  Wiring w = { .npairs = -1 };
  g_autoptr (AlAudioBackend) b = open_wired (URI9, &w);
  g_assert_cmpint (al_audio_backend_get_n_inputs (b), ==, 9);
  g_assert_cmpint (al_audio_backend_get_n_mics (b), ==, 8);
  g_assert_cmpint (al_audio_backend_get_ref_channel (b), ==, 8);
  g_assert_cmpint (al_audio_backend_get_device_input (b, 8), ==, 9);
  g_assert_cmpfloat (al_audio_backend_get_rate (b), ==, RATE);

  g_autoptr (AlSweep) s = al_sweep_new_from_spec ("f1=20,f2=22000,T=1", &error);
  g_assert_no_error (error);
  g_autofree float *played = al_sweep_signal_float (s);
  AlAudioRunInfo info;
  g_autoptr (AlRecording) rec = play_record (b, played, s->n_total, &info);
  g_assert_cmpint (w.calls, >=, 1);
  g_assert_cmpint (rec->nchannels, ==, 9);
  g_assert_cmpint (rec->nframes, ==, s->n_total);
  g_assert_cmpfloat (rec->fs, ==, RATE);
  g_assert_cmpuint (info.status, ==, 0);
  g_test_message ("run: %d frames in %d callbacks, host latency in %.2f ms / out %.2f ms", info.nframes,
                  info.ncallbacks, 1e3 * info.input_latency, 1e3 * info.output_latency);
  g_assert_cmpint (info.ncallbacks, >=, s->n_total / PERIOD);

  /* Bit-exact after exactly one period, silent before. */
  for (int c = 0; c < rec->nchannels; c++)
    {
      const float *x = al_recording_channel (rec, c);
      for (int i = 0; i < PERIOD; i++)
        g_assert_cmpfloat (x[i], ==, 0.0f);
      g_assert_cmpint (memcmp (x + PERIOD, played, sizeof (float) * (s->n_total - PERIOD)), ==, 0);
    }

  g_autoptr (AlDeconvolver) d = al_deconvolver_new (s, NULL, 0, &error);
  g_assert_no_error (error);
  double worst = 0.0;
  for (int c = 0; c < rec->nchannels; c++)
    {
      g_autoptr (AlRawIr) raw = al_deconvolver_run (d, al_recording_channel (rec, c));
      int lag = peak_lag (raw);
      double latency = al_latency_estimate (raw);
      double err = band_limited_error (raw, PERIOD);
      g_test_message ("channel %d: peak at lag %d (%.6f), band-limited error %.1f dB re the peak", c + 1, lag,
                      latency, 20.0 * log10 (err));
      g_assert_cmpint (lag, ==, PERIOD);
      g_assert_cmpfloat (fabs (latency - PERIOD), <, 1e-3);
      g_assert_cmpfloat (err, <, 1e-5);
      worst = fmax (worst, err);
    }
  g_test_message ("9 channels: delta at lag %d, worst band-limited error %.1f dB", PERIOD, 20.0 * log10 (worst));

  /* The point analysis reads the latency off the reference (last row). */
  AlPointParams pp;
  al_point_params_init (&pp, s, rec->nchannels);
  g_assert_cmpint (pp.ref_channel, ==, al_audio_backend_get_ref_channel (b));
  g_autoptr (AlPointResult) res = al_measure_point (d, s, rec, &pp, NULL, NULL, &error);
  g_assert_no_error (error);
  g_autofree char *summary = al_qc_report_summary (res->qc);
  g_test_message ("point: latency %.6f, drift %.4f ppm, QC %s", res->latency, res->drift_ppm, summary);
  g_assert_cmpint (res->nmics, ==, 8);
  g_assert_cmpfloat (fabs (res->latency - PERIOD), <, 1e-3);
  g_assert_cmpint (res->qc->verdict, !=, AL_QC_FAIL);

  AlAudioCallbackStats st;
  g_assert_true (al_audio_backend_get_callback_stats (b, &st));
  g_test_message ("callback: %d periods of %d frames, mean %.2f µs, max %.2f µs (%.3f %% / %.3f %% of %.0f µs)",
                  st.ncallbacks, st.period_frames, st.mean_us, st.max_us, st.mean_load, st.max_load,
                  st.period_us);
  g_assert_cmpint (st.period_frames, ==, PERIOD);
  g_assert_cmpint (st.ncallbacks, ==, (s->n_total + PERIOD - 1) / PERIOD);
  g_assert_cmpfloat (st.mean_us, >, 0.0);
  g_assert_cmpfloat (st.max_us, >=, st.mean_us);
}

/* A fresh stream each run: the latency must not move. */
static void
test_latency_constant (void)
{
  g_autoptr (GError) error = NULL;
  Wiring w = { .npairs = -1 };
  g_autoptr (AlAudioBackend) b = open_wired (URI9, &w);
  g_autoptr (AlSweep) s = al_sweep_new_from_spec ("f1=50,f2=20000,T=0.3,pre=0.05,post=0.1", &error);
  g_assert_no_error (error);
  g_autofree float *played = al_sweep_signal_float (s);
  g_autoptr (AlDeconvolver) d = al_deconvolver_new (s, NULL, 0, &error);
  g_assert_no_error (error);
  AlLatencyTrack track;
  al_latency_track_init (&track, 0.5);
  int redone_before = nredone;
  for (int run = 0; run < 6; run++)
    {
      AlAudioRunInfo info;
      g_autoptr (AlRecording) rec = play_record (b, played, s->n_total, &info);
      for (int c = 0; c < rec->nchannels; c++)
        {
          g_autoptr (AlRawIr) raw = al_deconvolver_run (d, al_recording_channel (rec, c));
          double latency = al_latency_estimate (raw);
          g_assert_cmpint (peak_lag (raw), ==, PERIOD);
          g_assert_cmpfloat (fabs (latency - PERIOD), <, 1e-3);
          if (c == al_audio_backend_get_ref_channel (b))
            g_assert_true (al_latency_track_add (&track, latency));
        }
    }
  g_test_message ("6 runs: reference latency %.6f … %.6f samples (period %d)", track.min, track.max, PERIOD);
  g_assert_cmpint (track.count, ==, 6);
  g_assert_cmpfloat (track.max - track.min, <, 1e-6);
  g_assert_cmpint (w.calls, ==, 6 + nredone - redone_before);
}

static void
expect_error (const char *uri, int code, const char *const *parts)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlAudioBackend) b = al_audio_backend_open (uri, &error);
  g_assert_null (b);
  g_assert_error (error, AL_AUDIO_ERROR, code);
  g_test_message ("%s -> %s", uri, error->message);
  for (int i = 0; parts[i] != NULL; i++)
    if (strstr (error->message, parts[i]) == NULL)
      g_error ("'%s' not in '%s'", parts[i], error->message);
}

static void
test_errors (void)
{
  expect_error ("portaudio:Foo?in=1-4", AL_AUDIO_ERROR_NO_DEVICE,
                (const char *[]) { "no audio device matching 'Foo' (available: ",
                                   "'system' (JACK Audio Connection Kit, 12 in, 12 out)", NULL });
  expect_error ("portaudio:99", AL_AUDIO_ERROR_NO_DEVICE,
                (const char *[]) { "no audio device with index 99 (available: ", NULL });
  expect_error ("portaudio:system?in=1-12&ref=13", AL_AUDIO_ERROR_CHANNELS,
                (const char *[]) { DEV " has 12 inputs, the map asks for input 13", NULL });
  expect_error ("portaudio:system?in=1-4&ref=5&out=14", AL_AUDIO_ERROR_CHANNELS,
                (const char *[]) { DEV " has 12 outputs, the map asks for output 14", NULL });
  expect_error ("portaudio:system?in=1-4&ref=5&rate=44100", AL_AUDIO_ERROR_RATE,
                (const char *[]) { DEV " does not support a sample rate of 44100 Hz "
                                   "(supported: 48000 Hz; default 48000 Hz)", NULL });
  expect_error ("portaudio:system?in=1-4&ref=4", AL_AUDIO_ERROR_URI,
                (const char *[]) { "input 4 is both a mic (in=1-4) and the reference", NULL });

  /* Substring, index and case-insensitive names find the same device. */
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = al_audio_list_devices (&error);
  g_assert_no_error (error);
  int index = -1;
  for (guint i = 0; i < list->len; i++)
    if (strcmp (((AlAudioDevice *) list->pdata[i])->name, "system") == 0)
      index = ((AlAudioDevice *) list->pdata[i])->index;
  g_autofree char *by_index = g_strdup_printf ("portaudio:%d?in=1-2&ref=3", index);
  const char *uris[] = { by_index, "portaudio:SYSTEM?in=1-2&ref=3", "portaudio:syst?in=1-2&ref=3" };
  for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      g_autoptr (AlAudioBackend) b = al_audio_backend_open (uris[i], &error);
      g_assert_no_error (error);
      g_assert_cmpstr (al_audio_backend_get_name (b), ==, DEV);
      g_assert_cmpint (al_audio_backend_get_n_inputs (b), ==, 3);
    }
  /* Without in=, every input but the reference is a mic. */
  g_autoptr (AlAudioBackend) all = al_audio_backend_open ("portaudio:system?ref=12", &error);
  g_assert_no_error (error);
  g_assert_cmpint (al_audio_backend_get_n_mics (all), ==, 11);
  g_assert_cmpint (al_audio_backend_get_device_input (all, 11), ==, 12);
}

typedef struct {
  int nblocks;
  int nchannels;
  double last_time;
  GThread *thread;
} MeterLog;

static void
on_meters (const AlAudioMeters *m, gpointer user_data)
{
  MeterLog *log = user_data;
  g_assert_true (g_thread_self () == log->thread); /* the caller's thread */
  g_assert_cmpfloat (m->time, >, log->last_time);
  log->nblocks++;
  log->nchannels = m->nchannels;
  log->last_time = m->time;
  for (int c = 0; c < m->nchannels; c++)
    {
      g_assert_cmpfloat (m->peak_dbfs[c], <=, m->max_peak_dbfs[c]);
      g_assert_cmpfloat (m->rms_dbfs[c], <=, m->peak_dbfs[c] + 1e-9);
    }
}

static void
test_level (void)
{
  Wiring w = { .npairs = -1 };
  g_autoptr (AlAudioBackend) b = open_wired (URI9, &w);
  for (int sig = 0; sig < 2; sig++)
    {
      g_autoptr (GError) error = NULL;
      AlAudioLevelParams lp;
      al_audio_level_params_init (&lp);
      lp.signal = sig == 0 ? AL_AUDIO_LEVEL_SWEEP : AL_AUDIO_LEVEL_NOISE;
      lp.sweep.duration = 0.5;
      lp.level_dbfs = -6.0;
      lp.duration = 1.5; /* the noise repeats every second: all of it plays */
      MeterLog log = { .thread = g_thread_self () };
      g_autoptr (AlAudioLevels) lv = NULL;
      gboolean ok = al_audio_backend_level_check (b, &lp, on_meters, &log, &lv, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (ok);
      g_assert_nonnull (lv);
      g_test_message ("%s: %d meter blocks, %.2f s; input 1 peak %.3f dBFS rms %.2f dBFS, reference peak %.3f dBFS",
                      sig == 0 ? "sweep" : "noise", log.nblocks, lv->duration, lv->peak_dbfs[0], lv->rms_dbfs[0],
                      lv->peak_dbfs[8]);
      g_assert_cmpint (log.nblocks, ==, 15);
      g_assert_cmpint (log.nchannels, ==, 9);
      g_assert_cmpfloat (fabs (lv->duration - 1.5), <, 1e-9);
      if (lv->status != 0) /* the dummy driver loses nothing: only noted */
        g_test_message ("xrun reported during the level check (status 0x%x)", lv->status);
      for (int c = 0; c < 9; c++)
        {
          /* A loopback: the played peak comes back (the sweep's samples
           * miss its continuous-time peak by a hair). */
          g_assert_cmpfloat (lv->peak_dbfs[c], <=, -6.0 + 1e-6);
          g_assert_cmpfloat (lv->peak_dbfs[c], >, sig == 0 ? -6.01 : -6.0 - 1e-6);
          g_assert_cmpfloat (lv->rms_dbfs[c], <, lv->peak_dbfs[c] - 3.0);
        }
    }
}

static void
test_ref_silent (void)
{
  /* Outputs 1-8 back to inputs 1-8; the reference input 9 stays unwired. */
  static const int pairs[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
  Wiring w = { .npairs = 8, .from = pairs, .to = pairs };
  g_autoptr (AlAudioBackend) b = open_wired (URI9, &w);
  g_autoptr (GError) error = NULL;
  AlAudioLevelParams lp;
  al_audio_level_params_init (&lp);
  lp.signal = AL_AUDIO_LEVEL_NOISE;
  lp.duration = 0.5;
  g_autoptr (AlAudioLevels) lv = NULL;
  g_assert_false (al_audio_backend_level_check (b, &lp, NULL, NULL, &lv, NULL, &error));
  g_assert_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_REF_SILENT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, DEV ": the reference input 9 is silent (peak -inf dBFS, "
                                            "below -60 dBFS)"));
  g_assert_nonnull (lv);
  g_assert_cmpfloat (lv->peak_dbfs[0], >, -6.01);
}

static void
test_clipping (void)
{
  Wiring w = { .npairs = -1 };
  g_autoptr (AlAudioBackend) b = open_wired ("portaudio:system?in=1-2&ref=3&out=1-3", &w);
  g_autoptr (GError) error = NULL;
  AlAudioLevelParams lp;
  al_audio_level_params_init (&lp);
  lp.signal = AL_AUDIO_LEVEL_NOISE;
  lp.level_dbfs = 0.0;
  lp.duration = 1.2;
  g_assert_false (al_audio_backend_level_check (b, &lp, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_CLIPPING);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, DEV ": inputs 1, 2, 3 (reference) clip at the start level "
                                            "0.0 dBFS (peak 0.0 dBFS)"));
}

static gpointer
cancel_later (gpointer data)
{
  g_usleep (400000);
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_cancel (void)
{
  Wiring w = { .npairs = -1 };
  g_autoptr (AlAudioBackend) b = open_wired ("portaudio:system?in=1&ref=2&out=1-2", &w);

  /* A level check without a duration ends when cancelled: no error. */
  g_autoptr (GCancellable) c1 = g_cancellable_new ();
  GThread *t = g_thread_new ("cancel", cancel_later, c1);
  AlAudioLevelParams lp;
  al_audio_level_params_init (&lp);
  lp.signal = AL_AUDIO_LEVEL_NOISE;
  lp.duration = 0.0;
  g_autoptr (AlAudioLevels) lv = NULL;
  g_autoptr (GError) error = NULL;
  gboolean ok = al_audio_backend_level_check (b, &lp, NULL, NULL, &lv, c1, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_thread_join (t);
  g_test_message ("open-ended level check cancelled after %.2f s of audio", lv->duration);
  g_assert_cmpfloat (lv->duration, >, 0.1);
  g_assert_cmpfloat (lv->duration, <, 2.0);

  /* A 20 s run stops within a fraction of a second. */
  g_autoptr (GCancellable) c2 = g_cancellable_new ();
  int n = 20 * (int) RATE;
  g_autofree float *played = g_new0 (float, n);
  gint64 t0 = g_get_monotonic_time ();
  t = g_thread_new ("cancel", cancel_later, c2);
  g_autoptr (AlRecording) rec = al_audio_backend_play_record (b, played, n, NULL, c2, &error);
  g_thread_join (t);
  double took = (g_get_monotonic_time () - t0) * 1e-6;
  g_assert_null (rec);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_test_message ("20 s run cancelled, returned after %.3f s", took);
  g_assert_cmpfloat (took, <, 2.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_autoptr (GError) error = NULL;
  jack = al_test_jack_start (CHANNELS, PERIOD, RATE, &error);
  if (jack == NULL)
    {
      /* Not a skip: CI installs jackd, so this is a broken environment. */
      printf ("Bail out! the JACK dummy server could not start: %s\n", error->message);
      return 1;
    }
  g_test_message ("JACK server %s (pid %d): dummy driver, %d in/%d out, %d frames at %.0f Hz", jack->name,
                  (int) jack->pid, CHANNELS, CHANNELS, PERIOD, RATE);
  g_test_add_func ("/measure/audio/jack/list", test_list);
  g_test_add_func ("/measure/audio/jack/loopback", test_loopback);
  g_test_add_func ("/measure/audio/jack/latency-constant", test_latency_constant);
  g_test_add_func ("/measure/audio/jack/errors", test_errors);
  g_test_add_func ("/measure/audio/jack/level", test_level);
  g_test_add_func ("/measure/audio/jack/ref-silent", test_ref_silent);
  g_test_add_func ("/measure/audio/jack/clipping", test_clipping);
  g_test_add_func ("/measure/audio/jack/cancel", test_cancel);
  int rc = g_test_run ();
  printf ("# %d runs redone after xruns; jackd logged %d xruns\n", nredone, al_test_jack_xruns (jack));
  al_test_jack_stop (jack);
  return rc;
}
