/* test-audio.c — audio files through libsndfile: exact float round trips, FLAC
 * quantisation, streaming equals one-shot, atomic writes, bad files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-io.h"
#include "io-test-util.h"

#include <math.h>
#include <sndfile.h>
#include <string.h>

static AlAudio *
random_audio (double fs, int nch, gint64 nframes, double amplitude, guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  AlAudio *audio = al_audio_new (fs, nch, nframes);
  for (gint64 i = 0; i < nframes * nch; i++)
    audio->data[i] = (float) g_rand_double_range (rand, -amplitude, amplitude);
  return audio;
}

static int
file_format (const char *path)
{
  SF_INFO info = { 0 };
  SNDFILE *sf = sf_open (path, SFM_READ, &info);
  g_assert_nonnull (sf);
  sf_close (sf);
  return info.format;
}

static void
assert_error_contains (const GError *error, AlErrorCode code, const char *a, const char *b)
{
  g_assert_nonnull (error);
  if (g_test_verbose ())
    g_test_message ("error: %s", error->message);
  g_assert_error (error, AL_ERROR, (gint) code);
  if (strstr (error->message, a) == NULL || (b != NULL && strstr (error->message, b) == NULL))
    g_error ("message \"%s\" lacks \"%s\"%s%s", error->message, a, b ? " or " : "", b ? b : "");
}

/* Writes `audio` to dir/name, reads it back and checks it is bit-identical. */
static void
assert_exact_roundtrip (const char *dir, const char *name, const AlAudio *audio, int want_format)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (al_audio_write (path, audio, &error));
  g_assert_no_error (error);
  g_assert_cmphex (file_format (path), ==, want_format);
  g_autoptr (AlAudio) back = al_audio_read (path, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (back->fs, ==, audio->fs);
  g_assert_cmpint (back->nchannels, ==, audio->nchannels);
  g_assert_cmpint (back->nframes, ==, audio->nframes);
  gsize bytes = sizeof (float) * audio->nframes * audio->nchannels;
  g_assert_cmpmem (back->data, bytes, audio->data, bytes);
}

static void
test_float_roundtrip (void)
{
  g_autofree char *dir = io_test_dir_new ();
  /* Float files keep values beyond full scale. */
  g_autoptr (AlAudio) seven = random_audio (48000, 7, 4801, 1.5, 1);
  assert_exact_roundtrip (dir, "mics.wav", seven, SF_FORMAT_WAVEX | SF_FORMAT_FLOAT);
  g_autoptr (AlAudio) stereo = random_audio (44100, 2, 1000, 1.0, 2);
  assert_exact_roundtrip (dir, "stereo.WAV", stereo, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
  g_autoptr (AlAudio) foa = random_audio (96000, 4, 2000, 1.0, 3);
  assert_exact_roundtrip (dir, "foa.caf", foa, SF_FORMAT_CAF | SF_FORMAT_FLOAT);
  g_autoptr (AlAudio) empty = al_audio_new (48000, 3, 0);
  assert_exact_roundtrip (dir, "empty.wav", empty, SF_FORMAT_WAVEX | SF_FORMAT_FLOAT);
  g_autofree char *listing = io_test_dir_list (dir);
  g_assert_cmpstr (listing, ==, "empty.wav foa.caf mics.wav stereo.WAV");
  io_test_dir_remove (dir);
}

/* Integer files written by libsndfile itself read back scaled to [-1, 1). */
static void
test_read_pcm16 (void)
{
  g_autofree char *dir = io_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "pcm16.wav", NULL);
  const short pcm[8] = { 0, 16384, -16384, 32767, -32768, 1, -1, 8192 };
  SF_INFO info = { .samplerate = 22050, .channels = 2, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16 };
  SNDFILE *sf = sf_open (path, SFM_WRITE, &info);
  g_assert_nonnull (sf);
  g_assert_cmpint (sf_write_short (sf, pcm, 8), ==, 8);
  sf_close (sf);

  g_autoptr (GError) error = NULL;
  g_autoptr (AlAudio) audio = al_audio_read (path, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (audio->fs, ==, 22050);
  g_assert_cmpint (audio->nchannels, ==, 2);
  g_assert_cmpint (audio->nframes, ==, 4);
  for (int i = 0; i < 8; i++)
    g_assert_cmpfloat (audio->data[i], ==, pcm[i] / 32768.0f);
  io_test_dir_remove (dir);
}

static void
test_flac (void)
{
  g_autofree char *dir = io_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "mics.flac", NULL);
  g_autoptr (AlAudio) audio = random_audio (48000, 5, 3000, 0.999, 4);
  audio->data[0] = 1.5f;  /* over full scale: must clip, not wrap */
  audio->data[1] = -1.5f;
  g_autoptr (GError) error = NULL;
  g_assert_true (al_audio_write (path, audio, &error));
  g_assert_no_error (error);
  g_assert_cmphex (file_format (path), ==, SF_FORMAT_FLAC | SF_FORMAT_PCM_24);
  g_autoptr (AlAudio) back = al_audio_read (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->nframes, ==, 3000);
  g_assert_cmpint (back->nchannels, ==, 5);
  /* Within one 24-bit step (2^-23); libsndfile 1.2 rounds with a 2^23
   * scale both ways, so half a step is what is measured. */
  const double step = 1.0 / 8388608.0;
  double max_err = 0;
  for (gint64 i = 2; i < 3000 * 5; i++)
    max_err = MAX (max_err, fabs ((double) back->data[i] - audio->data[i]));
  if (g_test_verbose ())
    g_test_message ("FLAC max error %.3g (%.3f steps)", max_err, max_err / step);
  g_assert_cmpfloat (max_err, <=, step);
  g_assert_cmpfloat (max_err, >, 0); /* it really was quantised */
  g_assert_cmpfloat_with_epsilon (back->data[0], 1.0, 2 * step);
  g_assert_cmpfloat_with_epsilon (back->data[1], -1.0, 2 * step);
  io_test_dir_remove (dir);
}

