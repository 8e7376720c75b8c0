/* test-sim-images.c — image sources against hand-derived cases: counts,
 * positions, reflection counts and amplitudes for orders 0–3, the array
 * orientation, the nearest-direction index against brute force, and the
 * reverberation formulas.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-sim.h"
#include "al-test-arrays.h"

#include <math.h>
#include <string.h>

static const AlSimImage *
find_image (const AlSimImage *img, int n, int px, int py, int pz)
{
  for (int i = 0; i < n; i++)
    if (img[i].index[0] == px && img[i].index[1] == py && img[i].index[2] == pz)
      return &img[i];
  return NULL;
}

/* (2K+1)(2K²+2K+3)/3 images, 4k²+2 of order k >= 1, and each index once. */
static void
test_counts (void)
{
  const double src[3] = { 1, 1, 1 }, rcv[3] = { 2, 2, 1.5 };
  const int orders[] = { 0, 1, 2, 3, 5, 40 };

  g_assert_cmpint (al_sim_image_count (40), ==, 88641);
  for (guint t = 0; t < G_N_ELEMENTS (orders); t++)
    {
      AlSimRoom room;
      g_autoptr (GError) error = NULL;
      int n, *per_order = g_new0 (int, orders[t] + 1);

      al_sim_room_init (&room, 4, 3, 2.5, 0.3);
      room.max_order = orders[t];
      g_autofree AlSimImage *img = al_sim_images (&room, src, rcv, NULL, &n, &error);
      g_assert_no_error (error);
      g_assert_cmpint (n, ==, al_sim_image_count (orders[t]));
      for (int i = 0; i < n; i++)
        {
          int sum = 0;
          for (int w = 0; w < 6; w++)
            sum += img[i].hits[w];
          g_assert_cmpint (sum, ==, img[i].order);
          g_assert_cmpint (img[i].order, <=, orders[t]);
          per_order[img[i].order]++;
        }
      g_assert_cmpint (per_order[0], ==, 1);
      for (int k = 1; k <= orders[t]; k++)
        g_assert_cmpint (per_order[k], ==, 4 * k * k + 2);
      g_free (per_order);
    }
}

typedef struct {
  int p[3];
  double pos[3];
  int hits[6];
} Expected;

/* Room 5 × 4 × 3 m, source (1, 1.5, 2): mirror images worked out by hand.
 * Each wall has its own β so a wrong wall shows up in the amplitude. */
