/* test-sofa.c — SOFA read/write: round trips, the file structure measurement.md
 * §7.3 prescribes, libmysofa cross-checks, a real measured HRTF set, and bad
 * input of every kind we promise to report.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
/* Before al-io.h: struct MYSOFA_HRTF has a member I, which <complex.h>
 * (included by al-array.h) defines as a macro. */
#include <mysofa.h>

#include "al-io.h"
#include "io-test-util.h"

#include <math.h>
#include <netcdf.h>
#include <string.h>

#define MIT_SOFA "/usr/share/libmysofa/MIT_KEMAR_normal_pinna.sofa"
#define NC(call) g_assert_cmpint ((call), ==, NC_NOERR)

/* Random IRs, arbitrary directions; every third distance 0 (unknown). */
static AlAtfSet *
synthetic_set (int M, int R, int N, guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  AlAtfSet *set = al_atf_set_new (M, R, N, 48000);
  for (int m = 0; m < M; m++)
    {
      set->dirs[2 * m] = g_rand_double_range (rand, -G_PI, G_PI);
      set->dirs[2 * m + 1] = g_rand_double_range (rand, -G_PI_2, G_PI_2);
      set->dist[m] = m % 3 == 0 ? 0.0 : g_rand_double_range (rand, 0.5, 3.0);
    }
  for (int i = 0; i < 3 * R; i++)
    set->mic_pos[i] = g_rand_double_range (rand, -0.1, 0.1);
  for (gsize i = 0; i < (gsize) M * R * N; i++)
    set->ir[i] = g_rand_double_range (rand, -1, 1);
  return set;
}

static void
assert_error_contains (const GError *error, AlErrorCode code, const char *a, const char *b)
{
  g_assert_nonnull (error);
  if (g_test_verbose ())
    g_test_message ("error: %s", error->message);
  g_assert_error (error, AL_ERROR, (gint) code);
  if (strstr (error->message, a) == NULL || (b != NULL && strstr (error->message, b) == NULL))
    g_error ("message \"%s\" lacks \"%s\"%s%s", error->message, a, b ? " or " : "", b ? b : "");
}

/* ---- Round trip ---- */

