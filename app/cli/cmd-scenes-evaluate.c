/* cmd-scenes-evaluate.c — `ambilab-cli evaluate`: encoders compared on
 * simulated reverberant scenes, written as metrics.json, per-frequency CSVs,
 * a table and figures; with --audio, chosen scenes rendered again as
 * aligned WAVs (mics, truth, each encoder) and headphone takes to listen to.
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

/* The --audio scenes into OUTDIR/audio: each rendered again from its seed,
 * with its headphone takes. */
static gboolean
write_audio (const AlAtfSet *atf, GPtrArray *encs, const AlSceneSet *set, const AlSceneClips *clips,
             const GArray *indices, AlShNorm norm, const AlListenOptions *listen, const char *dir,
             gboolean overwrite, GError **error)
{
  AlProgress progress = al_cli_progress ("audio");
  double gain_min = INFINITY, gain_max = -INFINITY;
  for (guint i = 0; i < indices->len; i++)
    {
      const int index = g_array_index (indices, int, i);
      AlProgress sub = al_progress_sub (&progress, (double) i / indices->len, (double) (i + 1) / indices->len);
      g_autoptr (AlSceneAudio) audio = al_scene_audio_render (atf, (AlSceneEncoder *const *) encs->pdata, encs->len,
                                                              set, (AlAudio *const *) clips->audio->pdata,
                                                              (const char *const *) clips->names->pdata,
                                                              clips->audio->len, index, norm, &sub, error);
      g_autoptr (AlListenTakes) takes = audio ? al_listen_takes_new (audio, atf->mic_pos, listen, error) : NULL;
      if (takes == NULL || !al_scene_audio_write (audio, takes, dir, overwrite, error))
        {
          al_cli_progress_done ();
          return FALSE;
        }
      gain_min = MIN (gain_min, takes->gain_db);
      gain_max = MAX (gain_max, takes->gain_db);
    }
  al_cli_progress_done ();
  printf ("%s: %u scene%s to listen to (mics, truth, %u encoder%s and headphone takes at %+.1f",
          dir, indices->len, indices->len == 1 ? "" : "s", encs->len, encs->len == 1 ? "" : "s", gain_min);
  if (gain_max - gain_min >= 0.05)
    printf (" … %+.1f", gain_max);
  printf (" dB)\n");
  return TRUE;
}

