/* al-turntable.c — the driver interface: URI dispatch, the checks every move
 * goes through (limits, busy, homed), and the backend-independent settle
 * wait with its stop / re-home / retry-once recovery.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-turntable-private.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

G_DEFINE_QUARK (al-turntable-error-quark, al_turntable_error)

/* Limits of the unwrapped angle when neither the URI nor the device says
 * otherwise: ITA's −180 … +360°. */
#define DEFAULT_MIN_DEG -180.0
#define DEFAULT_MAX_DEG 360.0
/* A table that stands still off target for this long (at least two polls)
 * has stalled: real devices may report "not moving" for a moment after a
 * move command before they start. */
#define STALL_GRACE_MS 1000
/* Longest single sleep of the settle wait, so cancellation is prompt. */
#define SLEEP_SLICE_US 50000

const char *
al_turntable_error_name (AlTurntableError code)
{
  switch (code)
    {
    case AL_TURNTABLE_ERROR_COMMUNICATION: return "communication";
    case AL_TURNTABLE_ERROR_TIMEOUT: return "timeout";
    case AL_TURNTABLE_ERROR_PROTOCOL: return "protocol";
    case AL_TURNTABLE_ERROR_NOT_HOMED: return "not homed";
    case AL_TURNTABLE_ERROR_LIMIT: return "limit";
    case AL_TURNTABLE_ERROR_POSITION: return "position";
    case AL_TURNTABLE_ERROR_EMERGENCY_STOP: return "emergency stop";
    case AL_TURNTABLE_ERROR_BUSY: return "busy";
    case AL_TURNTABLE_ERROR_UNSUPPORTED: return "unsupported";
    default: return "unknown";
    }
}

void
al_turntable_set_error (const AlTurntable *tt, GError **error, AlTurntableError code, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  g_autofree char *msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (error, AL_TURNTABLE_ERROR, code, "%s: %s", tt->name, msg);
}

/* ---------------------------------------------------------------------- */
/* URIs                                                                    */

static const AlTurntableBackend *
backend_for_scheme (const char *scheme)
{
  static const struct {
    const char *scheme;
    const AlTurntableBackend *backend;
  } table[] = {
    { "sim", &al_turntable_sim_backend },
    { "manual", &al_turntable_manual_backend },
    { "et250", &al_turntable_et250_backend },
    { "et250udp", &al_turntable_et250_backend },
    { "lt360", &al_turntable_lt360_backend },
    { "grbl", &al_turntable_grbl_backend },
  };
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (g_ascii_strcasecmp (scheme, table[i].scheme) == 0)
      return table[i].backend;
  return NULL;
}

static void
uri_clear (AlTurntableUri *u)
{
  g_free (u->scheme);
  g_free (u->host);
  g_free (u->path);
  g_clear_pointer (&u->params, g_hash_table_unref);
}

static gboolean
uri_parse (const char *text, AlTurntableUri *u, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (GUri) guri = g_uri_parse (text, G_URI_FLAGS_NONE, &local);

  memset (u, 0, sizeof *u);
  u->text = text;
  u->port = -1;
  if (guri == NULL)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "turntable URI '%s' does not parse: %s (examples: sim:, manual:, "
                   "et250://10.0.0.100, lt360:///dev/ttyUSB0, grbl:///dev/ttyACM0?axis=X)",
                   text, local->message);
      return FALSE;
    }
  u->scheme = g_ascii_strdown (g_uri_get_scheme (guri), -1);
  u->host = g_strdup (g_uri_get_host (guri));
  if (u->host != NULL && u->host[0] == '\0')
    g_clear_pointer (&u->host, g_free);
  u->port = g_uri_get_port (guri);
  u->path = g_strdup (g_uri_get_path (guri));
  const char *query = g_uri_get_query (guri);
  if (query != NULL && query[0] != '\0')
    {
      u->params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, &local);
      if (u->params == NULL)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "turntable URI '%s': bad parameters: %s",
                       text, local->message);
          uri_clear (u);
          return FALSE;
        }
    }
  else
    u->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return TRUE;
}

/* Takes the value of `key` out of the table (the caller frees it). */
static char *
uri_take (AlTurntableUri *u, const char *key)
{
  gpointer k = NULL, v = NULL;
  if (!g_hash_table_steal_extended (u->params, key, &k, &v))
    return NULL;
  g_free (k);
  return v;
}

