/* al-array-simulate.c — impulse responses of an analytic array model on a
 * direction grid (al_array_model_simulate).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-array-private.h"
#include "dsp/al-dsp.h"

#include <math.h>
#include <string.h>

/* Directions handed out per grab; small enough for smooth progress. */
#define SIM_CHUNK 8
#define SIM_MAX_THREADS 4

typedef struct {
  const AlArrayModel *model;
  const AlGrid *grid;
  AlAtfSet *set;
  int nfft, nbins, fade;
  double *mic_xyz;         /* nmics x 3, unit vectors */
  /* rigid sphere: per bin, the series order and its coefficients with the bulk
   * delay folded in; bin k's order[k] + 1 coefficients start at coefs + offset[k] */
  int *order;
  size_t *offset;
  double complex *coefs;
  int max_order;
  /* free field: per bin, the phase step of one sample of arrival-time advance
   * and the bulk-delay phasor */
  double *omega;           /* nbins: 2π·bin/nfft (rad per sample) */
  double complex *bulk;    /* nbins */
  double fs_over_c;
  gint next;               /* next direction to hand out */
  gint done;
  gint stop;
} SimShared;

typedef struct {
  SimShared *shared;
  AlFft *fft;
  double complex *spec;    /* nbins */
  double *time;            /* nfft */
  GThread *thread;
} SimWorker;

static void
simulate_direction (SimWorker *w, int d)
{
  SimShared *s = w->shared;
  const AlArrayModel *model = s->model;
  int nbins = s->nbins, ir_len = s->set->ir_len;
  gboolean has_nyquist = s->nfft % 2 == 0;
  double u[3];
  al_array_unit_vector (s->grid->dirs[2 * d], s->grid->dirs[2 * d + 1], u);

  for (int m = 0; m < model->nmics; m++)
    {
      const double *v = s->mic_xyz + 3 * m;
      double cos_theta = u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
      if (model->kind == AL_ARRAY_RIGID_SPHERE)
        {
          double p[AL_ARRAY_MAX_TERMS + 1];
          al_legendre_p (s->max_order, cos_theta, p);
          for (int k = 0; k < nbins; k++)
            {
              const double complex *b = s->coefs + s->offset[k];
              double complex sum = 0;
              for (int n = s->order[k]; n >= 0; n--)
                sum += b[n] * p[n];
              w->spec[k] = sum;
            }
        }
      else
        {
          /* arrival (p·u)/c earlier than the centre, in samples */
          double advance = model->radius * cos_theta * s->fs_over_c;
          for (int k = 0; k < nbins; k++)
            w->spec[k] = cexp (I * s->omega[k] * advance) * s->bulk[k];
        }
      /* A real signal's DC and Nyquist bins are real. */
      w->spec[0] = creal (w->spec[0]);
      if (has_nyquist)
        w->spec[nbins - 1] = creal (w->spec[nbins - 1]);

      al_fft_inverse (w->fft, w->spec, w->time);
      double *ir = s->set->ir + ((size_t) d * model->nmics + m) * ir_len;
      memcpy (ir, w->time, sizeof (double) * ir_len);
      al_apply_fades (ir, ir_len, 0, s->fade);
    }
}

/* Simulates the next chunk of directions; FALSE when none is left or the run
 * was stopped. */
static gboolean
simulate_chunk (SimWorker *w)
{
  SimShared *s = w->shared;
  if (g_atomic_int_get (&s->stop))
    return FALSE;
  int start = g_atomic_int_add (&s->next, SIM_CHUNK);
  int ndirs = s->grid->n;
  if (start >= ndirs)
    return FALSE;
  int end = MIN (start + SIM_CHUNK, ndirs);
  for (int d = start; d < end; d++)
    simulate_direction (w, d);
  g_atomic_int_add (&s->done, end - start);
  return TRUE;
}

static gpointer
simulate_thread (gpointer data)
{
  SimWorker *w = data;
  while (simulate_chunk (w))
    ;
  return NULL;
}

static gboolean
check_inputs (const AlArrayModel *model, const AlGrid *grid, double fs, int ir_len,
              double *delay, GError **error)
{
  if (!(fs > 0 && isfinite (fs)))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "array model: sample rate %g Hz is not valid", fs);
      return FALSE;
    }
  if (ir_len < 16)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "array model: impulse responses of %d taps are too short (at least 16)", ir_len);
      return FALSE;
    }
  if (!(model->c > 0 && isfinite (model->c)))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "array model: speed of sound %g m/s is not valid", model->c);
      return FALSE;
    }
  gboolean radius_ok = model->kind == AL_ARRAY_RIGID_SPHERE ? model->radius > 0 : model->radius >= 0;
  if (!radius_ok || !isfinite (model->radius))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "array model: radius %g m is not valid", model->radius);
      return FALSE;
    }
  if (!al_check_finite (model->mic_dirs, (size_t) model->nmics * 2, "array model: microphone directions", error)
      || !al_check_finite (grid->dirs, (size_t) grid->n * 2, "array model: grid directions", error))
    return FALSE;
  if (grid->n < 1)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "array model: the direction grid is empty");
      return FALSE;
    }

  double kr_max = G_PI * fs / model->c * model->radius;
  if (model->kind == AL_ARRAY_RIGID_SPHERE && ceil (kr_max) + 12 > AL_ARRAY_MAX_TERMS)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_UNSUPPORTED,
                   "array model: a rigid sphere of radius %g m at %g Hz needs %d terms of the "
                   "scattering series (at most %d supported)",
                   model->radius, fs, (int) ceil (kr_max) + 13, AL_ARRAY_MAX_TERMS + 1);
      return FALSE;
    }

  double travel = model->radius / model->c * fs; /* samples from the sphere's front to its centre */
  if (*delay < 0)
    *delay = ceil (travel) + 32;
  if (!isfinite (*delay) || *delay < travel + 16)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "array model: bulk delay %g samples leaves no room for the earliest microphone "
                   "(at least %.1f samples for r = %g m at %g Hz)",
                   *delay, travel + 16, model->radius, fs);
      return FALSE;
    }
  if (*delay + travel >= ir_len - ir_len / 8)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "array model: bulk delay %g samples does not fit in %d taps", *delay, ir_len);
      return FALSE;
    }
  return TRUE;
}

