#!/usr/bin/env bash
# The symbols of a driver built by add_wdm_driver (toolchain/symbols.cmake): they belong to the
# image, and llvm-symbolizer, reading them through the image, names its entry point (DriverEntry,
# or minwdm_runtime_entry for a RUNTIME driver) with a source file and line where it is written.
#   check-symbols.sh <image.sys> <name>.pdb [<entry>]    clang: the PDB's GUID and age are the image's
#   check-symbols.sh <image.sys> <name>.debug [<entry>]  GCC: DWARF 4, and the image's
#                                                        .gnu_debuglink names it with its CRC-32
# Tools: llvm-readobj, llvm-symbolizer, and llvm-pdbutil or x86_64-w64-mingw32-objdump (Debian
# packages llvm and binutils-mingw-w64-x86-64; ./scripts/setup installs them).
set -u

# The PDB's GUID as llvm-pdbutil prints it ({Data1-Data2-Data3-8 bytes}, upper case), from the
# debug directory llvm-readobj --coff-debug-directory prints on stdin. llvm-readobj 14 to 17
# prints the 16 bytes in file order, "PDBGUID: (0x6D 0x57 ...)" (Data1, Data2 and Data3 are
# little-endian); llvm-readobj 18 and later prints the GUID itself, "PDBGUID: {EC74576D-...}".
pdb_guid_of_directory() {
    local line b
    line=$(sed -n 's/.*PDBGUID: *//p' | head -n 1)
    case $line in
    \{*\}) tr '[:lower:]' '[:upper:]' <<<"$line" ;;
    \(*\))
        # shellcheck disable=SC2206 # the 16 bytes are 16 words
        b=(${line//[()]/})
        b=("${b[@]#0x}")
        [ ${#b[@]} -eq 16 ] || return 1
        echo "{${b[3]}${b[2]}${b[1]}${b[0]}-${b[5]}${b[4]}-${b[7]}${b[6]}-${b[8]}${b[9]}-$(
            IFS=; echo "${b[*]:10:6}")}" | tr '[:lower:]' '[:upper:]' ;;
    *) return 1 ;;
    esac
}

# check-symbols.sh --pdb-guid: the function above alone (tests/host/pdb_guid.sh).
if [ "${1:-}" = --pdb-guid ]; then
    pdb_guid_of_directory
    exit
fi

image=$1 symbols=$2 entry_name=${3:-DriverEntry}
failures=0
pass() { echo "ok: $*"; }
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

tool() { # the first of the names given that is on PATH, versioned LLVM names included
    local name version
    for name in "$@"; do
        for version in "" -19 -18 -17 -16 -15 -14; do
            command -v "$name$version" && return 0
        done
    done
    echo "check-symbols: none of $* is installed: run ./scripts/setup (Debian: llvm)" >&2
    exit 2
}
readobj=$(tool llvm-readobj) || exit 2
symbolizer=$(tool llvm-symbolizer) || exit 2
[ -f "$image" ] || { echo "check-symbols: no $image" >&2; exit 2; }
[ -f "$symbols" ] || { echo "check-symbols: no $symbols" >&2; exit 2; }

check_pdb() {
    local pdbutil directory image_guid image_age image_name pdb_guid pdb_age
    pdbutil=$(tool llvm-pdbutil) || exit 2
    directory=$("$readobj" --coff-debug-directory "$image")
    image_guid=$(pdb_guid_of_directory <<<"$directory")
    image_age=$(sed -n 's/.*PDBAge: //p' <<<"$directory")
    image_name=$(sed -n 's/.*PDBFileName: //p' <<<"$directory")
    summary=$("$pdbutil" dump -summary "$symbols")
    pdb_guid=$(sed -n 's/.*GUID: //p' <<<"$summary" | tr '[:lower:]' '[:upper:]')
    pdb_age=$(sed -n 's/.*Age: //p' <<<"$summary")
    [ "$image_name" = "$(basename "$symbols")" ] && pass "the image names $image_name" ||
        fail "the image names the PDB '$image_name', not '$(basename "$symbols")'"
    [ -n "$pdb_guid" ] && [ "$image_guid" = "$pdb_guid" ] && pass "GUID $pdb_guid" ||
        fail "GUID: image $image_guid, PDB $pdb_guid"
    [ -n "$pdb_age" ] && [ "$image_age" = "$pdb_age" ] && pass "age $pdb_age" ||
        fail "age: image $image_age, PDB $pdb_age"
}

