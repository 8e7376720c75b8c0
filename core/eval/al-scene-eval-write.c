/* al-scene-eval-write.c — a scene evaluation as files: metrics.json, the
 * per-frequency CSVs, a Table-1-style table (Markdown and figure) and the
 * figures (per-channel coherence, magnitude error, power maps), PNG + PDF.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-metrics-private.h"
#include "al-scene-eval.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

char *
al_scene_eval_file_name (const char *encoder_name)
{
  GString *s = g_string_new (NULL);
  for (const char *p = encoder_name; p != NULL && *p != '\0'; p++)
    g_string_append_c (s, g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == '.' ? *p : '_');
  if (s->len == 0 || s->str[0] == '.')
    g_string_prepend_c (s, '_');
  return g_string_free (s, FALSE);
}

static void
add_number (JsonBuilder *b, const char *name, double v)
{
  if (name != NULL)
    json_builder_set_member_name (b, name);
  if (isfinite (v))
    json_builder_add_double_value (b, v);
  else
    json_builder_add_null_value (b); /* undefined, not 0 */
}

static void
add_stat (JsonBuilder *b, const char *name, const AlStat *st)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  add_number (b, "mean", st->mean);
  add_number (b, "ci95", st->ci95);
  json_builder_set_member_name (b, "n");
  json_builder_add_int_value (b, st->n);
  json_builder_end_object (b);
}

static gboolean
write_metrics_json (const AlSceneEval *ev, const char *dir, GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *spec = al_scene_set_to_string (&ev->set);
  const AlSpectralMetric *shape = ev->encoders[0].coherence;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "scenes");
  json_builder_add_string_value (b, spec);
  json_builder_set_member_name (b, "scene_count");
  json_builder_add_int_value (b, ev->nscenes);
  add_number (b, "sample_rate", ev->fs);
  json_builder_set_member_name (b, "truth_order");
  json_builder_add_int_value (b, ev->order);
  json_builder_set_member_name (b, "truth_normalisation");
  json_builder_add_string_value (b, al_sh_norm_name (ev->truth_norm));
  json_builder_set_member_name (b, "band_hz");
  json_builder_begin_array (b);
  add_number (b, NULL, shape->band_lo);
  add_number (b, NULL, shape->band_hi);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "stft");
  json_builder_begin_array (b);
  json_builder_add_int_value (b, shape->frame);
  json_builder_add_int_value (b, shape->hop);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "map_method");
  json_builder_add_string_value (b, al_map_method_name (ev->options.map_method));
  json_builder_set_member_name (b, "doa_method");
  json_builder_add_string_value (b, al_map_method_name (ev->options.doa_method));
  json_builder_set_member_name (b, "map_grid_directions");
  json_builder_add_int_value (b, ev->options.map_grid);
  add_stat (b, "truth_localisation_error_deg", &ev->truth_localisation);
  add_number (b, "seconds", ev->seconds);

  json_builder_set_member_name (b, "encoders");
  json_builder_begin_array (b);
  for (int e = 0; e < ev->nencoders; e++)
    {
      const AlSceneEncoderResult *r = &ev->encoders[e];
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, r->name);
      json_builder_set_member_name (b, "order");
      json_builder_add_int_value (b, r->order);
      json_builder_set_member_name (b, "latency_samples");
      json_builder_add_int_value (b, r->latency);
      for (int m = 0; m < AL_SCENE_N_METRICS; m++)
        add_stat (b, al_scene_metric_key (m), &r->stats[m]);
      json_builder_set_member_name (b, "per_scene");
      json_builder_begin_object (b);
      for (int m = 0; m < AL_SCENE_N_METRICS; m++)
        {
          json_builder_set_member_name (b, al_scene_metric_key (m));
          json_builder_begin_array (b);
          for (int s = 0; s < ev->nscenes; s++)
            add_number (b, NULL, r->values[(gsize) s * AL_SCENE_N_METRICS + m]);
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "scene_list");
  json_builder_begin_array (b);
  for (int s = 0; s < ev->nscenes; s++)
    {
      const AlSceneInfo *in = &ev->scenes[s];
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "seed");
      json_builder_add_int_value (b, in->seed);
      json_builder_set_member_name (b, "room_m");
      json_builder_begin_array (b);
      for (int d = 0; d < 3; d++)
        add_number (b, NULL, in->room[d]);
      json_builder_end_array (b);
      add_number (b, "absorption", in->absorption);
      add_number (b, "rt60_s", in->rt60);
      add_number (b, "duration_s", in->duration);
      json_builder_set_member_name (b, "onset_samples");
      json_builder_add_int_value (b, in->onset);
      json_builder_set_member_name (b, "source_directions_deg");
      json_builder_begin_array (b);
      for (int k = 0; k < in->nsources; k++)
        {
          json_builder_begin_array (b);
          add_number (b, NULL, AL_RAD2DEG (in->source_dirs[2 * k]));
          add_number (b, NULL, AL_RAD2DEG (in->source_dirs[2 * k + 1]));
          json_builder_end_array (b);
        }
      json_builder_end_array (b);
      add_number (b, "truth_localisation_error_deg", in->truth_localisation);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autofree char *path = g_build_filename (dir, "metrics.json", NULL);
  return al_json_write (path, root, error);
}

