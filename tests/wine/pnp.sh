#!/usr/bin/env bash
# A driver package under Wine, in one session: examples/pnp's package folder installed with
# `minwdmctl install-device` (a root-enumerated device node; DriverEntry, AddDevice, START), its
# client finding the device by interface GUID, `status` listing the device, the catalog read by
# Wine's own wintrust (CryptCATOpen, CryptCATEnumerateMember: a parser the kit did not write),
# `remove-device` (REMOVE reaches the driver), the errors explained, then the driver stopped and
# its log and leak check read. Wine 8 does not unload a PnP driver when its last device goes;
# Windows does: the test stops it through the service manager.
#   pnp.sh <build-dir> <minwdmctl.exe> <package dir> <pnp_client.exe> <catalog_client.exe> <wdmimage>
set -u
here=$(dirname "$0")
. "$here/assert.sh"
. "$here/../../scripts/wine-lib.sh"
build=$1 ctl=$2 package=$3 client=$4 catalog_client=$5 wdmimage=$6
hwid='Root\MinwdmPnpExample'
scratch=$build/wine-pnp
mkdir -p "$scratch"

# The hashes the catalog must list, recomputed: the image's Authenticode hash, the INF's bytes.
mapfile -t hashes < <("$wdmimage" catalog -o "$scratch/again.cat" "$package/pnp.sys" "$package/pnp.inf")
image_hash=${hashes[0]%% *} inf_hash=${hashes[1]%% *}
sha=$(sha256sum "$package/pnp.inf" | cut -d' ' -f1 | tr a-f A-F)
[ "$inf_hash" = "$sha" ] && pass "the INF's member hash is its sha256sum" ||
    fail "the INF's member hash $inf_hash is not its sha256sum $sha"

WINEDEBUG=warn+debugstr wine_session_begin "$build" pnp || exit 1
# Each step's output goes through a file, not the pipe of expect's $(...): a Wine service that a
# step starts on demand (rpcss.exe for wintrust, plugplay.exe) inherits the step's output and
# lives for the session, and a pipe it holds open would keep $(...) waiting. Each step is
# bounded too, and named when it does not end.
run() {
    local rc
    timeout 40 "$WINE" "$@" >"$scratch/step.out" 2>&1 </dev/null
    rc=$?
    cat "$scratch/step.out"
    [ "$rc" -ne 124 ] || echo "pnp.sh: the step did not end within 40 s"
    return "$rc"
}
expect 0 "install-device pnp.inf $hwid" run "$ctl" --timeout 20 install-device "$(winpath "$package/pnp.inf")" "$hwid"
expect_text "^installed: a System device with hardware id Root.MinwdmPnpExample" "  installed"
expect 0 "the client finds the device by its interface GUID and asks it" run "$client"
expect_text '^device: \\\\\?\\root#system#[0-9]+#\{5b0e6c1c-6b0d-4d8e-9f4a-0e5c7a3d2b71\}$' \
    "  the interface's path"
expect_text "^started 1 time$" "  the driver answered: START_DEVICE reached it once"
expect 0 "status shows the device" run "$ctl" --name minwdm_pnp status
expect_text '^device: +ROOT\\SYSTEM\\[0-9]+$' "  device ROOT\\SYSTEM\\n"
expect 0 "Wine's wintrust reads the catalog" run "$catalog_client" "$(winpath "$package/pnp.cat")"
expect_text "^member $image_hash \\{C689AAB8-8E78-11D0-8C47-00C04FC295EE\\} 2\\.16\\.840\\.1\\.101\\.3\\.4\\.2\\.1 1\\.3\\.6\\.1\\.4\\.1\\.311\\.2\\.1\\.15$" \
    "  pnp.sys: its Authenticode hash, the PE subject interface, SHA-256"
expect_text "^member $inf_hash \\{DE351A42-8E59-11D0-8C47-00C04FC295EE\\} 2\\.16\\.840\\.1\\.101\\.3\\.4\\.2\\.1 1\\.3\\.6\\.1\\.4\\.1\\.311\\.2\\.1\\.25$" \
    "  pnp.inf: its SHA-256, the flat-file subject interface"
expect_text "^members 2$" "  and nothing else"
expect 3 "install-device with a missing INF" run "$ctl" install-device 'C:\nowhere\pnp.inf' "$hwid"
expect_text "^minwdmctl: the INF: error [23] \\(" "  says the INF is not there"
expect 0 "remove-device $hwid" run "$ctl" remove-device "$hwid"
expect_text "^removed 1 device with hardware id Root.MinwdmPnpExample$" "  one device removed"
expect 3 "remove-device again: no such device" run "$ctl" remove-device "$hwid"
expect_text "^minwdmctl: no device has hardware id Root.MinwdmPnpExample" "  says so"
expect 0 "stop the driver (Windows unloads it by itself now)" run "$ctl" --name minwdm_pnp stop
expect 0 "its log, from the service key" run "$ctl" --name minwdm_pnp log
expect_text "pnp_add_device: AddDevice: attached" "  AddDevice ran"
expect_text "START_DEVICE: the interface is enabled" "  START_DEVICE"
expect_text "REMOVE_DEVICE: the interface is disabled" "  REMOVE_DEVICE"
expect_text "pnp_unload: unloaded: no device left" "  DriverUnload"
expect_text "runtime: unloaded, 0 leaked blocks" "  no leak"
wine_session_end
[ -z "$WINE_CRASH_REPORTED" ] && pass "no crash" || fail "the session crashed"
finish