# The CRC-32 of a file, as .gnu_debuglink holds it: gzip's trailer carries the same CRC.
crc32_of() {
    gzip -c <"$1" | tail -c 8 | head -c 4 | od -An -tx4 | tr -d ' '
}

check_debuglink() {
    local objdump versions hex name crc
    objdump=$(tool x86_64-w64-mingw32-objdump) || exit 2
    versions=$("$objdump" --dwarf=info "$symbols" | sed -n 's/^ *Version: *//p' | sort -u |
               tr '\n' ' ')
    [ "$versions" = "4 " ] && pass "every compilation unit of $(basename "$symbols") is DWARF 4" ||
        fail "DWARF versions of $(basename "$symbols"): '$versions', wanted '4 '"
    # The section's bytes, from llvm-readobj's hex dump: 4 groups of 8 hex digits a line.
    hex=$("$readobj" --hex-dump=.gnu_debuglink "$image" |
          sed -n 's/^0x[0-9a-f]* \(\([0-9a-f]\{8\} \)\{1,4\}\).*/\1/p' | tr -d ' \n')
    name=$(printf '%s' "${hex%%00*}" | sed 's/../\\x&/g')
    name=$(printf '%b' "$name")
    crc=${hex: -8}
    crc=${crc:6:2}${crc:4:2}${crc:2:2}${crc:0:2}
    [ "$name" = "$(basename "$symbols")" ] && pass ".gnu_debuglink names $name" ||
        fail ".gnu_debuglink names '$name', not '$(basename "$symbols")'"
    [ -n "$crc" ] && [ "$crc" = "$(crc32_of "$symbols")" ] && pass "CRC-32 $crc" ||
        fail "CRC-32: .gnu_debuglink $crc, $(basename "$symbols") $(crc32_of "$symbols")"
}

case $symbols in
*.pdb) check_pdb ;;
*.debug) check_debuglink ;;
*) echo "check-symbols: $symbols is neither .pdb nor .debug" >&2; exit 2 ;;
esac

# The symbolizer finds the symbols the way a debugger does: from the image, in its folder.
# --functions=short: the function's name from the debug info; by default llvm-symbolizer 14
# names a COFF image's code after its nearest COFF symbol, and a GCC image keeps one.
entry=$("$readobj" --file-headers "$image" | sed -n 's/.*AddressOfEntryPoint: //p')
mapfile -t answer < <(cd "$(dirname "$image")" &&
                      "$symbolizer" --functions=short --obj="$(basename "$image")" \
                        --relative-address "$entry")
function=${answer[0]:-} place=${answer[1]:-}
file=${place%:*:*} line=${place%:*}
line=${line##*:}
[ "$function" = "$entry_name" ] && pass "entry point $entry is $entry_name" ||
    fail "entry point $entry is '$function', not $entry_name"
if [ -f "$file" ] && [ "${line:-0}" -gt 0 ] 2>/dev/null &&
   sed -n "$((line > 5 ? line - 5 : 1)),${line}p" "$file" | grep -q "$entry_name"; then
    pass "$entry_name is at $file:$line"
else
    fail "$entry_name's place '$place' is not a line of a source file near its name"
fi
[ "$failures" -eq 0 ] && echo "check-symbols: $(basename "$symbols") matches $(basename "$image")"
[ "$failures" -eq 0 ]
