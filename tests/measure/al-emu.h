/* al-emu.h — turntable emulators for the driver tests: each speaks a real
 * protocol (ET250-3D on loopback UDP, LT360 and GRBL on a pseudo-terminal)
 * from a thread of the test, moves at a constant speed in an injectable
 * clock, counts what it was asked, and injects faults.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "al-turntable.h"

G_BEGIN_DECLS

typedef enum {
  AL_EMU_FAULT_NONE,
  AL_EMU_FAULT_NO_ANSWER,      /* requests go unanswered (and undone) */
  AL_EMU_FAULT_ERROR_REPLY,    /* commands (move, home, stop) get the protocol's error reply */
  AL_EMU_FAULT_STALL,          /* a move stops halfway */
  AL_EMU_FAULT_WRONG_POSITION, /* a move ends 5° past its target */
  AL_EMU_FAULT_BAD_CHECKSUM,   /* position replies are corrupted (checksum, garbled digits) */
} AlEmuFault;

#define AL_EMU_WRONG_POSITION_DEG 5.0

typedef struct AlEmu AlEmu;

/* ET250-3D on 127.0.0.1, an ephemeral port.  reply_port 0 answers to the
 * sender's port, else to that port (as the device answers to 6668). */
AlEmu *al_emu_et250_new (AlTurntableClock *clock, int reply_port);
/* LinearX LT360 on a pseudo-terminal. */
AlEmu *al_emu_lt360_new (AlTurntableClock *clock);

typedef struct {
  gboolean homing;        /* $22=1: starts in alarm until "$H" */
  double steps_per_deg;   /* $100 */
  double max_rate;        /* $110, degrees per minute */
  double soft_travel;     /* > 0: $20=1, targets beyond ±soft_travel raise ALARM:2 */
} AlEmuGrblConfig;
/* GRBL 1.1 on a pseudo-terminal (NULL: homing on, 100 steps/°, 1800°/min, no soft limits). */
AlEmu *al_emu_grbl_new (AlTurntableClock *clock, const AlEmuGrblConfig *config);
/* An alarm on the controller's own initiative (ALARM:1, a limit switch
 * hit mid-move): motion stops, the report goes out unasked. */
void al_emu_grbl_alarm (AlEmu *emu, int code);

void al_emu_free (AlEmu *emu);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlEmu, al_emu_free)

/* The URI a driver opens: "et250://127.0.0.1:PORT", "lt360:///dev/pts/N", … */
const char *al_emu_uri (AlEmu *emu);
/* The device's link: the pty slave path, or "127.0.0.1:PORT". */
const char *al_emu_device (AlEmu *emu);
int al_emu_port (AlEmu *emu);

/* count < 0: until set again. */
void al_emu_set_fault (AlEmu *emu, AlEmuFault fault, int count);
void al_emu_set_speed (AlEmu *emu, double deg_per_s);
/* The true position (device frame, unwrapped) and whether it moves. */
double al_emu_position (AlEmu *emu, gboolean *moving);

typedef enum {
  AL_EMU_COUNT_MOVES,     /* move commands accepted */
  AL_EMU_COUNT_HOMES,     /* reference runs or set-zero */
  AL_EMU_COUNT_STOPS,
  AL_EMU_COUNT_QUERIES,   /* position / status queries */
  AL_EMU_COUNT_REQUESTS,  /* everything received */
  AL_EMU_N_COUNTS,
} AlEmuCount;
int al_emu_count (AlEmu *emu, AlEmuCount what);
/* Signed travel of the last accepted move (+: counter-clockwise). */
double al_emu_last_travel (AlEmu *emu);
/* The last request as received (bytes for UDP, the line for serial); g_free. */
guint8 *al_emu_last_request (AlEmu *emu, gsize *len);
/* The device goes away: its thread stops and its link closes. */
void al_emu_hang_up (AlEmu *emu);

/* Asserts an AL_TURNTABLE_ERROR of this category whose message contains
 * `needle` (the device's name), and logs the message. */
void al_emu_check_error (const GError *error, AlTurntableError code, const char *needle);

G_END_DECLS
