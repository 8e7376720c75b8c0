/* al-scene-audio.c — listening to one evaluated scene: the scene rendered
 * again from its seed (the very signals the metrics saw), every take
 * aligned sample for sample (mics, truth, each encoder with its latency
 * removed), stereo takes for headphones (the mics as a left/right pair, SH
 * signals through a pair of virtual cardioids) at one common gain, and the
 * WAV files of it all.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-scene-private.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

/* ---- The scene ---- */

void
al_scene_audio_free (AlSceneAudio *audio)
{
  if (audio == NULL)
    return;
  g_free (audio->mics);
  g_free (audio->truth);
  for (int e = 0; e < audio->nencoders; e++)
    {
      if (audio->names != NULL)
        g_free (audio->names[e]);
      if (audio->encoded != NULL)
        g_free (audio->encoded[e]);
    }
  g_free (audio->names);
  g_free (audio->orders);
  g_free (audio->latencies);
  g_free (audio->encoded);
  g_free (audio);
}

/* out: nsh x (n + latency) → nsh x n from sample `latency` on, in place
 * (each channel moves to a lower address, so memmove in channel order is
 * safe); shrinks the block. */
static float *
drop_latency (float *out, int nsh, gsize n, int latency)
{
  if (latency == 0)
    return out;
  const gsize len = n + (gsize) latency;
  for (int c = 0; c < nsh; c++)
    memmove (out + (gsize) c * n, out + (gsize) c * len + latency, sizeof (float) * n);
  return g_realloc (out, sizeof (float) * (gsize) nsh * MAX (n, 1));
}

AlSceneAudio *
al_scene_audio_render (const AlAtfSet *atf, AlSceneEncoder *const *encoders, int nencoders, const AlSceneSet *set,
                       AlAudio *const *clips, const char *const *clip_names, int nclips, int index, AlShNorm norm,
                       AlProgress *progress, GError **error)
{
  g_return_val_if_fail (atf != NULL && set != NULL, NULL);
  if (!al_atf_set_validate (atf, atf->source, error) || !al_scene_check_encoders (atf, encoders, nencoders, error))
    return NULL;
  if (index < 0 || index >= set->count)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "scene %d does not exist: the set has %d scene%s (1 to %d)",
                   index + 1, set->count, set->count == 1 ? "" : "s", set->count);
      return NULL;
    }
  const guint32 seed = al_scene_set_seed (set, index);
  const int order = al_scene_truth_order (encoders, nencoders);
  /* Step sizes: the render is the long part, the encoders share the rest. */
  const double render_share = 0.5;

  g_autofree char *msg = g_strdup_printf ("simulating scene %d", index + 1);
  al_progress_report (progress, 0, msg);
  if (al_progress_cancelled (progress, error))
    return NULL;
  /* The simulator exactly as al_scene_evaluate sets it up; its output does
   * not depend on the thread count. */
  g_autoptr (AlSimArray) arr = al_scene_sim_array_new (atf, order, norm, 0, error);
  AlProgress sub = al_progress_sub (progress, 0, render_share);
  g_autoptr (AlSimResult) res = arr ? al_scene_render_index (arr, set, index, atf->fs, clips, clip_names, nclips,
                                                             NULL, &sub, error)
                                    : NULL;
  if (res == NULL)
    {
      g_prefix_error (error, "scene %d (seed %u): ", index + 1, seed);
      return NULL;
    }

  const gsize n = (gsize) res->nframes;
  g_autoptr (AlSceneAudio) audio = g_new0 (AlSceneAudio, 1);
  audio->index = index;
  audio->seed = seed;
  audio->fs = res->fs;
  audio->nframes = n;
  audio->nmics = res->nmics;
  audio->mics = g_steal_pointer (&res->mic);
  audio->order = res->sh_order;
  audio->nsh = res->nsh;
  audio->norm = res->sh_norm;
  audio->label_delay = res->sh_delay;
  audio->truth = g_steal_pointer (&res->sh);
  audio->names = g_new0 (char *, nencoders);
  audio->orders = g_new0 (int, nencoders);
  audio->latencies = g_new0 (int, nencoders);
  audio->encoded = g_new0 (float *, nencoders);
  audio->nencoders = nencoders;

  for (int e = 0; e < nencoders; e++)
    {
      const AlSceneEncoder *enc = encoders[e];
      g_free (msg);
      msg = g_strdup_printf ("encoder %s", enc->name);
      al_progress_report (progress, render_share + (1 - render_share) * e / nencoders, msg);
      if (al_progress_cancelled (progress, error))
        return NULL;
      audio->names[e] = g_strdup (enc->name);
      audio->orders[e] = enc->order;
      audio->latencies[e] = enc->latency;
      float *out = al_scene_encoder_run (enc, audio->mics, n, error);
      if (out == NULL)
        {
          g_prefix_error (error, "scene %d (seed %u): encoder %s: ", index + 1, seed, enc->name);
          return NULL;
        }
      /* The same conversion as the evaluation's, over the same samples. */
      al_scene_convert_norm (out, enc->nsh, n + (gsize) enc->latency, enc->norm, norm);
      audio->encoded[e] = drop_latency (out, enc->nsh, n, enc->latency);
    }
  g_free (msg);
  msg = g_strdup_printf ("scene %d rendered", index + 1);
  al_progress_report (progress, 1, msg);
  return g_steal_pointer (&audio);
}

