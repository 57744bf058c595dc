#!/usr/bin/env bash
# The verifier on a plain WDK-style driver (tests/drivers/verify/planted_wdk.c, no kit header,
# not RUNTIME) under Wine, in one session:
# 1. one client run plants every bug (one request each): `minwdmctl test` exits 1, the client run
#    fails with each immediate rule and the unload with each unload rule, each naming the line
#    marked "plant: <bug>" in the source (symbolized from the PDB or DWARF by run-test.sh's
#    filter), or for a rule judged when a routine returns, that routine (completion routines
#    included: run at DISPATCH_LEVEL, a PASSIVE_LEVEL call from one is `irql`);
# 2. a double free, a recursive spin lock and an IRP completed twice (a corruption or a hang on
#    Windows): reported, the call not passed on, the driver stopped cleanly, and the clean run
#    after them passes with no finding;
# 3. fault injection (minwdmctl fail-alloc) reaches a plain pool routine of the driver, and
#    `minwdmctl unload` prints the findings of the load it ended.
#   verifier.sh <build-dir> <minwdmctl.exe> <planted variant .sys> <client.exe> <planted_wdk.c>
set -u
here=$(dirname "$0")
. "$here/../../scripts/wine-lib.sh"
. "$here/assert.sh"
build=$1 ctl_exe=$2 image=$3 client=$4 source=$5
file=${source##*/}

# minwdmctl test of the planted driver with the client planting the bugs named, symbolized.
planted() {
    "$WINE" "$ctl_exe" test "$(winpath "$image")" --name verifier_planted --timeout 20 \
        --client "$(winpath "$client")" "$@" | wine_symbolize_sites "$image"
    return "${PIPESTATUS[0]}"
}

# The line of "plant: <bug>" in the driver's source.
line_of() {
    local found
    found=$(grep -n "plant: $1\\b" "$source" | head -n 1)
    case $found in
    *"(the next line)"*) echo $((${found%%:*} + 1)) ;;
    *) echo "${found%%:*}" ;;
    esac
}

# expect_finding <rule> <bug>: the rule reported at the planted line.
expect_finding() {
    local line
    line=$(line_of "$2")
    expect_text "verifier: $1: .* at [a-z_]+ \\([^()]*$file:$line\\)\$" "$1 at $file:$line ($2)"
}

# expect_routine <rule> <routine>: the rule reported at the routine judged when it returned.
expect_routine() {
    expect_text "verifier: $1: .* at $2 \\([^()]*$file:[0-9]+\\)\$" "$1 at $2"
}

wine_session_begin "$build" verifier

expect 1 "every bug planted in one client run: minwdmctl test fails" planted \
    irql irql_wait paged_code irql_not_restored pool_leak pool_double_free pool_tag \
    pool_executable lock_held_on_return lock_recursive lock_not_owner lock_order \
    irp_pending_unmarked irp_completed_twice irp_status_mismatch irp_information irp_lost \
    irp_completed_pending dpc_lock_held completion_irql completion_irql_not_restored \
    completion_lock_held unload_callback unload_timer unload_workitem unload_thread \
    unload_device unload_symlink unload_mdl unload_reference unload_handle unload_irp
expect_text "^FAIL client$" "the client run fails"
expect_text "^FAIL unload$" "the unload fails"
expect_finding irql irql
expect_text "verifier: irql: ExAllocatePoolWithTag called at DISPATCH_LEVEL \\(2\\), above its maximum APC_LEVEL" \
    "  paged pool at DISPATCH_LEVEL, with both IRQLs"
expect_finding irql irql_wait
expect_text "verifier: paged-code: PAGED_CODE\\(\\) reached at DISPATCH_LEVEL .* at paged_helper \\(.*$file:$(line_of paged_code)\\)\$" \
    "paged-code at $file:$(line_of paged_code)"
expect_routine irql-not-restored device_control
expect_finding pool-double-free pool_double_free
expect_finding pool-tag pool_tag
expect_text "verifier: pool-tag: ExFreePoolWithTag\\(.*, 'Wrng'\\): the block was allocated with tag 'Plnt'" \
    "  both tags named"
