/* al-plot-export.c — figures to PNG, SVG or PDF files, picked by suffix,
 * written atomically (temporary file beside the target, then renamed).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-plot-private.h"
#include "al-base.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define DEFAULT_DPI 150.0
/* Cairo image surfaces are limited to 32767 pixels a side. */
#define MAX_PIXELS 32767.0

typedef enum { FORMAT_PNG, FORMAT_SVG, FORMAT_PDF } Format;

typedef struct {
  FILE *file;
  int error;   /* errno of the first failed write, 0 if none */
} Sink;

static cairo_status_t
sink_write (void *closure, const unsigned char *data, unsigned int length)
{
  Sink *sink = closure;
  if (sink->error != 0)
    return CAIRO_STATUS_WRITE_ERROR;
  if (fwrite (data, 1, length, sink->file) != length)
    {
      sink->error = errno != 0 ? errno : EIO;
      return CAIRO_STATUS_WRITE_ERROR;
    }
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
format_for_path (const char *path, Format *format, GError **error)
{
  g_autofree char *base = g_path_get_basename (path);
  const char *dot = strrchr (base, '.');
  if (dot == NULL || dot == base)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_UNSUPPORTED,
                   "%s: no file suffix; use .png, .svg or .pdf", path);
      return FALSE;
    }
  if (g_ascii_strcasecmp (dot, ".png") == 0)
    *format = FORMAT_PNG;
  else if (g_ascii_strcasecmp (dot, ".svg") == 0)
    *format = FORMAT_SVG;
  else if (g_ascii_strcasecmp (dot, ".pdf") == 0)
    *format = FORMAT_PDF;
  else
    {
      g_set_error (error, AL_ERROR, AL_ERROR_UNSUPPORTED,
                   "%s: unsupported figure format “%s”; use .png, .svg or .pdf", path, dot);
      return FALSE;
    }
  return TRUE;
}

/* Draws one page into surface (user units = points after `scale`). */
static cairo_status_t
render (cairo_surface_t *surface, double scale, double width, double height,
        AlDrawFunc draw, gpointer object, const AlPlotStyle *style)
{
  al_plot_mark_export (surface);
  cairo_t *cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  draw (object, cr, width, height, style);
  cairo_show_page (cr);
  cairo_status_t status = cairo_status (cr);
  cairo_destroy (cr);
  return status;
}

static gboolean
write_figure (Format format, Sink *sink, double width, double height, double dpi,
              AlDrawFunc draw, gpointer object, const AlPlotStyle *style, const char **what)
{
  cairo_surface_t *surface;
  cairo_status_t status;
  *what = NULL;
  if (format == FORMAT_PNG)
    {
      double scale = dpi / 72.0;
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                            (int) lround (width * scale), (int) lround (height * scale));
      status = render (surface, scale, width, height, draw, object, style);
      if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_write_to_png_stream (surface, sink_write, sink);
    }
  else
    {
      if (format == FORMAT_PDF)
        {
          surface = cairo_pdf_surface_create_for_stream (sink_write, sink, width, height);
          cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Ambilab");
        }
      else
        {
          surface = cairo_svg_surface_create_for_stream (sink_write, sink, width, height);
          cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PT);
        }
      status = render (surface, 1.0, width, height, draw, object, style);
      cairo_surface_finish (surface);
      if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_status (surface);
    }
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    *what = cairo_status_to_string (status);
  return status == CAIRO_STATUS_SUCCESS;
}

gboolean
al_plot_export (const char *path, double width, double height, double dpi,
                AlDrawFunc draw, gpointer object, const AlPlotStyle *style, GError **error)
{
  g_return_val_if_fail (path != NULL && draw != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  Format format;
  if (!format_for_path (path, &format, error))
    return FALSE;
  if (!(dpi > 0) || !isfinite (dpi))
    dpi = DEFAULT_DPI;
  if (!(width > 0) || !(height > 0) || !isfinite (width) || !isfinite (height)
      || (format == FORMAT_PNG && (width * dpi / 72.0 > MAX_PIXELS || height * dpi / 72.0 > MAX_PIXELS
                                   || lround (width * dpi / 72.0) < 1 || lround (height * dpi / 72.0) < 1)))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "%s: figure size %g x %g pt at %g dpi is out of range", path, width, height, dpi);
      return FALSE;
    }

  g_autofree char *tmp = al_temp_path_for (path);
  Sink sink = { g_fopen (tmp, "wb"), 0 };
  if (sink.file == NULL)
    {
      int saved = errno;
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot write: %s", path, g_strerror (saved));
      return FALSE;
    }
  const char *what;
  gboolean ok = write_figure (format, &sink, width, height, dpi, draw, object, style, &what);
  if (fclose (sink.file) != 0 && sink.error == 0)
    sink.error = errno;
  if (sink.error != 0)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_IO, "%s: cannot write: %s", path, g_strerror (sink.error));
      al_discard_temp_file (tmp);
      return FALSE;
    }
  if (!ok)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_FAILED, "%s: cannot render the figure: %s", path, what);
      al_discard_temp_file (tmp);
      return FALSE;
    }
  return al_commit_temp_file (tmp, path, error);
}

static void
draw_curve_plot (gpointer object, cairo_t *cr, double width, double height, const AlPlotStyle *style)
{
  al_curve_plot_draw (object, cr, width, height, style);
}

static void
draw_sphere_map (gpointer object, cairo_t *cr, double width, double height, const AlPlotStyle *style)
{
  al_sphere_map_draw (object, cr, width, height, style);
}

gboolean
al_curve_plot_export (AlCurvePlot *plot, const char *path, double width, double height, GError **error)
{
  g_return_val_if_fail (plot != NULL, FALSE);
  return al_plot_export (path, width, height, 0, draw_curve_plot, plot, NULL, error);
}

gboolean
al_sphere_map_export (AlSphereMap *map, const char *path, double width, double height, GError **error)
{
  g_return_val_if_fail (map != NULL, FALSE);
  return al_plot_export (path, width, height, 0, draw_sphere_map, map, NULL, error);
}