static gboolean
write_curve_csv (const AlSpectralMetric *m, const char *dir, const char *stem, const char *encoder,
                 GError **error)
{
  g_autoptr (GString) s = g_string_new ("freq_hz");
  for (int c = 0; c < m->nch; c++)
    g_string_append_printf (s, ",acn_%d", c);
  g_string_append_c (s, '\n');
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  for (int k = 0; k < m->nbins; k++)
    {
      g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.4f", m->freqs[k]));
      for (int c = 0; c < m->nch; c++)
        {
          const double v = m->per_channel[(gsize) c * m->nbins + k];
          g_string_append_c (s, ',');
          g_string_append (s, isfinite (v) ? g_ascii_formatd (buf, sizeof buf, "%.9g", v) : "nan");
        }
      g_string_append_c (s, '\n');
    }
  g_autofree char *safe = al_scene_eval_file_name (encoder);
  g_autofree char *file = g_strdup_printf ("%s_%s.csv", stem, safe);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  return al_write_file_atomic (path, s->str, s->len, error);
}

/* "0.512 ± 0.013" with the metric's precision. */
static char *
format_stat (AlSceneMetric m, const AlStat *st, gboolean with_ci)
{
  const int digits = (m == AL_SCENE_COHERENCE || m == AL_SCENE_COHERENCE_OCTAVE || m == AL_SCENE_SPM_KL) ? 3 : 2;
  if (!isfinite (st->mean))
    return g_strdup ("–");
  if (!with_ci || !isfinite (st->ci95))
    return g_strdup_printf ("%.*f", digits, st->mean);
  return g_strdup_printf ("%.*f ± %.*f", digits, st->mean, digits, st->ci95);
}

/* Index of the best encoder in metric m (NaN means none). */
static int
best_encoder (const AlSceneEval *ev, AlSceneMetric m)
{
  int best = -1;
  for (int e = 0; e < ev->nencoders; e++)
    {
      const double v = ev->encoders[e].stats[m].mean;
      if (!isfinite (v))
        continue;
      if (best < 0 || (al_scene_metric_higher_is_better (m) ? v > ev->encoders[best].stats[m].mean
                                                            : v < ev->encoders[best].stats[m].mean))
        best = e;
    }
  return ev->nencoders > 1 ? best : -1;
}

