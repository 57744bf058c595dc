#!/usr/bin/env bash
# Strings and request buffers under Wine, with tests/drivers/buffers.sys:
# - its DriverEntry logs a UNICODE_STRING ("Grüße €") with %wZ and an int after it: both
#   `minwdmctl log` and Wine's debug output show the UTF-8 bytes and the int intact;
# - kstring_upcase makes no mapping that Wine's RtlUpcaseUnicodeChar does not;
# - METHOD_OUT_DIRECT and METHOD_IN_DIRECT requests through the mapped MDL; METHOD_NEITHER
#   through the caller's pointers (clang and MinGW GCC alike),
#   and through a locked MDL, which Wine 8 cannot map (a clean STATUS_INSUFFICIENT_RESOURCES);
#   a fault on a bad pointer becomes STATUS_ACCESS_VIOLATION and the driver keeps working;
#   every length checked; nothing leaked.
#   buffers.sh <build-dir> <minwdmctl.exe> <buffers.sys> <compiler id: Clang or GNU>
set -u
here=$(dirname "$0")
. "$here/../../scripts/wine-lib.sh"
. "$here/assert.sh"
build=$1 ctl_exe=$2 driver=$3 # $4, the compiler id: the same checks with both
ctl() { "$WINE" "$ctl_exe" "$@"; }
io() { ctl --device '\\.\buffers' ioctl "$@"; }
to_utf16=0x815A6002 count=0x815A6005 to_utf8=0x815A600B sum_locked=0x815A600F fault=0x815AA010
greeting=$'Gr\xC3\xBC\xC3\x9Fe \xE2\x82\xAC' # "Grüße €" in UTF-8

# expect_bytes <regex of a hex dump line> <what>: the same as expect_text, for hex dumps.
expect_bytes() { expect_text "^0000 $1" "$2"; }

wine_session_begin "$build" buffers
expect 0 "load buffers" ctl --name buffers load "$(winpath "$driver")"
expect 0 "its log" ctl --name buffers log
expect_text "^buffers: info: DriverEntry: $greeting pid 42$" "  %wZ as UTF-8, the int after it intact"
expect_text "^buffers: info: DriverEntry: service key ends in .buffers$" \
    "  kstring_has_suffix on the PUNICODE_STRING DriverEntry got"
expect_text "^buffers: info: compare_upcase: upcase: 190 mappings, 0 unlike RtlUpcaseUnicodeChar's" \
    "  every case mapping of kstring_upcase is Wine's RtlUpcaseUnicodeChar's too"

# METHOD_OUT_DIRECT: the driver writes UTF-16 into the mapped output buffer.
expect 0 "OUT_DIRECT: UTF-8 in, UTF-16 out" io $to_utf16 --in "47 72 c3 bc c3 9f 65 20 e2 82 ac" --out-size 14
expect_text "^status 0x00000000 \\(STATUS_SUCCESS\\), 14 bytes returned$" "  14 bytes"
expect_bytes " 47 00 72 00 fc 00 df 00 65 00 20 00 ac 20 " "  the UTF-16 of Grüße €"
expect 5 "OUT_DIRECT: no room for all of it" io $to_utf16 --in "47 72 c3 bc c3 9f 65 20 e2 82 ac" --out-size 5
expect_text "NTSTATUS 0x80000005 \\(STATUS_BUFFER_OVERFLOW\\)" "  STATUS_BUFFER_OVERFLOW"
expect 0 "OUT_DIRECT: invalid UTF-8" io $to_utf16 --in "61 c0 af 62" --out-size 16
expect_text "^status 0x00000107.*, 8 bytes returned$" "  STATUS_SOME_NOT_MAPPED, a success"
expect_bytes " 61 00 fd ff fd ff 62 00 " "  each invalid byte became U+FFFD"
expect 5 "OUT_DIRECT: more input than the driver takes" io $to_utf16 --in "$(printf '41 %.0s' $(seq 257))" --out-size 16
expect_text "NTSTATUS 0xC000000D \\(STATUS_INVALID_PARAMETER\\)" "  STATUS_INVALID_PARAMETER"

