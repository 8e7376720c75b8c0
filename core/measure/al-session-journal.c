/* al-session-journal.c — the append-only journal of a session: one JSON line
 * per finished direction, fsync'ed, and its validation on resume
 * (measurement.md §6.3).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-session-private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

void
al_session_entry_free (AlSessionEntry *e)
{
  if (e == NULL)
    return;
  g_free (e->wav);
  g_free (e->sha256);
  if (e->messages != NULL)
    g_ptr_array_unref (e->messages);
  g_free (e);
}

char *
al_session_file_sha256 (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr (GError) local = NULL;
  if (!g_file_get_contents (path, &data, &len, &local))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: %s", path, local->message);
      return NULL;
    }
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
}

static gboolean
fsync_fd_path (const char *path, int flags, GError **error)
{
  int fd = open (path, flags | O_CLOEXEC);
  if (fd < 0 || fsync (fd) != 0)
    {
      int err = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot sync: %s", path, g_strerror (err));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

gboolean
al_session_sync_path (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  return fsync_fd_path (path, O_RDONLY, error) && fsync_fd_path (dir, O_RDONLY | O_DIRECTORY, error);
}

static JsonNode *
entry_to_json (const AlSessionEntry *e)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "index");
  json_builder_add_int_value (b, e->index);
  json_builder_set_member_name (b, "ring");
  json_builder_add_int_value (b, e->ring);
  json_builder_set_member_name (b, "azimuth");
  json_builder_add_double_value (b, e->azimuth_deg);
  json_builder_set_member_name (b, "elevation");
  json_builder_add_double_value (b, e->elevation_deg);
  json_builder_set_member_name (b, "angle");
  json_builder_add_double_value (b, e->angle_deg);
  json_builder_set_member_name (b, "read_back");
  json_builder_add_double_value (b, e->read_back_deg);
  json_builder_set_member_name (b, "wav");
  json_builder_add_string_value (b, e->wav);
  json_builder_set_member_name (b, "sha256");
  json_builder_add_string_value (b, e->sha256);
  json_builder_set_member_name (b, "latency");
  json_builder_add_double_value (b, e->latency);
  json_builder_set_member_name (b, "attempts");
  json_builder_add_int_value (b, e->attempts);
  json_builder_set_member_name (b, "dropouts");
  json_builder_add_int_value (b, e->dropouts);
  json_builder_set_member_name (b, "verdict");
  json_builder_add_string_value (b, al_qc_verdict_name (e->verdict));
  json_builder_set_member_name (b, "flagged");
  json_builder_add_boolean_value (b, e->flagged);
  json_builder_set_member_name (b, "messages");
  json_builder_begin_array (b);
  for (guint i = 0; e->messages != NULL && i < e->messages->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (e->messages, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static AlSessionEntry *
entry_from_json (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  JsonObject *o = json_node_get_object (node);
  static const char *const need[] = { "index", "azimuth", "elevation", "angle", "read_back", "wav", "sha256",
                                      "latency", "verdict" };
  for (guint i = 0; i < G_N_ELEMENTS (need); i++)
    if (!json_object_has_member (o, need[i]))
      return NULL;
  AlSessionEntry *e = g_new0 (AlSessionEntry, 1);
  e->index = json_object_get_int_member (o, "index");
  e->ring = json_object_get_int_member_with_default (o, "ring", 0);
  e->azimuth_deg = json_object_get_double_member (o, "azimuth");
  e->elevation_deg = json_object_get_double_member (o, "elevation");
  e->angle_deg = json_object_get_double_member (o, "angle");
  e->read_back_deg = json_object_get_double_member (o, "read_back");
  e->wav = g_strdup (json_object_get_string_member (o, "wav"));
  e->sha256 = g_strdup (json_object_get_string_member (o, "sha256"));
  e->latency = json_object_get_double_member (o, "latency");
  e->attempts = json_object_get_int_member_with_default (o, "attempts", 1);
  e->dropouts = json_object_get_int_member_with_default (o, "dropouts", 0);
  const char *v = json_object_get_string_member (o, "verdict");
  e->verdict = g_strcmp0 (v, "fail") == 0 ? AL_QC_FAIL : g_strcmp0 (v, "warn") == 0 ? AL_QC_WARN : AL_QC_PASS;
  e->flagged = json_object_get_boolean_member_with_default (o, "flagged", FALSE);
  e->messages = g_ptr_array_new_with_free_func (g_free);
  JsonArray *m = json_object_get_array_member (o, "messages");
  for (guint i = 0; m != NULL && i < json_array_get_length (m); i++)
    g_ptr_array_add (e->messages, g_strdup (json_array_get_string_element (m, i)));
  if (e->wav == NULL || e->sha256 == NULL || strchr (e->wav, '/') != NULL
      || (e->index < 0 && e->index != AL_SESSION_REPEAT_INDEX))
    {
      al_session_entry_free (e);
      return NULL;
    }
  return e;
}

gboolean
al_session_journal_append (AlSession *s, const AlSessionEntry *e, GError **error)
{
  g_autofree char *path = g_build_filename (s->dir, AL_SESSION_JOURNAL, NULL);
  g_autoptr (JsonNode) node = entry_to_json (e);
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_root (gen, node);
  g_autofree char *line0 = json_generator_to_data (gen, NULL);
  g_autofree char *line = g_strconcat (line0, "\n", NULL);
  gboolean created = !g_file_test (path, G_FILE_TEST_EXISTS);
  int fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: %s", path, g_strerror (errno));
      return FALSE;
    }
  size_t len = strlen (line), off = 0;
  while (off < len)
    {
      ssize_t w = write (fd, line + off, len - off);
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        {
          int err = errno;
          close (fd);
          g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot append: %s", path, g_strerror (err));
          return FALSE;
        }
      off += (size_t) w;
    }
  /* The line is on disk before the next direction starts. */
  if (fsync (fd) != 0)
    {
      int err = errno;
      close (fd);
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot sync: %s", path, g_strerror (err));
      return FALSE;
    }
  close (fd);
  return !created || al_session_sync_path (path, error);
}

