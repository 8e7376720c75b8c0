/* al-audio.c — audio files through libsndfile: whole-file and streaming read/write.
 *
 * Reading accepts anything libsndfile reads and returns float samples
 * (integer formats scaled to [-1, 1)).  Writing picks the format from the
 * suffix: .wav float32 (WAVE_FORMAT_EXTENSIBLE above 2 channels, RF64 above
 * 4 GB), .caf float32, .flac 24-bit PCM (clipped to full scale).  Every
 * write goes to a temporary file beside the target that is renamed over it
 * when complete.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-io-private.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <limits.h>
#include <math.h>
#include <sndfile.h>
#include <string.h>
#include <unistd.h>

/* RIFF sizes are 32-bit; keep room for the header and chunks around the data. */
#define WAV_MAX_DATA_BYTES (G_GUINT64_CONSTANT (0xFFFFFFFF) - 65536)

struct AlAudioReader {
  SNDFILE *sf;
  SF_INFO info;
  char *name; /* basename, for messages */
};

struct AlAudioWriter {
  SNDFILE *sf;
  char *path;
  char *tmp;
  int nchannels;
  gboolean failed; /* a write failed: the file must not be committed */
};

AlAudio *
al_audio_new (double fs, int nchannels, gint64 nframes)
{
  g_return_val_if_fail (nchannels > 0 && nframes >= 0, NULL);
  AlAudio *audio = g_new0 (AlAudio, 1);
  audio->fs = fs;
  audio->nchannels = nchannels;
  audio->nframes = nframes;
  audio->data = g_new0 (float, MAX ((gsize) nframes * nchannels, 1));
  return audio;
}

void
al_audio_free (AlAudio *audio)
{
  if (audio == NULL)
    return;
  g_free (audio->data);
  g_free (audio);
}

/* ---- Reading ---- */

AlAudioReader *
al_audio_reader_open (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_autofree char *name = g_path_get_basename (path);
  if (g_access (path, R_OK) != 0)
    {
      int saved = errno;
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot open: %s", path, g_strerror (saved));
      return NULL;
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: is a folder, not an audio file", path);
      return NULL;
    }
  SF_INFO info = { 0 };
  SNDFILE *sf = sf_open (path, SFM_READ, &info);
  if (sf == NULL)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: not an audio file libsndfile can read: %s",
                   name, sf_strerror (NULL));
      return NULL;
    }
  if (info.channels < 1 || info.samplerate < 1 || info.frames < 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: invalid header (%d channels at %d Hz)",
                   name, info.channels, info.samplerate);
      sf_close (sf);
      return NULL;
    }
  AlAudioReader *r = g_new0 (AlAudioReader, 1);
  r->sf = sf;
  r->info = info;
  r->name = g_steal_pointer (&name);
  return r;
}

double
al_audio_reader_fs (const AlAudioReader *r)
{
  g_return_val_if_fail (r != NULL, 0);
  return r->info.samplerate;
}

int
al_audio_reader_channels (const AlAudioReader *r)
{
  g_return_val_if_fail (r != NULL, 0);
  return r->info.channels;
}

gint64
al_audio_reader_frames (const AlAudioReader *r)
{
  g_return_val_if_fail (r != NULL, 0);
  return r->info.frames;
}

gint64
al_audio_reader_read (AlAudioReader *r, float *buf, gint64 nframes, GError **error)
{
  g_return_val_if_fail (r != NULL && buf != NULL && nframes >= 0, -1);
  sf_count_t got = sf_readf_float (r->sf, buf, nframes);
  if (got < nframes && sf_error (r->sf) != SF_ERR_NO_ERROR)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot read: %s", r->name, sf_strerror (r->sf));
      return -1;
    }
  return got;
}

int
al_io_audio_reader_format (const AlAudioReader *r)
{
  g_return_val_if_fail (r != NULL, 0);
  return r->info.format;
}

