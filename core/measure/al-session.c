/* al-session.c — opening a session (configuration, devices, folder,
 * journal) and running it: travel, re-mounts, play-record, checks,
 * bounded retries, dropouts redone, the final reference repeat, progress and
 * pauses on device faults.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-session-private.h"

#include <errno.h>
#include <math.h>
#include <string.h>

void
al_session_config_init (AlSessionConfig *c)
{
  memset (c, 0, sizeof *c);
  c->retries = 2;
  c->max_dropouts = 5;
  c->ir_start = -32;
  c->ir_len = 512;
  c->tol_deg = 0.5;
  c->settle_ms = 500;
  c->timeout_ms = 120000;
  c->averages = 1;
}

void
al_session_config_clear (AlSessionConfig *c)
{
  g_clear_pointer (&c->audio_uri, g_free);
  g_clear_pointer (&c->turntable_uri, g_free);
  g_clear_pointer (&c->grid_spec, g_free);
  g_clear_pointer (&c->sweep_spec, g_free);
  g_clear_pointer (&c->mics_pos_path, g_free);
  g_clear_pointer (&c->elevation_turntable, g_free);
}

static void
config_copy (AlSessionConfig *dst, const AlSessionConfig *src)
{
  *dst = *src;
  dst->audio_uri = g_strdup (src->audio_uri);
  dst->turntable_uri = g_strdup (src->turntable_uri);
  dst->grid_spec = g_strdup (src->grid_spec);
  dst->sweep_spec = g_strdup (src->sweep_spec);
  dst->mics_pos_path = g_strdup (src->mics_pos_path);
  dst->elevation_turntable = g_strdup (src->elevation_turntable);
}

void
al_session_free (AlSession *s)
{
  if (s == NULL)
    return;
  if (s->grid != NULL && s->entries != NULL)
    for (int i = 0; i < s->grid->n; i++)
      {
        al_session_entry_free (s->entries[i]);
        if (s->irs != NULL)
          g_free (s->irs[i]);
      }
  g_free (s->entries);
  g_free (s->irs);
  al_session_entry_free (s->repeat);
  g_free (s->repeat_ir);
  g_free (s->order);
  al_session_grid_free (s->grid);
  al_deconvolver_free (s->deconv);
  al_sweep_free (s->sweep);
  al_audio_backend_free (s->audio);
  al_turntable_close (s->tt);
  al_turntable_close (s->elev_tt);
  g_free (s->mic_pos);
  if (s->warnings != NULL)
    g_ptr_array_unref (s->warnings);
  g_free (s->audio_name);
  g_free (s->channels);
  g_free (s->sim_base_uri);
  g_free (s->created);
  g_free (s->finished);
  al_session_config_clear (&s->config);
  g_free (s->dir);
  g_free (s);
}

/* ---- sim: backends per direction ---- */

/* Splits a sim: URI into the part without seed= and elevation=, and the seed. */
static void
sim_split (const char *uri, char **base, guint32 *seed)
{
  const char *q = uri + strlen ("sim:");
  if (*q == '?')
    q++;
  g_auto (GStrv) pairs = g_strsplit (q, "&", -1);
  g_autoptr (GString) out = g_string_new ("sim:");
  *seed = 1;
  gboolean first = TRUE;
  for (int i = 0; pairs[i] != NULL; i++)
    {
      if (g_str_has_prefix (pairs[i], "seed="))
        {
          *seed = (guint32) g_ascii_strtoull (pairs[i] + 5, NULL, 10);
          continue;
        }
      if (g_str_has_prefix (pairs[i], "elevation=") || pairs[i][0] == '\0')
        continue;
      g_string_append_printf (out, "%s%s", first ? "" : "&", pairs[i]);
      first = FALSE;
    }
  *base = g_string_free (g_steal_pointer (&out), FALSE);
}

/* The backend for run `run` of a direction (grid index, or n for the repeat):
 * real interfaces stay open; sim: is opened with a seed of its own. */
AlAudioBackend *
al_session_audio_for_run (AlSession *s, int index, double elevation, int run, GError **error)
{
  if (!s->audio_is_sim)
    return s->audio;
  guint32 seed = s->sim_seed + 7919u * (guint32) (index + 1) + 104729u * (guint32) run;
  g_autofree char *uri = g_strdup_printf ("%s&seed=%u&elevation=%.17g", s->sim_base_uri, seed, elevation);
  al_audio_backend_free (s->audio);
  s->audio = al_audio_backend_open (uri, error);
  return s->audio;
}

