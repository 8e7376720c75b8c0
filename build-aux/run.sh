#!/usr/bin/env bash
# Installs what is missing, builds Ambilab and runs the main job on the
# bundled demo: the studio where a display and the GUI exist, otherwise the
# headless demo of ambilab-cli (results in ./demo-out).
set -euo pipefail
cd "$(dirname "$0")/.."
./build-aux/deps.sh
if [ ! -f build/build.ninja ]; then
  meson setup build --buildtype=release > build.setup.log 2>&1 || { cat build.setup.log; exit 1; }
fi
# Quiet when all is well, the compiler's words when not.
ninja -C build > build.log 2>&1 || { cat build.log; exit 1; }
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x build/app/ambilab ]; then
  exec build/app/ambilab "$@"
fi
exec build/app/ambilab-cli demo --overwrite -o "${1:-demo-out}"
