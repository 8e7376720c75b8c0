/* test-sphere-map.c — the sphere map: projection geometry against the
 * textbook formulas, direction <-> pixel round trips, nearest-neighbour
 * values, and colours read back from a rendered image and inverted through
 * viridis.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-base.h"
#include "al-plot-private.h"
#include "plot-test-util.h"

#define W 600
#define H 300

static cairo_surface_t *
render (AlSphereMap *map, int w, int h)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  cairo_t *cr = cairo_create (surface);
  al_sphere_map_draw (map, cr, w, h, NULL);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  return surface;
}

/* Nearly uniform directions (Fibonacci lattice), n x 2 radians. */
static double *
fibonacci (int n)
{
  double *dirs = g_new (double, 2 * n);
  double golden = G_PI * (3 - sqrt (5));
  for (int i = 0; i < n; i++)
    {
      double z = 1 - (2 * i + 1.0) / n;
      dirs[2 * i] = remainder (golden * i, 2 * G_PI);
      dirs[2 * i + 1] = asin (z);
    }
  return dirs;
}

/* atan2 of |u x v| and u . v: accurate for tiny angles too. */
static double
angle_between (double az1, double el1, double az2, double el2)
{
  double u[3] = { cos (el1) * cos (az1), cos (el1) * sin (az1), sin (el1) };
  double v[3] = { cos (el2) * cos (az2), cos (el2) * sin (az2), sin (el2) };
  double c[3] = { u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0] };
  return atan2 (sqrt (c[0] * c[0] + c[1] * c[1] + c[2] * c[2]), u[0] * v[0] + u[1] * v[1] + u[2] * v[2]);
}

/* The function the maps show: smooth, range within [-1, 1]. */
static double
field (double az, double el)
{
  return 0.6 * sin (el) + 0.4 * cos (el) * cos (az - 0.5);
}

static AlSphereMap *
field_map (int n, AlProjection projection)
{
  double *dirs = fibonacci (n), *values = g_new (double, n);
  for (int i = 0; i < n; i++)
    values[i] = field (dirs[2 * i], dirs[2 * i + 1]);
  AlSphereMap *map = al_sphere_map_new ("Field", "a.u.", dirs, values, n);
  al_sphere_map_set_projection (map, projection);
  al_sphere_map_set_range (map, -1, 1);
  g_free (dirs);
  g_free (values);
  return map;
}

static void
test_equirectangular_geometry (void)
{
  g_autoptr (AlSphereMap) map = field_map (500, AL_PROJECTION_EQUIRECTANGULAR);
  double px, py, az, el;
  g_assert_false (al_sphere_map_to_pixel (map, 0, 0, &px, &py));
  g_assert_false (al_sphere_map_to_direction (map, 300, 150, &az, &el));
  cairo_surface_destroy (render (map, W, H));

  double left, right, top, bottom, cx, cy;
  g_assert_true (al_sphere_map_to_pixel (map, G_PI, 0, &left, &cy));
  g_assert_true (al_sphere_map_to_pixel (map, -G_PI, 0, &right, NULL));
  g_assert_true (al_sphere_map_to_pixel (map, 0, G_PI_2, &cx, &top));
  g_assert_true (al_sphere_map_to_pixel (map, 0, -G_PI_2, NULL, &bottom));
  /* +180 at the left edge, 0 in the centre, -180 at the right edge, 2:1 */
  g_assert_cmpfloat (left, <, right);
  g_assert_cmpfloat (fabs (cx - 0.5 * (left + right)), <, 1e-9);
  g_assert_cmpfloat (fabs (cy - 0.5 * (top + bottom)), <, 1e-9);
  g_assert_cmpfloat (fabs ((right - left) - 2 * (bottom - top)), <=, 1.0);
  g_assert_cmpfloat (right - left, >, 0.6 * W);
  /* azimuth increases to the left, linearly; elevation up */
  for (int a = -180; a <= 180; a += 15)
    for (int e = -90; e <= 90; e += 15)
      {
        g_assert_true (al_sphere_map_to_pixel (map, AL_DEG2RAD (a), AL_DEG2RAD (e), &px, &py));
        g_assert_cmpfloat (fabs (px - (cx - (right - left) * a / 360.0)), <, 1e-9);
        g_assert_cmpfloat (fabs (py - (cy - (bottom - top) * e / 180.0)), <, 1e-9);
      }
  /* azimuths given beyond +-180 wrap */
  double p1, p2;
  al_sphere_map_to_pixel (map, AL_DEG2RAD (270), 0, &p1, NULL);
  al_sphere_map_to_pixel (map, AL_DEG2RAD (-90), 0, &p2, NULL);
  g_assert_cmpfloat (fabs (p1 - p2), <, 1e-9);
  /* outside the map */
  g_assert_false (al_sphere_map_to_direction (map, left - 1, cy, &az, &el));
  g_assert_false (al_sphere_map_to_direction (map, cx, bottom + 1, &az, &el));
  g_assert_false (al_sphere_map_to_direction (map, 1, 1, &az, &el));
}

