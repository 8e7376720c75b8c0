/* test-turntable-et250.c — the ET250-3D driver against its emulator on
 * loopback UDP: the byte layout of requests, moves read back within the
 * resolution, set-zero homing, the direction of cable-safe relative moves,
 * a fixed reply port, and every fault in its category with the device named.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-emu.h"
#include "al-turntable.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define TIMEOUT_MS 300

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
  f->emu = al_emu_et250_new (f->clock, 0);
  g_autofree char *uri = g_strdup_printf ("%s?local_port=0&timeout_ms=%d", al_emu_uri (f->emu), TIMEOUT_MS);
  g_autoptr (GError) error = NULL;
  f->tt = al_turntable_open (uri, &error);
  g_assert_no_error (error);
  al_turntable_set_clock (f->tt, f->clock);
  f->name = g_strdup_printf ("ET250-3D at %s", al_emu_device (f->emu));
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
assert_last_request (AlEmu *emu, guint8 b0, guint8 b1, guint8 b2, guint8 b3)
{
  gsize len;
  g_autofree guint8 *req = al_emu_last_request (emu, &len);
  g_assert_cmpuint (len, ==, 4);
  g_test_message ("request %02x %02x %02x %02x", req[0], req[1], req[2], req[3]);
  g_assert_cmphex (req[0], ==, b0);
  g_assert_cmphex (req[1], ==, b1);
  g_assert_cmphex (req[2], ==, b2);
  g_assert_cmphex (req[3], ==, b3);
}

static void
test_bytes (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  AlTurntableState st;
  g_assert_true (al_turntable_get_state (f->tt, &st, &error));
  assert_last_request (f->emu, 0x04, 0x00, 0x00, 0x04);
  /* measurement.md §6.2: forward 90° -> 01 03 84 86. */
  g_assert_true (al_turntable_move_to (f->tt, 90.0, &error));
  assert_last_request (f->emu, 0x01, 0x03, 0x84, 0x86);
  g_assert_true (al_turntable_stop (f->tt, &error));
  assert_last_request (f->emu, 0x03, 0x00, 0x00, 0x03);
  g_assert_true (al_turntable_home (f->tt, NULL, &error));
  assert_last_request (f->emu, 0x05, 0x00, 0x00, 0x05);
  g_assert_no_error (error);
}

static void
test_goto (Fixture *f, gconstpointer data)
{
  const AlTurntableCaps *c = al_turntable_get_caps (f->tt);
  g_assert_cmpfloat (c->resolution_deg, ==, 0.1);
  g_assert_false (c->absolute);
  g_assert_false (c->homing);
  g_assert_cmpuint (c->poll_ms, ==, 100);

  g_autoptr (GError) error = NULL;
  double pos;
  const double targets[] = { 90.0, 123.4, 45.0, 0.0, 270.0 };
  const double expect[] = { 90.0, 123.4, 45.0, 0.0, -90.0 };
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      gint64 t0 = al_turntable_clock_now (f->clock);
      g_assert_true (al_turntable_goto (f->tt, targets[i], 0.1, 500, 60000, NULL, &pos, &error));
      g_assert_no_error (error);
      g_test_message ("%.1f° -> read back %.2f° after %.2f s", targets[i], pos,
                      (al_turntable_clock_now (f->clock) - t0) / 1e6);
      g_assert_cmpfloat_with_epsilon (pos, expect[i], 0.1);
      gboolean moving;
      g_assert_cmpfloat_with_epsilon (al_emu_position (f->emu, &moving), expect[i], 0.1);
      g_assert_false (moving);
    }
  g_assert_cmpint (al_emu_count (f->emu, AL_EMU_COUNT_MOVES), ==, 5);
}

static void
test_home (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  double pos;
  g_assert_true (al_turntable_goto (f->tt, 30.0, 0.1, 0, 60000, NULL, &pos, &error));
  /* Set zero here: 30° becomes 0°. */
  g_assert_true (al_turntable_home (f->tt, NULL, &error));
  g_assert_cmpint (al_emu_count (f->emu, AL_EMU_COUNT_HOMES), ==, 1);
  AlTurntableState st;
  g_assert_true (al_turntable_get_state (f->tt, &st, &error));
  g_assert_cmpfloat_with_epsilon (st.position_deg, 0.0, 0.05);
  g_assert_true (st.homed);
  g_assert_cmpfloat (al_turntable_get_target (f->tt), ==, 0.0);
}

