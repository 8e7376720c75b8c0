/* al-sim-chamber.c — a simulated anechoic chamber: a ground-truth ATF set
 * on a turntable, a slightly nonlinear speaker, an ADC with latency, clock
 * drift, noise and clipping, and an electrical loopback.  The core of the
 * "sim" audio backend and the ground truth of the measurement tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-measure-private.h"

#include <string.h>

struct AlSimChamber {
  AlAtfSet *truth;
  AlSimChamberParams params;
  AlPolyNonlinearity nl;
  double *unit;   /* ndirs x 3 unit vectors of the grid */
  GRand *rand;
};

void
al_sim_chamber_params_init (AlSimChamberParams *params)
{
  g_return_if_fail (params != NULL);
  memset (params, 0, sizeof *params);
  params->latency = 256.0;
  params->noise_dbfs = -100.0;
  params->thd_h3_share = 0.5;
  params->seed = 1;
}

static gboolean
check_params (const AlSimChamberParams *p, double fs, GError **error)
{
  const char *bad = NULL;

  if (!(p->elevation_deg >= -90.0 && p->elevation_deg <= 90.0))
    bad = "elevation is outside −90 … 90°";
  else if (p->interp_order < 0 || p->interp_order > AL_SH_MAX_ORDER)
    bad = "the interpolation order is outside 0 … 30";
  else if (!(p->latency >= 0.0 && p->latency <= 10.0 * fs))
    bad = "the latency is negative or above 10 s";
  else if (!(p->noise_dbfs <= 0.0))
    bad = "the noise level is above 0 dBFS (or not a number)";
  else if (!(p->thd >= 0.0 && p->thd <= 0.2))
    bad = "the THD is outside 0 … 0.2 (20 %)";
  else if (!(p->thd_h3_share >= 0.0 && p->thd_h3_share <= 1.0))
    bad = "the 3rd-harmonic share is outside 0 … 1";
  else if (!(p->thd_level_dbfs <= 0.0 && p->thd_level_dbfs >= -60.0))
    bad = "the THD reference level is outside −60 … 0 dBFS";
  else if (!(fabs (p->drift_ppm) <= 1000.0))
    bad = "the clock drift is beyond ±1000 ppm";
  else if (!(p->loopback_gain_db <= 0.0 && p->loopback_gain_db >= -60.0))
    bad = "the loopback gain is outside −60 … 0 dB";
  if (bad != NULL)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "simulated chamber: %s", bad);
      return FALSE;
    }
  return TRUE;
}