static void
test_positions_and_hits (void)
{
  const double src[3] = { 1, 1.5, 2 }, rcv[3] = { 3, 2, 1 };
  const double alpha[6] = { 0.19, 0.36, 0.51, 0.64, 0.75, 0.84 }; /* β = 0.9 0.8 0.7 0.6 0.5 0.4 */
  const double beta[6] = { 0.9, 0.8, 0.7, 0.6, 0.5, 0.4 };
  const Expected cases[] = {
    { { 0, 0, 0 }, { 1, 1.5, 2 }, { 0, 0, 0, 0, 0, 0 } },
    /* order 1: one hit on the wall crossed */
    { { -1, 0, 0 }, { -1, 1.5, 2 }, { 1, 0, 0, 0, 0, 0 } },
    { { 1, 0, 0 }, { 9, 1.5, 2 }, { 0, 1, 0, 0, 0, 0 } },
    { { 0, -1, 0 }, { 1, -1.5, 2 }, { 0, 0, 1, 0, 0, 0 } },
    { { 0, 1, 0 }, { 1, 6.5, 2 }, { 0, 0, 0, 1, 0, 0 } },
    { { 0, 0, -1 }, { 1, 1.5, -2 }, { 0, 0, 0, 0, 1, 0 } },
    { { 0, 0, 1 }, { 1, 1.5, 4 }, { 0, 0, 0, 0, 0, 1 } },
    /* order 2: both walls of one axis, or one wall on each of two axes */
    { { 2, 0, 0 }, { 11, 1.5, 2 }, { 1, 1, 0, 0, 0, 0 } },
    { { -2, 0, 0 }, { -9, 1.5, 2 }, { 1, 1, 0, 0, 0, 0 } },
    { { 0, 0, 2 }, { 1, 1.5, 8 }, { 0, 0, 0, 0, 1, 1 } },
    { { 1, 1, 0 }, { 9, 6.5, 2 }, { 0, 1, 0, 1, 0, 0 } },
    { { -1, 1, 0 }, { -1, 6.5, 2 }, { 1, 0, 0, 1, 0, 0 } },
    { { 1, 0, -1 }, { 9, 1.5, -2 }, { 0, 1, 0, 0, 1, 0 } },
    { { 0, -1, -1 }, { 1, -1.5, -2 }, { 0, 0, 1, 0, 1, 0 } },
    /* order 3 along x: east, west, east → 4L − s */
    { { 3, 0, 0 }, { 19, 1.5, 2 }, { 1, 2, 0, 0, 0, 0 } },
    { { -3, 0, 0 }, { -11, 1.5, 2 }, { 2, 1, 0, 0, 0, 0 } },
  };
  AlSimRoom room;
  g_autoptr (GError) error = NULL;
  int n;

  al_sim_room_init (&room, 5, 4, 3, 0);
  for (int w = 0; w < 6; w++)
    room.absorption[w] = alpha[w];
  room.max_order = 3;
  g_autofree AlSimImage *img = al_sim_images (&room, src, rcv, NULL, &n, &error);
  g_assert_no_error (error);
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      const Expected *e = &cases[c];
      const AlSimImage *im = find_image (img, n, e->p[0], e->p[1], e->p[2]);
      double d = 0, b = 1;

      g_assert_nonnull (im);
      for (int k = 0; k < 3; k++)
        {
          g_assert_cmpfloat_with_epsilon (im->pos[k], e->pos[k], 1e-12);
          d += (e->pos[k] - rcv[k]) * (e->pos[k] - rcv[k]);
        }
      d = sqrt (d);
      for (int w = 0; w < 6; w++)
        {
          g_assert_cmpint (im->hits[w], ==, e->hits[w]);
          b *= pow (beta[w], e->hits[w]);
        }
      g_assert_cmpfloat_with_epsilon (im->distance, d, 1e-12);
      g_assert_cmpfloat_with_epsilon (im->delay, d / 343.0, 1e-15);
      /* pyroomacoustics' convention: β/d, no 1/(4π) */
      g_assert_cmpfloat_with_epsilon (im->amplitude, b / d, 1e-12);
    }
}

/* Directions of arrival in the array frame for yaw, pitch and roll. */
static void
test_orientation (void)
{
  const double rcv[3] = { 2, 2, 1.5 };
  AlSimRoom room;
  struct {
    AlSimOrientation o;
    double src[3];
    double az, el; /* degrees */
  } cases[] = {
    { { 0, 0, 0 }, { 3, 3, 1.5 }, 45, 0 },
    /* array turned to face +y: a source on +y is straight ahead, one on +x on its right */
    { { G_PI_2, 0, 0 }, { 2, 3, 1.5 }, 0, 0 },
    { { G_PI_2, 0, 0 }, { 3, 2, 1.5 }, -90, 0 },
    /* front raised by 30°: a source 30° up ahead is on the array's axis */
    { { 0, G_PI / 6, 0 }, { 2 + cos (G_PI / 6), 2, 1.5 + sin (G_PI / 6) }, 0, 0 },
    /* rolled 90° (left side up): the room's up is the array's left */
    { { 0, 0, G_PI_2 }, { 2, 2, 2.5 }, 90, 0 },
    /* yaw 180°: a source behind the room's front is ahead */
    { { G_PI, 0, 0 }, { 1, 2, 2.5 }, 0, 45 },
  };

  al_sim_room_init (&room, 4, 4, 3, 0.5);
  room.max_order = 0;
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr (GError) error = NULL;
      int n;
      g_autofree AlSimImage *img = al_sim_images (&room, cases[c].src, rcv, &cases[c].o, &n, &error);
      g_assert_no_error (error);
      g_assert_cmpint (n, ==, 1);
      g_assert_cmpfloat_with_epsilon (AL_RAD2DEG (img[0].azimuth), cases[c].az, 1e-9);
      g_assert_cmpfloat_with_epsilon (AL_RAD2DEG (img[0].elevation), cases[c].el, 1e-9);
    }
}

static int
brute_nearest (const double *xyz, int n, const double u[3])
{
  int best = 0;
  double bd = -INFINITY;
  for (int q = 0; q < n; q++)
    {
      const double d = xyz[3 * q] * u[0] + xyz[3 * q + 1] * u[1] + xyz[3 * q + 2] * u[2];
      if (d > bd)
        {
          bd = d;
          best = q;
        }
    }
  return best;
}

