/*
 * libFuzzer target for counted strings (core/kstring.c): any bytes as UTF-8 and as UTF-16.
 *   input: <1 byte: output room in units> <1 byte: request offset> <rest: text>
 * Every buffer is a heap block of its exact size without a NUL after the text, so
 * AddressSanitizer sees any read or write past one. What must hold for any input:
 * - UTF-8 -> UTF-16: the size needed is the same whatever the room; a result that fit has that
 *   size; a cut one is a prefix of the whole one, with no half pair at its end; the result is
 *   well-formed UTF-16 and survives UTF-8 and back unchanged;
 * - UTF-16 -> UTF-8 of any units (lone surrogates too): the same for bytes, and a NUL after;
 * - copy and append keep what fits, a prefix of the source; equality, prefixes and suffixes
 *   agree with each other, with and without case; a duplicate equals its source and is freed;
 * - a request's view is accepted exactly when its length is even, within the data, aligned.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mem_host.h"
#include <minwdm/kstring.h>

#define TAG MEM_TAG('F', 'z', 'K', 's')

static struct mem_host host;
static struct mem_allocator allocator;

static void *copy_of(const void *data, size_t size)
{
    void *p = malloc(size ? size : 1);

    if (size)
        memcpy(p, data, size);
    return p;
}

static void require(int condition)
{
    if (!condition)
        abort();
}

static int well_formed(const uint16_t *units, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (units[i] >= 0xD800 && units[i] <= 0xDBFF) {
            if (++i >= count || units[i] < 0xDC00 || units[i] > 0xDFFF)
                return 0;
        } else if (units[i] >= 0xDC00 && units[i] <= 0xDFFF) {
            return 0;
        }
    }
    return 1;
}

static void from_utf8(const char *text, size_t size, size_t room)
{
    uint16_t *whole_units = malloc(size * sizeof(uint16_t) + 2), *cut_units = malloc(room * 2 + 1);
    struct kstring whole, cut;
    size_t needed, cut_needed;

    kstring_init(&whole, whole_units, size * sizeof(uint16_t));
    minwdm_status status = kstring_from_utf8(&whole, text, size, &needed);
    if (size * sizeof(uint16_t) <= KSTRING_MAX_BYTES) { /* at most 2 units per byte */
        require(status != MINWDM_STATUS_BUFFER_OVERFLOW && needed == whole.length);
        require(well_formed(whole.buffer, whole.length / 2));
        /* Back to UTF-8 and again to UTF-16: the same units. */
        size_t utf8_size = needed / 2 * 3 + 1;
        char *utf8 = malloc(utf8_size);
        size_t utf8_needed;
        require(kstring_to_utf8(&whole, utf8, utf8_size, &utf8_needed) == MINWDM_STATUS_SUCCESS);
        uint16_t *again_units = malloc(needed + 1);
        struct kstring again;
        kstring_init(&again, again_units, needed);
        require(kstring_from_utf8(&again, utf8, utf8_needed, NULL) == MINWDM_STATUS_SUCCESS);
        require(kstring_equal(&again, &whole, 0));
        free(again_units);
        free(utf8);
    }
    kstring_init(&cut, cut_units, room * 2);
    minwdm_status cut_status = kstring_from_utf8(&cut, text, size, &cut_needed);
    require(cut_needed == needed);
    require((cut_status == MINWDM_STATUS_BUFFER_OVERFLOW) == (needed > room * 2));
    require(cut.length <= room * 2 && well_formed(cut.buffer, cut.length / 2));
    if (size * sizeof(uint16_t) <= KSTRING_MAX_BYTES)
        require(kstring_has_prefix(&whole, &cut, 0));
    free(whole_units);
    free(cut_units);
}

