#!/usr/bin/env bash
# Runs symbols_client.exe in its own Wine session: Wine's dbghelp names the driver's entry point
# DriverEntry, with its line in the source file given, from the symbols beside the image.
#   symbols.sh <build-dir> <symbols_client.exe> <driver.sys> <source file name>
set -u
. "$(dirname "$0")/../../scripts/wine-lib.sh"
wine_session_begin "$1" symbols
"$WINE" "$2" "$(winpath "$3")" "$4" ${5:+"$5"}
status=$?
wine_session_end
exit "$status"
