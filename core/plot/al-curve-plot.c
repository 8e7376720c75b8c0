/* al-curve-plot.c — the curve plot: series y(x) over a linear or
 * logarithmic x axis, with grid, ticks, axis labels, title and legend.
 *
 * Sizes are in points (converted with the theme's units per point), so a
 * figure exported at 480 x 320 pt has 9 pt tick labels on paper and the
 * same plot on screen has them at 12 px.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-plot-private.h"

#include <math.h>
#include <string.h>

typedef struct {
  char *label;
  double *x, *y;
  int n;
  gboolean visible;
} Series;

struct AlCurvePlot {
  char *title, *xlabel, *ylabel;
  gboolean log_x;
  double fixed_x[2], fixed_y[2];
  GPtrArray *series;

  /* The mapping of the last draw. */
  gboolean drawn;
  gboolean map_log;
  double area[4];   /* x, y, width, height */
  double view_x[2], view_y[2];
  double legend[4]; /* x, y, width, height; width 0 when there was none */
};

/* Legends with more entries than this go outside, right of the axes. */
#define LEGEND_INSIDE_MAX 6
/* Space above the first and below the last legend row, in points. */
#define LEGEND_VPAD 4.0

static void
series_free (gpointer data)
{
  Series *s = data;
  g_free (s->label);
  g_free (s->x);
  g_free (s->y);
  g_free (s);
}

AlCurvePlot *
al_curve_plot_new (const char *title, const char *xlabel, const char *ylabel)
{
  AlCurvePlot *plot = g_new0 (AlCurvePlot, 1);
  plot->title = g_strdup (title);
  plot->xlabel = g_strdup (xlabel);
  plot->ylabel = g_strdup (ylabel);
  plot->log_x = TRUE;
  plot->series = g_ptr_array_new_with_free_func (series_free);
  return plot;
}

void
al_curve_plot_free (AlCurvePlot *plot)
{
  if (plot == NULL)
    return;
  g_free (plot->title);
  g_free (plot->xlabel);
  g_free (plot->ylabel);
  g_ptr_array_unref (plot->series);
  g_free (plot);
}

void
al_curve_plot_set_log_x (AlCurvePlot *plot, gboolean log_x)
{
  g_return_if_fail (plot != NULL);
  plot->log_x = log_x;
}

void
al_curve_plot_set_x_range (AlCurvePlot *plot, double lo, double hi)
{
  g_return_if_fail (plot != NULL);
  plot->fixed_x[0] = lo;
  plot->fixed_x[1] = hi;
}

void
al_curve_plot_set_y_range (AlCurvePlot *plot, double lo, double hi)
{
  g_return_if_fail (plot != NULL);
  plot->fixed_y[0] = lo;
  plot->fixed_y[1] = hi;
}

int
al_curve_plot_add (AlCurvePlot *plot, const char *label, const double *x, const double *y, int n)
{
  g_return_val_if_fail (plot != NULL, -1);
  g_return_val_if_fail (n >= 0 && (n == 0 || (x != NULL && y != NULL)), -1);
  Series *s = g_new0 (Series, 1);
  s->label = g_strdup (label);
  s->n = n;
  s->x = g_memdup2 (x, sizeof (double) * n);
  s->y = g_memdup2 (y, sizeof (double) * n);
  s->visible = TRUE;
  g_ptr_array_add (plot->series, s);
  return (int) plot->series->len - 1;
}

void
al_curve_plot_set_visible (AlCurvePlot *plot, int series, gboolean visible)
{
  g_return_if_fail (plot != NULL);
  g_return_if_fail (series >= 0 && (guint) series < plot->series->len);
  ((Series *) g_ptr_array_index (plot->series, series))->visible = visible;
}

int
al_curve_plot_n_series (const AlCurvePlot *plot)
{
  g_return_val_if_fail (plot != NULL, 0);
  return (int) plot->series->len;
}

/* ---- Mapping ---- */

static double
axis_t (gboolean log, double v)
{
  return log ? log10 (v) : v;
}

gboolean
al_curve_plot_to_pixel (const AlCurvePlot *plot, double x, double y, double *px, double *py)
{
  g_return_val_if_fail (plot != NULL, FALSE);
  if (!plot->drawn || (plot->map_log && !(x > 0)))
    return FALSE;
  double t0 = axis_t (plot->map_log, plot->view_x[0]), t1 = axis_t (plot->map_log, plot->view_x[1]);
  if (px != NULL)
    *px = plot->area[0] + plot->area[2] * (axis_t (plot->map_log, x) - t0) / (t1 - t0);
  if (py != NULL)
    *py = plot->area[1] + plot->area[3] * (plot->view_y[1] - y) / (plot->view_y[1] - plot->view_y[0]);
  return TRUE;
}

