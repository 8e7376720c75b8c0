/* al-window.c — analysis windows, half-Hann fades and the windowed-sinc
 * fractional-delay FIR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-dsp.h"

#include <math.h>

void
al_window_hann (double *w, int n, gboolean periodic)
{
  int i;
  double denom;

  g_return_if_fail (w != NULL || n <= 0);

  if (n <= 0)
    return;
  if (n == 1)
    {
      /* The formula gives 0 for a periodic one-point window; a window that
       * erases everything is useless, so both kinds give 1 (as NumPy does). */
      w[0] = 1.0;
      return;
    }
  denom = periodic ? n : n - 1;
  for (i = 0; i < n; i++)
    w[i] = 0.5 - 0.5 * cos (2.0 * G_PI * i / denom);
}

void
al_window_tukey (double *w, int n, double ratio)
{
  int i;

  g_return_if_fail (w != NULL || n <= 0);

  if (n <= 0)
    return;
  if (!(ratio > 0.0)) /* also catches NaN */
    ratio = 0.0;
  if (ratio > 1.0)
    ratio = 1.0;
  if (n == 1 || ratio == 0.0)
    {
      for (i = 0; i < n; i++)
        w[i] = 1.0;
      return;
    }
  for (i = 0; i < n; i++)
    {
      /* Distance from the nearer end, so the window is exactly symmetric. */
      int d = MIN (i, n - 1 - i);
      double x = (double) d / (n - 1); /* in [0, 1/2] */

      if (x < 0.5 * ratio)
        w[i] = 0.5 - 0.5 * cos (2.0 * G_PI * x / ratio);
      else
        w[i] = 1.0;
    }
}

void
al_apply_fades (double *x, int n, int fade_in, int fade_out)
{
  int i;

  g_return_if_fail (x != NULL || n <= 0);

  fade_in = CLAMP (fade_in, 0, MAX (n, 0));
  fade_out = CLAMP (fade_out, 0, MAX (n, 0));
  /* First half of a periodic Hann of length 2*fade: starts at 0 and reaches 1
   * one sample after the fade, so the gain is continuous. */
  for (i = 0; i < fade_in; i++)
    x[i] *= 0.5 - 0.5 * cos (G_PI * i / fade_in);
  for (i = 0; i < fade_out; i++)
    x[n - 1 - i] *= 0.5 - 0.5 * cos (G_PI * i / fade_out);
}

void
al_fractional_delay_fir (double delay, int len, double *h)
{
  int k;
  double half, sum = 0.0;

  g_return_if_fail (h != NULL && len >= 1);
  g_return_if_fail (isfinite (delay));

  delay = CLAMP (delay, 0.0, (double) (len - 1));
  /* Blackman window of total width `len` centred on the delay (not on the
   * middle of the filter), so the sinc's main lobe is never tapered and an
   * integer delay gives an exact impulse even at the ends. */
  half = 0.5 * len;
  for (k = 0; k < len; k++)
    {
      double t = k - delay;
      double s, w;

      if (fabs (t) >= half)
        {
          h[k] = 0.0;
          continue;
        }
      /* Exact zeros at integer offsets (sin (G_PI * k) is only ~1e-16). */
      if (t == rint (t))
        s = t == 0.0 ? 1.0 : 0.0;
      else
        s = sin (G_PI * t) / (G_PI * t);
      w = 0.42 + 0.5 * cos (G_PI * t / half) + 0.08 * cos (2.0 * G_PI * t / half);
      h[k] = s * w;
      sum += h[k];
    }
  /* sum > 0: the centre tap is the largest and the window is positive. */
  for (k = 0; k < len; k++)
    h[k] /= sum;
}
