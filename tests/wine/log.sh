#!/usr/bin/env bash
# The driver's log under Wine: `minwdmctl log` shows the same lines as Wine's debug channel (the
# DbgPrintEx sink) for a load, an echo and an unload, a message with %s%n%x is logged literally,
# levels map to DbgPrintEx levels, LogLevel and LogDetails in the service key, log-level at run
# time, the log saved in the service key at unload, and log --follow across an unload and a load.
# The saved values are private: SYSTEM and Administrators read them, a standard user's token
# does not (saved_access.exe).
#   log.sh <build-dir> <minwdmctl.exe> <minwdm.sys> <saved_access.exe>
set -u
here=$(dirname "$0")
. "$here/../../scripts/wine-lib.sh"
. "$here/assert.sh"
build=$1 ctl_exe=$2 sys=$3 saved_access=$4
ctl() { "$WINE" "$ctl_exe" "$@"; }
sys_win=$(winpath "$sys")
service_key='HKLM\SYSTEM\CurrentControlSet\Services\minwdm'

wine_session_begin "$build" log

expect 3 "log without a driver" ctl log
expect_text "opening the device .* error 2" "  says the device is missing"

expect 0 "load" ctl load "$sys_win"
expect 0 "echo a format string" ctl echo '%s%n%x'
expect 0 "log" ctl log
log_running=$out
expect_text '^minwdm: info: DriverEntry: loaded, version ' "  the load"
expect_text '^minwdm: info: echo: 6 bytes: "%s%n%x"$' "  %s%n%x logged literally"
expect 0 "log --numbered" ctl log --numbered
expect_text '^2 \[ *[0-9]+\.[0-9]{6}\] minwdm: info: echo: ' "  numbers and times"
expect 0 "log --since 1" ctl log --since 1
if printf '%s\n' "$out" | grep -q 'DriverEntry: loaded'; then
    fail "--since 1 skips record 1"
else
    pass "--since 1 skips record 1"
fi

expect 0 "log-level" ctl log-level
expect_text '^info \(this build logs up to trace\)$' "  info by default, trace compiled in"
expect 0 "log-level debug" ctl log-level debug
expect_text '^log level debug \(was info\)$' "  set"
expect 0 "a request at debug level" ctl version
expect 0 "log" ctl log
expect_text '^minwdm: debug: dispatch_create: handle [0-9A-F]{16}$' "  debug lines now"
# A release build shows a keyed hash, not the kernel address (Wine's file objects lie below
# 4 GB: their top half is zero; a hash's is not, but once in 2^32).
handle=$(printf '%s\n' "$out" | sed -n 's/^minwdm: debug: dispatch_create: handle \([0-9A-F]*\)$/\1/p' | head -n 1)
[ -n "$handle" ] && [[ $handle != 00000000* ]] &&
    pass "  no raw address in a release build's log (handle $handle, a hash)" ||
    fail "  a raw address in a release build's log: handle ${handle:-none}"
expect 2 "log-level loud" ctl log-level loud
expect_text "log-level wants error, warn, info, debug or trace" "  names the levels"
expect 0 "log-level info" ctl log-level 2

expect 0 "stop" ctl stop
expect 0 "log of the stopped driver" ctl log
expect_text "the driver is not running: that was the log it left when it stopped" "  says where it comes from"
expect_text '^minwdm: info: runtime: unloaded, 0 leaked blocks$' "  its unload, saved in the service key"
saved=$(printf '%s\n' "$out" | grep '^minwdm: ')
expect 0 "the saved values are private" "$WINE" "$saved_access" minwdm
expect_text "^ok a standard user cannot read the saved values" "  a standard user's token is refused"

# Settings from the service key: LogLevel 4 (trace) and LogDetails 7 (cpu, irql, time).
expect 0 "LogLevel 4 in the service key" reg_dword "$service_key" LogLevel 4
expect 0 "LogDetails 7 in the service key" reg_dword "$service_key" LogDetails 7
# and StrictIrqlChecks 1: read and applied (its effect needs a real IRQL: Wine's is always 0)
expect 0 "StrictIrqlChecks 1 in the service key" reg_dword "$service_key" StrictIrqlChecks 1
expect 0 "start with LogLevel 4, LogDetails 7, StrictIrqlChecks 1" ctl start
expect 0 "log-level" ctl log-level
expect_text '^trace ' "  trace from the service key"
expect 0 "a request at trace level" ctl version
expect 0 "log" ctl log
expect_text '^minwdm: trace \[cpu [0-9]+ irql [0-9]+ \+[0-9]+\.[0-9]{6}\]: dispatch_device_control: 0x8157[0-9A-F]{4}, in [0-9]+, out [0-9]+: STATUS_SUCCESS' \
    "  trace lines with cpu, irql and time"
