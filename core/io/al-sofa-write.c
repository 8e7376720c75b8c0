/* al-sofa-write.c — writes an AlAtfSet as SOFA SimpleFreeFieldHRIR 1.0 with libnetcdf.
 *
 * Follows reference/measurement.md §7.3 so that libmysofa's mysofa_load
 * reads the result: netCDF-4 (HDF5), text attributes only, NC_DOUBLE
 * variables, a contiguous Data.IR.  R is the number of microphones.  The
 * file is written beside the target under a temporary name and renamed over
 * it only when complete.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-io-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <netcdf.h>
#include <string.h>
#include <unistd.h>

/* AL_VERSION comes from the top-level meson.build. */
#ifndef AL_VERSION
#define AL_VERSION "0"
#endif

typedef struct {
  int ncid;
  const char *path; /* the target, for messages */
  int status;       /* first netCDF failure */
  const char *what; /* what was being written then */
} Writer;

/* Records the first failure; later calls become no-ops so that the
 * definitions read as a plain list. */
static gboolean
ok (Writer *w, int status, const char *what)
{
  if (w->status == NC_NOERR && status != NC_NOERR)
    {
      w->status = status;
      w->what = what;
    }
  return w->status == NC_NOERR;
}

/* Text attributes only: an NC_STRING attribute makes mysofa_load fail. */
static void
put_text (Writer *w, int varid, const char *name, const char *value)
{
  if (w->status == NC_NOERR)
    ok (w, nc_put_att_text (w->ncid, varid, name, strlen (value), value), name);
}

static int
def_var (Writer *w, const char *name, int ndims, const int *dims, const char *type, const char *units)
{
  int varid = -1;
  if (w->status != NC_NOERR)
    return -1;
  if (!ok (w, nc_def_var (w->ncid, name, NC_DOUBLE, ndims, dims, &varid), name))
    return -1;
  /* libmysofa 1.3.1 fails on many chunks; contiguous is always safe. */
  ok (w, nc_def_var_chunking (w->ncid, varid, NC_CONTIGUOUS, NULL), name);
  if (type != NULL)
    put_text (w, varid, "Type", type);
  if (units != NULL)
    put_text (w, varid, "Units", units);
  return varid;
}

static void
put_var (Writer *w, int varid, const char *name, const double *x)
{
  if (w->status == NC_NOERR)
    ok (w, nc_put_var_double (w->ncid, varid, x), name);
}

