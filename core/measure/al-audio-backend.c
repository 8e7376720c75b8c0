/* al-audio-backend.c — the audio backend interface: URIs and channel maps,
 * opening by scheme, the accessors, and the checks every backend shares.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-audio-private.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (al-audio-error-quark, al_audio_error)

#define MAX_CHANNELS 1024

/* ---- Devices ---- */

void
al_audio_device_free (AlAudioDevice *device)
{
  if (device == NULL)
    return;
  g_free (device->name);
  g_free (device->host_api);
  g_free (device);
}

char *
al_audio_device_describe (const AlAudioDevice *device)
{
  g_return_val_if_fail (device != NULL, NULL);
  return g_strdup_printf ("%d: %s (%s, %d in, %d out, %.0f Hz)", device->index, device->name,
                          device->host_api, device->max_inputs, device->max_outputs,
                          device->default_rate);
}

/* ---- Channel maps ---- */

/* A channel number 1 … MAX_CHANNELS from [s, e). */
static gboolean
parse_channel (const char *s, const char *e, int *value)
{
  if (s == e || e - s > 6)
    return FALSE;
  int v = 0;
  for (const char *p = s; p < e; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      v = 10 * v + (*p - '0');
    }
  if (v < 1 || v > MAX_CHANNELS)
    return FALSE;
  *value = v;
  return TRUE;
}

int *
al_audio_channels_parse (const char *spec, int *n, GError **error)
{
  g_return_val_if_fail (spec != NULL && n != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  *n = 0;
  g_autoptr (GArray) out = g_array_new (FALSE, FALSE, sizeof (int));
  g_autofree guint8 *seen = g_new0 (guint8, MAX_CHANNELS + 1);
  g_auto (GStrv) parts = g_strsplit (spec, ",", -1);
  if (parts[0] == NULL)
    {
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_URI, "empty channel list");
      return NULL;
    }
  for (int i = 0; parts[i] != NULL; i++)
    {
      const char *p = parts[i], *end = p + strlen (p);
      const char *dash = strchr (p, '-');
      int lo = 0, hi = 0;
      gboolean ok;
      if (dash == NULL)
        {
          ok = parse_channel (p, end, &lo);
          hi = lo;
        }
      else
        ok = parse_channel (p, dash, &lo) && parse_channel (dash + 1, end, &hi);
      if (!ok)
        {
          g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_URI,
                       "'%s' in channel list '%s' is not a channel number or range (1 … %d, like 1-5,7)",
                       p, spec, MAX_CHANNELS);
          return NULL;
        }
      if (hi < lo)
        {
          g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_URI,
                       "range '%s' in channel list '%s' runs backwards", p, spec);
          return NULL;
        }
      for (int c = lo; c <= hi; c++)
        {
          if (seen[c])
            {
              g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_URI,
                           "channel %d appears twice in channel list '%s'", c, spec);
              return NULL;
            }
          seen[c] = 1;
          int idx = c - 1;
          g_array_append_val (out, idx);
        }
    }
  *n = (int) out->len;
  return (int *) g_array_free (g_steal_pointer (&out), FALSE);
}

char *
al_audio_channels_to_string (const int *channels, int n)
{
  GString *s = g_string_new (NULL);
  for (int i = 0; i < n;)
    {
      int j = i;
      while (j + 1 < n && channels[j + 1] == channels[j] + 1)
        j++;
      if (s->len > 0)
        g_string_append_c (s, ',');
      if (j == i)
        g_string_append_printf (s, "%d", channels[i] + 1);
      else
        g_string_append_printf (s, "%d-%d", channels[i] + 1, channels[j] + 1);
      i = j + 1;
    }
  return g_string_free (s, FALSE);
}

/* ---- URIs ---- */

void
al_audio_uri_free (AlAudioUri *u)
{
  if (u == NULL)
    return;
  g_free (u->uri);
  g_free (u->scheme);
  g_free (u->path);
  if (u->params != NULL)
    g_hash_table_unref (u->params);
  g_free (u);
}

static char *
unescape (const char *s, const char *uri, GError **error)
{
  char *out = g_uri_unescape_string (s, NULL);
  if (out == NULL)
    g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_URI,
                 "audio URI '%s': '%s' has a broken %%-escape", uri, s);
  return out;
}

/* scheme ":" [path] ["?" query], or with has_path FALSE scheme ":" ["?"] query
 * ("sim:truth=a.sofa&noise=-80"). */
