/* al-audio-level.c — the level check before a measurement: play the sweep
 * or noise at the start level, meter every input per block (peak and rms),
 * and fail clearly when an input clips or the loopback reference is silent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-audio-private.h"
#include "al-measure-private.h"

#include <string.h>

void
al_audio_level_params_init (AlAudioLevelParams *params)
{
  g_return_if_fail (params != NULL);
  memset (params, 0, sizeof *params);
  params->signal = AL_AUDIO_LEVEL_SWEEP;
  al_sweep_params_init (&params->sweep);
  params->level_dbfs = -6.0;
  params->duration = 3.0;
  params->block_s = 0.1;
  params->clip_level = 0.999;
  params->silent_dbfs = -60.0;
}

void
al_audio_levels_free (AlAudioLevels *levels)
{
  if (levels == NULL)
    return;
  g_free (levels->peak_dbfs);
  g_free (levels->rms_dbfs);
  g_free (levels);
}

/* ---- Block meters ---- */

struct AlAudioMeter {
  int nchannels, ref;
  double rate;
  int block;             /* frames per block */
  AlAudioMeterFunc func;
  gpointer user_data;
  int filled;            /* frames in the current block */
  gint64 total;          /* frames metered */
  guint status;
  double *blk_peak, *blk_sum;   /* current block */
  double *all_peak, *all_sum;   /* whole run */
  double *peak_db, *rms_db, *max_db; /* what the callback sees */
};

AlAudioMeter *
al_audio_meter_new (int nchannels, int ref_channel, double rate, int block_frames,
                    AlAudioMeterFunc func, gpointer user_data)
{
  AlAudioMeter *m = g_new0 (AlAudioMeter, 1);
  m->nchannels = nchannels;
  m->ref = ref_channel;
  m->rate = rate;
  m->block = MAX (block_frames, 1);
  m->func = func;
  m->user_data = user_data;
  int nc = MAX (nchannels, 1);
  m->blk_peak = g_new0 (double, nc);
  m->blk_sum = g_new0 (double, nc);
  m->all_peak = g_new0 (double, nc);
  m->all_sum = g_new0 (double, nc);
  m->peak_db = g_new0 (double, nc);
  m->rms_db = g_new0 (double, nc);
  m->max_db = g_new0 (double, nc);
  return m;
}

void
al_audio_meter_free (AlAudioMeter *m)
{
  if (m == NULL)
    return;
  g_free (m->blk_peak);
  g_free (m->blk_sum);
  g_free (m->all_peak);
  g_free (m->all_sum);
  g_free (m->peak_db);
  g_free (m->rms_db);
  g_free (m->max_db);
  g_free (m);
}

static void
meter_flush (AlAudioMeter *m)
{
  if (m->filled == 0)
    return;
  for (int c = 0; c < m->nchannels; c++)
    {
      m->peak_db[c] = al_measure_db20 (m->blk_peak[c]);
      m->rms_db[c] = al_measure_db10 (m->blk_sum[c] / m->filled);
      m->max_db[c] = al_measure_db20 (m->all_peak[c]);
      m->blk_peak[c] = 0.0;
      m->blk_sum[c] = 0.0;
    }
  m->filled = 0;
  if (m->func != NULL)
    {
      AlAudioMeters meters = {
        .nchannels = m->nchannels,
        .ref_channel = m->ref,
        .time = m->total / m->rate,
        .peak_dbfs = m->peak_db,
        .rms_dbfs = m->rms_db,
        .max_peak_dbfs = m->max_db,
        .status = m->status,
      };
      m->func (&meters, m->user_data);
    }
}

