/* al-emu.c — what every turntable emulator shares: the motion model in an
 * injectable clock, faults, counters, the pty and the transport thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
/* posix_openpt and ptsname_r (reentrant: tests may open ptys in threads). */
#define _GNU_SOURCE
#include "al-emu-private.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

AlEmu *
al_emu_new (AlTurntableClock *clock)
{
  AlEmu *emu = g_new0 (AlEmu, 1);
  g_mutex_init (&emu->lock);
  emu->clock = clock != NULL ? clock : al_turntable_clock_system ();
  emu->speed = 30.0;
  emu->fd = emu->slave_fd = -1;
  emu->last_request = g_byte_array_new ();
  return emu;
}

gboolean
al_emu_quitting (AlEmu *emu)
{
  return g_atomic_int_get (&emu->quit) != 0;
}

static gpointer
serial_thread (gpointer data)
{
  AlEmu *emu = data;
  guint8 buf[256];
  while (!al_emu_quitting (emu))
    {
      struct pollfd pfd = { emu->fd, POLLIN, 0 };
      int r = poll (&pfd, 1, 20);
      if (r <= 0 || (pfd.revents & POLLIN) == 0)
        {
          if (r > 0)
            g_usleep (5000); /* a hang-up before the driver opens: do not spin */
          continue;
        }
      ssize_t n = read (emu->fd, buf, sizeof buf);
      if (n <= 0)
        continue;
      g_mutex_lock (&emu->lock);
      emu->on_bytes (emu, buf, n);
      g_mutex_unlock (&emu->lock);
    }
  return NULL;
}

void
al_emu_start_thread (AlEmu *emu, GThreadFunc func)
{
  emu->thread = g_thread_new ("turntable-emulator", func, emu);
}

