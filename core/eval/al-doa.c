/* al-doa.c — directions of arrival from power-map peaks and from the
 * first-order active intensity, and the localisation error between true
 * and estimated directions (DESIGN.md §5 item 10).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-metrics-private.h"

#include <math.h>
#include <string.h>

#define DEFAULT_SEPARATION AL_DEG2RAD (20.0)

typedef struct {
  const double *power;
} SortCtx;

static int
by_power_desc (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const SortCtx *ctx = user_data;
  double pa = ctx->power[*(const int *) a], pb = ctx->power[*(const int *) b];
  return pa < pb ? 1 : pa > pb ? -1 : 0;
}

static double
dot3 (const double *a, const double *b)
{
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/* Tangent basis (e1, e2) at the unit vector u. */
static void
tangent_basis (const double *u, double *e1, double *e2)
{
  double axis[3] = { 0, 0, 0 };
  /* Start from the axis least aligned with u, so the projection is well conditioned. */
  int amin = 0;
  for (int i = 1; i < 3; i++)
    if (fabs (u[i]) < fabs (u[amin]))
      amin = i;
  axis[amin] = 1;
  double d = dot3 (axis, u);
  for (int i = 0; i < 3; i++)
    e1[i] = axis[i] - d * u[i];
  double n1 = sqrt (dot3 (e1, e1));
  for (int i = 0; i < 3; i++)
    e1[i] /= n1;
  e2[0] = u[1] * e1[2] - u[2] * e1[1];
  e2[1] = u[2] * e1[0] - u[0] * e1[2];
  e2[2] = u[0] * e1[1] - u[1] * e1[0];
}

/* Sub-grid refinement: the map is an analytic function of the direction
 * (a quadratic form of Y(Ω)), so climb it from the grid maximum by a
 * compass search on the sphere, halving the step down to ~0.001°.  This
 * works for broad PWD beams and for the needle-sharp peaks of MVDR/MUSIC
 * alike, where fitting a paraboloid to grid samples does not. */
static void
refine_peak (const AlPowerMap *map, const double *xyz, int p, double spacing, AlDoa *doa)
{
  double u[3] = { xyz[3 * p], xyz[3 * p + 1], xyz[3 * p + 2] };
  double val = map->power[p];
  double h = 0.5 * spacing;
  double dirs[16], vals[8], v[8][3];
  for (int iter = 0; iter < 400 && h > 2e-5; iter++)
    {
      double e1[3], e2[3];
      tangent_basis (u, e1, e2);
      for (int k = 0; k < 8; k++)
        {
          double a = k * G_PI / 4, ca = cos (a), sa = sin (a);
          for (int i = 0; i < 3; i++)
            v[k][i] = cos (h) * u[i] + sin (h) * (ca * e1[i] + sa * e2[i]);
          al_xyz_to_dir (v[k], &dirs[2 * k], &dirs[2 * k + 1]);
        }
      al_power_map_evaluate (map, dirs, 8, vals);
      int best = -1;
      for (int k = 0; k < 8; k++)
        if (vals[k] > val && (best < 0 || vals[k] > vals[best]))
          best = k;
      if (best < 0)
        {
          h *= 0.5;
          continue;
        }
      val = vals[best];
      double nv = sqrt (dot3 (v[best], v[best]));
      for (int i = 0; i < 3; i++)
        u[i] = v[best][i] / nv;
    }
  al_xyz_to_dir (u, &doa->azimuth, &doa->elevation);
  doa->power = val;
}

/* Points bucketed in cubes of the unit vectors' space, so "is a
 * neighbour higher?" looks at 27 cells instead of the whole grid. */
typedef struct {
  int n;          /* cells per axis */
  double size;    /* cell edge; >= the neighbourhood's chord */
  int *start;     /* n³ + 1 offsets into items */
  int *items;     /* point indices, cell by cell */
} Cells;

#define CELLS_MAX_AXIS 128

static int
cell_coord (const Cells *cells, double v)
{
  return CLAMP ((int) floor ((v + 1.0) / cells->size), 0, cells->n - 1);
}

