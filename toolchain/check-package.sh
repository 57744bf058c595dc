#!/usr/bin/env bash
# A driver package of add_wdm_driver(... INF ...): exactly <name>.inf, .sys, .cat (and .pdb with
# clang); the INF passes wdmimage's checks; the catalog is signed by the project's certificate and
# lists the image by its Authenticode hash (osslsigncode verify -catalog) and the INF by the
# SHA-256 of its bytes (wdmimage catalog recomputes both; osslsigncode -verbose lists them).
#   check-package.sh <wdmimage> <osslsigncode> <certificate.pem> <package dir> <name>
set -u
wdmimage=$1 osslsigncode=$2 pem=$3 dir=$4 name=$5
failures=0
pass() { echo "ok: $*"; }
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

files=$(cd "$dir" 2>/dev/null && ls "$name".inf "$name".sys "$name".cat "$name".pdb 2>/dev/null | tr "\n" " ")
case $files in
"$name.cat $name.inf $name.pdb $name.sys " | "$name.cat $name.inf $name.sys ") pass "files: $files" ;;
*) fail "files in $dir: '$files'" ;;
esac
"$wdmimage" inf check "$dir/$name.inf" --image "$name.sys" --catalog "$name.cat" &&
    pass "the INF passes the checks" || fail "the INF does not pass the checks"
out=$("$osslsigncode" verify -in "$dir/$name.sys" -catalog "$dir/$name.cat" -CAfile "$pem" 2>&1)
if [ $? -eq 0 ] && grep -q "^Signature verification: ok" <<<"$out"; then
    pass "osslsigncode verify -catalog: the catalog is signed and lists $name.sys"
else
    fail "osslsigncode verify -catalog:"$'\n'"$out"
fi
listed=$("$osslsigncode" verify -verbose -CAfile "$pem" -in "$dir/$name.cat" 2>/dev/null |
    awk '/^Catalog members:/ {on = 1; next} /^Signature Index/ {on = 0}
         on && /Message digest:/ {print $3}' | sort | tr '\n' ' ')
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
wanted=$("$wdmimage" catalog -o "$scratch/again.cat" "$dir/$name.sys" "$dir/$name.inf" 2>/dev/null |
    cut -d' ' -f1 | sort | tr '\n' ' ')
inf_hash=$(sha256sum "$dir/$name.inf" | cut -d' ' -f1 | tr a-f A-F)
if [ -n "$wanted" ] && [ "$listed" = "$wanted" ] && [[ $listed == *"$inf_hash"* ]]; then
    pass "the catalog lists exactly the image's and the INF's hashes (INF: sha256sum $inf_hash)"
else
    fail "the catalog lists '$listed', wanted '$wanted' (INF $inf_hash)"
fi
[ "$failures" -eq 0 ]
