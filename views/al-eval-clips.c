/* al-eval-clips.c — dry clips for scene evaluation, as ambilab-cli loads
 * them (app/cli/cmd-scenes-common.c; views cannot link the CLI).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "al-eval-clips.h"
#include "io/al-io.h"
#include "measure/al-measure.h"

void
al_eval_clips_clear (AlEvalClips *clips)
{
  g_clear_pointer (&clips->audio, g_ptr_array_unref);
  g_clear_pointer (&clips->names, g_ptr_array_unref);
}

static gboolean
is_audio_name (const char *name)
{
  static const char *const suffixes[] = { ".wav", ".flac", ".ogg", ".caf", ".aiff", ".aif" };
  g_autofree char *lower = g_ascii_strdown (name, -1);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (lower, suffixes[i]))
      return TRUE;
  return FALSE;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Band-limited resampling of the mean channel, as the CLI does for system sounds. */
static AlAudio *
resample_mono (AlAudio *a, double fs)
{
  const double factor = fs / a->fs;
  const int nx = (int) a->nframes, ny = (int) floor (nx * factor);
  g_autofree double *x = g_new0 (double, nx);
  g_autofree double *y = g_new (double, ny);
  for (int t = 0; t < nx; t++)
    for (int c = 0; c < a->nchannels; c++)
      x[t] += a->data[(gsize) t * a->nchannels + c] / a->nchannels;
  al_time_scale (x, nx, factor, y, ny);
  AlAudio *r = al_audio_new (fs, 1, ny);
  for (int t = 0; t < ny; t++)
    r->data[t] = (float) y[t];
  return r;
}

gboolean
al_eval_clips_load (AlEvalClips *clips, const char *dir, double fs, GError **error)
{
  const gboolean system = dir == NULL;
  if (system)
    dir = AL_EVAL_CLIPS_SYSTEM_DIR;
  clips->audio = g_ptr_array_new_with_free_func ((GDestroyNotify) al_audio_free);
  clips->names = g_ptr_array_new_with_free_func (g_free);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("%s: no such folder of dry audio clips"), dir);
      return FALSE;
    }
  g_autoptr (GDir) d = g_dir_open (dir, 0, error);
  if (d == NULL)
    return FALSE;
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  for (const char *name = g_dir_read_name (d); name != NULL; name = g_dir_read_name (d))
    if (is_audio_name (name))
      g_ptr_array_add (files, g_strdup (name));
  if (files->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s: no audio files (.wav, .flac, .ogg, .caf, .aiff) to use as dry clips"), dir);
      return FALSE;
    }
  g_ptr_array_sort (files, compare_names);
  for (guint i = 0; i < files->len; i++)
    {
      const char *name = g_ptr_array_index (files, i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      AlAudio *a = al_audio_read (path, error);
      if (a == NULL)
        return FALSE;
      if (a->nframes <= 0)
        {
          al_audio_free (a);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("%s: the clip is empty"), path);
          return FALSE;
        }
      if (fabs (a->fs - fs) > 1e-6 * fs)
        {
          if (!system)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("%s is at %g Hz but the array's transfer functions are at %g Hz"), path, a->fs, fs);
              al_audio_free (a);
              return FALSE;
            }
          AlAudio *r = resample_mono (a, fs);
          al_audio_free (a);
          a = r;
        }
      g_ptr_array_add (clips->audio, a);
      g_ptr_array_add (clips->names, g_strdup (name));
    }
  return TRUE;
}
