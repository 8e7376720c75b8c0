/* al-stft.c — STFT with a periodic Hann window and its weighted overlap-add
 * inverse (al-dsp.h documents the framing).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-dsp.h"

#include "al-base.h"

#include <string.h>

struct AlStft {
  int frame, hop, nbins;
  AlFftf *fft;
  float *win;   /* frame: periodic Hann */
  float *inv_d; /* hop: 1 / sum_r win²[j + r*hop], the full-overlap normaliser */
  float *buf;   /* frame: time-domain scratch */
};

gboolean
al_stft_check_params (int frame, int hop, GError **error)
{
  if (frame < 2 || hop < 1 || frame % hop != 0 || frame / hop < 2)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "STFT: frame %d and hop %d are invalid (frame/hop must be an integer >= 2)",
                   frame, hop);
      return FALSE;
    }
  return TRUE;
}

AlStft *
al_stft_new (int frame, int hop)
{
  AlStft *stft;
  double *w;
  int j, r;

  g_return_val_if_fail (al_stft_check_params (frame, hop, NULL), NULL);

  stft = g_new0 (AlStft, 1);
  stft->frame = frame;
  stft->hop = hop;
  stft->nbins = frame / 2 + 1;
  stft->fft = al_fftf_new (frame);
  stft->win = g_new (float, frame);
  stft->inv_d = g_new (float, hop);
  stft->buf = g_new (float, frame);

  w = g_new (double, frame);
  al_window_hann (w, frame, TRUE);
  for (j = 0; j < frame; j++)
    stft->win[j] = (float) w[j];
  /* Every sample lies in exactly frame/hop frames at offsets j + r*hop; the
   * sum is > 0 because only offset 0 of a periodic Hann is zero. */
  for (j = 0; j < hop; j++)
    {
      double d = 0.0;

      for (r = 0; r < frame / hop; r++)
        d += w[j + r * hop] * w[j + r * hop];
      stft->inv_d[j] = (float) (1.0 / d);
    }
  g_free (w);
  return stft;
}

void
al_stft_free (AlStft *stft)
{
  if (stft == NULL)
    return;
  al_fftf_free (stft->fft);
  g_free (stft->win);
  g_free (stft->inv_d);
  g_free (stft->buf);
  g_free (stft);
}

int
al_stft_nbins (const AlStft *stft)
{
  g_return_val_if_fail (stft != NULL, 0);
  return stft->nbins;
}

int
al_stft_frame (const AlStft *stft)
{
  g_return_val_if_fail (stft != NULL, 0);
  return stft->frame;
}

int
al_stft_hop (const AlStft *stft)
{
  g_return_val_if_fail (stft != NULL, 0);
  return stft->hop;
}

int
al_stft_nframes (const AlStft *stft, size_t nsamples)
{
  size_t span;

  g_return_val_if_fail (stft != NULL, 0);

  span = nsamples + (size_t) (stft->frame - stft->hop);
  g_return_val_if_fail (span / (size_t) stft->hop < G_MAXINT, 0);
  return (int) ((span + (size_t) stft->hop - 1) / (size_t) stft->hop);
}

void
al_stft_forward (AlStft *stft, const float *x, size_t nsamples, float complex *X)
{
  int nframes, t, m, frame, hop;

  g_return_if_fail (stft != NULL && X != NULL && (x != NULL || nsamples == 0));

  frame = stft->frame;
  hop = stft->hop;

  nframes = al_stft_nframes (stft, nsamples);
  for (t = 0; t < nframes; t++)
    {
      /* Frame t starts at t*hop - (frame-hop): may be before 0 or run past the end. */
      gint64 start = (gint64) t * hop - (frame - hop);

      for (m = 0; m < frame; m++)
        {
          gint64 idx = start + m;

          stft->buf[m] = idx >= 0 && (guint64) idx < nsamples ? x[idx] * stft->win[m] : 0.0f;
        }
      al_fftf_forward (stft->fft, stft->buf, X + (size_t) t * stft->nbins);
    }
}

void
al_stft_inverse (AlStft *stft, const float complex *X, int nframes, float *y, size_t nsamples)
{
  size_t n;
  int t, m, frame, hop, ratio;

  g_return_if_fail (stft != NULL && (y != NULL || nsamples == 0));
  g_return_if_fail (nframes >= 0 && (X != NULL || nframes == 0));

  frame = stft->frame;
  hop = stft->hop;
  ratio = frame / hop;

  if (nsamples == 0)
    return;
  memset (y, 0, nsamples * sizeof (float));
  for (t = 0; t < nframes; t++)
    {
      gint64 start = (gint64) t * hop - (frame - hop);
      int m0, m1;

      if (start >= (gint64) nsamples)
        break;
      al_fftf_inverse (stft->fft, X + (size_t) t * stft->nbins, stft->buf);
      m0 = start < 0 ? (int) -start : 0;
      m1 = (gint64) nsamples - start < frame ? (int) ((gint64) nsamples - start) : frame;
      for (m = m0; m < m1; m++)
        y[start + m] += stft->buf[m] * stft->win[m];
    }

  for (n = 0; n < nsamples; n++)
    {
      size_t t0 = n / (size_t) hop; /* first frame holding sample n */
      double d = 0.0;
      size_t tt;

      if (t0 + (size_t) ratio - 1 < (size_t) nframes)
        {
          y[n] *= stft->inv_d[n % (size_t) hop];
          continue;
        }
      /* Fewer frames than the signal needs: normalise by what was added. */
      for (tt = t0; tt < (size_t) nframes; tt++)
        {
          float w = stft->win[n + (size_t) (frame - hop) - tt * (size_t) hop];

          d += (double) w * w;
        }
      y[n] = d > 1e-12 ? (float) (y[n] / d) : 0.0f;
    }
}
