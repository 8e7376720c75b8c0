/* al-evaluate-page.c — encoders compared on simulated reverberant scenes.
 * The form builds the same scene spec `ambilab-cli evaluate` takes (shown,
 * so it can be pasted into a script); al_scene_evaluate runs in a GTask on
 * copies of the ATF set and the encoders, so the project may change under
 * it; a cancelled or failed run leaves the previous results in place.  The
 * Recording mode is an AlRecordingPanel in the mode stack, with its own
 * worker; the page forwards its API and routes the keys to the mode shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "al-design-page.h"
#include "al-evaluate-page.h"
#include "al-figure-view.h"
#include "al-listen-panel.h"
#include "al-plot-view.h"
#include "al-recording-panel.h"
#include "al-view-util.h"

/* Choices in the encoder list: a project encoder (index) or the Design page's design. */
#define CHOICE_DESIGN G_MAXUINT

typedef struct {
  char *name;   /* the scene encoder's name: legend, table, file names */
  guint index;  /* in the document, or CHOICE_DESIGN */
  GtkWidget *check;
} Choice;

struct _AlEvaluatePage {
  AlDocumentView parent_instance;
  gulong changed_id, encoders_id;
  GPtrArray *choices;      /* Choice* */
  GHashTable *unchosen;    /* names the user unticked, kept across list rebuilds */
  GCancellable *cancellable;
  guint progress_id;
  gint progress_permille;  /* written by the worker */
  int running_count;       /* scenes of the running job */
  AlSceneEval *result;
  char *error_text;
  GPtrArray *table_texts;  /* char*, rows x (1 + AL_SCENE_N_METRICS) */
  guint table_rows;

  GtkWidget *stack;
  GtkWidget *encoder_list;
  GtkWidget *count_spin, *seed_spin;
  GtkWidget *room_min_l, *room_min_w, *room_min_h;
  GtkWidget *room_max_l, *room_max_w, *room_max_h;
  GtkWidget *abs_min, *abs_max;
  GtkWidget *src_min, *src_max;
  GtkWidget *duration_spin;  /* the shortest duration (from the template) */
  GtkWidget *duration_max;   /* the longest, built beside it */
  GtkWidget *spec_label;
  GtkWidget *run_button;
  GtkWidget *view_switcher;
  GtkWidget *status_label;
  GtkWidget *progress_bar;
  GtkWidget *cancel_button;
  GtkWidget *error_revealer;
  GtkWidget *error_label;
  GtkWidget *results_stack;
  GtkWidget *table_grid;
  GtkWidget *view_stack;
  GtkWidget *coherence_view;
  GtkWidget *magnitude_view;
  GtkWidget *maps_view;
  GtkWidget *listen_panel;  /* AlListenPanel: the scenes played back */

  /* Recording mode: power maps over time of one recording (no ground truth). */
  GtkWidget *mode_stack, *mode_switcher, *recording_box;
  AlRecordingPanel *recording;
};

G_DEFINE_FINAL_TYPE (AlEvaluatePage, al_evaluate_page, AL_TYPE_DOCUMENT_VIEW)

