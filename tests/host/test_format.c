/*
 * The log formatter against glibc's snprintf, on a generated corpus: every conversion with random
 * flags, widths (also *), precisions (also .*), length modifiers and edge values, and typical
 * multi-argument log formats; each output also cut at a random size. Windows' strings (%ws,
 * %wZ, %wc) against glibc's %ls and %lc in a UTF-8 locale, on random UTF-16 text. Then what only
 * minwdm promises: %p as DbgPrint prints it, unknown directives ending the output with a marker
 * and taking no argument, NULL and malformed strings, the array argument source, never a byte
 * written past the buffer or read past a length or precision.
 */
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "check.h"
#include <minwdm/format.h>
#include <minwdm/kstring.h>

#define SINGLE_CASES 60000
#define LOG_CASES 20000
#define OUT_SIZE 1024
#define FORMAT_SIZE 256

enum kind { K_INT, K_CHAR, K_SHORT, K_LONG, K_LLONG, K_SIZE, K_STR, K_PTR, K_CHARACTER };

static uint64_t rng = 0x243F6A8885A308D3ull;
static unsigned mismatches;

static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static unsigned below(unsigned n)
{
    return (unsigned)(next_random() % n);
}

static uint64_t random_value(void)
{
    static const uint64_t edges[] = {
        0, 1, 2, 7, 9, 10, 15, 16, 99, 100, 127, 128, 255, 256, 32767, 32768, 65535, 65536,
        INT_MAX, (uint64_t)INT_MIN, UINT_MAX, (uint64_t)-1, (uint64_t)-2, (uint64_t)-100,
        (uint64_t)LLONG_MIN, LLONG_MAX, 0x123456789ABCDEFull, 0xDEADBEEFull};
    switch (below(3)) {
    case 0:
        return edges[below(sizeof(edges) / sizeof(edges[0]))];
    case 1:
        return next_random() % 100000;
    default:
        return next_random();
    }
}

static const char *random_string(void)
{
    static const char *const strings[] = {
        "", "a", "hello", "hello, world", "%s%n%x", "tab\tand newline\n",
        "a string that is longer than most widths the corpus uses, by some way", NULL};
    return strings[below(sizeof(strings) / sizeof(strings[0]))];
}

/* Appends one random directive for an argument of this kind; returns how many * it used. */
static int add_directive(char *format, enum kind kind)
{
    static const char *const lengths[] = {[K_INT] = "", [K_CHAR] = "hh", [K_SHORT] = "h",
                                          [K_LONG] = "l", [K_LLONG] = "ll", [K_SIZE] = "z"};
    char *p = format + strlen(format);
    int stars = 0;
    int text = kind == K_STR || kind == K_CHARACTER;

    *p++ = '%';
    for (const char *f = text ? "-" : "-+ #0"; *f; f++)
        if (below(4) == 0)
            *p++ = *f;
    switch (below(5)) {
    case 0:
        *p++ = '*';
        stars++;
        break;
    case 1:
    case 2:
        p += sprintf(p, "%u", below(3) ? below(12) : below(40));
        break;
    default:
        break;
    }
    if (kind != K_CHARACTER && below(2)) {
        *p++ = '.';
        switch (below(4)) {
        case 0:
            *p++ = '*';
            stars++;
            break;
        case 1:
            break; /* "." alone: precision 0 */
        default:
            p += sprintf(p, "%u", below(3) ? below(8) : below(30));
        }
    }
    if (kind == K_STR) {
        *p++ = 's';
    } else if (kind == K_CHARACTER) {
        *p++ = 'c';
    } else {
        p += sprintf(p, "%s", lengths[kind]);
        *p++ = "diuxX"[below(5)];
    }
    *p = '\0';
    return stars;
}

/* Appends text to a format of FORMAT_SIZE bytes. */
static void append(char *format, const char *text)
{
    size_t used = strlen(format);
    snprintf(format + used, FORMAT_SIZE - used, "%s", text);
}

static void add_text(char *format)
{
    static const char *const texts[] = {"", " ", "x=", ": ", " bytes, ", "[", "] ", "%%", "100%% "};
    append(format, texts[below(sizeof(texts) / sizeof(texts[0]))]);
}

