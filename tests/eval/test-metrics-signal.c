/* test-metrics-signal.c — coherence, magnitude error, SI-SDR, LSD and
 * directional gain on signals with known answers: identical signals, a pure
 * gain, a pure delay (aligned by latency, and misaligned), white noise at a
 * known SNR, mismatched inputs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "dsp/al-dsp.h"
#include "eval/al-metrics.h"

#define FS 48000.0

/* nch x n independent uniform white noise, unit variance (planar). */
static float *
noise_float (int nch, gsize n, guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  float *x = g_new (float, (gsize) nch * n);
  for (gsize i = 0; i < (gsize) nch * n; i++)
    x[i] = (float) (sqrt (3.0) * g_rand_double_range (rand, -1.0, 1.0));
  return x;
}

static double *
noise_double (int nch, gsize n, guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  double *x = g_new (double, (gsize) nch * n);
  for (gsize i = 0; i < (gsize) nch * n; i++)
    x[i] = sqrt (3.0) * g_rand_double_range (rand, -1.0, 1.0);
  return x;
}

/* Identical signals: γ = 1 in every bin, 0 dB magnitude error, SI-SDR at
 * its +120 dB ceiling, LSD 0. */
static void
test_identical (void)
{
  const int nch = 4;
  const gsize n = 48000;
  g_autofree float *x = noise_float (nch, n, 1);
  AlShSignals ref = al_sh_signals_float (x, nch, n, FS, AL_SH_SN3D);
  AlShSignals est = ref;
  g_autoptr (GError) error = NULL;

  g_autoptr (AlSpectralMetric) coh = al_coherence_per_channel (&est, &ref, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (coh->nch, ==, nch);
  g_assert_cmpint (coh->nbins, ==, 385);
  g_assert_cmpint (coh->frame, ==, 768);
  g_assert_cmpint (coh->hop, ==, 384);
  g_assert_cmpfloat_with_epsilon (coh->freqs[1], 62.5, 1e-12);
  for (int i = 0; i < nch * coh->nbins; i++)
    g_assert_cmpfloat_with_epsilon (coh->per_channel[i], 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (coh->mean, 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (coh->mean_octave, 1.0, 1e-9);
  g_assert_cmpfloat (coh->band_lo, ==, 50.0);
  g_assert_cmpfloat (coh->band_hi, ==, 24000.0);

  g_autoptr (AlSpectralMetric) mag = al_magnitude_error (&est, &ref, NULL, &error);
  g_assert_no_error (error);
  for (int i = 0; i < nch * mag->nbins; i++)
    g_assert_cmpfloat (mag->per_channel[i], ==, 0.0);
  g_assert_cmpfloat (mag->mean, ==, 0.0);

  double sdr[4], mean;
  g_assert_true (al_si_sdr (&est, &ref, sdr, &mean, &error));
  g_assert_no_error (error);
  for (int c = 0; c < nch; c++)
    g_assert_cmpfloat (sdr[c], >=, 100.0);
  g_assert_cmpfloat_with_epsilon (mean, 120.0, 1e-6);

  double lsd[4], lsd_mean;
  g_assert_true (al_lsd (&est, &ref, NULL, lsd, &lsd_mean, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (lsd_mean, ==, 0.0);
}

/* A pure gain of g dB: magnitude error and LSD |g| dB, coherence 1,
 * SI-SDR still at its ceiling (scale-invariant). */
static void
test_pure_gain (void)
{
  const int nch = 9;
  const gsize n = 24000;
  g_autofree double *x = noise_double (nch, n, 2);
  g_autofree double *y = g_new (double, (gsize) nch * n);
  const double gains_db[] = { -6.0, 3.5, 0.25 };
  for (guint gi = 0; gi < G_N_ELEMENTS (gains_db); gi++)
    {
      double g = pow (10.0, gains_db[gi] / 20.0);
      for (gsize i = 0; i < (gsize) nch * n; i++)
        y[i] = g * x[i];
      AlShSignals ref = al_sh_signals_double (x, nch, n, FS, AL_SH_N3D);
      AlShSignals est = al_sh_signals_double (y, nch, n, FS, AL_SH_N3D);
      g_autoptr (GError) error = NULL;

      g_autoptr (AlSpectralMetric) mag = al_magnitude_error (&est, &ref, NULL, &error);
      g_assert_no_error (error);
      /* ε (−80 dB re the peak) pulls every cell's ratio towards 0 dB by
       * about 8.7·(ε/|B|)·|1/g − 1| dB: some 0.006 dB on average for white
       * noise at −6 dB, more in the real-valued DC and Nyquist bins. */
      for (int k = 0; k < mag->nbins; k++)
        g_assert_cmpfloat (fabs (mag->combined[k] - fabs (gains_db[gi])), <, 0.03);
      g_assert_cmpfloat (fabs (mag->mean - fabs (gains_db[gi])), <, 0.01);
      g_assert_cmpfloat (fabs (mag->mean_octave - fabs (gains_db[gi])), <, 0.01);

      g_autoptr (AlSpectralMetric) coh = al_coherence_per_channel (&est, &ref, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpfloat_with_epsilon (coh->mean, 1.0, 1e-6);

      double mean;
      g_assert_true (al_si_sdr (&est, &ref, NULL, &mean, &error));
      g_assert_cmpfloat (mean, >=, 100.0);

      double lsd;
      g_assert_true (al_lsd (&est, &ref, NULL, NULL, &lsd, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat (fabs (lsd - fabs (gains_db[gi])), <, 0.001);
    }
}

/* Delayed by d samples with the latency reported: the metrics align the
 * signals and see identical ones, whether the estimate is cut to the
 * input's length or runs d samples longer. */
static void
test_delay_aligned (void)
{
  const int nch = 4, d = 37;
  const gsize n = 24000;
  g_autofree float *x = noise_float (nch, n, 3);
  g_autofree float *same_len = g_new0 (float, (gsize) nch * n);
  g_autofree float *longer = g_new0 (float, (gsize) nch * (n + d));
  for (int c = 0; c < nch; c++)
    {
      memcpy (same_len + (gsize) c * n + d, x + (gsize) c * n, sizeof (float) * (n - d));
      memcpy (longer + (gsize) c * (n + d) + d, x + (gsize) c * n, sizeof (float) * n);
    }
  AlShSignals ref = al_sh_signals_float (x, nch, n, FS, AL_SH_SN3D);
  AlShSignals ests[2] = { al_sh_signals_float (same_len, nch, n, FS, AL_SH_SN3D),
                          al_sh_signals_float (longer, nch, n + d, FS, AL_SH_SN3D) };
  for (int e = 0; e < 2; e++)
    {
      AlShSignals est = ests[e];
      est.latency = d;
      g_autoptr (GError) error = NULL;
      g_autoptr (AlSpectralMetric) coh = al_coherence_per_channel (&est, &ref, NULL, &error);
      g_assert_no_error (error);
      for (int i = 0; i < nch * coh->nbins; i++)
        g_assert_cmpfloat_with_epsilon (coh->per_channel[i], 1.0, 1e-9);
      g_autoptr (AlSpectralMetric) mag = al_magnitude_error (&est, &ref, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpfloat (mag->mean, ==, 0.0);
      double sdr, lsd;
      g_assert_true (al_si_sdr (&est, &ref, NULL, &sdr, &error));
      g_assert_cmpfloat (sdr, >=, 100.0);
      g_assert_true (al_lsd (&est, &ref, NULL, NULL, &lsd, &error));
      g_assert_cmpfloat (lsd, ==, 0.0);

      /* Unreported, the same delay is a different signal. */
      est.latency = 0;
      if (e == 0)
        {
          g_assert_true (al_si_sdr (&est, &ref, NULL, &sdr, &error));
          g_assert_cmpfloat (sdr, <, -20.0);
        }
      else
        {
          g_assert_false (al_si_sdr (&est, &ref, NULL, &sdr, &error));
          g_assert_error (error, AL_ERROR, AL_ERROR_MISMATCH);
          g_assert_nonnull (strstr (error->message, "latenc"));
        }
    }
}

/* Misaligned by d samples: each frame sees the same d-sample shift, so the
 * cross-spectrum keeps its phase e^{−jωd} over the frames and the
 * magnitude-squared coherence falls by the window's overlap with itself,
 * ρ(d)² = (Σ w(n) w(n−d) / Σ w²)², the same at every frequency for white
 * noise.  SI-SDR, which compares samples, collapses. */
static void
test_delay_misaligned (void)
{
  const int nch = 1;
  const gsize n = 4 * 48000;
  g_autofree float *x = noise_float (nch, n + 128, 4);
  double w[768];
  al_window_hann (w, 768, TRUE);
  double prev_gamma = 1.0;
  const int delays[] = { 2, 8, 48, 96 };
  for (guint di = 0; di < G_N_ELEMENTS (delays); di++)
    {
      int d = delays[di];
      double num = 0, den = 0;
      for (int i = 0; i < 768; i++)
        {
          den += w[i] * w[i];
          if (i >= d)
            num += w[i] * w[i - d];
        }
      double expect = (num / den) * (num / den);
      /* ref = x[128 ..], est = x[128 − d ..]: est(t) = ref(t − d). */
      AlShSignals ref = al_sh_signals_float (x + 128, nch, n, FS, AL_SH_SN3D);
      AlShSignals est = al_sh_signals_float (x + 128 - d, nch, n, FS, AL_SH_SN3D);
      /* Planar views with one channel: the row stride is n, which these offsets respect. */
      g_autoptr (GError) error = NULL;
      g_autoptr (AlSpectralMetric) coh = al_coherence_per_channel (&est, &ref, NULL, &error);
      g_assert_no_error (error);
      double lo = 0, hi = 0;
      int nlo = 0, nhi = 0;
      for (int k = 1; k < coh->nbins - 1; k++)
        {
          /* Per bin the estimate of γ from ~500 frames scatters by
           * √(2γ(1−γ)²/T) ≈ 0.011 at d = 96: 0.05 is 4.5 standard deviations. */
          g_assert_cmpfloat (fabs (coh->per_channel[k] - expect), <, 0.05);
          if (coh->freqs[k] < 2000)
            lo += coh->per_channel[k], nlo++;
          else if (coh->freqs[k] > 12000)
            hi += coh->per_channel[k], nhi++;
        }
      /* Flat over frequency: the top octave loses no more than the bottom. */
      g_assert_cmpfloat (fabs (lo / nlo - hi / nhi), <, 0.01);
      g_assert_cmpfloat (fabs (coh->mean - expect), <, 0.005);
      g_assert_cmpfloat (coh->mean, <, prev_gamma);
      prev_gamma = coh->mean;
      if (g_test_verbose ())
        g_test_message ("delay %d: mean coherence %.5f, predicted %.5f", d, coh->mean, expect);

      double sdr;
      g_assert_true (al_si_sdr (&est, &ref, NULL, &sdr, &error));
      g_assert_cmpfloat (sdr, <, -15.0);
    }
}

/* White noise added at a known SNR: SI-SDR equals it (long signals make the
 * noise's chance correlation with the signal negligible). */
static void
test_white_noise_snr (void)
{
  const int nch = 4;
  const gsize n = 4 * 48000;
  g_autofree double *x = noise_double (nch, n, 5);
  g_autofree double *v = noise_double (nch, n, 6);
  g_autofree double *y = g_new (double, (gsize) nch * n);
  const double snrs[] = { 0.0, 10.0, 20.0, 35.0 };
  for (guint si = 0; si < G_N_ELEMENTS (snrs); si++)
    {
      double a = pow (10.0, -snrs[si] / 20.0);
      for (gsize i = 0; i < (gsize) nch * n; i++)
        y[i] = x[i] + a * v[i];
      AlShSignals ref = al_sh_signals_double (x, nch, n, FS, AL_SH_SN3D);
      AlShSignals est = al_sh_signals_double (y, nch, n, FS, AL_SH_SN3D);
      double per[4], mean;
      g_autoptr (GError) error = NULL;
      g_assert_true (al_si_sdr (&est, &ref, per, &mean, &error));
      g_assert_no_error (error);
      for (int c = 0; c < nch; c++)
        g_assert_cmpfloat (fabs (per[c] - snrs[si]), <, 0.1);
      g_assert_cmpfloat (fabs (mean - snrs[si]), <, 0.05);
      if (g_test_verbose ())
        g_test_message ("SNR %.0f dB: SI-SDR %.4f dB", snrs[si], mean);
    }
}

/* A silent reference channel (a horizontal plane wave's Z): coherence and
 * SI-SDR are undefined there (NaN, left out of the means); leakage into it
 * still costs magnitude error. */
static void
test_silent_channel (void)
{
  const int nch = 4;
  const gsize n = 12000;
  g_autofree float *x = noise_float (nch, n, 7);
  memset (x + 2 * n, 0, sizeof (float) * n);
  g_autofree float *y = g_memdup2 (x, sizeof (float) * nch * n);
  AlShSignals ref = al_sh_signals_float (x, nch, n, FS, AL_SH_SN3D);
  AlShSignals est = al_sh_signals_float (y, nch, n, FS, AL_SH_SN3D);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSpectralMetric) coh = al_coherence_per_channel (&est, &ref, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (isnan (coh->per_channel[2 * coh->nbins + 10]));
  g_assert_true (isnan (coh->channel_mean[2]));
  g_assert_cmpfloat_with_epsilon (coh->mean, 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (coh->combined[10], 1.0, 1e-9);
  double per[4], mean;
  g_assert_true (al_si_sdr (&est, &ref, per, &mean, &error));
  g_assert_true (isnan (per[2]));
  g_assert_cmpfloat (mean, >=, 100.0);

  /* Leakage at the reference's level into the silent channel: 80 dB
   * ceiling of ε for that channel's cells, others 0 dB. */
  for (gsize i = 0; i < n; i++)
    y[2 * n + i] = x[i];
  g_autoptr (AlSpectralMetric) mag = al_magnitude_error (&est, &ref, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (mag->channel_mean[2], >, 60.0);
  g_assert_cmpfloat (mag->channel_mean[2], <, 80.0);
  g_assert_cmpfloat (mag->channel_mean[0], ==, 0.0);
  /* A silent reference everywhere has nothing to score. */
  memset (x, 0, sizeof (float) * nch * n);
  g_assert_false (al_si_sdr (&est, &ref, NULL, &mean, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
}

/* The estimate in N3D, the reference in SN3D: the estimate is converted. */
static void
test_normalisation (void)
{
  const int nch = 9;
  const gsize n = 12000;
  g_autofree double *sn3d = noise_double (nch, n, 8);
  g_autofree double *n3d = g_new (double, (gsize) nch * n);
  for (int c = 0; c < nch; c++)
    for (gsize i = 0; i < n; i++)
      n3d[(gsize) c * n + i] = sn3d[(gsize) c * n + i] * sqrt (2.0 * al_sh_degree_of (c) + 1);
  AlShSignals ref = al_sh_signals_double (sn3d, nch, n, FS, AL_SH_SN3D);
  AlShSignals est = al_sh_signals_double (n3d, nch, n, FS, AL_SH_N3D);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSpectralMetric) mag = al_magnitude_error (&est, &ref, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (mag->mean, <, 1e-4);
  double lsd;
  g_assert_true (al_lsd (&est, &ref, NULL, NULL, &lsd, &error));
  g_assert_cmpfloat (lsd, <, 1e-4);
}

/* Inputs that disagree fail with AL_ERROR_MISMATCH naming what differs. */
static void
test_mismatch (void)
{
  const gsize n = 4800;
  g_autofree float *x = noise_float (9, n, 9);
  AlShSignals ref = al_sh_signals_float (x, 4, n, FS, AL_SH_SN3D);
  g_autoptr (GError) error = NULL;

  AlShSignals est = al_sh_signals_float (x, 9, n, FS, AL_SH_SN3D);
  est.name = "ls.wav";
  g_assert_null (al_coherence_per_channel (&est, &ref, NULL, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "ls.wav has 9 channels"));
  g_assert_nonnull (strstr (error->message, "reference has 4"));
  g_clear_error (&error);

  est = al_sh_signals_float (x, 4, n, 44100, AL_SH_SN3D);
  g_assert_false (al_si_sdr (&est, &ref, NULL, NULL, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "44100 Hz"));
  g_clear_error (&error);

  est = al_sh_signals_float (x, 4, n - 10, FS, AL_SH_SN3D);
  g_assert_false (al_lsd (&est, &ref, NULL, NULL, NULL, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "4790 samples"));
  g_clear_error (&error);

  est = al_sh_signals_float (x, 4, n, FS, AL_SH_SN3D);
  est.latency = (int) n;
  g_assert_null (al_magnitude_error (&est, &ref, NULL, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_autofree float *bad = g_memdup2 (x, sizeof (float) * 4 * n);
  bad[2 * n + 17] = NAN;
  est = al_sh_signals_float (bad, 4, n, FS, AL_SH_SN3D);
  g_assert_false (al_si_sdr (&est, &ref, NULL, NULL, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "channel 2"));
  g_assert_nonnull (strstr (error->message, "sample 17"));
  g_clear_error (&error);

  AlMetricOptions opt;
  al_metric_options_init (&opt);
  opt.frame = 768;
  opt.hop = 500;
  g_assert_null (al_coherence_per_channel (&ref, &ref, &opt, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  est = ref;
  est.f64 = (const double *) x;
  g_assert_false (al_si_sdr (&est, &ref, NULL, NULL, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
}

/* Other sample rates keep 16 ms frames; options override frame and band. */
static void
test_options (void)
{
  const gsize n = 44100;
  g_autofree float *x = noise_float (1, n, 10);
  AlShSignals s = al_sh_signals_float (x, 1, n, 44100, AL_SH_SN3D);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlSpectralMetric) a = al_coherence_per_channel (&s, &s, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (a->frame, ==, 706);
  g_assert_cmpint (a->hop, ==, 353);
  AlMetricOptions opt;
  al_metric_options_init (&opt);
  opt.frame = 1024;
  opt.band_lo = 100;
  opt.band_hi = 8000;
  g_autoptr (AlSpectralMetric) b = al_coherence_per_channel (&s, &s, &opt, &error);
  g_assert_no_error (error);
  g_assert_cmpint (b->frame, ==, 1024);
  g_assert_cmpint (b->hop, ==, 512);
  g_assert_cmpfloat (b->band_lo, ==, 100);
  g_assert_cmpfloat (b->band_hi, ==, 8000);
}

/* Item 7 on signals: gains g_k per direction give G_k = 20 log10 g_k and
 * DGC = their standard deviation; one gain everywhere gives DGC 0. */
static void
test_directional_gain (void)
{
  const int K = 5, nch = 4;
  const gsize n = 4800;
  const double g_db[] = { 0.0, -1.0, 2.0, 0.5, -1.5 };
  g_autofree double *x = noise_double (nch, n, 11);
  g_autofree double *y = g_new (double, (gsize) K * nch * n);
  AlShSignals ref[5], est[5];
  for (int k = 0; k < K; k++)
    {
      double g = pow (10.0, g_db[k] / 20.0);
      for (gsize i = 0; i < (gsize) nch * n; i++)
        y[(gsize) k * nch * n + i] = g * x[i];
      ref[k] = al_sh_signals_double (x, nch, n, FS, AL_SH_SN3D);
      est[k] = al_sh_signals_double (y + (gsize) k * nch * n, nch, n, FS, AL_SH_SN3D);
    }
  double gains[5], dgc;
  g_autoptr (GError) error = NULL;
  g_assert_true (al_directional_gain_signals (est, ref, K, gains, &dgc, &error));
  g_assert_no_error (error);
  double mean = 0, var = 0;
  for (int k = 0; k < K; k++)
    {
      g_assert_cmpfloat_with_epsilon (gains[k], g_db[k], 1e-9);
      mean += g_db[k] / K;
    }
  for (int k = 0; k < K; k++)
    var += (g_db[k] - mean) * (g_db[k] - mean) / K;
  g_assert_cmpfloat_with_epsilon (dgc, sqrt (var), 1e-9);

  g_assert_true (al_directional_gain_signals (ref, ref, K, NULL, &dgc, &error));
  g_assert_cmpfloat (dgc, ==, 0.0);

  est[3] = al_sh_signals_double (x, 9, n / 4, FS, AL_SH_SN3D);
  g_assert_false (al_directional_gain_signals (est, ref, K, NULL, &dgc, &error));
  g_assert_error (error, AL_ERROR, AL_ERROR_MISMATCH);
  g_assert_true (g_str_has_prefix (error->message, "direction 3: "));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/eval/signal/identical", test_identical);
  g_test_add_func ("/eval/signal/pure-gain", test_pure_gain);
  g_test_add_func ("/eval/signal/delay-aligned", test_delay_aligned);
  g_test_add_func ("/eval/signal/delay-misaligned", test_delay_misaligned);
  g_test_add_func ("/eval/signal/white-noise-snr", test_white_noise_snr);
  g_test_add_func ("/eval/signal/silent-channel", test_silent_channel);
  g_test_add_func ("/eval/signal/normalisation", test_normalisation);
  g_test_add_func ("/eval/signal/mismatch", test_mismatch);
  g_test_add_func ("/eval/signal/options", test_options);
  g_test_add_func ("/eval/signal/directional-gain", test_directional_gain);
  return g_test_run ();
}
