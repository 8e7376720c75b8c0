/* main.c — ambilab: sets up gettext and runs the studio.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "al-application.h"

int
main (int argc, char **argv)
{
  al_application_init_i18n ();
  g_autoptr (AlApplication) app = al_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
