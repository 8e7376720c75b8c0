/* test-json.c — JSON round trip, pretty output, syntax errors with line numbers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-io.h"
#include "io-test-util.h"

#include <math.h>
#include <string.h>

static void
assert_error_contains (const GError *error, AlErrorCode code, const char *a, const char *b)
{
  g_assert_nonnull (error);
  if (g_test_verbose ())
    g_test_message ("error: %s", error->message);
  g_assert_error (error, AL_ERROR, (gint) code);
  if (strstr (error->message, a) == NULL || (b != NULL && strstr (error->message, b) == NULL))
    g_error ("message \"%s\" lacks \"%s\"%s%s", error->message, a, b ? " or " : "", b ? b : "");
}

static JsonNode *
sample_tree (double gain)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "method");
  json_builder_add_string_value (b, "ls-tikhonov «ü»");
  json_builder_set_member_name (b, "order");
  json_builder_add_int_value (b, 3);
  json_builder_set_member_name (b, "gain");
  json_builder_add_double_value (b, gain);
  json_builder_set_member_name (b, "list");
  json_builder_begin_array (b);
  json_builder_add_int_value (b, -7);
  json_builder_add_double_value (b, 2.5e-300);
  json_builder_add_boolean_value (b, TRUE);
  json_builder_add_null_value (b);
  json_builder_begin_object (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
test_roundtrip (void)
{
  g_autofree char *dir = io_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "encoder.json", NULL);
  g_autoptr (JsonNode) root = sample_tree (0.1);
  g_autoptr (GError) error = NULL;
  g_assert_true (al_json_write (path, root, &error));
  g_assert_no_error (error);
  g_autofree char *listing = io_test_dir_list (dir);
  g_assert_cmpstr (listing, ==, "encoder.json");

  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "{\n  \"method\" : \"ls-tikhonov «ü»\",\n  \"order\" : 3,"));
  g_assert_true (g_str_has_suffix (text, "}\n"));

  g_autoptr (JsonNode) back = al_json_read (path, &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (root, back));
  JsonObject *o = json_node_get_object (back);
  g_assert_cmpstr (json_object_get_string_member (o, "method"), ==, "ls-tikhonov «ü»");
  g_assert_cmpint (json_object_get_int_member (o, "order"), ==, 3);
  g_assert_cmpfloat (json_object_get_double_member (o, "gain"), ==, 0.1);
  JsonArray *list = json_object_get_array_member (o, "list");
  g_assert_cmpuint (json_array_get_length (list), ==, 5);
  g_assert_cmpint (json_array_get_int_element (list, 0), ==, -7);
  g_assert_cmpfloat (json_array_get_double_element (list, 1), ==, 2.5e-300);
  io_test_dir_remove (dir);
}

static void
test_errors (void)
{
  g_autofree char *dir = io_test_dir_new ();
  g_autoptr (GError) error = NULL;

  g_autofree char *bad = g_build_filename (dir, "bad.json", NULL);
  g_assert_true (g_file_set_contents (bad, "{\n  \"a\": 1,\n  \"b\": [1, 2,,]\n}\n", -1, NULL));
  g_autoptr (JsonNode) n1 = al_json_read (bad, &error);
  g_assert_null (n1);
  assert_error_contains (error, AL_ERROR_FORMAT, "bad.json: line 3,", "JSON syntax error");
  g_clear_error (&error);

  g_autofree char *empty = g_build_filename (dir, "empty.json", NULL);
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_autoptr (JsonNode) n2 = al_json_read (empty, &error);
  g_assert_null (n2);
  assert_error_contains (error, AL_ERROR_FORMAT, "empty.json", "empty");
  g_clear_error (&error);

  g_autofree char *missing = g_build_filename (dir, "absent.json", NULL);
  g_autoptr (JsonNode) n3 = al_json_read (missing, &error);
  g_assert_null (n3);
  assert_error_contains (error, AL_ERROR_IO, missing, "cannot read");
  g_clear_error (&error);

  /* JSON cannot hold NaN: refused with its location, nothing written. */
  g_autofree char *nan = g_build_filename (dir, "metrics.json", NULL);
  g_autoptr (JsonNode) tree = sample_tree (NAN);
  g_assert_false (al_json_write (nan, tree, &error));
  assert_error_contains (error, AL_ERROR_INVALID_INPUT, "metrics.json: value at /gain is NaN", NULL);
  g_clear_error (&error);

  g_autofree char *nowhere = g_build_filename (dir, "no-such-folder", "x.json", NULL);
  g_autoptr (JsonNode) ok_tree = sample_tree (1.0);
  g_assert_false (al_json_write (nowhere, ok_tree, &error));
  assert_error_contains (error, AL_ERROR_IO, nowhere, "cannot write");

  g_autofree char *listing = io_test_dir_list (dir);
  g_assert_cmpstr (listing, ==, "bad.json empty.json");
  io_test_dir_remove (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/io/json/roundtrip", test_roundtrip);
  g_test_add_func ("/io/json/errors", test_errors);
  return g_test_run ();
}
