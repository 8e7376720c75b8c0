/* test-sim-rir.c — rendered impulse responses against closed forms: the
 * direct path's delay (to the sub-sample, from the sinc) and 1/d amplitude,
 * a single reflecting wall, the grouped block renderer against a naive
 * image-by-image sum with random ATFs, the zero-phase high-pass, air
 * absorption and the randomised image positions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-sim-private.h"
#include "al-test-arrays.h"

#include <math.h>
#include <string.h>

static const double fs = 48000;

static double
ref_fd (int k, double phi)
{
  const double w = 0.5 - 0.5 * cos (2 * G_PI * k / 80.0), x = k - 40 - phi;
  return w * (x == 0 ? 1.0 : sin (G_PI * x) / (G_PI * x));
}

/* Least-squares fit of a·fd_φ to the five samples around the centre tap
 * (h points at tap 0 of the pulse): φ on a 1e-5 grid, then a. */
static void
fit_pulse (const float *h, double *phi_out, double *a_out)
{
  double best = INFINITY;

  for (int i = 0; i < 100000; i++)
    {
      const double phi = i * 1e-5;
      double sxy = 0, sxx = 0, syy = 0;
      for (int k = 38; k <= 42; k++)
        {
          const double m = ref_fd (k, phi);
          sxy += m * h[k];
          sxx += m * m;
          syy += (double) h[k] * h[k];
        }
      const double resid = syy - sxy * sxy / sxx;
      if (resid < best)
        {
          best = resid;
          *phi_out = phi;
          *a_out = sxy / sxx;
        }
    }
}

/* An omnidirectional "array": one mic whose every ATF is δ(n − onset). */
static AlSimArray *
omni_array (int onset, int ir_len)
{
  g_autoptr (AlGrid) grid = al_grid_fibonacci (64);
  g_autoptr (AlAtfSet) set = al_test_sh_array (0, grid, ir_len, onset, fs);
  g_autoptr (GError) error = NULL;
  AlSimArrayOptions opt;

  al_sim_array_options_init (&opt);
  opt.sh_order = 0;
  AlSimArray *arr = al_sim_array_new (set, &opt, &error);
  g_assert_no_error (error);
  /* the automatic label delay finds the onset */
  g_assert_cmpint (al_sim_array_sh_delay (arr), ==, onset);
  return arr;
}

/* Direct path only (all walls absorbing): the pulse peaks at τ·fs + 40 (+ the
 * ATF's onset), its samples are (1/d)·fd_φ, and the fit recovers φ and 1/d. */
static void
test_direct_path (void)
{
  const int onset = 3;
  g_autoptr (AlSimArray) arr = omni_array (onset, 8);
  const double rcv[3] = { 2, 3, 2 };
  const double dists[] = { 2.3456, 1.0, 4.98765 };
  AlSimRoom room;

  al_sim_room_init (&room, 10, 8, 4, 1.0);
  room.max_order = 2;
  room.hpf_fc = 0;
  for (guint c = 0; c < G_N_ELEMENTS (dists); c++)
    {
      const double d = dists[c], src[3] = { 2 + d * 0.6, 3 + d * 0.8, 2 };
      const double x = d / 343.0 * fs, phi = x - floor (x);
      const int n0 = (int) floor (x);
      g_autoptr (GError) error = NULL;
      g_autoptr (AlSimRir) rir = al_sim_rir_render (arr, &room, src, rcv, NULL, &error);
      double phi_hat, a_hat;
      int peak = 0;

      g_assert_no_error (error);
      g_assert_cmpint (rir->nimages, ==, al_sim_image_count (2));
      for (int t = 0; t < rir->len; t++)
        {
          const int k = t - n0 - onset;
          const double want = (k >= 0 && k <= 80) ? ref_fd (k, phi) / d : 0;
          g_assert_cmpfloat_with_epsilon (rir->mic[t], want, 2e-6 / d);
          /* the label (order 0, SN3D: Y = 1) is the same pulse at the same time */
          g_assert_cmpfloat_with_epsilon (rir->sh[t], want, 2e-6 / d);
          if (fabs (rir->mic[t]) > fabs (rir->mic[peak]))
            peak = t;
        }
      g_assert_cmpint (peak, ==, (int) lround (x + 40) + onset);
      fit_pulse (rir->mic + n0 + onset, &phi_hat, &a_hat);
      g_test_message ("d = %.5f m: delay %.4f samples (fit %.4f), amplitude %.6f (1/d %.6f)", d,
                      x + 40 + onset, n0 + phi_hat + 40 + onset, a_hat, 1 / d);
      g_assert_cmpfloat_with_epsilon (phi_hat, phi, 2e-4);
      g_assert_cmpfloat_with_epsilon (a_hat * d, 1.0, 1e-5);
    }
}