/* ---- session.json ---- */

static JsonNode *
config_to_json (AlSession *s)
{
  const AlSessionConfig *c = &s->config;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *sweep = al_sweep_params_to_string (&s->sweep->params);
  json_builder_begin_object (b);
#define STR(k, v) do { json_builder_set_member_name (b, k); if (v) json_builder_add_string_value (b, v); else json_builder_add_null_value (b); } while (0)
#define INT(k, v) do { json_builder_set_member_name (b, k); json_builder_add_int_value (b, v); } while (0)
#define DBL(k, v) do { json_builder_set_member_name (b, k); json_builder_add_double_value (b, v); } while (0)
  STR ("format", "ambilab-measurement-session");
  INT ("version", 1);
  STR ("audio", c->audio_uri);
  STR ("audio_name", s->audio_name);
  STR ("turntable", c->turntable_uri);
  STR ("turntable_name", al_turntable_get_name (s->tt));
  STR ("grid", c->grid_spec);
  INT ("directions", s->grid->n);
  STR ("sweep", sweep);
  DBL ("fs", s->fs);
  INT ("mics", s->nmics);
  INT ("reference", s->ref_channel);
  STR ("channels", s->channels);
  INT ("ir_start", c->ir_start);
  INT ("ir_len", c->ir_len);
  INT ("retries", c->retries);
  STR ("mics_pos", c->mics_pos_path);
  DBL ("tol_deg", c->tol_deg);
  INT ("settle_ms", c->settle_ms);
  INT ("timeout_ms", c->timeout_ms);
  INT ("averages", c->averages);
  STR ("elevation_turntable", c->elevation_turntable);
  STR ("created", s->created);
#undef STR
#undef INT
#undef DBL
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static const char *
jstr (JsonObject *o, const char *k)
{
  JsonNode *n = json_object_get_member (o, k);
  return n != NULL && JSON_NODE_HOLDS_VALUE (n) ? json_node_get_string (n) : NULL;
}

/* The stored configuration, for al_session_open with config NULL. */
static gboolean
config_from_file (const char *path, AlSessionConfig *c, GError **error)
{
  g_autoptr (JsonNode) root = al_json_read (path, error);
  if (root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: not a session configuration", path);
      return FALSE;
    }
  JsonObject *o = json_node_get_object (root);
  al_session_config_init (c);
  c->audio_uri = g_strdup (jstr (o, "audio"));
  c->turntable_uri = g_strdup (jstr (o, "turntable"));
  c->grid_spec = g_strdup (jstr (o, "grid"));
  c->sweep_spec = g_strdup (jstr (o, "sweep"));
  c->mics_pos_path = g_strdup (jstr (o, "mics_pos"));
  c->ir_start = json_object_get_int_member_with_default (o, "ir_start", c->ir_start);
  c->ir_len = json_object_get_int_member_with_default (o, "ir_len", c->ir_len);
  c->retries = json_object_get_int_member_with_default (o, "retries", c->retries);
  c->tol_deg = json_object_get_double_member_with_default (o, "tol_deg", c->tol_deg);
  c->settle_ms = json_object_get_int_member_with_default (o, "settle_ms", c->settle_ms);
  c->timeout_ms = json_object_get_int_member_with_default (o, "timeout_ms", c->timeout_ms);
  /* Folders from before averaging measured one sweep per direction. */
  c->averages = json_object_get_int_member_with_default (o, "averages", 1);
  c->elevation_turntable = g_strdup (jstr (o, "elevation_turntable"));
  if (c->audio_uri == NULL || c->turntable_uri == NULL || c->grid_spec == NULL || c->sweep_spec == NULL)
    {
      al_session_config_clear (c);
      g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: audio, turntable, grid or sweep is missing", path);
      return FALSE;
    }
  return TRUE;
}

/* A resumed session must measure what the folder holds. */
static gboolean
config_matches (AlSession *s, const char *path, GError **error)
{
  g_autoptr (JsonNode) root = al_json_read (path, error);
  if (root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: not a session configuration", path);
      return FALSE;
    }
  JsonObject *o = json_node_get_object (root);
  g_autofree char *sweep = al_sweep_params_to_string (&s->sweep->params);
  const char *their_grid = jstr (o, "grid"), *their_sweep = jstr (o, "sweep");
  g_autoptr (AlSessionGrid) g = their_grid ? al_session_grid_parse (their_grid, NULL) : NULL;
  gboolean grid_same = g != NULL && g->n == s->grid->n
                       && memcmp (g->azimuth_deg, s->grid->azimuth_deg, sizeof (double) * g->n) == 0
                       && memcmp (g->elevation_deg, s->grid->elevation_deg, sizeof (double) * g->n) == 0;
  g_autofree char *what = NULL;
  if (!grid_same)
    what = g_strdup_printf ("grid '%s' there, '%s' here", their_grid ? their_grid : "?", s->config.grid_spec);
  else if (g_strcmp0 (their_sweep, sweep) != 0)
    what = g_strdup_printf ("sweep '%s' there, '%s' here", their_sweep ? their_sweep : "?", sweep);
  else if (json_object_get_double_member_with_default (o, "fs", 0) != s->fs)
    what = g_strdup_printf ("%.0f Hz there, %.0f Hz here", json_object_get_double_member_with_default (o, "fs", 0),
                            s->fs);
  else if (json_object_get_int_member_with_default (o, "mics", -1) != s->nmics)
    what = g_strdup_printf ("%d mics there, %d here", (int) json_object_get_int_member_with_default (o, "mics", -1),
                            s->nmics);
  else if (json_object_get_int_member_with_default (o, "ir_start", 0) != s->config.ir_start
           || json_object_get_int_member_with_default (o, "ir_len", 0) != s->config.ir_len)
    what = g_strdup ("a different IR window");
  else if (json_object_get_int_member_with_default (o, "averages", 1) != s->config.averages)
    what = g_strdup_printf ("%d averages there, %d here",
                            (int) json_object_get_int_member_with_default (o, "averages", 1), s->config.averages);
  if (what != NULL)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH,
                   "%s: the session folder belongs to a different configuration (%s)", path, what);
      return FALSE;
    }
  const char *ta = jstr (o, "audio"), *tt = jstr (o, "turntable");
  if (g_strcmp0 (ta, s->config.audio_uri) != 0)
    g_ptr_array_add (s->warnings, g_strdup_printf ("audio interface changed from '%s' to '%s'", ta,
                                                   s->config.audio_uri));
  if (g_strcmp0 (tt, s->config.turntable_uri) != 0)
    g_ptr_array_add (s->warnings, g_strdup_printf ("turntable changed from '%s' to '%s'", tt,
                                                   s->config.turntable_uri));
  const char *te = jstr (o, "elevation_turntable");
  if (g_strcmp0 (te, s->config.elevation_turntable) != 0)
    g_ptr_array_add (s->warnings, g_strdup_printf ("elevation turntable changed from '%s' to '%s'",
                                                   te ? te : "none (re-mounts)",
                                                   s->config.elevation_turntable ? s->config.elevation_turntable
                                                                                 : "none (re-mounts)"));
  g_free (s->created);
  s->created = g_strdup (jstr (o, "created"));
  return TRUE;
}

