#!/usr/bin/env bash
# The kit as a user gets it: installed with cmake --install (install), or unpacked from its
# Debian package (deb). Installed: examples/hello, copied out of the repository, builds with only
# the installed toolchain file, passes its own tests (PE check, signature, kernel tests under
# Wine), and, loaded with the installed minwdmctl.exe, answers log and stats; a minwdm-new project
# builds and passes its test. The package: the same files, byte for byte, as cmake --install
# writes (so what the installed kit proves holds for it), and its dependencies.
#   installed.sh <build-dir> install|deb <toolchain-file-name> <source-dir>
set -u
build=$1 mode=$2 toolchain=$3 source=$4
here=$(dirname "$0")
. "$here/../wine/assert.sh"
scratch=$build/kit-test-$mode
rm -rf "$scratch"
mkdir -p "$scratch"
# The installed kit's tests share this build's Wine template instead of making their own.
export MINWDM_WINE_TEMPLATE_DIR=$build/wine

if [ "$mode" = install ]; then
    expect 0 "cmake --install --component kit" cmake --install "$build" --prefix "$scratch/prefix" --component kit
    kit=$scratch/prefix/share/minwdm
else
    expect 0 "cpack: the kit's Debian package" cpack --config "$build/CPackKitConfig.cmake" -B "$scratch/deb"
    deb=$(ls "$scratch"/deb/minwdm_*_amd64.deb 2>/dev/null | head -1)
    [ -n "$deb" ] && pass "  $(basename "$deb")" || fail "  no minwdm_<version>_amd64.deb"
    expect 0 "dpkg-deb -x" dpkg-deb -x "$deb" "$scratch/root"
    out=$(dpkg-deb -f "$deb" Depends)
    expect_text "wine" "  it depends on the Debian packages the kit runs with"
    kit=$scratch/root/usr/share/minwdm
    expect 0 "cmake --install --component kit, to compare" \
        cmake --install "$build" --prefix "$scratch/prefix" --component kit
    expect 0 "the package holds what cmake --install writes, byte for byte" \
        diff -r "$scratch/prefix/share/minwdm" "$kit"
    expect 0 "  and the same commands" diff -r "$scratch/prefix/bin" "$scratch/root/usr/bin"
    count=$(find "$kit" -type f | wc -l)
    [ "$count" -gt 100 ] && pass "  $count files" || fail "  only $count files"
fi
for f in toolchain/clang-x64.cmake toolchain/gcc-x64.cmake toolchain/minwdm.cmake bin/wdmimage \
    bin/minwdmctl.exe include/minwdm/runtime.h include/minwdm/test.h src/runtime/sources.cmake \
    toolchain/wine/session.sh drivers/minwdm.sys; do
    [ -e "$kit/$f" ] && pass "  has $f" || fail "  has no $f"
done

[ "$mode" = deb ] && finish # the rest is proven on the installed files it equals

cp -r "$source/examples/hello" "$scratch/hello"
expect 0 "configure hello with the installed $toolchain only" \
    cmake -S "$scratch/hello" -B "$scratch/hello-build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_TOOLCHAIN_FILE="$kit/toolchain/$toolchain"
expect 0 "build it" cmake --build "$scratch/hello-build"
expect 0 "its tests: PE, signature, kernel tests under Wine" ctest --test-dir "$scratch/hello-build" --output-on-failure
expect_text "hello.kernel .* Passed" "  its kernel tests ran"

expect 0 "minwdm-new writes a driver project" "$scratch/prefix/bin/minwdm-new" fresh "$scratch/fresh"
expect 0 "it configures with the installed toolchain" \
    cmake -S "$scratch/fresh" -B "$scratch/fresh-build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_TOOLCHAIN_FILE="$kit/toolchain/$toolchain"
expect 0 "it builds" cmake --build "$scratch/fresh-build"
expect 0 "its test passes at once" ctest --test-dir "$scratch/fresh-build" --output-on-failure
expect_text "fresh.test .* Passed" "  kernel tests and client under Wine"

. "$here/../../toolchain/wine/session.sh"
ctl() { "$WINE" "$kit/bin/minwdmctl.exe" --name hello "$@"; }
wine_session_begin "$scratch" hello
expect 0 "load it with the installed minwdmctl" ctl load "$(winpath "$scratch/hello-build/hello.sys")"
expect 0 "its log while it runs" ctl log
expect_text "^hello: info: DriverEntry: Hello from a driver built on Linux$" "  the greeting"
expect 0 "its statistics" ctl stats
expect_text "^outstanding: +0 blocks" "  nothing outstanding"
expect 0 "unload" ctl unload
wine_session_end
finish
