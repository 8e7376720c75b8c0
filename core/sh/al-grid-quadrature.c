/* al-grid-quadrature.c — the best quadrature weights a measured direction set
 * can justify: equal weights for a spherical t-design, interpolatory ring
 * weights for ring grids (Gauss–Legendre, equiangular, …), spherical Voronoi
 * areas otherwise; the exact degree of the chosen weights checked numerically.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "al-base.h"
#include "al-linalg.h"
#include "al-sh-private.h"

/* |Σ w Y_c − δ_c0| allowed for an "exact" degree (N3D, Σ w = 1). */
#define EXACT_TOL 1e-10
/* Directions within this (rad) share a ring; azimuth gaps within it count as equal. */
#define RING_TOL 1e-6
/* Exactness to degree 1 follows from mere symmetry (Voronoi weights of a
 * symmetric set have it too), so a design has to integrate degree 2. */
#define DESIGN_MIN_DEGREE 2

/* A direction set in canonical form: sin and cos of the elevation in
 * [−π/2, π/2] and the azimuth in [−π, π], whatever the caller's ranges. */
typedef struct {
  int n;
  double *x;   /* sin(el) */
  double *s;   /* cos(el) >= 0 */
  double *az;
  double *el;
} Points;

static void
points_clear (Points *p)
{
  g_free (p->x);
  g_free (p->s);
  g_free (p->az);
  g_free (p->el);
}

static void
points_init (Points *p, const double *dirs, int n)
{
  g_autofree double *xyz = g_new (double, 3 * (size_t) n);

  p->n = n;
  p->x = g_new (double, n);
  p->s = g_new (double, n);
  p->az = g_new (double, n);
  p->el = g_new (double, n);
  al_dirs_to_xyz (dirs, n, xyz);
  for (int j = 0; j < n; j++)
    {
      al_xyz_to_dir (xyz + 3 * (size_t) j, &p->az[j], &p->el[j]);
      p->x[j] = sin (p->el[j]);
      p->s[j] = cos (p->el[j]);
    }
}

/* Σ_j u_j v_j with four partial sums (independent add chains: several
 * times faster than one running sum, and no less accurate). */
static double
dot (const double *u, const double *v, int n)
{
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int j = 0;

  for (; j + 4 <= n; j += 4)
    {
      s0 += u[j] * v[j];
      s1 += u[j + 1] * v[j + 1];
      s2 += u[j + 2] * v[j + 2];
      s3 += u[j + 3] * v[j + 3];
    }
  for (; j < n; j++)
    s0 += u[j] * v[j];
  return (s0 + s1) + (s2 + s3);
}

/* The highest D <= cap with Σ_j w_j Y_c(j) = δ_c0 (N3D, within EXACT_TOL) for
 * every deg(c) <= D.  That is the same as Σ_j w_j Y_a Y_b = δ_ab for
 * deg(a) + deg(b) <= D: a product of harmonics of degrees a and b is a sum of
 * harmonics up to degree a + b, and Y_0 = 1.  −1 when Σ w differs from 1.
 *
 * m-major: for each order m all points step the Legendre recurrence over the
 * degree together (independent recurrences, so the loop pipelines well) and
 * the sums are checked degree by degree; the first inexact degree caps the
 * orders and degrees still to check.  Work O(points · cap · D) at most, memory
 * O(points). */