enum { FINISHED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* Column headings of the table (core's labels, translated), with what each measures. */
static const struct {
  const char *label, *tooltip;
} metric_text[AL_SCENE_N_METRICS] = {
  [AL_SCENE_COHERENCE] = { N_("Coherence"), N_("Magnitude-squared coherence per SH channel, mean over channels and the band") },
  [AL_SCENE_COHERENCE_OCTAVE] = { N_("Coherence (oct.)"), N_("Coherence with weights ∝ 1/f: every octave counts alike") },
  [AL_SCENE_MAGNITUDE_ERROR] = { N_("Mag. err. (dB)"), N_("Mean absolute level error over frames, channels and the band") },
  [AL_SCENE_SI_SDR] = { N_("SI-SDR (dB)"), N_("Scale-invariant signal-to-distortion ratio, mean over channels") },
  [AL_SCENE_LSD] = { N_("LSD (dB)"), N_("Log-spectral distance, mean over channels") },
  [AL_SCENE_SPME] = { N_("SPME (dB)"), N_("Spatial power-map error of scene maps against the truth's") },
  [AL_SCENE_SPM_KL] = { N_("SPM-KL"), N_("Kullback–Leibler divergence of the normalised power maps (nats)") },
  [AL_SCENE_DGC] = { N_("DGC (dB)"), N_("Directional gain consistency: spread of the gain over plane-wave directions") },
  [AL_SCENE_LOCALISATION] = { N_("Loc. err. (°)"), N_("Angle between true source directions and power-map peaks") },
};

static void
choice_free (Choice *c)
{
  g_free (c->name);
  g_free (c);
}

/* ---- the scene-set form ---- */

static double
spin (GtkWidget *w)
{
  return gtk_spin_button_get_value (GTK_SPIN_BUTTON (w));
}

/* A number as the spec parser reads it, whatever the locale ("0.2", never "0,2"). */
static const char *
num (char buf[G_ASCII_DTOSTR_BUF_SIZE], double v)
{
  return g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.6g", v);
}

char *
al_evaluate_page_get_spec (AlEvaluatePage *self)
{
  char b[11][G_ASCII_DTOSTR_BUF_SIZE];
  /* One number for a fixed duration, as al_scene_set_to_string writes it. */
  const double dlo = spin (self->duration_spin), dhi = spin (self->duration_max);
  g_autofree char *duration = dlo == dhi ? g_strdup (num (b[8], dlo))
                                         : g_strdup_printf ("%s..%s", num (b[8], dlo), num (b[9], dhi));
  return g_strdup_printf ("count=%d,seed=%u,rooms=%sx%sx%s..%sx%sx%s,absorption=%s..%s,sources=%d..%d,duration=%s",
                          (int) spin (self->count_spin), (guint) spin (self->seed_spin),
                          num (b[0], spin (self->room_min_l)), num (b[1], spin (self->room_min_w)),
                          num (b[2], spin (self->room_min_h)), num (b[3], spin (self->room_max_l)),
                          num (b[4], spin (self->room_max_w)), num (b[5], spin (self->room_max_h)),
                          num (b[6], spin (self->abs_min)), num (b[7], spin (self->abs_max)),
                          (int) spin (self->src_min), (int) spin (self->src_max), duration);
}

/* Names as given on the command line: the encoders' JSON files in the project folder. */
char *
al_evaluate_page_get_command (AlEvaluatePage *self)
{
  g_autofree char *spec = al_evaluate_page_get_spec (self);
  g_autoptr (GString) encs = g_string_new (NULL);
  for (guint i = 0; i < self->choices->len; i++)
    {
      Choice *c = g_ptr_array_index (self->choices, i);
      if (c->index == CHOICE_DESIGN || !gtk_check_button_get_active (GTK_CHECK_BUTTON (c->check)))
        continue;
      g_autofree char *file = g_strconcat (c->name, ".json", NULL);
      g_autofree char *quoted = g_shell_quote (file);
      g_string_append_printf (encs, "%s%s", encs->len > 0 ? "," : "", quoted);
    }
  return g_strdup_printf ("ambilab-cli evaluate --atf array.sofa --encoders %s --scenes %s -o results",
                          encs->len > 0 ? encs->str : "A.json", spec);
}

static void
update_spec (AlEvaluatePage *self)
{
  g_autofree char *spec = al_evaluate_page_get_spec (self);
  /* Lines broken after commas, never inside a number, short enough for
   * the form's width; the copy button gives the one-line command. */
  g_auto (GStrv) parts = g_strsplit (spec, ",", -1);
  g_autoptr (GString) shown = g_string_new (NULL);
  gsize line = 0;
  for (int i = 0; parts[i] != NULL; i++)
    {
      gsize len = strlen (parts[i]) + 1;
      if (line > 0 && line + len > 34)
        {
          g_string_append_c (shown, '\n');
          line = 0;
        }
      g_string_append_printf (shown, "%s%s", parts[i], parts[i + 1] != NULL ? "," : "");
      line += len;
    }
  gtk_label_set_text (GTK_LABEL (self->spec_label), shown->str);
  gtk_widget_set_tooltip_text (self->spec_label, spec);
}

void
al_evaluate_page_set_scene_set (AlEvaluatePage *self, const AlSceneSet *set)
{
  const AlSimRandomSpec *sp = &set->spec;
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->count_spin), set->count);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->seed_spin), set->seed);
  GtkWidget *mins[] = { self->room_min_l, self->room_min_w, self->room_min_h };
  GtkWidget *maxs[] = { self->room_max_l, self->room_max_w, self->room_max_h };
  for (int i = 0; i < 3; i++)
    {
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (mins[i]), sp->room_min[i]);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (maxs[i]), sp->room_max[i]);
    }
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->abs_min), sp->absorption_min);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->abs_max), sp->absorption_max);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->src_min), sp->nsources_min);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->src_max), sp->nsources_max);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->duration_spin), sp->duration_min);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->duration_max), sp->duration_max);
  update_spec (self);
}

/* ---- encoder choices ---- */

guint
al_evaluate_page_n_encoder_choices (AlEvaluatePage *self)
{
  return self->choices->len;
}

const char *
al_evaluate_page_get_encoder_choice (AlEvaluatePage *self, guint index)
{
  return index < self->choices->len ? ((Choice *) g_ptr_array_index (self->choices, index))->name : NULL;
}

void
al_evaluate_page_set_encoder_chosen (AlEvaluatePage *self, guint index, gboolean chosen)
{
  g_return_if_fail (index < self->choices->len);
  Choice *c = g_ptr_array_index (self->choices, index);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (c->check), chosen);
}

static void
on_choice_toggled (GtkCheckButton *check, AlEvaluatePage *self)
{
  Choice *c = g_object_get_data (G_OBJECT (check), "al-choice");
  if (gtk_check_button_get_active (check))
    g_hash_table_remove (self->unchosen, c->name);
  else
    g_hash_table_add (self->unchosen, g_strdup (c->name));
}

/* The Design page beside this one (same window stack), if any. */
static AlDesignPage *
find_design_page (AlEvaluatePage *self)
{
  GtkWidget *stack = gtk_widget_get_parent (GTK_WIDGET (self));
  if (!GTK_IS_STACK (stack))
    return NULL;
  GtkWidget *page = gtk_stack_get_child_by_name (GTK_STACK (stack), "design");
  return AL_IS_DESIGN_PAGE (page) ? AL_DESIGN_PAGE (page) : NULL;
}

static void
add_choice (AlEvaluatePage *self, const char *name, const char *subtitle, guint index, gboolean chosen)
{
  Choice *c = g_new0 (Choice, 1);
  c->name = g_strdup (name);
  c->index = index;
  GtkWidget *row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  c->check = gtk_check_button_new ();
  gtk_widget_set_valign (c->check, GTK_ALIGN_CENTER);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (c->check), chosen && !g_hash_table_contains (self->unchosen, name));
  g_object_set_data (G_OBJECT (c->check), "al-choice", c);
  g_signal_connect (c->check, "toggled", G_CALLBACK (on_choice_toggled), self);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), c->check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), c->check);
  gtk_list_box_append (GTK_LIST_BOX (self->encoder_list), row);
  g_ptr_array_add (self->choices, c);
}

static char *
encoder_subtitle (const AlEncoder *enc)
{
  return g_strdup_printf (_("Order %d, %g dB%s, %d taps"), enc->params.order, enc->params.max_gain_db,
                          enc->params.diffuse_eq ? _(", EQ") : "", enc->fir_len);
}