static int random_star(void)
{
    return below(4) == 0 ? -(int)below(20) : (int)below(25);
}

static void report(const char *format, const char *want, int want_length, const char *got,
                   int got_length)
{
    if (++mismatches <= 20)
        fprintf(stderr, "format \"%s\": glibc \"%.*s\" (%d), minwdm \"%.*s\" (%d)\n", format,
                want_length < OUT_SIZE ? want_length : OUT_SIZE - 1, want, want_length,
                got_length < OUT_SIZE ? got_length : OUT_SIZE - 1, got, got_length);
}

/* Ours agrees with glibc's whole output, and cut at a random size, writes exactly that prefix
 * and not one byte more (a heap buffer of that size: AddressSanitizer sees the rest). */
static void agree(const char *format, const char *want, int want_length, const char *got,
                  int got_length, const char *cut, size_t cut_size, int cut_length)
{
    int same = want_length == got_length && memcmp(want, got, (size_t)want_length + 1) == 0;
    CHECK(same);
    if (!same)
        report(format, want, want_length, got, got_length);
    if (cut_size) {
        size_t kept = (size_t)want_length < cut_size - 1 ? (size_t)want_length : cut_size - 1;
        int cut_same = cut_length == want_length && memcmp(cut, want, kept) == 0 && cut[kept] == 0;
        CHECK(cut_same);
        if (!cut_same)
            report(format, want, want_length, cut, (int)kept);
    }
}

/* Calls snprintf and both of ours with the same arguments: *-values first, then the argument. */
#define BOTH(...)                                                                              \
    do {                                                                                       \
        want_length = snprintf(want, OUT_SIZE, format, __VA_ARGS__);                           \
        got_length = format_string(got, OUT_SIZE, format, __VA_ARGS__);                        \
        cut_length = format_string(cut, cut_size, format, __VA_ARGS__);                        \
    } while (0)
#define WITH_STARS(argument)                                                                   \
    do {                                                                                       \
        if (stars == 0)                                                                        \
            BOTH(argument);                                                                    \
        else if (stars == 1)                                                                   \
            BOTH(star[0], argument);                                                           \
        else                                                                                   \
            BOTH(star[0], star[1], argument);                                                  \
    } while (0)

static void single_case(void)
{
    static const enum kind kinds[] = {K_INT, K_CHAR, K_SHORT, K_LONG, K_LLONG, K_SIZE, K_STR,
                                      K_CHARACTER};
    enum kind kind = kinds[below(sizeof(kinds) / sizeof(kinds[0]))];
    char format[FORMAT_SIZE] = "", want[OUT_SIZE], got[OUT_SIZE];
    int star[2] = {random_star(), random_star()}, want_length = 0, got_length = 0, cut_length = 0;
    uint64_t value = random_value();
    const char *string = random_string();

    add_text(format);
    int stars = add_directive(format, kind);
    add_text(format);
    size_t cut_size = below(40);
    char *cut = cut_size ? malloc(cut_size) : NULL;

    switch (kind) {
    case K_STR:
        WITH_STARS(string);
        break;
    case K_LONG:
        WITH_STARS((long)value);
        break;
    case K_LLONG:
        WITH_STARS((long long)value);
        break;
    case K_SIZE:
        WITH_STARS((size_t)value);
        break;
    default: /* int, and hh and h arguments, promoted to int */
        WITH_STARS((int)value);
        break;
    }
    agree(format, want, want_length, got, got_length, cut, cut_size, cut_length);

    /* The array source takes the same values: integers (stars first) and strings. */
    uint64_t integers[3];
    size_t count = 0;
    for (int i = 0; i < stars && i < 2; i++)
        integers[count++] = (uint64_t)(int64_t)star[i];
    integers[count++] = value;
    struct format_arguments arguments = {.integers = integers, .integer_count = count,
                                         .strings = &string, .string_count = 1};
    char from_array[OUT_SIZE];
    int array_length = format_array(from_array, OUT_SIZE, format, &arguments);
    int same = array_length == got_length && memcmp(from_array, got, (size_t)got_length + 1) == 0;
    CHECK(same);
    if (!same)
        report(format, got, got_length, from_array, array_length);
    free(cut);
}

