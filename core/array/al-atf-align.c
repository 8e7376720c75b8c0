/* al-atf-align.c — where the sound arrives in an ATF set, and the set moved
 * so that it arrives near the start.
 *
 * Measured ATFs carry the loudspeaker's propagation delay (2 m ≈ 280 samples
 * at 48 kHz) and sometimes a circular shift.  Inverse filters should see only
 * the array's own geometry, so designs and evaluations advance the set by a
 * common delay, leaving a margin for the aperture and for pre-ringing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-array.h"

#include <complex.h>
#include <math.h>
#include <string.h>

#include "dsp/al-dsp.h"

double
al_atf_set_aperture (const AlAtfSet *set)
{
  double r = 0;
  for (int q = 0; q < set->nmics; q++)
    {
      const double *p = set->mic_pos + 3 * q;
      r = MAX (r, sqrt (p[0] * p[0] + p[1] * p[1] + p[2] * p[2]));
    }
  return r;
}

int
al_atf_set_delay_margin (const AlAtfSet *set)
{
  return (int) ceil (al_atf_set_aperture (set) / AL_SPEED_OF_SOUND * set->fs) + 16;
}

static int
peak_index (const double *h, int n)
{
  int peak = 0;
  for (int i = 1; i < n; i++)
    if (fabs (h[i]) > fabs (h[peak]))
      peak = i;
  return peak;
}

double
al_atf_set_centre_arrival (const AlAtfSet *set)
{
  /* A mic facing the source hears it (u·r)/c earlier than the centre, and on
   * that side its response peaks at the geometric arrival, also on a rigid
   * baffle.  So peak + (u·r)/c·fs estimates the centre arrival; only mics
   * facing the source (u·r̂ > 0.5) take part, since shadowed mics peak late.
   * The mean is circular, so a set whose onsets wrap around is handled. */
  const int n = set->ir_len;
  double complex acc = 0, acc_all = 0;
  for (int k = 0; k < set->ndirs; k++)
    {
      double u[3];
      al_dirs_to_xyz (set->dirs + 2 * k, 1, u);
      for (int q = 0; q < set->nmics; q++)
        {
          const double *h = set->ir + ((gsize) k * set->nmics + q) * n;
          const double *r = set->mic_pos + 3 * q;
          int p = peak_index (h, n);
          double w = h[p] * h[p];
          double ur = u[0] * r[0] + u[1] * r[1] + u[2] * r[2];
          double radius = sqrt (r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
          double t0 = p + ur / AL_SPEED_OF_SOUND * set->fs;
          double complex z = w * cexp (I * 2 * G_PI * t0 / n);
          acc_all += w * cexp (I * 2 * G_PI * p / n);
          if (radius == 0 || ur > 0.5 * radius)
            acc += z;
        }
    }
  if (cabs (acc) == 0)
    acc = acc_all;
  if (cabs (acc) == 0)
    return 0;
  double centre = carg (acc) / (2 * G_PI) * n;
  return centre < 0 ? centre + n : centre;
}

int
al_atf_set_common_delay (const AlAtfSet *set)
{
  const int n = set->ir_len;
  int delay = (int) lround (al_atf_set_centre_arrival (set)) - al_atf_set_delay_margin (set);
  /* Report the shift in (−n/2, n/2]: a negative value means samples are added. */
  delay = ((delay % n) + n) % n;
  return delay > n / 2 ? delay - n : delay;
}

AlAtfSet *
al_atf_set_aligned (const AlAtfSet *set, int delay, int len)
{
  AlAtfSet *out = al_atf_set_new (set->ndirs, set->nmics, len, set->fs);
  memcpy (out->mic_pos, set->mic_pos, sizeof (double) * 3 * set->nmics);
  memcpy (out->dirs, set->dirs, sizeof (double) * 2 * set->ndirs);
  memcpy (out->dist, set->dist, sizeof (double) * set->ndirs);
  out->title = g_strdup (set->title);
  out->source = g_strdup (set->source);
  const int n = set->ir_len;
  const int keep = MIN (n, len);
  const int fade = keep < n ? MAX (keep / 8, 1) : 0;
  for (gsize k = 0; k < (gsize) set->ndirs * set->nmics; k++)
    {
      const double *src = set->ir + k * n;
      double *dst = out->ir + k * len;
      for (int i = 0; i < keep; i++)
        dst[i] = src[(((i + delay) % n) + n) % n];
      al_apply_fades (dst, keep, 0, fade);
    }
  return out;
}
