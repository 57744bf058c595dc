#!/usr/bin/env bash
# 200 load/unload cycles under Wine through minwdmctl's library (churn.exe): every cycle starts
# the driver, reads its statistics through a handle and stops it; every unload reports 0 leaked
# blocks.
#   churn.sh <build-dir> <minwdm.sys> <churn.exe> <cycles>
set -u
here=$(dirname "$0")
. "$here/../../scripts/wine-lib.sh"
. "$here/assert.sh"
build=$1 sys=$2 churn=$3 cycles=$4

wine_session_begin "$build" churn
expect 0 "$cycles load/unload cycles" "$WINE" "$churn" "$(winpath "$sys")" "$cycles"
expect_text "^$cycles of $cycles load/unload cycles worked$" "  all worked"
wine_session_end
out=$(wine_driver_log)
loads=$(printf '%s\n' "$out" | grep -c '^minwdm: info: DriverEntry: loaded')
clean=$(printf '%s\n' "$out" | grep -c '^minwdm: info: runtime: unloaded, 0 leaked blocks$')
if [ "$loads" -eq "$cycles" ] && [ "$clean" -eq "$cycles" ]; then
    pass "$loads loads, $clean unloads with 0 leaked blocks"
else
    fail "$loads loads and $clean clean unloads, $cycles of each expected"
fi
finish
