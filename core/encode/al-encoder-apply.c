/* al-encoder-apply.c — run an encoder over a recording, streaming, with
 * constant memory (partitioned convolution), progress and cancel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-encode.h"

#include <math.h>
#include <string.h>

#include "dsp/al-dsp.h"
#include "io/al-io.h"

#define APPLY_BLOCK 1024

gboolean
al_encoder_apply_file (const AlEncoder *enc, const char *in_path, const char *out_path,
                       gboolean compensate_latency, AlProgress *progress, GError **error)
{
  AlAudioReader *reader = al_audio_reader_open (in_path, error);
  if (reader == NULL)
    return FALSE;
  const int nin = al_audio_reader_channels (reader);
  const double fs = al_audio_reader_fs (reader);
  const gint64 total = al_audio_reader_frames (reader);
  if (!al_encoder_check_input (enc, in_path, nin, fs, error))
    {
      al_audio_reader_close (reader);
      return FALSE;
    }
  AlAudioWriter *writer = al_audio_writer_open (out_path, fs, enc->nsh, error);
  if (writer == NULL)
    {
      al_audio_reader_close (reader);
      return FALSE;
    }
  /* Every file of SH signals says what it holds (DESIGN §3). */
  g_autofree char *what = g_strdup_printf ("Ambisonics order %d, ACN, %s (encoder %s)", enc->params.order,
                                           al_sh_norm_name (enc->params.norm), enc->name ? enc->name : "");
  al_audio_writer_set_comment (writer, what);

  const int B = APPLY_BLOCK, nout = enc->nsh;
  AlConvolver *conv = al_convolver_new (nin, nout, enc->fir_len, enc->fir, B);
  float *inter_in = g_new (float, (gsize) B * nin);
  float *inter_out = g_new (float, (gsize) B * nout);
  float *planar_in = g_new (float, (gsize) B * nin);
  float *planar_out = g_new (float, (gsize) B * nout);
  const float **in_ptrs = g_new (const float *, nin);
  float **out_ptrs = g_new (float *, nout);
  for (int i = 0; i < nin; i++)
    in_ptrs[i] = planar_in + (gsize) i * B;
  for (int o = 0; o < nout; o++)
    out_ptrs[o] = planar_out + (gsize) o * B;

  /* Output spans the input plus the latency; compensation drops the first
   * `latency` samples so the result lines up with the input. */
  const gint64 skip = compensate_latency ? MAX (enc->latency, 0) : 0;
  const gint64 out_total = total + MAX (enc->latency, 0) - skip;
  gint64 produced = 0, consumed = 0, written = 0;
  gboolean ok = TRUE;
  while (written < out_total)
    {
      gint64 got = 0;
      if (consumed < total)
        {
          got = al_audio_reader_read (reader, inter_in, B, error);
          if (got < 0)
            {
              ok = FALSE;
              break;
            }
          consumed += got;
          if (got == 0)
            consumed = total; /* the file was shorter than its header said */
        }
      memset (inter_in + got * nin, 0, sizeof (float) * (B - got) * nin);
      for (int i = 0; i < B; i++)
        for (int ch = 0; ch < nin; ch++)
          planar_in[(gsize) ch * B + i] = inter_in[(gsize) i * nin + ch];
      al_convolver_process (conv, in_ptrs, out_ptrs);

      gint64 first = MAX (skip - produced, 0);
      produced += B;
      gint64 n = MIN ((gint64) B - first, out_total - written);
      if (n > 0)
        {
          for (gint64 i = 0; i < n; i++)
            for (int o = 0; o < nout; o++)
              inter_out[i * nout + o] = planar_out[(gsize) o * B + first + i];
          if (!al_audio_writer_write (writer, inter_out, n, error))
            {
              ok = FALSE;
              break;
            }
          written += n;
        }
      if (al_progress_cancelled (progress, error))
        {
          ok = FALSE;
          break;
        }
      al_progress_report (progress, out_total > 0 ? (double) written / out_total : 1.0, "encoding");
    }

  al_convolver_free (conv);
  g_free (inter_in);
  g_free (inter_out);
  g_free (planar_in);
  g_free (planar_out);
  g_free (in_ptrs);
  g_free (out_ptrs);
  al_audio_reader_close (reader);
  if (!ok)
    {
      al_audio_writer_finish (writer, FALSE, NULL);
      return FALSE;
    }
  return al_audio_writer_finish (writer, TRUE, error);
}
