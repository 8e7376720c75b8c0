/* test-turntable-manual.c — manual: with a scripted confirmation callback
 * standing in for the CLI prompt or GUI dialog: the prompts say which way
 * to turn (cable wrap), the confirmed reading is the read-back position, a
 * wrong reading is asked again once and then is a position error, a
 * declined prompt cancels, and without a callback nothing can move.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-emu.h"
#include "al-turntable.h"

#include <math.h>
#include <string.h>

/* What the "user" answers, in order: a reading, or NAN to decline. */
typedef struct {
  double answers[8];
  int n_answers;
  int asked;
  AlTurntablePrompt prompts[8];
  char *messages[8];
} Script;

static gboolean
scripted_confirm (const AlTurntablePrompt *prompt, double *reading, gpointer user_data)
{
  Script *s = user_data;
  g_assert_cmpint (s->asked, <, s->n_answers);
  g_assert_cmpstr (prompt->device, ==, "manual turntable");
  g_test_message ("prompt: %s", prompt->message);
  s->prompts[s->asked] = *prompt;
  s->messages[s->asked] = g_strdup (prompt->message);
  s->prompts[s->asked].message = s->messages[s->asked];
  /* The reading starts out as the target. */
  g_assert_cmpfloat (*reading, ==, prompt->target_deg);
  double a = s->answers[s->asked++];
  if (isnan (a))
    return FALSE;
  *reading = a;
  return TRUE;
}

static void
script_clear (Script *s)
{
  for (int i = 0; i < s->asked; i++)
    g_free (s->messages[i]);
  memset (s, 0, sizeof *s);
}

static AlTurntable *
open_manual (Script *script, AlTurntableClock *clock)
{
  g_autoptr (GError) error = NULL;
  AlTurntable *tt = al_turntable_open ("manual:", &error);
  g_assert_no_error (error);
  al_turntable_set_clock (tt, clock);
  al_turntable_set_confirm_func (tt, scripted_confirm, script, NULL);
  return tt;
}

static void
test_manual_session (void)
{
  g_autoptr (AlTurntableClock) clock = al_turntable_clock_new_virtual (0);
  Script s = { { 0.0, 90.0, 350.0, 301.0, 300.0 }, 5 };
  g_autoptr (AlTurntable) tt = open_manual (&s, clock);
  g_autoptr (GError) error = NULL;

  g_assert_true (al_turntable_home (tt, NULL, &error));
  g_assert_true (s.prompts[0].home);
  g_assert_nonnull (strstr (s.prompts[0].message, "0° mark"));

  double pos;
  g_assert_true (al_turntable_goto (tt, 90.0, 1.0, 500, 60000, NULL, &pos, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (pos, ==, 90.0);
  g_assert_false (s.prompts[1].home);
  g_assert_cmpfloat (s.prompts[1].target_deg, ==, 90.0);
  g_assert_cmpfloat (s.prompts[1].from_deg, ==, 0.0);
  g_assert_cmpfloat (s.prompts[1].to_deg, ==, 90.0);
  g_assert_cmpstr (s.prompts[1].message, ==, "Turn the turntable counter-clockwise by 90.0° to 90.0° and confirm.");

  /* 350° is 100° clockwise (to −10°), not 260° on: the prompt says so. */
  g_assert_true (al_turntable_goto (tt, 350.0, 1.0, 0, 60000, NULL, &pos, &error));
  g_assert_cmpfloat (pos, ==, -10.0);
  g_assert_cmpfloat (s.prompts[2].to_deg, ==, -10.0);
  g_assert_cmpstr (s.prompts[2].message, ==, "Turn the turntable clockwise by 100.0° to 350.0° and confirm.");

  /* The user reads 301° for 300°: within tolerance, and the reading is what comes back. */
  g_assert_true (al_turntable_goto (tt, 300.0, 2.0, 0, 60000, NULL, &pos, &error));
  g_assert_cmpfloat (pos, ==, -59.0);
  g_assert_cmpint (s.asked, ==, 4);
  script_clear (&s);
}

/* A wrong reading: asked once more; right then, fine; wrong again, a position error. */
static void
test_manual_wrong_reading (void)
{
  g_autoptr (AlTurntableClock) clock = al_turntable_clock_new_virtual (0);
  Script s = { { 100.0, 180.0 }, 2 };
  g_autoptr (AlTurntable) tt = open_manual (&s, clock);
  g_autoptr (GError) error = NULL;
  double pos;
  g_assert_true (al_turntable_goto (tt, 180.0, 0.5, 0, 60000, NULL, &pos, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (pos, ==, 180.0);
  g_assert_cmpint (s.asked, ==, 2);
  /* The second prompt starts from where the user said the table was. */
  g_assert_cmpfloat (s.prompts[1].from_deg, ==, 100.0);
  g_assert_nonnull (strstr (s.prompts[1].message, "counter-clockwise by 80.0°"));
  script_clear (&s);

  Script w = { { 45.0, 50.0 }, 2 };
  al_turntable_set_confirm_func (tt, scripted_confirm, &w, NULL);
  g_assert_false (al_turntable_goto (tt, 90.0, 0.5, 0, 60000, NULL, &pos, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_POSITION, "manual turntable");
  g_assert_nonnull (strstr (error->message, "first try"));
  g_assert_cmpint (w.asked, ==, 2);
  script_clear (&w);
}

static void
destroy_count (gpointer data)
{
  (*(int *) data)++;
}

static gboolean
never_called (const AlTurntablePrompt *prompt, double *reading, gpointer user_data)
{
  g_assert_not_reached ();
  return FALSE;
}

static void
test_manual_declined (void)
{
  g_autoptr (AlTurntableClock) clock = al_turntable_clock_new_virtual (0);
  Script s = { { NAN }, 1 };
  g_autoptr (AlTurntable) tt = open_manual (&s, clock);
  g_autoptr (GError) error = NULL;
  g_assert_false (al_turntable_goto (tt, 45.0, 1.0, 0, 60000, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_nonnull (strstr (error->message, "manual turntable"));
  g_clear_error (&error);
  script_clear (&s);
  /* Nothing moved. */
  AlTurntableState st;
  g_assert_true (al_turntable_get_state (tt, &st, &error));
  g_assert_cmpfloat (st.position_deg, ==, 0.0);

  /* Without anyone to ask, nothing moves either (but the old callback is released). */
  int destroyed = 0;
  al_turntable_set_confirm_func (tt, never_called, &destroyed, destroy_count);
  al_turntable_set_confirm_func (tt, NULL, NULL, NULL);
  g_assert_cmpint (destroyed, ==, 1);
  g_assert_false (al_turntable_move_to (tt, 45.0, &error));
  al_emu_check_error (error, AL_TURNTABLE_ERROR_COMMUNICATION, "manual turntable");
  g_clear_error (&error);
  /* Already there: nobody needs asking. */
  g_assert_true (al_turntable_goto (tt, 360.0, 1.0, 0, 1000, NULL, NULL, &error));
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/measure/turntable/manual/session", test_manual_session);
  g_test_add_func ("/measure/turntable/manual/wrong-reading", test_manual_wrong_reading);
  g_test_add_func ("/measure/turntable/manual/declined", test_manual_declined);
  return g_test_run ();
}
