/* al-turntable-et250.c — et250://HOST[:PORT]: the Outline ET250-3D over UDP
 * (measurement.md §6.2, after holoplot/ET250-python).
 *
 * Request, 4 bytes: u8 cmd, i16 arg big-endian (degrees × 10),
 * u8 chk = cmd ^ (arg >> 8) ^ (arg & 0xff).  Commands: 1 forward (relative,
 * counter-clockwise), 2 backward, 3 stop, 4 read angle, 5 set zero.  Replies:
 * one byte 0x33 (OK) or 0x66 (error); read angle: u8 status (4 moving,
 * 5 stopped), u32 angle × 10 big-endian (modulo 360°), u8 direction
 * (1 ccw, 2 cw), u8 chk = XOR of the six bytes before it.
 *
 * The device answers to UDP port 6668 of the host, so the driver binds one
 * socket to local_port (default 6668; 0 picks a free one, for an emulator
 * answering to the sender) and sends from it.  Moves are relative: the
 * driver reads the angle, and the core has already chosen the cable-safe
 * unwrapped target.  "Home" is set-zero: the table has no reference switch.
 *
 * et250://HOST[:PORT]?local_port=6668&timeout_ms=500&retries=2
 *   retries: repeats of an unanswered read-angle (UDP may drop a datagram;
 *   moves are never repeated: a lost reply may hide a move that happened)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-turntable-private.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define ET250_PORT 6668

enum {
  CMD_FORWARD = 1,
  CMD_BACKWARD = 2,
  CMD_STOP = 3,
  CMD_READ_ANGLE = 4,
  CMD_SET_ZERO = 5,
};

#define REPLY_OK 0x33
#define REPLY_ERROR 0x66
#define STATUS_MOVING 4
#define STATUS_STOPPED 5

typedef struct {
  int fd;
  struct sockaddr_in device;
  guint timeout_ms;
  int retries;
  AlTurntableUnwrap unwrap;
} Et250;

static const char *
command_name (guint8 cmd)
{
  switch (cmd)
    {
    case CMD_FORWARD: return "move forward";
    case CMD_BACKWARD: return "move backward";
    case CMD_STOP: return "stop";
    case CMD_READ_ANGLE: return "read angle";
    case CMD_SET_ZERO: return "set zero";
    default: return "?";
    }
}

static void
drain (Et250 *et)
{
  guint8 junk[64];
  while (recv (et->fd, junk, sizeof junk, MSG_DONTWAIT) >= 0)
    ;
}

/* One request and its reply (from the device's address only).  Returns
 * the reply length, or -1 with an error. */
static gssize
transact_once (AlTurntable *tt, guint8 cmd, gint16 arg, guint8 *reply, gsize reply_size, GError **error)
{
  Et250 *et = tt->priv;
  guint16 a = (guint16) arg;
  guint8 req[4] = { cmd, a >> 8, a & 0xff, 0 };
  req[3] = req[0] ^ req[1] ^ req[2];

  /* A late answer to an earlier request must not pass for this one's. */
  drain (et);
  if (sendto (et->fd, req, sizeof req, 0, (struct sockaddr *) &et->device, sizeof et->device) != sizeof req)
    {
      al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_COMMUNICATION, "cannot send '%s': %s",
                              command_name (cmd), g_strerror (errno));
      return -1;
    }
  gint64 deadline = g_get_monotonic_time () + (gint64) et->timeout_ms * 1000;
  for (;;)
    {
      gint64 left = deadline - g_get_monotonic_time ();
      if (left <= 0)
        {
          al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_TIMEOUT, "no reply to '%s' within %u ms",
                                  command_name (cmd), et->timeout_ms);
          return -1;
        }
      struct pollfd pfd = { et->fd, POLLIN, 0 };
      int r = poll (&pfd, 1, (int) MAX ((left + 999) / 1000, 1));
      if (r < 0 && errno != EINTR)
        {
          al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_COMMUNICATION, "cannot wait for a reply: %s",
                                  g_strerror (errno));
          return -1;
        }
      if (r <= 0)
        continue;
      struct sockaddr_in from;
      socklen_t from_len = sizeof from;
      gssize n = recvfrom (et->fd, reply, reply_size, MSG_DONTWAIT, (struct sockaddr *) &from, &from_len);
      if (n < 0)
        {
          if (errno == EAGAIN || errno == EINTR)
            continue;
          /* ICMP port unreachable from an earlier send surfaces here. */
          al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_COMMUNICATION, "no device answers '%s': %s",
                                  command_name (cmd), g_strerror (errno));
          return -1;
        }
      if (from.sin_addr.s_addr != et->device.sin_addr.s_addr)
        continue; /* someone else's datagram */
      return n;
    }
}

