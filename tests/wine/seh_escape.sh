#!/usr/bin/env bash
# An exception that escapes a driver (seh_escape.sys, tests/drivers/seh/escape.c: a bad address
# read with no __try; built with every compiler), from each routine the kernel calls: its
# dispatch routine (on Windows bug check 0x3B), DriverUnload and DriverEntry (0x7E), a DPC, a
# timer's DPC and a completion routine (0x1E), a work item and a system thread (0x7E). Under Wine
# 8 alone, with the driver as built (shown first, not relied on: docs/wine.md): the driver host
# dies of an unhandled page fault. In the kit's test build the exception guard catches each
# first: the run fails, naming the exception, the routine, Windows' bug check and the faulting
# file:line; an exception raised outside the image (DbgBreakPoint) names the driver's call.
# All in one Wine session: each run is a service of its own.
#   seh_escape.sh <build-dir> <minwdmctl.exe> <seh_escape.sys> <test build of it>
#                 <seh_client.exe> <escape.c>
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/assert.sh"
. "$here/../../toolchain/wine/session.sh"
build=$1 ctl_exe=$2 plain=$3 image=$4 client=$5 source=$6

# run <service> <image> [<client mode>]: `minwdmctl test` in the session, as run-test.sh runs it:
# its output, then the crash report of this run's part of the session's output, into $out.
run() {
    local service=$1 driver=$2 full_log=$WINE_LOG offset report
    local client_args=()
    [ $# -lt 3 ] || client_args=(--client "$(winpath "$client")" "$3")
    offset=$(stat -c %s "$WINE_LOG" 2>/dev/null || echo 0)
    "$WINE" "$ctl_exe" test "$(winpath "$driver")" --name "$service" --timeout 20 \
        "${client_args[@]}" >"$WINE_SESSION_DIR/$service.out" 2>&1
    rc=$?
    WINE_LOG=$WINE_SESSION_DIR/$service.log
    tail -c +$((offset + 1)) "$full_log" >"$WINE_LOG"
    report=$(wine_crash_report 2>&1)
    WINE_LOG=$full_log
    out=$(wine_symbolize_sites "$driver" <"$WINE_SESSION_DIR/$service.out")$'\n'$report
    out=${out//$'\r'/}
    printf '%s\n' "$out" | sed 's/^/    /'
    if [ "$rc" -ne 0 ]; then
        pass "$service: the run failed (exit $rc)"
    else
        fail "$service: the run passed"
    fi
}

# expect_escape <what> <routine as the guard names it> <bug check> <its name> <line marker>
expect_escape() {
    local line
    line=$(source_line "$source" "$5")
    expect_text "verifier: exception: STATUS_ACCESS_VIOLATION \(0xC0000005\) reading 0x10 escaped the $2 at" \
        "  $1: the exception, what it read and the routine, named"
    expect_text "Windows bug-checks $3 \($4\)" "  Windows' bug check, named by the guard"
    expect_text "crash report: bug check $3 \($4\)" "  and raised: the crash report's"
    expect_text "^ *at: .*escape\.c:$line\$" "  the faulting line, escape.c:$line"
    if printf '%s\n' "$out" | grep -q "verifier: irql:"; then
        fail "  the guard's own work broke no IRQL rule"
    else
        pass "  the guard's own work broke no IRQL rule"
    fi
}

wine_session_begin "$build" "seh-escape"

echo "--- the driver as built (no guard): what Wine 8 itself does"
run seh_wine "$plain" escape
expect_text "crash report: page fault on read access to 0+10\b" "  Wine alone: an unhandled page fault"

echo "--- the test build: a dispatch routine reads 0x10"
run seh_escape "$image" escape
expect_escape "dispatch routine" "dispatch routine" 0x3B SYSTEM_SERVICE_EXCEPTION SEH_ESCAPE_LINE

echo "--- the test build: DriverUnload reads 0x10"
run seh_unload "$image" unload
expect_escape "DriverUnload" "DriverUnload" 0x7E SYSTEM_THREAD_EXCEPTION_NOT_HANDLED \
    SEH_ESCAPE_UNLOAD_LINE

echo "--- the test build: DriverEntry reads 0x10 (EscapeInDriverEntry in its service key)"
"$WINE" "$ctl_exe" --name seh_entry install "$(winpath "$image")" >/dev/null 2>&1
expect 0 "EscapeInDriverEntry 16 in its service key" \
    reg_dword 'HKLM\System\CurrentControlSet\Services\seh_entry' EscapeInDriverEntry 16
run seh_entry "$image"
expect_escape "DriverEntry" "DriverEntry" 0x7E SYSTEM_THREAD_EXCEPTION_NOT_HANDLED \
    SEH_ESCAPE_ENTRY_LINE
expect_text "crash|crashed" "  reported as a crash"
if printf '%s\n' "$out" | grep -Eq "1053|did not return in time|timed out|timeout"; then
    fail "  not as a timeout or error 1053"
else
    pass "  not as a timeout or error 1053"
fi

for site in dpc:"DPC routine":0x1E:KMODE_EXCEPTION_NOT_HANDLED:DPC \
    timer:"timer DPC routine":0x1E:KMODE_EXCEPTION_NOT_HANDLED:TIMER \
    work-item:"work item":0x7E:SYSTEM_THREAD_EXCEPTION_NOT_HANDLED:WORK_ITEM \
    completion:"completion routine":0x1E:KMODE_EXCEPTION_NOT_HANDLED:COMPLETION \
    thread:"system thread":0x7E:SYSTEM_THREAD_EXCEPTION_NOT_HANDLED:THREAD; do
    IFS=: read -r mode routine code name marker <<<"$site"
    echo "--- the test build: its $routine reads 0x10"
    run "seh_${marker,,}" "$image" "$mode"
    expect_escape "$routine" "$routine" "$code" "$name" "SEH_ESCAPE_${marker}_LINE"
done

echo "--- the test build: its dispatch routine calls DbgBreakPoint (no kernel debugger)"
run seh_breakpoint "$image" breakpoint
expect_text "verifier: exception: STATUS_BREAKPOINT \(0x80000003\) escaped the dispatch routine at 0x[0-9a-f]+ \(outside the driver's image, called from 0x[0-9a-f]+, " \
    "  raised outside the image: the guard names the driver's call"
expect_text "crash report: bug check 0x3B \(SYSTEM_SERVICE_EXCEPTION\)" "  and raised: the crash report's"
line=$(source_line "$source" SEH_ESCAPE_BREAKPOINT_LINE)
expect_text "^ *at: .*escape\.c:$line\$" "  the report's at: is the driver's call, escape.c:$line"
expect_text "^ *raised at: " "  and where it was raised, apart"
wine_session_end 2>/dev/null # its crash report: each run's is above
finish
