/* al-session-run.c — the measurement loop of a session: travel order,
 * re-mounts, play-record with dropouts redone, al_measure_point with
 * bounded QC retries, the WAV and journal line of each direction, the final
 * reference repeat, progress with ETA, and pauses on device faults.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-session-private.h"

#include <math.h>
#include <string.h>

static double
wrap180 (double deg)
{
  double a = fmod (deg, 360.0);
  if (a > 180.0)
    a -= 360.0;
  else if (a <= -180.0)
    a += 360.0;
  return a == 0.0 ? 0.0 : a; /* no −0 in files */
}

static void
report (AlSession *s, int done_now, int index, double az, double el, double mean_s, const char *message)
{
  if (s->progress == NULL)
    return;
  int total = s->grid->n + 1;
  int done = done_now;
  AlSessionProgress p = {
    .fraction = (double) done / total,
    .done = done,
    .total = total,
    .index = index,
    .azimuth_deg = az,
    .elevation_deg = el,
    .eta_s = isnan (mean_s) ? NAN : mean_s * (total - done),
    .message = message,
  };
  s->progress (&p, s->progress_data);
}

/* One recording (repeat `rep` of an attempt), dropouts redone (each run of
 * the sim: its own seed; with one average the runs number as they always
 * did, so older sessions resume to the same data). */
static AlRecording *
play_record (AlSession *s, int index, double elevation, double angle, int attempt, int rep, int *dropouts,
             GCancellable *cancellable, GError **error)
{
  for (int d = 0;; d++)
    {
      int run = (attempt * s->config.averages + rep) * (s->config.max_dropouts + 1) + d;
      AlAudioBackend *a = al_session_audio_for_run (s, index, elevation, run, error);
      if (a == NULL)
        return NULL;
      al_audio_backend_set_turntable_angle (a, angle);
      g_autoptr (GError) local = NULL;
      g_autofree float *played = al_sweep_signal_float (s->sweep);
      AlRecording *rec = al_audio_backend_play_record (a, played, s->sweep->n_total, NULL, cancellable, &local);
      if (rec != NULL && s->record != NULL && !s->record (index, attempt, rec, s->record_data, &local))
        g_clear_pointer (&rec, al_recording_free);
      if (rec != NULL)
        return rec;
      if (!g_error_matches (local, AL_AUDIO_ERROR, AL_AUDIO_ERROR_DROPOUT) || d >= s->config.max_dropouts)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      (*dropouts)++;
    }
}

/* The recording of one attempt: `averages` sweeps played one after the
 * other and averaged sample by sample (the latency is fixed to the sample,
 * so the sweep adds up and uncorrelated noise drops 10·log10 N dB).  The
 * WAV keeps the average, so IRs recomputed from it are the same. */
static AlRecording *
record_averaged (AlSession *s, int index, double elevation, double angle, int attempt, int *dropouts,
                 GCancellable *cancellable, GError **error)
{
  int n = s->config.averages;
  g_autoptr (GPtrArray) recs = g_ptr_array_new_with_free_func ((GDestroyNotify) al_recording_free);
  for (int r = 0; r < n; r++)
    {
      AlRecording *rec = play_record (s, index, elevation, angle, attempt, r, dropouts, cancellable, error);
      if (rec == NULL)
        return NULL;
      g_ptr_array_add (recs, rec);
      if (rec->nchannels != s->nmics + 1 || rec->nframes != s->sweep->n_total)
        {
          g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_DEVICE, "%s: recorded %d channels x %d frames, "
                       "expected %d x %d", s->audio_name, rec->nchannels, rec->nframes, s->nmics + 1,
                       s->sweep->n_total);
          return NULL;
        }
    }
  if (n == 1)
    return g_ptr_array_steal_index (recs, 0);
  return al_recording_average ((AlRecording *const *) recs->pdata, n, error);
}

