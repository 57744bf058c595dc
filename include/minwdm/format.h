/*
 * A printf-style formatter in portable C for the driver's log: no allocation, no DDK header, no
 * floating point, a bounded stack, safe at any IRQL up to DISPATCH_LEVEL (nothing paged; the
 * strings it is given must be resident there). It never writes past its buffer and never reads
 * a string past its length or precision.
 *
 * C's directives: %d %i %u %x %X %p %s %c %%; the flags - + space # 0; a width and a precision,
 * as numbers or *; the length modifiers hh h l ll z. It agrees with C's snprintf on all of these,
 * but for %p, which prints as DbgPrint does: 16 uppercase hex digits, no "0x" (a precision
 * changes the digit count). A NULL %s prints "(null)", or nothing when the precision is below 6,
 * as glibc does.
 *
 * Windows' strings, written as UTF-8 by this code (RtlUnicodeToMultiByte* would need
 * PASSIVE_LEVEL):
 *   %wZ  UNICODE_STRING * (struct kstring *): Length bytes, never up to a NUL; an odd last byte
 *        is ignored, and never more than MaximumLength bytes are read
 *   %Z   ANSI_STRING * (struct kstring_ansi *): Length bytes, copied as they are
 *   %ws %ls %S  a NUL-terminated UTF-16 string (PCWSTR, const uint16_t *)
 *   %wc %lc %C  one UTF-16 unit (WCHAR, promoted to int)
 * A surrogate without its partner prints as U+FFFD; a NULL pointer, or a counted string with a
 * NULL Buffer, as "(null)". Width and precision count bytes of UTF-8 and only whole characters
 * are printed, as C's %ls does in a UTF-8 locale.
 *
 * A directive it does not know (%n, %f, %I64d, %hs, a modifier on %p, a format that ends inside
 * a directive) ends the output with "[bad format %n]": no argument is taken for it, and none
 * after it, so that no argument is ever read as another's type. Compilers and scripts/lint
 * check formats against arguments (docs/strings.md).
 */
#ifndef MINWDM_CORE_FORMAT_H
#define MINWDM_CORE_FORMAT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Format checking. clang for Windows targets checks C's directives and knows Microsoft's %wZ
 * %Z %ws %wc %S %C, so no argument after them is misread (it checks %ws %wc %S %C %ls %lc
 * arguments, not %wZ and %Z ones: toolchain/format_check.py does). GCC's checker rejects %wZ and
 * misreads every argument after it, so MinGW GCC builds check nothing here: the clang build and
 * the lint test check the same sources. On other hosts, C99's rules.
 */
#if defined(__GNUC__) && !defined(__clang__) && defined(_WIN32)
#define FORMAT_CHECK(format_index, first_argument)
#elif defined(__GNUC__) && !defined(__clang__)
#define FORMAT_CHECK(format_index, first_argument) \
    __attribute__((format(gnu_printf, format_index, first_argument)))
#else
#define FORMAT_CHECK(format_index, first_argument) \
    __attribute__((format(printf, format_index, first_argument)))
#endif

/*
 * As snprintf: writes at most size bytes, the last a NUL (nothing when size is 0; buffer may then
 * be NULL), and returns the length the whole output has, so a result >= size means it was cut.
 */
int format_string(char *buffer, size_t size, const char *format, ...) FORMAT_CHECK(3, 4);
int format_vstring(char *buffer, size_t size, const char *format, va_list arguments);

/*
 * Arguments from arrays instead of the stack, for formats that come from data (the fuzzer): the
 * integer conversions, %c, %wc and * take the next integer (cut to the directive's type), %s the
 * next string, %ws the next wide string, %wZ the next counted string, %Z the next ANSI one.
 * Missing arguments read as 0 and NULL, so any format is safe.
 */
struct kstring;
struct kstring_ansi;
struct format_arguments {
    const uint64_t *integers;
    size_t integer_count;
    const char *const *strings;
    size_t string_count;
    const uint16_t *const *wide_strings;
    size_t wide_string_count;
    const struct kstring *const *counted;
    size_t counted_count;
    const struct kstring_ansi *const *ansi;
    size_t ansi_count;
};
int format_array(char *buffer, size_t size, const char *format,
                 const struct format_arguments *arguments);

#endif
