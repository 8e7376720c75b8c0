/* al-line-raster.c — fast anti-aliased polylines for image surfaces.
 *
 * Cairo 1.16 strokes a 4096-point curve in a few milliseconds; 25 of them
 * make a figure redraw take a tenth of a second.  A round-capped,
 * round-joined stroke is the union of one capsule (a segment widened by a
 * disc) per segment, so it can be rasterised directly: each pixel takes
 * the largest coverage of any capsule near it, estimated from its centre's
 * distance to the segment (a one-pixel box filter), into an A8 mask that is
 * then composited once with the series' colour.  Dashes are cut along the
 * arc length as Cairo does (the pattern restarts with every sub-path).
 *
 * Only for targets whose pixels are known: image surfaces without device
 * offset or scale, drawn with a scale-and-translate transform.  Everything
 * else (PDF, SVG, recording surfaces) gets cairo_stroke ().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-plot-private.h"

#include <math.h>
#include <string.h>

/* Longer segments are rasterised in pieces, keeping each bounding box small. */
#define PIECE 6.0

struct AlLineRaster {
  cairo_surface_t *mask;
  unsigned char *data;
  int stride, w, h;
  int x0, y0;                 /* device position of the mask */
  double sx, tx, sy, ty;      /* user -> device: d = s * u + t */
  int dirty[4];               /* x0, y0, x1, y1 (exclusive) touched since the last finish */
  double radius;              /* half the line width, device pixels */
  double dashes[4];
  int n_dashes;
  int dash_index;
  double dash_left;
  gboolean dash_on;
};

AlLineRaster *
al_line_raster_new (cairo_t *cr, double x, double y, double width, double height)
{
  cairo_surface_t *target = cairo_get_target (cr);
  if (cairo_surface_get_type (target) != CAIRO_SURFACE_TYPE_IMAGE
      || cairo_get_antialias (cr) == CAIRO_ANTIALIAS_NONE)
    return NULL;
  double ox, oy, dsx, dsy;
  cairo_surface_get_device_offset (target, &ox, &oy);
  cairo_surface_get_device_scale (target, &dsx, &dsy);
  cairo_matrix_t m;
  cairo_get_matrix (cr, &m);
  if (ox != 0 || oy != 0 || dsx != 1 || dsy != 1 || m.xy != 0 || m.yx != 0
      || m.xx <= 0 || m.yy <= 0 || fabs (m.xx - m.yy) > 1e-9 * m.xx)
    return NULL;

  int x0 = (int) floor (m.xx * x + m.x0), y0 = (int) floor (m.yy * y + m.y0);
  int x1 = (int) ceil (m.xx * (x + width) + m.x0), y1 = (int) ceil (m.yy * (y + height) + m.y0);
  int sw = cairo_image_surface_get_width (target), sh = cairo_image_surface_get_height (target);
  x0 = CLAMP (x0, 0, sw);
  y0 = CLAMP (y0, 0, sh);
  x1 = CLAMP (x1, 0, sw);
  y1 = CLAMP (y1, 0, sh);
  if (x1 <= x0 || y1 <= y0)
    return NULL;

  AlLineRaster *r = g_new0 (AlLineRaster, 1);
  r->mask = cairo_image_surface_create (CAIRO_FORMAT_A8, x1 - x0, y1 - y0);
  if (cairo_surface_status (r->mask) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (r->mask);
      g_free (r);
      return NULL;
    }
  cairo_surface_flush (r->mask);
  r->data = cairo_image_surface_get_data (r->mask);
  r->stride = cairo_image_surface_get_stride (r->mask);
  r->w = x1 - x0;
  r->h = y1 - y0;
  r->x0 = x0;
  r->y0 = y0;
  r->sx = m.xx;
  r->tx = m.x0;
  r->sy = m.yy;
  r->ty = m.y0;
  memset (r->data, 0, (gsize) r->stride * r->h);
  r->dirty[0] = r->w;
  r->dirty[1] = r->h;
  return r;
}

void
al_line_raster_free (AlLineRaster *r)
{
  if (r == NULL)
    return;
  cairo_surface_destroy (r->mask);
  g_free (r);
}

void
al_line_raster_begin (AlLineRaster *r, double line_width, const double *dashes, int n_dashes)
{
  r->radius = 0.5 * line_width * r->sx;
  r->n_dashes = CLAMP (n_dashes, 0, 4);
  for (int i = 0; i < r->n_dashes; i++)
    r->dashes[i] = dashes[i] * r->sx;
  r->dash_index = 0;
  r->dash_left = r->n_dashes > 0 ? r->dashes[0] : 0;
  r->dash_on = TRUE;
}

