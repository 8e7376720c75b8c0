/* io-test-util.h — temporary folders for the io tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>

/* A fresh folder under $TMPDIR; remove it with io_test_dir_remove. */
static inline char *
io_test_dir_new (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("al-io-test-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

static inline int
io_test_compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

/* The names in `dir`, sorted and joined by spaces ("" when empty): lets a
 * test assert that nothing (no temporary file) was left behind. */
static inline char *
io_test_dir_list (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, io_test_compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* Removes `dir` and everything in it (one level of subfolders is enough here). */
static inline void
io_test_dir_remove (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        io_test_dir_remove (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}
