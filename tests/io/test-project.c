/* test-project.c — project folders: save/open round trips of the manifest,
 * the copied SOFA and typed items, stale-file removal, foreign kinds kept
 * intact, and every bad input leaving the project untouched.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-io.h"
#include "al-project.h"
#include "io-test-util.h"

#include <math.h>
#include <string.h>

/* A test item kind: a string in a .txt file with a companion .note file. */
static gboolean
note_save (gconstpointer item, const char *path, GError **error)
{
  g_autofree char *stem = g_strndup (path, strlen (path) - 4);
  g_autofree char *companion = g_strconcat (stem, ".note", NULL);
  return al_write_file_atomic (path, item, strlen (item), error)
         && al_write_file_atomic (companion, "c", 1, error);
}

static gpointer
note_load (const char *path, GError **error)
{
  char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  return text;
}

static char **
note_companions (const char *path)
{
  g_autofree char *stem = g_strndup (path, strlen (path) - 4);
  char **v = g_new0 (char *, 2);
  v[0] = g_strconcat (stem, ".note", NULL);
  return v;
}

static const AlProjectKind notes = {
  .kind = "notes", .folder = "notes", .suffix = ".txt",
  .save = note_save, .load = note_load, .free = g_free, .companions = note_companions,
};

static AlAtfSet *
small_set (void)
{
  AlAtfSet *set = al_atf_set_new (6, 3, 32, 48000);
  for (int m = 0; m < 6; m++)
    {
      set->dirs[2 * m] = -G_PI + m;
      set->dirs[2 * m + 1] = 0.2 * (m - 3);
      set->dist[m] = 2;
    }
  for (int i = 0; i < 9; i++)
    set->mic_pos[i] = 0.01 * (i + 1);
  for (int i = 0; i < 6 * 3 * 32; i++)
    set->ir[i] = sin (0.37 * i);
  return set;
}

static char *
write_small_sofa (const char *dir, const char *name)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr (AlAtfSet) set = small_set ();
  g_autoptr (GError) error = NULL;
  g_assert_true (al_sofa_write (path, set, NULL, &error));
  g_assert_no_error (error);
  return path;
}

static void
test_new_and_save_requires_folder (void)
{
  g_autoptr (AlProject) p = al_project_new (NULL);
  g_assert_cmpstr (al_project_get_name (p), ==, "Untitled");
  g_assert_null (al_project_get_dir (p));
  g_assert_false (al_project_is_modified (p));
  g_assert_null (al_project_get_atf (p));
  g_assert_cmpuint (al_project_n_items (p, &notes), ==, 0);
  g_autoptr (GError) error = NULL;
  g_assert_false (al_project_save (p, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "Save As"));
}

