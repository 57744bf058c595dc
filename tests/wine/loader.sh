#!/usr/bin/env bash
# End to end under Wine: minwdmctl installs, starts, queries, stops and removes minwdm.sys through
# Wine's service manager; the device answers version, echo and every case of the contract; the
# driver's own load and unload lines arrive through Wine's debug channel.
#   loader.sh <build-dir> <minwdmctl.exe> <minwdm.sys> <ioctl_client.exe> <minwdm_build.h>
set -u
here=$(dirname "$0")
. "$here/../../scripts/wine-lib.sh"
. "$here/assert.sh"
build=$1 ctl_exe=$2 sys=$3 client=$4 header=$5
read_build_info "$header"
ctl() { "$WINE" "$ctl_exe" "$@"; }
sys_dir=$(dirname "$sys")
sys_win=$(winpath "$sys")

wine_session_begin "$build" loader

expect 3 "version before load: no device" ctl version
expect_text "opening the device \\\\\\\\.\\\\minwdm failed: error 2" "  names the call and error 2"
expect_text "hint: the device exists only while the driver runs" "  hints at start"
expect 3 "status before install: not installed" ctl status
expect_text "error 1060" "  reports error 1060"
expect 3 "install of a missing file" ctl install 'Z:\nonexistent\minwdm.sys'
expect_text "opening the driver image Z:.*nonexistent.*minwdm.sys failed: error 3" "  says which file and why"

expect 0 "install with a relative path" bash -c "cd '$sys_dir' && '$WINE' '$ctl_exe' install minwdm.sys"
expect_text "^installed: ${sys_win//\\/\\\\} " "  the path was made absolute"
expect 0 "install again" ctl install "$sys_win"
expect_text "^already installed: " "  says it is already installed"
expect 0 "status" ctl status
expect_text "^state: +STOPPED$" "  stopped"
expect_text "^image path: +${sys_win//\\/\\\\}$" "  with the absolute image path"

expect 0 "start" ctl start
expect_text "^started$" "  started"
expect 0 "start again" ctl start
expect_text "^already running$" "  already running"
expect 0 "status while running" ctl status
expect_text "^state: +RUNNING$" "  running"

expect 0 "version" ctl version
expect_text "^driver $version, ABI 1, build $build_id$" "  driver reports this build"
expect 0 "echo" ctl echo "hello, kernel"
expect_text "^hello, kernel$" "  echoes"
expect 0 "contract client (every ioctl.h case)" "$WINE" "$client" "$version" "$build_id"
expect_text "^# [0-9]+ passed, 0 failed$" "  all contract checks pass"

expect 0 "stop" ctl stop
expect_text "^stopped$" "  stopped"
expect 0 "stop again" ctl stop
expect_text "^not running$" "  not running"
expect 3 "version after unload: device gone" ctl version
expect 0 "remove" ctl remove
expect_text "^removed$" "  removed"
expect 0 "remove again" ctl remove
expect_text "^not installed$" "  not installed"

expect 2 "unknown command" ctl frobnicate
expect_text "unknown command 'frobnicate'" "  names it"
expect 2 "echo without text" ctl echo
expect 0 "--help" ctl --help
expect_text "^exit codes: 0 done" "  documents exit codes"

wine_session_end
out=$(wine_driver_log)
expect_text "^minwdm: loaded, version $version, ABI 1, build $build_id$" "driver logged its load"
expect_text "^minwdm: unloaded$" "driver logged its unload (DriverUnload ran)"
if [ "$(printf '%s\n' "$out" | grep -c '^minwdm: ')" -eq 2 ] &&
    printf '%s\n' "$out" | grep '^minwdm: ' | head -1 | grep -q loaded; then
    pass "exactly one load then one unload line"
else
    fail "expected one load then one unload line"
fi
finish
