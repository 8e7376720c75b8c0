/* al-test-jack.c — a private JACK dummy server for the audio tests, and a
 * capture client that records what another client plays.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-test-jack.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The server of this process, for the crash path below. */
static volatile sig_atomic_t guarded_pid;

/* A failed assertion (abort), a crash or the test runner's timeout: stop
 * the server the way al_test_jack_stop does while this process's JACK
 * clients still run.  A server that loses its clients and its parent at
 * once (the PR_SET_PDEATHSIG fallback) exits without leaving the JACK shm
 * registry, whose 8 server slots are only reclaimed under the same name:
 * enough unique names left there and no server starts on the machine. */
static void
stop_on_signal (int sig)
{
  pid_t pid = guarded_pid;
  guarded_pid = 0;
  if (pid > 0)
    {
      kill (pid, SIGTERM);
      int i = 0;
      while (waitpid (pid, NULL, WNOHANG) == 0 && i++ < 500)
        {
          struct timespec ts = { 0, 10 * 1000 * 1000 };
          nanosleep (&ts, NULL);
        }
      if (i > 500)
        kill (pid, SIGKILL);
    }
  signal (sig, SIG_DFL);
  raise (sig);
}

static void
guard (pid_t pid)
{
  static const int sigs[] = { SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTERM, SIGINT, SIGTRAP };
  guarded_pid = pid;
  for (guint i = 0; i < G_N_ELEMENTS (sigs); i++)
    {
      struct sigaction sa = { 0 };
      sa.sa_handler = stop_on_signal;
      sigemptyset (&sa.sa_mask);
      sigaction (sigs[i], &sa, NULL);
    }
}

/* In the child between fork and exec (async-signal-safe calls only): the
 * server dies with the test, even on abort(), and writes to the log. */
static void
child_setup (gpointer data)
{
  const char *log_path = data;
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  int fd = open (log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd >= 0)
    {
      dup2 (fd, STDOUT_FILENO);
      dup2 (fd, STDERR_FILENO);
      close (fd);
    }
}

static char *
read_log (const AlTestJack *jack)
{
  char *text = NULL;
  if (!g_file_get_contents (jack->log_path, &text, NULL, NULL))
    return g_strdup ("(no output)");
  return g_strstrip (text);
}

/* TRUE when `jack_wait -c` says the server runs. */
static gboolean
server_running (const AlTestJack *jack)
{
  const char *argv[] = { "jack_wait", "-s", jack->name, "-c", NULL };
  g_autofree char *out = NULL;
  int status;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                     NULL, &out, NULL, &status, NULL))
    return FALSE;
  return out != NULL && g_str_has_prefix (out, "running");
}

static void
free_jack (AlTestJack *jack)
{
  if (jack->log_path != NULL)
    g_unlink (jack->log_path);
  g_free (jack->log_path);
  g_free (jack->name);
  g_free (jack);
}