AlSimChamber *
al_sim_chamber_new (const AlAtfSet *truth, const AlSimChamberParams *params, GError **error)
{
  AlSimChamberParams defaults;

  g_return_val_if_fail (truth != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (params == NULL)
    {
      al_sim_chamber_params_init (&defaults);
      params = &defaults;
    }
  if (!al_atf_set_validate (truth, truth->source ? truth->source : "simulated chamber ATFs", error)
      || !check_params (params, truth->fs, error))
    return NULL;

  AlSimChamber *sim = g_new0 (AlSimChamber, 1);
  sim->truth = al_atf_set_copy (truth);
  sim->params = *params;
  al_poly_nonlinearity_from_thd (&sim->nl, params->thd, params->thd_h3_share, params->thd_level_dbfs);
  sim->unit = g_new (double, 3 * truth->ndirs);
  al_dirs_to_xyz (truth->dirs, truth->ndirs, sim->unit);
  sim->rand = g_rand_new_with_seed (params->seed);
  return sim;
}

void
al_sim_chamber_free (AlSimChamber *sim)
{
  if (sim == NULL)
    return;
  al_atf_set_free (sim->truth);
  g_free (sim->unit);
  g_rand_free (sim->rand);
  g_free (sim);
}

const AlPolyNonlinearity *
al_sim_chamber_nonlinearity (const AlSimChamber *sim)
{
  g_return_val_if_fail (sim != NULL, NULL);
  return &sim->nl;
}

void
al_sim_chamber_direction (const AlSimChamber *sim, double turntable_deg, double *azimuth,
                          double *elevation, int *index)
{
  g_return_if_fail (sim != NULL);

  /* The turntable turns the array by +α: the fixed source is at −α. */
  double az = remainder (AL_DEG2RAD (-turntable_deg), 2.0 * G_PI);
  double el = AL_DEG2RAD (sim->params.elevation_deg);
  if (azimuth != NULL)
    *azimuth = az;
  if (elevation != NULL)
    *elevation = el;
  if (index == NULL)
    return;
  if (sim->params.interp_order > 0)
    {
      *index = -1;
      return;
    }
  double u[3], dir[2] = { az, el };
  al_dirs_to_xyz (dir, 1, u);
  int best = 0;
  double best_dot = -2.0;
  for (int d = 0; d < sim->truth->ndirs; d++)
    {
      const double *v = sim->unit + 3 * d;
      double dot = u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
      if (dot > best_dot)
        {
          best_dot = dot;
          best = d;
        }
    }
  *index = best;
}

double *
al_sim_chamber_truth (const AlSimChamber *sim, double turntable_deg, GError **error)
{
  g_return_val_if_fail (sim != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  const AlAtfSet *t = sim->truth;
  size_t per_dir = (size_t) t->nmics * t->ir_len;
  double dir[2];
  int index;
  al_sim_chamber_direction (sim, turntable_deg, &dir[0], &dir[1], &index);
  if (index >= 0)
    return g_memdup2 (t->ir + index * per_dir, sizeof (double) * per_dir);

  g_autoptr (AlAtfSet) one = al_atf_set_interpolate (t, dir, 1, sim->params.interp_order, NULL, error);
  if (one == NULL)
    return NULL;
  return g_memdup2 (one->ir, sizeof (double) * per_dir);
}

/* Standard normal deviates (Box–Muller) from the chamber's generator. */
static void
add_noise (GRand *rand, double sigma, double *x, int n)
{
  for (int i = 0; i < n; i += 2)
    {
      double u1 = 1.0 - g_rand_double (rand); /* (0, 1] */
      double u2 = g_rand_double (rand);
      double r = sigma * sqrt (-2.0 * log (u1));
      x[i] += r * cos (2.0 * G_PI * u2);
      if (i + 1 < n)
        x[i + 1] += r * sin (2.0 * G_PI * u2);
    }
}

AlRecording *
al_sim_chamber_record (AlSimChamber *sim, double turntable_deg, const float *played, int n, GError **error)
{
  g_return_val_if_fail (sim != NULL && played != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  const AlAtfSet *t = sim->truth;
  const AlSimChamberParams *p = &sim->params;
  if (n < 1 || n > (1 << 27))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "simulated chamber: cannot play a buffer of %d samples", n);
      return NULL;
    }
  if (!isfinite (turntable_deg))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "simulated chamber: the turntable angle is not finite");
      return NULL;
    }
  if (!al_check_finite_float (played, n, "simulated chamber: the played buffer", error))
    return NULL;
  g_autofree double *ir = al_sim_chamber_truth (sim, turntable_deg, error);
  if (ir == NULL)
    return NULL;

  int nmics = t->nmics, ir_len = t->ir_len;
  int m = al_fft_good_size (n + ir_len + (int) ceil (p->latency) + 16), mb = m / 2 + 1;
  g_autoptr (AlMeasureFft) fft = al_fft_new (m);
  g_autofree double *buf = g_new0 (double, m);
  g_autofree double *chan = g_new (double, n);
  g_autofree double *scaled = g_new (double, n);
  g_autofree double complex *S = g_new (double complex, mb);  /* speaker output */
  g_autofree double complex *E = g_new (double complex, mb);  /* electrical feed */
  g_autofree double complex *A = g_new (double complex, mb);

  for (int i = 0; i < n; i++)
    buf[i] = played[i];
  al_fft_forward (fft, buf, E);
  al_poly_nonlinearity_apply (&sim->nl, t->fs, buf, n, buf);
  al_fft_forward (fft, buf, S);
  /* Same latency on every input of one ADC. */
  al_measure_spectrum_delay (S, m, p->latency);
  al_measure_spectrum_delay (E, m, p->latency);

  AlRecording *rec = al_recording_new (t->fs, nmics + 1, n);
  double sigma = p->noise_dbfs > -200.0 ? pow (10.0, p->noise_dbfs / 20.0) : 0.0;
  double loop_gain = pow (10.0, p->loopback_gain_db / 20.0);
  for (int c = 0; c <= nmics; c++)
    {
      if (c < nmics)
        {
          memset (buf, 0, sizeof (double) * m);
          memcpy (buf, ir + (size_t) c * ir_len, sizeof (double) * ir_len);
          al_fft_forward (fft, buf, A);
          for (int k = 0; k < mb; k++)
            A[k] *= S[k];
        }
      else
        for (int k = 0; k < mb; k++)
          A[k] = E[k] * loop_gain;
      al_fft_inverse (fft, A, buf);
      memcpy (chan, buf, sizeof (double) * n);
      if (p->drift_ppm != 0.0)
        {
          al_time_scale (chan, n, 1.0 + 1e-6 * p->drift_ppm, scaled, n);
          memcpy (chan, scaled, sizeof (double) * n);
        }
      if (sigma > 0.0)
        add_noise (sim->rand, sigma, chan, n);
      /* The ADC clips at full scale. */
      float *dst = al_recording_channel (rec, c);
      for (int i = 0; i < n; i++)
        dst[i] = (float) CLAMP (chan[i], -1.0, 1.0);
    }
  return rec;
}
