/* al-sweep-spec.c — sweep parameters: defaults, range checks, and the
 * "f1=20,f2=22000,T=3" text form used on the command line and in sessions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-measure-private.h"

#include <string.h>

#define KNOWN_KEYS "f1, f2, T, fs, level, fade_in, fade_out, pre, post, type"

static const char *kind_names[] = { "sync", "farina" };

const char *
al_sweep_kind_name (AlSweepKind kind)
{
  g_return_val_if_fail (kind <= AL_SWEEP_FARINA, "unknown");
  return kind_names[kind];
}

void
al_sweep_params_init (AlSweepParams *params)
{
  g_return_if_fail (params != NULL);
  memset (params, 0, sizeof *params);
  params->kind = AL_SWEEP_SYNC;
  params->f1 = 20.0;
  params->f2 = 22000.0;
  params->duration = 3.0;
  params->fs = 48000.0;
  params->level_dbfs = -6.0;
  params->fade_in_oct = 0.5;
  params->fade_out_oct = 1.0 / 24.0;
  params->pre_s = 0.3;
  params->post_s = 0.5;
}

/* Message prefix naming the spec, or "sweep" for parameters built in code. */
static char *
what (const char *spec)
{
  return spec ? g_strdup_printf ("sweep “%s”", spec) : g_strdup ("sweep");
}

static gboolean
check (const AlSweepParams *p, const char *spec, GError **error)
{
  g_autofree char *w = what (spec);
  const char *bad = NULL;

#define FAIL(...) \
  do { \
      g_autofree char *detail = g_strdup_printf (__VA_ARGS__); \
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "%s: %s", w, detail); \
      return FALSE; \
    } while (0)

  if (p->kind > AL_SWEEP_FARINA)
    FAIL ("unknown sweep type %d", (int) p->kind);
  /* NaN fails every comparison below, so test the good ranges positively. */
  if (!(p->fs >= 1000.0 && p->fs <= 1536000.0))
    FAIL ("fs = %g Hz is outside 1000 … 1536000 Hz", p->fs);
  if (!(p->f1 > 0.0))
    FAIL ("f1 = %g Hz must be positive", p->f1);
  if (!(p->f2 > p->f1))
    FAIL ("f2 = %g Hz must be above f1 = %g Hz", p->f2, p->f1);
  if (!(p->f2 < 0.5 * p->fs))
    FAIL ("f2 = %g Hz must be below fs/2 = %g Hz", p->f2, 0.5 * p->fs);
  if (!(p->duration > 0.0 && p->duration <= 600.0))
    FAIL ("T = %g s is outside (0, 600] s", p->duration);
  if (!(p->level_dbfs <= 0.0 && p->level_dbfs >= -120.0))
    FAIL ("level = %g dBFS is outside −120 … 0 dBFS", p->level_dbfs);
  if (!(p->fade_in_oct >= 0.0))
    bad = "fade_in";
  else if (!(p->fade_out_oct >= 0.0))
    bad = "fade_out";
  if (bad != NULL)
    FAIL ("%s must be 0 or more octaves", bad);
  double octaves = log2 (p->f2 / p->f1);
  if (!(p->fade_in_oct + p->fade_out_oct < octaves))
    FAIL ("the fades (%g + %g octaves) do not fit in the sweep's %.3g octaves",
          p->fade_in_oct, p->fade_out_oct, octaves);
  if (!(p->pre_s >= 0.0 && p->pre_s <= 60.0))
    FAIL ("pre = %g s is outside 0 … 60 s", p->pre_s);
  if (!(p->post_s >= 0.0 && p->post_s <= 60.0))
    FAIL ("post = %g s is outside 0 … 60 s", p->post_s);
  if (p->kind == AL_SWEEP_SYNC)
    {
      /* f1·L must be a whole number of cycles, at least one. */
      double f1L = rint (p->f1 * p->duration / log (p->f2 / p->f1));
      if (f1L < 1.0)
        FAIL ("T = %g s is too short for a synchronized sweep from %g Hz (f1·L rounds to 0; "
              "T must be at least %.3g s)", p->duration, p->f1, 0.5 * log (p->f2 / p->f1) / p->f1);
    }
#undef FAIL
  return TRUE;
}

gboolean
al_sweep_params_check (const AlSweepParams *params, GError **error)
{
  g_return_val_if_fail (params != NULL, FALSE);
  return check (params, NULL, error);
}

