#!/usr/bin/env bash
# Stack cookies: a kernel test that overruns a stack buffer (tests/drivers/stack_overrun_test.c)
# ends its run through bug check 0xF7 (DRIVER_OVERRAN_STACK_BUFFER), and the report names the
# function that overran, with its file and line, before the host is gone.
#   stack_cookie.sh <build-dir> <minwdmctl.exe> <stack_overrun test image>
set -u
here=$(dirname "$0")
. "$here/assert.sh"
build=$1 ctl_exe=$2 image=$3
source_file="$here/../drivers/stack_overrun_test.c"

expect 5 "the overrunning kernel test ends the run (host crashed: minwdmctl exits 5)" \
    bash "$here/../../toolchain/wine/run-test.sh" "$build" stack-cookie "$ctl_exe" test "$image" \
    --name minwdm_stack_overrun --timeout 10
expect_text "^ *minwdm: stack cookie: a stack buffer overrun in the function that called from 0x[0-9a-f]+ \\(image\\+0x[0-9a-f]+\\)" \
    "the driver logged the overrun before the bug check"
expect_text "^crash report: bug check 0xF7 \\(DRIVER_OVERRAN_STACK_BUFFER\\)" "the bug check is 0xF7, named"
first=$(grep -n 'static __attribute__((noinline)) ULONG copy_name' "$source_file" | cut -d: -f1)
expect_text "^  overran: stack_overrun_kernel_driver\\.sys\\+0x[0-9a-f]+  copy_name  /.*/stack_overrun_test\\.c:[0-9]+$" \
    "the report names the function that overran: copy_name (stack_overrun_test.c, from line $first)"
# The guard the check compared with (bug check parameter 2, its complement parameter 3): set by
# the entry point from the CPU's random numbers, low byte 0, not the constant it starts as.
guard=$(printf '%s\n' "$out" | sed -n 's/^crash report: bug check 0xF7 .*parameters 0x0, \(0x[0-9a-f]*\), \(0x[0-9a-f]*\),.*/\1 \2/p')
read -r value complement <<<"$guard"
if [ -n "$value" ] && [ $((value & 0xFF)) -eq 0 ] && [ $((value ^ complement)) -eq -1 ] &&
    [ "$value" != 0x2b992ddfa200 ] && [ $((value >> 8)) -ne 0 ]; then
    pass "the guard was set before any driver code: $value (low byte 0, parameter 3 its complement)"
else
    fail "the guard in the bug check: '$guard'"
fi
finish
