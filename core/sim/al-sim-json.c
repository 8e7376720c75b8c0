/* al-sim-json.c — a scene as JSON, written next to its audio, and read back
 * to render the very same scene again.  Angles are degrees (DESIGN.md §3);
 * "direct" per source (distance and array-frame direction of the direct
 * path) is informational and ignored on reading.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-sim-private.h"

#include <math.h>

static void
add_vec (JsonBuilder *b, const char *name, const double *v, int n)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (int k = 0; k < n; k++)
    json_builder_add_double_value (b, v[k]);
  json_builder_end_array (b);
}

static void
add_double (JsonBuilder *b, const char *name, double v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_double_value (b, v);
}

static void
add_int (JsonBuilder *b, const char *name, gint64 v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, v);
}

/* +inf (no noise) as null */
static void
add_snr (JsonBuilder *b, const char *name, double v)
{
  json_builder_set_member_name (b, name);
  if (isfinite (v))
    json_builder_add_double_value (b, v);
  else
    json_builder_add_null_value (b);
}

JsonNode *
al_sim_scene_to_json (const AlSimScene *scene)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  const AlSimRoom *room = &scene->room;
  double R[9];

  g_return_val_if_fail (scene != NULL, NULL);
  al_sim_orientation_matrix (&scene->array_rot, R);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "generator");
  json_builder_add_string_value (b, "ambilab " AL_VERSION " sim");
  add_int (b, "seed", scene->seed);
  add_double (b, "fs", scene->fs);
  add_int (b, "nframes", scene->nframes);

  json_builder_set_member_name (b, "room");
  json_builder_begin_object (b);
  add_vec (b, "size", room->size, 3);
  add_vec (b, "absorption", room->absorption, 6);
  add_int (b, "max_order", room->max_order);
  add_double (b, "c", room->c);
  add_double (b, "max_rand_disp", room->max_rand_disp);
  add_int (b, "rand_seed", room->rand_seed);
  add_double (b, "hpf_fc", room->hpf_fc);
  json_builder_set_member_name (b, "air_absorption");
  json_builder_add_boolean_value (b, room->air_absorption);
  add_double (b, "rt60_eyring", al_sim_room_rt60_eyring (room));
  json_builder_end_object (b);

  json_builder_set_member_name (b, "array");
  json_builder_begin_object (b);
  add_vec (b, "position", scene->array_pos, 3);
  add_double (b, "yaw", AL_RAD2DEG (scene->array_rot.yaw));
  add_double (b, "pitch", AL_RAD2DEG (scene->array_rot.pitch));
  add_double (b, "roll", AL_RAD2DEG (scene->array_rot.roll));
  json_builder_end_object (b);

  json_builder_set_member_name (b, "sources");
  json_builder_begin_array (b);
  for (int s = 0; s < scene->nsources; s++)
    {
      const AlSimSource *src = &scene->sources[s];
      double v[3], u[3], az, el, d;

      for (int k = 0; k < 3; k++)
        v[k] = src->pos[k] - scene->array_pos[k];
      for (int k = 0; k < 3; k++)
        u[k] = R[k] * v[0] + R[3 + k] * v[1] + R[6 + k] * v[2];
      d = sqrt (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
      al_xyz_to_dir (u, &az, &el);

      json_builder_begin_object (b);
      add_vec (b, "position", src->pos, 3);
      add_int (b, "clip", src->clip);
      if (src->name)
        {
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, src->name);
        }
      add_int (b, "channel", src->channel);
      add_int (b, "offset", src->offset);
      add_int (b, "start", src->start);
      add_double (b, "gain_db", src->gain_db);
      json_builder_set_member_name (b, "direct");
      json_builder_begin_object (b);
      add_double (b, "distance", d);
      add_double (b, "azimuth", AL_RAD2DEG (az));
      add_double (b, "elevation", AL_RAD2DEG (el));
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "noise");
  json_builder_begin_object (b);
  add_int (b, "seed", scene->noise_seed);
  add_snr (b, "diffuse_snr_db", scene->diffuse_snr_db);
  add_int (b, "diffuse_ndirs", scene->diffuse_ndirs);
  add_snr (b, "sensor_snr_db", scene->sensor_snr_db);
  json_builder_end_object (b);

  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ---- reading ---- */