expect_text '^minwdm: info \[.*\]: runtime: StrictIrqlChecks: nonpaged calls checked up to DISPATCH_LEVEL too$' \
    "  StrictIrqlChecks read from the service key"
"$WINE" reg delete "$service_key" /v StrictIrqlChecks /f >/dev/null 2>&1
"$WINE" reg delete "$service_key" /v LogLevel /f >/dev/null 2>&1
"$WINE" reg delete "$service_key" /v LogDetails /f >/dev/null 2>&1
expect 0 "stop" ctl stop

# --follow keeps reading across an unload and a load. It polls five times a second: each step
# waits until the follower has printed it.
follow_out=$build/wine/log/follow.txt
followed() { # <extended-regex> [n]: waits (10 s at most) until the follower printed n matching lines
    for _ in $(seq 100); do
        [ "$(tr -d '\r' <"$follow_out" | grep -Ec -- "$1")" -ge "${2:-1}" ] && return 0
        sleep 0.1
    done
    return 1
}
ctl log --follow --timeout 30 >"$follow_out" 2>&1 &
follower=$!
followed 'waiting for it' || fail "follow: did not start"
expect 0 "start" ctl start
followed 'following the driver' || fail "follow: did not see the driver start"
expect 0 "echo while followed" ctl echo followed-1
followed 'followed-1' || fail "follow: did not see the echo"
expect 0 "stop while followed" ctl stop
followed 'runtime: unloaded' 2 || fail "follow: did not see the unload" # the first: the last load's
expect 0 "start again" ctl start
followed 'DriverEntry: loaded' 3 || fail "follow: did not see the second load"
expect 0 "echo after the reload" ctl echo followed-2
followed 'followed-2' || fail "follow: did not see the second echo"
kill "$follower" 2>/dev/null
wait "$follower" 2>/dev/null
expect 0 "unload" ctl unload
out=$(tr -d '\r' <"$follow_out")
expect_text '^minwdm: info: echo: 10 bytes: "followed-1"$' "follow: the first load's echo"
expect_text '^minwdm: info: runtime: unloaded, 0 leaked blocks$' "follow: its unload (from the saved log)"
expect_text '^minwdmctl: -- the driver is not running; waiting for it --$' "follow: noticed the unload"
expect_text '^minwdm: info: echo: 10 bytes: "followed-2"$' "follow: the second load's echo"
loads=$(printf '%s\n' "$out" | grep -c 'DriverEntry: loaded')
[ "$loads" -ge 2 ] && pass "follow: both loads" || fail "follow: $loads loads seen"

wine_session_end

# The same lines through Wine's debug channel, at the DbgPrintEx levels of their log levels.
wine=$(wine_driver_log)
first_load=$(printf '%s\n' "$wine" | awk '/^minwdm: info: runtime: unloaded/ { print; exit } { print }')
out=$first_load
if [ "$(printf '%s\n' "$saved")" = "$first_load" ]; then
    pass "minwdmctl log and Wine's debug output agree, line for line, for the first load"
else
    fail "minwdmctl log differs from Wine's debug output: $(diff <(printf '%s\n' "$saved") <(printf '%s\n' "$first_load") | head -20)"
fi
out=$log_running
expect_text '^minwdm: info: echo: 6 bytes: "%s%n%x"$' "the running driver's log had the echo too"
out=$(grep 'vDbgPrintExWithPrefix' "$WINE_LOG" | tr -d '\r')
expect_text '0000004d:00000004: minwdm: info: ' "info goes to DbgPrintEx level 2 (mask 0x4)"
expect_text '0000004d:00000008: minwdm: debug: ' "debug goes to level 3 (mask 0x8)"
expect_text '0000004d:00000010: minwdm: trace ' "trace goes to level 4 (mask 0x10)"
finish
