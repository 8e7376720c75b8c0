/* al-metrics.h — metrics of Ambisonics signals (DESIGN.md §5 items 1–8, 10):
 * an estimate (an encoder's output) against a reference (the ideal
 * encoding), spatial power maps, DOA estimates and localisation error, and
 * the evaluation figures built from them.
 *
 * Signals are planar SH signals, float or double, in ACN order with their
 * sample rate, normalisation and latency (AlShSignals).  Comparisons align
 * the two by their latencies (DESIGN.md §3), convert the estimate into the
 * reference's normalisation and fail with AL_ERROR_MISMATCH naming what
 * differs (channel count, length, sample rate).
 *
 * The relative floor ε = 1e-12 of DESIGN.md §5 bounds the ratios in dB:
 * SI-SDR lies in [−120, +120] dB and SPME is >= −120 dB, so identical
 * signals give finite numbers that JSON can hold.
 *
 * Shapes are written as "rows x cols, row-major".  Directions are
 * (azimuth, elevation) in radians (DESIGN.md §3).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "base/al-base.h"
#include "plot/al-plot.h"
#include "sh/al-sh.h"

G_BEGIN_DECLS

/* The relative floor of DESIGN.md §5. */
#define AL_METRICS_EPS 1e-12
/* Directions of the default power-map grid (Fibonacci); grids must have at
 * least AL_METRICS_MIN_GRID directions (DESIGN.md §5 item 4). */
#define AL_METRICS_DEFAULT_GRID 2048
#define AL_METRICS_MIN_GRID 1296

/* ---- SH signals: a view, nothing is copied or freed. ---- */
typedef struct {
  const float *f32;     /* nch x nsamples, row-major (planar); exactly one of f32 and f64 is set */
  const double *f64;    /* nch x nsamples, row-major (planar) */
  int nch;              /* ACN channels 0 .. nch-1 */
  gsize nsamples;
  double fs;            /* Hz */
  AlShNorm norm;
  int latency;          /* samples by which the signals lag the sound field (an encoder's
                         * reported latency); comparisons skip them */
  const char *name;     /* for error messages (e.g. the file); NULL: "estimate", "reference", "signals" */
} AlShSignals;

AlShSignals al_sh_signals_float (const float *x, int nch, gsize nsamples, double fs, AlShNorm norm);
AlShSignals al_sh_signals_double (const double *x, int nch, gsize nsamples, double fs, AlShNorm norm);

/* ---- Settings of the STFT metrics (items 1, 2, 8). ---- */
typedef struct {
  int frame, hop;          /* STFT (periodic Hann); 0: 768/384 at 48 kHz, the same 16/8 ms at other rates */
  double band_lo, band_hi; /* Hz, range of the scalar summaries; <= 0: 50 Hz and fs/2 */
} AlMetricOptions;

void al_metric_options_init (AlMetricOptions *opt);

/* ---- A metric per SH channel and frequency (coherence, magnitude error). ---- */
typedef struct {
  int nch, nbins;
  double fs;
  int frame, hop;
  double band_lo, band_hi; /* Hz, the band of the summaries */
  double *freqs;           /* nbins, Hz (bin k at k·fs/frame) */
  double *per_channel;     /* nch x nbins, row-major; NaN where undefined (see each metric) */
  double *combined;        /* nbins: mean over the channels where defined */
  double *channel_mean;    /* nch: mean over the bins of the band where defined */
  double mean;             /* mean over channels and bins of the band */
  double mean_octave;      /* the same with weights ∝ 1/f (every octave counts alike) */
} AlSpectralMetric;

void al_spectral_metric_free (AlSpectralMetric *metric);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlSpectralMetric, al_spectral_metric_free)

/* Item 1: magnitude-squared coherence γ_c(f) = |Σ_t B̂ B*|² / (Σ_t |B̂|² Σ_t |B|²)
 * per channel over the STFT frames.  NaN where the reference has no energy
 * (Σ_t |B|² <= ε times its largest value over channels and bins); 0 where
 * only the estimate is silent.  opt may be NULL (defaults). */
AlSpectralMetric *al_coherence_per_channel (const AlShSignals *est, const AlShSignals *ref,
                                            const AlMetricOptions *opt, GError **error);

/* Item 2: magnitude error (dB).  per_channel: mean_t |20 log10((|B̂|+ε)/(|B|+ε))|
 * with ε 80 dB below the reference's largest STFT magnitude; combined: S(f),
 * the mean over t and c. */
AlSpectralMetric *al_magnitude_error (const AlShSignals *est, const AlShSignals *ref,
                                      const AlMetricOptions *opt, GError **error);

