/* al-linalg-private.h — helpers shared by the linalg sources (not installed).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

/* lapack_complex_double must be C99 double complex, so complex.h comes first. */
#include <complex.h>
#include <math.h>
#include <lapacke.h>
#include <cblas.h>

#include "al-base.h"
#include "al-linalg.h"

G_BEGIN_DECLS

/* NaN/Inf check of a complex array; the message names `what` and the element. */
static inline gboolean
al_linalg_check_finite_z (const double complex *x, size_t count, const char *what, GError **error)
{
  for (size_t i = 0; i < count; i++)
    if (!isfinite (creal (x[i])) || !isfinite (cimag (x[i])))
      {
        g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "%s: element %zu of %zu is %s",
                     what, i, count, (isnan (creal (x[i])) || isnan (cimag (x[i]))) ? "NaN" : "infinite");
        return FALSE;
      }
  return TRUE;
}

G_END_DECLS
