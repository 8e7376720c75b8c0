/* cmd-dataset.c — `ambilab-cli dataset`: training sets for neural
 * encoders: random scenes rendered into shard folders (mics, truth and
 * scene JSON per scene) with a manifest.json that records every finished
 * scene, so an interrupted run picks up where it stopped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "al-cli-scenes.h"
#include "io/al-io.h"

#define DATASET_FORMAT "ambilab-dataset"
#define DATASET_VERSION 1
/* The manifest is rewritten after a finished shard, the last scene, and
 * otherwise at most this often (µs): cheap even for 80 000 scenes. */
#define MANIFEST_INTERVAL (2 * G_USEC_PER_SEC)

static const char *const scene_files[] = { "mics.wav", "truth.wav", "scene.json" };

typedef struct {
  const char *dir;
  char *atf_name;
  double fs;
  int nmics, shard_size, order, label_delay;
  AlShNorm norm;
  char *spec;            /* the scene set without its count */
  GPtrArray *clip_names;
  int count;
  GHashTable *done;      /* index → JsonObject of a finished scene */
} Dataset;

static char *
shard_dir (const Dataset *ds, int index)
{
  g_autofree char *name = g_strdup_printf ("shard-%04d", index / ds->shard_size);
  return g_build_filename (ds->dir, name, NULL);
}

static char *
scene_path (const Dataset *ds, int index, const char *file)
{
  g_autofree char *shard = shard_dir (ds, index);
  g_autofree char *name = g_strdup_printf ("scene-%06d.%s", index, file);
  return g_build_filename (shard, name, NULL);
}

static gboolean
scene_complete (const Dataset *ds, int index)
{
  for (guint f = 0; f < G_N_ELEMENTS (scene_files); f++)
    {
      g_autofree char *p = scene_path (ds, index, scene_files[f]);
      if (!g_file_test (p, G_FILE_TEST_IS_REGULAR))
        return FALSE;
    }
  return TRUE;
}

static int
compare_ints (gconstpointer a, gconstpointer b)
{
  const int x = *(const int *) a, y = *(const int *) b;
  return (x > y) - (x < y);
}

