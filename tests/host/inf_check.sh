#!/usr/bin/env bash
# wdmimage inf: the stamp (DriverVer = date and version, $ARCH$ -> amd64, line ends kept) and the
# checks, against examples/pnp/pnp.inx made wrong one way at a time: each mistake must be refused
# with its line named, and the good INF must pass.
#   inf_check.sh <wdmimage> <pnp.inx> <scratch-dir>
set -u
wdmimage=$1 inx=$2 scratch=$3
here=$(dirname "$0")
. "$here/../wine/assert.sh"
rm -rf "$scratch"
mkdir -p "$scratch"
args=(--image pnp.sys --catalog pnp.cat)

expect 0 "stamp pnp.inx" "$wdmimage" inf stamp "$inx" -o "$scratch/pnp.inf" --version 1.2.3 \
    --date 12/07/2026 "${args[@]}"
grep -q '^DriverVer = 12/07/2026,1.2.3.0$' "$scratch/pnp.inf" && pass "  DriverVer stamped" ||
    fail "  DriverVer: $(grep DriverVer "$scratch/pnp.inf")"
[ "$(grep -c '^DriverVer' "$scratch/pnp.inf")" -eq 1 ] && pass "  one DriverVer line" ||
    fail "  $(grep -c '^DriverVer' "$scratch/pnp.inf") DriverVer lines"
grep -q 'NTamd64' "$scratch/pnp.inf" && ! grep -q '\$ARCH\$' "$scratch/pnp.inf" &&
    pass "  \$ARCH\$ is amd64" || fail "  \$ARCH\$ left or not replaced"
[ "$(wc -l <"$scratch/pnp.inf")" -eq "$(wc -l <"$inx")" ] && pass "  as many lines as the template" ||
    fail "  $(wc -l <"$scratch/pnp.inf") lines, the template $(wc -l <"$inx")"
expect 0 "the stamped INF passes the checks" "$wdmimage" inf check "$scratch/pnp.inf" "${args[@]}"
expect 1 "a catalog of another name" "$wdmimage" inf check "$scratch/pnp.inf" --image pnp.sys --catalog other.cat
expect_text "pnp.inf:[0-9]+: CatalogFile names pnp.cat, the package's catalog is other.cat$" "  names the line"

# <what> <sed expression> <expected message regex>: the mistake, refused with its line.
planted() {
    local file=$scratch/bad.inf line
    sed "$2" "$scratch/pnp.inf" >"$file"
    expect 1 "$1" "$wdmimage" inf check "$file" "${args[@]}"
    expect_text "^$file:[0-9]+: $3" "  $3"
}
planted "no [Version]" 's/^\[Version\]/[Versions]/' "no \\[Version\\] section"
planted "no PnpLockdown" '/^PnpLockdown/d' "\\[Version\\] has no PnpLockdown"
planted "no Provider" '/^Provider/d' "\\[Version\\] has no Provider"
planted "a bad Signature" 's/\$Windows NT\$/$Windows 95$/' "Signature is"
planted "a bad ClassGuid" 's/^ClassGuid   = .*/ClassGuid = {4d36e97d-e325-11ce}/' "ClassGuid .* is not a GUID"
planted "CatalogFile missing" '/^CatalogFile/d' "\\[Version\\] has no CatalogFile"
planted "the image not in [SourceDisksFiles]" 's/^pnp.sys = 1/other.sys = 1/' "\\[SourceDisksFiles\\] does not list pnp.sys"
planted "ServiceBinary naming another file" 's/%13%\\pnp.sys/%13%\\other.sys/' "ServiceBinary is .*other.sys: it must name the image"
planted "a service section without StartType" '/^StartType/d' "\\[PnpExample_Service\\] has no StartType"
planted "AddService naming a missing section" 's/PnpExample_Service$/Nowhere_Service/' "AddService names \\[Nowhere_Service\\], which the INF lacks"
planted "a models section missing" 's/^\[Models.NTamd64\]/[Models.NTx86]/' "\\[Manufacturer\\] names \\[Models.NTamd64\\], which the INF lacks"
planted "no NTamd64 decoration" 's/= Models, NTamd64/= Models/' "\\[Manufacturer\\] entry .* has no NTamd64 decoration"
planted "CopyFiles naming a missing section" 's/^CopyFiles = PnpExample_Files/CopyFiles = Missing_Files/' "CopyFiles names \\[Missing_Files\\]"
planted "an undefined %string%" 's/%DeviceName% = PnpExample_Install/%NoSuchString% = PnpExample_Install/' "%NoSuchString% is not defined in \\[Strings\\]"
planted "a DriverVer that is no date" 's/^DriverVer = .*/DriverVer = yesterday,1.0/' "DriverVer yesterday,1.0 is not MM/DD/YYYY,a.b.c.d"
planted "an unstamped \$ARCH\$" 's/^\[Models.NTamd64\]/[Models.NT$ARCH$]/' "\\\$ARCH\\\$ is not stamped"
printf '\xff\xfe[\x00V\x00' >"$scratch/utf16.inf"
expect 1 "a UTF-16 INF" "$wdmimage" inf check "$scratch/utf16.inf" "${args[@]}"
expect_text "utf16.inf:1: UTF-16 text" "  refused, with what to do"
expect 2 "no --image" "$wdmimage" inf check "$scratch/pnp.inf" --catalog pnp.cat
finish
