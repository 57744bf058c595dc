#!/usr/bin/env bash
# Real driver code under Wine, one session for all (issue 20):
# - compat_queue (both compilers): the WDK routines Wine lacks or stubs, from the kit's compat
#   library: its client queues requests that stay pending in a cancel-safe queue, cancels them
#   (CancelIoEx), has the driver complete some, sees one refused; the driver checks guarded
#   mutexes (two IoCreateSystemThread threads counting under one), resources and, with clang,
#   ExRaiseStatus caught by __except.
# - msvc_cxx (clang: WDK_COMPAT C++): a vendor-range IOCTL as a case label, its own new and sized
#   delete, KeSetPriorityThread on a PETHREAD, IoCreateSystemThread.
# - minifilter (both compilers): <fltKernel.h> and FltMgr.sys: registers, starts filtering, sees
#   no operation (Wine's Filter Manager calls no callback), and its unload callback unregisters
#   it when the service stops (the kit's doing under Wine, the Filter Manager's on Windows).
#   wdk_real.sh <build-dir> <minwdmctl.exe> <tests-dir> <csq_client.exe> [clang]
set -u
here=$(dirname "$0")
. "$here/../../scripts/wine-lib.sh"
. "$here/assert.sh"
build=$1 ctl_exe=$2 tests=$3 csq_client=$4 clang=${5:-}
ctl() { "$WINE" "$ctl_exe" "$@"; }
drivers="compat_queue"
[ -n "$clang" ] && drivers="$drivers msvc_cxx"

# Nothing the drivers import ends the host under this Wine: the compat library covers it.
for driver in $drivers; do
    expect 0 "wdmimage wine-imports $driver.sys: every import implemented" \
        "$build/host-tools/wdmimage" wine-imports "$tests/$driver.sys"
done

# The minifilter's name-information routines are stubs in Wine's FltMgr: named, and the exit
# status says so, though only callbacks Wine never makes call them.
expect 1 "wdmimage wine-imports minifilter.sys names Wine's FltMgr stubs" \
    "$build/host-tools/wdmimage" wine-imports "$tests/minifilter.sys"
expect_text "imports FltGetFileNameInformation, which this Wine does not implement \(a stub in .*fltmgr.sys\)" \
    "  FltGetFileNameInformation: a stub in fltmgr.sys"

wine_session_begin "$build" wdk_real

expect 0 "load minifilter" ctl --name minifilter load "$(winpath "$tests/minifilter.sys")"
expect 0 "stop minifilter (its unload callback)" ctl --name minifilter unload

expect 0 "load compat_queue" ctl --name compat_queue load "$(winpath "$tests/compat_queue.sys")"
expect 0 "csq_client: cancel-safe queue and the driver's checks" "$WINE" "$csq_client"
printf '%s\n' "$out" | sed 's/^/    # /'
expect 0 "unload compat_queue" ctl --name compat_queue unload

if [ -n "$clang" ]; then
    expect 0 "load msvc_cxx (MSVC's C++)" ctl --name msvc_cxx load "$(winpath "$tests/msvc_cxx.sys")"
    expect 0 "a CTL_CODE(0x8000, ...) case label" ctl --device '\\.\msvc_cxx' ioctl 0x80002000 --in 15000000 --out-size 4
    expect_text "^0000  2a 00 00 00 " "  answered: max(21, 42) from an object of its own new"
    expect 0 "KeSetPriorityThread on a PETHREAD" ctl --device '\\.\msvc_cxx' ioctl 0x80002004
    expect 0 "unload msvc_cxx" ctl --name msvc_cxx unload
fi

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
expect_text "^minifilter: FltRegisterFilter: 0x00000000$" "minifilter: registered"
expect_text "^minifilter: FltStartFiltering: 0x00000000$" "minifilter: filtering started"
expect_text "^minifilter: unloaded: 0 operations, 0 instance setups seen$" \
    "minifilter: its unload callback ran at stop; Wine's FltMgr showed it no operation"
if [ -n "$clang" ]; then
    expect_text "^msvc_cxx: IoCreateSystemThread: thread ran: yes$" "msvc_cxx: IoCreateSystemThread's thread ran"
    expect_text "^msvc_cxx: KeSetPriorityThread on a PETHREAD$" "msvc_cxx: the PETHREAD went to KeSetPriorityThread"
    expect_text "^msvc_cxx: unloaded, own sized delete called 1 times$" "msvc_cxx: its own sized delete freed its object"
fi
finish
