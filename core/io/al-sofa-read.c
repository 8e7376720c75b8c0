/* al-sofa-read.c — reads SOFA (AES69) FIR files into an AlAtfSet with libnetcdf.
 *
 * Accepts the SimpleFreeFieldHRIR and GeneralFIR conventions with any number
 * of receivers.  Shapes are checked by the lengths each variable actually
 * has, so a file whose variables disagree is reported rather than misread.
 * Positions are converted to the array frame: SourcePosition relative to
 * ListenerPosition as (azimuth, elevation, distance), ReceiverPosition to
 * cartesian metres.  Whole-sample Data.Delay values are applied by shifting
 * each impulse response later; the IR length grows by the largest delay so
 * that nothing is cut off.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-io-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <limits.h>
#include <math.h>
#include <netcdf.h>
#include <string.h>
#include <unistd.h>

G_LOCK_DEFINE_STATIC (netcdf);

void
al_io_netcdf_lock (void)
{
  G_LOCK (netcdf);
}

void
al_io_netcdf_unlock (void)
{
  G_UNLOCK (netcdf);
}

void
al_sofa_info_clear (AlSofaInfo *info)
{
  if (info == NULL)
    return;
  g_clear_pointer (&info->conventions, g_free);
  g_clear_pointer (&info->conventions_version, g_free);
  g_clear_pointer (&info->data_type, g_free);
  info->max_delay = 0;
}

#define MAX_DIMS 4

typedef struct {
  int ncid;
  const char *name; /* the file's basename: every message starts with it */
} Sofa;

typedef struct {
  const char *name;
  int id;
  int ndims;
  size_t len[MAX_DIMS];
  char dim[MAX_DIMS][NC_MAX_NAME + 1];
} Var;

typedef enum {
  POS_CARTESIAN,
  POS_SPHERICAL_DEG,
  POS_SPHERICAL_RAD,
} PosKind;

/* "(M = 12, R = 5, N = 64)" */
static char *
shape_string (const Var *v)
{
  GString *s = g_string_new ("(");
  for (int i = 0; i < v->ndims; i++)
    g_string_append_printf (s, "%s%s = %zu", i ? ", " : "", v->dim[i], v->len[i]);
  g_string_append_c (s, ')');
  return g_string_free (s, FALSE);
}

static gsize
var_count (const Var *v)
{
  gsize n = 1;
  for (int i = 0; i < v->ndims; i++)
    n *= v->len[i];
  return n;
}

/* The text of attribute `att` of `varid` (NC_GLOBAL for the file), stripped,
 * or NULL when absent.  Reads NC_CHAR and NC_STRING attributes alike, since
 * other writers (netCDF4-python, h5netcdf) use both. */
static char *
get_text_att (int ncid, int varid, const char *att)
{
  nc_type type;
  size_t len;
  if (nc_inq_att (ncid, varid, att, &type, &len) != NC_NOERR)
    return NULL;
  char *text = NULL;
  if (type == NC_CHAR)
    {
      text = g_malloc0 (len + 1);
      if (nc_get_att_text (ncid, varid, att, text) != NC_NOERR)
        g_clear_pointer (&text, g_free);
    }
  else if (type == NC_STRING && len >= 1)
    {
      char **strings = g_new0 (char *, len);
      if (nc_get_att_string (ncid, varid, att, strings) == NC_NOERR)
        {
          text = g_strdup (strings[0] ? strings[0] : "");
          nc_free_string (len, strings);
        }
      g_free (strings);
    }
  return text ? g_strstrip (text) : NULL;
}

