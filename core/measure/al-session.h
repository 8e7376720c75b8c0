/* al-session.h — measurement sessions: a grid of directions measured on a
 * turntable into a session folder that survives crashes, and the SOFA file
 * made from it.
 *
 * The folder (DESIGN.md §4):
 *   session.json     the configuration (devices, grid, sweep, channels, fs,
 *                    IR window, averages, elevation turntable, dates);
 *                    written once, atomically
 *   dir-NNNN.wav     raw recordings of direction NNNN (grid index), float32,
 *                    the mics then the loopback reference
 *   ref-repeat.wav   the reference direction measured again at the end
 *   journal.jsonl    append-only, one JSON line per finished direction,
 *                    fsync'ed after each: index, azimuth/elevation (array
 *                    frame), commanded and read-back turntable angle, WAV
 *                    name + SHA-256, latency, attempts, QC verdict + messages
 * Resume reads the journal: a truncated or unparsable last line is dropped,
 * an entry whose WAV is missing or does not match its hash is measured
 * again, and the last line of an index wins.  So a crash, kill -9 or power
 * loss repeats at most the direction in progress.
 *
 * Geometry (DESIGN.md §3): a turntable angle +α puts the source at azimuth
 * −α in the array frame; the grid and the SOFA hold array-frame directions.
 *
 * sim: audio URIs.  The simulated chamber is opened once per direction with
 * the ring's elevation and a seed drawn from the URI's seed (default 1), the
 * direction's index and the attempt, so every direction's noise is fixed
 * whatever happened before it: an interrupted and resumed session gives the
 * same SOFA file bit for bit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "al-audio-backend.h"
#include "al-measure.h"
#include "al-turntable.h"

#include <gio/gio.h>

G_BEGIN_DECLS

/* ---- Grids ---- */

/* "az=0:360:10;el=-60,-30,0,30,60": keys az and el (degrees, array frame),
 * each a list "a,b,c" or a range "start:stop:step" (stop included unless it
 * repeats start modulo 360, so 0:360:10 is 36 azimuths).  el defaults to 0.
 * Rings at ±90° hold one direction.  Directions: every azimuth of the first
 * elevation, then the next elevation.  Errors (AL_ERROR_INVALID_INPUT) quote
 * the spec and name the part. */
typedef struct {
  int n;
  double *azimuth_deg;   /* n, in [0, 360) */
  double *elevation_deg; /* n, in [−90, 90] */
  char *spec;            /* as given */
} AlSessionGrid;

AlSessionGrid *al_session_grid_parse (const char *spec, GError **error);
void al_session_grid_free (AlSessionGrid *grid);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlSessionGrid, al_session_grid_free)

/* ---- Mic positions ---- */

/* A .sofa file (its ReceiverPosition) or text: one mic per line, "x y z" or
 * "x,y,z" in metres, '#' starts a comment.  Returns nmics x 3 (g_free). */
double *al_session_read_mic_positions (const char *path, int *nmics, GError **error);

/* ---- Configuration ---- */

typedef struct {
  char *audio_uri;
  char *turntable_uri;
  char *grid_spec;
  char *sweep_spec;
  char *mics_pos_path;   /* NULL: positions left at 0 (with a warning) */
  int retries;           /* re-measurements of a direction that fails QC (2) */
  int max_dropouts;      /* redone dropouts per direction before giving up (5) */
  int ir_start;          /* IR window relative to the latency, samples (−32) */
  int ir_len;            /* (512) */
  double tol_deg;        /* settle tolerance (0.5) */
  guint settle_ms;       /* ring-down (500) */
  guint timeout_ms;      /* per move (120000) */
  int averages;          /* sweeps played and averaged per direction (1) */
  char *elevation_turntable; /* second axis driven to each ring's elevation; NULL: re-mounts */
} AlSessionConfig;

void al_session_config_init (AlSessionConfig *config);
void al_session_config_clear (AlSessionConfig *config);

/* ---- Journal entries ---- */

typedef struct {
  int index;             /* grid index */
  int ring;              /* elevation ring in travel order */
  double azimuth_deg;    /* array frame: −read-back angle, in (−180, 180] */
  double elevation_deg;
  double angle_deg;      /* commanded (unwrapped) turntable angle */
  double read_back_deg;  /* read back after settling */
  char *wav;             /* file name in the folder */
  char *sha256;          /* hex */
  double latency;        /* samples */
  int attempts;          /* measurements made (1 + QC retries) */
  int dropouts;          /* runs redone after a dropout */
  AlQcVerdict verdict;   /* of the kept measurement */
  gboolean flagged;      /* still failing after the retries */
  GPtrArray *messages;   /* char*: QC findings */
} AlSessionEntry;

/* ---- Sessions ---- */

typedef struct AlSession AlSession;

/* Opens the devices and the folder.  resume FALSE: the folder must not hold
 * a session yet (created when missing).  resume TRUE: session.json must be
 * there and match `config` in what makes the data comparable (grid, sweep,
 * sample rate, number of mics, reference, IR window, averages); the device URIs may
 * differ (a device re-plugged under another name).  config may be NULL with
 * resume TRUE: the stored one is used.  Set-up errors name the device or
 * file: missing device, too few channels, no reference input, sample rates
 * that disagree, a malformed grid or sweep. */
