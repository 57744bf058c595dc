#!/usr/bin/env bash
# Low memory under Wine, as Driver Verifier's low-resources simulation would make it: every
# allocation of DriverEntry fails in turn (the AllocFailAt value of the service key), then every
# allocation of each request path and of an open (IOCTL_MINWDM_FAIL_ALLOC, on the benchmark
# build, whose IOCTL_MINWDM_BENCH allocates). Each failure is a clean STATUS_INSUFFICIENT_RESOURCES
# with the driver's log saying why, nothing leaks, and the driver keeps working.
#   low_memory.sh <build-dir> <minwdmctl.exe> <minwdm.sys> <minwdm_bench.sys> <hardening.exe>
set -u
here=$(dirname "$0")
. "$here/../../scripts/wine-lib.sh"
. "$here/assert.sh"
build=$1 ctl_exe=$2 sys=$3 bench_sys=$4 hardening=$5
ctl() { "$WINE" "$ctl_exe" "$@"; }
service_key='HKLM\SYSTEM\CurrentControlSet\Services\minwdm'

wine_session_begin "$build" low-memory
expect 0 "install" ctl install "$(winpath "$sys")"
started_at=0
for nth in $(seq 1 16); do
    said=$("$WINE" reg add "$service_key" /v AllocFailAt /t REG_DWORD /d "$nth" /f 2>&1) ||
        { out=$said; fail "reg add AllocFailAt $nth"; }
    out=$(ctl start 2>&1)
    rc=$?
    out=${out//$'\r'/}
    if [ "$rc" -eq 0 ]; then
        started_at=$nth
        break
    fi
    if [ "$rc" -eq 5 ] &&
        printf '%s\n' "$out" | grep -q "DriverEntry returned: NTSTATUS 0xC000009A (STATUS_INSUFFICIENT_RESOURCES)" &&
        printf '%s\n' "$out" | grep -q "^minwdm: error: runtime: DriverEntry failed: STATUS_INSUFFICIENT_RESOURCES$" &&
        printf '%s\n' "$out" | grep -q "^minwdm: info: runtime: not loaded, 0 leaked blocks$"; then
        pass "DriverEntry with allocation $nth failing: a clean STATUS_INSUFFICIENT_RESOURCES, its log says why, nothing leaked"
    else
        fail "DriverEntry with allocation $nth failing: exit $rc"
    fi
done
"$WINE" reg delete "$service_key" /v AllocFailAt /f >/dev/null 2>&1
[ "$started_at" -gt 1 ] && pass "DriverEntry makes $((started_at - 1)) allocations, each failed in turn; it starts once all succeed" ||
    fail "the driver never started, or started with its first allocation failing ($started_at)"
expect 0 "unload" ctl unload

expect 0 "load the benchmark build" ctl --name minwdm load "$(winpath "$bench_sys")"
expect 0 "every allocation of each request path failed in turn" "$WINE" "$hardening" low-memory
expect 0 "unload it" ctl unload
wine_session_end

out=$(wine_driver_log)
if printf '%s\n' "$out" | grep -Eq "memory: (leak|overrun|underrun|double free|foreign|wrong tag|written after)"; then
    fail "the allocator reported something: $(printf '%s\n' "$out" | grep -E "memory: " | head -3)"
else
    pass "no leak and no misuse reported through it all"
fi
expect_text "^minwdm: info: runtime: unloaded, 0 leaked blocks$" "unloaded with nothing leaked"
finish
