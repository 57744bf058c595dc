#!/usr/bin/env bash
# From a new prefix: `minwdmctl load <sys> && minwdmctl version && minwdmctl unload`, twice.
#   load_twice.sh <build-dir> <minwdmctl.exe> <minwdm.sys> <ioctl_client.exe> <minwdm_build.h>
set -u
here=$(dirname "$0")
. "$here/../../scripts/wine-lib.sh"
. "$here/assert.sh"
build=$1 ctl_exe=$2 sys=$3 header=$5
read_build_info "$header"
sys_win=$(winpath "$sys")

wine_session_begin "$build" load-twice
for round in 1 2; do
    expect 0 "round $round: load && version && unload" bash -c \
        "'$WINE' '$ctl_exe' load '$sys_win' && '$WINE' '$ctl_exe' version && '$WINE' '$ctl_exe' unload"
    expect_text "^started$" "  started"
    expect_text "^driver $version, ABI $abi, build $build_id$" "  answered"
    expect_text "^removed$" "  removed"
done
wine_session_end
finish