static void
test_hammer_geometry (void)
{
  g_autoptr (AlSphereMap) map = field_map (500, AL_PROJECTION_HAMMER);
  cairo_surface_destroy (render (map, W, H));
  double left, cx, cy, top, px, py, az, el;
  g_assert_true (al_sphere_map_to_pixel (map, 0, 0, &cx, &cy));
  g_assert_true (al_sphere_map_to_pixel (map, G_PI, 0, &left, NULL));
  g_assert_true (al_sphere_map_to_pixel (map, 0, G_PI_2, NULL, &top));
  double rx = cx - left, ry = cy - top;
  g_assert_cmpfloat (fabs (rx - 2 * ry), <=, 1.0);
  /* Hammer (1892): x = 2 sqrt2 cos(el) sin(az/2) / sqrt(1 + cos(el) cos(az/2)),
   * y = sqrt2 sin(el) / sqrt(...); here x grows to the left. */
  for (int a = -175; a <= 175; a += 25)
    for (int e = -85; e <= 85; e += 17)
      {
        double lam = AL_DEG2RAD (a), phi = AL_DEG2RAD (e);
        double d = sqrt (1 + cos (phi) * cos (lam / 2));
        double x = 2 * G_SQRT2 * cos (phi) * sin (lam / 2) / d, y = G_SQRT2 * sin (phi) / d;
        g_assert_true (al_sphere_map_to_pixel (map, lam, phi, &px, &py));
        g_assert_cmpfloat (fabs (px - (cx - rx * x / (2 * G_SQRT2))), <, 1e-9);
        g_assert_cmpfloat (fabs (py - (cy - ry * y / G_SQRT2)), <, 1e-9);
      }
  /* the corners of the bounding box are outside the ellipse */
  g_assert_false (al_sphere_map_to_direction (map, left + 2, top + 2, &az, &el));
  g_assert_false (al_sphere_map_to_direction (map, cx + rx - 2, cy + ry - 2, &az, &el));
  g_assert_true (al_sphere_map_to_direction (map, cx, cy, &az, &el));
  g_assert_cmpfloat (fabs (az), <, 1e-9);
  g_assert_cmpfloat (fabs (el), <, 1e-9);
}

static void
test_round_trip (void)
{
  for (int p = 0; p < 2; p++)
    {
      AlProjection projection = p ? AL_PROJECTION_HAMMER : AL_PROJECTION_EQUIRECTANGULAR;
      g_autoptr (AlSphereMap) map = field_map (500, projection);
      cairo_surface_destroy (render (map, W, H));
      double left, right, top, bottom;
      al_sphere_map_to_pixel (map, G_PI, 0, &left, NULL);
      al_sphere_map_to_pixel (map, -G_PI, 0, &right, NULL);
      al_sphere_map_to_pixel (map, 0, G_PI_2, NULL, &top);
      al_sphere_map_to_pixel (map, 0, -G_PI_2, NULL, &bottom);
      /* Half a pixel is at least 0.5 * 2 pi / (right - left) rad along the
       * equator (~2e-3 here); the round trip is exact to rounding. */
      double half_pixel = G_PI / (right - left);
      g_assert_cmpfloat (half_pixel, >, 1e-3);
      GRand *rand = g_rand_new_with_seed (3);
      for (int k = 0; k < 2000; k++)
        {
          double az = g_rand_double_range (rand, -G_PI + 1e-6, G_PI - 1e-6);
          double el = asin (g_rand_double_range (rand, -0.99, 0.99));
          double px, py, az2, el2;
          g_assert_true (al_sphere_map_to_pixel (map, az, el, &px, &py));
          g_assert_true (al_sphere_map_to_direction (map, px, py, &az2, &el2));
          g_assert_cmpfloat (angle_between (az, el, az2, el2), <, 1e-9);
          /* and the other way round, from pixels */
          double qx = left + (right - left) * g_rand_double (rand);
          double qy = top + (bottom - top) * g_rand_double (rand);
          if (al_sphere_map_to_direction (map, qx, qy, &az2, &el2))
            {
              g_assert_true (al_sphere_map_to_pixel (map, az2, el2, &px, &py));
              g_assert_cmpfloat (hypot (px - qx, py - qy), <, 1e-6);
            }
        }
      g_rand_free (rand);
    }
}

