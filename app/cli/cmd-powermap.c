/* cmd-powermap.c — `ambilab-cli powermap`: spatial power maps over time and
 * DOA tracks of a recording without ground truth, encoded by any encoder
 * (or already Ambisonics), as CSV, raw float32 maps with a JSON
 * description, and figures (al-map-track.h lists the files).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "al-cli-powermap.h"
#include "eval/al-map-track.h"
#include "eval/al-scene-eval.h"
#include "io/al-io.h"

/* A whole recording, planar (nch x nframes). */
typedef struct {
  float *x;
  int nch;
  gsize n;
  double fs;
  char *comment;
} Recording;

static void
recording_clear (Recording *r)
{
  g_clear_pointer (&r->x, g_free);
  g_clear_pointer (&r->comment, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Recording, recording_clear)

static gboolean
read_recording (const char *path, Recording *r, GError **error)
{
  AlAudioReader *reader = al_audio_reader_open (path, error);
  if (reader == NULL)
    return FALSE;
  r->nch = al_audio_reader_channels (reader);
  r->fs = al_audio_reader_fs (reader);
  r->comment = al_audio_reader_comment (reader);
  gint64 total = al_audio_reader_frames (reader);
  g_autofree float *inter = g_new (float, (gsize) MAX (total, 1) * r->nch);
  gint64 got = 0;
  while (got < total)
    {
      gint64 k = al_audio_reader_read (reader, inter + (gsize) got * r->nch, total - got, error);
      if (k < 0)
        {
          al_audio_reader_close (reader);
          return FALSE;
        }
      if (k == 0)
        break; /* shorter than its header said */
      got += k;
    }
  al_audio_reader_close (reader);
  if (got == 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: no audio frames", path);
      return FALSE;
    }
  r->n = (gsize) got;
  r->x = g_new (float, (gsize) r->nch * r->n);
  for (gsize i = 0; i < r->n; i++)
    for (int c = 0; c < r->nch; c++)
      r->x[(gsize) c * r->n + i] = inter[i * r->nch + c];
  return TRUE;
}

/* The normalisation in the comment that encode/simulate write ("Ambisonics
 * order N, ACN, sn3d (…)"); SN3D with a warning when there is none. */
static gboolean
ambisonics_norm (const char *path, const Recording *r, AlShNorm *norm, GError **error)
{
  int order = (int) lround (sqrt ((double) r->nch)) - 1;
  if (order < 0 || al_sh_count (order) != r->nch)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "%s has %d channels, which is no full Ambisonics order ((N+1)² channels)", path, r->nch);
      return FALSE;
    }
  int file_order = -1;
  char name[32] = "";
  if (r->comment == NULL || sscanf (r->comment, "Ambisonics order %d, ACN, %31[a-zA-Z0-9]", &file_order, name) != 2)
    {
      fprintf (stderr, "ambilab-cli powermap: warning: %s does not say its normalisation; assuming ACN, SN3D\n", path);
      *norm = AL_SH_SN3D;
      return TRUE;
    }
  if (file_order != order)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH, "%s says order %d but has %d channels (order %d)", path,
                   file_order, r->nch, order);
      return FALSE;
    }
  if (!al_sh_norm_parse (name, norm, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_number (const char *text, double *v)
{
  char *end = NULL;
  *v = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*v);
}

static gboolean
parse_band (const char *text, double *lo, double *hi, GError **error)
{
  /* Split first: strtod would read "200." of "200..4000". */
  g_auto (GStrv) parts = text != NULL ? g_strsplit (text, "..", 2) : NULL;
  if (parts != NULL && g_strv_length (parts) == 2 && parse_number (parts[0], lo) && parse_number (parts[1], hi)
      && *lo > 0 && *hi > *lo)
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--band “%s”: give LO..HI in Hz, e.g. 200..4000",
               text != NULL ? text : "");
  return FALSE;
}

