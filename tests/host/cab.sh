#!/usr/bin/env bash
# docs/shipping.md's CAB for the Hardware Dev Center, made by the very commands the page shows:
# its `gcab -c` line (read from the page) run on a copy of examples/pnp's package folder, then
# the CAB listed (gcab -t) and unpacked: exactly pnp\pnp.inf, pnp\pnp.sys and pnp\pnp.pdb (no
# PDB in a GCC build: the page says to leave it out), byte for byte the package's. With signing
# on, the page's osslsigncode line signs the CAB with the project's certificate instead of an EV
# one, and osslsigncode verifies it. Exit 77 (skipped) without gcab.
#   cab.sh <shipping.md> <examples output dir> <scratch-dir> [<osslsigncode> <pfx> <pem>]
set -u
doc=$1 examples=$2 scratch=$3 osslsigncode=${4:-} pfx=${5:-} pem=${6:-}
here=$(dirname "$0")
. "$here/../wine/assert.sh"
if ! command -v gcab >/dev/null; then
    echo "cab: skipped: gcab is not installed (Debian package gcab; scripts/setup installs it)"
    exit 77
fi
rm -rf "$scratch"
mkdir -p "$scratch/pnp"

# The page's commands, as a reader copies them (the lines in its code blocks).
gcab_line=$(grep -m1 -E '^cd build/default/examples && gcab -c ' "$doc")
sign_line=$(grep -m1 -E '^osslsigncode sign .* -in pnp\.cab ' "$doc")
[ -n "$gcab_line" ] && pass "the page's gcab command: ${gcab_line#*&& }" ||
    fail "no 'cd build/default/examples && gcab -c ...' line in $doc"
[ -n "$sign_line" ] && pass "the page's signing command" || fail "no 'osslsigncode sign ... -in pnp.cab' line in $doc"

files=(pnp.inf pnp.sys pnp.pdb)
[ -e "$examples/pnp/pnp.pdb" ] || files=(pnp.inf pnp.sys) # GCC: DWARF, no PDB
for f in "${files[@]}"; do cp "$examples/pnp/$f" "$scratch/pnp/"; done
command=${gcab_line#*&& }
[ ${#files[@]} -eq 3 ] || command=${command/ pnp\/pnp.pdb/}
read -ra words <<<"$command"
expect 0 "gcab makes pnp.cab from the package folder" bash -c 'cd "$1" && shift && "$@"' _ "$scratch" "${words[@]}"
expect 0 "gcab -t lists it" gcab -t "$scratch/pnp.cab"
listed=$(printf '%s\n' "$out" | sort | paste -sd' ')
wanted=$(printf 'pnp\\%s\n' "${files[@]}" | sort | paste -sd' ')
[ "$listed" = "$wanted" ] && pass "  the per-driver folder pnp\\ holds exactly: $listed" ||
    fail "  listed: $listed; wanted: $wanted"
mkdir -p "$scratch/out"
expect 0 "gcab -x unpacks it" gcab -x -C "$scratch/out" "$scratch/pnp.cab"
same=1
for f in "${files[@]}"; do cmp -s "$examples/pnp/$f" "$scratch/out/pnp/$f" || same=0; done
[ "$same" -eq 1 ] && pass "  each file is the package's, byte for byte" || fail "  a file differs"

if [ -n "$osslsigncode" ] && [ -n "$sign_line" ]; then
    # The project's certificate stands in for the EV one (<your EV certificate>.pfx).
    read -ra words <<<"$(sed -E 's/-pkcs12 <[^>]*>[.]pfx/-pkcs12 @pfx@/' <<<"$sign_line")"
    for i in "${!words[@]}"; do
        [ "${words[i]}" = "@pfx@" ] && words[i]=$pfx
    done
    words[0]=$osslsigncode
    expect 0 "osslsigncode signs the CAB" bash -c 'cd "$1" && shift && "$@"' _ "$scratch" "${words[@]}"
    expect 0 "  and verifies it" "$osslsigncode" verify -in "$scratch/pnp-signed.cab" -CAfile "$pem"
fi
finish