static AlAudioUri *
uri_parse (const char *uri, gboolean has_path, GError **error)
{
  g_autoptr (AlAudioUri) u = g_new0 (AlAudioUri, 1);
  u->uri = g_strdup (uri);
  const char *colon = strchr (uri, ':');
  u->scheme = g_strndup (uri, colon - uri);
  const char *rest = colon + 1;
  const char *q = strchr (rest, '?');
  const char *query;
  if (has_path)
    {
      g_autofree char *raw = q ? g_strndup (rest, q - rest) : g_strdup (rest);
      if ((u->path = unescape (raw, uri, error)) == NULL)
        return NULL;
      query = q ? q + 1 : "";
    }
  else
    {
      u->path = g_strdup ("");
      query = rest[0] == '?' ? rest + 1 : rest;
    }

  u->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (query[0] == '\0')
    return g_steal_pointer (&u);
  g_auto (GStrv) pairs = g_strsplit (query, "&", -1);
  for (int i = 0; pairs[i] != NULL; i++)
    {
      const char *eq = strchr (pairs[i], '=');
      if (eq == NULL || eq == pairs[i])
        {
          g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_URI,
                       "audio URI '%s': '%s' is not KEY=VALUE", uri, pairs[i]);
          return NULL;
        }
      g_autofree char *raw_key = g_strndup (pairs[i], eq - pairs[i]);
      g_autofree char *key = unescape (raw_key, uri, error);
      if (key == NULL)
        return NULL;
      char *value = unescape (eq + 1, uri, error);
      if (value == NULL)
        return NULL;
      if (g_hash_table_contains (u->params, key))
        {
          g_free (value);
          g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_URI,
                       "audio URI '%s': %s is given twice", uri, key);
          return NULL;
        }
      g_hash_table_insert (u->params, g_steal_pointer (&key), value);
    }
  return g_steal_pointer (&u);
}

gboolean
al_audio_uri_check_keys (const AlAudioUri *u, const char *const *allowed, GError **error)
{
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init (&it, u->params);
  while (g_hash_table_iter_next (&it, &key, NULL))
    if (!g_strv_contains (allowed, key))
      {
        g_autofree char *list = g_strjoinv (", ", (char **) allowed);
        g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_URI,
                     "audio URI '%s': unknown key '%s' (%s: takes %s)", u->uri, (const char *) key,
                     u->scheme, list);
        return FALSE;
      }
  return TRUE;
}

const char *
al_audio_uri_get (const AlAudioUri *u, const char *key)
{
  return g_hash_table_lookup (u->params, key);
}

gboolean
al_audio_uri_get_double (const AlAudioUri *u, const char *key, double lo, double hi, double *value,
                         GError **error)
{
  const char *s = al_audio_uri_get (u, key);
  if (s == NULL)
    return TRUE;
  char *end = NULL;
  errno = 0;
  double v = g_ascii_strtod (s, &end);
  if (s[0] == '\0' || *end != '\0' || errno != 0 || !isfinite (v))
    {
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_URI,
                   "audio URI '%s': %s=%s is not a number", u->uri, key, s);
      return FALSE;
    }
  if (v < lo || v > hi)
    {
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_URI,
                   "audio URI '%s': %s=%s is outside %g … %g", u->uri, key, s, lo, hi);
      return FALSE;
    }
  *value = v;
  return TRUE;
}

gboolean
al_audio_uri_get_int (const AlAudioUri *u, const char *key, int lo, int hi, int *value,
                      GError **error)
{
  const char *s = al_audio_uri_get (u, key);
  if (s == NULL)
    return TRUE;
  gint64 v;
  g_autoptr (GError) local = NULL;
  if (!g_ascii_string_to_signed (s, 10, lo, hi, &v, &local))
    {
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_URI,
                   "audio URI '%s': %s=%s is not a whole number in %d … %d", u->uri, key, s, lo, hi);
      return FALSE;
    }
  *value = (int) v;
  return TRUE;
}

int *
al_audio_uri_get_channels (const AlAudioUri *u, const char *key, int *n, GError **error)
{
  *n = 0;
  const char *s = al_audio_uri_get (u, key);
  if (s == NULL)
    return NULL;
  g_autoptr (GError) local = NULL;
  int *ch = al_audio_channels_parse (s, n, &local);
  if (ch == NULL)
    g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_URI, "audio URI '%s': %s=%s: %s", u->uri,
                 key, s, local->message);
  return ch;
}

AlAudioUri *
al_audio_uri_parse_portaudio (const char *uri, GError **error)
{
  if (!g_str_has_prefix (uri, "portaudio:"))
    {
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_URI,
                   "audio URI '%s': not a portaudio:DEVICE?out=… URI", uri);
      return NULL;
    }
  return uri_parse (uri, TRUE, error);
}

/* ---- Backends ---- */

AlAudioBackend *
al_audio_backend_open (const char *uri, GError **error)
{
  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  const char *colon = strchr (uri, ':');
  g_autofree char *scheme = colon ? g_strndup (uri, colon - uri) : NULL;
  gboolean is_pa = g_strcmp0 (scheme, "portaudio") == 0;
  gboolean is_sim = g_strcmp0 (scheme, "sim") == 0;
  if (!is_pa && !is_sim)
    {
      g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_URI,
                   "audio URI '%s': unknown backend%s%s (use portaudio:DEVICE?in=…&ref=…&out=… or "
                   "sim:truth=FILE.sofa&…)", uri, scheme ? " " : "", scheme ? scheme : "");
      return NULL;
    }
  g_autoptr (AlAudioUri) u = uri_parse (uri, is_pa, error);
  if (u == NULL)
    return NULL;
  return is_pa ? al_audio_portaudio_open (u, error) : al_audio_simchamber_open (u, error);
}

