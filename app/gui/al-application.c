/* al-application.c — the studio's AdwApplication.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "al-application.h"
#include "al-document.h"
#include "al-page-registry.h"
#include "al-window.h"

struct _AlApplication {
  AdwApplication parent_instance;
  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (AlApplication, al_application, ADW_TYPE_APPLICATION)

/* Where the catalogues are: AMBILAB_LOCALEDIR (tests set it), the build
 * tree's po/ when this executable runs from the build tree, else the
 * installed locale folder. */
static const char *
locale_dir (void)
{
  const char *env = g_getenv ("AMBILAB_LOCALEDIR");
  if (env != NULL && *env != '\0')
    return env;
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe != NULL && g_str_has_prefix (exe, AL_BUILD_ROOT G_DIR_SEPARATOR_S))
    return AL_BUILD_LOCALEDIR;
  return LOCALEDIR;
}

void
al_application_init_i18n (void)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

AlApplication *
al_application_new (void)
{
  return g_object_new (AL_TYPE_APPLICATION, "application-id", AL_APP_ID, "resource-base-path", AL_RESOURCE_PATH,
                       "flags", G_APPLICATION_DEFAULT_FLAGS, NULL);
}

GSettings *
al_application_get_settings (AlApplication *self)
{
  return self->settings;
}

GtkWindow *
al_application_get_window (AlApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = GTK_WINDOW (al_window_new (self));
  return window;
}

static void
apply_color_scheme (AlApplication *self)
{
  static const AdwColorScheme schemes[] = { ADW_COLOR_SCHEME_DEFAULT, ADW_COLOR_SCHEME_FORCE_LIGHT,
                                            ADW_COLOR_SCHEME_FORCE_DARK };
  int v = g_settings_get_enum (self->settings, "color-scheme");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), schemes[CLAMP (v, 0, 2)]);
}

static void
about_action (GSimpleAction *action, GVariant *param, gpointer data)
{
  AlApplication *self = data;
  const char *developers[] = { _("The Ambilab developers"), NULL };
  GtkWidget *about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                                   "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                                   "application-name", "Ambilab",
                                   "application-icon", AL_APP_ID,
                                   "version", AL_VERSION_STRING,
                                   "comments", _("Design and judge Ambisonics encoders for microphone arrays"),
                                   "developer-name", _("The Ambilab developers"),
                                   "developers", developers,
                                   "license-type", GTK_LICENSE_GPL_3_0,
                                   "translator-credits", _("translator-credits"),
                                   NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action, GVariant *param, gpointer data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (data));
  if (window != NULL)
    gtk_window_close (window); /* asks about unsaved changes */
  else
    g_application_quit (G_APPLICATION (data));
}

/* ---- preferences ---- */

static gboolean
scheme_to_index (GValue *value, GVariant *variant, gpointer data)
{
  const char *s = g_variant_get_string (variant, NULL);
  g_value_set_uint (value, g_str_equal (s, "light") ? 1 : g_str_equal (s, "dark") ? 2 : 0);
  return TRUE;
}

static GVariant *
index_to_scheme (const GValue *value, const GVariantType *type, gpointer data)
{
  static const char *names[] = { "default", "light", "dark" };
  return g_variant_new_string (names[MIN (g_value_get_uint (value), 2)]);
}

static gboolean
norm_to_index (GValue *value, GVariant *variant, gpointer data)
{
  const char *s = g_variant_get_string (variant, NULL);
  g_value_set_uint (value, g_str_equal (s, "n3d") ? 1 : g_str_equal (s, "orthonormal") ? 2 : 0);
  return TRUE;
}

static GVariant *
index_to_norm (const GValue *value, const GVariantType *type, gpointer data)
{
  static const char *names[] = { "sn3d", "n3d", "orthonormal" };
  return g_variant_new_string (names[MIN (g_value_get_uint (value), 2)]);
}

static GtkWidget *
combo_row (const char *title, const char *subtitle, const char *const *items)
{
  GtkWidget *row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  GtkStringList *model = gtk_string_list_new (items);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  g_object_unref (model);
  return row;
}

static GtkWidget *
spin_row (const char *title, const char *subtitle, double lo, double hi, double step, int digits, GtkWidget **spin)
{
  GtkWidget *row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  *spin = gtk_spin_button_new_with_range (lo, hi, step);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (*spin), digits);
  gtk_widget_set_valign (*spin, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), *spin);
  return row;
}