static gboolean
write_manifest (const Dataset *ds, GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, DATASET_FORMAT);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, DATASET_VERSION);
  json_builder_set_member_name (b, "atf");
  json_builder_add_string_value (b, ds->atf_name);
  json_builder_set_member_name (b, "sample_rate");
  json_builder_add_double_value (b, ds->fs);
  json_builder_set_member_name (b, "microphones");
  json_builder_add_int_value (b, ds->nmics);
  json_builder_set_member_name (b, "scenes");
  json_builder_add_string_value (b, ds->spec);
  json_builder_set_member_name (b, "count");
  json_builder_add_int_value (b, ds->count);
  json_builder_set_member_name (b, "shard_size");
  json_builder_add_int_value (b, ds->shard_size);
  json_builder_set_member_name (b, "sh_order");
  json_builder_add_int_value (b, ds->order);
  json_builder_set_member_name (b, "sh_norm");
  json_builder_add_string_value (b, al_sh_norm_name (ds->norm));
  json_builder_set_member_name (b, "label_delay_samples");
  json_builder_add_int_value (b, ds->label_delay);
  json_builder_set_member_name (b, "clips");
  json_builder_begin_array (b);
  for (guint i = 0; i < ds->clip_names->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (ds->clip_names, i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "files");
  json_builder_begin_array (b);
  for (guint f = 0; f < G_N_ELEMENTS (scene_files); f++)
    json_builder_add_string_value (b, scene_files[f]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "done");
  json_builder_begin_array (b);
  /* In index order, whatever order they were made in. */
  g_autoptr (GList) keys = g_hash_table_get_keys (ds->done);
  g_autoptr (GArray) idx = g_array_new (FALSE, FALSE, sizeof (int));
  for (GList *l = keys; l != NULL; l = l->next)
    {
      int k = GPOINTER_TO_INT (l->data);
      g_array_append_val (idx, k);
    }
  g_array_sort (idx, compare_ints);
  for (guint i = 0; i < idx->len; i++)
    {
      JsonObject *o = g_hash_table_lookup (ds->done, GINT_TO_POINTER (g_array_index (idx, int, i)));
      JsonNode *n = json_node_new (JSON_NODE_OBJECT);
      json_node_set_object (n, o);
      json_builder_add_value (b, n);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autofree char *path = g_build_filename (ds->dir, "manifest.json", NULL);
  return al_json_write (path, root, error);
}

/* Reads an earlier manifest into ds->done; FALSE when it was made with
 * other settings (naming the first that differs). */
static gboolean
read_manifest (Dataset *ds, const char *path, GError **error)
{
  g_autoptr (JsonNode) root = al_json_read (path, error);
  if (root == NULL)
    return FALSE;
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  if (o == NULL || g_strcmp0 (json_object_get_string_member_with_default (o, "format", ""), DATASET_FORMAT) != 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: not an Ambilab dataset manifest", path);
      return FALSE;
    }
  g_autofree char *clips = NULL;
  {
    g_autoptr (GString) s = g_string_new (NULL);
    for (guint i = 0; i < ds->clip_names->len; i++)
      g_string_append_printf (s, "%s%s", i ? "," : "", (char *) g_ptr_array_index (ds->clip_names, i));
    clips = g_string_free (g_steal_pointer (&s), FALSE);
  }
  g_autoptr (GString) had = g_string_new (NULL);
  JsonArray *hc = json_object_has_member (o, "clips") ? json_object_get_array_member (o, "clips") : NULL;
  for (guint i = 0; hc != NULL && i < json_array_get_length (hc); i++)
    g_string_append_printf (had, "%s%s", i ? "," : "", json_array_get_string_element (hc, i));
  const struct {
    const char *what, *had, *now;
  } text[] = {
    { "scenes", json_object_get_string_member_with_default (o, "scenes", ""), ds->spec },
    { "atf", json_object_get_string_member_with_default (o, "atf", ""), ds->atf_name },
    { "sh_norm", json_object_get_string_member_with_default (o, "sh_norm", ""), al_sh_norm_name (ds->norm) },
    { "clips", had->str, clips },
  };
  for (guint i = 0; i < G_N_ELEMENTS (text); i++)
    if (g_strcmp0 (text[i].had, text[i].now) != 0)
      {
        g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH,
                     "%s was made with other %s (“%s”, now “%s”); use another folder or --overwrite", path,
                     text[i].what, text[i].had, text[i].now);
        return FALSE;
      }
  const struct {
    const char *what;
    gint64 had, now;
  } num[] = {
    { "shard_size", json_object_get_int_member_with_default (o, "shard_size", -1), ds->shard_size },
    { "sh_order", json_object_get_int_member_with_default (o, "sh_order", -1), ds->order },
    { "microphones", json_object_get_int_member_with_default (o, "microphones", -1), ds->nmics },
    { "sample_rate", (gint64) json_object_get_double_member_with_default (o, "sample_rate", -1), (gint64) ds->fs },
  };
  for (guint i = 0; i < G_N_ELEMENTS (num); i++)
    if (num[i].had != num[i].now)
      {
        g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH,
                     "%s was made with %s %" G_GINT64_FORMAT ", now %" G_GINT64_FORMAT
                     "; use another folder or --overwrite", path, num[i].what, num[i].had, num[i].now);
        return FALSE;
      }
  JsonArray *done = json_object_has_member (o, "done") ? json_object_get_array_member (o, "done") : NULL;
  for (guint i = 0; done != NULL && i < json_array_get_length (done); i++)
    {
      JsonObject *e = json_array_get_object_element (done, i);
      if (e == NULL || !json_object_has_member (e, "index"))
        continue;
      const gint64 k = json_object_get_int_member (e, "index");
      /* listed and still complete on disk: skip it; else make it again */
      if (k >= 0 && k < G_MAXINT && scene_complete (ds, (int) k))
        g_hash_table_insert (ds->done, GINT_TO_POINTER ((int) k), json_object_ref (e));
    }
  return TRUE;
}