/* ---- Stereo takes ---- */

void
al_listen_options_init (AlListenOptions *opt)
{
  g_return_if_fail (opt != NULL);
  opt->left_mic = -1;
  opt->right_mic = -1;
  opt->azimuth = 90;
  opt->peak_dbfs = -1;
}

void
al_listen_takes_free (AlListenTakes *takes)
{
  if (takes == NULL)
    return;
  for (int k = 0; k < takes->ntakes; k++)
    {
      if (takes->names != NULL)
        g_free (takes->names[k]);
      if (takes->takes != NULL)
        g_free (takes->takes[k]);
    }
  g_free (takes->names);
  g_free (takes->takes);
  g_free (takes);
}

/* The mics furthest to the left (+y) and right (−y); ties go to the lower
 * index (strict comparisons). */
static void
default_pair (const double *mic_pos, int nmics, int *left, int *right)
{
  int l = 0, r = 0;
  for (int q = 1; q < nmics; q++)
    {
      if (mic_pos[3 * q + 1] > mic_pos[3 * l + 1])
        l = q;
      if (mic_pos[3 * q + 1] < mic_pos[3 * r + 1])
        r = q;
    }
  *left = l;
  *right = r;
}

/* b: nsh x n SH signals of `order` in `norm` → out: 2 x n, the cardioids
 * 0.5·(p + u·v) pointing at (±azimuth, 0).  In SN3D (no Condon–Shortley
 * phase) ACN 0 is the pressure and ACN 3, 1, 2 are the velocity's x, y, z
 * in the same units, so each channel is taken to SN3D first. */
static void
cardioid_pair (const float *b, int order, gsize n, AlShNorm norm, double azimuth, float *out)
{
  const double g0 = al_sh_norm_factor (0, norm, AL_SH_SN3D);
  float *left = out, *right = out + n;
  if (order < 1)
    {
      /* An omni is all an order-0 signal holds: both ears hear it. */
      for (gsize t = 0; t < n; t++)
        left[t] = right[t] = (float) (g0 * b[t]);
      return;
    }
  const double g1 = al_sh_norm_factor (1, norm, AL_SH_SN3D);
  const double cx = cos (azimuth), sy = sin (azimuth);
  const float *w = b, *y = b + n, *x = b + 3 * n; /* ACN 0, 1, 3; z (ACN 2) is orthogonal to both ears */
  for (gsize t = 0; t < n; t++)
    {
      const double p = g0 * w[t], vx = g1 * x[t], vy = g1 * y[t];
      left[t] = (float) (0.5 * (p + cx * vx + sy * vy));
      right[t] = (float) (0.5 * (p + cx * vx - sy * vy));
    }
}

