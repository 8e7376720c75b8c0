/* al-turntable-grbl.c — grbl:///dev/ttyACM0?axis=X: a stepper turntable
 * run by GRBL 1.1 (measurement.md §6.1, grbl wiki "Interfacing with Grbl").
 *
 * Lines end with LF and are answered by "ok" or "error:N"; "?", "!", "~" and
 * Ctrl-X are realtime bytes.  The axis is scaled to degrees ($100 steps per
 * degree, $110 degrees per minute), so the work coordinate is the unwrapped
 * angle itself: move = "G90 G0 X<deg>", state = "?" ->
 * "<Idle|MPos:…|WCO:…>", home = "$H" (when $22 enables homing) followed by
 * "G10 L20 P1 X0" (work zero there), stop = "!" (feed hold), wait for the
 * table to stand, then Ctrl-X (a reset that keeps the position when nothing
 * moves).  "ALARM:N" reports limits (1, 2), a lost position (3) and failed
 * homing (6–9).  Open-loop steppers cannot see a stall: GRBL reports the
 * steps it sent, so a stall only shows where an encoder feeds back.
 *
 * grbl:///dev/ttyACM0?axis=X&baud=115200&timeout_ms=2000&home_timeout_ms=120000
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-serial.h"
#include "al-turntable-private.h"

#include <math.h>
#include <string.h>

#define AXES "XYZABC"
#define MAX_AXES 6
/* How often the stop sequence asks whether the hold has come to rest. */
#define STOP_POLL_US 20000

typedef struct {
  AlSerial *serial;
  char axis;
  int axis_index;
  guint timeout_ms, home_timeout_ms;
  gboolean homing_enabled;   /* $22 */
  gboolean homed;
  int alarm;                 /* the last ALARM:N since the last homing, 0 none */
  guint alarms_seen;
  double wco[MAX_AXES];      /* work coordinate offset, as last reported */
} Grbl;

typedef struct {
  char state[16];            /* "Idle", "Run", "Hold", "Alarm", … without the sub-state */
  int substate;              /* Hold:0 complete, Hold:1 decelerating; -1 none */
  double position;           /* work coordinate of the axis */
} GrblStatus;

static const char *
error_text (int code)
{
  switch (code)
    {
    case 1: return "expected command letter";
    case 2: return "bad number format";
    case 3: return "invalid $ statement";
    case 5: return "homing is not enabled";
    case 8: return "not idle";
    case 9: return "G-code locked out during alarm or jog state";
    case 15: return "jog target exceeds machine travel";
    case 20: return "unsupported or invalid G-code command";
    case 22: return "feed rate not set";
    default: return "see the GRBL error table";
    }
}

static const char *
alarm_text (int code)
{
  switch (code)
    {
    case 1: return "hard limit switch triggered";
    case 2: return "soft limit: the target exceeds the machine travel";
    case 3: return "reset while in motion: position lost";
    case 4: case 5: return "probe fail";
    case 6: return "homing fail: reset during the cycle";
    case 7: return "homing fail: safety door opened";
    case 8: return "homing fail: pull-off did not clear the limit switch";
    case 9: return "homing fail: limit switch not found";
    default: return "alarm";
    }
}

static AlTurntableError
alarm_category (int code)
{
  switch (code)
    {
    case 1: case 2: return AL_TURNTABLE_ERROR_LIMIT;
    case 3: return AL_TURNTABLE_ERROR_POSITION;
    case 6: case 7: case 8: case 9: return AL_TURNTABLE_ERROR_NOT_HOMED;
    default: return AL_TURNTABLE_ERROR_PROTOCOL;
    }
}

static void
note_alarm (Grbl *g, int code)
{
  g->alarm = code;
  g->alarms_seen++;
  /* Limit switches and resets in motion lose steps; a failed homing never found zero. */
  if (code != 2)
    g->homed = !g->homing_enabled;
}

static gboolean
parse_int_after (const char *line, const char *prefix, int *value)
{
  if (!g_str_has_prefix (line, prefix))
    return FALSE;
  gint64 v;
  if (!g_ascii_string_to_signed (line + strlen (prefix), 10, 0, 999, &v, NULL))
    return FALSE;
  *value = (int) v;
  return TRUE;
}

