/* test-session-extra.c — sessions that average repeated sweeps (the IR
 * noise floor drops 10·log10 N dB, the IRs still match the truth, the
 * setting is stored and checked on resume) and sessions that drive a second
 * (elevation) turntable instead of asking for re-mounts (no prompt, the
 * SOFA's elevations are the rings', a fault on that table pauses with its
 * name and the run continues).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "session-fixture.h"

#define AVG_IR_LEN 8192
#define AVG_TAIL 1024 /* taps from here on hold no truth (256 taps): noise only */

static char *tmpdir, *truth_path;
static AlAtfSet *truth;

/* Worst error of a measured set against the truth, 100 Hz – 16 kHz. */
static double
worst_truth_error (const AlAtfSet *m)
{
  double worst = -400.0;
  for (int d = 0; d < m->ndirs; d++)
    {
      int t = fixture_truth_index (truth, AL_RAD2DEG (m->dirs[2 * d]), AL_RAD2DEG (m->dirs[2 * d + 1]));
      g_assert_cmpint (t, >=, 0);
      for (int r = 0; r < m->nmics; r++)
        worst = fmax (worst, fixture_band_error_db (m->ir + ((size_t) d * m->nmics + r) * m->ir_len,
                                            truth->ir + ((size_t) t * truth->nmics + r) * FIX_IR_LEN, 48000, 100,
                                            16000));
    }
  return worst;
}

/* ---- Averaging ---- */

/* Mean energy per tap and IR of the tails (taps AVG_TAIL …) in 100 Hz –
 * 16 kHz: the band-edge ringing of the deconvolution (below f1, above f2)
 * is the same in every run and would hide how much noise averaging
 * removes.  Relative measure only (window gain not undone). */
static double
band_tail_energy (const AlAtfSet *m)
{
  const int n = AVG_IR_LEN - AVG_TAIL, nfft = AVG_IR_LEN;
  AlFft *fft = al_fft_new (nfft);
  g_autofree double *buf = g_new (double, nfft);
  g_autofree double complex *X = g_new (double complex, nfft / 2 + 1);
  double e = 0.0;
  for (int k = 0; k < m->ndirs * m->nmics; k++)
    {
      /* Hann: the ringing's rectangular-window leakage stays out of the band. */
      memset (buf, 0, sizeof (double) * nfft);
      for (int i = 0; i < n; i++)
        buf[i] = m->ir[(size_t) k * AVG_IR_LEN + AVG_TAIL + i] * (0.5 - 0.5 * cos (2.0 * G_PI * (i + 0.5) / n));
      al_fft_forward (fft, buf, X);
      for (int b = 0; b <= nfft / 2; b++)
        {
          double f = b * 48000.0 / nfft;
          if (f >= 100.0 && f <= 16000.0)
            e += creal (X[b] * conj (X[b]));
        }
    }
  al_fft_free (fft);
  return e / ((double) n * nfft * m->ndirs * m->nmics);
}

static int record_calls;

static gboolean
count_records (int index, int attempt, AlRecording *rec, gpointer data, GError **error)
{
  record_calls++;
  return TRUE;
}

/* A session at −60 dBFS noise with `averages` sweeps per direction: its
 * IRs (AVG_IR_LEN taps) and the mean energy per tap of their tails. */
static AlAtfSet *
run_averaged (const char *name, int averages, double *tail_energy)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_build_filename (tmpdir, name, NULL);
  AlSessionConfig c;
  fixture_config (&c, truth_path, "az=0:360:90;el=0", NULL);
  g_free (c.audio_uri);
  c.audio_uri = g_strdup_printf ("sim:truth=%s&noise=-60&latency=%g&seed=5", truth_path, FIX_LATENCY);
  c.ir_len = AVG_IR_LEN;
  c.averages = averages;
  g_autoptr (AlTurntableClock) clock = al_turntable_clock_new_virtual (0);
  g_autoptr (AlSession) s = fixture_open (dir, &c, FALSE, clock, &error);
  g_assert_no_error (error);
  record_calls = 0;
  al_session_set_record_func (s, count_records, NULL);
  g_assert_true (al_session_run (s, NULL, &error));
  g_assert_no_error (error);
  AlSessionSummary sum;
  al_session_get_summary (s, &sum);
  g_assert_cmpint (sum.done, ==, 4);
  g_assert_cmpint (sum.nretried, ==, 0);
  g_assert_cmpint (sum.nflagged, ==, 0);
  /* 4 directions and the reference repeat, each `averages` sweeps. */
  g_assert_cmpint (record_calls, ==, 5 * averages);
  g_assert_cmpfloat (fabs (sum.latency_min - FIX_LATENCY), <, 0.01);
  g_assert_cmpfloat (fabs (sum.latency_max - FIX_LATENCY), <, 0.01);
  AlAtfSet *m = al_session_build_atf (s, &error);
  g_assert_no_error (error);
  g_assert_cmpint (m->ir_len, ==, AVG_IR_LEN);
  *tail_energy = band_tail_energy (m);
  al_session_config_clear (&c);
  return m;
}