/* Relative moves in the cable-safe direction: 350° is 10° backward; from
 * 300° to 60° is 240° backward (120° forward would pass +360°). */
static void
test_cable_wrap (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  double pos;
  g_assert_true (al_turntable_goto (f->tt, 350.0, 0.1, 0, 60000, NULL, &pos, &error));
  g_assert_cmpfloat_with_epsilon (pos, -10.0, 0.1);
  g_assert_cmpfloat_with_epsilon (al_emu_last_travel (f->emu), -10.0, 1e-9);

  g_assert_true (al_turntable_move_to_unwrapped (f->tt, 300.0, &error));
  assert_last_request (f->emu, 0x01, 0x0c, 0x1c, 0x01 ^ 0x0c ^ 0x1c); /* forward 310.0° */
  g_assert_true (al_turntable_wait_settled (f->tt, 300.0, 0.1, 0, 60000, NULL, NULL, &pos, &error));
  g_assert_cmpfloat_with_epsilon (pos, 300.0, 0.1);

  g_assert_true (al_turntable_move_to (f->tt, 60.0, &error));
  assert_last_request (f->emu, 0x02, 0x09, 0x60, 0x02 ^ 0x09 ^ 0x60); /* backward 240.0° */
  g_assert_true (al_turntable_wait_settled (f->tt, 60.0, 0.1, 0, 60000, NULL, NULL, &pos, &error));
  g_assert_cmpfloat_with_epsilon (pos, 60.0, 0.1);
  g_assert_cmpfloat_with_epsilon (al_emu_last_travel (f->emu), -240.0, 1e-9);
  g_assert_no_error (error);
}

/* A slow poll must not lose a turn: the reading is unwrapped inside the move's span. */
static void
test_slow_poll (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (al_turntable_move_to_unwrapped (f->tt, 350.0, &error));
  al_turntable_clock_advance (f->clock, 60 * G_USEC_PER_SEC);
  AlTurntableState st;
  g_assert_true (al_turntable_get_state (f->tt, &st, &error));
  g_assert_cmpfloat_with_epsilon (st.position_deg, 350.0, 0.1);
  g_assert_false (st.moving);
}

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
  AlTurntableState st;
  g_assert_true (al_turntable_get_state (f->tt, &st, &error));
  g_assert_false (st.moving);
  g_assert_cmpfloat_with_epsilon (st.position_deg, 60.0, 0.1);
  g_assert_cmpint (al_emu_count (f->emu, AL_EMU_COUNT_STOPS), ==, 1);
}

/* Replies to a fixed port, as the real device answers to 6668. */
static void
test_reply_port (void)
{
  int s = socket (AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in a = { 0 };
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (s, (struct sockaddr *) &a, sizeof a), ==, 0);
  socklen_t len = sizeof a;
  g_assert_cmpint (getsockname (s, (struct sockaddr *) &a, &len), ==, 0);
  int port = ntohs (a.sin_port);
  close (s);

  g_autoptr (AlTurntableClock) clock = al_turntable_clock_new_virtual (0);
  g_autoptr (AlEmu) emu = al_emu_et250_new (clock, port);
  g_autofree char *uri = g_strdup_printf ("et250udp://127.0.0.1:%d?local_port=%d&timeout_ms=200", al_emu_port (emu),
                                          port);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlTurntable) tt = al_turntable_open (uri, &error);
  g_assert_no_error (error);
  al_turntable_set_clock (tt, clock);
  double pos;
  g_assert_true (al_turntable_goto (tt, 12.3, 0.1, 0, 60000, NULL, &pos, &error));
  g_assert_cmpfloat_with_epsilon (pos, 12.3, 0.1);

  /* The port is taken now: a second driver says so. */
  g_autoptr (AlTurntable) again = al_turntable_open (uri, &error);
  g_assert_null (again);
  al_emu_check_error (error, AL_TURNTABLE_ERROR_COMMUNICATION, "ET250-3D at 127.0.0.1");
  g_assert_nonnull (strstr (error->message, "local_port"));
}

