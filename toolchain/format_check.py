#!/usr/bin/python3
"""Checks the arguments of minwdm's printf-style calls against their formats, Windows' directives
included (%wZ %Z %ws %ls %S %wc %lc %C), which compilers check only in part: clang for Windows
targets counts them (so nothing after them is misread) and checks %ws/%wc's arguments, not %wZ's
or %Z's; MinGW GCC checks nothing of a call that has one.

It parses each C file with clang (libclang, the flags of its build in compile_commands.json),
finds every call to a function declared with FORMAT_CHECK(format, first) or
__attribute__((format(printf, ...))) (format_string, log_message and so every LOG_* and log_at,
and a driver's own), reads the format when it is a string literal, and checks each directive as
core/format.c reads it: the argument count, and each argument's type (%wZ a UNICODE_STRING or
struct kstring pointer, %Z an ANSI_STRING or struct kstring_ansi pointer, %ws a pointer to 16-bit
units, %s to chars, %p any pointer, integers by size). A directive the formatter does not know
(it would print "[bad format ...]") is a finding too.

  format_check.py --compile <compiler> [flags...] -- <file.c>
        the check add_wdm_driver runs on each driver source as part of the build (any project,
        the kit installed or not): findings are "file:line: error: ..." and exit 1, so the build
        fails at the user's line; a file without a Windows directive is not even parsed
  format_check.py <build-dir> [file.c ...]   files with a Windows directive, or the ones named
  format_check.py --expect <build-dir> <file.c>
        a test: every line of file.c marked /* finding: <text> */ must be reported with <text>
        in the message, and nothing else (tests/lint/format_mismatch.c)
Exit status: 0 nothing found, 1 findings, 2 cannot run.
"""
import json
import glob
import os
import re
import shlex
import sys

ci = None


def load_libclang():
    global ci
    try:
        import clang.cindex
    except ImportError:
        print("format_check: python3-clang is missing: run ./scripts/setup "
              "(Debian: apt-get install python3-clang)", file=sys.stderr)
        sys.exit(2)
    ci = clang.cindex
    global CHAR_KINDS, INTEGER_KINDS
    CHAR_KINDS = {ci.TypeKind.CHAR_S, ci.TypeKind.CHAR_U, ci.TypeKind.SCHAR, ci.TypeKind.UCHAR}
    INTEGER_KINDS = CHAR_KINDS | {
        ci.TypeKind.SHORT, ci.TypeKind.USHORT, ci.TypeKind.INT, ci.TypeKind.UINT, ci.TypeKind.LONG,
        ci.TypeKind.ULONG, ci.TypeKind.LONGLONG, ci.TypeKind.ULONGLONG, ci.TypeKind.BOOL,
        ci.TypeKind.ENUM, ci.TypeKind.WCHAR, ci.TypeKind.CHAR16}

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# A Windows directive somewhere in a file: only such files need parsing.
WINDOWS_DIRECTIVE = re.compile(r'%[-+ #0-9.*]*(w[sZc]|l[sc]|[SCZ])')
FORMAT_ATTRIBUTE = re.compile(
    r'FORMAT_CHECK\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)|'
    r'format\s*\(\s*(?:__)?(?:gnu_)?printf(?:__)?\s*,\s*(\d+)\s*,\s*(\d+)\s*\)')

UNICODE_STRUCTS = {'struct _UNICODE_STRING', 'struct kstring'}
ANSI_STRUCTS = {'struct _STRING', 'struct kstring_ansi'}
CHAR_KINDS = INTEGER_KINDS = None  # set by load_libclang


