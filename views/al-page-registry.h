/* al-page-registry.h — the pages of the studio window, in sidebar order.
 * A new page (Measure, Evaluate, Neural, Listen) is one more row in
 * al-page-registry.c; pages are GtkWidgets with a construct-only
 * "document" property (AlDocument).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct {
  const char *id;        /* stack child name and target of win.show-page */
  const char *title;     /* untranslated (N_), translate with _() */
  const char *subtitle;  /* untranslated (N_), one line for the sidebar */
  const char *icon_name;
  guint accel_key;       /* with <Alt> */
  GType (*get_type) (void);
} AlPageInfo;

const AlPageInfo *al_page_registry_get (guint *n_pages);
const AlPageInfo *al_page_registry_lookup (const char *id);

G_END_DECLS
