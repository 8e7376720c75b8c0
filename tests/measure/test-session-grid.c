/* test-session-grid.c — grid specs: ranges, lists, poles, defaults, and one
 * clear message per malformed spec; mic-position files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-session.h"

#include <glib/gstdio.h>

static void
test_grid_parse (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSessionGrid) g = al_session_grid_parse ("az=0:360:10;el=-60,-30,0,30,60", &error);
  g_assert_no_error (error);
  g_assert_cmpint (g->n, ==, 36 * 5);
  g_assert_cmpfloat (g->azimuth_deg[0], ==, 0.0);
  g_assert_cmpfloat (g->azimuth_deg[35], ==, 350.0);
  g_assert_cmpfloat (g->elevation_deg[0], ==, -60.0);
  g_assert_cmpfloat (g->elevation_deg[36], ==, -30.0);
  g_assert_cmpfloat (g->elevation_deg[179], ==, 60.0);

  /* Negative azimuths wrap into [0, 360); el defaults to 0. */
  g_autoptr (AlSessionGrid) h = al_session_grid_parse ("az=-90,0,90", &error);
  g_assert_no_error (error);
  g_assert_cmpint (h->n, ==, 3);
  g_assert_cmpfloat (h->azimuth_deg[0], ==, 270.0);
  g_assert_cmpfloat (h->elevation_deg[2], ==, 0.0);

  /* A pole is one direction; a range of elevations includes its stop. */
  g_autoptr (AlSessionGrid) p = al_session_grid_parse ("az=0:360:90;el=0:90:45", &error);
  g_assert_no_error (error);
  g_assert_cmpint (p->n, ==, 4 + 4 + 1);
  g_assert_cmpfloat (p->elevation_deg[8], ==, 90.0);
  g_assert_cmpfloat (p->azimuth_deg[8], ==, 0.0);
}

static void
test_grid_errors (void)
{
  static const struct { const char *spec, *expect; } cases[] = {
    { "az=0:360", "START:STOP:STEP" },
    { "az=0:360:0", "step must be > 0" },
    { "az=0:x:10", "'x' is not a number" },
    { "az=0,10;el=100", "outside" },
    { "az=0,10;az=20", "az is given twice" },
    { "el=0", "az= (the azimuths) is missing" },
    { "az=0,360", "appears twice" },
    { "azi=0", "unknown key 'azi'" },
    { "az", "is not KEY=VALUES" },
    { "az=0,,10", "'' is not a number" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (AlSessionGrid) g = al_session_grid_parse (cases[i].spec, &error);
      g_assert_null (g);
      g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
      g_test_message ("%s -> %s", cases[i].spec, error->message);
      g_assert_nonnull (strstr (error->message, cases[i].expect));
      g_assert_nonnull (strstr (error->message, cases[i].spec));
    }
}

static void
test_mic_positions (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("al-mics-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "mics.txt", NULL);
  g_assert_true (g_file_set_contents (path, "# x y z\n0.1 0 0\n0,0.1,0.02 # left\n\n-0.1\t0\t0\n", -1, NULL));
  int n = 0;
  g_autofree double *pos = al_session_read_mic_positions (path, &n, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 3);
  g_assert_cmpfloat (pos[4], ==, 0.1);
  g_assert_cmpfloat (pos[5], ==, 0.02);
  g_assert_cmpfloat (pos[6], ==, -0.1);
  g_assert_true (g_file_set_contents (path, "0.1 0\n", -1, NULL));
  g_assert_null (al_session_read_mic_positions (path, &n, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "line 1"));
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/session/grid/parse", test_grid_parse);
  g_test_add_func ("/session/grid/errors", test_grid_errors);
  g_test_add_func ("/session/mic-positions", test_mic_positions);
  return g_test_run ();
}
