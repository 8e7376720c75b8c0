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
  double d = al_atf_common_delay (set);
  /* centre 254 minus the 16-sample margin = 238, reported as 238 − 256 */
  g_assert_cmpfloat_with_epsilon (d, -18, 0.5);

  g_autoptr (AlAtfSet) plain = al_test_sh_array (0, grid, 1024, 280, 48000);
  g_assert_cmpfloat_with_epsilon (al_atf_common_delay (plain), 280 - 16, 0.5);
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
  int status = g_test_run ();
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
  if (system (cmd) != 0)
    g_printerr ("could not remove %s\n", tmpdir);
  g_free (tmpdir);
  return status;
}
