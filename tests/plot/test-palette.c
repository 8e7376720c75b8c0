/* test-palette.c — the categorical palette against Okabe & Ito's published
 * colours, dash patterns, and viridis against its published values.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-plot.h"
#include "plot-test-util.h"

/* WCAG relative luminance and contrast ratio, to check the yellow variant. */
static double
channel_linear (double c)
{
  return c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

static double
luminance (AlRgb c)
{
  return 0.2126 * channel_linear (c.r) + 0.7152 * channel_linear (c.g) + 0.0722 * channel_linear (c.b);
}

static double
contrast_on_white (AlRgb c)
{
  return 1.05 / (luminance (c) + 0.05);
}

static void
test_okabe_ito (void)
{
  /* Okabe & Ito (2008), Color Universal Design, in their order. */
  static const guint32 published[8] = {
    0x000000, 0xE69F00, 0x56B4E9, 0x009E73, 0xF0E442, 0x0072B2, 0xD55E00, 0xCC79A7,
  };
  for (int i = 0; i < 8; i++)
    {
      if (i == 4)
        continue;
      AlRgb c = al_palette_color (i);
      g_assert_cmpfloat (test_color_distance (c, test_hex (published[i])), <, 0.5 / 255);
      /* a dark style keeps every colour but black */
      AlPlotStyle dark = { TRUE, 1.0 };
      if (i != 0)
        g_assert_cmpfloat (test_color_distance (al_palette_color_for_style (i, &dark), c), <, 1e-12);
    }

  /* The documented yellow variant: #B8A90F on light backgrounds, same hue
   * family but at least twice the contrast of #F0E442 on white. */
  AlRgb yellow = al_palette_color (4);
  g_assert_cmpfloat (test_color_distance (yellow, test_hex (0xB8A90F)), <, 0.5 / 255);
  g_assert_cmpfloat (contrast_on_white (test_hex (0xF0E442)), <, 1.35);
  g_assert_cmpfloat (contrast_on_white (yellow), >, 2.0);
  g_assert_cmpfloat (yellow.r, >, yellow.b + 0.5);
  g_assert_cmpfloat (yellow.g, >, yellow.b + 0.5);

  /* Dark style: black becomes light, yellow is the published one. */
  AlPlotStyle dark = { TRUE, 1.0 };
  g_assert_cmpfloat (luminance (al_palette_color_for_style (0, &dark)), >, 0.7);
  g_assert_cmpfloat (test_color_distance (al_palette_color_for_style (4, &dark), test_hex (0xF0E442)), <, 0.5 / 255);
  /* NULL style is the light one */
  g_assert_cmpfloat (test_color_distance (al_palette_color_for_style (4, NULL), yellow), <, 1e-12);
}

static void
test_palette_repeats_with_dashes (void)
{
  double dashes[4];
  for (int i = 0; i < 8; i++)
    g_assert_cmpint (al_palette_dash (i, dashes), ==, 0);
  for (int i = 8; i < 32; i++)
    {
      g_assert_cmpfloat (test_color_distance (al_palette_color (i), al_palette_color (i % 8)), ==, 0.0);
      int n = al_palette_dash (i, dashes);
      g_assert_cmpint (n, >=, 2);
      for (int k = 0; k < n; k++)
        g_assert_cmpfloat (dashes[k], >, 0.0);
    }
  /* the three repeats differ from each other */
  double a[4], b[4], c[4];
  int na = al_palette_dash (8, a), nb = al_palette_dash (16, b), nc = al_palette_dash (24, c);
  g_assert_true (na != nc || a[0] != c[0]);
  g_assert_true (na != nb || a[0] != b[0]);
  g_assert_true (nb != nc || b[0] != c[0]);
}

static void
test_viridis (void)
{
  /* Published viridis (van der Walt & Smith, matplotlib 2.0): start,
   * middle and end.  (Quarter points are not compared: matplotlib looks
   * colours up in 256 bins, we interpolate, and the two differ by up to
   * 1.5/255 between the ends.) */
  static const struct { double t; guint32 hex; } published[] = {
    { 0.0, 0x440154 }, { 0.5, 0x21918C }, { 1.0, 0xFDE725 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (published); i++)
    {
      AlRgb c = al_colormap_viridis (published[i].t);
      g_assert_cmpfloat (test_color_distance (c, test_hex (published[i].hex)), <=, 1.0 / 255);
    }
  /* clamped outside [0,1] */
  g_assert_cmpfloat (test_color_distance (al_colormap_viridis (-3), test_hex (0x440154)), <=, 1.0 / 255);
  g_assert_cmpfloat (test_color_distance (al_colormap_viridis (7), test_hex (0xFDE725)), <=, 1.0 / 255);
  g_assert_cmpfloat (test_color_distance (al_colormap_viridis (NAN), test_hex (0x440154)), <=, 1.0 / 255);
  /* perceptually ordered: lightness (here luminance) rises monotonically */
  double prev = -1;
  for (int k = 0; k <= 1000; k++)
    {
      double l = luminance (al_colormap_viridis (k / 1000.0));
      g_assert_cmpfloat (l, >, prev);
      prev = l;
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plot/palette/okabe-ito", test_okabe_ito);
  g_test_add_func ("/plot/palette/dashes", test_palette_repeats_with_dashes);
  g_test_add_func ("/plot/palette/viridis", test_viridis);
  return g_test_run ();
}