/* A delay a hair below a whole number of samples (its fraction rounds to
 * 1 in float) is a pulse at the next sample, finite: such an image once
 * turned a whole RIR into NaN (about one scene in sixty). */
static void
test_fraction_near_one (void)
{
  const int onset = 3;
  g_autoptr (AlSimArray) arr = omni_array (onset, 8);
  const double rcv[3] = { 2, 3, 2 };
  AlSimRoom room;

  al_sim_room_init (&room, 10, 8, 4, 1.0);
  room.max_order = 0;
  room.hpf_fc = 10;
  for (int e = 0; e < 3; e++)
    {
      const int whole = 400 + e;
      const double x = whole - ldexp (1.0, -27 - 3 * e); /* 7e-9, 9e-10, 1e-10 samples short */
      const double d = x / fs * 343.0, src[3] = { 2 + d, 3, 2 };
      g_autoptr (GError) error = NULL;
      g_autoptr (AlSimRir) rir = al_sim_rir_render (arr, &room, src, rcv, NULL, &error);
      g_assert_no_error (error);
      int peak = 0;
      for (int t = 0; t < rir->len; t++)
        {
          g_assert_true (isfinite (rir->mic[t]) && isfinite (rir->sh[t]));
          if (fabs (rir->mic[t]) > fabs (rir->mic[peak]))
            peak = t;
        }
      /* the high-pass leaves the pulse's peak where it was, at 1/d */
      g_assert_cmpint (peak, ==, whole + 40 + onset);
      g_assert_cmpfloat_with_epsilon (rir->mic[peak] * d, 1.0, 1e-3);
    }
}

/* Only the floor reflects (β = 0.8): direct path plus one image at the
 * mirrored source, amplitude 0.8/d. */
static void
test_single_wall (void)
{
  g_autoptr (AlSimArray) arr = omni_array (0, 4);
  const double src[3] = { 5, 2, 1.7 }, rcv[3] = { 3, 3, 1.2 };
  const double d = sqrt (4 + 1 + 2.9 * 2.9), x = d / 343.0 * fs;
  const int n0 = (int) floor (x);
  AlSimRoom room;
  g_autoptr (GError) error = NULL;
  double phi_hat, a_hat, nonzero = 0;

  al_sim_room_init (&room, 7, 5, 3, 1.0);
  room.absorption[AL_SIM_WALL_Z0] = 0.36;
  room.max_order = 3;
  room.hpf_fc = 0;
  g_autoptr (AlSimRir) rir = al_sim_rir_render (arr, &room, src, rcv, NULL, &error);
  g_assert_no_error (error);
  fit_pulse (rir->mic + n0, &phi_hat, &a_hat);
  g_assert_cmpfloat_with_epsilon (phi_hat, x - n0, 2e-4);
  g_assert_cmpfloat_with_epsilon (a_hat, 0.8 / d, 1e-5 * 0.8 / d);
  /* nothing else: the direct pulse and this one are all there is */
  {
    const double dd = sqrt (4 + 1 + 0.5 * 0.5), xd = dd / 343.0 * fs;
    const int nd = (int) floor (xd);
    for (int t = 0; t < rir->len; t++)
      {
        double want = 0;
        if (t - nd >= 0 && t - nd <= 80)
          want += ref_fd (t - nd, xd - nd) / dd;
        if (t - n0 >= 0 && t - n0 <= 80)
          want += 0.8 * ref_fd (t - n0, x - n0) / d;
        nonzero = MAX (nonzero, fabs (rir->mic[t] - want));
      }
    g_assert_cmpfloat (nonzero, <, 2e-6);
  }
}

/* The grouped, block-FFT renderer equals the image-by-image sum
 * Σ g·(ATF(Ω) * fd)(t − n0) for arbitrary (random) ATFs, rotated array. */
