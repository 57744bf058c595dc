#!/usr/bin/env bash
# An exception that leaves a driver's dispatch routine (seh_escape.sys, IOCTL_SEH_WDK_ESCAPE: a
# bad caller pointer read with no __try; built with every compiler). On Windows: bug check 0x3B. Under Wine 8 alone, with
# the driver as built (shown first, not relied on: docs/wine.md): the driver host dies of an
# unhandled page fault. In the kit's test build the exception guard catches it first: the run
# fails, naming the exception, what it read, Windows' bug check and the faulting file:line. The
# same from DriverUnload (bug check 0x7E).
#   seh_escape.sh <build-dir> <minwdmctl.exe> <seh_escape.sys> <test build of it>
#                 <seh_client.exe> <escape.c>
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=$1 ctl_exe=$2 plain=$3 image=$4 client=$5 source=$6
failures=0
check() { # <what> <command...>
    local what=$1
    shift
    if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; failures=$((failures + 1)); fi
}
run() { # <session> <image> <client mode>: the client through `minwdmctl test`, into $out/$rc
    out=$(bash "$here/../../toolchain/wine/run-test.sh" "$build" "$1" "$ctl_exe" test "$2" \
        --name "$1" --timeout 20 --client "$client" "$3" 2>&1)
    rc=$?
}
line=$(grep -n 'SEH_ESCAPE_LINE' "$source" | cut -d: -f1)
unload_line=$(grep -n 'SEH_ESCAPE_UNLOAD_LINE' "$source" | cut -d: -f1)

run seh_wine "$plain" escape
echo "--- the driver as built (no guard): what Wine 8 itself does"
printf '%s\n' "$out" | sed 's/^/    /'
check "Wine alone: the run failed (exit $rc)" test "$rc" -ne 0

run seh_escape "$image" escape
echo "--- the test build"
printf '%s\n' "$out" | sed 's/^/    /'
check "the run failed (exit $rc)" test "$rc" -ne 0
check "the exception and what it read, named" \
    grep -q "verifier: exception: STATUS_ACCESS_VIOLATION (0xC0000005) reading 0x10 escaped the dispatch routine" <<<"$out"
check "Windows' bug check, named" grep -q "bug check 0x3B (SYSTEM_SERVICE_EXCEPTION)" <<<"$out"
check "the faulting line, escape.c:$line" grep -Eq "at: .*escape.c:$line\b" <<<"$out"

run seh_unload "$image" unload
echo "--- the test build, DriverUnload reading 0x10"
printf '%s\n' "$out" | sed 's/^/    /'
check "the run failed (exit $rc)" test "$rc" -ne 0
check "the exception, named, in DriverUnload" \
    grep -q "verifier: exception: STATUS_ACCESS_VIOLATION (0xC0000005) reading 0x10 escaped the DriverUnload" <<<"$out"
check "Windows' bug check, named" grep -q "bug check 0x7E (SYSTEM_THREAD_EXCEPTION_NOT_HANDLED)" <<<"$out"
check "the faulting line, escape.c:$unload_line" grep -Eq "at: .*escape.c:$unload_line\b" <<<"$out"
exit $((failures > 0))
