/* al-project.c — project folders: manifest, ATF import by copy, typed items.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "al-io.h"
#include "al-project.h"

typedef struct {
  const AlProjectKind *kind;
  char *name;
  gpointer data;
} Item;

typedef struct {
  char *kind;       /* manifest key */
  JsonNode *entries; /* the manifest's array, kept as read */
} ForeignKind;

struct AlProject {
  char *dir;
  char *name;
  char *created;
  gboolean modified;
  AlAtfSet *atf;
  char *atf_file;   /* basename inside dir */
  char *atf_path;   /* where the bytes are now: the folder's copy or the import source */
  char *atf_origin; /* where it was imported from (provenance) */
  GPtrArray *items;   /* Item* */
  GPtrArray *foreign; /* ForeignKind*: kinds the opener did not ask for */
  GHashTable *saved_files; /* relative paths the last save/open of dir knew */
};

static void
item_free (gpointer data)
{
  Item *it = data;
  if (it->data != NULL && it->kind->free != NULL)
    it->kind->free (it->data);
  g_free (it->name);
  g_free (it);
}

static void
foreign_free (gpointer data)
{
  ForeignKind *f = data;
  g_free (f->kind);
  json_node_unref (f->entries);
  g_free (f);
}

static char *
now_iso8601 (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  return g_date_time_format_iso8601 (now);
}

AlProject *
al_project_new (const char *name)
{
  AlProject *p = g_new0 (AlProject, 1);
  p->name = g_strdup (name != NULL && *name != '\0' ? name : "Untitled");
  p->created = now_iso8601 ();
  p->items = g_ptr_array_new_with_free_func (item_free);
  p->foreign = g_ptr_array_new_with_free_func (foreign_free);
  p->saved_files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return p;
}

void
al_project_free (AlProject *p)
{
  if (p == NULL)
    return;
  g_free (p->dir);
  g_free (p->name);
  g_free (p->created);
  al_atf_set_free (p->atf);
  g_free (p->atf_file);
  g_free (p->atf_path);
  g_free (p->atf_origin);
  g_ptr_array_unref (p->items);
  g_ptr_array_unref (p->foreign);
  g_hash_table_unref (p->saved_files);
  g_free (p);
}

const char *
al_project_get_dir (const AlProject *p)
{
  return p->dir;
}

const char *
al_project_get_name (const AlProject *p)
{
  return p->name;
}

void
al_project_set_name (AlProject *p, const char *name)
{
  g_return_if_fail (name != NULL && *name != '\0');
  if (g_strcmp0 (p->name, name) == 0)
    return;
  g_free (p->name);
  p->name = g_strdup (name);
  p->modified = TRUE;
}

gboolean
al_project_is_modified (const AlProject *p)
{
  return p->modified;
}

const char *
al_project_get_created (const AlProject *p)
{
  return p->created;
}

const AlAtfSet *
al_project_get_atf (const AlProject *p)
{
  return p->atf;
}

const char *
al_project_get_atf_file (const AlProject *p)
{
  return p->atf_file;
}

const char *
al_project_get_atf_origin (const AlProject *p)
{
  return p->atf_origin;
}

/* ---- items ---- */

static gboolean
valid_name (const char *name)
{
  if (name == NULL || *name == '\0' || *name == '.' || strlen (name) > 120 || !g_utf8_validate (name, -1, NULL))
    return FALSE;
  for (const char *c = name; *c; c++)
    if (*c == '/' || *c == '\\' || (unsigned char) *c < 0x20)
      return FALSE;
  return TRUE;
}

static Item *
nth_item (const AlProject *p, const AlProjectKind *kind, guint index)
{
  guint k = 0;
  for (guint i = 0; i < p->items->len; i++)
    {
      Item *it = g_ptr_array_index (p->items, i);
      if (strcmp (it->kind->kind, kind->kind) == 0 && k++ == index)
        return it;
    }
  return NULL;
}

guint
al_project_n_items (const AlProject *p, const AlProjectKind *kind)
{
  guint n = 0;
  for (guint i = 0; i < p->items->len; i++)
    n += strcmp (((Item *) g_ptr_array_index (p->items, i))->kind->kind, kind->kind) == 0;
  return n;
}

gconstpointer
al_project_get_item (const AlProject *p, const AlProjectKind *kind, guint index)
{
  Item *it = nth_item (p, kind, index);
  return it != NULL ? it->data : NULL;
}

const char *
al_project_get_item_name (const AlProject *p, const AlProjectKind *kind, guint index)
{
  Item *it = nth_item (p, kind, index);
  return it != NULL ? it->name : NULL;
}

