/* al-power-map.c — spatial power maps of SH signals on a direction grid
 * (DESIGN.md §5 item 4; steered-response, MVDR and MUSIC maps as in
 * reference/encoder-design.md §9).
 *
 * Every map is a quadratic form of one covariance matrix R = Σ_t b bᵀ:
 * item 4 is y(Ω)ᵀ R y(Ω) with y in the signals' own normalisation; the
 * beamformer maps work in N3D, where a plane wave's steering vector
 * a(Ω) = y_N3D(Ω) has the same norm (√C) from every direction, so their
 * maps are fair across directions and do not depend on the signals'
 * normalisation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-metrics-private.h"

#include <complex.h>
#include <math.h>
#include <string.h>

#include "linalg/al-linalg.h"

/* Directions per block in evaluation (bounds the nblock x nsh buffers). */
#define EVAL_BLOCK 1024
#define DEFAULT_LOADING 1e-3

static const char *const method_names[] = { "sh", "pwd", "mvdr", "music" };

const char *
al_map_method_name (AlMapMethod method)
{
  g_return_val_if_fail ((int) method >= 0 && (int) method < (int) G_N_ELEMENTS (method_names), "unknown");
  return method_names[method];
}

gboolean
al_map_method_parse (const char *name, AlMapMethod *method, GError **error)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (method_names); i++)
    if (g_ascii_strcasecmp (name, method_names[i]) == 0)
      {
        *method = (AlMapMethod) i;
        return TRUE;
      }
  g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
               "unknown power-map method “%s”; use sh, pwd, mvdr or music", name != NULL ? name : "");
  return FALSE;
}

void
al_map_options_init (AlMapOptions *opt)
{
  g_return_if_fail (opt != NULL);
  memset (opt, 0, sizeof *opt);
  opt->method = AL_MAP_SH;
}

void
al_power_map_free (AlPowerMap *map)
{
  if (map == NULL)
    return;
  g_free (map->dirs);
  g_free (map->power);
  g_free (map->cov);
  g_free (map->kernel);
  g_free (map);
}

AlPowerMap *
al_power_map_copy (const AlPowerMap *map)
{
  g_return_val_if_fail (map != NULL, NULL);
  AlPowerMap *copy = g_memdup2 (map, sizeof *map);
  gsize nn = (gsize) map->nsh * map->nsh;
  copy->dirs = g_memdup2 (map->dirs, sizeof (double) * 2 * map->ndirs);
  copy->power = g_memdup2 (map->power, sizeof (double) * map->ndirs);
  copy->cov = g_memdup2 (map->cov, sizeof (double) * nn);
  copy->kernel = g_memdup2 (map->kernel, sizeof (double) * nn);
  return copy;
}

static int
order_of (int nch)
{
  int n = (int) lround (sqrt ((double) nch)) - 1;
  return al_sh_count (n) == nch ? n : -1;
}

/* The quadratic form of the method from R (signals' normalisation). */
static gboolean
build_kernel (AlPowerMap *map, GError **error)
{
  const int C = map->nsh;
  gsize nn = (gsize) C * C;
  map->kernel = g_new0 (double, nn);
  if (map->method == AL_MAP_SH)
    {
      memcpy (map->kernel, map->cov, sizeof (double) * nn);
      return TRUE;
    }
  /* R in N3D: b_N3D = D b. */
  g_autofree double *d = g_new (double, C);
  g_autofree double *R = g_new (double, nn);
  for (int c = 0; c < C; c++)
    d[c] = al_sh_norm_factor (al_sh_degree_of (c), map->norm, AL_SH_N3D);
  double trace = 0;
  for (int a = 0; a < C; a++)
    {
      for (int b = 0; b < C; b++)
        R[(gsize) a * C + b] = d[a] * map->cov[(gsize) a * C + b] * d[b];
      trace += R[(gsize) a * C + a];
    }

  switch (map->method)
    {
    case AL_MAP_PWD:
      /* w = a/C has unit gain towards Ω (aᵀa = C): P = aᵀRa / C². */
      for (gsize i = 0; i < nn; i++)
        map->kernel[i] = R[i] / ((double) C * C);
      return TRUE;

    case AL_MAP_MVDR:
      {
        /* Q = (R + λI)⁻¹: the loading keeps a rank-deficient R (few
         * sources, exact encodings) invertible. */
        double lambda = map->loading * trace / C;
        for (int a = 0; a < C; a++)
          {
            R[(gsize) a * C + a] += lambda;
            map->kernel[(gsize) a * C + a] = 1.0;
          }
        if (!al_solve_symmetric (C, C, R, map->kernel, error))
          {
            g_prefix_error (error, "MVDR map: ");
            return FALSE;
          }
        return TRUE;
      }

    case AL_MAP_MUSIC:
      {
        if (map->sources >= C)
          {
            g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                         "MUSIC map: %d sources leave no noise subspace with %d SH channels", map->sources, C);
            return FALSE;
          }
        g_autofree double complex *A = g_new (double complex, nn);
        g_autofree double *w = g_new (double, C);
        for (gsize i = 0; i < nn; i++)
          A[i] = R[i];
        if (!al_eigh_vectors (C, A, w, error))
          {
            g_prefix_error (error, "MUSIC map: ");
            return FALSE;
          }
        /* Eigenvalues ascend: the first C − K vectors span the noise subspace.
         * Q = E_n E_nᵀ / C, so aᵀQa is the fraction of a outside the signal subspace. */
        int nn_vec = C - map->sources;
        g_autofree double *En = g_new (double, (gsize) C * nn_vec);
        for (int a = 0; a < C; a++)
          for (int v = 0; v < nn_vec; v++)
            En[(gsize) a * nn_vec + v] = creal (A[(gsize) a * C + v]);
        al_dgemm ('N', 'T', C, C, nn_vec, 1.0 / C, En, En, 0.0, map->kernel);
        return TRUE;
      }

    case AL_MAP_SH:
    default:
      break;
    }
  g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "unknown power-map method %d", (int) map->method);
  return FALSE;
}

