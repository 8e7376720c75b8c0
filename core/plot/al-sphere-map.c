/* al-sphere-map.c — values at scattered directions drawn as a map of the
 * whole sphere (equirectangular or Hammer–Aitoff), nearest neighbour on the
 * sphere, viridis colours, colour bar, graticule and optional markers.
 *
 * The map is seen from inside the sphere: front (azimuth 0) in the centre,
 * azimuth increasing to the left (+180 at the left edge), elevation up.
 * Which input point each raster pixel shows is computed once per raster
 * size and projection; later draws only look up colours.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-plot-private.h"
#include "al-base.h"

#include <math.h>
#include <string.h>

typedef struct {
  double azimuth, elevation;
  char *label;
} Marker;

struct AlSphereMap {
  char *title, *unit;
  int n;
  double *values;
  AlSphereIndex *index;   /* holds the directions */
  AlProjection projection;
  double fixed[2];
  GArray *markers;

  /* Nearest input point for each raster pixel (-1 outside the map). */
  int *nearest;
  int cache_w, cache_h;
  AlProjection cache_projection;

  /* Geometry of the last draw. */
  gboolean drawn;
  AlProjection drawn_projection;
  double rect[4];   /* map bounding box: x, y, width, height */
};

static void
marker_clear (gpointer data)
{
  g_free (((Marker *) data)->label);
}

AlSphereMap *
al_sphere_map_new (const char *title, const char *unit, const double *dirs, const double *values, int n)
{
  g_return_val_if_fail (n >= 0 && (n == 0 || (dirs != NULL && values != NULL)), NULL);
  AlSphereMap *map = g_new0 (AlSphereMap, 1);
  map->title = g_strdup (title);
  map->unit = g_strdup (unit);
  map->n = n;
  map->values = g_memdup2 (values, sizeof (double) * n);
  map->index = al_sphere_index_new (dirs, n);
  map->projection = AL_PROJECTION_EQUIRECTANGULAR;
  map->markers = g_array_new (FALSE, TRUE, sizeof (Marker));
  g_array_set_clear_func (map->markers, marker_clear);
  return map;
}

void
al_sphere_map_free (AlSphereMap *map)
{
  if (map == NULL)
    return;
  g_free (map->title);
  g_free (map->unit);
  g_free (map->values);
  al_sphere_index_free (map->index);
  g_array_unref (map->markers);
  g_free (map->nearest);
  g_free (map);
}

void
al_sphere_map_set_projection (AlSphereMap *map, AlProjection projection)
{
  g_return_if_fail (map != NULL);
  map->projection = projection;
}

void
al_sphere_map_set_range (AlSphereMap *map, double lo, double hi)
{
  g_return_if_fail (map != NULL);
  map->fixed[0] = lo;
  map->fixed[1] = hi;
}

void
al_sphere_map_add_markers (AlSphereMap *map, const double *dirs, int n, const char *const *labels)
{
  g_return_if_fail (map != NULL);
  g_return_if_fail (n >= 0 && (n == 0 || dirs != NULL));
  for (int i = 0; i < n; i++)
    {
      Marker m = { dirs[2 * i], dirs[2 * i + 1], labels != NULL ? g_strdup (labels[i]) : NULL };
      g_array_append_val (map->markers, m);
    }
}

double
al_sphere_map_value_at (const AlSphereMap *map, double azimuth, double elevation)
{
  g_return_val_if_fail (map != NULL, NAN);
  int i = al_sphere_index_nearest (map->index, azimuth, elevation, -1);
  return i >= 0 ? map->values[i] : NAN;
}

/* ---- Projections, in normalised coordinates: u in [-1, 1] from left to
 * right, v in [-1, 1] from bottom to top. ---- */

