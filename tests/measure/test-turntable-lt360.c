/* test-turntable-lt360.c — the LT360 driver against its emulator on a
 * pseudo-terminal: moves read back within 0.1°, polling at most once a
 * second, set-zero homing, Goto with the cable-safe turning direction, and
 * every fault in its category with the device named.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-emu.h"
#include "al-turntable.h"

#include <string.h>

#define TIMEOUT_MS 500

typedef struct {
  AlTurntableClock *clock;
  AlEmu *emu;
  AlTurntable *tt;
  char *name;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->clock = al_turntable_clock_new_virtual (0);
  f->emu = al_emu_lt360_new (f->clock);
  g_autofree char *uri = g_strdup_printf ("%s?timeout_ms=%d", al_emu_uri (f->emu), TIMEOUT_MS);
  g_autoptr (GError) error = NULL;
  f->tt = al_turntable_open (uri, &error);
  g_assert_no_error (error);
  al_turntable_set_clock (f->tt, f->clock);
  f->name = g_strdup_printf ("LT360 on %s", al_emu_device (f->emu));
  g_assert_cmpstr (al_turntable_get_name (f->tt), ==, f->name);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  al_turntable_close (f->tt);
  al_emu_free (f->emu);
  al_turntable_clock_free (f->clock);
  g_free (f->name);
}

static void
assert_last_request (AlEmu *emu, const char *expect)
{
  gsize len;
  g_autofree guint8 *req = al_emu_last_request (emu, &len);
  g_assert_cmpstr ((char *) req, ==, expect);
}

static void
test_goto (Fixture *f, gconstpointer data)
{
  const AlTurntableCaps *c = al_turntable_get_caps (f->tt);
  g_assert_cmpfloat (c->resolution_deg, ==, 0.1);
  g_assert_true (c->absolute);
  g_assert_cmpuint (c->poll_ms, ==, 1000);

  g_autoptr (GError) error = NULL;
  double pos;
  const double targets[] = { 90.0, 12.3, 359.9, 180.0 };
  const double expect[] = { 90.0, 12.3, -0.1, -180.0 }; /* 180° from −0.1°: −180° is nearer */
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      int q0 = al_emu_count (f->emu, AL_EMU_COUNT_QUERIES);
      gint64 t0 = al_turntable_clock_now (f->clock);
      g_assert_true (al_turntable_goto (f->tt, targets[i], 0.1, 1000, 120000, NULL, &pos, &error));
      g_assert_no_error (error);
      double secs = (al_turntable_clock_now (f->clock) - t0) / 1e6;
      int queries = al_emu_count (f->emu, AL_EMU_COUNT_QUERIES) - q0;
      g_test_message ("%.1f° -> read back %.2f° after %.1f s, %d position queries", targets[i], pos, secs, queries);
      g_assert_cmpfloat_with_epsilon (pos, expect[i], 0.1);
      g_assert_cmpfloat_with_epsilon (al_emu_position (f->emu, NULL), expect[i], 0.1);
      /* The manual asks for about one poll a second: polls at 0, 1, …, secs,
       * plus the read before the move and the final read-back. */
      g_assert_cmpint (queries, <=, secs + 1 + 2);
      g_assert_cmpint (queries, >=, 3);
    }
}

static void
test_home (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  double pos;
  g_assert_true (al_turntable_goto (f->tt, 20.0, 0.1, 0, 60000, NULL, &pos, &error));
  g_assert_true (al_turntable_home (f->tt, NULL, &error));
  assert_last_request (f->emu, "SZ");
  g_assert_cmpint (al_emu_count (f->emu, AL_EMU_COUNT_HOMES), ==, 1);
  AlTurntableState st;
  g_assert_true (al_turntable_get_state (f->tt, &st, &error));
  g_assert_cmpfloat_with_epsilon (st.position_deg, 0.0, 0.05);
}

/* Goto with an explicit turning direction: 350° clockwise (10° back), and
 * from 300° to 60° clockwise (240° back), never through +360°. */
static void
test_cable_wrap (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  double pos;
  g_assert_true (al_turntable_move_to (f->tt, 350.0, &error));
  assert_last_request (f->emu, "CW 350.0");
  g_assert_true (al_turntable_wait_settled (f->tt, -10.0, 0.1, 0, 60000, NULL, NULL, &pos, &error));
  g_assert_cmpfloat_with_epsilon (pos, -10.0, 0.1);
  g_assert_cmpfloat_with_epsilon (al_emu_last_travel (f->emu), -10.0, 1e-6);

  g_assert_true (al_turntable_move_to_unwrapped (f->tt, 300.0, &error));
  assert_last_request (f->emu, "CCW 300.0");
  g_assert_true (al_turntable_wait_settled (f->tt, 300.0, 0.1, 0, 120000, NULL, NULL, &pos, &error));
  g_assert_cmpfloat_with_epsilon (al_emu_last_travel (f->emu), 310.0, 1e-6);

  g_assert_true (al_turntable_goto (f->tt, 60.0, 0.1, 0, 120000, NULL, &pos, &error));
  assert_last_request (f->emu, "GM");
  g_assert_cmpfloat_with_epsilon (pos, 60.0, 0.1);
  g_assert_cmpfloat_with_epsilon (al_emu_last_travel (f->emu), -240.0, 1e-6);
  g_assert_no_error (error);
}

