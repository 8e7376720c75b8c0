/* al-design-page.c — encoder design with live metrics.  Parameter changes
 * are debounced (150 ms), then design + evaluation run in a GTask; a newer
 * change cancels the running one through the AlProgress cancellable, so the
 * UI never waits and stale results are dropped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "al-design-page.h"
#include "al-fir-view.h"
#include "al-plot-view.h"
#include "al-view-util.h"
#include "al-sphere-view.h"

#define DEBOUNCE_MS 150

typedef struct {
  char *name;
  AlEncoder *enc;
  AlEncoderEval *ev;
  GtkWidget *row;  /* its row in the comparison list (kept designs) */
} Design;

/* The page's ATF set with the design and evaluation contexts prepared on it.
 * A parameter change then costs a few small matrix products per bin instead
 * of transforming every ATF again.  Workers hold a reference and the lock
 * while they use it; a newer job waits at most until the older one sees its
 * cancellation. */
typedef struct {
  gatomicrefcount ref;
  GMutex lock;
  AlAtfSet *atf;
  AlDesignContext *design;
  int design_fir, design_order;
  AlEvalContext *eval;
  int eval_fir;
} Prepared;

static Prepared *
prepared_new (const AlAtfSet *set)
{
  Prepared *p = g_new0 (Prepared, 1);
  g_atomic_ref_count_init (&p->ref);
  g_mutex_init (&p->lock);
  p->atf = al_atf_set_copy (set);
  return p;
}

static Prepared *
prepared_ref (Prepared *p)
{
  g_atomic_ref_count_inc (&p->ref);
  return p;
}

static void
prepared_unref (Prepared *p)
{
  if (p == NULL || !g_atomic_ref_count_dec (&p->ref))
    return;
  al_design_context_free (p->design);
  al_eval_context_free (p->eval);
  al_atf_set_free (p->atf);
  g_mutex_clear (&p->lock);
  g_free (p);
}

/* Design + evaluation with contexts made (or reused) for these parameters;
 * called with p->lock held.  Results equal al_encoder_design + al_encoder_evaluate. */
static gboolean
prepared_run (Prepared *p, const AlDesignParams *params, AlProgress *progress, AlEncoder **enc_out,
              AlEncoderEval **ev_out, GError **error)
{
  AlProgress dp = al_progress_sub (progress, 0, 0.7), ep = al_progress_sub (progress, 0.7, 1.0);
  g_autoptr (AlEncoder) enc = NULL;
  if (params->method == AL_DESIGN_TD_LS)
    enc = al_encoder_design (p->atf, params, &dp, error);
  else
    {
      if (p->design == NULL || p->design_fir != params->fir_length || p->design_order < params->order)
        {
          g_clear_pointer (&p->design, al_design_context_free);
          int order = MAX (params->order, 3);
          while (al_sh_count (order) > p->atf->ndirs && order > params->order)
            order--;
          p->design = al_design_context_new (p->atf, params->fir_length, order, &dp, error);
          if (p->design == NULL)
            return FALSE;
          p->design_fir = params->fir_length;
          p->design_order = order;
        }
      enc = al_design_context_run (p->design, params, &dp, error);
    }
  if (enc == NULL)
    return FALSE;
  if (p->eval == NULL || p->eval_fir != enc->fir_len)
    {
      g_clear_pointer (&p->eval, al_eval_context_free);
      p->eval = al_eval_context_new (p->atf, enc->fir_len, &ep, error);
      if (p->eval == NULL)
        return FALSE;
      p->eval_fir = enc->fir_len;
    }
  AlEncoderEval *ev = al_eval_context_evaluate (p->eval, enc, 0, 0, &ep, error);
  if (ev == NULL)
    return FALSE;
  *enc_out = g_steal_pointer (&enc);
  *ev_out = ev;
  return TRUE;
}

struct _AlDesignPage {
  AlDocumentView parent_instance;
  gulong changed_id, encoders_id;
  Prepared *prepared;      /* the workers' own copy of the set and its cached contexts */
  const AlAtfSet *prepared_for; /* the document's set it was made from */
  guint debounce_id;
  guint progress_id;
  GCancellable *cancellable;
  guint generation;
  gint progress_permille;  /* written by the worker */
  gint64 started;
  double last_ms;
  Design *current;
  GPtrArray *kept;         /* Design* */
  gboolean updating;