static void
project (AlProjection projection, double az, double el, double *u, double *v)
{
  az = remainder (az, 2 * G_PI);
  el = CLAMP (el, -G_PI_2, G_PI_2);
  if (projection == AL_PROJECTION_HAMMER)
    {
      double d = sqrt (1 + cos (el) * cos (az / 2));
      *u = -(cos (el) * sin (az / 2)) / d;     /* x / (2 sqrt 2) */
      *v = sin (el) / d;                        /* y / sqrt 2 */
    }
  else
    {
      *u = -az / G_PI;
      *v = el / G_PI_2;
    }
}

/* FALSE outside the map. */
static gboolean
unproject (AlProjection projection, double u, double v, double *az, double *el)
{
  if (projection == AL_PROJECTION_HAMMER)
    {
      if (u * u + v * v > 1.0)
        return FALSE;
      double x = -u * 2 * G_SQRT2, y = v * G_SQRT2;
      double z = sqrt (1 - x * x / 16 - y * y / 4);
      *az = 2 * atan2 (z * x, 2 * (2 * z * z - 1));
      *el = asin (CLAMP (z * y, -1.0, 1.0));
      return TRUE;
    }
  if (fabs (u) > 1.0 || fabs (v) > 1.0)
    return FALSE;
  *az = -u * G_PI;
  *el = v * G_PI_2;
  return TRUE;
}

gboolean
al_sphere_map_to_pixel (const AlSphereMap *map, double azimuth, double elevation, double *px, double *py)
{
  g_return_val_if_fail (map != NULL, FALSE);
  if (!map->drawn || !isfinite (azimuth) || !isfinite (elevation))
    return FALSE;
  double u, v;
  project (map->drawn_projection, azimuth, elevation, &u, &v);
  if (px != NULL)
    *px = map->rect[0] + 0.5 * (u + 1) * map->rect[2];
  if (py != NULL)
    *py = map->rect[1] + 0.5 * (1 - v) * map->rect[3];
  return TRUE;
}

gboolean
al_sphere_map_to_direction (const AlSphereMap *map, double px, double py, double *azimuth, double *elevation)
{
  g_return_val_if_fail (map != NULL, FALSE);
  if (!map->drawn)
    return FALSE;
  double u = 2 * (px - map->rect[0]) / map->rect[2] - 1;
  double v = 1 - 2 * (py - map->rect[1]) / map->rect[3];
  double az, el;
  if (!unproject (map->drawn_projection, u, v, &az, &el))
    return FALSE;
  if (azimuth != NULL)
    *azimuth = az;
  if (elevation != NULL)
    *elevation = el;
  return TRUE;
}

/* ---- Raster ---- */

static void
ensure_nearest (AlSphereMap *map, int w, int h)
{
  if (map->nearest != NULL && map->cache_w == w && map->cache_h == h
      && map->cache_projection == map->projection)
    return;
  g_free (map->nearest);
  map->nearest = g_new (int, (gsize) w * h);
  map->cache_w = w;
  map->cache_h = h;
  map->cache_projection = map->projection;
  gboolean hammer = map->projection == AL_PROJECTION_HAMMER;
  /* Hammer pixels just outside the ellipse take the boundary's value, so
   * the anti-aliased clip has colour to blend; further out stays empty. */
  double reach = 1 + 3 * MAX (2.0 / w, 2.0 / h);
  int row_hint = -1;
  for (int j = 0; j < h; j++)
    {
      double v = 1 - 2 * (j + 0.5) / h;
      int hint = row_hint;
      for (int i = 0; i < w; i++)
        {
          double u = 2 * (i + 0.5) / w - 1, az, el;
          int *out = map->nearest + (gsize) j * w + i;
          if (hammer)
            {
              double r = sqrt (u * u + v * v);
              if (r > reach)
                {
                  *out = -1;
                  continue;
                }
              if (r > 1.0)
                {
                  u /= r * (1 + 1e-12);
                  v /= r * (1 + 1e-12);
                }
            }
          unproject (map->projection, u, v, &az, &el);
          *out = hint = al_sphere_index_nearest (map->index, az, el, hint);
          if (row_hint < 0 || i == 0)
            row_hint = hint;
        }
    }
}