static void
test_roundtrip (void)
{
  g_autofree char *tmp = io_test_dir_new ();
  g_autofree char *src = write_small_sofa (tmp, "array.sofa");
  g_autofree char *dir = g_build_filename (tmp, "proj", NULL);
  g_autoptr (GError) error = NULL;

  g_autoptr (AlProject) p = al_project_new ("Glasses");
  g_assert_true (al_project_import_sofa (p, src, &error));
  g_assert_no_error (error);
  g_assert_true (al_project_is_modified (p));
  g_assert_cmpstr (al_project_get_atf_file (p), ==, "array.sofa");
  g_assert_cmpint (al_project_add_item (p, &notes, "first", g_strdup ("one"), &error), ==, 0);
  g_assert_cmpint (al_project_add_item (p, &notes, "second design", g_strdup ("two"), &error), ==, 1);
  g_assert_no_error (error);
  g_assert_true (al_project_save_as (p, dir, FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (al_project_is_modified (p));
  g_autofree char *canon = g_canonicalize_filename (dir, NULL);
  g_assert_cmpstr (al_project_get_dir (p), ==, canon);

  g_autofree char *listing = io_test_dir_list (dir);
  g_assert_cmpstr (listing, ==, "array.sofa notes project.json");
  g_autofree char *nd = g_build_filename (dir, "notes", NULL);
  g_autofree char *nlisting = io_test_dir_list (nd);
  g_assert_cmpstr (nlisting, ==, "first.note first.txt second design.note second design.txt");

  /* The source can go away: the project holds its own copy. */
  g_assert_cmpint (g_remove (src), ==, 0);
  g_autoptr (AlProject) q = al_project_open (dir, &notes, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (q);
  g_assert_cmpstr (al_project_get_name (q), ==, "Glasses");
  g_assert_cmpstr (al_project_get_created (q), ==, al_project_get_created (p));
  g_assert_false (al_project_is_modified (q));
  g_assert_cmpstr (al_project_get_atf_origin (q), ==, al_project_get_atf_origin (p));
  const AlAtfSet *a = al_project_get_atf (q);
  g_autoptr (AlAtfSet) want = small_set ();
  g_assert_cmpint (a->ndirs, ==, 6);
  g_assert_cmpint (a->nmics, ==, 3);
  g_assert_cmpint (a->ir_len, ==, 32);
  g_assert_cmpmem (a->ir, sizeof (double) * 6 * 3 * 32, want->ir, sizeof (double) * 6 * 3 * 32);
  g_assert_cmpuint (al_project_n_items (q, &notes), ==, 2);
  g_assert_cmpstr (al_project_get_item_name (q, &notes, 0), ==, "first");
  g_assert_cmpstr (al_project_get_item (q, &notes, 0), ==, "one");
  g_assert_cmpstr (al_project_get_item_name (q, &notes, 1), ==, "second design");
  g_assert_cmpstr (al_project_get_item (q, &notes, 1), ==, "two");
  g_assert_cmpint (al_project_find_item (q, &notes, "second design"), ==, 1);
  g_assert_cmpint (al_project_find_item (q, &notes, "third"), ==, -1);

  /* Removing an item and saving deletes exactly its files. */
  g_assert_true (al_project_remove_item (q, &notes, 0));
  g_assert_true (al_project_is_modified (q));
  g_assert_true (al_project_save (q, &error));
  g_assert_no_error (error);
  g_autofree char *nlisting2 = io_test_dir_list (nd);
  g_assert_cmpstr (nlisting2, ==, "second design.note second design.txt");
  g_autofree char *listing2 = io_test_dir_list (dir);
  g_assert_cmpstr (listing2, ==, "array.sofa notes project.json");
}

static void
test_names (void)
{
  g_autoptr (AlProject) p = al_project_new ("n");
  g_autoptr (GError) error = NULL;
  g_assert_cmpint (al_project_add_item (p, &notes, "a", g_strdup ("x"), &error), ==, 0);
  g_assert_false (al_project_is_modified (p) == FALSE);
  const char *bad[] = { "", ".hidden", "a/b", "tab\there" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *item = g_strdup ("y");
      g_assert_cmpint (al_project_add_item (p, &notes, bad[i], item, &error), ==, -1);
      g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
      g_clear_error (&error);
    }
  g_autofree char *dup = g_strdup ("z");
  g_assert_cmpint (al_project_add_item (p, &notes, "a", dup, &error), ==, -1);
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "already has notes “a”"));
  g_assert_cmpuint (al_project_n_items (p, &notes), ==, 1);

  g_autofree char *u1 = al_project_unique_name (p, &notes, "a");
  g_assert_cmpstr (u1, ==, "a 2");
  g_autofree char *u2 = al_project_unique_name (p, &notes, "../x/y");
  g_assert_cmpstr (u2, ==, "-x-y");
  g_autofree char *u3 = al_project_unique_name (p, &notes, "");
  g_assert_cmpstr (u3, ==, "item");
}

static void
test_bad_sofa_leaves_project (void)
{
  g_autofree char *tmp = io_test_dir_new ();
  g_autofree char *good = write_small_sofa (tmp, "good.sofa");
  g_autofree char *bad = g_build_filename (tmp, "corrupt.sofa", NULL);
  g_assert_true (g_file_set_contents (bad, "\x89HDF\r\n\x1a\ngarbage garbage", -1, NULL));
  g_autoptr (GError) error = NULL;

  g_autoptr (AlProject) p = al_project_new ("p");
  g_assert_true (al_project_import_sofa (p, good, &error));
  g_autofree char *dir = g_build_filename (tmp, "proj", NULL);
  g_assert_true (al_project_save_as (p, dir, FALSE, &error));
  const AlAtfSet *before = al_project_get_atf (p);

  g_assert_false (al_project_import_sofa (p, bad, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "corrupt.sofa"));
  g_assert_true (al_project_get_atf (p) == before);
  g_assert_cmpstr (al_project_get_atf_file (p), ==, "good.sofa");
  g_assert_false (al_project_is_modified (p));
}

static void
write_manifest (const char *dir, const char *json)
{
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_autofree char *path = g_build_filename (dir, "project.json", NULL);
  g_assert_true (g_file_set_contents (path, json, -1, NULL));
}

static void
assert_open_fails (const char *dir, const char *needle)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlProject) p = al_project_open (dir, &notes, 1, NULL, &error);
  g_assert_null (p);
  g_assert_nonnull (error);
  if (strstr (error->message, needle) == NULL)
    g_error ("message \"%s\" lacks \"%s\"", error->message, needle);
}

