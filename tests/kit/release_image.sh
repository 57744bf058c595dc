#!/usr/bin/env bash
# The release image holds no test code: none of the kernel tests' runner (its messages), no test
# table (the tests' names), while the test build of the same driver holds them all, so the check
# can see them when they are there.
#   release_image.sh <release .sys> <test build .sys> <test source>...
set -eu
release=$1 test_build=$2
shift 2
# The runner's own messages (src/runtime/core/test_runner.c) and every MINWDM_TEST name.
texts=("a test build: %u kernel tests" ", left by the test")
for source in "$@"; do
    while read -r name; do
        texts+=("$name")
    done < <(sed -n 's/^[ \t]*MINWDM_TEST([ \t]*\([A-Za-z0-9_]*\).*/\1/p' "$source")
done
[ "${#texts[@]}" -gt 2 ] || { echo "release_image: no MINWDM_TEST in $*" >&2; exit 1; }
failures=0
for text in "${texts[@]}"; do
    if ! grep -qaF -- "$text" "$test_build"; then
        echo "FAIL the test build $test_build lacks \"$text\": this check would see nothing"
        failures=$((failures + 1))
    elif grep -qaF -- "$text" "$release"; then
        echo "FAIL the release image $release holds \"$text\""
        failures=$((failures + 1))
    fi
done
[ "$failures" -eq 0 ] || exit 1
echo "release_image: none of ${#texts[@]} texts of the test build in $(basename "$release")"
