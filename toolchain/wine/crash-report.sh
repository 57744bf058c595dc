# shellcheck shell=bash disable=SC2034 # variables set for the caller (namerefs, results)
# Crash reports of Wine sessions (sourced by session.sh; bash). Part of the kit.
#
# Under Wine a driver's fault ends its host, winedevice.exe, not the machine. A session keeps
# what it takes to say where, and wine_session_end prints the report when the session crashed:
#
#   - The prefix's AeDebug debugger is winedbg running C:\minwdm-winedbg.txt, `bt` then `kill`
#     (set once in the template): Wine starts it on an unhandled exception, and it writes the
#     exception and the faulting thread's backtrace, with function and file:line from the
#     driver's PDB or DWARF, into C:\minwdm-crash.log of the session's prefix, then ends the
#     process. (winedbg --auto, Wine's default, writes to its console: a service has none, so its
#     backtrace went nowhere. It also detaches, and a process resumed past a breakpoint now and
#     then: killed, a breakpoint ends the host every time, as on Windows without a debugger.)
#   - $WINE_LOG gets two more channels. loaddll: where each module was loaded, so a frame is
#     also module+offset and a driver's image can be symbolized without winedbg. err+ntoskrnl:
#     the only trace of KeBugCheckEx, which in Wine 8 logs its code and parameters and calls
#     ExitProcess: no exception, no debugger, no stack. The report then names the places that
#     call KeBugCheckEx in the driver's image (wdmimage calls).
#   - A frame in one of the session's own images is named again from the image's symbols with
#     llvm-symbolizer (<name>.pdb with clang, <name>.debug with GCC), one frame per inlined
#     function: winedbg misreads some of GCC's line tables, and does not step back from a
#     return address to the call.
#
#   wine_crash_report                      prints the session's crash report, if it crashed
#   wine_check_imports <build> <image>...  names the imports this Wine lacks (wdmimage)

WINE_CRASH_CHANNELS="err+ntoskrnl,err+seh,err+virtual,trace+loaddll"
# A stack overflow leaves no room to raise an exception: Wine logs it (err:virtual or err:seh)
# and ends the thread, not the process, so no debugger runs and the host lives on without it.
WINE_STACK_OVERFLOW_RE=':err:(virtual|seh):[a-z_]+ stack overflow'
# The kit's own folders (source tree or installed): a frame there is not the driver's.
WINE_KIT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
# The log lands in the prefix: C: is <prefix>/drive_c. Wine starts the debugger with the
# crashed process's id and an event to signal; cmd gives it a file for its output.
WINE_CRASH_DEBUGGER='cmd /c C:\windows\system32\winedbg.exe --file C:\minwdm-winedbg.txt %ld %ld >>C:\minwdm-crash.log 2>&1'
WINE_KIT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Makes winedbg the debugger of the prefix of the running session (wine_template does it once).
wine_crash_debugger_setup() {
    printf 'bt\nkill\n' >"$WINEPREFIX/drive_c/minwdm-winedbg.txt"
    "$WINE" reg add 'HKLM\Software\Microsoft\Windows NT\CurrentVersion\AeDebug' /v Debugger \
        /t REG_SZ /d "$WINE_CRASH_DEBUGGER" /f >/dev/null 2>&1
}

# The line that begins each of winedbg's reports in that log: "WineDbg starting on pid 0x..."
# (Wine 8), "WineDbg attached to pid 0x..." (Wine 10). tests/host/crash_report_log.sh has both.
WINE_DEBUGGER_SECTION='^WineDbg (starting on|attached to) pid '

wine_crash_debugger_log() {
    printf '%s' "$WINEPREFIX/drive_c/minwdm-crash.log"
}

# The lines of $WINE_LOG that tell of a crash: an unhandled exception, a call of a function
# Wine lacks, a bug check.
wine_crash_lines() {
    grep -a -E "^wine: (Unhandled|Unimplemented function)|:err:ntoskrnl:KeBugCheck|$WINE_STACK_OVERFLOW_RE" \
        "$WINE_LOG" 2>/dev/null | tr -d '\r'
}

