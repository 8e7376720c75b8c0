/* test-audio-uri.c — audio URIs and channel maps without any device:
 * "1-5,7" lists and their errors, the round trip to text, and the URI
 * mistakes every backend rejects before touching hardware (unknown
 * backend or key, KEY=VALUE syntax, repeated keys, bad escapes, bad
 * numbers and channel lists, a reference that is also a mic).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-audio-backend.h"

#include <string.h>

static void
test_channels (void)
{
  g_autoptr (GError) error = NULL;
  int n;
  g_autofree int *ch = al_audio_channels_parse ("1-5,7,9-10", &n, &error);
  g_assert_no_error (error);
  const int want[] = { 0, 1, 2, 3, 4, 6, 8, 9 };
  g_assert_cmpint (n, ==, G_N_ELEMENTS (want));
  g_assert_cmpmem (ch, sizeof (int) * n, want, sizeof want);
  g_autofree char *text = al_audio_channels_to_string (ch, n);
  g_assert_cmpstr (text, ==, "1-5,7,9-10");

  g_autofree int *one = al_audio_channels_parse ("6", &n, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 1);
  g_assert_cmpint (one[0], ==, 5);
  g_autofree int *unordered = al_audio_channels_parse ("3,1,2", &n, &error);
  g_assert_no_error (error);
  g_autofree char *kept = al_audio_channels_to_string (unordered, n);
  g_assert_cmpstr (kept, ==, "3,1-2"); /* map order is recording order */

  const struct { const char *spec, *part; } bad[] = {
    { "", "empty channel list" },
    { "0", "'0' in channel list '0' is not a channel number or range (1 … 1024" },
    { "1-", "'1-' in channel list" },
    { "a", "'a' in channel list 'a'" },
    { "1,,2", "'' in channel list '1,,2'" },
    { "5-3", "range '5-3' in channel list '5-3' runs backwards" },
    { "1-4,3", "channel 3 appears twice in channel list '1-4,3'" },
    { "1025", "'1025' in channel list" },
    { "-2", "'-2' in channel list" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) e = NULL;
      int m = -1;
      g_autofree int *none = al_audio_channels_parse (bad[i].spec, &m, &e);
      g_assert_null (none);
      g_assert_cmpint (m, ==, 0);
      g_assert_error (e, AL_AUDIO_ERROR, AL_AUDIO_ERROR_URI);
      if (strstr (e->message, bad[i].part) == NULL)
        g_error ("'%s': '%s' not in '%s'", bad[i].spec, bad[i].part, e->message);
    }
}

static void
test_uri_errors (void)
{
  const struct { const char *uri, *part; } bad[] = {
    { "foo:bar", "audio URI 'foo:bar': unknown backend foo (use portaudio:" },
    { "no-scheme", "audio URI 'no-scheme': unknown backend (use portaudio:" },
    { "portaudio:x?in", "audio URI 'portaudio:x?in': 'in' is not KEY=VALUE" },
    { "portaudio:x?=3", "'=3' is not KEY=VALUE" },
    { "portaudio:x?in=1&in=2", "audio URI 'portaudio:x?in=1&in=2': in is given twice" },
    { "portaudio:x?inputs=1", "unknown key 'inputs' (portaudio: takes in, ref, out, rate, frames)" },
    { "portaudio:x?in=1-a", "audio URI 'portaudio:x?in=1-a': in=1-a: '1-a' in channel list '1-a' is not" },
    { "portaudio:x?in=1&ref=2,3", "ref=2,3 names 2 inputs, the reference is one" },
    { "portaudio:x?in=1-4&ref=3", "input 3 is both a mic (in=1-4) and the reference" },
    { "portaudio:x?rate=fast", "rate=fast is not a number" },
    { "portaudio:x?rate=10", "rate=10 is outside 1000 … 768000" },
    { "portaudio:x?frames=1.5", "frames=1.5 is not a whole number in 16 … 65536" },
    { "portaudio:x%zz", "'x%zz' has a broken %-escape" },
    { "sim:noise=-80", "audio URI 'sim:noise=-80': truth= (the ground-truth SOFA file) is missing" },
    { "sim:truth=a.sofa&level=3", "unknown key 'level' (sim: takes truth, noise, latency, thd" },
    { "sim:truth=a.sofa&thd=50", "thd=50 is outside 0 … 20" },
    { "sim:truth=a.sofa&seed=1.5", "seed=1.5 is not a whole number" },
    { "sim:truth=a.sofa&interp=x", "interp=x is not a whole number" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (AlAudioBackend) b = al_audio_backend_open (bad[i].uri, &error);
      g_assert_null (b);
      g_assert_error (error, AL_AUDIO_ERROR, AL_AUDIO_ERROR_URI);
      if (strstr (error->message, bad[i].part) == NULL)
        g_error ("'%s': '%s' not in '%s'", bad[i].uri, bad[i].part, error->message);
    }

  /* A missing ground-truth file is named by the SOFA reader. */
  g_autoptr (GError) error = NULL;
  g_autoptr (AlAudioBackend) b = al_audio_backend_open ("sim:truth=/nonexistent/dir/atf.sofa", &error);
  g_assert_null (b);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "atf.sofa"));
}

static void
test_status (void)
{
  g_autofree char *none = al_audio_status_to_string (0);
  g_assert_cmpstr (none, ==, "none");
  g_autofree char *two = al_audio_status_to_string (AL_AUDIO_INPUT_OVERFLOW | AL_AUDIO_OUTPUT_UNDERFLOW);
  g_assert_cmpstr (two, ==, "input overflow, output underflow");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/measure/audio/uri/channels", test_channels);
  g_test_add_func ("/measure/audio/uri/errors", test_uri_errors);
  g_test_add_func ("/measure/audio/uri/status", test_status);
  return g_test_run ();
}
