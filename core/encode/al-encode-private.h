/* al-encode-private.h — shared between the encoder design files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "al-encode.h"

gboolean al_encode_check_request (const AlAtfSet *set, const AlDesignParams *p, GPtrArray *warnings,
                                  GError **error);
double al_encode_aliasing_frequency (const AlAtfSet *set, int order);
double complex *al_encode_weighted_sh (const AlAtfSet *set, const AlGrid *grid, int order);
/* E, Gamma: nbins x nsh x m and nbins x m x m; scales rows above from_bin. */
void al_encode_diffuse_equalise (double complex *E, const double complex *Gamma, int nbins, int nsh, int m,
                                 int from_bin);
void al_encode_spectra_to_fir (AlEncoder *enc, const double complex *E, int nbins);
gboolean al_encode_design_td_ls (AlEncoder *enc, const AlAtfSet *aligned, const AlGrid *grid,
                                 AlProgress *progress, GError **error);
AlEncoder *al_encode_encoder_new (const AlAtfSet *set, const AlDesignParams *params, double delay,
                                  GPtrArray *warnings);
