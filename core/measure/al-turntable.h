/* al-turntable.h — turntables behind one driver interface: open by URI,
 * home, move, read the state, stop; one backend-independent settle wait with
 * an injectable clock; cable-wrap planning and a serpentine travel order.
 *
 * Angles.  A turntable angle α is in degrees, counter-clockwise seen from
 * above: the array turns by +α and the fixed source then sits at azimuth −α
 * in the array frame (DESIGN.md §3).  Angles are *unwrapped*: 370° is one
 * turn more than 10°, and the cable wraps with them.  The core keeps every
 * commanded angle inside the limits [min_deg, max_deg] (−180 … +360° unless
 * the URI says otherwise) and picks the direction of each move so the cable
 * never leaves them: no endless rotation one way.  Home the table with the
 * cable at its neutral position; devices that report angles modulo 360 are
 * taken to start within (−180, 180].
 *
 * URIs.
 *   manual:                              the user turns and confirms (al_turntable_set_confirm_func)
 *   sim:?speed=30&fail=stall&fail_count=1  simulated table moving in the table's clock
 *   et250://HOST[:PORT]?local_port=6668  Outline ET250-3D, UDP (also et250udp://)
 *   lt360:///dev/ttyUSB0                 LinearX LT360, RS-232 ASCII
 *   grbl:///dev/ttyACM0?axis=X           G-code stepper controller (GRBL 1.1)
 * Every backend takes min=, max= (cable-wrap limits, degrees), reverse=1
 * (the device counts clockwise) and poll_ms= (state polling interval of the
 * settle wait); the device backends take timeout_ms= (reply timeout).  The
 * backend sections of al-turntable-*.c list the rest.  Unknown parameters,
 * schemes and malformed values fail with AL_ERROR_INVALID_INPUT quoting the
 * URI.
 *
 * Errors of a device are in AL_TURNTABLE_ERROR and start with the device's
 * name ("GRBL on /dev/ttyACM0: …"); a declined manual prompt or a cancelled
 * wait gives G_IO_ERROR_CANCELLED.
 *
 * Threads.  An AlTurntable is used from one thread at a time; stop a wait
 * from another thread with its GCancellable.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "base/al-base.h"

G_BEGIN_DECLS

#define AL_TURNTABLE_ERROR (al_turntable_error_quark ())

/* The categories of measurement.md §6.3. */
typedef enum {
  AL_TURNTABLE_ERROR_COMMUNICATION,  /* the link cannot be opened, read or written; the device went away */
  AL_TURNTABLE_ERROR_TIMEOUT,        /* no reply in time, or the table did not settle in time */
  AL_TURNTABLE_ERROR_PROTOCOL,       /* a reply that does not parse, a bad checksum, an error reply */
  AL_TURNTABLE_ERROR_NOT_HOMED,      /* the device needs a reference run first (or the run failed) */
  AL_TURNTABLE_ERROR_LIMIT,          /* soft limit, limit switch, cable-wrap limit */
  AL_TURNTABLE_ERROR_POSITION,       /* stopped off target: stall, following error, wrong position */
  AL_TURNTABLE_ERROR_EMERGENCY_STOP, /* e-stop or safety door */
  AL_TURNTABLE_ERROR_BUSY,           /* still moving: a new move is refused */
  AL_TURNTABLE_ERROR_UNSUPPORTED,    /* the device cannot do that */
} AlTurntableError;

GQuark al_turntable_error_quark (void);
/* "communication", "timeout", "protocol", "not homed", "limit", "position",
 * "emergency stop", "busy", "unsupported". */
const char *al_turntable_error_name (AlTurntableError code);

/* ======================================================================
 * Clocks: the settle wait and the simulated table run in one, so tests
 * replace real time by a virtual clock and finish in milliseconds.
 * ====================================================================== */

typedef struct AlTurntableClock AlTurntableClock;
struct AlTurntableClock {
  gint64 (*now_us) (AlTurntableClock *clock);            /* monotonic, µs */
  void (*sleep_us) (AlTurntableClock *clock, gint64 us);
  void (*free) (AlTurntableClock *clock);                /* NULL for static clocks */
};

