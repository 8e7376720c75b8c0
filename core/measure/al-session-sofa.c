/* al-session-sofa.c — the ATF set of a session and its SOFA file
 * (SimpleFreeFieldHRIR, R = mics) with the measurement metadata.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-session-private.h"

#include <math.h>
#include <string.h>

double *
al_session_entry_ir (AlSession *s, const AlSessionEntry *e, GError **error)
{
  size_t n = (size_t) s->nmics * s->config.ir_len;
  if (e == s->repeat && s->repeat_ir != NULL)
    return g_memdup2 (s->repeat_ir, sizeof (double) * n);
  if (e->index >= 0 && s->entries[e->index] == e && s->irs[e->index] != NULL)
    return g_memdup2 (s->irs[e->index], sizeof (double) * n);
  g_autofree char *path = g_build_filename (s->dir, e->wav, NULL);
  g_autoptr (AlAudio) audio = al_audio_read (path, error);
  if (audio == NULL)
    return NULL;
  g_autoptr (AlRecording) rec = al_recording_from_audio (audio, error);
  if (rec == NULL)
    return NULL;
  if (rec->nchannels != s->nmics + 1 || rec->nframes != s->sweep->n_total)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH, "%s: %d channels x %d frames, the session records %d x %d",
                   path, rec->nchannels, rec->nframes, s->nmics + 1, s->sweep->n_total);
      return NULL;
    }
  g_autoptr (AlPointResult) res = al_measure_point (s->deconv, s->sweep, rec, &s->point, NULL, NULL, error);
  if (res == NULL)
    return NULL;
  double *ir = g_steal_pointer (&res->ir);
  /* Keep it: SOFA on demand is asked for again and again. */
  if (e->index >= 0 && s->entries[e->index] == e)
    s->irs[e->index] = g_memdup2 (ir, sizeof (double) * n);
  return ir;
}

AlAtfSet *
al_session_build_atf (AlSession *s, GError **error)
{
  if (s->ndone == 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "session %s: no direction measured yet", s->dir);
      return NULL;
    }
  int L = s->config.ir_len;
  g_autoptr (AlAtfSet) set = al_atf_set_new (s->ndone, s->nmics, L, s->fs);
  memcpy (set->mic_pos, s->mic_pos, sizeof (double) * 3 * s->nmics);
  int j = 0;
  for (int i = 0; i < s->grid->n; i++)
    {
      const AlSessionEntry *e = s->entries[i];
      if (e == NULL)
        continue;
      g_autofree double *ir = al_session_entry_ir (s, e, error);
      if (ir == NULL)
        return NULL;
      memcpy (set->ir + (size_t) j * s->nmics * L, ir, sizeof (double) * s->nmics * L);
      set->dirs[2 * j] = AL_DEG2RAD (e->azimuth_deg);
      set->dirs[2 * j + 1] = AL_DEG2RAD (e->elevation_deg);
      set->dist[j] = 0.0;
      j++;
    }
  g_free (set->title);
  set->title = g_strdup ("Measured array transfer functions");
  g_free (set->source);
  set->source = g_path_get_basename (s->dir);
  return g_steal_pointer (&set);
}

gboolean
al_session_write_sofa (AlSession *s, const char *path, GError **error)
{
  g_autoptr (AlAtfSet) set = al_session_build_atf (s, error);
  if (set == NULL)
    return FALSE;
  g_autofree char *sweep = al_sweep_params_to_string (&s->sweep->params);
  g_autofree char *summary = al_session_summary_to_string (s);
  g_autoptr (GString) c = g_string_new (NULL);
  g_string_append_printf (c, "Measured with Ambilab: exponential sweep %s (%s deconvolution, reference shift, "
                          "rectangular IR window %d … %d samples re the loopback latency).\n",
                          sweep, al_deconv_method_name (AL_DECONV_REGULARISED), s->config.ir_start,
                          s->config.ir_start + s->config.ir_len);
  g_string_append_printf (c, "Interface: %s (%s), %s, %.0f Hz.\n", s->audio_name, s->config.audio_uri,
                          s->channels, s->fs);
  g_string_append_printf (c, "Turntable: %s (%s); source directions in the array frame (azimuth = -turntable "
                          "angle).\n", al_turntable_get_name (s->tt), s->config.turntable_uri);
  g_string_append_printf (c, "Grid: %s. Session: %s, started %s%s%s.\n", s->config.grid_spec, s->dir,
                          s->created ? s->created : "?", s->finished ? ", finished " : "",
                          s->finished ? s->finished : "");
  if (s->config.mics_pos_path == NULL)
    g_string_append (c, "Mic positions unknown (ReceiverPosition left at 0).\n");
  g_string_append_printf (c, "QC: %s.", summary);
  AlSofaMeta meta = { 0 };
  meta.title = set->title;
  meta.comment = c->str;
  meta.database_name = "Ambilab measurement session";
  return al_sofa_write (path, set, &meta, error);
}
