/* al-array-page.c — mic positions and the ATF browser: magnitude, phase or
 * group delay and impulse responses for one direction, and a sphere map of
 * one mic's magnitude at one frequency.  Each update transforms one
 * direction's IRs (or one frequency over all directions): milliseconds, so
 * it runs on the main thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <complex.h>
#include <glib/gi18n.h>
#include <math.h>

#include "al-array-page.h"
#include "al-mic-view.h"
#include "al-plot-view.h"
#include "al-sphere-view.h"
#include "dsp/al-dsp.h"

struct _AlArrayPage {
  AlDocumentView parent_instance;
  gulong changed_id;
  int dir_index;
  double common_delay; /* samples */
  gboolean syncing;

  GtkWidget *stack;
  GtkWidget *summary_label;
  GtkWidget *mic_view;
  GtkWidget *azimuth_spin;
  GtkWidget *elevation_spin;
  GtkWidget *mic_row;
  GtkWidget *phase_row;
  GtkWidget *map_mic_row;
  GtkWidget *freq_spin;
  GtkWidget *magnitude_view;
  GtkWidget *phase_view;
  GtkWidget *ir_view;
  GtkWidget *map_view;
};

G_DEFINE_FINAL_TYPE (AlArrayPage, al_array_page, AL_TYPE_DOCUMENT_VIEW)

static int
nearest_direction (const AlAtfSet *set, double az, double el)
{
  double u[3] = { cos (el) * cos (az), cos (el) * sin (az), sin (el) };
  int best = 0;
  double best_dot = -2;
  for (int k = 0; k < set->ndirs; k++)
    {
      double a = set->dirs[2 * k], e = set->dirs[2 * k + 1];
      double d = u[0] * cos (e) * cos (a) + u[1] * cos (e) * sin (a) + u[2] * sin (e);
      if (d > best_dot)
        {
          best_dot = d;
          best = k;
        }
    }
  return best;
}

static int
selected_mic (AlArrayPage *self)
{
  guint sel = adw_combo_row_get_selected (ADW_COMBO_ROW (self->mic_row));
  return sel == 0 || sel == GTK_INVALID_LIST_POSITION ? -1 : (int) sel - 1;
}

