/* al-quality.c — quality checks of one measurement point: clipping,
 * headroom, noise floor, dead and DC channels, IR peak-to-noise ratio,
 * latency jumps and clock drift, with a verdict and readable messages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-measure-private.h"

#include <string.h>

/* Samples kept clear of the IR and of the order-2 harmonic window when
 * measuring the deconvolved noise (the band edge rings for a while). */
#define PNR_GUARD 256

#define FAIL_FLAGS (AL_QC_CLIPPED | AL_QC_DEAD | AL_QC_DC | AL_QC_LATENCY_JUMP | AL_QC_DRIFT)
#define WARN_FLAGS (AL_QC_LOW_HEADROOM | AL_QC_NOISY | AL_QC_LOW_PNR)

static const char *verdict_names[] = { "pass", "warn", "fail" };

const char *
al_qc_verdict_name (AlQcVerdict verdict)
{
  g_return_val_if_fail (verdict <= AL_QC_FAIL, "unknown");
  return verdict_names[verdict];
}

void
al_qc_limits_init (AlQcLimits *limits)
{
  g_return_if_fail (limits != NULL);
  limits->clip_level = 0.999;
  limits->min_headroom_db = 1.0;
  limits->max_noise_dbfs = -50.0;
  limits->dead_margin_db = 3.0;
  limits->dc_dbfs = -40.0;
  limits->min_pnr_db = 40.0;
  limits->max_drift_ppm = 2.0;
}

static AlQcVerdict
verdict_of (guint flags)
{
  if (flags & FAIL_FLAGS)
    return AL_QC_FAIL;
  if (flags & WARN_FLAGS)
    return AL_QC_WARN;
  return AL_QC_PASS;
}

/* rms about the mean of x[i0, i1), dBFS; NAN when the range is empty. */
static double
rms_dbfs (const float *x, int i0, int i1)
{
  if (i1 <= i0)
    return NAN;
  double mean = 0.0, sum = 0.0;
  for (int i = i0; i < i1; i++)
    mean += x[i];
  mean /= i1 - i0;
  for (int i = i0; i < i1; i++)
    sum += (x[i] - mean) * (x[i] - mean);
  return al_measure_db10 (sum / (i1 - i0));
}

void
al_qc_signal (const float *x, int n, const AlSweep *sweep, const AlQcLimits *limits, AlQcChannel *out)
{
  AlQcLimits defaults;

  g_return_if_fail (x != NULL && sweep != NULL && out != NULL);
  if (limits == NULL)
    {
      al_qc_limits_init (&defaults);
      limits = &defaults;
    }
  memset (out, 0, sizeof *out);

  double peak = 0.0, sum = 0.0;
  for (int i = 0; i < n; i++)
    {
      double a = fabs (x[i]);
      peak = fmax (peak, a);
      if (a >= limits->clip_level)
        out->nclipped++;
      sum += x[i];
    }
  out->peak_dbfs = al_measure_db20 (peak);
  out->headroom_db = -out->peak_dbfs;
  out->dc = n > 0 ? sum / n : 0.0;
  /* The first eighth of the pre-roll may hold the interface's start-up. */
  int pre = MIN (sweep->n_pre, n);
  out->noise_dbfs = pre >= 16 ? rms_dbfs (x, pre / 8, pre) : NAN;
  out->signal_dbfs = rms_dbfs (x, pre, MIN (n, sweep->n_pre + sweep->n_sweep));
  out->pnr_db = NAN;

  if (out->nclipped > 0)
    out->flags |= AL_QC_CLIPPED;
  else if (out->headroom_db < limits->min_headroom_db)
    out->flags |= AL_QC_LOW_HEADROOM;
  if (out->noise_dbfs > limits->max_noise_dbfs)
    out->flags |= AL_QC_NOISY;
  /* Dead: nothing above the floor while the sweep plays (a silent input
   * reads −400 dBFS in both). */
  if (!(out->signal_dbfs > -200.0)
      || (isfinite (out->noise_dbfs) && out->signal_dbfs < out->noise_dbfs + limits->dead_margin_db))
    out->flags |= AL_QC_DEAD;
  if (fabs (out->dc) >= pow (10.0, limits->dc_dbfs / 20.0))
    out->flags |= AL_QC_DC;
  out->verdict = verdict_of (out->flags);
}

