/* al-map-compare-plot.c — power maps side by side: the reference first,
 * then each encoder, all in dB re the reference's maximum on one colour
 * scale (Hammer projection, AlSphereMaps drawn into sub-rectangles).
 * Each map is re-evaluated from its covariance on a dense grid, so the
 * figure shows the smooth map rather than the analysis grid's cells.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-metrics-private.h"

#include <math.h>

/* About 1.1° between display directions: below a pixel of a panel at 150 dpi. */
#define DISPLAY_GRID 32768
#define PAD 8.0

struct AlMapComparePlot {
  char *title;
  GPtrArray *maps;     /* AlPowerMap, [0] the reference */
  GPtrArray *labels;   /* char * */
  double range_db;
  int columns;
  GArray *markers;     /* n x 2 doubles */
  GPtrArray *marker_labels;

  /* dB values on the display grid, per map; made on first draw. */
  AlGrid *display;
  GPtrArray *db;
};

AlMapComparePlot *
al_map_compare_plot_new (const char *title, const AlPowerMap *reference, const char *label)
{
  g_return_val_if_fail (reference != NULL, NULL);
  AlMapComparePlot *plot = g_new0 (AlMapComparePlot, 1);
  plot->title = g_strdup (title);
  plot->maps = g_ptr_array_new_with_free_func ((GDestroyNotify) al_power_map_free);
  plot->labels = g_ptr_array_new_with_free_func (g_free);
  plot->range_db = 20;
  plot->markers = g_array_new (FALSE, FALSE, sizeof (double));
  plot->marker_labels = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (plot->maps, al_power_map_copy (reference));
  g_ptr_array_add (plot->labels, g_strdup (label != NULL ? label : "Reference"));
  return plot;
}

static void
drop_cache (AlMapComparePlot *plot)
{
  g_clear_pointer (&plot->display, al_grid_free);
  g_clear_pointer (&plot->db, g_ptr_array_unref);
}

void
al_map_compare_plot_free (AlMapComparePlot *plot)
{
  if (plot == NULL)
    return;
  drop_cache (plot);
  g_free (plot->title);
  g_ptr_array_unref (plot->maps);
  g_ptr_array_unref (plot->labels);
  g_array_unref (plot->markers);
  g_ptr_array_unref (plot->marker_labels);
  g_free (plot);
}

void
al_map_compare_plot_add (AlMapComparePlot *plot, const char *label, const AlPowerMap *map)
{
  g_return_if_fail (plot != NULL && map != NULL);
  g_ptr_array_add (plot->maps, al_power_map_copy (map));
  g_ptr_array_add (plot->labels, g_strdup (label != NULL ? label : ""));
  drop_cache (plot);
}

void
al_map_compare_plot_set_range (AlMapComparePlot *plot, double range_db)
{
  g_return_if_fail (plot != NULL);
  plot->range_db = range_db > 0 && isfinite (range_db) ? range_db : 20;
  drop_cache (plot);
}

void
al_map_compare_plot_set_columns (AlMapComparePlot *plot, int columns)
{
  g_return_if_fail (plot != NULL);
  plot->columns = columns;
}

void
al_map_compare_plot_add_markers (AlMapComparePlot *plot, const double *dirs, int n, const char *const *labels)
{
  g_return_if_fail (plot != NULL && (n == 0 || dirs != NULL));
  g_array_append_vals (plot->markers, dirs, 2 * (guint) n);
  for (int i = 0; i < n; i++)
    g_ptr_array_add (plot->marker_labels, g_strdup (labels != NULL ? labels[i] : NULL));
}

static void
ensure_cache (AlMapComparePlot *plot)
{
  if (plot->db != NULL)
    return;
  plot->display = al_grid_fibonacci (DISPLAY_GRID);
  plot->db = g_ptr_array_new_with_free_func (g_free);
  const int J = plot->display->n;
  double ref_max = 0;
  for (guint i = 0; i < plot->maps->len; i++)
    {
      double *v = g_new (double, J);
      al_power_map_evaluate (g_ptr_array_index (plot->maps, i), plot->display->dirs, J, v);
      if (i == 0)
        for (int j = 0; j < J; j++)
          ref_max = MAX (ref_max, v[j]);
      g_ptr_array_add (plot->db, v);
    }
  /* dB re the reference's maximum, clamped to the colour scale (an
   * encoder's over-estimate shows as the top colour). */
  double floor_p = ref_max > 0 ? ref_max * pow (10.0, -plot->range_db / 10.0) : 1e-300;
  for (guint i = 0; i < plot->db->len; i++)
    {
      double *v = g_ptr_array_index (plot->db, i);
      for (int j = 0; j < J; j++)
        v[j] = CLAMP (10.0 * log10 (MAX (v[j], floor_p) / MAX (ref_max, 1e-300)), -plot->range_db, 0.0);
    }
}

