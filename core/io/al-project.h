/* al-project.h — project folders (DESIGN.md §4): a folder with project.json
 * (manifest, versions, provenance), the array's ATFs as a SOFA file copied
 * into it, and typed items (encoders now; neural encoders, evaluations and
 * listening tests later) each stored as files beside the manifest.
 *
 * The project lives below the modules whose objects it stores (io sits under
 * encode), so item kinds are described by the caller with an AlProjectKind:
 * how to save, load and free one item.  The GUI registers "encoder" with
 * al_encoder_save/load/free; tests register whatever they need.
 *
 * Nothing is written until al_project_save or al_project_save_as; every file
 * is written atomically and the manifest last, so a crash leaves the previous
 * manifest pointing at complete files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "array/al-array.h"
#include "base/al-base.h"

G_BEGIN_DECLS

#define AL_PROJECT_MANIFEST "project.json"
#define AL_PROJECT_FORMAT "ambilab-project"
#define AL_PROJECT_VERSION 1

/* How items of one kind are stored: files `<folder>/<name><suffix>`. */
typedef struct {
  const char *kind;    /* manifest key, e.g. "encoders" */
  const char *folder;  /* sub-folder, e.g. "encoders" */
  const char *suffix;  /* e.g. ".json" */
  gboolean (*save) (gconstpointer item, const char *path, GError **error);
  gpointer (*load) (const char *path, GError **error);
  GDestroyNotify free;
  /* Other files the item writes beside `path` (e.g. the FIR WAV); may be NULL.
   * Returns a NULL-terminated array of paths, used to remove stale files. */
  char **(*companions) (const char *path);
} AlProjectKind;

typedef struct AlProject AlProject;

/* An empty, unsaved project named `name` ("Untitled" when NULL). */
AlProject *al_project_new (const char *name);
void al_project_free (AlProject *project);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlProject, al_project_free)

/* Opens a project folder (or its project.json).  kinds: n_kinds item kinds
 * to load; items of unknown kinds are kept in the manifest untouched.
 * Errors name the file ("p/project.json: not an Ambilab project"). */
AlProject *al_project_open (const char *path, const AlProjectKind *kinds, int n_kinds,
                            AlProgress *progress, GError **error);
/* Writes the project into its folder; fails on a project never saved. */
gboolean al_project_save (AlProject *project, GError **error);
/* Writes the project into `dir` (created when missing; it must not hold
 * another project unless `overwrite`) and makes it the project's folder. */
gboolean al_project_save_as (AlProject *project, const char *dir, gboolean overwrite, GError **error);

const char *al_project_get_dir (const AlProject *project);     /* NULL until saved */
const char *al_project_get_name (const AlProject *project);
void al_project_set_name (AlProject *project, const char *name);
gboolean al_project_is_modified (const AlProject *project);
const char *al_project_get_created (const AlProject *project); /* ISO 8601 */

/* Reads and validates a SOFA file and makes it the project's ATF set; the
 * file itself is copied into the folder on the next save.  On error the
 * project is left exactly as it was. */
gboolean al_project_import_sofa (AlProject *project, const char *path, GError **error);
/* The same with a set already read (and validated) from `path`, e.g. in a
 * worker thread; takes ownership of set. */
void al_project_import_atf (AlProject *project, AlAtfSet *set, const char *path);
const AlAtfSet *al_project_get_atf (const AlProject *project);   /* NULL when none */
const char *al_project_get_atf_file (const AlProject *project);  /* basename in the folder, NULL when none */
const char *al_project_get_atf_origin (const AlProject *project); /* where it was imported from */

/* Items of a kind (kind->kind identifies it; the pointer must stay valid
 * while the project lives).  Names are unique per kind and safe as file
 * names (al_project_unique_name makes one). */
guint al_project_n_items (const AlProject *project, const AlProjectKind *kind);
gconstpointer al_project_get_item (const AlProject *project, const AlProjectKind *kind, guint index);
const char *al_project_get_item_name (const AlProject *project, const AlProjectKind *kind, guint index);
int al_project_find_item (const AlProject *project, const AlProjectKind *kind, const char *name);
/* Takes ownership of item; fails (and frees nothing) when the name is
 * taken or not a valid file name.  Returns the new index or -1. */
int al_project_add_item (AlProject *project, const AlProjectKind *kind, const char *name, gpointer item,
                         GError **error);
gboolean al_project_remove_item (AlProject *project, const AlProjectKind *kind, guint index);
/* `base` made file-name safe, with " 2", " 3", … appended until it is free. */
char *al_project_unique_name (const AlProject *project, const AlProjectKind *kind, const char *base);

G_END_DECLS