def directives(text):
    """What core/format.c takes for each directive of a format: a list of (directive, kind),
    kind one of 'int' (a *), 'integer:<size>', 'pointer', 'string', 'char', 'wide', 'wide_char',
    'unicode', 'ansi'; or (directive, None) for one it does not know, which ends the format."""
    taken = []
    i = 0
    while i < len(text):
        if text[i] != '%':
            i += 1
            continue
        start = i
        i += 1
        while i < len(text) and text[i] in '-+ #0':
            i += 1
        stars = []
        if i < len(text) and text[i] == '*':
            stars.append('int')
            i += 1
        else:
            while i < len(text) and text[i].isdigit():
                i += 1
        if i < len(text) and text[i] == '.':
            i += 1
            if i < len(text) and text[i] == '*':
                stars.append('int')
                i += 1
            else:
                while i < len(text) and text[i].isdigit():
                    i += 1
        size = ''
        for modifier in ('hh', 'h', 'll', 'l', 'z', 'w'):
            if text.startswith(modifier, i):
                size = modifier
                i += len(modifier)
                break
        conversion = text[i] if i < len(text) else ''
        i += 1
        directive = text[start:i]
        kind = None
        if conversion in 'diuxX' and conversion and size != 'w':
            kind = 'integer:' + (size or 'int')
        elif conversion == 'p' and not size:
            kind = 'pointer'
        elif conversion == '%' and not size:
            continue
        elif conversion == 's' and size in ('', 'l', 'w'):
            kind = 'string' if not size else 'wide'
        elif conversion == 'c' and size in ('', 'l', 'w'):
            kind = 'char' if not size else 'wide_char'
        elif conversion == 'S' and not size:
            kind = 'wide'
        elif conversion == 'C' and not size:
            kind = 'wide_char'
        elif conversion == 'Z' and size in ('', 'w'):
            kind = 'unicode' if size == 'w' else 'ansi'
        if kind is None:
            taken.append((directive, None))
            return taken
        taken.extend((directive, star) for star in stars)
        taken.append((directive, kind))
    return taken


def pointee(t):
    t = t.get_canonical()
    return t.get_pointee().get_canonical() if t.kind == ci.TypeKind.POINTER else None


def struct_name(t):
    return re.sub(r'^const |^volatile ', '', t.spelling) if t is not None else ''


def integer_size(t):
    t = t.get_canonical()
    return t.get_size() if t.kind in INTEGER_KINDS else None


def mismatch(kind, t):
    """Why an argument of type t does not fit kind, or None when it does."""
    target = pointee(t)
    if kind == 'pointer':
        ok = target is not None
        want = 'a pointer'
    elif kind == 'string':
        ok = target is not None and target.kind in CHAR_KINDS
        want = 'a char pointer'
    elif kind == 'wide':
        ok = target is not None and target.kind in INTEGER_KINDS and target.get_size() == 2
        want = 'a pointer to 16-bit units (PCWSTR)'
    elif kind == 'unicode':
        ok = target is not None and struct_name(target) in UNICODE_STRUCTS
        want = 'a UNICODE_STRING pointer'
    elif kind == 'ansi':
        ok = target is not None and struct_name(target) in ANSI_STRUCTS
        want = 'an ANSI_STRING pointer'
    else:  # integers, characters, * values: by size, after promotion to int
        wanted = {'integer:ll': 8, 'integer:z': 8}.get(kind, 4)
        size = integer_size(t)
        ok = size is not None and max(size, 4) == wanted
        want = 'an integer of %d bytes' % wanted
    return None if ok else 'wants %s, gets %s' % (want, t.spelling)


def literal_text(cursor):
    """The value of a string literal argument (through casts and parentheses), or None."""
    while cursor.kind != ci.CursorKind.STRING_LITERAL:
        children = list(cursor.get_children())
        if len(children) != 1 or cursor.kind not in (ci.CursorKind.UNEXPOSED_EXPR,
                                                     ci.CursorKind.PAREN_EXPR,
                                                     ci.CursorKind.CSTYLE_CAST_EXPR):
            return None
        cursor = children[0]
    tokens = [t.spelling for t in cursor.get_tokens()]
    if not tokens or not all(t.startswith('"') for t in tokens):
        tokens = [cursor.spelling]
    value = ''
    for token in tokens:
        if not (token.startswith('"') and token.endswith('"')):
            return None
        value += token[1:-1].encode('latin-1', 'backslashreplace').decode('unicode_escape')
    return value


def format_functions(tu):
    """Functions declared with a format attribute: name -> (format index, first argument)."""
    found = {}
    for cursor in tu.cursor.get_children():
        if cursor.kind != ci.CursorKind.FUNCTION_DECL or not cursor.location.file:
            continue
        # The kit's and the project's own functions, not the system's (the DDK, libc).
        declared = os.path.abspath(cursor.location.file.name)
        if not declared.startswith(ROOT + os.sep) and declared.startswith('/usr/'):
            continue
        text = ' '.join(t.spelling for t in cursor.get_tokens())
        match = FORMAT_ATTRIBUTE.search(text)
        if match:
            numbers = [int(n) for n in match.groups() if n is not None]
            found[cursor.spelling] = (numbers[0], numbers[1])
    return found


