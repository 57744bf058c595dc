#!/usr/bin/env bash
# Crash reports of the Wine harness (toolchain/wine/crash-report.sh), through run-test.sh as
# add_wdm_test runs it: the fault drivers (tests/drivers/faults.c) fault in their request handler
# when minwdmctl, as the client, sends them a request. Each run fails within seconds with a
# report that says what happened and where: module+offset, function and file:line, the stack,
# the driver's last log lines. An import Wine lacks is named before the run.
#   crash_report.sh <build-dir> <minwdmctl.exe> <faults.sys> <faults_imports.sys> <wdmimage>
set -u
here=$(dirname "$0")
. "$here/assert.sh"
build=$1 ctl_exe=$2 faults=$3 faults_imports=$4 wdmimage=$5
run_test="$here/../../toolchain/wine/run-test.sh"
source_file="$here/../drivers/faults.c"

run() { # <session> <image> <request code>: the image's test, with minwdmctl sending the request
    bash "$run_test" "$build" "faults-$1" "$ctl_exe" test "$2" --name minwdm_faults --timeout 10 \
        --client "$ctl_exe" --device '\\.\minwdm_faults' ioctl "$3"
}

line_of() { # the line of faults.c that holds <text>
    grep -nF -- "$1" "$source_file" | head -n 1 | cut -d: -f1
}

# <session> <image> <code> <what>: runs it, expects the crash (minwdmctl test exits 5) in time.
crash_run() {
    local start=$SECONDS
    expect 5 "$4" run "$1" "$2" "$3"
    [ $((SECONDS - start)) -lt 30 ] && pass "  within seconds ($((SECONDS - start)) s)" ||
        fail "  took $((SECONDS - start)) s"
    expect_text "the driver host crashed" "  minwdmctl saw the host crash"
}

# <image> <function> <line> <what>: the report's place of the fault, then the frame in the stack.
expect_place() {
    local module
    module=$(basename "$1")
    expect_text "^  at: ${module//./\\.}\\+0x[0-9a-f]+  $2  /.*/faults\\.c:$3$" \
        "  at $module+offset, $2, faults.c:$3 ($4)"
}

null_line=$(line_of '*nowhere ?')
crash_run null "$faults" 0x815A2000 "a NULL read in the request handler"
expect_text "^crash report: page fault on read access to 0+$" "  what: a page fault, reading 0"
expect_place "$faults" faults_control "$null_line" "the handler"
expect_text "^ +0 faults\\.sys\\+0x[0-9a-f]+  faults_control  " "  the stack starts in the handler"
expect_text "^ +[0-9]+ ntoskrnl\\.exe\\+0x[0-9a-f]+  IoCallDriver  " "  and goes on into Wine: IoCallDriver (through the runtime's route)"
expect_text "^  the driver's last log lines:$" "  the driver's log follows"
expect_text "^    minwdm_faults: info: faults_control: request 0x815a2000$" "  with the request's line"

break_line=$(line_of '__debugbreak();')
crash_run breakpoint "$faults" 0x815A2004 "a breakpoint (__debugbreak) in the request handler"
expect_text "^crash report: breakpoint \\(exception 0x80000003" "  what: a breakpoint"
expect_place "$faults" faults_control "$break_line" "the int 3"
expect_text "^ +[0-9]+ ntoskrnl\\.exe\\+0x[0-9a-f]+  IoCallDriver  " "  a stack too"

bug_check_line=$(line_of 'KeBugCheckEx(')
crash_run bug-check "$faults" 0x815A2008 "KeBugCheckEx in the request handler"
expect_text "^crash report: bug check 0xE2 \\(MANUALLY_INITIATED_CRASH\\), parameters 0x1, 0x2, 0x3, 0x4: the driver called KeBugCheckEx$" \
    "  what: the code, its name and the four parameters"
expect_place "$faults" faults_control "$bug_check_line" "the call of KeBugCheckEx"
expect_text "no stack to walk" "  says why there is no stack"

memcpy_line=$(line_of 'memcpy(*(void *volatile *)&nowhere')
crash_run memcpy "$faults" 0x815A2014 "a memcpy to NULL: the fault inside msvcrt's memcpy"
expect_text "^crash report: page fault on write access to 0+$" "  what: a page fault, writing 0"
expect_place "$faults" faults_control "$memcpy_line" "the driver's line that called memcpy"
# Wine 8's winedbg names memcpy there; Wine 10's names no symbol of msvcrt ("?").
expect_text "^  faulted in: msvcrt\\.dll\\+0x[0-9a-f]+  (memcpy|\\?)  " "  and the module that faulted"
kept=$(printf '%s\n' "$out" | sed -n 's/.*this run.s logs are kept in //p' | tail -n 1)
[ -n "$kept" ] && grep -q "msvcrt" "$kept/winedbg.log" 2>/dev/null &&
    grep -q "faults_control" "$kept/crash-report.txt" 2>/dev/null &&
    pass "  its logs kept, the path printed: ${kept#"$build"/}" ||
    fail "  no kept logs (${kept:-no path printed})"

