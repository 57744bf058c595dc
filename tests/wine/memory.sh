#!/usr/bin/env bash
# The allocator in the real driver under Wine: the in-kernel self tests, statistics (text and
# JSON), failure injection by IOCTL, the benchmark build's IOCTL, and a test driver that misuses
# the allocator in every way. (Low memory, churn: low_memory.sh, churn.sh.)
#   memory.sh <build-dir> <minwdmctl.exe> <minwdm.sys> <minwdm_bench.sys> <misbehave.sys>
set -u
here=$(dirname "$0")
. "$here/../../scripts/wine-lib.sh"
. "$here/assert.sh"
build=$1 ctl_exe=$2 sys=$3 bench_sys=$4 misbehave=$5
ctl() { "$WINE" "$ctl_exe" "$@"; }

wine_session_begin "$build" memory

expect 0 "load" ctl load "$(winpath "$sys")"
expect 0 "selftest" ctl selftest
expect_text "^[0-9]+ passed, 0 failed$" "  every in-kernel check passes"
expect 0 "stats" ctl stats
expect_text "^pool: +(ExAllocatePoolWithTag\\(NonPagedPoolNx\\)|ExAllocatePool2), zeroed by minwdm$" \
    "  a pool minwdm zeroes (Wine 8 has no ExAllocatePool2; Wine 10's does not zero)"
# stats asks the runtime's control device, which keeps no handle context: only the handle cache
expect_text "^outstanding: +1 blocks" "  the handle cache"
expect_text "^detections: +double_frees 0, overruns 0, underruns 0, foreign_frees 0" "  no detections"
expect_text "^handles +MwHd +8 +0 " "  the handle cache: no handle of minwdm's open"
expect 0 "stats --json" ctl stats --json
expect_text '"outstanding_blocks": 1, .*"events": \{"double_frees": 0, ' "  JSON"
expect_text '\{"name": "handles", "tag": "MwHd", "object_size": 8, "outstanding": 0, ' "  JSON caches"

# The next open's handle context cannot be allocated: IRP_MJ_CREATE fails. (Windows fails the
# CreateFile with error 1450; Wine 8 does not pass the status on and opens a handle without
# context, which the driver serves as well.)
expect 0 "fail-alloc 1" ctl fail-alloc 1
expect_text "^allocation 1 from now on will fail$" "  armed"
expect 0 "an open whose context cannot be allocated" ctl version
expect 0 "stats" ctl stats
expect_text "^allocations: .*failures 1, injected 1\\)$" "  the failure was injected and counted"
expect_text "^outstanding: +1 blocks" "  nothing leaked on the failure path"
expect 0 "fail-alloc 0" ctl fail-alloc 0
expect_text "^failure injection off$" "  off"
expect 2 "fail-alloc without a count" ctl fail-alloc many
expect 5 "bench on the release build" ctl bench general 64 100
expect_text "this driver has no benchmark: release builds leave it out" "  refused: benchmarks are not in the release driver"
expect 0 "unload" ctl unload

expect 0 "load the benchmark build" ctl --name minwdm load "$(winpath "$bench_sys")"
expect 0 "bench general 64 1000" ctl bench general 64 1000
expect_text "^general 64 bytes: 1000 pairs in [0-9]+ ticks at [0-9]+ Hz: [0-9.]+ ns per pair$" "  times pairs"
expect 2 "bench with a bad path" ctl bench nothing 64 1000
expect 0 "unload it" ctl unload

expect 0 "load a driver that misuses the allocator" ctl --name misbehave load "$(winpath "$misbehave")" --force
expect 0 "unload it" ctl --name misbehave unload

wine_session_end
out=$(wine_driver_log)
for misuse in "overrun" "underrun \\(block kept\\)" "double free" "foreign pointer freed" \
    "wrong tag" "written after free" "leak \\(freed at unload\\)"; do
    expect_text "^misbehave: error: memory: $misuse: " "misbehave: $misuse reported"
done
# The allocation sites, exact: the docs quote these lines.
misbehave_c="$(dirname "$0")/../drivers/misbehave.c"
expect_text "^misbehave: error: memory: leak \\(freed at unload\\): [0-9A-F]+ tag 'Bad1' 100 bytes from DriverEntry:$(source_line "$misbehave_c" "POOL_ALLOC(100, TAG);")\$" \
    "misbehave: the leak's size, tag and exact allocation site"
expect_text "^misbehave: error: memory: overrun: [0-9A-F]+ tag 'Bad1' 64 bytes from DriverEntry:$(source_line "$misbehave_c" "/* overrun */" )\$" \
    "misbehave: the overrun's exact allocation site"
expect_text "^misbehave: info: runtime: unloaded, 3 leaked blocks$" "misbehave: four leaks found and freed; the host survived"
expect_text "^minwdm: info: runtime: unloaded, 0 leaked blocks$" "minwdm unloaded with nothing leaked"
finish
