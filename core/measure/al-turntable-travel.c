/* al-turntable-travel.c — serpentine travel order over elevation rings
 * (ITA's ita_italian_sort_measurementPositions, made cable-aware): each ring
 * is swept once across its widest gap, consecutive rings run the other way,
 * and every angle is placed within the cable-wrap limits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-turntable-private.h"

#include <math.h>
#include <stdlib.h>

/* Elevations closer than this form one ring. */
#define RING_EPS_DEG 1e-6

typedef struct {
  int index;
  double elevation;
  double angle;  /* turntable angle, [0, 360) */
} Point;

static int
compare_points (const void *pa, const void *pb)
{
  const Point *a = pa, *b = pb;
  if (a->elevation < b->elevation - RING_EPS_DEG)
    return -1;
  if (a->elevation > b->elevation + RING_EPS_DEG)
    return 1;
  if (a->angle != b->angle)
    return a->angle < b->angle ? -1 : 1;
  return a->index - b->index;
}

/* The whole turn k that puts `first` (plus the span after it) inside the
 * limits and nearest `cur`. */
static double
place (double first, double cur, double k_lo, double k_hi)
{
  double k = CLAMP (round ((cur - first) / 360.0), k_lo, k_hi);
  return first + 360.0 * k;
}

AlTurntableStop *
al_turntable_travel_order (const double *azimuth_deg, const double *elevation_deg, int n, double min_deg,
                           double max_deg, double start_deg, GError **error)
{
  if (n < 0 || (n > 0 && (azimuth_deg == NULL || elevation_deg == NULL)) || !isfinite (min_deg)
      || !isfinite (max_deg) || !(min_deg < max_deg) || !isfinite (start_deg))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "travel order: needs n >= 0 directions, finite limits min < max and a finite start");
      return NULL;
    }
  g_autofree Point *pts = g_new (Point, MAX (n, 1));
  for (int i = 0; i < n; i++)
    {
      if (!isfinite (azimuth_deg[i]) || !isfinite (elevation_deg[i]))
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "travel order: direction %d is not finite",
                       i + 1);
          return NULL;
        }
      pts[i] = (Point) { i, elevation_deg[i], al_turntable_angle_for_azimuth (azimuth_deg[i]) };
    }
  qsort (pts, n, sizeof *pts, compare_points);

  AlTurntableStop *stops = g_new (AlTurntableStop, MAX (n, 1));
  g_autofree double *offset = g_new (double, MAX (n, 1));
  double cur = start_deg;
  gboolean last_up = FALSE;
  int ring = 0, out = 0;

  for (int r0 = 0; r0 < n; ring++)
    {
      int m = 1;
      while (r0 + m < n && fabs (pts[r0 + m].elevation - pts[r0].elevation) <= RING_EPS_DEG)
        m++;
      const Point *p = pts + r0;

      /* Skip the widest gap; on a tie keep the one before the smallest angle. */
      int s = 0;
      double widest = p[0].angle + 360.0 - p[m - 1].angle;
      for (int j = 0; j + 1 < m; j++)
        if (p[j + 1].angle - p[j].angle > widest + 1e-9)
          {
            widest = p[j + 1].angle - p[j].angle;
            s = j + 1;
          }
      offset[0] = 0.0;
      for (int j = 1; j < m; j++)
        offset[j] = offset[j - 1] + al_turntable_wrap360 (p[(s + j) % m].angle - p[(s + j - 1) % m].angle);
      double span = offset[m - 1];
      double first = p[s].angle;

      double k_lo = ceil ((min_deg - 1e-9 - first) / 360.0);
      double k_hi = floor ((max_deg + 1e-9 - span - first) / 360.0);
      if (k_lo > k_hi)
        {
          g_set_error (error, AL_TURNTABLE_ERROR, AL_TURNTABLE_ERROR_LIMIT,
                       "travel order: the ring at elevation %.2f° spans %.1f°, which does not fit the "
                       "cable-wrap limits %.1f … %.1f°", p[0].elevation, span, min_deg, max_deg);
          g_free (stops);
          return NULL;
        }
      /* Up from its low end or down from its high end, whichever starts nearer. */
      double up = place (first, cur, k_lo, k_hi);
      double down = place (first + span, cur, k_lo, k_hi) - span;
      double cost_up = fabs (up - cur), cost_down = fabs (down + span - cur);
      gboolean go_up = cost_up < cost_down - 1e-9 || (fabs (cost_up - cost_down) <= 1e-9 && (ring == 0 || !last_up));
      for (int j = 0; j < m; j++)
        {
          int q = go_up ? j : m - 1 - j;
          stops[out++] = (AlTurntableStop) { p[(s + q) % m].index, ring,
                                             (go_up ? up : down) + offset[q] };
        }
      cur = stops[out - 1].angle_deg;
      last_up = go_up;
      r0 += m;
    }
  return stops;
}

double
al_turntable_travel_length (const AlTurntableStop *stops, int n, double start_deg)
{
  double total = 0.0, cur = start_deg;
  for (int i = 0; i < n; i++)
    {
      total += fabs (stops[i].angle_deg - cur);
      cur = stops[i].angle_deg;
    }
  return total;
}
