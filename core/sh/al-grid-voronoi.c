/* al-grid-voronoi.c — quadrature weights for arbitrary (measured) direction sets
 * from spherical Voronoi cell areas.
 *
 * The spherical Delaunay triangulation of points on the unit sphere is their
 * 3-D convex hull, and the Voronoi vertex of a hull face is its outward unit
 * normal (the circumcentre), so the cell of point i is the spherical polygon
 * of the normals of the faces around i.  The hull is built incrementally
 * (expected O(n^1.5) with a visibility walk, O(n^2) worst case).
 *
 * Sets that do not span the sphere (all in one closed hemisphere) would give
 * their boundary points huge cells reaching across the empty part.  There each
 * cell is clipped to the spherical convex hull of the data, and the uncovered
 * rest of the sphere is shared equally by all points.  Points on one circle
 * (a single ring, a great circle, any 3 points) get their exact Voronoi cells,
 * which are lunes between the bisectors of angular neighbours.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "al-base.h"
#include "al-sh-private.h"

/* Two directions closer than this (rad) are the same direction. */
#define COINCIDENT_TOL 1e-8
/* A point this far (unit-sphere distance) outside a face plane sees the face;
 * cocircular points (rings) sit at ~1e-17 and must not. */
#define VISIBLE_TOL 1e-13
/* All points within this distance of one plane: they lie on one circle. */
#define PLANAR_TOL 1e-10
/* A face plane this close to the origin passes through it. */
#define ORIGIN_TOL 1e-10

typedef struct {
  int v[3];        /* vertex indices, counter-clockwise seen from outside */
  int nb[3];       /* nb[k]: face across edge v[k] -> v[k+1] */
  double nrm[3];   /* outward unit normal = Voronoi vertex */
  double d;        /* plane offset nrm · v */
  int stamp;       /* last insertion that visited this face */
  gboolean alive;
} Face;

typedef struct {
  const double *p;  /* n x 3 unit vectors */
  int n;
  GArray *faces;    /* Face */
  GArray *free;     /* int: dead face slots */
  int nalive;
  int last;         /* a recently created face: start of the visibility walk */
} Hull;

typedef struct {
  int a, b;         /* horizon edge a -> b as it runs in the visible face */
  int outside;      /* the non-visible face across it */
} HorizonEdge;

static inline void
sub3 (const double *a, const double *b, double *out)
{
  out[0] = a[0] - b[0];
  out[1] = a[1] - b[1];
  out[2] = a[2] - b[2];
}

static inline void
cross3 (const double *a, const double *b, double *out)
{
  out[0] = a[1] * b[2] - a[2] * b[1];
  out[1] = a[2] * b[0] - a[0] * b[2];
  out[2] = a[0] * b[1] - a[1] * b[0];
}