  GtkWidget *stack;
  GtkWidget *method_row;
  GtkWidget *order_spin;
  GtkWidget *gain_spin;
  GtkWidget *eq_switch;
  GtkWidget *eq_spin;
  GtkWidget *fir_row;
  GtkWidget *norm_row;
  GtkWidget *name_row;
  GtkWidget *compare_list;
  GtkWidget *project_list;
  GtkWidget *summary_label;
  GtkWidget *progress_bar;
  GtkWidget *cancel_button;
  GtkWidget *corr_view;
  GtkWidget *level_view;
  GtkWidget *wng_view;
  GtkWidget *gain_view;
  GtkWidget *fir_view;
  GtkWidget *plot_stack;
};

G_DEFINE_FINAL_TYPE (AlDesignPage, al_design_page, AL_TYPE_DOCUMENT_VIEW)

enum { DESIGN_READY, N_SIGNALS };
static guint signals[N_SIGNALS];

static const int fir_lengths[] = { 256, 512, 1024, 2048, 4096 };

static void
design_free (Design *d)
{
  if (d == NULL)
    return;
  g_free (d->name);
  al_encoder_free (d->enc);
  al_encoder_eval_free (d->ev);
  g_free (d);
}

static AlEncoder *
encoder_dup (const AlEncoder *e)
{
  AlEncoder *c = g_new0 (AlEncoder, 1);
  *c = *e;
  c->name = g_strdup (e->name);
  c->fir = g_memdup2 (e->fir, sizeof (float) * (gsize) e->nsh * e->nmics * e->fir_len);
  c->atf_source = g_strdup (e->atf_source);
  c->created = g_strdup (e->created);
  c->warnings = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; e->warnings != NULL && i < e->warnings->len; i++)
    g_ptr_array_add (c->warnings, g_strdup (g_ptr_array_index (e->warnings, i)));
  return c;
}

/* ---- parameters ---- */

void
al_design_page_get_params (AlDesignPage *self, AlDesignParams *p)
{
  al_design_params_init (p);
  p->method = (AlDesignMethod) adw_combo_row_get_selected (ADW_COMBO_ROW (self->method_row));
  p->order = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->order_spin));
  p->max_gain_db = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->gain_spin));
  p->diffuse_eq = gtk_switch_get_active (GTK_SWITCH (self->eq_switch));
  p->diffuse_eq_hz = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->eq_spin));
  guint fir = adw_combo_row_get_selected (ADW_COMBO_ROW (self->fir_row));
  p->fir_length = fir_lengths[MIN (fir, G_N_ELEMENTS (fir_lengths) - 1)];
  p->norm = (AlShNorm) adw_combo_row_get_selected (ADW_COMBO_ROW (self->norm_row));
  /* Higher orders than the array supports are allowed here: the plots show why not. */
  p->allow_high_order = TRUE;
}

static void schedule_design (AlDesignPage *self);

void
al_design_page_set_params (AlDesignPage *self, const AlDesignParams *p)
{
  self->updating = TRUE;
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->method_row), p->method);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->order_spin), p->order);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->gain_spin), p->max_gain_db);
  gtk_switch_set_active (GTK_SWITCH (self->eq_switch), p->diffuse_eq);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->eq_spin), MAX (p->diffuse_eq_hz, 0));
  guint fir = 2;
  for (guint i = 0; i < G_N_ELEMENTS (fir_lengths); i++)
    if (fir_lengths[i] == p->fir_length)
      fir = i;
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->fir_row), fir);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->norm_row), p->norm);
  self->updating = FALSE;
  schedule_design (self);
}

static char *
auto_name (const AlDesignParams *p)
{
  return g_strdup_printf (_("Order %d, %g dB%s"), p->order, p->max_gain_db, p->diffuse_eq ? _(", EQ") : "");
}

/* ---- plots ---- */

