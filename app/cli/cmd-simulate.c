/* cmd-simulate.c — `ambilab-cli simulate`: one scene through an ATF set:
 * mic signals, ground-truth SH signals and the scene as JSON.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "al-cli-scenes.h"
#include "io/al-io.h"

int
al_cli_simulate (int argc, char **argv, GError **error)
{
  g_autofree char *atf = NULL, *scene_path = NULL, *scenes = NULL, *clips_dir = NULL, *out = NULL, *norm = NULL;
  gint64 seed = -1;
  int order = 1;
  gboolean overwrite = FALSE;
  GOptionEntry entries[] = {
    { "atf", 0, 0, G_OPTION_ARG_FILENAME, &atf, "ATF set of the array (SOFA)", "FILE" },
    { "scene", 0, 0, G_OPTION_ARG_FILENAME, &scene_path, "Scene to render (JSON, as simulate writes it)", "FILE" },
    { "scenes", 0, 0, G_OPTION_ARG_STRING, &scenes, "Random scene set (as for evaluate); renders its first scene "
      "or the one of --seed", "SPEC" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the scene (the \"seed\" of a scene in metrics.json or scene.json)", "N" },
    { "clips", 0, 0, G_OPTION_ARG_FILENAME, &clips_dir, "Folder of dry audio clips (default: /usr/share/sounds/alsa or espeak-ng)", "DIR" },
    { "order", 0, 0, G_OPTION_ARG_INT, &order, "SH order of the ground truth (default 1)", "N" },
    { "norm", 0, 0, G_OPTION_ARG_STRING, &norm, "Normalisation of the ground truth: sn3d (default), n3d, orthonormal", "NORM" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Folder for mics.wav, truth.wav and scene.json", "DIR" },
    { "overwrite", 0, 0, G_OPTION_ARG_NONE, &overwrite, "Replace the files of an earlier scene in DIR", NULL },
    { NULL }
  };
  if (!al_cli_parse ("simulate", NULL,
                     "Renders one reverberant scene through the ATF set (image sources) with an ideal SH receiver "
                     "as ground truth.",
                     entries, &argc, &argv, error)
      || !al_cli_require (atf, "--atf FILE", error) || !al_cli_require (out, "-o DIR", error))
    return 1;
  if ((scene_path == NULL) == (scenes == NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "give either --scene FILE or --scenes SPEC (see --help)");
      return 1;
    }
  if (seed > (gint64) G_MAXUINT32 || (scene_path != NULL && seed >= 0))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   seed > (gint64) G_MAXUINT32 ? "--seed: at most 4294967295" : "--seed goes with --scenes, not --scene");
      return 1;
    }
  AlShNorm sh_norm = AL_SH_SN3D;
  if ((norm != NULL && !al_sh_norm_parse (norm, &sh_norm, error)))
    return 1;
  if (order < 0 || order > AL_SH_MAX_ORDER)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--order %d: from 0 to %d", order, AL_SH_MAX_ORDER);
      return 1;
    }
  AlSceneSet set;
  al_scene_set_init (&set);
  if (scenes != NULL && !al_scene_set_parse (&set, scenes, error))
    return 1;
  static const char *const written[] = { "mics.wav", "truth.wav", "scene.json" };
  for (guint i = 0; i < G_N_ELEMENTS (written); i++)
    {
      g_autofree char *p = g_build_filename (out, written[i], NULL);
      if (!al_cli_check_overwrite (p, overwrite, error))
        return 1;
    }

  g_autoptr (AlAtfSet) set_atf = al_sofa_read (atf, error);
  if (set_atf == NULL)
    return 1;
  AlSceneClips clips = { 0 };
  if (!al_scene_clips_load (&clips, clips_dir, set_atf->fs, atf, error))
    return 1;
  AlAudio *const *audio = (AlAudio *const *) clips.audio->pdata;
  g_autoptr (AlSimScene) scene = NULL;
  if (scene_path != NULL)
    {
      g_autoptr (JsonNode) node = al_json_read (scene_path, error);
      if (node != NULL)
        scene = al_sim_scene_from_json (node, audio, clips.audio->len, error);
      if (scene == NULL)
        g_prefix_error (error, "%s: ", scene_path);
    }
  else
    scene = al_sim_scene_random (&set.spec, seed >= 0 ? (guint32) seed : al_scene_set_seed (&set, 0),
                                 set_atf->fs, audio, (const char *const *) clips.names->pdata, clips.audio->len,
                                 error);
  if (scene != NULL && !al_sim_scene_validate (scene, set_atf->fs, error))
    {
      if (scene_path != NULL)
        g_prefix_error (error, "%s: ", scene_path);
      g_clear_pointer (&scene, al_sim_scene_free);
    }
  if (scene == NULL)
    {
      al_scene_clips_clear (&clips);
      return 1;
    }
  g_autoptr (AlSimArray) arr = al_scene_sim_array_new (set_atf, order, sh_norm, 0, error);
  AlProgress progress = al_cli_progress ("simulating");
  g_autoptr (AlSimResult) res = arr ? al_sim_render (arr, scene, &progress, error) : NULL;
  al_cli_progress_done ();
  gboolean ok = res != NULL;
  if (ok && g_mkdir_with_parents (out, 0755) != 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot create folder: %s", out, g_strerror (errno));
      ok = FALSE;
    }
  ok = ok && al_cli_write_scene (out, "", scene, res, atf, error);
  if (ok)
    printf ("%s: %.2f s, %d sources, %.1f x %.1f x %.1f m room (RT60 %.2f s), %d mics, truth order %d %s; seed %u\n",
            out, res->nframes / res->fs, scene->nsources, scene->room.size[0], scene->room.size[1],
            scene->room.size[2], al_sim_room_rt60_eyring (&scene->room), res->nmics, res->sh_order,
            al_sh_norm_name (res->sh_norm), scene->seed);
  al_scene_clips_clear (&clips);
  return ok ? 0 : 1;
}