static inline double
dot3 (const double *a, const double *b)
{
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

static inline double
norm3 (const double *a)
{
  return sqrt (dot3 (a, a));
}

static inline gboolean
normalise3 (double *a)
{
  double len = norm3 (a);

  if (len == 0)
    return FALSE;
  a[0] /= len;
  a[1] /= len;
  a[2] /= len;
  return TRUE;
}

/* Signed area of the spherical triangle a, b, c (unit vectors), positive when
 * counter-clockwise seen from outside: 2 atan2(a·(b×c), 1 + a·b + b·c + c·a)
 * (Van Oosterom & Strackee).  The triple product is formed from differences,
 * which keeps its relative accuracy for tiny triangles. */
static double
spherical_triangle_area (const double *a, const double *b, const double *c)
{
  double ab[3], ac[3], n[3];

  sub3 (b, a, ab);
  sub3 (c, a, ac);
  cross3 (ab, ac, n);
  return 2 * atan2 (dot3 (a, n), 1 + dot3 (a, b) + dot3 (b, c) + dot3 (c, a));
}

static inline Face *
face_at (Hull *h, int f)
{
  return &g_array_index (h->faces, Face, f);
}

static inline double
face_distance (Hull *h, int f, const double *p)
{
  Face *face = face_at (h, f);
  return dot3 (face->nrm, p) - face->d;
}

static int
face_new (Hull *h, int a, int b, int c)
{
  Face face = { .v = { a, b, c }, .nb = { -1, -1, -1 }, .stamp = -1, .alive = TRUE };
  const double *pa = h->p + 3 * a, *pb = h->p + 3 * b, *pc = h->p + 3 * c;
  double ab[3], ac[3];
  int f;

  sub3 (pb, pa, ab);
  sub3 (pc, pa, ac);
  cross3 (ab, ac, face.nrm);
  normalise3 (face.nrm);
  face.d = (dot3 (face.nrm, pa) + dot3 (face.nrm, pb) + dot3 (face.nrm, pc)) / 3;

  if (h->free->len > 0)
    {
      f = g_array_index (h->free, int, h->free->len - 1);
      g_array_set_size (h->free, h->free->len - 1);
      *face_at (h, f) = face;
    }
  else
    {
      f = h->faces->len;
      g_array_append_val (h->faces, face);
    }
  h->nalive++;
  h->last = f;
  return f;
}

static void
face_kill (Hull *h, int f)
{
  face_at (h, f)->alive = FALSE;
  g_array_append_val (h->free, f);
  h->nalive--;
}

/* Index k of the edge b -> a in face f (the twin of a -> b), or -1. */
static int
find_edge (Hull *h, int f, int b, int a)
{
  Face *face = face_at (h, f);

  for (int k = 0; k < 3; k++)
    if (face->v[k] == b && face->v[(k + 1) % 3] == a)
      return k;
  return -1;
}

/* Tetrahedron a, b, c, d with d behind the face a, b, c. */
static void
hull_init (Hull *h, int a, int b, int c, int d)
{
  int f[4];

  f[0] = face_new (h, a, b, c);
  f[1] = face_new (h, a, d, b);
  f[2] = face_new (h, b, d, c);
  f[3] = face_new (h, c, d, a);
  for (int i = 0; i < 4; i++)
    for (int k = 0; k < 3; k++)
      {
        Face *fi = face_at (h, f[i]);
        int va = fi->v[k], vb = fi->v[(k + 1) % 3];
        for (int j = 0; j < 4; j++)
          if (j != i && find_edge (h, f[j], vb, va) >= 0)
            fi->nb[k] = f[j];
      }
}

/* A face that p sees: walk from the last new face towards p, then scan. */
static int
find_visible (Hull *h, const double *p)
{
  int f = h->last, best = -1;
  double dist, best_dist = -G_MAXDOUBLE;
  int limit = 4 * (int) sqrt ((double) h->n) + 64;

  if (f >= 0 && face_at (h, f)->alive)
    {
      dist = face_distance (h, f, p);
      for (int step = 0; step < limit && dist <= VISIBLE_TOL; step++)
        {
          int next = -1;
          double next_dist = dist;
          for (int k = 0; k < 3; k++)
            {
              int g = face_at (h, f)->nb[k];
              double gd = face_distance (h, g, p);
              if (gd > next_dist)
                {
                  next = g;
                  next_dist = gd;
                }
            }
          if (next < 0)
            break;
          f = next;
          dist = next_dist;
        }
      if (dist > VISIBLE_TOL)
        return f;
    }

  for (guint g = 0; g < h->faces->len; g++)
    if (face_at (h, g)->alive && (dist = face_distance (h, g, p)) > best_dist)
      {
        best = g;
        best_dist = dist;
      }
  return best_dist > VISIBLE_TOL ? best : -1;
}

/* Adds point `pi`; FALSE when it sees no face (it is inside the hull, which for
 * points on a sphere means a near-duplicate) or the visible region is not a
 * disc (numerically inconsistent input). */
static gboolean
hull_add (Hull *h, int pi, int *start_of, int *end_of, GArray *stack, GArray *visible,
          GArray *horizon)
{
  const double *p = h->p + 3 * pi;
  int seed = find_visible (h, p);
  gboolean ok = TRUE;

  if (seed < 0)
    return FALSE;

  /* Flood the visible region from the seed (it is connected in exact arithmetic). */
  g_array_set_size (stack, 0);
  g_array_set_size (visible, 0);
  g_array_set_size (horizon, 0);
  face_at (h, seed)->stamp = pi;
  g_array_append_val (stack, seed);
  while (stack->len > 0)
    {
      int f = g_array_index (stack, int, stack->len - 1);
      g_array_set_size (stack, stack->len - 1);
      g_array_append_val (visible, f);
      for (int k = 0; k < 3; k++)
        {
          int g = face_at (h, f)->nb[k];
          if (face_at (h, g)->stamp == pi)
            continue;
          if (face_distance (h, g, p) > VISIBLE_TOL)
            {
              face_at (h, g)->stamp = pi;
              g_array_append_val (stack, g);
            }
        }
    }
  for (guint i = 0; i < visible->len; i++)
    {
      int f = g_array_index (visible, int, i);
      for (int k = 0; k < 3; k++)
        {
          Face *face = face_at (h, f);
          int g = face->nb[k];
          if (face_at (h, g)->stamp != pi)
            {
              HorizonEdge e = { face->v[k], face->v[(k + 1) % 3], g };
              g_array_append_val (horizon, e);
            }
        }
    }
  for (guint i = 0; i < visible->len; i++)
    face_kill (h, g_array_index (visible, int, i));

  /* A cone of new faces from p over the horizon, which must be one simple cycle. */
  for (guint i = 0; i < horizon->len; i++)
    {
      HorizonEdge *e = &g_array_index (horizon, HorizonEdge, i);
      int nf, k;

      if (start_of[e->a] >= 0 || end_of[e->b] >= 0)
        ok = FALSE;
      nf = face_new (h, e->a, e->b, pi);
      start_of[e->a] = nf;
      end_of[e->b] = nf;
      face_at (h, nf)->nb[0] = e->outside;
      k = find_edge (h, e->outside, e->b, e->a);
      if (k < 0)
        ok = FALSE;
      else
        face_at (h, e->outside)->nb[k] = nf;
    }
  for (guint i = 0; i < horizon->len; i++)
    {
      HorizonEdge *e = &g_array_index (horizon, HorizonEdge, i);
      int nf = start_of[e->a];
      if (ok)
        {
          face_at (h, nf)->nb[1] = start_of[e->b];
          face_at (h, nf)->nb[2] = end_of[e->a];
          if (start_of[e->b] < 0 || end_of[e->a] < 0)
            ok = FALSE;
        }
    }
  for (guint i = 0; i < horizon->len; i++)
    {
      HorizonEdge *e = &g_array_index (horizon, HorizonEdge, i);
      start_of[e->a] = start_of[e->b] = -1;
      end_of[e->a] = end_of[e->b] = -1;
    }
  return ok;
}

/* Every face has three live neighbours that point back, and F = 2V - 4. */
static gboolean
hull_consistent (Hull *h)
{
  if (h->nalive != 2 * h->n - 4)
    return FALSE;
  for (guint f = 0; f < h->faces->len; f++)
    {
      Face *face = face_at (h, f);
      if (!face->alive)
        continue;
      for (int k = 0; k < 3; k++)
        {
          int g = face->nb[k];
          if (g < 0 || !face_at (h, g)->alive
              || find_edge (h, g, face->v[(k + 1) % 3], face->v[k]) < 0)
            return FALSE;
        }
    }
  return TRUE;
}

/* Sutherland–Hodgman on the sphere: keeps the part of polygon `in` with g·x >= 0.
 * Edges are great-circle arcs shorter than π, so an arc u -> v crosses the
 * plane at the positive combination of u and v on it. */
static void
clip_polygon (const GArray *in, const double *g, GArray *out)
{
  guint len = in->len / 3;

  g_array_set_size (out, 0);
  for (guint i = 0; i < len; i++)
    {
      const double *u = &g_array_index (in, double, 3 * i);
      const double *v = &g_array_index (in, double, 3 * ((i + 1) % len));
      double su = dot3 (g, u), sv = dot3 (g, v);
      gboolean u_in = su >= 0, v_in = sv >= 0;

      if (u_in != v_in)
        {
          /* (su·v − sv·u) / (su − sv): a positive combination of u and v. */
          double sign = su > sv ? 1 : -1;
          double x[3] = { sign * (su * v[0] - sv * u[0]), sign * (su * v[1] - sv * u[1]),
                          sign * (su * v[2] - sv * u[2]) };
          if (normalise3 (x))
            g_array_append_vals (out, x, 3);
        }
      if (v_in)
        g_array_append_vals (out, v, 3);
    }
}

/* Area of a convex spherical polygon (vertex list) by a fan from `centre`, a
 * point inside it or on its boundary. */
static double
polygon_area (const GArray *poly, const double *centre)
{
  guint len = poly->len / 3;
  double area = 0;

  for (guint i = 0; i < len; i++)
    area += spherical_triangle_area (centre, &g_array_index (poly, double, 3 * i),
                                     &g_array_index (poly, double, 3 * ((i + 1) % len)));
  return fabs (area);
}

static void
add_clip_plane (GArray *planes, const double *g)
{
  for (guint i = 0; i < planes->len / 3; i++)
    {
      double diff[3];
      sub3 (&g_array_index (planes, double, 3 * i), g, diff);
      if (norm3 (diff) < 1e-12)
        return;
    }
  g_array_append_vals (planes, g, 3);
}

static int
by_z (const void *a, const void *b, gpointer data)
{
  const double *p = data;
  double za = p[3 * *(const int *) a + 2], zb = p[3 * *(const int *) b + 2];
  return (za > zb) - (za < zb);
}

/* Finds a pair of (nearly) coincident directions: sort by z, then compare
 * only points whose z differ by less than the tolerance. */
static gboolean
find_coincident (const double *p, int n, int *first, int *second)
{
  g_autofree int *order = g_new (int, n);

  for (int i = 0; i < n; i++)
    order[i] = i;
  g_qsort_with_data (order, n, sizeof *order, by_z, (gpointer) p);
  for (int s = 0; s < n; s++)
    for (int t = s + 1; t < n; t++)
      {
        int i = order[s], j = order[t];
        double diff[3];
        if (p[3 * j + 2] - p[3 * i + 2] >= COINCIDENT_TOL)
          break;
        sub3 (p + 3 * i, p + 3 * j, diff);
        if (norm3 (diff) < COINCIDENT_TOL)
          {
            *first = MIN (i, j);
            *second = MAX (i, j);
            return TRUE;
          }
      }
  return FALSE;
}

/* Points on one circle (plane normal `axis`): Voronoi cells are lunes between the
 * bisectors of angular neighbours, of area (gap before + gap after). */
static void
circle_weights (const double *p, int n, const double *axis, double *w)
{
  g_autofree double *theta = g_new (double, n);
  g_autofree int *order = g_new (int, n);
  double e1[3], e2[3], off = dot3 (axis, p);

  for (int k = 0; k < 3; k++)
    e1[k] = p[k] - off * axis[k];
  normalise3 (e1);
  cross3 (axis, e1, e2);
  for (int i = 0; i < n; i++)
    {
      theta[i] = atan2 (dot3 (p + 3 * i, e2), dot3 (p + 3 * i, e1));
      order[i] = i;
    }
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0 && theta[order[j]] < theta[order[j - 1]]; j--)
      {
        int t = order[j];
        order[j] = order[j - 1];
        order[j - 1] = t;
      }
  for (int s = 0; s < n; s++)
    {
      int i = order[s], prev = order[(s + n - 1) % n], next = order[(s + 1) % n];
      double before = theta[i] - theta[prev], after = theta[next] - theta[i];
      if (before <= 0)
        before += 2 * G_PI;
      if (after <= 0)
        after += 2 * G_PI;
      w[i] = (before + after) / (4 * G_PI);
    }
}

