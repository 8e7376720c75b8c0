/* al-map-track.c — power maps frame by frame, their peaks and the
 * first-order intensity DOA, and peaks linked into tracks across frames.
 *
 * Each frame is copied out of the signals and handed to al_power_map_new,
 * so a frame's map is exactly the library's map of those samples (the CLI
 * test relies on that).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-map-track.h"
#include "al-metrics-private.h"

#include <math.h>
#include <string.h>

#define DEFAULT_FRAME_S 0.1
#define DEFAULT_HOP_S 0.05
#define DEFAULT_PEAKS 2
#define DEFAULT_FLOOR_DB 30.0
#define DEFAULT_RANGE_DB 10.0
#define DEFAULT_GATE AL_DEG2RAD (15.0)
#define DEFAULT_SEPARATION AL_DEG2RAD (20.0) /* as al_power_map_peaks */
#define DEFAULT_MAX_GAP 2
#define DEFAULT_MIN_FRAMES 3
/* Candidate peaks per kept peak: side lobes of PWD maps can outrank a weaker source. */
#define CANDIDATES_PER_PEAK 3

void
al_map_track_options_init (AlMapTrackOptions *opt)
{
  g_return_if_fail (opt != NULL);
  memset (opt, 0, sizeof *opt);
  al_map_options_init (&opt->map);
  opt->map.method = AL_MAP_PWD;
  opt->frame_s = DEFAULT_FRAME_S;
  opt->hop_s = DEFAULT_HOP_S;
  opt->grid = AL_METRICS_DEFAULT_GRID;
  opt->max_peaks = DEFAULT_PEAKS;
  opt->floor_db = DEFAULT_FLOOR_DB;
  opt->peak_range_db = DEFAULT_RANGE_DB;
  opt->gate = DEFAULT_GATE;
  opt->max_gap = DEFAULT_MAX_GAP;
  opt->min_frames = DEFAULT_MIN_FRAMES;
}

void
al_map_track_free (AlMapTrack *mt)
{
  if (mt == NULL)
    return;
  g_free (mt->grid_name);
  g_free (mt->dirs);
  g_free (mt->times);
  g_free (mt->power);
  g_free (mt->energy);
  g_free (mt->active);
  g_free (mt->npeaks);
  g_free (mt->peaks);
  g_free (mt->track_of);
  g_free (mt->intensity);
  g_free (mt->diffuseness);
  g_free (mt->tracks);
  g_free (mt);
}

const float *
al_map_track_frame (const AlMapTrack *mt, int frame)
{
  g_return_val_if_fail (mt != NULL && frame >= 0 && frame < mt->nframes, NULL);
  return mt->power + (gsize) frame * mt->ndirs;
}

int
al_map_track_frame_at (const AlMapTrack *mt, double time_s)
{
  g_return_val_if_fail (mt != NULL && mt->nframes > 0, 0);
  if (!isfinite (time_s) || mt->nframes == 1)
    return 0;
  /* Centres are evenly spaced by the hop. */
  double f = (time_s - mt->times[0]) * mt->fs / mt->hop;
  return (int) CLAMP (lround (f), 0, mt->nframes - 1);
}

gboolean
al_map_track_point (const AlMapTrack *mt, int id, int frame, AlDoa *doa)
{
  g_return_val_if_fail (mt != NULL && frame >= 0 && frame < mt->nframes, FALSE);
  for (int k = 0; k < mt->npeaks[frame]; k++)
    if (id > 0 && mt->track_of[(gsize) frame * mt->max_peaks + k] == id)
      {
        if (doa != NULL)
          *doa = mt->peaks[(gsize) frame * mt->max_peaks + k];
        return TRUE;
      }
  return FALSE;
}

/* Fraction of a beam map's peak that a plane wave from (az_i, el_i) leaves
 * at (az, el): (aᵀa_i)² / (a_iᵀa_i)², a the method's steering vector.  For
 * PWD and SH maps, whose value is a quadratic form of R, a single source
 * maps to exactly this pattern. */
static double
beam_leak (const AlPowerMap *map, double az, double el, double az_i, double el_i, double *y, double *y_i)
{
  AlShNorm norm = map->method == AL_MAP_SH ? map->norm : AL_SH_N3D;
  al_sh_real (map->order, norm, az, el, y);
  al_sh_real (map->order, norm, az_i, el_i, y_i);
  double d = 0, n = 0;
  for (int c = 0; c < map->nsh; c++)
    {
      d += y[c] * y_i[c];
      n += y_i[c] * y_i[c];
    }
  return n > 0 ? (d * d) / (n * n) : 0.0;
}

/* The frame's peaks: candidates from the map, a side-lobe correction for
 * beam maps, then those within range_db of the strongest, at most K. */
