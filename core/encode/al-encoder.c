/* al-encoder.c — the AlEncoder object: parameters, names, common-delay
 * estimation and the per-bin view of an encoder's FIR matrix.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-encode-private.h"

#include <math.h>
#include <string.h>

#include "dsp/al-dsp.h"
#include "linalg/al-linalg.h"

static const char *method_names[] = { "tikhonov", "softlimit", "td-ls" };

const char *
al_design_method_name (AlDesignMethod method)
{
  g_return_val_if_fail (method <= AL_DESIGN_TD_LS, "unknown");
  return method_names[method];
}

gboolean
al_design_method_parse (const char *name, AlDesignMethod *method, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (method_names); i++)
    if (g_ascii_strcasecmp (name, method_names[i]) == 0)
      {
        *method = (AlDesignMethod) i;
        return TRUE;
      }
  g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
               "unknown design method “%s” (known: tikhonov, softlimit, td-ls)", name);
  return FALSE;
}

void
al_design_params_init (AlDesignParams *params)
{
  memset (params, 0, sizeof *params);
  params->method = AL_DESIGN_TIKHONOV;
  params->order = 1;
  params->max_gain_db = 15.0;
  params->diffuse_eq = FALSE;
  params->diffuse_eq_hz = 0.0;
  params->fir_length = 1024;
  params->norm = AL_SH_SN3D;
}

void
al_encoder_free (AlEncoder *enc)
{
  if (enc == NULL)
    return;
  g_free (enc->name);
  g_free (enc->fir);
  g_free (enc->atf_source);
  g_free (enc->created);
  if (enc->warnings)
    g_ptr_array_unref (enc->warnings);
  g_free (enc);
}

int
al_encoder_supported_order (int nmics)
{
  return MAX (0, (int) floor (sqrt ((double) nmics) + 1e-9) - 1);
}

double complex *
al_encoder_spectra (const AlEncoder *enc, int nfft, AlShNorm norm)
{
  g_return_val_if_fail (nfft >= enc->fir_len, NULL);
  const int nbins = nfft / 2 + 1;
  double complex *E = g_new (double complex, (gsize) nbins * enc->nsh * enc->nmics);
  double *buf = g_new0 (double, nfft);
  double complex *spec = g_new (double complex, nbins);
  AlFft *fft = al_fft_new (nfft);
  for (int c = 0; c < enc->nsh; c++)
    {
      double scale = al_sh_norm_factor (al_sh_degree_of (c), enc->params.norm, norm);
      for (int q = 0; q < enc->nmics; q++)
        {
          const float *h = enc->fir + ((gsize) c * enc->nmics + q) * enc->fir_len;
          memset (buf, 0, sizeof (double) * nfft);
          for (int i = 0; i < enc->fir_len; i++)
            buf[i] = h[i] * scale;
          al_fft_forward (fft, buf, spec);
          for (int b = 0; b < nbins; b++)
            E[((gsize) b * enc->nsh + c) * enc->nmics + q] = spec[b];
        }
    }
  al_fft_free (fft);
  g_free (spec);
  g_free (buf);
  return E;
}

gboolean
al_encoder_check_input (const AlEncoder *enc, const char *name, int nchannels, double fs, GError **error)
{
  if (nchannels != enc->nmics)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH, "%s has %d channels but the encoder expects %d microphones",
                   name, nchannels, enc->nmics);
      return FALSE;
    }
  if (fabs (fs - enc->fs) > 1e-6)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH, "%s is at %g Hz but the encoder was designed for %g Hz",
                   name, fs, enc->fs);
      return FALSE;
    }
  return TRUE;
}

double
al_encoder_matrix_max_gain_db (const double complex *E, int nsh, int m)
{
  g_autofree double complex *G = g_new (double complex, (gsize) m * m);
  g_autofree double *w = g_new (double, m);
  al_zgemm ('C', 'N', m, m, nsh, 1.0, E, E, 0.0, G);
  double lmax = al_eig_hermitian (m, G, w, NULL) ? w[m - 1] : NAN;
  return 10 * log10 (MAX (lmax, 1e-30));
}

char *
al_encoder_filters_path (const char *json_path)
{
  g_autofree char *stem = g_str_has_suffix (json_path, ".json")
                            ? g_strndup (json_path, strlen (json_path) - 5)
                            : g_strdup (json_path);
  return g_strconcat (stem, ".wav", NULL);
}
