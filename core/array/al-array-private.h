/* al-array-private.h — internals of the array module shared between its
 * files and its tests: spherical Bessel functions, Legendre polynomials and
 * the modal coefficients of the analytic array models.  Not part of the
 * public contract.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <complex.h>
#include <math.h>
#include "al-array.h"

G_BEGIN_DECLS

/* Highest degree the scattering series may use.  The degree is chosen per
 * frequency (ceil(kr) + 12), so small kr never sees high degrees, which is
 * where SAF's simulator breaks down (encoder-design.md §5); with stable
 * recurrences a high cap costs nothing and keeps the series converged up to
 * kr ≈ 288 (r = 8.75 cm is kr = 38.5 at 24 kHz, where 30 terms leave errors
 * of −2 dB on average and +17 dB in the shadow). */
#define AL_ARRAY_MAX_TERMS 300

/* Unit vector (x front, y left, z up) of an (azimuth, elevation) in radians. */
static inline void
al_array_unit_vector (double azimuth, double elevation, double *u)
{
  u[0] = cos (elevation) * cos (azimuth);
  u[1] = cos (elevation) * sin (azimuth);
  u[2] = sin (elevation);
}

/* Spherical Bessel functions of the first and second kind, j_n(x) and y_n(x)
 * for n = 0..nmax (nmax + 1 values each), x > 0.  j comes from Miller's
 * downward recurrence (upward where x > nmax, where that is stable), y from
 * the upward recurrence.  y may be NULL. */
void al_sph_bessel_jy (int nmax, double x, double *j, double *y);

/* Legendre polynomials P_n(t), n = 0..nmax, by the three-term recurrence. */
void al_legendre_p (int nmax, double t, double *p);

/* Truncation degree of the scattering series at wavenumber·radius x:
 * min(AL_ARRAY_MAX_TERMS, ceil(x) + 12). */
int al_array_series_order (double x);

/* Modal coefficients of a plane wave on the sphere of radius r at x = kr
 * (time convention of al-array.h: FFTW's e^{-iωt} kernel, outgoing waves
 * h_n^(2) = j_n − i y_n):
 *   free field:   b_n = (2n+1) iⁿ j_n(x)
 *   rigid sphere: b_n = (2n+1) iⁿ [j_n − j_n'/h_n' · h_n](x) = (2n+1) iⁿ · (−i) / (x² h_n'(x))
 * so that the response at angle Θ from the source direction is
 * Σ_{n=0}^{nmax} b_n P_n(cos Θ).  b: nmax + 1 values; x = 0 gives the limit
 * (b_0 = 1, the rest 0). */
void al_array_modal_coefs (AlArrayModelKind kind, double x, int nmax, double complex *b);

G_END_DECLS
