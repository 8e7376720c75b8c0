/* al-test-arrays.h — ATF sets with known answers, shared by the tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "array/al-array.h"

/* An "array" of (order+1)² virtual mics whose responses are exactly the real
 * N3D SH patterns: IR_q(k) = Y_q(Ω_k)·δ(n − onset).  Its ideal encoder is
 * the identity. */
AlAtfSet *al_test_sh_array (int order, const AlGrid *grid, int ir_len, int onset, double fs);
