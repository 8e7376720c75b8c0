/* al-page-registry.c — the pages of the studio window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "al-array-page.h"
#include "al-design-page.h"
#include "al-evaluate-page.h"
#include "al-measure-page.h"
#include "al-page-registry.h"

static const AlPageInfo pages[] = {
  { "array", N_("Array"), N_("Microphones and transfer functions"), "al-array-symbolic", GDK_KEY_1,
    al_array_page_get_type },
  { "design", N_("Design"), N_("Linear encoders"), "al-design-symbolic", GDK_KEY_2, al_design_page_get_type },
  { "evaluate", N_("Evaluate"), N_("Encoders compared on simulated rooms"), "al-evaluate-symbolic", GDK_KEY_3,
    al_evaluate_page_get_type },
  { "measure", N_("Measure"), N_("Transfer functions measured on a turntable"), "al-measure-symbolic", GDK_KEY_4,
    al_measure_page_get_type },
};

const AlPageInfo *
al_page_registry_get (guint *n_pages)
{
  *n_pages = G_N_ELEMENTS (pages);
  return pages;
}

const AlPageInfo *
al_page_registry_lookup (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    if (g_strcmp0 (pages[i].id, id) == 0)
      return &pages[i];
  return NULL;
}
