/* al-sh-private.h — helpers shared by the sh sources (not installed).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "al-sh.h"

G_BEGIN_DECLS

/* A grid with n points, dirs and weights allocated (zeroed), name taken over. */
AlGrid *al_grid_alloc (int n, int exact_degree, char *name);

G_END_DECLS