static void
rebuild_choices (AlEvaluatePage *self)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (self->encoder_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->encoder_list), child);
  g_ptr_array_set_size (self->choices, 0);
  guint n = al_document_n_encoders (AL_VIEW_DOCUMENT (self));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *sub = encoder_subtitle (al_document_get_encoder (AL_VIEW_DOCUMENT (self), i));
      add_choice (self, al_document_get_encoder_name (AL_VIEW_DOCUMENT (self), i), sub, i, TRUE);
    }
  AlDesignPage *design = find_design_page (self);
  const AlEncoder *current = design != NULL ? al_design_page_get_encoder (design) : NULL;
  if (current != NULL)
    {
      /* Unticked by default: it is a draft until saved. */
      g_autofree char *sub = encoder_subtitle (current);
      g_autofree char *full = g_strdup_printf (_("Design page: %s"), sub);
      const char *name = _("Current design");
      gboolean taken = FALSE;
      for (guint i = 0; i < n; i++)
        taken |= g_strcmp0 (al_document_get_encoder_name (AL_VIEW_DOCUMENT (self), i), name) == 0;
      g_autofree char *unique = taken ? g_strdup_printf ("%s (%s)", name, _("draft")) : g_strdup (name);
      add_choice (self, unique, full, CHOICE_DESIGN, FALSE);
    }
  if (self->choices->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No encoders yet: design one first"));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (GTK_LIST_BOX (self->encoder_list), row);
    }
}

/* ---- results ---- */

static char *
format_stat (AlSceneMetric m, const AlStat *st)
{
  const int digits = (m == AL_SCENE_COHERENCE || m == AL_SCENE_COHERENCE_OCTAVE || m == AL_SCENE_SPM_KL) ? 3 : 2;
  if (!isfinite (st->mean))
    return g_strdup ("–");
  if (!isfinite (st->ci95))
    return g_strdup_printf ("%.*f", digits, st->mean);
  return g_strdup_printf ("%.*f ± %.*f", digits, st->mean, digits, st->ci95);
}

static char *
cell_markup (AlSceneMetric m, const AlStat *st)
{
  const int digits = (m == AL_SCENE_COHERENCE || m == AL_SCENE_COHERENCE_OCTAVE || m == AL_SCENE_SPM_KL) ? 3 : 2;
  if (!isfinite (st->mean))
    return g_strdup ("–");
  if (!isfinite (st->ci95))
    return g_strdup_printf ("%.*f", digits, st->mean);
  return g_strdup_printf ("%.*f\n<span size=\"small\" alpha=\"65%%\">± %.*f</span>", digits, st->mean, digits,
                          st->ci95);
}

static int
best_encoder (const AlSceneEval *ev, AlSceneMetric m)
{
  int best = -1;
  for (int e = 0; e < ev->nencoders; e++)
    {
      const double v = ev->encoders[e].stats[m].mean;
      if (!isfinite (v))
        continue;
      if (best < 0 || (al_scene_metric_higher_is_better (m) ? v > ev->encoders[best].stats[m].mean
                                                            : v < ev->encoders[best].stats[m].mean))
        best = e;
    }
  return best;
}

static GtkWidget *
cell_label (const char *text, float xalign)
{
  GtkWidget *l = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (l), xalign);
  gtk_widget_add_css_class (l, "numeric");
  return l;
}

static void
update_table (AlEvaluatePage *self)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (self->table_grid)) != NULL)
    gtk_grid_remove (GTK_GRID (self->table_grid), child);
  g_ptr_array_set_size (self->table_texts, 0);
  const AlSceneEval *ev = self->result;
  self->table_rows = ev != NULL ? ev->nencoders : 0;
  if (ev == NULL)
    return;
  GtkWidget *corner = cell_label (_("Encoder"), 0);
  gtk_widget_set_valign (corner, GTK_ALIGN_END);
  gtk_widget_add_css_class (corner, "heading");
  gtk_grid_attach (GTK_GRID (self->table_grid), corner, 0, 0, 1, 1);
  for (int m = 0; m < AL_SCENE_N_METRICS; m++)
    {
      /* The arrow says which way is better, as in the exported table. */
      g_autofree char *text = g_strdup_printf ("%s %s", _(metric_text[m].label),
                                               al_scene_metric_higher_is_better (m) ? "↑" : "↓");
      GtkWidget *h = cell_label (text, 1);
      gtk_label_set_wrap (GTK_LABEL (h), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (h), 9);
      gtk_label_set_justify (GTK_LABEL (h), GTK_JUSTIFY_RIGHT);
      gtk_widget_set_valign (h, GTK_ALIGN_END);
      gtk_widget_add_css_class (h, "heading");
      gtk_widget_set_tooltip_text (h, _(metric_text[m].tooltip));
      gtk_grid_attach (GTK_GRID (self->table_grid), h, 1 + m, 0, 1, 1);
    }
  int best[AL_SCENE_N_METRICS];
  for (int m = 0; m < AL_SCENE_N_METRICS; m++)
    best[m] = ev->nencoders > 1 ? best_encoder (ev, m) : -1;
  for (int e = 0; e < ev->nencoders; e++)
    {
      const AlSceneEncoderResult *r = &ev->encoders[e];
      /* The encoder's colour in the plots (core/plot's palette, by series index). */
      AlRgb rgb = al_palette_color (e);
      g_autofree char *escaped = g_markup_escape_text (r->name, -1);
      g_autofree char *markup = g_strdup_printf ("<span foreground=\"#%02x%02x%02x\">●</span>  %s",
                                                 (int) lround (rgb.r * 255), (int) lround (rgb.g * 255),
                                                 (int) lround (rgb.b * 255), escaped);
      GtkWidget *name = cell_label (NULL, 0);
      gtk_label_set_markup (GTK_LABEL (name), markup);
      g_autofree char *tip = g_strdup_printf (_("Order %d, latency %d samples"), r->order, r->latency);
      gtk_widget_set_tooltip_text (name, tip);
      gtk_grid_attach (GTK_GRID (self->table_grid), name, 0, 1 + e, 1, 1);
      g_ptr_array_add (self->table_texts, g_strdup (r->name));
      for (int m = 0; m < AL_SCENE_N_METRICS; m++)
        {
          char *text = format_stat (m, &r->stats[m]);
          GtkWidget *cell = cell_label (NULL, 1);
          /* The mean, with its CI in small type below: ten columns fit beside the form. */
          g_autofree char *markup = cell_markup (m, &r->stats[m]);
          gtk_label_set_markup (GTK_LABEL (cell), markup);
          gtk_label_set_justify (GTK_LABEL (cell), GTK_JUSTIFY_RIGHT);
          if (best[m] == e)
            gtk_widget_add_css_class (cell, "best");
          g_autofree char *ctip = g_strdup_printf (ngettext ("Mean ± 95 %% confidence interval over %d scene",
                                                             "Mean ± 95 %% confidence interval over %d scenes",
                                                             r->stats[m].n),
                                                   r->stats[m].n);
          gtk_widget_set_tooltip_text (cell, ctip);
          gtk_grid_attach (GTK_GRID (self->table_grid), cell, 1 + m, 1 + e, 1, 1);
          g_ptr_array_add (self->table_texts, text);
        }
    }
}

