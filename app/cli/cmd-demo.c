/* cmd-demo.c — `ambilab-cli demo`: the main job, headless, on the bundled
 * 5-mic glasses array: simulate its ATFs, design two encoders, evaluate
 * both, and write figures and a short summary.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "al-cli.h"
#include "io/al-io.h"
#include "plot/al-plot.h"

/* The loudspeaker 2 m away: 280 samples at 48 kHz, as a measurement would carry. */
#define DEMO_DELAY 280

static gboolean
compare_figure (const char *dir, const char *stem, const char *title, const char *ylabel,
                AlEncoderEval *const *evs, const char *const *names, int count, gboolean corr, GError **error)
{
  g_autoptr (AlCurvePlot) plot = al_curve_plot_new (title, "Frequency (Hz)", ylabel);
  for (int e = 0; e < count; e++)
    {
      const AlEncoderEval *ev = evs[e];
      const double *table = corr ? ev->spatial_corr : ev->level_diff;
      g_autofree double *y = g_new (double, ev->nbins);
      for (int n = 0; n <= ev->order; n++)
        {
          for (int b = 0; b < ev->nbins; b++)
            y[b] = table[(gsize) b * (ev->order + 1) + n];
          g_autofree char *label = g_strdup_printf ("%s, order %d", names[e], n);
          al_curve_plot_add (plot, label, ev->freqs + 1, y + 1, ev->nbins - 1);
        }
    }
  al_curve_plot_set_x_range (plot, 50, MIN (20000.0, evs[0]->freqs[evs[0]->nbins - 1]));
  if (corr)
    al_curve_plot_set_y_range (plot, 0, 1.05);
  g_autofree char *png = g_strdup_printf ("%s/%s.png", dir, stem);
  g_autofree char *pdf = g_strdup_printf ("%s/%s.pdf", dir, stem);
  return al_curve_plot_export (plot, png, 520, 320, error) && al_curve_plot_export (plot, pdf, 520, 320, error);
}

int
al_cli_demo (int argc, char **argv, GError **error)
{
  g_autofree char *out = NULL;
  gboolean overwrite = FALSE;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Folder for the results", "DIR" },
    { "overwrite", 0, 0, G_OPTION_ARG_NONE, &overwrite, "Replace the results of an earlier demo in DIR", NULL },
    { NULL }
  };
  if (!al_cli_parse ("demo", NULL,
                     "Simulates the 5-mic glasses array, designs encoders with 10 dB and 20 dB gain limits "
                     "(diffuse-field EQ), evaluates both and writes figures and a summary.",
                     entries, &argc, &argv, error)
      || !al_cli_require (out, "-o DIR", error))
    return 1;
  g_autofree char *earlier = g_build_filename (out, "summary.txt", NULL);
  if (!al_cli_check_overwrite (earlier, overwrite, error))
    return 1;
  if (g_mkdir_with_parents (out, 0755) != 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot create folder: %s", out, g_strerror (errno));
      return 1;
    }

  g_autoptr (AlArrayModel) model = al_array_model_preset ("glasses5", error);
  g_autoptr (AlGrid) grid = al_grid_fibonacci (2048);
  if (model == NULL)
    return 1;
  AlProgress progress = al_cli_progress ("simulating");
  g_autoptr (AlAtfSet) set = al_array_model_simulate (model, grid, 48000, 1024, DEMO_DELAY, &progress, error);
  al_cli_progress_done ();
  if (set == NULL)
    return 1;
  g_autofree char *sofa = g_build_filename (out, "glasses5.sofa", NULL);
  AlSofaMeta meta = { .title = "Ambilab demo: 5-mic glasses on a rigid sphere", .comment = set->source };
  if (!al_sofa_write (sofa, set, &meta, error))
    return 1;
  printf ("%s: %d directions × %d mics (rigid-sphere model, source 2 m away)\n", sofa, set->ndirs, set->nmics);

  const double gains[] = { 10, 20 };
  const char *names[] = { "10 dB", "20 dB" };
  AlEncoderEval *evs[2] = { NULL, NULL };
  AlEncoder *encs[2] = { NULL, NULL };
  gboolean ok = TRUE;
  for (int i = 0; i < 2 && ok; i++)
    {
      AlDesignParams params;
      al_design_params_init (&params);
      params.order = 1;
      params.max_gain_db = gains[i];
      params.diffuse_eq = TRUE;
      params.fir_length = 2048; /* a 20 dB low-frequency inverse rings longer than 1024 taps */
      g_autofree char *json = g_strdup_printf ("%s/glasses5-%gdb.json", out, gains[i]);
      g_autofree char *dir = g_strdup_printf ("%s/eval-%gdb", out, gains[i]);
      ok = al_cli_design_and_save (set, &params, json, &encs[i], error)
           && al_cli_evaluate_and_write (encs[i], set, dir, 0, 0, &evs[i], error);
    }
  ok = ok && compare_figure (out, "spatial_correlation", "Spatial correlation, glasses5, order 1 designs", "ρ",
                             evs, names, 2, TRUE, error)
       && compare_figure (out, "level_difference", "Level difference, glasses5, order 1 designs", "Level (dB)",
                          evs, names, 2, FALSE, error);
  if (ok)
    {
      g_autoptr (GString) s = g_string_new ("Ambilab demo: 5-mic glasses array (rigid sphere, r = 8.75 cm), order 1\n");
      g_string_append_printf (s, "ATFs: %s (%d directions, source 2 m away)\n\n", sofa, set->ndirs);
      g_string_append_printf (s, "%-8s %10s %10s %10s %10s %9s %9s\n", "limit", "ρ0 mean", "ρ1 mean", "L0 (dB)",
                              "L1 (dB)", "DGC (dB)", "max amp");
      for (int i = 0; i < 2; i++)
        g_string_append_printf (s, "%-8s %10.3f %10.3f %+10.2f %+10.2f %9.2f %8.1f\n", names[i],
                                al_encoder_eval_mean_corr (evs[i], 0), al_encoder_eval_mean_corr (evs[i], 1),
                                al_encoder_eval_mean_level (evs[i], 0), al_encoder_eval_mean_level (evs[i], 1),
                                evs[i]->dgc, encs[i]->max_amp_db);
      g_string_append_printf (s, "\nMeans over %.0f Hz – %.0f kHz. Figures: spatial_correlation.png, level_difference.png;"
                                 " per design: eval-*/ (metrics.json, CSVs, figures).\n",
                              evs[0]->band_lo, evs[0]->band_hi / 1000);
      g_autofree char *summary = g_build_filename (out, "summary.txt", NULL);
      ok = al_write_file_atomic (summary, s->str, s->len, error);
      if (ok)
        printf ("\n%s\nResults in %s/\n", s->str, out);
    }
  for (int i = 0; i < 2; i++)
    {
      al_encoder_eval_free (evs[i]);
      al_encoder_free (encs[i]);
    }
  return ok ? 0 : 1;
}