gboolean
al_turntable_uri_double (AlTurntableUri *u, const char *key, double lo, double hi, double *value,
                         GError **error)
{
  g_autofree char *s = uri_take (u, key);
  if (s == NULL)
    return TRUE;
  char *end = NULL;
  double v = g_ascii_strtod (s, &end);
  if (s[0] == '\0' || end == NULL || *end != '\0' || !isfinite (v) || v < lo || v > hi)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "turntable URI '%s': %s=%s is not a number in %g … %g", u->text, key, s, lo, hi);
      return FALSE;
    }
  *value = v;
  return TRUE;
}

gboolean
al_turntable_uri_int (AlTurntableUri *u, const char *key, int lo, int hi, int *value, GError **error)
{
  g_autofree char *s = uri_take (u, key);
  if (s == NULL)
    return TRUE;
  gint64 v;
  if (!g_ascii_string_to_signed (s, 10, lo, hi, &v, NULL))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "turntable URI '%s': %s=%s is not a whole number in %d … %d", u->text, key, s, lo, hi);
      return FALSE;
    }
  *value = (int) v;
  return TRUE;
}

gboolean
al_turntable_uri_bool (AlTurntableUri *u, const char *key, gboolean *value, GError **error)
{
  g_autofree char *s = uri_take (u, key);
  if (s == NULL)
    return TRUE;
  if (g_strcmp0 (s, "1") == 0 || g_ascii_strcasecmp (s, "true") == 0 || g_ascii_strcasecmp (s, "yes") == 0)
    *value = TRUE;
  else if (g_strcmp0 (s, "0") == 0 || g_ascii_strcasecmp (s, "false") == 0 || g_ascii_strcasecmp (s, "no") == 0)
    *value = FALSE;
  else
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "turntable URI '%s': %s=%s is not 0/1, true/false or yes/no", u->text, key, s);
      return FALSE;
    }
  return TRUE;
}

const char *
al_turntable_uri_string (AlTurntableUri *u, const char *key)
{
  g_autofree char *s = uri_take (u, key);
  if (s == NULL)
    return NULL;
  /* Keep it alive as long as the URI: park it under a key no caller uses. */
  char *parked = g_strconcat ("\x01", key, NULL);
  g_hash_table_replace (u->params, parked, g_steal_pointer (&s));
  return g_hash_table_lookup (u->params, parked);
}

/* Parameters nobody reads: a typo must not pass silently.  With `known`,
 * the keys outside it and the common ones; without, those left unread. */
static gboolean
uri_check_keys (AlTurntableUri *u, const char *const *known, GError **error)
{
  static const char *const common[] = { "reverse", "min", "max", "poll_ms", NULL };
  GHashTableIter it;
  gpointer k;
  g_autoptr (GString) unknown = g_string_new (NULL);
  g_hash_table_iter_init (&it, u->params);
  while (g_hash_table_iter_next (&it, &k, NULL))
    {
      const char *key = k;
      if (key[0] == '\x01')
        continue;
      if (known != NULL && (g_strv_contains ((const char *const *) common, key) || g_strv_contains (known, key)))
        continue;
      g_string_append_printf (unknown, "%s'%s'", unknown->len ? ", " : "", key);
    }
  if (unknown->len == 0)
    return TRUE;
  g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "turntable URI '%s': unknown parameter %s for %s:",
               u->text, unknown->str, u->scheme);
  return FALSE;
}

/* ---------------------------------------------------------------------- */
/* Open, close, accessors                                                  */

