/* test-turntable-core.c — the turntable core without devices: error
 * categories, URIs, clocks, geometry, cable-wrap planning, the serpentine
 * travel order, and the settle wait with its recovery, driven through the
 * sim: backend in a virtual clock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-emu.h"
#include "al-turntable.h"

#include <math.h>
#include <string.h>

static void
test_error_names (void)
{
  g_assert_cmpstr (al_turntable_error_name (AL_TURNTABLE_ERROR_COMMUNICATION), ==, "communication");
  g_assert_cmpstr (al_turntable_error_name (AL_TURNTABLE_ERROR_TIMEOUT), ==, "timeout");
  g_assert_cmpstr (al_turntable_error_name (AL_TURNTABLE_ERROR_PROTOCOL), ==, "protocol");
  g_assert_cmpstr (al_turntable_error_name (AL_TURNTABLE_ERROR_NOT_HOMED), ==, "not homed");
  g_assert_cmpstr (al_turntable_error_name (AL_TURNTABLE_ERROR_LIMIT), ==, "limit");
  g_assert_cmpstr (al_turntable_error_name (AL_TURNTABLE_ERROR_POSITION), ==, "position");
  g_assert_cmpstr (al_turntable_error_name (AL_TURNTABLE_ERROR_EMERGENCY_STOP), ==, "emergency stop");
  g_assert_cmpstr (al_turntable_error_name (AL_TURNTABLE_ERROR_BUSY), ==, "busy");
  g_assert_cmpstr (al_turntable_error_name (AL_TURNTABLE_ERROR_UNSUPPORTED), ==, "unsupported");
  g_assert_cmpuint (AL_TURNTABLE_ERROR, !=, AL_ERROR);
}

/* Bad URIs fail with a message that quotes the URI (and the key). */
static void
test_uri_errors (void)
{
  static const struct {
    const char *uri;
    const char *needle;
  } bad[] = {
    { "bogus:", "unknown kind 'bogus:'" },
    { "not a uri", "does not parse" },
    { "sim:?speed=fast", "speed=fast" },
    { "sim:?speed=-3", "speed=-3" },
    { "sim:?sped=3", "unknown parameter 'sped'" },
    { "sim:?fail=sometimes", "fail=sometimes" },
    { "sim:?min=10&max=5", "empty" },
    { "sim:?reverse=maybe", "reverse=maybe" },
    { "sim:?poll_ms=0", "poll_ms=0" },
    { "manual:?resolution=x", "resolution=x" },
    { "et250://", "needs a host" },
    { "et250://127.0.0.1?local_port=70000", "local_port=70000" },
    { "lt360://", "needs a serial port" },
    { "lt360:///dev/ttyUSB0?baud=12345", "baud=12345" },
    { "grbl:///dev/ttyACM0?axis=Q", "axis=Q" },
    { "grbl://", "needs a serial port" },
    /* Refused before the device is opened. */
    { "lt360:///dev/no-such-tty?axis=X", "unknown parameter 'axis' for lt360:" },
    { "et250://127.0.0.1:9?speed=3", "unknown parameter 'speed' for et250:" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (AlTurntable) tt = al_turntable_open (bad[i].uri, &error);
      g_assert_null (tt);
      g_test_message ("%s -> %s", bad[i].uri, error->message);
      g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
      g_assert_nonnull (strstr (error->message, bad[i].needle));
    }
  g_autoptr (GError) error = NULL;
  g_assert_null (al_turntable_open ("nanotec:///dev/ttyS0?id=1", &error));
  g_assert_error (error, AL_TURNTABLE_ERROR, AL_TURNTABLE_ERROR_UNSUPPORTED);
}

static void
test_uri_open (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlTurntable) sim = al_turntable_open ("sim:", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (al_turntable_get_name (sim), ==, "simulated turntable");
  g_assert_cmpstr (al_turntable_get_uri (sim), ==, "sim:");
  const AlTurntableCaps *c = al_turntable_get_caps (sim);
  g_assert_cmpfloat (c->min_deg, ==, -180.0);
  g_assert_cmpfloat (c->max_deg, ==, 360.0);
  g_assert_cmpfloat (c->max_speed_deg_s, ==, 30.0);
  g_assert_true (c->absolute && c->nonblocking && !c->homing);
  g_assert_true (isnan (al_turntable_get_target (sim)));

  g_autoptr (AlTurntable) s2 = al_turntable_open ("SIM:?speed=12.5&min=-90&max=450&poll_ms=250&homing=yes", &error);
  g_assert_no_error (error);
  c = al_turntable_get_caps (s2);
  g_assert_cmpfloat (c->min_deg, ==, -90.0);
  g_assert_cmpfloat (c->max_deg, ==, 450.0);
  g_assert_cmpuint (c->poll_ms, ==, 250);
  g_assert_cmpfloat (c->max_speed_deg_s, ==, 12.5);
  g_assert_true (c->homing);

  /* The spellings of measurement.md §6.3 work too. */
  g_autoptr (AlTurntable) m2 = al_turntable_open ("manual://", &error);
  g_assert_no_error (error);
  g_autoptr (AlTurntable) s3 = al_turntable_open ("sim://?speed=3", &error);
  g_assert_no_error (error);

  g_autoptr (AlTurntable) m = al_turntable_open ("manual:", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (al_turntable_get_name (m), ==, "manual turntable");
  g_assert_false (al_turntable_get_caps (m)->nonblocking);
}

static void
test_clocks (void)
{
  g_autoptr (AlTurntableClock) vc = al_turntable_clock_new_virtual (1000);
  g_assert_cmpint (al_turntable_clock_now (vc), ==, 1000);
  gint64 t0 = g_get_monotonic_time ();
  al_turntable_clock_sleep (vc, G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC);
  g_assert_cmpint (al_turntable_clock_now (vc), ==, 1000 + G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, G_USEC_PER_SEC); /* an hour took no time */
  al_turntable_clock_advance (vc, 5);
  g_assert_cmpint (al_turntable_clock_now (vc), ==, 1005 + G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC);

  AlTurntableClock *sys = al_turntable_clock_system ();
  gint64 a = al_turntable_clock_now (sys);
  al_turntable_clock_sleep (sys, 2000);
  g_assert_cmpint (al_turntable_clock_now (sys) - a, >=, 2000);
  al_turntable_clock_free (sys); /* static: a no-op */
}

/* DESIGN.md §3: turntable +α puts the source at azimuth −α in the array frame. */
static void
test_geometry (void)
{
  g_assert_cmpfloat_with_epsilon (al_turntable_azimuth_for_angle (90.0), 270.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (al_turntable_azimuth_for_angle (-30.0), 30.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (al_turntable_azimuth_for_angle (370.0), 350.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (al_turntable_angle_for_azimuth (30.0), 330.0, 1e-12);
  g_assert_cmpfloat (al_turntable_angle_for_azimuth (0.0), ==, 0.0);
  g_assert_cmpfloat (al_turntable_angle_for_azimuth (1e-17), ==, 0.0);
  for (double az = -720.0; az <= 720.0; az += 7.5)
    {
      double a = al_turntable_angle_for_azimuth (az);
      g_assert_cmpfloat (a, >=, 0.0);
      g_assert_cmpfloat (a, <, 360.0);
      double back = al_turntable_azimuth_for_angle (a);
      g_assert_cmpfloat_with_epsilon (remainder (back - az, 360.0), 0.0, 1e-9);
    }
}

static void
test_plan (void)
{
  static const struct {
    double from, angle, min, max, expect;
  } cases[] = {
    { 0, 350, -180, 360, -10 },   /* the short way back */
    { 300, 60, -180, 360, 60 },   /* 420 is past the cable: 240° back instead of 120° on */
    { 350, 10, -180, 360, 10 },   /* the long way, for the same reason */
    { -170, 190, -180, 360, -170 },
    { 0, 180, -180, 360, 180 },   /* a tie: toward the middle of the limits */
    { 100, 90, 0, 90, 90 },
    { 10, -350, -180, 360, 10 },
    { 0, 720, -180, 360, 0 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double got;
      g_autoptr (GError) error = NULL;
      g_assert_true (al_turntable_plan_move (cases[i].from, cases[i].angle, cases[i].min, cases[i].max, &got,
                                             &error));
      g_assert_no_error (error);
      g_assert_cmpfloat_with_epsilon (got, cases[i].expect, 1e-9);
    }
  double got;
  g_autoptr (GError) error = NULL;
  g_assert_false (al_turntable_plan_move (0, 200, 0, 180, &got, &error));
  g_assert_error (error, AL_TURNTABLE_ERROR, AL_TURNTABLE_ERROR_LIMIT);
  g_clear_error (&error);
  g_assert_false (al_turntable_plan_move (0, NAN, -180, 360, &got, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);

  /* Any start, any angle: the result is the angle, inside the limits, and
   * no other turn of it inside them is nearer. */
  GRand *rand = g_rand_new_with_seed (7);
  for (int i = 0; i < 20000; i++)
    {
      double from = g_rand_double_range (rand, -180, 360);
      double angle = g_rand_double_range (rand, -1000, 1000);
      g_assert_true (al_turntable_plan_move (from, angle, -180, 360, &got, NULL));
      g_assert_cmpfloat (got, >=, -180.0);
      g_assert_cmpfloat (got, <=, 360.0);
      g_assert_cmpfloat (fabs (remainder (got - angle, 360.0)), <, 1e-9);
      for (int k = -3; k <= 3; k++)
        {
          double c = got + 360.0 * k;
          if (k != 0 && c >= -180 && c <= 360)
            g_assert_cmpfloat (fabs (got - from), <=, fabs (c - from) + 1e-9);
        }
    }
  g_rand_free (rand);
}

/* A full 10° grid on three rings: one sweep per ring, alternating, inside
 * the limits, a permutation of the points, and no wasted travel. */
static void
test_travel_grid (void)
{
  const double els[] = { 30.0, -30.0, 0.0 };
  const double ring_el[] = { -30.0, 0.0, 30.0 };
  const int n = 108;
  double az[108], el[108];
  for (int i = 0; i < n; i++)
    {
      az[i] = 10.0 * (i % 36);
      el[i] = els[i / 36];
    }
  g_autoptr (GError) error = NULL;
  g_autofree AlTurntableStop *stops = al_turntable_travel_order (az, el, n, -180, 360, 0.0, &error);
  g_assert_no_error (error);

  gboolean seen[108] = { FALSE };
  for (int i = 0; i < n; i++)
    {
      int k = stops[i].index;
      g_assert_cmpint (k, >=, 0);
      g_assert_cmpint (k, <, n);
      g_assert_false (seen[k]);
      seen[k] = TRUE;
      g_assert_cmpfloat (stops[i].angle_deg, >=, -180.0);
      g_assert_cmpfloat (stops[i].angle_deg, <=, 360.0);
      /* The stop turns the table so the source sits at the point's azimuth. */
      g_assert_cmpfloat (fabs (remainder (al_turntable_azimuth_for_angle (stops[i].angle_deg) - az[k], 360.0)), <,
                         1e-9);
      g_assert_cmpint (stops[i].ring, ==, i / 36);
      g_assert_cmpfloat (el[k], ==, ring_el[i / 36]);
      if (i % 36 != 0)
        g_assert_cmpfloat_with_epsilon (fabs (stops[i].angle_deg - stops[i - 1].angle_deg), 10.0, 1e-9);
      else if (i > 0)
        g_assert_cmpfloat_with_epsilon (stops[i].angle_deg, stops[i - 1].angle_deg, 1e-9); /* no travel between rings */
    }
  /* Serpentine: up, down, up. */
  g_assert_cmpfloat (stops[1].angle_deg, >, stops[0].angle_deg);
  g_assert_cmpfloat (stops[37].angle_deg, <, stops[36].angle_deg);
  g_assert_cmpfloat (stops[73].angle_deg, >, stops[72].angle_deg);
  double len = al_turntable_travel_length (stops, n, 0.0);
  g_test_message ("serpentine travel %.0f°", len);
  g_assert_cmpfloat_with_epsilon (len, 3 * 350.0, 1e-6);

  /* The grid's own order (ring by ring, always the same way) winds back each time. */
  AlTurntableStop naive[108];
  double cur = 0.0;
  for (int i = 0; i < n; i++)
    {
      double a;
      g_assert_true (al_turntable_plan_move (cur, al_turntable_angle_for_azimuth (az[i]), -180, 360, &a, NULL));
      naive[i] = (AlTurntableStop) { i, 0, a };
      cur = a;
    }
  g_test_message ("grid order travel %.0f°", al_turntable_travel_length (naive, n, 0.0));
  g_assert_cmpfloat (len, <, al_turntable_travel_length (naive, n, 0.0));
}

/* A front half-ring (azimuth −90 … 90): swept across 0 without a detour,
 * then a ring of other points comes back the other way. */
static void
test_travel_partial (void)
{
  double az[26], el[26];
  int n = 0;
  for (int a = -90; a <= 90; a += 15, n++)
    {
      az[n] = a;
      el[n] = 0.0;
    }
  for (int a = -90; a <= 90; a += 15, n++)
    {
      az[n] = a + 2.5;
      el[n] = 45.0;
    }
  g_autoptr (GError) error = NULL;
  g_autofree AlTurntableStop *stops = al_turntable_travel_order (az, el, n, -180, 360, 0.0, &error);
  g_assert_no_error (error);
  for (int i = 0; i < n; i++)
    {
      g_assert_cmpfloat (stops[i].angle_deg, >=, -90.0 - 2.5 - 1e-9);
      g_assert_cmpfloat (stops[i].angle_deg, <=, 90.0 + 1e-9);
    }
  /* Each ring spans 180°; the first starts at its end nearer 0 (a tie: up), the second reverses. */
  g_assert_cmpfloat_with_epsilon (fabs (stops[12].angle_deg - stops[0].angle_deg), 180.0, 1e-9);
  g_assert_cmpfloat ((stops[1].angle_deg - stops[0].angle_deg) * (stops[14].angle_deg - stops[13].angle_deg), <,
                     0.0);
  double len = al_turntable_travel_length (stops, n, 0.0);
  g_test_message ("half rings travel %.1f°", len);
  g_assert_cmpfloat (len, <=, 90.0 + 180.0 + 2.5 + 180.0 + 1e-6);

  /* A start near the far end begins there. */
  g_autofree AlTurntableStop *from_far = al_turntable_travel_order (az, el, 13, -180, 360, 80.0, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (from_far[0].angle_deg, 90.0, 1e-9);

  /* Rings that cannot fit: a full ring in 90° of cable. */
  double full_az[4] = { 0, 90, 180, 270 }, full_el[4] = { 0, 0, 0, 0 };
  g_assert_null (al_turntable_travel_order (full_az, full_el, 4, 0, 90, 0.0, &error));
  g_assert_error (error, AL_TURNTABLE_ERROR, AL_TURNTABLE_ERROR_LIMIT);
  g_clear_error (&error);
  /* Nothing to do is fine. */
  g_autofree AlTurntableStop *none = al_turntable_travel_order (NULL, NULL, 0, -180, 360, 0.0, &error);
  g_assert_no_error (error);
}

/* sim: in a virtual clock: minutes of motion and ring-down in no time. */
static AlTurntable *
open_sim (const char *uri, AlTurntableClock *clock)
{
  g_autoptr (GError) error = NULL;
  AlTurntable *tt = al_turntable_open (uri, &error);
  g_assert_no_error (error);
  al_turntable_set_clock (tt, clock);
  return tt;
}

static void
test_sim_goto (void)
{
  g_autoptr (AlTurntableClock) clock = al_turntable_clock_new_virtual (0);
  g_autoptr (AlTurntable) tt = open_sim ("sim:?speed=30&resolution=0.1", clock);
  g_autoptr (GError) error = NULL;
  g_assert_true (al_turntable_get_clock (tt) == clock);
  g_assert_true (al_turntable_home (tt, NULL, &error));
  g_assert_cmpfloat (al_turntable_get_target (tt), ==, 0.0);

  gint64 real0 = g_get_monotonic_time (), t0 = al_turntable_clock_now (clock);
  double pos = NAN;
  g_assert_true (al_turntable_goto (tt, 90.0, 0.05, 500, 10000, NULL, &pos, &error));
  g_assert_no_error (error);
  gint64 took = al_turntable_clock_now (clock) - t0;
  g_test_message ("90° at 30°/s settled after %.2f s of clock time, %.1f ms real", took / 1e6,
                  (g_get_monotonic_time () - real0) / 1e3);
  g_assert_cmpfloat_with_epsilon (pos, 90.0, 0.05);
  /* Travel (3 s) plus the ring-down (0.5 s), within one poll. */
  g_assert_cmpint (took, >=, 3500000);
  g_assert_cmpint (took, <=, 3500000 + 200000);

  /* Cable wrap: 350° is 10° back, then 300° is 50° further back. */
  g_assert_true (al_turntable_goto (tt, 350.0, 0.05, 0, 60000, NULL, &pos, &error));
  g_assert_cmpfloat_with_epsilon (pos, -10.0, 0.05);
  g_assert_cmpfloat (al_turntable_get_target (tt), ==, -10.0);
  g_assert_true (al_turntable_goto (tt, 300.0, 0.05, 0, 60000, NULL, &pos, &error));
  g_assert_cmpfloat_with_epsilon (pos, -60.0, 0.05);
  /* Explicit turns: up to the limit, and past it refused. */
  g_assert_true (al_turntable_move_to_unwrapped (tt, 359.0, &error));
  g_assert_true (al_turntable_wait_settled (tt, 359.0, 0.05, 0, 60000, NULL, NULL, &pos, &error));
  g_assert_cmpfloat_with_epsilon (pos, 359.0, 0.05);
  g_assert_false (al_turntable_move_to_unwrapped (tt, 400.0, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_LIMIT, "simulated turntable");
  g_clear_error (&error);
  /* From 359°, 10° is 349° back, not 11° on. */
  g_assert_true (al_turntable_goto (tt, 10.0, 0.05, 0, 60000, NULL, &pos, &error));
  g_assert_cmpfloat_with_epsilon (pos, 10.0, 0.05);
}

static void
test_sim_limits (void)
{
  g_autoptr (AlTurntableClock) clock = al_turntable_clock_new_virtual (0);
  g_autoptr (AlTurntable) tt = open_sim ("sim:?min=0&max=90&speed=0", clock);
  g_autoptr (GError) error = NULL;
  double pos;
  g_assert_true (al_turntable_goto (tt, 45.0, 0.01, 0, 1000, NULL, &pos, &error));
  g_assert_cmpfloat_with_epsilon (pos, 45.0, 1e-9);
  g_assert_false (al_turntable_move_to (tt, 180.0, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_LIMIT, "simulated turntable");
}

static void
test_sim_busy_homed (void)
{
  g_autoptr (AlTurntableClock) clock = al_turntable_clock_new_virtual (0);
  g_autoptr (AlTurntable) tt = open_sim ("sim:?homing=1", clock);
  g_autoptr (GError) error = NULL;
  AlTurntableState st;
  g_assert_true (al_turntable_get_state (tt, &st, &error));
  g_assert_false (st.homed);
  g_assert_false (al_turntable_move_to (tt, 90.0, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_NOT_HOMED, "simulated turntable");
  g_clear_error (&error);

  g_assert_true (al_turntable_home (tt, NULL, &error));
  g_assert_true (al_turntable_move_to (tt, 90.0, &error));
  al_turntable_clock_advance (clock, 1000000);
  g_assert_false (al_turntable_move_to (tt, 180.0, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_BUSY, "simulated turntable");
  g_clear_error (&error);

  /* A stop leaves it standing where it was. */
  g_assert_true (al_turntable_stop (tt, &error));
  g_assert_true (al_turntable_get_state (tt, &st, &error));
  g_assert_false (st.moving);
  g_assert_cmpfloat_with_epsilon (st.position_deg, 30.0, 1e-6);
  al_turntable_clock_advance (clock, 5000000);
  g_assert_true (al_turntable_get_state (tt, &st, &error));
  g_assert_cmpfloat_with_epsilon (st.position_deg, 30.0, 1e-6);
}

/* Every injected fault ends in its category, naming the device. */
static void
test_sim_faults (void)
{
  static const struct {
    const char *uri;
    AlTurntableError code;
  } faults[] = {
    { "sim:?fail=stall", AL_TURNTABLE_ERROR_POSITION },
    { "sim:?fail=stall&homing=1", AL_TURNTABLE_ERROR_POSITION },
    { "sim:?fail=position", AL_TURNTABLE_ERROR_POSITION },
    { "sim:?fail=error", AL_TURNTABLE_ERROR_PROTOCOL },
    { "sim:?fail=timeout", AL_TURNTABLE_ERROR_TIMEOUT },
    { "sim:?fail=estop", AL_TURNTABLE_ERROR_EMERGENCY_STOP },
    { "sim:?fail=comm", AL_TURNTABLE_ERROR_COMMUNICATION },
  };
  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr (AlTurntableClock) clock = al_turntable_clock_new_virtual (0);
      g_autoptr (AlTurntable) tt = open_sim (faults[i].uri, clock);
      g_autoptr (GError) error = NULL;
      if (al_turntable_get_caps (tt)->homing)
        g_assert_true (al_turntable_home (tt, NULL, NULL));
      double pos = -1234.0;
      g_test_message ("%s", faults[i].uri);
      g_assert_false (al_turntable_goto (tt, 90.0, 0.05, 200, 20000, NULL, &pos, &error));
      al_emu_check_error (error, faults[i].code, "simulated turntable");
      g_assert_cmpfloat (pos, ==, -1234.0);
      if (faults[i].code == AL_TURNTABLE_ERROR_POSITION)
        g_assert_nonnull (strstr (error->message, "first try"));
      if (faults[i].code == AL_TURNTABLE_ERROR_TIMEOUT)
        {
          /* The wait stopped the table before it gave up. */
          AlTurntableState st;
          g_assert_true (al_turntable_get_state (tt, &st, NULL));
          g_assert_false (st.moving);
        }
    }
}

/* One stall: stop, (re-home,) move again, and settle: no error. */
static void
test_sim_stall_retry (void)
{
  const char *uris[] = { "sim:?fail=stall&fail_count=1", "sim:?fail=stall&fail_count=1&homing=1",
                         "sim:?fail=position&fail_count=1" };
  for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      g_autoptr (AlTurntableClock) clock = al_turntable_clock_new_virtual (0);
      g_autoptr (AlTurntable) tt = open_sim (uris[i], clock);
      g_autoptr (GError) error = NULL;
      g_assert_true (al_turntable_home (tt, NULL, &error));
      double pos;
      g_assert_true (al_turntable_goto (tt, -120.0, 0.05, 300, 30000, NULL, &pos, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat_with_epsilon (pos, -120.0, 0.05);
    }
  /* A dropped state read is not retried: it is the caller's to handle. */
  g_autoptr (AlTurntableClock) clock = al_turntable_clock_new_virtual (0);
  g_autoptr (AlTurntable) tt = open_sim ("sim:?fail=comm&fail_count=1", clock);
  g_autoptr (GError) error = NULL;
  AlTurntableState st;
  g_assert_false (al_turntable_get_state (tt, &st, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_COMMUNICATION, "simulated turntable");
  g_clear_error (&error);
  g_assert_true (al_turntable_get_state (tt, &st, &error));
}

/* The settle wait holds the ring-down time after arrival and times out in clock time. */
static void
test_sim_settle (void)
{
  g_autoptr (AlTurntableClock) clock = al_turntable_clock_new_virtual (0);
  g_autoptr (AlTurntable) tt = open_sim ("sim:?speed=10&poll_ms=50", clock);
  g_autoptr (GError) error = NULL;
  g_assert_true (al_turntable_move_to (tt, 20.0, &error));
  gint64 t0 = al_turntable_clock_now (clock);
  double pos;
  g_assert_true (al_turntable_wait_settled (tt, 20.0, 0.01, 2000, 10000, NULL, NULL, &pos, &error));
  gint64 took = al_turntable_clock_now (clock) - t0;
  g_assert_cmpint (took, >=, 4000000);          /* 2 s travel + 2 s ring-down */
  g_assert_cmpint (took, <=, 4000000 + 100000); /* within two polls */

  /* Too short a timeout: TIMEOUT after that much clock time, table stopped. */
  g_assert_true (al_turntable_move_to (tt, 100.0, &error));
  t0 = al_turntable_clock_now (clock);
  g_assert_false (al_turntable_wait_settled (tt, 100.0, 0.01, 0, 3000, NULL, NULL, &pos, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_TIMEOUT, "simulated turntable");
  g_assert_cmpint (al_turntable_clock_now (clock) - t0, >=, 3000000);
  g_assert_cmpint (al_turntable_clock_now (clock) - t0, <=, 3100000);
  AlTurntableState st;
  g_assert_true (al_turntable_get_state (tt, &st, NULL));
  g_assert_false (st.moving);
  g_assert_cmpfloat_with_epsilon (st.position_deg, 50.0, 1.0);
  g_clear_error (&error);

  /* Bad arguments are input errors. */
  g_assert_false (al_turntable_wait_settled (tt, NAN, 0.1, 0, 1000, NULL, NULL, NULL, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
}

static gboolean
cancel_later (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static gpointer
cancel_thread (gpointer data)
{
  g_usleep (100000);
  cancel_later (data);
  return NULL;
}

/* A wait cancelled from another thread returns at once and stops the table (system clock). */
static void
test_sim_cancel (void)
{
  g_autoptr (AlTurntable) tt = open_sim ("sim:?speed=30", NULL);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  GThread *th = g_thread_new ("cancel", cancel_thread, cancellable);
  gint64 t0 = g_get_monotonic_time ();
  g_assert_false (al_turntable_goto (tt, 180.0, 0.05, 0, 20000, cancellable, NULL, &error));
  gint64 took = g_get_monotonic_time () - t0;
  g_thread_join (th);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (took, <, 1000000);
  AlTurntableState st;
  g_assert_true (al_turntable_get_state (tt, &st, NULL));
  g_assert_false (st.moving);
  g_assert_cmpfloat (st.position_deg, <, 45.0);
  g_clear_error (&error);
  /* Already cancelled: nothing moves. */
  g_assert_false (al_turntable_goto (tt, 90.0, 0.05, 0, 1000, cancellable, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/measure/turntable/error-names", test_error_names);
  g_test_add_func ("/measure/turntable/uri-errors", test_uri_errors);
  g_test_add_func ("/measure/turntable/uri-open", test_uri_open);
  g_test_add_func ("/measure/turntable/clocks", test_clocks);
  g_test_add_func ("/measure/turntable/geometry", test_geometry);
  g_test_add_func ("/measure/turntable/plan", test_plan);
  g_test_add_func ("/measure/turntable/travel-grid", test_travel_grid);
  g_test_add_func ("/measure/turntable/travel-partial", test_travel_partial);
  g_test_add_func ("/measure/turntable/sim/goto", test_sim_goto);
  g_test_add_func ("/measure/turntable/sim/limits", test_sim_limits);
  g_test_add_func ("/measure/turntable/sim/busy-homed", test_sim_busy_homed);
  g_test_add_func ("/measure/turntable/sim/faults", test_sim_faults);
  g_test_add_func ("/measure/turntable/sim/stall-retry", test_sim_stall_retry);
  g_test_add_func ("/measure/turntable/sim/settle", test_sim_settle);
  g_test_add_func ("/measure/turntable/sim/cancel", test_sim_cancel);
  return g_test_run ();
}
