#!/usr/bin/env bash
# crash-report.sh reads winedbg's log of every Wine version the kit supports, whichever Wine is
# installed: samples/winedbg-8.log (Wine 8: "WineDbg starting on pid", DOS paths) and
# samples/winedbg-10.log (Wine 10: "WineDbg attached to pid", Unix paths), each a NULL read in
# tests/drivers/faults.c's request handler, captured from wine.crash_report.
#   crash_report_log.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../../toolchain/wine/crash-report.sh
. "$here/../../toolchain/wine/crash-report.sh"
. "$here/../wine/assert.sh"
WINEPREFIX=$(mktemp -d)
trap 'rm -rf "$WINEPREFIX"' EXIT
mkdir -p "$WINEPREFIX/drive_c"
WINE_MODULES=() # no loaddll lines: every frame is named from winedbg's own words

for sample in "8 0x000000021a4569" "10 0x006ffffc1a45ac"; do
    version=${sample% *} address=${sample#* }
    cp "$here/samples/winedbg-$version.log" "$(wine_crash_debugger_log)"
    wine_debugger_frames "$address"
    out=$(printf '%s\n' "${WINE_FRAMES[@]}")
    echo "# Wine $version: ${#WINE_FRAMES[@]} frames"
    expect_text "^builtin\\|faults\\.sys 0x[0-9a-f]+  faults_control  .*faults\\.c:75$" \
        "Wine $version: the backtrace starts at the fault, with its source line"
    expect_text "IoCallDriver  dlls/ntoskrnl\\.exe/ntoskrnl\\.c:[0-9]+$" \
        "Wine $version: and goes on into Wine's IoCallDriver, named by its own source"
    [ "${#WINE_FRAMES[@]}" -ge 6 ] && pass "Wine $version: the whole backtrace (${#WINE_FRAMES[@]} frames)" ||
        fail "Wine $version: ${#WINE_FRAMES[@]} frames, at least 6 expected"
done
# A backtrace of another fault is not this one's.
wine_debugger_frames 0x1234
[ "${#WINE_FRAMES[@]}" -eq 0 ] && pass "no frames for an address that did not fault" ||
    fail "frames for an address that did not fault: ${WINE_FRAMES[0]}"
finish