/* 1: found (v filled), 0: absent, -1: error. */
static int
find_var (Sofa *s, const char *name, Var *v, GError **error)
{
  memset (v, 0, sizeof *v);
  v->name = name;
  int status = nc_inq_varid (s->ncid, name, &v->id);
  if (status == NC_ENOTVAR)
    return 0;
  int dimids[NC_MAX_VAR_DIMS];
  if (status == NC_NOERR)
    status = nc_inq_varndims (s->ncid, v->id, &v->ndims);
  if (status == NC_NOERR && v->ndims > MAX_DIMS)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: %s has %d dimensions, more than any SOFA variable we read",
                   s->name, name, v->ndims);
      return -1;
    }
  if (status == NC_NOERR)
    status = nc_inq_vardimid (s->ncid, v->id, dimids);
  for (int i = 0; status == NC_NOERR && i < v->ndims; i++)
    status = nc_inq_dim (s->ncid, dimids[i], v->dim[i], &v->len[i]);
  if (status != NC_NOERR)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: %s: cannot read its description: %s",
                   s->name, name, nc_strerror (status));
      return -1;
    }
  return 1;
}

static gboolean
require_var (Sofa *s, const char *name, Var *v, GError **error)
{
  int found = find_var (s, name, v, error);
  if (found == 0)
    g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: variable %s is missing", s->name, name);
  return found == 1;
}

/* The whole variable as doubles (libnetcdf converts any numeric type). */
static double *
read_doubles (Sofa *s, const Var *v, GError **error)
{
  gsize n = var_count (v);
  double *x = g_try_malloc_n (MAX (n, 1), sizeof (double));
  if (x == NULL)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_UNSUPPORTED, "%s: %s has %zu values, too many to load into memory",
                   s->name, v->name, n);
      return NULL;
    }
  int status = nc_get_var_double (s->ncid, v->id, x);
  if (status != NC_NOERR)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_FORMAT,
                   "%s: %s: cannot read the values (%s); the file may be truncated or damaged",
                   s->name, v->name, nc_strerror (status));
      g_free (x);
      return NULL;
    }
  return x;
}

static gboolean
check_finite (Sofa *s, const Var *v, const double *x, gsize n, GError **error)
{
  g_autofree char *what = g_strdup_printf ("%s: %s", s->name, v->name);
  return al_check_finite (x, n, what, error);
}

/* From the Type and Units attributes; `fallback` is used when Type is absent
 * (-1: Type is required). */
static gboolean
position_kind (Sofa *s, const Var *v, int fallback, PosKind *kind, GError **error)
{
  g_autofree char *type = get_text_att (s->ncid, v->id, "Type");
  if (type == NULL)
    {
      if (fallback < 0)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_FORMAT,
                       "%s: %s has no Type attribute (\"cartesian\" or \"spherical\")", s->name, v->name);
          return FALSE;
        }
      *kind = (PosKind) fallback;
      return TRUE;
    }
  if (g_ascii_strcasecmp (type, "cartesian") == 0)
    {
      *kind = POS_CARTESIAN;
      return TRUE;
    }
  if (g_ascii_strcasecmp (type, "spherical") == 0)
    {
      /* "degree, degree, metre" by default; some writers use radians. */
      g_autofree char *units = get_text_att (s->ncid, v->id, "Units");
      const char *first = units ? units : "";
      while (*first == ' ')
        first++;
      *kind = g_ascii_strncasecmp (first, "rad", 3) == 0 ? POS_SPHERICAL_RAD : POS_SPHERICAL_DEG;
      return TRUE;
    }
  g_set_error (error, AL_ERROR, AL_ERROR_UNSUPPORTED,
               "%s: %s has Type \"%s\"; only cartesian and spherical positions are supported",
               s->name, v->name, type);
  return FALSE;
}

static void
to_cartesian (PosKind kind, const double *p, double *xyz)
{
  if (kind == POS_CARTESIAN)
    {
      memcpy (xyz, p, 3 * sizeof (double));
      return;
    }
  double scale = kind == POS_SPHERICAL_DEG ? G_PI / 180.0 : 1.0;
  double az = p[0] * scale, el = p[1] * scale, r = p[2];
  xyz[0] = r * cos (el) * cos (az);
  xyz[1] = r * cos (el) * sin (az);
  xyz[2] = r * sin (el);
}

