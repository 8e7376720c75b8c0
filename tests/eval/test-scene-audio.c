/* test-scene-audio.c — listening to one evaluated scene, on cases with
 * known answers: the identity on an SH-pattern array gives takes equal to
 * the truth and to the mics, an encoder's latency is removed to the
 * sample, the render is bit for bit the scene the evaluation measured, the
 * virtual cardioids give 0.5·s·(1 + u·Ω) in every normalisation, one
 * common gain puts the loudest take at −1 dBFS and keeps the others'
 * ratios, the glasses' default pair is its two back temple mics, and the
 * files read back as the takes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "al-test-arrays.h"
#include "al-test-clips.h"
#include "eval/al-scene-eval.h"
#include "io/al-io.h"

static const double fs = 48000;

static void
short_set (AlSceneSet *set, int count, guint32 seed)
{
  g_autoptr (GError) error = NULL;
  al_scene_set_init (set);
  g_assert_true (al_scene_set_parse (set, "rooms=3x3x2.5..7x6x3.5,absorption=0.2..0.6,sources=1..3,duration=0.5,order=8",
                                     &error));
  g_assert_no_error (error);
  set->count = count;
  set->seed = seed;
}

static AlAtfSet *
sh_array (int order)
{
  g_autoptr (AlGrid) grid = al_grid_fibonacci (2000);
  return al_test_sh_array (order, grid, 16, 5, fs);
}

static AlAtfSet *
glasses_set (int ndirs)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AlArrayModel) model = al_array_model_preset ("glasses5", &error);
  g_assert_no_error (error);
  g_autoptr (AlGrid) grid = al_grid_fibonacci (ndirs);
  AlAtfSet *set = al_array_model_simulate (model, grid, fs, 256, -1, NULL, &error);
  g_assert_no_error (error);
  return set;
}

static float
peak_of (const float *x, gsize n)
{
  float p = 0;
  for (gsize i = 0; i < n; i++)
    p = MAX (p, fabsf (x[i]));
  return p;
}

static double
max_diff (const float *a, const float *b, gsize n)
{
  double d = 0;
  for (gsize i = 0; i < n; i++)
    d = MAX (d, fabs ((double) a[i] - b[i]));
  return d;
}

static double
rms_of (const float *x, gsize n)
{
  double s = 0;
  for (gsize i = 0; i < n; i++)
    s += (double) x[i] * x[i];
  return sqrt (s / MAX (n, 1));
}

/* ---- Encoders with known answers ---- */

/* The first (order+1)² mics delayed by `latency` samples and scaled:
 * output c = gain · mic c. */
typedef struct {
  int nsh, latency;
  float gain;
} Delay;

static gboolean
delay_encode (gpointer data, const float *mics, gsize nframes, float *out, GError **error)
{
  const Delay *d = data;
  const gsize len = nframes + d->latency;
  for (int c = 0; c < d->nsh; c++)
    for (gsize t = 0; t < nframes; t++)
      out[(gsize) c * len + d->latency + t] = d->gain * mics[(gsize) c * nframes + t];
  return TRUE;
}

static AlSceneEncoder *
delay_encoder (const char *name, int nmics, int order, AlShNorm norm, int latency, float gain)
{
  Delay *d = g_new0 (Delay, 1);
  d->nsh = al_sh_count (order);
  d->latency = latency;
  d->gain = gain;
  g_assert_cmpint (nmics, >=, d->nsh);
  return al_scene_encoder_new (name, nmics, order, fs, norm, latency, delay_encode, d, g_free);
}

/* A linear FIR encoder of core/encode whose filters are deltas at tap L:
 * the identity delayed by L, run through the partitioned convolution. */
static AlSceneEncoder *
delta_fir_encoder (const char *name, int order, AlShNorm norm, int latency)
{
  AlDesignParams p;
  al_design_params_init (&p);
  p.order = order;
  p.norm = norm;
  p.fir_length = 128;
  g_autoptr (AlEncoder) enc = g_new0 (AlEncoder, 1);
  enc->name = g_strdup (name);
  enc->params = p;
  enc->fs = fs;
  enc->nsh = enc->nmics = al_sh_count (order);
  enc->fir_len = p.fir_length;
  enc->fir = g_new0 (float, (gsize) enc->nsh * enc->nmics * enc->fir_len);
  for (int c = 0; c < enc->nsh; c++)
    enc->fir[((gsize) c * enc->nmics + c) * enc->fir_len + latency] = 1;
  enc->latency = latency;
  return al_scene_encoder_new_linear (enc, NULL);
}

