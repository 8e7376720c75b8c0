/* al-test-jack.h — a private JACK server with the dummy driver for audio
 * tests and benchmarks: started under a unique name before PortAudio is
 * initialised, wired with libjack's jack_connect() from one client of its
 * own, and stopped at the end — also on a failed assertion or a crash (a
 * signal handler stops it cleanly) and when the test process is killed
 * (the server gets SIGTERM with its parent).
 *
 * Wiring from a long-lived client rather than by running jack_connect per
 * port: every short-lived client that joins and leaves the graph makes a
 * --no-realtime server miss cycles, which PortAudio reports as xruns.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <jack/jack.h>

typedef struct {
  char *name;      /* server name, also in JACK_DEFAULT_SERVER */
  GPid pid;
  int channels;    /* capture = playback ports of "system" */
  int period;      /* frames */
  double rate;
  char *log_path;  /* jackd's stdout and stderr */
  jack_client_t *wirer;
} AlTestJack;

/* Starts `jackd --no-realtime -n NAME -d dummy -r RATE -p PERIOD -C CH -P CH`
 * and waits until it answers; sets JACK_DEFAULT_SERVER and
 * JACK_NO_START_SERVER.  Fails with jackd's own output when it cannot run. */
AlTestJack *al_test_jack_start (int channels, int period, double rate, GError **error);
/* Lines of jackd's output that mention an xrun. */
int al_test_jack_xruns (const AlTestJack *jack);
/* SIGTERM, then SIGKILL after 5 s; removes the log. */
void al_test_jack_stop (AlTestJack *jack);

/* Connects output port from[i] of the (one) non-system client to its input
 * port to[i] (0-based positions among that client's out_* and in_* ports,
 * in port-number order): out → in is a loopback with one period of
 * latency.  npairs < 0: every output k to input k. */
gboolean al_test_jack_connect (const AlTestJack *jack, const int *from, const int *to, int npairs,
                               GError **error);
