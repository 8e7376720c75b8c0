/* cmd-scenes-evaluate.c — `ambilab-cli evaluate`: encoders compared on
 * simulated reverberant scenes, written as metrics.json, per-frequency CSVs,
 * a table and figures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "al-cli-scenes.h"
#include "io/al-io.h"

/* Loads "a.json,b.json" as scene encoders; each named by its file's stem
 * (what a user typed, and unique in a folder). */
static GPtrArray *
load_encoders (const char *list, GError **error)
{
  g_autoptr (GPtrArray) encs = g_ptr_array_new_with_free_func ((GDestroyNotify) al_scene_encoder_free);
  g_auto (GStrv) paths = g_strsplit (list, ",", -1);
  for (int i = 0; paths[i] != NULL; i++)
    {
      g_strstrip (paths[i]);
      if (*paths[i] == '\0')
        continue;
      if (!g_file_test (paths[i], G_FILE_TEST_EXISTS))
        {
          g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: no such encoder file", paths[i]);
          return NULL;
        }
      g_autoptr (AlEncoder) enc = al_encoder_load (paths[i], error);
      if (enc == NULL)
        return NULL;
      g_autofree char *base = g_path_get_basename (paths[i]);
      if (g_str_has_suffix (base, ".json"))
        base[strlen (base) - 5] = '\0';
      for (guint k = 0; k < encs->len; k++)
        if (strcmp (((AlSceneEncoder *) g_ptr_array_index (encs, k))->name, base) == 0)
          {
            g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--encoders: %s is given twice", base);
            return NULL;
          }
      g_ptr_array_add (encs, al_scene_encoder_new_linear (enc, base));
    }
  if (encs->len == 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--encoders: no encoder files given");
      return NULL;
    }
  return g_steal_pointer (&encs);
}

int
al_cli_evaluate (int argc, char **argv, GError **error)
{
  g_autofree char *atf = NULL, *encoders = NULL, *scenes = NULL, *clips_dir = NULL, *out = NULL;
  g_autofree char *map_method = NULL, *doa_method = NULL;
  int grid = AL_METRICS_DEFAULT_GRID, threads = 0;
  gboolean overwrite = FALSE;
  GOptionEntry entries[] = {
    { "atf", 0, 0, G_OPTION_ARG_FILENAME, &atf, "ATF set the scenes are simulated with (SOFA)", "FILE" },
    { "encoders", 0, 0, G_OPTION_ARG_STRING, &encoders, "Encoders to compare (JSON written by design), comma-separated", "A.json,B.json" },
    { "scenes", 0, 0, G_OPTION_ARG_STRING, &scenes,
      "Scene set, e.g. \"count=50,seed=1,rooms=3x3x2..10x10x5,absorption=0.2..0.95,sources=1..5,duration=4\"", "SPEC" },
    { "clips", 0, 0, G_OPTION_ARG_FILENAME, &clips_dir, "Folder of dry audio clips (default: " "/usr/share/sounds/alsa or espeak-ng)", "DIR" },
    { "map-method", 0, 0, G_OPTION_ARG_STRING, &map_method, "Power maps of SPME/SPM-KL: sh (default), pwd, mvdr, music", "METHOD" },
    { "doa-method", 0, 0, G_OPTION_ARG_STRING, &doa_method, "Maps whose peaks give DOAs: pwd (default), sh, mvdr, music", "METHOD" },
    { "grid", 0, 0, G_OPTION_ARG_INT, &grid, "Directions of the power maps (Fibonacci, at least 1296; default 2048)", "N" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, "Scenes evaluated in parallel (default: up to 2)", "N" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Folder for metrics.json, CSVs and figures", "DIR" },
    { "overwrite", 0, 0, G_OPTION_ARG_NONE, &overwrite, "Replace the results of an earlier evaluation in DIR", NULL },
    { NULL }
  };
  if (!al_cli_parse ("evaluate", NULL,
                     "Simulates reverberant scenes with the ATF set and an ideal SH receiver, runs every encoder on "
                     "them and compares: coherence per SH channel, magnitude error, SI-SDR, LSD, SPME, SPM-KL, DGC "
                     "and localisation error, as means with 95 % confidence intervals.",
                     entries, &argc, &argv, error)
      || !al_cli_require (atf, "--atf FILE", error) || !al_cli_require (encoders, "--encoders A.json,B.json", error)
      || !al_cli_require (scenes, "--scenes SPEC", error) || !al_cli_require (out, "-o DIR", error))
    return 1;

  AlSceneSet set;
  AlSceneEvalOptions opt;
  al_scene_set_init (&set);
  al_scene_eval_options_init (&opt);
  opt.map_grid = grid;
  opt.nthreads = threads;
  if (!al_scene_set_parse (&set, scenes, error)
      || (map_method != NULL && !al_map_method_parse (map_method, &opt.map_method, error))
      || (doa_method != NULL && !al_map_method_parse (doa_method, &opt.doa_method, error)))
    return 1;
  if (grid < AL_METRICS_MIN_GRID)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--grid %d: at least %d directions", grid,
                   AL_METRICS_MIN_GRID);
      return 1;
    }
  g_autofree char *metrics = g_build_filename (out, "metrics.json", NULL);
  if (!al_cli_check_overwrite (metrics, overwrite, error))
    return 1;

  g_autoptr (AlAtfSet) set_atf = al_sofa_read (atf, error);
  if (set_atf == NULL)
    return 1;
  g_autoptr (GPtrArray) encs = load_encoders (encoders, error);
  if (encs == NULL)
    return 1;
  AlSceneClips clips = { 0 };
  if (!al_scene_clips_load (&clips, clips_dir, set_atf->fs, atf, error))
    return 1;

  AlProgress progress = al_cli_progress ("evaluating");
  g_autoptr (AlSceneEval) ev = al_scene_evaluate (set_atf, (AlSceneEncoder *const *) encs->pdata, encs->len, &set,
                                                  (AlAudio *const *) clips.audio->pdata,
                                                  (const char *const *) clips.names->pdata, clips.audio->len, &opt,
                                                  &progress, error);
  al_cli_progress_done ();
  al_scene_clips_clear (&clips);
  if (ev == NULL || !al_scene_eval_write (ev, out, error))
    return 1;

  printf ("%s: %d scenes × %d encoders in %.1f s (%.2f s per scene)\n", out, ev->nscenes, ev->nencoders,
          ev->seconds, ev->seconds / ev->nscenes);
  printf ("%-16s %16s %16s %16s %16s %16s\n", "encoder", "coherence", "mag. err. dB", "SI-SDR dB", "SPME dB",
          "loc. err. °");
  const AlSceneMetric cols[] = { AL_SCENE_COHERENCE, AL_SCENE_MAGNITUDE_ERROR, AL_SCENE_SI_SDR, AL_SCENE_SPME,
                                 AL_SCENE_LOCALISATION };
  for (int e = 0; e < ev->nencoders; e++)
    {
      printf ("%-16s", ev->encoders[e].name);
      for (guint i = 0; i < G_N_ELEMENTS (cols); i++)
        {
          const AlStat *st = &ev->encoders[e].stats[cols[i]];
          g_autofree char *cell = g_strdup_printf ("%.3f ± %.3f", st->mean, st->ci95);
          printf (" %16s", cell);
        }
      printf ("\n");
    }
  return 0;
}
