/* al-map-track-write.c — power maps over time and DOA tracks as files: the
 * tracks as CSV, the maps as raw float32 with a JSON description, and
 * figures of a few frames and of the tracks (al-map-track.h lists them).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-map-track.h"
#include "io/al-io.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#define MAP_WIDTH 480.0
#define MAP_HEIGHT 300.0
#define TRACK_WIDTH 520.0
#define TRACK_HEIGHT 400.0

static const char *const file_names[] = {
  "doa_tracks.csv", "doa_intensity.csv", "maps.json", "maps.f32", "frame_first.png", "frame_middle.png",
  "frame_last.png", "doa_tracks.png", "doa_tracks.pdf", NULL
};

const char *const *
al_map_track_file_names (void)
{
  return file_names;
}

static gboolean
write_text (const char *dir, const char *name, const GString *text, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  return al_write_file_atomic (path, text->str, text->len, error);
}

/* %.6g would print "1e+02"; CSVs get plain decimals in the C locale. */
static void
append_number (GString *s, const char *fmt, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append (s, g_ascii_formatd (buf, sizeof buf, fmt, v));
}

static gboolean
write_tracks_csv (const AlMapTrack *mt, const char *dir, GError **error)
{
  g_autoptr (GString) s = g_string_new ("time_s,track,azimuth_deg,elevation_deg,power_db\n");
  for (int f = 0; f < mt->nframes; f++)
    for (int k = 0; k < mt->npeaks[f]; k++)
      {
        const AlDoa *p = &mt->peaks[(gsize) f * mt->max_peaks + k];
        append_number (s, "%.4f", mt->times[f]);
        g_string_append_printf (s, ",%d,", mt->track_of[(gsize) f * mt->max_peaks + k]);
        append_number (s, "%.3f", AL_RAD2DEG (remainder (p->azimuth, 2 * G_PI)));
        g_string_append_c (s, ',');
        append_number (s, "%.3f", AL_RAD2DEG (p->elevation));
        g_string_append_c (s, ',');
        append_number (s, "%.3f", 10 * log10 (MAX (p->power, 1e-300)));
        g_string_append_c (s, '\n');
      }
  return write_text (dir, "doa_tracks.csv", s, error);
}

static gboolean
write_intensity_csv (const AlMapTrack *mt, const char *dir, GError **error)
{
  g_autoptr (GString) s = g_string_new ("time_s,azimuth_deg,elevation_deg,diffuseness\n");
  for (int f = 0; mt->has_intensity && f < mt->nframes; f++)
    {
      const AlDoa *d = &mt->intensity[f];
      if (!isfinite (d->azimuth))
        continue;
      append_number (s, "%.4f", mt->times[f]);
      g_string_append_c (s, ',');
      append_number (s, "%.3f", AL_RAD2DEG (remainder (d->azimuth, 2 * G_PI)));
      g_string_append_c (s, ',');
      append_number (s, "%.3f", AL_RAD2DEG (d->elevation));
      g_string_append_c (s, ',');
      append_number (s, "%.4f", mt->diffuseness[f]);
      g_string_append_c (s, '\n');
    }
  return write_text (dir, "doa_intensity.csv", s, error);
}

static gboolean
write_maps_f32 (const AlMapTrack *mt, const char *dir, GError **error)
{
  gsize n = (gsize) mt->nframes * mt->ndirs;
  g_autofree guint32 *le = g_new (guint32, MAX (n, 1));
  /* Little-endian whatever the host, as maps.json says. */
  for (gsize i = 0; i < n; i++)
    {
      guint32 bits;
      memcpy (&bits, &mt->power[i], sizeof bits);
      le[i] = GUINT32_TO_LE (bits);
    }
  g_autofree char *path = g_build_filename (dir, "maps.f32", NULL);
  return al_write_file_atomic (path, le, n * sizeof (guint32), error);
}

static void
member_double (JsonBuilder *b, const char *name, double v)
{
  json_builder_set_member_name (b, name);
  if (isfinite (v))
    json_builder_add_double_value (b, v);
  else
    json_builder_add_null_value (b);
}

static void
member_int (JsonBuilder *b, const char *name, gint64 v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, v);
}

static void
member_string (JsonBuilder *b, const char *name, const char *v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, v);
}

