/* al-ir-window.c — IR windows (type, start, length, fades) and their
 * extraction from a raw deconvolution at a fractional reference lag.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-measure-private.h"

#include <string.h>

/* Samples either side of a window taken along for a fractional shift, so
 * the circular FFT shift's edge effects stay outside the kept part. */
#define SHIFT_MARGIN 512

static const char *type_names[] = { "rectangular", "hann" };

const char *
al_ir_window_type_name (AlIrWindowType type)
{
  g_return_val_if_fail (type <= AL_IR_WINDOW_HANN, "unknown");
  return type_names[type];
}

gboolean
al_ir_window_type_parse (const char *name, AlIrWindowType *type, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (type_names); i++)
    if (name != NULL && g_ascii_strcasecmp (name, type_names[i]) == 0)
      {
        *type = (AlIrWindowType) i;
        return TRUE;
      }
  g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
               "unknown IR window type “%s” (known: rectangular, hann)", name ? name : "");
  return FALSE;
}

gboolean
al_ir_window_check (const AlIrWindow *w, GError **error)
{
  g_return_val_if_fail (w != NULL, FALSE);

  if (w->type > AL_IR_WINDOW_HANN)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "IR window: unknown type %d", (int) w->type);
      return FALSE;
    }
  if (w->length < 1 || w->length > (1 << 26))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "IR window: length %d is outside 1 … %d",
                   w->length, 1 << 26);
      return FALSE;
    }
  if (w->type == AL_IR_WINDOW_HANN
      && (w->fade_in < 0 || w->fade_out < 0 || w->fade_in + w->fade_out > w->length))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "IR window: fades of %d and %d samples do not fit in its %d samples",
                   w->fade_in, w->fade_out, w->length);
      return FALSE;
    }
  return TRUE;
}

void
al_ir_window_gains (const AlIrWindow *w, double *gains)
{
  g_return_if_fail (w != NULL && gains != NULL);
  for (int i = 0; i < w->length; i++)
    gains[i] = 1.0;
  if (w->type == AL_IR_WINDOW_HANN)
    al_apply_fades (gains, w->length, w->fade_in, w->fade_out);
}

gboolean
al_ir_window_extract (const AlRawIr *raw, double lag, const AlIrWindow *w, double *out, GError **error)
{
  g_return_val_if_fail (raw != NULL && w != NULL && out != NULL, FALSE);

  if (!al_ir_window_check (w, error))
    return FALSE;
  if (!isfinite (lag))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "IR window: the reference lag is not finite");
      return FALSE;
    }
  double first = raw->zero + lag + w->start; /* index of out[0] in raw->h */
  double base = floor (first + 1e-9);
  double frac = first - base;
  if (frac < 1e-9)
    frac = 0.0;
  if (base < 0 || base + w->length + (frac > 0.0) > raw->len)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "IR window: lags %.2f … %.2f lie outside the deconvolved lags %d … %d",
                   lag + w->start, lag + w->start + w->length - 1, -raw->zero, raw->len - raw->zero - 1);
      return FALSE;
    }
  int b = (int) base;
  if (frac == 0.0)
    memcpy (out, raw->h + b, sizeof (double) * w->length);
  else
    {
      /* Shift a segment with margins by −frac (band-limited), keep the middle. */
      int m = al_fft_good_size (w->length + 2 * SHIFT_MARGIN);
      g_autoptr (AlMeasureFft) fft = al_fft_new (m);
      g_autofree double *seg = g_new0 (double, m);
      g_autofree double complex *S = g_new (double complex, m / 2 + 1);
      for (int j = 0; j < m; j++)
        {
          int src = b - SHIFT_MARGIN + j;
          if (src >= 0 && src < raw->len)
            seg[j] = raw->h[src];
        }
      al_fft_forward (fft, seg, S);
      al_measure_spectrum_delay (S, m, -frac);
      al_fft_inverse (fft, S, seg);
      memcpy (out, seg + SHIFT_MARGIN, sizeof (double) * w->length);
    }
  if (w->type == AL_IR_WINDOW_HANN)
    al_apply_fades (out, w->length, w->fade_in, w->fade_out);
  return TRUE;
}
