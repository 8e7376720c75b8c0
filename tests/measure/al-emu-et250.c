/* al-emu-et250.c — an Outline ET250-3D on loopback UDP: 4-byte requests
 * (cmd, i16 BE degrees × 10, XOR checksum), 0x33/0x66 replies, 7-byte
 * read-angle replies with the angle modulo 360 × 10 as u32 BE.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-emu-private.h"

#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct {
  int reply_port;
} Et250Emu;

static void
reply (AlEmu *emu, const struct sockaddr_in *to, const guint8 *data, gsize len)
{
  Et250Emu *et = emu->proto;
  struct sockaddr_in dest = *to;
  if (et->reply_port > 0)
    dest.sin_port = htons (et->reply_port);
  sendto (emu->fd, data, len, 0, (struct sockaddr *) &dest, sizeof dest);
}

/* One request; returns the reply length (0: none). */
static gsize
handle (AlEmu *emu, const guint8 *req, gsize len, guint8 *out)
{
  al_emu_record_locked (emu, req, len);
  if (al_emu_take_fault_locked (emu, AL_EMU_FAULT_NO_ANSWER))
    return 0;
  if (len != 4 || (req[0] ^ req[1] ^ req[2]) != req[3])
    {
      out[0] = 0x66;
      return 1;
    }
  guint8 cmd = req[0];
  gint16 arg = (gint16) ((req[1] << 8) | req[2]);
  gboolean moving;
  double pos = al_emu_position_locked (emu, &moving);

  if (cmd == 4)
    {
      emu->counts[AL_EMU_COUNT_QUERIES]++;
      guint32 tenths = (guint32) lround (fmod (fmod (pos, 360.0) + 360.0, 360.0) * 10.0) % 3600u;
      out[0] = moving ? 4 : 5;
      out[1] = tenths >> 24;
      out[2] = tenths >> 16;
      out[3] = tenths >> 8;
      out[4] = tenths;
      out[5] = emu->end >= emu->from ? 1 : 2;
      out[6] = out[0] ^ out[1] ^ out[2] ^ out[3] ^ out[4] ^ out[5];
      if (al_emu_take_fault_locked (emu, AL_EMU_FAULT_BAD_CHECKSUM))
        out[6] ^= 0x5a;
      return 7;
    }
  if (cmd < 1 || cmd > 5 || al_emu_take_fault_locked (emu, AL_EMU_FAULT_ERROR_REPLY))
    {
      out[0] = 0x66;
      return 1;
    }
  switch (cmd)
    {
    case 1:
    case 2:
      if (moving || arg < 0)
        {
          out[0] = 0x66;
          return 1;
        }
      al_emu_move_locked (emu, pos + (cmd == 1 ? 1 : -1) * arg / 10.0);
      break;
    case 3:
      al_emu_stop_locked (emu);
      break;
    case 5:
      /* Set zero: the angle counts from here. */
      al_emu_place_locked (emu, 0.0);
      emu->counts[AL_EMU_COUNT_HOMES]++;
      break;
    default:
      break;
    }
  out[0] = 0x33;
  return 1;
}

static gpointer
udp_thread (gpointer data)
{
  AlEmu *emu = data;
  while (!al_emu_quitting (emu))
    {
      struct pollfd pfd = { emu->fd, POLLIN, 0 };
      if (poll (&pfd, 1, 20) <= 0)
        continue;
      guint8 req[64], out[16];
      struct sockaddr_in from;
      socklen_t from_len = sizeof from;
      ssize_t n = recvfrom (emu->fd, req, sizeof req, 0, (struct sockaddr *) &from, &from_len);
      if (n < 0)
        continue;
      g_mutex_lock (&emu->lock);
      gsize r = handle (emu, req, n, out);
      if (r > 0)
        reply (emu, &from, out, r);
      g_mutex_unlock (&emu->lock);
    }
  return NULL;
}

AlEmu *
al_emu_et250_new (AlTurntableClock *clock, int reply_port)
{
  AlEmu *emu = al_emu_new (clock);
  Et250Emu *et = g_new0 (Et250Emu, 1);
  et->reply_port = reply_port;
  emu->proto = et;
  emu->proto_free = g_free;

  emu->fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (emu->fd, >=, 0);
  struct sockaddr_in addr = { 0 };
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  addr.sin_port = 0;
  g_assert_cmpint (bind (emu->fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  socklen_t len = sizeof addr;
  g_assert_cmpint (getsockname (emu->fd, (struct sockaddr *) &addr, &len), ==, 0);
  emu->port = ntohs (addr.sin_port);
  emu->device = g_strdup_printf ("127.0.0.1:%d", emu->port);
  emu->uri = g_strdup_printf ("et250://127.0.0.1:%d", emu->port);
  al_emu_start_thread (emu, udp_thread);
  return emu;
}
