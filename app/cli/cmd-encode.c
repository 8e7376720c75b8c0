/* cmd-encode.c — `ambilab-cli encode`: a mic recording through an encoder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include "al-cli.h"
#include "encode/al-encode.h"

int
al_cli_encode (int argc, char **argv, GError **error)
{
  g_autofree char *encoder = NULL, *in = NULL, *out = NULL;
  gboolean keep_latency = FALSE, overwrite = FALSE;
  GOptionEntry entries[] = {
    { "encoder", 0, 0, G_OPTION_ARG_FILENAME, &encoder, "Encoder (JSON written by design)", "FILE" },
    { "in", 0, 0, G_OPTION_ARG_FILENAME, &in, "Microphone recording (WAV, FLAC, CAF, …)", "FILE" },
    { "keep-latency", 0, 0, G_OPTION_ARG_NONE, &keep_latency, "Keep the encoder's latency at the start instead of aligning the output with the input", NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Ambisonics file to write (float32)", "FILE" },
    { "overwrite", 0, 0, G_OPTION_ARG_NONE, &overwrite, "Replace existing output files", NULL },
    { NULL }
  };
  if (!al_cli_parse ("encode", NULL, "Encodes a microphone recording into Ambisonics (ACN, the encoder's normalisation).",
                     entries, &argc, &argv, error)
      || !al_cli_require (encoder, "--encoder FILE", error) || !al_cli_require (in, "--in FILE", error)
      || !al_cli_require (out, "-o FILE", error))
    return 1;
  if (!al_cli_check_overwrite (out, overwrite, error))
    return 1;
  g_autoptr (AlEncoder) enc = al_encoder_load (encoder, error);
  if (enc == NULL)
    return 1;
  AlProgress progress = al_cli_progress ("encoding");
  if (!al_encoder_apply_file (enc, in, out, !keep_latency, &progress, error))
    return 1;
  al_cli_progress_done ();
  printf ("%s: order %d, %d channels, ACN, %s%s\n", out, enc->params.order, enc->nsh, al_sh_norm_name (enc->params.norm),
          keep_latency ? "" : ", aligned with the input");
  return 0;
}