/* The x range of ambilab-cli's figures (al_encoder_eval_write): from the
 * first bin (at least 20 Hz) to 20 kHz or Nyquist. */
static void
figure_x_range (const AlEncoderEval *ev, double *lo, double *hi)
{
  *lo = MAX (20.0, ev->freqs[1]);
  *hi = MIN (20000.0, ev->freqs[ev->nbins - 1]);
}

/* Curves per order of the current design and the kept ones.  core/plot
 * colours series by index modulo 8 and dashes every further 8, so the
 * current design takes indices 0..N (solid, the same picture as
 * ambilab-cli's figure when nothing is kept) and kept design k starts at
 * 8k: colour tells the order, the line style the design.  A kept design is
 * named once in the legend; its toggle hides all its orders. */
static AlCurvePlot *
order_plot (AlDesignPage *self, const char *title, const char *ylabel, gboolean level, GPtrArray *labels)
{
  AlCurvePlot *plot = al_curve_plot_new (title, _("Frequency (Hz)"), ylabel);
  guint nd = self->kept->len + 1;
  for (guint i = 0; i < nd; i++)
    {
      const Design *d = i == 0 ? self->current : g_ptr_array_index (self->kept, i - 1);
      const AlEncoderEval *ev = d->ev;
      /* unlabelled, empty series up to the next multiple of 8 */
      while (al_curve_plot_n_series (plot) < (int) (8 * i))
        {
          al_curve_plot_add (plot, NULL, NULL, NULL, 0);
          g_ptr_array_add (labels, g_strdup (""));
        }
      if (d->row != NULL)
        {
          static const char *styles[] = { N_("Dashed lines"), N_("Dotted lines"), N_("Dash-dotted lines") };
          adw_action_row_set_subtitle (ADW_ACTION_ROW (d->row), _(styles[(i - 1) % 3]));
        }
      const double *table = level ? ev->level_diff : ev->spatial_corr;
      g_autofree double *y = g_new (double, ev->nbins);
      for (int n = 0; n <= ev->order; n++)
        {
          for (int b = 0; b < ev->nbins; b++)
            y[b] = table[(gsize) b * (ev->order + 1) + n];
          g_autofree char *shown = i == 0 ? g_strdup_printf (_("order %d"), n) : g_strdup (n == 0 ? d->name : NULL);
          al_curve_plot_add (plot, shown, ev->freqs + 1, y + 1, ev->nbins - 1);
          g_ptr_array_add (labels, i == 0 ? g_strdup (shown) : g_strdup (d->name));
        }
    }
  g_ptr_array_add (labels, NULL);
  return plot;
}

static void
update_plots (AlDesignPage *self)
{
  if (self->current == NULL)
    return;
  const AlEncoderEval *ev = self->current->ev;
  double lo, hi;
  figure_x_range (ev, &lo, &hi);

  /* Titles, labels and ranges as in ambilab-cli's figures. */
  g_autoptr (GPtrArray) cl = g_ptr_array_new_with_free_func (g_free);
  AlCurvePlot *corr = order_plot (self, _("Spatial correlation"), "ρ", FALSE, cl);
  al_plot_view_set_home (AL_PLOT_VIEW (self->corr_view), lo, hi, 0, 1.05);
  al_plot_view_set_plot (AL_PLOT_VIEW (self->corr_view), corr, (const char *const *) cl->pdata);
  g_autoptr (GPtrArray) ll = g_ptr_array_new_with_free_func (g_free);
  AlCurvePlot *level = order_plot (self, _("Level difference"), _("Level (dB)"), TRUE, ll);
  al_plot_view_set_home (AL_PLOT_VIEW (self->level_view), lo, hi, 0, 0);
  al_plot_view_set_plot (AL_PLOT_VIEW (self->level_view), level, (const char *const *) ll->pdata);

  AlCurvePlot *wng = al_curve_plot_new (_("White-noise gain"), _("Frequency (Hz)"), _("Gain (dB, N3D)"));
  g_autoptr (GPtrArray) wl = g_ptr_array_new_with_free_func (g_free);
  g_autofree double *y = g_new (double, ev->nbins);
  for (int c = 0; c < ev->nsh; c++)
    {
      for (int b = 0; b < ev->nbins; b++)
        y[b] = ev->wng[(gsize) b * ev->nsh + c];
      char *label = g_strdup_printf (_("ACN %d"), c);
      al_curve_plot_add (wng, label, ev->freqs + 1, y + 1, ev->nbins - 1);
      g_ptr_array_add (wl, label);
    }
  g_ptr_array_add (wl, NULL);
  al_plot_view_set_home (AL_PLOT_VIEW (self->wng_view), lo, hi, 0, 0);
  al_plot_view_set_plot (AL_PLOT_VIEW (self->wng_view), wng, (const char *const *) wl->pdata);

  g_autofree char *title = g_strdup_printf (_("Directional gain (DGC %.2f dB)"), ev->dgc);
  al_sphere_view_set_map (AL_SPHERE_VIEW (self->gain_view),
                          al_sphere_map_new (title, "dB", ev->dirs, ev->dir_gain, ev->ndirs));
  al_fir_view_set_encoder (AL_FIR_VIEW (self->fir_view), self->current->enc);
}