static void
test_roundtrip (void)
{
  g_autofree char *dir = io_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "atf.sofa", NULL);
  g_autoptr (AlAtfSet) set = synthetic_set (12, 5, 64, 1);
  AlSofaMeta meta = { .title = "Synthetic set", .comment = "random data" };
  g_autoptr (GError) error = NULL;
  g_assert_true (al_sofa_write (path, set, &meta, &error));
  g_assert_no_error (error);
  g_autofree char *listing = io_test_dir_list (dir);
  g_assert_cmpstr (listing, ==, "atf.sofa");

  g_autoptr (AlAtfSet) back = al_sofa_read (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  g_assert_cmpint (back->ndirs, ==, 12);
  g_assert_cmpint (back->nmics, ==, 5);
  g_assert_cmpint (back->ir_len, ==, 64);
  g_assert_cmpfloat (back->fs, ==, 48000.0);
  g_assert_cmpmem (back->ir, sizeof (double) * 12 * 5 * 64, set->ir, sizeof (double) * 12 * 5 * 64);
  g_assert_cmpmem (back->mic_pos, sizeof (double) * 15, set->mic_pos, sizeof (double) * 15);
  for (int m = 0; m < 12; m++)
    {
      g_assert_cmpfloat_with_epsilon (back->dirs[2 * m], set->dirs[2 * m], 1e-12);
      g_assert_cmpfloat_with_epsilon (back->dirs[2 * m + 1], set->dirs[2 * m + 1], 1e-12);
      /* Unknown distance (0) is written as 1 m and read back as such. */
      g_assert_cmpfloat_with_epsilon (back->dist[m], set->dist[m] > 0 ? set->dist[m] : 1.0, 1e-12);
    }
  g_assert_cmpstr (back->title, ==, "Synthetic set");
  g_assert_cmpstr (back->source, ==, "atf.sofa");

  /* Overwriting an existing file works and leaves no temporary behind. */
  set->ir[0] = 0.25;
  g_assert_true (al_sofa_write (path, set, NULL, &error));
  g_assert_no_error (error);
  g_autoptr (AlAtfSet) again = al_sofa_read (path, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (again->ir[0], ==, 0.25);
  g_assert_cmpstr (again->title, ==, "Array transfer functions"); /* no meta, no set title: the default */
  g_free (listing);
  listing = io_test_dir_list (dir);
  g_assert_cmpstr (listing, ==, "atf.sofa");
  io_test_dir_remove (dir);
}

static char *
get_att (int ncid, int varid, const char *name)
{
  nc_type type;
  size_t len;
  NC (nc_inq_att (ncid, varid, name, &type, &len));
  g_assert_cmpint (type, ==, NC_CHAR); /* NC_STRING breaks mysofa_load */
  char *text = g_malloc0 (len + 1);
  NC (nc_get_att_text (ncid, varid, name, text));
  return text;
}

static void
assert_att (int ncid, int varid, const char *name, const char *want)
{
  g_autofree char *text = get_att (ncid, varid, name);
  g_assert_cmpstr (text, ==, want);
}

static void
assert_var_dims (int ncid, const char *var, const char *want_dims, int *varid)
{
  int ndims, dimids[NC_MAX_VAR_DIMS];
  nc_type type;
  NC (nc_inq_varid (ncid, var, varid));
  NC (nc_inq_var (ncid, *varid, NULL, &type, &ndims, dimids, NULL));
  g_assert_cmpint (type, ==, NC_DOUBLE);
  char names[8] = { 0 };
  for (int i = 0; i < ndims; i++)
    {
      char dim[NC_MAX_NAME + 1];
      NC (nc_inq_dimname (ncid, dimids[i], dim));
      g_assert_cmpint (strlen (dim), ==, 1);
      names[i] = dim[0];
    }
  g_assert_cmpstr (names, ==, want_dims);
}

/* The file layout of measurement.md §7.3, checked with libnetcdf directly. */
static void
test_structure (void)
{
  g_autofree char *dir = io_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "atf.sofa", NULL);
  g_autoptr (AlAtfSet) set = synthetic_set (12, 5, 64, 2);
  AlSofaMeta meta = { .title = "T", .comment = "C", .author_contact = "a@b.c", .organization = "Lab",
                      .database_name = "DB", .listener_short_name = "glasses" };
  g_autoptr (GError) error = NULL;
  g_assert_true (al_sofa_write (path, set, &meta, &error));
  g_assert_no_error (error);

  int ncid, format, varid;
  NC (nc_open (path, NC_NOWRITE, &ncid));
  NC (nc_inq_format (ncid, &format));
  g_assert_cmpint (format, ==, NC_FORMAT_NETCDF4);
  const char *dims[] = { "I", "C", "R", "E", "N", "M" };
  const size_t lens[] = { 1, 3, 5, 1, 64, 12 };
  for (int i = 0; i < 6; i++)
    {
      int dimid;
      size_t len;
      NC (nc_inq_dimid (ncid, dims[i], &dimid));
      NC (nc_inq_dimlen (ncid, dimid, &len));
      g_assert_cmpuint (len, ==, lens[i]);
    }
  const char *globals[][2] = {
    { "Conventions", "SOFA" }, { "Version", "2.1" }, { "SOFAConventions", "SimpleFreeFieldHRIR" },
    { "SOFAConventionsVersion", "1.0" }, { "APIName", "Ambilab" }, { "AuthorContact", "a@b.c" },
    { "DataType", "FIR" }, { "Organization", "Lab" }, { "RoomType", "free field" }, { "Title", "T" },
    { "DatabaseName", "DB" }, { "ListenerShortName", "glasses" }, { "Comment", "C" },
    { "License", "No license provided, ask the author for permission" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (globals); i++)
    assert_att (ncid, NC_GLOBAL, globals[i][0], globals[i][1]);
  g_autofree char *api_version = get_att (ncid, NC_GLOBAL, "APIVersion");
  g_assert_cmpuint (strlen (api_version), >, 0);
  g_autofree char *created = get_att (ncid, NC_GLOBAL, "DateCreated");
  g_autofree char *modified = get_att (ncid, NC_GLOBAL, "DateModified");
  g_assert_true (g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$", created, 0, 0));
  g_assert_cmpstr (created, ==, modified);

  assert_var_dims (ncid, "ListenerPosition", "IC", &varid);
  assert_var_dims (ncid, "ListenerUp", "IC", &varid);
  double v[3];
  NC (nc_get_var_double (ncid, varid, v));
  g_assert_true (v[0] == 0 && v[1] == 0 && v[2] == 1);
  assert_var_dims (ncid, "ListenerView", "IC", &varid);
  NC (nc_get_var_double (ncid, varid, v));
  g_assert_true (v[0] == 1 && v[1] == 0 && v[2] == 0);
  assert_att (ncid, varid, "Type", "cartesian");
  assert_var_dims (ncid, "ReceiverPosition", "RCI", &varid);
  assert_att (ncid, varid, "Type", "cartesian");
  assert_att (ncid, varid, "Units", "metre");
  assert_var_dims (ncid, "SourcePosition", "MC", &varid);
  assert_att (ncid, varid, "Type", "spherical");
  assert_att (ncid, varid, "Units", "degree, degree, metre");
  double src[36];
  NC (nc_get_var_double (ncid, varid, src));
  for (int m = 0; m < 12; m++)
    {
      g_assert_cmpfloat_with_epsilon (src[3 * m], set->dirs[2 * m] * 180 / G_PI, 1e-10);
      g_assert_cmpfloat_with_epsilon (src[3 * m + 1], set->dirs[2 * m + 1] * 180 / G_PI, 1e-10);
    }
  assert_var_dims (ncid, "EmitterPosition", "ECI", &varid);
  assert_var_dims (ncid, "Data.SamplingRate", "I", &varid);
  assert_att (ncid, varid, "Units", "hertz");
  assert_var_dims (ncid, "Data.Delay", "IR", &varid);
  double delay[5] = { 1, 1, 1, 1, 1 };
  NC (nc_get_var_double (ncid, varid, delay));
  for (int r = 0; r < 5; r++)
    g_assert_cmpfloat (delay[r], ==, 0.0);
  assert_var_dims (ncid, "Data.IR", "MRN", &varid);
  int storage;
  NC (nc_inq_var_chunking (ncid, varid, &storage, NULL));
  g_assert_cmpint (storage, ==, NC_CONTIGUOUS);

  /* Text attributes only, everywhere. */
  int nvars;
  NC (nc_inq_nvars (ncid, &nvars));
  for (int var = -1; var < nvars; var++)
    {
      int natts;
      NC (nc_inq_varnatts (ncid, var, &natts));
      for (int a = 0; a < natts; a++)
        {
          char name[NC_MAX_NAME + 1];
          nc_type type;
          NC (nc_inq_attname (ncid, var, a, name));
          NC (nc_inq_atttype (ncid, var, name, &type));
          g_assert_cmpint (type, ==, NC_CHAR);
        }
    }
  NC (nc_close (ncid));
  io_test_dir_remove (dir);
}

/* ---- libmysofa reads what we write ---- */

static void
test_mysofa_load (void)
{
  g_autofree char *dir = io_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "atf.sofa", NULL);
  g_autoptr (AlAtfSet) set = synthetic_set (12, 5, 64, 3);
  g_autoptr (GError) error = NULL;
  g_assert_true (al_sofa_write (path, set, NULL, &error));
  g_assert_no_error (error);

  int err = -1;
  struct MYSOFA_HRTF *hrtf = mysofa_load (path, &err);
  g_assert_cmpint (err, ==, MYSOFA_OK);
  g_assert_nonnull (hrtf);
  g_assert_cmpuint (hrtf->M, ==, 12);
  g_assert_cmpuint (hrtf->R, ==, 5);
  g_assert_cmpuint (hrtf->N, ==, 64);
  g_assert_cmpuint (hrtf->DataIR.elements, ==, 12 * 5 * 64);
  for (int i = 0; i < 12 * 5 * 64; i++)
    g_assert_cmpfloat (fabs (hrtf->DataIR.values[i] - set->ir[i]), <=, 1e-6 * fabs (set->ir[i]));
  g_assert_cmpuint (hrtf->DataSamplingRate.elements, ==, 1);
  g_assert_cmpfloat (hrtf->DataSamplingRate.values[0], ==, 48000.0);
  g_assert_cmpuint (hrtf->SourcePosition.elements, ==, 36);
  for (int m = 0; m < 12; m++)
    g_assert_cmpfloat_with_epsilon (hrtf->SourcePosition.values[3 * m + 1], set->dirs[2 * m + 1] * 180 / G_PI, 1e-4);
  g_assert_cmpstr (mysofa_getAttribute (hrtf->attributes, "SOFAConventions"), ==, "SimpleFreeFieldHRIR");
  mysofa_free (hrtf);
  io_test_dir_remove (dir);
}

/* With two receivers at the ears our file also passes libmysofa's full
 * SimpleFreeFieldHRIR check (measurement.md §7.5). */
static void
test_mysofa_check_binaural (void)
{
  g_autofree char *dir = io_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "hrir.sofa", NULL);
  g_autoptr (AlAtfSet) set = synthetic_set (20, 2, 32, 4);
  const double ears[6] = { 0, 0.0875, 0, 0, -0.0875, 0 };
  memcpy (set->mic_pos, ears, sizeof ears);
  g_autoptr (GError) error = NULL;
  g_assert_true (al_sofa_write (path, set, NULL, &error));
  g_assert_no_error (error);
  int err = -1;
  struct MYSOFA_HRTF *hrtf = mysofa_load (path, &err);
  g_assert_cmpint (err, ==, MYSOFA_OK);
  g_assert_cmpint (mysofa_check (hrtf), ==, MYSOFA_OK);
  mysofa_free (hrtf);
  io_test_dir_remove (dir);
}