/* The cube-map index returns exactly the brute-force nearest direction. */
static void
test_nearest (void)
{
  const char *specs[] = { "fibonacci:2048", "gauss:7", "fibonacci:5", "fibonacci:1" };
  GRand *rand = g_rand_new_with_seed (7);

  for (guint s = 0; s < G_N_ELEMENTS (specs); s++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (AlGrid) grid = al_grid_parse (specs[s], &error);
      g_assert_no_error (error);
      g_autoptr (AlAtfSet) set = al_test_sh_array (0, grid, 4, 0, 48000);
      g_autoptr (AlSimArray) arr = al_sim_array_new (set, NULL, &error);
      g_assert_no_error (error);
      double *xyz = g_new (double, 3 * grid->n);
      al_dirs_to_xyz (grid->dirs, grid->n, xyz);
      for (int t = 0; t < 20000; t++)
        {
          double dir[2], u[3];
          /* random directions, plus the grid points and cube-face edges themselves */
          if (t < grid->n)
            {
              dir[0] = grid->dirs[2 * t];
              dir[1] = grid->dirs[2 * t + 1];
            }
          else if (t < grid->n + 200)
            {
              dir[0] = (t % 8) * G_PI / 4;
              dir[1] = ((t / 8) % 5 - 2) * G_PI / 4 * 0.999999;
            }
          else
            {
              dir[0] = g_rand_double_range (rand, -G_PI, G_PI);
              dir[1] = asin (g_rand_double_range (rand, -1, 1));
            }
          al_dirs_to_xyz (dir, 1, u);
          g_assert_cmpint (al_sim_array_nearest (arr, dir[0], dir[1]), ==, brute_nearest (xyz, grid->n, u));
        }
      g_free (xyz);
    }
  g_rand_free (rand);
}

/* Sabine and Eyring for 6 × 5 × 3 m, α = 0.2: V = 90 m³, S = 126 m². */
static void
test_reverberation_formulas (void)
{
  AlSimRoom room;
  const double k = 24 * G_LN10 / 343.0;

  al_sim_room_init (&room, 6, 5, 3, 0.2);
  g_assert_cmpfloat_with_epsilon (al_sim_room_rt60_sabine (&room), k * 90 / (126 * 0.2), 1e-12);
  g_assert_cmpfloat_with_epsilon (al_sim_room_rt60_eyring (&room), k * 90 / (-126 * log (0.8)), 1e-12);
  g_assert_cmpfloat_with_epsilon (al_sim_room_rt60_eyring (&room), 0.5154, 1e-3);
}

static void
test_bad_rooms (void)
{
  const double in[3] = { 1, 1, 1 }, out[3] = { 1, 7, 1 };
  AlSimRoom room;
  int n = -1;

  al_sim_room_init (&room, 4, 3, 2.5, 0.3);
  {
    g_autoptr (GError) error = NULL;
    g_assert_null (al_sim_images (&room, out, in, NULL, &n, &error));
    g_assert_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT);
    g_assert_nonnull (strstr (error->message, "source at (1.000, 7.000, 1.000) m lies outside the 4.000 x 3.000 x 2.500 m room"));
    g_assert_cmpint (n, ==, 0);
  }
  {
    g_autoptr (GError) error = NULL;
    g_assert_null (al_sim_images (&room, in, out, NULL, &n, &error));
    g_assert_nonnull (strstr (error->message, "receiver"));
  }
  room.absorption[3] = 1.5;
  {
    g_autoptr (GError) error = NULL;
    g_assert_false (al_sim_room_validate (&room, &error));
    g_assert_nonnull (strstr (error->message, "y=Ly (north)"));
  }
  al_sim_room_init (&room, 4, -3, 2.5, 0.3);
  {
    g_autoptr (GError) error = NULL;
    g_assert_false (al_sim_room_validate (&room, &error));
    g_assert_nonnull (strstr (error->message, "size along y"));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sim/images/counts", test_counts);
  g_test_add_func ("/sim/images/positions-hits", test_positions_and_hits);
  g_test_add_func ("/sim/images/orientation", test_orientation);
  g_test_add_func ("/sim/images/nearest", test_nearest);
  g_test_add_func ("/sim/images/reverberation-formulas", test_reverberation_formulas);
  g_test_add_func ("/sim/images/bad-rooms", test_bad_rooms);
  return g_test_run ();
}