static int
exact_degree (const Points *p, const double *w, int cap)
{
  int n = p->n, fail = cap + 1;
  g_autofree double *qmm = g_new (double, n);  /* Q_m^m(x_j) */
  g_autofree double *cm = g_new (double, n);   /* cos(m φ_j) */
  g_autofree double *sm = g_new (double, n);   /* sin(m φ_j) */
  g_autofree double *c1 = g_new (double, n);
  g_autofree double *s1 = g_new (double, n);
  g_autofree double *wc = g_new (double, n);   /* w_j · √2 cos(m φ_j) */
  g_autofree double *ws = g_new (double, n);
  g_autofree double *q1 = g_new (double, n);   /* Q_{k−1}^m, then Q_k^m */
  g_autofree double *q2 = g_new (double, n);   /* Q_{k−2}^m */

  for (int j = 0; j < n; j++)
    {
      qmm[j] = 1;
      cm[j] = 1;
      sm[j] = 0;
      c1[j] = cos (p->az[j]);
      s1[j] = sin (p->az[j]);
    }

  for (int m = 0; m < fail; m++)
    {
      double scale = m == 0 ? 1.0 : G_SQRT2;

      if (m > 0)
        {
          double sectoral = sqrt ((2.0 * m + 1) / (2.0 * m));
          for (int j = 0; j < n; j++)
            {
              double c = cm[j] * c1[j] - sm[j] * s1[j];
              sm[j] = sm[j] * c1[j] + cm[j] * s1[j];
              cm[j] = c;
              qmm[j] *= sectoral * p->s[j];
            }
        }
      for (int j = 0; j < n; j++)
        {
          wc[j] = w[j] * scale * cm[j];
          ws[j] = w[j] * scale * sm[j];
          q1[j] = qmm[j];
        }

      for (int k = m; k < fail; k++)
        {
          double sc, ss;

          if (k == m + 1)
            {
              double c = sqrt (2.0 * m + 3);
              for (int j = 0; j < n; j++)
                {
                  q2[j] = q1[j];
                  q1[j] = c * p->x[j] * q1[j];
                }
            }
          else if (k >= m + 2)
            {
              /* Same recurrence coefficients as al_sh_real, for any degree. */
              double nn = k, mm = m;
              double a = sqrt ((4 * nn * nn - 1) / (nn * nn - mm * mm));
              double b = sqrt (((nn - 1) * (nn - 1) - mm * mm) / (4 * (nn - 1) * (nn - 1) - 1));
              for (int j = 0; j < n; j++)
                {
                  double q = a * (p->x[j] * q1[j] - b * q2[j]);
                  q2[j] = q1[j];
                  q1[j] = q;
                }
            }
          sc = dot (wc, q1, n);
          ss = dot (ws, q1, n);
          if (!(fabs (sc - (k == 0 ? 1.0 : 0.0)) <= EXACT_TOL && fabs (ss) <= EXACT_TOL))
            {
              fail = k;  /* also catches NaN */
              break;
            }
        }
    }
  return fail - 1;
}

/* Beyond D = 2L + 1 with (L + 1)² > n the Gram matrix of degrees <= L would be
 * an identity of rank > n: impossible, so the check stops there. */
static int
degree_cap (int n)
{
  gint64 l = (gint64) sqrt ((double) n);

  while ((l + 1) * (l + 1) > n)
    l--;
  while ((l + 2) * (l + 2) <= n)
    l++;
  return (int) (2 * l + 1);
}

typedef struct {
  double key;
  int index;
} Keyed;

static int
compare_keyed (const void *pa, const void *pb)
{
  const Keyed *a = pa, *b = pb;

  if (a->key != b->key)
    return (a->key > b->key) - (a->key < b->key);
  return (a->index > b->index) - (a->index < b->index);
}

static int
compare_double (const void *pa, const void *pb)
{
  double a = *(const double *) pa, b = *(const double *) pb;

  return (a > b) - (a < b);
}

/* Ring-grid weights: rings of equal elevation, each with equally spaced
 * azimuths (any phase) or a single point at a pole; ring weights integrate
 * P_0 … P_{R−1} of sin(el) exactly (interpolatory rule, hence Gauss weights on
 * Gauss nodes), shared equally within each ring.  FALSE when the set is not
 * such a grid or some weight is not positive. */
