#!/usr/bin/env bash
# check-symbols.sh reads the PDB GUID of an image's debug directory as every llvm-readobj
# version prints it, whichever is installed: samples/readobj-14.txt (llvm-readobj 14: the 16
# bytes in file order) and samples/readobj-19.txt (llvm-readobj 19: the GUID itself), each
# with the GUID llvm-pdbutil printed for the image's PDB.
#   pdb_guid.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../wine/assert.sh"
check=$here/../../toolchain/check-symbols.sh

for sample in "14 {92689C5E-7655-33A5-4C4C-44205044422E}" "19 {0FC0BB90-BCF6-C51A-4C4C-44205044422E}"; do
    version=${sample% *} want=${sample#* }
    out=$(bash "$check" --pdb-guid <"$here/samples/readobj-$version.txt")
    [ "$out" = "$want" ] && pass "llvm-readobj $version: $out" ||
        fail "llvm-readobj $version: '$out', llvm-pdbutil said $want"
done
out=$(printf 'PDBGUID: (5F 65 12)\n' | bash "$check" --pdb-guid)
[ $? -ne 0 ] && [ -z "$out" ] && pass "a GUID of 3 bytes is refused" || fail "a GUID of 3 bytes gave '$out'"
finish