/* g_get_monotonic_time and g_usleep; static, never freed. */
AlTurntableClock *al_turntable_clock_system (void);
/* A clock that only moves when someone sleeps on it (or advances it): a
 * sleep returns at once, `us` later in clock time.  Thread-safe. */
AlTurntableClock *al_turntable_clock_new_virtual (gint64 start_us);
void al_turntable_clock_advance (AlTurntableClock *clock, gint64 us);
gint64 al_turntable_clock_now (AlTurntableClock *clock);
void al_turntable_clock_sleep (AlTurntableClock *clock, gint64 us);
void al_turntable_clock_free (AlTurntableClock *clock);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlTurntableClock, al_turntable_clock_free)

/* ======================================================================
 * Driver interface
 * ====================================================================== */

typedef struct AlTurntable AlTurntable;

typedef struct {
  double resolution_deg;   /* smallest step the device resolves and reports */
  double max_speed_deg_s;  /* 0: unknown */
  double min_deg, max_deg; /* limits of the unwrapped angle (cable wrap, soft limits) */
  gboolean absolute;       /* the device takes absolute targets (else the driver moves relatively) */
  gboolean homing;         /* has a reference run; else home means "here is 0°" */
  gboolean continuous;     /* the device itself could turn endlessly (the core still keeps the limits) */
  gboolean nonblocking;    /* move_to returns before the table arrives */
  guint poll_ms;           /* polling interval of the settle wait (LT360 1 s, others 100–200 ms) */
} AlTurntableCaps;

typedef struct {
  double position_deg;     /* unwrapped, read back from the device (the confirmed reading for manual:) */
  gboolean moving;
  gboolean homed;
  gboolean fault;          /* the device reports a fault: alarm, e-stop, stall */
  AlTurntableError fault_code;
  char fault_message[128]; /* the device's words, when fault */
} AlTurntableState;

AlTurntable *al_turntable_open (const char *uri, GError **error);
/* Closes the link (a moving table is not stopped) and frees. */
void al_turntable_close (AlTurntable *tt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlTurntable, al_turntable_close)

const char *al_turntable_get_uri (const AlTurntable *tt);
/* For messages and the UI: "ET250-3D at 10.0.0.100:6668", "GRBL on /dev/ttyACM0". */
const char *al_turntable_get_name (const AlTurntable *tt);
const AlTurntableCaps *al_turntable_get_caps (const AlTurntable *tt);
/* The clock of the settle wait and of sim:'s motion (default: the system
 * clock).  Not owned; keep it alive while the turntable uses it, and set it
 * before the first move. */
void al_turntable_set_clock (AlTurntable *tt, AlTurntableClock *clock);
AlTurntableClock *al_turntable_get_clock (const AlTurntable *tt);

/* manual: asks the user to turn the table.  The confirmation callback (a CLI
 * prompt, a GUI dialog) blocks until the user confirms or declines; it runs
 * in the thread that moves the table. */
typedef struct {
  const char *device;   /* the turntable's name */
  gboolean home;        /* "set the table to its 0° mark" */
  double target_deg;    /* the angle to set, [0, 360), as printed on the scale */
  double from_deg;      /* unwrapped: the turn the cable allows goes from here … */
  double to_deg;        /* … to here (to > from: counter-clockwise) */
  const char *message;  /* a ready sentence: "Turn the turntable clockwise by 30.0° to 330.0° and confirm." */
} AlTurntablePrompt;
/* TRUE when the user confirms; *reading_deg holds the target and may be set
 * to the angle the user read off the scale (any turn: it is taken nearest
 * to_deg).  FALSE when the user declines: the move fails with
 * G_IO_ERROR_CANCELLED. */
typedef gboolean (*AlTurntableConfirmFunc) (const AlTurntablePrompt *prompt, double *reading_deg,
                                            gpointer user_data);
void al_turntable_set_confirm_func (AlTurntable *tt, AlTurntableConfirmFunc func, gpointer user_data,
                                    GDestroyNotify destroy);

/* Reference run (waits until it is done), or "here is 0°" where the device
 * has none.  Afterwards the unwrapped angle is 0. */