/* A simple command answered by 0x33 / 0x66. */
static gboolean
simple_command (AlTurntable *tt, guint8 cmd, gint16 arg, GError **error)
{
  guint8 reply[16];
  gssize n = transact_once (tt, cmd, arg, reply, sizeof reply, error);
  if (n < 0)
    return FALSE;
  if (n >= 1 && reply[0] == REPLY_OK)
    return TRUE;
  if (n >= 1 && reply[0] == REPLY_ERROR)
    al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_PROTOCOL, "refused '%s' (arg %d): error reply 0x66",
                            command_name (cmd), arg);
  else
    al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_PROTOCOL,
                            "unexpected reply to '%s': %zd bytes, first 0x%02x", command_name (cmd), n,
                            n > 0 ? reply[0] : 0);
  return FALSE;
}

/* Read angle: the raw angle (degrees, modulo 360) and whether it moves. */
static gboolean
read_angle (AlTurntable *tt, double *angle, gboolean *moving, GError **error)
{
  Et250 *et = tt->priv;
  guint8 r[16];
  gssize n = -1;
  g_autoptr (GError) local = NULL;
  for (int attempt = 0; attempt <= et->retries; attempt++)
    {
      g_clear_error (&local);
      n = transact_once (tt, CMD_READ_ANGLE, 0, r, sizeof r, &local);
      if (n >= 0 || !g_error_matches (local, AL_TURNTABLE_ERROR, AL_TURNTABLE_ERROR_TIMEOUT))
        break;
    }
  if (n < 0)
    {
      if (g_error_matches (local, AL_TURNTABLE_ERROR, AL_TURNTABLE_ERROR_TIMEOUT))
        al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_TIMEOUT,
                                "no reply to 'read angle' within %u ms (%d tries)", et->timeout_ms,
                                et->retries + 1);
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (n == 1 && r[0] == REPLY_ERROR)
    {
      al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_PROTOCOL, "refused 'read angle': error reply 0x66");
      return FALSE;
    }
  if (n != 7)
    {
      al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_PROTOCOL,
                              "'read angle' reply has %zd bytes, expected 7", n);
      return FALSE;
    }
  guint8 chk = r[0] ^ r[1] ^ r[2] ^ r[3] ^ r[4] ^ r[5];
  if (chk != r[6])
    {
      al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_PROTOCOL,
                              "bad checksum in the 'read angle' reply (0x%02x, computed 0x%02x)", r[6], chk);
      return FALSE;
    }
  if (r[0] != STATUS_MOVING && r[0] != STATUS_STOPPED)
    {
      al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_PROTOCOL, "unknown status %u in the 'read angle' reply",
                              r[0]);
      return FALSE;
    }
  guint32 tenths = ((guint32) r[1] << 24) | ((guint32) r[2] << 16) | ((guint32) r[3] << 8) | r[4];
  *angle = (tenths % 3600u) / 10.0;
  *moving = r[0] == STATUS_MOVING;
  return TRUE;
}

static gboolean
resolve (AlTurntable *tt, const char *host, int port, struct sockaddr_in *addr, GError **error)
{
  struct addrinfo hints = { 0 }, *res = NULL;
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_DGRAM;
  int rc = getaddrinfo (host, NULL, &hints, &res);
  if (rc != 0 || res == NULL)
    {
      al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_COMMUNICATION, "cannot resolve '%s': %s", host,
                              gai_strerror (rc));
      return FALSE;
    }
  *addr = *(struct sockaddr_in *) res->ai_addr;
  addr->sin_port = htons (port);
  freeaddrinfo (res);
  return TRUE;
}

static void
et250_close (AlTurntable *tt)
{
  Et250 *et = tt->priv;
  if (et == NULL)
    return;
  if (et->fd >= 0)
    close (et->fd);
  g_free (et);
  tt->priv = NULL;
}

