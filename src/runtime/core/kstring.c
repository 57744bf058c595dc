#include <minwdm/kstring.h>

#include <string.h>

#include "utf.h"

/* The units a string holds: none without a buffer, never more than its capacity (a malformed
 * string is read no further than its buffer goes). */
static size_t units_of(const struct kstring *s)
{
    if (!s->buffer)
        return 0;
    return (s->length < s->maximum_length ? s->length : s->maximum_length) / sizeof(uint16_t);
}

void kstring_init(struct kstring *string, uint16_t *buffer, size_t buffer_bytes)
{
    string->length = 0;
    string->maximum_length =
        (uint16_t)(buffer_bytes < KSTRING_MAX_BYTES ? buffer_bytes & ~(size_t)1 : KSTRING_MAX_BYTES);
    string->buffer = buffer;
}

/* How many of from's first `room` units to take: all that fit, never half a surrogate pair. */
static size_t units_that_fit(const uint16_t *from, size_t count, size_t room)
{
    if (count <= room)
        return count;
    if (room > 0 && utf16_is_high(from[room - 1]) && utf16_is_low(from[room]))
        room--;
    return room;
}

static minwdm_status put_units(struct kstring *to, size_t at, const uint16_t *from, size_t count)
{
    size_t room = to->maximum_length / sizeof(uint16_t) - at;
    size_t n = units_that_fit(from, count, room);

    if (n)
        memmove(to->buffer + at, from, n * sizeof(uint16_t));
    to->length = (uint16_t)((at + n) * sizeof(uint16_t));
    return n == count ? MINWDM_STATUS_SUCCESS : MINWDM_STATUS_BUFFER_OVERFLOW;
}

minwdm_status kstring_copy(struct kstring *to, const struct kstring *from)
{
    if (!MINWDM_SUCCESS(kstring_validate(to)))
        return MINWDM_STATUS_INVALID_PARAMETER;
    return put_units(to, 0, from->buffer, units_of(from));
}

minwdm_status kstring_append(struct kstring *to, const struct kstring *from)
{
    if (!MINWDM_SUCCESS(kstring_validate(to)))
        return MINWDM_STATUS_INVALID_PARAMETER;
    return put_units(to, units_of(to), from->buffer, units_of(from));
}

/*
 * Upper case, per UTF-16 unit, for the blocks where it is simple: ASCII; Latin-1; Latin
 * Extended-A; Greek and Cyrillic's basic letters. Deliberately left out, as locale-dependent, not
 * one-to-one or not the kernel's: U+00B5 (micro), U+00DF (sharp s), U+0130/U+0131 (Turkish i),
 * U+0138, U+0149, U+017F, U+03C2 (final sigma: RtlUpcaseUnicodeChar keeps it), accented Greek.
 */