void
al_audio_reader_close (AlAudioReader *r)
{
  if (r == NULL)
    return;
  sf_close (r->sf);
  g_free (r->name);
  g_free (r);
}

AlAudio *
al_audio_read (const char *path, GError **error)
{
  AlAudioReader *r = al_audio_reader_open (path, error);
  if (r == NULL)
    return NULL;
  gint64 frames = r->info.frames;
  int nch = r->info.channels;
  /* A file too long for memory is an error, not an abort. */
  float *data = frames > 0 && (guint64) frames < G_MAXSIZE / sizeof (float) / nch
                  ? g_try_malloc_n ((gsize) frames * nch, sizeof (float))
                  : frames == 0 ? g_new0 (float, nch) : NULL;
  if (data == NULL)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_UNSUPPORTED, "%s: %" G_GINT64_FORMAT " frames of %d channels "
                   "are too many to load into memory", r->name, frames, nch);
      al_audio_reader_close (r);
      return NULL;
    }
  gint64 done = 0;
  while (done < frames)
    {
      gint64 got = al_audio_reader_read (r, data + (gsize) done * nch, frames - done, error);
      if (got < 0)
        {
          g_free (data);
          al_audio_reader_close (r);
          return NULL;
        }
      if (got == 0)
        break; /* the header promised more than the file holds: keep what is there */
      done += got;
    }
  AlAudio *audio = g_new0 (AlAudio, 1);
  audio->fs = r->info.samplerate;
  audio->nchannels = nch;
  audio->nframes = done;
  audio->data = data;
  al_audio_reader_close (r);
  return audio;
}

/* ---- Writing ---- */

/* `nframes` < 0: unknown length (streaming), so .wav is written as RF64
 * that libsndfile turns into plain WAVE (extensible) when it stays under 4 GB. */
static gboolean
format_for_path (const char *path, int nchannels, gint64 nframes, int *format, GError **error)
{
  g_autofree char *name = g_path_get_basename (path);
  const char *dot = strrchr (name, '.');
  g_autofree char *suffix = g_ascii_strdown (dot ? dot : "", -1);
  if (strcmp (suffix, ".wav") == 0)
    {
      if (nframes < 0 || (guint64) nframes * nchannels * sizeof (float) > WAV_MAX_DATA_BYTES)
        *format = SF_FORMAT_RF64 | SF_FORMAT_FLOAT;
      else if (nchannels > 2)
        *format = SF_FORMAT_WAVEX | SF_FORMAT_FLOAT;
      else
        *format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
      return TRUE;
    }
  if (strcmp (suffix, ".caf") == 0)
    {
      *format = SF_FORMAT_CAF | SF_FORMAT_FLOAT;
      return TRUE;
    }
  if (strcmp (suffix, ".flac") == 0)
    {
      if (nchannels > 8)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_UNSUPPORTED,
                       "%s: FLAC holds at most 8 channels, not %d (use .wav or .caf)", path, nchannels);
          return FALSE;
        }
      *format = SF_FORMAT_FLAC | SF_FORMAT_PCM_24;
      return TRUE;
    }
  g_set_error (error, AL_ERROR, AL_ERROR_UNSUPPORTED,
               "%s: unknown audio file suffix \"%s\" (use .wav, .caf or .flac)", path, dot ? dot : "");
  return FALSE;
}

