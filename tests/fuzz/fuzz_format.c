/*
 * libFuzzer target for the log formatter: any bytes as a format and its arguments.
 *   input: <format> NUL <string> NUL <string> NUL ... <rest: 8-byte integers>
 * (a plain text file is a format without arguments: missing ones read as 0 and NULL.)
 * Each string also serves, as UTF-16, the wide directives: %ws a NUL-terminated copy, %wZ a
 * UNICODE_STRING of the string's byte count as Length (odd ones too) over exactly the units it
 * has, no NUL after them, its MaximumLength the whole length or half of it; %Z an ANSI_STRING
 * over the bytes, no NUL after them.
 * Every output goes to a heap buffer of its exact size, so AddressSanitizer sees any write past
 * it, and every string argument to one of its exact length, so it sees any read past a string.
 * The output cut at every size must be a prefix of the whole one, with the same length returned.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <minwdm/format.h>
#include <minwdm/kstring.h>

#define MAX_STRINGS 8
#define MAX_INTEGERS 16
#define MAX_OUTPUT 4096

static char *copy(const uint8_t *data, size_t length)
{
    char *s = malloc(length + 1);

    memcpy(s, data, length);
    s[length] = '\0';
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *end = data + size, *p = memchr(data, 0, size);
    char *format = copy(data, p ? (size_t)(p - data) : size);
    char *strings[MAX_STRINGS];
    uint64_t integers[MAX_INTEGERS];
    size_t string_count = 0, integer_count = 0;

    p = p ? p + 1 : end;
    while (p < end && string_count < MAX_STRINGS) {
        const uint8_t *nul = memchr(p, 0, (size_t)(end - p));
        if (!nul)
            break;
        strings[string_count++] = copy(p, (size_t)(nul - p));
        p = nul + 1;
    }
    for (; end - p >= 8 && integer_count < MAX_INTEGERS; p += 8)
        memcpy(&integers[integer_count++], p, 8);

    uint16_t *wide[MAX_STRINGS], *units[MAX_STRINGS];
    char *bytes[MAX_STRINGS];
    struct kstring counted[MAX_STRINGS];
    struct kstring_ansi ansi[MAX_STRINGS];
    const struct kstring *counted_pointers[MAX_STRINGS];
    const struct kstring_ansi *ansi_pointers[MAX_STRINGS];
    for (size_t i = 0; i < string_count; i++) {
        size_t length = strlen(strings[i]), count = length / 2;
        wide[i] = calloc(count + 1, sizeof(uint16_t));
        memcpy(wide[i], strings[i], count * 2);
        units[i] = count ? malloc(count * 2) : NULL; /* an empty one has a NULL Buffer */
        if (count)
            memcpy(units[i], strings[i], count * 2);
        counted[i].length = (uint16_t)length;
        counted[i].maximum_length = (uint16_t)(i % 2 ? length / 2 : length);
        counted[i].buffer = units[i];
        counted_pointers[i] = &counted[i];
        bytes[i] = malloc(length ? length : 1);
        memcpy(bytes[i], strings[i], length);
        ansi[i].length = (uint16_t)length;
        ansi[i].maximum_length = (uint16_t)length;
        ansi[i].buffer = bytes[i];
        ansi_pointers[i] = &ansi[i];
    }

    struct format_arguments arguments = {integers, integer_count, (const char *const *)strings,
                                         string_count, (const uint16_t *const *)wide, string_count,
                                         counted_pointers, string_count, ansi_pointers,
                                         string_count};
    char *whole = malloc(MAX_OUTPUT);
    int length = format_array(whole, MAX_OUTPUT, format, &arguments);
    if (length < 0)
        abort();
    size_t kept = (size_t)length < MAX_OUTPUT ? (size_t)length : MAX_OUTPUT - 1;
    if (whole[kept] != '\0')
        abort();
    for (size_t cut = 0; cut <= kept + 1 && cut <= 64; cut++) {
        char *part = cut ? malloc(cut) : NULL;
        if (format_array(part, cut, format, &arguments) != length)
            abort();
        if (cut && (memcmp(part, whole, cut - 1) != 0 || part[cut - 1] != '\0'))
            abort();
        free(part);
    }
    free(whole);
    for (size_t i = 0; i < string_count; i++) {
        free(strings[i]);
        free(wide[i]);
        free(units[i]);
        free(bytes[i]);
    }
    free(format);
    return 0;
}