static void
test_no_answer (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  AlTurntableState st;
  /* One lost datagram: the read is repeated. */
  al_emu_set_fault (f->emu, AL_EMU_FAULT_NO_ANSWER, 1);
  g_assert_true (al_turntable_get_state (f->tt, &st, &error));
  g_assert_no_error (error);
  /* A dead device. */
  al_emu_set_fault (f->emu, AL_EMU_FAULT_NO_ANSWER, -1);
  gint64 t0 = g_get_monotonic_time ();
  g_assert_false (al_turntable_get_state (f->tt, &st, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_TIMEOUT, f->name);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 5 * G_USEC_PER_SEC);
  g_clear_error (&error);
  /* A move to a dead device: three reads, no move command. */
  int requests = al_emu_count (f->emu, AL_EMU_COUNT_REQUESTS);
  g_assert_false (al_turntable_move_to (f->tt, 90.0, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_TIMEOUT, f->name);
  g_assert_nonnull (strstr (error->message, "'read angle' within 300 ms (3 tries)"));
  g_assert_cmpint (al_emu_count (f->emu, AL_EMU_COUNT_REQUESTS), ==, requests + 3);
  g_assert_cmpint (al_emu_count (f->emu, AL_EMU_COUNT_MOVES), ==, 0);
}

static void
test_error_reply (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  al_emu_set_fault (f->emu, AL_EMU_FAULT_ERROR_REPLY, -1);
  g_assert_false (al_turntable_move_to (f->tt, 90.0, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_PROTOCOL, f->name);
  g_assert_nonnull (strstr (error->message, "0x66"));
  g_assert_cmpint (al_emu_count (f->emu, AL_EMU_COUNT_MOVES), ==, 0);
}

static void
test_bad_checksum (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  AlTurntableState st;
  al_emu_set_fault (f->emu, AL_EMU_FAULT_BAD_CHECKSUM, 1);
  g_assert_false (al_turntable_get_state (f->tt, &st, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_PROTOCOL, f->name);
  g_assert_nonnull (strstr (error->message, "checksum"));
  g_clear_error (&error);
  g_assert_true (al_turntable_get_state (f->tt, &st, &error));
}

/* A stall stops the table off target: stop, no reference run to repeat,
 * move again; a second stall is a position error. */
static void
test_stall (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  double pos;
  al_emu_set_fault (f->emu, AL_EMU_FAULT_STALL, 1);
  g_assert_true (al_turntable_goto (f->tt, 100.0, 0.1, 300, 60000, NULL, &pos, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (pos, 100.0, 0.1);
  g_assert_cmpint (al_emu_count (f->emu, AL_EMU_COUNT_MOVES), ==, 2);
  g_assert_cmpint (al_emu_count (f->emu, AL_EMU_COUNT_STOPS), ==, 1);
  g_assert_cmpint (al_emu_count (f->emu, AL_EMU_COUNT_HOMES), ==, 0);

  al_emu_set_fault (f->emu, AL_EMU_FAULT_STALL, -1);
  g_assert_false (al_turntable_goto (f->tt, 0.0, 0.1, 300, 60000, NULL, &pos, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_POSITION, f->name);
  g_assert_cmpint (al_emu_count (f->emu, AL_EMU_COUNT_MOVES), ==, 4);
}

static void
test_wrong_position (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  double pos;
  al_emu_set_fault (f->emu, AL_EMU_FAULT_WRONG_POSITION, -1);
  g_assert_false (al_turntable_goto (f->tt, 45.0, 0.5, 300, 60000, NULL, &pos, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_POSITION, f->name);
  g_assert_nonnull (strstr (error->message, "stopped at 50.00°"));
}

/* The device goes away: UDP cannot tell, so it is a timeout. */
static void
test_hang_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  al_emu_hang_up (f->emu);
  AlTurntableState st;
  g_assert_false (al_turntable_get_state (f->tt, &st, &error));
  g_assert_error (error, AL_TURNTABLE_ERROR, AL_TURNTABLE_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, f->name));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add ("/measure/turntable/et250/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("bytes", test_bytes);
  ADD ("goto", test_goto);
  ADD ("home", test_home);
  ADD ("cable-wrap", test_cable_wrap);
  ADD ("slow-poll", test_slow_poll);
  ADD ("stop-busy", test_stop);
  ADD ("fault-no-answer", test_no_answer);
  ADD ("fault-error-reply", test_error_reply);
  ADD ("fault-bad-checksum", test_bad_checksum);
  ADD ("fault-stall", test_stall);
  ADD ("fault-wrong-position", test_wrong_position);
  ADD ("fault-hang-up", test_hang_up);
#undef ADD
  g_test_add_func ("/measure/turntable/et250/reply-port", test_reply_port);
  return g_test_run ();
}