/* Coverage of the capsule around a-b (device pixels, mask coordinates). */
static void
capsule (AlLineRaster *r, double ax, double ay, double bx, double by)
{
  double reach = r->radius + 0.5;
  int px0 = MAX ((int) floor (MIN (ax, bx) - reach), 0);
  int py0 = MAX ((int) floor (MIN (ay, by) - reach), 0);
  int px1 = MIN ((int) ceil (MAX (ax, bx) + reach), r->w);
  int py1 = MIN ((int) ceil (MAX (ay, by) + reach), r->h);
  if (px0 >= px1 || py0 >= py1)
    return;
  r->dirty[0] = MIN (r->dirty[0], px0);
  r->dirty[1] = MIN (r->dirty[1], py0);
  r->dirty[2] = MAX (r->dirty[2], px1);
  r->dirty[3] = MAX (r->dirty[3], py1);
  double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
  double inv = len2 > 0 ? 1.0 / len2 : 0.0;
  double reach2 = reach * reach;
  /* Lines thinner than a pixel fade instead of thinning. */
  double peak = MIN (1.0, 2 * r->radius);
  for (int py = py0; py < py1; py++)
    {
      unsigned char *row = r->data + (gsize) py * r->stride;
      double cy = py + 0.5 - ay;
      for (int px = px0; px < px1; px++)
        {
          double cx = px + 0.5 - ax;
          double t = (cx * dx + cy * dy) * inv;
          t = t < 0 ? 0 : t > 1 ? 1 : t;
          double ex = cx - t * dx, ey = cy - t * dy, d2 = ex * ex + ey * ey;
          if (d2 >= reach2)
            continue;
          double c = reach - sqrt (d2);
          c = (c > peak ? peak : c) * 255.0 + 0.5;
          if (c > row[px])
            row[px] = (unsigned char) c;
        }
    }
}

static void
pieces (AlLineRaster *r, double ax, double ay, double bx, double by)
{
  double len = hypot (bx - ax, by - ay);
  int n = MAX (1, (int) ceil (len / PIECE));
  for (int i = 0; i < n; i++)
    capsule (r, ax + (bx - ax) * i / n, ay + (by - ay) * i / n,
             ax + (bx - ax) * (i + 1) / n, ay + (by - ay) * (i + 1) / n);
}

void
al_line_raster_segment (AlLineRaster *r, double x0, double y0, double x1, double y1, gboolean joined)
{
  double ax = r->sx * x0 + r->tx - r->x0, ay = r->sy * y0 + r->ty - r->y0;
  double bx = r->sx * x1 + r->tx - r->x0, by = r->sy * y1 + r->ty - r->y0;
  if (r->n_dashes == 0)
    {
      pieces (r, ax, ay, bx, by);
      return;
    }
  if (!joined)
    {
      r->dash_index = 0;
      r->dash_left = r->dashes[0];
      r->dash_on = TRUE;
    }
  double len = hypot (bx - ax, by - ay), done = 0;
  if (len == 0)
    return;
  while (done < len)
    {
      double step = MIN (r->dash_left, len - done);
      if (r->dash_on)
        {
          double t0 = done / len, t1 = (done + step) / len;
          pieces (r, ax + (bx - ax) * t0, ay + (by - ay) * t0, ax + (bx - ax) * t1, ay + (by - ay) * t1);
        }
      done += step;
      r->dash_left -= step;
      if (r->dash_left <= 1e-12)
        {
          r->dash_index = (r->dash_index + 1) % r->n_dashes;
          r->dash_left = r->dashes[r->dash_index];
          r->dash_on = !r->dash_on;
        }
    }
}

void
al_line_raster_finish (AlLineRaster *r, cairo_t *cr)
{
  if (r->dirty[2] <= r->dirty[0] || r->dirty[3] <= r->dirty[1])
    return;
  cairo_surface_mark_dirty (r->mask);
  cairo_save (cr);
  cairo_identity_matrix (cr);
  cairo_rectangle (cr, r->x0 + r->dirty[0], r->y0 + r->dirty[1],
                   r->dirty[2] - r->dirty[0], r->dirty[3] - r->dirty[1]);
  cairo_clip (cr);
  cairo_mask_surface (cr, r->mask, r->x0, r->y0);
  cairo_restore (cr);
  cairo_surface_flush (r->mask);
  for (int y = r->dirty[1]; y < r->dirty[3]; y++)
    memset (r->data + (gsize) y * r->stride + r->dirty[0], 0, r->dirty[2] - r->dirty[0]);
  r->dirty[0] = r->w;
  r->dirty[1] = r->h;
  r->dirty[2] = r->dirty[3] = 0;
}
