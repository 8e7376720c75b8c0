/* al-sim-render.c — RIRs of one source for the array through its ATFs, with
 * the ideal-SH ground truth.
 *
 * Every image becomes a pulse g·fd_φ at sample n0 (81 taps, centre tap 40).
 * Pulses are sorted by (nearest grid direction, time block of B samples);
 * the pulses of one (direction, block) pair are summed into a short segment,
 * transformed once and multiplied into every mic's block spectrum (see
 * al-sim-acc.c).  The labels g·Y_c(Ω)·fd are added image by image in the
 * time domain.
 * Directions are split into AL_SIM_NCHUNKS chunks of about equal work, each
 * with its own accumulators, summed in chunk order: the result does not
 * depend on the number of threads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-sim-private.h"

#include <math.h>
#include <string.h>

typedef struct {
  gint32 n0;   /* first sample of the 81-tap pulse */
  float g;     /* amplitude β/d */
  float phi;   /* fractional delay */
} Pulse;

typedef struct {
  const AlSimArray *arr;
  const AlSimRoom *room;
  const double *recv;
  const double *R;
  /* per image, in enumeration order */
  int n;
  const double *pos, *beta;
  Pulse *pulse;
  int *dir;
  double *u;           /* n x 3 array-frame unit vectors (exact labels only) */
  /* sorted */
  int nblocks, len;
  int *key_start;      /* ndirs·nblocks + 1 */
  int *order;          /* image indices sorted by key */
  int chunk_dir[AL_SIM_NCHUNKS + 1];
  AlSimAcc acc[AL_SIM_NCHUNKS];
  float *sh[AL_SIM_NCHUNKS]; /* nsh x len per chunk */
} Job;

#define IMAGE_TASKS 16

