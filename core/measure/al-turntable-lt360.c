/* al-turntable-lt360.c — lt360:///dev/ttyUSB0: the LinearX LT360 over
 * RS-232 in ASCII (measurement.md §6.1).
 *
 * Commands are case-insensitive and end with CR; every command is answered
 * by one CR-terminated line.  The manual's commands are spelled here as
 *   GP           Get Position -> "±nnn.n" (0.1°, 0 … 360 or ±180 by the display setting)
 *   GM           Get Moving   -> "CW", "CCW" or "NO"
 *   CCW nnn.n    Goto turning counter-clockwise to an absolute angle -> "OK"
 *   CW nnn.n     Goto turning clockwise -> "OK"
 *   ST           Stop -> "OK"
 *   SZ           Set Zero (here is 0°) -> "OK"
 * and an invalid command is answered by "ERR" or "?".  Keep these in step
 * with the vendor's RS-232 programming manual and the emulator in
 * tests/measure/al-emu-lt360.c.  The manual asks for about one poll a
 * second, so the settle wait polls at 1 Hz; "Goto" with an explicit turning
 * direction lets the core's cable-safe direction reach the table unchanged.
 *
 * lt360:///dev/ttyUSB0?baud=9600&timeout_ms=1000
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-serial.h"
#include "al-turntable-private.h"

#include <math.h>
#include <string.h>

typedef struct {
  AlSerial *serial;
  guint timeout_ms;
  AlTurntableUnwrap unwrap;
} Lt360;

/* Sends one command and returns its reply line. */
static char *
transact (AlTurntable *tt, const char *command, GError **error)
{
  Lt360 *lt = tt->priv;
  g_autofree char *wire = g_strconcat (command, "\r", NULL);
  al_serial_discard_input (lt->serial);
  if (!al_serial_write (lt->serial, wire, strlen (wire), error))
    return NULL;
  g_autoptr (GError) local = NULL;
  char *reply = al_serial_read_line (lt->serial, lt->timeout_ms, &local);
  if (reply == NULL)
    {
      if (g_error_matches (local, AL_TURNTABLE_ERROR, AL_TURNTABLE_ERROR_TIMEOUT))
        al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_TIMEOUT, "no reply to '%s' within %u ms", command,
                                lt->timeout_ms);
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  g_strstrip (reply);
  if (g_ascii_strncasecmp (reply, "ERR", 3) == 0 || g_strcmp0 (reply, "?") == 0)
    {
      al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_PROTOCOL, "refused '%s': error reply '%s'", command,
                              reply);
      g_free (reply);
      return NULL;
    }
  return reply;
}

static gboolean
action (AlTurntable *tt, const char *command, GError **error)
{
  g_autofree char *reply = transact (tt, command, error);
  if (reply == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (reply, "OK") != 0)
    {
      al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_PROTOCOL, "unexpected reply '%s' to '%s'", reply,
                              command);
      return FALSE;
    }
  return TRUE;
}

/* "±nnn.n", strictly: a garbled digit must not pass for an angle. */
static gboolean
parse_position (const char *s, double *deg)
{
  const char *p = s;
  if (*p == '+' || *p == '-')
    p++;
  int digits = 0, decimals = -1;
  for (; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          if (decimals >= 0)
            decimals++;
          else
            digits++;
        }
      else if (*p == '.' && decimals < 0)
        decimals = 0;
      else
        return FALSE;
    }
  if (digits == 0 || digits > 4 || decimals == 0)
    return FALSE;
  *deg = g_ascii_strtod (s, NULL);
  return isfinite (*deg);
}

static gboolean
read_position (AlTurntable *tt, double *deg, GError **error)
{
  g_autofree char *reply = transact (tt, "GP", error);
  if (reply == NULL)
    return FALSE;
  if (!parse_position (reply, deg))
    {
      al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_PROTOCOL, "garbled position reply '%s'", reply);
      return FALSE;
    }
  return TRUE;
}

static void
lt360_close (AlTurntable *tt)
{
  Lt360 *lt = tt->priv;
  if (lt == NULL)
    return;
  al_serial_close (lt->serial);
  g_free (lt);
  tt->priv = NULL;
}

