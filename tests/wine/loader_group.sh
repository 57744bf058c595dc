#!/usr/bin/env bash
# install --group: the service's load-order group, shown by status (text and JSON), changed and
# kept by a later install; two drivers of one group run in one driver host (winedevice.exe), two
# without a group in two (which process hosts a driver: the one that maps its image).
#   loader_group.sh <build-dir> <minwdmctl.exe> <minwdm.sys> <hello.sys>
set -u
here=$(dirname "$0")
. "$here/../../scripts/wine-lib.sh"
. "$here/assert.sh"
build=$1 ctl_exe=$2 sys=$3 hello=$4
ctl() { "$WINE" "$ctl_exe" "$@"; }
sys_win=$(winpath "$sys")
hello_win=$(winpath "$hello")

# The driver hosts of this prefix that have <image> mapped.
hosts_of() {
    local pid
    for pid in $(wine_prefix_pids 'winedevice\.exe' "$WINEPREFIX"); do
        grep -qF "/$1" "/proc/$pid/maps" 2>/dev/null && echo "$pid"
    done
}

# expect_hosts <same|apart> <what>: where minwdm.sys and hello.sys run.
expect_hosts() {
    local a b
    a=$(hosts_of "$(basename "$sys")") b=$(hosts_of "$(basename "$hello")")
    out="minwdm.sys in host(s) [$a], hello.sys in [$b]"
    if [ -z "$a" ] || [ -z "$b" ] || [ "$(echo $a | wc -w)" -ne 1 ] || [ "$(echo $b | wc -w)" -ne 1 ]; then
        fail "$2: each driver in one host"
    elif { [ "$1" = same ] && [ "$a" = "$b" ]; } || { [ "$1" = apart ] && [ "$a" != "$b" ]; }; then
        pass "$2"
    else
        fail "$2"
    fi
}

wine_session_begin "$build" loader-group
expect 0 "install with --group" ctl install "$sys_win" --group minwdm_test
expect_text "^installed: .*minwdm.sys \\(kernel driver, demand start, group minwdm_test\\)$" "  says the group"
expect 0 "status" ctl status
expect_text "^group: +minwdm_test$" "  shows the group"
expect 0 "status --json" ctl status --json
expect_text '"group": "minwdm_test"' "  JSON too"
expect 0 "install again" ctl install "$sys_win"
expect_text "^already installed: .*\\(demand start, group minwdm_test\\)$" "  keeps the group"
expect 0 "install in another group" ctl install "$sys_win" --group other
expect_text "\\(demand start, group minwdm_test\\): updated to .*\\(demand start, group other\\)$" "  says what changed"
expect 0 "and back" ctl install "$sys_win" --group minwdm_test
expect 2 "--group without a name" ctl install "$sys_win" --group ""
expect_text "--group needs a value" "  says so"
expect 2 "--group on another command" ctl status --group minwdm_test

expect 0 "load hello in the same group" ctl --name hello load "$hello_win" --group minwdm_test
expect 0 "start minwdm" ctl start
expect_hosts same "one group: one driver host"
expect 0 "both answer: minwdm" ctl version
expect 0 "both answer: hello" ctl --name hello stats
expect 0 "unload both" bash -c "'$WINE' '$ctl_exe' unload && '$WINE' '$ctl_exe' --name hello unload"

expect 0 "load both without a group" bash -c \
    "'$WINE' '$ctl_exe' load '$sys_win' && '$WINE' '$ctl_exe' --name hello load '$hello_win'"
expect 0 "status without a group" ctl status
expect_text "^group: +\\(none\\)$" "  shows none"
expect_hosts apart "no group: a driver host each"
expect 0 "unload both" bash -c "'$WINE' '$ctl_exe' unload && '$WINE' '$ctl_exe' --name hello unload"
wine_session_end
finish