static double
rms_of (const double *h, int i0, int i1)
{
  double s = 0.0;
  for (int i = i0; i < i1; i++)
    s += h[i] * h[i];
  return sqrt (s / MAX (i1 - i0, 1));
}

double
al_qc_pnr_db (const AlRawIr *raw, const AlSweep *sweep, double lag0, int ir_len)
{
  g_return_val_if_fail (raw != NULL && sweep != NULL, NAN);

  int z = raw->zero;
  int p0 = CLAMP (z + (int) floor (lag0) - 32, 0, raw->len);
  int p1 = CLAMP (z + (int) ceil (lag0) + ir_len, p0, raw->len);
  double peak = 0.0;
  for (int i = p0; i < p1; i++)
    peak = fmax (peak, fabs (raw->h[i]));

  int n0 = z + (int) ceil (lag0 + al_sweep_harmonic_lag (sweep, 2)) + ir_len + PNR_GUARD;
  int n1 = z + (int) floor (lag0) - PNR_GUARD;
  n0 = MAX (n0, 0);
  n1 = MIN (n1, raw->len);
  double noise;
  if (n1 - n0 >= 256)
    noise = rms_of (raw->h, n0, n1);
  else
    {
      int end = raw->len, start = end - MAX ((end - z) / 10, 1);
      noise = rms_of (raw->h, MAX (start, 0), end);
    }
  return al_measure_db20 (peak) - al_measure_db20 (noise);
}

void
al_qc_report_free (AlQcReport *report)
{
  if (report == NULL)
    return;
  g_free (report->channels);
  if (report->messages != NULL)
    g_ptr_array_unref (report->messages);
  g_free (report);
}

char *
al_qc_report_summary (const AlQcReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);
  if (report->messages->len == 0)
    return g_strdup (al_qc_verdict_name (report->verdict));
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < report->messages->len; i++)
    {
      if (i > 0)
        g_string_append_c (s, '\n');
      g_string_append (s, g_ptr_array_index (report->messages, i));
    }
  return g_string_free (s, FALSE);
}

static void
channel_messages (AlQcReport *r, int c, const AlQcLimits *lim)
{
  const AlQcChannel *q = &r->channels[c];
  g_autofree char *name = c == r->ref_channel ? g_strdup_printf ("channel %d (loopback)", c + 1)
                                              : g_strdup_printf ("channel %d", c + 1);
  GPtrArray *m = r->messages;

  if (q->flags & AL_QC_CLIPPED)
    g_ptr_array_add (m, g_strdup_printf ("%s: clipped, %d samples at or above %.3f FS (peak %.2f dBFS)",
                                         name, q->nclipped, lim->clip_level, q->peak_dbfs));
  if (q->flags & AL_QC_LOW_HEADROOM)
    g_ptr_array_add (m, g_strdup_printf ("%s: %.2f dB headroom is below %.2f dB (peak %.2f dBFS)",
                                         name, q->headroom_db, lim->min_headroom_db, q->peak_dbfs));
  if (q->flags & AL_QC_NOISY)
    g_ptr_array_add (m, g_strdup_printf ("%s: noise floor %.1f dBFS rms in the pre-roll (limit %.1f dBFS)",
                                         name, q->noise_dbfs, lim->max_noise_dbfs));
  if ((q->flags & AL_QC_DEAD) && !(q->signal_dbfs > -200.0))
    g_ptr_array_add (m, g_strdup_printf ("%s: dead, it carries no signal at all (constant %.4f FS)",
                                         name, q->dc));
  else if (q->flags & AL_QC_DEAD)
    g_ptr_array_add (m, g_strdup_printf ("%s: dead, %.1f dBFS rms while the sweep plays against a noise "
                                         "floor of %.1f dBFS", name, q->signal_dbfs, q->noise_dbfs));
  if (q->flags & AL_QC_DC)
    g_ptr_array_add (m, g_strdup_printf ("%s: DC offset %.4f FS (%.1f dBFS, limit %.1f dBFS)", name, q->dc,
                                         al_measure_db20 (q->dc), lim->dc_dbfs));
  if (q->flags & AL_QC_LOW_PNR)
    g_ptr_array_add (m, g_strdup_printf ("%s: IR peak-to-noise ratio %.1f dB (want %.1f dB)", name,
                                         q->pnr_db, lim->min_pnr_db));
}