/* azimuth, elevation (rad), distance; the zero vector gives (0, 0, 0). */
static void
to_spherical (const double *xyz, double *az, double *el, double *dist)
{
  double rho = hypot (xyz[0], xyz[1]);
  *dist = hypot (rho, xyz[2]);
  *az = *dist > 0 ? atan2 (xyz[1], xyz[0]) : 0.0;
  *el = *dist > 0 ? atan2 (xyz[2], rho) : 0.0;
}

/* Reads a position variable shaped (rows, C) or (rows, C, K), K = I or M,
 * taking k = 0, as rows x 3 cartesian metres (row-major). */
static double *
read_positions_cartesian (Sofa *s, const Var *v, int fallback, GError **error)
{
  PosKind kind;
  if (!position_kind (s, v, fallback, &kind, error))
    return NULL;
  g_autofree double *raw = read_doubles (s, v, error);
  if (raw == NULL || !check_finite (s, v, raw, var_count (v), error))
    return NULL;
  gsize rows = v->len[0], k = v->ndims == 3 ? v->len[2] : 1;
  double *xyz = g_new (double, rows * 3);
  for (gsize r = 0; r < rows; r++)
    {
      double p[3];
      for (int c = 0; c < 3; c++)
        p[c] = raw[(r * 3 + c) * k];
      to_cartesian (kind, p, xyz + 3 * r);
    }
  return xyz;
}

/* Checks a variable shaped (rows, C) with rows ∈ {1, M}. */
static gboolean
check_rows_by_c (Sofa *s, const Var *v, int M, GError **error)
{
  if (v->ndims == 2 && v->len[1] == 3 && (v->len[0] == 1 || v->len[0] == (size_t) M))
    return TRUE;
  g_autofree char *shape = shape_string (v);
  if (v->ndims == 2 && v->len[1] == 3)
    g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH, "%s: Data.IR has %d measurements but %s lists %zu",
                 s->name, M, v->name, v->len[0]);
  else
    g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: %s has shape %s; expected (I, C) or (M, C) with C = 3",
                 s->name, v->name, shape);
  return FALSE;
}

/* ListenerView must look along +x and ListenerUp along +z: any other
 * orientation would rotate every direction in the file. */