/* Picks a tetrahedron of the points; FALSE (with the plane's normal in `axis`)
 * when they are all on one plane. */
static gboolean
initial_simplex (const double *p, int n, int *simplex, double *axis)
{
  int i1 = 0, i2 = 0, i3 = 0;
  double best = -1, nrm[3], e1[3], e2[3], dist;

  for (int i = 1; i < n; i++)
    {
      double diff[3];
      sub3 (p + 3 * i, p, diff);
      if (norm3 (diff) > best)
        {
          best = norm3 (diff);
          i1 = i;
        }
    }
  best = -1;
  sub3 (p + 3 * i1, p, e1);
  for (int i = 1; i < n; i++)
    {
      double c[3];
      sub3 (p + 3 * i, p, e2);
      cross3 (e1, e2, c);
      if (i != i1 && norm3 (c) > best)
        {
          best = norm3 (c);
          i2 = i;
        }
    }
  sub3 (p + 3 * i2, p, e2);
  cross3 (e1, e2, nrm);
  normalise3 (nrm);
  best = -1;
  for (int i = 1; i < n; i++)
    {
      double diff[3];
      sub3 (p + 3 * i, p, diff);
      if (fabs (dot3 (nrm, diff)) > best)
        {
          best = fabs (dot3 (nrm, diff));
          i3 = i;
        }
    }
  if (best <= PLANAR_TOL)
    {
      memcpy (axis, nrm, sizeof nrm);
      return FALSE;
    }
  /* Orient so that the fourth point lies behind face (0, i1, i2). */
  {
    double diff[3];
    sub3 (p + 3 * i3, p, diff);
    dist = dot3 (nrm, diff);
  }
  simplex[0] = 0;
  simplex[1] = dist > 0 ? i2 : i1;
  simplex[2] = dist > 0 ? i1 : i2;
  simplex[3] = i3;
  return TRUE;
}

