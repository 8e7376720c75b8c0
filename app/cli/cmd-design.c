/* cmd-design.c — `ambilab-cli design`: encoder design from a SOFA ATF set,
 * written as JSON + MatrixConv WAV + mcfx .conf.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "al-cli.h"
#include "encode/al-encode.h"
#include "io/al-io.h"

/* enc.json → enc.conf beside it. */
static char *
conf_path_for (const char *json_path)
{
  g_autofree char *wav = al_encoder_filters_path (json_path);
  wav[strlen (wav) - 4] = '\0';
  return g_strconcat (wav, ".conf", NULL);
}

gboolean
al_cli_design_and_save (const AlAtfSet *set, const AlDesignParams *params, const char *out, AlEncoder **result,
                        GError **error)
{
  AlProgress progress = al_cli_progress ("designing");
  g_autoptr (AlEncoder) enc = al_encoder_design (set, params, &progress, error);
  al_cli_progress_done ();
  if (enc == NULL)
    return FALSE;
  g_autofree char *wav = al_encoder_filters_path (out);
  g_autofree char *wav_name = g_path_get_basename (wav);
  g_autofree char *conf = conf_path_for (out);
  if (!al_encoder_save (enc, out, error) || !al_encoder_export_mcfx (enc, conf, wav_name, error))
    return FALSE;
  for (guint i = 0; i < enc->warnings->len; i++)
    fprintf (stderr, "warning: %s\n", (char *) g_ptr_array_index (enc->warnings, i));
  printf ("%s: %s, order %d (%d channels, %s), %d mics, %d taps, latency %d samples, max amplification %.1f dB\n",
          out, al_design_method_name (enc->params.method), enc->params.order, enc->nsh,
          al_sh_norm_name (enc->params.norm), enc->nmics, enc->fir_len, enc->latency, enc->max_amp_db);
  printf ("  filters %s (AmbiX, SPARTA MatrixConv layout), mcfx config %s\n", wav, conf);
  if (result)
    *result = g_steal_pointer (&enc);
  return TRUE;
}

int
al_cli_design (int argc, char **argv, GError **error)
{
  g_autofree char *atf = NULL, *out = NULL, *method = NULL, *norm = NULL;
  AlDesignParams params;
  al_design_params_init (&params);
  gboolean diffuse_eq = FALSE, force = FALSE, overwrite = FALSE;
  GOptionEntry entries[] = {
    { "atf", 0, 0, G_OPTION_ARG_FILENAME, &atf, "ATF set (SOFA)", "FILE" },
    { "order", 0, 0, G_OPTION_ARG_INT, &params.order, "Ambisonics order (default 1)", "N" },
    { "method", 0, 0, G_OPTION_ARG_STRING, &method, "tikhonov (default), softlimit or td-ls", "METHOD" },
    { "max-gain-db", 0, 0, G_OPTION_ARG_DOUBLE, &params.max_gain_db, "Gain limit of the inversion in dB (default 15)", "DB" },
    { "diffuse-eq", 0, 0, G_OPTION_ARG_NONE, &diffuse_eq, "Diffuse-field equalisation above the aliasing frequency", NULL },
    { "diffuse-eq-hz", 0, 0, G_OPTION_ARG_DOUBLE, &params.diffuse_eq_hz, "Transition of the diffuse-field EQ (default: c·N/(2πr))", "HZ" },
    { "fir-length", 0, 0, G_OPTION_ARG_INT, &params.fir_length, "Filter length in taps (default 1024)", "N" },
    { "norm", 0, 0, G_OPTION_ARG_STRING, &norm, "sn3d (AmbiX, default), n3d or orthonormal", "NORM" },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, "Design even above the order the array supports", NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Encoder description to write (enc.json; enc.wav and enc.conf go beside it)", "FILE" },
    { "overwrite", 0, 0, G_OPTION_ARG_NONE, &overwrite, "Replace existing output files", NULL },
    { NULL }
  };
  if (!al_cli_parse ("design", NULL, "Designs a linear Ambisonics encoder from measured or simulated array transfer functions.",
                     entries, &argc, &argv, error)
      || !al_cli_require (atf, "--atf FILE", error) || !al_cli_require (out, "-o FILE", error))
    return 1;
  if ((method && !al_design_method_parse (method, &params.method, error))
      || (norm && !al_sh_norm_parse (norm, &params.norm, error)))
    return 1;
  /* A transition frequency means the user wants the EQ. */
  params.diffuse_eq = diffuse_eq || params.diffuse_eq_hz > 0;
  params.allow_high_order = force;
  g_autofree char *wav = al_encoder_filters_path (out);
  g_autofree char *conf = conf_path_for (out);
  if (!al_cli_check_overwrite (out, overwrite, error) || !al_cli_check_overwrite (wav, overwrite, error)
      || !al_cli_check_overwrite (conf, overwrite, error))
    return 1;
  g_autoptr (AlAtfSet) set = al_sofa_read (atf, error);
  if (set == NULL)
    return 1;
  return al_cli_design_and_save (set, &params, out, NULL, error) ? 0 : 1;
}