void
al_power_map_evaluate (const AlPowerMap *map, const double *dirs, int n, double *power)
{
  g_return_if_fail (map != NULL && (n == 0 || (dirs != NULL && power != NULL)));
  const int C = map->nsh;
  AlShNorm steer = map->method == AL_MAP_SH ? map->norm : AL_SH_N3D;
  gboolean inverse = map->method == AL_MAP_MVDR || map->method == AL_MAP_MUSIC;
  int block = MIN (n, EVAL_BLOCK);
  g_autofree double *Y = g_new (double, (gsize) MAX (block, 1) * C);
  g_autofree double *T = g_new (double, (gsize) MAX (block, 1) * C);
  for (int j0 = 0; j0 < n; j0 += EVAL_BLOCK)
    {
      int m = MIN (EVAL_BLOCK, n - j0);
      al_sh_matrix (map->order, steer, dirs + 2 * (gsize) j0, m, Y);
      /* T = Y Q, then P_j = Σ_c T_jc Y_jc. */
      al_dgemm ('N', 'N', m, C, C, 1.0, Y, map->kernel, 0.0, T);
      for (int j = 0; j < m; j++)
        {
          double q = 0;
          for (int c = 0; c < C; c++)
            q += T[(gsize) j * C + c] * Y[(gsize) j * C + c];
          if (inverse)
            {
              /* aᵀQa > 0 for MVDR; for MUSIC it is 0 exactly at a source, where the floor caps the peak. */
              power[j0 + j] = 1.0 / MAX (q, AL_METRICS_EPS);
            }
          else
            power[j0 + j] = MAX (q, 0.0);
        }
    }
}

AlPowerMap *
al_power_map_new (const AlShSignals *b, const AlGrid *grid, const AlMapOptions *opt, GError **error)
{
  AlMapOptions defaults;
  if (opt == NULL)
    {
      al_map_options_init (&defaults);
      opt = &defaults;
    }
  if (!al_metrics_check_signals (b, "signals", error))
    return NULL;
  const char *name = al_metrics_signal_name (b, "signals");
  int order = order_of (b->nch);
  if (order < 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "%s: %d channels is not a full SH order ((N+1)² channels)", name, b->nch);
      return NULL;
    }
  if ((int) opt->method < AL_MAP_SH || (int) opt->method > AL_MAP_MUSIC)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "unknown power-map method %d", (int) opt->method);
      return NULL;
    }
  if (grid != NULL && grid->n < AL_METRICS_MIN_GRID)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "power map: grid %s has %d directions; at least %d are needed",
                   grid->name != NULL ? grid->name : "", grid->n, AL_METRICS_MIN_GRID);
      return NULL;
    }
  gboolean band = opt->band_lo > 0 || opt->band_hi > 0;
  double lo = 0, hi = 0;
  int frame = 0, hop = 0;
  if (band && (!al_metrics_band (opt->band_lo, opt->band_hi, b->fs, &lo, &hi, error)
               || !al_metrics_stft_params (opt->frame, opt->hop, b->fs, &frame, &hop, error)))
    {
      g_prefix_error (error, "%s: ", name);
      return NULL;
    }

  g_autoptr (AlGrid) own = grid == NULL ? al_grid_fibonacci (AL_METRICS_DEFAULT_GRID) : NULL;
  if (grid == NULL)
    grid = own;
  g_autoptr (AlPowerMap) map = g_new0 (AlPowerMap, 1);
  map->method = opt->method;
  map->order = order;
  map->nsh = b->nch;
  map->norm = b->norm;
  map->fs = b->fs;
  map->loading = opt->loading > 0 ? opt->loading : DEFAULT_LOADING;
  map->sources = opt->sources > 0 ? opt->sources : 1;
  map->ndirs = grid->n;
  map->dirs = g_memdup2 (grid->dirs, sizeof (double) * 2 * grid->n);
  map->power = g_new (double, grid->n);
  map->cov = g_new (double, (gsize) b->nch * b->nch);
  if (!al_metrics_covariance (b, b->nch, band, lo, hi, frame, hop, map->cov, error))
    return NULL;
  double trace = 0;
  for (int c = 0; c < b->nch; c++)
    trace += map->cov[(gsize) c * b->nch + c];
  if (!(trace > 0))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "%s: no energy%s, so no power map", name,
                   band ? " in the band" : "");
      return NULL;
    }
  if (!build_kernel (map, error))
    return NULL;
  al_power_map_evaluate (map, map->dirs, map->ndirs, map->power);
  return g_steal_pointer (&map);
}
