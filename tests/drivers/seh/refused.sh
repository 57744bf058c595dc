#!/usr/bin/env bash
# With a clang whose __try covers only calls (clang 14), seh_wdk.sys must not build: wdmimage
# refuses its C __try bodies that have no call (an empty scope table), and a C++ __try is a
# compile error. Either way the message says why.
#   refused.sh <build-dir> <driver target>
set -u
build=$1 target=$2 failures=0
expect_refused() { # <target> <regex of the reason>
    local out
    if out=$(cmake --build "$build" --target "$1" 2>&1); then
        echo "FAIL: $1 built: a __try the compiler did not protect went through"
        failures=$((failures + 1))
    elif grep -Eq "$2" <<<"$out"; then
        echo "ok: $1 refused: $(grep -Eo "$2.{0,80}" <<<"$out" | head -n 1)"
    else
        echo "FAIL: $1 failed for another reason:"
        tail -n 20 <<<"$out"
        failures=$((failures + 1))
    fi
}
expect_refused "$target" "has a __try that protects nothing"
expect_refused "${target}_cxx" "__try in C\+\+ needs a clang that protects its whole body"
exit $((failures > 0))
