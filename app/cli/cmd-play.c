/* cmd-play.c — `ambilab-cli play`: listen to takes (one scene through the
 * mics, the truth and each encoder) and switch between them while playing,
 * at the same position and with a short crossfade (al-audio-player.h).  On
 * a terminal the keys switch, pause and seek; without one it plays to the
 * end, optionally cycling through the takes on a timer, which is how
 * scripts and tests use it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "al-cli.h"
#include "io/al-io.h"
#include "measure/al-audio-player.h"

#define SEEK_STEP 5.0   /* s, ← and → */
#define TICK_MS 20      /* how often keys, the timer and the device are looked at */

/* The takes, planar and zero-padded to the longest. */
typedef struct {
  int n;
  int nch;
  double fs;
  gsize nframes;
  float **x;
  char **names;
} Takes;

static void
takes_clear (Takes *t)
{
  for (int i = 0; i < t->n; i++)
    g_free (t->x[i]);
  g_free (t->x);
  g_strfreev (t->names);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Takes, takes_clear)

static gboolean
read_takes (char **files, int n, Takes *t, GError **error)
{
  g_autoptr (GPtrArray) audio = g_ptr_array_new_with_free_func ((GDestroyNotify) al_audio_free);
  for (int i = 0; i < n; i++)
    {
      AlAudio *a = al_audio_read (files[i], error);
      if (a == NULL)
        return FALSE;
      g_ptr_array_add (audio, a);
      if (a->nframes < 1)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: no audio frames", files[i]);
          return FALSE;
        }
      const AlAudio *first = audio->pdata[0];
      if (a->fs != first->fs)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH,
                       "%s is at %g Hz but %s at %g Hz: takes must share one sample rate", files[i], a->fs,
                       files[0], first->fs);
          return FALSE;
        }
      if (a->nchannels != first->nchannels)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH,
                       "%s has %d channel%s but %s has %d: takes must have the same channels", files[i],
                       a->nchannels, a->nchannels == 1 ? "" : "s", files[0], first->nchannels);
          return FALSE;
        }
      t->nframes = MAX (t->nframes, (gsize) a->nframes);
    }
  t->n = n;
  t->nch = ((const AlAudio *) audio->pdata[0])->nchannels;
  t->fs = ((const AlAudio *) audio->pdata[0])->fs;
  t->x = g_new0 (float *, n);
  t->names = g_new0 (char *, n + 1);
  for (int i = 0; i < n; i++)
    {
      const AlAudio *a = audio->pdata[i];
      t->names[i] = g_path_get_basename (files[i]);
      /* Shorter takes end in silence, so every take has every position. */
      t->x[i] = g_new0 (float, (gsize) t->nch * t->nframes);
      for (gint64 f = 0; f < a->nframes; f++)
        for (int c = 0; c < t->nch; c++)
          t->x[i][(gsize) c * t->nframes + f] = a->data[f * t->nch + c];
    }
  return TRUE;
}

/* ---- The terminal ---- */

static volatile sig_atomic_t stop_signal;

static void
on_signal (int sig)
{
  stop_signal = sig;
}

typedef struct {
  gboolean raw;
  struct termios saved;
  struct sigaction old_int, old_term;
} Terminal;

/* Signals end the loop below (which restores the terminal) instead of the
 * process; keys arrive one by one, unechoed, when stdin is a terminal. */
static void
terminal_open (Terminal *term, gboolean interactive)
{
  struct sigaction sa = { 0 };
  sa.sa_handler = on_signal;
  sigemptyset (&sa.sa_mask);
  sigaction (SIGINT, &sa, &term->old_int);
  sigaction (SIGTERM, &sa, &term->old_term);
  if (interactive && tcgetattr (STDIN_FILENO, &term->saved) == 0)
    {
      struct termios raw = term->saved;
      raw.c_lflag &= ~(ICANON | ECHO);
      raw.c_cc[VMIN] = 0;
      raw.c_cc[VTIME] = 0;
      term->raw = tcsetattr (STDIN_FILENO, TCSANOW, &raw) == 0;
    }
}

static void
terminal_close (Terminal *term)
{
  if (term->raw)
    tcsetattr (STDIN_FILENO, TCSANOW, &term->saved);
  term->raw = FALSE;
  sigaction (SIGINT, &term->old_int, NULL);
  sigaction (SIGTERM, &term->old_term, NULL);
}

static char *
clock_text (double s)
{
  int m = (int) (s / 60);
  return g_strdup_printf ("%d:%04.1f", m, s - 60 * m);
}

static void
show (AlAudioPlayer *p, const Takes *t)
{
  static const char *const states[] = { "stopped", "playing", "paused", "ended" };
  int k = al_audio_player_get_take (p);
  g_autofree char *pos = clock_text (al_audio_player_get_position (p));
  g_autofree char *dur = clock_text (al_audio_player_get_duration (p));
  printf ("\r  %s / %s  take %d/%d %-24.24s %-8s", pos, dur, k + 1, t->n, t->names[k],
          states[al_audio_player_get_state (p)]);
  fflush (stdout);
}