static void
update_direction_plots (AlArrayPage *self)
{
  const AlAtfSet *set = al_document_get_atf (AL_VIEW_DOCUMENT (self));
  /* dir_index may still point into the previous, larger set while the
   * combo rows are rebuilt for a new one. */
  if (set == NULL || self->dir_index < 0 || self->dir_index >= set->ndirs)
    return;
  int k = self->dir_index;
  int only = selected_mic (self);
  gboolean group_delay = adw_combo_row_get_selected (ADW_COMBO_ROW (self->phase_row)) == 0;
  int nfft = al_fft_good_size (MAX (2 * set->ir_len, 2048));
  int nbins = nfft / 2 + 1;
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autofree double *in = g_new0 (double, nfft);
  g_autofree double complex *spec = g_new (double complex, nbins);
  g_autofree double *freq = g_new (double, nbins - 1);
  g_autofree double *mag = g_new (double, nbins - 1);
  g_autofree double *ph = g_new (double, nbins - 1);
  g_autofree double *t = g_new (double, set->ir_len);
  AlFft *fft = al_fft_new (nfft);
  double az = set->dirs[2 * k] * 180 / G_PI, el = set->dirs[2 * k + 1] * 180 / G_PI;
  g_autofree char *where = g_strdup_printf (_("az %.1f°, el %.1f°"), az, el);
  g_autofree char *t_mag = g_strdup_printf (_("Magnitude, %s"), where);
  g_autofree char *t_ph = g_strdup_printf (group_delay ? _("Group delay, %s") : _("Phase, %s"), where);
  g_autofree char *t_ir = g_strdup_printf (_("Impulse responses, %s"), where);
  AlCurvePlot *pm = al_curve_plot_new (t_mag, _("Frequency (Hz)"), _("Magnitude (dB)"));
  AlCurvePlot *pp = al_curve_plot_new (t_ph, _("Frequency (Hz)"),
                                       group_delay ? _("Group delay re. array centre (ms)")
                                                   : _("Phase, common delay removed (rad)"));
  AlCurvePlot *pi = al_curve_plot_new (t_ir, _("Time (ms)"), _("Amplitude"));
  al_curve_plot_set_log_x (pi, FALSE);
  for (int n = 0; n < set->ir_len; n++)
    t[n] = 1000.0 * n / set->fs;
  for (int b = 1; b < nbins; b++)
    freq[b - 1] = b * set->fs / nfft;
  for (int m = 0; m < set->nmics; m++)
    {
      if (only >= 0 && m != only)
        continue;
      const double *ir = set->ir + ((gsize) k * set->nmics + m) * set->ir_len;
      memset (in, 0, sizeof (double) * nfft);
      memcpy (in, ir, sizeof (double) * set->ir_len);
      al_fft_forward (fft, in, spec);
      /* Phase with the common (propagation) delay removed, unwrapped. */
      double prev = 0, offset = 0;
      for (int b = 1; b < nbins; b++)
        {
          double w = 2 * G_PI * b / nfft;
          double complex z = spec[b] * cexp (I * w * self->common_delay);
          mag[b - 1] = 20 * log10 (cabs (spec[b]) + 1e-12);
          double p = carg (z);
          if (b > 1)
            {
              double d = p - prev;
              offset -= 2 * G_PI * round (d / (2 * G_PI));
            }
          prev = p;
          ph[b - 1] = p + offset;
        }
      if (group_delay)
        {
          /* -dφ/dω by central differences, in ms. */
          double dw = 2 * G_PI / nfft;
          g_autofree double *gd = g_new (double, nbins - 1);
          for (int b = 0; b < nbins - 1; b++)
            {
              int lo = MAX (b - 1, 0), hi = MIN (b + 1, nbins - 2);
              gd[b] = -(ph[hi] - ph[lo]) / ((hi - lo) * dw) / set->fs * 1000;
            }
          memcpy (ph, gd, sizeof (double) * (nbins - 1));
        }
      g_autofree char *label = g_strdup_printf (_("Mic %d"), m + 1);
      al_curve_plot_add (pm, label, freq, mag, nbins - 1);
      al_curve_plot_add (pp, label, freq, ph, nbins - 1);
      al_curve_plot_add (pi, label, t, ir, set->ir_len);
      g_ptr_array_add (labels, g_steal_pointer (&label));
    }
  al_fft_free (fft);
  g_ptr_array_add (labels, NULL);
  const char *const *l = (const char *const *) labels->pdata;
  al_plot_view_set_home (AL_PLOT_VIEW (self->magnitude_view), 20, set->fs / 2, 0, 0);
  al_plot_view_set_plot (AL_PLOT_VIEW (self->magnitude_view), pm, l);
  al_plot_view_set_home (AL_PLOT_VIEW (self->phase_view), 20, set->fs / 2, group_delay ? -1 : 0, group_delay ? 1 : 0);
  al_plot_view_set_plot (AL_PLOT_VIEW (self->phase_view), pp, l);
  al_plot_view_set_plot (AL_PLOT_VIEW (self->ir_view), pi, l);
  al_mic_view_set_direction (AL_MIC_VIEW (self->mic_view), set->dirs[2 * k], set->dirs[2 * k + 1]);
  al_mic_view_set_selected (AL_MIC_VIEW (self->mic_view), only);
}

