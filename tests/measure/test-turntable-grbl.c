/* test-turntable-grbl.c — the GRBL driver against its emulator on a
 * pseudo-terminal: settings read from "$$", the boot alarm until "$H",
 * absolute G-code moves read back within the step size, the cable-safe
 * direction, a reversed axis, feed hold + reset keeping the position, soft
 * limits, and every fault in its category with the device named (a stall
 * is recovered by stop, re-home and one retry).
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

static AlTurntable *
open_grbl (AlEmu *emu, AlTurntableClock *clock, const char *extra)
{
  g_autofree char *uri = g_strdup_printf ("%s?timeout_ms=%d&home_timeout_ms=%d%s", al_emu_uri (emu), TIMEOUT_MS,
                                          TIMEOUT_MS, extra);
  g_autoptr (GError) error = NULL;
  AlTurntable *tt = al_turntable_open (uri, &error);
  g_assert_no_error (error);
  al_turntable_set_clock (tt, clock);
  return tt;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->clock = al_turntable_clock_new_virtual (0);
  f->emu = al_emu_grbl_new (f->clock, data);
  f->tt = open_grbl (f->emu, f->clock, "");
  f->name = g_strdup_printf ("GRBL on %s", al_emu_device (f->emu));
  g_assert_cmpstr (al_turntable_get_name (f->tt), ==, f->name);
}

/* Homed, as every test but the first needs. */
static void
fixture_set_up_homed (Fixture *f, gconstpointer data)
{
  fixture_set_up (f, data);
  g_autoptr (GError) error = NULL;
  g_assert_true (al_turntable_home (f->tt, NULL, &error));
  g_assert_no_error (error);
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

/* Settings from "$$"; the boot alarm blocks moves until "$H". */
static void
test_open_home (Fixture *f, gconstpointer data)
{
  const AlTurntableCaps *c = al_turntable_get_caps (f->tt);
  g_assert_cmpfloat (c->resolution_deg, ==, 0.01);
  g_assert_cmpfloat (c->max_speed_deg_s, ==, 30.0);
  g_assert_true (c->homing && c->absolute && c->nonblocking);
  g_assert_cmpuint (c->poll_ms, ==, 200);

  g_autoptr (GError) error = NULL;
  AlTurntableState st;
  g_assert_true (al_turntable_get_state (f->tt, &st, &error));
  g_assert_false (st.homed);
  g_assert_true (st.fault);
  g_assert_cmpint (st.fault_code, ==, AL_TURNTABLE_ERROR_NOT_HOMED);
  g_assert_false (al_turntable_move_to (f->tt, 90.0, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_NOT_HOMED, f->name);
  g_clear_error (&error);
  g_assert_cmpint (al_emu_count (f->emu, AL_EMU_COUNT_MOVES), ==, 0);

  g_assert_true (al_turntable_home (f->tt, NULL, &error));
  g_assert_cmpint (al_emu_count (f->emu, AL_EMU_COUNT_HOMES), ==, 1);
  assert_last_request (f->emu, "G10 L20 P1 X0");
  g_assert_true (al_turntable_get_state (f->tt, &st, &error));
  g_assert_true (st.homed);
  g_assert_false (st.fault);
  g_assert_cmpfloat (st.position_deg, ==, 0.0);
}

static void
test_goto (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (al_turntable_move_to (f->tt, 90.0, &error));
  assert_last_request (f->emu, "G90 G0 X90.000");
  double pos;
  g_assert_true (al_turntable_wait_settled (f->tt, 90.0, 0.01, 500, 60000, NULL, NULL, &pos, &error));
  g_assert_cmpfloat_with_epsilon (pos, 90.0, 0.01);
  const double targets[] = { 12.34, 270.0, 0.5 };
  const double expect[] = { 12.34, -90.0, 0.5 };
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      gint64 t0 = al_turntable_clock_now (f->clock);
      g_assert_true (al_turntable_goto (f->tt, targets[i], 0.01, 500, 60000, NULL, &pos, &error));
      g_assert_no_error (error);
      g_test_message ("%.2f° -> read back %.3f° after %.2f s", targets[i], pos,
                      (al_turntable_clock_now (f->clock) - t0) / 1e6);
      g_assert_cmpfloat_with_epsilon (pos, expect[i], 0.01);
      g_assert_cmpfloat_with_epsilon (al_emu_position (f->emu, NULL), expect[i], 0.01);
    }
}

/* 350° is 10° back (G0 X-10); from 300° to 60° is 240° back. */
static void
test_cable_wrap (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  double pos;
  g_assert_true (al_turntable_move_to (f->tt, 350.0, &error));
  assert_last_request (f->emu, "G90 G0 X-10.000");
  g_assert_true (al_turntable_wait_settled (f->tt, -10.0, 0.01, 0, 60000, NULL, NULL, &pos, &error));
  g_assert_cmpfloat_with_epsilon (pos, -10.0, 0.01);
  g_assert_true (al_turntable_move_to_unwrapped (f->tt, 300.0, &error));
  g_assert_true (al_turntable_wait_settled (f->tt, 300.0, 0.01, 0, 60000, NULL, NULL, &pos, &error));
  g_assert_true (al_turntable_move_to (f->tt, 60.0, &error));
  assert_last_request (f->emu, "G90 G0 X60.000");
  g_assert_true (al_turntable_wait_settled (f->tt, 60.0, 0.01, 0, 60000, NULL, NULL, &pos, &error));
  g_assert_cmpfloat_with_epsilon (al_emu_last_travel (f->emu), -240.0, 1e-6);
  g_assert_no_error (error);
}

/* reverse=1: the axis counts clockwise; the table angle stays counter-clockwise. */
static void
test_reverse (void)
{
  g_autoptr (AlTurntableClock) clock = al_turntable_clock_new_virtual (0);
  AlEmuGrblConfig config = { FALSE, 100.0, 1800.0, 0.0 };
  g_autoptr (AlEmu) emu = al_emu_grbl_new (clock, &config);
  g_autoptr (AlTurntable) tt = open_grbl (emu, clock, "&reverse=1");
  g_assert_false (al_turntable_get_caps (tt)->homing);
  g_autoptr (GError) error = NULL;
  double pos;
  g_assert_true (al_turntable_goto (tt, 30.0, 0.01, 0, 60000, NULL, &pos, &error));
  g_assert_cmpfloat_with_epsilon (pos, 30.0, 0.01);
  g_assert_cmpfloat_with_epsilon (al_emu_position (emu, NULL), -30.0, 0.01);
  /* Without a homing cycle, home sets the work zero here. */
  g_assert_true (al_turntable_home (tt, NULL, &error));
  assert_last_request (emu, "G10 L20 P1 X0");
  g_assert_cmpint (al_emu_count (emu, AL_EMU_COUNT_HOMES), ==, 0);
  AlTurntableState st;
  g_assert_true (al_turntable_get_state (tt, &st, &error));
  g_assert_cmpfloat_with_epsilon (st.position_deg, 0.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (al_emu_position (emu, NULL), -30.0, 0.01);
  g_assert_no_error (error);
}

/* Feed hold, then a reset at rest: the position and the homing survive. */
static void
test_stop (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (al_turntable_move_to (f->tt, 180.0, &error));
  al_turntable_clock_advance (f->clock, 2 * G_USEC_PER_SEC);
  g_assert_false (al_turntable_move_to (f->tt, 90.0, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_BUSY, f->name);
  g_clear_error (&error);
  g_assert_true (al_turntable_stop (f->tt, &error));
  g_assert_no_error (error);
  assert_last_request (f->emu, "\x18");
  AlTurntableState st;
  g_assert_true (al_turntable_get_state (f->tt, &st, &error));
  g_assert_false (st.moving);
  g_assert_false (st.fault);
  g_assert_true (st.homed);
  g_assert_cmpfloat_with_epsilon (st.position_deg, 60.0, 0.01);
  double pos;
  g_assert_true (al_turntable_goto (f->tt, 90.0, 0.01, 0, 60000, NULL, &pos, &error));
  g_assert_cmpfloat_with_epsilon (pos, 90.0, 0.01);
}

static void
test_soft_limit (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_assert_false (al_turntable_move_to (f->tt, 150.0, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_LIMIT, f->name);
  g_assert_nonnull (strstr (error->message, "ALARM:2"));
  g_clear_error (&error);
  /* The controller stays in alarm: the state says why. */
  AlTurntableState st;
  g_assert_true (al_turntable_get_state (f->tt, &st, &error));
  g_assert_true (st.fault);
  g_assert_cmpint (st.fault_code, ==, AL_TURNTABLE_ERROR_LIMIT);
  g_assert_false (al_turntable_move_to (f->tt, 50.0, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_LIMIT, f->name);
  g_clear_error (&error);
  /* Homing clears it. */
  g_assert_true (al_turntable_home (f->tt, NULL, &error));
  double pos;
  g_assert_true (al_turntable_goto (f->tt, 50.0, 0.01, 0, 60000, NULL, &pos, &error));
  g_assert_cmpfloat_with_epsilon (pos, 50.0, 0.01);
}

/* A limit switch mid-move: GRBL reports ALARM:1 unasked; the next state
 * read knows why it stopped, and the settle wait ends in a limit error. */
static void
test_hard_limit (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (al_turntable_move_to (f->tt, 90.0, &error));
  al_turntable_clock_advance (f->clock, G_USEC_PER_SEC);
  al_emu_grbl_alarm (f->emu, 1);
  AlTurntableState st;
  g_assert_true (al_turntable_get_state (f->tt, &st, &error));
  g_assert_true (st.fault);
  g_assert_false (st.moving);
  g_assert_false (st.homed);
  g_assert_cmpint (st.fault_code, ==, AL_TURNTABLE_ERROR_LIMIT);
  g_assert_cmpstr (st.fault_message, ==, "ALARM:1 (hard limit switch triggered)");
  g_assert_false (al_turntable_wait_settled (f->tt, 90.0, 0.01, 0, 60000, NULL, NULL, NULL, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_LIMIT, f->name);
  g_assert_nonnull (strstr (error->message, "hard limit"));
}

static void
test_no_answer (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  AlTurntableState st;
  al_emu_set_fault (f->emu, AL_EMU_FAULT_NO_ANSWER, -1);
  g_assert_false (al_turntable_get_state (f->tt, &st, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_TIMEOUT, f->name);
  g_assert_nonnull (strstr (error->message, "status query"));
  g_clear_error (&error);
  g_assert_false (al_turntable_home (f->tt, NULL, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_TIMEOUT, f->name);
  g_assert_nonnull (strstr (error->message, "no reply to '$H' within 500 ms"));
}

static void
test_error_reply (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  al_emu_set_fault (f->emu, AL_EMU_FAULT_ERROR_REPLY, 1);
  g_assert_false (al_turntable_move_to (f->tt, 90.0, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_PROTOCOL, f->name);
  g_assert_nonnull (strstr (error->message, "error:20 refused 'G90 G0 X90.000'"));
  g_clear_error (&error);
  g_assert_true (al_turntable_move_to (f->tt, 90.0, &error));
}

static void
test_garbled (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  AlTurntableState st;
  al_emu_set_fault (f->emu, AL_EMU_FAULT_BAD_CHECKSUM, 1);
  g_assert_false (al_turntable_get_state (f->tt, &st, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_PROTOCOL, f->name);
  g_assert_nonnull (strstr (error->message, "garbled status report '<Idle|MPos:#"));
  g_clear_error (&error);
  g_assert_true (al_turntable_get_state (f->tt, &st, &error));
}

/* One stall: feed hold + reset, a new reference run, the move again. */
static void
test_stall (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  double pos;
  al_emu_set_fault (f->emu, AL_EMU_FAULT_STALL, 1);
  g_assert_true (al_turntable_goto (f->tt, 120.0, 0.01, 200, 60000, NULL, &pos, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (pos, 120.0, 0.01);
  g_assert_cmpint (al_emu_count (f->emu, AL_EMU_COUNT_HOMES), ==, 2);
  g_assert_cmpint (al_emu_count (f->emu, AL_EMU_COUNT_MOVES), ==, 2);

  al_emu_set_fault (f->emu, AL_EMU_FAULT_STALL, -1);
  g_assert_false (al_turntable_goto (f->tt, 200.0, 0.01, 200, 60000, NULL, &pos, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_POSITION, f->name);
  g_assert_cmpint (al_emu_count (f->emu, AL_EMU_COUNT_HOMES), ==, 3);
  g_assert_cmpint (al_emu_count (f->emu, AL_EMU_COUNT_MOVES), ==, 4);
}

static void
test_wrong_position (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  double pos;
  al_emu_set_fault (f->emu, AL_EMU_FAULT_WRONG_POSITION, -1);
  g_assert_false (al_turntable_goto (f->tt, 45.0, 0.01, 0, 60000, NULL, &pos, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_POSITION, f->name);
  g_assert_nonnull (strstr (error->message, "stopped at 50.00°"));
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

/* No greeting after a soft reset: whatever is on the port is not GRBL. */
static void
test_open_silent (void)
{
  g_autoptr (AlEmu) emu = al_emu_lt360_new (NULL);
  g_autofree char *uri = g_strdup_printf ("grbl://%s?axis=y&timeout_ms=100", al_emu_device (emu));
  g_autoptr (GError) error = NULL;
  g_assert_null (al_turntable_open (uri, &error));
  g_autofree char *name = g_strdup_printf ("GRBL on %s, axis Y", al_emu_device (emu));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_TIMEOUT, name);
  g_assert_nonnull (strstr (error->message, "'Grbl' greeting"));
}

int
main (int argc, char **argv)
{
  static const AlEmuGrblConfig soft = { TRUE, 100.0, 1800.0, 100.0 };
  g_test_init (&argc, &argv, NULL);
#define ADD(path, cfg, up, fn) \
  g_test_add ("/measure/turntable/grbl/" path, Fixture, cfg, up, fn, fixture_tear_down)
  ADD ("open-home", NULL, fixture_set_up, test_open_home);
  ADD ("goto", NULL, fixture_set_up_homed, test_goto);
  ADD ("cable-wrap", NULL, fixture_set_up_homed, test_cable_wrap);
  ADD ("stop-busy", NULL, fixture_set_up_homed, test_stop);
  ADD ("soft-limit", &soft, fixture_set_up_homed, test_soft_limit);
  ADD ("hard-limit", NULL, fixture_set_up_homed, test_hard_limit);
  ADD ("fault-no-answer", NULL, fixture_set_up_homed, test_no_answer);
  ADD ("fault-error-reply", NULL, fixture_set_up_homed, test_error_reply);
  ADD ("fault-garbled", NULL, fixture_set_up_homed, test_garbled);
  ADD ("fault-stall", NULL, fixture_set_up_homed, test_stall);
  ADD ("fault-wrong-position", NULL, fixture_set_up_homed, test_wrong_position);
  ADD ("fault-hang-up", NULL, fixture_set_up_homed, test_hang_up);
#undef ADD
  g_test_add_func ("/measure/turntable/grbl/reverse", test_reverse);
  g_test_add_func ("/measure/turntable/grbl/open-silent", test_open_silent);
  return g_test_run ();
}