static gboolean
check_orientation (Sofa *s, const char *name, int M, const double *want, const char *want_text, GError **error)
{
  Var v;
  int found = find_var (s, name, &v, error);
  if (found <= 0)
    return found == 0;
  if (!check_rows_by_c (s, &v, M, error))
    return FALSE;
  g_autofree double *xyz = read_positions_cartesian (s, &v, POS_CARTESIAN, error);
  if (xyz == NULL)
    return FALSE;
  for (gsize r = 0; r < v.len[0]; r++)
    {
      const double *p = xyz + 3 * r;
      double n = sqrt (p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
      gboolean ok = n > 0;
      for (int c = 0; ok && c < 3; c++)
        ok = fabs (p[c] / n - want[c]) < 1e-6;
      if (!ok)
        {
          g_autofree char *where = v.len[0] > 1 ? g_strdup_printf (" at measurement %zu", r + 1) : g_strdup ("");
          g_set_error (error, AL_ERROR, AL_ERROR_UNSUPPORTED,
                       "%s: %s is (%g, %g, %g)%s; only %s is supported "
                       "(rotate the source positions into the listener's frame)",
                       s->name, name, p[0], p[1], p[2], where, want_text);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
check_named_dim (Sofa *s, const char *dim, size_t want, AlErrorCode code, const char *why, GError **error)
{
  int id;
  size_t len;
  if (nc_inq_dimid (s->ncid, dim, &id) != NC_NOERR || nc_inq_dimlen (s->ncid, id, &len) != NC_NOERR)
    return TRUE; /* shapes are checked per variable */
  if (len == want)
    return TRUE;
  g_set_error (error, AL_ERROR, code, "%s: dimension %s is %zu; %s", s->name, dim, len, why);
  return FALSE;
}

static gboolean
read_global_attributes (Sofa *s, AlSofaInfo *info, char **title, GError **error)
{
  g_autofree char *conventions = get_text_att (s->ncid, NC_GLOBAL, "Conventions");
  if (conventions == NULL || strcmp (conventions, "SOFA") != 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_FORMAT,
                   "%s: not a SOFA file (global attribute Conventions is %s%s%s, not \"SOFA\")",
                   s->name, conventions ? "\"" : "", conventions ? conventions : "missing", conventions ? "\"" : "");
      return FALSE;
    }
  g_autofree char *sofa_conventions = get_text_att (s->ncid, NC_GLOBAL, "SOFAConventions");
  if (sofa_conventions == NULL)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: global attribute SOFAConventions is missing", s->name);
      return FALSE;
    }
  if (strcmp (sofa_conventions, "SimpleFreeFieldHRIR") != 0 && strcmp (sofa_conventions, "GeneralFIR") != 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_UNSUPPORTED,
                   "%s: SOFA convention %s is not supported (Ambilab reads SimpleFreeFieldHRIR and GeneralFIR)",
                   s->name, sofa_conventions);
      return FALSE;
    }
  g_autofree char *data_type = get_text_att (s->ncid, NC_GLOBAL, "DataType");
  /* Both conventions imply FIR, so a missing DataType is tolerated. */
  if (data_type != NULL && strcmp (data_type, "FIR") != 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_UNSUPPORTED,
                   "%s: DataType %s is not supported (only FIR impulse responses)", s->name, data_type);
      return FALSE;
    }
  *title = get_text_att (s->ncid, NC_GLOBAL, "Title");
  if (info != NULL)
    {
      info->conventions = g_steal_pointer (&sofa_conventions);
      info->conventions_version = get_text_att (s->ncid, NC_GLOBAL, "SOFAConventionsVersion");
      info->data_type = g_steal_pointer (&data_type);
    }
  return TRUE;
}

/* Data.IR must be (M, R, N); files written as (M, N, R) exist in the wild. */
static gboolean
check_data_ir (Sofa *s, const Var *v, GError **error)
{
  g_autofree char *shape = shape_string (v);
  if (v->ndims == 4)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_UNSUPPORTED,
                   "%s: Data.IR has shape %s; FIR-E data with an emitter dimension is not supported",
                   s->name, shape);
      return FALSE;
    }
  if (v->ndims != 3)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: Data.IR has shape %s; SOFA requires (M, R, N)",
                   s->name, shape);
      return FALSE;
    }
  static const char *const order[] = { "M", "R", "N" };
  int named = 0, in_order = 0;
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      if (strcmp (v->dim[i], order[j]) == 0)
        {
          named++;
          in_order += i == j;
        }
  if (named == 3 && in_order != 3)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: Data.IR has dimensions %s; SOFA requires (M, R, N)",
                   s->name, shape);
      return FALSE;
    }
  if (v->len[0] == 0 || v->len[1] == 0 || v->len[2] == 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: Data.IR is empty %s", s->name, shape);
      return FALSE;
    }
  if (v->len[0] > INT_MAX || v->len[1] > INT_MAX || v->len[2] > INT_MAX / 2)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_UNSUPPORTED, "%s: Data.IR %s is too large", s->name, shape);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_sampling_rate (Sofa *s, int M, double *fs, GError **error)
{
  Var v;
  if (!require_var (s, "Data.SamplingRate", &v, error))
    return FALSE;
  gsize n = var_count (&v);
  if (v.ndims > 1 || (n != 1 && n != (gsize) M))
    {
      g_autofree char *shape = shape_string (&v);
      g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: Data.SamplingRate has shape %s; expected (I) or (M)",
                   s->name, shape);
      return FALSE;
    }
  g_autofree double *x = read_doubles (s, &v, error);
  if (x == NULL)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    {
      if (!(isfinite (x[i]) && x[i] > 0))
        {
          g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT, "%s: Data.SamplingRate: %g Hz is not a valid rate",
                       s->name, x[i]);
          return FALSE;
        }
      if (x[i] != x[0])
        {
          g_set_error (error, AL_ERROR, AL_ERROR_UNSUPPORTED,
                       "%s: Data.SamplingRate differs between measurements (%g Hz at 1, %g Hz at %zu); "
                       "one rate per file is supported", s->name, x[0], x[i], i + 1);
          return FALSE;
        }
    }
  *fs = x[0];
  return TRUE;
}

