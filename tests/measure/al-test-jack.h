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

typedef struct AlTestCapture AlTestCapture;

typedef struct {
  char *name;      /* server name, also in JACK_DEFAULT_SERVER */
  GPid pid;
  int channels;    /* capture = playback ports of "system" */
  int period;      /* frames */
  double rate;
  char *log_path;  /* jackd's stdout and stderr */
  jack_client_t *wirer;
  AlTestCapture *capture; /* NULL until al_test_jack_capture_start */
} AlTestJack;

/* Starts `jackd --no-realtime -n NAME -d dummy -r RATE -p PERIOD -C CH -P CH`
 * and waits until it answers; sets JACK_DEFAULT_SERVER and
 * JACK_NO_START_SERVER.  Fails with jackd's own output when it cannot run. */
AlTestJack *al_test_jack_start (int channels, int period, double rate, GError **error);
/* Lines of jackd's output that mention an xrun. */
int al_test_jack_xruns (const AlTestJack *jack);
/* SIGTERM, then SIGKILL after 5 s; removes the log. */
void al_test_jack_stop (AlTestJack *jack);
/* Stops the server (SIGTERM) while this process's clients keep running, as
 * a server crash looks to them; al_test_jack_stop still frees the rest. */
void al_test_jack_kill_server (AlTestJack *jack);

/* Connects output port from[i] of the (one) non-system client to its input
 * port to[i] (0-based positions among that client's out_* and in_* ports,
 * in port-number order): out → in is a loopback with one period of
 * latency.  npairs < 0: every output k to input k. */
gboolean al_test_jack_connect (const AlTestJack *jack, const int *from, const int *to, int npairs,
                               GError **error);

/* ---- Capture ----
 * The wirer client records what arrives on its input ports capture_1 …
 * capture_N into a preallocated planar buffer from its own process
 * callback (atomics only, no locks or allocation there), so a test sees
 * exactly what another client, such as PortAudio's, played.  The ports are
 * registered and the wirer activated on the first call; later calls reuse
 * them (nports and seconds may not grow). */

/* Registers the ports, allocates nports x seconds of buffer and arms the
 * recording from the next cycle (frames recorded before a connection are
 * zeros). */
gboolean al_test_jack_capture_start (AlTestJack *jack, int nports, double seconds, GError **error);
/* Connects output k (0-based among the out_* ports of `client`, in
 * port-number order) to capture port k for k < n, waiting up to timeout_s
 * for those ports to appear (a client that is still opening its stream).
 * PortAudio's are "ambilab:out_N", numbered on from 0 over the streams
 * one initialisation of PortAudio opens. */
gboolean al_test_jack_capture_connect (AlTestJack *jack, const char *client, int n, double timeout_s,
                                       GError **error);
/* Ends the recording (the process callback has let go of the buffer when
 * it returns) and returns the frames recorded per port. */
gsize al_test_jack_capture_stop (AlTestJack *jack);
/* Port k's frames (valid until the next start). */
const float *al_test_jack_capture_data (const AlTestJack *jack, int port);
/* Frames recorded so far (while recording). */
gsize al_test_jack_capture_frames (const AlTestJack *jack);
/* xruns the wirer was told about since the last start. */
int al_test_jack_capture_xruns (const AlTestJack *jack);
/* Drops every connection to the capture ports. */
void al_test_jack_capture_disconnect (AlTestJack *jack);
