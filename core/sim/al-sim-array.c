/* al-sim-array.c — an ATF set prepared for rendering: block spectra of every
 * ATF, the labels Y_c at every grid direction, the nearest-direction index
 * and the label delay that matches the ATFs' bulk delay.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-sim-private.h"

#include <math.h>
#include <string.h>

void
al_sim_array_options_init (AlSimArrayOptions *opt)
{
  g_return_if_fail (opt != NULL);
  *opt = (AlSimArrayOptions) { 0 };
  opt->sh_order = 1;
  opt->sh_norm = AL_SH_SN3D;
  opt->sh_delay = AL_SIM_SH_DELAY_AUTO;
  opt->label_exact_direction = FALSE;
  opt->nthreads = 0;
}

/* Low-frequency group delay of the mean IR, Σ n h̄[n] / Σ h̄[n]: the bulk
 * delay of a centre-referenced set (first-order terms of the directional
 * response cancel in the mean over directions).  Falls back to the median
 * peak position when the mean has no DC. */
static int
estimate_bulk_delay (const AlAtfSet *atf)
{
  const gsize nir = (gsize) atf->ndirs * atf->nmics;
  double *mean = g_new0 (double, atf->ir_len);
  double s0 = 0, s1 = 0, sabs = 0;
  int delay;

  for (gsize r = 0; r < nir; r++)
    for (int n = 0; n < atf->ir_len; n++)
      mean[n] += atf->ir[r * atf->ir_len + n];
  for (int n = 0; n < atf->ir_len; n++)
    {
      s0 += mean[n];
      s1 += n * mean[n];
      sabs += fabs (mean[n]);
    }
  g_free (mean);
  if (sabs > 0 && fabs (s0) > 1e-3 * sabs)
    delay = (int) lround (s1 / s0);
  else
    {
      int *peaks = g_new (int, nir);
      for (gsize r = 0; r < nir; r++)
        {
          const double *h = atf->ir + r * atf->ir_len;
          int best = 0;
          for (int n = 1; n < atf->ir_len; n++)
            if (fabs (h[n]) > fabs (h[best]))
              best = n;
          peaks[r] = best;
        }
      /* median by counting (peaks are in [0, ir_len)) */
      int *count = g_new0 (int, atf->ir_len);
      gsize seen = 0;
      for (gsize r = 0; r < nir; r++)
        count[peaks[r]]++;
      delay = 0;
      for (int n = 0; n < atf->ir_len; n++)
        {
          seen += count[n];
          if (2 * seen >= nir)
            {
              delay = n;
              break;
            }
        }
      g_free (count);
      g_free (peaks);
    }
  return CLAMP (delay, 0, atf->ir_len - 1);
}

static void
compute_spectra (AlSimArray *arr)
{
  AlFftf *fft = al_fftf_new (arr->N);
  float *x = g_new0 (float, arr->N);
  float complex *X = g_new (float complex, arr->nbins);

  g_free (arr->spec);
  arr->spec = g_new0 (float, (gsize) arr->ndirs * arr->nmics * 2 * arr->nbp);
  for (int d = 0; d < arr->ndirs; d++)
    for (int m = 0; m < arr->nmics; m++)
      {
        const float *h = arr->ir + ((gsize) d * arr->nmics + m) * arr->ir_len;
        float *re = arr->spec + ((gsize) d * arr->nmics + m) * 2 * arr->nbp, *im = re + arr->nbp;
        memcpy (x, h, sizeof (float) * arr->ir_len);
        al_fftf_forward (fft, x, X);
        for (int f = 0; f < arr->nbins; f++)
          {
            re[f] = crealf (X[f]);
            im[f] = cimagf (X[f]);
          }
      }
  g_free (x);
  g_free (X);
  al_fftf_free (fft);
}

static void
set_fft_size (AlSimArray *arr, int n)
{
  arr->N = n;
  arr->B = n - (AL_SIM_FD_TAPS - 1) - arr->ir_len + 1;
  arr->nbins = n / 2 + 1;
  arr->nbp = (arr->nbins + 15) / 16 * 16;
  compute_spectra (arr);
}

gboolean
al_sim_array_set_fft_size (AlSimArray *arr, int n, GError **error)
{
  g_return_val_if_fail (arr != NULL, FALSE);
  if (n < arr->ir_len + AL_SIM_FD_TAPS - 1 + 16 || (n & (n - 1)) != 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "block FFT size %d must be a power of two >= %d", n,
                   arr->ir_len + AL_SIM_FD_TAPS - 1 + 16);
      return FALSE;
    }
  set_fft_size (arr, n);
  return TRUE;
}