static void
test_streaming (void)
{
  g_autofree char *dir = io_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "stream.wav", NULL);
  const int nch = 7;
  const gint64 chunks[] = { 100, 1, 333, 566, 0, 4000 };
  gint64 total = 0;
  for (gsize i = 0; i < G_N_ELEMENTS (chunks); i++)
    total += chunks[i];
  g_autoptr (AlAudio) audio = random_audio (48000, nch, total, 1.0, 5);

  g_autoptr (GError) error = NULL;
  AlAudioWriter *w = al_audio_writer_open (path, 48000, nch, &error);
  g_assert_no_error (error);
  gint64 at = 0;
  for (gsize i = 0; i < G_N_ELEMENTS (chunks); i++)
    {
      g_assert_true (al_audio_writer_write (w, audio->data + at * nch, chunks[i], &error));
      g_assert_no_error (error);
      at += chunks[i];
    }
  /* Until it is finished only a hidden temporary file exists. */
  g_autofree char *listing = io_test_dir_list (dir);
  g_assert_true (g_str_has_prefix (listing, ".stream.wav."));
  g_assert_null (strchr (listing, ' '));
  g_assert_true (al_audio_writer_finish (w, TRUE, &error));
  g_assert_no_error (error);
  g_free (listing);
  listing = io_test_dir_list (dir);
  g_assert_cmpstr (listing, ==, "stream.wav");

  /* Under 4 GB the streamed file ends up a plain RIFF/WAVE file. */
  g_autofree char *bytes = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
  g_assert_cmpmem (bytes, 4, "RIFF", 4);
  g_assert_cmpmem (bytes + 8, 4, "WAVE", 4);

  g_autoptr (AlAudio) whole = al_audio_read (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (whole->nframes, ==, total);
  g_assert_cmpmem (whole->data, sizeof (float) * total * nch, audio->data, sizeof (float) * total * nch);

  AlAudioReader *r = al_audio_reader_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (al_audio_reader_fs (r), ==, 48000);
  g_assert_cmpint (al_audio_reader_channels (r), ==, nch);
  g_assert_cmpint (al_audio_reader_frames (r), ==, total);
  /* Room for a whole request past the end: asking for more than is left is allowed. */
  g_autofree float *chunked = g_new (float, (total + 77) * nch);
  gint64 got, done = 0;
  while ((got = al_audio_reader_read (r, chunked + done * nch, MIN (77, total - done + 5), &error)) > 0)
    done += got;
  g_assert_no_error (error);
  g_assert_cmpint (got, ==, 0);
  g_assert_cmpint (done, ==, total);
  al_audio_reader_close (r);
  g_assert_cmpmem (chunked, sizeof (float) * total * nch, whole->data, sizeof (float) * total * nch);
  io_test_dir_remove (dir);
}

static void
test_discard (void)
{
  g_autofree char *dir = io_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "cancelled.flac", NULL);
  g_autoptr (AlAudio) audio = random_audio (48000, 2, 500, 0.5, 6);
  g_autoptr (GError) error = NULL;
  AlAudioWriter *w = al_audio_writer_open (path, 48000, 2, &error);
  g_assert_no_error (error);
  g_assert_true (al_audio_writer_write (w, audio->data, 500, &error));
  g_assert_true (al_audio_writer_finish (w, FALSE, &error));
  g_assert_no_error (error);
  g_autofree char *listing = io_test_dir_list (dir);
  g_assert_cmpstr (listing, ==, "");

  /* A NaN sample fails the write, and the file is then not committed. */
  w = al_audio_writer_open (path, 48000, 2, &error);
  g_assert_no_error (error);
  audio->data[7] = NAN;
  g_assert_false (al_audio_writer_write (w, audio->data, 500, &error));
  assert_error_contains (error, AL_ERROR_INVALID_INPUT, "cancelled.flac", "NaN");
  g_clear_error (&error);
  g_assert_false (al_audio_writer_finish (w, TRUE, &error));
  assert_error_contains (error, AL_ERROR_IO, "cancelled.flac", "earlier write failed");
  g_free (listing);
  listing = io_test_dir_list (dir);
  g_assert_cmpstr (listing, ==, "");
  io_test_dir_remove (dir);
}

