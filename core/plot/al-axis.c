/* al-axis.c — tick placement and tick labels for linear and logarithmic
 * axes: "nice" steps that fit the space the labels need.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-plot-private.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* U+2212 MINUS SIGN: a hyphen is too short next to digits. */
static void
typeset_minus (char *buf, gsize len)
{
  if (buf[0] != '-' || strlen (buf) + 3 >= len)
    return;
  memmove (buf + 3, buf + 1, strlen (buf));
  buf[0] = '\xe2';
  buf[1] = '\x88';
  buf[2] = '\x92';
}

static int
step_decimals (double step)
{
  double e = floor (log10 (step) + 1e-9);
  double mantissa = step / pow (10.0, e);
  int decimals = e < 0 ? (int) -e : 0;
  if (fabs (mantissa - 2.5) < 1e-6)
    decimals++;
  return decimals;
}

void
al_axis_format_linear (double v, double step, char *buf, gsize len)
{
  if (fabs (v) < fabs (step) * 1e-6)
    v = 0.0; /* no "-0" */
  if (fabs (v) >= 1e7 || (v != 0.0 && fabs (v) < 1e-4 && step < 1e-4))
    g_snprintf (buf, len, "%.3g", v);
  else
    g_snprintf (buf, len, "%.*f", step_decimals (fabs (step)), v);
  typeset_minus (buf, len);
}

void
al_axis_format_si (double v, char *buf, gsize len)
{
  /* Relative slack so 999.9999999 (from pow) still reads "1k". */
  if (v >= 1e9 * (1 - 1e-9))
    g_snprintf (buf, len, "%gG", v / 1e9);
  else if (v >= 1e6 * (1 - 1e-9))
    g_snprintf (buf, len, "%gM", v / 1e6);
  else if (v >= 1e3 * (1 - 1e-9))
    g_snprintf (buf, len, "%gk", v / 1e3);
  else
    g_snprintf (buf, len, "%g", v);
  typeset_minus (buf, len);
}

static GArray *
tick_array (void)
{
  return g_array_new (FALSE, TRUE, sizeof (AlTick));
}

static void
add_tick (GArray *ticks, double value, gboolean major)
{
  AlTick tick = { .value = value, .major = major };
  g_array_append_val (ticks, tick);
}

/* Labels of neighbouring major ticks keep `gap` between them.  pos maps a
 * value to its distance along the axis. */
static gboolean
labels_fit (GArray *ticks, double lo, double hi, gboolean log, double length,
            double gap, AlTickMeasure measure, gpointer user_data)
{
  double prev_pos = 0, prev_half = 0;
  gboolean have_prev = FALSE;
  double t0 = log ? log10 (lo) : lo, t1 = log ? log10 (hi) : hi;
  for (guint i = 0; i < ticks->len; i++)
    {
      AlTick *tick = &g_array_index (ticks, AlTick, i);
      if (!tick->major)
        continue;
      double t = log ? log10 (tick->value) : tick->value;
      double pos = length * (t - t0) / (t1 - t0);
      double half = 0.5 * measure (tick->label, user_data);
      if (have_prev && prev_pos + prev_half + gap > pos - half)
        return FALSE;
      prev_pos = pos;
      prev_half = half;
      have_prev = TRUE;
    }
  return TRUE;
}

static GArray *
linear_ticks_for_step (double lo, double hi, double step, gboolean si)
{
  GArray *ticks = tick_array ();
  double first = ceil (lo / step - 1e-9), last = floor (hi / step + 1e-9);
  for (double k = first; k <= last; k++)
    {
      add_tick (ticks, k * step, TRUE);
      AlTick *tick = &g_array_index (ticks, AlTick, ticks->len - 1);
      if (si && tick->value > 0)
        al_axis_format_si (tick->value, tick->label, sizeof tick->label);
      else
        al_axis_format_linear (tick->value, step, tick->label, sizeof tick->label);
    }
  return ticks;
}

