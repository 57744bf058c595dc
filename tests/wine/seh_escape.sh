#!/usr/bin/env bash
# An exception that leaves a driver's dispatch routine (seh_wdk.sys, IOCTL_SEH_WDK_ESCAPE: a
# bad caller pointer read with no __try). On Windows: bug check 0x3B. Under Wine 8 alone, with
# the driver as built (shown first, not relied on: docs/wine.md): the driver host dies of an
# unhandled page fault. In the kit's test build the exception guard catches it first: the run
# fails, naming the exception, what it read, Windows' bug check and the faulting file:line.
#   seh_escape.sh <build-dir> <minwdmctl.exe> <seh_wdk.sys> <test build of it> <seh_client.exe>
#                 <seh_wdk.c>
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=$1 ctl_exe=$2 plain=$3 image=$4 client=$5 source=$6
failures=0
check() { # <what> <command...>
    local what=$1
    shift
    if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; failures=$((failures + 1)); fi
}
run() { # <session> <image>: the client's escape request through `minwdmctl test`, into $out/$rc
    out=$(bash "$here/../../toolchain/wine/run-test.sh" "$build" "$1" "$ctl_exe" test "$2" \
        --name "$1" --timeout 20 --client "$client" escape 2>&1)
    rc=$?
}
line=$(grep -n 'SEH_WDK_ESCAPE_LINE' "$source" | cut -d: -f1)

run seh_wine "$plain"
echo "--- the driver as built (no guard): what Wine 8 itself does"
printf '%s\n' "$out" | sed 's/^/    /'
check "Wine alone: the run failed (exit $rc)" test "$rc" -ne 0

run seh_escape "$image"
echo "--- the test build"
printf '%s\n' "$out" | sed 's/^/    /'
check "the run failed (exit $rc)" test "$rc" -ne 0
check "the exception and what it read, named" \
    grep -q "verifier: exception: STATUS_ACCESS_VIOLATION (0xC0000005) reading 0x10 escaped the dispatch routine" <<<"$out"
check "Windows' bug check, named" grep -q "bug check 0x3B (SYSTEM_SERVICE_EXCEPTION)" <<<"$out"
check "the faulting line, seh_wdk.c:$line" grep -Eq "at: .*seh_wdk.c:$line\b" <<<"$out"
exit $((failures > 0))
