/* bench-gui.c — prints (no pass/fail): launch to the first frame with the
 * demo project, Design parameter change to updated plots, and the frame
 * time of a 25-curve × 4096-point plot and a 2000-point sphere map.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "al-design-page.h"
#include "al-plot-view.h"
#include "al-sphere-view.h"
#include "gui-test-util.h"

static gboolean
design_ready (gpointer data)
{
  AlDesignPage *page = data;
  const AlEncoder *e = al_design_page_get_encoder (page);
  return !al_design_page_is_busy (page) && e != NULL && e->params.max_gain_db == 13;
}

static double
frame_ms (GtkWidget *view, int frames, void (*invalidate) (GtkWidget *))
{
  gint64 t0 = g_get_monotonic_time ();
  for (int i = 0; i < frames; i++)
    {
      invalidate (view);
      gtk_test_widget_wait_for_draw (view);
    }
  return (g_get_monotonic_time () - t0) / 1000.0 / frames;
}

static double *curve_x, *curve_y;

static void
new_curves (GtkWidget *view)
{
  AlCurvePlot *plot = al_curve_plot_new ("Coherence", "Frequency (Hz)", "γ");
  for (int c = 0; c < 25; c++)
    al_curve_plot_add (plot, NULL, curve_x, curve_y + c * 4096, 4096);
  al_plot_view_set_plot (AL_PLOT_VIEW (view), plot, NULL);
}

static double *map_dirs, *map_values;

static void
new_map (GtkWidget *view)
{
  al_sphere_view_set_map (AL_SPHERE_VIEW (view), al_sphere_map_new ("Map", "dB", map_dirs, map_values, 2000));
}

int
main (int argc, char **argv)
{
  g_autofree char *home = gui_private_home ();
  gint64 t0 = g_get_monotonic_time ();
  if (!gtk_init_check ())
    {
      printf ("no display\n");
      return 0;
    }
  g_autoptr (AlApplication) app = al_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  g_application_activate (G_APPLICATION (app));
  AlWindow *win = AL_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  double first_frame = (g_get_monotonic_time () - t0) / 1000.0;
  gui_wait (gui_project_ready, win, 60000, "the demo project");
  double demo_ready = (g_get_monotonic_time () - t0) / 1000.0;
  /* Second launch: the demo project exists and is only opened. */
  gtk_window_destroy (GTK_WINDOW (win));
  gint64 t1 = g_get_monotonic_time ();
  g_application_activate (G_APPLICATION (app));
  win = AL_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  gui_wait (gui_project_ready, win, 60000, "the demo project");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (win));
  double reopen = (g_get_monotonic_time () - t1) / 1000.0;
  printf ("launch to first frame: %.0f ms; demo project created and shown: %.0f ms; later launches, project shown: %.0f ms\n",
          first_frame, demo_ready, reopen);

  gtk_widget_activate_action (GTK_WIDGET (win), "win.show-page", "s", "design");
  AlDesignPage *page = AL_DESIGN_PAGE (al_window_get_page (win, "design"));
  AlDesignParams p;
  int fir[] = { 512, 1024, 2048 };
  for (int i = 0; i < 3; i++)
    {
      al_design_page_get_params (page, &p);
      p.max_gain_db = 12;
      p.fir_length = fir[i];
      al_design_page_set_params (page, &p);
      gui_spin (1500);
      p.max_gain_db = 13;
      al_design_page_set_params (page, &p);
      gui_wait (design_ready, page, 30000, "the design");
      printf ("design change to updated plots (after the 150 ms debounce), %4d taps: %.0f ms\n", fir[i],
              al_design_page_get_last_ms (page));
    }

  GtkWidget *window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 500);
  GtkWidget *view = al_plot_view_new ();
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  curve_x = g_new (double, 4096);
  curve_y = g_new (double, 25 * 4096);
  for (int k = 0; k < 4096; k++)
    curve_x[k] = (k + 1) * 24000.0 / 4096;
  for (int c = 0; c < 25; c++)
    for (int k = 0; k < 4096; k++)
      curve_y[c * 4096 + k] = 0.5 + 0.4 * sin (k * 0.01 * (c + 1)) * exp (-k / 3000.0);
  new_curves (view);
  gtk_test_widget_wait_for_draw (view);
  printf ("plot, 25 curves x 4096 points, 1000 x 500 px: %.1f ms per frame (new data), cached frame: %.2f ms\n",
          frame_ms (view, 20, new_curves), frame_ms (view, 50, gtk_widget_queue_draw));
  GtkWidget *sphere = al_sphere_view_new ();
  gtk_window_set_child (GTK_WINDOW (window), sphere);
  map_dirs = g_new (double, 4000);
  map_values = g_new (double, 2000);
  for (int k = 0; k < 2000; k++)
    {
      double z = 1 - (2.0 * k + 1) / 2000;
      map_dirs[2 * k] = remainder (k * G_PI * (3 - sqrt (5.0)), 2 * G_PI);
      map_dirs[2 * k + 1] = asin (z);
      map_values[k] = 10 * cos (map_dirs[2 * k]) * cos (map_dirs[2 * k + 1]);
    }
  new_map (sphere);
  gtk_test_widget_wait_for_draw (sphere);
  printf ("sphere map, 2000 directions, 1000 x 500 px: %.1f ms per frame (new data)\n", frame_ms (sphere, 20, new_map));
  gtk_window_destroy (GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (win));
  g_free (curve_x);
  g_free (curve_y);
  g_free (map_dirs);
  g_free (map_values);
  return 0;
}