static JsonNode *
member (JsonObject *o, const char *path, const char *name, GError **error)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (n == NULL)
    g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "scene JSON: \"%s%s\" is missing", path, name);
  return n;
}

static gboolean
get_number (JsonObject *o, const char *path, const char *name, double *v, GError **error)
{
  JsonNode *n = member (o, path, name, error);

  if (n == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_VALUE (n)
      && (json_node_get_value_type (n) == G_TYPE_DOUBLE || json_node_get_value_type (n) == G_TYPE_INT64))
    {
      *v = json_node_get_double (n);
      return TRUE;
    }
  g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "scene JSON: \"%s%s\" is not a number", path, name);
  return FALSE;
}

/* An SNR: a number, or null for none. */
static gboolean
get_snr (JsonObject *o, const char *path, const char *name, double *v, GError **error)
{
  JsonNode *n = member (o, path, name, error);

  if (n == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_NULL (n))
    {
      *v = INFINITY;
      return TRUE;
    }
  return get_number (o, path, name, v, error);
}

static gboolean
get_int (JsonObject *o, const char *path, const char *name, gint64 lo, gint64 hi, gint64 *v,
         GError **error)
{
  JsonNode *n = member (o, path, name, error);

  if (n == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64
      || json_node_get_int (n) < lo || json_node_get_int (n) > hi)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_FORMAT,
                   "scene JSON: \"%s%s\" is not an integer in %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT,
                   path, name, lo, hi);
      return FALSE;
    }
  *v = json_node_get_int (n);
  return TRUE;
}

static gboolean
get_vec (JsonObject *o, const char *path, const char *name, double *v, int n, GError **error)
{
  JsonNode *node = member (o, path, name, error);
  JsonArray *a;

  if (node == NULL)
    return FALSE;
  a = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  if (a == NULL || (int) json_array_get_length (a) != n)
    goto bad;
  for (int k = 0; k < n; k++)
    {
      JsonNode *e = json_array_get_element (a, k);
      if (!JSON_NODE_HOLDS_VALUE (e)
          || (json_node_get_value_type (e) != G_TYPE_DOUBLE && json_node_get_value_type (e) != G_TYPE_INT64))
        goto bad;
      v[k] = json_node_get_double (e);
    }
  return TRUE;
bad:
  g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "scene JSON: \"%s%s\" is not an array of %d numbers",
               path, name, n);
  return FALSE;
}

static JsonObject *
get_object (JsonObject *o, const char *name, GError **error)
{
  JsonNode *n = member (o, "", name, error);

  if (n == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (n))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "scene JSON: \"%s\" is not an object", name);
      return NULL;
    }
  return json_node_get_object (n);
}

