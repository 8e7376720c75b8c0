/* al-fir-view.c — small multiples of an encoder's FIR matrix.  Each output
 * is an AlPlotView (zoom, read-out and export as everywhere); the mics keep
 * their colours across the plots and only the first plot carries the
 * legend, so the cells stay uncluttered.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <complex.h>
#include <glib/gi18n.h>
#include <math.h>

#include "al-fir-view.h"
#include "dsp/al-dsp.h"

struct _AlFirView {
  GtkWidget parent_instance;
  AlFirViewMode mode;
  int nsh, nmics, fir_len, nbins;
  double fs;
  float *fir;      /* nsh x nmics x fir_len */
  double *mag_db;  /* nsh x nmics x nbins, bins of an nfft-point spectrum */
  double *freqs;   /* nbins */
  GPtrArray *plots; /* AlPlotView*, owned by the grid */

  GtkWidget *box;
  GtkWidget *caption;
  GtkWidget *mode_drop;
  GtkWidget *grid;
};

G_DEFINE_FINAL_TYPE (AlFirView, al_fir_view, GTK_TYPE_WIDGET)

static void
clear_data (AlFirView *self)
{
  g_clear_pointer (&self->fir, g_free);
  g_clear_pointer (&self->mag_db, g_free);
  g_clear_pointer (&self->freqs, g_free);
  self->nsh = self->nmics = self->fir_len = self->nbins = 0;
}

/* Columns of the grid: every cell keeps the plot view's minimum width. */
static int
n_columns (int nsh)
{
  return nsh <= 1 ? 1 : nsh <= 4 ? 2 : 3;
}

static void
ensure_plots (AlFirView *self)
{
  if ((int) self->plots->len == self->nsh)
    return;
  for (guint i = 0; i < self->plots->len; i++)
    gtk_grid_remove (GTK_GRID (self->grid), g_ptr_array_index (self->plots, i));
  g_ptr_array_set_size (self->plots, 0);
  int cols = n_columns (self->nsh);
  for (int c = 0; c < self->nsh; c++)
    {
      GtkWidget *view = al_plot_view_new ();
      gtk_widget_add_css_class (view, "card");
      /* Rows of four or more scroll rather than squeeze. */
      gtk_widget_set_size_request (view, -1, self->nsh > 9 ? 220 : -1);
      gtk_grid_attach (GTK_GRID (self->grid), view, c % cols, c / cols, 1, 1);
      g_ptr_array_add (self->plots, view);
    }
}

static void
rebuild (AlFirView *self)
{
  ensure_plots (self);
  if (self->nsh == 0)
    {
      gtk_label_set_text (GTK_LABEL (self->caption), _("No design yet"));
      return;
    }
  gboolean mag = self->mode == AL_FIR_VIEW_MAGNITUDE;
  g_autofree char *caption
    = g_strdup_printf (_("%d outputs × %d microphones, %d taps at %g kHz, one plot per output"), self->nsh,
                       self->nmics, self->fir_len, self->fs / 1000);
  gtk_label_set_text (GTK_LABEL (self->caption), caption);

  /* One scale for all cells, so the outputs compare at a glance. */
  double top = -INFINITY, peak = 0;
  for (gsize i = 0; i < (gsize) self->nsh * self->nmics * self->nbins; i++)
    top = MAX (top, self->mag_db[i]);
  for (gsize i = 0; i < (gsize) self->nsh * self->nmics * self->fir_len; i++)
    peak = MAX (peak, fabsf (self->fir[i]));
  double y_hi = mag ? 10 * ceil ((top + 3) / 10) : 1.05 * peak;
  double y_lo = mag ? y_hi - 60 : -y_hi;

  g_autofree double *t = g_new (double, self->fir_len);
  g_autofree double *y = g_new (double, MAX (self->fir_len, self->nbins));
  for (int k = 0; k < self->fir_len; k++)
    t[k] = 1000.0 * k / self->fs;
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  for (int q = 0; q < self->nmics; q++)
    g_ptr_array_add (labels, g_strdup_printf (_("Mic %d"), q + 1));
  g_ptr_array_add (labels, NULL);

  for (int c = 0; c < self->nsh; c++)
    {
      int n = (int) floor (sqrt (c)), m = c - n * n - n;
      g_autofree char *title = g_strdup_printf (_("ACN %d (n = %d, m = %d)"), c, n, m);
      AlCurvePlot *plot = al_curve_plot_new (title, mag ? _("Frequency (Hz)") : _("Time (ms)"),
                                             mag ? _("Magnitude (dB)") : _("Amplitude"));
      al_curve_plot_set_log_x (plot, mag);
      for (int q = 0; q < self->nmics; q++)
        {
          const char *label = c == 0 ? g_ptr_array_index (labels, q) : NULL;
          if (mag)
            al_curve_plot_add (plot, label, self->freqs + 1,
                               self->mag_db + ((gsize) c * self->nmics + q) * self->nbins + 1, self->nbins - 1);
          else
            {
              const float *h = self->fir + ((gsize) c * self->nmics + q) * self->fir_len;
              for (int k = 0; k < self->fir_len; k++)
                y[k] = h[k];
              al_curve_plot_add (plot, label, t, y, self->fir_len);
            }
        }
      AlPlotView *view = g_ptr_array_index (self->plots, c);
      if (mag)
        al_plot_view_set_home (view, MAX (20.0, self->freqs[1]), MIN (20000.0, self->fs / 2), y_lo, y_hi);
      else
        al_plot_view_set_home (view, 0, t[self->fir_len - 1], y_lo, y_hi);
      al_plot_view_set_plot (view, plot, (const char *const *) labels->pdata);
    }
}

