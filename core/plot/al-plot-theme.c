/* al-plot-theme.c — turns an AlPlotStyle into the concrete colours and
 * units of one draw, and snaps lines to the device pixel grid.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-plot-private.h"

#include <math.h>

#define GREY(v) ((AlRgb) { (v), (v), (v) })

/* Set on the target surface by al_plot_export: its user units are points. */
static cairo_user_data_key_t export_key;

void
al_plot_mark_export (cairo_surface_t *surface)
{
  cairo_surface_set_user_data (surface, &export_key, GINT_TO_POINTER (1), NULL);
}

gboolean
al_plot_is_export (cairo_t *cr)
{
  return cairo_surface_get_user_data (cairo_get_target (cr), &export_key) != NULL;
}

gboolean
al_plot_is_vector (cairo_t *cr)
{
  switch (cairo_surface_get_type (cairo_get_target (cr)))
    {
    case CAIRO_SURFACE_TYPE_PDF:
    case CAIRO_SURFACE_TYPE_SVG:
    case CAIRO_SURFACE_TYPE_PS:
      return TRUE;
    default:
      return FALSE;
    }
}

double
al_plot_units_per_point (cairo_t *cr)
{
  return al_plot_is_export (cr) ? 1.0 : 96.0 / 72.0;
}

void
al_plot_theme_init (AlPlotTheme *theme, cairo_t *cr, const AlPlotStyle *style)
{
  theme->dark = style != NULL && style->dark;
  theme->font_scale = style != NULL && style->font_scale > 0 && isfinite (style->font_scale)
                      ? style->font_scale : 1.0;
  theme->pt = al_plot_units_per_point (cr);
  if (theme->dark)
    {
      theme->background = (AlRgb) { 0.118, 0.118, 0.125 };
      theme->text = GREY (0.91);
      theme->text_muted = GREY (0.80);
      theme->frame = GREY (0.62);
      theme->grid = GREY (0.25);
      theme->grid_minor = GREY (0.175);
      theme->legend_fill = (AlRgb) { 0.145, 0.145, 0.153 };
      theme->legend_edge = GREY (0.33);
      theme->hidden = GREY (0.42);
      theme->missing = GREY (0.30);
    }
  else
    {
      theme->background = GREY (1.0);
      theme->text = GREY (0.10);
      theme->text_muted = GREY (0.20);
      theme->frame = GREY (0.20);
      theme->grid = GREY (0.885);
      theme->grid_minor = GREY (0.945);
      theme->legend_fill = GREY (1.0);
      theme->legend_edge = GREY (0.80);
      theme->hidden = GREY (0.68);
      theme->missing = GREY (0.80);
    }
}

double
al_plot_theme_font (const AlPlotTheme *theme, double points)
{
  return points * theme->pt * theme->font_scale;
}

void
al_plot_set_color (cairo_t *cr, AlRgb color, double alpha)
{
  if (alpha >= 1.0)
    cairo_set_source_rgb (cr, color.r, color.g, color.b);
  else
    cairo_set_source_rgba (cr, color.r, color.g, color.b, alpha);
}

/* Moves v (an x when vertical, else a y) in device space:
 * to the nearest pixel boundary (offset 0) or pixel centre (offset 0.5). */
static double
snap (cairo_t *cr, double v, gboolean vertical, double offset)
{
  if (al_plot_is_vector (cr))
    return v;
  double x = vertical ? v : 0.0, y = vertical ? 0.0 : v;
  cairo_user_to_device (cr, &x, &y);
  if (vertical)
    x = floor (x - offset + 0.5) + offset;
  else
    y = floor (y - offset + 0.5) + offset;
  cairo_device_to_user (cr, &x, &y);
  return vertical ? x : y;
}

double
al_plot_snap_edge (cairo_t *cr, double v, gboolean vertical)
{
  return snap (cr, v, vertical, 0.0);
}

double
al_plot_snap_line (cairo_t *cr, double v, double width, gboolean vertical)
{
  double dx = width, dy = width;
  cairo_user_to_device_distance (cr, &dx, &dy);
  long device_width = lround (fabs (vertical ? dx : dy));
  /* An odd number of device pixels is centred on a pixel, an even one on a
   * boundary, so the line covers whole pixels. */
  return snap (cr, v, vertical, device_width % 2 == 1 ? 0.5 : 0.0);
}
