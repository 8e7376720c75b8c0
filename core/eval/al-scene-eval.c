/* al-scene-eval.c — the evaluation of encoders on simulated scenes: each
 * scene rendered once, every encoder run on its mic signals, the metrics of
 * DESIGN.md §5 computed against the truth; scenes in parallel, merged in
 * scene order so the numbers never depend on the thread count.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-metrics-private.h"
#include "al-scene-private.h"

#include <math.h>
#include <string.h>

/* Samples after an ATF's IR in the DGC plane-wave signals (room for the
 * label delay and the encoders' tails beyond the latency). */
#define DGC_PAD 64

static const struct {
  const char *key, *label;
  gboolean higher_better;
} metric_info[AL_SCENE_N_METRICS] = {
  [AL_SCENE_COHERENCE] = { "coherence", "Coherence", TRUE },
  [AL_SCENE_COHERENCE_OCTAVE] = { "coherence_octave", "Coherence (oct.)", TRUE },
  [AL_SCENE_MAGNITUDE_ERROR] = { "magnitude_error_db", "Mag. err. (dB)", FALSE },
  [AL_SCENE_SI_SDR] = { "si_sdr_db", "SI-SDR (dB)", TRUE },
  [AL_SCENE_LSD] = { "lsd_db", "LSD (dB)", FALSE },
  [AL_SCENE_SPME] = { "spme_db", "SPME (dB)", FALSE },
  [AL_SCENE_SPM_KL] = { "spm_kl", "SPM-KL", FALSE },
  [AL_SCENE_DGC] = { "dgc_db", "DGC (dB)", FALSE },
  [AL_SCENE_LOCALISATION] = { "localisation_error_deg", "Loc. err. (°)", FALSE },
};

const char *
al_scene_metric_key (AlSceneMetric m)
{
  g_return_val_if_fail (m >= 0 && m < AL_SCENE_N_METRICS, NULL);
  return metric_info[m].key;
}

const char *
al_scene_metric_label (AlSceneMetric m)
{
  g_return_val_if_fail (m >= 0 && m < AL_SCENE_N_METRICS, NULL);
  return metric_info[m].label;
}

gboolean
al_scene_metric_higher_is_better (AlSceneMetric m)
{
  g_return_val_if_fail (m >= 0 && m < AL_SCENE_N_METRICS, FALSE);
  return metric_info[m].higher_better;
}

void
al_scene_eval_options_init (AlSceneEvalOptions *opt)
{
  g_return_if_fail (opt != NULL);
  memset (opt, 0, sizeof *opt);
  al_metric_options_init (&opt->metric);
  opt->map_method = AL_MAP_SH;
  /* First-order PWD peaks sit tens of degrees off even for the truth in a
   * reverberant room; intensity votes of direct-sound bins do not. */
  opt->doa_method = AL_MAP_INTENSITY;
  opt->map_grid = AL_METRICS_DEFAULT_GRID;
  opt->truth_norm = AL_SH_SN3D;
}

void
al_scene_eval_free (AlSceneEval *ev)
{
  if (ev == NULL)
    return;
  for (int s = 0; s < ev->nscenes && ev->scenes != NULL; s++)
    g_free (ev->scenes[s].source_dirs);
  g_free (ev->scenes);
  for (int e = 0; e < ev->nencoders && ev->encoders != NULL; e++)
    {
      AlSceneEncoderResult *r = &ev->encoders[e];
      g_free (r->name);
      g_free (r->values);
      al_spectral_metric_free (r->coherence);
      al_spectral_metric_free (r->magnitude_error);
      al_power_map_free (r->map);
      g_free (r->signals);
    }
  g_free (ev->encoders);
  al_power_map_free (ev->truth_map);
  g_free (ev->truth);
  g_free (ev);
}

/* ---- One scene ---- */

/* What one scene gives, until it is merged in scene order. */
typedef struct {
  AlSceneInfo info;
  double *values;              /* nenc x AL_SCENE_N_METRICS */
  AlSpectralMetric **coh, **mag; /* nenc */
  AlPowerMap *truth_map;       /* scene 0 only */
  AlPowerMap **maps;           /* scene 0 only: nenc */
  float *truth;                /* scene 0 with keep_signals */
  gsize truth_frames;
  float **signals;             /* scene 0 with keep_signals: nenc */
} SceneOut;