static gboolean
lt360_open (AlTurntable *tt, AlTurntableUri *uri, GError **error)
{
  int baud = 9600, timeout_ms = 1000;
  if (!al_turntable_uri_int (uri, "baud", 1200, 230400, &baud, error)
      || !al_turntable_uri_int (uri, "timeout_ms", 1, 60000, &timeout_ms, error))
    return FALSE;
  if (!al_serial_baud_supported (baud))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "turntable URI '%s': unsupported baud=%d", uri->text,
                   baud);
      return FALSE;
    }
  if (uri->path[0] == '\0')
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "turntable URI '%s': the LT360 needs a serial port: lt360:///dev/ttyUSB0", uri->text);
      return FALSE;
    }
  g_free (tt->name);
  tt->name = g_strdup_printf ("LT360 on %s", uri->path);

  Lt360 *lt = g_new0 (Lt360, 1);
  lt->timeout_ms = timeout_ms;
  tt->priv = lt;
  lt->serial = al_serial_open (uri->path, baud, tt->name, error);
  if (lt->serial == NULL)
    goto fail;

  tt->caps.resolution_deg = 0.1;
  tt->caps.absolute = TRUE;
  tt->caps.homing = FALSE;
  tt->caps.continuous = TRUE;
  tt->caps.nonblocking = TRUE;
  tt->caps.poll_ms = 1000;

  double deg;
  if (!read_position (tt, &deg, error))
    goto fail;
  al_turntable_unwrap (&lt->unwrap, deg);
  return TRUE;

fail:
  lt360_close (tt);
  return FALSE;
}

static gboolean
lt360_home (AlTurntable *tt, GCancellable *cancellable, GError **error)
{
  Lt360 *lt = tt->priv;
  if (!action (tt, "SZ", error))
    return FALSE;
  al_turntable_unwrap_reset (&lt->unwrap, 0.0);
  return TRUE;
}

static gboolean
lt360_move (AlTurntable *tt, double from, double to, GError **error)
{
  Lt360 *lt = tt->priv;
  double delta = to - from;
  if (fabs (delta) < 0.05)
    return TRUE;
  if (fabs (delta) >= 359.95)
    {
      al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_LIMIT,
                              "a move of %.1f° is a whole turn or more, which one Goto cannot do", delta);
      return FALSE;
    }
  /* The turning direction is physical: a device counting clockwise
   * (reverse=1) turns counter-clockwise while its angle falls. */
  gboolean ccw = tt->sign * delta > 0.0;
  char arg[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd (arg, sizeof arg, "%.1f", al_turntable_wrap360 (round (to * 10.0) / 10.0));
  g_autofree char *command = g_strdup_printf ("%s %s", ccw ? "CCW" : "CW", arg);
  al_turntable_unwrap_expect_move (&lt->unwrap, from, to);
  return action (tt, command, error);
}

static gboolean
lt360_get_state (AlTurntable *tt, AlTurntableState *state, GError **error)
{
  Lt360 *lt = tt->priv;
  double deg;
  if (!read_position (tt, &deg, error))
    return FALSE;
  g_autofree char *moving = transact (tt, "GM", error);
  if (moving == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (moving, "CW") == 0 || g_ascii_strcasecmp (moving, "CCW") == 0)
    state->moving = TRUE;
  else if (g_ascii_strcasecmp (moving, "NO") == 0)
    state->moving = FALSE;
  else
    {
      al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_PROTOCOL, "garbled moving reply '%s'", moving);
      return FALSE;
    }
  state->position_deg = al_turntable_unwrap (&lt->unwrap, deg);
  state->homed = TRUE;
  return TRUE;
}

static gboolean
lt360_stop (AlTurntable *tt, GError **error)
{
  return action (tt, "ST", error);
}

static const char *const lt360_keys[] = { "baud", "timeout_ms", NULL };

const AlTurntableBackend al_turntable_lt360_backend = {
  "lt360", lt360_keys, lt360_open, lt360_home, lt360_move, lt360_get_state, lt360_stop, lt360_close,
};
