#!/usr/bin/env bash
# One add_wdm_test under Wine: a private session, then `minwdmctl <arguments>` in it (paths to
# existing files are passed as Wine sees them), then the session is ended, whatever happened.
#   run-test.sh <build-dir> <session-name> <minwdmctl.exe> <minwdmctl arguments...>
# Exits with minwdmctl's code; 1 when the session could not start.
set -u
kit=$(cd "$(dirname "$0")" && pwd)
. "$kit/session.sh"
build=$1 session=$2 loader=$3
shift 3

args=()
for a in "$@"; do
    if [ -e "$a" ] && [[ "$a" == */* ]]; then
        args+=("$(winpath "$a")")
    else
        args+=("$a")
    fi
done

wine_session_begin "$build" "test-$session"
"$WINE" "$loader" "${args[@]}"
rc=$?
wine_session_end
if [ "$rc" -ne 0 ]; then
    faults=$(grep -a -E '^wine: (Unhandled|Unimplemented|Call from)|err:.*unimplemented' "$WINE_LOG" | tr -d '\r')
    [ -n "$faults" ] && printf 'run-test: Wine reported:\n%s\n' "$faults" >&2
    echo "run-test: the driver's last log lines (kernel debug output):" >&2
    wine_driver_log | tail -n 15 | sed 's/^/    /' >&2
    echo "run-test: minwdmctl exited with $rc; the session's Wine output: $WINE_LOG" >&2
fi
exit "$rc"