/* Item 3: SI-SDR (dB) per channel on the aligned time signals:
 * α = ⟨b̂,b⟩/‖b‖², SI-SDR = 10 log10(‖αb‖² / (‖b̂ − αb‖² + ε‖αb‖²)), at least
 * −120 dB.  per_channel (nch, may be NULL): NaN for channels whose reference
 * is silent (energy <= ε times the loudest channel's); mean: over the
 * others.  Fails when every reference channel is silent. */
gboolean al_si_sdr (const AlShSignals *est, const AlShSignals *ref,
                    double *per_channel, double *mean, GError **error);

/* Item 8: log-spectral distance (dB) per channel,
 * mean_t sqrt(mean_f (10 log10(|B̂|² + ε P) − 10 log10(|B|² + ε P))²) over the
 * bins of the band, P the reference's largest |B|²; mean over channels.
 * per_channel: nch, may be NULL. */
gboolean al_lsd (const AlShSignals *est, const AlShSignals *ref, const AlMetricOptions *opt,
                 double *per_channel, double *mean, GError **error);

/* Item 7 on signals: K pairs (est[k], ref[k]) of the responses to single
 * plane waves from test directions k.  gain_db (K, may be NULL):
 * G_k = 10 log10(Σ_c ‖b̂_c,k‖² / Σ_c ‖b_c,k‖²), at least −120 dB;
 * dgc_db: the standard deviation over k (1/K). */
gboolean al_directional_gain_signals (const AlShSignals *est, const AlShSignals *ref, int K,
                                      double *gain_db, double *dgc_db, GError **error);

/* ---- Spatial power maps (item 4) on a direction grid. ---- */
typedef enum {
  AL_MAP_SH,    /* item 4 as written: P_j = Σ_t (Σ_c Y_c(Ω_j) b_c(t))², Y in the signals' normalisation */
  AL_MAP_PWD,   /* plane-wave decomposition: max-directivity beam with unit gain towards Ω_j
                 * (source power units, the same for any normalisation) */
  AL_MAP_MVDR,  /* 1 / (aᴴ (R + λI)⁻¹ a), a the N3D steering vector, λ = loading·tr(R)/C */
  AL_MAP_MUSIC, /* C / ‖E_nᵀ a‖², E_n the eigenvectors of R (N3D) outside the `sources` strongest */
  AL_MAP_INTENSITY, /* DirAC-style votes of the first-order active intensity of the direct-sound
                     * time-frequency bins (below); channels above ACN 3 are ignored */
} AlMapMethod;

/* AL_MAP_INTENSITY: the STFT (periodic Hann, the options' frame and hop) of
 * the first four channels in SN3D, p = W and v = (X, Y, Z), where a plane
 * wave from u gives v = u·p.  Per bin, the active intensity I = Re{p* v}
 * points at the source and E = (|p|² + ‖v‖²)/2; both are averaged over
 * AL_INTENSITY_FRAMES frames x AL_INTENSITY_BINS bins centred on the bin
 * (Ī, Ē), and the diffuseness ψ = 1 − ‖Ī‖/Ē is 0 for one plane wave and
 * near 1 in a diffuse field (about 0.8: the average is kept short so that
 * onsets keep their direct sound).  Bins with Ē at most
 * AL_INTENSITY_FLOOR_DB below the loudest and ψ < AL_INTENSITY_MAX_DIFFUSENESS
 * (AL_INTENSITY_FALLBACK_DIFFUSENESS where no bin is that direct) vote for
 * Ī/‖Ī‖ with their own E·(1 − ψ), spread by a von Mises–Fisher kernel:
 * P(u) = Σ_bins E (1 − ψ) exp(κ(u·û − 1)), κ = AL_INTENSITY_KAPPA.  One
 * plane wave's peak is thus its energy in the band (STFT sums scaled to the
 * time-domain sum, as for the band covariance).  Band: the options', else
 * AL_INTENSITY_BAND_LO–HI Hz.  A field without a direct-sound bin (diffuse),
 * or signals of order 0, give a map of zeros and no peaks. */
#define AL_INTENSITY_FRAMES 5                   /* 48 ms at 48 kHz with the default 768/384 STFT */
#define AL_INTENSITY_BINS 3                     /* 188 Hz with that STFT */
#define AL_INTENSITY_MAX_DIFFUSENESS 0.1
#define AL_INTENSITY_FALLBACK_DIFFUSENESS 0.2
#define AL_INTENSITY_FLOOR_DB 45.0
#define AL_INTENSITY_KAPPA 30.0                 /* e^{κ(cos θ − 1)} falls to 1/2 at θ = 12.3° */
#define AL_INTENSITY_BAND_LO 200.0
#define AL_INTENSITY_BAND_HI 4000.0

