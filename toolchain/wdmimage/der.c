#include "der.h"

#include <stdlib.h>
#include <string.h>

static int reserve(struct der *d, size_t more)
{
    if (d->failed)
        return -1;
    if (d->size + more <= d->capacity)
        return 0;
    size_t capacity = d->capacity ? d->capacity : 256;
    while (capacity < d->size + more)
        capacity *= 2;
    uint8_t *data = realloc(d->data, capacity);
    if (!data) {
        d->failed = 1;
        return -1;
    }
    d->data = data;
    d->capacity = capacity;
    return 0;
}

static void put(struct der *d, const void *bytes, size_t size)
{
    if (size && reserve(d, size) == 0) {
        memcpy(d->data + d->size, bytes, size);
        d->size += size;
    }
}

void der_open(struct der *d, uint8_t tag)
{
    if (d->depth == DER_MAX_DEPTH) {
        d->failed = 1;
        return;
    }
    d->open[d->depth++] = d->size;
    put(d, &tag, 1);
}

void der_close(struct der *d)
{
    uint8_t header[5];
    size_t n = 0;

    if (d->depth == 0 || d->failed) {
        d->failed = 1;
        return;
    }
    size_t start = d->open[--d->depth] + 1, length = d->size - start;
    if (length < 0x80) {
        header[n++] = (uint8_t)length;
    } else {
        int bytes = length > 0xFFFFFF ? 4 : length > 0xFFFF ? 3 : length > 0xFF ? 2 : 1;
        header[n++] = (uint8_t)(0x80 | bytes);
        for (int i = bytes - 1; i >= 0; i--)
            header[n++] = (uint8_t)(length >> (8 * i));
    }
    if (reserve(d, n))
        return;
    memmove(d->data + start + n, d->data + start, length);
    memcpy(d->data + start, header, n);
    d->size += n;
}

void der_primitive(struct der *d, uint8_t tag, const void *content, size_t size)
{
    der_open(d, tag);
    put(d, content, size);
    der_close(d);
}

void der_oid(struct der *d, const char *dotted)
{
    uint8_t out[64];
    size_t n = 0;
    unsigned long arcs[32];
    int count = 0;
    char *end;

    for (const char *p = dotted; *p && count < 32; p = *end ? end + 1 : end) {
        arcs[count++] = strtoul(p, &end, 10);
        if (end == p) {
            d->failed = 1;
            return;
        }
    }
    if (count < 2) {
        d->failed = 1;
        return;
    }
    arcs[1] += arcs[0] * 40;
    for (int i = 1; i < count && n + 5 < sizeof(out); i++) {
        uint8_t groups[5];
        int g = 0;
        unsigned long v = arcs[i];
        do {
            groups[g++] = (uint8_t)(v & 0x7F);
            v >>= 7;
        } while (v && g < 5);
        while (g-- > 0)
            out[n++] = (uint8_t)(groups[g] | (g ? 0x80 : 0));
    }
    der_primitive(d, DER_OID, out, n);
}

void der_null(struct der *d)
{
    der_primitive(d, DER_NULL, NULL, 0);
}

void der_integer(struct der *d, uint32_t value)
{
    uint8_t out[5];
    size_t n = 0;
    int started = 0;

    for (int i = 3; i >= 0; i--) {
        uint8_t byte = (uint8_t)(value >> (8 * i));
        if (!started && byte == 0 && i > 0)
            continue;
        if (!started && (byte & 0x80))
            out[n++] = 0; /* stays positive */
        started = 1;
        out[n++] = byte;
    }
    der_primitive(d, DER_INTEGER, out, n);
}

void der_bmp(struct der *d, uint8_t tag, const char *ascii)
{
    der_open(d, tag);
    for (const char *p = ascii; *p; p++) {
        uint8_t c[2] = {0, (uint8_t)*p};
        put(d, c, 2);
    }
    der_close(d);
}

void der_utf16le(struct der *d, const char *ascii)
{
    der_open(d, DER_OCTET_STRING);
    for (const char *p = ascii;; p++) {
        uint8_t c[2] = {(uint8_t)*p, 0};
        put(d, c, 2);
        if (!*p)
            break;
    }
    der_close(d);
}

void der_free(struct der *d)
{
    free(d->data);
    memset(d, 0, sizeof(*d));
}
