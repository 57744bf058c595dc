#!/usr/bin/env bash
# %wZ-style formats are checked in a user's own project: a driver scaffolded by minwdm-new
# outside the kit's tree, built with nothing but the toolchain file. A PWSTR given to %wZ fails
# the build, the error at the user's file:line; the right directive (%ws) builds.
#   format_check.sh <scratch-dir> <toolchain-file> <minwdm-new>
set -u
here=$(dirname "$0")
. "$here/../wine/assert.sh"
scratch=$1 toolchain=$2 new=$3
rm -rf "$scratch"
mkdir -p "$scratch"
expect 0 "minwdm-new makes a project outside the kit" bash "$new" fmtdrv "$scratch/fmtdrv"
source_file="$scratch/fmtdrv/fmtdrv.c"
# A PWSTR for %wZ, in DriverEntry, before its first log line.
sed -i 's|^    LOG_INFO("loaded");|    PCWSTR wide = L"fmtdrv";\n    LOG_INFO("loaded as %wZ", wide);|' "$source_file"
line=$(grep -n 'LOG_INFO("loaded as %wZ", wide);' "$source_file" | cut -d: -f1)
[ -n "$line" ] && pass "the mistake planted at fmtdrv.c:$line" || fail "could not plant the mistake"
expect 0 "the project configures" cmake -S "$scratch/fmtdrv" -B "$scratch/build" -G Ninja \
    -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DCMAKE_BUILD_TYPE=Release
# The check is a step of the driver's build that its link waits for (it runs beside the compiler):
# built alone (fmtdrv_format_check), it spares this test the kit's host tools.
out=$(ninja -C "$scratch/build" -t query fmtdrv.link/fmtdrv.sys 2>&1)
expect_text "^ +\| .*fmtdrv\.format/.*fmtdrv_c\.checked" "  the driver's link waits for the check"
expect 1 "the build fails" cmake --build "$scratch/build" --target fmtdrv_format_check
expect_text "^$source_file:$line: error: .*%wZ wants a UNICODE_STRING pointer" \
    "  at the user's file:line, saying what %wZ wants"
sed -i 's|LOG_INFO("loaded as %wZ", wide);|LOG_INFO("loaded as %ws", wide);|' "$source_file"
expect 0 "with %ws it builds" cmake --build "$scratch/build" --target fmtdrv_format_check
rm -rf "$scratch"
finish