typedef struct {
  AlMapMethod method;
  double band_lo, band_hi; /* Hz; both <= 0: broadband, straight from the time signals
                            * (AL_MAP_INTENSITY: its default band); else the covariance of the
                            * band's STFT bins (scaled to the time-domain sum, so a band
                            * covering all bins gives the same map) */
  double loading;          /* MVDR diagonal loading relative to tr(R)/C; <= 0: 1e-3 */
  int sources;             /* MUSIC signal-subspace size; <= 0: 1 */
  int frame, hop;          /* STFT of the band covariance; 0: as AlMetricOptions */
} AlMapOptions;

void al_map_options_init (AlMapOptions *opt);
const char *al_map_method_name (AlMapMethod method); /* "sh", "pwd", "mvdr", "music", "intensity" */
gboolean al_map_method_parse (const char *name, AlMapMethod *method, GError **error);

typedef struct {
  AlMapMethod method;
  int order, nsh;
  AlShNorm norm;        /* of the signals */
  double fs;
  int ndirs;
  double *dirs;         /* ndirs x 2 (rad) */
  double *power;        /* ndirs: the map, linear power */
  double *cov;          /* nsh x nsh: R = Σ_t b bᵀ in the signals' normalisation (kept so the map
                         * can be evaluated anywhere, e.g. on a denser grid for figures) */
  double *kernel;       /* nsh x nsh: the quadratic form Q of the method, P = aᵀQa (SH, PWD) or
                         * 1/aᵀQa (MVDR, MUSIC), a = Y(Ω) in the signals' normalisation (SH)
                         * or N3D (the others); zeros for AL_MAP_INTENSITY */
  double loading;       /* the resolved options */
  int sources;
  int nvotes;           /* AL_MAP_INTENSITY: the bins' votes, those in one cell of ~0.6° merged
                         * into their weighted mean direction (the map is a sum over them) */
  double *votes;        /* nvotes x 4: unit vector (x, y, z) and weight; NULL for the others */
  double diffuseness;   /* AL_MAP_INTENSITY: Σ Ē ψ / Σ Ē over the bins above the floor (0 for
                         * one plane wave, → 1 diffuse); NaN for the others or without energy */
  double band_lo, band_hi; /* Hz, the band of the map; 0 for broadband maps */
} AlPowerMap;

AlPowerMap *al_power_map_copy (const AlPowerMap *map);
void al_power_map_free (AlPowerMap *map);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlPowerMap, al_power_map_free)

/* Map of b (skipping its first `latency` samples) on grid; grid NULL: a
 * Fibonacci grid of AL_METRICS_DEFAULT_GRID directions.  b must hold
 * (N+1)² channels; grids below AL_METRICS_MIN_GRID directions are refused
 * (AL_ERROR_INVALID_INPUT).  opt may be NULL (AL_MAP_SH, broadband). */
AlPowerMap *al_power_map_new (const AlShSignals *b, const AlGrid *grid, const AlMapOptions *opt,
                              GError **error);
/* The same map at other directions: dirs n x 2 (rad), power n. */
void al_power_map_evaluate (const AlPowerMap *map, const double *dirs, int n, double *power);

/* Item 5: SPME = 10 log10((Σ_j (P̂_j − P_j)² + ε Σ_j P_j²) / Σ_j P_j²) dB, >= −120 dB.
 * Item 6: SPM-KL = Σ_j p_j log(p_j / (p̂_j + ε)) with p, p̂ the maps scaled
 * to sum 1 (nats; ε can make it a hair negative, so it is clamped at 0).
 * Both maps must share the grid and method (and, for AL_MAP_SH, the
 * normalisation), else AL_ERROR_MISMATCH. */
gboolean al_spme (const AlPowerMap *est, const AlPowerMap *ref, double *spme_db, GError **error);
gboolean al_spm_kl (const AlPowerMap *est, const AlPowerMap *ref, double *kl, GError **error);

/* ---- DOA estimates and localisation error (item 10). ---- */
typedef struct {
  double azimuth, elevation; /* rad */
  double power;              /* map value at the peak (PWD/MVDR/MUSIC/SH units) */
} AlDoa;

/* Up to max_peaks local maxima of the map on its grid, strongest first, at
 * least min_separation (rad; <= 0: 20°) apart, each then refined below the
 * grid spacing (to ~0.001°) by climbing the map itself from the grid point.
 * doas: max_peaks entries.  Returns the number found. */
