/* al-channel-plot.c — the per-SH-channel figure: one small log-frequency
 * panel per ACN channel ((N+1) x (N+1) panels, so degree n fills the
 * diagonal band of the grid), a curve per encoder in every panel with the
 * same colour and dash throughout, one shared legend and shared axis labels
 * (given by the caller, so the GUI can pass translated ones).  Panels are
 * AlCurvePlots drawn into sub-rectangles.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-metrics-private.h"

#include <math.h>
#include <string.h>

typedef struct {
  char *label;
  int nch, nbins;
  double band_lo, band_hi;
  double *freqs;       /* nbins */
  double *values;      /* nch x nbins */
} Entry;

struct AlChannelPlot {
  char *title, *xlabel, *ylabel;
  double xr[2], yr[2];
  GPtrArray *entries;
};

/* Sizes in points. */
#define PAD 8.0
#define PANEL_GAP 2.0
#define LEGEND_LINE 20.0
#define LEGEND_GAP 14.0
/* Panels are drawn scaled by PANEL_SCALE with fonts at PANEL_FONT of the
 * plot module's sizes: 9 pt ticks become 6.8 pt, 1.5 pt lines 1.2 pt. */
#define PANEL_SCALE 0.8
#define PANEL_FONT 0.95

static void
entry_free (gpointer data)
{
  Entry *e = data;
  g_free (e->label);
  g_free (e->freqs);
  g_free (e->values);
  g_free (e);
}

AlChannelPlot *
al_channel_plot_new (const char *title, const char *xlabel, const char *ylabel)
{
  AlChannelPlot *plot = g_new0 (AlChannelPlot, 1);
  plot->title = g_strdup (title);
  plot->xlabel = g_strdup (xlabel);
  plot->ylabel = g_strdup (ylabel);
  plot->entries = g_ptr_array_new_with_free_func (entry_free);
  return plot;
}

void
al_channel_plot_free (AlChannelPlot *plot)
{
  if (plot == NULL)
    return;
  g_free (plot->title);
  g_free (plot->xlabel);
  g_free (plot->ylabel);
  g_ptr_array_unref (plot->entries);
  g_free (plot);
}

const char *
al_channel_plot_get_x_label (const AlChannelPlot *plot)
{
  g_return_val_if_fail (plot != NULL, NULL);
  return plot->xlabel != NULL && plot->xlabel[0] != '\0' ? plot->xlabel : NULL;
}

void
al_channel_plot_set_x_range (AlChannelPlot *plot, double lo, double hi)
{
  g_return_if_fail (plot != NULL);
  plot->xr[0] = lo;
  plot->xr[1] = hi;
}

void
al_channel_plot_set_y_range (AlChannelPlot *plot, double lo, double hi)
{
  g_return_if_fail (plot != NULL);
  plot->yr[0] = lo;
  plot->yr[1] = hi;
}

void
al_channel_plot_add (AlChannelPlot *plot, const char *label, const AlSpectralMetric *metric)
{
  g_return_if_fail (plot != NULL && metric != NULL);
  Entry *e = g_new0 (Entry, 1);
  e->label = g_strdup (label != NULL ? label : "");
  e->nch = metric->nch;
  e->nbins = metric->nbins;
  e->band_lo = metric->band_lo;
  e->band_hi = metric->band_hi;
  e->freqs = g_memdup2 (metric->freqs, sizeof (double) * metric->nbins);
  e->values = g_memdup2 (metric->per_channel, sizeof (double) * metric->nch * metric->nbins);
  g_ptr_array_add (plot->entries, e);
}

static void
x_range (const AlChannelPlot *plot, double xr[2])
{
  if (plot->xr[0] != plot->xr[1])
    {
      xr[0] = plot->xr[0];
      xr[1] = plot->xr[1];
      return;
    }
  xr[0] = 50;
  xr[1] = 24000;
  if (plot->entries->len > 0)
    {
      const Entry *e = g_ptr_array_index (plot->entries, 0);
      xr[0] = MAX (e->band_lo, e->freqs[MIN (1, e->nbins - 1)]);
      xr[1] = e->band_hi;
    }
}

