#!/usr/bin/env bash
# Installs what is missing, builds Ambilab with AddressSanitizer and
# UndefinedBehaviorSanitizer, runs the whole test suite and ends with the
# line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
builddir=${AMBILAB_TEST_BUILDDIR:-build-test}

# A failure before any test ran still ends with the promised summary line.
give_up () {
  echo "error: $1" >&2
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
}

./build-aux/deps.sh || give_up "could not install the packages Ambilab needs"
if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" -Db_sanitize=address,undefined -Db_lundef=false > "$builddir.setup.log" 2>&1 \
    || { cat "$builddir.setup.log"; give_up "meson setup failed"; }
fi
ninja -C "$builddir" || give_up "the build failed"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
meson test -C "$builddir" --print-errorlogs --num-processes 2 "$@"
status=$?
python3 - "$builddir/meson-logs/testlog.json" <<'PY'
import json, sys
counts = {"passed": 0, "failed": 0, "skipped": 0}
for line in open(sys.argv[1]):
    r = json.loads(line).get("result")
    if r in ("OK", "EXPECTEDFAIL"):
        counts["passed"] += 1
    elif r == "SKIP":
        counts["skipped"] += 1
    else:
        counts["failed"] += 1
print(f'{counts["passed"]} passed, {counts["failed"]} failed, {counts["skipped"]} skipped')
PY
exit $status