/* Measures one direction with retries, stores its WAV, journals it. */
static AlSessionEntry *
measure (AlSession *s, const AlTurntableStop *stop, int index, const char *wav_name, double *read_back,
         double **ir_out, GCancellable *cancellable, GError **error)
{
  int gi = stop->index;
  double el = s->grid->elevation_deg[gi];
  g_autoptr (AlRecording) rec = NULL;
  g_autoptr (AlPointResult) res = NULL;
  int attempt = 0, dropouts = 0;
  for (;; attempt++)
    {
      g_clear_pointer (&rec, al_recording_free);
      g_clear_pointer (&res, al_point_result_free);
      rec = record_averaged (s, index, el, *read_back, attempt, &dropouts, cancellable, error);
      if (rec == NULL)
        return NULL;
      res = al_measure_point (s->deconv, s->sweep, rec, &s->point, &s->track, NULL, error);
      if (res == NULL)
        return NULL;
      if (res->qc->verdict != AL_QC_FAIL || attempt >= s->config.retries)
        break;
      if (s->progress != NULL)
        {
          g_autofree char *why = al_qc_report_summary (res->qc);
          g_strdelimit (why, "\n", ';');
          g_autofree char *msg = g_strdup_printf ("direction %d: quality check failed (%s); measuring again "
                                                  "(retry %d of %d)", gi, why, attempt + 1, s->config.retries);
          report (s, s->ndone, gi, wrap180 (-*read_back), el, NAN, msg);
        }
    }

  g_autofree char *path = g_build_filename (s->dir, wav_name, NULL);
  g_autoptr (AlAudio) audio = al_recording_to_audio (rec);
  if (!al_audio_write (path, audio, error) || !al_session_sync_path (path, error))
    return NULL;
  AlSessionEntry *e = g_new0 (AlSessionEntry, 1);
  e->index = index == s->grid->n ? AL_SESSION_REPEAT_INDEX : gi;
  e->ring = stop->ring;
  e->azimuth_deg = wrap180 (-*read_back);
  e->elevation_deg = el;
  e->angle_deg = stop->angle_deg;
  e->read_back_deg = *read_back;
  e->wav = g_strdup (wav_name);
  e->sha256 = al_session_file_sha256 (path, error);
  e->latency = res->latency;
  e->attempts = attempt + 1;
  e->dropouts = dropouts;
  e->verdict = res->qc->verdict;
  e->flagged = res->qc->verdict == AL_QC_FAIL;
  e->messages = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < res->qc->messages->len; i++)
    g_ptr_array_add (e->messages, g_strdup (g_ptr_array_index (res->qc->messages, i)));
  if (e->sha256 == NULL || !al_session_journal_append (s, e, error))
    {
      al_session_entry_free (e);
      return NULL;
    }
  *ir_out = g_steal_pointer (&res->ir);
  return e;
}

static gboolean
remount (AlSession *s, int ring, double elevation, int *mounted, GCancellable *cancellable, GError **error)
{
  if (*mounted == ring)
    return TRUE;
  if (s->elev_tt != NULL)
    {
      /* A second axis: the elevation is driven, nobody is asked. */
      const AlSessionConfig *c = &s->config;
      if (!al_turntable_goto (s->elev_tt, elevation, c->tol_deg, c->settle_ms, c->timeout_ms, cancellable, NULL,
                              error))
        {
          if (!g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_prefix_error (error, "elevation turntable (%s, %s) did not reach %g° (ring %d of %d): ",
                            al_turntable_get_name (s->elev_tt), c->elevation_turntable, elevation, ring + 1,
                            s->nrings);
          return FALSE;
        }
    }
  else if (s->remount != NULL && s->nrings > 1)
    {
      g_autofree char *msg = g_strdup_printf ("Mount the array for a source elevation of %g° (ring %d of %d) and "
                                              "confirm.", elevation, ring + 1, s->nrings);
      AlSessionRemount r = { ring, s->nrings, elevation, msg };
      if (!s->remount (&r, s->remount_data))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "the re-mount for elevation %g° was declined",
                       elevation);
          return FALSE;
        }
    }
  *mounted = ring;
  return TRUE;
}

static gboolean
travel (AlSession *s, const AlTurntableStop *stop, double *read_back, GCancellable *cancellable, GError **error)
{
  const AlSessionConfig *c = &s->config;
  return al_turntable_move_to_unwrapped (s->tt, stop->angle_deg, error)
         && al_turntable_wait_settled (s->tt, stop->angle_deg, c->tol_deg, c->settle_ms, c->timeout_ms, NULL,
                                       cancellable, read_back, error);
}