int al_power_map_peaks (const AlPowerMap *map, int max_peaks, double min_separation, AlDoa *doas);

/* First-order active intensity I = Σ_t w · (x, y, z) of the ACN channels 0–3
 * (SN3D scaled; higher orders are ignored), broadband when band_lo and
 * band_hi are both <= 0, else over the STFT bins in [band_lo, band_hi]
 * (band_hi <= 0: fs/2).  doa->power: ‖I‖.  diffuseness (may be NULL):
 * ψ = 1 − 2‖I‖ / ⟨w² + x² + y² + z²⟩ (0 for one plane wave, 1 for a diffuse
 * field).  Fails when b has fewer than 4 channels or no intensity. */
gboolean al_doa_intensity (const AlShSignals *b, double band_lo, double band_hi, AlDoa *doa,
                           double *diffuseness, GError **error);

/* arccos(u·û) in degrees. */
double al_localisation_error (double az_true, double el_true, double az_est, double el_est);
/* Several sources: each true direction (n_true x 2) is paired with a distinct
 * estimate (n_est x 2, n_est >= n_true) so that the mean error is smallest
 * (exhaustive for n_true <= 6, greedy beyond).  per_source (n_true, may be
 * NULL) in degrees; mean_deg may be NULL. */
gboolean al_localisation_error_matched (const double *true_dirs, int n_true, const double *est_dirs,
                                        int n_est, double *per_source, double *mean_deg, GError **error);

/* ---- Figures. ---- */

/* One small log-frequency panel per SH channel ((N+1) x (N+1) panels in ACN
 * order), a curve per encoder in each, one shared legend: the layout of
 * coherence-per-channel figures in residual-encoder papers. */
typedef struct AlChannelPlot AlChannelPlot;

/* Texts as given (core translates nothing: the GUI passes translated ones);
 * NULL or "" leaves a text out.  The CLI's x label is "Frequency (Hz)". */
AlChannelPlot *al_channel_plot_new (const char *title, const char *xlabel, const char *ylabel);
void al_channel_plot_free (AlChannelPlot *plot);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlChannelPlot, al_channel_plot_free)
/* The x-axis label drawn under the panels (NULL when none). */
const char *al_channel_plot_get_x_label (const AlChannelPlot *plot);
/* Fixed ranges; lo == hi: automatic (x: the first metric's band). */
void al_channel_plot_set_x_range (AlChannelPlot *plot, double lo, double hi);
void al_channel_plot_set_y_range (AlChannelPlot *plot, double lo, double hi);
/* One encoder's per_channel curves (copied); label names it in the legend. */
void al_channel_plot_add (AlChannelPlot *plot, const char *label, const AlSpectralMetric *metric);
void al_channel_plot_draw (AlChannelPlot *plot, cairo_t *cr, double width, double height,
                           const AlPlotStyle *style);
/* Suffix picks PNG/SVG/PDF; width/height in points; dpi <= 0: 150. */
gboolean al_channel_plot_export (AlChannelPlot *plot, const char *path, double width, double height,
                                 double dpi, GError **error);

/* Power maps side by side on one colour scale: the reference first, then
 * each encoder, in dB re the reference's maximum, over [−range_db, 0]. */
typedef struct AlMapComparePlot AlMapComparePlot;

/* reference is copied; its label names the first panel ("Reference" when NULL). */
AlMapComparePlot *al_map_compare_plot_new (const char *title, const AlPowerMap *reference,
                                           const char *label);
void al_map_compare_plot_free (AlMapComparePlot *plot);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlMapComparePlot, al_map_compare_plot_free)
/* Panel of one encoder (copied); its title gets the SPME against the reference. */
void al_map_compare_plot_add (AlMapComparePlot *plot, const char *label, const AlPowerMap *map);
void al_map_compare_plot_set_range (AlMapComparePlot *plot, double range_db); /* default 20 dB */
/* Panels per row; <= 0: up to 3. */
void al_map_compare_plot_set_columns (AlMapComparePlot *plot, int columns);
/* Markers drawn on every panel (e.g. true source directions): dirs n x 2 rad, labels may be NULL. */
void al_map_compare_plot_add_markers (AlMapComparePlot *plot, const double *dirs, int n,
                                      const char *const *labels);
void al_map_compare_plot_draw (AlMapComparePlot *plot, cairo_t *cr, double width, double height,
                               const AlPlotStyle *style);
gboolean al_map_compare_plot_export (AlMapComparePlot *plot, const char *path, double width, double height,
                                     double dpi, GError **error);

G_END_DECLS