int
al_project_find_item (const AlProject *p, const AlProjectKind *kind, const char *name)
{
  int k = 0;
  for (guint i = 0; i < p->items->len; i++)
    {
      Item *it = g_ptr_array_index (p->items, i);
      if (strcmp (it->kind->kind, kind->kind) != 0)
        continue;
      if (g_strcmp0 (it->name, name) == 0)
        return k;
      k++;
    }
  return -1;
}

int
al_project_add_item (AlProject *p, const AlProjectKind *kind, const char *name, gpointer item, GError **error)
{
  if (!valid_name (name))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "“%s” cannot be a name: use letters, digits and spaces, no “/” and no leading dot",
                   name != NULL ? name : "");
      return -1;
    }
  if (al_project_find_item (p, kind, name) >= 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "the project already has %s “%s”", kind->kind, name);
      return -1;
    }
  Item *it = g_new0 (Item, 1);
  it->kind = kind;
  it->name = g_strdup (name);
  it->data = item;
  g_ptr_array_add (p->items, it);
  p->modified = TRUE;
  return (int) al_project_n_items (p, kind) - 1;
}

gboolean
al_project_remove_item (AlProject *p, const AlProjectKind *kind, guint index)
{
  Item *it = nth_item (p, kind, index);
  if (it == NULL)
    return FALSE;
  g_ptr_array_remove (p->items, it);
  p->modified = TRUE;
  return TRUE;
}

char *
al_project_unique_name (const AlProject *p, const AlProjectKind *kind, const char *base)
{
  GString *s = g_string_new (NULL);
  for (const char *c = base != NULL ? base : ""; *c; c++)
    g_string_append_c (s, (*c == '/' || *c == '\\' || (unsigned char) *c < 0x20) ? '-' : *c);
  while (s->len > 0 && s->str[0] == '.')
    g_string_erase (s, 0, 1);
  if (s->len == 0)
    g_string_assign (s, "item");
  if (s->len > 100)
    g_string_truncate (s, 100);
  g_autofree char *stem = g_string_free (s, FALSE);
  char *name = g_strdup (stem);
  for (int i = 2; al_project_find_item (p, kind, name) >= 0; i++)
    {
      g_free (name);
      name = g_strdup_printf ("%s %d", stem, i);
    }
  return name;
}

/* ---- ATF import ---- */

gboolean
al_project_import_sofa (AlProject *p, const char *path, GError **error)
{
  g_autoptr (AlAtfSet) set = al_sofa_read (path, error);
  if (set == NULL)
    return FALSE;
  if (!al_atf_set_validate (set, path, error))
    return FALSE;
  al_project_import_atf (p, g_steal_pointer (&set), path);
  return TRUE;
}

void
al_project_import_atf (AlProject *p, AlAtfSet *set, const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  if (!g_str_has_suffix (base, ".sofa"))
    {
      char *t = g_strconcat (base, ".sofa", NULL);
      g_free (base);
      base = t;
    }
  al_atf_set_free (p->atf);
  p->atf = set;
  g_free (p->atf_file);
  p->atf_file = g_steal_pointer (&base);
  g_free (p->atf_path);
  p->atf_path = g_canonicalize_filename (path, NULL);
  g_free (p->atf_origin);
  p->atf_origin = g_strdup (p->atf_path);
  p->modified = TRUE;
}

/* ---- open ---- */

static const char *
get_string (JsonObject *o, const char *member)
{
  JsonNode *n = json_object_get_member (o, member);
  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
           ? json_node_get_string (n)
           : NULL;
}

/* A relative path inside the project: no absolute paths, no "..". */
static gboolean
safe_relative (const char *rel)
{
  if (rel == NULL || *rel == '\0' || g_path_is_absolute (rel))
    return FALSE;
  g_auto (GStrv) parts = g_strsplit (rel, "/", -1);
  for (int i = 0; parts[i]; i++)
    if (strcmp (parts[i], "..") == 0)
      return FALSE;
  return TRUE;
}

static void
remember_entry_files (AlProject *p, JsonObject *entry)
{
  JsonArray *files = json_object_has_member (entry, "files") ? json_object_get_array_member (entry, "files") : NULL;
  if (files == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (files); i++)
    {
      const char *f = json_array_get_string_element (files, i);
      if (safe_relative (f))
        g_hash_table_add (p->saved_files, g_strdup (f));
    }
}

