#!/usr/bin/env bash
# minwdmctl after a driver crashed its host: tests/drivers/crash.sys reads through NULL in its
# IRP_MJ_DEVICE_CONTROL handler, which kills its winedevice.exe. The request that crashed it,
# the requests after, log, status, stop and remove say that the host crashed (not "run
# elevated", not "no unload routine"); stop and remove clean up (Wine 8 keeps the service
# RUNNING, and the names its devices had, which made the next load fail with 0xC0000024); then
# minwdm.sys loads, the crashed driver loads again, and a load straight after a crash works too.
#   crash.sh <build-dir> <minwdmctl.exe> <minwdm.sys> <crash.sys>
set -u
here=$(dirname "$0")
. "$here/../../scripts/wine-lib.sh"
. "$here/assert.sh"
build=$1 ctl_exe=$2 sys=$3 crash=$4
ctl() { "$WINE" "$ctl_exe" "$@"; }
crash_win=$(winpath "$crash")
crashed="the driver host crashed \\(its process ended\\): the driver is gone"

wine_session_begin "$build" crash
expect 0 "load the crash driver" ctl --name crash load "$crash_win"
expect 0 "status" ctl --name crash status
expect_text "^host: +winedevice.exe, process [0-9]+$" "  its host"

expect 5 "a request crashes it" ctl --name crash --device '\\.\minwdm_crash' ioctl 0x222000
expect_text "^minwdmctl: ioctl 0x00222000 failed: $crashed$" "  says the host crashed"
expect_text "hint: minwdmctl --name crash remove \\(or stop\\) cleans up" "  says what cleans up"
if printf '%s\n' "$out" | grep -Eq "elevated|error 5:"; then fail "  no 'run elevated'"; else pass "  no 'run elevated'"; fi
expect 5 "the next request" ctl --name crash --device '\\.\minwdm_crash' ioctl 0x222000
expect_text "opening the device \\\\\\\\.\\\\minwdm_crash failed: $crashed" "  says the host crashed"
expect 5 "its log" ctl --name crash log
expect_text "opening the device \\\\\\\\.\\\\minwdm.crash failed: $crashed" "  says the host crashed"
expect 0 "status" ctl --name crash status
# The service manager's shape of a crashed host depends on the Wine version (user/ctl_host_rule.h).
if printf '%s\n' "$out" | grep -q "^state: *STOPPED$"; then
    shape=stopped names="[0-9]+" # Wine 10: services.exe saw the host end; no name is left
    expect_text "^win32 exit: +1067 " "  the service manager says STOPPED, exit code 1067 (Wine 10)"
    expect_text "^host: +crashed: its winedevice.exe ended" "  status says the host crashed"
else
    shape=running names=2 # Wine 8: nothing changes, the names of its two devices stay
    expect_text "^state: +RUNNING$" "  the service manager still says RUNNING (Wine 8)"
    expect_text "^host: +crashed: no winedevice.exe has its image" "  status says the host crashed"
fi
echo "# the crashed host's shape: $shape"
expect 0 "status --json" ctl --name crash status --json
expect_text '"host": "crashed"' "  JSON too"

expect 0 "stop" ctl --name crash stop
expect_text "the driver host had crashed \\(its process ended\\): the driver was gone; $names names it left in .* deleted" \
    "  says so, and deletes the names its devices left ($names)"
expect_text "^not running$" "  not running"
if printf '%s\n' "$out" | grep -Eq "error 232|unload routine"; then fail "  no 232, no unload routine"; else pass "  no 232, no unload routine"; fi
expect 0 "stop again" ctl --name crash stop
expect_text "^not running$" "  not running"
expect 0 "remove" ctl --name crash remove
expect_text "^removed$" "  removed"
if printf '%s\n' "$out" | grep -Eq "1061|unload routine"; then fail "  no 1061, no unload routine"; else pass "  no 1061, no unload routine"; fi
expect 3 "status" ctl --name crash status

expect 0 "load minwdm.sys" ctl load "$(winpath "$sys")"
expect 0 "  it answers" ctl version
expect 0 "  unload it" ctl unload
expect 0 "load the crash driver again" ctl --name crash load "$crash_win"
expect_text "^started$" "  started: its names were free again"
expect 0 "  its log, from its control device" ctl --name crash log
expect_text "^crash: info: DriverEntry: loaded" "  its load"
expect 5 "crash it again" ctl --name crash --device '\\.\minwdm_crash' ioctl 0x222000
expect 0 "load it straight away" ctl --name crash load "$crash_win"
expect_text "the driver host had crashed .*$names names it left in .* deleted" "  cleans up first"
expect_text "^started$" "  started"
expect 0 "unload it" ctl --name crash unload
expect_text "^stopped$" "  stopped: a clean unload"
wine_session_end

out=$(cat "$WINE_LOG")
faults=$(grep -c "Unhandled page fault on read access to 0000000000000000" "$WINE_LOG")
[ "$faults" -eq 2 ] && pass "Wine saw two faults" || fail "Wine saw $faults faults, expected 2"
out=$(wine_driver_log)
expect_text "^crash: warn: dispatch_device_control: reading through NULL now$" "the driver's last line before the fault"
expect_text "^crash: info: runtime: unloaded, 0 leaked blocks$" "the last load unloaded cleanly"
finish
