/* test-session-run.c — whole sessions on the simulated chamber (glasses5
 * truth, −80 dBFS noise, latency 257.3 samples) and a sim: turntable in a
 * virtual clock: the SOFA matches the truth with source azimuth = −turntable
 * angle; interrupted and resumed sessions (cancelled after k directions, a
 * torn journal line, a deleted WAV) give the same IRs bit for bit; failing
 * QC is retried and flagged; dropouts are redone; a turntable fault pauses
 * and the run continues; folders of another configuration are refused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "session-fixture.h"

static char *tmpdir, *truth_path;
static AlAtfSet *truth;

static gboolean
count_remount (const AlSessionRemount *r, gpointer data)
{
  int *n = data;
  /* Rings in order, then back to the first for the reference repeat. */
  g_assert_cmpint (r->ring, ==, *n < 3 ? *n : 0);
  g_assert_cmpint (r->nrings, ==, 3);
  g_assert_cmpfloat (r->elevation_deg, ==, -30.0 + 30.0 * r->ring);
  (*n)++;
  return TRUE;
}

static void
progress_eta (const AlSessionProgress *p, gpointer data)
{
  double *last_eta = data;
  g_assert_cmpfloat (p->fraction, >=, 0.0);
  g_assert_cmpfloat (p->fraction, <=, 1.0);
  if (!isnan (p->eta_s))
    *last_eta = p->eta_s;
}