static void
cells_init (Cells *cells, const double *xyz, int J, double size)
{
  cells->size = MAX (size, 2.0 / (CELLS_MAX_AXIS - 1));
  cells->n = (int) ceil (2.0 / cells->size) + 1;
  int n = cells->n;
  gsize ncell = (gsize) n * n * n;
  cells->start = g_new0 (int, ncell + 1);
  cells->items = g_new (int, J);
  g_autofree int *id = g_new (int, J);
  for (int j = 0; j < J; j++)
    {
      const double *u = xyz + 3 * (gsize) j;
      id[j] = cell_coord (cells, u[0]) + n * (cell_coord (cells, u[1]) + n * cell_coord (cells, u[2]));
      cells->start[id[j] + 1]++;
    }
  for (gsize c = 0; c < ncell; c++)
    cells->start[c + 1] += cells->start[c];
  g_autofree int *fill = g_memdup2 (cells->start, sizeof (int) * ncell);
  for (int j = 0; j < J; j++)
    cells->items[fill[id[j]]++] = j;
}

static void
cells_clear (Cells *cells)
{
  g_clear_pointer (&cells->start, g_free);
  g_clear_pointer (&cells->items, g_free);
}

/* TRUE when a point within the angle whose cosine is cos_nb of point p has
 * a larger map value. */
static gboolean
higher_neighbour (const Cells *cells, const double *xyz, const double *power, int p, double cos_nb)
{
  const double *u = xyz + 3 * (gsize) p;
  const int n = cells->n;
  int c[3] = { cell_coord (cells, u[0]), cell_coord (cells, u[1]), cell_coord (cells, u[2]) };
  for (int dz = -1; dz <= 1; dz++)
    for (int dy = -1; dy <= 1; dy++)
      for (int dx = -1; dx <= 1; dx++)
        {
          int x = c[0] + dx, y = c[1] + dy, z = c[2] + dz;
          if (x < 0 || y < 0 || z < 0 || x >= n || y >= n || z >= n)
            continue;
          gsize cell = (gsize) x + (gsize) n * (y + (gsize) n * z);
          for (int k = cells->start[cell]; k < cells->start[cell + 1]; k++)
            {
              int j = cells->items[k];
              if (power[j] > power[p] && dot3 (u, xyz + 3 * (gsize) j) > cos_nb)
                return TRUE;
            }
        }
  return FALSE;
}

int
al_power_map_peaks (const AlPowerMap *map, int max_peaks, double min_separation, AlDoa *doas)
{
  g_return_val_if_fail (map != NULL, 0);
  g_return_val_if_fail (max_peaks <= 0 || doas != NULL, 0);
  if (max_peaks <= 0 || map->ndirs < 1)
    return 0;
  if (!(min_separation > 0))
    min_separation = DEFAULT_SEPARATION;
  const int J = map->ndirs;
  /* Mean spacing of J nearly uniform directions; neighbours lie within 1.6 of it. */
  double spacing = sqrt (4 * G_PI / J);
  double radius = 1.6 * spacing;
  double cos_nb = cos (radius), cos_sep = cos (min_separation);
  g_autofree double *xyz = g_new (double, 3 * (gsize) J);
  al_dirs_to_xyz (map->dirs, J, xyz);
  g_autofree int *idx = g_new (int, J);
  for (int j = 0; j < J; j++)
    idx[j] = j;
  SortCtx ctx = { map->power };
  g_qsort_with_data (idx, J, sizeof (int), by_power_desc, &ctx);
  Cells cells;
  cells_init (&cells, xyz, J, 2 * sin (MIN (radius, G_PI) / 2) + 1e-9);

  g_autofree int *picked = g_new (int, max_peaks);
  int found = 0;
  for (int r = 0; r < J && found < max_peaks; r++)
    {
      int p = idx[r];
      const double *u = xyz + 3 * (gsize) p;
      if (!(map->power[p] > 0))
        break;
      gboolean ok = TRUE;
      for (int q = 0; q < found && ok; q++)
        ok = dot3 (u, xyz + 3 * (gsize) picked[q]) < cos_sep;
      if (!ok || higher_neighbour (&cells, xyz, map->power, p, cos_nb))
        continue;
      picked[found] = p;
      doas[found] = (AlDoa) { map->dirs[2 * p], map->dirs[2 * p + 1], map->power[p] };
      refine_peak (map, xyz, p, spacing, &doas[found]);
      found++;
    }
  cells_clear (&cells);
  return found;
}

