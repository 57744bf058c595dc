/*
 * A printf-style formatter in portable C for the driver's log: no allocation, no DDK header, no
 * floating point, a bounded stack, safe at any IRQL up to DISPATCH_LEVEL (nothing paged, no
 * Unicode). It never writes past its buffer and never reads a string past its precision.
 *
 * Supported: %d %i %u %x %X %p %s %c %%; the flags - + space # 0; a width and a precision, as
 * numbers or *; the length modifiers hh h l ll z. It agrees with C's snprintf on all of these,
 * but for %p, which prints as DbgPrint does: 16 uppercase hex digits, no "0x" (a precision
 * changes the digit count). A NULL %s prints "(null)", or nothing when the precision is below 6,
 * as glibc does. Anything else (%n, %f, %ls, a modifier on %s or %c, a format that ends inside a
 * directive) is copied to the output as it stands and takes no argument.
 */
#ifndef MINWDM_CORE_FORMAT_H
#define MINWDM_CORE_FORMAT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Format checking as for C99's printf, which this formatter follows (MinGW GCC's plain "printf"
 * would check against Microsoft's older rules, without %zu). */
#if defined(__GNUC__) && !defined(__clang__)
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
 * integer conversions and * take the next integer (cut to the directive's type), %s the next
 * string. Missing arguments read as 0 and NULL, so any format is safe.
 */
struct format_arguments {
    const uint64_t *integers;
    size_t integer_count;
    const char *const *strings;
    size_t string_count;
};
int format_array(char *buffer, size_t size, const char *format,
                 const struct format_arguments *arguments);

#endif
