#!/usr/bin/env bash
# Wine's own sc.exe loads the same driver, and a client that knows only include/minwdm/ioctl.h
# gets correct answers; user/scripts/load.cmd and unload.cmd do the same under Wine's cmd.
#   sc.sh <build-dir> <minwdmctl.exe> <minwdm.sys> <ioctl_client.exe> <minwdm_build.h>
set -u
here=$(dirname "$0")
. "$here/../../scripts/wine-lib.sh"
. "$here/assert.sh"
build=$1 ctl_exe=$2 sys=$3 client=$4 header=$5
read_build_info "$header"

wine_session_begin "$build" sc

# Wine's sc.exe exits with 1 even after a successful create: sc query tells (and, if the
# service is not there, what sc create said is shown).
created=$("$WINE" sc create minwdm type= kernel binpath= "$(winpath "$sys")" 2>&1)
expect 0 "sc query after sc create" "$WINE" sc query minwdm
[ "$failures" -eq 0 ] || printf '    | sc create said: %s\n' "${created//$'\r'/}"
expect_text "STATE +: 1 +STOPPED" "  stopped"
expect 0 "sc start" "$WINE" sc start minwdm
expect_text "STATE +: 4 +RUNNING" "  running"
expect 0 "contract client" "$WINE" "$client" "$version" "$build_id"
expect_text "^# [0-9]+ passed, 0 failed$" "  all contract checks pass"
expect 0 "sc stop" "$WINE" sc stop minwdm
expect_text "STATE +: 1 +STOPPED" "  stopped"
"$WINE" sc delete minwdm >/dev/null 2>&1
expect 3 "service gone after sc delete" "$WINE" "$ctl_exe" status
expect_text "error 1060" "  error 1060"

scripts=$(cd "$here/../../user/scripts" && pwd)
load_cmd=$(winpath "$scripts/load.cmd")
unload_cmd=$(winpath "$scripts/unload.cmd")
expect 0 "load.cmd (relative path)" bash -c "cd '$(dirname "$sys")' && '$WINE' cmd /c '$load_cmd' minwdm.sys"
sys_win=$(winpath "$sys")
expect_text "^load.cmd: minwdm running from ${sys_win//\\/\\\\}$" "  running, absolute path"
expect 0 "load.cmd again" "$WINE" cmd /c "$load_cmd" "$(winpath "$sys")"
expect_text "^load.cmd: minwdm already running$" "  already running"
expect 0 "contract client" "$WINE" "$client" "$version" "$build_id"
expect 0 "unload.cmd" "$WINE" cmd /c "$unload_cmd"
expect_text "^unload.cmd: minwdm stopped and removed$" "  stopped and removed"
expect 0 "unload.cmd again" "$WINE" cmd /c "$unload_cmd"
expect_text "^unload.cmd: minwdm is not installed$" "  not installed"
expect 2 "load.cmd without a path" "$WINE" cmd /c "$load_cmd"
expect 3 "load.cmd with a missing file" "$WINE" cmd /c "$load_cmd" 'Z:\nonexistent\x.sys'
not_a_driver=$build/wine/sc-not-a-driver.sys
echo "not a driver" >"$not_a_driver"
expect 5 "load.cmd with a file that is no driver" "$WINE" cmd /c "$load_cmd" "$(winpath "$not_a_driver")" notadriver
expect_text "^load.cmd: notadriver did not start" "  says it did not start"
expect 0 "unload.cmd of it" "$WINE" cmd /c "$unload_cmd" notadriver

wine_session_end
out=$(wine_driver_log)
expect_text "^minwdm: info: DriverEntry: loaded, version $version" "driver logged its load"
expect_text "^minwdm: info: runtime: unloaded, 0 leaked blocks$" "driver logged its unload, no leaks"
loads=$(printf '%s\n' "$out" | grep -c '^minwdm: info: DriverEntry: loaded')
[ "$loads" -eq 2 ] && pass "loaded once by sc.exe, once by load.cmd" || fail "expected 2 loads, saw $loads"
finish