# Whether a frame's file:line is the kit's or the system's (a header of the DDK, the compiler or
# the kit, the runtime's sources), not the driver's own code: wherever the kit is installed.
wine_frame_is_kit() {
    local place=${1%:*}
    case $place in
    "$WINE_KIT_ROOT"/include/* | "$WINE_KIT_ROOT"/toolchain/* | "$WINE_KIT_ROOT"/src/runtime/* | \
        "$WINE_KIT_ROOT"/share/minwdm/* | "$WINE_KIT_ROOT"/include/minwdm/*) return 0 ;;
    /usr/*.h | /usr/*/include/* | /usr/lib/*) return 0 ;;
    esac
    return 1
}

# A Windows path as the Linux path it stands for (Z: is /, C: the prefix's drive_c), into
# the variable named $1.
wine_unix_path_to() {
    local -n result=$1
    local p=${2//\\\\/\\}
    case $p in
    [Zz]:*) p=${p:2} ;;
    [Cc]:*) p=$WINEPREFIX/drive_c${p:2} ;;
    esac
    result=${p//\\//}
}

# WINE_MODULES: "<base> <native|builtin> <path>" of each module the session loaded, from the
# loaddll lines of $WINE_LOG.
wine_modules_read() {
    local base kind path unix
    WINE_MODULES=()
    while read -r base kind path; do
        wine_unix_path_to unix "$path"
        WINE_MODULES+=("$base $kind $unix")
    done < <(sed -n 's/^[0-9a-f]*:trace:loaddll:build_module Loaded L"\(.*\)" at \([0-9A-F]*\): \([a-z]*\).*/\2 \3 \1/p' \
        "$WINE_LOG" 2>/dev/null | tr -d '\r' | sort -u)
}

# SizeOfImage of the PE file <path> (0 when it cannot be read): e_lfanew at 0x3C, then the PE
# signature (4 bytes), the file header (20) and 56 bytes of the optional header.
wine_image_size() {
    local nt size
    nt=$(od -An -t u4 -j 60 -N 4 "$1" 2>/dev/null | tr -d ' ')
    size=$( [ -n "$nt" ] && od -An -t u4 -j $((nt + 80)) -N 4 "$1" 2>/dev/null | tr -d ' ')
    echo "${size:-0}"
}