static void
update_summary (AlDesignPage *self)
{
  if (self->current == NULL)
    return;
  const AlEncoderEval *ev = self->current->ev;
  g_autoptr (GString) s = g_string_new (NULL);
  for (int n = 0; n <= ev->order && n <= 3; n++)
    g_string_append_printf (s, "ρ%d %.3f  ", n, al_encoder_eval_mean_corr (ev, n));
  g_string_append_printf (s, _("· level %+.2f dB · DGC %.2f dB · max amp. %.1f dB · %.0f ms"),
                          al_encoder_eval_mean_level (ev, ev->order), ev->dgc, self->current->enc->max_amp_db,
                          self->last_ms);
  gtk_label_set_text (GTK_LABEL (self->summary_label), s->str);
  if (self->current->enc->warnings != NULL && self->current->enc->warnings->len > 0)
    gtk_widget_set_tooltip_text (self->summary_label, g_ptr_array_index (self->current->enc->warnings, 0));
  else
    gtk_widget_set_tooltip_text (self->summary_label, NULL);
}

/* ---- the worker ---- */

typedef struct {
  Prepared *prepared;
  AlDesignParams params;
  gint *progress;
  guint generation;
} Job;

static void
job_free (Job *job)
{
  prepared_unref (job->prepared);
  g_free (job);
}

static void
report_progress (double fraction, const char *message, gpointer user_data)
{
  g_atomic_int_set ((gint *) user_data, (gint) (fraction * 1000));
}

static void
design_worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  AlProgress progress = { .func = report_progress, .user_data = job->progress, .cancellable = cancellable };
  AlEncoder *enc = NULL;
  AlEncoderEval *ev = NULL;
  g_mutex_lock (&job->prepared->lock);
  gboolean ok = prepared_run (job->prepared, &job->params, &progress, &enc, &ev, &error);
  g_mutex_unlock (&job->prepared->lock);
  if (!ok)
    {
      g_task_return_error (task, error);
      return;
    }
  Design *d = g_new0 (Design, 1);
  d->enc = enc;
  d->ev = ev;
  g_task_return_pointer (task, d, (GDestroyNotify) design_free);
}

static void
set_busy (AlDesignPage *self, gboolean busy)
{
  gtk_widget_set_visible (self->progress_bar, busy);
  gtk_widget_set_visible (self->cancel_button, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "design.cancel", busy);
  if (!busy)
    g_clear_handle_id (&self->progress_id, g_source_remove);
}

static void
design_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AlDesignPage *self = AL_DESIGN_PAGE (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  Design *d = g_task_propagate_pointer (G_TASK (result), &error);
  if (job->generation != self->generation)
    {
      /* A newer request owns the page now. */
      design_free (d);
      return;
    }
  set_busy (self, FALSE);
  if (d == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (GTK_LABEL (self->summary_label), error->message);
      else
        gtk_label_set_text (GTK_LABEL (self->summary_label), _("Design cancelled"));
      return;
    }
  d->name = auto_name (&job->params);
  design_free (self->current);
  self->current = d;
  update_plots (self);
  self->last_ms = (g_get_monotonic_time () - self->started) / 1000.0;
  update_summary (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "design.keep", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "design.save", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "design.export", TRUE);
  g_signal_emit (self, signals[DESIGN_READY], 0);
}

