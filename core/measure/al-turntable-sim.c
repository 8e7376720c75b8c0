/* al-turntable-sim.c — sim: a turntable that moves at a constant speed in
 * the turntable's clock, for the demo and for tests, with injectable faults.
 *
 * sim:?speed=30           degrees per second (0: arrives at once)
 *     &resolution=0.01    degrees
 *     &homing=1           needs a reference run before moving (default 0)
 *     &fail=KIND          stall (stops halfway), position (ends 5° off),
 *                         error (refuses the move), timeout (never arrives),
 *                         estop (e-stop while moving), comm (state reads fail)
 *     &fail_count=N       how many moves (state reads for comm) fail; default all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-turntable-private.h"

#include <math.h>

typedef enum {
  SIM_FAIL_NONE,
  SIM_FAIL_STALL,
  SIM_FAIL_POSITION,
  SIM_FAIL_ERROR,
  SIM_FAIL_TIMEOUT,
  SIM_FAIL_ESTOP,
  SIM_FAIL_COMM,
} SimFail;

static const char *const fail_names[] = { "none", "stall", "position", "error", "timeout", "estop", "comm" };

/* How far off target a "position" fault leaves the table. */
#define WRONG_POSITION_DEG 5.0

typedef struct {
  double speed;
  double from, to;       /* the move under way (device frame); to == from when standing */
  double end;            /* where it really ends (short of `to` when stalling) */
  gint64 t0;
  gboolean endless;      /* timeout fault: never arrives */
  gboolean estop;
  gboolean homed;
  SimFail fail;
  int fail_left;         /* < 0: every time */
} Sim;

static gboolean
take_fault (Sim *sim, SimFail kind)
{
  if (sim->fail != kind || sim->fail_left == 0)
    return FALSE;
  if (sim->fail_left > 0)
    sim->fail_left--;
  return TRUE;
}

static void
sim_position (AlTurntable *tt, double *pos, gboolean *moving)
{
  Sim *sim = tt->priv;
  double dist = fabs (sim->end - sim->from);
  double done = dist;
  if (sim->speed > 0.0)
    done = sim->speed * (al_turntable_clock_now (tt->clock) - sim->t0) / 1e6;
  if (sim->endless)
    done = MIN (done, 0.5 * dist);
  double sgn = sim->end >= sim->from ? 1.0 : -1.0;
  *pos = sim->from + sgn * MIN (done, dist);
  *moving = sim->endless || (!sim->estop && done < dist);
}

static gboolean
sim_open (AlTurntable *tt, AlTurntableUri *uri, GError **error)
{
  double speed = 30.0, resolution = 0.01;
  gboolean homing = FALSE;
  int fail_count = -1;
  if (!al_turntable_uri_double (uri, "speed", 0.0, 3600.0, &speed, error)
      || !al_turntable_uri_double (uri, "resolution", 1e-4, 10.0, &resolution, error)
      || !al_turntable_uri_bool (uri, "homing", &homing, error)
      || !al_turntable_uri_int (uri, "fail_count", 1, G_MAXINT, &fail_count, error))
    return FALSE;
  SimFail fail = SIM_FAIL_NONE;
  const char *f = al_turntable_uri_string (uri, "fail");
  if (f != NULL)
    {
      guint i;
      for (i = 0; i < G_N_ELEMENTS (fail_names); i++)
        if (g_ascii_strcasecmp (f, fail_names[i]) == 0)
          break;
      if (i == G_N_ELEMENTS (fail_names))
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                       "turntable URI '%s': fail=%s is none of stall, position, error, timeout, estop, comm",
                       uri->text, f);
          return FALSE;
        }
      fail = i;
    }

  Sim *sim = g_new0 (Sim, 1);
  sim->speed = speed;
  sim->homed = !homing;
  sim->fail = fail;
  sim->fail_left = fail_count;
  tt->priv = sim;
  g_free (tt->name);
  tt->name = g_strdup ("simulated turntable");
  tt->caps.resolution_deg = resolution;
  tt->caps.max_speed_deg_s = speed;
  tt->caps.absolute = TRUE;
  tt->caps.homing = homing;
  tt->caps.continuous = TRUE;
  tt->caps.nonblocking = speed > 0.0;
  tt->caps.poll_ms = 100;
  return TRUE;
}

static gboolean
sim_home (AlTurntable *tt, GCancellable *cancellable, GError **error)
{
  Sim *sim = tt->priv;
  /* The reference run is instantaneous: tests of it need no clock. */
  sim->from = sim->to = sim->end = 0.0;
  sim->endless = sim->estop = FALSE;
  sim->homed = TRUE;
  return TRUE;
}

static gboolean
sim_move (AlTurntable *tt, double from, double to, GError **error)
{
  Sim *sim = tt->priv;
  if (take_fault (sim, SIM_FAIL_ERROR))
    {
      al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_PROTOCOL, "refused the move to %.2f° (injected fault)",
                              to);
      return FALSE;
    }
  /* Quantise like a device with this resolution. */
  double res = tt->caps.resolution_deg;
  to = round (to / res) * res;
  sim->from = from;
  sim->to = sim->end = to;
  sim->t0 = al_turntable_clock_now (tt->clock);
  sim->endless = sim->estop = FALSE;
  if (take_fault (sim, SIM_FAIL_STALL))
    sim->end = from + 0.5 * (to - from);
  else if (take_fault (sim, SIM_FAIL_POSITION))
    sim->end = to + WRONG_POSITION_DEG;
  else if (take_fault (sim, SIM_FAIL_TIMEOUT))
    sim->endless = TRUE;
  else if (take_fault (sim, SIM_FAIL_ESTOP))
    {
      sim->end = from;
      sim->estop = TRUE;
    }
  return TRUE;
}

static gboolean
sim_get_state (AlTurntable *tt, AlTurntableState *state, GError **error)
{
  Sim *sim = tt->priv;
  if (take_fault (sim, SIM_FAIL_COMM))
    {
      al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_COMMUNICATION, "lost the link (injected fault)");
      return FALSE;
    }
  sim_position (tt, &state->position_deg, &state->moving);
  state->homed = sim->homed;
  if (sim->estop)
    {
      state->fault = TRUE;
      state->fault_code = AL_TURNTABLE_ERROR_EMERGENCY_STOP;
      g_strlcpy (state->fault_message, "emergency stop pressed (injected fault)", sizeof state->fault_message);
    }
  return TRUE;
}

static gboolean
sim_stop (AlTurntable *tt, GError **error)
{
  Sim *sim = tt->priv;
  double pos;
  gboolean moving;
  sim_position (tt, &pos, &moving);
  sim->from = sim->to = sim->end = pos;
  sim->endless = FALSE;
  return TRUE;
}

static void
sim_close (AlTurntable *tt)
{
  g_free (tt->priv);
}

static const char *const sim_keys[] = { "speed", "resolution", "homing", "fail", "fail_count", NULL };

const AlTurntableBackend al_turntable_sim_backend = {
  "sim", sim_keys, sim_open, sim_home, sim_move, sim_get_state, sim_stop, sim_close,
};