static void
value_range (const AlSphereMap *map, double *lo, double *hi)
{
  if (map->fixed[0] != map->fixed[1] && isfinite (map->fixed[0]) && isfinite (map->fixed[1]))
    {
      *lo = map->fixed[0];
      *hi = map->fixed[1];
      return;
    }
  double a = INFINITY, b = -INFINITY;
  for (int i = 0; i < map->n; i++)
    if (isfinite (map->values[i]))
      {
        a = MIN (a, map->values[i]);
        b = MAX (b, map->values[i]);
      }
  if (a > b)
    a = 0, b = 1;
  else if (a == b)
    a -= 0.5, b += 0.5;
  *lo = a;
  *hi = b;
}

static guint32
argb (AlRgb c)
{
  return 0xff000000u | (guint32) lround (c.r * 255) << 16 | (guint32) lround (c.g * 255) << 8
         | (guint32) lround (c.b * 255);
}

static cairo_surface_t *
render_raster (AlSphereMap *map, int w, int h, double lo, double hi, AlRgb missing)
{
  ensure_nearest (map, w, h);
  guint32 lut[256];
  for (int k = 0; k < 256; k++)
    lut[k] = argb (al_viridis_table[k]);
  guint32 none = argb (missing);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_surface_flush (surface);
  unsigned char *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  double scale = 255.0 / (hi - lo);
  for (int j = 0; j < h; j++)
    {
      guint32 *row = (guint32 *) (data + (gsize) j * stride);
      const int *nearest = map->nearest + (gsize) j * w;
      for (int i = 0; i < w; i++)
        {
          int p = nearest[i];
          if (p < 0)
            {
              row[i] = 0;
              continue;
            }
          double value = map->values[p];
          if (!isfinite (value))
            {
              row[i] = none;
              continue;
            }
          double t = (value - lo) * scale + 0.5;
          row[i] = lut[t <= 0 ? 0 : t >= 255 ? 255 : (int) t];
        }
    }
  cairo_surface_mark_dirty (surface);
  return surface;
}

/* ---- Drawing ---- */

typedef struct {
  AlSphereMap *map;
  cairo_t *cr;
  AlPlotTheme th;
  AlPlotText text;
  double pt, fs_tick, fs_label, fs_title, fs_marker;
  double tick_len, tick_gap, pad;
  double lo, hi;
  double mx, my, mw, mh;
} Draw;

static double
measure_width (Draw *d, const char *s, double size, PangoWeight weight)
{
  double w;
  al_plot_text_set (&d->text, s, size, weight, 0);
  al_plot_text_get_size (&d->text, &w, NULL);
  return w;
}

static double
measure_height (Draw *d, const char *s, double size, PangoWeight weight)
{
  double h;
  al_plot_text_set (&d->text, s, size, weight, 0);
  al_plot_text_get_size (&d->text, NULL, &h);
  return h;
}

static double
tick_height (const char *label, gpointer data)
{
  Draw *d = data;
  return measure_height (d, label, d->fs_tick, PANGO_WEIGHT_NORMAL);
}

static gboolean
has_text (const char *s)
{
  return s != NULL && s[0] != '\0';
}

static void
degree_label (int degrees, char *buf, gsize len)
{
  /* U+2212 minus and U+00B0 degree sign. */
  if (degrees < 0)
    g_snprintf (buf, len, "\xe2\x88\x92%d\xc2\xb0", -degrees);
  else
    g_snprintf (buf, len, "%d\xc2\xb0", degrees);
}

static void
map_point (const Draw *d, double az, double el, double *x, double *y)
{
  double u, v;
  project (d->map->projection, az, el, &u, &v);
  *x = d->mx + 0.5 * (u + 1) * d->mw;
  *y = d->my + 0.5 * (1 - v) * d->mh;
}