static char *
panel_title (const AlMapComparePlot *plot, guint i)
{
  const char *label = g_ptr_array_index (plot->labels, i);
  double spme;
  if (i > 0 && al_spme (g_ptr_array_index (plot->maps, i), g_ptr_array_index (plot->maps, 0), &spme, NULL))
    return g_strdup_printf ("%s  (SPME %s%.1f dB)", label, spme < 0 ? "\u2212" : "", fabs (spme));
  return g_strdup (label);
}

void
al_map_compare_plot_draw (AlMapComparePlot *plot, cairo_t *cr, double width, double height,
                          const AlPlotStyle *style)
{
  g_return_if_fail (plot != NULL && cr != NULL);
  ensure_cache (plot);
  const double pt = al_plot_units_per_point (cr);
  gboolean dark = style != NULL && style->dark;
  double scale = style != NULL && style->font_scale > 0 && isfinite (style->font_scale) ? style->font_scale : 1.0;
  AlRgb bg = dark ? (AlRgb) { 0.118, 0.118, 0.125 } : (AlRgb) { 1, 1, 1 };
  AlRgb text = dark ? (AlRgb) { 0.91, 0.91, 0.91 } : (AlRgb) { 0.10, 0.10, 0.10 };

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_set_source_rgb (cr, bg.r, bg.g, bg.b);
  cairo_fill (cr);

  double top = 0;
  if (plot->title != NULL && plot->title[0] != '\0')
    {
      PangoLayout *layout = al_figure_layout (cr, 12.0 * scale * pt, PANGO_WEIGHT_BOLD);
      pango_layout_set_width (layout, (int) ((width - 2 * PAD * pt) * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      double tw, th;
      al_figure_text_size (layout, plot->title, &tw, &th);
      cairo_set_source_rgb (cr, text.r, text.g, text.b);
      al_figure_text_draw (cr, layout, plot->title, width / 2, PAD * pt, 0.5, 0.0, 0.0);
      top = PAD * pt + th;
      g_object_unref (layout);
    }

  int n = (int) plot->maps->len;
  int cols = plot->columns > 0 ? MIN (plot->columns, n) : MIN (n, 3);
  int rows = (n + cols - 1) / cols;
  double pw = width / cols, ph = (height - top) / rows;
  const char *const *mlabels = (const char *const *) plot->marker_labels->pdata;
  for (int i = 0; i < n; i++)
    {
      g_autofree char *title = panel_title (plot, (guint) i);
      g_autoptr (AlSphereMap) map = al_sphere_map_new (title, "dB", plot->display->dirs,
                                                       g_ptr_array_index (plot->db, i), plot->display->n);
      al_sphere_map_set_projection (map, AL_PROJECTION_HAMMER);
      al_sphere_map_set_range (map, -plot->range_db, 0.0);
      if (plot->markers->len > 0)
        al_sphere_map_add_markers (map, (const double *) plot->markers->data, (int) plot->markers->len / 2,
                                   mlabels);
      cairo_save (cr);
      cairo_translate (cr, (i % cols) * pw, top + (i / cols) * ph);
      cairo_rectangle (cr, 0, 0, pw, ph);
      cairo_clip (cr);
      al_sphere_map_draw (map, cr, pw, ph, style);
      cairo_restore (cr);
    }
  cairo_restore (cr);
}

static void
draw_cb (gpointer object, cairo_t *cr, double width, double height, const AlPlotStyle *style)
{
  al_map_compare_plot_draw (object, cr, width, height, style);
}

gboolean
al_map_compare_plot_export (AlMapComparePlot *plot, const char *path, double width, double height, double dpi,
                            GError **error)
{
  g_return_val_if_fail (plot != NULL, FALSE);
  return al_plot_export (path, width, height, dpi, draw_cb, plot, NULL, error);
}