gboolean
al_doa_intensity (const AlShSignals *b, double band_lo, double band_hi, AlDoa *doa, double *diffuseness,
                  GError **error)
{
  g_return_val_if_fail (doa != NULL, FALSE);
  if (!al_metrics_check_signals (b, "signals", error))
    return FALSE;
  const char *name = al_metrics_signal_name (b, "signals");
  if (b->nch < 4)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "%s: active intensity needs first order (4 channels), got %d", name, b->nch);
      return FALSE;
    }
  gboolean band = band_lo > 0 || band_hi > 0;
  double lo = 0, hi = 0;
  int frame = 0, hop = 0;
  if (band && (!al_metrics_band (band_lo, band_hi, b->fs, &lo, &hi, error)
               || !al_metrics_stft_params (0, 0, b->fs, &frame, &hop, error)))
    {
      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }
  double R[16];
  if (!al_metrics_covariance (b, 4, band, lo, hi, frame, hop, R, error))
    return FALSE;
  /* In SN3D a plane wave gives (Y, Z, X) = u·W exactly, so ⟨W·(X, Y, Z)⟩ points at the source. */
  double f[4];
  for (int c = 0; c < 4; c++)
    f[c] = al_sh_norm_factor (al_sh_degree_of (c), b->norm, AL_SH_SN3D);
  double inten[3] = { f[0] * f[3] * R[3], f[0] * f[1] * R[1], f[0] * f[2] * R[2] };
  double energy = 0;
  for (int c = 0; c < 4; c++)
    energy += f[c] * f[c] * R[c * 4 + c];
  double norm = sqrt (dot3 (inten, inten));
  if (!(norm > 0) || !(norm > AL_METRICS_EPS * energy))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "%s: no active intensity%s (silent or perfectly diffuse), so no direction", name,
                   band ? " in the band" : "");
      return FALSE;
    }
  al_xyz_to_dir (inten, &doa->azimuth, &doa->elevation);
  doa->power = norm;
  if (diffuseness != NULL)
    *diffuseness = CLAMP (1.0 - 2.0 * norm / energy, 0.0, 1.0);
  return TRUE;
}

double
al_localisation_error (double az_true, double el_true, double az_est, double el_est)
{
  return AL_RAD2DEG (al_angle_between (az_true, el_true, az_est, el_est));
}

typedef struct {
  int n_true, n_est;
  const double *cost;   /* n_true x n_est, degrees */
  int *perm, *best;
  gboolean *used;
  double best_sum;
} Match;

static void
match_search (Match *m, int i, double sum)
{
  if (sum >= m->best_sum)
    return;
  if (i == m->n_true)
    {
      m->best_sum = sum;
      memcpy (m->best, m->perm, sizeof (int) * m->n_true);
      return;
    }
  for (int j = 0; j < m->n_est; j++)
    if (!m->used[j])
      {
        m->used[j] = TRUE;
        m->perm[i] = j;
        match_search (m, i + 1, sum + m->cost[(gsize) i * m->n_est + j]);
        m->used[j] = FALSE;
      }
}

gboolean
al_localisation_error_matched (const double *true_dirs, int n_true, const double *est_dirs, int n_est,
                               double *per_source, double *mean_deg, GError **error)
{
  if (n_true < 1 || true_dirs == NULL)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "localisation error: no true directions given");
      return FALSE;
    }
  if (n_est < n_true || est_dirs == NULL)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH,
                   "localisation error: %d estimated directions for %d sources", n_est, n_true);
      return FALSE;
    }
  g_autofree double *cost = g_new (double, (gsize) n_true * n_est);
  for (int i = 0; i < n_true; i++)
    for (int j = 0; j < n_est; j++)
      cost[(gsize) i * n_est + j] = al_localisation_error (true_dirs[2 * i], true_dirs[2 * i + 1],
                                                           est_dirs[2 * j], est_dirs[2 * j + 1]);
  g_autofree int *perm = g_new (int, n_true);
  g_autofree int *best = g_new (int, n_true);
  g_autofree gboolean *used = g_new0 (gboolean, n_est);
  if (n_true <= 6)
    {
      Match m = { n_true, n_est, cost, perm, best, used, INFINITY };
      match_search (&m, 0, 0.0);
    }
  else
    {
      /* Greedy: the closest remaining pair first. */
      g_autofree gboolean *done = g_new0 (gboolean, n_true);
      for (int step = 0; step < n_true; step++)
        {
          int bi = -1, bj = -1;
          for (int i = 0; i < n_true; i++)
            for (int j = 0; j < n_est && !done[i]; j++)
              if (!used[j] && (bi < 0 || cost[(gsize) i * n_est + j] < cost[(gsize) bi * n_est + bj]))
                {
                  bi = i;
                  bj = j;
                }
          done[bi] = used[bj] = TRUE;
          best[bi] = bj;
        }
    }
  double sum = 0;
  for (int i = 0; i < n_true; i++)
    {
      double e = cost[(gsize) i * n_est + best[i]];
      if (per_source != NULL)
        per_source[i] = e;
      sum += e;
    }
  if (mean_deg != NULL)
    *mean_deg = sum / n_true;
  return TRUE;
}
