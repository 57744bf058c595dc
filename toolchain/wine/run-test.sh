#!/usr/bin/env bash
# One add_wdm_test under Wine: a private session, then `minwdmctl <arguments>` in it (paths to
# existing files are passed as Wine sees them), then the session is ended, whatever happened.
# Before: each .sys among the arguments is checked against this Wine (an import it lacks ends
# the driver host when called: named, and the run goes on). After: a crash report, if the
# session crashed (crash-report.sh), else on failure the driver's last log lines.
#   run-test.sh <build-dir> <session-name> <minwdmctl.exe> <minwdmctl arguments...>
# Exits with minwdmctl's code; 1 when the session could not start.
set -u
kit=$(cd "$(dirname "$0")" && pwd)
. "$kit/session.sh"
build=$1 session=$2 loader=$3
shift 3

args=() images=()
for a in "$@"; do
    if [ -e "$a" ] && [[ "$a" == */* ]]; then
        args+=("$(winpath "$a")")
        [[ "${a,,}" == *.sys ]] && images+=("$a")
    else
        args+=("$a")
    fi
done

wine_template "$build" # the Wine the imports are checked against, if its DLLs are elsewhere
[ ${#images[@]} -eq 0 ] || wine_check_imports "$build" "${images[@]}" ||
    echo "run-test: a call of such an import ends the driver host; the test runs anyway" >&2

wine_session_begin "$build" "test-$session"
# The verifier's findings name module+offset: symbolized here, as crash reports are.
"$WINE" "$loader" "${args[@]}" | wine_symbolize_sites "${images[@]}"
rc=${PIPESTATUS[0]}
wine_session_end
if [ "$rc" -ne 0 ] && [ -z "$WINE_CRASH_REPORTED" ]; then
    echo "run-test: the driver's last log lines (kernel debug output):" >&2
    wine_driver_log | tail -n 15 | sed 's/^/    /' >&2
    echo "run-test: minwdmctl exited with $rc; the session's Wine output: $WINE_LOG" >&2
fi
exit "$rc"
