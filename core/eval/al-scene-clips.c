/* al-scene-clips.c — dry sources for simulated scenes: audio files from a
 * folder, or the system's sounds (/usr/share/sounds/alsa), or speech made
 * with espeak-ng, all at the ATF set's sample rate.  Shared by the CLI's
 * scene commands and the Evaluate page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-scene-eval.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "io/al-io.h"
#include "measure/al-measure.h"

#define ALSA_SOUNDS "/usr/share/sounds/alsa"

static const char *const espeak_lines[] = {
  "The quick brown fox jumps over the lazy dog.",
  "Spatial audio needs a careful look at every channel.",
  "Please measure the array again after lunch.",
  "Seven small microphones sit on the frame of the glasses.",
};

void
al_scene_clips_clear (AlSceneClips *clips)
{
  g_clear_pointer (&clips->audio, g_ptr_array_unref);
  g_clear_pointer (&clips->names, g_ptr_array_unref);
}

static void
clips_init (AlSceneClips *clips)
{
  clips->audio = g_ptr_array_new_with_free_func ((GDestroyNotify) al_audio_free);
  clips->names = g_ptr_array_new_with_free_func (g_free);
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

static gboolean
load_folder (AlSceneClips *clips, const char *dir, double fs, const char *atf_name, gboolean resample,
             GError **error)
{
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: no such folder of dry audio clips", dir);
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
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "%s: no audio files (.wav, .flac, .ogg, .caf, .aiff) to use as dry clips", dir);
      return FALSE;
    }
  /* Sorted, so the clip indices in scene JSON do not depend on the file system. */
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
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "%s: the clip is empty", path);
          return FALSE;
        }
      if (fabs (a->fs - fs) > 1e-6 * fs)
        {
          if (!resample)
            {
              g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH, "%s is at %g Hz but %s is at %g Hz", path, a->fs,
                           atf_name, fs);
              al_audio_free (a);
              return FALSE;
            }
          /* System sounds only: band-limited resampling of the mean channel. */
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
          al_audio_free (a);
          a = r;
        }
      g_ptr_array_add (clips->audio, a);
      g_ptr_array_add (clips->names, g_strdup (name));
    }
  return TRUE;
}

static gboolean
load_espeak (AlSceneClips *clips, double fs, const char *atf_name, GError **error)
{
  g_autofree char *espeak = g_find_program_in_path ("espeak-ng");
  if (espeak == NULL)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO,
                   "no dry audio clips: %s is missing and espeak-ng is not installed; pass --clips DIR",
                   ALSA_SOUNDS);
      return FALSE;
    }
  g_autofree char *tmp = g_dir_make_tmp ("ambilab-espeak-XXXXXX", error);
  if (tmp == NULL)
    return FALSE;
  gboolean ok = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (espeak_lines) && ok; i++)
    {
      g_autofree char *wav = g_strdup_printf ("%s/espeak-%u.wav", tmp, i);
      const char *argv[] = { espeak, "-w", wav, espeak_lines[i], NULL };
      int status = 0;
      ok = g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                         NULL, NULL, NULL, &status, error)
           && g_spawn_check_wait_status (status, error);
    }
  ok = ok && load_folder (clips, tmp, fs, atf_name, TRUE, error);
  for (guint i = 0; i < G_N_ELEMENTS (espeak_lines); i++)
    {
      g_autofree char *wav = g_strdup_printf ("%s/espeak-%u.wav", tmp, i);
      g_unlink (wav);
    }
  g_rmdir (tmp);
  return ok;
}

gboolean
al_scene_clips_load (AlSceneClips *clips, const char *dir, double fs, const char *atf_name, GError **error)
{
  if (atf_name == NULL)
    atf_name = "the ATF set";
  clips_init (clips);
  gboolean ok;
  if (dir != NULL)
    ok = load_folder (clips, dir, fs, atf_name, FALSE, error);
  else if (g_file_test (ALSA_SOUNDS, G_FILE_TEST_IS_DIR))
    ok = load_folder (clips, ALSA_SOUNDS, fs, atf_name, TRUE, error);
  else
    ok = load_espeak (clips, fs, atf_name, error);
  if (!ok)
    al_scene_clips_clear (clips);
  return ok;
}