/* ---- (1) Identity on an SH-pattern array ---- */

static void
test_identity (void)
{
  const int order = 2;
  AlAudio *clips[2];
  al_test_noise_clips (clips, 2, fs, 200);
  g_autoptr (AlAtfSet) atf = sh_array (order);
  g_autoptr (AlSceneEncoder) id = al_scene_encoder_new_identity ("identity", order, fs, AL_SH_N3D);
  AlSceneSet set;
  short_set (&set, 3, 21);
  g_autoptr (GError) error = NULL;
  /* In N3D the mics are the truth's channels themselves. */
  g_autoptr (AlSceneAudio) a = al_scene_audio_render (atf, &id, 1, &set, clips, NULL, 2, 1, AL_SH_N3D, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (a->index, ==, 1);
  g_assert_cmpuint (a->seed, ==, al_scene_set_seed (&set, 1));
  g_assert_cmpint (a->nframes, ==, 24000);
  g_assert_cmpint (a->nmics, ==, 9);
  g_assert_cmpint (a->order, ==, order);
  g_assert_cmpint (a->nsh, ==, 9);
  g_assert_cmpint (a->label_delay, ==, 5); /* the ATFs' onset */
  g_assert_cmpint (a->nencoders, ==, 1);
  g_assert_cmpstr (a->names[0], ==, "identity");
  g_assert_cmpint (a->latencies[0], ==, 0);
  const gsize n = a->nframes * a->nsh;
  const double peak = peak_of (a->truth, n);
  const double enc_err = max_diff (a->encoded[0], a->truth, n) / peak;
  const double mic_err = max_diff (a->mics, a->truth, n) / peak;
  g_test_message ("identity, N3D: truth peak %.4f, |encoded − truth| %.3g, |mics − truth| %.3g of the peak", peak,
                  enc_err, mic_err);
  g_assert_cmpfloat (peak, >, 0.01);
  g_assert_cmpfloat (enc_err, <=, 1e-6);
  g_assert_cmpfloat (mic_err, <=, 1e-6);

  /* In SN3D the encoder's N3D output is converted: still the truth. */
  g_autoptr (AlSceneAudio) s = al_scene_audio_render (atf, &id, 1, &set, clips, NULL, 2, 1, AL_SH_SN3D, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (s->norm, ==, AL_SH_SN3D);
  const double speak = peak_of (s->truth, n);
  const double serr = max_diff (s->encoded[0], s->truth, n) / speak;
  g_test_message ("identity, SN3D: |encoded − truth| %.3g of the peak", serr);
  g_assert_cmpfloat (serr, <=, 1e-6);
  /* and its dipoles are the N3D ones divided by √3 */
  g_assert_cmpfloat (max_diff (s->truth + 3 * s->nframes, a->truth + 3 * a->nframes, s->nframes), >, 0.001);
  for (gsize t = 0; t < s->nframes; t += 97)
    g_assert_cmpfloat_with_epsilon (s->truth[3 * s->nframes + t], a->truth[3 * a->nframes + t] / sqrt (3),
                                    1e-6 * speak);
  al_test_clips_free (clips, 2);
}

/* ---- (2) Latency removed ---- */

/* Lag (|lag| <= maxlag) of the largest cross-correlation Σ a[t]·b[t+lag]. */
static int
xcorr_peak (const float *a, const float *b, gsize n, int maxlag)
{
  int best = 0;
  double best_v = -INFINITY;
  for (int lag = -maxlag; lag <= maxlag; lag++)
    {
      double v = 0;
      for (gsize t = 0; t < n; t++)
        {
          const gint64 u = (gint64) t + lag;
          if (u >= 0 && u < (gint64) n)
            v += (double) a[t] * b[u];
        }
      if (v > best_v)
        {
          best_v = v;
          best = lag;
        }
    }
  return best;
}

static void
test_latency (void)
{
  const int order = 1, L = 37, LF = 101;
  AlAudio *clips[2];
  al_test_noise_clips (clips, 2, fs, 200);
  g_autoptr (AlAtfSet) atf = sh_array (order);
  AlSceneEncoder *encs[2] = {
    delay_encoder ("delay", atf->nmics, order, AL_SH_N3D, L, 1),
    delta_fir_encoder ("fir", order, AL_SH_N3D, LF),
  };
  g_assert_cmpint (encs[0]->latency, ==, L);
  g_assert_cmpint (encs[1]->latency, ==, LF);
  AlSceneSet set;
  short_set (&set, 2, 8);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSceneAudio) a = al_scene_audio_render (atf, encs, 2, &set, clips, NULL, 2, 0, AL_SH_N3D, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (a->latencies[0], ==, L);
  g_assert_cmpint (a->latencies[1], ==, LF);
  const gsize n = a->nframes;
  const double peak = peak_of (a->truth, n * a->nsh);
  for (int e = 0; e < 2; e++)
    {
      const double err = max_diff (a->encoded[e], a->truth, n * a->nsh) / peak;
      int lags[4];
      for (int c = 0; c < 4; c++)
        lags[c] = xcorr_peak (a->truth + c * n, a->encoded[e] + c * n, n, 64);
      g_test_message ("%s (latency %d): cross-correlation peaks at lags %d %d %d %d, max error %.3g of the peak",
                      a->names[e], a->latencies[e], lags[0], lags[1], lags[2], lags[3], err);
      for (int c = 0; c < 4; c++)
        g_assert_cmpint (lags[c], ==, 0);
      g_assert_cmpfloat (err, <=, 1e-6);
      /* against its input: a copy is exact, the FFT convolution with a delta rounds */
      const double in_err = max_diff (a->encoded[e], a->mics, n * a->nsh) / peak;
      g_test_message ("%s: max difference from the mics %.3g of the peak", a->names[e], in_err);
      if (e == 0)
        g_assert_cmpmem (a->encoded[e], sizeof (float) * n * a->nsh, a->mics, sizeof (float) * n * a->nsh);
      else
        g_assert_cmpfloat (in_err, <=, 1e-6);
    }
  for (int e = 0; e < 2; e++)
    al_scene_encoder_free (encs[e]);
  al_test_clips_free (clips, 2);
}

/* ---- (3) The scene the evaluation measured ---- */

static void
test_same_as_evaluate (void)
{
  AlAudio *clips[2];
  al_test_noise_clips (clips, 2, fs, 200);
  g_autoptr (AlAtfSet) atf = glasses_set (600);
  AlDesignParams p;
  al_design_params_init (&p);
  p.order = 1;
  p.fir_length = 256;
  p.max_gain_db = 15;
  p.norm = AL_SH_N3D; /* converted to the truth's SN3D by both */
  g_autoptr (GError) error = NULL;
  g_autoptr (AlEncoder) design = al_encoder_design (atf, &p, NULL, &error);
  g_assert_no_error (error);
  AlSceneEncoder *encs[2] = {
    al_scene_encoder_new_linear (design, "ls"),
    delay_encoder ("late", atf->nmics, 0, AL_SH_SN3D, 12, 1), /* mic 0 only */
  };
  g_assert_cmpint (encs[0]->latency, >, 0);
  AlSceneSet set;
  short_set (&set, 2, 13);
  AlSceneEvalOptions opt;
  al_scene_eval_options_init (&opt);
  opt.map_grid = AL_METRICS_MIN_GRID;
  opt.keep_signals = TRUE;
  g_autoptr (AlSceneEval) ev = al_scene_evaluate (atf, encs, 2, &set, clips, NULL, 2, &opt, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (AlSceneAudio) a = al_scene_audio_render (atf, encs, 2, &set, clips, NULL, 2, 0, opt.truth_norm, NULL,
                                                      &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->seed, ==, ev->scenes[0].seed);
  g_assert_cmpint (a->nframes, ==, ev->truth_frames);
  g_assert_cmpint (a->nsh, ==, al_sh_count (ev->order));
  const gsize n = a->nframes;
  g_assert_cmpmem (a->truth, sizeof (float) * a->nsh * n, ev->truth, sizeof (float) * a->nsh * n);
  for (int e = 0; e < 2; e++)
    {
      const int nsh = al_sh_count (a->orders[e]), lat = ev->encoders[e].latency;
      g_assert_cmpint (a->latencies[e], ==, lat);
      for (int c = 0; c < nsh; c++)
        g_assert_cmpmem (a->encoded[e] + c * n, sizeof (float) * n, ev->encoders[e].signals + c * (n + lat) + lat,
                         sizeof (float) * n);
    }
  /* the late encoder saw the same mic 0 */
  for (gsize t = 0; t < n; t++)
    g_assert_cmpfloat (a->encoded[1][t], ==, a->mics[t]);

  /* Scene 2 is another scene. */
  g_autoptr (AlSceneAudio) b = al_scene_audio_render (atf, encs, 2, &set, clips, NULL, 2, 1, opt.truth_norm, NULL,
                                                      &error);
  g_assert_no_error (error);
  g_assert_cmpuint (b->seed, !=, a->seed);
  g_assert_cmpuint (b->seed, ==, al_scene_set_seed (&set, 1));
  const gsize m = MIN (n, b->nframes);
  const double d = max_diff (a->truth, b->truth, m);
  g_test_message ("scene 1 vs 2: truth W differs by up to %.3g", d);
  g_assert_cmpfloat (d, >, 1e-3);
  for (int e = 0; e < 2; e++)
    al_scene_encoder_free (encs[e]);
  al_test_clips_free (clips, 2);
}

/* ---- (4) The virtual cardioids ---- */

/* s(t) · Y(Ω) at `order` in `norm`: nsh x n. */
static float *
plane_wave (int order, AlShNorm norm, double az, double el, gsize n)
{
  const int nsh = al_sh_count (order);
  double y[64];
  al_sh_real (order, norm, az, el, y);
  float *b = g_new (float, (gsize) nsh * n);
  for (gsize t = 0; t < n; t++)
    for (int c = 0; c < nsh; c++)
      b[c * n + t] = (float) ((sin (0.3 * t) + 0.2) * y[c]);
  return b;
}

/* A scene by hand: one plane wave s(t) = sin(0.3t) + 0.2 from (az, el) in
 * `norm`, truth at `order`, `nmics` mics with mic q = (q + 1)·0.01·s, and
 * ideal encoders of `orders`. */
static AlSceneAudio *
plane_wave_audio (int order, AlShNorm norm, double az, double el, int nmics, const int *orders, int nenc)
{
  const gsize n = 64;
  AlSceneAudio *a = g_new0 (AlSceneAudio, 1);
  a->fs = fs;
  a->nframes = n;
  a->nmics = nmics;
  a->order = order;
  a->nsh = al_sh_count (order);
  a->norm = norm;
  a->mics = g_new (float, (gsize) nmics * n);
  for (gsize t = 0; t < n; t++)
    for (int q = 0; q < nmics; q++)
      a->mics[q * n + t] = (float) ((q + 1) * 0.01 * (sin (0.3 * t) + 0.2));
  a->truth = plane_wave (order, norm, az, el, n);
  a->nencoders = nenc;
  a->names = g_new0 (char *, nenc);
  a->orders = g_new0 (int, nenc);
  a->latencies = g_new0 (int, nenc);
  a->encoded = g_new0 (float *, nenc);
  for (int e = 0; e < nenc; e++)
    {
      a->names[e] = g_strdup_printf ("order-%d", orders[e]);
      a->orders[e] = orders[e];
      a->encoded[e] = plane_wave (orders[e], norm, az, el, n);
    }
  return a;
}

static void
test_cardioids (void)
{
  const AlShNorm norms[] = { AL_SH_SN3D, AL_SH_N3D, AL_SH_ORTHONORMAL };
  const double dirs[][2] = { { 90, 0 }, { -90, 0 }, { 0, 0 }, { 180, 0 }, { 30, 20 }, { -120, -45 }, { 0, 90 } };
  const double listen_az[] = { 90, 60 };
  const int orders[] = { 0, 1, 3 };
  double worst = 0;
  for (guint i = 0; i < G_N_ELEMENTS (norms); i++)
    for (guint k = 0; k < G_N_ELEMENTS (dirs); k++)
      for (guint j = 0; j < G_N_ELEMENTS (listen_az); j++)
        {
          const double az = AL_DEG2RAD (dirs[k][0]), el = AL_DEG2RAD (dirs[k][1]);
          g_autoptr (AlSceneAudio) a = plane_wave_audio (2, norms[i], az, el, 1, orders, 3);
          AlListenOptions opt;
          al_listen_options_init (&opt);
          opt.azimuth = listen_az[j];
          g_autoptr (GError) error = NULL;
          g_autoptr (AlListenTakes) tk = al_listen_takes_new (a, NULL, &opt, &error);
          g_assert_no_error (error);
          g_assert_cmpint (tk->ntakes, ==, 5);
          g_assert_cmpint (tk->left_mic, ==, 0);
          g_assert_cmpint (tk->right_mic, ==, 0);
          const double g = pow (10, tk->gain_db / 20);
          /* u·Ω for ears at (±φ, 0) and a wave from (az, el) */
          const double phi = AL_DEG2RAD (listen_az[j]);
          const double ox = cos (az) * cos (el), oy = sin (az) * cos (el);
          const double cl = 0.5 * (1 + cos (phi) * ox + sin (phi) * oy);
          const double cr = 0.5 * (1 + cos (phi) * ox - sin (phi) * oy);
          const gsize n = a->nframes;
          for (gsize t = 0; t < n; t++)
            {
              const double s = sin (0.3 * t) + 0.2;
              /* truth (order 2), order-1 and order-3-truncated encoders: the cardioids */
              const int takes_card[] = { 1, 3, 4 };
              for (guint m = 0; m < G_N_ELEMENTS (takes_card); m++)
                {
                  const float *x = tk->takes[takes_card[m]];
                  worst = MAX (worst, fabs (x[t] / g - cl * s));
                  worst = MAX (worst, fabs (x[n + t] / g - cr * s));
                  g_assert_cmpfloat_with_epsilon (x[t] / g, cl * s, 1e-6);
                  g_assert_cmpfloat_with_epsilon (x[n + t] / g, cr * s, 1e-6);
                }
              /* order 0: the pressure on both ears */
              g_assert_cmpfloat_with_epsilon (tk->takes[2][t] / g, s, 1e-6);
              g_assert_cmpfloat_with_epsilon (tk->takes[2][n + t] / g, s, 1e-6);
              /* one mic: both ears */
              g_assert_cmpfloat (tk->takes[0][t], ==, tk->takes[0][n + t]);
            }
          if (dirs[k][0] == 90 && dirs[k][1] == 0 && listen_az[j] == 90)
            for (gsize t = 0; t < n; t++)
              {
                /* from the left: the left ear hears the omni, the right nothing */
                g_assert_cmpfloat_with_epsilon (tk->takes[1][t] / g, a->truth[t] / al_sh_norm_factor (0, AL_SH_SN3D,
                                                                                                      norms[i]),
                                                1e-6);
                g_assert_cmpfloat_with_epsilon (tk->takes[1][n + t], 0, 1e-6);
              }
        }
  g_test_message ("cardioids: largest deviation from 0.5·s·(1 + u·Ω) %.3g", worst);
}

/* ---- (5) One common gain ---- */

static void
test_common_gain (void)
{
  const int order = 1;
  AlAudio *clips[2];
  al_test_noise_clips (clips, 2, fs, 200);
  g_autoptr (AlAtfSet) atf = sh_array (order);
  AlSceneEncoder *encs[2] = {
    al_scene_encoder_new_identity ("identity", order, fs, AL_SH_N3D), /* the array's patterns are N3D */
    delay_encoder ("half", atf->nmics, order, AL_SH_N3D, 3, 0.5f),
  };
  AlSceneSet set;
  short_set (&set, 1, 5);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSceneAudio) a = al_scene_audio_render (atf, encs, 2, &set, clips, NULL, 2, 0, AL_SH_SN3D, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (AlListenTakes) tk = al_listen_takes_new (a, atf->mic_pos, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tk->ntakes, ==, 4);
  g_assert_cmpstr (tk->names[0], ==, "Microphones");
  g_assert_cmpstr (tk->names[1], ==, "Ground truth");
  g_assert_cmpstr (tk->names[2], ==, "identity");
  g_assert_cmpstr (tk->names[3], ==, "half");
  g_assert_cmpint (tk->nframes, ==, a->nframes);
  g_assert_cmpfloat (tk->fs, ==, fs);
  const gsize n2 = 2 * tk->nframes;
  double loudest = 0;
  for (int k = 0; k < tk->ntakes; k++)
    loudest = MAX (loudest, peak_of (tk->takes[k], n2));
  const double truth_rms = rms_of (tk->takes[1], n2), half_rms = rms_of (tk->takes[3], n2);
  g_test_message ("common gain %+.3f dB, loudest peak %.6f dBFS, half/truth level %.6f dB", tk->gain_db,
                  20 * log10 (loudest), 20 * log10 (half_rms / truth_rms));
  g_assert_cmpfloat_with_epsilon (20 * log10 (loudest), -1, 1e-4);
  /* the takes keep their ratios: the half-level encoder stays 6.02 dB down */
  g_assert_cmpfloat_with_epsilon (half_rms / truth_rms, 0.5, 1e-6);
  g_assert_cmpfloat (max_diff (tk->takes[1], tk->takes[2], n2), <=, 1e-6 * loudest);
  /* and the gain is the one that takes the unscaled peak to −1 dBFS: −20 dBFS moves everything by 19 dB */
  AlListenOptions opt;
  al_listen_options_init (&opt);
  opt.peak_dbfs = -20;
  g_autoptr (AlListenTakes) quiet = al_listen_takes_new (a, atf->mic_pos, &opt, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (tk->gain_db - quiet->gain_db, 19, 1e-9);
  for (int k = 0; k < tk->ntakes; k++)
    g_assert_cmpfloat_with_epsilon (rms_of (tk->takes[k], n2) / rms_of (quiet->takes[k], n2), pow (10, 19.0 / 20),
                                    1e-5);

  /* Silence: 0 dB, no division by zero. */
  memset (a->mics, 0, sizeof (float) * a->nmics * a->nframes);
  memset (a->truth, 0, sizeof (float) * a->nsh * a->nframes);
  for (int e = 0; e < 2; e++)
    memset (a->encoded[e], 0, sizeof (float) * al_sh_count (a->orders[e]) * a->nframes);
  g_autoptr (AlListenTakes) silent = al_listen_takes_new (a, atf->mic_pos, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (silent->gain_db, ==, 0);
  for (int k = 0; k < silent->ntakes; k++)
    g_assert_cmpfloat (peak_of (silent->takes[k], n2), ==, 0);

  /* A non-finite sample is named. */
  a->encoded[1][5] = NAN;
  g_autoptr (AlListenTakes) bad = al_listen_takes_new (a, atf->mic_pos, NULL, &error);
  g_assert_null (bad);
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "“half”"));
  for (int e = 0; e < 2; e++)
    al_scene_encoder_free (encs[e]);
  al_test_clips_free (clips, 2);
}

/* ---- (6) The mic pair ---- */

static void
test_mic_pair (void)
{
  g_autoptr (AlAtfSet) atf = glasses_set (100);
  g_assert_cmpint (atf->nmics, ==, 5);
  const int orders[] = { 1 };
  g_autoptr (AlSceneAudio) a = plane_wave_audio (1, AL_SH_SN3D, 0, 0, 5, orders, 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlListenTakes) tk = al_listen_takes_new (a, atf->mic_pos, NULL, &error);
  g_assert_no_error (error);
  double az[2], el[2];
  al_xyz_to_dir (atf->mic_pos + 3 * tk->left_mic, &az[0], &el[0]);
  al_xyz_to_dir (atf->mic_pos + 3 * tk->right_mic, &az[1], &el[1]);
  g_test_message ("glasses5: left mic %d at (%.2f°, %.2f°), right mic %d at (%.2f°, %.2f°)", tk->left_mic,
                  AL_RAD2DEG (az[0]), AL_RAD2DEG (el[0]), tk->right_mic, AL_RAD2DEG (az[1]), AL_RAD2DEG (el[1]));
  /* the back temple mics (order: nose, left front, right front, left back, right back) */
  g_assert_cmpint (tk->left_mic, ==, 3);
  g_assert_cmpint (tk->right_mic, ==, 4);
  g_assert_cmpfloat_with_epsilon (AL_RAD2DEG (az[0]), 100, 1e-9);
  g_assert_cmpfloat_with_epsilon (AL_RAD2DEG (az[1]), -100, 1e-9);
  g_assert_cmpfloat_with_epsilon (AL_RAD2DEG (el[0]), 0, 1e-9);
  /* the take holds those mics (mic q = (q+1)·0.01·s) */
  const gsize n = a->nframes;
  const double g = pow (10, tk->gain_db / 20);
  for (gsize t = 0; t < n; t++)
    {
      g_assert_cmpfloat_with_epsilon (tk->takes[0][t] / g, a->mics[3 * n + t], 1e-7);
      g_assert_cmpfloat_with_epsilon (tk->takes[0][n + t] / g, a->mics[4 * n + t], 1e-7);
    }

  /* Ties go to the lower index; a pair can be named. */
  double flat[15] = { 0 };
  g_autoptr (AlListenTakes) tie = al_listen_takes_new (a, flat, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tie->left_mic, ==, 0);
  g_assert_cmpint (tie->right_mic, ==, 0);
  AlListenOptions opt;
  al_listen_options_init (&opt);
  opt.left_mic = 1;
  opt.right_mic = 2;
  g_autoptr (AlListenTakes) named = al_listen_takes_new (a, NULL, &opt, &error);
  g_assert_no_error (error);
  g_assert_cmpint (named->left_mic, ==, 1);
  g_assert_cmpint (named->right_mic, ==, 2);
  opt.right_mic = 5;
  g_autoptr (AlListenTakes) out = al_listen_takes_new (a, NULL, &opt, &error);
  g_assert_null (out);
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "right microphone 5 does not exist"));
  g_clear_error (&error);
  g_autoptr (AlListenTakes) nopos = al_listen_takes_new (a, NULL, NULL, &error);
  g_assert_null (nopos);
  g_assert_nonnull (strstr (error->message, "no microphone positions"));
}

/* ---- (7) Files ---- */

static void
assert_file_equals (const char *dir, const char *name, const float *x, int nch, gsize n, const char *comment_start)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (AlAudio) back = al_audio_read (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->nchannels, ==, nch);
  g_assert_cmpint (back->nframes, ==, n);
  g_assert_cmpfloat (back->fs, ==, fs);
  for (gsize t = 0; t < n; t++)
    for (int c = 0; c < nch; c++)
      g_assert_cmpfloat (back->data[t * nch + c], ==, x[c * n + t]);
  AlAudioReader *r = al_audio_reader_open (path, &error);
  g_assert_no_error (error);
  g_autofree char *comment = al_audio_reader_comment (r);
  al_audio_reader_close (r);
  g_assert_nonnull (comment);
  if (!g_str_has_prefix (comment, comment_start))
    g_error ("%s: comment “%s” does not start with “%s”", name, comment, comment_start);
}