void
al_audio_meter_feed (AlAudioMeter *m, const float *rows, size_t stride, size_t start, int n)
{
  int done = 0;
  while (done < n)
    {
      int chunk = MIN (n - done, m->block - m->filled);
      for (int c = 0; c < m->nchannels; c++)
        {
          const float *x = rows + (size_t) c * stride + start + done;
          double peak = m->blk_peak[c], sum = 0.0;
          for (int i = 0; i < chunk; i++)
            {
              double v = x[i];
              peak = fmax (peak, fabs (v));
              sum += v * v;
            }
          m->blk_peak[c] = peak;
          m->blk_sum[c] += sum;
          m->all_peak[c] = fmax (m->all_peak[c], peak);
          m->all_sum[c] += sum;
        }
      m->filled += chunk;
      m->total += chunk;
      done += chunk;
      if (m->filled == m->block)
        meter_flush (m);
    }
}

void
al_audio_meter_add_status (AlAudioMeter *m, guint status)
{
  m->status |= status;
}

AlAudioLevels *
al_audio_meter_finish (AlAudioMeter *m)
{
  meter_flush (m);
  AlAudioLevels *lv = g_new0 (AlAudioLevels, 1);
  lv->nchannels = m->nchannels;
  lv->ref_channel = m->ref;
  lv->duration = m->total / m->rate;
  lv->status = m->status;
  lv->peak_dbfs = g_new (double, MAX (m->nchannels, 1));
  lv->rms_dbfs = g_new (double, MAX (m->nchannels, 1));
  for (int c = 0; c < m->nchannels; c++)
    {
      lv->peak_dbfs[c] = al_measure_db20 (m->all_peak[c]);
      lv->rms_dbfs[c] = m->total > 0 ? al_measure_db10 (m->all_sum[c] / m->total) : -400.0;
    }
  return lv;
}

/* ---- Test signals ---- */

/* White Gaussian noise, 1 s, its peak at `level` dBFS; a fixed seed so a
 * level check is repeatable. */
static float *
noise_signal (double rate, double level_dbfs, int *n)
{
  *n = (int) lround (rate);
  float *x = g_new (float, *n);
  g_autoptr (GRand) rand = g_rand_new_with_seed (20240611);
  double peak = 0.0;
  for (int i = 0; i < *n; i++)
    {
      double u1 = 1.0 - g_rand_double (rand), u2 = g_rand_double (rand);
      x[i] = (float) (sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2));
      peak = fmax (peak, fabs (x[i]));
    }
  double g = pow (10.0, level_dbfs / 20.0) / peak;
  for (int i = 0; i < *n; i++)
    x[i] = (float) (x[i] * g);
  return x;
}

static float *
test_signal (const AlAudioBackend *b, const AlAudioLevelParams *p, int *n, GError **error)
{
  if (p->signal == AL_AUDIO_LEVEL_NOISE)
    return noise_signal (b->rate, p->level_dbfs, n);
  AlSweepParams sp = p->sweep;
  sp.fs = b->rate;
  sp.level_dbfs = p->level_dbfs;
  if (sp.f2 >= 0.5 * sp.fs)
    sp.f2 = MIN (22000.0, 0.45 * sp.fs);
  g_autoptr (GError) local = NULL;
  g_autoptr (AlSweep) s = al_sweep_new (&sp, &local);
  if (s == NULL)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "%s: level check sweep: %s", b->name,
                   local->message);
      return NULL;
    }
  *n = s->n_total;
  return al_sweep_signal_float (s);
}

/* "-6.0 dBFS", or "-inf dBFS" for digital silence. */
static char *
fmt_dbfs (double db)
{
  return db <= -399.0 ? g_strdup ("-inf dBFS") : g_strdup_printf ("%.1f dBFS", db);
}

