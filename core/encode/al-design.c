/* al-design.c — encoder design from an ATF set: checks, common-delay
 * removal, per-bin regularised least squares (Tikhonov or soft-limited),
 * diffuse-field equalisation and conversion to causal FIRs.
 *
 * The per-bin solve itself is in al-design-context.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-encode-private.h"

#include <math.h>
#include <string.h>

#include "dsp/al-dsp.h"
#include "linalg/al-linalg.h"

gboolean
al_encode_check_request (const AlAtfSet *set, const AlDesignParams *p, GPtrArray *warnings, GError **error)
{
  const char *name = set->source ? set->source : "ATF set";
  if (p->order < 0 || p->order > AL_SH_MAX_ORDER)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "order %d is outside 0…%d", p->order, AL_SH_MAX_ORDER);
      return FALSE;
    }
  const int nsh = al_sh_count (p->order);
  const int supported = al_encoder_supported_order (set->nmics);
  if (p->order > supported)
    {
      if (!p->allow_high_order)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                       "%s: order %d needs at least %d microphones, the array has %d (it supports order %d)",
                       name, p->order, nsh, set->nmics, supported);
          return FALSE;
        }
      g_ptr_array_add (warnings, g_strdup_printf ("order %d is above the order %d that %d microphones support; "
                                                  "the higher channels are poorly determined",
                                                  p->order, supported, set->nmics));
    }
  if (set->ndirs < nsh)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "%s: %d directions cannot determine order %d (%d channels)", name, set->ndirs, p->order, nsh);
      return FALSE;
    }
  if (!(p->max_gain_db > -40 && p->max_gain_db <= 120))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "maximum gain %g dB is outside −40…120 dB", p->max_gain_db);
      return FALSE;
    }
  if (p->fir_length < 16 || p->fir_length > 65536)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "FIR length %d is outside 16…65536", p->fir_length);
      return FALSE;
    }
  /* The output sits fir_length/2 − margin taps in; it must clear the taper
   * (fir_length/8) or the filters lose their main tap. */
  int margin = al_atf_set_delay_margin (set);
  if (p->fir_length / 2 - margin < p->fir_length / 8)
    {
      int need = 16;
      while (need / 2 - margin < need / 8)
        need *= 2;
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "%s: %d taps are too short for this array (the arrival sits %d samples into the filters); "
                   "use at least %d",
                   name, p->fir_length, margin, need);
      return FALSE;
    }
  return TRUE;
}

double
al_encode_aliasing_frequency (const AlAtfSet *set, int order)
{
  double r = al_atf_set_aperture (set);
  if (r <= 0 || order == 0)
    return 0;
  return AL_SPEED_OF_SOUND * order / (2 * G_PI * r);
}

/* Y·√W as complex (nsh x ndirs), N3D. */
double complex *
al_encode_weighted_sh (const AlAtfSet *set, const AlGrid *grid, int order)
{
  const int nsh = al_sh_count (order);
  double *Y = g_new (double, (gsize) set->ndirs * nsh);
  al_sh_matrix (order, AL_SH_N3D, set->dirs, set->ndirs, Y);
  double complex *Yw = g_new (double complex, (gsize) nsh * set->ndirs);
  for (int k = 0; k < set->ndirs; k++)
    {
      double sw = sqrt (grid->weights[k]);
      for (int c = 0; c < nsh; c++)
        Yw[(gsize) c * set->ndirs + k] = Y[(gsize) k * nsh + c] * sw;
    }
  g_free (Y);
  return Yw;
}

/* Scale every channel above the transition so its diffuse-field power
 * [E Γ Eᴴ]_cc stays at its value at the transition bin (SAF/Politis). */
void
al_encode_diffuse_equalise (double complex *E, const double complex *Gamma, int nbins, int nsh, int m, int from_bin)
{
  double *ref = g_new (double, nsh);
  double complex *row = g_new (double complex, m);
  for (int b = from_bin; b < nbins; b++)
    {
      double complex *Eb = E + (gsize) b * nsh * m;
      const double complex *G = Gamma + (gsize) b * m * m;
      for (int c = 0; c < nsh; c++)
        {
          /* p = e_c Γ e_cᴴ */
          for (int j = 0; j < m; j++)
            {
              double complex acc = 0;
              for (int i = 0; i < m; i++)
                acc += Eb[c * m + i] * G[i * m + j];
              row[j] = acc;
            }
          double p = 0;
          for (int j = 0; j < m; j++)
            p += creal (row[j] * conj (Eb[c * m + j]));
          if (b == from_bin)
            ref[c] = p;
          else if (p > 0)
            {
              double g = sqrt (ref[c] / p);
              for (int j = 0; j < m; j++)
                Eb[c * m + j] *= g;
            }
        }
    }
  g_free (row);
  g_free (ref);
}