int
al_cli_evaluate (int argc, char **argv, GError **error)
{
  g_autofree char *atf = NULL, *encoders = NULL, *scenes = NULL, *clips_dir = NULL, *out = NULL;
  g_autofree char *map_method = NULL, *doa_method = NULL, *audio = NULL, *listen_mics = NULL;
  int grid = AL_METRICS_DEFAULT_GRID, threads = 0;
  double listen_azimuth = NAN;
  gboolean overwrite = FALSE;
  GOptionEntry entries[] = {
    { "atf", 0, 0, G_OPTION_ARG_FILENAME, &atf, "ATF set the scenes are simulated with (SOFA)", "FILE" },
    { "encoders", 0, 0, G_OPTION_ARG_STRING, &encoders, "Encoders to compare (JSON written by design), comma-separated", "A.json,B.json" },
    { "scenes", 0, 0, G_OPTION_ARG_STRING, &scenes,
      "Scene set, e.g. \"count=50,seed=1,rooms=3x3x2..10x10x5,absorption=0.2..0.95,sources=1..5,duration=2..6\"; "
      "each scene draws its own value in every range a..b (duration in s; one value x means x..x)", "SPEC" },
    { "clips", 0, 0, G_OPTION_ARG_FILENAME, &clips_dir, "Folder of dry audio clips (default: " "/usr/share/sounds/alsa or espeak-ng)", "DIR" },
    { "map-method", 0, 0, G_OPTION_ARG_STRING, &map_method, "Power maps of SPME/SPM-KL: sh (default), pwd, mvdr, music, intensity", "METHOD" },
    { "doa-method", 0, 0, G_OPTION_ARG_STRING, &doa_method, "Maps whose peaks give DOAs: intensity (default; first-order votes of direct-sound bins), pwd, sh, mvdr, music", "METHOD" },
    { "grid", 0, 0, G_OPTION_ARG_INT, &grid, "Directions of the power maps (Fibonacci, at least 1296; default 2048)", "N" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, "Scenes evaluated in parallel (default: up to 2)", "N" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Folder for metrics.json, CSVs and figures", "DIR" },
    { "audio", 0, 0, G_OPTION_ARG_STRING, &audio,
      "Also write these scenes (1-based, e.g. \"1,3,5-7\") to DIR/audio to listen to: scene_NNN_mics.wav, "
      "scene_NNN_truth.wav, scene_NNN_<encoder>.wav (latency removed, all aligned) and stereo "
      "scene_NNN_listen_*.wav for headphones", "SCENES" },
    { "listen-azimuth", 0, 0, G_OPTION_ARG_DOUBLE, &listen_azimuth,
      "Headphone takes of SH signals: virtual cardioids at ±DEG (default 90)", "DEG" },
    { "listen-mics", 0, 0, G_OPTION_ARG_STRING, &listen_mics,
      "Headphone take of the mics: this left,right pair (1-based; default: the mics furthest left and right)", "L,R" },
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
  AlListenOptions listen;
  al_listen_options_init (&listen);
  g_autoptr (GArray) audio_scenes = NULL;
  if (audio == NULL && (listen_mics != NULL || !isnan (listen_azimuth)))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "%s goes with --audio SCENES (see --help)",
                   listen_mics != NULL ? "--listen-mics" : "--listen-azimuth");
      return 1;
    }
  if (audio != NULL)
    {
      audio_scenes = al_cli_parse_scene_list ("--audio", audio, set.count, error);
      if (audio_scenes == NULL)
        return 1;
      if (!isnan (listen_azimuth))
        {
          if (!isfinite (listen_azimuth) || fabs (listen_azimuth) > 180)
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--listen-azimuth %g: degrees from -180 to 180", listen_azimuth);
              return 1;
            }
          listen.azimuth = listen_azimuth;
        }
      if (listen_mics != NULL && !al_cli_parse_mic_pair ("--listen-mics", listen_mics, &listen.left_mic,
                                                         &listen.right_mic, error))
        return 1;
    }
  g_autofree char *metrics = g_build_filename (out, "metrics.json", NULL);
  g_autofree char *audio_dir = g_build_filename (out, "audio", NULL);
  if (!al_cli_check_overwrite (metrics, overwrite, error))
    return 1;
  /* The first scene's files stand for all: found before the evaluation,
   * not after it (al_scene_audio_write checks every file again). */
  if (audio_scenes != NULL)
    {
      g_autofree char *name = g_strdup_printf ("scene_%03d_mics.wav", g_array_index (audio_scenes, int, 0) + 1);
      g_autofree char *first = g_build_filename (audio_dir, name, NULL);
      if (!al_cli_check_overwrite (first, overwrite, error))
        return 1;
    }

  g_autoptr (AlAtfSet) set_atf = al_sofa_read (atf, error);
  if (set_atf == NULL)
    return 1;
  const int pair[2] = { listen.left_mic, listen.right_mic };
  for (int k = 0; k < 2; k++)
    if (pair[k] >= set_atf->nmics)
      {
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--listen-mics %s: %s has %d microphones",
                     listen_mics, atf, set_atf->nmics);
        return 1;
      }
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
  if (ev == NULL || !al_scene_eval_write (ev, out, error))
    {
      al_scene_clips_clear (&clips);
      return 1;
    }

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
  /* Scenes are seeded: rendered again they are the scenes measured above. */
  gboolean ok = audio_scenes == NULL
                || write_audio (set_atf, encs, &set, &clips, audio_scenes, opt.truth_norm, &listen, audio_dir,
                                overwrite, error);
  al_scene_clips_clear (&clips);
  return ok ? 0 : 1;
}
