/* cmd-array.c — `ambilab-cli array simulate`: ATFs of an analytic array
 * model written to SOFA.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "al-cli.h"
#include "array/al-array.h"
#include "io/al-io.h"

static AlArrayModel *
model_from_options (const char *preset, const char *model, double radius, const char *mics, GError **error)
{
  if (preset != NULL)
    {
      if (model != NULL || mics != NULL || radius != 0)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                       "--preset cannot be combined with --model, --radius or --mics");
          return NULL;
        }
      return al_array_model_preset (preset, error);
    }
  if (!al_cli_require (model, "--preset or --model", error) || !al_cli_require (mics, "--mics", error))
    return NULL;
  AlArrayModelKind kind;
  if (strcmp (model, "rigid-sphere") == 0)
    kind = AL_ARRAY_RIGID_SPHERE;
  else if (strcmp (model, "free-field") == 0)
    kind = AL_ARRAY_FREE_FIELD;
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "unknown model “%s” (known: rigid-sphere, free-field)", model);
      return NULL;
    }
  if (!(radius > 0 && radius < 10))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--radius must be in metres, 0 < r < 10");
      return NULL;
    }
  g_autofree double *dirs = NULL;
  int nmics = 0;
  if (!al_parse_mic_dirs (mics, &dirs, &nmics, error))
    return NULL;
  return al_array_model_new (kind, radius, dirs, nmics);
}

static int
simulate (int argc, char **argv, GError **error)
{
  g_autofree char *preset = NULL, *model = NULL, *mics = NULL, *grid_spec = NULL, *out = NULL, *title = NULL;
  double radius = 0, fs = 48000, delay = -1;
  int ir_len = 512;
  gboolean overwrite = FALSE;
  GOptionEntry entries[] = {
    { "preset", 0, 0, G_OPTION_ARG_STRING, &preset, "A known array: glasses5, em32", "NAME" },
    { "model", 0, 0, G_OPTION_ARG_STRING, &model, "rigid-sphere or free-field", "MODEL" },
    { "radius", 0, 0, G_OPTION_ARG_DOUBLE, &radius, "Sphere radius in metres", "M" },
    { "mics", 0, 0, G_OPTION_ARG_STRING, &mics, "Mic directions in degrees, \"AZ,EL;AZ,EL;…\"", "LIST" },
    { "grid", 0, 0, G_OPTION_ARG_STRING, &grid_spec, "Directions: fibonacci:N or gauss:ORDER (default fibonacci:2048)", "SPEC" },
    { "fs", 0, 0, G_OPTION_ARG_DOUBLE, &fs, "Sample rate in Hz (default 48000)", "HZ" },
    { "ir-length", 0, 0, G_OPTION_ARG_INT, &ir_len, "Impulse response length in samples (default 512)", "N" },
    { "delay", 0, 0, G_OPTION_ARG_DOUBLE, &delay, "Arrival delay at the array centre in samples, e.g. 280 for a source 2 m away (default: just enough for causality)", "SAMPLES" },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, "Title stored in the SOFA file", "TEXT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "SOFA file to write", "FILE" },
    { "overwrite", 0, 0, G_OPTION_ARG_NONE, &overwrite, "Replace existing output files", NULL },
    { NULL }
  };
  if (!al_cli_parse ("array simulate", NULL, "Simulates the transfer functions of an analytic array model and writes them as SOFA (SimpleFreeFieldHRIR, one receiver per mic).",
                     entries, &argc, &argv, error)
      || !al_cli_require (out, "-o FILE", error))
    return 1;
  if (!(fs >= 8000 && fs <= 384000) || ir_len < 16 || ir_len > 1 << 16)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--fs must be 8000…384000 Hz and --ir-length 16…65536 samples");
      return 1;
    }
  if (delay >= ir_len)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--delay %g does not fit in --ir-length %d", delay, ir_len);
      return 1;
    }
  if (!al_cli_check_overwrite (out, overwrite, error))
    return 1;
  g_autoptr (AlArrayModel) am = model_from_options (preset, model, radius, mics, error);
  if (am == NULL)
    return 1;
  g_autoptr (AlGrid) grid = al_grid_parse (grid_spec ? grid_spec : "fibonacci:2048", error);
  if (grid == NULL)
    return 1;
  AlProgress progress = al_cli_progress ("simulating");
  g_autoptr (AlAtfSet) set = al_array_model_simulate (am, grid, fs, ir_len, delay, &progress, error);
  al_cli_progress_done ();
  if (set == NULL)
    return 1;
  AlSofaMeta meta = { 0 };
  meta.title = title;
  meta.comment = set->source;
  if (!al_sofa_write (out, set, &meta, error))
    return 1;
  printf ("%s: %d directions × %d mics × %d samples at %g Hz\n", out, set->ndirs, set->nmics, set->ir_len, set->fs);
  return 0;
}

int
al_cli_array (int argc, char **argv, GError **error)
{
  if (argc >= 2 && strcmp (argv[1], "simulate") == 0)
    return simulate (argc - 1, argv + 1, error);
  if (argc >= 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0))
    {
      printf ("Usage: ambilab-cli array simulate [OPTIONS…]\n");
      return 0;
    }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "expected “array simulate” (see ambilab-cli array simulate --help)");
  return 1;
}
