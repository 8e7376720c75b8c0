/* test-axis.c — tick placement and labels: audio-style log ticks, "nice"
 * linear steps, thinning when labels would collide.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-plot-private.h"
#include "plot-test-util.h"

#include <string.h>

/* Labels measured as 6 units per character (UTF-8 minus counts once). */
static double
measure_chars (const char *label, gpointer user_data)
{
  return 6.0 * g_utf8_strlen (label, -1);
}

static char *
major_labels (GArray *ticks)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < ticks->len; i++)
    {
      AlTick *t = &g_array_index (ticks, AlTick, i);
      if (!t->major)
        continue;
      if (s->len > 0)
        g_string_append_c (s, ' ');
      g_string_append (s, t->label);
    }
  return g_string_free (s, FALSE);
}

static void
test_log_audio_ticks (void)
{
  GArray *ticks = al_axis_ticks (20, 20000, TRUE, 600, 30, 8, measure_chars, NULL);
  g_autofree char *labels = major_labels (ticks);
  g_assert_cmpstr (labels, ==, "20 50 100 200 500 1k 2k 5k 10k 20k");
  /* minor ticks at the other integer multiples of each decade */
  static const double minors[] = { 30, 40, 60, 70, 80, 90, 300, 400, 600, 700, 800, 900,
                                   3000, 4000, 6000, 7000, 8000, 9000 };
  guint n_minor = 0;
  for (guint i = 0; i < ticks->len; i++)
    {
      AlTick *t = &g_array_index (ticks, AlTick, i);
      if (t->major)
        continue;
      g_assert_cmpuint (n_minor, <, G_N_ELEMENTS (minors));
      g_assert_cmpfloat (fabs (t->value - minors[n_minor]) / minors[n_minor], <, 1e-12);
      n_minor++;
    }
  g_assert_cmpuint (n_minor, ==, G_N_ELEMENTS (minors));
  g_array_unref (ticks);

  /* 180 units for three decades: 1-2-5 labels would collide, decades fit */
  ticks = al_axis_ticks (20, 20000, TRUE, 180, 30, 8, measure_chars, NULL);
  g_autofree char *thin = major_labels (ticks);
  g_assert_cmpstr (thin, ==, "100 1k 10k");
  g_array_unref (ticks);

  /* Ten decades in 200 units: every second decade */
  ticks = al_axis_ticks (1, 1e10, TRUE, 200, 30, 8, measure_chars, NULL);
  g_autofree char *wide = major_labels (ticks);
  g_assert_cmpstr (wide, ==, "1 100 10k 1M 100M 10G");
  g_array_unref (ticks);
}

static void
test_linear_nice_ticks (void)
{
  /* 0..1 with 5 % margins over 300 units, one tick per >= 30 units at most
   * 9 intervals: step 0.2 */
  GArray *ticks = al_axis_ticks (-0.05, 1.05, FALSE, 300, 30, 4, measure_chars, NULL);
  g_autofree char *a = major_labels (ticks);
  g_assert_cmpstr (a, ==, "0.0 0.2 0.4 0.6 0.8 1.0");
  for (guint i = 0; i < ticks->len; i++)
    g_assert_cmpfloat (fabs (g_array_index (ticks, AlTick, i).value - 0.2 * i), <, 1e-12);
  g_array_unref (ticks);

  /* negative values use U+2212; step 10 */
  ticks = al_axis_ticks (-73, 4, FALSE, 400, 30, 4, measure_chars, NULL);
  g_autofree char *b = major_labels (ticks);
  g_assert_cmpstr (b, ==, "\xe2\x88\x92" "70 \xe2\x88\x92" "60 \xe2\x88\x92" "50 \xe2\x88\x92" "40 "
                   "\xe2\x88\x92" "30 \xe2\x88\x92" "20 \xe2\x88\x92" "10 0");
  g_array_unref (ticks);

  /* a 2.5 step carries one more decimal */
  char buf[32];
  al_axis_format_linear (7.5, 2.5, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "7.5");
  al_axis_format_linear (0.25, 0.25, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "0.25");
  al_axis_format_linear (-1e-17, 0.1, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "0.0");

  al_axis_format_si (2500, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "2.5k");
  al_axis_format_si (999.9999999999, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "1k");
  al_axis_format_si (0.5, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "0.5");
}

static void
test_degenerate_ranges (void)
{
  GArray *ticks = al_axis_ticks (1, 1, FALSE, 300, 30, 4, measure_chars, NULL);
  g_assert_cmpuint (ticks->len, ==, 0);
  g_array_unref (ticks);
  ticks = al_axis_ticks (0, NAN, FALSE, 300, 30, 4, measure_chars, NULL);
  g_assert_cmpuint (ticks->len, ==, 0);
  g_array_unref (ticks);
  /* within one decade with no 1-2-5 value inside: linear steps on the log axis */
  ticks = al_axis_ticks (110, 190, TRUE, 400, 30, 4, measure_chars, NULL);
  g_autofree char *labels = major_labels (ticks);
  g_assert_cmpstr (labels, ==, "110 120 130 140 150 160 170 180 190");
  g_array_unref (ticks);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plot/axis/log", test_log_audio_ticks);
  g_test_add_func ("/plot/axis/linear", test_linear_nice_ticks);
  g_test_add_func ("/plot/axis/degenerate", test_degenerate_ranges);
  return g_test_run ();
}
