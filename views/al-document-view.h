/* al-document-view.h — the base of the widgets that show a project (the
 * pages and their panels): the construct-only "document" property, held
 * for the widget's life.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "al-document.h"

G_BEGIN_DECLS

#define AL_TYPE_DOCUMENT_VIEW (al_document_view_get_type ())
G_DECLARE_DERIVABLE_TYPE (AlDocumentView, al_document_view, AL, DOCUMENT_VIEW, GtkWidget)

struct _AlDocumentViewClass {
  GtkWidgetClass parent_class;
};

AlDocument *al_document_view_get_document (AlDocumentView *self);

/* The document of any AlDocumentView subclass instance. */
#define AL_VIEW_DOCUMENT(view) (al_document_view_get_document (AL_DOCUMENT_VIEW (view)))

G_END_DECLS
