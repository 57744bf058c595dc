#!/usr/bin/env bash
# WDK code and C++ under Wine (tests/drivers/wdk, examples/cpp):
# - strsafe_driver (both compilers): ntstrsafe's printf family and UNICODE_STRING functions give
#   the documented results, IoCreateDeviceSecure with a wdmsec.h string makes its device;
# - cxx_plain: a C++ driver without the runtime: global object constructed before DriverEntry,
#   destroyed after DriverUnload, a virtual call, its own operator new(size, pool, tag) and sized
#   operator delete beside the kit's others;
# - cpp (examples/cpp, on the runtime): the same, with new/delete over the runtime's allocator,
#   nothing leaked;
# - wdk_ioctl and wdk_notify (clang: MSVC's C dialect): METHOD_BUFFERED, METHOD_IN_DIRECT,
#   METHOD_OUT_DIRECT and METHOD_NEITHER requests, try/except/finally/leave, L#x, "lit" ## x,
#   the comma before an empty __VA_ARGS__, IoCreateDeviceSecure refusing an SDDL string outside
#   its subset; INTEGRITY_CHECK in the image, ObRegisterCallbacks and
#   PsSetCreateProcessNotifyRoutineEx accepted by Wine 8.
#   wdk.sh <build-dir> <minwdmctl.exe> <tests-dir> <cpp.sys> [clang]
set -u
here=$(dirname "$0")
. "$here/../../scripts/wine-lib.sh"
. "$here/assert.sh"
build=$1 ctl_exe=$2 tests=$3 cpp=$4 clang=${5:-}
ctl() { "$WINE" "$ctl_exe" "$@"; }

# DllCharacteristics of a PE image, in hex.
dll_characteristics() {
    local pe
    pe=$(od -An -t u4 -j 60 -N 4 "$1" | tr -d ' ')
    od -An -t x2 -j $((pe + 24 + 70)) -N 2 "$1" | tr -d ' '
}

wine_session_begin "$build" wdk

expect 0 "load strsafe_driver" ctl --name strsafe_driver load "$(winpath "$tests/strsafe_driver.sys")"
# 42-wide-narrow-0x2a! in UTF-16: RtlStringCbPrintfW, RtlStringCbLengthW, RtlUnicodeStringCatString,
# RtlUnicodeStringPrintf
expect 0 "format with the printf family" \
    ctl --device '\\.\strsafe_driver' ioctl 0x81536000 --in 2a000000 --out-size 64
expect_text ", 40 bytes returned$" "  40 bytes: 20 characters, no terminator"
expect_text "^0000  34 00 32 00 2d 00 77 00 69 00 64 00 65 00 2d 00 " "  42-wide-"
expect_text "^0010  6e 00 61 00 72 00 72 00 6f 00 77 00 2d 00 30 00 " "  narrow-0"
expect_text "^0020  78 00 32 00 61 00 21 00 " "  x2a!"
expect 5 "format into too little room" \
    ctl --device '\\.\strsafe_driver' ioctl 0x81536000 --in 2a000000 --out-size 8
expect_text "NTSTATUS 0x80000005 \\(STATUS_BUFFER_OVERFLOW\\)" "  STATUS_BUFFER_OVERFLOW, as ntstrsafe says"
expect 0 "twelve ntstrsafe checks in the driver" \
    ctl --device '\\.\strsafe_driver' ioctl 0x81536004 --out-size 8
expect_text "^0000  00 00 00 00 00 00 00 00 " "  none failed"
expect 0 "unload strsafe_driver" ctl --name strsafe_driver unload

expect 0 "load cxx_plain (C++ without the runtime)" ctl --name cxx_plain load "$(winpath "$tests/cxx_plain.sys")"
expect 0 "unload cxx_plain" ctl --name cxx_plain unload

expect 0 "load cpp (examples/cpp: C++ on the runtime)" ctl --name cpp load "$(winpath "$cpp")"
expect 0 "its log while it runs" ctl --name cpp log
expect_text "^cpp: info: Lifetime: global object constructed$" "  the global object was constructed"
expect_text "^cpp: info: exercise: rectangle of area 12$" "  a virtual call through the base class"
expect_text "^cpp: info: exercise: square of area 25$" "  and an override of an override"
expect_text "^cpp: info: exercise: array of 16 zeroed: 0, 64-byte line aligned: 1$" "  new[] and aligned new"
expect 0 "its allocator's numbers" ctl --name cpp stats
expect_text "^outstanding: +1 blocks, 16 bytes" "  every new was deleted: only the global's destructor record is out"
expect_text "^allocations: +5 " "  five news and the global's atexit record: 5 allocations"
expect 0 "stop cpp" ctl --name cpp stop
expect 0 "its saved log" ctl --name cpp log
expect_text "^cpp: info: cpp_unload: unloading$" "  its unload ran"
expect_text "^cpp: info: ~Lifetime: global object destroyed$" "  then the global object's destructor"
expect_text "^cpp: info: runtime: unloaded, 0 leaked blocks$" "  then the runtime's check: no leaks"
order=$(printf '%s\n' "$out" | grep -nE "global object constructed|rectangle|unloading|global object destroyed|0 leaked" | cut -d: -f1 | tr '\n' ' ')
if [ "$(printf '%s\n' $order | sort -n | tr '\n' ' ')" = "$order" ]; then
    pass "  in that order: constructed, DriverEntry, unload, destroyed, leak check"
else
    fail "  in that order: constructed, DriverEntry, unload, destroyed, leak check (lines $order)"
fi
expect 0 "remove cpp" ctl --name cpp remove