# Sets MODULE_BASE, MODULE_KIND and MODULE_PATH to the module named <name> (winedbg drops a
# builtin's extension; empty: any) that holds <address>: the one with the closest base below,
# if the address is inside its image (modules the log does not list, ntdll's, are not
# another module's: no name rather than a wrong one).
wine_module_at() {
    local name=${1,,} address=$(($2)) entry base rest file size found=1
    MODULE_BASE=0 MODULE_KIND="" MODULE_PATH=""
    for entry in "${WINE_MODULES[@]}"; do
        base=$((0x${entry%% *})) rest=${entry#* }
        file=${rest#* } file=${file##*/} file=${file,,}
        [ -z "$name" ] || [ "$file" = "$name" ] || [ "${file%.*}" = "$name" ] || continue
        if [ "$base" -le "$address" ] && [ "$base" -ge "$MODULE_BASE" ]; then
            MODULE_BASE=$base MODULE_KIND=${rest%% *} MODULE_PATH=${rest#* } found=0
        fi
    done
    if [ "$found" = 0 ]; then
        size=$(wine_image_size "$MODULE_PATH")
        if [ "$size" -gt 0 ] && [ "$address" -ge $((MODULE_BASE + size)) ]; then
            MODULE_BASE=0 MODULE_KIND="" MODULE_PATH="" found=1
        fi
    fi
    return $found
}

wine_tool() { # the first of the names on PATH, versioned LLVM names too
    local name version
    for name in "$@"; do
        for version in "" -19 -18 -17 -16 -15 -14; do
            command -v "$name$version" && return 0
        done
    done
    return 1
}

# "function<TAB>file:line" of <rva> in <image>, one line per level of inlining, innermost
# first, from <name>.pdb beside the image (clang) or the .debug file it names (GCC).
# --functions=short: the name from the debug info (by default llvm-symbolizer 14 names a GCC
# image's code after its one COFF symbol, DriverEntry).
wine_symbolize() {
    local image=$1 rva=$2 symbolizer answer i place
    symbolizer=$(wine_tool llvm-symbolizer) || return 1
    mapfile -t answer < <(cd "$(dirname "$image")" &&
        "$symbolizer" --functions=short --obj="$(basename "$image")" --relative-address \
            "$(printf '0x%x' $((rva)))" 2>/dev/null)
    [ -n "${answer[0]:-}" ] && [ "${answer[0]}" != "??" ] || return 1
    for ((i = 0; i + 1 < ${#answer[@]}; i += 2)); do
        [ -n "${answer[i]}" ] || break
        place=${answer[i + 1]}
        [[ $place =~ :[0-9]+:[0-9]+$ ]] && place=${place%:*} # no column
        printf '%s\t%s\n' "${answer[i]}" "$place"
    done
}

# A filter: each "<image>.sys+0x<rva>" in the lines it reads (the verifier's findings) becomes
# "<function> (<file>:<line>)" when one of the images given (matched by file name) has symbols
# for it: the innermost function, where inlining put the call. One llvm-symbolizer per image for
# all its sites, so the lines come out when the input ends.
#   ... | wine_symbolize_sites <image.sys>...
wine_symbolize_sites() {
    local lines=() line rest site name image rva symbolizer answer i k
    local -A wanted=() known=()
    mapfile -t lines
    for line in "${lines[@]}"; do
        rest=$line
        while [[ $rest =~ ([A-Za-z0-9_.-]+\.sys)\+0x([0-9a-fA-F]+) ]]; do
            site=${BASH_REMATCH[0]} name=${BASH_REMATCH[1]} rva=${BASH_REMATCH[2]}
            rest=${rest#*"$site"}
            [ -n "${known[$site]+set}" ] && continue
            known[$site]=$site
            wanted[$name]+=" 0x$rva"
        done
    done
    symbolizer=$(wine_tool llvm-symbolizer) || symbolizer=""
    for image in "$@"; do
        name=${image##*/}
        [ -n "$symbolizer" ] && [ -n "${wanted[$name]:-}" ] || continue
        read -ra rva <<<"${wanted[$name]}"
        mapfile -t answer < <(cd "$(dirname "$image")" &&
            "$symbolizer" --functions=short --obj="$name" --relative-address "${rva[@]}" 2>/dev/null)
        # Per address: function and place lines (one pair per inlined level), then a blank line.
        k=0
        for ((i = 0; i < ${#answer[@]} && k < ${#rva[@]}; i++)); do
            if [ -z "${answer[i]}" ]; then
                continue
            fi
            local fn=${answer[i]} place=${answer[i + 1]:-??}
            [[ $place =~ :[0-9]+:[0-9]+$ ]] && place=${place%:*}
            site="$name+0x${rva[k]#0x}"
            [ "$fn" != "??" ] && known[$site]="$fn ($place)"
            k=$((k + 1))
            # skip the inlined callers' pairs up to the blank line
            for ((i = i + 2; i < ${#answer[@]}; i++)); do
                [ -z "${answer[i]}" ] && break
            done
        done
    done
    for line in "${lines[@]}"; do
        rest=$line
        while [[ $rest =~ ([A-Za-z0-9_.-]+\.sys)\+0x([0-9a-fA-F]+) ]]; do
            site=${BASH_REMATCH[0]}
            rest=${rest#*"$site"}
            line=${line/"$site"/"${known[$site]}"}
        done
        printf '%s\n' "$line"
    done
}

# wdmimage: $MINWDM_WDMIMAGE, the installed kit's, or the one a build tree made.
wine_wdmimage() {
    local candidate
    for candidate in "${MINWDM_WDMIMAGE:-}" "$WINE_KIT_DIR/../../bin/wdmimage" \
        "${1:-}/host-tools/wdmimage" "${WINE_SESSION_BUILD:-}/host-tools/wdmimage"; do
        [ -n "$candidate" ] && [ -x "$candidate" ] && { printf '%s' "$candidate"; return 0; }
    done
    return 1
}

# The folders that hold this Wine's 64-bit PE builtins: $MINWDM_WINE_DLL_DIR, the usual
# places beside the installed wine, else the copies Wine put in the template prefix.
wine_dll_dirs() {
    local root dir
    if [ -n "${MINWDM_WINE_DLL_DIR:-}" ]; then
        printf '%s\n' "$MINWDM_WINE_DLL_DIR"
        return 0
    fi
    root=$(dirname "$(dirname "$(readlink -f "$(command -v "$WINE")")")")
    for dir in "$root"/lib/x86_64-linux-gnu/wine/x86_64-windows "$root"/lib64/wine/x86_64-windows \
        "$root"/lib/wine/x86_64-windows /usr/lib/x86_64-linux-gnu/wine/x86_64-windows \
        /usr/lib64/wine/x86_64-windows /usr/lib/wine/x86_64-windows; do
        [ -f "$dir/ntoskrnl.exe" ] && { printf '%s\n' "$dir"; return 0; }
    done
    dir=$(wine_template_dir "${1:-.}")/template/drive_c/windows/system32
    [ -f "$dir/ntoskrnl.exe" ] && printf '%s\n%s\n' "$dir" "$dir/drivers"
}

# Names each import of the images that this Wine lacks or only stubs (to stderr); returns 1
# when there is one. Needs wdmimage; without it, says so and returns 0.
wine_check_imports() {
    local build=$1 wdmimage dirs image out rc=0
    shift
    wdmimage=$(wine_wdmimage "$build") || {
        echo "wine-lib: no wdmimage to check the imports against Wine (set MINWDM_WDMIMAGE)" >&2
        return 0
    }
    mapfile -t dirs < <(wine_dll_dirs "$build")
    for image in "$@"; do
        out=$("$wdmimage" wine-imports "$image" "${dirs[@]}" 2>&1) && continue
        rc=1
        printf '%s\n' "$out" | sed 's/^wdmimage: /warning: /' >&2
    done
    return $rc
}

# What this Wine makes of an import of the session's drivers: "(... does not export it)" or
# "(a stub in ...)", from wdmimage wine-imports; empty when unknown.
wine_import_verdict() {
    local name=$1 wdmimage dirs entry rest
    wdmimage=$(wine_wdmimage) || return 0
    mapfile -t dirs < <(wine_dll_dirs "${WINE_SESSION_BUILD:-.}")
    for entry in "${WINE_MODULES[@]}"; do
        rest=${entry#* }
        [ "${rest%% *}" = native ] || continue
        "$wdmimage" wine-imports "${rest#* }" "${dirs[@]}" 2>/dev/null |
            sed -n "s/.* imports $name, which this Wine does not implement (\(.*\)):.*/\1/p"
    done | head -n 1
}

# WINE_FRAMES: the frames of the backtrace winedbg wrote for the exception at <address> (its
# first frame is there), each "<native|builtin>|<module>+0x<offset>  <function>  <file:line>";
# empty when it wrote none. A frame in one of the session's own images (native) is symbolized
# from the image's symbols, with a frame for each function inlined there (winedbg misreads
# some of GCC's line tables); a caller's frame at the call, the byte before its return address.
wine_debugger_frames() {
    local address=$(($1)) log line state="" found=0 re module middle function place frame
    local previous="" symbols offset
    WINE_FRAMES=()
    log=$(wine_crash_debugger_log)
    [ -f "$log" ] || return 0
    re='^(=>)? *[0-9]+ 0x([0-9a-f]+) (.*)in ([^ ]+)( \(\+0x[0-9a-f]+\))? \([0-9a-fx]+\)$'
    while IFS= read -r line; do
        line=${line%$'\r'}
        if [[ $line =~ $WINE_DEBUGGER_SECTION ]]; then
            [ "$found" = 1 ] && break
            state=section WINE_FRAMES=() previous=""
        elif [[ $line == Backtrace:* ]] && [ "$state" = section ]; then
            state=frames
        elif [ "$state" = frames ] && [[ $line =~ $re ]]; then
            module=${BASH_REMATCH[4]} middle=${BASH_REMATCH[3]} frame=$((0x${BASH_REMATCH[2]}))
            [ ${#WINE_FRAMES[@]} -eq 0 ] && [ "$frame" -eq "$address" ] && found=1
            [ "$frame" = "$previous" ] && continue # an inlined function, listed below
            previous=""
            if wine_module_at "$module" "$frame" && [ "$MODULE_KIND" = native ] &&
                symbols=$(wine_symbolize "$MODULE_PATH" \
                    $((frame - MODULE_BASE - (${#WINE_FRAMES[@]} > 0)))); then
                offset=$(printf '0x%x' $((frame - MODULE_BASE)))
                while IFS=$'\t' read -r function place; do
                    WINE_FRAMES+=("native|${MODULE_PATH##*/}+$offset  $function  $place")
                done <<<"$symbols"
                previous=$frame
                continue
            fi
            function=${middle%%(*} function=${function%%+0x*} function=${function% }
            [[ $function == *" "* || $function == 0x* ]] && function=""
            place=""
            # Wine 8 names a source as a DOS path (Z:\..., C:\windows\dlls\... for its own),
            # Wine 10 as the Unix path it was built from (/build/.../wine-10.0/dlls/...).
            if [[ $middle =~ \[([A-Za-z]:[^]]*:[0-9]+)\]\ *$ ]]; then
                wine_unix_path_to place "${BASH_REMATCH[1]}"
                place=${place#"$WINEPREFIX/drive_c/windows/"} # Wine's own sources
            elif [[ $middle =~ \[(/[^]]*:[0-9]+)\]\ *$ ]]; then
                place=${BASH_REMATCH[1]}
                [[ $place =~ /wine-[^/]*/((dlls|programs|include|server)/.*)$ ]] &&
                    place=${BASH_REMATCH[1]} # Wine's own sources
            fi
            wine_frame_to frame "$module" "$frame" "$function" "$place"
            WINE_FRAMES+=("$frame")
        elif [ "$state" = frames ]; then
            state=past
        fi
    done <"$log"
    [ "$found" = 1 ] || WINE_FRAMES=()
}

# One frame without winedbg's help, into the variable named $1: "<kind>|<module>+0x<offset>
# <function>  <file:line>" of <address> in the module winedbg names <module> (empty: any).
wine_frame_to() {
    local -n text=$1
    local module=$2 address=$(($3)) function=$4 place=$5 symbols offset
    if wine_module_at "$module" "$address"; then
        offset=$(printf '0x%x' $((address - MODULE_BASE)))
        if [ "$MODULE_KIND" = native ] && [ -z "$place" ] &&
            symbols=$(wine_symbolize "$MODULE_PATH" "$offset"); then
            symbols=${symbols%%$'\n'*}
            function=${symbols%%$'\t'*} place=${symbols#*$'\t'}
        fi
        text="$MODULE_KIND|${MODULE_PATH##*/}+$offset  ${function:-?}  ${place:-?}"
    else
        text="builtin|${module:-?} $(printf '0x%x' "$address")  ${function:-?}  ${place:-?}"
    fi
}

wine_bug_check_name() {
    case $(printf '%X' $((0x$1))) in
    A) echo IRQL_NOT_LESS_OR_EQUAL ;;
    1E) echo KMODE_EXCEPTION_NOT_HANDLED ;;
    19) echo BAD_POOL_HEADER ;;
    3B) echo SYSTEM_SERVICE_EXCEPTION ;;
    50) echo PAGE_FAULT_IN_NONPAGED_AREA ;;
    7E) echo SYSTEM_THREAD_EXCEPTION_NOT_HANDLED ;;
    8E) echo KERNEL_MODE_EXCEPTION_NOT_HANDLED ;;
    1000007E) echo SYSTEM_THREAD_EXCEPTION_NOT_HANDLED_M ;;
    1000008E) echo KERNEL_MODE_EXCEPTION_NOT_HANDLED_M ;;
    C2) echo BAD_POOL_CALLER ;;
    C4) echo DRIVER_VERIFIER_DETECTED_VIOLATION ;;
    CE) echo DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS ;;
    D1) echo DRIVER_IRQL_NOT_LESS_OR_EQUAL ;;
    E2) echo MANUALLY_INITIATED_CRASH ;;
    F7) echo DRIVER_OVERRAN_STACK_BUFFER ;;
    133) echo DPC_WATCHDOG_VIOLATION ;;
    139) echo KERNEL_SECURITY_CHECK_FAILURE ;;
    DEADDEAD) echo MANUALLY_INITIATED_CRASH1 ;;
    *) echo "see Microsoft's bug check code reference" ;;
    esac
}

# "STATUS_ACCESS_VIOLATION (0xC0000005)" for an exception code in hex (no 0x).
wine_exception_code_name() {
    local code name
    code=$(printf '0x%08X' $((0x$1)))
    case $code in
    0xC0000005) name=STATUS_ACCESS_VIOLATION ;;
    0xC0000094) name=STATUS_INTEGER_DIVIDE_BY_ZERO ;;
    0xC000001D) name=STATUS_ILLEGAL_INSTRUCTION ;;
    0xC00000FD) name=STATUS_STACK_OVERFLOW ;;
    0x80000002) name=STATUS_DATATYPE_MISALIGNMENT ;;
    0x80000003) name=STATUS_BREAKPOINT ;;
    *) printf '%s' "$code"; return 0 ;;
    esac
    printf '%s (%s)' "$name" "$code"
}