typedef struct {
  const AlAtfSet *atf;
  AlSimArray *arr;
  AlSceneEncoder *const *encoders;
  int nenc, order;
  const AlSceneSet *set;
  AlAudio *const *clips;
  const char *const *clip_names;
  int nclips;
  AlSceneEvalOptions opt;
  AlGrid *grid;
  AlProgress *progress;

  GMutex lock;
  int next, merged, done;
  GError *error;
  SceneOut **pending; /* count */
  AlSceneEval *ev;
  double **coh_sum, **mag_sum; /* nenc: nsh x nbins */
  int **coh_n, **mag_n;
  AlSpectralMetric **shape;    /* nenc: the first scene's metric, for the layout of the means */
} Job;

static void
scene_out_free (SceneOut *so, int nenc)
{
  if (so == NULL)
    return;
  g_free (so->info.source_dirs);
  g_free (so->values);
  for (int e = 0; e < nenc; e++)
    {
      if (so->coh)
        al_spectral_metric_free (so->coh[e]);
      if (so->mag)
        al_spectral_metric_free (so->mag[e]);
      if (so->maps)
        al_power_map_free (so->maps[e]);
      if (so->signals)
        g_free (so->signals[e]);
    }
  g_free (so->coh);
  g_free (so->mag);
  g_free (so->maps);
  g_free (so->signals);
  al_power_map_free (so->truth_map);
  g_free (so->truth);
  g_free (so);
}

/* Mean localisation error of the `n` strongest peaks of map against dirs. */
static double
localisation (const AlPowerMap *map, const double *dirs, int n)
{
  g_autofree AlDoa *doas = g_new (AlDoa, n);
  int found = al_power_map_peaks (map, n, 0, doas);
  if (found <= 0)
    return NAN;
  /* Fewer peaks than sources (merged ones): the strongest stand in. */
  g_autofree double *est = g_new (double, 2 * (gsize) n);
  for (int k = 0; k < n; k++)
    {
      est[2 * k] = doas[k % found].azimuth;
      est[2 * k + 1] = doas[k % found].elevation;
    }
  double mean = NAN;
  if (!al_localisation_error_matched (dirs, n, est, n, NULL, &mean, NULL))
    return NAN;
  return mean;
}

void
al_scene_convert_norm (float *x, int nsh, gsize n, AlShNorm from, AlShNorm to)
{
  if (from == to)
    return;
  for (int c = 0; c < nsh; c++)
    {
      const float g = (float) al_sh_norm_factor (al_sh_degree_of (c), from, to);
      for (gsize i = 0; i < n; i++)
        x[(gsize) c * n + i] *= g;
    }
}

/* Plane waves for the DGC: the direct path and first-order reflections of
 * every source, each the ATF at its grid direction (mics) against
 * Y(Ω)·δ(n − label delay) (truth). */
typedef struct {
  int K, len, nsh;
  float *mics;  /* K x nmics x len */
  float *truth; /* K x nsh x len */
} PlaneWaves;

static gboolean
plane_waves_init (PlaneWaves *pw, const Job *job, const AlSimScene *scene, GError **error)
{
  const AlAtfSet *atf = job->atf;
  AlSimRoom room = scene->room;
  room.max_order = 1;
  room.max_rand_disp = 0;
  g_autoptr (GArray) ks = g_array_new (FALSE, FALSE, sizeof (int));
  for (int s = 0; s < scene->nsources; s++)
    {
      int n = 0;
      g_autofree AlSimImage *img = al_sim_images (&room, scene->sources[s].pos, scene->array_pos, &scene->array_rot,
                                                  &n, error);
      if (img == NULL)
        return FALSE;
      for (int i = 0; i < n; i++)
        {
          int k = al_sim_array_nearest (job->arr, img[i].azimuth, img[i].elevation);
          g_array_append_val (ks, k);
        }
    }
  const int sh_delay = al_sim_array_sh_delay (job->arr);
  pw->K = ks->len;
  pw->len = MAX (atf->ir_len, sh_delay + 1) + DGC_PAD;
  pw->nsh = al_sh_count (job->order);
  pw->mics = g_new0 (float, (gsize) pw->K * atf->nmics * pw->len);
  pw->truth = g_new0 (float, (gsize) pw->K * pw->nsh * pw->len);
  g_autofree double *y = g_new (double, pw->nsh);
  for (int j = 0; j < pw->K; j++)
    {
      const int k = g_array_index (ks, int, j);
      for (int q = 0; q < atf->nmics; q++)
        for (int t = 0; t < atf->ir_len; t++)
          pw->mics[((gsize) j * atf->nmics + q) * pw->len + t]
            = (float) atf->ir[((gsize) k * atf->nmics + q) * atf->ir_len + t];
      al_sh_real (job->order, job->opt.truth_norm, atf->dirs[2 * k], atf->dirs[2 * k + 1], y);
      for (int c = 0; c < pw->nsh; c++)
        pw->truth[((gsize) j * pw->nsh + c) * pw->len + sh_delay] = (float) y[c];
    }
  return TRUE;
}