/* The entry is kept when its WAV is there and unchanged. */
static gboolean
entry_valid (AlSession *s, const AlSessionEntry *e)
{
  if (e->index != AL_SESSION_REPEAT_INDEX && e->index >= s->grid->n)
    return FALSE;
  g_autofree char *wav = g_build_filename (s->dir, e->wav, NULL);
  g_autofree char *sha = al_session_file_sha256 (wav, NULL);
  if (sha == NULL || strcmp (sha, e->sha256) != 0)
    {
      g_ptr_array_add (s->warnings, g_strdup_printf ("%s: %s or its hash changed; direction %d is measured "
                                                     "again", AL_SESSION_JOURNAL, e->wav, e->index));
      return FALSE;
    }
  return TRUE;
}

gboolean
al_session_journal_load (AlSession *s, GError **error)
{
  g_autofree char *path = g_build_filename (s->dir, AL_SESSION_JOURNAL, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr (GError) local = NULL;
  if (!g_file_get_contents (path, &text, &len, &local))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: %s", path, local->message);
      return FALSE;
    }
  gsize pos = 0, good_end = 0;
  int lineno = 0;
  while (pos < len)
    {
      char *nl = memchr (text + pos, '\n', len - pos);
      lineno++;
      gsize end = nl ? (gsize) (nl - text) : len;
      g_autofree char *line = g_strndup (text + pos, end - pos);
      g_autoptr (JsonParser) parser = json_parser_new ();
      AlSessionEntry *e = NULL;
      if (json_parser_load_from_data (parser, line, -1, NULL))
        e = entry_from_json (json_parser_get_root (parser));
      if (e == NULL || nl == NULL)
        {
          al_session_entry_free (e);
          if (nl == NULL || end + 1 >= len)
            {
              /* The line being written when the process died. */
              g_ptr_array_add (s->warnings, g_strdup_printf ("%s: line %d is incomplete and was dropped",
                                                             path, lineno));
              break;
            }
          g_set_error (error, AL_ERROR, AL_ERROR_FORMAT,
                       "%s: line %d is not a journal entry (the journal was edited or damaged)", path, lineno);
          return FALSE;
        }
      pos = good_end = end + 1;
      if (!entry_valid (s, e))
        {
          al_session_entry_free (e);
          continue;
        }
      if (e->index == AL_SESSION_REPEAT_INDEX)
        {
          al_session_entry_free (s->repeat);
          s->repeat = e;
          continue;
        }
      if (s->entries[e->index] == NULL)
        s->ndone++;
      al_session_entry_free (s->entries[e->index]);
      s->entries[e->index] = e;
    }
  if (good_end < len && truncate (path, (off_t) good_end) != 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot cut the incomplete last line: %s", path,
                   g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}
