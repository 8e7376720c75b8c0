#!/usr/bin/env bash
# Installs what is missing, builds Ambilab and runs the main job on the
# bundled demo: the studio where a display and the GUI exist, otherwise the
# headless demo of ambilab-cli (results in ./demo-out).
set -euo pipefail
cd "$(dirname "$0")/.."
./build-aux/deps.sh
[ -f build/build.ninja ] || meson setup build --buildtype=release >/dev/null
ninja -C build >/dev/null
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x build/app/ambilab ]; then
  exec build/app/ambilab "$@"
fi
exec build/app/ambilab-cli demo --overwrite -o "${1:-demo-out}"
