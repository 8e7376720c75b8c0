/* al-io.h — SOFA (AES69) ATF sets, audio files, JSON helpers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include "array/al-array.h"
#include "base/al-base.h"

G_BEGIN_DECLS

/* ---- SOFA ----
 * Reads SimpleFreeFieldHRIR and GeneralFIR with any number of receivers
 * (netCDF-4 / HDF5 via libnetcdf).  Positions in spherical or cartesian
 * coordinates are converted (SourcePosition relative to the listener;
 * ListenerView other than +x is rejected as unsupported).  Every problem is
 * reported with the file name and the variable, e.g.
 * "atf.sofa: Data.IR has 4 receivers but ReceiverPosition lists 5".
 * Whole-sample Data.Delay values are applied by delaying each IR (ir_len
 * grows by the largest delay); fractional delays are rejected.  title comes
 * from the Title attribute (NULL when empty), source is the file's basename.
 * Thread-safe: netCDF access is serialised inside the module. */
AlAtfSet *al_sofa_read (const char *path, GError **error);

/* Global attributes for al_sofa_write; `meta` itself may be NULL. */
typedef struct {
  const char *title;          /* NULL: the set's title, else "Array transfer functions" */
  const char *comment;        /* NULL: none */
  const char *author_contact; /* NULL: "" */
  const char *organization;   /* NULL: "" */
  const char *database_name;  /* NULL: "Ambilab" */
  const char *listener_short_name; /* NULL: "array" */
  const char *license;        /* NULL: "No license provided, ask the author for permission" (SOFA's default) */
} AlSofaMeta;

/* Writes SimpleFreeFieldHRIR 1.0, R = mics, netCDF-4, NC_DOUBLE, text
 * attributes only (readable by libmysofa's mysofa_load), atomically. */
gboolean al_sofa_write (const char *path, const AlAtfSet *set, const AlSofaMeta *meta, GError **error);

/* ---- Audio files (libsndfile: WAV, FLAC, CAF, …) ---- */
typedef struct {
  double fs;
  int nchannels;
  gint64 nframes;
  float *data; /* nframes x nchannels, interleaved */
} AlAudio;

AlAudio *al_audio_new (double fs, int nchannels, gint64 nframes);
void al_audio_free (AlAudio *audio);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlAudio, al_audio_free)
AlAudio *al_audio_read (const char *path, GError **error);
/* Format from the suffix (.wav → WAV float32 (RF64 when > 4 GB), .caf, .flac 24-bit);
 * written atomically. */
gboolean al_audio_write (const char *path, const AlAudio *audio, GError **error);

/* Streaming access for long files. */
typedef struct AlAudioReader AlAudioReader;
AlAudioReader *al_audio_reader_open (const char *path, GError **error);
double al_audio_reader_fs (const AlAudioReader *r);
int al_audio_reader_channels (const AlAudioReader *r);
gint64 al_audio_reader_frames (const AlAudioReader *r);
/* Reads up to nframes interleaved frames into buf (room for nframes x channels
 * floats); returns frames read (0 at end), -1 on error. */
gint64 al_audio_reader_read (AlAudioReader *r, float *buf, gint64 nframes, GError **error);
void al_audio_reader_close (AlAudioReader *r);

typedef struct AlAudioWriter AlAudioWriter;
/* Writes to a temporary file beside `path`; al_audio_writer_finish commits it.
 * The length is unknown, so .wav is started as RF64 and libsndfile turns it
 * into an ordinary RIFF/WAVE (extensible) file if it stays under 4 GB. */
AlAudioWriter *al_audio_writer_open (const char *path, double fs, int nchannels, GError **error);
gboolean al_audio_writer_write (AlAudioWriter *w, const float *buf, gint64 nframes, GError **error);
/* A free-text comment stored in the file where the format has room for one
 * (WAV: LIST/INFO); call before the first write.  FALSE where it has none. */
gboolean al_audio_writer_set_comment (AlAudioWriter *w, const char *text);
/* The file's comment, or NULL. */
char *al_audio_reader_comment (AlAudioReader *r);
/* commit = FALSE discards the temporary file (e.g. after cancel). Frees w. */
gboolean al_audio_writer_finish (AlAudioWriter *w, gboolean commit, GError **error);

/* ---- JSON ---- */
JsonNode *al_json_read (const char *path, GError **error);
gboolean al_json_write (const char *path, JsonNode *root, GError **error); /* pretty, atomic */

/* ---- Describe any file we know (SOFA, audio, encoder JSON): a short,
 * human-readable multi-line text. ---- */
char *al_describe_sofa (const char *path, GError **error);
char *al_describe_audio (const char *path, GError **error);

G_END_DECLS
