#!/usr/bin/env bash
# An example built the way a user builds their own driver: its own project, configured with
# minwdm's toolchain file and nothing else, then its own tests (PE check, signature).
#   standalone.sh <example-dir> <build-dir> <toolchain-file>
set -eu
source_dir=$1 build=$2 toolchain=$3
rm -rf "$build"
cmake -S "$source_dir" -B "$build" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
    -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build"
name=$(basename "$source_dir")
[ -f "$build/$name.sys" ] || { echo "standalone: no $name.sys in $build" >&2; exit 1; }
ctest --test-dir "$build" --output-on-failure
echo "standalone: $name built, checked and signed as a project of its own"
