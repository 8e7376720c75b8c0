/* al-sim-lookup.c — nearest grid direction in a few dot products: a cube map
 * over the sphere whose cells list every grid direction that can be the
 * nearest one to some point of the cell.
 *
 * For a cell with centre c and angular radius r (farthest corner), let θ* be
 * the angle from c to its nearest grid direction.  A point p of the cell has
 * a grid direction within θ* + r, so its nearest one lies within θ* + 2r of
 * c: those are the candidates, and the search over them is exact.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-sim-private.h"

#include <math.h>

struct AlSimLookup {
  int n;
  int G;              /* cells per face edge */
  double *xyz;        /* n x 3 */
  int *start;         /* 6·G·G + 1 offsets into cand */
  int *cand;          /* candidate indices per cell, ascending */
};

/* Face (2·axis + negative) and cell of a non-zero vector. */
static inline int
cell_of (const double v[3], int G)
{
  const double ax = fabs (v[0]), ay = fabs (v[1]), az = fabs (v[2]);
  int a = 0;
  double m = ax;

  if (ay > m)
    {
      a = 1;
      m = ay;
    }
  if (az > m)
    {
      a = 2;
      m = az;
    }
  const int face = 2 * a + (v[a] < 0);
  const double s = v[(a + 1) % 3] / m, t = v[(a + 2) % 3] / m;
  int i = (int) floor ((s + 1) * 0.5 * G), j = (int) floor ((t + 1) * 0.5 * G);

  i = CLAMP (i, 0, G - 1);
  j = CLAMP (j, 0, G - 1);
  return (face * G + i) * G + j;
}

static void
cell_point (int face, double s, double t, double v[3])
{
  const int a = face / 2;
  double norm;

  v[a] = (face & 1) ? -1.0 : 1.0;
  v[(a + 1) % 3] = s;
  v[(a + 2) % 3] = t;
  norm = sqrt (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
  for (int k = 0; k < 3; k++)
    v[k] /= norm;
}

static inline double
dot3 (const double *a, const double *b)
{
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

AlSimLookup *
al_sim_lookup_new (const double *xyz, int n)
{
  AlSimLookup *lk = g_new0 (AlSimLookup, 1);
  GArray *cand = g_array_new (FALSE, FALSE, sizeof (int));
  double *dots = g_new (double, n);
  int ncells;

  lk->n = n;
  lk->xyz = g_memdup2 (xyz, sizeof (double) * 3 * n);
  /* cells a little smaller than the grid spacing: a handful of candidates each */
  lk->G = CLAMP ((int) ceil (2 * sqrt (n / 6.0)), 1, 128);
  ncells = 6 * lk->G * lk->G;
  lk->start = g_new (int, ncells + 1);

  for (int face = 0; face < 6; face++)
    for (int i = 0; i < lk->G; i++)
      for (int j = 0; j < lk->G; j++)
        {
          const int cell = (face * lk->G + i) * lk->G + j;
          const double s0 = -1 + 2.0 * i / lk->G, s1 = -1 + 2.0 * (i + 1) / lk->G;
          const double t0 = -1 + 2.0 * j / lk->G, t1 = -1 + 2.0 * (j + 1) / lk->G;
          double c[3], corner[3], r = 0, best = -2, limit;

          cell_point (face, 0.5 * (s0 + s1), 0.5 * (t0 + t1), c);
          for (int k = 0; k < 4; k++)
            {
              cell_point (face, (k & 1) ? s1 : s0, (k & 2) ? t1 : t0, corner);
              r = MAX (r, acos (CLAMP (dot3 (c, corner), -1.0, 1.0)));
            }
          for (int q = 0; q < n; q++)
            {
              dots[q] = dot3 (c, xyz + 3 * q);
              best = MAX (best, dots[q]);
            }
          /* margin for rounding in the cell assignment of query points */
          limit = acos (CLAMP (best, -1.0, 1.0)) + 2 * r + 1e-7;
          const double climit = limit >= G_PI ? -2.0 : cos (limit);
          lk->start[cell] = cand->len;
          for (int q = 0; q < n; q++)
            if (dots[q] >= climit)
              g_array_append_val (cand, q);
        }
  lk->start[ncells] = cand->len;
  lk->cand = (int *) g_array_free (cand, FALSE);
  g_free (dots);
  return lk;
}

void
al_sim_lookup_free (AlSimLookup *lk)
{
  if (lk == NULL)
    return;
  g_free (lk->xyz);
  g_free (lk->start);
  g_free (lk->cand);
  g_free (lk);
}

int
al_sim_lookup_nearest (const AlSimLookup *lk, const double u[3])
{
  int cell, best = 0;
  double bestdot = -INFINITY;

  if (u[0] == 0 && u[1] == 0 && u[2] == 0)
    cell = cell_of ((const double[3]) { 1, 0, 0 }, lk->G);
  else
    cell = cell_of (u, lk->G);
  for (int k = lk->start[cell]; k < lk->start[cell + 1]; k++)
    {
      const int q = lk->cand[k];
      const double d = dot3 (u, lk->xyz + 3 * q);
      if (d > bestdot)
        {
          bestdot = d;
          best = q;
        }
    }
  return best;
}
