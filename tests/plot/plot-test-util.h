/* plot-test-util.h — small helpers shared by the plot tests: pixels of an
 * image surface, temporary folders, colour distances.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "al-plot.h"

#include <glib/gstdio.h>
#include <math.h>

/* sRGB components in [0,1] of pixel (x, y) of an opaque ARGB32/RGB24 surface. */
static inline AlRgb
test_pixel (cairo_surface_t *surface, int x, int y)
{
  cairo_surface_flush (surface);
  const unsigned char *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint32 p = *(const guint32 *) (data + (gsize) y * stride + 4 * (gsize) x);
  return (AlRgb) { ((p >> 16) & 0xff) / 255.0, ((p >> 8) & 0xff) / 255.0, (p & 0xff) / 255.0 };
}

static inline double
test_color_distance (AlRgb a, AlRgb b)
{
  return MAX (fabs (a.r - b.r), MAX (fabs (a.g - b.g), fabs (a.b - b.b)));
}

static inline AlRgb
test_hex (guint32 hex)
{
  return (AlRgb) { ((hex >> 16) & 0xff) / 255.0, ((hex >> 8) & 0xff) / 255.0, (hex & 0xff) / 255.0 };
}

static inline char *
test_make_tmp_dir (void)
{
  GError *error = NULL;
  char *dir = g_dir_make_tmp ("al-plot-test-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

/* Removes a flat folder of files and the folder itself. */
static inline void
test_remove_dir (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  if (d != NULL)
    {
      const char *name;
      while ((name = g_dir_read_name (d)) != NULL)
        {
          char *path = g_build_filename (dir, name, NULL);
          g_unlink (path);
          g_free (path);
        }
      g_dir_close (d);
    }
  g_rmdir (dir);
}
