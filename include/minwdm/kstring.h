/*
 * Counted UTF-16 strings, the kernel's UNICODE_STRING, in portable C: no DDK header, so the
 * driver, the host unit tests (with sanitizers) and the fuzzer run this same code. No function
 * allocates but kstring_dup; none is paged; all are safe at any IRQL up to DISPATCH_LEVEL, given
 * strings in nonpaged memory there.
 *
 * struct kstring has UNICODE_STRING's x64 layout (a 16-bit byte count, a 16-bit capacity in
 * bytes, a pointer); struct kstring_ansi has ANSI_STRING's. A string is bounded by its length,
 * never by a NUL, and never holds more than KSTRING_MAX_BYTES. In kernel code (after <ntddk.h>,
 * as <minwdm/runtime.h> does) every function below also takes PUNICODE_STRING and
 * PCUNICODE_STRING directly, checked by the compiler: kstring_equal(&a, registry_path, TRUE).
 *
 * Results are NTSTATUS values:
 *   MINWDM_STATUS_SUCCESS
 *   MINWDM_STATUS_BUFFER_OVERFLOW      the result did not fit: what fits was copied (whole
 *                                      characters only: never half a surrogate pair)
 *   MINWDM_STATUS_SOME_NOT_MAPPED      a success: invalid UTF-8 or an unpaired surrogate in the
 *                                      input became U+FFFD (as RtlUTF8ToUnicodeN does)
 *   MINWDM_STATUS_INVALID_PARAMETER    a malformed string
 *   MINWDM_STATUS_INSUFFICIENT_RESOURCES
 *
 * Case-insensitive comparisons fold with kstring_upcase: ASCII, Latin-1, Latin Extended-A,
 * basic Greek and basic Cyrillic (190 mappings; the table is in core/kstring.c). Every mapping it makes is one
 * the kernel's RtlUpcaseUnicodeChar makes too (checked over all 65,536 units under Wine);
 * characters outside those blocks compare exactly.
 */
#ifndef MINWDM_KSTRING_H
#define MINWDM_KSTRING_H

#include <stddef.h>
#include <stdint.h>

#include <minwdm/mem.h>
#include <minwdm/status.h>

#ifndef MINWDM_STATUS_BUFFER_OVERFLOW
#define MINWDM_STATUS_BUFFER_OVERFLOW MINWDM_STATUS(0x80000005u)
#endif
#ifndef MINWDM_STATUS_SOME_NOT_MAPPED
#define MINWDM_STATUS_SOME_NOT_MAPPED MINWDM_STATUS(0x00000107u)
#endif

/* The most bytes a counted string holds: UNICODE_STRING's 16-bit length, even. */
#define KSTRING_MAX_BYTES 0xFFFEu

/* UNICODE_STRING's layout: lengths in bytes; buffer holds maximum_length bytes. */
struct kstring {
    uint16_t length;
    uint16_t maximum_length;
    uint16_t *buffer;
};

/* ANSI_STRING's (and STRING's, OEM_STRING's) layout. */
struct kstring_ansi {
    uint16_t length;
    uint16_t maximum_length;
    char *buffer;
};

/* An empty string over a caller's buffer of buffer_bytes (capacity: at most KSTRING_MAX_BYTES,
 * rounded down to even). */
void kstring_init(struct kstring *string, uint16_t *buffer, size_t buffer_bytes);

/* Replaces to's text with from's, or appends from's to it: bounded by to's capacity. */
minwdm_status kstring_copy(struct kstring *to, const struct kstring *from);
minwdm_status kstring_append(struct kstring *to, const struct kstring *from);

/* Whether a and b hold the same text; ignore_case folds both with kstring_upcase. */
int kstring_equal(const struct kstring *a, const struct kstring *b, int ignore_case);
int kstring_has_prefix(const struct kstring *string, const struct kstring *prefix,
                       int ignore_case);
int kstring_has_suffix(const struct kstring *string, const struct kstring *suffix,
                       int ignore_case);
/* The upper case of one UTF-16 unit, as documented above; any other unit unchanged. */
uint16_t kstring_upcase(uint16_t unit);

/*
 * A copy of from in the allocator's memory (tag, pool, site as for mem_alloc), followed by a NUL
 * that length does not count (for APIs that want a PCWSTR); maximum_length == length. Free it
 * with kstring_free and the same tag, which also empties the string. An invalid from is refused.
 */
minwdm_status kstring_dup(struct mem_allocator *allocator, struct kstring *copy,
                          const struct kstring *from, uint32_t tag, enum mem_pool pool,
                          const struct mem_site *site);
void kstring_free(struct mem_allocator *allocator, struct kstring *string, uint32_t tag);

/*
 * UTF-8 to UTF-16: replaces to's text with utf8's `bytes` bytes (no NUL needed or looked for),
 * converted; each invalid sequence (RFC 3629: overlong forms, surrogates, past U+10FFFF, cut
 * sequences) becomes one U+FFFD per maximal invalid part, as the Unicode standard recommends.
 * *needed (may be NULL) gets the bytes the whole text takes in UTF-16.
 */
