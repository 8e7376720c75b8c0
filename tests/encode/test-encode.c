/* test-encode.c — encoder design, files and application against known answers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "al-test-arrays.h"
#include "encode/al-encode.h"
#include "io/al-io.h"

static char *tmpdir;

/* The identity encoder of an SH-pattern array: FIR c,q is δ_cq at the
 * latency (times the N3D→SN3D factor), nothing elsewhere. */
static void
check_identity (const AlEncoder *enc, double tol)
{
  for (int c = 0; c < enc->nsh; c++)
    {
      double scale = al_sh_norm_factor (al_sh_degree_of (c), AL_SH_N3D, enc->params.norm);
      for (int q = 0; q < enc->nmics; q++)
        {
          const float *h = enc->fir + ((gsize) c * enc->nmics + q) * enc->fir_len;
          for (int i = 0; i < enc->fir_len; i++)
            {
              double expect = (c == q && i == enc->latency) ? scale : 0.0;
              if (fabs (h[i] - expect) > tol)
                g_error ("FIR %d,%d tap %d: %g, expected %g", c, q, i, h[i], expect);
            }
        }
    }
}

static void
test_identity_tikhonov (void)
{
  g_autoptr (AlGrid) grid = al_grid_gauss_legendre (4);
  g_autoptr (AlAtfSet) set = al_test_sh_array (2, grid, 64, 0, 48000);
  AlDesignParams p;
  al_design_params_init (&p);
  p.order = 2;
  p.max_gain_db = 80;
  p.fir_length = 128;
  g_autoptr (AlEncoder) enc = al_encoder_design (set, &p, NULL, NULL);
  g_assert_nonnull (enc);
  g_assert_cmpint (enc->nsh, ==, 9);
  /* The onset at 0 is advanced by −margin (16 samples): latency = L/2 − 16. */
  g_assert_cmpint (enc->latency, ==, 64 - 16);
  check_identity (enc, 1e-6);
}

static void
test_identity_softlimit_and_td (void)
{
  g_autoptr (AlGrid) grid = al_grid_gauss_legendre (3);
  g_autoptr (AlAtfSet) set = al_test_sh_array (1, grid, 64, 5, 48000);
  AlDesignParams p;
  al_design_params_init (&p);
  p.order = 1;
  p.max_gain_db = 80;
  p.fir_length = 64;
  p.norm = AL_SH_N3D;
  p.method = AL_DESIGN_SOFTLIMIT;
  g_autoptr (AlEncoder) soft = al_encoder_design (set, &p, NULL, NULL);
  g_assert_nonnull (soft);
  /* Soft limiting of a unit singular value at α = 10⁴: gain (2α/π)atan(π/2α) = 1 − O(α⁻²). */
  check_identity (soft, 1e-6);

  p.method = AL_DESIGN_TD_LS;
  g_autoptr (AlEncoder) td = al_encoder_design (set, &p, NULL, NULL);
  g_assert_nonnull (td);
  check_identity (td, 1e-6);
}

/* β = 1/(2α): a single omni "mic" with response s per mode gets gain
 * s/(s² + β²); for s = β the gain is exactly α, the cap. */
static void
test_gain_cap (void)
{
  g_autoptr (AlGrid) grid = al_grid_gauss_legendre (2);
  const double max_gain_db = 12;
  const double alpha = pow (10, max_gain_db / 20), beta = 1 / (2 * alpha);
  g_autoptr (AlAtfSet) set = al_test_sh_array (0, grid, 32, 0, 48000);
  for (gsize i = 0; i < (gsize) set->ndirs * set->ir_len; i++)
    set->ir[i] *= beta; /* Y_0 = 1 in N3D: every IR becomes β·δ */
  AlDesignParams p;
  al_design_params_init (&p);
  p.order = 0;
  p.max_gain_db = max_gain_db;
  p.fir_length = 64;
  p.norm = AL_SH_N3D;
  g_autoptr (AlEncoder) enc = al_encoder_design (set, &p, NULL, NULL);
  g_assert_nonnull (enc);
  g_assert_cmpfloat_with_epsilon (enc->fir[enc->latency], alpha, 1e-5 * alpha);
  /* λmax(EᴴE) = α²: the cap in dB */
  g_assert_cmpfloat_with_epsilon (enc->max_amp_db, max_gain_db, 1e-4);
}