AlTestJack *
al_test_jack_start (int channels, int period, double rate, GError **error)
{
  AlTestJack *jack = g_new0 (AlTestJack, 1);
  jack->name = g_strdup_printf ("ambilab-test-%d-%08x", (int) getpid (), g_random_int ());
  jack->channels = channels;
  jack->period = period;
  jack->rate = rate;
  int fd = g_file_open_tmp ("ambilab-jackd-XXXXXX.log", &jack->log_path, error);
  if (fd < 0)
    {
      free_jack (jack);
      return NULL;
    }
  close (fd);

  /* Before any PortAudio or JACK client of this process starts. */
  g_setenv ("JACK_DEFAULT_SERVER", jack->name, TRUE);
  g_setenv ("JACK_NO_START_SERVER", "1", TRUE);

  g_autofree char *r = g_strdup_printf ("%.0f", rate);
  g_autofree char *p = g_strdup_printf ("%d", period);
  g_autofree char *c = g_strdup_printf ("%d", channels);
  /* Before "-d", -r would mean --no-realtime: spelled out to be safe. */
  const char *argv[] = { "jackd", "--no-realtime", "-n", jack->name, "-d", "dummy", "-r", r, "-p", p,
                         "-C", c, "-P", c, NULL };
  g_autoptr (GError) local = NULL;
  if (!g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                      child_setup, jack->log_path, &jack->pid, &local))
    {
      g_set_error (error, G_SPAWN_ERROR, local->code,
                   "cannot run jackd (%s): install jackd2 (build-aux/deps.sh installs it)", local->message);
      free_jack (jack);
      return NULL;
    }

  guard (jack->pid);

  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!server_running (jack))
    {
      int status;
      if (waitpid (jack->pid, &status, WNOHANG) == jack->pid)
        {
          g_autofree char *log = read_log (jack);
          g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                       "jackd (server %s) exited with status %d before it ran; its output:\n%s",
                       jack->name, WIFEXITED (status) ? WEXITSTATUS (status) : -1, log);
          guarded_pid = 0;
          g_spawn_close_pid (jack->pid);
          jack->pid = 0;
          free_jack (jack);
          return NULL;
        }
      if (g_get_monotonic_time () > deadline)
        {
          g_autofree char *log = read_log (jack);
          g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                       "jackd (server %s) did not answer within 10 s; its output:\n%s", jack->name, log);
          al_test_jack_stop (jack);
          return NULL;
        }
      g_usleep (20000);
    }

  jack_status_t status;
  jack->wirer = jack_client_open ("ambilab-test-wirer", JackNoStartServer | JackServerName, &status, jack->name);
  if (jack->wirer == NULL)
    {
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                   "cannot open a JACK client on server %s (status 0x%x)", jack->name, (unsigned) status);
      al_test_jack_stop (jack);
      return NULL;
    }
  return jack;
}

int
al_test_jack_xruns (const AlTestJack *jack)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents (jack->log_path, &text, NULL, NULL))
    return 0;
  int n = 0;
  for (const char *p = text; (p = strstr (p, "XRun")) != NULL; p += 4)
    n++;
  return n;
}

struct AlTestCapture {
  int nports;
  gsize capacity;          /* frames per port */
  jack_port_t **ports;
  float *data;             /* nports x capacity, planar */
  atomic_int armed;        /* the process callback records */
  atomic_int busy;         /* the process callback is inside a cycle */
  atomic_size_t pos;       /* frames recorded */
  atomic_int xruns;
};

static void capture_free (AlTestCapture *c);

void
al_test_jack_kill_server (AlTestJack *jack)
{
  if (jack->pid <= 0)
    return;
  int status;
  guarded_pid = 0;
  kill (jack->pid, SIGTERM);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (waitpid (jack->pid, &status, WNOHANG) == 0)
    {
      if (g_get_monotonic_time () > deadline)
        {
          kill (jack->pid, SIGKILL);
          waitpid (jack->pid, &status, 0);
          break;
        }
      g_usleep (10000);
    }
  g_spawn_close_pid (jack->pid);
  jack->pid = 0;
}

void
al_test_jack_stop (AlTestJack *jack)
{
  if (jack == NULL)
    return;
  if (jack->wirer != NULL)
    jack_client_close (jack->wirer);
  /* The client is closed: its process callback no longer runs. */
  capture_free (jack->capture);
  al_test_jack_kill_server (jack);
  free_jack (jack);
}

typedef struct {
  const char *name;
  long number;
} Port;

static int
port_cmp (gconstpointer a, gconstpointer b)
{
  long x = ((const Port *) a)->number, y = ((const Port *) b)->number;
  return (x > y) - (x < y);
}