/* Cell areas of the points of a full hull; clipped to the data's spherical
 * convex hull when the points do not surround the origin. */
static gboolean
hull_cell_areas (Hull *h, double *area, gboolean *clipped, GError **error)
{
  g_autofree int *corner_face = g_new (int, h->n);
  g_autoptr (GArray) planes = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) poly = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) tmp = g_array_new (FALSE, FALSE, sizeof (double));
  double min_d = G_MAXDOUBLE;

  for (int i = 0; i < h->n; i++)
    corner_face[i] = -1;
  for (guint f = 0; f < h->faces->len; f++)
    {
      Face *face = face_at (h, f);
      if (!face->alive)
        continue;
      min_d = MIN (min_d, face->d);
      for (int k = 0; k < 3; k++)
        corner_face[face->v[k]] = f;
    }

  *clipped = min_d <= ORIGIN_TOL;
  if (*clipped)
    for (guint f = 0; f < h->faces->len; f++)
      {
        Face *face = face_at (h, f);
        if (!face->alive)
          continue;
        if (fabs (face->d) <= ORIGIN_TOL)
          {
            /* A face through the origin bounds the data's cone itself. */
            double g[3] = { -face->nrm[0], -face->nrm[1], -face->nrm[2] };
            add_clip_plane (planes, g);
          }
        else if (face->d > ORIGIN_TOL)
          for (int k = 0; k < 3; k++)
            if (face_at (h, face->nb[k])->d < -ORIGIN_TOL)
              {
                /* Silhouette edge seen from the origin: its plane through the
                 * origin is tangent to the cone; orient it towards the face. */
                const double *a = h->p + 3 * face->v[k], *b = h->p + 3 * face->v[(k + 1) % 3];
                const double *c = h->p + 3 * face->v[(k + 2) % 3];
                double g[3];
                cross3 (a, b, g);
                normalise3 (g);
                if (dot3 (g, c) < 0)
                  g[0] = -g[0], g[1] = -g[1], g[2] = -g[2];
                add_clip_plane (planes, g);
              }
      }

  for (int i = 0; i < h->n; i++)
    {
      int start = corner_face[i], f = start, steps = 0;

      if (start < 0)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_FAILED,
                       "grid directions: direction %d is not a vertex of the triangulation", i);
          return FALSE;
        }
      g_array_set_size (poly, 0);
      do
        {
          Face *face = face_at (h, f);
          int k = face->v[0] == i ? 0 : face->v[1] == i ? 1 : 2;
          g_array_append_vals (poly, face->nrm, 3);
          f = face->nb[k];
        }
      while (f != start && ++steps < h->nalive);
      if (f != start)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_FAILED,
                       "grid directions: the faces around direction %d do not close", i);
          return FALSE;
        }
      for (guint c = 0; c < planes->len / 3 && poly->len > 0; c++)
        {
          GArray *swap;
          clip_polygon (poly, &g_array_index (planes, double, 3 * c), tmp);
          swap = poly;
          poly = tmp;
          tmp = swap;
        }
      area[i] = poly->len >= 9 ? polygon_area (poly, h->p + 3 * i) : 0;
    }
  return TRUE;
}