static void
update_map (AlArrayPage *self)
{
  const AlAtfSet *set = al_document_get_atf (AL_VIEW_DOCUMENT (self));
  if (set == NULL)
    return;
  guint sel = adw_combo_row_get_selected (ADW_COMBO_ROW (self->map_mic_row));
  int m = sel == GTK_INVALID_LIST_POSITION ? 0 : MIN ((int) sel, set->nmics - 1);
  double f = MIN (gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->freq_spin)), set->fs / 2);
  /* One DFT bin at f for every direction. */
  g_autofree double complex *tw = g_new (double complex, set->ir_len);
  for (int n = 0; n < set->ir_len; n++)
    tw[n] = cexp (-2 * I * G_PI * f * n / set->fs);
  g_autofree double *values = g_new (double, set->ndirs);
  for (int k = 0; k < set->ndirs; k++)
    {
      const double *ir = set->ir + ((gsize) k * set->nmics + m) * set->ir_len;
      double complex acc = 0;
      for (int n = 0; n < set->ir_len; n++)
        acc += ir[n] * tw[n];
      values[k] = 20 * log10 (cabs (acc) + 1e-12);
    }
  g_autofree char *fs = f >= 1000 ? g_strdup_printf ("%.3g kHz", f / 1000) : g_strdup_printf ("%.0f Hz", f);
  g_autofree char *title = g_strdup_printf (_("Mic %d magnitude at %s"), m + 1, fs);
  AlSphereMap *map = al_sphere_map_new (title, "dB", set->dirs, values, set->ndirs);
  /* The mics themselves as markers. */
  g_autofree double *md = g_new (double, 2 * set->nmics);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < set->nmics; i++)
    {
      const double *p = set->mic_pos + 3 * i;
      md[2 * i] = atan2 (p[1], p[0]);
      md[2 * i + 1] = atan2 (p[2], hypot (p[0], p[1]));
      g_ptr_array_add (names, g_strdup_printf ("%d", i + 1));
    }
  al_sphere_map_add_markers (map, md, set->nmics, (const char *const *) names->pdata);
  al_sphere_view_set_map (AL_SPHERE_VIEW (self->map_view), map);
}

int
al_array_page_set_direction (AlArrayPage *self, double azimuth, double elevation)
{
  const AlAtfSet *set = al_document_get_atf (AL_VIEW_DOCUMENT (self));
  if (set == NULL)
    return -1;
  self->dir_index = nearest_direction (set, azimuth * G_PI / 180, elevation * G_PI / 180);
  /* The spin buttons show the request; block their handler while syncing. */
  if (!self->syncing)
    {
      self->syncing = TRUE;
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->azimuth_spin), azimuth);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->elevation_spin), elevation);
      self->syncing = FALSE;
    }
  update_direction_plots (self);
  return self->dir_index;
}

void
al_array_page_set_mic (AlArrayPage *self, int mic)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->mic_row), mic < 0 ? 0 : (guint) mic + 1);
}

void
al_array_page_set_map (AlArrayPage *self, int mic, double frequency)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->map_mic_row), (guint) MAX (mic, 0));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->freq_spin), frequency);
  update_map (self);
}

static void
on_direction_changed (AlArrayPage *self)
{
  if (self->syncing)
    return;
  self->syncing = TRUE;
  al_array_page_set_direction (self, gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->azimuth_spin)),
                               gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->elevation_spin)));
  self->syncing = FALSE;
}

static void
on_document_changed (AlArrayPage *self)
{
  const AlAtfSet *set = al_document_get_atf (AL_VIEW_DOCUMENT (self));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), set != NULL ? "content" : "empty");
  if (set == NULL)
    {
      self->dir_index = -1;
      return;
    }
  const char *file = al_project_get_atf_file (al_document_get_project (AL_VIEW_DOCUMENT (self)));
  g_autofree char *summary = g_strdup_printf (_("%s\n%d microphones · %d directions · %.0f Hz · %d taps"),
                                              file != NULL ? file : "", set->nmics, set->ndirs, set->fs,
                                              set->ir_len);
  gtk_label_set_text (GTK_LABEL (self->summary_label), summary);
  al_mic_view_set_positions (AL_MIC_VIEW (self->mic_view), set->mic_pos, set->nmics);
  self->common_delay = al_atf_set_common_delay (set);

  GtkStringList *mics = gtk_string_list_new (NULL);
  GtkStringList *map_mics = gtk_string_list_new (NULL);
  gtk_string_list_append (mics, _("All microphones"));
  for (int m = 0; m < set->nmics; m++)
    {
      g_autofree char *s = g_strdup_printf (_("Mic %d"), m + 1);
      gtk_string_list_append (mics, s);
      gtk_string_list_append (map_mics, s);
    }
  adw_combo_row_set_model (ADW_COMBO_ROW (self->mic_row), G_LIST_MODEL (mics));
  adw_combo_row_set_model (ADW_COMBO_ROW (self->map_mic_row), G_LIST_MODEL (map_mics));
  g_object_unref (mics);
  g_object_unref (map_mics);
  gtk_adjustment_set_upper (gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (self->freq_spin)), set->fs / 2);
  on_direction_changed (self);
  update_map (self);
}