AlTurntable *
al_turntable_open (const char *uri, GError **error)
{
  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  AlTurntableUri u;
  if (!uri_parse (uri, &u, error))
    return NULL;

  const AlTurntableBackend *backend = backend_for_scheme (u.scheme);
  if (backend == NULL)
    {
      if (g_strcmp0 (u.scheme, "nanotec") == 0)
        g_set_error (error, AL_TURNTABLE_ERROR, AL_TURNTABLE_ERROR_UNSUPPORTED,
                     "turntable URI '%s': Nanotec controllers have no driver yet", uri);
      else
        g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                     "turntable URI '%s': unknown kind '%s:' (manual:, sim:, et250://, lt360://, grbl://)",
                     uri, u.scheme);
      uri_clear (&u);
      return NULL;
    }

  AlTurntable *tt = g_new0 (AlTurntable, 1);
  tt->backend = backend;
  tt->uri = g_strdup (uri);
  tt->name = g_strdup (uri);
  tt->clock = al_turntable_clock_system ();
  tt->sign = 1.0;
  tt->target = NAN;
  tt->caps.min_deg = DEFAULT_MIN_DEG;
  tt->caps.max_deg = DEFAULT_MAX_DEG;
  tt->caps.poll_ms = 100;

  gboolean reverse = FALSE;
  double min_deg = NAN, max_deg = NAN;
  int poll_ms = 0;
  gboolean opened = FALSE;
  gboolean ok = uri_check_keys (&u, backend->keys, error)
                && al_turntable_uri_bool (&u, "reverse", &reverse, error)
                && al_turntable_uri_double (&u, "min", -3600.0, 3600.0, &min_deg, error)
                && al_turntable_uri_double (&u, "max", -3600.0, 3600.0, &max_deg, error)
                && al_turntable_uri_int (&u, "poll_ms", 1, 60000, &poll_ms, error);
  if (ok)
    {
      tt->sign = reverse ? -1.0 : 1.0;
      if (!isnan (min_deg))
        tt->caps.min_deg = min_deg;
      if (!isnan (max_deg))
        tt->caps.max_deg = max_deg;
      if (!(tt->caps.min_deg < tt->caps.max_deg))
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                       "turntable URI '%s': the limits %g … %g° are empty", uri, tt->caps.min_deg,
                       tt->caps.max_deg);
          ok = FALSE;
        }
    }
  if (ok)
    ok = opened = backend->open (tt, &u, error);
  if (ok)
    ok = uri_check_keys (&u, NULL, error);
  /* The user's polling interval wins over the backend's. */
  if (ok && poll_ms > 0)
    tt->caps.poll_ms = poll_ms;
  uri_clear (&u);
  if (!ok)
    {
      if (!opened)
        tt->backend = NULL;
      al_turntable_close (tt);
      return NULL;
    }
  return tt;
}

void
al_turntable_close (AlTurntable *tt)
{
  if (tt == NULL)
    return;
  if (tt->backend != NULL && tt->backend->close != NULL)
    tt->backend->close (tt);
  if (tt->confirm_destroy != NULL)
    tt->confirm_destroy (tt->confirm_data);
  g_free (tt->uri);
  g_free (tt->name);
  g_free (tt);
}

const char *
al_turntable_get_uri (const AlTurntable *tt)
{
  g_return_val_if_fail (tt != NULL, NULL);
  return tt->uri;
}

const char *
al_turntable_get_name (const AlTurntable *tt)
{
  g_return_val_if_fail (tt != NULL, NULL);
  return tt->name;
}

const AlTurntableCaps *
al_turntable_get_caps (const AlTurntable *tt)
{
  g_return_val_if_fail (tt != NULL, NULL);
  return &tt->caps;
}

void
al_turntable_set_clock (AlTurntable *tt, AlTurntableClock *clock)
{
  g_return_if_fail (tt != NULL);
  tt->clock = clock != NULL ? clock : al_turntable_clock_system ();
}

AlTurntableClock *
al_turntable_get_clock (const AlTurntable *tt)
{
  g_return_val_if_fail (tt != NULL, NULL);
  return tt->clock;
}

void
al_turntable_set_confirm_func (AlTurntable *tt, AlTurntableConfirmFunc func, gpointer user_data,
                               GDestroyNotify destroy)
{
  g_return_if_fail (tt != NULL);
  if (tt->confirm_destroy != NULL)
    tt->confirm_destroy (tt->confirm_data);
  tt->confirm = func;
  tt->confirm_data = user_data;
  tt->confirm_destroy = destroy;
}

double
al_turntable_get_target (const AlTurntable *tt)
{
  g_return_val_if_fail (tt != NULL, NAN);
  return tt->target;
}

/* ---------------------------------------------------------------------- */
/* Operations                                                              */

gboolean
al_turntable_get_state (AlTurntable *tt, AlTurntableState *state, GError **error)
{
  g_return_val_if_fail (tt != NULL && state != NULL, FALSE);
  memset (state, 0, sizeof *state);
  if (!tt->backend->get_state (tt, state, error))
    return FALSE;
  state->position_deg *= tt->sign;
  return TRUE;
}

gboolean
al_turntable_home (AlTurntable *tt, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (tt != NULL, FALSE);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (!tt->backend->home (tt, cancellable, error))
    return FALSE;
  tt->target = 0.0;
  return TRUE;
}

