/* test-eval.c — encoder-on-ATF metrics on cases with known answers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "al-test-arrays.h"
#include "eval/al-eval.h"
#include "io/al-io.h"

static AlEncoder *
identity_encoder (const AlAtfSet *set, int order)
{
  AlDesignParams p;
  al_design_params_init (&p);
  p.order = order;
  p.max_gain_db = 80;
  p.fir_length = 128;
  return al_encoder_design (set, &p, NULL, NULL);
}

/* An SH-pattern array with its identity encoder: ρ = 1, L = 0 dB, DGC = 0,
 * WNG = 0 dB (one unit-gain path per channel) at every frequency. */
static void
test_identity_metrics (void)
{
  g_autoptr (AlGrid) grid = al_grid_gauss_legendre (5);
  g_autoptr (AlAtfSet) set = al_test_sh_array (2, grid, 64, 7, 48000);
  g_autoptr (AlEncoder) enc = identity_encoder (set, 2);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlEncoderEval) ev = al_encoder_evaluate (enc, set, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ev->order, ==, 2);
  for (int b = 0; b < ev->nbins; b++)
    {
      for (int n = 0; n <= 2; n++)
        {
          g_assert_cmpfloat_with_epsilon (ev->spatial_corr[b * 3 + n], 1.0, 1e-6);
          g_assert_cmpfloat_with_epsilon (ev->level_diff[b * 3 + n], 0.0, 1e-6);
        }
      for (int c = 0; c < 9; c++)
        g_assert_cmpfloat_with_epsilon (ev->wng[b * 9 + c], 0.0, 1e-5);
      g_assert_cmpfloat_with_epsilon (ev->max_amp[b], 0.0, 1e-5);
    }
  g_assert_cmpfloat (ev->dgc, <, 1e-6);
  for (int k = 0; k < ev->ndirs; k++)
    g_assert_cmpfloat_with_epsilon (ev->dir_gain[k], 0.0, 1e-6);
}

/* A pure gain g on every filter: level difference 20·log10 g for every
 * order, correlation untouched, WNG up by the same, DGC still 0. */
static void
test_pure_gain (void)
{
  g_autoptr (AlGrid) grid = al_grid_gauss_legendre (4);
  g_autoptr (AlAtfSet) set = al_test_sh_array (1, grid, 64, 7, 48000);
  g_autoptr (AlEncoder) enc = identity_encoder (set, 1);
  const double g = 0.5;
  for (gsize i = 0; i < (gsize) enc->nsh * enc->nmics * enc->fir_len; i++)
    enc->fir[i] *= g;
  g_autoptr (AlEncoderEval) ev = al_encoder_evaluate (enc, set, 0, 0, NULL, NULL);
  g_assert_nonnull (ev);
  const double expect = 20 * log10 (g);
  for (int n = 0; n <= 1; n++)
    {
      g_assert_cmpfloat_with_epsilon (al_encoder_eval_mean_level (ev, n), expect, 1e-5);
      g_assert_cmpfloat_with_epsilon (al_encoder_eval_mean_corr (ev, n), 1.0, 1e-6);
    }
  g_assert_cmpfloat_with_epsilon (ev->wng[5 * 4 + 3], expect, 1e-5);
  g_assert_cmpfloat (ev->dgc, <, 1e-6);
}

/* Swapping the two horizontal dipoles (ACN 1 ↔ 3) keeps the level but
 * turns the order-1 pattern by 90° about z: the correlation of Y_1^{-1}
 * with Y_1^{1} is 0, of Y_1^0 with itself 1, so ρ_1 = 1/3. */