static void
test_against_naive (void)
{
  const int nmics = 3, ir_len = 40, order = 6;
  g_autoptr (AlGrid) grid = al_grid_fibonacci (24);
  g_autoptr (AlAtfSet) set = al_atf_set_new (grid->n, nmics, ir_len, fs);
  const double src[3] = { 1.2, 2.9, 1.1 }, rcv[3] = { 3.1, 1.4, 1.6 };
  const AlSimOrientation rot = { 0.7, -0.2, 0.3 };
  GRand *rand = g_rand_new_with_seed (42);
  AlSimArrayOptions opt;
  AlSimRoom room;
  g_autoptr (GError) error = NULL;
  double err = 0, peak = 0, err_sh = 0, peak_sh = 0;
  int n;

  memcpy (set->dirs, grid->dirs, sizeof (double) * 2 * grid->n);
  for (int k = 0; k < grid->n * nmics * ir_len; k++)
    set->ir[k] = g_rand_double_range (rand, -1, 1);
  g_rand_free (rand);
  al_sim_array_options_init (&opt);
  opt.sh_order = 2;
  opt.sh_delay = 7;
  g_autoptr (AlSimArray) arr = al_sim_array_new (set, &opt, &error);
  g_assert_no_error (error);

  al_sim_room_init (&room, 4.5, 3.5, 2.7, 0.3);
  room.absorption[AL_SIM_WALL_Y1] = 0.7;
  room.max_order = order;
  room.hpf_fc = 0;
  g_autoptr (AlSimRir) rir = al_sim_rir_render (arr, &room, src, rcv, &rot, &error);
  g_assert_no_error (error);
  g_autofree AlSimImage *img = al_sim_images (&room, src, rcv, &rot, &n, &error);
  g_assert_no_error (error);

  int max_n0 = 0;
  for (int i = 0; i < n; i++)
    max_n0 = MAX (max_n0, (int) floor (img[i].delay * fs));
  g_assert_cmpint (rir->len, ==, max_n0 + 80 + ir_len);

  double *mic = g_new0 (double, (gsize) nmics * rir->len);
  double *sh = g_new0 (double, (gsize) 9 * rir->len);
  for (int i = 0; i < n; i++)
    {
      const int q = al_sim_array_nearest (arr, img[i].azimuth, img[i].elevation);
      const double x = img[i].delay * fs;
      const int n0 = (int) floor (x);
      double y[9];
      al_sh_real (2, AL_SH_SN3D, grid->dirs[2 * q], grid->dirs[2 * q + 1], y);
      for (int k = 0; k <= 80; k++)
        {
          const double f = img[i].amplitude * ref_fd (k, x - n0);
          for (int m = 0; m < nmics; m++)
            for (int j = 0; j < ir_len; j++)
              mic[(gsize) m * rir->len + n0 + k + j] += f * set->ir[(q * nmics + m) * ir_len + j];
          for (int c = 0; c < 9; c++)
            sh[(gsize) c * rir->len + n0 + k + 7] += f * y[c];
        }
    }
  for (gsize t = 0; t < (gsize) nmics * rir->len; t++)
    {
      err = MAX (err, fabs (rir->mic[t] - mic[t]));
      peak = MAX (peak, fabs (mic[t]));
    }
  for (gsize t = 0; t < (gsize) 9 * rir->len; t++)
    {
      err_sh = MAX (err_sh, fabs (rir->sh[t] - sh[t]));
      peak_sh = MAX (peak_sh, fabs (sh[t]));
    }
  g_test_message ("%d images: max error %.3g (peak %.3g) mics, %.3g (peak %.3g) labels", n, err,
                  peak, err_sh, peak_sh);
  g_assert_cmpfloat (err, <, 1e-6 * peak);
  g_assert_cmpfloat (err_sh, <, 1e-6 * peak_sh);
  g_free (mic);
  g_free (sh);
}

/* Amplitude of the sine at f over whole periods in the middle of x. */
static void
sine_fit (const double *x, int n, double f, double *in_phase, double *quad)
{
  const int period = (int) lround (fs / f), np = (n / 2) / period * period, t0 = n / 4;
  double s = 0, c = 0;

  for (int t = t0; t < t0 + np; t++)
    {
      s += x[t] * sin (2 * G_PI * f * t / fs);
      c += x[t] * cos (2 * G_PI * f * t / fs);
    }
  *in_phase = 2 * s / np;
  *quad = 2 * c / np;
}

/* sosfiltfilt of a 2nd-order Butterworth: |H|² with zero phase; −6 dB at fc;
 * a constant is removed exactly (steady-state initial conditions). */
static void
test_highpass (void)
{
  const int n = 4 * 48000;
  const double freqs[] = { 1, 10, 20, 100, 1000 };
  double *x = g_new (double, n);

  for (guint k = 0; k < G_N_ELEMENTS (freqs); k++)
    {
      const double f = freqs[k], r4 = pow (f / 10, 4), want = r4 / (1 + r4);
      double ip, q;
      for (int t = 0; t < n; t++)
        x[t] = sin (2 * G_PI * f * t / fs);
      al_sim_highpass (x, n, 10, fs);
      sine_fit (x, n, f, &ip, &q);
      g_test_message ("high-pass at %g Hz: gain %.6f (|H|^2 %.6f), quadrature %.2g", f, ip, want, q);
      g_assert_cmpfloat_with_epsilon (ip, want, 2e-3);
      g_assert_cmpfloat_with_epsilon (q, 0, 2e-3);
    }
  for (int t = 0; t < n; t++)
    x[t] = 0.75;
  al_sim_highpass (x, n, 10, fs);
  for (int t = 0; t < n; t++)
    g_assert_cmpfloat_with_epsilon (x[t], 0, 1e-9);
  g_free (x);
}