static void
update_views (AlEvaluatePage *self)
{
  const AlSceneEval *ev = self->result;
  if (ev == NULL)
    return;
  /* Ranges and layout as al_scene_eval_write's figures, titles translated. */
  const AlSpectralMetric *first = ev->encoders[0].coherence;
  const double xlo = MAX (first->band_lo, first->freqs[1]), xhi = MIN (first->band_hi, 20000.0);
  g_autofree char *title = g_strdup_printf (ngettext ("Coherence per SH channel, %d scene",
                                                      "Coherence per SH channel, %d scenes", ev->nscenes),
                                            ev->nscenes);
  AlChannelPlot *coh = al_channel_plot_new (title, _("Frequency (Hz)"), _("Coherence"));
  al_channel_plot_set_x_range (coh, xlo, xhi);
  al_channel_plot_set_y_range (coh, 0, 1.02);
  for (int e = 0; e < ev->nencoders; e++)
    al_channel_plot_add (coh, ev->encoders[e].name, ev->encoders[e].coherence);
  const double side = 170 * (ev->order + 1);
  al_figure_view_set_figure (AL_FIGURE_VIEW (self->coherence_view), coh, (AlDrawFunc) al_channel_plot_draw,
                             (GDestroyNotify) al_channel_plot_free, side + 60, side + 40);

  g_autofree char *mtitle = g_strdup_printf (ngettext ("Magnitude error, mean over channels, %d scene",
                                                       "Magnitude error, mean over channels, %d scenes", ev->nscenes),
                                             ev->nscenes);
  AlCurvePlot *mag = al_curve_plot_new (mtitle, _("Frequency (Hz)"), _("Magnitude error (dB)"));
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();
  for (int e = 0; e < ev->nencoders; e++)
    {
      const AlSpectralMetric *m = ev->encoders[e].magnitude_error;
      al_curve_plot_add (mag, ev->encoders[e].name, m->freqs + 1, m->combined + 1, m->nbins - 1);
      g_ptr_array_add (labels, ev->encoders[e].name);
    }
  g_ptr_array_add (labels, NULL);
  al_plot_view_set_home (AL_PLOT_VIEW (self->magnitude_view), xlo, xhi, 0, 0);
  al_plot_view_reset_zoom (AL_PLOT_VIEW (self->magnitude_view));
  al_plot_view_set_plot (AL_PLOT_VIEW (self->magnitude_view), mag, (const char *const *) labels->pdata);

  if (ev->truth_map != NULL)
    {
      g_autofree char *ptitle = g_strdup_printf (_("Spatial power maps (%s), scene 1 (seed %u)"),
                                                 al_map_method_name (ev->options.map_method), ev->scenes[0].seed);
      AlMapComparePlot *maps = al_map_compare_plot_new (ptitle, ev->truth_map, _("Ground truth"));
      for (int e = 0; e < ev->nencoders; e++)
        if (ev->encoders[e].map != NULL)
          al_map_compare_plot_add (maps, ev->encoders[e].name, ev->encoders[e].map);
      const AlSceneInfo *s0 = &ev->scenes[0];
      g_autoptr (GPtrArray) marks = g_ptr_array_new_with_free_func (g_free);
      for (int k = 0; k < s0->nsources; k++)
        g_ptr_array_add (marks, g_strdup_printf ("S%d", k + 1));
      al_map_compare_plot_add_markers (maps, s0->source_dirs, s0->nsources, (const char *const *) marks->pdata);
      /* Two columns up to four panels: on screen the card is taller than the
       * CLI's one-row figure, so the maps come out larger. */
      const int panels = ev->nencoders + 1, cols = panels <= 4 ? MIN (panels, 2) : 3;
      const int rows = (panels + cols - 1) / cols;
      al_map_compare_plot_set_columns (maps, cols);
      al_figure_view_set_figure (AL_FIGURE_VIEW (self->maps_view), maps, (AlDrawFunc) al_map_compare_plot_draw,
                                 (GDestroyNotify) al_map_compare_plot_free, 250 * cols + 40, 125 * rows + 50);
    }
  else
    al_figure_view_set_figure (AL_FIGURE_VIEW (self->maps_view), NULL, NULL, NULL, 0, 0);
}

static void
set_status (AlEvaluatePage *self, const char *text)
{
  gtk_label_set_text (GTK_LABEL (self->status_label), text);
}

static char *
result_summary (const AlSceneEval *ev)
{
  g_autofree char *scenes = g_strdup_printf (ngettext ("%d scene", "%d scenes", ev->nscenes), ev->nscenes);
  g_autofree char *encs = g_strdup_printf (ngettext ("%d encoder", "%d encoders", ev->nencoders), ev->nencoders);
  char rt[2][G_ASCII_DTOSTR_BUF_SIZE];
  double rt_lo = INFINITY, rt_hi = -INFINITY;
  for (int s = 0; s < ev->nscenes; s++)
    {
      rt_lo = MIN (rt_lo, ev->scenes[s].rt60);
      rt_hi = MAX (rt_hi, ev->scenes[s].rt60);
    }
  g_snprintf (rt[0], sizeof rt[0], "%.2f", rt_lo);
  g_snprintf (rt[1], sizeof rt[1], "%.2f", rt_hi);
  return g_strdup_printf (_("%s × %s in %.1f s · RT60 %s–%s s · truth localisation %.1f°"), scenes, encs,
                          ev->seconds, rt[0], rt[1], ev->truth_localisation.mean);
}

