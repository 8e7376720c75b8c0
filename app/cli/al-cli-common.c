/* al-cli-common.c — progress bar and option parsing shared by the commands.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-cli.h"

#include <stdio.h>
#include <unistd.h>

static gboolean progress_shown;

static void
draw_bar (double fraction, const char *message, gpointer user_data)
{
  const char *what = user_data;
  const int width = 30;
  int filled = (int) (fraction * width + 0.5);
  char bar[64];
  for (int i = 0; i < width; i++)
    bar[i] = i < filled ? '#' : '.';
  bar[width] = '\0';
  fprintf (stderr, "\r%-12s [%s] %3d%% %-20s", what, bar, (int) (fraction * 100 + 0.5), message ? message : "");
  fflush (stderr);
  progress_shown = TRUE;
}

AlProgress
al_cli_progress (const char *what)
{
  AlProgress p = { 0 };
  if (isatty (STDERR_FILENO) || g_getenv ("AMBILAB_PROGRESS") != NULL)
    {
      p.func = draw_bar;
      p.user_data = (gpointer) what;
    }
  return p;
}

void
al_cli_progress_done (void)
{
  if (progress_shown)
    fputc ('\n', stderr);
  progress_shown = FALSE;
}

gboolean
al_cli_parse (const char *command, const char *params, const char *summary, GOptionEntry *entries,
              int *argc, char ***argv, GError **error)
{
  /* GOption prints "Usage: PRGNAME [OPTION…] PARAMS". */
  g_autofree char *prgname = g_strdup_printf ("ambilab-cli %s", command);
  g_set_prgname (prgname);
  g_autoptr (GOptionContext) ctx = g_option_context_new (params ? params : "");
  g_option_context_set_summary (ctx, summary);
  g_option_context_add_main_entries (ctx, entries, NULL);
  return g_option_context_parse (ctx, argc, argv, error);
}

gboolean
al_cli_require (const char *value, const char *option, GError **error)
{
  if (value != NULL && *value != '\0')
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "missing %s (see --help)", option);
  return FALSE;
}

gboolean
al_cli_check_overwrite (const char *path, gboolean overwrite, GError **error)
{
  if (overwrite || !g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s exists; add --overwrite to replace it", path);
  return FALSE;
}