expect_finding pool-executable pool_executable
expect_routine lock-held-on-return device_control
expect_routine lock-held-on-return lock_dpc_routine
expect_finding irql completion_irql
expect_text "verifier: irql: MmGetSystemRoutineAddress called at DISPATCH_LEVEL \\(2\\), above its maximum PASSIVE_LEVEL .* at completion_passive_call " \
    "  a PASSIVE_LEVEL routine from a completion routine (run at DISPATCH_LEVEL)"
expect_routine irql-not-restored completion_lowers_irql
expect_text "verifier: irql-not-restored: a completion routine returned at IRQL 0, called at 2" \
    "  named a completion routine, both IRQLs"
expect_routine lock-held-on-return completion_keeps_lock
expect_text "verifier: lock-held-on-return: a completion routine returned holding spin lock" \
    "  named a completion routine"
expect_finding lock-recursive lock_recursive
expect_finding lock-not-owner lock_not_owner
expect_finding lock-order lock_order
expect_routine irp-pending-unmarked device_control
expect_finding irp-completed-twice irp_completed_twice
expect_routine irp-status-mismatch device_control
expect_finding irp-information irp_information
expect_text "verifier: irp-information: IRP_MJ_DEVICE_CONTROL 0x[0-9a-f]+ completed with Information 4096, larger than its 16-byte output buffer" \
    "  Information and the buffer's size named"
expect_routine irp-lost device_control
expect_finding irp-completed-pending irp_completed_pending
expect_finding pool-leak pool_leak
expect_finding unload-callback unload_callback
expect_finding unload-timer unload_timer
expect_finding unload-workitem unload_workitem
expect_finding unload-thread unload_thread
expect_finding unload-device unload_device
expect_finding unload-symlink unload_symlink
expect_finding unload-mdl unload_mdl
expect_finding unload-reference unload_reference
expect_finding unload-handle unload_handle
expect_text "verifier: unload-irp: IRP_MJ_DEVICE_CONTROL 0x[0-9a-f]+ still pending at unload after [0-9.]+ s, with NO cancel routine.* at device_control " \
    "unload-irp: the pending request, its age, no cancel routine, its dispatch routine"

expect 1 "a double free, a recursive spin lock, an IRP completed twice: reported, not passed on" \
    planted pool_double_free lock_recursive irp_completed_twice
for bug in pool_double_free lock_recursive irp_completed_twice; do
    expect_finding "${bug//_/-}" "$bug"
done
expect_text "^FAIL client$" "  the client run fails"
expect_text "^ok   unload$" "  the driver stopped cleanly: nothing left behind"
expect 0 "the clean run after them passes: no finding" planted clean
expect_text "^ok   client$" "  the client run passes"
expect_text "^clean: done" "  its completion routine ran at DISPATCH_LEVEL (the request fails otherwise)"

# Fault injection reaches every pool routine of a verified driver, not only the kit's allocator.
ctl() { "$WINE" "$ctl_exe" "$@"; }
expect 0 "load the verified driver by hand" ctl --name verifier_probe load "$(winpath "$image")"
expect 0 "fail-alloc 1" ctl --name verifier_probe fail-alloc 1
expect 0 "an ExAllocatePoolWithQuotaTag in the driver" "$WINE" "$client" pool_probe
expect_text "^pool_probe: failed" "  fails: the injected failure reached it"
expect 0 "its numbers" ctl --name verifier_probe stats
expect_text "injected 1\)" "  counted as injected"
expect 0 "the next one" "$WINE" "$client" pool_probe
expect_text "^pool_probe: done" "  succeeds"
expect 0 "a leak planted" "$WINE" "$client" pool_leak
expect 0 "minwdmctl unload" ctl --name verifier_probe unload
expect_text "^  .*verifier: pool-leak: 48 bytes of nonpaged pool, tag 'Plnt'" "  prints the finding of the load it ended"

wine_session_end
finish
