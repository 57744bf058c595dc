#!/usr/bin/env bash
# `minwdmctl test` against hostile command lines and drivers (issue 21's seven defects), in one
# Wine session (each run is its own service): what it refuses before loading anything (a package's
# options too), a service
# name at the service manager's limit served end to end, a crash in DriverUnload, a kernel test
# that never returns (the request it waits for, which the driver holds pending, listed with its
# dispatch routine).
#   test_defects.sh <build-dir> <minwdmctl.exe> <planted test build .sys> <planted_client.exe>
set -u
here=$(dirname "$0")
. "$here/assert.sh"
. "$here/../../toolchain/wine/session.sh"
build=$1 ctl_exe=$2 image=$3 client=$4

wine_session_begin "$build" "test-defects"
linux_image=$image
image=$(winpath "$image") client=$(winpath "$client")
ctl() { "$WINE" "$ctl_exe" test "$image" "$@"; }
# ctl, its <image>+0x<offset> sites named with function and line.
ctl_symbolized() {
    ctl "$@" | wine_symbolize_sites "$linux_image"
    return "${PIPESTATUS[0]}"
}

expect 2 "--junit '' is refused" ctl --name d_junit --junit ''
expect_text "--junit wants a file" "  says what it wants"
expect 2 "--junit to a folder that does not exist is refused before loading" \
    ctl --name d_junit --junit 'Z:\no\such\folder\report.xml'
expect_text "cannot write that file" "  says why"
for name in "planted." "planted " "a/b"; do
    expect 2 "--name '$name' is refused (Windows would open another name)" ctl --name "$name"
done
expect_text "slash" "  a slash named"
# A package (an INF) goes with its device's hardware id, and its INF names the service.
expect 2 "--hardware-id without a package's INF is refused" ctl --hardware-id 'Root\X'
expect_text "goes with a package" "  says what it goes with"
expect 2 "an INF without --hardware-id is refused" "$WINE" "$ctl_exe" test 'C:\x\x.inf'
expect_text "wants --hardware-id" "  asks for the hardware id"
expect 2 "--name with an INF is refused" "$WINE" "$ctl_exe" test 'C:\x\x.inf' --hardware-id 'Root\X' --name x
expect_text "AddService names" "  the INF names the service"

long=$(printf "n%.0s" $(seq 248))
expect 0 "a 248-character service name reaches its own control device" \
    ctl --name "$long" --filter passes
expect_text "^ok +passes" "  its test ran"
expect 2 "a 249-character service name is refused" ctl --name "${long}x"
expect_text "at most 248" "  the limit named"

expect 5 "a crash in DriverUnload is a host crash" \
    ctl --name d_unload --filter none --client "$client" crash-at-unload
expect_text "^FAIL unload" "  the unload fails"
expect_text "crashed during the unload" "  named as a crash, not as a missing report"

start=$SECONDS
expect 6 "a kernel test that never returns" ctl_symbolized --name d_hang \
    --filter 'hangs,runs_after_*' --timeout 2
expect_text "^FAIL hangs" "  the test named"
expect_text "did not finish within 2 s, nor when cancelled" "  a timeout, not a status"
expect_text "^ +pending: IRP_MJ_DEVICE_CONTROL 0x81592008 for [2-9]\\.[0-9]{3} s, with NO cancel routine .*, dispatched to planted_control \\([^()]*planted\\.c:[0-9]+\\)\$" \
    "  the request it waits for: pending, its code, age, no cancel routine, dispatch routine"
expect_text "^skip .*after it +$|^skip the [0-9]+ kernel tests after it" "  what follows: not run"
expect_text "not run: hangs did not end" "  and why"
expect_text "stays loaded" "  the driver is not unloaded under the thread"
[ $((SECONDS - start)) -lt 20 ] && pass "  within seconds ($((SECONDS - start)) s)" ||
    fail "  took $((SECONDS - start)) s"
wine_session_end
finish
