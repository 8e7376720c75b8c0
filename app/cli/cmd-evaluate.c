/* cmd-evaluate.c — `ambilab-cli evaluate-encoder`: metrics of an encoder on
 * an ATF set, as JSON, CSV and figures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <stdio.h>

#include "al-cli.h"
#include "eval/al-eval.h"
#include "io/al-io.h"

gboolean
al_cli_evaluate_and_write (const AlEncoder *enc, const AlAtfSet *set, const char *dir, double lo, double hi,
                           AlEncoderEval **result, GError **error)
{
  AlProgress progress = al_cli_progress ("evaluating");
  g_autoptr (AlEncoderEval) ev = al_encoder_evaluate (enc, set, lo, hi, &progress, error);
  al_cli_progress_done ();
  if (ev == NULL || !al_encoder_eval_write (ev, enc, dir, error))
    return FALSE;
  printf ("%s: %.0f Hz – %.0f Hz", dir, ev->band_lo, ev->band_hi);
  for (int n = 0; n <= ev->order; n++)
    printf ("; order %d: ρ %.3f, level %+.1f dB", n, al_encoder_eval_mean_corr (ev, n),
            al_encoder_eval_mean_level (ev, n));
  printf ("; DGC %.2f dB\n", ev->dgc);
  if (result)
    *result = g_steal_pointer (&ev);
  return TRUE;
}

int
al_cli_evaluate_encoder (int argc, char **argv, GError **error)
{
  g_autofree char *atf = NULL, *encoder = NULL, *out = NULL;
  double lo = 0, hi = 0;
  gboolean overwrite = FALSE;
  GOptionEntry entries[] = {
    { "atf", 0, 0, G_OPTION_ARG_FILENAME, &atf, "ATF set to evaluate on (SOFA)", "FILE" },
    { "encoder", 0, 0, G_OPTION_ARG_FILENAME, &encoder, "Encoder (JSON written by design)", "FILE" },
    { "band-low", 0, 0, G_OPTION_ARG_DOUBLE, &lo, "Lower edge of the summary band in Hz (default 100)", "HZ" },
    { "band-high", 0, 0, G_OPTION_ARG_DOUBLE, &hi, "Upper edge of the summary band in Hz (default 16000)", "HZ" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Folder for metrics.json, CSVs and figures", "DIR" },
    { "overwrite", 0, 0, G_OPTION_ARG_NONE, &overwrite, "Replace existing output files", NULL },
    { NULL }
  };
  if (!al_cli_parse ("evaluate-encoder", NULL,
                     "Evaluates an encoder on an ATF set: spatial correlation and level difference per order, "
                     "white-noise gain per channel, directional gain consistency.",
                     entries, &argc, &argv, error)
      || !al_cli_require (atf, "--atf FILE", error) || !al_cli_require (encoder, "--encoder FILE", error)
      || !al_cli_require (out, "-o DIR", error))
    return 1;
  g_autofree char *metrics = g_build_filename (out, "metrics.json", NULL);
  if (!al_cli_check_overwrite (metrics, overwrite, error))
    return 1;
  g_autoptr (AlAtfSet) set = al_sofa_read (atf, error);
  if (set == NULL)
    return 1;
  g_autoptr (AlEncoder) enc = al_encoder_load (encoder, error);
  if (enc == NULL)
    return 1;
  return al_cli_evaluate_and_write (enc, set, out, lo, hi, NULL, error) ? 0 : 1;
}