static void
test_write (void)
{
  const int order = 1, L = 9;
  AlAudio *clips[2];
  al_test_noise_clips (clips, 2, fs, 200);
  g_autoptr (AlAtfSet) atf = sh_array (order);
  AlSceneEncoder *encs[2] = {
    al_scene_encoder_new_identity ("id entity", order, fs, AL_SH_N3D),
    delay_encoder ("late", atf->nmics, 0, AL_SH_SN3D, L, 1),
  };
  AlSceneSet set;
  short_set (&set, 3, 2);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSceneAudio) a = al_scene_audio_render (atf, encs, 2, &set, clips, NULL, 2, 2, AL_SH_SN3D, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (AlListenTakes) tk = al_listen_takes_new (a, atf->mic_pos, NULL, &error);
  g_assert_no_error (error);
  g_autofree char *tmp = g_dir_make_tmp ("scene-audio-XXXXXX", NULL);
  g_autofree char *dir = g_build_filename (tmp, "audio", NULL);
  g_assert_true (al_scene_audio_write (a, tk, dir, FALSE, &error));
  g_assert_no_error (error);
  const gsize n = a->nframes;
  g_autofree char *seed = g_strdup_printf ("seed %u", a->seed);
  assert_file_equals (dir, "scene_003_mics.wav", a->mics, 4, n, "Microphone signals, 4 mics, scene 3");
  assert_file_equals (dir, "scene_003_truth.wav", a->truth, 4, n, "Ambisonics order 1, ACN, sn3d (ground truth");
  assert_file_equals (dir, "scene_003_id_entity.wav", a->encoded[0], 4, n, "Ambisonics order 1, ACN, sn3d (encoder");
  assert_file_equals (dir, "scene_003_late.wav", a->encoded[1], 1, n, "Ambisonics order 0, ACN, sn3d (encoder late");
  static const char *listen[] = { "scene_003_listen_mics.wav", "scene_003_listen_truth.wav",
                                  "scene_003_listen_id_entity.wav", "scene_003_listen_late.wav" };
  for (int k = 0; k < 4; k++)
    assert_file_equals (dir, listen[k], tk->takes[k], 2, n, "Headphone take");
  /* the comments say what the file is */
  g_autofree char *late = g_build_filename (dir, "scene_003_late.wav", NULL);
  AlAudioReader *r = al_audio_reader_open (late, &error);
  g_assert_no_error (error);
  g_autofree char *comment = al_audio_reader_comment (r);
  al_audio_reader_close (r);
  g_assert_nonnull (strstr (comment, seed));
  g_assert_nonnull (strstr (comment, "latency of 9 samples removed"));
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  int count = 0;
  while (g_dir_read_name (d) != NULL)
    count++;
  g_assert_cmpint (count, ==, 8);

  /* Nothing is replaced unless asked. */
  g_autofree char *mics = g_build_filename (dir, "scene_003_mics.wav", NULL);
  GStatBuf before, after;
  g_assert_cmpint (g_stat (mics, &before), ==, 0);
  g_assert_false (al_scene_audio_write (a, tk, dir, FALSE, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "scene_003_mics.wav exists"));
  g_clear_error (&error);
  g_assert_cmpint (g_stat (mics, &after), ==, 0);
  g_assert_cmpuint (after.st_ino, ==, before.st_ino);
  g_assert_true (al_scene_audio_write (a, NULL, dir, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (mics, &after), ==, 0);
  g_assert_cmpuint (after.st_ino, !=, before.st_ino); /* replaced atomically: a new file */

  /* Two encoders that would share a file are refused before anything is written. */
  g_free (a->names[1]);
  a->names[1] = g_strdup ("truth");
  g_autofree char *other = g_build_filename (tmp, "other", NULL);
  g_assert_false (al_scene_audio_write (a, NULL, other, FALSE, &error));
  g_assert_nonnull (strstr (error->message, "scene_003_truth.wav: both the ground truth and encoder “truth”"));
  g_clear_error (&error);
  g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));

  /* A bad index names the scene and the set. */
  g_autoptr (AlSceneAudio) none = al_scene_audio_render (atf, encs, 2, &set, clips, NULL, 2, 3, AL_SH_SN3D, NULL,
                                                         &error);
  g_assert_null (none);
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==, "scene 4 does not exist: the set has 3 scenes (1 to 3)");
  g_clear_error (&error);
  g_autoptr (AlSceneAudio) neg = al_scene_audio_render (atf, encs, 2, &set, clips, NULL, 2, -1, AL_SH_SN3D, NULL,
                                                        &error);
  g_assert_null (neg);
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  /* and a wrong encoder too */
  g_autoptr (AlSceneEncoder) wrong = al_scene_encoder_new_identity ("o2", 2, fs, AL_SH_N3D);
  g_autoptr (AlSceneAudio) mism = al_scene_audio_render (atf, &wrong, 1, &set, clips, NULL, 2, 0, AL_SH_SN3D, NULL,
                                                         &error);
  g_assert_null (mism);
  g_assert_nonnull (strstr (error->message, "expects 9 microphones"));

  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp);
  g_assert_cmpint (system (cmd), ==, 0);
  for (int e = 0; e < 2; e++)
    al_scene_encoder_free (encs[e]);
  al_test_clips_free (clips, 2);
}