gboolean
al_curve_plot_to_data (const AlCurvePlot *plot, double px, double py, double *x, double *y)
{
  g_return_val_if_fail (plot != NULL, FALSE);
  if (!plot->drawn)
    return FALSE;
  double t0 = axis_t (plot->map_log, plot->view_x[0]), t1 = axis_t (plot->map_log, plot->view_x[1]);
  double t = t0 + (px - plot->area[0]) / plot->area[2] * (t1 - t0);
  if (x != NULL)
    *x = plot->map_log ? pow (10.0, t) : t;
  if (y != NULL)
    *y = plot->view_y[1] - (py - plot->area[1]) / plot->area[3] * (plot->view_y[1] - plot->view_y[0]);
  return TRUE;
}

gboolean
al_curve_plot_get_area (const AlCurvePlot *plot, double *x, double *y, double *width, double *height)
{
  g_return_val_if_fail (plot != NULL, FALSE);
  if (!plot->drawn)
    return FALSE;
  if (x != NULL)
    *x = plot->area[0];
  if (y != NULL)
    *y = plot->area[1];
  if (width != NULL)
    *width = plot->area[2];
  if (height != NULL)
    *height = plot->area[3];
  return TRUE;
}

gboolean
al_curve_plot_get_legend (const AlCurvePlot *plot, double rect[4])
{
  if (!plot->drawn || plot->legend[2] <= 0)
    return FALSE;
  memcpy (rect, plot->legend, sizeof plot->legend);
  return TRUE;
}

/* ---- Ranges ---- */

static gboolean
point_ok (gboolean log, double x, double y)
{
  return isfinite (x) && isfinite (y) && (!log || x > 0);
}

static gboolean
fixed_ok (const double r[2], gboolean log)
{
  return r[0] != r[1] && isfinite (r[1] - r[0]) && (!log || (r[0] > 0 && r[1] > 0));
}

/* Hidden series do not steer the automatic ranges, unless all are hidden. */
static gboolean
use_series (const AlCurvePlot *plot, const Series *s)
{
  if (s->visible)
    return TRUE;
  for (guint i = 0; i < plot->series->len; i++)
    if (((Series *) g_ptr_array_index (plot->series, i))->visible)
      return FALSE;
  return TRUE;
}

static void
resolve_ranges (const AlCurvePlot *plot, gboolean log, double xr[2], double yr[2])
{
  if (fixed_ok (plot->fixed_x, log))
    {
      xr[0] = plot->fixed_x[0];
      xr[1] = plot->fixed_x[1];
    }
  else
    {
      /* Tight in x: curves are sampled over the whole band they describe. */
      double lo = INFINITY, hi = -INFINITY;
      for (guint i = 0; i < plot->series->len; i++)
        {
          const Series *s = g_ptr_array_index (plot->series, i);
          if (!use_series (plot, s))
            continue;
          for (int k = 0; k < s->n; k++)
            if (point_ok (log, s->x[k], s->y[k]))
              {
                lo = MIN (lo, s->x[k]);
                hi = MAX (hi, s->x[k]);
              }
        }
      if (lo > hi)
        {
          lo = log ? 20.0 : 0.0;
          hi = log ? 20000.0 : 1.0;
        }
      else if (lo == hi)
        {
          lo = log ? lo / 2 : lo - 0.5;
          hi = log ? hi * 2 : hi + 0.5;
        }
      xr[0] = CLAMP (lo, -1e300, 1e300);
      xr[1] = CLAMP (hi, -1e300, 1e300);
      if (xr[0] == xr[1])
        xr[1] = log ? xr[0] * 10 : xr[0] + 1;
    }

  if (fixed_ok (plot->fixed_y, FALSE))
    {
      yr[0] = plot->fixed_y[0];
      yr[1] = plot->fixed_y[1];
      return;
    }
  double xmin = MIN (xr[0], xr[1]), xmax = MAX (xr[0], xr[1]);
  double lo = INFINITY, hi = -INFINITY;
  for (guint i = 0; i < plot->series->len; i++)
    {
      const Series *s = g_ptr_array_index (plot->series, i);
      if (!use_series (plot, s))
        continue;
      for (int k = 0; k < s->n; k++)
        if (point_ok (log, s->x[k], s->y[k]) && s->x[k] >= xmin && s->x[k] <= xmax)
          {
            lo = MIN (lo, s->y[k]);
            hi = MAX (hi, s->y[k]);
          }
    }
  if (lo > hi)
    {
      lo = 0.0;
      hi = 1.0;
    }
  else if (lo == hi)
    {
      double d = lo != 0 ? fabs (lo) * 0.1 : 1.0;
      lo -= d;
      hi += d;
    }
  else
    {
      double m = 0.05 * (hi - lo);
      lo -= m;
      hi += m;
    }
  /* Beyond this the span itself overflows. */
  yr[0] = CLAMP (lo, -1e300, 1e300);
  yr[1] = CLAMP (hi, -1e300, 1e300);
  if (yr[0] == yr[1])
    yr[1] = yr[0] + 1;
}

