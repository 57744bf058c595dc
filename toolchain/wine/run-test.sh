#!/usr/bin/env bash
# One add_wdm_test under Wine: a private session, then `minwdmctl <arguments>` in it (paths to
# existing files are passed as Wine sees them), then the session is ended, whatever happened.
# Before: each .sys among the arguments is checked against this Wine (an import it lacks ends
# the driver host when called: named, and the run goes on). After: a crash report, if the
# session crashed (crash-report.sh), else on failure the driver's last log lines.
#   run-test.sh <build-dir> <session-name> <minwdmctl.exe> <minwdmctl arguments...>
# A failed run's logs (Wine's output, winedbg's, the crash report) are kept in the test's own
# folder, the one of its first .sys (add_wdm_test: <build>/<test>.test; for a package's
# <test>.test/<name>/<name>.inf, whose image <name>.sys is beside it: <test>.test), under
# failed-runs/<session>-<UTC time>/: the next run does not delete them; the last 5 are kept.
# Exits with minwdmctl's code; 1 when the session could not start.
set -u
kit=$(cd "$(dirname "$0")" && pwd)
. "$kit/session.sh"
build=$1 session=$2 loader=$3
shift 3

args=() images=() logs_parent=
for a in "$@"; do
    if [ -e "$a" ] && [[ "$a" == */* ]]; then
        args+=("$(winpath "$a")")
        [[ "${a,,}" == *.sys ]] && images+=("$a")
        if [[ "${a,,}" == *.inf ]] && [ -e "${a%.*}.sys" ]; then
            images+=("${a%.*}.sys")
            logs_parent=$(dirname "$(dirname "$a")") # not into the package folder
        fi
    else
        args+=("$a")
    fi
done

wine_template "$build" # the Wine the imports are checked against, if its DLLs are elsewhere
[ ${#images[@]} -eq 0 ] || wine_check_imports "$build" "${images[@]}" ||
    echo "run-test: a call of such an import ends the driver host; the test runs anyway" >&2

# MINWDM_WINE_WARM=<seconds>: the session stays up between runs (edit, build, test: no Wine
# start and end each time) and ends after that many idle seconds, or after any failed run.
warm=${MINWDM_WINE_WARM:-0}
[[ $warm =~ ^[0-9]+$ ]] || warm=0
if [ "$warm" -gt 0 ] && wine_session_resume "$build" "warm-$session"; then
    :
elif [ "$warm" -gt 0 ]; then
    wine_session_begin "$build" "warm-$session"
else
    wine_session_begin "$build" "test-$session"
fi
offset=$(stat -c %s "$WINE_LOG" 2>/dev/null || echo 0)
# The verifier's findings name module+offset: symbolized here, as crash reports are.
"$WINE" "$loader" "${args[@]}" | wine_symbolize_sites "${images[@]}"
rc=${PIPESTATUS[0]}
if [ "$warm" -gt 0 ]; then
    # This run's part of the session's output (with where every module of it was loaded).
    full_log=$WINE_LOG
    WINE_LOG=$WINE_SESSION_DIR/run.log
    { grep -a ':trace:loaddll:' "$full_log"; tail -c +$((offset + 1)) "$full_log"; } >"$WINE_LOG"
    if [ "$rc" -eq 0 ] && [ -z "$(wine_crash_lines)" ]; then
        wine_session_keep "$warm"
        WINE_CRASH_REPORTED=
    else
        wine_session_end # a failed run may leave anything behind: the next starts afresh
        rm -f "$WINE_SESSION_DIR/keeper.pid"
    fi
else
    wine_session_end
fi
if [ "$rc" -ne 0 ] && [ -z "$WINE_CRASH_REPORTED" ]; then
    echo "run-test: the driver's last log lines (kernel debug output):" >&2
    wine_driver_log | tail -n 15 | sed 's/^/    /' >&2
fi
if [ "$rc" -ne 0 ]; then
    folder=$(cd "${logs_parent:-$(dirname "${images[0]:-$build/wine/x}")}" && pwd)/failed-runs
    kept=$folder/$session-$(date -u +%Y%m%dT%H%M%SZ)
    if mkdir -p "$kept" 2>/dev/null; then
        cp "$WINE_LOG" "$kept/wine-debug.log" 2>/dev/null
        cp "$(wine_crash_debugger_log)" "$kept/winedbg.log" 2>/dev/null
        wine_driver_log >"$kept/driver.log" 2>/dev/null
        [ -z "$WINE_CRASH_REPORTED" ] || wine_crash_report 2>"$kept/crash-report.txt"
        # The newest 5 runs stay.
        find "$folder" -mindepth 1 -maxdepth 1 -type d -printf '%T@ %p\n' | sort -rn |
            tail -n +6 | cut -d' ' -f2- | while read -r old; do rm -rf "$old"; done
        echo "run-test: minwdmctl exited with $rc; this run's logs are kept in $kept" >&2
    else
        echo "run-test: minwdmctl exited with $rc; the session's Wine output: $WINE_LOG" >&2
    fi
fi
exit "$rc"
