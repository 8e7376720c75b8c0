/* al-sphere-index.c — nearest input direction on the sphere: unit vectors
 * bucketed in an azimuth/elevation grid, searched within spherical caps.
 *
 * A query searches the cells that can hold points within angle R of it:
 * the elevation band [el - R, el + R] and, unless the cap holds a pole, the
 * azimuth band az ± asin (sin R / cos el) (the cap's widest azimuth
 * extent).  R comes from a hint (the answer for a neighbouring pixel: the
 * true nearest point is at most as far as that one), or grows from the mean
 * point spacing until a point is found.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-plot-private.h"

#include <math.h>

struct AlSphereIndex {
  int n;            /* points kept (finite directions) */
  int n_input;
  int nel, naz;
  double del, daz;
  int *cell_start;  /* nel * naz + 1 offsets into vec/id */
  double *vec;      /* 3 per point, in cell order */
  int *id;          /* input index of each point, in cell order */
  int *pos;         /* n_input: position in cell order, -1 if left out */
  double r0;        /* first search radius without a hint */
};

void
al_sphere_dir_to_vec (double azimuth, double elevation, double v[3])
{
  double ce = cos (elevation);
  v[0] = ce * cos (azimuth);
  v[1] = ce * sin (azimuth);
  v[2] = sin (elevation);
}

static void
vec_to_dir (const double v[3], double *azimuth, double *elevation)
{
  *azimuth = atan2 (v[1], v[0]);
  *elevation = asin (CLAMP (v[2], -1.0, 1.0));
}

static int
cell_row (const AlSphereIndex *index, double el)
{
  int r = (int) floor ((el + G_PI_2) / index->del);
  return CLAMP (r, 0, index->nel - 1);
}

static int
cell_col (const AlSphereIndex *index, double az)
{
  int c = (int) floor ((az + G_PI) / index->daz) % index->naz;
  return c < 0 ? c + index->naz : c;
}

AlSphereIndex *
al_sphere_index_new (const double *dirs, int n)
{
  AlSphereIndex *index = g_new0 (AlSphereIndex, 1);
  n = MAX (n, 0);
  index->n_input = n;
  index->pos = g_new (int, MAX (n, 1));
  int kept = 0;
  for (int i = 0; i < n; i++)
    kept += isfinite (dirs[2 * i]) && isfinite (dirs[2 * i + 1]);
  index->n = kept;
  /* About one point per cell for a uniform set. */
  index->nel = CLAMP ((int) lround (sqrt (kept / 2.0)), 1, 256);
  index->naz = 2 * index->nel;
  index->del = G_PI / index->nel;
  index->daz = 2 * G_PI / index->naz;
  index->r0 = MIN (G_PI, 2.0 * sqrt (4 * G_PI / MAX (kept, 1)));

  int ncells = index->nel * index->naz;
  int *cell_of = g_new (int, MAX (n, 1));
  double *v = g_new (double, 3 * (gsize) MAX (n, 1));
  index->cell_start = g_new0 (int, ncells + 1);
  for (int i = 0; i < n; i++)
    {
      cell_of[i] = -1;
      if (!isfinite (dirs[2 * i]) || !isfinite (dirs[2 * i + 1]))
        continue;
      double az, el;
      al_sphere_dir_to_vec (dirs[2 * i], dirs[2 * i + 1], v + 3 * i);
      /* Bucket by the direction as the vector sees it, whatever range the
       * caller's angles were in. */
      vec_to_dir (v + 3 * i, &az, &el);
      cell_of[i] = cell_row (index, el) * index->naz + cell_col (index, az);
      index->cell_start[cell_of[i] + 1]++;
    }
  for (int c = 0; c < ncells; c++)
    index->cell_start[c + 1] += index->cell_start[c];

  index->vec = g_new (double, 3 * (gsize) MAX (kept, 1));
  index->id = g_new (int, MAX (kept, 1));
  int *fill = g_memdup2 (index->cell_start, sizeof (int) * ncells);
  for (int i = 0; i < n; i++)
    {
      index->pos[i] = -1;
      if (cell_of[i] < 0)
        continue;
      int p = fill[cell_of[i]]++;
      index->pos[i] = p;
      index->id[p] = i;
      index->vec[3 * p] = v[3 * i];
      index->vec[3 * p + 1] = v[3 * i + 1];
      index->vec[3 * p + 2] = v[3 * i + 2];
    }
  g_free (fill);
  g_free (cell_of);
  g_free (v);
  return index;
}