# What a page fault at <address> means when it lies in the driver's special pool (test builds:
# src/runtime/special_pool.c logs its layout at start, SPECIAL_ARENA_LINE in
# src/runtime/core/special_arena.h): prints "pool-overrun: ..." or "pool-use-after-free: ...",
# nothing outside it. A slot of region c has 2 << c pages; its last page (its first, for
# underruns) is the guard; every other page of it is a freed block's (live blocks do not fault).
wine_special_pool_verdict() {
    local address=$(($1)) line base class_bytes classes mode offset c slot_pages page guard
    line=$(wine_driver_log | grep -a -o 'special pool: arena 0x[0-9a-f]* class-bytes 0x[0-9a-f]* classes [0-9]* mode [a-z]*' | tail -n 1)
    [ -n "$line" ] || return 0
    read -r _ _ _ base _ class_bytes _ classes _ mode <<<"$line"
    base=$((base)) class_bytes=$((class_bytes))
    [ "$address" -ge "$base" ] && [ "$address" -lt $((base + classes * class_bytes)) ] || return 0
    offset=$((address - base))
    c=$((offset / class_bytes)) slot_pages=$((2 << c))
    page=$((offset % class_bytes / 4096 % slot_pages))
    guard=$((slot_pages - 1))
    [ "$mode" = underruns ] && guard=0
    if [ "$page" -eq "$guard" ]; then
        if [ "$mode" = underruns ]; then
            printf 'pool-overrun: %s before the start of a special-pool block (the guard page before it)' "$(printf '0x%x' "$address")"
        else
            printf 'pool-overrun: %s past the end of a special-pool block (the guard page after it, at its end + %d)' \
                "$(printf '0x%x' "$address")" $((address % 4096))
        fi
    else
        printf 'pool-use-after-free: %s in a freed special-pool block (its pages are no-access since it was freed)' \
            "$(printf '0x%x' "$address")"
    fi
}

