/* al-base.c — errors, progress and atomic writes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-base.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <unistd.h>

G_DEFINE_QUARK (al-error-quark, al_error)

static double
map_fraction (const AlProgress *p, double fraction)
{
  if (p->hi <= p->lo)
    return fraction;
  return p->lo + (p->hi - p->lo) * fraction;
}

void
al_progress_report (AlProgress *progress, double fraction, const char *message)
{
  if (progress == NULL || progress->func == NULL)
    return;
  progress->func (map_fraction (progress, CLAMP (fraction, 0.0, 1.0)), message, progress->user_data);
}

gboolean
al_progress_cancelled (AlProgress *progress, GError **error)
{
  if (progress == NULL || progress->cancellable == NULL)
    return FALSE;
  return g_cancellable_set_error_if_cancelled (progress->cancellable, error);
}

AlProgress
al_progress_sub (AlProgress *parent, double lo, double hi)
{
  AlProgress child = { 0 };
  if (parent == NULL)
    return child;
  child = *parent;
  child.lo = map_fraction (parent, lo);
  child.hi = map_fraction (parent, hi);
  return child;
}

gboolean
al_write_file_atomic (const char *path, const void *data, gsize len, GError **error)
{
  /* g_file_set_contents_full writes a temporary file beside the target,
   * fsyncs it and renames it over the target. */
  return g_file_set_contents_full (path, data, (gssize) len,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0644, error);
}

char *
al_temp_path_for (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *name = g_strdup_printf (".%s.%u.tmp", base, g_random_int ());
  return g_build_filename (dir, name, NULL);
}

gboolean
al_commit_temp_file (const char *tmp_path, const char *path, GError **error)
{
  int fd = g_open (tmp_path, O_RDONLY, 0);
  if (fd < 0 || fsync (fd) != 0)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot sync temporary file: %s", path, g_strerror (saved));
      g_unlink (tmp_path);
      return FALSE;
    }
  close (fd);
  if (g_rename (tmp_path, path) != 0)
    {
      int saved = errno;
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot write: %s", path, g_strerror (saved));
      g_unlink (tmp_path);
      return FALSE;
    }
  return TRUE;
}

void
al_discard_temp_file (const char *tmp_path)
{
  if (tmp_path != NULL)
    g_unlink (tmp_path);
}

gboolean
al_check_finite (const double *x, size_t n, const char *what, GError **error)
{
  for (size_t i = 0; i < n; i++)
    if (!isfinite (x[i]))
      {
        g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                     "%s: value %zu of %zu is %s", what, i, n, isnan (x[i]) ? "NaN" : "infinite");
        return FALSE;
      }
  return TRUE;
}

gboolean
al_check_finite_float (const float *x, size_t n, const char *what, GError **error)
{
  for (size_t i = 0; i < n; i++)
    if (!isfinite (x[i]))
      {
        g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                     "%s: value %zu of %zu is %s", what, i, n, isnan (x[i]) ? "NaN" : "infinite");
        return FALSE;
      }
  return TRUE;
}