AlProject *
al_project_open (const char *path, const AlProjectKind *kinds, int n_kinds, AlProgress *progress, GError **error)
{
  g_autofree char *dir = NULL;
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    dir = g_canonicalize_filename (path, NULL);
  else
    {
      g_autofree char *parent = g_path_get_dirname (path);
      dir = g_canonicalize_filename (parent, NULL);
    }
  g_autofree char *manifest = g_build_filename (dir, AL_PROJECT_MANIFEST, NULL);
  if (!g_file_test (manifest, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: not a project folder (no %s)", dir, AL_PROJECT_MANIFEST);
      return NULL;
    }
  g_autoptr (JsonNode) root = al_json_read (manifest, error);
  if (root == NULL)
    return NULL;
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  if (o == NULL || g_strcmp0 (get_string (o, "format"), AL_PROJECT_FORMAT) != 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: not an Ambilab project", manifest);
      return NULL;
    }
  gint64 version = json_object_get_int_member_with_default (o, "version", 0);
  if (version < 1 || version > AL_PROJECT_VERSION)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_UNSUPPORTED,
                   "%s: project format version %" G_GINT64_FORMAT " (this Ambilab reads up to %d)", manifest,
                   version, AL_PROJECT_VERSION);
      return NULL;
    }

  g_autoptr (AlProject) p = al_project_new (get_string (o, "name"));
  p->dir = g_steal_pointer (&dir);
  if (get_string (o, "created") != NULL)
    {
      g_free (p->created);
      p->created = g_strdup (get_string (o, "created"));
    }
  g_hash_table_add (p->saved_files, g_strdup (AL_PROJECT_MANIFEST));

  JsonObject *atf = json_object_has_member (o, "atf") ? json_object_get_object_member (o, "atf") : NULL;
  if (atf != NULL)
    {
      const char *file = get_string (atf, "file");
      if (file == NULL || !safe_relative (file) || strchr (file, '/') != NULL)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: atf.file is missing or not a file name", manifest);
          return NULL;
        }
      al_progress_report (progress, 0.05, "reading ATFs");
      g_autofree char *sofa = g_build_filename (p->dir, file, NULL);
      p->atf = al_sofa_read (sofa, error);
      if (p->atf == NULL)
        return NULL;
      p->atf_file = g_strdup (file);
      p->atf_path = g_steal_pointer (&sofa);
      p->atf_origin = g_strdup (get_string (atf, "origin") != NULL ? get_string (atf, "origin") : p->atf_path);
      g_hash_table_add (p->saved_files, g_strdup (file));
    }

  JsonObject *items = json_object_has_member (o, "items") ? json_object_get_object_member (o, "items") : NULL;
  g_autoptr (GList) members = items != NULL ? json_object_get_members (items) : NULL;
  guint total = 0, done = 0;
  for (GList *l = members; l; l = l->next)
    {
      JsonNode *n = json_object_get_member (items, l->data);
      total += JSON_NODE_HOLDS_ARRAY (n) ? json_array_get_length (json_node_get_array (n)) : 0;
    }
  for (GList *l = members; l; l = l->next)
    {
      const char *key = l->data;
      JsonNode *n = json_object_get_member (items, key);
      if (!JSON_NODE_HOLDS_ARRAY (n))
        {
          g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: items.%s is not a list", manifest, key);
          return NULL;
        }
      JsonArray *arr = json_node_get_array (n);
      const AlProjectKind *kind = NULL;
      for (int k = 0; k < n_kinds; k++)
        if (strcmp (kinds[k].kind, key) == 0)
          kind = &kinds[k];
      for (guint i = 0; i < json_array_get_length (arr); i++)
        {
          JsonNode *en = json_array_get_element (arr, i);
          JsonObject *e = JSON_NODE_HOLDS_OBJECT (en) ? json_node_get_object (en) : NULL;
          const char *name = e != NULL ? get_string (e, "name") : NULL;
          const char *file = e != NULL ? get_string (e, "file") : NULL;
          if (name == NULL || file == NULL || !safe_relative (file) || !valid_name (name))
            {
              g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: items.%s[%u] needs a valid name and file", manifest,
                           key, i);
              return NULL;
            }
          remember_entry_files (p, e);
          if (kind == NULL)
            continue;
          if (al_progress_cancelled (progress, error))
            return NULL;
          al_progress_report (progress, 0.3 + 0.7 * done++ / MAX (total, 1), name);
          g_autofree char *item_path = g_build_filename (p->dir, file, NULL);
          gpointer data = kind->load (item_path, error);
          if (data == NULL)
            return NULL;
          if (al_project_add_item (p, kind, name, data, error) < 0)
            {
              kind->free (data);
              g_prefix_error (error, "%s: ", manifest);
              return NULL;
            }
        }
      if (kind == NULL)
        {
          ForeignKind *f = g_new0 (ForeignKind, 1);
          f->kind = g_strdup (key);
          f->entries = json_node_ref (n);
          g_ptr_array_add (p->foreign, f);
        }
    }
  al_progress_report (progress, 1.0, NULL);
  p->modified = FALSE;
  return g_steal_pointer (&p);
}