static int
frame_peaks (const AlPowerMap *map, int K, double separation, double range_db, AlDoa *out)
{
  int ncand = CANDIDATES_PER_PEAK * K;
  g_autofree AlDoa *cand = g_new (AlDoa, ncand);
  g_autofree double *own = g_new (double, ncand);
  g_autofree double *y = g_new (double, map->nsh);
  g_autofree double *y_i = g_new (double, map->nsh);
  int n = al_power_map_peaks (map, ncand, separation, cand);
  if (n == 0)
    return 0;
  gboolean beam = map->method == AL_MAP_PWD || map->method == AL_MAP_SH;
  double limit = cand[0].power * pow (10.0, -range_db / 10.0);
  int kept = 0;
  if (!(separation > 0))
    separation = DEFAULT_SEPARATION;
  for (int k = 0; k < n && kept < K; k++)
    {
      /* Grid maxima on the shoulder of a peak climb to the same summit when
       * refined: keep the summit once. */
      gboolean dup = FALSE;
      for (int i = 0; i < kept && !dup; i++)
        dup = al_angle_between (cand[k].azimuth, cand[k].elevation, out[i].azimuth, out[i].elevation) < separation;
      if (dup)
        continue;
      /* Power left at this peak once the stronger kept peaks' beams are taken away. */
      double p = cand[k].power;
      for (int i = 0; beam && i < kept; i++)
        p -= own[i] * beam_leak (map, cand[k].azimuth, cand[k].elevation, out[i].azimuth, out[i].elevation, y, y_i);
      if (!(p >= limit))
        continue;
      own[kept] = p;
      out[kept++] = cand[k];
    }
  return kept;
}

typedef struct {
  int first, last, npoints;
  double az, el;  /* last DOA */
} RawTrack;

typedef struct {
  double angle;
  int track, peak;
} Pair;

static int
by_angle (gconstpointer a, gconstpointer b)
{
  double x = ((const Pair *) a)->angle, y = ((const Pair *) b)->angle;
  return x < y ? -1 : x > y ? 1 : 0;
}

void
al_map_track_relink (AlMapTrack *mt, double gate, int max_gap, int min_frames)
{
  g_return_if_fail (mt != NULL);
  mt->options.gate = gate > 0 ? gate : DEFAULT_GATE;
  mt->options.max_gap = MAX (max_gap, 0);
  mt->options.min_frames = MAX (min_frames, 1);
  const int K = mt->max_peaks;
  g_autoptr (GArray) raw = g_array_new (FALSE, FALSE, sizeof (RawTrack));
  g_autoptr (GArray) pairs = g_array_new (FALSE, FALSE, sizeof (Pair));
  g_autofree int *raw_of = g_new (int, (gsize) mt->nframes * K);
  for (int f = 0; f < mt->nframes; f++)
    {
      int np = mt->npeaks[f];
      const AlDoa *pk = mt->peaks + (gsize) f * K;
      int *of = raw_of + (gsize) f * K;
      /* Nearest-angle association: every live track–peak pair inside the
       * gate, closest first, each track and peak used once. */
      g_array_set_size (pairs, 0);
      for (guint t = 0; t < raw->len; t++)
        {
          const RawTrack *tr = &g_array_index (raw, RawTrack, t);
          if (f - tr->last > mt->options.max_gap + 1)
            continue;
          for (int k = 0; k < np; k++)
            {
              Pair p = { al_angle_between (tr->az, tr->el, pk[k].azimuth, pk[k].elevation), (int) t, k };
              if (p.angle <= mt->options.gate)
                g_array_append_val (pairs, p);
            }
        }
      g_array_sort (pairs, by_angle);
      for (int k = 0; k < K; k++)
        of[k] = -1;
      for (guint i = 0; i < pairs->len; i++)
        {
          const Pair *p = &g_array_index (pairs, Pair, i);
          RawTrack *tr = &g_array_index (raw, RawTrack, p->track);
          if (of[p->peak] >= 0 || tr->last == f)
            continue;
          of[p->peak] = p->track;
          tr->last = f;
          tr->npoints++;
          tr->az = pk[p->peak].azimuth;
          tr->el = pk[p->peak].elevation;
        }
      for (int k = 0; k < np; k++)
        if (of[k] < 0)
          {
            RawTrack tr = { f, f, 1, pk[k].azimuth, pk[k].elevation };
            of[k] = (int) raw->len;
            g_array_append_val (raw, tr);
          }
    }

  /* Short tracks are noise; the rest are numbered in the order they start. */
  g_autofree int *id_of = g_new (int, MAX (raw->len, 1));
  g_clear_pointer (&mt->tracks, g_free);
  mt->ntracks = 0;
  for (guint t = 0; t < raw->len; t++)
    id_of[t] = g_array_index (raw, RawTrack, t).npoints >= mt->options.min_frames ? ++mt->ntracks : 0;
  mt->tracks = g_new0 (AlDoaTrack, MAX (mt->ntracks, 1));
  for (guint t = 0; t < raw->len; t++)
    if (id_of[t] > 0)
      {
        const RawTrack *tr = &g_array_index (raw, RawTrack, t);
        mt->tracks[id_of[t] - 1] = (AlDoaTrack) { id_of[t], tr->first, tr->last, tr->npoints };
      }
  for (int f = 0; f < mt->nframes; f++)
    for (int k = 0; k < K; k++)
      {
        gsize i = (gsize) f * K + k;
        mt->track_of[i] = k < mt->npeaks[f] && raw_of[i] >= 0 ? id_of[raw_of[i]] : 0;
      }
}