/* The checks of every move, on a state just read, then the backend's move. */
static gboolean
move_checked (AlTurntable *tt, const AlTurntableState *st, double unwrapped_deg, GError **error)
{
  const AlTurntableCaps *c = &tt->caps;
  if (unwrapped_deg < c->min_deg - 1e-9 || unwrapped_deg > c->max_deg + 1e-9)
    {
      al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_LIMIT,
                              "the target %.2f° is outside the cable-wrap limits %.1f … %.1f°", unwrapped_deg,
                              c->min_deg, c->max_deg);
      return FALSE;
    }
  if (st->fault)
    {
      al_turntable_set_error (tt, error, st->fault_code, "%s", st->fault_message);
      return FALSE;
    }
  if (st->moving)
    {
      al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_BUSY,
                              "still moving (at %.2f°): wait or stop before moving to %.2f°", st->position_deg,
                              unwrapped_deg);
      return FALSE;
    }
  if (c->homing && !st->homed)
    {
      al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_NOT_HOMED,
                              "not homed: run the reference run before moving to %.2f°", unwrapped_deg);
      return FALSE;
    }
  if (!tt->backend->move (tt, tt->sign * st->position_deg, tt->sign * unwrapped_deg, error))
    return FALSE;
  tt->target = unwrapped_deg;
  return TRUE;
}

gboolean
al_turntable_move_to_unwrapped (AlTurntable *tt, double unwrapped_deg, GError **error)
{
  g_return_val_if_fail (tt != NULL, FALSE);
  if (!isfinite (unwrapped_deg))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "%s: the target angle is not a number", tt->name);
      return FALSE;
    }
  /* Refuse before talking to the device. */
  if (unwrapped_deg < tt->caps.min_deg - 1e-9 || unwrapped_deg > tt->caps.max_deg + 1e-9)
    {
      AlTurntableState none = { 0 };
      return move_checked (tt, &none, unwrapped_deg, error);
    }
  AlTurntableState st;
  if (!al_turntable_get_state (tt, &st, error))
    return FALSE;
  return move_checked (tt, &st, unwrapped_deg, error);
}

gboolean
al_turntable_move_to (AlTurntable *tt, double angle_deg, GError **error)
{
  g_return_val_if_fail (tt != NULL, FALSE);

  AlTurntableState st;
  if (!al_turntable_get_state (tt, &st, error))
    return FALSE;
  /* Plan from where the table is (one read serves planning and checks). */
  double target;
  g_autoptr (GError) local = NULL;
  if (!al_turntable_plan_move (st.position_deg, angle_deg, tt->caps.min_deg, tt->caps.max_deg, &target, &local))
    {
      if (local->domain == AL_TURNTABLE_ERROR)
        al_turntable_set_error (tt, error, local->code, "%s", local->message);
      else
        g_propagate_prefixed_error (error, g_steal_pointer (&local), "%s: ", tt->name);
      return FALSE;
    }
  return move_checked (tt, &st, target, error);
}

gboolean
al_turntable_stop (AlTurntable *tt, GError **error)
{
  g_return_val_if_fail (tt != NULL, FALSE);
  return tt->backend->stop (tt, error);
}

/* ---------------------------------------------------------------------- */
/* Settle wait                                                             */

/* Sleeps up to `us` of clock time in slices; FALSE when cancelled. */
static gboolean
sleep_checked (AlTurntableClock *clock, gint64 us, GCancellable *cancellable)
{
  while (us > 0)
    {
      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;
      gint64 slice = MIN (us, SLEEP_SLICE_US);
      al_turntable_clock_sleep (clock, slice);
      us -= slice;
    }
  return !g_cancellable_is_cancelled (cancellable);
}

/* After a stop: wait until the table stands (it may ramp down). */
static gboolean
wait_stopped (AlTurntable *tt, AlTurntableClock *clock, gint64 deadline, GCancellable *cancellable,
              GError **error)
{
  for (;;)
    {
      AlTurntableState st;
      if (!al_turntable_get_state (tt, &st, error))
        return FALSE;
      if (!st.moving)
        return TRUE;
      if (al_turntable_clock_now (clock) >= deadline)
        {
          al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_TIMEOUT, "still moving after a stop command");
          return FALSE;
        }
      if (!sleep_checked (clock, (gint64) tt->caps.poll_ms * 1000, cancellable))
        return !g_cancellable_set_error_if_cancelled (cancellable, error);
    }
}

static gboolean
cancelled (AlTurntable *tt, GCancellable *cancellable, GError **error)
{
  if (!g_cancellable_is_cancelled (cancellable))
    return FALSE;
  /* Leave the table standing: nobody is waiting for it any more. */
  g_autoptr (GError) ignored = NULL;
  if (!al_turntable_stop (tt, &ignored))
    g_debug ("%s", ignored->message);
  g_cancellable_set_error_if_cancelled (cancellable, error);
  return TRUE;
}

