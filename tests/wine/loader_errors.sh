#!/usr/bin/env bash
# Every failure of minwdmctl that Wine can produce: its exit code, the call it names, the error,
# and the hint. (Those Wine cannot produce, such as 5, 577 and 1275, are host tests of the hints.)
#   loader_errors.sh <build-dir> <minwdmctl.exe> <minwdm.sys> <no_unload.sys> <user_dll.sys>
#                    <hold_service.exe>
set -u
here=$(dirname "$0")
. "$here/../../scripts/wine-lib.sh"
. "$here/assert.sh"
build=$1 ctl_exe=$2 sys=$3 no_unload=$4 user_dll=$5 hold=$6
ctl() { "$WINE" "$ctl_exe" "$@"; }

wine_session_begin "$build" loader-errors
work=$WINE_SESSION_DIR/files
mkdir -p "$work/folder.sys"
printf 'this is not a driver\n' >"$work/text.sys"
cp "$sys" "$work/gone.sys"

# Device commands without the driver.
for command in version "echo hi" "ioctl IOCTL_MINWDM_ECHO"; do
    # shellcheck disable=SC2086 # the command's words are meant to split
    expect 3 "$command without the driver" ctl $command
    expect_text "opening the device \\\\\\\\.\\\\minwdm failed: error 2" "  names the device and error 2"
    expect_text "hint: the device exists only while the driver runs: minwdmctl start" "  hints at start"
done

# Request codes by name, in any case, from both headers (host.ctl_contract takes every name the
# headers define): taken, then the device is missing (exit 3); an unknown name is exit 2.
for name in IOCTL_MINWDM_READ_LOG IOCTL_MINWDM_CONTROL_SET_LOG_LEVEL ioctl_minwdm_control_get_info; do
    expect 3 "ioctl $name is taken by name" ctl ioctl "$name"
done
expect 2 "ioctl IOCTL_MINWDM_NOTHING" ctl ioctl IOCTL_MINWDM_NOTHING
expect_text "'IOCTL_MINWDM_NOTHING' is neither a number nor a known code name" "  says so"

# Issue 15: no text is cut to nothing, and what wcstoul took silently is refused.
expect 2 "echo of 20,000 bytes" ctl echo "$(head -c 20000 /dev/zero | tr '\0' a)"
expect_text "echo: 20000 bytes is more than the driver's limit of 4096$" "  says how many bytes, and the limit"
expect 2 "echo of 2,100 two-byte characters (4,200 bytes)" ctl echo "$(printf 'é%.0s' $(seq 2100))"
expect_text "echo: 4200 bytes is more than" "  counts bytes"
long=$(head -c 100 /dev/zero | tr '\0' x)
expect 2 "an option of 102 bytes" ctl "--$long"
expect_text "unknown option --$long$" "  named whole"
expect 2 "a command of 100 bytes" ctl "$long"
expect_text "unknown command '$long'" "  named whole"
expect 2 "fail-alloc -1" ctl fail-alloc -1
expect_text "fail-alloc wants a count \\(0 turns it off\\), 0 to 4294967295: '-1' is not a number" "  not a number"
expect 2 "fail-alloc 4294967296" ctl fail-alloc 4294967296
expect_text "'4294967296' is out of range" "  out of range"
expect 2 "fail-alloc +3" ctl fail-alloc +3
expect_text "'\\+3' is not a number \\(digits only\\)" "  no sign"
expect 2 "fail-alloc ' 3'" ctl fail-alloc " 3"
expect_text "' 3' is not a number" "  no space"
expect 2 "ioctl 0x100000000" ctl ioctl 0x100000000
expect_text "ioctl wants a code, 0x0 to 0xFFFFFFFF: '0x100000000' is out of range" "  out of range"
expect 2 "ioctl -0x7EA8A000" ctl ioctl -0x7EA8A000
expect_text "'-0x7EA8A000' is not a number" "  no sign"
expect 2 "log --since -1" ctl log --since -1
expect_text "--since wants a record number, 0 to 18446744073709551615: '-1' is not a number" "  no sign"
expect 2 "bench general 64 1e3" ctl bench general 64 1e3
expect_text "bench general wants iterations, 1 to 10000000: '1e3' is not a number" "  digits only"

expect 3 "--device names another device" ctl --device '\\.\nothere' version
expect_text "opening the device \\\\\\\\.\\\\nothere failed: error 2" "  uses that path"

# Service commands without the service.
expect 3 "start when not installed" ctl start
expect_text "OpenService\\(minwdm\\) failed: error 1060" "  error 1060"
expect_text "hint: the driver is not installed: minwdmctl install" "  hints at install"
expect 3 "stop when not installed" ctl stop
expect 0 "remove when not installed" ctl remove
expect_text "^not installed$" "  says so"