/* ---- Drawing ---- */

typedef struct {
  AlCurvePlot *plot;
  cairo_t *cr;
  const AlPlotStyle *style;
  AlPlotTheme th;
  AlPlotText text;
  double pt;
  double fs_tick, fs_label, fs_title, fs_legend;
  double tick_len, tick_gap, pad, line_width;
  gboolean log;
  double xr[2], yr[2];
  double ax, ay, aw, ah;
  GArray *xticks, *yticks;
  double column;     /* decimation column width in user units */
  double **ux, **uy; /* per series: mapped points, NaN at breaks */
  int *un;
} Draw;

typedef struct {
  gboolean outside;
  int cols, rows;
  double pad, vpad;     /* inside the frame, horizontal and vertical */
  double gap, col_gap;  /* sample to label, column to column */
  double col_w, row_h, label_w, sample_w, w, h;
  double x, y;
} Legend;

static double
measure_width (const char *label, gpointer data)
{
  Draw *d = data;
  double w;
  al_plot_text_set (&d->text, label, d->fs_tick, PANGO_WEIGHT_NORMAL, 0);
  al_plot_text_get_size (&d->text, &w, NULL);
  return w;
}

static double
measure_height (const char *label, gpointer data)
{
  Draw *d = data;
  double h;
  al_plot_text_set (&d->text, label, d->fs_tick, PANGO_WEIGHT_NORMAL, 0);
  al_plot_text_get_size (&d->text, NULL, &h);
  return h;
}

static double
text_height (Draw *d, const char *str, double size, PangoWeight weight)
{
  double h;
  al_plot_text_set (&d->text, str, size, weight, 0);
  al_plot_text_get_size (&d->text, NULL, &h);
  return h;
}

static gboolean
has_text (const char *s)
{
  return s != NULL && s[0] != '\0';
}

static double
map_x (const Draw *d, double x)
{
  double t0 = axis_t (d->log, d->xr[0]), t1 = axis_t (d->log, d->xr[1]);
  return d->ax + d->aw * (axis_t (d->log, x) - t0) / (t1 - t0);
}

static double
map_y (const Draw *d, double y)
{
  return d->ay + d->ah * (d->yr[1] - y) / (d->yr[1] - d->yr[0]);
}

static int
n_labelled (const AlCurvePlot *plot)
{
  int n = 0;
  for (guint i = 0; i < plot->series->len; i++)
    n += has_text (((Series *) g_ptr_array_index (plot->series, i))->label);
  return n;
}

/* Size of the legend; for an outside legend, within max_w x max_h. */
static void
legend_measure (Draw *d, Legend *lg, double max_w, double max_h)
{
  const AlCurvePlot *plot = d->plot;
  int n = n_labelled (plot);
  lg->outside = n > LEGEND_INSIDE_MAX;
  /* Long legends use a smaller font so more rows fit beside the axes. */
  d->fs_legend = al_plot_theme_font (&d->th, n > 12 ? 8.0 : 9.0);
  double label_w = 0, h = 0;
  for (guint i = 0; i < plot->series->len; i++)
    {
      const Series *s = g_ptr_array_index (plot->series, i);
      if (!has_text (s->label))
        continue;
      double w;
      al_plot_text_set (&d->text, s->label, d->fs_legend, PANGO_WEIGHT_NORMAL, 0);
      al_plot_text_get_size (&d->text, &w, &h);
      label_w = MAX (label_w, w);
    }
  lg->row_h = h + (n > 12 ? 1.5 : 2.2) * d->pt;
  /* longer samples when dash patterns tell series apart */
  lg->sample_w = (plot->series->len > 8 ? 24 : 20) * d->pt;
  lg->pad = 6 * d->pt;
  lg->vpad = LEGEND_VPAD * d->pt;
  lg->gap = 6 * d->pt;
  lg->col_gap = 12 * d->pt;
  lg->rows = n;
  lg->cols = 1;
  if (lg->outside && max_h > 0)
    {
      int fit = MAX (1, (int) floor ((max_h - 2 * lg->vpad) / lg->row_h));
      lg->cols = (n + fit - 1) / fit;
      lg->rows = (n + lg->cols - 1) / lg->cols;
    }
  /* Long labels are ellipsized rather than squeezing the axes away. */
  if (max_w > 0)
    {
      double room = (max_w - 2 * lg->pad - (lg->cols - 1) * lg->col_gap) / lg->cols - lg->sample_w - lg->gap;
      label_w = MIN (label_w, MAX (room, 3 * d->fs_legend));
    }
  lg->label_w = label_w;
  lg->col_w = lg->sample_w + lg->gap + label_w;
  lg->w = 2 * lg->pad + lg->cols * lg->col_w + (lg->cols - 1) * lg->col_gap;
  lg->h = 2 * lg->vpad + lg->rows * lg->row_h;
}

/* Clips segment a-b to rectangle r (x0, y0, x1, y1), Liang–Barsky; FALSE
 * when nothing of it is inside. */