/* Distance, delay, amplitude and grid direction of a slice of the images. */
static void
image_task (int task, gpointer data)
{
  Job *job = data;
  const AlSimArray *arr = job->arr;
  const int i0 = (int) ((gint64) job->n * task / IMAGE_TASKS);
  const int i1 = (int) ((gint64) job->n * (task + 1) / IMAGE_TASKS);
  const double *R = job->R, fs = arr->fs, c = job->room->c;

  for (int i = i0; i < i1; i++)
    {
      const double v[3] = { job->pos[3 * i] - job->recv[0], job->pos[3 * i + 1] - job->recv[1],
                            job->pos[3 * i + 2] - job->recv[2] };
      const double d = sqrt (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
      double u[3], x;

      if (!(d > 1e-6))
        {
          /* an image on the receiver (only possible with random displacement) */
          job->pulse[i] = (Pulse) { 0, 0, 0 };
          job->dir[i] = 0;
          continue;
        }
      for (int k = 0; k < 3; k++)
        u[k] = (R[k] * v[0] + R[3 + k] * v[1] + R[6 + k] * v[2]) / d;
      x = d / c * fs;
      job->pulse[i].n0 = (gint32) floor (x);
      job->pulse[i].phi = (float) (x - floor (x));
      /* A fraction within 2⁻²⁵ of 1 rounds to 1.0f, where the sinc's
       * sin(πφ)/(1 − φ) is 0/0: it is the next whole sample. */
      if (job->pulse[i].phi >= 1.0f)
        {
          job->pulse[i].n0++;
          job->pulse[i].phi = 0.0f;
        }
      job->pulse[i].g = (float) (job->beta[i] / d);
      job->dir[i] = al_sim_lookup_nearest (arr->lookup, u);
      if (job->u)
        memcpy (job->u + 3 * i, u, sizeof u);
    }
}

/* Adds g·y_c·fd to every label channel at sample `at`. */
static inline void
add_labels (const float *y, int nsh, const float fd[AL_SIM_FD_TAPS], float g, float *sh, int len,
            int at)
{
  for (int c = 0; c < nsh; c++)
    {
      float *o = sh + (gsize) c * len + at;
      const float gy = g * y[c];
      for (int k = 0; k < AL_SIM_FD_SPAN; k++)
        o[k] += gy * fd[k];
    }
}

/* Y_c of the image's true direction (label_exact_direction). */
static void
exact_labels (const AlSimArray *arr, const double u[3], float *y)
{
  double az, el, yd[81];
  double *yy = arr->nsh <= 81 ? yd : g_new (double, arr->nsh);

  al_xyz_to_dir (u, &az, &el);
  al_sh_real (arr->sh_order, arr->sh_norm, az, el, yy);
  for (int c = 0; c < arr->nsh; c++)
    y[c] = (float) yy[c];
  if (yy != yd)
    g_free (yy);
}

static void
chunk_task (int c, gpointer data)
{
  Job *job = data;
  const AlSimArray *arr = job->arr;
  const int nblocks = job->nblocks, len = job->len;
  AlSimScratch s;
  float *sh, *y_exact = job->u ? g_new (float, arr->nsh) : NULL;
  float fd[AL_SIM_FD_TAPS];

  al_sim_scratch_init (&s, arr);
  al_sim_acc_init (&job->acc[c], arr, nblocks);
  sh = job->sh[c] = g_new0 (float, (gsize) arr->nsh * len);

  /* direction by direction: its ATF spectra stay in cache for all its blocks */
  for (int d = job->chunk_dir[c]; d < job->chunk_dir[c + 1]; d++)
    for (int b = 0; b < nblocks; b++)
      {
        const int key = d * nblocks + b, i0 = job->key_start[key], i1 = job->key_start[key + 1];
        const int t0 = b * arr->B;
        int lo = G_MAXINT, hi = 0;

        if (i0 == i1)
          continue;
        for (int j = i0; j < i1; j++)
          {
            const int i = job->order[j];
            const Pulse *p = &job->pulse[i];
            const int off = p->n0 - t0;
            float *x = s.x + off;
            const float g = p->g;

            al_sim_fd_filter (p->phi, fd);
            for (int k = 0; k < AL_SIM_FD_SPAN; k++)
              x[k] += g * fd[k];
            lo = MIN (lo, off);
            hi = MAX (hi, off + AL_SIM_FD_SPAN);
            if (job->u)
              exact_labels (arr, job->u + 3 * i, y_exact);
            add_labels (job->u ? y_exact : arr->Y + (gsize) d * arr->nsh, arr->nsh, fd, g, sh, len,
                        p->n0 + arr->sh_delay);
          }
        al_sim_acc_add (arr, &job->acc[c], &s, d, b);
        memset (s.x + lo, 0, sizeof (float) * (hi - lo));
      }
  al_sim_scratch_clear (&s);
  g_free (y_exact);
}

/* Contiguous direction ranges with about equal numbers of (direction, block) pairs. */
static void
split_chunks (Job *job)
{
  const int ndirs = job->arr->ndirs, nblocks = job->nblocks;
  int *pairs = g_new0 (int, ndirs);
  gint64 total = 0, seen = 0;
  int c = 1;

  for (int d = 0; d < ndirs; d++)
    {
      for (int b = 0; b < nblocks; b++)
        pairs[d] += job->key_start[d * nblocks + b + 1] > job->key_start[d * nblocks + b];
      total += pairs[d];
    }
  job->chunk_dir[0] = 0;
  for (int d = 0; d < ndirs && c < AL_SIM_NCHUNKS; d++)
    {
      seen += pairs[d];
      while (c < AL_SIM_NCHUNKS && seen * AL_SIM_NCHUNKS >= total * c)
        job->chunk_dir[c++] = d + 1;
    }
  while (c <= AL_SIM_NCHUNKS)
    job->chunk_dir[c++] = ndirs;
  g_free (pairs);
}

static gboolean
check_geometry (const AlSimRoom *room, const double source[3], const double array_pos[3],
                const char *source_name, GError **error)
{
  const double *L = room->size;

  for (int k = 0; k < 2; k++)
    {
      const double *p = k == 0 ? source : array_pos;
      if (!(isfinite (p[0]) && isfinite (p[1]) && isfinite (p[2])) || !al_sim_room_contains (room, p))
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                       "%s at (%.3f, %.3f, %.3f) m lies outside the %.3f x %.3f x %.3f m room",
                       k == 0 ? source_name : "array", p[0], p[1], p[2], L[0], L[1], L[2]);
          return FALSE;
        }
    }
  const double dx = source[0] - array_pos[0], dy = source[1] - array_pos[1],
               dz = source[2] - array_pos[2];
  if (sqrt (dx * dx + dy * dy + dz * dz) < 0.01)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "%s at (%.3f, %.3f, %.3f) m is within 1 cm of the array centre", source_name,
                   source[0], source[1], source[2]);
      return FALSE;
    }
  return TRUE;
}