void
al_emu_start_serial (AlEmu *emu, const char *scheme, AlEmuBytesFunc on_bytes)
{
  int m = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (m, >=, 0);
  g_assert_cmpint (grantpt (m), ==, 0);
  g_assert_cmpint (unlockpt (m), ==, 0);
  char name[128];
  g_assert_cmpint (ptsname_r (m, name, sizeof name), ==, 0);
  int s = open (name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (s, >=, 0);
  /* Raw before the driver opens: no echo, no line discipline in between. */
  struct termios tio;
  g_assert_cmpint (tcgetattr (s, &tio), ==, 0);
  cfmakeraw (&tio);
  g_assert_cmpint (tcsetattr (s, TCSANOW, &tio), ==, 0);

  emu->fd = m;
  emu->slave_fd = s;
  emu->device = g_strdup (name);
  emu->uri = g_strdup_printf ("%s://%s", scheme, name);
  emu->on_bytes = on_bytes;
  al_emu_start_thread (emu, serial_thread);
}

static void
stop_link (AlEmu *emu)
{
  g_atomic_int_set (&emu->quit, 1);
  if (emu->thread != NULL)
    g_thread_join (emu->thread);
  emu->thread = NULL;
  if (emu->fd >= 0)
    close (emu->fd);
  if (emu->slave_fd >= 0)
    close (emu->slave_fd);
  emu->fd = emu->slave_fd = -1;
}

void
al_emu_hang_up (AlEmu *emu)
{
  stop_link (emu);
}

void
al_emu_free (AlEmu *emu)
{
  if (emu == NULL)
    return;
  stop_link (emu);
  if (emu->proto_free != NULL)
    emu->proto_free (emu->proto);
  g_byte_array_unref (emu->last_request);
  g_free (emu->device);
  g_free (emu->uri);
  g_mutex_clear (&emu->lock);
  g_free (emu);
}

const char *
al_emu_uri (AlEmu *emu)
{
  return emu->uri;
}

const char *
al_emu_device (AlEmu *emu)
{
  return emu->device;
}

int
al_emu_port (AlEmu *emu)
{
  return emu->port;
}

void
al_emu_set_fault (AlEmu *emu, AlEmuFault fault, int count)
{
  g_mutex_lock (&emu->lock);
  emu->fault = fault;
  emu->fault_left = count;
  g_mutex_unlock (&emu->lock);
}

void
al_emu_set_speed (AlEmu *emu, double deg_per_s)
{
  g_mutex_lock (&emu->lock);
  double pos = al_emu_position_locked (emu, NULL);
  emu->speed = deg_per_s;
  /* Re-base the move under way at the new speed. */
  emu->from = pos;
  emu->t0 = al_turntable_clock_now (emu->clock);
  g_mutex_unlock (&emu->lock);
}

double
al_emu_position (AlEmu *emu, gboolean *moving)
{
  g_mutex_lock (&emu->lock);
  double pos = al_emu_position_locked (emu, moving);
  g_mutex_unlock (&emu->lock);
  return pos;
}

int
al_emu_count (AlEmu *emu, AlEmuCount what)
{
  g_mutex_lock (&emu->lock);
  int n = emu->counts[what];
  g_mutex_unlock (&emu->lock);
  return n;
}

double
al_emu_last_travel (AlEmu *emu)
{
  g_mutex_lock (&emu->lock);
  double t = emu->last_travel;
  g_mutex_unlock (&emu->lock);
  return t;
}

guint8 *
al_emu_last_request (AlEmu *emu, gsize *len)
{
  g_mutex_lock (&emu->lock);
  guint8 *copy = g_malloc (emu->last_request->len + 1);
  memcpy (copy, emu->last_request->data, emu->last_request->len);
  copy[emu->last_request->len] = 0;
  *len = emu->last_request->len;
  g_mutex_unlock (&emu->lock);
  return copy;
}

gboolean
al_emu_take_fault_locked (AlEmu *emu, AlEmuFault kind)
{
  if (emu->fault != kind || emu->fault_left == 0)
    return FALSE;
  if (emu->fault_left > 0)
    emu->fault_left--;
  return TRUE;
}

double
al_emu_position_locked (AlEmu *emu, gboolean *moving)
{
  double dist = fabs (emu->end - emu->from);
  double done = emu->speed > 0 ? emu->speed * (al_turntable_clock_now (emu->clock) - emu->t0) / 1e6 : dist;
  if (moving != NULL)
    *moving = done < dist;
  double sgn = emu->end >= emu->from ? 1.0 : -1.0;
  return emu->from + sgn * MIN (done, dist);
}

void
al_emu_move_locked (AlEmu *emu, double target)
{
  double pos = al_emu_position_locked (emu, NULL);
  emu->from = pos;
  emu->target = emu->end = target;
  emu->t0 = al_turntable_clock_now (emu->clock);
  if (al_emu_take_fault_locked (emu, AL_EMU_FAULT_STALL))
    emu->end = pos + 0.5 * (target - pos);
  else if (al_emu_take_fault_locked (emu, AL_EMU_FAULT_WRONG_POSITION))
    emu->end = target + (target >= pos ? AL_EMU_WRONG_POSITION_DEG : -AL_EMU_WRONG_POSITION_DEG);
  emu->last_travel = target - pos;
  emu->counts[AL_EMU_COUNT_MOVES]++;
}

void
al_emu_stop_locked (AlEmu *emu)
{
  al_emu_place_locked (emu, al_emu_position_locked (emu, NULL));
  emu->counts[AL_EMU_COUNT_STOPS]++;
}

void
al_emu_place_locked (AlEmu *emu, double pos)
{
  emu->from = emu->end = emu->target = pos;
  emu->t0 = al_turntable_clock_now (emu->clock);
}

void
al_emu_record_locked (AlEmu *emu, const void *data, gsize len)
{
  g_byte_array_set_size (emu->last_request, 0);
  g_byte_array_append (emu->last_request, data, len);
  emu->counts[AL_EMU_COUNT_REQUESTS]++;
}

void
al_emu_write (AlEmu *emu, const char *text)
{
  gsize len = strlen (text), done = 0;
  while (done < len && emu->fd >= 0)
    {
      ssize_t n = write (emu->fd, text + done, len - done);
      if (n > 0)
        done += n;
      else if (n < 0 && errno != EINTR && errno != EAGAIN)
        return;
    }
}

void
al_emu_check_error (const GError *error, AlTurntableError code, const char *needle)
{
  g_assert_nonnull (error);
  g_test_message ("%s error: %s", al_turntable_error_name (code), error->message);
  g_assert_error (error, AL_TURNTABLE_ERROR, (gint) code);
  if (strstr (error->message, needle) == NULL)
    g_test_message ("'%s' does not name '%s'", error->message, needle);
  g_assert_nonnull (strstr (error->message, needle));
}
