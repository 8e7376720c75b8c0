/* al-sim-mix.c — rendering a scene: RIRs per source, the dry signals
 * convolved with them by one FFT per signal and channel, then diffuse and
 * sensor noise at the asked SNRs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-sim-private.h"

#include <math.h>
#include <string.h>

typedef struct {
  const AlSimArray *arr;
  const AlSimScene *scene;
  AlSimResult *res;
  int nfft, nbins;
  float complex **X; /* per source: spectrum of its placed, scaled dry signal */
} Mix;

/* The source's excerpt, scaled and placed at its start, transformed. */
static void
source_spectrum_task (int s, gpointer data)
{
  Mix *mix = data;
  const AlSimSource *src = &mix->scene->sources[s];
  const AlAudio *a = src->audio;
  const gint64 n = MIN (a->nframes - src->offset, mix->res->nframes - src->start);
  const float gain = (float) pow (10, src->gain_db / 20);
  AlFftf *fft = al_fftf_new (mix->nfft);
  float *x = g_new0 (float, mix->nfft);

  for (gint64 t = 0; t < n; t++)
    {
      const float *frame = a->data + (src->offset + t) * a->nchannels;
      float v;
      if (src->channel >= 0)
        v = frame[src->channel];
      else
        {
          v = 0;
          for (int c = 0; c < a->nchannels; c++)
            v += frame[c];
          v /= a->nchannels;
        }
      x[src->start + t] = gain * v;
    }
  mix->X[s] = g_new (float complex, mix->nbins);
  al_fftf_forward (fft, x, mix->X[s]);
  g_free (x);
  al_fftf_free (fft);
}

/* One output channel (a mic, then the SH channels): Σ_s X_s·H_s, inverse. */
static void
channel_task (int ch, gpointer data)
{
  Mix *mix = data;
  AlSimResult *res = mix->res;
  AlFftf *fft = al_fftf_new (mix->nfft);
  float *h = g_new0 (float, mix->nfft);
  float complex *H = g_new (float complex, mix->nbins);
  float complex *Y = g_new0 (float complex, mix->nbins);
  float *out = ch < res->nmics ? res->mic + (gsize) ch * res->nframes
                               : res->sh + (gsize) (ch - res->nmics) * res->nframes;

  for (int s = 0; s < res->nsources; s++)
    {
      const AlSimRir *rir = res->rirs[s];
      const float *r = ch < res->nmics ? rir->mic + (gsize) ch * rir->len
                                       : rir->sh + (gsize) (ch - res->nmics) * rir->len;
      memcpy (h, r, sizeof (float) * rir->len);
      memset (h + rir->len, 0, sizeof (float) * (mix->nfft - rir->len));
      al_fftf_forward (fft, h, H);
      for (int f = 0; f < mix->nbins; f++)
        Y[f] += mix->X[s][f] * H[f];
    }
  al_fftf_inverse (fft, Y, h);
  memcpy (out, h, sizeof (float) * res->nframes);
  g_free (Y);
  g_free (H);
  g_free (h);
  al_fftf_free (fft);
}

/* ---- diffuse noise: independent white noise from directions spread over
 * the sphere, each through its (nearest) ATF, and the same noise in the
 * truth with Y_c of that direction.  Generated per (direction, block) from
 * its own seeded stream, so blocks are independent tasks. ---- */
typedef struct {
  const AlSimArray *arr;
  guint32 seed;
  int ndirs;
  int *dir;            /* grid index per noise direction */
  int nblocks;
  int sh_len;
  AlSimAcc acc;
  float *sh;           /* nsh x sh_len, time from the lead-in */
} Noise;

static guint64
stream_seed (guint32 seed, guint32 a, guint32 b)
{
  return ((guint64) seed << 32) ^ ((guint64) a * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15))
         ^ ((guint64) b * G_GUINT64_CONSTANT (0xC2B2AE3D27D4EB4F));
}

static void
noise_task (int task, gpointer data)
{
  Noise *nz = data;
  const AlSimArray *arr = nz->arr;
  const int b0 = (int) ((gint64) nz->nblocks * task / AL_SIM_NCHUNKS);
  const int b1 = (int) ((gint64) nz->nblocks * (task + 1) / AL_SIM_NCHUNKS);
  /* whole vectors, then the rest: writing past B would race with the task
   * that owns the next block */
  const int body = arr->B / 16 * 16;
  AlSimScratch s;

  al_sim_scratch_init (&s, arr);
  for (int b = b0; b < b1; b++)
    for (int k = 0; k < nz->ndirs; k++)
      {
        const float *y = arr->Y + (gsize) nz->dir[k] * arr->nsh;
        AlSimRng rng;

        /* unit variance per direction: the SNR sets the level afterwards */
        al_sim_rng_seed (&rng, stream_seed (nz->seed, (guint32) k, (guint32) b));
        al_sim_rng_gauss (&rng, s.x, arr->B);
        for (int c = 0; c < arr->nsh; c++)
          {
            float *o = nz->sh + (gsize) c * nz->sh_len + (gsize) b * arr->B + arr->sh_delay;
            const float yc = y[c];
            for (int t = 0; t < body; t += 16)
              for (int j = 0; j < 16; j++)
                o[t + j] += yc * s.x[t + j];
            for (int t = body; t < arr->B; t++)
              o[t] += yc * s.x[t];
          }
        al_sim_acc_add (arr, &nz->acc, &s, nz->dir[k], b);
      }
  al_sim_scratch_clear (&s);
}

