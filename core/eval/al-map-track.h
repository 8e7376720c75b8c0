/* al-map-track.h — spatial power maps over time and DOA tracks for
 * recordings without ground truth (DESIGN.md §5 items 4 and 10): any SH
 * signals (an encoder's output, an Ambisonics file) are cut into frames,
 * each frame gets a power map on a Fibonacci grid, its strongest peaks and
 * (first order and up) the active-intensity DOA, and the peaks are linked
 * across frames into tracks.
 *
 * The maps are kept as one float block (frames x directions) so a time
 * slider can show any frame at once; figures of one frame (a sphere map
 * with the DOA markers) and of the tracks (azimuth and elevation over time)
 * are made from it.
 *
 * Directions are (azimuth, elevation) in radians (DESIGN.md §3); times in
 * seconds from the start of the sound field (the signals' latency is
 * skipped, as al_power_map_new does).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "al-metrics.h"

G_BEGIN_DECLS

typedef struct {
  AlMapOptions map;       /* method (default AL_MAP_PWD), band (default broadband), MVDR loading,
                           * MUSIC subspace (sources <= 0: max_peaks), STFT of the band covariance */
  double frame_s, hop_s;  /* frame length and hop, s; default 0.1 and 0.05 */
  int grid;               /* Fibonacci directions; default AL_METRICS_DEFAULT_GRID, at least AL_METRICS_MIN_GRID */
  int max_peaks;          /* K peaks per frame; default 2 */
  double min_separation;  /* rad between peaks of one frame; <= 0: 20° */
  double floor_db;        /* a frame whose energy lies more than floor_db below the loudest frame's is
                           * quiet: no peaks, no intensity DOA; default 30 */
  double peak_range_db;   /* a peak more than this below the frame's strongest is dropped; for the
                           * beam maps (PWD, SH) a peak's power is first reduced by the side lobes of
                           * the stronger peaks' beams, so a single source gives one peak; default 10 */
  double gate;            /* rad: a peak joins a track only within this angle of its last DOA; default 15° */
  int max_gap;            /* frames a track may miss and still continue; default 2 */
  int min_frames;         /* tracks with fewer points are dropped (their peaks get track 0); default 3 */
} AlMapTrackOptions;

void al_map_track_options_init (AlMapTrackOptions *opt);

typedef struct {
  int id;                 /* 1 … ntracks, in the order the tracks start */
  int first, last;        /* frames of the first and the last point */
  int npoints;            /* frames in which the track has a peak */
} AlDoaTrack;

typedef struct {
  AlMapTrackOptions options;   /* as resolved (defaults filled in) */
  AlMapMethod method;
  int order, nsh;
  AlShNorm norm;               /* of the signals */
  double fs;
  double band_lo, band_hi;     /* Hz; both 0: broadband */
  int frame_len, hop;          /* samples */
  int nframes, ndirs;
  char *grid_name;             /* "fibonacci:2048" */
  double *dirs;                /* ndirs x 2 (rad) */
  double *times;               /* nframes: centre of each frame, s */
  float *power;                /* nframes x ndirs, row-major: the map of frame f starts at
                                * power + f·ndirs; linear map values (al_power_map_new's units),
                                * 0 for a frame without energy */
  float power_max;             /* largest value of all frames (a fixed colour scale for scrubbing) */
  double *energy;              /* nframes: tr R / samples of the frame (band power summed over channels) */
  gboolean *active;            /* nframes: energy within floor_db of the loudest frame */
  int max_peaks;
  int *npeaks;                 /* nframes */
  AlDoa *peaks;                /* nframes x max_peaks, strongest first; npeaks[f] valid */
  int *track_of;               /* nframes x max_peaks: track id of each peak, 0 when in no track */
  gboolean has_intensity;      /* nsh >= 4 */
  AlDoa *intensity;            /* nframes (has_intensity): first-order active-intensity DOA;
                                * NaN angles in quiet frames */
  double *diffuseness;         /* nframes (has_intensity), NaN in quiet frames */
  int ntracks;
  AlDoaTrack *tracks;          /* ntracks; tracks[i].id == i + 1 */
} AlMapTrack;

