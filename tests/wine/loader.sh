#!/usr/bin/env bash
# minwdmctl's whole happy path under Wine, each command twice: install (relative path made
# absolute, again, over a stale path, with another start type), start, status (text and JSON),
# version, echo, raw ioctl, the contract client, stop, remove, load, unload; the driver's own
# load and unload lines read back from Wine's debug channel.
#   loader.sh <build-dir> <minwdmctl.exe> <minwdm.sys> <ioctl_client.exe> <minwdm_build.h>
set -u
here=$(dirname "$0")
. "$here/../../scripts/wine-lib.sh"
. "$here/assert.sh"
build=$1 ctl_exe=$2 sys=$3 client=$4 header=$5
read_build_info "$header"
ctl() { "$WINE" "$ctl_exe" "$@"; }
sys_dir=$(dirname "$sys")
sys_win=$(winpath "$sys")
sys_re=${sys_win//\\/\\\\}

wine_session_begin "$build" loader
stale="$WINE_SESSION_DIR/old/minwdm.sys"
mkdir -p "$(dirname "$stale")" && cp "$sys" "$stale"
stale_win=$(winpath "$stale")

expect 3 "status before install" ctl status
expect_text "OpenService\\(minwdm\\) failed: error 1060" "  names the call and error 1060"
expect 3 "status --json before install" ctl status --json
expect_text '^\{"service": "minwdm", "installed": false\}$' "  JSON says not installed"

expect 0 "install with a relative path" bash -c "cd '$sys_dir' && '$WINE' '$ctl_exe' install minwdm.sys"
expect_text "^installed: $sys_re \\(kernel driver, demand start\\)$" "  made absolute"
expect 0 "install again" ctl install "$sys_win"
expect_text "^already installed: $sys_re \\(demand start\\)$" "  already installed"
expect 0 "install over it from another path" ctl install "$stale_win"
expect_text "^already installed with $sys_re \\(demand start\\): updated to " "  says what changed"
expect 0 "install with --start auto" ctl install "$stale_win" --start auto
expect_text "\\(demand start\\): updated to .*\\(auto start\\)$" "  start type updated"
expect 0 "install the original image back" ctl install "$sys_win"
expect_text "updated to $sys_re \\(demand start\\)$" "  path and start type restored"
expect 0 "status" ctl status
expect_text "^state: +STOPPED$" "  stopped"
expect_text "^image path: +$sys_re$" "  the absolute image path"

expect 0 "start" ctl start
expect_text "^started$" "  started"
expect 0 "start again" ctl start
expect_text "^already running$" "  already running"
expect 0 "status --json while running" ctl status --json
expect_text '"state": "RUNNING", "start_type": "demand"' "  running, demand start"
expect_text "\"image_path\": \"${sys_re//\\\\/\\\\\\\\}\"" "  image path JSON-escaped"

expect 0 "version" ctl version
expect_text "^minwdmctl $version, ABI $abi, build $build_id$" "  the loader's own"
expect_text "^driver $version, ABI $abi, build $build_id$" "  the driver's: this build"
expect 0 "version --json" ctl version --json
expect_text "\"driver\": \\{\"version\": \"$version\", \"abi\": $abi, \"build\": \"$build_id\"\\}" "  JSON"
expect 0 "echo" ctl echo "hello, kernel"
expect_text "^hello, kernel$" "  echoes"
long_text=$(head -c 4096 /dev/zero | tr '\0' a)
expect 0 "echo of 4096 bytes, the most" ctl echo "$long_text"
expect_text "^a{4096}$" "  echoes them all"

expect 0 "ioctl ECHO by name with --in" ctl ioctl IOCTL_MINWDM_ECHO --in "68 69"
expect_text "^status 0x00000000 \\(STATUS_SUCCESS\\), 2 bytes returned$" "  status and length"
expect_text "^0000  68 69 .*hi$" "  hex dump"
expect 0 "ioctl --json" ctl ioctl IOCTL_MINWDM_ECHO --in "68 69" --json
expect_text '^\{"code": "0x[0-9A-F]{8}", "name": "IOCTL_MINWDM_ECHO", "status": "[^"]*STATUS_SUCCESS[^"]*", "returned": 2, "output": "6869"\}$' \
    "  one JSON object: code, name, status, bytes"
expect 0 "ioctl GET_VERSION by number" ctl ioctl 0x81576000 --out-size 60
expect_text ", 60 bytes returned$" "  60 bytes"
expect 5 "ioctl with an unknown code" ctl ioctl 0x81573FFC
expect_text "NTSTATUS 0xC0000010 \\(STATUS_INVALID_DEVICE_REQUEST\\)" "  the driver's NTSTATUS"
expect_text "hint: the driver does not know this request" "  hints at mismatched builds"
expect 5 "ioctl GET_VERSION into 10 bytes" ctl ioctl IOCTL_MINWDM_GET_VERSION --out-size 10
expect_text "error 122: .*NTSTATUS 0xC0000023 \\(STATUS_BUFFER_TOO_SMALL\\)|NTSTATUS 0xC0000023 \\(STATUS_BUFFER_TOO_SMALL\\)" "  STATUS_BUFFER_TOO_SMALL"
big=$(head -c 4097 /dev/zero | od -An -v -tx1 | tr -d ' \n')
expect 5 "ioctl ECHO of 4097 bytes" ctl ioctl IOCTL_MINWDM_ECHO --in "$big"
expect_text "NTSTATUS 0xC000000D \\(STATUS_INVALID_PARAMETER\\)" "  STATUS_INVALID_PARAMETER"
expect_text "hint: the driver refused the request" "  says the driver refused it"
expect 0 "contract client (every ioctl.h case)" "$WINE" "$client" "$version" "$build_id"
expect_text "^# [0-9]+ passed, 0 failed$" "  all contract checks pass"

expect 0 "stop" ctl stop
expect_text "^stopped$" "  stopped"
expect 0 "stop again" ctl stop
expect_text "^not running$" "  not running"
expect 3 "version after unload" ctl version
expect_text "hint: the device exists only while the driver runs" "  the device is gone"
expect 0 "remove" ctl remove
expect_text "^removed$" "  removed"
expect 0 "remove again" ctl remove
expect_text "^not installed$" "  not installed"

expect 0 "load" ctl load "$sys_win"
expect_text "^started$" "  installed and started"
expect 0 "unload" ctl unload
expect_text "^stopped$" "  stopped"
expect_text "^removed$" "  removed"
expect 3 "unload again: nothing to unload" ctl unload
expect_text "^minwdmctl: no service minwdm is installed: nothing to unload" "  says so"

expect 2 "unknown command" ctl frobnicate
expect_text "unknown command 'frobnicate'" "  names it"
expect 2 "echo of 4097 bytes: a usage error" ctl echo "${long_text}b"
expect_text "^minwdmctl: echo: 4097 bytes is more than the driver's limit of 4096$" "  says the limit"
expect 2 "echo without text" ctl echo
expect_text "usage: minwdmctl echo <text>" "  shows the command's usage"
expect 2 "an option of another command" ctl status --force
expect 2 "a bad --timeout" ctl --timeout soon start
expect 2 "a bad --start" ctl install "$sys_win" --start sometimes
expect_text "--start wants demand, system or auto" "  says what it wants"
expect 0 "install --help" ctl install --help
expect_text "^usage: minwdmctl \\[global options\\] install <driver.sys>" "  the command's usage"
expect 0 "--help" ctl --help
expect_text "^exit codes: 0 done" "  documents the exit codes"
expect_text "^  ioctl <code> \\[--in HEX\\] \\[--out-size N\\]$" "  lists every command"

wine_session_end
out=$(wine_driver_log)
expect_text "^minwdm: info: DriverEntry: loaded, version $version, ABI $abi, build $build_id, pool (WithTag/NX|ExAllocatePool2 zeroed by minwdm)$" \
    "driver logged its load, and a pool it zeroes itself (Wine 8 has no ExAllocatePool2, Wine 10's does not zero)"
expect_text "^minwdm: info: runtime: unloaded, 0 leaked blocks$" "driver logged its unload (DriverUnload ran), no leaks"
loads=$(printf '%s\n' "$out" | grep -c '^minwdm: info: DriverEntry: loaded')
unloads=$(printf '%s\n' "$out" | grep -c '^minwdm: info: runtime: unloaded, 0 leaked blocks$')
if [ "$loads" -eq 2 ] && [ "$unloads" -eq 2 ]; then
    pass "two loads, two unloads"
else
    fail "two loads and two unloads expected, saw $loads and $unloads"
fi
finish
