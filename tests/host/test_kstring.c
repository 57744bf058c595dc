/*
 * Counted UTF-16 strings (core/kstring.c): bounded copy and append reporting truncation without
 * splitting a surrogate pair, comparisons with and without case, the case table's rules,
 * duplicates in the allocator (failures and leaks included), UTF-8 <-> UTF-16 with the standard's
 * replacement of invalid input, and validation of strings that come in requests. Text lives in
 * heap blocks of its exact size without a NUL after it: AddressSanitizer sees any read past it.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mem_host.h"
#include <minwdm/kstring.h>

#define TAG MEM_TAG('K', 's', 't', 'r')
#define ROUND_TRIPS 20000

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static unsigned below(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

/* A string over a heap copy of units (count of them), of exactly that size. */
static struct kstring heap_string(const uint16_t *units, size_t count)
{
    struct kstring s;
    uint16_t *copy = malloc(count ? count * sizeof(uint16_t) : 1);

    if (count)
        memcpy(copy, units, count * sizeof(uint16_t));
    s.length = s.maximum_length = (uint16_t)(count * sizeof(uint16_t));
    s.buffer = copy;
    return s;
}

/* A string of ASCII text (u"" literals would do on this host, but not in every C compiler). */
static struct kstring ascii(const char *text)
{
    uint16_t units[256] = {0};
    size_t n = strlen(text);

    for (size_t i = 0; i < n; i++)
        units[i] = (uint8_t)text[i];
    return heap_string(units, n);
}

static void drop(struct kstring *s)
{
    free(s->buffer);
    s->buffer = NULL;
}

static void init_and_copy(void)
{
    uint16_t storage[8];
    struct kstring to, big;

    kstring_init(&to, storage, 7);
    CHECK_EQ(to.maximum_length, 6);
    CHECK_EQ(to.length, 0);
    kstring_init(&big, storage, 200000);
    CHECK_EQ(big.maximum_length, KSTRING_MAX_BYTES);

    struct kstring abc = ascii("abc"), abcdef = ascii("abcdef");
    kstring_init(&to, storage, sizeof(storage));
    CHECK_EQ(kstring_copy(&to, &abc), MINWDM_STATUS_SUCCESS);
    CHECK(kstring_equal(&to, &abc, 0));
    /* Truncation: what fits is copied and reported. */
    kstring_init(&to, storage, 8);
    CHECK_EQ(kstring_copy(&to, &abcdef), MINWDM_STATUS_BUFFER_OVERFLOW);
    CHECK_EQ(to.length, 8);
    CHECK_EQ(memcmp(storage, abcdef.buffer, 8), 0);
    /* Append: up to the capacity, then overflow, keeping what fits. */
    kstring_init(&to, storage, sizeof(storage));
    CHECK_EQ(kstring_append(&to, &abc), MINWDM_STATUS_SUCCESS);
    CHECK_EQ(kstring_append(&to, &abc), MINWDM_STATUS_SUCCESS);
    CHECK_EQ(kstring_append(&to, &abc), MINWDM_STATUS_BUFFER_OVERFLOW);
    CHECK_EQ(to.length, 16);
    struct kstring expected = ascii("abcabcab");
    CHECK(kstring_equal(&to, &expected, 0));
    CHECK_EQ(kstring_append(&to, &abc), MINWDM_STATUS_BUFFER_OVERFLOW);
    CHECK_EQ(to.length, 16);
    /* A surrogate pair is never split: the high half stays out too. */
    const uint16_t pair_text[] = {'x', 0xD83D, 0xDE00};
    struct kstring pair = heap_string(pair_text, 3);
    kstring_init(&to, storage, 4);
    CHECK_EQ(kstring_copy(&to, &pair), MINWDM_STATUS_BUFFER_OVERFLOW);
    CHECK_EQ(to.length, 2);
    kstring_init(&to, storage, 6);
    CHECK_EQ(kstring_copy(&to, &pair), MINWDM_STATUS_SUCCESS);
    CHECK_EQ(to.length, 6);
    /* A malformed destination is refused and left alone; a source is read no further than its
     * capacity, and not at all without a buffer. */
    struct kstring bad = {10, 4, storage};
    CHECK_EQ(kstring_copy(&bad, &abc), MINWDM_STATUS_INVALID_PARAMETER);
    CHECK_EQ(kstring_append(&bad, &abc), MINWDM_STATUS_INVALID_PARAMETER);
    CHECK_EQ(bad.length, 10);
    struct kstring long_claim = {0xFFFE, abc.maximum_length, abc.buffer};
    kstring_init(&to, storage, sizeof(storage));
    CHECK_EQ(kstring_copy(&to, &long_claim), MINWDM_STATUS_SUCCESS);
    CHECK_EQ(to.length, 6);
    struct kstring no_buffer = {8, 8, NULL};
    CHECK_EQ(kstring_copy(&to, &no_buffer), MINWDM_STATUS_SUCCESS);
    CHECK_EQ(to.length, 0);
    drop(&abc);
    drop(&abcdef);
    drop(&expected);
    drop(&pair);
}