static void
test_full_session (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_build_filename (tmpdir, "full", NULL);
  AlSessionConfig c;
  fixture_config (&c, truth_path, "az=0:360:30;el=-30,0,30", NULL);
  g_autoptr (AlTurntableClock) clock = al_turntable_clock_new_virtual (0);
  g_autoptr (AlSession) s = fixture_open (dir, &c, FALSE, clock, &error);
  g_assert_no_error (error);
  int remounts = 0;
  double eta = NAN;
  al_session_set_remount_func (s, count_remount, &remounts);
  al_session_set_progress_func (s, progress_eta, &eta);
  g_assert_true (al_session_run (s, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (remounts, ==, 4);
  g_assert_cmpint (al_session_get_n_done (s), ==, 36);
  g_assert_false (isnan (eta));

  AlSessionSummary sum;
  al_session_get_summary (s, &sum);
  g_autofree char *text = al_session_summary_to_string (s);
  g_test_message ("%s", text);
  g_assert_cmpint (sum.done, ==, 36);
  g_assert_cmpint (sum.nflagged, ==, 0);
  g_assert_true (sum.repeat_done);
  g_assert_cmpfloat (sum.repeat_error_db, <, -40.0);
  g_assert_cmpfloat (fabs (sum.repeat_level_db), <, 0.01);
  g_assert_cmpfloat (fabs (sum.latency_min - FIX_LATENCY), <, 0.01);
  g_assert_cmpfloat (fabs (sum.latency_max - FIX_LATENCY), <, 0.01);
  /* The 12 × 3 grid in travel order: 3 rings swept, cable never beyond the limits. */
  g_autofree char *sofa = g_build_filename (dir, "atf.sofa", NULL);
  g_assert_true (al_session_write_sofa (s, sofa, &error));
  g_assert_no_error (error);
  g_autoptr (AlAtfSet) m = al_sofa_read (sofa, &error);
  g_assert_no_error (error);
  g_assert_cmpint (m->ndirs, ==, 36);
  g_assert_cmpint (m->nmics, ==, 5);
  g_assert_cmpint (m->ir_len, ==, FIX_IR_LEN);
  double worst = -400.0;
  for (int d = 0; d < m->ndirs; d++)
    {
      const AlSessionEntry *e = al_session_get_entry (s, d);
      double az = AL_RAD2DEG (m->dirs[2 * d]), el = AL_RAD2DEG (m->dirs[2 * d + 1]);
      /* DESIGN.md §3: the source sits at −(turntable angle). */
      g_assert_cmpfloat (fabs (remainder (az + e->read_back_deg, 360.0)), <, 1e-9);
      g_assert_cmpfloat (fabs (remainder (az + e->angle_deg, 360.0)), <, 0.02);
      g_assert_cmpfloat (fabs (remainder (az - al_session_get_grid (s)->azimuth_deg[d], 360.0)), <, 0.02);
      int t = fixture_truth_index (truth, az, el);
      g_assert_cmpint (t, >=, 0);
      for (int r = 0; r < m->nmics; r++)
        {
          double err = fixture_band_error_db (m->ir + ((size_t) d * m->nmics + r) * FIX_IR_LEN,
                                      truth->ir + ((size_t) t * truth->nmics + r) * FIX_IR_LEN, 48000, 100, 16000);
          worst = fmax (worst, err);
          g_assert_cmpfloat (err, <, -35.0);
        }
    }
  g_test_message ("worst IR error against the truth: %.1f dB (100 Hz – 16 kHz)", worst);
  al_session_config_clear (&c);
}

/* ---- Interrupted and resumed ---- */

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

static int record_calls;

static gboolean
count_records (int index, int attempt, AlRecording *rec, gpointer data, GError **error)
{
  record_calls++;
  return TRUE;
}

static AlAtfSet *
run_session (const char *name, const int *stops, int nstops, gboolean tear)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_build_filename (tmpdir, name, NULL);
  AlSessionConfig c;
  fixture_config (&c, truth_path, "az=0:360:30;el=0", NULL);
  g_autoptr (AlTurntableClock) clock = al_turntable_clock_new_virtual (0);
  for (int k = 0; k <= nstops; k++)
    {
      g_autoptr (AlSession) s = fixture_open (dir, &c, k > 0, clock, &error);
      g_assert_no_error (error);
      al_session_set_record_func (s, count_records, NULL);
      g_autoptr (GCancellable) cancel = g_cancellable_new ();
      StopAt st = { cancel, k < nstops ? stops[k] : 1000 };
      al_session_set_progress_func (s, stop_after, &st);
      gboolean ok = al_session_run (s, cancel, &error);
      if (k == nstops)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          AlAtfSet *set = al_session_build_atf (s, &error);
          g_assert_no_error (error);
          al_session_config_clear (&c);
          return set;
        }
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&error);
      g_assert_cmpint (al_session_get_n_done (s), ==, stops[k]);
      if (tear)
        {
          /* Power loss: the last line half written, the last WAV gone. */
          g_autofree char *journal = g_build_filename (dir, "journal.jsonl", NULL);
          g_autofree char *text = NULL;
          gsize len;
          g_assert_true (g_file_get_contents (journal, &text, &len, NULL));
          g_assert_cmpint (text[len - 1], ==, '\n');
          char *last = g_strrstr_len (text, len - 1, "\n");
          last = last ? last + 1 : text;
          char *wav = strstr (last, "dir-");
          g_autofree char *wav_name = g_strndup (wav, strlen ("dir-0000.wav"));
          g_autofree char *wav_path = g_build_filename (dir, wav_name, NULL);
          g_assert_cmpint (g_unlink (wav_path), ==, 0);
          /* … and a torn line after it. */
          g_autofree char *torn = g_strconcat (text, "{\"index\":7,\"azim", NULL);
          g_assert_true (g_file_set_contents (journal, torn, -1, NULL));
        }
    }
  g_assert_not_reached ();
}

static void
test_resume_identical (void)
{
  record_calls = 0;
  g_autoptr (AlAtfSet) a = run_session ("straight", NULL, 0, FALSE);
  g_assert_cmpint (record_calls, ==, 13); /* 12 directions + the reference repeat */

  /* Cancelled at random points (the seed of the test run picks them). */
  int stops[2] = { g_test_rand_int_range (1, 6), 0 };
  stops[1] = g_test_rand_int_range (stops[0] + 1, 12);
  g_test_message ("cancelled after %d and %d directions", stops[0], stops[1]);
  record_calls = 0;
  g_autoptr (AlAtfSet) b = run_session ("cancelled", stops, 2, FALSE);
  g_assert_cmpint (record_calls, ==, 13);

  /* Power loss: each interruption loses its last direction (WAV deleted,
   * a torn line after it): exactly that one is measured again. */
  record_calls = 0;
  g_autoptr (AlAtfSet) c = run_session ("torn", stops, 2, TRUE);
  g_assert_cmpint (record_calls, ==, 15);

  AlAtfSet *sets[] = { b, c };
  for (int i = 0; i < 2; i++)
    {
      g_assert_cmpint (sets[i]->ndirs, ==, a->ndirs);
      g_assert_cmpint (memcmp (sets[i]->ir, a->ir, sizeof (double) * a->ndirs * a->nmics * a->ir_len), ==, 0);
      g_assert_cmpint (memcmp (sets[i]->dirs, a->dirs, sizeof (double) * 2 * a->ndirs), ==, 0);
    }
}

