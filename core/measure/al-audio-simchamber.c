/* al-audio-simchamber.c — the "sim:" audio backend: AlSimChamber behind the
 * backend interface, so demos and tests run the same measurement code as a
 * real interface.  Runs take no real time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-audio-private.h"

#include <math.h>
#include <string.h>

typedef struct {
  AlAudioBackend base;
  AlSimChamber *sim;
} AlAudioSim;

static void
sim_finalize (AlAudioBackend *b)
{
  AlAudioSim *s = (AlAudioSim *) b;
  al_sim_chamber_free (s->sim);
  g_free (s);
}

static AlRecording *
sim_play_record (AlAudioBackend *b, const float *played, int n, AlAudioRunInfo *info,
                 GCancellable *cancellable, GError **error)
{
  AlAudioSim *s = (AlAudioSim *) b;
  if (!al_audio_backend_call_started (b, error))
    return NULL;
  g_autoptr (GError) local = NULL;
  AlRecording *rec = al_sim_chamber_record (s->sim, b->angle, played, n, &local);
  if (rec == NULL)
    {
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_DEVICE, "%s: %s", b->name, local->message);
      return NULL;
    }
  if (info != NULL)
    info->nframes = n;
  return rec;
}

static gboolean
sim_play_loop (AlAudioBackend *b, const float *signal, int n, gint64 nframes, AlAudioMeter *meter,
               GCancellable *cancellable, GError **error)
{
  /* No real time here: "until cancelled" would never end, so one pass. */
  if (nframes <= 0)
    nframes = n;
  if (nframes > (1 << 27))
    {
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_DEVICE,
                   "%s: a level check of %" G_GINT64_FORMAT " frames is too long to simulate", b->name,
                   nframes);
      return FALSE;
    }
  g_autofree float *played = g_new (float, nframes);
  for (gint64 i = 0; i < nframes; i += n)
    memcpy (played + i, signal, sizeof (float) * MIN ((gint64) n, nframes - i));
  g_autoptr (AlRecording) rec = sim_play_record (b, played, (int) nframes, NULL, cancellable, error);
  if (rec == NULL)
    return FALSE;
  al_audio_meter_feed (meter, rec->data, rec->nframes, 0, rec->nframes);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

static const AlAudioBackendClass sim_class = {
  .finalize = sim_finalize,
  .play_record = sim_play_record,
  .play_loop = sim_play_loop,
  .callback_stats = NULL,
};

AlAudioBackend *
al_audio_simchamber_open (const AlAudioUri *u, GError **error)
{
  static const char *const keys[] = {
    "truth", "noise", "latency", "thd", "h3", "thd_level", "drift", "seed", "elevation", "interp",
    "loopback", "rate", NULL
  };
  if (!al_audio_uri_check_keys (u, keys, error))
    return NULL;
  const char *truth_path = al_audio_uri_get (u, "truth");
  if (truth_path == NULL || truth_path[0] == '\0')
    {
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_URI,
                   "audio URI '%s': truth= (the ground-truth SOFA file) is missing", u->uri);
      return NULL;
    }

  AlSimChamberParams p;
  al_sim_chamber_params_init (&p);
  double thd_percent = 100.0 * p.thd, seed = p.seed, rate = 0.0;
  int interp = p.interp_order;
  if (!al_audio_uri_get_double (u, "noise", -400.0, 0.0, &p.noise_dbfs, error)
      || !al_audio_uri_get_double (u, "latency", 0.0, 480000.0, &p.latency, error)
      || !al_audio_uri_get_double (u, "thd", 0.0, 20.0, &thd_percent, error)
      || !al_audio_uri_get_double (u, "h3", 0.0, 1.0, &p.thd_h3_share, error)
      || !al_audio_uri_get_double (u, "thd_level", -60.0, 0.0, &p.thd_level_dbfs, error)
      || !al_audio_uri_get_double (u, "drift", -1000.0, 1000.0, &p.drift_ppm, error)
      || !al_audio_uri_get_double (u, "seed", 0.0, G_MAXUINT32, &seed, error)
      || !al_audio_uri_get_double (u, "elevation", -90.0, 90.0, &p.elevation_deg, error)
      || !al_audio_uri_get_int (u, "interp", 0, AL_SH_MAX_ORDER, &interp, error)
      || !al_audio_uri_get_double (u, "loopback", -60.0, 0.0, &p.loopback_gain_db, error)
      || !al_audio_uri_get_double (u, "rate", 1000.0, 768000.0, &rate, error))
    return NULL;
  if (seed != floor (seed))
    {
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_URI,
                   "audio URI '%s': seed=%s is not a whole number", u->uri, al_audio_uri_get (u, "seed"));
      return NULL;
    }
  p.thd = thd_percent / 100.0;
  p.seed = (guint32) seed;
  p.interp_order = interp;

  g_autoptr (AlAtfSet) truth = al_sofa_read (truth_path, error);
  if (truth == NULL)
    return NULL;
  if (rate > 0.0 && fabs (rate - truth->fs) > 1e-6)
    {
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_RATE,
                   "simulated chamber (%s) does not run at %.0f Hz: its ground truth is sampled at "
                   "%.0f Hz", truth_path, rate, truth->fs);
      return NULL;
    }
  g_autoptr (GError) local = NULL;
  AlSimChamber *sim = al_sim_chamber_new (truth, &p, &local);
  if (sim == NULL)
    {
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_URI, "audio URI '%s': %s", u->uri, local->message);
      return NULL;
    }

  AlAudioSim *s = g_new0 (AlAudioSim, 1);
  s->sim = sim;
  int nmics = truth->nmics;
  int *inputs = g_new (int, nmics + 1);
  for (int i = 0; i <= nmics; i++)
    inputs[i] = i + 1;
  al_audio_backend_init_base (&s->base, &sim_class, u->uri,
                              g_strdup_printf ("simulated chamber (%s)", truth_path), truth->fs, nmics,
                              nmics, inputs);
  return &s->base;
}