char *
al_session_now_iso8601 (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  return g_date_time_format_iso8601 (now);
}

/* ---- Opening ---- */

static gboolean
open_devices (AlSession *s, GError **error)
{
  const AlSessionConfig *c = &s->config;
  s->audio_is_sim = g_str_has_prefix (c->audio_uri, "sim:");
  g_autoptr (AlAudioBackend) probe = NULL;
  if (s->audio_is_sim)
    {
      sim_split (c->audio_uri, &s->sim_base_uri, &s->sim_seed);
      if (al_session_audio_for_run (s, 0, s->grid->elevation_deg[0], 0, error) == NULL)
        return FALSE;
    }
  else if ((s->audio = al_audio_backend_open (c->audio_uri, error)) == NULL)
    return FALSE;
  AlAudioBackend *a = s->audio;
  s->audio_name = g_strdup (al_audio_backend_get_name (a));
  s->fs = al_audio_backend_get_rate (a);
  s->nmics = al_audio_backend_get_n_mics (a);
  s->ref_channel = al_audio_backend_get_ref_channel (a);
  if (s->ref_channel < 0)
    {
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_CHANNELS,
                   "%s: no loopback reference input (add ref=N to the audio URI): sessions take the latency "
                   "from it at every direction", s->audio_name);
      return FALSE;
    }
  if (s->nmics < 1)
    {
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_CHANNELS, "%s: no mic inputs", s->audio_name);
      return FALSE;
    }
  if (fabs (s->sweep->params.fs - s->fs) > 1e-6)
    {
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_RATE,
                   "%s runs at %.0f Hz but the sweep '%s' is at %.0f Hz", s->audio_name, s->fs, c->sweep_spec,
                   s->sweep->params.fs);
      return FALSE;
    }
  g_autofree int *mics = g_new (int, s->nmics);
  for (int i = 0; i < s->nmics; i++)
    mics[i] = al_audio_backend_get_device_input (a, i) - 1;
  g_autofree char *mic_list = al_audio_channels_to_string (mics, s->nmics);
  s->channels = g_strdup_printf ("mics %s, reference %d", mic_list,
                                 al_audio_backend_get_device_input (a, s->ref_channel));

  if ((s->tt = al_turntable_open (c->turntable_uri, error)) == NULL)
    return FALSE;
  if (c->elevation_turntable != NULL && (s->elev_tt = al_turntable_open (c->elevation_turntable, error)) == NULL)
    {
      g_prefix_error (error, "elevation turntable: ");
      return FALSE;
    }
  return TRUE;
}