gboolean
al_test_jack_connect (const AlTestJack *jack, const int *from, const int *to, int npairs, GError **error)
{
  const char **names = jack_get_ports (jack->wirer, NULL, JACK_DEFAULT_AUDIO_TYPE, 0);
  g_autoptr (GArray) ins = g_array_new (FALSE, FALSE, sizeof (Port));
  g_autoptr (GArray) outs = g_array_new (FALSE, FALSE, sizeof (Port));
  for (int i = 0; names != NULL && names[i] != NULL; i++)
    {
      const char *colon = strchr (names[i], ':');
      if (colon == NULL || g_str_has_prefix (names[i], "system:"))
        continue;
      GArray *list = g_str_has_prefix (colon + 1, "in_") ? ins : g_str_has_prefix (colon + 1, "out_") ? outs : NULL;
      if (list == NULL)
        continue;
      Port port = { names[i], strtol (strchr (colon, '_') + 1, NULL, 10) };
      g_array_append_val (list, port);
    }
  g_array_sort (ins, port_cmp);
  g_array_sort (outs, port_cmp);

  gboolean ok = TRUE;
  int n = npairs >= 0 ? npairs : (int) MIN (ins->len, outs->len);
  if (n > 0 && (ins->len == 0 || outs->len == 0))
    {
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "server %s: no client ports to connect",
                   jack->name);
      ok = FALSE;
    }
  for (int k = 0; ok && k < n; k++)
    {
      int a = from ? from[k] : k, b = to ? to[k] : k;
      if (a >= (int) outs->len || b >= (int) ins->len)
        {
          g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                       "server %s: the client has %u outputs and %u inputs, cannot connect %d -> %d",
                       jack->name, outs->len, ins->len, a, b);
          ok = FALSE;
          break;
        }
      const char *src = g_array_index (outs, Port, a).name, *dst = g_array_index (ins, Port, b).name;
      int rc = jack_connect (jack->wirer, src, dst);
      if (rc != 0 && rc != EEXIST)
        {
          g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "server %s: jack_connect %s %s failed (%d)",
                       jack->name, src, dst, rc);
          ok = FALSE;
        }
    }
  jack_free (names);
  return ok;
}

/* ---- Capture ---- */

static void
capture_free (AlTestCapture *c)
{
  if (c == NULL)
    return;
  g_free (c->ports);
  g_free (c->data);
  g_free (c);
}

/* The wirer's process callback: copy what arrived, publish how much. */
static int
capture_process (jack_nframes_t n, void *arg)
{
  AlTestCapture *c = arg;
  /* busy before armed, and the caller armed = 0 before busy (both
   * sequentially consistent): a caller that sees busy == 0 after disarming
   * knows no cycle still writes. */
  atomic_store (&c->busy, 1);
  if (atomic_load (&c->armed))
    {
      gsize pos = atomic_load_explicit (&c->pos, memory_order_relaxed);
      gsize k = MIN ((gsize) n, c->capacity - pos);
      for (int p = 0; p < c->nports && k > 0; p++)
        memcpy (c->data + (gsize) p * c->capacity + pos, jack_port_get_buffer (c->ports[p], n), sizeof (float) * k);
      atomic_store_explicit (&c->pos, pos + k, memory_order_release);
    }
  atomic_store (&c->busy, 0);
  return 0;
}

static int
capture_xrun (void *arg)
{
  AlTestCapture *c = arg;
  atomic_fetch_add (&c->xruns, 1);
  return 0;
}

static void
capture_disarm (AlTestCapture *c)
{
  atomic_store (&c->armed, 0);
  while (atomic_load (&c->busy))
    g_usleep (100);
}