static void
test_swapped_channels (void)
{
  g_autoptr (AlGrid) grid = al_grid_gauss_legendre (4);
  g_autoptr (AlAtfSet) set = al_test_sh_array (1, grid, 64, 7, 48000);
  g_autoptr (AlEncoder) enc = identity_encoder (set, 1);
  const int L = enc->fir_len, m = enc->nmics;
  g_autofree float *row1 = g_memdup2 (enc->fir + (gsize) 1 * m * L, sizeof (float) * m * L);
  memcpy (enc->fir + (gsize) 1 * m * L, enc->fir + (gsize) 3 * m * L, sizeof (float) * m * L);
  memcpy (enc->fir + (gsize) 3 * m * L, row1, sizeof (float) * m * L);
  g_autoptr (AlEncoderEval) ev = al_encoder_evaluate (enc, set, 0, 0, NULL, NULL);
  g_assert_cmpfloat_with_epsilon (al_encoder_eval_mean_corr (ev, 1), 1.0 / 3.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (al_encoder_eval_mean_level (ev, 1), 0.0, 1e-5);
  g_assert_cmpfloat_with_epsilon (al_encoder_eval_mean_corr (ev, 0), 1.0, 1e-6);
}

/* Directions heard twice as loud: G_k = 20·log10 2 = 6.02 dB for half of
 * them and 0 dB for the rest, so DGC (their standard deviation) is 3.01 dB. */
static void
test_directional_gain (void)
{
  g_autoptr (AlGrid) grid = al_grid_gauss_legendre (4);
  g_autoptr (AlAtfSet) set = al_test_sh_array (1, grid, 64, 7, 48000);
  g_autoptr (AlEncoder) enc = identity_encoder (set, 1);
  g_assert_cmpint (set->ndirs % 2, ==, 0);
  for (int k = 0; k < set->ndirs; k += 2)
    for (gsize i = 0; i < (gsize) set->nmics * set->ir_len; i++)
      set->ir[(gsize) k * set->nmics * set->ir_len + i] *= 2;
  g_autoptr (AlEncoderEval) ev = al_encoder_evaluate (enc, set, 0, 0, NULL, NULL);
  for (int k = 0; k < ev->ndirs; k++)
    g_assert_cmpfloat_with_epsilon (ev->dir_gain[k], k % 2 == 0 ? 20 * log10 (2) : 0, 1e-6);
  g_assert_cmpfloat_with_epsilon (ev->dgc, 10 * log10 (2), 1e-6);
}

static void
test_bad_band (void)
{
  g_autoptr (AlGrid) grid = al_grid_gauss_legendre (3);
  g_autoptr (AlAtfSet) set = al_test_sh_array (1, grid, 64, 7, 48000);
  g_autoptr (AlEncoder) enc = identity_encoder (set, 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlEncoderEval) ev = al_encoder_evaluate (enc, set, 5000, 1000, NULL, &error);
  g_assert_null (ev);
  g_assert_nonnull (strstr (error->message, "5000–1000 Hz is empty"));
}

static void
test_mismatch (void)
{
  g_autoptr (AlGrid) grid = al_grid_gauss_legendre (3);
  g_autoptr (AlAtfSet) set = al_test_sh_array (1, grid, 64, 7, 48000);
  g_autoptr (AlEncoder) enc = identity_encoder (set, 1);
  g_autoptr (AlAtfSet) other = al_test_sh_array (1, grid, 64, 7, 44100);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlEncoderEval) ev = al_encoder_evaluate (enc, other, 0, 0, NULL, &error);
  g_assert_null (ev);
  g_assert_error (error, AL_ERROR, AL_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "44100"));
}

/* The CSV files carry exactly the numbers of the evaluation. */
static void
test_written_files (void)
{
  g_autoptr (AlGrid) grid = al_grid_gauss_legendre (3);
  g_autoptr (AlAtfSet) set = al_test_sh_array (1, grid, 64, 7, 48000);
  g_autoptr (AlEncoder) enc = identity_encoder (set, 1);
  for (gsize i = 0; i < (gsize) enc->nsh * enc->nmics * enc->fir_len; i++)
    enc->fir[i] *= 2;
  g_autoptr (AlEncoderEval) ev = al_encoder_evaluate (enc, set, 0, 0, NULL, NULL);
  g_autofree char *dir = g_dir_make_tmp ("ambilab-eval-XXXXXX", NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (al_encoder_eval_write (ev, enc, dir, &error));
  g_assert_no_error (error);

  g_autofree char *csv = g_build_filename (dir, "level_difference.csv", NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "freq_hz,order_0,order_1");
  g_auto (GStrv) cells = g_strsplit (lines[10], ",", -1);
  g_assert_cmpfloat_with_epsilon (g_ascii_strtod (cells[0], NULL), ev->freqs[9], 1e-3);
  g_assert_cmpfloat_with_epsilon (g_ascii_strtod (cells[2], NULL), 20 * log10 (2), 1e-5);

  g_autofree char *json = g_build_filename (dir, "metrics.json", NULL);
  g_autoptr (JsonNode) root = al_json_read (json, &error);
  g_assert_no_error (error);
  JsonObject *o = json_node_get_object (root);
  JsonArray *levels = json_object_get_array_member (o, "level_difference_mean_db");
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (levels, 1), 20 * log10 (2), 1e-5);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "directional_gain_consistency_db"), 0, 1e-6);

  static const char *files[] = { "spatial_correlation.csv", "wng.csv", "directional_gain.csv",
                                 "spatial_correlation.png", "spatial_correlation.pdf", "level_difference.png",
                                 "wng.png", "directional_gain.png", "directional_gain.pdf" };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);
      GStatBuf st;
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_size, >, 200);
      g_unlink (path);
    }
  g_unlink (csv);
  g_unlink (json);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/eval/identity", test_identity_metrics);
  g_test_add_func ("/eval/pure-gain", test_pure_gain);
  g_test_add_func ("/eval/swapped-channels", test_swapped_channels);
  g_test_add_func ("/eval/mismatch", test_mismatch);
  g_test_add_func ("/eval/directional-gain", test_directional_gain);
  g_test_add_func ("/eval/bad-band", test_bad_band);
  g_test_add_func ("/eval/files", test_written_files);
  return g_test_run ();
}
