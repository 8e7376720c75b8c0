/* cmd-measure.c — `ambilab-cli measure`: a measurement session on a
 * turntable into a session folder, resumable, ending in a SOFA file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "al-cli.h"
#include "al-cli-measure.h"
#include "measure/al-session.h"

/* Prompts on the terminal: re-mounts and manual turntable moves. */
static gboolean
ask (const char *message, gboolean yes)
{
  fprintf (stderr, "%s\n", message);
  if (yes)
    return TRUE;
  fprintf (stderr, "Press Enter when done (q to stop): ");
  fflush (stderr);
  char line[64];
  if (fgets (line, sizeof line, stdin) == NULL)
    return FALSE;
  return line[0] != 'q' && line[0] != 'Q';
}

static gboolean
remount_prompt (const AlSessionRemount *r, gpointer data)
{
  return ask (r->message, *(gboolean *) data);
}

static gboolean
turn_prompt (const AlTurntablePrompt *p, double *reading, gpointer data)
{
  return ask (p->message, *(gboolean *) data);
}

static void
show_progress (const AlSessionProgress *p, gpointer data)
{
  AlProgress *bar = data;
  g_autofree char *msg = NULL;
  if (!isnan (p->eta_s))
    msg = g_strdup_printf ("%d/%d, ETA %d:%02d", p->done, p->total, (int) (p->eta_s / 60), (int) fmod (p->eta_s, 60));
  else
    msg = g_strdup_printf ("%d/%d", p->done, p->total);
  al_progress_report (bar, p->fraction, msg);
  /* Retries and flags are worth a line of their own. */
  if (p->message != NULL && (strstr (p->message, "quality check failed") || strstr (p->message, "flagged")))
    {
      al_cli_progress_done ();
      fprintf (stderr, "%s\n", p->message);
    }
}

