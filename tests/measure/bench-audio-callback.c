/* bench-audio-callback.c — prints the CPU time the PortAudio callback spends
 * per period during a measurement (timed inside the callback with the
 * monotonic clock): a 6 s sweep played and recorded through a private JACK
 * dummy server (256 frames at 48 kHz) with 8, 32 and 64 mics plus the
 * reference, on one output and on every output.  Asserts nothing but that
 * the runs happen; xruns are reported, not redone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-audio-backend.h"
#include "al-test-jack.h"

#include <stdio.h>

#define PERIOD 256
#define RATE 48000.0
#define CHANNELS 65

static AlTestJack *jack;

static gboolean
wire (AlAudioBackend *backend, gpointer user_data, GError **error)
{
  return al_test_jack_connect (jack, NULL, NULL, -1, error);
}

int
main (void)
{
  g_autoptr (GError) error = NULL;
  jack = al_test_jack_start (CHANNELS, PERIOD, RATE, &error);
  if (jack == NULL)
    {
      fprintf (stderr, "the JACK dummy server could not start: %s\n", error->message);
      return 1;
    }
  g_autoptr (AlSweep) s = al_sweep_new_from_spec ("f1=20,f2=22000,T=6,level=-12", &error);
  g_assert_no_error (error);
  g_autofree float *played = al_sweep_signal_float (s);
  printf ("JACK dummy server --no-realtime: %d frames at %.0f Hz (period %.1f µs)\n", PERIOD, RATE,
          1e6 * PERIOD / RATE);
  printf ("sweep f1=20,f2=22000,T=6: %d frames (%.2f s) per run\n\n", s->n_total, s->n_total / RATE);
  printf ("inputs  outputs  periods  mean µs  max µs  mean %% of period  max %% of period  xruns\n");

  const struct { int mics, outs; } runs[] = { { 8, 1 }, { 32, 1 }, { 64, 1 }, { 32, 33 }, { 64, 65 } };
  int rc = 0;
  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_autofree char *uri = g_strdup_printf ("portaudio:system?in=1-%d&ref=%d&out=1-%d", runs[i].mics,
                                              runs[i].mics + 1, runs[i].outs);
      g_autoptr (AlAudioBackend) b = al_audio_backend_open (uri, &error);
      if (b == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          rc = 1;
          break;
        }
      al_audio_backend_set_started_func (b, wire, NULL);
      AlAudioRunInfo info;
      g_autoptr (AlRecording) rec = al_audio_backend_play_record (b, played, s->n_total, &info, NULL, &error);
      if (rec == NULL && !g_error_matches (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_DROPOUT))
        {
          fprintf (stderr, "%s\n", error->message);
          rc = 1;
          break;
        }
      g_clear_error (&error);
      AlAudioCallbackStats st;
      al_audio_backend_get_callback_stats (b, &st);
      g_autofree char *xruns = info.nflagged == 0 ? g_strdup ("none")
                               : g_strdup_printf ("%d period%s", info.nflagged, info.nflagged == 1 ? "" : "s");
      printf ("%6d  %7d  %7d  %7.2f  %6.2f  %16.3f  %15.3f  %s\n", runs[i].mics + 1, runs[i].outs,
              st.ncallbacks, st.mean_us, st.max_us, st.mean_load, st.max_load, xruns);
    }
  printf ("\njackd logged %d xruns\n", al_test_jack_xruns (jack));
  al_test_jack_stop (jack);
  return rc;
}
