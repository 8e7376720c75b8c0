/* cmd-info.c — `ambilab-cli info FILE`: what is in a file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include "al-cli.h"
#include "encode/al-encode.h"
#include "io/al-io.h"

static char *
describe_encoder (const char *path, GError **error)
{
  g_autoptr (AlEncoder) enc = al_encoder_load (path, error);
  if (enc == NULL)
    return NULL;
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, "Ambilab encoder “%s”\n", enc->name);
  g_string_append_printf (s, "  method:        %s, max gain %.1f dB%s\n", al_design_method_name (enc->params.method),
                          enc->params.max_gain_db, enc->params.diffuse_eq ? ", diffuse-field EQ" : "");
  if (enc->params.diffuse_eq)
    g_string_append_printf (s, "  diffuse EQ:    above %.0f Hz\n", enc->diffuse_eq_hz);
  g_string_append_printf (s, "  output:        order %d, %d channels, ACN, %s\n", enc->params.order, enc->nsh,
                          al_sh_norm_name (enc->params.norm));
  g_string_append_printf (s, "  input:         %d microphones at %g Hz\n", enc->nmics, enc->fs);
  g_string_append_printf (s, "  filters:       %d taps (%.1f ms), latency %d samples (%.2f ms)\n", enc->fir_len,
                          1000.0 * enc->fir_len / enc->fs, enc->latency, 1000.0 * enc->latency / enc->fs);
  g_string_append_printf (s, "  max amplification: %.1f dB\n", enc->max_amp_db);
  if (enc->atf_source && *enc->atf_source)
    g_string_append_printf (s, "  designed from: %s (common delay %.0f samples removed)\n", enc->atf_source,
                            enc->atf_delay);
  for (guint i = 0; i < enc->warnings->len; i++)
    g_string_append_printf (s, "  warning:       %s\n", (char *) g_ptr_array_index (enc->warnings, i));
  return g_string_free (s, FALSE);
}

int
al_cli_info (int argc, char **argv, GError **error)
{
  GOptionEntry entries[] = { { NULL } };
  if (!al_cli_parse ("info", "FILE", "Describes a SOFA, audio or Ambilab encoder file.", entries, &argc, &argv,
                     error))
    return 1;
  if (argc != 2)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "expected one FILE (see --help)");
      return 1;
    }
  const char *path = argv[1];
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: no such file", path);
      return 1;
    }
  g_autofree char *text = NULL;
  if (g_str_has_suffix (path, ".sofa"))
    text = al_describe_sofa (path, error);
  else if (g_str_has_suffix (path, ".json"))
    text = describe_encoder (path, error);
  else
    text = al_describe_audio (path, error);
  if (text == NULL)
    return 1;
  fputs (text, stdout);
  if (!g_str_has_suffix (text, "\n"))
    fputc ('\n', stdout);
  return 0;
}
