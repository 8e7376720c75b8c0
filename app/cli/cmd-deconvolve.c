/* cmd-deconvolve.c — `ambilab-cli deconvolve`: one sweep recording to IRs,
 * with the latency from a loopback input and a THD and quality report.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "al-cli.h"
#include "al-cli-measure.h"
#include "measure/al-measure.h"

int
al_cli_deconvolve (int argc, char **argv, GError **error)
{
  g_autofree char *sweep_spec = NULL, *in = NULL, *out = NULL;
  int ref = 0, ir_len = 512, ir_start = -32;
  gboolean overwrite = FALSE;
  GOptionEntry entries[] = {
    { "sweep", 0, 0, G_OPTION_ARG_STRING, &sweep_spec, "The sweep that was played, e.g. \"f1=20,f2=22000,T=3\"", "SPEC" },
    { "in", 0, 0, G_OPTION_ARG_FILENAME, &in, "Recording (WAV; its first sample is the first played sample)", "FILE" },
    { "ref", 0, 0, G_OPTION_ARG_INT, &ref, "Loopback reference channel, 1-based (default: none, latency 0)", "N" },
    { "ir-len", 0, 0, G_OPTION_ARG_INT, &ir_len, "IR length in taps (default 512)", "N" },
    { "ir-start", 0, 0, G_OPTION_ARG_INT, &ir_start, "IR window start re the latency (default -32)", "N" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "IRs to write (float32 WAV, one channel per input but the reference)", "FILE" },
    { "overwrite", 0, 0, G_OPTION_ARG_NONE, &overwrite, "Replace an existing output file", NULL },
    { NULL }
  };
  if (!al_cli_parse ("deconvolve", NULL, "Deconvolves one recording of an exponential sweep into impulse responses "
                     "and reports latency, THD and quality checks.", entries, &argc, &argv, error)
      || !al_cli_require (sweep_spec, "--sweep SPEC", error) || !al_cli_require (in, "--in FILE", error)
      || !al_cli_require (out, "-o FILE", error) || !al_cli_check_overwrite (out, overwrite, error))
    return 1;
  g_autoptr (AlAudio) audio = al_audio_read (in, error);
  if (audio == NULL)
    return 1;
  AlSweepParams sp;
  al_sweep_params_init (&sp);
  /* The recording's rate unless the spec names one. */
  sp.fs = audio->fs;
  if (sp.f2 > 0.45 * sp.fs)
    sp.f2 = 0.45 * sp.fs;
  if (!al_sweep_params_parse (sweep_spec, &sp, error))
    return 1;
  if (fabs (sp.fs - audio->fs) > 1e-6)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH, "%s is sampled at %.0f Hz but the sweep '%s' at %.0f Hz", in,
                   audio->fs, sweep_spec, sp.fs);
      return 1;
    }
  g_autoptr (AlSweep) sweep = al_sweep_new (&sp, error);
  if (sweep == NULL)
    return 1;
  g_autoptr (AlRecording) rec = al_recording_from_audio (audio, error);
  if (rec == NULL)
    return 1;
  if (ref < 0 || ref > rec->nchannels || (ref > 0 && rec->nchannels < 2))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--ref %d: %s has %d channel%s", ref, in,
                   rec->nchannels, rec->nchannels == 1 ? "" : "s");
      return 1;
    }
  if (rec->nframes < sweep->n_pre + sweep->n_sweep)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_MISMATCH, "%s: %d frames are shorter than the sweep '%s' (%d frames "
                   "with the silence before it)", in, rec->nframes, sweep_spec, sweep->n_pre + sweep->n_sweep);
      return 1;
    }
  g_autoptr (AlDeconvolver) d = al_deconvolver_new (sweep, NULL, rec->nframes, error);
  if (d == NULL)
    return 1;
  AlPointParams pp;
  al_point_params_init (&pp, sweep, rec->nchannels);
  pp.ref_channel = ref - 1;
  pp.latency = 0.0;
  pp.window.start = ir_start;
  pp.window.length = ir_len;
  pp.estimate_drift = ref > 0;
  AlProgress progress = al_cli_progress ("deconvolving");
  g_autoptr (AlPointResult) res = al_measure_point (d, sweep, rec, &pp, NULL, &progress, error);
  al_cli_progress_done ();
  if (res == NULL)
    return 1;

  g_autoptr (AlAudio) ir = al_audio_new (sp.fs, res->nmics, res->ir_len);
  for (int m = 0; m < res->nmics; m++)
    for (int i = 0; i < res->ir_len; i++)
      ir->data[(size_t) i * res->nmics + m] = (float) res->ir[(size_t) m * res->ir_len + i];
  if (!al_audio_write (out, ir, error))
    return 1;
  printf ("%s: %d IRs of %d taps at %.0f Hz (window %d … %d re the latency)\n", out, res->nmics, res->ir_len, sp.fs,
          res->window.start, res->window.start + res->window.length);
  if (ref > 0)
    printf ("latency %.3f samples (%.3f ms) from channel %d, clock drift %.3f ppm\n", res->latency,
            1e3 * res->latency / sp.fs, ref, res->drift_ppm);
  else
    printf ("no reference channel: latency taken as 0\n");
  for (int m = 0; m < res->nmics; m++)
    {
      const AlQcChannel *q = &res->qc->channels[res->channels[m]];
      printf ("channel %d: peak %.1f dBFS, noise %.1f dBFS, PNR %.1f dB", res->channels[m] + 1, q->peak_dbfs,
              q->noise_dbfs, q->pnr_db);
      if (res->harmonics != NULL && res->harmonics[m] != NULL)
        {
          const AlHarmonics *h = res->harmonics[m];
          printf (", THD %.3f %% (%.1f dB)", h->total_percent, h->total_db);
          for (int k = 2; k <= h->kmax; k++)
            printf ("%s H%d %.3f %%", k == 2 ? ";" : ",", k, h->thd_percent[k]);
        }
      printf ("\n");
    }
  g_autofree char *qc = al_qc_report_summary (res->qc);
  printf ("quality: %s%s%s\n", al_qc_verdict_name (res->qc->verdict), res->qc->messages->len ? "\n  " : "",
          res->qc->messages->len ? qc : "");
  return res->qc->verdict == AL_QC_FAIL ? 1 : 0;
}