/* Formats shaped like log messages: several arguments of mixed kinds. */
static void log_case(void)
{
    static const enum kind shapes[][4] = {{K_STR, K_INT, K_INT, K_INT},
                                          {K_INT, K_INT, K_INT, K_STR},
                                          {K_LLONG, K_STR, K_SIZE, K_INT},
                                          {K_STR, K_STR, K_LONG, K_CHARACTER}};
    unsigned shape = below(sizeof(shapes) / sizeof(shapes[0]));
    char format[FORMAT_SIZE] = "", want[OUT_SIZE], got[OUT_SIZE];
    int want_length = 0, got_length = 0, cut_length = 0;
    uint64_t v[4];
    const char *s[4];

    for (int i = 0; i < 4; i++) {
        add_text(format);
        /* no * here: the arguments are fixed per shape */
        char directive[64] = "";
        do {
            directive[0] = '\0';
        } while (add_directive(directive, shapes[shape][i]) != 0);
        append(format, directive);
        v[i] = random_value();
        s[i] = random_string();
    }
    add_text(format);
    size_t cut_size = below(80);
    char *cut = cut_size ? malloc(cut_size) : NULL;
    switch (shape) {
    case 0:
        BOTH(s[0], (int)v[1], (int)v[2], (int)v[3]);
        break;
    case 1:
        BOTH((int)v[0], (int)v[1], (int)v[2], s[3]);
        break;
    case 2:
        BOTH((long long)v[0], s[1], (size_t)v[2], (int)v[3]);
        break;
    default:
        BOTH(s[0], s[1], (long)v[2], (int)v[3]);
        break;
    }
    agree(format, want, want_length, got, got_length, cut, cut_size, cut_length);
    free(cut);
}

/* %p prints as DbgPrint does: what glibc prints for "%.16llX" (with the same width and flags). */
static void pointers(void)
{
    char want[64], got[64];
    static const char *const widths[] = {"", "5", "20", "-20", "020"};

    for (unsigned i = 0; i < 200; i++) {
        uint64_t value = i < 2 ? i : next_random();
        const char *width = widths[i % 5];
        char ours[16], glibc[16];
        snprintf(ours, sizeof(ours), "%%%sp", width);
        snprintf(glibc, sizeof(glibc), "%%%s.16llX", width);
        int want_length = snprintf(want, sizeof(want), glibc, (unsigned long long)value);
        int got_length = format_string(got, sizeof(got), ours, (void *)(uintptr_t)value);
        CHECK(want_length == got_length && strcmp(want, got) == 0);
    }
    format_string(got, sizeof(got), "%p", (void *)(uintptr_t)0xFFFFF80012345678ull);
    CHECK_EQ(strcmp(got, "FFFFF80012345678"), 0);
}

/* A directive it does not know ends the output with a marker and takes no argument: the
 * arguments before it are printed, none after it is read. */
static void unknown_directives(void)
{
    static const struct {
        const char *format, *expected;
    } cases[] = {
        {"%n", "[bad format %n]"},
        {"%s%n%x", "one[bad format %n]"},
        {"%f %d", "[bad format %f]"},
        {"a %5q b", "a [bad format %5q]"},
        {"end %", "end [bad format %]"},
        {"%-5", "[bad format %-5]"},
        {"%lld%", "42[bad format %]"},
        {"%zs", "[bad format %zs]"},
        {"%hp", "[bad format %hp]"},
        {"%hs", "[bad format %hs]"},
        {"%I64d", "[bad format %I]"},
        {"%wd", "[bad format %wd]"},
        {"%lS", "[bad format %lS]"},
        {"%*.*q", "[bad format %*.*q]"},
        {"%-----------------------q", "[bad format %---------------]"},
        {"%d %lZ %d", "42 [bad format %lZ]"},
    };
    const uint64_t integers[] = {42, 43};
    const char *const strings[] = {"one"};
    struct format_arguments arguments = {integers, 2, strings, 1, NULL, 0, NULL, 0, NULL, 0};
    char out[64];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int length = format_array(out, sizeof(out), cases[i].format, &arguments);
        CHECK_EQ(strcmp(out, cases[i].expected), 0);
        CHECK_EQ(length, strlen(cases[i].expected));
        if (strcmp(out, cases[i].expected) != 0)
            fprintf(stderr, "  format \"%s\": got \"%s\", expected \"%s\"\n", cases[i].format,
                    out, cases[i].expected);
    }
}