AlQcReport *
al_qc_check (const AlRecording *rec, const AlSweep *sweep, int ref_channel, AlRawIr *const *irs,
             double latency, double drift_ppm, int ir_len, AlLatencyTrack *track, const AlQcLimits *limits)
{
  g_return_val_if_fail (rec != NULL && sweep != NULL, NULL);

  g_autofree double *pnr = g_new (double, rec->nchannels);
  for (int c = 0; c < rec->nchannels; c++)
    pnr[c] = irs != NULL && irs[c] != NULL
             ? al_qc_pnr_db (irs[c], sweep, isfinite (latency) ? latency : 0.0, MAX (ir_len, 1))
             : NAN;
  return al_qc_check_pnr (rec, sweep, ref_channel, pnr, latency, drift_ppm, track, limits);
}

AlQcReport *
al_qc_check_pnr (const AlRecording *rec, const AlSweep *sweep, int ref_channel, const double *pnr_db,
                 double latency, double drift_ppm, AlLatencyTrack *track, const AlQcLimits *limits)
{
  AlQcLimits defaults;

  g_return_val_if_fail (rec != NULL && sweep != NULL, NULL);
  if (limits == NULL)
    {
      al_qc_limits_init (&defaults);
      limits = &defaults;
    }

  AlQcReport *r = g_new0 (AlQcReport, 1);
  r->nchannels = rec->nchannels;
  r->ref_channel = ref_channel >= 0 && ref_channel < rec->nchannels ? ref_channel : -1;
  r->channels = g_new0 (AlQcChannel, rec->nchannels);
  r->messages = g_ptr_array_new_with_free_func (g_free);
  r->latency = latency;
  r->drift_ppm = drift_ppm;

  for (int c = 0; c < rec->nchannels; c++)
    {
      AlQcChannel *q = &r->channels[c];
      al_qc_signal (al_recording_channel (rec, c), rec->nframes, sweep, limits, q);
      /* A dead channel's IR is noise by definition: no second complaint. */
      if (pnr_db != NULL && !(q->flags & AL_QC_DEAD))
        {
          q->pnr_db = pnr_db[c];
          if (q->pnr_db < limits->min_pnr_db)
            q->flags |= AL_QC_LOW_PNR;
        }
      q->verdict = verdict_of (q->flags);
      channel_messages (r, c, limits);
      r->verdict = MAX (r->verdict, q->verdict);
    }

  if (r->ref_channel >= 0 && isfinite (latency) && track != NULL)
    {
      gboolean first = track->count == 0;
      if (!al_latency_track_add (track, latency))
        {
          r->flags |= AL_QC_LATENCY_JUMP;
          r->latency_jump = latency - track->first;
          g_ptr_array_add (r->messages,
                           g_strdup_printf ("channel %d (loopback): latency %.2f samples but %.2f at the "
                                            "first point of the run (jump of %+.2f samples, tolerance %.2f)",
                                            r->ref_channel + 1, latency, track->first, r->latency_jump,
                                            track->tolerance));
        }
      else if (!first)
        r->latency_jump = latency - track->first;
    }
  if (isfinite (drift_ppm) && fabs (drift_ppm) > limits->max_drift_ppm)
    {
      r->flags |= AL_QC_DRIFT;
      g_ptr_array_add (r->messages,
                       g_strdup_printf ("clock drift of %+.2f ppm between playback and capture (limit %.1f ppm): "
                                        "use one interface or a shared word clock", drift_ppm,
                                        limits->max_drift_ppm));
    }
  r->verdict = MAX (r->verdict, verdict_of (r->flags));
  return r;
}