static AlAudioWriter *
writer_open (const char *path, double fs, int nchannels, gint64 nframes, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  if (nchannels < 1)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "%s: cannot write %d channels", path, nchannels);
      return NULL;
    }
  if (!(fs >= 1 && fs <= INT_MAX && fs == floor (fs)))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "%s: sample rate %g Hz cannot be stored (a whole number of hertz is needed)", path, fs);
      return NULL;
    }
  SF_INFO info = { .samplerate = (int) fs, .channels = nchannels };
  if (!format_for_path (path, nchannels, nframes, &info.format, error))
    return NULL;
  if (!sf_format_check (&info))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_UNSUPPORTED, "%s: libsndfile cannot write %d channels at %d Hz "
                   "in this format", path, nchannels, info.samplerate);
      return NULL;
    }
  g_autofree char *tmp = al_temp_path_for (path);
  SNDFILE *sf = sf_open (tmp, SFM_WRITE, &info);
  if (sf == NULL)
    {
      g_autofree char *dir = g_path_get_dirname (path);
      const char *why = g_access (dir, W_OK) != 0 ? g_strerror (errno) : sf_strerror (NULL);
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot write: %s", path, why);
      al_discard_temp_file (tmp);
      return NULL;
    }
  if ((info.format & SF_FORMAT_SUBMASK) != SF_FORMAT_FLOAT)
    sf_command (sf, SFC_SET_CLIPPING, NULL, SF_TRUE); /* wrap-around would turn overs into loud clicks */
  if ((info.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_RF64 && nframes < 0)
    sf_command (sf, SFC_RF64_AUTO_DOWNGRADE, NULL, SF_TRUE);
  AlAudioWriter *w = g_new0 (AlAudioWriter, 1);
  w->sf = sf;
  w->path = g_strdup (path);
  w->tmp = g_steal_pointer (&tmp);
  w->nchannels = nchannels;
  return w;
}

AlAudioWriter *
al_audio_writer_open (const char *path, double fs, int nchannels, GError **error)
{
  return writer_open (path, fs, nchannels, -1, error);
}

gboolean
al_audio_writer_write (AlAudioWriter *w, const float *buf, gint64 nframes, GError **error)
{
  g_return_val_if_fail (w != NULL && (buf != NULL || nframes == 0) && nframes >= 0, FALSE);
  if (w->failed)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: an earlier write failed", w->path);
      return FALSE;
    }
  g_autofree char *what = g_strdup_printf ("%s: audio samples", w->path);
  if (!al_check_finite_float (buf, (size_t) nframes * w->nchannels, what, error))
    {
      w->failed = TRUE;
      return FALSE;
    }
  sf_count_t done = sf_writef_float (w->sf, buf, nframes);
  if (done != nframes)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot write: %s", w->path, sf_strerror (w->sf));
      w->failed = TRUE;
      return FALSE;
    }
  return TRUE;
}

gboolean
al_audio_writer_finish (AlAudioWriter *w, gboolean commit, GError **error)
{
  g_return_val_if_fail (w != NULL, FALSE);
  gboolean ok = TRUE;
  int status = sf_close (w->sf);
  if (commit && w->failed)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: not written because an earlier write failed", w->path);
      ok = FALSE;
    }
  else if (commit && status != 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot finish writing: %s", w->path, sf_error_number (status));
      ok = FALSE;
    }
  if (commit && ok)
    ok = al_commit_temp_file (w->tmp, w->path, error);
  else
    al_discard_temp_file (w->tmp);
  g_free (w->path);
  g_free (w->tmp);
  g_free (w);
  return ok;
}

gboolean
al_audio_write (const char *path, const AlAudio *audio, GError **error)
{
  g_return_val_if_fail (path != NULL && audio != NULL && audio->nframes >= 0, FALSE);
  AlAudioWriter *w = writer_open (path, audio->fs, audio->nchannels, audio->nframes, error);
  if (w == NULL)
    return FALSE;
  if (!al_audio_writer_write (w, audio->data, audio->nframes, error))
    {
      al_audio_writer_finish (w, FALSE, NULL);
      return FALSE;
    }
  return al_audio_writer_finish (w, TRUE, error);
}

gboolean
al_audio_writer_set_comment (AlAudioWriter *w, const char *text)
{
  /* WAV keeps it in a LIST/INFO chunk; formats without text fields refuse. */
  return sf_set_string (w->sf, SF_STR_COMMENT, text) == 0;
}

char *
al_audio_reader_comment (AlAudioReader *r)
{
  const char *text = sf_get_string (r->sf, SF_STR_COMMENT);
  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}