static void
ellipse_path (Draw *d)
{
  cairo_t *cr = d->cr;
  cairo_save (cr);
  cairo_translate (cr, d->mx + d->mw / 2, d->my + d->mh / 2);
  cairo_scale (cr, d->mw / 2, d->mh / 2);
  cairo_new_sub_path (cr);
  cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
  cairo_restore (cr);
}

static void
draw_raster (Draw *d)
{
  cairo_t *cr = d->cr;
  double dw = d->mw, dh = d->mh;
  cairo_user_to_device_distance (cr, &dw, &dh);
  dw = fabs (dw);
  dh = fabs (dh);
  gboolean vector = al_plot_is_vector (cr);
  if (vector)
    {
      /* About 300 dpi in the file: sharp when printed, a few hundred kB. */
      dw *= 300.0 / 72.0;
      dh *= 300.0 / 72.0;
    }
  int rw = CLAMP ((int) ceil (dw - 1e-6), 1, 2400);
  int rh = CLAMP ((int) ceil (dh - 1e-6), 1, 1200);
  cairo_surface_t *raster = render_raster (d->map, rw, rh, d->lo, d->hi, d->th.missing);

  cairo_save (cr);
  if (d->map->projection == AL_PROJECTION_HAMMER)
    ellipse_path (d);
  else
    cairo_rectangle (cr, d->mx, d->my, d->mw, d->mh);
  cairo_clip (cr);
  cairo_translate (cr, d->mx, d->my);
  cairo_scale (cr, d->mw / rw, d->mh / rh);
  cairo_set_source_surface (cr, raster, 0, 0);
  /* At one raster pixel per device pixel any filter is exact; scaled, a
   * smooth filter avoids moiré. */
  gboolean one_to_one = !vector && fabs (dw - rw) < 1e-3 && fabs (dh - rh) < 1e-3;
  cairo_pattern_set_filter (cairo_get_source (cr), one_to_one ? CAIRO_FILTER_NEAREST : CAIRO_FILTER_GOOD);
  cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (raster);
}

static int
azimuth_step (Draw *d)
{
  char buf[32];
  degree_label (-135, buf, sizeof buf);
  double w = measure_width (d, buf, d->fs_tick, PANGO_WEIGHT_NORMAL);
  return d->mw / 8 >= w + 1.0 * d->fs_tick ? 45 : 90;
}