static void
test_stop (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (al_turntable_move_to (f->tt, 90.0, &error));
  al_turntable_clock_advance (f->clock, 3 * G_USEC_PER_SEC);
  g_assert_false (al_turntable_move_to (f->tt, 45.0, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_BUSY, f->name);
  g_clear_error (&error);
  g_assert_true (al_turntable_stop (f->tt, &error));
  assert_last_request (f->emu, "ST");
  AlTurntableState st;
  g_assert_true (al_turntable_get_state (f->tt, &st, &error));
  g_assert_false (st.moving);
  g_assert_cmpfloat_with_epsilon (st.position_deg, 30.0, 0.1);
}

static void
test_no_answer (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  AlTurntableState st;
  al_emu_set_fault (f->emu, AL_EMU_FAULT_NO_ANSWER, -1);
  g_assert_false (al_turntable_get_state (f->tt, &st, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_TIMEOUT, f->name);
  g_assert_nonnull (strstr (error->message, "no reply to 'GP' within 500 ms"));
  g_clear_error (&error);
  /* It comes back: the late silence leaves nothing stale behind. */
  al_emu_set_fault (f->emu, AL_EMU_FAULT_NONE, 0);
  g_assert_true (al_turntable_get_state (f->tt, &st, &error));
}

static void
test_error_reply (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  al_emu_set_fault (f->emu, AL_EMU_FAULT_ERROR_REPLY, -1);
  g_assert_false (al_turntable_move_to (f->tt, 90.0, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_PROTOCOL, f->name);
  g_assert_nonnull (strstr (error->message, "refused 'CCW 90.0'"));
  g_clear_error (&error);
  g_assert_false (al_turntable_home (f->tt, NULL, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_PROTOCOL, f->name);
}

static void
test_garbled (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  AlTurntableState st;
  al_emu_set_fault (f->emu, AL_EMU_FAULT_BAD_CHECKSUM, 1);
  g_assert_false (al_turntable_get_state (f->tt, &st, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_PROTOCOL, f->name);
  g_assert_nonnull (strstr (error->message, "garbled position"));
  g_clear_error (&error);
  g_assert_true (al_turntable_get_state (f->tt, &st, &error));
}

static void
test_stall (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  double pos;
  al_emu_set_fault (f->emu, AL_EMU_FAULT_STALL, 1);
  g_assert_true (al_turntable_goto (f->tt, 60.0, 0.1, 0, 60000, NULL, &pos, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (pos, 60.0, 0.1);
  g_assert_cmpint (al_emu_count (f->emu, AL_EMU_COUNT_MOVES), ==, 2);
  g_assert_cmpint (al_emu_count (f->emu, AL_EMU_COUNT_STOPS), ==, 1);

  al_emu_set_fault (f->emu, AL_EMU_FAULT_STALL, -1);
  g_assert_false (al_turntable_goto (f->tt, 0.0, 0.1, 0, 60000, NULL, &pos, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_POSITION, f->name);
}

static void
test_wrong_position (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  double pos;
  al_emu_set_fault (f->emu, AL_EMU_FAULT_WRONG_POSITION, -1);
  g_assert_false (al_turntable_goto (f->tt, 30.0, 0.5, 0, 60000, NULL, &pos, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_POSITION, f->name);
  g_assert_nonnull (strstr (error->message, "stopped at 35.00°"));
}

static void
test_hang_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  al_emu_hang_up (f->emu);
  AlTurntableState st;
  g_assert_false (al_turntable_get_state (f->tt, &st, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_COMMUNICATION, f->name);
}

static void
test_open_errors (void)
{
  g_autoptr (GError) error = NULL;
  g_assert_null (al_turntable_open ("lt360:///dev/no-such-turntable", &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_COMMUNICATION, "LT360 on /dev/no-such-turntable");
  g_clear_error (&error);
  g_assert_null (al_turntable_open ("lt360:///dev/null", &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_COMMUNICATION, "is not a serial port");
  g_clear_error (&error);

  /* Something on the port that never answers. */
  g_autoptr (AlEmu) emu = al_emu_lt360_new (NULL);
  al_emu_set_fault (emu, AL_EMU_FAULT_NO_ANSWER, -1);
  g_autofree char *uri = g_strdup_printf ("%s?timeout_ms=100", al_emu_uri (emu));
  g_assert_null (al_turntable_open (uri, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_TIMEOUT, al_emu_device (emu));
  g_clear_error (&error);
  /* And the port is free again afterwards. */
  al_emu_set_fault (emu, AL_EMU_FAULT_NONE, 0);
  g_autoptr (AlTurntable) tt = al_turntable_open (uri, &error);
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add ("/measure/turntable/lt360/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("goto", test_goto);
  ADD ("home", test_home);
  ADD ("cable-wrap", test_cable_wrap);
  ADD ("stop-busy", test_stop);
  ADD ("fault-no-answer", test_no_answer);
  ADD ("fault-error-reply", test_error_reply);
  ADD ("fault-garbled", test_garbled);
  ADD ("fault-stall", test_stall);
  ADD ("fault-wrong-position", test_wrong_position);
  ADD ("fault-hang-up", test_hang_up);
#undef ADD
  g_test_add_func ("/measure/turntable/lt360/open-errors", test_open_errors);
  return g_test_run ();
}