/* ---- Quality checks, retries, dropouts ---- */

static gboolean
inject (int index, int attempt, AlRecording *rec, gpointer data, GError **error)
{
  if (index == 2) /* clipping on mic 1, every attempt */
    for (int i = 5000; i < 5100; i++)
      al_recording_channel (rec, 0)[i] = 1.0f;
  if (index == 4 && attempt == 0) /* mic 2 dead on the first attempt only */
    memset (al_recording_channel (rec, 1), 0, sizeof (float) * rec->nframes);
  if (index == 6 && attempt == 0)
    {
      static int once;
      if (once++ == 0)
        {
          g_set_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_DROPOUT, "simulated input overflow");
          return FALSE;
        }
    }
  return TRUE;
}

static void
test_qc_retry (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_build_filename (tmpdir, "qc", NULL);
  AlSessionConfig c;
  fixture_config (&c, truth_path, "az=0:360:30;el=0", NULL);
  g_autoptr (AlTurntableClock) clock = al_turntable_clock_new_virtual (0);
  g_autoptr (AlSession) s = fixture_open (dir, &c, FALSE, clock, &error);
  g_assert_no_error (error);
  al_session_set_record_func (s, inject, NULL);
  g_assert_true (al_session_run (s, NULL, &error));
  g_assert_no_error (error);
  const AlSessionEntry *e2 = al_session_get_entry (s, 2), *e4 = al_session_get_entry (s, 4),
                       *e6 = al_session_get_entry (s, 6), *e0 = al_session_get_entry (s, 0);
  g_assert_cmpint (e2->attempts, ==, 3);
  g_assert_true (e2->flagged);
  g_assert_cmpint (e2->verdict, ==, AL_QC_FAIL);
  g_assert_cmpint (e2->messages->len, >, 0);
  g_assert_nonnull (strstr (g_ptr_array_index (e2->messages, 0), "channel 1"));
  g_assert_nonnull (strstr (g_ptr_array_index (e2->messages, 0), "clip"));
  g_assert_cmpint (e4->attempts, ==, 2);
  g_assert_false (e4->flagged);
  g_assert_cmpint (e4->verdict, !=, AL_QC_FAIL);
  g_assert_cmpint (e6->dropouts, ==, 1);
  g_assert_cmpint (e6->attempts, ==, 1);
  g_assert_cmpint (e0->attempts, ==, 1);
  AlSessionSummary sum;
  al_session_get_summary (s, &sum);
  g_assert_cmpint (sum.nflagged, ==, 1);
  g_assert_cmpint (sum.nretried, ==, 2);
  g_assert_cmpint (sum.ndropouts, ==, 1);
  /* The flag is in the journal, so it survives a resume. */
  g_autofree char *journal = g_build_filename (dir, "journal.jsonl", NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (journal, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"index\":2,"));
  g_assert_nonnull (strstr (text, "\"flagged\":true"));
  g_autofree char *summary = al_session_summary_to_string (s);
  g_assert_nonnull (strstr (summary, "flagged directions: 2"));
  al_session_config_clear (&c);
}

/* ---- Turntable faults pause; the run continues ---- */