static void
plane_waves_clear (PlaneWaves *pw)
{
  g_free (pw->mics);
  g_free (pw->truth);
}

static gboolean
dgc_of (const Job *job, const PlaneWaves *pw, const AlSceneEncoder *enc, double *dgc, GError **error)
{
  const int nmics = job->atf->nmics, K = pw->K;
  g_autofree AlShSignals *est = g_new (AlShSignals, K);
  g_autofree AlShSignals *ref = g_new (AlShSignals, K);
  g_autofree float **outs = g_new0 (float *, K);
  gboolean ok = TRUE;
  for (int j = 0; j < K && ok; j++)
    {
      outs[j] = al_scene_encoder_run (enc, pw->mics + (gsize) j * nmics * pw->len, pw->len, error);
      ok = outs[j] != NULL;
      if (!ok)
        break;
      al_scene_convert_norm (outs[j], enc->nsh, pw->len + enc->latency, enc->norm, job->opt.truth_norm);
      est[j] = al_sh_signals_float (outs[j], enc->nsh, pw->len + enc->latency, job->atf->fs, job->opt.truth_norm);
      est[j].latency = enc->latency;
      est[j].name = enc->name;
      ref[j] = al_sh_signals_float (pw->truth + (gsize) j * pw->nsh * pw->len, enc->nsh, pw->len, job->atf->fs,
                                    job->opt.truth_norm);
      ref[j].name = "plane-wave truth";
    }
  ok = ok && al_directional_gain_signals (est, ref, K, NULL, dgc, error);
  for (int j = 0; j < K; j++)
    g_free (outs[j]);
  return ok;
}

static AlPowerMap *
map_of (const Job *job, const AlShSignals *b, AlMapMethod method, int nsources, GError **error)
{
  AlMapOptions mo;
  al_map_options_init (&mo);
  mo.method = method;
  mo.sources = MIN (nsources, b->nch - 1);
  return al_power_map_new (b, job->grid, &mo, error);
}

/* First sample of the truth that any sound reaches: the support of the
 * earliest direct path's fractional-delay filter.  Metrics start there:
 * the silence before it holds nothing to encode and would dilute every
 * metric by an amount that grows with the room. */
static int
scene_onset (const AlSimScene *scene, int sh_delay, gsize n)
{
  gint64 first = G_MAXINT64;
  for (int s = 0; s < scene->nsources; s++)
    {
      double d2 = 0;
      for (int k = 0; k < 3; k++)
        d2 += (scene->sources[s].pos[k] - scene->array_pos[k]) * (scene->sources[s].pos[k] - scene->array_pos[k]);
      const gint64 n0 = (gint64) floor (sqrt (d2) / scene->room.c * scene->fs);
      first = MIN (first, scene->sources[s].start + n0);
    }
  first += sh_delay;
  /* keep at least a few STFT frames whatever the scene */
  return (int) CLAMP (first, 0, (gint64) n / 2);
}

/* The one place where a scene index becomes signals: the evaluation and
 * the takes one listens to (al-scene-audio.c) both come from here. */
AlSimResult *
al_scene_render_index (const AlSimArray *arr, const AlSceneSet *set, int index, double fs, AlAudio *const *clips,
                       const char *const *clip_names, int nclips, AlSimScene **scene_out, AlProgress *progress,
                       GError **error)
{
  const guint32 seed = al_scene_set_seed (set, index);
  g_autoptr (AlSimScene) scene = al_sim_scene_random (&set->spec, seed, fs, clips, clip_names, nclips, error);
  if (scene == NULL)
    return NULL;
  AlSimResult *res = al_sim_render (arr, scene, progress, error);
  if (res != NULL && scene_out != NULL)
    *scene_out = g_steal_pointer (&scene);
  return res;
}

