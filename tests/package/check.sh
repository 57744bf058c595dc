#!/usr/bin/env bash
# The release package: cpack makes minwdm-<version>-win64.zip; unpacked, it holds exactly the
# signed driver, its PDB (when the build makes one), the loader, the certificate, the sc.exe
# scripts and README-windows.txt, and the driver in it passes the PE checks and osslsigncode
# verify against the certificate beside it, and the PDB beside it is its own.
#   check.sh <build-dir> <version> <wdmimage> <osslsigncode> <openssl> [<driver>.pdb]
set -u
build=$1 version=$2 wdmimage=$3 osslsigncode=$4 openssl=$5 pdb=${6:-}
here=$(dirname "$0")
. "$here/../wine/assert.sh"
scratch=$build/package-test
name=minwdm-$version-win64
rm -rf "$scratch"
mkdir -p "$scratch"

expect 0 "cpack" cpack --config "$build/CPackConfig.cmake" -B "$scratch"
[ -f "$scratch/$name.zip" ] && pass "$name.zip made" || fail "no $scratch/$name.zip"
expect 0 "unpack it" bash -c "cd '$scratch' && cmake -E tar xf '$name.zip'"
out=$(cd "$scratch/$name" && find . -type f | sed 's|^\./||' | sort | tr '\n' ' ')
want="README-windows.txt load.cmd minwdm-test-signing.cer ${pdb:+$pdb }minwdm.sys minwdmctl.exe unload.cmd "
[ "$out" = "$want" ] && pass "exactly the files described" || fail "files: $out, wanted: $want"

dir=$scratch/$name
expect 0 "the driver in it passes the PE checks, signed" "$wdmimage" check --signed "$dir/minwdm.sys"
expect 0 "the certificate is DER" "$openssl" x509 -inform DER -in "$dir/minwdm-test-signing.cer" \
    -out "$scratch/certificate.pem"
expect 0 "osslsigncode verify, against the certificate in the package" \
    "$osslsigncode" verify -in "$dir/minwdm.sys" -CAfile "$scratch/certificate.pem"
expect_text "Signature verification: ok" "  signature ok"
if [ -n "$pdb" ]; then
    expect 0 "the PDB in it is the driver's (GUID, age, DriverEntry's line)" \
        bash "$here/../../toolchain/check-symbols.sh" "$dir/minwdm.sys" "$dir/$pdb" minwdm_runtime_entry
fi
out=$(head -c 2 "$dir/minwdmctl.exe")
[ "$out" = "MZ" ] && pass "minwdmctl.exe is a Windows program" || fail "minwdmctl.exe is not a PE file"
if grep -q $'\r$' "$dir/README-windows.txt" && grep -q "certutil -addstore Root minwdm-test-signing.cer" \
    "$dir/README-windows.txt"; then
    pass "README-windows.txt: Windows line ends, names the certificate"
else
    fail "README-windows.txt lacks CRLF line ends or the certificate's name"
fi
finish