static void
job_free (Job *job)
{
  if (job == NULL)
    return;
  for (int c = 0; c < AL_SIM_NCHUNKS; c++)
    {
      al_sim_acc_clear (&job->acc[c]);
      g_free (job->sh[c]);
    }
  g_free (job->pulse);
  g_free (job->dir);
  g_free (job->u);
  g_free (job->key_start);
  g_free (job->order);
  g_free (job);
}

/* Images, their pulses and grid directions, sorted by (direction, block). */
static Job *
job_prepare (const AlSimArray *arr, const AlSimRoom *room, const double source[3],
             const double array_pos[3], const double R[9], const char *source_name, GError **error)
{
  Job *job;
  double *pos, *beta;
  gint64 max_n0 = 0;
  int nkeys;

  if (!al_sim_room_validate (room, error)
      || !check_geometry (room, source, array_pos, source_name, error))
    return NULL;
  /* every image lies within (K + 1)·L (+ the displacement) per axis of the
   * array: bound the response length before any sample index is formed */
  {
    double reach = 0;
    for (int d = 0; d < 3; d++)
      reach += (room->max_order + 1.0) * room->size[d] + room->max_rand_disp;
    if (reach / room->c * arr->fs + AL_SIM_FD_TAPS + MAX (arr->ir_len, arr->sh_delay + 1)
        > G_MAXINT / 4)
      {
        g_set_error (error, AL_ERROR, AL_ERROR_UNSUPPORTED,
                     "room: image order %d in a %.1f x %.1f x %.1f m room may give a %.0f s "
                     "impulse response, too long to render",
                     room->max_order, room->size[0], room->size[1], room->size[2],
                     reach / room->c);
        return NULL;
      }
  }

  job = g_new0 (Job, 1);
  job->arr = arr;
  job->room = room;
  job->recv = array_pos;
  job->R = R;
  job->n = al_sim_enumerate (room, source, &pos, &beta, NULL);
  job->pos = pos;
  job->beta = beta;
  job->pulse = g_new (Pulse, job->n);
  job->dir = g_new (int, job->n);
  job->u = arr->label_exact ? g_new (double, 3 * (gsize) job->n) : NULL;
  al_sim_parallel (IMAGE_TASKS, arr->nthreads, image_task, job);
  g_free (pos);
  g_free (beta);
  job->pos = job->beta = NULL;

  for (int i = 0; i < job->n; i++)
    max_n0 = MAX (max_n0, job->pulse[i].n0);
  job->len = (int) max_n0 + AL_SIM_FD_TAPS - 1 + MAX (arr->ir_len, arr->sh_delay + 1);
  job->nblocks = (int) (max_n0 / arr->B) + 1;

  /* counting sort by (direction, block); stable, so the summation order is fixed */
  nkeys = arr->ndirs * job->nblocks;
  job->key_start = g_new0 (int, nkeys + 1);
  job->order = g_new (int, job->n);
  for (int i = 0; i < job->n; i++)
    if (job->pulse[i].g != 0)
      job->key_start[job->dir[i] * job->nblocks + job->pulse[i].n0 / arr->B + 1]++;
  for (int k = 0; k < nkeys; k++)
    job->key_start[k + 1] += job->key_start[k];
  {
    int *fill = g_memdup2 (job->key_start, sizeof (int) * nkeys);
    for (int i = 0; i < job->n; i++)
      if (job->pulse[i].g != 0)
        job->order[fill[job->dir[i] * job->nblocks + job->pulse[i].n0 / arr->B]++] = i;
    g_free (fill);
  }
  split_chunks (job);
  return job;
}

/* Chunk sums in chunk order, back to time, the recipe's high-pass and air
 * absorption on every channel alike. */