/* E (nbins x nsh x m, N3D, zero-phase, nfft = 2·(nbins−1) ≥ fir_len) →
 * causal FIRs: the circular response centred on tap fir_len/2 and cut to
 * fir_len taps with a Tukey taper.  Designing on a grid twice as fine as the
 * filter is long keeps the time aliasing of the sampled inverse out of the
 * kept taps. */
void
al_encode_spectra_to_fir (AlEncoder *enc, const double complex *E, int nbins)
{
  const int len = enc->fir_len, m = enc->nmics, nsh = enc->nsh;
  const int nfft = 2 * (nbins - 1);
  AlFft *fft = al_fft_new (nfft);
  double complex *spec = g_new (double complex, nbins);
  double *h = g_new (double, nfft);
  double *win = g_new (double, len);
  al_window_tukey (win, len, 0.25);
  for (int c = 0; c < nsh; c++)
    {
      double scale = al_sh_norm_factor (al_sh_degree_of (c), AL_SH_N3D, enc->params.norm);
      for (int q = 0; q < m; q++)
        {
          for (int b = 0; b < nbins; b++)
            spec[b] = E[((gsize) b * nsh + c) * m + q];
          spec[0] = creal (spec[0]);
          spec[nbins - 1] = creal (spec[nbins - 1]);
          al_fft_inverse (fft, spec, h);
          float *dst = enc->fir + ((gsize) c * m + q) * len;
          for (int i = 0; i < len; i++)
            dst[i] = (float) (h[(i - len / 2 + nfft) % nfft] * win[i] * scale);
        }
    }
  g_free (win);
  g_free (h);
  g_free (spec);
  al_fft_free (fft);
}

/* A new encoder for `set` with everything but the filters filled in. */
AlEncoder *
al_encode_encoder_new (const AlAtfSet *set, const AlDesignParams *params, double delay, GPtrArray *warnings)
{
  AlEncoder *enc = g_new0 (AlEncoder, 1);
  enc->params = *params;
  enc->fs = set->fs;
  enc->nsh = al_sh_count (params->order);
  enc->nmics = set->nmics;
  enc->fir_len = params->fir_length;
  enc->fir = g_new0 (float, (gsize) enc->nsh * enc->nmics * enc->fir_len);
  enc->atf_source = g_strdup (set->source);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  enc->created = g_date_time_format_iso8601 (now);
  enc->warnings = g_ptr_array_ref (warnings);
  enc->atf_delay = delay;
  if (params->diffuse_eq)
    {
      enc->diffuse_eq_hz = params->diffuse_eq_hz > 0 ? params->diffuse_eq_hz
                                                      : al_encode_aliasing_frequency (set, params->order);
      if (enc->diffuse_eq_hz <= 0 || enc->diffuse_eq_hz >= set->fs / 2)
        {
          g_ptr_array_add (warnings, g_strdup ("no diffuse-field transition below Nyquist: equalisation skipped"));
          enc->diffuse_eq_hz = 0;
        }
    }
  return enc;
}

static AlEncoder *
design_td_ls (const AlAtfSet *set, const AlDesignParams *params, AlProgress *progress, GError **error)
{
  if (!al_atf_set_validate (set, NULL, error))
    return NULL;
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  if (!al_encode_check_request (set, params, warnings, error))
    return NULL;
  g_autoptr (AlGrid) grid = al_atf_set_grid (set, error);
  if (grid == NULL)
    return NULL;
  /* Remove the loudspeaker's propagation delay (and any circular shift) so
   * the filters stay short and causal. */
  int delay = al_atf_set_common_delay (set);
  g_autoptr (AlEncoder) enc = al_encode_encoder_new (set, params, delay, warnings);
  g_autoptr (AlAtfSet) aligned = al_atf_set_aligned (set, delay, set->ir_len);
  if (!al_encode_design_td_ls (enc, aligned, grid, progress, error))
    return NULL;
  /* Latency from the start of the aligned IRs, where the centre arrival sits
   * `margin` samples in. */
  enc->latency -= al_atf_set_delay_margin (set);
  al_progress_report (progress, 1.0, "designed");
  return g_steal_pointer (&enc);
}

AlEncoder *
al_encoder_design (const AlAtfSet *set, const AlDesignParams *params, AlProgress *progress, GError **error)
{
  if (params->method == AL_DESIGN_TD_LS)
    return design_td_ls (set, params, progress, error);
  AlProgress prep = al_progress_sub (progress, 0.0, 0.6);
  AlProgress run = al_progress_sub (progress, 0.6, 1.0);
  g_autoptr (AlDesignContext) ctx = al_design_context_new (set, params->fir_length, params->order, &prep, error);
  if (ctx == NULL)
    return NULL;
  return al_design_context_run (ctx, params, &run, error);
}