if [ -n "$clang" ]; then
    expect 0 "load wdk_ioctl (MSVC's C dialect)" ctl --name wdk_ioctl load "$(winpath "$tests/wdk_ioctl.sys")"
    dev='\\.\wdk_ioctl'
    expect 0 "METHOD_BUFFERED" ctl --device "$dev" ioctl 0x9C402400 --in 616263 --out-size 16
    expect_text "^0000  42 55 46 46 45 52 45 44 20 41 42 43 .*BUFFERED ABC" "  BUFFERED ABC"
    expect 0 "METHOD_IN_DIRECT" ctl --device "$dev" ioctl 0x9C402405 --in 616263 --out-size 4
    expect_text ", 4 bytes returned$" "  the 4 bytes of its MDL read"
    expect 0 "METHOD_OUT_DIRECT" ctl --device "$dev" ioctl 0x9C40240A --in 78797a --out-size 14
    expect_text "^0000  4f 55 54 5f 44 49 52 45 43 54 20 58 59 5a .*OUT_DIRECT XYZ" "  OUT_DIRECT XYZ, written through its MDL"
    expect 0 "METHOD_NEITHER, inside try/except" ctl --device "$dev" ioctl 0x9C40240F --in 71 --out-size 9
    expect_text "^0000  4e 45 49 54 48 45 52 20 51 .*NEITHER Q" "  NEITHER Q"
    expect 0 "try/except/finally/leave" ctl --device "$dev" ioctl 0x9C402410 --out-size 12
    expect_text "^0000  05 00 00 c0 02 00 00 00 " "  STATUS_ACCESS_VIOLATION caught by the filter, both finally blocks ran"
    # Windows gives the code there too; Wine 8's __C_specific_handler does not (docs/wine.md).
    expect_text "^0000  05 00 00 c0 02 00 00 00 00 00 00 00 " "  GetExceptionCode() in the except block: 0 under Wine 8"
    expect 5 "an unknown request" ctl --device "$dev" ioctl 0x9C402414
    expect_text "NTSTATUS 0xC0000010 \\(STATUS_INVALID_DEVICE_REQUEST\\)" "  refused"
    expect 0 "unload wdk_ioctl" ctl --name wdk_ioctl unload

    flags=$(dll_characteristics "$tests/wdk_notify.sys")
    if (( (0x$flags & 0x80) != 0 )); then
        pass "wdk_notify.sys has FORCE_INTEGRITY (DllCharacteristics 0x$flags)"
    else
        fail "wdk_notify.sys has FORCE_INTEGRITY (DllCharacteristics 0x$flags)"
    fi
    flags=$(dll_characteristics "$tests/wdk_ioctl.sys")
    if (( (0x$flags & 0x80) == 0 )); then
        pass "wdk_ioctl.sys does not (DllCharacteristics 0x$flags)"
    else
        fail "wdk_ioctl.sys does not (DllCharacteristics 0x$flags)"
    fi
    expect 0 "load wdk_notify (INTEGRITY_CHECK)" ctl --name wdk_notify load "$(winpath "$tests/wdk_notify.sys")"
    expect 0 "unload wdk_notify" ctl --name wdk_notify unload
fi
wine_session_end

out=$(wine_driver_log)
expect_text "^strsafe_driver: zeroed 1, fp state 0x00000000$" "strsafe_driver: ExAllocatePoolZero zeroed, KeSaveFloatingPointState succeeded"
expect_text "^strsafe_driver: loaded$" "strsafe_driver: IoCreateDeviceSecure made its device"
expect_text "^strsafe_driver: unloaded$" "strsafe_driver unloaded"
order=$(printf '%s\n' "$out" | grep -E "^cxx_plain: " | tr '\n' '|')
if [ "$order" = "cxx_plain: global constructed|cxx_plain: DriverEntry: global alive, virtual call gave 6, own sized delete 2 times|cxx_plain: DriverUnload|cxx_plain: global destroyed|" ]; then
    pass "cxx_plain: constructed, DriverEntry (virtual calls, its own new and sized delete), DriverUnload, destroyed"
else
    fail "cxx_plain: constructed, DriverEntry (virtual calls, its own new and sized delete), DriverUnload, destroyed: $order"
fi
if [ -n "$clang" ]; then
    expect_text "^wdk_ioctl: zeroed pool: 1$" "wdk_ioctl: \"lit\" ## fmt pasted, ExAllocatePoolZero(NonPagedPool) under POOL_NX_OPTIN"
    expect_text "^wdk_ioctl: L#x: stringized wide, 30 bytes$" "wdk_ioctl: L#x is a wide string"
    expect_text "^wdk_ioctl: unprotected SDDL refused: 0xc000000d, device 0+$" "wdk_ioctl: IoCreateDeviceSecure refused \"D:(A;;GA;;;WD)\", made no device"
    expect_text "^wdk_ioctl: loaded$" "wdk_ioctl: the comma before an empty __VA_ARGS__ dropped"
    expect_text "^wdk_ioctl: IN_DIRECT: 4 bytes read, their sum 0$" "wdk_ioctl: METHOD_IN_DIRECT read its MDL"
    expect_text "^wdk_ioctl: unloaded$" "wdk_ioctl unloaded"
    expect_text "^wdk_notify: ObRegisterCallbacks: 0x00000000$" "wdk_notify: ObRegisterCallbacks accepted"
    expect_text "^wdk_notify: PsSetCreateProcessNotifyRoutineEx: 0x00000000$" "wdk_notify: PsSetCreateProcessNotifyRoutineEx accepted"
    expect_text "^wdk_notify: unloaded after 0 callbacks$" "wdk_notify: Wine never called back"
fi
finish