/* One y range for every panel, so panels compare at a glance. */
static void
y_range (const AlChannelPlot *plot, const double xr[2], double yr[2])
{
  if (plot->yr[0] != plot->yr[1])
    {
      yr[0] = plot->yr[0];
      yr[1] = plot->yr[1];
      return;
    }
  double lo = INFINITY, hi = -INFINITY;
  for (guint i = 0; i < plot->entries->len; i++)
    {
      const Entry *e = g_ptr_array_index (plot->entries, i);
      for (int c = 0; c < e->nch; c++)
        for (int k = 0; k < e->nbins; k++)
          {
            double v = e->values[(gsize) c * e->nbins + k];
            if (e->freqs[k] >= xr[0] && e->freqs[k] <= xr[1] && isfinite (v))
              {
                lo = MIN (lo, v);
                hi = MAX (hi, v);
              }
          }
    }
  if (!isfinite (lo))
    {
      lo = 0;
      hi = 1;
    }
  double margin = hi > lo ? 0.05 * (hi - lo) : MAX (0.5, 0.05 * fabs (hi));
  yr[0] = lo - margin;
  yr[1] = hi + margin;
}

static int
max_channels (const AlChannelPlot *plot)
{
  int n = 0;
  for (guint i = 0; i < plot->entries->len; i++)
    n = MAX (n, ((const Entry *) g_ptr_array_index (plot->entries, i))->nch);
  return n;
}

/* Panel titles, longest first; the figure uses the first that fits every panel. */
static const char *const title_formats[] = {
  "ACN %d  (n = %d, m = %s%d)",
  "ACN %d (n=%d, m=%s%d)",
  "%d: n=%d, m=%s%d",
  "ACN %d",
};

static char *
panel_title (int format, int c)
{
  int n = al_sh_degree_of (c), m = c - n * n - n;
  /* U+2212 for the minus sign, as the axis labels use. */
  return g_strdup_printf (title_formats[format], c, n, m < 0 ? "\u2212" : "", ABS (m));
}

static int
pick_title_format (cairo_t *cr, int C, double size, double avail)
{
  PangoLayout *layout = al_figure_layout (cr, size, PANGO_WEIGHT_BOLD);
  int f = 0;
  for (; f < (int) G_N_ELEMENTS (title_formats) - 1; f++)
    {
      double widest = 0;
      for (int c = 0; c < C; c++)
        {
          g_autofree char *title = panel_title (f, c);
          double w, h;
          al_figure_text_size (layout, title, &w, &h);
          widest = MAX (widest, w);
        }
      if (widest <= avail)
        break;
    }
  g_object_unref (layout);
  return f;
}

static AlCurvePlot *
make_panel (const AlChannelPlot *plot, int c, int format, const double xr[2], const double yr[2])
{
  g_autofree char *title = panel_title (format, c);
  AlCurvePlot *panel = al_curve_plot_new (title, NULL, NULL);
  al_curve_plot_set_x_range (panel, xr[0], xr[1]);
  al_curve_plot_set_y_range (panel, yr[0], yr[1]);
  for (guint i = 0; i < plot->entries->len; i++)
    {
      const Entry *e = g_ptr_array_index (plot->entries, i);
      /* Unlabelled series: the panel draws no legend of its own.  An
       * encoder without this channel still adds an empty series, so series
       * index i keeps encoder i's colour in every panel. */
      if (c >= e->nch || e->nbins < 2)
        {
          al_curve_plot_add (panel, NULL, NULL, NULL, 0);
          continue;
        }
      /* Bin 0 (DC) has no place on a log axis. */
      al_curve_plot_add (panel, NULL, e->freqs + 1, e->values + (gsize) c * e->nbins + 1, e->nbins - 1);
    }
  return panel;
}

typedef struct {
  int rows;
  double height;
  double *row_width; /* rows */
  int *row_of;       /* entry -> row */
} LegendLayout;

