/* al-encoder-eval-write.c — an encoder evaluation as files: metrics.json,
 * per-frequency CSVs and figures (PNG for screens, PDF for papers).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-eval.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>

#include "io/al-io.h"
#include "plot/al-plot.h"

/* A table with a frequency column and `ncols` value columns. */
static gboolean
write_freq_csv (const char *dir, const char *file, const AlEncoderEval *ev, const double *table, int ncols,
                const char *prefix, GError **error)
{
  g_autoptr (GString) s = g_string_new ("freq_hz");
  for (int j = 0; j < ncols; j++)
    g_string_append_printf (s, ",%s_%d", prefix, j);
  g_string_append_c (s, '\n');
  for (int b = 0; b < ev->nbins; b++)
    {
      g_string_append_printf (s, "%.4f", ev->freqs[b]);
      for (int j = 0; j < ncols; j++)
        g_string_append_printf (s, ",%.9g", table[(gsize) b * ncols + j]);
      g_string_append_c (s, '\n');
    }
  g_autofree char *path = g_build_filename (dir, file, NULL);
  return al_write_file_atomic (path, s->str, s->len, error);
}

static gboolean
write_dir_gain_csv (const char *dir, const AlEncoderEval *ev, GError **error)
{
  g_autoptr (GString) s = g_string_new ("azimuth_deg,elevation_deg,gain_db\n");
  for (int k = 0; k < ev->ndirs; k++)
    g_string_append_printf (s, "%.6f,%.6f,%.6g\n", AL_RAD2DEG (ev->dirs[2 * k]), AL_RAD2DEG (ev->dirs[2 * k + 1]),
                            ev->dir_gain[k]);
  g_autofree char *path = g_build_filename (dir, "directional_gain.csv", NULL);
  return al_write_file_atomic (path, s->str, s->len, error);
}

/* Curves of one table column group over frequency, from the first non-zero bin. */
static AlCurvePlot *
freq_plot (const AlEncoderEval *ev, const char *title, const char *ylabel, const double *table, int ncols,
           const char *label_fmt)
{
  AlCurvePlot *plot = al_curve_plot_new (title, "Frequency (Hz)", ylabel);
  int n = ev->nbins - 1;
  g_autofree double *y = g_new (double, n);
  for (int j = 0; j < ncols; j++)
    {
      for (int b = 1; b <= n; b++)
        y[b - 1] = table[(gsize) b * ncols + j];
      g_autofree char *label = g_strdup_printf (label_fmt, j);
      al_curve_plot_add (plot, label, ev->freqs + 1, y, n);
    }
  al_curve_plot_set_x_range (plot, MAX (20.0, ev->freqs[1]), MIN (20000.0, ev->freqs[ev->nbins - 1]));
  return plot;
}

static gboolean
export_both (AlCurvePlot *plot, const char *dir, const char *stem, GError **error)
{
  g_autofree char *png = g_strdup_printf ("%s/%s.png", dir, stem);
  g_autofree char *pdf = g_strdup_printf ("%s/%s.pdf", dir, stem);
  return al_curve_plot_export (plot, png, 480, 300, error) && al_curve_plot_export (plot, pdf, 480, 300, error);
}

static void
add_double_array (JsonBuilder *b, const char *name, const double *v, int n)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (int i = 0; i < n; i++)
    if (isfinite (v[i]))
      json_builder_add_double_value (b, v[i]);
    else
      json_builder_add_null_value (b); /* "never" or "undefined", not 0 */
  json_builder_end_array (b);
}

/* Highest frequency in the band below which ρ_n stays >= thr from band_lo. */
static double
corr_holds_up_to (const AlEncoderEval *ev, int n, double thr)
{
  double last = NAN;
  for (int b = 0; b < ev->nbins; b++)
    {
      if (ev->freqs[b] < ev->band_lo)
        continue;
      if (ev->freqs[b] > ev->band_hi || ev->spatial_corr[(gsize) b * (ev->order + 1) + n] < thr)
        break;
      last = ev->freqs[b];
    }
  return last;
}