static gboolean
write_maps_json (const AlMapTrack *mt, const char *dir, GError **error)
{
  const AlMapTrackOptions *o = &mt->options;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  member_string (b, "format", "ambilab power maps over time");
  member_int (b, "version", 1);
  member_string (b, "method", al_map_method_name (mt->method));
  member_int (b, "order", mt->order);
  member_string (b, "normalisation", al_sh_norm_name (mt->norm));
  member_double (b, "sample_rate_hz", mt->fs);
  json_builder_set_member_name (b, "band_hz");
  if (mt->band_hi > 0)
    {
      json_builder_begin_array (b);
      json_builder_add_double_value (b, mt->band_lo);
      json_builder_add_double_value (b, mt->band_hi);
      json_builder_end_array (b);
    }
  else
    json_builder_add_null_value (b); /* broadband */
  member_double (b, "frame_s", (double) mt->frame_len / mt->fs);
  member_double (b, "hop_s", (double) mt->hop / mt->fs);
  member_int (b, "frame_samples", mt->frame_len);
  member_int (b, "hop_samples", mt->hop);
  if (mt->method == AL_MAP_MVDR)
    member_double (b, "mvdr_loading", o->map.loading > 0 ? o->map.loading : 1e-3);
  if (mt->method == AL_MAP_MUSIC)
    member_int (b, "music_sources", o->map.sources);
  member_int (b, "max_peaks", mt->max_peaks);
  member_double (b, "floor_db", o->floor_db);
  member_double (b, "peak_range_db", o->peak_range_db);
  member_double (b, "gate_deg", round (AL_RAD2DEG (o->gate) * 1e6) / 1e6);
  member_int (b, "max_gap_frames", o->max_gap);
  member_int (b, "min_track_frames", o->min_frames);
  member_int (b, "nframes", mt->nframes);
  member_int (b, "ndirs", mt->ndirs);

  json_builder_set_member_name (b, "data");
  json_builder_begin_object (b);
  member_string (b, "file", "maps.f32");
  member_string (b, "dtype", "float32");
  member_string (b, "byte_order", "little");
  json_builder_set_member_name (b, "shape");
  json_builder_begin_array (b);
  json_builder_add_int_value (b, mt->nframes);
  json_builder_add_int_value (b, mt->ndirs);
  json_builder_end_array (b);
  member_string (b, "layout", "row-major: frame f, direction j at byte offset 4*(f*ndirs + j); no header");
  member_string (b, "unit", mt->method == AL_MAP_MUSIC ? "MUSIC pseudo-spectrum (linear)"
                            : mt->method == AL_MAP_SH ? "SH power, sum over the frame's samples (linear)"
                                                      : "power, sum over the frame's samples (linear)");
  member_double (b, "max", mt->power_max);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "grid");
  json_builder_begin_object (b);
  member_string (b, "name", mt->grid_name);
  json_builder_set_member_name (b, "directions_deg");
  json_builder_begin_array (b);
  for (int j = 0; j < mt->ndirs; j++)
    {
      json_builder_begin_array (b);
      json_builder_add_double_value (b, AL_RAD2DEG (mt->dirs[2 * j]));
      json_builder_add_double_value (b, AL_RAD2DEG (mt->dirs[2 * j + 1]));
      json_builder_end_array (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "times_s");
  json_builder_begin_array (b);
  for (int f = 0; f < mt->nframes; f++)
    json_builder_add_double_value (b, mt->times[f]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "frame_energy");
  json_builder_begin_array (b);
  for (int f = 0; f < mt->nframes; f++)
    json_builder_add_double_value (b, mt->energy[f]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "active");
  json_builder_begin_array (b);
  for (int f = 0; f < mt->nframes; f++)
    json_builder_add_boolean_value (b, mt->active[f]);
  json_builder_end_array (b);

  json_builder_set_member_name (b, "tracks");
  json_builder_begin_array (b);
  for (int i = 0; i < mt->ntracks; i++)
    {
      const AlDoaTrack *tr = &mt->tracks[i];
      json_builder_begin_object (b);
      member_int (b, "id", tr->id);
      member_double (b, "start_s", mt->times[tr->first]);
      member_double (b, "end_s", mt->times[tr->last]);
      member_int (b, "points", tr->npoints);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autofree char *path = g_build_filename (dir, "maps.json", NULL);
  return al_json_write (path, root, error);
}

static gboolean
write_frame_png (const AlMapTrack *mt, int frame, const char *dir, const char *name, GError **error)
{
  g_autoptr (AlSphereMap) map = al_map_track_sphere_map (mt, frame, 0);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  return al_sphere_map_export (map, path, MAP_WIDTH, MAP_HEIGHT, error);
}

gboolean
al_map_track_write (const AlMapTrack *mt, const char *dir, GError **error)
{
  g_return_val_if_fail (mt != NULL && dir != NULL, FALSE);
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot create folder: %s", dir, g_strerror (saved));
      return FALSE;
    }
  if (!write_tracks_csv (mt, dir, error) || !write_intensity_csv (mt, dir, error)
      || !write_maps_f32 (mt, dir, error) || !write_maps_json (mt, dir, error)
      || !write_frame_png (mt, 0, dir, "frame_first.png", error)
      || !write_frame_png (mt, mt->nframes / 2, dir, "frame_middle.png", error)
      || !write_frame_png (mt, mt->nframes - 1, dir, "frame_last.png", error))
    return FALSE;
  g_autoptr (AlDoaTrackPlot) plot = al_doa_track_plot_new (mt, NULL);
  g_autofree char *png = g_build_filename (dir, "doa_tracks.png", NULL);
  g_autofree char *pdf = g_build_filename (dir, "doa_tracks.pdf", NULL);
  return al_doa_track_plot_export (plot, png, TRACK_WIDTH, TRACK_HEIGHT, 0, error)
         && al_doa_track_plot_export (plot, pdf, TRACK_WIDTH, TRACK_HEIGHT, 0, error);
}