static void
test_averages_noise_floor (void)
{
  double e1 = 0.0, e4 = 0.0;
  g_autoptr (AlAtfSet) m1 = run_averaged ("avg1", 1, &e1);
  g_autoptr (AlAtfSet) m4 = run_averaged ("avg4", 4, &e4);
  double gain = 10.0 * log10 (e1 / e4);
  double err1 = worst_truth_error (m1), err4 = worst_truth_error (m4);
  g_test_message ("IR tail noise: %.1f dB (1 sweep), %.1f dB (4 averaged): %.2f dB lower; worst error against the "
                  "truth %.1f dB → %.1f dB", 10.0 * log10 (e1), 10.0 * log10 (e4), gain, err1, err4);
  /* Uncorrelated noise: 10·log10 4 = 6.02 dB. */
  g_assert_cmpfloat (fabs (gain - 6.02), <, 1.0);
  /* The error against the truth is the chain's own (−80 dB noise gives the
   * same): averaging must not make it worse. */
  g_assert_cmpfloat (err4, <, -35.0);
  g_assert_cmpfloat (err4, <, err1 + 0.5);

  /* Stored, checked on resume, and taken over with config NULL. */
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_build_filename (tmpdir, "avg4", NULL);
  g_autofree char *cfg = g_build_filename (dir, "session.json", NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (cfg, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"averages\" : 4"));
  g_autoptr (AlSession) r = al_session_open (dir, NULL, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (al_session_get_config (r)->averages, ==, 4);
  g_assert_cmpint (al_session_get_n_done (r), ==, 4);
  g_assert_null (al_session_get_elevation_turntable (r));
  AlSessionConfig c;
  fixture_config (&c, truth_path, "az=0:360:90;el=0", NULL);
  g_free (c.audio_uri);
  c.audio_uri = g_strdup_printf ("sim:truth=%s&noise=-60&latency=%g&seed=5", truth_path, FIX_LATENCY);
  c.ir_len = AVG_IR_LEN;
  c.averages = 2;
  g_assert_null (al_session_open (dir, &c, TRUE, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_MISMATCH);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "4 averages there, 2 here"));
  g_clear_error (&error);
  c.averages = 0;
  g_autofree char *bad = g_build_filename (tmpdir, "avg0", NULL);
  g_assert_null (al_session_open (bad, &c, FALSE, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "averages must be 1"));
  al_session_config_clear (&c);
}

/* ---- A second turntable for the elevation ---- */

static gboolean
no_remount (const AlSessionRemount *r, gpointer data)
{
  (*(int *) data)++;
  return TRUE;
}

typedef struct {
  GCancellable *cancel;
  int stop_at;
} StopAt;

static void
stop_after (const AlSessionProgress *p, gpointer data)
{
  StopAt *st = data;
  if (p->done >= st->stop_at)
    g_cancellable_cancel (st->cancel);
}

static AlSession *
open_elevation (const char *dir, const char *elev_uri, gboolean resume, AlTurntableClock *clock, GError **error)
{
  AlSessionConfig c;
  fixture_config (&c, truth_path, "az=0:360:90;el=-30,30", NULL);
  c.elevation_turntable = g_strdup (elev_uri);
  c.timeout_ms = 30000;
  AlSession *s = fixture_open (dir, &c, resume, clock, error);
  if (s != NULL)
    al_turntable_set_clock (al_session_get_elevation_turntable (s), clock);
  al_session_config_clear (&c);
  return s;
}

