/* al-base.h — errors, progress/cancellation and safe file writes shared by every core module.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <stddef.h>

G_BEGIN_DECLS

#define AL_ERROR (al_error_quark ())

typedef enum {
  AL_ERROR_FAILED,        /* anything else */
  AL_ERROR_INVALID_INPUT, /* a parameter or a value in the data is out of range (NaN, negative size, …) */
  AL_ERROR_FORMAT,        /* a file is not what it claims, or is truncated */
  AL_ERROR_MISMATCH,      /* two inputs disagree (channel count, sample rate, dimensions) */
  AL_ERROR_IO,            /* reading or writing failed */
  AL_ERROR_UNSUPPORTED,   /* valid, but not something we handle */
} AlErrorCode;

GQuark al_error_quark (void);

/* Progress of long work: a fraction in [0,1] plus a short message, and a
 * cancellable checked between steps.  Every field may be NULL/0; a NULL
 * AlProgress* is accepted everywhere and means "nobody is watching". */
typedef void (*AlProgressFunc) (double fraction, const char *message, gpointer user_data);

typedef struct {
  AlProgressFunc func;
  gpointer user_data;
  GCancellable *cancellable;
  double lo, hi; /* the sub-range of the parent's [0,1] this progress maps to; hi == lo == 0 means [0,1] */
} AlProgress;

void al_progress_report (AlProgress *progress, double fraction, const char *message);
/* TRUE (and error set to G_IO_ERROR_CANCELLED) when the user asked to stop. */
gboolean al_progress_cancelled (AlProgress *progress, GError **error);
/* A child progress covering [lo,hi] of the parent's range. */
AlProgress al_progress_sub (AlProgress *parent, double lo, double hi);

/* Atomic writes (DESIGN.md §4): write beside the target, fsync, rename. */
gboolean al_write_file_atomic (const char *path, const void *data, gsize len, GError **error);
/* For libraries that write files themselves (netCDF, libsndfile): get a
 * temporary path in the same folder, write it, then commit (fsync + rename)
 * or discard it. */
char *al_temp_path_for (const char *path);
gboolean al_commit_temp_file (const char *tmp_path, const char *path, GError **error);
void al_discard_temp_file (const char *tmp_path);

/* Rejects NaN/Inf with a message naming `what` ("atf.sofa: Data.IR") and the first bad index. */
gboolean al_check_finite (const double *x, size_t n, const char *what, GError **error);
gboolean al_check_finite_float (const float *x, size_t n, const char *what, GError **error);

/* Degrees <-> radians. */
#define AL_DEG2RAD(d) ((d) * (G_PI / 180.0))
#define AL_RAD2DEG(r) ((r) * (180.0 / G_PI))
/* Speed of sound in air at 20 °C, m/s. */
#define AL_SPEED_OF_SOUND 343.0

G_END_DECLS