static gboolean
write_metrics_json (const AlEncoderEval *ev, const AlEncoder *enc, const char *dir, GError **error)
{
  const int N = ev->order;
  g_autofree double *corr = g_new (double, N + 1);
  g_autofree double *level = g_new (double, N + 1);
  g_autofree double *holds = g_new (double, N + 1);
  for (int n = 0; n <= N; n++)
    {
      corr[n] = al_encoder_eval_mean_corr (ev, n);
      level[n] = al_encoder_eval_mean_level (ev, n);
      holds[n] = corr_holds_up_to (ev, n, 0.9);
    }
  double max_amp = -INFINITY;
  for (int b = 0; b < ev->nbins; b++)
    if (ev->freqs[b] >= ev->band_lo && ev->freqs[b] <= ev->band_hi)
      max_amp = MAX (max_amp, ev->max_amp[b]);

  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "encoder");
  json_builder_add_string_value (b, enc->name ? enc->name : "");
  json_builder_set_member_name (b, "method");
  json_builder_add_string_value (b, al_design_method_name (enc->params.method));
  json_builder_set_member_name (b, "order");
  json_builder_add_int_value (b, N);
  json_builder_set_member_name (b, "max_gain_db");
  json_builder_add_double_value (b, enc->params.max_gain_db);
  json_builder_set_member_name (b, "diffuse_eq_hz");
  json_builder_add_double_value (b, enc->diffuse_eq_hz);
  double band[2] = { ev->band_lo, ev->band_hi };
  add_double_array (b, "band_hz", band, 2);
  add_double_array (b, "spatial_correlation_mean", corr, N + 1);
  add_double_array (b, "level_difference_mean_db", level, N + 1);
  add_double_array (b, "correlation_above_0.9_up_to_hz", holds, N + 1);
  json_builder_set_member_name (b, "directional_gain_consistency_db");
  json_builder_add_double_value (b, ev->dgc);
  json_builder_set_member_name (b, "max_amplification_db");
  if (isfinite (max_amp))
    json_builder_add_double_value (b, max_amp);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "latency_samples");
  json_builder_add_int_value (b, enc->latency);
  json_builder_set_member_name (b, "grid_directions");
  json_builder_add_int_value (b, ev->ndirs);
  json_builder_end_object (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autofree char *path = g_build_filename (dir, "metrics.json", NULL);
  return al_json_write (path, root, error);
}

gboolean
al_encoder_eval_write (const AlEncoderEval *ev, const AlEncoder *enc, const char *dir, GError **error)
{
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot create folder: %s", dir, g_strerror (errno));
      return FALSE;
    }
  const int N = ev->order;
  if (!write_metrics_json (ev, enc, dir, error)
      || !write_freq_csv (dir, "spatial_correlation.csv", ev, ev->spatial_corr, N + 1, "order", error)
      || !write_freq_csv (dir, "level_difference.csv", ev, ev->level_diff, N + 1, "order", error)
      || !write_freq_csv (dir, "wng.csv", ev, ev->wng, ev->nsh, "acn", error)
      || !write_dir_gain_csv (dir, ev, error))
    return FALSE;

  g_autoptr (AlCurvePlot) corr = freq_plot (ev, "Spatial correlation", "ρ", ev->spatial_corr, N + 1, "order %d");
  al_curve_plot_set_y_range (corr, 0, 1.05);
  g_autoptr (AlCurvePlot) level = freq_plot (ev, "Level difference", "Level (dB)", ev->level_diff, N + 1, "order %d");
  g_autoptr (AlCurvePlot) wng = freq_plot (ev, "White-noise gain", "Gain (dB, N3D)", ev->wng, ev->nsh, "ACN %d");
  if (!export_both (corr, dir, "spatial_correlation", error) || !export_both (level, dir, "level_difference", error)
      || !export_both (wng, dir, "wng", error))
    return FALSE;

  g_autofree char *title = g_strdup_printf ("Directional gain, %.0f Hz – %.0f kHz (DGC %.2f dB)", ev->band_lo,
                                            ev->band_hi / 1000, ev->dgc);
  g_autoptr (AlSphereMap) map = al_sphere_map_new (title, "dB", ev->dirs, ev->dir_gain, ev->ndirs);
  al_sphere_map_set_projection (map, AL_PROJECTION_HAMMER);
  g_autofree char *png = g_build_filename (dir, "directional_gain.png", NULL);
  g_autofree char *pdf = g_build_filename (dir, "directional_gain.pdf", NULL);
  return al_sphere_map_export (map, png, 480, 300, error) && al_sphere_map_export (map, pdf, 480, 300, error);
}
