/* al-emu-grbl.c — GRBL 1.1 on a pseudo-terminal, one axis (X) scaled to
 * degrees: LF-terminated lines answered by "ok"/"error:N", realtime "?",
 * "!", "~" and Ctrl-X, "$$", "$H", "$X", "G10 L20 P1 X…", "G90 G0 X…", the
 * boot alarm when homing is on, ALARM:2 on soft limits, ALARM:3 when reset
 * in motion.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-emu-private.h"

#include <math.h>
#include <string.h>

#define BANNER "\r\nGrbl 1.1h ['$' for help]\r\n"
#define UNLOCK_MSG "[MSG:'$H'|'$X' to unlock]\r\n"

typedef struct {
  AlEmuGrblConfig config;
  GString *line;
  gboolean hold;
  int alarm;        /* -1: no alarm; 0: boot alarm (homing required); N: ALARM:N */
  double wco;       /* work coordinate offset of X */
} GrblEmu;

static void
grbl_emu_free (gpointer data)
{
  GrblEmu *g = data;
  g_string_free (g->line, TRUE);
  g_free (g);
}

static void
status (AlEmu *emu)
{
  GrblEmu *g = emu->proto;
  emu->counts[AL_EMU_COUNT_QUERIES]++;
  gboolean moving;
  double mpos = al_emu_position_locked (emu, &moving);
  const char *state = g->alarm >= 0 ? "Alarm" : g->hold ? "Hold:0" : moving ? "Run" : "Idle";
  char m[G_ASCII_DTOSTR_BUF_SIZE], w[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd (m, sizeof m, "%.3f", mpos);
  g_ascii_formatd (w, sizeof w, "%.3f", g->wco);
  g_autofree char *out = g_strdup_printf ("<%s|MPos:%s,0.000,0.000|FS:0,0|WCO:%s,0.000,0.000>\r\n", state, m, w);
  if (al_emu_take_fault_locked (emu, AL_EMU_FAULT_BAD_CHECKSUM))
    {
      /* Line noise: a digit of the position turns into something else. */
      char *p = strstr (out, "MPos:");
      p[5] = '#';
    }
  al_emu_write (emu, out);
}

static void
soft_reset (AlEmu *emu)
{
  GrblEmu *g = emu->proto;
  gboolean moving;
  al_emu_position_locked (emu, &moving);
  if (moving && !g->hold)
    {
      /* Steps were lost mid-move: the position is no longer known. */
      al_emu_stop_locked (emu);
      g->alarm = 3;
      al_emu_write (emu, "ALARM:3\r\n");
    }
  else if (g->hold)
    al_emu_place_locked (emu, al_emu_position_locked (emu, NULL));
  g->hold = FALSE;
  g_string_truncate (g->line, 0);
  al_emu_write (emu, BANNER);
  if (g->alarm >= 0)
    al_emu_write (emu, UNLOCK_MSG);
}

/* "G90 G0 X12.5", "G0 X-3", "G10 L20 P1 X0": words of a line. */
static gboolean
parse_words (const char *line, GHashTable *words)
{
  g_auto (GStrv) parts = g_strsplit_set (line, " \t", -1);
  for (int i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0')
        continue;
      char letter = g_ascii_toupper (parts[i][0]);
      char *end = NULL;
      double v = g_ascii_strtod (parts[i] + 1, &end);
      if (!g_ascii_isalpha (letter) || end == parts[i] + 1 || *end != '\0')
        return FALSE;
      char key[2] = { letter, 0 };
      /* G can repeat (G90 G0): keep them all under distinct keys. */
      g_autofree char *k = letter == 'G' ? g_strdup_printf ("G%g", v) : g_strdup (key);
      g_hash_table_replace (words, g_steal_pointer (&k), g_memdup2 (&v, sizeof v));
    }
  return TRUE;
}

static void
line_command (AlEmu *emu, const char *line)
{
  GrblEmu *g = emu->proto;
  al_emu_record_locked (emu, line, strlen (line));
  if (al_emu_take_fault_locked (emu, AL_EMU_FAULT_NO_ANSWER))
    return;

  if (strcmp (line, "$$") == 0)
    {
      g_autofree char *out = g_strdup_printf ("$0=10\r\n$20=%d\r\n$22=%d\r\n$100=%.3f\r\n$110=%.3f\r\n$130=%.3f\r\nok\r\n",
                                              g->config.soft_travel > 0, g->config.homing,
                                              g->config.steps_per_deg, g->config.max_rate,
                                              g->config.soft_travel > 0 ? g->config.soft_travel : 200.0);
      al_emu_write (emu, out);
      return;
    }
  if (al_emu_take_fault_locked (emu, AL_EMU_FAULT_ERROR_REPLY))
    {
      al_emu_write (emu, "error:20\r\n");
      return;
    }
  if (strcmp (line, "$H") == 0)
    {
      if (!g->config.homing)
        {
          al_emu_write (emu, "error:5\r\n");
          return;
        }
      /* The cycle ends at the switch, which is machine zero. */
      al_emu_place_locked (emu, 0.0);
      g->alarm = -1;
      g->hold = FALSE;
      emu->counts[AL_EMU_COUNT_HOMES]++;
      al_emu_write (emu, "ok\r\n");
      return;
    }
  if (strcmp (line, "$X") == 0)
    {
      g->alarm = -1;
      al_emu_write (emu, "[MSG:Caution: Unlocked]\r\nok\r\n");
      return;
    }
  if (line[0] == '$')
    {
      al_emu_write (emu, "error:3\r\n");
      return;
    }

  g_autoptr (GHashTable) words = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!parse_words (line, words))
    {
      al_emu_write (emu, "error:1\r\n");
      return;
    }
  if (g_hash_table_size (words) == 0)
    {
      al_emu_write (emu, "ok\r\n");
      return;
    }
  if (g->alarm >= 0)
    {
      al_emu_write (emu, "error:9\r\n");
      return;
    }
  double *x = g_hash_table_lookup (words, "X");
  gboolean moving;
  double mpos = al_emu_position_locked (emu, &moving);
  if (g_hash_table_contains (words, "G10"))
    {
      double *l = g_hash_table_lookup (words, "L"), *p = g_hash_table_lookup (words, "P");
      if (l == NULL || *l != 20 || p == NULL || *p != 1 || x == NULL)
        {
          al_emu_write (emu, "error:20\r\n");
          return;
        }
      g->wco = mpos - *x;
      al_emu_write (emu, "ok\r\n");
      return;
    }
  if (g_hash_table_contains (words, "G0") && x != NULL)
    {
      double target = *x + g->wco;
      if (g->config.soft_travel > 0 && fabs (target) > g->config.soft_travel)
        {
          g->alarm = 2;
          al_emu_write (emu, "ALARM:2\r\n[MSG:Reset to continue]\r\n");
          return;
        }
      al_emu_move_locked (emu, target);
      g->hold = FALSE;
      al_emu_write (emu, "ok\r\n");
      return;
    }
  if (g_hash_table_contains (words, "G90") && g_hash_table_size (words) == 1)
    {
      al_emu_write (emu, "ok\r\n");
      return;
    }
  al_emu_write (emu, "error:20\r\n");
}