void al_map_track_free (AlMapTrack *mt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlMapTrack, al_map_track_free)

/* Maps, peaks, intensity DOAs and tracks of b (all channels, (N+1)² of
 * them).  A recording shorter than one frame gives one shorter frame.
 * opt may be NULL (defaults).  progress: one step per frame; cancellable
 * between frames. */
AlMapTrack *al_map_track_new (const AlShSignals *b, const AlMapTrackOptions *opt, AlProgress *progress,
                              GError **error);

/* Links the stored peaks into tracks again with other settings (gate in
 * rad, max_gap and min_frames as in AlMapTrackOptions): no maps are
 * recomputed. */
void al_map_track_relink (AlMapTrack *mt, double gate, int max_gap, int min_frames);

/* The map of one frame: ndirs floats. */
const float *al_map_track_frame (const AlMapTrack *mt, int frame);
/* The frame whose centre is nearest to time_s (clamped to the recording). */
int al_map_track_frame_at (const AlMapTrack *mt, double time_s);
/* DOA of track `id` in `frame`; FALSE when the track has no peak there. */
gboolean al_map_track_point (const AlMapTrack *mt, int id, int frame, AlDoa *doa);

/* ---- Figures ---- */

/* One frame as a sphere map in dB re power_max over [−range_db, 0]
 * (range_db <= 0: 20), with markers at the frame's peaks ("T<id>", or "·"
 * for a peak in no track) and the intensity DOA ("I"). */
AlSphereMap *al_map_track_sphere_map (const AlMapTrack *mt, int frame, double range_db);

/* Azimuth over time above elevation over time, one colour per track (the
 * same colour in both panels; a missed frame breaks the line), the
 * intensity DOA as one more series ("intensity", can be hidden), and a
 * cursor line at the time a slider shows. */
typedef struct AlDoaTrackPlot AlDoaTrackPlot;

/* The tracks are copied; later relinking of mt does not change the plot. */
AlDoaTrackPlot *al_doa_track_plot_new (const AlMapTrack *mt, const char *title);
void al_doa_track_plot_free (AlDoaTrackPlot *plot);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlDoaTrackPlot, al_doa_track_plot_free)
/* Time of the cursor line, s; NaN: none (the default). */
void al_doa_track_plot_set_cursor (AlDoaTrackPlot *plot, double time_s);
void al_doa_track_plot_set_show_intensity (AlDoaTrackPlot *plot, gboolean show); /* default TRUE */
void al_doa_track_plot_draw (AlDoaTrackPlot *plot, cairo_t *cr, double width, double height,
                             const AlPlotStyle *style);
/* Time under a point of the last draw (for scrubbing by clicking); FALSE outside both panels. */
gboolean al_doa_track_plot_to_time (const AlDoaTrackPlot *plot, double px, double py, double *time_s);
/* Suffix picks PNG/SVG/PDF; width/height in points; dpi <= 0: 150. */
gboolean al_doa_track_plot_export (AlDoaTrackPlot *plot, const char *path, double width, double height,
                                   double dpi, GError **error);

/* ---- Files ----
 * Into dir (created):
 *   doa_tracks.csv    time_s,track,azimuth_deg,elevation_deg,power_db — one row per peak, frames in
 *                     order, strongest first; track 0: a peak in no track; power_db = 10 log10 of
 *                     the map value at the peak
 *   doa_intensity.csv time_s,azimuth_deg,elevation_deg,diffuseness — one row per active frame
 *                     (just the header for zeroth-order signals)
 *   maps.json         settings, grid (directions_deg: ndirs x [az, el]), times_s, frame energy,
 *                     tracks and the layout of maps.f32
 *   maps.f32          raw little-endian float32, nframes x ndirs, row-major: the value of frame f
 *                     at direction j is at byte 4·(f·ndirs + j); nothing else in the file
 *   frame_first.png, frame_middle.png, frame_last.png   sphere maps of those frames
 *   doa_tracks.png, doa_tracks.pdf
 * Every file is written atomically. */
gboolean al_map_track_write (const AlMapTrack *mt, const char *dir, GError **error);
/* The names above, NULL-terminated (for overwrite checks before the work). */
const char *const *al_map_track_file_names (void);

G_END_DECLS
