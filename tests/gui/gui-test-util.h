/* gui-test-util.h — starting the studio in a test and waiting for it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <signal.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "al-application.h"
#include "al-window.h"

typedef gboolean (*GuiCondition) (gpointer data);

/* Runs the main loop until cond holds; fails the test after timeout_ms. */
static inline void
gui_wait (GuiCondition cond, gpointer data, int timeout_ms, const char *what)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  while (!cond (data))
    {
      if (g_get_monotonic_time () > end)
        g_error ("timed out after %d ms waiting for %s", timeout_ms, what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}

/* Once the results are in, teardown (GTK, PortAudio and OpenBLAS threads,
 * the leak check) gets a minute; it has been seen to hang at exit under ASan
 * once in many runs, which must not turn passed tests into a timeout. */
static int gui_exit_status;

static inline void
gui_exit_now (int sig)
{
  (void) sig;
  _exit (gui_exit_status);
}

static inline void
gui_exit_watchdog (int status)
{
  gui_exit_status = status;
  signal (SIGALRM, gui_exit_now);
  alarm (60);
}

/* Lets the main loop run for ms milliseconds (frames, idle handlers). */
static inline void
gui_spin (int ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}

/* Starts the studio as a non-unique application with a 1440 x 900
 * window and returns it; *win gets its window. */
static inline AlApplication *
gui_start_app (AlWindow **win)
{
  AlApplication *app = al_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_autoptr (GError) error = NULL;
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_settings_set_int (al_application_get_settings (app), "window-width", 1440);
  g_settings_set_int (al_application_get_settings (app), "window-height", 900);
  g_application_activate (G_APPLICATION (app));
  *win = AL_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (*win);
  return app;
}

/* A private data and config home so the demo project is created fresh. */
static inline char *
gui_private_home (void)
{
  char *tmp = g_dir_make_tmp ("al-gui-test-XXXXXX", NULL);
  g_autofree char *data = g_build_filename (tmp, "data", NULL);
  g_autofree char *config = g_build_filename (tmp, "config", NULL);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("HOME", tmp, TRUE);
  return tmp;
}

static inline gboolean
gui_project_ready (gpointer data)
{
  AlWindow *win = data;
  return !al_window_is_loading (win) && al_document_get_atf (al_window_get_document (win)) != NULL;
}

/* The window shows the project in folder `dir`, fully loaded. */
typedef struct {
  AlWindow *win;
  const char *dir;
} GuiProjectAt;

static inline gboolean
gui_project_at (gpointer data)
{
  GuiProjectAt *at = data;
  AlDocument *d = al_window_get_document (at->win);
  return !al_window_is_loading (at->win) && al_document_get_atf (d) != NULL
         && g_strcmp0 (al_document_get_dir (d), at->dir) == 0;
}

static inline gboolean
gui_not_loading (gpointer data)
{
  return !al_window_is_loading (AL_WINDOW (data));
}

/* Renders the window as it is on screen and writes a PNG. */
static inline GdkTexture *
gui_render_window (GtkWidget *win)
{
  int w = gtk_widget_get_width (win), h = gtk_widget_get_height (win);
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (win);
  GtkSnapshot *s = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, s, w, h);
  GskRenderNode *node = gtk_snapshot_free_to_node (s);
  g_assert_nonnull (node);
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (win));
  GdkTexture *texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  gsk_render_node_unref (node);
  return texture;
}

/* The message dialog the window shows now, or NULL. */
static inline AdwMessageDialog *
gui_find_message_dialog (void)
{
  GListModel *tops = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
    {
      g_autoptr (GtkWindow) w = g_list_model_get_item (tops, i);
      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

/* Every text a user reads under root: labels (row titles included),
 * stack page titles and button labels. */
static inline void
gui_collect_texts (GtkWidget *root, GHashTable *texts)
{
  if (GTK_IS_LABEL (root))
    g_hash_table_add (texts, g_strdup (gtk_label_get_text (GTK_LABEL (root))));
  if (GTK_IS_STACK (root))
    for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
      {
        const char *title = gtk_stack_page_get_title (gtk_stack_get_page (GTK_STACK (root), c));
        if (title != NULL)
          g_hash_table_add (texts, g_strdup (title));
      }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    gui_collect_texts (c, texts);
}

/* Writes the window as shown to <AL_SCREENSHOT_DIR>/<name>; returns the path. */
static inline char *
gui_screenshot (GtkWidget *win, const char *name)
{
  const char *outdir = g_getenv ("AL_SCREENSHOT_DIR");
  gtk_test_widget_wait_for_draw (win);
  g_autoptr (GdkTexture) texture = gui_render_window (win);
  char *path = g_build_filename (outdir != NULL ? outdir : ".", name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  return path;
}
