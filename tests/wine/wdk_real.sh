#!/usr/bin/env bash
# Real driver code under Wine, one session for all (issue 20):
# - compat_queue (both compilers): the WDK routines Wine lacks or stubs, from the kit's compat
#   library: its client queues requests that stay pending in a cancel-safe queue, cancels them
#   (CancelIoEx), has the driver complete some, sees one refused; the driver checks guarded
#   mutexes (two IoCreateSystemThread threads counting under one), resources and, with clang,
#   ExRaiseStatus caught by __except.
#   wdk_real.sh <build-dir> <minwdmctl.exe> <tests-dir> <csq_client.exe>
set -u
here=$(dirname "$0")
. "$here/../../scripts/wine-lib.sh"
. "$here/assert.sh"
build=$1 ctl_exe=$2 tests=$3 csq_client=$4
ctl() { "$WINE" "$ctl_exe" "$@"; }

# Nothing the drivers import ends the host under this Wine: the compat library covers it.
for driver in compat_queue; do
    expect 0 "wdmimage wine-imports $driver.sys: every import implemented" \
        "$build/host-tools/wdmimage" wine-imports "$tests/$driver.sys"
done

wine_session_begin "$build" wdk_real

expect 0 "load compat_queue" ctl --name compat_queue load "$(winpath "$tests/compat_queue.sys")"
expect 0 "csq_client: cancel-safe queue and the driver's checks" "$WINE" "$csq_client"
printf '%s\n' "$out" | sed 's/^/    # /'
expect 0 "unload compat_queue" ctl --name compat_queue unload

wine_session_end

out=$(wine_driver_log)
expect_text "^compat_queue: two threads counted to 40000 under a guarded mutex$" \
    "compat_queue: guarded mutex and IoCreateSystemThread: 40000"
expect_text "^compat_queue: checks: 0 failed$" "compat_queue: its checks passed"
expect_text "^compat_queue: unloaded, 0 left queued$" "compat_queue: unloaded with nothing queued"
if ! printf '%s\n' "$out" | grep -q "^compat_queue: FAILED"; then
    pass "compat_queue: no check failed"
else
    fail "compat_queue: no check failed"
fi
finish