static void
al_array_page_constructed (GObject *object)
{
  AlArrayPage *self = AL_ARRAY_PAGE (object);
  G_OBJECT_CLASS (al_array_page_parent_class)->constructed (object);
  self->changed_id = g_signal_connect_swapped (AL_VIEW_DOCUMENT (self), "changed", G_CALLBACK (on_document_changed), self);
  on_document_changed (self);
  g_signal_connect_swapped (self->azimuth_spin, "value-changed", G_CALLBACK (on_direction_changed), self);
  g_signal_connect_swapped (self->elevation_spin, "value-changed", G_CALLBACK (on_direction_changed), self);
  g_signal_connect_swapped (self->mic_row, "notify::selected", G_CALLBACK (update_direction_plots), self);
  g_signal_connect_swapped (self->phase_row, "notify::selected", G_CALLBACK (update_direction_plots), self);
  g_signal_connect_swapped (self->map_mic_row, "notify::selected", G_CALLBACK (update_map), self);
  g_signal_connect_swapped (self->freq_spin, "value-changed", G_CALLBACK (update_map), self);
}

static void
al_array_page_dispose (GObject *object)
{
  AlArrayPage *self = AL_ARRAY_PAGE (object);
  if (AL_VIEW_DOCUMENT (self) != NULL)
    g_clear_signal_handler (&self->changed_id, AL_VIEW_DOCUMENT (self));
  gtk_widget_dispose_template (GTK_WIDGET (self), AL_TYPE_ARRAY_PAGE);
  G_OBJECT_CLASS (al_array_page_parent_class)->dispose (object);
}

static void
al_array_page_class_init (AlArrayPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->constructed = al_array_page_constructed;
  object_class->dispose = al_array_page_dispose;

  g_type_ensure (AL_TYPE_PLOT_VIEW);
  g_type_ensure (AL_TYPE_SPHERE_VIEW);
  g_type_ensure (AL_TYPE_MIC_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, AL_RESOURCE_PATH "/ui/al-array-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, AlArrayPage, stack);
  gtk_widget_class_bind_template_child (widget_class, AlArrayPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, AlArrayPage, mic_view);
  gtk_widget_class_bind_template_child (widget_class, AlArrayPage, azimuth_spin);
  gtk_widget_class_bind_template_child (widget_class, AlArrayPage, elevation_spin);
  gtk_widget_class_bind_template_child (widget_class, AlArrayPage, mic_row);
  gtk_widget_class_bind_template_child (widget_class, AlArrayPage, phase_row);
  gtk_widget_class_bind_template_child (widget_class, AlArrayPage, map_mic_row);
  gtk_widget_class_bind_template_child (widget_class, AlArrayPage, freq_spin);
  gtk_widget_class_bind_template_child (widget_class, AlArrayPage, magnitude_view);
  gtk_widget_class_bind_template_child (widget_class, AlArrayPage, phase_view);
  gtk_widget_class_bind_template_child (widget_class, AlArrayPage, ir_view);
  gtk_widget_class_bind_template_child (widget_class, AlArrayPage, map_view);
}

static void
al_array_page_init (AlArrayPage *self)
{
  self->dir_index = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
}