/* The encoder-independent part: scene, render, truth maps. */
static SceneOut *
eval_scene (Job *job, int index, GError **error)
{
  const double fs = job->atf->fs;
  const guint32 seed = al_scene_set_seed (job->set, index);
  g_autoptr (AlSimScene) scene = NULL;
  g_autoptr (AlSimResult) res = al_scene_render_index (job->arr, job->set, index, fs, job->clips, job->clip_names,
                                                       job->nclips, &scene, NULL, error);
  if (res == NULL)
    return NULL;

  SceneOut *so = g_new0 (SceneOut, 1);
  const int nenc = job->nenc;
  so->values = g_new (double, (gsize) nenc * AL_SCENE_N_METRICS);
  so->coh = g_new0 (AlSpectralMetric *, nenc);
  so->mag = g_new0 (AlSpectralMetric *, nenc);
  AlSceneInfo *info = &so->info;
  info->seed = seed;
  memcpy (info->room, scene->room.size, sizeof info->room);
  for (int w = 0; w < 6; w++)
    info->absorption += scene->room.absorption[w] / 6;
  info->rt60 = al_sim_room_rt60_eyring (&scene->room);
  info->nsources = scene->nsources;
  info->source_dirs = al_scene_source_dirs (job->arr, job->atf, scene);

  const gsize n = (gsize) res->nframes;
  info->duration = n / fs;
  info->onset = scene_onset (scene, al_sim_array_sh_delay (job->arr), n);
  AlShSignals truth = al_sh_signals_float (res->sh, res->nsh, n, fs, job->opt.truth_norm);
  truth.name = "truth";
  truth.latency = info->onset;
  /* Truth maps per order (encoders may differ in order): [order] */
  g_autofree AlPowerMap **tmaps = g_new0 (AlPowerMap *, job->order + 1);
  PlaneWaves pw = { 0 };
  gboolean ok = plane_waves_init (&pw, job, scene, error);

  /* The truth's own DOA error: how far the map method itself is from the answer. */
  if (ok)
    {
      g_autoptr (AlPowerMap) tdoa = map_of (job, &truth, job->opt.doa_method, scene->nsources, error);
      ok = tdoa != NULL;
      if (ok)
        info->truth_localisation = localisation (tdoa, info->source_dirs, scene->nsources);
    }
  if (ok && index == 0)
    {
      so->maps = g_new0 (AlPowerMap *, nenc);
      so->truth_map = map_of (job, &truth, job->opt.map_method, scene->nsources, error);
      ok = so->truth_map != NULL;
      if (ok && job->opt.keep_signals)
        {
          so->truth = g_memdup2 (res->sh, sizeof (float) * res->nsh * n);
          so->truth_frames = n;
          so->signals = g_new0 (float *, nenc);
        }
    }

  for (int e = 0; e < nenc && ok; e++)
    {
      const AlSceneEncoder *enc = job->encoders[e];
      double *v = so->values + (gsize) e * AL_SCENE_N_METRICS;
      const gsize nout = n + (gsize) enc->latency;
      g_autofree float *out = al_scene_encoder_run (enc, res->mic, n, error);
      if (out == NULL)
        {
          ok = FALSE;
          break;
        }
      al_scene_convert_norm (out, enc->nsh, nout, enc->norm, job->opt.truth_norm);
      AlShSignals est = al_sh_signals_float (out, enc->nsh, nout, fs, job->opt.truth_norm);
      est.latency = enc->latency + info->onset;
      est.name = enc->name;
      AlShSignals ref = truth;
      ref.nch = enc->nsh; /* planar: the first channels are the lower orders */

      if (tmaps[enc->order] == NULL)
        ok = (tmaps[enc->order] = map_of (job, &ref, job->opt.map_method, scene->nsources, error)) != NULL;
      so->coh[e] = ok ? al_coherence_per_channel (&est, &ref, &job->opt.metric, error) : NULL;
      so->mag[e] = so->coh[e] ? al_magnitude_error (&est, &ref, &job->opt.metric, error) : NULL;
      ok = so->mag[e] != NULL && al_si_sdr (&est, &ref, NULL, &v[AL_SCENE_SI_SDR], error)
           && al_lsd (&est, &ref, &job->opt.metric, NULL, &v[AL_SCENE_LSD], error);
      if (!ok)
        break;
      v[AL_SCENE_COHERENCE] = so->coh[e]->mean;
      v[AL_SCENE_COHERENCE_OCTAVE] = so->coh[e]->mean_octave;
      v[AL_SCENE_MAGNITUDE_ERROR] = so->mag[e]->mean;

      g_autoptr (AlPowerMap) map = map_of (job, &est, job->opt.map_method, scene->nsources, error);
      ok = map != NULL && al_spme (map, tmaps[enc->order], &v[AL_SCENE_SPME], error)
           && al_spm_kl (map, tmaps[enc->order], &v[AL_SCENE_SPM_KL], error);
      if (!ok)
        break;
      if (job->opt.doa_method == job->opt.map_method)
        v[AL_SCENE_LOCALISATION] = localisation (map, info->source_dirs, scene->nsources);
      else
        {
          g_autoptr (AlPowerMap) dmap = map_of (job, &est, job->opt.doa_method, scene->nsources, error);
          ok = dmap != NULL;
          if (!ok)
            break;
          v[AL_SCENE_LOCALISATION] = localisation (dmap, info->source_dirs, scene->nsources);
        }
      ok = dgc_of (job, &pw, enc, &v[AL_SCENE_DGC], error);
      if (ok && so->maps != NULL)
        so->maps[e] = g_steal_pointer (&map);
      if (ok && so->signals != NULL)
        so->signals[e] = g_steal_pointer (&out);
      if (!ok)
        g_prefix_error (error, "encoder %s: ", enc->name);
    }
  plane_waves_clear (&pw);
  for (int o = 0; o <= job->order; o++)
    al_power_map_free (tmaps[o]);
  if (!ok)
    {
      g_prefix_error (error, "scene %d (seed %u): ", index + 1, seed);
      scene_out_free (so, nenc);
      return NULL;
    }
  return so;
}