format_line=$(line_of 'LOG_INFO("name %wZ", bad)')
crash_run format "$faults" 0x815A201C "a bad %wZ argument: the fault inside the kit's formatter"
expect_place "$faults" faults_control "$format_line" "the driver's log line, not the kit's code"
expect_text "^  faulted in: faults\\.sys\\+0x[0-9a-f]+  [a-z_]+  .*/src/runtime/" \
    "  and where in the kit it faulted"

start=$SECONDS
expect 5 "a recursion without end" run recursion "$faults" 0x815A2018
[ $((SECONDS - start)) -lt 15 ] && pass "  within seconds ($((SECONDS - start)) s)" ||
    fail "  took $((SECONDS - start)) s"
expect_text "^crash report: stack overflow in thread" "  reported as a stack overflow"
expect_text "^  at: faults\\.sys\\+0x[0-9a-f]+  recurse  /.*/faults\\.c:[0-9]+ \\(the recursive call: /.*/faults\\.c:[0-9]+\\)$" \
    "  naming the recursing function and its call"
if printf '%s\n' "$out" | grep -q "unloaded"; then
    fail "  no unload line after the crash"
else
    pass "  no unload line after the crash: nothing contradicts it"
fi

# The variant that imports what Wine lacks: named before it runs, and its crash named so.
# The call's place as the image's symbols have it (clang 14 may put a call through the import
# table on the next statement's line): that line or the one after, whichever they name.
call_line=$(line_of 'CmRegisterCallbackEx(NULL')
site=$("$wdmimage" calls "$faults_imports" CmRegisterCallbackEx |
    sed -n '1s/^CmRegisterCallbackEx //p')
symbolizer=$(command -v llvm-symbolizer llvm-symbolizer-16 llvm-symbolizer-15 llvm-symbolizer-14 | head -n 1)
symbolized=$(cd "$(dirname "$faults_imports")" && "$symbolizer" --obj="$(basename "$faults_imports")" \
    --relative-address "${site:-0}" | sed -n '2s/.*faults\.c:\([0-9]*\).*/\1/p')
if [ -n "$symbolized" ] && [ "$symbolized" -ge "$call_line" ] && [ "$symbolized" -le $((call_line + 1)) ]; then
    pass "the image's symbols put the call of CmRegisterCallbackEx ($site) at faults.c:$symbolized (written at $call_line)"
    call_line=$symbolized
else
    fail "the image's symbols put the call (${site:-not found}) at faults.c:${symbolized:-?}, not at $call_line or the next line"
fi
crash_run unimplemented "$faults_imports" 0x815A200C "a call of CmRegisterCallbackEx, which Wine 8 lacks"
expect_text "^warning: faults_imports\\.sys imports CmRegisterCallbackEx, which this Wine does not implement \\(.*ntoskrnl\\.exe does not export it\\): a call ends the driver host$" \
    "  named before the run: CmRegisterCallbackEx"
expect_text "^warning: faults_imports\\.sys imports ExAllocatePoolWithTagPriority, which this Wine does not implement \\(a stub in .*ntoskrnl\\.exe\\)" \
    "  and the stub ExAllocatePoolWithTagPriority"
warned=$(printf '%s\n' "$out" | grep -n 'imports CmRegisterCallbackEx' | head -n 1 | cut -d: -f1)
ran=$(printf '%s\n' "$out" | grep -n 'has no kernel tests' | head -n 1 | cut -d: -f1)
[ -n "$warned" ] && [ -n "$ran" ] && [ "$warned" -lt "$ran" ] &&
    pass "  the warning comes before minwdmctl runs (line $warned, then $ran)" ||
    fail "  the warning (line ${warned:-none}) does not come before the run (line ${ran:-none})"
expect_text "^crash report: the driver called CmRegisterCallbackEx, which this Wine does not implement \\(.*ntoskrnl\\.exe does not export it\\)$" \
    "  what: the call of a function Wine lacks, named"
expect_place "$faults_imports" missing_imports "$call_line" "the call"

# No crash, no report: the report over the first run's Wine output without its crash lines.
out=$(
    . "$here/../../toolchain/wine/session.sh"
    export WINEPREFIX="$build/wine/test-faults-null/prefix"
    WINE_LOG=$(mktemp)
    grep -v -E '^wine: |:err:' "$build/wine/test-faults-null/wine-debug.log" >"$WINE_LOG"
    wine_crash_report 2>&1
    rm -f "$WINE_LOG"
)
[ -z "$out" ] && pass "no crash line in the session's output: no report" ||
    fail "a report without a crash"
finish
