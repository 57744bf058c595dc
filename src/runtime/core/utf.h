/* UTF-8 and UTF-16 code points, one at a time, for the formatter and core/kstring.c. */
#ifndef MINWDM_CORE_UTF_H
#define MINWDM_CORE_UTF_H

#include <stddef.h>
#include <stdint.h>

#define UTF_REPLACEMENT 0xFFFDu

static inline int utf16_is_high(uint32_t unit)
{
    return unit >= 0xD800 && unit <= 0xDBFF;
}

static inline int utf16_is_low(uint32_t unit)
{
    return unit >= 0xDC00 && unit <= 0xDFFF;
}

/* The code point at units[*at] (a pair counts as one), *at moved past it; an unpaired surrogate
 * reads as U+FFFD and sets *bad. Reads units[*at + 1] only for a high surrogate. */
static inline uint32_t utf16_next(const uint16_t *units, size_t count, size_t *at, int *bad)
{
    uint32_t unit = units[(*at)++];

    if (utf16_is_high(unit) && *at < count && utf16_is_low(units[*at]))
        return 0x10000u + ((unit - 0xD800u) << 10) + (units[(*at)++] - 0xDC00u);
    if (utf16_is_high(unit) || utf16_is_low(unit)) {
        *bad = 1;
        return UTF_REPLACEMENT;
    }
    return unit;
}

static inline size_t utf8_length(uint32_t c)
{
    return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
}

/* c (a scalar value: no surrogate, at most U+10FFFF) as UTF-8 in out; returns its length. */
static inline size_t utf8_encode(uint32_t c, char out[4])
{
    size_t length = utf8_length(c);

    switch (length) {
    case 1:
        out[0] = (char)c;
        break;
    case 2:
        out[0] = (char)(0xC0 | c >> 6);
        out[1] = (char)(0x80 | (c & 0x3F));
        break;
    case 3:
        out[0] = (char)(0xE0 | c >> 12);
        out[1] = (char)(0x80 | (c >> 6 & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        break;
    default:
        out[0] = (char)(0xF0 | c >> 18);
        out[1] = (char)(0x80 | (c >> 12 & 0x3F));
        out[2] = (char)(0x80 | (c >> 6 & 0x3F));
        out[3] = (char)(0x80 | (c & 0x3F));
    }
    return length;
}

/* The code point at bytes[*at], *at moved past it. An invalid sequence (RFC 3629) reads as one
 * U+FFFD per maximal invalid part (the Unicode standard's recommended practice) and sets *bad. */
static inline uint32_t utf8_next(const unsigned char *bytes, size_t count, size_t *at, int *bad)
{
    unsigned first = bytes[(*at)++];
    unsigned lower = 0x80, upper = 0xBF, more;
    uint32_t c;

    if (first < 0x80)
        return first;
    if (first >= 0xC2 && first <= 0xDF) {
        more = 1;
        c = first & 0x1F;
    } else if (first >= 0xE0 && first <= 0xEF) {
        more = 2;
        c = first & 0x0F;
        lower = first == 0xE0 ? 0xA0 : 0x80; /* no overlong form */
        upper = first == 0xED ? 0x9F : 0xBF; /* no surrogate */
    } else if (first >= 0xF0 && first <= 0xF4) {
        more = 3;
        c = first & 0x07;
        lower = first == 0xF0 ? 0x90 : 0x80; /* no overlong form */
        upper = first == 0xF4 ? 0x8F : 0xBF; /* nothing past U+10FFFF */
    } else {
        *bad = 1;
        return UTF_REPLACEMENT;
    }
    for (; more; more--) {
        if (*at >= count || bytes[*at] < lower || bytes[*at] > upper) {
            *bad = 1;
            return UTF_REPLACEMENT;
        }
        c = c << 6 | (bytes[(*at)++] & 0x3Fu);
        lower = 0x80;
        upper = 0xBF;
    }
    return c;
}

#endif