/* ---- Merging in scene order ---- */

static void
accumulate_curves (const AlSpectralMetric *m, double **sum, int **count, AlSpectralMetric **shape)
{
  const gsize n = (gsize) m->nch * m->nbins;
  if (*sum == NULL)
    {
      *sum = g_new0 (double, n);
      *count = g_new0 (int, n);
      *shape = al_spectral_metric_alloc (m->nch, m->frame, m->hop, m->fs, m->band_lo, m->band_hi);
    }
  for (gsize i = 0; i < n; i++)
    if (isfinite (m->per_channel[i]))
      {
        (*sum)[i] += m->per_channel[i];
        (*count)[i]++;
      }
}

/* Called with the lock held: folds every finished scene that is next in
 * order into the result. */
static void
merge_ready (Job *job)
{
  AlSceneEval *ev = job->ev;
  while (job->merged < job->set->count && job->pending[job->merged] != NULL)
    {
      const int s = job->merged;
      SceneOut *so = job->pending[s];
      ev->scenes[s] = so->info;
      so->info.source_dirs = NULL;
      for (int e = 0; e < job->nenc; e++)
        {
          memcpy (ev->encoders[e].values + (gsize) s * AL_SCENE_N_METRICS,
                  so->values + (gsize) e * AL_SCENE_N_METRICS, sizeof (double) * AL_SCENE_N_METRICS);
          /* magnitude error uses the same layout; its shape comes with the coherence's */
          AlSpectralMetric *unused = NULL;
          accumulate_curves (so->coh[e], &job->coh_sum[e], &job->coh_n[e], &job->shape[e]);
          accumulate_curves (so->mag[e], &job->mag_sum[e], &job->mag_n[e], &unused);
          al_spectral_metric_free (unused);
          if (so->maps != NULL)
            ev->encoders[e].map = g_steal_pointer (&so->maps[e]);
          if (so->signals != NULL)
            ev->encoders[e].signals = g_steal_pointer (&so->signals[e]);
        }
      if (so->truth_map != NULL)
        ev->truth_map = g_steal_pointer (&so->truth_map);
      if (so->truth != NULL)
        {
          ev->truth = g_steal_pointer (&so->truth);
          ev->truth_frames = so->truth_frames;
        }
      scene_out_free (so, job->nenc);
      job->pending[s] = NULL;
      job->merged++;
    }
}