static gboolean
clip_segment (double *ax, double *ay, double *bx, double *by, const double r[4])
{
  double dx = *bx - *ax, dy = *by - *ay;
  double t0 = 0, t1 = 1;
  double p[4] = { -dx, dx, -dy, dy };
  double q[4] = { *ax - r[0], r[2] - *ax, *ay - r[1], r[3] - *ay };
  for (int i = 0; i < 4; i++)
    {
      if (p[i] == 0)
        {
          if (q[i] < 0)
            return FALSE;
          continue;
        }
      double t = q[i] / p[i];
      if (p[i] < 0)
        t0 = MAX (t0, t);
      else
        t1 = MIN (t1, t);
      if (t0 > t1)
        return FALSE;
    }
  double x0 = *ax + t0 * dx, y0 = *ay + t0 * dy;
  *bx = *ax + t1 * dx;
  *by = *ay + t1 * dy;
  *ax = x0;
  *ay = y0;
  return TRUE;
}

/* Maps a series to user coordinates, NaN where the line breaks.  Runs of
 * points within one column (a device pixel, or a fraction of a point in
 * vector files) are reduced to their first, lowest, highest and last point
 * (M4, Jugel et al. 2014): the stroke covers the same pixels, dense spectra
 * draw faster and vector files stay small.  Returns the number of points. */
static int
map_series (const Draw *d, const Series *s, double *ux, double *uy)
{
  int out = 0, run = 0;
  double col = 0;
  int first = 0, lo = 0, hi = 0, last = 0;   /* indices into ux/uy of the pending column */
  for (int k = 0; k <= s->n; k++)
    {
      double x = NAN, y = NAN;
      if (k < s->n && point_ok (d->log, s->x[k], s->y[k]))
        {
          x = map_x (d, s->x[k]);
          y = map_y (d, s->y[k]);
        }
      gboolean ok = isfinite (x) && isfinite (y);
      double c = ok && d->column > 0 ? floor (x / d->column) : 0;
      if (run > 0 && (!ok || d->column <= 0 || c != col))
        {
          /* flush the pending column in path order */
          int idx[4] = { first, lo, hi, last };
          for (int a = 1; a < 4; a++)
            for (int b = a; b > 0 && idx[b] < idx[b - 1]; b--)
              {
                int t = idx[b];
                idx[b] = idx[b - 1];
                idx[b - 1] = t;
              }
          for (int a = 0; a < 4; a++)
            if (a == 0 || idx[a] != idx[a - 1])
              {
                ux[out] = ux[idx[a]];
                uy[out] = uy[idx[a]];
                out++;
              }
          run = 0;
        }
      if (k == s->n)
        break;
      if (!ok)
        {
          if (out > 0 && !isnan (ux[out - 1]))
            {
              ux[out] = uy[out] = NAN;
              out++;
            }
          continue;
        }
      /* Points are staged after the output: the write position never passes k. */
      int at = out + run;
      ux[at] = x;
      uy[at] = y;
      if (run == 0)
        {
          col = c;
          first = lo = hi = last = at;
        }
      else
        {
          last = at;
          if (y < uy[lo])
            lo = at;
          if (y > uy[hi])
            hi = at;
        }
      run++;
    }
  return out;
}

/* Walks the drawable segments of mapped points, clipped to rect. */
typedef void (*SegmentFunc) (double x0, double y0, double x1, double y1, gboolean joined, gpointer data);

static void
for_each_segment (const double *ux, const double *uy, int n, const double rect[4], SegmentFunc func, gpointer data)
{
  gboolean joined = FALSE;
  for (int k = 1; k < n; k++)
    {
      if (isnan (ux[k]) || isnan (ux[k - 1]))
        {
          joined = FALSE;
          continue;
        }
      double ax = ux[k - 1], ay = uy[k - 1], bx = ux[k], by = uy[k];
      if (clip_segment (&ax, &ay, &bx, &by, rect))
        {
          gboolean start_moved = ax != ux[k - 1] || ay != uy[k - 1];
          func (ax, ay, bx, by, joined && !start_moved, data);
          joined = bx == ux[k] && by == uy[k];
        }
      else
        joined = FALSE;
    }
}

/* Long paths are stroked in pieces: Cairo's stroker slows down more than
 * linearly with the number of segments in one path.  Each piece starts
 * where the last ended, with the dash offset carried on. */
#define STROKE_PIECE 256

typedef struct {
  cairo_t *cr;
  const double *dashes;
  int n_dashes;
  int segments;
  double length;   /* since the start of the sub-path, for the dash offset */
} Stroke;

