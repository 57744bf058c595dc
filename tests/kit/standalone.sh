#!/usr/bin/env bash
# An example built the way a user builds their own driver from the kit's source tree: its own
# project, configured with minwdm's toolchain file and nothing else, then its own tests (PE
# check, signature, kernel tests under Wine with a minwdmctl.exe built from the kit's sources).
#   standalone.sh <example-dir> <build-dir> <toolchain-file> [<shared Wine template dir>]
# MINWDM_STANDALONE_BUILD_TYPE=Debug builds it in Debug, where every kernel file must have DBG=1.
set -eu
source_dir=$1 build=$2 toolchain=$3
[ -n "${4:-}" ] && export MINWDM_WINE_TEMPLATE_DIR=$4
build_type=${MINWDM_STANDALONE_BUILD_TYPE:-Release}
rm -rf "$build"
cmake -S "$source_dir" -B "$build" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
    -DCMAKE_BUILD_TYPE="$build_type" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
if [ "$build_type" = Debug ]; then
    kernel=$(grep -c '"command": .*-DMINWDM_KERNEL' "$build/compile_commands.json" || true)
    dbg=$(grep '"command": .*-DMINWDM_KERNEL' "$build/compile_commands.json" | grep -c -- '-DDBG=1' || true)
    [ "$kernel" -gt 0 ] && [ "$dbg" -eq "$kernel" ] ||
        { echo "standalone: $dbg of $kernel kernel files have DBG=1 in a Debug build" >&2; exit 1; }
    echo "standalone: all $kernel kernel files have DBG=1 in a Debug build"
fi
cmake --build "$build"
name=$(basename "$source_dir")
[ -f "$build/$name.sys" ] || { echo "standalone: no $name.sys in $build" >&2; exit 1; }
ctest --test-dir "$build" --output-on-failure
echo "standalone: $name built, checked and signed as a project of its own"