static AlSpectralMetric *
mean_curves (const AlSpectralMetric *shape, const double *sum, const int *count)
{
  AlSpectralMetric *m = al_spectral_metric_alloc (shape->nch, shape->frame, shape->hop, shape->fs, shape->band_lo,
                                                  shape->band_hi);
  for (gsize i = 0; i < (gsize) m->nch * m->nbins; i++)
    m->per_channel[i] = count[i] > 0 ? sum[i] / count[i] : NAN;
  al_spectral_metric_summarise (m);
  return m;
}

static gpointer
worker (gpointer data)
{
  Job *job = data;
  for (;;)
    {
      g_mutex_lock (&job->lock);
      if (job->error != NULL || job->next >= job->set->count)
        {
          g_mutex_unlock (&job->lock);
          break;
        }
      const int index = job->next++;
      g_mutex_unlock (&job->lock);

      GError *error = NULL;
      SceneOut *so = NULL;
      if (!al_progress_cancelled (job->progress, &error))
        so = eval_scene (job, index, &error);

      g_mutex_lock (&job->lock);
      if (so == NULL)
        {
          if (job->error == NULL)
            job->error = error;
          else
            g_error_free (error);
        }
      else
        {
          job->pending[index] = so;
          merge_ready (job);
          job->done++;
          g_autofree char *msg = g_strdup_printf ("scene %d of %d", job->done, job->set->count);
          al_progress_report (job->progress, (double) job->done / job->set->count, msg);
        }
      g_mutex_unlock (&job->lock);
    }
  return NULL;
}

gboolean
al_scene_check_encoders (const AlAtfSet *atf, AlSceneEncoder *const *encoders, int nencoders, GError **error)
{
  const char *name = atf->source ? atf->source : "ATF set";
  if (nencoders < 1)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "no encoders to evaluate");
      return FALSE;
    }
  for (int e = 0; e < nencoders; e++)
    {
      const AlSceneEncoder *enc = encoders[e];
      if (enc->nmics != atf->nmics)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH, "encoder %s expects %d microphones but %s has %d",
                       enc->name, enc->nmics, name, atf->nmics);
          return FALSE;
        }
      if (fabs (enc->fs - atf->fs) > 1e-6 * atf->fs)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH, "encoder %s is for %g Hz but %s is at %g Hz", enc->name,
                       enc->fs, name, atf->fs);
          return FALSE;
        }
      for (int f = 0; f < e; f++)
        if (strcmp (encoders[f]->name, enc->name) == 0)
          {
            g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "two encoders are named %s", enc->name);
            return FALSE;
          }
    }
  return TRUE;
}

int
al_scene_truth_order (AlSceneEncoder *const *encoders, int nencoders)
{
  int order = 0;
  for (int e = 0; e < nencoders; e++)
    order = MAX (order, encoders[e]->order);
  return order;
}

static gboolean
check_inputs (const AlAtfSet *atf, AlSceneEncoder *const *encoders, int nencoders, const AlSceneSet *set,
              const AlSceneEvalOptions *opt, GError **error)
{
  if (!al_scene_check_encoders (atf, encoders, nencoders, error))
    return FALSE;
  if (set->count < 1)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "scene spec: count must be at least 1");
      return FALSE;
    }
  if (opt->map_grid < AL_METRICS_MIN_GRID)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "power-map grid of %d directions is below the %d required",
                   opt->map_grid, AL_METRICS_MIN_GRID);
      return FALSE;
    }
  return TRUE;
}