# METHOD_IN_DIRECT: the driver reads the mapped output buffer (minwdmctl sends zeros).
expect 0 "IN_DIRECT: the driver reads the caller's buffer" io $count --in 00 --out-size 100
expect_text "^status 0x00000000 \\(STATUS_SUCCESS\\), 100 bytes returned$" "  100 zero bytes seen"
expect 0 "IN_DIRECT: a byte that is not there" io $count --in 41 --out-size 100
expect_text "^status 0x00000000 \\(STATUS_SUCCESS\\), 0 bytes returned$" "  none seen"
expect 5 "IN_DIRECT: no buffer to read" io $count --in 00 --out-size 0
expect_text "NTSTATUS 0xC000000D \\(STATUS_INVALID_PARAMETER\\)" "  STATUS_INVALID_PARAMETER"
expect 5 "IN_DIRECT: two bytes where one is wanted" io $count --in "00 00" --out-size 8
expect_text "NTSTATUS 0xC000000D \\(STATUS_INVALID_PARAMETER\\)" "  STATUS_INVALID_PARAMETER"

# METHOD_NEITHER: the caller's pointers, probed and copied in the runtime's exception scope,
# the same with clang and MinGW GCC.
expect 0 "NEITHER: UTF-16 in, UTF-8 out" io $to_utf8 --in "47 00 fc 00 ac 20" --out-size 16
expect_text "^status 0x00000000 \\(STATUS_SUCCESS\\), 6 bytes returned$" "  6 bytes"
expect_bytes " 47 c3 bc e2 82 ac " "  the UTF-8 of Gü€"
expect 5 "NEITHER: an odd number of bytes is no UTF-16" io $to_utf8 --in "47 00 fc" --out-size 16
expect_text "NTSTATUS 0xC000000D \\(STATUS_INVALID_PARAMETER\\)" "  STATUS_INVALID_PARAMETER"
expect 5 "NEITHER: no room for the answer" io $to_utf8 --in "47 00 fc 00 ac 20" --out-size 5
expect_text "NTSTATUS 0xC0000023 \\(STATUS_BUFFER_TOO_SMALL\\)" "  STATUS_BUFFER_TOO_SMALL"
# The page at 0 (never mapped), and a kernel address (Windows' probe refuses it; under Wine,
# whose probe does nothing, the access faults).
expect 5 "a bad pointer read" io $fault --in "10 00 00 00 00 00 00 00 00"
expect_text "NTSTATUS 0xC0000005 \\(STATUS_ACCESS_VIOLATION\\)" "  the fault is a status"
# ...the driver's: Wine's IRP dispatch would fail the IRP with the same status by itself.
expect 0 "  the driver's own log" ctl --name buffers log
expect_text "reading 16 bytes at 0*10: 0xC0000005$" "  the driver handled it and went on"
expect 5 "a bad pointer written" io $fault --in "00 00 00 00 00 80 ff ff 01"
expect_text "NTSTATUS 0xC0000005 \\(STATUS_ACCESS_VIOLATION\\)" "  the fault is a status"
expect 5 "a bad request for it" io $fault --in "00 00 00 00 00 80 ff ff"
expect_text "NTSTATUS 0xC000000D \\(STATUS_INVALID_PARAMETER\\)" "  STATUS_INVALID_PARAMETER"
expect 5 "NEITHER through an MDL: Wine 8 cannot map the caller's buffer" io $sum_locked --in "01 02 03" --out-size 4
expect_text "NTSTATUS 0xC000009A \\(STATUS_INSUFFICIENT_RESOURCES\\)" "  a clean STATUS_INSUFFICIENT_RESOURCES"
expect 0 "after all that, it still answers" io $count --in 00 --out-size 4
expect_text "^status 0x00000000 \\(STATUS_SUCCESS\\), 4 bytes returned$" "  4 bytes"
expect 0 "its log" ctl --name buffers log
expect_text "^buffers: info: to_utf16: 11 bytes of UTF-8: \"$greeting\", 14 bytes of UTF-16 \\(14 of room\\)$" \
    "  the converted text logged with %wZ"
expect 0 "stop buffers" ctl --name buffers stop
expect 0 "its log, from its service key" ctl --name buffers log
expect_text "^buffers: info: runtime: unloaded, 0 leaked blocks$" "  nothing leaked"
expect 0 "remove buffers" ctl --name buffers remove
wine_session_end

out=$(wine_driver_log)
expect_text "^buffers: info: DriverEntry: $greeting pid 42$" \
    "Wine's debug output: the same UTF-8 bytes, the int intact"
finish