static gboolean
load_mic_positions (AlSession *s, GError **error)
{
  s->mic_pos = g_new0 (double, 3 * s->nmics);
  if (s->config.mics_pos_path == NULL)
    {
      g_ptr_array_add (s->warnings, g_strdup ("no mic positions given (--mics-pos): ReceiverPosition is left "
                                              "at 0"));
      return TRUE;
    }
  int n = 0;
  g_autofree double *pos = al_session_read_mic_positions (s->config.mics_pos_path, &n, error);
  if (pos == NULL)
    return FALSE;
  if (n != s->nmics)
    {
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_CHANNELS,
                   "%s records %d mic input%s but %s lists %d mic positions", s->audio_name, s->nmics,
                   s->nmics == 1 ? "" : "s", s->config.mics_pos_path, n);
      return FALSE;
    }
  memcpy (s->mic_pos, pos, sizeof (double) * 3 * n);
  return TRUE;
}

AlSession *
al_session_open (const char *dir, const AlSessionConfig *config, gboolean resume, GError **error)
{
  g_return_val_if_fail (dir != NULL && (config != NULL || resume), NULL);
  g_autoptr (AlSession) s = g_new0 (AlSession, 1);
  s->dir = g_strdup (dir);
  s->warnings = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cfg_path = g_build_filename (dir, AL_SESSION_CONFIG, NULL);
  gboolean exists = g_file_test (cfg_path, G_FILE_TEST_EXISTS);
  if (resume && !exists)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: no session to resume (%s is missing)", dir,
                   AL_SESSION_CONFIG);
      return NULL;
    }
  if (!resume && exists)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s already holds a session; resume it or choose another folder",
                   dir);
      return NULL;
    }
  if (config != NULL)
    config_copy (&s->config, config);
  else if (!config_from_file (cfg_path, &s->config, error))
    return NULL;
  AlSessionConfig *c = &s->config;
  if (c->audio_uri == NULL || c->turntable_uri == NULL || c->grid_spec == NULL || c->sweep_spec == NULL)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "session %s: audio, turntable, grid and sweep are all "
                   "needed", dir);
      return NULL;
    }
  if (c->retries < 0 || c->retries > 100 || c->max_dropouts < 0 || c->ir_len < 1 || c->ir_len > (1 << 20))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "session %s: retries must be 0 … 100 and the IR "
                   "length positive", dir);
      return NULL;
    }
  if (c->averages < 1 || c->averages > 256)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "session %s: averages must be 1 … 256, not %d", dir,
                   c->averages);
      return NULL;
    }
  if ((s->grid = al_session_grid_parse (c->grid_spec, error)) == NULL)
    return NULL;
  AlSweepParams sp;
  al_sweep_params_init (&sp);
  if (!al_sweep_params_parse (c->sweep_spec, &sp, error) || (s->sweep = al_sweep_new (&sp, error)) == NULL)
    return NULL;
  if (!open_devices (s, error) || !load_mic_positions (s, error))
    return NULL;

  if ((s->deconv = al_deconvolver_new (s->sweep, NULL, 0, error)) == NULL)
    return NULL;
  al_point_params_init (&s->point, s->sweep, s->nmics + 1);
  s->point.ref_channel = s->ref_channel;
  s->point.window.type = AL_IR_WINDOW_RECTANGULAR;
  s->point.window.start = c->ir_start;
  s->point.window.length = c->ir_len;
  s->point.window.fade_in = s->point.window.fade_out = 0;
  al_latency_track_init (&s->track, 0.5);

  const AlTurntableCaps *caps = al_turntable_get_caps (s->tt);
  if ((s->order = al_turntable_travel_order (s->grid->azimuth_deg, s->grid->elevation_deg, s->grid->n,
                                             caps->min_deg, caps->max_deg, 0.0, error)) == NULL)
    {
      g_prefix_error (error, "%s: ", al_turntable_get_name (s->tt));
      return NULL;
    }
  for (int i = 0; i < s->grid->n; i++)
    s->nrings = MAX (s->nrings, s->order[i].ring + 1);
  s->entries = g_new0 (AlSessionEntry *, s->grid->n);
  s->irs = g_new0 (double *, s->grid->n);

  if (!al_session_level_check (s, NULL, error))
    return NULL;
  if (resume)
    {
      if (!config_matches (s, cfg_path, error) || !al_session_journal_load (s, error))
        return NULL;
      /* The latency every later direction is held to. */
      for (int k = 0; k < s->grid->n; k++)
        {
          const AlSessionEntry *e = s->entries[s->order[k].index];
          if (e != NULL)
            {
              al_latency_track_add (&s->track, e->latency);
              break;
            }
        }
    }
  else
    {
      g_autoptr (GError) local = NULL;
      if (g_mkdir_with_parents (dir, 0755) != 0)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot create the session folder: %s", dir,
                       g_strerror (errno));
          return NULL;
        }
      s->created = al_session_now_iso8601 ();
      g_autoptr (JsonNode) root = config_to_json (s);
      if (!al_json_write (cfg_path, root, error) || !al_session_sync_path (cfg_path, error))
        return NULL;
    }
  return g_steal_pointer (&s);
}

