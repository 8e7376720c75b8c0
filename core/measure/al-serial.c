/* al-serial.c — raw serial lines for the LT360 and GRBL drivers: open the
 * tty exclusively, write, read CR/LF/NUL-terminated lines with real-time
 * timeouts (poll), and report hang-ups as communication errors.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-serial.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

/* Longest reply line; longer ones are garbage, not a protocol we speak. */
#define LINE_MAX_BYTES 1024
/* A write that cannot go out for this long means flow control is stuck. */
#define WRITE_TIMEOUT_MS 1000

struct AlSerial {
  int fd;
  char *who;
  char buf[LINE_MAX_BYTES];
  gsize len;
};

static speed_t
baud_constant (int baud)
{
  switch (baud)
    {
    case 9600: return B9600;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 115200: return B115200;
    case 230400: return B230400;
    default: return 0;
    }
}

gboolean
al_serial_baud_supported (int baud)
{
  return baud_constant (baud) != 0;
}

static void
set_errno_error (AlSerial *s, GError **error, AlTurntableError code, const char *what, int err)
{
  g_set_error (error, AL_TURNTABLE_ERROR, code, "%s: %s: %s", s->who, what, g_strerror (err));
}

AlSerial *
al_serial_open (const char *path, int baud, const char *who, GError **error)
{
  g_return_val_if_fail (path != NULL && who != NULL, NULL);
  speed_t speed = baud_constant (baud);
  if (speed == 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "%s: unsupported baud rate %d", who, baud);
      return NULL;
    }

  AlSerial *s = g_new0 (AlSerial, 1);
  s->who = g_strdup (who);
  s->fd = open (path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (s->fd < 0)
    {
      set_errno_error (s, error, AL_TURNTABLE_ERROR_COMMUNICATION, "cannot open the serial port", errno);
      goto fail;
    }
  if (!isatty (s->fd))
    {
      g_set_error (error, AL_TURNTABLE_ERROR, AL_TURNTABLE_ERROR_COMMUNICATION, "%s: %s is not a serial port",
                   who, path);
      goto fail;
    }
  /* Two programs driving one table would fight: keep others out. */
  if (ioctl (s->fd, TIOCEXCL) != 0)
    g_debug ("%s: TIOCEXCL: %s", who, g_strerror (errno));

  struct termios tio;
  if (tcgetattr (s->fd, &tio) != 0)
    {
      set_errno_error (s, error, AL_TURNTABLE_ERROR_COMMUNICATION, "cannot read the line settings", errno);
      goto fail;
    }
  cfmakeraw (&tio);
  cfsetspeed (&tio, speed);
  tio.c_cflag |= CLOCAL | CREAD;
  tio.c_cflag &= ~(CSTOPB | CRTSCTS);
  tio.c_cc[VMIN] = 0;
  tio.c_cc[VTIME] = 0;
  if (tcsetattr (s->fd, TCSANOW, &tio) != 0)
    {
      set_errno_error (s, error, AL_TURNTABLE_ERROR_COMMUNICATION, "cannot set raw 8N1", errno);
      goto fail;
    }
  tcflush (s->fd, TCIOFLUSH);
  return s;

fail:
  al_serial_close (s);
  return NULL;
}

void
al_serial_close (AlSerial *s)
{
  if (s == NULL)
    return;
  if (s->fd >= 0)
    {
      /* The exclusive flag belongs to the tty, not to this descriptor. */
      ioctl (s->fd, TIOCNXCL);
      close (s->fd);
    }
  g_free (s->who);
  g_free (s);
}