void
al_sphere_index_free (AlSphereIndex *index)
{
  if (index == NULL)
    return;
  g_free (index->cell_start);
  g_free (index->vec);
  g_free (index->id);
  g_free (index->pos);
  g_free (index);
}

static void
scan_cell (const AlSphereIndex *index, int cell, const double q[3], int *best, double *best_dot)
{
  for (int p = index->cell_start[cell]; p < index->cell_start[cell + 1]; p++)
    {
      const double *v = index->vec + 3 * p;
      double d = q[0] * v[0] + q[1] * v[1] + q[2] * v[2];
      if (d > *best_dot)
        {
          *best_dot = d;
          *best = p;
        }
    }
}

/* Best point within angle R of q, or -1 if there is none.  The answer is
 * the global nearest whenever one exists within R. */
static int
search_cap (const AlSphereIndex *index, const double q[3], double az, double el, double radius)
{
  int best = -1;
  double best_dot = -2.0;
  double lo = el - radius, hi = el + radius;
  int r0 = cell_row (index, lo), r1 = cell_row (index, hi);
  gboolean all_cols = lo <= -G_PI_2 || hi >= G_PI_2;
  int c0 = 0, ncols = index->naz;
  if (!all_cols)
    {
      double w = asin (MIN (1.0, sin (radius) / cos (el)));
      int a = (int) floor ((az - w + G_PI) / index->daz);
      int b = (int) floor ((az + w + G_PI) / index->daz);
      if (b - a + 1 < index->naz)
        {
          c0 = a;
          ncols = b - a + 1;
        }
    }
  for (int r = r0; r <= r1; r++)
    for (int k = 0; k < ncols; k++)
      {
        int c = (c0 + k) % index->naz;
        if (c < 0)
          c += index->naz;
        scan_cell (index, r * index->naz + c, q, &best, &best_dot);
      }
  if (best < 0 || best_dot < cos (radius) - 1e-12)
    return -1;
  return best;
}

int
al_sphere_index_nearest (const AlSphereIndex *index, double azimuth, double elevation, int hint)
{
  if (index->n == 0 || !isfinite (azimuth) || !isfinite (elevation))
    return -1;
  double q[3], az = azimuth, el = elevation;
  al_sphere_dir_to_vec (azimuth, elevation, q);
  if (!(az >= -G_PI && az <= G_PI && el >= -G_PI_2 && el <= G_PI_2))
    vec_to_dir (q, &az, &el);

  double radius;
  if (hint >= 0 && hint < index->n_input && index->pos[hint] >= 0)
    {
      const double *v = index->vec + 3 * index->pos[hint];
      double d = q[0] * v[0] + q[1] * v[1] + q[2] * v[2];
      radius = acos (CLAMP (d, -1.0, 1.0)) + 1e-9;
    }
  else
    radius = index->r0;

  for (;;)
    {
      if (radius >= G_PI)
        {
          int best = -1;
          double best_dot = -2.0;
          for (int c = 0; c < index->nel * index->naz; c++)
            scan_cell (index, c, q, &best, &best_dot);
          return index->id[best];
        }
      int p = search_cap (index, q, az, el, radius);
      if (p >= 0)
        return index->id[p];
      radius = MIN (2 * radius, G_PI);
    }
}