/* Data.Delay (I, R) or (M, R) in samples, or NULL and *max_delay = 0 when
 * absent or all zero; `*per_meas` tells which shape it had. */
static gboolean
read_delays (Sofa *s, int M, int R, double **delays, gboolean *per_meas, int *max_delay, GError **error)
{
  *delays = NULL;
  *max_delay = 0;
  Var v;
  int found = find_var (s, "Data.Delay", &v, error);
  if (found <= 0)
    return found == 0;
  if (v.ndims != 2 || (v.len[0] != 1 && v.len[0] != (size_t) M) || v.len[1] != (size_t) R)
    {
      g_autofree char *shape = shape_string (&v);
      if (v.ndims == 2 && v.len[1] != (size_t) R)
        g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH, "%s: Data.IR has %d receivers but Data.Delay lists %zu",
                     s->name, R, v.len[1]);
      else
        g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: Data.Delay has shape %s; expected (I, R) or (M, R)",
                     s->name, shape);
      return FALSE;
    }
  g_autofree double *x = read_doubles (s, &v, error);
  gsize n = var_count (&v);
  if (x == NULL || !check_finite (s, &v, x, n, error))
    return FALSE;
  double max = 0;
  for (gsize i = 0; i < n; i++)
    {
      gsize m = i / R + 1, r = i % R + 1;
      if (x[i] < 0)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_FORMAT,
                       "%s: Data.Delay is negative (%g samples at measurement %zu, receiver %zu)",
                       s->name, x[i], m, r);
          return FALSE;
        }
      if (x[i] != floor (x[i]))
        {
          g_set_error (error, AL_ERROR, AL_ERROR_UNSUPPORTED,
                       "%s: Data.Delay of %g samples (measurement %zu, receiver %zu) is fractional; "
                       "only whole-sample delays are supported", s->name, x[i], m, r);
          return FALSE;
        }
      max = MAX (max, x[i]);
    }
  if (max > INT_MAX / 2)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_UNSUPPORTED, "%s: Data.Delay of %g samples is too large", s->name, max);
      return FALSE;
    }
  if (max > 0)
    {
      *delays = g_steal_pointer (&x);
      *per_meas = v.len[0] > 1;
      *max_delay = (int) max;
    }
  return TRUE;
}

