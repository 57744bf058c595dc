# Assertions for the Wine tests (source this file). Prints TAP; finish() sets the exit status.
checks=0
failures=0
out=""

pass() {
    checks=$((checks + 1))
    echo "ok $checks - $1"
}

fail() {
    checks=$((checks + 1))
    failures=$((failures + 1))
    echo "not ok $checks - $1"
    printf '%s\n' "$out" | sed 's/^/    | /'
}

# expect <exit-code> <what> <command...>: runs the command; its output (CRs removed) goes to $out.
expect() {
    local want=$1 what=$2 rc
    shift 2
    out=$("$@" 2>&1)
    rc=$?
    out=${out//$'\r'/}
    # minwdmctl says why whenever it fails; exit 1 with no word at all is Wine losing the process
    # (seen once under load, after an unload): run again, and say so.
    if [ "$rc" -ne "$want" ] && [ "$rc" -eq 1 ] && [ -z "$out" ]; then
        echo "# $what: exit 1 with no output at all: run again"
        out=$("$@" 2>&1)
        rc=$?
        out=${out//$'\r'/}
    fi
    if [ "$rc" -eq "$want" ]; then
        pass "$what (exit $rc)"
    else
        fail "$what: exit $rc, expected $want"
    fi
}

# reg_dword <key> <name> <value>: sets a REG_DWORD with Wine's reg.exe and reads it back. A
# failed write is tried once more (reg.exe has been seen to lose one under load) and shown as a
# TAP comment; a value that still is not there fails with what reg.exe said.
reg_dword() {
    local key=$1 name=$2 value=$3 try said
    for try in 1 2; do
        said=$("$WINE" reg add "$key" /v "$name" /t REG_DWORD /d "$value" /f 2>&1;
               "$WINE" reg query "$key" /v "$name" 2>&1)
        if printf '%s\n' "$said" | grep -Eiq "^ *$name +REG_DWORD +0x0*$(printf '%x' "$value")\b"; then
            return 0
        fi
        echo "# reg_dword $name=$value, try $try: ${said//$'\r'/}" | tr '\n' ' ' >&2
        echo >&2
    done
    return 1
}

# expect_text <extended-regex> <what>: the last command's output has a matching line.
expect_text() {
    if printf '%s\n' "$out" | grep -Eq -- "$1"; then
        pass "$2"
    else
        fail "$2: no line matches /$1/"
    fi
}

finish() {
    echo "1..$checks"
    echo "# $((checks - failures)) passed, $failures failed"
    [ "$failures" -eq 0 ]
    exit $?
}

# read_build_info <minwdm_build.h>: sets $version (x.y.z) and $build_id as the build made them,
# and $abi from include/minwdm/ioctl.h.
read_build_info() {
    version=$(sed -n 's/^#define MINWDM_VERSION_STRING "\(.*\)"$/\1/p' "$1")
    build_id=$(sed -n 's/^#define MINWDM_BUILD_ID "\(.*\)"$/\1/p' "$1")
    abi=$(sed -n 's/^#define MINWDM_ABI_VERSION \([0-9]*\)u$/\1/p' \
        "$(dirname "${BASH_SOURCE[0]}")/../../include/minwdm/ioctl.h")
    [ -n "$version" ] && [ -n "$build_id" ] && [ -n "$abi" ] || { echo "no build info in $1" >&2; exit 1; }
}

# source_line <file> <text>: the number of the one line of <file> that holds <text> (a fixed
# string), for expectations that name an exact file:line (a test must notice a wrong line).
source_line() {
    local lines
    lines=$(grep -nF -- "$2" "$1" | cut -d: -f1)
    if [ -z "$lines" ] || [ "$(wc -l <<<"$lines")" -ne 1 ]; then
        echo "source_line: \"$2\" is not on exactly one line of $1" >&2
        echo 0
        return 1
    fi
    echo "$lines"
}
