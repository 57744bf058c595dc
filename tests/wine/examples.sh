#!/usr/bin/env bash
# The examples under Wine: examples/hello (a driver of your own, with minwdm's allocator and
# logger) loads, logs, leaks nothing, leaves its log in its service key and unloads;
# examples/wdk_style (WDK-style source) loads, refuses what it does not know, answers its request
# with a clean status (Wine cannot map a caller's buffer through an MDL) and unloads.
#   examples.sh <build-dir> <minwdmctl.exe> <hello.sys> [<wdk_style.sys>]
set -u
here=$(dirname "$0")
. "$here/../../scripts/wine-lib.sh"
. "$here/assert.sh"
build=$1 ctl_exe=$2 hello=$3 wdk_style=${4:-}
ctl() { "$WINE" "$ctl_exe" "$@"; }

wine_session_begin "$build" examples
expect 0 "load hello" ctl --name hello load "$(winpath "$hello")"
expect_text "^started$" "  started"
expect 0 "its log while it runs (the runtime's control device)" ctl --name hello log
expect_text "^hello: info: DriverEntry: Hello from a driver built on Linux$" "  the greeting"
expect_text "^hello: info: DriverEntry: my service key: .*\\\\Services\\\\hello$" "  its service key, a UNICODE_STRING (%wZ)"
expect 0 "its allocator's numbers while it runs" ctl --name hello stats
expect_text "^outstanding: +0 blocks, 0 bytes" "  nothing outstanding"
expect_text "^allocations: +1 " "  the greeting's one allocation"
expect 0 "its log level" ctl --name hello log-level debug
expect 0 "stop hello" ctl --name hello stop
expect 0 "its log, from its service key" ctl --name hello log
expect_text "^hello: info: DriverEntry: Hello from a driver built on Linux$" "  the greeting"
expect_text "^hello: info: hello_unload: goodbye$" "  its unload ran"
expect_text "^hello: info: runtime: unloaded, 0 leaked blocks$" "  then the runtime's check: no leaks"
expect 0 "remove hello" ctl --name hello remove
if [ -n "$wdk_style" ]; then
    sum=0x81586003 # CTL_CODE(0x8158, 0x800, METHOD_NEITHER, FILE_READ_ACCESS)
    expect 0 "load wdk_style" ctl --name wdk_style load "$(winpath "$wdk_style")"
    expect 5 "an unknown request" ctl --device '\\.\wdk_style' ioctl 0x81586000 --out-size 4
    expect_text "NTSTATUS 0xC0000010 \\(STATUS_INVALID_DEVICE_REQUEST\\)" "  refused as such"
    expect 5 "no room for the sum" ctl --device '\\.\wdk_style' ioctl "$sum" --in 01000000 --out-size 0
    expect_text "NTSTATUS 0xC0000023 \\(STATUS_BUFFER_TOO_SMALL\\)" "  refused as such"
    expect 5 "a sum (Wine 8 cannot map the caller's buffer)" \
        ctl --device '\\.\wdk_style' ioctl "$sum" --in "01000000 02000000" --out-size 4
    expect_text "NTSTATUS 0xC000009A \\(STATUS_INSUFFICIENT_RESOURCES\\)" "  a clean failure"
    expect 0 "unload wdk_style" ctl --name wdk_style unload
fi
wine_session_end

out=$(wine_driver_log)
expect_text "^hello: info: DriverEntry: Hello from a driver built on Linux$" "hello's greeting in Wine's debug output"
if [ -n "$wdk_style" ]; then
    expect_text "^wdk_style: loaded$" "wdk_style loaded"
    expect_text "^wdk_style: unloaded$" "wdk_style unloaded"
fi
finish