static gboolean
hull_weights (const double *p, int n, const int *simplex, double *w, GError **error)
{
  Hull h = { .p = p, .n = n, .last = -1 };
  g_autofree int *start_of = g_new (int, n);
  g_autofree int *end_of = g_new (int, n);
  g_autofree int *order = g_new (int, n);
  g_autofree double *area = g_new (double, n);
  g_autoptr (GArray) stack = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr (GArray) visible = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr (GArray) horizon = g_array_new (FALSE, FALSE, sizeof (HorizonEdge));
  g_autoptr (GRand) rand = g_rand_new_with_seed (20240917);
  gboolean clipped = FALSE, ok = TRUE;
  double total = 0;

  h.faces = g_array_sized_new (FALSE, FALSE, sizeof (Face), 2 * n + 16);
  h.free = g_array_new (FALSE, FALSE, sizeof (int));
  for (int i = 0; i < n; i++)
    {
      start_of[i] = end_of[i] = -1;
      order[i] = i;
    }
  /* Random insertion order keeps the expected work low for sorted inputs (rings). */
  for (int i = n - 1; i > 0; i--)
    {
      int j = g_rand_int_range (rand, 0, i + 1), t = order[i];
      order[i] = order[j];
      order[j] = t;
    }

  hull_init (&h, simplex[0], simplex[1], simplex[2], simplex[3]);
  for (int s = 0; s < n && ok; s++)
    {
      int i = order[s];
      if (i == simplex[0] || i == simplex[1] || i == simplex[2] || i == simplex[3])
        continue;
      if (!hull_add (&h, i, start_of, end_of, stack, visible, horizon))
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                       "grid directions: could not triangulate direction %d "
                       "(numerically degenerate: nearly coincident directions?)", i);
          ok = FALSE;
        }
    }
  if (ok && !hull_consistent (&h))
    {
      g_set_error_literal (error, AL_ERROR, AL_ERROR_FAILED,
                           "grid directions: the spherical triangulation came out inconsistent "
                           "(numerically degenerate input)");
      ok = FALSE;
    }
  if (ok)
    ok = hull_cell_areas (&h, area, &clipped, error);
  g_array_free (h.faces, TRUE);
  g_array_free (h.free, TRUE);
  if (!ok)
    return FALSE;

  for (int i = 0; i < n; i++)
    total += area[i];
  if (!clipped)
    {
      /* Full cells must tile the sphere. */
      if (!isfinite (total) || fabs (total - 4 * G_PI) > 1e-6 * 4 * G_PI)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_FAILED,
                       "grid directions: Voronoi cells cover %.9g sr instead of 4π", total);
          return FALSE;
        }
      for (int i = 0; i < n; i++)
        w[i] = area[i] / total;
    }
  else
    {
      double rest = MAX (0.0, 4 * G_PI - total);

      if (!isfinite (total) || total > 4 * G_PI * (1 + 1e-9))
        {
          g_set_error (error, AL_ERROR, AL_ERROR_FAILED,
                       "grid directions: clipped Voronoi cells cover %.9g sr, more than 4π", total);
          return FALSE;
        }
      for (int i = 0; i < n; i++)
        w[i] = (area[i] + rest / n) / (total + rest);
    }
  return TRUE;
}