static void
on_bytes (AlEmu *emu, const guint8 *data, gsize len)
{
  GrblEmu *g = emu->proto;
  for (gsize i = 0; i < len; i++)
    {
      guint8 c = data[i];
      /* Realtime bytes act at once, wherever they fall. */
      if (c == '?' || c == '!' || c == '~' || c == 0x18)
        {
          char one[2] = { (char) c, 0 };
          al_emu_record_locked (emu, one, 1);
          if (al_emu_take_fault_locked (emu, AL_EMU_FAULT_NO_ANSWER))
            continue;
          if (c == '?')
            status (emu);
          else if (c == '!')
            {
              gboolean moving;
              double pos = al_emu_position_locked (emu, &moving);
              if (moving)
                {
                  /* Decelerates at once in this emulator; remembers the target for '~'. */
                  double target = emu->target;
                  al_emu_place_locked (emu, pos);
                  emu->target = target;
                  emu->counts[AL_EMU_COUNT_STOPS]++;
                  g->hold = TRUE;
                }
            }
          else if (c == '~')
            {
              if (g->hold)
                {
                  g->hold = FALSE;
                  emu->counts[AL_EMU_COUNT_MOVES]--; /* a resume is not a new move */
                  al_emu_move_locked (emu, emu->target);
                }
            }
          else
            soft_reset (emu);
          continue;
        }
      if (c == '\n' || c == '\r')
        {
          if (g->line->len > 0)
            line_command (emu, g->line->str);
          g_string_truncate (g->line, 0);
        }
      else
        g_string_append_c (g->line, (char) c);
    }
}

void
al_emu_grbl_alarm (AlEmu *emu, int code)
{
  g_mutex_lock (&emu->lock);
  GrblEmu *g = emu->proto;
  al_emu_place_locked (emu, al_emu_position_locked (emu, NULL));
  g->alarm = code;
  g->hold = FALSE;
  char out[64];
  g_snprintf (out, sizeof out, "ALARM:%d\r\n[MSG:Reset to continue]\r\n", code);
  al_emu_write (emu, out);
  g_mutex_unlock (&emu->lock);
}

AlEmu *
al_emu_grbl_new (AlTurntableClock *clock, const AlEmuGrblConfig *config)
{
  AlEmu *emu = al_emu_new (clock);
  GrblEmu *g = g_new0 (GrblEmu, 1);
  if (config != NULL)
    g->config = *config;
  else
    g->config = (AlEmuGrblConfig) { TRUE, 100.0, 1800.0, 0.0 };
  g->line = g_string_new (NULL);
  g->alarm = g->config.homing ? 0 : -1;
  emu->proto = g;
  emu->proto_free = grbl_emu_free;
  emu->speed = g->config.max_rate / 60.0;
  al_emu_start_serial (emu, "grbl", on_bytes);
  return emu;
}