AlListenTakes *
al_listen_takes_new (const AlSceneAudio *audio, const double *mic_pos, const AlListenOptions *opt, GError **error)
{
  g_return_val_if_fail (audio != NULL, NULL);
  AlListenOptions defaults;
  if (opt == NULL)
    {
      al_listen_options_init (&defaults);
      opt = &defaults;
    }
  const int nmics = audio->nmics;
  const gsize n = audio->nframes;
  const int given[2] = { opt->left_mic, opt->right_mic };
  for (int s = 0; s < 2; s++)
    if (given[s] < -1 || given[s] >= nmics)
      {
        g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                     "scene %d: %s microphone %d does not exist (the array has %d, numbered from 0)", audio->index + 1,
                     s == 0 ? "left" : "right", given[s], nmics);
        return NULL;
      }
  if (!isfinite (opt->azimuth) || !isfinite (opt->peak_dbfs) || opt->peak_dbfs > 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "scene %d: listening azimuth %g° and peak %g dBFS: both must be finite, the peak at most 0",
                   audio->index + 1, opt->azimuth, opt->peak_dbfs);
      return NULL;
    }
  int left = opt->left_mic, right = opt->right_mic;
  if (left < 0 || right < 0)
    {
      if (mic_pos == NULL && nmics > 1)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                       "scene %d: no microphone positions to pick the left and right mics from; name them",
                       audio->index + 1);
          return NULL;
        }
      int l = 0, r = 0;
      if (mic_pos != NULL)
        default_pair (mic_pos, nmics, &l, &r);
      left = left < 0 ? l : left;
      right = right < 0 ? r : right;
    }

  g_autoptr (AlListenTakes) takes = g_new0 (AlListenTakes, 1);
  takes->ntakes = 2 + audio->nencoders;
  takes->names = g_new0 (char *, takes->ntakes);
  takes->takes = g_new0 (float *, takes->ntakes);
  takes->nframes = n;
  takes->fs = audio->fs;
  takes->left_mic = left;
  takes->right_mic = right;
  takes->azimuth = opt->azimuth;
  const double az = AL_DEG2RAD (opt->azimuth);
  for (int k = 0; k < takes->ntakes; k++)
    takes->takes[k] = g_new (float, 2 * MAX (n, 1));

  takes->names[0] = g_strdup ("Microphones");
  memcpy (takes->takes[0], audio->mics + (gsize) left * n, sizeof (float) * n);
  memcpy (takes->takes[0] + n, audio->mics + (gsize) right * n, sizeof (float) * n);
  takes->names[1] = g_strdup ("Ground truth");
  cardioid_pair (audio->truth, audio->order, n, audio->norm, az, takes->takes[1]);
  for (int e = 0; e < audio->nencoders; e++)
    {
      takes->names[2 + e] = g_strdup (audio->names[e]);
      cardioid_pair (audio->encoded[e], audio->orders[e], n, audio->norm, az, takes->takes[2 + e]);
    }

  /* One gain for every take, so their relative levels stay as they are. */
  double peak = 0;
  for (int k = 0; k < takes->ntakes; k++)
    for (gsize i = 0; i < 2 * n; i++)
      {
        const double v = fabs (takes->takes[k][i]);
        if (!isfinite (v))
          {
            g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                         "scene %d: take “%s” has a non-finite sample (%s channel, frame %" G_GSIZE_FORMAT ")",
                         audio->index + 1, takes->names[k], i < n ? "left" : "right", i % MAX (n, 1));
            return NULL;
          }
        peak = MAX (peak, v);
      }
  double gain = 1;
  if (peak > 0)
    gain = pow (10, opt->peak_dbfs / 20) / peak;
  takes->gain_db = 20 * log10 (gain);
  for (int k = 0; k < takes->ntakes && gain != 1; k++)
    for (gsize i = 0; i < 2 * n; i++)
      takes->takes[k][i] = (float) (takes->takes[k][i] * gain);
  return g_steal_pointer (&takes);
}

/* ---- Files ---- */

typedef struct {
  char *path, *what, *comment;
  const float *x;
  int nch;
} Planned;

static void
planned_clear (gpointer data)
{
  Planned *p = data;
  g_free (p->path);
  g_free (p->what);
  g_free (p->comment);
}

static void
plan (GArray *files, const char *dir, const char *stem, const char *suffix, const char *what, const float *x,
      int nch, char *comment)
{
  g_autofree char *file = g_strdup_printf ("%s_%s.wav", stem, suffix);
  Planned p = { g_build_filename (dir, file, NULL), g_strdup (what), comment, x, nch };
  g_array_append_val (files, p);
}

/* planar nch x nframes → WAV float32 with its comment, atomically. */
static gboolean
write_planar (const Planned *p, gsize nframes, double fs, GError **error)
{
  AlAudioWriter *w = al_audio_writer_open (p->path, fs, p->nch, error);
  if (w == NULL)
    return FALSE;
  al_audio_writer_set_comment (w, p->comment);
  const gsize block = 8192;
  g_autofree float *buf = g_new (float, block * p->nch);
  for (gsize pos = 0; pos < nframes; pos += block)
    {
      const gsize m = MIN (block, nframes - pos);
      for (gsize t = 0; t < m; t++)
        for (int c = 0; c < p->nch; c++)
          buf[t * p->nch + c] = p->x[(gsize) c * nframes + pos + t];
      if (!al_audio_writer_write (w, buf, (gint64) m, error))
        {
          al_audio_writer_finish (w, FALSE, NULL);
          return FALSE;
        }
    }
  return al_audio_writer_finish (w, TRUE, error);
}

