/* al-view-util.c — helpers shared by the plot and sphere-map views.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "al-document.h"
#include "al-view-util.h"
#include "measure/al-audio-backend.h"
#include "plot/al-plot.h"

char *
al_format_frequency (double hz)
{
  if (fabs (hz) >= 1000)
    return g_strdup_printf (_("%.3g kHz"), hz / 1000);
  return g_strdup_printf (_("%.3g Hz"), hz);
}

/* One settings object for all views, alive for the process. */
static GSettings *
view_settings (void)
{
  static GSettings *settings;
  if (g_once_init_enter (&settings))
    g_once_init_leave (&settings, al_settings_new ());
  return settings;
}

double
al_view_font_scale (void)
{
  return g_settings_get_double (view_settings (), "plot-font-scale");
}

AlShNorm
al_view_default_norm (void)
{
  g_autofree char *name = g_settings_get_string (view_settings (), "sh-normalisation");
  AlShNorm norm = AL_SH_SN3D;
  if (!al_sh_norm_parse (name, &norm, NULL))
    norm = AL_SH_SN3D;
  return norm;
}

static GtkWidget *
icon_button (const char *icon, const char *action, const char *tooltip)
{
  GtkWidget *b = gtk_button_new_from_icon_name (icon);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (b), action);
  gtk_widget_set_tooltip_text (b, tooltip);
  return b;
}

GtkWidget *
al_view_toolbar_new (GtkWidget *extra, const char *reset_action, const char *export_action)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
  gtk_widget_add_css_class (box, "plot-toolbar");
  gtk_widget_set_halign (box, GTK_ALIGN_END);
  gtk_widget_set_valign (box, GTK_ALIGN_START);
  if (extra != NULL)
    gtk_box_append (GTK_BOX (box), extra);
  if (reset_action != NULL)
    gtk_box_append (GTK_BOX (box), icon_button ("zoom-original-symbolic", reset_action, _("Reset zoom")));
  gtk_box_append (GTK_BOX (box), icon_button ("document-save-as-symbolic", export_action,
                                              _("Export figure (PNG, SVG, PDF)")));
  return box;
}

void
al_view_allocate_toolbar (GtkWidget *toolbar, int width, int height)
{
  int w, h;
  gtk_widget_measure (toolbar, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &w, NULL, NULL);
  gtk_widget_measure (toolbar, GTK_ORIENTATION_VERTICAL, w, NULL, &h, NULL, NULL);
  w = MIN (w, width);
  h = MIN (h, height);
  gtk_widget_size_allocate (toolbar, &(GtkAllocation) { width - w - 4, 4, w, h }, -1);
}

void
al_view_draw_crosshair (GtkWidget *widget, GtkSnapshot *snapshot, double ax, double ay, double aw, double ah,
                        double x, double y, const char *text, gboolean dark)
{
  GdkRGBA line = dark ? (GdkRGBA) { 1, 1, 1, 0.45 } : (GdkRGBA) { 0, 0, 0, 0.4 };
  gtk_snapshot_append_color (snapshot, &line, &GRAPHENE_RECT_INIT (floor (x), ay, 1, ah));
  gtk_snapshot_append_color (snapshot, &line, &GRAPHENE_RECT_INIT (ax, floor (y), aw, 1));

  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  int tw, th;
  pango_layout_get_pixel_size (layout, &tw, &th);
  double pad = 5, bw = tw + 2 * pad, bh = th + 2 * pad;
  /* Beside the cursor, flipped to stay inside the plot area. */
  double bx = x + 12, by = y - bh - 8;
  if (bx + bw > ax + aw)
    bx = x - 12 - bw;
  if (by < ay)
    by = y + 12;
  GskRoundedRect r;
  gsk_rounded_rect_init_from_rect (&r, &GRAPHENE_RECT_INIT (bx, by, bw, bh), 5);
  GdkRGBA bg = dark ? (GdkRGBA) { 0.16, 0.16, 0.18, 0.92 } : (GdkRGBA) { 1, 1, 1, 0.94 };
  GdkRGBA fg = dark ? (GdkRGBA) { 0.95, 0.95, 0.95, 1 } : (GdkRGBA) { 0.1, 0.1, 0.12, 1 };
  GdkRGBA edge = dark ? (GdkRGBA) { 1, 1, 1, 0.2 } : (GdkRGBA) { 0, 0, 0, 0.2 };
  gtk_snapshot_push_rounded_clip (snapshot, &r);
  gtk_snapshot_append_color (snapshot, &bg, &r.bounds);
  gtk_snapshot_pop (snapshot);
  float widths[4] = { 1, 1, 1, 1 };
  GdkRGBA edges[4] = { edge, edge, edge, edge };
  gtk_snapshot_append_border (snapshot, &r, widths, edges);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (bx + pad, by + pad));
  gtk_snapshot_append_layout (snapshot, layout, &fg);
  gtk_snapshot_restore (snapshot);
  g_object_unref (layout);
}