/* Comma-separated numbers, all of them well-formed. */
static int
parse_numbers (const char *s, double *out, int max)
{
  g_auto (GStrv) parts = g_strsplit (s, ",", -1);
  int n = 0;
  for (; parts[n] != NULL; n++)
    {
      char *end = NULL;
      if (n >= max || parts[n][0] == '\0')
        return -1;
      out[n] = g_ascii_strtod (parts[n], &end);
      if (*end != '\0' || !isfinite (out[n]))
        return -1;
    }
  return n;
}

static gboolean
parse_status (Grbl *g, const char *line, GrblStatus *st)
{
  gsize len = strlen (line);
  if (len < 3 || line[0] != '<' || line[len - 1] != '>')
    return FALSE;
  g_autofree char *inner = g_strndup (line + 1, len - 2);
  g_auto (GStrv) fields = g_strsplit (inner, "|", -1);
  if (fields[0] == NULL)
    return FALSE;

  static const char *const states[] = { "Idle", "Run", "Hold", "Jog", "Alarm", "Door", "Check", "Home", "Sleep" };
  char *colon = strchr (fields[0], ':');
  st->substate = -1;
  if (colon != NULL)
    {
      *colon = '\0';
      gint64 v;
      if (!g_ascii_string_to_signed (colon + 1, 10, 0, 9, &v, NULL))
        return FALSE;
      st->substate = (int) v;
    }
  gboolean known = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    known |= strcmp (fields[0], states[i]) == 0;
  if (!known)
    return FALSE;
  g_strlcpy (st->state, fields[0], sizeof st->state);

  double mpos[MAX_AXES], wpos[MAX_AXES], wco[MAX_AXES];
  int n_m = 0, n_w = 0;
  for (int i = 1; fields[i] != NULL; i++)
    {
      if (g_str_has_prefix (fields[i], "MPos:"))
        {
          if ((n_m = parse_numbers (fields[i] + 5, mpos, MAX_AXES)) <= g->axis_index)
            return FALSE;
        }
      else if (g_str_has_prefix (fields[i], "WPos:"))
        {
          if ((n_w = parse_numbers (fields[i] + 5, wpos, MAX_AXES)) <= g->axis_index)
            return FALSE;
        }
      else if (g_str_has_prefix (fields[i], "WCO:"))
        {
          int n = parse_numbers (fields[i] + 4, wco, MAX_AXES);
          if (n <= g->axis_index)
            return FALSE;
          memcpy (g->wco, wco, n * sizeof *wco);
        }
    }
  if (n_w > 0)
    st->position = wpos[g->axis_index];
  else if (n_m > 0)
    st->position = mpos[g->axis_index] - g->wco[g->axis_index];
  else
    return FALSE;
  return TRUE;
}

typedef enum { LINE_FEEDBACK, LINE_OK, LINE_ERROR, LINE_ALARM, LINE_STATUS, LINE_BANNER, LINE_OTHER } LineKind;

/* What a line is; alarms and resets update the driver's idea of the
 * controller on the way. */
static LineKind
classify (AlTurntable *tt, const char *l)
{
  Grbl *g = tt->priv;
  int code;
  if (l[0] == '\0' || l[0] == '[')
    {
      g_debug ("%s: %s", tt->name, l);
      return LINE_FEEDBACK;
    }
  if (strcmp (l, "ok") == 0)
    return LINE_OK;
  if (g_str_has_prefix (l, "error:"))
    return LINE_ERROR;
  if (parse_int_after (l, "ALARM:", &code))
    {
      note_alarm (g, code);
      return LINE_ALARM;
    }
  if (l[0] == '<')
    return LINE_STATUS;
  if (g_str_has_prefix (l, "Grbl "))
    {
      /* A reset: the controller forgets its homing. */
      g->homed = !g->homing_enabled;
      return LINE_BANNER;
    }
  return LINE_OTHER;
}

/* Reads lines until one of interest; [MSG:…] and other feedback is skipped.
 * *line (owned) gets it. */
static gboolean
read_reply (AlTurntable *tt, gint64 deadline, guint timeout_ms, const char *waiting_for, char **line,
            LineKind *kind, GError **error)
{
  Grbl *g = tt->priv;
  for (;;)
    {
      gint64 left_ms = (deadline - g_get_monotonic_time () + 999) / 1000;
      g_autoptr (GError) local = NULL;
      char *l = al_serial_read_line (g->serial, (guint) MAX (left_ms, 0), &local);
      if (l == NULL)
        {
          if (g_error_matches (local, AL_TURNTABLE_ERROR, AL_TURNTABLE_ERROR_TIMEOUT))
            al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_TIMEOUT, "no reply to %s within %u ms",
                                    waiting_for, timeout_ms);
          else
            g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      g_strstrip (l);
      *kind = classify (tt, l);
      if (*kind == LINE_FEEDBACK)
        {
          g_free (l);
          continue;
        }
      *line = l;
      return TRUE;
    }
}