static void
path_segment (double x0, double y0, double x1, double y1, gboolean joined, gpointer data)
{
  Stroke *st = data;
  if (!joined)
    {
      cairo_move_to (st->cr, x0, y0);
      st->length = 0;
      if (st->n_dashes > 0)
        cairo_set_dash (st->cr, st->dashes, st->n_dashes, 0);
    }
  cairo_line_to (st->cr, x1, y1);
  st->length += hypot (x1 - x0, y1 - y0);
  if (++st->segments >= STROKE_PIECE)
    {
      cairo_stroke (st->cr);
      st->segments = 0;
      if (st->n_dashes > 0)
        cairo_set_dash (st->cr, st->dashes, st->n_dashes, st->length);
      cairo_move_to (st->cr, x1, y1);
    }
}

static void
raster_segment (double x0, double y0, double x1, double y1, gboolean joined, gpointer data)
{
  al_line_raster_segment (data, x0, y0, x1, y1, joined);
}

/* Candidate places for an inside legend: four corners, then the middles of
 * the sides and the centre. */
#define N_SPOTS 9

typedef struct {
  double rect[N_SPOTS][4];
  double length[N_SPOTS];
} Crowding;

static void
crowding_segment (double x0, double y0, double x1, double y1, gboolean joined, gpointer data)
{
  Crowding *c = data;
  for (int i = 0; i < N_SPOTS; i++)
    {
      double ax = x0, ay = y0, bx = x1, by = y1;
      if (clip_segment (&ax, &ay, &bx, &by, c->rect[i]))
        c->length[i] += hypot (bx - ax, by - ay);
    }
}

static gboolean
is_visible_series (const Series *s)
{
  return s->visible && s->n > 1;
}

/* Inside legend: the corner whose box covers the least curve length, in
 * the order upper right, upper left, lower left, lower right on ties.  When
 * every corner is crossed, the middle of a side or the centre may do much
 * better (as matplotlib's "best"). */
static void
legend_place_inside (Draw *d, Legend *lg)
{
  static const double fx[N_SPOTS] = { 1, 0, 0, 1, 1, 0, 0.5, 0.5, 0.5 };
  static const double fy[N_SPOTS] = { 0, 0, 1, 1, 0.5, 0.5, 1, 0, 0.5 };
  double m = 6 * d->pt;
  double xs[N_SPOTS], ys[N_SPOTS];
  Crowding c = { 0 };
  for (int i = 0; i < N_SPOTS; i++)
    {
      xs[i] = d->ax + m + fx[i] * (d->aw - 2 * m - lg->w);
      ys[i] = d->ay + m + fy[i] * (d->ah - 2 * m - lg->h);
      c.rect[i][0] = xs[i] - m / 2;
      c.rect[i][1] = ys[i] - m / 2;
      c.rect[i][2] = xs[i] + lg->w + m / 2;
      c.rect[i][3] = ys[i] + lg->h + m / 2;
    }
  double area[4] = { d->ax, d->ay, d->ax + d->aw, d->ay + d->ah };
  for (guint i = 0; i < d->plot->series->len; i++)
    if (d->ux[i] != NULL)
      for_each_segment (d->ux[i], d->uy[i], d->un[i], area, crowding_segment, &c);
  int best = 0;
  for (int i = 1; i < 4; i++)
    if (c.length[i] < c.length[best] - 0.5 * d->pt)
      best = i;
  for (int i = 4; i < N_SPOTS; i++)
    if (c.length[i] < 0.25 * c.length[best] - 0.5 * d->pt)
      best = i;
  lg->x = xs[best];
  lg->y = ys[best];
}

/* dashes: out, 4 entries; returns their number. */
static int
set_series_line (Draw *d, int index, const Series *s, double line_width, double dashes[4])
{
  cairo_t *cr = d->cr;
  int nd = al_palette_dash (index, dashes);
  for (int i = 0; i < nd; i++)
    dashes[i] *= line_width;
  cairo_set_dash (cr, dashes, nd, 0);
  cairo_set_line_width (cr, line_width);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  if (s->visible)
    al_plot_set_color (cr, al_palette_color_for_style (index, d->style), 1.0);
  else
    al_plot_set_color (cr, d->th.hidden, 1.0);
  return nd;
}