/* Error energy and level of the repeat against the first measurement. */
static void
compare_repeat (AlSession *s, const double *first, const double *again, double *err_db, double *level_db)
{
  size_t n = (size_t) s->nmics * s->config.ir_len;
  double e = 0.0, r = 0.0, lvl = 0.0;
  for (int m = 0; m < s->nmics; m++)
    {
      double e1 = 0.0, e2 = 0.0;
      for (int i = 0; i < s->config.ir_len; i++)
        {
          size_t k = (size_t) m * s->config.ir_len + i;
          e1 += first[k] * first[k];
          e2 += again[k] * again[k];
        }
      lvl += 10.0 * log10 ((e2 + 1e-300) / (e1 + 1e-300));
    }
  for (size_t k = 0; k < n; k++)
    {
      e += (again[k] - first[k]) * (again[k] - first[k]);
      r += first[k] * first[k];
    }
  *err_db = 10.0 * log10 ((e + 1e-300) / (r + 1e-300));
  *level_db = lvl / s->nmics;
}

/* Start level and reference: the set-up errors a user fixes first. */
gboolean
al_session_level_check (AlSession *s, GCancellable *cancellable, GError **error)
{
  AlAudioLevelParams lp;
  al_audio_level_params_init (&lp);
  lp.sweep = s->sweep->params;
  lp.level_dbfs = s->sweep->params.level_dbfs;
  lp.duration = s->sweep->n_total / s->fs;
  AlAudioBackend *a = al_session_audio_for_run (s, s->grid->n + 1, s->grid->elevation_deg[s->order[0].index], 0,
                                                error);
  return a != NULL && al_audio_backend_level_check (a, &lp, NULL, NULL, NULL, cancellable, error);
}