/* A direct path at 20 m loses exp(−½·m·20) of its amplitude: 0.990 at
 * 1 kHz, 0.944 at 4 kHz, 0.816 at 8 kHz. */
static void
test_air_absorption (void)
{
  g_autoptr (AlSimArray) arr = omni_array (0, 4);
  const double src[3] = { 30, 5, 5 }, rcv[3] = { 10, 5, 5 };
  const int nfft = 480; /* 100 Hz bins */
  const double freqs[] = { 1000, 4000, 8000 }, m[] = { 1.0e-3, 5.8e-3, 20.3e-3 };
  AlSimRoom room;
  g_autoptr (GError) error = NULL;
  double spec[2][3];

  al_sim_room_init (&room, 40, 10, 10, 1.0);
  room.max_order = 0;
  for (int on = 0; on < 2; on++)
    {
      room.air_absorption = on;
      g_autoptr (AlSimRir) rir = al_sim_rir_render (arr, &room, src, rcv, NULL, &error);
      g_assert_no_error (error);
      const int centre = (int) (20 / 343.0 * fs) + 40;
      double *x = g_new0 (double, nfft);
      double complex *X = g_new (double complex, nfft / 2 + 1);
      AlFft *fft = al_fft_new (nfft);
      for (int t = 0; t < nfft; t++)
        if (centre - nfft / 2 + t < rir->len)
          x[t] = rir->mic[centre - nfft / 2 + t];
      al_fft_forward (fft, x, X);
      for (int k = 0; k < 3; k++)
        spec[on][k] = cabs (X[(int) (freqs[k] / 100)]);
      al_fft_free (fft);
      g_free (X);
      g_free (x);
    }
  for (int k = 0; k < 3; k++)
    {
      const double want = exp (-0.5 * m[k] * 20), got = spec[1][k] / spec[0][k];
      g_test_message ("air absorption at %g Hz over 20 m: %.4f (expected %.4f)", freqs[k], got, want);
      g_assert_cmpfloat_with_epsilon (got, want, 0.01);
    }
}

/* Randomised ISM: images of order >= 1 move by at most max_rand_disp per
 * coordinate, the direct path stays; the seed decides the displacements. */
static void
test_random_images (void)
{
  const double src[3] = { 1, 2, 1.5 }, rcv[3] = { 3, 1, 1 };
  AlSimRoom room;
  g_autoptr (GError) error = NULL;
  int n, n1, n2;

  al_sim_room_init (&room, 4, 3, 2.5, 0.3);
  room.max_order = 4;
  g_autofree AlSimImage *ref = al_sim_images (&room, src, rcv, NULL, &n, &error);
  room.max_rand_disp = 0.05;
  room.rand_seed = 1;
  g_autofree AlSimImage *a = al_sim_images (&room, src, rcv, NULL, &n1, &error);
  g_autofree AlSimImage *b = al_sim_images (&room, src, rcv, NULL, &n2, &error);
  room.rand_seed = 2;
  g_autofree AlSimImage *c = al_sim_images (&room, src, rcv, NULL, &n2, &error);
  g_assert_no_error (error);
  int moved = 0, differ = 0;
  for (int i = 0; i < n; i++)
    for (int k = 0; k < 3; k++)
      {
        const double dx = a[i].pos[k] - ref[i].pos[k];
        g_assert_cmpfloat (fabs (dx), <=, 0.05);
        if (ref[i].order == 0)
          g_assert_cmpfloat (dx, ==, 0);
        moved += dx != 0;
        g_assert_cmpfloat (a[i].pos[k], ==, b[i].pos[k]);
        differ += c[i].pos[k] != a[i].pos[k];
      }
  g_assert_cmpint (moved, ==, 3 * (n - 1));
  g_assert_cmpint (differ, ==, 3 * (n - 1));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sim/rir/direct-path", test_direct_path);
  g_test_add_func ("/sim/rir/fraction-near-one", test_fraction_near_one);
  g_test_add_func ("/sim/rir/single-wall", test_single_wall);
  g_test_add_func ("/sim/rir/against-naive", test_against_naive);
  g_test_add_func ("/sim/rir/highpass", test_highpass);
  g_test_add_func ("/sim/rir/air-absorption", test_air_absorption);
  g_test_add_func ("/sim/rir/random-images", test_random_images);
  return g_test_run ();
}