static void
legend_draw (Draw *d, Legend *lg)
{
  cairo_t *cr = d->cr;
  if (!lg->outside)
    {
      double r = 2.5 * d->pt, x = lg->x, y = lg->y, w = lg->w, h = lg->h;
      cairo_new_sub_path (cr);
      cairo_arc (cr, x + w - r, y + r, r, -G_PI_2, 0);
      cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI_2);
      cairo_arc (cr, x + r, y + h - r, r, G_PI_2, G_PI);
      cairo_arc (cr, x + r, y + r, r, G_PI, 1.5 * G_PI);
      cairo_close_path (cr);
      al_plot_set_color (cr, d->th.legend_fill, 0.88);
      cairo_fill_preserve (cr);
      cairo_set_line_width (cr, 0.6 * d->pt);
      al_plot_set_color (cr, d->th.legend_edge, 1.0);
      cairo_stroke (cr);
    }
  int slot = 0;
  for (guint i = 0; i < d->plot->series->len; i++)
    {
      const Series *s = g_ptr_array_index (d->plot->series, i);
      if (!has_text (s->label))
        continue;
      int col = slot / lg->rows, row = slot % lg->rows;
      slot++;
      double x = lg->x + lg->pad + col * (lg->col_w + lg->col_gap);
      double y = lg->y + lg->vpad + (row + 0.5) * lg->row_h;
      double dashes[4];
      set_series_line (d, (int) i, s, d->line_width, dashes);
      cairo_move_to (cr, x, y);
      cairo_line_to (cr, x + lg->sample_w, y);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      al_plot_set_color (cr, s->visible ? d->th.text : d->th.hidden, 1.0);
      al_plot_text_set (&d->text, s->label, d->fs_legend, PANGO_WEIGHT_NORMAL, lg->label_w + 1e-3);
      al_plot_text_draw (&d->text, cr, x + lg->sample_w + lg->gap, y, 0.0, 0.5, 0.0);
    }
}

static void
draw_grid (Draw *d)
{
  cairo_t *cr = d->cr;
  double major_w = 0.6 * d->pt, minor_w = 0.5 * d->pt;
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  for (int pass = 0; pass < 2; pass++)
    {
      gboolean major = pass == 1;
      double lw = major ? major_w : minor_w;
      cairo_set_line_width (cr, lw);
      for (guint i = 0; i < d->xticks->len; i++)
        {
          AlTick *t = &g_array_index (d->xticks, AlTick, i);
          if (t->major != major)
            continue;
          double x = al_plot_snap_line (cr, map_x (d, t->value), lw, TRUE);
          cairo_move_to (cr, x, d->ay);
          cairo_line_to (cr, x, d->ay + d->ah);
        }
      if (major)
        for (guint i = 0; i < d->yticks->len; i++)
          {
            double y = al_plot_snap_line (cr, map_y (d, g_array_index (d->yticks, AlTick, i).value), lw, FALSE);
            cairo_move_to (cr, d->ax, y);
            cairo_line_to (cr, d->ax + d->aw, y);
          }
      al_plot_set_color (cr, major ? d->th.grid : d->th.grid_minor, 1.0);
      cairo_stroke (cr);
    }
}

static void
draw_series (Draw *d)
{
  cairo_t *cr = d->cr;
  cairo_save (cr);
  cairo_rectangle (cr, d->ax, d->ay, d->aw, d->ah);
  cairo_clip (cr);
  /* Segments are cut to a box around the area: Cairo's fixed-point
   * coordinates overflow for points far outside. */
  double rect[4] = { d->ax - d->aw, d->ay - d->ah, d->ax + 2 * d->aw, d->ay + 2 * d->ah };
  AlLineRaster *raster = al_line_raster_new (cr, d->ax, d->ay, d->aw, d->ah);
  for (guint i = 0; i < d->plot->series->len; i++)
    {
      if (d->ux[i] == NULL)
        continue;
      double dashes[4];
      int nd = set_series_line (d, (int) i, g_ptr_array_index (d->plot->series, i), d->line_width, dashes);
      if (raster != NULL)
        {
          al_line_raster_begin (raster, d->line_width, dashes, nd);
          for_each_segment (d->ux[i], d->uy[i], d->un[i], rect, raster_segment, raster);
          al_line_raster_finish (raster, cr);
          continue;
        }
      Stroke st = { .cr = cr, .dashes = dashes, .n_dashes = nd };
      for_each_segment (d->ux[i], d->uy[i], d->un[i], rect, path_segment, &st);
      cairo_stroke (cr);
    }
  al_line_raster_free (raster);
  cairo_restore (cr);
}