static void
show_results (AlEvaluatePage *self)
{
  gboolean any = self->result != NULL;
  gtk_stack_set_visible_child_name (GTK_STACK (self->results_stack), any ? "results" : "none");
  gtk_widget_set_visible (self->view_switcher, any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "evaluate.export-results", any);
  update_table (self);
  update_views (self);
  if (any)
    {
      g_autofree char *summary = result_summary (self->result);
      set_status (self, summary);
    }
}

static void
show_error (AlEvaluatePage *self, const char *message)
{
  g_free (self->error_text);
  self->error_text = g_strdup (message);
  gtk_label_set_text (GTK_LABEL (self->error_label), message != NULL ? message : "");
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->error_revealer), message != NULL);
}

/* ---- the worker ---- */

typedef struct {
  AlAtfSet *atf;
  GPtrArray *encoders;  /* AlSceneEncoder* */
  AlSceneSet set;
  char *clips_dir;      /* NULL: the system sounds */
  gint *progress;
} Job;

static void
job_free (Job *job)
{
  al_atf_set_free (job->atf);
  g_ptr_array_unref (job->encoders);
  g_free (job->clips_dir);
  g_free (job);
}

static void
report_progress (double fraction, const char *message, gpointer user_data)
{
  g_atomic_int_set ((gint *) user_data, (gint) (fraction * 1000));
}

static void
evaluate_worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  AlSceneClips clips = { 0 };
  if (!al_scene_clips_load (&clips, job->clips_dir, job->atf->fs, NULL, &error))
    {
      al_scene_clips_clear (&clips);
      g_task_return_error (task, error);
      return;
    }
  AlSceneEvalOptions opt;
  al_scene_eval_options_init (&opt);
  AlProgress progress = { .func = report_progress, .user_data = job->progress, .cancellable = cancellable };
  AlSceneEval *ev = al_scene_evaluate (job->atf, (AlSceneEncoder *const *) job->encoders->pdata, job->encoders->len,
                                       &job->set, (AlAudio *const *) clips.audio->pdata,
                                       (const char *const *) clips.names->pdata, clips.audio->len, &opt, &progress,
                                       &error);
  al_scene_clips_clear (&clips);
  if (ev == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, ev, (GDestroyNotify) al_scene_eval_free);
}

static void
set_busy (AlEvaluatePage *self, gboolean busy)
{
  gtk_widget_set_visible (self->progress_bar, busy);
  gtk_widget_set_visible (self->cancel_button, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "evaluate.cancel", busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "evaluate.run", !busy);
  if (!busy)
    g_clear_handle_id (&self->progress_id, g_source_remove);
}

static gboolean
progress_tick (gpointer data)
{
  AlEvaluatePage *self = data;
  double f = g_atomic_int_get (&self->progress_permille) / 1000.0;
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), f);
  int done = MIN ((int) floor (f * self->running_count + 1e-9), self->running_count);
  g_autofree char *text = g_strdup_printf (_("Scene %d of %d"), MIN (done + 1, self->running_count),
                                           self->running_count);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress_bar), text);
  return G_SOURCE_CONTINUE;
}

static void
evaluate_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AlEvaluatePage *self = AL_EVALUATE_PAGE (source);
  g_autoptr (GError) error = NULL;
  AlSceneEval *ev = g_task_propagate_pointer (G_TASK (result), &error);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  if (ev == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          set_status (self, self->result != NULL ? _("Cancelled; previous results kept")
                                                 : _("Evaluation cancelled"));
        }
      else
        {
          show_error (self, error->message);
          set_status (self, _("Evaluation failed"));
        }
      g_signal_emit (self, signals[FINISHED], 0);
      return;
    }
  g_clear_pointer (&self->result, al_scene_eval_free);
  self->result = ev;
  /* The run's own inputs: every scene can be rendered again to listen to. */
  const Job *job = g_task_get_task_data (G_TASK (result));
  al_listen_panel_set_source (AL_LISTEN_PANEL (self->listen_panel), job->atf, job->encoders, &job->set,
                              job->clips_dir, ev);
  show_results (self);
  g_autofree char *scenes = g_strdup_printf (ngettext ("%d scene", "%d scenes", ev->nscenes), ev->nscenes);
  g_autofree char *msg = g_strdup_printf (_("Evaluation finished: %s in %.1f s"), scenes, ev->seconds);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", msg);
  g_signal_emit (self, signals[FINISHED], 0);
}