static gboolean
write_table_md (const AlSceneEval *ev, const char *dir, GError **error)
{
  g_autoptr (GString) s = g_string_new ("| Encoder |");
  for (int m = 0; m < AL_SCENE_N_METRICS; m++)
    g_string_append_printf (s, " %s %s |", al_scene_metric_label (m), al_scene_metric_higher_is_better (m) ? "↑" : "↓");
  g_string_append (s, "\n|---|");
  for (int m = 0; m < AL_SCENE_N_METRICS; m++)
    g_string_append (s, "---:|");
  g_string_append_c (s, '\n');
  for (int e = 0; e < ev->nencoders; e++)
    {
      g_string_append_printf (s, "| %s |", ev->encoders[e].name);
      for (int m = 0; m < AL_SCENE_N_METRICS; m++)
        {
          g_autofree char *cell = format_stat (m, &ev->encoders[e].stats[m], TRUE);
          const gboolean best = best_encoder (ev, m) == e;
          g_string_append_printf (s, best ? " **%s** |" : " %s |", cell);
        }
      g_string_append_c (s, '\n');
    }
  g_autofree char *tl = format_stat (AL_SCENE_LOCALISATION, &ev->truth_localisation, TRUE);
  g_string_append_printf (s,
                          "\nMean ± 95 %% confidence interval (Student t) over %d scenes; best in bold. "
                          "Coherence, magnitude error and LSD over %.0f Hz – %.0f Hz; maps: %s on %d directions; "
                          "DOAs from %s peaks (the truth's own map: %s°).\n",
                          ev->nscenes, ev->encoders[0].coherence->band_lo, ev->encoders[0].coherence->band_hi,
                          al_map_method_name (ev->options.map_method), ev->options.map_grid,
                          al_map_method_name (ev->options.doa_method), tl);
  g_autofree char *path = g_build_filename (dir, "metrics_table.md", NULL);
  return al_write_file_atomic (path, s->str, s->len, error);
}

/* ---- The table as a figure ---- */
#define TABLE_FONT 9.0
#define TABLE_PAD 6.0

static void
table_cell_text (const AlSceneEval *ev, int row, int col, char **text)
{
  if (row == 0)
    *text = col == 0 ? g_strdup ("Encoder")
                     : g_strdup_printf ("%s %s", al_scene_metric_label (col - 1),
                                        al_scene_metric_higher_is_better (col - 1) ? "↑" : "↓");
  else if (col == 0)
    *text = g_strdup (ev->encoders[row - 1].name);
  else
    *text = format_stat (col - 1, &ev->encoders[row - 1].stats[col - 1], TRUE);
}

/* Column widths and the row height for a draw. */
static void
table_layout (const AlSceneEval *ev, cairo_t *cr, double *colw, double *rowh)
{
  g_autoptr (PangoLayout) bold = al_figure_layout (cr, TABLE_FONT, PANGO_WEIGHT_BOLD);
  *rowh = 0;
  for (int col = 0; col <= AL_SCENE_N_METRICS; col++)
    {
      colw[col] = 0;
      for (int row = 0; row <= ev->nencoders; row++)
        {
          g_autofree char *t = NULL;
          double w, h;
          table_cell_text (ev, row, col, &t);
          al_figure_text_size (bold, t, &w, &h);
          colw[col] = MAX (colw[col], w + 2 * TABLE_PAD);
          *rowh = MAX (*rowh, h + TABLE_PAD);
        }
    }
}