def check_call(call, index, first):
    arguments = list(call.get_arguments())
    if len(arguments) < index:
        return []
    text = literal_text(arguments[index - 1])
    if text is None:
        return []  # a format that is not a literal: the formatter's own rules keep it safe
    rest = arguments[first - 1:] if first else []
    findings = []
    taken = directives(text)
    for n, (directive, kind) in enumerate(taken):
        if kind is None:
            findings.append('"%s": the formatter does not know %s (it would print "[bad format '
                            '%s]" and stop)' % (text, directive, directive))
            break
        if n >= len(rest):
            findings.append('"%s": no argument for %s' % (text, directive))
            break
        why = mismatch(kind, rest[n].type)
        if why:
            findings.append('"%s": argument %d for %s %s' % (text, n + 1, directive, why))
    else:
        if len(rest) > len(taken):
            findings.append('"%s": %d arguments for %d directives' % (text, len(rest), len(taken)))
    return findings


RESOURCE_DIRS = {}


def libclang_resource_dir():
    """The headers of the libclang this process loaded (<llvm>/lib/clang/<version>/include),
    found from the library's version (Debian keeps libclang-<major>.so under /usr/lib/<triplet>
    and its headers under /usr/lib/llvm-<major>): a GCC build names no clang to ask."""
    ci.conf.lib  # loads it
    with open('/proc/self/maps', encoding='utf-8', errors='replace') as maps:
        libraries = {line.split()[-1] for line in maps if 'libclang' in line and '/' in line}
    for library in sorted(libraries):
        major = re.search(r'libclang-(\d+)', os.path.basename(library))
        places = [os.path.dirname(os.path.realpath(library))]
        if major:
            places.append('/usr/lib/llvm-%s/lib' % major.group(1))
        for place in places:
            found = sorted(glob.glob(os.path.join(place, 'clang', '*', 'include', 'stddef.h')))
            if found:
                return os.path.dirname(os.path.dirname(found[-1]))
    return ''


def resource_dir(compiler):
    """clang's own headers (stddef.h, intrinsics): libclang does not always find them. A
    compiler that is not clang (MinGW GCC) has none: then libclang's own."""
    if compiler not in RESOURCE_DIRS:
        with os.popen(shlex.quote(compiler) + ' -print-resource-dir 2>/dev/null') as p:
            RESOURCE_DIRS[compiler] = p.read().strip() or libclang_resource_dir()
    return RESOURCE_DIRS[compiler]


def compile_arguments(entry, source):
    """The build's flags for entry's file, without its output and warning options."""
    words = shlex.split(entry['command']) if 'command' in entry else list(entry['arguments'])
    kept, skip = [], False
    for word in words[1:]:
        if skip:
            skip = False
        elif word in ('-o', '-MF', '-MT', '-MQ'):
            skip = True
        elif word in ('-c', '-MD', '-MMD', entry['file'], source) or word.startswith('-W'):
            continue
        else:
            kept.append(word)
    directory = resource_dir(words[0])
    return kept + (['-resource-dir', directory] if directory else []) + ['-Wno-everything']


def check_file(index, path, arguments):
    tu = index.parse(path, args=arguments)
    errors = [d for d in tu.diagnostics if d.severity >= ci.Diagnostic.Error]
    if errors:
        return [(path, 0, 'cannot parse: %s' % errors[0].spelling)], False
    functions = format_functions(tu)
    findings = []

    def walk(cursor):
        for child in cursor.get_children():
            if child.location.file and child.location.file.name != path:
                continue
            if child.kind == ci.CursorKind.CALL_EXPR and child.spelling in functions:
                line = child.extent.start.line
                for message in check_call(child, *functions[child.spelling]):
                    findings.append((path, line, '%s: %s' % (child.spelling, message)))
            walk(child)

    walk(tu.cursor)
    return findings, True


