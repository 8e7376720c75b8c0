/* al-map-track-plot.c — figures of power maps over time: one frame as a
 * sphere map with its DOA markers, and the DOA tracks as azimuth and
 * elevation over time (two AlCurvePlots stacked, one colour per track).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-map-track.h"
#include "al-metrics-private.h"

#include <math.h>

#define DEFAULT_RANGE_DB 20.0
/* Legends with more entries go outside the axes (al-curve-plot.c); then
 * both panels get one so their time axes stay aligned. */
#define LEGEND_INSIDE_MAX 6

static const char *
method_label (AlMapMethod method)
{
  switch (method)
    {
    case AL_MAP_PWD:
      return "PWD";
    case AL_MAP_MVDR:
      return "MVDR";
    case AL_MAP_MUSIC:
      return "MUSIC";
    case AL_MAP_INTENSITY:
      return "Intensity";
    case AL_MAP_SH:
    default:
      return "SH power";
    }
}

AlSphereMap *
al_map_track_sphere_map (const AlMapTrack *mt, int frame, double range_db)
{
  g_return_val_if_fail (mt != NULL && frame >= 0 && frame < mt->nframes, NULL);
  if (!(range_db > 0))
    range_db = DEFAULT_RANGE_DB;
  const float *row = al_map_track_frame (mt, frame);
  g_autofree double *db = g_new (double, mt->ndirs);
  /* dB re the loudest value of the whole recording: one colour scale for every frame. */
  double ref = mt->power_max > 0 ? mt->power_max : 1.0;
  double floor = ref * pow (10.0, -(range_db + 10) / 10.0);
  for (int j = 0; j < mt->ndirs; j++)
    db[j] = 10 * log10 (MAX ((double) row[j], floor) / ref);
  g_autofree char *title = g_strdup_printf ("%s, t = %.2f s%s", method_label (mt->method), mt->times[frame],
                                            mt->active[frame] ? "" : " (quiet)");
  AlSphereMap *map = al_sphere_map_new (title, "dB", mt->dirs, db, mt->ndirs);
  al_sphere_map_set_projection (map, AL_PROJECTION_HAMMER);
  al_sphere_map_set_range (map, -range_db, 0);
  int K = mt->max_peaks;
  for (int k = 0; k < mt->npeaks[frame]; k++)
    {
      const AlDoa *p = &mt->peaks[(gsize) frame * K + k];
      int id = mt->track_of[(gsize) frame * K + k];
      double d[2] = { p->azimuth, p->elevation };
      g_autofree char *label = id > 0 ? g_strdup_printf ("T%d", id) : g_strdup ("·");
      const char *labels[1] = { label };
      al_sphere_map_add_markers (map, d, 1, labels);
    }
  if (mt->has_intensity && isfinite (mt->intensity[frame].azimuth))
    {
      double d[2] = { mt->intensity[frame].azimuth, mt->intensity[frame].elevation };
      /* Beside a peak's marker the labels would run into each other ("IT1"). */
      gboolean near = FALSE;
      for (int k = 0; k < mt->npeaks[frame] && !near; k++)
        near = al_angle_between (d[0], d[1], mt->peaks[(gsize) frame * K + k].azimuth,
                                 mt->peaks[(gsize) frame * K + k].elevation) < AL_DEG2RAD (8.0);
      const char *labels[1] = { near ? NULL : "I" };
      al_sphere_map_add_markers (map, d, 1, labels);
    }
  return map;
}

struct AlDoaTrackPlot {
  AlCurvePlot *az, *el;
  int intensity_series;  /* index in both plots, -1 when none */
  double cursor;
  double split;          /* y of the border between the panels in the last draw */
  double dx[2];          /* indent of each panel in the last draw (aligns the time axes) */
  gboolean drawn;
};

/* Appends (t, v) to the arrays, with a NaN point before it where the
 * line must break: a missed frame, or an azimuth jump across ±180°. */
static void
append_point (GArray *t, GArray *v, double time, double value, gboolean brk)
{
  if (brk && t->len > 0)
    {
      double nan = NAN;
      g_array_append_val (t, time);
      g_array_append_val (v, nan);
    }
  g_array_append_val (t, time);
  g_array_append_val (v, value);
}

static void
add_series (AlDoaTrackPlot *plot, const char *label, gboolean both_labels, GArray *t, GArray *az, GArray *tel,
            GArray *el)
{
  al_curve_plot_add (plot->az, label, (double *) t->data, (double *) az->data, (int) t->len);
  al_curve_plot_add (plot->el, both_labels ? label : NULL, (double *) tel->data, (double *) el->data,
                     (int) tel->len);
}