static gboolean
parse_number (const char *spec, const char *key, const char *text, double *out, GError **error)
{
  char *end = NULL;
  double v;

  while (g_ascii_isspace (*text))
    text++;
  if (*text == '\0')
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "sweep “%s”: %s has no value", spec, key);
      return FALSE;
    }
  v = g_ascii_strtod (text, &end);
  while (end != NULL && g_ascii_isspace (*end))
    end++;
  if (end == text || end == NULL || *end != '\0' || !isfinite (v))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "sweep “%s”: %s = “%s” is not a finite number", spec, key, text);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

static gboolean
is_blank (const char *s)
{
  for (; s != NULL && *s != '\0'; s++)
    if (!g_ascii_isspace (*s))
      return FALSE;
  return TRUE;
}

gboolean
al_sweep_params_parse (const char *spec, AlSweepParams *params, GError **error)
{
  static const char *keys[] = { "f1", "f2", "T", "fs", "level", "fade_in", "fade_out", "pre", "post", "type" };
  AlSweepParams p;
  gboolean seen[G_N_ELEMENTS (keys)] = { FALSE };
  gboolean f2_given = FALSE;

  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  al_sweep_params_init (&p);
  if (is_blank (spec))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "sweep spec is empty (expected KEY=VALUE pairs such as “f1=20,f2=22000,T=3”)");
      return FALSE;
    }

  g_auto (GStrv) items = g_strsplit (spec, ",", -1);
  for (int i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);
      char *eq = strchr (item, '=');
      guint idx;

      if (*item == '\0')
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "sweep “%s”: empty item %d", spec, i + 1);
          return FALSE;
        }
      if (eq == NULL)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                       "sweep “%s”: “%s” is not KEY=VALUE (keys: " KNOWN_KEYS ")", spec, item);
          return FALSE;
        }
      *eq = '\0';
      const char *key = g_strstrip (item);
      char *value = g_strstrip (eq + 1);
      if (g_strcmp0 (key, "duration") == 0)
        key = "T";
      for (idx = 0; idx < G_N_ELEMENTS (keys); idx++)
        if (strcmp (key, keys[idx]) == 0)
          break;
      if (idx == G_N_ELEMENTS (keys))
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                       "sweep “%s”: unknown key “%s” (keys: " KNOWN_KEYS ")", spec, key);
          return FALSE;
        }
      if (seen[idx])
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "sweep “%s”: %s is given twice", spec, key);
          return FALSE;
        }
      seen[idx] = TRUE;

      double *target = NULL;
      switch (idx)
        {
        case 0: target = &p.f1; break;
        case 1: target = &p.f2; f2_given = TRUE; break;
        case 2: target = &p.duration; break;
        case 3: target = &p.fs; break;
        case 4: target = &p.level_dbfs; break;
        case 5: target = &p.fade_in_oct; break;
        case 6: target = &p.fade_out_oct; break;
        case 7: target = &p.pre_s; break;
        case 8: target = &p.post_s; break;
        default:
          if (g_ascii_strcasecmp (value, "sync") == 0 || g_ascii_strcasecmp (value, "novak") == 0)
            p.kind = AL_SWEEP_SYNC;
          else if (g_ascii_strcasecmp (value, "farina") == 0 || g_ascii_strcasecmp (value, "ess") == 0)
            p.kind = AL_SWEEP_FARINA;
          else
            {
              g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                           "sweep “%s”: type “%s” is unknown (sync or farina)", spec, value);
              return FALSE;
            }
        }
      if (target != NULL && !parse_number (spec, key, value, target, error))
        return FALSE;
    }
  if (!f2_given)
    p.f2 = MIN (22000.0, 0.45 * p.fs);
  if (!check (&p, spec, error))
    return FALSE;
  *params = p;
  return TRUE;
}

/* Shortest of %.15g / %.17g that reads back as the same double. */
static const char *
fmt (char *buf, double v)
{
  g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.15g", v);
  if (g_ascii_strtod (buf, NULL) != v)
    g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.17g", v);
  return buf;
}

char *
al_sweep_params_to_string (const AlSweepParams *p)
{
  char b[9][G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (p != NULL, NULL);
  return g_strdup_printf ("type=%s,f1=%s,f2=%s,T=%s,fs=%s,level=%s,fade_in=%s,fade_out=%s,pre=%s,post=%s",
                          al_sweep_kind_name (p->kind),
                          fmt (b[0], p->f1),
                          fmt (b[1], p->f2),
                          fmt (b[2], p->duration),
                          fmt (b[3], p->fs),
                          fmt (b[4], p->level_dbfs),
                          fmt (b[5], p->fade_in_oct),
                          fmt (b[6], p->fade_out_oct),
                          fmt (b[7], p->pre_s),
                          fmt (b[8], p->post_s));
}
