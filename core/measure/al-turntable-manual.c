/* al-turntable-manual.c — manual: the user turns the table by hand and
 * confirms through the caller's callback (a CLI prompt, a GUI dialog); the
 * confirmed reading is the read-back position.
 *
 * manual:?resolution=1    degrees the user can set on the scale
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-turntable-private.h"

#include <math.h>

typedef struct {
  double position;     /* device frame, unwrapped */
} Manual;

static gboolean
manual_open (AlTurntable *tt, AlTurntableUri *uri, GError **error)
{
  double resolution = 1.0;
  if (!al_turntable_uri_double (uri, "resolution", 1e-3, 45.0, &resolution, error))
    return FALSE;
  tt->priv = g_new0 (Manual, 1);
  g_free (tt->name);
  tt->name = g_strdup ("manual turntable");
  tt->caps.resolution_deg = resolution;
  tt->caps.absolute = TRUE;
  tt->caps.homing = FALSE;
  tt->caps.nonblocking = FALSE;
  tt->caps.poll_ms = 50;
  return TRUE;
}

/* Asks the user; *reading in, the target; out, what the user read. */
static gboolean
ask (AlTurntable *tt, AlTurntablePrompt *prompt, double *reading, GError **error)
{
  if (tt->confirm == NULL)
    {
      al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_COMMUNICATION,
                              "nobody to ask: no confirmation callback is set (%s)", prompt->message);
      return FALSE;
    }
  prompt->device = tt->name;
  if (!tt->confirm (prompt, reading, tt->confirm_data))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s: the user declined: %s", tt->name,
                   prompt->message);
      return FALSE;
    }
  if (!isfinite (*reading))
    {
      al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_PROTOCOL, "the confirmed reading is not a number");
      return FALSE;
    }
  return TRUE;
}

static gboolean
manual_home (AlTurntable *tt, GCancellable *cancellable, GError **error)
{
  Manual *m = tt->priv;
  g_autofree char *msg = g_strdup ("Turn the turntable to its 0° mark, with the cable untwisted, and confirm.");
  AlTurntablePrompt prompt = { NULL, TRUE, 0.0, 0.0, 0.0, msg };
  double reading = 0.0;
  if (!ask (tt, &prompt, &reading, error))
    return FALSE;
  m->position = 0.0;
  return TRUE;
}

static gboolean
manual_move (AlTurntable *tt, double from, double to, GError **error)
{
  Manual *m = tt->priv;
  /* Speak in table angles: the user sees the scale, not the device frame. */
  double from_t = tt->sign * from, to_t = tt->sign * to;
  double delta = to_t - from_t;
  if (fabs (delta) < 1e-9)
    return TRUE;
  double target = al_turntable_wrap360 (to_t);
  g_autofree char *msg = g_strdup_printf ("Turn the turntable %s by %.1f° to %.1f° and confirm.",
                                          delta > 0 ? "counter-clockwise" : "clockwise", fabs (delta), target);
  AlTurntablePrompt prompt = { NULL, FALSE, target, from_t, to_t, msg };
  double reading = target;
  if (!ask (tt, &prompt, &reading, error))
    return FALSE;
  /* A scale reading names no turn: take the one nearest the target. */
  m->position = tt->sign * (to_t + remainder (reading - to_t, 360.0));
  return TRUE;
}

static gboolean
manual_get_state (AlTurntable *tt, AlTurntableState *state, GError **error)
{
  Manual *m = tt->priv;
  state->position_deg = m->position;
  state->moving = FALSE;
  state->homed = TRUE;
  return TRUE;
}

static gboolean
manual_stop (AlTurntable *tt, GError **error)
{
  return TRUE; /* nothing moves unless the user moves it */
}

static void
manual_close (AlTurntable *tt)
{
  g_free (tt->priv);
}

static const char *const manual_keys[] = { "resolution", NULL };

const AlTurntableBackend al_turntable_manual_backend = {
  "manual", manual_keys, manual_open, manual_home, manual_move, manual_get_state, manual_stop, manual_close,
};