static void
graticule (Draw *d, int az_step)
{
  cairo_t *cr = d->cr;
  gboolean hammer = d->map->projection == AL_PROJECTION_HAMMER;
  cairo_save (cr);
  if (hammer)
    ellipse_path (d);
  else
    cairo_rectangle (cr, d->mx, d->my, d->mw, d->mh);
  cairo_clip (cr);
  cairo_set_line_width (cr, 0.5 * d->pt);
  for (int az = -180 + az_step; az < 180; az += az_step)
    for (int k = 0; k <= 90; k++)
      {
        double x, y;
        map_point (d, AL_DEG2RAD (az), AL_DEG2RAD (-90 + 2 * k), &x, &y);
        if (k == 0)
          cairo_move_to (cr, x, y);
        else
          cairo_line_to (cr, x, y);
      }
  for (int el = -60; el <= 60; el += 30)
    for (int k = 0; k <= 180; k++)
      {
        double x, y;
        map_point (d, AL_DEG2RAD (180 - 2 * k), AL_DEG2RAD (el), &x, &y);
        if (k == 0)
          cairo_move_to (cr, x, y);
        else
          cairo_line_to (cr, x, y);
      }
  cairo_set_source_rgba (cr, 1, 1, 1, 0.33);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
draw_frame_equirect (Draw *d, int az_step)
{
  cairo_t *cr = d->cr;
  double lw = 0.8 * d->pt;
  cairo_set_line_width (cr, lw);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_SQUARE);
  double x0 = al_plot_snap_line (cr, d->mx, lw, TRUE), x1 = al_plot_snap_line (cr, d->mx + d->mw, lw, TRUE);
  double y0 = al_plot_snap_line (cr, d->my, lw, FALSE), y1 = al_plot_snap_line (cr, d->my + d->mh, lw, FALSE);
  al_plot_set_color (cr, d->th.frame, 1.0);
  cairo_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
  cairo_stroke (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  char buf[32];
  for (int az = 180; az >= -180; az -= az_step)
    {
      double x, y;
      map_point (d, AL_DEG2RAD (az), 0, &x, &y);
      /* +180 and -180 would both land at the left edge */
      x = az == -180 ? d->mx + d->mw : x;
      x = al_plot_snap_line (cr, x, lw, TRUE);
      cairo_move_to (cr, x, y1);
      cairo_line_to (cr, x, y1 + d->tick_len);
      cairo_stroke (cr);
      degree_label (az, buf, sizeof buf);
      al_plot_text_set (&d->text, buf, d->fs_tick, PANGO_WEIGHT_NORMAL, 0);
      al_plot_set_color (cr, d->th.text_muted, 1.0);
      al_plot_text_draw (&d->text, cr, x, y1 + d->tick_len + d->tick_gap, 0.5, 0.0, 0.0);
      al_plot_set_color (cr, d->th.frame, 1.0);
    }
  for (int el = -90; el <= 90; el += 30)
    {
      double x, y;
      map_point (d, 0, AL_DEG2RAD (el), &x, &y);
      y = al_plot_snap_line (cr, y, lw, FALSE);
      cairo_move_to (cr, x0, y);
      cairo_line_to (cr, x0 - d->tick_len, y);
      cairo_stroke (cr);
      degree_label (el, buf, sizeof buf);
      al_plot_text_set (&d->text, buf, d->fs_tick, PANGO_WEIGHT_NORMAL, 0);
      al_plot_set_color (cr, d->th.text_muted, 1.0);
      al_plot_text_draw (&d->text, cr, x0 - d->tick_len - d->tick_gap, y, 1.0, 0.5, 0.0);
      al_plot_set_color (cr, d->th.frame, 1.0);
    }
}

#define MARKER_RADIUS 3.2   /* points */

/* Whether the box (x, y, w, h) touches a marker's dot. */
static gboolean
hits_marker (Draw *d, double x, double y, double w, double h)
{
  double r = (MARKER_RADIUS + 1.0) * d->pt;
  for (guint i = 0; i < d->map->markers->len; i++)
    {
      Marker *m = &g_array_index (d->map->markers, Marker, i);
      double mx, my;
      if (!isfinite (m->azimuth) || !isfinite (m->elevation))
        continue;
      map_point (d, m->azimuth, m->elevation, &mx, &my);
      double cx = CLAMP (mx, x, x + w), cy = CLAMP (my, y, y + h);
      if (hypot (mx - cx, my - cy) < r)
        return TRUE;
    }
  return FALSE;
}

static void
draw_frame_hammer (Draw *d, int az_step)
{
  cairo_t *cr = d->cr;
  ellipse_path (d);
  cairo_set_line_width (cr, 0.8 * d->pt);
  al_plot_set_color (cr, d->th.frame, 1.0);
  cairo_stroke (cr);
  char buf[32];
  /* Parallels are labelled where they meet the rim, on the left. */
  al_plot_set_color (cr, d->th.text_muted, 1.0);
  for (int el = -60; el <= 60; el += 30)
    {
      if (el == 0)
        continue;
      double x, y;
      map_point (d, G_PI, AL_DEG2RAD (el), &x, &y);
      degree_label (el, buf, sizeof buf);
      al_plot_text_set (&d->text, buf, d->fs_tick, PANGO_WEIGHT_NORMAL, 0);
      al_plot_text_draw (&d->text, cr, x - d->tick_gap, y, 1.0, 0.5, 0.0);
    }
  /* Meridians are labelled on the image, just below the equator (or below
   * a marker sitting there); a label that would touch its neighbour is left
   * out. */
  AlRgb white = { 1, 1, 1 }, black = { 0, 0, 0 };
  double last_right = -INFINITY;
  for (int az = 180 - az_step; az > -180; az -= az_step)
    {
      double x, y, w, h;
      map_point (d, AL_DEG2RAD (az), 0, &x, &y);
      degree_label (az, buf, sizeof buf);
      al_plot_text_set (&d->text, buf, d->fs_tick, PANGO_WEIGHT_NORMAL, 0);
      al_plot_text_get_size (&d->text, &w, &h);
      if (x - w / 2 < last_right + 0.6 * d->fs_tick)
        continue;
      double top = y + 1.5 * d->pt;
      if (hits_marker (d, x - w / 2, top, w, h))
        top = y + (MARKER_RADIUS + 2.5) * d->pt;
      if (hits_marker (d, x - w / 2, top, w, h))
        continue;
      last_right = x + w / 2;
      al_plot_text_draw_halo (&d->text, cr, x, top, 0.5, 0.0, white, black, 1.4 * d->pt);
    }
}

static void
draw_markers (Draw *d)
{
  cairo_t *cr = d->cr;
  AlRgb white = { 1, 1, 1 }, black = { 0, 0, 0 };
  for (guint i = 0; i < d->map->markers->len; i++)
    {
      Marker *m = &g_array_index (d->map->markers, Marker, i);
      if (!isfinite (m->azimuth) || !isfinite (m->elevation))
        continue;
      double x, y;
      map_point (d, m->azimuth, m->elevation, &x, &y);
      cairo_new_sub_path (cr);
      cairo_arc (cr, x, y, MARKER_RADIUS * d->pt, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_fill_preserve (cr);
      cairo_set_line_width (cr, 1.0 * d->pt);
      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_stroke (cr);
      if (!has_text (m->label))
        continue;
      double w = measure_width (d, m->label, d->fs_marker, PANGO_WEIGHT_BOLD);
      double off = 4.5 * d->pt;
      gboolean left = x + off + w > d->mx + d->mw;
      al_plot_text_draw_halo (&d->text, cr, left ? x - off : x + off, y - 0.5 * off,
                              left ? 1.0 : 0.0, 1.0, white, black, 1.8 * d->pt);
    }
}

static void
draw_colorbar (Draw *d, double x, double y, double w, double h, GArray *ticks)
{
  cairo_t *cr = d->cr;
  cairo_pattern_t *gradient = cairo_pattern_create_linear (0, y + h, 0, y);
  for (int k = 0; k < 256; k += 5)
    {
      AlRgb c = al_viridis_table[k];
      cairo_pattern_add_color_stop_rgb (gradient, k / 255.0, c.r, c.g, c.b);
    }
  AlRgb c = al_viridis_table[255];
  cairo_pattern_add_color_stop_rgb (gradient, 1.0, c.r, c.g, c.b);
  cairo_rectangle (cr, x, y, w, h);
  cairo_set_source (cr, gradient);
  cairo_fill (cr);
  cairo_pattern_destroy (gradient);

  double lw = 0.8 * d->pt;
  cairo_set_line_width (cr, lw);
  al_plot_set_color (cr, d->th.frame, 1.0);
  double x0 = al_plot_snap_line (cr, x, lw, TRUE), x1 = al_plot_snap_line (cr, x + w, lw, TRUE);
  double y0 = al_plot_snap_line (cr, y, lw, FALSE), y1 = al_plot_snap_line (cr, y + h, lw, FALSE);
  cairo_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
  cairo_stroke (cr);
  for (guint i = 0; i < ticks->len; i++)
    {
      AlTick *t = &g_array_index (ticks, AlTick, i);
      double ty = al_plot_snap_line (cr, y + h * (d->hi - t->value) / (d->hi - d->lo), lw, FALSE);
      cairo_move_to (cr, x1, ty);
      cairo_line_to (cr, x1 + d->tick_len, ty);
      al_plot_set_color (cr, d->th.frame, 1.0);
      cairo_stroke (cr);
      al_plot_text_set (&d->text, t->label, d->fs_tick, PANGO_WEIGHT_NORMAL, 0);
      al_plot_set_color (cr, d->th.text_muted, 1.0);
      al_plot_text_draw (&d->text, cr, x1 + d->tick_len + d->tick_gap, ty, 0.0, 0.5, 0.0);
    }
}

void
al_sphere_map_draw (AlSphereMap *map, cairo_t *cr, double width, double height, const AlPlotStyle *style)
{
  g_return_if_fail (map != NULL && cr != NULL);
  Draw d = { .map = map, .cr = cr };
  al_plot_theme_init (&d.th, cr, style);
  d.pt = d.th.pt;
  d.fs_tick = al_plot_theme_font (&d.th, 9.0);
  d.fs_label = al_plot_theme_font (&d.th, 10.0);
  d.fs_title = al_plot_theme_font (&d.th, 11.0);
  d.fs_marker = al_plot_theme_font (&d.th, 8.5);
  d.tick_len = 3.5 * d.pt;
  d.tick_gap = 2.5 * d.pt;
  d.pad = 8 * d.pt;
  value_range (map, &d.lo, &d.hi);
  al_plot_text_init (&d.text, cr);
  gboolean hammer = map->projection == AL_PROJECTION_HAMMER;

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  al_plot_set_color (cr, d.th.background, 1.0);
  cairo_fill (cr);

  char buf[32];
  double tick_h = measure_height (&d, "0123456789", d.fs_tick, PANGO_WEIGHT_NORMAL);
  double title_h = has_text (map->title) ? measure_height (&d, map->title, d.fs_title, PANGO_WEIGHT_BOLD) : 0;
  double label_h = measure_height (&d, "Elevation", d.fs_label, PANGO_WEIGHT_NORMAL);
  double unit_h = has_text (map->unit) ? measure_height (&d, map->unit, d.fs_label, PANGO_WEIGHT_NORMAL) : 0;
  degree_label (-90, buf, sizeof buf);
  double el_label_w = measure_width (&d, buf, d.fs_tick, PANGO_WEIGHT_NORMAL);

  double top = d.pad + (title_h > 0 ? title_h + 6 * d.pt : 0.5 * tick_h);
  double bottom, left;
  if (hammer)
    {
      bottom = d.pad;
      left = d.pad;
    }
  else
    {
      bottom = d.pad + label_h + 3 * d.pt + tick_h + d.tick_gap + d.tick_len;
      left = d.pad + label_h + 5 * d.pt + el_label_w + d.tick_gap + d.tick_len;
    }
  double bar_gap = 12 * d.pt, bar_w = 10 * d.pt;
  double right_fixed = bar_gap + bar_w + d.tick_len + d.tick_gap + (unit_h > 0 ? 6 * d.pt + unit_h : 0) + d.pad;
  double avail_h = MAX (height - top - bottom, 1.0);

  /* The colour-bar labels' width depends on its ticks, which depend on the
   * map height; on a Hammer map the rim labels at +-30 degrees need room
   * that depends on the map width.  A few passes settle both. */
  GArray *ticks = NULL;
  double label_w = measure_width (&d, "0.00", d.fs_tick, PANGO_WEIGHT_NORMAL);
  for (int pass = 0; pass < 3; pass++)
    {
      double avail_w = MAX (width - left - right_fixed - label_w, 1.0);
      d.mw = MIN (avail_w, 2 * avail_h);
      d.mh = d.mw / 2;
      if (ticks != NULL)
        g_array_unref (ticks);
      ticks = al_axis_ticks (d.lo, d.hi, FALSE, d.mh, 2.8 * d.fs_tick, 0.4 * d.fs_tick, tick_height, &d);
      double w = 0;
      for (guint i = 0; i < ticks->len; i++)
        w = MAX (w, measure_width (&d, g_array_index (ticks, AlTick, i).label, d.fs_tick, PANGO_WEIGHT_NORMAL));
      gboolean settled = w <= label_w;
      label_w = MAX (w, label_w);
      if (hammer)
        {
          /* the rim at 30 degrees elevation is (1 - cos 30) / 2 of the width in */
          double inset = 0.5 * (1 - cos (G_PI / 6)) * d.mw;
          double need = d.pad + MAX (0.0, el_label_w + d.tick_gap - inset);
          settled = settled && need <= left;
          left = MAX (left, need);
        }
      if (settled)
        break;
    }
  double group_w = left + d.mw + right_fixed + label_w;
  double shift_x = MAX (0.0, (width - group_w) / 2);
  double shift_y = MAX (0.0, (avail_h - d.mh) / 2);
  d.mx = al_plot_snap_edge (cr, shift_x + left, TRUE);
  d.my = al_plot_snap_edge (cr, top + shift_y, FALSE);
  d.mw = al_plot_snap_edge (cr, d.mx + d.mw, TRUE) - d.mx;
  d.mh = al_plot_snap_edge (cr, d.my + d.mh, FALSE) - d.my;

  map->drawn = TRUE;
  map->drawn_projection = map->projection;
  map->rect[0] = d.mx;
  map->rect[1] = d.my;
  map->rect[2] = d.mw;
  map->rect[3] = d.mh;

  draw_raster (&d);
  int az_step = azimuth_step (&d);
  graticule (&d, az_step);
  if (hammer)
    draw_frame_hammer (&d, az_step);
  else
    draw_frame_equirect (&d, az_step);
  draw_markers (&d);

  double bar_x = d.mx + d.mw + bar_gap;
  draw_colorbar (&d, bar_x, d.my, bar_w, d.mh, ticks);
  if (unit_h > 0)
    {
      al_plot_text_set (&d.text, map->unit, d.fs_label, PANGO_WEIGHT_NORMAL, 0);
      al_plot_set_color (cr, d.th.text, 1.0);
      al_plot_text_draw (&d.text, cr, bar_x + bar_w + d.tick_len + d.tick_gap + label_w + 6 * d.pt,
                         d.my + d.mh / 2, 0.5, 0.0, -G_PI_2);
    }

  al_plot_set_color (cr, d.th.text, 1.0);
  if (title_h > 0)
    {
      double tw;
      al_plot_text_set (&d.text, map->title, d.fs_title, PANGO_WEIGHT_BOLD, width - 2 * d.pad);
      al_plot_text_get_size (&d.text, &tw, NULL);
      double cx = CLAMP (d.mx + d.mw / 2, d.pad + tw / 2, MAX (width - d.pad - tw / 2, d.pad + tw / 2));
      al_plot_text_draw (&d.text, cr, cx, d.my - 6 * d.pt, 0.5, 1.0, 0.0);
    }
  if (!hammer)
    {
      al_plot_text_set (&d.text, "Azimuth", d.fs_label, PANGO_WEIGHT_NORMAL, 0);
      al_plot_text_draw (&d.text, cr, d.mx + d.mw / 2,
                         d.my + d.mh + d.tick_len + d.tick_gap + tick_h + 3 * d.pt, 0.5, 0.0, 0.0);
      al_plot_text_set (&d.text, "Elevation", d.fs_label, PANGO_WEIGHT_NORMAL, 0);
      al_plot_text_draw (&d.text, cr, d.mx - d.tick_len - d.tick_gap - el_label_w - 5 * d.pt,
                         d.my + d.mh / 2, 0.5, 1.0, -G_PI_2);
    }

  cairo_restore (cr);
  g_array_unref (ticks);
  al_plot_text_clear (&d.text);
}
