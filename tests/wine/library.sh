#!/usr/bin/env bash
# Runs library_client.exe (minwdmctl's library against the real driver) in its own Wine session.
#   library.sh <build-dir> <library_client.exe> <minwdm.sys>
set -u
. "$(dirname "$0")/../../scripts/wine-lib.sh"
wine_session_begin "$1" library
"$WINE" "$2" "$(winpath "$3")"
status=$?
wine_session_end
exit "$status"