static void
test_common_delay_circular (void)
{
  g_autoptr (AlGrid) grid = al_grid_gauss_legendre (2);
  /* Onsets at 250 in a 256-sample buffer, every other direction wrapped to
   * 2 (= 258): the circular mean sits at 254, never at the linear mean 126. */
  g_autoptr (AlAtfSet) set = al_test_sh_array (0, grid, 256, 250, 48000);
  for (int k = 0; k < set->ndirs; k += 2)
    {
      double *h = set->ir + (gsize) k * 256;
      h[2] = h[250];
      h[250] = 0;
    }
  double d = al_atf_set_common_delay (set);
  /* centre 254 minus the 16-sample margin = 238, reported as 238 − 256 */
  g_assert_cmpfloat_with_epsilon (d, -18, 0.5);

  g_autoptr (AlAtfSet) plain = al_test_sh_array (0, grid, 1024, 280, 48000);
  g_assert_cmpfloat_with_epsilon (al_atf_set_common_delay (plain), 280 - 16, 0.5);
}

static void
test_save_load_roundtrip (void)
{
  g_autoptr (AlGrid) grid = al_grid_gauss_legendre (3);
  g_autoptr (AlAtfSet) set = al_test_sh_array (1, grid, 64, 3, 44100);
  AlDesignParams p;
  al_design_params_init (&p);
  p.fir_length = 96;
  p.max_gain_db = 30;
  g_autoptr (AlEncoder) enc = al_encoder_design (set, &p, NULL, NULL);
  g_autofree char *json = g_build_filename (tmpdir, "rt.json", NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (al_encoder_save (enc, json, &error));
  g_assert_no_error (error);
  g_autoptr (AlEncoder) back = al_encoder_load (json, &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->nsh, ==, enc->nsh);
  g_assert_cmpint (back->nmics, ==, enc->nmics);
  g_assert_cmpint (back->fir_len, ==, enc->fir_len);
  g_assert_cmpint (back->latency, ==, enc->latency);
  g_assert_cmpint (back->params.norm, ==, AL_SH_SN3D);
  g_assert_cmpfloat (back->fs, ==, 44100);
  g_assert_cmpmem (back->fir, sizeof (float) * enc->nsh * enc->nmics * enc->fir_len, enc->fir,
                   sizeof (float) * enc->nsh * enc->nmics * enc->fir_len);

  /* The WAV is channels = outputs, frames = mics × taps (MatrixConv). */
  g_autofree char *wav = g_build_filename (tmpdir, "rt.wav", NULL);
  g_autoptr (AlAudio) audio = al_audio_read (wav, &error);
  g_assert_no_error (error);
  g_assert_cmpint (audio->nchannels, ==, 4);
  g_assert_cmpint (audio->nframes, ==, 4 * 96);
  /* output 2 (ACN 2), input 3, tap t sits at frame 2·96 + t, channel 2 */
  g_assert_cmpfloat (audio->data[(2 * 96 + enc->latency) * 4 + 2], ==, enc->fir[(2 * 4 + 2) * 96 + enc->latency]);

  /* mcfx: one /impulse/read line per filter, offsets in samples */
  g_autofree char *conf = g_build_filename (tmpdir, "rt.conf", NULL);
  g_assert_true (al_encoder_export_mcfx (enc, conf, "rt.wav", &error));
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (conf, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "/convolver/new 4 4 512 96\n"));
  g_assert_nonnull (strstr (text, "/impulse/read 3 2 1 0 192 96 2 rt.wav\n"));

  /* Filters that are not the ones the sidecar describes (a save that failed
   * half-way) are refused, naming both files. */
  audio->data[7] += 0.25f;
  g_assert_true (al_audio_write (wav, audio, NULL));
  g_autoptr (AlEncoder) stale = al_encoder_load (json, &error);
  g_assert_null (stale);
  g_assert_error (error, AL_ERROR, AL_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "rt.wav does not hold the filters"));
  g_clear_error (&error);

  /* Members of the wrong kind are named. */
  g_autofree char *text_json = NULL;
  g_assert_true (g_file_get_contents (json, &text_json, NULL, NULL));
  g_autoptr (GRegex) re = g_regex_new ("\"method\" : \"[a-z-]+\"", 0, 0, NULL);
  g_autofree char *broken = g_regex_replace_literal (re, text_json, -1, 0, "\"method\" : 3", 0, NULL);
  g_assert_cmpstr (broken, !=, text_json);
  g_autofree char *json2 = g_build_filename (tmpdir, "typed.json", NULL);
  g_assert_true (g_file_set_contents (json2, broken, -1, NULL));
  g_autoptr (AlEncoder) typed = al_encoder_load (json2, &error);
  g_assert_null (typed);
  g_assert_nonnull (strstr (error->message, "“method” must be a string"));
  g_clear_error (&error);

  /* A sidecar whose WAV has the wrong shape is refused with its name. */
  g_autoptr (AlAudio) bad = al_audio_new (44100, 3, 10);
  g_assert_true (al_audio_write (wav, bad, NULL));
  g_autoptr (AlEncoder) refused = al_encoder_load (json, &error);
  g_assert_null (refused);
  g_assert_nonnull (strstr (error->message, "rt.wav"));
}

