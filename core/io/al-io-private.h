/* al-io-private.h — helpers shared by the io module's files; not installed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "al-io.h"

G_BEGIN_DECLS

/* libnetcdf and the HDF5 library below it are not thread-safe, and SOFA files
 * are read and written from worker threads: every netCDF call happens with
 * this lock held. */
void al_io_netcdf_lock (void);
void al_io_netcdf_unlock (void);

/* What al_sofa_read found besides the data, for al_describe_sofa. */
typedef struct {
  char *conventions;         /* SOFAConventions, e.g. "SimpleFreeFieldHRIR" */
  char *conventions_version; /* SOFAConventionsVersion, may be NULL */
  char *data_type;           /* DataType, may be NULL */
  int max_delay;             /* largest Data.Delay applied, samples */
} AlSofaInfo;

/* libsndfile's SF_INFO.format of an open reader (major type | subtype). */
int al_io_audio_reader_format (const AlAudioReader *r);

void al_sofa_info_clear (AlSofaInfo *info);
/* al_sofa_read, optionally filling `info` (cleared by the caller). */
AlAtfSet *al_sofa_read_with_info (const char *path, AlSofaInfo *info, GError **error);

G_END_DECLS