static void compare(void)
{
    struct kstring a = ascii("Device\\Minwdm"), b = ascii("DEVICE\\minwdm"), c = ascii("Device");
    struct kstring e = ascii(""), m = ascii("minwdm");

    CHECK(kstring_equal(&a, &a, 0));
    CHECK(!kstring_equal(&a, &b, 0));
    CHECK(kstring_equal(&a, &b, 1));
    CHECK(!kstring_equal(&a, &c, 1));
    CHECK(kstring_has_prefix(&a, &c, 0));
    CHECK(kstring_has_prefix(&b, &c, 1));
    CHECK(!kstring_has_prefix(&b, &c, 0));
    CHECK(!kstring_has_prefix(&c, &a, 1));
    CHECK(kstring_has_prefix(&a, &e, 0) && kstring_has_suffix(&a, &e, 0));
    CHECK(kstring_has_suffix(&b, &m, 0));
    CHECK(kstring_has_suffix(&a, &m, 1));
    CHECK(!kstring_has_suffix(&a, &m, 0));
    CHECK(!kstring_has_suffix(&m, &a, 1));
    CHECK(kstring_equal(&e, &(struct kstring){0, 0, NULL}, 0));

    /* Beyond ASCII: Grüße / GRÜSSE differ (ß has no one-unit upper case), GRÜßE matches. */
    const uint16_t lower[] = {'g', 'r', 0xFC, 0xDF, 'e', ' ', 0x3C3, 0x3C9, 0x43F, 0x451, 0xFF,
                              0x142};
    const uint16_t upper[] = {'G', 'R', 0xDC, 0xDF, 'E', ' ', 0x3A3, 0x3A9, 0x41F, 0x401, 0x178,
                              0x141};
    struct kstring l = heap_string(lower, 12), u = heap_string(upper, 12);
    CHECK(kstring_equal(&l, &u, 1));
    CHECK(!kstring_equal(&l, &u, 0));
    drop(&l);
    drop(&u);
    drop(&a);
    drop(&b);
    drop(&c);
    drop(&e);
    drop(&m);
}

/* The table's rules over all 65,536 units: idempotent, only the documented blocks change, each
 * mapped unit goes to a unit that maps to itself, and the count is what the blocks give. */
static void upcase_table(void)
{
    unsigned mapped = 0, outside = 0, not_idempotent = 0;

    for (unsigned c = 0; c < 0x10000; c++) {
        uint16_t u = kstring_upcase((uint16_t)c);
        if (kstring_upcase(u) != u)
            not_idempotent++;
        if (u == c)
            continue;
        mapped++;
        if (!(c < 0x80 || (c >= 0xE0 && c <= 0x17F) || (c >= 0x3B1 && c <= 0x3C9) ||
              (c >= 0x430 && c <= 0x45F)))
            outside++;
    }
    CHECK_EQ(not_idempotent, 0);
    CHECK_EQ(outside, 0);
    /* 26 ASCII + 31 Latin-1 + 1 (ÿ) + 60 Latin Extended-A + 24 Greek + 48 Cyrillic */
    CHECK_EQ(mapped, 26 + 31 + 1 + 60 + 24 + 48);
    CHECK_EQ(kstring_upcase(0x3C2), 0x3C2); /* final sigma: the kernel keeps it */
    CHECK_EQ(kstring_upcase(0xDF), 0xDF);
    CHECK_EQ(kstring_upcase(0x131), 0x131);
    CHECK_EQ(kstring_upcase(0xB5), 0xB5);
    CHECK_EQ(kstring_upcase(0x17E), 0x17D);
    CHECK_EQ(kstring_upcase(0x17F), 0x17F);
    CHECK_EQ(kstring_upcase(0x101), 0x100);
    CHECK_EQ(kstring_upcase(0x13A), 0x139);
    CHECK_EQ(kstring_upcase(0xF7), 0xF7);
}

