#!/usr/bin/env bash
# The special pool under Wine (src/runtime/special_pool.c): faults.special, the test build of
# tests/drivers/faults.c, puts every block of the kit's allocator at the end of its own pages.
# A 1-byte overrun and a write after free of a 40-byte block then fault at the writing line, and
# the crash report says pool-overrun / pool-use-after-free with that line.
#   special_pool.sh <build-dir> <minwdmctl.exe> <faults.special image>
set -u
here=$(dirname "$0")
. "$here/assert.sh"
build=$1 ctl_exe=$2 image=$3
run_test="$here/../../toolchain/wine/run-test.sh"
source_file="$here/../drivers/faults.c"

line_of() { # the line of faults.c that holds <text>
    grep -nF -- "$1" "$source_file" | head -n 1 | cut -d: -f1
}

# <session> <request code> <what> <rule> <function> <line>: the crash, its report, the verdict
# and the line.
special_run() {
    local start=$SECONDS module
    module=$(basename "$image")
    expect 5 "$3" bash "$run_test" "$build" "special-$1" "$ctl_exe" test "$image" \
        --name minwdm_faults --timeout 10 --client "$ctl_exe" --device '\\.\minwdm_faults' ioctl "$2"
    [ $((SECONDS - start)) -lt 30 ] && pass "  within seconds ($((SECONDS - start)) s)" ||
        fail "  took $((SECONDS - start)) s"
    expect_text "^crash report: page fault on write access to " "  a page fault, writing"
    expect_text "^  at: ${module//./\\.}\\+0x[0-9a-f]+  $5  /.*/faults\\.c:$6$" \
        "  at the writing line, $5, faults.c:$6"
    expect_text "^verifier: $4: 0x[0-9a-f]+ .* at $5 \\(/.*/faults\\.c:$6\\)$" \
        "  verifier: $4 at $5 (faults.c:$6)"
}

expect_text_absent() { # <regex> <what>
    if printf '%s\n' "$out" | grep -q -E -- "$1"; then fail "$2"; else pass "$2"; fi
}

special_run overrun 0x815A2020 "a 1-byte overrun of a 40-byte block" pool-overrun overrun \
    "$(line_of 'one byte past the end */')"
expect_text "past the end of a special-pool block \\(the guard page after it, at its end \\+ 0\\)" \
    "  the first byte past the end"
special_run use-after-free 0x815A2024 "a write after free of a 40-byte block" \
    pool-use-after-free use_after_free "$(line_of 'after free */')"
expect_text_absent "pool-overrun" "  not taken for an overrun"
finish