static gboolean
et250_open (AlTurntable *tt, AlTurntableUri *uri, GError **error)
{
  int local_port = ET250_PORT, timeout_ms = 500, retries = 2;
  if (!al_turntable_uri_int (uri, "local_port", 0, 65535, &local_port, error)
      || !al_turntable_uri_int (uri, "timeout_ms", 1, 60000, &timeout_ms, error)
      || !al_turntable_uri_int (uri, "retries", 0, 10, &retries, error))
    return FALSE;
  if (uri->host == NULL)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "turntable URI '%s': the ET250-3D needs a host: et250://10.0.0.100[:6668]", uri->text);
      return FALSE;
    }
  int port = uri->port > 0 ? uri->port : ET250_PORT;
  g_free (tt->name);
  tt->name = g_strdup_printf ("ET250-3D at %s:%d", uri->host, port);

  Et250 *et = g_new0 (Et250, 1);
  et->fd = -1;
  et->timeout_ms = timeout_ms;
  et->retries = retries;
  tt->priv = et;
  if (!resolve (tt, uri->host, port, &et->device, error))
    goto fail;

  et->fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (et->fd < 0)
    {
      al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_COMMUNICATION, "cannot create a UDP socket: %s",
                              g_strerror (errno));
      goto fail;
    }
  /* Listen where the device is: a table on loopback needs no other interface. */
  struct sockaddr_in local = { 0 };
  local.sin_family = AF_INET;
  local.sin_port = htons (local_port);
  local.sin_addr.s_addr = htonl (ntohl (et->device.sin_addr.s_addr) >> 24 == 127 ? INADDR_LOOPBACK : INADDR_ANY);
  if (bind (et->fd, (struct sockaddr *) &local, sizeof local) != 0)
    {
      al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_COMMUNICATION,
                              "cannot listen on UDP port %d for replies: %s (another program on it? set local_port=)",
                              local_port, g_strerror (errno));
      goto fail;
    }

  tt->caps.resolution_deg = 0.1;
  tt->caps.absolute = FALSE;
  tt->caps.homing = FALSE;
  tt->caps.continuous = TRUE;
  tt->caps.nonblocking = TRUE;
  tt->caps.poll_ms = 100;

  /* Is anybody there?  Also the first reading for unwrapping. */
  double angle;
  gboolean moving;
  if (!read_angle (tt, &angle, &moving, error))
    goto fail;
  al_turntable_unwrap (&et->unwrap, angle);
  return TRUE;

fail:
  et250_close (tt);
  return FALSE;
}

static gboolean
et250_home (AlTurntable *tt, GCancellable *cancellable, GError **error)
{
  Et250 *et = tt->priv;
  if (!simple_command (tt, CMD_SET_ZERO, 0, error))
    return FALSE;
  al_turntable_unwrap_reset (&et->unwrap, 0.0);
  return TRUE;
}

static gboolean
et250_move (AlTurntable *tt, double from, double to, GError **error)
{
  Et250 *et = tt->priv;
  double delta = to - from;
  long tenths = lround (fabs (delta) * 10.0);
  if (tenths == 0)
    return TRUE;
  if (tenths > G_MAXINT16)
    {
      al_turntable_set_error (tt, error, AL_TURNTABLE_ERROR_LIMIT, "a move of %.1f° is more than one command holds",
                              delta);
      return FALSE;
    }
  al_turntable_unwrap_expect_move (&et->unwrap, from, to);
  return simple_command (tt, delta > 0 ? CMD_FORWARD : CMD_BACKWARD, (gint16) tenths, error);
}

static gboolean
et250_get_state (AlTurntable *tt, AlTurntableState *state, GError **error)
{
  Et250 *et = tt->priv;
  double angle;
  if (!read_angle (tt, &angle, &state->moving, error))
    return FALSE;
  state->position_deg = al_turntable_unwrap (&et->unwrap, angle);
  state->homed = TRUE;
  return TRUE;
}

static gboolean
et250_stop (AlTurntable *tt, GError **error)
{
  return simple_command (tt, CMD_STOP, 0, error);
}

static const char *const et250_keys[] = { "local_port", "timeout_ms", "retries", NULL };

const AlTurntableBackend al_turntable_et250_backend = {
  "et250", et250_keys, et250_open, et250_home, et250_move, et250_get_state, et250_stop, et250_close,
};
