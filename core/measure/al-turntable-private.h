/* al-turntable-private.h — the backend vtable behind AlTurntable and the
 * helpers its backends share (URI parameters, errors, angle unwrapping).
 *
 * Backends work in *device* angles: the table angle times tt->sign (−1 when
 * the device counts clockwise).  The core converts, plans cable-safe targets
 * and checks limits, busy and homed before a backend's move is called.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "al-turntable.h"

G_BEGIN_DECLS

/* A parsed URI.  A backend reads its parameters with the al_turntable_uri_*
 * getters, which remove them; whatever is left afterwards is unknown. */
typedef struct {
  const char *text;     /* as given, for messages */
  char *scheme;
  char *host;           /* NULL when none */
  int port;             /* -1 when none */
  char *path;           /* "" when none */
  GHashTable *params;   /* key -> value */
} AlTurntableUri;

gboolean al_turntable_uri_double (AlTurntableUri *uri, const char *key, double lo, double hi, double *value,
                                  GError **error);
gboolean al_turntable_uri_int (AlTurntableUri *uri, const char *key, int lo, int hi, int *value,
                               GError **error);
gboolean al_turntable_uri_bool (AlTurntableUri *uri, const char *key, gboolean *value, GError **error);
/* The value (owned by the URI) or NULL when absent. */
const char *al_turntable_uri_string (AlTurntableUri *uri, const char *key);

typedef struct {
  const char *scheme;
  /* The parameters it reads (NULL-terminated): the core refuses others
   * before anything is opened. */
  const char *const *keys;
  /* Reads the backend's parameters, opens the link, sets tt->name, tt->caps
   * (min/max are set already; may narrow them; poll_ms= wins afterwards)
   * and tt->priv.  Cleans up after itself when it fails. */
  gboolean (*open) (AlTurntable *tt, AlTurntableUri *uri, GError **error);
  /* Blocks until the reference run is done, or sets "here is 0". */
  gboolean (*home) (AlTurntable *tt, GCancellable *cancellable, GError **error);
  /* Starts a move from the device angle `from` (just read back) to `to`
   * (both unwrapped, within the limits, the table standing still). */
  gboolean (*move) (AlTurntable *tt, double from, double to, GError **error);
  /* Position in device angles, unwrapped. */
  gboolean (*get_state) (AlTurntable *tt, AlTurntableState *state, GError **error);
  gboolean (*stop) (AlTurntable *tt, GError **error);
  void (*close) (AlTurntable *tt);
} AlTurntableBackend;

struct AlTurntable {
  const AlTurntableBackend *backend;
  char *uri;
  char *name;
  AlTurntableCaps caps;
  AlTurntableClock *clock;
  double sign;          /* device angle = sign × table angle */
  double target;        /* table frame, unwrapped; NAN before the first move or home */
  AlTurntableConfirmFunc confirm;
  gpointer confirm_data;
  GDestroyNotify confirm_destroy;
  gpointer priv;
};

extern const AlTurntableBackend al_turntable_sim_backend;
extern const AlTurntableBackend al_turntable_manual_backend;
extern const AlTurntableBackend al_turntable_et250_backend;
extern const AlTurntableBackend al_turntable_lt360_backend;
extern const AlTurntableBackend al_turntable_grbl_backend;

/* An AL_TURNTABLE_ERROR whose message starts with the device's name. */
void al_turntable_set_error (const AlTurntable *tt, GError **error, AlTurntableError code,
                             const char *format, ...) G_GNUC_PRINTF (4, 5);

/* Devices that report their angle modulo 360 (ET250, LT360): the unwrapped
 * value is the candidate nearest the last one; after a move started, the
 * first candidate ahead of the last one in the move's direction (a table
 * does not turn back), so a slow poll cannot lose or invent a turn. */
typedef struct {
  gboolean valid;
  double last;
  gboolean in_move;
  double dir;           /* +1 / -1: the direction of the move */
  double to;            /* its target */
} AlTurntableUnwrap;

void al_turntable_unwrap_reset (AlTurntableUnwrap *u, double value);
void al_turntable_unwrap_expect_move (AlTurntableUnwrap *u, double from, double to);
double al_turntable_unwrap (AlTurntableUnwrap *u, double reading);

/* x modulo 360 in [0, 360). */
double al_turntable_wrap360 (double x);

G_END_DECLS
