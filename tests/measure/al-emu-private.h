/* al-emu-private.h — the parts the emulators share: motion at a constant
 * speed in a clock, fault bookkeeping, counters, and the transport thread
 * (a pseudo-terminal for serial devices).  Every *_locked function expects
 * emu->lock held; protocol handlers run with it held.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "al-emu.h"

typedef void (*AlEmuBytesFunc) (AlEmu *emu, const guint8 *data, gsize len);

struct AlEmu {
  GMutex lock;
  AlTurntableClock *clock;
  double speed;              /* degrees per second */
  double from, end, target;  /* motion: from -> end (end != target under a fault) */
  gint64 t0;
  AlEmuFault fault;
  int fault_left;
  int counts[AL_EMU_N_COUNTS];
  double last_travel;
  GByteArray *last_request;

  int fd;                    /* pty master or UDP socket */
  int slave_fd;              /* held open so the master sees no hang-up between driver sessions */
  char *device;
  char *uri;
  int port;
  GThread *thread;
  gint quit;
  AlEmuBytesFunc on_bytes;   /* serial: input bytes, in the thread, lock held */
  GThreadFunc thread_func;   /* UDP: its own loop */

  gpointer proto;
  GDestroyNotify proto_free;
};

AlEmu *al_emu_new (AlTurntableClock *clock);
/* Opens a pty (raw), sets device/uri ("SCHEME://" + slave path) and starts the thread. */
void al_emu_start_serial (AlEmu *emu, const char *scheme, AlEmuBytesFunc on_bytes);
void al_emu_start_thread (AlEmu *emu, GThreadFunc func);
gboolean al_emu_quitting (AlEmu *emu);

gboolean al_emu_take_fault_locked (AlEmu *emu, AlEmuFault kind);
double al_emu_position_locked (AlEmu *emu, gboolean *moving);
/* Starts a move to `target`; STALL and WRONG_POSITION faults apply here. */
void al_emu_move_locked (AlEmu *emu, double target);
void al_emu_stop_locked (AlEmu *emu);
/* Stands at `pos` (set zero, homing). */
void al_emu_place_locked (AlEmu *emu, double pos);
void al_emu_record_locked (AlEmu *emu, const void *data, gsize len);
/* Serial output to the driver. */
void al_emu_write (AlEmu *emu, const char *text);