AlDoaTrackPlot *
al_doa_track_plot_new (const AlMapTrack *mt, const char *title)
{
  g_return_val_if_fail (mt != NULL, NULL);
  AlDoaTrackPlot *plot = g_new0 (AlDoaTrackPlot, 1);
  g_autofree char *full = title != NULL ? g_strdup (title)
                                         : g_strdup_printf ("DOA tracks (%s)", method_label (mt->method));
  plot->az = al_curve_plot_new (full, NULL, "Azimuth (°)");
  plot->el = al_curve_plot_new (NULL, "Time (s)", "Elevation (°)");
  plot->cursor = NAN;
  plot->intensity_series = -1;
  double t_end = mt->nframes > 0 ? mt->times[mt->nframes - 1] : 1.0;
  double t_lo = 0, t_hi = MAX (t_end + 0.5 * mt->frame_len / mt->fs, 1e-3);
  al_curve_plot_set_log_x (plot->az, FALSE);
  al_curve_plot_set_log_x (plot->el, FALSE);
  al_curve_plot_set_x_range (plot->az, t_lo, t_hi);
  al_curve_plot_set_x_range (plot->el, t_lo, t_hi);
  al_curve_plot_set_y_range (plot->az, -180, 180);
  al_curve_plot_set_y_range (plot->el, -90, 90);
  gboolean both = mt->ntracks + (mt->has_intensity ? 1 : 0) > LEGEND_INSIDE_MAX;

  g_autoptr (GArray) t = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) az = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) tel = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) el = g_array_new (FALSE, FALSE, sizeof (double));
  for (int i = 0; i < mt->ntracks; i++)
    {
      const AlDoaTrack *tr = &mt->tracks[i];
      g_array_set_size (t, 0);
      g_array_set_size (az, 0);
      g_array_set_size (tel, 0);
      g_array_set_size (el, 0);
      int prev = -1;
      double prev_az = 0;
      for (int f = tr->first; f <= tr->last; f++)
        {
          AlDoa d;
          if (!al_map_track_point (mt, tr->id, f, &d))
            continue;
          double a = AL_RAD2DEG (remainder (d.azimuth, 2 * G_PI)), e = AL_RAD2DEG (d.elevation);
          gboolean gap = prev >= 0 && f != prev + 1;
          append_point (t, az, mt->times[f], a, gap || (prev >= 0 && fabs (a - prev_az) > 180));
          append_point (tel, el, mt->times[f], e, gap);
          prev = f;
          prev_az = a;
        }
      g_autofree char *label = g_strdup_printf ("T%d", tr->id);
      add_series (plot, label, both, t, az, tel, el);
    }
  if (mt->has_intensity)
    {
      g_array_set_size (t, 0);
      g_array_set_size (az, 0);
      g_array_set_size (tel, 0);
      g_array_set_size (el, 0);
      int prev = -1;
      double prev_az = 0;
      for (int f = 0; f < mt->nframes; f++)
        {
          const AlDoa *d = &mt->intensity[f];
          if (!isfinite (d->azimuth))
            continue;
          double a = AL_RAD2DEG (remainder (d->azimuth, 2 * G_PI)), e = AL_RAD2DEG (d->elevation);
          gboolean gap = prev >= 0 && f != prev + 1;
          append_point (t, az, mt->times[f], a, gap || (prev >= 0 && fabs (a - prev_az) > 180));
          append_point (tel, el, mt->times[f], e, gap);
          prev = f;
          prev_az = a;
        }
      if (t->len > 0)
        {
          plot->intensity_series = al_curve_plot_n_series (plot->az);
          add_series (plot, "intensity", both, t, az, tel, el);
        }
    }
  return plot;
}

void
al_doa_track_plot_free (AlDoaTrackPlot *plot)
{
  if (plot == NULL)
    return;
  al_curve_plot_free (plot->az);
  al_curve_plot_free (plot->el);
  g_free (plot);
}

void
al_doa_track_plot_set_cursor (AlDoaTrackPlot *plot, double time_s)
{
  g_return_if_fail (plot != NULL);
  plot->cursor = time_s;
}

void
al_doa_track_plot_set_show_intensity (AlDoaTrackPlot *plot, gboolean show)
{
  g_return_if_fail (plot != NULL);
  if (plot->intensity_series < 0)
    return;
  al_curve_plot_set_visible (plot->az, plot->intensity_series, show);
  al_curve_plot_set_visible (plot->el, plot->intensity_series, show);
}