static gboolean
resolve_options (AlMapTrackOptions *o, const AlShSignals *b, int nch, const char *name, GError **error)
{
  if (!(o->frame_s > 0) || !isfinite (o->frame_s) || !(o->hop_s > 0) || !isfinite (o->hop_s))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "%s: frame %g s and hop %g s must be positive", name, o->frame_s, o->hop_s);
      return FALSE;
    }
  if (lround (o->frame_s * b->fs) < 1 || lround (o->hop_s * b->fs) < 1)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "%s: frame %g s or hop %g s is shorter than a sample at %g Hz", name, o->frame_s, o->hop_s,
                   b->fs);
      return FALSE;
    }
  if (o->grid <= 0)
    o->grid = AL_METRICS_DEFAULT_GRID;
  if (o->grid < AL_METRICS_MIN_GRID)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "%s: a map grid of %d directions is too coarse; at least %d are needed", name, o->grid,
                   AL_METRICS_MIN_GRID);
      return FALSE;
    }
  if (o->max_peaks < 0 || o->max_peaks > 64)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "%s: %d peaks per frame (0 to 64)", name,
                   o->max_peaks);
      return FALSE;
    }
  if (o->map.sources <= 0)
    o->map.sources = MAX (o->max_peaks, 1);
  if (o->map.method == AL_MAP_MUSIC && o->map.sources >= nch)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "%s: MUSIC with %d sources needs more than %d SH channels (a higher order or fewer peaks)", name,
                   o->map.sources, nch);
      return FALSE;
    }
  if (!(o->floor_db > 0))
    o->floor_db = DEFAULT_FLOOR_DB;
  if (!(o->peak_range_db > 0))
    o->peak_range_db = DEFAULT_RANGE_DB;
  if (!(o->gate > 0))
    o->gate = DEFAULT_GATE;
  o->max_gap = MAX (o->max_gap, 0);
  o->min_frames = MAX (o->min_frames, 1);
  return TRUE;
}