gboolean
al_test_jack_capture_start (AlTestJack *jack, int nports, double seconds, GError **error)
{
  gsize capacity = (gsize) (seconds * jack->rate);
  AlTestCapture *c = jack->capture;
  if (c != NULL)
    {
      if (nports > c->nports || capacity > c->capacity)
        {
          g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                       "server %s: the capture has %d ports of %" G_GSIZE_FORMAT " frames, asked for %d of %"
                       G_GSIZE_FORMAT, jack->name, c->nports, c->capacity, nports, capacity);
          return FALSE;
        }
      capture_disarm (c);
      atomic_store (&c->pos, 0);
      atomic_store (&c->xruns, 0);
      atomic_store (&c->armed, 1);
      return TRUE;
    }

  c = g_new0 (AlTestCapture, 1);
  c->nports = nports;
  c->capacity = capacity;
  c->ports = g_new0 (jack_port_t *, nports);
  /* Written now, so no page is first touched in the process callback. */
  c->data = g_new0 (float, (gsize) nports * capacity);
  memset (c->data, 0, sizeof (float) * nports * capacity);
  for (int p = 0; p < nports; p++)
    {
      g_autofree char *name = g_strdup_printf ("capture_%d", p + 1);
      c->ports[p] = jack_port_register (jack->wirer, name, JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput, 0);
      if (c->ports[p] == NULL)
        {
          g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "server %s: cannot register port %s",
                       jack->name, name);
          capture_free (c);
          return FALSE;
        }
    }
  atomic_store (&c->armed, 1);
  if (jack_set_process_callback (jack->wirer, capture_process, c) != 0
      || jack_set_xrun_callback (jack->wirer, capture_xrun, c) != 0 || jack_activate (jack->wirer) != 0)
    {
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "server %s: cannot activate the capture client",
                   jack->name);
      /* The ports stay registered with the client; the buffer must too. */
      jack->capture = c;
      atomic_store (&c->armed, 0);
      return FALSE;
    }
  jack->capture = c;
  return TRUE;
}

gboolean
al_test_jack_capture_connect (AlTestJack *jack, const char *client, int n, double timeout_s, GError **error)
{
  AlTestCapture *c = jack->capture;
  g_return_val_if_fail (c != NULL && n <= c->nports, FALSE);
  g_autofree char *pattern = g_strdup_printf ("^%s:out_", client);
  gint64 deadline = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);
  for (;;)
    {
      const char **names = jack_get_ports (jack->wirer, pattern, JACK_DEFAULT_AUDIO_TYPE, JackPortIsOutput);
      g_autoptr (GArray) outs = g_array_new (FALSE, FALSE, sizeof (Port));
      for (int i = 0; names != NULL && names[i] != NULL; i++)
        {
          Port port = { names[i], strtol (strrchr (names[i], '_') + 1, NULL, 10) };
          g_array_append_val (outs, port);
        }
      g_array_sort (outs, port_cmp);
      if ((int) outs->len >= n)
        {
          gboolean ok = TRUE;
          for (int k = 0; ok && k < n; k++)
            {
              const char *src = g_array_index (outs, Port, k).name, *dst = jack_port_name (c->ports[k]);
              int rc = jack_connect (jack->wirer, src, dst);
              if (rc != 0 && rc != EEXIST)
                {
                  g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                               "server %s: jack_connect %s %s failed (%d)", jack->name, src, dst, rc);
                  ok = FALSE;
                }
            }
          jack_free (names);
          return ok;
        }
      jack_free (names);
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                       "server %s: client %s has %u of %d output ports after %.1f s", jack->name, client,
                       outs->len, n, timeout_s);
          return FALSE;
        }
      g_usleep (1000);
    }
}

gsize
al_test_jack_capture_stop (AlTestJack *jack)
{
  AlTestCapture *c = jack->capture;
  g_return_val_if_fail (c != NULL, 0);
  capture_disarm (c);
  return atomic_load (&c->pos);
}

gsize
al_test_jack_capture_frames (const AlTestJack *jack)
{
  g_return_val_if_fail (jack->capture != NULL, 0);
  return atomic_load (&jack->capture->pos);
}

const float *
al_test_jack_capture_data (const AlTestJack *jack, int port)
{
  AlTestCapture *c = jack->capture;
  g_return_val_if_fail (c != NULL && port >= 0 && port < c->nports, NULL);
  return c->data + (gsize) port * c->capacity;
}

int
al_test_jack_capture_xruns (const AlTestJack *jack)
{
  g_return_val_if_fail (jack->capture != NULL, 0);
  return atomic_load (&jack->capture->xruns);
}

void
al_test_jack_capture_disconnect (AlTestJack *jack)
{
  AlTestCapture *c = jack->capture;
  g_return_if_fail (c != NULL);
  for (int p = 0; p < c->nports; p++)
    jack_port_disconnect (jack->wirer, c->ports[p]);
}