static void
draw_axes (Draw *d)
{
  cairo_t *cr = d->cr;
  double lw = 0.8 * d->pt;
  cairo_set_dash (cr, NULL, 0, 0);
  cairo_set_line_width (cr, lw);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_SQUARE);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  double x0 = al_plot_snap_line (cr, d->ax, lw, TRUE), x1 = al_plot_snap_line (cr, d->ax + d->aw, lw, TRUE);
  double y0 = al_plot_snap_line (cr, d->ay, lw, FALSE), y1 = al_plot_snap_line (cr, d->ay + d->ah, lw, FALSE);
  al_plot_set_color (cr, d->th.frame, 1.0);
  cairo_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
  cairo_stroke (cr);

  /* Ticks point outwards, on the left and bottom spines. */
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  for (guint i = 0; i < d->xticks->len; i++)
    {
      AlTick *t = &g_array_index (d->xticks, AlTick, i);
      double x = al_plot_snap_line (cr, map_x (d, t->value), lw, TRUE);
      cairo_move_to (cr, x, y1);
      cairo_line_to (cr, x, y1 + (t->major ? d->tick_len : 0.55 * d->tick_len));
    }
  for (guint i = 0; i < d->yticks->len; i++)
    {
      double y = al_plot_snap_line (cr, map_y (d, g_array_index (d->yticks, AlTick, i).value), lw, FALSE);
      cairo_move_to (cr, x0, y);
      cairo_line_to (cr, x0 - d->tick_len, y);
    }
  cairo_stroke (cr);

  al_plot_set_color (cr, d->th.text_muted, 1.0);
  for (guint i = 0; i < d->xticks->len; i++)
    {
      AlTick *t = &g_array_index (d->xticks, AlTick, i);
      if (!t->major)
        continue;
      al_plot_text_set (&d->text, t->label, d->fs_tick, PANGO_WEIGHT_NORMAL, 0);
      al_plot_text_draw (&d->text, cr, map_x (d, t->value), y1 + d->tick_len + d->tick_gap, 0.5, 0.0, 0.0);
    }
  for (guint i = 0; i < d->yticks->len; i++)
    {
      AlTick *t = &g_array_index (d->yticks, AlTick, i);
      al_plot_text_set (&d->text, t->label, d->fs_tick, PANGO_WEIGHT_NORMAL, 0);
      al_plot_text_draw (&d->text, cr, x0 - d->tick_len - d->tick_gap, map_y (d, t->value), 1.0, 0.5, 0.0);
    }
}

static double
max_label_width (Draw *d, GArray *ticks)
{
  double w = 0;
  for (guint i = 0; i < ticks->len; i++)
    if (g_array_index (ticks, AlTick, i).major)
      w = MAX (w, measure_width (g_array_index (ticks, AlTick, i).label, d));
  return w;
}

/* How far the x labels reach past the right edge of the area. */
static double
x_label_overhang (Draw *d)
{
  double right = 0;
  for (guint i = 0; i < d->xticks->len; i++)
    {
      AlTick *t = &g_array_index (d->xticks, AlTick, i);
      if (t->major)
        right = MAX (right, map_x (d, t->value) + 0.5 * measure_width (t->label, d) - (d->ax + d->aw));
    }
  return right;
}

