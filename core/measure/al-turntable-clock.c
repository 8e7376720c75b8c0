/* al-turntable-clock.c — the clocks of the settle wait: the system's, and a
 * virtual one that jumps ahead on every sleep so tests of minute-long moves
 * and ring-downs run in milliseconds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-turntable.h"

static gint64
system_now (AlTurntableClock *clock)
{
  return g_get_monotonic_time ();
}

static void
system_sleep (AlTurntableClock *clock, gint64 us)
{
  if (us > 0)
    g_usleep ((gulong) us);
}

AlTurntableClock *
al_turntable_clock_system (void)
{
  static AlTurntableClock system_clock = { system_now, system_sleep, NULL };
  return &system_clock;
}

typedef struct {
  AlTurntableClock parent;
  GMutex lock;   /* emulator threads read the time while the driver sleeps */
  gint64 now;
} VirtualClock;

static gint64
virtual_now (AlTurntableClock *clock)
{
  VirtualClock *vc = (VirtualClock *) clock;
  g_mutex_lock (&vc->lock);
  gint64 now = vc->now;
  g_mutex_unlock (&vc->lock);
  return now;
}

static void
virtual_sleep (AlTurntableClock *clock, gint64 us)
{
  al_turntable_clock_advance (clock, us);
}

static void
virtual_free (AlTurntableClock *clock)
{
  VirtualClock *vc = (VirtualClock *) clock;
  g_mutex_clear (&vc->lock);
  g_free (vc);
}

AlTurntableClock *
al_turntable_clock_new_virtual (gint64 start_us)
{
  VirtualClock *vc = g_new0 (VirtualClock, 1);
  vc->parent.now_us = virtual_now;
  vc->parent.sleep_us = virtual_sleep;
  vc->parent.free = virtual_free;
  g_mutex_init (&vc->lock);
  vc->now = start_us;
  return &vc->parent;
}

void
al_turntable_clock_advance (AlTurntableClock *clock, gint64 us)
{
  g_return_if_fail (clock != NULL && clock->now_us == virtual_now);
  VirtualClock *vc = (VirtualClock *) clock;
  g_mutex_lock (&vc->lock);
  vc->now += MAX (us, 0);
  g_mutex_unlock (&vc->lock);
}

gint64
al_turntable_clock_now (AlTurntableClock *clock)
{
  g_return_val_if_fail (clock != NULL, 0);
  return clock->now_us (clock);
}

void
al_turntable_clock_sleep (AlTurntableClock *clock, gint64 us)
{
  g_return_if_fail (clock != NULL);
  clock->sleep_us (clock, us);
}

void
al_turntable_clock_free (AlTurntableClock *clock)
{
  if (clock != NULL && clock->free != NULL)
    clock->free (clock);
}