/* Before a request: what the controller said on its own since the last one
 * (an ALARM:1 from a limit switch mid-move) is noted, the rest dropped, so
 * no stale line passes for the answer. */
static void
drain_feedback (AlTurntable *tt)
{
  Grbl *g = tt->priv;
  for (;;)
    {
      g_autofree char *l = al_serial_read_line (g->serial, 0, NULL);
      if (l == NULL)
        return;
      g_strstrip (l);
      classify (tt, l);
    }
}

/* A line command answered by "ok".  `settings` collects "$N=V" lines. */
static gboolean
command (AlTurntable *tt, const char *cmd, guint timeout_ms, GHashTable *settings, GError **error)
{
  Grbl *g = tt->priv;
  g_autofree char *wire = g_strconcat (cmd, "\n", NULL);
  drain_feedback (tt);
  if (!al_serial_write (g->serial, wire, strlen (wire), error))
    return FALSE;
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  g_autofree char *what = g_strdup_printf ("'%s'", cmd);
  for (;;)
    {
      g_autofree char *line = NULL;
      LineKind kind;
      if (!read_reply (tt, deadline, timeout_ms, what, &line, &kind, error))
        return FALSE;
      int code = 0;
      switch (kind)
        {
        case LINE_OK:
          return TRUE;
        case LINE_ERROR:
          parse_int_after (line, "error:", &code);
          al_turntable_set_error (tt, error, code == 9 ? AL_TURNTABLE_ERROR_NOT_HOMED : AL_TURNTABLE_ERROR_PROTOCOL,
                                  "%s refused '%s' (%s)", line, cmd, error_text (code));
          return FALSE;
        case LINE_ALARM:
          al_turntable_set_error (tt, error, alarm_category (g->alarm), "%s after '%s' (%s)", line, cmd,
                                  alarm_text (g->alarm));
          return FALSE;
        case LINE_BANNER:
          al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_COMMUNICATION,
                                  "the controller restarted while waiting for %s", what);
          return FALSE;
        case LINE_STATUS:
        case LINE_FEEDBACK:
          continue; /* a late answer to an earlier '?' */
        case LINE_OTHER:
          if (settings != NULL && line[0] == '$' && strchr (line, '=') != NULL)
            {
              char *eq = strchr (line, '=');
              g_hash_table_replace (settings, g_strndup (line + 1, eq - line - 1), g_strdup (eq + 1));
              continue;
            }
          al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_PROTOCOL, "unexpected reply '%s' to '%s'", line, cmd);
          return FALSE;
        }
    }
}

static gboolean
query_status (AlTurntable *tt, GrblStatus *st, GError **error)
{
  Grbl *g = tt->priv;
  drain_feedback (tt);
  if (!al_serial_write (g->serial, "?", 1, error))
    return FALSE;
  gint64 deadline = g_get_monotonic_time () + (gint64) g->timeout_ms * 1000;
  for (;;)
    {
      g_autofree char *line = NULL;
      LineKind kind;
      if (!read_reply (tt, deadline, g->timeout_ms, "a status query '?'", &line, &kind, error))
        return FALSE;
      if (kind == LINE_STATUS || kind == LINE_OTHER)
        {
          if (!parse_status (g, line, st))
            {
              al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_PROTOCOL, "garbled status report '%s'", line);
              return FALSE;
            }
          return TRUE;
        }
      /* "ok", alarms (noted) and banners of earlier commands: read on. */
    }
}

static gboolean
wait_banner (AlTurntable *tt, GError **error)
{
  Grbl *g = tt->priv;
  gint64 deadline = g_get_monotonic_time () + (gint64) g->timeout_ms * 1000;
  for (;;)
    {
      g_autofree char *line = NULL;
      LineKind kind;
      if (!read_reply (tt, deadline, g->timeout_ms, "a soft reset (no 'Grbl' greeting)", &line, &kind, error))
        return FALSE;
      if (kind == LINE_BANNER)
        return TRUE;
    }
}

