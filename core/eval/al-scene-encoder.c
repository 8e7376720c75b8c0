/* al-scene-encoder.c — the encoder interface of the scene evaluation and
 * its two built-in implementations: linear FIR encoders (partitioned
 * convolution of in-memory signals) and the identity.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-scene-eval.h"

#include <string.h>

#include "dsp/al-dsp.h"

/* Partition length of the convolution: long blocks are cheaper per sample,
 * short ones waste less on short signals (DGC plane waves). */
#define LINEAR_BLOCK_MAX 2048
#define LINEAR_BLOCK_MIN 256

AlSceneEncoder *
al_scene_encoder_new (const char *name, int nmics, int order, double fs, AlShNorm norm, int latency,
                      AlSceneEncodeFunc encode, gpointer user_data, GDestroyNotify destroy)
{
  g_return_val_if_fail (encode != NULL && nmics > 0 && order >= 0 && fs > 0 && latency >= 0, NULL);
  AlSceneEncoder *enc = g_new0 (AlSceneEncoder, 1);
  enc->name = g_strdup (name != NULL && *name != '\0' ? name : "encoder");
  enc->nmics = nmics;
  enc->order = order;
  enc->nsh = al_sh_count (order);
  enc->fs = fs;
  enc->norm = norm;
  enc->latency = latency;
  enc->encode = encode;
  enc->user_data = user_data;
  enc->destroy = destroy;
  return enc;
}

void
al_scene_encoder_free (AlSceneEncoder *enc)
{
  if (enc == NULL)
    return;
  if (enc->destroy != NULL)
    enc->destroy (enc->user_data);
  g_free (enc->name);
  g_free (enc);
}

float *
al_scene_encoder_run (const AlSceneEncoder *enc, const float *mics, gsize nframes, GError **error)
{
  float *out = g_new0 (float, (gsize) enc->nsh * (nframes + (gsize) enc->latency));
  if (!enc->encode (enc->user_data, mics, nframes, out, error))
    {
      g_free (out);
      return NULL;
    }
  return out;
}

/* ---- Linear FIR encoders ---- */
typedef struct {
  int nmics, nsh, fir_len, latency;
  float *fir; /* nsh x nmics x fir_len */
} Linear;

static void
linear_free (gpointer data)
{
  Linear *lin = data;
  g_free (lin->fir);
  g_free (lin);
}

static gboolean
linear_encode (gpointer data, const float *mics, gsize nframes, float *out, GError **error)
{
  const Linear *lin = data;
  const gsize total = nframes + (gsize) lin->latency;
  int block = LINEAR_BLOCK_MIN;
  while (block < LINEAR_BLOCK_MAX && (gsize) block < total / 8)
    block *= 2;
  /* A convolver per call: its state is per stream, so calls in other
   * threads never share one (FFT plans are shared and cached). */
  AlConvolver *conv = al_convolver_new (lin->nmics, lin->nsh, lin->fir_len, lin->fir, block);
  float *in_buf = g_new (float, (gsize) block * lin->nmics);
  float *out_buf = g_new (float, (gsize) block * lin->nsh);
  const float **in = g_new (const float *, lin->nmics);
  float **outp = g_new (float *, lin->nsh);
  for (int q = 0; q < lin->nmics; q++)
    in[q] = in_buf + (gsize) q * block;
  for (int c = 0; c < lin->nsh; c++)
    outp[c] = out_buf + (gsize) c * block;

  for (gsize pos = 0; pos < total; pos += block)
    {
      gsize nin = pos < nframes ? MIN ((gsize) block, nframes - pos) : 0;
      for (int q = 0; q < lin->nmics; q++)
        {
          float *dst = in_buf + (gsize) q * block;
          if (nin > 0)
            memcpy (dst, mics + (gsize) q * nframes + pos, sizeof (float) * nin);
          memset (dst + nin, 0, sizeof (float) * (block - nin));
        }
      al_convolver_process (conv, in, outp);
      gsize nout = MIN ((gsize) block, total - pos);
      for (int c = 0; c < lin->nsh; c++)
        memcpy (out + (gsize) c * total + pos, out_buf + (gsize) c * block, sizeof (float) * nout);
    }
  al_convolver_free (conv);
  g_free (in_buf);
  g_free (out_buf);
  g_free (in);
  g_free (outp);
  return TRUE;
}

AlSceneEncoder *
al_scene_encoder_new_linear (const AlEncoder *enc, const char *name)
{
  g_return_val_if_fail (enc != NULL && enc->fir != NULL, NULL);
  Linear *lin = g_new0 (Linear, 1);
  lin->nmics = enc->nmics;
  lin->nsh = enc->nsh;
  lin->fir_len = enc->fir_len;
  lin->latency = MAX (enc->latency, 0);
  lin->fir = g_memdup2 (enc->fir, sizeof (float) * (gsize) enc->nsh * enc->nmics * enc->fir_len);
  return al_scene_encoder_new (name != NULL ? name : enc->name, enc->nmics, enc->params.order, enc->fs,
                               enc->params.norm, lin->latency, linear_encode, lin, linear_free);
}

/* ---- Identity ---- */
static gboolean
identity_encode (gpointer data, const float *mics, gsize nframes, float *out, GError **error)
{
  const int nsh = GPOINTER_TO_INT (data);
  memcpy (out, mics, sizeof (float) * (gsize) nsh * nframes);
  return TRUE;
}

AlSceneEncoder *
al_scene_encoder_new_identity (const char *name, int order, double fs, AlShNorm norm)
{
  const int nsh = al_sh_count (order);
  return al_scene_encoder_new (name != NULL ? name : "identity", nsh, order, fs, norm, 0, identity_encode,
                               GINT_TO_POINTER (nsh), NULL);
}