static void
test_turntable_fault (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_build_filename (tmpdir, "fault", NULL);
  AlSessionConfig c;
  fixture_config (&c, truth_path, "az=0:360:60;el=0", NULL);
  c.timeout_ms = 30000;
  g_autoptr (AlTurntableClock) clock = al_turntable_clock_new_virtual (0);
  {
    g_autoptr (AlSession) s = fixture_open (dir, &c, FALSE, clock, &error);
    g_assert_no_error (error);
    /* Three directions, then the fault. */
    g_autoptr (GCancellable) cancel = g_cancellable_new ();
    StopAt st = { cancel, 3 };
    al_session_set_progress_func (s, stop_after, &st);
    g_assert_false (al_session_run (s, cancel, &error));
    g_clear_error (&error);
  }
  /* Resumed on a table that times out once (a device under another URI
   * is allowed, with a warning). */
  g_free (c.turntable_uri);
  c.turntable_uri = g_strdup ("sim:?speed=30&fail=timeout&fail_count=1");
  {
    g_autoptr (AlSession) s = fixture_open (dir, &c, TRUE, clock, &error);
    g_assert_no_error (error);
    g_assert_cmpint (al_session_get_n_done (s), ==, 3);
    const GPtrArray *w = al_session_get_warnings (s);
    gboolean warned = FALSE;
    for (guint i = 0; i < w->len; i++)
      warned |= strstr (g_ptr_array_index (w, i), "turntable changed") != NULL;
    g_assert_true (warned);
    g_assert_false (al_session_run (s, NULL, &error));
    g_assert_error (error, AL_TURNTABLE_ERROR, AL_TURNTABLE_ERROR_TIMEOUT);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, "session paused at direction"));
    g_assert_nonnull (strstr (error->message, al_turntable_get_name (al_session_get_turntable (s))));
    g_assert_nonnull (strstr (error->message, "3 of 6 kept"));
    g_clear_error (&error);
    /* Nothing lost; the fault was once: running again finishes. */
    g_assert_cmpint (al_session_get_n_done (s), ==, 3);
    g_assert_true (al_session_run (s, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (al_session_get_n_done (s), ==, 6);
  }
  al_session_config_clear (&c);
}

/* ---- Folders of another configuration ---- */

static void
test_config_mismatch (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_build_filename (tmpdir, "mismatch", NULL);
  AlSessionConfig c;
  fixture_config (&c, truth_path, "az=0:360:90;el=0", NULL);
  g_autoptr (AlTurntableClock) clock = al_turntable_clock_new_virtual (0);
  g_autoptr (AlSession) s = fixture_open (dir, &c, FALSE, clock, &error);
  g_assert_no_error (error);
  g_clear_pointer (&s, al_session_free);

  /* A second new session in the same folder. */
  g_assert_null (al_session_open (dir, &c, FALSE, &error));
  g_assert_nonnull (strstr (error->message, "already holds a session"));
  g_clear_error (&error);
  /* Another grid, another sweep. */
  g_free (c.grid_spec);
  c.grid_spec = g_strdup ("az=0:360:45;el=0");
  g_assert_null (al_session_open (dir, &c, TRUE, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_MISMATCH);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "session.json: the session folder belongs to a different configuration"));
  g_assert_nonnull (strstr (error->message, "az=0:360:90"));
  g_clear_error (&error);
  g_free (c.grid_spec);
  c.grid_spec = g_strdup ("az=0:360:90;el=0");
  g_free (c.sweep_spec);
  c.sweep_spec = g_strdup ("f1=20,f2=22000,T=0.6,level=-10,pre=0.1,post=0.2");
  g_assert_null (al_session_open (dir, &c, TRUE, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "sweep"));
  g_clear_error (&error);
  /* The stored configuration resumes with config NULL. */
  g_autoptr (AlSession) r = al_session_open (dir, NULL, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (al_session_get_n_directions (r), ==, 4);
  /* Nothing to resume. */
  g_autofree char *none = g_build_filename (tmpdir, "none", NULL);
  g_assert_null (al_session_open (none, &c, TRUE, &error));
  g_assert_nonnull (strstr (error->message, "no session to resume"));
  al_session_config_clear (&c);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_autoptr (GError) error = NULL;
  tmpdir = g_dir_make_tmp ("al-session-XXXXXX", &error);
  g_assert_no_error (error);
  truth_path = fixture_truth (tmpdir, &truth);
  g_test_add_func ("/session/full", test_full_session);
  g_test_add_func ("/session/resume-identical", test_resume_identical);
  g_test_add_func ("/session/qc-retry", test_qc_retry);
  g_test_add_func ("/session/turntable-fault", test_turntable_fault);
  g_test_add_func ("/session/config-mismatch", test_config_mismatch);
  int status = g_test_run ();
  fixture_rm_rf (tmpdir);
  g_free (tmpdir);
  g_free (truth_path);
  al_atf_set_free (truth);
  return status;
}