static gboolean
read_sources (Sofa *s, AlAtfSet *set, GError **error)
{
  int M = set->ndirs;
  Var v, lv;
  if (!require_var (s, "SourcePosition", &v, error) || !check_rows_by_c (s, &v, M, error))
    return FALSE;
  PosKind kind;
  if (!position_kind (s, &v, -1, &kind, error))
    return FALSE;
  g_autofree double *raw = read_doubles (s, &v, error);
  if (raw == NULL || !check_finite (s, &v, raw, var_count (&v), error))
    return FALSE;

  g_autofree double *listener = NULL;
  gsize nlisteners = 0;
  int found = find_var (s, "ListenerPosition", &lv, error);
  if (found < 0)
    return FALSE;
  if (found)
    {
      if (!check_rows_by_c (s, &lv, M, error))
        return FALSE;
      listener = read_positions_cartesian (s, &lv, POS_CARTESIAN, error);
      if (listener == NULL)
        return FALSE;
      nlisteners = lv.len[0];
      gboolean origin = TRUE;
      for (gsize i = 0; i < 3 * nlisteners; i++)
        origin = origin && listener[i] == 0;
      if (origin)
        g_clear_pointer (&listener, g_free);
    }

  for (int m = 0; m < M; m++)
    {
      const double *p = raw + 3 * (v.len[0] > 1 ? m : 0);
      double *dir = set->dirs + 2 * m;
      if (listener == NULL && kind != POS_CARTESIAN)
        {
          /* Taken as stored so that angles survive a round trip unchanged. */
          double scale = kind == POS_SPHERICAL_DEG ? G_PI / 180.0 : 1.0;
          dir[0] = p[0] * scale;
          dir[1] = p[1] * scale;
          set->dist[m] = p[2];
          continue;
        }
      double xyz[3];
      to_cartesian (kind, p, xyz);
      if (listener != NULL)
        {
          const double *l = listener + 3 * (nlisteners > 1 ? m : 0);
          for (int c = 0; c < 3; c++)
            xyz[c] -= l[c];
        }
      to_spherical (xyz, &dir[0], &dir[1], &set->dist[m]);
    }
  for (int m = 0; m < M; m++)
    if (set->dirs[2 * m + 1] < -G_PI_2 - 1e-9 || set->dirs[2 * m + 1] > G_PI_2 + 1e-9)
      {
        g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                     "%s: SourcePosition %d has elevation %g°, outside −90…90°",
                     s->name, m + 1, AL_RAD2DEG (set->dirs[2 * m + 1]));
        return FALSE;
      }
  return TRUE;
}

static gboolean
read_receivers (Sofa *s, AlAtfSet *set, GError **error)
{
  Var v;
  if (!require_var (s, "ReceiverPosition", &v, error))
    return FALSE;
  if (v.ndims >= 1 && v.len[0] != (size_t) set->nmics)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH, "%s: Data.IR has %d receivers but ReceiverPosition lists %zu",
                   s->name, set->nmics, v.len[0]);
      return FALSE;
    }
  if (v.ndims < 2 || v.ndims > 3 || v.len[1] != 3
      || (v.ndims == 3 && v.len[2] != 1 && v.len[2] != (size_t) set->ndirs))
    {
      g_autofree char *shape = shape_string (&v);
      g_set_error (error, AL_ERROR, AL_ERROR_FORMAT,
                   "%s: ReceiverPosition has shape %s; expected (R, C, I), (R, C) or (R, C, M) with C = 3",
                   s->name, shape);
      return FALSE;
    }
  g_autofree double *xyz = read_positions_cartesian (s, &v, POS_CARTESIAN, error);
  if (xyz == NULL)
    return FALSE;
  memcpy (set->mic_pos, xyz, sizeof (double) * 3 * set->nmics);
  return TRUE;
}