void
al_view_add_figure_filters (GtkFileChooser *chooser)
{
  static const struct { const char *name, *pattern; } kinds[] = {
    { N_("PDF (vector)"), "*.pdf" },
    { N_("SVG (vector)"), "*.svg" },
    { N_("PNG (image)"), "*.png" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      GtkFileFilter *f = gtk_file_filter_new ();
      gtk_file_filter_set_name (f, _(kinds[i].name));
      gtk_file_filter_add_pattern (f, kinds[i].pattern);
      gtk_file_chooser_add_filter (chooser, f);
      g_object_unref (f);
    }
}

GskRenderNode *
al_view_render_plot (GtkWidget *widget, int width, int height, AlViewDrawFunc draw, gpointer object,
                     const void *style)
{
  int scale = gtk_widget_get_scale_factor (widget);
  int pw = width * scale, ph = height * scale;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, pw, ph);
  cairo_surface_set_device_scale (surface, scale, scale);
  cairo_t *cr = cairo_create (surface);
  draw (object, cr, width, height, style);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  int stride = cairo_image_surface_get_stride (surface);
  /* The texture keeps the surface alive for its pixels. */
  GBytes *bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface), (gsize) stride * ph,
                                              (GDestroyNotify) cairo_surface_destroy, surface);
  GdkTexture *texture = gdk_memory_texture_new (pw, ph, GDK_MEMORY_DEFAULT, bytes, stride);
  g_bytes_unref (bytes);
  GskRenderNode *node = gsk_texture_node_new (texture, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_object_unref (texture);
  return node;
}

gboolean
al_plot_cache_update (AlPlotCache *cache, GtkWidget *widget, int w, int h, AlViewDrawFunc draw, gpointer object)
{
  const gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  const double font = al_view_font_scale ();
  if (cache->node != NULL && cache->w == w && cache->h == h && cache->dark == dark && cache->font == font)
    return FALSE;
  g_clear_pointer (&cache->node, gsk_render_node_unref);
  AlPlotStyle style = { .dark = dark, .font_scale = font };
  cache->node = al_view_render_plot (widget, w, h, draw, object, &style);
  cache->w = w;
  cache->h = h;
  cache->dark = dark;
  cache->font = font;
  return TRUE;
}

void
al_plot_cache_clear (AlPlotCache *cache)
{
  g_clear_pointer (&cache->node, gsk_render_node_unref);
}

typedef struct {
  GtkWidget *view;
  AlViewExportFunc export;
} ExportRequest;

static void
export_response (GtkNativeDialog *dialog, int response, ExportRequest *req)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      if (!g_str_has_suffix (path, ".png") && !g_str_has_suffix (path, ".svg") && !g_str_has_suffix (path, ".pdf"))
        {
          char *p = g_strconcat (path, ".pdf", NULL);
          g_free (path);
          path = p;
        }
      g_autoptr (GError) error = NULL;
      if (req->export (req->view, path, &error))
        {
          g_autofree char *base = g_path_get_basename (path);
          g_autofree char *msg = g_strdup_printf (_("Figure saved as %s"), base);
          gtk_widget_activate_action (req->view, "win.toast", "s", msg);
        }
      else
        gtk_widget_activate_action (req->view, "win.error", "s", error->message);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (req->view);
  g_free (req);
}

void
al_view_export_dialog (GtkWidget *view, const char *default_name, AlViewExportFunc export)
{
  GtkRoot *root = gtk_widget_get_root (view);
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (_("Export Figure"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                              GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  al_view_add_figure_filters (GTK_FILE_CHOOSER (dialog));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), default_name);
  ExportRequest *req = g_new (ExportRequest, 1);
  req->view = g_object_ref (view);
  req->export = export;
  g_signal_connect (dialog, "response", G_CALLBACK (export_response), req);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
list_devices_worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *devices = al_audio_list_devices (&error);
  if (devices == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, devices, (GDestroyNotify) g_ptr_array_unref);
}

void
al_view_list_audio_devices (gpointer source, GAsyncReadyCallback done, gpointer user_data)
{
  GTask *task = g_task_new (source, NULL, done, user_data);
  g_task_set_source_tag (task, al_view_list_audio_devices);
  g_task_run_in_thread (task, list_devices_worker);
  g_object_unref (task);
}

GPtrArray *
al_view_list_audio_devices_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct {
  GtkWidget *view;
  char *dir;
  AlViewWriteFunc write;
} ReplaceRequest;

static void
replace_request_free (gpointer data, GClosure *closure)
{
  ReplaceRequest *req = data;
  g_object_unref (req->view);
  g_free (req->dir);
  g_free (req);
}

static void
replace_response (AdwMessageDialog *dialog, const char *response, ReplaceRequest *req)
{
  if (g_strcmp0 (response, "replace") == 0)
    req->write (req->view, req->dir);
}

void
al_view_ask_replace (GtkWidget *view, const char *dir, const char *body, AlViewWriteFunc write)
{
  GtkRoot *root = gtk_widget_get_root (view);
  GtkWidget *ask = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Replace Results?"),
                                           body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (ask), "cancel", _("_Cancel"), "replace", _("_Replace"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (ask), "replace", ADW_RESPONSE_DESTRUCTIVE);
  ReplaceRequest *req = g_new (ReplaceRequest, 1);
  req->view = g_object_ref (view);
  req->dir = g_strdup (dir);
  req->write = write;
  g_signal_connect_data (ask, "response", G_CALLBACK (replace_response), req, replace_request_free, 0);
  gtk_window_present (GTK_WINDOW (ask));
}
