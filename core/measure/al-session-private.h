/* al-session-private.h — what the session files share: the session object
 * and the journal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "al-session.h"

#define AL_SESSION_JOURNAL "journal.jsonl"
#define AL_SESSION_CONFIG "session.json"
#define AL_SESSION_REPEAT_WAV "ref-repeat.wav"
/* Journal index of the final reference repeat. */
#define AL_SESSION_REPEAT_INDEX (-1)

struct AlSession {
  char *dir;
  AlSessionConfig config;
  AlSessionGrid *grid;
  AlSweep *sweep;
  AlDeconvolver *deconv;
  AlPointParams point;
  double fs;
  int nmics;
  int ref_channel;               /* recording row of the loopback */
  char *audio_name;
  char *channels;                /* "mics 1-5, reference 6" */
  gboolean audio_is_sim;
  char *sim_base_uri;            /* sim: URI without seed= and elevation= */
  guint32 sim_seed;
  AlAudioBackend *audio;         /* real interfaces: open for the session */
  AlTurntable *tt;
  AlTurntable *elev_tt;          /* NULL: rings are re-mounted by hand */
  double *mic_pos;               /* nmics x 3 */
  GPtrArray *warnings;
  char *created, *finished;      /* ISO 8601 */

  AlTurntableStop *order;        /* n stops */
  int nrings;
  AlSessionEntry **entries;      /* grid index -> entry or NULL */
  double **irs;                  /* grid index -> nmics x ir_len, cached (NULL: recompute from WAV) */
  AlSessionEntry *repeat;
  double *repeat_ir;
  int ndone;
  AlLatencyTrack track;

  AlSessionRemountFunc remount;
  gpointer remount_data;
  AlSessionRecordFunc record;
  gpointer record_data;
  AlSessionProgressFunc progress;
  gpointer progress_data;
};

void al_session_entry_free (AlSessionEntry *entry);
/* Hex SHA-256 of a file's contents. */
char *al_session_file_sha256 (const char *path, GError **error);
/* Reads the journal; valid entries whose WAV matches go into the session
 * (the last line of an index wins).  A torn last line is cut off the file
 * so later appends start on a line of their own. */
gboolean al_session_journal_load (AlSession *session, GError **error);
/* Appends one line and fsyncs it. */
gboolean al_session_journal_append (AlSession *session, const AlSessionEntry *entry, GError **error);
/* fsync of a file and of its folder (the rename or creation is durable). */
gboolean al_session_sync_path (const char *path, GError **error);
/* The windowed linear IRs (nmics x ir_len) of an entry: the cache, else
 * measured again from its WAV (the same numbers: the chain is
 * deterministic and the WAV holds the recording's float samples). */
double *al_session_entry_ir (AlSession *session, const AlSessionEntry *entry, GError **error);
/* The audio backend for run `run` (dropouts and retries count up) of a
 * direction (grid index; n for the repeat): real interfaces stay open,
 * sim: is opened with that direction's elevation and a seed of its own. */
/* `run` counts every play-record of a direction: dropouts, averages and
 * retries (0 … (retries+1)·averages·(max_dropouts+1) − 1). */
AlAudioBackend *al_session_audio_for_run (AlSession *session, int index, double elevation, int run,
                                          GError **error);
char *al_session_now_iso8601 (void);
/* Plays the sweep once: fails when an input clips at its level or the
 * reference is silent (before anything is written, and at each run). */
gboolean al_session_level_check (AlSession *session, GCancellable *cancellable, GError **error);
