#!/usr/bin/env bash
# `minwdmctl test` (what add_wdm_test runs) against the planted driver's bugs: each fails the
# run with a message that names it, within its deadline, and the next run starts clean.
#   test_command.sh <build-dir> <minwdmctl.exe> <planted test build .sys> <planted_client.exe>
set -u
here=$(dirname "$0")
. "$here/assert.sh"
build=$1 ctl_exe=$2 image=$3 client=$4
run_test="$here/../../toolchain/wine/run-test.sh"
planted_test="$here/../drivers/planted_test.c" planted="$here/../drivers/planted.c"
# The exact lines the messages must name, read from the sources.
eq_line=$(source_line "$planted_test" "EXPECT_EQ(sum, 3);")
test_leak_line=$(source_line "$planted_test" "POOL_ALLOC(64, PLANTED_TAG);")
driver_leak_line=$(source_line "$planted" "POOL_ALLOC(32, PLANTED_TAG);")
run() { # <session> <minwdmctl test arguments...>
    local session=$1
    shift
    bash "$run_test" "$build" "planted-$session" "$ctl_exe" test "$image" --name planted "$@"
}

expect 0 "a passing test and a passing client" run ok --filter passes --client "$client" ok
expect_text "^ok +passes \\([0-9.]+ ms\\)$" "  the test, ok"
expect_text "^ok +client" "  the client, ok"
expect_text "^ok +unload" "  the unload: nothing leaked"
expect_text "^3 passed, 0 failed$" "  the closing line"

expect 1 "a failing EXPECT_EQ" run eq --filter fails_eq
expect_text "^FAIL fails_eq" "  FAIL and the test's name"
expect_text "planted_test.c:$eq_line: sum: got 2 \\(0x2\\), expected 3: 3 \\(0x3\\)$" \
    "  file:line, the expression and both values"
expect_text "^1 passed, 1 failed$" "  counted (the unload passed)"

expect 1 "a block leaked inside a kernel test" run leak-test --filter leaks_in_test
expect_text "^FAIL leaks_in_test" "  the test named"
expect_text "leak: 64 bytes, tag 'Plnt', allocated at minwdm_test_leaks_in_test:$test_leak_line, left by the test" \
    "  tag, size and site"
expect_text "^ok +unload" "  freed after the test: the driver's unload is clean"

expect 1 "a double free inside a kernel test" run double-free --filter double_free_in_test
expect_text "^FAIL double_free_in_test" "  the test during which it happened fails, named"
expect_text "^ +detected during the test:$" "  what was detected, under it"
expect_text "^ +planted: error: memory: double free: " "  the allocator's line"

expect 1 "a block leaked by the driver" run leak-driver --filter none --client "$client" leak
expect_text "^FAIL unload" "  the unload fails"
expect_text "the driver leaked 1 blocks \\(32 bytes\\)" "  the count and bytes"
expect_text "leak \\(freed at unload\\): [0-9A-F]+ tag 'Plnt' 32 bytes from leak_block:$driver_leak_line\$" \
    "  tag and site"

start=$SECONDS
expect 1 "minwdmctl selftest as the client, the driver reporting a failed check" \
    run selftest --filter none --client "$ctl_exe" --device '\\.\planted' selftest
expect_text "^FAIL client" "  the client's step fails"
expect_text "selftest\"? exited with 5" "  minwdmctl selftest exits 5 when a check failed"
expect_text "first failure: planted.c: a check planted to fail" "  and names the first failure"

expect 1 "a request the driver never completes" run hang --filter none --timeout 3 --client "$client" hang
expect_text "^FAIL client" "  the client's step fails"
expect_text "planted_client.exe.* did not finish within 3 s: ended" "  named, with its deadline"
expect_text "^ +pending: IRP_MJ_DEVICE_CONTROL 0x81592008 for [1-9]\\.[0-9]{3} s, with NO cancel routine .*, dispatched to planted_control \\([^()]*planted\\.c:[0-9]+\\)\$" \
    "  the request it waits for: pending, its code, age, no cancel routine, dispatch routine"
[ $((SECONDS - start)) -lt 30 ] && pass "  within seconds ($((SECONDS - start)) s)" ||
    fail "  took $((SECONDS - start)) s"

start=$SECONDS
expect 5 "a NULL dereference in the request handler" run crash --filter none --timeout 10 --client "$client" crash
expect_text "crashed" "  reported as a crash"
[ $((SECONDS - start)) -lt 30 ] && pass "  within seconds ($((SECONDS - start)) s)" ||
    fail "  took $((SECONDS - start)) s"

expect 0 "the next run starts clean" run after --filter passes
finish