static void
test_value_at_nearest (void)
{
  GRand *rand = g_rand_new_with_seed (5);
  int n = 2000;
  double *dirs = g_new (double, 2 * n), *values = g_new (double, n);
  for (int i = 0; i < n; i++)
    {
      dirs[2 * i] = g_rand_double_range (rand, -G_PI, G_PI);
      dirs[2 * i + 1] = asin (g_rand_double_range (rand, -1, 1));
      values[i] = i; /* the value names the point */
    }
  g_autoptr (AlSphereMap) map = al_sphere_map_new (NULL, NULL, dirs, values, n);
  /* next to each input, its own value */
  for (int i = 0; i < n; i += 7)
    {
      double v = al_sphere_map_value_at (map, dirs[2 * i] + 1e-5, dirs[2 * i + 1] - 1e-5);
      g_assert_cmpfloat (v, ==, (double) i);
    }
  /* anywhere: the value of the point at the smallest angle (brute force) */
  for (int k = 0; k < 300; k++)
    {
      double az = g_rand_double_range (rand, -G_PI, G_PI), el = asin (g_rand_double_range (rand, -1, 1));
      int best = 0;
      for (int i = 1; i < n; i++)
        if (angle_between (az, el, dirs[2 * i], dirs[2 * i + 1])
            < angle_between (az, el, dirs[2 * best], dirs[2 * best + 1]))
          best = i;
      double v = al_sphere_map_value_at (map, az, el);
      g_assert_cmpfloat (fabs (angle_between (az, el, dirs[2 * (int) v], dirs[2 * (int) v + 1])
                               - angle_between (az, el, dirs[2 * best], dirs[2 * best + 1])), <, 1e-12);
    }
  g_autoptr (AlSphereMap) empty = al_sphere_map_new (NULL, NULL, NULL, NULL, 0);
  g_assert_true (isnan (al_sphere_map_value_at (empty, 0, 0)));
  g_rand_free (rand);
  g_free (dirs);
  g_free (values);
}

/* Inverts viridis: the t whose colour is nearest. */
static double
viridis_inverse (AlRgb c, double *distance)
{
  double best_t = 0, best = INFINITY;
  for (int k = 0; k <= 2048; k++)
    {
      double t = k / 2048.0, d = test_color_distance (al_colormap_viridis (t), c);
      if (d < best)
        best = d, best_t = t;
    }
  *distance = best;
  return best_t;
}

static void
test_colours_recover_values (void)
{
  for (int p = 0; p < 2; p++)
    {
      AlProjection projection = p ? AL_PROJECTION_HAMMER : AL_PROJECTION_EQUIRECTANGULAR;
      int n = 20000;
      g_autoptr (AlSphereMap) map = field_map (n, projection);
      g_autofree double *inputs = fibonacci (n);
      cairo_surface_t *s = render (map, W, H);
      /* Directions away from the graticule (multiples of 45 and 30
       * degrees), each moved to the nearest input point so that the value
       * shown there is exactly the field's. */
      static const int azimuths[] = { -160, -115, -70, -25, 20, 65, 110, 155 };
      static const int elevations[] = { -75, -50, -10, 10, 50, 75 };
      int checked = 0;
      double worst = 0;
      for (guint a = 0; a < G_N_ELEMENTS (azimuths); a++)
        for (guint e = 0; e < G_N_ELEMENTS (elevations); e++)
          {
            double az = AL_DEG2RAD (azimuths[a]), el = AL_DEG2RAD (elevations[e]), px, py, dist;
            int nearest = 0;
            for (int i = 1; i < n; i++)
              if (angle_between (az, el, inputs[2 * i], inputs[2 * i + 1])
                  < angle_between (az, el, inputs[2 * nearest], inputs[2 * nearest + 1]))
                nearest = i;
            az = inputs[2 * nearest];
            el = inputs[2 * nearest + 1];
            g_assert_true (al_sphere_map_to_pixel (map, az, el, &px, &py));
            AlRgb c = test_pixel (s, (int) floor (px), (int) floor (py));
            double t = viridis_inverse (c, &dist);
            g_assert_cmpfloat (dist, <, 3.0 / 255);   /* it is a viridis colour */
            double value = -1 + 2 * t;
            /* +-2 % of the range (2) */
            g_assert_cmpfloat (fabs (value - field (az, el)), <, 0.04);
            worst = MAX (worst, fabs (value - field (az, el)));
            checked++;
          }
      g_assert_cmpint (checked, ==, 48);
      g_test_message ("%s: largest error %.4f of a range of 2", p ? "Hammer" : "equirectangular", worst);
      cairo_surface_destroy (s);
    }
}