static void
write_contents (Writer *w, const AlAtfSet *set, const AlSofaMeta *meta)
{
  /* Not I, C, …: <complex.h> (via al-array.h) defines I. */
  enum { DIM_I, DIM_C, DIM_R, DIM_E, DIM_N, DIM_M, NDIMS };
  static const char *const dim_names[NDIMS] = { "I", "C", "R", "E", "N", "M" };
  size_t dim_lens[NDIMS] = { 1, 3, set->nmics, 1, set->ir_len, set->ndirs };
  int dim[NDIMS];
  for (int i = 0; i < NDIMS; i++)
    if (!ok (w, nc_def_dim (w->ncid, dim_names[i], dim_lens[i], &dim[i]), dim_names[i]))
      return;

  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d %H:%M:%S");
  const char *title = meta->title ? meta->title : set->title ? set->title : "Array transfer functions";
  const struct { const char *name, *value; } globals[] = {
    { "Conventions", "SOFA" },
    { "Version", "2.1" },
    { "SOFAConventions", "SimpleFreeFieldHRIR" },
    { "SOFAConventionsVersion", "1.0" },
    { "APIName", "Ambilab" },
    { "APIVersion", AL_VERSION },
    { "AuthorContact", meta->author_contact ? meta->author_contact : "" },
    { "Comment", meta->comment ? meta->comment : "" },
    { "DataType", "FIR" },
    { "License", meta->license ? meta->license : "No license provided, ask the author for permission" },
    { "Organization", meta->organization ? meta->organization : "" },
    { "RoomType", "free field" },
    { "DateCreated", date },
    { "DateModified", date },
    { "Title", title },
    { "DatabaseName", meta->database_name ? meta->database_name : "Ambilab" },
    { "ListenerShortName", meta->listener_short_name ? meta->listener_short_name : "array" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (globals); i++)
    put_text (w, NC_GLOBAL, globals[i].name, globals[i].value);

  int ic[] = { dim[DIM_I], dim[DIM_C] };
  int rci[] = { dim[DIM_R], dim[DIM_C], dim[DIM_I] };
  int eci[] = { dim[DIM_E], dim[DIM_C], dim[DIM_I] };
  int mc[] = { dim[DIM_M], dim[DIM_C] };
  int mrn[] = { dim[DIM_M], dim[DIM_R], dim[DIM_N] };
  int ir[] = { dim[DIM_I], dim[DIM_R] };
  int v_lpos = def_var (w, "ListenerPosition", 2, ic, "cartesian", "metre");
  int v_lup = def_var (w, "ListenerUp", 2, ic, "cartesian", "metre");
  int v_lview = def_var (w, "ListenerView", 2, ic, "cartesian", "metre");
  int v_rpos = def_var (w, "ReceiverPosition", 3, rci, "cartesian", "metre");
  int v_spos = def_var (w, "SourcePosition", 2, mc, "spherical", "degree, degree, metre");
  int v_epos = def_var (w, "EmitterPosition", 3, eci, "cartesian", "metre");
  int v_ir = def_var (w, "Data.IR", 3, mrn, NULL, NULL);
  int v_fs = def_var (w, "Data.SamplingRate", 1, &dim[DIM_I], NULL, "hertz");
  int v_delay = def_var (w, "Data.Delay", 2, ir, NULL, NULL);
  if (w->status != NC_NOERR || !ok (w, nc_enddef (w->ncid), "definitions"))
    return;

  static const double origin[3] = { 0, 0, 0 }, up[3] = { 0, 0, 1 }, view[3] = { 1, 0, 0 };
  g_autofree double *sources = g_new (double, (gsize) set->ndirs * 3);
  for (int m = 0; m < set->ndirs; m++)
    {
      sources[3 * m] = AL_RAD2DEG (set->dirs[2 * m]);
      sources[3 * m + 1] = AL_RAD2DEG (set->dirs[2 * m + 1]);
      /* SOFA has no "unknown distance"; 1 m is the customary stand-in. */
      sources[3 * m + 2] = set->dist[m] > 0 ? set->dist[m] : 1.0;
    }
  g_autofree double *delays = g_new0 (double, set->nmics);
  put_var (w, v_lpos, "ListenerPosition", origin);
  put_var (w, v_lup, "ListenerUp", up);
  put_var (w, v_lview, "ListenerView", view);
  /* mic_pos (R x 3) has the memory layout of (R, C, I). */
  put_var (w, v_rpos, "ReceiverPosition", set->mic_pos);
  put_var (w, v_spos, "SourcePosition", sources);
  put_var (w, v_epos, "EmitterPosition", origin);
  put_var (w, v_ir, "Data.IR", set->ir);
  put_var (w, v_fs, "Data.SamplingRate", &set->fs);
  put_var (w, v_delay, "Data.Delay", delays);
}

gboolean
al_sofa_write (const char *path, const AlAtfSet *set, const AlSofaMeta *meta, GError **error)
{
  g_return_val_if_fail (path != NULL && set != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  static const AlSofaMeta no_meta = { 0 };
  if (meta == NULL)
    meta = &no_meta;
  g_autofree char *name = g_path_get_basename (path);
  if (!al_atf_set_validate (set, name, error))
    return FALSE;
  g_autofree char *what_dist = g_strdup_printf ("%s: source distances", name);
  if (!al_check_finite (set->dist, set->ndirs, what_dist, error))
    return FALSE;

  /* Creating the temporary file ourselves gives a proper errno message for
   * an unwritable folder (HDF5 reports only "HDF error"). */
  g_autofree char *tmp = al_temp_path_for (path);
  int fd = g_open (tmp, O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot write: %s", path, g_strerror (saved));
      return FALSE;
    }
  close (fd);

  Writer w = { .ncid = -1, .path = path, .status = NC_NOERR };
  al_io_netcdf_lock ();
  if (ok (&w, nc_create (tmp, NC_NETCDF4 | NC_CLOBBER, &w.ncid), "creating the file"))
    {
      int old_fill;
      /* Every value is written, so pre-filling would only cost time. */
      ok (&w, nc_set_fill (w.ncid, NC_NOFILL, &old_fill), "fill mode");
      write_contents (&w, set, meta);
      if (w.status == NC_NOERR)
        ok (&w, nc_close (w.ncid), "closing the file");
      else
        nc_abort (w.ncid);
    }
  al_io_netcdf_unlock ();

  if (w.status != NC_NOERR)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot write SOFA (%s): %s",
                   path, w.what, nc_strerror (w.status));
      al_discard_temp_file (tmp);
      return FALSE;
    }
  return al_commit_temp_file (tmp, path, error);
}