static double
mean_power (const float *x, gsize n)
{
  double acc = 0;

  for (gsize k = 0; k < n; k++)
    acc += (double) x[k] * x[k];
  return n > 0 ? acc / n : 0;
}

static void
add_diffuse_noise (const AlSimArray *arr, const AlSimScene *scene, AlSimResult *res, double psig)
{
  Noise nz = { 0 };
  const gint64 nf = res->nframes;
  /* lead-in of one ATF length, so the field is stationary from frame 0 */
  const int lead = arr->ir_len + AL_SIM_FD_TAPS;
  g_autoptr (AlGrid) grid = al_grid_fibonacci (scene->diffuse_ndirs);
  double *xyz = g_new (double, 3 * (gsize) grid->n);
  float *mic;
  gint64 mic_len;
  double pn, gain;

  nz.arr = arr;
  nz.seed = scene->noise_seed;
  nz.ndirs = grid->n;
  nz.dir = g_new (int, grid->n);
  al_dirs_to_xyz (grid->dirs, grid->n, xyz);
  for (int k = 0; k < grid->n; k++)
    nz.dir[k] = al_sim_lookup_nearest (arr->lookup, xyz + 3 * k);
  g_free (xyz);
  nz.nblocks = (int) ((nf + lead + arr->B - 1) / arr->B);
  nz.sh_len = nz.nblocks * arr->B + arr->sh_delay;
  nz.sh = g_new0 (float, (gsize) arr->nsh * nz.sh_len);
  al_sim_acc_init (&nz.acc, arr, nz.nblocks);
  al_sim_parallel (AL_SIM_NCHUNKS, arr->nthreads, noise_task, &nz);

  mic_len = (gint64) nz.nblocks * arr->B;
  mic = g_new0 (float, (gsize) arr->nmics * mic_len);
  al_sim_acc_to_time (arr, &nz.acc, mic, (int) mic_len);
  al_sim_acc_clear (&nz.acc);

  pn = 0;
  for (int m = 0; m < arr->nmics; m++)
    pn += mean_power (mic + (gsize) m * mic_len + lead, nf) / arr->nmics;
  gain = pn > 0 ? sqrt (psig / pn * pow (10, -scene->diffuse_snr_db / 10)) : 0;
  for (int m = 0; m < arr->nmics; m++)
    {
      const float *src = mic + (gsize) m * mic_len + lead;
      float *dst = res->mic + (gsize) m * nf;
      for (gint64 t = 0; t < nf; t++)
        dst[t] += (float) gain * src[t];
    }
  for (int c = 0; c < arr->nsh; c++)
    {
      const float *src = nz.sh + (gsize) c * nz.sh_len + lead;
      float *dst = res->sh + (gsize) c * nf;
      for (gint64 t = 0; t < nf; t++)
        dst[t] += (float) gain * src[t];
    }
  g_free (mic);
  g_free (nz.sh);
  g_free (nz.dir);
}

static void
add_sensor_noise (const AlSimScene *scene, AlSimResult *res, double psig)
{
  const float sigma = (float) sqrt (psig * pow (10, -scene->sensor_snr_db / 10));
  float *buf = g_new (float, res->nframes);

  for (int m = 0; m < res->nmics; m++)
    {
      AlSimRng rng;
      float *dst = res->mic + (gsize) m * res->nframes;

      /* a stream apart from the diffuse field's (those use b < 2^31) */
      al_sim_rng_seed (&rng, stream_seed (scene->noise_seed, (guint32) m, G_MAXUINT32));
      al_sim_rng_gauss (&rng, buf, res->nframes);
      for (gint64 t = 0; t < res->nframes; t++)
        dst[t] += sigma * buf[t];
    }
  g_free (buf);
}