static void duplicate(void)
{
    struct mem_host host;
    struct mem_allocator allocator;
    struct kstring copy, name = ascii("minwdm");

    mem_host_init(&host, 0);
    mem_init(&allocator, &host.platform);
    CHECK_EQ(kstring_dup(&allocator, &copy, &name, TAG, MEM_NONPAGED, NULL), MINWDM_STATUS_SUCCESS);
    CHECK(kstring_equal(&copy, &name, 0));
    CHECK(copy.buffer != name.buffer);
    CHECK_EQ(copy.maximum_length, copy.length);
    CHECK_EQ(copy.buffer[6], 0); /* the NUL after the text */
    kstring_free(&allocator, &copy, TAG);
    CHECK(copy.buffer == NULL && copy.length == 0 && copy.maximum_length == 0);

    /* The empty string, with or without a buffer. */
    struct kstring empty = {0, 0, NULL};
    CHECK_EQ(kstring_dup(&allocator, &copy, &empty, TAG, MEM_NONPAGED, NULL), MINWDM_STATUS_SUCCESS);
    CHECK(copy.buffer != NULL && copy.length == 0 && copy.buffer[0] == 0);
    kstring_free(&allocator, &copy, TAG);

    /* A malformed source, a failed allocation: nothing allocated, an empty result. */
    struct kstring odd = {3, 12, name.buffer};
    CHECK_EQ(kstring_dup(&allocator, &copy, &odd, TAG, MEM_NONPAGED, NULL),
             MINWDM_STATUS_INVALID_PARAMETER);
    CHECK(copy.buffer == NULL && copy.length == 0);
    host.quiet = 1;
    mem_fail_nth(&allocator, 1);
    CHECK_EQ(kstring_dup(&allocator, &copy, &name, TAG, MEM_NONPAGED, NULL),
             MINWDM_STATUS_INSUFFICIENT_RESOURCES);
    CHECK(copy.buffer == NULL && copy.length == 0);
    kstring_free(&allocator, &copy, TAG); /* an empty string frees nothing, harmlessly */

    /* The allocator sees misuse: a free with another tag, a copy never freed (a leak). */
    CHECK_EQ(kstring_dup(&allocator, &copy, &name, TAG, MEM_NONPAGED, NULL), MINWDM_STATUS_SUCCESS);
    kstring_free(&allocator, &copy, MEM_TAG('O', 't', 'h', 'r'));
    CHECK_EQ(host.events[MEM_EVENT_TAG_MISMATCH], 1);
    CHECK_EQ(kstring_dup(&allocator, &copy, &name, TAG, MEM_NONPAGED, NULL), MINWDM_STATUS_SUCCESS);
    CHECK_EQ(mem_destroy(&allocator), 1);
    drop(&name);
}

/* Converts, checking the status, the UTF-16 result and the size needed. */
static void from_utf8_case(const char *utf8, size_t bytes, const uint16_t *want, size_t units,
                           minwdm_status want_status)
{
    uint16_t *storage = malloc(units * sizeof(uint16_t) + 1);
    struct kstring to;
    size_t needed = 0;

    kstring_init(&to, storage, units * sizeof(uint16_t));
    CHECK_EQ(kstring_from_utf8(&to, utf8, bytes, &needed), want_status);
    CHECK_EQ(to.length, units * sizeof(uint16_t));
    CHECK_EQ(needed, units * sizeof(uint16_t));
    CHECK(units == 0 || memcmp(storage, want, units * sizeof(uint16_t)) == 0);
    free(storage);
}