AlMapTrack *
al_map_track_new (const AlShSignals *b, const AlMapTrackOptions *opt, AlProgress *progress, GError **error)
{
  AlMapTrackOptions o;
  if (opt != NULL)
    o = *opt;
  else
    al_map_track_options_init (&o);
  if (!al_metrics_check_signals (b, "signals", error))
    return NULL;
  const char *name = al_metrics_signal_name (b, "signals");
  const int C = b->nch;
  int order = (int) lround (sqrt ((double) C)) - 1;
  if (order < 0 || al_sh_count (order) != C)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "%s: %d channels is not a full SH order ((N+1)² channels)", name, C);
      return NULL;
    }
  if ((int) o.map.method < AL_MAP_SH || (int) o.map.method > AL_MAP_INTENSITY)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "unknown power-map method %d", (int) o.map.method);
      return NULL;
    }
  if (!resolve_options (&o, b, C, name, error))
    return NULL;
  gboolean band = o.map.band_lo > 0 || o.map.band_hi > 0;
  double lo = 0, hi = 0;
  int sframe = 0, shop = 0;
  if (band && (!al_metrics_band (o.map.band_lo, o.map.band_hi, b->fs, &lo, &hi, error)
               || !al_metrics_stft_params (o.map.frame, o.map.hop, b->fs, &sframe, &shop, error)))
    {
      g_prefix_error (error, "%s: ", name);
      return NULL;
    }
  gsize off = (gsize) MAX (b->latency, 0);
  gsize n = b->nsamples > off ? b->nsamples - off : 0;
  if (n == 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "%s: no samples after the latency of %d", name,
                   b->latency);
      return NULL;
    }

  g_autoptr (AlMapTrack) mt = g_new0 (AlMapTrack, 1);
  mt->options = o;
  mt->method = o.map.method;
  mt->order = order;
  mt->nsh = C;
  mt->norm = b->norm;
  mt->fs = b->fs;
  mt->band_lo = lo;
  mt->band_hi = hi;
  mt->frame_len = (int) lround (o.frame_s * b->fs);
  mt->hop = (int) lround (o.hop_s * b->fs);
  mt->nframes = n >= (gsize) mt->frame_len ? 1 + (int) ((n - mt->frame_len) / mt->hop) : 1;
  g_autoptr (AlGrid) grid = al_grid_fibonacci (o.grid);
  mt->ndirs = grid->n;
  mt->grid_name = g_strdup (grid->name);
  mt->dirs = g_memdup2 (grid->dirs, sizeof (double) * 2 * grid->n);
  mt->times = g_new (double, mt->nframes);
  mt->power = g_new0 (float, (gsize) mt->nframes * mt->ndirs);
  mt->energy = g_new0 (double, mt->nframes);
  mt->active = g_new0 (gboolean, mt->nframes);
  mt->max_peaks = o.max_peaks;
  mt->npeaks = g_new0 (int, mt->nframes);
  mt->peaks = g_new0 (AlDoa, (gsize) mt->nframes * MAX (o.max_peaks, 1));
  mt->track_of = g_new0 (int, (gsize) mt->nframes * MAX (o.max_peaks, 1));
  mt->has_intensity = C >= 4;
  if (mt->has_intensity)
    {
      mt->intensity = g_new (AlDoa, mt->nframes);
      mt->diffuseness = g_new (double, mt->nframes);
    }

  int L = (int) MIN ((gsize) mt->frame_len, n);
  g_autofree float *buf = g_new (float, (gsize) C * L);
  g_autofree double *R = g_new (double, (gsize) C * C);
  AlMapOptions mopt = o.map;
  for (int f = 0; f < mt->nframes; f++)
    {
      if (al_progress_cancelled (progress, error))
        return NULL;
      gsize start = (gsize) f * mt->hop;
      int len = (int) MIN ((gsize) L, n - start);
      mt->times[f] = (start + 0.5 * len) / b->fs;
      for (int c = 0; c < C; c++)
        if (!al_metrics_read_float (b, "signals", c, off + start, len, 1.0, buf + (gsize) c * len, error))
          return NULL;
      AlShSignals view = al_sh_signals_float (buf, C, len, b->fs, b->norm);
      view.name = name;
      if (!al_metrics_covariance (&view, C, band, lo, hi, sframe, shop, R, error))
        return NULL;
      double trace = 0;
      for (int c = 0; c < C; c++)
        trace += R[(gsize) c * C + c];
      mt->energy[f] = trace / len;
      if (mt->has_intensity)
        {
          mt->intensity[f] = (AlDoa) { NAN, NAN, 0 };
          mt->diffuseness[f] = NAN;
        }
      if (trace > 0)
        {
          g_autoptr (AlPowerMap) map = al_power_map_new (&view, grid, &mopt, error);
          if (map == NULL)
            {
              g_prefix_error (error, "frame at %.3f s: ", mt->times[f]);
              return NULL;
            }
          float *row = mt->power + (gsize) f * mt->ndirs;
          for (int j = 0; j < mt->ndirs; j++)
            row[j] = (float) map->power[j];
          if (o.max_peaks > 0)
            mt->npeaks[f] = frame_peaks (map, o.max_peaks, o.min_separation, o.peak_range_db,
                                         mt->peaks + (gsize) f * o.max_peaks);
          /* No intensity (a perfectly diffuse frame) is not an error of the recording. */
          if (mt->has_intensity
              && !al_doa_intensity (&view, band ? lo : 0, band ? hi : 0, &mt->intensity[f], &mt->diffuseness[f],
                                    NULL))
            {
              mt->intensity[f] = (AlDoa) { NAN, NAN, 0 };
              mt->diffuseness[f] = NAN;
            }
        }
      al_progress_report (progress, (f + 1.0) / mt->nframes, "power maps");
    }

  /* Quiet frames (relative to the loudest) keep their maps but give no DOAs. */
  double emax = 0;
  for (int f = 0; f < mt->nframes; f++)
    emax = MAX (emax, mt->energy[f]);
  double floor = emax * pow (10.0, -o.floor_db / 10.0);
  for (int f = 0; f < mt->nframes; f++)
    {
      mt->active[f] = mt->energy[f] > 0 && mt->energy[f] >= floor;
      if (mt->active[f])
        continue;
      mt->npeaks[f] = 0;
      if (mt->has_intensity)
        {
          mt->intensity[f] = (AlDoa) { NAN, NAN, 0 };
          mt->diffuseness[f] = NAN;
        }
    }
  mt->power_max = 0;
  for (gsize i = 0; i < (gsize) mt->nframes * mt->ndirs; i++)
    mt->power_max = MAX (mt->power_max, mt->power[i]);
  al_map_track_relink (mt, o.gate, o.max_gap, o.min_frames);
  return g_steal_pointer (&mt);
}
