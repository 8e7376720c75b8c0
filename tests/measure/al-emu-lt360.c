/* al-emu-lt360.c — a LinearX LT360 on a pseudo-terminal: CR-terminated,
 * case-insensitive ASCII commands, one CR-terminated reply line each (the
 * spelling of al-turntable-lt360.c): GP, GM, CW/CCW <angle>, ST, SZ.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-emu-private.h"

#include <math.h>
#include <string.h>

typedef struct {
  GString *line;
} Lt360Emu;

static void
lt360_emu_free (gpointer data)
{
  Lt360Emu *lt = data;
  g_string_free (lt->line, TRUE);
  g_free (lt);
}

static double
wrap360 (double x)
{
  double r = fmod (x, 360.0);
  return r < 0 ? r + 360.0 : r;
}

/* A goto turning one way: the travel to `to` (0 … 360) in that direction. */
static double
travel (double pos, double to, gboolean ccw)
{
  double d = wrap360 (to - wrap360 (pos));
  if (d > 359.95)
    d = 0.0;
  if (ccw)
    return d;
  return d < 1e-9 ? 0.0 : d - 360.0;
}

static void
command (AlEmu *emu, const char *line)
{
  al_emu_record_locked (emu, line, strlen (line));
  if (al_emu_take_fault_locked (emu, AL_EMU_FAULT_NO_ANSWER))
    return;

  g_autofree char *up = g_ascii_strup (line, -1);
  g_strstrip (up);
  gboolean moving;
  double pos = al_emu_position_locked (emu, &moving);

  if (strcmp (up, "GP") == 0)
    {
      emu->counts[AL_EMU_COUNT_QUERIES]++;
      char out[32];
      g_snprintf (out, sizeof out, "%+06.1f\r", wrap360 (round (pos * 10.0) / 10.0));
      if (al_emu_take_fault_locked (emu, AL_EMU_FAULT_BAD_CHECKSUM))
        out[3] = 'O'; /* a bit flip: '0' becomes 'O' */
      al_emu_write (emu, out);
      return;
    }
  if (strcmp (up, "GM") == 0)
    {
      al_emu_write (emu, !moving ? "NO\r" : emu->end >= emu->from ? "CCW\r" : "CW\r");
      return;
    }

  gboolean is_cw = g_str_has_prefix (up, "CW "), is_ccw = g_str_has_prefix (up, "CCW ");
  gboolean known = is_cw || is_ccw || strcmp (up, "ST") == 0 || strcmp (up, "SZ") == 0;
  if (!known || al_emu_take_fault_locked (emu, AL_EMU_FAULT_ERROR_REPLY))
    {
      al_emu_write (emu, "ERR\r");
      return;
    }
  if (is_cw || is_ccw)
    {
      char *end = NULL;
      const char *arg = up + (is_cw ? 3 : 4);
      double to = g_ascii_strtod (arg, &end);
      if (end == arg || *end != '\0' || moving || !(to >= 0.0 && to <= 360.0))
        {
          al_emu_write (emu, "ERR\r");
          return;
        }
      al_emu_move_locked (emu, pos + travel (pos, to, is_ccw));
    }
  else if (strcmp (up, "ST") == 0)
    al_emu_stop_locked (emu);
  else
    {
      al_emu_place_locked (emu, 0.0);
      emu->counts[AL_EMU_COUNT_HOMES]++;
    }
  al_emu_write (emu, "OK\r");
}

static void
on_bytes (AlEmu *emu, const guint8 *data, gsize len)
{
  Lt360Emu *lt = emu->proto;
  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == '\r' || data[i] == '\0' || data[i] == '\n')
        {
          if (lt->line->len > 0)
            command (emu, lt->line->str);
          g_string_truncate (lt->line, 0);
        }
      else
        g_string_append_c (lt->line, data[i]);
    }
}

AlEmu *
al_emu_lt360_new (AlTurntableClock *clock)
{
  AlEmu *emu = al_emu_new (clock);
  Lt360Emu *lt = g_new0 (Lt360Emu, 1);
  lt->line = g_string_new (NULL);
  emu->proto = lt;
  emu->proto_free = lt360_emu_free;
  emu->speed = 10.0;
  al_emu_start_serial (emu, "lt360", on_bytes);
  return emu;
}