/* Missing array arguments read as 0 and NULL; size 0 writes nothing; precision bounds reads. */
static void edges(void)
{
    struct format_arguments none = {NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0};
    char out[64];

    CHECK_EQ(format_array(out, sizeof(out), "%d %s %.*s|%c|", &none), 12);
    CHECK_EQ(memcmp(out, "0 (null) |\0|", 13), 0);
    CHECK_EQ(format_string(NULL, 0, "%d", 12345), 5);
    memset(out, 'x', sizeof(out));
    CHECK(format_string(out, 1, "%d", 12345) == 5 && out[0] == '\0' && out[1] == 'x');
    CHECK(format_string(out, 4, "abcdef") == 6 && strcmp(out, "abc") == 0 && out[4] == 'x');

    /* Three bytes, no NUL after them: "%.3s" must not read a fourth (AddressSanitizer). */
    char *bytes = malloc(3);
    bytes[0] = 'a';
    bytes[1] = 'b';
    bytes[2] = 'c';
    CHECK_EQ(format_string(out, sizeof(out), "[%.3s] [%.*s]", bytes, 2, bytes), 10);
    CHECK_EQ(strcmp(out, "[abc] [ab]"), 0);
    free(bytes);

    /* A huge width costs no time: the padding is counted, not written past the buffer. */
    CHECK_EQ(format_string(out, sizeof(out), "%99999999d", 1), 99999999);
    CHECK_EQ(strlen(out), sizeof(out) - 1);
}

#define WIDE_CASES 20000
#define WIDE_MAX 24

/* Our formatter with a format the compiler does not check: host printf checkers reject %wZ. */
static int unchecked(char *buffer, size_t size, const char *format, ...)
{
    va_list arguments;
    int length;

    va_start(arguments, format);
    length = format_vstring(buffer, size, format, arguments);
    va_end(arguments);
    return length;
}

/* A random code point: ASCII, Latin-1, other BMP characters, characters past U+FFFF. */
static uint32_t random_code_point(void)
{
    switch (below(5)) {
    case 0:
        return 0x20 + below(0x5F);
    case 1:
        return 0xA0 + below(0x60);
    case 2:
        return 0x100 + below(0xD800 - 0x100);
    case 3: {
        uint32_t c = 0xE000 + below(0x10000 - 0xE000);
        return c == 0xFEFF ? 0xFFFD : c; /* glibc prints U+FEFF too; any scalar will do */
    }
    default:
        return 0x10000 + below(0x100000);
    }
}

/* The same random text as UTF-16 (NUL-terminated) and as wchar_t for glibc. */
static size_t random_wide(uint16_t *units, wchar_t *wide)
{
    size_t count = 0, n = below(WIDE_MAX / 2);

    for (size_t i = 0; i < n; i++) {
        uint32_t c = random_code_point();
        wide[i] = (wchar_t)c;
        if (c >= 0x10000) {
            units[count++] = (uint16_t)(0xD800 + ((c - 0x10000) >> 10));
            units[count++] = (uint16_t)(0xDC00 + ((c - 0x10000) & 0x3FF));
        } else {
            units[count++] = (uint16_t)c;
        }
    }
    wide[n] = 0;
    units[count] = 0;
    return count;
}

/* "%" flags width precision, then ours ("ws", "wZ", "wc", ...) and glibc's ("ls", "lc"). */
static void wide_formats(char *ours, char *glibc, const char *our_conversion,
                         const char *glibc_conversion, int precision_allowed)
{
    char spec[24], width[8] = "", precision[8] = "";

    if (below(2))
        snprintf(width, sizeof(width), "%u", below(30));
    if (precision_allowed && below(2))
        snprintf(precision, sizeof(precision), ".%u", below(20));
    snprintf(spec, sizeof(spec), "%%%s%s%s", below(3) == 0 ? "-" : "", width, precision);
    snprintf(ours, 48, "<%s%s>", spec, our_conversion);
    snprintf(glibc, 48, "<%s%s>", spec, glibc_conversion);
}