void
al_evaluate_page_run (AlEvaluatePage *self)
{
  if (al_evaluate_page_is_running (self))
    return;
  show_error (self, NULL);
  const AlAtfSet *atf = al_document_get_atf (AL_VIEW_DOCUMENT (self));
  if (atf == NULL)
    {
      show_error (self, _("The project has no transfer functions to simulate scenes with: import a SOFA file first."));
      return;
    }
  AlSceneSet set;
  al_scene_set_init (&set);
  g_autofree char *spec = al_evaluate_page_get_spec (self);
  g_autoptr (GError) error = NULL;
  if (!al_scene_set_parse (&set, spec, &error))
    {
      show_error (self, error->message);
      return;
    }
  g_autoptr (GPtrArray) encs = g_ptr_array_new_with_free_func ((GDestroyNotify) al_scene_encoder_free);
  AlDesignPage *design = find_design_page (self);
  for (guint i = 0; i < self->choices->len; i++)
    {
      Choice *c = g_ptr_array_index (self->choices, i);
      if (!gtk_check_button_get_active (GTK_CHECK_BUTTON (c->check)))
        continue;
      const AlEncoder *enc = c->index == CHOICE_DESIGN ? (design != NULL ? al_design_page_get_encoder (design) : NULL)
                                                        : al_document_get_encoder (AL_VIEW_DOCUMENT (self), c->index);
      if (enc != NULL)
        g_ptr_array_add (encs, al_scene_encoder_new_linear (enc, c->name));
    }
  if (encs->len == 0)
    {
      show_error (self, _("Pick at least one encoder to evaluate."));
      return;
    }
  Job *job = g_new0 (Job, 1);
  job->atf = al_atf_set_copy (atf);
  job->encoders = g_steal_pointer (&encs);
  job->set = set;
  job->progress = &self->progress_permille;
  self->running_count = set.count;
  g_atomic_int_set (&self->progress_permille, 0);
  self->cancellable = g_cancellable_new ();
  GTask *task = g_task_new (self, self->cancellable, evaluate_done, NULL);
  g_task_set_source_tag (task, al_evaluate_page_run);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  set_busy (self, TRUE);
  progress_tick (self);
  self->progress_id = g_timeout_add (100, progress_tick, self);
  set_status (self, _("Simulating scenes and running the encoders…"));
  g_task_run_in_thread (task, evaluate_worker);
  g_object_unref (task);
}

void
al_evaluate_page_cancel (AlEvaluatePage *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

gboolean
al_evaluate_page_is_running (AlEvaluatePage *self)
{
  return self->cancellable != NULL;
}

const AlSceneEval *
al_evaluate_page_get_result (AlEvaluatePage *self)
{
  return self->result;
}

const char *
al_evaluate_page_get_error (AlEvaluatePage *self)
{
  return self->error_text;
}

const char *
al_evaluate_page_get_status (AlEvaluatePage *self)
{
  return gtk_label_get_text (GTK_LABEL (self->status_label));
}

guint
al_evaluate_page_get_table_rows (AlEvaluatePage *self)
{
  return self->table_rows;
}

const char *
al_evaluate_page_get_table_cell (AlEvaluatePage *self, guint row, guint col)
{
  const guint ncols = 1 + AL_SCENE_N_METRICS;
  if (row >= self->table_rows || col >= ncols)
    return NULL;
  return g_ptr_array_index (self->table_texts, row * ncols + col);
}

GtkWidget *
al_evaluate_page_get_view (AlEvaluatePage *self, const char *name)
{
  if (g_strcmp0 (name, "coherence") == 0)
    return self->coherence_view;
  if (g_strcmp0 (name, "magnitude") == 0)
    return self->magnitude_view;
  if (g_strcmp0 (name, "maps") == 0)
    return self->maps_view;
  if (g_strcmp0 (name, "listen") == 0)
    return self->listen_panel;
  if (g_str_has_prefix (name, "recording-"))
    return al_recording_panel_get_view (self->recording, name + strlen ("recording-"));
  return NULL;
}

void
al_evaluate_page_show_view (AlEvaluatePage *self, const char *name)
{
  if (al_evaluate_page_get_view (self, name) != NULL && !g_str_has_prefix (name, "recording-"))
    gtk_stack_set_visible_child_name (GTK_STACK (self->view_stack), name);
}

gboolean
al_evaluate_page_export_results (AlEvaluatePage *self, const char *dir, GError **error)
{
  if (self->result == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("There are no results to export yet"));
      return FALSE;
    }
  return al_scene_eval_write (self->result, dir, error);
}

/* ---- recording mode: AlRecordingPanel, the page's API forwarded ---- */

void
al_evaluate_page_set_mode (AlEvaluatePage *self, const char *mode)
{
  gtk_stack_set_visible_child_name (GTK_STACK (self->mode_stack), mode);
}

static gboolean
recording_shown (AlEvaluatePage *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (self->mode_stack)), "recording") == 0;
}

AlRecordingPanel *
al_evaluate_page_get_recording_panel (AlEvaluatePage *self)
{
  return self->recording;
}

void
al_evaluate_page_set_recording (AlEvaluatePage *self, const char *path, int encoder)
{
  al_recording_panel_set_recording (self->recording, path, encoder);
}

void
al_evaluate_page_set_recording_method (AlEvaluatePage *self, AlMapMethod method, guint band)
{
  al_recording_panel_set_method (self->recording, method, band);
}

void
al_evaluate_page_get_recording_options (AlEvaluatePage *self, AlMapTrackOptions *opt)
{
  al_recording_panel_get_options (self->recording, opt);
}

void
al_evaluate_page_run_recording (AlEvaluatePage *self)
{
  al_recording_panel_run (self->recording);
}

void
al_evaluate_page_cancel_recording (AlEvaluatePage *self)
{
  al_recording_panel_cancel (self->recording);
}

gboolean
al_evaluate_page_is_recording_running (AlEvaluatePage *self)
{
  return al_recording_panel_is_running (self->recording);
}

const char *
al_evaluate_page_get_recording_error (AlEvaluatePage *self)
{
  return al_recording_panel_get_error (self->recording);
}

const AlMapTrack *
al_evaluate_page_get_map_track (AlEvaluatePage *self)
{
  return al_recording_panel_get_map_track (self->recording);
}

int
al_evaluate_page_get_frame (AlEvaluatePage *self)
{
  return al_recording_panel_get_frame (self->recording);
}

void
al_evaluate_page_set_time (AlEvaluatePage *self, double time_s)
{
  al_recording_panel_set_time (self->recording, time_s);
}

void
al_evaluate_page_export_recording (AlEvaluatePage *self, const char *dir)
{
  al_recording_panel_export (self->recording, dir);
}

/* ---- actions ---- */

static void
run_action (GtkWidget *widget, const char *name, GVariant *param)
{
  al_evaluate_page_run (AL_EVALUATE_PAGE (widget));
}

static void
cancel_action (GtkWidget *widget, const char *name, GVariant *param)
{
  al_evaluate_page_cancel (AL_EVALUATE_PAGE (widget));
}