static void
test_missing_and_clamped_values (void)
{
  /* two hemispheres: left (azimuth > 0) NaN, right (azimuth < 0) far above the range */
  double dirs[] = { G_PI_2, 0, -G_PI_2, 0 }, values[] = { NAN, 50 };
  g_autoptr (AlSphereMap) map = al_sphere_map_new (NULL, NULL, dirs, values, 2);
  al_sphere_map_set_range (map, 0, 1);
  cairo_surface_t *s = render (map, W, H);
  double px, py;
  al_sphere_map_to_pixel (map, AL_DEG2RAD (100), AL_DEG2RAD (10), &px, &py);
  AlRgb missing = test_pixel (s, (int) px, (int) py);
  g_assert_cmpfloat (fabs (missing.r - missing.g) + fabs (missing.g - missing.b), <, 0.02); /* grey */
  al_sphere_map_to_pixel (map, AL_DEG2RAD (-100), AL_DEG2RAD (10), &px, &py);
  g_assert_cmpfloat (test_color_distance (test_pixel (s, (int) px, (int) py), test_hex (0xFDE725)), <=, 1.0 / 255);
  cairo_surface_destroy (s);
}

static void
test_markers (void)
{
  g_autoptr (AlSphereMap) map = field_map (2000, AL_PROJECTION_EQUIRECTANGULAR);
  double marker[] = { AL_DEG2RAD (20), AL_DEG2RAD (-10) };
  const char *labels[] = { "M1" };
  al_sphere_map_add_markers (map, marker, 1, labels);
  cairo_surface_t *s = render (map, W, H);
  double px, py;
  al_sphere_map_to_pixel (map, marker[0], marker[1], &px, &py);
  /* a white dot with a black ring */
  g_assert_cmpfloat (test_color_distance (test_pixel (s, (int) px, (int) py), test_hex (0xFFFFFF)), <, 0.05);
  double darkest = 1;
  for (int dx = 2; dx <= 8; dx++)
    {
      AlRgb c = test_pixel (s, (int) px + dx, (int) py);
      darkest = MIN (darkest, (c.r + c.g + c.b) / 3);
    }
  g_assert_cmpfloat (darkest, <, 0.2);
  cairo_surface_destroy (s);
}

/* Tiny figures, no data, NaN directions and markers, a NaN range: the
 * context stays usable and the geometry consistent. */
static void
test_degenerate_maps (void)
{
  double dirs[] = { 0, 0, 1, NAN, NAN, 1, 100, 100 }, values[] = { 1, 2, NAN, 4 };
  const char *labels[] = { "a", NULL };
  static const int sizes[][2] = { { 1, 1 }, { 30, 20 }, { 3000, 120 } };
  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    for (int p = 0; p < 2; p++)
      {
        g_autoptr (AlSphereMap) empty = al_sphere_map_new (NULL, NULL, NULL, NULL, 0);
        g_autoptr (AlSphereMap) odd = al_sphere_map_new ("t", "u", dirs, values, 4);
        al_sphere_map_add_markers (odd, dirs, 2, labels);
        al_sphere_map_set_range (odd, NAN, 1);
        AlProjection projection = p ? AL_PROJECTION_HAMMER : AL_PROJECTION_EQUIRECTANGULAR;
        al_sphere_map_set_projection (empty, projection);
        al_sphere_map_set_projection (odd, projection);
        AlPlotStyle huge_text = { TRUE, 4.0 };
        cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, sizes[k][0], sizes[k][1]);
        cairo_t *cr = cairo_create (surface);
        al_sphere_map_draw (empty, cr, sizes[k][0], sizes[k][1], &huge_text);
        al_sphere_map_draw (odd, cr, sizes[k][0], sizes[k][1], NULL);
        g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
        double px, py, az, el;
        g_assert_true (al_sphere_map_to_pixel (odd, 0.3, 0.2, &px, &py));
        g_assert_true (al_sphere_map_to_direction (odd, px, py, &az, &el));
        g_assert_cmpfloat (angle_between (az, el, 0.3, 0.2), <, 1e-6);
        /* the NaN-direction point is ignored; (100, 100) is a real direction */
        g_assert_cmpfloat (al_sphere_map_value_at (odd, 0.01, 0.0), ==, 1.0);
        g_assert_cmpfloat (al_sphere_map_value_at (odd, 100.0, 100.0), ==, 4.0);
        cairo_destroy (cr);
        cairo_surface_destroy (surface);
      }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plot/sphere-map/equirectangular", test_equirectangular_geometry);
  g_test_add_func ("/plot/sphere-map/hammer", test_hammer_geometry);
  g_test_add_func ("/plot/sphere-map/round-trip", test_round_trip);
  g_test_add_func ("/plot/sphere-map/value-at", test_value_at_nearest);
  g_test_add_func ("/plot/sphere-map/colours", test_colours_recover_values);
  g_test_add_func ("/plot/sphere-map/missing-clamped", test_missing_and_clamped_values);
  g_test_add_func ("/plot/sphere-map/markers", test_markers);
  g_test_add_func ("/plot/sphere-map/degenerate", test_degenerate_maps);
  return g_test_run ();
}