static void utf8_to_utf16(void)
{
    const uint16_t greeting[] = {'G', 'r', 0xFC, 0xDF, 'e', ' ', 0x20AC, ' ', 0xD83D, 0xDE00};
    const char *text = "Gr\xC3\xBC\xC3\x9F" "e \xE2\x82\xAC \xF0\x9F\x98\x80";
    from_utf8_case(text, strlen(text), greeting, 10, MINWDM_STATUS_SUCCESS);
    from_utf8_case("", 0, NULL, 0, MINWDM_STATUS_SUCCESS);
    /* The Unicode standard's examples (chapter 3, U+FFFD substitution of maximal subparts). */
    const uint16_t r = 0xFFFD;
    const uint16_t ex1[] = {r, r, r, r, r, r, r, r, 'A'};
    from_utf8_case("\xC0\xAF\xE0\x80\xBF\xF0\x81\x82\x41", 9, ex1, 9, MINWDM_STATUS_SOME_NOT_MAPPED);
    const uint16_t ex2[] = {'a', r, r, r, 'b', r, 'c', r, r, 'd'};
    from_utf8_case("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64", 13, ex2, 10,
                   MINWDM_STATUS_SOME_NOT_MAPPED);
    /* A surrogate, past U+10FFFF, cut at the end. */
    from_utf8_case("\xED\xA0\x80x\xF4\x90\x80\x80y\xE2\x82", 11,
                   (const uint16_t[]){r, r, r, 'x', r, r, r, r, 'y', r}, 10,
                   MINWDM_STATUS_SOME_NOT_MAPPED);
    /* A NUL byte is text: the length counts, not a terminator. */
    from_utf8_case("a\0b", 3, (const uint16_t[]){'a', 0, 'b'}, 3, MINWDM_STATUS_SUCCESS);

    /* Too small: what fits, whole characters (never half a pair), and the size needed. */
    uint16_t storage[9];
    struct kstring to;
    size_t needed;
    kstring_init(&to, storage, 18);
    CHECK_EQ(kstring_from_utf8(&to, text, strlen(text), &needed), MINWDM_STATUS_BUFFER_OVERFLOW);
    CHECK_EQ(to.length, 16);
    CHECK_EQ(needed, 20);
    CHECK_EQ(memcmp(storage, greeting, 16), 0);
    struct kstring bad = {0, 8, NULL};
    CHECK_EQ(kstring_from_utf8(&bad, "a", 1, NULL), MINWDM_STATUS_INVALID_PARAMETER);
}

static void utf16_to_utf8(void)
{
    const uint16_t greeting[] = {'G', 'r', 0xFC, 0xDF, 'e', ' ', 0x20AC, ' ', 0xD83D, 0xDE00};
    const char *text = "Gr\xC3\xBC\xC3\x9F" "e \xE2\x82\xAC \xF0\x9F\x98\x80";
    struct kstring s = heap_string(greeting, 10);
    char out[32];
    size_t needed;

    CHECK_EQ(kstring_to_utf8(&s, out, sizeof(out), &needed), MINWDM_STATUS_SUCCESS);
    CHECK_EQ(strcmp(out, text), 0);
    CHECK_EQ(needed, strlen(text));
    /* Exactly the size needed leaves no room for the NUL. */
    char *exact = malloc(needed);
    CHECK_EQ(kstring_to_utf8(&s, exact, needed, NULL), MINWDM_STATUS_BUFFER_OVERFLOW);
    CHECK(strcmp(exact, "Gr\xC3\xBC\xC3\x9F" "e \xE2\x82\xAC ") == 0); /* not a cut emoji */
    free(exact);
    CHECK_EQ(kstring_to_utf8(&s, NULL, 0, &needed), MINWDM_STATUS_BUFFER_OVERFLOW);
    CHECK_EQ(needed, strlen(text));
    CHECK_EQ(kstring_to_utf8(&s, out, 4, NULL), MINWDM_STATUS_BUFFER_OVERFLOW);
    CHECK_EQ(strcmp(out, "Gr"), 0);
    drop(&s);
    /* Unpaired surrogates; an odd last byte is not read. */
    const uint16_t lone[] = {0xDE00, 'a', 0xD83D};
    s = heap_string(lone, 3);
    CHECK_EQ(kstring_to_utf8(&s, out, sizeof(out), NULL), MINWDM_STATUS_SOME_NOT_MAPPED);
    CHECK_EQ(strcmp(out, "\xEF\xBF\xBD" "a\xEF\xBF\xBD"), 0);
    s.length = 3;
    CHECK_EQ(kstring_to_utf8(&s, out, sizeof(out), NULL), MINWDM_STATUS_SOME_NOT_MAPPED);
    CHECK_EQ(strcmp(out, "\xEF\xBF\xBD"), 0);
    drop(&s);
}

