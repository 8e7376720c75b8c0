/* al-figure-text.c — text for the evaluation figures: Pango layouts in
 * the plot module's font and, in files, its unhinted metrics, so the
 * figures' own titles and legends match the panels they frame.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-metrics-private.h"

PangoLayout *
al_figure_layout (cairo_t *cr, double size, PangoWeight weight)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  if (al_plot_units_per_point (cr) == 1.0)
    {
      /* Files: unhinted metrics, as the plot module lays out its text, so PNG and PDF agree. */
      PangoContext *context = pango_layout_get_context (layout);
      cairo_font_options_t *options = cairo_font_options_create ();
      cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
      cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
      pango_cairo_context_set_font_options (context, options);
      cairo_font_options_destroy (options);
      pango_layout_context_changed (layout);
    }
  PangoFontDescription *desc = pango_font_description_from_string ("Sans");
  pango_font_description_set_absolute_size (desc, size * PANGO_SCALE);
  pango_font_description_set_weight (desc, weight);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  return layout;
}

void
al_figure_text_size (PangoLayout *layout, const char *text, double *w, double *h)
{
  PangoRectangle logical;
  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  pango_layout_get_extents (layout, NULL, &logical);
  *w = (double) logical.width / PANGO_SCALE;
  *h = (double) logical.height / PANGO_SCALE;
}

void
al_figure_text_draw (cairo_t *cr, PangoLayout *layout, const char *text, double x, double y, double ax, double ay,
           double angle)
{
  PangoRectangle logical;
  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  pango_layout_get_extents (layout, NULL, &logical);
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_rotate (cr, angle);
  pango_cairo_update_layout (cr, layout);
  cairo_move_to (cr, -ax * logical.width / PANGO_SCALE - (double) logical.x / PANGO_SCALE,
                 -ay * logical.height / PANGO_SCALE - (double) logical.y / PANGO_SCALE);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
}

