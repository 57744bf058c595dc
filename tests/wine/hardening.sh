#!/usr/bin/env bash
# The running driver against hostile and unlucky callers under Wine (hardening.exe): 20,000
# random requests, then it still answers with its numbers intact; 200 handles closed in odd
# orders; requests on fresh handles while it stops and starts ten times. Nothing but handle
# contexts may be reported at an unload (Wine 8, unlike Windows, unloads a driver whose handles
# are still open), and the last unload leaks nothing. Then, with the benchmark build, timed
# requests from four threads at once: Wine 8 serves them one at a time (the host tests run the
# request and control cores from several threads instead).
#   hardening.sh <build-dir> <minwdmctl.exe> <minwdm.sys> <hardening.exe> <minwdm_bench.sys> [seed]
set -u
here=$(dirname "$0")
. "$here/../../scripts/wine-lib.sh"
. "$here/assert.sh"
build=$1 ctl_exe=$2 sys=$3 hardening=$4 bench_sys=$5 seed=${6:-20261121}
ctl() { "$WINE" "$ctl_exe" "$@"; }

wine_session_begin "$build" hardening
expect 0 "load" ctl load "$(winpath "$sys")"
expect 0 "20,000 random requests (seed $seed)" "$WINE" "$hardening" fuzz "$seed" 20000
expect_text "^# 20000 requests" "  all sent"
expect 0 "200 handles, closed in odd orders" "$WINE" "$hardening" handles 200
expect 0 "requests while the driver stops and starts" "$WINE" "$hardening" stop-race 10
expect 0 "unload" ctl unload
expect 0 "load the benchmark build" ctl --name minwdm load "$(winpath "$bench_sys")"
expect 0 "timed requests from four threads at once" "$WINE" "$hardening" concurrency 4 5
expect_text "^# 4 threads x 5 requests: .* 0 of 190 pairs provably in the driver at once" \
    "  served one at a time (Wine 8)"
printf '%s\n' "$out" | grep '^#'
expect 0 "unload it" ctl unload
wine_session_end

out=$(wine_driver_log)
if printf '%s\n' "$out" | grep -a "memory: " | grep -av "memory: leak (freed at unload): [0-9A-F]* tag 'MwHd' 8 bytes from dispatch_create:" | grep -aq .; then
    fail "the allocator reported more than handles open at an unload: $(printf '%s\n' "$out" | grep -a "memory: " | grep -av MwHd | head -3)"
else
    pass "the allocator reported nothing but handles left open at an unload"
fi
last=$(printf '%s\n' "$out" | grep -a '^minwdm: info: runtime: unloaded' | tail -1)
[ "$last" = "minwdm: info: runtime: unloaded, 0 leaked blocks" ] &&
    pass "the last unload leaked nothing" || fail "last unload: $last"
finish