uint16_t kstring_upcase(uint16_t unit)
{
    unsigned c = unit;

    if (c < 0x80)
        return (uint16_t)(c >= 'a' && c <= 'z' ? c - 0x20 : c);
    if (c >= 0xE0 && c <= 0xFE && c != 0xF7)
        return (uint16_t)(c - 0x20);
    if (c == 0xFF)
        return 0x178;
    if ((c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
        return (uint16_t)(c & ~1u); /* pairs: upper even, lower odd */
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
        return (uint16_t)(c % 2 ? c : c - 1); /* pairs: upper odd, lower even */
    if ((c >= 0x3B1 && c <= 0x3C1) || (c >= 0x3C3 && c <= 0x3C9) || (c >= 0x430 && c <= 0x44F))
        return (uint16_t)(c - 0x20);
    if (c >= 0x450 && c <= 0x45F)
        return (uint16_t)(c - 0x50);
    return unit;
}

static int same_units(const uint16_t *a, const uint16_t *b, size_t count, int ignore_case)
{
    if (!ignore_case)
        return count == 0 || memcmp(a, b, count * sizeof(uint16_t)) == 0;
    for (size_t i = 0; i < count; i++)
        if (a[i] != b[i] && kstring_upcase(a[i]) != kstring_upcase(b[i]))
            return 0;
    return 1;
}

int kstring_equal(const struct kstring *a, const struct kstring *b, int ignore_case)
{
    return units_of(a) == units_of(b) && same_units(a->buffer, b->buffer, units_of(a), ignore_case);
}

int kstring_has_prefix(const struct kstring *string, const struct kstring *prefix, int ignore_case)
{
    return units_of(prefix) <= units_of(string) &&
           same_units(string->buffer, prefix->buffer, units_of(prefix), ignore_case);
}

int kstring_has_suffix(const struct kstring *string, const struct kstring *suffix, int ignore_case)
{
    size_t n = units_of(suffix);

    return n <= units_of(string) &&
           same_units(string->buffer + (units_of(string) - n), suffix->buffer, n, ignore_case);
}

minwdm_status kstring_dup(struct mem_allocator *allocator, struct kstring *copy,
                          const struct kstring *from, uint32_t tag, enum mem_pool pool,
                          const struct mem_site *site)
{
    minwdm_status status = kstring_validate(from);

    copy->length = copy->maximum_length = 0;
    copy->buffer = NULL;
    if (!MINWDM_SUCCESS(status))
        return status;
    /* Zeroed by the allocator: the NUL after the text is already there. */
    copy->buffer = mem_alloc(allocator, (size_t)from->length + sizeof(uint16_t), tag, pool, site);
    if (!copy->buffer)
        return MINWDM_STATUS_INSUFFICIENT_RESOURCES;
    if (from->length)
        memcpy(copy->buffer, from->buffer, from->length);
    copy->length = copy->maximum_length = from->length;
    return MINWDM_STATUS_SUCCESS;
}

void kstring_free(struct mem_allocator *allocator, struct kstring *string, uint32_t tag)
{
    mem_free(allocator, string->buffer, tag);
    string->length = string->maximum_length = 0;
    string->buffer = NULL;
}

minwdm_status kstring_from_utf8(struct kstring *to, const char *utf8, size_t bytes,
                                size_t *needed)
{
    const unsigned char *in = (const unsigned char *)utf8;
    size_t room = to->maximum_length / sizeof(uint16_t), at = 0, used = 0, whole = 0;
    int bad = 0, cut = 0;

    if (!MINWDM_SUCCESS(kstring_validate(to)) || (bytes && !utf8))
        return MINWDM_STATUS_INVALID_PARAMETER;
    while (at < bytes) {
        uint32_t c = utf8_next(in, bytes, &at, &bad);
        size_t units = c >= 0x10000 ? 2 : 1;
        whole += units;
        if (cut || used + units > room) {
            cut = 1;
            continue;
        }
        if (units == 2) {
            to->buffer[used++] = (uint16_t)(0xD800 + ((c - 0x10000) >> 10));
            to->buffer[used++] = (uint16_t)(0xDC00 + ((c - 0x10000) & 0x3FF));
        } else {
            to->buffer[used++] = (uint16_t)c;
        }
    }
    to->length = (uint16_t)(used * sizeof(uint16_t));
    if (needed)
        *needed = whole * sizeof(uint16_t);
    return cut ? MINWDM_STATUS_BUFFER_OVERFLOW
           : bad ? MINWDM_STATUS_SOME_NOT_MAPPED
                 : MINWDM_STATUS_SUCCESS;
}

minwdm_status kstring_to_utf8(const struct kstring *from, char *out, size_t size, size_t *needed)
{
    size_t count = units_of(from), at = 0, used = 0, whole = 0;
    int bad = 0, cut = 0;

    while (at < count) {
        char encoded[4];
        size_t length = utf8_encode(utf16_next(from->buffer, count, &at, &bad), encoded);
        whole += length;
        /* Room is kept for the NUL. */
        if (cut || used + length >= size) {
            cut = 1;
            continue;
        }
        memcpy(out + used, encoded, length);
        used += length;
    }
    if (size)
        out[used] = '\0';
    else
        cut = 1; /* not even room for the NUL */
    if (needed)
        *needed = whole;
    return cut ? MINWDM_STATUS_BUFFER_OVERFLOW
           : bad ? MINWDM_STATUS_SOME_NOT_MAPPED
                 : MINWDM_STATUS_SUCCESS;
}

minwdm_status kstring_validate(const struct kstring *string)
{
    if (string->length % 2 || string->maximum_length % 2 ||
        string->length > string->maximum_length || (string->maximum_length && !string->buffer))
        return MINWDM_STATUS_INVALID_PARAMETER;
    return MINWDM_STATUS_SUCCESS;
}

minwdm_status kstring_from_request(struct kstring *view, const void *data, size_t data_bytes,
                                   size_t length)
{
    view->length = view->maximum_length = 0;
    view->buffer = NULL;
    if (length % 2 || length > data_bytes || length > KSTRING_MAX_BYTES ||
        (length && (!data || (uintptr_t)data % sizeof(uint16_t))))
        return MINWDM_STATUS_INVALID_PARAMETER;
    view->length = view->maximum_length = (uint16_t)length;
    view->buffer = (uint16_t *)(uintptr_t)data;
    return MINWDM_STATUS_SUCCESS;
}
