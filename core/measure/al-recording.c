/* al-recording.c — planar multichannel recordings: conversion from and to
 * interleaved audio files, and synchronous averaging of repeated sweeps.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-measure-private.h"

#include <string.h>

AlRecording *
al_recording_new (double fs, int nchannels, int nframes)
{
  g_return_val_if_fail (nchannels >= 1 && nframes >= 0, NULL);

  AlRecording *rec = g_new0 (AlRecording, 1);
  rec->fs = fs;
  rec->nchannels = nchannels;
  rec->nframes = nframes;
  rec->data = g_new0 (float, (size_t) nchannels * MAX (nframes, 1));
  return rec;
}

AlRecording *
al_recording_copy (const AlRecording *rec)
{
  g_return_val_if_fail (rec != NULL, NULL);
  AlRecording *copy = al_recording_new (rec->fs, rec->nchannels, rec->nframes);
  memcpy (copy->data, rec->data, sizeof (float) * rec->nchannels * (size_t) rec->nframes);
  return copy;
}

void
al_recording_free (AlRecording *rec)
{
  if (rec == NULL)
    return;
  g_free (rec->data);
  g_free (rec);
}

AlRecording *
al_recording_from_audio (const AlAudio *audio, GError **error)
{
  g_return_val_if_fail (audio != NULL, NULL);

  if (audio->nchannels < 1 || audio->nframes < 0 || audio->nframes > G_MAXINT / 2)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "recording: %d channels of %" G_GINT64_FORMAT " frames cannot be processed",
                   audio->nchannels, audio->nframes);
      return NULL;
    }
  AlRecording *rec = al_recording_new (audio->fs, audio->nchannels, (int) audio->nframes);
  for (int c = 0; c < rec->nchannels; c++)
    {
      float *dst = al_recording_channel (rec, c);
      for (int i = 0; i < rec->nframes; i++)
        dst[i] = audio->data[(size_t) i * rec->nchannels + c];
    }
  return rec;
}

AlAudio *
al_recording_to_audio (const AlRecording *rec)
{
  g_return_val_if_fail (rec != NULL, NULL);

  AlAudio *audio = al_audio_new (rec->fs, rec->nchannels, rec->nframes);
  for (int c = 0; c < rec->nchannels; c++)
    {
      const float *src = al_recording_channel (rec, c);
      for (int i = 0; i < rec->nframes; i++)
        audio->data[(size_t) i * rec->nchannels + c] = src[i];
    }
  return audio;
}

AlRecording *
al_recording_average (AlRecording *const *recs, int n, GError **error)
{
  g_return_val_if_fail (recs != NULL || n == 0, NULL);

  if (n < 1)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "averaging: no recordings");
      return NULL;
    }
  const AlRecording *a = recs[0];
  for (int r = 1; r < n; r++)
    {
      const AlRecording *b = recs[r];
      if (b->fs != a->fs || b->nchannels != a->nchannels || b->nframes != a->nframes)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH,
                       "averaging: repeat %d is %d channels x %d frames at %g Hz but repeat 1 is "
                       "%d x %d at %g Hz", r + 1, b->nchannels, b->nframes, b->fs,
                       a->nchannels, a->nframes, a->fs);
          return NULL;
        }
    }

  size_t total = (size_t) a->nchannels * a->nframes;
  g_autofree double *sum = g_new0 (double, MAX (total, 1));
  for (int r = 0; r < n; r++)
    for (size_t i = 0; i < total; i++)
      sum[i] += recs[r]->data[i];
  AlRecording *avg = al_recording_new (a->fs, a->nchannels, a->nframes);
  for (size_t i = 0; i < total; i++)
    avg->data[i] = (float) (sum[i] / n);
  return avg;
}