void
al_curve_plot_draw (AlCurvePlot *plot, cairo_t *cr, double width, double height, const AlPlotStyle *style)
{
  g_return_if_fail (plot != NULL && cr != NULL);
  Draw d = { .plot = plot, .cr = cr, .style = style };
  al_plot_theme_init (&d.th, cr, style);
  d.pt = d.th.pt;
  d.fs_tick = al_plot_theme_font (&d.th, 9.0);
  d.fs_label = al_plot_theme_font (&d.th, 10.0);
  d.fs_title = al_plot_theme_font (&d.th, 11.0);
  d.tick_len = 3.5 * d.pt;
  d.tick_gap = 2.5 * d.pt;
  d.pad = 8 * d.pt;
  d.line_width = (plot->series->len > 8 ? 1.15 : 1.5) * d.pt;
  d.log = plot->log_x;
  if (d.log && !fixed_ok (plot->fixed_x, TRUE))
    {
      /* A log axis needs positive x; fall back to linear when no data has it. */
      gboolean any = FALSE;
      for (guint i = 0; i < plot->series->len && !any; i++)
        {
          const Series *s = g_ptr_array_index (plot->series, i);
          for (int k = 0; k < s->n && !any; k++)
            any = point_ok (TRUE, s->x[k], s->y[k]);
        }
      d.log = any || plot->series->len == 0;
    }
  resolve_ranges (plot, d.log, d.xr, d.yr);
  al_plot_text_init (&d.text, cr);

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  al_plot_set_color (cr, d.th.background, 1.0);
  cairo_fill (cr);

  double tick_h = text_height (&d, "0123456789", d.fs_tick, PANGO_WEIGHT_NORMAL);
  double title_h = has_text (plot->title) ? text_height (&d, plot->title, d.fs_title, PANGO_WEIGHT_BOLD) : 0;
  double xlabel_h = has_text (plot->xlabel) ? text_height (&d, plot->xlabel, d.fs_label, PANGO_WEIGHT_NORMAL) : 0;
  double ylabel_h = has_text (plot->ylabel) ? text_height (&d, plot->ylabel, d.fs_label, PANGO_WEIGHT_NORMAL) : 0;

  double top = d.pad + (title_h > 0 ? title_h + 6 * d.pt : 0.5 * tick_h);
  double bottom = d.pad + (xlabel_h > 0 ? xlabel_h + 3 * d.pt : 0) + tick_h + d.tick_gap + d.tick_len;
  d.ay = al_plot_snap_edge (cr, top, FALSE);
  d.ah = MAX (al_plot_snap_edge (cr, height - bottom, FALSE) - d.ay, 1.0);

  d.yticks = al_axis_ticks (d.yr[0], d.yr[1], FALSE, d.ah, 3.2 * d.fs_tick, 0.5 * d.fs_tick,
                            measure_height, &d);
  double left = d.pad + (ylabel_h > 0 ? ylabel_h + 5 * d.pt : 0)
                + max_label_width (&d, d.yticks) + d.tick_gap + d.tick_len;

  Legend lg = { 0 };
  gboolean legend = n_labelled (plot) > 0;
  double right = d.pad;
  if (legend)
    {
      /* An outside legend starts level with the top of the axes (its first
       * row's text on the top spine) and may run down to the bottom padding. */
      legend_measure (&d, &lg, 0.45 * width, height - d.pad - (d.ay - LEGEND_VPAD * d.pt));
      if (lg.outside)
        right += lg.w + 4 * d.pt;
    }

  d.ax = al_plot_snap_edge (cr, left, TRUE);
  for (int pass = 0; pass < 2; pass++)
    {
      d.aw = MAX (al_plot_snap_edge (cr, width - right, TRUE) - d.ax, 1.0);
      if (d.xticks != NULL)
        g_array_unref (d.xticks);
      d.xticks = al_axis_ticks (d.xr[0], d.xr[1], d.log, d.aw, 4.0 * d.fs_tick, 0.9 * d.fs_tick,
                                measure_width, &d);
      double over_right = x_label_overhang (&d);
      /* The last x label must not run off the figure (or into the legend). */
      double room = lg.outside ? 4 * d.pt : 0.5 * d.pad;
      if (over_right <= room)
        break;
      right += over_right - room;
    }

  plot->drawn = TRUE;
  plot->map_log = d.log;
  plot->area[0] = d.ax;
  plot->area[1] = d.ay;
  plot->area[2] = d.aw;
  plot->area[3] = d.ah;
  plot->view_x[0] = d.xr[0];
  plot->view_x[1] = d.xr[1];
  plot->view_y[0] = d.yr[0];
  plot->view_y[1] = d.yr[1];

  /* One device pixel; in vector files a quarter point (about 300 dpi). */
  if (al_plot_is_vector (cr))
    d.column = 0.25 * d.pt;
  else
    {
      double dx = 1, dy = 0;
      cairo_device_to_user_distance (cr, &dx, &dy);
      d.column = hypot (dx, dy);
    }
  guint ns = plot->series->len;
  d.ux = g_new0 (double *, ns + 1);
  d.uy = g_new0 (double *, ns + 1);
  d.un = g_new0 (int, ns + 1);
  for (guint i = 0; i < ns; i++)
    {
      const Series *s = g_ptr_array_index (plot->series, i);
      if (!is_visible_series (s))
        continue;
      d.ux[i] = g_new (double, s->n);
      d.uy[i] = g_new (double, s->n);
      d.un[i] = map_series (&d, s, d.ux[i], d.uy[i]);
    }

  draw_grid (&d);
  draw_series (&d);
  draw_axes (&d);

  al_plot_set_color (cr, d.th.text, 1.0);
  if (title_h > 0)
    {
      /* centred over the axes, but kept inside the figure */
      double tw;
      al_plot_text_set (&d.text, plot->title, d.fs_title, PANGO_WEIGHT_BOLD, width - 2 * d.pad);
      al_plot_text_get_size (&d.text, &tw, NULL);
      double cx = CLAMP (d.ax + d.aw / 2, d.pad + tw / 2, MAX (width - d.pad - tw / 2, d.pad + tw / 2));
      al_plot_text_draw (&d.text, cr, cx, d.pad, 0.5, 0.0, 0.0);
    }
  if (xlabel_h > 0)
    {
      al_plot_text_set (&d.text, plot->xlabel, d.fs_label, PANGO_WEIGHT_NORMAL, 0);
      al_plot_text_draw (&d.text, cr, d.ax + d.aw / 2, height - d.pad, 0.5, 1.0, 0.0);
    }
  if (ylabel_h > 0)
    {
      al_plot_text_set (&d.text, plot->ylabel, d.fs_label, PANGO_WEIGHT_NORMAL, 0);
      al_plot_text_draw (&d.text, cr, d.pad, d.ay + d.ah / 2, 0.5, 0.0, -G_PI_2);
    }

  if (legend)
    {
      if (lg.outside)
        {
          lg.x = d.ax + d.aw + 4 * d.pt;
          lg.y = d.ay - lg.vpad;
        }
      else
        legend_place_inside (&d, &lg);
      legend_draw (&d, &lg);
    }
  plot->legend[0] = legend ? lg.x : 0;
  plot->legend[1] = legend ? lg.y : 0;
  plot->legend[2] = legend ? lg.w : 0;
  plot->legend[3] = legend ? lg.h : 0;

  cairo_restore (cr);
  for (guint i = 0; i < ns; i++)
    {
      g_free (d.ux[i]);
      g_free (d.uy[i]);
    }
  g_free (d.ux);
  g_free (d.uy);
  g_free (d.un);
  g_array_unref (d.xticks);
  g_array_unref (d.yticks);
  al_plot_text_clear (&d.text);
}