/* ---- A real measured set ---- */

static void
test_mit_kemar (void)
{
  if (!g_file_test (MIT_SOFA, G_FILE_TEST_EXISTS))
    {
      g_test_skip (MIT_SOFA " is not installed (Debian package libmysofa1)");
      return;
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (AlAtfSet) set = al_sofa_read (MIT_SOFA, &error);
  g_assert_no_error (error);
  /* Facts from `ncdump -h` / `ncdump -v`. */
  g_assert_cmpint (set->ndirs, ==, 710);
  g_assert_cmpint (set->nmics, ==, 2);
  g_assert_cmpint (set->ir_len, ==, 512);
  g_assert_cmpfloat (set->fs, ==, 44100.0);
  const double ears[6] = { 0, 0.09, 0, 0, -0.09, 0 };
  g_assert_cmpmem (set->mic_pos, sizeof ears, ears, sizeof ears);
  g_assert_cmpfloat_with_epsilon (set->dirs[0], 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (set->dirs[1], -40 * G_PI / 180, 1e-12);
  g_assert_cmpfloat_with_epsilon (set->dirs[2], 6.42857142857143 * G_PI / 180, 1e-12);
  g_assert_cmpfloat_with_epsilon (set->dist[0], 1.4, 1e-12);
  g_assert_cmpfloat (set->ir[0], ==, 6.103515625e-05);
  g_assert_cmpfloat (set->ir[3], ==, 3.0517578125e-05);
  g_assert_cmpfloat (set->ir[5], ==, -3.0517578125e-05);
  g_assert_null (set->title); /* Title = "" */
  g_assert_cmpstr (set->source, ==, "MIT_KEMAR_normal_pinna.sofa");

  int err = -1;
  struct MYSOFA_HRTF *hrtf = mysofa_load (MIT_SOFA, &err);
  g_assert_cmpint (err, ==, MYSOFA_OK);
  g_assert_cmpuint (hrtf->DataIR.elements, ==, 710 * 2 * 512);
  const int probes[] = { 0, 1, 511, 512, 1000, 12345, 363520, 710 * 2 * 512 - 1 };
  for (gsize i = 0; i < G_N_ELEMENTS (probes); i++)
    {
      double want = hrtf->DataIR.values[probes[i]];
      g_assert_cmpfloat (fabs (set->ir[probes[i]] - want), <=, 1e-6 * fabs (want));
    }
  double max_abs = 0;
  for (int i = 0; i < 710 * 2 * 512; i++)
    max_abs = MAX (max_abs, fabs (set->ir[i] - hrtf->DataIR.values[i]));
  g_assert_cmpfloat (max_abs, <=, 1e-6);
  for (int m = 0; m < 710; m++)
    g_assert_cmpfloat_with_epsilon (set->dirs[2 * m + 1] * 180 / G_PI, hrtf->SourcePosition.values[3 * m + 1], 1e-4);
  mysofa_free (hrtf);
}

/* ---- Files written by hand with libnetcdf, one defect at a time ---- */

#define SM 3
#define SR 4
#define SN 8

typedef struct {
  const char *conventions, *data_type;
  int rcv_rows;  /* rows of ReceiverPosition (SR unless testing a mismatch) */
  int rcv_shape; /* 0: (R, C, I), 1: (R, C), 2: (R, C, M) */
  const char *rcv_type, *rcv_units, *src_type, *src_units;
  double rcv[(SR + 1) * 3], src[SM * 3], lpos[3], lview[3], fs[SM], delay[SM * SR], ir[SM * SR * SN];
  int fs_rows, delay_rows; /* delay_rows 0: no Data.Delay */
  gboolean has_ir, ir_float, ir_mnr;
} Spec;

static void
spec_init (Spec *s)
{
  memset (s, 0, sizeof *s);
  s->conventions = "SimpleFreeFieldHRIR";
  s->data_type = "FIR";
  s->rcv_rows = SR;
  s->rcv_type = "cartesian";
  s->rcv_units = "metre";
  s->src_type = "spherical";
  s->src_units = "degree, degree, metre";
  for (int i = 0; i < (SR + 1) * 3; i++)
    s->rcv[i] = 0.01 * (i + 1);
  for (int m = 0; m < SM; m++)
    {
      s->src[3 * m] = 30.0 * m;
      s->src[3 * m + 1] = 10.0 * m;
      s->src[3 * m + 2] = 1.5;
    }
  s->lview[0] = 1;
  s->fs[0] = 48000;
  s->fs_rows = 1;
  for (int i = 0; i < SM * SR * SN; i++)
    s->ir[i] = 0.5 * sin (0.3 * i + 1);
  s->has_ir = TRUE;
}

static void
put_text (int ncid, int varid, const char *name, const char *value)
{
  NC (nc_put_att_text (ncid, varid, name, strlen (value), value));
}

static int
def_double (int ncid, const char *name, int ndims, const int *dims, const char *type, const char *units)
{
  int varid;
  NC (nc_def_var (ncid, name, NC_DOUBLE, ndims, dims, &varid));
  if (type)
    put_text (ncid, varid, "Type", type);
  if (units)
    put_text (ncid, varid, "Units", units);
  return varid;
}

static char *
spec_write (const Spec *s, const char *dir, const char *name)
{
  char *path = g_build_filename (dir, name, NULL);
  int ncid, dI, dC, dR, dE, dN, dM, dQ;
  NC (nc_create (path, NC_NETCDF4 | NC_CLOBBER, &ncid));
  NC (nc_def_dim (ncid, "I", 1, &dI));
  NC (nc_def_dim (ncid, "C", 3, &dC));
  NC (nc_def_dim (ncid, "R", SR, &dR));
  NC (nc_def_dim (ncid, "E", 1, &dE));
  NC (nc_def_dim (ncid, "N", SN, &dN));
  NC (nc_def_dim (ncid, "M", SM, &dM));
  dQ = dR;
  if (s->rcv_rows != SR)
    NC (nc_def_dim (ncid, "Q", s->rcv_rows, &dQ));
  put_text (ncid, NC_GLOBAL, "Conventions", "SOFA");
  put_text (ncid, NC_GLOBAL, "Version", "2.1");
  put_text (ncid, NC_GLOBAL, "SOFAConventions", s->conventions);
  put_text (ncid, NC_GLOBAL, "DataType", s->data_type);
  put_text (ncid, NC_GLOBAL, "Title", "hand-made");

  int ic[] = { dI, dC }, mc[] = { dM, dC };
  int rcv_dims[] = { dQ, dC, s->rcv_shape == 2 ? dM : dI };
  int v_rcv = def_double (ncid, "ReceiverPosition", s->rcv_shape == 1 ? 2 : 3, rcv_dims, s->rcv_type, s->rcv_units);
  int v_src = def_double (ncid, "SourcePosition", 2, mc, s->src_type, s->src_units);
  int v_lpos = def_double (ncid, "ListenerPosition", 2, ic, "cartesian", "metre");
  int v_lview = def_double (ncid, "ListenerView", 2, ic, "cartesian", "metre");
  int fs_dims[] = { s->fs_rows == 1 ? dI : dM };
  int v_fs = def_double (ncid, "Data.SamplingRate", 1, fs_dims, NULL, "hertz");
  int v_delay = -1, v_ir = -1;
  if (s->delay_rows)
    {
      int delay_dims[] = { s->delay_rows == 1 ? dI : dM, dR };
      v_delay = def_double (ncid, "Data.Delay", 2, delay_dims, NULL, NULL);
    }
  if (s->has_ir)
    {
      int mrn[] = { dM, dR, dN }, mnr[] = { dM, dN, dR };
      NC (nc_def_var (ncid, "Data.IR", s->ir_float ? NC_FLOAT : NC_DOUBLE, 3, s->ir_mnr ? mnr : mrn, &v_ir));
    }
  NC (nc_enddef (ncid));

  double rcv[(SR + 1) * 3 * SM];
  int k = s->rcv_shape == 2 ? SM : 1;
  for (int r = 0; r < s->rcv_rows; r++)
    for (int c = 0; c < 3; c++)
      for (int j = 0; j < k; j++)
        rcv[(r * 3 + c) * k + j] = s->rcv[3 * r + c];
  NC (nc_put_var_double (ncid, v_rcv, rcv));
  NC (nc_put_var_double (ncid, v_src, s->src));
  NC (nc_put_var_double (ncid, v_lpos, s->lpos));
  NC (nc_put_var_double (ncid, v_lview, s->lview));
  NC (nc_put_var_double (ncid, v_fs, s->fs));
  if (v_delay >= 0)
    NC (nc_put_var_double (ncid, v_delay, s->delay));
  if (v_ir >= 0)
    NC (nc_put_var_double (ncid, v_ir, s->ir));
  NC (nc_close (ncid));
  return path;
}

static void
test_describe_sofa (void)
{
  if (!g_file_test (MIT_SOFA, G_FILE_TEST_EXISTS))
    {
      g_test_skip (MIT_SOFA " is not installed (Debian package libmysofa1)");
      return;
    }
  g_autoptr (GError) error = NULL;
  g_autofree char *text = al_describe_sofa (MIT_SOFA, &error);
  g_assert_no_error (error);
  if (g_test_verbose ())
    g_test_message ("%s", text);
  /* 512 / 44100 s = 11.61 ms; 14 elevation rings from −40° to 90° (ncdump). */
  const char *want[] = {
    "MIT_KEMAR_normal_pinna.sofa: SOFA SimpleFreeFieldHRIR 1.0, FIR",
    "710 measurements (M), 2 receivers (R), 512 samples (N)",
    "Sampling rate 44100 Hz, IR length 11.61 ms",
    "azimuth 0.0° … 355.0°, elevation -40.0° … 90.0° (14 distinct elevations)",
    "Source distance 1.400 m",
    "1: 0.0000, 0.0900, 0.0000",
    "2: 0.0000, -0.0900, 0.0000",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (want); i++)
    if (strstr (text, want[i]) == NULL)
      g_error ("description lacks \"%s\":\n%s", want[i], text);

  /* A frontal sector from −30° to 30° on two rings, with a delay applied. */
  g_autofree char *dir = io_test_dir_new ();
  Spec s;
  spec_init (&s);
  const double src[SM * 3] = { -30, 0, 2, 0, 0, 2, 30, 20, 2 };
  memcpy (s.src, src, sizeof src);
  s.delay_rows = 1;
  s.delay[1] = 3;
  g_autofree char *path = spec_write (&s, dir, "sector.sofa");
  g_autofree char *sector = al_describe_sofa (path, &error);
  g_assert_no_error (error);
  const char *want_sector[] = {
    "sector.sofa: SOFA SimpleFreeFieldHRIR (no version), FIR\n",
    "Title: hand-made\n",
    "3 measurements (M), 4 receivers (R), 11 samples (N)\n",
    "Sampling rate 48000 Hz, IR length 0.23 ms (including Data.Delay of up to 3 samples)\n",
    "azimuth -30.0° … 30.0°, elevation 0.0° … 20.0° (2 distinct elevations)\n",
    "Source distance 2.000 m\n",
    "  4: 0.1000, 0.1100, 0.1200\n",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (want_sector); i++)
    if (strstr (sector, want_sector[i]) == NULL)
      g_error ("description lacks \"%s\":\n%s", want_sector[i], sector);
  io_test_dir_remove (dir);

  g_autofree char *missing = al_describe_sofa ("/nonexistent/x.sofa", &error);
  g_assert_null (missing);
  assert_error_contains (error, AL_ERROR_IO, "/nonexistent/x.sofa", "No such file");
}

/* Writes `s` as `name`, reads it and expects failure with `code` and both substrings. */
static void
expect_read_error (const Spec *s, const char *name, AlErrorCode code, const char *a, const char *b)
{
  g_autofree char *dir = io_test_dir_new ();
  g_autofree char *path = spec_write (s, dir, name);
  g_autoptr (GError) error = NULL;
  g_autoptr (AlAtfSet) set = al_sofa_read (path, &error);
  g_assert_null (set);
  assert_error_contains (error, code, a, b);
  io_test_dir_remove (dir);
}

static void
test_bad_receiver_count (void)
{
  Spec s;
  spec_init (&s);
  s.rcv_rows = SR + 1;
  expect_read_error (&s, "mismatch.sofa", AL_ERROR_MISMATCH,
                     "mismatch.sofa: Data.IR has 4 receivers but ReceiverPosition lists 5", NULL);
}

static void
test_bad_nan (void)
{
  Spec s;
  spec_init (&s);
  s.ir[17] = NAN;
  expect_read_error (&s, "nan.sofa", AL_ERROR_INVALID_INPUT, "nan.sofa: Data.IR: value 17 of 96 is NaN", NULL);
  spec_init (&s);
  s.ir[95] = -INFINITY;
  expect_read_error (&s, "inf.sofa", AL_ERROR_INVALID_INPUT, "inf.sofa: Data.IR: value 95 of 96 is infinite", NULL);
}

static void
test_bad_missing_ir (void)
{
  Spec s;
  spec_init (&s);
  s.has_ir = FALSE;
  expect_read_error (&s, "noir.sofa", AL_ERROR_FORMAT, "noir.sofa: variable Data.IR is missing", NULL);
}

static void
test_bad_conventions (void)
{
  Spec s;
  spec_init (&s);
  s.conventions = "SimpleFreeFieldHRTF";
  s.data_type = "TF";
  expect_read_error (&s, "hrtf.sofa", AL_ERROR_UNSUPPORTED,
                     "hrtf.sofa: SOFA convention SimpleFreeFieldHRTF is not supported", NULL);
  spec_init (&s);
  s.data_type = "SOS";
  expect_read_error (&s, "sos.sofa", AL_ERROR_UNSUPPORTED, "sos.sofa: DataType SOS is not supported", NULL);
}

static void
test_bad_listener_view (void)
{
  Spec s;
  spec_init (&s);
  s.lview[0] = 0;
  s.lview[1] = 1;
  expect_read_error (&s, "view.sofa", AL_ERROR_UNSUPPORTED, "view.sofa: ListenerView is (0, 1, 0)", "+x");
}

static void
test_bad_delay_and_rate (void)
{
  Spec s;
  spec_init (&s);
  s.delay_rows = 1;
  s.delay[2] = 1.5;
  expect_read_error (&s, "frac.sofa", AL_ERROR_UNSUPPORTED, "frac.sofa: Data.Delay of 1.5 samples", "fractional");
  spec_init (&s);
  s.fs_rows = SM;
  s.fs[0] = s.fs[1] = 48000;
  s.fs[2] = 44100;
  expect_read_error (&s, "rate.sofa", AL_ERROR_UNSUPPORTED, "rate.sofa: Data.SamplingRate differs", "44100 Hz at 3");
  spec_init (&s);
  s.ir_mnr = TRUE;
  expect_read_error (&s, "order.sofa", AL_ERROR_FORMAT,
                     "order.sofa: Data.IR has dimensions (M = 3, N = 8, R = 4); SOFA requires (M, R, N)", NULL);
}

/* GeneralFIR with cartesian sources, spherical receivers (R, C), a
 * per-measurement sampling rate and whole-sample delays. */
static void
test_general_fir (void)
{
  Spec s;
  spec_init (&s);
  s.conventions = "GeneralFIR";
  s.src_type = "cartesian";
  s.src_units = "metre";
  const double src[SM * 3] = { 0, 2, 0, 1, 0, 1, -1, -1, 0 };
  memcpy (s.src, src, sizeof src);
  s.rcv_shape = 1;
  s.rcv_type = "spherical";
  s.rcv_units = "degree, degree, metre";
  const double rcv[SR * 3] = { 0, 0, 0.1, 90, 0, 0.1, 180, 0, 0.1, 0, 90, 0.1 };
  memcpy (s.rcv, rcv, sizeof rcv);
  s.fs_rows = SM;
  s.fs[0] = s.fs[1] = s.fs[2] = 44100;
  s.delay_rows = 1;
  const int delay[SR] = { 0, 2, 1, 0 };
  for (int r = 0; r < SR; r++)
    s.delay[r] = delay[r];

  g_autofree char *dir = io_test_dir_new ();
  g_autofree char *path = spec_write (&s, dir, "general.sofa");
  g_autoptr (GError) error = NULL;
  g_autoptr (AlAtfSet) set = al_sofa_read (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (set->ndirs, ==, SM);
  g_assert_cmpint (set->nmics, ==, SR);
  g_assert_cmpint (set->ir_len, ==, SN + 2); /* grown by the largest delay */
  g_assert_cmpfloat (set->fs, ==, 44100);
  g_assert_cmpstr (set->title, ==, "hand-made");
  const double want_dirs[SM][3] = {
    { G_PI / 2, 0, 2 }, { 0, G_PI / 4, G_SQRT2 }, { -3 * G_PI / 4, 0, G_SQRT2 },
  };
  for (int m = 0; m < SM; m++)
    {
      g_assert_cmpfloat_with_epsilon (set->dirs[2 * m], want_dirs[m][0], 1e-12);
      g_assert_cmpfloat_with_epsilon (set->dirs[2 * m + 1], want_dirs[m][1], 1e-12);
      g_assert_cmpfloat_with_epsilon (set->dist[m], want_dirs[m][2], 1e-12);
    }
  const double want_mics[SR * 3] = { 0.1, 0, 0, 0, 0.1, 0, -0.1, 0, 0, 0, 0, 0.1 };
  for (int i = 0; i < SR * 3; i++)
    g_assert_cmpfloat_with_epsilon (set->mic_pos[i], want_mics[i], 1e-12);
  int len = SN + 2;
  for (int m = 0; m < SM; m++)
    for (int r = 0; r < SR; r++)
      for (int n = 0; n < len; n++)
        {
          int k = n - delay[r];
          double want = k >= 0 && k < SN ? s.ir[(m * SR + r) * SN + k] : 0.0;
          g_assert_cmpfloat (set->ir[(m * SR + r) * len + n], ==, want);
        }
  io_test_dir_remove (dir);
}

/* Radians, a listener away from the origin, (R, C, M) receivers, float data. */
static void
test_positions_and_types (void)
{
  g_autofree char *dir = io_test_dir_new ();
  g_autoptr (GError) error = NULL;
  Spec s;
  spec_init (&s);
  s.src_units = "radian, radian, metre";
  for (int m = 0; m < SM; m++)
    {
      s.src[3 * m] = G_PI / 2 - m;
      s.src[3 * m + 1] = G_PI / 6 * (m - 1);
      s.src[3 * m + 2] = 2 + m;
    }
  s.rcv_shape = 2;
  s.ir_float = TRUE;
  g_autofree char *path = spec_write (&s, dir, "rad.sofa");
  g_autoptr (AlAtfSet) set = al_sofa_read (path, &error);
  g_assert_no_error (error);
  for (int m = 0; m < SM; m++)
    {
      g_assert_cmpfloat_with_epsilon (set->dirs[2 * m], G_PI / 2 - m, 1e-12);
      g_assert_cmpfloat_with_epsilon (set->dirs[2 * m + 1], G_PI / 6 * (m - 1), 1e-12);
      g_assert_cmpfloat (set->dist[m], ==, 2 + m);
    }
  for (int i = 0; i < SR * 3; i++)
    g_assert_cmpfloat (set->mic_pos[i], ==, s.rcv[i]);
  for (int i = 0; i < SM * SR * SN; i++)
    g_assert_cmpfloat (set->ir[i], ==, (double) (float) s.ir[i]);

  spec_init (&s);
  s.src_type = "cartesian";
  s.src_units = "metre";
  const double src[SM * 3] = { 1, 0, 1, 0, 0, 3, 0, -1, 1 };
  memcpy (s.src, src, sizeof src);
  s.lpos[2] = 1;
  g_autofree char *path2 = spec_write (&s, dir, "listener.sofa");
  g_autoptr (AlAtfSet) set2 = al_sofa_read (path2, &error);
  g_assert_no_error (error);
  const double want[SM][3] = { { 0, 0, 1 }, { 0, G_PI / 2, 2 }, { -G_PI / 2, 0, 1 } };
  for (int m = 0; m < SM; m++)
    {
      g_assert_cmpfloat_with_epsilon (set2->dirs[2 * m + 1], want[m][1], 1e-12);
      g_assert_cmpfloat_with_epsilon (set2->dist[m], want[m][2], 1e-12);
      if (m != 1) /* azimuth is arbitrary straight up */
        g_assert_cmpfloat_with_epsilon (set2->dirs[2 * m], want[m][0], 1e-12);
    }
  io_test_dir_remove (dir);
}

static void
test_bad_files (void)
{
  g_autofree char *dir = io_test_dir_new ();
  g_autoptr (GError) error = NULL;

  /* A truncated copy of a valid file. */
  g_autofree char *good = g_build_filename (dir, "good.sofa", NULL);
  g_autoptr (AlAtfSet) set = synthetic_set (12, 5, 64, 5);
  g_assert_true (al_sofa_write (good, set, NULL, &error));
  g_assert_no_error (error);
  g_autofree char *bytes = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (good, &bytes, &len, NULL));
  g_autofree char *trunc = g_build_filename (dir, "trunc.sofa", NULL);
  g_assert_true (g_file_set_contents (trunc, bytes, len / 2, NULL));
  g_autoptr (AlAtfSet) t = al_sofa_read (trunc, &error);
  g_assert_null (t);
  assert_error_contains (error, AL_ERROR_FORMAT, "trunc.sofa", "truncated");
  g_clear_error (&error);

  /* A text file renamed .sofa. */
  g_autofree char *text = g_build_filename (dir, "notes.sofa", NULL);
  g_assert_true (g_file_set_contents (text, "measurement notes\nmic 3 was loose\n", -1, NULL));
  g_autoptr (AlAtfSet) n = al_sofa_read (text, &error);
  g_assert_null (n);
  assert_error_contains (error, AL_ERROR_FORMAT, "notes.sofa", "not a netCDF/HDF5 file");
  g_clear_error (&error);

  /* A missing file. */
  g_autofree char *missing = g_build_filename (dir, "absent.sofa", NULL);
  g_autoptr (AlAtfSet) a = al_sofa_read (missing, &error);
  g_assert_null (a);
  assert_error_contains (error, AL_ERROR_IO, missing, "No such file");
  io_test_dir_remove (dir);
}

static void
test_write_failures (void)
{
  g_autofree char *dir = io_test_dir_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (AlAtfSet) set = synthetic_set (12, 5, 64, 6);

  /* A folder that does not exist. */
  g_autofree char *nowhere = g_build_filename (dir, "no-such-folder", "out.sofa", NULL);
  g_assert_false (al_sofa_write (nowhere, set, NULL, &error));
  assert_error_contains (error, AL_ERROR_IO, nowhere, "cannot write");
  g_clear_error (&error);

  /* The target is a folder: everything is written, the final rename fails. */
  g_autofree char *folder = g_build_filename (dir, "target.sofa", NULL);
  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  g_assert_false (al_sofa_write (folder, set, NULL, &error));
  assert_error_contains (error, AL_ERROR_IO, folder, NULL);
  g_clear_error (&error);
  g_autofree char *listing = io_test_dir_list (dir);
  g_assert_cmpstr (listing, ==, "target.sofa");

  /* Invalid data is refused before anything is created. */
  g_autofree char *bad = g_build_filename (dir, "bad.sofa", NULL);
  set->ir[100] = NAN;
  g_assert_false (al_sofa_write (bad, set, NULL, &error));
  assert_error_contains (error, AL_ERROR_INVALID_INPUT, "bad.sofa", "NaN");
  g_free (listing);
  listing = io_test_dir_list (dir);
  g_assert_cmpstr (listing, ==, "target.sofa");
  io_test_dir_remove (dir);
}

/* GUI work runs in GTask threads: concurrent reads and writes must not
 * trip over libnetcdf/HDF5, which are not thread-safe themselves. */
typedef struct {
  const char *dir;
  int index;
  const AlAtfSet *set;
  int failures;
} ThreadJob;

static gpointer
thread_job (gpointer data)
{
  ThreadJob *job = data;
  for (int round = 0; round < 5; round++)
    {
      g_autofree char *name = g_strdup_printf ("t%d-%d.sofa", job->index, round);
      g_autofree char *path = g_build_filename (job->dir, name, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (AlAtfSet) back = NULL;
      if (al_sofa_write (path, job->set, NULL, &error))
        back = al_sofa_read (path, &error);
      gsize n = (gsize) job->set->ndirs * job->set->nmics * job->set->ir_len;
      if (back == NULL || back->ir_len != job->set->ir_len || memcmp (back->ir, job->set->ir, n * sizeof (double)) != 0)
        job->failures++;
    }
  return NULL;
}

static void
test_threads (void)
{
  g_autofree char *dir = io_test_dir_new ();
  g_autoptr (AlAtfSet) set = synthetic_set (36, 4, 128, 7);
  ThreadJob jobs[4];
  GThread *threads[4];
  for (int i = 0; i < 4; i++)
    {
      jobs[i] = (ThreadJob) { .dir = dir, .index = i, .set = set };
      threads[i] = g_thread_new ("sofa", thread_job, &jobs[i]);
    }
  for (int i = 0; i < 4; i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpint (jobs[i].failures, ==, 0);
    }
  io_test_dir_remove (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/io/sofa/roundtrip", test_roundtrip);
  g_test_add_func ("/io/sofa/structure", test_structure);
  g_test_add_func ("/io/sofa/mysofa-load", test_mysofa_load);
  g_test_add_func ("/io/sofa/mysofa-check-binaural", test_mysofa_check_binaural);
  g_test_add_func ("/io/sofa/mit-kemar", test_mit_kemar);
  g_test_add_func ("/io/sofa/describe", test_describe_sofa);
  g_test_add_func ("/io/sofa/general-fir", test_general_fir);
  g_test_add_func ("/io/sofa/positions-and-types", test_positions_and_types);
  g_test_add_func ("/io/sofa/bad/receiver-count", test_bad_receiver_count);
  g_test_add_func ("/io/sofa/bad/nan", test_bad_nan);
  g_test_add_func ("/io/sofa/bad/missing-ir", test_bad_missing_ir);
  g_test_add_func ("/io/sofa/bad/conventions", test_bad_conventions);
  g_test_add_func ("/io/sofa/bad/listener-view", test_bad_listener_view);
  g_test_add_func ("/io/sofa/bad/delay-rate-order", test_bad_delay_and_rate);
  g_test_add_func ("/io/sofa/bad/files", test_bad_files);
  g_test_add_func ("/io/sofa/write-failures", test_write_failures);
  g_test_add_func ("/io/sofa/threads", test_threads);
  return g_test_run ();
}
