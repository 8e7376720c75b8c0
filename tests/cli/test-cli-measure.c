/* test-cli-measure.c — `ambilab-cli measure` and `deconvolve` end to end on
 * the simulated chamber and a sim: turntable: a session writes a SOFA file
 * with the grid's directions, resuming a finished session gives the same
 * IRs, a recording deconvolves to the simulated latency, and every bad
 * set-up is one clear line on stderr with a failing exit status.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "io/al-io.h"
#include "cli-test-util.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#define SWEEP "f1=20,f2=22000,T=0.5,level=-20,pre=0.1,post=0.2"

static void
test_measure (void)
{
  Run r = { 0 };
  run_cli (&r, "measure", "--session", "sess", "--audio", "sim:truth=truth.sofa&noise=-80&latency=300", "--turntable",
       "sim:?speed=0", "--grid", "az=0:360:45;el=0", "--sweep", SWEEP, "--ir-len", "256", "--ir-start", "0",
       "--settle-ms", "0", "-o", "atf.sofa", NULL);
  g_test_message ("%s%s", r.out, r.err);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "atf.sofa: 8 directions, 5 mics, 256 taps at 48000 Hz"));
  g_assert_nonnull (strstr (r.out, "8 pass"));
  g_assert_nonnull (strstr (r.err, "warning: no mic positions"));
  run_clear (&r);

  g_autoptr (GError) error = NULL;
  g_autofree char *p = g_build_filename (dir, "atf.sofa", NULL);
  g_autoptr (AlAtfSet) a = al_sofa_read (p, &error);
  g_assert_no_error (error);
  g_assert_cmpint (a->ndirs, ==, 8);
  g_assert_cmpint (a->nmics, ==, 5);
  for (int d = 0; d < 8; d++)
    {
      /* Grid order, array frame: az 0, 45, …, 315 (= −turntable angle). */
      double az = AL_RAD2DEG (a->dirs[2 * d]);
      g_assert_cmpfloat (fabs (remainder (az - 45.0 * d, 360.0)), <, 1e-6);
      g_assert_cmpfloat (a->dirs[2 * d + 1], ==, 0.0);
    }

  /* Resuming a finished session only writes the SOFA again: same IRs. */
  run_cli (&r, "measure", "--session", "sess", "--resume", "-o", "again.sofa", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "resuming with 8 of 8 directions done"));
  run_clear (&r);
  g_autofree char *q = g_build_filename (dir, "again.sofa", NULL);
  g_autoptr (AlAtfSet) b = al_sofa_read (q, &error);
  g_assert_no_error (error);
  g_assert_cmpint (memcmp (a->ir, b->ir, sizeof (double) * 8 * 5 * 256), ==, 0);

  /* Deconvolve one of its recordings: the simulated latency comes back. */
  run_cli (&r, "deconvolve", "--sweep", SWEEP, "--in", "sess/dir-0002.wav", "--ref", "6", "-o", "ir.wav", NULL);
  g_test_message ("%s%s", r.out, r.err);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "ir.wav: 5 IRs of 512 taps at 48000 Hz"));
  g_assert_nonnull (strstr (r.out, "latency 300.000 samples"));
  g_assert_nonnull (strstr (r.out, "THD"));
  g_assert_nonnull (strstr (r.out, "quality: pass"));
  run_clear (&r);
  g_autofree char *irp = g_build_filename (dir, "ir.wav", NULL);
  g_autoptr (AlAudio) ir = al_audio_read (irp, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ir->nchannels, ==, 5);
  g_assert_cmpint (ir->nframes, ==, 512);
}

/* Two rings on a second (elevation) turntable, two sweeps averaged per
 * direction: no re-mount prompt (none is answered: stdin is empty and
 * there is no --yes), both settings stored and kept on --resume. */
static void
test_measure_elevation_averages (void)
{
  Run r = { 0 };
  run_cli (&r, "measure", "--session", "sess2", "--audio", "sim:truth=truth.sofa&noise=-80&latency=300",
           "--turntable", "sim:?speed=0", "--elevation-turntable", "sim:?speed=0", "--averages", "2", "--grid",
           "az=0:360:90;el=-30,30", "--sweep", SWEEP, "--ir-len", "256", "--ir-start", "0", "--settle-ms", "0", "-o",
           "atf2.sofa", NULL);
  g_test_message ("%s%s", r.out, r.err);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "atf2.sofa: 8 directions, 5 mics, 256 taps at 48000 Hz"));
  g_assert_nonnull (strstr (r.out, "8 pass"));
  g_assert_null (strstr (r.err, "Mount the array"));
  run_clear (&r);

  g_autoptr (GError) error = NULL;
  g_autofree char *p = g_build_filename (dir, "atf2.sofa", NULL);
  g_autoptr (AlAtfSet) a = al_sofa_read (p, &error);
  g_assert_no_error (error);
  g_assert_cmpint (a->ndirs, ==, 8);
  for (int d = 0; d < 8; d++)
    {
      /* Grid order: the −30° ring, then the +30° ring. */
      g_assert_cmpfloat (fabs (remainder (AL_RAD2DEG (a->dirs[2 * d]) - 90.0 * (d % 4), 360.0)), <, 1e-6);
      g_assert_cmpfloat (fabs (AL_RAD2DEG (a->dirs[2 * d + 1]) - (d < 4 ? -30.0 : 30.0)), <, 1e-9);
    }
  g_autofree char *cfg = g_build_filename (dir, "sess2", "session.json", NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (cfg, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"averages\" : 2"));
  g_assert_nonnull (strstr (text, "\"elevation_turntable\" : \"sim:?speed=0\""));

  /* --resume takes both from session.json: nothing changed, no warning. */
  run_cli (&r, "measure", "--session", "sess2", "--resume", "-o", "again2.sofa", NULL);
  g_test_message ("%s%s", r.out, r.err);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "resuming with 8 of 8 directions done"));
  g_assert_null (strstr (r.err, "warning: elevation turntable changed"));
  run_clear (&r);
  /* Another number of averages measures something else. */
  run_cli (&r, "measure", "--session", "sess2", "--resume", "--averages", "3", "-o", "other2.sofa", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "2 averages there, 3 here"));
  run_clear (&r);
  run_cli (&r, "measure", "--session", "sess3", "--audio", "sim:truth=truth.sofa", "--turntable", "sim:?speed=0",
           "--grid", "az=0:360:90", "--sweep", SWEEP, "--averages", "-1", "-o", "bad3.sofa", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "averages must be 1 … 256, not -1"));
  g_assert_null (strchr (g_strchomp (r.err), '\n'));
  run_clear (&r);
}

