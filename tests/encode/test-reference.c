/* test-reference.c — regression against published SAF results for the
 * 5-mic glasses array (rigid sphere r = 8.75 cm; mics at (0,20), (±30,10),
 * (±100,0) deg), order 1, 15 dB, uniform-weight LS, evaluated with SAF's
 * spatial correlation and level difference (encoder-design notes §6):
 *   max amplification 14.0 dB; cSH₀ < 0.9 above 844 Hz;
 *   lSH₁ −21 … −1.6 dB without, −3.7 … −1.1 dB with diffuse-field EQ.
 * SAF works in float32 on its own frequency grid, so the ranges get a
 * tolerance; the aliasing knee of ρ₀ is sharp and must match closely.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "eval/al-eval.h"

static AlAtfSet *glasses;

static AlEncoderEval *
design_and_evaluate (gboolean diffuse_eq, double *max_amp)
{
  AlDesignParams p;
  al_design_params_init (&p);
  p.order = 1;
  p.max_gain_db = 15;
  p.diffuse_eq = diffuse_eq;
  p.fir_length = 2048;
  g_autoptr (GError) error = NULL;
  g_autoptr (AlEncoder) enc = al_encoder_design (glasses, &p, NULL, &error);
  g_assert_no_error (error);
  *max_amp = enc->max_amp_db;
  AlEncoderEval *ev = al_encoder_evaluate (enc, glasses, 100, 20000, NULL, &error);
  g_assert_no_error (error);
  return ev;
}

static void
level_range (const AlEncoderEval *ev, int n, double *lo, double *hi)
{
  *lo = INFINITY;
  *hi = -INFINITY;
  for (int b = 0; b < ev->nbins; b++)
    if (ev->freqs[b] >= 100 && ev->freqs[b] <= 20000)
      {
        *lo = MIN (*lo, ev->level_diff[b * (ev->order + 1) + n]);
        *hi = MAX (*hi, ev->level_diff[b * (ev->order + 1) + n]);
      }
}

static void
test_without_eq (void)
{
  double max_amp;
  g_autoptr (AlEncoderEval) ev = design_and_evaluate (FALSE, &max_amp);
  g_assert_cmpfloat (max_amp, <=, 15.0 + 1e-9);
  g_assert_cmpfloat (max_amp, >=, 13.0);
  int b = 0;
  while (b < ev->nbins - 1 && (ev->freqs[b] < 100 || ev->spatial_corr[b * 2] >= 0.9))
    b++;
  g_test_message ("rho0 < 0.9 from %.1f Hz", ev->freqs[b]);
  g_assert_cmpfloat_with_epsilon (ev->freqs[b], 844, 0.05 * 844);
  double lo, hi;
  level_range (ev, 1, &lo, &hi);
  g_test_message ("L1 %.1f to %.1f dB", lo, hi);
  g_assert_cmpfloat (lo, <, -18);
  g_assert_cmpfloat_with_epsilon (hi, -1.6, 0.5);
}

static void
test_with_eq (void)
{
  double max_amp;
  g_autoptr (AlEncoderEval) ev = design_and_evaluate (TRUE, &max_amp);
  double lo, hi;
  level_range (ev, 1, &lo, &hi);
  g_test_message ("L1 %.1f to %.1f dB", lo, hi);
  g_assert_cmpfloat_with_epsilon (lo, -3.7, 0.6);
  g_assert_cmpfloat_with_epsilon (hi, -1.1, 0.6);
}

/* Spread (max − min) of the order-n level over [2 f_a, 16 kHz]. */
static double
level_spread_above (const AlEncoderEval *ev, int n, double f_a)
{
  double lo = INFINITY, hi = -INFINITY;
  for (int b = 0; b < ev->nbins; b++)
    if (ev->freqs[b] >= 2 * f_a && ev->freqs[b] <= 16000)
      {
        lo = MIN (lo, ev->level_diff[b * (ev->order + 1) + n]);
        hi = MAX (hi, ev->level_diff[b * (ev->order + 1) + n]);
      }
  return hi - lo;
}

/* Diffuse-field EQ holds each order's level flat above the transition (the
 * aliasing frequency c/(2πr) = 624 Hz), for the per-bin and the time-domain
 * designs alike; without it the order-1 level falls by many dB. */
static void
test_diffuse_eq_holds_level (gconstpointer data)
{
  const double f_a = 343.0 / (2 * G_PI * 0.0875);
  for (int eq = 0; eq <= 1; eq++)
    {
      AlDesignParams p;
      al_design_params_init (&p);
      p.method = GPOINTER_TO_INT (data);
      p.order = 1;
      p.max_gain_db = 20;
      p.diffuse_eq = eq;
      p.fir_length = 512;
      g_autoptr (GError) error = NULL;
      g_autoptr (AlEncoder) enc = al_encoder_design (glasses, &p, NULL, &error);
      g_assert_no_error (error);
      g_autoptr (AlEncoderEval) ev = al_encoder_evaluate (enc, glasses, 0, 0, NULL, &error);
      g_assert_no_error (error);
      double spread = level_spread_above (ev, 1, f_a);
      g_test_message ("%s, EQ %s: order-1 level spread above 2 f_a %.2f dB",
                      al_design_method_name (p.method), eq ? "on" : "off", spread);
      if (eq)
        {
          g_assert_cmpfloat_with_epsilon (enc->diffuse_eq_hz, f_a, 1e-6);
          g_assert_cmpfloat (spread, <, 0.5);
          g_assert_cmpfloat (level_spread_above (ev, 0, f_a), <, 0.5);
        }
      else
        g_assert_cmpfloat (spread, >, 6);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_autoptr (AlArrayModel) model = al_array_model_preset ("glasses5", NULL);
  g_autoptr (AlGrid) grid = al_grid_fibonacci (2048);
  glasses = al_array_model_simulate (model, grid, 48000, 512, 280, NULL, NULL);
  g_test_add_func ("/encode/reference/saf-ls", test_without_eq);
  g_test_add_func ("/encode/reference/saf-ls-diffuse-eq", test_with_eq);
  g_test_add_data_func ("/encode/diffuse-eq/tikhonov", GINT_TO_POINTER (AL_DESIGN_TIKHONOV),
                        test_diffuse_eq_holds_level);
  g_test_add_data_func ("/encode/diffuse-eq/td-ls", GINT_TO_POINTER (AL_DESIGN_TD_LS), test_diffuse_eq_holds_level);
  int status = g_test_run ();
  al_atf_set_free (glasses);
  return status;
}