AlAtfSet *
al_array_model_simulate (const AlArrayModel *model, const AlGrid *grid, double fs,
                         int ir_len, double delay, AlProgress *progress, GError **error)
{
  g_return_val_if_fail (model != NULL && grid != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_inputs (model, grid, fs, ir_len, &delay, error))
    return NULL;

  int nmics = model->nmics, ndirs = grid->n;
  SimShared s = { 0 };
  s.model = model;
  s.grid = grid;
  s.nfft = al_fft_good_size (4 * ir_len);
  s.nbins = s.nfft / 2 + 1;
  s.fade = ir_len / 8;
  s.fs_over_c = fs / model->c;
  s.set = al_atf_set_new (ndirs, nmics, ir_len, fs);

  s.mic_xyz = g_new (double, 3 * nmics);
  for (int m = 0; m < nmics; m++)
    {
      al_array_unit_vector (model->mic_dirs[2 * m], model->mic_dirs[2 * m + 1], s.mic_xyz + 3 * m);
      for (int k = 0; k < 3; k++)
        s.set->mic_pos[3 * m + k] = model->radius * s.mic_xyz[3 * m + k];
    }
  memcpy (s.set->dirs, grid->dirs, sizeof (double) * 2 * ndirs);
  const char *kind = model->kind == AL_ARRAY_RIGID_SPHERE ? "rigid-sphere" : "free-field";
  s.set->source = g_strdup_printf ("%s model, r = %g m", kind, model->radius);
  s.set->title = g_strdup_printf ("%s model, r = %g m, %d mics, %s", kind, model->radius, nmics,
                                  grid->name ? grid->name : "custom grid");

  s.omega = g_new (double, s.nbins);
  s.bulk = g_new (double complex, s.nbins);
  for (int k = 0; k < s.nbins; k++)
    {
      s.omega[k] = 2 * G_PI * k / s.nfft;
      s.bulk[k] = cexp (-I * s.omega[k] * delay);
    }
  if (model->kind == AL_ARRAY_RIGID_SPHERE)
    {
      s.order = g_new (int, s.nbins);
      s.offset = g_new (size_t, s.nbins);
      size_t total = 0;
      for (int k = 0; k < s.nbins; k++)
        {
          s.order[k] = al_array_series_order (s.omega[k] * s.fs_over_c * model->radius);
          s.offset[k] = total;
          total += s.order[k] + 1;
          s.max_order = MAX (s.max_order, s.order[k]);
        }
      s.coefs = g_new (double complex, total);
      for (int k = 0; k < s.nbins; k++)
        {
          double complex *b = s.coefs + s.offset[k];
          al_array_modal_coefs (AL_ARRAY_RIGID_SPHERE, s.omega[k] * s.fs_over_c * model->radius, s.order[k], b);
          for (int n = 0; n <= s.order[k]; n++)
            b[n] *= s.bulk[k];
        }
    }

  int nthreads = CLAMP ((int) g_get_num_processors (), 1, SIM_MAX_THREADS);
  nthreads = MIN (nthreads, (ndirs + SIM_CHUNK - 1) / SIM_CHUNK);
  SimWorker workers[SIM_MAX_THREADS] = { { 0 } };
  for (int t = 0; t < nthreads; t++)
    {
      workers[t].shared = &s;
      workers[t].fft = al_fft_new (s.nfft);
      workers[t].spec = g_new (double complex, s.nbins);
      workers[t].time = g_new (double, s.nfft);
    }
  for (int t = 1; t < nthreads; t++)
    workers[t].thread = g_thread_try_new ("al-array-sim", simulate_thread, &workers[t], NULL);

  /* The main thread works too, and is the only one that talks to `progress`. */
  gboolean cancelled = FALSE;
  al_progress_report (progress, 0.0, "Simulating array responses");
  while (simulate_chunk (&workers[0]))
    {
      al_progress_report (progress, (double) g_atomic_int_get (&s.done) / ndirs,
                          "Simulating array responses");
      if (al_progress_cancelled (progress, error))
        {
          cancelled = TRUE;
          g_atomic_int_set (&s.stop, 1);
        }
    }
  for (int t = 1; t < nthreads; t++)
    if (workers[t].thread != NULL) /* else the others did its share */
      g_thread_join (workers[t].thread);
  for (int t = 0; t < nthreads; t++)
    {
      al_fft_free (workers[t].fft);
      g_free (workers[t].spec);
      g_free (workers[t].time);
    }
  g_free (s.mic_xyz);
  g_free (s.omega);
  g_free (s.bulk);
  g_free (s.order);
  g_free (s.offset);
  g_free (s.coefs);

  if (cancelled)
    {
      al_atf_set_free (s.set);
      return NULL;
    }
  al_progress_report (progress, 1.0, "Simulating array responses");
  return s.set;
}