/* Entries flow left to right and wrap within max_w. */
static void
legend_layout (const AlChannelPlot *plot, PangoLayout *layout, double pt, double max_w, double line_h,
               LegendLayout *lg)
{
  guint n = plot->entries->len;
  lg->row_width = g_new0 (double, MAX (n, 1));
  lg->row_of = g_new0 (int, MAX (n, 1));
  lg->rows = n > 0 ? 1 : 0;
  double x = 0;
  for (guint i = 0; i < n; i++)
    {
      double w, h;
      al_figure_text_size (layout, ((const Entry *) g_ptr_array_index (plot->entries, i))->label, &w, &h);
      double item = (LEGEND_LINE + 5) * pt + w;
      if (x > 0 && x + LEGEND_GAP * pt + item > max_w)
        {
          lg->row_width[lg->rows - 1] = x;
          lg->rows++;
          x = 0;
        }
      x += (x > 0 ? LEGEND_GAP * pt : 0) + item;
      lg->row_of[i] = lg->rows - 1;
    }
  if (lg->rows > 0)
    lg->row_width[lg->rows - 1] = x;
  lg->height = lg->rows * line_h;
}

static void
legend_draw (const AlChannelPlot *plot, cairo_t *cr, PangoLayout *layout, const AlPlotStyle *style, double pt,
             double width, double top, double line_h, const LegendLayout *lg, AlRgb text)
{
  int row = -1;
  double x = 0;
  for (guint i = 0; i < plot->entries->len; i++)
    {
      const Entry *e = g_ptr_array_index (plot->entries, i);
      if (lg->row_of[i] != row)
        {
          row = lg->row_of[i];
          x = (width - lg->row_width[row]) / 2;
        }
      else
        x += LEGEND_GAP * pt;
      double y = top + (row + 0.5) * line_h;
      /* The sample line as the panels draw series i: palette colour and dash, 1.5 pt, round caps. */
      double lw = 1.5 * pt, dashes[4];
      int nd = al_palette_dash ((int) i, dashes);
      for (int k = 0; k < nd; k++)
        dashes[k] *= lw;
      AlRgb col = al_palette_color_for_style ((int) i, style);
      cairo_save (cr);
      cairo_set_source_rgb (cr, col.r, col.g, col.b);
      cairo_set_line_width (cr, lw);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      cairo_set_dash (cr, dashes, nd, 0);
      cairo_move_to (cr, x + lw, y);
      cairo_line_to (cr, x + LEGEND_LINE * pt - lw, y);
      cairo_stroke (cr);
      cairo_restore (cr);
      x += (LEGEND_LINE + 5) * pt;
      double w, h;
      al_figure_text_size (layout, e->label, &w, &h);
      cairo_set_source_rgb (cr, text.r, text.g, text.b);
      al_figure_text_draw (cr, layout, e->label, x, y, 0.0, 0.5, 0.0);
      x += w;
    }
}