AlSceneEval *
al_scene_evaluate (const AlAtfSet *atf, AlSceneEncoder *const *encoders, int nencoders, const AlSceneSet *set,
                   AlAudio *const *clips, const char *const *clip_names, int nclips, const AlSceneEvalOptions *opt,
                   AlProgress *progress, GError **error)
{
  g_return_val_if_fail (atf != NULL && set != NULL, NULL);
  const gint64 t0 = g_get_monotonic_time ();
  AlSceneEvalOptions defaults;
  if (opt == NULL)
    {
      al_scene_eval_options_init (&defaults);
      opt = &defaults;
    }
  if (!al_atf_set_validate (atf, atf->source, error) || !check_inputs (atf, encoders, nencoders, set, opt, error))
    return NULL;

  Job job = { 0 };
  job.atf = atf;
  job.encoders = encoders;
  job.nenc = nencoders;
  job.set = set;
  job.clips = clips;
  job.clip_names = clip_names;
  job.nclips = nclips;
  job.opt = *opt;
  job.progress = progress;
  job.order = al_scene_truth_order (encoders, nencoders);

  int nthreads = opt->nthreads > 0 ? opt->nthreads : MIN ((int) g_get_num_processors (), 2);
  nthreads = CLAMP (MIN (nthreads, set->count), 1, 64);
  /* Scenes in parallel; each render gets the processors left over. */
  const int sim_threads = MAX (1, (int) g_get_num_processors () / nthreads);
  job.arr = al_scene_sim_array_new (atf, job.order, opt->truth_norm, sim_threads, error);
  if (job.arr == NULL)
    return NULL;
  job.grid = al_grid_fibonacci (opt->map_grid);

  AlSceneEval *ev = g_new0 (AlSceneEval, 1);
  ev->nscenes = set->count;
  ev->nencoders = nencoders;
  ev->fs = atf->fs;
  ev->order = job.order;
  ev->truth_norm = opt->truth_norm;
  ev->set = *set;
  ev->options = *opt;
  ev->scenes = g_new0 (AlSceneInfo, set->count);
  ev->encoders = g_new0 (AlSceneEncoderResult, nencoders);
  for (int e = 0; e < nencoders; e++)
    {
      AlSceneEncoderResult *r = &ev->encoders[e];
      r->name = g_strdup (encoders[e]->name);
      r->order = encoders[e]->order;
      r->nsh = encoders[e]->nsh;
      r->latency = encoders[e]->latency;
      r->values = g_new (double, (gsize) set->count * AL_SCENE_N_METRICS);
    }
  job.ev = ev;
  job.pending = g_new0 (SceneOut *, set->count);
  job.coh_sum = g_new0 (double *, nencoders);
  job.mag_sum = g_new0 (double *, nencoders);
  job.coh_n = g_new0 (int *, nencoders);
  job.mag_n = g_new0 (int *, nencoders);
  job.shape = g_new0 (AlSpectralMetric *, nencoders);
  g_mutex_init (&job.lock);

  al_progress_report (progress, 0, "simulating scenes");
  g_autofree GThread **threads = g_new0 (GThread *, nthreads);
  for (int t = 1; t < nthreads; t++)
    threads[t] = g_thread_new ("al-scene-eval", worker, &job);
  worker (&job);
  for (int t = 1; t < nthreads; t++)
    g_thread_join (threads[t]);
  g_mutex_clear (&job.lock);

  gboolean ok = job.error == NULL;
  if (!ok)
    g_propagate_error (error, job.error);
  for (int s = 0; s < set->count; s++)
    scene_out_free (job.pending[s], nencoders);
  for (int e = 0; e < nencoders; e++)
    {
      AlSceneEncoderResult *r = &ev->encoders[e];
      if (ok)
        {
          r->coherence = mean_curves (job.shape[e], job.coh_sum[e], job.coh_n[e]);
          r->magnitude_error = mean_curves (job.shape[e], job.mag_sum[e], job.mag_n[e]);
          for (int m = 0; m < AL_SCENE_N_METRICS; m++)
            r->stats[m] = al_stat_compute (r->values + m, set->count, AL_SCENE_N_METRICS);
        }
      g_free (job.coh_sum[e]);
      g_free (job.mag_sum[e]);
      g_free (job.coh_n[e]);
      g_free (job.mag_n[e]);
      al_spectral_metric_free (job.shape[e]);
    }
  if (ok)
    {
      g_autofree double *tl = g_new (double, set->count);
      for (int s = 0; s < set->count; s++)
        tl[s] = ev->scenes[s].truth_localisation;
      ev->truth_localisation = al_stat_compute (tl, set->count, 1);
    }
  g_free (job.pending);
  g_free (job.coh_sum);
  g_free (job.mag_sum);
  g_free (job.coh_n);
  g_free (job.mag_n);
  g_free (job.shape);
  al_grid_free (job.grid);
  al_sim_array_free (job.arr);
  if (!ok)
    {
      al_scene_eval_free (ev);
      return NULL;
    }
  ev->seconds = (g_get_monotonic_time () - t0) * 1e-6;
  al_progress_report (progress, 1, "evaluated");
  return ev;
}