AlSimScene *
al_sim_scene_from_json (JsonNode *node, AlAudio *const *clips, int nclips, GError **error)
{
  g_autoptr (AlSimScene) scene = NULL;
  JsonObject *root, *room_o, *array_o, *noise_o;
  JsonArray *sources;
  AlSimRoom room;
  double fs, pos[3], v;
  gint64 i;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "scene JSON: the root is not an object");
      return NULL;
    }
  root = json_node_get_object (node);
  if (!get_number (root, "", "fs", &fs, error) || (room_o = get_object (root, "room", error)) == NULL
      || (array_o = get_object (root, "array", error)) == NULL
      || (noise_o = get_object (root, "noise", error)) == NULL)
    return NULL;

  al_sim_room_init (&room, 1, 1, 1, 0);
  if (!get_vec (room_o, "room.", "size", room.size, 3, error)
      || !get_vec (room_o, "room.", "absorption", room.absorption, 6, error)
      || !get_int (room_o, "room.", "max_order", 0, 1000, &i, error))
    return NULL;
  room.max_order = (int) i;
  if (!get_number (room_o, "room.", "c", &room.c, error)
      || !get_number (room_o, "room.", "max_rand_disp", &room.max_rand_disp, error)
      || !get_int (room_o, "room.", "rand_seed", 0, G_MAXUINT32, &i, error))
    return NULL;
  room.rand_seed = (guint32) i;
  if (!get_number (room_o, "room.", "hpf_fc", &room.hpf_fc, error))
    return NULL;
  {
    JsonNode *air = member (room_o, "room.", "air_absorption", error);
    if (air == NULL)
      return NULL;
    if (!JSON_NODE_HOLDS_VALUE (air) || json_node_get_value_type (air) != G_TYPE_BOOLEAN)
      {
        g_set_error (error, AL_ERROR, AL_ERROR_FORMAT,
                     "scene JSON: \"room.air_absorption\" is not true or false");
        return NULL;
      }
    room.air_absorption = json_node_get_boolean (air);
  }
  if (!get_vec (array_o, "array.", "position", pos, 3, error))
    return NULL;

  scene = al_sim_scene_new (fs, &room, pos);
  if (!get_number (array_o, "array.", "yaw", &v, error))
    return NULL;
  scene->array_rot.yaw = AL_DEG2RAD (v);
  if (!get_number (array_o, "array.", "pitch", &v, error))
    return NULL;
  scene->array_rot.pitch = AL_DEG2RAD (v);
  if (!get_number (array_o, "array.", "roll", &v, error))
    return NULL;
  scene->array_rot.roll = AL_DEG2RAD (v);
  if (!get_int (root, "", "nframes", 0, G_MAXINT64, &scene->nframes, error)
      || !get_int (root, "", "seed", 0, G_MAXUINT32, &i, error))
    return NULL;
  scene->seed = (guint32) i;
  if (!get_int (noise_o, "noise.", "seed", 0, G_MAXUINT32, &i, error))
    return NULL;
  scene->noise_seed = (guint32) i;
  if (!get_snr (noise_o, "noise.", "diffuse_snr_db", &scene->diffuse_snr_db, error)
      || !get_int (noise_o, "noise.", "diffuse_ndirs", 1, 100000, &i, error))
    return NULL;
  scene->diffuse_ndirs = (int) i;
  if (!get_snr (noise_o, "noise.", "sensor_snr_db", &scene->sensor_snr_db, error))
    return NULL;

  {
    JsonNode *sn = member (root, "", "sources", error);
    if (sn == NULL)
      return NULL;
    if (!JSON_NODE_HOLDS_ARRAY (sn))
      {
        g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "scene JSON: \"sources\" is not an array");
        return NULL;
      }
    sources = json_node_get_array (sn);
  }
  for (guint s = 0; s < json_array_get_length (sources); s++)
    {
      JsonNode *e = json_array_get_element (sources, s);
      g_autofree char *path = g_strdup_printf ("sources[%u].", s);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
      AlSimSource *src;
      gint64 clip, channel;

      if (o == NULL)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "scene JSON: \"sources[%u]\" is not an object", s);
          return NULL;
        }
      if (!get_vec (o, path, "position", pos, 3, error)
          || !get_int (o, path, "clip", -1, G_MAXINT, &clip, error))
        return NULL;
      if (clip < 0 || clip >= nclips)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                       "scene JSON: \"%sclip\" is %" G_GINT64_FORMAT " but %d clips were given",
                       path, clip, nclips);
          return NULL;
        }
      src = al_sim_scene_add_source (scene, pos, clips[clip]);
      src->clip = (int) clip;
      if (!get_int (o, path, "channel", -1, G_MAXINT, &channel, error)
          || !get_int (o, path, "offset", 0, G_MAXINT64, &src->offset, error)
          || !get_int (o, path, "start", 0, G_MAXINT64, &src->start, error)
          || !get_number (o, path, "gain_db", &src->gain_db, error))
        return NULL;
      src->channel = (int) channel;
      if (json_object_has_member (o, "name") && JSON_NODE_HOLDS_VALUE (json_object_get_member (o, "name"))
          && json_node_get_value_type (json_object_get_member (o, "name")) == G_TYPE_STRING)
        src->name = g_strdup (json_object_get_string_member (o, "name"));
    }
  return g_steal_pointer (&scene);
}