AlSimArray *
al_sim_array_new (const AlAtfSet *atf, const AlSimArrayOptions *opt_in, GError **error)
{
  AlSimArrayOptions opt;
  AlSimArray *arr;
  double *Yd;
  int n;

  g_return_val_if_fail (atf != NULL, NULL);
  if (opt_in)
    opt = *opt_in;
  else
    al_sim_array_options_init (&opt);

  if (!al_atf_set_validate (atf, atf->source ? atf->source : "ATF set", error))
    return NULL;
  if (opt.sh_order < 0 || opt.sh_order > AL_SH_MAX_ORDER)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "ground-truth SH order %d is outside 0..%d", opt.sh_order, AL_SH_MAX_ORDER);
      return NULL;
    }
  if (opt.sh_delay < AL_SIM_SH_DELAY_AUTO || opt.sh_delay > 1 << 20)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "label delay %d samples must be >= 0 (or AL_SIM_SH_DELAY_AUTO)", opt.sh_delay);
      return NULL;
    }
  if (atf->ir_len > 1 << 16)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_UNSUPPORTED,
                   "ATF set: %d taps per impulse response is more than the 65536 supported",
                   atf->ir_len);
      return NULL;
    }

  al_sim_fd_tables_init ();
  al_sim_rng_tables_init ();
  arr = g_new0 (AlSimArray, 1);
  arr->fs = atf->fs;
  arr->ndirs = atf->ndirs;
  arr->nmics = atf->nmics;
  arr->ir_len = atf->ir_len;
  arr->sh_order = opt.sh_order;
  arr->nsh = al_sh_count (opt.sh_order);
  arr->sh_norm = opt.sh_norm;
  arr->label_exact = opt.label_exact_direction;
  arr->nthreads = opt.nthreads > 0 ? opt.nthreads : (int) g_get_num_processors ();
  arr->sh_delay = opt.sh_delay == AL_SIM_SH_DELAY_AUTO ? estimate_bulk_delay (atf) : opt.sh_delay;
  arr->ir = g_new (float, (gsize) atf->ndirs * atf->nmics * atf->ir_len);
  for (gsize k = 0; k < (gsize) atf->ndirs * atf->nmics * atf->ir_len; k++)
    arr->ir[k] = (float) atf->ir[k];

  arr->xyz = g_new (double, 3 * (gsize) arr->ndirs);
  al_dirs_to_xyz (atf->dirs, arr->ndirs, arr->xyz);
  arr->lookup = al_sim_lookup_new (arr->xyz, arr->ndirs);

  Yd = g_new (double, (gsize) arr->ndirs * arr->nsh);
  al_sh_matrix (arr->sh_order, arr->sh_norm, atf->dirs, arr->ndirs, Yd);
  arr->Y = g_new (float, (gsize) arr->ndirs * arr->nsh);
  for (gsize k = 0; k < (gsize) arr->ndirs * arr->nsh; k++)
    arr->Y[k] = (float) Yd[k];
  g_free (Yd);

  /* The smallest power of two >= 1.5 convolution spans.  For 512-tap ATFs
   * that is 1024 (blocks of 433 samples): on a 6 x 5 x 3 m room 10 % faster
   * than 2048 and 25 % faster than 4096, on random rooms as fast as 2048
   * (bench-sim): longer blocks group more images but cost more per group. */
  n = 64;
  while (n < 3 * (arr->ir_len + AL_SIM_FD_TAPS - 1) / 2)
    n *= 2;
  set_fft_size (arr, n);
  /* and the air-absorption STFT's, before any worker thread needs it */
  al_stft_free (al_stft_new (AL_SIM_AIR_FRAME, AL_SIM_AIR_HOP));
  return arr;
}

void
al_sim_array_free (AlSimArray *arr)
{
  if (arr == NULL)
    return;
  g_free (arr->xyz);
  g_free (arr->Y);
  g_free (arr->spec);
  g_free (arr->ir);
  al_sim_lookup_free (arr->lookup);
  g_free (arr);
}

double
al_sim_array_fs (const AlSimArray *arr)
{
  return arr->fs;
}

int
al_sim_array_nmics (const AlSimArray *arr)
{
  return arr->nmics;
}

int
al_sim_array_ndirs (const AlSimArray *arr)
{
  return arr->ndirs;
}

int
al_sim_array_sh_order (const AlSimArray *arr)
{
  return arr->sh_order;
}

AlShNorm
al_sim_array_sh_norm (const AlSimArray *arr)
{
  return arr->sh_norm;
}

int
al_sim_array_sh_delay (const AlSimArray *arr)
{
  return arr->sh_delay;
}

int
al_sim_array_nearest (const AlSimArray *arr, double azimuth, double elevation)
{
  double dir[2] = { azimuth, elevation }, u[3];

  g_return_val_if_fail (arr != NULL, -1);
  al_dirs_to_xyz (dir, 1, u);
  return al_sim_lookup_nearest (arr->lookup, u);
}