void
al_fir_view_set_encoder (AlFirView *self, const AlEncoder *enc)
{
  clear_data (self);
  if (enc != NULL)
    {
      self->nsh = enc->nsh;
      self->nmics = enc->nmics;
      self->fir_len = enc->fir_len;
      self->fs = enc->fs;
      gsize n = (gsize) enc->nsh * enc->nmics;
      self->fir = g_memdup2 (enc->fir, sizeof (float) * n * enc->fir_len);
      /* Zero-padded to at least 2048 points: smooth curves for short filters. */
      int nfft = al_fft_good_size (MAX (2 * enc->fir_len, 2048));
      self->nbins = nfft / 2 + 1;
      self->freqs = g_new (double, self->nbins);
      for (int b = 0; b < self->nbins; b++)
        self->freqs[b] = b * enc->fs / nfft;
      self->mag_db = g_new (double, n * self->nbins);
      AlFft *fft = al_fft_new (nfft);
      g_autofree double *in = g_new0 (double, nfft);
      g_autofree double complex *spec = g_new (double complex, self->nbins);
      for (gsize f = 0; f < n; f++)
        {
          for (int k = 0; k < enc->fir_len; k++)
            in[k] = enc->fir[f * enc->fir_len + k];
          al_fft_forward (fft, in, spec);
          for (int b = 0; b < self->nbins; b++)
            self->mag_db[f * self->nbins + b] = 20 * log10 (cabs (spec[b]) + 1e-12);
        }
      al_fft_free (fft);
    }
  rebuild (self);
}

void
al_fir_view_set_mode (AlFirView *self, AlFirViewMode mode)
{
  if (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->mode_drop)) != (guint) mode)
    {
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->mode_drop), mode); /* comes back through notify */
      return;
    }
  self->mode = mode;
  rebuild (self);
}

AlFirViewMode
al_fir_view_get_mode (AlFirView *self)
{
  return self->mode;
}

guint
al_fir_view_n_plots (AlFirView *self)
{
  return self->plots->len;
}

AlPlotView *
al_fir_view_get_plot (AlFirView *self, guint acn)
{
  return acn < self->plots->len ? g_ptr_array_index (self->plots, acn) : NULL;
}

double
al_fir_view_magnitude_at (AlFirView *self, int acn, int mic, double hz, double *bin_hz)
{
  if (self->mag_db == NULL || acn < 0 || acn >= self->nsh || mic < 0 || mic >= self->nmics)
    return NAN;
  int b = CLAMP ((int) lround (hz / (self->freqs[1] - self->freqs[0])), 0, self->nbins - 1);
  if (bin_hz != NULL)
    *bin_hz = self->freqs[b];
  return self->mag_db[((gsize) acn * self->nmics + mic) * self->nbins + b];
}

static void
on_mode_selected (AlFirView *self)
{
  al_fir_view_set_mode (self, (AlFirViewMode) gtk_drop_down_get_selected (GTK_DROP_DOWN (self->mode_drop)));
}

static void
al_fir_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), AL_TYPE_FIR_VIEW);
  G_OBJECT_CLASS (al_fir_view_parent_class)->dispose (object);
}

static void
al_fir_view_finalize (GObject *object)
{
  AlFirView *self = AL_FIR_VIEW (object);
  clear_data (self);
  g_ptr_array_unref (self->plots);
  G_OBJECT_CLASS (al_fir_view_parent_class)->finalize (object);
}

static void
al_fir_view_class_init (AlFirViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->dispose = al_fir_view_dispose;
  object_class->finalize = al_fir_view_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, AL_RESOURCE_PATH "/ui/al-fir-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, AlFirView, box);
  gtk_widget_class_bind_template_child (widget_class, AlFirView, caption);
  gtk_widget_class_bind_template_child (widget_class, AlFirView, mode_drop);
  gtk_widget_class_bind_template_child (widget_class, AlFirView, grid);
}

static void
al_fir_view_init (AlFirView *self)
{
  self->plots = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->mode_drop, "notify::selected", G_CALLBACK (on_mode_selected), self);
  rebuild (self);
}

GtkWidget *
al_fir_view_new (void)
{
  return g_object_new (AL_TYPE_FIR_VIEW, NULL);
}
