/* cli-test-util.h — running ambilab-cli from the CLI tests: spawn it with
 * arguments in a test folder, collect status and output, and check the
 * one-line error convention.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <string.h>
#include <sys/wait.h>

/* Set by each test's main: the binary (AMBILAB_CLI) and the folder it runs in. */
static const char *cli;
static char *dir;

typedef struct {
  int status;
  char *out, *err;
} Run;

static inline void
run_clear (Run *r)
{
  g_free (r->out);
  g_free (r->err);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs ambilab-cli with the arguments of a NULL-terminated list, in `dir`. */
static inline void
run_cli (Run *r, ...)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  g_ptr_array_add (args, (gpointer) cli);
  va_list ap;
  va_start (ap, r);
  for (const char *a = va_arg (ap, const char *); a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  g_autoptr (GError) error = NULL;
  int wait_status = 0;
  g_assert_true (g_spawn_sync (dir, (char **) args->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &r->out, &r->err,
                               &wait_status, &error));
  g_assert_no_error (error);
  r->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
}

static inline char *
path_in_dir (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

/* A failed command: non-zero status, exactly one line on stderr naming `needle`. */
static inline void
assert_one_line_error (const Run *r, const char *needle)
{
  g_assert_cmpint (r->status, !=, 0);
  g_assert_cmpint (r->status, !=, -1); /* no crash */
  const char *nl = strchr (r->err, '\n');
  g_assert_nonnull (nl);
  g_assert_cmpstr (nl + 1, ==, "");
  if (strstr (r->err, needle) == NULL)
    g_error ("stderr “%s” does not mention “%s”", r->err, needle);
}
