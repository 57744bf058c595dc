#!/usr/bin/env bash
# Real driver code under Wine, one session for all (issue 20):
# - compat_queue (both compilers): the WDK routines Wine lacks or stubs, from the kit's compat
#   library: its client queues requests that stay pending in a cancel-safe queue, cancels them
#   (CancelIoEx), has the driver complete some, sees one refused; the driver checks guarded
#   mutexes (two IoCreateSystemThread threads counting under one), resources and, with clang,
#   ExRaiseStatus caught by __except.
# - msvc_cxx (clang: WDK_COMPAT C++): a vendor-range IOCTL as a case label, its own new and sized
#   delete, KeSetPriorityThread on a PETHREAD, IoCreateSystemThread.
# - minifilter (both compilers): <fltKernel.h> and FltMgr.sys: installed with --filter-altitude
#   (its Instances key read back with reg.exe), registers, starts filtering, sees
#   no operation (Wine's Filter Manager calls no callback), and its unload callback unregisters
#   it when the service stops (the kit's doing under Wine, the Filter Manager's on Windows).
# - wpp_driver (both compilers): WPP without tracewpp: its generated .tmh, TraceEvents and
#   DoTraceMessage with WPP's %!...! types, a config-block function with PRE/POST macros;
#   loaded without --name (the service is named after the image), unloaded twice (exit 3).
# - wsk_echo (both compilers): <wsk.h> and NETIO.SYS: a listening socket on 127.0.0.1:40123;
#   a TCP client on the host sends a line and reads it back after "echo: " (WskAccept,
#   WskReceive, WskSend through the header's dispatch tables into Wine's netio.sys).
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
for driver in $drivers wpp_driver wsk_echo; do
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

expect 0 "load minifilter with --filter-altitude" ctl --name minifilter load "$(winpath "$tests/minifilter.sys")" --filter-altitude 370030
expect_text "^minifilter: instance \"minifilter Instance\" at altitude 370030$" "  its Instances key written"
key='HKLM\System\CurrentControlSet\Services\minifilter'
expect 0 "  the Instances key, as the Filter Manager reads it" "$WINE" reg query "$key\Instances\minifilter Instance" /v Altitude
expect_text "Altitude +REG_SZ +370030" "  Altitude 370030, a string"
expect 0 "  DefaultInstance" "$WINE" reg query "$key\Instances" /v DefaultInstance
expect_text "DefaultInstance +REG_SZ +minifilter Instance" "  names that instance"
expect 2 "a bad altitude is refused" ctl --name minifilter2 install "$(winpath "$tests/minifilter.sys")" --filter-altitude 0
expect 0 "stop minifilter (its unload callback)" ctl --name minifilter unload

expect 0 "load wpp_driver without --name" ctl load "$(winpath "$tests/wpp_driver.sys")"
expect_text "^service: wpp_driver \(named after the image" "  the service is named after the image, and says so"
expect 0 "unload wpp_driver" ctl --name wpp_driver unload
expect 3 "unload it again" ctl --name wpp_driver unload
expect_text "no service wpp_driver is installed: nothing to unload" "  a service that is not there is an error, named"

# One line to the driver's socket and its answer back, from the host (Wine's sockets are the host's).
echo_client() {
    exec 3<>/dev/tcp/127.0.0.1/40123 || return 1
    printf 'hello wsk\n' >&3
    timeout 10 head -c 16 <&3
    exec 3<&-
}
expect 0 "load wsk_echo (Winsock Kernel)" ctl --name wsk_echo load "$(winpath "$tests/wsk_echo.sys")"
expect 0 "a TCP client on the host reaches its socket" timeout 20 bash -c "$(declare -f echo_client); echo_client"
expect_text "^echo: hello wsk$" "  the line came back after \"echo: \""
expect 0 "unload wsk_echo" ctl --name wsk_echo unload

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
expect_text "^wsk_echo: WskCaptureProviderNPI: 0x00000000, provider version 1.0$" \
    "wsk_echo: WskRegister and WskCaptureProviderNPI: provider version 1.0"
expect_text "^wsk_echo: WskBind 127.0.0.1:40123: 0x00000000$" "wsk_echo: a listening socket bound"
expect_text "^wsk_echo: WskReceive: 0x00000000, 10 bytes$" "wsk_echo: received the client's line"
expect_text "^wsk_echo: WskSend: 0x00000000, 16 bytes$" "wsk_echo: sent it back"
expect_text "^wsk_echo: unloaded$" "wsk_echo: unloaded (WskDeregister)"
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
expect_text "^WppDriver: DriverEntry at line [0-9]+ of wpp_driver.c$" "wpp: %!FUNC!, %!LINE!, %!FILE!"
expect_text "^WppDriver: status STATUS_SUCCESS \(0x00000000\), then STATUS_INVALID_PARAMETER \(0xC000000D\)$" \
    "wpp: %!STATUS! by name"
expect_text "^WppDriver: guid 01234567-89ab-cdef-0123-456789abcdef bool TRUE ip 127.0.0.1 hr 0x80070005$" \
    "wpp: %!GUID!, %!bool!, %!IPADDR!, %!HRESULT!"
expect_text "^WppDriver: plain -42     7 0x0000beef narrow wide wpp-name -5000000000 .*%$" \
    "wpp: printf conversions, %ws, %wZ, %I64d, %%"
expect_text "^WppDriver: failed with STATUS_INSUFFICIENT_RESOURCES \(0xC000009A\)$" \
    "wpp: a config-block function (FUNC, USESUFFIX) traced a failure"
if ! printf '%s\n' "$out" | grep -q "failed with STATUS_SUCCESS"; then
    pass "wpp: its PRE/POST macros kept the success quiet"
else
    fail "wpp: its PRE/POST macros kept the success quiet"
fi
expect_text "^WppDriver: unloading from unload$" "wpp: DoTraceMessage"
if [ -n "$clang" ]; then
    expect_text "^msvc_cxx: IoCreateSystemThread: thread ran: yes$" "msvc_cxx: IoCreateSystemThread's thread ran"
    expect_text "^msvc_cxx: KeSetPriorityThread on a PETHREAD$" "msvc_cxx: the PETHREAD went to KeSetPriorityThread"
    expect_text "^msvc_cxx: unloaded, own sized delete called 1 times$" "msvc_cxx: its own sized delete freed its object"
fi
finish