/* ---- save ---- */

static gboolean
copy_file_atomic (const char *from, const char *to, GError **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  if (!g_file_get_contents (from, &data, &len, error))
    return FALSE;
  return al_write_file_atomic (to, data, len, error);
}

static gboolean
ensure_dir (const char *dir, GError **error)
{
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int e = errno;
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot create folder: %s", dir, g_strerror (e));
      return FALSE;
    }
  return TRUE;
}

static void
add_string_array (JsonBuilder *b, char **values)
{
  json_builder_begin_array (b);
  for (int i = 0; values[i]; i++)
    json_builder_add_string_value (b, values[i]);
  json_builder_end_array (b);
}

/* Writes everything into dir; old_dir (may be NULL or equal) is where files
 * of foreign kinds are copied from. */
static gboolean
write_project (AlProject *p, const char *dir, GError **error)
{
  if (!ensure_dir (dir, error))
    return FALSE;
  g_autoptr (GHashTable) written = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, AL_PROJECT_FORMAT);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, AL_PROJECT_VERSION);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, p->name);
  json_builder_set_member_name (b, "created");
  json_builder_add_string_value (b, p->created);
  g_autofree char *now = now_iso8601 ();
  json_builder_set_member_name (b, "modified");
  json_builder_add_string_value (b, now);
  json_builder_set_member_name (b, "generator");
#ifdef AL_VERSION
  json_builder_add_string_value (b, "Ambilab " AL_VERSION);
#else
  json_builder_add_string_value (b, "Ambilab");