static void
table_draw (gpointer object, cairo_t *cr, double width, double height, const AlPlotStyle *style)
{
  const AlSceneEval *ev = object;
  double colw[AL_SCENE_N_METRICS + 1], rowh;
  table_layout (ev, cr, colw, &rowh);
  double total = 0;
  for (int col = 0; col <= AL_SCENE_N_METRICS; col++)
    total += colw[col];
  /* Shrink to fit when the names are long. */
  const double scale = MIN (1.0, (width - 16) / total);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_save (cr);
  cairo_translate (cr, (width - total * scale) / 2, 8);
  cairo_scale (cr, scale, scale);
  g_autoptr (PangoLayout) title = al_figure_layout (cr, TABLE_FONT + 2, PANGO_WEIGHT_BOLD);
  g_autoptr (PangoLayout) plain = al_figure_layout (cr, TABLE_FONT, PANGO_WEIGHT_NORMAL);
  g_autoptr (PangoLayout) bold = al_figure_layout (cr, TABLE_FONT, PANGO_WEIGHT_BOLD);
  g_autofree char *heading = g_strdup_printf ("Encoders on %d simulated scenes (mean ± 95 %% CI)", ev->nscenes);
  cairo_set_source_rgb (cr, 0, 0, 0);
  al_figure_text_draw (cr, title, heading, total / 2, 0, 0.5, 0, 0);
  double y = rowh + 8;
  for (int row = 0; row <= ev->nencoders; row++)
    {
      if (row % 2 == 0 && row > 0)
        {
          cairo_set_source_rgb (cr, 0.94, 0.94, 0.94);
          cairo_rectangle (cr, 0, y, total, rowh);
          cairo_fill (cr);
        }
      double x = 0;
      for (int col = 0; col <= AL_SCENE_N_METRICS; col++)
        {
          g_autofree char *t = NULL;
          table_cell_text (ev, row, col, &t);
          const gboolean strong = row == 0 || (row > 0 && col > 0 && best_encoder (ev, col - 1) == row - 1);
          cairo_set_source_rgb (cr, 0, 0, 0);
          if (col == 0)
            al_figure_text_draw (cr, strong ? bold : plain, t, x + TABLE_PAD, y + rowh / 2, 0, 0.5, 0);
          else
            al_figure_text_draw (cr, strong ? bold : plain, t, x + colw[col] - TABLE_PAD, y + rowh / 2, 1, 0.5, 0);
          x += colw[col];
        }
      y += rowh;
      if (row == 0)
        {
          cairo_set_line_width (cr, 0.8);
          cairo_move_to (cr, 0, y);
          cairo_line_to (cr, total, y);
          cairo_stroke (cr);
        }
    }
  cairo_set_line_width (cr, 0.8);
  cairo_move_to (cr, 0, rowh + 8);
  cairo_line_to (cr, total, rowh + 8);
  cairo_move_to (cr, 0, y);
  cairo_line_to (cr, total, y);
  cairo_stroke (cr);
  g_autoptr (PangoLayout) note = al_figure_layout (cr, TABLE_FONT - 1, PANGO_WEIGHT_NORMAL);
  g_autofree char *tl = format_stat (AL_SCENE_LOCALISATION, &ev->truth_localisation, TRUE);
  g_autofree char *foot = g_strdup_printf ("Best in bold. Maps: %s, %d directions; DOAs from %s peaks "
                                           "(ground truth's own map: %s°).",
                                           al_map_method_name (ev->options.map_method), ev->options.map_grid,
                                           al_map_method_name (ev->options.doa_method), tl);
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  al_figure_text_draw (cr, note, foot, 0, y + 4, 0, 0, 0);
  cairo_restore (cr);
}

static gboolean
export_table (const AlSceneEval *ev, const char *dir, GError **error)
{
  /* Natural size from a scratch surface, so the figure fits its table. */
  cairo_surface_t *scratch = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cairo_t *cr = cairo_create (scratch);
  double colw[AL_SCENE_N_METRICS + 1], rowh, total = 0;
  table_layout (ev, cr, colw, &rowh);
  cairo_destroy (cr);
  cairo_surface_destroy (scratch);
  for (int col = 0; col <= AL_SCENE_N_METRICS; col++)
    total += colw[col];
  const double w = ceil (total + 16), h = ceil ((ev->nencoders + 3.2) * rowh + 16);
  g_autofree char *png = g_build_filename (dir, "metrics_table.png", NULL);
  g_autofree char *pdf = g_build_filename (dir, "metrics_table.pdf", NULL);
  return al_plot_export (png, w, h, 0, table_draw, (gpointer) ev, NULL, error)
         && al_plot_export (pdf, w, h, 0, table_draw, (gpointer) ev, NULL, error);
}

/* ---- Figures ---- */

