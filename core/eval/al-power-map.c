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
 * The intensity map (AL_MAP_INTENSITY) is not a quadratic form: at first
 * order a beam is so broad that, with a few sources in a reverberant room,
 * the peaks of any map of R sit tens of degrees off even for an ideal
 * encoding.  Instead each time-frequency bin dominated by one direct sound
 * (low diffuseness) names its direction through its active intensity, as in
 * DirAC, and the map is a smoothed histogram of those votes.
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
/* Votes merge within cubes of this edge in the space of unit vectors
 * (≈ 0.6° on the sphere, far below the kernel's width), so the map costs
 * at most ~125 000 terms however long the signals are. */
#define VOTE_CELL 0.01
/* κ(1 − u·û) beyond which a vote adds nothing that a double can hold next
 * to a nearby one (e⁻⁴⁰ ≈ 4e-18). */
#define VOTE_CUTOFF 40.0

static const char *const method_names[] = { "sh", "pwd", "mvdr", "music", "intensity" };

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
               "unknown power-map method “%s”; use sh, pwd, mvdr, music or intensity", name != NULL ? name : "");
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
  g_free (map->votes);
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
  copy->votes = map->votes != NULL ? g_memdup2 (map->votes, sizeof (double) * 4 * map->nvotes) : NULL;
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

/* P(u) = Σ_v w_v exp(κ(u·û_v − 1)). */
static void
intensity_evaluate (const AlPowerMap *map, const double *dirs, int n, double *power)
{
  const double kappa = AL_INTENSITY_KAPPA, dmin = 1.0 - VOTE_CUTOFF / AL_INTENSITY_KAPPA;
  for (int j = 0; j < n; j++)
    {
      double u[3];
      al_dirs_to_xyz (dirs + 2 * (gsize) j, 1, u);
      double sum = 0;
      for (int v = 0; v < map->nvotes; v++)
        {
          const double *e = map->votes + 4 * (gsize) v;
          double d = u[0] * e[0] + u[1] * e[1] + u[2] * e[2];
          if (d > dmin)
            sum += e[3] * exp (kappa * (d - 1.0));
        }
      power[j] = sum;
    }
}