/* Acts on the keys waiting on stdin; FALSE on q. */
static gboolean
keys (AlAudioPlayer *p, const Takes *t, GError **error)
{
  char buf[32];
  ssize_t n = read (STDIN_FILENO, buf, sizeof buf);
  for (ssize_t i = 0; i < n; i++)
    {
      char c = buf[i];
      if (c == 'q' || c == 'Q')
        return FALSE;
      if (c >= '1' && c <= '9' && c - '1' < t->n)
        al_audio_player_select (p, c - '1');
      else if (c == ' ')
        {
          if (al_audio_player_get_state (p) == AL_AUDIO_PLAYER_PLAYING)
            al_audio_player_pause (p);
          else if (!al_audio_player_play (p, error))
            return FALSE;
        }
      else if (c == '\033' && i + 2 < n && buf[i + 1] == '[' && (buf[i + 2] == 'C' || buf[i + 2] == 'D'))
        {
          double step = buf[i + 2] == 'C' ? SEEK_STEP : -SEEK_STEP;
          al_audio_player_seek (p, al_audio_player_get_position (p) + step);
          i += 2;
        }
    }
  return TRUE;
}

/* Plays until the end (or q, or a signal); FALSE with error when the
 * device fails. */
static gboolean
play_loop (AlAudioPlayer *p, const Takes *t, gboolean interactive, double switch_every, GError **error)
{
  if (!al_audio_player_play (p, error))
    return FALSE;
  gint64 slot = switch_every > 0 ? (gint64) floor (al_audio_player_get_position (p) / switch_every) : 0;
  while (stop_signal == 0)
    {
      struct pollfd fd = { STDIN_FILENO, POLLIN, 0 };
      int ready = poll (&fd, interactive ? 1 : 0, TICK_MS);
      if (ready > 0 && !keys (p, t, error))
        return error == NULL || *error == NULL;
      if (!al_audio_player_check (p, NULL, error))
        return FALSE;
      AlAudioPlayerState state = al_audio_player_get_state (p);
      if (switch_every > 0 && state == AL_AUDIO_PLAYER_PLAYING)
        {
          /* Every switch_every seconds of the takes' time (a loop or a
           * seek starts another slot too). */
          gint64 now = (gint64) floor (al_audio_player_get_position (p) / switch_every);
          if (now != slot)
            al_audio_player_select (p, (al_audio_player_get_take (p) + 1) % t->n);
          slot = now;
        }
      if (interactive)
        show (p, t);
      else if (state == AL_AUDIO_PLAYER_ENDED)
        break;
    }
  return TRUE;
}

int
al_cli_play (int argc, char **argv, GError **error)
{
  g_autofree char *device = NULL;
  gboolean loop = FALSE;
  double start = 0, switch_every = 0, fade_ms = 10;
  GOptionEntry entries[] = {
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, "Audio output, e.g. portaudio:system?out=1-2 (default: the default output device)", "URI" },
    { "loop", 0, 0, G_OPTION_ARG_NONE, &loop, "Play the takes over and over", NULL },
    { "start", 0, 0, G_OPTION_ARG_DOUBLE, &start, "Start S seconds in (default 0)", "S" },
    { "switch-every", 0, 0, G_OPTION_ARG_DOUBLE, &switch_every, "Switch to the next take every S seconds of the takes", "S" },
    { "fade", 0, 0, G_OPTION_ARG_DOUBLE, &fade_ms, "Crossfade of switches, seeks and pauses in ms (default 10)", "MS" },
    { NULL }
  };
  if (!al_cli_parse ("play", "FILE [FILE…]",
                     "Plays takes of one scene (the mics, the truth, each encoder: the same length, rate and "
                     "channels) and switches between them at the same position with a short crossfade.  On a "
                     "terminal: 1–9 select a take, space pauses, ←/→ seek 5 s, q quits.  Otherwise it plays to "
                     "the end; --switch-every cycles through the takes.",
                     entries, &argc, &argv, error))
    return 1;
  if (argc < 2)
    {
      al_cli_require (NULL, "FILE", error);
      return 1;
    }
  if (start < 0 || !isfinite (start))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--start %g: give seconds from 0", start);
      return 1;
    }
  if (!(fade_ms >= 0 && fade_ms <= 10000))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--fade %g: give 0 … 10000 ms", fade_ms);
      return 1;
    }
  if (switch_every < 0 || !isfinite (switch_every))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--switch-every %g: give seconds above 0",
                   switch_every);
      return 1;
    }

  g_auto (Takes) t = { 0 };
  if (!read_takes (argv + 1, argc - 1, &t, error))
    return 1;
  double duration = t.nframes / t.fs;
  if (start >= duration)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--start %g is past the end of the takes (%.2f s)",
                   start, duration);
      return 1;
    }

  g_autoptr (AlAudioPlayer) p = al_audio_player_new (device != NULL ? device : "portaudio:", error);
  if (p == NULL
      || !al_audio_player_set_takes (p, (const float *const *) t.x, (const char *const *) t.names, t.n, t.nch,
                                     t.nframes, t.fs, error))
    return 1;
  al_audio_player_set_fade (p, fade_ms / 1000);
  al_audio_player_set_loop (p, loop, 0, 0);
  al_audio_player_seek (p, start);

  gboolean interactive = isatty (STDIN_FILENO);
  printf ("Playing %d take%s (%d channel%s, %.0f Hz, %.2f s) on %s\n", t.n, t.n == 1 ? "" : "s", t.nch,
          t.nch == 1 ? "" : "s", t.fs, duration, al_audio_player_get_name (p));
  if (interactive)
    printf ("Keys: 1–%d take, space pause/play, ←/→ %g s back/on, q quit\n", MIN (t.n, 9), SEEK_STEP);
  fflush (stdout);

  Terminal term = { 0 };
  stop_signal = 0;
  terminal_open (&term, interactive);
  gboolean ok = play_loop (p, &t, interactive, switch_every, error);
  al_audio_player_stop (p);
  terminal_close (&term);
  if (interactive)
    printf ("\n");
  if (!ok)
    return 1;
  return stop_signal != 0 ? 128 + stop_signal : 0;
}
