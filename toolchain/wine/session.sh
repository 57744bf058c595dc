# Wine sessions for driver tests and the demo (source this file; bash). Part of the kit.
#
# A session runs in a private prefix under <build>/wine/<name>, copied from a template prefix made
# once per build tree. The first process of a session decides the environment and stderr of
# services.exe and winedevice.exe, which hosts the driver: it runs with WINEDEBUG=warn+debugstr
# and stderr into $WINE_LOG, so every DbgPrintEx line of the driver lands there.
#
#   wine_session_begin <build-dir> <name>   fresh prefix, session started, WINE_LOG set
#   winpath <linux-path>                    the same path as Wine sees it (Z:\...)
#   wine_session_end                        ends the session (kills what still runs), then
#                                           prints a crash report if it crashed (crash-report.sh)

WINE=${WINE:-wine}
WINESERVER=${WINESERVER:-wineserver}
export WINEDLLOVERRIDES="mscoree,mshtml=" # no Mono or Gecko installer dialogs
# "-all" also silences Debian's wine32 hint: only the driver's debug channel stays open.
export WINEDEBUG=-all

# shellcheck source=crash-report.sh
. "$(dirname "${BASH_SOURCE[0]}")/crash-report.sh"

wine_die() {
    echo "wine-lib: $*" >&2
    exit 1
}

winpath() {
    local p
    p=$(readlink -f "$1") || return 1
    printf 'Z:%s' "${p//\//\\}"
}

# Where the template prefix lives: <build>/wine, or $MINWDM_WINE_TEMPLATE_DIR when set (build
# trees that share one, e.g. a project's test of a project it builds).
wine_template_dir() {
    printf '%s' "${MINWDM_WINE_TEMPLATE_DIR:-$1/wine}"
}

# Creates <build>/wine/template once per build tree and Wine version.
wine_template() {
    local dir version
    dir=$(wine_template_dir "$1")
    command -v "$WINE" >/dev/null || wine_die "wine is not installed: run ./scripts/setup"
    # A template made by an older kit lacks the crash debugger: the revision remakes it.
    version="$("$WINE" --version 2>/dev/null), template 3 (winedbg)"
    mkdir -p "$dir"
    (
        flock 9
        if [ "$(cat "$dir/template/.minwdm-wine" 2>/dev/null)" != "$version" ]; then
            rm -rf "$dir/template"
            # Wine's processes must not inherit the lock (fd 9): one that outlives the session
            # would hold it, and every later test would wait for it.
            if ! WINEPREFIX="$dir/template" "$WINE" wineboot -i >"$dir/template.log" 2>&1 9>&-; then
                cat "$dir/template.log" >&2
                wine_die "could not create a Wine prefix"
            fi
            WINEPREFIX="$dir/template" wine_crash_debugger_setup 9>&-
            # End that session: a driver started in the session that created the prefix fails.
            WINEPREFIX="$dir/template" "$WINESERVER" -k 2>/dev/null 9>&-
            WINEPREFIX="$dir/template" "$WINESERVER" -w 9>&-
            wine_kill_leftovers "$dir/template"
            echo "$version" >"$dir/template/.minwdm-wine"
        fi
    ) 9>"$dir/template.lock" || exit 1
}

# The processes whose command line matches <pattern> and that run in <prefix>.
wine_prefix_pids() {
    local pid
    for pid in $(pgrep -f "$1"); do
        if tr '\0' '\n' 2>/dev/null <"/proc/$pid/environ" | grep -qxF "WINEPREFIX=$2"; then
            echo "$pid"
        fi
    done
}

# Kills what is left of a prefix's session after wineserver -k: now and then a process (a
# winedevice.exe) outlives its server, and would outlive the test.
wine_kill_leftovers() {
    local pid
    for pid in $(wine_prefix_pids '\.exe|wineserver' "$1"); do
        kill -9 "$pid" 2>/dev/null
    done
}

wine_session_begin() {
    local build name="$2"
    build=$(cd "$1" && pwd) || wine_die "no build tree at $1"
    local dir="$build/wine/$name"
    wine_template "$build"
    if [ -d "$dir/prefix" ]; then
        WINEPREFIX="$dir/prefix" "$WINESERVER" -k 2>/dev/null
        WINEPREFIX="$dir/prefix" "$WINESERVER" -w 2>/dev/null
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    # Most of a prefix is Wine's DLLs, only ever read: hard links make the copy instant. The
    # files Wine writes (registry hives, ini files) are copied.
    cp -al "$(wine_template_dir "$build")/template" "$dir/prefix"
    find "$dir/prefix" -type f \( -name '*.reg' -o -name '*.ini' \) \
        -exec sh -c 'cp -p "$1" "$1.copy" && mv "$1.copy" "$1"' _ {} \;
    export WINEPREFIX="$dir/prefix"
    export WINE_LOG="$dir/wine-debug.log"
    WINE_SESSION_DIR="$dir"
    WINE_SESSION_BUILD="$build"
    # The session's first process stays for the whole session: Wine ends a session (services.exe,
    # the drivers in it) once no user process is left, and a busy machine leaves such gaps between
    # two commands. It is a cmd reading an idle pipe, until wine_session_end.
    # None of the session's own processes holds the caller's output open (ctest waits for it).
    (sleep 86400 | WINEDEBUG="-all,warn+debugstr,$WINE_CRASH_CHANNELS" "$WINE" cmd >/dev/null \
        2>"$WINE_LOG") </dev/null >/dev/null 2>&1 &
    WINE_SESSION_KEEPER=$!
    echo "$WINE_SESSION_KEEPER" >"$dir/keeper.pid"
    wine_overflow_watch "$WINE_SESSION_KEEPER" </dev/null >/dev/null 2>&1 &
    WINE_SESSION_WATCHER=$!
    if ! wine_wait_for_services; then
        wine_session_end # its keeper and watcher too: nothing outlives a session that never began
        wine_die "no Wine session started in $WINEPREFIX (see $WINE_LOG)"
    fi
}