static void
dismiss_error_action (GtkWidget *widget, const char *name, GVariant *param)
{
  show_error (AL_EVALUATE_PAGE (widget), NULL);
}

static void
copy_command_action (GtkWidget *widget, const char *name, GVariant *param)
{
  g_autofree char *cmd = al_evaluate_page_get_command (AL_EVALUATE_PAGE (widget));
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), cmd);
  gtk_widget_activate_action (widget, "win.toast", "s", _("Command line copied"));
}

static void
write_results (AlEvaluatePage *self, const char *dir)
{
  g_autoptr (GError) error = NULL;
  if (al_evaluate_page_export_results (self, dir, &error))
    {
      g_autofree char *base = g_path_get_basename (dir);
      g_autofree char *msg = g_strdup_printf (_("Results written to %s"), base);
      gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", msg);
    }
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "win.error", "s", error->message);
}

static void
export_response (GtkNativeDialog *dialog, int response, AlEvaluatePage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *dir = g_file_get_path (file);
      g_autofree char *metrics = g_build_filename (dir, "metrics.json", NULL);
      if (g_file_test (metrics, G_FILE_TEST_EXISTS))
        {
          /* Nothing the user made is overwritten without asking (DESIGN.md §4). */
          g_autofree char *base = g_path_get_basename (dir);
          g_autofree char *body = g_strdup_printf (_("“%s” already holds the results of an evaluation. Replacing "
                                                     "them overwrites its metrics, tables and figures."),
                                                   base);
          al_view_ask_replace (GTK_WIDGET (self), dir, body, (AlViewWriteFunc) write_results);
        }
      else
        write_results (self, dir);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
export_results_action (GtkWidget *widget, const char *name, GVariant *param)
{
  GtkFileChooserNative *dialog
    = gtk_file_chooser_native_new (_("Export Results to Folder"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                   GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Export"), NULL);
  g_signal_connect (dialog, "response", G_CALLBACK (export_response), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
show_view_action (GtkWidget *widget, const char *name, GVariant *param)
{
  al_evaluate_page_show_view (AL_EVALUATE_PAGE (widget), g_variant_get_string (param, NULL));
}

/* Ctrl+Return, Escape and Ctrl+E on the mode shown; FALSE lets the key go on. */
static gboolean
run_key (GtkWidget *widget, GVariant *args, gpointer data)
{
  AlEvaluatePage *self = AL_EVALUATE_PAGE (widget);
  if (recording_shown (self))
    return gtk_widget_activate_action (GTK_WIDGET (self->recording), "recording.run", NULL);
  if (al_evaluate_page_is_running (self))
    return FALSE;
  al_evaluate_page_run (self);
  return TRUE;
}

static gboolean
cancel_key (GtkWidget *widget, GVariant *args, gpointer data)
{
  AlEvaluatePage *self = AL_EVALUATE_PAGE (widget);
  if (recording_shown (self) ? !al_recording_panel_is_running (self->recording) : !al_evaluate_page_is_running (self))
    return FALSE;
  if (recording_shown (self))
    al_recording_panel_cancel (self->recording);
  else
    al_evaluate_page_cancel (self);
  return TRUE;
}

static gboolean
export_key (GtkWidget *widget, GVariant *args, gpointer data)
{
  AlEvaluatePage *self = AL_EVALUATE_PAGE (widget);
  if (recording_shown (self))
    return gtk_widget_activate_action (GTK_WIDGET (self->recording), "recording.export", NULL);
  if (self->result == NULL)
    return FALSE;
  return gtk_widget_activate_action (widget, "evaluate.export-results", NULL);
}

/* ---- document ---- */

static void
on_document_changed (AlEvaluatePage *self)
{
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack),
                                    al_document_get_atf (AL_VIEW_DOCUMENT (self)) != NULL ? "content" : "empty");
  rebuild_choices (self);
}

static void
on_form_changed (AlEvaluatePage *self)
{
  update_spec (self);
}

static void
on_recording_finished (AlEvaluatePage *self)
{
  g_signal_emit (self, signals[FINISHED], 0);
}

/* ---- GObject ---- */

static void
al_evaluate_page_constructed (GObject *object)
{
  AlEvaluatePage *self = AL_EVALUATE_PAGE (object);
  G_OBJECT_CLASS (al_evaluate_page_parent_class)->constructed (object);
  GtkWidget *spins[] = { self->count_spin, self->seed_spin,  self->room_min_l, self->room_min_w, self->room_min_h,
                         self->room_max_l, self->room_max_w, self->room_max_h, self->abs_min,    self->abs_max,
                         self->src_min,    self->src_max,    self->duration_spin, self->duration_max };
  for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
    g_signal_connect_swapped (spins[i], "value-changed", G_CALLBACK (on_form_changed), self);
  /* The Recording mode, with its own worker and results. */
  self->recording = AL_RECORDING_PANEL (al_recording_panel_new (AL_VIEW_DOCUMENT (self)));
  gtk_box_append (GTK_BOX (self->recording_box), GTK_WIDGET (self->recording));
  g_signal_connect_swapped (self->recording, "finished", G_CALLBACK (on_recording_finished), self);
  self->changed_id = g_signal_connect_swapped (AL_VIEW_DOCUMENT (self), "changed", G_CALLBACK (on_document_changed), self);
  self->encoders_id = g_signal_connect_swapped (AL_VIEW_DOCUMENT (self), "encoders-changed", G_CALLBACK (rebuild_choices), self);
  /* The Design page's current design changes while this page is hidden. */
  g_signal_connect (self, "map", G_CALLBACK (rebuild_choices), NULL);
  on_document_changed (self);
}

static void
al_evaluate_page_dispose (GObject *object)
{
  AlEvaluatePage *self = AL_EVALUATE_PAGE (object);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (AL_VIEW_DOCUMENT (self) != NULL)
    {
      g_clear_signal_handler (&self->changed_id, AL_VIEW_DOCUMENT (self));
      g_clear_signal_handler (&self->encoders_id, AL_VIEW_DOCUMENT (self));
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), AL_TYPE_EVALUATE_PAGE);
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (al_evaluate_page_parent_class)->dispose (object);
}

static void
al_evaluate_page_finalize (GObject *object)
{
  AlEvaluatePage *self = AL_EVALUATE_PAGE (object);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->result, al_scene_eval_free);
  g_ptr_array_unref (self->choices);
  g_hash_table_unref (self->unchosen);
  g_ptr_array_unref (self->table_texts);
  g_free (self->error_text);
  G_OBJECT_CLASS (al_evaluate_page_parent_class)->finalize (object);
}

static void
al_evaluate_page_class_init (AlEvaluatePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->constructed = al_evaluate_page_constructed;
  object_class->dispose = al_evaluate_page_dispose;
  object_class->finalize = al_evaluate_page_finalize;
  /* A run ended: finished, failed or cancelled. */
  signals[FINISHED] = g_signal_new ("evaluation-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                    NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (AL_TYPE_PLOT_VIEW);
  g_type_ensure (AL_TYPE_FIGURE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, AL_RESOURCE_PATH "/ui/al-evaluate-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, stack);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, encoder_list);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, count_spin);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, room_min_l);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, room_min_w);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, room_min_h);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, room_max_l);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, room_max_w);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, room_max_h);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, abs_min);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, abs_max);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, src_min);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, src_max);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, duration_spin);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, spec_label);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, run_button);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, view_switcher);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, status_label);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, error_label);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, results_stack);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, table_grid);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, coherence_view);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, magnitude_view);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, maps_view);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, mode_stack);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, mode_switcher);
  gtk_widget_class_bind_template_child (widget_class, AlEvaluatePage, recording_box);
  gtk_widget_class_install_action (widget_class, "evaluate.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "evaluate.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "evaluate.export-results", NULL, export_results_action);
  gtk_widget_class_install_action (widget_class, "evaluate.copy-command", NULL, copy_command_action);
  gtk_widget_class_install_action (widget_class, "evaluate.dismiss-error", NULL, dismiss_error_action);
  gtk_widget_class_install_action (widget_class, "evaluate.show-view", "s", show_view_action);
  /* The keys act on the mode shown.  Inside the Recording panel its own
   * bindings catch them first; these serve the rest of the page (the mode
   * switcher), and a key with nothing to do goes on. */
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, run_key, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, cancel_key, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, export_key, NULL);
}

/* Range rows hold two or three numbers: without their +/− buttons the
 * fields fit beside the row title (arrow keys and scrolling still step). */
static void
compact_spin (GtkWidget *spin)
{
  for (GtkWidget *c = gtk_widget_get_first_child (spin); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_BUTTON (c))
      gtk_widget_set_visible (c, FALSE);
  gtk_widget_add_css_class (spin, "compact-spin");
}

/* The template's one duration becomes the shortest of a range row like
 * the others, with the longest beside it. */
static void
build_duration_range (AlEvaluatePage *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (self->duration_spin, ADW_TYPE_ACTION_ROW);
  g_return_if_fail (row != NULL);
  g_object_ref (self->duration_spin);
  adw_action_row_remove (ADW_ACTION_ROW (row), self->duration_spin);
  GtkAdjustment *adj = gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (self->duration_spin));
  self->duration_max = gtk_spin_button_new (gtk_adjustment_new (gtk_adjustment_get_value (adj),
                                                                gtk_adjustment_get_lower (adj),
                                                                gtk_adjustment_get_upper (adj),
                                                                gtk_adjustment_get_step_increment (adj),
                                                                gtk_adjustment_get_page_increment (adj), 0),
                                            0, 1);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (self->duration_max), TRUE);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  GtkWidget *dash = gtk_label_new ("–");
  gtk_widget_add_css_class (dash, "dim-label");
  GtkWidget *spins[] = { self->duration_spin, self->duration_max };
  for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
    {
      gtk_widget_set_valign (spins[i], GTK_ALIGN_CENTER);
      gtk_editable_set_width_chars (GTK_EDITABLE (spins[i]), 4);
      compact_spin (spins[i]);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->duration_spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Shortest duration"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->duration_max), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Longest duration"), -1);
  gtk_box_append (GTK_BOX (box), self->duration_spin);
  gtk_box_append (GTK_BOX (box), dash);
  gtk_box_append (GTK_BOX (box), self->duration_max);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
  gtk_widget_set_tooltip_text (box, _("Each scene lasts a time drawn between these (seconds); equal values: all "
                                      "scenes alike"));
  g_object_unref (self->duration_spin);
}