static void to_utf8(const uint16_t *units, size_t count, size_t room)
{
    struct kstring s = {(uint16_t)(count * 2), (uint16_t)(count * 2), (uint16_t *)units};
    size_t needed, cut_needed;
    char *whole, *cut = malloc(room ? room : 1);

    kstring_to_utf8(&s, NULL, 0, &needed);
    whole = malloc(needed + 1);
    minwdm_status status = kstring_to_utf8(&s, whole, needed + 1, NULL);
    require(status == (well_formed(units, count) ? MINWDM_STATUS_SUCCESS
                                                 : MINWDM_STATUS_SOME_NOT_MAPPED));
    require(strlen(whole) <= needed);
    minwdm_status cut_status = kstring_to_utf8(&s, cut, room, &cut_needed);
    require(cut_needed == needed);
    require((cut_status == MINWDM_STATUS_BUFFER_OVERFLOW) == (needed >= room));
    if (room) {
        size_t kept = strnlen(cut, room);
        require(kept < room && memcmp(cut, whole, kept) == 0);
        /* Whole characters only: what follows in the whole output starts a character. */
        require(kept == needed || ((unsigned char)whole[kept] & 0xC0) != 0x80);
    }
    free(whole);
    free(cut);
}

static void copy_and_compare(const uint16_t *units, size_t count, size_t room)
{
    struct kstring from = {(uint16_t)(count * 2), (uint16_t)(count * 2), (uint16_t *)units};
    uint16_t *storage = malloc(room * 2 + 1);
    struct kstring to, copy;

    kstring_init(&to, storage, room * 2);
    minwdm_status status = kstring_copy(&to, &from);
    require((status == MINWDM_STATUS_SUCCESS) == (count <= room));
    require(kstring_has_prefix(&from, &to, 0) && kstring_has_prefix(&from, &to, 1));
    require(status != MINWDM_STATUS_SUCCESS || kstring_equal(&to, &from, 0));
    size_t before = to.length;
    kstring_append(&to, &from);
    require(to.length >= before && to.length <= room * 2);
    struct kstring appended = {(uint16_t)(to.length - before), (uint16_t)(to.length - before),
                               to.buffer + before / 2};
    require(kstring_has_prefix(&from, &appended, 0));

    /* Comparisons agree with each other. */
    struct kstring half = {(uint16_t)(count / 2 * 2), (uint16_t)(count / 2 * 2), from.buffer};
    struct kstring tail = {(uint16_t)((count - count / 2) * 2), (uint16_t)((count - count / 2) * 2),
                           from.buffer + count / 2};
    require(kstring_has_prefix(&from, &half, 0) && kstring_has_suffix(&from, &tail, 0));
    for (int ignore_case = 0; ignore_case < 2; ignore_case++) {
        int equal = kstring_equal(&to, &from, ignore_case);
        require(equal == (to.length == from.length && kstring_has_prefix(&from, &to, ignore_case)));
        require(equal == (to.length == from.length && kstring_has_suffix(&from, &to, ignore_case)));
    }
    require(!kstring_equal(&to, &from, 0) || kstring_equal(&to, &from, 1));

    if (kstring_dup(&allocator, &copy, &from, TAG, MEM_NONPAGED, NULL) == MINWDM_STATUS_SUCCESS) {
        require(kstring_equal(&copy, &from, 0) && copy.buffer[count] == 0);
        kstring_free(&allocator, &copy, TAG);
    }
    free(storage);
}

static void request(const uint8_t *data, size_t size, size_t offset)
{
    uint8_t *block = copy_of(data, size);
    struct kstring view;
    size_t length = size ? data[0] * 2u + (data[size - 1] & 1u) : 0;

    offset = offset <= size ? offset : size;
    minwdm_status status = kstring_from_request(&view, block + offset, size - offset, length);
    int fits = length % 2 == 0 && length <= size - offset &&
               (length == 0 || (uintptr_t)(block + offset) % 2 == 0);
    require((status == MINWDM_STATUS_SUCCESS) == fits);
    if (fits) {
        /* Reads every unit of the view: past the block, AddressSanitizer stops it. */
        char out[8];
        kstring_to_utf8(&view, out, sizeof(out), NULL);
        struct kstring same = view;
        require(kstring_equal(&view, &same, 1));
    }
    free(block);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    mem_host_init(&host, 0);
    mem_init(&allocator, &host.platform);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t room = data[0], offset = data[1];
    data += 2;
    size -= 2;
    if (size > KSTRING_MAX_BYTES)
        return 0;

    char *text = copy_of(data, size);
    from_utf8(text, size, room);
    free(text);

    size_t count = size / 2;
    uint16_t *units = copy_of(data, count * 2);
    to_utf8(units, count, room);
    copy_and_compare(units, count, room);
    free(units);

    request(data, size, offset);
    return 0;
}