# A warm session (MINWDM_WINE_WARM=<idle seconds>, run-test.sh): the session <build>/wine/<name>
# that an earlier run left running, if it still runs; it then ends after <idle> seconds without
# a run. Sets what wine_session_begin sets; returns 1 when there is none to resume.
wine_session_resume() {
    local build dir keeper
    build=$(cd "$1" && pwd) || return 1
    dir="$build/wine/$2"
    keeper=$(cat "$dir/keeper.pid" 2>/dev/null) || return 1
    kill -0 "$keeper" 2>/dev/null || return 1
    export WINEPREFIX="$dir/prefix" WINE_LOG="$dir/wine-debug.log"
    [ -n "$(wine_prefix_pids 'system32.services\.exe' "$WINEPREFIX")" ] || return 1
    WINE_SESSION_DIR="$dir" WINE_SESSION_BUILD="$build" WINE_SESSION_KEEPER=$keeper
    WINE_SESSION_WATCHER=
    touch "$dir/last-used"
}

# Leaves the session running, to be resumed, and ends it once <idle> seconds pass without a
# run (touch of last-used). The watchdog is the only process left behind, and it ends with the
# session.
wine_session_keep() {
    local idle=$1 dir=$WINE_SESSION_DIR keeper=$WINE_SESSION_KEEPER
    touch "$dir/last-used"
    [ -f "$dir/watchdog.pid" ] && kill -0 "$(cat "$dir/watchdog.pid")" 2>/dev/null && return 0
    (
        while kill -0 "$keeper" 2>/dev/null; do
            sleep 1
            [ $(($(date +%s) - $(stat -c %Y "$dir/last-used" 2>/dev/null || echo 0))) -lt "$idle" ] &&
                continue
            "$WINESERVER" -k 2>/dev/null
            "$WINESERVER" -w 2>/dev/null
            wine_kill_leftovers "$WINEPREFIX"
            pkill -P "$keeper" 2>/dev/null
            break
        done
        rm -f "$dir/watchdog.pid"
    ) </dev/null >/dev/null 2>&1 &
    echo $! >"$dir/watchdog.pid"
}

# A stack overflow ends only its thread under Wine: the driver host lives on without it, and
# the request it served never ends (the test would wait for its deadline, then unload a driver
# whose state is lost). On Windows it is a bug check: here the host is ended at once, a crash
# that minwdmctl sees within a second and the crash report explains. Runs until <keeper> ends.
wine_overflow_watch() {
    local keeper=$1 pid
    while kill -0 "$keeper" 2>/dev/null; do
        if grep -aqE "$WINE_STACK_OVERFLOW_RE" "$WINE_LOG" 2>/dev/null; then
            for pid in $(wine_prefix_pids 'winedevice\.exe' "$WINEPREFIX"); do
                kill -9 "$pid" 2>/dev/null
            done
            return 0
        fi
        sleep 0.2
    done
}

# Waits (at most 60 s) until this prefix's services.exe runs: the keeper started the session.
wine_wait_for_services() {
    for _ in $(seq 600); do
        [ -n "$(wine_prefix_pids 'system32.services\.exe' "$WINEPREFIX")" ] && return 0
        sleep 0.1
    done
    return 1
}

wine_session_end() {
    if [ -n "${WINE_SESSION_WATCHER:-}" ]; then
        kill "$WINE_SESSION_WATCHER" 2>/dev/null
        wait "$WINE_SESSION_WATCHER" 2>/dev/null
        WINE_SESSION_WATCHER=
    fi
    "$WINESERVER" -k 2>/dev/null
    "$WINESERVER" -w 2>/dev/null
    wine_kill_leftovers "$WINEPREFIX"
    if [ -n "${WINE_SESSION_KEEPER:-}" ]; then
        pkill -P "$WINE_SESSION_KEEPER" 2>/dev/null
        wait "$WINE_SESSION_KEEPER" 2>/dev/null
        WINE_SESSION_KEEPER=
    fi
    wine_crash_report
    return 0
}

# The driver's own lines from the session's debug output: "<text>" without Wine's prefix.
wine_driver_log() {
    sed -n 's/^.*warn:debugstr:vDbgPrintExWithPrefix [0-9a-f]*:[0-9a-f]*: //p' "$WINE_LOG" | tr -d '\r'
}