static gboolean
poll_progress (gpointer data)
{
  AlDesignPage *self = data;
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar),
                                 g_atomic_int_get (&self->progress_permille) / 1000.0);
  return G_SOURCE_CONTINUE;
}

static gboolean
start_design (gpointer data)
{
  AlDesignPage *self = data;
  self->debounce_id = 0;
  if (self->prepared == NULL)
    return G_SOURCE_REMOVE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  Job *job = g_new0 (Job, 1);
  job->prepared = prepared_ref (self->prepared);
  al_design_page_get_params (self, &job->params);
  job->progress = &self->progress_permille;
  job->generation = ++self->generation;
  g_atomic_int_set (&self->progress_permille, 0);
  self->started = g_get_monotonic_time ();
  set_busy (self, TRUE);
  if (self->progress_id == 0)
    self->progress_id = g_timeout_add (50, poll_progress, self);
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, design_done, NULL);
  g_task_set_source_tag (task, start_design);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, design_worker);
  return G_SOURCE_REMOVE;
}

static void
schedule_design (AlDesignPage *self)
{
  if (self->updating)
    return;
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  self->debounce_id = g_timeout_add (DEBOUNCE_MS, start_design, self);
  /* A pending design can be called off before it starts. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "design.cancel", TRUE);
}

/* ---- public ---- */

const AlEncoder *
al_design_page_get_encoder (AlDesignPage *self)
{
  return self->current != NULL ? self->current->enc : NULL;
}

const AlEncoderEval *
al_design_page_get_eval (AlDesignPage *self)
{
  return self->current != NULL ? self->current->ev : NULL;
}

gboolean
al_design_page_is_busy (AlDesignPage *self)
{
  return self->debounce_id != 0 || al_design_page_is_running (self);
}

gboolean
al_design_page_is_running (AlDesignPage *self)
{
  return gtk_widget_get_visible (self->progress_bar);
}

double
al_design_page_get_last_ms (AlDesignPage *self)
{
  return self->last_ms;
}

guint
al_design_page_n_kept (AlDesignPage *self)
{
  return self->kept->len;
}

void
al_design_page_show_view (AlDesignPage *self, const char *name)
{
  if (gtk_stack_get_child_by_name (GTK_STACK (self->plot_stack), name) != NULL)
    gtk_stack_set_visible_child_name (GTK_STACK (self->plot_stack), name);
}

GtkWidget *
al_design_page_get_view (AlDesignPage *self, const char *name)
{
  static const struct { const char *name; gsize offset; } views[] = {
    { "correlation", G_STRUCT_OFFSET (AlDesignPage, corr_view) },
    { "level", G_STRUCT_OFFSET (AlDesignPage, level_view) },
    { "wng", G_STRUCT_OFFSET (AlDesignPage, wng_view) },
    { "gain", G_STRUCT_OFFSET (AlDesignPage, gain_view) },
    { "filters", G_STRUCT_OFFSET (AlDesignPage, fir_view) },
  };
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    if (g_str_equal (views[i].name, name))
      return G_STRUCT_MEMBER (GtkWidget *, self, views[i].offset);
  return NULL;
}

static const char *
current_name_of (AlDesignPage *self, const Design *d)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  return text != NULL && *text != '\0' ? text : d->name;
}

static const char *
current_name (AlDesignPage *self)
{
  return current_name_of (self, self->current);
}

static void
remove_kept (GtkButton *button, AlDesignPage *self)
{
  Design *d = g_object_get_data (G_OBJECT (button), "al-design");
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);
  gtk_list_box_remove (GTK_LIST_BOX (self->compare_list), row);
  g_ptr_array_remove (self->kept, d);
  update_plots (self);
}

