/* al-describe.c — short human-readable summaries of SOFA and audio files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-io-private.h"

#include <math.h>
#include <sndfile.h>
#include <stdlib.h>

#define MAX_LISTED_RECEIVERS 16
#define MAX_PEAK_CHANNELS 8

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* Azimuth in degrees in [0, 360). */
static double
azimuth_deg (double az)
{
  double d = fmod (AL_RAD2DEG (az), 360.0);
  d = d < 0 ? d + 360.0 : d;
  return d >= 360.0 - 5e-10 ? 0.0 : d;
}

char *
al_describe_sofa (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  AlSofaInfo info = { 0 };
  g_autoptr (AlAtfSet) set = al_sofa_read_with_info (path, &info, error);
  if (set == NULL)
    return NULL;
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, "%s: SOFA %s %s, %s\n", set->source, info.conventions,
                          info.conventions_version ? info.conventions_version : "(no version)",
                          info.data_type ? info.data_type : "FIR");
  if (set->title != NULL)
    g_string_append_printf (s, "Title: %s\n", set->title);
  g_string_append_printf (s, "%d measurements (M), %d receivers (R), %d samples (N)\n",
                          set->ndirs, set->nmics, set->ir_len);
  g_string_append_printf (s, "Sampling rate %g Hz, IR length %.2f ms", set->fs, 1000.0 * set->ir_len / set->fs);
  if (info.max_delay > 0)
    g_string_append_printf (s, " (including Data.Delay of up to %d samples)", info.max_delay);
  g_string_append_c (s, '\n');

  /* Direction coverage; elevations within 0.01° count as one ring. */
  int M = set->ndirs;
  g_autofree double *el = g_new (double, M);
  /* Azimuths in [0, 360) and in [-180, 180): whichever gives the narrower
   * range, so that a frontal sector reads "-30° … 30°". */
  double az_min = G_MAXDOUBLE, az_max = -G_MAXDOUBLE, d_min = G_MAXDOUBLE, d_max = -G_MAXDOUBLE;
  double az2_min = G_MAXDOUBLE, az2_max = -G_MAXDOUBLE;
  for (int m = 0; m < M; m++)
    {
      double az = azimuth_deg (set->dirs[2 * m]);
      double az2 = az >= 180.0 ? az - 360.0 : az;
      az_min = MIN (az_min, az);
      az_max = MAX (az_max, az);
      az2_min = MIN (az2_min, az2);
      az2_max = MAX (az2_max, az2);
      el[m] = AL_RAD2DEG (set->dirs[2 * m + 1]);
      d_min = MIN (d_min, set->dist[m]);
      d_max = MAX (d_max, set->dist[m]);
    }
  if (az2_max - az2_min < az_max - az_min - 1e-9)
    {
      az_min = az2_min;
      az_max = az2_max;
    }
  qsort (el, M, sizeof (double), compare_doubles);
  int rings = 1;
  for (int m = 1; m < M; m++)
    rings += el[m] - el[m - 1] > 0.01;
  g_string_append_printf (s, "Directions: azimuth %.1f° … %.1f°, elevation %.1f° … %.1f° "
                          "(%d distinct elevation%s)\n",
                          az_min, az_max, el[0], el[M - 1], rings, rings == 1 ? "" : "s");
  if (d_max - d_min < 5e-4)
    g_string_append_printf (s, "Source distance %.3f m\n", d_min);
  else
    g_string_append_printf (s, "Source distance %.3f … %.3f m\n", d_min, d_max);

  g_string_append (s, "Receiver positions (x, y, z in m):\n");
  for (int r = 0; r < set->nmics && r < MAX_LISTED_RECEIVERS; r++)
    {
      const double *p = set->mic_pos + 3 * r;
      g_string_append_printf (s, "  %d: %.4f, %.4f, %.4f\n", r + 1, p[0], p[1], p[2]);
    }
  if (set->nmics > MAX_LISTED_RECEIVERS)
    g_string_append_printf (s, "  … and %d more\n", set->nmics - MAX_LISTED_RECEIVERS);
  al_sofa_info_clear (&info);
  return g_string_free (s, FALSE);
}

static const char *
format_name (int format)
{
  SF_FORMAT_INFO fi = { .format = format };
  if (sf_command (NULL, SFC_GET_FORMAT_INFO, &fi, sizeof fi) != 0 || fi.name == NULL)
    return "unknown";
  return fi.name;
}

char *
al_describe_audio (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_autofree char *name = g_path_get_basename (path);
  AlAudioReader *r = al_audio_reader_open (path, error);
  if (r == NULL)
    return NULL;
  int nch = al_audio_reader_channels (r);
  double fs = al_audio_reader_fs (r);
  gint64 frames = al_audio_reader_frames (r);
  int format = al_io_audio_reader_format (r);

  int npeak = MIN (nch, MAX_PEAK_CHANNELS);
  double peak[MAX_PEAK_CHANNELS] = { 0 };
  enum { CHUNK = 16384 };
  g_autofree float *buf = g_new (float, (gsize) CHUNK * nch);
  gint64 got;
  while ((got = al_audio_reader_read (r, buf, CHUNK, error)) > 0)
    for (gint64 i = 0; i < got; i++)
      for (int c = 0; c < npeak; c++)
        peak[c] = MAX (peak[c], fabs (buf[i * nch + c]));
  g_autofree char *comment = al_audio_reader_comment (r);
  al_audio_reader_close (r);
  if (got < 0)
    return NULL;

  GString *s = g_string_new (NULL);
  g_string_append_printf (s, "%s: %s, %s\n", name, format_name (format & SF_FORMAT_TYPEMASK),
                          format_name (format & SF_FORMAT_SUBMASK));
  g_string_append_printf (s, "%d channel%s, %g Hz, %" G_GINT64_FORMAT " frames (%.3f s)\n",
                          nch, nch == 1 ? "" : "s", fs, frames, frames / fs);
  if (comment != NULL)
    g_string_append_printf (s, "%s\n", comment);
  g_string_append (s, nch > MAX_PEAK_CHANNELS ? "Peak level (dBFS, first 8 channels):" : "Peak level (dBFS):");
  for (int c = 0; c < npeak; c++)
    {
      if (peak[c] > 0)
        g_string_append_printf (s, " %d: %.1f%s", c + 1, 20 * log10 (peak[c]), c + 1 < npeak ? "," : "");
      else
        g_string_append_printf (s, " %d: silent%s", c + 1, c + 1 < npeak ? "," : "");
    }
  g_string_append_c (s, '\n');
  return g_string_free (s, FALSE);
}