gboolean
al_session_run (AlSession *s, GCancellable *cancellable, GError **error)
{
  if (!al_session_level_check (s, cancellable, error))
    return FALSE;

  if (!al_turntable_home (s->tt, cancellable, error))
    {
      g_prefix_error (error, "session paused before the first direction: ");
      return FALSE;
    }
  if (s->elev_tt != NULL && !al_turntable_home (s->elev_tt, cancellable, error))
    {
      g_prefix_error (error, "session paused before the first direction: elevation turntable (%s, %s): ",
                      al_turntable_get_name (s->elev_tt), s->config.elevation_turntable);
      return FALSE;
    }
  int mounted = -1, done_here = 0;
  gint64 t_start = g_get_monotonic_time ();
  for (int k = 0; k < s->grid->n; k++)
    {
      const AlTurntableStop *stop = &s->order[k];
      int gi = stop->index;
      if (s->entries[gi] != NULL)
        continue;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      double el = s->grid->elevation_deg[gi], az = s->grid->azimuth_deg[gi];
      double mean_s = done_here > 0 ? (g_get_monotonic_time () - t_start) * 1e-6 / done_here : NAN;
      g_autofree char *msg = g_strdup_printf ("direction %d/%d: azimuth %.1f°, elevation %.1f°", s->ndone + 1,
                                              s->grid->n, wrap180 (az), el);
      report (s, s->ndone, gi, wrap180 (az), el, mean_s, msg);
      double read_back = stop->angle_deg;
      if (!remount (s, stop->ring, el, &mounted, cancellable, error)
          || !travel (s, stop, &read_back, cancellable, error))
        {
          if (!g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_prefix_error (error, "session paused at direction %d (azimuth %.1f°, elevation %.1f°), %d of %d "
                            "kept: ", gi, wrap180 (az), el, s->ndone, s->grid->n);
          return FALSE;
        }
      g_autofree char *wav = g_strdup_printf ("dir-%04d.wav", gi);
      double *ir = NULL;
      AlSessionEntry *e = measure (s, stop, gi, wav, &read_back, &ir, cancellable, error);
      if (e == NULL)
        {
          if (!g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_prefix_error (error, "session paused at direction %d (azimuth %.1f°, elevation %.1f°), %d of %d "
                            "kept: ", gi, wrap180 (az), el, s->ndone, s->grid->n);
          return FALSE;
        }
      s->entries[gi] = e;
      g_free (s->irs[gi]);
      s->irs[gi] = ir;
      s->ndone++;
      done_here++;
      mean_s = (g_get_monotonic_time () - t_start) * 1e-6 / done_here;
      g_autofree char *dmsg = g_strdup_printf ("direction %d done: %s%s", gi, al_qc_verdict_name (e->verdict),
                                               e->flagged ? " (flagged)" : "");
      report (s, s->ndone, gi, e->azimuth_deg, el, mean_s, dmsg);
    }

  if (s->repeat == NULL)
    {
      /* The reference direction again: how much the set-up moved in time. */
      const AlTurntableStop *stop = &s->order[0];
      double el = s->grid->elevation_deg[stop->index];
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      report (s, s->ndone, stop->index, s->grid->azimuth_deg[stop->index], el, NAN,
              "reference direction measured again");
      double read_back = stop->angle_deg;
      if (!remount (s, stop->ring, el, &mounted, cancellable, error)
          || !travel (s, stop, &read_back, cancellable, error))
        {
          if (!g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_prefix_error (error, "session paused at the reference repeat: ");
          return FALSE;
        }
      double *ir = NULL;
      AlSessionEntry *e = measure (s, stop, s->grid->n, AL_SESSION_REPEAT_WAV, &read_back, &ir, cancellable, error);
      if (e == NULL)
        return FALSE;
      s->repeat = e;
      g_free (s->repeat_ir);
      s->repeat_ir = ir;
    }
  g_free (s->finished);
  s->finished = al_session_now_iso8601 ();
  report (s, s->grid->n + 1, -1, NAN, NAN, NAN, "session complete");
  return TRUE;
}

void
al_session_get_summary (const AlSession *cs, AlSessionSummary *sum)
{
  AlSession *s = (AlSession *) cs;
  memset (sum, 0, sizeof *sum);
  sum->total = s->grid->n;
  sum->latency_min = INFINITY;
  sum->latency_max = -INFINITY;
  sum->repeat_index = s->order[0].index;
  sum->repeat_error_db = sum->repeat_level_db = sum->repeat_latency = NAN;
  for (int i = 0; i < s->grid->n; i++)
    {
      const AlSessionEntry *e = s->entries[i];
      if (e == NULL)
        continue;
      sum->done++;
      sum->npass += e->verdict == AL_QC_PASS;
      sum->nwarn += e->verdict == AL_QC_WARN;
      sum->nfail += e->verdict == AL_QC_FAIL;
      sum->nflagged += e->flagged;
      sum->nretried += e->attempts > 1;
      sum->ndropouts += e->dropouts;
      sum->latency_min = fmin (sum->latency_min, e->latency);
      sum->latency_max = fmax (sum->latency_max, e->latency);
    }
  const AlSessionEntry *first = s->entries[sum->repeat_index];
  if (s->repeat != NULL && first != NULL)
    {
      g_autofree double *a = al_session_entry_ir (s, first, NULL);
      g_autofree double *b = al_session_entry_ir (s, s->repeat, NULL);
      if (a != NULL && b != NULL)
        {
          sum->repeat_done = TRUE;
          compare_repeat (s, a, b, &sum->repeat_error_db, &sum->repeat_level_db);
          sum->repeat_latency = s->repeat->latency - first->latency;
        }
    }
}

char *
al_session_summary_to_string (const AlSession *s)
{
  AlSessionSummary m;
  al_session_get_summary (s, &m);
  GString *out = g_string_new (NULL);
  g_string_append_printf (out, "%d of %d directions measured: %d pass, %d warn, %d fail (%d flagged after "
                          "retries), %d retried, %d dropouts redone", m.done, m.total, m.npass, m.nwarn, m.nfail,
                          m.nflagged, m.nretried, m.ndropouts);
  if (m.done > 0)
    g_string_append_printf (out, "; latency %.2f … %.2f samples", m.latency_min, m.latency_max);
  if (m.repeat_done)
    g_string_append_printf (out, "; reference direction %d repeated at the end: error %.1f dB, level %+.2f dB, "
                            "latency %+.3f samples", m.repeat_index, m.repeat_error_db, m.repeat_level_db,
                            m.repeat_latency);
  if (m.nflagged > 0)
    {
      g_string_append (out, "; flagged directions:");
      for (int i = 0; i < s->grid->n; i++)
        if (s->entries[i] != NULL && s->entries[i]->flagged)
          g_string_append_printf (out, " %d", i);
    }
  return g_string_free (out, FALSE);
}
