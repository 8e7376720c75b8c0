/* al-cli-measure.h — the measurement commands of ambilab-cli.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "base/al-base.h"

int al_cli_measure (int argc, char **argv, GError **error);
int al_cli_deconvolve (int argc, char **argv, GError **error);