static void
test_open_errors (void)
{
  g_autofree char *tmp = io_test_dir_new ();
  assert_open_fails (tmp, "not a project folder");
  g_autofree char *d1 = g_build_filename (tmp, "a", NULL);
  write_manifest (d1, "{\"format\": \"something-else\"}");
  assert_open_fails (d1, "a/project.json: not an Ambilab project");
  g_autofree char *d2 = g_build_filename (tmp, "b", NULL);
  write_manifest (d2, "{\"format\": \"ambilab-project\", \"version\": 7}");
  assert_open_fails (d2, "version 7");
  g_autofree char *d3 = g_build_filename (tmp, "c", NULL);
  write_manifest (d3, "{\"format\": \"ambilab-project\", \"version\": 1, \"atf\": {\"file\": \"../x.sofa\"}}");
  assert_open_fails (d3, "atf.file");
  g_autofree char *d4 = g_build_filename (tmp, "d", NULL);
  write_manifest (d4, "{\"format\": \"ambilab-project\", \"version\": 1, \"atf\": {\"file\": \"missing.sofa\"}}");
  assert_open_fails (d4, "missing.sofa");
  g_autofree char *d5 = g_build_filename (tmp, "e", NULL);
  write_manifest (d5, "{\"format\": \"ambilab-project\", \"version\": 1, \"items\": {\"notes\": "
                      "[{\"name\": \"n\", \"file\": \"notes/n.txt\"}]}}");
  assert_open_fails (d5, "n.txt");
  g_autofree char *d6 = g_build_filename (tmp, "f", NULL);
  write_manifest (d6, "{ not json");
  assert_open_fails (d6, "project.json");
}

static void
test_foreign_kinds_kept (void)
{
  g_autofree char *tmp = io_test_dir_new ();
  g_autofree char *dir = g_build_filename (tmp, "p", NULL);
  g_autoptr (GError) error = NULL;
  {
    g_autoptr (AlProject) p = al_project_new ("f");
    al_project_add_item (p, &notes, "kept", g_strdup ("payload"), &error);
    g_assert_true (al_project_save_as (p, dir, FALSE, &error));
    g_assert_no_error (error);
  }
  /* Opened by a program that does not know "notes" … */
  g_autoptr (AlProject) q = al_project_open (dir, NULL, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (al_project_n_items (q, &notes), ==, 0);
  /* … and saved elsewhere: the files travel along, the entry survives. */
  g_autofree char *dir2 = g_build_filename (tmp, "p2", NULL);
  g_assert_true (al_project_save_as (q, dir2, FALSE, &error));
  g_assert_no_error (error);
  g_autoptr (AlProject) r = al_project_open (dir2, &notes, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (al_project_n_items (r, &notes), ==, 1);
  g_assert_cmpstr (al_project_get_item (r, &notes, 0), ==, "payload");
  g_autofree char *nd = g_build_filename (dir2, "notes", NULL);
  g_autofree char *listing = io_test_dir_list (nd);
  g_assert_cmpstr (listing, ==, "kept.note kept.txt");

  /* Save As over another project needs overwrite. */
  g_assert_false (al_project_save_as (r, dir, FALSE, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "already holds a project"));
  g_clear_error (&error);
  g_assert_true (al_project_save_as (r, dir, TRUE, &error));
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/io/project/new", test_new_and_save_requires_folder);
  g_test_add_func ("/io/project/roundtrip", test_roundtrip);
  g_test_add_func ("/io/project/names", test_names);
  g_test_add_func ("/io/project/bad-sofa", test_bad_sofa_leaves_project);
  g_test_add_func ("/io/project/open-errors", test_open_errors);
  g_test_add_func ("/io/project/foreign-kinds", test_foreign_kinds_kept);
  return g_test_run ();
}