gboolean
al_scene_audio_write (const AlSceneAudio *audio, const AlListenTakes *takes, const char *dir, gboolean overwrite,
                      GError **error)
{
  g_return_val_if_fail (audio != NULL && dir != NULL, FALSE);
  const int scene = audio->index + 1;
  if (takes != NULL && (takes->ntakes != 2 + audio->nencoders || takes->nframes != audio->nframes))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH,
                   "scene %d: %d headphone takes of %" G_GSIZE_FORMAT " frames do not belong to a scene of %d "
                   "encoders and %" G_GSIZE_FORMAT " frames", scene, takes->ntakes, takes->nframes,
                   audio->nencoders, audio->nframes);
      return FALSE;
    }
  const char *norm = al_sh_norm_name (audio->norm);
  g_autofree char *stem = g_strdup_printf ("scene_%03d", scene);
  g_autoptr (GArray) files = g_array_new (FALSE, TRUE, sizeof (Planned));
  g_array_set_clear_func (files, planned_clear);

  plan (files, dir, stem, "mics", "the microphone signals", audio->mics, audio->nmics,
        g_strdup_printf ("Microphone signals, %d mics, scene %d (seed %u), aligned with the ground truth and the "
                         "encoders' outputs", audio->nmics, scene, audio->seed));
  /* SH files start with the wording of encoded files (al_encoder_apply_file),
   * which `powermap` reads. */
  plan (files, dir, stem, "truth", "the ground truth", audio->truth, audio->nsh,
        g_strdup_printf ("Ambisonics order %d, ACN, %s (ground truth of scene %d, seed %u, label delay %d samples)",
                         audio->order, norm, scene, audio->seed, audio->label_delay));
  g_auto (GStrv) safe = g_new0 (char *, audio->nencoders + 1);
  for (int e = 0; e < audio->nencoders; e++)
    {
      safe[e] = al_scene_eval_file_name (audio->names[e]);
      g_autofree char *what = g_strdup_printf ("encoder “%s”", audio->names[e]);
      plan (files, dir, stem, safe[e], what, audio->encoded[e], al_sh_count (audio->orders[e]),
            g_strdup_printf ("Ambisonics order %d, ACN, %s (encoder %s on scene %d, seed %u, its latency of %d "
                             "samples removed)", audio->orders[e], norm, audio->names[e], scene, audio->seed,
                             audio->latencies[e]));
    }
  if (takes != NULL)
    {
      g_autofree char *pair = g_strdup_printf ("mics %d (left) and %d (right)", takes->left_mic + 1,
                                               takes->right_mic + 1);
      g_autofree char *cards = g_strdup_printf ("first-order cardioids at ±%g°", takes->azimuth);
      for (int k = 0; k < takes->ntakes; k++)
        {
          g_autofree char *suffix = g_strdup_printf ("listen_%s", k == 0 ? "mics" : k == 1 ? "truth" : safe[k - 2]);
          g_autofree char *what = g_strdup_printf ("the headphone take “%s”", takes->names[k]);
          plan (files, dir, stem, suffix, what, takes->takes[k], 2,
                g_strdup_printf ("Headphone take “%s” of scene %d (seed %u): %s, gain %+.2f dB common to every "
                                 "take%s", takes->names[k], scene, audio->seed, k == 0 ? pair : cards,
                                 takes->gain_db, k >= 2 ? ", encoder latency removed" : ""));
        }
    }

  /* Everything is checked before anything is written: no half-replaced scene. */
  for (guint i = 0; i < files->len; i++)
    {
      const Planned *p = &g_array_index (files, Planned, i);
      for (guint j = 0; j < i; j++)
        if (strcmp (p->path, g_array_index (files, Planned, j).path) == 0)
          {
            g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                         "%s: both %s and %s would be written to it; rename an encoder", p->path,
                         g_array_index (files, Planned, j).what, p->what);
            return FALSE;
          }
    }
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot create folder: %s", dir, g_strerror (errno));
      return FALSE;
    }
  for (guint i = 0; i < files->len && !overwrite; i++)
    {
      const Planned *p = &g_array_index (files, Planned, i);
      if (g_file_test (p->path, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s exists and is replaced only when overwriting is asked for",
                       p->path);
          return FALSE;
        }
    }
  for (guint i = 0; i < files->len; i++)
    if (!write_planar (&g_array_index (files, Planned, i), audio->nframes, audio->fs, error))
      return FALSE;
  return TRUE;
}