gboolean
al_turntable_wait_settled (AlTurntable *tt, double target_deg, double tol_deg, guint settle_ms,
                           guint timeout_ms, AlTurntableClock *clock, GCancellable *cancellable,
                           double *position_deg, GError **error)
{
  g_return_val_if_fail (tt != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!isfinite (target_deg) || !(tol_deg >= 0.0))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "%s: settle wait needs a finite target and a tolerance >= 0", tt->name);
      return FALSE;
    }
  if (clock == NULL)
    clock = tt->clock;

  const gint64 poll_us = (gint64) MAX (tt->caps.poll_ms, 1u) * 1000;
  const gint64 settle_us = (gint64) settle_ms * 1000;
  const gint64 timeout_us = (gint64) timeout_ms * 1000;
  const gint64 grace_us = MAX (2 * poll_us, (gint64) STALL_GRACE_MS * 1000);
  g_autofree char *first_failure = NULL;
  int attempt = 0;

  gint64 deadline = al_turntable_clock_now (clock) + timeout_us;
  gint64 in_tol_since = -1, off_since = -1;

  for (;;)
    {
      if (cancelled (tt, cancellable, error))
        return FALSE;

      AlTurntableState st;
      if (!al_turntable_get_state (tt, &st, error))
        return FALSE;
      gint64 now = al_turntable_clock_now (clock);
      double off = st.position_deg - target_deg;
      g_autofree char *position_failure = NULL;

      if (st.fault && st.fault_code != AL_TURNTABLE_ERROR_POSITION)
        {
          al_turntable_set_error (tt, error, st.fault_code, "%s", st.fault_message);
          return FALSE;
        }
      if (st.fault)
        position_failure = g_strdup (st.fault_message);
      else if (!st.moving && fabs (off) <= tol_deg)
        {
          off_since = -1;
          if (in_tol_since < 0)
            in_tol_since = now;
          if (now - in_tol_since >= settle_us)
            {
              /* The ring-down is over: the value to store is a fresh reading. */
              AlTurntableState fin;
              if (!al_turntable_get_state (tt, &fin, error))
                return FALSE;
              if (!fin.moving && !fin.fault && fabs (fin.position_deg - target_deg) <= tol_deg)
                {
                  if (position_deg != NULL)
                    *position_deg = fin.position_deg;
                  return TRUE;
                }
              in_tol_since = -1;
              continue;
            }
        }
      else
        {
          in_tol_since = -1;
          if (st.moving)
            off_since = -1;
          else if (off_since < 0)
            off_since = now;
          else if (now - off_since >= grace_us)
            position_failure = g_strdup_printf ("stopped at %.2f° instead of %.2f° (off by %.2f°, tolerance %.2f°)",
                                                st.position_deg, target_deg, off, tol_deg);
        }

      if (position_failure != NULL)
        {
          if (attempt > 0)
            {
              al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_POSITION, "%s; first try: %s",
                                      position_failure, first_failure);
              return FALSE;
            }
          /* Stop, re-home (steppers that stalled lost their count), retry once. */
          g_debug ("%s: %s; stopping, re-homing and retrying", tt->name, position_failure);
          first_failure = g_steal_pointer (&position_failure);
          attempt++;
          deadline = now + timeout_us;
          if (!al_turntable_stop (tt, error)
              || !wait_stopped (tt, clock, deadline, cancellable, error)
              || (tt->caps.homing && !al_turntable_home (tt, cancellable, error))
              || !al_turntable_move_to_unwrapped (tt, target_deg, error))
            {
              g_prefix_error (error, "after %s: ", first_failure);
              return FALSE;
            }
          in_tol_since = off_since = -1;
          continue;
        }

      if (now >= deadline)
        {
          g_autoptr (GError) ignored = NULL;
          if (!al_turntable_stop (tt, &ignored))
            g_debug ("%s", ignored->message);
          al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_TIMEOUT,
                                  "did not settle at %.2f° (±%.2f°) within %.1f s: at %.2f°, %s", target_deg,
                                  tol_deg, timeout_ms / 1000.0, st.position_deg,
                                  st.moving ? "still moving" : "standing");
          return FALSE;
        }
      if (!sleep_checked (clock, MIN (poll_us, MAX (deadline - now, 1)), cancellable))
        continue; /* the check at the top stops the table and reports it */
    }
}

gboolean
al_turntable_goto (AlTurntable *tt, double angle_deg, double tol_deg, guint settle_ms, guint timeout_ms,
                   GCancellable *cancellable, double *position_deg, GError **error)
{
  g_return_val_if_fail (tt != NULL, FALSE);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (!al_turntable_move_to (tt, angle_deg, error))
    return FALSE;
  return al_turntable_wait_settled (tt, tt->target, tol_deg, settle_ms, timeout_ms, NULL, cancellable,
                                    position_deg, error);
}
