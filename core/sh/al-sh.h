/* al-sh.h — real spherical harmonics (ACN, no Condon–Shortley phase), direction
 * grids with quadrature weights, SH transforms.
 *
 * Conventions (DESIGN.md §3): x front, y left, z up; azimuth counter-clockwise
 * from the front, elevation up from the horizon, radians here.
 * acn = n^2 + n + m.  N3D: ∫ Y_a Y_b dΩ = 4π δ_ab; SN3D = N3D/√(2n+1);
 * orthonormal = N3D/√(4π).  Real SH for m > 0 use cos(mφ), m < 0 sin(|m|φ).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define AL_SH_MAX_ORDER 30

typedef enum {
  AL_SH_SN3D,        /* AmbiX default */
  AL_SH_N3D,
  AL_SH_ORTHONORMAL,
} AlShNorm;

static inline int al_sh_count (int order) { return (order + 1) * (order + 1); }
static inline int al_sh_acn (int n, int m) { return n * n + n + m; }
/* Degree n of ACN channel acn. */
int al_sh_degree_of (int acn);

const char *al_sh_norm_name (AlShNorm norm);                  /* "sn3d", "n3d", "orthonormal" */
gboolean al_sh_norm_parse (const char *name, AlShNorm *norm, GError **error);
/* Factor f such that Y_to = f * Y_from for degree n. */
double al_sh_norm_factor (int n, AlShNorm from, AlShNorm to);

/* y: (order+1)^2 values for one direction. order <= AL_SH_MAX_ORDER. */
void al_sh_real (int order, AlShNorm norm, double azimuth, double elevation, double *y);
/* dirs: ndirs x 2 (azimuth, elevation); Y: ndirs x (order+1)^2, row-major. */
void al_sh_matrix (int order, AlShNorm norm, const double *dirs, int ndirs, double *Y);

/* ---- Direction grids ---- */
typedef struct {
  int n;
  double *dirs;      /* n x 2: azimuth, elevation (rad) */
  double *weights;   /* n quadrature weights, sum = 1 (so Σ w f ≈ mean over the sphere) */
  int exact_degree;  /* Σ_j w_j Y_a Y_b = δ_ab·4π/4π exactly for deg(a)+deg(b) <= exact_degree; -1: not exact */
  char *name;        /* e.g. "fibonacci:2048" */
} AlGrid;

/* Fibonacci (golden-angle) spiral; weights 1/n; exact_degree -1. */
AlGrid *al_grid_fibonacci (int n);
/* Gauss–Legendre in elevation × equiangular in azimuth, exact up to degree 2*order+1
 * (order+1 rings × 2*(order+1) azimuths). */
AlGrid *al_grid_gauss_legendre (int order);
/* Any set of directions (a measured grid): weights from spherical Voronoi cell
 * areas normalised to sum 1 (exact when the directions surround the origin, so
 * the outermost rings take the polar caps); name "custom:N"; exact_degree -1.
 * Copes with rings (cocircular points), n = 1 or 2,
 * and points on one circle (lune cells: weight ∝ the angular gaps either side).
 * Sets within one closed hemisphere (e.g. no direction below the horizon):
 * each cell is clipped to the spherical convex hull of the data and the
 * uncovered rest of the sphere is shared equally by all points, so no weight
 * is 0, NaN or swollen.  Directions closer than 1e-8 rad (e.g. the pole listed
 * at several azimuths) are an error naming both indices.  dirs: n x 2 (rad). */
AlGrid *al_grid_from_dirs (const double *dirs, int n, GError **error);
/* A measured direction set with the best quadrature weights it can justify
 * (DESIGN: "exact for designs, Voronoi areas for irregular grids"), chosen
 * among three candidates by their exact degree, which is checked numerically
 * (|Σ_j w_j Y_a Y_b − δ_ab| <= 1e-10, N3D, for deg(a) + deg(b) <= exact_degree;
 * the check stops at the largest D with (D/2 + 1)² <= n, beyond which no
 * weights can be exact):
 *   equal weights 1/n (spherical t-designs: octahedron, icosahedron, …),
 *     name "measured:N (equal weights, t-design)";
 *   ring weights (rings of equal elevation, 1e-6 rad, each with equally
 *     spaced azimuths at any phase, or a single point at a pole; ring weights
 *     integrate P_0 … P_{R−1} of sin(el) exactly, shared equally in the ring;
 *     all positive) — Gauss–Legendre grids get their Gauss weights back,
 *     name "measured:N (ring quadrature)";
 *   Voronoi weights (al_grid_from_dirs), name "measured:N (voronoi)".
 * A design is taken only when it is exact to degree >= 2 (degree 1 comes from
 * symmetry alone) and to at least Voronoi's degree; equal weights win a tie
 * with ring weights.  exact_degree is that of the chosen weights (0 for
 * typical irregular sets).  Errors as al_grid_from_dirs.  dirs: n x 2 (rad),
 * copied unchanged; any azimuth/elevation range denoting a direction is fine. */
AlGrid *al_grid_quadrature (const double *dirs, int n, GError **error);
/* "fibonacci:N" | "gauss:ORDER" */
AlGrid *al_grid_parse (const char *spec, GError **error);
AlGrid *al_grid_copy (const AlGrid *grid);
void al_grid_free (AlGrid *grid);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlGrid, al_grid_free)

/* Unit vectors of dirs (n x 2) into xyz (n x 3). */
void al_dirs_to_xyz (const double *dirs, int n, double *xyz);
void al_xyz_to_dir (const double *xyz, double *azimuth, double *elevation);
/* Great-circle angle between two directions (rad). */
double al_angle_between (double az1, double el1, double az2, double el2);

/* Weighted-least-squares SH transform of sampled functions:
 * f: grid->n x nfunc; coef: (order+1)^2 x nfunc in normalisation `norm`, both row-major.
 * Solves (YᵀWY + 1e-12·tr/C·I) c = YᵀW f with the grid weights W: the quadrature
 * sum on exact grids (order <= exact_degree/2), regularised LS otherwise.
 * Error (AL_ERROR_INVALID_INPUT) when grid->n < (order+1)^2 or f holds NaN/Inf. */
gboolean al_sh_transform (const AlGrid *grid, int order, AlShNorm norm,
                          const double *f, int nfunc, double *coef, GError **error);

G_END_DECLS
