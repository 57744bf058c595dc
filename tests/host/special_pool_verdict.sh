#!/usr/bin/env bash
# The crash report's reading of a fault in the special pool (wine_special_pool_verdict in
# toolchain/wine/crash-report.sh), no Wine session: from the layout line the driver logs at start
# (src/runtime/special_pool.c) and the faulting address alone, a guard page is an overrun and any
# other page of the pool a freed block's, in every size class and in both modes.
#   special_pool_verdict.sh <scratch dir>
set -u
here=$(dirname "$0")
. "$here/../wine/assert.sh"
scratch=$1
# shellcheck source=../../toolchain/wine/session.sh
. "$here/../../toolchain/wine/session.sh"
mkdir -p "$scratch"
WINE_LOG=$scratch/wine-debug.log
base=$((0x10000000)) class_bytes=$((0x4000000))

log_layout() { # <mode>: a Wine debug log with the driver's layout line
    printf '0128:warn:debugstr:vDbgPrintExWithPrefix 0000004d:00000004: drv: info: verifier: special pool: arena 0x%x class-bytes 0x%x classes 5 mode %s\r\n' \
        "$base" "$class_bytes" "$1" >"$WINE_LOG"
}

# <class> <slot> <page in slot> <byte in page>: an address of the pool.
at() {
    printf '0x%x' $((base + $1 * class_bytes + $2 * (4096 << ($1 + 1)) + $3 * 4096 + $4))
}

verdict_is() { # <address> <regex> <what>
    out=$(wine_special_pool_verdict "$1")
    expect_text "$2" "$3"
}

log_layout overruns
verdict_is "$(at 0 3 1 0)" "^pool-overrun: .* past the end .* at its end \\+ 0\\)$" \
    "2-page slot, its last page: an overrun, the first byte past the end"
verdict_is "$(at 0 3 0 4000)" "^pool-use-after-free: " "2-page slot, its first page: after free"
verdict_is "$(at 2 5 7 12)" "^pool-overrun: .* at its end \\+ 12\\)$" \
    "8-page slot, its last page: an overrun, 12 bytes on"
verdict_is "$(at 2 5 6 0)" "^pool-use-after-free: " "8-page slot, another page: after free"
verdict_is "$(at 4 0 31 0)" "^pool-overrun: " "32-page slot, its last page: an overrun"
verdict_is "$(at 4 1 0 0)" "^pool-use-after-free: " "the next 32-page slot's first page: after free"
out=$(wine_special_pool_verdict "$(printf '0x%x' $((base - 1)))")
[ -z "$out" ] && pass "below the pool: no verdict" || fail "below the pool: $out"
out=$(wine_special_pool_verdict "$(printf '0x%x' $((base + 5 * class_bytes)))")
[ -z "$out" ] && pass "past the pool: no verdict" || fail "past the pool: $out"

log_layout underruns
verdict_is "$(at 1 2 0 4095)" "^pool-overrun: .* before the start " \
    "underruns: a slot's first page is the guard before the block"
verdict_is "$(at 1 2 3 0)" "^pool-use-after-free: " "underruns: its last page is a freed block's"

: >"$WINE_LOG"
out=$(wine_special_pool_verdict "$(at 0 3 1 0)")
[ -z "$out" ] && pass "no layout line (special pool off): no verdict" || fail "a verdict without a pool: $out"
finish