/* %ws and %wZ print what glibc's %ls prints for the same text in C.UTF-8: UTF-8, widths and
 * precisions in bytes, no character cut; %wc what %lc prints. %wZ's text has no NUL after it, in
 * a heap block of its exact size: AddressSanitizer sees any read past Length. */
static void wide_against_glibc(void)
{
    uint16_t units[WIDE_MAX + 1];
    wchar_t wide[WIDE_MAX + 1];
    char ours[48], glibc[48], want[OUT_SIZE], got[OUT_SIZE], cut[OUT_SIZE];

    if (!setlocale(LC_CTYPE, "C.UTF-8")) {
        check_at(0, "the C.UTF-8 locale is there", __FILE__, __LINE__);
        return;
    }
    for (unsigned i = 0; i < WIDE_CASES; i++) {
        size_t count = random_wide(units, wide);
        int want_length, got_length, cut_length;
        size_t cut_size = below(24);
        switch (i % 3) {
        case 0:
            wide_formats(ours, glibc, below(2) ? "ws" : below(2) ? "ls" : "S", "ls", 1);
            want_length = snprintf(want, OUT_SIZE, glibc, wide);
            got_length = unchecked(got, OUT_SIZE, ours, units);
            cut_length = unchecked(cut, cut_size, ours, units);
            break;
        case 1: {
            uint16_t *exact = malloc(count * sizeof(uint16_t) + 1);
            memcpy(exact, units, count * sizeof(uint16_t));
            struct kstring k = {(uint16_t)(count * 2), (uint16_t)(count * 2), exact};
            wide_formats(ours, glibc, "wZ", "ls", 0); /* clang refuses a precision on %wZ */
            want_length = snprintf(want, OUT_SIZE, glibc, wide);
            got_length = unchecked(got, OUT_SIZE, ours, &k);
            cut_length = unchecked(cut, cut_size, ours, &k);
            free(exact);
            break;
        }
        default: {
            uint32_t c = random_code_point();
            c = c >= 0x10000 ? 0x20AC : c; /* one UTF-16 unit */
            wide_formats(ours, glibc, below(2) ? "wc" : below(2) ? "lc" : "C", "lc", 0);
            want_length = snprintf(want, OUT_SIZE, glibc, (wint_t)c);
            got_length = unchecked(got, OUT_SIZE, ours, (int)c);
            cut_length = unchecked(cut, cut_size, ours, (int)c);
        }
        }
        CHECK(want_length >= 0);
        if (want_length >= 0)
            agree(ours, want, want_length, got, got_length, cut, cut_size, cut_length);
    }
    setlocale(LC_CTYPE, "C");
}

/* Microsoft's strings where glibc has nothing to compare with: counted by Length and not by a
 * NUL, odd lengths, unpaired surrogates, NULL pointers and buffers, ANSI_STRING. */