/* ---- Accessors ---- */

const char *al_session_get_dir (const AlSession *s) { return s->dir; }
const AlSessionConfig *al_session_get_config (const AlSession *s) { return &s->config; }
const AlSessionGrid *al_session_get_grid (const AlSession *s) { return s->grid; }
const AlSweep *al_session_get_sweep (const AlSession *s) { return s->sweep; }
AlTurntable *al_session_get_turntable (AlSession *s) { return s->tt; }
AlTurntable *al_session_get_elevation_turntable (AlSession *s) { return s->elev_tt; }
AlAudioBackend *al_session_get_audio (AlSession *s) { return s->audio; }
int al_session_get_n_mics (const AlSession *s) { return s->nmics; }
const GPtrArray *al_session_get_warnings (const AlSession *s) { return s->warnings; }
int al_session_get_n_directions (const AlSession *s) { return s->grid->n; }
int al_session_get_n_done (const AlSession *s) { return s->ndone; }

const AlSessionEntry *
al_session_get_entry (const AlSession *s, int index)
{
  g_return_val_if_fail (index >= 0 && index < s->grid->n, NULL);
  return s->entries[index];
}

void
al_session_set_remount_func (AlSession *s, AlSessionRemountFunc func, gpointer user_data)
{
  s->remount = func;
  s->remount_data = user_data;
}

void
al_session_set_record_func (AlSession *s, AlSessionRecordFunc func, gpointer user_data)
{
  s->record = func;
  s->record_data = user_data;
}

void
al_session_set_progress_func (AlSession *s, AlSessionProgressFunc func, gpointer user_data)
{
  s->progress = func;
  s->progress_data = user_data;
}