AlSimResult *
al_sim_render (const AlSimArray *arr, const AlSimScene *scene, AlProgress *progress, GError **error)
{
  g_autoptr (AlSimResult) res = NULL;
  Mix mix = { 0 };
  int maxlen = 0;
  double psig = 0;

  g_return_val_if_fail (arr != NULL && scene != NULL, NULL);
  if (!al_sim_scene_validate (scene, arr->fs, error))
    return NULL;

  res = g_new0 (AlSimResult, 1);
  res->fs = arr->fs;
  res->nmics = arr->nmics;
  res->nsh = arr->nsh;
  res->sh_order = arr->sh_order;
  res->sh_norm = arr->sh_norm;
  res->sh_delay = arr->sh_delay;
  res->nsources = scene->nsources;
  res->rirs = g_new0 (AlSimRir *, scene->nsources);

  if (al_progress_cancelled (progress, error))
    return NULL;
  al_progress_report (progress, 0, "Rendering room impulse responses");
  {
    double *pos = g_new (double, 3 * (gsize) scene->nsources);
    char **names = g_new0 (char *, scene->nsources + 1);
    gboolean ok;
    for (int s = 0; s < scene->nsources; s++)
      {
        memcpy (pos + 3 * s, scene->sources[s].pos, sizeof (double) * 3);
        names[s] = g_strdup_printf ("source %d", s + 1);
      }
    ok = al_sim_rir_render_many (arr, &scene->room, scene->nsources, pos,
                                 (const char *const *) names, scene->array_pos, &scene->array_rot,
                                 res->rirs, error);
    g_free (pos);
    g_strfreev (names);
    if (!ok)
      return NULL;
  }
  for (int s = 0; s < scene->nsources; s++)
    maxlen = MAX (maxlen, res->rirs[s]->len);
  if (al_progress_cancelled (progress, error))
    return NULL;
  al_progress_report (progress, 0.8, "Mixing");

  res->nframes = scene->nframes;
  if (res->nframes == 0)
    for (int s = 0; s < scene->nsources; s++)
      {
        const AlSimSource *src = &scene->sources[s];
        res->nframes = MAX (res->nframes, src->start + (src->audio->nframes - src->offset)
                                              + res->rirs[s]->len - 1);
      }
  if (res->nframes + maxlen > (1 << 30))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_UNSUPPORTED,
                   "scene: %" G_GINT64_FORMAT " frames with %d-sample impulse responses is "
                   "too long to mix in one piece",
                   res->nframes, maxlen);
      return NULL;
    }
  res->mic = g_new0 (float, (gsize) res->nmics * res->nframes);
  res->sh = g_new0 (float, (gsize) res->nsh * res->nframes);

  mix.arr = arr;
  mix.scene = scene;
  mix.res = res;
  mix.nfft = al_fft_good_size ((int) res->nframes + maxlen - 1);
  mix.nbins = mix.nfft / 2 + 1;
  mix.X = g_new0 (float complex *, scene->nsources);
  /* plan this size here: the workers then only look the cached plan up */
  al_fftf_free (al_fftf_new (mix.nfft));
  al_sim_parallel (scene->nsources, arr->nthreads, source_spectrum_task, &mix);
  al_sim_parallel (res->nmics + res->nsh, arr->nthreads, channel_task, &mix);
  for (int s = 0; s < scene->nsources; s++)
    g_free (mix.X[s]);
  g_free (mix.X);

  if (isfinite (scene->diffuse_snr_db) || isfinite (scene->sensor_snr_db))
    {
      for (int m = 0; m < res->nmics; m++)
        psig += mean_power (res->mic + (gsize) m * res->nframes, res->nframes) / res->nmics;
      if (!(psig > 0))
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                       "scene: the sources are silent at the array, so no noise level can be "
                       "set relative to them");
          return NULL;
        }
      al_progress_report (progress, 0.9, "Adding noise");
      if (isfinite (scene->diffuse_snr_db))
        add_diffuse_noise (arr, scene, res, psig);
      if (isfinite (scene->sensor_snr_db))
        add_sensor_noise (scene, res, psig);
    }
  al_progress_report (progress, 1.0, NULL);
  return g_steal_pointer (&res);
}

void
al_sim_result_free (AlSimResult *res)
{
  if (res == NULL)
    return;
  for (int s = 0; s < res->nsources && res->rirs; s++)
    al_sim_rir_free (res->rirs[s]);
  g_free (res->rirs);
  g_free (res->mic);
  g_free (res->sh);
  g_free (res);
}

static AlAudio *
interleave (const float *planar, int nch, gint64 nframes, double fs)
{
  AlAudio *a = al_audio_new (fs, nch, nframes);

  for (int c = 0; c < nch; c++)
    for (gint64 t = 0; t < nframes; t++)
      a->data[t * nch + c] = planar[(gsize) c * nframes + t];
  return a;
}

AlAudio *
al_sim_result_mic_audio (const AlSimResult *res)
{
  g_return_val_if_fail (res != NULL, NULL);
  return interleave (res->mic, res->nmics, res->nframes, res->fs);
}

AlAudio *
al_sim_result_sh_audio (const AlSimResult *res)
{
  g_return_val_if_fail (res != NULL, NULL);
  return interleave (res->sh, res->nsh, res->nframes, res->fs);
}
