/* al-latency.c — the loopback reference: sub-sample peak positions,
 * latency estimation and its constancy over a run, and compensation by a
 * shift or by division by the reference spectrum.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-measure-private.h"

#include <string.h>

/* Recompute the phasor exactly every so many bins; in between it is
 * advanced by multiplication (error ~ 1e-16 per step). */
#define PHASOR_RESYNC 1024

double
al_measure_bl_eval (const double complex *X, int n, double pos)
{
  int nbins = n / 2 + 1;
  int last = n % 2 == 0 ? nbins - 1 : nbins; /* the Nyquist bin counts once */
  double p = fmod (pos, (double) n);
  double complex rot = cexp (2.0 * I * G_PI * p / n), z = 1.0;
  double sum = creal (X[0]);

  for (int k = 1; k < last; k++)
    {
      /* exact phase k·p/n cycles, reduced before the exponential */
      if (k % PHASOR_RESYNC == 0)
        z = cexp (2.0 * I * G_PI * fmod (k * p, (double) n) / n);
      else
        z *= rot;
      sum += 2.0 * creal (X[k] * z);
    }
  if (n % 2 == 0 && n > 1)
    sum += creal (X[nbins - 1]) * cos (G_PI * fmod (pos, 2.0));
  return sum / n;
}

/* Vertex offset of the parabola through (−1, a), (0, b), (1, c), in [−1, 1]. */
static double
parabola_vertex (double a, double b, double c)
{
  double den = a - 2.0 * b + c;
  if (!(den < 0.0))
    return 0.0;
  return CLAMP (0.5 * (a - c) / den, -1.0, 1.0);
}

/* Peak of |h| in [i0, i1), refined on the band-limited interpolation. */
static double
peak_in_range (const double *h, int n, int i0, int i1, double *value)
{
  i0 = CLAMP (i0, 0, n - 1);
  i1 = CLAMP (i1, i0 + 1, n);
  int p0 = i0;
  for (int i = i0; i < i1; i++)
    if (fabs (h[i]) > fabs (h[p0]))
      p0 = i;
  double sign = h[p0] < 0.0 ? -1.0 : 1.0;

  g_autoptr (AlMeasureFft) fft = al_fft_new (n);
  g_autofree double complex *X = g_new (double complex, n / 2 + 1);
  al_fft_forward (fft, h, X);

  /* Integer samples are the interpolant itself; then zoom in twice.  A
   * parabola through three points of a smooth peak is biased by ~0.1 sample
   * at a spacing of 1, by ~1e-5 at 1/256. */
  double a = sign * h[(p0 - 1 + n) % n], b = sign * h[p0], c = sign * h[(p0 + 1) % n];
  double pos = p0 + parabola_vertex (a, b, c);
  for (double step = 1.0 / 16.0; step >= 1.0 / 256.0; step /= 16.0)
    {
      /* Re-centre until the maximum is bracketed (a few moves at most). */
      for (int tries = 0; tries < 8; tries++)
        {
          a = sign * al_measure_bl_eval (X, n, pos - step);
          b = sign * al_measure_bl_eval (X, n, pos);
          c = sign * al_measure_bl_eval (X, n, pos + step);
          if (b >= a && b >= c)
            break;
          pos += a > c ? -step : step;
        }
      pos += step * parabola_vertex (a, b, c);
    }
  if (value != NULL)
    *value = al_measure_bl_eval (X, n, pos);
  return pos;
}

double
al_peak_position (const double *h, int n, double *value)
{
  g_return_val_if_fail (h != NULL && n >= 3, 0.0);
  return peak_in_range (h, n, 0, n, value);
}

double
al_latency_estimate (const AlRawIr *ref)
{
  g_return_val_if_fail (ref != NULL && ref->len >= 3, 0.0);
  /* Only non-negative lags: a latency cannot be negative, and the harmonic
   * IRs of the DAC/ADC chain sit before lag 0. */
  return peak_in_range (ref->h, ref->len, ref->zero, ref->len, NULL) - ref->zero;
}