static void
test_bad (void)
{
  g_autofree char *dir = io_test_dir_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (AlAudio) audio = random_audio (48000, 2, 100, 0.5, 7);

  g_autofree char *text = g_build_filename (dir, "mics.wav", NULL);
  g_assert_true (g_file_set_contents (text, "this is not audio, just words in a file\n", -1, NULL));
  g_autoptr (AlAudio) a = al_audio_read (text, &error);
  g_assert_null (a);
  assert_error_contains (error, AL_ERROR_FORMAT, "mics.wav: not an audio file libsndfile can read", NULL);
  g_clear_error (&error);

  g_autofree char *missing = g_build_filename (dir, "absent.wav", NULL);
  AlAudioReader *r = al_audio_reader_open (missing, &error);
  g_assert_null (r);
  assert_error_contains (error, AL_ERROR_IO, missing, "No such file");
  g_clear_error (&error);

  g_autofree char *mp4 = g_build_filename (dir, "out.mp4", NULL);
  g_assert_false (al_audio_write (mp4, audio, &error));
  assert_error_contains (error, AL_ERROR_UNSUPPORTED, "out.mp4", "suffix \".mp4\"");
  g_clear_error (&error);

  g_autofree char *nowhere = g_build_filename (dir, "no-such-folder", "out.wav", NULL);
  g_assert_false (al_audio_write (nowhere, audio, &error));
  assert_error_contains (error, AL_ERROR_IO, nowhere, "cannot write");
  g_clear_error (&error);

  g_autofree char *odd = g_build_filename (dir, "odd.wav", NULL);
  audio->fs = 44100.5;
  g_assert_false (al_audio_write (odd, audio, &error));
  assert_error_contains (error, AL_ERROR_INVALID_INPUT, "odd.wav", "44100.5 Hz");
  g_clear_error (&error);

  g_autofree char *wide = g_build_filename (dir, "wide.flac", NULL);
  g_assert_null (al_audio_writer_open (wide, 48000, 9, &error));
  assert_error_contains (error, AL_ERROR_UNSUPPORTED, "wide.flac", "at most 8 channels");

  g_autofree char *listing = io_test_dir_list (dir);
  g_assert_cmpstr (listing, ==, "mics.wav");
  io_test_dir_remove (dir);
}

static void
test_describe (void)
{
  g_autofree char *dir = io_test_dir_new ();
  g_autofree char *path = g_build_filename (dir, "peaks.wav", NULL);
  g_autoptr (AlAudio) audio = al_audio_new (48000, 10, 24000);
  /* Channel c peaks at 2^-c (−6.02 c dB) at frame 1000 + c; channel 4 is silent. */
  for (int c = 0; c < 10; c++)
    if (c != 3)
      audio->data[(1000 + c) * 10 + c] = (c % 2 ? -1.0f : 1.0f) * ldexpf (1.0f, -c);
  g_autoptr (GError) error = NULL;
  g_assert_true (al_audio_write (path, audio, &error));
  g_autofree char *text = al_describe_audio (path, &error);
  g_assert_no_error (error);
  if (g_test_verbose ())
    g_test_message ("%s", text);
  const char *want[] = {
    "peaks.wav: WAVEX (Microsoft), 32 bit float\n",
    "10 channels, 48000 Hz, 24000 frames (0.500 s)\n",
    "Peak level (dBFS, first 8 channels): 1: 0.0, 2: -6.0, 3: -12.0, 4: silent, 5: -24.1, 6: -30.1, 7: -36.1, "
    "8: -42.1\n",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (want); i++)
    if (strstr (text, want[i]) == NULL)
      g_error ("description lacks \"%s\":\n%s", want[i], text);
  g_assert_null (strstr (text, " 9:"));
  io_test_dir_remove (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/io/audio/float-roundtrip", test_float_roundtrip);
  g_test_add_func ("/io/audio/read-pcm16", test_read_pcm16);
  g_test_add_func ("/io/audio/flac", test_flac);
  g_test_add_func ("/io/audio/streaming", test_streaming);
  g_test_add_func ("/io/audio/discard", test_discard);
  g_test_add_func ("/io/audio/bad", test_bad);
  g_test_add_func ("/io/audio/describe", test_describe);
  return g_test_run ();
}