static double
setting (GHashTable *settings, int key, double fallback)
{
  char k[8];
  g_snprintf (k, sizeof k, "%d", key);
  const char *v = g_hash_table_lookup (settings, k);
  if (v == NULL)
    return fallback;
  char *end = NULL;
  double x = g_ascii_strtod (v, &end);
  return end != v && isfinite (x) ? x : fallback;
}

static void
grbl_close (AlTurntable *tt)
{
  Grbl *g = tt->priv;
  if (g == NULL)
    return;
  al_serial_close (g->serial);
  g_free (g);
  tt->priv = NULL;
}

static gboolean
grbl_open (AlTurntable *tt, AlTurntableUri *uri, GError **error)
{
  int baud = 115200, timeout_ms = 2000, home_timeout_ms = 120000;
  if (!al_turntable_uri_int (uri, "baud", 1200, 230400, &baud, error)
      || !al_turntable_uri_int (uri, "timeout_ms", 1, 60000, &timeout_ms, error)
      || !al_turntable_uri_int (uri, "home_timeout_ms", 1, 600000, &home_timeout_ms, error))
    return FALSE;
  const char *axis = al_turntable_uri_string (uri, "axis");
  if (axis == NULL)
    axis = "X";
  const char *found = strlen (axis) == 1 ? strchr (AXES, g_ascii_toupper (axis[0])) : NULL;
  if (found == NULL || *found == '\0')
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "turntable URI '%s': axis=%s is none of X Y Z A B C",
                   uri->text, axis);
      return FALSE;
    }
  if (!al_serial_baud_supported (baud))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "turntable URI '%s': unsupported baud=%d", uri->text,
                   baud);
      return FALSE;
    }
  if (uri->path[0] == '\0')
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "turntable URI '%s': GRBL needs a serial port: grbl:///dev/ttyACM0", uri->text);
      return FALSE;
    }

  /* Declared before the first goto: cleanup must never see them unset. */
  g_autoptr (GHashTable) settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GError) local = NULL;
  GrblStatus st;
  Grbl *g = g_new0 (Grbl, 1);
  g->axis = *found;
  g->axis_index = (int) (found - AXES);
  g->timeout_ms = timeout_ms;
  g->home_timeout_ms = home_timeout_ms;
  tt->priv = g;
  g_free (tt->name);
  tt->name = g->axis == 'X' ? g_strdup_printf ("GRBL on %s", uri->path)
                            : g_strdup_printf ("GRBL on %s, axis %c", uri->path, g->axis);
  g->serial = al_serial_open (uri->path, baud, tt->name, error);
  if (g->serial == NULL)
    goto fail;

  /* A soft reset puts the controller in a known state and proves it is GRBL. */
  al_serial_discard_input (g->serial);
  if (!al_serial_write (g->serial, "\x18", 1, error) || !wait_banner (tt, error))
    goto fail;

  if (!command (tt, "$$", g->timeout_ms, settings, &local))
    {
      if (!g_error_matches (local, AL_TURNTABLE_ERROR, AL_TURNTABLE_ERROR_PROTOCOL))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          goto fail;
        }
      g_debug ("%s: no settings ($$): %s", tt->name, local->message);
    }
  g->homing_enabled = ((int) setting (settings, 22, 0)) & 1;
  double steps = setting (settings, 100 + g->axis_index, 0);
  double rate = setting (settings, 110 + g->axis_index, 0);

  if (!query_status (tt, &st, error))
    goto fail;
  g->homed = !g->homing_enabled || strcmp (st.state, "Alarm") != 0;

  tt->caps.resolution_deg = steps > 0 ? 1.0 / steps : 0.001;
  tt->caps.max_speed_deg_s = rate > 0 ? rate / 60.0 : 0.0;
  tt->caps.absolute = TRUE;
  tt->caps.homing = g->homing_enabled;
  tt->caps.continuous = FALSE;
  tt->caps.nonblocking = TRUE;
  tt->caps.poll_ms = 200;
  return TRUE;

fail:
  grbl_close (tt);
  return FALSE;
}

static gboolean
set_work_zero (AlTurntable *tt, GError **error)
{
  Grbl *g = tt->priv;
  g_autofree char *cmd = g_strdup_printf ("G10 L20 P1 %c0", g->axis);
  return command (tt, cmd, g->timeout_ms, NULL, error);
}