static AlAtfSet *
read_sofa (Sofa *s, AlSofaInfo *info, GError **error)
{
  g_autofree char *title = NULL;
  if (!read_global_attributes (s, info, &title, error))
    return NULL;
  if (!check_named_dim (s, "I", 1, AL_ERROR_FORMAT, "SOFA requires I = 1", error)
      || !check_named_dim (s, "C", 3, AL_ERROR_FORMAT, "SOFA requires C = 3", error)
      || !check_named_dim (s, "E", 1, AL_ERROR_UNSUPPORTED, "only a single emitter (E = 1) is supported", error))
    return NULL;

  Var ir;
  if (!require_var (s, "Data.IR", &ir, error) || !check_data_ir (s, &ir, error))
    return NULL;
  int M = (int) ir.len[0], R = (int) ir.len[1], N = (int) ir.len[2];

  double fs;
  g_autofree double *delays = NULL;
  gboolean delay_per_meas = FALSE;
  int max_delay;
  static const double plus_x[3] = { 1, 0, 0 }, plus_z[3] = { 0, 0, 1 };
  if (!read_sampling_rate (s, M, &fs, error)
      || !check_orientation (s, "ListenerView", M, plus_x, "a listener looking along +x (1, 0, 0)", error)
      || !check_orientation (s, "ListenerUp", M, plus_z, "a listener upright along +z (0, 0, 1)", error)
      || !read_delays (s, M, R, &delays, &delay_per_meas, &max_delay, error))
    return NULL;

  g_autoptr (AlAtfSet) set = al_atf_set_new (M, R, 1, fs);
  if (!read_sources (s, set, error) || !read_receivers (s, set, error))
    return NULL;

  /* Read into a buffer we may fail to get (a huge file must not abort the
   * program) and hand it to the set. */
  double *raw = read_doubles (s, &ir, error);
  if (raw == NULL || !check_finite (s, &ir, raw, var_count (&ir), error))
    {
      g_free (raw);
      return NULL;
    }
  g_free (set->ir);
  set->ir = raw;
  set->ir_len = N;
  if (max_delay > 0)
    {
      int len = N + max_delay;
      double *shifted = g_try_malloc0_n ((gsize) M * R * len, sizeof (double));
      if (shifted == NULL)
        {
          g_set_error (error, AL_ERROR, AL_ERROR_UNSUPPORTED,
                       "%s: Data.IR delayed by Data.Delay is too large to load into memory", s->name);
          return NULL;
        }
      for (int m = 0; m < M; m++)
        for (int r = 0; r < R; r++)
          {
            int d = (int) delays[(delay_per_meas ? m * R : 0) + r];
            memcpy (shifted + ((gsize) m * R + r) * len + d, raw + ((gsize) m * R + r) * N, sizeof (double) * N);
          }
      g_free (set->ir);
      set->ir = shifted;
      set->ir_len = len;
    }
  if (info != NULL)
    info->max_delay = max_delay;
  if (title != NULL && *title != '\0')
    set->title = g_steal_pointer (&title);
  return g_steal_pointer (&set);
}

static gboolean
has_netcdf_signature (const char *path)
{
  static const char hdf5[8] = { '\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n' };
  char head[8] = { 0 };
  int fd = g_open (path, O_RDONLY, 0);
  if (fd < 0)
    return FALSE;
  ssize_t n = read (fd, head, sizeof head);
  close (fd);
  return n == sizeof head && (memcmp (head, hdf5, 8) == 0 || memcmp (head, "CDF", 3) == 0);
}

static void
set_open_error (const char *path, const char *name, int status, GError **error)
{
  if (status > 0)
    g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot open: %s", path, g_strerror (status));
  else if (has_netcdf_signature (path))
    g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: truncated or damaged netCDF/HDF5 file (%s)",
                 name, nc_strerror (status));
  else
    g_set_error (error, AL_ERROR, AL_ERROR_FORMAT, "%s: not a SOFA file: not a netCDF/HDF5 file", name);
}

AlAtfSet *
al_sofa_read_with_info (const char *path, AlSofaInfo *info, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_autofree char *name = g_path_get_basename (path);
  if (g_access (path, R_OK) != 0)
    {
      int saved = errno;
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot open: %s", path, g_strerror (saved));
      return NULL;
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: is a folder, not a SOFA file", path);
      return NULL;
    }

  Sofa s = { .ncid = -1, .name = name };
  AlAtfSet *set = NULL;
  al_io_netcdf_lock ();
  int status = nc_open (path, NC_NOWRITE, &s.ncid);
  if (status != NC_NOERR)
    set_open_error (path, name, status, error);
  else
    {
      set = read_sofa (&s, info, error);
      nc_close (s.ncid);
    }
  al_io_netcdf_unlock ();
  if (set == NULL)
    al_sofa_info_clear (info);
  else
    set->source = g_steal_pointer (&name);
  return set;
}

AlAtfSet *
al_sofa_read (const char *path, GError **error)
{
  return al_sofa_read_with_info (path, NULL, error);
}
