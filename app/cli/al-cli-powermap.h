/* al-cli-powermap.h — `ambilab-cli powermap`: spatial power maps over time
 * and DOA tracks of a recording.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "al-cli.h"

int al_cli_powermap (int argc, char **argv, GError **error);