static void
preferences_action (GSimpleAction *action, GVariant *param, gpointer data)
{
  AlApplication *self = data;
  GtkWidget *win = adw_preferences_window_new ();
  gtk_window_set_transient_for (GTK_WINDOW (win), gtk_application_get_active_window (GTK_APPLICATION (self)));
  GtkWidget *page = adw_preferences_page_new ();

  GtkWidget *look = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (look), _("Appearance"));
  const char *schemes[] = { _("Follow the system"), _("Light"), _("Dark"), NULL };
  GtkWidget *scheme = combo_row (_("Colour Scheme"), _("Plots follow the window's style"), schemes);
  g_settings_bind_with_mapping (self->settings, "color-scheme", scheme, "selected", G_SETTINGS_BIND_DEFAULT,
                                scheme_to_index, index_to_scheme, NULL, NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (look), scheme);
  GtkWidget *font_spin;
  GtkWidget *font = spin_row (_("Plot Text Size"), _("Scale of the text in plots"), 0.6, 2.0, 0.1, 1, &font_spin);
  g_settings_bind (self->settings, "plot-font-scale", font_spin, "value", G_SETTINGS_BIND_DEFAULT);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (look), font);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (look));

  GtkWidget *audio = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (audio), _("Defaults"));
  GtkWidget *rate_spin;
  GtkWidget *rate = spin_row (_("Sample Rate"), _("Hz, for new simulations and measurements"), 8000, 384000, 1000,
                              0, &rate_spin);
  g_settings_bind (self->settings, "sample-rate", rate_spin, "value", G_SETTINGS_BIND_DEFAULT);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (audio), rate);
  const char *norms[] = { _("SN3D (AmbiX)"), "N3D", _("Orthonormal"), NULL };
  GtkWidget *norm = combo_row (_("SH Normalisation"), _("Of new encoders and exported Ambisonics files"), norms);
  g_settings_bind_with_mapping (self->settings, "sh-normalisation", norm, "selected", G_SETTINGS_BIND_DEFAULT,
                                norm_to_index, index_to_norm, NULL, NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (audio), norm);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (audio));

  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (win), ADW_PREFERENCES_PAGE (page));
  gtk_window_present (GTK_WINDOW (win));
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "quit", quit_action },
  { "preferences", preferences_action },
};

static void
al_application_startup (GApplication *app)
{
  AlApplication *self = AL_APPLICATION (app);
  G_APPLICATION_CLASS (al_application_parent_class)->startup (app);
  self->settings = al_settings_new ();
  g_signal_connect_swapped (self->settings, "changed::color-scheme", G_CALLBACK (apply_color_scheme), self);
  apply_color_scheme (self);
  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), self);

  static const struct { const char *action; const char *accels[2]; } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "win.new", { "<Control>n", NULL } },
    { "win.open", { "<Control>o", NULL } },
    { "win.save", { "<Control>s", NULL } },
    { "win.save-as", { "<Shift><Control>s", NULL } },
    { "win.import-sofa", { "<Control>i", NULL } },
    { "win.show-help-overlay", { "<Control>question", NULL } },
  };
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action, accels[i].accels);
  guint n;
  const AlPageInfo *pages = al_page_registry_get (&n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *detailed = g_strdup_printf ("win.show-page::%s", pages[i].id);
      g_autofree char *accel = g_strdup_printf ("<Alt>%s", gdk_keyval_name (pages[i].accel_key));
      const char *list[] = { accel, NULL };
      gtk_application_set_accels_for_action (GTK_APPLICATION (app), detailed, list);
    }
}

static void
al_application_activate (GApplication *app)
{
  gtk_window_present (al_application_get_window (AL_APPLICATION (app)));
}

static void
al_application_finalize (GObject *object)
{
  AlApplication *self = AL_APPLICATION (object);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (al_application_parent_class)->finalize (object);
}

static void
al_application_class_init (AlApplicationClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = al_application_finalize;
  G_APPLICATION_CLASS (klass)->startup = al_application_startup;
  G_APPLICATION_CLASS (klass)->activate = al_application_activate;
}

static void
al_application_init (AlApplication *self)
{
}