/* ---- Progress and cancelling ---- */

typedef struct {
  int calls;
  double last;
  gboolean monotonic;
  GCancellable *cancel; /* cancelled at the first encoder when set */
} Watch;

static void
watch (double fraction, const char *message, gpointer data)
{
  Watch *w = data;
  w->monotonic = w->monotonic && fraction >= w->last;
  w->last = fraction;
  w->calls++;
  if (w->cancel != NULL && message != NULL && g_str_has_prefix (message, "encoder"))
    g_cancellable_cancel (w->cancel);
}

static void
test_progress (void)
{
  AlAudio *clips[1];
  al_test_noise_clips (clips, 1, fs, 200);
  g_autoptr (AlAtfSet) atf = sh_array (1);
  g_autoptr (AlSceneEncoder) id = al_scene_encoder_new_identity ("id", 1, fs, AL_SH_N3D);
  AlSceneSet set;
  short_set (&set, 2, 3);
  g_autoptr (GError) error = NULL;
  Watch w = { 0, 0, TRUE, NULL };
  AlProgress progress = { watch, &w, NULL, 0, 0 };
  g_autoptr (AlSceneAudio) a = al_scene_audio_render (atf, &id, 1, &set, clips, NULL, 1, 0, AL_SH_N3D, &progress,
                                                      &error);
  g_assert_no_error (error);
  g_assert_cmpint (w.calls, >=, 3);
  g_assert_true (w.monotonic);
  g_assert_cmpfloat (w.last, ==, 1);

  g_autoptr (GCancellable) cancel = g_cancellable_new ();
  Watch c = { 0, 0, TRUE, cancel };
  AlProgress cp = { watch, &c, cancel, 0, 0 };
  g_autoptr (AlSceneAudio) b = al_scene_audio_render (atf, &id, 1, &set, clips, NULL, 1, 0, AL_SH_N3D, &cp, &error);
  g_assert_null (b);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  al_test_clips_free (clips, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scene-audio/identity", test_identity);
  g_test_add_func ("/scene-audio/latency", test_latency);
  g_test_add_func ("/scene-audio/same-as-evaluate", test_same_as_evaluate);
  g_test_add_func ("/scene-audio/cardioids", test_cardioids);
  g_test_add_func ("/scene-audio/common-gain", test_common_gain);
  g_test_add_func ("/scene-audio/mic-pair", test_mic_pair);
  g_test_add_func ("/scene-audio/write", test_write);
  g_test_add_func ("/scene-audio/progress", test_progress);
  return g_test_run ();
}