static void wide_edges(void)
{
    static uint16_t text[] = u"Gr\u00FC\u00DFe \u20AC"; /* Grüße € */
    struct kstring greeting = {sizeof(text) - 2, sizeof(text), text};
    char out[128];

    /* The case: the int after %wZ is intact. */
    CHECK_EQ(unchecked(out, sizeof(out), "%wZ pid %d", &greeting, 42), 18);
    CHECK_EQ(strcmp(out, "Gr\xC3\xBC\xC3\x9F" "e \xE2\x82\xAC pid 42"), 0);
    /* Length bounds it, not the NUL; an odd byte is ignored; MaximumLength bounds a bad Length. */
    struct kstring part = {6, sizeof(text), text};
    CHECK_EQ(unchecked(out, sizeof(out), "[%wZ]", &part), 6);
    CHECK_EQ(strcmp(out, "[Gr\xC3\xBC]"), 0);
    part.length = 5;
    unchecked(out, sizeof(out), "[%wZ]", &part);
    CHECK_EQ(strcmp(out, "[Gr]"), 0);
    part.length = 0xFFFE;
    part.maximum_length = 4;
    unchecked(out, sizeof(out), "[%wZ]", &part);
    CHECK_EQ(strcmp(out, "[Gr]"), 0);
    /* An embedded NUL is text like any other (the logger turns it into '?'). */
    uint16_t with_nul[] = {'a', 0, 'b'};
    struct kstring nul = {6, 6, with_nul};
    CHECK_EQ(unchecked(out, sizeof(out), "%wZ", &nul), 3);
    CHECK_EQ(memcmp(out, "a\0b", 4), 0);
    /* Unpaired surrogates: U+FFFD each; a pair is one character. */
    uint16_t surrogates[] = {0xDC00, 'x', 0xD800, 0xD83D, 0xDE00, 0xD800};
    struct kstring s = {sizeof(surrogates), sizeof(surrogates), surrogates};
    unchecked(out, sizeof(out), "%wZ", &s);
    CHECK_EQ(strcmp(out, "\xEF\xBF\xBDx\xEF\xBF\xBD\xF0\x9F\x98\x80\xEF\xBF\xBD"), 0);
    /* A precision never cuts a character, and no unit past it is read: with 2 bytes of room a
     * high surrogate is not followed. */
    uint16_t high_last[] = {'a', 'b', 0xD83D};
    unchecked(out, sizeof(out), "[%.4wZ|%.2ws]", &(struct kstring){6, 6, high_last}, high_last);
    CHECK_EQ(strcmp(out, "[ab|ab]"), 0);
    unchecked(out, sizeof(out), "[%.3wc|%.2C]", 0x20AC, 0x20AC);
    CHECK_EQ(strcmp(out, "[\xE2\x82\xAC|]"), 0);
    /* NULL: the pointer, the buffer (even with a length), a wide string. */
    struct kstring empty = {0, 0, NULL}, bogus = {8, 8, NULL};
    unchecked(out, sizeof(out), "%wZ|%wZ|%wZ|%ws|%8ws|%.3ws|%Z", (struct kstring *)NULL, &empty,
              &bogus, (uint16_t *)NULL, (uint16_t *)NULL, (uint16_t *)NULL, (void *)NULL);
    CHECK_EQ(strcmp(out, "(null)|(null)|(null)|(null)|  (null)||(null)"), 0);
    /* ANSI_STRING: Length bytes as they are, precision applies. */
    char ansi_text[] = {'a', 'n', 's', 'i', '!', '?'};
    struct kstring_ansi ansi = {5, 6, ansi_text};
    unchecked(out, sizeof(out), "[%Z|%.3Z|%-7Z]", &ansi, &ansi, &ansi);
    CHECK_EQ(strcmp(out, "[ansi!|ans|ansi!  ]"), 0);
    /* Every directive takes its own argument: a mix, with stars. */
    unchecked(out, sizeof(out), "%d %wZ %*ws %s %wc %Z %u", 1, &greeting, 9, u"ab", "c", 'd',
              &ansi, 7u);
    CHECK_EQ(strcmp(out, "1 Gr\xC3\xBC\xC3\x9F" "e \xE2\x82\xAC        ab c d ansi! 7"), 0);
    /* The array source: each kind from its own array. */
    const uint16_t *wides[] = {u"w"};
    const struct kstring *counted[] = {&greeting};
    const struct kstring_ansi *ansis[] = {&ansi};
    const uint64_t integers[] = {0x41, 5};
    struct format_arguments arguments = {integers, 2, NULL, 0, wides, 1, counted, 1, ansis, 1};
    CHECK_EQ(format_array(out, sizeof(out), "%wc %ws %wZ %Z %d %ws %wZ %Z", &arguments), 44);
    CHECK(strcmp(out, "A w Gr\xC3\xBC\xC3\x9F" "e \xE2\x82\xAC ansi! 5 (null) (null) (null)") == 0);
}

int main(void)
{
    for (int i = 0; i < SINGLE_CASES; i++)
        single_case();
    for (int i = 0; i < LOG_CASES; i++)
        log_case();
    pointers();
    unknown_directives();
    edges();
    wide_against_glibc();
    wide_edges();
    if (mismatches)
        fprintf(stderr, "%u mismatches with glibc\n", mismatches);
    return check_done("test_format");
}
