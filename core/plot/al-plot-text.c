/* al-plot-text.c — measuring and drawing text with Pango for the plot
 * renderers ("Sans", absolute sizes in user units).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-plot-private.h"

#include <math.h>

void
al_plot_text_init (AlPlotText *text, cairo_t *cr)
{
  text->layout = pango_cairo_create_layout (cr);
  text->desc = pango_font_description_from_string ("Sans");
  if (al_plot_is_export (cr))
    {
      /* Files are looked at at any zoom: lay glyphs out unhinted, at their
       * exact advances, so PNG, PDF and SVG agree. */
      PangoContext *context = pango_layout_get_context (text->layout);
      cairo_font_options_t *options = cairo_font_options_create ();
      cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
      cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
      pango_cairo_context_set_font_options (context, options);
      cairo_font_options_destroy (options);
      pango_context_set_round_glyph_positions (context, FALSE);
      pango_layout_context_changed (text->layout);
    }
}

void
al_plot_text_clear (AlPlotText *text)
{
  g_clear_object (&text->layout);
  g_clear_pointer (&text->desc, pango_font_description_free);
}

void
al_plot_text_set (AlPlotText *text, const char *str, double size, PangoWeight weight, double max_width)
{
  pango_font_description_set_absolute_size (text->desc, size * PANGO_SCALE);
  pango_font_description_set_weight (text->desc, weight);
  pango_layout_set_font_description (text->layout, text->desc);
  if (max_width > 0)
    {
      pango_layout_set_width (text->layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (text->layout, PANGO_ELLIPSIZE_END);
    }
  else
    {
      pango_layout_set_width (text->layout, -1);
      pango_layout_set_ellipsize (text->layout, PANGO_ELLIPSIZE_NONE);
    }
  pango_layout_set_text (text->layout, str != NULL ? str : "", -1);
}

void
al_plot_text_get_size (AlPlotText *text, double *width, double *height)
{
  PangoRectangle logical;
  pango_layout_get_extents (text->layout, NULL, &logical);
  if (width != NULL)
    *width = (double) logical.width / PANGO_SCALE;
  if (height != NULL)
    *height = (double) logical.height / PANGO_SCALE;
}

/* Leaves cr translated (and rotated) to the anchor, with the current point
 * at the layout's origin. */
static void
place (AlPlotText *text, cairo_t *cr, double x, double y, double ax, double ay, double angle)
{
  PangoRectangle logical;
  pango_layout_get_extents (text->layout, NULL, &logical);
  cairo_translate (cr, x, y);
  if (angle != 0.0)
    cairo_rotate (cr, angle);
  pango_cairo_update_layout (cr, text->layout);
  cairo_move_to (cr,
                 -ax * logical.width / PANGO_SCALE - (double) logical.x / PANGO_SCALE,
                 -ay * logical.height / PANGO_SCALE - (double) logical.y / PANGO_SCALE);
}

void
al_plot_text_draw (AlPlotText *text, cairo_t *cr, double x, double y, double ax, double ay, double angle)
{
  /* a non-finite translation would put cr into an error state for good */
  if (!isfinite (x) || !isfinite (y))
    return;
  cairo_save (cr);
  place (text, cr, x, y, ax, ay, angle);
  pango_cairo_show_layout (cr, text->layout);
  cairo_restore (cr);
}

void
al_plot_text_draw_halo (AlPlotText *text, cairo_t *cr, double x, double y, double ax, double ay,
                        AlRgb fill, AlRgb halo, double halo_width)
{
  if (!isfinite (x) || !isfinite (y))
    return;
  cairo_save (cr);
  cairo_new_path (cr);
  place (text, cr, x, y, ax, ay, 0.0);
  pango_cairo_layout_path (cr, text->layout);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_width (cr, halo_width);
  al_plot_set_color (cr, halo, 0.6);
  cairo_stroke_preserve (cr);
  al_plot_set_color (cr, fill, 1.0);
  cairo_fill (cr);
  cairo_restore (cr);
}