double
al_raw_ir_value_at (const AlRawIr *raw, double lag)
{
  g_return_val_if_fail (raw != NULL, 0.0);
  g_autoptr (AlMeasureFft) fft = al_fft_new (raw->len);
  g_autofree double complex *X = g_new (double complex, raw->len / 2 + 1);
  al_fft_forward (fft, raw->h, X);
  return al_measure_bl_eval (X, raw->len, raw->zero + lag);
}

void
al_latency_track_init (AlLatencyTrack *track, double tolerance)
{
  g_return_if_fail (track != NULL);
  memset (track, 0, sizeof *track);
  track->tolerance = tolerance > 0.0 ? tolerance : 0.5;
}

gboolean
al_latency_track_add (AlLatencyTrack *track, double latency)
{
  g_return_val_if_fail (track != NULL, FALSE);

  if (track->count == 0)
    {
      track->first = track->min = track->max = latency;
    }
  else
    {
      track->min = MIN (track->min, latency);
      track->max = MAX (track->max, latency);
    }
  track->last = latency;
  track->count++;
  return fabs (latency - track->first) <= track->tolerance;
}

AlRawIr *
al_raw_ir_shift (const AlRawIr *raw, double shift)
{
  g_return_val_if_fail (raw != NULL, NULL);

  int n = raw->len;
  AlRawIr *out = al_raw_ir_new (raw->fs, n, raw->zero);
  double whole = rint (shift);

  if (fabs (shift - whole) < 1e-9)
    {
      /* out[i] = h[i + shift], circularly */
      int s = (int) (fmod (whole, (double) n) + n) % n;
      memcpy (out->h, raw->h + s, sizeof (double) * (n - s));
      memcpy (out->h + n - s, raw->h, sizeof (double) * s);
      return out;
    }
  g_autoptr (AlMeasureFft) fft = al_fft_new (n);
  g_autofree double complex *X = g_new (double complex, n / 2 + 1);
  al_fft_forward (fft, raw->h, X);
  al_measure_spectrum_delay (X, n, -shift);
  al_fft_inverse (fft, X, out->h);
  return out;
}

AlRawIr *
al_raw_ir_divide (const AlRawIr *mic, const AlRawIr *ref, double f_lo, double f_hi, GError **error)
{
  g_return_val_if_fail (mic != NULL && ref != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (mic->len != ref->len || mic->zero != ref->zero || mic->fs != ref->fs)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH,
                   "reference division: the IR has %d samples (lag 0 at %d, %g Hz) but the reference "
                   "%d (lag 0 at %d, %g Hz)", mic->len, mic->zero, mic->fs, ref->len, ref->zero, ref->fs);
      return NULL;
    }
  if (!(f_lo > 0.0 && f_lo < f_hi && f_hi <= 0.5 * mic->fs))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "reference division: band %g … %g Hz is empty or above fs/2", f_lo, f_hi);
      return NULL;
    }

  int n = mic->len, nbins = n / 2 + 1;
  g_autoptr (AlMeasureFft) fft = al_fft_new (n);
  g_autofree double complex *M = g_new (double complex, nbins);
  g_autofree double complex *R = g_new (double complex, nbins);
  g_autofree double *q = g_new (double, n);
  al_fft_forward (fft, mic->h, M);
  al_fft_forward (fft, ref->h, R);
  double max2 = 0.0;
  for (int k = 0; k < nbins; k++)
    max2 = fmax (max2, creal (R[k] * conj (R[k])));
  if (!(max2 > 0.0))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "reference division: the reference is silent");
      return NULL;
    }
  for (int k = 0; k < nbins; k++)
    {
      double f = (double) k * mic->fs / n;
      double eps = max2 * (1e-10 + al_measure_out_of_band (f, f_lo, f_hi));
      M[k] = M[k] * conj (R[k]) / (creal (R[k] * conj (R[k])) + eps);
    }
  al_fft_inverse (fft, M, q);
  /* Both share the rotation, so the quotient's lag 0 is at index 0. */
  AlRawIr *out = al_raw_ir_new (mic->fs, n, mic->zero);
  al_measure_rotate_into (q, n, 0, out);
  return out;
}