void
al_design_page_keep (AlDesignPage *self)
{
  if (self->current == NULL)
    return;
  /* The current design moves to the comparison; a fresh current follows. */
  Design *d = g_steal_pointer (&self->current);
  char *name = g_strdup (current_name_of (self, d));
  g_free (d->name);
  d->name = name;
  g_ptr_array_add (self->kept, d);
  GtkWidget *row = adw_action_row_new ();
  d->row = row;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), d->name);
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove from the comparison"));
  g_object_set_data (G_OBJECT (remove), "al-design", d);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_kept), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  gtk_list_box_append (GTK_LIST_BOX (self->compare_list), row);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  start_design (self);
}

int
al_design_page_save_to_project (AlDesignPage *self, GError **error)
{
  if (self->current == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("There is no design to save yet"));
      return -1;
    }
  AlEncoder *enc = encoder_dup (self->current->enc);
  g_free (enc->name);
  enc->name = g_strdup (current_name (self));
  int index = al_document_add_encoder (AL_VIEW_DOCUMENT (self), enc, error);
  if (index < 0)
    al_encoder_free (enc);
  return index;
}

gboolean
al_design_page_export (AlDesignPage *self, const char *dir, GError **error)
{
  if (self->current == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("There is no design to export yet"));
      return FALSE;
    }
  g_autoptr (AlEncoder) enc = encoder_dup (self->current->enc);
  g_free (enc->name);
  enc->name = g_strdup (current_name (self));
  g_autofree char *json_name = g_strconcat (enc->name, ".json", NULL);
  g_autofree char *wav_name = g_strconcat (enc->name, ".wav", NULL);
  g_autofree char *conf_name = g_strconcat (enc->name, ".conf", NULL);
  g_autofree char *json = g_build_filename (dir, json_name, NULL);
  g_autofree char *conf = g_build_filename (dir, conf_name, NULL);
  return al_encoder_save (enc, json, error) && al_encoder_export_mcfx (enc, conf, wav_name, error);
}

/* ---- actions ---- */

static void
keep_action (GtkWidget *widget, const char *name, GVariant *param)
{
  al_design_page_keep (AL_DESIGN_PAGE (widget));
}

static void
save_action (GtkWidget *widget, const char *name, GVariant *param)
{
  AlDesignPage *self = AL_DESIGN_PAGE (widget);
  g_autoptr (GError) error = NULL;
  int index = al_design_page_save_to_project (self, &error);
  if (index < 0)
    {
      gtk_widget_activate_action (widget, "win.error", "s", error->message);
      return;
    }
  g_autofree char *msg
    = g_strdup_printf (_("“%s” added to the project"), al_document_get_encoder_name (AL_VIEW_DOCUMENT (self), index));
  gtk_widget_activate_action (widget, "win.toast", "s", msg);
}

static void
export_response (GtkNativeDialog *dialog, int response, AlDesignPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *dir = g_file_get_path (file);
      g_autoptr (GError) error = NULL;
      if (al_design_page_export (self, dir, &error))
        gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", _("Encoder exported"));
      else
        gtk_widget_activate_action (GTK_WIDGET (self), "win.error", "s", error->message);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
export_action (GtkWidget *widget, const char *name, GVariant *param)
{
  GtkFileChooserNative *dialog
    = gtk_file_chooser_native_new (_("Export Encoder to Folder"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                   GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Export"), NULL);
  g_signal_connect (dialog, "response", G_CALLBACK (export_response), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
show_view_action (GtkWidget *widget, const char *name, GVariant *param)
{
  al_design_page_show_view (AL_DESIGN_PAGE (widget), g_variant_get_string (param, NULL));
}

static void
cancel_action (GtkWidget *widget, const char *name, GVariant *param)
{
  AlDesignPage *self = AL_DESIGN_PAGE (widget);
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (!al_design_page_is_running (self))
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "design.cancel", FALSE);
}

/* ---- project ---- */

static void
load_encoder_params (GtkButton *button, AlDesignPage *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "al-index"));
  const AlEncoder *enc = al_document_get_encoder (AL_VIEW_DOCUMENT (self), index);
  if (enc != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), al_document_get_encoder_name (AL_VIEW_DOCUMENT (self), index));
      al_design_page_set_params (self, &enc->params);
    }
}

