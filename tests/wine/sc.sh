#!/usr/bin/env bash
# Wine's own sc.exe loads the same driver, and a client that knows only include/minwdm/ioctl.h
# gets correct answers.
#   sc.sh <build-dir> <minwdmctl.exe> <minwdm.sys> <ioctl_client.exe> <minwdm_build.h>
set -u
here=$(dirname "$0")
. "$here/../../scripts/wine-lib.sh"
. "$here/assert.sh"
build=$1 ctl_exe=$2 sys=$3 client=$4 header=$5
read_build_info "$header"

wine_session_begin "$build" sc

# Wine's sc.exe exits with 1 even after a successful create: sc query tells.
"$WINE" sc create minwdm type= kernel binpath= "$(winpath "$sys")" >/dev/null 2>&1
expect 0 "sc query after sc create" "$WINE" sc query minwdm
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

wine_session_end
out=$(wine_driver_log)
expect_text "^minwdm: loaded, version $version" "driver logged its load"
expect_text "^minwdm: unloaded$" "driver logged its unload"
finish