static AlSimRir *
job_finish (Job *job)
{
  const AlSimArray *arr = job->arr;
  const AlSimRoom *room = job->room;
  AlSimRir *rir = g_new0 (AlSimRir, 1);
  double *tmp;

  rir->fs = arr->fs;
  rir->len = job->len;
  rir->nmics = arr->nmics;
  rir->nsh = arr->nsh;
  rir->sh_order = arr->sh_order;
  rir->sh_norm = arr->sh_norm;
  rir->sh_delay = arr->sh_delay;
  rir->nimages = job->n;
  rir->mic = g_new0 (float, (gsize) rir->nmics * rir->len);
  for (int c = 1; c < AL_SIM_NCHUNKS; c++)
    {
      al_sim_acc_sum (&job->acc[0], &job->acc[c], arr);
      al_sim_acc_clear (&job->acc[c]);
    }
  al_sim_acc_to_time (arr, &job->acc[0], rir->mic, rir->len);
  al_sim_acc_clear (&job->acc[0]);
  rir->sh = g_steal_pointer (&job->sh[0]);
  for (int c = 1; c < AL_SIM_NCHUNKS; c++)
    {
      const gsize n = (gsize) rir->nsh * rir->len;
      for (gsize k = 0; k < n; k++)
        rir->sh[k] += job->sh[c][k];
      g_clear_pointer (&job->sh[c], g_free);
    }

  tmp = g_new (double, rir->len);
  for (int ch = 0; ch < rir->nmics + rir->nsh; ch++)
    {
      float *x = ch < rir->nmics ? rir->mic + (gsize) ch * rir->len
                                 : rir->sh + (gsize) (ch - rir->nmics) * rir->len;
      if (room->hpf_fc > 0)
        {
          for (int t = 0; t < rir->len; t++)
            tmp[t] = x[t];
          al_sim_highpass (tmp, rir->len, room->hpf_fc, rir->fs);
          for (int t = 0; t < rir->len; t++)
            x[t] = (float) tmp[t];
        }
      if (room->air_absorption)
        al_sim_air_absorption (x, rir->len, rir->fs, room->c, AL_SIM_FD_CENTER + arr->sh_delay);
    }
  g_free (tmp);
  return rir;
}

/* Several sources at once: every source's chunks go to one pool of tasks,
 * and the sources are finished in parallel, so threads stay busy. */
typedef struct {
  int njobs;
  Job **jobs;
  AlSimRir **rirs;
} Batch;

static void
batch_chunk_task (int task, gpointer data)
{
  Batch *batch = data;

  chunk_task (task % AL_SIM_NCHUNKS, batch->jobs[task / AL_SIM_NCHUNKS]);
}

static void
batch_finish_task (int task, gpointer data)
{
  Batch *batch = data;

  batch->rirs[task] = job_finish (batch->jobs[task]);
  g_clear_pointer (&batch->jobs[task], job_free);
}

gboolean
al_sim_rir_render_many (const AlSimArray *arr, const AlSimRoom *room, int nsources,
                        const double *sources, const char *const *names, const double array_pos[3],
                        const AlSimOrientation *orientation, AlSimRir **rirs, GError **error)
{
  Batch batch = { nsources, g_new0 (Job *, nsources), rirs };
  double R[9];

  al_sim_orientation_matrix (orientation, R);
  for (int s = 0; s < nsources; s++)
    {
      batch.jobs[s] = job_prepare (arr, room, sources + 3 * s, array_pos, R, names[s], error);
      if (batch.jobs[s] == NULL)
        {
          for (int k = 0; k < s; k++)
            job_free (batch.jobs[k]);
          g_free (batch.jobs);
          return FALSE;
        }
    }
  al_sim_parallel (nsources * AL_SIM_NCHUNKS, arr->nthreads, batch_chunk_task, &batch);
  al_sim_parallel (nsources, arr->nthreads, batch_finish_task, &batch);
  g_free (batch.jobs);
  return TRUE;
}

AlSimRir *
al_sim_rir_render (const AlSimArray *arr, const AlSimRoom *room, const double source[3],
                   const double array_pos[3], const AlSimOrientation *orientation, GError **error)
{
  const char *name = "source";
  AlSimRir *rir = NULL;

  g_return_val_if_fail (arr != NULL && room != NULL && source != NULL && array_pos != NULL, NULL);
  if (!al_sim_rir_render_many (arr, room, 1, source, &name, array_pos, orientation, &rir, error))
    return NULL;
  return rir;
}

void
al_sim_rir_free (AlSimRir *rir)
{
  if (rir == NULL)
    return;
  g_free (rir->mic);
  g_free (rir->sh);
  g_free (rir);
}
