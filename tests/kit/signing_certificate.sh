#!/usr/bin/env bash
# A user's own certificate (MINWDM_SIGNING_PFX) is checked before anything is signed with it:
# planted certificates that Windows would refuse stop the configure of a project of its own with
# the reason (and its build, when the file is replaced after the configure); a good one signs.
#   signing_certificate.sh <openssl> <osslsigncode> <toolchain-file> <scratch-dir>
# The bad certificates hide the words a text search would find in their subject names, so only a
# check that reads the extensions refuses them.
set -eu
openssl=$1 osslsigncode=$2 toolchain=$3 scratch=$4
rm -rf "$scratch"
mkdir -p "$scratch/project"
cd "$scratch"
failures=0

# make_pfx <name> <subject CN> <key bits> [-addext <ext>]...: <name>.pfx, empty password
make_pfx() {
    local name=$1 cn=$2 bits=$3
    shift 3
    "$openssl" req -x509 -newkey "rsa:$bits" -sha256 -days 30 -nodes -keyout "$name.key" \
        -out "$name.pem" -subj "/CN=$cn" -addext "basicConstraints=critical,CA:FALSE" "$@" \
        2>/dev/null
    "$openssl" pkcs12 -export -inkey "$name.key" -in "$name.pem" -out "$name.pfx" -passout pass: \
        -name "$cn"
}
make_pfx key_encipherment "Digital Signature, Code Signing" 2048 \
    -addext "extendedKeyUsage=codeSigning" -addext "keyUsage=critical,keyEncipherment"
make_pfx no_eku "Code Signing (no EKU at all)" 2048 -addext "keyUsage=critical,digitalSignature"
make_pfx small_key "Code Signing, RSA 2048 bit" 1024 \
    -addext "extendedKeyUsage=codeSigning" -addext "keyUsage=critical,digitalSignature"
make_pfx good "a good one" 2048 \
    -addext "extendedKeyUsage=codeSigning" -addext "keyUsage=critical,digitalSignature"

# The smallest driver there is, a project of its own, configured with the good certificate.
cat >project/CMakeLists.txt <<'EOF'
cmake_minimum_required(VERSION 3.25)
project(certcheck C)
add_wdm_driver(certcheck SOURCES certcheck.c)
EOF
cat >project/certcheck.c <<'EOF'
#include <ntddk.h>
DRIVER_INITIALIZE DriverEntry;
NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING path)
{
    UNREFERENCED_PARAMETER(driver);
    UNREFERENCED_PARAMETER(path);
    return STATUS_SUCCESS;
}
EOF
cmake -S project -B build -G Ninja -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
    -DCMAKE_BUILD_TYPE=Release -DMINWDM_SYMBOLS=OFF -DMINWDM_SIGNING_PFX="$scratch/good.pfx" \
    >configure.log || { cat configure.log; exit 1; }

# refused <pfx> <what the message must say>: the configure stops with the reason.
refused() {
    local pfx=$1 expected=$2
    if cmake -DMINWDM_SIGNING_PFX="$scratch/$pfx.pfx" build >"$pfx.log" 2>&1; then
        echo "FAIL $pfx: the configure took it"
        failures=$((failures + 1))
    elif ! tr -s ' \n' ' ' <"$pfx.log" | grep -q -- "$expected"; then
        echo "FAIL $pfx: refused, but without \"$expected\":"
        cat "$pfx.log"
        failures=$((failures + 1))
    else
        echo "ok   $pfx: $(tr -s ' \n' ' ' <"$pfx.log" | grep -o 'signing: [^:]*: [^(]*([^)]*)')"
    fi
}
refused key_encipherment "key usage does not allow digital signatures (it allows: Key Encipherment)"
refused no_eku "lacks the code signing extended key usage (1.3.6.1.5.5.7.3.3; it has: none)"
refused small_key "the key must be RSA with 2048 bits or more (this one: rsaEncryption, 1024 bits)"

# A certificate replaced by a bad one after the configure: the build checks it again and stops
# before anything is signed.
cp good.pfx swapped.pfx
cmake -DMINWDM_SIGNING_PFX="$scratch/swapped.pfx" build >swapped.log 2>&1 ||
    { echo "FAIL swapped: the configure refused a good certificate:"; cat swapped.log; exit 1; }
sleep 1 # a newer file than the certificate the configure wrote
cp key_encipherment.pfx swapped.pfx
rm -f build/certcheck.sys
if cmake --build build >swapped.log 2>&1; then
    echo "FAIL swapped: the build signed with it"
    failures=$((failures + 1))
elif ! grep -q "key usage does not allow digital signatures" swapped.log || [ -f build/certcheck.sys ]; then
    echo "FAIL swapped: refused, but without the reason, or with an image:"
    cat swapped.log
    failures=$((failures + 1))
else
    echo "ok   swapped after the configure: the build refuses it"
fi

# The good one signs the driver, and the signature verifies against it.
cmake -DMINWDM_SIGNING_PFX="$scratch/good.pfx" build >/dev/null
if ! cmake --build build >good.log 2>&1; then
    echo "FAIL good: refused:"
    cat good.log
    failures=$((failures + 1))
elif ! "$osslsigncode" verify -in build/certcheck.sys -CAfile good.pem >verify.log 2>&1; then
    echo "FAIL good: build/certcheck.sys does not verify against it:"
    cat verify.log
    failures=$((failures + 1))
else
    echo "ok   good: build/certcheck.sys signed and verified"
fi
[ "$failures" -eq 0 ] || exit 1
echo "signing: 3 bad certificates refused with their reason, a swapped one too, a good one signs"