# "verifier: <pool-overrun|pool-use-after-free>: ... at <function> (<file:line>)" for a fault at
# <address> in the special pool, by the instruction at <frame> ("<module>+0x..  <function>  <place>").
wine_special_pool_line() {
    local verdict function place
    verdict=$(wine_special_pool_verdict "$1")
    [ -n "$verdict" ] || return 0
    read -r _ function place <<<"$2"
    echo "verifier: $verdict at ${function:-?} (${place:-?})"
}

# The report of one exception (a line "wine: Unhandled ..." or "wine: Unimplemented ...").
wine_exception_report() {
    local line=$1 what address function frame at="" verdict i
    if [[ $line =~ ^wine:\ Unimplemented\ function\ ([^ ]+)\ called\ at\ address\ ([0-9A-Fa-f]+) ]]; then
        function=${BASH_REMATCH[1]##*.} address=0x${BASH_REMATCH[2]}
        verdict=$(wine_import_verdict "$function")
        what="the driver called $function, which this Wine does not implement"
        what+=" (${verdict:-${BASH_REMATCH[1]}})"
    elif [[ $line =~ ^wine:\ Unhandled\ (.*)\ at\ address\ ([0-9A-Fa-f]+) ]]; then
        what=${BASH_REMATCH[1]} address=0x${BASH_REMATCH[2]}
        what=${what/% in thread [0-9a-f]*/}
        if [ "$what" = "exception 0x80000003" ]; then
            what="breakpoint (exception 0x80000003: __debugbreak or DbgBreakPoint; on Windows"
            what+=" without a kernel debugger, bug check 0x1E)"
        fi
    else
        return 0
    fi
    wine_debugger_frames "$address"
    # The driver's frame: the first in an image of the session's own, written in its sources
    # rather than in a system or kit header (an inline function of <wdm.h>, <_mingw.h>,
    # <minwdm/...>) or the kit's runtime, wherever the kit lives.
    for frame in "${WINE_FRAMES[@]}"; do
        [[ $frame == native\|* ]] || continue
        [ -n "$at" ] || at=${frame#*|}
        wine_frame_is_kit "${frame##*  }" || { at=${frame#*|}; break; }
    done
    if [ ${#WINE_FRAMES[@]} -eq 0 ]; then # no winedbg: the address alone
        wine_frame_to frame "" "$address" "" ""
        at=${frame#*|}
    fi
    echo "crash report: $what"
    echo "  at: ${at:-${WINE_FRAMES[0]#*|}}"
    if [[ $what =~ ^page\ fault\ on\ (read|write|execute)\ access\ to\ ([0-9A-Fa-f]+) ]]; then
        wine_special_pool_line "0x${BASH_REMATCH[2]}" "${at:-${WINE_FRAMES[0]#*|}}"
    fi
    # A fault inside something the driver called (memcpy in msvcrt, a Wine export): where.
    if [ ${#WINE_FRAMES[@]} -gt 0 ] && [ -n "$at" ] && [ "${WINE_FRAMES[0]#*|}" != "$at" ]; then
        local named=""
        for frame in "${WINE_FRAMES[@]}"; do
            [ "${frame#*|}" = "$at" ] && break
            [[ ${frame#*|} == *"  ?  "* ]] && continue # no name: the next frame may name it
            named=${frame#*|}
            break
        done
        # No named frame before the driver's (winedbg 10 names no msvcrt symbol): the first.
        echo "  faulted in: ${named:-${WINE_FRAMES[0]#*|}} (called from the line above)"
    fi
    if [ ${#WINE_FRAMES[@]} -eq 0 ]; then
        echo "  (no backtrace from winedbg: see $(wine_crash_debugger_log))"
        return 0
    fi
    echo "  stack (winedbg, innermost first):"
    for i in "${!WINE_FRAMES[@]}"; do
        printf '    %2d %s\n' "$i" "${WINE_FRAMES[$i]#*|}"
    done
}

# The report of a stack overflow (Wine's err:virtual/err:seh line): no stack is left to walk, so
# the suspects are the functions of the session's drivers that can call themselves.
wine_stack_overflow_report() {
    local line=$1 thread wdmimage entry rest image function site symbols call found=0
    thread=${line%%:*}
    echo "crash report: stack overflow in thread $thread: a recursion too deep, or too much on the"
    echo "  stack (on Windows a bug check, 0x7F UNEXPECTED_KERNEL_MODE_TRAP: the kernel stack is"
    echo "  12 to 24 KB); Wine ended the thread without a stack to walk. The functions of the"
    echo "  session's drivers that call themselves, directly or through others:"
    wdmimage=$(wine_wdmimage) || { echo "  (no wdmimage to find them)"; return 0; }
    for entry in "${WINE_MODULES[@]}"; do
        rest=${entry#* }
        [ "${rest%% *}" = native ] || continue
        image=${rest#* }
        while read -r function site; do
            symbols=$(wine_symbolize "$image" "$function") || symbols="?"$'\t'"?"
            symbols=${symbols%%$'\n'*}
            call=$(wine_symbolize "$image" "$site") || call="?"$'\t'"$site"
            call=${call%%$'\n'*}
            printf '  at: %s+%s  %s  %s (the recursive call: %s)\n' "${image##*/}" "$function" \
                "${symbols%%$'\t'*}" "${symbols#*$'\t'}" "${call#*$'\t'}"
            found=1
        done < <("$wdmimage" recursion "$image" 2>/dev/null)
    done
    [ "$found" = 1 ] || echo "  (none: look for large locals or buffers on the stack)"
}

# Bug check 0xF7 from the kit's __stack_chk_fail (src/runtime/compat/stack_cookie.c): the
# function that overran its stack buffer, from the call site its log line gives.
wine_stack_cookie_report() {
    local address frame
    address=$(wine_driver_log | sed -n 's/^minwdm: stack cookie: .* called from \(0x[0-9a-f]*\) .*/\1/p' |
        tail -n 1)
    [ -n "$address" ] || return 0
    wine_frame_to frame "" "$address" "" ""
    echo "  overran: ${frame#*|}"
}

# The report of a bug check (Wine's err:ntoskrnl:KeBugCheckEx line).
wine_bug_check_report() {
    local code p1 p2 p3 p4 wdmimage entry rest image name rva symbols found=0
    read -r code p1 p2 p3 p4 <<<"${1##*:err:ntoskrnl:KeBugCheckEx }"
    printf 'crash report: bug check 0x%X (%s), parameters 0x%x, 0x%x, 0x%x, 0x%x: the driver called KeBugCheckEx\n' \
        $((0x$code)) "$(wine_bug_check_name "$code")" $((0x${p1:-0})) $((0x${p2:-0})) \
        $((0x${p3:-0})) $((0x${p4:-0}))
    [ $((0x$code)) -ne $((0xF7)) ] || wine_stack_cookie_report
    # An exception no handler took (the kit's exception guard raises these as Windows does):
    # the first two parameters are its code and the faulting instruction.
    case $(printf '%X' $((0x$code))) in
    1E | 3B | 7E | 8E | 1000007E | 1000008E)
        local frame caller called
        wine_frame_to frame "" $((0x${p2:-0})) "" ""
        # Raised outside the image (DbgBreakPoint, a routine given a bad pointer): the guard
        # unwound to the driver's call, which is the line to show.
        caller=$(wine_driver_log | sed -n 's/.*escaped the .*, called from \(0x[0-9a-f]*\), .*/\1/p' |
            tail -n 1)
        if [ -n "$caller" ]; then
            wine_frame_to called "" "$caller" "" ""
            printf '  an exception left the driver: %s, raised outside it, in a routine it called\n' \
                "$(wine_exception_code_name "${p1:-0}")"
            printf '  at: %s\n  raised at: %s\n' "${called#*|}" "${frame#*|}"
            return 0
        fi
        printf '  an exception left the driver: %s at
  at: %s
' \
            "$(wine_exception_code_name "${p1:-0}")" "${frame#*|}"
        # The address an access violation touched, from the exception guard's log line.
        local touched
        touched=$(wine_driver_log | sed -n 's/.*exception: STATUS_ACCESS_VIOLATION (0xC0000005) [a-z]* \(0x[0-9a-f]*\) escaped .*/\1/p' | tail -n 1)
        [ -z "$touched" ] || wine_special_pool_line "$touched" "${frame#*|}"
        return 0
        ;;
    esac
    echo "  Wine's KeBugCheckEx ends the driver host (ExitProcess) without an exception: there is"
    echo "  no stack to walk. The places that call it, in the drivers of the session:"
    wdmimage=$(wine_wdmimage) || { echo "  (no wdmimage to find them)"; return 0; }
    for entry in "${WINE_MODULES[@]}"; do
        rest=${entry#* }
        [ "${rest%% *}" = native ] || continue
        image=${rest#* }
        while read -r name rva; do
            symbols=$(wine_symbolize "$image" "$rva") || symbols="?"$'\t'"?"
            symbols=${symbols%%$'\n'*}
            printf '  at: %s+%s  %s  %s\n' "${image##*/}" "$rva" "${symbols%%$'\t'*}" \
                "${symbols#*$'\t'}"
            found=1
        done < <("$wdmimage" calls "$image" KeBugCheckEx KeBugCheck 2>/dev/null)
    done
    [ "$found" = 1 ] || echo "  (no call of KeBugCheckEx in the images the session loaded)"
}

# Prints the session's crash report (to stderr) when $WINE_LOG tells of a crash; sets
# WINE_CRASH_REPORTED=1 then. Call it once the session has ended.
wine_crash_report() {
    local lines line
    WINE_CRASH_REPORTED=
    [ -n "${WINE_LOG:-}" ] && [ -f "$WINE_LOG" ] || return 0
    mapfile -t lines < <(wine_crash_lines)
    [ ${#lines[@]} -gt 0 ] || return 0
    wine_modules_read
    {
        for line in "${lines[@]:0:3}"; do
            case $line in
            *:err:ntoskrnl:KeBugCheck*) wine_bug_check_report "$line" ;;
            *"stack overflow"*) wine_stack_overflow_report "$line" ;;
            *) wine_exception_report "$line" ;;
            esac
        done
        [ ${#lines[@]} -le 3 ] || echo "crash report: and $((${#lines[@]} - 3)) more: see $WINE_LOG"
        echo "  the driver's last log lines:"
        wine_driver_log | tail -n 10 | sed 's/^/    /'
        echo "  (Wine's output: $WINE_LOG; winedbg's: $(wine_crash_debugger_log))"
    } >&2
    WINE_CRASH_REPORTED=1
}