#endif

  if (p->atf != NULL)
    {
      g_autofree char *dest = g_build_filename (dir, p->atf_file, NULL);
      g_autofree char *canon = g_canonicalize_filename (dest, NULL);
      if (g_strcmp0 (canon, p->atf_path) != 0 && !copy_file_atomic (p->atf_path, canon, error))
        return FALSE;
      json_builder_set_member_name (b, "atf");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, p->atf_file);
      json_builder_set_member_name (b, "origin");
      json_builder_add_string_value (b, p->atf_origin);
      json_builder_set_member_name (b, "directions");
      json_builder_add_int_value (b, p->atf->ndirs);
      json_builder_set_member_name (b, "microphones");
      json_builder_add_int_value (b, p->atf->nmics);
      json_builder_set_member_name (b, "sample_rate");
      json_builder_add_double_value (b, p->atf->fs);
      json_builder_set_member_name (b, "ir_length");
      json_builder_add_int_value (b, p->atf->ir_len);
      json_builder_end_object (b);
      g_hash_table_add (written, g_strdup (p->atf_file));
    }

  json_builder_set_member_name (b, "items");
  json_builder_begin_object (b);
  /* Kinds in order of first appearance. */
  g_autoptr (GPtrArray) kinds = g_ptr_array_new ();
  for (guint i = 0; i < p->items->len; i++)
    {
      const AlProjectKind *k = ((Item *) g_ptr_array_index (p->items, i))->kind;
      gboolean seen = FALSE;
      for (guint j = 0; j < kinds->len; j++)
        seen |= strcmp (((const AlProjectKind *) g_ptr_array_index (kinds, j))->kind, k->kind) == 0;
      if (!seen)
        g_ptr_array_add (kinds, (gpointer) k);
    }
  for (guint j = 0; j < kinds->len; j++)
    {
      const AlProjectKind *k = g_ptr_array_index (kinds, j);
      g_autofree char *folder = g_build_filename (dir, k->folder, NULL);
      if (!ensure_dir (folder, error))
        return FALSE;
      json_builder_set_member_name (b, k->kind);
      json_builder_begin_array (b);
      for (guint i = 0; i < p->items->len; i++)
        {
          Item *it = g_ptr_array_index (p->items, i);
          if (strcmp (it->kind->kind, k->kind) != 0)
            continue;
          g_autofree char *base = g_strconcat (it->name, k->suffix, NULL);
          g_autofree char *rel = g_build_filename (k->folder, base, NULL);
          g_autofree char *full = g_build_filename (dir, rel, NULL);
          if (!k->save (it->data, full, error))
            return FALSE;
          g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (files, g_strdup (rel));
          g_auto (GStrv) comp = k->companions != NULL ? k->companions (full) : NULL;
          for (int c = 0; comp != NULL && comp[c]; c++)
            {
              g_autofree char *cb = g_path_get_basename (comp[c]);
              g_ptr_array_add (files, g_build_filename (k->folder, cb, NULL));
            }
          g_ptr_array_add (files, NULL);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, it->name);
          json_builder_set_member_name (b, "file");
          json_builder_add_string_value (b, rel);
          json_builder_set_member_name (b, "files");
          add_string_array (b, (char **) files->pdata);
          json_builder_end_object (b);
          for (guint f = 0; f + 1 < files->len; f++)
            g_hash_table_add (written, g_strdup (g_ptr_array_index (files, f)));
        }
      json_builder_end_array (b);
    }
  for (guint j = 0; j < p->foreign->len; j++)
    {
      ForeignKind *f = g_ptr_array_index (p->foreign, j);
      JsonArray *arr = json_node_get_array (f->entries);
      for (guint i = 0; i < json_array_get_length (arr); i++)
        {
          JsonObject *e = json_array_get_object_element (arr, i);
          JsonArray *files = json_object_has_member (e, "files") ? json_object_get_array_member (e, "files") : NULL;
          if (files == NULL)
            {
              /* Without a file list only the main file is known. */
              const char *file = json_object_get_string_member (e, "file");
              g_hash_table_add (written, g_strdup (file));
              continue;
            }
          for (guint k = 0; k < json_array_get_length (files); k++)
            {
              const char *rel = json_array_get_string_element (files, k);
              if (!safe_relative (rel))
                continue;
              g_autofree char *to = g_build_filename (dir, rel, NULL);
              if (p->dir != NULL && strcmp (p->dir, dir) != 0)
                {
                  g_autofree char *from = g_build_filename (p->dir, rel, NULL);
                  g_autofree char *to_dir = g_path_get_dirname (to);
                  if (!ensure_dir (to_dir, error) || !copy_file_atomic (from, to, error))
                    return FALSE;
                }
              g_hash_table_add (written, g_strdup (rel));
            }
        }
      json_builder_set_member_name (b, f->kind);
      json_builder_add_value (b, json_node_copy (f->entries));
    }
  json_builder_end_object (b);
  json_builder_end_object (b);

  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autofree char *manifest = g_build_filename (dir, AL_PROJECT_MANIFEST, NULL);
  if (!al_json_write (manifest, root, error))
    return FALSE;
  g_hash_table_add (written, g_strdup (AL_PROJECT_MANIFEST));

  /* Files the previous save of this folder wrote and the project no longer
   * lists (removed or renamed items) are ours to delete. */
  if (p->dir != NULL && strcmp (p->dir, dir) == 0)
    {
      GHashTableIter iter;
      gpointer key;
      g_hash_table_iter_init (&iter, p->saved_files);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (!g_hash_table_contains (written, key))
          {
            g_autofree char *stale = g_build_filename (dir, key, NULL);
            g_remove (stale);
          }
    }
  g_hash_table_remove_all (p->saved_files);
  GHashTableIter iter;
  gpointer key;
  g_hash_table_iter_init (&iter, written);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (p->saved_files, g_strdup (key));

  if (p->atf != NULL)
    {
      g_free (p->atf_path);
      g_autofree char *dest = g_build_filename (dir, p->atf_file, NULL);
      p->atf_path = g_canonicalize_filename (dest, NULL);
    }
  p->modified = FALSE;
  return TRUE;
}

gboolean
al_project_save (AlProject *p, GError **error)
{
  if (p->dir == NULL)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "project “%s” has no folder yet: use Save As", p->name);
      return FALSE;
    }
  return write_project (p, p->dir, error);
}

gboolean
al_project_save_as (AlProject *p, const char *dir, gboolean overwrite, GError **error)
{
  g_autofree char *canon = g_canonicalize_filename (dir, NULL);
  if (g_file_test (canon, G_FILE_TEST_EXISTS) && !g_file_test (canon, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: exists and is not a folder", canon);
      return FALSE;
    }
  g_autofree char *manifest = g_build_filename (canon, AL_PROJECT_MANIFEST, NULL);
  gboolean same = p->dir != NULL && strcmp (p->dir, canon) == 0;
  if (!same && !overwrite && g_file_test (manifest, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: already holds a project", canon);
      return FALSE;
    }
  if (!write_project (p, canon, error))
    return FALSE;
  if (!same)
    {
      g_free (p->dir);
      p->dir = g_steal_pointer (&canon);
    }
  return TRUE;
}