gboolean
al_audio_levels_check (const AlAudioLevels *lv, const AlAudioBackend *b,
                       const AlAudioLevelParams *params, GError **error)
{
  g_return_val_if_fail (lv != NULL && b != NULL, FALSE);
  AlAudioLevelParams defaults;
  if (params == NULL)
    {
      al_audio_level_params_init (&defaults);
      params = &defaults;
    }

  double clip_db = al_measure_db20 (params->clip_level);
  GString *clipped = g_string_new (NULL);
  double worst = -400.0;
  int nclipped = 0;
  for (int c = 0; c < lv->nchannels; c++)
    if (lv->peak_dbfs[c] >= clip_db - 1e-9)
      {
        g_string_append_printf (clipped, "%s%d%s", nclipped ? ", " : "", b->device_inputs[c],
                                c == lv->ref_channel ? " (reference)" : "");
        worst = fmax (worst, lv->peak_dbfs[c]);
        nclipped++;
      }
  if (nclipped > 0)
    {
      g_autofree char *peak = fmt_dbfs (worst);
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_CLIPPING,
                   "%s: input%s %s clip%s at the start level %.1f dBFS (peak %s): lower the output "
                   "level or the input gain", b->name, nclipped > 1 ? "s" : "", clipped->str,
                   nclipped > 1 ? "" : "s", params->level_dbfs, peak);
      g_string_free (clipped, TRUE);
      return FALSE;
    }
  g_string_free (clipped, TRUE);

  int r = lv->ref_channel;
  if (r >= 0 && lv->peak_dbfs[r] < params->silent_dbfs)
    {
      g_autofree char *peak = fmt_dbfs (lv->peak_dbfs[r]);
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_REF_SILENT,
                   "%s: the reference input %d is silent (peak %s, below %.0f dBFS) while output "
                   "plays at %.1f dBFS: wire the speaker feed into input %d", b->name,
                   b->device_inputs[r], peak, params->silent_dbfs, params->level_dbfs,
                   b->device_inputs[r]);
      return FALSE;
    }
  return TRUE;
}

gboolean
al_audio_backend_level_check (AlAudioBackend *b, const AlAudioLevelParams *params,
                              AlAudioMeterFunc func, gpointer user_data, AlAudioLevels **levels,
                              GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (b != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (levels != NULL)
    *levels = NULL;
  AlAudioLevelParams defaults;
  if (params == NULL)
    {
      al_audio_level_params_init (&defaults);
      params = &defaults;
    }
  if (!(params->level_dbfs <= 0.0 && params->level_dbfs >= -120.0) || !(params->block_s > 0.0)
      || !(params->block_s <= 10.0) || !(params->clip_level > 0.0 && params->clip_level <= 1.0)
      || !(params->duration <= 86400.0))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "%s: level check: level %g dBFS (−120 … 0), block %g s (0 … 10), clip level %g "
                   "(0 … 1] or duration %g s out of range", b->name, params->level_dbfs,
                   params->block_s, params->clip_level, params->duration);
      return FALSE;
    }
  int n;
  g_autofree float *signal = test_signal (b, params, &n, error);
  if (signal == NULL)
    return FALSE;

  gint64 nframes = params->duration > 0.0 ? (gint64) llround (params->duration * b->rate) : 0;
  int block = MAX (1, (int) lround (params->block_s * b->rate));
  AlAudioMeter *meter = al_audio_meter_new (al_audio_backend_get_n_inputs (b), b->ref, b->rate, block,
                                            func, user_data);
  g_autoptr (GError) local = NULL;
  gboolean ok = b->klass->play_loop (b, signal, n, nframes, meter, cancellable, &local);
  /* Without a duration the user ends the check: a cancel is its end. */
  if (!ok && nframes == 0 && g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      ok = TRUE;
      g_clear_error (&local);
    }
  g_autoptr (AlAudioLevels) lv = al_audio_meter_finish (meter);
  al_audio_meter_free (meter);
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  ok = lv->duration > 0.0 && al_audio_levels_check (lv, b, params, error);
  if (lv->duration <= 0.0)
    g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_DEVICE,
                 "%s: the level check ended before any audio was recorded", b->name);
  if (levels != NULL)
    *levels = g_steal_pointer (&lv);
  return ok;
}