static gboolean
ring_weights (const Points *p, double *w)
{
  int n = p->n, nrings = 0;
  g_autofree int *order = g_new (int, n);
  g_autofree int *ring_start = g_new (int, n + 1);
  g_autofree double *node = NULL;
  g_autofree double *V = NULL;
  g_autofree double *rw = NULL;
  g_autofree double *az = g_new (double, n);
  g_autoptr (GError) local = NULL;

  {
    g_autofree Keyed *by_el = g_new (Keyed, n);
    for (int j = 0; j < n; j++)
      by_el[j] = (Keyed) { p->el[j], j };
    qsort (by_el, n, sizeof *by_el, compare_keyed);
    for (int j = 0; j < n; j++)
      order[j] = by_el[j].index;
  }

  for (int i = 0; i < n; i++)
    if (i == 0 || p->el[order[i]] - p->el[order[ring_start[nrings - 1]]] > RING_TOL)
      ring_start[nrings++] = i;
  ring_start[nrings] = n;

  /* A ring grid has many points per ring; more rings than this means a few
   * points each, far from exact, and the dense R x R solve would cost more
   * than everything else together. */
  if (nrings > 2 * (int) sqrt ((double) n) + 8)
    return FALSE;

  node = g_new (double, nrings);
  for (int r = 0; r < nrings; r++)
    {
      int lo = ring_start[r], k = ring_start[r + 1] - lo;
      double sum = 0;

      for (int i = 0; i < k; i++)
        sum += p->x[order[lo + i]];
      node[r] = sum / k;
      if (k == 1)
        {
          /* A single point is a ring only at a pole. */
          if (fabs (p->el[order[lo]]) < G_PI / 2 - RING_TOL)
            return FALSE;
          continue;
        }
      for (int i = 0; i < k; i++)
        {
          double a = p->az[order[lo + i]];
          az[i] = a < 0 ? a + 2 * G_PI : a;
        }
      qsort (az, k, sizeof *az, compare_double);
      for (int i = 0; i < k; i++)
        {
          double gap = (i + 1 < k ? az[i + 1] : az[0] + 2 * G_PI) - az[i];
          if (fabs (gap - 2 * G_PI / k) > RING_TOL)
            return FALSE;
        }
    }

  /* Σ_r W_r P_l(x_r) = 2 δ_l0 for l = 0 … R−1; row l of V holds P_l at the nodes. */
  V = g_new (double, (size_t) nrings * nrings);
  rw = g_new0 (double, nrings);
  rw[0] = 2;
  for (int r = 0; r < nrings; r++)
    {
      double x = node[r], p0 = 1, p1 = x;

      V[r] = 1;
      if (nrings > 1)
        V[(size_t) nrings + r] = x;
      for (int l = 2; l < nrings; l++)
        {
          double p2 = ((2.0 * l - 1) * x * p1 - (l - 1.0) * p0) / l;
          V[(size_t) l * nrings + r] = p2;
          p0 = p1;
          p1 = p2;
        }
    }
  if (!al_solve_real (nrings, 1, V, rw, &local))
    return FALSE;  /* singular: not a usable ring rule, Voronoi remains */

  for (int r = 0; r < nrings; r++)
    {
      int lo = ring_start[r], k = ring_start[r + 1] - lo;

      if (!(rw[r] > 0) || !isfinite (rw[r]))
        return FALSE;
      for (int i = 0; i < k; i++)
        w[order[lo + i]] = rw[r] / (2.0 * k);
    }
  return TRUE;
}

AlGrid *
al_grid_quadrature (const double *dirs, int n, GError **error)
{
  g_autoptr (AlGrid) voronoi = NULL;
  g_autofree double *equal = NULL;
  g_autofree double *ring = NULL;
  Points p;
  int cap, dv, de, dr = -1, best_degree;
  const double *best = NULL;
  const char *origin = "voronoi";
  AlGrid *grid;

  g_return_val_if_fail (n >= 0, NULL);
  g_return_val_if_fail (n == 0 || dirs != NULL, NULL);

  /* Voronoi first: it validates the set (empty, NaN, coincident directions)
   * and is the fallback. */
  voronoi = al_grid_from_dirs (dirs, n, error);
  if (voronoi == NULL)
    return NULL;

  points_init (&p, dirs, n);
  cap = degree_cap (n);
  dv = exact_degree (&p, voronoi->weights, cap);

  equal = g_new (double, n);
  for (int j = 0; j < n; j++)
    equal[j] = 1.0 / n;
  de = exact_degree (&p, equal, cap);

  ring = g_new (double, n);
  if (ring_weights (&p, ring))
    dr = exact_degree (&p, ring, cap);
  points_clear (&p);

  /* A design must beat Voronoi or tie it at a degree symmetry alone does not
   * give; between the two designs equal weights win ties (they are the same
   * weights whenever both are exact, e.g. the octahedron as three rings). */
  best_degree = dv;
  if (de >= DESIGN_MIN_DEGREE && de >= dv && de >= dr)
    {
      best = equal;
      best_degree = de;
      origin = "equal weights, t-design";
    }
  else if (dr >= DESIGN_MIN_DEGREE && dr >= dv)
    {
      best = ring;
      best_degree = dr;
      origin = "ring quadrature";
    }

  grid = al_grid_alloc (n, best_degree, g_strdup_printf ("measured:%d (%s)", n, origin));
  memcpy (grid->dirs, dirs, sizeof *dirs * 2 * (size_t) n);
  memcpy (grid->weights, best != NULL ? best : voronoi->weights, sizeof *grid->weights * (size_t) n);
  return grid;
}
