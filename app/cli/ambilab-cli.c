/* ambilab-cli.c — the headless front end: every job of the studio as a
 * command that scripts, servers and tests can run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "al-cli.h"
#include "al-cli-scenes.h"
#include "al-cli-measure.h"
#include "al-cli-powermap.h"

static const struct {
  const char *name;
  AlCliCommand run;
  const char *summary;
} commands[] = {
  { "info", al_cli_info, "describe a SOFA, audio or encoder file" },
  { "array", al_cli_array, "array models: `array simulate` writes ATFs of a model array to SOFA" },
  { "design", al_cli_design, "design a linear Ambisonics encoder from an ATF set" },
  { "evaluate-encoder", al_cli_evaluate_encoder, "spatial correlation, level difference, WNG and DGC of an encoder" },
  { "encode", al_cli_encode, "apply an encoder to a microphone recording" },
  { "evaluate", al_cli_evaluate, "compare encoders on simulated reverberant scenes (coherence, SI-SDR, SPME, …)" },
  { "simulate", al_cli_simulate, "render one scene: mic signals, ground-truth SH signals, scene JSON" },
  { "dataset", al_cli_dataset, "render a sharded, resumable training set of random scenes" },
  { "powermap", al_cli_powermap, "spatial power maps over time and DOA tracks of a recording" },
  { "measure", al_cli_measure, "measure array transfer functions on a turntable into a resumable session, then SOFA" },
  { "deconvolve", al_cli_deconvolve, "one sweep recording to impulse responses, latency and THD" },
  { "play", al_cli_play, "listen to takes of a scene and switch between them while playing" },
  { "demo", al_cli_demo, "the whole job on the bundled 5-mic glasses array" },
};

static void
usage (FILE *out)
{
  fprintf (out, "Usage: ambilab-cli COMMAND [OPTIONS…]\n\nCommands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-18s %s\n", commands[i].name, commands[i].summary);
  fprintf (out, "\nRun “ambilab-cli COMMAND --help” for the options of a command.\n");
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? AL_CLI_USAGE : 0;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("ambilab-cli %s\n", AL_VERSION);
      return 0;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      {
        g_autoptr (GError) error = NULL;
        int status = commands[i].run (argc - 1, argv + 1, &error);
        al_cli_progress_done ();
        if (error != NULL)
          {
            fprintf (stderr, "ambilab-cli %s: error: %s\n", commands[i].name, error->message);
            status = error->domain == G_OPTION_ERROR ? AL_CLI_USAGE : 1;
          }
        return status;
      }
  fprintf (stderr, "ambilab-cli: error: unknown command “%s”\n", argv[1]);
  usage (stderr);
  return AL_CLI_USAGE;
}