static gboolean
grbl_home (AlTurntable *tt, GCancellable *cancellable, GError **error)
{
  Grbl *g = tt->priv;
  if (g->homing_enabled)
    {
      /* GRBL answers "$H" when the cycle is over; homing is all axes at once. */
      if (!command (tt, "$H", g->home_timeout_ms, NULL, error))
        return FALSE;
      g->homed = TRUE;
      g->alarm = 0;
    }
  return set_work_zero (tt, error);
}

static gboolean
grbl_move (AlTurntable *tt, double from, double to, GError **error)
{
  Grbl *g = tt->priv;
  char num[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd (num, sizeof num, "%.3f", to);
  g_autofree char *cmd = g_strdup_printf ("G90 G0 %c%s", g->axis, num);
  return command (tt, cmd, g->timeout_ms, NULL, error);
}

static gboolean
grbl_get_state (AlTurntable *tt, AlTurntableState *state, GError **error)
{
  Grbl *g = tt->priv;
  GrblStatus st;
  if (!query_status (tt, &st, error))
    return FALSE;
  state->position_deg = st.position;
  state->homed = g->homed;
  const char *s = st.state;
  state->moving = strcmp (s, "Run") == 0 || strcmp (s, "Jog") == 0 || strcmp (s, "Home") == 0
                  || (strcmp (s, "Hold") == 0 && st.substate != 0);
  if (strcmp (s, "Alarm") == 0)
    {
      state->fault = TRUE;
      state->homed = FALSE;
      if (g->alarm != 0)
        {
          state->fault_code = alarm_category (g->alarm);
          g_snprintf (state->fault_message, sizeof state->fault_message, "ALARM:%d (%s)", g->alarm,
                      alarm_text (g->alarm));
        }
      else
        {
          state->fault_code = AL_TURNTABLE_ERROR_NOT_HOMED;
          g_strlcpy (state->fault_message, "locked in alarm state until homed ($H)", sizeof state->fault_message);
        }
    }
  else if (strcmp (s, "Door") == 0)
    {
      state->fault = TRUE;
      state->fault_code = AL_TURNTABLE_ERROR_EMERGENCY_STOP;
      g_strlcpy (state->fault_message, "safety door open", sizeof state->fault_message);
    }
  else if (strcmp (s, "Check") == 0 || strcmp (s, "Sleep") == 0)
    {
      state->fault = TRUE;
      state->fault_code = AL_TURNTABLE_ERROR_UNSUPPORTED;
      g_snprintf (state->fault_message, sizeof state->fault_message, "in %s mode: nothing moves",
                  strcmp (s, "Check") == 0 ? "check ($C)" : "sleep ($SLP)");
    }
  return TRUE;
}

static gboolean
grbl_stop (AlTurntable *tt, GError **error)
{
  Grbl *g = tt->priv;
  /* Feed hold decelerates without losing steps; only a standing machine may
   * be reset (a reset in motion raises ALARM:3 and loses the position). */
  if (!al_serial_write (g->serial, "!", 1, error))
    return FALSE;
  gint64 deadline = g_get_monotonic_time () + (gint64) g->timeout_ms * 1000;
  for (;;)
    {
      AlTurntableState state;
      memset (&state, 0, sizeof state);
      if (!grbl_get_state (tt, &state, error))
        return FALSE;
      if (!state.moving)
        break;
      if (g_get_monotonic_time () >= deadline)
        {
          al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_TIMEOUT, "still moving %u ms after a feed hold",
                                  g->timeout_ms);
          return FALSE;
        }
      g_usleep (STOP_POLL_US);
    }
  gboolean homed = g->homed;
  guint alarms = g->alarms_seen;
  drain_feedback (tt);
  if (!al_serial_write (g->serial, "\x18", 1, error) || !wait_banner (tt, error))
    return FALSE;
  /* A reset at rest keeps the position, and with it the homing. */
  if (g->alarms_seen == alarms)
    g->homed = homed;
  return TRUE;
}

static const char *const grbl_keys[] = { "axis", "baud", "timeout_ms", "home_timeout_ms", NULL };

const AlTurntableBackend al_turntable_grbl_backend = {
  "grbl", grbl_keys, grbl_open, grbl_home, grbl_move, grbl_get_state, grbl_stop, grbl_close,
};
