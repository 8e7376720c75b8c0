/* al-scene-stats.c — means over scenes with Student-t 95 % confidence
 * intervals (the quantile by bisection on the regularised incomplete beta
 * function, so any number of scenes gets the exact value).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-scene-eval.h"

#include <math.h>

/* Continued fraction of the incomplete beta function (modified Lentz). */
static double
beta_cf (double a, double b, double x)
{
  const double tiny = 1e-300;
  double c = 1, d = 1 - (a + b) * x / (a + 1);
  if (fabs (d) < tiny)
    d = tiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 300; m++)
    {
      double aa = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
      d = 1 + aa * d;
      d = fabs (d) < tiny ? tiny : d;
      c = 1 + aa / c;
      c = fabs (c) < tiny ? tiny : c;
      d = 1 / d;
      h *= d * c;
      aa = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
      d = 1 + aa * d;
      d = fabs (d) < tiny ? tiny : d;
      c = 1 + aa / c;
      c = fabs (c) < tiny ? tiny : c;
      d = 1 / d;
      double del = d * c;
      h *= del;
      if (fabs (del - 1) < 1e-15)
        break;
    }
  return h;
}

/* Regularised incomplete beta I_x(a, b). */
static double
beta_inc (double a, double b, double x)
{
  if (x <= 0)
    return 0;
  if (x >= 1)
    return 1;
  double lbt = lgamma (a + b) - lgamma (a) - lgamma (b) + a * log (x) + b * log1p (-x);
  if (x < (a + 1) / (a + b + 2))
    return exp (lbt) * beta_cf (a, b, x) / a;
  return 1 - exp (lbt) * beta_cf (b, a, 1 - x) / b;
}

double
al_student_t_quantile (double p, int df)
{
  g_return_val_if_fail (df >= 1 && p > 0 && p < 1, NAN);
  /* P(|T| <= t) = 1 − I_{df/(df+t²)}(df/2, 1/2), increasing in t. */
  double lo = 0, hi = 1;
  while (1 - beta_inc (df / 2.0, 0.5, df / (df + hi * hi)) < p && hi < 1e12)
    hi *= 2;
  for (int it = 0; it < 200 && hi - lo > 1e-13 * hi; it++)
    {
      double mid = 0.5 * (lo + hi);
      if (1 - beta_inc (df / 2.0, 0.5, df / (df + mid * mid)) < p)
        lo = mid;
      else
        hi = mid;
    }
  return 0.5 * (lo + hi);
}

AlStat
al_stat_compute (const double *x, int n, int stride)
{
  AlStat st = { NAN, NAN, 0 };
  double sum = 0;
  for (int k = 0; k < n; k++)
    if (isfinite (x[(gsize) k * stride]))
      {
        sum += x[(gsize) k * stride];
        st.n++;
      }
  if (st.n == 0)
    return st;
  st.mean = sum / st.n;
  if (st.n < 2)
    return st;
  double ss = 0;
  for (int k = 0; k < n; k++)
    if (isfinite (x[(gsize) k * stride]))
      ss += (x[(gsize) k * stride] - st.mean) * (x[(gsize) k * stride] - st.mean);
  const double sd = sqrt (ss / (st.n - 1));
  st.ci95 = al_student_t_quantile (0.95, st.n - 1) * sd / sqrt (st.n);
  return st;
}
