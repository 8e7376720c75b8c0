/* al-cli.h — shared pieces of ambilab-cli: the command table, progress on
 * the terminal and option helpers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "base/al-base.h"
#include "eval/al-eval.h"

/* Every command returns a process exit status and reports its own errors
 * through `error` (printed by main as one line). */
typedef int (*AlCliCommand) (int argc, char **argv, GError **error);

int al_cli_info (int argc, char **argv, GError **error);
int al_cli_array (int argc, char **argv, GError **error);
int al_cli_design (int argc, char **argv, GError **error);
int al_cli_evaluate_encoder (int argc, char **argv, GError **error);
int al_cli_encode (int argc, char **argv, GError **error);
int al_cli_demo (int argc, char **argv, GError **error);
int al_cli_play (int argc, char **argv, GError **error);

/* Exit status for wrong usage (bad or missing options). */
#define AL_CLI_USAGE 2

/* A progress bar on stderr when it is a terminal; silent otherwise. Call
 * al_cli_progress_done after the work to end the line. */
AlProgress al_cli_progress (const char *what);
void al_cli_progress_done (void);

/* Parses options; on failure sets error and returns FALSE.  `summary` shows in --help. */
gboolean al_cli_parse (const char *command, const char *params, const char *summary, GOptionEntry *entries,
                       int *argc, char ***argv, GError **error);
/* Nothing the user made is replaced without being asked: FALSE with an
 * error when `path` exists and --overwrite was not given. */
gboolean al_cli_check_overwrite (const char *path, gboolean overwrite, GError **error);

/* Sets a usage error naming a missing option. */
gboolean al_cli_require (const char *value, const char *option, GError **error);

/* Shared by design/evaluate-encoder and demo: do the job, write the files,
 * print one summary line; *result (may be NULL) receives the object. */
gboolean al_cli_design_and_save (const AlAtfSet *set, const AlDesignParams *params, const char *out,
                                 AlEncoder **result, GError **error);
gboolean al_cli_evaluate_and_write (const AlEncoder *enc, const AlAtfSet *set, const char *dir, double lo,
                                    double hi, AlEncoderEval **result, GError **error);
