#!/usr/bin/env bash
# wdmimage wine-imports and wdmimage calls (toolchain/wdmimage/wine_imports.c) against the
# installed Wine's own DLLs, no Wine session: the faults_imports test driver imports functions
# Wine 8 lacks (CmRegisterCallbackEx, CmGetBoundTransaction, CmGetCallbackVersion) and one it
# only stubs (ExAllocatePoolWithTagPriority); the faults driver imports none of them.
#   wine_imports.sh <wdmimage> <faults.sys> <faults_imports.sys> <scratch dir>
set -u
here=$(dirname "$0")
. "$here/../wine/assert.sh"
wdmimage=$1 clean=$2 importing=$3 scratch=$4
# shellcheck source=../../toolchain/wine/session.sh
. "$here/../../toolchain/wine/session.sh"
mapfile -t dirs < <(wine_dll_dirs "$scratch")
[ ${#dirs[@]} -gt 0 ] || { echo "no Wine DLL folder found (set MINWDM_WINE_DLL_DIR)"; exit 1; }
ntoskrnl=${dirs[0]}/ntoskrnl.exe
rm -rf "$scratch"
mkdir -p "$scratch/empty" "$scratch/stripped"

expect 1 "a driver importing what Wine lacks" "$wdmimage" wine-imports "$importing" "${dirs[@]}"
for name in CmRegisterCallbackEx CmGetBoundTransaction CmGetCallbackVersion; do
    expect_text "^wdmimage: faults_imports.sys imports $name, which this Wine does not implement \\($ntoskrnl does not export it\\): a call ends the driver host$" \
        "  $name: named, not exported"
done
expect_text "^wdmimage: faults_imports.sys imports ExAllocatePoolWithTagPriority, which this Wine does not implement \\(a stub in $ntoskrnl\\): a call ends the driver host$" \
    "  ExAllocatePoolWithTagPriority: named, a stub"
expect_text "^wdmimage: faults_imports.sys: 4 of [0-9]+ imports not implemented by this Wine$" \
    "  counted: 4"
lines=$(printf '%s\n' "$out" | grep -c 'which this Wine does not implement')
[ "$lines" -eq 4 ] && pass "  nothing else named (4 lines)" || fail "  $lines imports named, wanted 4"

expect 0 "a driver importing only what Wine implements" "$wdmimage" wine-imports "$clean" "${dirs[@]}"
[ -z "$out" ] && pass "  says nothing" || fail "  printed something"

expect 0 "-v: the stubs Wine's modules carry" "$wdmimage" wine-imports -v "$clean" "${dirs[@]}"
expect_text "^wdmimage: $ntoskrnl: [0-9]+ exports, [0-9]+ by name, [1-9][0-9]* of them stubs$" \
    "  ntoskrnl.exe has stubs, counted"
expect_text "^wdmimage: faults.sys: 0 of [0-9]+ imports not implemented by this Wine$" "  none missing"

# Stubs are told by their code, not by their names in a symbol table: stripped, the same.
strip=$(wine_tool x86_64-w64-mingw32-strip llvm-strip) || { echo "no strip"; exit 1; }
"$strip" -o "$scratch/stripped/ntoskrnl.exe" "$ntoskrnl"
if x86_64-w64-mingw32-objdump -t "$scratch/stripped/ntoskrnl.exe" 2>/dev/null | grep -q __wine_stub_; then
    fail "the stripped copy still names its stubs"
else
    pass "the stripped copy has no __wine_stub_ symbols"
fi
expect 1 "a stripped ntoskrnl.exe" "$wdmimage" wine-imports "$importing" "$scratch/stripped" "${dirs[@]}"
expect_text "ExAllocatePoolWithTagPriority, which this Wine does not implement \\(a stub in $scratch/stripped/ntoskrnl.exe\\)" \
    "  the stub is still found"

expect 1 "a Wine without ntoskrnl.exe" "$wdmimage" wine-imports "$clean" "$scratch/empty"
expect_text "imports [A-Za-z]+ from ntoskrnl.exe, which this Wine does not have \\(no ntoskrnl.exe in $scratch/empty\\): the driver does not load$" \
    "  the module is named missing"

mkdir -p "$scratch/broken"
printf 'MZ not a DLL' >"$scratch/broken/ntoskrnl.exe"
expect 2 "a Wine whose ntoskrnl.exe is no PE image" "$wdmimage" wine-imports "$clean" "$scratch/broken"
expect_text "^wdmimage: $scratch/broken/ntoskrnl.exe: not a PE image" "  names the file and why"

printf 'MZ not a driver' >"$scratch/bad.sys"
expect 2 "a file that is no PE image" "$wdmimage" wine-imports "$scratch/bad.sys" "${dirs[@]}"
expect_text "^wdmimage: $scratch/bad.sys: not a PE image" "  says why"
expect 2 "an absent file" "$wdmimage" wine-imports "$scratch/absent.sys"
expect_text "^wdmimage: $scratch/absent.sys: No such file or directory$" "  says why"
expect 2 "no driver given" "$wdmimage" wine-imports
expect_text "^usage: wdmimage wine-imports" "  the usage"

# wdmimage calls: where the image calls an import (the report of a bug check under Wine).
expect 0 "the calls of KeBugCheckEx" "$wdmimage" calls "$clean" KeBugCheckEx KeBugCheck
lines=$(printf '%s\n' "$out" | grep -c '^KeBugCheckEx 0x[0-9a-f]*$')
# The driver's own, the stack cookie's failure (__stack_chk_fail, bug check 0xF7), and the
# runtime's own where it raises one as Windows would (the exception guard).
[ "$lines" -ge 2 ] && pass "  $lines call sites" || fail "  $lines call sites, wanted 2 or more"
sites=$(printf '%s\n' "$out" | sed -n 's/^KeBugCheckEx //p')
line=$(grep -n 'KeBugCheckEx(' "$here/../drivers/faults.c" | cut -d: -f1)
out=$(for site in $sites; do wine_symbolize "$clean" "$site" | head -n 1; done) # the crash report's symbolizer
expect_text "^faults_control	/.*/faults\\.c:$line$" "  in faults_control, at faults.c:$line: the call"
expect_text "^__stack_chk_fail	/.*/stack_cookie\\.c:[0-9]+$" "  in __stack_chk_fail: the stack cookie's"
expect 1 "an import the image does not call" "$wdmimage" calls "$clean" CmRegisterCallbackEx
[ -z "$out" ] && pass "  no site" || fail "  sites printed"
finish