AlSession *al_session_open (const char *dir, const AlSessionConfig *config, gboolean resume,
                            GError **error);
void al_session_free (AlSession *session);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlSession, al_session_free)

const char *al_session_get_dir (const AlSession *session);
const AlSessionConfig *al_session_get_config (const AlSession *session);
const AlSessionGrid *al_session_get_grid (const AlSession *session);
const AlSweep *al_session_get_sweep (const AlSession *session);
AlTurntable *al_session_get_turntable (AlSession *session);
/* The elevation axis (config elevation_turntable), NULL without one. */
AlTurntable *al_session_get_elevation_turntable (AlSession *session);
/* The backend of the last run (sim: reopened per direction); may be NULL. */
AlAudioBackend *al_session_get_audio (AlSession *session);
int al_session_get_n_mics (const AlSession *session);
/* Warnings found while opening (mic positions missing, devices renamed). */
const GPtrArray *al_session_get_warnings (const AlSession *session);

/* Travel order (grid indices) and how far it got. */
int al_session_get_n_directions (const AlSession *session);
int al_session_get_n_done (const AlSession *session);
/* The entry of grid index i, NULL while not measured. */
const AlSessionEntry *al_session_get_entry (const AlSession *session, int index);

/* Re-mount request for an elevation ring (blocks until the user is done).
 * FALSE stops the run (G_IO_ERROR_CANCELLED). */
typedef struct {
  int ring;              /* 0-based, in travel order */
  int nrings;
  double elevation_deg;  /* the source's elevation in the array frame */
  const char *message;   /* "Mount the array for elevation 30° (ring 3 of 5) and confirm." */
} AlSessionRemount;
typedef gboolean (*AlSessionRemountFunc) (const AlSessionRemount *request, gpointer user_data);
/* Without one, rings follow each other without asking.  With an elevation
 * turntable configured it is never called: that table is moved instead. */
void al_session_set_remount_func (AlSession *session, AlSessionRemountFunc func, gpointer user_data);

/* Called after each recording (attempt 0, 1, …; with averages, once per
 * sweep before they are averaged) before it is checked and
 * stored: for processing and fault injection in tests.  It may change rec
 * in place; FALSE with AL_AUDIO_ERROR_DROPOUT has the run redone, any other
 * error pauses the session. */
typedef gboolean (*AlSessionRecordFunc) (int index, int attempt, AlRecording *rec, gpointer user_data,
                                         GError **error);
void al_session_set_record_func (AlSession *session, AlSessionRecordFunc func, gpointer user_data);

typedef struct {
  double fraction;       /* directions done / total (the final reference repeat counts as one) */
  int done, total;
  int index;             /* grid index being measured, −1 when none */
  double azimuth_deg, elevation_deg;
  double eta_s;          /* from the mean time per direction of this run; NAN before the first */
  const char *message;   /* "direction 12/36: az −30.0°, el 0.0° (retry 1: channel 3: clipped …)" */
} AlSessionProgress;
typedef void (*AlSessionProgressFunc) (const AlSessionProgress *progress, gpointer user_data);
void al_session_set_progress_func (AlSession *session, AlSessionProgressFunc func, gpointer user_data);

/* Measures every direction not yet in the journal, then the reference
 * direction (the first of the travel order) again.  FALSE on a fault of the
 * turntable (AL_TURNTABLE_ERROR) or the audio interface (AL_AUDIO_ERROR),
 * its message prefixed "session paused at direction N: ", on cancellation
 * (G_IO_ERROR_CANCELLED, checked between and inside directions) and on I/O
 * errors: everything finished stays in the folder, and calling
 * al_session_run again (or opening with resume) continues. */
gboolean al_session_run (AlSession *session, GCancellable *cancellable, GError **error);

typedef struct {
  int done, total;
  int npass, nwarn, nfail;   /* verdicts of the kept measurements */
  int nflagged;              /* failing after the retries */
  int nretried;              /* directions that needed a QC retry */
  int ndropouts;             /* runs redone after dropouts */
  gboolean repeat_done;      /* the reference direction was measured again */
  int repeat_index;
  double repeat_error_db;    /* error energy of the repeat against the first, all mics (time variance) */
  double repeat_level_db;    /* mean level difference, dB */
  double repeat_latency;     /* latency difference, samples */
  double latency_min, latency_max;
} AlSessionSummary;

void al_session_get_summary (const AlSession *session, AlSessionSummary *summary);
/* One paragraph for logs and the SOFA comment. */
char *al_session_summary_to_string (const AlSession *session);

/* The measured directions so far as an ATF set (grid order; the windowed
 * linear IRs, ir_len taps; source directions in the array frame). */
AlAtfSet *al_session_build_atf (AlSession *session, GError **error);
/* That set as SimpleFreeFieldHRIR with the measurement metadata, at the end
 * or on demand (then with the directions done so far). */
gboolean al_session_write_sofa (AlSession *session, const char *path, GError **error);

G_END_DECLS