/* The method as the Method row names it. */
static const char *
method_label (AlDesignMethod method)
{
  static const char *names[] = { N_("Tikhonov"), N_("Soft limit"), N_("Time-domain LS") };
  return (guint) method < G_N_ELEMENTS (names) ? _(names[method]) : al_design_method_name (method);
}

static void
on_encoders_changed (AlDesignPage *self)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (self->project_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->project_list), child);
  guint n = al_document_n_encoders (AL_VIEW_DOCUMENT (self));
  for (guint i = 0; i < n; i++)
    {
      const AlEncoder *enc = al_document_get_encoder (AL_VIEW_DOCUMENT (self), i);
      GtkWidget *row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), al_document_get_encoder_name (AL_VIEW_DOCUMENT (self), i));
      g_autofree char *sub = g_strdup_printf (_("%s, order %d, %g dB%s, %d taps"),
                                              method_label (enc->params.method), enc->params.order,
                                              enc->params.max_gain_db, enc->params.diffuse_eq ? _(", EQ") : "",
                                              enc->fir_len);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sub);
      GtkWidget *load = gtk_button_new_from_icon_name ("document-edit-symbolic");
      gtk_widget_set_valign (load, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (load, "flat");
      gtk_widget_set_tooltip_text (load, _("Design from these parameters"));
      g_object_set_data (G_OBJECT (load), "al-index", GUINT_TO_POINTER (i));
      g_signal_connect (load, "clicked", G_CALLBACK (load_encoder_params), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), load);
      gtk_list_box_append (GTK_LIST_BOX (self->project_list), row);
    }
  if (n == 0)
    {
      GtkWidget *row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No encoders saved yet"));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (GTK_LIST_BOX (self->project_list), row);
    }
}

static void
on_document_changed (AlDesignPage *self)
{
  const AlAtfSet *set = al_document_get_atf (AL_VIEW_DOCUMENT (self));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), set != NULL ? "content" : "empty");
  if (set != self->prepared_for || set == NULL)
    {
      g_clear_pointer (&self->prepared, prepared_unref);
      self->prepared_for = set;
      if (set != NULL)
        self->prepared = prepared_new (set);
    }
  if (set == NULL)
    return;
  /* Start from the project's first encoder, if any: what the user last kept. */
  if (al_document_n_encoders (AL_VIEW_DOCUMENT (self)) > 0)
    {
      const AlEncoder *enc = al_document_get_encoder (AL_VIEW_DOCUMENT (self), al_document_n_encoders (AL_VIEW_DOCUMENT (self)) - 1);
      al_design_page_set_params (self, &enc->params);
    }
  else
    schedule_design (self);
}

static void
on_param_changed (AlDesignPage *self)
{
  schedule_design (self);
}

/* ---- GObject ---- */

static void
al_design_page_constructed (GObject *object)
{
  AlDesignPage *self = AL_DESIGN_PAGE (object);
  G_OBJECT_CLASS (al_design_page_parent_class)->constructed (object);
  g_signal_connect_swapped (self->method_row, "notify::selected", G_CALLBACK (on_param_changed), self);
  g_signal_connect_swapped (self->order_spin, "value-changed", G_CALLBACK (on_param_changed), self);
  g_signal_connect_swapped (self->gain_spin, "value-changed", G_CALLBACK (on_param_changed), self);
  g_signal_connect_swapped (self->eq_switch, "notify::active", G_CALLBACK (on_param_changed), self);
  g_signal_connect_swapped (self->eq_spin, "value-changed", G_CALLBACK (on_param_changed), self);
  g_signal_connect_swapped (self->fir_row, "notify::selected", G_CALLBACK (on_param_changed), self);
  g_signal_connect_swapped (self->norm_row, "notify::selected", G_CALLBACK (on_param_changed), self);
  self->changed_id = g_signal_connect_swapped (AL_VIEW_DOCUMENT (self), "changed", G_CALLBACK (on_document_changed), self);
  self->encoders_id
    = g_signal_connect_swapped (AL_VIEW_DOCUMENT (self), "encoders-changed", G_CALLBACK (on_encoders_changed), self);
  on_encoders_changed (self);
  on_document_changed (self);
}