static void
test_bad_requests (void)
{
  g_autoptr (AlGrid) grid = al_grid_gauss_legendre (3);
  g_autoptr (AlAtfSet) set = al_test_sh_array (1, grid, 64, 3, 48000);
  AlDesignParams p;
  al_design_params_init (&p);
  p.order = 2; /* 9 channels from 4 mics */
  g_autoptr (GError) error = NULL;
  g_autoptr (AlEncoder) enc = al_encoder_design (set, &p, NULL, &error);
  g_assert_null (enc);
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "order 2 needs at least 9 microphones"));
  g_clear_error (&error);

  p.allow_high_order = TRUE;
  g_autoptr (AlEncoder) forced = al_encoder_design (set, &p, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (forced->warnings->len, ==, 1);

  set->ir[17] = NAN;
  p.order = 1;
  g_autoptr (AlEncoder) nan_enc = al_encoder_design (set, &p, NULL, &error);
  g_assert_null (nan_enc);
  g_assert_nonnull (strstr (error->message, "NaN"));
}

/* Mics of the SH-pattern array hear a plane wave from Ω as Y_q(Ω)·s(t); the
 * identity encoder must return b_c = Y_c(Ω)·s(t) sample-aligned. */
static void
test_apply_file (void)
{
  g_autoptr (AlGrid) grid = al_grid_gauss_legendre (3);
  g_autoptr (AlAtfSet) set = al_test_sh_array (1, grid, 64, 0, 48000);
  AlDesignParams p;
  al_design_params_init (&p);
  p.max_gain_db = 80;
  p.fir_length = 256;
  g_autoptr (AlEncoder) enc = al_encoder_design (set, &p, NULL, NULL);

  const double az = 1.1, el = 0.3;
  double y[4], y_sn3d[4];
  al_sh_real (1, AL_SH_N3D, az, el, y);
  al_sh_real (1, AL_SH_SN3D, az, el, y_sn3d);
  const gint64 n = 48000 + 123;
  g_autoptr (AlAudio) mics = al_audio_new (48000, 4, n);
  GRand *rand = g_rand_new_with_seed (7);
  float *s = g_new (float, n);
  for (gint64 i = 0; i < n; i++)
    {
      s[i] = (float) g_rand_double_range (rand, -0.5, 0.5);
      for (int q = 0; q < 4; q++)
        mics->data[i * 4 + q] = (float) (y[q] * s[i]);
    }
  g_rand_free (rand);
  g_autofree char *in = g_build_filename (tmpdir, "mics.wav", NULL);
  g_autofree char *out = g_build_filename (tmpdir, "ambi.wav", NULL);
  g_assert_true (al_audio_write (in, mics, NULL));
  g_autoptr (GError) error = NULL;
  g_assert_true (al_encoder_apply_file (enc, in, out, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_autoptr (AlAudio) ambi = al_audio_read (out, &error);
  g_assert_cmpint (ambi->nchannels, ==, 4);
  /* The file says what it holds. */
  AlAudioReader *reader = al_audio_reader_open (out, NULL);
  g_autofree char *comment = al_audio_reader_comment (reader);
  al_audio_reader_close (reader);
  g_assert_cmpstr (comment, ==, "Ambisonics order 1, ACN, sn3d (encoder )");
  g_assert_cmpint (ambi->nframes, ==, n);
  double err = 0;
  for (gint64 i = 0; i < n; i++)
    for (int c = 0; c < 4; c++)
      err = MAX (err, fabs (ambi->data[i * 4 + c] - y_sn3d[c] * s[i]));
  g_assert_cmpfloat (err, <, 1e-5);

  /* Without compensation the output is longer by the latency and delayed by it. */
  g_assert_true (al_encoder_apply_file (enc, in, out, FALSE, NULL, &error));
  g_autoptr (AlAudio) delayed = al_audio_read (out, &error);
  g_assert_cmpint (delayed->nframes, ==, n + enc->latency);
  g_assert_cmpfloat_with_epsilon (delayed->data[(100 + enc->latency) * 4], y_sn3d[0] * s[100], 1e-5);

  /* Wrong channel count and sample rate are refused, naming the file. */
  g_autoptr (AlAudio) three = al_audio_new (48000, 3, 100);
  g_assert_true (al_audio_write (in, three, NULL));
  g_assert_false (al_encoder_apply_file (enc, in, out, TRUE, NULL, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "mics.wav has 3 channels"));
  g_clear_error (&error);
  g_autoptr (AlAudio) slow = al_audio_new (44100, 4, 100);
  g_assert_true (al_audio_write (in, slow, NULL));
  g_assert_false (al_encoder_apply_file (enc, in, out, TRUE, NULL, &error));
  g_assert_nonnull (strstr (error->message, "44100 Hz"));
  g_free (s);
}

/* One prepared context serves many designs, each identical to a fresh
 * al_encoder_design with the same parameters. */
static void
test_context_matches_design (void)
{
  g_autoptr (AlArrayModel) model = al_array_model_preset ("glasses5", NULL);
  g_autoptr (AlGrid) grid = al_grid_fibonacci (300);
  g_autoptr (AlAtfSet) set = al_array_model_simulate (model, grid, 48000, 256, 100, NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlDesignContext) ctx = al_design_context_new (set, 256, 1, NULL, &error);
  g_assert_no_error (error);
  const double gains[] = { 10, 25 };
  for (int i = 0; i < 2; i++)
    for (int method = AL_DESIGN_TIKHONOV; method <= AL_DESIGN_SOFTLIMIT; method++)
      {
        AlDesignParams p;
        al_design_params_init (&p);
        p.method = method;
        p.max_gain_db = gains[i];
        p.diffuse_eq = i == 1;
        p.fir_length = 256;
        g_autoptr (AlEncoder) a = al_design_context_run (ctx, &p, NULL, &error);
        g_assert_no_error (error);
        g_autoptr (AlEncoder) b = al_encoder_design (set, &p, NULL, &error);
        g_assert_no_error (error);
        g_assert_cmpint (a->latency, ==, b->latency);
        g_assert_cmpfloat (a->max_amp_db, ==, b->max_amp_db);
        g_assert_cmpmem (a->fir, sizeof (float) * 4 * 5 * 256, b->fir, sizeof (float) * 4 * 5 * 256);
      }
  AlDesignParams wrong;
  al_design_params_init (&wrong);
  wrong.fir_length = 512;
  g_autoptr (AlEncoder) none = al_design_context_run (ctx, &wrong, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
}

/* The centre arrival of a simulated array is known: the model's delay. */
static void
test_centre_arrival (void)
{
  const char *presets[] = { "glasses5", "em32" };
  for (int i = 0; i < 2; i++)
    {
      g_autoptr (AlArrayModel) model = al_array_model_preset (presets[i], NULL);
      g_autoptr (AlGrid) grid = al_grid_fibonacci (400);
      g_autoptr (AlAtfSet) set = al_array_model_simulate (model, grid, 48000, 512, 280.25, NULL, NULL);
      double t0 = al_atf_set_centre_arrival (set);
      g_test_message ("%s: centre arrival %.2f (true 280.25)", presets[i], t0);
      g_assert_cmpfloat_with_epsilon (t0, 280.25, 0.5);
    }
}

/* The reported latency is where the encoded signal of a plane wave lands
 * relative to its arrival at the array centre: the omni output of a frontal
 * wave peaks at 280 + latency. */
static void
test_latency_is_physical (void)
{
  g_autoptr (AlArrayModel) model = al_array_model_preset ("glasses5", NULL);
  g_autoptr (AlGrid) grid = al_grid_fibonacci (600);
  g_autoptr (AlAtfSet) set = al_array_model_simulate (model, grid, 48000, 512, 280, NULL, NULL);
  for (int method = AL_DESIGN_TIKHONOV; method <= AL_DESIGN_TD_LS; method++)
    {
      AlDesignParams p;
      al_design_params_init (&p);
      p.method = method;
      p.max_gain_db = 20;
      p.fir_length = 512;
      g_autoptr (GError) error = NULL;
      g_autoptr (AlEncoder) enc = al_encoder_design (set, &p, NULL, &error);
      g_assert_no_error (error);
      int k = 0; /* the direction nearest the front */
      for (int j = 1; j < set->ndirs; j++)
        if (cos (set->dirs[2 * j + 1]) * cos (set->dirs[2 * j]) > cos (set->dirs[2 * k + 1]) * cos (set->dirs[2 * k]))
          k = j;
      const int n = set->ir_len + enc->fir_len;
      g_autofree double *w = g_new0 (double, n);
      for (int q = 0; q < enc->nmics; q++)
        {
          const float *h = enc->fir + (gsize) q * enc->fir_len; /* ACN 0 */
          const double *d = set->ir + ((gsize) k * set->nmics + q) * set->ir_len;
          for (int i = 0; i < enc->fir_len; i++)
            for (int t = 0; t < set->ir_len; t++)
              w[i + t] += h[i] * d[t];
        }
      int peak = 0;
      for (int i = 1; i < n; i++)
        if (fabs (w[i]) > fabs (w[peak]))
          peak = i;
      g_test_message ("%s: omni peak at %d, 280 + latency = %d", al_design_method_name (method), peak,
                      280 + enc->latency);
      g_assert_cmpint (abs (peak - (280 + enc->latency)), <=, 1);
    }
}

/* Σ_k w_k ‖Σ_q h_q * d_kq − Y δ(·−τ)‖² + γ‖h‖² for the order-0 channel (N3D). */
static double
td_objective (const AlAtfSet *set, const AlGrid *grid, const double *h, int L, int tau, double gamma)
{
  const int m = set->nmics, n = set->ir_len + L - 1;
  double J = 0;
  g_autofree double *e = g_new (double, n);
  for (int k = 0; k < set->ndirs; k++)
    {
      memset (e, 0, sizeof (double) * n);
      for (int q = 0; q < m; q++)
        for (int i = 0; i < L; i++)
          for (int t = 0; t < set->ir_len; t++)
            e[i + t] += h[q * L + i] * set->ir[((gsize) k * m + q) * set->ir_len + t];
      e[tau] -= 1.0; /* Y_0 = 1 in N3D */
      for (int t = 0; t < n; t++)
        J += grid->weights[k] * e[t] * e[t];
    }
  for (int i = 0; i < m * L; i++)
    J += gamma * h[i] * h[i];
  return J;
}

/* td-ls minimises its objective: on a one-sided set (where lag-symmetry
 * hides nothing) every small step away from its filters costs more, and the
 * filters beat no filter at all. */
static void
test_td_ls_minimises (void)
{
  /* Two free-field omnis on the x axis, 10 cm out, front and back; only the
   * frontal directions, so the front mic always leads and the cross-
   * correlations are far from even in lag. */
  double mics[] = { 0, 0, G_PI, 0 };
  g_autoptr (AlArrayModel) model = al_array_model_new (AL_ARRAY_FREE_FIELD, 0.1, mics, 2);
  g_autoptr (AlGrid) full = al_grid_fibonacci (600);
  int nfront = 0;
  g_autofree double *dirs = g_new (double, 2 * full->n);
  for (int j = 0; j < full->n; j++)
    if (cos (full->dirs[2 * j + 1]) * cos (full->dirs[2 * j]) > 0.5)
      {
        dirs[2 * nfront] = full->dirs[2 * j];
        dirs[2 * nfront + 1] = full->dirs[2 * j + 1];
        nfront++;
      }
  g_autoptr (AlGrid) front = al_grid_from_dirs (dirs, nfront, NULL);
  g_autoptr (AlAtfSet) set = al_array_model_simulate (model, front, 48000, 128, 50, NULL, NULL);
  AlDesignParams p;
  al_design_params_init (&p);
  p.method = AL_DESIGN_TD_LS;
  p.order = 0;
  p.norm = AL_SH_N3D;
  p.max_gain_db = 20;
  p.fir_length = 128;
  g_autoptr (GError) error = NULL;
  g_autoptr (AlEncoder) enc = al_encoder_design (set, &p, NULL, &error);
  g_assert_no_error (error);

  /* The objective in the design's own frame: the aligned set, τ = L/2. */
  g_autoptr (AlGrid) grid = al_atf_set_grid (set, NULL);
  g_autoptr (AlAtfSet) aligned = al_atf_set_aligned (set, (int) enc->atf_delay, set->ir_len);
  const int L = 128, tau = L / 2;
  const double gamma = 1.0 / (4 * pow (10, 20 / 10.0));
  g_autofree double *h = g_new (double, 2 * L);
  for (int i = 0; i < 2 * L; i++)
    h[i] = enc->fir[i];
  double J = td_objective (aligned, grid, h, L, tau, gamma);
  g_autofree double *zero = g_new0 (double, 2 * L);
  double J0 = td_objective (aligned, grid, zero, L, tau, gamma);
  g_test_message ("J(td-ls) = %.6g, J(0) = %.6g", J, J0);
  g_assert_cmpfloat (J, <, J0);
  GRand *rand = g_rand_new_with_seed (3);
  for (int trial = 0; trial < 20; trial++)
    {
      g_autofree double *step = g_memdup2 (h, sizeof (double) * 2 * L);
      for (int i = 0; i < 2 * L; i++)
        step[i] += 1e-3 * g_rand_double_range (rand, -1, 1);
      g_assert_cmpfloat (td_objective (aligned, grid, step, L, tau, gamma), >=, J * (1 - 1e-9));
    }
  g_rand_free (rand);
}

static void
test_too_short_filters (void)
{
  g_autoptr (AlArrayModel) model = al_array_model_preset ("glasses5", NULL);
  g_autoptr (AlGrid) grid = al_grid_fibonacci (100);
  g_autoptr (AlAtfSet) set = al_array_model_simulate (model, grid, 48000, 256, 100, NULL, NULL);
  AlDesignParams p;
  al_design_params_init (&p);
  p.fir_length = 32;
  g_autoptr (GError) error = NULL;
  g_autoptr (AlEncoder) enc = al_encoder_design (set, &p, NULL, &error);
  g_assert_null (enc);
  g_assert_nonnull (strstr (error->message, "too short"));
  g_assert_nonnull (strstr (error->message, "use at least 128"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("ambilab-encode-XXXXXX", NULL);
  g_test_add_func ("/encode/identity/tikhonov", test_identity_tikhonov);
  g_test_add_func ("/encode/identity/softlimit-td", test_identity_softlimit_and_td);
  g_test_add_func ("/encode/gain-cap", test_gain_cap);
  g_test_add_func ("/encode/common-delay", test_common_delay_circular);
  g_test_add_func ("/encode/files", test_save_load_roundtrip);
  g_test_add_func ("/encode/bad-requests", test_bad_requests);
  g_test_add_func ("/encode/apply", test_apply_file);
  g_test_add_func ("/encode/context", test_context_matches_design);
  g_test_add_func ("/encode/centre-arrival", test_centre_arrival);
  g_test_add_func ("/encode/latency", test_latency_is_physical);
  g_test_add_func ("/encode/td-ls-minimises", test_td_ls_minimises);
  g_test_add_func ("/encode/too-short", test_too_short_filters);
  int status = g_test_run ();
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
  if (system (cmd) != 0)
    g_printerr ("could not remove %s\n", tmpdir);
  g_free (tmpdir);
  return status;
}