# Images that are not drivers.
expect 3 "install a missing file" ctl install 'Z:\nonexistent\minwdm.sys'
expect_text "opening the driver image Z:.*nonexistent.*minwdm.sys failed: error 3" "  names the file, error 3"
expect 2 "install a folder" ctl install "$(winpath "$work/folder.sys")"
expect_text "is a folder" "  says it is a folder"
expect 5 "install a text file" ctl install "$(winpath "$work/text.sys")"
expect_text "text.sys: format: not a PE image" "  not a PE image"
expect_text "is not an x64 kernel driver: not installed \\(--force installs it anyway\\)" "  refused, --force named"
truncate -s $((64 * 1024 * 1024 + 1)) "$work/huge.sys"
expect 5 "install a file over 64 MiB" ctl install "$(winpath "$work/huge.sys")"
expect_text "huge.sys: format: 67108865 bytes: too large to be a driver image \\(the limit is 64 MiB\\)" "  says it is too large"
expect_text "is not an x64 kernel driver: not installed" "  refused"
expect 5 "install a user-mode DLL" ctl --name user_dll install "$(winpath "$user_dll")"
expect_text "user_dll.sys: format: subsystem [0-9]+ is not native" "  not native"
expect_text "user_dll.sys: imports: imports from (KERNEL32|msvcrt)" "  user-mode imports"
expect 3 "a refused image is not installed" ctl --name user_dll status
expect 0 "install the DLL with --force" ctl --name user_dll install "$(winpath "$user_dll")" --force
expect_text "--force: installing it anyway" "  says it forces"
expect 5 "start the DLL" ctl --name user_dll start
expect_text "StartService\\(user_dll\\) failed: error [0-9]+" "  the loader refuses it"
expect_text "hint: " "  with a hint"
expect 0 "remove the DLL's service" ctl --name user_dll remove
expect 0 "install a text file with --force" ctl --name text install "$(winpath "$work/text.sys")" --force
expect 5 "start it" ctl --name text start
expect_text "StartService\\(text\\) failed: error [0-9]+" "  fails with an error"
expect_text "the driver left no log of this start: it did not get to run" "  says it left no log"
if printf '%s\n' "$out" | grep -q "printed above"; then fail "  points at a log that was not printed"; else pass "  points at no log"; fi
expect 0 "remove it" ctl --name text remove

# An image deleted after install.
expect 0 "install an image" ctl --name gone install "$(winpath "$work/gone.sys")"
rm "$work/gone.sys"
expect 3 "start it once deleted" ctl --name gone start
expect_text "finding the image of gone failed: error 2" "  error 2"
expect_text "hint: the image the service points to is gone" "  says the image is gone"
expect 0 "remove it" ctl --name gone remove

# A service marked for deletion while another process holds it open.
expect 0 "install" ctl install "$(winpath "$sys")"
"$WINE" "$hold" minwdm "$(winpath "$work/release")" >"$work/hold.out" 2>&1 &
holder=$!
for _ in $(seq 100); do grep -q held "$work/hold.out" 2>/dev/null && break; sleep 0.1; done
expect 0 "remove a service marked for deletion" ctl remove
expect_text "^already marked for deletion: it goes when the last handle to it closes$" "  says so"
expect 1 "install over a service marked for deletion" ctl install "$(winpath "$sys")"
expect_text "CreateService\\(minwdm\\) failed: error 1072" "  error 1072"
expect_text "hint: the service is marked for deletion: close what holds it open" "  hint"
touch "$work/release"
wait "$holder"
expect 0 "install once the holder let go" ctl install "$(winpath "$sys")"
expect_text "^installed: " "  installed"
expect 0 "remove it" ctl remove

# DriverEntry fails: a second instance of minwdm finds \Device\minwdm taken.
expect 0 "load minwdm" ctl load "$(winpath "$sys")"
expect 0 "install a second instance" ctl --name minwdm2 install "$(winpath "$sys")"
expect 5 "start the second instance" ctl --name minwdm2 start
expect_text "StartService\\(minwdm2\\) failed: error 183" "  error 183"
expect_text "DriverEntry returned: NTSTATUS 0xC0000035 \\(STATUS_OBJECT_NAME_COLLISION\\)" "  DriverEntry's exact NTSTATUS"
expect_text "hint: DriverEntry found its device name taken" "  hint"
expect_text "^minwdmctl: the driver's log of this start:$" "  then its log"
expect_text "^minwdm2: error: runtime: DriverEntry failed: STATUS_OBJECT_NAME_COLLISION$" "  which says why"
expect 0 "the first instance still answers" ctl version
expect 0 "remove the second instance" ctl --name minwdm2 remove
expect 0 "unload minwdm" ctl unload

# A driver without an unload routine.
expect 0 "load a driver without unload routine" ctl --name no_unload load "$(winpath "$no_unload")"
expect 5 "stop it" ctl --name no_unload --timeout 2 stop
expect_text "failed: error 105[23]" "  error 1052 (Windows) or 1053 (Wine)"
expect_text "hint: .*unload routine" "  says it has no unload routine"
expect 5 "stop it again" ctl --name no_unload --timeout 2 stop
expect_text "hint: .*unload routine" "  still says why"
expect 5 "remove it" ctl --name no_unload --timeout 2 remove
expect_text "hint: .*unload routine" "  cannot remove a driver that cannot stop"

wine_session_end
out=$(wine_driver_log)
expect_text "^minwdm2: error: runtime: DriverEntry failed: STATUS_OBJECT_NAME_COLLISION$" "the second instance logged why it failed"
expect_text "^no_unload: loaded, no unload routine$" "the driver without unload routine ran"
finish