/* One line on stderr (warnings aside) that says what is wrong. */
static void
test_bad_setups (void)
{
  static const struct {
    const char *what, *audio, *grid, *sweep, *extra, *expect;
  } cases[] = {
    { "missing device", "sim:truth=nosuch.sofa", "az=0:360:90", SWEEP, NULL, "nosuch.sofa: cannot open" },
    { "too few channels", "sim:truth=truth.sofa", "az=0:360:90", SWEEP, "mics7.txt",
      "records 5 mic inputs but mics7.txt lists 7 mic positions" },
    { "unsupported rate", "sim:truth=truth.sofa&rate=44100", "az=0:360:90", SWEEP, NULL, "does not run at 44100 Hz" },
    { "sweep rate", "sim:truth=truth.sofa", "az=0:360:90", "T=0.5,level=-20,fs=96000", NULL,
      "runs at 48000 Hz but the sweep" },
    { "reference silent", "sim:truth=truth.sofa&loopback=-60", "az=0:360:90", SWEEP, NULL,
      "the reference input 6 is silent" },
    { "clipping", "sim:truth=truth.sofa", "az=0:360:90", "T=0.5,level=0", NULL, "clip at the start level 0.0 dBFS" },
    { "grid", "sim:truth=truth.sofa", "az=0:360;el=0", SWEEP, NULL, "grid 'az=0:360;el=0': az=0:360: a range is" },
    { "sweep", "sim:truth=truth.sofa", "az=0:360:90", "T=0.5,f9=1", NULL, "unknown key “f9”" },
  };
  g_autofree char *mics = g_build_filename (dir, "mics7.txt", NULL);
  g_assert_true (g_file_set_contents (mics, "0 0 0\n0 0 0\n0 0 0\n0 0 0\n0 0 0\n0 0 0\n0 0 0\n", -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Run r = { 0 };
      g_autofree char *sess = g_strdup_printf ("bad%u", i);
      run_cli (&r, "measure", "--session", sess, "--audio", cases[i].audio, "--turntable", "sim:?speed=0", "--grid",
           cases[i].grid, "--sweep", cases[i].sweep, "--settle-ms", "0", "-o", "bad.sofa",
           cases[i].extra ? "--mics-pos" : NULL, cases[i].extra, NULL);
      g_test_message ("%s: %s", cases[i].what, r.err);
      g_assert_cmpint (r.status, !=, 0);
      g_auto (GStrv) lines = g_strsplit (g_strchomp (r.err), "\n", -1);
      int nerr = 0;
      for (int l = 0; lines[l] != NULL; l++)
        {
          if (g_str_has_prefix (lines[l], "warning: "))
            continue;
          g_assert_true (g_str_has_prefix (lines[l], "ambilab-cli measure: error: "));
          g_assert_nonnull (strstr (lines[l], cases[i].expect));
          nerr++;
        }
      g_assert_cmpint (nerr, ==, 1);
      /* Nothing is left behind that would block the next try. */
      g_autofree char *cfg = g_build_filename (dir, sess, "session.json", NULL);
      g_assert_false (g_file_test (cfg, G_FILE_TEST_EXISTS));
      run_clear (&r);
    }

  /* A folder of another configuration. */
  Run r = { 0 };
  run_cli (&r, "measure", "--session", "sess", "--resume", "--grid", "az=0:360:90", "-o", "other.sofa", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "sess/session.json: the session folder belongs to a different configuration"));
  g_assert_null (strchr (g_strchomp (r.err), '\n'));
  run_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  cli = g_getenv ("AMBILAB_CLI");
  g_assert_nonnull (cli);
  g_autoptr (GError) error = NULL;
  dir = g_dir_make_tmp ("al-cli-measure-XXXXXX", &error);
  g_assert_no_error (error);
  Run r = { 0 };
  run_cli (&r, "array", "simulate", "--preset", "glasses5", "--grid", "gauss:5", "--ir-length", "256", "-o", "truth.sofa",
       NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  g_test_add_func ("/cli/measure/session", test_measure);
  g_test_add_func ("/cli/measure/bad-setups", test_bad_setups);
  g_test_add_func ("/cli/measure/elevation-averages", test_measure_elevation_averages);
  int status = g_test_run ();
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", dir);
  if (system (rm) != 0)
    g_warning ("could not remove %s", dir);
  return status;
}