static JsonObject *
done_entry (const Dataset *ds, int index, const AlSimScene *scene, const AlSimResult *res)
{
  JsonObject *o = json_object_new ();
  json_object_set_int_member (o, "index", index);
  json_object_set_int_member (o, "seed", scene->seed);
  g_autofree char *shard = g_strdup_printf ("shard-%04d", index / ds->shard_size);
  g_autofree char *stem = g_strdup_printf ("scene-%06d", index);
  json_object_set_string_member (o, "shard", shard);
  json_object_set_string_member (o, "stem", stem);
  json_object_set_int_member (o, "frames", res->nframes);
  json_object_set_int_member (o, "sources", scene->nsources);
  json_object_set_double_member (o, "rt60_s", al_sim_room_rt60_eyring (&scene->room));
  return o;
}

int
al_cli_dataset (int argc, char **argv, GError **error)
{
  g_autofree char *atf = NULL, *scenes = NULL, *clips_dir = NULL, *out = NULL, *norm = NULL;
  int count = 0, shard_size = 100, order = 1;
  gboolean overwrite = FALSE;
  GOptionEntry entries[] = {
    { "atf", 0, 0, G_OPTION_ARG_FILENAME, &atf, "ATF set of the array (SOFA)", "FILE" },
    { "scenes", 0, 0, G_OPTION_ARG_STRING, &scenes, "Random scene set (as for evaluate); duration=2..6 gives each "
      "scene its own length from 2 to 6 s, duration=4 every scene 4 s", "SPEC" },
    { "count", 0, 0, G_OPTION_ARG_INT, &count, "Scenes in the set (default: the spec's count)", "N" },
    { "shard-size", 0, 0, G_OPTION_ARG_INT, &shard_size, "Scenes per shard folder (default 100)", "N" },
    { "clips", 0, 0, G_OPTION_ARG_FILENAME, &clips_dir, "Folder of dry audio clips (default: /usr/share/sounds/alsa or espeak-ng)", "DIR" },
    { "order", 0, 0, G_OPTION_ARG_INT, &order, "SH order of the ground truth (default 1)", "N" },
    { "norm", 0, 0, G_OPTION_ARG_STRING, &norm, "Normalisation of the ground truth: sn3d (default), n3d, orthonormal", "NORM" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Folder of the data set; an earlier run there is resumed", "DIR" },
    { "overwrite", 0, 0, G_OPTION_ARG_NONE, &overwrite, "Start afresh even if DIR holds a set made with other settings", NULL },
    { NULL }
  };
  if (!al_cli_parse ("dataset", NULL,
                     "Renders a training set of random scenes: per scene the mic signals, the ground-truth SH "
                     "signals and the scene JSON, in shard folders with a manifest.json.  Running it again on the "
                     "same folder makes only the scenes that are missing.",
                     entries, &argc, &argv, error)
      || !al_cli_require (atf, "--atf FILE", error) || !al_cli_require (scenes, "--scenes SPEC", error)
      || !al_cli_require (out, "-o DIR", error))
    return 1;
  AlSceneSet set;
  al_scene_set_init (&set);
  AlShNorm sh_norm = AL_SH_SN3D;
  if (!al_scene_set_parse (&set, scenes, error) || (norm != NULL && !al_sh_norm_parse (norm, &sh_norm, error)))
    return 1;
  if (count < 0 || shard_size < 1 || order < 0 || order > AL_SH_MAX_ORDER)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   count < 0 ? "--count %d: at least 1" : shard_size < 1 ? "--shard-size %d: at least 1"
                                                                         : "--order %d: from 0 to 30",
                   count < 0 ? count : shard_size < 1 ? shard_size : order);
      return 1;
    }
  if (count > 0)
    set.count = count;

  g_autoptr (AlAtfSet) set_atf = al_sofa_read (atf, error);
  if (set_atf == NULL)
    return 1;
  AlSceneClips clips = { 0 };
  if (!al_scene_clips_load (&clips, clips_dir, set_atf->fs, atf, error))
    return 1;
  g_autoptr (AlSimArray) arr = al_scene_sim_array_new (set_atf, order, sh_norm, 0, error);
  if (arr == NULL)
    {
      al_scene_clips_clear (&clips);
      return 1;
    }

  Dataset ds = { 0 };
  ds.dir = out;
  ds.atf_name = g_path_get_basename (atf);
  ds.fs = set_atf->fs;
  ds.nmics = set_atf->nmics;
  ds.shard_size = shard_size;
  ds.order = order;
  ds.norm = sh_norm;
  ds.label_delay = al_sim_array_sh_delay (arr);
  ds.count = set.count;
  ds.clip_names = clips.names;
  ds.done = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) json_object_unref);
  {
    AlSceneSet no_count = set;
    no_count.count = 1; /* a set may grow: compare everything else */
    ds.spec = al_scene_set_to_string (&no_count);
  }

  gboolean ok = TRUE;
  g_autofree char *manifest = g_build_filename (out, "manifest.json", NULL);
  if (g_file_test (manifest, G_FILE_TEST_EXISTS))
    {
      g_autoptr (GError) local = NULL;
      if (!read_manifest (&ds, manifest, &local))
        {
          if (!overwrite || g_error_matches (local, AL_ERROR, AL_ERROR_IO))
            {
              g_propagate_error (error, g_steal_pointer (&local));
              ok = FALSE;
            }
          g_hash_table_remove_all (ds.done);
        }
    }
  if (ok && g_mkdir_with_parents (out, 0755) != 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot create folder: %s", out, g_strerror (errno));
      ok = FALSE;
    }

  const int already = g_hash_table_size (ds.done);
  int made = 0;
  gint64 last_write = g_get_monotonic_time ();
  AlProgress progress = al_cli_progress ("dataset");
  for (int i = 0; i < set.count && ok; i++)
    {
      if (g_hash_table_contains (ds.done, GINT_TO_POINTER (i)))
        continue;
      g_autoptr (AlSimScene) scene = al_sim_scene_random (&set.spec, al_scene_set_seed (&set, i), ds.fs,
                                                          (AlAudio *const *) clips.audio->pdata,
                                                          (const char *const *) clips.names->pdata,
                                                          clips.audio->len, error);
      g_autoptr (AlSimResult) res = scene ? al_sim_render (arr, scene, NULL, error) : NULL;
      g_autofree char *shard = shard_dir (&ds, i);
      g_autofree char *stem = g_strdup_printf ("scene-%06d.", i);
      ok = res != NULL;
      if (ok && g_mkdir_with_parents (shard, 0755) != 0)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot create folder: %s", shard, g_strerror (errno));
          ok = FALSE;
        }
      ok = ok && al_cli_write_scene (shard, stem, scene, res, ds.atf_name, error);
      if (!ok)
        break;
      g_hash_table_insert (ds.done, GINT_TO_POINTER (i), done_entry (&ds, i, scene, res));
      made++;
      const gint64 now = g_get_monotonic_time ();
      if ((i + 1) % shard_size == 0 || i == set.count - 1 || now - last_write > MANIFEST_INTERVAL)
        {
          ok = write_manifest (&ds, error);
          last_write = now;
        }
      g_autofree char *msg = g_strdup_printf ("scene %d of %d", i + 1, set.count);
      al_progress_report (&progress, (double) (i + 1) / set.count, msg);
      if (ok && al_progress_cancelled (&progress, error))
        ok = FALSE;
    }
  /* Whatever got done is recorded, also after an error. */
  if (made > 0 || !g_file_test (manifest, G_FILE_TEST_EXISTS))
    {
      if (ok)
        ok = write_manifest (&ds, error);
      else
        write_manifest (&ds, NULL);
    }
  al_cli_progress_done ();
  if (ok)
    printf ("%s: %d scenes made, %d already there; %d scenes in %d shards of %d\n", out, made, already, set.count,
            (set.count + shard_size - 1) / shard_size, shard_size);
  g_hash_table_unref (ds.done);
  g_free (ds.atf_name);
  g_free (ds.spec);
  al_scene_clips_clear (&clips);
  return ok ? 0 : 1;
}