static void
test_elevation_turntable (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_build_filename (tmpdir, "elev", NULL);
  g_autoptr (AlTurntableClock) clock = al_turntable_clock_new_virtual (0);
  g_autoptr (AlSession) s = open_elevation (dir, "sim:?speed=30", FALSE, clock, &error);
  g_assert_no_error (error);
  g_assert_nonnull (al_session_get_elevation_turntable (s));
  int remounts = 0;
  al_session_set_remount_func (s, no_remount, &remounts);
  g_assert_true (al_session_run (s, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (remounts, ==, 0);
  g_assert_cmpint (al_session_get_n_done (s), ==, 8);

  /* The table ends at the reference direction's ring (the repeat). */
  AlTurntableState st;
  g_assert_true (al_turntable_get_state (al_session_get_elevation_turntable (s), &st, &error));
  g_assert_no_error (error);
  int ref = -1;
  for (int i = 0; i < 8 && ref < 0; i++)
    if (al_session_get_entry (s, i)->ring == 0)
      ref = i;
  double ref_el = al_session_get_grid (s)->elevation_deg[ref];
  g_test_message ("elevation turntable at %.2f°, reference ring at %.0f°", st.position_deg, ref_el);
  g_assert_cmpfloat (fabs (remainder (st.position_deg - ref_el, 360.0)), <, 0.5);

  g_autofree char *sofa = g_build_filename (dir, "atf.sofa", NULL);
  g_assert_true (al_session_write_sofa (s, sofa, &error));
  g_assert_no_error (error);
  g_autoptr (AlAtfSet) m = al_sofa_read (sofa, &error);
  g_assert_no_error (error);
  g_assert_cmpint (m->ndirs, ==, 8);
  int nlow = 0, nhigh = 0;
  for (int d = 0; d < m->ndirs; d++)
    {
      double el = AL_RAD2DEG (m->dirs[2 * d + 1]);
      g_assert_cmpfloat (fabs (el - al_session_get_grid (s)->elevation_deg[d]), <, 1e-9);
      g_assert_cmpfloat (fabs (el - al_session_get_entry (s, d)->elevation_deg), <, 1e-9);
      nlow += fabs (el + 30.0) < 1e-9;
      nhigh += fabs (el - 30.0) < 1e-9;
    }
  g_assert_cmpint (nlow, ==, 4);
  g_assert_cmpint (nhigh, ==, 4);
  double worst = worst_truth_error (m);
  g_test_message ("worst IR error against the truth: %.1f dB", worst);
  g_assert_cmpfloat (worst, <, -35.0);
  g_autofree char *cfg = g_build_filename (dir, "session.json", NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (cfg, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"elevation_turntable\" : \"sim:?speed=30\""));
}

static void
test_elevation_fault (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_build_filename (tmpdir, "elev-fault", NULL);
  g_autoptr (AlTurntableClock) clock = al_turntable_clock_new_virtual (0);
  {
    /* The first ring, then stop. */
    g_autoptr (AlSession) s = open_elevation (dir, "sim:?speed=30", FALSE, clock, &error);
    g_assert_no_error (error);
    g_autoptr (GCancellable) cancel = g_cancellable_new ();
    StopAt st = { cancel, 4 };
    al_session_set_progress_func (s, stop_after, &st);
    g_assert_false (al_session_run (s, cancel, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
  }
  /* Resumed with an elevation table that times out once: the move to the
   * second ring fails and pauses the session. */
  const char *faulty = "sim:?speed=30&fail=timeout&fail_count=1";
  g_autoptr (AlSession) s = open_elevation (dir, faulty, TRUE, clock, &error);
  g_assert_no_error (error);
  g_assert_cmpint (al_session_get_n_done (s), ==, 4);
  const GPtrArray *w = al_session_get_warnings (s);
  gboolean warned = FALSE;
  for (guint i = 0; i < w->len; i++)
    warned |= strstr (g_ptr_array_index (w, i), "elevation turntable changed") != NULL;
  g_assert_true (warned);
  int remounts = 0;
  al_session_set_remount_func (s, no_remount, &remounts);
  g_assert_false (al_session_run (s, NULL, &error));
  g_assert_error (error, AL_TURNTABLE_ERROR, AL_TURNTABLE_ERROR_TIMEOUT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "session paused at direction"));
  g_assert_nonnull (strstr (error->message, "elevation turntable"));
  g_assert_nonnull (strstr (error->message, faulty));
  g_assert_nonnull (strstr (error->message, "4 of 8 kept"));
  g_clear_error (&error);
  g_assert_cmpint (al_session_get_n_done (s), ==, 4);
  /* The fault was once: running again finishes, still without prompts. */
  g_assert_true (al_session_run (s, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (al_session_get_n_done (s), ==, 8);
  g_assert_cmpint (remounts, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_autoptr (GError) error = NULL;
  tmpdir = g_dir_make_tmp ("al-session-extra-XXXXXX", &error);
  g_assert_no_error (error);
  truth_path = fixture_truth (tmpdir, &truth);
  g_test_add_func ("/session/averages-noise-floor", test_averages_noise_floor);
  g_test_add_func ("/session/elevation-turntable", test_elevation_turntable);
  g_test_add_func ("/session/elevation-fault", test_elevation_fault);
  int status = g_test_run ();
  fixture_rm_rf (tmpdir);
  g_free (tmpdir);
  g_free (truth_path);
  al_atf_set_free (truth);
  return status;
}