static GArray *
linear_ticks (double lo, double hi, double length, double min_step, double gap,
              AlTickMeasure measure, gpointer user_data, gboolean si)
{
  static const double mantissas[] = { 1.0, 2.0, 2.5, 5.0 };
  double span = hi - lo;
  /* Nine intervals at most, as in matplotlib: more reads as clutter. */
  double max_intervals = CLAMP (length / MAX (min_step, 1e-9), 1.0, 9.0);
  double e = floor (log10 (span / max_intervals));
  GArray *ticks = NULL;
  for (int k = 0; k < 40; k++)
    {
      double step = mantissas[k % 4] * pow (10.0, e + k / 4);
      if (!isfinite (step))
        break;
      if (span / step > max_intervals * (1 + 1e-9))
        continue;
      if (ticks != NULL)
        g_array_unref (ticks);
      ticks = linear_ticks_for_step (lo, hi, step, si);
      /* log axes (si) use label spacing only: their steps are uneven */
      if (labels_fit (ticks, lo, hi, si, length, gap, measure, user_data) || step > span)
        break;
    }
  return ticks != NULL ? ticks : tick_array ();
}

/* level -1: every mantissa labelled; 0: 1-2-5; 1: decades; >= 2: every
 * 2nd, 5th, 10th, 20th… decade. */
static GArray *
log_ticks_level (double lo, double hi, int level)
{
  static const int strides[] = { 2, 5, 10, 20, 50, 100 };
  GArray *ticks = tick_array ();
  int e0 = (int) floor (log10 (lo)), e1 = (int) floor (log10 (hi));
  double tlo = lo * (1 - 1e-9), thi = hi * (1 + 1e-9);
  for (int e = e0; e <= e1; e++)
    {
      double decade = pow (10.0, e);
      for (int m = 1; m <= 9; m++)
        {
          double v = m * decade;
          if (v < tlo || v > thi)
            continue;
          gboolean major, minor;
          if (level < 0)
            major = TRUE, minor = FALSE;
          else if (level == 0)
            major = m == 1 || m == 2 || m == 5, minor = !major;
          else if (level == 1)
            major = m == 1, minor = !major;
          else
            {
              int stride = strides[MIN (level - 2, (int) G_N_ELEMENTS (strides) - 1)];
              major = m == 1 && ((e % stride) + stride) % stride == 0;
              minor = m == 1 && !major && stride <= 10;
            }
          if (major || minor)
            {
              add_tick (ticks, v, major);
              if (major)
                {
                  AlTick *tick = &g_array_index (ticks, AlTick, ticks->len - 1);
                  al_axis_format_si (v, tick->label, sizeof tick->label);
                }
            }
        }
    }
  return ticks;
}

static guint
count_major (GArray *ticks)
{
  guint n = 0;
  for (guint i = 0; i < ticks->len; i++)
    n += g_array_index (ticks, AlTick, i).major;
  return n;
}

static GArray *
log_ticks (double lo, double hi, double length, double min_step, double gap,
           AlTickMeasure measure, gpointer user_data)
{
  GArray *ticks = log_ticks_level (lo, hi, 0);
  guint n0 = count_major (ticks);
  if (n0 < 2 && log10 (hi / lo) < 1.0)
    {
      /* Less than a decade with at most one 1-2-5 value in it: linear
       * steps read better. */
      g_array_unref (ticks);
      return linear_ticks (lo, hi, length, min_step, gap, measure, user_data, TRUE);
    }
  int level = 0;
  if (n0 < 3)
    {
      g_array_unref (ticks);
      ticks = log_ticks_level (lo, hi, -1);
      level = -1;
    }
  while (!labels_fit (ticks, lo, hi, TRUE, length, gap, measure, user_data) && level < 8)
    {
      g_array_unref (ticks);
      ticks = log_ticks_level (lo, hi, ++level);
    }
  return ticks;
}

GArray *
al_axis_ticks (double lo, double hi, gboolean log, double length, double min_step,
               double gap, AlTickMeasure measure, gpointer user_data)
{
  if (lo > hi)
    {
      double t = lo;
      lo = hi;
      hi = t;
    }
  if (!(hi > lo) || !isfinite (hi - lo) || !(length > 0))
    return tick_array ();
  if (log && lo > 0)
    return log_ticks (lo, hi, length, min_step, gap, measure, user_data);
  return linear_ticks (lo, hi, length, min_step, gap, measure, user_data, FALSE);
}