static void
al_evaluate_page_init (AlEvaluatePage *self)
{
  self->choices = g_ptr_array_new_with_free_func ((GDestroyNotify) choice_free);
  self->unchosen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->table_texts = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  build_duration_range (self);
  GtkWidget *ranges[] = { self->room_min_l, self->room_min_w, self->room_min_h, self->room_max_l, self->room_max_w,
                          self->room_max_h, self->abs_min,    self->abs_max,    self->src_min,    self->src_max };
  for (guint i = 0; i < G_N_ELEMENTS (ranges); i++)
    compact_spin (ranges[i]);
  al_figure_view_set_export_name (AL_FIGURE_VIEW (self->coherence_view), "coherence_per_channel");
  al_figure_view_set_export_name (AL_FIGURE_VIEW (self->maps_view), "power_maps");
  self->listen_panel = al_listen_panel_new ();
  gtk_stack_add_titled (GTK_STACK (self->view_stack), self->listen_panel, "listen", _("Listen"));
  /* The core's defaults, but fewer scenes: a first look, not the paper's table. */
  AlSceneSet set;
  al_scene_set_init (&set);
  set.count = 10;
  al_evaluate_page_set_scene_set (self, &set);
  gtk_widget_set_visible (self->view_switcher, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "evaluate.cancel", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "evaluate.export-results", FALSE);
}
