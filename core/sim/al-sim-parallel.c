/* al-sim-parallel.c — a fixed set of tasks spread over a few threads.  Each
 * task writes only its own output, so results do not depend on which thread
 * ran it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-sim-private.h"

typedef struct {
  int ntasks;
  gint next;
  AlSimTaskFunc func;
  gpointer data;
} Pool;

static gpointer
worker (gpointer user_data)
{
  Pool *pool = user_data;
  int task;

  while ((task = g_atomic_int_add (&pool->next, 1)) < pool->ntasks)
    pool->func (task, pool->data);
  return NULL;
}

void
al_sim_parallel (int ntasks, int nthreads, AlSimTaskFunc func, gpointer data)
{
  Pool pool = { ntasks, 0, func, data };
  GThread *threads[64];
  int nextra = CLAMP (MIN (nthreads, ntasks) - 1, 0, (int) G_N_ELEMENTS (threads));

  for (int t = 0; t < nextra; t++)
    threads[t] = g_thread_new ("al-sim", worker, &pool);
  worker (&pool);
  for (int t = 0; t < nextra; t++)
    g_thread_join (threads[t]);
}
