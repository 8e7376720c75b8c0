/* al-serial.h — the tty plumbing of the serial turntables (private to the
 * measure module): raw 8N1 at a given speed, writes and line reads with
 * real-time timeouts, errors in AL_TURNTABLE_ERROR naming the device.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "al-turntable.h"

G_BEGIN_DECLS

typedef struct AlSerial AlSerial;

/* TRUE for the speeds a tty can be set to (9600 … 230400). */
gboolean al_serial_baud_supported (int baud);
/* Opens `path` exclusively, raw 8N1 at `baud`; `who` starts every message. */
AlSerial *al_serial_open (const char *path, int baud, const char *who, GError **error);
void al_serial_close (AlSerial *serial);
gboolean al_serial_write (AlSerial *serial, const char *data, gsize len, GError **error);
/* One line without its terminator (CR, LF or NUL end a line; empty lines
 * are skipped).  NULL with TIMEOUT after timeout_ms without a whole line
 * (0: only what has arrived already), COMMUNICATION when the device went
 * away. */
char *al_serial_read_line (AlSerial *serial, guint timeout_ms, GError **error);
/* Drops unread input (stale replies of an earlier, timed-out request). */
void al_serial_discard_input (AlSerial *serial);

G_END_DECLS