void
al_channel_plot_draw (AlChannelPlot *plot, cairo_t *cr, double width, double height, const AlPlotStyle *style)
{
  g_return_if_fail (plot != NULL && cr != NULL);
  const double pt = al_plot_units_per_point (cr);
  gboolean dark = style != NULL && style->dark;
  double scale = style != NULL && style->font_scale > 0 && isfinite (style->font_scale) ? style->font_scale : 1.0;
  /* The plot module's theme colours (al-plot-theme.c). */
  AlRgb bg = dark ? (AlRgb) { 0.118, 0.118, 0.125 } : (AlRgb) { 1, 1, 1 };
  AlRgb text = dark ? (AlRgb) { 0.91, 0.91, 0.91 } : (AlRgb) { 0.10, 0.10, 0.10 };

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_set_source_rgb (cr, bg.r, bg.g, bg.b);
  cairo_fill (cr);

  PangoLayout *title_l = al_figure_layout (cr, 11.0 * scale * pt, PANGO_WEIGHT_BOLD);
  PangoLayout *label_l = al_figure_layout (cr, 10.0 * scale * pt, PANGO_WEIGHT_NORMAL);
  PangoLayout *legend_l = al_figure_layout (cr, 9.0 * scale * pt, PANGO_WEIGHT_NORMAL);
  double title_w, title_h = 0, xl_w, xl_h = 0, yl_w, yl_h = 0, lw_, line_h;
  if (plot->title != NULL && plot->title[0] != '\0')
    al_figure_text_size (title_l, plot->title, &title_w, &title_h);
  if (plot->xlabel != NULL && plot->xlabel[0] != '\0')
    al_figure_text_size (label_l, plot->xlabel, &xl_w, &xl_h);
  if (plot->ylabel != NULL && plot->ylabel[0] != '\0')
    al_figure_text_size (label_l, plot->ylabel, &yl_w, &yl_h);
  al_figure_text_size (legend_l, "Ag", &lw_, &line_h);
  line_h *= 1.35;

  LegendLayout lg = { 0 };
  legend_layout (plot, legend_l, pt, width - 2 * PAD * pt, line_h, &lg);

  double top = PAD * pt;
  cairo_set_source_rgb (cr, text.r, text.g, text.b);
  if (title_h > 0)
    {
      al_figure_text_draw (cr, title_l, plot->title, width / 2, top, 0.5, 0.0, 0.0);
      top += title_h + 3 * pt;
    }
  if (lg.rows > 0)
    {
      legend_draw (plot, cr, legend_l, style, pt, width, top, line_h, &lg, text);
      top += lg.height + 2 * pt;
    }
  double left = PAD * pt + (yl_h > 0 ? yl_h + 2 * pt : 0);
  double bottom = PAD * pt + (xl_h > 0 ? xl_h + 1 * pt : 0);
  double gw = width - left - PAD * pt, gh = height - top - bottom;

  int C = max_channels (plot);
  if (C > 0 && gw > 1 && gh > 1)
    {
      int cols = (int) ceil (sqrt ((double) C) - 1e-9);
      int rows = (C + cols - 1) / cols;
      double pw = gw / cols, ph = gh / rows;
      double xr[2], yr[2];
      x_range (plot, xr);
      y_range (plot, xr, yr);
      /* Small multiples: each panel is drawn at PANEL_SCALE, so its type
       * and its lines (which AlCurvePlot sizes in points) shrink together. */
      AlPlotStyle panel_style = { .dark = dark, .font_scale = PANEL_FONT * scale };
      double sw = (pw - PANEL_GAP * pt) / PANEL_SCALE, sh = (ph - PANEL_GAP * pt) / PANEL_SCALE;
      /* AlCurvePlot: bold titles at 11 pt, 8 pt padding either side. */
      int format = pick_title_format (cr, C, 11.0 * PANEL_FONT * scale * pt, sw - 16 * pt);
      for (int c = 0; c < C; c++)
        {
          g_autoptr (AlCurvePlot) panel = make_panel (plot, c, format, xr, yr);
          cairo_save (cr);
          cairo_translate (cr, left + (c % cols) * pw, top + (c / cols) * ph);
          cairo_scale (cr, PANEL_SCALE, PANEL_SCALE);
          cairo_rectangle (cr, 0, 0, sw, sh);
          cairo_clip (cr);
          al_curve_plot_draw (panel, cr, sw, sh, &panel_style);
          cairo_restore (cr);
        }
    }

  cairo_set_source_rgb (cr, text.r, text.g, text.b);
  if (xl_h > 0)
    al_figure_text_draw (cr, label_l, plot->xlabel, left + gw / 2, height - PAD * pt, 0.5, 1.0, 0.0);
  if (yl_h > 0)
    al_figure_text_draw (cr, label_l, plot->ylabel, PAD * pt, top + gh / 2, 0.5, 0.0, -G_PI_2);

  g_free (lg.row_width);
  g_free (lg.row_of);
  g_object_unref (title_l);
  g_object_unref (label_l);
  g_object_unref (legend_l);
  cairo_restore (cr);
}

static void
draw_cb (gpointer object, cairo_t *cr, double width, double height, const AlPlotStyle *style)
{
  al_channel_plot_draw (object, cr, width, height, style);
}

gboolean
al_channel_plot_export (AlChannelPlot *plot, const char *path, double width, double height, double dpi,
                        GError **error)
{
  g_return_val_if_fail (plot != NULL, FALSE);
  return al_plot_export (path, width, height, dpi, draw_cb, plot, NULL, error);
}