minwdm_status kstring_from_utf8(struct kstring *to, const char *utf8, size_t bytes,
                                size_t *needed);
/*
 * UTF-16 to UTF-8 into out (size bytes, NUL-terminated when size > 0); an unpaired surrogate
 * becomes U+FFFD. *needed (may be NULL) gets the whole text's UTF-8 length, without the NUL.
 */
minwdm_status kstring_to_utf8(const struct kstring *from, char *out, size_t size,
                              size_t *needed);

/*
 * A string handed in by someone else (a structure in a request): length and maximum_length
 * even, length <= maximum_length, a buffer when maximum_length > 0. Does not read the text.
 */
minwdm_status kstring_validate(const struct kstring *string);
/*
 * A view (no copy) of `length` bytes of UTF-16 at data, a request buffer of data_bytes: length
 * even, within the buffer and at most KSTRING_MAX_BYTES, data 2-byte aligned. No NUL is assumed
 * or needed. On failure *view is an empty string.
 */
minwdm_status kstring_from_request(struct kstring *view, const void *data, size_t data_bytes,
                                   size_t length);

/*
 * Kernel code: the same functions on the DDK's types, without casts. Each macro accepts
 * UNICODE_STRING and struct kstring pointers (const where the function only reads) and nothing
 * else; the layouts are checked here, in every driver that includes this header.
 */
/* Not for cppcheck, which does not parse _Generic, nor C++, which has none: C++ code calls the
 * functions with struct kstring pointers. */
#if defined(_WDMDDK_) && !defined(__CPPCHECK__) && !defined(__cplusplus)
_Static_assert(sizeof(struct kstring) == sizeof(UNICODE_STRING) &&
                   offsetof(struct kstring, length) == offsetof(UNICODE_STRING, Length) &&
                   offsetof(struct kstring, maximum_length) ==
                       offsetof(UNICODE_STRING, MaximumLength) &&
                   offsetof(struct kstring, buffer) == offsetof(UNICODE_STRING, Buffer) &&
                   sizeof(((UNICODE_STRING *)0)->Buffer[0]) == sizeof(uint16_t),
               "struct kstring must have UNICODE_STRING's layout");
_Static_assert(sizeof(struct kstring_ansi) == sizeof(ANSI_STRING) &&
                   offsetof(struct kstring_ansi, length) == offsetof(ANSI_STRING, Length) &&
                   offsetof(struct kstring_ansi, maximum_length) ==
                       offsetof(ANSI_STRING, MaximumLength) &&
                   offsetof(struct kstring_ansi, buffer) == offsetof(ANSI_STRING, Buffer),
               "struct kstring_ansi must have ANSI_STRING's layout");

#define KSTRING_OF(s)                                                                          \
    _Generic((s), UNICODE_STRING *: (struct kstring *)(void *)(s), struct kstring *: (s))
#define KSTRING_CONST_OF(s)                                                                    \
    _Generic((s), UNICODE_STRING *: (const struct kstring *)(const void *)(s),                 \
             const UNICODE_STRING *: (const struct kstring *)(const void *)(s),                \
             struct kstring *: (const struct kstring *)(s), const struct kstring *: (s))

#define kstring_init(s, buffer, bytes) (kstring_init)(KSTRING_OF(s), (buffer), (bytes))
#define kstring_copy(to, from) (kstring_copy)(KSTRING_OF(to), KSTRING_CONST_OF(from))
#define kstring_append(to, from) (kstring_append)(KSTRING_OF(to), KSTRING_CONST_OF(from))
#define kstring_equal(a, b, ignore_case)                                                       \
    (kstring_equal)(KSTRING_CONST_OF(a), KSTRING_CONST_OF(b), (ignore_case))
#define kstring_has_prefix(s, prefix, ignore_case)                                             \
    (kstring_has_prefix)(KSTRING_CONST_OF(s), KSTRING_CONST_OF(prefix), (ignore_case))
#define kstring_has_suffix(s, suffix, ignore_case)                                             \
    (kstring_has_suffix)(KSTRING_CONST_OF(s), KSTRING_CONST_OF(suffix), (ignore_case))
#define kstring_from_utf8(to, utf8, bytes, needed)                                             \
    (kstring_from_utf8)(KSTRING_OF(to), (utf8), (bytes), (needed))
#define kstring_to_utf8(from, out, size, needed)                                               \
    (kstring_to_utf8)(KSTRING_CONST_OF(from), (out), (size), (needed))
#define kstring_validate(s) (kstring_validate)(KSTRING_CONST_OF(s))
#define kstring_from_request(view, data, data_bytes, length)                                   \
    (kstring_from_request)(KSTRING_OF(view), (data), (data_bytes), (length))

/* The driver's allocator (<minwdm/pool.h>), nonpaged, with the call site. */
#define KSTRING_DUP(copy, from, tag)                                                           \
    kstring_dup(&driver_memory, KSTRING_OF(copy), KSTRING_CONST_OF(from), (tag), MEM_NONPAGED, \
                MEM_SITE)
#define KSTRING_FREE(string, tag) kstring_free(&driver_memory, KSTRING_OF(string), (tag))
#endif

#endif