static void
al_design_page_dispose (GObject *object)
{
  AlDesignPage *self = AL_DESIGN_PAGE (object);
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (AL_VIEW_DOCUMENT (self) != NULL)
    {
      g_clear_signal_handler (&self->changed_id, AL_VIEW_DOCUMENT (self));
      g_clear_signal_handler (&self->encoders_id, AL_VIEW_DOCUMENT (self));
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), AL_TYPE_DESIGN_PAGE);
  G_OBJECT_CLASS (al_design_page_parent_class)->dispose (object);
}

static void
al_design_page_finalize (GObject *object)
{
  AlDesignPage *self = AL_DESIGN_PAGE (object);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->prepared, prepared_unref);
  design_free (self->current);
  g_ptr_array_unref (self->kept);
  G_OBJECT_CLASS (al_design_page_parent_class)->finalize (object);
}

static void
al_design_page_class_init (AlDesignPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->constructed = al_design_page_constructed;
  object_class->dispose = al_design_page_dispose;
  object_class->finalize = al_design_page_finalize;
  /* A design finished and the plots show it. */
  signals[DESIGN_READY] = g_signal_new ("design-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                        NULL, G_TYPE_NONE, 0);

  g_type_ensure (AL_TYPE_PLOT_VIEW);
  g_type_ensure (AL_TYPE_SPHERE_VIEW);
  g_type_ensure (AL_TYPE_FIR_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, AL_RESOURCE_PATH "/ui/al-design-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, AlDesignPage, stack);
  gtk_widget_class_bind_template_child (widget_class, AlDesignPage, method_row);
  gtk_widget_class_bind_template_child (widget_class, AlDesignPage, order_spin);
  gtk_widget_class_bind_template_child (widget_class, AlDesignPage, gain_spin);
  gtk_widget_class_bind_template_child (widget_class, AlDesignPage, eq_switch);
  gtk_widget_class_bind_template_child (widget_class, AlDesignPage, eq_spin);
  gtk_widget_class_bind_template_child (widget_class, AlDesignPage, fir_row);
  gtk_widget_class_bind_template_child (widget_class, AlDesignPage, norm_row);
  gtk_widget_class_bind_template_child (widget_class, AlDesignPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, AlDesignPage, compare_list);
  gtk_widget_class_bind_template_child (widget_class, AlDesignPage, project_list);
  gtk_widget_class_bind_template_child (widget_class, AlDesignPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, AlDesignPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, AlDesignPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, AlDesignPage, corr_view);
  gtk_widget_class_bind_template_child (widget_class, AlDesignPage, level_view);
  gtk_widget_class_bind_template_child (widget_class, AlDesignPage, wng_view);
  gtk_widget_class_bind_template_child (widget_class, AlDesignPage, gain_view);
  gtk_widget_class_bind_template_child (widget_class, AlDesignPage, fir_view);
  gtk_widget_class_bind_template_child (widget_class, AlDesignPage, plot_stack);
  gtk_widget_class_install_action (widget_class, "design.keep", NULL, keep_action);
  gtk_widget_class_install_action (widget_class, "design.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "design.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "design.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "design.show-view", "s", show_view_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, GDK_CONTROL_MASK, "design.keep", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "design.export", NULL);
}

static void
al_design_page_init (AlDesignPage *self)
{
  self->kept = g_ptr_array_new_with_free_func ((GDestroyNotify) design_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  GtkWidget *none = gtk_label_new (_("Keep a design to compare it with the next ones"));
  gtk_label_set_wrap (GTK_LABEL (none), TRUE);
  gtk_widget_set_margin_top (none, 12);
  gtk_widget_set_margin_bottom (none, 12);
  gtk_widget_add_css_class (none, "dim-label");
  gtk_list_box_set_placeholder (GTK_LIST_BOX (self->compare_list), none);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->fir_row), 2);
  /* The combo lists AlShNorm in enum order. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->norm_row), al_view_default_norm ());
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "design.keep", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "design.save", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "design.export", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "design.cancel", FALSE);
}
