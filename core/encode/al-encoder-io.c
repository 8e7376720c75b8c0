/* al-encoder-io.c — encoder files: a JSON sidecar that says what the filters
 * are, the FIR matrix as a float32 WAV in SPARTA MatrixConv layout (one
 * channel per ACN output, the microphones' filters one after another), and an
 * IEM mcfx_convolver / jconvolver configuration.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-encode.h"

#include <math.h>
#include <string.h>

#include "io/al-io.h"

#define ENCODER_FORMAT "ambilab-encoder"
#define ENCODER_FORMAT_VERSION 1

static char *
name_from_path (const char *json_path)
{
  g_autofree char *base = g_path_get_basename (json_path);
  if (g_str_has_suffix (base, ".json"))
    base[strlen (base) - 5] = '\0';
  return g_strdup (base);
}

/* Ties the sidecar to its filters: a save that failed half-way (new WAV,
 * old JSON) is caught on load instead of describing the wrong filters. */
static char *
fir_checksum (const AlEncoder *enc)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) enc->fir,
                                      sizeof (float) * (gsize) enc->nsh * enc->nmics * enc->fir_len);
}

gboolean
al_encoder_save (const AlEncoder *enc, const char *json_path, GError **error)
{
  g_autofree char *wav_path = al_encoder_filters_path (json_path);
  g_autofree char *wav_name = g_path_get_basename (wav_path);
  g_autofree char *name = enc->name ? g_strdup (enc->name) : name_from_path (json_path);

  /* Filters first: a sidecar never points at a file that is not there. */
  g_autoptr (AlAudio) audio = al_audio_new (enc->fs, enc->nsh, (gint64) enc->nmics * enc->fir_len);
  for (int c = 0; c < enc->nsh; c++)
    for (int q = 0; q < enc->nmics; q++)
      for (int i = 0; i < enc->fir_len; i++)
        audio->data[((gsize) q * enc->fir_len + i) * enc->nsh + c] =
          enc->fir[((gsize) c * enc->nmics + q) * enc->fir_len + i];
  if (!al_audio_write (wav_path, audio, error))
    return FALSE;

  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, ENCODER_FORMAT);
  json_builder_set_member_name (b, "format_version");
  json_builder_add_int_value (b, ENCODER_FORMAT_VERSION);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "method");
  json_builder_add_string_value (b, al_design_method_name (enc->params.method));
  json_builder_set_member_name (b, "order");
  json_builder_add_int_value (b, enc->params.order);
  json_builder_set_member_name (b, "channel_order");
  json_builder_add_string_value (b, "ACN");
  json_builder_set_member_name (b, "normalisation");
  json_builder_add_string_value (b, al_sh_norm_name (enc->params.norm));
  json_builder_set_member_name (b, "sample_rate");
  json_builder_add_double_value (b, enc->fs);
  json_builder_set_member_name (b, "microphones");
  json_builder_add_int_value (b, enc->nmics);
  json_builder_set_member_name (b, "channels");
  json_builder_add_int_value (b, enc->nsh);
  json_builder_set_member_name (b, "fir_length");
  json_builder_add_int_value (b, enc->fir_len);
  json_builder_set_member_name (b, "latency_samples");
  json_builder_add_int_value (b, enc->latency);
  json_builder_set_member_name (b, "max_gain_db");
  json_builder_add_double_value (b, enc->params.max_gain_db);
  json_builder_set_member_name (b, "diffuse_eq");
  json_builder_add_boolean_value (b, enc->params.diffuse_eq);
  json_builder_set_member_name (b, "diffuse_eq_hz");
  json_builder_add_double_value (b, enc->diffuse_eq_hz);
  json_builder_set_member_name (b, "allow_high_order");
  json_builder_add_boolean_value (b, enc->params.allow_high_order);
  json_builder_set_member_name (b, "atf_delay_samples");
  json_builder_add_double_value (b, enc->atf_delay);
  json_builder_set_member_name (b, "max_amplification_db");
  json_builder_add_double_value (b, isfinite (enc->max_amp_db) ? enc->max_amp_db : 0.0);
  json_builder_set_member_name (b, "filters");
  json_builder_add_string_value (b, wav_name);
  json_builder_set_member_name (b, "filter_layout");
  json_builder_add_string_value (b, "matrixconv");
  g_autofree char *checksum = fir_checksum (enc);
  json_builder_set_member_name (b, "filters_sha256");
  json_builder_add_string_value (b, checksum);
  json_builder_set_member_name (b, "provenance");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "atf");
  json_builder_add_string_value (b, enc->atf_source ? enc->atf_source : "");
  json_builder_set_member_name (b, "created");
  json_builder_add_string_value (b, enc->created ? enc->created : "");
  json_builder_set_member_name (b, "software");
  json_builder_add_string_value (b, "Ambilab " AL_VERSION);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "warnings");
  json_builder_begin_array (b);
  for (guint i = 0; enc->warnings && i < enc->warnings->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (enc->warnings, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  return al_json_write (json_path, root, error);
}

/* A required member of the right kind: a string, or a number. */
static gboolean
require_member (JsonObject *o, const char *member, gboolean string, const char *path, GError **error)
{
  JsonNode *node = json_object_get_member (o, member);
  if (node == NULL)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: missing “%s”", path, member);
      return FALSE;
    }
  GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  gboolean ok = string ? type == G_TYPE_STRING : (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE);
  if (!ok)
    g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: “%s” must be a %s", path, member,
                 string ? "string" : "number");
  return ok;
}