gboolean al_turntable_home (AlTurntable *tt, GCancellable *cancellable, GError **error);
/* Starts a move to angle_deg (any value; taken modulo 360): the unwrapped
 * target is the one nearest the current position inside the limits
 * (al_turntable_plan_move).  Fails with BUSY while the table moves and
 * NOT_HOMED before a needed reference run.  Returns before arrival where the
 * device allows; follow with al_turntable_wait_settled. */
gboolean al_turntable_move_to (AlTurntable *tt, double angle_deg, GError **error);
/* The same with an explicit unwrapped target (LIMIT outside the limits). */
gboolean al_turntable_move_to_unwrapped (AlTurntable *tt, double unwrapped_deg, GError **error);
/* The unwrapped target of the last move (0 after homing, NAN before). */
double al_turntable_get_target (const AlTurntable *tt);
gboolean al_turntable_get_state (AlTurntable *tt, AlTurntableState *state, GError **error);
gboolean al_turntable_stop (AlTurntable *tt, GError **error);

/* Polls the state every caps.poll_ms of `clock` (NULL: the turntable's)
 * until the table stands within tol_deg of the unwrapped target for
 * settle_ms (ring-down), then reads the position once more and stores it in
 * *position_deg (may be NULL): the read-back value, not the commanded one.
 * Fails with TIMEOUT (after stopping the table) when that does not happen
 * within timeout_ms, with the device's fault, and with POSITION when the
 * table stops off target (stall, wrong position): then it stops, re-homes
 * (where the device has a reference run), moves to the target again and
 * waits once more before giving up.  A cancelled wait stops the table and
 * fails with G_IO_ERROR_CANCELLED. */
gboolean al_turntable_wait_settled (AlTurntable *tt, double target_deg, double tol_deg, guint settle_ms,
                                    guint timeout_ms, AlTurntableClock *clock, GCancellable *cancellable,
                                    double *position_deg, GError **error);
/* al_turntable_move_to followed by al_turntable_wait_settled on its target. */
gboolean al_turntable_goto (AlTurntable *tt, double angle_deg, double tol_deg, guint settle_ms,
                            guint timeout_ms, GCancellable *cancellable, double *position_deg,
                            GError **error);

/* ======================================================================
 * Geometry, cable wrap and travel order (pure functions)
 * ====================================================================== */

/* The turntable angle that puts a source at this array-frame azimuth, and
 * back: both −x modulo 360, in [0, 360). */
double al_turntable_angle_for_azimuth (double azimuth_deg);
double al_turntable_azimuth_for_angle (double angle_deg);

/* The unwrapped angle ≡ angle_deg (mod 360) inside [min_deg, max_deg]
 * nearest from_deg (a tie goes toward the middle of the limits, unwinding
 * the cable).  LIMIT when the limits hold no such angle. */
gboolean al_turntable_plan_move (double from_deg, double angle_deg, double min_deg, double max_deg,
                                 double *unwrapped_deg, GError **error);

typedef struct {
  int index;        /* into the caller's points */
  int ring;         /* elevation ring, counted in travel order (a new ring: re-mount or second axis) */
  double angle_deg; /* unwrapped turntable angle to move to */
} AlTurntableStop;

/* A serpentine travel order for n directions (array-frame azimuth and
 * elevation, degrees).  Points of equal elevation form a ring; rings go by
 * ascending elevation.  Each ring is swept once, skipping its widest gap,
 * in the direction whose first point is nearer the table, placed inside
 * [min_deg, max_deg] as near the table as the limits allow: consecutive
 * rings reverse, and the cable never winds up.  Starts from start_deg.
 * Returns n stops (g_free); LIMIT when a ring does not fit the limits. */
AlTurntableStop *al_turntable_travel_order (const double *azimuth_deg, const double *elevation_deg, int n,
                                            double min_deg, double max_deg, double start_deg,
                                            GError **error);
/* Total turntable travel along the stops from start_deg, degrees. */
double al_turntable_travel_length (const AlTurntableStop *stops, int n, double start_deg);

G_END_DECLS
