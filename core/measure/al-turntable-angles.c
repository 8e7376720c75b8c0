/* al-turntable-angles.c — angle arithmetic of the turntables: azimuth <->
 * table angle, the cable-safe unwrapped target of a move, and unwrapping of
 * devices that report their angle modulo 360.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-turntable-private.h"

#include <math.h>

/* Angles this close to a limit count as inside it (rounding of 0.1° units). */
#define LIMIT_EPS 1e-9
/* Unwrapping while a move is under way: readings may fall back this much
 * (backlash, jitter) and overshoot the target this much (a wrong position)
 * before they are taken as nearest the last reading instead. */
#define MOVE_BACK_DEG 2.0
#define MOVE_OVERSHOOT_DEG 30.0

double
al_turntable_wrap360 (double x)
{
  double r = fmod (x, 360.0);
  if (r < 0.0)
    r += 360.0;
  return r >= 360.0 ? 0.0 : r; /* fmod of a tiny negative number rounds to 360 */
}

double
al_turntable_angle_for_azimuth (double azimuth_deg)
{
  return al_turntable_wrap360 (-azimuth_deg);
}

double
al_turntable_azimuth_for_angle (double angle_deg)
{
  return al_turntable_wrap360 (-angle_deg);
}

gboolean
al_turntable_plan_move (double from_deg, double angle_deg, double min_deg, double max_deg, double *unwrapped_deg,
                        GError **error)
{
  g_return_val_if_fail (unwrapped_deg != NULL, FALSE);
  if (!isfinite (from_deg) || !isfinite (angle_deg) || !isfinite (min_deg) || !isfinite (max_deg)
      || !(min_deg < max_deg))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "turntable move: angles must be finite and the limits %g … %g° not empty", min_deg, max_deg);
      return FALSE;
    }

  /* The candidates a + 360 k inside the limits; take the nearest. */
  double a = al_turntable_wrap360 (angle_deg);
  double k_lo = ceil ((min_deg - LIMIT_EPS - a) / 360.0);
  double k_hi = floor ((max_deg + LIMIT_EPS - a) / 360.0);
  if (k_lo > k_hi)
    {
      g_set_error (error, AL_TURNTABLE_ERROR, AL_TURNTABLE_ERROR_LIMIT,
                   "%.2f° cannot be reached within the cable-wrap limits %.1f … %.1f°", a, min_deg, max_deg);
      return FALSE;
    }
  double mid = 0.5 * (min_deg + max_deg);
  double best = NAN;
  for (double k = k_lo; k <= k_hi; k++)
    {
      double c = a + 360.0 * k;
      if (isnan (best))
        best = c;
      else
        {
          double dc = fabs (c - from_deg), db = fabs (best - from_deg);
          if (dc < db - 1e-9 || (fabs (dc - db) <= 1e-9 && fabs (c - mid) < fabs (best - mid)))
            best = c;
        }
    }
  *unwrapped_deg = CLAMP (best, min_deg, max_deg);
  return TRUE;
}

void
al_turntable_unwrap_reset (AlTurntableUnwrap *u, double value)
{
  u->valid = TRUE;
  u->last = value;
  u->in_move = FALSE;
}

void
al_turntable_unwrap_expect_move (AlTurntableUnwrap *u, double from, double to)
{
  if (!u->valid)
    al_turntable_unwrap_reset (u, from);
  u->in_move = TRUE;
  u->dir = to >= from ? 1.0 : -1.0;
  u->to = to;
}

double
al_turntable_unwrap (AlTurntableUnwrap *u, double reading)
{
  double r = al_turntable_wrap360 (reading);
  double v;
  if (!u->valid)
    v = r > 180.0 ? r - 360.0 : r; /* first reading: assume the cable near neutral */
  else
    {
      v = u->last + remainder (r - u->last, 360.0);
      if (u->in_move)
        {
          /* The first turn of the reading ahead of the last one … */
          double ahead;
          if (u->dir > 0)
            ahead = r + 360.0 * ceil ((u->last - MOVE_BACK_DEG - r) / 360.0);
          else
            ahead = r + 360.0 * floor ((u->last + MOVE_BACK_DEG - r) / 360.0);
          /* … unless it lies beyond the target: then the table turned back. */
          if (u->dir * (ahead - u->to) <= MOVE_OVERSHOOT_DEG)
            v = ahead;
        }
    }
  u->valid = TRUE;
  u->last = v;
  return v;
}