AlEncoder *
al_encoder_load (const char *json_path, GError **error)
{
  g_autoptr (JsonNode) root = al_json_read (json_path, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: not an encoder description (no JSON object)", json_path);
      return NULL;
    }
  JsonObject *o = json_node_get_object (root);
  const char *format = json_object_get_string_member_with_default (o, "format", "");
  if (strcmp (format, ENCODER_FORMAT) != 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: not an Ambilab encoder (format “%s”)", json_path, format);
      return NULL;
    }
  static const char *strings[] = { "method", "normalisation", "filters" };
  static const char *numbers[] = { "order", "sample_rate", "microphones", "fir_length", "latency_samples" };
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    if (!require_member (o, strings[i], TRUE, json_path, error))
      return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    if (!require_member (o, numbers[i], FALSE, json_path, error))
      return NULL;

  g_autoptr (AlEncoder) enc = g_new0 (AlEncoder, 1);
  al_design_params_init (&enc->params);
  enc->warnings = g_ptr_array_new_with_free_func (g_free);
  if (!al_design_method_parse (json_object_get_string_member (o, "method"), &enc->params.method, error)
      || !al_sh_norm_parse (json_object_get_string_member (o, "normalisation"), &enc->params.norm, error))
    {
      g_prefix_error (error, "%s: ", json_path);
      return NULL;
    }
  enc->params.order = (int) json_object_get_int_member (o, "order");
  enc->params.max_gain_db = json_object_get_double_member_with_default (o, "max_gain_db", 0);
  enc->params.diffuse_eq = json_object_get_boolean_member_with_default (o, "diffuse_eq", FALSE);
  enc->params.diffuse_eq_hz = json_object_get_double_member_with_default (o, "diffuse_eq_hz", 0);
  enc->params.allow_high_order = json_object_get_boolean_member_with_default (o, "allow_high_order", FALSE);
  enc->diffuse_eq_hz = enc->params.diffuse_eq_hz;
  enc->fs = json_object_get_double_member (o, "sample_rate");
  enc->nmics = (int) json_object_get_int_member (o, "microphones");
  enc->fir_len = (int) json_object_get_int_member (o, "fir_length");
  enc->params.fir_length = enc->fir_len;
  enc->latency = (int) json_object_get_int_member (o, "latency_samples");
  enc->atf_delay = json_object_get_double_member_with_default (o, "atf_delay_samples", 0);
  enc->max_amp_db = json_object_get_double_member_with_default (o, "max_amplification_db", 0);
  enc->name = g_strdup (json_object_get_string_member_with_default (o, "name", ""));
  if (enc->params.order < 0 || enc->params.order > AL_SH_MAX_ORDER || enc->nmics < 1 || enc->fir_len < 1
      || !(enc->fs > 0) || enc->latency < 0 || enc->latency >= enc->fir_len)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_FORMAT,
                   "%s: implausible encoder (order %d, %d microphones, %d taps, latency %d, %g Hz)",
                   json_path, enc->params.order, enc->nmics, enc->fir_len, enc->latency, enc->fs);
      return NULL;
    }
  enc->nsh = al_sh_count (enc->params.order);
  JsonObject *prov = json_object_get_object_member (o, "provenance");
  if (prov)
    {
      enc->atf_source = g_strdup (json_object_get_string_member_with_default (prov, "atf", ""));
      enc->created = g_strdup (json_object_get_string_member_with_default (prov, "created", ""));
    }
  JsonArray *warnings = json_object_get_array_member (o, "warnings");
  for (guint i = 0; warnings && i < json_array_get_length (warnings); i++)
    g_ptr_array_add (enc->warnings, g_strdup (json_array_get_string_element (warnings, i)));

  g_autofree char *dir = g_path_get_dirname (json_path);
  g_autofree char *wav_path = g_build_filename (dir, json_object_get_string_member (o, "filters"), NULL);
  g_autoptr (AlAudio) audio = al_audio_read (wav_path, error);
  if (audio == NULL)
    return NULL;
  if (audio->nchannels != enc->nsh || audio->nframes != (gint64) enc->nmics * enc->fir_len)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH,
                   "%s: expected %d channels × %d samples (%d microphones × %d taps) for order %d, found %d × %" G_GINT64_FORMAT,
                   wav_path, enc->nsh, enc->nmics * enc->fir_len, enc->nmics, enc->fir_len, enc->params.order,
                   audio->nchannels, audio->nframes);
      return NULL;
    }
  if (fabs (audio->fs - enc->fs) > 1e-6)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH, "%s: filters at %g Hz but %s says %g Hz",
                   wav_path, audio->fs, json_path, enc->fs);
      return NULL;
    }
  if (!al_check_finite_float (audio->data, (size_t) audio->nframes * audio->nchannels, wav_path, error))
    return NULL;
  enc->fir = g_new (float, (gsize) enc->nsh * enc->nmics * enc->fir_len);
  for (int c = 0; c < enc->nsh; c++)
    for (int q = 0; q < enc->nmics; q++)
      for (int i = 0; i < enc->fir_len; i++)
        enc->fir[((gsize) c * enc->nmics + q) * enc->fir_len + i] =
          audio->data[((gsize) q * enc->fir_len + i) * enc->nsh + c];
  const char *expected = json_object_get_string_member_with_default (o, "filters_sha256", NULL);
  g_autofree char *actual = fir_checksum (enc);
  if (expected != NULL && g_strcmp0 (expected, actual) != 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH,
                   "%s does not hold the filters %s describes (checksum differs); design the encoder again",
                   wav_path, json_path);
      return NULL;
    }
  return g_steal_pointer (&enc);
}

gboolean
al_encoder_export_mcfx (const AlEncoder *enc, const char *conf_path, const char *wav_name, GError **error)
{
  /* jconvolver syntax, read by mcfx_convolver: /impulse/read in out gain
   * delay offset length channel file — each filter is a slice of the
   * MatrixConv WAV. */
  g_autoptr (GString) s = g_string_new (NULL);
  g_string_append_printf (s, "# Ambilab encoder: order %d, %s, ACN, %d microphones, %d taps at %g Hz\n"
                             "# latency %d samples; filters in %s (one channel per output)\n",
                          enc->params.order, al_sh_norm_name (enc->params.norm), enc->nmics, enc->fir_len,
                          enc->fs, enc->latency, wav_name);
  g_string_append_printf (s, "/convolver/new %d %d 512 %d\n\n", enc->nmics, enc->nsh, enc->fir_len);
  for (int c = 0; c < enc->nsh; c++)
    for (int q = 0; q < enc->nmics; q++)
      g_string_append_printf (s, "/impulse/read %d %d 1 0 %d %d %d %s\n",
                              q + 1, c + 1, q * enc->fir_len, enc->fir_len, c + 1, wav_name);
  return al_write_file_atomic (conf_path, s->str, s->len, error);
}