/* Random scalar values survive UTF-16 -> UTF-8 -> UTF-16. */
static void round_trips(void)
{
    for (unsigned i = 0; i < ROUND_TRIPS; i++) {
        uint16_t units[32] = {0}, back[32];
        size_t count = 0, n = below(12);
        for (size_t k = 0; k < n; k++) {
            unsigned c = below(3) == 0 ? 0x10000 + below(0x100000) : below(0xF800);
            c = c >= 0xD800 && c < 0x10000 ? c + 0x800 : c;
            if (c >= 0x10000) {
                units[count++] = (uint16_t)(0xD800 + ((c - 0x10000) >> 10));
                units[count++] = (uint16_t)(0xDC00 + ((c - 0x10000) & 0x3FF));
            } else {
                units[count++] = (uint16_t)c;
            }
        }
        struct kstring s = heap_string(units, count), t;
        char utf8[128];
        size_t needed;
        CHECK_EQ(kstring_to_utf8(&s, utf8, sizeof(utf8), &needed), MINWDM_STATUS_SUCCESS);
        kstring_init(&t, back, sizeof(back));
        CHECK_EQ(kstring_from_utf8(&t, utf8, needed, NULL), MINWDM_STATUS_SUCCESS);
        CHECK(kstring_equal(&s, &t, 0));
        drop(&s);
    }
}

static void validation(void)
{
    uint16_t storage[4];
    struct kstring view;

    CHECK_EQ(kstring_validate(&(struct kstring){4, 8, storage}), MINWDM_STATUS_SUCCESS);
    CHECK_EQ(kstring_validate(&(struct kstring){0, 0, NULL}), MINWDM_STATUS_SUCCESS);
    CHECK_EQ(kstring_validate(&(struct kstring){3, 8, storage}), MINWDM_STATUS_INVALID_PARAMETER);
    CHECK_EQ(kstring_validate(&(struct kstring){4, 7, storage}), MINWDM_STATUS_INVALID_PARAMETER);
    CHECK_EQ(kstring_validate(&(struct kstring){8, 4, storage}), MINWDM_STATUS_INVALID_PARAMETER);
    CHECK_EQ(kstring_validate(&(struct kstring){0, 8, NULL}), MINWDM_STATUS_INVALID_PARAMETER);

    /* A request's bytes: a view of them, no NUL needed (the comparison reads them all). */
    struct kstring abc = ascii("abc");
    CHECK_EQ(kstring_from_request(&view, abc.buffer, 6, 6), MINWDM_STATUS_SUCCESS);
    CHECK(view.buffer == abc.buffer && view.length == 6 && kstring_equal(&view, &abc, 0));
    CHECK_EQ(kstring_from_request(&view, abc.buffer, 6, 4), MINWDM_STATUS_SUCCESS);
    CHECK_EQ(view.length, 4);
    CHECK_EQ(kstring_from_request(&view, abc.buffer, 6, 0), MINWDM_STATUS_SUCCESS);
    CHECK_EQ(kstring_from_request(&view, NULL, 0, 0), MINWDM_STATUS_SUCCESS);
    static const struct {
        size_t data_bytes, length, offset;
        int null_data;
    } bad[] = {
        {6, 5, 0, 0},       /* odd */
        {6, 8, 0, 0},       /* past the buffer */
        {0x20000, 0x10000, 0, 0}, /* more than a UNICODE_STRING holds */
        {5, 2, 1, 0},       /* misaligned */
        {6, 2, 0, 1},       /* no buffer */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const uint8_t *data = bad[i].null_data ? NULL : (const uint8_t *)abc.buffer + bad[i].offset;
        CHECK_EQ(kstring_from_request(&view, data, bad[i].data_bytes, bad[i].length),
                 MINWDM_STATUS_INVALID_PARAMETER);
        CHECK(view.length == 0 && view.maximum_length == 0 && view.buffer == NULL);
    }
    drop(&abc);
}

int main(void)
{
    init_and_copy();
    compare();
    upcase_table();
    duplicate();
    utf8_to_utf16();
    utf16_to_utf8();
    round_trips();
    validation();
    return check_done("test_kstring");
}
