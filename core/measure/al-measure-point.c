/* al-measure-point.c — everything done with the recording of one
 * measurement point: deconvolve every input, take latency and drift from
 * the loopback, compensate, window the mic IRs, separate harmonics and run
 * the quality checks.  Raw IRs live only inside their worker.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-measure-private.h"

#include <string.h>

void
al_point_params_init (AlPointParams *params, const AlSweep *sweep, int nchannels)
{
  g_return_if_fail (params != NULL && sweep != NULL);
  memset (params, 0, sizeof *params);
  params->ref_channel = nchannels - 1;
  params->reference = AL_REFERENCE_SHIFT;
  params->window.type = AL_IR_WINDOW_RECTANGULAR;
  params->window.start = -32;
  params->window.length = 512;
  params->kmax = 5;
  al_harmonic_params_init (&params->harmonics, sweep);
  params->estimate_drift = TRUE;
  al_qc_limits_init (&params->qc);
}

void
al_point_result_free (AlPointResult *r)
{
  if (r == NULL)
    return;
  if (r->harmonics != NULL)
    for (int m = 0; m < r->nmics; m++)
      al_harmonics_free (r->harmonics[m]);
  g_free (r->harmonics);
  g_free (r->channels);
  g_free (r->ir);
  al_qc_report_free (r->qc);
  g_free (r);
}

typedef struct {
  const AlDeconvolver *deconv;
  const AlSweep *sweep;
  const AlRecording *rec;
  const AlPointParams *params;
  const AlRawIr *ref;          /* NULL without a loopback */
  AlPointResult *result;
  double *pnr;                 /* per recording channel */
  GMutex lock;
  GError *error;               /* the first failure */
} PointJob;

static void
fail (PointJob *job, GError *error)
{
  g_mutex_lock (&job->lock);
  if (job->error == NULL)
    job->error = error;
  else
    g_error_free (error);
  g_mutex_unlock (&job->lock);
}

static void
process_mic (int m, gpointer data)
{
  PointJob *job = data;
  const AlPointParams *p = job->params;
  AlPointResult *r = job->result;
  int c = r->channels[m];
  GError *error = NULL;

  g_autoptr (AlRawIr) raw = al_deconvolver_run (job->deconv, al_recording_channel (job->rec, c));
  double lag = r->latency;
  if (p->reference == AL_REFERENCE_DIVIDE && job->ref != NULL)
    {
      AlRawIr *q = al_raw_ir_divide (raw, job->ref, job->sweep->params.f1, job->sweep->params.f2, &error);
      if (q == NULL)
        goto out;
      al_raw_ir_free (raw);
      raw = q;
      lag = 0.0;
    }
  if (!al_ir_window_extract (raw, lag, &p->window, r->ir + (size_t) m * r->ir_len, &error))
    goto out;
  if (p->kmax >= 2)
    {
      AlHarmonicParams hp = p->harmonics;
      hp.kmax = p->kmax;
      r->harmonics[m] = al_harmonics_separate (raw, job->sweep, lag, &hp, &error);
      if (r->harmonics[m] == NULL)
        goto out;
    }
  job->pnr[c] = al_qc_pnr_db (raw, job->sweep, lag, p->window.length + p->window.start);
out:
  if (error != NULL)
    {
      g_prefix_error (&error, "channel %d: ", c + 1);
      fail (job, error);
    }
}

AlPointResult *
al_measure_point (const AlDeconvolver *deconv, const AlSweep *sweep, const AlRecording *rec,
                  const AlPointParams *params, AlLatencyTrack *track, AlProgress *progress, GError **error)
{
  g_return_val_if_fail (deconv != NULL && sweep != NULL && rec != NULL && params != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  int ref = params->ref_channel;
  if (rec->nframes != al_deconvolver_rec_len (deconv) || rec->fs != al_deconvolver_fs (deconv)
      || rec->fs != sweep->params.fs)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH,
                   "measurement point: the recording has %d frames at %g Hz but the deconvolver expects "
                   "%d at %g Hz", rec->nframes, rec->fs, al_deconvolver_rec_len (deconv),
                   al_deconvolver_fs (deconv));
      return NULL;
    }
  if (ref >= rec->nchannels || ref < -1 || rec->nchannels - (ref >= 0) < 1)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "measurement point: loopback channel %d with %d recorded channels leaves no microphone",
                   ref + 1, rec->nchannels);
      return NULL;
    }
  if (!al_ir_window_check (&params->window, error))
    return NULL;
  for (int c = 0; c < rec->nchannels; c++)
    {
      g_autofree char *what = g_strdup_printf ("measurement point: channel %d", c + 1);
      if (!al_check_finite_float (al_recording_channel (rec, c), rec->nframes, what, error))
        return NULL;
    }
  if (al_progress_cancelled (progress, error))
    return NULL;
  al_progress_report (progress, 0.0, "Deconvolving the loopback");

  AlPointResult *r = g_new0 (AlPointResult, 1);
  r->nmics = rec->nchannels - (ref >= 0);
  r->channels = g_new (int, r->nmics);
  for (int c = 0, m = 0; c < rec->nchannels; c++)
    if (c != ref)
      r->channels[m++] = c;
  r->ir_len = params->window.length;
  r->ir = g_new0 (double, (size_t) r->nmics * r->ir_len);
  r->window = params->window;
  r->latency = params->latency;
  r->drift_ppm = NAN;
  if (params->kmax >= 2)
    r->harmonics = g_new0 (AlHarmonics *, r->nmics);

  PointJob job = { deconv, sweep, rec, params, NULL, r, g_new (double, rec->nchannels) };
  g_mutex_init (&job.lock);
  for (int c = 0; c < rec->nchannels; c++)
    job.pnr[c] = NAN;

  g_autoptr (AlRawIr) ref_raw = NULL;
  if (ref >= 0)
    {
      ref_raw = al_deconvolver_run (deconv, al_recording_channel (rec, ref));
      r->latency = al_latency_estimate (ref_raw);
      if (params->estimate_drift)
        r->drift_ppm = al_drift_estimate_ppm (ref_raw, sweep);
      job.ref = ref_raw;
      job.pnr[ref] = al_qc_pnr_db (ref_raw, sweep, r->latency, 32);
    }
  if (al_progress_cancelled (progress, error))
    goto fail;
  al_progress_report (progress, 0.1, "Deconvolving the microphones");

  al_measure_parallel_for (r->nmics, params->nthreads, process_mic, &job);
  if (job.error != NULL)
    {
      g_propagate_error (error, job.error);
      job.error = NULL;
      goto fail;
    }
  r->qc = al_qc_check_pnr (rec, sweep, ref, job.pnr, ref >= 0 ? r->latency : NAN, r->drift_ppm, track,
                           &params->qc);
  g_mutex_clear (&job.lock);
  g_free (job.pnr);
  al_progress_report (progress, 1.0, "Measured");
  return r;

fail:
  g_mutex_clear (&job.lock);
  g_free (job.pnr);
  al_point_result_free (r);
  return NULL;
}