AlGrid *
al_grid_from_dirs (const double *dirs, int n, GError **error)
{
  g_autoptr (AlGrid) grid = NULL;
  g_autofree double *p = NULL;
  int simplex[4], first, second;
  double axis[3];

  g_return_val_if_fail (n >= 0, NULL);
  g_return_val_if_fail (n == 0 || dirs != NULL, NULL);
  if (n == 0)
    {
      g_set_error_literal (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                           "grid directions: the list is empty");
      return NULL;
    }
  if (!al_check_finite (dirs, 2 * (size_t) n, "grid directions (azimuth, elevation)", error))
    return NULL;

  p = g_new (double, 3 * (size_t) n);
  al_dirs_to_xyz (dirs, n, p);
  if (find_coincident (p, n, &first, &second))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "grid directions: directions %d (az %.6g°, el %.6g°) and %d (az %.6g°, el %.6g°) "
                   "coincide; list every direction once (a pole at several azimuths is one direction)",
                   first, AL_RAD2DEG (dirs[2 * first]), AL_RAD2DEG (dirs[2 * first + 1]),
                   second, AL_RAD2DEG (dirs[2 * second]), AL_RAD2DEG (dirs[2 * second + 1]));
      return NULL;
    }

  grid = al_grid_alloc (n, -1, g_strdup_printf ("custom:%d", n));
  memcpy (grid->dirs, dirs, sizeof *dirs * 2 * (size_t) n);
  if (n <= 2)
    {
      /* One point: the sphere; two: a hemisphere each. */
      for (int i = 0; i < n; i++)
        grid->weights[i] = 1.0 / n;
    }
  else if (!initial_simplex (p, n, simplex, axis))
    circle_weights (p, n, axis, grid->weights);
  else if (!hull_weights (p, n, simplex, grid->weights, error))
    return NULL;

  return g_steal_pointer (&grid);
}