void
al_audio_backend_init_base (AlAudioBackend *b, const AlAudioBackendClass *klass, const char *uri,
                            char *name, double rate, int nmics, int ref, int *device_inputs)
{
  b->klass = klass;
  b->uri = g_strdup (uri);
  b->name = name;
  b->rate = rate;
  b->nmics = nmics;
  b->ref = ref;
  b->device_inputs = device_inputs;
}

void
al_audio_backend_free (AlAudioBackend *b)
{
  if (b == NULL)
    return;
  char *uri = b->uri, *name = b->name;
  int *inputs = b->device_inputs;
  b->klass->finalize (b); /* frees b itself */
  g_free (uri);
  g_free (name);
  g_free (inputs);
}

const char *
al_audio_backend_get_uri (const AlAudioBackend *b)
{
  g_return_val_if_fail (b != NULL, NULL);
  return b->uri;
}

const char *
al_audio_backend_get_name (const AlAudioBackend *b)
{
  g_return_val_if_fail (b != NULL, NULL);
  return b->name;
}

double
al_audio_backend_get_rate (const AlAudioBackend *b)
{
  g_return_val_if_fail (b != NULL, 0.0);
  return b->rate;
}

int
al_audio_backend_get_n_inputs (const AlAudioBackend *b)
{
  g_return_val_if_fail (b != NULL, 0);
  return b->nmics + (b->ref >= 0);
}

int
al_audio_backend_get_n_mics (const AlAudioBackend *b)
{
  g_return_val_if_fail (b != NULL, 0);
  return b->nmics;
}

int
al_audio_backend_get_ref_channel (const AlAudioBackend *b)
{
  g_return_val_if_fail (b != NULL, -1);
  return b->ref;
}

int
al_audio_backend_get_device_input (const AlAudioBackend *b, int row)
{
  g_return_val_if_fail (b != NULL, 0);
  g_return_val_if_fail (row >= 0 && row < al_audio_backend_get_n_inputs (b), 0);
  return b->device_inputs[row];
}

void
al_audio_backend_set_turntable_angle (AlAudioBackend *b, double degrees)
{
  g_return_if_fail (b != NULL);
  b->angle = degrees;
}

double
al_audio_backend_get_turntable_angle (const AlAudioBackend *b)
{
  g_return_val_if_fail (b != NULL, 0.0);
  return b->angle;
}

void
al_audio_backend_set_started_func (AlAudioBackend *b, AlAudioStartedFunc func, gpointer user_data)
{
  g_return_if_fail (b != NULL);
  b->started = func;
  b->started_data = user_data;
}

gboolean
al_audio_backend_call_started (AlAudioBackend *b, GError **error)
{
  if (b->started == NULL)
    return TRUE;
  g_autoptr (GError) local = NULL;
  if (b->started (b, b->started_data, &local))
    return TRUE;
  if (local == NULL)
    g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_DEVICE, "%s: the start hook failed", b->name);
  else
    g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

char *
al_audio_status_to_string (guint status)
{
  static const struct { guint flag; const char *name; } names[] = {
    { AL_AUDIO_INPUT_UNDERFLOW, "input underflow" },
    { AL_AUDIO_INPUT_OVERFLOW, "input overflow" },
    { AL_AUDIO_OUTPUT_UNDERFLOW, "output underflow" },
    { AL_AUDIO_OUTPUT_OVERFLOW, "output overflow" },
  };
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (status & names[i].flag)
      g_string_append_printf (s, "%s%s", s->len ? ", " : "", names[i].name);
  if (s->len == 0)
    g_string_append (s, "none");
  return g_string_free (s, FALSE);
}

AlRecording *
al_audio_backend_play_record (AlAudioBackend *b, const float *played, int n, AlAudioRunInfo *info,
                              GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (b != NULL && played != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (info != NULL)
    {
      memset (info, 0, sizeof *info);
      info->first_flagged = -1.0;
    }
  /* 2^27 frames is 46 min at 48 kHz: far beyond any sweep, and the row
   * sizes stay well inside int. */
  if (n < 1 || n > (1 << 27))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "%s: cannot play a buffer of %d samples", b->name, n);
      return NULL;
    }
  if (!al_check_finite_float (played, n, "the played buffer", error))
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  return b->klass->play_record (b, played, n, info, cancellable, error);
}

gboolean
al_audio_backend_get_callback_stats (const AlAudioBackend *b, AlAudioCallbackStats *stats)
{
  g_return_val_if_fail (b != NULL && stats != NULL, FALSE);
  memset (stats, 0, sizeof *stats);
  return b->klass->callback_stats != NULL && b->klass->callback_stats (b, stats);
}
