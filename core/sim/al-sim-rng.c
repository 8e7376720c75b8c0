/* al-sim-rng.c — a fast seedable generator for noise signals: xoshiro128+
 * (state from splitmix64) and Marsaglia & Tsang's ziggurat for Gaussian
 * samples (J. Stat. Softw. 5(8), 2000; 128 layers).  GRand and Box–Muller
 * are several times slower for the millions of samples a noisy scene needs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-sim-private.h"

#include <math.h>

static guint64
splitmix64 (guint64 *x)
{
  guint64 z = (*x += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

void
al_sim_rng_seed (AlSimRng *rng, guint64 seed)
{
  guint64 a = splitmix64 (&seed), b = splitmix64 (&seed);
  rng->s[0] = (guint32) a;
  rng->s[1] = (guint32) (a >> 32);
  rng->s[2] = (guint32) b;
  rng->s[3] = (guint32) (b >> 32);
  if ((rng->s[0] | rng->s[1] | rng->s[2] | rng->s[3]) == 0)
    rng->s[0] = 1;
}

static inline guint32
rotl (guint32 x, int k)
{
  return (x << k) | (x >> (32 - k));
}

static inline guint32
next (AlSimRng *rng)
{
  guint32 *s = rng->s;
  const guint32 result = s[0] + s[3], t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 11);
  return result;
}

/* uniform in (0, 1]: never 0, so logarithms are finite */
static inline double
uniform (AlSimRng *rng)
{
  return ((next (rng) >> 8) + 1.0) * (1.0 / 16777216.0);
}

#define ZIG_R 3.442619855899

static guint32 zig_k[128];
static double zig_w[128], zig_f[128];

void
al_sim_rng_tables_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      const double m1 = 2147483648.0, vn = 9.91256303526217e-3;
      double dn = ZIG_R, tn = dn, q = vn / exp (-0.5 * dn * dn);

      zig_k[0] = (guint32) ((dn / q) * m1);
      zig_k[1] = 0;
      zig_w[0] = q / m1;
      zig_w[127] = dn / m1;
      zig_f[0] = 1.0;
      zig_f[127] = exp (-0.5 * dn * dn);
      for (int i = 126; i >= 1; i--)
        {
          dn = sqrt (-2 * log (vn / dn + exp (-0.5 * dn * dn)));
          zig_k[i + 1] = (guint32) ((dn / tn) * m1);
          tn = dn;
          zig_f[i] = exp (-0.5 * dn * dn);
          zig_w[i] = dn / m1;
        }
      g_once_init_leave (&done, 1);
    }
}

/* The rare path: the base strip's tail, or a point under a wedge. */
static double
zig_fix (AlSimRng *rng, gint32 hz, int iz)
{
  for (;;)
    {
      const double x = hz * zig_w[iz];
      if (iz == 0)
        {
          double t, y;
          do
            {
              t = -log (uniform (rng)) / ZIG_R;
              y = -log (uniform (rng));
            }
          while (y + y < t * t);
          return hz > 0 ? ZIG_R + t : -ZIG_R - t;
        }
      if (zig_f[iz] + uniform (rng) * (zig_f[iz - 1] - zig_f[iz]) < exp (-0.5 * x * x))
        return x;
      hz = (gint32) next (rng);
      iz = hz & 127;
      if ((hz < 0 ? -(guint32) hz : (guint32) hz) < zig_k[iz])
        return hz * zig_w[iz];
    }
}

void
al_sim_rng_gauss (AlSimRng *rng, float *x, gint64 n)
{
  al_sim_rng_tables_init ();
  for (gint64 i = 0; i < n; i++)
    {
      const gint32 hz = (gint32) next (rng);
      const int iz = hz & 127;
      if ((hz < 0 ? -(guint32) hz : (guint32) hz) < zig_k[iz])
        x[i] = (float) (hz * zig_w[iz]);
      else
        x[i] = (float) zig_fix (rng, hz, iz);
    }
}
