/* test-sim-rt60.c — reverberation times of simulated mid-size rooms (α = 0.2
 * on every wall) from Schroeder backward integration of the rendered RIR.
 *
 * Oracles: (1) the decay of the image list's own energy Σ g² (independent of
 * the rendering, filters and block convolution); (2) Eyring's formula.  A
 * shoebox image model decays more slowly than Eyring predicts, the more so
 * the flatter the room (the late energy comes from directions with fewer
 * reflections than the mean; Lehmann & Johansson, JASA 124, 2008): 6 × 5 × 4 m
 * lands 10 % above Eyring, 6 × 5 × 3 m 19 % above (7 % above Sabine).  So
 * Eyring ±15 % is asserted for 6 × 5 × 4 m, and 6 × 5 × 3 m is checked
 * against its image energy and within 25 % of Eyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-sim.h"
#include "al-test-arrays.h"

#include <math.h>

/* Decay time from the Schroeder curve of the energy sequence e[0..n) (dt
 * apart) between lo and hi dB: least-squares line, −60/slope. */
static double
schroeder_time (const double *e, int n, double dt, double lo, double hi)
{
  double *s = g_new (double, n + 1);
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  int cnt = 0;

  s[n] = 0;
  for (int t = n - 1; t >= 0; t--)
    s[t] = s[t + 1] + e[t];
  for (int t = 0; t < n; t++)
    {
      const double db = 10 * log10 (s[t] / s[0]);
      if (db <= lo && db >= hi)
        {
          const double x = t * dt;
          sx += x;
          sy += db;
          sxx += x * x;
          sxy += x * db;
          cnt++;
        }
    }
  g_free (s);
  g_assert_cmpint (cnt, >, 100);
  return -60 / ((cnt * sxy - sx * sy) / (cnt * sxx - sx * sx));
}

typedef struct {
  double size[3];
  int order;
  double eyring_tol;
} Case;

static void
test_rt60 (gconstpointer data)
{
  const Case *c = data;
  const double fs = 48000;
  g_autoptr (AlGrid) grid = al_grid_fibonacci (16);
  g_autoptr (AlAtfSet) set = al_test_sh_array (0, grid, 4, 0, fs);
  AlSimArrayOptions opt;
  g_autoptr (GError) error = NULL;
  AlSimRoom room;
  const double src[3] = { 0.72 * c->size[0], 0.68 * c->size[1], 0.57 * c->size[2] };
  const double rcv[3] = { 0.3 * c->size[0], 0.32 * c->size[1], 0.4 * c->size[2] };
  int n;

  al_sim_array_options_init (&opt);
  opt.sh_order = 0;
  g_autoptr (AlSimArray) arr = al_sim_array_new (set, &opt, &error);
  g_assert_no_error (error);
  al_sim_room_init (&room, c->size[0], c->size[1], c->size[2], 0.2);
  room.max_order = c->order;
  g_autoptr (AlSimRir) rir = al_sim_rir_render (arr, &room, src, rcv, NULL, &error);
  g_assert_no_error (error);

  /* the rendered RIR (high-passed, as every RIR) */
  double *e = g_new (double, rir->len);
  for (int t = 0; t < rir->len; t++)
    e[t] = (double) rir->mic[t] * rir->mic[t];
  const double t20 = schroeder_time (e, rir->len, 1 / fs, -5, -25);
  const double t30 = schroeder_time (e, rir->len, 1 / fs, -5, -35);
  g_free (e);

  /* the image list's energy at the arrival times */
  g_autofree AlSimImage *img = al_sim_images (&room, src, rcv, NULL, &n, &error);
  g_assert_no_error (error);
  e = g_new0 (double, rir->len);
  for (int i = 0; i < n; i++)
    e[(int) (img[i].delay * fs)] += img[i].amplitude * img[i].amplitude;
  const double t20_img = schroeder_time (e, rir->len, 1 / fs, -5, -25);
  g_free (e);

  const double eyring = al_sim_room_rt60_eyring (&room), sabine = al_sim_room_rt60_sabine (&room);
  g_test_message ("%g x %g x %g m, alpha 0.2, order %d (%d images, %.2f s): T20 %.3f s, T30 %.3f s, "
                  "image energy T20 %.3f s; Eyring %.3f s (T20 %+.1f %%), Sabine %.3f s (%+.1f %%)",
                  c->size[0], c->size[1], c->size[2], c->order, rir->nimages, rir->len / fs, t20,
                  t30, t20_img, eyring, 100 * (t20 / eyring - 1), sabine, 100 * (t20 / sabine - 1));
  g_assert_cmpfloat (fabs (t20 / t20_img - 1), <, 0.03);
  g_assert_cmpfloat (fabs (t20 / eyring - 1), <, c->eyring_tol);
  g_assert_cmpfloat (fabs (t30 / eyring - 1), <, c->eyring_tol);
}

int
main (int argc, char **argv)
{
  static const Case c654 = { { 6, 5, 4 }, 40, 0.15 };
  static const Case c654_60 = { { 6, 5, 4 }, 60, 0.15 };
  static const Case c653 = { { 6, 5, 3 }, 40, 0.25 };

  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/sim/rt60/6x5x4-order-40", &c654, test_rt60);
  g_test_add_data_func ("/sim/rt60/6x5x4-order-60", &c654_60, test_rt60);
  g_test_add_data_func ("/sim/rt60/6x5x3-order-40", &c653, test_rt60);
  return g_test_run ();
}