int
al_cli_powermap (int argc, char **argv, GError **error)
{
  g_autofree char *encoder = NULL, *in = NULL, *out = NULL, *band = NULL, *method = NULL;
  gboolean ambisonics = FALSE, overwrite = FALSE;
  double frame_ms = 100, hop_ms = 50, floor_db = 0, gate_deg = 0;
  int peaks = 2, grid = AL_METRICS_DEFAULT_GRID;
  GOptionEntry entries[] = {
    { "encoder", 0, 0, G_OPTION_ARG_FILENAME, &encoder, "Encoder (JSON written by design)", "FILE" },
    { "in", 0, 0, G_OPTION_ARG_FILENAME, &in, "Microphone recording, or Ambisonics with --ambisonics", "FILE" },
    { "ambisonics", 0, 0, G_OPTION_ARG_NONE, &ambisonics, "The input is Ambisonics (ACN; normalisation from the file's comment, else SN3D)", NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Folder for doa_tracks.csv, maps.json, maps.f32 and figures", "DIR" },
    { "frame-ms", 0, 0, G_OPTION_ARG_DOUBLE, &frame_ms, "Frame length in ms (default 100)", "MS" },
    { "hop-ms", 0, 0, G_OPTION_ARG_DOUBLE, &hop_ms, "Hop between frames in ms (default 50)", "MS" },
    { "band", 0, 0, G_OPTION_ARG_STRING, &band, "Frequency band of the maps, e.g. 200..4000 (default broadband)", "LO..HI" },
    { "method", 0, 0, G_OPTION_ARG_STRING, &method, "Map: pwd, mvdr, music, sh or intensity (default pwd)", "NAME" },
    { "peaks", 0, 0, G_OPTION_ARG_INT, &peaks, "DOAs per frame (default 2)", "K" },
    { "grid", 0, 0, G_OPTION_ARG_INT, &grid, "Fibonacci directions of the maps (default 2048, at least 1296)", "N" },
    { "floor-db", 0, 0, G_OPTION_ARG_DOUBLE, &floor_db, "Frames this far below the loudest give no DOA (default 30)", "DB" },
    { "gate-deg", 0, 0, G_OPTION_ARG_DOUBLE, &gate_deg, "Largest step of a track between frames (default 15)", "DEG" },
    { "overwrite", 0, 0, G_OPTION_ARG_NONE, &overwrite, "Replace existing output files", NULL },
    { NULL }
  };
  if (!al_cli_parse ("powermap", NULL,
                     "Spatial power maps over time and DOA tracks of a recording: encodes it (or reads Ambisonics), "
                     "maps each frame, finds its strongest directions and links them into tracks.",
                     entries, &argc, &argv, error)
      || !al_cli_require (in, "--in FILE", error) || !al_cli_require (out, "-o DIR", error))
    return 1;
  if (!ambisonics && !al_cli_require (encoder, "--encoder FILE (or --ambisonics)", error))
    return 1;
  if (ambisonics && encoder != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "give either --encoder or --ambisonics, not both");
      return 1;
    }
  AlMapTrackOptions opt;
  al_map_track_options_init (&opt);
  if (method != NULL && !al_map_method_parse (method, &opt.map.method, error))
    return 1;
  if (band != NULL && !parse_band (band, &opt.map.band_lo, &opt.map.band_hi, error))
    return 1;
  opt.frame_s = frame_ms / 1000;
  opt.hop_s = hop_ms / 1000;
  opt.max_peaks = peaks;
  opt.grid = grid;
  opt.floor_db = floor_db;
  opt.gate = AL_DEG2RAD (gate_deg);
  for (const char *const *name = al_map_track_file_names (); *name != NULL; name++)
    {
      g_autofree char *path = g_build_filename (out, *name, NULL);
      if (!al_cli_check_overwrite (path, overwrite, error))
        return 1;
    }

  g_auto (Recording) rec = { 0 };
  g_autofree float *encoded = NULL;
  g_autoptr (AlEncoder) enc = NULL;
  AlShSignals b;
  if (ambisonics)
    {
      AlShNorm norm;
      if (!read_recording (in, &rec, error) || !ambisonics_norm (in, &rec, &norm, error))
        return 1;
      b = al_sh_signals_float (rec.x, rec.nch, rec.n, rec.fs, norm);
    }
  else
    {
      enc = al_encoder_load (encoder, error);
      if (enc == NULL || !read_recording (in, &rec, error) || !al_encoder_check_input (enc, in, rec.nch, rec.fs, error))
        return 1;
      g_autoptr (AlSceneEncoder) run = al_scene_encoder_new_linear (enc, NULL);
      encoded = al_scene_encoder_run (run, rec.x, rec.n, error);
      if (encoded == NULL)
        return 1;
      /* The map skips the encoder's latency, so times are those of the recording. */
      b = al_sh_signals_float (encoded, run->nsh, rec.n + run->latency, rec.fs, run->norm);
      b.latency = run->latency;
    }
  b.name = in;

  AlProgress progress = al_cli_progress ("power maps");
  g_autoptr (AlMapTrack) mt = al_map_track_new (&b, &opt, &progress, error);
  al_cli_progress_done ();
  if (mt == NULL || !al_map_track_write (mt, out, error))
    return 1;
  int active = 0;
  for (int f = 0; f < mt->nframes; f++)
    active += mt->active[f];
  printf ("%s: %d frames x %d directions (%s, order %d", out, mt->nframes, mt->ndirs, al_map_method_name (mt->method),
          mt->order);
  if (mt->band_hi > 0)
    printf (", %.0f–%.0f Hz", mt->band_lo, mt->band_hi);
  printf ("), %d active, %d track%s\n", active, mt->ntracks, mt->ntracks == 1 ? "" : "s");
  return 0;
}