void
al_power_map_evaluate (const AlPowerMap *map, const double *dirs, int n, double *power)
{
  g_return_if_fail (map != NULL && (n == 0 || (dirs != NULL && power != NULL)));
  if (map->method == AL_MAP_INTENSITY)
    {
      intensity_evaluate (map, dirs, n, power);
      return;
    }
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

/* Votes merged per cell of the unit vectors' space: Σ w u and Σ w. */
typedef struct {
  GHashTable *cells; /* packed cell → 1 + index into sums */
  GArray *sums;      /* double[4] per cell, in order of first vote (deterministic) */
} VoteCells;

static void
vote_add (VoteCells *vc, const double *u, double w)
{
  const int n = (int) ceil (2.0 / VOTE_CELL) + 1;
  int c[3];
  for (int i = 0; i < 3; i++)
    c[i] = CLAMP ((int) floor ((u[i] + 1.0) / VOTE_CELL), 0, n - 1);
  gpointer key = GINT_TO_POINTER (1 + c[0] + n * (c[1] + n * c[2]));
  guint idx = GPOINTER_TO_UINT (g_hash_table_lookup (vc->cells, key));
  if (idx == 0)
    {
      const double zero[4] = { 0, 0, 0, 0 };
      g_array_append_vals (vc->sums, zero, 4);
      idx = vc->sums->len / 4;
      g_hash_table_insert (vc->cells, key, GUINT_TO_POINTER (idx));
    }
  double *sum = &g_array_index (vc->sums, double, 4 * (idx - 1));
  for (int i = 0; i < 3; i++)
    sum[i] += w * u[i];
  sum[3] += w;
}

/* The votes of AL_MAP_INTENSITY (al-metrics.h) over the STFT bins in
 * [lo, hi], framed as al_metrics_covariance frames them. */
static gboolean
intensity_votes (AlPowerMap *map, const AlShSignals *b, double lo, double hi, int frame, int hop, GError **error)
{
  const gsize off = (gsize) MAX (b->latency, 0), n = b->nsamples - off;
  const int nbins = frame / 2 + 1;
  int k0 = CLAMP ((int) ceil (lo * frame / b->fs), 0, nbins - 1);
  int k1 = CLAMP ((int) floor (hi * frame / b->fs), 0, nbins - 1);
  if (k1 < k0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "band %g–%g Hz holds no STFT bin (frame %d at %g Hz)", lo, hi, frame, b->fs);
      return FALSE;
    }
  const int K = k1 - k0 + 1;
  const gsize T = (n + (gsize) (frame - hop) + (gsize) hop - 1) / (gsize) hop;
  /* SN3D: a plane wave from u gives (X, Y, Z) = u·W (ACN 3, 1, 2). */
  const int acn_of[4] = { 0, 3, 1, 2 };
  double gain[4];
  for (int i = 0; i < 4; i++)
    gain[i] = al_sh_norm_factor (al_sh_degree_of (acn_of[i]), b->norm, AL_SH_SN3D);

  g_autofree double *inten = g_new (double, T * K * 3); /* t x k x 3: I = Re{p* v} */
  g_autofree double *energy = g_new (double, T * K);    /* t x k: (|p|² + ‖v‖²)/2 */
  g_autofree double *win = g_new (double, frame);
  g_autofree double *x = g_new (double, frame);
  g_autofree double complex *X = g_new (double complex, nbins);
  g_autofree double complex *P = g_new (double complex, 4 * (gsize) K);
  AlFft *fft = al_fft_new (frame);
  al_window_hann (win, frame, TRUE);
  double wsum2 = 0;
  for (int j = 0; j < frame; j++)
    wsum2 += win[j] * win[j];
  gboolean ok = TRUE;
  for (gsize t = 0; t < T && ok; t++)
    {
      long long start = (long long) (t * (gsize) hop) - (frame - hop);
      long long s0 = MAX (0LL, start), s1 = MIN ((long long) n, start + frame);
      for (int i = 0; i < 4 && ok; i++)
        {
          memset (x, 0, sizeof (double) * frame);
          if (s1 > s0)
            ok = al_metrics_read_double (b, "signals", acn_of[i], off + (gsize) s0, (gsize) (s1 - s0), gain[i],
                                         x + (s0 - start), error);
          for (int j = 0; j < frame; j++)
            x[j] *= win[j];
          al_fft_forward (fft, x, X);
          memcpy (P + (gsize) i * K, X + k0, sizeof (double complex) * K);
        }
      for (int k = 0; k < K; k++)
        {
          double complex p = P[k];
          double *in = inten + 3 * (t * K + k);
          double e = creal (p) * creal (p) + cimag (p) * cimag (p);
          for (int i = 0; i < 3; i++)
            {
              double complex v = P[(gsize) (i + 1) * K + k];
              in[i] = creal (conj (p) * v);
              e += creal (v) * creal (v) + cimag (v) * cimag (v);
            }
          energy[t * K + k] = 0.5 * e;
        }
    }
  al_fft_free (fft);
  if (!ok)
    return FALSE;

  /* Ī and Ē over AL_INTENSITY_FRAMES frames x AL_INTENSITY_BINS bins
   * centred on each bin (fewer at the edges), ψ = 1 − ‖Ī‖/Ē and the
   * direction Ī/‖Ī‖. */
  const int half = AL_INTENSITY_FRAMES / 2, fh = AL_INTENSITY_BINS / 2;
  g_autofree double *ebar = g_new0 (double, T * K);
  g_autofree double *psi = g_new (double, T * K);
  g_autofree double *dir = g_new0 (double, T * K * 3);
  double emax = 0;
  for (gsize t = 0; t < T; t++)
    {
      gsize t0 = t >= (gsize) half ? t - (gsize) half : 0, t1 = MIN (t + (gsize) half, T - 1);
      for (int k = 0; k < K; k++)
        {
          double ib[3] = { 0, 0, 0 }, eb = 0;
          int ka = MAX (k - fh, 0), kb = MIN (k + fh, K - 1);
          for (gsize s = t0; s <= t1; s++)
            for (int q = ka; q <= kb; q++)
              {
                for (int i = 0; i < 3; i++)
                  ib[i] += inten[3 * (s * K + q) + i];
                eb += energy[s * K + q];
              }
          /* ‖Σ I‖ <= Σ E bin by bin, so ψ lies in [0, 1] but for rounding. */
          double norm = sqrt (ib[0] * ib[0] + ib[1] * ib[1] + ib[2] * ib[2]);
          gsize j = t * K + k;
          ebar[j] = eb / (double) ((t1 - t0 + 1) * (kb - ka + 1));
          psi[j] = eb > 0 ? CLAMP (1.0 - norm / eb, 0.0, 1.0) : 1.0;
          for (int i = 0; i < 3 && norm > 0; i++)
            dir[3 * j + i] = ib[i] / norm;
          emax = MAX (emax, ebar[j]);
        }
    }

  /* Bins above the floor: their energy-weighted mean ψ, and the most direct one. */
  const double floor_e = emax * pow (10.0, -AL_INTENSITY_FLOOR_DB / 10.0);
  double psi_sum = 0, e_sum = 0, psi_min = 1;
  for (gsize j = 0; j < T * K && emax > 0; j++)
    if (ebar[j] >= floor_e)
      {
        psi_sum += ebar[j] * psi[j];
        e_sum += ebar[j];
        psi_min = MIN (psi_min, psi[j]);
      }
  map->diffuseness = e_sum > 0 ? psi_sum / e_sum : NAN;
  /* A reverberant field with no bin below the threshold still has its most
   * direct bins; a diffuse one has none below the fallback either. */
  const double psi_max = psi_min < AL_INTENSITY_MAX_DIFFUSENESS ? AL_INTENSITY_MAX_DIFFUSENESS
                                                                 : AL_INTENSITY_FALLBACK_DIFFUSENESS;

  /* The band covariance's scale: one-sided bins count twice, and the sum
   * over frames matches the time-domain sum (al_metrics_covariance). */
  const double scale = hop / (frame * wsum2);
  VoteCells vc = { g_hash_table_new (g_direct_hash, g_direct_equal), g_array_new (FALSE, FALSE, sizeof (double)) };
  for (gsize t = 0; t < T && emax > 0; t++)
    for (int k = 0; k < K; k++)
      {
        gsize j = t * K + k;
        if (!(ebar[j] >= floor_e) || !(psi[j] < psi_max))
          continue;
        int kk = k0 + k;
        double w = (kk == 0 || 2 * kk == frame) ? 1.0 : 2.0;
        vote_add (&vc, dir + 3 * j, scale * w * energy[j] * (1.0 - psi[j]));
      }
  g_hash_table_unref (vc.cells);
  map->nvotes = (int) (vc.sums->len / 4);
  map->votes = (double *) g_array_free (vc.sums, FALSE);
  /* Each cell's vote: its weighted mean direction, its total weight. */
  for (int v = 0; v < map->nvotes; v++)
    {
      double *e = map->votes + 4 * (gsize) v;
      double len = sqrt (e[0] * e[0] + e[1] * e[1] + e[2] * e[2]);
      for (int i = 0; i < 3; i++)
        e[i] = len > 0 ? e[i] / len : 0.0;
    }
  return TRUE;
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
  if ((int) opt->method < AL_MAP_SH || (int) opt->method > AL_MAP_INTENSITY)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "unknown power-map method %d", (int) opt->method);
      return NULL;
    }
  const gboolean intensity = opt->method == AL_MAP_INTENSITY;
  if (grid != NULL && grid->n < AL_METRICS_MIN_GRID)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "power map: grid %s has %d directions; at least %d are needed",
                   grid->name != NULL ? grid->name : "", grid->n, AL_METRICS_MIN_GRID);
      return NULL;
    }
  gboolean band = opt->band_lo > 0 || opt->band_hi > 0;
  double lo = opt->band_lo, hi = opt->band_hi;
  if (intensity && !band)
    {
      /* Bins carry the intensity: the method has no broadband form. */
      lo = AL_INTENSITY_BAND_LO;
      hi = AL_INTENSITY_BAND_HI;
      band = TRUE;
    }
  int frame = 0, hop = 0;
  if (band && (!al_metrics_band (lo, hi, b->fs, &lo, &hi, error)
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
  map->diffuseness = NAN;
  map->band_lo = band ? lo : 0;
  map->band_hi = band ? hi : 0;
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
  if (intensity)
    {
      /* Order 0 holds no intensity: no votes, a map of zeros (as a diffuse
       * field's), so an omni encoder is not localised rather than refused. */
      map->kernel = g_new0 (double, (gsize) b->nch * b->nch);
      if (b->nch >= 4 && !intensity_votes (map, b, lo, hi, frame, hop, error))
        {
          g_prefix_error (error, "%s: ", name);
          return NULL;
        }
    }
  else if (!build_kernel (map, error))
    return NULL;
  al_power_map_evaluate (map, map->dirs, map->ndirs, map->power);
  return g_steal_pointer (&map);
}