gboolean
al_serial_write (AlSerial *s, const char *data, gsize len, GError **error)
{
  gsize done = 0;
  while (done < len)
    {
      ssize_t n = write (s->fd, data + done, len - done);
      if (n > 0)
        {
          done += n;
          continue;
        }
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno != EAGAIN)
        {
          set_errno_error (s, error, AL_TURNTABLE_ERROR_COMMUNICATION, "cannot write", errno);
          return FALSE;
        }
      struct pollfd pfd = { s->fd, POLLOUT, 0 };
      int r = poll (&pfd, 1, WRITE_TIMEOUT_MS);
      if (r == 0)
        {
          g_set_error (error, AL_TURNTABLE_ERROR, AL_TURNTABLE_ERROR_TIMEOUT,
                       "%s: cannot write: the output is blocked", s->who);
          return FALSE;
        }
      if (r < 0 && errno != EINTR)
        {
          set_errno_error (s, error, AL_TURNTABLE_ERROR_COMMUNICATION, "cannot write", errno);
          return FALSE;
        }
    }
  return TRUE;
}

/* A whole line from the buffer, or NULL. */
static char *
take_line (AlSerial *s)
{
  for (;;)
    {
      gsize i;
      for (i = 0; i < s->len; i++)
        if (s->buf[i] == '\r' || s->buf[i] == '\n' || s->buf[i] == '\0')
          break;
      if (i == s->len)
        return NULL;
      char *line = i > 0 ? g_strndup (s->buf, i) : NULL;
      memmove (s->buf, s->buf + i + 1, s->len - i - 1);
      s->len -= i + 1;
      if (line != NULL)
        return line;
    }
}

char *
al_serial_read_line (AlSerial *s, guint timeout_ms, GError **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  for (;;)
    {
      char *line = take_line (s);
      if (line != NULL)
        return line;
      if (s->len == sizeof s->buf)
        {
          s->len = 0;
          g_set_error (error, AL_TURNTABLE_ERROR, AL_TURNTABLE_ERROR_PROTOCOL,
                       "%s: a reply line is longer than %d bytes", s->who, LINE_MAX_BYTES);
          return NULL;
        }

      /* Past the deadline, still take what has already arrived (timeout 0
       * reads only that). */
      gint64 left = MAX (deadline - g_get_monotonic_time (), 0);
      struct pollfd pfd = { s->fd, POLLIN, 0 };
      int r = poll (&pfd, 1, (int) ((left + 999) / 1000));
      if (r < 0 && errno != EINTR)
        {
          set_errno_error (s, error, AL_TURNTABLE_ERROR_COMMUNICATION, "cannot wait for input", errno);
          return NULL;
        }
      if (r == 0 && left == 0)
        {
          g_set_error (error, AL_TURNTABLE_ERROR, AL_TURNTABLE_ERROR_TIMEOUT, "%s: no reply within %u ms", s->who,
                       timeout_ms);
          return NULL;
        }
      if (r <= 0)
        continue;
      if ((pfd.revents & POLLIN) == 0 && (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0)
        {
          g_set_error (error, AL_TURNTABLE_ERROR, AL_TURNTABLE_ERROR_COMMUNICATION,
                       "%s: the device went away (hang-up)", s->who);
          return NULL;
        }
      ssize_t n = read (s->fd, s->buf + s->len, sizeof s->buf - s->len);
      if (n > 0)
        s->len += n;
      else if (n == 0 || (errno != EAGAIN && errno != EINTR))
        {
          if (n == 0)
            g_set_error (error, AL_TURNTABLE_ERROR, AL_TURNTABLE_ERROR_COMMUNICATION,
                         "%s: the device went away (end of input)", s->who);
          else
            set_errno_error (s, error, AL_TURNTABLE_ERROR_COMMUNICATION, "cannot read", errno);
          return NULL;
        }
    }
}

void
al_serial_discard_input (AlSerial *s)
{
  tcflush (s->fd, TCIFLUSH);
  /* Bytes the tty already handed over are in our buffer: drop them too,
   * along with anything that arrives without waiting. */
  s->len = 0;
  char tmp[256];
  while (read (s->fd, tmp, sizeof tmp) > 0)
    ;
}