def load_database(build):
    path = os.path.join(build, 'compile_commands.json')
    try:
        with open(path) as f:
            return {os.path.abspath(e['file']): e for e in json.load(f)}
    except OSError:
        print('format_check: no %s: build first' % path, file=sys.stderr)
        sys.exit(2)


def arguments_for(database, path):
    """The file's own flags, or, for a file the build does not compile (the test fixture), those
    of a RUNTIME driver's source."""
    entry = database.get(path)
    if entry is None:
        entry = next((e for f, e in database.items() if f.endswith('/tests/drivers/buffers.c')),
                     None)
    return compile_arguments(entry, path) if entry else None


def expect(database, path):
    """The fixture's marked lines must be exactly the findings."""
    index = ci.Index.create()
    wanted = {}
    with open(path) as f:
        for number, line in enumerate(f, 1):
            match = re.search(r'/\* finding: (.*?) \*/', line)
            if match:
                wanted[number] = match.group(1)
    findings, parsed = check_file(index, path, arguments_for(database, path))
    if not parsed:
        print('%s: %s' % (path, findings[0][2]))
        return 2
    got = {}
    for _, line, message in findings:
        got.setdefault(line, []).append(message)
    failures = 0
    for line, text in sorted(wanted.items()):
        messages = got.pop(line, [])
        if any(text in m for m in messages):
            print('ok - line %d: %s' % (line, text))
        else:
            failures += 1
            print('not ok - line %d: expected a finding with "%s", got %s' % (line, text, messages))
    for line, messages in sorted(got.items()):
        failures += 1
        print('not ok - line %d: unexpected finding: %s' % (line, messages))
    print('%d passed, %d failed' % (len(wanted) - failures + len(got), failures))
    return 1 if failures else 0


def compile_mode(argv):
    """--compile <compiler> [flags...] -- <file.c>: one file, as the build compiles it."""
    if '--' not in argv or argv.index('--') < 1 or len(argv) != argv.index('--') + 2:
        print('usage: format_check.py --compile <compiler> [flags...] -- <file.c>', file=sys.stderr)
        return 2
    split = argv.index('--')
    compiler, flags, path = argv[0], argv[1:split], os.path.abspath(argv[split + 1])
    with open(path, encoding='utf-8', errors='replace') as f:
        if not WINDOWS_DIRECTIVE.search(f.read()):
            return 0  # nothing clang leaves unchecked
    load_libclang()
    directory = resource_dir(compiler)
    arguments = [a for a in flags if not a.startswith('-W')] + \
        (['-resource-dir', directory] if directory else []) + ['-Wno-everything']
    if not any(a.startswith('--target') or a == '-target' for a in arguments):
        arguments.append('--target=x86_64-w64-mingw32')  # libclang for a GCC build
    findings, parsed = check_file(ci.Index.create(), path, arguments)
    if not parsed:  # the compiler says what is wrong with the file, if it is the file
        print('%s: warning: not format-checked: libclang %s [minwdm format check]' %
              (path, findings[0][2]), file=sys.stderr)
        return 0
    for file, line, message in findings:
        print('%s:%d: error: %s [minwdm format check]' % (file, line, message), file=sys.stderr)
    return 1 if findings else 0


def main(argv):
    if argv and argv[0] == '--compile':
        return compile_mode(argv[1:])
    load_libclang()
    if len(argv) >= 3 and argv[0] == '--expect':
        return expect(load_database(argv[1]), os.path.abspath(argv[2]))
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    database = load_database(argv[0])
    if len(argv) > 1:
        paths = [os.path.abspath(p) for p in argv[1:]]
    else:
        paths = []
        for path in sorted(database):
            if not path.startswith(ROOT + os.sep) or not path.endswith('.c'):
                continue
            with open(path, encoding='utf-8', errors='replace') as f:
                if WINDOWS_DIRECTIVE.search(f.read()):
                    paths.append(path)
    index = ci.Index.create()
    status = 0
    for path in paths:
        arguments = arguments_for(database, path)
        if arguments is None:
            continue
        findings, _ = check_file(index, path, arguments)
        for file, line, message in findings:
            print('%s:%d: %s' % (os.path.relpath(file, ROOT), line, message))
            status = 1
    print('format_check: %d files with Windows directives checked, %s' %
          (len(paths), 'findings above' if status else 'nothing found'))
    return status


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