static void
draw_cursor (AlCurvePlot *curve, cairo_t *cr, double time_s, double ylo, double yhi, const AlPlotStyle *style)
{
  double x0, y0, x1, y1;
  if (!isfinite (time_s) || !al_curve_plot_to_pixel (curve, time_s, ylo, &x0, &y0)
      || !al_curve_plot_to_pixel (curve, time_s, yhi, &x1, &y1))
    return;
  double ax, ay, aw, ah;
  if (al_curve_plot_get_area (curve, &ax, &ay, &aw, &ah) && (x0 < ax || x0 > ax + aw))
    return;
  gboolean dark = style != NULL && style->dark;
  cairo_save (cr);
  cairo_set_source_rgba (cr, dark ? 1 : 0.8, dark ? 1 : 0.1, dark ? 1 : 0.1, 0.8);
  cairo_set_line_width (cr, 1.5 * al_plot_units_per_point (cr));
  cairo_move_to (cr, x0, y0);
  cairo_line_to (cr, x1, y1);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
draw_panels (AlDoaTrackPlot *plot, cairo_t *cr, double width, double height, const AlPlotStyle *style)
{
  cairo_save (cr);
  cairo_translate (cr, plot->dx[0], 0);
  al_curve_plot_draw (plot->az, cr, width - plot->dx[0], plot->split, style);
  draw_cursor (plot->az, cr, plot->cursor, -180, 180, style);
  cairo_restore (cr);
  cairo_save (cr);
  cairo_translate (cr, plot->dx[1], plot->split);
  al_curve_plot_draw (plot->el, cr, width - plot->dx[1], height - plot->split, style);
  draw_cursor (plot->el, cr, plot->cursor, -90, 90, style);
  cairo_restore (cr);
}

void
al_doa_track_plot_draw (AlDoaTrackPlot *plot, cairo_t *cr, double width, double height, const AlPlotStyle *style)
{
  g_return_if_fail (plot != NULL && cr != NULL);
  /* The azimuth panel also holds the title, so it gets a little more height. */
  plot->split = floor (0.53 * height);
  /* Tick labels of different widths ("−100", "−50") shift the axes; a
   * trial draw into a discarded group measures them, so the two time axes
   * can be lined up by indenting the panel with the narrower labels. */
  plot->dx[0] = plot->dx[1] = 0;
  cairo_push_group (cr);
  draw_panels (plot, cr, width, height, style);
  cairo_pattern_destroy (cairo_pop_group (cr));
  double ax[2], ay, aw, ah;
  if (al_curve_plot_get_area (plot->az, &ax[0], &ay, &aw, &ah)
      && al_curve_plot_get_area (plot->el, &ax[1], &ay, &aw, &ah))
    {
      double d = ax[0] - ax[1];
      plot->dx[d > 0 ? 1 : 0] = fabs (d);
    }
  draw_panels (plot, cr, width, height, style);
  plot->drawn = TRUE;
}

gboolean
al_doa_track_plot_to_time (const AlDoaTrackPlot *plot, double px, double py, double *time_s)
{
  g_return_val_if_fail (plot != NULL, FALSE);
  if (!plot->drawn)
    return FALSE;
  int panel = py < plot->split ? 0 : 1;
  AlCurvePlot *curve = panel == 0 ? plot->az : plot->el;
  double x = px - plot->dx[panel], y = panel == 0 ? py : py - plot->split;
  double ax, ay, aw, ah, t, v;
  if (!al_curve_plot_get_area (curve, &ax, &ay, &aw, &ah) || x < ax || x > ax + aw || y < ay || y > ay + ah
      || !al_curve_plot_to_data (curve, x, y, &t, &v))
    return FALSE;
  if (time_s != NULL)
    *time_s = t;
  return TRUE;
}

static void
draw_func (gpointer object, cairo_t *cr, double width, double height, const AlPlotStyle *style)
{
  al_doa_track_plot_draw (object, cr, width, height, style);
}

gboolean
al_doa_track_plot_export (AlDoaTrackPlot *plot, const char *path, double width, double height, double dpi,
                          GError **error)
{
  g_return_val_if_fail (plot != NULL && path != NULL, FALSE);
  AlPlotStyle style = { FALSE, 1.0 };
  return al_plot_export (path, width, height, dpi, draw_func, plot, &style, error);
}