static gboolean
export_figures (const AlSceneEval *ev, const char *dir, GError **error)
{
  const AlSpectralMetric *first = ev->encoders[0].coherence;
  const double xlo = MAX (first->band_lo, first->freqs[1]), xhi = MIN (first->band_hi, 20000.0);
  g_autofree char *title = g_strdup_printf ("Coherence per SH channel, %d scenes", ev->nscenes);
  g_autoptr (AlChannelPlot) coh = al_channel_plot_new (title, "Frequency (Hz)", "Coherence");
  al_channel_plot_set_x_range (coh, xlo, xhi);
  al_channel_plot_set_y_range (coh, 0, 1.02);
  for (int e = 0; e < ev->nencoders; e++)
    al_channel_plot_add (coh, ev->encoders[e].name, ev->encoders[e].coherence);
  const double side = 170 * (ev->order + 1);
  g_autofree char *png = g_build_filename (dir, "coherence_per_channel.png", NULL);
  g_autofree char *pdf = g_build_filename (dir, "coherence_per_channel.pdf", NULL);
  if (!al_channel_plot_export (coh, png, side + 60, side + 40, 0, error)
      || !al_channel_plot_export (coh, pdf, side + 60, side + 40, 0, error))
    return FALSE;

  g_autofree char *mtitle = g_strdup_printf ("Magnitude error, mean over channels, %d scenes", ev->nscenes);
  g_autoptr (AlCurvePlot) mag = al_curve_plot_new (mtitle, "Frequency (Hz)", "Magnitude error (dB)");
  for (int e = 0; e < ev->nencoders; e++)
    {
      const AlSpectralMetric *m = ev->encoders[e].magnitude_error;
      al_curve_plot_add (mag, ev->encoders[e].name, m->freqs + 1, m->combined + 1, m->nbins - 1);
    }
  al_curve_plot_set_x_range (mag, xlo, xhi);
  g_autofree char *mpng = g_build_filename (dir, "magnitude_error.png", NULL);
  g_autofree char *mpdf = g_build_filename (dir, "magnitude_error.pdf", NULL);
  if (!al_curve_plot_export (mag, mpng, 480, 300, error) || !al_curve_plot_export (mag, mpdf, 480, 300, error))
    return FALSE;

  if (ev->truth_map == NULL)
    return TRUE;
  g_autofree char *ptitle = g_strdup_printf ("Spatial power maps (%s), scene 1 (seed %u)",
                                             al_map_method_name (ev->options.map_method), ev->scenes[0].seed);
  g_autoptr (AlMapComparePlot) maps = al_map_compare_plot_new (ptitle, ev->truth_map, "Ground truth");
  for (int e = 0; e < ev->nencoders; e++)
    if (ev->encoders[e].map != NULL)
      al_map_compare_plot_add (maps, ev->encoders[e].name, ev->encoders[e].map);
  const AlSceneInfo *s0 = &ev->scenes[0];
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  for (int k = 0; k < s0->nsources; k++)
    g_ptr_array_add (labels, g_strdup_printf ("S%d", k + 1));
  al_map_compare_plot_add_markers (maps, s0->source_dirs, s0->nsources, (const char *const *) labels->pdata);
  const int panels = ev->nencoders + 1, cols = MIN (panels, 3), rows = (panels + cols - 1) / cols;
  al_map_compare_plot_set_columns (maps, cols);
  g_autofree char *ppng = g_build_filename (dir, "power_maps.png", NULL);
  g_autofree char *ppdf = g_build_filename (dir, "power_maps.pdf", NULL);
  return al_map_compare_plot_export (maps, ppng, 250 * cols + 40, 125 * rows + 50, 0, error)
         && al_map_compare_plot_export (maps, ppdf, 250 * cols + 40, 125 * rows + 50, 0, error);
}

gboolean
al_scene_eval_write (const AlSceneEval *ev, const char *dir, GError **error)
{
  g_return_val_if_fail (ev != NULL && dir != NULL, FALSE);
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot create folder: %s", dir, g_strerror (errno));
      return FALSE;
    }
  if (!write_metrics_json (ev, dir, error) || !write_table_md (ev, dir, error))
    return FALSE;
  for (int e = 0; e < ev->nencoders; e++)
    if (!write_curve_csv (ev->encoders[e].coherence, dir, "coherence", ev->encoders[e].name, error)
        || !write_curve_csv (ev->encoders[e].magnitude_error, dir, "magnitude_error", ev->encoders[e].name, error))
      return FALSE;
  return export_table (ev, dir, error) && export_figures (ev, dir, error);
}
