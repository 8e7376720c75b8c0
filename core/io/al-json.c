/* al-json.c — reading and writing JSON files with json-glib.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-io.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

/* json-glib reports "<data>:LINE:COLUMN: Parse error: WHAT" for in-memory
 * input; rewrite it as "NAME: line LINE, column COLUMN: WHAT". */
static void
set_parse_error (const char *name, const GError *parse_error, GError **error)
{
  const char *msg = parse_error->message;
  if (g_str_has_prefix (msg, "<data>:"))
    {
      char *end;
      long line = strtol (msg + 7, &end, 10);
      if (*end == ':')
        {
          long column = strtol (end + 1, &end, 10);
          if (g_str_has_prefix (end, ": "))
            {
              const char *what = end + 2;
              if (g_str_has_prefix (what, "Parse error: "))
                what += strlen ("Parse error: ");
              g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: line %ld, column %ld: JSON syntax error: %s",
                           name, line, column, what);
              return;
            }
        }
    }
  g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: not valid JSON: %s", name, msg);
}

JsonNode *
al_json_read (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr (GError) local = NULL;
  /* errno gives a shorter message than GFileError's, which repeats the path. */
  if (g_access (path, R_OK) != 0)
    {
      int saved = errno;
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot read: %s", path, g_strerror (saved));
      return NULL;
    }
  if (!g_file_get_contents (path, &text, &len, &local))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot read: %s", path, local->message);
      return NULL;
    }
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, (gssize) len, &local))
    {
      set_parse_error (name, local, error);
      return NULL;
    }
  JsonNode *root = json_parser_steal_root (parser);
  if (root == NULL)
    g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: empty file, no JSON value", name);
  return root;
}

/* JSON has no NaN or infinity; json-glib would write "nan" and make the
 * file unreadable, so such values are refused with their location. */
static gboolean
check_numbers (JsonNode *node, GString *where, const char *path, GError **error)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double x = json_node_get_double (node);
      if (!isfinite (x))
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "%s: value at %s is %s, which JSON cannot hold",
                       path, where->len ? where->str : "/", isnan (x) ? "NaN" : "infinite");
          return FALSE;
        }
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *child;
      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &member, &child))
        {
          gsize len = where->len;
          g_string_append_printf (where, "/%s", member);
          if (!check_numbers (child, where, path, error))
            return FALSE;
          g_string_truncate (where, len);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          gsize len = where->len;
          g_string_append_printf (where, "/%u", i);
          if (!check_numbers (json_array_get_element (array, i), where, path, error))
            return FALSE;
          g_string_truncate (where, len);
        }
    }
  return TRUE;
}

gboolean
al_json_write (const char *path, JsonNode *root, GError **error)
{
  g_return_val_if_fail (path != NULL && root != NULL, FALSE);
  g_autoptr (GString) where = g_string_new (NULL);
  if (!check_numbers (root, where, path, error))
    return FALSE;
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  json_generator_set_root (gen, root);
  gsize len = 0;
  g_autofree char *text = json_generator_to_data (gen, &len);
  g_autofree char *with_newline = g_strconcat (text, "\n", NULL);
  g_autoptr (GError) local = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  if (g_access (dir, W_OK) != 0)
    {
      int saved = errno;
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot write: %s", path, g_strerror (saved));
      return FALSE;
    }
  if (!al_write_file_atomic (path, with_newline, len + 1, &local))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot write: %s", path, local->message);
      return FALSE;
    }
  return TRUE;
}