int
al_cli_measure (int argc, char **argv, GError **error)
{
  g_autofree char *dir = NULL, *audio = NULL, *turntable = NULL, *grid = NULL, *sweep = NULL, *mics = NULL,
                   *out = NULL, *elev_tt = NULL;
  gboolean resume = FALSE, overwrite = FALSE, yes = FALSE;
  AlSessionConfig c;
  al_session_config_init (&c);
  int retries = c.retries, ir_len = c.ir_len, ir_start = c.ir_start, settle_ms = (int) c.settle_ms;
  int averages = 0; /* 0: not given (the stored value on --resume, else 1) */
  GOptionEntry entries[] = {
    { "session", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Session folder (created; with --resume: continued)", "DIR" },
    { "resume", 0, 0, G_OPTION_ARG_NONE, &resume, "Continue the session in DIR (the options default to the stored ones)", NULL },
    { "audio", 0, 0, G_OPTION_ARG_STRING, &audio, "Audio interface: portaudio:DEVICE?in=1-5&ref=6&out=1 or sim:truth=atf.sofa&…", "URI" },
    { "turntable", 0, 0, G_OPTION_ARG_STRING, &turntable, "Turntable: sim:, manual:, et250://HOST, lt360:///dev/…, grbl:///dev/…", "URI" },
    { "grid", 0, 0, G_OPTION_ARG_STRING, &grid, "Directions, e.g. \"az=0:360:10;el=-60,-30,0,30,60\"", "SPEC" },
    { "sweep", 0, 0, G_OPTION_ARG_STRING, &sweep, "Sweep, e.g. \"f1=20,f2=22000,T=3\"", "SPEC" },
    { "elevation-turntable", 0, 0, G_OPTION_ARG_STRING, &elev_tt, "Second turntable driven to each ring's elevation instead of re-mount prompts", "URI" },
    { "averages", 0, 0, G_OPTION_ARG_INT, &averages, "Sweeps played and averaged per direction (default 1)", "N" },
    { "retries", 0, 0, G_OPTION_ARG_INT, &retries, "Re-measurements of a direction failing the quality checks (default 2)", "N" },
    { "mics-pos", 0, 0, G_OPTION_ARG_FILENAME, &mics, "Mic positions: SOFA file or text with x y z (m) per line", "FILE" },
    { "ir-len", 0, 0, G_OPTION_ARG_INT, &ir_len, "IR length kept in taps (default 512)", "N" },
    { "ir-start", 0, 0, G_OPTION_ARG_INT, &ir_start, "IR window start re the loopback latency (default -32)", "N" },
    { "settle-ms", 0, 0, G_OPTION_ARG_INT, &settle_ms, "Time the table must stand still before recording (default 500)", "MS" },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes, "Do not wait for confirmation of re-mounts and manual moves", NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "ATF set to write (SOFA) at the end", "FILE" },
    { "overwrite", 0, 0, G_OPTION_ARG_NONE, &overwrite, "Replace an existing output file", NULL },
    { NULL }
  };
  if (!al_cli_parse ("measure", NULL, "Measures array transfer functions over a grid of directions on a turntable "
                     "(exponential sweeps, loopback reference, quality checks) into a resumable session folder "
                     "and writes SOFA.", entries, &argc, &argv, error)
      || !al_cli_require (dir, "--session DIR", error) || !al_cli_require (out, "-o FILE", error))
    return 1;
  if (!resume && (!al_cli_require (audio, "--audio URI", error) || !al_cli_require (turntable, "--turntable URI", error)
                  || !al_cli_require (grid, "--grid SPEC", error) || !al_cli_require (sweep, "--sweep SPEC", error)))
    return 1;
  if (!al_cli_check_overwrite (out, overwrite, error))
    return 1;

  g_autoptr (AlSession) s = NULL;
  if (resume)
    {
      /* Unspecified options come from session.json. */
      g_autoptr (AlSession) stored = al_session_open (dir, NULL, TRUE, error);
      if (stored == NULL)
        return 1;
      const AlSessionConfig *sc = al_session_get_config (stored);
      c.audio_uri = g_strdup (audio ? audio : sc->audio_uri);
      c.turntable_uri = g_strdup (turntable ? turntable : sc->turntable_uri);
      c.grid_spec = g_strdup (grid ? grid : sc->grid_spec);
      c.sweep_spec = g_strdup (sweep ? sweep : sc->sweep_spec);
      c.mics_pos_path = g_strdup (mics ? mics : sc->mics_pos_path);
      c.ir_len = ir_len != c.ir_len ? ir_len : sc->ir_len;
      c.ir_start = ir_start != c.ir_start ? ir_start : sc->ir_start;
      c.elevation_turntable = g_strdup (elev_tt ? elev_tt : sc->elevation_turntable);
      c.averages = averages != 0 ? averages : sc->averages;
      c.retries = retries;
      c.settle_ms = (guint) MAX (settle_ms, 0);
      g_clear_pointer (&stored, al_session_free);
    }
  else
    {
      c.audio_uri = g_strdup (audio);
      c.turntable_uri = g_strdup (turntable);
      c.grid_spec = g_strdup (grid);
      c.sweep_spec = g_strdup (sweep);
      c.mics_pos_path = g_strdup (mics);
      c.elevation_turntable = g_strdup (elev_tt);
      c.averages = averages != 0 ? averages : 1;
      c.retries = retries;
      c.ir_len = ir_len;
      c.ir_start = ir_start;
      c.settle_ms = (guint) MAX (settle_ms, 0);
    }
  s = al_session_open (dir, &c, resume, error);
  al_session_config_clear (&c);
  if (s == NULL)
    return 1;
  const GPtrArray *w = al_session_get_warnings (s);
  for (guint i = 0; i < w->len; i++)
    fprintf (stderr, "warning: %s\n", (char *) g_ptr_array_index (w, i));
  al_session_set_remount_func (s, remount_prompt, &yes);
  al_turntable_set_confirm_func (al_session_get_turntable (s), turn_prompt, &yes, NULL);
  if (al_session_get_elevation_turntable (s) != NULL)
    al_turntable_set_confirm_func (al_session_get_elevation_turntable (s), turn_prompt, &yes, NULL);
  AlProgress bar = al_cli_progress ("measuring");
  al_session_set_progress_func (s, show_progress, &bar);
  if (resume)
    printf ("%s: resuming with %d of %d directions done\n", dir, al_session_get_n_done (s),
            al_session_get_n_directions (s));

  g_autoptr (GError) run_error = NULL;
  gboolean ok = al_session_run (s, NULL, &run_error);
  al_cli_progress_done ();
  if (!ok)
    {
      /* What was measured is kept; a partial SOFA helps judge it. */
      if (al_session_get_n_done (s) > 0)
        {
          g_autofree char *partial = g_build_filename (dir, "partial.sofa", NULL);
          al_session_write_sofa (s, partial, NULL);
        }
      g_propagate_prefixed_error (error, g_steal_pointer (&run_error), "%s: ", dir);
      if (al_session_get_n_done (s) > 0)
        fprintf (stderr, "%s: %d of %d directions kept; run again with --resume to continue\n", dir,
               al_session_get_n_done (s), al_session_get_n_directions (s));
      return 1;
    }
  if (!al_session_write_sofa (s, out, error))
    return 1;
  g_autofree char *summary = al_session_summary_to_string (s);
  printf ("%s: %d directions, %d mics, %d taps at %.0f Hz\n", out, al_session_get_n_done (s),
          al_session_get_n_mics (s), al_session_get_config (s)->ir_len, al_session_get_sweep (s)->params.fs);
  printf ("  %s\n", summary);
  return 0;
}
