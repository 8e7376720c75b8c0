/* al-document-view.c — the "document" property the pages and panels share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-document-view.h"

typedef struct {
  AlDocument *document;
} AlDocumentViewPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (AlDocumentView, al_document_view, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_DOCUMENT, N_PROPS };
static GParamSpec *properties[N_PROPS];

AlDocument *
al_document_view_get_document (AlDocumentView *self)
{
  g_return_val_if_fail (AL_IS_DOCUMENT_VIEW (self), NULL);
  AlDocumentViewPrivate *priv = al_document_view_get_instance_private (self);
  return priv->document;
}

static void
al_document_view_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  AlDocumentViewPrivate *priv = al_document_view_get_instance_private (AL_DOCUMENT_VIEW (object));
  switch (prop_id)
    {
    case PROP_DOCUMENT:
      priv->document = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
al_document_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  AlDocumentViewPrivate *priv = al_document_view_get_instance_private (AL_DOCUMENT_VIEW (object));
  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, priv->document);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Subclasses disconnect from the document in their own dispose, before
 * chaining up to this one. */
static void
al_document_view_dispose (GObject *object)
{
  AlDocumentViewPrivate *priv = al_document_view_get_instance_private (AL_DOCUMENT_VIEW (object));
  g_clear_object (&priv->document);
  G_OBJECT_CLASS (al_document_view_parent_class)->dispose (object);
}

static void
al_document_view_init (AlDocumentView *self)
{
}

static void
al_document_view_class_init (AlDocumentViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->set_property = al_document_view_set_property;
  object_class->get_property = al_document_view_get_property;
  object_class->dispose = al_document_view_dispose;
  properties[PROP_DOCUMENT] = g_param_spec_object ("document", NULL, NULL, AL_TYPE_DOCUMENT,
                                                   G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}
